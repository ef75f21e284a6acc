"""The documents of a batch: paths, texts, (id, text) pairs or mappings, read lazily and deduplicated."""

from __future__ import annotations

import glob
import itertools
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Union

from llmx.errors import InputError
from llmx.hashing import content_hash
from llmx.extraction.inputs import check_text
from llmx.readers import Document, read_document, read_records, table_format

DocInput = Union[str, Path, tuple[str, str], Mapping[str, Any]]
# A text file up to this size is read on the event loop: a thread hop costs twice the read itself.
INLINE_READ_BYTES = 64 * 1024
INLINE_READ_SUFFIXES = frozenset({".txt", ".md", ".text"})


@dataclass(frozen=True, slots=True, init=False)
class Doc:
    """One document of a batch: a file (read lazily, in a worker) or a text already in memory.

    A batch holds one Doc per document for the whole run, so a file's path is kept as its text
    (`file`) and `path` builds the `Path` when asked: a `Path` with its parsed parts, plus the
    instance dict, cost about 0.5 kB more per document (20,000 documents: ~10 MB of peak RSS).
    """

    id: str
    file: str | None  # the path as text (str of the Path given)
    text: str | None
    origin: dict[str, Any] | None = field(default=None, compare=False)  # a table row's meta.source

    def __init__(
        self, id: str, path: str | os.PathLike[str] | None = None, text: str | None = None, origin: dict[str, Any] | None = None
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "file", None if path is None else str(path))
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "origin", origin)

    @property
    def path(self) -> Path | None:
        """The file, or None for a text given in memory."""
        return None if self.file is None else Path(self.file)

    @property
    def source(self) -> str:
        return self.file if self.file is not None else f"<text {self.id}>"

    def load(self) -> str:
        """The document text; InputError if it is empty, binary or unreadable."""
        return self.read().text

    def reads_quickly(self) -> bool:
        """True when `read` is cheap enough for the event loop: a text in memory, or a small text file.

        A batch reads other files (PDF, HTML, large or unreadable ones) in a thread so that a slow
        disk or a slow parser never stalls the requests in flight; for a press release of a few
        kilobytes the hop to the thread costs more CPU than the read (docs/measurements.md).
        """
        if self.file is None:
            return True
        if os.path.splitext(self.file)[1].lower() not in INLINE_READ_SUFFIXES:
            return False
        try:
            return os.stat(self.file).st_size <= INLINE_READ_BYTES
        except OSError:  # missing or unreadable: the thread's read says what is wrong
            return False

    def read(self) -> Document:
        """The document as its reader extracted it (HTML, PDF, EDGAR, text: `llmx.readers`)."""
        if self.file is not None:
            return read_document(Path(self.file))
        return Document(text=check_text(self.text, source=self.id), reader="text")  # type: ignore[arg-type]


def collect_docs(inputs: Iterable[DocInput]) -> tuple[list[Doc], int]:
    """Turn user inputs into Docs with stable ids; returns (docs, number of duplicates dropped).

    A `Path`, or a `str` naming an existing file, is a file whose id is its stem (the path
    relative to the files' common folder when two stems collide). Any other `str` is document
    text with id `doc-<first 12 hex of its sha256>`, stable across runs so resume works.
    `(id, text)` pairs and `{"id": ..., "text": ...}` mappings keep the id given.
    """
    # Each file resolved as it comes (a streamed listing is never held: see `iter_paths`), kept
    # as text: a batch of many files holds no Path object per file (see Doc); same file twice -> once.
    files: dict[str, None] = {}
    others: list[Doc] = []
    for item in inputs:
        if isinstance(item, Path) or (isinstance(item, str) and _names_file(item)):
            rows = _table_rows(Path(item))
            if rows is None:
                files.setdefault(os.path.realpath(item), None)
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
    for doc in itertools.chain(_file_docs(files), others):
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


