"""`llmx.extract` / `llmx.aextract`: one document in, one validated record out.

    record = extract(text)                                  # offline default backend, grounded
    record = extract(text, backend="openai", model="gpt-4o-mini")
    deal = extract(text, schema=MyDeal, mode="free")        # any schema using Money/Ticker fields

Modes:
- grounded (default): the recognizers find every amount and ticker; the model only labels them
  (see `llmx.grounded`), so a record cannot contain a value that is not printed in the text.
- free: the model writes the record itself (instructor style); Money/Ticker fields are checked
  against the text and re-asked with the validator's messages; what still fails is dropped
  (or kept with findings when `keep_invalid=True`).

The extraction steps are written once, as a generator that yields model requests, and exposed as
an `ExtractionPlan` (`plan(text, ...)`): `extract` answers its requests with `backend.complete`,
`aextract` with `await backend.acomplete` and the Batch API (`llmx.llm.batch_api`) with batch
replies, so every path builds records the same way.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass, field
from functools import reduce
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from llmx.errors import ConfigError, ExtractionError
from llmx.free import align_spans, draft_model, from_draft, merge_drafts, prune_unsupported
from llmx.grounded import LabelPolicy, build_record, ground, label_policy, prompt_variables, reply_model
from llmx.inputs import chunk_text, check_text
from llmx.llm.base import ChatBackend, Completion
from llmx.prompts import PromptTemplate, load_template
from llmx.recognize import Mentions, recognize
from llmx.schema import PressRelease, RecordMeta, Usage

T = TypeVar("T", bound=BaseModel)
Mode = Literal["grounded", "free"]
BackendName = Literal["openai", "local", "rules"]

# Used when no API key or endpoint is configured. Measured (scripts/compare_backends.py, dev set
# of 25 and own set of 35 documents): the embedded model's labels beat the rules on no field (see
# DEFAULT_LABELS), so offline records are the rules' records either way (amounts F1 1.000, tickers
# F1 1.000, no hallucinations); the rules backend also needs no model file or llama-cpp install.
DEFAULT_OFFLINE_BACKEND: BackendName = "rules"

# Whose labels a grounded record keeps, per backend. Measured with SmolLM2-135M (local):
#                      kind acc      status acc    issuer name   companies F1   (dev / own set)
#   labels="rules"     0.948/0.961   0.974/0.950   1.000/1.000   0.891/0.942
#   labels="fallback"  0.802/0.757   0.966/0.900   1.000/1.000   0.891/0.942
#   labels="model"     0.190/0.131   0.767/0.602   0.880/0.829   0.601/0.492
# so the local model is trusted with nothing (and not called); a remote model is trusted.
DEFAULT_LABELS: dict[str, str | LabelPolicy] = {"local": "rules"}
DEFAULT_LABELS_OTHER = "model"

# A small model gets the compact grounded prompt (lead + per-amount context, not the whole text)
# and is not asked for payers/payees (half its output tokens, and names it mostly invents).
DEFAULT_TEMPLATES: dict[tuple[str, str], str] = {("grounded", "local"): "grounded-compact"}
NO_PARTIES_BACKENDS = frozenset({"local"})

CHUNK_CHARS = 16_000  # ~4k tokens of English: fits every backend's context with room for the reply
CHUNK_OVERLAP = 400


class RulesOnly:
    """The `rules` backend: no model; grounded records come from recognizers and rules alone."""

    name = "rules"
    model = "rules"

    def __repr__(self) -> str:
        return "RulesOnly()"


@dataclass
class ModelRequest:
    """One structured call an extraction needs answered: chat messages and the reply's schema."""

    messages: list[dict[str, Any]]
    response_model: type[BaseModel]
    validation_context: dict[str, Any] | None = None


@dataclass
class _Job:
    text: str
    schema: type[BaseModel]
    backend: ChatBackend | RulesOnly
    mode: Mode
    template: PromptTemplate | None
    labels: LabelPolicy
    max_reasks: int
    keep_invalid: bool
    doc_id: str | None
    explain: bool
    usages: list[Usage] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)  # rendered messages + raw replies (explain)
    dropped: list[dict[str, Any]] = field(default_factory=list)  # values the validator rejected (free mode)
    model_errors: list[str] = field(default_factory=list)  # grounded chunks answered by the rules instead
    model_skipped: bool = False  # the label policy takes nothing from the model, so it was not asked
    mentions: Mentions | None = None  # what the recognizers found in `text` (set by the first step)


