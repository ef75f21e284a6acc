"""Correct records holding values in forms the recognizers do not read pass; wrong ones are still caught.

Every sentence here is written for the test (issue #11: validator false alarms on gold records).
"""

from __future__ import annotations

import pytest

from llmx.schema import Amount, Issuer, PressRelease, Ticker
from llmx.validation.checks import SourceIndex, validate
from llmx.validation.readings import amount_readings, labelled_listings, market_matches, suffix_listings, symbol_keys
from llmx.recognize import find_money

MONEY_TEXT = (
    "Northwind Tools GmbH said adjusted EBITDA came to EUR -0.4 million, after USD +2.5 million a year ago. "
    "Sales are forecast at CAD ~$3.25M for the year. The net loss narrowed to ($2.7) million from ($4.9) million. "
    "The quarterly loss is expected in a $(8.2)–$(7.5)M range. Revenue for the three segments was "
    "$1.2, $3.4 and $5.6 million."
)
LISTING_TEXT = (
    "Harbor Appliances Co., Ltd. (600690.SH / 06690.HK) agreed to supply Lotus Pharma Co., Ltd. "
    "(SHE: 000538) and Piazza Motori S.p.A. (PMOT.MI), whose sister company is listed as (BIT: PMSR)."
)


def money_errors(*amounts: Amount) -> list[str]:
    record = PressRelease(issuer=Issuer(name="Northwind Tools GmbH"), amounts=list(amounts))
    return [f"{f.code} {f.path}" for f in validate(MONEY_TEXT, record).errors]


def ticker_errors(*tickers: Ticker, issuer: Issuer | None = None) -> list[str]:
    record = PressRelease(issuer=issuer or Issuer(name="Harbor Appliances Co., Ltd."), tickers=list(tickers))
    return [f"{f.code} {f.path}" for f in validate(LISTING_TEXT, record).errors]


@pytest.mark.parametrize(
    ("value", "currency", "printed"),
    [
        (400_000, "EUR", "EUR -0.4 million"),  # a sign between the currency and the number
        (2_500_000, "USD", "USD +2.5 million"),
        (3_250_000, "CAD", "CAD ~$3.25M"),  # a code before an approximate dollar
        (2_700_000, "USD", "($2.7) million"),  # the scale after accounting parentheses
        (4_900_000, "USD", "($4.9) million"),
        (8_200_000, "USD", "$(8.2)"),  # a loss range: the larger magnitude first
        (1_200_000, "USD", "$1.2"),  # a list sharing the scale printed at its end
    ],
)
def test_values_printed_in_forms_the_recognizer_misses_pass(value: float, currency: str, printed: str) -> None:
    assert money_errors(Amount(value=value, currency=currency, text=printed)) == []
    assert money_errors(Amount(value=value, currency=currency)) == []


@pytest.mark.parametrize(
    ("value", "currency", "error"),
    [
        (400_000, "USD", "CURRENCY_MISMATCH amounts[0].currency"),
        (400, "EUR", "SCALE_MISMATCH amounts[0].value"),
        (3_250_000, "EUR", "CURRENCY_MISMATCH amounts[0].currency"),
        (2_700, "USD", "SCALE_MISMATCH amounts[0].value"),
        (8_200, "USD", "SCALE_MISMATCH amounts[0].value"),
        (2_600_000, "USD", "UNSUPPORTED_AMOUNT amounts[0].value"),
    ],
)
def test_wrong_values_in_those_forms_are_still_caught(value: float, currency: str, error: str) -> None:
    assert money_errors(Amount(value=value, currency=currency)) == [error]


