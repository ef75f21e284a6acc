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
