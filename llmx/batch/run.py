"""Extract many documents without losing any: bounded concurrency, rate limits, durable output, resume.

    from llmx import extract_many
    report = extract_many(["docs/a.txt", "docs/b.txt"], out="out.jsonl", concurrency=16, rpm=500)

Every record is appended to OUT (fsynced, by one writer task) with its document id, the
sha256 of its text and the run key (`llmx.batch.resume.run_key`: backend, model, mode,
template, labels, schema) in `meta`; a document that still fails after the backend's retries
goes to `OUT.errors.jsonl` and the run goes on. Rerunning the same command skips every
document whose last record has the same (id, hash, run key), extracts the others again (a
changed text or configuration), retries the errored ones, and ignores a line torn by
`kill -9`. At the end OUT is compacted (crash-safe) to one record per id, the newest; a document
that was extracted again and failed loses its old record (`BatchReport.removed`).
`out.csv` / `out.parquet` keep that JSONL journal beside them (`out.csv.jsonl`) and are
rewritten from it at the end: one row per amount, documents in input order.
Ctrl-C stops cleanly: finished records are written, in-flight ones are dropped (and redone on rerun).

Memory does not grow with the number of documents: the inputs are surveyed once (ids, total;
~9 bytes per file kept) and each Doc is made when a worker takes it, so at most `concurrency`
are alive; files are read then; the writer's queue is bounded (workers wait when the disk is
slower); the resume index holds two numbers per record of OUT (`ResumeIndex`), the report
counters and the failed ids; records written to a file are not kept, and OUT is compacted only
when a line can go.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Container, Iterable
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel
from typing_extensions import Unpack

from llmx.batch.documents import Doc, DocInput, DocStream, errors_path_for, stream_docs
from llmx.hashing import content_hash
from llmx.batch.gc import batch_gc
from llmx.batch.journal import Journal
from llmx.batch.progress import ProgressBar
from llmx.batch.ratelimit import RateLimiter, estimate_tokens
from llmx.batch.report import BatchReport, add_usage, error_entry, is_fallback, record_entry, usage_of
from llmx.batch.resume import ResumeIndex, compact, run_key
from llmx.batch.table import TABLE_SUFFIXES, journal_path_for, write_table
from llmx.batch.workers import WorkerPool, worker_plan
from llmx.batch.writer import Writer
from llmx.extraction.api import aextract, bind
from llmx.options import ExtractOptions, ExtractSettings
from llmx.readers import attach_source

Extractor = Callable[[str, str], Awaitable[BaseModel]]  # (text, doc_id) -> record

__all__ = ["Extractor", "aextract_many", "extract_many"]


async def aextract_many(
    inputs: Iterable[DocInput],
    out: str | Path | IO[str] | None = None,
    *,
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    resume: bool = True,
    progress: bool = True,
    errors: str | Path | None = None,
    extractor: Extractor | None = None,
    handle_signals: bool = True,
    workers: int | None = None,
    options: ExtractOptions | None = None,
    **settings: Unpack[ExtractSettings],
) -> BatchReport:
    """Extract every input; see `extract_many`. Safe to await from a running event loop.

    Documents are taken by `concurrency` worker tasks (so at most that many are in flight) and
    their records handed to one writer task. With `workers` > 1 the pipeline itself runs in that
    many processes, this one included (see `llmx.batch.workers`); queueing, rate limits and
    writing stay here.
    With `handle_signals` (main thread only), the first Ctrl-C or SIGTERM cancels the in-flight
    documents, lets the writer finish and returns a report with `interrupted=True`; a second
    Ctrl-C aborts at once.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    docs = stream_docs(inputs)  # every id decided now; each Doc made when a worker takes it
    options = ExtractOptions.build(options, **settings)
    secrets = [options.api_key, os.environ.get("OPENAI_API_KEY")]
    owned_backend = None
    pool = None
    key = run_key(options)
    if extractor is None:
        spec, processes = worker_plan(options, concurrency, workers, docs.total)
        extractor, owned_backend, key = _bound_extractor(options)
        if spec is not None and processes > 1:
            # This process is one of the `processes`: it extracts too, while the others start.
            pool = WorkerPool(spec, processes - 1, local=extractor)
            extractor = pool.extract
    elif workers not in (None, 1):
        raise ValueError("workers= runs llmx's own pipeline in processes; it cannot be combined with extractor=")
    run_extract = extractor
    report = BatchReport(total=docs.total, duplicates=docs.duplicates, workers=pool.processes if pool is not None else 1)
    limiter = RateLimiter(rpm=rpm, tpm=tpm)

    async with contextlib.AsyncExitStack() as astack:
        astack.enter_context(batch_gc())
        if pool is not None:
            await astack.enter_async_context(pool)
        return await _run(
            docs, out, report, run_extract, limiter, owned_backend, secrets, key,
            concurrency=concurrency, resume=resume, progress=progress, errors=errors, handle_signals=handle_signals,
        )


