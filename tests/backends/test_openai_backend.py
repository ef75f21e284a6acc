"""OpenAIBackend over real HTTP: openai SDK + instructor -> loopback server.

Covers both retry loops (transport retries and validation re-asks), usage accounting over every
attempt, error mapping, key redaction, and the async path.
"""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from pydantic import BaseModel, field_validator

from support import Deal

from llmx.errors import BackendError, ConfigError, ExtractionError
from llmx.backends.openai.backend import DEFAULT_MODEL, PLACEHOLDER_API_KEY, OpenAIBackend, default_mode
from llmx.backends.openai.retry import RetryPolicy
from llmx.testing import Fault, Faults, Scripted, last_user_message, structured_reply, text_reply, tool_call_reply

SOURCE = "Acme Corp will pay Beta Bio 25 million dollars upfront."
MODES = ["tools", "json_schema", "json", "md_json"]


def ask(backend: OpenAIBackend, text: str = SOURCE, **kwargs):
    messages = [{"role": "system", "content": "Extract the deal."}, {"role": "user", "content": text}]
    return backend.complete(messages, Deal, validation_context={"source": text}, **kwargs)


@pytest.fixture(params=["sync", "async"])
def path(request) -> str:
    """Which request path a test drives: `complete` (the SDK) or `acomplete` (llmx.backends.openai.http)."""
    return request.param


def ask_on(path: str, backend: OpenAIBackend, text: str = SOURCE, **kwargs):
    """`ask` through the synchronous or the asynchronous path."""
    if path == "sync":
        return ask(backend, text, **kwargs)
    messages = [{"role": "system", "content": "Extract the deal."}, {"role": "user", "content": text}]
    return asyncio.run(backend.acomplete(messages, Deal, validation_context={"source": text}, **kwargs))


def sent_messages(request) -> list[dict]:
    return request.body["messages"]


# -- happy paths -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_round_trips_a_structured_reply(path, loopback, make_backend, mode):
    server = loopback(lambda body: structured_reply({"payer": "Acme Corp", "amount": 25}))
    result = ask_on(path, make_backend(server, mode=mode))
    assert result.value == Deal(payer="Acme Corp", amount=25)
    assert json.loads(result.raw) == {"payer": "Acme Corp", "amount": 25}
    body = server.requests[0].body
    assert ("tools" in body) == (mode == "tools")
    if mode == "json_schema":
        assert body["response_format"]["json_schema"]["name"] == "Deal"


def test_usage_reports_the_servers_token_counts(loopback, make_backend):
    server = loopback(lambda body: tool_call_reply({"payer": "Acme Corp", "amount": 25}, prompt_tokens=120, completion_tokens=9))
    usage = ask(make_backend(server, mode="tools")).usage
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens, usage.retries, usage.reasks) == (1, 120, 9, 0, 0)
    assert usage.cached is False


@pytest.mark.parametrize("mode", MODES)
def test_document_text_reaches_the_server_verbatim(path, loopback, make_backend, mode):
    # instructor renders messages as Jinja templates (and dedents them) when given a context;
    # a press release must never be rewritten or crash the renderer.
    text = "  Acme {% raw %} pays {{ 25 }} million {# not a comment #}\n   \n\tend  25"
    server = loopback(lambda body: structured_reply({"payer": "Acme", "amount": 25}))
    ask_on(path, make_backend(server, mode=mode), text)
    user_texts = [m["content"] for m in sent_messages(server.requests[0]) if m["role"] == "user"]
    assert user_texts[0].startswith(text)


def test_parameters_are_sent(path, loopback, make_backend):
    server = loopback(lambda body: structured_reply({"payer": "Acme", "amount": 25}))
    ask_on(path, make_backend(server, temperature=0.3, max_tokens=256, extra_body={"top_k": 5}))
    body = server.requests[0].body
    assert (body["model"], body["temperature"], body["max_tokens"], body["top_k"]) == ("loopback-model", 0.3, 256, 5)


