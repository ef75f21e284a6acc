"""Correct records pass the validator; injected errors are still caught (issue #11 item 5)."""

from __future__ import annotations

from llmx.schema import Amount, Issuer, PressRelease, Ticker
from llmx.validation.checks import validate

TEXT = (
    "Acme Lands $50 PIPE Deal\n\n"
    "BOSTON, Jan. 5, 2026 -- Acme Therapeutics, Inc. (NASDAQ: ACMT) raised $50,000,000 in a private placement. "
    "ACMT will use the proceeds for its Phase 2 trial. Berkshire-style class shares (NYSE: BRK-B) were not involved. "
    "Its partner Frankfurt Bio AG (FSE: 9GM) and Paris Labs SA (Euronext Paris: ALPLB) took part; Paris Labs "
    "received EUR 5.2 million.\n\n"
    "Selected data\n(in thousands, except per share data)\n\n"
    "| | 2025 | 2024 |\n|---|---|---|\n"
    "| Revenue | $ 2,669,779 | $ 2,400,100 |\n"
    "| Operating expenses | 1,250,400 | (1,100,900) |\n"
    "| Net income per diluted share | $ 1.84 | $ 1.46 |\n"
)


def record(**changes: object) -> PressRelease:
    base = {
        "issuer": Issuer(name="Acme Therapeutics, Inc.", ticker="ACMT", exchange="NASDAQ"),
        "tickers": [Ticker(symbol="ACMT", exchange="NASDAQ")],
        "amounts": [Amount(value=50_000_000, currency="USD", text="$50,000,000")],
    }
    base.update(changes)
    return PressRelease(**base)


def errors(rec: PressRelease | dict) -> list[str]:
    return [f"{f.code} {f.path}" for f in validate(TEXT, rec).errors]


