"""Release date from the dateline ("NEW YORK, Aug. 1, 2025 /PRNewswire/ --").

Only a date printed in the dateline is the release date: closing dates and "as of" dates in the
body are not. A dateline date sits near the start of a paragraph, behind at most a place name
(and maybe a wire name), and is followed by a separator or a wire marker.
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
)
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
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(head):
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


def printed_dates(text: str) -> list[tuple[tuple[int, int], str]]:
    """Every date printed in `text` as ((start, end), YYYY-MM-DD), in text order (for date spans)."""
    found = [(match.span(), iso) for pattern in _DATE_PATTERNS for match in pattern.finditer(text) if (iso := _to_iso(match))]
    return sorted(found)
