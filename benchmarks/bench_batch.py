"""Throughput of `extract_many` against an OpenAI-compatible server with a fixed 100 ms latency.

    .venv/bin/python benchmarks/bench_batch.py                 # 2,000 docs, concurrency 32
    .venv/bin/python benchmarks/bench_batch.py --profile       # + where the client's CPU time goes

With latency L and concurrency C the ideal is C / L documents per second (32 / 0.1 s = 320/s);
the ratio measured / ideal shows how much the client itself (prompting, validation, records,
HTTP) costs. `extract_many` runs twice: with its default processes (min(CPUs, concurrency // 16),
this one included) and in one process. CPU ms/doc is the client's CPU (parent + workers, not the
server) per document. The same documents sent one by one with plain instructor calls are the
baseline (run on a subset and extrapolated, as labelled). The server runs in a child process so
it does not compete with the client for the GIL (it does share the machine's cores); the
response cache is off. Before timing, one small run warms up imports and connections.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import instructor  # noqa: E402
import openai  # noqa: E402
from support import RemoteLoopback, press_release, schema_responder  # noqa: E402

from llmx.batch.run import aextract_many  # noqa: E402
from llmx.backends.openai.backend import OpenAIBackend  # noqa: E402
from llmx.schema import PressRelease  # noqa: E402

API_KEY = "sk-bench-not-a-real-key"


def run_extract_many(
    base_url: str, docs: list[tuple[str, str]], concurrency: int, out: Path | None, workers: int | None = None
) -> tuple[float, object]:
    """Wall time of one `aextract_many` run (worker start-up included) and its report."""
    backend = OpenAIBackend("loopback-model", base_url=base_url, api_key=API_KEY, cache=False)
    started = time.perf_counter()
    report = asyncio.run(
        aextract_many(docs, out, backend=backend, concurrency=concurrency, progress=False, workers=workers)
    )
    elapsed = time.perf_counter() - started
    backend.close()
    assert report.written == len(docs), report.summary_lines()
    return elapsed, report


def client_cpu_s() -> float:
    """CPU seconds of this process plus its finished children (the worker processes, once joined).

    The loopback server is a child too, but it is still running while this is read, so its CPU
    is not included.
    """
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_machinery_only(docs: list[tuple[str, str]], concurrency: int, latency: float, out: Path) -> float:
    """extract_many with the model call replaced by a sleep: the cost of the batch machinery alone."""
    template = PressRelease(issuer={"name": "Acme"})

    async def extractor(text: str, doc_id: str) -> PressRelease:
        await asyncio.sleep(latency)
        return template.model_copy(update={"id": doc_id})

    started = time.perf_counter()
    report = asyncio.run(aextract_many(docs, out, extractor=extractor, concurrency=concurrency, progress=False))
    assert report.written == len(docs)
    return time.perf_counter() - started


def run_sequential_instructor(base_url: str, docs: list[tuple[str, str]]) -> float:
    """The naive loop: one instructor call per document, each waiting for the previous."""
    client = instructor.from_openai(
        openai.OpenAI(base_url=base_url, api_key=API_KEY, max_retries=0), mode=instructor.Mode.JSON_SCHEMA
    )
    started = time.perf_counter()
    for _, text in docs:
        client.chat.completions.create(
            model="loopback-model",
            response_model=PressRelease,
            messages=[{"role": "system", "content": "Extract the press release."}, {"role": "user", "content": text}],
            max_retries=0,
        )
    return time.perf_counter() - started


def profile_by_package(base_url: str, docs: list[tuple[str, str]], concurrency: int) -> None:
    """cProfile one run and sum own time per package, to show where the client's CPU goes."""
    profiler = cProfile.Profile()
    profiler.enable()
    run_extract_many(base_url, docs, concurrency, None, workers=1)
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_package: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_package[_package(filename)] += own
    total = sum(by_package.values())
    print(f"\nclient CPU by package (cProfile own time, {len(docs)} docs, profiler overhead included):")
    for package, seconds in sorted(by_package.items(), key=lambda item: -item[1])[:14]:
        print(f"  {package:<28} {seconds:6.2f} s  {100 * seconds / total:5.1f}%  {1000 * seconds / len(docs):6.2f} ms/doc")
    print("\ntop functions by cumulative time:")
    stats.sort_stats("cumulative").print_stats(r"llmx|jinja2/environment|instructor/v2/core|pydantic/main", 18)


