"""`llmx extract DIR` streams its listing: arguments are checked at once, files listed as the batch takes them."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from llmx.batch.documents import expand_paths, iter_paths
from llmx.cli import app
from llmx.errors import InputError


def make_files(folder: Path, count: int, prefix: str = "d") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{prefix}{n:05d}.txt" for n in range(count)]
    for path in paths:
        path.write_text("Acme Corp. raised $5 million.\n")
    return paths


def test_every_argument_is_checked_before_anything_is_listed(tmp_path: Path) -> None:
    make_files(tmp_path / "docs", 3)
    (tmp_path / "void").mkdir()
    (tmp_path / "void" / ".hidden").write_text("x")
    for bad, message in [("missing.txt", "no such file"), ("void", "no files to extract"), ("docs/*.pdf", "no files match")]:
        with pytest.raises(InputError, match=message):
            iter_paths([tmp_path / "docs", str(tmp_path / bad)])  # raised by the call, not on iteration


def test_the_stream_is_expand_paths_in_the_same_order_each_file_once(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", 4)
    other = make_files(tmp_path / "docs-b" / "sub", 2, prefix="e")
    (tmp_path / "docs" / ".hidden.txt").write_text("x")
    (tmp_path / "docs" / "folder").mkdir()
    args = [str(tmp_path / "docs"), str(tmp_path / "docs-b" / "**" / "*.txt"), str(docs[1]), str(tmp_path / "docs" / "." / "d00002.txt")]
    stream = iter_paths(args, exclude=[docs[3]])
    assert iter(stream) is stream  # an iterator, not a list
    assert list(stream) == [docs[0], docs[1], docs[2], *other]
    assert expand_paths(args, exclude=[docs[3]]) == [docs[0], docs[1], docs[2], *other]


def test_a_glob_is_listed_in_the_order_of_sorted_paths(tmp_path: Path) -> None:
    # "a-b/..." sorts before "a/..." as text ('-' < '/'), after it as a Path (part "a" < part "a-b").
    first = make_files(tmp_path / "g" / "a", 1)
    second = make_files(tmp_path / "g" / "a-b", 1)
    assert list(iter_paths([str(tmp_path / "g" / "**" / "*.txt")])) == sorted(first + second) == first + second


def test_a_directory_is_listed_as_the_stream_is_taken(tmp_path: Path) -> None:
    make_files(tmp_path / "docs", 3)
    stream = iter_paths([tmp_path / "docs"])
    (tmp_path / "docs" / "d00009.txt").write_text("added after the call, before the listing")
    assert [path.name for path in stream] == ["d00000.txt", "d00001.txt", "d00002.txt", "d00009.txt"]


def test_the_cli_never_holds_a_path_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the batch takes documents, the listing holds a small fraction of a `Path` per file.

    Measured as the slope of traced memory (once the first file is taken) between a folder of
    300 and one of 3,000 files, so what the CLI holds whatever the count (typer's command,
    the options) cancels out. A materialised listing (a list of `Path`s, ~0.6 kB each, handed
    over whole) fails it; the stream holds the folder's sorted names as text (~60 B each).
    """
    import llmx.cli.extract as cli

    held: dict[int, int] = {}

    def batch(paths: Any, *args: Any, **kwargs: Any) -> None:
        items = iter(paths)
        assert isinstance(next(items), Path)  # the batch has taken its first document
        gc.collect()
        held[size] = tracemalloc.get_traced_memory()[0] - before
        assert 1 + sum(1 for _ in items) == size

    monkeypatch.setattr(cli, "_extract_many", batch)
    runner = CliRunner()
    common = ["--backend", "openai", "--base-url", "http://127.0.0.1:9/v1", "--no-cache"]
    for size in (3, 300, 3000):  # the first only warms up (imports, caches)
        make_files(tmp_path / f"docs{size}", size)
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            result = runner.invoke(app, ["extract", str(tmp_path / f"docs{size}"), "-o", str(tmp_path / f"out{size}.jsonl"), *common])
        finally:
            tracemalloc.stop()
        assert result.exit_code == 0, result.output
    per_file = (held[3000] - held[300]) / 2700
    assert per_file < 150, per_file  # ~60 B streamed; ~420 B with a list of Paths


def test_a_streamed_listing_makes_the_same_docs(tmp_path: Path) -> None:
    from llmx.batch.documents import collect_docs

    docs = make_files(tmp_path / "docs", 3)
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "again.txt").symlink_to(docs[1])  # the same file under another name: once
    made, duplicates = collect_docs(iter_paths([tmp_path / "docs", tmp_path / "links"]))
    assert [(doc.id, doc.file) for doc in made] == [(path.stem, str(path.resolve())) for path in docs] and duplicates == 0
    assert [doc.id for doc in collect_docs(iter(docs))[0]] == [doc.id for doc in collect_docs(docs)[0]]


def test_batch_api_lists_the_inputs_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--batch-api` takes the listing the CLI already started (the folder read once to check it, once to
    list it), not a second listing of every argument."""
    import llmx.batch.documents as documents
    import llmx.cli.extract as cli

    make_files(tmp_path / "docs", 5)
    reads: list[Path] = []
    real_entries = documents._entries
    monkeypatch.setattr(documents, "_entries", lambda folder: reads.append(folder) or real_entries(folder))
    taken: list[Any] = []
    monkeypatch.setattr(cli, "_run_batch_api", lambda paths, *args: taken.extend(paths))
    result = CliRunner().invoke(app, [
        "extract", str(tmp_path / "docs"), "-o", str(tmp_path / "out.jsonl"), "--batch-api",
        "--backend", "openai", "--base-url", "http://127.0.0.1:9/v1", "--no-cache",
    ])
    assert result.exit_code == 0, result.output
    assert [path.name for path in taken] == [f"d{n:05d}.txt" for n in range(5)]
    assert len(reads) == 2, reads  # checked, listed


def test_a_listing_that_changed_since_the_survey_stops_the_run_with_its_records_kept(tmp_path: Path) -> None:
    """The ids are decided from the survey; a file the second listing brings (or misses) would get an id
    nobody checked, so the run stops with an InputError. What was extracted before is written."""
    import asyncio
    import json

    from llmx.batch.documents import Listing, stream_docs
    from llmx.batch.run import extract_many
    from llmx.schema import PressRelease, RecordMeta

    files = make_files(tmp_path / "docs", 4)
    assert [doc.id for doc in stream_docs(Listing(files[:3], lambda: files[:3]))] == ["d00000", "d00001", "d00002"]
    with pytest.raises(InputError, match="changed"):
        list(stream_docs(Listing(files[:3], lambda: files)))
    with pytest.raises(InputError, match="changed"):
        list(stream_docs(Listing(files[:3], lambda: files[:2])))

    async def extractor(text: str, doc_id: str) -> PressRelease:
        await asyncio.sleep(0)
        return PressRelease(id=doc_id, issuer={"name": "Acme"}, meta=RecordMeta())

    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError, match="changed"):
        extract_many(Listing(files[:3], lambda: [files[0], files[1], files[3]]), out, extractor=extractor, progress=False, concurrency=1)
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["d00000", "d00001"]
