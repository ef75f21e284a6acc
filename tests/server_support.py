"""A loopback responder that answers like llama-cpp-python's OpenAI-compatible server (for dialect tests)."""

from __future__ import annotations

from typing import Any

from batch_support import minimal_instance

from llmx.testing import Fault, structured_reply

# What llama-cpp-python's server (0.3.x) answers to response_format json_schema, abridged.
LLAMA_CPP_REJECTION = (
    "1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}"
)


def llama_cpp_like(body: dict[str, Any]) -> Any:
    """HTTP 500 for json_schema, the schema honoured in json_object; anything else is a test failure (400)."""
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return Fault("http_error", status=500, message=LLAMA_CPP_REJECTION)
    if response_format.get("type") != "json_object" or "schema" not in response_format:
        return Fault("http_error", status=400, message=f"unexpected request: {sorted(body)}")
    return structured_reply(minimal_instance(response_format["schema"]))


def response_format_types(server: Any) -> list[str]:
    """The response_format type of every chat request a LoopbackServer received ("-" for none)."""
    return [(r.body.get("response_format") or {}).get("type", "-") for r in server.requests]
