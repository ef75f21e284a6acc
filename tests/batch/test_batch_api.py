"""The OpenAI Batch API path against the loopback server: same requests, same records, re-asks, resume."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from support import minimal_instance, press_release, schema_responder

from llmx.options import ExtractOptions
from llmx.batch.documents import Doc, content_hash, errors_path_for
from llmx.batch.batch_api import DocRun, run_batch_api, state_path_for
from llmx.backends.openai.retry import RetryPolicy
from llmx.extraction.api import extract
from llmx.testing import Fault, Faults, request_schema, structured_reply

FAST = RetryPolicy(max_attempts=5, initial_backoff=0.001, max_backoff=0.01, jitter=0.0, max_retry_after=0.01)


def run(docs, out: Path, server, api_key: str, **options):
    options = {"model": "loopback-model", **options}
    return asyncio.run(
        run_batch_api(docs, out, base_url=server.base_url, api_key=api_key,
                      poll_interval=0.001, max_poll_interval=0.01, retry=FAST, progress=False, **options)
    )


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def batches_created(server) -> int:
    return sum(1 for r in server.http_log if r.method == "POST" and r.path == "/v1/batches")


def test_batch_request_is_exactly_the_live_request(loopback, make_backend):
    server = loopback(schema_responder)
    backend = make_backend(server, cache=False)
    text = press_release(11)
    live = extract(text, backend=backend, doc_id="pr", cache=False)
    sent = server.requests[-1].body

    run = DocRun(Doc(id="pr", text=text), text, backend, ExtractOptions(schema=type(live), cache=False))
    assert run.body == sent


def test_records_match_live_extraction(tmp_path, loopback, make_backend, api_key):
    server = loopback(schema_responder, batch_polls=3)
    docs = [(f"pr-{i}", press_release(i)) for i in range(12)]
    out = tmp_path / "out.jsonl"
    report = run(docs, out, server, api_key)

    assert (report.written, report.failed, report.outstanding) == (12, 0, [])
    assert batches_created(server) == 1 and server.count == 0
    backend = make_backend(server, cache=False)
    for record in lines(out):
        live = extract(dict(docs)[record["id"]], backend=backend, doc_id=record["id"], cache=False).model_dump(mode="json")
        for key in ("issuer", "tickers", "amounts", "companies", "date"):
            assert record[key] == live[key]
        assert record["meta"]["usage"]["calls"] == 1
    assert not state_path_for(out).exists()


def test_invalid_replies_are_reasked_in_a_second_round(tmp_path, loopback, api_key):
    seen: list[dict] = []

    def first_wrong(body):
        seen.append(body)
        reply = minimal_instance(request_schema(body))
        if len(body["messages"]) == 2:  # not yet re-asked: answer an amount id that does not exist
            reply["amounts"]["M9"] = {"kind": "other", "status": "actual", "payer": None, "payee": None}
        return structured_reply(reply)

    server = loopback(first_wrong)
    out = tmp_path / "out.jsonl"
    report = run([(f"pr-{i}", press_release(i)) for i in range(5)], out, server, api_key)

    assert report.written == 5 and batches_created(server) == 2
    for record in lines(out):
        assert record["meta"]["usage"]["reasks"] == 1 and record["meta"]["usage"]["calls"] == 2
        assert {a["kind"] for a in record["amounts"]} == {"upfront"}  # the re-asked reply's labels (first enum value)
    # The second round carried instructor's re-ask: the wrong reply plus the validation error.
    reasks = [body for body in seen if len(body["messages"]) > 2]
    assert len(reasks) == 5 and all("M9" in json.dumps(body["messages"][2:]) for body in reasks)


def test_grounded_reply_still_invalid_after_reasks_keeps_the_rules_labels(tmp_path, loopback, api_key):
    def always_wrong(body):
        reply = minimal_instance(request_schema(body))
        reply["amounts"]["M9"] = {"kind": "other", "status": "actual", "payer": None, "payee": None}
        return structured_reply(reply)

    server = loopback(always_wrong)
    out = tmp_path / "out.jsonl"
    report = run([("a", press_release(1))], out, server, api_key, max_reasks=1)
    [record] = lines(out)
    assert report.written == 1 and batches_created(server) == 2  # asked, re-asked once, then gave up
    assert record["meta"]["usage"]["calls"] == 2 and record["meta"]["usage"]["reasks"] == 1
    assert {a["text"] for a in record["amounts"]} == {"$6 million", "$20 million"}  # grounded values survive


def test_free_mode_reply_still_invalid_after_reasks_is_an_error(tmp_path, loopback, api_key):
    server = loopback(lambda body: structured_reply('"not an object"'))
    out = tmp_path / "out.jsonl"
    report = run([("a", press_release(1))], out, server, api_key, max_reasks=1, mode="free")
    [error] = lines(errors_path_for(out))
    assert (report.failed, report.written, error["id"], error["error_type"]) == (1, 0, "a", "ExtractionError")
    assert error["attempts"] == 2 and error["reasks"] == 1 and error["via"] == "batch_api"
    assert batches_created(server) == 2


def test_failed_lines_are_resent_then_reported(tmp_path, loopback, api_key):
    def flaky(body):
        if "Borealis Bio 1 " in json.dumps(body["messages"]):
            return Fault("server_error")
        return schema_responder(body)

    server = loopback(flaky)
    out = tmp_path / "out.jsonl"
    report = run([(f"pr-{i}", press_release(i)) for i in range(3)], out, server, api_key, max_line_retries=2)

    assert sorted(r["id"] for r in lines(out)) == ["pr-0", "pr-2"]
    [error] = lines(errors_path_for(out))
    assert error["id"] == "pr-1" and error["error_type"] == "BackendError" and "HTTP 500" in error["error"]
    assert batches_created(server) == 3  # first try + 2 resends
    assert report.outstanding == ["pr-1"]


def test_interrupted_run_collects_the_same_job(tmp_path, loopback, api_key):
    server = loopback(schema_responder, batch_polls=40)
    docs = [(f"pr-{i}", press_release(i)) for i in range(6)]
    out = tmp_path / "out.jsonl"

    async def interrupt_while_polling():
        task = asyncio.create_task(
            run_batch_api(docs, out, model="loopback-model", base_url=server.base_url, api_key=api_key,
                          poll_interval=0.005, max_poll_interval=0.005, retry=FAST, progress=False)
        )
        while not state_path_for(out).exists():
            await asyncio.sleep(0.005)
        task.cancel()
        return await task

    first = asyncio.run(interrupt_while_polling())
    assert first.interrupted and first.written == 0
    saved = json.loads(state_path_for(out).read_text())
    assert saved["batch_id"] and sorted(saved["docs"]) == sorted(d for d, _ in docs)

    second = run(docs, out, server, api_key)
    assert second.written == 6 and not second.interrupted
    assert batches_created(server) == 1  # the rerun polled the job it had, it did not pay twice
    assert sorted(r["id"] for r in lines(out)) == sorted(d for d, _ in docs)
    assert not state_path_for(out).exists()


def test_long_document_takes_one_round_per_chunk(tmp_path, loopback, api_key):
    server = loopback(schema_responder)
    filler = "The trial continues to enroll patients across many sites in several countries. " * 220
    text = press_release(2) + filler + "\nLater, Cobalt Pharma 2 also received a $9.5 million grant from a foundation.\n"
    out = tmp_path / "out.jsonl"
    report = run([("long", text), ("short", press_release(3))], out, server, api_key)

    assert report.written == 2 and batches_created(server) == 2
    record = {r["id"]: r for r in lines(out)}["long"]
    assert sorted(a["text"] for a in record["amounts"]) == ["$30 million", "$7 million", "$9.5 million"]
    assert all(text[a["span"][0] : a["span"][1]] == a["text"] for a in record["amounts"])
    assert record["meta"]["usage"]["calls"] == 2


def test_unreadable_documents_and_flaky_endpoints(tmp_path, loopback, api_key):
    faults = Faults(rate=0.3, seed=1, kinds=["server_error", "unavailable", "rate_limit"], endpoints=frozenset({"files", "batches"}))
    server = loopback(schema_responder, faults=faults)
    empty = tmp_path / "empty.txt"
    empty.write_text("   ")
    good = tmp_path / "good.txt"
    good.write_text(press_release(5))
    out = tmp_path / "out.jsonl"
    report = run([empty, good], out, server, api_key)

    assert report.written == 1 and report.failed == 1
    assert sum(server.faults_injected.values()) > 0  # the files/batches calls were retried through faults
    [error] = lines(errors_path_for(out))
    assert error["id"] == "empty" and error["error_type"] == "InputError"

    rerun = run([empty, good], out, server, api_key)
    assert (rerun.skipped, rerun.failed, rerun.written) == (1, 1, 0)


def test_a_saved_job_the_server_does_not_know_is_submitted_again(tmp_path, loopback, api_key):
    server = loopback(schema_responder)
    docs = [(f"pr-{i}", press_release(i)) for i in range(3)]
    out = tmp_path / "out.jsonl"
    run(docs[:1], tmp_path / "same-settings.jsonl", server, api_key)
    key = lines(tmp_path / "same-settings.jsonl")[0]["meta"]["run_key"]  # the saved job's replies belong to this key
    saved_docs = {d: {"content_hash": content_hash(t), "replies": [], "retries": 0} for d, t in docs}
    state_path_for(out).write_text(json.dumps({"batch_id": "batch-gone", "run_key": key, "docs": saved_docs}))

    report = run(docs, out, server, api_key)
    assert report.written == 3 and batches_created(server) == 2
    assert any(r.path == "/v1/batches/batch-gone" and r.status == 404 for r in server.http_log)


def test_changed_configuration_is_extracted_again_with_one_record_per_id(tmp_path, loopback, api_key):
    """The Batch API resumes like extract_many: (id, content hash, run key), then compaction."""
    server = loopback(schema_responder)
    docs = [(f"pr-{i}", press_release(i)) for i in range(3)]
    out = tmp_path / "out.jsonl"
    first = run(docs, out, server, api_key)
    first_keys = {r["meta"]["run_key"] for r in lines(out)}
    same = run(docs, out, server, api_key)
    assert (first.written, same.skipped, same.written, batches_created(server)) == (3, 3, 0, 1)

    other = run(docs, out, server, api_key, model="other-model")  # another model: another run key
    assert (other.written, other.skipped, batches_created(server)) == (3, 0, 2)
    records = lines(out)
    assert sorted(r["id"] for r in records) == ["pr-0", "pr-1", "pr-2"]  # compacted: never two records per id
    new_keys = {r["meta"]["run_key"] for r in records}
    assert len(first_keys) == len(new_keys) == 1 and first_keys != new_keys
    assert {r["meta"]["model"] for r in records} == {"other-model"}


def test_the_batch_api_and_extract_many_share_the_run_key(tmp_path, loopback, api_key):
    from llmx.batch.run import extract_many

    server = loopback(schema_responder)
    docs = [(f"pr-{i}", press_release(i)) for i in range(3)]
    out = tmp_path / "out.jsonl"
    extract_many(docs, out, backend="openai", model="loopback-model", base_url=server.base_url, api_key=api_key,
                 cache=False, progress=False)
    report = run(docs, out, server, api_key)
    assert (report.skipped, report.written, batches_created(server)) == (3, 0, 0)


def test_a_changed_document_that_fails_loses_its_old_record(tmp_path, loopback, api_key):
    def fails_on_edited(body):
        return Fault("server_error") if "edited" in json.dumps(body["messages"]) else schema_responder(body)

    server = loopback(fails_on_edited)
    paths = []
    for i in range(2):
        path = tmp_path / f"pr-{i}.txt"
        path.write_text(press_release(i))
        paths.append(path)
    out = tmp_path / "out.jsonl"
    run(paths, out, server, api_key)
    old_hash = content_hash(paths[0].read_text())
    paths[0].write_text(press_release(0) + "This release was edited.\n")
    report = run(paths, out, server, api_key, max_line_retries=0)

    assert [r["id"] for r in lines(out)] == ["pr-1"]  # no record for a text that is no longer the input
    assert report.removed == ["pr-0"] and report.outstanding == ["pr-0"]
    [error] = lines(errors_path_for(out))
    assert error["id"] == "pr-0" and error["removed_record"]["content_hash"] == old_hash
    assert any("old record removed" in line for line in report.summary_lines())


def test_a_saved_job_for_other_settings_is_not_collected(tmp_path, loopback, api_key):
    server = loopback(schema_responder)
    docs = [(f"pr-{i}", press_release(i)) for i in range(2)]
    out = tmp_path / "out.jsonl"
    saved_docs = {d: {"content_hash": content_hash(t), "replies": [], "retries": 0} for d, t in docs}
    state_path_for(out).write_text(json.dumps({"batch_id": "batch-old", "run_key": "another-model-key", "docs": saved_docs}))

    report = run(docs, out, server, api_key)
    assert report.written == 2 and batches_created(server) == 1
    assert not any(r.path == "/v1/batches/batch-old" for r in server.http_log)  # its replies answer other requests
