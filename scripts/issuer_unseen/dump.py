"""The rules' issuer on every unseen document c0001-c1600 (in no evals/*/gold.jsonl), to see what a rule moves.

Usage:
  python scripts/issuer_unseen/dump.py dump OUT.json        # {id: [name, ticker, exchange]}, this checkout
  python scripts/issuer_unseen/dump.py diff A.json B.json   # counts, then the changed ids (A -> B)

Run `dump` once with PYTHONPATH on a base checkout and once on the branch; c1601-c3000 are held
out and never read. No text is printed, only issuers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sample.py beside this script, also under python -P
from sample import DOCS, _eligible  # the same unseen ids the hand-judged sets are drawn from

from llmx.recognize import recognize
from llmx.rules.issuer import find_issuer



def dump(out: Path) -> None:
    """Write the issuer of every unseen document to `out`."""
    found = {}
    for doc_id in sorted(i for ids in _eligible().values() for i in ids):
        text = (DOCS / f"{doc_id}.txt").read_text(encoding="utf-8")
        issuer = find_issuer(text, recognize(text))
        found[doc_id] = [issuer.name, issuer.ticker, issuer.exchange]
    out.write_text(json.dumps(found, indent=0, ensure_ascii=False))


def diff(before: dict[str, list], after: dict[str, list]) -> None:
    """Print how many names and tickers changed, then each change."""
    names = [i for i in before if before[i][0] != after[i][0]]
    tickers = [i for i in before if before[i][0] == after[i][0] and before[i][1:] != after[i][1:]]
    empty = (sum(v[0] is None for v in before.values()), sum(v[0] is None for v in after.values()))
    print(f"{len(before)} docs: name changed {len(names)}, only ticker changed {len(tickers)}, empty {empty[0]} -> {empty[1]}")
    for i in names + tickers:
        print(f"{i}\t{before[i]}\t->\t{after[i]}")


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump(Path(sys.argv[2]))
    else:
        diff(*(json.loads(Path(p).read_text()) for p in sys.argv[2:4]))
