"""Property tests: random nested schemas with Money/Ticker/Quote fields.

For any such schema the reply schema is a valid JSON schema (Draft 2020-12), and any reply that
validates maps back to the user's class with every money amount and listing taken from the text.
"""

from __future__ import annotations

import itertools
import json
from typing import Any, Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, create_model

from adversarial_support import check_grounded
from llmx.extraction.free import walk
from llmx.extraction.grounded_schema import ReplySchema, schema_grounding
from llmx.recognize import recognize
from llmx.schema import Amount, Money, Quote, Ticker
from llmx.validation.checks import source_context

jsonschema = pytest.importorskip("jsonschema")

TEXT = (
    "BOSTON, March 3, 2026 -- Brackenridge Labs, Inc. (NASDAQ: BRKL) signed a deal with Vellmar Bio (NYSE: VLM). "
    "Vellmar pays $20 million upfront, up to EUR 310 million in milestones and CHF 4.5 million for research.\n"
)
MENTIONS = recognize(TEXT)
GROUNDING = schema_grounding(TEXT, MENTIONS)
AMOUNT_IDS = tuple(s.id for s in GROUNDING.amounts)
TICKER_IDS = tuple(s.id for s in GROUNDING.tickers)
_names = itertools.count()

LEAVES = st.sampled_from([Money, Amount, Ticker, Quote, str, int, float, bool])


def _wrap(inner: Any, how: str) -> Any:
    return {"plain": inner, "optional": Optional[inner], "list": list[inner]}[how]


@st.composite
def schemas(draw: st.DrawFn, depth: int = 0) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for index in range(draw(st.integers(1, 4))):
        if depth < 2 and draw(st.booleans()):
            inner: Any = draw(schemas(depth + 1))
        else:
            inner = draw(LEAVES)
        how = draw(st.sampled_from(["plain", "optional", "list"]))
        annotation = _wrap(inner, how)
        default = Field(default_factory=list) if how == "list" else (None if how == "optional" else ...)
        fields[f"f{index}"] = (annotation, default)
    return create_model(f"Random{next(_names)}", **fields)


def _reply_instance(schema: dict[str, Any], root: dict[str, Any], data: st.DataObject) -> Any:
    """A reply drawn from `schema`, choosing among enum members (ids) and printed quotes."""
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        return _reply_instance(data.draw(st.sampled_from(schema["anyOf"])), root, data)
    if "enum" in schema:
        return data.draw(st.sampled_from(schema["enum"]))
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        return {name: _reply_instance(prop, root, data) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        items = [_reply_instance(schema.get("items", {}), root, data) for _ in range(data.draw(st.integers(0, 3)))]
        if schema.get("uniqueItems"):  # a reply obeys its schema: no two equal items (objects included)
            items = list({json.dumps(item, sort_keys=True): item for item in items}.values())
        return items
    if kind == "string":
        return data.draw(st.sampled_from(["Brackenridge Labs", "vellmar bio", "milestones"]))
    if kind == "integer":
        return data.draw(st.integers(-5, 5))
    if kind == "number":
        return data.draw(st.floats(-1e9, 1e9, allow_nan=False))
    if kind == "boolean":
        return data.draw(st.booleans())
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=schemas(), data=st.data())
def test_random_schemas_give_valid_json_schemas_and_grounded_records(schema: type[BaseModel], data: st.DataObject) -> None:
    reply = ReplySchema(schema, AMOUNT_IDS, TICKER_IDS)
    json_schema = reply.model.model_json_schema()
    jsonschema.Draft202012Validator.check_schema(json_schema)
    instance = _reply_instance(json_schema, json_schema, data)
    jsonschema.Draft202012Validator(json_schema).validate(instance)
    answer = reply.model.model_validate(instance, context=source_context(TEXT, mentions=MENTIONS))
    record = reply.to_record(answer, GROUNDING)
    assert type(record) is schema
    found = check_grounded(record, TEXT, MENTIONS)
    assert found.not_in_text == [] and found.bad_quote_spans == []

    kinds: list[type] = []
    walk(record, lambda node, _path: kinds.append(type(node)))
    assert all(k in (Money, Amount, Ticker, Quote) or issubclass(k, BaseModel) for k in kinds)
