"""JSON Lines and CSV exports: one document per row, with an id column and a text column.

`read_records` returns `{"id", "text", "source"}` mappings, the input `extract_many` takes, so
an export is extracted like a folder of files; `source` says which file and line a text came
from. A row without text or a line that is not JSON is an InputError naming the line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from llmx.errors import InputError
from llmx.extraction.inputs import decode_document

TABLE_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
DEFAULT_TEXT_FIELD = "text"
DEFAULT_ID_FIELD = "id"


def table_format(path: str | Path, head: bytes | None = None) -> str | None:
    """"jsonl" or "csv" for a table export, judged by the suffix or (JSON Lines) the first line."""
    by_suffix = TABLE_SUFFIXES.get(Path(path).suffix.lower())
    if by_suffix is not None:
        return by_suffix
    if head is not None:
        first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)[0].strip()
        if first.startswith(b"{") and first.endswith(b"}"):
            try:
                return "jsonl" if isinstance(json.loads(first), dict) else None
            except ValueError:
                return None
    return None


def read_records(
    path: str | Path,
    *,
    text_field: str = DEFAULT_TEXT_FIELD,
    id_field: str = DEFAULT_ID_FIELD,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Every row of a JSON Lines or CSV file as `{"id", "text", "source"}`.

    Rows without `id_field` get `<file stem>-<line>`; ids must be unique within the file.
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror or exc})") from exc
    kind = kind or table_format(file, data[:4096]) or "jsonl"
    content = decode_document(data, source=str(file))
    rows = _jsonl_rows(content, file) if kind == "jsonl" else _csv_rows(content, file)
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, row in rows:
        text = row.get(text_field)
        if not isinstance(text, str) or not text.strip():
            fields = ", ".join(sorted(map(str, row))) or "none"
            raise InputError(f"{file}:{line}: no text in field {text_field!r} (fields: {fields}); choose it with --text-field")
        raw_id = row.get(id_field)
        doc_id = str(raw_id) if raw_id not in (None, "") else f"{file.stem}-{line}"
        if doc_id in seen:
            raise InputError(f"{file}:{line}: the id {doc_id!r} occurs twice; choose a unique column with --id-field")
        seen.add(doc_id)
        records.append({"id": doc_id, "text": text, "source": {"reader": kind, "path": str(file), "line": line}})
    if not records:
        raise InputError(f"{file}: the {kind} file has no rows")
    return records


def _jsonl_rows(content: str, file: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{file}:{number}: not a JSON object ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{file}:{number}: expected a JSON object, got {type(row).__name__}")
        rows.append((number, row))
    return rows


def _csv_rows(content: str, file: Path) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(content, newline=""))
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, dict(row)))
    except csv.Error as exc:
        raise InputError(f"{file}:{reader.line_num}: malformed CSV ({exc})") from None
    return rows


def expand_tables(paths: list[Path], *, text_field: str = DEFAULT_TEXT_FIELD, id_field: str = DEFAULT_ID_FIELD) -> list[Path | dict[str, Any]]:
    """Paths as given, except that JSON Lines/CSV exports become their rows (`read_records`)."""
    return list(iter_tables(paths, text_field=text_field, id_field=id_field))


def iter_tables(paths: Iterable[Path], *, text_field: str = DEFAULT_TEXT_FIELD, id_field: str = DEFAULT_ID_FIELD) -> Iterator[Path | dict[str, Any]]:
    """`expand_tables` as a stream: each path is looked at when it is taken, so a streamed listing stays one."""
    for path in paths:
        try:
            with Path(path).open("rb") as stream:
                head = stream.read(4096)
        except OSError:
            yield path  # unreadable: the batch reports it as that document's error
            continue
        if table_format(path, head) is None:
            yield path
        else:
            yield from read_records(path, text_field=text_field, id_field=id_field)
