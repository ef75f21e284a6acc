"""Round-7 sample for issue #11: unseen corpus documents for the kind/status rules, from what six rounds left.

Usage: python scripts/kinds_unseen7/sample.py > /tmp/kinds10-sample.tsv   (prints set, id, topic, amounts)

Candidates: c0001-c1600 minus every corpus id any file of the repository names at commit 77efc3b (the round's
starting point: gold sets, every earlier hand-judged sample, docs, tests, scripts; read from the commit, so this
round's own files do not move the draw). After six rounds only ~180 candidates are left and ~105 of them hold a
recognized amount (16 hold two, 6 hold three or more), so no topic quota is kept: every candidate with 2-30
distinct recognized amounts is taken, then single-amount documents in `random.Random(71)` order up to 40 in all.
The 40 are split by `random.Random(73)`: 28 *tune* (rules written from these), 12 *check* (scored at the start
and once at the end). *check2* is the next 20 single-amount documents of the same order, judged after the round's rules
were written and scored once, base and branch (a second blind figure). Only the recognizers run here, never the role rules (print contexts with
scripts/kinds_unseen2/contexts.py).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

from llmx.recognize import recognize

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the checkout, or beside the folder holding it (a git worktree under wt/)
DOCS = next((parent / "shared" for parent in ROOT.parents if (parent / "shared" / "corpus").is_dir()), ROOT.parent / "shared") / "corpus" / "press_releases" / "docs"
START = "77efc3b"
TOTAL, TUNE, CHECK2 = 40, 28, 20
# round 5's sampler, for its `excluded` (the ids a commit's tree names) and topic_of (a label for the listing)
_SPEC = importlib.util.spec_from_file_location("kinds_unseen6_sample", ROOT / "scripts" / "kinds_unseen6" / "sample.py")
_ROUND6 = importlib.util.module_from_spec(_SPEC)  # type: ignore[arg-type]
_SPEC.loader.exec_module(_ROUND6)  # type: ignore[union-attr]


def draw(skip: set[str]) -> list[tuple[str, str, str, int]]:
    counted = []
    for n in range(1, 1601):
        doc_id = f"c{n:04d}"
        if doc_id in skip or not (DOCS / f"{doc_id}.txt").exists():
            continue
        text = (DOCS / f"{doc_id}.txt").read_text()
        counted.append((doc_id, _ROUND6.topic_of(text), _ROUND6.distinct_amounts(text)))
    several = [c for c in counted if 2 <= c[2] <= 30]
    single = [c for c in counted if c[2] == 1]
    random.Random(71).shuffle(single)
    taken = max(0, TOTAL - len(several))
    chosen = several + single[:taken]
    random.Random(73).shuffle(chosen)
    later = single[taken : taken + CHECK2]
    return [("tune" if i < TUNE else "check", *c) for i, c in enumerate(chosen)] + [("check2", *c) for c in later]


if __name__ == "__main__":
    picks = draw(_ROUND6._ROUND5.excluded(START))
    sys.stdout.write("".join("\t".join(map(str, pick)) + "\n" for pick in picks))
