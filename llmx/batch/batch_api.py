"""Extraction through the OpenAI Batch API: half the price, answers within 24 h instead of seconds.

The documents run through exactly the steps `llmx.aextract` takes (`llmx.extraction.api.plan`), but
each step's chat completion is sent as one line of a batch job instead of a live call. The
request body is what the live `OpenAIBackend` would send (instructor builds it from the response
model in the backend's mode), and each reply is validated the same way; a reply that fails
validation is re-asked with instructor's re-ask messages in the next batch *round*, as are
documents whose next chunk needs asking. Rounds repeat until every document has a record or an
error, written with the same durable journals and formats as `llmx.extract_many`.

A batch can take hours, so the job id and every reply received so far are saved in
`OUT.batch.json` before polling; rerunning the command picks the job up again instead of paying
for it twice, and replays the saved replies to bring each document back to where it was.

Resume is `extract_many`'s (`llmx.batch.resume`): a record is reused only when its id, content
hash and run key match, saved replies are replayed only for the same text and run key, and OUT
is compacted at the end to one record per id (a document that was tried again and failed loses
its old record).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel
from typing_extensions import Unpack
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from llmx.backends.factory import make_backend
from llmx.extraction.api import bind, plan
from llmx.options import ExtractOptions, ExtractSettings
from llmx._secrets import redact
from llmx.batch.documents import Doc, DocInput, collect_docs, errors_path_for
from llmx.hashing import content_hash
from llmx.batch.report import BatchReport, error_entry, is_fallback, record_entry
from llmx.errors import BackendError, ConfigError, ExtractionError
from llmx.batch.journal import Journal
from llmx.batch.resume import compact, last_keys, resume_key, run_key
from llmx.backends.base import Completion
from llmx.backends.openai.backend import PLACEHOLDER_API_KEY, REPLY_FAILURES, OpenAIBackend, StructuredCall, raw_reply, request_body
from llmx.backends.openai.retry import RetryPolicy
from llmx.schema import Usage

ENDPOINT = "/v1/chat/completions"
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})


def state_path_for(out: str | Path) -> Path:
    """Where the pending job of a run writing `out` is remembered: `out.jsonl` -> `out.batch.json`."""
    out = Path(out)
    return out.with_name(f"{out.stem if out.suffix else out.name}.batch.json")


# ----------------------------------------------------------------------------- one document


class DocRun:
    """One document's extraction, advanced by batch replies instead of live calls.

    Its progress is a pure function of its text, the settings and the replies fed so far, so a
    run can be rebuilt after a crash by feeding the saved replies again (`replay`).
    """

    def __init__(self, doc: Doc, text: str, backend: OpenAIBackend, options: ExtractOptions) -> None:
        self.doc, self.text, self.backend = doc, text, backend
        self.digest = content_hash(text)
        self.plan = plan(text, options=options.replace(backend=backend), doc_id=doc.id)
        self.replies: list[dict[str, Any]] = []  # every completion received, in order
        self.retries = 0  # batch lines that failed (429/5xx, expired) and were sent again
        self.record: BaseModel | None = None
        self.error: Exception | None = None
        self._advance(lambda: None)

    @property
    def pending(self) -> bool:
        return self.record is None and self.error is None

    def _advance(self, step: Any) -> None:
        """Apply `step` to the plan, then prepare the batch body of its next request (or take the record)."""
        try:
            step()
        except Exception as exc:  # the pipeline gave up on this document (e.g. ExtractionError)
            self.error = exc
            return
        if self.plan.request is None:
            self.record = self.plan.record()
            return
        request = self.plan.request
        self.call = StructuredCall(
            self.backend, request.messages, request.response_model, request.validation_context, self.plan.max_reasks
        )
        self.usage = Usage()

    @property
    def body(self) -> dict[str, Any]:
        """The JSON body of this document's next batch line (instructor's re-asks included)."""
        return request_body(self.call.kwargs)

    def feed(self, completion: dict[str, Any]) -> None:
        """Apply one reply: advance, re-ask next round, or give up after `max_reasks`."""
        self.replies.append(completion)
        reply = ChatCompletion.model_validate(completion)
        tokens = reply.usage
        self.usage = self.usage.add(
            Usage(calls=1, prompt_tokens=tokens.prompt_tokens if tokens else 0, completion_tokens=tokens.completion_tokens if tokens else 0)
        )
        if not reply.choices:
            self.line_failed("the batch returned a completion without choices")
            return
        try:
            value = self.call.answer(reply)  # validated, or None when re-asked next round
        except REPLY_FAILURES as exc:
            error = ExtractionError(
                f"{self.backend.model!r} returned no valid {self.call.response_model.__name__} after "
                f"{self.call.attempts} attempts ({self.plan.max_reasks} re-asks) in batch: {str(exc)[:500]}",
                raw=raw_reply(reply),
                usage=self._usage(),
            )
            self._advance(lambda: self.plan.reject(error))
            return
        if value is None:
            return
        completion_value = Completion(value=value, usage=self._usage(), raw=raw_reply(reply))
        self._advance(lambda: self.plan.answer(completion_value))

    def line_failed(self, message: str, *, retryable: bool = True, max_retries: int = 3) -> None:
        """A batch line that produced no usable reply: send it again next round, or give up."""
        self.retries += 1
        if not retryable or self.retries > max_retries:
            self.error = BackendError(
                f"batch request for {self.doc.id} failed after {self.retries} tries: {message}", usage=self._usage()
            )

    def _usage(self) -> Usage:
        return self.usage.model_copy(update={"reasks": max(self.call.attempts - 1, 0), "retries": self.retries})

    def replay(self, replies: list[dict[str, Any]], retries: int) -> None:
        """Bring a rebuilt run back to where a previous process left it."""
        for completion in replies:
            self.feed(completion)
        self.retries = retries


# ----------------------------------------------------------------------------- the service


@dataclass
class BatchService:
    """Files + Batches endpoints with transport retries (the SDK's own retries are off)."""

    client: openai.AsyncOpenAI
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    secrets: tuple[str, ...] = ()

    async def _call(self, what: str, make: Any) -> Any:
        try:
            async for attempt in self.retry.async_retrying():
                with attempt:
                    return await make()
        except openai.OpenAIError as exc:
            status = getattr(exc, "status_code", None)
            detail = redact(str(getattr(exc, "message", None) or exc), self.secrets)[:500]
            raise BackendError(
                f"Batch API {what} failed{f' (HTTP {status})' if status else ''}: {detail}", status_code=status
            ) from None

    async def submit(self, lines: bytes, metadata: dict[str, str]) -> str:
        upload = await self._call("upload", lambda: self.client.files.create(file=("requests.jsonl", lines), purpose="batch"))
        batch = await self._call(
            "create", lambda: self.client.batches.create(
                input_file_id=upload.id, endpoint=ENDPOINT, completion_window="24h", metadata=metadata
            )
        )
        return batch.id

    async def retrieve(self, batch_id: str) -> Any:
        return await self._call("poll", lambda: self.client.batches.retrieve(batch_id))

    async def download(self, file_id: str | None) -> list[dict[str, Any]]:
        if not file_id:
            return []
        response = await self._call("download", lambda: self.client.files.content(file_id))
        return [json.loads(line) for line in response.content.decode("utf-8").splitlines() if line.strip()]


async def wait_for(service: BatchService, batch_id: str, *, poll_interval: float, max_poll_interval: float, on_poll: Any = None) -> Any:
    """Poll until the batch is completed, failed, expired or cancelled, backing off between polls."""
    delay = poll_interval
    while True:
        batch = await service.retrieve(batch_id)
        if on_poll is not None:
            on_poll(batch)
        if batch.status in TERMINAL:
            return batch
        await asyncio.sleep(delay)
        delay = min(delay * 1.5, max_poll_interval)


# ----------------------------------------------------------------------------- state file


def _save_state(path: Path, batch_id: str | None, runs: Iterable[DocRun], key: str) -> None:
    """Atomically record the pending job and each unfinished document's replies (and the run key they belong to)."""
    state = {
        "batch_id": batch_id,
        "run_key": key,
        "docs": {run.doc.id: {"content_hash": run.digest, "replies": run.replies, "retries": run.retries} for run in runs},
    }
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(state, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _load_state(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"batch_id": None, "docs": {}}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ConfigError(f"{path} is damaged ({exc}); delete it to start the batch afresh") from None


# ----------------------------------------------------------------------------- the run

async def run_batch_api(
    inputs: Iterable[DocInput],
    out: str | Path,
    *,
    options: ExtractOptions | None = None,
    poll_interval: float = 10.0,
    max_poll_interval: float = 120.0,
    max_line_retries: int = 3,
    retry: RetryPolicy | None = None,
    client: openai.AsyncOpenAI | None = None,
    progress: bool = True,
    **settings: Unpack[ExtractSettings],
) -> BatchReport:
    """Extract `inputs` with OpenAI Batch API jobs, writing records to `out` like `extract_many`.

    `options` (an `ExtractOptions`) and the keyword settings are `llmx.extract`'s; the backend
    is "openai" (the default) or an `OpenAIBackend`. The response cache is not used: batch
    replies are already cheap and slow.
    Returns a `BatchReport`; on cancellation (Ctrl-C) the job keeps running at OpenAI and a rerun
    collects it.
    """
    try:
        extract_options = ExtractOptions.build(options, **settings)
    except TypeError as exc:
        raise ConfigError(str(exc)) from None
    backend, api_key = extract_options.backend, extract_options.api_key
    if backend is None or isinstance(backend, str):
        if backend not in (None, "openai"):
            raise ConfigError(f"the Batch API needs the openai backend, not {backend!r}")
        backend = make_backend(
            "openai", model=extract_options.model, base_url=extract_options.base_url, api_key=api_key, cache=False,
            llm_mode=extract_options.llm_mode, timeout=extract_options.timeout,
        )
    if not isinstance(backend, OpenAIBackend):  # batch bodies are built by its instructor request path
        raise ConfigError("the Batch API works with OpenAIBackend only")
    extract_options, _ = bind(extract_options.replace(backend=backend, cache=False))  # the prompt loaded once
    key = run_key(extract_options)  # the key extract_many gives the same settings
    secrets = tuple(s for s in (api_key, os.environ.get("OPENAI_API_KEY")) if s)
    if client is None:
        client_key = api_key or os.environ.get("OPENAI_API_KEY") or PLACEHOLDER_API_KEY
        client = openai.AsyncOpenAI(api_key=client_key, base_url=backend.base_url, timeout=backend.timeout, max_retries=0)
    service = BatchService(client, retry=retry or backend.retry, secrets=secrets)

    docs, duplicates = collect_docs(inputs)
    report = BatchReport(total=len(docs), duplicates=duplicates, out=Path(out), errors_path=errors_path_for(out))
    state_file = state_path_for(out)
    console = Console(stderr=True, quiet=not progress)
    started = time.perf_counter()
    succeeded: set[str] = set()

    with Journal(report.out, keep=resume_key) as records, Journal(report.errors_path) as errors:
        done = last_keys(records.contents.entries)
        previous = {item[0]: item for item in done}  # the last record of each id already in OUT
        previously_failed = {str(entry.get("id")) for entry in errors.contents.entries}

        def finish(run: DocRun) -> None:
            """Write a finished document's record or error durably, right away."""
            if run.record is not None:
                meta = getattr(run.record, "meta", None)
                _count(report, meta.usage if meta is not None else Usage())
                entry = record_entry(run.record, run.doc.id, run.digest)
                entry["meta"]["run_key"] = key
                records.append([entry])
                report.written += 1
                report.rules_fallbacks += is_fallback(entry)
                succeeded.add(run.doc.id)
            else:
                fail(run.doc, run.error, run.digest)  # type: ignore[arg-type]

        def fail(doc: Doc, exc: Exception, digest: str | None) -> None:
            entry = error_entry(doc, exc, digest, secrets, via="batch_api")
            report.remove_stale(entry, previous.get(doc.id))  # its old record goes at compaction
            _count(report, getattr(exc, "usage", None) or Usage())
            errors.append([entry])
            report.errors.append(entry)
            report.failed += 1

        state = _load_state(state_file)
        same_key = state.get("run_key") == key  # replies saved under other settings answer other requests
        if state["docs"] and not same_key:
            console.print(
                f"{state_file} holds a batch for other settings (backend, model, mode, prompt, labels or schema); "
                "its replies are not reused", highlight=False,
            )
        runs: dict[str, DocRun] = {}
        replayed: set[str] = set()
        for doc in docs:
            digest = None
            try:
                text = doc.load()
                digest = content_hash(text)
                if (doc.id, digest, key) in done:
                    report.skipped += 1
                    succeeded.add(doc.id)
                    continue
                run = DocRun(doc, text, backend, extract_options)
                saved = state["docs"].get(doc.id)
                if same_key and saved and saved.get("content_hash") == digest:
                    run.replay(saved.get("replies", []), saved.get("retries", 0))
                    replayed.add(doc.id)
            except ConfigError:
                raise
            except Exception as exc:  # an unreadable or unusable document is an error entry, not a crash
                fail(doc, exc, digest)
                continue
            if run.pending:
                runs[doc.id] = run
            else:
                finish(run)

        # A job a previous process submitted is collected, not paid for twice.
        batch_id: str | None = state.get("batch_id")
        in_batch = [runs[d] for d in state["docs"] if d in runs and d in replayed] if batch_id else []
        if not in_batch:
            batch_id = None
        round_number = 0
        try:
            while batch_id or runs:
                round_number += 1
                if batch_id is None:
                    in_batch = list(runs.values())
                    batch_id = await _submit_round(service, in_batch, runs, state_file, report, round_number, key)
                    console.print(f"round {round_number}: {len(in_batch)} requests in batch {batch_id}", highlight=False)
                try:
                    batch = await _watch(service, batch_id, len(in_batch), round_number, poll_interval, max_poll_interval, progress)
                except BackendError as exc:
                    if getattr(exc, "status_code", None) != 404:
                        raise
                    console.print(f"batch {batch_id} is unknown to the server (deleted or another account); submitting again")
                    batch_id = None
                    continue
                replies = {line["custom_id"]: line for line in await service.download(batch.output_file_id)}
                replies.update({line["custom_id"]: line for line in await service.download(batch.error_file_id)})
                for run in in_batch:
                    line = replies.get(run.doc.id)
                    response = (line or {}).get("response") or {}
                    if response.get("status_code") == 200:
                        run.feed(response["body"])
                    else:
                        run.line_failed(_line_error(line, batch), retryable=batch.status != "failed", max_retries=max_line_retries)
                    if not run.pending:
                        finish(runs.pop(run.doc.id))
                batch_id = None
                _save_state(state_file, None, runs.values(), key)
        except asyncio.CancelledError:
            report.interrupted = True
            if batch_id:
                console.print(f"batch {batch_id} keeps running at the server; rerun the same command to collect it")
        if not runs:
            state_file.unlink(missing_ok=True)
        # One record per id, the newest, minus the old records of documents that failed now
        # (the journal's lock is still held; a crash before this leaves the newest record last).
        compact(records.path, set(report.removed))

    report.elapsed_s = time.perf_counter() - started
    report.resolved = len((previously_failed - previous.keys()) & succeeded)  # failed last time: no record at the start
    report.outstanding = [doc.id for doc in docs if doc.id not in succeeded]
    return report


async def _submit_round(
    service: BatchService, in_batch: list[DocRun], runs: dict[str, DocRun], state_file: Path, report: BatchReport, round_number: int,
    key: str,
) -> str:
    """Upload this round's requests, create the job and save its id, shielded from Ctrl-C.

    A job created but not saved would be paid for again by the rerun, so an interrupt waits
    for the id to be on disk before it takes effect.
    """
    lines = "".join(
        json.dumps({"custom_id": run.doc.id, "method": "POST", "url": ENDPOINT, "body": run.body}) + "\n"
        for run in in_batch
    ).encode("utf-8")

    async def submit() -> str:
        batch_id = await service.submit(lines, {"llmx_out": report.out.name if report.out else "", "llmx_round": str(round_number)})
        _save_state(state_file, batch_id, runs.values(), key)
        return batch_id

    task = asyncio.ensure_future(submit())
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await task
        raise


async def _watch(service: BatchService, batch_id: str, total: int, round_number: int, poll_interval: float, max_poll_interval: float, progress: bool) -> Any:
    bar = Progress(
        TextColumn(f"[bold]batch round {round_number}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"), TimeElapsedColumn(),
        console=Console(stderr=True), disable=not progress,
    )
    task = bar.add_task("batch", total=total, status="submitted")

    def on_poll(batch: Any) -> None:
        counts = batch.request_counts
        finished = (counts.completed + counts.failed) if counts else 0
        bar.update(task, completed=finished, status=batch.status)

    with bar:
        return await wait_for(service, batch_id, poll_interval=poll_interval, max_poll_interval=max_poll_interval, on_poll=on_poll)


def _line_error(line: dict[str, Any] | None, batch: Any) -> str:
    if line is None:
        if batch.status == "failed" and batch.errors and batch.errors.data:
            return "batch rejected: " + "; ".join(str(e.message) for e in batch.errors.data[:3])
        return f"no reply in the batch output (batch {batch.status})"
    response = line.get("response") or {}
    error = (response.get("body") or {}).get("error") or line.get("error") or {}
    return f"HTTP {response.get('status_code')}: {error.get('message', 'unknown error')}"


def _count(report: BatchReport, usage: Usage) -> None:
    report.calls += usage.calls
    report.retries += usage.retries
    report.reasks += usage.reasks
    report.prompt_tokens += usage.prompt_tokens
    report.completion_tokens += usage.completion_tokens
