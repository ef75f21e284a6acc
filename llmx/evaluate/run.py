"""Orchestration of an evaluation: get predictions (from a file or by extracting), score, write.

The CLI (`llmx eval`) is a thin layer over these functions; they are usable from Python too:

    docs = load_gold_dir("evals/press_releases")
    result = score_press_releases(docs, load_predictions("pred.jsonl"))
    write_outputs(result, "reports/run1")
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from llmx.errors import InputError, Interrupted
from llmx.evaluate.gold import GoldDoc
from llmx.evaluate.scoring import EvalResult, ExtractionFailure, Prediction
from llmx.options import ExtractOptions
from llmx.schema import PressRelease


def load_predictions(path: str | Path) -> dict[str, Prediction]:
    """Predicted records of a JSON Lines file, keyed by their "id" (the document stem).

    A line `{"id": ..., "error": "..."}` records a failed extraction. Bad JSON, a missing id,
    a record that is not a valid `PressRelease` or a repeated id raise InputError naming the line.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{file}: no such predictions file")
    with file.open(encoding="utf-8") as handle:
        return _parse_lines(handle, str(file))


def _parse_lines(lines: Iterable[str], source: str) -> dict[str, Prediction]:
    predictions: dict[str, Prediction] = {}
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{line_no}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict) or not obj.get("id"):
            raise InputError(f'{where}: each line must be a JSON object with an "id" (the document file stem)')
        doc_id = str(obj["id"])
        if doc_id in predictions:
            raise InputError(f"{where}: id {doc_id!r} appears more than once; keep one record per document")
        predictions[doc_id] = _parse_prediction(obj, where)
    return predictions


def _parse_prediction(obj: dict[str, Any], where: str) -> Prediction:
    if obj.get("error") and not any(obj.get(key) for key in ("amounts", "tickers", "companies")):
        return ExtractionFailure(error=str(obj["error"]))
    try:
        return PressRelease.model_validate(obj).model_dump(mode="json")
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise InputError(f"{where}: not a valid PressRelease record ({problems})") from exc


def _write_atomic(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(content, encoding="utf-8")
    os.replace(tmp, path)
    return path


# --------------------------------------------------------------------------------------------
# Extraction (the only place that calls the pipeline)

Extractor = Callable[[str, str], Awaitable[BaseModel]]  # (text, doc_id) -> record, as llmx.batch.run


def _default_extractor(options: ExtractOptions) -> Extractor | None:
    """None lets `extract_many` build one shared backend for all documents (tests swap this)."""
    return None


def extract_documents(
    docs: Sequence[GoldDoc],
    options: ExtractOptions | None = None,
    *,
    concurrency: int = 4,
    out: str | Path | None = None,
    extractor: Extractor | None = None,
    progress: bool = True,
) -> dict[str, Prediction]:
    """Run extraction on every gold document with `llmx.batch.run.extract_many`.

    `options` (an `ExtractOptions`; None: the defaults) is handed on unchanged, so the eval
    extracts exactly as `llmx.extract` would, and the provenance block reads the same object.

    `out` (a JSONL path) makes the run durable: each record is appended and fsynced as it
    finishes, failures go to `<out>.errors.jsonl`. The file is started afresh, because records
    of an earlier run may come from another model. A failing document becomes an
    `ExtractionFailure` (scored as an empty prediction) instead of aborting the run.

    A run stopped by Ctrl-C or SIGTERM raises `Interrupted`: scoring the unfinished documents
    as empty would print figures that look measured and are not.
    """
    from llmx.batch.run import extract_many

    options = options if options is not None else ExtractOptions()

    sink: str | Path | io.StringIO = io.StringIO() if out is None else Path(out)
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    report = extract_many(
        [(doc.id, doc.text) for doc in docs],
        sink,
        resume=False,
        concurrency=concurrency,
        progress=progress,
        extractor=extractor or _default_extractor(options),
        options=options,
    )
    if report.interrupted:
        saved = None if isinstance(sink, io.StringIO) else str(sink)
        raise Interrupted(
            f"interrupted after {report.done} of {report.total} documents; nothing was scored"
            + (f" (finished records are in {saved}: score them with --predictions, or rerun)" if saved else ""),
            done=report.done, total=report.total, saved_to=saved,
        )
    if isinstance(sink, io.StringIO):
        predictions = _parse_lines(sink.getvalue().splitlines(), "<extraction>")
    else:
        predictions = load_predictions(sink) if sink.exists() else {}
    for entry in report.errors:
        kind = entry.get("error_type")
        message = f"{kind}: {entry.get('error')}" if kind else str(entry.get("error"))
        predictions[str(entry.get("id"))] = ExtractionFailure(error=message)
    return predictions


# --------------------------------------------------------------------------------------------
# Outputs


def write_outputs(
    result: EvalResult,
    report_dir: str | Path,
    *,
    metrics: dict[str, Any] | None = None,
    html: bool = True,
    max_html_docs: int = 200,
) -> dict[str, Path]:
    """Write metrics.json, per_doc.jsonl and (by default) report.html into `report_dir`."""
    out = Path(report_dir)
    metrics = metrics if metrics is not None else result.metrics()
    paths = {
        "metrics": _write_atomic(out / "metrics.json", json.dumps(metrics, indent=2, ensure_ascii=False) + "\n"),
        "per_doc": _write_atomic(
            out / "per_doc.jsonl", "".join(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n" for doc in result.documents)
        ),
    }
    if html:
        from llmx.evaluate.report import render_report

        paths["report"] = _write_atomic(out / "report.html", render_report(result, metrics=metrics, max_docs=max_html_docs))
    return paths
