"""1,000 documents through the real openai + instructor path while 20% of calls fault: nothing is lost."""

from __future__ import annotations

import json
from collections import Counter

from support import RemoteLoopback, press_release, schema_responder

from llmx.batch.documents import errors_path_for
from llmx.batch.run import extract_many
from llmx.backends.openai.backend import OpenAIBackend
from llmx.backends.openai.retry import RetryPolicy
from llmx.testing import TRANSIENT_FAULTS, Fault, Faults

DOCS = 1000
MAX_ATTEMPTS = 3  # HTTP sends per instructor attempt
MAX_REASKS = 1  # instructor attempts per request = 1 + MAX_REASKS
ALL_FAULTS = [
    *TRANSIENT_FAULTS,
    "schema_invalid",
    Fault("slow", delay=2.5),  # longer than the client's timeout below
    Fault("http_error", status=400, message="injected bad request"),
]
TEXTS = {f"pr-{i:04d}": press_release(i) for i in range(DOCS)}


def test_every_document_is_accounted_for_under_faults(tmp_path, api_key):
    faults = Faults(rate=0.2, seed=7, kinds=ALL_FAULTS)
    with RemoteLoopback(schema_responder, faults=faults) as server:
        report, records, errors, stats = run(server, tmp_path, api_key)
    check(report, records, errors, stats)


def run(server, tmp_path, api_key):
    retry = RetryPolicy(max_attempts=MAX_ATTEMPTS, initial_backoff=0.001, max_backoff=0.005, jitter=0.0, max_retry_after=0.005)
    backend = OpenAIBackend("loopback-model", base_url=server.base_url, api_key=api_key, retry=retry, timeout=2.0, cache=False)
    out = tmp_path / "out.jsonl"
    report = extract_many(
        list(TEXTS.items()), out, backend=backend, max_reasks=MAX_REASKS, concurrency=64, progress=False
    )
    backend.close()
    records = [json.loads(line) for line in out.read_text().splitlines()]
    errors = [json.loads(line) for line in errors_path_for(out).read_text().splitlines()] if errors_path_for(out).exists() else []
    return report, records, errors, server.stats()


def check(report, records, errors, stats):
    record_ids = [r["id"] for r in records]
    error_ids = [e["id"] for e in errors]

    # Every document is accounted for exactly once: a record or an error entry, never both, never twice.
    assert len(record_ids) == len(set(record_ids))
    assert len(error_ids) == len(set(error_ids))
    assert set(record_ids).isdisjoint(error_ids)
    assert set(record_ids) | set(error_ids) == set(TEXTS)
    assert (report.written, report.failed) == (len(records), len(errors))

    # Faults really happened, of every kind, and most documents still came through.
    injected = stats["faults"]
    assert set(injected) == {f if isinstance(f, str) else f.kind for f in ALL_FAULTS}
    assert sum(injected.values()) > 0.15 * stats["count"]
    assert len(records) > 0.9 * DOCS
    assert report.retries > 0 and report.reasks > 0

    # Failures say why; only non-retryable or exhausted faults end a document.
    reasons = Counter(e["error_type"] for e in errors)
    assert set(reasons) <= {"BackendError", "ExtractionError"}
    assert all(e["attempts"] >= 1 and e["error"] for e in errors)

    # Retries are bounded: at most MAX_ATTEMPTS sends per instructor attempt, (1 + MAX_REASKS) attempts.
    # Every request the server saw is counted in some record's or error's usage (the client may
    # count a few more: sends that died on a connection the server had already dropped).
    assert stats["count"] <= report.calls <= DOCS * MAX_ATTEMPTS * (1 + MAX_REASKS)
    assert report.calls > DOCS  # the faults cost extra requests
    assert stats["errors"] == []

    # The records are right, not just present: values and spans come from each document's text.
    for record in records:
        text = TEXTS[record["id"]]
        assert record["meta"]["content_hash"] and record["issuer"]["ticker"] == text.split("Nasdaq: ")[1][:4]
        for amount in record["amounts"]:
            start, end = amount["span"]
            assert text[start:end] == amount["text"]
        assert {a["value"] for a in record["amounts"]} == {
            float(text.split("pay $")[1].split(" million")[0]) * 1e6,
            float(text.split("up to $")[1].split(" million")[0]) * 1e6,
        }

