"""The grounded reply classes' JSON schema, patched from a template per form, is exactly pydantic's."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import model_json_schema as pydantic_json_schema

from llmx.backends.openai.backend import OpenAIBackend
from llmx.extraction import grounded
from llmx.extraction.grounded import GroundedReplyBase, _reply_model, reply_json_schema


def ids(prefix: str, count: int, start: int = 1) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in range(start, start + count))


SHAPES = [
    (ids("M", amounts, start), ids("T", tickers), parties)
    for amounts in range(0, 41)
    for tickers in range(0, 7)
    for parties in (True, False)
    for start in ((1, 5) if amounts in (1, 3) else (1,))  # a later chunk's ids start above M1
]


@pytest.fixture
def fresh_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grounded, "_SCHEMA_TEMPLATES", {})


@pytest.mark.parametrize("order", ["ascending", "descending"])
def test_the_patched_schema_is_pydantics_for_every_shape_byte_for_byte(order: str, fresh_templates: None) -> None:
    # Which class of a form becomes its template must not matter: both orders are tried.
    shapes = SHAPES if order == "ascending" else SHAPES[::-1]
    for shape in shapes:
        model = _reply_model(*shape)
        assert json.dumps(model.model_json_schema()) == json.dumps(pydantic_json_schema(model)), shape
    assert len(grounded._SCHEMA_TEMPLATES) == 12  # 2 (amounts or none) x 3 (tickers 0 / 1 / 2+) x 2 (parties)


def test_the_instructor_class_and_the_request_body_carry_the_same_schema(fresh_templates: None) -> None:
    messages = [{"role": "user", "content": "x"}]
    for mode in ("json_schema", "tools"):
        backend = OpenAIBackend("m", base_url="http://127.0.0.1:9/v1", api_key="sk-test", mode=mode)
        for shape in [(ids("M", 2), ids("T", 1), True), (ids("M", 7), ids("T", 3), True), (ids("M", 3), (), False)]:
            model = _reply_model(*shape)
            parser, kwargs = backend.chat_request(messages, model)
            expected = pydantic_json_schema(model)
            if mode == "json_schema":  # instructor's request handler given the class itself
                assert parser is model
                assert json.dumps(kwargs["response_format"]["json_schema"]["schema"]) == json.dumps(expected)
            else:
                assert parser is not model and issubclass(parser, model)  # instructor's subclass inherits the template
            assert json.dumps(parser.model_json_schema()) == json.dumps(expected)


def test_the_json_schema_request_is_the_one_instructor_shapes_through_its_subclass(fresh_templates: None) -> None:
    # chat_request skips instructor's handle_response_model (a new OpenAISchema subclass per class) in
    # JSON_SCHEMA mode: what it sends must be what that path sends, byte for byte, for every form.
    from llmx.backends.openai.backend import _instructor_model
    from llmx.backends.openai.instructor_adapter import MODES, request_for

    backend = OpenAIBackend("m", base_url="http://127.0.0.1:9/v1", api_key="sk-test", mode="json_schema")
    messages = [{"role": "system", "content": "s"}, {"role": "user", "content": "x"}]
    for shape in [s for s in SHAPES if len(s[0]) in (0, 1, 3, 12)]:
        model = _reply_model(*shape)
        _, kwargs = backend.chat_request(messages, model)
        _, through_instructor = request_for(_instructor_model(model), MODES["json_schema"], list(messages))
        assert json.dumps(kwargs["response_format"]) == json.dumps(through_instructor["response_format"]), shape
        assert kwargs["messages"] == through_instructor["messages"]


def test_other_arguments_and_other_fields_get_pydantics_own_schema(fresh_templates: None) -> None:
    model = _reply_model(ids("M", 2), ids("T", 2), True)
    assert model.model_json_schema(mode="serialization") == pydantic_json_schema(model, mode="serialization")

    class Wider(model):  # type: ignore[misc, valid-type]
        note: str = ""

    assert "note" in Wider.model_json_schema()["properties"]
    assert Wider.model_json_schema() == pydantic_json_schema(Wider)


def test_each_call_gets_its_own_copy(fresh_templates: None) -> None:
    model = _reply_model(ids("M", 2), ids("T", 2), True)
    model.model_json_schema()  # the template
    other = _reply_model(ids("M", 3), ids("T", 2), True)
    first = other.model_json_schema()
    first["$defs"]["AmountRoles"]["required"].append("M99")
    first["properties"]["issuer_ticker"]["anyOf"][0]["enum"].append("T99")
    assert reply_json_schema(other) == pydantic_json_schema(other)


def test_the_grounding_guarantee_is_the_classes_not_the_schema() -> None:
    # Validation still comes from the per-shape class: unknown ids and missing amounts are rejected.
    model = _reply_model(ids("M", 2), ids("T", 2), True)
    role = {"kind": "upfront", "status": "actual", "payer": None, "payee": None}
    reply = {"issuer": "A", "issuer_ticker": "T2", "companies": [], "date": None, "amounts": {"M1": role, "M2": role}}
    assert isinstance(model.model_validate(reply), GroundedReplyBase)
    for bad in ({**reply, "issuer_ticker": "T3"}, {**reply, "amounts": {"M1": role}}, {**reply, "amounts": {"M1": role, "M2": role, "M3": role}}):
        with pytest.raises(ValidationError):
            model.model_validate(bad)
    assert issubclass(model, BaseModel) and model.__name__ == "GroundedReply" and model.__doc__ is None
