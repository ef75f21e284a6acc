"""A backend's own policy (labels, parties, prompt) decides how extraction asks it, not its name."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from llmx.backends.base import Backend, Completion
from llmx.errors import ExtractionError
from llmx.extraction.api import extract

TEXT = "Acme Bio (Nasdaq: ACME) will receive $25 million upfront from Beta Pharma and up to $1.2 billion in milestones."


class Recording(Backend):
    """Answers nothing (each chunk keeps the rules' labels) but records what it was asked."""

    name = "recording"
    model = "stub"

    def __init__(self) -> None:
        self.requests: list[tuple[list[dict[str, Any]], dict[str, Any]]] = []

    def complete(self, messages, response_model, *, validation_context=None, max_reasks=2) -> Completion[Any]:
        self.requests.append((messages, response_model.model_json_schema()))
        raise ExtractionError("stub: no answer", errors=[], raw=None)


class TrustsRules(Recording):
    default_labels: ClassVar[str] = "rules"


class NoParties(Recording):
    asks_for_parties: ClassVar[bool] = False


class Compact(Recording):
    def template_for(self, mode: str) -> str | None:
        return "grounded-compact" if mode == "grounded" else mode


def test_default_labels_of_the_backend_decide_whether_the_model_is_asked() -> None:
    trusting, asking = TrustsRules(), Recording()
    skipped = extract(TEXT, backend=trusting)
    asked = extract(TEXT, backend=asking)
    assert trusting.requests == [] and skipped.meta.extra.get("model_skipped")
    assert len(asking.requests) == 1 and not asked.meta.extra.get("model_skipped")
    # an explicit labels setting beats the backend's default
    assert extract(TEXT, backend=TrustsRules(), labels="model").meta.extra.get("model_skipped") is None


def test_a_backend_that_is_not_asked_for_parties_gets_no_payer_slots() -> None:
    with_parties, without = Recording(), NoParties()
    extract(TEXT, backend=with_parties)
    extract(TEXT, backend=without)
    assert "payer" in json.dumps(with_parties.requests[0][1]) and "payee" in json.dumps(with_parties.requests[0][1])
    assert "payer" not in json.dumps(without.requests[0][1]) and "payee" not in json.dumps(without.requests[0][1])


def test_the_backend_chooses_its_default_prompt() -> None:
    default, compact = Recording(), Compact()
    plain_hash = extract(TEXT, backend=default).meta.prompt_hash
    compact_hash = extract(TEXT, backend=compact).meta.prompt_hash
    assert plain_hash and compact_hash and plain_hash != compact_hash
    assert default.requests[0][0] != compact.requests[0][0]