def _span_of(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def test_ticker_without_span_passes() -> None:
    assert errors(record(tickers=[Ticker(symbol="ACMT", exchange="NASDAQ", text=None, span=None)])) == []


def test_ticker_span_on_the_symbol_inside_its_listing_passes() -> None:
    start = TEXT.index("NASDAQ: ACMT") + len("NASDAQ: ")
    ticker = Ticker(symbol="ACMT", exchange="NASDAQ", text="ACMT", span=(start, start + 4))
    assert errors(record(tickers=[ticker])) == []


def test_ticker_span_on_a_bare_mention_is_caught() -> None:
    start = TEXT.index("ACMT will")
    ticker = Ticker(symbol="ACMT", exchange="NASDAQ", text="ACMT", span=(start, start + 4))
    assert errors(record(tickers=[ticker])) == ["SPAN_MISMATCH tickers[0].span"]


def test_amounts_written_from_table_cells_pass() -> None:
    cells = [
        Amount(value=2_669_779_000, currency="USD", text="$ 2,669,779", span=_span_of("$ 2,669,779")),
        Amount(value=1_250_400_000, currency="USD", text="1,250,400"),
        Amount(value=-1_100_900_000, currency="USD", text="(1,100,900)", span=_span_of("(1,100,900)")),
        Amount(value=1.84, currency="USD", text="$ 1.84"),
    ]
    assert errors(record(amounts=cells)) == []


def test_table_cell_without_the_caption_scale_is_caught() -> None:
    assert errors(record(amounts=[Amount(value=1_250_400, currency="USD", text="1,250,400")])) == [
        "SCALE_MISMATCH amounts[0].value"
    ]


def test_headline_amount_read_with_the_body_scale_passes() -> None:
    start = TEXT.index("$50 PIPE")
    assert errors(record(amounts=[Amount(value=50_000_000, currency="USD", text="$50", span=(start, start + 3))])) == []


def test_currency_written_with_spaces_passes() -> None:
    data = record().model_dump()
    data["amounts"] = [{"value": 5_200_000, "currency": " eur ", "text": "EUR 5.2 million"}]
    assert errors(data) == []
    data["amounts"] = [{"value": 5_200_000, "currency": "E U R", "text": None}]
    assert errors(data) == []


def test_wrong_currency_is_still_caught() -> None:
    assert errors(record(amounts=[Amount(value=5_200_000, currency="USD")])) == ["CURRENCY_MISMATCH amounts[0].currency"]


def test_digit_led_symbol_class_separators_and_printed_exchange_names_pass() -> None:
    tickers = [
        Ticker(symbol="9GM", exchange="FSE"),
        Ticker(symbol="BRK.B", exchange="NYSE"),
        Ticker(symbol="ALPLB", exchange="EURONEXT PARIS"),
    ]
    assert errors(record(tickers=tickers)) == []


def test_injected_ticker_errors_are_still_caught() -> None:
    assert errors(record(tickers=[Ticker(symbol="ZZQX", exchange="NASDAQ")])) == ["TICKER_NOT_IN_TEXT tickers[0].symbol"]
    assert errors(record(tickers=[Ticker(symbol="ALPLB", exchange="NYSE")])) == ["EXCHANGE_MISMATCH tickers[0].exchange"]
    assert errors(record(tickers=[Ticker(symbol="9gm", exchange="FSE")])) == ["MALFORMED_TICKER tickers[0].symbol"]


def test_invented_and_rescaled_amounts_are_still_caught() -> None:
    assert errors(record(amounts=[Amount(value=73_100_000, currency="USD")])) == ["UNSUPPORTED_AMOUNT amounts[0].value"]
    assert errors(record(amounts=[Amount(value=50_000, currency="USD")])) == ["SCALE_MISMATCH amounts[0].value"]


def test_amounts_written_in_cents_and_pence_pass() -> None:
    text = "Diluted EPS was 25 cents and the board declared a dividend of 20 cents per share; the UK arm paid 1.2 pence."
    record = PressRelease(
        issuer=Issuer(name="Acme"),
        amounts=[Amount(value=0.25, currency="USD"), Amount(value=0.20, currency="USD"), Amount(value=0.012, currency="GBP")],
    )
    assert validate(text, record).errors == []
    wrong = PressRelease(issuer=Issuer(name="Acme"), amounts=[Amount(value=25, currency="USD")])
    assert [f.code for f in validate(text, wrong).errors] == ["UNSUPPORTED_AMOUNT"]


LIST_TEXT = (
    "Northgate Analytics (TSX: NGA) guided revenue, EBITDA and net loss of £14.3M, (£0.4)M, and (£1.1), "
    "respectively. The fund has committed EUR 3.4bnNominal capacity of 2 GW. The shares are listed on the "
    "Toronto Stock Exchange under the symbol NGA.TO."
)


def test_list_scales_glued_scales_and_prose_suffix_listings_pass() -> None:
    """Issue #11 round 5 classes: a scale shared by a 'respectively' list or printed after the
    parentheses ("(£0.4)M"), a scale run into the next word ("3.4bnNominal"), a prose listing of a
    suffixed symbol. Correct values pass; the unscaled readings are caught."""
    amounts = [Amount(value=14.3e6, currency="GBP"), Amount(value=4e5, currency="GBP", text="(£0.4)M"),
               Amount(value=1.1e6, currency="GBP"), Amount(value=3.4e9, currency="EUR")]
    tickers = [Ticker(symbol="NGA", exchange="TSX"), Ticker(symbol="NGA.TO", exchange="Toronto Stock Exchange")]
    correct = PressRelease(issuer=Issuer(name="Northgate Analytics"), amounts=amounts, tickers=tickers)
    assert validate(LIST_TEXT, correct).errors == []
    for value, currency in ((0.4, "GBP"), (1.1, "GBP"), (3.4, "EUR")):
        wrong = PressRelease(issuer=Issuer(name="Northgate Analytics"), amounts=[Amount(value=value, currency=currency)])
        assert [f.code for f in validate(LIST_TEXT, wrong).errors] == ["SCALE_MISMATCH"]
