"""Exceptions users can catch. Messages say what was wrong and what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llmx.schema import Usage


class LLMXError(Exception):
    """Base class for every error llmx raises on purpose."""


class InputError(LLMXError, ValueError):
    """The document cannot be extracted as given (empty, binary, not UTF-8, ...)."""


class ConfigError(LLMXError):
    """A backend, model, template or schema was configured wrongly."""


class BackendError(LLMXError):
    """The model backend failed after all transport retries.

    `status_code` is the last HTTP status (None for network failures or local models); `usage`
    counts what was spent before giving up, so failed documents still show up in cost totals.
    """

    def __init__(self, message: str, *, status_code: int | None = None, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.usage = usage


class Interrupted(LLMXError):
    """A run was stopped (Ctrl-C, SIGTERM) before every document was done.

    `done` of `total` documents finished; their records are saved where the run was writing
    (`saved_to`, None when it wrote nowhere durable), so nothing finished is lost.
    """

    def __init__(self, message: str, *, done: int, total: int, saved_to: str | None = None) -> None:
        super().__init__(message)
        self.done = done
        self.total = total
        self.saved_to = saved_to


class ExtractionError(LLMXError):
    """The model kept returning records that fail validation after all re-asks.

    `errors` lists the last validation errors (pydantic's dicts), `raw` is the last reply text
    (kept so nothing the model produced is lost), `usage` what all attempts cost and `findings`
    the values the validator rejected (free mode) or why the model's answer was unusable (strict).
    """

    def __init__(
        self,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        raw: str | None = None,
        usage: Usage | None = None,
        findings: list[Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.errors = errors if errors is not None else []
        self.raw = raw
        self.usage = usage
        self.findings = findings if findings is not None else []
