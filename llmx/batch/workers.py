"""Worker processes for `extract_many`: more documents per second than one Python process can prepare.

One process tops out at ~1/(CPU per document) documents per second however many requests are
in flight (the GIL serialises prompting, HTTP handling and validation). A `WorkerPool` runs
the pipeline in `n` worker processes, each with its own event loop, backend and connection
pool, and (given a `local` extractor) in the parent too. The parent keeps everything that makes
a run safe: the queue, the rate limiter, the single durable writer and resume; workers only
turn `(doc_id, text)` into a record (or an exception) and send it back over a pipe.

Workers are forked where that is safe (Linux, no other thread running yet): they start with
everything imported. Otherwise they are spawned and need about two seconds to import the SDKs;
with a local lane the parent extracts from the first moment and hands documents to a worker
only once it reports ready, so a short run never waits for one.

Workers ignore Ctrl-C (the parent decides what an interrupt means) and exit when their pipe
closes, so a parent killed with `kill -9` leaves no orphans behind.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
import logging.handlers
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from pydantic import BaseModel

from llmx.batch.gc import BATCH_GC_THRESHOLD
from llmx.errors import BackendError, ConfigError
from llmx.backends.factory import backend_class, make_backend, resolve_backend_name
from llmx.extraction.api import aextract, bind
from llmx.options import ExtractOptions

log = logging.getLogger(__name__)
_STOP = None  # sent to a worker: finish nothing more, exit
_READY = -1  # job id of a worker's first message: imports done, backend built
_LOG = -2  # job id of a worker's log record, emitted again by the parent's loggers


@dataclass
class WorkerSpec:
    """What a worker needs to build its own backend and run `aextract` (all picklable).

    `backend` holds `make_backend` keyword arguments, which may include the API key: the spec
    travels only over the pipe to the worker and is never printed (its repr hides it).
    `options` are the run's `ExtractOptions` (their backend is built from `backend`).
    """

    backend: dict[str, Any]
    options: ExtractOptions = field(default_factory=ExtractOptions)

    def __repr__(self) -> str:
        shown = {k: ("***" if k == "api_key" and v else v) for k, v in self.backend.items()}
        return f"WorkerSpec(backend={shown!r}, options={self.options!r})"

    def check_picklable(self) -> None:
        """TypeError/PicklingError now, rather than a broken worker later (e.g. a lambda in options)."""
        pickle.dumps(self)


class WorkerPool:
    """`n` worker processes (plus, given `local`, this process) answering `await pool.extract(text, doc_id)`.

    Each document goes to the lane with the fewest documents in flight: the local extractor, or
    a worker that has reported ready. Without a local lane, documents queue at the workers from
    the start (they run once the worker is up).
    """

    def __init__(self, spec: WorkerSpec, processes: int, local: Callable[[str, str], Awaitable[BaseModel]] | None = None) -> None:
        if processes < 1:
            raise ValueError("processes must be at least 1")
        spec.check_picklable()
        self._spec = spec
        self._count = processes
        self._local = local
        self._local_pending = 0
        self._workers: list[_Worker] = []
        self._ids = itertools.count()
        self._closed = False
        self.done = Counter[str]()  # documents answered per lane: "local" or "worker-<pid>"

    @property
    def processes(self) -> int:
        """Processes extracting: the workers, plus this one when it has a local lane."""
        return self._count + (self._local is not None)

    async def __aenter__(self) -> "WorkerPool":
        if _start_method() == "fork":
            self._start()  # now, before the run starts threads (progress bar, file writes) that fork must not copy
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for worker in self._workers:
            worker.unlisten()
        await asyncio.to_thread(self.close)

    def _start(self) -> None:
        """Start the workers: forked at once where `_start_method` allows, else spawned on first use
        (so a rerun with nothing left to do spawns none)."""
        loop = asyncio.get_running_loop()
        context = multiprocessing.get_context(_start_method())
        for _ in range(self._count):
            self._workers.append(_Worker.create(context, self._spec, loop, inherited=[w.conn for w in self._workers]))
        for worker in self._workers:
            worker.listen()

    def close(self) -> None:
        self._closed = True
        for worker in self._workers:
            worker.stop()
        for worker in self._workers:
            worker.join()
        self._workers.clear()

    async def extract(self, text: str, doc_id: str) -> BaseModel:
        """The record for one document, extracted by the least busy lane; raises what the pipeline raised."""
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        if not self._workers:
            self._start()
        lanes = [w for w in self._workers if w.ready and not w.gone] if self._local is not None else self._workers
        worker = min(lanes, key=lambda w: len(w.pending), default=None)
        if self._local is not None and (worker is None or self._local_pending <= len(worker.pending)):
            self._local_pending += 1
            try:
                record = await self._local(text, doc_id)
            finally:
                self._local_pending -= 1
            self.done["local"] += 1
            return record
        assert worker is not None
        record = await worker.submit(next(self._ids), text, doc_id)
        self.done[f"worker-{worker.process.pid}"] += 1
        return record


class _Worker:
    """The parent's handle on one worker process: its pipe (read by the event loop) and the pending futures."""

    def __init__(self, process: Any, conn: Connection, loop: asyncio.AbstractEventLoop) -> None:
        self.process, self.conn, self.loop = process, conn, loop
        self.pending: dict[int, asyncio.Future[BaseModel]] = {}
        self.replies = 0
        self.ready = False  # the worker has imported everything and built its backend
        self.gone = False  # its pipe closed: it exited or was killed
        self.stopping = False  # the parent asked it to exit
        self._send_lock = threading.Lock()
        self._listening = False

    @classmethod
    def create(cls, context: Any, spec: WorkerSpec, loop: asyncio.AbstractEventLoop, inherited: list[Connection]) -> "_Worker":
        """Start the process; `inherited`: the parent's ends of earlier workers' pipes, which a forked child closes."""
        parent, child = context.Pipe()
        forked = context.get_start_method() == "fork"
        # A forked child holds copies of every pipe end; it closes the parent's, so that it still
        # sees EOF (and exits) when the parent dies.
        args = (child, spec, [parent, *inherited] if forked else [])
        process = context.Process(target=_worker_main, args=args, daemon=True, name="llmx-extract-worker")
        process.start()
        child.close()
        return cls(process, parent, loop)

    def listen(self) -> None:
        """Read the worker's replies in the event loop.

        No reader thread: a reply is handled like any other I/O of the loop, instead of a thread
        first waiting for the GIL and then handing the reply over to the loop.
        """
        self.loop.add_reader(self.conn.fileno(), self._drain)
        self._listening = True

    def unlisten(self) -> None:
        if self._listening:
            self.loop.remove_reader(self.conn.fileno())
            self._listening = False

    async def submit(self, job: int, text: str, doc_id: str) -> BaseModel:
        future: asyncio.Future[BaseModel] = self.loop.create_future()
        self.pending[job] = future
        try:
            try:
                with self._send_lock:
                    self.conn.send((job, text, doc_id))
            except OSError:  # BrokenPipeError: the worker is gone
                raise self._gone() from None
            return await future
        finally:
            self.pending.pop(job, None)  # a cancelled document's late reply is simply dropped

    def _drain(self) -> None:
        """Resolve futures for every reply that has arrived; on EOF (worker died) fail whatever is still pending.

        A worker writes each reply in one message, so once data shows up the rest follows at once.
        """
        try:
            while self.conn.poll():
                self._resolve(*self.conn.recv())
        except (EOFError, OSError):
            self.unlisten()
            self._fail_all()

    def _resolve(self, job: int, ok: bool, value: Any) -> None:
        if job == _READY:
            self.ready = True
            return
        if job == _LOG:
            _emit(value)
            return
        self.replies += 1
        future = self.pending.get(job)
        if future is None or future.done():
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def _fail_all(self) -> None:
        self.gone = True
        if not self.stopping:
            log.warning("%s", self._gone())
        for future in list(self.pending.values()):
            if not future.done():
                future.set_exception(self._gone())

    def _gone(self) -> BackendError:
        code = self.process.exitcode  # None if the process has not been reaped yet
        if not self.ready:
            return BackendError(
                f"extraction worker process failed to start (exit code {code}); a script that calls extract_many "
                "at import time must do so under `if __name__ == '__main__':` (or pass workers=1)"
            )
        return BackendError(f"extraction worker process {self.process.pid} exited (code {code})")

    def stop(self) -> None:
        self.stopping = True
        try:
            with self._send_lock:
                self.conn.send(_STOP)
        except (BrokenPipeError, OSError):
            pass

    def join(self) -> None:
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        self.conn.close()


