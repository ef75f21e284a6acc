"""Ray Data vs `extract_many` on the same real documents against a server with a fixed latency.

    .venv/bin/python benchmarks/bench_ray.py                  # 2,000 corpus docs, 32 in flight, 100 ms
    .venv/bin/python benchmarks/bench_ray.py --docs 500

Both runs keep the same number of requests in flight (`--in-flight`): `extract_many` with that
concurrency (and its default worker processes), Ray with one actor per 16 of them on a local
instance bound to 127.0.0.1. The ideal is in-flight / latency documents per second. The server
(llmx's loopback OpenAI-compatible server, in a child process) answers every request with a
minimal valid reply after the latency; the response cache is off. Ray's figure includes its
start-up of actors but not `ray.init`. Reads ../shared/corpus/press_releases (skips if absent).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
CORPUS = ROOT / ".." / "shared" / "corpus" / "press_releases" / "docs"

from support import RemoteLoopback, schema_responder  # noqa: E402

API_KEY = "sk-bench-not-a-real-key"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skip: {CORPUS} not found")
        return 0
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    import ray

    import llmx.ray as llmx_ray
    from llmx.batch.run import aextract_many
    from llmx.backends.openai.backend import OpenAIBackend

    paths = sorted(CORPUS.glob("*.txt"))[: args.docs]
    docs = [(p.stem, p.read_text(encoding="utf-8")) for p in paths]
    megabytes = sum(len(t.encode()) for _, t in docs) / 1e6
    ideal = args.in_flight / args.latency
    actors = max(1, args.in_flight // 16)
    with RemoteLoopback(schema_responder, latency=args.latency) as server:
        def backend() -> OpenAIBackend:
            return OpenAIBackend("loopback-model", base_url=server.base_url, api_key=API_KEY, cache=False)

        warm = backend()  # imports and connections, outside the timings
        asyncio.run(aextract_many(docs[:20], None, backend=warm, concurrency=8, progress=False))
        started = time.perf_counter()
        report = asyncio.run(aextract_many(docs, None, backend=warm, concurrency=args.in_flight, progress=False))
        local_s = time.perf_counter() - started
        warm.close()
        assert report.written == len(docs), report.summary_lines()

        llmx_ray.init_local(num_cpus=os.cpu_count())
        ds = ray.data.from_items([{"id": i, "text": t} for i, t in docs]).repartition(max(1, len(docs) // 100)).materialize()
        started = time.perf_counter()
        rows = llmx_ray.extract_dataset(
            ds, backend=backend(), concurrency=actors, in_flight=args.in_flight // actors, num_cpus=0.5
        ).take_all()
        ray_s = time.perf_counter() - started
        ray.shutdown()
    assert len(rows) == len(docs) and all(r["error"] is None for r in rows)

    local_rate, ray_rate = len(docs) / local_s, len(docs) / ray_s
    print(f"documents: {len(docs)} corpus releases ({megabytes:.1f} MB), server latency {args.latency * 1000:.0f} ms, "
          f"{args.in_flight} in flight, cache off, {os.cpu_count()} CPUs")
    print(f"{'':38}{'docs/s':>8}{'ratio to ideal':>16}{'time':>9}")
    print(f"{'extract_many (' + str(report.workers) + ' processes)':38}{local_rate:8.1f}{local_rate / ideal:16.2f}{local_s:8.1f}s")
    print(f"{'Ray Data (' + str(actors) + ' actors)':38}{ray_rate:8.1f}{ray_rate / ideal:16.2f}{ray_s:8.1f}s")
    print(f"{'ideal (in flight / latency)':38}{ideal:8.1f}{1.0:16.2f}")
    print(f"Ray / extract_many: {ray_rate / local_rate:.2f}   Ray documents per hour on this node: {ray_rate * 3600:,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
