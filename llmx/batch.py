"""Extract many documents without losing any: bounded concurrency, rate limits, durable output, resume.

    from llmx import extract_many
    report = extract_many(["docs/a.txt", "docs/b.txt"], out="out.jsonl", concurrency=16, rpm=500)

Every record is appended to OUT (fsynced, by one writer task) with its document id and the
sha256 of its text in `meta`; a document that still fails after the backend's retries goes to
`OUT.errors.jsonl` and the run goes on. Rerunning the same command skips every (id, hash)
already in OUT, retries the errored ones, and ignores a line torn by `kill -9`. Ctrl-C stops
cleanly: finished records are written, in-flight ones are dropped (and redone on rerun).
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import hashlib
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Union

from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.progress import Task as ProgressTask
from rich.progress import TimeRemainingColumn
from rich.text import Text

from llmx.errors import InputError
from llmx.inputs import check_text, read_document
from llmx.journal import Journal, dump_line
from llmx.ratelimit import RateLimiter, estimate_tokens

DocInput = Union[str, Path, tuple[str, str], Mapping[str, Any]]
Extractor = Callable[[str, str], Awaitable[BaseModel]]  # (text, doc_id) -> record

__all__ = [
    "BatchReport",
    "Doc",
    "aextract_many",
    "collect_docs",
    "content_hash",
    "entry_key",
    "error_entry",
    "errors_path_for",
    "expand_paths",
    "record_entry",
    "redact",
    "extract_many",
]


# ----------------------------------------------------------------------------- documents


def content_hash(text: str) -> str:
    """sha256 of the UTF-8 text: with the document id, the key that makes reruns skip finished work."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Doc:
    """One document of a batch: a file (read lazily, in a worker) or a text already in memory."""

    id: str
    path: Path | None = None
    text: str | None = None

    @property
    def source(self) -> str:
        return str(self.path) if self.path is not None else f"<text {self.id}>"

    def load(self) -> str:
        """The document text; InputError if it is empty, binary or not UTF-8."""
        if self.path is not None:
            return read_document(self.path)
        return check_text(self.text, source=self.id)  # type: ignore[arg-type]


def collect_docs(inputs: Iterable[DocInput]) -> tuple[list[Doc], int]:
    """Turn user inputs into Docs with stable ids; returns (docs, number of duplicates dropped).

    A `Path`, or a `str` naming an existing file, is a file whose id is its stem (the path
    relative to the files' common folder when two stems collide). Any other `str` is document
    text with id `doc-<first 12 hex of its sha256>`, stable across runs so resume works.
    `(id, text)` pairs and `{"id": ..., "text": ...}` mappings keep the id given.
    """
    files: list[Path] = []
    others: list[Doc] = []
    for item in inputs:
        if isinstance(item, Path) or (isinstance(item, str) and _names_file(item)):
            files.append(Path(item))
        elif isinstance(item, str):
            others.append(Doc(id=f"doc-{content_hash(item)[:12]}", text=item))
        elif isinstance(item, tuple) and len(item) == 2:
            others.append(Doc(id=str(item[0]), text=item[1]))
        elif isinstance(item, Mapping) and "text" in item:
            text = item["text"]
            doc_id = item.get("id") or f"doc-{content_hash(str(text))[:12]}"
            others.append(Doc(id=str(doc_id), text=text))
        else:
            raise TypeError(
                f"cannot extract from {type(item).__name__}: pass file paths, texts, (id, text) pairs "
                "or {'id': ..., 'text': ...} mappings"
            )
    docs: list[Doc] = []
    by_id: dict[str, Doc] = {}
    duplicates = 0
    for doc in _file_docs(files) + others:
        seen = by_id.get(doc.id)
        if seen is None:
            by_id[doc.id] = doc
            docs.append(doc)
        elif seen == doc:
            duplicates += 1  # the same file or the same text given twice
        else:
            raise ValueError(f"two different documents have the id {doc.id!r} ({seen.source} and {doc.source})")
    return docs, duplicates


def _names_file(value: str) -> bool:
    return "\n" not in value and len(value) < 4096 and os.path.isfile(value)