# -- re-asks (validation) --------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["tools", "json_schema"])
def test_malformed_json_is_reasked(loopback, make_backend, mode):
    server = loopback(Scripted([structured_reply('{"payer": "Acme", "amount": 2'), structured_reply({"payer": "Acme", "amount": 25})]))
    result = ask(make_backend(server, mode=mode))
    assert result.value.amount == 25
    assert (result.usage.calls, result.usage.reasks, result.usage.retries) == (2, 1, 0)
    reask = sent_messages(server.requests[1])
    assert len(reask) > len(sent_messages(server.requests[0]))
    assert "json" in reask[-1]["content"].lower() or "validation" in reask[-1]["content"].lower()


def test_amount_not_in_the_text_is_reasked_with_the_validator_message(loopback, make_backend):
    def responder(body):
        # A model that first invents an amount, then corrects itself once told why.
        corrected = any("not in the text" in str(m.get("content")) for m in body["messages"])
        return structured_reply({"payer": "Acme Corp", "amount": 25 if corrected else 30})

    server = loopback(responder)
    result = ask(make_backend(server, mode="tools"))
    assert result.value.amount == 25
    assert result.usage.reasks == 1
    feedback = sent_messages(server.requests[1])[-1]["content"]
    assert "amount 30 is not in the text" in feedback


def test_without_a_validation_context_the_validator_does_not_run(loopback, make_backend):
    server = loopback(lambda body: structured_reply({"payer": "Acme Corp", "amount": 30}))
    backend = make_backend(server)
    result = backend.complete([{"role": "user", "content": SOURCE}], Deal)
    assert result.value.amount == 30 and result.usage.reasks == 0


def test_exhausted_reasks_raise_extraction_error_with_errors_and_raw(loopback, make_backend):
    server = loopback(lambda body: structured_reply({"payer": "Acme Corp", "amount": 30}))
    with pytest.raises(ExtractionError, match="no valid Deal after 3 attempts") as caught:
        ask(make_backend(server, mode="tools"), max_reasks=2)
    error = caught.value
    assert server.count == 3
    assert error.errors[0]["loc"] == ("amount",)
    assert "amount 30 is not in the text" in error.errors[0]["msg"]
    assert json.loads(error.raw) == {"payer": "Acme Corp", "amount": 30}
    assert (error.usage.calls, error.usage.reasks) == (3, 2)


def test_zero_reasks_means_one_attempt(loopback, make_backend):
    server = loopback(lambda body: structured_reply({"payer": "Acme Corp", "amount": 30}))
    with pytest.raises(ExtractionError):
        ask(make_backend(server), max_reasks=0)
    assert server.count == 1
    with pytest.raises(ValueError, match="max_reasks"):
        ask(make_backend(server), max_reasks=-1)


def test_schema_invalid_reply_is_reasked_not_retried(loopback, make_backend):
    server = loopback(Scripted([Fault("schema_invalid"), structured_reply({"payer": "Acme", "amount": 25})]))
    usage = ask(make_backend(server)).usage
    assert (usage.reasks, usage.retries, usage.calls) == (1, 0, 2)


def test_reply_cut_off_at_max_tokens_is_an_extraction_error(loopback, make_backend):
    from llmx.testing import ChatReply

    server = loopback(lambda body: ChatReply('{"payer": "Ac', finish_reason="length"))
    with pytest.raises(ExtractionError, match="max_tokens"):
        ask(make_backend(server, mode="json_schema"))


def test_unparsable_replies_end_in_extraction_error(loopback, make_backend):
    server = loopback(lambda body: text_reply("Sorry, I cannot find any deal here."))
    with pytest.raises(ExtractionError, match="no usable Deal after 2 attempts") as caught:
        ask(make_backend(server, mode="tools"), max_reasks=1)
    assert caught.value.raw == "Sorry, I cannot find any deal here."
    assert caught.value.usage.reasks == 1


def test_bugs_in_user_validators_are_not_disguised_as_bad_replies(loopback, make_backend):
    class Buggy(BaseModel):
        amount: float

        @field_validator("amount")
        @classmethod
        def _broken(cls, value: float) -> float:
            raise TypeError("validator bug")

    server = loopback(lambda body: structured_reply({"amount": 1}))
    with pytest.raises(TypeError, match="validator bug"):
        make_backend(server).complete([{"role": "user", "content": "x"}], Buggy)
    assert server.count == 1  # not re-asked


