"""Requests-per-minute and tokens-per-minute limits shared by every worker of one batch run.

Providers enforce their limits over short windows, so a full minute's budget spent in one burst
still earns 429s. Each limit is therefore a token bucket that refills continuously and holds only
`burst_s` seconds of budget. A request bigger than the bucket may still start once the bucket is
full; the bucket then goes into debt, which delays the following requests by exactly the excess.
Token counts are estimated before a call and corrected with the real usage afterwards (`settle`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    """Continuous-refill bucket: `rate_per_min` units per minute, at most `burst_s` seconds' worth banked."""

    def __init__(self, rate_per_min: float, *, burst_s: float = 1.0, clock: Clock = time.monotonic) -> None:
        if rate_per_min <= 0:
            raise ValueError(f"rate limit must be positive, got {rate_per_min}")
        self.rate = rate_per_min / 60.0
        self.capacity = max(1.0, self.rate * burst_s)
        self._clock = clock
        self._level = self.capacity
        self._stamp = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._level = min(self.capacity, self._level + (now - self._stamp) * self.rate)
        self._stamp = now

    def wait_time(self, amount: float) -> float:
        """Seconds until `amount` may be taken (a request larger than the bucket waits for a full bucket)."""
        self._refill()
        needed = min(amount, self.capacity)
        return max(0.0, (needed - self._level) / self.rate)

    def take(self, amount: float) -> None:
        """Spend `amount` now; the level may go negative (debt that later requests wait out)."""
        self._refill()
        self._level -= amount

    def give_back(self, amount: float) -> None:
        """Return budget that an over-estimate reserved (negative `amount` charges more)."""
        self._refill()
        self._level = min(self.capacity, self._level + amount)


class RateLimiter:
    """Paces calls to stay under `rpm` requests and `tpm` tokens per minute (either may be None).

    Waiters are served first come, first served: one lock is held while a caller sleeps for its
    turn, so a large request is never starved by a stream of small ones.
    """

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        burst_s: float = 1.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.requests = TokenBucket(rpm, burst_s=burst_s, clock=clock) if rpm else None
        self.tokens = TokenBucket(tpm, burst_s=burst_s, clock=clock) if tpm else None
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self.waited_s = 0.0  # total time callers spent waiting, for the run summary

    @property
    def active(self) -> bool:
        return self.requests is not None or self.tokens is not None

    async def acquire(self, tokens: int = 0, requests: int = 1) -> None:
        """Wait until `requests` calls using about `tokens` tokens fit under both limits, then spend them."""
        if not self.active:
            return
        async with self._lock:
            while True:
                delay = max(
                    self.requests.wait_time(requests) if self.requests else 0.0,
                    self.tokens.wait_time(tokens) if self.tokens else 0.0,
                )
                if delay <= 0:
                    break
                self.waited_s += delay
                await self._sleep(delay)
            if self.requests:
                self.requests.take(requests)
            if self.tokens:
                self.tokens.take(tokens)

    def settle(self, *, estimated_tokens: int, actual_tokens: int, extra_requests: int = 0) -> None:
        """Correct the buckets once a call's real cost is known (retries and re-asks are extra requests)."""
        if self.tokens and actual_tokens >= 0:
            self.tokens.give_back(estimated_tokens - actual_tokens)
        if self.requests and extra_requests > 0:
            self.requests.give_back(-extra_requests)


def estimate_tokens(text: str, overhead: int = 800) -> int:
    """Rough prompt+completion tokens for one document: ~4 characters per token plus prompt and reply."""
    return len(text) // 4 + overhead
