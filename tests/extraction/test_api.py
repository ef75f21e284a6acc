"""The extraction pipeline end to end: real openai + instructor over HTTP to a loopback server.

The loopback server plays the model with scripted replies; everything else (recognizers, rules,
prompt rendering, the grounded reply schema, instructor's re-asks, the validator, span
alignment, provenance) is the production code path.
"""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest
from pydantic import BaseModel, ValidationError

from llmx.extraction import api as pipeline
from llmx.errors import ConfigError, InputError
from llmx.extraction.free import draft_model, from_draft, merge_drafts
from llmx.extraction.grounded import LabelPolicy, grounded_name
from llmx.rules.record import rules_record
from llmx.extraction.api import aextract, extract, make_backend, plan
from llmx.extraction.prompts import load_template
from llmx.schema import Money, PressRelease, Ticker
from llmx.validation.checks import source_context
from llmx.testing import Scripted, last_user_message, request_schema, structured_reply
from support import ROOT

TEXT = (
    "PORTLAND, Maine, March 3, 2026 -- Brackenridge Labs, Inc. (NASDAQ: BRKL) today announced a license "
    "agreement with Vellmar Bio. Vellmar will pay Brackenridge $20 million upfront and up to $310 million in "
    "milestone payments. Brackenridge ended 2025 with $42.5 million in cash.\n"
)


def slot_ids(body: dict) -> list[str]:
    """The amount ids the grounded reply schema asks for."""
    schema = request_schema(body)
    assert schema is not None, "the request carries no JSON schema"
    return list(schema["$defs"]["AmountRoles"]["properties"])


def ticker_ids(body: dict) -> set:
    """The values the grounded reply schema allows for issuer_ticker."""
    prop = request_schema(body)["properties"]["issuer_ticker"]
    allowed = set()
    for option in prop.get("anyOf", [prop]):
        allowed |= {option["const"]} if "const" in option else set(option.get("enum", [None]))
    return allowed


def grounded_answer(kinds: dict[str, str], **overrides) -> callable:
    """A responder labelling each requested amount id with kinds[id] (default 'other')."""

    def respond(body: dict):
        amounts = {
            slot: {"kind": kinds.get(slot, "other"), "status": "potential" if kinds.get(slot) == "milestone" else "actual",
                   "payer": "Vellmar Bio", "payee": "Brackenridge Labs"}
            for slot in slot_ids(body)
        }
        ticker = "T1" if "T1" in ticker_ids(body) else None
        answer = {"issuer": "Brackenridge Labs, Inc.", "issuer_ticker": ticker, "companies": ["Vellmar Bio"],
                  "date": "2026-03-03", "amounts": amounts}
        answer.update(overrides)
        return structured_reply(answer, prompt_tokens=100, completion_tokens=40)

    return respond


# -- grounded mode ------------------------------------------------------------------------------


def test_grounded_schema_has_one_slot_per_distinct_amount_and_ticker_ids(openai_backend):
    backend, server = openai_backend(grounded_answer({}))
    extract(TEXT, backend=backend)
    assert slot_ids(server.requests[0].body) == ["M1", "M2", "M3"]
    assert ticker_ids(server.requests[0].body) == {"T1", None}
    prompt = last_user_message(server.requests[0].body)
    assert 'M2: "$310 million"' in prompt and "T1: BRKL on NASDAQ" in prompt


