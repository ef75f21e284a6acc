"""Press-release scoring: the field config for `PressRelease`, grounding, cost and latency.

The per-field rules are the generic engine of `llmx.evaluate.fields` configured by
`PRESS_RELEASE_FIELDS`; this module adds what is specific to extraction runs: documents without
a prediction, failed extractions, the hallucination rate and the `meta` cost/latency blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from pydantic import BaseModel

from llmx.evaluate.fields import DocScores, Exact, FieldConfig, Fuzzy, ListOf, Normalised, Numeric, score_record, summarise_fields
from llmx.evaluate.gold import GoldDoc
from llmx.evaluate.grounding import Grounding, GroundingChecker
from llmx.evaluate.match import normalise_company
from llmx.evaluate.metrics import cost_summary, latency_summary
from llmx.schema import AMOUNT_TOLERANCE

AMOUNT_REL_TOL = AMOUNT_TOLERANCE
ISSUER_NAME_THRESHOLD = 90.0
COMPANY_THRESHOLD = 85.0

PRESS_RELEASE_FIELDS: FieldConfig = {
    "amounts": ListOf(
        key={"value": Numeric(rel_tol=AMOUNT_REL_TOL), "currency": Exact(case_sensitive=False)},
        attributes={"kind": Exact(), "status": Exact()},
    ),
    "tickers": ListOf(key={"symbol": Exact(case_sensitive=False)}, attributes={"exchange": Normalised()}, dedupe=True),
    "issuer.name": Fuzzy(ISSUER_NAME_THRESHOLD, normalise=normalise_company),
    "issuer.ticker": Exact(case_sensitive=False),
    "issuer.exchange": Normalised(),
    "companies": ListOf(key={"name": Fuzzy(COMPANY_THRESHOLD, normalise=normalise_company)}),
    "date": Exact(),
}


@dataclass(frozen=True)
class ExtractionFailure:
    """A document whose extraction failed; it is scored as an empty prediction."""

    error: str


Prediction = BaseModel | Mapping[str, Any] | ExtractionFailure | None


@dataclass
class DocResult:
    """Everything scored for one gold document."""

    id: str
    text: str
    gold: Mapping[str, Any]
    predicted: Mapping[str, Any]
    scores: DocScores
    status: str  # "ok" | "missing" (no prediction) | "failed" (extraction error)
    error: str | None = None
    grounding: Grounding | None = None
    usage: Mapping[str, Any] | None = None
    latency_s: float | None = None

    def field_summary(self) -> dict[str, dict[str, Any]]:
        """This document's own metrics, in the shape of metrics.json."""
        return summarise_fields(PRESS_RELEASE_FIELDS, [self.scores.fields])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "error": self.error,
            "metrics": self.field_summary(),
            "fields": self.scores.to_dict(),
            "grounding": self.grounding.to_dict() if self.grounding else None,
            "usage": dict(self.usage) if self.usage is not None else None,
            "latency_s": self.latency_s,
            "gold": dict(self.gold),
            "predicted": dict(self.predicted),
        }


@dataclass
class EvalResult:
    """The outcome of scoring one prediction set against one gold set."""

    documents: list[DocResult]
    unknown_ids: list[str] = field(default_factory=list)
    grounding_available: bool = True

    def metrics(self) -> dict[str, Any]:
        """metrics.json: micro averages at the top level, macro under "macro", then extras."""
        fields = [doc.scores.fields for doc in self.documents]
        out: dict[str, Any] = dict(summarise_fields(PRESS_RELEASE_FIELDS, fields, average="micro"))
        out.update(self._grounding_metrics())
        out["documents"] = len(self.documents)
        out["macro"] = summarise_fields(PRESS_RELEASE_FIELDS, fields, average="macro")
        out["predictions"] = {
            "scored": sum(doc.status == "ok" for doc in self.documents),
            "missing": [doc.id for doc in self.documents if doc.status == "missing"],
            "failed": [doc.id for doc in self.documents if doc.status == "failed"],
            "unknown_ids": list(self.unknown_ids),
        }
        usages = [doc.usage for doc in self.documents if doc.usage is not None]
        if usages:
            out["cost"] = cost_summary(usages)
        latencies = [doc.latency_s for doc in self.documents if doc.latency_s is not None]
        if latencies:
            out["latency"] = latency_summary(latencies)
        return out

    def _grounding_metrics(self) -> dict[str, Any]:
        if not self.grounding_available:
            return {"hallucination_rate": None, "grounding": {"available": False}}
        checked = [doc.grounding for doc in self.documents if doc.grounding is not None]
        amounts = sum(len(g.amounts) for g in checked)
        tickers = sum(len(g.tickers) for g in checked)
        bad_amounts = sum(len(g.ungrounded_amounts) for g in checked)
        bad_tickers = sum(len(g.ungrounded_tickers) for g in checked)
        total = amounts + tickers
        return {
            "hallucination_rate": (bad_amounts + bad_tickers) / total if total else 0.0,
            "grounding": {
                "available": True,
                "amounts": {"predicted": amounts, "ungrounded": bad_amounts, "rate": bad_amounts / amounts if amounts else 0.0},
                "tickers": {"predicted": tickers, "ungrounded": bad_tickers, "rate": bad_tickers / tickers if tickers else 0.0},
            },
        }


def _as_plain(record: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(record, BaseModel):
        return record.model_dump(mode="json")
    return dict(record)


def score_document(doc: GoldDoc, prediction: Prediction, checker: GroundingChecker) -> DocResult:
    """Score one document's prediction (None = missing) against its gold annotation."""
    gold = doc.to_dict()
    if prediction is None or isinstance(prediction, ExtractionFailure):
        status = "missing" if prediction is None else "failed"
        error = prediction.error if isinstance(prediction, ExtractionFailure) else None
        return DocResult(id=doc.id, text=doc.text, gold=gold, predicted={}, scores=score_record(gold, {}, PRESS_RELEASE_FIELDS), status=status, error=error)
    predicted = _as_plain(prediction)
    meta = predicted.pop("meta", None) or {}
    return DocResult(
        id=doc.id,
        text=doc.text,
        gold=gold,
        predicted=predicted,
        scores=score_record(gold, predicted, PRESS_RELEASE_FIELDS),
        status="ok",
        grounding=checker.check(doc.text, predicted),
        usage=meta.get("usage") if meta else None,
        latency_s=meta.get("latency_s") if meta else None,
    )


def score_press_releases(
    docs: Sequence[GoldDoc],
    predictions: Mapping[str, Prediction],
    checker: GroundingChecker | None = None,
) -> EvalResult:
    """Score predictions (keyed by document id) against every gold document.

    Gold documents without a prediction count as empty predictions (everything missed);
    predictions for ids not in the gold set are listed in `unknown_ids` and otherwise ignored.
    """
    checker = checker or GroundingChecker()
    gold_ids = {doc.id for doc in docs}
    results = [score_document(doc, predictions.get(doc.id), checker) for doc in docs]
    unknown = sorted(set(predictions) - gold_ids)
    return EvalResult(documents=results, unknown_ids=unknown, grounding_available=checker.available)
