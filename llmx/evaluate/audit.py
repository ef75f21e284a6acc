"""Gold-free coverage audit of the recognizers over a folder of documents.

Why: gold sets are small and were looked at while the recognizers were written, so recall on
them is optimistic. The audit finds *candidates* with its own deliberately simple regular
expressions (never the recognizers' grammar) and checks that each one is covered by a
recognized mention, or says why it is not:

- ``currency``: a number tied to a currency mark ("$", "US$", "C$", "A$", "AU $", "HK$", "€",
  "£", "¥", "RMB", ISO codes before or after, "dollars", "euros", "cents", "pence");
- ``scale``: a number followed by a scale word ("12 million") with no currency mark: usually
  shares or people, reported for reading, not counted in the coverage share;
- ``table``: a bare number in a row of a financial table that carries money (a currency sign
  in the row, or a caption such as "(in thousands)" above it);
- ``listing``: an exchange-listing-like pattern ("(XYZ: ABC)", "symbol "ABC"", "Stock code: 0775").

A candidate is *covered* when a mention of the right kind overlaps it (and, for a currency
whose mark names it, has that currency). Uncovered candidates get a reason from a short list;
some reasons are *expected* (URL slugs, captions like "($000s)", per-share or share-count rows)
and are reported but not held against coverage. Usage::

    python scripts/audit.py DIR [--out uncovered.jsonl] [--sample 100 --sample-out sample.tsv]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from llmx.recognize import Mentions, recognize

__all__ = ["Candidate", "AuditResult", "audit_text", "find_candidates", "main"]

# --- the audit's own candidate finder (independent of llmx.recognize) ------------------------

_NUM = r"\d[\d,]*(?:\.\d+)?"
_SCALE = r"(?:thousand|million|billion|trillion|mln|bln|mn|bn|MM|[kKmMbB])\b"
# Marks before a number, longest first; the value is the currency the mark names ("$" = any dollar).
_PREFIX_MARKS = {
    "US$": "USD", "U.S.$": "USD", "USD$": "USD", "C$": "CAD", "CA$": "CAD", "CAD$": "CAD", "CDN$": "CAD",
    "A$": "AUD", "AU$": "AUD", "AU $": "AUD", "AUD$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD",
    "SG$": "SGD", "NT$": "TWD", "R$": "BRL", "RMB": "CNY", "CN¥": "CNY", "¥": "JPY|CNY", "€": "EUR",
    "£": "GBP", "₹": "INR", "$": "$",
}
_ISO = "USD CAD AUD NZD HKD SGD EUR GBP JPY CNY CHF INR SEK NOK DKK KRW ZAR BRL MXN ILS".split()
_PREFIX_RE = re.compile(
    r"(?P<mark>(?:" + "|".join(re.escape(m) for m in sorted(_PREFIX_MARKS, key=len, reverse=True)) + r")"
    r"|\b(?:" + "|".join(_ISO) + r")\b)[ \t]{0,2}\(?(?P<num>" + _NUM + r")"
)
_SUFFIX_RE = re.compile(
    r"(?<![\w.,$])(?P<num>" + _NUM + r")(?:[ \t-]?" + _SCALE + r")?[ \t]+(?P<mark>(?:(?:US|U\.S\.|Canadian|Australian|"
    r"Hong Kong|Singapore|New Zealand)[ \t]+)?(?:dollars?|euros?)\b|(?:" + "|".join(_ISO) + r")\b)"
)
_SCALE_RE = re.compile(r"(?<![\w.,$])(?P<num>" + _NUM + r")[ \t-]?(?:thousand|million|billion)\b(?P<next>[ \t]+[\w-]+)?")
_WORD_CURRENCY = {"dollar": "$", "euro": "EUR"}
# Minor units: "25 cents", "1.2 pence", "23.97p per share" (a dollar's or a pound's hundredths).
_MINOR_RE = re.compile(r"(?<![\w.,$])(?P<num>\d{1,3}(?:\.\d+)?)(?:[ \t-]?(?P<mark>cents?|pence)\b|(?P<p>p)(?=[ \t]+per\b))")

# Tables: a row is a line with a '|' cell border, a tab, or two numbers apart by 2+ spaces.
_CELL_NUM = re.compile(r"(?<![\w.,$%])\(?\d{1,3}(?:,\d{3})+(?:\.\d+)?\)?(?![\d%])|(?<![\w.,$%])\(?\d+\.\d+\)?(?![\d%])")
_CAPTION_RE = re.compile(r"(?i)\(?\b(?:in|amounts in)\s+(?:thousands|millions)\b|\(\$\s?000s?\)|US\$\s?'000|\$'000")
_TABLEISH = re.compile(r"\|.*\||\t|\S {2,}\(?\d")
_NOT_MONEY_ROW = re.compile(r"(?i)shares|%|percent|margin|ratio|employees|headcount|subscriptions|return on")

# Listings: "(XYZ: ABC)", "EXCHANGE: ABC" for known labels, and prose forms.
_LISTING_RES = (
    re.compile(r"\((?P<label>[A-Za-z][\w .&/-]{1,30}?)[ \t]*:[ \t]*(?P<sym>[A-Z0-9][A-Z0-9.\-]{0,8})\b"),
    re.compile(
        r"\b(?P<label>NASDAQ|Nasdaq|NYSE|TSXV?|TSX-V|CSE|ASX|OTC\w*|LSE|AIM|HKEX|SEHK|XETRA|FSE|BF|Euronext|NEO|CBOE)"
        r"[ \t]*:[ \t]*(?P<sym>[A-Z0-9][A-Z0-9.\-]{0,8})\b"
    ),
    re.compile(r"(?i:symbols?|ticker(?: symbol)?|stock code)[ \t]*:?[ \t]*[\"“]?(?P<sym>[A-Z0-9]{1,6}(?:\.[A-Z]{1,2})?)\b[\"”]?"),
)


@dataclass(frozen=True, slots=True)
class Candidate:
    category: str  # currency | scale | table | listing
    start: int
    end: int
    text: str
    currency: str | None = None  # what the mark names, "$" for any dollar


def find_candidates(text: str) -> list[Candidate]:
    """Every audit candidate in `text`, found with the audit's own regexes."""
    found: list[Candidate] = []
    marked: list[tuple[int, int]] = []
    for m in _PREFIX_RE.finditer(text):
        mark = m["mark"]
        found.append(Candidate("currency", m.start(), m.end(), m.group(), _PREFIX_MARKS.get(mark, mark)))
        marked.append((m.start("num"), m.end("num")))
    for m in _SUFFIX_RE.finditer(text):
        if _overlaps(m.start("num"), m.end("num"), marked):
            continue
        word = m["mark"].split()[-1].lower().rstrip("s")
        found.append(Candidate("currency", m.start(), m.end(), m.group(), _WORD_CURRENCY.get(word, m["mark"])))
        marked.append((m.start("num"), m.end("num")))
    for m in _MINOR_RE.finditer(text):
        if not _overlaps(m.start("num"), m.end("num"), marked):
            found.append(Candidate("currency", m.start(), m.end(), m.group(), "$" if (m["mark"] or "").startswith("cent") else "GBP"))
            marked.append((m.start("num"), m.end("num")))
    for m in _SCALE_RE.finditer(text):
        if not _overlaps(m.start("num"), m.end("num"), marked):
            found.append(Candidate("scale", m.start(), m.end(), m.group()))
    for start, end in _money_table_cells(text):
        if not _overlaps(start, end, marked):
            found.append(Candidate("table", start, end, text[start:end]))
    listing_spans: list[tuple[int, int]] = []
    for pattern in _LISTING_RES:
        for m in pattern.finditer(text):
            if not _overlaps(m.start("sym"), m.end("sym"), listing_spans):
                listing_spans.append((m.start("sym"), m.end("sym")))
                found.append(Candidate("listing", m.start(), m.end(), m.group()))
    return sorted(found, key=lambda c: (c.start, c.end))


