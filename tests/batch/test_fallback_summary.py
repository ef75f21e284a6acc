"""Issue 16, batch: records the rules filled in (the model's answer unusable) are counted in the summary."""

from __future__ import annotations

from support import write_corpus

from llmx.batch import report as batch_report
from llmx.batch.report import BatchReport
from llmx.batch.run import extract_many
from llmx.testing import structured_reply


def test_the_batch_summary_counts_rules_fallbacks(tmp_path, loopback, make_backend):
    server = loopback(lambda body: structured_reply({}))
    paths = write_corpus(tmp_path / "docs", 3)
    report = extract_many(paths, tmp_path / "out.jsonl", backend=make_backend(server, cache=False), max_reasks=0, progress=False)
    assert (report.written, report.rules_fallbacks) == (3, 3)
    assert any(line.startswith("3 records: the model's answer was unusable") for line in report.summary_lines())


def test_strict_batch_fails_the_documents_instead(tmp_path, loopback, make_backend):
    server = loopback(lambda body: structured_reply({}))
    paths = write_corpus(tmp_path / "docs", 2)
    report = extract_many(paths, tmp_path / "out.jsonl", backend=make_backend(server, cache=False), max_reasks=0, strict=True, progress=False)
    assert (report.written, report.failed, report.rules_fallbacks) == (0, 2, 0)
    assert {entry["error_type"] for entry in report.errors} == {"ExtractionError"}


def test_a_summary_without_fallbacks_does_not_mention_them():
    assert not any("rules filled in" in line for line in BatchReport(total=1, written=1).summary_lines())
    assert batch_report.is_fallback({"meta": {"fallback": "rules: x"}}) and not batch_report.is_fallback({"meta": {"fallback": None}}) and not batch_report.is_fallback({})
