"""cProfile line of `find_companies` per document on the shared corpus (issue #15): calls and CPU.

Usage: python benchmarks/profile_companies.py [DOCS_DIR] [--limit N]
Prints the cProfile row of find_companies (cumulative time over the run, per document) and its
CPU time per document without the profiler (median of 5 rounds, `time.process_time`). A
measurement only: nothing is asserted. Compare two checkouts by running both in one sitting.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import time
from pathlib import Path

from llmx.rules.parties import find_companies

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DOCS = Path(os.environ.get("LLMX_SHARED", ROOT.parent / "shared")) / "corpus" / "press_releases" / "docs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs_dir", nargs="?", default=str(DEFAULT_DOCS))
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    paths = sorted(Path(args.docs_dir).glob("*.txt"))[: args.limit]
    if not paths:
        print(f"skipped: no documents in {args.docs_dir}")
        return 0
    texts = [p.read_text(encoding="utf-8") for p in paths]
    for text in texts:  # warm the name caches as a long batch would
        find_companies(text)
    rounds = []
    for _ in range(5):
        started = time.process_time()
        for text in texts:
            find_companies(text)
        rounds.append(time.process_time() - started)
    profile = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
    profile.enable()
    for text in texts:
        find_companies(text)
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    row = next(v for k, v in stats.items() if k[2] == "find_companies" and k[0].endswith("parties.py"))
    calls, cumulative = row[1], row[3]
    total_calls = sum(v[1] for v in stats.values())
    kb = sum(map(len, texts)) / len(texts) / 1000
    print(f"{len(texts)} documents, {kb:.1f} KB each on average")
    print(f"find_companies CPU {statistics.median(rounds) / len(texts) * 1e3:.3f} ms/doc (median of 5 rounds, no profiler)")
    print(f"cProfile: find_companies ncalls {calls}, cumtime {cumulative / calls * 1e3:.3f} ms/doc, {total_calls / calls:.0f} function calls/doc")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