_LONE_CELL = re.compile(r"[ \t]*\(?\d[\d,]*(?:\.\d+)?\)?[ \t]*\r?\n?")
_LONE_SIGN = re.compile(r"[ \t]*(?:\$|€|£|US\$)[ \t]*\r?\n?")


def _money_table_cells(text: str) -> Iterator[tuple[int, int]]:
    """Bare numbers in table rows that carry money: a currency sign in the row or a caption above.

    Rows are lines with cell borders, tabs or wide gaps; a line holding one number counts as a
    cell when a caption or a line holding only a currency sign came shortly before.
    """
    caption_until = sign_until = -1
    pos = 0
    for index, line in enumerate(text.splitlines(keepends=True)):
        start, pos = pos, pos + len(line)
        if _CAPTION_RE.search(line):
            caption_until = start + 4000  # a caption governs the statement printed under it
        if _LONE_SIGN.fullmatch(line):
            sign_until = index + 12
            continue
        if _LONE_CELL.fullmatch(line) and (start < caption_until or index <= sign_until):
            m = re.search(r"\(?\d[\d,]*(?:\.\d+)?\)?", line)
            if not re.fullmatch(r"(?:19|20)\d\d", m.group()):
                yield start + m.start(), start + m.end()
            continue
        if not _TABLEISH.search(line):
            continue
        if not (start < caption_until or "$" in line or "€" in line or "£" in line):
            continue
        cells = [m for m in _CELL_NUM.finditer(line) if not re.fullmatch(r"(?:19|20)\d\d", m.group().strip("()"))]
        if len(cells) < 2:
            continue
        for m in cells:
            yield start + m.start(), start + m.end()


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


