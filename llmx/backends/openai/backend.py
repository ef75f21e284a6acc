"""The OpenAI-compatible HTTP backend: instructor's structured-output loop over the openai protocol.

Works with api.openai.com and with any OpenAI-compatible server (vLLM, Ollama, llama.cpp,
`llmx.testing.LoopbackServer`). Two retry loops are nested and counted separately:

* instructor's re-ask loop (`max_reasks`) sends validation errors back to the model;
* inside every instructor attempt, `RetryPolicy` (tenacity) repeats the *same* HTTP request on
  transport failures (429, 5xx, timeouts, resets, cut-off bodies).

`StructuredCall` is instructor's loop taken one reply at a time: instructor shapes the request
for the mode, parses and validates each reply and writes the re-ask messages; llmx sends the
requests. The synchronous path sends with the SDK's `chat.completions.create`, the asynchronous
path with `llmx.backends.openai.http` (aiohttp; the same body, headers and exceptions, without the SDK's
per-call overhead), and the Batch API through batch files. Seeing every HTTP reply lets `Usage`
sum tokens over all attempts. The SDK's own retries are disabled (`max_retries=0`) so that there
is exactly one retry policy."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError, create_model
from tenacity import RetryCallState

from llmx._secrets import Redactor, url_secrets
from llmx.errors import BackendError, ConfigError, ExtractionError
from llmx.backends.base import Backend, Completion
from llmx.backends.cache import ResponseCache, cache_key, public_url, resolve_cache
from llmx.backends.openai.dialects import DialectNegotiator, default_dialect, is_dialect_rejection, response_format
from llmx.backends.openai.http import ChatEndpoint, headers_only_http_client
from llmx.backends.openai.instructor_adapter import (
    MODES,
    REPLY_FAILURES,
    IncompleteOutputException,
    OpenAISchema,
    parse_reply,
    plain_request_for,
    reask_kwargs,
    reject_async_validators,
    reply_parser,
    request_for,
)
from llmx.backends.openai.retry import MalformedReply, RetryPolicy, is_transient
from llmx.schema import Usage

log = logging.getLogger(__name__)
# instructor logs every failed attempt at ERROR without a handler of its own, so Python's
# last-resort handler would print them on stderr next to the exception llmx raises anyway.
# A NullHandler keeps them out of unconfigured apps; configured logging still receives them.
logging.getLogger("instructor").addHandler(logging.NullHandler())

T = TypeVar("T", bound=BaseModel)

OPENAI_HOST = "api.openai.com"
DEFAULT_MODEL = "gpt-4o-mini"
# Local OpenAI-compatible servers rarely need a key but the SDK insists on one.
PLACEHOLDER_API_KEY = "sk-no-key-required"


def default_mode(base_url: str | None) -> str:
    """TOOLS for OpenAI (and Azure OpenAI); JSON_SCHEMA (grammar-constrained on vLLM/llama.cpp/Ollama) elsewhere."""
    return default_dialect(public_url(base_url) if base_url is not None else None)


@dataclass
class _Tally:
    """What one `complete` call has spent so far, updated by the transport wrapper."""

    attempts: int = 0  # instructor attempts (1 + re-asks)
    calls: int = 0  # HTTP requests sent
    retries: int = 0  # transport retries
    prompt_tokens: int = 0
    completion_tokens: int = 0
    last: ChatCompletion | None = None

    def on_retry(self, state: RetryCallState) -> None:
        self.retries += 1

    def record(self, completion: ChatCompletion) -> None:
        if completion.usage is not None:
            self.prompt_tokens += completion.usage.prompt_tokens or 0
            self.completion_tokens += completion.usage.completion_tokens or 0

    def usage(self, *, cached: bool = False) -> Usage:
        return Usage(
            calls=self.calls,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            retries=self.retries,
            reasks=max(self.attempts - 1, 0),
            cached=cached,
        )

    @property
    def raw(self) -> str | None:
        return raw_reply(self.last)


def raw_reply(completion: ChatCompletion | None) -> str | None:
    """What the model literally said: the tool-call arguments, else the message text."""
    if completion is None or not completion.choices:
        return None
    message = completion.choices[0].message
    if message.tool_calls:
        function = getattr(message.tool_calls[0], "function", None)
        return getattr(function, "arguments", None)
    return message.content


class _SchemaOnce(OpenAISchema):
    """instructor's response-model base, with the JSON schema generated once per class.

    instructor asks for `model_json_schema()` whenever it shapes a request (once per class in
    tools and JSON-schema modes, see `_request_template`, but on every request in the JSON and
    MD_JSON modes); for a grounded reply model that costs about a millisecond. The schema of a
    class never changes, so it is kept as JSON text and each caller gets its own copy to change.
    """

    @classmethod
    def model_json_schema(cls, by_alias: bool = True, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            return super().model_json_schema(by_alias, *args, **kwargs)
        return json.loads(_schema_text(cls, by_alias))


@functools.lru_cache(maxsize=512)
def _schema_text(model: type[_SchemaOnce], by_alias: bool) -> str:
    return json.dumps(super(_SchemaOnce, model).model_json_schema(by_alias))  # type: ignore[misc]


@functools.lru_cache(maxsize=256)
def _instructor_model(response_model: type[BaseModel]) -> type[BaseModel]:
    """The class instructor is given for `response_model`, built once per class.

    Given a plain model, instructor builds a new subclass of it (and of its `OpenAISchema`) on
    every call, which costs several milliseconds per request. A class that already is an
    `OpenAISchema` is used as it is. Name, docstring and fields are those of `response_model`,
    so the schema sent is the same; `_plain` turns replies back into `response_model`.
    """
    if issubclass(response_model, OpenAISchema):
        return response_model
    return create_model(  # type: ignore[call-overload, no-any-return]
        response_model.__name__,
        __base__=(response_model, _SchemaOnce),
        __doc__=response_model.__doc__,
        __module__=response_model.__module__,
    )


def request_body(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of a chat completion from `create` keyword arguments, `extra_body` merged in as the SDK does."""
    body = {name: value for name, value in kwargs.items() if name != "extra_body" and value is not None}
    return {**body, **(kwargs.get("extra_body") or {})}