def test_grounded_record_takes_values_from_text_and_roles_from_model(openai_backend):
    backend, server = openai_backend(grounded_answer({"M1": "upfront", "M2": "milestone", "M3": "cash"}))
    record = extract(TEXT, backend=backend, doc_id="brkl-1")
    assert record.id == "brkl-1"
    assert [(a.value, a.kind, a.status) for a in record.amounts] == [
        (20e6, "upfront", "actual"), (310e6, "milestone", "potential"), (42.5e6, "cash", "actual"),
    ]
    for amount in record.amounts:
        assert TEXT[amount.span[0] : amount.span[1]] == amount.text
    assert record.amounts[1].payer == "Vellmar Bio" and record.amounts[1].payee == "Brackenridge Labs"
    assert record.issuer.model_dump(exclude={"span"}) == {"name": "Brackenridge Labs, Inc.", "ticker": "BRKL", "exchange": "NASDAQ"}
    assert [t.symbol for t in record.tickers] == ["BRKL"]
    assert [c.name for c in record.companies] == ["Brackenridge Labs, Inc.", "Vellmar Bio"]
    assert record.date == "2026-03-03"
    named = [(record.issuer.name, record.issuer.span), (record.amounts[1].payer, record.amounts[1].payer_span),
             *((c.name, c.span) for c in record.companies)]
    assert all(TEXT[span[0] : span[1]] == name for name, span in named)
    assert TEXT[slice(*record.date_span)] == "March 3, 2026"
    meta = record.meta
    assert (meta.backend, meta.mode, meta.model) == ("openai", "grounded", "loopback-model")
    assert meta.prompt_hash == load_template("grounded").hash
    assert meta.content_hash == hashlib.sha256(TEXT.encode()).hexdigest()
    assert (meta.usage.calls, meta.usage.prompt_tokens, meta.usage.completion_tokens) == (1, 100, 40)
    assert not [f for f in meta.findings if f.severity == "error"]


def test_label_policies_choose_between_rules_and_model(openai_backend):
    rules = rules_record(TEXT)
    assert rules.amounts[1].kind != "milestone"  # the rules mislabel M2; the scripted model gets it right
    backend, _ = openai_backend(grounded_answer({"M1": "upfront", "M2": "milestone", "M3": "revenue"}))
    by_model = extract(TEXT, backend=backend, labels="model")
    by_rules = extract(TEXT, backend=backend, labels="rules")
    assert [a.kind for a in by_model.amounts] == ["upfront", "milestone", "revenue"]
    assert [a.kind for a in by_rules.amounts] == [a.kind for a in rules.amounts]
    # "fallback": the model only where the rules are unsure; nothing is unsure below 0.0
    never_unsure = LabelPolicy(kind="fallback", unsure_below=0.0)
    assert [a.kind for a in extract(TEXT, backend=backend, labels=never_unsure).amounts] == [a.kind for a in rules.amounts]
    always_unsure = LabelPolicy(kind="fallback", unsure_below=1.01)
    assert [a.kind for a in extract(TEXT, backend=backend, labels=always_unsure).amounts] == ["upfront", "milestone", "revenue"]


def test_names_the_model_invents_fall_back_to_the_rules(openai_backend):
    backend, _ = openai_backend(grounded_answer({}, issuer="Quantum Widgets Corp", companies=["Imaginary Holdings LLC"]))
    record = extract(TEXT, backend=backend, labels="model")
    assert record.issuer.name == "Brackenridge Labs, Inc."  # the rules' issuer: the model's is not in the text
    assert "Imaginary Holdings LLC" not in [c.name for c in record.companies]
    assert all(a.payer in (None, "Vellmar Bio") for a in record.amounts)


def test_grounded_reply_with_an_unknown_slot_is_reasked(openai_backend):
    first = {"issuer": None, "issuer_ticker": None, "companies": [], "date": None,
             "amounts": {"M1": {"kind": "upfront", "status": "actual", "payer": None, "payee": None},
                         "M9": {"kind": "royalty", "status": "actual", "payer": None, "payee": None}}}
    backend, server = openai_backend(Scripted([structured_reply(first), grounded_answer({"M1": "upfront"})]))
    record = extract(TEXT, backend=backend)
    assert server.count == 2
    reask = last_user_message(server.requests[1].body)
    # the re-ask names the slot the schema does not have and each slot the reply left out
    assert "amounts.M9\n  Extra inputs are not permitted" in reask
    assert "amounts.M2\n  Field required" in reask and "amounts.M3\n  Field required" in reask
    assert record.meta.usage.reasks == 1 and [a.value for a in record.amounts] == [20e6, 310e6, 42.5e6]


def test_a_chunk_the_model_cannot_answer_keeps_the_rules_labels(openai_backend):
    backend, server = openai_backend(lambda body: structured_reply({"issuer": 12}))
    record = extract(TEXT, backend=backend, max_reasks=1)
    assert server.count == 2
    assert record.model_dump(exclude={"meta", "id"}) == rules_record(TEXT).model_dump(exclude={"meta", "id"})
    assert "GroundedReply" in record.meta.extra["model_errors"][0]
    assert record.meta.usage.calls == 2


