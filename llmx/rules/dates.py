"""Release date from the dateline ("NEW YORK, Aug. 1, 2025 /PRNewswire/ --").

Only a date printed in the dateline is the release date: closing dates and "as of" dates in the
body are not. A dateline date sits near the start of a paragraph, behind at most a place name
(and maybe a wire name), and is followed by a separator or a wire marker.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import date

from llmx.rules.scan import find_all

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
# "\b" + _MONTH, read first letter first: a pattern that begins with a character class (taken
# case-sensitively: every letter re.IGNORECASE equates with one; "ſ" is an "s") lets re skip ahead
# to the next candidate letter instead of trying the pattern at every position, and the word
# boundary is tested after that letter ("(?<!\w\w)"). The months are mutually exclusive from their
# first two letters, so grouping them by the first one keeps every match.
_MONTH_WORD = (
    r"(?P<month>(?-i:[JFMASONDjfmasond\u017f])(?<!\w\w)(?:(?<=j)(?:an(?:uary)?|une?|uly?)|(?<=f)eb(?:ruary)?|(?<=m)(?:ar(?:ch)?|ay)"
    r"|(?<=a)(?:pr(?:il)?|ug(?:ust)?)|(?<=s)ept?(?:ember)?|(?<=o)ct(?:ober)?|(?<=n)ov(?:ember)?|(?<=d)ec(?:ember)?))\.?"
)
# The same for the patterns that begin with a digit: "\d(?<!\w\d)" is "\b\d".
_DATE_PATTERNS = (
    re.compile(rf"{_MONTH_WORD}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"(?P<day>\d(?<!\w\d)\d?)(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(r"(?P<year>(?:19|20)(?<!\w\d\d)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
)
# Every date holds a year, which begins "19" or "20" (found with str.find): a month-first or day-first
# date ends with its year and holds at most 15 characters besides blanks before it ("September. 30th,"),
# an ISO date begins with it. So each pattern is tried only next to a year, not at every letter or
# digit of the text, with the same matches in the same order (no two dates of one pattern overlap).
_MAX_BEFORE_YEAR = 15
_YEAR_FIRST = 2  # the index of the ISO pattern in _DATE_PATTERNS


@functools.lru_cache(maxsize=1)
def _year_starts(text: str) -> tuple[int, ...]:
    """Every offset where "19" or "20" is printed, in order: where a date's year may start.

    The last text's offsets are kept (a tuple: read-only): each date pattern of `find_date` and
    of `first_printed` asks for the same text's, two scans of a record's text instead of six.
    """
    return tuple(sorted({*find_all(text, "19"), *find_all(text, "20")}))


def _window_start(text: str, year: int) -> int:
    """An offset before which no date ending with the year at `year` can start: more than
    `_MAX_BEFORE_YEAR` characters that are not blanks lie between it and the year."""
    for reach in (40, 400):
        start = year - reach
        if start <= 0:
            return 0
        if len("".join(text[start:year].split())) > _MAX_BEFORE_YEAR:
            return start
    return 0


def _date_matches(index: int, text: str) -> Iterator[re.Match[str]]:
    """The matches `_DATE_PATTERNS[index].finditer(text)` gives, in order, each searched next to a year only."""
    pattern = _DATE_PATTERNS[index]
    end = 0  # the end of the last match: later ones start after it, as a scan's do
    for year in _year_starts(text):
        if year < end:
            continue
        if index == _YEAR_FIRST:
            match = pattern.match(text, year)
        else:  # the one match that ends with this year, if any (one character past it decides the \b)
            match = next((m for m in pattern.finditer(text, _window_start(text, year), min(len(text), year + 5)) if m.start("year") == year), None)
        if match is not None and match.start() >= end:
            end = match.end()
            yield match


# A dateline prefix holds only place names, wire names and separators: every word is capitalised
# or a joining word ("PHILADELPHIA and HEIDELBERG, Germany, ", "HOUSTON, TX / ACCESSWIRE / ").
_PREFIX_CHARS = re.compile(r"^[\s\w.,'’()/|*>–—-]*$")
_PREFIX_JOINERS = frozenset({"and", "de", "of", "la", "du"})


def _is_dateline_prefix(prefix: str) -> bool:
    """True when the text before a date could be a dateline's place and wire names."""
    if not _PREFIX_CHARS.match(prefix):
        return False
    words = re.findall(r"[A-Za-z][\w'’]*", prefix)
    return all(w[0].isupper() or w in _PREFIX_JOINERS for w in words) and len(words) <= 10


_DATELINE_SUFFIX = re.compile(r"^\s*(?:[-–—]{1,2}|/|\(|\)|\||:|,?\s*(?:\(|/)?\s*[A-Za-z ]{0,30}(?:wire|newswire|news|press)\b)", re.IGNORECASE)
_SEARCH_CHARS = 2500


def _to_iso(match: re.Match[str]) -> str | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3].lower())
    try:
        return date(int(match.group("year")), month or 0, int(match.group("day"))).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> str | None:
    """The dateline date as YYYY-MM-DD, or None when the text prints no dateline."""
    head = text[:_SEARCH_CHARS]
    candidates = []
    for index in range(len(_DATE_PATTERNS)):
        for match in _date_matches(index, head):
            line_start = head.rfind("\n", 0, match.start()) + 1
            prefix = head[line_start : match.start()]
            if prefix.lstrip().startswith("#"):
                continue  # a date in the headline is about the news, not the release
            if len(prefix) > 90 or not _is_dateline_prefix(prefix):
                continue
            if not _DATELINE_SUFFIX.match(head[match.end() : match.end() + 40]):
                continue
            iso = _to_iso(match)
            if iso:
                candidates.append((match.start(), iso))
                break  # matches come in text order: a later one of this pattern cannot be earlier
    return min(candidates)[1] if candidates else None


def first_printed(iso: str, text: str) -> tuple[int, int] | None:
    """Span of the first date printed in `text` that reads as `iso`: what `printed_dates` lists first for it.

    Each pattern's matches come in text order, so a pattern is read only up to its first match
    of `iso`, or up to the first match that starts after the earliest span found so far.
    """
    best: tuple[int, int] | None = None
    for index in range(len(_DATE_PATTERNS)):
        for match in _date_matches(index, text):
            if best is not None and match.start() > best[0]:
                break
            if _to_iso(match) == iso:
                best = match.span() if best is None else min(best, match.span())
                break
    return best


def printed_dates(text: str) -> list[tuple[tuple[int, int], str]]:
    """Every date printed in `text` as ((start, end), YYYY-MM-DD), in text order (for date spans)."""
    found = [(match.span(), iso) for index in range(len(_DATE_PATTERNS)) for match in _date_matches(index, text) if (iso := _to_iso(match))]
    return sorted(found)
