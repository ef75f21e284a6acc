"""Round-4 sample for issue #11: unseen corpus documents for the kind/status rules.

Usage: python scripts/kinds_unseen4/sample.py > /tmp/kinds4-sample.tsv   (prints set, id, topic, amounts)

Round 2's draw (`scripts/kinds_unseen2/sample.py`: topic of the first 1,500 characters, 2-8 distinct
recognized amounts, round-robin quota per topic, first picks *tune*, the rest *check*) with a new seed
(random.Random(41)) and the widest exclusion so far: every corpus id that any file of the repository
names at commit 1821afb (the round's starting point): gold sets, every earlier hand-judged sample
(scripts/*_unseen*/judged.jsonl), docs, tests, scripts and benchmarks. The tree is read at that commit,
not the working tree, so this round's own judged.jsonl and docs do not change the draw. Only the
recognizers run here, never the role rules (print contexts with scripts/kinds_unseen2/contexts.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "kinds_unseen2"))

from sample import draw  # noqa: E402  (round 2's draw and topics, so the samples compare)

ROOT = Path(__file__).resolve().parents[2]
START = "1821afb"  # the round's starting commit: the exclusion is what the repository named then
SEED = 41
# The pool left after four rounds holds few M&A and mining documents with 2-8 amounts (6 and 4 of ~230):
# the quota takes all of them and fills the rest from financing and general wire text.
QUOTA = {"earnings": 10, "financing": 12, "mna": 6, "biotech": 8, "mining": 4, "other": 14}
TUNE_QUOTA = {"earnings": 6, "financing": 8, "mna": 4, "biotech": 5, "mining": 2, "other": 9}


def excluded() -> set[str]:
    """Corpus ids of c0001-c1600 named anywhere in the repository's tree at START."""
    found = subprocess.run(
        ["git", "-C", str(ROOT), "grep", "-ohE", r"\bc(0[0-9]{3}|1[0-5][0-9]{2}|1600)\b", START, "--", "."],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(found.split())


if __name__ == "__main__":
    sys.stdout.write("".join("\t".join(map(str, pick)) + "\n" for pick in draw(excluded(), SEED, QUOTA, TUNE_QUOTA)))
