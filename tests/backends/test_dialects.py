"""Structured-output dialects: rejection rule, one fallback per rejected dialect, remembered per endpoint."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx2
import openai
import pytest
from support import write_corpus
from pydantic import BaseModel
from support import LLAMA_CPP_REJECTION, llama_cpp_like, response_format_types
from typer.testing import CliRunner

from llmx.cli import app
from llmx.errors import BackendError
from llmx.backends.openai.backend import OpenAIBackend
from llmx.backends.openai.dialects import DialectNegotiator, default_dialect, is_dialect_rejection
from llmx.backends.openai.retry import RetryPolicy, is_transient

class Deal(BaseModel):
    licensee: str
    upfront_musd: float


def _status_error(status: int, message: str) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(status, request=request)
    kind = openai.InternalServerError if status >= 500 else openai.APIStatusError
    return kind(message, response=response, body={"message": message})


@pytest.mark.parametrize(
    ("status", "message", "rejected"),
    [
        (500, LLAMA_CPP_REJECTION, True),
        (400, "response_format of type json_schema is not supported with this model", True),
        (422, "tool_choice is not supported by this server", True),
        (500, "The server had an error while processing your request", False),
        (503, "Service overloaded, try again", False),
        (400, "This model's maximum context length is 8192 tokens", False),
        (401, "Invalid API key for response_format", False),  # auth, whatever it mentions
        (404, "model 'tools' not found", False),
    ],
)
def test_a_dialect_is_rejected_only_by_a_malformed_request_error_naming_it(status, message, rejected):
    error = _status_error(status, message)
    assert is_dialect_rejection(error) is rejected
    if rejected:
        assert not is_transient(error)  # never retried with the same body


def test_default_dialect_is_tools_for_openai_and_azure_json_schema_elsewhere():
    assert default_dialect(None) == "tools"
    assert default_dialect("https://api.openai.com/v1") == "tools"
    assert default_dialect("https://my-resource.openai.azure.com/openai/v1") == "tools"
    assert default_dialect("http://127.0.0.1:8080/v1") == "json_schema"


def test_negotiator_walks_the_order_once_and_an_explicit_mode_never_moves():
    auto = DialectNegotiator(None, base_url="http://127.0.0.1:1/v1", endpoint="e")
    rejection = _status_error(500, LLAMA_CPP_REJECTION)
    assert auto.fall_back("json_schema", rejection) == "json"
    assert auto.fall_back("json_schema", rejection) == "json"  # a concurrent request rejected too: no second switch
    assert auto.fall_back("json", rejection) == "md_json"
    assert auto.fall_back("md_json", rejection) is None
    assert set(auto.note()["rejected"]) == {"json_schema", "json", "md_json"}
    fixed = DialectNegotiator("json_schema", base_url=None, endpoint="e")
    assert fixed.fall_back("json_schema", rejection) is None and fixed.current == "json_schema"


def test_a_rejected_dialect_is_sent_once_more_in_the_next_and_remembered(loopback, caplog):
    server = loopback(llama_cpp_like)
    backend = OpenAIBackend("m", base_url=server.base_url, retry=RetryPolicy(max_attempts=5, initial_backoff=0, jitter=0))
    messages = [{"role": "user", "content": "Acme pays $5 million."}]
    with caplog.at_level(logging.WARNING, logger="llmx.backends.openai.dialects"):
        first = backend.complete(messages, Deal)
        second = backend.complete(messages, Deal)
        third = asyncio.run(backend.acomplete(messages, Deal))
    assert isinstance(first.value, Deal) and isinstance(second.value, Deal) and isinstance(third.value, Deal)
    assert response_format_types(server) == ["json_schema", "json_object", "json_object", "json_object"]
    assert first.usage.calls == 2 and first.usage.retries == 0 and first.usage.reasks == 0
    assert backend.mode == "json" and backend.settings()["mode"] is None
    assert "using json for the rest of this run" in caplog.text
    json_schema = server.requests[1].body["response_format"]["schema"]
    assert sorted(json_schema["properties"]) == ["licensee", "upfront_musd"]


def test_an_explicit_mode_that_is_rejected_fails_at_once_naming_the_others(loopback):
    server = loopback(llama_cpp_like)
    backend = OpenAIBackend("m", base_url=server.base_url, mode="json_schema", retry=RetryPolicy(initial_backoff=0, jitter=0))
    with pytest.raises(BackendError, match=r"rejected the json_schema structured-output dialect.*--llm-mode") as caught:
        backend.complete([{"role": "user", "content": "x"}], Deal)
    assert server.count == 1 and caught.value.status_code == 500


def test_cli_against_a_server_rejecting_json_schema_writes_records_not_errors(tmp_path, loopback):
    server = loopback(llama_cpp_like)
    paths = write_corpus(tmp_path / "docs", 5)
    out = tmp_path / "out.jsonl"
    args = ["extract", *map(str, paths), "-o", str(out), "-j", "1", "--backend", "openai", "--model", "m",
            "--base-url", server.base_url, "--no-cache"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 5 and (tmp_path / "out.errors.jsonl").read_text() == ""
    types = response_format_types(server)
    assert types.count("json_schema") == 1 and types.count("json_object") == len(types) - 1
    assert records[0]["meta"]["extra"]["llm_mode"]["used"] == "json"
    assert "json_schema" in records[0]["meta"]["extra"]["llm_mode"]["rejected"]


def test_cli_llm_mode_picks_the_dialect_without_negotiating(tmp_path, loopback):
    server = loopback(llama_cpp_like)
    [path] = write_corpus(tmp_path, 1)
    result = CliRunner().invoke(
        app, ["extract", str(path), "--backend", "openai", "--model", "m", "--base-url", server.base_url,
              "--no-cache", "--llm-mode", "json"],
    )
    assert result.exit_code == 0, result.stderr
    assert set(response_format_types(server)) == {"json_object"}
    assert "llm_mode" not in json.loads(result.stdout)["meta"]["extra"]


def test_eval_takes_llm_mode_and_timeout_for_the_openai_backend(tmp_path, loopback):
    from pathlib import Path

    server = loopback(llama_cpp_like)
    gold = Path(__file__).resolve().parents[2] / "evals" / "press_releases"
    args = ["eval", str(gold), "--backend", "openai", "--model", "m", "--base-url", server.base_url, "--limit", "2",
            "--llm-mode", "json", "--timeout", "30"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert set(response_format_types(server)) == {"json_object"} and server.count >= 2
    bad = CliRunner().invoke(app, ["eval", str(gold), "--backend", "rules", "--limit", "1", "--llm-mode", "json"])
    assert bad.exit_code == 2 and "setting of the openai backend" in bad.stderr


def test_python_llm_mode_and_timeout_travel_in_extract_options_to_every_backend_built(tmp_path, loopback):
    from llmx import extract
    from llmx.options import ExtractOptions
    from llmx.batch.run import extract_many
    from llmx.extraction.api import bind
    from support import press_release

    server = loopback(llama_cpp_like)
    options = ExtractOptions(backend="openai", model="m", base_url=server.base_url, cache=False, llm_mode="json", timeout=7.5)
    bound, built = bind(options)
    assert (built.mode, built.timeout, built.worker_settings()["mode"]) == ("json", 7.5, "json")
    built.close()
    record = extract(press_release(1), options=options)
    report = extract_many([press_release(2), press_release(3)], options=options, concurrency=2, progress=False)
    assert record.meta.backend == "openai" and len(report.records) == 2 and not report.errors
    assert set(response_format_types(server)) == {"json_object"}  # never sent json_schema, nothing to negotiate
