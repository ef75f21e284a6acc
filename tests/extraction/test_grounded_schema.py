"""Grounded extraction into users' schemas: id choices for Money/Ticker, aligned Quotes, spans.

The loopback server plays the model (real openai + instructor over HTTP); the adversarial
responder (tests/adversarial_support.py) answers every id slot badly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from adversarial_support import Adversary, check_grounded, extract_counted
from llmx import Amount, Money, Quote, Ticker, extract
from llmx.errors import ConfigError
from llmx.evaluate.gold import load_gold_dir
from llmx.extraction.grounded_schema import ReplySchema
from llmx.rules.record import rules_record
from llmx.extraction.prompts import load_template
from llmx.recognize.quotes import align
from llmx.rules.spans import date_span
from llmx.recognize import recognize
from llmx.schema import RecordMeta
from llmx.testing import Scripted, request_schema, structured_reply

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "evals" / "press_releases"
OWN = ROOT / "evals" / "press_releases"

TEXT = (
    "SALEM, Ore., May 6, 2026 -- Quillfeather Biosciences (NASDAQ: QFBX) and Tarnwick Pharma signed a\n"
    "license deal. Tarnwick will pay Quillfeather $12 million upfront and up to $150 million in milestones,\n"
    "plus tiered royalties of 8% to 12%. Quillfeather ended the quarter with $40.2 million in cash.\n"
)


class Parties(BaseModel):
    licensee: Quote | None = None
    licensor: Quote | None = None


class Deal(BaseModel):
    """A licensing deal."""

    parties: Parties = Field(default_factory=Parties)
    upfront: Money | None = Field(None, description="Upfront payment.")
    milestones: list[Money] = Field(default_factory=list)
    listing: Ticker | None = None
    roles: list[Amount] = Field(default_factory=list)
    royalty: str | None = Field(None, description="Royalty terms as printed.")


def _backend(loopback, make_backend, responder):
    server = loopback(responder)
    return make_backend(server, cache=False), server


def _ids_in_prompt(body: dict) -> dict[str, str]:
    """'$12 million' -> 'M1', as the prompt lists the amounts ('M1: "$12 million" ... context ...')."""
    ids = {}
    for line in body["messages"][-1]["content"].splitlines():
        head, _, rest = line.partition(": ")
        if head[:1] == "M" and head[1:].isdigit():
            ids[rest.split('"')[1]] = head
    return ids


# -- the reply schema ---------------------------------------------------------------------------


def test_reply_schema_offers_only_recognized_ids_at_any_depth():
    schema = ReplySchema(Deal, ("M1", "M2"), ("T1",)).model.model_json_schema()
    text = json.dumps(schema)
    assert '"value"' not in text and '"currency"' not in text and '"span"' not in text  # no room to write a number
    props = schema["properties"]
    assert {"enum": ["M1", "M2"], "type": "string"} in props["upfront"]["anyOf"]
    assert props["milestones"]["items"]["enum"] == ["M1", "M2"] and props["milestones"]["uniqueItems"] is True
    assert {"const": "T1", "type": "string"} in props["listing"]["anyOf"]
    ref = schema["$defs"]["AmountRef"]
    assert ref["properties"]["id"]["enum"] == ["M1", "M2"] and "kind" in ref["properties"]  # Amount's own fields stay
    assert "payer_span" not in ref["properties"]
    parties = schema["$defs"]["Parties"]["properties"]
    assert parties["licensee"]["anyOf"][0]["maxLength"] > 0  # a quote is a string to copy
    assert props["royalty"]["anyOf"] == [{"type": "string"}, {"type": "null"}]  # other fields as written


def test_a_document_without_amounts_offers_only_null():
    props = ReplySchema(Deal, (), ()).model.model_json_schema()["properties"]
    assert props["upfront"]["type"] == "null" and "no amounts were found" in props["upfront"]["description"]
    assert props["milestones"]["items"] == {"type": "null"}


# -- extraction over HTTP ---------------------------------------------------------------------


def test_grounded_user_schema_takes_values_and_spans_from_the_text(loopback, make_backend):
    def respond(body):
        ids = _ids_in_prompt(body)
        return structured_reply({
            "parties": {"licensee": "Tarnwick Pharma", "licensor": "quillfeather biosciences"},
            "upfront": ids["$12 million"], "milestones": [ids["$150 million"], ids["$150 million"]],
            "listing": "T1", "roles": [{"id": ids["$40.2 million"], "kind": "cash", "status": "actual"}],
            "royalty": "tiered royalties of 8% to 12%",
        })

    backend, server = _backend(loopback, make_backend, respond)
    deal = extract(TEXT, schema=Deal, backend=backend)
    assert type(deal) is Deal and server.count == 1
    assert (deal.upfront.value, deal.upfront.text) == (12e6, "$12 million")
    assert [m.value for m in deal.milestones] == [150e6]  # distinct ids
    assert (deal.listing.symbol, deal.listing.exchange) == ("QFBX", "NASDAQ")
    assert (deal.roles[0].value, deal.roles[0].kind) == (40.2e6, "cash")
    for value in (deal.upfront, *deal.milestones, deal.listing, deal.roles[0]):
        assert TEXT[value.span[0] : value.span[1]] == value.text
    assert deal.parties.licensor.text == "Quillfeather Biosciences"  # as printed, not as written by the model
    assert TEXT[slice(*deal.parties.licensor.span)] == "Quillfeather Biosciences"
    assert deal.royalty == "tiered royalties of 8% to 12%"
    schema = request_schema(server.requests[0].body)
    assert "M1" in json.dumps(schema) and "grounded-schema" not in json.dumps(schema)


def test_an_id_that_does_not_exist_is_reasked_with_the_valid_ids(loopback, make_backend):
    replies = Scripted([structured_reply({"upfront": "M9"}), structured_reply({"upfront": "M1"})])
    backend, server = _backend(loopback, make_backend, replies)
    record, usage, dropped = extract_counted(TEXT, Deal, backend)
    assert server.count == 2 and usage.reasks == 1 and not dropped
    reask = json.dumps(server.requests[1].body["messages"][2:])
    assert "'M9' is not one of the amount ids listed (M1, M2, M3)" in reask
    assert record.upfront.value == 12e6


def test_a_quote_not_printed_is_reasked_and_an_ocr_spelling_is_aligned(loopback, make_backend):
    text = TEXT.replace("Tarnwick Pharma", "Tarnwlck Pharma")  # OCR noise in the text
    replies = Scripted([
        structured_reply({"parties": {"licensee": "Invented Holdings LLC"}}),
        structured_reply({"parties": {"licensee": "Tarnwick Pharma"}}),
    ])
    backend, server = _backend(loopback, make_backend, replies)
    deal, usage, _ = extract_counted(text, Deal, backend)
    assert usage.reasks == 1 and "is not printed in the text" in json.dumps(server.requests[1].body["messages"][2:])
    assert deal.parties.licensee.text == "Tarnwlck Pharma" and text[slice(*deal.parties.licensee.span)] == "Tarnwlck Pharma"


def test_when_reasks_run_out_invalid_values_are_dropped_never_guessed(loopback, make_backend):
    bad = {"upfront": "M77", "milestones": ["M2", "M42"], "listing": "T1", "parties": {"licensee": "Nobody Inc"}}
    backend, server = _backend(loopback, make_backend, Scripted([structured_reply(bad)], repeat_last=True))
    deal, usage, dropped = extract_counted(TEXT, Deal, backend, max_reasks=2)
    assert server.count == 3 and usage.reasks == 2
    assert deal.upfront is None and [m.value for m in deal.milestones] == [150e6] and deal.parties.licensee is None
    assert deal.listing.symbol == "QFBX"
    assert {d["path"] for d in dropped} == {"upfront", "milestones.1", "parties.licensee"}


def test_a_user_template_is_used_and_its_hash_recorded(loopback, make_backend, tmp_path):
    class Tracked(BaseModel):
        upfront: Money | None = None
        meta: RecordMeta | None = None

    template = tmp_path / "mine.j2"
    template.write_text('{% extends "grounded-schema.j2" %}{% block instructions %}Custom rules.{% endblock %}')
    backend, server = _backend(loopback, make_backend, lambda body: structured_reply({"upfront": "M1"}))
    record = extract(TEXT, schema=Tracked, backend=backend, template=template)
    assert record.meta.prompt_hash == load_template(template).hash != load_template("grounded-schema").hash
    assert server.requests[0].body["messages"][0]["content"].startswith("Custom rules.")
    assert record.meta.mode == "grounded" and record.upfront.value == 12e6
    assert "Amounts:" in server.requests[0].body["messages"][1]["content"]


def test_the_rules_backend_says_it_cannot_fill_a_user_schema():
    with pytest.raises(ConfigError, match="only fills llmx's PressRelease.*'openai' or 'local'"):
        extract(TEXT, schema=Deal, backend="rules")


# -- adversarial runs over the eval sets --------------------------------------------------------


def _docs() -> list[tuple[str, str]]:
    docs = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((OWN / "docs").glob("*.txt"))]
    if (SHARED / "docs").is_dir():
        docs += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((SHARED / "docs").glob("*.txt"))]
    return docs


@pytest.mark.parametrize("schema_name", ["licensing", "financing", "earnings"])
def test_adversarial_replies_never_put_a_value_absent_from_the_text_in_a_record(loopback, make_backend, schema_name):
    import sys

    sys.path.insert(0, str(ROOT))
    from examples.schemas import SCHEMAS

    adversary = Adversary(seed=len(schema_name))
    backend, server = _backend(loopback, make_backend, adversary)
    docs = _docs()
    totals = {"records": 0, "money": 0, "quotes": 0, "reasks": 0}
    for doc_id, text in docs:
        record, usage, _ = extract_counted(text, SCHEMAS[schema_name], backend, max_reasks=2)
        found = check_grounded(record, text, recognize(text))
        assert found.not_in_text == [], doc_id
        assert found.bad_quote_spans == [], doc_id
        assert usage.reasks <= 2 and usage.calls == usage.reasks + 1
        totals["records"] += 1
        totals["money"] += found.money
        totals["quotes"] += found.quotes
        totals["reasks"] += usage.reasks
    assert totals["records"] == len(docs) and server.count == len(docs) + totals["reasks"]
    assert totals["money"] > 0 and totals["reasks"] > len(docs)  # the adversary was answered, and re-asked


# -- quotes and PressRelease spans --------------------------------------------------------------


def test_align_finds_exact_spacing_case_and_ocr_variants_and_nothing_else():
    text = "Boston -- Acme\nTherapeutics, Inc. and ImnmunoGen signed; Acmeville is a town."
    assert align("acme therapeutics, inc.", text) == ("Acme\nTherapeutics, Inc.", (10, 33))
    assert align("ImmunoGen", text) == ("ImnmunoGen", (38, 48))
    assert align("Acme", text)[1] == (10, 14)  # a whole word before a longer one
    assert align("Zyxwv Pharma", text) is None
    assert align("Acmx", text) is None  # short quotes must match exactly


def test_date_span_finds_the_printed_date():
    text = "Released NEW YORK, Aug. 1, 2025 /PRNewswire/ -- the 2025-08-01 call."
    assert text[slice(*date_span("2025-08-01", text))] == "Aug. 1, 2025"
    assert date_span("2025-08-02", text) is None


def test_quote_fields_validate_against_the_text_in_free_mode_too():
    from llmx.validation.checks import source_context

    class Who(BaseModel):
        name: Quote

    who = Who.model_validate({"name": "quillfeather biosciences"}, context=source_context(TEXT))
    assert who.name.text == "Quillfeather Biosciences" and TEXT[slice(*who.name.span)] == who.name.text
    with pytest.raises(ValueError, match="not printed"):
        Who.model_validate({"name": "Zyxwv Pharma"}, context=source_context(TEXT))


def _norm(value: str) -> str:
    return " ".join(value.casefold().split())


@pytest.mark.parametrize("folder", [OWN, SHARED], ids=["own", "shared"])
def test_press_release_name_and_date_spans_index_the_text(folder):
    if not (folder / "gold.jsonl").is_file():
        pytest.skip(f"{folder} is not available beside the checkout")
    from rapidfuzz import fuzz

    checked = 0
    for doc in load_gold_dir(folder):
        record = rules_record(doc.text)
        values = [(record.issuer.name, record.issuer.span)] + [(c.name, c.span) for c in record.companies]
        values += [(a.payer, a.payer_span) for a in record.amounts] + [(a.payee, a.payee_span) for a in record.amounts]
        for value, span in values:
            if value is None or span is None:
                continue
            printed = doc.text[span[0] : span[1]]
            assert _norm(printed) == _norm(value) or fuzz.ratio(_norm(printed), _norm(value)) >= 85, (doc.id, value, printed)
            checked += 1
        if record.date is not None:
            assert record.date_span is not None and date_span(record.date, doc.text) == record.date_span
    assert checked > 0
