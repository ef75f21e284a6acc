"""`make_backend`: a backend from its name and settings (the only place that maps names to classes)."""

from __future__ import annotations

import os
from typing import Any, Literal

from llmx.backends.base import Backend
from llmx.errors import ConfigError

BackendName = Literal["openai", "local", "rules"]

# Used when no API key or endpoint is configured: offline records are the rules' records either
# way (the embedded model's labels are not kept; docs/measurements.md), and the rules need no
# model file or llama-cpp install.
DEFAULT_OFFLINE_BACKEND: BackendName = "rules"


def resolve_backend_name(backend: str | None, base_url: str | None = None) -> str:
    """"openai" when an API key or endpoint is configured, else `DEFAULT_OFFLINE_BACKEND`."""
    if backend is not None:
        return backend
    if os.environ.get("OPENAI_API_KEY") or base_url or os.environ.get("OPENAI_BASE_URL"):
        return "openai"
    return DEFAULT_OFFLINE_BACKEND


def backend_class(name: str) -> type[Backend]:
    """The class behind a backend name (imported on demand: openai and llama-cpp are heavy)."""
    if name == "rules":
        from llmx.backends.rules import RulesBackend

        return RulesBackend
    if name == "local":
        from llmx.backends.local import LocalBackend

        return LocalBackend
    if name == "openai":
        from llmx.backends.openai.backend import OpenAIBackend

        return OpenAIBackend
    raise ConfigError(f"unknown backend {name!r}; use 'openai', 'local', 'rules' or a ChatBackend instance")


def make_backend(
    name: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    cache: Any = True,
    llm_mode: str | None = None,
    timeout: float | None = None,
    **options: Any,
) -> Backend:
    """Build a backend once (loading a model, opening a client) to reuse for many documents.

    `name` is "openai", "local", "rules" or None (auto: see `resolve_backend_name`). `cache` is
    True (default location), False, a path or a `ResponseCache`. `llm_mode` (the structured-output
    dialect, `llmx.backends.openai.dialects`; None: negotiated) and `timeout` (seconds per HTTP
    request) are the openai backend's. Other options go to the backend.
    """
    resolved = resolve_backend_name(name, base_url)
    for setting, value in (("llm_mode", llm_mode), ("timeout", timeout)):
        if value is not None and resolved != "openai":
            raise ConfigError(f"{setting}={value!r} is a setting of the openai backend, not of {resolved!r}")
    if llm_mode is not None:
        options["mode"] = llm_mode
    if timeout is not None:
        options["timeout"] = timeout
    cls = backend_class(resolved)
    if resolved == "rules":
        return cls()
    if resolved == "local":
        return cls(model, cache=cache, **options)  # type: ignore[call-arg]
    kwargs = {"base_url": base_url, "api_key": api_key, "cache": cache, **options}
    if model is not None:
        kwargs["model"] = model
    return cls(**kwargs)
