"""PDF text layer to text, page by page (pypdfium2 by default; see docs/readers.md for why).

llmx does not OCR: a PDF whose pages carry no text (a scan) is an InputError naming tools that
add a text layer. Encrypted PDFs open when their user password is empty (permissions-only
encryption); otherwise they are an InputError too, as are damaged or truncated files.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from typing import Any

from llmx.errors import InputError
from llmx.readers.document import Document
from llmx.readers.pdf_layout import compose, page_lines, unwrap

PAGE_SEPARATOR = "\n\n"
MIN_TEXT_CHARS = 16  # fewer visible characters than this in the whole file: no text layer
# PDFium is not thread-safe and extract_many reads files in threads: one PDFium call at a time.
_PDFIUM_LOCK = threading.Lock()
OCR_HINT = "llmx does not OCR; add a text layer first, e.g. `ocrmypdf in.pdf out.pdf` (Tesseract) or `tesseract page.png out pdf`"

# Line-end hyphens. Soft/generated hyphens (U+00AD, and U+0002/U+FFFE which PDFium reports for
# hyphens a layout engine inserted) are always joined; a hard hyphen only when the joined word
# occurs elsewhere in the document, so compounds like "live-\ncommerce" keep their hyphen.
_SOFT_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])[\u00ad\u0002\ufffe][ \t]*\n[ \t]*(?=[^\W\d_])")
_HARD_HYPHEN_BREAK = re.compile(r"\b([^\W\d_]+)-[ \t]*\n[ \t]*([a-z][^\W\d_]*)([ \t]*)")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u00ad\ufffe\uffff]")


def read_pdf(data: bytes, source: str | None = None, engine: str = "pdfium") -> Document:
    """The text layer of a PDF as one text with per-page offsets; InputError when there is none."""
    name = source or "<pdf>"
    pages_of = ENGINES.get(engine)
    if pages_of is None:
        raise ValueError(f"unknown PDF engine {engine!r}; choose one of {sorted(ENGINES)}")
    raw_pages, info = pages_of(data, name)
    if not raw_pages:
        raise InputError(f"{name}: the PDF has no pages")
    pages = [_normalise(page) for page in raw_pages]
    if sum(len("".join(page.split())) for page in pages) < MIN_TEXT_CHARS:
        raise InputError(f"{name}: the PDF has no text layer ({len(raw_pages)} page(s) of images, e.g. a scan); {OCR_HINT}")
    words = _words(pages)
    # Hyphens are joined inside a page, never across a page break, so page offsets stay exact.
    texts = [join_hyphenated(page, words) for page in pages]
    if engine == "pdfium":  # the only engine whose pages carry paragraph structure (pdf_layout)
        texts = [unwrap(page) for page in texts]
    text, offsets = _join_pages(texts)
    metadata: dict[str, Any] = {"engine": engine, "page_count": len(raw_pages), **info}
    empty = [number for number, page in enumerate(texts, start=1) if not page.strip()]
    if empty:
        metadata["pages_without_text"] = empty
    return Document(text=text, reader="pdf", pages=tuple(offsets), metadata=metadata, source=source)


def join_hyphenated(text: str, words: set[str] | None = None) -> str:
    """Join words split by a line-end hyphen where that is safe (rule above).

    `words` are the lower-cased words known to occur unsplit (default: those of `text`).
    """
    text = _SOFT_HYPHEN_BREAK.sub("", text)
    known = words if words is not None else _words([text])

    def join(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        return f"{head}{tail}\n" if (head + tail).lower() in known else match.group(0)

    return _HARD_HYPHEN_BREAK.sub(join, text)


def _words(texts: list[str]) -> set[str]:
    return {word.lower() for text in texts for word in _WORD.findall(text)}


_WORD = re.compile(r"[^\W\d_]+")


def _normalise(page: str) -> str:
    """Unix line ends, soft hyphens joined, stray control characters dropped."""
    page = page.replace("\r\n", "\n").replace("\r", "\n")
    page = _SOFT_HYPHEN_BREAK.sub("", page)
    return _CONTROLS.sub("", page).strip("\n")


def _join_pages(texts: list[str]) -> tuple[str, list[tuple[int, int]]]:
    offsets: list[tuple[int, int]] = []
    position = 0
    for page in texts:
        offsets.append((position, position + len(page)))
        position += len(page) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(texts), offsets


# ----------------------------------------------------------------------------- engines
# Each returns (page texts, metadata); pypdf and pdfminer.six are kept for the comparison in
# benchmarks/bench_readers.py and are only needed there (the `dev` extra).


def _pages_pdfium(data: bytes, name: str) -> tuple[list[str], dict[str, Any]]:
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise InputError(f"{name}: reading PDF needs pypdfium2 (`pip install pypdfium2`)") from exc
    with _PDFIUM_LOCK:
        return _pdfium_locked(pdfium, data, name)


def _pdfium_locked(pdfium: Any, data: bytes, name: str) -> tuple[list[str], dict[str, Any]]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _open_error(name, str(exc)) from None
    try:
        lines = []
        for page in document:
            textpage = page.get_textpage()
            lines.append(page_lines(textpage))
            textpage.close()
            page.close()
        texts = compose(lines)
        info = {k.lower(): v for k, v in (document.get_metadata_dict(skip_empty=True) or {}).items() if k in ("Title", "Author", "Producer", "Creator")}
    finally:
        document.close()
    return texts, info


def _pages_pypdf(data: bytes, name: str) -> tuple[list[str], dict[str, Any]]:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _open_error(name, "password required")
        return [page.extract_text() or "" for page in reader.pages], {}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise _open_error(name, str(exc)) from None


def _pages_pdfminer(data: bytes, name: str) -> tuple[list[str], dict[str, Any]]:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.psexceptions import PSException

    try:
        count = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
        return [extract_text(io.BytesIO(data), page_numbers=[number]) for number in range(count)], {}
    except PDFPasswordIncorrect:
        raise _open_error(name, "password required") from None
    except (PSException, ValueError, KeyError, TypeError) as exc:
        raise _open_error(name, str(exc)) from None


def _open_error(name: str, detail: str) -> InputError:
    if "password" in detail.lower():
        return InputError(f"{name}: the PDF is encrypted with a password; decrypt it first, e.g. `qpdf --decrypt --password=... in.pdf out.pdf`")
    return InputError(f"{name}: the PDF is damaged or truncated and cannot be opened ({detail}); re-download or repair it (e.g. `qpdf in.pdf out.pdf`)")


ENGINES: dict[str, Callable[[bytes, str], tuple[list[str], dict[str, Any]]]] = {
    "pdfium": _pages_pdfium,
    "pypdf": _pages_pypdf,
    "pdfminer": _pages_pdfminer,
}
