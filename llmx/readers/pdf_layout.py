"""Paragraphs and headings from PDFium's text geometry.

PDFium's text is one line per printed line, with no paragraph structure. From each line's
baseline and font size we restore it: a line whose baseline step from the line before is
clearly larger than the document's usual step (relative to the font size), or whose font size
changes, starts a new paragraph (a blank line); lines in type at least `HEADING_RATIO` times
the body size are a heading, joined into one line that starts with Markdown's "# ", the shape
the rules expect of a headline. `unwrap` then joins the lines of a paragraph (a PDF line break
is layout, not text), except before a list bullet.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

HEADING_RATIO = 1.25
PARAGRAPH_STEP = 1.35  # a step this many times the usual one (per unit of font size) is a gap
SIZE_CHANGE = 0.1


@dataclass(frozen=True)
class Line:
    text: str
    baseline: float | None  # y of the first visible character (PDF units, up is larger)
    size: float | None  # its font size


def page_lines(textpage: Any) -> list[Line]:
    """The lines of one PDFium text page with their baseline and font size."""
    import pypdfium2.raw as raw

    text = textpage.get_text_range()
    if len(text) != textpage.count_chars():  # characters outside the BMP: no reliable index map
        return [Line(line, None, None) for line in text.replace("\r\n", "\n").split("\n")]
    lines: list[Line] = []
    x, y = ctypes.c_double(), ctypes.c_double()
    start = 0
    for line in text.split("\r\n"):
        stripped = len(line) - len(line.lstrip())
        if line.strip():
            index = start + stripped
            raw.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
            lines.append(Line(line, y.value, raw.FPDFText_GetFontSize(textpage.raw, index)))
        else:
            lines.append(Line(line, None, None))
        start += len(line) + 2
    return lines


def compose(pages: list[list[Line]]) -> list[str]:
    """Each page's text with paragraph breaks and heading marks restored."""
    sized = [line for page in pages for line in page if line.size]
    if not sized:
        return ["\n".join(line.text for line in page) for page in pages]
    weights: Counter[float] = Counter()
    for line in sized:
        weights[round(line.size, 1)] += len(line.text)
    body = weights.most_common(1)[0][0]
    usual = _usual_step(pages)
    return [_compose_page(page, body, usual) for page in pages]


def _usual_step(pages: list[list[Line]]) -> float | None:
    ratios = [
        (prev.baseline - line.baseline) / line.size
        for page in pages
        for prev, line in zip(page, page[1:])
        if prev.size and line.size and _same_size(prev.size, line.size) and prev.baseline is not None and line.baseline is not None and prev.baseline > line.baseline
    ]
    return statistics.median(ratios) if ratios else None


def _same_size(a: float, b: float) -> bool:
    return abs(a - b) <= SIZE_CHANGE * max(a, b)


def _compose_page(page: list[Line], body: float, usual: float | None) -> str:
    out: list[str] = []
    previous: Line | None = None
    for line in page:
        if not line.text.strip() or line.size is None or line.baseline is None:
            if line.text.strip():
                out.append(("\n" if out else "") + line.text)
            previous = None
            continue
        heading = line.size >= HEADING_RATIO * body
        if previous is None or not out:
            separator = "\n\n" if out else ""
            new_paragraph = True
        else:
            step = previous.baseline - line.baseline  # type: ignore[operator]
            gap = usual is not None and step > 0 and step / max(line.size, previous.size or 0) > PARAGRAPH_STEP * usual
            new_paragraph = gap or not _same_size(line.size, previous.size or line.size)
            separator = "\n\n" if new_paragraph else ("\n" if not heading else " ")
        out.append(separator + ("# " if heading and new_paragraph else "") + line.text.strip())
        previous = line
    return "".join(out)


_COMPOUND_BREAK = re.compile(r"(?<=[^\W\d_]-)[ \t]*\n[ \t]*(?=[^\W\d_])")
_SOFT_BREAK = re.compile(r"(?<!\n)[ \t]*\n[ \t]*(?!\n|[ \t]*(?:[•●▪◦‣*–-]|\d{1,2}[.)])[ \t])")


def unwrap(text: str) -> str:
    """Join the lines of each paragraph: "-\n" between letters (a compound the hyphen rule
    kept) joins without a space, any other single line break becomes a space; blank lines and
    breaks before list bullets ("• ", "- ", "1. ") stay."""
    return _SOFT_BREAK.sub(" ", _COMPOUND_BREAK.sub("", text))
