"""Run `find_issuer` of a given issuer.py N extra times over 300 corpus documents, for an instruction count.

Usage: valgrind --tool=callgrind --callgrind-out-file=/dev/null python -P benchmarks/issuer_passes.py MODULE N
Run it with N = 0 and N = 2 for each module (e.g. /tmp/base/llmx/rules/issuer.py and this checkout's):
half the difference of callgrind's "Collected" counts is one pass over the 300 documents (every fifth
of c0001-c1600). Instruction counts do not move with the load of a shared machine; CPU times do.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from llmx.recognize import recognize

DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "press_releases" / "docs"


def main(module_path: str, passes: int) -> None:
    docs = sorted(DOCS.glob("c*.txt"))[:1600:5][:300]
    texts = [p.read_text(encoding="utf-8") for p in docs]
    mentions = [recognize(t) for t in texts]
    spec = importlib.util.spec_from_file_location("issuer_under_test", module_path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for _ in range(passes + 1):  # one warm pass (caches, first matches) in both counts
        for text, found in zip(texts, mentions):
            module.find_issuer(text, found)


if __name__ == "__main__":
    if not DOCS.is_dir():
        print(f"skip: {DOCS} not found")
        sys.exit(0)
    main(sys.argv[1], int(sys.argv[2]))