@functools.lru_cache(maxsize=256)
def _request_template(response_model: type[BaseModel], mode: str) -> tuple[type[BaseModel], dict[str, Any] | None]:
    """The class instructor parses replies with, and the request parameters the mode adds (tools, response_format).

    Both depend only on the class and the mode, so they are worked out once (instructor would redo it,
    with its checks of the whole class, on every request). None as parameters: the mode also writes
    into the messages (JSON, MD_JSON put the schema in the system prompt), so `chat_request` asks
    instructor per call.
    """
    probe = [{"role": "user", "content": "llmx"}]
    if (plain := plain_request_for(response_model, MODES[mode], list(probe))) is not None:
        # JSON_SCHEMA: instructor's request handler given the class itself (no subclass to build); the
        # direct reply parser validates with it, so the async-validator check is run here, once.
        parser, kwargs = response_model, plain
        reject_async_validators(parser)
    else:
        parser, kwargs = request_for(_instructor_model(response_model), MODES[mode], list(probe))
        if reply_parser(MODES[mode]) is not None:
            reject_async_validators(parser)  # instructor's check, which the direct reply parser then skips per reply
    if kwargs.get("messages") != probe:
        return parser, None  # type: ignore[return-value]
    return parser, {name: value for name, value in kwargs.items() if name != "messages"}  # type: ignore[return-value]


class StructuredCall:
    """One structured chat completion and its re-asks: instructor's loop, one reply at a time.

    The request comes from `OpenAIBackend.chat_request`; each reply is parsed and validated by
    instructor (the mode's reply parser), and a reply that fails gets instructor's re-ask messages
    (`instructor_adapter.reask_kwargs`) added to `kwargs` for the next request. Taking the loop one reply at
    a time lets the synchronous and asynchronous calls and the Batch API, whose replies arrive
    hours later, share it.
    """

    def __init__(
        self,
        backend: "OpenAIBackend",
        messages: list[dict[str, Any]],
        response_model: type[BaseModel],
        validation_context: dict[str, Any] | None = None,
        max_reasks: int = 2,
    ) -> None:
        if max_reasks < 0:
            raise ValueError(f"max_reasks must be >= 0, got {max_reasks}")
        self.response_model, self.validation_context, self.max_reasks = response_model, validation_context, max_reasks
        self.dialect = backend.mode  # the llmx mode name this call is sent in
        self.mode, self.strict = MODES[self.dialect], backend.strict
        self.parser, self.kwargs = backend.chat_request(messages, response_model)
        self.attempts = 0

    def answer(self, completion: ChatCompletion) -> Any:
        """The reply as a `response_model`, or None when it was re-asked (send `kwargs` again).

        Raises the validation or parsing error when no re-ask is left, and at once for a reply cut
        off by max_tokens (asking again would be cut off the same way).
        """
        self.attempts += 1
        try:
            value = parse_reply(self.parser, completion, self.mode, self.validation_context, self.strict)
        except IncompleteOutputException:
            raise
        except REPLY_FAILURES as exc:
            if self.attempts > self.max_reasks:
                raise
            self.kwargs = reask_kwargs(self.kwargs, self.mode, completion, exc)
            return None
        return _plain(value, self.response_model)


