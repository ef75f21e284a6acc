"""Score extraction on a gold set rendered to HTML and PDF against the same set as text.

Each gold document is rendered (llmx.readers.render), read back by `read_document`, extracted
with the given backend and scored by `score_press_releases` against gold located in the text
the reader produced; spans are checked to index that text. Used by scripts/render_eval.py and
tests/readers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmx.evaluate.gold import GoldDoc, gold_docs_dir, load_gold_dir
from llmx.evaluate.scoring import ExtractionFailure, Prediction, score_press_releases
from llmx.readers import attach_source, read_document
from llmx.readers.render import render_folder


@dataclass
class FormatScore:
    """One rendering of the set (format + PDF engine), scored."""

    format: str
    engine: str | None
    metrics: dict[str, Any]
    spans_checked: int = 0
    spans_bad: list[str] = field(default_factory=list)  # "doc-id:amounts[3]" whose span != text
    failures: dict[str, str] = field(default_factory=dict)
    read_s: float = 0.0

    def row(self) -> dict[str, Any]:
        m = self.metrics
        return {
            "format": self.format + (f"/{self.engine}" if self.engine else ""),
            "docs": m["documents"],
            "amounts_p": m["amounts"]["precision"], "amounts_r": m["amounts"]["recall"],
            "tickers_p": m["tickers"]["precision"], "tickers_r": m["tickers"]["recall"],
            "kind_acc": m["amounts"].get("kind_accuracy"),
            "issuer": m["issuer"]["name_accuracy"], "companies_f1": m["companies"]["f1"], "date": m["date"]["accuracy"],
            "spans_ok": f"{self.spans_checked - len(self.spans_bad)}/{self.spans_checked}",
            "failed": len(self.failures), "read_s": round(self.read_s, 2),
        }


def score_rendered(
    gold_dir: Path,
    work_dir: Path,
    *,
    formats: tuple[str, ...] = ("txt", "html", "pdf"),
    pdf_engines: tuple[str, ...] = ("pdfium",),
    extract_options: dict[str, Any] | None = None,
) -> list[FormatScore]:
    """Render the gold set into `work_dir` once, then read, extract and score every format."""
    from llmx.extraction.api import extract

    options = {"backend": "rules", **(extract_options or {})}
    gold = load_gold_dir(gold_dir)
    rendered = render_folder({doc.id: doc.text for doc in gold}, work_dir, pdf="pdf" in formats)
    plans = [(fmt, None) for fmt in formats if fmt != "pdf"] + [("pdf", engine) for engine in pdf_engines if "pdf" in formats]
    scores = []
    for fmt, engine in plans:
        predictions: dict[str, Prediction] = {}
        scored_gold: list[GoldDoc] = []
        result = FormatScore(fmt, engine, {})
        for doc in gold:
            path = gold_docs_dir(gold_dir) / f"{doc.id}.txt" if fmt == "txt" else rendered[doc.id][fmt]
            try:
                started = time.perf_counter()
                document = read_document(path, pdf_engine=engine or "pdfium")
                result.read_s += time.perf_counter() - started
                record = attach_source(extract(document.text, doc_id=doc.id, **options), document)
            except Exception as exc:  # scored as a failed document, reported in the table
                result.failures[doc.id] = f"{type(exc).__name__}: {exc}"
                predictions[doc.id] = ExtractionFailure(str(exc))
                scored_gold.append(doc)
                continue
            scored_gold.append(GoldDoc(id=doc.id, text=document.text, gold=doc.gold))
            predictions[doc.id] = record
            for name in ("amounts", "tickers"):
                for index, item in enumerate(getattr(record, name)):
                    if item.span is not None:
                        result.spans_checked += 1
                        if document.text[item.span[0]:item.span[1]] != item.text:
                            result.spans_bad.append(f"{doc.id}:{name}[{index}]")
        result.metrics = score_press_releases(scored_gold, predictions).metrics()
        scores.append(result)
    return scores


def format_table(scores: list[FormatScore]) -> str:
    """A fixed-width table of `FormatScore.row()`s, one line per format."""
    rows = [score.row() for score in scores]
    if not rows:
        return ""
    columns = list(rows[0])
    cells = [[_cell(row[col]) for col in columns] for row in rows]
    widths = [max(len(col), *(len(line[i]) for line in cells)) for i, col in enumerate(columns)]
    lines = ["  ".join(col.ljust(w) for col, w in zip(columns, widths))]
    lines += ["  ".join(value.ljust(w) for value, w in zip(line, widths)) for line in cells]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "-" if value is None else str(value)
