"""Issuer (and listings) of 500 unseen corpus documents, to see what a rule change moves.

Usage:
  python scripts/issuer_sample.py dump OUT.json     # issuer + tickers of the sample, this checkout
  python scripts/issuer_sample.py diff A.json B.json  # documents whose issuer/ticker changed

The sample: corpus documents c0001-c2000 that are not in evals/corpus/gold.jsonl, shuffled with
seed 11, first 500; since evals/heldout3 took c1601-c2000, `dump` keeps only the ids up to c1600
(c1601-c3000 are held out and never read). `sample_ids(held_out_too=True)` gives the original 500,
which evals/heldout3's selection excluded. Texts are read from
../shared/corpus/press_releases/docs; the script exits cleanly when they are absent.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from llmx.recognize import recognize

try:
    from llmx.rules.issuer import find_issuer
except ImportError:  # a checkout from before the issuer module (dump the old rules for comparison)
    from llmx.rules.parties import find_issuer  # type: ignore[attr-defined,no-redef]

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT.parent / "shared" / "corpus" / "press_releases" / "docs"


def sample_ids(held_out_too: bool = False) -> list[str]:
    """The seeded sample; without `held_out_too`, only ids outside the held-out range c1601-c3000."""
    gold = {json.loads(line)["id"] for line in (ROOT / "evals/corpus/gold.jsonl").read_text().splitlines() if line.strip()}
    ids = [f"c{i:04d}" for i in range(1, 2001) if f"c{i:04d}" not in gold]
    random.Random(11).shuffle(ids)
    return sorted(doc_id for doc_id in ids[:500] if held_out_too or int(doc_id[1:]) <= 1600)


def dump(out: Path) -> None:
    records = {}
    for doc_id in sample_ids():
        text = (DOCS / f"{doc_id}.txt").read_text(encoding="utf-8")
        mentions = recognize(text)
        issuer = find_issuer(text, mentions)
        records[doc_id] = {
            "name": issuer.name, "ticker": issuer.ticker, "exchange": issuer.exchange,
            "tickers": [[t.symbol, t.exchange] for t in mentions.tickers],
        }  # fmt: skip
    out.write_text(json.dumps(records, indent=0), encoding="utf-8")
    print(f"{len(records)} documents -> {out}")


def diff(a_path: Path, b_path: Path) -> None:
    a, b = json.loads(a_path.read_text()), json.loads(b_path.read_text())
    names = [i for i in a if a[i]["name"] != b[i]["name"]]
    links = [i for i in a if a[i]["name"] == b[i]["name"] and a[i]["ticker"] != b[i]["ticker"]]
    listings = [i for i in a if a[i]["tickers"] != b[i]["tickers"]]
    for i in names:
        print(f"name    {i}: {a[i]['name']!r} -> {b[i]['name']!r} ({b[i]['ticker']})")
    for i in links:
        print(f"ticker  {i}: {b[i]['name']!r} {a[i]['ticker']} -> {b[i]['ticker']}")
    for i in listings:
        print(f"listing {i}: {a[i]['tickers']} -> {b[i]['tickers']}")
    print(f"of {len(a)}: issuer name changed {len(names)}, issuer ticker only {len(links)}, listings {len(listings)}")


if __name__ == "__main__":
    if not DOCS.is_dir():
        print(f"skip: {DOCS} not found")
        sys.exit(0)
    if sys.argv[1:2] == ["dump"] and len(sys.argv) == 3:
        dump(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["diff"] and len(sys.argv) == 4:
        diff(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        print(__doc__)
        sys.exit(2)
