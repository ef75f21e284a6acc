"""Grounded extraction into any pydantic schema: the model picks ids, llmx writes the values.

`ReplySchema(schema, amount_ids, ticker_ids)` rewrites a user's model into the schema the model
answers, walking nested models, lists, optionals and unions:

- every `Money` field (subclasses such as `Amount` too) becomes a choice among the ids of the
  amounts the recognizers found (an enum; a list of distinct ids for a list); fields a subclass
  adds (`Amount.kind`, ...) stay beside the id;
- every `Ticker` field becomes a choice among the listing ids;
- every `Quote` field becomes a string that must be printed in the text (checked by a validator
  that feeds the backend's re-ask loop);
- fields named `span` or `*_span` are hidden (llmx fills them); everything else stays as written.

An id that does not exist fails validation with a message naming the valid ids, so it is
re-asked, never guessed. `ReplySchema.to_record` maps a reply back to the user's own class with
values, printed text and spans taken from the recognizers, so a record cannot hold a money
amount or a listing that is not in the text.
"""

from __future__ import annotations

import functools
import json
import types
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Sequence, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    create_model,
)
from pydantic.fields import FieldInfo

from llmx.errors import ConfigError, ExtractionError
from llmx.extraction.grounded import Grounding, ground
from llmx.extraction.prompts import PromptTemplate
from llmx.recognize.quotes import align, not_printed
from llmx.rules.record import rules_record
from llmx.recognize import Mentions
from llmx.schema import Money, Quote, Ticker

AMOUNT, TICKER = "amount", "ticker"
# Characters of the text shown per backend (default: the pipeline's chunk size); a small local
# model gets the opening only, the amounts come with their own context anyway.
TEXT_CHARS: dict[str, int] = {"local": 2500}
DEFAULT_TEXT_CHARS = 16_000
MAX_QUOTES = 8
MAX_QUOTE_CHARS = 200  # keeps a constrained small model from looping inside a string
_NONE = type(None)
_DROP = object()  # marks list items a salvaged reply loses


def is_span_field(name: str, annotation: Any) -> bool:
    """Fields llmx fills itself from the text (`span`, `payer_span`, ... typed as a Span): never asked of the model."""
    if name != "span" and not name.endswith("_span"):
        return False
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next((arg for arg in get_args(annotation) if arg is not _NONE), None)
    return get_origin(annotation) is tuple and get_args(annotation) == (int, int)


def _quote_printed(value: str, info: ValidationInfo) -> str:
    context = info.context or {}
    source = context.get("llmx_source")
    if source is not None and align(value, source.text) is None:
        raise ValueError(not_printed(value))
    return value


QuoteText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUOTE_CHARS), AfterValidator(_quote_printed)]


def _distinct(items: list[Any]) -> list[Any]:
    """Each id once (first answer kept), for bare ids and for id objects alike."""
    seen: set[Any] = set()
    kept = []
    for item in items:
        key = getattr(item, "id", item)
        if not isinstance(key, str) or key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _known_id(kind: str, ids: tuple[str, ...]) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, str) and value not in ids:
            raise ValueError(
                f"{value!r} is not one of the {kind} ids listed ({', '.join(ids)}); answer with one of those ids or null"
            )
        return value

    return BeforeValidator(check)


def _base_fields(kind: str) -> frozenset[str]:
    return frozenset((Money if kind == AMOUNT else Ticker).model_fields)


def _llmx_kind(annotation: Any) -> str | None:
    """'amount', 'ticker', 'quote' or None: which llmx type an annotation holds (first found)."""
    if isinstance(annotation, type):
        if issubclass(annotation, Money):
            return AMOUNT
        if issubclass(annotation, Ticker):
            return TICKER
        if issubclass(annotation, Quote):
            return "quote"
        return None
    return next((kind for arg in get_args(annotation) if (kind := _llmx_kind(arg))), None)


def _is_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_is_list(arg) for arg in get_args(annotation) if arg is not _NONE)
    return origin in (list, tuple, set, frozenset)


