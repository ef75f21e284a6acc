"""Money recognizer: one example sentence per supported pattern, plus things that are not money."""

from __future__ import annotations

import re

import pytest

from llmx.recognize.money import MoneyMention, find_money


def amounts(text: str) -> list[tuple[float, str, str]]:
    """(value, currency, printed text) of every mention, checking each span on the way."""
    found = find_money(text)
    for mention in found:
        start, end = mention.span
        assert text[start:end] == mention.text
    return [(m.value, m.currency, m.text) for m in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The company raised $2 million in seed funding.", [(2_000_000, "USD", "$2 million")]),
        ("Revenue reached $170.5 million for the year.", [(170_500_000, "USD", "$170.5 million")]),
        ("Pricing of $2.6 Million Public Offering", [(2_600_000, "USD", "$2.6 Million")]),
        ("a US$1.2B credit facility", [(1_200_000_000, "USD", "US$1.2B")]),
        ("a market of US$ 4.5 billion", [(4_500_000_000, "USD", "US$ 4.5 billion")]),
        ("proceeds of USD 5,000,000 were received", [(5_000_000, "USD", "USD 5,000,000")]),
        ("grew to USD 948.7 million", [(948_700_000, "USD", "USD 948.7 million")]),
        ("a base price of USD $1.16 per share", [(1.16, "USD", "USD $1.16")]),
        ("a note of $3,005,000 was settled", [(3_005_000, "USD", "$3,005,000")]),
        ("a C$4.5 million grant", [(4_500_000, "CAD", "C$4.5 million")]),
        ("CAD$ 750,000 in flow-through shares", [(750_000, "CAD", "CAD$ 750,000")]),
        ("an A$12 million placement", [(12_000_000, "AUD", "A$12 million")]),
        ("a €50M Series B", [(50_000_000, "EUR", "€50M")]),
        ("EUR 12 million in non-dilutive funding", [(12_000_000, "EUR", "EUR 12 million")]),
        ("valued at £3.2bn", [(3_200_000_000, "GBP", "£3.2bn")]),
        ("an expected $5 bn programme", [(5_000_000_000, "USD", "$5 bn")]),
        ("a USD 1.2m bridge loan", [(1_200_000, "USD", "USD 1.2m")]),
        ("¥500 million in yen bonds", [(500_000_000, "JPY", "¥500 million")]),
        ("CHF 3 million from the foundation", [(3_000_000, "CHF", "CHF 3 million")]),
        ("SEK 100m rights issue", [(100_000_000, "SEK", "SEK 100m")]),
        ("sold at $0.35 per share", [(0.35, "USD", "$0.35")]),
        ("a dividend of $.50 per share", [(0.5, "USD", "$.50")]),
        ("total contract value of $18.4M", [(18_400_000, "USD", "$18.4M")]),
        ("a $500K award", [(500_000, "USD", "$500K")]),
        ("a $5MM line of credit", [(5_000_000, "USD", "$5MM")]),
        ("over $100M+ in contracts", [(100_000_000, "USD", "$100M")]),
        ("a salary of $1/ year", [(1, "USD", "$1")]),
        ("a $2-million grant", [(2_000_000, "USD", "$2-million")]),
        ("| Revenue | $ 1,234 |", [(1234, "USD", "$ 1,234")]),
        ("the buyer paid two million dollars", [(2_000_000, "USD", "two million dollars")]),
        ("twenty-five million dollars in cash", [(25_000_000, "USD", "twenty-five million dollars")]),
        ("a fund of 1.2 million euros", [(1_200_000, "EUR", "1.2 million euros")]),
        ("an invoice of 5,000 USD", [(5000, "USD", "5,000 USD")]),
        ("tickets cost 50 €", [(50, "EUR", "50 €")]),
        ("ten thousand Canadian dollars", [(10_000, "CAD", "ten thousand Canadian dollars")]),
        ("3 million British pounds", [(3_000_000, "GBP", "3 million British pounds")]),
        ("2 million pounds sterling", [(2_000_000, "GBP", "2 million pounds sterling")]),
    ],
)
def test_single_amount(sentence: str, expected: list[tuple[float, str, str]]) -> None:
    assert amounts(sentence) == expected