def test_explain_keeps_rendered_messages_and_raw_reply(openai_backend):
    backend, server = openai_backend(grounded_answer({"M1": "upfront"}))
    record = extract(TEXT, backend=backend, explain=True)
    call = record.meta.extra["calls"][0]
    sent = server.requests[0].body["messages"]
    assert call["messages"][0]["content"] == sent[0]["content"]
    assert TEXT.strip() in call["messages"][1]["content"]
    assert json.loads(call["raw"])["amounts"]["M1"]["kind"] == "upfront"
    assert record.meta.extra["labels"]["kind"] == "model"
    assert "calls" not in extract(TEXT, backend=backend).meta.extra


def test_long_text_is_chunked_and_every_span_points_into_the_original(openai_backend, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 400)
    monkeypatch.setattr(pipeline, "CHUNK_OVERLAP", 80)
    filler = "The program continues as planned and the team reports steady enrollment. " * 5
    text = TEXT + "\n" + filler + "\nIn addition, Vellmar purchased $7.5 million of common stock.\n" + filler
    backend, server = openai_backend(grounded_answer({"M1": "upfront", "M4": "equity"}))
    record = extract(text, backend=backend)
    assert server.count >= 2
    asked = [slot_ids(request.body) for request in server.requests]
    assert sorted(sum(asked, [])) == ["M1", "M2", "M3", "M4"]  # every amount labelled exactly once
    assert [a.value for a in record.amounts] == [20e6, 310e6, 42.5e6, 7.5e6]
    assert record.amounts[3].kind == "equity"
    for amount in record.amounts:
        assert text[amount.span[0] : amount.span[1]] == amount.text


def test_aextract_matches_extract(openai_backend):
    backend, _ = openai_backend(grounded_answer({"M1": "upfront", "M2": "milestone"}))
    sync = extract(TEXT, backend=backend)
    asynchronous = asyncio.run(aextract(TEXT, backend=backend))
    assert asynchronous.model_dump(exclude={"meta"}) == sync.model_dump(exclude={"meta"})
    assert asynchronous.meta.usage.calls == 1


# -- free mode ----------------------------------------------------------------------------------


def free_answer(amounts: list[dict], **extra) -> dict:
    return {"date": "2026-03-03", "issuer": {"name": "Brackenridge Labs, Inc.", "ticker": "BRKL", "exchange": "NASDAQ"},
            "tickers": [{"symbol": "BRKL", "exchange": "NASDAQ"}], "amounts": amounts, "companies": [], **extra}


GOOD = [{"value": 20e6, "currency": "USD", "text": "$20 million", "kind": "upfront", "status": "actual"}]
INVENTED = {"value": 99e6, "currency": "USD", "text": "$99 million", "kind": "other", "status": "actual"}


def test_free_mode_reasks_an_amount_not_in_the_text(openai_backend):
    backend, server = openai_backend(Scripted([structured_reply(free_answer(GOOD + [INVENTED])), structured_reply(free_answer(GOOD))]))
    record = extract(TEXT, backend=backend, mode="free")
    assert server.count == 2
    reask = last_user_message(server.requests[1].body)
    assert "99" in reask  # the validator's message names the offending value
    assert [a.value for a in record.amounts] == [20e6]
    assert record.amounts[0].span == (TEXT.index("$20 million"), TEXT.index("$20 million") + len("$20 million"))
    assert record.tickers[0].span is not None and TEXT[slice(*record.tickers[0].span)] == record.tickers[0].text
    assert record.meta.mode == "free" and record.meta.usage.reasks == 1
    assert record.meta.prompt_hash == load_template("free").hash


def test_free_mode_hides_spans_and_bookkeeping_from_the_model(openai_backend):
    backend, server = openai_backend(lambda body: structured_reply(free_answer(GOOD)))
    extract(TEXT, backend=backend, mode="free")
    schema = json.dumps(request_schema(server.requests[0].body))
    assert '"span"' not in schema and '"meta"' not in schema and '"value"' in schema


