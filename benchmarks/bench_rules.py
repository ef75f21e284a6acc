"""Throughput of the rules backend against the recognizers on the shared corpus, one process, MB/s.

Usage: python benchmarks/bench_rules.py [DOCS_DIR] [--repeat N] [--limit N]
(default DOCS_DIR: ../shared/corpus/press_releases/docs beside the checkout, or
$LLMX_SHARED/corpus/press_releases/docs). Prints, measured in this one run on the same texts:

- recognize:            `recognize(text)` (both recognizers)
- recognize+validate:   `validate(text, record)` for the document's rules record (built untimed)
- extract rules:        `extract(text, backend="rules")`, the whole pipeline with validation
- ratio rules/recognize: extract's MB/s over recognize's (1.0 would mean the rules cost nothing)

Figures are the median over rounds of process CPU time (robust on a shared machine); wall-clock
medians are printed beside them. Nothing is asserted: this is a measurement.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from llmx import extract
from llmx.extraction.api import make_backend
from llmx.recognize import recognize
from llmx.validation.checks import validate

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LLMX_SHARED", ROOT.parent / "shared"))
DEFAULT_DOCS = SHARED / "corpus" / "press_releases" / "docs"


def _rounds(work: Callable[[], None], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `repeat` rounds."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs_dir", nargs="?", default=str(DEFAULT_DOCS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents (0: all)")
    args = parser.parse_args(argv)
    docs_dir = Path(args.docs_dir)
    if not docs_dir.is_dir():
        print(f"skipped: corpus not found at {docs_dir} (set LLMX_SHARED or pass DOCS_DIR)")
        return 0
    paths = sorted(docs_dir.glob("*.txt"))
    if args.limit:
        paths = paths[: args.limit]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    texts = [t for t in texts if t.strip()]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    backend = make_backend("rules")
    records = [extract(t, backend=backend) for t in texts]  # warms every cache, and feeds validate
    pairs = list(zip(texts, records))

    def recognize_all() -> None:
        for text in texts:
            recognize(text)

    def validate_all() -> None:
        for text, record in pairs:
            validate(text, record)

    def extract_all() -> None:
        for text in texts:
            extract(text, backend=backend)

    print(f"{len(texts)} documents, {megabytes:.3f} MB, median of {args.repeat} rounds (CPU time; wall in brackets)")
    rates = {}
    for name, work in (("recognize", recognize_all), ("recognize+validate", validate_all), ("extract rules", extract_all)):
        wall, cpu = _rounds(work, args.repeat)
        rates[name] = megabytes / cpu
        print(f"{name:>20}: {megabytes / cpu:7.2f} MB/s  ({megabytes / wall:7.2f} MB/s wall)  {1000 * cpu / len(texts):6.2f} ms/doc")
    print(f"{'ratio rules/recognize':>20}: {rates['extract rules'] / rates['recognize']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