# --- checking candidates against the recognizers -------------------------------------------

# Reasons an uncovered candidate is expected not to be a mention (reported, not a miss).
EXPECTED_REASONS = frozenset({"in_url", "caption", "not_money_row", "year", "no_exchange", "percent", "unit", "price_band"})
_DOLLAR_CODES = {"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "BRL", "MXN"}


@dataclass(frozen=True, slots=True)
class Finding:
    doc: str
    category: str
    status: str  # covered | expected | uncovered | wrong_currency
    reason: str
    text: str
    span: tuple[int, int]
    context: str


@dataclass
class AuditResult:
    counts: Counter[tuple[str, str]]  # (category, status)
    reasons: Counter[tuple[str, str]]  # (category, reason) of expected + uncovered
    findings: list[Finding]  # everything not covered

    def coverage(self, category: str = "currency") -> float:
        """Covered share of the candidates not rejected for an expected reason."""
        covered = self.counts[(category, "covered")]
        judged = covered + self.counts[(category, "uncovered")] + self.counts[(category, "wrong_currency")]
        return covered / judged if judged else 1.0

    def raw_coverage(self, category: str = "currency") -> float:
        total = sum(n for (cat, _), n in self.counts.items() if cat == category)
        return self.counts[(category, "covered")] / total if total else 1.0


def audit_text(doc: str, text: str, result: AuditResult, mentions: Mentions | None = None) -> None:
    """Add the candidates of one document to `result`."""
    mentions = mentions if mentions is not None else recognize(text)
    money = sorted(mentions.money, key=lambda m: m.span)
    tickers = [t.span for t in mentions.tickers]
    for cand in find_candidates(text):
        if cand.category == "listing":
            hits = [span for span in tickers if span[0] < cand.end and cand.start < span[1]]
            reason = "" if hits else _listing_reason(text, cand.start, cand)
            status = "covered" if hits else "expected" if reason in EXPECTED_REASONS else "uncovered"
        else:
            hit = [m for m in money if m.span[0] < cand.end and cand.start < m.span[1]]
            if hit:
                status, reason = "covered", ""
                if cand.currency and not _currency_agrees(cand.currency, hit[0].currency):
                    status, reason = "wrong_currency", f"{cand.currency}->{hit[0].currency}"
            else:
                reason = _money_reason(text, cand)
                status = "expected" if reason in EXPECTED_REASONS else "uncovered"
        result.counts[(cand.category, status)] += 1
        if status != "covered":
            result.reasons[(cand.category, reason)] += 1
            lo, hi = max(0, cand.start - 80), min(len(text), cand.end + 80)
            context = text[lo:hi].replace("\n", "⏎")
            result.findings.append(Finding(doc, cand.category, status, reason, cand.text, (cand.start, cand.end), context))


def _currency_agrees(named: str, found: str) -> bool:
    if named == "$":
        return found in _DOLLAR_CODES
    return found in named.split("|") or named not in {*_PREFIX_MARKS.values(), *_ISO}


def _money_reason(text: str, cand: Candidate) -> str:
    token_start = max(text.rfind(sep, 0, cand.start) for sep in " \n(<[") + 1
    token = text[token_start : cand.end]
    if "://" in token or "www." in token or re.search(r"[a-z0-9]-\$|\$\d+-[a-z]", token):
        return "in_url"
    line_start = text.rfind("\n", 0, cand.start) + 1
    line_end = text.find("\n", cand.end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    digits = re.sub(r"\D", "", cand.text)
    if re.search(r"\(\s?(?:US)?\$\s?'?0{3}", text[max(0, cand.start - 2) : cand.end + 3]) or digits in ("000", "000000"):
        return "caption"
    if cand.category == "table":
        after = text[cand.end : cand.end + 12]
        if re.match(r"\s{0,4}%", after):
            return "percent"
        if re.match(r"[A-Za-z″\"']|[ \t]+(?:square|sq\.?|feet|foot|acres|rpm|mph|miles)\b", after, re.IGNORECASE):
            return "unit"
        label = re.split(r"\(?\d[\d,.]*\)?", text[max(0, cand.start - 200) : cand.start])
        words = [piece for piece in label if re.search(r"[A-Za-z]{2}", piece)]
        if _NOT_MONEY_ROW.search(line) or (words and _NOT_MONEY_ROW.search(words[-1])):
            return "not_money_row"
    if re.fullmatch(r"(?:19|20)\d\d", digits) and not re.search(r"[\d,.]", cand.text[-1:] + "x"):
        return "year"
    if cand.category == "currency" and _is_price_band(text, cand):
        return "price_band"
    if cand.category == "scale":
        nxt = re.match(r"[ \t-]?(?:thousand|million|billion)[ \t]+([\w-]+)", text[cand.start + len(re.match(_NUM, cand.text).group()) :])
        return f"scale:{nxt[1].lower()}" if nxt else "scale"
    after = text[cand.end : cand.end + 12]
    if re.match(r"\s*\+", after) or re.match(r"\+", text[cand.end : cand.end + 1]):
        return "plus_suffix"
    if re.search(r"\d,\d{2}(?!\d)", cand.text) and re.search(r"\d,\d{3},", cand.text):
        return "malformed_number"  # "$10,500,00": grouping broken, the value is a guess
    if cand.category == "table":
        return "bare_table_cell"
    return "unexplained"


def _is_price_band(text: str, cand: Candidate) -> bool:
    """"from the low $400s", "the $800,000s", "in the mid $2 millions": a band's floor, not an amount."""
    after = text[cand.end : cand.end + 12]
    if re.match(r"s\b", after):
        return True
    plural = re.match(r"[ \t]?(?:millions|billions)\b", after, re.IGNORECASE)
    return bool(plural) and re.search(r"(?i)\b(?:low|mid|upper|high)[ \t-]*$", text[max(0, cand.start - 8) : cand.start]) is not None


# Labels before a colon that name no exchange: identifiers, periods, times, "Ticker:" alone.
_NOT_EXCHANGE_LABEL = re.compile(
    r"(?i)^(?:wkn|isin|cusip|doi|acn|abn|cik|lei|ein|crypto|ccc|ticker(?: symbol)?|stock symbol|symbol|stock code)$"
    r"|\d|\b(?:year|previous|prior|previously|open|at|as at|fun fact|starting|accredited|gates|doors)\b"
)


_EXCHANGE_WORD = re.compile(r"(?i)nasdaq|nyse|\botc|\btsx|exchange|market|\bcse\b|\basx\b|\blse\b|\baim\b")


def _listing_reason(text: str, start: int, cand: Candidate) -> str:
    """Why a listing-like pattern is not a listing: "no_exchange" (expected) or the label, to read."""
    label = re.match(r"\(?([^:]*):", cand.text)
    if label is None:
        before = text[max(0, start - 60) : start]
        return "prose" if _EXCHANGE_WORD.search(before) else "no_exchange"
    name = label[1].strip()
    if _NOT_EXCHANGE_LABEL.search(name):
        return "no_exchange"
    return f"label:{name[:30]}"


# --- command line ----------------------------------------------------------------------------


def _documents(folder: Path) -> Iterator[tuple[str, str]]:
    docs = folder / "docs" if (folder / "docs").is_dir() else folder
    for path in sorted(docs.glob("*.txt")):
        yield path.stem, path.read_text(encoding="utf-8", errors="replace")


def run(folder: Path) -> AuditResult:
    """Audit every `*.txt` document of `folder` (or of `folder/docs`)."""
    result = AuditResult(Counter(), Counter(), [])
    for doc, text in _documents(folder):
        audit_text(doc, text, result)
    return result


def print_summary(result: AuditResult) -> None:
    categories = sorted({cat for cat, _ in result.counts})
    print(f"{'category':<10} {'covered':>8} {'expected':>9} {'uncovered':>10} {'wrong_cur':>10} {'coverage':>9} {'raw':>7}")
    for cat in categories:
        c = result.counts
        print(
            f"{cat:<10} {c[(cat, 'covered')]:>8} {c[(cat, 'expected')]:>9} {c[(cat, 'uncovered')]:>10} "
            f"{c[(cat, 'wrong_currency')]:>10} {result.coverage(cat):>9.4f} {result.raw_coverage(cat):>7.4f}"
        )
    print("\nreasons (category, reason: count), top 40:")
    for (cat, reason), n in result.reasons.most_common(40):
        print(f"  {cat:<9} {reason:<40} {n}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Gold-free coverage audit of the money and ticker recognizers.")
    parser.add_argument("folder", type=Path, help="a folder of *.txt documents (or one with docs/)")
    parser.add_argument("--out", type=Path, help="write every uncovered/expected candidate as JSON Lines")
    parser.add_argument("--sample", type=int, default=0, help="also write a random sample of N uncovered candidates")
    parser.add_argument("--sample-out", type=Path, default=Path("audit_sample.tsv"))
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--categories", default="currency,table,listing", help="categories the sample draws from")
    args = parser.parse_args(argv)
    result = run(args.folder)
    print_summary(result)
    if args.out:
        with args.out.open("w", encoding="utf-8") as handle:
            for finding in result.findings:
                handle.write(json.dumps(asdict(finding), ensure_ascii=False) + "\n")
    if args.sample:
        wanted = set(args.categories.split(","))
        pool = [f for f in result.findings if f.status in ("uncovered", "wrong_currency") and f.category in wanted]
        sample = random.Random(args.seed).sample(pool, min(args.sample, len(pool)))
        with args.sample_out.open("w", encoding="utf-8") as handle:
            handle.write("doc\tcategory\treason\ttext\tcontext\tverdict\n")
            for f in sorted(sample, key=lambda f: (f.doc, f.span)):
                handle.write(f"{f.doc}\t{f.category}\t{f.reason}\t{f.text}\t{f.context}\t\n")
    return 0
