"""Write the rules backend's records for every corpus and eval document to JSONL (for diffs).

Usage: python benchmarks/_records_snapshot.py OUT.jsonl
Reads ../shared/corpus/press_releases/docs, ../shared/evals/press_releases/docs and the
repository's own evals/press_releases/docs (LLMX_SHARED overrides ../shared); `meta.latency_s` is dropped so two runs of
unchanged code write identical files. Optimisations must leave this file byte-identical.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from llmx import extract

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LLMX_SHARED", ROOT.parent / "shared"))  # a worktree sets LLMX_SHARED=/work/shared
DOC_DIRS = (
    SHARED / "corpus" / "press_releases" / "docs",
    SHARED / "evals" / "press_releases" / "docs",
    ROOT / "evals" / "press_releases" / "docs",
)


def snapshot(out: Path) -> int:
    """Write one line per document: its folder, id and record without latency. Returns the count."""
    count = 0
    with out.open("w", encoding="utf-8") as sink:
        for folder in DOC_DIRS:
            if not folder.is_dir():
                print(f"skipped (absent): {folder}", file=sys.stderr)
                continue
            for path in sorted(folder.glob("*.txt")):
                record = extract(path.read_text(encoding="utf-8"), backend="rules").model_dump(mode="json")
                record["meta"].pop("latency_s", None)
                sink.write(json.dumps({"dir": folder.parent.name, "id": path.stem, "record": record}, sort_keys=True) + "\n")
                count += 1
    return count


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(snapshot(Path(sys.argv[1])), "records")
