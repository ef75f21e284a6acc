"""Round-2 sample for issue #11: unseen corpus documents, weighted toward the classes round 1 missed.

Usage: python scripts/kinds_unseen2/sample.py > /tmp/kinds2-sample.tsv   (prints set, id, topic, amounts)

Candidates are c0001-c1600 not in any evals/*/gold.jsonl and not in scripts/kinds_unseen/judged.jsonl,
shuffled with random.Random(23). Each is given the first topic whose cue occurs in its first 1,500
characters (earnings results, financing, M&A, biotech deal, mining, other), and documents with
2-8 distinct recognized amounts are taken round-robin over the topics (a quota per topic, so the
topics round 1 under-represented get as many documents as the wire's general text). Within each
topic the first picks are *tune* and the rest *check* (TUNE_QUOTA: 40 tune, 25 check in all). Only the recognizers run here, never the role rules, so
nobody sees the rules' labels before judging.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from llmx.recognize import recognize

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the checkout, or beside the folder holding it (a git worktree under wt/)
DOCS = next((parent / "shared" for parent in ROOT.parents if (parent / "shared" / "corpus").is_dir()), ROOT.parent / "shared") / "corpus" / "press_releases" / "docs"
TOPICS = (
    ("earnings", r"(?:first|second|third|fourth|full)[- ](?:quarter|year)|quarter(?:ly)? results|net (?:income|loss)|EBITDA|\bEPS\b|revenues? (?:of|increased|grew|was)|guidance"),
    ("financing", r"offering|private placement|gross proceeds|credit facility|notes due|convertible|financing|raises? \$"),
    ("mna", r"acqui(?:re|sition)|merger|purchase price|per share in cash|tender offer|definitive agreement"),
    ("biotech", r"upfront|up-front|milestone|royalt|licen[cs]e agreement|collaboration"),
    ("mining", r"\bNPV\b|capex|feasibility|drill|ounces|\bmine\b|exploration"),
    ("other", r""),
)
QUOTA = {"earnings": 13, "financing": 12, "mna": 12, "biotech": 11, "mining": 8, "other": 9}
TUNE_QUOTA = {"earnings": 8, "financing": 7, "mna": 7, "biotech": 7, "mining": 5, "other": 6}


def excluded() -> set[str]:
    """Ids already in a gold set or in round 1's judged sample."""
    ids = set()
    for gold in (ROOT / "evals").glob("*/gold.jsonl"):
        ids |= {json.loads(line)["id"] for line in gold.open() if line.strip()}
    ids |= {json.loads(line)["id"] for line in (ROOT / "scripts" / "kinds_unseen" / "judged.jsonl").open()}
    return ids


def topic_of(text: str) -> str:
    head = text[:1500]
    return next(name for name, cue in TOPICS if not cue or re.search(cue, head, re.IGNORECASE))


def draw(skip: set[str], seed: int, quota: dict[str, int], tune_quota: dict[str, int]) -> list[tuple[str, str, str, int]]:
    """(set, id, topic, distinct amounts) for a seeded, per-topic quota draw from c0001-c1600 minus `skip`."""
    candidates = [f"c{n:04d}" for n in range(1, 1601) if f"c{n:04d}" not in skip]
    random.Random(seed).shuffle(candidates)
    taken: dict[str, int] = {name: 0 for name, _ in TOPICS}
    picks: list[tuple[str, str, str, int]] = []
    for doc_id in candidates:
        text = (DOCS / f"{doc_id}.txt").read_text()
        topic = topic_of(text)
        distinct = {(round(m.value, 6), m.currency) for m in recognize(text).money}
        if taken[topic] < quota[topic] and 2 <= len(distinct) <= 8:
            which = "tune" if taken[topic] < tune_quota[topic] else "check"
            taken[topic] += 1
            picks.append((which, doc_id, topic, len(distinct)))
        if len(picks) == sum(quota.values()):
            break
    return picks


def main() -> None:
    for pick in draw(excluded(), 23, QUOTA, TUNE_QUOTA):
        print(*pick, sep="\t")


if __name__ == "__main__":
    main()
    sys.stdout.flush()
