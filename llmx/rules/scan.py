"""Run a regex only on the parts of a text where it can match, with exactly the matches of a full scan.

Python's `re` tries a pattern at every position of a text unless the pattern begins with a
literal or a character set; the name patterns of `llmx.rules.parties` begin with a look-behind,
so a full scan costs a pattern attempt per character. Most of a release cannot hold a match:
a company name with a legal suffix needs the suffix, and never runs across a line break. These
helpers find the few lines (or segments between characters a pattern cannot contain) that hold
a necessary literal and scan only those, with `pattern.finditer(text, pos, endpos)` so that
look-behinds still see the real text before the segment.

Exact when (the caller's obligation, stated at each use): every match contains a match of
`anchor`, and no match contains a separator (a line break when none is given); a separator is
neither a word character nor a full stop, so look-arounds at a segment's edge decide as they
would on the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def segments_with(
    anchor: re.Pattern[str], text: str, separator: re.Pattern[str] | None, anchor_text: str | None = None
) -> list[tuple[int, int]]:
    """[start, end) of every maximal run of `text` free of `separator` (None: line breaks) that holds an `anchor` match.

    `anchor_text` is searched for the anchor instead of `text` when given: a lower-cased copy of
    the same length, so that lower-case anchors find every case a case-sensitive pattern matches.
    """
    bounds: list[tuple[int, int]] = []
    position = 0
    haystack = text if anchor_text is None else anchor_text
    while True:
        hit = anchor.search(haystack, position)
        if hit is None:
            return bounds
        if separator is None:
            start = text.rfind("\n", 0, hit.start()) + 1
            end = text.find("\n", hit.end())
            end = len(text) if end < 0 else end
        else:
            start = _run_start(text, hit.start(), separator)
            stop = separator.search(text, hit.end())
            end = stop.start() if stop else len(text)
        if bounds and start < bounds[-1][1]:  # the anchor's own text held a separator: merge
            bounds[-1] = (bounds[-1][0], max(end, bounds[-1][1]))
        else:
            bounds.append((start, end))
        position = max(end, hit.end(), position + 1)


def _run_start(text: str, pos: int, separator: re.Pattern[str]) -> int:
    """Start of the separator-free run that holds `pos` (a backward scan in 200-character steps)."""
    low = pos
    while low > 0:
        low = max(0, low - 200)
        last = None
        for last in separator.finditer(text, low, pos):
            pass
        if last is not None:
            return last.end()
    return 0


def finditer_in(pattern: re.Pattern[str], text: str, bounds: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """The matches of `pattern` inside each [start, end) of `bounds`, in order."""
    for start, end in bounds:
        yield from pattern.finditer(text, start, end)


def find_all(text: str, word: str) -> list[int]:
    """Every offset at which `word` occurs in `text` (str.find: a C substring search, no regex scan)."""
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found