def resolve_backend_name(backend: str | None, base_url: str | None = None) -> str:
    """"openai" when an API key or endpoint is configured, else `DEFAULT_OFFLINE_BACKEND`."""
    if backend is not None:
        return backend
    if os.environ.get("OPENAI_API_KEY") or base_url or os.environ.get("OPENAI_BASE_URL"):
        return "openai"
    return DEFAULT_OFFLINE_BACKEND


def make_backend(
    name: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    cache: Any = True,
    llm_mode: str | None = None,
    **options: Any,
) -> ChatBackend | RulesOnly:
    """Build a backend once (loading a model, opening a client) to reuse for many documents.

    `name` is "openai", "local", "rules" or None (auto: see `resolve_backend_name`). `cache` is
    True (default location), False, a path or a `ResponseCache`. `llm_mode` is the openai
    backend's structured-output dialect (`llmx.llm.dialects`; None: negotiated). Other options
    go to the backend.
    """
    resolved = resolve_backend_name(name, base_url)
    if llm_mode is not None and resolved != "openai":
        raise ConfigError(f"llm_mode={llm_mode!r} is for the openai backend, not {resolved!r}")
    if llm_mode is not None:
        options["mode"] = llm_mode
    if resolved == "rules":
        return RulesOnly()
    if resolved == "local":
        from llmx.llm.local import LocalBackend

        return LocalBackend(model, cache=cache, **options)
    if resolved == "openai":
        from llmx.llm.client import OpenAIBackend

        kwargs = {"base_url": base_url, "api_key": api_key, "cache": cache, **options}
        if model is not None:
            kwargs["model"] = model
        return OpenAIBackend(**kwargs)
    raise ConfigError(f"unknown backend {name!r}; use 'openai', 'local', 'rules' or a ChatBackend instance")


def prompt_template(
    backend: ChatBackend | RulesOnly, mode: str, template: str | os.PathLike[str] | PromptTemplate | None = None
) -> PromptTemplate | None:
    """The prompt `backend` is asked with in `mode` (None for the rules, which ask no model).

    `template` is a built-in name, a file, an already loaded template, or None for the default of
    the backend and mode. A batch loads it once for every document (`load_template` checks the
    files again on each call so that edits show up).
    """
    if isinstance(backend, RulesOnly):
        return None
    if isinstance(template, PromptTemplate):
        return template
    return load_template(template or DEFAULT_TEMPLATES.get((mode, backend.name), mode))


def _prepare(
    text: str,
    schema: type[BaseModel],
    backend: str | ChatBackend | RulesOnly | None,
    mode: str,
    *,
    model: str | None,
    base_url: str | None,
    api_key: str | None,
    llm_mode: str | None = None,
    template: str | os.PathLike[str] | PromptTemplate | None,
    labels: str | LabelPolicy | None,
    max_reasks: int,
    keep_invalid: bool,
    cache: Any,
    doc_id: str | None,
    explain: bool,
) -> _Job:
    """Check the arguments and build what one extraction needs (fails fast, before any model call)."""
    text = check_text(text)
    if mode not in ("grounded", "free"):
        raise ConfigError(f"unknown mode {mode!r}; use 'grounded' or 'free'")
    if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
        raise ConfigError(f"schema must be a pydantic model class, not {schema!r}")
    if max_reasks < 0:
        raise ConfigError("max_reasks must be >= 0")
    if backend is None or isinstance(backend, str):
        backend = make_backend(backend, model=model, base_url=base_url, api_key=api_key, cache=cache, llm_mode=llm_mode)
    name = backend.name
    if mode == "grounded" and not issubclass(schema, PressRelease):
        raise ConfigError(
            f"grounded mode fills llmx's PressRelease record; for your own schema {schema.__name__} use mode='free'"
        )
    if isinstance(backend, RulesOnly) and mode == "free":
        raise ConfigError("free mode needs a language model; the 'rules' backend only does grounded extraction")
    prompt = prompt_template(backend, mode, template)
    policy = label_policy(labels if labels is not None else DEFAULT_LABELS.get(name, DEFAULT_LABELS_OTHER))
    return _Job(
        text=text, schema=schema, backend=backend, mode=mode, template=prompt, labels=policy,  # type: ignore[arg-type]
        max_reasks=max_reasks, keep_invalid=keep_invalid, doc_id=doc_id, explain=explain,
    )


