"""`llmx serve-mock` and `llmx --version`: the mock server as users start it, driven by the real CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

import llmx
from llmx.cli import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample_press_release.txt"
runner = CliRunner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_mock(*options: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llmx.cli", "serve-mock", "--port", str(port), *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base_url}/models", timeout=0.5)
            return process, base_url
        except httpx.TransportError:
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.1)
    process.kill()
    raise AssertionError("serve-mock did not start")


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    _, stderr = process.communicate(timeout=10)
    return stderr


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"llmx {llmx.__version__}"


def test_extract_through_the_mock_server() -> None:
    process, base_url = start_mock()
    try:
        env = {**os.environ, "OPENAI_API_KEY": "sk-anything-goes-here"}
        result = subprocess.run(
            [sys.executable, "-m", "llmx.cli", "extract", str(SAMPLE), "--backend", "openai", "--base-url", base_url, "--model", "mock", "--no-cache"],
            capture_output=True, text=True, env=env, timeout=120,
        )
    finally:
        stderr = stop(process)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["meta"]["backend"] == "openai" and record["meta"]["usage"]["calls"] >= 1
    assert record["amounts"] and all(a["span"] for a in record["amounts"])
    assert "served" in stderr and "chat requests" in stderr


def test_faults_are_injected_and_counted() -> None:
    process, base_url = start_mock("--fault-rate", "1", "--fault", "server_error")
    try:
        reply = httpx.post(f"{base_url}/chat/completions", json={"model": "mock", "messages": [{"role": "user", "content": "hi"}]}, timeout=5)
    finally:
        stderr = stop(process)
    assert reply.status_code == 500
    assert "'server_error': 1" in stderr


def test_canned_replies_file(tmp_path: Path) -> None:
    canned = tmp_path / "replies.jsonl"
    canned.write_text(json.dumps({"answer": 1}) + "\n" + json.dumps({"answer": 2}) + "\n")
    process, base_url = start_mock("--replies", str(canned))
    try:
        body = {"model": "mock", "messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "json_object"}}
        answers = [
            json.loads(httpx.post(f"{base_url}/chat/completions", json=body, timeout=5).json()["choices"][0]["message"]["content"])
            for _ in range(3)
        ]
    finally:
        stop(process)
    assert answers == [{"answer": 1}, {"answer": 2}, {"answer": 2}]


def test_unknown_fault_kind_is_a_usage_error() -> None:
    result = runner.invoke(app, ["serve-mock", "--fault", "meteor_strike", "--duration", "0"])
    assert result.exit_code == 2 and "meteor_strike" in result.output
