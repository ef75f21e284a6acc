"""The loopback server, exercised with the real openai SDK over real HTTP."""

from __future__ import annotations

import io
import json
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import openai
import pytest

from llmx.testing import (
    Fault,
    Faults,
    LoopbackServer,
    ResponderError,
    Scripted,
    json_reply,
    last_user_message,
    request_schema,
    structured_reply,
    text_reply,
    tool_call_reply,
)

TOOLS = [{"type": "function", "function": {"name": "Deal", "parameters": {"type": "object", "properties": {"x": {"type": "integer"}}}}}]


_clients: weakref.WeakKeyDictionary[LoopbackServer, openai.OpenAI] = weakref.WeakKeyDictionary()


def client(server: LoopbackServer, **options) -> openai.OpenAI:
    """One SDK client per server (building one costs ~0.1 s of TLS setup), no SDK retries."""
    if options:
        return openai.OpenAI(base_url=server.base_url, api_key="sk-loopback", max_retries=0, **options)
    if server not in _clients:
        _clients[server] = openai.OpenAI(base_url=server.base_url, api_key="sk-loopback", max_retries=0)
    return _clients[server]


def ask(server: LoopbackServer, content: str = "hello", **kwargs):
    return client(server).chat.completions.create(model="m", messages=[{"role": "user", "content": content}], **kwargs)


def test_tool_call_reply_is_a_parsable_completion_with_usage(loopback):
    server = loopback(lambda body: tool_call_reply({"x": 1}, prompt_tokens=11, completion_tokens=3))
    completion = ask(server, tools=TOOLS, tool_choice={"type": "function", "function": {"name": "Deal"}})
    call = completion.choices[0].message.tool_calls[0]
    assert call.function.name == "Deal"  # taken from the request's tool_choice
    assert json.loads(call.function.arguments) == {"x": 1}
    assert completion.choices[0].finish_reason == "tool_calls"
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (11, 3)
    recorded = server.requests[0]
    assert (recorded.prompt_tokens, recorded.completion_tokens) == (11, 3)
    assert recorded.headers["authorization"] == "Bearer sk-loopback"


def test_structured_reply_follows_the_request_shape(loopback):
    server = loopback(lambda body: structured_reply({"x": 2}))
    as_tool = ask(server, tools=TOOLS)
    as_text = ask(server)
    assert json.loads(as_tool.choices[0].message.tool_calls[0].function.arguments) == {"x": 2}
    assert as_tool.choices[0].message.content is None
    assert json.loads(as_text.choices[0].message.content) == {"x": 2}
    assert as_text.choices[0].message.tool_calls is None


def test_default_usage_is_a_deterministic_estimate_of_the_request_and_reply(loopback):
    server = loopback(lambda body: json_reply({"answer": "y" * 40}))
    short, long = ask(server, "a"), ask(server, "a" * 400)
    assert long.usage.prompt_tokens - short.usage.prompt_tokens == 100  # 399 more characters, ~4 per token
    assert short.usage.completion_tokens == long.usage.completion_tokens > 10
    assert [r.prompt_tokens for r in server.requests] == [short.usage.prompt_tokens, long.usage.prompt_tokens]


def test_responders_can_answer_by_content(loopback):
    def responder(body):
        schema = request_schema(body) or {}
        return text_reply(f"{last_user_message(body).upper()} keys={sorted(schema.get('properties', {}))}")

    server = loopback(responder)
    assert ask(server, "acme").choices[0].message.content == "ACME keys=[]"
    assert ask(server, "bio", tools=TOOLS).choices[0].message.content == "BIO keys=['x']"


def test_scripted_replies_come_in_order_then_a_clear_400(loopback):
    script = Scripted([text_reply("one"), "two", lambda body: text_reply(last_user_message(body))])
    server = loopback(script)
    assert [ask(server, "three").choices[0].message.content for _ in range(3)] == ["one", "two", "three"]
    assert script.remaining == 0
    with pytest.raises(openai.BadRequestError, match="script exhausted after 3 replies"):
        ask(server)


