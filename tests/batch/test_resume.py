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
