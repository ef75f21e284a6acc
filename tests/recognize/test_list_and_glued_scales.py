"""Issue #11 round 5: scales printed once for a list or outside accounting parentheses, scales run
into the next word by text extraction, "trn", spelled numbers glued to "cent", and prose listings
with their own market's suffix. Every sentence is written for these tests."""

from __future__ import annotations

import pytest

from llmx.recognize import find_money, find_tickers


def _pairs(text: str) -> list[tuple[str, float, str]]:
    found = find_money(text)
    for mention in found:
        assert text[mention.span[0] : mention.span[1]] == mention.text
    return [(m.text, m.value, m.currency) for m in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The segment posted operating losses of (£0.6)M in the first half.", [("(£0.6)M", 6e5, "GBP")]),
        ("It booked a charge of (€1.2) million on the disposal.", [("(€1.2) million", 1.2e6, "EUR")]),
        ("Net cash used was (EUR 3.5)m for the quarter.", [("(EUR 3.5)m", 3.5e6, "EUR")]),
        # No scale after the parenthesis: the printed value.
        ("Basic loss per share was ($0.35) for the year.", [("$0.35", 0.35, "USD")]),
    ],
)
def test_a_scale_after_the_parentheses_round_sign_and_number(sentence: str, expected: list) -> None:
    assert _pairs(sentence) == expected


def test_a_respectively_list_lends_its_scale_to_unscaled_items() -> None:
    sentence = "For FY26 we forecast revenue, EBITDA and net profit of £14.3M, (£0.4)M, and (£1.1), respectively."
    assert _pairs(sentence) == [("£14.3M", 14.3e6, "GBP"), ("(£0.4)M", 4e5, "GBP"), ("£1.1", 1.1e6, "GBP")]


def test_a_per_share_item_of_a_respectively_list_keeps_its_value() -> None:
    sentence = "Acme reported revenue, adjusted EBITDA, and EPS of $21.4M, ($3.9)M, and ($0.27), respectively."
    assert _pairs(sentence) == [("$21.4M", 21.4e6, "USD"), ("($3.9)M", 3.9e6, "USD"), ("$0.27", 0.27, "USD")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Not a "respectively" list: the unscaled item stays as printed.
        ("Adjusted EBITDA of £3.2M, £1.7M and (£0.9) for 2024, 2025 and 2026 respectively.",
         [("£3.2M", 3.2e6, "GBP"), ("£1.7M", 1.7e6, "GBP"), ("£0.9", 0.9, "GBP")]),
        # Two different scales: nothing to share.
        ("Sales, cash and debt were $4.1M, $2.2B and $7.5, respectively.",
         [("$4.1M", 4.1e6, "USD"), ("$2.2B", 2.2e9, "USD"), ("$7.5", 7.5, "USD")]),
        # A grouped item is printed in full.
        ("Grants, fees and rent of $2.5M, $1.8M and $1,250, respectively.",
         [("$2.5M", 2.5e6, "USD"), ("$1.8M", 1.8e6, "USD"), ("$1,250", 1250, "USD")]),
    ],
)
def test_lists_that_do_not_share_a_scale(sentence: str, expected: list) -> None:
    assert _pairs(sentence) == expected


def test_a_scale_printed_at_the_end_of_a_list_of_parenthesised_items() -> None:
    assert _pairs("Quarterly losses were ($1.2), ($3.4) and ($5.6) million.") == [
        ("$1.2", 1.2e6, "USD"), ("$3.4", 3.4e6, "USD"), ("($5.6) million", 5.6e6, "USD"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The fund has committed EUR 3.4bnNominal capacity reached 2 GW.", [("EUR 3.4bn", 3.4e9, "EUR")]),
        ("Revenue was $4.5millionThe company also said.", [("$4.5million", 4.5e6, "USD")]),
        ("The company raised $12mnProceeds will fund trials.", [("$12mn", 12e6, "USD")]),
        ("How to Grow a Portfolio to $250KThe first step is saving.", [("$250K", 2.5e5, "USD")]),
        # Unit symbols and lower-case words glued to a number are not scales.
        ("Power was resold at $0.09kWh under the contract.", [("$0.09", 0.09, "USD")]),
        ("Tickets cost $5More details follow.", [("$5", 5, "USD")]),
    ],
)
def test_a_scale_run_into_the_next_word(sentence: str, expected: list) -> None:
    assert _pairs(sentence) == expected


def test_trn_is_trillion() -> None:
    assert _pairs("The region has an estimated GDP of USD 8trn and rising.") == [("USD 8trn", 8e12, "USD")]


def test_a_spelled_number_glued_to_cent_is_a_word() -> None:
    assert _pairs("Tencent and Alibaba both bid for the studio.") == []
    assert _pairs("Adjusted earnings per share were twelve cents.") == [("twelve cents", 0.12, "USD")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The shares are listed on the Toronto Stock Exchange under the symbol ABC.TO today.",
         [("ABC", "TSX")]),
        ("Its shares trade on the TSX under the symbol \"XYZ.TO\".", [("XYZ", "TSX")]),
        ("Tencent (0700.HK) is listed on the Hong Kong Stock Exchange.", [("0700", "HKEX")]),
        # A class letter is part of the symbol.
        ("Its stock trades on the NYSE under the symbol BRK.B since 1996.", [("BRK.B", "NYSE")]),
    ],
)
def test_prose_listings_drop_their_own_markets_suffix(sentence: str, expected: list) -> None:
    assert [(m.symbol, m.exchange) for m in find_tickers(sentence)] == expected


def test_a_list_right_after_a_respectively_list_repeats_its_scales() -> None:
    first = "Revenue, EBITDA and net loss were £14.3M, (£0.4)M, and (£1.1), respectively. "
    sentence = first + "This compares to our estimates of £13.9M, £0.2M, and (£0.9)."
    assert [m.value for m in find_money(sentence)] == [14.3e6, 4e5, 1.1e6, 13.9e6, 2e5, 9e5]
    # The per-share position stays unscaled in the follow-up list too.
    eps = "Acme reported revenue, adjusted EBITDA, and EPS of $21.4M, ($3.9)M, and ($0.27), respectively. "
    assert [m.value for m in find_money(eps + "This compares to consensus of $20.1M, ($2.5)M, and ($0.31).")] == [
        21.4e6, 3.9e6, 0.27, 20.1e6, 2.5e6, 0.31,
    ]
    # Without the "respectively" list before it, the list stays as printed.
    assert [m.value for m in find_money("Our estimates were £13.9M, £0.2M, and (£0.9).")] == [13.9e6, 2e5, 0.9]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The publisher was paid one thousand seven hundred USD for the article.",
         [("one thousand seven hundred USD", 1700, "USD")]),
        ("a thousand five hundred dollars", [("a thousand five hundred dollars", 1500, "USD")]),
        ("It cost two thousand and fifty euros.", [("two thousand and fifty euros", 2050, "EUR")]),
        # "thousand" with no number word after it is the scale, as before.
        ("a prize of five thousand dollars", [("five thousand dollars", 5000, "USD")]),
        ("one hundred thousand dollars", [("one hundred thousand dollars", 100_000, "USD")]),
    ],
)
def test_spelled_numbers_with_words_after_thousand(sentence: str, expected: list) -> None:
    assert _pairs(sentence) == expected
