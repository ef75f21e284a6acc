"""`llmx eval` end to end: scoring prediction files, reports, CI gates and exit codes."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmx.cli import app
from llmx.evaluate import run as eval_run
from llmx.evaluate.gold import load_gold_dir
from llmx.evaluate.run import extract_documents, load_predictions
from llmx.evaluate.scoring import ExtractionFailure, score_press_releases
from llmx.errors import InputError, Interrupted

from support import SHARED_GOLD  # noqa: E402
needs_shared_gold = pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason=f"shared gold set not found at {SHARED_GOLD}")
runner = CliRunner()


def _gold_lines(gold_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (gold_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _as_prediction(gold: dict) -> dict:
    return {**gold, "companies": [{"name": name} for name in gold["companies"]]}


def perturb(golds: list[dict]) -> tuple[list[dict], dict[str, int]]:
    """Predictions derived from gold with known damage; returns them and the expected counts."""
    preds, expected = [], {"dropped_amounts": 0, "added_amounts": 0, "relabelled": 0, "dropped_docs": 0}
    for index, gold in enumerate(golds):
        pred = _as_prediction(gold)
        amounts = [dict(a) for a in pred["amounts"]]
        if index % 3 == 0 and amounts:
            amounts.pop()
            expected["dropped_amounts"] += 1
        if index % 4 == 0:
            amounts.append({"value": 987654.32, "currency": "USD", "kind": "other", "status": "actual"})
            expected["added_amounts"] += 1
        if index % 5 == 0 and amounts and amounts[0]["kind"] != "grant":
            amounts[0]["kind"] = "grant"
            expected["relabelled"] += 1
        pred["amounts"] = amounts
        pred["meta"] = {"usage": {"calls": 1, "prompt_tokens": 1000, "completion_tokens": 100}, "latency_s": 1.0 + index}
        if index == 7:
            expected["dropped_docs"] += 1
            expected["lost_amounts"] = len(gold["amounts"])
            continue
        preds.append(pred)
    return preds, expected


# ---------------------------------------------------------------------------------- shared gold


@needs_shared_gold
def test_eval_predictions_end_to_end_with_report(tmp_path: Path) -> None:
    golds = _gold_lines(SHARED_GOLD)
    preds, expected = perturb(golds)
    pred_file = _write(tmp_path / "pred.jsonl", preds)
    report = tmp_path / "report"

    result = runner.invoke(app, ["eval", str(SHARED_GOLD), "--predictions", str(pred_file), "--report", str(report)])
    assert result.exit_code == 0, result.output

    metrics = json.loads((report / "metrics.json").read_text())
    total = sum(len(g["amounts"]) for g in golds)
    missed = expected["dropped_amounts"] + expected["lost_amounts"]
    assert metrics["documents"] == len(golds)
    assert metrics["amounts"]["fn"] == missed
    assert metrics["amounts"]["fp"] == expected["added_amounts"]
    assert metrics["amounts"]["tp"] == total - missed
    assert metrics["amounts"]["recall"] == pytest.approx((total - missed) / total)
    assert metrics["amounts"]["kind_accuracy"] == pytest.approx(1 - expected["relabelled"] / (total - missed))
    assert metrics["amounts"]["status_accuracy"] == 1.0
    assert metrics["predictions"]["missing"] == [golds[7]["id"]]
    assert metrics["tickers"]["precision"] == 1.0
    assert metrics["cost"]["calls"] == len(preds)
    assert metrics["latency"]["documents"] == len(preds)
    for key in ("amounts", "tickers", "issuer", "companies", "date", "hallucination_rate", "macro"):
        assert key in metrics

    per_doc = [json.loads(line) for line in (report / "per_doc.jsonl").read_text().splitlines()]
    assert [d["id"] for d in per_doc] == [g["id"] for g in golds]
    assert sum(d["fields"]["amounts"]["fn"] for d in per_doc) == missed

    html = (report / "report.html").read_text()
    assert html.count('<mark class="missed f-amounts"') >= expected["dropped_amounts"]
    assert html.count('<mark class="spurious f-') == 0  # the added value is printed in no document...
    assert html.count("spurious (prediction only): USD 987,654.32") == expected["added_amounts"]  # ...so it is listed
    assert "amounts F1" in html
    assert "llmx eval: 25 documents" in result.output


@needs_shared_gold
def test_fail_under_and_fail_over_gates(tmp_path: Path) -> None:
    preds, _ = perturb(_gold_lines(SHARED_GOLD))
    pred_file = _write(tmp_path / "pred.jsonl", preds)
    base = ["eval", str(SHARED_GOLD), "--predictions", str(pred_file)]

    ok = runner.invoke(app, [*base, "--fail-under", "amounts.f1=0.5", "--fail-under", "tickers.precision=1"])
    assert ok.exit_code == 0, ok.output

    failed = runner.invoke(app, [*base, "--fail-under", "amounts.f1=0.99", "--fail-under", "amounts.recall=0.99", "--fail-under", "date.accuracy=0.5"])
    assert failed.exit_code == 1
    assert "2 metric(s) regressed" in failed.output
    assert "amounts.f1" in failed.output and "amounts.recall" in failed.output and "below the required 0.99" in failed.output
    assert "date.accuracy" not in failed.output.split("regressed")[1]

    ceiling = runner.invoke(app, [*base, "--fail-over", "latency.p95_s=0.5"])
    assert ceiling.exit_code == 1 and "latency.p95_s" in ceiling.output and "above the allowed 0.5" in ceiling.output

    unknown = runner.invoke(app, [*base, "--fail-under", "amounts.f2=0.5"])
    assert unknown.exit_code == 2 and "unknown metric" in unknown.output and "'amounts.f2'" in unknown.output

    malformed = runner.invoke(app, [*base, "--fail-under", "amounts.f1"])
    assert malformed.exit_code == 2 and "METRIC=NUMBER" in malformed.output


@needs_shared_gold
def test_baseline_max_drop_gate(tmp_path: Path) -> None:
    golds = _gold_lines(SHARED_GOLD)
    perfect = _write(tmp_path / "perfect.jsonl", [_as_prediction(g) for g in golds])
    worse = _write(tmp_path / "worse.jsonl", perturb(golds)[0])
    baseline_dir = tmp_path / "baseline"
    assert runner.invoke(app, ["eval", str(SHARED_GOLD), "-p", str(perfect), "--report", str(baseline_dir)]).exit_code == 0
    baseline = str(baseline_dir / "metrics.json")

    same = runner.invoke(app, ["eval", str(SHARED_GOLD), "-p", str(perfect), "--baseline", baseline])
    assert same.exit_code == 0, same.output

    regressed = runner.invoke(app, ["eval", str(SHARED_GOLD), "-p", str(worse), "--baseline", baseline, "--max-drop", "0.02"])
    assert regressed.exit_code == 1
    assert "amounts.recall" in regressed.output and "dropped by" in regressed.output
    assert "- tickers.precision" not in regressed.output  # unchanged metrics are not listed

    tolerant = runner.invoke(app, ["eval", str(SHARED_GOLD), "-p", str(worse), "--baseline", baseline, "--max-drop", "0.5"])
    assert tolerant.exit_code == 1, tolerant.output  # rates within 0.5, but a lost document is never tolerated
    assert "1 metric(s) regressed" in tolerant.output and "predictions.scored" in tolerant.output

    missing = runner.invoke(app, ["eval", str(SHARED_GOLD), "-p", str(worse), "--baseline", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "no such baseline" in missing.output


# ---------------------------------------------------------------------------------- own tiny gold


@pytest.fixture
def tiny_gold(tmp_path: Path) -> Path:
    """A two-document gold set written by the test (no dependency on shared data)."""
    root = tmp_path / "gold"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "a.txt").write_text("Acme Corp (NASDAQ: ACME) signs a $5 million deal with Beta AG.", encoding="utf-8")
    (root / "docs" / "b.txt").write_text("Gamma plc (LSE: GAM) reports revenue of £3.2 million.", encoding="utf-8")
    _write(
        root / "gold.jsonl",
        [
            {"id": "a", "date": None, "issuer": {"name": "Acme Corp", "ticker": "ACME", "exchange": "NASDAQ"}, "tickers": [{"symbol": "ACME", "exchange": "NASDAQ"}],
             "amounts": [{"value": 5e6, "currency": "USD", "kind": "contract_value", "status": "actual", "text": "$5 million"}], "companies": ["Acme Corp", "Beta AG"]},
            {"id": "b", "date": None, "issuer": {"name": "Gamma plc", "ticker": "GAM", "exchange": "LSE"}, "tickers": [{"symbol": "GAM", "exchange": "LSE"}],
             "amounts": [{"value": 3.2e6, "currency": "GBP", "kind": "revenue", "status": "actual", "text": "£3.2 million"}], "companies": ["Gamma plc"]},
        ],
    )
    return root


def test_bad_prediction_files_are_reported_with_line_numbers(tiny_gold: Path, tmp_path: Path) -> None:
    cases = {
        "not json": ("{oops\n", "pred.jsonl:1: not valid JSON"),
        "no id": ('{"amounts": []}\n', 'with an "id"'),
        "duplicate": ('{"id": "a"}\n{"id": "a"}\n', "pred.jsonl:2: id 'a' appears more than once"),
        "invalid": ('{"id": "a", "amounts": [{"value": "lots"}]}\n', "not a valid PressRelease record (amounts.0.value"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / "pred.jsonl"
        path.write_text(content, encoding="utf-8")
        with pytest.raises(InputError) as info:
            load_predictions(path)
        assert message in str(info.value), name
    result = runner.invoke(app, ["eval", str(tiny_gold), "--predictions", str(path)])
    assert result.exit_code == 2 and "not a valid PressRelease" in result.output


def test_bad_gold_dir_exits_with_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(tmp_path), "--predictions", str(tmp_path / "p.jsonl")])
    assert result.exit_code == 2 and "must contain gold.jsonl" in result.output


def test_error_lines_count_as_failed_extractions(tiny_gold: Path, tmp_path: Path) -> None:
    pred = _write(tmp_path / "pred.jsonl", [{"id": "a", "error": "ExtractionError: gave up"}, {"id": "b", "amounts": [{"value": 3.2e6, "currency": "GBP", "kind": "revenue"}]}])
    predictions = load_predictions(pred)
    assert predictions["a"] == ExtractionFailure("ExtractionError: gave up")
    metrics = score_press_releases(load_gold_dir(tiny_gold), predictions).metrics()
    assert metrics["predictions"]["failed"] == ["a"]
    assert (metrics["amounts"]["tp"], metrics["amounts"]["fn"]) == (1, 1)


def _fake_extractor(docs_by_id: dict, seen: list[str]):
    async def extract(text: str, doc_id: str):
        seen.append(doc_id)
        assert text == docs_by_id[doc_id].text
        if doc_id == "b":
            raise RuntimeError("model fell over")
        return docs_by_id[doc_id].to_record()

    return extract


def test_extraction_path_keeps_going_after_a_failure(tiny_gold: Path, tmp_path: Path) -> None:
    docs = load_gold_dir(tiny_gold)
    seen: list[str] = []
    extractor = _fake_extractor({d.id: d for d in docs}, seen)
    records = extract_documents(docs, concurrency=2, extractor=extractor, progress=False)
    assert sorted(seen) == ["a", "b"]
    assert records["b"] == ExtractionFailure("RuntimeError: model fell over")
    assert records["a"]["amounts"][0]["value"] == 5e6

    durable = tmp_path / "out" / "predictions.jsonl"
    again = extract_documents(docs, out=durable, extractor=extractor, progress=False)
    assert again == records
    assert [json.loads(line)["id"] for line in durable.read_text().splitlines()] == ["a"]


def test_cli_runs_extraction_and_keeps_its_records(tiny_gold: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = {d.id: d for d in load_gold_dir(tiny_gold)}
    seen: list[str] = []
    monkeypatch.setattr(eval_run, "_default_extractor", lambda settings: _fake_extractor(docs, seen))
    report = tmp_path / "r"
    result = runner.invoke(app, ["eval", str(tiny_gold), "--backend", "rules", "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert sorted(seen) == ["a", "b"]
    assert [json.loads(line)["id"] for line in (report / "predictions.jsonl").read_text().splitlines()] == ["a"]
    metrics = json.loads((report / "metrics.json").read_text())
    assert metrics["predictions"]["failed"] == ["b"] and metrics["amounts"]["tp"] == 1
    assert "extraction failed for 1 document(s)" in result.output

    bad_mode = runner.invoke(app, ["eval", str(tiny_gold), "--mode", "creative"])
    assert bad_mode.exit_code == 2 and "'creative' is not one of" in bad_mode.output


def _stopped_at(docs_by_id: dict, stop_at: str):
    """An extractor that sends this process SIGTERM when it reaches `stop_at` (as `kill` would)."""

    async def extract(text: str, doc_id: str):
        if doc_id == stop_at:
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.sleep(30)  # cancelled by the run's signal handler long before this
        return docs_by_id[doc_id].to_record()

    return extract


def test_interrupted_eval_scores_nothing_and_keeps_what_finished(tiny_gold: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scoring unfinished documents as empty would print figures that were never measured."""
    docs = {d.id: d for d in load_gold_dir(tiny_gold)}
    monkeypatch.setattr(eval_run, "_default_extractor", lambda settings: _stopped_at(docs, "b"))
    report = tmp_path / "r"
    result = CliRunner().invoke(app, ["eval", str(tiny_gold), "--backend", "rules", "--report", str(report), "--concurrency", "1"])
    assert result.exit_code == 130, result.output
    assert "interrupted after 1 of 2 documents; nothing was scored" in result.stderr
    assert "--predictions" in result.stderr
    assert not (report / "metrics.json").exists()
    assert [json.loads(line)["id"] for line in (report / "predictions.jsonl").read_text().splitlines()] == ["a"]


def test_interrupted_extract_documents_raises(tiny_gold: Path) -> None:
    docs = load_gold_dir(tiny_gold)
    with pytest.raises(Interrupted) as stopped:
        extract_documents(docs, concurrency=1, extractor=_stopped_at({d.id: d for d in docs}, "b"), progress=False)
    assert (stopped.value.done, stopped.value.total, stopped.value.saved_to) == (1, 2, None)


def test_extraction_flags_with_predictions_are_a_warning(tmp_path):
    gold = Path(__file__).resolve().parents[2] / "evals" / "press_releases"
    predictions = tmp_path / "p.jsonl"
    predictions.write_text('{"id": "own-001"}\n')
    result = CliRunner().invoke(app, ["eval", str(gold), "-p", str(predictions), "--backend", "openai", "--strict"])
    assert result.exit_code == 0, result.stderr
    assert "warning: --backend, --strict have no effect with --predictions" in result.stderr