def test_free_mode_drops_what_stays_invalid_unless_asked_to_keep_it(openai_backend):
    backend, server = openai_backend(lambda body: structured_reply(free_answer(GOOD + [INVENTED])))
    dropped = extract(TEXT, backend=backend, mode="free", max_reasks=1)
    assert server.count == 2
    assert [a.value for a in dropped.amounts] == [20e6]
    assert dropped.meta.extra["dropped"][0]["value"]["value"] == 99e6
    kept = extract(TEXT, backend=backend, mode="free", max_reasks=1, keep_invalid=True)
    assert sorted(a.value for a in kept.amounts) == [20e6, 99e6]
    assert any(f.severity == "error" and "amounts" in f.path for f in kept.meta.findings)


class Deal(BaseModel):
    """A user's own schema reusing llmx field types."""

    buyer: str | None = None
    upfront: Money | None = None
    listing: Ticker | None = None


def test_free_mode_with_a_user_schema(openai_backend):
    reply = {"buyer": "Vellmar Bio", "upfront": {"value": 20e6, "currency": "USD", "text": "$20 million"},
             "listing": {"symbol": "BRKL", "exchange": "NASDAQ"}}
    backend, _ = openai_backend(lambda body: structured_reply(reply))
    deal = extract(TEXT, schema=Deal, backend=backend, mode="free")
    assert type(deal) is Deal
    assert deal.upfront.value == 20e6 and TEXT[slice(*deal.upfront.span)] == "$20 million"
    assert deal.listing.span is not None


# -- configuration and inputs -----------------------------------------------------------------


def test_rules_backend_needs_no_model():
    record = extract(TEXT, backend="rules", doc_id="r1")
    expected = rules_record(TEXT)
    assert record.model_dump(exclude={"meta", "id"}) == expected.model_dump(exclude={"meta", "id"})
    assert record.id == "r1" and record.meta.backend == "rules" and record.meta.usage.calls == 0
    assert record.meta.prompt_hash is None and record.meta.content_hash == hashlib.sha256(TEXT.encode()).hexdigest()