def test_readings_keep_the_printed_span_and_add_only_what_the_recognizer_does_not_read() -> None:
    mentions = find_money(MONEY_TEXT)
    readings = amount_readings(MONEY_TEXT, mentions)
    for reading in readings:
        assert MONEY_TEXT[reading.span[0] : reading.span[1]] == reading.text
    read = {(r.value, r.currency) for r in readings}
    assert {(2_500_000, "USD"), (3_250_000, "CAD"), (2_700_000, "USD"), (8_200_000, "USD")} <= read
    recognized = {(m.value, m.currency) for m in mentions}
    for already in ((400_000, "EUR"), (5_600_000, "USD")):  # "EUR -0.4 million", the list's scale: the recognizer reads them
        assert already in recognized and already not in read
    assert amount_readings("Revenue of $15.1-$15.6M and $4.50 a share.", find_money("Revenue of $15.1-$15.6M and $4.50 a share.")) == []


def test_a_number_after_a_minus_without_a_currency_is_no_reading() -> None:
    text = "Margins moved -0.4 points and 12 - 3 million units shipped."
    assert amount_readings(text, find_money(text)) == []


@pytest.mark.parametrize(
    ("symbol", "exchange"),
    [
        ("600690.SH", None),
        ("600690", "Shanghai Stock Exchange"),
        ("06690.HK", "HKEX"),
        ("6690", "Hong Kong Stock Exchange"),
        ("000538", "SHE"),
        ("000538", "Shenzhen Stock Exchange"),
        ("PMOT.MI", "Borsa Italiana"),
        ("PMOT", "Euronext Milan"),
        ("PMSR", "BIT"),
    ],
)
def test_suffix_symbols_and_market_labels_pass(symbol: str, exchange: str | None) -> None:
    assert ticker_errors(Ticker(symbol=symbol, exchange=exchange)) == []


def test_an_issuer_ticker_with_a_suffix_passes() -> None:
    issuer = Issuer(name="Harbor Appliances Co., Ltd.", ticker="600690.SH", exchange="SSE")
    assert ticker_errors(issuer=issuer) == []


@pytest.mark.parametrize(
    ("ticker", "error"),
    [
        (Ticker(symbol="600690.SH", exchange="NASDAQ"), "EXCHANGE_MISMATCH tickers[0].exchange"),
        (Ticker(symbol="PMOT", exchange="LSE"), "EXCHANGE_MISMATCH tickers[0].exchange"),
        (Ticker(symbol="000538", exchange="NYSE"), "EXCHANGE_MISMATCH tickers[0].exchange"),
        (Ticker(symbol="600691", exchange=None), "TICKER_NOT_IN_TEXT tickers[0].symbol"),
        (Ticker(symbol="PMOX", exchange="Borsa Italiana"), "TICKER_NOT_IN_TEXT tickers[0].symbol"),
    ],
)
def test_wrong_suffix_listings_are_still_caught(ticker: Ticker, error: str) -> None:
    assert ticker_errors(ticker) == [error]


def test_listing_readings() -> None:
    assert [(l.symbol, l.exchange) for l in suffix_listings(LISTING_TEXT)] == [
        ("600690.SH", "SSE"), ("06690.HK", "HKEX"), ("PMOT.MI", "Borsa Italiana"),
    ]
    assert [(l.symbol, l.exchange, l.text) for l in labelled_listings(LISTING_TEXT)] == [
        ("000538", "SHE", "SHE: 000538"), ("PMSR", "BIT", "BIT: PMSR"),
    ]
    assert symbol_keys("06690.HK") == {"06690.HK", "06690", "6690.HK", "6690"}
    listing = suffix_listings("(ENI.MI)")[0]
    assert market_matches(listing, "Euronext Milan") and market_matches(listing, "MTA")
    assert not market_matches(listing, "Euronext Paris")