def test_repeat_last_keeps_answering(loopback):
    server = loopback(Scripted([text_reply("a"), text_reply("b")], repeat_last=True))
    assert [ask(server).choices[0].message.content for _ in range(4)] == ["a", "b", "b", "b"]


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        (Fault("rate_limit", retry_after=7), openai.RateLimitError, 429),
        (Fault("rate_limit_no_retry_after"), openai.RateLimitError, 429),
        (Fault("server_error"), openai.InternalServerError, 500),
        (Fault("unavailable"), openai.InternalServerError, 503),
        (Fault("http_error", status=404, message="no such model"), openai.NotFoundError, 404),
        (Fault("reset"), openai.APIConnectionError, None),
        (Fault("truncated"), json.JSONDecodeError, 200),
    ],
)
def test_scripted_faults_reach_the_client_as_the_real_errors(loopback, fault, error, status):
    server = loopback(Scripted([fault, text_reply("recovered")]))
    with pytest.raises(error) as caught:
        ask(server)
    if status is not None and status != 200:
        assert caught.value.status_code == status
    assert ask(server).choices[0].message.content == "recovered"  # the server carries on
    assert server.faults_injected == {fault.kind: 1}
    assert [r.status for r in server.requests] == [status, 200]


def test_rate_limit_sends_retry_after_headers(loopback):
    server = loopback(Scripted([Fault("rate_limit", retry_after=2.5, retry_after_ms=2500)]))
    with pytest.raises(openai.RateLimitError) as caught:
        ask(server)
    headers = caught.value.response.headers
    assert headers["retry-after"] == "2.5"
    assert headers["retry-after-ms"] == "2500"


def test_slow_reply_times_the_client_out(loopback):
    server = loopback(Scripted([Fault("slow", delay=5.0), text_reply("fast again")]))
    with pytest.raises(openai.APITimeoutError):
        client(server, timeout=0.2).chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert ask(server).choices[0].message.content == "fast again"
    assert server.faults_injected == {"slow": 1}


def test_reply_faults_are_well_formed_http(loopback):
    server = loopback(Scripted([Fault("empty_choices"), Fault("schema_invalid")]))
    assert ask(server).choices == []
    assert json.loads(ask(server).choices[0].message.content) == "not an object"


def test_random_faults_are_reproducible_for_a_seed(loopback):
    def run(seed: int) -> list[str | None]:
        server = loopback(lambda body: text_reply("ok"), faults=Faults(rate=0.5, seed=seed, kinds=["server_error", "unavailable"]))
        for _ in range(40):
            try:
                ask(server)
            except openai.InternalServerError:
                pass
        return [r.fault for r in server.requests]

    first, again, other = run(7), run(7), run(8)
    assert first == again
    assert first != other
    assert 8 <= sum(f is not None for f in first) <= 32  # about half of 40
    assert set(first) == {None, "server_error", "unavailable"}


def test_fault_counts_match_the_recorded_requests(loopback):
    server = loopback(lambda body: text_reply("ok"), faults=Faults(rate=0.3, seed=1, kinds=["server_error", "rate_limit"]))
    for _ in range(30):
        try:
            ask(server)
        except openai.APIStatusError:
            pass
    recorded = [r.fault for r in server.requests if r.fault]
    assert server.faults_injected == {kind: recorded.count(kind) for kind in set(recorded)}
    assert server.count == 30


def test_faults_validate_their_arguments():
    with pytest.raises(ValueError, match="between 0 and 1"):
        Faults(rate=1.5)
    with pytest.raises(ValueError, match="at least one"):
        Scripted([])


def test_serves_32_requests_concurrently(loopback):
    # Every responder call waits until 32 are in flight at once; a server that handled requests
    # one at a time would break the barrier (its timeout only guards against hanging forever).
    barrier = threading.Barrier(32, timeout=20)

    def responder(body):
        barrier.wait()
        return text_reply(last_user_message(body))

    server = loopback(responder, latency=0.05)
    shared = client(server)
    with ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(
            lambda i: shared.chat.completions.create(model="m", messages=[{"role": "user", "content": str(i)}]),
            range(32),
        ))
    assert [a.choices[0].message.content for a in answers] == [str(i) for i in range(32)]
    assert server.count == 32


def test_responder_bugs_fail_loudly_instead_of_being_retried():
    def broken(body):
        raise KeyError("oops")

    with pytest.raises(ResponderError, match="oops"):
        with LoopbackServer(broken) as server:
            with pytest.raises(openai.BadRequestError, match="responder raised"):
                ask(server)


