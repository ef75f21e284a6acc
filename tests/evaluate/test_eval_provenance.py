"""`llmx eval` says what it measured, refuses incomparable baselines and checks gate names first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import llmx
from llmx.cli import app
from llmx.evaluate import run as eval_run
from llmx.evaluate.provenance import documents_digest, mismatches, provenance, public_url
from llmx.options import ExtractOptions

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "press_releases"
runner = CliRunner()
HASH = "ab" * 32


def write_predictions(path: Path, limit: int | None = None, *, model: str = "m-1", cached_every: int = 3) -> Path:
    lines = [json.loads(line) for line in (GOLD / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()][:limit]
    with path.open("w", encoding="utf-8") as out:
        for index, gold in enumerate(lines):
            record = {**gold, "companies": [{"name": n} for n in gold["companies"]]}
            record["meta"] = {"backend": "openai", "model": model, "mode": "free", "prompt_hash": HASH,
                              "usage": {"calls": 1, "cached": index % cached_every == 0}, "latency_s": 0.5}
            out.write(json.dumps(record) + "\n")
    return path


def run(*args: str):
    return runner.invoke(app, ["eval", str(GOLD), *args])


def test_provenance_in_metrics_table_and_report(tmp_path: Path) -> None:
    preds = write_predictions(tmp_path / "p.jsonl", limit=7)
    result = run("-p", str(preds), "--limit", "7", "--labels", "rules", "--base-url", "https://user:s3cret@llm.example:8443/v1?key=k3y#x", "--report", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    prov = json.loads((tmp_path / "r" / "metrics.json").read_text())["provenance"]
    assert prov["backend"] == "openai" and prov["model"] == "m-1" and prov["mode"] == "free" and prov["labels"] == "rules"
    assert prov["template_hash"] == HASH and prov["llmx_version"] == llmx.__version__
    assert prov["base_url"] == "https://llm.example:8443/v1"
    assert prov["gold"] == str(GOLD) and prov["predictions"] == str(preds)
    assert prov["documents"] == 7 and prov["cache_hits"] == 3  # records 0, 3 and 6
    html = (tmp_path / "r" / "report.html").read_text()
    for shown in ("m-1", HASH, "https://llm.example:8443/v1", llmx.__version__):
        assert shown in html
    for secret in ("s3cret", "k3y"):
        assert secret not in result.output and secret not in html and secret not in json.dumps(prov)
    assert "backend=openai" in result.output and "model=m-1" in result.output and f"template_hash={HASH[:12]}" in result.output
    assert "cache_hits=3" in result.output and "documents=7" in result.output


def test_gate_name_typo_fails_before_any_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args, **kwargs):
        raise AssertionError("extraction started before the gate names were checked")

    monkeypatch.setattr(eval_run, "extract_documents", never)
    for option in ("--fail-under", "--fail-over"):
        result = run("--backend", "rules", option, "amounts.f2=0.5")
        assert result.exit_code == 2, result.output
        assert "unknown metric" in result.output and "'amounts.f2'" in result.output


def test_no_cache_reaches_the_extract_options(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def capture(docs, options, **kwargs):
        assert isinstance(options, ExtractOptions)  # one settings object, handed on as llmx.extract takes it
        seen.append(options)
        return {}

    monkeypatch.setattr(eval_run, "extract_documents", capture)
    assert run("--backend", "rules", "--limit", "1").exit_code == 0
    assert run("--backend", "rules", "--limit", "1", "--no-cache", "--keep-invalid").exit_code == 0
    assert [(s.cache, s.keep_invalid) for s in seen] == [(True, False), (False, True)]


def test_a_passing_gate_prints_what_passed(tmp_path: Path) -> None:
    preds = write_predictions(tmp_path / "p.jsonl")
    base = run("-p", str(preds), "--report", str(tmp_path / "base"))
    assert base.exit_code == 0
    result = run("-p", str(preds), "--fail-under", "amounts.f1=0.9", "--fail-over", "hallucination_rate=0",
                 "--baseline", str(tmp_path / "base" / "metrics.json"), "--max-drop", "0")
    assert result.exit_code == 0, result.output
    assert "PASSED: 3 gate(s)" in result.output
    assert "amounts.f1 = 1.0000 >= 0.9" in result.output and "hallucination_rate = 0.0000 <= 0.0" in result.output
    assert "metrics within 0.0 of the baseline" in result.output


def test_baseline_on_other_documents_or_configuration_is_refused(tmp_path: Path) -> None:
    preds = write_predictions(tmp_path / "p.jsonl")
    assert run("-p", str(preds), "--limit", "5", "--report", str(tmp_path / "five")).exit_code == 0
    baseline = tmp_path / "five" / "metrics.json"
    other_docs = run("-p", str(preds), "--limit", "6", "--baseline", str(baseline))
    assert other_docs.exit_code == 2 and "not comparable" in other_docs.output and "documents: baseline 5, this run 6" in other_docs.output
    allowed = run("-p", str(preds), "--limit", "6", "--baseline", str(baseline), "--allow-mismatch")
    assert allowed.exit_code == 0, allowed.output

    other_model = write_predictions(tmp_path / "q.jsonl", model="m-2")
    refused = run("-p", str(other_model), "--limit", "5", "--baseline", str(baseline))
    assert refused.exit_code == 2 and "model: baseline 'm-1', this run 'm-2'" in refused.output

    old = json.loads(baseline.read_text())
    del old["provenance"]
    (tmp_path / "old.json").write_text(json.dumps(old))
    unknown = run("-p", str(preds), "--limit", "5", "--baseline", str(tmp_path / "old.json"))
    assert unknown.exit_code == 2 and "no provenance" in unknown.output


def test_documents_are_compared_before_extraction(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    preds = write_predictions(tmp_path / "p.jsonl")
    assert run("-p", str(preds), "--limit", "5", "--report", str(tmp_path / "five")).exit_code == 0
    monkeypatch.setattr(eval_run, "extract_documents", lambda *a, **k: pytest.fail("extracted despite a document mismatch"))
    result = run("--backend", "rules", "--limit", "4", "--baseline", str(tmp_path / "five" / "metrics.json"))
    assert result.exit_code == 2 and "documents_sha256" in result.output


def test_provenance_helpers() -> None:
    assert public_url("http://127.0.0.1:8000/v1") == "http://127.0.0.1:8000/v1"
    assert public_url("https://a:b@h/v1?api_key=x") == "https://h/v1"
    assert public_url(None) is None
    one = documents_digest([("a", "x"), ("b", "y")])
    assert one == documents_digest([("b", "y"), ("a", "x")]) and one != documents_digest([("a", "x"), ("b", "z")])
    assert mismatches({"model": "m", "backend": "b"}, {"model": "m", "backend": "b"}, ("model", "backend")) == []
    assert mismatches({"model": "m"}, {"model": "n"}, ("model",)) == ["model: baseline 'n', this run 'm'"]


def test_provenance_reads_the_extract_options() -> None:
    from llmx.extraction.grounded import LABEL_PRESETS

    options = ExtractOptions(backend="openai", model="m-9", mode="free", base_url="https://u:p@h/v1", labels="fallback")
    prov = provenance(docs=[("a", "x")], metas=[], gold="g", version="0", options=options)
    assert (prov["backend"], prov["model"], prov["mode"], prov["base_url"], prov["labels"]) == ("openai", "m-9", "free", "https://h/v1", "fallback")
    policy = provenance(docs=[], metas=[], gold="g", version="0", options=ExtractOptions(labels=LABEL_PRESETS["rules"]))["labels"]
    assert isinstance(policy, str) and "rules" in policy  # a LabelPolicy object is recorded, not dropped
    ran = provenance(docs=[], metas=[{"backend": "local", "model": "q"}], gold="g", version="0", options=options)
    assert (ran["backend"], ran["model"]) == ("local", "q")  # what the records say ran wins over what was asked


def test_extract_documents_extracts_with_the_options_it_is_given() -> None:
    from llmx.evaluate.gold import load_gold_dir
    from llmx.evaluate.scoring import ExtractionFailure

    docs = load_gold_dir(GOLD)[:2]
    default = eval_run.extract_documents(docs, progress=False)
    assert all(not isinstance(record, ExtractionFailure) for record in default.values())
    # the rules backend cannot do free mode: an eval that really uses these options must say so
    refused = eval_run.extract_documents(docs, ExtractOptions(backend="rules", mode="free"), progress=False)
    assert sorted(refused) == [doc.id for doc in docs]
    assert all(isinstance(r, ExtractionFailure) and "free mode needs a language model" in r.error for r in refused.values())