def test_labels_that_are_no_market_and_bare_suffix_codes_are_no_listing() -> None:
    assert labelled_listings("Note: ABC. CO: XYZ. Time: 10AM. Source: XYZW.") == []
    assert suffix_listings("See Acme Inc. and the U.S. market; version 2.0 and file.TXT.") == []
    assert SourceIndex("Acme (NASDAQ: ACME)").listings("ACME")  # the recognizer's listings stay


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The agency was paid one thousand seven hundred USD for this notice.", 1_700),
        ("The grant totals two million three hundred thousand dollars.", 2_300_000),
    ],
)
def test_a_spelled_number_with_words_after_its_scale_passes_whole(sentence: str, value: float) -> None:
    record = PressRelease(issuer=Issuer(name="Northwind Tools GmbH"), amounts=[Amount(value=value, currency="USD")])
    assert validate(sentence, record).errors == []
    wrong = PressRelease(issuer=Issuer(name="Northwind Tools GmbH"), amounts=[Amount(value=value * 1.5, currency="USD")])
    assert [f.code for f in validate(sentence, wrong).errors] == ["UNSUPPORTED_AMOUNT"]


def test_holding_one_reading_of_printed_characters_covers_the_others() -> None:
    text = "The quarterly loss is expected in a $(8.2)–$(7.5)M range."
    whole = PressRelease(
        issuer=Issuer(name="Northwind Tools GmbH"),
        amounts=[Amount(value=8_200_000, currency="USD"), Amount(value=7_500_000, currency="USD")],
    )
    assert [f.code for f in validate(text, whole, coverage=True).findings] == []
    partial = PressRelease(issuer=Issuer(name="Northwind Tools GmbH"), amounts=[Amount(value=7_500_000, currency="USD")])
    assert [f.code for f in validate(text, partial, coverage=True).findings] == ["OMITTED_AMOUNT", "OMITTED_AMOUNT"]


AIM_TEXT = "Fenwick Minerals plc (AIM:FNWK) and Carrow Metals plc (CRW.L) signed the offtake."


@pytest.mark.parametrize(
    ("ticker", "errors"),
    [
        # A listing under one of the guide's exchange names is on that exchange alone: AIM is not LSE.
        (Ticker(symbol="FNWK", exchange="LSE"), ["EXCHANGE_MISMATCH tickers[0].exchange"]),
        (Ticker(symbol="FNWK", exchange="London Stock Exchange"), ["EXCHANGE_MISMATCH tickers[0].exchange"]),
        (Ticker(symbol="FNWK", exchange="AIM"), []),
        # A ".L" suffix names the London market, main market or AIM: either name passes.
        (Ticker(symbol="CRW.L", exchange="AIM"), []),
        (Ticker(symbol="CRW", exchange="LSE"), []),
    ],
)
def test_a_market_alias_does_not_stand_for_a_named_exchange(ticker: Ticker, errors: list[str]) -> None:
    record = PressRelease(issuer=Issuer(name="Fenwick Minerals plc"), tickers=[ticker])
    assert [f"{f.code} {f.path}" for f in validate(AIM_TEXT, record).errors] == errors


SHARE_CLASS_TEXT = "Qingdao Lantern Co., Ltd. (A-share: 601234.SH; D-share: 612D.DE) and Lumen AG (XETRA: 7QX.DE) reported."


@pytest.mark.parametrize(
    ("ticker", "errors"),
    [
        (Ticker(symbol="601234", exchange="SSE"), []),
        (Ticker(symbol="601234.SH", exchange="Shanghai Stock Exchange"), []),
        (Ticker(symbol="612D", exchange="FSE"), []),
        (Ticker(symbol="612D.DE", exchange="Xetra"), []),
        (Ticker(symbol="7QX.DE", exchange="FSE"), []),
        (Ticker(symbol="612D", exchange="NASDAQ"), ["EXCHANGE_MISMATCH tickers[0].exchange"]),
        (Ticker(symbol="612E", exchange="FSE"), ["TICKER_NOT_IN_TEXT tickers[0].symbol"]),
    ],
)
def test_share_class_and_suffixed_listings_with_or_without_the_suffix(ticker: Ticker, errors: list[str]) -> None:
    record = PressRelease(issuer=Issuer(name="Qingdao Lantern Co., Ltd."), tickers=[ticker])
    assert [f"{f.code} {f.path}" for f in validate(SHARE_CLASS_TEXT, record).errors] == errors
