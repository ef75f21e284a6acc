"""The shared eval set rendered to HTML and to PDF by headless Chromium scores as its .txt does.

Slow (about 20 s of Chromium); skipped with a reason when chromium or ../shared is absent.
CI needs `apt-get install -y chromium` (Debian) before the tests for this to run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from readers_support import SHARED

from llmx.readers.render import chromium_binary
from llmx.evaluate.rendered import score_rendered

GOLD_DIR = SHARED / "evals" / "press_releases"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (GOLD_DIR / "gold.jsonl").is_file(), reason=f"shared gold set not found at {GOLD_DIR}"),
    pytest.mark.skipif(chromium_binary() is None, reason="chromium not installed (apt-get install -y chromium)"),
]


def test_rendered_html_and_pdf_match_the_text_figures(tmp_path: Path) -> None:
    scores = {score.format: score for score in score_rendered(GOLD_DIR, tmp_path)}
    reference = scores["txt"].metrics
    for fmt in ("html", "pdf"):
        score = scores[fmt]
        assert not score.failures, score.failures
        assert score.spans_checked > 0 and not score.spans_bad, score.spans_bad
        for field in ("amounts", "tickers"):
            for measure in ("precision", "recall"):
                got, want = score.metrics[field][measure], reference[field][measure]
                assert abs(got - want) <= 0.01, (fmt, field, measure, got, want)
