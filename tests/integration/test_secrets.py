"""The API key never reaches records, error files, the cache, logs, stdout or stderr, even when the server echoes it."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

from support import schema_responder, write_corpus

from llmx.batch.run import extract_many
from llmx.batch.batch_api import run_batch_api
from llmx.testing import TRANSIENT_FAULTS, Fault, Faults

KEY_FRAGMENT_LEN = 12  # a leak of any 12-character slice of the key counts


def leaks(key: str, blob: bytes | str) -> list[str]:
    """Slices of `key` found in `blob` (the whole key, or any long piece of it)."""
    data = blob.decode("utf-8", "replace") if isinstance(blob, bytes) else blob
    pieces = {key[i : i + KEY_FRAGMENT_LEN] for i in range(len(key) - KEY_FRAGMENT_LEN + 1)}
    return sorted(piece for piece in pieces if piece in data)


def files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def echoing_faults(key: str) -> Faults:
    """Transient faults plus a 401 whose message quotes the key, as a careless proxy might."""
    return Faults(
        rate=0.3,
        seed=3,
        kinds=[*TRANSIENT_FAULTS, "schema_invalid", Fault("http_error", status=401, message=f"Incorrect API key provided: {key}")],
    )


def test_key_is_never_written_or_logged(tmp_path, loopback, api_key, caplog, capfd):
    server = loopback(schema_responder, faults=echoing_faults(api_key))
    docs = write_corpus(tmp_path / "docs", 40)
    out = tmp_path / "run" / "out.jsonl"
    caplog.set_level(logging.DEBUG)  # everything any library logs, including instructor's request dumps
    os.environ["OPENAI_API_KEY"] = api_key  # the usual way users pass it (the hermetic fixture restores env)

    report = extract_many(
        docs, out, backend="openai", model="loopback-model", base_url=server.base_url,
        explain=True, concurrency=8, max_reasks=1,
    )
    batch_out = tmp_path / "run" / "batch.jsonl"
    batch_report = asyncio.run(
        run_batch_api(docs[:10], batch_out, model="loopback-model", base_url=server.base_url, poll_interval=0.01, explain=True)
    )

    assert report.failed > 0, "the echoing 401 fault must have produced error entries to inspect"
    assert report.written > 0 and batch_report.written > 0
    captured = capfd.readouterr()
    cache_dir = Path(os.environ["LLMX_CACHE_DIR"])
    written = files_under(tmp_path / "run", cache_dir)
    assert any(p.name.endswith(".errors.jsonl") for p in written)
    assert any(p.suffix in (".sqlite3", ".db") or "sqlite" in p.name for p in written), "the cache must have been used"

    for path in written:
        assert leaks(api_key, path.read_bytes()) == [], f"key leaked into {path}"
    assert leaks(api_key, caplog.text) == [], "key leaked into logs"
    assert leaks(api_key, captured.out + captured.err) == [], "key leaked to stdout/stderr"
    for entry in report.errors:
        assert leaks(api_key, str(entry)) == []
    # The batch input file uploaded to the server carries requests, never credentials.
    for request in server.http_log:
        if request.body is not None:
            assert leaks(api_key, str(request.body)) == []
    # The key did reach the server, where it belongs: in the Authorization header.
    assert any(r.headers.get("authorization") == f"Bearer {api_key}" for r in server.requests)


def test_cli_output_and_errors_never_show_the_key(tmp_path, loopback, api_key):
    server = loopback(schema_responder, faults=echoing_faults(api_key))
    docs = write_corpus(tmp_path / "docs", 25)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "OPENAI_API_KEY": api_key, "OPENAI_LOG": "debug"}  # the SDK's own debug logging on
    command = [
        sys.executable, "-m", "llmx.cli", "extract", str(tmp_path / "docs"), "-o", str(out),
        "--backend", "openai", "--model", "loopback-model", "--base-url", server.base_url, "--explain",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr  # 1: some documents failed (the 401s)
    assert "Incorrect API key provided" in out.with_name("out.errors.jsonl").read_text()
    assert leaks(api_key, result.stdout + result.stderr) == []
    for path in files_under(tmp_path, Path(os.environ["LLMX_CACHE_DIR"])):
        assert leaks(api_key, path.read_bytes()) == [], f"key leaked into {path}"

    single = subprocess.run(command[:4] + [str(docs[0])] + command[6:], env=env, capture_output=True, text=True, timeout=120)
    assert leaks(api_key, single.stdout + single.stderr) == []
