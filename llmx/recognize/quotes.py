"""Align names and phrases a model (or a rule) copied from a text to where they are printed.

A quote counts as printed when it occurs in the text up to case and spacing, or, for OCR-noisy
text ("ImnmunoGen" for "ImmunoGen"), when a run of whole words of the text has a rapidfuzz
ratio of at least `QUOTE_MATCH` with it. Short quotes
(fewer than `FUZZY_MIN_CHARS` characters) must match exactly: a fuzzy match of three letters
is found in almost any text.
"""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz

from llmx.schema import Span

QUOTE_MATCH = 85  # "ImmunoGen" in "ImnmunoGen" scores 88.9
FUZZY_MIN_CHARS = 5
_TRAILING = ",;:)\"'’”"


def not_printed(quote: str) -> str:
    """The re-ask message for a quote that is not in the text."""
    return f"{quote!r} is not printed in the text; copy the words exactly as they appear in the release, or use null"


@functools.lru_cache(maxsize=1024)  # compiling costs more than the search; a name is aligned several times per document
def _pattern(quote: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in quote.split()]
    body = r"\s+".join(words)
    before = r"(?<!\w)" if quote[:1].isalnum() else ""
    after = r"(?!\w)" if quote[-1:].isalnum() else ""
    return re.compile(before + body + after, re.IGNORECASE)


# The characters re.IGNORECASE equates with an ASCII letter although str.lower() does not make them
# that letter (İ, ı ~ i; ſ ~ s); İ is also the only character whose lower case is longer than it.
_LOWER_UNSAFE = "\u0130\u0131\u017f"


def _lower_is_safe(text: str) -> bool:
    """True when `text` holds no `_LOWER_UNSAFE` character (three substring tests: faster than a regex class)."""
    return text.isascii() or not any(char in text for char in _LOWER_UNSAFE)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # re's \w


def _find_words(words: list[str], text: str, lowered: str, bounded: bool) -> Span | None:
    """First span where the lower-case `words` are printed one after another with whitespace between.

    The same span as `_pattern` (bounded) or the unbounded join finds, without compiling a regex,
    when the words are ASCII and `lowered` is `text` lower-cased with no `_LOWER_UNSAFE` character:
    each whitespace run is taken whole (a word never begins with whitespace), so a start either
    gives one match or none, and starts are tried left to right.
    """
    first, size = words[0], len(text)
    before = bounded and first[0].isalnum()
    after = bounded and words[-1][-1].isalnum()
    at = lowered.find(first)
    while at >= 0:
        end = at + len(first)
        if not (before and at > 0 and _is_word(text[at - 1])):
            for word in words[1:]:
                gap = end
                while gap < size and text[gap].isspace():
                    gap += 1
                if gap == end or not lowered.startswith(word, gap):
                    break
                end = gap + len(word)
            else:
                if not (after and end < size and _is_word(text[end])):
                    return at, end
        at = lowered.find(first, at + 1)
    return None


def align(quote: str | None, text: str, threshold: float = QUOTE_MATCH) -> tuple[str, Span] | None:
    """(text as printed, span) of `quote` in `text`, or None when it is not printed there."""
    return Aligner(text).align(quote, threshold)


class Aligner:
    """`align` for the many names of one text: the text is lower-cased once, not once per name."""

    def __init__(self, text: str) -> None:
        self.text = text

    @functools.cached_property
    def _lowered(self) -> str | None:
        """The text lower-cased for `_find_words`, or None when lower-casing is not safe (`_lower_is_safe`)."""
        return self.text.lower() if _lower_is_safe(self.text) else None

    def align(self, quote: str | None, threshold: float = QUOTE_MATCH) -> tuple[str, Span] | None:
        """(text as printed, span) of `quote` in the text, or None when it is not printed there."""
        if not quote or len(quote.strip()) < 2:
            return None
        text = self.text
        quote = " ".join(quote.split())
        if quote.isascii() and (lowered := self._lowered) is not None:
            words = quote.lower().split()
            span = _find_words(words, text, lowered, bounded=True) or _find_words(words, text, lowered, bounded=False)
            if span is not None:
                return text[span[0] : span[1]], span
        else:
            match = _pattern(quote).search(text) or re.compile(r"\s+".join(map(re.escape, quote.split())), re.IGNORECASE).search(text)
            if match is not None:
                return match.group(0), match.span()
        if len(quote) < FUZZY_MIN_CHARS:
            return None
        return _fuzzy(quote, text, threshold)


_WORD = re.compile(r"\S+")


def _fuzzy(quote: str, text: str, threshold: float) -> tuple[str, Span] | None:
    """The run of whole words of `text` most like `quote` (rapidfuzz ratio, case ignored), if >= threshold.

    Runs have one word fewer to one word more than the quote, so an OCR split ("Imnmuno Gen")
    or a lost word still aligns; trailing punctuation is not part of a run ("Inc." is kept).
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    size = len(quote.split())
    target = quote.casefold()
    best: tuple[float, int, int] | None = None
    for n in range(max(1, size - 1), size + 2):
        for i in range(len(words) - n + 1):
            start, end = words[i][0], words[i + n - 1][1]
            while end > start and text[end - 1] in _TRAILING:
                end -= 1
            score = fuzz.ratio(target, " ".join(text[start:end].split()).casefold(), score_cutoff=threshold)
            if score and (best is None or score > best[0]):
                best = (score, start, end)
    if best is None:
        return None
    _, start, end = best
    return text[start:end], (start, end)