def test_real_llmx_money_fields_are_reasked_against_the_source(loopback, make_backend):
    from llmx.schema import PressRelease
    from llmx.validation.checks import source_context

    text = "Acme (Nasdaq: ACME) will pay Beta Bio $25 million upfront."
    context = source_context(text)

    def responder(body):
        told = any("not in the text" in str(m.get("content")) for m in body["messages"])
        value = 25_000_000 if told else 27_000_000
        return structured_reply({"amounts": [{"value": value, "currency": "USD", "kind": "upfront"}]})

    server = loopback(responder)
    messages = [{"role": "user", "content": text}]
    result = make_backend(server, mode="tools").complete(messages, PressRelease, validation_context=context)
    assert [a.value for a in result.value.amounts] == [25_000_000]
    assert result.usage.reasks == 1
    assert "27000000" in sent_messages(server.requests[1])[-1]["content"]


# -- transport retries -----------------------------------------------------------------------


def test_429_honours_retry_after_and_counts_the_retry(path, loopback, make_backend, sleeps):
    server = loopback(Scripted([Fault("rate_limit", retry_after=3), structured_reply({"payer": "Acme", "amount": 25})]))
    result = ask_on(path, make_backend(server))
    assert result.value.amount == 25
    assert sleeps.waits == [3.0]
    assert (result.usage.calls, result.usage.retries, result.usage.reasks) == (2, 1, 0)


def test_retry_after_ms_takes_precedence_and_long_waits_are_capped(path, loopback, make_backend, sleeps, fast_retry):
    server = loopback(Scripted([
        Fault("rate_limit", retry_after=9, retry_after_ms=250),
        Fault("rate_limit", retry_after=3600),
        structured_reply({"payer": "Acme", "amount": 25}),
    ]))
    ask_on(path, make_backend(server))
    assert sleeps.waits == [0.25, fast_retry.max_retry_after]


def test_429_without_retry_after_backs_off_exponentially(path, loopback, make_backend, sleeps):
    server = loopback(Scripted([Fault("rate_limit_no_retry_after")] * 3 + [structured_reply({"payer": "Acme", "amount": 25})]))
    assert ask_on(path, make_backend(server)).usage.retries == 3
    assert sleeps.waits == [0.5, 1.0, 2.0]


def test_backoff_jitter_stays_within_bounds(loopback, make_backend, sleeps):
    policy = RetryPolicy(max_attempts=4, initial_backoff=0.5, max_backoff=1.0, jitter=0.25, sleep=sleeps)
    server = loopback(Scripted([Fault("server_error")] * 3 + [structured_reply({"payer": "Acme", "amount": 25})]))
    ask(make_backend(server, retry=policy))
    assert len(sleeps.waits) == 3
    assert 0.5 <= sleeps.waits[0] <= 0.75
    assert all(w <= 1.0 for w in sleeps.waits[1:])  # max_backoff caps base + jitter


@pytest.mark.parametrize(
    "fault",
    [
        Fault("server_error"),
        Fault("unavailable"),
        Fault("reset"),
        Fault("truncated"),
        Fault("empty_choices"),
        Fault("http_error", status=408, message="request timeout"),
    ],
    ids=lambda f: f.kind if f.kind != "http_error" else str(f.status),
)
def test_transient_faults_are_retried(path, loopback, make_backend, fault):
    server = loopback(Scripted([fault, fault, structured_reply({"payer": "Acme", "amount": 25})]))
    result = ask_on(path, make_backend(server))
    assert result.value.amount == 25
    assert (result.usage.calls, result.usage.retries, result.usage.reasks) == (3, 2, 0)
    assert server.faults_injected == {fault.kind: 2}


def test_a_reply_slower_than_the_timeout_is_retried(path, loopback, make_backend):
    server = loopback(Scripted([Fault("slow", delay=10), structured_reply({"payer": "Acme", "amount": 25})]))
    result = ask_on(path, make_backend(server, timeout=0.3))
    assert result.value.amount == 25
    assert result.usage.retries == 1


