"""Tabular output of a batch: one row per amount (CSV or Parquet), derived from the JSONL journal.

`llmx extract DIR -o out.csv` keeps its durable, resumable JSONL journal beside the table
(`out.csv.jsonl`) and rewrites the table from it at the end of each run, in input order, so
the table never holds a record the journal does not and resume works exactly as for JSONL.
Only the keys (id -> byte offset) are held in memory; records are read back one at a time.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from llmx.batch.resume import last_offsets, read_line_at
from llmx.errors import ConfigError

TABLE_SUFFIXES = (".csv", ".parquet")
JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")
OUTPUT_SUFFIXES = JSONL_SUFFIXES + TABLE_SUFFIXES

COLUMNS = (
    "document", "issuer", "ticker", "value", "currency", "kind", "status",
    "payer", "payee", "text", "span_start", "span_end",
)
_ROW_GROUP = 2_000  # Parquet rows buffered per write: bounded memory whatever the run's size


def journal_path_for(table: str | Path) -> Path:
    """The JSONL journal kept beside a table: `out.csv` -> `out.csv.jsonl`."""
    table = Path(table)
    return table.with_name(table.name + ".jsonl")


def check_output_suffix(out: str | Path) -> None:
    """ConfigError naming the accepted suffixes when `out` is neither JSONL nor a table."""
    suffix = Path(out).suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        shown = repr(suffix) if suffix else "no suffix"
        raise ConfigError(f"{out}: unknown output format ({shown}); use one of {', '.join(OUTPUT_SUFFIXES)}")


def record_rows(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The table rows of one record: one per amount, or one with empty amount columns if it has none."""
    issuer = entry.get("issuer") or {}
    tickers = entry.get("tickers") or []
    ticker = issuer.get("ticker") or (tickers[0].get("symbol") if tickers else None)
    base = {"document": entry.get("id"), "issuer": issuer.get("name"), "ticker": ticker}
    amounts = entry.get("amounts") or []
    if not amounts:
        return [{**base, **{column: None for column in COLUMNS[3:]}}]
    rows = []
    for amount in amounts:
        span = amount.get("span") or (None, None)
        rows.append({
            **base,
            "value": amount.get("value"),
            "currency": amount.get("currency"),
            "kind": amount.get("kind"),
            "status": amount.get("status"),
            "payer": amount.get("payer"),
            "payee": amount.get("payee"),
            "text": amount.get("text"),
            "span_start": span[0],
            "span_end": span[1],
        })
    return rows


def iter_rows(journal: str | Path, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Rows of the last record of each id in `ids`, in that order (ids without a record are skipped)."""
    offsets = last_offsets(journal)
    if not offsets:
        return
    with Path(journal).open("rb") as handle:
        for doc_id in ids:
            offset = offsets.get(doc_id)
            if offset is not None:
                yield from record_rows(read_line_at(handle, offset))


def write_table(journal: str | Path, table: str | Path, ids: Iterable[str]) -> int:
    """Write `table` (.csv or .parquet) from `journal` for `ids` in order; returns the rows written.

    Crash-safe like the journal's compaction: a temp file beside `table`, fsynced, then `os.replace`.
    """
    table = Path(table)
    suffix = table.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ConfigError(f"{table}: a table must end in {' or '.join(TABLE_SUFFIXES)}")
    temp = table.with_name(f".{table.name}.tmp-{os.getpid()}")
    rows = iter_rows(journal, ids)
    try:
        count = _write_csv(temp, rows) if suffix == ".csv" else _write_parquet(temp, rows)
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, table)
    finally:
        temp.unlink(missing_ok=True)
    return count


def _write_csv(path: Path, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_parquet(path: Path, rows: Iterator[dict[str, Any]]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError("parquet output needs pyarrow: pip install 'llmx[parquet]' (or write .csv)") from None
    string, integer = pa.string(), pa.int64()
    schema = pa.schema([
        ("document", string), ("issuer", string), ("ticker", string), ("value", pa.float64()),
        ("currency", string), ("kind", string), ("status", string), ("payer", string), ("payee", string),
        ("text", string), ("span_start", integer), ("span_end", integer),
    ])
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= _ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
