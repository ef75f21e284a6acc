"""Reply builders for the loopback server: chat replies, scripted sequences and schema-driven answers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel

from llmx.testing.faults import Fault

@dataclass(frozen=True)
class ChatReply:
    """One assistant message, sent back as a complete chat completion.

    `shape` decides where `payload` goes: "content" (message text), "tool_call" (function
    arguments), or "auto" (a tool call when the request offered tools, else content), which keeps
    responders independent of the instructor mode under test. Token counts default to a
    deterministic estimate (about 4 characters a token) so usage accounting can be checked
    against `RecordedRequest.usage`.
    """

    payload: str | None
    shape: Literal["content", "tool_call", "auto"] = "auto"
    tool_name: str | None = None  # None: the function the request asked for
    finish_reason: str | None = None  # None: "tool_calls" or "stop" as appropriate
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


Reply: TypeAlias = ChatReply | Fault | str | dict
Responder: TypeAlias = Callable[[dict[str, Any]], Reply]


def _to_json(obj: Any) -> str:
    if isinstance(obj, str):
        return obj  # already JSON text (possibly deliberately malformed)
    if isinstance(obj, BaseModel):
        return obj.model_dump_json()
    return json.dumps(obj)


def tool_call_reply(obj: Any, *, name: str | None = None, **tokens: int) -> ChatReply:
    """Answer with a function call whose arguments are `obj` (a dict, model, or raw JSON text)."""
    return ChatReply(_to_json(obj), shape="tool_call", tool_name=name, **tokens)


def json_reply(obj: Any, **tokens: int) -> ChatReply:
    """Answer with `obj` serialized as JSON in the message content (JSON / JSON_SCHEMA modes)."""
    return ChatReply(_to_json(obj), shape="content", **tokens)


def text_reply(text: str, **tokens: int) -> ChatReply:
    """Answer with plain text content."""
    return ChatReply(text, shape="content", **tokens)


def structured_reply(obj: Any, **tokens: int) -> ChatReply:
    """Answer with `obj` as a tool call if the request offered tools, else as JSON content."""
    return ChatReply(_to_json(obj), shape="auto", **tokens)


def last_user_message(body: Mapping[str, Any]) -> str:
    """The text of the last user message in a chat-completion request body ("" if none)."""
    for message in reversed(body.get("messages", [])):
        if message.get("role") == "user":
            return _message_text(message)
    return ""


def request_schema(body: Mapping[str, Any]) -> dict[str, Any] | None:
    """The JSON schema the request asks the reply to follow (tool parameters or response_format)."""
    for tool in body.get("tools") or []:
        return tool.get("function", {}).get("parameters")
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return response_format.get("json_schema", {}).get("schema")
    return None


def _message_text(message: Mapping[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content or ""


class Scripted:
    """A responder that returns the given replies in order, one per request.

    Items may be replies, faults, or callables `(body) -> reply` for content-dependent steps.
    When the script runs out the server answers 400 (never retried) saying so, unless
    `repeat_last` is set. Thread-safe.
    """

    def __init__(self, replies: Iterable[Reply | Responder], *, repeat_last: bool = False) -> None:
        self._replies = list(replies)
        if not self._replies:
            raise ValueError("Scripted needs at least one reply")
        self._repeat_last = repeat_last
        self._next = 0
        self._lock = threading.Lock()

    @property
    def remaining(self) -> int:
        with self._lock:
            return max(len(self._replies) - self._next, 0)

    def __call__(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._next >= len(self._replies):
                if not self._repeat_last:
                    return Fault("http_error", status=400, message=f"loopback script exhausted after {self._next} replies")
                item = self._replies[-1]
            else:
                item = self._replies[self._next]
            self._next += 1
        return item(body) if callable(item) else item


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def schema_instance(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """The simplest value that satisfies `schema` (first enum member, null where allowed, ...)."""
    root = root if root is not None else schema
    schema = _resolve(schema, root)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [_resolve(option, root) for option in schema[key]]
            nullable = next((o for o in options if o.get("type") == "null"), None)
            return None if nullable is not None else schema_instance(options[0], root)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        return {name: schema_instance(prop, root) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return []
    if kind == "string":
        return ""
    if kind in ("number", "integer"):
        return 0
    if kind == "boolean":
        return False
    return None


def schema_responder(body: dict[str, Any]) -> ChatReply:
    """Answer any structured request with the simplest valid instance of the schema it asked for."""
    schema = request_schema(body)
    if schema is None:
        raise AssertionError("the request carries no response schema")
    return structured_reply(schema_instance(schema))
