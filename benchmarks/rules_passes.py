"""Run `extract(text, backend="rules")` over a sample of the corpus N times: a workload for instruction counts.

Usage: python benchmarks/rules_passes.py [--docs 200] [--passes 1] [--stage propose_roles]
(documents: every k-th of corpus c0001-c1600, k = 1600 // docs; `--stage propose_roles` runs only
the role proposals, over mentions recognized once before the passes; `--stage recognize` only
`recognize(text)`; `--stage validate` only `validate(text, record)` of each document's rules record,
built before the passes, as bench_rules.py's recognize+validate column: the recognizers run inside
it); `--stage find_companies` only `find_companies(text)`. Prints nothing; under
`valgrind --tool=callgrind` the instructions of one pass are the count with `--passes 2` minus
the count with `--passes 1` (start-up and imports cancel out), a figure the machine's load does
not move. docs/measurements.md ("Round 6") has the commands.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from llmx import extract
from llmx.extraction.api import make_backend

ROOT = Path(__file__).resolve().parents[1]
DOCS = Path(os.environ.get("LLMX_SHARED", ROOT.parent / "shared")) / "corpus" / "press_releases" / "docs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--stage", choices=("extract", "propose_roles", "recognize", "validate", "find_companies"), default="extract")
    args = parser.parse_args(argv)
    paths = [p for p in sorted(DOCS.glob("c*.txt")) if p.stem[1:].isdigit() and int(p.stem[1:]) <= 1600]
    if not paths:
        print(f"skipped: corpus not found at {DOCS} (set LLMX_SHARED)")
        return 0
    texts = [p.read_text(encoding="utf-8") for p in paths[:: max(1, len(paths) // args.docs)][: args.docs]]
    if args.stage == "propose_roles":
        from llmx.recognize import recognize
        from llmx.rules.roles import propose_roles

        work = [(text, sorted(recognize(text).money, key=lambda mention: mention.span)) for text in texts if text.strip()]
        for _ in range(args.passes):
            for text, money in work:
                propose_roles(text, money)
        return 0
    if args.stage == "recognize":
        from llmx.recognize import recognize

        for _ in range(args.passes):
            for text in texts:
                recognize(text)
        return 0
    if args.stage == "find_companies":
        from llmx.rules.parties import find_companies

        for _ in range(args.passes):
            for text in texts:
                find_companies(text)
        return 0
    backend = make_backend("rules")
    if args.stage == "validate":
        from llmx.validation.checks import validate

        pairs = [(text, extract(text, backend=backend)) for text in texts]
        for _ in range(args.passes):
            for text, record in pairs:
                validate(text, record)
        return 0
    for _ in range(args.passes):
        for text in texts:
            extract(text, backend=backend)
    return 0


if __name__ == "__main__":
    sys.exit(main())
