"""`llmx extract` end to end (typer's runner, loopback server): outputs, resume, explain, errors, Batch API."""

from __future__ import annotations

import json

import pytest
from support import press_release, schema_responder, write_corpus
from typer.testing import CliRunner

from llmx.cli import app


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def server(loopback):
    return loopback(schema_responder)


def remote(server) -> list[str]:
    return ["--backend", "openai", "--model", "loopback-model", "--base-url", server.base_url, "--no-cache"]


def test_one_file_prints_a_pretty_record(tmp_path, runner, server):
    [path] = write_corpus(tmp_path, 1)
    result = runner.invoke(app, ["extract", str(path), *remote(server)])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert result.stdout.startswith("{\n")  # pretty, not one line
    assert record["id"] == path.stem
    assert sorted(a["text"] for a in record["amounts"]) == ["$10 million", "$5 million"]
    text = path.read_text()
    assert all(text[a["span"][0] : a["span"][1]] == a["text"] for a in record["amounts"])


def test_several_files_stream_json_lines(tmp_path, runner, server):
    paths = write_corpus(tmp_path / "docs", 5)
    result = runner.invoke(app, ["extract", str(tmp_path / "docs" / "*.txt"), *remote(server), "-j", "3"])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["id"] for r in records) == sorted(p.stem for p in paths)
    assert "5 extracted" in result.stderr


def test_out_file_then_rerun_resumes(tmp_path, runner, server):
    write_corpus(tmp_path / "docs", 6)
    out = tmp_path / "out.jsonl"
    first = runner.invoke(app, ["extract", str(tmp_path / "docs"), "-o", str(out), *remote(server)])
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""  # records go to the file
    assert len(out.read_text().splitlines()) == 6
    requests = server.count

    again = runner.invoke(app, ["extract", str(tmp_path / "docs"), "-o", str(out), *remote(server)])
    assert again.exit_code == 0, again.stderr
    assert "0 extracted, 6 already done" in again.stderr
    assert server.count == requests and len(out.read_text().splitlines()) == 6


def test_explain_shows_prompt_and_raw_reply_on_stderr(tmp_path, runner, server):
    [path] = write_corpus(tmp_path, 1)
    result = runner.invoke(app, ["extract", str(path), *remote(server), "--explain"])
    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)  # stdout stays pure JSON
    assert "call 1: prompt" in result.stderr and "Dunmore" not in result.stderr
    assert "Acme Therapeutics 0" in result.stderr  # the document, inside the rendered prompt
    assert "call 1: raw reply" in result.stderr and '"amounts"' in result.stderr  # what the model said


def test_failed_documents_set_exit_status_and_errors_file(tmp_path, runner, server):
    docs = tmp_path / "docs"
    write_corpus(docs, 2)
    (docs / "empty.txt").write_text("")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(docs), "-o", str(out), *remote(server)])
    assert result.exit_code == 1
    assert "1 document has no record yet" in result.stderr and "empty" in result.stderr
    [entry] = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert entry["id"] == "empty" and entry["error_type"] == "InputError"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "missing.txt: no such file or directory"),
        (["nothing/*.txt"], "no files match this pattern"),
    ],
)
def test_bad_paths_are_usage_errors(tmp_path, runner, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["extract", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_single_unreadable_file_is_a_clear_error(tmp_path, runner, server):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x00\x01binary")
    result = runner.invoke(app, ["extract", str(path), *remote(server)])
    assert result.exit_code == 1
    assert "binary" in result.stderr and result.stdout == ""


def test_rules_backend_needs_no_server(tmp_path, runner):
    [path] = write_corpus(tmp_path, 1)
    result = runner.invoke(app, ["extract", str(path), "--backend", "rules"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["meta"]["backend"] == "rules" and len(record["amounts"]) == 2


def test_batch_api_writes_the_same_records(tmp_path, runner, loopback):
    server = loopback(schema_responder, batch_polls=2)
    paths = write_corpus(tmp_path / "docs", 4)
    out = tmp_path / "batch.jsonl"
    result = runner.invoke(
        app, ["extract", str(tmp_path / "docs"), "-o", str(out), "--batch-api", "--poll-interval", "0.01", *remote(server)]
    )
    assert result.exit_code == 0, result.stderr
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(records) == {p.stem for p in paths}
    assert server.count == 0  # no live chat completions: everything went through the batch
    assert any(r.path.startswith("/v1/batches") for r in server.http_log)
    assert not (tmp_path / "batch.batch.json").exists()  # the job state is removed once collected

    live = runner.invoke(app, ["extract", str(paths[0]), *remote(server)])
    live_record = json.loads(live.stdout)
    batch_record = records[paths[0].stem]
    for key in ("issuer", "tickers", "amounts", "companies", "date"):
        assert batch_record[key] == live_record[key]


def test_batch_api_needs_an_output_file(tmp_path, runner, server):
    [path] = write_corpus(tmp_path, 1)
    result = runner.invoke(app, ["extract", str(path), "--batch-api", *remote(server)])
    assert result.exit_code == 2 and "needs -o" in result.stderr
    assert press_release(0) in path.read_text()


def test_model_flags_with_the_rules_backend_are_a_warning(tmp_path, runner):
    [path] = write_corpus(tmp_path, 1)
    result = runner.invoke(app, ["extract", str(path), "--template", "no-such-template", "--model", "big-model"])
    assert result.exit_code == 0, result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "no effect" in line]
    assert warning.startswith("warning: --model, --template have no effect with the rules backend")
    plain = runner.invoke(app, ["extract", str(path), "--backend", "rules"])
    assert plain.exit_code == 0 and "no effect" not in plain.stderr


def test_one_file_with_unusable_settings_exits_like_many_files(tmp_path, runner):
    """No API key is a problem of the settings, not of the document: exit 2 for one file as for several."""
    paths = write_corpus(tmp_path, 2)
    one = runner.invoke(app, ["extract", str(paths[0]), "--backend", "openai", "--model", "m"])
    many = runner.invoke(app, ["extract", *map(str, paths), "--backend", "openai", "--model", "m", "-o", str(tmp_path / "o.jsonl")])
    assert one.exit_code == many.exit_code == 2
    assert "no API key" in one.stderr and one.stdout == ""


@pytest.mark.parametrize("command", [["extract", "--help"], ["--help"]])
def test_help_prints_the_settings_table_name(runner, command):
    """Rich reads "[tool.llmx]" as markup and drops it unless escaped: the help must still name it."""
    result = runner.invoke(app, command, env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "llmx.toml / [tool.llmx]" in result.stdout