def _emit(record: logging.LogRecord) -> None:
    """A worker's log record, through this process's handlers: the CLI prints it like its own warnings."""
    logger = logging.getLogger(record.name)
    if logger.isEnabledFor(record.levelno):
        logger.handle(record)


# ----------------------------------------------------------------------------- inside a worker


class _ToParent(logging.handlers.QueueHandler):
    """The worker's only "llmx" log handler: each record (message formatted) goes to the parent over the pipe.

    A worker must not print itself: a spawned one has none of the parent's handlers (a bare
    message on stderr, without the CLI's "warning: " prefix) and a forked one writes to a copy
    of the parent's stderr, beside the progress bar.
    """

    def __init__(self, send: Callable[[logging.LogRecord], None]) -> None:
        super().__init__(None)  # type: ignore[arg-type]  # no queue: `enqueue` sends
        self._send = send

    def enqueue(self, record: logging.LogRecord) -> None:
        self._send(record)


def _log_to_parent(send: Callable[[logging.LogRecord], None]) -> None:
    logger = logging.getLogger("llmx")
    for handler in list(logger.handlers):  # copied by fork: they would print in the worker
        logger.removeHandler(handler)
    logger.addHandler(_ToParent(send))
    logger.propagate = False  # nor the root logger's handlers (the parent's records propagate there)


