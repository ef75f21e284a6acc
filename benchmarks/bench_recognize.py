"""Throughput of recognize and recognize + validate on real documents, single process, in MB/s.

Usage: python benchmarks/bench_recognize.py [--corpus DIR] [--gold GOLD_DIR] [--repeat N]
(defaults: ../shared/corpus/press_releases and ../shared/evals/press_releases beside the checkout).
"recognize" runs both recognizers over every corpus document (3,000 real releases). The
corpus has no gold, so "recognize+validate" validates, for each document, the record made of
the document's own recognized mentions (every amount and ticker with text and span: the
validator's full per-extraction work); on the gold set it validates the gold records too.
Records are built once, outside the timed loop.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from llmx.evaluate.gold import load_gold_dir
from llmx.recognize import recognize
from llmx.schema import Amount, Issuer, PressRelease, Ticker
from llmx.validation.checks import validate

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_CORPUS = SHARED / "corpus" / "press_releases"
DEFAULT_GOLD = SHARED / "evals" / "press_releases"


def _self_record(text: str) -> PressRelease:
    """A record holding every recognized amount and listing of `text`, quoted with spans."""
    mentions = recognize(text)
    amounts = [Amount(value=m.value, currency=m.currency, text=m.text, span=m.span) for m in mentions.money]
    tickers = [Ticker(symbol=t.symbol, exchange=t.exchange, text=t.text, span=t.span) for t in mentions.tickers]
    return PressRelease(issuer=Issuer(), amounts=amounts, tickers=tickers)


def _rounds(work, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds per round (CPU time is robust to a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def _measure(label: str, pairs: list[tuple[str, PressRelease]], repeat: int) -> None:
    megabytes = sum(len(text.encode("utf-8")) for text, _ in pairs) / 1e6

    def recognize_all() -> None:
        for text, _ in pairs:
            recognize(text)

    def recognize_and_validate_all() -> None:
        for text, record in pairs:
            validate(text, record)

    recognize_all()  # warm caches (regex compilation, exchange lookups)
    print(f"{label}: {len(pairs)} documents, {megabytes:.3f} MB, best/median of {repeat} rounds")
    for name, work in (("recognize", recognize_all), ("recognize+validate", recognize_and_validate_all)):
        wall, cpu = _rounds(work, repeat)
        print(
            f"{name:>20}: {megabytes / statistics.median(wall):7.2f} MB/s median wall, "
            f"{megabytes / min(wall):7.2f} MB/s best wall, {megabytes / statistics.median(cpu):7.2f} MB/s median CPU"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="a folder with docs/*.txt (or *.txt)")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="a gold directory; '' to skip")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    paths = sorted((corpus / "docs" if (corpus / "docs").is_dir() else corpus).glob("*.txt"))
    if paths:
        texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
        _measure("corpus", [(text, _self_record(text)) for text in texts], args.repeat)
    else:
        print(f"no corpus documents under {corpus}: skipped")
    if args.gold and (Path(args.gold) / "gold.jsonl").is_file():
        _measure("gold", [(doc.text, doc.to_record()) for doc in load_gold_dir(args.gold)], max(args.repeat, 10))
    return 0


if __name__ == "__main__":
    sys.exit(main())
