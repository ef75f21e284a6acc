"""Money and listing formats from issue #11: sentences written for these tests."""

from __future__ import annotations

import pytest

from llmx.recognize import find_money, find_tickers


def amounts(text: str) -> list[tuple[str, float, str]]:
    return [(m.text, m.value, m.currency) for m in find_money(text)]


def assert_amounts(sentence: str, expected: list[tuple[str, float, str]]) -> None:
    """Texts and currencies exactly as expected, values within a relative 1e-9."""
    found = amounts(sentence)
    assert [(t, c) for t, _, c in found] == [(t, c) for t, _, c in expected]
    assert all(abs(v - e) <= 1e-9 * max(1.0, e) for (_, v, _), (_, e, _) in zip(found, expected))


def listings(text: str) -> list[tuple[str, str, str]]:
    return [(t.symbol, t.exchange, t.text) for t in find_tickers(text)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The group has raised $3+ billion since 2019.", [("$3+ billion", 3e9, "USD")]),
        ("It won a grant of AU $1.9 million from the state.", [("AU $1.9 million", 1.9e6, "AUD")]),
        ("Bonds of HK $250 million and HK$12.5 million.", [("HK $250 million", 2.5e8, "HKD"), ("HK$12.5 million", 1.25e7, "HKD")]),
        ("Revenue was RMB456.2 million (US$62.5 million).", [("RMB456.2 million", 4.562e8, "CNY"), ("US$62.5 million", 6.25e7, "USD")]),
        ("The lease costs RMB 8.73 million a year.", [("RMB 8.73 million", 8.73e6, "CNY")]),
        ("The board declared a dividend of US$0.05 per share.", [("US$0.05", 0.05, "USD")]),
        ("EBITDA was $(24.4M) against $126.3M.", [("$(24.4M)", 2.44e7, "USD"), ("$126.3M", 1.263e8, "USD")]),
        ("The token fee was $9,93 on launch day.", [("$9,93", 9.93, "USD")]),
        ("Tokyo sales reached ¥500 million.", [("¥500 million", 5e8, "JPY")]),
    ],
)
def test_money_formats(sentence: str, expected: list[tuple[str, float, str]]) -> None:
    assert_amounts(sentence, expected)


def test_yen_sign_is_yuan_in_a_text_that_names_the_yuan_only() -> None:
    assert amounts("Sales of RMB 6 million and ¥20 million in Shanghai.")[1][2] == "CNY"
    assert amounts("Sales of ¥20 million, or 20 million yen, in Osaka.")[0][2] == "JPY"


@pytest.mark.parametrize("sentence", ["A $5 million round closed.", "Its Series C $10 million round closed."])
def test_a_spaced_single_letter_before_the_sign_is_a_word_not_a_currency(sentence: str) -> None:
    assert [c for _, _, c in amounts(sentence)] == ["USD"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Townhomes are priced from the low $500s in phase one.", []),
        ("Villas start in the high $900,000s.", []),
        ("Estates start in the mid $3 millions, lots at $250,000.", [("$250,000", 2.5e5, "USD")]),
        ("Condos range from the $600s - $1.1 million.", [("$1.1 million", 1.1e6, "USD")]),
        ("Buyers who skip spending a few hundred dollars on paint lose more.", []),
        ("Members save several thousand dollars a year.", []),
        ("Fixing it costs two hundred dollars.", [("two hundred dollars", 200, "USD")]),
        ("Sales were $4 millions in the year.", [("$4 millions", 4e6, "USD")]),  # a plural scale alone is not a band
        ("It is a billion-dollar opportunity in a trillion-dollar market.", []),
        ("The team built two billion-dollar firms.", []),  # two firms, each "billion-dollar"
        ("They sold a two-billion-dollar stake.", [("a two-billion-dollar", 2e9, "USD")]),  # "a" is the article
        ("The state cut half a billion dollars of aid.", [("half a billion dollars", 5e8, "USD")]),
        ("It raised a quarter of a million euros.", [("a quarter of a million euros", 2.5e5, "EUR")]),
    ],
)
def test_price_bands_vague_and_fractional_spelled_sums(sentence: str, expected: list[tuple[str, float, str]]) -> None:
    assert_amounts(sentence, expected)


def test_headline_amount_takes_the_scale_the_body_prints() -> None:
    text = "Acme Lands $50 PIPE Deal\n\nAcme Corp. raised $50,000,000 in a private placement."
    assert [v for _, v, _ in amounts(text)] == [50_000_000, 50_000_000]


def test_headline_amount_without_a_matching_body_amount_stays_as_printed() -> None:
    text = "Acme Cuts Price to $50\n\nThe device now sells for fifty dollars less than before; 50,000 units shipped."
    assert amounts(text)[0][:2] == ("$50", 50)


