"""Round-3 sample for issue #11: unseen corpus documents for the kind/status rules.

Usage: python scripts/kinds_unseen3/sample.py > /tmp/kinds3-sample.tsv   (prints set, id, topic, amounts)

The same method as round 2 (`scripts/kinds_unseen2/sample.py`: topic of the first 1,500 characters,
2-8 distinct recognized amounts, round-robin quota per topic, first picks *tune*, the rest *check*),
with a new seed (random.Random(37)) and a wider exclusion: candidates are c0001-c1600 not in any
evals/*/gold.jsonl and not in any earlier hand-judged sample (every scripts/*_unseen*/judged.jsonl:
kinds rounds 1-2, issuer, companies, tickers). Only the recognizers run here, never the role rules,
so nobody sees the rules' labels before judging (print contexts with scripts/kinds_unseen2/contexts.py).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "kinds_unseen2"))

from sample import DOCS, TOPICS, topic_of  # noqa: E402  (round 2's topics, so the two samples compare)

from llmx.recognize import recognize  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SEED = 37
QUOTA = {"earnings": 10, "financing": 10, "mna": 9, "biotech": 8, "mining": 6, "other": 7}
TUNE_QUOTA = {"earnings": 6, "financing": 6, "mna": 5, "biotech": 5, "mining": 4, "other": 4}


def excluded() -> set[str]:
    """Ids already in a gold set or in any earlier hand-judged sample."""
    ids: set[str] = set()
    for gold in (ROOT / "evals").glob("*/gold.jsonl"):
        ids |= {json.loads(line)["id"] for line in gold.open() if line.strip()}
    for judged in (ROOT / "scripts").glob("*_unseen*/judged.jsonl"):
        if judged.parent.name != "kinds_unseen3":
            ids |= {json.loads(line)["id"] for line in judged.open() if line.strip()}
    return ids


def main() -> None:
    skip = excluded()
    candidates = [f"c{n:04d}" for n in range(1, 1601) if f"c{n:04d}" not in skip]
    random.Random(SEED).shuffle(candidates)
    taken: dict[str, int] = {name: 0 for name, _ in TOPICS}
    picks: list[tuple[str, str, str, int]] = []
    for doc_id in candidates:
        text = (DOCS / f"{doc_id}.txt").read_text()
        topic = topic_of(text)
        distinct = {(round(m.value, 6), m.currency) for m in recognize(text).money}
        if taken[topic] < QUOTA[topic] and 2 <= len(distinct) <= 8:
            which = "tune" if taken[topic] < TUNE_QUOTA[topic] else "check"
            taken[topic] += 1
            picks.append((which, doc_id, topic, len(distinct)))
        if len(picks) == sum(QUOTA.values()):
            break
    for pick in picks:
        print(*pick, sep="\t")


if __name__ == "__main__":
    main()
    sys.stdout.flush()
