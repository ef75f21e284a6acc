"""Regenerate examples/sample_press_release.expected.json from what `make run` prints.

    python scripts/update_sample_expected.py          # writes the file
    python scripts/update_sample_expected.py --check  # exit 1 if the file is out of date

Runs `llmx extract examples/sample_press_release.txt` with the offline default (OPENAI_* removed
from the environment, no ticker registry) and drops the volatile `meta.latency_s`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "examples/sample_press_release.txt"  # relative to ROOT, as `make run` names it (meta.source.path)
EXPECTED = ROOT / "examples" / "sample_press_release.expected.json"
VOLATILE_META = ("latency_s",)  # wall-clock time: differs on every run


def stable(record: dict) -> dict:
    """The record without its volatile meta fields."""
    meta = record.get("meta")
    if isinstance(meta, dict):
        record = {**record, "meta": {k: v for k, v in meta.items() if k not in VOLATILE_META}}
    return record


def render(record: dict) -> str:
    return json.dumps(stable(record), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    with tempfile.TemporaryDirectory() as home:  # no user ticker registry or cache
        env.update(XDG_CACHE_HOME=home, XDG_DATA_HOME=home, XDG_CONFIG_HOME=home, LLMX_CACHE_DIR=home)
        printed = subprocess.run(
            [sys.executable, "-m", "llmx.cli", "extract", str(SAMPLE)], env=env, check=True, capture_output=True, text=True, cwd=ROOT
        ).stdout
    text = render(json.loads(printed))
    if "--check" in sys.argv[1:]:
        if EXPECTED.read_text(encoding="utf-8") != text:
            print(f"{EXPECTED} is out of date: run python scripts/update_sample_expected.py", file=sys.stderr)
            return 1
        return 0
    EXPECTED.write_text(text, encoding="utf-8")
    print(f"wrote {EXPECTED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
