"""A self-contained HTML report: per-field bar charts and every error shown in its source text.

The page loads nothing (inline CSS, a Content-Security-Policy that forbids scripts and remote
assets) and all document text goes through Jinja2's autoescaping, because press releases are
untrusted input that may contain HTML or prompt-injection text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Mapping, Sequence

from jinja2 import Environment, StrictUndefined

from llmx.evaluate.fields import ListResult, ScalarResult
from llmx.evaluate.scoring import DocResult, EvalResult

# Severity order: when highlights overlap, the character takes the worst one's colour.
OUTCOMES = ("matched", "mislabelled", "missed", "spurious")
_RANK = {name: rank for rank, name in enumerate(OUTCOMES)}
_LIST_FIELDS = ("amounts", "tickers", "companies")


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    outcome: str  # one of OUTCOMES
    field: str
    tip: str


@dataclass(frozen=True)
class Segment:
    text: str
    outcome: str | None = None
    fields: str = ""
    tip: str = ""


# --------------------------------------------------------------------------------------------
# Locating values in the text


def _valid_span(text: str, span: Any, expected: str | None) -> tuple[int, int] | None:
    if not isinstance(span, (list, tuple)) or len(span) != 2:
        return None
    start, end = span
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return None
    if expected and text[start:end] != expected:
        return None  # a span that does not cover its own text is not trusted
    return start, end


def _find(text: str, needle: str | None, *, word: bool = False, case: bool = True) -> tuple[int, int] | None:
    if not needle:
        return None
    if not word and case:
        start = text.find(needle)
        return None if start < 0 else (start, start + len(needle))
    pattern = re.escape(needle)
    if word:
        pattern = rf"(?<![\w]){pattern}(?![\w])"
    match = re.search(pattern, text, flags=0 if case else re.IGNORECASE)
    return match.span() if match else None


def locate_item(text: str, field: str, item: Mapping[str, Any]) -> tuple[int, int] | None:
    """Where an amount, ticker or company appears: its own span if valid, else a search."""
    if field == "amounts":
        return _valid_span(text, item.get("span"), item.get("text")) or _find(text, item.get("text"))
    if field == "tickers":
        return _valid_span(text, item.get("span"), item.get("text")) or _find(text, item.get("symbol"), word=True)
    return _find(text, item.get("name"), case=False)


# --------------------------------------------------------------------------------------------
# Describing items


def describe(field: str, item: Mapping[str, Any]) -> str:
    """A one-line description of an item for tooltips and error lists."""
    if field == "amounts":
        value = item.get("value")
        shown = f"{value:,.4f}".rstrip("0").rstrip(".") if isinstance(value, (int, float)) else str(value)
        return f"{item.get('currency')} {shown} · kind={item.get('kind')} · status={item.get('status')}"
    if field == "tickers":
        return f"{item.get('symbol')} · exchange={item.get('exchange')}"
    return str(item.get("name"))


def _wrong_labels(result: ListResult, pair: tuple[int, int]) -> list[str]:
    return [name for name, pairs in result.wrong_attributes.items() if pair in pairs]


def doc_highlights(doc: DocResult) -> tuple[list[Highlight], list[dict[str, str]]]:
    """Highlights for every aligned/missed/spurious item, and the items that have no span."""
    highlights: list[Highlight] = []
    unplaced: list[dict[str, str]] = []
    for field in _LIST_FIELDS:
        result = doc.scores.fields.get(field)
        if not isinstance(result, ListResult):
            continue
        gold_items, pred_items = doc.gold.get(field) or [], doc.predicted.get(field) or []

        def add(item: Mapping[str, Any], outcome: str, tip: str) -> None:
            span = locate_item(doc.text, field, item)
            if span is None:
                unplaced.append({"field": field, "outcome": outcome, "tip": tip})
            else:
                highlights.append(Highlight(span[0], span[1], outcome, field, tip))

        for gi, pj in result.pairs:
            gold, pred = gold_items[gi], pred_items[pj]
            wrong = _wrong_labels(result, (gi, pj))
            outcome = "mislabelled" if wrong else "matched"
            tip = f"{field} {outcome}: gold {describe(field, gold)} | predicted {describe(field, pred)}"
            if wrong:
                tip += f" | wrong: {', '.join(wrong)}"
            spans = {locate_item(doc.text, field, gold), locate_item(doc.text, field, pred)} - {None}
            if not spans:
                unplaced.append({"field": field, "outcome": outcome, "tip": tip})
            for start, end in sorted(spans):  # type: ignore[misc]
                highlights.append(Highlight(start, end, outcome, field, tip))
        for gi in result.missed:
            add(gold_items[gi], "missed", f"{field} missed (gold only): {describe(field, gold_items[gi])}")
        for pj in result.spurious:
            add(pred_items[pj], "spurious", f"{field} spurious (prediction only): {describe(field, pred_items[pj])}")
    if doc.printed is not None:
        for index in doc.printed.unprinted_amounts:
            unplaced.append({"field": "amounts", "outcome": "hallucinated", "tip": f"amounts hallucinated (not in the text): {describe('amounts', doc.predicted['amounts'][index])}"})
        for index in doc.printed.unprinted_tickers:
            unplaced.append({"field": "tickers", "outcome": "hallucinated", "tip": f"tickers hallucinated (not in the text): {describe('tickers', doc.predicted['tickers'][index])}"})
    if doc.grounding is not None:
        for index in doc.grounding.ungrounded_amounts:
            unplaced.append({"field": "amounts", "outcome": "unrecognized", "tip": f"amounts unrecognized (llmx's recognizers do not find it): {describe('amounts', doc.predicted['amounts'][index])}"})
        for index in doc.grounding.ungrounded_tickers:
            unplaced.append({"field": "tickers", "outcome": "unrecognized", "tip": f"tickers unrecognized (llmx's recognizers do not find it): {describe('tickers', doc.predicted['tickers'][index])}"})
    return highlights, unplaced


def segment(text: str, highlights: Sequence[Highlight]) -> list[Segment]:
    """Cut `text` at every highlight boundary; each piece carries its worst covering outcome."""
    if not highlights:
        return [Segment(text)]
    cuts = sorted({0, len(text), *(h.start for h in highlights), *(h.end for h in highlights)})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [h for h in highlights if h.start < end and h.end > start]
        if not covering:
            pieces.append(Segment(text[start:end]))
            continue
        worst = max(covering, key=lambda h: _RANK[h.outcome])
        tips = list(dict.fromkeys(h.tip for h in covering))
        fields = " ".join(sorted({f"f-{h.field}" for h in covering}))
        pieces.append(Segment(text[start:end], worst.outcome, fields, "\n".join(tips)))
    return pieces


# --------------------------------------------------------------------------------------------
# Page


def _doc_errors(doc: DocResult) -> int:
    errors = 0
    for result in doc.scores.fields.values():
        if isinstance(result, ListResult):
            errors += result.counts.fp + result.counts.fn + sum(len(p) for p in result.wrong_attributes.values())
        elif isinstance(result, ScalarResult):
            errors += not result.correct
    return errors


def _doc_view(doc: DocResult) -> dict[str, Any]:
    highlights, unplaced = doc_highlights(doc)
    scalars = [
        {"field": path, "gold": r.gold, "predicted": r.predicted, "correct": r.correct}
        for path, r in doc.scores.fields.items()
        if isinstance(r, ScalarResult)
    ]
    summary = doc.field_summary()
    return {
        "id": doc.id,
        "status": doc.status,
        "error": doc.error,
        "errors": _doc_errors(doc),
        "f1": {field: summary[field]["f1"] for field in _LIST_FIELDS},
        "scalars": scalars,
        "segments": segment(doc.text, highlights),
        "unplaced": unplaced,
    }


def _bars(metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for group in ("amounts", "tickers", "companies", "issuer", "date"):
        for key, value in metrics.get(group, {}).items():
            if key in ("precision", "recall", "f1") or key.endswith("accuracy"):
                rows.append({"group": group, "metric": key, "value": value, "macro": metrics.get("macro", {}).get(group, {}).get(key)})
    return rows


def render_report(result: EvalResult, *, metrics: Mapping[str, Any] | None = None, max_docs: int = 200, title: str = "llmx evaluation") -> str:
    """The report page as one HTML string; documents with the most errors come first.

    At most `max_docs` documents are shown with their text; the rest are listed in the table.
    """
    metrics = metrics if metrics is not None else result.metrics()
    ordered = sorted(result.documents, key=lambda d: (-_doc_errors(d), d.id))
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v: "–" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
    template = env.from_string(files("llmx.evaluate").joinpath("report.html.j2").read_text(encoding="utf-8"))
    return template.render(
        title=title,
        metrics=metrics,
        bars=_bars(metrics),
        table=[
            {"id": d.id, "status": d.status, "errors": _doc_errors(d), "f1": d.field_summary(), "shown": rank < max_docs}
            for rank, d in enumerate(ordered)
        ],
        docs=[_doc_view(d) for d in ordered[:max_docs]],
        hidden=max(0, len(ordered) - max_docs),
        outcomes=OUTCOMES,
    )
