"""`llmx.extract` / `llmx.aextract`: one document in, one validated record out.

    record = extract(text)                                  # offline default backend, grounded
    record = extract(text, backend="openai", model="gpt-4o-mini")
    deal = extract(text, schema=MyDeal, mode="free")        # any schema using Money/Ticker fields

Modes:
- grounded (default): the recognizers find every amount and ticker; the model only labels them
  (see `llmx.extraction.grounded`), so a record cannot contain a value that is not printed in the text.
- free: the model writes the record itself (instructor style); Money/Ticker fields are checked
  against the text and re-asked with the validator's messages; what still fails is never returned
  as if it were good: an optional field becomes null (a DROPPED_VALUE finding in meta), a
  required one raises ExtractionError, unless `keep_invalid=True` keeps it with its findings.

Every record comes with its provenance (`RecordMeta`): in `record.meta` for schemas with a
`meta` field (PressRelease), and for any schema from `extract_with_meta` / `aextract_with_meta`,
which return `(record, meta)`. When a grounded model answer is unusable and the rules fill in,
`meta.fallback` says so and the "llmx" logger warns once per document; `strict=True` raises
ExtractionError instead.

The extraction steps are written once, as a generator that yields model requests, and exposed as
an `ExtractionPlan` (`plan(text, ...)`): `extract` answers its requests with `backend.complete`,
`aextract` with `await backend.acomplete` and the Batch API (`llmx.batch.batch_api`) with batch
replies, so every path builds records the same way.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass, field
from functools import reduce
from typing import Any, TypeVar

from typing_extensions import Unpack

from pydantic import BaseModel

from llmx.backends.base import Backend, Completion
from llmx.backends.factory import DEFAULT_OFFLINE_BACKEND, make_backend, resolve_backend_name  # noqa: F401 (re-exported)
from llmx.errors import ConfigError, ExtractionError
from llmx.extraction.free import align_spans, draft_model, from_draft, merge_drafts, prune_unsupported, rejection_findings
from llmx.extraction.grounded import LabelPolicy, build_record, ground, label_policy, prompt_variables, reply_model
from llmx.extraction.grounded_schema import SchemaCall
from llmx.extraction.inputs import chunk_text, check_text
from llmx.extraction.prompts import PromptTemplate, load_template
from llmx.hashing import content_hash
from llmx.options import ExtractOptions, ExtractSettings
from llmx.recognize import Mentions, recognize
from llmx.rules.spans import attach_spans
from llmx.rules.record import rules_record
from llmx.schema import Finding, PressRelease, RecordMeta, Usage
from llmx.validation.checks import SourceIndex, raise_for_field, source_context, validate

T = TypeVar("T", bound=BaseModel)

CHUNK_CHARS = 16_000  # ~4k tokens of English: fits every backend's context with room for the reply
CHUNK_OVERLAP = 400

log = logging.getLogger("llmx")


@dataclass
class ModelRequest:
    """One structured call an extraction needs answered: chat messages and the reply's schema."""

    messages: list[dict[str, Any]]
    response_model: type[BaseModel]
    validation_context: dict[str, Any] | None = None


@dataclass
class _Job:
    """One document's extraction: its text, the options, and what the backend's policy resolved them to."""

    text: str
    options: ExtractOptions
    backend: Backend
    template: PromptTemplate | None
    labels: LabelPolicy
    doc_id: str | None
    usages: list[Usage] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)  # rendered messages + raw replies (explain)
    dropped: list[dict[str, Any]] = field(default_factory=list)  # values the validator rejected (free mode)
    model_errors: list[str] = field(default_factory=list)  # grounded chunks answered by the rules instead
    model_skipped: bool = False  # the label policy takes nothing from the model, so it was not asked
    mentions: Mentions | None = None  # what the recognizers found in `text` (set by the first step)
    meta: RecordMeta | None = None  # provenance, set when the record is finished (any schema)

    @property
    def usage(self) -> Usage:
        return reduce(Usage.add, self.usages) if self.usages else Usage()

    @property
    def name(self) -> str:
        return self.doc_id if self.doc_id is not None else "<text>"


