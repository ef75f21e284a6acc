"""Free extraction helpers: the model writes values itself, llmx checks them against the text.

Works for any pydantic schema that uses llmx's `Money`/`Amount`/`Ticker` field types:

- `draft_model(schema)` is the schema as the model sees it: character spans (which language
  models cannot count) and llmx's own bookkeeping (`id`, `meta`) are hidden from the JSON schema;
  everything else, including the validators, is inherited.
- `align_spans` gives every Money/Ticker without a span the span of the matching recognised
  mention; `prune_unsupported` drops (or flags) values the validator rejects;
  `merge_drafts` combines the answers for the chunks of a long text.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Callable, Union, get_args, get_origin

from pydantic import BaseModel, create_model
from pydantic.json_schema import SkipJsonSchema

from llmx.recognize import Mentions
from llmx.schema import AMOUNT_TOLERANCE, Amount, Company, Issuer, Money, PressRelease, Quote, Ticker, iter_models

_HIDDEN_IN = {
    Money: ("span",), Ticker: ("span",), Quote: ("span",), Amount: ("payer_span", "payee_span"),
    Issuer: ("span",), Company: ("span",), PressRelease: ("id", "meta", "date_span"),
}


def draft_model(schema: type[BaseModel]) -> type[BaseModel]:
    """`schema` with spans, ids and metadata hidden from the model (a subclass: validators kept)."""
    return _draft(schema, {})


def _draft(model: type[BaseModel], done: dict[type, type]) -> type[BaseModel]:
    if model in done:
        return done[model]
    done[model] = model  # recursion guard for self-referencing schemas
    hidden = {name for base, names in _HIDDEN_IN.items() if issubclass(model, base) for name in names}
    overrides: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation = _draft_type(info.annotation, done)
        if name in hidden:
            overrides[name] = (SkipJsonSchema[annotation], info)  # type: ignore[valid-type]
        elif annotation is not info.annotation:
            overrides[name] = (annotation, info)
    if not overrides:
        return model
    draft = create_model(model.__name__, __base__=model, __module__=model.__module__, **overrides)
    done[model] = draft
    return draft


def _draft_type(annotation: Any, done: dict[type, type]) -> Any:
    """Replace BaseModel classes inside list[...], X | None, Annotated[...] by their drafts."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _draft(annotation, done)
    origin, args = get_origin(annotation), get_args(annotation)
    if not args:
        return annotation
    if origin is Annotated:
        return Annotated[(_draft_type(args[0], done), *args[1:])]  # type: ignore[misc]
    mapped = tuple(_draft_type(arg, done) for arg in args)
    if all(new is old for new, old in zip(mapped, args)):
        return annotation
    if origin in (Union, types.UnionType):
        return Union[mapped]  # type: ignore[valid-type]
    return origin[mapped]  # list[...], tuple[...], dict[...]


def from_draft(schema: type[BaseModel], draft: BaseModel) -> BaseModel:
    """The draft as an instance of the user's schema (no source check: that already ran)."""
    return schema.model_validate(draft.model_dump())


def walk(model: BaseModel, visit: Callable[[BaseModel, str], None], path: str = "") -> None:
    """Call `visit(node, path)` for every pydantic model inside `model` (`llmx.schema.iter_models` order)."""
    for where, node in iter_models(model, path):
        visit(node, where)


def align_spans(record: BaseModel, text: str, mentions: Mentions) -> None:
    """Fill `span` (and missing `text`/`exchange`) of Money/Ticker values from the recognised mentions.

    A money value takes the first mention with the same value and currency, preferring one printed
    exactly as the model quoted it; a ticker takes the first listing of its symbol.
    """

    def visit(node: BaseModel, _path: str) -> None:
        if isinstance(node, Money) and node.span is None:
            same = [m for m in mentions.money if abs(m.value - node.value) <= AMOUNT_TOLERANCE * abs(m.value) and m.currency == node.currency]
            best = next((m for m in same if node.text and m.text == node.text), same[0] if same else None)
            if best is not None:
                node.text, node.span = best.text, best.span
            elif node.text and (start := text.find(node.text)) >= 0:
                node.span = (start, start + len(node.text))
        elif isinstance(node, Ticker) and node.span is None:
            listing = next((t for t in mentions.tickers if t.symbol == node.symbol.upper()), None)
            if listing is not None:
                node.text, node.span = node.text or listing.text, listing.span
                node.exchange = node.exchange or listing.exchange

    walk(record, visit)


def prune_unsupported(record: BaseModel, check: Callable[[BaseModel], None], keep_invalid: bool) -> list[dict[str, Any]]:
    """Drop every Money/Ticker value `check` rejects (raises ValueError), or keep it if `keep_invalid`.

    Values in lists are removed; a rejected optional field becomes None; a required field cannot be
    dropped, so it is kept. Returns {path, value, message} for every rejected value, so nothing the
    model said is lost without a trace.
    """
    rejections: list[dict[str, Any]] = []

    def rejected(node: BaseModel, path: str) -> bool:
        if not isinstance(node, (Money, Ticker)):
            return False
        try:
            check(node)
        except ValueError as exc:
            rejections.append({"path": path, "value": node.model_dump(mode="json"), "message": str(exc)})
            return True
        return False

    def prune(model: BaseModel, path: str) -> None:
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            where = f"{path}.{name}" if path else name
            if isinstance(value, BaseModel):
                if rejected(value, where) and not keep_invalid and not info.is_required():
                    setattr(model, name, None)
                else:
                    prune(value, where)
            elif isinstance(value, list):
                kept = []
                for index, item in enumerate(value):
                    if isinstance(item, BaseModel) and rejected(item, f"{where}[{index}]"):
                        if keep_invalid:
                            kept.append(item)
                        continue
                    if isinstance(item, BaseModel):
                        prune(item, f"{where}[{index}]")
                    kept.append(item)
                setattr(model, name, kept)

    prune(record, "")
    return rejections


def _identity(item: Any) -> Any:
    """What makes two list items the same thing across chunks."""
    if isinstance(item, Money):
        return ("money", round(item.value, 6), item.currency)
    if isinstance(item, Ticker):
        return ("ticker", item.symbol.upper())
    if isinstance(item, BaseModel):
        name = getattr(item, "name", None)
        return ("named", name.casefold()) if isinstance(name, str) else item.model_dump_json()
    return item.casefold() if isinstance(item, str) else item


def merge_drafts(drafts: list[BaseModel]) -> BaseModel:
    """One answer from the answers for consecutive chunks: lists are concatenated without
    duplicates (first occurrence wins), other fields take the first chunk's non-empty value."""
    merged = drafts[0].model_copy(deep=True)
    for draft in drafts[1:]:
        for name in type(merged).model_fields:
            mine, theirs = getattr(merged, name), getattr(draft, name)
            if isinstance(mine, list) and isinstance(theirs, list):
                seen = {_identity(item) for item in mine}
                mine.extend(item for item in theirs if _identity(item) not in seen and not seen.add(_identity(item)))  # type: ignore[func-returns-value]
            elif _empty(mine) and not _empty(theirs):
                setattr(merged, name, theirs)
    return merged


def _empty(value: Any) -> bool:
    if isinstance(value, BaseModel):
        return all(_empty(getattr(value, name)) for name in type(value).model_fields)
    return value in (None, "", [])
