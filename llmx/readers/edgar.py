"""SEC EDGAR full-submission `.txt` files: SGML header plus `<DOCUMENT>` blocks.

The extracted text is the EX-99.x exhibits (where 8-K press releases live), each read as HTML
or plain text, joined by a blank line; a submission without EX-99 exhibits yields its primary
document. The header's filer name and CIK, the form type and every document's type go into
the metadata, with each included document's span in the text.
"""

from __future__ import annotations

import re
from typing import Any

from llmx.errors import InputError
from llmx.readers.document import Document, single_page
from llmx.readers.encoding import utf8_with_1252_fallback
from llmx.readers.html import html_to_text

EXHIBIT_SEPARATOR = "\n\n"

_MARKERS = re.compile(rb"<SEC-DOCUMENT>|<SEC-HEADER>|<IMS-HEADER>|<DOCUMENT>\s*<TYPE>", re.IGNORECASE)
_HEADER = re.compile(r"<(SEC|IMS)-HEADER>(.*?)</(SEC|IMS)-HEADER>", re.IGNORECASE | re.DOTALL)
_DOCUMENT = re.compile(r"<DOCUMENT>(.*?)(?:</DOCUMENT>|\Z)", re.IGNORECASE | re.DOTALL)
_TEXT = re.compile(r"<TEXT>(.*?)(?:</TEXT>|\Z)", re.IGNORECASE | re.DOTALL)
_TAG_VALUE = re.compile(r"^<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>[ \t]*(.*?)[ \t]*$", re.IGNORECASE | re.MULTILINE)
_HEADER_FIELD = re.compile(r"^[ \t]*([A-Z][A-Z0-9 ./-]*?):[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_LOOKS_HTML = re.compile(r"<(html|body|p|div|table|font|br)\b", re.IGNORECASE)
_PAGE_TAGS = re.compile(r"^[ \t]*</?PAGE>[ \t]*$", re.IGNORECASE | re.MULTILINE)
_BINARY = re.compile(r"^\s*(<PDF>|<XBRL>|<XML>|begin [0-7]{3} )", re.IGNORECASE)


def looks_like_edgar(head: bytes) -> bool:
    """True when the first bytes carry EDGAR submission markup."""
    return _MARKERS.search(head[:8192]) is not None


def read_edgar(data: bytes | str, source: str | None = None) -> Document:
    """The press-release exhibits of a full submission, with filer and document metadata."""
    name = source or "<edgar>"
    raw = data if isinstance(data, str) else utf8_with_1252_fallback(data)[0]
    metadata: dict[str, Any] = _header(raw)
    blocks = [_document(match.group(1)) for match in _DOCUMENT.finditer(raw)]
    if not blocks:
        raise InputError(f"{name}: an EDGAR submission without any <DOCUMENT> block")
    wanted = [block for block in blocks if block["type"].upper().startswith("EX-99") and block["text"].strip()]
    if not wanted:
        wanted = [next((block for block in blocks if block["text"].strip()), blocks[0])]
    parts: list[str] = []
    position = 0
    for block in blocks:
        block["included"] = any(block is chosen for chosen in wanted)
        if block["included"] and block["text"].strip():
            if parts:
                position += len(EXHIBIT_SEPARATOR)
            block["span"] = [position, position + len(block["text"])]
            parts.append(block["text"])
            position += len(block["text"])
    text = EXHIBIT_SEPARATOR.join(parts)
    if not text.strip():
        raise InputError(f"{name}: the EDGAR submission's documents hold no text")
    metadata["documents"] = [{k: v for k, v in block.items() if k != "text"} for block in blocks]
    return single_page(text, "edgar", source=source, metadata=metadata)


def _header(raw: str) -> dict[str, Any]:
    match = _HEADER.search(raw)
    if match is None:
        return {}
    fields: dict[str, str] = {}
    for key, value in _HEADER_FIELD.findall(match.group(2)):
        fields.setdefault(key.strip().upper(), value)  # the first filer's values win
    out: dict[str, Any] = {}
    for key, label in (("ACCESSION NUMBER", "accession"), ("CONFORMED SUBMISSION TYPE", "form_type"), ("FILED AS OF DATE", "filed")):
        if fields.get(key):
            out[label] = fields[key]
    if len(out.get("filed", "")) == 8 and out["filed"].isdigit():
        out["filed"] = f"{out['filed'][:4]}-{out['filed'][4:6]}-{out['filed'][6:]}"
    filer = {label: fields[key] for key, label in (("COMPANY CONFORMED NAME", "name"), ("CENTRAL INDEX KEY", "cik")) if fields.get(key)}
    if filer:
        out["filer"] = filer
    return out


def _document(body: str) -> dict[str, Any]:
    tags = {key.lower(): value for key, value in _TAG_VALUE.findall(body.split("<TEXT>", 1)[0] if "<TEXT>" in body else body)}
    text_match = _TEXT.search(body)
    content = text_match.group(1) if text_match else ""
    block: dict[str, Any] = {
        "type": tags.get("type", ""),
        "sequence": tags.get("sequence"),
        "filename": tags.get("filename"),
        "description": tags.get("description"),
    }
    if _BINARY.match(content):
        block["text"] = ""  # PDF, XBRL or uuencoded attachments carry no readable text
    elif _LOOKS_HTML.search(content[:4096]):
        block["text"] = html_to_text(content)[0]
    else:
        block["text"] = _PAGE_TAGS.sub("", content).strip("\n")
    return {k: v for k, v in block.items() if v is not None}
