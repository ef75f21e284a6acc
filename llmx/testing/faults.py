"""Fault injection for the loopback server: scripted `Fault`s and seeded random `Faults`."""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal[
    "rate_limit",  # 429 with Retry-After (and retry-after-ms when `retry_after_ms` is set)
    "rate_limit_no_retry_after",  # 429 without any retry hint
    "server_error",  # 500
    "unavailable",  # 503
    "reset",  # the socket is closed with RST, no reply at all
    "slow",  # the reply is held back for `delay` seconds (beyond the client's timeout)
    "truncated",  # 200 whose JSON body is cut in half
    "schema_invalid",  # a well-formed completion whose payload is valid JSON but no object
    "empty_choices",  # a well-formed completion with `choices: []`
    "http_error",  # any `status` with an OpenAI-style error body (e.g. 400, 401, 404)
]
TRANSIENT_FAULTS: tuple[FaultKind, ...] = (
    "rate_limit",
    "rate_limit_no_retry_after",
    "server_error",
    "unavailable",
    "reset",
    "truncated",
    "empty_choices",
)
# Faults that make sense on every endpoint, not just chat completions.
_STATUS_FAULTS = {"rate_limit", "rate_limit_no_retry_after", "server_error", "unavailable", "reset", "http_error"}


@dataclass(frozen=True)
class Fault:
    """One misbehaviour of the server, used in place of a reply."""

    kind: FaultKind
    retry_after: float | None = 0.01  # rate_limit: seconds sent as `Retry-After`
    retry_after_ms: float | None = None  # rate_limit: also send `retry-after-ms`
    delay: float = 5.0  # slow: seconds to hold the reply back
    status: int = 400  # http_error: the status code to send
    message: str = "injected fault"  # http_error: the error message in the body


@dataclass
class Faults:
    """Inject a fault into a random `rate` of requests, reproducibly for a given `seed`.

    The n-th request draws the n-th number from the seeded generator, so the sequence of faults is
    fixed even when concurrent requests arrive in a different order. A faulted request never
    reaches the responder (so it does not use up a `Scripted` reply). `endpoints` says which
    endpoints are affected ("chat", "files", "batches"); on files and batches only status and
    connection faults are used.
    """

    rate: float = 0.2
    seed: int = 0
    kinds: Sequence[FaultKind | Fault] = TRANSIENT_FAULTS
    endpoints: frozenset[str] = frozenset({"chat"})
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, got {self.rate}")
        if not self.kinds:
            raise ValueError("Faults needs at least one kind")
        self._rng = random.Random(self.seed)

    def draw(self, endpoint: str) -> Fault | None:
        """The fault for the next request to `endpoint`, or None to answer normally."""
        if endpoint not in self.endpoints:
            return None
        with self._lock:
            hit = self._rng.random() < self.rate
            choice = self._rng.choice(list(self.kinds))
        fault = choice if isinstance(choice, Fault) else Fault(choice)
        if not hit or (endpoint != "chat" and fault.kind not in _STATUS_FAULTS):
            return None
        return fault
