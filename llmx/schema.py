"""The record contract: `PressRelease` and the `Money` / `Ticker` field types users reuse.

Money and ticker fields validate themselves against the source text when pydantic is given a
validation context built by `llmx.validation.checks.source_context(text)`; that is how the rule-based
validator feeds instructor's re-ask loop, for llmx's schema and for users' own schemas alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

Kind = Literal[
    "upfront",
    "milestone",
    "royalty",
    "license_fee",
    "equity",
    "acquisition_price",
    "financing",
    "price_per_share",
    "revenue",
    "earnings",
    "cash",
    "contract_value",
    "grant",
    "valuation",
    "other",
]
KINDS: tuple[str, ...] = get_args(Kind)
Status = Literal["actual", "potential"]
STATUSES: tuple[str, ...] = get_args(Status)
Span = tuple[int, int]


def iter_models(value: Any, path: str = "") -> Iterator[tuple[str, BaseModel]]:
    """(path, model) for every pydantic model inside `value`, itself included: depth first, parents first.

    Paths read like `amounts[0].payer`; lists, tuples and dicts are walked through. The one walk
    over a record that the validator, free mode's span alignment and the tests share.
    """
    # A path is built, and the walk goes deeper, only for a value that can hold a model: a model, or
    # a list/tuple/dict holding one of those (most fields are strings and numbers, spans tuples of ints).
    if isinstance(value, BaseModel):
        yield path, value
        for name in _field_names(type(value)):
            item = getattr(value, name)
            if _may_hold_model(item):
                yield from iter_models(item, f"{path}.{name}" if path else name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if _may_hold_model(item):
                yield from iter_models(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if _may_hold_model(item):
                yield from iter_models(item, f"{path}.{key}" if path else str(key))


_CONTAINERS = (BaseModel, list, tuple, dict)


def _may_hold_model(item: Any) -> bool:
    """A model, or a list/tuple/dict with a model or another container inside (else nothing to yield)."""
    if isinstance(item, BaseModel):
        return True
    if isinstance(item, dict):
        item = item.values()
    elif not isinstance(item, (list, tuple)):
        return False
    for inner in item:  # a plain loop: cheaper than any() over a generator for 2-item spans
        if isinstance(inner, _CONTAINERS):
            return True
    return False


@lru_cache(maxsize=512)
def _field_names(model: type[BaseModel]) -> tuple[str, ...]:
    """`model.model_fields`' names (a class's fields are fixed once it is built; the property costs a call each time)."""
    return tuple(model.model_fields)

# How far a typed amount may be from a printed one and still be that amount: "$2.6 million"
# stands for 2,600,000 +- 0.5 % (press releases round). The validator, the alignment of free-mode
# values to the text and the eval harness's matching all use this one figure.
AMOUNT_TOLERANCE = 0.005


class SourceChecker(Protocol):
    """What a validation context's "llmx_source" provides (`llmx.validation.checks.SourceIndex`).

    The checks live above the record contract and import it; the field types only call them
    through this protocol, so the contract imports nothing from validation.
    """

    def raise_for_field(self, model: BaseModel) -> None:
        """Raise ValueError when `model` (a Money or Ticker value) is not supported by the source."""

    def align_quote(self, quote: str) -> tuple[str, Span]:
        """(text as printed, span) of a Quote's words in the source; ValueError when not printed."""


def _check_against_source(model: BaseModel, info: ValidationInfo) -> BaseModel:
    """Run the validator's checks when the caller supplied the source text as context."""
    context = info.context if info is not None else None
    if not context or "llmx_source" not in context:
        return model
    source: SourceChecker = context["llmx_source"]
    source.raise_for_field(model)
    return model


class Money(BaseModel):
    """A money amount as printed in the text. Reuse it as a field type in your own schemas."""

    model_config = ConfigDict(extra="forbid")

    value: float = Field(description="Amount in units of the currency, e.g. 2000000 for '$2 million'.")
    currency: str = Field("USD", description="ISO 4217 code, e.g. USD, EUR, CAD.", min_length=3, max_length=3)
    text: str | None = Field(None, description="The exact characters of the mention in the source text.")
    span: Span | None = Field(None, description="[start, end) character offsets into the source text.")

    @field_validator("currency", mode="before")
    @classmethod
    def _upper_currency(cls, value: object) -> object:
        # " usd", "US D": models and people pad or split codes; the code itself is what counts.
        return "".join(value.split()).upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _grounded_in_source(self, info: ValidationInfo) -> "Money":
        return _check_against_source(self, info)  # type: ignore[return-value]