@dataclass
class ReplySchema:
    """The reply model for one user schema and one document's ids, and the way back to the schema."""

    schema: type[BaseModel]
    amount_ids: tuple[str, ...]
    ticker_ids: tuple[str, ...]
    model: type[BaseModel] = field(init=False)
    _reply_of: dict[type, type] = field(default_factory=dict, init=False, repr=False)
    _ref_of: dict[type, type] = field(default_factory=dict, init=False, repr=False)
    _building: set[type] = field(default_factory=set, init=False, repr=False)
    _names: set[str] = field(default_factory=set, init=False, repr=False)

    def __post_init__(self) -> None:
        if not (isinstance(self.schema, type) and issubclass(self.schema, BaseModel)):
            raise ConfigError(f"schema must be a pydantic model class, not {self.schema!r}")
        self.model = self._model(self.schema)

    # ---- building the reply model --------------------------------------------------------

    def _name(self, base: str) -> str:
        name, n = base, 1
        while name in self._names:
            n += 1
            name = f"{base}{n}"
        self._names.add(name)
        return name

    def _model(self, cls: type[BaseModel]) -> type[BaseModel]:
        if cls in self._reply_of:
            return self._reply_of[cls]
        if cls in self._building:
            raise ConfigError(f"{cls.__name__} refers to itself; grounded mode needs a schema without cycles")
        self._building.add(cls)
        fields: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            if is_span_field(name, info.annotation):
                if info.is_required():
                    raise ConfigError(f"{cls.__name__}.{name}: llmx fills span fields itself; give it a default (None)")
                continue
            fields[name] = (self._type(info.annotation), self._field_info(name, info))
        reply = create_model(  # type: ignore[call-overload]
            self._name(cls.__name__), __config__=ConfigDict(extra="forbid"), __doc__=cls.__doc__, **fields
        )
        self._building.discard(cls)
        self._reply_of[cls] = reply
        return reply  # type: ignore[no-any-return]

    def _field_info(self, name: str, info: FieldInfo) -> FieldInfo:
        """The user's field info, with a note on how to answer money, listing and quote fields."""
        kind = _llmx_kind(info.annotation)
        if kind is None:
            return info
        base = info.description or name.replace("_", " ")
        extra: dict[str, Any] = {}
        if kind in (AMOUNT, TICKER):
            ids = self.amount_ids if kind == AMOUNT else self.ticker_ids
            noun = "amounts" if kind == AMOUNT else "listings"
            which = "distinct ids" if _is_list(info.annotation) else "the id of one"
            listed = f"{which} of the {noun} listed: {', '.join(ids[:2])}, ..." if ids else f"no {noun} were found: null"
            base = f"{base} ({listed})"
        else:
            base = f"{base} (copied exactly as printed in the text)"
        if get_origin(info.annotation) is list:  # a Field inside Annotated loses these when merged here
            most, schema_extra = self._list_bounds(get_args(info.annotation)[0])
            extra.update(max_length=most, json_schema_extra=schema_extra)
        return FieldInfo.merge_field_infos(info, Field(description=base, **extra))

    def _type(self, annotation: Any) -> Any:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if issubclass(annotation, Money):
                return self._id_type(annotation, AMOUNT)
            if issubclass(annotation, Ticker):
                return self._id_type(annotation, TICKER)
            if issubclass(annotation, Quote):
                return QuoteText
            return self._model(annotation)
        origin, args = get_origin(annotation), get_args(annotation)
        if not args:
            return annotation
        if origin is Annotated:
            return Annotated[(self._type(args[0]), *args[1:])]  # type: ignore[misc]
        mapped = tuple(self._type(arg) for arg in args)
        if all(new is old for new, old in zip(mapped, args)):
            return annotation
        if origin in (Union, types.UnionType):
            return Union[mapped]  # type: ignore[valid-type]
        if origin is list and _llmx_kind(args[0]) in (AMOUNT, TICKER, "quote"):
            most, extra = self._list_bounds(args[0])
            return Annotated[list[mapped[0]], AfterValidator(_distinct), Field(max_length=most, json_schema_extra=extra)]  # type: ignore[valid-type]
        if origin in (set, frozenset):
            return list[mapped[0]]  # type: ignore[valid-type]
        return origin[mapped]

    def _list_bounds(self, item: Any) -> tuple[int, dict[str, Any] | None]:
        """(most items, extra JSON schema) of a list: each id at most once, at most MAX_QUOTES quotes
        (a small constrained model otherwise repeats items until it runs out of tokens)."""
        kind = _llmx_kind(item)
        if kind == "quote":
            return MAX_QUOTES, None
        return len(self.amount_ids if kind == AMOUNT else self.ticker_ids), {"uniqueItems": True}

    def _id_type(self, target: type[BaseModel], kind: str) -> Any:
        ids = self.amount_ids if kind == AMOUNT else self.ticker_ids
        if not ids:
            return _NONE  # nothing to choose from: only null fits
        id_type = Annotated[Literal[ids], _known_id(kind, ids)]  # type: ignore[valid-type]
        extras = {
            name: info for name, info in target.model_fields.items() if name not in _base_fields(kind) and not is_span_field(name, info.annotation)
        }
        if not extras:
            return id_type
        if target in self._reply_of:
            return self._reply_of[target]
        noun = "amount" if kind == AMOUNT else "listing"
        ref = create_model(  # type: ignore[call-overload]
            self._name(f"{target.__name__}Ref"),
            __config__=ConfigDict(extra="forbid"),
            __doc__=target.__doc__,
            id=(id_type, Field(description=f"Id of the {noun} ({', '.join(ids[:2])}, ...)")),
            **{name: (self._type(info.annotation), self._field_info(name, info)) for name, info in extras.items()},
        )
        self._reply_of[target] = ref
        self._ref_of[ref] = target
        return ref

    # ---- mapping a reply back ------------------------------------------------------------

    def to_record(self, reply: BaseModel, grounding: Grounding) -> BaseModel:
        """The reply as an instance of the user's schema, values and spans from the recognizers.

        Raises ExtractionError when the user's own validation rejects the result (e.g. a
        required money field for which the text has no amount).
        """
        data = self._fields(self.schema, reply, _Lookup.of(grounding))
        try:
            return self.schema.model_validate(data)
        except ValidationError as exc:
            raise ExtractionError(
                f"the reply does not make a valid {self.schema.__name__}: {exc.errors()[0]['msg']} "
                f"at {'.'.join(map(str, exc.errors()[0]['loc']))}",
                errors=exc.errors(include_url=False, include_input=False),
            ) from exc

    def _fields(self, cls: type[BaseModel], value: BaseModel, lookup: "_Lookup") -> dict[str, Any]:
        present = type(value).model_fields
        return {name: self._back(info.annotation, getattr(value, name), lookup) for name, info in cls.model_fields.items() if name in present}

    def _back(self, annotation: Any, value: Any, lookup: "_Lookup") -> Any:
        if value is None:
            return None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            kind = _llmx_kind(annotation)
            if kind in (AMOUNT, TICKER):
                extras: dict[str, Any] = {}
                if isinstance(value, BaseModel):
                    fields = annotation.model_fields
                    extras = {n: self._back(fields[n].annotation, getattr(value, n), lookup) for n in type(value).model_fields if n != "id"}
                    value = value.id  # type: ignore[attr-defined]
                found = lookup.find(kind, value)
                return None if found is None else {**found, **extras}
            if kind == "quote":
                aligned = align(value, lookup.text) if isinstance(value, str) else None
                return None if aligned is None else {"text": aligned[0], "span": aligned[1]}
            return self._fields(annotation, value, lookup) if isinstance(value, BaseModel) else value
        origin, args = get_origin(annotation), get_args(annotation)
        if origin is Annotated:
            return self._back(args[0], value, lookup)
        if origin in (Union, types.UnionType):
            return self._back(self._arm(args, value), value, lookup)
        if origin in (list, set, frozenset) and isinstance(value, (list, tuple, set, frozenset)):
            items = [self._back(args[0], item, lookup) for item in value]
            if _llmx_kind(args[0]) in (AMOUNT, TICKER, "quote"):
                items = [item for item in items if item is not None]  # an unknown id or quote is dropped, never guessed
            return items
        if origin is tuple and isinstance(value, (list, tuple)):
            if len(args) == 2 and args[1] is Ellipsis:
                return [self._back(args[0], item, lookup) for item in value]
            return [self._back(arg, item, lookup) for arg, item in zip(args, value)]
        if origin is dict and isinstance(value, dict):
            return {key: self._back(args[1], item, lookup) for key, item in value.items()}
        return value

    def _arm(self, args: Sequence[Any], value: Any) -> Any:
        """The union member of the user's annotation that `value` (a reply value) answers."""
        arms = [arg for arg in args if arg is not _NONE]
        for arm in arms:
            kind = _llmx_kind(arm) if isinstance(arm, type) else None
            reply = self._reply_of.get(arm) if isinstance(arm, type) else None
            if kind == AMOUNT and (value in self.amount_ids or (reply is not None and isinstance(value, reply))):
                return arm
            if kind == TICKER and (value in self.ticker_ids or (reply is not None and isinstance(value, reply))):
                return arm
            if kind == "quote" and isinstance(value, str):
                return arm
            if kind is None and reply is not None and isinstance(value, reply):
                return arm
        plain = [arm for arm in arms if not (isinstance(arm, type) and issubclass(arm, BaseModel))]
        return plain[0] if plain else arms[0]

    # ---- salvaging a reply that stayed invalid after the re-asks -------------------------

    def salvage(self, raw: str | None, context: dict[str, Any]) -> tuple[BaseModel, list[dict[str, Any]]] | None:
        """The last reply with every invalid value removed (null, or dropped from its list).

        Used when re-asks are exhausted: nothing is guessed, an unknown id or an unprinted
        quote just goes. None when even that gives no valid reply (e.g. a required field).
        """
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        dropped: list[dict[str, Any]] = []
        for _ in range(8):
            try:
                return self.model.model_validate(data, context=context), dropped
            except ValidationError as exc:
                changed = False
                for error in exc.errors(include_url=False):
                    path = _remove(data, error["loc"], missing=error["type"] == "missing")
                    if path is not None:
                        changed = True
                        dropped.append({"path": path, "message": error["msg"]})
                data = _purge(data)
                if not changed:
                    return None
        return None


