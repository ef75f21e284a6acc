"""Extraction on a local Ray instance (two actor processes, bound to 127.0.0.1): the same records
as `extract_many`, every document once under faults, and a killed driver resumed without duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="the llmx[ray] extra is not installed")

from support import RemoteLoopback, press_release, schema_responder  # noqa: E402

import llmx.ray as llmx_ray  # noqa: E402
from llmx.batch.documents import errors_path_for  # noqa: E402
from llmx.batch.run import extract_many  # noqa: E402
from llmx.errors import ConfigError  # noqa: E402
from llmx.options import ExtractOptions  # noqa: E402
from llmx.backends.openai.backend import OpenAIBackend  # noqa: E402
from llmx.backends.openai.retry import RetryPolicy  # noqa: E402
from llmx.testing import TRANSIENT_FAULTS, Faults  # noqa: E402

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "press_releases" / "docs"
DOCS = 500
FAST_RETRY = RetryPolicy(max_attempts=3, initial_backoff=0.001, max_backoff=0.005, jitter=0.0, max_retry_after=0.005)


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray for the module: two CPUs, loopback only, no usage statistics."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    llmx_ray.init_local(num_cpus=2)
    yield
    ray.shutdown()


def corpus_files(tmp_path: Path, count: int) -> Path:
    """`count` real releases when ../shared is there, else generated ones (same checks either way)."""
    folder = tmp_path / "in"
    folder.mkdir()
    real = sorted(CORPUS.glob("*.txt"))[:count] if CORPUS.is_dir() else []
    for i in range(count):
        text = real[i].read_text(encoding="utf-8") if i < len(real) else press_release(i)
        (folder / f"d{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def without_timing(entry: dict) -> dict:
    entry = json.loads(json.dumps(entry))
    entry.get("meta", {}).pop("latency_s", None)
    return entry


def test_arrow_types_follow_the_record_schema():
    import pyarrow as pa

    from llmx.schema import PressRelease

    schema = llmx_ray.output_schema(PressRelease)
    amount = schema.field("amounts").type.value_type
    assert amount.field("value").type == pa.float64()
    assert amount.field("span").type == pa.list_(pa.int64())
    meta = schema.field("meta").type
    assert meta.field("usage").type.field("calls").type == pa.int64()
    assert meta.field("extra").type == pa.string()  # a free-form dict: JSON text
    assert schema.names[:2] == ["id", "content_hash"] and schema.names[-2:] == ["record", "error"]


def test_bad_settings_fail_before_any_ray_work():
    with pytest.raises(TypeError, match="unknown extraction setting"):
        llmx_ray.extract_dataset(None, bogus=1)  # type: ignore[arg-type, call-arg]
    with pytest.raises(ConfigError, match="max_reasks"):
        llmx_ray.extract_dataset(None, options=ExtractOptions(backend="rules"), max_reasks=-1)  # type: ignore[arg-type]


def test_rules_records_equal_extract_many(tmp_path, local_ray):
    folder = corpus_files(tmp_path, DOCS)
    reference = tmp_path / "reference.jsonl"
    report = extract_many(sorted(folder.iterdir()), reference, backend="rules", progress=False)
    assert report.written == DOCS

    counts = llmx_ray.extract_to([folder], tmp_path / "ray", backend="rules", concurrency=2, num_cpus=0.5)
    assert counts == {"documents": DOCS, "skipped": 0, "records": DOCS, "errors": 0, "removed": 0}
    records, errors = llmx_ray.read_output(tmp_path / "ray")
    assert not errors
    expected = {e["id"]: without_timing(e) for e in map(json.loads, reference.read_text().splitlines())}
    got = {row["id"]: without_timing(json.loads(row["record"])) for row in records}
    assert got == expected
    # The typed columns hold the same values as the JSON record.
    row = next(r for r in records if json.loads(r["record"])["amounts"])
    assert [a["value"] for a in row["amounts"]] == [a["value"] for a in json.loads(row["record"])["amounts"]]

    # The same settings as one ExtractOptions are the same configuration: the rerun reuses every record.
    again = llmx_ray.extract_to([folder], tmp_path / "ray", options=ExtractOptions(backend="rules"), concurrency=2, num_cpus=0.5)
    assert again == {"documents": DOCS, "skipped": DOCS, "records": DOCS, "errors": 0, "removed": 0}
    # ... and a setting changed in the ExtractOptions is a new configuration: nothing is reused.
    changed = llmx_ray.extract_to(
        [folder], tmp_path / "ray", options=ExtractOptions(backend="rules", keep_invalid=True), concurrency=2, num_cpus=0.5,
    )
    assert changed == {"documents": DOCS, "skipped": 0, "records": DOCS, "errors": 0, "removed": 0}


def test_faults_every_document_once(tmp_path, local_ray, api_key):
    texts = [(f"pr-{i:04d}", press_release(i)) for i in range(DOCS)]
    faults = Faults(rate=0.2, seed=11, kinds=[*TRANSIENT_FAULTS, "schema_invalid"])
    with RemoteLoopback(schema_responder, faults=faults) as server:
        backend = OpenAIBackend("loopback-model", base_url=server.base_url, api_key=api_key, retry=FAST_RETRY, timeout=2.0, cache=False)
        ds = ray.data.from_items([{"id": i, "text": t} for i, t in texts]).repartition(10)
        rows = llmx_ray.extract_dataset(ds, backend=backend, max_reasks=1, concurrency=2, num_cpus=0.5).take_all()
        reference = tmp_path / "reference.jsonl"
        extract_many(texts, reference, backend=backend, max_reasks=1, concurrency=16, progress=False)
        backend.close()
        injected = server.stats()["faults"]
    assert sum(injected.values()) >= 0.1 * DOCS  # faults really happened

    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == DOCS  # every document once: a record or an error
    records = {row["id"]: json.loads(row["record"]) for row in rows if row["error"] is None}
    errors = [json.loads(row["error"]) for row in rows if row["error"] is not None]
    assert len(records) >= 0.9 * DOCS
    assert all(e["error_type"] for e in errors) and not any(api_key in json.dumps(e) for e in errors)
    # Usage is counted per record, retries included.
    assert sum(r["meta"]["usage"]["retries"] for r in records.values()) > 0
    expected = {e["id"]: e for e in map(json.loads, reference.read_text().splitlines())}
    # A reply that stayed invalid leaves its slots to the rules (meta.extra.model_errors), which
    # depends on which requests faulted; every document answered cleanly in both runs must agree.
    clean = {i for i, r in records.items() if not r["meta"]["extra"].get("model_errors")}
    both = clean & {i for i, r in expected.items() if not r["meta"]["extra"].get("model_errors")}
    assert len(both) >= 0.7 * DOCS
    for doc_id in both:
        got, want = without_timing(records[doc_id]), without_timing(expected[doc_id])
        for entry in (got, want):  # how many attempts a document needed depends on which requests faulted
            entry["meta"].pop("usage")
        assert got == want


def start_cli(docs: Path, out: Path, base_url: str, api_key: str) -> subprocess.Popen[str]:
    command = [
        sys.executable, "-m", "llmx.cli", "extract", str(docs), "-o", str(out), "--engine", "ray",
        "--backend", "openai", "--model", "loopback-model", "--base-url", base_url, "--no-cache", "-j", "8",
    ]
    env = {**os.environ, "OPENAI_API_KEY": api_key, "RAY_USAGE_STATS_ENABLED": "0"}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_killed_driver_then_rerun_completes_without_duplicates(tmp_path, api_key):
    folder = corpus_files(tmp_path, 300)
    out = tmp_path / "out"
    with RemoteLoopback(schema_responder, latency=0.05) as server:
        process = start_cli(folder, out, server.base_url, api_key)
        try:
            deadline = time.monotonic() + 180
            while not (out.is_dir() and any(p.suffix == ".parquet" for p in out.iterdir())):
                assert process.poll() is None, f"finished before it could be killed: {process.stderr.read()}"
                assert time.monotonic() < deadline, "no output file appeared"
                time.sleep(0.05)
            os.killpg(process.pid, signal.SIGKILL)  # the driver and everything it started
            process.wait()
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        partial, _ = llmx_ray.read_output(out)
        assert 0 < len(partial) < 300

        rerun = start_cli(folder, out, server.base_url, api_key)
        _, stderr = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, stderr
    assert "already done" in stderr
    records, errors = llmx_ray.read_output(out, columns=["id", "error"])
    assert not errors
    assert sorted(r["id"] for r in records) == sorted(p.stem for p in folder.iterdir())
    import pyarrow.parquet as pq

    raw_ids = [i for p in out.glob("*.parquet") for i in pq.read_table(p, columns=["id"]).column("id").to_pylist()]
    assert len(raw_ids) == len(set(raw_ids)) == 300  # no document has two records in the files
    assert not errors_path_for(out).exists()
