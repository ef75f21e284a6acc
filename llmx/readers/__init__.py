"""Documents as users have them: plain text/Markdown, HTML, PDF, EDGAR submissions, JSON Lines/CSV.

`read_document` picks the reader from the content (PDF magic bytes, EDGAR markup, HTML markup),
using the file suffix only when the content does not say; every span llmx reports indexes the
`Document.text` it returns (`llmx text FILE` prints it). Table exports hold many documents:
`read_records` turns them into the mappings `extract_many` takes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from llmx.errors import InputError
from llmx.extraction.inputs import decode_document
from llmx.readers.document import Document, single_page
from llmx.readers.edgar import looks_like_edgar, read_edgar
from llmx.readers.html import read_html
from llmx.readers.pdf import read_pdf
from llmx.readers.tables import read_records, table_format

__all__ = ["Document", "MAX_INPUT_BYTES", "attach_source", "detect_format", "read_document", "read_records", "table_format"]

MAX_INPUT_BYTES = 256 * 1024 * 1024  # larger inputs are refused before they are read

_HTML_START = re.compile(rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(rb"<(?:html|head|body|div|p|table|span|br|meta|title)\b[^>]*>", re.IGNORECASE)
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def detect_format(data: bytes, name: str | None = None) -> str:
    """"pdf", "edgar", "html", "jsonl", "csv" or "text", from the bytes first and the suffix second."""
    head = data[:8192].lstrip(b"\xef\xbb\xbf")
    suffix = Path(name).suffix.lower() if name else ""
    if head[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if looks_like_edgar(head):
        return "edgar"
    if _HTML_START.match(head) or (head.lstrip()[:1] == b"<" and _HTML_TAG.search(head)):
        return "html"
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix == ".pdf":
        return "pdf"  # read_pdf says what is wrong with it (truncated, not a PDF at all)
    table = table_format(name or "", head)
    return table or "text"


def read_document(source: str | Path | bytes, *, name: str | None = None, pdf_engine: str = "pdfium") -> Document:
    """Read one document from a path or raw bytes; InputError says what is wrong and what to do.

    `name` labels bytes in messages and (by its suffix) breaks ties the content leaves open.
    A JSON Lines/CSV file holding one row is that row's document; several rows need
    `read_records` (or `llmx extract`, which expands them).
    """
    if isinstance(source, (bytes, bytearray)):
        data, label, path = bytes(source), name or "<bytes>", None
    else:
        path = Path(source)
        data, label = _read_bytes(path), str(path)
    kind = detect_format(data, name or label)
    if kind == "pdf":
        if b"%PDF-" not in data[:1024]:
            raise InputError(f"{label}: named like a PDF but it is not one (no %PDF- header)")
        return read_pdf(data, source=label, engine=pdf_engine)
    if kind == "edgar":
        return read_edgar(data, source=label)
    if kind == "html":
        return read_html(data, source=label)
    if kind in ("jsonl", "csv") and path is not None:
        records = read_records(path, kind=kind)
        if len(records) != 1:
            raise InputError(f"{label}: a {kind} file of {len(records)} documents; extract it with `llmx extract` or llmx.readers.read_records")
        row = records[0]
        return single_page(row["text"], kind, source=label, metadata={"line": row["source"]["line"], "id": row["id"]})
    return single_page(decode_document(data, source=label), "text", source=label)


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{path}: {size / 2**20:.0f} MB is more than llmx reads ({MAX_INPUT_BYTES // 2**20} MB); split it first")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def attach_source(record: Any, document: Document | dict[str, Any] | Any) -> Any:
    """Record in `record.meta.source` how its text was obtained; for paged documents also the
    page of every amount and ticker (`mention_pages`, aligned with `record.amounts`/`tickers`)."""
    meta = getattr(record, "meta", None)
    if meta is None or not hasattr(meta, "source") or not isinstance(document, (Document, dict)):
        return record
    if isinstance(document, dict):
        meta.source = dict(document)
        return record
    info = document.source_info()
    if len(document.pages) > 1:
        info["mention_pages"] = {
            field: [document.page_of(item.span[0]) if getattr(item, "span", None) else None for item in getattr(record, field, None) or []]
            for field in ("amounts", "tickers")
        }
    meta.source = info
    return record