def _file_docs(files: list[Path]) -> list[Doc]:
    resolved = list(dict.fromkeys(path.resolve() for path in files))  # same file twice -> once
    stems: dict[str, int] = {}
    for path in resolved:
        stems[path.stem] = stems.get(path.stem, 0) + 1
    if all(count == 1 for count in stems.values()):
        return [Doc(id=path.stem, path=path) for path in resolved]
    root = Path(os.path.commonpath([str(path.parent) for path in resolved]))
    return [
        Doc(id=path.stem if stems[path.stem] == 1 else path.relative_to(root).with_suffix("").as_posix(), path=path)
        for path in resolved
    ]


_GLOB_CHARS = re.compile(r"[*?\[]")


def expand_paths(args: Sequence[str | Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Files named by command-line arguments: files, directories (their non-hidden files) and globs.

    Raises InputError naming the argument when a path does not exist or a glob matches nothing.
    """
    skip = {path.resolve() for path in exclude}
    found: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_file():
            matches = [path]
        elif path.is_dir():
            matches = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            if not matches:
                raise InputError(f"{arg}: the directory has no files to extract")
        elif _GLOB_CHARS.search(str(arg)):
            matches = sorted(Path(p) for p in glob.glob(str(arg), recursive=True) if os.path.isfile(p))
            if not matches:
                raise InputError(f"{arg}: no files match this pattern")
        elif path.exists():
            raise InputError(f"{arg}: not a regular file or directory")
        else:
            raise InputError(f"{arg}: no such file or directory")
        found.extend(p for p in matches if p.resolve() not in skip)
    return list(dict.fromkeys(found))


def errors_path_for(out: str | Path) -> Path:
    """Where the failures of a run writing `out` go: `out.jsonl` -> `out.errors.jsonl`."""
    out = Path(out)
    return out.with_name(f"{out.stem if out.suffix else out.name}.errors.jsonl")


# ----------------------------------------------------------------------------- report


@dataclass
class BatchReport:
    """What a run did. `records` holds this run's records only when no output file was given."""

    total: int = 0
    written: int = 0
    skipped: int = 0  # already in OUT with the same content hash
    failed: int = 0
    duplicates: int = 0  # the same document given twice
    resolved: int = 0  # documents that had failed in an earlier run and succeeded now
    calls: int = 0
    retries: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    rate_limited_s: float = 0.0
    elapsed_s: float = 0.0
    interrupted: bool = False
    workers: int = 1  # processes that ran the pipeline
    out: Path | None = None
    errors_path: Path | None = None
    outstanding: list[str] = field(default_factory=list)  # ids without a record after this run
    records: list[BaseModel] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # this run's error entries

    @property
    def done(self) -> int:
        return self.written + self.skipped + self.failed

    @property
    def docs_per_s(self) -> float:
        return self.written / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def summary_lines(self) -> list[str]:
        lines = [
            f"{self.total} documents: {self.written} extracted, {self.skipped} already done, {self.failed} failed"
            + (f", {self.duplicates} duplicates ignored" if self.duplicates else "")
            + (f", {self.resolved} earlier failures now fixed" if self.resolved else ""),
            f"{self.calls} model calls ({self.retries} transport retries, {self.reasks} re-asks), "
            f"{self.prompt_tokens + self.completion_tokens} tokens, {self.elapsed_s:.1f} s"
            + (f", {self.docs_per_s:.1f} docs/s" if self.written else "")
            + (f", {self.rate_limited_s:.1f} s waiting for rate limits" if self.rate_limited_s else ""),
        ]
        if self.out is not None:
            lines.append(f"records: {self.out}")
        if self.outstanding:
            shown = ", ".join(self.outstanding[:10]) + (" ..." if len(self.outstanding) > 10 else "")
            where = f" (details in {self.errors_path})" if self.errors_path else ""
            count = len(self.outstanding)
            lines.append(f"{count} document{'s have' if count > 1 else ' has'} no record yet{where}: {shown}")
            lines.append("rerun the same command to retry them")
        if self.interrupted:
            lines.append("interrupted: finished records are saved; rerun the same command to continue")
        return lines


# ----------------------------------------------------------------------------- secrets


_KEY_PATTERN = re.compile(r"\b(sk-[A-Za-z0-9_\-]{3})[A-Za-z0-9_\-]{8,}")


def redact(message: str, secrets: Iterable[str | None] = ()) -> str:
    """`message` with every given secret and anything shaped like an OpenAI key masked."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            message = message.replace(secret, "***")
    return _KEY_PATTERN.sub(r"\1***", message)


# ----------------------------------------------------------------------------- progress


class _RateColumn(ProgressColumn):
    def render(self, task: ProgressTask) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} docs/s" if speed else "-- docs/s", style="progress.data.speed")


class _Progress:
    """A rich progress bar on stderr (or nothing) showing rate, ETA, retries and failures."""

    def __init__(self, total: int, enabled: bool) -> None:
        self._bar: Progress | None = None
        self.retries = self.failed = self.skipped = 0
        if enabled:
            self._bar = Progress(
                TextColumn("[bold]extract"),
                BarColumn(),
                MofNCompleteColumn(),
                _RateColumn(),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[status]}"),
                console=Console(stderr=True),
                transient=False,
            )
            self._task = self._bar.add_task("extract", total=total, status="")

    def __enter__(self) -> "_Progress":
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, *, retries: int = 0, failed: bool = False, skipped: bool = False) -> None:
        self.retries += retries
        self.failed += failed
        self.skipped += skipped
        if self._bar is not None:
            status = f"retries {self.retries}  failed {self.failed}" + (f"  skipped {self.skipped}" if self.skipped else "")
            self._bar.update(self._task, advance=1, status=status)


# ----------------------------------------------------------------------------- output


def record_entry(record: BaseModel, doc_id: str, digest: str) -> dict[str, Any]:
    """The JSON line for a record, guaranteed to carry the id and content hash resume relies on."""
    entry = record.model_dump(mode="json")
    if entry.get("id") is None:
        entry["id"] = doc_id
    meta = entry.get("meta")
    if not isinstance(meta, dict):
        meta = entry["meta"] = {}
    meta["content_hash"] = digest
    return entry


def entry_key(entry: Mapping[str, Any]) -> tuple[str, str] | None:
    meta = entry.get("meta")
    if isinstance(entry.get("id"), str) and isinstance(meta, dict) and isinstance(meta.get("content_hash"), str):
        return entry["id"], meta["content_hash"]
    return None


class _Writer:
    """The single task that writes records and errors, so lines never interleave.

    It drains whatever is queued, writes it in one append and fsyncs once (group commit), so
    durability costs one fsync per burst of finished documents, not one per document.
    """

    def __init__(self, out: Journal | IO[str] | None, errors: Journal | None, report: BatchReport) -> None:
        self.out, self.errors, self.report = out, errors, report
        self.queue: asyncio.Queue[tuple[str, Any] | None] = asyncio.Queue()

    async def run(self) -> None:
        finished = False
        while not finished:
            batch = [await self.queue.get()]
            while not self.queue.empty():
                batch.append(self.queue.get_nowait())
            finished = batch[-1] is None
            items = [item for item in batch if item is not None]
            records = [entry for kind, entry in items if kind == "record"]
            errors = [entry for kind, entry in items if kind == "error"]
            if records:
                await asyncio.to_thread(self._write_records, records)
            if errors and self.errors is not None:
                await asyncio.to_thread(self.errors.append, errors)

    def _write_records(self, records: list[tuple[dict[str, Any], BaseModel]]) -> None:
        if isinstance(self.out, Journal):
            self.out.append([entry for entry, _ in records])
        elif self.out is not None:
            self.out.write("".join(dump_line(entry) for entry, _ in records))
            self.out.flush()
        else:
            self.report.records.extend(record for _, record in records)


# ----------------------------------------------------------------------------- the run


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
    **extract_kwargs: Any,
) -> BatchReport:
    """Extract every input; see `extract_many`. Safe to await from a running event loop.

    Documents are taken by `concurrency` worker tasks (so at most that many are in flight) and
    their records handed to one writer task. With `workers` > 1 the pipeline itself runs in that
    many processes, this one included (see `llmx.batch_workers`); queueing, rate limits and
    writing stay here.
    With `handle_signals` (main thread only), the first Ctrl-C or SIGTERM cancels the in-flight
    documents, lets the writer finish and returns a report with `interrupted=True`; a second
    Ctrl-C aborts at once.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    docs, duplicates = collect_docs(inputs)
    secrets = [extract_kwargs.get("api_key"), os.environ.get("OPENAI_API_KEY")]
    owned_backend = None
    pool = None
    if extractor is None:
        spec, processes = _worker_plan(extract_kwargs, concurrency, workers, len(docs))
        extractor, owned_backend = _pipeline_extractor(extract_kwargs)
        if spec is not None and processes > 1:
            from llmx.batch_workers import WorkerPool

            # This process is one of the `processes`: it extracts too, while the others start.
            pool = WorkerPool(spec, processes - 1, local=extractor)
            extractor = pool.extract
    elif workers not in (None, 1):
        raise ValueError("workers= runs llmx's own pipeline in processes; it cannot be combined with extractor=")
    run_extract = extractor
    report = BatchReport(total=len(docs), duplicates=duplicates, workers=pool.processes if pool is not None else 1)
    limiter = RateLimiter(rpm=rpm, tpm=tpm)

    async with contextlib.AsyncExitStack() as astack:
        astack.enter_context(batch_gc())
        if pool is not None:
            await astack.enter_async_context(pool)
        return await _run(
            docs, out, report, run_extract, limiter, owned_backend, secrets,
            concurrency=concurrency, resume=resume, progress=progress, errors=errors, handle_signals=handle_signals,
        )


async def _run(
    docs: list[Doc],
    out: str | Path | IO[str] | None,
    report: BatchReport,
    run_extract: Extractor,
    limiter: RateLimiter,
    owned_backend: Any,
    secrets: list[str | None],
    *,
    concurrency: int,
    resume: bool,
    progress: bool,
    errors: str | Path | None,
    handle_signals: bool,
) -> BatchReport:
    with contextlib.ExitStack() as stack:
        if owned_backend is not None and hasattr(owned_backend, "close"):
            stack.callback(owned_backend.close)  # connection pools and the cache, once the run is over
        sink: Journal | IO[str] | None = None
        done: set[tuple[str, str]] = set()
        previously_failed: set[str] = set()
        if isinstance(out, (str, Path)):
            report.out = Path(out)
            report.errors_path = Path(errors) if errors else errors_path_for(out)
            if not resume:
                for path in (report.out, report.errors_path):
                    path.unlink(missing_ok=True)
            sink = stack.enter_context(Journal(report.out))
            done = {key for entry in sink.contents.entries if (key := entry_key(entry))}
        elif out is not None:
            sink = out
            report.errors_path = Path(errors) if errors else None
        error_log = stack.enter_context(Journal(report.errors_path)) if report.errors_path else None
        if error_log is not None:
            previously_failed = {str(entry.get("id")) for entry in error_log.contents.entries}

        writer = _Writer(sink, error_log, report)
        pending: asyncio.Queue[Doc] = asyncio.Queue()
        for doc in docs:
            pending.put_nowait(doc)
        succeeded: set[str] = set()
        started = time.perf_counter()

        async def work(bar: _Progress) -> None:
            while True:
                try:
                    doc = pending.get_nowait()
                except asyncio.QueueEmpty:
                    return
                outcome = await _process(doc, run_extract, limiter, done, secrets)
                kind, entry, stats = outcome
                _add_usage(report, stats)
                if kind == "skip":
                    report.skipped += 1
                    succeeded.add(doc.id)
                    bar.advance(skipped=True)
                    continue
                if kind == "record":
                    report.written += 1
                    succeeded.add(doc.id)
                else:
                    report.failed += 1
                    report.errors.append(entry)
                await writer.queue.put((kind, entry))
                bar.advance(retries=stats.get("retries", 0) + stats.get("reasks", 0), failed=kind == "error")

        with _Progress(len(docs), progress) as bar:
            writer_task = asyncio.create_task(writer.run())
            workers = [asyncio.create_task(work(bar)) for _ in range(min(concurrency, max(1, len(docs))))]
            # If the output cannot be written (disk full, ...), stop asking the model at once.
            writer_task.add_done_callback(lambda task: _cancel_if_failed(task, workers))
            try:
                with _stop_on_signals(workers, report, enabled=handle_signals):
                    results = await asyncio.gather(*workers, return_exceptions=True)
            finally:  # even when the caller cancels us: whatever finished is written before returning
                for task in workers:
                    task.cancel()
                await writer.queue.put(None)
                await writer_task
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                raise result

    report.elapsed_s = time.perf_counter() - started
    report.rate_limited_s = limiter.waited_s
    report.resolved = len(previously_failed & succeeded)
    report.outstanding = [doc.id for doc in docs if doc.id not in succeeded]
    return report


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
    **extract_kwargs: Any,
) -> BatchReport:
    """Extract every input document, writing records durably to `out` and resuming a previous run.

    `inputs`: file paths, texts, `(id, text)` pairs or `{"id", "text"}` mappings (see
    `collect_docs`). `out`: a JSONL path (records are appended and fsynced; failures go to
    `out.errors.jsonl`; a rerun skips documents already done), an open text stream, or None to
    get the records back in `report.records`. Keyword arguments: `concurrency` (parallel
    documents, default 8), `rpm` / `tpm` (requests / tokens per minute), `resume` (False starts
    OUT afresh), `progress` (rich bar on stderr), `workers` (processes running the pipeline;
    default min(CPUs, concurrency // 16) for the openai backend, else 1); any other keyword goes to `llmx.extract`
    (backend, mode, model, base_url, api_key, template, max_reasks, keep_invalid, cache, explain)
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
                workers=workers, **extract_kwargs,
            )
        )
    raise RuntimeError("extract_many() cannot run inside an event loop; use `await llmx.batch.aextract_many(...)`")


async def _process(
    doc: Doc,
    run_extract: Extractor,
    limiter: RateLimiter,
    done: set[tuple[str, str]],
    secrets: list[str | None],
) -> tuple[str, Any, dict[str, int]]:
    """One document -> ("skip" | "record" | "error", entry, usage counts). Never raises for a bad doc."""
    digest: str | None = None
    try:
        text = await asyncio.to_thread(doc.load) if doc.path is not None else doc.load()
        digest = content_hash(text)
        if (doc.id, digest) in done:
            return "skip", None, {}
        estimate = estimate_tokens(text)
        await limiter.acquire(tokens=estimate)
        record = await run_extract(text, doc.id)
        stats = _usage_of(record)
        limiter.settle(
            estimated_tokens=estimate,
            actual_tokens=stats.get("tokens", estimate),
            extra_requests=max(0, stats.get("calls", 1) - 1),
        )
        return "record", (record_entry(record, doc.id, digest), record), stats
    except Exception as exc:  # one bad document must never stop the run
        stats = _usage_of(exc)
        return "error", error_entry(doc, exc, digest, secrets), stats


def error_entry(doc: Doc, exc: BaseException, digest: str | None, secrets: Iterable[str | None], **more: Any) -> dict[str, Any]:
    """The errors-file line for a document that failed: what, why, after how many model calls."""
    stats = _usage_of(exc)
    return {
        "id": doc.id,
        "source": str(doc.path) if doc.path is not None else None,
        "content_hash": digest,
        "error": redact(str(exc) or repr(exc), secrets),
        "error_type": type(exc).__name__,
        "attempts": _attempts_of(exc, stats),
        "retries": stats.get("retries", 0),
        "reasks": stats.get("reasks", 0),
        **more,
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def _usage_of(obj: object) -> dict[str, int]:
    """Usage counts from a record's meta, or from an exception that carries a `usage` attribute."""
    meta = getattr(obj, "meta", None)
    usage = getattr(meta, "usage", None) if meta is not None else getattr(obj, "usage", None)
    if usage is None:
        return {}
    prompt, completion = getattr(usage, "prompt_tokens", 0), getattr(usage, "completion_tokens", 0)
    return {
        "calls": getattr(usage, "calls", 0),
        "retries": getattr(usage, "retries", 0),
        "reasks": getattr(usage, "reasks", 0),
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "tokens": prompt + completion,
    }


def _attempts_of(exc: BaseException, stats: dict[str, int]) -> int | None:
    """Model calls spent on the document before giving up: 0 if it never reached the model, None if unknown."""
    if isinstance(exc, InputError):
        return 0
    if "calls" in stats:
        return stats["calls"]
    value = getattr(exc, "attempts", None)
    return value if isinstance(value, int) else None


def _add_usage(report: BatchReport, stats: dict[str, int]) -> None:
    report.calls += stats.get("calls", 0)
    report.retries += stats.get("retries", 0)
    report.reasks += stats.get("reasks", 0)
    report.prompt_tokens += stats.get("prompt_tokens", 0)
    report.completion_tokens += stats.get("completion_tokens", 0)


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


# Allocations between young-generation collections during a batch (Python's default is 700).
BATCH_GC_THRESHOLD = (20_000, 20, 20)


@contextlib.contextmanager
def batch_gc() -> Any:
    """Collect garbage less often, and never scan what existed before the run, while a batch runs.

    A document allocates thousands of short-lived objects (pydantic models, dicts, regex
    matches), so the default thresholds collect hundreds of times a second, and every full
    collection walks all the SDKs' module objects: 0.7 s of a 13 s run, with 150 ms stalls
    of the event loop that delay every reply in flight (benchmarks/bench_batch.py). Objects
    made before the run are frozen (`gc.freeze`) and the young generation is collected every
    20,000 allocations instead of 700; both are undone when the run ends.
    """
    import gc

    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BATCH_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


# Documents in flight per worker process below which one process keeps up on its own.
IN_FLIGHT_PER_WORKER = 16


def _worker_plan(
    kwargs: dict[str, Any], concurrency: int, workers: int | None, count: int
) -> tuple[Any, int]:
    """(WorkerSpec or None, processes) for a pipeline run.

    Processes pay off when many HTTP requests are in flight: one process then runs out of CPU
    long before the server runs out of capacity. By default an HTTP backend gets
    min(CPUs, concurrency // 16) processes; the local model is never shared (one copy in
    memory), and an explicit `workers` is honoured for any backend built from settings.
    """
    from llmx import pipeline
    from llmx.batch_workers import WorkerSpec
    from llmx.errors import ConfigError
    from llmx.llm.client import OpenAIBackend

    options = dict(kwargs)
    backend = options.pop("backend", None)
    args = {key: options.pop(key, None) for key in ("model", "base_url", "api_key", "llm_mode")}
    if isinstance(backend, OpenAIBackend):
        settings = backend.settings()
    elif backend is None or isinstance(backend, str):
        name = pipeline.resolve_backend_name(backend, args["base_url"])
        settings = {"name": name, **args, "cache": options.get("cache", True)}
    else:
        settings = None
    name = "openai" if isinstance(backend, OpenAIBackend) else (settings or {}).get("name")
    if workers is None:
        workers = min(os.cpu_count() or 1, concurrency // IN_FLIGHT_PER_WORKER) if name == "openai" else 1
    workers = max(1, min(workers, count, concurrency))
    if workers == 1:
        return None, 1
    if name == "local":
        raise ConfigError("the local model runs in one process; use workers=1 (or the openai backend)")
    if settings is None:
        raise ConfigError(f"workers= needs a backend built from settings, not the {type(backend).__name__} instance given")
    if isinstance(backend, OpenAIBackend):
        settings = {"name": "openai", **settings}
    # Bad settings (missing key, unknown mode) fail before any work when `_pipeline_extractor`
    # builds this process's own backend from the same settings, not later in every worker.
    spec = WorkerSpec(backend=settings, options=options)
    spec.check_picklable()
    return spec, workers


def _pipeline_extractor(kwargs: dict[str, Any]) -> tuple[Extractor, Any]:
    """`llmx.aextract` with one backend built up front and shared by every document.

    Returns the extractor and the backend it built (None when the caller passed one in), so the
    run can close what it opened.
    """
    from llmx import pipeline

    options = dict(kwargs)
    backend = options.pop("backend", None)
    built = None
    if backend is None or isinstance(backend, str):
        backend = pipeline.make_backend(
            backend,
            model=options.pop("model", None),
            base_url=options.pop("base_url", None),
            api_key=options.pop("api_key", None),
            cache=options.get("cache", True),
            llm_mode=options.pop("llm_mode", None),
        )
        built = backend
    # Loaded once for the run, not once per document.
    options["template"] = pipeline.prompt_template(backend, options.get("mode", "grounded"), options.get("template"))

    async def run(text: str, doc_id: str) -> BaseModel:
        return await pipeline.aextract(text, backend=backend, doc_id=doc_id, **options)

    return run, built
