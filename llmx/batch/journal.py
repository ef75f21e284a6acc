"""Append-only JSON Lines files that survive `kill -9`: the output and error logs of a batch run.

Each batch of lines goes to the file in one `os.write` on an O_APPEND descriptor and is then
`fsync`ed, so a crash leaves at most one partial line, at the very end. `read_journal` finds
such a torn tail and `Journal.open` cuts it off before appending, so a rerun never glues a new
record onto half of an old one. An advisory lock stops two runs from writing the same file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from typing import Any

from llmx.errors import ConfigError

try:  # POSIX only; elsewhere two concurrent runs are simply not detected
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


@dataclass
class JournalContents:
    """What an existing journal holds: its parsed entries and what had to be discarded."""

    entries: list[Any] = field(default_factory=list)  # parsed lines, or what `keep` made of them
    good_bytes: int = 0  # length of the valid prefix; anything after it is a torn tail
    torn_bytes: int = 0
    bad_lines: int = 0  # unparsable lines before the tail (kept in the file, ignored)


def read_journal(
    path: str | Path, keep: Callable[[dict[str, Any]], Any] | None = None, each: Callable[[dict[str, Any], int], None] | None = None
) -> JournalContents:
    """Parse every complete JSON object line of `path` (a missing file is empty).

    With `keep`, `entries` holds `keep(entry)` instead of each entry (e.g. only its resume key,
    so a rerun over a large output does not hold every record in memory). With `each`, nothing
    is held: `each(entry, offset)` gets every entry and the byte offset of its line.

    A last line without its newline, or unparsable lines after the last good one, are a torn
    tail: reported in `torn_bytes`, never returned as entries.
    """
    contents = JournalContents()
    file = Path(path)
    if not file.exists():
        return contents
    offset = 0
    unparsed_since_good = 0
    with file.open("rb") as handle:
        for raw in handle:
            start, offset = offset, offset + len(raw)
            entry = _parse_line(raw) if raw.endswith(b"\n") else None
            if entry is None:
                unparsed_since_good += 1 if raw.strip() else 0
                continue
            if each is not None:
                each(entry, start)
            else:
                contents.entries.append(entry if keep is None else keep(entry))
            contents.good_bytes = offset
            contents.bad_lines += unparsed_since_good  # junk followed by a good line is not a tail
            unparsed_since_good = 0
    contents.torn_bytes = offset - contents.good_bytes
    return contents


def _parse_line(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class Journal:
    """An append-only JSONL file opened for durable writes (use as a context manager)."""

    def __init__(
        self, path: str | Path, *, fsync: bool = True, keep: Callable[[dict[str, Any]], Any] | None = None,
        each: Callable[[dict[str, Any], int], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.fsync = fsync
        self.keep = keep
        self.each = each
        self._fd: int | None = None
        self.contents = JournalContents()  # what the file held when opened (after repair)

    def open(self) -> "Journal":
        """Lock the file, cut off a torn tail left by a crash, and position for appending."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise ConfigError(f"{self.path} is being written by another llmx run; wait for it or pick another -o")
        self.contents = read_journal(self.path, self.keep, self.each)
        if self.contents.torn_bytes:
            os.ftruncate(fd, self.contents.good_bytes)
            os.fsync(fd)
        self._fd = fd
        return self

    def append(self, entries: list[dict[str, Any]]) -> None:
        """Write `entries` as JSON lines in one write, then fsync: after this returns they are on disk."""
        if self._fd is None:
            raise RuntimeError("journal is not open")
        if not entries:
            return
        payload = b"".join(dump_line(entry).encode("utf-8") for entry in entries)
        view = memoryview(payload)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        if self.fsync:
            os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing also releases the flock
            self._fd = None

    def __enter__(self) -> "Journal":
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def dump_line(entry: dict[str, Any]) -> str:
    """One compact JSON line (UTF-8 kept readable), newline included."""
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"