def test_base_url_needs_a_running_server():
    server = LoopbackServer(lambda body: text_reply("x"))
    with pytest.raises(RuntimeError, match="not running"):
        server.base_url
    with server:
        assert server.base_url.startswith("http://127.0.0.1:") and server.base_url.endswith("/v1")


def test_unknown_routes_are_404(loopback):
    server = loopback(lambda body: text_reply("x"))
    with pytest.raises(openai.NotFoundError, match="no route"):
        client(server).models.list()


# -- Batch API ------------------------------------------------------------------------------


def batch_input(*custom_ids: str) -> bytes:
    lines = [
        {"custom_id": cid, "method": "POST", "url": "/v1/chat/completions",
         "body": {"model": "m", "messages": [{"role": "user", "content": f"doc {cid}"}]}}
        for cid in custom_ids
    ]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def test_batch_lifecycle_answers_every_line(loopback):
    def responder(body):
        if last_user_message(body) == "doc bad":
            return Fault("server_error")
        return json_reply({"echo": last_user_message(body)})

    server = loopback(responder, batch_polls=2)
    api = client(server)
    upload = api.files.create(file=("in.jsonl", io.BytesIO(batch_input("a", "b", "bad"))), purpose="batch")
    assert upload.purpose == "batch" and upload.bytes == len(batch_input("a", "b", "bad"))
    assert server.file_content(upload.id) == batch_input("a", "b", "bad")

    batch = api.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
    statuses = [batch.status] + [api.batches.retrieve(batch.id).status for _ in range(5)]
    assert statuses == ["validating", "validating", "in_progress", "in_progress", "completed", "completed"]

    done = api.batches.retrieve(batch.id)
    assert (done.request_counts.total, done.request_counts.completed, done.request_counts.failed) == (3, 2, 1)
    output = [json.loads(line) for line in api.files.content(done.output_file_id).text.splitlines()]
    assert {row["custom_id"] for row in output} == {"a", "b"}
    for row in output:
        assert row["error"] is None and row["response"]["status_code"] == 200
        content = row["response"]["body"]["choices"][0]["message"]["content"]
        assert json.loads(content) == {"echo": f"doc {row['custom_id']}"}
    errors = [json.loads(line) for line in api.files.content(done.error_file_id).text.splitlines()]
    assert [(e["custom_id"], e["response"]["status_code"]) for e in errors] == [("bad", 500)]


def test_batch_with_an_invalid_line_fails_with_errors(loopback):
    server = loopback(lambda body: text_reply("x"))
    api = client(server)
    upload = api.files.create(file=("in.jsonl", io.BytesIO(batch_input("a", "a") + b"not json\n")), purpose="batch")
    batch = api.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
    for _ in range(3):
        batch = api.batches.retrieve(batch.id)
    assert batch.status == "failed"
    assert sorted(e.code for e in batch.errors.data) == ["duplicate_custom_id", "invalid_json_line"]


def test_batch_can_be_cancelled(loopback):
    server = loopback(lambda body: text_reply("x"))
    api = client(server)
    upload = api.files.create(file=("in.jsonl", io.BytesIO(batch_input("a"))), purpose="batch")
    batch = api.batches.create(input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h")
    assert api.batches.cancel(batch.id).status == "cancelling"
    assert api.batches.retrieve(batch.id).status == "cancelled"


def test_batch_errors_for_unknown_ids(loopback):
    server = loopback(lambda body: text_reply("x"))
    api = client(server)
    with pytest.raises(openai.BadRequestError, match="was not uploaded"):
        api.batches.create(input_file_id="file-nope", endpoint="/v1/chat/completions", completion_window="24h")
    with pytest.raises(openai.NotFoundError):
        api.batches.retrieve("batch-nope")
    with pytest.raises(openai.NotFoundError):
        api.files.content("file-nope")


def test_faults_can_target_batch_endpoints(loopback):
    server = loopback(lambda body: text_reply("x"), faults=Faults(rate=1.0, seed=0, kinds=["unavailable"], endpoints=frozenset({"files"})))
    api = client(server)
    with pytest.raises(openai.InternalServerError):
        api.files.create(file=("in.jsonl", io.BytesIO(batch_input("a"))), purpose="batch")
    assert ask(server).choices[0].message.content == "x"  # chat is not targeted
    assert server.faults_injected == {"unavailable": 1}