def test_scaling_a_body_amount_is_not_done() -> None:
    text = "Acme raises money\n\nAcme sold units at $50 each and raised $50,000,000."
    assert [v for _, v, _ in amounts(text)] == [50, 50_000_000]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Its shares trade on the Hong Kong Stock Exchange (Stock code: 0775).",
         [("0775", "HKEX", "Hong Kong Stock Exchange (Stock code: 0775")]),
        ("Acme Holdings (HKEX: 1234) today announced", [("1234", "HKEX", "HKEX: 1234")]),
        ("Acme AG (BF: AC7) today announced", [("AC7", "FSE", "BF: AC7")]),
        ("Acme AG (Börse Frankfurt: 4AB) today announced", [("4AB", "FSE", "Börse Frankfurt: 4AB")]),
        ("Acme AG (XETRA: ACX) today announced", [("ACX", "FSE", "XETRA: ACX")]),
        ("Acme SA (Euronext Paris: ALACM) today announced", [("ALACM", "Euronext Paris", "Euronext Paris: ALACM")]),
        ("Acme Inc. (NEO: ACME) today announced", [("ACME", "CBOE", "NEO: ACME")]),
        ("Acme is listed on the TSX Venture Exchange under the symbol \"ACM\".",
         [("ACM", "TSXV", "TSX Venture Exchange under the symbol \"ACM\"")]),
        ("Acme is quoted on OTC Markets under the ticker ACMEF.", [("ACMEF", "OTC", "OTC Markets under the ticker ACMEF")]),
        ("Units trade on Nasdaq under the symbols “ACMU” and “ACMW”.",
         [("ACMU", "NASDAQ", "Nasdaq under the symbols “ACMU"), ("ACMW", "NASDAQ", "ACMW")]),
        ("Vanguard Ltd. (VGL: CSE) (VGLF: OTC) announced", [("VGL", "CSE", "VGL: CSE"), ("VGLF", "OTC", "VGLF: OTC")]),
        ("Silverco (NYSE-A/TSX: SVC) reported", [("SVC", "NYSE American", "NYSE-A/TSX: SVC")]),
        ("Green Co. (CNX: GRN) (CVE: GRV) (OTCM: GRNF)", [("GRN", "CSE", "CNX: GRN"), ("GRV", "TSXV", "CVE: GRV"), ("GRNF", "OTC", "OTCM: GRNF")]),
    ],
)
def test_listing_formats(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert listings(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the exchange after the symbol
        ("Its shares began to trade under the ticker symbol ACMX on the Nasdaq Global Market today.",
         [("ACMX", "NASDAQ", "ACMX")]),
        ("The stock will keep trading under the symbol “ACMQ” on the OTCQB after the split.", [("ACMQ", "OTC", "ACMQ")]),
        # the exchange earlier in the same clause
        ("Units should begin trading on Nasdaq soon after the merger under the symbols “ACMU” and “ACMW”.",
         [("ACMU", "NASDAQ", "Nasdaq soon after the merger under the symbols “ACMU"), ("ACMW", "NASDAQ", "ACMW")]),
        ("Shares will trade on the NYSE on May 2, 2026, under the symbol “ACM”.",
         [("ACM", "NYSE", "NYSE on May 2, 2026, under the symbol “ACM")]),
        # "(SYM) is listed on EXCHANGE"
        ("Helvetica Power (HPWR) is listed on the SIX Swiss Exchange.",
         [("HPWR", "SIX Swiss Exchange", "HPWR) is listed on the SIX Swiss Exchange")]),
        ("Acme (ACMF) is quoted on the OTCQX.", [("ACMF", "OTC", "ACMF) is quoted on the OTCQX")]),
        ("Orion Acquisition Corp. (ORAC), a Nasdaq-listed SPAC, will merge.", [("ORAC", "NASDAQ", "ORAC), a Nasdaq")]),
        # the exchange label followed by "ticker"/"symbol" before the colon
        ("Acme (Nasdaq ticker: ACMT) and Beta (OTC trading symbol: BTAF) said.",
         [("ACMT", "NASDAQ", "Nasdaq ticker: ACMT"), ("BTAF", "OTC", "OTC trading symbol: BTAF")]),
        # several exchanges before one colon: the one printed first counts
        ("Tellco Inc. (NYSE, Nasdaq: TLC) and Orex (TSX and NYSE American: ORX) said.",
         [("TLC", "NYSE", "NYSE, Nasdaq: TLC"), ("ORX", "TSX", "TSX and NYSE American: ORX")]),
        # quote-vendor suffix symbols
        ("Fibra Group (FBRG.MI) reported results.", [("FBRG", "Borsa Italiana", "FBRG.MI")]),
        ("Dragon Holdings (1234.HK) and Maple Corp (MPL.TO) signed.",
         [("1234", "HKEX", "1234.HK"), ("MPL", "TSX", "MPL.TO")]),
        # Shenzhen / Shanghai codes
        ("Customers include Lotus Pharma (SHE: 000123) and Jade Foods (SHA: 600123).",
         [("000123", "SHE", "SHE: 000123"), ("600123", "SHA", "SHA: 600123")]),
        # more European venue labels (kept as printed) and XETR
        ("Acme AG (XETR: AC1; Börse Stuttgart: AC1S; Tradegate: AC1T) reported.",
         [("AC1", "FSE", "XETR: AC1"), ("AC1S", "Börse Stuttgart", "Börse Stuttgart: AC1S"), ("AC1T", "Tradegate", "Tradegate: AC1T")]),
        ("Acme SA (Euronext Growth Paris: ALACX) and Fjord ASA (Oslo Børs: FJRD) signed.",
         [("ALACX", "Euronext Growth Paris", "Euronext Growth Paris: ALACX"), ("FJRD", "Oslo Børs", "Oslo Børs: FJRD")]),
        # a stock-code label whose symbol carries the exchange suffix
        ("Lotus Insurance (Stock Code: 2319.HK) reported.", [("2319", "HKEX", "Stock Code: 2319.HK")]),
        # further symbols after a semicolon, but never an exchange label
        ("Acme Acquisition Co. (Nasdaq: ACQ; ACQU and ACQW) merged.",
         [("ACQ", "NASDAQ", "Nasdaq: ACQ"), ("ACQU", "NASDAQ", "ACQU"), ("ACQW", "NASDAQ", "ACQW")]),
        ("Acme (TSXV: ACV; OTCQB) reported.", [("ACV", "TSXV", "TSXV: ACV")]),
        # a sentence glued to the symbol
        ("Acme trades on the OTC Markets under the ticker symbol ACMZ.This release is not an offer.",
         [("ACMZ", "OTC", "OTC Markets under the ticker symbol ACMZ")]),
    ],
)
def test_listing_formats_seen_on_unseen_releases(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert listings(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The stock will continue to trade under the symbol “ACME” after the split.",  # no exchange named
        "Acme Inc. (Stock Symbol: ACGX) is a holding company.",
        "Direxion Daily Bull 2X Shares (Ticker: AIBU) seek daily results.",
        "Acme AG (WKN: A2PBHR; ISIN: AT0000A25NJ6) reported.",
        "Doors open at 10:00 (ET: NOW) for guests.",
        "Acme has applied to the NYSE to trade under the symbol “ACM”.",  # no "on EXCHANGE" before the symbol
        "Shares are listed on Nasdaq. The stock will continue to trade under the symbol ACME.",  # another sentence
        "She said (SHE: 12345) nothing; the SHA: ABC line.",  # short Chinese labels need a six-digit code
        "The team (U.S) and (A.V) and (BRK.B) met.",  # no exchange suffix, or a one-letter symbol
        "The fund (QVOL) is listed in the annual report.",
        "Acme Corp. (ACMX), a Delaware-listed filer, and Beta (BTX), a publicly listed firm.",
    ],
)
def test_symbols_without_an_exchange_are_not_listings(sentence: str) -> None:
    assert listings(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A share-class label names no exchange; the symbol's market suffix does.
        (
            "Qingdao Lantern Co., Ltd. (A-share: 601234.SH; H-share: 02345.HK; D-share: 612D.DE) reported.",
            [("601234", "SSE", "A-share: 601234.SH"), ("02345", "HKEX", "H-share: 02345.HK"), ("612D", "FSE", "D-share: 612D.DE")],
        ),
        ("Shenzhen Kite (B shares: 200058.SZ) said.", [("200058", "SZSE", "B shares: 200058.SZ")]),
        # A suffix naming the listing's own market is the exchange again: the symbol goes without it.
        ("Lumen AG (XETRA: 7QX.DE) said.", [("7QX", "FSE", "XETRA: 7QX.DE")]),
        ("Arbor Ltd (TASE: ARBR.TA) said.", [("ARBR", "TASE", "TASE: ARBR.TA")]),
        # Any other ending is part of the symbol: a class letter, or another market's suffix.
        ("Harlan Group (NYSE: HRL.B) said.", [("HRL.B", "NYSE", "NYSE: HRL.B")]),
        ("Pine Corp (TSX: PNE.V) said.", [("PNE.V", "TSX", "TSX: PNE.V")]),
    ],
)
def test_share_class_labels_and_market_suffixes(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(m.symbol, m.exchange, m.text) for m in find_tickers(sentence)] == expected


def test_a_share_class_label_needs_a_market_suffix() -> None:
    assert find_tickers("Holders of A-share: 601234 may vote; B shares: 12 votes each.") == []
