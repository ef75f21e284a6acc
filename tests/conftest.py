"""Shared fixtures: hermetic environment, loopback OpenAI-compatible servers, fast retry policies."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from llmx.backends.openai.retry import RetryPolicy
from llmx.testing import Faults, LoopbackServer, Responder

TEST_API_KEY = "sk-llmx-test-4f1c2a9e7b3d5c6e8f0a1b2c"


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads the developer's OpenAI settings or shares a response cache with another test."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "LLMX_CONFIG", "LLMX_BACKEND",
                 "LLMX_MODEL", "LLMX_MODE", "LLMX_LLM_MODE", "LLMX_LABELS", "LLMX_CONCURRENCY", "LLMX_RPM", "LLMX_TPM",
                 "LLMX_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LLMX_CACHE_DIR", str(tmp_path_factory.mktemp("llmx-cache")))


@pytest.fixture
def api_key() -> str:
    """A distinctive fake key, so tests can search for leaks of it."""
    return TEST_API_KEY


@pytest.fixture
def loopback() -> Iterator[Callable[..., LoopbackServer]]:
    """Start loopback servers: `server = loopback(responder, latency=..., faults=...)`.

    Servers stop at teardown, and a responder that raised fails the test there.
    """
    servers: list[LoopbackServer] = []

    def start(responder: Responder, *, latency: float = 0.0, faults: Faults | None = None, **options: Any) -> LoopbackServer:
        server = LoopbackServer(responder, latency=latency, faults=faults, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


class SleepRecorder:
    """Stands in for time.sleep / asyncio.sleep so backoff waits are observed, not spent."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def fast_retry(sleeps: SleepRecorder) -> RetryPolicy:
    """Four attempts, deterministic exponential backoff (0.5, 1, 2 s) recorded instead of slept."""
    return RetryPolicy(
        max_attempts=4,
        initial_backoff=0.5,
        max_backoff=8.0,
        jitter=0.0,
        max_retry_after=30.0,
        sleep=sleeps,
        async_sleep=sleeps.async_sleep,
    )


@pytest.fixture
def make_backend(fast_retry: RetryPolicy) -> Iterator[Callable[..., Any]]:
    """Build an OpenAIBackend aimed at a loopback server: `make_backend(server, mode="tools")`."""
    from llmx.backends.openai.backend import OpenAIBackend

    backends: list[OpenAIBackend] = []

    def make(server: LoopbackServer, **options: Any) -> OpenAIBackend:
        options.setdefault("api_key", TEST_API_KEY)
        options.setdefault("retry", fast_retry)
        options.setdefault("timeout", 5.0)
        backend = OpenAIBackend(options.pop("model", "loopback-model"), base_url=server.base_url, **options)
        backends.append(backend)
        return backend

    yield make
    for backend in backends:
        backend.close()


@pytest.fixture
def openai_backend(loopback: Callable[..., LoopbackServer], make_backend: Callable[..., Any]) -> Callable[..., Any]:
    """`openai_backend(responder)` -> (backend, server): a cache-less OpenAIBackend on a fresh loopback server."""

    def build(responder: Any) -> tuple[Any, LoopbackServer]:
        server = loopback(responder)
        return make_backend(server, cache=False), server

    return build