def _plain(value: BaseModel, response_model: type[T]) -> T:
    """`value` as an instance of `response_model` itself.

    instructor returns an instance of a private subclass carrying the raw completion; callers
    should get the class they asked for (equality, pickling, `type(x) is PressRelease`). The
    fields were validated already, so they are copied without validating again.
    """
    if type(value) is response_model:
        return value
    fields = {name: value.__dict__[name] for name in response_model.model_fields if name in value.__dict__}
    plain = response_model.model_construct(_fields_set=set(value.model_fields_set), **fields)
    if value.__pydantic_extra__:
        object.__setattr__(plain, "__pydantic_extra__", dict(value.__pydantic_extra__))
    return plain


def _error_detail(exc: Exception) -> str:
    """The server's own error message when it sent one, else the exception text."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        message = error.get("message") if isinstance(error, dict) else error
        if isinstance(message, str) and message:
            return message.rstrip(".")
    return str(getattr(exc, "message", None) or exc).rstrip(".")


def _check_reply(completion: ChatCompletion) -> None:
    if not getattr(completion, "choices", None):
        raise MalformedReply("the server returned a chat completion without choices")


class _DialectRejected(Exception):
    """The server refused the request's dialect: `error` is what the caller sees if no other dialect is left."""

    def __init__(self, error: Exception, cause: BaseException) -> None:
        super().__init__(str(error))
        self.error, self.cause = error, cause


