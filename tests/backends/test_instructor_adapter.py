"""One test per instructor API llmx uses (llmx.backends.openai.instructor_adapter).

A new instructor release that moves or changes one of them fails here, naming the part, before
anything else breaks in a less readable way.
"""

from __future__ import annotations

import json

import pytest
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from llmx.backends.openai import instructor_adapter as adapter


class Deal(BaseModel):
    payer: str
    amount: int


def completion(content: str | None = None, *, tool_args: str | None = None, finish_reason: str = "stop") -> ChatCompletion:
    message: dict = {"role": "assistant", "content": content}
    if tool_args is not None:
        message["tool_calls"] = [{"id": "call_1", "type": "function", "function": {"name": "Deal", "arguments": tool_args}}]
    return ChatCompletion.model_validate(
        {"id": "c1", "object": "chat.completion", "created": 0, "model": "m",
         "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}]}
    )


def parser_for(mode: str) -> tuple[type[BaseModel], dict]:
    return adapter.request_for(Deal, adapter.MODES[mode], [{"role": "user", "content": "text"}])


@pytest.mark.parametrize("installed, ok", [("1.17.0", True), ("1.99.3", True), ("1.16.9", False), ("2.0.0", False), ("0.9", False)])
def test_check_version_accepts_only_the_checked_range(installed, ok):
    if ok:
        assert adapter.check_version(installed) == installed
    else:
        with pytest.raises(ImportError, match=r"instructor >= 1\.17, < 2\.0 \(found " + installed.replace(".", r"\.")):
            adapter.check_version(installed)


def test_the_installed_instructor_is_in_range():
    assert adapter.check_version() == adapter.INSTRUCTOR_VERSION


def test_modes_are_instructor_modes():
    assert {name: mode.name for name, mode in adapter.MODES.items()} == {
        "tools": "TOOLS", "json_schema": "JSON_SCHEMA", "json": "JSON", "md_json": "MD_JSON",
    }


def test_request_for_shapes_each_mode():
    _, tools = parser_for("tools")
    assert tools["tools"][0]["function"]["name"] == "Deal" and tools["tool_choice"]["function"]["name"] == "Deal"
    _, schema = parser_for("json_schema")
    assert schema["response_format"]["type"] == "json_schema"
    assert set(schema["response_format"]["json_schema"]["schema"]["properties"]) == {"payer", "amount"}
    for mode in ("json", "md_json"):  # the schema goes into the messages
        _, kwargs = parser_for(mode)
        assert any("amount" in str(message.get("content")) for message in kwargs["messages"])
    parser, _ = parser_for("json_schema")
    assert issubclass(parser, adapter.OpenAISchema)


@pytest.mark.parametrize("mode", ["json_schema", "json", "md_json", "tools"])
def test_reply_parser_exists_for_every_mode(mode):
    assert callable(adapter.reply_parser(adapter.MODES[mode]))


@pytest.mark.parametrize("mode", ["json_schema", "tools"])
def test_parse_reply_validates_with_the_context(mode):
    parser, _ = parser_for(mode)
    body = json.dumps({"payer": "Acme", "amount": 3})
    reply = completion(tool_args=body) if mode == "tools" else completion(body)
    value = adapter.parse_reply(parser, reply, adapter.MODES[mode], {"llmx_source": None}, None)
    assert (value.payer, value.amount) == ("Acme", 3)
    bad = completion(tool_args='{"payer": "Acme"}') if mode == "tools" else completion('{"payer": "Acme"}')
    with pytest.raises(adapter.REPLY_FAILURES):
        adapter.parse_reply(parser, bad, adapter.MODES[mode], None, None)


def test_parse_reply_through_from_response_gives_the_same_value(monkeypatch):
    parser, _ = parser_for("json_schema")
    reply = completion(json.dumps({"payer": "Acme", "amount": 3}))
    direct = adapter.parse_reply(parser, reply, adapter.MODES["json_schema"], None, None)
    monkeypatch.setattr(adapter, "reply_parser", lambda mode: None)
    fallback = adapter.parse_reply(parser, reply, adapter.MODES["json_schema"], None, None)
    assert direct.model_dump() == fallback.model_dump()


def test_a_reply_cut_off_by_max_tokens_is_incomplete_output():
    parser, _ = parser_for("json_schema")
    with pytest.raises(adapter.IncompleteOutputException):
        adapter.parse_reply(parser, completion('{"payer": "Ac', finish_reason="length"), adapter.MODES["json_schema"], None, None)


def test_reask_kwargs_appends_the_error_and_leaves_the_original_messages_alone():
    parser, kwargs = parser_for("json_schema")
    before = list(kwargs["messages"])
    bad = completion('{"payer": "Acme"}')
    try:
        adapter.parse_reply(parser, bad, adapter.MODES["json_schema"], None, None)
    except adapter.REPLY_FAILURES as exc:
        error = exc
    again = adapter.reask_kwargs(kwargs, adapter.MODES["json_schema"], bad, error)
    assert kwargs["messages"] == before
    assert len(again["messages"]) > len(before) and "amount" in json.dumps(again["messages"][len(before):])


def test_reject_async_validators_refuses_a_class_with_one():
    from instructor.v2.validation.async_validators import async_field_validator

    class Checked(BaseModel):
        amount: int

        @async_field_validator("amount")
        async def positive(self, value: int) -> None:
            if value <= 0:
                raise ValueError("must be positive")

    adapter.reject_async_validators(parser_for("json_schema")[0])  # a plain class passes
    with pytest.raises(Exception, match="(?i)async"):
        adapter.reject_async_validators(adapter.request_for(Checked, adapter.MODES["json_schema"], [{"role": "user", "content": "x"}])[0])


class Filing(BaseModel):
    """A filing with a nested deal (docstring and field descriptions go into the schema)."""

    deal: Deal
    note: str | None = None


@pytest.mark.parametrize("model", [Deal, Filing])
def test_plain_request_for_is_what_handle_response_model_sends_in_json_schema_mode(model):
    messages = [{"role": "system", "content": "s"}, {"role": "user", "content": "text"}]
    plain = adapter.plain_request_for(model, adapter.MODES["json_schema"], list(messages))
    parser, through_subclass = adapter.request_for(model, adapter.MODES["json_schema"], list(messages))
    assert parser is not model  # instructor wrapped it; the plain path does not
    assert json.dumps(plain, sort_keys=False) == json.dumps(through_subclass, sort_keys=False)


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_plain_request_for_leaves_the_other_modes_to_handle_response_model(mode):
    assert adapter.plain_request_for(Deal, adapter.MODES[mode], [{"role": "user", "content": "x"}]) is None


def test_parse_reply_with_the_plain_class_gives_that_class_without_the_completion():
    reply = completion(json.dumps({"payer": "Acme", "amount": 3}))
    value = adapter.parse_reply(Deal, reply, adapter.MODES["json_schema"], None, None)
    assert type(value) is Deal and value == Deal(payer="Acme", amount=3)
    assert set(value.__dict__) == {"payer", "amount"}  # instructor's _raw_response is not kept (nor pickled)
    with pytest.raises(adapter.REPLY_FAILURES):
        adapter.parse_reply(Deal, completion('{"payer": "Acme"}'), adapter.MODES["json_schema"], None, None)
