"""extract_many's bookkeeping, with an injected extractor: ids, hashes, resume, errors, limits."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
from pathlib import Path

import pytest

from llmx._secrets import redact
from llmx.batch.documents import collect_docs, content_hash, errors_path_for, expand_paths
from llmx.batch.report import BatchReport
from llmx.batch.run import aextract_many, extract_many
from llmx.errors import BackendError, InputError
from llmx.batch.journal import Journal, read_journal
from llmx.batch.ratelimit import RateLimiter, TokenBucket
from llmx.schema import PressRelease, RecordMeta, Usage


class FakeExtractor:
    """Records calls; builds a record whose date encodes the text length; fails ids in `fail`."""

    def __init__(self, fail: set[str] = frozenset(), delay: float = 0.0) -> None:
        self.fail = set(fail)
        self.delay = delay
        self.calls: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def __call__(self, text: str, doc_id: str) -> PressRelease:
        self.calls.append(doc_id)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            usage = Usage(calls=2, retries=1, prompt_tokens=len(text), completion_tokens=7)
            if doc_id in self.fail:
                raise BackendError(f"backend gave up on {doc_id}", usage=usage)
            return PressRelease(id=doc_id, issuer={"name": text.split()[0]}, meta=RecordMeta(usage=usage))
        finally:
            self.in_flight -= 1


def make_docs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"pr-{i:03d}.txt"
        path.write_text(f"Company{i} announces a deal number {i}.\n")
        paths.append(path)
    return paths


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_every_document_written_once_with_id_and_hash(tmp_path):
    paths = make_docs(tmp_path / "docs", 25)
    out = tmp_path / "out.jsonl"
    fake = FakeExtractor()
    report = extract_many(paths, out, extractor=fake, progress=False, concurrency=4)

    records = lines(out)
    assert sorted(r["id"] for r in records) == sorted(p.stem for p in paths)
    for record in records:
        text = (tmp_path / "docs" / f"{record['id']}.txt").read_text()
        assert record["meta"]["content_hash"] == content_hash(text)
        assert record["issuer"]["name"] == text.split()[0]
    assert (report.written, report.skipped, report.failed, report.total) == (25, 0, 0, 25)
    assert report.calls == 50 and report.retries == 25
    assert report.records == []  # kept only when there is no output file
    assert not errors_path_for(out).exists() or errors_path_for(out).read_text() == ""


def test_rerun_skips_finished_documents(tmp_path):
    paths = make_docs(tmp_path / "docs", 10)
    out = tmp_path / "out.jsonl"
    extract_many(paths, out, extractor=FakeExtractor(), progress=False)
    again = FakeExtractor()
    report = extract_many(paths, out, extractor=again, progress=False)
    assert again.calls == []
    assert (report.written, report.skipped) == (0, 10)
    assert len(lines(out)) == 10


def test_changed_document_is_extracted_again(tmp_path):
    paths = make_docs(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    extract_many(paths, out, extractor=FakeExtractor(), progress=False)
    paths[1].write_text("Edited announces a different deal.\n")
    again = FakeExtractor()
    extract_many(paths, out, extractor=again, progress=False)
    assert again.calls == [paths[1].stem]
    hashes = {(r["id"], r["meta"]["content_hash"]) for r in lines(out)}
    assert (paths[1].stem, content_hash("Edited announces a different deal.\n")) in hashes
    assert len(hashes) == 3  # the new record replaced the old one (compaction, issue #16)


def test_failures_go_to_errors_file_and_are_retried(tmp_path):
    paths = make_docs(tmp_path / "docs", 6)
    out = tmp_path / "out.jsonl"
    bad = {paths[2].stem, paths[4].stem}
    first = extract_many(paths, out, extractor=FakeExtractor(fail=bad), progress=False)

    assert first.failed == 2 and first.written == 4
    assert sorted(first.outstanding) == sorted(bad)
    errors = lines(errors_path_for(out))
    assert sorted(e["id"] for e in errors) == sorted(bad)
    for entry in errors:
        assert entry["error_type"] == "BackendError"
        assert entry["id"] in entry["error"]
        assert entry["attempts"] == 2 and entry["retries"] == 1 and entry["content_hash"]
    assert "2 documents have no record yet" in "\n".join(first.summary_lines())

    retry = FakeExtractor()
    second = extract_many(paths, out, extractor=retry, progress=False)
    assert sorted(retry.calls) == sorted(bad)
    assert (second.written, second.skipped, second.failed, second.resolved) == (2, 4, 0, 2)
    assert second.outstanding == []
    assert sorted(r["id"] for r in lines(out)) == sorted(p.stem for p in paths)
    assert len(lines(errors_path_for(out))) == 2  # history is kept


def test_unreadable_documents_are_errors_not_crashes(tmp_path):
    paths = make_docs(tmp_path / "docs", 2)
    empty = tmp_path / "docs" / "empty.txt"
    empty.write_text("  \n\t\n")
    binary = tmp_path / "docs" / "scan.txt"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02" * 50)
    out = tmp_path / "out.jsonl"
    report = extract_many([*paths, empty, binary], out, extractor=FakeExtractor(), progress=False)
    errors = {e["id"]: e for e in lines(errors_path_for(out))}
    assert set(errors) == {"empty", "scan"}
    assert errors["empty"]["error_type"] == "InputError" and "empty" in errors["empty"]["error"]
    assert "PDF is damaged" in errors["scan"]["error"] and errors["scan"]["attempts"] == 0  # read as a PDF (llmx.readers)
    assert report.written == 2


def test_torn_last_line_is_cut_and_redone(tmp_path):
    paths = make_docs(tmp_path / "docs", 5)
    out = tmp_path / "out.jsonl"
    extract_many(paths[:3], out, extractor=FakeExtractor(), progress=False)
    intact = out.read_bytes()
    torn = json.dumps({"id": paths[3].stem, "meta": {"content_hash": "x"}}).encode()[:25]
    out.write_bytes(intact + torn)  # what kill -9 in the middle of a write leaves

    contents = read_journal(out)
    assert len(contents.entries) == 3 and contents.torn_bytes == len(torn)

    again = FakeExtractor()
    extract_many(paths, out, extractor=again, progress=False)
    assert sorted(again.calls) == sorted(p.stem for p in paths[3:])
    assert out.read_bytes().startswith(intact)
    assert sorted(r["id"] for r in lines(out)) == sorted(p.stem for p in paths)


def test_garbage_in_the_middle_is_kept_but_ignored(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id":"a","meta":{"content_hash":"1"}}\nnot json\n{"id":"b","meta":{"content_hash":"2"}}\n')
    contents = read_journal(out)
    assert [e["id"] for e in contents.entries] == ["a", "b"]
    assert (contents.bad_lines, contents.torn_bytes) == (1, 0)


def test_journal_refuses_a_second_writer(tmp_path):
    from llmx.errors import ConfigError

    with Journal(tmp_path / "out.jsonl"):
        with pytest.raises(ConfigError, match="another llmx run"):
            Journal(tmp_path / "out.jsonl").open()


def test_concurrency_is_bounded_and_used(tmp_path):
    texts = [f"Firm{i} raises $1 million." for i in range(40)]
    fake = FakeExtractor(delay=0.01)
    report = extract_many(texts, None, extractor=fake, progress=False, concurrency=5)
    assert fake.max_in_flight == 5
    assert len(report.records) == 40 and report.written == 40


def test_text_inputs_get_stable_ids_and_duplicates_are_dropped():
    docs, duplicates = collect_docs(["Alpha text.", "Beta text.", "Alpha text.", ("custom", "Gamma.")])
    assert duplicates == 1
    assert [d.id for d in docs] == [f"doc-{content_hash('Alpha text.')[:12]}", f"doc-{content_hash('Beta text.')[:12]}", "custom"]
    with pytest.raises(ValueError, match="id 'custom'"):
        collect_docs([("custom", "One."), {"id": "custom", "text": "Two."}])
    with pytest.raises(TypeError, match="cannot extract from int"):
        collect_docs([42])


def test_colliding_file_stems_get_relative_ids(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "release.txt").write_text(f"{folder} text")
    (tmp_path / "a" / "other.txt").write_text("other")
    docs, _ = collect_docs([tmp_path / "a" / "release.txt", str(tmp_path / "b" / "release.txt"), tmp_path / "a" / "other.txt"])
    assert sorted(d.id for d in docs) == ["a/release", "b/release", "other"]


def test_expand_paths_explains_bad_arguments(tmp_path):
    paths = make_docs(tmp_path / "docs", 3)
    (tmp_path / "docs" / ".hidden").write_text("x")
    assert expand_paths([tmp_path / "docs"]) == paths
    assert expand_paths([str(tmp_path / "docs" / "*.txt"), paths[0]]) == paths
    assert expand_paths([tmp_path / "docs"], exclude=[paths[1]]) == [paths[0], paths[2]]
    with pytest.raises(InputError, match="no such file"):
        expand_paths([tmp_path / "missing.txt"])
    with pytest.raises(InputError, match="no files match"):
        expand_paths([str(tmp_path / "docs" / "*.pdf")])
    (tmp_path / "void").mkdir()
    with pytest.raises(InputError, match="no files to extract"):
        expand_paths([tmp_path / "void"])


def test_stream_output_and_errors_path_naming(tmp_path):
    stream = io.StringIO()
    report = extract_many(["One Corp news.", "Two Corp news."], stream, extractor=FakeExtractor(), progress=False)
    assert sorted(json.loads(line)["issuer"]["name"] for line in stream.getvalue().splitlines()) == ["One", "Two"]
    assert report.written == 2
    assert errors_path_for("x/out.jsonl") == Path("x/out.errors.jsonl")
    assert errors_path_for("out") == Path("out.errors.jsonl")


def test_resume_false_starts_afresh(tmp_path):
    paths = make_docs(tmp_path / "docs", 4)
    out = tmp_path / "out.jsonl"
    extract_many(paths, out, extractor=FakeExtractor(), progress=False)
    again = FakeExtractor()
    extract_many(paths, out, extractor=again, progress=False, resume=False)
    assert len(again.calls) == 4 and len(lines(out)) == 4


def test_redact_masks_given_secrets_and_key_shapes():
    message = "401: Incorrect API key provided: sk-proj-abcdefghijklmnop1234 (key my-secret-value)"
    cleaned = redact(message, ["my-secret-value", None])
    assert "abcdefghijklmnop1234" not in cleaned and "my-secret-value" not in cleaned
    assert "401: Incorrect API key provided" in cleaned


def test_summary_mentions_outstanding_and_interruption():
    report = BatchReport(total=3, written=1, failed=2, outstanding=["a", "b"], errors_path=Path("o.errors.jsonl"), interrupted=True)
    text = "\n".join(report.summary_lines())
    assert "2 documents have no record yet (details in o.errors.jsonl): a, b" in text
    assert "interrupted" in text


# ----------------------------------------------------------------------------- rate limiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_rpm_limit_paces_requests():
    clock = FakeClock()
    limiter = RateLimiter(rpm=120, clock=clock, sleep=clock.sleep)

    async def run() -> None:
        for _ in range(61):
            await limiter.acquire()

    asyncio.run(run())
    # 120/min = one request every 0.5 s; the bucket banks 1 s (2 requests) that go at once.
    assert clock.now == pytest.approx((61 - 2) * 0.5)


def test_tpm_limit_counts_tokens_and_settles_with_actual_usage():
    clock = FakeClock()
    limiter = RateLimiter(tpm=6000, clock=clock, sleep=clock.sleep)  # 100 tokens/s, bucket of 100

    async def run() -> None:
        await limiter.acquire(tokens=100)
        await limiter.acquire(tokens=300)  # waits for a full bucket, then goes 200 into debt
        assert clock.now == pytest.approx(1.0)
        limiter.settle(estimated_tokens=300, actual_tokens=100)  # over-estimate: 200 back
        await limiter.acquire(tokens=100)
        assert clock.now == pytest.approx(2.0)

    asyncio.run(run())


def test_token_bucket_rejects_nonsense():
    with pytest.raises(ValueError, match="positive"):
        TokenBucket(0)


def test_rate_limit_applies_to_a_batch(tmp_path):
    texts = [f"Firm{i} news." for i in range(20)]
    report = asyncio.run(aextract_many(texts, None, extractor=FakeExtractor(), progress=False, rpm=1200))
    # 1200/min banks 20 requests; the fake spends 2 calls per document (settled after each), so
    # 40 requests need about (40 - 20) / 20 per s = 1 s of waiting in total.
    assert report.rate_limited_s > 0.5
    assert report.written == 20


def test_unwritable_output_stops_the_run_instead_of_wasting_calls(tmp_path, monkeypatch):
    def disk_full(self, entries):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Journal, "append", disk_full)
    fake = FakeExtractor(delay=0.01)
    with pytest.raises(OSError, match="No space left"):
        extract_many([f"Firm{i} news." for i in range(200)], tmp_path / "out.jsonl", extractor=fake, progress=False, concurrency=4)
    assert len(fake.calls) < 50  # the workers were stopped soon after the first failed write


# -- worker processes ----------------------------------------------------------------------------


def test_worker_processes_write_every_document_once_with_the_single_process_records(tmp_path, loopback, api_key):
    from support import press_release, schema_responder

    from llmx.backends.openai.backend import OpenAIBackend

    server = loopback(schema_responder)
    texts = {f"pr-{i:03d}": press_release(i) for i in range(60)}
    backend = OpenAIBackend("loopback-model", base_url=server.base_url, api_key=api_key, cache=False)
    single = extract_many(list(texts.items()), tmp_path / "single.jsonl", backend=backend, concurrency=8, progress=False)
    pooled = extract_many(
        list(texts.items()), tmp_path / "pooled.jsonl", backend=backend, concurrency=8, workers=2, progress=False
    )
    backend.close()
    assert (single.written, pooled.written, pooled.failed) == (60, 60, 0)
    assert pooled.calls == single.calls == 60
    assert server.count == 120

    def by_id(path: Path) -> dict[str, dict]:
        entries = [json.loads(line) for line in path.read_text().splitlines()]
        assert len(entries) == len({entry["id"] for entry in entries})
        return {entry["id"]: entry for entry in entries}

    single_records, pooled_records = by_id(tmp_path / "single.jsonl"), by_id(tmp_path / "pooled.jsonl")
    assert set(pooled_records) == set(texts)
    for doc_id, entry in pooled_records.items():
        assert entry["meta"]["content_hash"] == content_hash(texts[doc_id])
        for record in (entry, single_records[doc_id]):
            record["meta"].pop("latency_s")
        assert entry == single_records[doc_id]
    # a rerun with workers skips everything already written, without starting to extract again
    again = extract_many(list(texts.items()), tmp_path / "pooled.jsonl", backend=backend, workers=2, progress=False)
    assert (again.skipped, again.written, server.count) == (60, 0, 120)


def test_worker_settings_are_checked_before_any_work(tmp_path, api_key):
    from llmx.batch.workers import WorkerSpec
    from llmx.errors import ConfigError

    docs = [("a", "Acme (Nasdaq: ACME) raised $5 million.")]
    with pytest.raises(ConfigError, match="local model runs in one process"):
        extract_many([*docs, ("b", "Beta raised $6 million.")], None, backend="local", workers=2, progress=False)
    with pytest.raises(ValueError, match="cannot be combined with extractor"):
        extract_many(docs, None, extractor=FakeExtractor(), workers=2, progress=False)
    with pytest.raises(ValueError, match="at least 1"):
        extract_many(docs, None, extractor=FakeExtractor(), workers=0, progress=False)
    assert api_key not in repr(WorkerSpec(backend={"name": "openai", "api_key": api_key}))


def test_rules_backend_runs_in_worker_processes_when_asked(tmp_path):
    texts = [(f"d{i}", f"Company{i} Inc. (Nasdaq: CO{i:02d}) will pay ${i + 1} million upfront.") for i in range(6)]
    pooled = extract_many(texts, None, backend="rules", workers=2, concurrency=4, progress=False)
    alone = extract_many(texts, None, backend="rules", progress=False)
    assert (pooled.written, pooled.workers, alone.workers) == (6, 2, 1)
    pooled_records = {record.id: record.model_dump(exclude={"meta"}) for record in pooled.records}
    assert pooled_records == {record.id: record.model_dump(exclude={"meta"}) for record in alone.records}


def _pool_settings(server, api_key, **extra):
    return {"name": "openai", "model": "loopback-model", "base_url": server.base_url, "api_key": api_key, "cache": False, **extra}


def test_the_parent_extracts_while_a_worker_starts_then_both_share_the_documents(loopback, api_key):
    import time

    from support import press_release, schema_responder

    from llmx.extraction import api as pipeline
    from llmx.batch.workers import WorkerPool, WorkerSpec

    server = loopback(schema_responder, latency=0.02)
    backend = pipeline.make_backend(**_pool_settings(server, api_key))

    async def local(text: str, doc_id: str) -> PressRelease:
        return await pipeline.aextract(text, backend=backend, doc_id=doc_id)

    async def run() -> tuple[dict[str, int], dict[str, PressRelease], int]:
        records: dict[str, PressRelease] = {}
        async with WorkerPool(WorkerSpec(backend=_pool_settings(server, api_key)), 1, local=local) as pool:
            records["d0"] = await pool.extract(press_release(0), "d0")  # the worker is still importing
            first = dict(pool.done)
            started, sent = time.perf_counter(), 1
            while not any(lane.startswith("worker-") for lane in pool.done) and time.perf_counter() - started < 60:
                batch = [(f"d{sent + j}", press_release(sent + j)) for j in range(8)]
                for (doc_id, _), record in zip(batch, await asyncio.gather(*(pool.extract(t, i) for i, t in batch))):
                    records[doc_id] = record
                sent += len(batch)
            return first, records, dict(pool.done)

    first, records, done = asyncio.run(run())
    backend.close()
    assert first == {"local": 1}
    by_worker = sum(count for lane, count in done.items() if lane.startswith("worker-"))
    assert by_worker > 0 and done["local"] > 1 and by_worker + done["local"] == len(records)
    for doc_id, record in records.items():  # the same record whichever process made it
        alone = pipeline.extract(press_release(int(doc_id[1:])), backend=pipeline.make_backend(**_pool_settings(server, api_key)), doc_id=doc_id)
        assert record.model_dump(exclude={"meta"}) == alone.model_dump(exclude={"meta"})
        assert record.meta.content_hash == alone.meta.content_hash


def test_a_worker_that_cannot_start_leaves_the_work_to_the_parent(loopback, api_key):
    from support import press_release, schema_responder

    from llmx.extraction import api as pipeline
    from llmx.batch.workers import WorkerPool, WorkerSpec

    server = loopback(schema_responder)
    backend = pipeline.make_backend(**_pool_settings(server, api_key))
    broken = WorkerSpec(backend=_pool_settings(server, api_key, mode="no-such-mode"))  # ConfigError in the worker

    async def local(text: str, doc_id: str) -> PressRelease:
        return await pipeline.aextract(text, backend=backend, doc_id=doc_id)

    async def run() -> tuple[list[PressRelease], dict[str, int], list[bool]]:
        async with WorkerPool(broken, 1, local=local) as pool:
            records = [await pool.extract(press_release(i), f"d{i}") for i in range(20)]
            for _ in range(600):  # until the worker has failed (it imports the SDKs first)
                if all(w.gone for w in pool._workers):
                    break
                await asyncio.sleep(0.05)
            records += [await pool.extract(press_release(i), f"d{i}") for i in range(20, 40)]
            return records, dict(pool.done), [w.gone for w in pool._workers]

    records, done, gone = asyncio.run(run())
    backend.close()
    assert len(records) == 40 and done == {"local": 40}
    assert gone == [True]  # it exited, and no document was sent its way


def test_batch_gc_is_undone_when_the_run_ends():
    import gc

    from llmx.batch.gc import BATCH_GC_THRESHOLD, batch_gc

    before = gc.get_threshold()
    with batch_gc():
        assert gc.get_threshold() == BATCH_GC_THRESHOLD and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_large_document_travels_to_a_worker_and_back(loopback, api_key):
    from support import press_release, schema_responder

    from llmx.batch.workers import WorkerPool, WorkerSpec

    server = loopback(schema_responder)
    text = "\n\n".join(press_release(i) for i in range(6000))  # about 1.2 MB: many pipe buffers
    assert len(text) > 1_000_000

    async def run() -> tuple[PressRelease, dict[str, int]]:
        async with WorkerPool(WorkerSpec(backend=_pool_settings(server, api_key)), 1) as pool:  # no local lane
            return await pool.extract(text, "big"), dict(pool.done)

    record, done = asyncio.run(run())
    assert list(done) != ["local"] and sum(done.values()) == 1
    assert record.id == "big" and len(record.amounts) > 100
    assert all(text[a.span[0] : a.span[1]] == a.text for a in record.amounts)


def test_small_text_files_are_read_on_the_loop_and_others_in_a_thread(tmp_path):
    from llmx.batch.documents import INLINE_READ_BYTES, Doc

    small = tmp_path / "small.txt"
    small.write_text("Acme Corp raised $5 million.", encoding="utf-8")
    large = tmp_path / "large.txt"
    large.write_text("x" * (INLINE_READ_BYTES + 1), encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text("<html><body>Acme Corp raised $5 million.</body></html>", encoding="utf-8")
    assert Doc(id="small", path=small).reads_quickly()
    assert Doc(id="text", text="Acme Corp raised $5 million.").reads_quickly()
    assert not Doc(id="large", path=large).reads_quickly()
    assert not Doc(id="page", path=page).reads_quickly()
    assert not Doc(id="gone", path=tmp_path / "missing.txt").reads_quickly()  # the thread's read reports it


def test_a_file_read_on_the_loop_gives_the_same_record_as_one_read_in_a_thread(tmp_path):
    from llmx.batch.documents import INLINE_READ_BYTES

    text = "Acme Corp (NASDAQ: ACME) raised $5 million in a private placement."
    small = tmp_path / "small.txt"
    small.write_text(text, encoding="utf-8")
    padded = tmp_path / "padded.txt"  # the same text, large enough to be read in a thread
    padded.write_text(text + " " * INLINE_READ_BYTES, encoding="utf-8")
    report = extract_many([small, padded], out=None, progress=False, backend="rules")
    first, second = sorted(report.records, key=lambda record: record.id)
    assert [a.value for a in first.amounts] == [a.value for a in second.amounts] == [5_000_000]
    assert first.issuer == second.issuer


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_a_worker_s_warnings_are_emitted_by_the_parent_s_loggers(loopback, api_key, caplog, monkeypatch, start):
    """A fallback warning raised in a worker reaches the parent's "llmx" logger (so the CLI prints it
    with its "warning: " prefix), however the worker was started."""
    import os

    from support import press_release

    from llmx.batch import workers
    from llmx.options import ExtractOptions
    from llmx.testing import structured_reply

    monkeypatch.setattr(workers, "_start_method", lambda: start)
    server = loopback(lambda body: structured_reply({}))  # valid JSON, useless as a record: the rules fill in
    spec = workers.WorkerSpec(backend=_pool_settings(server, api_key), options=ExtractOptions(max_reasks=0))

    async def run() -> tuple[PressRelease, dict[str, int]]:
        async with workers.WorkerPool(spec, 1) as pool:  # no local lane: the worker extracts
            return await pool.extract(press_release(3), "d3"), dict(pool.done)

    with caplog.at_level(logging.WARNING, logger="llmx"):
        record, done = asyncio.run(run())
    assert record.meta.fallback and list(done) != ["local"]
    [warning] = [r for r in caplog.records if "unusable" in r.getMessage()]
    assert warning.name == "llmx" and warning.levelno == logging.WARNING and warning.getMessage().startswith("d3: ")
    assert warning.process != os.getpid()  # emitted here, made in the worker


def test_a_doc_keeps_its_file_as_text(tmp_path):
    """One Doc per document lives for the whole run: the path is stored as a string, the Path built on demand."""
    import pickle

    from llmx.batch.documents import Doc

    doc = Doc(id="a", path=tmp_path / "a.txt")
    assert doc.file == str(tmp_path / "a.txt") and doc.path == tmp_path / "a.txt"
    assert not hasattr(doc, "__dict__")  # slots: no per-instance dict either
    assert doc == Doc(id="a", path=str(tmp_path / "a.txt")) and doc != Doc(id="a", text="a")
    assert pickle.loads(pickle.dumps(doc)) == doc
    assert Doc(id="t", text="x").path is None and Doc(id="t", text="x").source == "<text t>"


def test_collect_docs_resolves_links_to_the_real_file(tmp_path):
    real = make_docs(tmp_path / "real", 1)[0]
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "renamed.txt").symlink_to(real)
    docs, _ = collect_docs([tmp_path / "links" / "renamed.txt", real])  # the same file twice: one Doc
    assert [(d.id, d.file) for d in docs] == [(real.stem, str(real.resolve()))]


def test_expand_paths_excludes_the_output_under_another_name(tmp_path):
    """A symlink or hard link to an excluded file is the same file: it is not a document."""
    paths = make_docs(tmp_path / "docs", 2)
    out = tmp_path / "out.jsonl"
    out.write_text("{}\n")
    (tmp_path / "docs" / "linked.jsonl").symlink_to(out)
    os.link(out, tmp_path / "docs" / "hard.jsonl")
    assert expand_paths([tmp_path / "docs"], exclude=[out, tmp_path / "not-there.jsonl"]) == paths


