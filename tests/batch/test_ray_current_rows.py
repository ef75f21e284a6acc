"""Which rows of a Ray output folder count: `llmx.ray.read_output` on part files written by hand.

No Ray needed: the folder format is Parquet/JSON parts, read in the order they were written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from llmx import ray as llmx_ray  # noqa: E402


def _part(folder: Path, name: str, rows: list[dict], order: int) -> None:
    path = folder / name
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    os.utime(path, ns=(order * 10**9, order * 10**9))  # parts are read oldest first


def _record(doc_id: str, digest: str, key: str = "k1") -> dict:
    return {"id": doc_id, "content_hash": digest, "run_key": key, "record": "{}", "error": None}


def _error(doc_id: str, digest: str | None, key: str = "k1") -> dict:
    return {"id": doc_id, "content_hash": digest, "run_key": key, "record": None, "error": json.dumps({"error": "boom"})}


def test_a_changed_document_that_fails_loses_its_old_record(tmp_path: Path) -> None:
    _part(tmp_path, "run1.json", [_record("a", "h-a"), _record("b", "h-b")], order=1)
    _part(tmp_path, "run2.json", [_error("a", "h-a2")], order=2)  # a's text changed, extracting it failed
    records, errors = llmx_ray.read_output(tmp_path)
    assert [row["id"] for row in records] == ["b"]
    assert [row["id"] for row in errors] == ["a"]
    assert errors[0]["removed_record"] == {"content_hash": "h-a", "run_key": "k1"}
    assert ("a", "h-a", "k1") not in llmx_ray.done_keys(tmp_path)  # a rerun extracts it again


def test_a_changed_configuration_that_fails_loses_the_old_record_too(tmp_path: Path) -> None:
    _part(tmp_path, "run1.json", [_record("a", "h-a", key="k1")], order=1)
    _part(tmp_path, "run2.json", [_error("a", "h-a", key="k2")], order=2)
    records, errors = llmx_ray.read_output(tmp_path, columns=["id", "error"])  # the deciding columns are read anyway
    assert records == [] and errors[0]["removed_record"]["run_key"] == "k1"


def test_an_older_error_or_a_newer_record_keeps_the_record(tmp_path: Path) -> None:
    _part(tmp_path, "run1.json", [_error("a", "h-a"), _record("b", "h-b")], order=1)
    _part(tmp_path, "run2.json", [_record("a", "h-a"), _error("b", "h-b2")], order=2)
    _part(tmp_path, "run3.json", [_record("b", "h-b2")], order=3)  # fixed on the next rerun
    records, errors = llmx_ray.read_output(tmp_path)
    assert sorted((row["id"], row["content_hash"]) for row in records) == [("a", "h-a"), ("b", "h-b2")]
    assert errors == []