def _remove(data: Any, loc: tuple[Any, ...], *, missing: bool) -> str | None:
    """Null (or mark for dropping) the deepest value of `data` that `loc` reaches; its path, or None."""
    parent: Any = None
    key: Any = None
    node = data
    path: list[str] = []
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            parent, key, node = node, part, node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            parent, key, node = node, part, node[part]
        elif missing and isinstance(node, dict) and isinstance(part, str):
            parent, key, node = node, part, None
        else:
            continue  # union arm or validator tags in the location
        path.append(str(part))
    if parent is None:
        return None
    if isinstance(parent, list):
        if parent[key] is _DROP:
            return None
        parent[key] = _DROP
    elif missing and key not in parent:
        parent[key] = None
    elif node is None:
        del parent[key]  # an extra key, or a null that is not allowed: leave it to the default
    else:
        parent[key] = None
    return ".".join(path)


def _purge(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _purge(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_purge(item) for item in data if item is not _DROP]
    return data


@dataclass(frozen=True)
class _Lookup:
    """Values, text and spans of the recognized amounts and listings, by id."""

    text: str
    amounts: dict[str, dict[str, Any]]
    tickers: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, grounding: Grounding) -> "_Lookup":
        amounts = {
            s.id: {"value": s.amount.value, "currency": s.amount.currency, "text": s.amount.text, "span": s.amount.span}
            for s in grounding.amounts
        }
        tickers = {
            s.id: {"symbol": s.ticker.symbol, "exchange": s.ticker.exchange, "text": s.ticker.text, "span": s.ticker.span}
            for s in grounding.tickers
        }
        return cls(grounding.text, amounts, tickers)

    def find(self, kind: str, slot_id: Any) -> dict[str, Any] | None:
        table = self.amounts if kind == AMOUNT else self.tickers
        found = table.get(slot_id) if isinstance(slot_id, str) else None
        return dict(found) if found is not None else None