def test_scale_words_change_the_value() -> None:
    found = amounts("It raised $1.5 billion, not $1.5 million, nor $1.5 thousand.")
    assert [value for value, _, _ in found] == [1_500_000_000, 1_500_000, 1_500]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("guidance of $10-12 million", [(10_000_000, "USD", "$10"), (12_000_000, "USD", "12 million")]),
        ("guidance of $10 to $12 million", [(10_000_000, "USD", "$10"), (12_000_000, "USD", "$12 million")]),
        ("between $1.16 and $1.24 per share", [(1.16, "USD", "$1.16"), (1.24, "USD", "$1.24")]),
        ("from $500,000 to $2 million", [(500_000, "USD", "$500,000"), (2_000_000, "USD", "$2 million")]),
        ("an estimated 10 to 12 million euros", [(10_000_000, "EUR", "10"), (12_000_000, "EUR", "12 million euros")]),
        ("from $371 million in 2022 to $1.16 billion", [(371_000_000, "USD", "$371 million"), (1_160_000_000, "USD", "$1.16 billion")]),
    ],
)
def test_ranges_give_one_amount_per_bound(sentence: str, expected: list[tuple[float, str, str]]) -> None:
    assert amounts(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("a $20 million budget to 2030", [(20_000_000, "USD", "$20 million")]),
        ("$5 and 6 employees", [(5, "USD", "$5")]),
        ("paid $5 and $6 respectively", [(5, "USD", "$5"), (6, "USD", "$6")]),
        ("priced at $5, the shares", [(5, "USD", "$5")]),
    ],
)
def test_not_every_connector_makes_a_range(sentence: str, expected: list[tuple[float, str, str]]) -> None:
    assert amounts(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "losses of $1.2, $3.4 and $5.6 million over three years",
            [(1_200_000, "USD", "$1.2"), (3_400_000, "USD", "$3.4"), (5_600_000, "USD", "$5.6 million")],
        ),
        (
            "sales of $4.1, $4.4, or $5.0 billion",
            [(4_100_000_000, "USD", "$4.1"), (4_400_000_000, "USD", "$4.4"), (5_000_000_000, "USD", "$5.0 billion")],
        ),
        ("grants of $7 and $8 million", [(7_000_000, "USD", "$7"), (8_000_000, "USD", "$8 million")]),
    ],
)
def test_a_scale_printed_at_the_end_of_a_list_applies_to_every_item(sentence: str, expected: list[tuple[float, str, str]]) -> None:
    assert amounts(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("paid $1,200, $3,400 and $5.6 million", [(1_200, "USD", "$1,200"), (3_400, "USD", "$3,400"), (5_600_000, "USD", "$5.6 million")]),
        ("fees of $5, $10 and EUR 20 million", [(5, "USD", "$5"), (10, "USD", "$10"), (20_000_000, "EUR", "EUR 20 million")]),
        ("tickets at $1.50, $2.50 and $3.50", [(1.5, "USD", "$1.50"), (2.5, "USD", "$2.50"), (3.5, "USD", "$3.50")]),
        ("$5 million, then $6 and $7 later", [(5_000_000, "USD", "$5 million"), (6, "USD", "$6"), (7, "USD", "$7")]),
    ],
)
def test_list_scale_needs_small_unscaled_items_in_the_same_currency(sentence: str, expected: list[tuple[float, str, str]]) -> None:
    assert amounts(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Sales grew 14% to 2.1 million units.",
        "The company issued 5,000,000 shares of common stock.",
        "Founded in 2019, it employs 250 people.",
        "Call +1 (212) 555-0100 on 08/14/2025.",
        "It produced 15.2 million pounds of lead and 1.8 million oz of silver.",
        "The market is worth billions and the deal is a multi-billion-dollar opportunity.",
        "Prices are stated in 2024 dollars.",
        "Read more at https://example.com/news/acme-raises-$5-million-series-a",
        "The CAD 2024 release adds new tools.",
        "Amounts shown in ($000s).",
        "He was paid a dollar.",
    ],
)
def test_not_money(sentence: str) -> None:
    assert amounts(sentence) == []


def test_document_statement_changes_the_bare_dollar() -> None:
    text = "All amounts are expressed in Canadian dollars unless noted.\n\nRevenue was $5 million and US$2 million."
    assert amounts(text) == [(5_000_000, "CAD", "$5 million"), (2_000_000, "USD", "US$2 million")]


def test_bare_dollar_is_usd_by_default() -> None:
    assert amounts("Revenue was $5 million.") == [(5_000_000, "USD", "$5 million")]


def test_table_caption_in_thousands_scales_the_table() -> None:
    text = (
        "Results (in thousands, except per share data)\n\n"
        "| Item | Q2 |\n|---|---|\n| Revenue | $ 1,234 |\n| Net income per share | $ 0.12 |\n\n"
        "Outside the table the company holds $3 million."
    )
    assert amounts(text) == [
        (1_234_000, "USD", "$ 1,234"),
        (0.12, "USD", "$ 0.12"),
        (3_000_000, "USD", "$3 million"),
    ]


def test_table_caption_in_millions_of_dollars() -> None:
    text = "Amounts in millions of U.S. dollars\n| Cash | $ 12.5 |\n| Debt | $ 4 million |"
    # A mention printed with its own scale word keeps it; the caption scales bare numbers only.
    assert amounts(text) == [(12_500_000, "USD", "$ 12.5"), (4_000_000, "USD", "$ 4 million")]


def test_prose_in_thousands_is_not_a_caption() -> None:
    assert amounts("Used in thousands of hospitals, it earned $5.") == [(5, "USD", "$5")]