Steps = Generator[ModelRequest, Completion[Any], BaseModel]


@functools.lru_cache(maxsize=64)
def _draft_schema(schema: type[BaseModel]) -> type[BaseModel]:
    """`draft_model(schema)` built once per schema: building a pydantic class costs milliseconds."""
    return draft_model(schema)


def _steps(job: _Job) -> Steps:
    """The extraction, yielding each model request; the driver sends back the completion."""
    mentions = job.mentions = recognize(job.text)
    if job.mode == "grounded":
        record = yield from _grounded(job, mentions)
    else:
        record = yield from _free(job, mentions)
    return record


def _grounded(job: _Job, mentions: Mentions) -> Steps:
    from llmx.llm.rules import rules_record

    rules = rules_record(job.text, mentions, doc_id=job.doc_id)
    # How sure the rules are of each amount's role (for "fallback" policies), keyed by its span.
    confidences = {
        tuple(amount.span): confidence
        for amount, confidence in zip(rules.amounts, rules.meta.extra["role_confidence"])  # type: ignore[union-attr]
        if amount.span
    }
    grounding = ground(job.text, rules, confidences)
    replies = []
    if job.template is not None and not job.labels.uses_model:
        job.model_skipped = True
    elif job.template is not None:
        taken: set[str] = set()
        for index, chunk in enumerate(chunk_text(job.text, CHUNK_CHARS, CHUNK_OVERLAP)):
            amounts, tickers = grounding.slots_in(chunk, taken)
            if index > 0 and not amounts:
                continue  # later chunks only matter for their amounts
            taken.update(slot.id for slot in (*amounts, *tickers))
            parties = job.backend.name not in NO_PARTIES_BACKENDS
            messages = job.template.render(**prompt_variables(grounding, chunk, amounts, tickers, parties=parties))
            try:
                completion = yield ModelRequest(messages, reply_model(amounts, tickers, parties=parties))
            except ExtractionError as exc:
                # These slots keep the rules' labels; the record is still complete and grounded.
                job.model_errors.append(str(exc))
                continue
            replies.append(completion.value)
    return build_record(grounding, replies, job.labels)


def _free(job: _Job, mentions: Mentions) -> Steps:
    from llmx.validate import raise_for_field, source_context

    assert job.template is not None
    context = source_context(job.text, mentions=mentions)
    draft_schema = _draft_schema(job.schema)
    drafts = []
    for chunk in chunk_text(job.text, CHUNK_CHARS, CHUNK_OVERLAP):
        messages = job.template.render(text=chunk.text)
        try:
            completion = yield ModelRequest(messages, draft_schema, context)
            drafts.append(completion.value)
        except ExtractionError as exc:
            # Still invalid after every re-ask: keep the last reply's valid parts (pruned below).
            raw = getattr(exc, "raw", None)
            if raw is None:
                raise
            try:
                drafts.append(draft_schema.model_validate_json(raw))
            except ValueError:
                raise exc from None
    record = from_draft(job.schema, merge_drafts(drafts))
    align_spans(record, job.text, mentions)
    source = context["llmx_source"]
    job.dropped = prune_unsupported(record, lambda node: raise_for_field(node, source), job.keep_invalid)
    return record


