"""A free-mode run where hallucination can happen: the gate must catch invented values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_free_mode_gate_catches_invented_values(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "free_mode_gate.py"), "--limit", "6", "--reports", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines()[1:4]}
    assert rows["inventing"][1:3] == ["1", "1"] and rows["honest"][1:3] == ["0", "0"] and rows["validated"][1:3] == ["0", "0"]
    inventing = json.loads((tmp_path / "inventing" / "metrics.json").read_text())
    honest = json.loads((tmp_path / "honest" / "metrics.json").read_text())
    # every document got one invented amount and one invented ticker, plus a rescaled amount where it had one >= 1e6
    assert inventing["printed"]["tickers"]["unprinted"] == 6
    assert inventing["printed"]["amounts"]["unprinted"] >= 6 + 1
    assert inventing["hallucination_rate"] > 0 and honest["hallucination_rate"] == 0
    assert honest["printed"]["amounts"]["predicted"] > 20
    assert inventing["provenance"]["mode"] == "free" and inventing["provenance"]["base_url"].startswith("http://127.0.0.1:")
