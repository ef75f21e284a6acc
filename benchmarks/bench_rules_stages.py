"""Where `extract(text, backend="rules")` spends its CPU time, stage by stage, ms per document.

Usage: python benchmarks/bench_rules_stages.py [DOCS_DIR] [--first N] [--last N]
(default: corpus documents c0001-c1600 of ../shared/corpus/press_releases/docs, the ones that
are in no gold set and not held out). Each stage's function is wrapped with a process-CPU-time
counter for this run only (nested stages are included in their callers' figures), so the split
is a ratio measured in one run; `benchmarks/bench_rules.py` gives the throughput without the
wrappers. Nothing is asserted: this is a measurement.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import llmx.extraction.api as api
import llmx.rules.record as record
from llmx import extract
from llmx.extraction.api import make_backend

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LLMX_SHARED", ROOT.parent / "shared"))
DEFAULT_DOCS = SHARED / "corpus" / "press_releases" / "docs"
# (module, attribute, label): what the rules extract calls, by layer
STAGES = (
    (api, "recognize", "recognize"),
    (api, "rules_record", "rules_record (rules: ...)"),
    (record, "propose_roles", "rules: propose_roles"),
    (record, "_find_companies", "rules: find_companies"),
    (record, "find_issuer", "rules: find_issuer"),
    (record, "find_date", "rules: find_date"),
    (record, "attach_spans", "rules: attach_spans"),
    (api, "ground", "ground"),
    (api, "build_record", "build_record"),
    (api, "attach_spans", "attach_spans (grounded record)"),
    (api, "validate", "validate"),
)


def _timed(function: Callable[..., Any], label: str, spent: dict[str, float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started

    return wrapper


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs_dir", nargs="?", default=str(DEFAULT_DOCS))
    parser.add_argument("--first", type=int, default=1, help="first document number (cNNNN)")
    parser.add_argument("--last", type=int, default=1600, help="last document number (cNNNN)")
    args = parser.parse_args(argv)
    docs_dir = Path(args.docs_dir)
    if not docs_dir.is_dir():
        print(f"skipped: corpus not found at {docs_dir} (set LLMX_SHARED or pass DOCS_DIR)")
        return 0
    paths = [p for p in sorted(docs_dir.glob("c*.txt")) if p.stem[1:].isdigit() and args.first <= int(p.stem[1:]) <= args.last]
    texts = [t for t in (p.read_text(encoding="utf-8") for p in paths) if t.strip()]
    backend = make_backend("rules")
    spent: dict[str, float] = defaultdict(float)
    for module, name, label in STAGES:
        setattr(module, name, _timed(getattr(module, name), label, spent))
    for text in texts[:50]:
        extract(text, backend=backend)  # warm caches
    spent.clear()
    started = time.process_time()
    for text in texts:
        extract(text, backend=backend)
    total = time.process_time() - started
    print(f"{len(texts)} documents, extract rules {1000 * total / len(texts):.3f} ms/doc (CPU), of which:")
    for _, _, label in STAGES:
        print(f"{label:>32}: {1000 * spent[label] / len(texts):6.3f} ms/doc  {100 * spent[label] / total:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
