"""`llmx extract -o`: output suffixes, tables beside their journal, --fresh (issue #16)."""

from __future__ import annotations

import csv
import json

import pytest
from support import write_corpus
from typer.testing import CliRunner

from llmx.cli import app

OFFLINE = ["--backend", "rules"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("name", ["out.txt", "out.xlsx", "out"])
def test_unknown_output_suffix_is_a_usage_error_listing_the_suffixes(tmp_path, runner, name):
    paths = write_corpus(tmp_path / "docs", 2)
    out = tmp_path / name
    result = runner.invoke(app, ["extract", *map(str, paths), "-o", str(out), *OFFLINE])
    assert result.exit_code == 2, result.output
    for suffix in (".jsonl", ".csv", ".parquet"):
        assert suffix in result.stderr
    assert not out.exists()


def test_csv_output_one_row_per_amount_in_input_order(tmp_path, runner):
    paths = write_corpus(tmp_path / "docs", 3)
    ordered = [paths[2], paths[0], paths[1]]
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["extract", *map(str, ordered), "-o", str(out), *OFFLINE])
    assert result.exit_code == 0, result.stderr
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    journal = [json.loads(line) for line in (tmp_path / "out.csv.jsonl").read_text().splitlines()]
    expected = [(r["id"], a["text"]) for r in sorted(journal, key=lambda r: [p.stem for p in ordered].index(r["id"])) for a in r["amounts"]]
    assert [(row["document"], row["text"]) for row in rows] == expected
    assert [row["document"] for row in rows][0] == ordered[0].stem
    text = ordered[0].read_text()
    first = rows[0]
    assert text[int(first["span_start"]) : int(first["span_end"])] == first["text"]


def test_fresh_starts_the_output_over(tmp_path, runner):
    paths = write_corpus(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["extract", *map(str, paths), "-o", str(out), *OFFLINE]).exit_code == 0
    again = runner.invoke(app, ["extract", *map(str, paths), "-o", str(out), *OFFLINE])
    assert "3 already done" in again.stderr
    fresh = runner.invoke(app, ["extract", *map(str, paths[:2]), "-o", str(out), "--fresh", *OFFLINE])
    assert fresh.exit_code == 0, fresh.stderr
    assert "2 extracted, 0 already done" in fresh.stderr
    assert sorted(json.loads(line)["id"] for line in out.read_text().splitlines()) == [p.stem for p in paths[:2]]  # completion order


def test_rerun_with_other_labels_replaces_records(tmp_path, runner):
    paths = write_corpus(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["extract", *map(str, paths), "-o", str(out), *OFFLINE]).exit_code == 0
    other = runner.invoke(app, ["extract", *map(str, paths), "-o", str(out), *OFFLINE, "--labels", "model"])
    assert other.exit_code == 0, other.stderr
    assert "3 extracted, 0 already done" in other.stderr
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert sorted(ids) == sorted(p.stem for p in paths)