def test_retries_are_bounded_then_backend_error(path, loopback, make_backend, fast_retry):
    server = loopback(lambda body: Fault("unavailable"))
    with pytest.raises(BackendError, match=r"gave up after 4 attempts: HTTP 503") as caught:
        ask_on(path, make_backend(server))
    assert server.count == fast_retry.max_attempts
    assert caught.value.status_code == 503
    assert (caught.value.usage.calls, caught.value.usage.retries) == (4, 3)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_never_retried(path, loopback, make_backend, status, sleeps):
    server = loopback(lambda body: Fault("http_error", status=status, message="rejected"))
    with pytest.raises(BackendError, match=rf"rejected \(not retried\): HTTP {status}: rejected\. ") as caught:
        ask_on(path, make_backend(server))
    assert server.count == 1
    assert sleeps.waits == []
    assert caught.value.status_code == status


def test_retries_and_reasks_are_counted_separately(path, loopback, make_backend):
    server = loopback(Scripted([
        Fault("unavailable"),
        structured_reply({"payer": "Acme Corp", "amount": 30}),  # invalid -> re-ask
        Fault("reset"),
        Fault("rate_limit"),
        structured_reply({"payer": "Acme Corp", "amount": 25}),
    ]))
    result = ask_on(path, make_backend(server))
    assert result.value.amount == 25
    assert (result.usage.calls, result.usage.retries, result.usage.reasks) == (5, 3, 1)


def test_usage_is_summed_over_every_attempt(path, loopback, make_backend):
    server = loopback(Scripted([
        structured_reply({"payer": "Acme Corp", "amount": 30}),
        Fault("empty_choices"),  # reports usage although it is unusable
        Fault("server_error"),  # reports none
        structured_reply({"payer": "Acme Corp", "amount": 25}),
    ]))
    usage = ask_on(path, make_backend(server)).usage
    recorded = server.requests
    assert usage.calls == len(recorded) == 4
    assert usage.prompt_tokens == sum(r.prompt_tokens for r in recorded) > 0
    assert usage.completion_tokens == sum(r.completion_tokens for r in recorded) > 0
    assert recorded[1].prompt_tokens > 0 and recorded[2].prompt_tokens == 0


def test_backend_error_after_reasks_still_reports_the_reasks(path, loopback, make_backend):
    server = loopback(Scripted([structured_reply({"payer": "Acme Corp", "amount": 30})], repeat_last=False))
    with pytest.raises(BackendError) as caught:  # the re-ask hits the exhausted script: HTTP 400
        ask_on(path, make_backend(server))
    assert (caught.value.usage.calls, caught.value.usage.reasks) == (2, 1)


# -- secrets ---------------------------------------------------------------------------------


def test_api_key_never_appears_in_errors_logs_or_repr(path, loopback, make_backend, api_key, caplog):
    def leaky(body):  # a server that echoes the key back, as some proxies do
        return Fault("http_error", status=401, message=f"Incorrect API key provided: {api_key}")

    server = loopback(leaky)
    backend = make_backend(server)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BackendError) as caught:
        ask_on(path, backend)
    assert server.requests[0].headers["authorization"] == f"Bearer {api_key}"  # it was really sent
    error = caught.value
    assert "Incorrect API key provided: ***" in str(error)
    for text in (str(error), repr(error), repr(backend), caplog.text, str(error.__cause__), str(error.__context__)):
        assert api_key not in text


def test_url_credentials_are_redacted(path, loopback, make_backend):
    server = loopback(lambda body: Fault("http_error", status=403, message="user s3cr3t-pass denied"))
    url = server.base_url.replace("http://", "http://alice:s3cr3t-pass@")
    backend = OpenAIBackend("m", base_url=url, api_key="sk-other-key-123", retry=RetryPolicy(max_attempts=1))
    with pytest.raises(BackendError) as caught:
        ask_on(path, backend)
    assert "s3cr3t-pass" not in str(caught.value)
    assert "s3cr3t-pass" not in repr(backend) and "alice" not in backend.endpoint
    backend.close()


# -- configuration ---------------------------------------------------------------------------


def test_mode_defaults_to_tools_for_openai_and_json_schema_elsewhere():
    assert default_mode(None) == "tools"
    assert default_mode("https://api.openai.com/v1") == "tools"
    assert default_mode("http://localhost:8000/v1") == "json_schema"
    assert default_mode("http://127.0.0.1:11434/v1") == "json_schema"


