"""Ticker recognizer: listing formats, exchange normalisation, OCR noise, and non-listings."""

from __future__ import annotations

import pytest

from llmx.recognize.tickers import TickerMention, canonical_exchange, find_tickers


def listings(text: str) -> list[tuple[str, str, str]]:
    """(symbol, exchange, printed text) of every listing, checking each span on the way."""
    found = find_tickers(text)
    for mention in found:
        start, end = mention.span
        assert text[start:end] == mention.text
    return [(m.symbol, m.exchange, m.text) for m in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Acme Bio (Nasdaq: ACMB) today announced", [("ACMB", "NASDAQ", "Nasdaq: ACMB")]),
        ("Acme Bio (NASDAQ:ACMB)", [("ACMB", "NASDAQ", "NASDAQ:ACMB")]),
        ("shares of NYSE: XYZ rose", [("XYZ", "NYSE", "NYSE: XYZ")]),
        ("Minerals Corp (NYSE American: ABC)", [("ABC", "NYSE American", "NYSE American: ABC")]),
        ("Tiny Co (OTCQB: ABCD)", [("ABCD", "OTC", "OTCQB: ABCD")]),
        ("Tiny Co (OTCQX: ABCDF)", [("ABCDF", "OTC", "OTCQX: ABCDF")]),
        ("Tiny Co (OTC Pink: ABCD)", [("ABCD", "OTC", "OTC Pink: ABCD")]),
        ("Tiny Co (OTCMKTS: ABCD)", [("ABCD", "OTC", "OTCMKTS: ABCD")]),
        ("Miner (TSX-V: FOO)", [("FOO", "TSXV", "TSX-V: FOO")]),
        ("Miner (TSX.V: FOO)", [("FOO", "TSXV", "TSX.V: FOO")]),
        ("Miner (TSXV: FOO)", [("FOO", "TSXV", "TSXV: FOO")]),
        ("Miner (TSX Venture Exchange: FOO)", [("FOO", "TSXV", "TSX Venture Exchange: FOO")]),
        ("Miner (TSX: FOO.U)", [("FOO.U", "TSX", "TSX: FOO.U")]),
        ("Cannabis Co (CSE: WEED)", [("WEED", "CSE", "CSE: WEED")]),
        ("Lithium Ltd (ASX: LIT)", [("LIT", "ASX", "ASX: LIT")]),
        ("Plc (LSE: ABC)", [("ABC", "LSE", "LSE: ABC")]),
        ("Plc (AIM: ABC)", [("ABC", "AIM", "AIM: ABC")]),
        ("Plc (LSE/AIM: ABC)", [("ABC", "AIM", "LSE/AIM: ABC")]),
        ("Fund (Cboe: ABC)", [("ABC", "CBOE", "Cboe: ABC")]),
        ("Fund (Cboe Canada: ABC)", [("ABC", "CBOE", "Cboe Canada: ABC")]),
        ("GmbH (FSE: A1B)", [("A1B", "FSE", "FSE: A1B")]),
        ("GmbH (Frankfurt: XYZ)", [("XYZ", "FSE", "Frankfurt: XYZ")]),
        ("Conglomerate (NYSE: BRK.B)", [("BRK.B", "NYSE", "NYSE: BRK.B")]),
        ("Tech (Nasdaq Capital Market: ABC)", [("ABC", "NASDAQ", "Nasdaq Capital Market: ABC")]),
        ("Tech (NasdaqGS: ABC)", [("ABC", "NASDAQ", "NasdaqGS: ABC")]),
        ("Tel Aviv listed (TASE: ABC)", [("ABC", "TASE", "TASE: ABC")]),
        ("**Nasdaq:** ABC", [("ABC", "NASDAQ", "Nasdaq:** ABC")]),
    ],
)
def test_listing_formats(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert listings(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("(Nasdag: IMGN)", [("IMGN", "NASDAQ", "Nasdag: IMGN")]),
        ("(NASDAO: IMGN)", [("IMGN", "NASDAQ", "NASDAO: IMGN")]),
        ("(NYSE Arnerican: ABC)", [("ABC", "NYSE American", "NYSE Arnerican: ABC")]),
        ("(0TCQB: ABCD)", [("ABCD", "OTC", "0TCQB: ABCD")]),
        ("(Nasdaq Capita1 Market: ABC)", [("ABC", "NASDAQ", "Nasdaq Capita1 Market: ABC")]),
    ],
)
def test_ocr_garbled_exchange_names(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert listings(sentence) == expected


def test_several_listings_in_one_parenthesis() -> None:
    assert listings("Acme (NASDAQ: AAA; TSX: AAA) and Beta (TSXV: ABC | OTCQB: ABCDF)") == [
        ("AAA", "NASDAQ", "NASDAQ: AAA"),
        ("AAA", "TSX", "TSX: AAA"),
        ("ABC", "TSXV", "TSXV: ABC"),
        ("ABCDF", "OTC", "OTCQB: ABCDF"),
    ]


def test_dual_listing_in_two_parentheses_keeps_print_order() -> None:
    assert listings("Silver Co (TSX: SVR) (NYSE American: SVR)") == [
        ("SVR", "TSX", "TSX: SVR"),
        ("SVR", "NYSE American", "NYSE American: SVR"),
    ]


def test_several_symbols_after_one_exchange() -> None:
    assert listings("Holding (NYSE: BRK.A, BRK.B)") == [("BRK.A", "NYSE", "NYSE: BRK.A"), ("BRK.B", "NYSE", "BRK.B")]


def test_symbol_list_outside_parentheses_is_not_extended() -> None:
    assert listings("It trades as NASDAQ: ABC, CEO Jane Doe said") == [("ABC", "NASDAQ", "NASDAQ: ABC")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The company is listed on the NYSE (NMAX) and", [("NMAX", "NYSE", "NYSE (NMAX)")]),
        ("Listed on the Nasdaq (ABC)", [("ABC", "NASDAQ", "Nasdaq (ABC)")]),
        (
            'It trades on the Nasdaq Capital Market under the symbol "ABCD".',
            [("ABCD", "NASDAQ", 'Nasdaq Capital Market under the symbol "ABCD"')],
        ),
    ],
)
def test_prose_listings(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert listings(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Source: ABC News",
        "NOTE: The offering is subject to approval.",
        "Contact: IR Department",
        "Markets: ABC",
        "The meeting starts at 10:30 AM.",
        "the next CELH of brain health",
        "Shares trade on the New York Stock Exchange (NYSE) and the Toronto Stock Exchange (TSX).",
        "Read https://example.com/nasdaq-abc",
    ],
)
def test_not_listings(sentence: str) -> None:
    assert listings(sentence) == []