class _LoopClient:
    """A `ChatEndpoint` closed when its event loop shuts down.

    Its connections belong to one loop, and nothing else tells us when that loop ends. A
    suspended async generator does: `asyncio.run` (via `loop.shutdown_asyncgens`) closes every
    live async generator while the loop still runs, so the generator's `finally` closes the pool.
    """

    def __init__(self, endpoint: ChatEndpoint) -> None:
        self.endpoint = endpoint
        self._guard = self._close_on_shutdown()

    @classmethod
    async def start(cls, endpoint: ChatEndpoint) -> "_LoopClient":
        entry = cls(endpoint)
        await entry._guard.asend(None)  # registers the generator with the running loop
        return entry

    async def _close_on_shutdown(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await self.endpoint.close()

    async def close(self) -> None:
        await self._guard.aclose()


class OpenAIBackend(Backend):
    """A `ChatBackend` for OpenAI and OpenAI-compatible servers.

    Args:
        model: the model name sent to the server (default gpt-4o-mini).
        base_url: server URL ending in /v1; default `$OPENAI_BASE_URL`, else api.openai.com.
        api_key: default `$OPENAI_API_KEY`; servers other than api.openai.com get a placeholder.
        mode: structured-output dialect, "tools" | "json_schema" | "json" | "md_json"
            (`llmx.backends.openai.dialects`). None (default): TOOLS for OpenAI/Azure, JSON_SCHEMA elsewhere,
            and the next dialect, once, when the server rejects one; an explicit mode is kept.
        temperature, max_tokens, extra_body: sent with every request (None = omitted);
            they are part of the cache key.
        timeout: seconds per HTTP request; a slower reply counts as a transport failure.
        retry: transport `RetryPolicy`; default 5 attempts with exponential backoff.
        cache: None/False (off), True (default location), a file/dir path, or a `ResponseCache`.
        strict: pydantic strict validation of replies (off: "2000000" is accepted for a float).
    """

    name = "openai"
    gains_from_workers: ClassVar[bool] = True  # many requests in flight outrun one process's CPU

    def __init__(
        self,
        model: str | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        mode: str | None = None,
        temperature: float | None = 0.0,
        max_tokens: int | None = None,
        extra_body: dict[str, Any] | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        cache: ResponseCache | str | os.PathLike[str] | bool | None = None,
        strict: bool = False,
    ) -> None:
        if model == "":
            raise ConfigError("OpenAIBackend needs a model name, e.g. OpenAIBackend('gpt-4o-mini')")
        self.model = model or DEFAULT_MODEL
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        if mode is not None and mode not in MODES:
            raise ConfigError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
        key = api_key or os.environ.get("OPENAI_API_KEY")
        if not key:
            if default_mode(self.base_url) == "tools":  # the real OpenAI API
                raise ConfigError(
                    "no API key: set OPENAI_API_KEY or pass api_key=, or point base_url / OPENAI_BASE_URL "
                    "at a local OpenAI-compatible server"
                )
            key = PLACEHOLDER_API_KEY
        self._api_key = key
        self._redact = Redactor(key if key != PLACEHOLDER_API_KEY else None, *url_secrets(self.base_url))
        self.endpoint = public_url(self.base_url) or f"https://{OPENAI_HOST}/v1"
        self.dialects = DialectNegotiator(mode or None, base_url=public_url(self.base_url), endpoint=self.endpoint)
        self.params = {
            name: value
            for name, value in (("temperature", temperature), ("max_tokens", max_tokens), ("extra_body", extra_body))
            if value is not None
        }
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.cache = resolve_cache(cache)
        self.strict = strict
        self._lock = threading.Lock()
        self._client: openai.OpenAI | None = None  # built on first use: each costs ~0.1 s of TLS setup
        self._async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopClient] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def mode(self) -> str:
        """The dialect requests are sent in now (it changes when the server rejects one)."""
        return self.dialects.current

    def __repr__(self) -> str:
        return f"OpenAIBackend(model={self.model!r}, endpoint={self.endpoint!r}, mode={self.mode!r})"

    def settings(self) -> dict[str, Any]:
        """Constructor arguments that build an equivalent backend (e.g. in a worker process).

        Holds the API key: hand it to the process that needs it, never print or log it.
        """
        return {
            "model": self.model, "base_url": self.base_url, "api_key": self._api_key,
            "mode": self.mode if self.dialects.explicit else None,  # None: the worker negotiates too
            "temperature": self.params.get("temperature"), "max_tokens": self.params.get("max_tokens"),
            "extra_body": self.params.get("extra_body"), "timeout": self.timeout, "retry": self.retry,
            "cache": self.cache.path if self.cache is not None else False, "strict": self.strict,
        }

    def worker_settings(self) -> dict[str, Any] | None:
        return {"name": "openai", **self.settings()}

    def _client_options(self) -> dict[str, Any]:
        return {"api_key": self._api_key, "base_url": self.base_url, "timeout": self.timeout, "max_retries": 0}

    def openai_client(self, *, asynchronous: bool = False) -> openai.OpenAI | openai.AsyncOpenAI:
        """A new SDK client configured like this backend (same key, URL, timeout; SDK retries off).

        For other endpoints of the same server (e.g. the Batch API); the caller closes it.
        """
        factory = openai.AsyncOpenAI if asynchronous else openai.OpenAI
        return factory(**self._client_options())

    def redact(self, text: str) -> str:
        """`text` with this backend's API key and URL credentials masked."""
        return self._redact(text)

    def _sync_client(self) -> openai.OpenAI:
        with self._lock:
            if self._client is None:
                self._client = openai.OpenAI(**self._client_options())
            return self._client

    async def _async_endpoint(self) -> ChatEndpoint:
        """The chat endpoint of the running loop; its pooled connections belong to that loop."""
        loop = asyncio.get_running_loop()
        entry = self._async_clients.get(loop)
        if entry is None:
            # the SDK's headers for this configuration (its own HTTP client is never used: see headers_only_http_client)
            sdk = openai.AsyncOpenAI(**self._client_options(), http_client=headers_only_http_client())
            endpoint = ChatEndpoint(sdk, self.timeout)
            await sdk.close()
            entry = self._async_clients[loop] = await _LoopClient.start(endpoint)
        return entry.endpoint

    def close(self) -> None:
        """Close the synchronous connection pool and the cache (async pools close with their loop)."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
        if self.cache is not None:
            self.cache.close()

    async def aclose(self) -> None:
        """Close the running loop's connection pool now rather than at loop shutdown."""
        entry = self._async_clients.pop(asyncio.get_running_loop(), None)
        if entry is not None:
            await entry.close()

    def __enter__(self) -> "OpenAIBackend":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the ChatBackend protocol ------------------------------------------------------------

    def complete(
        self,
        messages: list[dict[str, Any]],
        response_model: type[T],
        *,
        validation_context: dict[str, Any] | None = None,
        max_reasks: int = 2,
    ) -> Completion[T]:
        tally = _Tally()
        while True:  # once more per dialect the server rejects (see llmx.backends.openai.dialects)
            key = self._cache_key(messages, response_model)
            if (hit := self._from_cache(key, response_model, validation_context)) is not None:
                return hit
            call = StructuredCall(self, messages, response_model, validation_context, max_reasks)
            client = self._sync_client()
            try:
                while (result := self._settle(call, self._send(client, call.kwargs, tally), tally, key)) is None:
                    pass  # re-asked: call.kwargs now carries the reply and the errors
                return result
            except _DialectRejected as rejected:
                self._fall_back(call, rejected, tally)

    async def acomplete(
        self,
        messages: list[dict[str, Any]],
        response_model: type[T],
        *,
        validation_context: dict[str, Any] | None = None,
        max_reasks: int = 2,
    ) -> Completion[T]:
        tally = _Tally()
        while True:
            key = self._cache_key(messages, response_model)
            if (hit := self._from_cache(key, response_model, validation_context)) is not None:
                return hit
            call = StructuredCall(self, messages, response_model, validation_context, max_reasks)
            endpoint = await self._async_endpoint()
            try:
                while (result := self._settle(call, await self._asend(endpoint, call.kwargs, tally), tally, key)) is None:
                    pass
                return result
            except _DialectRejected as rejected:
                self._fall_back(call, rejected, tally)

    def _fall_back(self, call: "StructuredCall", rejected: "_DialectRejected", tally: _Tally) -> None:
        """Switch to the next dialect after `call`'s was rejected, or raise the rejection as a BackendError."""
        if self.dialects.fall_back(call.dialect, rejected.cause) is None:
            raise rejected.error from None
        tally.attempts = 0  # the rejected request was not an instructor attempt

    def _settle(self, call: "StructuredCall", completion: ChatCompletion, tally: _Tally, key: str | None) -> Completion[Any] | None:
        """The result for this reply; None when it was re-asked; ExtractionError when no re-ask is left."""
        try:
            value = call.answer(completion)
        except REPLY_FAILURES as exc:
            raise self._failure(exc, call, tally) from None
        return None if value is None else self._success(key, value, tally)

    def chat_request(self, messages: list[dict[str, Any]], response_model: type[BaseModel]) -> tuple[type[BaseModel], dict[str, Any]]:
        """The `chat.completions.create` keyword arguments this backend sends, and the class that parses the reply.

        instructor shapes the request for the mode (tools, response_format, or the schema in the
        messages); the live calls and the Batch API both send exactly this.
        """
        parser, added = _request_template(response_model, self.mode)
        if added is None:  # this mode writes into the messages: shape them per call
            parser, kwargs = request_for(parser, MODES[self.mode], list(messages))
            added = {name: value for name, value in kwargs.items() if name != "messages"}
            messages = kwargs["messages"]
            added = response_format(self.mode, parser.model_json_schema(), added)
        return parser, {"model": self.model, "messages": list(messages), **added, **self.params}

    # -- transport: one request, repeated on transient failures ------------------------------

    def _send(self, client: openai.OpenAI, kwargs: dict[str, Any], tally: _Tally) -> ChatCompletion:
        tally.attempts += 1
        sent = tally.calls

        def send() -> ChatCompletion:
            tally.calls += 1
            completion = client.chat.completions.create(**kwargs)
            tally.record(completion)
            _check_reply(completion)
            return completion

        try:
            completion = self.retry.call(send, on_retry=tally.on_retry)
        except Exception as exc:
            failure = self._failed_send(exc, tally.calls - sent, tally)
        else:
            tally.last = completion
            return completion
        raise failure  # outside the handler: the SDK error (its text may hold the key) is not chained

    async def _asend(self, endpoint: ChatEndpoint, kwargs: dict[str, Any], tally: _Tally) -> ChatCompletion:
        tally.attempts += 1
        sent = tally.calls
        body = request_body(kwargs)

        async def send() -> ChatCompletion:
            tally.calls += 1
            completion = await endpoint.create(body)
            tally.record(completion)
            _check_reply(completion)
            return completion

        try:
            completion = await self.retry.acall(send, on_retry=tally.on_retry)
        except Exception as exc:
            failure = self._failed_send(exc, tally.calls - sent, tally)
        else:
            tally.last = completion
            return completion
        raise failure

    def _failed_send(self, exc: Exception, sent: int, tally: _Tally) -> Exception:
        """What `_send` / `_asend` raise after `sent` requests failed: a BackendError, or the dialect's rejection."""
        failure = self._transport_error(exc, sent, tally)
        return _DialectRejected(failure, exc) if is_dialect_rejection(exc) else failure

    def _transport_error(self, exc: Exception, sent: int, tally: _Tally) -> Exception:
        """Turn the last transport failure into a BackendError whose text is safe to show."""
        if not isinstance(exc, openai.OpenAIError) and not is_transient(exc):
            return exc  # a bug, not a transport failure: let it surface unchanged
        status = getattr(exc, "status_code", None)
        what = f"HTTP {status}" if status is not None else type(exc).__name__
        detail = self._redact(_error_detail(exc))[:500]
        if is_dialect_rejection(exc):
            others = ", ".join(name for name in MODES if name != self.mode)
            summary = f"rejected the {self.mode} structured-output dialect (not retried)"
            advice = f"Choose another with --llm-mode / llm_mode= ({others})."
        elif is_transient(exc):
            summary = f"gave up after {sent} attempts"
            advice = "The server kept failing; try again later or raise RetryPolicy.max_attempts."
        else:
            summary = "was rejected (not retried)"
            advice = {
                401: "Check the API key (OPENAI_API_KEY).",
                403: "The API key may lack access to this model.",
                404: f"Check the model name {self.model!r} and the base URL.",
            }.get(status or 0, "Check the model, mode and parameters.")
        message = f"chat completion at {self.endpoint} (model {self.model!r}) {summary}: {what}: {detail}. {advice}"
        return BackendError(message, status_code=status, usage=tally.usage())

    # -- instructor, results and failures ----------------------------------------------------

    def _success(self, key: str | None, value: BaseModel, tally: _Tally) -> Completion[Any]:
        raw = tally.raw
        if key is not None and self.cache is not None:
            self.cache.put(
                key, value=value.model_dump_json(), raw=raw, model=self.model, schema_name=type(value).__name__
            )
        return Completion(value=value, usage=tally.usage(), raw=raw)

    def _failure(self, exc: Exception, call: "StructuredCall", tally: _Tally) -> Exception:
        """The ExtractionError for a reply that stayed unusable after every re-ask."""
        name, attempts, reasks = call.response_model.__name__, tally.attempts, call.max_reasks
        if isinstance(exc, IncompleteOutputException):
            message = f"the reply was cut off (finish_reason=length) before the {name} was complete; raise max_tokens"
            errors: list[dict[str, Any]] = []
        elif isinstance(exc, ValidationError):
            errors = exc.errors(include_url=False, include_input=False)
            details = "; ".join(f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in errors[:10])
            message = f"{self.model!r} returned no valid {name} after {attempts} attempts ({reasks} re-asks); last errors: {details}"
        else:
            errors = [{"loc": (), "msg": str(exc), "type": type(exc).__name__}]
            message = f"{self.model!r} returned no usable {name} after {attempts} attempts ({reasks} re-asks): {exc}"
        return ExtractionError(self._redact(message), errors=errors, raw=tally.raw, usage=tally.usage())

    # -- cache -------------------------------------------------------------------------------

    def _cache_key(self, messages: list[dict[str, Any]], response_model: type[BaseModel]) -> str | None:
        if self.cache is None:
            return None
        return cache_key(
            endpoint=self.endpoint,
            model=self.model,
            messages=messages,
            response_model=response_model,
            mode=self.mode,
            params=self.params,
        )

    def _from_cache(
        self, key: str | None, response_model: type[T], validation_context: dict[str, Any] | None
    ) -> Completion[T] | None:
        if key is None or self.cache is None:
            return None
        return self.cache.completion(key, response_model, validation_context, strict=self.strict)
