"""The one interface every chat backend implements, so extraction has a single code path."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

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


class Backend:
    """What every backend answers about itself, so extraction never looks up a backend by name.

    Subclass it and implement `complete` / `acomplete` (the `ChatBackend` protocol). The class
    attributes are the policy of a capable remote model; a backend overrides what differs.
    """

    name: str = "backend"
    model: str = "unknown"
    # Whose labels a grounded record keeps by default ("model", "rules", "fallback"; see LabelPolicy).
    default_labels: ClassVar[str] = "model"
    # Grounded prompts ask for payers/payees (a small model mostly invents them).
    asks_for_parties: ClassVar[bool] = True
    # False for a backend that is no language model: nothing is rendered or asked, no free mode.
    asks_a_model: ClassVar[bool] = True
    # Whether extract_many may run this backend in several processes, and whether it gains from it.
    can_run_in_workers: ClassVar[bool] = True
    gains_from_workers: ClassVar[bool] = False

    def template_for(self, mode: str) -> str | None:
        """The built-in prompt template for `mode` (None: this backend renders no prompt)."""
        return mode if self.asks_a_model else None

    def worker_settings(self) -> dict[str, Any] | None:
        """`make_backend` keyword arguments that rebuild this backend in a worker process (None: cannot)."""
        return None

    def close(self) -> None:
        """Release connections, caches or models (a no-op by default)."""

    def complete(
        self,
        messages: list[dict[str, Any]],
        response_model: type[T],
        *,
        validation_context: dict[str, Any] | None = None,
        max_reasks: int = 2,
    ) -> Completion[T]:
        raise NotImplementedError(f"{type(self).__name__} answers no model requests")

    async def acomplete(
        self,
        messages: list[dict[str, Any]],
        response_model: type[T],
        *,
        validation_context: dict[str, Any] | None = None,
        max_reasks: int = 2,
    ) -> Completion[T]:
        raise NotImplementedError(f"{type(self).__name__} answers no model requests")
