"""extract_many streams (issue #15): documents are read when taken, finished records do not pile up."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import llmx.batch.documents as documents
from llmx.batch.run import extract_many
from llmx.schema import PressRelease, RecordMeta

DOCS = 300
CONCURRENCY = 4


class SlowSink:
    """A text stream whose first write blocks a while (a slow disk): what piles up meanwhile is measured."""

    def __init__(self) -> None:
        self.written = 0
        self.release = threading.Event()
        self.first = True

    def write(self, data: str) -> int:
        if self.first:
            self.first = False
            self.release.wait(timeout=3)  # an upper bound on the stall, not an assertion
        self.written += data.count("\n")
        return len(data)

    def flush(self) -> None:
        pass


def test_documents_held_at_once_are_bounded_by_concurrency_not_by_the_batch(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = []
    for i in range(DOCS):
        path = folder / f"d{i:04d}.txt"
        path.write_text(f"Company{i} announces deal {i}.\n")
        paths.append(path)
    sink = SlowSink()
    loaded = 0
    held = 0  # documents read and not yet written out: their texts or records are in memory
    most_held = 0
    real_read = documents.read_document

    def counting_read(path: Path) -> str:
        nonlocal loaded, held, most_held
        loaded += 1
        held = loaded - sink.written
        most_held = max(most_held, held)
        if loaded == DOCS:
            sink.release.set()  # everything was read while the writer stalled: no bound at all
        return real_read(path)

    monkeypatch.setattr(documents, "read_document", counting_read)

    async def extractor(text: str, doc_id: str) -> PressRelease:
        await asyncio.sleep(0)
        return PressRelease(id=doc_id, issuer={"name": text.split()[0]}, meta=RecordMeta())

    report = extract_many(paths, sink, extractor=extractor, progress=False, concurrency=CONCURRENCY)
    sink.release.set()
    assert report.written == DOCS and sink.written == DOCS
    assert report.records == []  # written to the stream: not kept
    # in extraction (concurrency) + queued for the writer (2 x concurrency) + the writer's burst
    assert most_held <= 5 * CONCURRENCY + 2, most_held


def _folder(root: Path, count: int) -> list[Path]:
    """`count` small files; the caller's list of them (a run lists it again as it takes documents)."""
    root.mkdir(parents=True)
    for i in range(count):
        (root / f"d{i:05d}.txt").write_text(f"Company{i} announces deal {i}.\n")
    return sorted(root.iterdir())


def _run_halfway(paths: list[Path], out: Path, halfway) -> object:
    """extract_many over `paths` to `out`, calling `halfway()` when the middle document is extracted."""
    calls = 0

    async def extractor(text: str, doc_id: str) -> PressRelease:
        nonlocal calls
        calls += 1
        if calls == len(paths) // 2:
            halfway()
        await asyncio.sleep(0)
        return PressRelease(id=doc_id, issuer={"name": text.split()[0]}, meta=RecordMeta())

    return extract_many(paths, out, extractor=extractor, progress=False, concurrency=CONCURRENCY)


def test_the_docs_alive_are_bounded_by_concurrency_not_by_the_document_count(tmp_path, monkeypatch):
    """A batch makes each Doc when a worker takes it: halfway through a run over a folder, the Docs alive
    are the ones in flight, whatever the number of files (a list of every Doc, held for the run, fails)."""
    from llmx.batch.documents import Doc

    count = 0
    real_init = Doc.__init__

    def init(self, *args, **kwargs):
        nonlocal count
        count += 1
        real_init(self, *args, **kwargs)

    def finalize(self):
        nonlocal count
        count -= 1

    monkeypatch.setattr(Doc, "__init__", init)
    monkeypatch.setattr(Doc, "__del__", finalize, raising=False)
    alive: dict[int, int] = {}

    for size in (60, 600):
        paths = _folder(tmp_path / f"docs{size}", size)
        report = _run_halfway(paths, tmp_path / f"out{size}.jsonl", lambda: alive.setdefault(size, count))
        assert report.written == size and report.total == size
    print(f"Docs alive: {alive}")
    assert alive[600] <= 2 * CONCURRENCY and alive[600] - alive[60] <= CONCURRENCY, alive


def test_what_a_run_holds_does_not_grow_with_the_document_count(tmp_path):
    """Traced memory held halfway through a run (records to a file, resume index, listing), as a slope per file
    between a folder of 300 and one of 3,000: a few bytes (the survey's 9 B per file), not a Doc or an id per file.
    The caller's list of Paths is made before the count starts."""
    import gc
    import tracemalloc

    held: dict[int, int] = {}

    def measure() -> None:
        gc.collect()
        held[size] = tracemalloc.get_traced_memory()[0] - before

    for size in (30, 300, 3000):  # the first only warms up
        paths = _folder(tmp_path / f"docs{size}", size)  # held by the caller before the run: not counted
        assert all(str(path) for path in paths)  # a Path keeps its text once asked: asked now, before the count
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            _run_halfway(paths, tmp_path / f"out{size}.jsonl", measure)
        finally:
            tracemalloc.stop()
    per_file = (held[3000] - held[300]) / 2700
    print(f"held per file: {per_file:.1f} B")
    assert per_file < 40, per_file  # ~9 B: one byte and one 8-byte hash per file; ~0.4 kB with a Doc and an id per file