def test_backend_is_chosen_from_the_environment(monkeypatch):
    assert pipeline.resolve_backend_name(None) == pipeline.DEFAULT_OFFLINE_BACKEND
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert pipeline.resolve_backend_name(None) == "openai"
    assert make_backend(None, cache=False).name == "openai"
    assert pipeline.resolve_backend_name("rules") == "rules"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"backend": "nonsense"}, "unknown backend"),
        ({"backend": "rules", "mode": "free"}, "free mode needs a language model"),
        ({"backend": "rules", "schema": Deal}, "only fills llmx's PressRelease"),
        ({"backend": "rules", "mode": "sideways"}, "unknown mode"),
        ({"backend": "rules", "labels": "whatever"}, "unknown labels policy"),
        ({"backend": "rules", "max_reasks": -1}, "max_reasks must be >= 0"),
        ({"backend": "local", "model": "/nonexistent/model.gguf"}, "does not exist"),
        ({"backend": "local", "template": "/nonexistent/prompt.j2"}, "does not exist"),
    ],
)
def test_bad_settings_fail_before_any_model_call(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        extract(TEXT, **kwargs)


@pytest.mark.parametrize("text", ["", "   \n\t ", "abc\x00def"])
def test_unusable_text_is_an_input_error(text):
    with pytest.raises(InputError):
        extract(text, backend="rules")


def test_offline_default_reproduces_the_sample_record():
    root = ROOT / "examples"
    text = (root / "sample_press_release.txt").read_text(encoding="utf-8")
    expected = PressRelease.model_validate_json((root / "sample_press_release.expected.json").read_text(encoding="utf-8"))
    record = extract(text, cache=False)  # no API key in the environment: the offline default
    assert record.meta.backend == pipeline.DEFAULT_OFFLINE_BACKEND
    scored = {  # the fields the evaluation scores (payer/payee and ticker.company are not)
        "date": True, "issuer": True, "tickers": {"__all__": {"symbol", "exchange", "text", "span"}},
        "amounts": {"__all__": {"value", "currency", "text", "span", "kind", "status"}},
    }
    assert record.model_dump(include=scored) == expected.model_dump(include=scored)
    assert [c.name for c in record.companies] == [c.name for c in expected.companies]


# -- helpers behind the modes ---------------------------------------------------------------------


def test_model_names_are_matched_to_the_text_spelling():
    text = "ImnmunoGen, Inc. and Vellmar Bio signed the deal."
    assert grounded_name("ImmunoGen, Inc.", text) == "ImnmunoGen, Inc."  # OCR spelling from the text
    assert grounded_name("vellmar bio", text) == "Vellmar Bio"
    assert grounded_name("Quantum Widgets Corp", text) is None
    assert grounded_name("", text) is None and grounded_name(None, text) is None


def test_chunk_answers_merge_without_duplicates():
    first = PressRelease(amounts=[{"value": 5e6, "text": "$5 million"}], companies=[{"name": "Acme"}])
    second = PressRelease(
        date="2026-01-02",
        amounts=[{"value": 5e6, "text": "$5.0 million"}, {"value": 7e6}],
        companies=[{"name": "ACME"}, {"name": "Vellmar"}],
    )
    merged = merge_drafts([first, second])
    assert [(a.value, a.text) for a in merged.amounts] == [(5e6, "$5 million"), (7e6, None)]
    assert [c.name for c in merged.companies] == ["Acme", "Vellmar"]
    assert merged.date == "2026-01-02"


def test_draft_schema_hides_spans_at_any_depth_and_keeps_the_validators():
    class Portfolio(BaseModel):
        holdings: dict[str, list[Money]]
        main: tuple[Ticker, int] | None = None

    draft = draft_model(Portfolio)
    assert '"span"' not in json.dumps(draft.model_json_schema())
    context = source_context(TEXT)
    with pytest.raises(ValidationError, match="99"):
        draft.model_validate({"holdings": {"deal": [{"value": 99e6, "text": "$99 million"}]}}, context=context)
    ok = draft.model_validate({"holdings": {"deal": [{"value": 20e6, "text": "$20 million"}]}}, context=context)
    assert type(from_draft(Portfolio, ok)) is Portfolio


# -- the planning interface (shared by extract, aextract and the Batch API) ------------------


def test_plan_yields_the_requests_extract_sends_and_builds_the_same_record(openai_backend):
    backend, server = openai_backend(grounded_answer({"M1": "upfront", "M2": "milestone", "M3": "cash"}))
    live = extract(TEXT, backend=backend, doc_id="brkl-1")
    sent = server.requests[0].body

    steps = plan(TEXT, backend=backend, doc_id="brkl-1")
    request = steps.request
    assert request is not None and not steps.finished
    assert request.messages == sent["messages"]
    assert sorted(request.response_model.model_json_schema()["$defs"]["AmountRoles"]["properties"]) == ["M1", "M2", "M3"]
    with pytest.raises(RuntimeError, match="still has a model request"):
        steps.record()
    steps.answer(backend.complete(request.messages, request.response_model))
    assert steps.finished and steps.request is None
    record = steps.record()
    assert record.model_dump(exclude={"meta"}) == live.model_dump(exclude={"meta"})
    assert record.meta.usage.calls == 1
    with pytest.raises(RuntimeError, match="no request to answer"):
        steps.answer(backend.complete(request.messages, request.response_model))


def test_a_rejected_plan_request_keeps_the_rules_labels():
    from llmx.errors import ExtractionError

    backend = make_backend("openai", base_url="http://127.0.0.1:9/v1", cache=False)  # never called
    steps = plan(TEXT, backend=backend)
    error = ExtractionError("no valid reply")
    steps.reject(error)
    record = steps.record()
    rules = extract(TEXT, backend="rules")
    assert [(a.value, a.kind) for a in record.amounts] == [(a.value, a.kind) for a in rules.amounts]
    assert record.meta.extra["model_errors"] == ["no valid reply"]


def test_plan_with_the_rules_backend_needs_no_answers():
    steps = plan(TEXT, backend="rules")
    assert steps.finished and steps.record().meta.backend == "rules"