def _start_method() -> str:
    """"fork" where it is safe: Linux, and this process runs no other thread (a fork copies no
    thread, so a lock another thread held would stay locked in the child). A forked worker has
    every module imported already and is ready in milliseconds; a spawned one imports the SDKs
    first, about two seconds of CPU.
    """
    return "fork" if sys.platform.startswith("linux") and threading.active_count() == 1 else "spawn"


def _worker_main(conn: Connection, spec: WorkerSpec, inherited: list[Connection]) -> None:
    for other in inherited:  # the parent's pipe ends, copied by fork
        other.close()
    if threading.current_thread() is threading.main_thread():
        signal.set_wakeup_fd(-1)  # a forked copy may point at the parent's event loop
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and then stops us
    asyncio.run(_serve(conn, spec))


async def _serve(conn: Connection, spec: WorkerSpec) -> None:
    loop = asyncio.get_running_loop()
    sending = threading.Lock()  # a log record may come from another thread of the worker

    def reply(job: int, ok: bool, value: Any) -> None:
        try:
            payload = pickle.dumps((job, ok, value))
        except Exception:  # an exception carrying something unpicklable: keep its type name and text
            payload = pickle.dumps((job, False, BackendError(f"{type(value).__name__}: {value}")))
        try:
            with sending:
                conn.send_bytes(payload)
        except OSError:  # the parent is gone (BrokenPipeError): reading will see EOF and stop
            pass

    _log_to_parent(lambda record: reply(_LOG, True, record))
    backend = make_backend(**spec.backend)
    options, _ = bind(spec.options.replace(backend=backend))
    gc.freeze()  # everything imported so far lives as long as the process (see llmx.batch.gc.batch_gc)
    gc.set_threshold(*BATCH_GC_THRESHOLD)
    reply(_READY, True, None)
    requests: asyncio.Queue[Any] = asyncio.Queue()

    def receive() -> None:
        """Queue every request that has arrived (read by the event loop, like the parent reads replies)."""
        try:
            while conn.poll():
                message = conn.recv()
                requests.put_nowait(message)
                if message is _STOP:
                    break
            else:
                return
        except (EOFError, OSError):  # the parent is gone (killed): stop too
            requests.put_nowait(_STOP)
        loop.remove_reader(conn.fileno())

    async def run(job: int, text: str, doc_id: str) -> None:
        try:
            record = await aextract(text, options=options, doc_id=doc_id)
        except Exception as exc:
            reply(job, False, exc)
        else:
            reply(job, True, record)

    loop.add_reader(conn.fileno(), receive)
    tasks: set[asyncio.Task[None]] = set()
    try:
        while (message := await requests.get()) is not _STOP:
            task = asyncio.create_task(run(*message))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        backend.close()


# Documents in flight per worker process below which one process keeps up on its own.
IN_FLIGHT_PER_WORKER = 16


def worker_plan(options: ExtractOptions, concurrency: int, workers: int | None, count: int) -> tuple[WorkerSpec | None, int]:
    """(WorkerSpec or None, processes) for a pipeline run.

    Processes pay off when many HTTP requests are in flight: one process then runs out of CPU
    long before the server runs out of capacity. By default a backend that gains from workers
    (the HTTP one) gets min(CPUs, concurrency // 16) processes; a backend that cannot be shared
    (the local model: one copy in memory) refuses them, and an explicit `workers` is honoured
    for any other backend that can be rebuilt from settings.
    """
    backend = options.backend
    if backend is None or isinstance(backend, str):
        name = resolve_backend_name(backend, options.base_url)
        cls = backend_class(name)
        settings: dict[str, Any] | None = {
            "name": name, "model": options.model, "base_url": options.base_url, "api_key": options.api_key,
            "cache": options.cache, "llm_mode": options.llm_mode, "timeout": options.timeout,
        }
    else:
        cls = type(backend)
        settings = backend.worker_settings()
    if workers is None:
        workers = min(os.cpu_count() or 1, concurrency // IN_FLIGHT_PER_WORKER) if cls.gains_from_workers else 1
    workers = max(1, min(workers, count, concurrency))
    if workers == 1:
        return None, 1
    if not cls.can_run_in_workers:
        raise ConfigError(f"the {cls.name} model runs in one process; use workers=1 (or the openai backend)")
    if settings is None:
        raise ConfigError(f"workers= needs a backend built from settings, not the {type(backend).__name__} instance given")
    # Bad settings (missing key, unknown mode) fail before any work when `_pipeline_extractor`
    # builds this process's own backend from the same settings, not later in every worker.
    spec = WorkerSpec(backend=settings, options=options.replace(backend=None))
    spec.check_picklable()
    return spec, workers