def test_configuration_errors_are_clear(monkeypatch):
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        OpenAIBackend("gpt-4o-mini")
    with pytest.raises(ConfigError, match="unknown mode"):
        OpenAIBackend("m", base_url="http://localhost:1/v1", mode="xml")
    with pytest.raises(ConfigError, match="model name"):
        OpenAIBackend("", base_url="http://localhost:1/v1")


def test_environment_supplies_url_and_key(monkeypatch, loopback):
    server = loopback(lambda body: structured_reply({"payer": "Acme", "amount": 25}))
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-1234")
    backend = OpenAIBackend("m")
    assert backend.mode == "json_schema"
    assert ask(backend).value.amount == 25
    assert server.requests[0].headers["authorization"] == "Bearer sk-from-env-1234"
    backend.close()


def test_model_defaults_and_companion_clients(loopback, make_backend, api_key):
    server = loopback(lambda body: text_reply("hi"))
    backend = OpenAIBackend(base_url=server.base_url, api_key=api_key)
    assert backend.model == DEFAULT_MODEL
    client = backend.openai_client()  # e.g. for the Batch API on the same server
    client.chat.completions.create(model=backend.model, messages=[{"role": "user", "content": "x"}])
    assert server.requests[0].headers["authorization"] == f"Bearer {api_key}"
    assert client.max_retries == 0
    client.close()
    assert backend.redact(f"key={api_key}") == "key=***"
    backend.close()


def test_local_servers_get_a_placeholder_key(loopback):
    server = loopback(lambda body: structured_reply({"payer": "Acme", "amount": 25}))
    with OpenAIBackend("m", base_url=server.base_url) as backend:
        ask(backend)
    assert server.requests[0].headers["authorization"] == f"Bearer {PLACEHOLDER_API_KEY}"


# -- async -----------------------------------------------------------------------------------


def test_async_path_retries_and_reasks(loopback, make_backend, sleeps):
    server = loopback(Scripted([
        Fault("rate_limit", retry_after=2),
        structured_reply({"payer": "Acme Corp", "amount": 30}),
        structured_reply({"payer": "Acme Corp", "amount": 25}),
    ]))
    backend = make_backend(server)
    messages = [{"role": "user", "content": SOURCE}]
    result = asyncio.run(backend.acomplete(messages, Deal, validation_context={"source": SOURCE}))
    assert result.value.amount == 25
    assert (result.usage.calls, result.usage.retries, result.usage.reasks) == (3, 1, 1)
    assert sleeps.waits == [2.0]


def test_async_errors_match_the_sync_ones(loopback, make_backend):
    server = loopback(lambda body: Fault("http_error", status=404, message="no such model"))
    backend = make_backend(server)
    with pytest.raises(BackendError, match="no such model. Check the model name"):
        asyncio.run(backend.acomplete([{"role": "user", "content": SOURCE}], Deal))
    invalid = loopback(lambda body: structured_reply({"payer": "Acme Corp", "amount": 30}))
    with pytest.raises(ExtractionError) as caught:
        asyncio.run(make_backend(invalid).acomplete(
            [{"role": "user", "content": SOURCE}], Deal, validation_context={"source": SOURCE}, max_reasks=1
        ))
    assert caught.value.usage.calls == 2


def test_concurrent_async_requests_under_random_faults(loopback, make_backend):
    def responder(body):
        number = int(last_user_message(body).split()[-1])
        return structured_reply({"payer": f"payer {number}", "amount": number})

    faults = Faults(rate=0.3, seed=11, kinds=["rate_limit", "server_error", "unavailable", "reset", "truncated", "empty_choices"])
    server = loopback(responder, latency=0.01, faults=faults)
    backend = make_backend(server, retry=RetryPolicy(max_attempts=8, initial_backoff=0.001, max_backoff=0.01, jitter=0.0))

    async def run_all():
        return await asyncio.gather(*(
            backend.acomplete([{"role": "user", "content": f"deal {i}"}], Deal) for i in range(24)
        ))

    results = asyncio.run(run_all())
    assert [r.value.amount for r in results] == list(range(24))
    assert sum(r.usage.calls for r in results) == server.count
    assert sum(r.usage.retries for r in results) == sum(server.faults_injected.values()) > 0
    assert sum(r.usage.prompt_tokens for r in results) == sum(r.prompt_tokens for r in server.requests)


