"""Turn what users hand us (paths, bytes, strings) into text, and split long texts for a model.

Every span llmx reports is an offset into the text returned by `decode_document` /
`check_text`, so those functions never rewrite characters (only a UTF-8 byte-order mark is
dropped, which is not part of the text). Chunks keep their offset into the original text so
anything found inside a chunk can be mapped back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from llmx.errors import InputError

# Control characters other than tab/newline/carriage return/form feed: a document made mostly
# of these is binary, not text (a PDF or a zip renamed .txt).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_MAX_CONTROL_SHARE = 0.01


def _control_count(text: str) -> int:
    """How many characters of `text` are control characters (`_CONTROL_BYTES`).

    Counted on the UTF-8 bytes: every byte of a multi-byte character is >= 0x80, so the control
    bytes are exactly the control characters (lone surrogates pass as three such bytes). Three
    times cheaper than a regex scan of the text.
    """
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _CONTROL_BYTES))


def read_document(path: str | Path) -> str:
    """Read and decode one document file; raise InputError saying what is wrong with it."""
    file = Path(path)
    if not file.exists():
        raise InputError(f"{file}: no such file")
    if not file.is_file():
        raise InputError(f"{file}: not a regular file")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror or exc})") from exc
    return decode_document(data, source=str(file))


def decode_document(data: bytes, source: str = "<bytes>") -> str:
    """Decode UTF-8 bytes into text, rejecting binary data and other encodings with a clear message."""
    if b"\x00" in data:
        raise InputError(f"{source}: looks like a binary file (contains NUL bytes); llmx extracts from UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it first, e.g. `iconv -f latin1 -t utf-8`"
        ) from exc
    return check_text(text, source=source)


def check_text(text: str, source: str = "<text>") -> str:
    """Return `text` unchanged if it is extractable text; raise InputError otherwise."""
    if not isinstance(text, str):
        raise InputError(f"{source}: expected text (str), got {type(text).__name__}")
    if not text.strip():
        raise InputError(f"{source}: the document is empty (nothing but whitespace)")
    controls = _control_count(text)
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{source}: looks like binary data ({controls} control characters), not text")
    return text


@dataclass(frozen=True, slots=True)
class Chunk:
    """A window of the original text: `text == original[start:end]`."""

    start: int
    end: int
    text: str

    def contains(self, span: tuple[int, int]) -> bool:
        return self.start <= span[0] and span[1] <= self.end

    def to_global(self, span: tuple[int, int]) -> tuple[int, int]:
        """Map a span inside the chunk to a span in the original text."""
        return (span[0] + self.start, span[1] + self.start)


# Preferred cut points, best first: blank line, line end, sentence end, any whitespace.
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"')\]]?\s"), re.compile(r"\s"))


def chunk_text(text: str, max_chars: int, overlap: int = 400) -> list[Chunk]:
    """Split `text` into windows of at most `max_chars`, consecutive windows sharing ~`overlap` chars.

    Cuts fall on the best natural break (paragraph, line, sentence, word) in the last third of a
    window, so a money mention or a sentence is rarely split; the overlap gives the model the
    context on both sides of a cut. A text that fits is one chunk.
    """
    if max_chars <= 0:
        raise ValueError("max_chars must be positive")
    overlap = max(0, min(overlap, max_chars // 2))
    if len(text) <= max_chars:
        return [Chunk(0, len(text), text)]
    chunks: list[Chunk] = []
    start = 0
    while start < len(text):
        end = min(start + max_chars, len(text))
        if end < len(text):
            end = _best_cut(text, start + (2 * max_chars) // 3, end)
        chunks.append(Chunk(start, end, text[start:end]))
        if end >= len(text):
            break
        next_start = _first_start(text, max(start + 1, end - overlap), end) if overlap else end
        start = next_start if next_start > start else end
    return chunks


def _first_start(text: str, lo: int, hi: int) -> int:
    """The start of the first line (else word) inside text[lo:hi], so the overlap begins cleanly."""
    window = text[lo:hi]
    for pattern in (_BREAKS[1], _BREAKS[3]):
        match = pattern.search(window)
        if match is not None:
            return lo + match.end()
    return lo


def _best_cut(text: str, lo: int, hi: int) -> int:
    """The end of the last preferred break inside text[lo:hi], or `hi` if there is none."""
    window = text[lo:hi]
    for pattern in _BREAKS:
        last = None
        for last in pattern.finditer(window):
            pass
        if last is not None:
            return lo + last.end()
    return hi