def prompt_template(
    backend: Backend,
    mode: str,
    template: str | os.PathLike[str] | PromptTemplate | None = None,
    schema: type[BaseModel] = PressRelease,
) -> PromptTemplate | None:
    """The prompt `backend` is asked with in `mode` (None for a backend that asks no model).

    `template` is a built-in name, a file, an already loaded template, or None for the default of
    the backend and mode. A batch loads it once for every document (`load_template` checks the
    files again on each call so that edits show up).
    """
    default = backend.template_for(mode)
    if default is None:
        return None
    if isinstance(template, PromptTemplate):
        return template
    if mode == "grounded" and not issubclass(schema, PressRelease):
        default = "grounded-schema"  # any schema's id slots (llmx.extraction.grounded_schema)
    return load_template(template or default)


def _build_backend(options: ExtractOptions) -> Backend:
    """The backend `options` names (its name or None: auto), built with the settings it carries."""
    name = options.backend if isinstance(options.backend, str) else None
    return make_backend(
        name, model=options.model, base_url=options.base_url, api_key=options.api_key, cache=options.cache,
        llm_mode=options.llm_mode, timeout=options.timeout,
    )


def bind(options: ExtractOptions) -> tuple[ExtractOptions, Backend | None]:
    """`options` with the backend built and the prompt loaded, to reuse for many documents.

    Returns the bound options and the backend built here (None when `options` held an instance),
    which the caller closes when done. Bad settings fail here, before any document.
    """
    backend, built = options.backend, None
    if backend is None or isinstance(backend, str):
        backend = built = _build_backend(options)
    template = prompt_template(backend, options.mode, options.template, options.schema)
    return options.replace(backend=backend, template=template), built


def _prepare(text: str, options: ExtractOptions, doc_id: str | None) -> _Job:
    """Check the arguments and build what one extraction needs (fails fast, before any model call)."""
    text = check_text(text)
    options.check()
    backend = options.backend
    if backend is None or isinstance(backend, str):
        backend = _build_backend(options)
    if options.mode == "grounded" and not issubclass(options.schema, PressRelease) and not backend.asks_a_model:
        raise ConfigError(
            f"the {backend.name!r} backend only fills llmx's PressRelease; for your schema {options.schema.__name__} "
            "use a model backend ('openai' or 'local')"
        )
    if options.mode == "free" and not backend.asks_a_model:
        raise ConfigError(f"free mode needs a language model; the {backend.name!r} backend only does grounded extraction")
    prompt = prompt_template(backend, options.mode, options.template, options.schema)
    policy = label_policy(options.labels if options.labels is not None else backend.default_labels)
    return _Job(text=text, options=options, backend=backend, template=prompt, labels=policy, doc_id=doc_id)


Steps = Generator[ModelRequest, Completion[Any], BaseModel]


@functools.lru_cache(maxsize=64)
def _draft_schema(schema: type[BaseModel]) -> type[BaseModel]:
    """`draft_model(schema)` built once per schema: building a pydantic class costs milliseconds."""
    return draft_model(schema)


def _steps(job: _Job) -> Steps:
    """The extraction, yielding each model request; the driver sends back the completion."""
    mentions = job.mentions = recognize(job.text)
    if job.options.mode == "grounded" and not issubclass(job.options.schema, PressRelease):
        record = yield from _grounded_schema(job, mentions)
    elif job.options.mode == "grounded":
        record = yield from _grounded(job, mentions)
    else:
        record = yield from _free(job, mentions)
    return record


def _grounded(job: _Job, mentions: Mentions) -> Steps:
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
            parties = job.backend.asks_for_parties
            messages = job.template.render(**prompt_variables(grounding, chunk, amounts, tickers, parties=parties))
            try:
                completion = yield ModelRequest(messages, reply_model(amounts, tickers, parties=parties))
            except ExtractionError as exc:
                # These slots keep the rules' labels; the record is still complete and grounded.
                job.model_errors.append(str(exc))
                continue
            replies.append(completion.value)
    if job.model_errors and job.options.strict:
        raise ExtractionError(
            f"{job.name}: strict: {fallback_reason(job.model_errors)}",
            findings=[_fallback_finding(job.model_errors)],
            usage=job.usage,
        )
    # names the rules' record already aligned in this text keep their spans (aligned once per document)
    return attach_spans(build_record(grounding, replies, job.labels), job.text, like=rules)


