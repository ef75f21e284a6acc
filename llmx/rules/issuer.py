"""The issuer of a release: the company that put it out, with its listing.

Moved out of llmx.rules.parties (which keeps the companies): the issuer is read from the lead
sentence after the dateline, the headline and the listings printed near the top.
"""

from __future__ import annotations

import re

from llmx.recognize import Mentions, TickerMention
from llmx.rules.parties import _LEGAL_SUFFIX, _clean
from llmx.schema import Issuer

__all__ = ["find_issuer"]

# A dateline ends after its date or its wire marker, then a dash or slash:
# "CITY, ST - August 4, 2025 (WIRE) - ", "CITY, Aug. 1, 2025 /PRNewswire/ -- ".
_DATELINE_MARKS = (
    re.compile(r"\b(?:19|20)\d\d\b\)?[ \t]*(?:[-–—]+|/(?![A-Za-z]))[ \t]*"),
    re.compile(r"\([A-Za-z][\w .]{1,30}\)[ \t]*[-–—/]+[ \t]*|/[ \t]*[A-Za-z][A-Za-z ]{1,24}[ \t]*/[ \t]*(?:[-–—]+[ \t]*)?"),
)
_LEAD_NAME = re.compile(r"(?P<name>[A-Z][\w.&'’-]*(?:,?[ \t]+(?:&[ \t]+)?[A-Z0-9][\w.&'’-]*){0,7})")


def _dateline_end(paragraph: str) -> int:
    """Offset just past a dateline, or 0 without one."""
    end = 0
    for pattern in _DATELINE_MARKS:
        for match in pattern.finditer(paragraph[:200]):
            if match.start() <= 160:
                end = max(end, match.end())
    return end


def _lead_paragraph(text: str) -> tuple[str, int]:
    """The first prose paragraph after the headline, with any dateline stripped, and its offset.

    A paragraph carrying a dateline wins over an earlier one (a sub-headline or a byline)."""
    offset = 0
    first: tuple[str, int] | None = None
    for number, paragraph in enumerate(re.split(r"\n\s*\n", text)):
        start = text.find(paragraph, offset)
        offset = start + len(paragraph)
        stripped = paragraph.strip()
        if not stripped or stripped.startswith(("#", "*", "•", "-", "By ", "[")) or len(stripped) < 120:
            continue
        lead_start = start + (len(paragraph) - len(paragraph.lstrip()))
        cut = _dateline_end(stripped)
        if cut:
            return text[lead_start + cut : offset], lead_start + cut
        if first is None:
            first = (text[lead_start:offset], lead_start)
        if number > 6:
            break
    return first if first else ("", 0)


def _listing_after(text: str, pos: int, tickers: list[TickerMention]) -> TickerMention | None:
    for ticker in tickers:
        gap = text[pos : ticker.span[0]]
        if 0 <= ticker.span[0] - pos <= 14 and re.fullmatch(r"[\s,(]*(?:[A-Z][A-Za-z.-]{0,9}\s*)?", gap):
            return ticker
    return None


def find_issuer(text: str, mentions: Mentions | None = None) -> Issuer:
    """The company that put out the release: the subject of the lead sentence, with its listing."""
    tickers = list(mentions.tickers) if mentions else []
    lead, offset = _lead_paragraph(text)
    name = None
    match = _LEAD_NAME.match(lead)
    if match:
        name = _clean(_trim_lead_name(match.group("name")))
    if not name:
        title = re.match(r"\s*#\s*(?P<name>[^\n]*)", text)
        head = _LEAD_NAME.search(title.group("name")) if title else None
        name = _clean(_trim_lead_name(head.group("name"))) if head else None
    if not name:
        return Issuer()
    full = _full_name(text, name)
    ticker = None
    start = text.find(name)  # not a regex of the name: that would be compiled anew for every document
    while start >= 0:
        end = start + len(name)
        suffix = _LEGAL_SUFFIX_AFTER.match(text, end)
        ticker = _listing_after(text, suffix.end() if suffix else end, tickers)
        if ticker:
            break
        start = text.find(name, end)
    return Issuer(name=full, ticker=ticker.symbol if ticker else None, exchange=ticker.exchange if ticker else None)


def _trim_lead_name(name: str) -> str:
    """Cut a lead-sentence subject at the first verb-like word ("Acme Corp. Announces ...")."""
    words = name.split()
    kept: list[str] = []
    for word in words:
        bare = word.strip(",")
        if kept and re.fullmatch(r"(?:Announces?|Reports?|Today|Secures?|Signs?|Completes?|Closes?|Receives?|Posts?|Enters?|Launches?|Served|Serves|Said|Is|Has|Was|To|And|Through|Acts?)", bare):
            break
        kept.append(word)
        if word.endswith(","):
            if re.match(rf"^(?:{_LEGAL_SUFFIX})", words[len(kept)] if len(kept) < len(words) else ""):
                continue
            kept[-1] = bare
            break
    return " ".join(kept)


_LEGAL_TAIL = re.compile(rf",?\s+(?:{_LEGAL_SUFFIX})(?![\w])")
_LEGAL_SUFFIX_AFTER = re.compile(rf",?\s*(?:{_LEGAL_SUFFIX})")


def _full_name(text: str, name: str) -> str:
    """The legal form of `name` printed elsewhere ("Xcel Brands" -> "Xcel Brands, Inc.")."""
    # str.find and one compiled pattern: a pattern built from each name would be compiled anew per document.
    start = text.find(name)
    while start >= 0:
        tail = _LEGAL_TAIL.match(text, start + len(name))
        if tail:
            return text[start : tail.end()]
        start = text.find(name, start + 1)
    return name
