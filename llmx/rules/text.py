"""Text geometry shared by the rule modules: sentences, section headings and a mention's context.

Press releases mix prose, bullet lists and two-column tables flattened to alternating lines, so
"the sentence around a mention" needs a little care: a table cell that holds only an amount takes
its meaning from the row label printed on the previous line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from llmx.rules.cues import searchable

# A full stop ends a sentence unless it closes one of these (common in company names and prose).
_ABBREVIATIONS = frozenset(
    "inc corp co ltd llc plc no nos mr mrs ms dr st vs approx e.g i.e u.s u.k etc jr sr prof "
    "jan feb mar apr jun jul aug sep sept oct nov dec n.v s.a b.v l.p s.p.a pty fig est dept".split()
)
_SENTENCE_END = re.compile(r"[.!?;](?=[\"'”’)\]]*\s+[\"'“‘(\[]*[A-Z0-9*•$€£])")
# A line break, a bullet ("* ", "• " after a space) or a spaced dash before a capital. Written to
# begin with one character class (the first character of each break) so that re skips ahead to
# candidates: "\n\s*|(?<=\s)[*•]\s|\s[–—-]\s(?=[A-Z])" with each alternative's first character read first.
_BREAK = re.compile(r"[\s*•](?:(?<=\n)\s*|(?<=\s[*•])\s|(?<=\s)[–—-]\s(?=[A-Z]))")
# `_BREAK` is tried at every blank. Its bullet and dash alternatives need a bullet or dash (rare characters re skips
# ahead to): `_BULLET_OR_DASH` finds one from the bullet or dash, where a bullet match begins and one past where a dash
# match begins. A block where none is found holds only line-break matches, which `_LINE_BREAK` finds alone.
_BULLET_OR_DASH = re.compile(r"[*•–—-](?<=\s[*•–—-])(?:(?<=[*•])\s|(?<=[–—-])\s(?=[A-Z]))")
_LINE_BREAK = re.compile(r"\n\s*")
_WORD_BEFORE_DOT = re.compile(r"([A-Za-z.]+)$")
_WORDS_BEFORE = re.compile(r"[A-Za-z]{3}|^\s*[-*•]")
_HAS_WORD = re.compile(r"[A-Za-z]{2}")
# A section heading is one whole line: "# ..." , "**...**" or a short title-like line. Searched as the line at offset 0 and
# as a line break followed by the line (re skips ahead to the break, a literal), which finds the matches of
# "(?m)^" + _HEADING_LINE (tried at every position) at the same line starts: no match holds a line break.
# The plain title's run is possessive ({2,60}+): where "[ \t]*$" fails after the longest run it fails after every shorter
# one too (blanks are in the run's class, so a shorter run followed by blanks to the line end makes the longest run end
# in blanks to the line end), so giving characters back, up to 58 tries per long prose line, cannot make a match.
_HEADING_LINE = r"[ \t]*(?:#{1,6}[ \t]*(?P<hash>[^\n]+)|\*\*(?P<bold>[^*\n]{2,80})\*\*[ \t]*$|(?P<plain>[A-Z][^\n.;:!?]{2,60}+))[ \t]*$"
_HEADING_FIRST = re.compile("(?m)" + _HEADING_LINE)
_HEADING_NEXT = re.compile("(?m)\n" + _HEADING_LINE)


@dataclass(frozen=True)
class Window:
    """The context of one mention: text before/after it in its sentence, a table row label, and
    the heading of its section ("Outlook" makes a figure a projection)."""

    before: str
    after: str
    label: str = ""
    heading: str = ""

    @cached_property
    def _lowered_before(self) -> str | None:
        return searchable(self.before)

    def tail(self, size: int | None = None) -> tuple[str, str | None]:
        """The last `size` characters of `before` (all of it: None) and their `cues.searchable` form, for
        `cues.Anchored.search_in`: `before` is lower-cased once per window, not once per construction searched."""
        lowered = self._lowered_before
        if size is None:
            return self.before, lowered
        return self.before[-size:], (lowered[-size:] if lowered is not None else None)


# Sentence starts are found per block of text, only in the blocks a mention's sentence reaches.
_BLOCK = 1024


class TextIndex:
    """Sentence and paragraph boundaries of one text, each computed once and only where asked for.

    Sentence starts are found block by block (`_BLOCK` characters, each block ending after a letter
    or digit): neither pattern's match holds a letter or digit, so no match crosses such a boundary,
    and a scan from it finds what the scan of the whole text finds there. A mention's sentence
    usually lies in one or two blocks of a text of five.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._blocks: dict[int, list[int]] = {}
        self._boundaries: dict[int, int] = {}
        self._bounds: dict[tuple[int, int], tuple[int, int]] = {}  # each mention's sentence is asked for several times

    def _boundary(self, block: int) -> int:
        """Where `block` starts: its nominal offset, moved on until just after a letter or digit."""
        at = self._boundaries.get(block)
        if at is None:
            text = self.text
            at = min(block * _BLOCK, len(text))
            while 0 < at < len(text) and not text[at - 1].isalnum():
                at += 1
            self._boundaries[block] = at
        return at

    def _block(self, block: int) -> list[int]:
        """The sentence starts that the matches beginning in `block` give, sorted (they lie after its start, up to its end)."""
        found = self._blocks.get(block)
        if found is not None:
            return found
        text = self.text
        begin, finish = self._boundary(block), self._boundary(block + 1)
        starts = {0} if block == 0 else set()
        for match in _SENTENCE_END.finditer(text, begin):
            dot = match.start()
            if dot >= finish:
                break
            if text[dot] != "." or not self._is_abbreviation(dot):  # only a full stop can close an abbreviation
                starts.add(match.end())
        # (a dash match begins one before its dash, so dashes up to `finish` count, with the blank and capital after it)
        breaks = _LINE_BREAK if _BULLET_OR_DASH.search(text, begin, finish + 3) is None else _BREAK
        for match in breaks.finditer(text, begin):
            if match.start() >= finish:
                break
            starts.add(match.end())
        found = self._blocks[block] = sorted(starts)
        return found

    def _block_of(self, pos: int) -> int:
        """The last block that starts at or before `pos`."""
        block = pos // _BLOCK
        while block > 0 and self._boundary(block) > pos:
            block -= 1
        return block

    def _is_abbreviation(self, dot: int) -> bool:
        if self.text[dot] != ".":
            return False
        word = _WORD_BEFORE_DOT.search(self.text, max(0, dot - 12), dot)
        if not word:
            return False
        token = word.group(1).lower().strip(".")
        return token in _ABBREVIATIONS or len(token) == 1  # initials: "D. Boral"

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """[begin, finish) of the sentence that contains [start, end)."""
        bounds = self._bounds.get((start, end))
        if bounds is None:
            bounds = self._bounds[start, end] = self._sentence_bounds(start, end)
        return bounds

    def _sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        block = self._block_of(start)
        while True:  # the last start at or before `start` (block 0 starts with 0)
            starts = self._block(block)
            i = bisect.bisect_right(starts, start) - 1
            if i >= 0:
                begin = starts[i]
                break
            block -= 1
        block = self._block_of(end - 1) if end > 0 else 0
        size = len(self.text)
        finish = size
        while self._boundary(block) < size or block == 0:  # the first start at or after `end`
            starts = self._block(block)
            j = bisect.bisect_left(starts, end)
            if j < len(starts):
                finish = starts[j]
                break
            block += 1
        return begin, finish

    def line_of(self, pos: int) -> tuple[int, int]:
        text = self.text
        finish = text.find("\n", pos)
        return text.rfind("\n", 0, pos) + 1, len(text) if finish < 0 else finish

    def previous_line(self, pos: int) -> str:
        """The nearest line with words above the line holding `pos` (at most 24 lines up).

        Lines of bare numbers or currency signs are the same row's other cells (tables flattened
        to one cell per line: "Net interest income / $ / 5,576 / $ / 5,873"), so they are skipped."""
        end = self.line_of(pos)[0] - 1
        for _ in range(24):
            if end <= 0:
                break
            start = self.text.rfind("\n", 0, end) + 1
            line = self.text[start:end].strip()
            if _HAS_WORD.search(line):
                return line
            end = start - 1
        return ""

    def window(self, start: int, end: int, *, left: int = 220, right: int = 160, floor: int = 0, ceiling: int | None = None) -> Window:
        """The mention's sentence, clipped to `left`/`right` characters either side and to [floor, ceiling)."""
        begin, finish = self.sentence_bounds(start, end)
        begin = max(begin, floor)
        finish = min(finish, ceiling if ceiling is not None else finish)
        before = self.text[max(begin, start - left) : start]
        after = self.text[end : min(finish, end + right)]
        label = ""
        line_begin, line_end = self.line_of(start)
        line_before = self.text[line_begin:start]
        if not _WORDS_BEFORE.search(line_before) and line_end - line_begin < 160:
            label = self.previous_line(start)  # a table cell: the row label is on the line above
        return Window(before=before, after=after, label=label, heading=self.heading_above(start))

    @cached_property
    def headings(self) -> list[tuple[int, str]]:
        """(offset, text) of section headings: '#' lines, bold-only lines, short title-like lines."""
        found = []
        first = _HEADING_FIRST.match(self.text)
        # every other line start follows a line break: the break is matched (and skipped to), the heading starts after it
        for match, start in ((first, 0), *((match, match.start() + 1) for match in _HEADING_NEXT.finditer(self.text))):
            if match is None:
                continue
            title = match.group("hash") or match.group("bold") or match.group("plain")
            if match.group("plain") and (not self._blank_around(start, match.end()) or len(title.split()) > 7):
                continue
            found.append((start, title.strip()))
        return found

    def _blank_around(self, start: int, end: int) -> bool:
        """A plain-text heading stands alone: blank (or no) lines on both sides."""
        before = self.text[max(0, start - 2) : start]
        after = self.text[end : end + 2]
        return (start == 0 or before.endswith("\n\n") or not before.strip()) and (not after.strip() or after.startswith("\n\n") or after == "\n")

    @cached_property
    def _heading_offsets(self) -> list[int]:
        return [offset for offset, _ in self.headings]

    def heading_above(self, pos: int) -> str:
        """The nearest section heading above `pos` (empty before the first one)."""
        i = bisect.bisect_right(self._heading_offsets, pos) - 1
        if i < 0 or self.headings[i][0] == 0:
            return ""
        return self.headings[i][1]
