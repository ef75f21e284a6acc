"""`llmx extract DIR -o out.jsonl` killed mid-run (kill -9, Ctrl-C), then rerun: every document exactly once."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import RemoteLoopback, schema_responder, write_corpus

DOCS = 120


def start_extract(docs: Path, out: Path, base_url: str, api_key: str, *options: str) -> subprocess.Popen[str]:
    command = [
        sys.executable, "-m", "llmx.cli", "extract", str(docs), "-o", str(out),
        "--backend", "openai", "--model", "loopback-model", "--base-url", base_url, "--no-cache", "-j", "4", *options,
    ]
    env = {**os.environ, "OPENAI_API_KEY": api_key}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_lines(out: Path, count: int, process: subprocess.Popen[str], limit_s: float = 120.0) -> int:
    """Block until `out` holds at least `count` lines (the run is mid-way), return how many."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        lines = out.read_bytes().count(b"\n") if out.exists() else 0
        if lines >= count:
            return lines
        if process.poll() is not None:
            pytest.fail(f"extract finished before it could be interrupted: {process.stderr.read()}")
        time.sleep(0.02)
    pytest.fail("extract made no progress")


def stop(process: subprocess.Popen[str]) -> None:
    """Never leave a child running when an assertion fails mid-test."""
    if process.poll() is None:
        process.kill()
        process.wait()


def records_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in out.read_text().splitlines()]  # every line must be valid JSON


@pytest.mark.parametrize("how", ["kill-9", "ctrl-c"])
def test_interrupted_run_resumes_without_losing_or_repeating(tmp_path, api_key, how):
    docs = tmp_path / "docs"
    paths = write_corpus(docs, DOCS)
    out = tmp_path / "out.jsonl"
    with RemoteLoopback(schema_responder, latency=0.05) as server, contextlib.ExitStack() as cleanup:
        first = start_extract(docs, out, server.base_url, api_key)
        cleanup.callback(stop, first)
        written_before = wait_for_lines(out, 20, first)
        if how == "kill-9":
            first.kill()  # SIGKILL: no cleanup at all
            first.wait()
        else:
            first.send_signal(signal.SIGINT)
            _, stderr = first.communicate(timeout=60)
            assert first.returncode == 130, stderr
            assert "interrupted" in stderr and "rerun the same command" in stderr
        survivors = records_of(out) if out.read_bytes().endswith(b"\n") else None
        assert written_before <= out.read_bytes().count(b"\n") < DOCS  # stopped mid-run, kept what it had

        second = start_extract(docs, out, server.base_url, api_key)
        cleanup.callback(stop, second)
        _, stderr = second.communicate(timeout=300)
        assert second.returncode == 0, stderr
        requests = server.stats()["count"]

    records = records_of(out)
    ids = [r["id"] for r in records]
    assert sorted(ids) == sorted(p.stem for p in paths)  # every document, exactly once
    if survivors is not None:
        assert records[: len(survivors)] == survivors  # the first run's records were kept, not redone
        assert f"{len(survivors)} already done" in stderr
    # Only documents in flight at the interruption were asked twice.
    assert requests <= DOCS + 4 + 1
    for record in records:
        text = (docs / f"{record['id']}.txt").read_text()
        assert all(text[a["span"][0] : a["span"][1]] == a["text"] for a in record["amounts"])


def running_children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is `pid`."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                children.append(int(stat.parent.name))
    return children


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_worker_processes_exit_when_their_parent_is_killed(tmp_path, api_key):
    docs = tmp_path / "docs"
    write_corpus(docs, DOCS)
    out = tmp_path / "out.jsonl"
    with RemoteLoopback(schema_responder, latency=0.05) as server, contextlib.ExitStack() as cleanup:
        run = start_extract(docs, out, server.base_url, api_key, "--workers", "3", "-j", "12")
        cleanup.callback(stop, run)
        wait_for_lines(out, 20, run)
        workers = running_children(run.pid)
        cleanup.callback(kill_all, workers)  # even when the assertion below fails
        assert len(workers) >= 2  # the parent extracts too; two more processes help it
        run.kill()  # SIGKILL: the workers get no message, only the end of their pipe
        run.wait()
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers)

        # The rerun (workers forked again: the CLI runs no other thread) completes the set.
        again = start_extract(docs, out, server.base_url, api_key, "--workers", "3", "-j", "12")
        cleanup.callback(stop, again)
        _, stderr = again.communicate(timeout=300)
        assert again.returncode == 0, stderr
    records = records_of(out)
    assert sorted(r["id"] for r in records) == sorted(p.stem for p in docs.glob("*.txt"))
    assert all(r["amounts"] and r["meta"]["backend"] == "openai" for r in records)
