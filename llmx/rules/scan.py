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

The rules then try their phrases only where a cue word is printed: `WordScan` finds every
occurrence of all of a module's cue words in one pass (what a `find_all` per word gives), and
`lowers_by_character` says when one lower-casing of a text serves its pieces too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ahocorasick_rs import AhoCorasick, Implementation, MatchKind

from llmx.recognize.text import find_all  # every offset of a word (str.find): the rules' word searches use it too

__all__ = ["WordHits", "WordScan", "find_all", "finditer_in", "lowers_by_character", "segments_with"]


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


def lowers_by_character(text: str, lowered: str) -> bool:
    """`lowered` (which is `text.lower()`) lower-cases each character of `text` on its own, to one character.

    Then any slice of `lowered` is the lower-casing of the same slice of `text`, so one `lower()`
    serves a text, its prefixes and its pieces. str.lower() maps a character alone except the
    capital sigma (final or not by its neighbours), and may map one to two ("İ" -> "i̇").
    """
    return len(lowered) == len(text) and "\u03a3" not in text


class WordHits:
    """Where each word of a `WordScan` is printed in one text (the answers of `find_all`, found in one pass)."""

    __slots__ = ("_index", "_positions")

    def __init__(self, index: dict[str, int], positions: list[list[int]]) -> None:
        self._index = index
        self._positions = positions

    def at(self, word: str) -> list[int]:
        """Every offset at which `word` occurs, overlapping ones too, ascending: `find_all(text, word)`."""
        return self._positions[self._index[word]]

    def disjoint(self, word: str) -> list[int]:
        """The offsets a find loop that resumes after each occurrence finds (`text.find(word, at + len(word))`)."""
        found: list[int] = []
        end = 0
        for at in self._positions[self._index[word]]:
            if at >= end:
                found.append(at)
                end = at + len(word)
        return found

    def any(self, words: Iterable[str]) -> bool:
        """One of `words` occurs (what `any(word in text for word in words)` says)."""
        return any(self._positions[self._index[word]] for word in words)

    def union(self, words: Iterable[str]) -> list[int]:
        """The offsets at which one of `words` occurs, each once, ascending (a new list)."""
        positions = self._positions
        index = self._index
        found = [at for word in words if (at := positions[index[word]])]  # most words are absent from most texts
        if len(found) <= 1:
            return list(found[0]) if found else []  # one word's offsets are ascending and distinct already
        return sorted({at for offsets in found for at in offsets})


class WordScan:
    """Every occurrence of each of a fixed list of words, found in one pass over a text.

    A module's cue words searched one `str.find` loop each cost a pass over the text per word;
    one Aho-Corasick automaton (`ahocorasick_rs`, built once at import) finds all of them at
    once, overlapping occurrences included, case-sensitively (search a lower-cased copy for
    lower-case words, as the loops it replaces did). Offsets are character offsets of `text`.
    """

    __slots__ = ("_automaton", "_index", "words")

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(dict.fromkeys(words))  # each word once, in the order given
        if not self.words or not all(self.words):
            raise ValueError("a WordScan needs at least one word, and no empty word")
        self._index = {word: i for i, word in enumerate(self.words)}
        self._automaton = AhoCorasick(list(self.words), matchkind=MatchKind.Standard, implementation=Implementation.DFA)

    def find(self, text: str) -> WordHits:
        """Where each word occurs in `text`; `at(word)` for a word not in the scan raises KeyError."""
        positions: list[list[int]] = [[] for _ in self.words]
        try:
            matches = self._automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # a lone surrogate has no UTF-8 form: one find loop per word
            return WordHits(self._index, [find_all(text, word) for word in self.words])
        for index, start, _ in matches:  # in order of their ends: ascending starts per word
            positions[index].append(start)
        return WordHits(self._index, positions)
