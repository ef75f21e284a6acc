"""Companies samples of rounds 4 and 5 (issue #11): ids only, drawn from unseen corpus documents.

Usage: python scripts/companies_unseen/sample.py [tune4|check4|tune5|check5]   # prints the set's ids

Corpus ids c0001-c1600 (c1601-c3000 are held out and never read), less every id judged in any
scripts/*_unseen*/judged.jsonl and every id (or source path) of any evals/*/gold.jsonl, this
repository's and ../shared's. The eligible ids are sorted, shuffled with seed 4404 and the first
50 taken: the first 30 are tune4, the other 20 check4 (both judged by hand from the text before
the rules' output was seen; check4 scored once, at the end).

Round 5 draws the same way with seed 5505 (30 tune5, 20 check5) and excludes, besides the
above, round 4's sets and every corpus id that any tracked file (docs, tests, scripts, evals,
code) names at commit 1821afb, the start of round 5 (read with `git grep`, so later edits of
the docs do not move the sample).

Round 6: seed 6606, 40 tune6 and 20 check6, leaving out also rounds 4-5 and every id the tracked
files name at a5af593, the start of round 6.

Round 7: seed 7707, 40 tune7 and 20 check7, leaving out also rounds 4-6 and every id the tracked
files name at 959751d, the start of round 7.

Round 8: seed 8808, 40 tune8 and 20 check8, leaving out also rounds 4-7 and every id the tracked
files name at 0977b53, the start of round 8.

Round 10 (round 9 was the issuer's): seed 10010, 40 tune10 and 20 check10, leaving out also
rounds 4-8 and every id the tracked files name at 77efc3b, the start of round 10.

Round 11: seed 11011, 30 tune11 and 20 check11, leaving out also round 10 and every id the
tracked files name at 6874d58, the start of round 11.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
INDEX = SHARED / "corpus" / "press_releases" / "index.tsv"
TUNE, CHECK = 30, 20
SIZES = {6: (40, 20), 7: (40, 20), 8: (40, 20), 10: (40, 20)}  # rounds 6-10: 40 tune, 20 check
ROUNDS = {4: (4404, ("tune4", "check4")), 5: (5505, ("tune5", "check5")), 6: (6606, ("tune6", "check6")),
          7: (7707, ("tune7", "check7")), 8: (8808, ("tune8", "check8")),
          10: (10010, ("tune10", "check10")), 11: (11011, ("tune11", "check11"))}
ROUND5_START = "1821afb"  # the commit whose tracked files name the ids round 5 leaves out
ROUND_START = {5: ROUND5_START, 6: "a5af593", 7: "959751d", 8: "0977b53", 10: "77efc3b", 11: "6874d58"}  # each round leaves out what the tracked files name at its start
_CORPUS_ID = re.compile(r"\bc(\d{4})\b")


def _named_at_start(round_no: int = 5) -> set[str]:
    """Corpus ids c0001-c1600 that any tracked file names at the round's start (docs, tests, scripts)."""
    listing = subprocess.run(["git", "-C", str(ROOT), "grep", "-h", "-o", "-E", r"\bc[0-9]{4}\b", ROUND_START[round_no]],
                             capture_output=True, text=True, check=True).stdout
    return {m.group(0) for m in _CORPUS_ID.finditer(listing) if int(m.group(1)) <= 1600}


def _judged_files(round_no: int) -> list[str]:
    """The judged.jsonl files of scripts/*_unseen*/: as they were at the round's start from round 5 on
    (sets judged later, by any team, do not move an earlier round's sample), else as they are."""
    start = ROUND_START.get(round_no)
    if start is None:
        return [path.read_text() for path in ROOT.glob("scripts/*_unseen*/judged.jsonl")]
    names = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "-r", "--name-only", start, "scripts/"],
                           capture_output=True, text=True, check=True).stdout.split()
    paths = [name for name in names if re.fullmatch(r"scripts/[^/]*_unseen[^/]*/judged\.jsonl", name)]
    return [subprocess.run(["git", "-C", str(ROOT), "show", f"{start}:{path}"], capture_output=True, text=True, check=True).stdout
            for path in paths]


def _excluded(round_no: int = 4) -> tuple[set[str], set[str]]:
    """(ids, source paths) that an earlier judged set, a gold file or (round 5) a tracked file holds."""
    ids: set[str] = set()
    sources: set[str] = set()
    own = ROUNDS[round_no][1]  # this round's own records do not exclude themselves
    later = {name for n, (_, names) in ROUNDS.items() if n > round_no for name in names}
    for text in _judged_files(round_no):
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
        ids |= {r["id"] for r in records if r.get("set") not in own and r.get("set") not in later}
    for path in [*ROOT.glob("evals/*/gold.jsonl"), *SHARED.glob("evals/*/gold.jsonl")]:
        for line in path.read_text().splitlines():
            if line.strip():
                record = json.loads(line)
                ids.add(record["id"])
                sources.add(record.get("source", ""))
    if round_no >= 5:
        ids |= _named_at_start(min(round_no, max(ROUND_START)))
    return ids, sources


def sample(round_no: int = 4) -> tuple[list[str], list[str]]:
    """(tune ids, check ids) of the round."""
    ids, sources = _excluded(round_no)
    eligible = []
    for line in INDEX.read_text().splitlines()[1:]:
        doc_id, source, _ = line.split("\t")
        if int(doc_id[1:]) <= 1600 and doc_id not in ids and source not in sources:
            eligible.append(doc_id)
    eligible.sort()
    random.Random(ROUNDS[round_no][0]).shuffle(eligible)
    tune, check = SIZES.get(round_no, (TUNE, CHECK))
    return eligible[:tune], eligible[tune : tune + check]


if __name__ == "__main__":
    which = sys.argv[1] if sys.argv[1:] else "tune4"
    tune, check = sample(int(re.sub(r"^\D*", "", which) or 4))
    print("\n".join(check if which.startswith("check") else tune))
