"""Right kind/status labels of `llmx extract --backend rules` output against the hand-judged sample.

Usage: python scripts/kinds_unseen/score.py PRED.jsonl [tune|check|check2] [JUDGED.jsonl]
--wrong lists each wrongly labelled amount (ids and labels only). (JUDGED defaults to this folder's judged.jsonl; round 2 passes scripts/kinds_unseen2/judged.jsonl.)
PRED.jsonl: `llmx extract ../shared/corpus/press_releases/docs/cNNNN.txt ... --backend rules -o PRED.jsonl`
over the documents of the set (ids in judged.jsonl; the texts stay in ../shared). Amounts are
matched by (id, text, span); the rules do not change which amounts are recognized.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--wrong"]
    pred_path, which = args[0], (args[1] if len(args) > 1 else "tune")
    judged_path = Path(args[2]) if len(args) > 2 else Path(__file__).parent / "judged.jsonl"
    judged = [r for r in map(json.loads, judged_path.open()) if r["set"] == which]
    preds = {}
    for line in open(pred_path):
        record = json.loads(line)
        for a in record["amounts"]:
            preds[(record["id"], a["text"], tuple(a["span"] or ()))] = (a["kind"], a["status"])
    kind = status = both = missing = 0
    wrong = "--wrong" in sys.argv
    for r in judged:
        got = preds.get((r["id"], r["text"], tuple(r["span"] or ())))
        if got is None:
            missing += 1
            continue
        if wrong and got != (r["kind"], r["status"]):
            print(f"  {r['id']} {r['text']!r}: judged {r['kind']}/{r['status']}, rules {got[0]}/{got[1]}")
        kind += got[0] == r["kind"]
        status += got[1] == r["status"]
        both += got == (r["kind"], r["status"])
    docs = len({r["id"] for r in judged})
    print(f"{which}: {docs} docs, {len(judged)} amounts, kind right {kind}, status right {status}, both right {both}, not found {missing}")


if __name__ == "__main__":
    main()