@functools.lru_cache(maxsize=128)
def reply_schema(schema: type[BaseModel], amount_ids: tuple[str, ...], ticker_ids: tuple[str, ...]) -> ReplySchema:
    """`ReplySchema` built once per (schema, ids): building pydantic classes costs milliseconds."""
    return ReplySchema(schema, amount_ids, ticker_ids)


def schema_grounding(text: str, mentions: Mentions) -> Grounding:
    """Ids for the distinct amounts (M1, ...) and listings (T1, ...) of `text`, with context snippets."""
    return ground(text, rules_record(text, mentions), {})


def field_guide(schema: type[BaseModel], prefix: str = "", seen: frozenset[type] = frozenset()) -> list[dict[str, str]]:
    """One line per field for the prompt: dotted path, what to answer, the user's description."""
    rows: list[dict[str, str]] = []
    for name, info in schema.model_fields.items():
        if is_span_field(name, info.annotation):
            continue
        path = f"{prefix}{name}"
        kind = _llmx_kind(info.annotation)
        many = _is_list(info.annotation)
        label = {
            AMOUNT: "amount ids" if many else "amount id",
            TICKER: "listing ids" if many else "listing id",
            "quote": "quotes" if many else "quote",
        }.get(kind or "", _type_name(info.annotation))
        rows.append({"path": path, "type": label, "description": info.description or ""})
        for nested in _nested_models(info.annotation):
            if nested not in seen:
                rows += field_guide(nested, f"{path}{'[]' if many else ''}.", seen | {schema})
    return rows


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type):
        plain = issubclass(annotation, BaseModel) and not issubclass(annotation, (Money, Ticker, Quote))
        return [annotation] if plain else []
    return [model for arg in get_args(annotation) for model in _nested_models(arg)]


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return "object" if issubclass(annotation, BaseModel) else annotation.__name__
    return str(annotation).replace("typing.", "")