async def _run(
    docs: DocStream,
    out: str | Path | IO[str] | None,
    report: BatchReport,
    run_extract: Extractor,
    limiter: RateLimiter,
    owned_backend: Any,
    secrets: list[str | None],
    key: str,
    *,
    concurrency: int,
    resume: bool,
    progress: bool,
    errors: str | Path | None,
    handle_signals: bool,
) -> BatchReport:
    with contextlib.ExitStack() as stack:
        if owned_backend is not None:
            stack.callback(owned_backend.close)  # connection pools and the cache, once the run is over
        sink: Journal | IO[str] | None = None
        done = ResumeIndex(os.devnull).seal()  # the last record of each id already in OUT (none without a file)
        previously_failed: set[str] = set()
        table: Path | None = None
        if isinstance(out, (str, Path)):
            report.out = Path(out)
            if report.out.suffix.lower() in TABLE_SUFFIXES:
                table, report.out = report.out, journal_path_for(report.out)
            report.errors_path = Path(errors) if errors else errors_path_for(report.out)
            if not resume:
                for path in (report.out, report.errors_path, table):
                    if path is not None:
                        path.unlink(missing_ok=True)
            done = ResumeIndex(report.out)
            sink = stack.enter_context(Journal(report.out, each=done.add))
            done.seal(sink.contents.bad_lines)
            stack.callback(done.close)
        elif out is not None:
            sink = out
            report.errors_path = Path(errors) if errors else None
        error_log = stack.enter_context(Journal(report.errors_path, keep=_error_id)) if report.errors_path else None
        if error_log is not None:
            previously_failed = set(error_log.contents.entries)

        writer = Writer(sink, error_log, report, maxsize=2 * concurrency)
        # Workers take the next Doc as they finish one: at most `concurrency` are alive, whatever the count.
        pending = enumerate(docs)
        taken: dict[int, str] = {}  # position -> id of the documents in flight
        outstanding: list[tuple[int, str]] = []  # (position, id) of the documents that failed
        rewritten = False  # a record appended for an id OUT already had: compaction has work
        started = time.perf_counter()

        async def work(bar: ProgressBar) -> None:
            nonlocal rewritten
            for position, doc in pending:
                taken[position] = doc.id
                outcome = await _process(doc, run_extract, limiter, done, secrets, key)
                kind, entry, stats = outcome
                add_usage(report, stats)
                if kind == "skip":
                    del taken[position]
                    report.skipped += 1
                    bar.advance(skipped=True)
                    continue
                if kind == "record" and sink is not None:  # written to a file or stream: do not keep the object
                    entry = (entry[0], None)
                earlier = done.previous(doc.id) if len(done) else None
                if kind == "error":  # its old record (other text or configuration) goes at compaction
                    report.remove_stale(entry, earlier)
                await writer.queue.put((kind, entry))  # waits while the writer is behind (bounded queue)
                del taken[position]
                if kind == "record":
                    report.written += 1
                    report.rules_fallbacks += is_fallback(entry[0])
                    rewritten = rewritten or earlier is not None
                    report.resolved += doc.id in previously_failed and earlier is None  # failed last time, no record at the start
                else:
                    report.failed += 1
                    report.errors.append(entry)
                    outstanding.append((position, doc.id))
                bar.advance(retries=stats.get("retries", 0) + stats.get("reasks", 0), failed=kind == "error")

        with ProgressBar(docs.total, progress) as bar:
            writer_task = asyncio.create_task(writer.run())
            workers = [asyncio.create_task(work(bar)) for _ in range(min(concurrency, max(1, docs.total)))]
            # If the output cannot be written (disk full, ...), stop asking the model at once.
            writer_task.add_done_callback(lambda task: _cancel_if_failed(task, workers))
            try:
                with _stop_on_signals(workers, report, enabled=handle_signals):
                    results = await asyncio.gather(*workers, return_exceptions=True)
            finally:  # even when the caller cancels us: whatever finished is written before returning
                for task in workers:
                    task.cancel()
                if not writer_task.done():  # a failed writer drains nothing: do not wait on its full queue
                    await writer.queue.put(None)
                await writer_task
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                raise result
        if isinstance(sink, Journal):
            # One record per id, the newest; the lock is still held. A crash before this point
            # leaves appended lines whose last per id is current, which the next run reads.
            # Nothing to drop (every id once, each line a record): the file is not read again.
            if rewritten or report.removed or not done.tidy:
                await asyncio.to_thread(compact, sink.path, set(report.removed))
            if table is not None:
                await asyncio.to_thread(write_table, sink.path, table, (doc.id for doc in docs))
                report.out = table

    report.elapsed_s = time.perf_counter() - started
    report.rate_limited_s = limiter.waited_s
    # Ids without a record: the failed, the cancelled in flight, and (interrupted) those never taken.
    outstanding.extend(taken.items())
    outstanding.extend((position, doc.id) for position, doc in pending)
    report.outstanding = [doc_id for _, doc_id in sorted(outstanding)]
    return report


