"""Grounded extraction: the model labels mentions the recognizers found; it never writes a value.

Every distinct money amount (value, currency) gets an id (M1, M2, ...) and every listed symbol an
id (T1, ...). The reply schema is built per document with one required slot per amount id and
an enum of ticker ids, so a constrained or validated reply cannot contain an amount or ticker
that is not in the text. Values, printed text and spans always come from the recognizers; the
model supplies roles (kind, status, payer, payee), the issuer and the companies.

How much of the model's answer to trust is a `LabelPolicy`: each field can come from the rules,
from the model, or from the model only where the rules are unsure ("fallback"). Each backend
says whose labels it keeps by default (`Backend.default_labels`; the measurements behind them are
in docs/measurements.md).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model
from pydantic.json_schema import model_json_schema as pydantic_json_schema
from rapidfuzz import fuzz

from llmx.errors import ConfigError
from llmx.extraction.inputs import Chunk
from llmx.schema import KINDS, Amount, Company, Issuer, Kind, PressRelease, Status, Ticker

Source = Literal["rules", "model", "fallback"]
SNIPPET_CHARS = 90  # context shown on each side of a mention
# Bounds in the reply schema keep a constrained small model from looping on a list or a string.
MAX_NAME_CHARS = 80
MAX_COMPANIES = 8
Name = Annotated[str, StringConstraints(max_length=MAX_NAME_CHARS)]
NAME_MATCH = 90  # rapidfuzz partial_ratio a model-written name needs to count as printed in the text


@dataclass(frozen=True)
class LabelPolicy:
    """Where each part of a grounded record comes from.

    "rules": the rules' answer. "model": the model's answer (names only if they occur in the
    text, else the rules'). "fallback": the rules' answer unless the rules are unsure (role
    confidence below `unsure_below`, or no issuer/companies/date found), then the model's.
    """

    kind: Source = "model"
    status: Source = "model"
    parties: Source = "model"
    issuer: Source = "model"
    companies: Source = "model"
    date: Source = "fallback"
    unsure_below: float = 0.3

    @property
    def uses_model(self) -> bool:
        """False when every field comes from the rules, so asking the model would be wasted."""
        return any(getattr(self, name) != "rules" for name in ("kind", "status", "parties", "issuer", "companies", "date"))


LABEL_PRESETS: dict[str, LabelPolicy] = {
    "model": LabelPolicy(),
    "rules": LabelPolicy(kind="rules", status="rules", parties="rules", issuer="rules", companies="rules", date="rules"),
    "fallback": LabelPolicy(
        kind="fallback", status="fallback", parties="fallback", issuer="fallback", companies="fallback", date="fallback"
    ),
}


def label_policy(labels: str | LabelPolicy) -> LabelPolicy:
    """A preset name ("model", "rules", "fallback") or a LabelPolicy."""
    if isinstance(labels, LabelPolicy):
        return labels
    try:
        return LABEL_PRESETS[labels]
    except KeyError:
        raise ConfigError(f"unknown labels policy {labels!r}; use one of {', '.join(LABEL_PRESETS)} or a LabelPolicy") from None


@dataclass(frozen=True)
class AmountSlot:
    """One distinct (value, currency) as the rules recorded it, and how sure the rules were of its role."""

    id: str
    amount: Amount  # value, text, span of the first occurrence; kind/status/payer/payee = the rules' labels
    confidence: float
    snippet: str


@dataclass(frozen=True)
class TickerSlot:
    """One distinct symbol, from its first listing."""

    id: str
    ticker: Ticker


@dataclass(frozen=True)
class Grounding:
    """Everything the model is asked about for one document, and the rules' answers to fall back on."""

    text: str
    rules: PressRelease
    amounts: list[AmountSlot]
    tickers: list[TickerSlot]

    def slots_in(self, chunk: Chunk, taken: set[str]) -> tuple[list[AmountSlot], list[TickerSlot]]:
        """Slots whose first mention lies in `chunk` and were not given to an earlier chunk."""
        amounts = [s for s in self.amounts if s.id not in taken and s.amount.span and chunk.contains(s.amount.span)]
        tickers = [s for s in self.tickers if s.id not in taken and s.ticker.span and chunk.contains(s.ticker.span)]
        return amounts, tickers


def snippet(text: str, span: tuple[int, int], width: int = SNIPPET_CHARS) -> str:
    """The mention with `width` characters of context each side, on one line, mention in [[ ]]."""
    start, end = span
    flat = f"{text[max(0, start - width) : start]}[[{text[start:end]}]]{text[end : end + width]}"
    return " ".join(flat.split())


def ground(text: str, rules: PressRelease, confidences: Mapping[tuple[int, int], float]) -> Grounding:
    """Give ids to the amounts (M1, ...) and tickers (T1, ...) of the rules' record for `text`.

    The rules record already holds one amount per distinct (value, currency) with the span of its
    first occurrence, and one ticker per symbol; `confidences` maps a mention span to the rules'
    role confidence for it.
    """
    amounts = [
        AmountSlot(f"M{i}", amount, confidences.get(tuple(amount.span), 0.0) if amount.span else 0.0,
                   snippet(text, amount.span) if amount.span else amount.text or "")
        for i, amount in enumerate(rules.amounts, start=1)
    ]
    tickers = [TickerSlot(f"T{i}", ticker) for i, ticker in enumerate(rules.tickers, start=1)]
    return Grounding(text=text, rules=rules, amounts=amounts, tickers=tickers)


class Label(BaseModel):
    """The model's kind/status for one amount. Every key is required so a small model cannot skip it."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    status: Status


class Role(Label):
    """Kind, status and the parties of one amount."""

    payer: Name | None = Field(description="Company paying the amount, as printed, or null.")
    payee: Name | None = Field(description="Company receiving the amount, as printed, or null.")


def reply_model(amounts: Sequence[AmountSlot], tickers: Sequence[TickerSlot], parties: bool = True) -> type[BaseModel]:
    """The response schema for these slots: one label per amount id, issuer ticker as a ticker id.

    `parties=False` leaves payer/payee out, which halves what a small model has to generate.
    The schema depends only on the ids (the prompt carries each amount's text and context), so
    documents with the same number of amounts and listings share one class: building a pydantic
    class and its JSON schema costs milliseconds, more than the rest of a batch request.
    """
    return _reply_model(tuple(slot.id for slot in amounts), tuple(slot.id for slot in tickers), parties)


def _role_description(slot_id: str) -> str:
    return f"Role of amount {slot_id} (see the list of amounts)."


class GroundedReplyBase(BaseModel):
    """Base of the grounded reply classes (one per shape): their JSON schema is patched from a template.

    Generating a reply class's JSON schema costs pydantic about 0.7 ms, once per shape (a
    1,000-document batch has ~80 shapes, in each process). What differs between shapes is only
    where the ids are written: the amount ids (a property and a required key each, all alike but
    for the id in the description) and the ticker ids (none: `null`; one: a `const`; more: an
    `enum`). So pydantic's schema of the first class of each form (amounts or none, 0 / 1 / 2+
    tickers, parties or not) is kept as a template and the ids of every other shape are written
    into a copy (`reply_json_schema`); tests/extraction/test_grounded_reply_schema.py checks
    that the result is exactly (key order included) pydantic's for every shape up to 40 amounts
    and 6 tickers. Any other call (other arguments, a subclass with other fields) is pydantic's.
    """

    model_config = ConfigDict(extra="forbid")
    reply_shape: ClassVar[tuple[tuple[str, ...], tuple[str, ...], bool] | None] = None
    reply_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def model_json_schema(cls, by_alias: bool | None = True, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs or by_alias is False or cls.reply_shape is None or tuple(cls.model_fields) != cls.reply_fields:
            return super().model_json_schema(by_alias if by_alias is not None else True, *args, **kwargs)
        return reply_json_schema(cls)


# (amounts or none, tickers 0 / 1 / 2+, parties) -> pydantic's JSON schema of the first class of that form, as JSON text
_SCHEMA_TEMPLATES: dict[tuple[bool, int, bool], str] = {}


def reply_json_schema(model: type[GroundedReplyBase]) -> dict[str, Any]:
    """The JSON schema of a grounded reply class: its form's template with this shape's ids written in."""
    assert model.reply_shape is not None
    amount_ids, ticker_ids, parties = model.reply_shape
    form = (bool(amount_ids), min(len(ticker_ids), 2), parties)
    template = _SCHEMA_TEMPLATES.get(form)
    if template is None:
        schema = pydantic_json_schema(model)
        _SCHEMA_TEMPLATES[form] = json.dumps(schema)
        return schema
    schema = json.loads(template)
    if amount_ids:
        roles = schema["$defs"]["AmountRoles"]
        role = next(iter(roles["properties"].values()))
        roles["properties"] = {slot_id: {**role, "description": _role_description(slot_id)} for slot_id in amount_ids}
        roles["required"] = list(amount_ids)
    if ticker_ids:
        choice = schema["properties"]["issuer_ticker"]["anyOf"][0]
        if len(ticker_ids) == 1:
            choice["const"] = ticker_ids[0]
        else:
            choice["enum"] = list(ticker_ids)
    return schema


@functools.lru_cache(maxsize=256)
def _amount_roles(amount_ids: tuple[str, ...], parties: bool) -> type[BaseModel]:
    """The `amounts` class of a reply: one required role per amount id. Shapes that differ only in
    their ticker ids share it (building a pydantic class is most of a shape's cost)."""
    role = Role if parties else Label
    slot_fields: dict[str, Any] = {slot_id: (role, Field(description=_role_description(slot_id))) for slot_id in amount_ids}
    return create_model("AmountRoles", __config__=ConfigDict(extra="forbid"), **slot_fields)


@functools.lru_cache(maxsize=256)
def _reply_model(amount_ids: tuple[str, ...], ticker_ids: tuple[str, ...], parties: bool) -> type[BaseModel]:
    amounts_model = _amount_roles(amount_ids, parties)
    issuer_ticker: Any = (Literal[ticker_ids] | None) if ticker_ids else None  # type: ignore[valid-type]
    model = create_model(
        "GroundedReply",
        __base__=GroundedReplyBase,
        issuer=(Name | None, Field(description="Name of the company that put out the release, as printed, or null.")),
        issuer_ticker=(issuer_ticker, Field(description="Id (T1, ...) of the issuer's own listing, or null.")),
        companies=(list[Name], Field(description="Companies taking part in what is reported, as printed.", max_length=MAX_COMPANIES)),
        date=(str | None, Field(description="Release date from the dateline as YYYY-MM-DD, or null.", pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
        amounts=(amounts_model, Field(description="Labels for every amount id.")),
    )
    model.reply_shape, model.reply_fields = (amount_ids, ticker_ids, parties), tuple(model.model_fields)
    return model


def prompt_variables(
    grounding: Grounding,
    chunk: Chunk,
    amounts: Sequence[AmountSlot],
    tickers: Sequence[TickerSlot],
    *,
    parties: bool = True,
    lead_chars: int = 700,
) -> dict[str, Any]:
    """The variables grounded templates render: the chunk, the document lead, the slots with the rules' hints."""
    return {
        "parties": parties,
        "text": chunk.text,
        "lead": grounding.text[:lead_chars],
        "kinds": list(KINDS),
        "amounts": [
            {"id": s.id, "text": s.amount.text, "value": s.amount.value, "currency": s.amount.currency,
             "snippet": s.snippet, "hint_kind": s.amount.kind, "hint_status": s.amount.status}
            for s in amounts
        ],
        "tickers": [
            {"id": s.id, "symbol": s.ticker.symbol, "exchange": s.ticker.exchange, "text": s.ticker.text}
            for s in tickers
        ],
    }


def grounded_name(name: str | None, text: str) -> str | None:
    """`name` as printed in `text` (exact, else best fuzzy alignment >= NAME_MATCH), or None."""
    if not name or len(name.strip()) < 2:
        return None
    name = " ".join(name.split())
    lowered = text.lower()
    start = lowered.find(name.lower())
    if start >= 0:
        return text[start : start + len(name)]
    alignment = fuzz.partial_ratio_alignment(name.lower(), lowered, score_cutoff=NAME_MATCH)
    if alignment is None or alignment.dest_end - alignment.dest_start < 2:
        return None
    return _whole_words(text, alignment.dest_start, alignment.dest_end)


def _whole_words(text: str, start: int, end: int) -> str:
    """text[start:end] widened to whole words (an alignment may cut "Inc." to "Inc")."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    words = text[start:end].rstrip(",;:)\"'’”").split()
    if words and words[-1].endswith(".") and len(words[-1]) > 5:  # a full stop, not "Inc." / "N.V."
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _pick(source: Source, rules_value: Any, model_value: Any, rules_unsure: bool) -> Any:
    if source == "rules" or model_value in (None, []):
        return rules_value
    return model_value if source == "model" or rules_unsure else rules_value


def _same_name(a: str, b: str) -> bool:
    return fuzz.token_set_ratio(a.lower(), b.lower()) >= 90


def build_record(grounding: Grounding, replies: Sequence[BaseModel], policy: LabelPolicy) -> PressRelease:
    """Assemble the record: values and spans from the rules' record, roles per `policy` from rules or model.

    `replies` are the model's answers, one per chunk, in text order (none for rules only); an
    amount id answered by several chunks keeps the first answer. Names the model wrote count only
    if they are printed in the text.
    """
    text, rules = grounding.text, grounding.rules
    roles: dict[str, Label] = {}
    model_issuer: str | None = None
    model_ticker: str | None = None
    model_companies: list[str] = []
    model_date: str | None = None
    for reply in replies:
        for slot_id, role in reply.amounts:  # type: ignore[attr-defined]
            roles.setdefault(slot_id, role)
        model_issuer = model_issuer or grounded_name(reply.issuer, text)  # type: ignore[attr-defined]
        model_ticker = model_ticker or reply.issuer_ticker  # type: ignore[attr-defined]
        model_companies += [n for n in (grounded_name(c, text) for c in reply.companies) if n]  # type: ignore[attr-defined]
        model_date = model_date or _checked_date(reply.date, text)  # type: ignore[attr-defined]

    amounts = []
    for slot in grounding.amounts:
        role, base = roles.get(slot.id), slot.amount
        if role is None:
            amounts.append(base.model_copy())
            continue
        unsure = slot.confidence < policy.unsure_below
        amounts.append(
            base.model_copy(
                update={
                    "kind": _pick(policy.kind, base.kind, role.kind, unsure),
                    "status": _pick(policy.status, base.status, role.status, unsure),
                    "payer": _pick(policy.parties, base.payer, grounded_name(getattr(role, "payer", None), text), unsure),
                    "payee": _pick(policy.parties, base.payee, grounded_name(getattr(role, "payee", None), text), unsure),
                }
            )
        )

    issuer = _issuer(grounding, policy, model_issuer, model_ticker)
    tickers = [
        slot.ticker.model_copy(update={"company": issuer.name if slot.ticker.symbol == issuer.ticker else slot.ticker.company})
        for slot in grounding.tickers
    ]
    rules_companies = [c.name for c in rules.companies]
    names = _pick(policy.companies, rules_companies, model_companies, not rules_companies)
    if issuer.name:
        names = [issuer.name, *names]
    companies: list[Company] = []
    for name in names:
        if not any(_same_name(name, kept.name) for kept in companies):
            known = next((c for c in rules.companies if _same_name(c.name, name)), None)
            companies.append(known.model_copy() if known else Company(name=name, role="issuer" if name == issuer.name else None))
    return PressRelease(
        id=rules.id,
        date=_pick(policy.date, rules.date, model_date, rules.date is None),
        issuer=issuer,
        tickers=tickers,
        amounts=amounts,
        companies=companies,
    )


def _issuer(grounding: Grounding, policy: LabelPolicy, model_name: str | None, model_ticker: str | None) -> Issuer:
    """The issuer's name and listing; a model-chosen ticker id maps to the recognised listing."""
    rules_issuer = grounding.rules.issuer
    name = _pick(policy.issuer, rules_issuer.name, model_name, not rules_issuer.name)
    listing = next((s.ticker for s in grounding.tickers if s.id == model_ticker), None)
    chosen = _pick(policy.issuer, None, listing, not rules_issuer.ticker)
    if chosen is None:
        return Issuer(name=name, ticker=rules_issuer.ticker, exchange=rules_issuer.exchange)
    return Issuer(name=name, ticker=chosen.symbol, exchange=chosen.exchange)


def _checked_date(date: str | None, text: str) -> str | None:
    """Keep a model's date only if its year and day number are printed in the text."""
    if not date:
        return None
    year, _, day = date.split("-")
    return date if year in text and str(int(day)) in text else None
