"""The documents of a batch: paths, texts, (id, text) pairs or mappings, read lazily and deduplicated."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from llmx.errors import InputError
from llmx.hashing import content_hash
from llmx.extraction.inputs import check_text
from llmx.readers import Document, read_document, read_records, table_format

DocInput = Union[str, Path, tuple[str, str], Mapping[str, Any]]
# A text file up to this size is read on the event loop: a thread hop costs twice the read itself.
INLINE_READ_BYTES = 64 * 1024
INLINE_READ_SUFFIXES = frozenset({".txt", ".md", ".text"})


@dataclass(frozen=True)
class Doc:
    """One document of a batch: a file (read lazily, in a worker) or a text already in memory."""

    id: str
    path: Path | None = None
    text: str | None = None
    origin: dict[str, Any] | None = field(default=None, compare=False)  # a table row's meta.source

    @property
    def source(self) -> str:
        return str(self.path) if self.path is not None else f"<text {self.id}>"

    def load(self) -> str:
        """The document text; InputError if it is empty, binary or unreadable."""
        return self.read().text

    def reads_quickly(self) -> bool:
        """True when `read` is cheap enough for the event loop: a text in memory, or a small text file.

        A batch reads other files (PDF, HTML, large or unreadable ones) in a thread so that a slow
        disk or a slow parser never stalls the requests in flight; for a press release of a few
        kilobytes the hop to the thread costs more CPU than the read (docs/measurements.md).
        """
        if self.path is None:
            return True
        if self.path.suffix.lower() not in INLINE_READ_SUFFIXES:
            return False
        try:
            return self.path.stat().st_size <= INLINE_READ_BYTES
        except OSError:  # missing or unreadable: the thread's read says what is wrong
            return False

    def read(self) -> Document:
        """The document as its reader extracted it (HTML, PDF, EDGAR, text: `llmx.readers`)."""
        if self.path is not None:
            return read_document(self.path)
        return Document(text=check_text(self.text, source=self.id), reader="text")  # type: ignore[arg-type]


def collect_docs(inputs: Iterable[DocInput]) -> tuple[list[Doc], int]:
    """Turn user inputs into Docs with stable ids; returns (docs, number of duplicates dropped).

    A `Path`, or a `str` naming an existing file, is a file whose id is its stem (the path
    relative to the files' common folder when two stems collide). Any other `str` is document
    text with id `doc-<first 12 hex of its sha256>`, stable across runs so resume works.
    `(id, text)` pairs and `{"id": ..., "text": ...}` mappings keep the id given.
    """
    files: list[Path] = []
    others: list[Doc] = []
    for item in inputs:
        if isinstance(item, Path) or (isinstance(item, str) and _names_file(item)):
            rows = _table_rows(Path(item))
            if rows is None:
                files.append(Path(item))
            else:
                others.extend(Doc(id=str(row["id"]), text=row["text"], origin=row["source"]) for row in rows)
        elif isinstance(item, str):
            others.append(Doc(id=f"doc-{content_hash(item)[:12]}", text=item))
        elif isinstance(item, tuple) and len(item) == 2:
            others.append(Doc(id=str(item[0]), text=item[1]))
        elif isinstance(item, Mapping) and "text" in item:
            text = item["text"]
            doc_id = item.get("id") or f"doc-{content_hash(str(text))[:12]}"
            others.append(Doc(id=str(doc_id), text=text, origin=item.get("source")))
        else:
            raise TypeError(
                f"cannot extract from {type(item).__name__}: pass file paths, texts, (id, text) pairs "
                "or {'id': ..., 'text': ...} mappings"
            )
    docs: list[Doc] = []
    by_id: dict[str, Doc] = {}
    duplicates = 0
    for doc in _file_docs(files) + others:
        seen = by_id.get(doc.id)
        if seen is None:
            by_id[doc.id] = doc
            docs.append(doc)
        elif seen == doc:
            duplicates += 1  # the same file or the same text given twice
        else:
            raise ValueError(f"two different documents have the id {doc.id!r} ({seen.source} and {doc.source})")
    return docs, duplicates


def _table_rows(path: Path) -> list[dict[str, Any]] | None:
    """A JSON Lines/CSV export's rows (default id/text fields), or None for any other file.

    An export that cannot be parsed stays one file, so the batch records its InputError.
    """
    if not path.is_file() or table_format(path, _head(path)) is None:
        return None
    try:
        return read_records(path)
    except InputError:
        return None


def _head(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(4096)


def _names_file(value: str) -> bool:
    return "\n" not in value and len(value) < 4096 and os.path.isfile(value)


def _file_docs(files: list[Path]) -> list[Doc]:
    resolved = list(dict.fromkeys(path.resolve() for path in files))  # same file twice -> once
    stems: dict[str, int] = {}
    for path in resolved:
        stems[path.stem] = stems.get(path.stem, 0) + 1
    if all(count == 1 for count in stems.values()):
        return [Doc(id=path.stem, path=path) for path in resolved]
    root = Path(os.path.commonpath([str(path.parent) for path in resolved]))
    return [
        Doc(id=path.stem if stems[path.stem] == 1 else path.relative_to(root).with_suffix("").as_posix(), path=path)
        for path in resolved
    ]


_GLOB_CHARS = re.compile(r"[*?\[]")


def expand_paths(args: Sequence[str | Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Files named by command-line arguments: files, directories (their non-hidden files) and globs.

    Raises InputError naming the argument when a path does not exist or a glob matches nothing.
    """
    skip = {path.resolve() for path in exclude}
    found: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_file():
            matches = [path]
        elif path.is_dir():
            matches = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            if not matches:
                raise InputError(f"{arg}: the directory has no files to extract")
        elif _GLOB_CHARS.search(str(arg)):
            matches = sorted(Path(p) for p in glob.glob(str(arg), recursive=True) if os.path.isfile(p))
            if not matches:
                raise InputError(f"{arg}: no files match this pattern")
        elif path.exists():
            raise InputError(f"{arg}: not a regular file or directory")
        else:
            raise InputError(f"{arg}: no such file or directory")
        found.extend(p for p in matches if p.resolve() not in skip)
    return list(dict.fromkeys(found))


def errors_path_for(out: str | Path) -> Path:
    """Where the failures of a run writing `out` go: `out.jsonl` -> `out.errors.jsonl`."""
    out = Path(out)
    return out.with_name(f"{out.stem if out.suffix else out.name}.errors.jsonl")
