"""instructor behind one door: every instructor API llmx uses is imported here, and checked at import.

llmx runs instructor's request / parse / re-ask loop one reply at a time
(`llmx.backends.openai.backend.StructuredCall`), so that live calls, the async HTTP path and the
Batch API share it. That needs parts of instructor below `from_openai(...).create(...)`:
shaping a request for a mode, parsing a reply, writing the re-ask messages, and (for speed) the
v2 core's per-mode reply parsers. They are all named here; `tests/backends/test_instructor_adapter.py`
has one test per name, so an instructor release that moves one fails there, saying which.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from instructor import Mode, OpenAISchema
from instructor.core.exceptions import AsyncValidationError, IncompleteOutputException, ResponseParsingError
from instructor.processing.response import handle_reask_kwargs, handle_response_model
from pydantic import BaseModel, ValidationError

SUPPORTED = ((1, 17), (2, 0))  # [lowest, first unsupported): the layout below was checked on 1.17


def _release(text: str) -> tuple[int, int]:
    major, minor, *_ = (text.split("+")[0].split(".") + ["0", "0"])[:3]
    return int(major), int("".join(ch for ch in minor if ch.isdigit()) or 0)


def check_version(installed: str | None = None) -> str:
    """The installed instructor version; ImportError naming the supported range when it is outside it."""
    installed = installed or version("instructor")
    low, high = SUPPORTED
    if not low <= _release(installed) < high:
        raise ImportError(
            f"llmx needs instructor >= {low[0]}.{low[1]}, < {high[0]}.{high[1]} (found {installed}); "
            f"pip install 'instructor>={low[0]}.{low[1]},<{high[0]}'"
        )
    return installed


INSTRUCTOR_VERSION = check_version()

MODES: dict[str, Mode] = {
    "tools": Mode.TOOLS,
    "json_schema": Mode.JSON_SCHEMA,
    "json": Mode.JSON,
    "md_json": Mode.MD_JSON,
}

# Replies instructor could not turn into the response model (re-asked, then given up on).
_UNPARSABLE = (ValueError, ResponseParsingError, AsyncValidationError)  # JSONDecodeError is a ValueError
REPLY_FAILURES = (ValidationError, IncompleteOutputException, *_UNPARSABLE)

__all__ = [
    "INSTRUCTOR_VERSION", "MODES", "REPLY_FAILURES", "IncompleteOutputException", "Mode", "OpenAISchema",
    "check_version", "parse_reply", "plain_request_for", "reask_kwargs", "reject_async_validators", "reply_parser",
    "request_for",
]

# Modes whose request handler reads only the class's JSON schema and name, so that it can be given
# the response model itself (no `OpenAISchema` subclass built): `plain_request_for`.
_PLAIN_CLASS_MODES = frozenset({Mode.JSON_SCHEMA})


def request_for(response_model: type[BaseModel], mode: Mode, messages: list[dict[str, Any]]) -> tuple[type[BaseModel], dict[str, Any]]:
    """(class instructor parses replies with, create() keyword arguments) for `mode`: tools, response_format, messages."""
    parser, kwargs = handle_response_model(response_model, mode=mode, messages=messages)
    return parser, kwargs  # type: ignore[return-value]


def plain_request_for(response_model: type[BaseModel], mode: Mode, messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """`request_for`'s keyword arguments from the mode's request handler alone, given `response_model` as it is; None for other modes.

    `handle_response_model` first wraps a plain class in a new `OpenAISchema` subclass (a pydantic
    class build, ~0.5 ms) and walks it for async validators twice, then calls the mode's request
    handler. In JSON_SCHEMA mode that handler only writes `model_json_schema()` and `__name__` into
    `response_format`, which a plain class answers the same (same name, docstring and fields), so
    it is called directly; replies are then parsed with `response_model` itself (`parse_reply`).
    Callers run `reject_async_validators` themselves. None too where instructor's v2 core is laid
    out differently (no direct reply parser either: `from_response` needs the subclass).
    """
    if mode not in _PLAIN_CLASS_MODES or reply_parser(mode) is None:
        return None
    handlers = _handlers(mode)
    _, kwargs = handlers.request_handler(response_model, {"messages": messages})
    if handlers.message_converter is not None:  # as handle_response_model does after the request handler
        kwargs["messages"] = handlers.message_converter(kwargs["messages"], autodetect_images=False)
    return kwargs  # type: ignore[no-any-return]


def reask_kwargs(kwargs: dict[str, Any], mode: Mode, completion: Any, error: Exception) -> dict[str, Any]:
    """`kwargs` with instructor's re-ask messages for `error` appended (to a copy of the message list)."""
    return handle_reask_kwargs({**kwargs, "messages": list(kwargs["messages"])}, mode, completion, error)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=16)
def reply_parser(mode: Mode) -> Callable[..., Any] | None:
    """instructor's reply parser for `mode`: what `OpenAISchema.from_response` calls after its checks.

    `from_response` re-checks the whole class for async validators on every reply, which costs
    twenty times the parsing itself (benchmarks/bench_batch.py); llmx runs that check once per
    class instead (`reject_async_validators`). None where instructor's v2 core is laid out
    differently: callers use `from_response` then.
    """
    try:
        return _handlers(mode).response_parser  # type: ignore[no-any-return]
    except (ImportError, AttributeError, KeyError):
        return None


def _handlers(mode: Mode) -> Any:
    """instructor's v2 handlers (request handler, reply parser, ...) of `mode` for the OpenAI provider."""
    from instructor.v2.core.providers import Provider, normalize_mode_for_provider, provider_from_mode
    from instructor.v2.core.registry import mode_registry

    provider = provider_from_mode(mode, Provider.OPENAI)
    return mode_registry.get_handlers(provider, normalize_mode_for_provider(mode, provider))


def reject_async_validators(parser: type[BaseModel]) -> None:
    """instructor's check that a class has no async validators (which the direct reply parser would skip)."""
    from instructor.v2.validation.async_validators import reject_async_validators as check

    check(parser)


def parse_reply(parser: type[BaseModel], completion: Any, mode: Mode, validation_context: dict[str, Any] | None, strict: bool | None) -> Any:
    """The reply as an instance of `parser` (validated with `validation_context`); raises one of REPLY_FAILURES."""
    parse = reply_parser(mode)
    if parse is None:
        return parser.from_response(completion, validation_context=validation_context, strict=strict, mode=mode)  # type: ignore[attr-defined]
    value = parse(
        response=completion, response_model=parser, validation_context=validation_context, strict=strict, stream=False, is_async=False,
    )
    if isinstance(value, BaseModel):
        # The parser keeps the completion on the instance (`_raw_response`); a class without that
        # private attribute would hold it in its __dict__, and so pickle it with the record.
        value.__dict__.pop("_raw_response", None)
    return value


