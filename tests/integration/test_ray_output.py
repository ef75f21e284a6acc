"""llmx.ray's output folder resumes by (id, content hash, run key); the newest part of an id wins."""

from __future__ import annotations

import os

import pytest

pa = pytest.importorskip("pyarrow", reason="llmx.ray output folders need pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from llmx.ray import done_keys, output_schema, _row  # noqa: E402
from llmx.schema import PressRelease  # noqa: E402


def write_part(path, rows, schema):
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def test_newest_record_of_an_id_decides_what_a_rerun_skips(tmp_path):
    schema = output_schema(PressRelease)
    entry = {"id": "d1", "meta": {"content_hash": "h1"}}
    write_part(tmp_path / "a-new.parquet", [_row(schema, "d1", "h1", entry, None, "key-new")], schema)
    write_part(tmp_path / "z-old.parquet", [_row(schema, "d1", "h1", entry, None, "key-old")], schema)
    os.utime(tmp_path / "z-old.parquet", ns=(1_000_000_000, 1_000_000_000))  # written long before
    assert done_keys(tmp_path) == {("d1", "h1", "key-new")}


def test_parts_written_before_the_run_key_column_are_read_not_discarded(tmp_path):
    legacy = pa.schema([("id", pa.string()), ("content_hash", pa.string()), ("record", pa.string()), ("error", pa.string())])
    write_part(tmp_path / "part.parquet", [{"id": "d1", "content_hash": "h1", "record": "{}", "error": None}], legacy)
    assert done_keys(tmp_path) == {("d1", "h1", None)}  # no key: extracted again, never skipped
    assert not (tmp_path / ".incomplete").exists()
