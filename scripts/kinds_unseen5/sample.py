"""Round-5 sample for issue #11: unseen corpus documents for the kind/status rules, weighted toward many amounts.

Usage: python scripts/kinds_unseen5/sample.py > /tmp/kinds5-sample.tsv   (prints set, id, topic, amounts)

Candidates: c0001-c1600 minus every corpus id any file of the repository names at commit a5af593 (the round's
starting point: gold sets, every earlier hand-judged sample, docs, tests, scripts; read from the commit, so this
round's own files do not move the draw). Each document gets the first topic whose cue is in its first 1,500
characters; the topic list is round 2's widened to the kinds this round weights up (licensing with milestones or
royalties, crypto, real estate, grants, fund raises). Documents with 4-14 distinct recognized amounts (round 4
took 2-8: this round wants releases holding several amounts of different kinds) are taken round-robin by topic
under a quota; where a topic's pool runs out, the rest of the total is filled from any topic in shuffled
order. *tune* is drawn with random.Random(53), *check* with random.Random(59) from what tune left. Only
the recognizers run here, never the role rules (print contexts with scripts/kinds_unseen2/contexts.py).
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

from llmx.recognize import recognize

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the checkout, or beside the folder holding it (a git worktree under wt/)
DOCS = next((parent / "shared" for parent in ROOT.parents if (parent / "shared" / "corpus").is_dir()), ROOT.parent / "shared") / "corpus" / "press_releases" / "docs"
START = "a5af593"
TOPICS = (
    ("earnings", r"(?:first|second|third|fourth|full)[- ](?:quarter|year)|quarter(?:ly)? results|net (?:income|loss)|EBITDA|\bEPS\b|revenues? (?:of|increased|grew|was)|guidance"),
    ("licensing", r"upfront|up-front|milestone payment|royalt|licen[cs]e agreement"),
    ("mna", r"acqui(?:re|sition)|merger|purchase price|per share in cash|tender offer|definitive agreement"),
    ("fund", r"\bfund (?:raise|close)|final close|first close|assets under management|venture fund|closes? (?:its )?fund"),
    ("financing", r"offering|private placement|gross proceeds|credit facility|notes due|convertible|financing|rais(?:es?|ed) \$|series [A-D]\b|seed round"),
    ("crypto", r"bitcoin|ethereum|\btoken|crypto|presale|blockchain"),
    ("mining", r"\bNPV\b|capex|feasibility|drill|ounces|\bmine\b|exploration"),
    ("realestate", r"real estate|property|properties|square feet|REIT|apartment"),
    ("grant", r"\bgrants?\b|award(?:ed|s)? \$|funding from|foundation"),
    ("other", r""),
)
TUNE = (53, {"earnings": 6, "licensing": 4, "mna": 5, "fund": 3, "financing": 6, "crypto": 4, "mining": 3, "realestate": 3, "grant": 3, "other": 3})
CHECK = (59, {"earnings": 3, "licensing": 2, "mna": 3, "fund": 1, "financing": 3, "crypto": 2, "mining": 2, "realestate": 1, "grant": 1, "other": 2})


def excluded(start: str = START) -> set[str]:
    """Corpus ids of c0001-c1600 named anywhere in the repository's tree at `start` (round 6 passes its own)."""
    found = subprocess.run(
        ["git", "-C", str(ROOT), "grep", "-ohE", r"\bc(0[0-9]{3}|1[0-5][0-9]{2}|1600)\b", start, "--", "."],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(found.split())


def topic_of(text: str) -> str:
    head = text[:1500]
    return next(name for name, cue in TOPICS if not cue or re.search(cue, head, re.IGNORECASE))


def draw(which: str, skip: set[str], seed: int, quota: dict[str, int]) -> list[tuple[str, str, str, int]]:
    candidates = [f"c{n:04d}" for n in range(1, 1601) if f"c{n:04d}" not in skip]
    random.Random(seed).shuffle(candidates)
    taken = dict.fromkeys(quota, 0)
    picks = []
    for doc_id in candidates:
        text = (DOCS / f"{doc_id}.txt").read_text()
        topic = topic_of(text)
        if taken[topic] >= quota[topic]:
            continue
        distinct = {(round(m.value, 6), m.currency) for m in recognize(text).money}
        if 4 <= len(distinct) <= 14:
            taken[topic] += 1
            picks.append((which, doc_id, topic, len(distinct)))
        if len(picks) == sum(quota.values()):
            return picks
    # the pool left after four rounds is short of some topics: the rest of the total comes from any topic, in order
    chosen = {pick[1] for pick in picks}
    for doc_id in candidates:
        if len(picks) == sum(quota.values()):
            break
        text = (DOCS / f"{doc_id}.txt").read_text()
        distinct = {(round(m.value, 6), m.currency) for m in recognize(text).money}
        if doc_id not in chosen and 4 <= len(distinct) <= 14:
            picks.append((which, doc_id, topic_of(text), len(distinct)))
    return picks


if __name__ == "__main__":
    skip = excluded()
    tune = draw("tune", skip, *TUNE)
    check = draw("check", skip | {pick[1] for pick in tune}, *CHECK)
    sys.stdout.write("".join("\t".join(map(str, pick)) + "\n" for pick in tune + check))