def _grounded_schema(job: _Job, mentions: Mentions) -> Steps:
    """A user's schema in grounded mode: one request whose money/ticker fields are id choices."""
    assert job.template is not None
    call = SchemaCall.build(job.text, job.options.schema, mentions, job.template, job.backend.name)
    try:
        completion = yield ModelRequest(call.messages, call.response_model, call.context)
    except ExtractionError as exc:
        record, job.dropped = call.recover(exc)  # invalid values dropped, none guessed; re-raises if none is valid
        return record
    return call.record(completion.value)


def fallback_reason(model_errors: list[str]) -> str:
    """One line saying why the rules filled in: the first unusable answer (later ones counted)."""
    first = model_errors[0].splitlines()[0] if model_errors[0] else "no usable reply"
    first = first if len(first) <= 300 else first[:297] + "..."
    more = f" (and {len(model_errors) - 1} more chunk(s))" if len(model_errors) > 1 else ""
    return f"the model's answer was unusable: {first}{more}"


def _fallback_finding(model_errors: list[str]) -> Finding:
    return Finding(code="RULES_FALLBACK", severity="warning", path="", message=fallback_reason(model_errors))


def _free(job: _Job, mentions: Mentions) -> Steps:
    assert job.template is not None
    context = source_context(job.text, mentions=mentions)
    draft_schema = _draft_schema(job.options.schema)
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
    record = from_draft(job.options.schema, merge_drafts(drafts))
    align_spans(record, job.text, mentions)
    source = context["llmx_source"]
    job.dropped = prune_unsupported(record, lambda node: raise_for_field(node, source), job.options.keep_invalid)
    required = [item for item in job.dropped if item["required"]]
    if required and not job.options.keep_invalid:
        # A required field cannot be nulled, and returning it would pass off an unsupported value as good.
        details = "; ".join(f"{item['path']}: {item['message']}" for item in required)
        raise ExtractionError(
            f"{job.name}: required field(s) still fail validation after {job.options.max_reasks} re-asks: {details} "
            "(keep_invalid=True keeps them with their findings)",
            errors=[{"loc": tuple(item["path"].split(".")), "msg": item["message"], "type": "unsupported_value"} for item in required],
            findings=[
                Finding(code="UNSUPPORTED_REQUIRED_VALUE", severity="error", path=item["path"], message=item["message"])
                for item in required
            ],
            usage=job.usage,
        )
    return record


def _finish(job: _Job, record: BaseModel, started: float) -> BaseModel:
    """Build the provenance (and validator findings) of any record; attach it where the schema has `meta`."""
    if "id" in type(record).model_fields and job.doc_id is not None:
        record.id = job.doc_id  # type: ignore[attr-defined]
    source = SourceIndex(job.text, mentions=job.mentions) if job.mentions is not None else None
    findings = list(validate(job.text, record, source=source).findings)
    findings += rejection_findings(job.dropped, kept=job.options.keep_invalid)
    fallback = None
    if job.model_errors:
        findings.append(_fallback_finding(job.model_errors))
        fallback = f"rules: {fallback_reason(job.model_errors)}"
        log.warning("%s: %s; the rules' labels fill in (meta.fallback; strict=True makes this an error)", job.name, fallback_reason(job.model_errors))
    extra: dict[str, Any] = {}
    if job.dropped:
        extra["rejected" if job.options.keep_invalid else "dropped"] = job.dropped
    if job.model_errors:
        extra["model_errors"] = job.model_errors
    if job.model_skipped:
        extra["model_skipped"] = "the labels policy takes every field from the rules"
    if (dialects := getattr(job.backend, "dialects", None)) is not None and (note := dialects.note()) is not None:
        extra["llm_mode"] = note  # the server rejected a structured-output dialect (llmx.backends.openai.dialects)
    if job.options.explain:
        extra["template"] = job.template.name if job.template else None
        extra["labels"] = asdict(job.labels) if job.options.mode == "grounded" else None
        extra["calls"] = job.calls
    job.meta = RecordMeta(
        backend=job.backend.name,
        mode=job.options.mode,
        model=job.backend.model,
        prompt_hash=job.template.hash if job.template else None,
        content_hash=content_hash(job.text),
        usage=job.usage,
        latency_s=round(time.perf_counter() - started, 4),
        findings=findings,
        fallback=fallback,
        extra=extra,
    )
    if "meta" in type(record).model_fields:
        record.meta = job.meta  # type: ignore[attr-defined]
    return record