class Amount(Money):
    """A money amount with its role in the deal."""

    kind: Kind = "other"
    status: Status = Field("actual", description="'potential' for milestones, up-to, could, may; else 'actual'.")
    payer: str | None = None
    payee: str | None = None
    payer_span: Span | None = Field(None, description="Where the payer's name is printed (grounded mode).")
    payee_span: Span | None = Field(None, description="Where the payee's name is printed (grounded mode).")


class Ticker(BaseModel):
    """An exchange listing printed in the text, e.g. '(Nasdaq: IMGN)'. Reusable field type."""

    model_config = ConfigDict(extra="forbid")

    symbol: str = Field(description="Ticker symbol as listed, upper case, e.g. IMGN or BRK.B.")
    exchange: str | None = Field(None, description="Canonical exchange: NASDAQ, NYSE, NYSE American, OTC, TSX, ...")
    company: str | None = None
    text: str | None = None
    span: Span | None = None

    @model_validator(mode="after")
    def _grounded_in_source(self, info: ValidationInfo) -> "Ticker":
        return _check_against_source(self, info)  # type: ignore[return-value]


class Quote(BaseModel):
    """A name or phrase copied from the text, with its span. Reuse it as a field type.

    Given the source text as validation context, it aligns itself to the text (exact, then
    OCR-tolerant; see `llmx.recognize.quotes`) and fails with a re-ask message when it is not printed there.
    """

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The words exactly as printed in the source text.")
    span: Span | None = Field(None, description="[start, end) character offsets into the source text.")

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _printed_in_source(self, info: ValidationInfo) -> "Quote":
        context = info.context if info is not None else None
        if not context or "llmx_source" not in context:
            return self
        source: SourceChecker = context["llmx_source"]
        self.text, self.span = source.align_quote(self.text)
        return self

    def __str__(self) -> str:
        return self.text


class Issuer(BaseModel):
    name: str | None = None
    ticker: str | None = None
    exchange: str | None = None
    span: Span | None = Field(None, description="Where the issuer's name is printed (grounded mode).")


class Company(BaseModel):
    name: str
    role: str | None = Field(None, description="e.g. issuer, licensee, acquirer, underwriter, partner")
    span: Span | None = Field(None, description="Where the name is printed (grounded mode).")


class Usage(BaseModel):
    """What one record cost, summed over every attempt (transport retries and re-asks)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    reasks: int = 0
    cached: bool = False

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def add(self, other: "Usage") -> "Usage":
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            retries=self.retries + other.retries,
            reasks=self.reasks + other.reasks,
            cached=self.cached and other.cached,
        )


class Finding(BaseModel):
    """One validator observation about an extracted value."""

    code: str
    severity: Literal["error", "warning", "info"]
    path: str
    message: str
    span: Span | None = None


class RecordMeta(BaseModel):
    """Provenance of a record: which backend, model, prompt and text produced it, at what cost."""

    backend: str | None = None
    mode: str | None = None
    model: str | None = None
    prompt_hash: str | None = None
    content_hash: str | None = None
    usage: Usage = Field(default_factory=Usage)
    latency_s: float | None = None
    findings: list[Finding] = Field(default_factory=list)
    fallback: str | None = Field(None, description='"rules: <reason>" when the model\'s answer was unusable and the rules filled in.')
    extra: dict[str, Any] = Field(default_factory=dict)
    source: dict[str, Any] | None = None  # how the text was obtained: reader, pages, file metadata (llmx.readers)


class PressRelease(BaseModel):
    """The extraction record for one press release (see README, 'Record contract')."""

    id: str | None = Field(None, description="Document id (the file stem) when known.")
    date: str | None = Field(None, description="Release date as YYYY-MM-DD, or null if not printed.")
    date_span: Span | None = Field(None, description="Where the date is printed (grounded mode).")
    issuer: Issuer = Field(default_factory=Issuer)
    tickers: list[Ticker] = Field(default_factory=list)
    amounts: list[Amount] = Field(default_factory=list)
    companies: list[Company] = Field(default_factory=list)
    meta: RecordMeta | None = None