def test_one_backend_serves_several_event_loops(loopback, make_backend):
    server = loopback(lambda body: structured_reply({"payer": "Acme", "amount": 25}))
    backend = make_backend(server)
    for _ in range(2):  # a pooled async client from a closed loop must not be reused
        assert asyncio.run(backend.acomplete([{"role": "user", "content": SOURCE}], Deal)).value.amount == 25
    assert server.count == 2


def test_text_reply_without_a_tool_call_is_reasked_in_tools_mode(loopback, make_backend):
    server = loopback(Scripted([text_reply("I think it is 25"), structured_reply({"payer": "Acme", "amount": 25})]))
    result = ask(make_backend(server, mode="tools"))
    assert result.value.amount == 25 and result.usage.reasks == 1


# -- the asynchronous request path (llmx.backends.openai.http) -------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_async_path_sends_what_the_sdk_sends(loopback, make_backend, mode):
    server = loopback(Scripted([structured_reply({"payer": "Acme Corp", "amount": 30}), structured_reply({"payer": "Acme Corp", "amount": 25})] * 2))
    backend = make_backend(server, mode=mode, temperature=0.2, max_tokens=300, extra_body={"top_k": 3})
    sync_result, async_result = ask_on("sync", backend), ask_on("async", backend)
    assert sync_result.value == async_result.value and sync_result.usage == async_result.usage
    sync_requests, async_requests = server.requests[:2], server.requests[2:]
    for sent_sync, sent_async in zip(sync_requests, async_requests, strict=True):  # the request and its re-ask
        assert sent_async.path == sent_sync.path == "/v1/chat/completions"
        # identical but for the id the server gave each tool call (re-asks quote it back)
        assert same_ids(sent_async.body) == same_ids(sent_sync.body)
        for header in ("authorization", "content-type", "openai-project"):
            assert sent_async.headers.get(header) == sent_sync.headers.get(header)
        assert sent_async.headers["user-agent"] == "Async" + sent_sync.headers["user-agent"]  # as AsyncOpenAI sends


def same_ids(body: dict) -> str:
    import re

    return re.sub(r"call-loopback-\d+", "call-loopback-N", json.dumps(body, sort_keys=True))


def test_async_path_keeps_the_sdk_exception_types():
    import httpx2
    import openai

    from llmx.backends.openai.http import _status_error
    from llmx.backends.openai.retry import is_transient, retry_after_seconds

    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    gateway = _status_error(502, {"content-type": "text/html"}, b"<html>Bad gateway</html>", request)
    assert isinstance(gateway, openai.InternalServerError) and is_transient(gateway)
    assert gateway.message == "<html>Bad gateway</html>" and gateway.status_code == 502
    limited = _status_error(429, {"retry-after": "7"}, b'{"error": {"message": "slow down", "type": "rate_limit"}}', request)
    assert isinstance(limited, openai.RateLimitError) and retry_after_seconds(limited) == 7.0
    assert limited.body == {"message": "slow down", "type": "rate_limit"}
    for status, kind in ((400, openai.BadRequestError), (401, openai.AuthenticationError), (404, openai.NotFoundError), (418, openai.APIStatusError)):
        error = _status_error(status, {}, b"", request)
        assert type(error) is kind and not is_transient(error)


def test_replies_parse_through_from_response_where_instructor_is_laid_out_differently(loopback, make_backend, monkeypatch):
    from llmx.backends.openai import instructor_adapter

    monkeypatch.setattr(instructor_adapter, "reply_parser", lambda mode: None)  # as when instructor's v2 core moved
    server = loopback(Scripted([structured_reply({"payer": "Acme Corp", "amount": 30}), structured_reply({"payer": "Acme Corp", "amount": 25})]))
    result = ask(make_backend(server, mode="tools"))
    assert result.value == Deal(payer="Acme Corp", amount=25) and result.usage.reasks == 1