def _finish(job: _Job, record: BaseModel, started: float) -> BaseModel:
    """Attach provenance (and validator findings) to a PressRelease-like record."""
    from llmx.validate import SourceIndex, validate

    if "id" in type(record).model_fields and job.doc_id is not None:
        record.id = job.doc_id  # type: ignore[attr-defined]
    if "meta" not in type(record).model_fields:
        return record
    source = SourceIndex(job.text, mentions=job.mentions) if job.mentions is not None else None
    findings = list(validate(job.text, record, source=source).findings)
    extra: dict[str, Any] = {}
    if job.dropped:
        extra["rejected" if job.keep_invalid else "dropped"] = job.dropped
    if job.model_errors:
        extra["model_errors"] = job.model_errors
    if job.model_skipped:
        extra["model_skipped"] = "the labels policy takes every field from the rules"
    if (dialects := getattr(job.backend, "dialects", None)) is not None and (note := dialects.note()) is not None:
        extra["llm_mode"] = note  # the server rejected a structured-output dialect (llmx.llm.dialects)
    if job.explain:
        extra["template"] = job.template.name if job.template else None
        extra["labels"] = asdict(job.labels) if job.mode == "grounded" else None
        extra["calls"] = job.calls
    record.meta = RecordMeta(  # type: ignore[attr-defined]
        backend=job.backend.name,
        mode=job.mode,
        model=job.backend.model,
        prompt_hash=job.template.hash if job.template else None,
        content_hash=hashlib.sha256(job.text.encode("utf-8")).hexdigest(),
        usage=reduce(Usage.add, job.usages) if job.usages else Usage(),
        latency_s=round(time.perf_counter() - started, 4),
        findings=findings,
        extra=extra,
    )
    return record


def _record_call(job: _Job, request: ModelRequest, completion: Completion[Any] | None, error: Exception | None = None) -> None:
    usage = completion.usage if completion is not None else getattr(error, "usage", None)
    if usage is not None:
        job.usages.append(usage)
    if job.explain:
        raw = completion.raw if completion is not None else getattr(error, "raw", None)
        job.calls.append({"messages": request.messages, "raw": raw, "error": str(error) if error else None})


class ExtractionPlan:
    """One document's extraction as a sequence of model requests, answered by whoever holds the model.

        plan = pipeline.plan(text, backend=backend)
        while (request := plan.request) is not None:
            try:
                plan.answer(backend.complete(request.messages, request.response_model, ...))
            except ExtractionError as exc:
                plan.reject(exc)
        record = plan.record()

    `extract` answers with live calls, `aextract` with awaited ones and `llmx.llm.batch_api`
    with Batch API replies, so all three run the same steps and build the same records.
    """

    def __init__(self, job: _Job, started: float | None = None) -> None:
        self.job = job
        self._started = started if started is not None else time.perf_counter()
        self._steps = _steps(job)
        self._result: BaseModel | None = None
        self._failure: BaseException | None = None
        self.request: ModelRequest | None = None  # what to answer next; None once the record is built
        self._advance(lambda: next(self._steps))

    @property
    def backend(self) -> ChatBackend | RulesOnly:
        return self.job.backend

    @property
    def max_reasks(self) -> int:
        return self.job.max_reasks

    @property
    def finished(self) -> bool:
        return self.request is None

    def answer(self, completion: Completion[Any]) -> None:
        """The model's validated reply to `self.request`; moves on to the next request."""
        request = self._current()
        _record_call(self.job, request, completion)
        self._advance(lambda: self._steps.send(completion))

    def reject(self, error: ExtractionError) -> None:
        """No valid reply to `self.request` (after re-asks): the steps recover or re-raise `error`."""
        request = self._current()
        _record_call(self.job, request, None, error)
        self._advance(lambda: self._steps.throw(error))

    def record(self) -> BaseModel:
        """The finished record, with provenance in `meta` (latency counted from `plan()`)."""
        if self._failure is not None:
            raise RuntimeError(f"the extraction failed: {self._failure}") from self._failure
        if self._result is None:
            raise RuntimeError("the extraction still has a model request to answer")
        return self._result

    def _current(self) -> ModelRequest:
        if self.request is None:
            raise RuntimeError("the extraction is finished; there is no request to answer")
        return self.request

    def _advance(self, step: Callable[[], ModelRequest]) -> None:
        try:
            self.request = step()
        except StopIteration as done:
            self.request = None
            self._result = _finish(self.job, done.value, self._started)
        except BaseException as exc:
            self.request, self._failure = None, exc  # the steps gave up: nothing more to answer
            raise


