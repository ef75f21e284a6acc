"""Round 4 companies sample (issue #11): ids only, drawn from unseen corpus documents.

Usage: python scripts/companies_unseen/sample.py [tune4|check4]   # prints the ids of the set

Corpus ids c0001-c1600 (c1601-c3000 are held out and never read), less every id judged in any
scripts/*_unseen*/judged.jsonl and every id (or source path) of any evals/*/gold.jsonl, this
repository's and ../shared's. The eligible ids are sorted, shuffled with seed 4404 and the first
50 taken: the first 30 are tune4, the other 20 check4 (both judged by hand from the text before
the rules' output was seen; check4 scored once, at the end).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
INDEX = SHARED / "corpus" / "press_releases" / "index.tsv"
SEED, TUNE, CHECK = 4404, 30, 20
ROUND4 = ("tune4", "check4")  # this round's own records do not exclude themselves


def _excluded() -> tuple[set[str], set[str]]:
    """(ids, source paths) that an earlier judged set or a gold file already holds."""
    ids: set[str] = set()
    sources: set[str] = set()
    for path in ROOT.glob("scripts/*_unseen*/judged.jsonl"):
        records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        ids |= {r["id"] for r in records if r.get("set") not in ROUND4}
    for path in [*ROOT.glob("evals/*/gold.jsonl"), *SHARED.glob("evals/*/gold.jsonl")]:
        for line in path.read_text().splitlines():
            if line.strip():
                record = json.loads(line)
                ids.add(record["id"])
                sources.add(record.get("source", ""))
    return ids, sources


def sample() -> tuple[list[str], list[str]]:
    """(tune4 ids, check4 ids)."""
    ids, sources = _excluded()
    eligible = []
    for line in INDEX.read_text().splitlines()[1:]:
        doc_id, source, _ = line.split("\t")
        if int(doc_id[1:]) <= 1600 and doc_id not in ids and source not in sources:
            eligible.append(doc_id)
    eligible.sort()
    random.Random(SEED).shuffle(eligible)
    return eligible[:TUNE], eligible[TUNE : TUNE + CHECK]


if __name__ == "__main__":
    tune, check = sample()
    print("\n".join(check if sys.argv[1:] == ["check4"] else tune))