def test_async_path_uses_the_proxy_the_environment_names(monkeypatch):
    from llmx.backends.openai.http import ChatEndpoint

    async def endpoint_proxy(base_url: str) -> str | None:
        import openai

        sdk = openai.AsyncOpenAI(base_url=base_url, api_key="k")
        endpoint = ChatEndpoint(sdk, 5.0)
        await sdk.close()
        await endpoint.close()
        return endpoint.proxy

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert asyncio.run(endpoint_proxy("http://models.example/v1")) is None
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    assert asyncio.run(endpoint_proxy("http://models.example/v1")) == "http://proxy.example:3128"
    monkeypatch.setenv("NO_PROXY", "models.example")
    assert asyncio.run(endpoint_proxy("http://models.example/v1")) is None


def test_a_finished_request_leaves_no_cycle_for_the_garbage_collector(path, loopback, make_backend):
    """The retry controller and the reply it held are freed by reference counting (a batch's memory stays flat)."""
    import gc

    from openai.types.chat import ChatCompletion

    server = loopback(lambda body: structured_reply({"payer": "Acme Corp", "amount": 25}))
    backend = make_backend(server)
    ask_on(path, backend)  # connections and classes are built once, outside the count
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(3):
            ask_on(path, backend)
        gc.collect()
        left = sorted({type(o).__name__ for o in gc.garbage if type(o).__module__.startswith("tenacity") or isinstance(o, ChatCompletion)})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []


def test_the_async_endpoint_sends_the_headers_of_a_default_sdk_client(monkeypatch):
    """The SDK client that `_async_endpoint` reads headers from gets a client that never sends: same headers, URL, proxy."""
    import openai

    from llmx.backends.openai.http import ChatEndpoint

    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-1")
    backend = OpenAIBackend("m", base_url="http://user:pw@models.example/v1", api_key="sk-test-headers")

    async def both() -> tuple[ChatEndpoint, ChatEndpoint]:
        sdk = openai.AsyncOpenAI(api_key="sk-test-headers", base_url="http://user:pw@models.example/v1", timeout=60.0, max_retries=0)
        default = ChatEndpoint(sdk, 60.0)
        await sdk.close()
        ours = await backend._async_endpoint()
        await default.close()
        await backend.aclose()
        return default, ours

    default, ours = asyncio.run(both())
    assert ours._headers == default._headers and "OpenAI-Project" in ours._headers
    assert (ours.url, ours.proxy) == (default.url, default.proxy) == ("http://models.example/v1/chat/completions", "http://proxy.example:3128")


def test_the_first_async_attempt_runs_without_a_retry_controller_and_a_failure_hands_over_to_one(monkeypatch):
    """`RetryPolicy.acall`: no tenacity controller for a request that succeeds at once; after a transient
    failure the controller counts it as its first attempt (the same waits and on_retry calls as `call`)."""
    import httpx2
    import openai

    waits: list[float] = []

    async def no_async_sleep(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(max_attempts=3, initial_backoff=0.5, jitter=0, sleep=waits.append, async_sleep=no_async_sleep)
    built: list[str] = []
    original = RetryPolicy.async_retrying
    monkeypatch.setattr(RetryPolicy, "async_retrying", lambda self, on_retry=None: built.append("async") or original(self, on_retry))

    def failing(times: int, error: Exception):
        left = [times]

        async def send() -> str:
            if left[0]:
                left[0] -= 1
                raise error
            return "ok"

        return send

    assert asyncio.run(policy.acall(failing(0, ValueError()))) == "ok" and built == []
    transient = openai.APIConnectionError(request=httpx2.Request("POST", "http://x"))
    retried: dict[str, list[int]] = {"sync": [], "async": []}
    sync_send = failing(2, transient)
    assert policy.call(lambda: asyncio.run(sync_send()), on_retry=lambda state: retried["sync"].append(state.attempt_number)) == "ok"
    sync_waits = list(waits)
    waits.clear()
    assert asyncio.run(policy.acall(failing(2, transient), on_retry=lambda state: retried["async"].append(state.attempt_number))) == "ok"
    assert waits == sync_waits == [0.5, 1.0] and retried["async"] == retried["sync"] == [1, 2] and built == ["async"]
    waits.clear()
    with pytest.raises(openai.APIConnectionError):
        asyncio.run(policy.acall(failing(3, transient)))
    assert waits == [0.5, 1.0]
    with pytest.raises(ValueError):  # not transient: raised at once, no controller
        asyncio.run(policy.acall(failing(1, ValueError("bug"))))
    assert built == ["async", "async"]
