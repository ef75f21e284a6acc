"""The hand-judged issuer sample: ids only, drawn from unseen corpus documents.

Usage: python scripts/issuer_unseen/sample.py [tune|check|tune3|...|tune6|check6|tune7|check7|tune8|check8|tune9|check9|tune10|check10|tune11|check11]   # prints the ids of the set

Corpus ids c0001-c1600 (c1601-c3000 are held out and never read) that are in no
evals/*/gold.jsonl, grouped by the wire named in index.tsv's source path, seed 29. Each wire
gets a share of the 100 documents proportional to its size (at least one for a wire with five
or more documents), the 100 are shuffled and split: the first 60 are the tune set, the other 40
the check set (judged by hand before the rules' output is seen, scored once at the end).

Round 3 (tune3/check3) draws 80 more the same way with seed 41 from the ids no earlier set
holds (judged.jsonl): the first 50 are tune3, the other 30 check3.

Round 4 (tune4/check4) draws 60 more with seed 67 from the ids that no hand-judged unseen set of
any field holds (scripts/*_unseen*/judged.jsonl: issuer, companies, kinds, tickers): the first
35 are tune4, the other 25 check4.

Round 5 (tune5/check5) draws 70 more with seed 83, leaving out also every corpus id that any
file tracked in the repository prints (docs, tests, scripts, eval READMEs: "**"): the first 40
are tune5, the other 30 check5.

Round 6 (tune6/check6) draws 90 more with seed 131 the same way as round 5: the first 60 are
tune6, the other 30 check6.

Round 7 (tune7/check7) draws 90 more with seed 197 the same way, with one more stratum: the
eligible documents whose text names a large wire service (GlobeNewswire, ACCESSWIRE, PR Newswire,
EIN Presswire, Business Wire), which no corpus folder holds, are drawn first (at most 6, shuffled),
and the wires' shares fill the rest: the first 60 are tune7, the other 30 check7.

Round 8 (tune8/check8) draws 60 more with seed 181 the same way as round 5 (no big-wire stratum):
the first 40 are tune8, the other 20 check8.

Round 9 (tune9/check9) draws 50 more with seed 191 the same way as round 8 (shares set from 51):
the first 30 are tune9, the other 20 check9.

Round 10 draws its two sets apart: tune10 is 30 documents with seed 211 and check10 20 more with
seed 223, the same way as round 8 (shares set from 31 and 22), and check10 leaves out tune10's ids
too. Ids judged in round 10's own sets are not left out of its draws, so the draws stay the same
after their judgements are written (and printed).

Round 11 draws tune11 (30, seed 227) and check11 (20, seed 229) the same way as round 10.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the checkout, or beside a parent of it (a worktree under /work/wt reads /work/shared).
SHARED = next((parent / "shared" for parent in ROOT.parents if (parent / "shared" / "corpus").is_dir()), ROOT.parent / "shared")
INDEX = SHARED / "corpus" / "press_releases" / "index.tsv"
DOCS = SHARED / "corpus" / "press_releases" / "docs"
JUDGED = Path(__file__).resolve().parent / "judged.jsonl"
# set names -> (seed, documents drawn, how many of them are the tune set, sets whose ids are left out)
ROUNDS = {
    "tune": (29, 100, 60, ()),
    "check": (29, 100, 60, ()),
    "tune3": (41, 80, 50, ("tune", "check")),
    "check3": (41, 80, 50, ("tune", "check")),
    "tune4": (67, 60, 35, ("*",)),
    "check4": (67, 60, 35, ("*",)),
    "tune5": (83, 70, 40, ("**",)),
    "check5": (83, 70, 40, ("**",)),
    "tune6": (131, 90, 60, ("**",)),
    "check6": (131, 90, 60, ("**",)),
    "tune7": (197, 90, 60, ("**",)),
    "check7": (197, 90, 60, ("**",)),
    "tune8": (181, 60, 40, ("**",)),
    "check8": (181, 60, 40, ("**",)),
    "tune9": (191, 50, 30, ("**",)),
    "check9": (191, 50, 30, ("**",)),
    "tune10": (211, 30, 30, ("**",)),
    "check10": (223, 20, 0, ("**",)),
    "tune11": (227, 30, 30, ("**",)),
    "check11": (229, 20, 0, ("**",)),
}
# A round's own sets, whose judged (and printed) ids stay eligible for its draws; and a set whose
# draw a later one of the same round leaves out (round 10 draws check10 apart from tune10).
_OWN_SETS = {"tune10": ("tune10", "check10"), "check10": ("tune10", "check10"), "tune11": ("tune11", "check11"), "check11": ("tune11", "check11")}
_DRAWN_AFTER = {"check10": "tune10", "check11": "tune11"}
# Quota rounding leaves a draw short of its size: round 5 sets the wires' shares from a larger
# figure and keeps the first 70 (earlier rounds are drawn exactly as before).
_QUOTA_BASE = {"tune5": 72, "check5": 72, "tune6": 93, "check6": 93, "tune7": 90, "check7": 90, "tune8": 61, "check8": 61, "tune9": 51, "check9": 51, "tune10": 31, "check10": 22, "tune11": 31, "check11": 22}
# Round 7's extra stratum: releases that print the name of a large wire service.
_BIG_WIRES = re.compile(r"GLOBE NEWSWIRE|GlobeNewswire|ACCESSWIRE|ACCESS Newswire|PR ?Newswire|EIN Presswire|BUSINESS WIRE|Business Wire", re.I)
_BIG_WIRE_ROUNDS = {"tune7": 6, "check7": 6}
_CORPUS_ID = re.compile(rb"\bc\d{4}\b")


def _printed_ids() -> set[str]:
    """Every corpus id printed by a file tracked in the repository (a doc, test, script or gold
    set): a document someone may already have read."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True).stdout.split(b"\0")
    return {m.decode() for f in files if f and (ROOT / f.decode()).is_file() for m in _CORPUS_ID.findall((ROOT / f.decode()).read_bytes())}


