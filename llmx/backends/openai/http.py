"""POST /chat/completions with aiohttp: the async request path of `OpenAIBackend`, without the SDK's per-call machinery.

Why not `AsyncOpenAI.chat.completions.create`: at batch concurrency the SDK's own work per call
(walking every parameter to transform it, building httpx request and response objects on top of
the transport, wrapping the reply) costs about 2.5 ms of CPU, as much as prompting, the rules and
validation together (benchmarks/bench_batch.py). This module sends the same JSON body with the
headers the SDK client was configured with, and gives back the same things: a `ChatCompletion`
built the way the SDK builds it, or the SDK's own exception classes (`RateLimitError` with the
reply's headers, `APITimeoutError`, `APIConnectionError`, ...), so retries, Retry-After handling
and error messages do not know the difference. The SDK still serves the synchronous path and
the Batch API.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import httpx2
import openai
import orjson
import yarl
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

# The SDK's status -> exception mapping (openai._client.AsyncOpenAI._make_status_error).
_STATUS_ERRORS: dict[int, type[openai.APIStatusError]] = {
    400: openai.BadRequestError,
    401: openai.AuthenticationError,
    403: openai.PermissionDeniedError,
    404: openai.NotFoundError,
    409: openai.ConflictError,
    422: openai.UnprocessableEntityError,
    429: openai.RateLimitError,
}


class ChatEndpoint:
    """The chat-completions endpoint of one server, for one event loop (its connections belong to that loop).

    Built from a configured `openai.AsyncOpenAI`, so base URL, key, organisation, project and
    custom headers are the SDK's; like the SDK's httpx client it sends through the proxy that
    HTTP(S)_PROXY and NO_PROXY name for the URL. `timeout` bounds each request. Use `await endpoint.create(body)`; `await endpoint.close()`.
    """

    def __init__(self, client: openai.AsyncOpenAI, timeout: float) -> None:
        headers = {**client.default_headers, **client.auth_headers}
        self._headers = {name: value for name, value in headers.items() if isinstance(value, str)}
        self._headers["X-Stainless-Async"] = "async:asyncio"
        url = yarl.URL(str(client.base_url).rstrip("/") + "/chat/completions")
        if url.user is not None:  # as httpx does for the SDK: credentials in the URL become Basic auth
            self._headers["Authorization"] = aiohttp.encode_basic_auth(url.user, url.password or "")
            url = url.with_user(None)
        self.url = str(url)
        self.proxy, self._proxy_auth = _env_proxy(url)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        # No connection limit: `extract_many` bounds concurrency itself.
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=self._timeout)

    async def create(self, body: dict[str, Any]) -> ChatCompletion:
        """Send one chat completion; raise the SDK's exception for a failed request."""
        payload = encode_body(body)
        try:
            async with self._session.post(
                self.url, data=payload, headers=self._headers, proxy=self.proxy, proxy_auth=self._proxy_auth
            ) as response:
                content = await response.read()
                status, reply_headers = response.status, response.headers
        except asyncio.TimeoutError:
            raise openai.APITimeoutError(request=self._request()) from None
        except aiohttp.ClientError as exc:
            raise openai.APIConnectionError(message=f"Connection error: {exc}", request=self._request()) from None
        if status >= 400:
            raise _status_error(status, dict(reply_headers), content, self._request())
        data = decode_reply(content)  # a body cut off mid-way raises JSONDecodeError: a transient failure
        if not isinstance(data, dict):
            response = httpx2.Response(status, headers=dict(reply_headers), content=content, request=self._request())
            raise openai.APIResponseValidationError(response, data, message="the server's reply is not a JSON object")
        try:
            return ChatCompletion.model_validate(data)
        except ValidationError:  # a server that bends the format: accept what the SDK would
            return ChatCompletion.construct(**data)

    def _request(self) -> httpx2.Request:
        """The request as the SDK exceptions want it (built only when one is raised)."""
        return httpx2.Request("POST", self.url)

    async def close(self) -> None:
        await self._session.close()


def headers_only_http_client() -> httpx2.AsyncClient:
    """An HTTP client for an `openai.AsyncOpenAI` that is built only to read its headers and URL (never sends).

    The SDK's default client verifies TLS against the CA bundle and reads the proxy environment
    when it is built: ~20 ms of CPU per process, for a client `ChatEndpoint` never sends through.
    """
    return httpx2.AsyncClient(verify=False, trust_env=False)


def encode_body(body: dict[str, Any]) -> bytes:
    """The request body as compact UTF-8 JSON.

    orjson writes a batch request body (prompt and schema, ~10 kB) in a tenth of the CPU of
    `json.dumps`; the JSON value is the same. A body orjson refuses (an int beyond 64 bits, a
    type it does not know) is written by `json` instead, which raises what it always raised.
    """
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        return json.dumps(body, ensure_ascii=False).encode("utf-8")


def decode_reply(content: bytes) -> Any:
    """The reply's JSON value: orjson first, `json` for what orjson refuses (NaN, non-UTF-8, a cut-off body).

    The fallback keeps the errors callers rely on: a cut-off body still raises `json.JSONDecodeError`.
    """
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)


def _env_proxy(url: yarl.URL) -> tuple[str | None, aiohttp.BasicAuth | None]:
    """The proxy HTTP(S)_PROXY / NO_PROXY assign to `url`, as the SDK's httpx client would use.

    Worked out once: aiohttp's `trust_env` would read the environment again on every request,
    which cost a quarter of the batch throughput (benchmarks/bench_batch.py).
    """
    try:
        proxy, auth = aiohttp.helpers.get_env_proxy_for_url(url)
    except LookupError:  # no proxy for this URL
        return None, None
    return str(proxy), auth


def _status_error(status: int, headers: dict[str, str], content: bytes, request: httpx2.Request) -> openai.APIStatusError:
    """The exception the SDK raises for this reply, carrying the reply (Retry-After lives in its headers)."""
    response = httpx2.Response(status, headers=headers, content=content, request=request)
    text = content.decode("utf-8", "replace").strip()
    try:
        body: Any = json.loads(text)
        message = f"Error code: {status} - {body}"
    except ValueError:
        body, message = text, text or f"Error code: {status}"
    error = body.get("error", body) if isinstance(body, dict) else body
    kind = _STATUS_ERRORS.get(status, openai.InternalServerError if status >= 500 else openai.APIStatusError)
    return kind(message, response=response, body=error)
