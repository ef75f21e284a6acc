"""Structured-output dialects of OpenAI-compatible servers, and picking one that the server accepts.

Servers that speak the chat-completions protocol disagree on how a reply is constrained to a
JSON schema. llmx knows four dialects (its `llm_mode` / `--llm-mode` values):

* ``json_schema``: ``response_format: {"type": "json_schema", ...}`` (OpenAI, vLLM, Ollama >= 0.5,
  llama.cpp's llama-server, LM Studio);
* ``json``: ``response_format: {"type": "json_object", "schema": ...}`` plus the schema in the
  system prompt (llama-cpp-python's server, which answers ``json_schema`` with HTTP 500);
* ``tools``: one forced function call whose parameters are the schema (OpenAI, Azure OpenAI);
* ``md_json``: nothing but the prompt: plain JSON, or JSON in a fenced block (any server).

Without an explicit mode a backend starts with ``tools`` for OpenAI/Azure and ``json_schema``
elsewhere. When the server rejects the dialect (see `is_dialect_rejection`), the request is sent
once more in the next dialect of `FALLBACK_ORDER` that this endpoint has not rejected, and the
endpoint keeps that dialect for the rest of the run (`DialectNegotiator`, one per backend). The
switch is logged as a warning (stderr in the CLI) and reported in `record.meta.extra`. An
explicit mode is never changed: its rejection is an error that names the other modes.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dialect:
    """One way of asking a server for a reply shaped like a JSON schema."""

    name: str
    request: str  # what the request carries
    servers: str  # servers known to accept it


DIALECTS: dict[str, Dialect] = {
    "json_schema": Dialect(
        "json_schema", 'response_format {"type": "json_schema"}', "OpenAI, vLLM, Ollama >= 0.5, llama-server, LM Studio"
    ),
    "json": Dialect(
        "json", 'response_format {"type": "json_object", "schema": ...} + schema in the prompt', "llama-cpp-python server"
    ),
    "tools": Dialect("tools", "tools + tool_choice (one forced function call)", "OpenAI, Azure OpenAI, vLLM (tool parser on)"),
    "md_json": Dialect("md_json", "the schema in the prompt only; plain or fenced JSON back", "any chat server"),
}
# The order in which dialects are tried after a rejection: most constrained first; md_json needs
# nothing from the server, so it is the last resort.
FALLBACK_ORDER: tuple[str, ...] = ("tools", "json_schema", "json", "md_json")

OPENAI_HOSTS = ("api.openai.com",)
AZURE_SUFFIXES = (".openai.azure.com", ".cognitiveservices.azure.com")

# Statuses that say "this request is malformed" (as opposed to auth, missing model, rate limit).
_REJECTING_4XX = frozenset({400, 415, 422})
# Words an error must contain to blame the structured-output part of the request.
_DIALECT_WORDS = re.compile(
    r"response_format|json_schema|json_object|\bschema\b|\btools?\b|tool_choice|function[_ ]?call|grammar|guided",
    re.IGNORECASE,
)


def host_of(base_url: str | None) -> str:
    """The lower-case host name of `base_url` ("" when None or unparsable)."""
    if not base_url:
        return ""
    try:
        return (urlsplit(base_url).hostname or "").lower()
    except ValueError:
        return ""


def default_dialect(base_url: str | None) -> str:
    """``tools`` for OpenAI and Azure OpenAI (None means api.openai.com), ``json_schema`` elsewhere."""
    if base_url is None:
        return "tools"
    host = host_of(base_url)
    return "tools" if host in OPENAI_HOSTS or host.endswith(AZURE_SUFFIXES) else "json_schema"


def check_dialect(name: str) -> str:
    """`name` if it is a known dialect, else ValueError listing them."""
    if name not in DIALECTS:
        raise ValueError(f"unknown llm mode {name!r}; choose one of {', '.join(DIALECTS)}")
    return name


def error_text(exc: BaseException) -> str:
    """The server's error body (or the exception text) as one string, for matching and messages."""
    body = getattr(exc, "body", None)
    if body is not None:
        return body if isinstance(body, str) else json.dumps(body, default=str)
    return str(getattr(exc, "message", None) or exc)


def is_dialect_rejection(exc: BaseException) -> bool:
    """True when the server refused the request's structured-output dialect.

    The rule: status 400, 415, 422 or any 5xx, and the error names a structured-output parameter
    (response_format, json_schema, json_object, schema, tools, tool_choice, function call,
    grammar, guided decoding). llama-cpp-python answers ``json_schema`` with exactly that:
    HTTP 500 "response_format.type: Input should be 'text' or 'json_object'". Such a request
    fails the same way every time, so it is never retried as a transient failure.
    """
    import openai  # here, not at module level: `llmx.config` reads DIALECTS on every CLI start

    if not isinstance(exc, openai.APIStatusError):
        return False
    status = exc.status_code
    if status not in _REJECTING_4XX and status < 500:
        return False
    return bool(_DIALECT_WORDS.search(error_text(exc)))


def response_format(dialect: str, schema: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """`params` (what instructor's mode adds to the request) adapted to the server's dialect.

    Only ``json`` changes: instructor sends ``{"type": "json_object"}`` and relies on the prompt;
    llama-cpp-python (and vLLM) also take the schema there and constrain decoding with it.
    """
    if dialect != "json":
        return params
    return {**params, "response_format": {"type": "json_object", "schema": schema}}


class DialectNegotiator:
    """The dialect one endpoint is spoken to in, and the dialects it rejected during this run.

    Thread-safe: concurrent requests that were rejected together switch the endpoint once.
    """

    def __init__(self, start: str | None, *, base_url: str | None, endpoint: str) -> None:
        self.explicit = start is not None
        self._current = check_dialect(start) if start is not None else default_dialect(base_url)
        self.endpoint = endpoint
        self.rejected: dict[str, str] = {}  # dialect -> the server's reason
        self._lock = threading.Lock()

    @property
    def current(self) -> str:
        return self._current

    def fall_back(self, tried: str, exc: BaseException) -> str | None:
        """The dialect to resend a request in after `tried` was rejected, or None to give up.

        None for an explicit mode and when every dialect was rejected; a dialect is never
        offered twice for an endpoint. Logs the switch once.
        """
        if self.explicit:
            return None
        reason = " ".join(error_text(exc).split())[:300]
        with self._lock:
            self.rejected.setdefault(tried, f"HTTP {getattr(exc, 'status_code', '?')}: {reason}")
            if self._current in self.rejected:
                left = [name for name in FALLBACK_ORDER if name not in self.rejected]
                after = [name for name in left if FALLBACK_ORDER.index(name) > FALLBACK_ORDER.index(self._current)]
                if not after:
                    return None
                previous, self._current = self._current, after[0]
                log.warning(
                    "llmx: %s rejected the %s structured-output dialect (%s); using %s for the rest of this run "
                    "(set --llm-mode / llm_mode= to choose)",
                    self.endpoint, previous, self.rejected[previous], self._current,
                )
            return self._current

    def note(self) -> dict[str, Any] | None:
        """What `record.meta.extra["llm_mode"]` says after a fallback (None when there was none)."""
        with self._lock:
            if not self.rejected:
                return None
            return {"used": self._current, "rejected": dict(self.rejected)}