def test_unicode_noise_does_not_move_spans() -> None:
    text = "\u201cAcme\u201d\u00a0(\uff2e\uff21\uff33\uff24\uff21\uff31\uff1a\u00a0ACME) and (NYSE\u200b: XYZ)"
    found = find_tickers(text)
    assert [(m.symbol, m.exchange) for m in found] == [("ACME", "NASDAQ"), ("XYZ", "NYSE")]
    assert [text[m.span[0] : m.span[1]] for m in found] == [m.text for m in found]


@pytest.mark.parametrize(
    ("label", "canonical"),
    [
        ("Nasdaq", "NASDAQ"),
        ("NASDAQ Global Select Market", "NASDAQ"),
        ("Nasdag", "NASDAQ"),
        ("New York Stock Exchange", "NYSE"),
        ("NYSE MKT", "NYSE American"),
        ("OTC Markets", "OTC"),
        ("Pink Sheets", "OTC"),
        ("TSX Venture", "TSXV"),
        ("Toronto Stock Exchange", "TSX"),
        ("Canadian Securities Exchange", "CSE"),
        ("Xetra", "FSE"),
        ("HKEX", "HKEX"),
        ("Contact", None),
        ("Markets", None),
        ("Inc", None),
    ],
)
def test_canonical_exchange(label: str, canonical: str | None) -> None:
    assert canonical_exchange(label) == canonical