def test_ocr_lookalikes_inside_numbers_and_scale_words() -> None:
    assert amounts("a $1O.5 Mi11ion deal and a $3 rnillion note") == [
        (10_500_000, "USD", "$1O.5 Mi11ion"),
        (3_000_000, "USD", "$3 rnillion"),
    ]


def test_unicode_noise_does_not_move_spans() -> None:
    text = "\u201cAcme\u201d\u00a0raised\u2009$2.5\u00a0million \u2013 and\u00ad $3\u200b,000,000."
    found = find_money(text)
    assert [(m.value, m.currency) for m in found] == [(2_500_000, "USD"), (3_000_000, "USD")]
    assert [text[m.span[0] : m.span[1]] for m in found] == [m.text for m in found]
    assert found[1].text == "$3\u200b,000,000"


def test_full_width_characters() -> None:
    text = "raised \uff04\uff12 million"
    (mention,) = find_money(text)
    assert (mention.value, mention.text) == (2_000_000, "\uff04\uff12 million")


def test_mentions_are_in_text_order_and_serialise() -> None:
    found = find_money("EUR 3 million, then $2 million, then 1 million euros")
    assert [m.span[0] for m in found] == sorted(m.span[0] for m in found)
    assert found[1].to_dict() == {"type": "money", "value": 2_000_000, "currency": "USD", "text": "$2 million", "span": [20, 30]}
    assert isinstance(found[0], MoneyMention)


def test_empty_and_moneyless_text() -> None:
    assert find_money("") == []
    assert find_money("No amounts here at all.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("a grant of C$6.2 miIlion was awarded", [(6_200_000, "CAD", "C$6.2 miIlion")]),
        ("a €4 MiIlion upfront", [(4_000_000, "EUR", "€4 MiIlion")]),
        ("it paid €7 mil-\nlion upfront", [(7_000_000, "EUR", "€7 mil-\nlion")]),
        ("a £3 bil-\r\n lion bid", [(3_000_000_000, "GBP", "£3 bil-\r\n lion")]),
    ],
)
def test_more_ocr_scale_words(sentence: str, expected: list[tuple[float, str, str]]) -> None:
    assert amounts(sentence) == expected


def test_a_hyphen_across_a_line_is_not_always_a_scale_word() -> None:
    assert amounts("it paid $7 in the mil-\nlennium year") == [(7, "USD", "$7")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("a loss of $(0.45) per share", [(0.45, "USD", "$(0.45)")]),
        ("| Operating loss | € (2,310) |", [(2310, "EUR", "€ (2,310)")]),
        ("a net loss of $(3.8) million", [(3_800_000, "USD", "$(3.8) million")]),
        ("cash used of US$(1.2) billion", [(1_200_000_000, "USD", "US$(1.2) billion")]),
        ("EPS of $(0.12)** per share", [(0.12, "USD", "$(0.12)")]),
        ("| EPS | $(0.05) | $(0.08) |", [(0.05, "USD", "$(0.05)"), (0.08, "USD", "$(0.08)")]),
    ],
)
def test_accounting_negatives_after_the_sign(sentence: str, expected: list[tuple[float, str, str]]) -> None:
    assert amounts(sentence) == expected


@pytest.mark.parametrize("sentence", ["priced in $ (see note 4)", "the $(12 figure was cut off", "in $ ( ) terms"])
def test_parentheses_without_a_closed_number_are_not_money(sentence: str) -> None:
    assert amounts(sentence) == []


def test_caption_scales_accounting_negatives() -> None:
    text = "Statement (in thousands, except per share data)\n| Net loss | $ (1,234) |\n| Net loss per share | $ (0.12) |"
    assert amounts(text) == [(1_234_000, "USD", "$ (1,234)"), (0.12, "USD", "$ (0.12)")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The trust paid \u017fix million dollars last year.", 6_000_000),  # long s, as old prints and OCR give it
        ("It won a \u212aey grant of nine million dollars.", 9_000_000),
        ("The city gave fıve million dollars.", 5_000_000),  # Turkish dotless i
        ("The state gave EİGHT million dollars.", 8_000_000),  # Turkish dotted capital I
    ],
)
def test_spelled_number_with_a_case_folding_letter_is_read_not_a_crash(text: str, value: int) -> None:
    """IGNORECASE lets "ſix" match the word "six"; the parse must read it as that word (it raised KeyError)."""
    values = [mention.value for mention in find_money(text)]
    assert value in values


def test_the_case_folding_letters_are_every_non_ascii_character_ignorecase_matches_to_an_ascii_letter() -> None:
    """`IGNORECASE_ASCII_FOLDS` (what the spelled-number parse and `cues.searchable` rely on) is complete and right."""
    from llmx.recognize.text import IGNORECASE_ASCII_FOLDS

    letter = re.compile("[a-z]", re.IGNORECASE)
    found = {}
    for code in range(0x80, 0x110000):
        char = chr(code)
        if letter.fullmatch(char):
            found[char] = next(ascii_letter for ascii_letter in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(ascii_letter, char, re.IGNORECASE))
    assert found == IGNORECASE_ASCII_FOLDS
