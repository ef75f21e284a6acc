"""The documents of a batch: paths, texts, (id, text) pairs or mappings, read lazily and deduplicated."""

from __future__ import annotations

import glob
import os
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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

    A batch makes each Doc when a worker takes it (`DocStream`); a file's path is kept as its
    text (`file`) and `path` builds the `Path` when asked (a `Path` with its parsed parts costs
    ~0.5 kB), so `collect_docs`' list of every Doc stays small too.
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
    Files come first (in the order given, each once), then the other documents.
    """
    stream = stream_docs(inputs)
    return list(stream), stream.duplicates


class Listing:
    """Inputs that are listed afresh each time they are iterated (a folder read again, never kept).

    `Listing(first, again)`: the first iteration takes `first` (e.g. a stream already started),
    every later one calls `again()`. A batch iterates its inputs twice (see `stream_docs`).
    """

    __slots__ = ("_first", "_again")

    def __init__(self, first: Iterable[DocInput] | None, again: Callable[[], Iterable[DocInput]]) -> None:
        self._first, self._again = first, again

    def __iter__(self) -> Iterator[DocInput]:
        first, self._first = self._first, None
        return iter(first if first is not None else self._again())


_FILE, _OTHER = 0, 1  # what an input item was in the survey: a file to extract (or a duplicate of one), or anything else


class DocStream:
    """The Docs of a batch, made as they are taken: `collect_docs`' ids, order and checks, without a Doc per document.

    `stream_docs` surveys the inputs once (every id rule and error is decided then, and
    `total` and `duplicates` are known before the run), keeping per input item one byte (what
    it was) and per file one 8-byte hash of its resolved path; iterating lists the inputs again
    and makes each Doc when it is taken. A file id depends on every other file's stem, so a
    batch of 20,000 files used to hold 20,000 Docs for the whole run (docs/measurements.md,
    session 9). Documents given with their text (texts, pairs, mappings, table rows) are held
    as Docs, as their texts are in memory anyway.
    """

    def __init__(self, source: Iterable[DocInput], kinds: bytearray, paths: array[int], others: list[Doc],
                 dropped: set[int], colliding: set[str], root: str | None, duplicates: int) -> None:
        self._source, self._kinds, self._paths, self._others = source, kinds, paths, others
        self._dropped, self._colliding, self._root = dropped, colliding, root
        self.duplicates = duplicates
        self.total = len(paths) - len(dropped) + len(others)

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[Doc]:
        kinds, paths, count = self._kinds, self._paths, 0
        for position, item in enumerate(self._source):
            if position >= len(kinds):
                raise _changed(item)
            if kinds[position] != _FILE:
                continue
            real = os.path.realpath(item)  # type: ignore[arg-type]
            if hash(real) != paths[count]:
                raise _changed(item)
            count += 1
            if count - 1 in self._dropped:
                continue
            stem = Path(real).stem
            yield Doc(id=stem if stem not in self._colliding else _relative_id(real, self._root), path=real)
        if count != len(paths):
            raise InputError(f"the inputs changed while the batch ran ({len(paths) - count} files fewer when listed again); rerun the command")
        yield from self._others


def _changed(item: Any) -> InputError:
    return InputError(f"{item}: the inputs changed while the batch ran (not listed the first time); rerun the command")


def _relative_id(real: str, root: str | None) -> str:
    return Path(real).relative_to(root).with_suffix("").as_posix()  # type: ignore[arg-type]


def stream_docs(inputs: Iterable[DocInput]) -> DocStream:
    """The Docs of `inputs` (see `collect_docs`) as a `DocStream`; ValueError/TypeError now, as `collect_docs` raises them.

    A list, a tuple or a `Listing` is iterated again as the stream is taken; any other iterable
    (a generator) is taken into a list first.
    """
    source: Iterable[DocInput] = inputs if isinstance(inputs, (Listing, list, tuple)) else list(inputs)
    kinds = bytearray()
    paths: array[int] = array("q")  # per file: hash of its resolved path (checked when listed again)
    stems: array[int] = array("q")  # per file: hash of its stem, for the survey only
    others: list[Doc] = []
    for item in source:
        if isinstance(item, Path) or (isinstance(item, str) and _names_file(item)):
            rows = _table_rows(Path(item))
            if rows is None:
                real = os.path.realpath(item)
                kinds.append(_FILE)
                paths.append(hash(real))
                stems.append(hash(Path(real).stem))
                continue
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
        kinds.append(_OTHER)
    distinct: list[Doc] = []
    by_id: dict[str, Doc] = {}
    duplicates = 0
    for doc in others:
        seen = by_id.get(doc.id)
        if seen is None:
            by_id[doc.id] = doc
            distinct.append(doc)
        elif seen == doc:
            duplicates += 1  # the same text given twice
        else:
            raise ValueError(f"two different documents have the id {doc.id!r} ({seen.source} and {doc.source})")
    ids = {hash(doc.id) for doc in distinct}
    shared = bool(ids) and any(stem in ids for stem in stems)  # maybe a file's id is another document's too
    repeated_paths, repeated_stems = _repeated(paths), _repeated(stems)
    del stems
    dropped: set[int] = set()
    colliding: set[str] = set()
    root: str | None = None
    if repeated_paths or repeated_stems or shared:  # a hash seen twice: a file given twice, or two files with one stem
        dropped, colliding, root = _resolve(source, kinds, repeated_paths, repeated_stems, by_id)
    return DocStream(source, kinds, paths, distinct, dropped, colliding, root, duplicates)  # a file under two names is not counted


def _repeated(values: array[int]) -> set[int]:
    """The values that occur more than once, found with ~2 B of scratch per value instead of a set of them all.

    A bitmap of ~16 bits per value marks the slots seen; only the values of slots hit twice (a few
    per cent, mostly different values sharing a slot) are then counted exactly.
    """
    size = 1 << max(6, (16 * len(values)).bit_length())
    seen = bytearray(size >> 3)
    hit: set[int] = set()
    for value in values:
        slot = value % size
        if seen[slot >> 3] & (1 << (slot & 7)):
            hit.add(slot)
        else:
            seen[slot >> 3] |= 1 << (slot & 7)
    del seen
    counts: dict[int, int] = {}
    if hit:
        for value in values:
            if value % size in hit:
                counts[value] = counts.get(value, 0) + 1
    return {value for value, count in counts.items() if count > 1}


def _resolve(
    source: Iterable[DocInput], kinds: bytearray, repeated_paths: set[int], repeated_stems: set[int], others: Mapping[str, Doc]
) -> tuple[set[int], set[str], str | None]:
    """What the survey's hashes left open, decided exactly from the files listed again: which files are
    a file given twice (their positions among the files), which stems collide, the files' common
    folder, and any file id another document has too (ValueError, as `collect_docs` always raised)."""
    dropped: set[int] = set()
    seen_paths: set[str] = set()
    stem_counts: dict[str, int] = {}
    folders: str | None = None
    files: list[tuple[str, str]] = []  # (resolved path, stem) of the files whose stem may collide or clash
    count = 0
    for position, item in enumerate(source):
        if position >= len(kinds) or kinds[position] != _FILE:
            continue
        real = os.path.realpath(item)  # type: ignore[arg-type]
        count += 1
        if hash(real) in repeated_paths:
            if real in seen_paths:
                dropped.add(count - 1)
                continue
            seen_paths.add(real)
        folder = os.path.dirname(real)
        folders = folder if folders is None else os.path.commonpath([folders, folder])
        stem = Path(real).stem
        if hash(stem) in repeated_stems or stem in others:
            stem_counts[stem] = stem_counts.get(stem, 0) + 1
            files.append((real, stem))
    colliding = {stem for stem, n in stem_counts.items() if n > 1}
    ids: dict[str, str] = {}
    for real, stem in files:
        doc_id = _relative_id(real, folders) if stem in colliding else stem
        if doc_id in ids or doc_id in others:
            first = ids.get(doc_id) or real
            second = real if doc_id in ids else others[doc_id].source
            raise ValueError(f"two different documents have the id {doc_id!r} ({first} and {second})")
        ids[doc_id] = real
    return dropped, colliding, folders if colliding else None


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
        return lambda: (path / name for name in _packed(sorted(entry.name for entry in _entries(path) if _listed(entry))))
    if _GLOB_CHARS.search(str(arg)):
        matches = [name for name in glob.glob(str(arg), recursive=True) if os.path.isfile(name)]
        if not matches:
            raise InputError(f"{arg}: no files match this pattern")
        matches.sort(key=lambda name: PurePath(name).parts)  # the order of sorted Paths
        packed = "\0".join(matches)
        return lambda: map(Path, _packed(packed))
    if path.exists():
        raise InputError(f"{arg}: not a regular file or directory")
    raise InputError(f"{arg}: no such file or directory")


def _packed(names: list[str] | str) -> Iterator[str]:
    """The names in turn, held as one text joined by NULs (no file name holds one) until the last is taken.

    A folder of 20,000 files listed as a list of names holds a string object per name (~60 B
    each) for as long as the batch takes its files; joined, ~1 B per name beyond its text.
    """
    joined = names if isinstance(names, str) else "\0".join(names)
    del names
    start = 0
    while start <= len(joined) and joined:
        end = joined.find("\0", start)
        if end < 0:
            end = len(joined)
        yield joined[start:end]
        start = end + 1


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