def _package(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1].split("/")[0]
    if "/llmx/" in filename:
        parts = filename.split("/llmx/")[1].split("/")
        return "llmx." + (parts[0] if len(parts) > 1 else parts[0].removesuffix(".py"))
    if filename == "~" or filename.startswith("<") or "/lib/python3" in filename:
        return "python stdlib/builtins"
    return filename


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--sequential-docs", type=int, default=50, help="subset for the sequential baseline")
    parser.add_argument("--ceiling-docs", type=int, default=500, help="docs for the zero-latency (client CPU) run")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: extract_many's choice)")
    parser.add_argument("--profile", action="store_true", help="also profile a one-process run (latency 0) by package")
    args = parser.parse_args()

    docs = [(f"pr-{i:05d}", press_release(i)) for i in range(args.docs)]
    ideal = args.concurrency / args.latency
    runs: dict[str, tuple[float, float, object]] = {}  # label -> (seconds, client CPU s, report)
    with RemoteLoopback(schema_responder, latency=args.latency) as server, tempfile.TemporaryDirectory() as tmp:
        run_extract_many(server.base_url, docs[:50], args.concurrency, None, workers=1)  # warm-up: imports, connections
        for label, workers in (("extract_many, default workers", args.workers), ("extract_many, one process", 1)):
            cpu = client_cpu_s()
            elapsed, report = run_extract_many(server.base_url, docs, args.concurrency, Path(tmp) / f"{workers}.jsonl", workers)
            runs[label] = (elapsed, client_cpu_s() - cpu, report)
        subset = docs[: args.sequential_docs]
        cpu = client_cpu_s()
        sequential = run_sequential_instructor(server.base_url, subset)
        sequential_cpu = client_cpu_s() - cpu
        sequential_rate = len(subset) / sequential
        requests = server.stats()["count"]
        machinery = len(docs) / run_machinery_only(docs, args.concurrency, args.latency, Path(tmp) / "machinery.jsonl")

    with RemoteLoopback(schema_responder, latency=0.0) as server:
        ceiling_docs = docs[: args.ceiling_docs]
        ceiling_elapsed, _ = run_extract_many(server.base_url, ceiling_docs, args.concurrency, None, workers=1)
        ceiling = len(ceiling_docs) / ceiling_elapsed

    first = next(iter(runs))
    rate = len(docs) / runs[first][0]
    print(f"documents: {len(docs)}, server latency {args.latency * 1000:.0f} ms, concurrency {args.concurrency}, cache off")
    print(f"{'':38}{'docs/s':>10}{'ratio':>8}{'time for all':>14}{'CPU ms/doc':>12}")
    for label, (elapsed, cpu, report) in runs.items():
        shown = f"extract_many, {report.workers} processes" if label == first else label  # type: ignore[attr-defined]
        print(f"{shown:38}{len(docs) / elapsed:10.1f}{len(docs) / elapsed / ideal:8.2f}{elapsed:13.1f}s{1000 * cpu / len(docs):12.2f}")
    print(f"{'ideal (concurrency / latency)':38}{ideal:10.1f}{1.0:8.2f}{len(docs) / ideal:13.1f}s")
    print(
        f"{'sequential instructor calls':38}{sequential_rate:10.1f}{sequential_rate / ideal:8.2f}"
        f"{len(docs) / sequential_rate:13.1f}s{1000 * sequential_cpu / len(subset):12.2f}"
        f"  (measured on {len(subset)} docs, extrapolated)"
    )
    print(f"{'batch machinery only (sleep, no model)':38}{machinery:10.1f}{machinery / ideal:8.2f}{len(docs) / machinery:13.1f}s")
    print(
        f"{'one process, server latency 0':38}{ceiling:10.1f}{'':8}{len(docs) / ceiling:13.1f}s"
        f"  (client CPU ceiling, measured on {len(ceiling_docs)} docs)"
    )
    print(f"ratio to ideal: {rate / ideal:.2f}   speed-up over sequential instructor: {rate / sequential_rate:.1f}x")
    print(f"model calls {runs[first][2].calls}, server saw {requests} chat requests (incl. warm-up and baseline)")  # type: ignore[attr-defined]

    if args.profile:
        with RemoteLoopback(schema_responder, latency=0.0) as server:
            profile_by_package(server.base_url, docs[:400], args.concurrency)


if __name__ == "__main__":
    main()
