"""Issue #11, amounts2 round: a dollar named after a bare-"$" amount, per-unit prices under a scale
caption, a minus sign after the currency, spelled decimals."""

from __future__ import annotations

import pytest

from llmx.recognize import find_money


def _pairs(text: str) -> list[tuple[str, float, str]]:
    return [(m.text, m.value, m.currency) for m in find_money(text)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The startup closed $25 million Canadian in new funding.", [("$25 million", 25e6, "CAD")]),
        ("The mill was sold for $4.5 million Australian.", [("$4.5 million", 4.5e6, "AUD")]),
        ("Our budget is $8 million Hong Kong dollars this year.", [("$8 million", 8e6, "HKD")]),
        ("It paid $3 million New Zealand dollars to settle.", [("$3 million", 3e6, "NZD")]),
        ("A grant of $700,000 Singapore dollars was awarded.", [("$700,000", 7e5, "SGD")]),
        ("We expect to spend $2.1 million (CAD) on drilling.", [("$2.1 million", 2.1e6, "CAD")]),
        ("Sales were $10-12 million Canadian, up from last year.", [("$10", 10e6, "CAD"), ("12 million", 12e6, "CAD")]),
        # Not a currency: a country adjective before a noun, or a conversion that follows.
        ("The firm will spend $10 million U.S. expansion money.", [("$10 million", 10e6, "USD")]),
        ("She invested $6 million Canadian subsidiary stock.", [("$6 million", 6e6, "USD")]),
        ("It won a $1.2 million (USD 0.9 million) grant.", [("$1.2 million", 1.2e6, "USD"), ("USD 0.9 million", 0.9e6, "USD")]),
        # A letter sign is never overridden.
        ("The company raised US$5 million Canadian dollars.", [("US$5 million", 5e6, "USD")]),
    ],
)
def test_dollar_named_after_a_bare_sign(sentence: str, expected: list[tuple[str, float, str]]) -> None:
    assert _pairs(sentence) == expected


def test_us_after_the_amount_overrides_a_canadian_document_dollar() -> None:
    text = "All amounts are in Canadian dollars unless otherwise stated.\nWe owe $4 million US to the lender and $2 million here."
    assert [m.currency for m in find_money(text)] == ["USD", "CAD"]


def test_document_level_statements_still_set_the_dollar() -> None:
    assert [m.currency for m in find_money("All dollar figures are in CAD.\nRevenue rose to $5 million.")] == ["CAD"]
    assert [m.currency for m in find_money("(all amounts in Australian dollars unless otherwise stated)\nCash was $9 million.")] == ["AUD"]


@pytest.mark.parametrize(
    "text",
    [
        "Balance sheet (in thousands)\n| Line | 2025 |\n|---|---|\n| Common stock, $0.01 par value | $1,234 |\n",
        "(in thousands, except per share data)\nPreferred stock, par value $0.001, none issued: $0\nTotal equity $1,234\n",
        "(in thousands)\n| Item | 2025 |\n|---|---|\n| Offering price | $2.50 per unit |\n| Gross proceeds | $1,234 |\n",
    ],
)
def test_per_unit_prices_are_never_scaled_by_a_caption(text: str) -> None:
    values = {m.text: m.value for m in find_money(text)}
    assert values["$1,234"] == 1_234_000
    small = [v for t, v in values.items() if t in ("$0.01", "$0.001", "$2.50")]
    assert small and all(v < 10 for v in small)


def test_bare_par_value_cell_in_a_captioned_table_is_not_scaled() -> None:
    text = "(in thousands)\nCommon stock 0.01 par value 5,000 8,000\nCash $ 1,200 $ 900\n"
    values = sorted(m.value for m in find_money(text))
    assert 0.01 in values and 10.0 not in values


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Net result improved to EUR 1.1m (prior year: EUR -3.4m).", [("EUR 1.1m", 1.1e6, "EUR"), ("EUR -3.4m", 3.4e6, "EUR")]),
        ("The segment lost $-2.5 million and € -700,000 in the year.", [("$-2.5 million", 2.5e6, "USD"), ("€ -700,000", 7e5, "EUR")]),
        # A hyphen that is not glued to a digit is not a minus: nothing is read.
        ("The US$-denominated notes were repaid.", []),
    ],
)
def test_minus_sign_after_the_currency_is_a_magnitude(sentence: str, expected: list[tuple[str, float, str]]) -> None:
    assert _pairs(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Sales reached one point five billion dollars.", [("one point five billion dollars", 1.5e9, "USD")]),
        ("The grant is four hundred and one point two five million euros.", [("four hundred and one point two five million euros", 401.25e6, "EUR")]),
        ("She made the point six million dollars were spent.", [("six million dollars", 6e6, "USD")]),
    ],
)
def test_spelled_decimals(sentence: str, expected: list[tuple[str, float, str]]) -> None:
    assert _pairs(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Diluted EPS came to 25 cents, and the board declared a special dividend of 20 cents per share.",
         [("25 cents", 0.25, "USD"), ("20 cents", 0.20, "USD")]),
        ("Adjusted earnings per share were twelve cents.", [("twelve cents", 0.12, "USD")]),
        ("Screening costs only 30 cents per test.", [("30 cents", 0.30, "USD")]),
        ("An 8-cent stock can still be overpriced.", [("8-cent", 0.08, "USD")]),
        ("Earnings Rose To 12.5 Cents A Share", [("12.5 Cents", 0.125, "USD")]),
        ("All amounts are in Canadian dollars. The warrant is exercisable at 45 cents.", [("45 cents", 0.45, "CAD")]),
        ("The interim dividend rose by 5% to 1.2 pence.", [("1.2 pence", 0.012, "GBP")]),
        ("A final dividend of 23.97p per share was proposed.", [("23.97p", 0.2397, "GBP")]),
        ("Shares were placed at 4p a share.", [("4p", 0.04, "GBP")]),
    ],
)
def test_amounts_in_cents_and_pence_are_hundredths(sentence: str, expected: list[tuple[str, float, str]]) -> None:
    assert [(text, pytest.approx(value), currency) for text, value, currency in _pairs(sentence)] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Rates rose 5 per cent, or 30 percent over two years.",
        "The webinar starts at 4 p.m. and streams in 1080p video.",
        "Our apps 2 Cent Texts and 2-Cent Texts.com keep growing.",  # a capitalised name
        "It costs a fraction of a cent; buyers get cents on the dollar.",
        "Call 800 555 0100 to reach the center.",
    ],
)
def test_cent_and_p_that_are_not_money(sentence: str) -> None:
    assert find_money(sentence) == []


def test_cents_after_a_dollar_sign_are_one_amount() -> None:
    assert _pairs("Each warrant is exercisable at a price of $0.15 cents for 24 months.") == [("$0.15", 0.15, "USD")]