def prompt_variables(schema: type[BaseModel], grounding: Grounding, text_chars: int) -> dict[str, Any]:
    """What `prompts/grounded-schema.j2` renders: the schema's fields, the text, the mentions."""
    text = grounding.text
    return {
        "schema_name": schema.__name__,
        "schema_doc": (schema.__doc__ or "").strip(),
        "fields": field_guide(schema),
        "text": text[:text_chars],
        "truncated": len(text) > text_chars,
        "amounts": [
            {"id": s.id, "text": s.amount.text, "value": s.amount.value, "currency": s.amount.currency, "snippet": s.snippet}
            for s in grounding.amounts
        ],
        "tickers": [{"id": s.id, "symbol": s.ticker.symbol, "exchange": s.ticker.exchange, "text": s.ticker.text} for s in grounding.tickers],
    }


@dataclass
class SchemaCall:
    """The one model request of a grounded extraction into a user's schema, and its answer's mapping."""

    grounding: Grounding
    reply: ReplySchema
    messages: list[dict[str, str]]
    context: dict[str, Any]

    @property
    def response_model(self) -> type[BaseModel]:
        return self.reply.model

    @classmethod
    def build(cls, text: str, schema: type[BaseModel], mentions: Mentions, template: PromptTemplate, backend: str) -> "SchemaCall":
        """Ids for the mentions, the reply model and the rendered prompt for `text`."""
        from llmx.validation.checks import source_context

        grounding = schema_grounding(text, mentions)
        reply = reply_schema(schema, tuple(s.id for s in grounding.amounts), tuple(s.id for s in grounding.tickers))
        messages = template.render(**prompt_variables(schema, grounding, TEXT_CHARS.get(backend, DEFAULT_TEXT_CHARS)))
        return cls(grounding, reply, messages, source_context(text, mentions=mentions))

    def record(self, answer: BaseModel) -> BaseModel:
        """The validated answer as the user's record (see `ReplySchema.to_record`)."""
        return self.reply.to_record(answer, self.grounding)

    def recover(self, error: ExtractionError) -> tuple[BaseModel, list[dict[str, Any]]]:
        """The record from the last invalid reply with its invalid values dropped; re-raises `error` if none is left."""
        salvaged = self.reply.salvage(getattr(error, "raw", None), self.context)
        if salvaged is None:
            raise error
        answer, dropped = salvaged
        return self.record(answer), dropped
