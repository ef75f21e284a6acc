"""Consistency checks for llmx's own evaluation set (evals/press_releases) and the sample release.

The gold was written by hand; these tests re-derive what they can from the document text with an
independent, deliberately simple amount/listing scanner (not llmx's recognizers, so a recognizer
bug cannot hide a gold error) and fail on any disagreement: amounts whose `text` is not printed,
does not parse to the stated value, is not the first printed form, or printed amounts the gold
forgot; listings the gold forgot; ids, README table and sample record out of step.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

import pytest

from llmx.schema import KINDS, STATUSES, PressRelease

from support import ROOT  # noqa: E402
EVAL_DIR = ROOT / "evals" / "press_releases"
SAMPLE_TEXT = ROOT / "examples" / "sample_press_release.txt"
SAMPLE_EXPECTED = ROOT / "examples" / "sample_press_release.expected.json"

CURRENCIES = {"USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY"}
EXCHANGES = {"NASDAQ", "NYSE", "NYSE American", "OTC", "TSX", "TSXV", "CSE", "ASX", "LSE", "AIM", "CBOE", "FSE"}

# --- an independent amount scanner covering exactly the forms this set uses -----------------
_CURRENCY_SIGNS = {
    "US$": "USD", "USD": "USD", "C$": "CAD", "CA$": "CAD", "CAD": "CAD", "A$": "AUD", "AUD": "AUD",
    "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP", "CHF": "CHF", "¥": "JPY", "JPY": "JPY", "$": "USD",
}
_CUR = "(?:" + "|".join(re.escape(s) for s in sorted(_CURRENCY_SIGNS, key=len, reverse=True)) + ")"
_NUM = r"\(?\d[\d,]*(?:\.\d+)?\)?"
# Scale words, including the OCR corruptions documented in evals/press_releases/README.md.
_SCALES = {
    r"[mM]illion|rnillion|miIlion|mi1lion|mil-\n\s*lion": 1e6,
    r"[bB]illion|bi1lion": 1e9,
    r"[tT]housand": 1e3,
    r"bn": 1e9,
    r"M": 1e6,
    r"B": 1e9,
    r"K": 1e3,
}
_SCALE = "(?:" + "|".join(f"(?:{pattern})" for pattern in _SCALES) + r")(?![A-Za-z])"
_MONEY = re.compile(
    rf"(?<![A-Za-z])(?P<cur>{_CUR})\s?(?P<n1>{_NUM})"
    rf"(?:\s?(?:-|–|to|and)\s?(?:(?P<cur2>{_CUR})\s?)?(?P<n2>{_NUM}))?"
    rf"(?:[\s-]?(?P<scale>{_SCALE}))?"
)
_URL = re.compile(r"https?://\S+|www\.\S+")


@dataclass(frozen=True)
class Mention:
    value: float
    currency: str
    start: int  # where the whole match (a range counts as one match) starts


def _number(raw: str) -> float:
    return float(raw.strip("()").replace(",", ""))


def _scale(word: str | None) -> float:
    if not word:
        return 1.0
    return next(factor for pattern, factor in _SCALES.items() if re.fullmatch(pattern, word))


def scan_money(text: str, thousands_rows: bool = False) -> list[Mention]:
    """Every currency amount in `text` outside URLs; range bounds share the scale word.

    With `thousands_rows`, amounts on Markdown table rows that follow an "(in thousands" caption
    are scaled by 1,000 (except per-share rows), as the set's README prescribes.
    """
    urls = [m.span() for m in _URL.finditer(text)]
    # "All dollar amounts ... are in Canadian dollars" makes a bare "$" CAD (shared README rule).
    bare_dollar = "CAD" if re.search(r"in Canadian dollars unless otherwise", text) else "USD"
    thousand_from = text.find("in thousands") if thousands_rows else -1
    mentions = []
    for match in _MONEY.finditer(text):
        if any(a <= match.start() < b for a, b in urls):
            continue
        factor = _scale(match.group("scale"))
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start : text.find("\n", match.start())]
        if 0 <= thousand_from < match.start() and line.startswith("|") and "per share" not in line and factor == 1.0:
            factor = 1e3
        sign = match.group("cur")
        currency = bare_dollar if sign == "$" else _CURRENCY_SIGNS[sign]
        mentions.append(Mention(_number(match.group("n1")) * factor, currency, match.start()))
        if match.group("n2"):
            # A bound with its own sign ("$10 to $12 million") is printed from that sign on.
            start = match.start("cur2") if match.group("cur2") else match.start()
            mentions.append(Mention(_number(match.group("n2")) * factor, currency, start))
    return mentions


def close(a: float, b: float) -> bool:
    """Equal up to float noise: gold values are exact ($2.999 and $3.00 are distinct amounts)."""
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


# --- listings ------------------------------------------------------------------------------
_EXCHANGE_FORMS = {
    "NYSE American": "NYSE American", "NYSE Arnerican": "NYSE American", "NYSE": "NYSE",
    "NASDAQ": "NASDAQ", "Nasdaq": "NASDAQ", "Nasdag": "NASDAQ", "NASDAO": "NASDAQ", "NASDAG": "NASDAQ",
    "OTCQB": "OTC", "OTCQX": "OTC", "OTCOB": "OTC", "OTC Pink": "OTC", "OTC": "OTC",
    "TSX.V": "TSXV", "TSX-V": "TSXV", "TSXV": "TSXV", "TSX": "TSX",
    "CSE": "CSE", "ASX": "ASX", "LSE": "LSE", "AIM": "AIM", "FSE": "FSE",
    "Cboe Canada": "CBOE", "Cboe": "CBOE", "CBOE": "CBOE",
}
_LISTING = re.compile(
    r"\b(?P<ex>" + "|".join(re.escape(f) for f in sorted(_EXCHANGE_FORMS, key=len, reverse=True)) + r")"
    r"\s?:\s?(?P<sym>[A-Z0-9][A-Z0-9.]{0,6})\b"
)


def scan_listings(text: str) -> dict[str, str]:
    """symbol -> canonical exchange of its first printed listing."""
    found: dict[str, str] = {}
    for match in _LISTING.finditer(text):
        found.setdefault(match.group("sym").rstrip("."), _EXCHANGE_FORMS[match.group("ex")])
    return found


# --- fixtures --------------------------------------------------------------------------------
def _load() -> list[tuple[dict, str]]:
    records = [json.loads(line) for line in (EVAL_DIR / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r, (EVAL_DIR / "docs" / f"{r['id']}.txt").read_text(encoding="utf-8")) for r in records]


GOLD = _load()
IDS = [record["id"] for record, _ in GOLD]


def _readme_rows() -> dict[str, str]:
    readme = (EVAL_DIR / "README.md").read_text(encoding="utf-8")
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| (own-\d{3}) \|.*$", readme, re.M)}


# --- set-level checks ------------------------------------------------------------------------
def test_ids_unique_sorted_and_match_documents():
    assert len(IDS) == len(set(IDS)), "duplicate ids in gold.jsonl"
    assert IDS == sorted(IDS)
    files = sorted(p.stem for p in (EVAL_DIR / "docs").glob("*.txt"))
    assert files == IDS, "every doc needs exactly one gold line and vice versa"
    assert len(IDS) >= 30


def test_readme_table_lists_every_document_and_enough_noisy_ones():
    rows = _readme_rows()
    assert sorted(rows) == IDS
    noisy = [i for i, row in rows.items() if "noisy" in row.lower()]
    assert len(noisy) >= 6
    texts = {record["id"]: text for record, text in GOLD}
    for doc_id in noisy:  # a noisy document carries at least one documented OCR corruption
        assert re.search(r"rnillion|miIlion|mil-\n|Nasdag|NASDAO|Arnerican|OTCOB|Phase \[l", texts[doc_id]), doc_id
    injected = [i for i, row in rows.items() if "injection" in row.lower()]
    assert injected, "the README must name the prompt-injection document(s)"


def test_documents_have_release_length():
    for record, text in GOLD:
        assert 1500 <= len(text.encode()) <= 7000, record["id"]


# --- per-document checks ---------------------------------------------------------------------
@pytest.mark.parametrize("record,text", GOLD, ids=IDS)
def test_record_shape(record, text):
    assert set(record) == {"id", "source", "date", "issuer", "tickers", "amounts", "companies"}
    assert record["source"] == "llmx-authored"
    if record["date"] is not None:
        day = date.fromisoformat(record["date"])
        assert day.strftime("%b") in text and str(day.year) in text, "date must be printed in the dateline"
    for amount in record["amounts"]:
        assert set(amount) == {"value", "currency", "kind", "status", "text"}
        assert amount["kind"] in KINDS and amount["status"] in STATUSES
        assert amount["currency"] in CURRENCIES
        assert amount["value"] > 0, "values are magnitudes; the sign stays in the printed text"
    PressRelease.model_validate({k: v for k, v in record.items() if k != "source"} | {
        "companies": [{"name": n} for n in record["companies"]]})


@pytest.mark.parametrize("record,text", GOLD, ids=IDS)
def test_amount_text_is_printed_parses_to_value_and_is_first_occurrence(record, text):
    thousands = "in thousands" in text
    mentions = scan_money(text, thousands_rows=thousands)
    keys = [(a["value"], a["currency"]) for a in record["amounts"]]
    for amount in record["amounts"]:
        at = text.find(amount["text"])
        assert at >= 0, f"{amount['text']!r} not printed"
        here = [m for m in mentions if m.start == at and m.currency == amount["currency"] and close(m.value, amount["value"])]
        assert here, f"{amount['text']!r} at {at} does not read as {amount['value']} {amount['currency']}"
        earlier = [m for m in mentions if m.start < at and m.currency == amount["currency"] and close(m.value, amount["value"])]
        assert not earlier, f"{amount['text']!r} is not the first printed form of {amount['value']}"
    for i, (value, currency) in enumerate(keys):
        assert not any(currency == c and close(value, v) for v, c in keys[:i]), f"duplicate amount {value} {currency}"


@pytest.mark.parametrize("record,text", GOLD, ids=IDS)
def test_no_printed_amount_missing_from_gold(record, text):
    gold = [(a["value"], a["currency"]) for a in record["amounts"]]
    for mention in scan_money(text, thousands_rows="in thousands" in text):
        assert any(c == mention.currency and close(v, mention.value) for v, c in gold), (
            f"printed amount {mention.value} {mention.currency} at {mention.start} missing from gold")


@pytest.mark.parametrize("record,text", GOLD, ids=IDS)
def test_tickers_match_printed_listings(record, text):
    printed = scan_listings(text)
    gold = {t["symbol"]: t["exchange"] for t in record["tickers"]}
    assert len(gold) == len(record["tickers"]), "one entry per symbol"
    assert gold == printed, f"gold {gold} vs printed listings {printed}"
    assert all(exchange in EXCHANGES for exchange in gold.values())
    issuer = record["issuer"]
    if issuer["ticker"] is not None:
        assert gold[issuer["ticker"]] == issuer["exchange"]
    else:
        assert issuer["exchange"] is None


@pytest.mark.parametrize("record,text", GOLD, ids=IDS)
def test_companies_are_named_in_text(record, text):
    flat = re.sub(r"-\n\s*", "", text).lower()
    assert record["issuer"]["name"] == record["companies"][0], "issuer is listed first"
    assert len(set(record["companies"])) == len(record["companies"])
    for name in record["companies"]:
        assert name.lower() in flat, name


def test_injected_amounts_are_not_reported_as_deal_figures():
    rows = _readme_rows()
    checked = 0
    for record, text in GOLD:
        if "injection" not in rows[record["id"]].lower():
            continue
        for amount in record["amounts"]:
            start = text.find(amount["text"])
            line = text[text.rfind("\n", 0, start) + 1 : text.find("\n", start)]
            if "instruction" in line.lower():
                assert (amount["kind"], amount["status"]) == ("other", "potential"), amount
                checked += 1
    assert checked >= 1


# --- the sample release used by `make run` ---------------------------------------------------
def test_sample_expected_record_is_grounded_in_the_sample_text():
    text = SAMPLE_TEXT.read_text(encoding="utf-8")
    record = PressRelease.model_validate_json(SAMPLE_EXPECTED.read_text(encoding="utf-8"))
    assert record.date and date.fromisoformat(record.date).strftime("%b") in text
    mentions = scan_money(text)
    for amount in record.amounts:
        start, end = amount.span
        assert text[start:end] == amount.text and text.find(amount.text) == start
        assert any(m.start == start and close(m.value, amount.value) and m.currency == amount.currency for m in mentions)
    assert {(round(m.value, 4), m.currency) for m in mentions} == {(round(a.value, 4), a.currency) for a in record.amounts}
    printed = scan_listings(text)
    assert {t.symbol: t.exchange for t in record.tickers} == printed
    for ticker in record.tickers:
        start, end = ticker.span
        assert text[start:end] == ticker.text and ticker.symbol in ticker.text
    assert record.issuer.ticker in printed
    names = [c.name for c in record.companies]
    assert record.issuer.name == names[0] and all(n.lower() in text.lower() for n in names)
    assert all(c.role for c in record.companies)
    parties = {a.payer for a in record.amounts} | {a.payee for a in record.amounts}
    # A party is a listed company, by its full name or the short form the text uses ("Corylune").
    assert all(any(n.startswith(p) for n in names) and p in text for p in parties - {None}), "payer/payee must name listed companies"
