"""An offline, OpenAI-compatible HTTP server for testing extraction pipelines without a model.

`LoopbackServer` listens on 127.0.0.1 (a free port) in a background thread and speaks enough
of the OpenAI REST API for the real `openai` SDK: chat completions, plus files and batches for
the Batch API. Replies come from a *responder* you write (a function of the request body), and
faults (429s, 5xx, connection resets, slow or broken replies) can be scripted or injected at a
seeded random rate, so retry, re-ask and usage accounting are exercised over real HTTP::

    from llmx.testing import LoopbackServer, Scripted, Fault, structured_reply

    replies = Scripted([Fault("rate_limit", retry_after=0.01), structured_reply({"value": 1})])
    with LoopbackServer(replies) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        ...
    server.count, server.faults_injected   # 2, {"rate_limit": 1}

A responder returns a `ChatReply` (see `tool_call_reply`, `json_reply`, `text_reply`,
`structured_reply`), a `Fault`, a plain `str` (sent as text content), or a complete
chat-completion `dict` (sent verbatim).
"""

from llmx.testing.faults import TRANSIENT_FAULTS, Fault, FaultKind, Faults
from llmx.testing.replies import (
    ChatReply,
    Reply,
    Responder,
    Scripted,
    json_reply,
    last_user_message,
    request_schema,
    schema_instance,
    schema_responder,
    structured_reply,
    text_reply,
    tool_call_reply,
)
from llmx.testing.server import LoopbackServer, RecordedRequest, ResponderError

__all__ = [
    "ChatReply",
    "Fault",
    "FaultKind",
    "Faults",
    "LoopbackServer",
    "RecordedRequest",
    "Reply",
    "Responder",
    "ResponderError",
    "Scripted",
    "TRANSIENT_FAULTS",
    "json_reply",
    "last_user_message",
    "request_schema",
    "schema_instance",
    "schema_responder",
    "structured_reply",
    "text_reply",
    "tool_call_reply",
]