def _judged_ids(sets: tuple[str, ...]) -> set[str]:
    """Ids already judged in `sets` (a new round draws none of them again). "*" is every id of
    every hand-judged unseen set, for any field (scripts/*_unseen*/judged.jsonl); "**" adds every
    id a tracked file prints."""
    if sets == ("**",):
        return _judged_ids(("*",)) | _printed_ids()
    if sets == ("*",):
        return {json.loads(line)["id"] for path in JUDGED.parents[1].glob("*_unseen*/judged.jsonl") for line in path.read_text().splitlines() if line.strip()}
    if not sets or not JUDGED.exists():
        return set()
    return {r["id"] for r in map(json.loads, JUDGED.read_text().splitlines()) if r["set"] in sets}


def _eligible(exclude: set[str] = frozenset()) -> dict[str, list[str]]:
    """Unseen ids c0001-c1600 by wire (the first folder of the source path), less `exclude`."""
    gold = {json.loads(line)["id"] for path in ROOT.glob("evals/*/gold.jsonl") for line in path.read_text().splitlines() if line.strip()}
    by_wire: dict[str, list[str]] = defaultdict(list)
    for line in INDEX.read_text().splitlines()[1:]:
        doc_id, source, _ = line.split("\t")
        if int(doc_id[1:]) <= 1600 and doc_id not in gold and doc_id not in exclude:
            by_wire[source.split(":", 1)[1].split("/", 1)[0]].append(doc_id)
    return by_wire


def sample(which: str = "tune") -> tuple[list[str], list[str]]:
    """(tune ids, check ids) of the round that `which` names."""
    seed, total, tune, exclude = ROUNDS[which]
    rng = random.Random(seed)
    left_out = _judged_ids(exclude)
    if which in _OWN_SETS and JUDGED.exists():
        left_out -= {r["id"] for r in map(json.loads, JUDGED.read_text().splitlines()) if r["set"] in _OWN_SETS[which]}
    if which in _DRAWN_AFTER:
        left_out |= set(sample(_DRAWN_AFTER[which])[0])
    by_wire = _eligible(left_out)
    size = sum(map(len, by_wire.values()))
    chosen: list[str] = []
    if which in _BIG_WIRE_ROUNDS:
        big = sorted(i for ids in by_wire.values() for i in ids if _BIG_WIRES.search((DOCS / f"{i}.txt").read_text(encoding="utf-8")))
        rng.shuffle(big)
        chosen += big[: _BIG_WIRE_ROUNDS[which]]
        by_wire = {wire: [i for i in ids if i not in chosen] for wire, ids in by_wire.items()}
        size = sum(map(len, by_wire.values()))
    for wire in sorted(by_wire):
        ids = sorted(by_wire[wire])
        quota = round(_QUOTA_BASE.get(which, total) * len(ids) / size)
        if quota == 0 and len(ids) >= 5:
            quota = 1
        rng.shuffle(ids)
        chosen += ids[:quota]
    rng.shuffle(chosen)
    chosen = chosen[:total]
    if tune == 0:
        return [], sorted(chosen)
    return sorted(chosen[:tune]), sorted(chosen[tune:])


if __name__ == "__main__":
    which = (sys.argv[1:] or ["tune"])[0]
    tune_ids, check_ids = sample(which)
    print("\n".join(tune_ids if which.startswith("tune") else check_ids))
