"""Where a batch document's client CPU goes: `extract_many` (openai backend, one process) split by stage.

Usage: python benchmarks/bench_wire_stages.py [--docs 1000] [--concurrency 32] [--latency 0.1]

Runs `extract_many` over the first N corpus documents (../shared/corpus/press_releases/docs or
$LLMX_SHARED/corpus/..., held-out ids c1601-c3000 never read) with `workers=1`, the progress bar
on and the cache off, against `llmx serve-mock --latency L` in its own process (its CPU is not
counted). Named stages are wrapped in a timer of the calling thread's CPU (`time.thread_time_ns`;
a stage called inside another is counted in the outer one only), so the table gives each
stage's CPU per document and its share of the run's process CPU; "rest" is everything not
wrapped: the event loop, aiohttp, threads, the journal's thread hops. The wrappers cost a little
themselves: compare runs of this script with each other, not with bench_wire.py. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_wire import _free_port, _wait_listening, serve_mock  # this folder is first on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("LLMX_SHARED", ROOT.parent / "shared"))
DOCS = SHARED / "corpus" / "press_releases" / "docs"
HELD_OUT = range(1601, 3001)


class StageClock:
    """CPU per named stage; nested stages count in the outermost one (per thread)."""

    def __init__(self) -> None:
        self.ns: collections.Counter[str] = collections.Counter()
        self.calls: collections.Counter[str] = collections.Counter()
        self._inside = threading.local()

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if getattr(self._inside, "busy", False):
                return fn(*args, **kwargs)
            self._inside.busy = True
            started = time.thread_time_ns()
            try:
                return fn(*args, **kwargs)
            finally:
                self.ns[name] += time.thread_time_ns() - started
                self.calls[name] += 1
                self._inside.busy = False

        return timed

    def patch(self, owner: Any, attribute: str, name: str | None = None) -> None:
        setattr(owner, attribute, self.wrap(name or attribute, getattr(owner, attribute)))


def instrument(clock: StageClock) -> None:
    from llmx.backends.openai import backend, http
    from llmx.batch import documents, journal, progress, run
    from llmx.extraction import api, prompts

    clock.patch(documents.Doc, "read", "read document")
    clock.patch(run, "content_hash")
    clock.patch(api, "recognize", "recognize (recognize/)")
    clock.patch(api, "rules_record", "rules_record (rules/)")
    clock.patch(api, "attach_spans", "attach_spans of the grounded record (rules/)")
    clock.patch(api, "ground")
    clock.patch(api, "reply_model", "reply_model (a class per shape)")
    clock.patch(prompts.PromptTemplate, "render", "prompt render")
    clock.patch(backend.OpenAIBackend, "chat_request", "chat_request (request template per shape)")
    if hasattr(http, "encode_body"):  # absent before orjson: json.dumps then counts in "rest"
        clock.patch(http, "encode_body", "request body JSON")
    clock.patch(backend.StructuredCall, "answer", "reply parse + validate")
    clock.patch(api, "build_record")
    clock.patch(api, "_finish", "_finish (validator findings, meta)")
    clock.patch(run, "record_entry", "record_entry (model_dump)")
    clock.patch(journal.Journal, "append", "journal append + fsync")
    clock.patch(progress.ProgressBar, "advance", "progress bar")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()
    if not DOCS.is_dir():
        print(f"skipped: corpus not found at {DOCS} (set LLMX_SHARED)")
        return 0
    paths = [p for p in sorted(DOCS.glob("c*.txt")) if not (p.stem[1:].isdigit() and int(p.stem[1:]) in HELD_OUT)][: args.docs]
    env = {**os.environ, "OPENAI_API_KEY": "sk-bench-not-a-real-key"}
    port = _free_port()
    server = serve_mock(port, args.latency, env)
    try:
        _wait_listening(port)
        from llmx.batch.run import extract_many

        clock = StageClock()
        instrument(clock)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.process_time_ns()
            report = extract_many(
                [str(p) for p in paths], out=Path(tmp) / "out.jsonl", concurrency=args.concurrency, workers=1,
                backend="openai", model="loopback-model", base_url=f"http://127.0.0.1:{port}/v1", api_key=env["OPENAI_API_KEY"], cache=False,
            )  # fmt: skip
            total = time.process_time_ns() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    count = report.written
    print(f"{count} documents, concurrency {args.concurrency}, one process: {total / 1e6 / count:.2f} ms CPU per document")
    for name, ns in clock.ns.most_common():
        print(f"{name:48s} {ns / 1e6 / count:7.3f} ms  {100 * ns / total:5.1f}%")
    rest = total - sum(clock.ns.values())
    print(f"{'rest (event loop, aiohttp, threads, gc)':48s} {rest / 1e6 / count:7.3f} ms  {100 * rest / total:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