def _error_id(entry: dict[str, Any]) -> str:
    return str(entry.get("id"))


def _cancel_if_failed(task: asyncio.Task[None], others: list[asyncio.Task[None]]) -> None:
    if not task.cancelled() and task.exception() is not None:
        for other in others:
            other.cancel()


def extract_many(
    inputs: Iterable[DocInput],
    out: str | Path | IO[str] | None = None,
    *,
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    resume: bool = True,
    progress: bool = True,
    workers: int | None = None,
    options: ExtractOptions | None = None,
    **settings: Unpack[ExtractSettings],
) -> BatchReport:
    """Extract every input document, writing records durably to `out` and resuming a previous run.

    `inputs`: file paths, texts, `(id, text)` pairs or `{"id", "text"}` mappings (see
    `collect_docs`). `out`: a JSONL path (records are appended and fsynced; failures go to
    `out.errors.jsonl`; a rerun skips documents already done), an open text stream, or None to
    get the records back in `report.records`. Keyword arguments: `concurrency` (parallel
    documents, default 8), `rpm` / `tpm` (requests / tokens per minute), `resume` (False starts
    OUT afresh), `progress` (rich bar on stderr), `workers` (processes running the pipeline;
    default min(CPUs, concurrency // 16) for a backend that gains from them, else 1); `options`
    (an `ExtractOptions`) and any other keyword are `llmx.extract`'s settings (backend, mode,
    model, base_url, api_key, template, labels, max_reasks, keep_invalid, cache, explain),
    except `errors` (another errors-file path), `extractor` (an async `(text, doc_id) -> record`
    used instead of the pipeline, for tests) and `handle_signals` (see `aextract_many`).
    Returns a `BatchReport`; on Ctrl-C the run stops cleanly and `report.interrupted` is True.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(
            aextract_many(
                inputs, out, concurrency=concurrency, rpm=rpm, tpm=tpm, resume=resume, progress=progress,
                workers=workers, options=options, **settings,
            )
        )
    raise RuntimeError("extract_many() cannot run inside an event loop; use `await llmx.batch.run.aextract_many(...)`")


async def _process(
    doc: Doc,
    run_extract: Extractor,
    limiter: RateLimiter,
    done: Container[tuple[str, str, str | None]],
    secrets: list[str | None],
    key: str | None = None,
) -> tuple[str, Any, dict[str, int]]:
    """One document -> ("skip" | "record" | "error", entry, usage counts). Never raises for a bad doc.

    `done` holds the (id, content hash, run key) of records that can be reused; `key` is this
    run's key, stored in the new record's meta.
    """
    digest: str | None = None
    try:
        document = doc.read() if doc.reads_quickly() else await asyncio.to_thread(doc.read)
        text = document.text
        digest = content_hash(text)
        if (doc.id, digest, key) in done:
            return "skip", None, {}
        estimate = estimate_tokens(text)
        await limiter.acquire(tokens=estimate)
        record = attach_source(await run_extract(text, doc.id), doc.origin if doc.path is None else document)
        stats = usage_of(record)
        limiter.settle(
            estimated_tokens=estimate,
            actual_tokens=stats.get("tokens", estimate),
            extra_requests=max(0, stats.get("calls", 1) - 1),
        )
        entry = record_entry(record, doc.id, digest)
        if key is not None:
            entry["meta"]["run_key"] = key
        return "record", (entry, record), stats
    except Exception as exc:  # one bad document must never stop the run
        stats = usage_of(exc)
        return "error", error_entry(doc, exc, digest, secrets), stats


@contextlib.contextmanager
def _stop_on_signals(workers: list[asyncio.Task[None]], report: BatchReport, *, enabled: bool):
    """First Ctrl-C (or SIGTERM): cancel in-flight documents and let the writer finish; second: abort."""
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []

    def stop(sig: signal.Signals) -> None:
        report.interrupted = True
        for task in workers:
            task.cancel()
        loop.remove_signal_handler(sig)  # a second Ctrl-C gets Python's default behaviour
        installed.remove(sig)

    if enabled and threading.current_thread() is threading.main_thread() and sys.platform != "win32":
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop, sig)
            installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def _pipeline_extractor(options: ExtractOptions) -> tuple[Extractor, Any]:
    """`llmx.aextract` with one backend built (and the prompt loaded) up front, shared by every document.

    Returns the extractor and the backend it built (None when the caller passed one in), so the
    run can close what it opened.
    """
    run, built, _ = _bound_extractor(options)
    return run, built


def _bound_extractor(options: ExtractOptions) -> tuple[Extractor, Any, str]:
    """`_pipeline_extractor` plus the run key of the bound options (the backend and prompt actually used)."""
    bound, built = bind(options)

    async def run(text: str, doc_id: str) -> BaseModel:
        return await aextract(text, options=bound, doc_id=doc_id)

    return run, built, run_key(bound)
