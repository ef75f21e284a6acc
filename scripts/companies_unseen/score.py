"""Companies P/R/F1 of the rules backend on the hand-judged unseen sample (issue #11).

Usage: python scripts/companies_unseen/score.py [tune|check] [--show]
The documents are read from ../shared/corpus/press_releases/docs (their text stays there);
judged.jsonl holds only ids and the company lists written by hand from the text, following the
annotation guide of ../shared/evals/press_releases/README.md. Names are matched the way
`llmx eval` matches them (company_key, token-set ratio >= 85, optimal one-to-one assignment).
--show prints each document's misses and spurious names (for the tune set; never for a set
that is still to be scored blind).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from llmx import extract
from llmx.evaluate.fields import score_list
from llmx.evaluate.scoring import PRESS_RELEASE_FIELDS

ROOT = Path(__file__).resolve().parents[2]
DOCS = Path(os.environ.get("LLMX_SHARED", ROOT.parent / "shared")) / "corpus" / "press_releases" / "docs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="?", default="tune")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    judged = [r for r in map(json.loads, (Path(__file__).parent / "judged.jsonl").open()) if r["set"] == args.which]
    spec = PRESS_RELEASE_FIELDS["companies"]
    tp = fp = fn = 0
    for r in judged:
        record = extract((DOCS / f"{r['id']}.txt").read_text(encoding="utf-8"), backend="rules")
        predicted = [{"name": c.name} for c in record.companies]
        gold = [{"name": n} for n in r["companies"]]
        result = score_list(spec, gold, predicted)
        tp, fp, fn = tp + len(result.pairs), fp + len(result.spurious), fn + len(result.missed)
        if args.show and (result.missed or result.spurious):
            print(r["id"], "missed:", [gold[i]["name"] for i in result.missed], "spurious:", [predicted[j]["name"] for j in result.spurious])
    p = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    print(f"{args.which}: {len(judged)} docs, gold {tp + fn}, predicted {tp + fp}, tp {tp} fp {fp} fn {fn}, P {p:.3f} R {rec:.3f} F1 {f1:.3f}")


if __name__ == "__main__":
    main()
