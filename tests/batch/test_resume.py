"""Resume keyed by (id, content hash, run key) and compaction to one record per id (issue #16)."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import pytest

from llmx.batch.documents import content_hash, errors_path_for
from llmx.batch.run import extract_many
from llmx.schema import PressRelease, RecordMeta


class Extractor:
    """Records which ids it was asked for; the record's issuer is the text's first word."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def __call__(self, text: str, doc_id: str) -> PressRelease:
        self.calls.append(doc_id)
        await asyncio.sleep(0)
        return PressRelease(id=doc_id, issuer={"name": text.split()[0]}, meta=RecordMeta())


def make_docs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"pr-{i:03d}.txt"
        path.write_text(f"Company{i} announces deal {i}.\n")
        paths.append(path)
    return paths


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def run(paths, out, **settings) -> Extractor:
    extractor = Extractor()
    extract_many(paths, out, extractor=extractor, progress=False, **settings)
    return extractor


def test_changed_document_is_re_extracted_and_replaces_its_record(tmp_path):
    paths = make_docs(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    run(paths, out)
    paths[1].write_text("Edited announces another deal.\n")
    again = run(paths, out)
    assert again.calls == [paths[1].stem]
    records = lines(out)
    assert [r["id"] for r in records].count(paths[1].stem) == 1
    [edited] = [r for r in records if r["id"] == paths[1].stem]
    assert edited["issuer"]["name"] == "Edited"
    assert edited["meta"]["content_hash"] == content_hash("Edited announces another deal.\n")
    assert len(records) == 3


@pytest.mark.parametrize("change", [{"model": "model-b"}, {"template": "other-template"}, {"mode": "free"}, {"labels": "rules"}])
def test_changed_configuration_is_re_extracted(tmp_path, change):
    paths = make_docs(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    run(paths, out, model="model-a")
    same = run(paths, out, model="model-a")
    assert same.calls == []
    other = run(paths, out, **{"model": "model-a", **change})
    assert sorted(other.calls) == [p.stem for p in paths]
    records = lines(out)
    assert sorted(r["id"] for r in records) == [p.stem for p in paths]
    assert len({r["meta"]["run_key"] for r in records}) == 1


def test_resume_false_starts_over(tmp_path):
    paths = make_docs(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    run(paths, out)
    fresh = run(paths[:2], out, resume=False)
    assert sorted(fresh.calls) == [p.stem for p in paths[:2]]  # documents run concurrently: any order
    assert sorted(r["id"] for r in lines(out)) == [p.stem for p in paths[:2]]  # the third record is gone


def test_crash_before_compaction_then_rerun_resumes(tmp_path, monkeypatch):
    import llmx.batch.run as batch_run

    paths = make_docs(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    run(paths, out)
    paths[0].write_text("Edited announces another deal.\n")

    def crash(path, drop=()):
        raise KeyboardInterrupt("killed before compaction")

    monkeypatch.setattr(batch_run, "compact", crash, raising=False)
    with pytest.raises(KeyboardInterrupt):
        run(paths, out)
    with out.open("a") as handle:
        handle.write('{"id": "pr-002", "meta": {"content')  # and a line torn by the crash
    monkeypatch.undo()
    rerun = run(paths, out)
    assert rerun.calls == []  # the newest record of pr-000 was already on disk
    records = lines(out)
    assert sorted(r["id"] for r in records) == [p.stem for p in paths]
    [edited] = [r for r in records if r["id"] == paths[0].stem]
    assert edited["issuer"]["name"] == "Edited"


def test_document_changed_back_is_extracted_again(tmp_path):
    """Only the last record of an id counts: an older record with the same hash is stale."""
    paths = make_docs(tmp_path / "docs", 1)
    out = tmp_path / "out.jsonl"
    original = paths[0].read_text()
    run(paths, out)
    paths[0].write_text("Edited announces another deal.\n")
    run(paths, out)
    paths[0].write_text(original)
    back = run(paths, out)
    assert back.calls == [paths[0].stem]
    [record] = lines(out)
    assert record["meta"]["content_hash"] == content_hash(original)


def test_output_never_holds_two_records_for_one_id(tmp_path):
    paths = make_docs(tmp_path / "docs", 5)
    out = tmp_path / "out.jsonl"
    steps = [
        {}, {"model": "b"}, {"edit": 2}, {"model": "b", "edit": 4}, {"labels": "fallback"}, {"edit": 0}, {},
    ]
    for number, step in enumerate(steps):
        settings = dict(step)
        edit = settings.pop("edit", None)
        if edit is not None:
            paths[edit].write_text(f"Rewritten{number} announces deal {edit}.\n")
        run(paths, out, **settings)
        counts = Counter(r["id"] for r in lines(out))
        assert set(counts.values()) == {1}, (number, counts)
        assert sorted(counts) == [p.stem for p in paths]


def test_run_key_follows_every_setting_that_changes_a_record():
    from llmx.batch.resume import run_key
    from llmx.options import ExtractOptions
    from support import Deal

    base = ExtractOptions(backend="openai", model="m")
    variants = [
        base.replace(model="n"), base.replace(backend="local"), base.replace(mode="free"),
        base.replace(template="t.j2"), base.replace(labels="rules"), base.replace(schema=Deal, mode="free"),
    ]
    keys = {run_key(base)} | {run_key(options) for options in variants}
    assert len(keys) == len(variants) + 1
    assert run_key(base) == run_key(ExtractOptions(backend="openai", model="m", max_reasks=5))  # not part of the record


class FailingOn(Extractor):
    """An Extractor that raises for texts starting with `prefix` (a document that cannot be extracted now)."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    async def __call__(self, text: str, doc_id: str) -> PressRelease:
        if text.startswith(self.prefix):
            self.calls.append(doc_id)
            raise RuntimeError("the model server is down")
        return await super().__call__(text, doc_id)


@pytest.mark.parametrize("change", ["text", "configuration"])
def test_a_document_tried_again_that_fails_loses_its_old_record(tmp_path, change):
    """OUT never holds a record that no longer matches its input: the stale one goes, the error says so."""
    paths = make_docs(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    run(paths, out, model="model-a")
    old = {r["id"]: r["meta"] for r in lines(out)}
    if change == "text":
        paths[1].write_text("Broken announces another deal.\n")
        failing, settings = FailingOn("Broken"), {"model": "model-a"}
    else:
        failing, settings = FailingOn(paths[1].read_text()), {"model": "model-b"}
    report = extract_many(paths, out, extractor=failing, progress=False, **settings)

    records = lines(out)
    assert sorted(r["id"] for r in records) == [paths[0].stem, paths[2].stem]
    assert report.removed == [paths[1].stem] and report.outstanding == [paths[1].stem]
    [error] = lines(errors_path_for(out))
    assert error["removed_record"] == {"content_hash": old[paths[1].stem]["content_hash"], "run_key": old[paths[1].stem]["run_key"]}
    assert any(line.startswith("1 old record removed") for line in report.summary_lines())

    fixed = extract_many(paths, out, extractor=Extractor(), progress=False, **settings)  # extracted again, nothing else
    assert (fixed.written, fixed.skipped, fixed.resolved) == (1, 2, 1) and len(lines(out)) == 3
    later = extract_many(paths, out, extractor=Extractor(), progress=False, model="model-c")
    assert (later.written, later.resolved) == (3, 0)  # pr-001 had its record again: no earlier failure to fix


def test_a_new_document_that_fails_removes_nothing(tmp_path):
    paths = make_docs(tmp_path / "docs", 2)
    out = tmp_path / "out.jsonl"
    run(paths[:1], out)
    report = extract_many(paths, out, extractor=FailingOn(paths[1].read_text()), progress=False)
    assert report.removed == [] and [r["id"] for r in lines(out)] == [paths[0].stem]
    assert "removed_record" not in lines(errors_path_for(out))[0]


def _index(out: Path):
    from llmx.batch.journal import read_journal
    from llmx.batch.resume import ResumeIndex

    index = ResumeIndex(out)
    contents = read_journal(out, each=index.add)
    return index.seal(contents.bad_lines)


def test_the_resume_index_answers_as_last_keys_does(tmp_path):
    """The compact index (an id hash and a line offset per id) says what `last_keys` of the parsed lines says:
    the last resumable record of each id, a line written twice or one without a content hash included."""
    from llmx.batch.journal import read_journal
    from llmx.batch.resume import last_keys, resume_key

    out = tmp_path / "out.jsonl"
    rows = [
        {"id": "a", "meta": {"content_hash": "h1", "run_key": "k"}},
        {"id": "b", "meta": {"content_hash": "h2", "run_key": "k"}},
        {"id": "a", "meta": {"content_hash": "h3", "run_key": "k"}},  # a again, after a crash before compaction
        {"id": "c", "meta": {"content_hash": "h4"}},  # written before run keys
        {"id": "d"},  # nothing to resume from
        {"id": "b", "meta": {"content_hash": "h5", "run_key": "k2"}},
    ]
    out.write_text("".join(json.dumps(row) + "\n" for row in rows) + '{"id": "torn"')
    index = _index(out)
    expected = last_keys(read_journal(out, keep=resume_key).entries)
    assert expected == {("a", "h3", "k"), ("b", "h5", "k2"), ("c", "h4", None)}
    for key in expected:
        assert key in index and index.previous(key[0]) == key
    for key in [("a", "h1", "k"), ("b", "h2", "k"), ("b", "h5", "k"), ("d", None, None), ("e", "h", "k"), "a"]:
        assert key not in index
    assert index.previous("d") is None and len(index) == 3
    assert not index.tidy  # compaction has lines to drop
    index.close()


def test_a_compact_output_needs_no_compaction_and_is_not_rewritten(tmp_path):
    paths = make_docs(tmp_path / "docs", 4)
    out = tmp_path / "out.jsonl"
    run(paths, out)
    index = _index(out)
    assert index.tidy and len(index) == 4
    index.close()
    before = out.stat().st_mtime_ns, out.stat().st_ino
    again = run(paths, out)
    assert again.calls == [] and (out.stat().st_mtime_ns, out.stat().st_ino) == before


def test_the_resume_index_holds_no_key_per_record(tmp_path):
    """Traced memory held by the index of 300 and of 3,000 records, as a slope: 24-48 B per record (two 8-byte
    numbers per slot of a table one third to two thirds full), where the set of (id, hash, run key)
    triples `last_keys` makes, and the dict of them a run kept, hold ~0.4 kB per record."""
    import gc
    import tracemalloc

    held = {}
    for size in (300, 3000):
        out = tmp_path / f"out{size}.jsonl"
        out.write_text("".join(
            json.dumps({"id": f"doc-{i:05d}", "meta": {"content_hash": content_hash(str(i)), "run_key": "0123456789abcdef"}}) + "\n"
            for i in range(size)
        ))
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            index = _index(out)
            gc.collect()
            held[size] = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert ("doc-00007", content_hash("7"), "0123456789abcdef") in index
        index.close()
    per_record = (held[3000] - held[300]) / 2700
    assert per_record < 80, per_record


def test_compaction_runs_only_when_a_line_can_go(tmp_path, monkeypatch):
    """Compacting reads the whole output and keeps an offset per id: a run that appended only new ids to a
    compact output skips it; a re-extracted document (its old line must go) does not."""
    import llmx.batch.run as batch_run

    compacted = []
    real = batch_run.compact
    monkeypatch.setattr(batch_run, "compact", lambda path, drop=(): compacted.append(path) or real(path, drop))
    paths = make_docs(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    run(paths[:2], out)
    run(paths, out)  # one new id
    run(paths, out)  # nothing to do
    assert compacted == []
    paths[0].write_text("Edited announces another deal.\n")
    run(paths, out)
    assert compacted == [out] and [r["id"] for r in lines(out)].count(paths[0].stem) == 1
