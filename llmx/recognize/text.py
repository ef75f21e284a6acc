"""Text normalisation for the recognizers, with a map back to offsets in the original text.

Press releases arrive with typographic and OCR noise: non-breaking and thin spaces, en/em
dashes, curly quotes, full-width digits and colons, zero-width characters, soft hyphens, and
mis-read letters in exchange names ("Nasdag", "NYSE Arnerican"). The recognizers match their
regular expressions against a *normalised* copy and report spans in the *original* text, so
noise never moves a span. Plain ASCII text (the common case) is passed through untouched.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

# Characters folded to one ASCII character (length-preserving, so offsets do not move).
_ONE_TO_ONE: dict[str, str] = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63", "-"),
    **dict.fromkeys("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " "),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    "\ufe55": ":",
    # Footnote markers would glue onto scale words ("million\u00b9" -> "million1"): make them spaces.
    **dict.fromkeys("\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079", " "),
}
# The only characters outside ASCII that re.IGNORECASE matches to an ASCII letter, with that letter
# (tests/recognize/test_money.py checks every code point): a case-insensitive match of an ASCII word
# may hold one ("ſix" matches "six"), and str.lower() does not turn it into its letter.
IGNORECASE_ASCII_FOLDS: dict[str, str] = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
# Characters dropped entirely: invisible joiners, soft hyphens, byte-order marks.
_DROPPED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Full-width forms (U+FF01..U+FF5E) are NFKC-equivalent to ASCII, one for one: "\uff04\uff11" -> "$1".
_FULL_WIDTH = re.compile("[\uff01-\uff5e]+")
_FULL_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
# The full-width characters that can start or hold an amount or listing: only a text holding one is folded.
_FULL_WIDTH_KEYS = tuple(chr(code) for code in (0xFF04, 0xFF1A, *range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B)))


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised copy of `original` plus the edits needed to map offsets back.

    `_edits` holds (norm_start, norm_end, orig_start, orig_end) for every replaced run whose
    length changed, in text order; outside those runs offsets shift by a constant.
    """

    original: str
    text: str
    _edits: tuple[tuple[int, int, int, int], ...] = ()
    _starts: tuple[int, ...] = field(default=(), repr=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the original text."""
        if not self._edits:
            return start, end
        return self._orig_start(start), self._orig_end(end)

    def _orig_start(self, pos: int) -> int:
        index = bisect_right(self._starts, pos) - 1
        if index < 0:
            return pos
        n_start, n_end, o_start, o_end = self._edits[index]
        return o_start if pos < n_end else o_end + (pos - n_end)

    def _orig_end(self, pos: int) -> int:
        index = bisect_right(self._starts, pos - 1) - 1
        if index < 0:
            return pos
        n_start, n_end, o_start, o_end = self._edits[index]
        return o_end if pos <= n_end else o_end + (pos - n_end)


@lru_cache(maxsize=8)
def normalize(text: str) -> NormalizedText:
    """Fold typographic/Unicode noise to ASCII, keeping a map back to the original offsets.

    Only characters that matter for amounts and listings are folded (dashes, spaces, quotes,
    footnote marks, full-width forms, invisible characters); the rest is left alone. The work
    is done with C-level `str` methods per distinct character, never a Python loop over the
    text. Results are memoised for the last few texts because both recognizers normalise the
    same document in a row.
    """
    if text.isascii():
        return NormalizedText(text, text)
    # Every replacement maps a non-ASCII character to ASCII or to nothing, so no step adds or
    # removes a character another step looks for: which ones to fold is read once, from the text.
    present = non_ascii_characters(text)
    folded = text
    for char, replacement in _ONE_TO_ONE.items():
        if char in present:
            folded = folded.replace(char, replacement)
    if not present.isdisjoint(_FULL_WIDTH_KEYS):
        folded = _FULL_WIDTH.sub(lambda m: m.group().translate(_FULL_WIDTH_TABLE), folded)
    dropped = [char for char in _DROPPED if char in present]
    if not dropped:
        return NormalizedText(text, folded)
    positions = sorted(position for char in dropped for position in find_all(folded, char))
    edits = tuple((pos - index, pos - index, pos, pos + 1) for index, pos in enumerate(positions))
    for char in dropped:
        folded = folded.replace(char, "")
    return NormalizedText(text, folded, edits, tuple(edit[0] for edit in edits))


_ASCII_BYTES = bytes(range(128))


def non_ascii_characters(text: str) -> frozenset[str]:
    """The distinct non-ASCII characters of `text`.

    Each is a run of bytes >= 0x80 in UTF-8 and every ASCII byte stands for itself, so deleting
    the ASCII bytes (C-level `bytes.translate`) leaves exactly those characters: one pass over
    the text instead of a `str` search per character of interest.
    """
    return frozenset(text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))


def find_all(text: str, needle: str) -> list[int]:
    """Start of every occurrence of `needle` (C-speed `str.find`, far faster than a regex scan)."""
    positions = []
    position = text.find(needle)
    while position >= 0:
        positions.append(position)
        position = text.find(needle, position + 1)
    return positions


# Letter confusions OCR makes in exchange names, applied to a compact upper-case key.
_OCR_KEY_FIXES = (("RN", "M"), ("VV", "W"), ("0", "O"), ("1", "I"), ("|", "I"), ("5", "S"))
_KEY_JUNK = re.compile(r"[\s.\-_'\"]+")


def label_key(label: str) -> str:
    """A compact upper-case key for an exchange label: 'TSX-V' and 'TSX.V' -> 'TSXV'; 'Börse' -> 'BORSE'."""
    if not label.isascii():
        label = "".join(char for char in unicodedata.normalize("NFKD", label) if not unicodedata.combining(char))
    return _KEY_JUNK.sub("", label).upper()


def ocr_fold_key(key: str) -> str:
    """Undo common OCR letter confusions in a `label_key` ('NYSEARNERICAN' -> 'NYSEAMERICAN')."""
    for wrong, right in _OCR_KEY_FIXES:
        key = key.replace(wrong, right)
    return key
