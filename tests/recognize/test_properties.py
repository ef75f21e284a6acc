"""Property tests: spans always index the original text, no crash on any input, values round-trip."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmx.recognize import find_money, find_tickers, recognize
from llmx.recognize.text import label_key, normalize, ocr_fold_key
from llmx.recognize.tickers import MARKET_SUFFIXES

# Text that looks like press-release fragments mixed with arbitrary Unicode noise.
_FRAGMENTS = st.sampled_from(
    [
        "$", "US$", "C$", "€", "£", "¥", "USD ", "EUR ", " million", " Million", "bn", "M", "K", " billion",
        " dollars", " euros", "(NASDAQ: ", "(Nasdag:", "NYSE American: ", "OTCQB: ", "TSX-V: ", ")", "; ", " | ",
        "1", "2.5", "1,000", "0.35", "10-12", " to ", " and ", "between ", "%", " per share", "ABC", "BRK.B",
        "\u00a0", "\u2009", "\u2013", "\u2014", "\u00ad", "\u200b", "\ufb01", "\uff04", "\uff11", "\uff1a",
        "\u201c", "\u201d", "\n", "\n\n", "| ", "(in thousands)", "https://x.io/", "two ",
    ]
)
_NOISY_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=6)), max_size=30).map("".join)
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_NOISY_TEXT)
def test_spans_index_the_original_text(text: str) -> None:
    for mention in recognize(text).money + recognize(text).tickers:
        start, end = mention.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == mention.text


@_SETTINGS
@given(st.text())
def test_no_crash_on_arbitrary_unicode(text: str) -> None:
    mentions = recognize(text)
    for mention in mentions.money:
        assert mention.value >= 0 and math.isfinite(mention.value)
        assert len(mention.currency) == 3
    assert all(mention.symbol for mention in mentions.tickers)


@_SETTINGS
@given(st.text())
def test_normalized_spans_map_inside_the_original(text: str) -> None:
    normalized = normalize(text)
    for start in range(len(normalized.text)):
        o_start, o_end = normalized.span(start, start + 1)
        assert 0 <= o_start <= o_end <= len(text)


_VALUES = st.decimals(min_value="0.01", max_value="999999999.99", places=2).map(float)
_MILLIONS = st.decimals(min_value="0.1", max_value="999.9", places=1).map(float)


def _only_value(text: str) -> tuple[float, str]:
    (mention,) = find_money(text)
    return mention.value, mention.currency


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9)


@_SETTINGS
@given(_VALUES)
def test_round_trip_grouped_dollars(value: float) -> None:
    found, currency = _only_value(f"The company paid ${value:,.2f} in cash.")
    assert _close(found, value) and currency == "USD"


@_SETTINGS
@given(_MILLIONS)
def test_round_trip_millions(value: float) -> None:
    found, _ = _only_value(f"It raised ${value:g} million last year.")
    assert _close(found, value * 1e6)


@_SETTINGS
@given(_MILLIONS, st.sampled_from([("€", "EUR"), ("C$", "CAD"), ("£", "GBP"), ("US$", "USD"), ("A$", "AUD")]))
def test_round_trip_currency_signs(value: float, sign: tuple[str, str]) -> None:
    symbol, code = sign
    found, currency = _only_value(f"a {symbol}{value:g} billion programme")
    assert _close(found, value * 1e9) and currency == code


@_SETTINGS
@given(_VALUES, st.sampled_from(["USD", "EUR", "CHF", "SEK", "JPY"]))
def test_round_trip_iso_codes_before_and_after(value: float, code: str) -> None:
    assert _only_value(f"about {code} {value:,.2f} was paid") == (value, code)
    assert _only_value(f"about {value:,.2f} {code} was paid") == (value, code)


@_SETTINGS
@given(
    st.from_regex(r"[A-Z]{2,5}(\.[A-Z])?", fullmatch=True),
    st.sampled_from([("NASDAQ", "NASDAQ"), ("NYSE American", "NYSE American"), ("OTCQB", "OTC"), ("TSX.V", "TSXV")]),
)
def test_round_trip_listing(symbol: str, exchange: tuple[str, str]) -> None:
    printed, canonical = exchange
    (mention,) = find_tickers(f"Acme Corp. ({printed}: {symbol}) announced")
    base, _, suffix = symbol.partition(".")
    own_market = canonical in MARKET_SUFFIXES.get(suffix, ())  # "TSXV: AA.V" is AA: the suffix repeats the exchange
    assert (mention.symbol, mention.exchange) == (base if own_market else symbol, canonical)


@_SETTINGS
@given(_MILLIONS, st.sampled_from(["\u00a0", "\u2009", "\u202f", " "]))
def test_unicode_spaces_do_not_change_values(value: float, space: str) -> None:
    text = f"\u201cAcme\u201d raised ${value:g}{space}million \u2013 more than expected"
    (mention,) = find_money(text)
    assert _close(mention.value, value * 1e6)
    assert text[mention.span[0] : mention.span[1]] == mention.text


def test_normalize_folds_noise_and_maps_offsets_back() -> None:
    text = "a\u00adb\u2013c \uff04\uff11\u200bx\u00a0\u201cy\u201d"
    normalized = normalize(text)
    assert normalized.text == 'ab-c $1x "y"'
    assert [text[slice(*normalized.span(i, i + 1))] for i in range(len(normalized.text))] == list(
        "ab\u2013c \uff04\uff11x\u00a0\u201cy\u201d"
    )
    assert normalize("plain ascii").span(3, 7) == (3, 7)


def test_exchange_label_keys() -> None:
    assert label_key("TSX-V") == label_key("TSX.V") == label_key("tsx v") == "TSXV"
    assert ocr_fold_key(label_key("NYSE Arnerican")) == "NYSEAMERICAN"
    assert ocr_fold_key("0TCQB") == "OTCQB"
