"""Tabular output (issue #16): one row per amount, documents in input order, CSV and Parquet alike."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest

from llmx.batch.run import extract_many
from llmx.schema import PressRelease, RecordMeta

TEXTS = {
    "zeta": "Zeta Bio (NASDAQ: ZETA) receives $5 million upfront from Acme Corp.\n",
    "alpha": "Alpha Inc announces nothing financial today.\n",
    "mid": "Mid Co raises EUR 3 million and may earn up to EUR 40 million in milestones.\n",
}


def record_for(text: str, doc_id: str) -> PressRelease:
    """A record with one amount per currency sign found (spans computed from the text I wrote)."""
    amounts = []
    for printed, value, currency, kind, status in [
        ("$5 million", 5e6, "USD", "upfront", "actual"),
        ("EUR 3 million", 3e6, "EUR", "financing", "actual"),
        ("EUR 40 million", 4e7, "EUR", "milestone", "potential"),
    ]:
        start = text.find(printed)
        if start >= 0:
            amounts.append({
                "value": value, "currency": currency, "text": printed, "span": (start, start + len(printed)),
                "kind": kind, "status": status, "payer": "Acme Corp" if currency == "USD" else None,
                "payee": text.split(" (")[0].split(" raises")[0] if currency == "USD" else None,
            })
    tickers = [{"symbol": "ZETA", "exchange": "NASDAQ"}] if "ZETA" in text else []
    name = " ".join(text.split()[:2])
    return PressRelease(id=doc_id, issuer={"name": name}, tickers=tickers, amounts=amounts, meta=RecordMeta())


async def extractor(text: str, doc_id: str) -> PressRelease:
    await asyncio.sleep(0)
    return record_for(text, doc_id)


def write_docs(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for name in ("zeta", "alpha", "mid"):  # input order is not alphabetical on purpose
        path = folder / f"{name}.txt"
        path.write_text(TEXTS[name])
        paths.append(path)
    return paths


def expected_rows() -> list[dict[str, str]]:
    return [
        {"document": "zeta", "issuer": "Zeta Bio", "ticker": "ZETA", "value": "5000000.0", "currency": "USD",
         "kind": "upfront", "status": "actual", "payer": "Acme Corp", "payee": "Zeta Bio", "text": "$5 million",
         "span_start": "33", "span_end": "43"},
        {"document": "alpha", "issuer": "Alpha Inc", "ticker": "", "value": "", "currency": "", "kind": "",
         "status": "", "payer": "", "payee": "", "text": "", "span_start": "", "span_end": ""},
        {"document": "mid", "issuer": "Mid Co", "ticker": "", "value": "3000000.0", "currency": "EUR",
         "kind": "financing", "status": "actual", "payer": "", "payee": "", "text": "EUR 3 million",
         "span_start": "14", "span_end": "27"},
        {"document": "mid", "issuer": "Mid Co", "ticker": "", "value": "40000000.0", "currency": "EUR",
         "kind": "milestone", "status": "potential", "payer": "", "payee": "", "text": "EUR 40 million",
         "span_start": "47", "span_end": "61"},
    ]


def test_csv_has_one_row_per_amount_in_input_order(tmp_path):
    paths = write_docs(tmp_path / "docs")
    out = tmp_path / "out.csv"
    report = extract_many(paths, out, extractor=extractor, progress=False)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == expected_rows()
    assert TEXTS["zeta"][33:43] == "$5 million"
    assert report.out == out
    journal = tmp_path / "out.csv.jsonl"
    assert journal.exists()  # the resumable journal is kept beside the table


def test_csv_rerun_resumes_from_its_journal_and_keeps_order(tmp_path):
    paths = write_docs(tmp_path / "docs")
    out = tmp_path / "out.csv"
    extract_many(paths[1:], out, extractor=extractor, progress=False)
    calls: list[str] = []

    async def counting(text: str, doc_id: str) -> PressRelease:
        calls.append(doc_id)
        return await extractor(text, doc_id)

    extract_many(paths, out, extractor=counting, progress=False)
    assert calls == ["zeta"]
    with out.open(newline="", encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == expected_rows()


def test_parquet_rows_match_the_csv(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="parquet output needs pyarrow")
    paths = write_docs(tmp_path / "docs")
    out = tmp_path / "out.parquet"
    extract_many(paths, out, extractor=extractor, progress=False)
    table = pq.read_table(out)
    assert table.column_names == list(expected_rows()[0])
    rows = table.to_pylist()
    assert [row["document"] for row in rows] == ["zeta", "alpha", "mid", "mid"]
    assert rows[0]["value"] == 5e6 and rows[0]["span_start"] == 33 and rows[0]["payer"] == "Acme Corp"
    assert rows[1]["value"] is None and rows[1]["issuer"] == "Alpha Inc"
    assert rows[3]["status"] == "potential" and rows[3]["span_end"] == 61
