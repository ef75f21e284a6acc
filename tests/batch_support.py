"""Helpers shared by the batch tests and benchmarks: generated press releases and a schema-driven responder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llmx.mock import minimal_instance, schema_responder  # noqa: F401  (re-exported for the tests)

COMPANIES = ["Acme Therapeutics", "Borealis Bio", "Cobalt Pharma", "Dunmore Labs", "Elmwood Genomics"]
PARTNERS = ["BigPharma Inc.", "Northwind Health", "Orchard Medicines"]


def press_release(i: int) -> str:
    """A short, distinct, generated release with one listing and two amounts (never real text)."""
    company = f"{COMPANIES[i % len(COMPANIES)]} {i}"
    partner = PARTNERS[i % len(PARTNERS)]
    return (
        f"BOSTON, March {1 + i % 28}, 2024 -- {company} (Nasdaq: Q{i % 1000:03d}) today announced a license "
        f"agreement with {partner}. {partner} will pay ${i % 90 + 5} million upfront and up to "
        f"${(i % 40 + 1) * 10} million in milestones.\n"
    )


def write_corpus(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"pr-{i:04d}.txt"
        path.write_text(press_release(i), encoding="utf-8")
        paths.append(path)
    return paths


class RemoteLoopback:
    """A `LoopbackServer` in a child process, so the server does not compete with the client for the GIL.

    In-process, every server thread needs the GIL back after each socket call while the client's
    event loop is busy, which inflates latency and hides the client's real throughput. Use as a
    context manager; `stats()` returns the server's request count and injected faults.
    """

    def __init__(self, responder: Any, **options: Any) -> None:
        import multiprocessing

        self._context = multiprocessing.get_context("fork")
        self._parent, child = self._context.Pipe()
        self._process = self._context.Process(target=_serve, args=(child, responder, options), daemon=True)
        self.base_url = ""

    def __enter__(self) -> "RemoteLoopback":
        self._process.start()
        self.base_url = self._parent.recv()
        return self

    def stats(self) -> dict[str, Any]:
        self._parent.send("stats")
        return self._parent.recv()

    def __exit__(self, *exc_info: object) -> None:
        self._parent.send("stop")
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()


def _serve(conn: Any, responder: Any, options: dict[str, Any]) -> None:
    import gc

    from llmx.testing import LoopbackServer

    # The server keeps every request it saw (thousands of parsed JSON bodies in a benchmark);
    # a full collection walks them all and held every reply in flight for up to 0.25 s
    # (measured), a pause of the test harness rather than of the client being measured. The
    # server makes no reference cycles worth collecting in a run this short.
    gc.disable()
    with LoopbackServer(responder, **options) as server:
        conn.send(server.base_url)
        while (command := conn.recv()) != "stop":
            if command == "stats":
                conn.send({"count": server.count, "faults": server.faults_injected, "errors": [repr(e) for e in server.errors]})
