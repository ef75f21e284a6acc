"""`llmx eval`: score extractions against a gold directory, write a report, gate CI."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from llmx.errors import LLMXError

EXIT_REGRESSION = 1
EXIT_USAGE = 2


def eval_command(
    gold_dir: Path = typer.Argument(..., help="Gold directory: docs/<id>.txt + gold.jsonl."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", "-p", help="Score this JSONL of records instead of running extraction."),
    backend: Optional[str] = typer.Option(None, "--backend", help="openai | local | rules (default: llmx's default backend)."),
    mode: str = typer.Option("grounded", "--mode", help="grounded | free."),
    model: Optional[str] = typer.Option(None, "--model", help="Model name for the backend."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint."),
    llm_mode: Optional[str] = typer.Option(None, "--llm-mode", help="Structured-output dialect for --backend openai: json_schema | json | tools | md_json (default: negotiated)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.001, help="Seconds per HTTP request for --backend openai (default 60)."),
    labels: Optional[str] = typer.Option(None, "--labels", help="Grounded mode: who labels kind/status: model | rules | fallback (default: per backend)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Only the first N documents of the gold set (quick runs, CI with slow models)."),
    concurrency: int = typer.Option(4, "--concurrency", "-j", min=1, help="Documents extracted at once."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write metrics.json, per_doc.jsonl, report.html (and the extracted predictions.jsonl) here."),
    fail_under: list[str] = typer.Option([], "--fail-under", help="METRIC=MIN, e.g. amounts.f1=0.9; exit 1 if below. Repeatable."),
    fail_over: list[str] = typer.Option([], "--fail-over", help="METRIC=MAX for lower-is-better metrics, e.g. hallucination_rate=0.05. Repeatable."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="A previous metrics.json; exit 1 if a quality metric regressed."),
    max_drop: float = typer.Option(0.02, "--max-drop", min=0.0, help="Allowed absolute drop (rise, for hallucination_rate) vs --baseline."),
    schema: Optional[str] = typer.Option(None, "--schema", help="Score your own schema, module:Class, against gold for it (field P/R/F1)."),
) -> None:
    """Score extraction records against gold annotations (P/R/F1 per field, hallucination rate, cost)."""
    if schema is not None:
        from llmx.evaluate.schema_cli import schema_eval_command

        schema_eval_command(gold_dir, schema, backend=backend, mode=mode, model=model, base_url=base_url, limit=limit)
        return
    from llmx.evaluate import gate
    from llmx.evaluate.gold import GoldFormatError, load_gold_dir
    from llmx.evaluate.run import ExtractionSettings, extract_documents, load_predictions, write_outputs
    from llmx.evaluate.scoring import score_press_releases

    console = Console(stderr=True, soft_wrap=True)  # messages stay greppable in CI logs
    if mode not in ("grounded", "free"):
        raise typer.BadParameter(f"{mode!r} is not one of 'grounded', 'free'", param_hint="--mode")
    try:
        floors = dict(gate.parse_threshold(spec) for spec in fail_under)
        ceilings = dict(gate.parse_threshold(spec) for spec in fail_over)
        baseline_metrics = gate.load_metrics(baseline) if baseline else None
        docs = load_gold_dir(gold_dir)[:limit]
        if predictions is not None:
            records = load_predictions(predictions)
        else:
            chosen: Any = backend
            if llm_mode is not None or timeout is not None:  # openai-only settings: build the backend here
                from llmx.backends.factory import make_backend

                chosen = make_backend(backend, model=model, base_url=base_url, llm_mode=llm_mode, timeout=timeout)
            settings = ExtractionSettings(backend=chosen, mode=mode, model=model, base_url=base_url, concurrency=concurrency, labels=labels)
            # With --report, records are saved as they finish (a crash loses nothing done).
            records = extract_documents(docs, settings, out=report / "predictions.jsonl" if report else None)
        result = score_press_releases(docs, records)
        metrics = result.metrics()
        if report is not None:
            paths = write_outputs(result, report, metrics=metrics)
            console.print(f"report: {escape(str(paths.get('report', paths['metrics'])))}")
        failures = gate.check_floors(metrics, floors, ceilings)
        if baseline_metrics is not None:
            failures += gate.check_baseline(metrics, baseline_metrics, max_drop)
    except (GoldFormatError, LLMXError) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None

    Console().print(summary_table(metrics))
    _print_warnings(console, metrics)
    if failures:
        console.print(f"[red bold]FAILED[/red bold]: {len(failures)} metric(s) regressed")
        for failure in failures:
            console.print(f"  - {escape(str(failure))}")
        raise typer.Exit(EXIT_REGRESSION)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def summary_table(metrics: dict[str, Any]) -> Table:
    """The end-of-run table: P/R/F1 (micro, plus macro F1) per list field, then accuracies."""
    table = Table(title=f"llmx eval: {metrics['documents']} documents")
    for column in ("metric", "precision", "recall", "F1", "macro F1", "accuracy"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for group in ("amounts", "tickers", "companies"):
        m = metrics[group]
        table.add_row(group, _fmt(m["precision"]), _fmt(m["recall"]), _fmt(m["f1"]), _fmt(metrics["macro"][group]["f1"]), "")
        for key, value in m.items():
            if key.endswith("_accuracy"):
                table.add_row(f"  {group} {key.removesuffix('_accuracy')}", "", "", "", "", _fmt(value))
    for group in ("issuer", "date"):
        for key, value in metrics[group].items():
            label = key.removesuffix("_accuracy") if key != "accuracy" else ""
            table.add_row(f"{group} {label}".strip(), "", "", "", "", _fmt(value))
    table.add_row("hallucination rate", "", "", "", "", _fmt(metrics["hallucination_rate"]))
    if "latency" in metrics:
        lat = metrics["latency"]
        table.add_row("latency p50/p95 s", "", "", "", "", f"{_fmt(lat['p50_s'])} / {_fmt(lat['p95_s'])}")
    if "cost" in metrics:
        cost = metrics["cost"]
        table.add_row("calls / tokens", "", "", "", "", f"{cost['calls']} / {cost['total_tokens']}")
    return table


def _print_warnings(console: Console, metrics: dict[str, Any]) -> None:
    preds = metrics["predictions"]
    if preds["missing"]:
        console.print(f"[yellow]warning:[/yellow] no prediction for {len(preds['missing'])} document(s), scored as empty: {escape(', '.join(preds['missing'][:10]))}")
    if preds["failed"]:
        console.print(f"[yellow]warning:[/yellow] extraction failed for {len(preds['failed'])} document(s), scored as empty: {escape(', '.join(preds['failed'][:10]))}")
    if preds["unknown_ids"]:
        console.print(f"[yellow]warning:[/yellow] {len(preds['unknown_ids'])} prediction(s) have ids not in the gold set (ignored): {escape(', '.join(preds['unknown_ids'][:10]))}")
    if not metrics.get("grounding", {}).get("available", True):
        console.print("[yellow]warning:[/yellow] recognizers unavailable; hallucination rate not computed")
