"""CPU time of `find_issuer` in this checkout against another checkout's, interleaved in one process.

Usage: python benchmarks/bench_issuer.py BASE_DIR [--limit N] [--rounds N]
BASE_DIR holds the other `llmx/rules/issuer.py` (e.g. `git archive 801ee54 llmx | tar -x -C /tmp/base`).
Both modules run on the same texts with the same recognizer mentions (computed once, untimed),
alternating for N rounds; the medians of process CPU time and their ratio are printed. Rounds
alternate so that the load of a shared machine falls on both alike. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from pathlib import Path
from types import ModuleType

import llmx.rules.issuer as branch
from llmx.recognize import recognize

DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "press_releases" / "docs"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("base_issuer", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base", type=Path)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    base = _load(args.base / "llmx" / "rules" / "issuer.py")
    texts = [p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.txt"))[: args.limit]]
    docs = [(text, recognize(text)) for text in texts]

    def run(module: ModuleType) -> float:
        started = time.process_time()
        for text, mentions in docs:
            module.find_issuer(text, mentions)
        return time.process_time() - started

    timings: dict[str, list[float]] = {"base": [], "this": []}
    for _ in range(args.rounds):
        timings["base"].append(run(base))
        timings["this"].append(run(branch))
    old, new = (statistics.median(timings[k]) for k in ("base", "this"))
    print(f"find_issuer on {len(docs)} documents, median CPU of {args.rounds} interleaved rounds: "
          f"base {old * 1000:.0f} ms, this checkout {new * 1000:.0f} ms, ratio {new / old:.2f}")


if __name__ == "__main__":
    main()
