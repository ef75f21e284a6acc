"""Issue 16: examples/sample_press_release.expected.json is exactly what `make run` prints
(`llmx extract examples/sample_press_release.txt`, offline default), every field, minus the
volatile meta.latency_s. Regenerate with `python scripts/update_sample_expected.py`."""

from __future__ import annotations

import json

from support import ROOT
from typer.testing import CliRunner

from llmx.cli import app

SAMPLE = "examples/sample_press_release.txt"  # as `make run` names it: meta.source.path records it
EXPECTED = ROOT / "examples" / "sample_press_release.expected.json"
VOLATILE_META = {"latency_s"}


def test_the_expected_sample_record_is_what_llmx_extract_prints(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["extract", SAMPLE])  # hermetic env: no OPENAI_*, no registry
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert set(printed["meta"]) >= VOLATILE_META
    for key in VOLATILE_META:
        del printed["meta"][key]
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert printed == expected  # every field, meta included
    assert EXPECTED.read_text(encoding="utf-8") == json.dumps(printed, indent=2, ensure_ascii=False) + "\n"
