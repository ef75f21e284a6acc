"""Score the rules' issuer against the hand-judged unseen sample (ids and judged issuers only; the
texts stay in ../shared).

Usage: python scripts/issuer_unseen/score.py [tune|check|tune3|...|tune6|check6|tune7|check7|tune8|check8|tune9|check9|tune10|check10|tune11|check11] [--misses]

Each document of the set (judged.jsonl, drawn by sample.py) goes through `recognize` and
`find_issuer`, as `llmx extract --backend rules` does, and is scored with the eval harness's own
matchers (`PRESS_RELEASE_FIELDS`: fuzzy issuer name, exact ticker, normalised exchange). "type"
is "commentary" for a market-commentary article that only features a listed company; the
figures are printed for all documents and for the releases alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sample.py beside this script, also under python -P
from sample import DOCS  # ../shared, found as sample.py finds it

from llmx.evaluate.scoring import PRESS_RELEASE_FIELDS
from llmx.recognize import recognize
from llmx.rules.issuer import find_issuer

HERE = Path(__file__).resolve().parent
FIELDS = ("name", "ticker", "exchange")


def _right(field: str, gold: str | None, got: str | None) -> bool:
    matcher = PRESS_RELEASE_FIELDS[f"issuer.{field}"]
    return matcher.compare(matcher.canonical(gold), matcher.canonical(got)) is not None


def main() -> None:
    which = next((a for a in sys.argv[1:] if not a.startswith("-")), "tune")
    judged = [r for r in map(json.loads, (HERE / "judged.jsonl").open()) if r["set"] == which]
    right = {kind: dict.fromkeys(FIELDS, 0) for kind in ("all", "release")}
    counts = {"all": len(judged), "release": sum(r["type"] == "release" for r in judged)}
    for r in judged:
        text = (DOCS / f"{r['id']}.txt").read_text(encoding="utf-8")
        issuer = find_issuer(text, recognize(text))
        got = {"name": issuer.name, "ticker": issuer.ticker, "exchange": issuer.exchange}
        ok = {f: _right(f, r[f], got[f]) for f in FIELDS}
        for kind in ("all", "release") if r["type"] == "release" else ("all",):
            for f in FIELDS:
                right[kind][f] += ok[f]
        if "--misses" in sys.argv and not all(ok.values()):
            print(f"miss {r['id']} ({r['type']}): judged {[r[f] for f in FIELDS]} got {[got[f] for f in FIELDS]}")
    for kind in ("all", "release"):
        n = counts[kind]
        figures = " ".join(f"{f} {right[kind][f] / n:.3f}" for f in FIELDS) if n else "-"
        print(f"{which} {kind}: {n} docs, issuer {figures}")


if __name__ == "__main__":
    if not DOCS.is_dir():
        print(f"skip: {DOCS} not found")
        sys.exit(0)
    main()
