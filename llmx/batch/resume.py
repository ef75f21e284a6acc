"""What makes a stored record reusable on a rerun, and the crash-safe compaction of an output file.

A record is reused only when its document id, the sha256 of its text AND the run key match:
`run_key(options, backend)` hashes what changes a record (backend, model, mode, prompt
template hash, label policy, record schema, keep_invalid). Anything else is extracted again and appended; at
the end of the run `compact` rewrites the JSONL so it holds only the last record of each id
(temp file, fsync, `os.replace`), so a crash before compaction leaves a file whose last record
per id is the current one, which is exactly what the next run reads.

A document that was tried again (its text or the configuration changed) and failed keeps no
record: compaction also drops the ids passed as `drop`, so OUT never holds a record that no
longer matches its input (the failure and the removal are in OUT.errors.jsonl).
"""

from __future__ import annotations

import hashlib
import json
import os
from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from llmx.extraction.grounded import label_policy
from llmx.extraction.prompts import PromptTemplate
from llmx.options import ExtractOptions

RUN_KEY_CHARS = 16

ResumeKey = tuple[str, str]  # (content hash, run key) of the last record of an id


def run_key(options: ExtractOptions, backend: Any = None) -> str:
    """Short hash of the configuration that produced a record (same key, same record for the same text).

    `backend` is the bound backend instance (its `name` and `model` win over the option strings);
    without one the options' own backend name and model are used.
    """
    backend = backend if backend is not None else options.backend
    if backend is None or isinstance(backend, str):
        name, model = backend or "auto", options.model
    else:
        name, model = getattr(backend, "name", type(backend).__name__), getattr(backend, "model", None)
    labels = options.labels if options.labels is not None else getattr(backend, "default_labels", None)
    parts = {
        "backend": name,
        "model": model,
        "mode": options.mode,
        "template": _template_id(options.template),
        "labels": asdict(label_policy(labels)) if labels is not None and options.mode == "grounded" else None,
        "schema": _schema_id(options.schema),
        "keep_invalid": options.keep_invalid,
    }
    payload = json.dumps(parts, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()[:RUN_KEY_CHARS]


def _template_id(template: Any) -> str | None:
    if isinstance(template, PromptTemplate):
        return template.hash
    return None if template is None else str(template)


def _schema_id(schema: type) -> str:
    try:
        shape = json.dumps(schema.model_json_schema(), sort_keys=True)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a schema pydantic cannot describe is keyed by its name alone
        shape = ""
    digest = hashlib.sha256(shape.encode("utf-8")).hexdigest()[:12]
    return f"{schema.__module__}.{schema.__qualname__}:{digest}"


def resume_key(entry: Mapping[str, Any]) -> tuple[str, str, str | None] | None:
    """(id, content hash, run key) of an output line; None for a line that cannot be resumed from."""
    meta = entry.get("meta")
    if isinstance(entry.get("id"), str) and isinstance(meta, dict) and isinstance(meta.get("content_hash"), str):
        key = meta.get("run_key")
        return entry["id"], meta["content_hash"], key if isinstance(key, str) else None
    return None


def last_keys(keys: Iterable[tuple[str, str, str | None] | None]) -> set[tuple[str, str, str | None]]:
    """The resume keys of the last record of each id (a record appended later replaces an earlier one)."""
    last: dict[str, tuple[str, str, str | None]] = {}
    for item in keys:
        if item is not None:
            last[item[0]] = item
    return set(last.values())


def _lines(path: Path) -> Iterator[tuple[int, bytes, dict[str, Any] | None]]:
    """(offset, raw line, parsed object or None) of every complete line of `path`."""
    offset = 0
    with path.open("rb") as handle:
        for raw in handle:
            parsed: dict[str, Any] | None = None
            if raw.endswith(b"\n"):
                try:
                    value = json.loads(raw)
                    parsed = value if isinstance(value, dict) else None
                except ValueError:
                    parsed = None
            yield offset, raw, parsed
            offset += len(raw)


def last_offsets(path: str | Path) -> dict[str, int]:
    """Byte offset of the last record line of each id (keys only: what compaction and tables need)."""
    last: dict[str, int] = {}
    file = Path(path)
    if not file.exists():
        return last
    for offset, _, entry in _lines(file):
        if entry is not None and isinstance(entry.get("id"), str):
            last[entry["id"]] = offset
    return last


def read_line_at(handle: Any, offset: int) -> dict[str, Any]:
    """The JSON object on the line starting at `offset` of a binary file handle."""
    handle.seek(offset)
    return json.loads(handle.readline())


def compact(path: str | Path, drop: Collection[str] = ()) -> int:
    """Keep only the last record of each id (in file order); returns how many lines were dropped.

    The records of the ids in `drop` go too: documents whose current text and configuration
    failed, whose old record would no longer match the input.

    Crash-safe: the kept lines go to a temp file beside `path`, which is fsynced and then
    `os.replace`d over it (and the folder fsynced), so `path` is always either the old file or
    the compacted one. Torn or unparsable lines are dropped too. Nothing is rewritten when
    there is nothing to drop.
    """
    file = Path(path)
    if not file.exists():
        return 0
    last = {key: offset for key, offset in last_offsets(file).items() if key not in drop}
    total = sum(1 for _, raw, _ in _lines(file) if raw.strip())
    dropped = total - len(last)
    if dropped <= 0:
        return 0
    keep = set(last.values())
    temp = file.with_name(f".{file.name}.compact-{os.getpid()}")
    try:
        with temp.open("wb") as out:
            for offset, raw, _ in _lines(file):
                if offset in keep:
                    out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, file)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_dir(file.parent)
    return dropped


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. a platform without directory descriptors
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