def plan(
    text: str,
    schema: type[BaseModel] = PressRelease,
    backend: str | ChatBackend | RulesOnly | None = None,
    mode: Mode = "grounded",
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    llm_mode: str | None = None,
    template: str | os.PathLike[str] | PromptTemplate | None = None,
    labels: str | LabelPolicy | None = None,
    max_reasks: int = 2,
    keep_invalid: bool = False,
    cache: Any = True,
    doc_id: str | None = None,
    explain: bool = False,
) -> ExtractionPlan:
    """Check the arguments (as `extract` does) and return the extraction as an `ExtractionPlan`.

    Raises before any model call: InputError for unusable text, ConfigError for bad settings.
    The recognizers and rules run here; `plan.request` is the first model request (None when
    the backend is "rules" or the label policy needs no model).
    """
    started = time.perf_counter()
    job = _prepare(
        text, schema, backend, mode, model=model, base_url=base_url, api_key=api_key, llm_mode=llm_mode, template=template, labels=labels,
        max_reasks=max_reasks, keep_invalid=keep_invalid, cache=cache, doc_id=doc_id, explain=explain,
    )
    return ExtractionPlan(job, started)


def extract(
    text: str,
    schema: type[T] = PressRelease,  # type: ignore[assignment]
    backend: str | ChatBackend | None = None,
    mode: Mode = "grounded",
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    llm_mode: str | None = None,
    template: str | os.PathLike[str] | PromptTemplate | None = None,
    labels: str | LabelPolicy | None = None,
    max_reasks: int = 2,
    keep_invalid: bool = False,
    cache: Any = True,
    doc_id: str | None = None,
    explain: bool = False,
) -> T:
    """Extract one record from `text` (see the module docstring for modes and backends).

    `labels` says whose roles a grounded record keeps ("model", "rules", "fallback" or a
    `LabelPolicy`); the default depends on the backend. Raises InputError for unusable text,
    ConfigError for bad settings, BackendError when the model cannot be reached, ExtractionError
    when no valid reply was obtained.
    """
    steps = plan(
        text, schema, backend, mode, model=model, base_url=base_url, api_key=api_key, llm_mode=llm_mode, template=template, labels=labels,
        max_reasks=max_reasks, keep_invalid=keep_invalid, cache=cache, doc_id=doc_id, explain=explain,
    )
    while (request := steps.request) is not None:
        try:
            completion = steps.backend.complete(  # type: ignore[union-attr]
                request.messages, request.response_model,
                validation_context=request.validation_context, max_reasks=steps.max_reasks,
            )
        except ExtractionError as exc:
            steps.reject(exc)
        else:
            steps.answer(completion)
    return steps.record()  # type: ignore[return-value]


async def aextract(
    text: str,
    schema: type[T] = PressRelease,  # type: ignore[assignment]
    backend: str | ChatBackend | None = None,
    mode: Mode = "grounded",
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    llm_mode: str | None = None,
    template: str | os.PathLike[str] | PromptTemplate | None = None,
    labels: str | LabelPolicy | None = None,
    max_reasks: int = 2,
    keep_invalid: bool = False,
    cache: Any = True,
    doc_id: str | None = None,
    explain: bool = False,
) -> T:
    """`extract` for asyncio: the same steps, model calls awaited (`backend.acomplete`)."""
    steps = plan(
        text, schema, backend, mode, model=model, base_url=base_url, api_key=api_key, llm_mode=llm_mode, template=template, labels=labels,
        max_reasks=max_reasks, keep_invalid=keep_invalid, cache=cache, doc_id=doc_id, explain=explain,
    )
    while (request := steps.request) is not None:
        try:
            completion = await steps.backend.acomplete(  # type: ignore[union-attr]
                request.messages, request.response_model,
                validation_context=request.validation_context, max_reasks=steps.max_reasks,
            )
        except ExtractionError as exc:
            steps.reject(exc)
        else:
            steps.answer(completion)
    return steps.record()  # type: ignore[return-value]
