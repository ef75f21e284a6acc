"""Issue 16, CLI: the backend the environment chose is printed; a record the rules filled in is a
warning on stderr and a count in the summaries; --strict makes it a failure (extract and eval)."""

from __future__ import annotations

import json

import pytest
from support import ROOT, write_corpus
from typer.testing import CliRunner

from llmx.cli import app
from llmx.testing import structured_reply

OWN_GOLD = ROOT / "evals" / "press_releases"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def junk(loopback):
    """A server whose every answer is `{}`: valid JSON, useless as a record."""
    return loopback(lambda body: structured_reply({}))


def remote(server) -> list[str]:
    return ["--backend", "openai", "--model", "loopback-model", "--base-url", server.base_url, "--no-cache", "--max-reasks", "0"]


def test_the_backend_chosen_from_the_environment_is_printed_without_secrets(tmp_path, runner, junk, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", junk.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-0123456789")
    [path] = write_corpus(tmp_path, 1)
    result = runner.invoke(app, ["extract", str(path), "--no-cache", "--max-reasks", "0"])
    assert result.exit_code == 0, result.stderr
    assert f"backend: openai (from OPENAI_BASE_URL={junk.base_url}" in result.stderr
    assert "sk-test-secret" not in result.stderr + result.stdout


def test_a_named_backend_prints_no_backend_line(tmp_path, runner, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-0123456789")
    [path] = write_corpus(tmp_path, 1)
    result = runner.invoke(app, ["extract", str(path), "--backend", "rules"])
    assert result.exit_code == 0, result.stderr
    assert "backend:" not in result.stderr


def test_backend_line_names_the_reason_and_hides_credentials(monkeypatch):
    from llmx.cli.notices import environment_choice, without_credentials

    assert without_credentials("http://user:pw@127.0.0.1:8080/v1?token=x") == "http://127.0.0.1:8080/v1"
    assert environment_choice("rules", None) is None
    assert environment_choice(None, None) is None  # the hermetic test environment: offline default
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abc")
    line = environment_choice(None, None)
    assert line is not None and line.startswith("backend: openai (from OPENAI_API_KEY is set") and "sk-abc" not in line


def test_a_junk_answer_is_a_warning_and_meta_fallback_and_strict_fails(tmp_path, runner, junk):
    [path] = write_corpus(tmp_path, 1)
    result = runner.invoke(app, ["extract", str(path), *remote(junk)])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and path.stem in warnings[0] and "unusable" in warnings[0]
    assert json.loads(result.stdout)["meta"]["fallback"].startswith("rules: ")
    strict = runner.invoke(app, ["extract", str(path), *remote(junk), "--strict"])
    assert strict.exit_code == 1 and strict.stdout == ""
    assert "strict" in strict.stderr and path.stem in strict.stderr


def test_eval_counts_rules_fallbacks_and_strict_fails_them(tmp_path, runner, junk):
    common = ["eval", str(OWN_GOLD), "--backend", "openai", "--model", "loopback-model", "--base-url", junk.base_url, "--limit", "2"]
    result = runner.invoke(app, [*common, "--report", str(tmp_path / "lenient")])
    assert result.exit_code == 0, result.stderr
    metrics = json.loads((tmp_path / "lenient" / "metrics.json").read_text())
    assert metrics["rules_fallbacks"] == 2 and metrics["predictions"]["failed"] == []
    assert "2 document(s): the model's answer was unusable" in result.stderr
    assert "rules fallbacks" in result.stdout  # the terminal table
    assert "rules fallbacks (model answer unusable)<b>2</b>" in (tmp_path / "lenient" / "report.html").read_text()
    assert all(doc["fallback"].startswith("rules: ") for doc in map(json.loads, (tmp_path / "lenient" / "per_doc.jsonl").open()))
    strict = runner.invoke(app, [*common, "--strict", "--report", str(tmp_path / "strict")])
    # --strict scores the unusable answers as failed documents, says so, and still writes the report
    assert strict.exit_code == 0, strict.stderr
    assert "extraction failed for 2 document(s), scored as empty: own-001, own-002" in strict.stderr
    metrics = json.loads((tmp_path / "strict" / "metrics.json").read_text())
    assert metrics["rules_fallbacks"] == 0 and len(metrics["predictions"]["failed"]) == 2



# The CLI as a user runs it, except that every document goes to the worker process (no local lane),
# so its warnings are the worker's. With another thread running, workers are spawned, not forked.
WORKER_ONLY_CLI = """
import sys, threading
if sys.argv[1] == "spawn":
    threading.Thread(target=threading.Event().wait, daemon=True).start()
import llmx.batch.run as run

class WorkerOnly(run.WorkerPool):
    def __init__(self, spec, processes, local=None):
        super().__init__(spec, processes)

run.WorkerPool = WorkerOnly
from llmx.cli import app
app(sys.argv[2:], prog_name="llmx")
"""


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_warnings_from_worker_processes_are_printed_like_the_parent_s(tmp_path, junk, start):
    """`--workers 2`: a record the rules filled in in a worker is one "warning: <doc>: ..." line on stderr."""
    import os
    import subprocess
    import sys

    paths = write_corpus(tmp_path / "docs", 4)
    command = [sys.executable, "-c", WORKER_ONLY_CLI, start, "extract", str(tmp_path / "docs"), *remote(junk),
               "-o", str(tmp_path / "out.jsonl"), "--workers", "2", "-j", "4"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    about_fallbacks = [line for line in done.stderr.splitlines() if "unusable" in line and "rules filled in" not in line]
    assert all(line.startswith("warning: pr-") for line in about_fallbacks), about_fallbacks
    assert sorted(line.split(":")[1].strip() for line in about_fallbacks) == [path.stem for path in paths]  # once each