class ResumeIndex:
    """The last resumable record of each id in an output file, held as 24-48 bytes per id (not its text).

    `(id, content_hash, run_key) in index` is `last_keys`' test without holding the keys: an
    open-addressing table of two arrays maps the hash of each id to the byte offset of its last
    record line, and the line is read back to compare exactly (a hash is only a pointer to the
    line). Ids whose hash occurs on several lines (an id written again before compaction, or
    two ids sharing a hash) are resolved exactly by `seal`. A rerun over 20,000 records used to
    hold every (id, hash, run key) triple plus a dict and a set of them, ~0.4 kB per record
    (docs/measurements.md, session 9).
    `tidy` is False when compacting could drop a line: an id on several lines, or a line no
    record can be resumed from.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._hashes: array[int] = array("q", bytes(8 * 64))
        self._offsets: array[int] = array("q", [-1]) * 64  # -1: an empty slot
        self._used = 0
        self._earlier: list[tuple[int, int]] = []  # (hash, offset) of lines a later line with the same id hash replaced
        self._exact: dict[str, int] = {}  # ids of those hashes: id -> offset of its last line
        self._shared: set[int] = set()
        self.lines = 0  # lines read
        self.tidy = True
        self._handle: Any = None

    def add(self, entry: dict[str, Any], offset: int) -> None:
        """One parsed line of the file (in file order), starting at `offset`."""
        self.lines += 1
        key = resume_key(entry)
        if key is None:
            self.tidy = False
            return
        if 3 * (self._used + 1) > 2 * len(self._offsets):  # at most two thirds full
            self._grow()
        slot, found = self._slot(hash(key[0]))
        if found:
            self._earlier.append((self._hashes[slot], self._offsets[slot]))
        else:
            self._hashes[slot] = hash(key[0])
            self._used += 1
        self._offsets[slot] = offset

    def _slot(self, key: int) -> tuple[int, bool]:
        """Where `key` is (True) or would go (False): linear probing from its home slot."""
        mask = len(self._offsets) - 1
        slot = key & mask
        while self._offsets[slot] >= 0:
            if self._hashes[slot] == key:
                return slot, True
            slot = (slot + 1) & mask
        return slot, False

    def _grow(self) -> None:
        hashes, offsets = self._hashes, self._offsets
        self._hashes = array("q", bytes(16 * len(hashes)))
        self._offsets = array("q", [-1]) * (2 * len(offsets))
        for key, offset in zip(hashes, offsets):
            if offset >= 0:
                slot, _ = self._slot(key)
                self._hashes[slot], self._offsets[slot] = key, offset

    def seal(self, bad_lines: int = 0) -> "ResumeIndex":
        """Resolve the id hashes met on several lines by reading their ids; call once, after the last `add`."""
        self.tidy = self.tidy and not bad_lines and not self._earlier
        for key, offset in [*self._earlier, *((key, -1) for key in {key for key, _ in self._earlier})]:
            if offset < 0:  # the last line of this hash, after its earlier ones
                offset = self._offsets[self._slot(key)[0]]
            self._shared.add(key)
            self._exact[self._read(offset)["id"]] = offset
        self._earlier = []
        return self

    def __len__(self) -> int:
        return self._used

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _read(self, offset: int) -> dict[str, Any]:
        if self._handle is None:
            self._handle = self.path.open("rb")
        return read_line_at(self._handle, offset)

    def previous(self, doc_id: str) -> tuple[str, str, str | None] | None:
        """(id, content hash, run key) of the last resumable record of `doc_id`, None if it has none."""
        if not self._used:
            return None
        key = hash(doc_id)
        if key in self._shared:
            offset = self._exact.get(doc_id)
        else:
            slot, found = self._slot(key)
            offset = self._offsets[slot] if found else None
        if offset is None:
            return None
        found_key = resume_key(self._read(offset))
        return found_key if found_key is not None and found_key[0] == doc_id else None

    def __contains__(self, item: object) -> bool:
        if not (isinstance(item, tuple) and len(item) == 3 and isinstance(item[0], str)):
            return False
        return self.previous(item[0]) == item
