"""The hand-judged issuer sample: ids only, drawn from unseen corpus documents.

Usage: python scripts/issuer_unseen/sample.py [tune|check]   # prints the ids of the set

Corpus ids c0001-c1600 (c1601-c3000 are held out and never read) that are in no
evals/*/gold.jsonl, grouped by the wire named in index.tsv's source path, seed 29. Each wire
gets a share of the 100 documents proportional to its size (at least one for a wire with five
or more documents), the 100 are shuffled and split: the first 60 are the tune set, the other 40
the check set (judged by hand before the rules' output is seen, scored once at the end).
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INDEX = ROOT.parent / "shared" / "corpus" / "press_releases" / "index.tsv"
SEED, TOTAL, TUNE = 29, 100, 60


def _eligible() -> dict[str, list[str]]:
    """Unseen ids c0001-c1600 by wire (the first folder of the source path)."""
    gold = {json.loads(line)["id"] for path in ROOT.glob("evals/*/gold.jsonl") for line in path.read_text().splitlines() if line.strip()}
    by_wire: dict[str, list[str]] = defaultdict(list)
    for line in INDEX.read_text().splitlines()[1:]:
        doc_id, source, _ = line.split("\t")
        if int(doc_id[1:]) <= 1600 and doc_id not in gold:
            by_wire[source.split(":", 1)[1].split("/", 1)[0]].append(doc_id)
    return by_wire


def sample() -> tuple[list[str], list[str]]:
    """(tune ids, check ids)."""
    rng = random.Random(SEED)
    by_wire = _eligible()
    size = sum(map(len, by_wire.values()))
    chosen: list[str] = []
    for wire in sorted(by_wire):
        ids = sorted(by_wire[wire])
        quota = round(TOTAL * len(ids) / size)
        if quota == 0 and len(ids) >= 5:
            quota = 1
        rng.shuffle(ids)
        chosen += ids[:quota]
    rng.shuffle(chosen)
    chosen = chosen[:TOTAL]
    return sorted(chosen[:TUNE]), sorted(chosen[TUNE:])


if __name__ == "__main__":
    tune, check = sample()
    print("\n".join(tune if (sys.argv[1:] or ["tune"])[0] == "tune" else check))