def test_mention_serialises() -> None:
    (mention,) = find_tickers("Acme (Nasdaq: ACMB)")
    assert isinstance(mention, TickerMention)
    assert mention.to_dict() == {"type": "ticker", "symbol": "ACMB", "exchange": "NASDAQ", "text": "Nasdaq: ACMB", "span": [6, 18]}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Acme AG (FSE: 4AB) today", [("4AB", "FSE", "FSE: 4AB")]),
        ("Acme AG (Xetra: 7XY, A2C)", [("7XY", "FSE", "Xetra: 7XY"), ("A2C", "FSE", "A2C")]),
        ("Acme Ltd (ASX: 3DP)", [("3DP", "ASX", "ASX: 3DP")]),
        ("Acme plc (LSE: 2XL)", [("2XL", "LSE", "LSE: 2XL")]),
        ("Acme Holdings (HKEX: 0388)", [("0388", "HKEX", "HKEX: 0388")]),
        ("Acme KK (TSE: 6758) and (TYO: 285A)", [("6758", "TSE", "TSE: 6758"), ("285A", "TYO", "TYO: 285A")]),
        ("Acme is listed on the Frankfurt Stock Exchange (2QZ).", [("2QZ", "FSE", "Frankfurt Stock Exchange (2QZ)")]),
    ],
)
def test_digit_led_symbols_on_exchanges_that_issue_them(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert listings(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    ["results (NYSE: 2025)", "a beat (Nasdaq: 4Q)", "Miner (TSX: 1AB)", "Tiny Co (OTCQB: 0123)", "listed on the NYSE (3M)"],
)
def test_digit_led_symbols_are_not_north_american_listings(sentence: str) -> None:
    assert listings(sentence) == []


def test_digit_led_symbol_beside_letter_listings() -> None:
    assert [(s, e) for s, e, _ in listings("Herb Co (CSE: HRB) (OTC Pink: HRBTF) (FSE: 8HB)")] == [
        ("HRB", "CSE"),
        ("HRBTF", "OTC"),
        ("8HB", "FSE"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Its shares are traded on the New York Stock Exchange (NYSE).",
        "The stock has been listed on the Nasdaq Global Market (NASDAQ) since 2019.",
        "The units are listed on the Toronto Stock Exchange (TSX).",
    ],
)
def test_prose_naming_the_exchange_twice_is_no_listing(sentence: str) -> None:
    """The abbreviation in parentheses after an exchange's full name is that exchange, not a symbol."""
    assert listings(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Borealis Mining Corp. (OTC: $BRMC) today", [("BRMC", "OTC", "OTC: $BRMC")]),
        ("Quillfeather Labs (NASDAQ: $QFLB) reported", [("QFLB", "NASDAQ", "NASDAQ: $QFLB")]),
        ("Tinderbox Energy, OTCQB: $TNDX, closed", [("TNDX", "OTC", "OTCQB: $TNDX")]),
        ("Cobalt Reach (OTCQB:$CBRH) signed", [("CBRH", "OTC", "OTCQB:$CBRH")]),
        ("Harrow Peak (CSE: $HPK, $HPKX) began", [("HPK", "CSE", "CSE: $HPK"), ("HPKX", "CSE", "HPKX")]),
        ("Lithium Ltd (ASX: $120 million raise)", []),  # a cashtag is letter-led: an amount is no symbol
    ],
)
def test_a_cashtag_inside_a_listing_is_its_symbol(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert listings(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            'Its common stock and warrants trade on the NYSE American under the symbols "GLNT" and "GLNT WS", respectively.',
            [("GLNT", "NYSE American"), ("GLNT WS", "NYSE American")],
        ),
        (
            "Its Class A common stock, units and warrants trade on Nasdaq under the symbols \u201cORBX,\u201d \u201cORBXU\u201d "
            "and \u201cORBXW,\u201d respectively.",
            [("ORBX", "NASDAQ"), ("ORBXU", "NASDAQ"), ("ORBXW", "NASDAQ")],
        ),
        (
            'The units are listed on the NYSE under the symbol "KSPC.U" and the warrants under the symbol "KSPC WS".',
            [("KSPC.U", "NYSE"), ("KSPC WS", "NYSE")],
        ),
        ('The Series A preferred stock trades on the NYSE under the symbol "HLMP PRA".', [("HLMP PRA", "NYSE")]),
        (
            'Glintwood Corp. (NYSE American: GLWD) will see its warrants, listed under the ticker symbol "GLWD WS", delisted.',
            [("GLWD", "NYSE American"), ("GLWD WS", "NYSE American")],
        ),
        (
            "Pellucid Bio (Nasdaq: PLCB) will redeem its public warrants, which are traded under the symbol PLCBW.",
            [("PLCB", "NASDAQ"), ("PLCBW", "NASDAQ")],
        ),
        # no exchange in reach and not built on a listed symbol: no listing
        ("Pellucid Bio (Nasdaq: PLCB) said its partner's warrants trade under the symbol QRSTW.", [("PLCB", "NASDAQ")]),
        # a space-separated suffix only inside quotes; a comma list only of quoted symbols
        ("Its shares trade on the NYSE under the symbol GLNT WS holders", [("GLNT", "NYSE")]),
        ("Its shares trade on Nasdaq under the symbol ABCD, FDA approval pending", [("ABCD", "NASDAQ")]),
    ],
)
def test_warrant_unit_and_preferred_symbols_named_in_words(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(symbol, exchange) for symbol, exchange, _ in listings(sentence)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the symbol ends its sentence; the next one says where the company that the symbol's sentence names trades
        (
            "The combined holding company will be known as Halden Bancorp, Inc. and trade under its existing "
            "symbol of HLDB. Halden Bancorp, Inc. currently trades on OTCPK and will apply for the OTCQX.",
            [("HLDB", "OTC", "HLDB")],
        ),
        ("After the merger it will trade under the symbol HLDB. It currently trades on the OTCQB.", [("HLDB", "OTC", "HLDB")]),
        ("Its stock will trade under its current symbol HLDB on the OTCQX.", [("HLDB", "OTC", "HLDB")]),
        # another company's listing in the next sentence, or a subject far from its verb: no listing
        ("Halden Bancorp will trade under the symbol HLDB. Rival Corp. also trades on Nasdaq.", []),
        ("It will trade under the symbol HLDB. It said that its rival also trades on Nasdaq.", []),
        ("It will trade under the symbol HLDB, and Rival Corp. trades on Nasdaq.", []),
    ],
)
def test_a_symbol_whose_exchange_the_next_sentence_names(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert listings(text) == expected
