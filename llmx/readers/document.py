"""The `Document` a reader returns: the extracted text every span indexes, and how it was obtained."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

Page = tuple[int, int]


@dataclass(frozen=True)
class Document:
    """Text extracted from one input, plus its provenance.

    `pages` are `[start, end)` offsets into `text`, one per page (one page for formats without
    pages), so a span found in `text` can be traced back to the page it was printed on.
    `metadata` holds what the format itself says (PDF info, EDGAR filer and CIK, HTML charset).
    """

    text: str
    reader: str
    pages: tuple[Page, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    source: str | None = None

    def page_of(self, offset: int) -> int | None:
        """The 1-based page holding character `offset`, or None when it is outside every page."""
        if not self.pages:
            return None
        starts = [start for start, _ in self.pages]
        index = bisect_right(starts, offset) - 1
        if index < 0:
            return None
        start, end = self.pages[index]
        return index + 1 if start <= offset < max(end, start + 1) else None

    def source_info(self) -> dict[str, Any]:
        """What a record's `meta.source` says about this document (JSON-ready)."""
        info: dict[str, Any] = {"reader": self.reader, "pages": [list(page) for page in self.pages]}
        if self.source is not None:
            info["path"] = self.source
        if self.metadata:
            info["metadata"] = self.metadata
        return info


def single_page(text: str, reader: str, *, source: str | None = None, metadata: dict[str, Any] | None = None) -> Document:
    """A Document for formats without pages: one page covering the whole text."""
    return Document(text=text, reader=reader, pages=((0, len(text)),), metadata=metadata or {}, source=source)
