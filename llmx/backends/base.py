"""The one interface every chat backend implements, so extraction has a single code path."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from llmx.schema import Usage

T = TypeVar("T", bound=BaseModel)


@dataclass
class Completion(Generic[T]):
    """A validated structured reply plus what it cost and what the model literally said."""

    value: T
    usage: Usage = field(default_factory=Usage)
    raw: str | None = None  # the last raw reply (for --explain)


class ChatBackend(Protocol):
    """Turns chat messages into a validated instance of `response_model`.

    `validation_context` is passed to pydantic (`model_validate(..., context=...)`), so money and
    ticker fields are checked against the source text; failures are re-asked up to `max_reasks`
    times with the validator's messages. Transport retries are the backend's own business and are
    counted in `Usage.retries`, separately from `Usage.reasks`.
    """

    name: str
    model: str

    def complete(
        self,
        messages: list[dict[str, Any]],
        response_model: type[T],
        *,
        validation_context: dict[str, Any] | None = None,
        max_reasks: int = 2,
    ) -> Completion[T]: ...

    async def acomplete(
        self,
        messages: list[dict[str, Any]],
        response_model: type[T],
        *,
        validation_context: dict[str, Any] | None = None,
        max_reasks: int = 2,
    ) -> Completion[T]: ...
