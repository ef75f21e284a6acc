"""The gold-free coverage audit (llmx.evaluate.audit) on documents written for the test."""

from __future__ import annotations

import json
from pathlib import Path

from llmx.evaluate.audit import find_candidates, main, run


def test_candidates_come_from_the_audit_own_patterns() -> None:
    text = "Acme (NASDAQ: ACME) raised $5 million, RMB 30 million and 12 million shares; see https://x.com/raises-$9-million"
    kinds = [(c.category, c.text) for c in find_candidates(text)]
    assert ("listing", "(NASDAQ: ACME") in kinds
    assert ("currency", "$5") in kinds and ("currency", "RMB 30") in kinds
    assert ("scale", "12 million shares") in kinds


def test_audit_counts_covered_expected_and_uncovered(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Acme (NASDAQ: ACME) raised $5 million. See https://x.com/raises-$9-million now.\n")
    (docs / "b.txt").write_text("Beta paid $10,500,00 to 3 people (Ticker: BETA).\n")
    result = run(tmp_path)
    assert result.counts[("currency", "covered")] == 1
    assert result.counts[("currency", "expected")] == 1  # the URL slug
    assert result.counts[("currency", "uncovered")] == 1  # the malformed amount
    assert result.counts[("listing", "covered")] == 1 and result.counts[("listing", "expected")] == 1
    assert 0 < result.coverage("currency") < 1
    out = tmp_path / "uncovered.jsonl"
    assert main([str(tmp_path), "--out", str(out)]) == 0
    reasons = {json.loads(line)["reason"] for line in out.read_text().splitlines()}
    assert {"in_url", "malformed_number", "no_exchange"} <= reasons


def test_price_bands_are_expected_not_uncovered(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Homes start in the low $600s; estates in the upper $2 millions; lots cost $90,000.\n")
    result = run(tmp_path)
    assert result.counts[("currency", "covered")] == 1
    assert result.counts[("currency", "expected")] == 2 and result.reasons[("currency", "price_band")] == 2
    assert result.counts[("currency", "uncovered")] == 0
