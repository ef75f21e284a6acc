"""Bare money amounts in financial statement tables, with exact spans.

Earnings releases print statements where only a caption ("(in thousands, except per share
data)", "US$'000", "($000s)") or the first and total rows carry the currency; every other
cell is a bare number. Text extraction prints them as Markdown/pipe tables, tab- or
space-aligned rows, one cell per line, or whole statements run together on one line
("Total net revenues 3,8703,25414,16214,238").

The rules (stated once; `docs/recognizers.md` has examples):
- A *money table* is (a) the text governed by a scale caption, up to the next caption, a
  prose paragraph, a horizontal rule or "About"/"Forward-looking" heading; or, with no
  caption, (b) a Markdown/pipe table, a block of short one-cell lines or aligned rows, or a
  statement-like line (many numbers, few words) in which a currency sign precedes a number.
- Every bare number in a money table is an amount in currency units: the caption scales it
  ("(in thousands)" x1,000), negatives in parentheses are magnitudes, dashes are zero and
  skipped, footnote markers ("105,000,000[1]") are not part of the number. The span is the
  cell as printed, parentheses included.
- Not amounts: numbers whose row label names shares, percentages, ratios, margins, people or
  physical units; years (1900-2100 without grouping); days of dates; numbers glued to a letter
  ("Q3", "H1", "10-K") unless comma-grouped ("costs128,156" is a run-together row).
- Per-share rows ("per share", "per diluted share", "EPS") are amounts in currency units and
  never scaled by the caption.
- Run-together columns split where comma grouping is complete: "3,8703,254" is 3,870 and
  3,254. A run of digits without grouping that is too long to be one cell is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["TableCell", "TableRegion", "find_table_cells", "find_table_regions", "is_per_unit_amount", "row_label", "table_exponent"]


@dataclass(frozen=True, slots=True)
class TableRegion:
    start: int
    end: int
    exponent: int  # from the caption; 0 without one
    currency: str | None  # named by the caption ("US$'000", "in thousands of euros"), else None
    captioned: bool


@dataclass(frozen=True, slots=True)
class TableCell:
    start: int
    end: int
    value: Decimal  # in currency units (caption applied)
    currency: str


_CURRENCY_NAMES = {
    "$": None, "US$": "USD", "USD": "USD", "U.S. dollars": "USD", "US dollars": "USD", "C$": "CAD", "CAD": "CAD",
    "Canadian dollars": "CAD", "A$": "AUD", "AUD": "AUD", "HK$": "HKD", "HKD": "HKD", "€": "EUR", "EUR": "EUR",
    "euros": "EUR", "£": "GBP", "GBP": "GBP", "RMB": "CNY", "CNY": "CNY", "¥": "JPY", "JPY": "JPY",
}
_CURRENCY_ALT = "|".join(re.escape(name) for name in sorted(_CURRENCY_NAMES, key=len, reverse=True))
_UNITS = {"thousand": 3, "million": 6, "billion": 9}
# "(in thousands, except per share data)", "(US$ in millions)", "(Amounts in thousands of U.S. dollars)",
# "(in thousands of euros)", "Q3 2024(in thousands)".
_CAPTION = re.compile(
    rf"(?i)\((?:(?P<cur1>{_CURRENCY_ALT})[ \t]*)?(?:[\w .,]{{0,30}}?[ \t])?in[ \t]+(?P<unit>thousand|million|billion)s"
    rf"(?:[ \t]+of[ \t]+(?:(?P<cur2>{_CURRENCY_ALT})|[\w.]+(?:[ \t][\w.]+)?))?(?P<rest>[^()\n]{{0,80}})\)"
)
# "US$'000", "$'000", "(€000)", "($000s)", "(in $000s)", "RMB'000".
_ZEROS_CAPTION = re.compile(rf"(?P<cur1>{_CURRENCY_ALT})[ \t]?(?P<zeros>'000|'000,000|000s?\b|000,000\b)")
_PROSE_END = re.compile(r"(?im)^[ \t]*(?:-{3,}|_{3,}|\*{2,}|#+[ \t]|about[ \t]|forward[- ]looking|source:|contact|safe harbor|non-gaap)")
# A number cell: optional parentheses, a digit run (possibly several run-together cells), a footnote.
_CELL = re.compile(r"(?P<open>\()?(?P<run>\d[\d,]*(?:\.\d+)?)(?P<close>\))?(?P<foot>\[\d{1,2}\]|\*+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_NOT_MONEY_LABEL = re.compile(
    r"(?i)%|\b(?:shares?|units|percent(?:age)?|ratio|employees|headcount|customers|users|stores|locations|days|"
    r"ounces|oz|tonnes|tons|lbs|barrels|boe|square|acres|hectares|number|basis points|bps|months|weeks|hours|"
    r"rate|yield|multiple|score|x|subscriptions|subscribers|members|accounts|visitors|downloads|patients|"
    r"students|vehicles|deliveries|orders|transactions|wells|miles|km|mw|mwh|gwh)\b"
)
# Words right after a number that make it a count, not money: "5,000,000 shares authorized".
_COUNT_AFTER = re.compile(  # "10,544,691 and 10,543,675 shares issued": both are counts
    r"[ \t]+(?:(?:and|or|to)[ \t]+\d[\d,.]*[ \t]+)?(?:[\w-]+[ \t]+)?(?:shares|units|warrants|options|employees|people|patients|customers|users|ounces|oz|"
    r"tonnes|tons|barrels|acres|hectares|square|months|years|days|weeks|hours|times)\b|[ \t]*(?:%|percent\b)",
    re.IGNORECASE,
)
# A word that makes the number after it an index, not a cell: "Phase 2", "Note 3", "Stage 4", "Tier 1".
_INDEX_BEFORE = re.compile(r"(?i)\b(?:phase|stage|note|notes|tier|series|class|level|item|part|section|no\.|step|round)[ \t]*\(?\Z")
_MONTH_AFTER = re.compile(r"[ \t]+(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_SCALE_AFTER = re.compile(r"[ \t]?(?P<word>thousand|million|billion)\b|(?P<letter>[KMB])\b", re.IGNORECASE)
_SCALE_EXPONENT = {"thousand": 3, "million": 6, "billion": 9, "k": 3, "m": 6, "b": 9}
_PER_SHARE_LABEL = re.compile(r"(?i)per[ \t]+(?:\w+[ \t]+){0,3}share|\beps\b|per[ \t]+(?:unit|ads)")
_MONTHS = re.compile(r"(?i)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[ \t]*\Z")
# Glued after a number: "25%", "7.8Ah", "3-year", "12/31", "10:00"; a capitalised word may start the next row.
_AFTER_BLOCKS = re.compile(r"\s{0,4}%|[a-z]|[A-Z](?![a-z]{2})|-[A-Za-z]|/\d|:\d")
_SIGN_AT_LINE_END = re.compile(r"\$ ?\n")  # "$\n" or "$ \n": one scan, which `re` skips through to each "$"
_SIGN_BEFORE_NUMBER = re.compile(r"(?:[$€£¥]|US\$|C\$|A\$|HK\$)[ \t]*\(?\d")
_WORD = re.compile(r"[A-Za-z]{2,}")
_STATEMENT_MIN_NUMBERS = 6
_ADJACENT_CELLS = re.compile(r"\d,\d{3}\)?(?:[ \t$()-]*\(?\d{1,3},\d{3}|\d)")
_REGION_MAX = 30_000


def find_table_regions(text: str) -> list[TableRegion]:
    """Money tables in `text` (see the module docstring): captioned ones first, each group by start."""
    regions = [*_captioned_regions(text), *_uncaptioned_regions(text)]
    return sorted(regions, key=lambda r: (not r.captioned, r.start))  # a caption's scale wins


def find_table_cells(text: str, dollar: str, taken: list[tuple[int, int]]) -> tuple[list[TableCell], list[TableRegion]]:
    """Bare amounts in the money tables of `text` that no span in `taken` already covers."""
    regions = find_table_regions(text)
    if not regions:
        return [], []
    cells: list[TableCell] = []
    seen: set[int] = set()
    taken = sorted(taken)
    for region in regions:
        currency = region.currency or _region_currency(text, region, dollar)
        for start, end, value, per_share in _cells_in(text, region):
            if start in seen or _overlaps(start, end, taken):
                continue
            seen.add(start)
            scaled = value if per_share else value * 10**region.exponent
            cells.append(TableCell(start, end, scaled, currency))
    return cells, regions


# --- regions -------------------------------------------------------------------------------


def _captioned_regions(text: str) -> list[TableRegion]:
    found: list[tuple[int, int, int, str | None]] = []  # caption start, caption end, exponent, currency
    if _may_hold_caption(text):
        for m in _CAPTION.finditer(text):
            currency = _CURRENCY_NAMES.get(m["cur1"] or m["cur2"] or "", None)
            found.append((m.start(), m.end(), _UNITS[m["unit"].lower()], currency))
    if "000" in text and ("'000" in text or "000)" in text or "000s" in text):  # "000,000)" holds "000)"
        for m in _ZEROS_CAPTION.finditer(text):
            before = text[max(0, m.start() - 1) : m.start()]
            if m["zeros"].startswith("'") or before == "(" or text[m.start() - 4 : m.start()].lower() == "(in ":
                found.append((m.start(), m.end(), 6 if "000,000" in m["zeros"] else 3, _CURRENCY_NAMES.get(m["cur1"])))
    found.sort()
    regions = []
    for index, (start, end, exponent, currency) in enumerate(found):
        limit = found[index + 1][0] if index + 1 < len(found) else len(text)
        regions.append(TableRegion(end, _region_end(text, end, min(limit, end + _REGION_MAX)), exponent, currency, True))
    return regions


def _may_hold_caption(text: str) -> bool:
    """Cheap test before the caption regex: "in" right before a "thousands"/"millions"/"billions"."""
    for needle in ("housands", "illions", "HOUSANDS", "ILLIONS"):
        for pos in _find_all(text, needle):
            if text[max(0, pos - 5) : pos - 1].rstrip(" \t").lower().endswith("in"):
                return True
    return False


def _find_all(text: str, needle: str):
    pos = text.find(needle)
    while pos >= 0:
        yield pos
        pos = text.find(needle, pos + 1)


def _region_end(text: str, pos: int, limit: int) -> int:
    """Where a captioned table ends: a prose paragraph, a rule or a closing heading, else `limit`."""
    line_start = pos
    while line_start < limit:
        newline = text.find("\n", line_start, limit)
        line_end = limit if newline < 0 else newline
        line = text[line_start:line_end]
        if line_start > pos and (_is_prose(line) or _PROSE_END.match(line)):
            return line_start
        line_start = line_end + 1
    return limit


def _is_prose(line: str) -> bool:
    """A line of running text: long, with many words and few numbers."""
    if len(line) < 100:
        return False
    words = len(_WORD.findall(line))
    numbers = len(_GROUPED.findall(line))
    return numbers * 4 < words


def _uncaptioned_regions(text: str) -> list[TableRegion]:
    regions: list[TableRegion] = []
    if "|" in text and ("\n|" in text or "\n |" in text or text.startswith("|")):  # one C-level memchr when no "|"
        regions += _pipe_tables(text)
    if _SIGN_AT_LINE_END.search(text):
        regions += _cell_per_line_blocks(text)
    if "$" in text or "€" in text or "£" in text:
        regions += _statement_lines(text)
    return regions


def _lines(text: str, start: int = 0, end: int | None = None):
    """(start, end) of each line of text[start:end]."""
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        line_end = end if newline < 0 else newline
        yield pos, line_end
        pos = line_end + 1


def _pipe_tables(text: str) -> list[TableRegion]:
    regions = []
    block_start = block_end = -1
    for start, end in _lines(text):
        if text[start:end].lstrip(" \t").startswith("|"):
            block_start = start if block_start < 0 else block_start
            block_end = end
            continue
        if block_start >= 0 and _SIGN_BEFORE_NUMBER.search(text, block_start, block_end):
            regions.append(TableRegion(block_start, block_end, 0, None, False))
        block_start = -1
    if block_start >= 0 and _SIGN_BEFORE_NUMBER.search(text, block_start, block_end):
        regions.append(TableRegion(block_start, block_end, 0, None, False))
    return regions


def _cell_per_line_blocks(text: str) -> list[TableRegion]:
    """Blocks of short lines (one cell each) in which a line holds only a currency sign."""
    regions = []
    block_start, block_end, has_sign = -1, -1, False
    for start, end in _lines(text):
        line = text[start:end].strip()
        if len(line) <= 60:
            block_start = start if block_start < 0 else block_start
            block_end = end
            has_sign = has_sign or line in ("$", "€", "£", "US$", "C$")
            continue
        if has_sign:
            regions.append(TableRegion(block_start, block_end, 0, None, False))
        block_start, has_sign = -1, False
    if has_sign:
        regions.append(TableRegion(block_start, block_end, 0, None, False))
    return regions


def _statement_lines(text: str) -> list[TableRegion]:
    """Lines printing a statement: many grouped numbers, few words, a currency sign before one."""
    regions: list[TableRegion] = []
    if text.count(",") < _STATEMENT_MIN_NUMBERS:
        return regions
    seen = -1
    for sign in sorted(pos for sign in ("$", "€", "£") for pos in _find_all(text, sign)):  # only lines with a sign
        if sign < seen:
            continue
        start = text.rfind("\n", 0, sign) + 1
        newline = text.find("\n", sign)
        end = len(text) if newline < 0 else newline
        seen = end
        line = text[start:end]
        if end - start < 40 or line.count(",") < _STATEMENT_MIN_NUMBERS or not _ADJACENT_CELLS.search(line):
            continue  # most long lines are prose: one scan rejects them
        if not _SIGN_BEFORE_NUMBER.search(line):
            continue
        numbers = len(re.findall(r"\d{1,3}(?:,\d{3})+", line))
        columns = len(_ADJACENT_CELLS.findall(line))  # "510,636 790,193", "3,8703,254": numbers side by side
        if numbers >= _STATEMENT_MIN_NUMBERS and columns >= 2 and numbers * 3 >= len(_WORD.findall(line)):
            regions.append(TableRegion(start, end, 0, None, False))
    return regions


def _region_currency(text: str, region: TableRegion, dollar: str) -> str:
    window = text[max(0, region.start - 300) : region.end]
    signs = {sign: window.count(sign) for sign in ("$", "€", "£")}
    best = max(signs, key=lambda sign: signs[sign])
    return {"€": "EUR", "£": "GBP"}.get(best, dollar) if signs[best] else dollar


# --- cells ---------------------------------------------------------------------------------


def _cells_in(text: str, region: TableRegion):
    """(start, end, value, per_share) of every bare money cell in the region; values unscaled
    by the caption, but a scale word printed with the cell ("$⏎120 million") applies."""
    start, end = region.start, region.end
    for m in _CELL.finditer(text, start, end):
        before = text[m.start() - 1] if m.start() > start else ""
        run = m["run"]
        if before and (before.isalpha() and "," not in run or before in ".:/-+#"):
            continue  # "Q3", "H1", "10-K", "12/31", "v2.1"
        if _MONTHS.search(text, max(start, m.start() - 12), m.start()) or _MONTH_AFTER.match(text, m.end()):
            continue  # "December 31, 2024", "22 May"
        if _AFTER_BLOCKS.match(text, m.end(), min(end, m.end() + 6)) and not m["foot"]:
            continue  # "25%", "7.8Ah", "3-year"
        if _COUNT_AFTER.match(text, m.end(), min(end, m.end() + 40)) or _INDEX_BEFORE.search(text, max(start, m.start() - 12), m.start()):
            continue
        if not region.captioned and _lone_cell(text, m) and not _after_lone_sign(text, start, m.start()):
            continue  # one cell per line without a caption: only the cells a currency sign introduces
        label = row_label(text, start, m.start())
        per_share = _PER_SHARE_LABEL.search(label) is not None or is_per_unit_amount(text, m.start(), m.end())
        if not per_share and _NOT_MONEY_LABEL.search(label):
            continue
        if _SUB_ROW_LABEL.fullmatch(label.strip(" \t:$*-")):
            heading = _sub_row_heading(text, start, m.start())
            if heading == "shares":
                continue  # "Weighted average shares outstanding: Basic ... Diluted 142,758,774"
            per_share = per_share or heading == "per_share"  # "Net loss per share: Basic ... Diluted (0.05)"
        scale = _SCALE_AFTER.match(text, m.end(), min(end, m.end() + 10)) if not m["close"] else None
        exponent = _SCALE_EXPONENT[(scale["word"] or scale["letter"]).lower()] if scale else 0
        for cell_start, cell_end, value in _split_run(run, m.start("run")):
            if value is None:
                continue
            open_paren = bool(m["open"]) and cell_start == m.start("run")
            close_paren = bool(m["close"]) and cell_end == m.end("run")
            if open_paren != close_paren:
                open_paren = close_paren = False
            if scale and cell_end == m.end("run"):
                yield cell_start, scale.end(), value * 10**exponent, True  # printed with its scale: no caption
                continue
            yield (cell_start - 1 if open_paren else cell_start), (cell_end + 1 if close_paren else cell_end), value, per_share


# Sub-rows that take their meaning from the heading above them.
_SUB_ROW_LABEL = re.compile(r"(?i)basic|diluted|basic and diluted|basic & diluted|fully diluted")
_SHARE_COUNT_HEADING = re.compile(r"(?i)\bshares\b|\bweighted[ \t]+average\b")
_HEADING_WINDOW = 300


def _sub_row_heading(text: str, region_start: int, pos: int) -> str | None:
    """What the nearest heading before a Basic/Diluted sub-row at `pos` names: "shares" (weighted
    average shares), "per_share" ("per share", "EPS") or None when neither is within reach."""
    window_start = max(region_start, pos - _HEADING_WINDOW)
    shares = per_share = -1
    for shares_match in _SHARE_COUNT_HEADING.finditer(text, window_start, pos):
        shares = shares_match.start()
    for per_share_match in _PER_SHARE_LABEL.finditer(text, window_start, pos):
        per_share = per_share_match.start()
    if shares == per_share == -1:
        return None
    return "shares" if shares > per_share else "per_share"


def _lone_cell(text: str, m: re.Match[str]) -> bool:
    line_start = text.rfind("\n", 0, m.start()) + 1
    return text[line_start : m.start()].strip() == ""


def _after_lone_sign(text: str, region_start: int, pos: int) -> bool:
    """True when the previous non-blank line holds only a currency sign."""
    before = text[max(region_start, pos - 40) : pos].rstrip(" \t\r\n")
    line = before[before.rfind("\n") + 1 :].strip()
    return line in ("$", "€", "£", "US$", "C$")


_NUMBER_TOKEN = re.compile(r"\(?\d[\d,.]*\)?")


def row_label(text: str, region_start: int, pos: int) -> str:
    """The row label of the cell at `pos`: the last stretch of words before it in its table."""
    window = text[max(region_start, pos - 240) : pos]
    for piece in reversed(_NUMBER_TOKEN.split(window)):
        if _WORD.search(piece):
            lines = [line for line in piece.splitlines() if _WORD.search(line)]
            return lines[-1]  # one cell per line: the label is the last line of words
    return ""


# A price of one share/unit, whatever the caption says: "$0.01 par value", "$2.50 per unit",
# "0.10 per common share", "par value $0.001", "C$0.35 a share".
_PER_UNIT_AFTER = re.compile(
    r"(?i)\)?[ \t]*(?:par[ \t]+value\b|per[ \t]+(?:[\w-]+[ \t]+){0,2}(?:shares?|units?|ads|adss|warrants?)\b|a[ \t]+share\b)"
)
_PAR_VALUE_BEFORE = re.compile(r"(?i)\bpar[ \t]+value[ \t]+(?:of[ \t]+)?\Z")


def is_per_unit_amount(text: str, start: int, end: int) -> bool:
    """True for an amount printed as the price or par value of one share/unit (never caption-scaled)."""
    return bool(_PER_UNIT_AFTER.match(text, end, end + 40) or _PAR_VALUE_BEFORE.search(text, max(0, start - 20), start))


def table_exponent(text: str, regions: list[TableRegion], pos: int) -> int | None:
    """The caption exponent for a currency-marked amount at `pos` (0 in a per-share row), or None."""
    for region in regions:
        if region.captioned and region.start <= pos < region.end:
            return 0 if _PER_SHARE_LABEL.search(row_label(text, region.start, pos)) else region.exponent
    return None


_GROUP_RUN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _split_run(run: str, offset: int):
    """Cells of a digit run; run-together cells split where comma grouping is complete."""
    if "," not in run:
        if "." not in run and re.fullmatch(r"(?:19|20)\d\d", run):
            return  # a year heading
        if len(run.split(".")[0]) > 4 or run.count(".") > 1:
            return  # statements group thousands: a longer ungrouped run is run-together cells or an id
        yield offset, offset + len(run), _decimal(run)
        return
    if not re.match(r"\d{1,3},", run):
        return  # "1234,567": where the first cell ends is a guess
    pos = 0
    while pos < len(run):
        m = _GROUP_RUN.match(run, pos)
        if m is None:
            tail = run[pos:]
            if tail.isdigit() and len(tail) <= 3:
                yield offset + pos, offset + len(run), _decimal(tail)  # "3,8703": 3,870 then 3
            return
        yield offset + m.start(), offset + m.end(), _decimal(m.group())
        pos = m.end()


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    from bisect import bisect_left

    index = bisect_left(spans, (end, end))
    return any(s < end and start < e for s, e in spans[max(0, index - 3) : index])
