"""Transport retries for HTTP model calls, kept apart from instructor's validation re-asks.

A *transport* failure says nothing about the model's answer (rate limit, 5xx, timeout, reset
connection, a reply cut off mid-body), so the same request is simply sent again after a backoff.
A *validation* failure is answered by re-asking the model with the error (instructor's job).
Mixing the two would either burn re-asks on outages or re-send requests that can never succeed,
so `RetryPolicy` retries only errors for which `is_transient` is true and never 400/401/403/404.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.wait import wait_base

from llmx.backends.openai.dialects import is_dialect_rejection

T = TypeVar("T")

# 408 request timeout, 409 lock conflict and 429 rate limit are worth repeating; so is every 5xx.
RETRYABLE_STATUS = frozenset({408, 409, 429})


class MalformedReply(Exception):
    """The server answered 200 but the reply is unusable (e.g. no choices); worth asking again."""


def is_transient(exc: BaseException) -> bool:
    """True for failures that a later identical request may not hit (never a rejected dialect)."""
    if is_dialect_rejection(exc):  # e.g. a 500 "response_format ... should be 'json_object'"
        return False
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    # APITimeoutError is an APIConnectionError; a truncated body surfaces as JSONDecodeError.
    return isinstance(exc, (openai.APIConnectionError, json.JSONDecodeError, MalformedReply))


def retry_after_seconds(exc: BaseException) -> float | None:
    """The wait the server asked for via `retry-after-ms` or `Retry-After` (seconds or HTTP date)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return max(float(ms) / 1000.0, 0.0)
        if (value := headers.get("retry-after")) is None:
            return None
        try:
            return max(float(value), 0.0)
        except ValueError:
            date = email.utils.parsedate_to_datetime(value)
            return max(date.timestamp() - time.time(), 0.0)
    except (TypeError, ValueError, OverflowError):
        return None


class wait_retry_after(wait_base):
    """Wait as long as the server asked (capped at `cap`), else fall back to `fallback`."""

    def __init__(self, fallback: wait_base, cap: float) -> None:
        self.fallback = fallback
        self.cap = cap

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        asked = retry_after_seconds(exc) if exc is not None else None
        if asked is not None and math.isfinite(asked):
            return min(asked, self.cap)
        return self.fallback(retry_state)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one HTTP request before giving up with a BackendError.

    `max_attempts` counts every send (1 = no retries). Without a server hint the wait grows
    exponentially from `initial_backoff` up to `max_backoff`, plus up to `jitter` random seconds so
    concurrent clients do not retry in lockstep. A server's Retry-After is honoured up to
    `max_retry_after`. `sleep` / `async_sleep` are injectable so tests can observe the waits
    without spending them.
    """

    max_attempts: int = 5
    initial_backoff: float = 0.5
    max_backoff: float = 30.0
    jitter: float = 0.5
    max_retry_after: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    async_sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {self.max_attempts}")
        if min(self.initial_backoff, self.max_backoff, self.jitter, self.max_retry_after) < 0:
            raise ValueError("backoff, jitter and max_retry_after must be >= 0")

    def _options(self, on_retry: Callable[[RetryCallState], None] | None) -> dict[str, Any]:
        backoff = wait_exponential_jitter(multiplier=self.initial_backoff, max=self.max_backoff, jitter=self.jitter)
        return {
            "retry": retry_if_exception(is_transient),
            "stop": stop_after_attempt(self.max_attempts),
            "wait": wait_retry_after(backoff, cap=self.max_retry_after),
            "before_sleep": on_retry,
            "reraise": True,  # the caller turns the last real error into a BackendError
        }

    def retrying(self, on_retry: Callable[[RetryCallState], None] | None = None) -> Retrying:
        """A tenacity controller for one synchronous request; `on_retry` runs before each wait."""
        return Retrying(sleep=self.sleep, **self._options(on_retry))

    def async_retrying(self, on_retry: Callable[[RetryCallState], None] | None = None) -> AsyncRetrying:
        """The asyncio twin of `retrying`."""
        return AsyncRetrying(sleep=self.async_sleep, **self._options(on_retry))

    def call(self, send: Callable[[], T], on_retry: Callable[[RetryCallState], None] | None = None) -> T:
        """`send()` under this policy: repeated on transient failures, the last failure raised."""
        controller = self.retrying(on_retry)
        try:
            return controller(send)
        finally:
            release(controller)

    async def acall(self, send: Callable[[], Awaitable[T]], on_retry: Callable[[RetryCallState], None] | None = None) -> T:
        """`call` for asyncio, with the first attempt sent before any tenacity controller exists.

        Building and stepping a controller costs ~24 us of CPU per request, and at batch
        concurrency almost every request succeeds at once. After a failure this policy retries, a
        controller takes over with that failure as its first attempt, so waits, `on_retry` calls
        and the attempt count are the controller's as if it had run from the start.
        """
        try:
            return await send()
        except Exception as exc:
            if self.max_attempts == 1 or not is_transient(exc):
                raise
            pending = [exc]

        async def replay() -> T:
            if pending:
                raise pending.pop()
            return await send()

        controller = self.async_retrying(on_retry)
        try:
            return await controller(replay)
        finally:
            release(controller)


def release(controller: Retrying | AsyncRetrying) -> None:
    """Drop what a finished tenacity controller keeps of its last call, so that it is freed at once.

    A controller holds its pending actions (its own bound methods) and, when async, its call
    state (which points back at it and holds the last outcome: the whole reply). Those cycles
    wait for the garbage collector, which under `llmx.batch.gc.batch_gc` reaches the oldest
    generation only every few thousand documents: a batch's memory grew by one reply per ~10
    documents in between (docs/measurements.md, Round 5). Safe to call on any controller.
    """
    controller.iter_state.reset()
    controller.__dict__.pop("_retry_state", None)
