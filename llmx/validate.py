"""Rule-based validator (interface fixed; implementation: issue #2)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from llmx.schema import Finding


class SourceIndex:
    """The source text plus its recognized mentions, computed once and shared by all checks."""


def source_context(text: str, registry: Any = None) -> dict[str, Any]:
    """The pydantic validation context that makes Money/Ticker fields check themselves against `text`."""
    raise NotImplementedError


def raise_for_field(model: BaseModel, source: SourceIndex) -> None:
    """Raise ValueError (message written for an LLM re-ask) if this Money/Ticker value is not supported."""
    raise NotImplementedError


def validate(text: str, record: BaseModel | dict, registry: Any = None) -> "ValidationReport":
    """Cross-check every Money and Ticker value anywhere in `record` against `text`."""
    raise NotImplementedError


class ValidationReport(BaseModel):
    ok: bool
    findings: list[Finding]
