"""`llmx extract DIR` against a loopback server, as a ratio to a raw HTTP client posting the same bodies.

Usage: python benchmarks/bench_wire.py [--docs 1000] [--concurrency 32] [--latency 0.1]
(documents: the first N of ../shared/corpus/press_releases/docs, or $LLMX_SHARED/corpus/...).

In one run, against one `llmx serve-mock --latency L` server running in its own process (its CPU
is never counted):

1. the request bodies llmx sends for these documents are recorded once (untimed) on an
   in-process loopback server with no latency;
2. raw httpx posts exactly those bodies at the same concurrency: the speed of the wire;
3. `llmx extract DIR -o out.jsonl --backend openai --concurrency C --no-cache` runs as a child
   process (JSON-schema mode, the default for a non-OpenAI host); its wall time gives docs/s and
   its user+sys CPU (the CLI process and every worker process it started and joined) per
   document is the client's CPU cost. The CPU of starting the CLI (imports, no documents) is
   measured separately and printed beside it.

Nothing is asserted: this is a measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from llmx.backends.factory import make_backend
from llmx.extraction.api import extract
from llmx.testing import LoopbackServer, schema_responder

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LLMX_SHARED", ROOT.parent / "shared"))
DEFAULT_DOCS = SHARED / "corpus" / "press_releases" / "docs"
API_KEY = "sk-bench-not-a-real-key"
MODEL = "loopback-model"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, timeout: float = 30.0) -> None:
    """Return once something accepts connections on 127.0.0.1:`port`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def serve_mock(port: int, latency: float, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`llmx serve-mock` on 127.0.0.1:`port` in its own process (its CPU is never counted as the client's)."""
    return subprocess.Popen(
        [sys.executable, "-m", "llmx.cli", "serve-mock", "--port", str(port), "--latency", str(latency)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def record_bodies(paths: list[Path]) -> list[dict[str, Any]]:
    """Every chat request body llmx sends for these documents (re-asks included), in order."""
    with LoopbackServer(schema_responder) as server:
        backend = make_backend("openai", model=MODEL, base_url=server.base_url, api_key=API_KEY, cache=False)
        for path in paths:
            extract(path.read_text(encoding="utf-8"), backend=backend)
        return [request.body for request in server.requests if request.path.endswith("/chat/completions")]


async def _post_all(base_url: str, bodies: list[dict[str, Any]], concurrency: int) -> float:
    """Wall seconds for raw httpx to post every body, `concurrency` at a time."""
    payloads = [json.dumps(body).encode() for body in bodies]
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=base_url, limits=limits, headers=headers, timeout=60) as client:

        async def post(payload: bytes) -> None:
            async with gate:
                response = await client.post("/chat/completions", content=payload)
                response.raise_for_status()
                response.json()

        await asyncio.gather(*(post(p) for p in payloads[: concurrency * 2]))  # warm the connections
        started = time.perf_counter()
        await asyncio.gather(*(post(p) for p in payloads))
        return time.perf_counter() - started


def _run_child(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall s, user+sys CPU s of the child and its joined descendants, return code)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.stderr.write(process.stderr.read().decode(errors="replace")[-2000:] if process.stderr else "")
    return wall, usage.ru_utime + usage.ru_stime, process.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs_dir", nargs="?", default=str(DEFAULT_DOCS))
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=None, help="passed to llmx extract (default: its own choice)")
    args = parser.parse_args(argv)
    docs_dir = Path(args.docs_dir)
    if not docs_dir.is_dir():
        print(f"skipped: corpus not found at {docs_dir} (set LLMX_SHARED or pass DOCS_DIR)")
        return 0
    # c1601-c3000 are held out (gold sets, unseen documents for rules): never read here.
    paths = [p for p in sorted(docs_dir.glob("*.txt")) if not (p.stem.startswith("c") and p.stem[1:].isdigit() and 1601 <= int(p.stem[1:]) <= 3000)]
    paths = [p for p in paths[: args.docs] if p.read_text(encoding="utf-8").strip()]
    bodies = record_bodies(paths)
    print(f"{len(paths)} documents, {len(bodies)} chat requests, concurrency {args.concurrency}, server latency {args.latency * 1000:.0f} ms")

    env = {**os.environ, "OPENAI_API_KEY": API_KEY, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    port = _free_port()
    server = serve_mock(port, args.latency, env)
    try:
        _wait_listening(port)
        base_url = f"http://127.0.0.1:{port}/v1"
        raw_wall = asyncio.run(_post_all(base_url, bodies, args.concurrency))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "docs"
            folder.mkdir()
            for path in paths:
                (folder / path.name).symlink_to(path.resolve())
            cli = [sys.executable, "-m", "llmx.cli", "extract"]
            options = ["--backend", "openai", "--model", MODEL, "--base-url", base_url, "--concurrency", str(args.concurrency), "--no-cache"]
            if args.workers:
                options += ["--workers", str(args.workers)]
            _, startup_cpu, _ = _run_child([sys.executable, "-c", "import llmx.cli.app, llmx.backends.openai.backend"], env)
            wall, cpu, code = _run_child([*cli, str(folder), "-o", str(Path(tmp) / "out.jsonl"), *options], env)
            written = sum(1 for _ in open(Path(tmp) / "out.jsonl", encoding="utf-8")) if (Path(tmp) / "out.jsonl").exists() else 0
    finally:
        server.terminate()
        server.wait(timeout=10)
    if code or written != len(paths):
        print(f"llmx extract failed (exit {code}, {written}/{len(paths)} records written)")
        return 1
    raw_rate = len(paths) / raw_wall
    llmx_rate = len(paths) / wall
    print(f"{'raw httpx':>22}: {raw_rate:7.1f} docs/s  ({raw_wall:.2f} s for the same {len(bodies)} bodies)")
    print(f"{'llmx extract DIR':>22}: {llmx_rate:7.1f} docs/s  ({wall:.2f} s, CLI start-up included)")
    print(f"{'ratio llmx/raw':>22}: {llmx_rate / raw_rate:.3f}")
    print(f"{'client CPU per doc':>22}: {1000 * cpu / len(paths):.2f} ms  (user+sys of llmx and its workers: {cpu:.2f} s)")
    print(f"{'without start-up':>22}: {1000 * max(0.0, cpu - startup_cpu) / len(paths):.2f} ms  (importing the CLI costs {startup_cpu:.2f} s CPU once)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
