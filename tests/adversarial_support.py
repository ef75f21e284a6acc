"""An adversarial responder for grounded schema extraction, and checks that records stay grounded.

The responder reads the reply schema of each request and answers every id slot badly (ids that
do not exist, objects with invented values, valid but wrong ids), invents text and numbers for
the other fields and sometimes adds a key the schema forbids. The checks then look for any Money
or Ticker value of a record that is not printed in the text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from llmx.extraction.free import walk
from llmx.recognize import Mentions
from llmx.schema import Money, Quote, Ticker, Usage
from llmx.testing import ChatReply, last_user_message, request_schema, structured_reply

_ID = re.compile(r"^[MT]\d+$")
INVENTED_NAMES = ("Invented Holdings LLC", "Zyxwv Pharma", "Nonexistent Capital Partners")


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_id_enum(schema: dict[str, Any]) -> bool:
    values = schema.get("enum") or ([schema["const"]] if "const" in schema else [])
    return bool(values) and all(isinstance(v, str) and _ID.match(v) for v in values)


def _ids(schema: dict[str, Any]) -> list[str]:
    return list(schema.get("enum") or [schema["const"]])


class Adversary:
    """Answers every request with a reply built to break grounding; `attempt` counts re-asks seen."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.requests = 0
        self.words: list[str] = []

    def __call__(self, body: dict[str, Any]) -> ChatReply:
        schema = request_schema(body)
        if schema is None:
            raise AssertionError("the request carries no response schema")
        attempt = sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")
        self.requests += 1
        rng = random.Random(self.seed * 1_000_003 + self.requests * 7919 + attempt)
        self.words = last_user_message(body).split()
        return structured_reply(self.instance(schema, schema, rng, attempt))

    def instance(self, schema: dict[str, Any], root: dict[str, Any], rng: random.Random, attempt: int) -> Any:
        schema = _resolve(schema, root)
        if "anyOf" in schema:
            options = [_resolve(o, root) for o in schema["anyOf"]]
            concrete = [o for o in options if o.get("type") != "null"]
            if not concrete or (len(concrete) < len(options) and rng.random() < 0.15):
                return None
            return self.instance(rng.choice(concrete), root, rng, attempt)
        if _is_id_enum(schema):
            return self.bad_id(_ids(schema), rng, attempt)
        if "enum" in schema:
            return rng.choice(schema["enum"])
        if "const" in schema:
            return schema["const"]
        kind = schema.get("type")
        if kind == "object":
            reply = {name: self.instance(prop, root, rng, attempt) for name, prop in schema.get("properties", {}).items()}
            if attempt == 0 and rng.random() < 0.3:
                reply["value"] = 123_456_789.0  # a key the reply schema forbids, with an invented amount
            return reply
        if kind == "array":
            items = schema.get("items", {})
            return [self.instance(items, root, rng, attempt) for _ in range(rng.randint(0, 4))]
        if kind == "string":
            roll = rng.random()
            if attempt > 0 and roll < 0.4 and self.words:  # a real phrase, case changed: must align with a span
                start = rng.randrange(len(self.words))
                return " ".join(self.words[start : start + rng.randint(1, 3)]).lower()[: schema.get("maxLength", 200)]
            return rng.choice(INVENTED_NAMES) if roll < 0.85 else "$987 million"
        if kind == "integer":
            return rng.randint(1, 10**9)
        if kind == "number":
            return rng.choice([987_654_321.0, 1.5e12, 42.0])
        if kind == "boolean":
            return rng.random() < 0.5
        return None

    @staticmethod
    def bad_id(ids: list[str], rng: random.Random, attempt: int) -> Any:
        """An id that does not exist, an invented money object, or (on re-asks) a valid but random id."""
        prefix = ids[0][0]
        roll = rng.random()
        if attempt == 0 or roll < 0.4:
            return f"{prefix}{len(ids) + rng.randint(1, 50)}"
        if roll < 0.55:
            return {"value": 999_000_000.0, "currency": "USD", "text": "$999 million"}
        return rng.choice(ids)


@dataclass
class Grounding:
    """What a record's Money/Ticker/Quote values look like against the text."""

    money: int = 0
    tickers: int = 0
    quotes: int = 0
    not_in_text: list[str] = field(default_factory=list)  # Money/Ticker values the text does not print
    bad_quote_spans: list[str] = field(default_factory=list)


def check_grounded(record: BaseModel, text: str, mentions: Mentions) -> Grounding:
    """Count Money/Ticker/Quote values and list those not printed in `text` at their span."""
    found = Grounding()
    amounts = {(round(m.value, 6), m.currency) for m in mentions.money}
    symbols = {t.symbol.upper() for t in mentions.tickers}

    def printed(node: Any) -> bool:
        span = node.span
        return span is not None and node.text is not None and text[span[0] : span[1]] == node.text

    def visit(node: BaseModel, path: str) -> None:
        if isinstance(node, Money):
            found.money += 1
            if (round(node.value, 6), node.currency) not in amounts or not printed(node):
                found.not_in_text.append(f"{path}: {node.value} {node.currency} {node.text!r}")
        elif isinstance(node, Ticker):
            found.tickers += 1
            if node.symbol.upper() not in symbols or not printed(node):
                found.not_in_text.append(f"{path}: {node.symbol} {node.text!r}")
        elif isinstance(node, Quote):
            found.quotes += 1
            if not printed(node):
                found.bad_quote_spans.append(f"{path}: {node.text!r} at {node.span}")

    walk(record, visit)
    return found


def extract_counted(text: str, schema: type[BaseModel], backend: Any, **options: Any) -> tuple[BaseModel, Usage, list[dict[str, Any]]]:
    """`extract` in grounded mode, also returning the usage (re-asks) and the values dropped."""
    from functools import reduce

    from llmx.errors import ExtractionError
    from llmx.extraction.api import plan

    steps = plan(text, schema, backend=backend, mode="grounded", **options)
    while (request := steps.request) is not None:
        try:
            completion = backend.complete(
                request.messages, request.response_model, validation_context=request.validation_context, max_reasks=steps.max_reasks
            )
        except ExtractionError as exc:
            steps.reject(exc)
        else:
            steps.answer(completion)
    record = steps.record()
    usage = reduce(Usage.add, steps.job.usages) if steps.job.usages else Usage()
    return record, usage, list(steps.job.dropped)
