"""Issue 16, extraction: a value that fails validation is never returned as good, and a grounded
record the rules filled in says so (meta.fallback, a logged warning, strict=True raises).

The loopback server plays the model over real HTTP (openai + instructor), as in test_api.py.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from pydantic import BaseModel

from llmx.errors import ExtractionError
from llmx.extraction import api
from llmx.extraction.api import extract
from llmx.rules.record import rules_record
from llmx.schema import Money, RecordMeta, Ticker
from llmx.testing import request_schema, structured_reply

TEXT = (
    "OSLO, Norway, May 4, 2026 -- Fjordlight Therapeutics ASA (NASDAQ: FJRD) signed an option deal with "
    "Quarrow Pharma. Quarrow pays Fjordlight $15 million upfront and up to $200 million in milestones.\n"
)


class Deal(BaseModel):
    """A user schema whose money field is required."""

    partner: str | None = None
    upfront: Money
    listing: Ticker | None = None


class OptionalDeal(BaseModel):
    partner: str | None = None
    upfront: Money | None = None


INVENTED = {"value": 99.0, "currency": "EUR", "text": "99 EUR"}
REAL = {"value": 15e6, "currency": "USD", "text": "$15 million"}


# -- free mode ----------------------------------------------------------------------------------


def test_a_required_value_that_stays_invalid_raises_with_findings_and_usage(openai_backend):
    backend, server = openai_backend(lambda body: structured_reply({"partner": "Quarrow Pharma", "upfront": INVENTED}))
    with pytest.raises(ExtractionError) as caught:
        extract(TEXT, schema=Deal, backend=backend, mode="free", max_reasks=2)
    assert server.count == 3  # the first answer and two re-asks
    error = caught.value
    assert [f.path for f in error.findings] == ["upfront"] and error.findings[0].severity == "error"
    assert "99" in error.findings[0].message
    assert error.usage is not None and error.usage.calls == 3
    assert "keep_invalid" in str(error)


def test_keep_invalid_keeps_a_required_value_with_its_findings(openai_backend):
    backend, _ = openai_backend(lambda body: structured_reply({"partner": "Quarrow Pharma", "upfront": INVENTED}))
    deal, meta = api.extract_with_meta(TEXT, schema=Deal, backend=backend, mode="free", max_reasks=1, keep_invalid=True)
    assert deal.upfront.value == 99.0 and deal.upfront.currency == "EUR"
    assert any(f.severity == "error" and f.path.startswith("upfront") for f in meta.findings)
    assert meta.extra["rejected"][0]["path"] == "upfront"


def test_an_optional_value_that_stays_invalid_becomes_null_and_is_a_finding(openai_backend):
    backend, _ = openai_backend(lambda body: structured_reply({"partner": "Quarrow Pharma", "upfront": INVENTED}))
    deal, meta = api.extract_with_meta(TEXT, schema=OptionalDeal, backend=backend, mode="free", max_reasks=1)
    assert deal.upfront is None and deal.partner == "Quarrow Pharma"
    dropped = [f for f in meta.findings if f.code == "DROPPED_VALUE"]
    assert [f.path for f in dropped] == ["upfront"] and "99 EUR" in dropped[0].message


def test_user_schema_results_come_with_their_meta(openai_backend):
    backend, _ = openai_backend(lambda body: structured_reply({"partner": "Quarrow Pharma", "upfront": REAL}))
    deal, meta = api.extract_with_meta(TEXT, schema=Deal, backend=backend, mode="free", doc_id="d1")
    assert type(deal) is Deal and deal.upfront.value == 15e6
    assert isinstance(meta, RecordMeta)
    assert (meta.backend, meta.mode, meta.usage.calls, meta.findings) == ("openai", "free", 1, [])
    assert meta.content_hash and meta.prompt_hash
    again, ameta = asyncio.run(api.aextract_with_meta(TEXT, schema=Deal, backend=backend, mode="free"))
    assert again == deal and ameta.usage.calls == 1


def test_extract_with_meta_returns_the_records_own_meta_for_press_releases():
    record, meta = api.extract_with_meta(TEXT, backend="rules")
    assert meta is record.meta and meta.backend == "rules" and meta.fallback is None


# -- grounded mode ------------------------------------------------------------------------------


def test_an_unusable_grounded_answer_is_a_fallback_in_meta_and_a_warning(openai_backend, caplog):
    backend, _ = openai_backend(lambda body: structured_reply({}))
    with caplog.at_level(logging.WARNING, logger="llmx"):
        record = extract(TEXT, backend=backend, max_reasks=1, doc_id="fjord-1")
    assert record.model_dump(exclude={"meta", "id"}) == rules_record(TEXT).model_dump(exclude={"meta", "id"})
    assert record.meta.fallback is not None and record.meta.fallback.startswith("rules: ")
    assert "GroundedReply" in record.meta.fallback
    assert any(f.code == "RULES_FALLBACK" for f in record.meta.findings)
    warnings = [r for r in caplog.records if r.name == "llmx" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "fjord-1" in warnings[0].getMessage() and "unusable" in warnings[0].getMessage()


def test_strict_makes_an_unusable_grounded_answer_an_error(openai_backend):
    backend, server = openai_backend(lambda body: structured_reply({}))
    with pytest.raises(ExtractionError) as caught:
        extract(TEXT, backend=backend, max_reasks=1, strict=True, doc_id="fjord-1")
    assert "fjord-1" in str(caught.value) and "strict" in str(caught.value)
    assert caught.value.usage.calls == server.count == 2
    assert caught.value.findings[0].code == "RULES_FALLBACK"


def test_a_usable_grounded_answer_has_no_fallback(openai_backend, caplog):
    def answer(body):
        slots = request_schema(body)["$defs"]["AmountRoles"]["properties"]
        amounts = {slot: {"kind": "other", "status": "actual", "payer": None, "payee": None} for slot in slots}
        return structured_reply({"issuer": "Fjordlight Therapeutics ASA", "issuer_ticker": None, "companies": [],
                                 "date": "2026-05-04", "amounts": amounts})

    backend, _ = openai_backend(answer)
    with caplog.at_level(logging.WARNING, logger="llmx"):
        record = extract(TEXT, backend=backend, strict=True)
    assert record.meta.fallback is None and not [r for r in caplog.records if r.name == "llmx"]
