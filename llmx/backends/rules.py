"""The `rules` backend: no model; grounded records come from the recognizers and rules alone."""

from __future__ import annotations

from typing import Any, ClassVar

from llmx.backends.base import Backend


class RulesBackend(Backend):
    """No language model: nothing is asked, so every label is the rules' (llmx.rules.record)."""

    name = "rules"
    model = "rules"
    default_labels: ClassVar[str] = "rules"
    asks_for_parties: ClassVar[bool] = False
    asks_a_model: ClassVar[bool] = False

    def worker_settings(self) -> dict[str, Any] | None:
        return {"name": "rules"}

    def __repr__(self) -> str:
        return "RulesBackend()"
