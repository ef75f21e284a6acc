"""Round-6 sample for issue #11: unseen corpus documents for the kind/status rules, weighted toward round 5's misses.

Usage: python scripts/kinds_unseen6/sample.py > /tmp/kinds6-sample.tsv   (prints set, id, topic, amounts)

Candidates: c0001-c1600 minus every corpus id any file of the repository names at commit ed45fe4 (the round's
starting point: gold sets, every earlier hand-judged sample, docs, tests, scripts; read from the commit, so this
round's own files do not move the draw). Each document gets the first topic whose cue is in its first 1,500
characters; the topics are the classes round 5 left undone: grants and charitable awards, notes (promissory,
convertible), market projections, per-unit figures and product prices, earnings. Documents with 3-10 distinct
recognized amounts are taken round-robin by topic under a quota; where a topic's pool runs out, the rest of the
total is filled from any topic in shuffled order with 2-14 amounts (only ~45 candidates with 3+ are left). *tune* is drawn with random.Random(61), *check* with
random.Random(67) from what tune left. Only the recognizers run here, never the role rules (print contexts with
scripts/kinds_unseen2/contexts.py).
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

from llmx.recognize import recognize

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the checkout, or beside the folder holding it (a git worktree under wt/)
DOCS = next((parent / "shared" for parent in ROOT.parents if (parent / "shared" / "corpus").is_dir()), ROOT.parent / "shared") / "corpus" / "press_releases" / "docs"
START = "ed45fe4"
# round 5's sampler, for its `excluded` (the ids a commit's tree names)
_SPEC = importlib.util.spec_from_file_location("kinds_unseen5_sample", ROOT / "scripts" / "kinds_unseen5" / "sample.py")
_ROUND5 = importlib.util.module_from_spec(_SPEC)  # type: ignore[arg-type]
_SPEC.loader.exec_module(_ROUND5)  # type: ignore[union-attr]
TOPICS = (
    ("grant", r"\bgrants?\b|award(?:ed|s)? \$|funding from|foundation|charit|donat"),
    ("notes", r"promissory|convertible notes?|senior notes|debentures?|notes due"),
    ("market", r"market (?:is )?(?:size|projected|expected|valued|forecast)|CAGR|compound annual|billion by 20[23]\d"),
    ("perunit", r"per (?:gallon|unit|barrel|ton(?:ne)?|ounce|pound|kilowatt|MWh|square foot)|/(?:gal|bbl|oz|lb|MWh)\b|priced at|retail price|MSRP"),
    ("earnings", r"(?:first|second|third|fourth|full)[- ](?:quarter|year)|quarter(?:ly)? results|net (?:income|loss)|EBITDA|\bEPS\b|revenues? (?:of|increased|grew|was)"),
    ("other", r""),
)
TUNE = (61, {"grant": 5, "notes": 5, "market": 4, "perunit": 4, "earnings": 4, "other": 3})
CHECK = (67, {"grant": 2, "notes": 2, "market": 2, "perunit": 2, "earnings": 2, "other": 2})


def topic_of(text: str) -> str:
    head = text[:1500]
    return next(name for name, cue in TOPICS if not cue or re.search(cue, head, re.IGNORECASE))


def distinct_amounts(text: str) -> int:
    return len({(round(m.value, 6), m.currency) for m in recognize(text).money})


def draw(which: str, skip: set[str], seed: int, quota: dict[str, int]) -> list[tuple[str, str, str, int]]:
    candidates = [f"c{n:04d}" for n in range(1, 1601) if f"c{n:04d}" not in skip and (DOCS / f"c{n:04d}.txt").exists()]
    random.Random(seed).shuffle(candidates)
    taken = dict.fromkeys(quota, 0)
    picks: list[tuple[str, str, str, int]] = []
    # the quota first (3-10 amounts); after five rounds few documents with 3+ amounts are left, so then the rest of the
    # total takes 2-14 amounts from any topic, in the same shuffled order
    for fill, (low, high) in ((False, (3, 10)), (True, (2, 14))):
        for doc_id in candidates:
            if len(picks) == sum(quota.values()):
                return picks
            if fill and doc_id in {pick[1] for pick in picks}:
                continue
            text = (DOCS / f"{doc_id}.txt").read_text()
            topic = topic_of(text)
            if not fill and taken[topic] >= quota[topic]:
                continue
            count = distinct_amounts(text)
            if low <= count <= high:
                taken[topic] += 1
                picks.append((which, doc_id, topic, count))
    return picks


if __name__ == "__main__":
    skip = _ROUND5.excluded(START)
    tune = draw("tune", skip, *TUNE)
    check = draw("check", skip | {pick[1] for pick in tune}, *CHECK)
    sys.stdout.write("".join("\t".join(map(str, pick)) + "\n" for pick in tune + check))