def _file_docs(resolved: Collection[str]) -> list[Doc]:
    """One Doc per file (distinct resolved paths), id = its stem, or its path below the common folder when stems collide."""
    stems: dict[str, int] = {}
    for file in resolved:
        stem = Path(file).stem
        stems[stem] = stems.get(stem, 0) + 1
    if len(stems) == len(resolved):  # no two stems alike: the stems, in the files' order, are the ids (kept once)
        return [Doc(id=stem, path=file) for stem, file in zip(stems, resolved)]
    root = Path(os.path.commonpath([os.path.dirname(file) for file in resolved]))
    return [
        Doc(id=stem if stems[stem := Path(file).stem] == 1 else Path(file).relative_to(root).with_suffix("").as_posix(), path=file)
        for file in resolved
    ]


_GLOB_CHARS = re.compile(r"[*?\[]")


def expand_paths(args: Sequence[str | Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Files named by command-line arguments: files, directories (their non-hidden files) and globs.

    Raises InputError naming the argument when a path does not exist or a glob matches nothing.
    """
    return list(iter_paths(args, exclude))


def iter_paths(args: Sequence[str | Path], exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """`expand_paths` as a stream: the arguments are checked now, their files listed as they are taken.

    Raises the same InputError at once (before anything is listed), and yields the same paths in
    the same order, each once, but never holds them: a `Path` costs ~0.6 kB with its parsed
    parts, so a listing of 20,000 files held until the batch had read it was ~12 MB of peak RSS
    (docs/measurements.md, round 6). A directory keeps only its sorted file names (text) while
    it is being listed; a glob its matches as text.
    """
    skip = {identity for identity in map(_file_identity, exclude) if identity is not None}
    listings = [_listing(arg) for arg in args]  # every argument checked before the first file is listed
    return _stream(listings, skip, dedupe=len(listings) > 1)


def _listing(arg: str | Path) -> Callable[[], Iterator[Path]]:
    """What `arg` names, as a function listing it; InputError now when it names nothing to extract."""
    path = Path(arg)
    if path.is_file():
        return lambda: iter((path,))
    if path.is_dir():
        if not any(_listed(entry) for entry in _entries(path)):
            raise InputError(f"{arg}: the directory has no files to extract")
        return lambda: (path / name for name in sorted(entry.name for entry in _entries(path) if _listed(entry)))
    if _GLOB_CHARS.search(str(arg)):
        matches = [name for name in glob.glob(str(arg), recursive=True) if os.path.isfile(name)]
        if not matches:
            raise InputError(f"{arg}: no files match this pattern")
        matches.sort(key=lambda name: PurePath(name).parts)  # the order of sorted Paths
        return lambda: map(Path, matches)
    if path.exists():
        raise InputError(f"{arg}: not a regular file or directory")
    raise InputError(f"{arg}: no such file or directory")


def _entries(folder: Path) -> Iterator[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        yield from entries


def _listed(entry: os.DirEntry[str]) -> bool:
    """A directory's entry that is extracted: a non-hidden regular file (or a link to one)."""
    return not entry.name.startswith(".") and entry.is_file()


def _stream(listings: list[Callable[[], Iterator[Path]]], skip: set[tuple[int, int]], *, dedupe: bool) -> Iterator[Path]:
    """The paths of every listing in turn, minus the excluded files; each path once when several arguments may overlap."""
    seen: set[str] = set()  # as text, as Path equality has it
    for listing in listings:
        for path in listing():
            if skip and _file_identity(path) in skip:
                continue
            if dedupe:
                key = os.path.normcase(path)
                if key in seen:
                    continue
                seen.add(key)
            yield path


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of an existing file, None otherwise: the same file under any name (symlink, hard link).

    One `stat` instead of `Path.resolve`, which walks and reads every link of the path (a
    tenth of a millisecond for a file reached through symlinks, once per listed document).
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def errors_path_for(out: str | Path) -> Path:
    """Where the failures of a run writing `out` go: `out.jsonl` -> `out.errors.jsonl`."""
    out = Path(out)
    return out.with_name(f"{out.stem if out.suffix else out.name}.errors.jsonl")
