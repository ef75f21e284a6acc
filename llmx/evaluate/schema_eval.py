"""`llmx eval --schema module:Class`: score extractions into a user's schema against gold for it.

Gold is a directory like llmx's own (`gold.jsonl` + `docs/<id>.txt`, or `docs_dir.txt`); each
gold line holds an "id" and the schema's fields. Matching is typed: Money by value (0.5%) and
currency, Ticker by symbol, Quote by fuzzy text, other strings normalised, numbers within 0.5%,
the rest exactly. Lists are aligned one to one (`llmx.evaluate.fields`). Every field gets
precision, recall and F1: a scalar counts as a true positive when gold and prediction match, a
false positive when a prediction does not match, a false negative when a gold value is missed.
"""

from __future__ import annotations

import importlib
import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence, Union, get_args, get_origin

from pydantic import BaseModel

from llmx.errors import ConfigError, LLMXError
from llmx.evaluate.fields import (
    BaseMatcher,
    Exact,
    FieldConfig,
    Fuzzy,
    ListOf,
    ListResult,
    Normalised,
    Numeric,
    ScalarResult,
    score_record,
)
from llmx.evaluate.gold import GoldFormatError, gold_docs_dir
from llmx.evaluate.match import relative_error
from llmx.evaluate.metrics import Counts
from llmx.schema import AMOUNT_TOLERANCE, Money, Quote, Ticker


def load_schema(spec: str) -> type[BaseModel]:
    """The class named by "package.module:Class" (the current directory is importable too)."""
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise ConfigError(f"--schema must look like module:Class, not {spec!r}")
    if "" not in sys.path and str(Path.cwd()) not in sys.path:
        sys.path.append(str(Path.cwd()))
    try:
        schema = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"cannot load schema {spec!r}: {exc}") from exc
    if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
        raise ConfigError(f"{spec} is not a pydantic model class")
    return schema


@dataclass(frozen=True)
class MoneyMatch(BaseMatcher):
    """Same currency and value within `rel_tol`."""

    rel_tol: float = AMOUNT_TOLERANCE

    def canonical(self, value: Any) -> Any:
        if isinstance(value, BaseModel):
            value = value.model_dump()
        if not isinstance(value, Mapping) or value.get("value") is None:
            return None
        return (float(value["value"]), str(value.get("currency") or "USD").upper())

    def compare(self, gold: Any, predicted: Any) -> float | None:
        if gold is None or predicted is None:
            return 1.0 if gold is None and predicted is None else None
        if gold[1] != predicted[1] or relative_error(gold[0], predicted[0]) > self.rel_tol:
            return None
        return 1.0


@dataclass(frozen=True)
class TickerMatch(BaseMatcher):
    """Same symbol, case ignored."""

    def canonical(self, value: Any) -> Any:
        symbol = value.get("symbol") if isinstance(value, Mapping) else value
        return str(symbol).upper() if symbol else None

    def compare(self, gold: Any, predicted: Any) -> float | None:
        return 1.0 if gold == predicted else None


@dataclass(frozen=True)
class QuoteMatch(Fuzzy):
    """Fuzzy match of the quoted text (gold may give a plain string)."""

    def canonical(self, value: Any) -> Any:
        text = value.get("text") if isinstance(value, Mapping) else value
        return super().canonical(text)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, is_list) with Optional removed."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    if get_origin(annotation) in (list, tuple, set, frozenset):
        return get_args(annotation)[0], True
    return annotation, False


def _matcher(inner: Any) -> Any:
    if isinstance(inner, type):
        if issubclass(inner, Money):
            return MoneyMatch()
        if issubclass(inner, Ticker):
            return TickerMatch()
        if issubclass(inner, Quote):
            return QuoteMatch(threshold=85)
        if issubclass(inner, bool):
            return Exact()
        if issubclass(inner, (int, float)):
            return Numeric()
        if issubclass(inner, str):
            return Normalised()
    return Exact()


def field_config(schema: type[BaseModel], prefix: str = "") -> FieldConfig:
    """Typed matchers for every field of `schema` (nested models by dotted path; spans and meta skipped)."""
    config: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        if name in ("id", "meta") or name == "span" or name.endswith("_span"):
            continue
        inner, many = _unwrap(info.annotation)
        path = f"{prefix}{name}"
        nested = isinstance(inner, type) and issubclass(inner, BaseModel) and not issubclass(inner, (Money, Ticker, Quote))
        if nested and not many:
            config.update(field_config(inner, f"{path}."))
        elif nested:
            continue  # lists of arbitrary objects need a key the schema does not state
        else:
            matcher = _matcher(inner)
            config[path] = ListOf(key=matcher, dedupe=True) if many else matcher
    return config


def field_counts(config: FieldConfig, gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any] | None]) -> dict[str, Counts]:
    """True/false positives and false negatives per field over all documents."""
    totals = {path: Counts() for path in config}
    for gold_record, predicted_record in zip(gold, predicted):
        for path, result in score_record(gold_record, predicted_record, config).fields.items():
            if isinstance(result, ListResult):
                totals[path] = totals[path] + result.counts
            elif isinstance(result, ScalarResult):
                g, p = _present(result.gold), _present(result.predicted)
                tp = int(result.correct and g)
                fp = int(p and not result.correct)
                fn = int(g and not result.correct)
                totals[path] = totals[path] + Counts(tp=tp, fp=fp, fn=fn)
    return totals


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def load_schema_gold(gold_dir: str | Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, text, gold record) for every line of gold.jsonl."""
    root = Path(gold_dir)
    docs = gold_docs_dir(root)
    if not (root / "gold.jsonl").is_file() or not docs.is_dir():
        raise GoldFormatError(f"{root} must contain gold.jsonl and docs/<id>.txt")
    rows = []
    for line_no, line in enumerate((root / "gold.jsonl").read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        gold = json.loads(line)
        doc = docs / f"{gold.get('id')}.txt"
        if not doc.is_file():
            raise GoldFormatError(f"{root / 'gold.jsonl'}:{line_no}: no document {doc}")
        rows.append((str(gold["id"]), doc.read_text(encoding="utf-8"), gold))
    return rows


def evaluate_schema(
    gold_dir: str | Path, schema: type[BaseModel], *, limit: int | None = None, **extract_options: Any
) -> dict[str, Any]:
    """Extract every gold document into `schema` and score it: {field: {precision, recall, f1, tp, fp, fn}}."""
    from llmx.extraction.api import extract

    rows = load_schema_gold(gold_dir)[:limit]
    predictions: list[dict[str, Any] | None] = []
    failed: list[str] = []
    for doc_id, text, _ in rows:
        try:
            predictions.append(extract(text, schema=schema, doc_id=doc_id, **extract_options).model_dump(mode="json"))
        except LLMXError as exc:
            failed.append(f"{doc_id}: {exc}")
            predictions.append(None)
    config = field_config(schema)
    counts = field_counts(config, [gold for _, _, gold in rows], predictions)
    fields = {path: {**c.scores(), **c.to_dict()} for path, c in counts.items()}
    return {"documents": len(rows), "failed": failed, "fields": fields}
