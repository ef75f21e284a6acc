"""How a rules change moves labels on corpus documents no gold covers (a check against overfitting).

    python scripts/rules_label_drift.py snap OUT.json [--n 300] [--seed 11]
    python scripts/rules_label_drift.py diff BEFORE.json AFTER.json

`snap` runs the rules backend on a fixed random sample of corpus documents c0001-c1600 that are
not in evals/corpus/gold.jsonl (c1601-c3000 are held out and never read) and stores each
amount's kind/status and the company names; run it on the old and the new code (PYTHONPATH)
and `diff` prints the counts of changed kinds, statuses and companies, then every change with
its context, for a person to judge right or wrong. Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout, or beside the folder holding it (a git worktree under wt/)
DOCS = next((parent / "shared" for parent in ROOT.parents if (parent / "shared" / "corpus").is_dir()), ROOT.parent / "shared") / "corpus" / "press_releases" / "docs"


def sample(n: int, seed: int) -> list[str]:
    """Ids of `n` corpus documents in c0001-c1600 outside the corpus gold, the same for a seed."""
    gold = {json.loads(line)["id"] for line in (ROOT / "evals" / "corpus" / "gold.jsonl").open()}
    ids = [f"c{i:04d}" for i in range(1, 1601) if f"c{i:04d}" not in gold and (DOCS / f"c{i:04d}.txt").exists()]
    return sorted(random.Random(seed).sample(ids, min(n, len(ids))))


def snap(out: Path, n: int, seed: int) -> None:
    from llmx.rules.record import rules_record

    records = {}
    for doc_id in sample(n, seed):
        record = rules_record((DOCS / f"{doc_id}.txt").read_text(), doc_id=doc_id)
        records[doc_id] = {
            "amounts": [[a.text, list(a.span) if a.span else [0, 0], a.kind, a.status] for a in record.amounts],
            "companies": [c.name for c in record.companies],
        }
    out.write_text(json.dumps(records))
    print(f"{len(records)} documents -> {out}")


def diff(before: Path, after: Path) -> None:
    old, new = json.loads(before.read_text()), json.loads(after.read_text())
    kinds = statuses = companies = 0
    docs: set[str] = set()
    lines = []
    for doc_id in sorted(set(old) & set(new)):
        text = (DOCS / f"{doc_id}.txt").read_text()
        for a, b in zip(old[doc_id]["amounts"], new[doc_id]["amounts"]):
            if a[:2] == b[:2] and (a[2] != b[2] or a[3] != b[3]):
                kinds += a[2] != b[2]
                statuses += a[3] != b[3]
                docs.add(doc_id)
                start, end = a[1]
                context = text[max(0, start - 100) : end + 60].replace("\n", " ")
                lines.append(f"{doc_id} {a[0]!r} {a[2]}/{a[3]} -> {b[2]}/{b[3]}  ...{context}...")
        was, now = set(old[doc_id]["companies"]), set(new[doc_id]["companies"])
        for name in sorted(was - now):
            companies += 1
            docs.add(doc_id)
            lines.append(f"{doc_id} company removed {name!r}")
        for name in sorted(now - was):
            companies += 1
            docs.add(doc_id)
            lines.append(f"{doc_id} company added {name!r}")
    print(f"{len(set(old) & set(new))} documents: kind changes {kinds}, status changes {statuses}, company changes {companies}, in {len(docs)} documents")
    print("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["snap", "diff"])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if not DOCS.is_dir():
        print(f"skip: {DOCS} not found (the corpus lives in ../shared beside the checkout)")
        return 0
    if args.action == "snap":
        snap(args.files[0], args.n, args.seed)
    else:
        diff(args.files[0], args.files[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
