"""Is the loopback server ever the bottleneck? And what does the HTTP backend cost per call?

With a fixed server latency L and C requests in flight, a server that is not the bottleneck
serves close to C / L requests per second. Three runs, each printing requests/s against that
ideal:

1. raw openai AsyncOpenAI calls (server + SDK only);
2. `OpenAIBackend.acomplete` (instructor, validation, transport wrapper) on the same server;
3. the same with 20% random transient faults (retries with a 10 ms backoff).

Run: `.venv/bin/python benchmarks/bench_loopback.py [REQUESTS] [CONCURRENCY] [LATENCY_S]`
(defaults 640 32 0.1).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import openai
from pydantic import BaseModel

from llmx.backends.openai.backend import OpenAIBackend
from llmx.backends.openai.retry import RetryPolicy
from llmx.testing import Faults, LoopbackServer, last_user_message, structured_reply


class Deal(BaseModel):
    payer: str
    amount: float


def responder(body: dict) -> object:
    number = int(last_user_message(body).split()[-1])
    return structured_reply({"payer": f"payer {number}", "amount": number})


async def bounded(concurrency: int, jobs: list) -> list:
    gate = asyncio.Semaphore(concurrency)

    async def run(job):
        async with gate:
            return await job()

    return await asyncio.gather(*(run(job) for job in jobs))


async def threaded_raw_calls(server: LoopbackServer, n: int, concurrency: int) -> None:
    """The lightest possible client: keep-alive http.client connections on worker threads."""
    host, port = server.base_url.split("//", 1)[1].split("/", 1)[0].split(":")
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "deal 1"}]})
    local = threading.local()

    def call(_: int) -> None:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(host, int(port))
        local.conn.request("POST", "/v1/chat/completions", body=body, headers={"Content-Type": "application/json"})
        local.conn.getresponse().read()

    with ThreadPoolExecutor(concurrency) as pool:
        await asyncio.get_running_loop().run_in_executor(None, lambda: list(pool.map(call, range(n))))


async def raw_calls(server: LoopbackServer, n: int, concurrency: int) -> None:
    client = openai.AsyncOpenAI(base_url=server.base_url, api_key="sk-bench", max_retries=0)
    jobs = [
        (lambda i=i: client.chat.completions.create(model="m", messages=[{"role": "user", "content": f"deal {i}"}]))
        for i in range(n)
    ]
    await bounded(concurrency, jobs)
    await client.close()


async def backend_calls(server: LoopbackServer, n: int, concurrency: int, retry: RetryPolicy) -> list:
    backend = OpenAIBackend("m", base_url=server.base_url, mode="json_schema", retry=retry)
    jobs = [
        (lambda i=i: backend.acomplete([{"role": "user", "content": f"deal {i}"}], Deal, max_reasks=0))
        for i in range(n)
    ]
    results = await bounded(concurrency, jobs)
    await backend.aclose()
    return results


class Clock:
    """Wall and process-CPU time of a block (client and server share this process)."""

    def __enter__(self) -> "Clock":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def report(name: str, n: int, clock: Clock, concurrency: int, latency: float, extra: str = "") -> None:
    rate = n / clock.wall
    ideal = concurrency / latency if latency else float("inf")
    print(f"{name:<36} {n:>5} requests in {clock.wall:6.2f} s = {rate:7.1f} req/s "
          f"(ideal {ideal:.0f}, {100 * rate / ideal:5.1f}%), CPU {1000 * clock.cpu / n:5.2f} ms/request{extra}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 640
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    latency = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
    print(f"loopback benchmark: {n} requests, concurrency {concurrency}, server latency {latency * 1000:.0f} ms")

    with LoopbackServer(responder, latency=latency) as server, Clock() as clock:
        asyncio.run(threaded_raw_calls(server, n, concurrency))
    report("server alone (http.client threads)", n, clock, concurrency, latency)

    with LoopbackServer(responder, latency=latency) as server, Clock() as clock:
        asyncio.run(raw_calls(server, n, concurrency))
    report("openai SDK, raw chat completions", n, clock, concurrency, latency)

    with LoopbackServer(responder, latency=latency) as server, Clock() as clock:
        results = asyncio.run(backend_calls(server, n, concurrency, RetryPolicy()))
    assert [r.value.amount for r in results] == list(range(n))
    report("OpenAIBackend.acomplete", n, clock, concurrency, latency)

    faults = Faults(rate=0.2, seed=0)
    retry = RetryPolicy(max_attempts=10, initial_backoff=0.01, max_backoff=0.05, jitter=0.01, max_retry_after=0.05)
    with LoopbackServer(responder, latency=latency, faults=faults) as server, Clock() as clock:
        results = asyncio.run(backend_calls(server, n, concurrency, retry))
        assert [r.value.amount for r in results] == list(range(n))
    retries = sum(r.usage.retries for r in results)
    injected = ", ".join(f"{kind} {count}" for kind, count in sorted(server.faults_injected.items()))
    report("OpenAIBackend.acomplete, 20% faults", n, clock, concurrency, latency,
           f"\n{'':<36} {server.count} HTTP requests, {retries} retries; injected: {injected}")


if __name__ == "__main__":
    main()
