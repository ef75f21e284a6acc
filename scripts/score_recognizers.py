"""Print precision/recall of the money and ticker recognizers against a gold directory.

Usage: python scripts/score_recognizers.py GOLD_DIR [--misses]
(GOLD_DIR holds gold.jsonl and docs/<id>.txt, e.g. ../shared/evals/press_releases.)
"""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.table import Table

from llmx.evaluate.gold import GoldFormatError, load_gold_dir
from llmx.evaluate.recognizers import score_recognizers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir")
    parser.add_argument("--misses", action="store_true", help="list false positives and false negatives")
    args = parser.parse_args(argv)
    console = Console()
    try:
        docs = load_gold_dir(args.gold_dir)
    except GoldFormatError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 2
    scores = score_recognizers(docs)
    table = Table(title=f"Recognizers vs gold ({len(docs)} documents)")
    for column in ("recognizer", "precision", "recall", "tp", "fp", "fn"):
        table.add_column(column, justify="right" if column != "recognizer" else "left")
    for name, counts in (("money", scores.money), ("tickers", scores.tickers)):
        table.add_row(name, f"{counts.precision:.4f}", f"{counts.recall:.4f}", str(counts.tp), str(counts.fp), str(counts.fn))
    console.print(table)
    if args.misses:
        for name, counts in (("money", scores.money), ("tickers", scores.tickers)):
            for miss in counts.false_positives:
                console.print(f"{name} FP  {miss}", markup=False)
            for miss in counts.false_negatives:
                console.print(f"{name} FN  {miss}", markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
