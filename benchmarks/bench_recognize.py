"""Throughput of recognize + validate on a gold set, single process, in MB/s.

Usage: python benchmarks/bench_recognize.py [GOLD_DIR] [--repeat N]
(default GOLD_DIR: ../shared/evals/press_releases relative to the repository root).
Each round builds the SourceIndex (both recognizers) and validates the document's gold record
against it, the work the validator does per extraction. Gold records are converted to
PressRelease objects once, outside the timed loop.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from llmx.evaluate.gold import load_gold_dir
from llmx.recognize import recognize
from llmx.validation.checks import validate

DEFAULT_GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "evals" / "press_releases"


def _rounds(work, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds per round (CPU time is robust to a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", nargs="?", default=str(DEFAULT_GOLD))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    docs = load_gold_dir(args.gold_dir)
    pairs = [(doc.text, doc.to_record()) for doc in docs]
    megabytes = sum(len(text.encode("utf-8")) for text, _ in pairs) / 1e6

    def recognize_all() -> None:
        for text, _ in pairs:
            recognize(text)

    def recognize_and_validate_all() -> None:
        for text, record in pairs:
            validate(text, record)

    recognize_all()  # warm caches (regex compilation, exchange lookups)
    print(f"{len(pairs)} documents, {megabytes:.3f} MB, best/median of {args.repeat} rounds")
    for name, work in (("recognize", recognize_all), ("recognize+validate", recognize_and_validate_all)):
        wall, cpu = _rounds(work, args.repeat)
        print(
            f"{name:>20}: {megabytes / statistics.median(wall):7.2f} MB/s median wall, "
            f"{megabytes / min(wall):7.2f} MB/s best wall, {megabytes / statistics.median(cpu):7.2f} MB/s median CPU"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