def _record_call(job: _Job, request: ModelRequest, completion: Completion[Any] | None, error: Exception | None = None) -> None:
    usage = completion.usage if completion is not None else getattr(error, "usage", None)
    if usage is not None:
        job.usages.append(usage)
    if job.options.explain:
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

    `extract` answers with live calls, `aextract` with awaited ones and `llmx.batch.batch_api`
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
    def backend(self) -> Backend:
        return self.job.backend

    @property
    def max_reasks(self) -> int:
        return self.job.options.max_reasks

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

    @property
    def meta(self) -> RecordMeta:
        """The finished record's provenance, for any schema (the same object as `record().meta` when it has one)."""
        self.record()
        assert self.job.meta is not None
        return self.job.meta

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
    schema: type[BaseModel] | None = None,
    *,
    options: ExtractOptions | None = None,
    doc_id: str | None = None,
    **settings: Unpack[ExtractSettings],
) -> ExtractionPlan:
    """Check the arguments (as `extract` does) and return the extraction as an `ExtractionPlan`.

    Raises before any model call: InputError for unusable text, ConfigError for bad settings.
    The recognizers and rules run here; `plan.request` is the first model request (None when
    the backend asks no model or the label policy needs none).
    """
    started = time.perf_counter()
    job = _prepare(text, _options(options, schema, settings), doc_id)
    return ExtractionPlan(job, started)


def _options(options: ExtractOptions | None, schema: type[BaseModel] | None, settings: dict[str, Any]) -> ExtractOptions:
    if schema is not None:
        settings = {**settings, "schema": schema}
    return ExtractOptions.build(options, **settings)


def extract(
    text: str,
    schema: type[T] | None = None,
    *,
    options: ExtractOptions | None = None,
    doc_id: str | None = None,
    **settings: Unpack[ExtractSettings],
) -> T:
    """Extract one record from `text` (see the module docstring for modes and backends).

    Settings are `ExtractOptions` fields, given as `options=` or as keywords (which replace the
    fields of `options`). Raises InputError for unusable text, ConfigError for bad settings,
    BackendError when the model cannot be reached, ExtractionError when no valid reply was obtained.
    """
    return _run(plan(text, schema, options=options, doc_id=doc_id, **settings)).record()  # type: ignore[return-value]


def extract_with_meta(
    text: str,
    schema: type[T] | None = None,
    *,
    options: ExtractOptions | None = None,
    doc_id: str | None = None,
    **settings: Unpack[ExtractSettings],
) -> tuple[T, RecordMeta]:
    """`extract`, returning `(record, meta)`: provenance, usage and findings for any schema."""
    steps = _run(plan(text, schema, options=options, doc_id=doc_id, **settings))
    return steps.record(), steps.meta  # type: ignore[return-value]


def _run(steps: ExtractionPlan) -> ExtractionPlan:
    """Answer every request of `steps` with live calls to its backend."""
    while (request := steps.request) is not None:
        try:
            completion = steps.backend.complete(
                request.messages, request.response_model,
                validation_context=request.validation_context, max_reasks=steps.max_reasks,
            )
        except ExtractionError as exc:
            steps.reject(exc)
        else:
            steps.answer(completion)
    return steps


async def aextract(
    text: str,
    schema: type[T] | None = None,
    *,
    options: ExtractOptions | None = None,
    doc_id: str | None = None,
    **settings: Unpack[ExtractSettings],
) -> T:
    """`extract` for asyncio: the same steps, model calls awaited (`backend.acomplete`)."""
    steps = await _arun(plan(text, schema, options=options, doc_id=doc_id, **settings))
    return steps.record()  # type: ignore[return-value]


async def aextract_with_meta(
    text: str,
    schema: type[T] | None = None,
    *,
    options: ExtractOptions | None = None,
    doc_id: str | None = None,
    **settings: Unpack[ExtractSettings],
) -> tuple[T, RecordMeta]:
    """`extract_with_meta` for asyncio."""
    steps = await _arun(plan(text, schema, options=options, doc_id=doc_id, **settings))
    return steps.record(), steps.meta  # type: ignore[return-value]


async def _arun(steps: ExtractionPlan) -> ExtractionPlan:
    while (request := steps.request) is not None:
        try:
            completion = await steps.backend.acomplete(
                request.messages, request.response_model,
                validation_context=request.validation_context, max_reasks=steps.max_reasks,
            )
        except ExtractionError as exc:
            steps.reject(exc)
        else:
            steps.answer(completion)
    return steps
