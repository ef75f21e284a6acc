"""Compare backends, modes and grounded label policies on a gold directory, side by side.

    .venv/bin/python scripts/compare_backends.py /work/shared/evals/press_releases \
        --run rules --run local:grounded:rules --run local:grounded:fallback --run local:grounded:model \
        --run local:free

Each --run is BACKEND[:MODE[:LABELS]]. Model replies are cached in a temporary SQLite file, so
runs that differ only in the label policy pay for the model once (the prompt does not depend on
the policy). Prints one row per run: amounts F1, kind/status accuracy, tickers F1, issuer,
companies F1, date, hallucination rate, seconds per document (of the first run using a backend).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from llmx.errors import LLMXError
from llmx.evaluate.gold import load_gold_dir
from llmx.evaluate.scoring import ExtractionFailure, score_press_releases
from llmx.backends.cache import ResponseCache
from llmx.extraction.api import extract, make_backend


def _get(metrics: dict, *path: str) -> float | None:
    node = metrics
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node if isinstance(node, (int, float)) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold_dir")
    parser.add_argument("--run", action="append", default=[], help="BACKEND[:MODE[:LABELS]], repeatable")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--json", type=Path, default=None, help="write all metrics to this file")
    args = parser.parse_args(argv)
    runs = args.run or ["rules", "local:grounded:fallback"]
    docs = load_gold_dir(args.gold_dir)[: args.limit]
    console = Console(stderr=True)
    backends: dict[str, object] = {}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cache = ResponseCache(Path(tmp) / "replies.sqlite3")
        for run in runs:
            backend_name, mode, labels = (run.split(":") + [None, None])[:3]
            backend = backends.setdefault(backend_name, make_backend(backend_name, cache=cache))
            predictions: dict[str, object] = {}
            started = time.perf_counter()
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task(run, total=len(docs))
                for doc in docs:
                    try:
                        predictions[doc.id] = extract(doc.text, backend=backend, mode=mode or "grounded", labels=labels, doc_id=doc.id)
                    except LLMXError as exc:
                        predictions[doc.id] = ExtractionFailure(f"{type(exc).__name__}: {exc}")
                    progress.advance(task)
            elapsed = time.perf_counter() - started
            metrics = score_press_releases(docs, predictions).metrics()
            metrics["seconds_per_doc"] = elapsed / len(docs)
            metrics["failed"] = len(metrics["predictions"]["failed"])
            results[run] = metrics
            console.print(f"{run}: {elapsed / len(docs):.2f} s/doc")
    table = Table(title=f"{args.gold_dir} ({len(docs)} docs)")
    columns = [
        ("amounts F1", ("amounts", "f1")),
        ("kind acc", ("amounts", "kind_accuracy")),
        ("status acc", ("amounts", "status_accuracy")),
        ("tickers F1", ("tickers", "f1")),
        ("issuer name", ("issuer", "name_accuracy")),
        ("issuer ticker", ("issuer", "ticker_accuracy")),
        ("companies F1", ("companies", "f1")),
        ("date", ("date", "accuracy")),
        ("failed", ("failed",)),
        ("halluc.", ("hallucination_rate",)),
        ("s/doc", ("seconds_per_doc",)),
    ]
    table.add_column("run")
    for title, _ in columns:
        table.add_column(title, justify="right")
    for run, metrics in results.items():
        cells = [_get(metrics, *path) for _, path in columns]
        table.add_row(run, *("-" if v is None else f"{v:.3f}" for v in cells))
    Console(width=200).print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
