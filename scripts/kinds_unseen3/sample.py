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
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "kinds_unseen2"))

from sample import draw  # noqa: E402  (round 2's draw and topics, so the two samples compare)

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
    for pick in draw(excluded(), SEED, QUOTA, TUNE_QUOTA):
        print(*pick, sep="\t")


if __name__ == "__main__":
    main()
    sys.stdout.flush()
