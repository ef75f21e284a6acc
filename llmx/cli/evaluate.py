"""`llmx eval`: score extractions against a gold directory, write a report, gate CI."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from llmx.errors import Interrupted, LLMXError

EXIT_REGRESSION = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # as a shell reports a Ctrl-C


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
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the response cache: every document calls the model."),
    keep_invalid: bool = typer.Option(False, "--keep-invalid", help="Free mode: score values validation rejected too (the model's own hallucination rate)."),
    concurrency: int = typer.Option(4, "--concurrency", "-j", min=1, help="Documents extracted at once."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write metrics.json, per_doc.jsonl, report.html (and the extracted predictions.jsonl) here."),
    fail_under: list[str] = typer.Option([], "--fail-under", help="METRIC=MIN, e.g. amounts.f1=0.9; exit 1 if below. Repeatable."),
    fail_over: list[str] = typer.Option([], "--fail-over", help="METRIC=MAX for lower-is-better metrics, e.g. hallucination_rate=0.05. Repeatable."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="A previous metrics.json; exit 1 if a quality metric regressed."),
    max_drop: float = typer.Option(0.02, "--max-drop", min=0.0, help="Allowed absolute drop (rise, for hallucination_rate) vs --baseline."),
    allow_mismatch: bool = typer.Option(False, "--allow-mismatch", help="Compare with a --baseline made on other documents or another configuration."),
    strict: bool = typer.Option(False, "--strict", help="A document whose model answer is unusable fails (scored as empty) instead of the rules filling in."),
    schema: Optional[str] = typer.Option(None, "--schema", help="Score your own schema, module:Class, against gold for it (field P/R/F1)."),
) -> None:
    """Score extraction records against gold annotations (P/R/F1 per field, hallucination rate, cost)."""
    if schema is not None:
        from llmx.evaluate.schema_cli import schema_eval_command

        schema_eval_command(gold_dir, schema, backend=backend, mode=mode, model=model, base_url=base_url, limit=limit)
        return
    from llmx.evaluate import gate
    from llmx.evaluate.provenance import mismatches, provenance
    from llmx.evaluate.gold import GoldFormatError, load_gold_dir
    from llmx.evaluate.run import extract_documents, load_predictions, write_outputs
    from llmx.evaluate.scoring import score_press_releases
    from llmx.options import ExtractOptions

    console = Console(stderr=True, soft_wrap=True)  # messages stay greppable in CI logs
    from llmx.cli.notices import ignored_flags, model_flags_ignored, print_resolved_backend, print_warning, warnings_to_stderr

    extraction_flags = {"--model": model, "--base-url": base_url, "--llm-mode": llm_mode, "--timeout": timeout,
                        "--labels": labels, "--strict": strict, "--keep-invalid": keep_invalid}
    if predictions is None:  # scoring a file runs no backend
        print_resolved_backend(backend, base_url, console)
        print_warning(model_flags_ignored(backend, base_url, extraction_flags), console)
        warnings_to_stderr()
    else:
        given = {"--backend": backend, **extraction_flags, "--no-cache": no_cache}
        print_warning(ignored_flags(given, "with --predictions: the file is scored as it is, nothing is extracted"), console)
    if mode not in ("grounded", "free"):
        raise typer.BadParameter(f"{mode!r} is not one of 'grounded', 'free'", param_hint="--mode")
    try:
        floors = dict(gate.parse_threshold(spec) for spec in fail_under)
        ceilings = dict(gate.parse_threshold(spec) for spec in fail_over)
        gate.check_names([*floors, *ceilings])  # a typo fails now, not after an hour of extraction
        baseline_metrics = gate.load_metrics(baseline) if baseline else None
        options = ExtractOptions(backend=backend, mode=mode, model=model, base_url=base_url, labels=labels, cache=not no_cache, keep_invalid=keep_invalid, strict=strict, llm_mode=llm_mode, timeout=timeout)  # type: ignore[arg-type]
        docs = load_gold_dir(gold_dir)[:limit]
        pairs = [(doc.id, doc.text) for doc in docs]
        if baseline_metrics is not None and not allow_mismatch:
            planned = provenance(docs=pairs, metas=[], gold=str(gold_dir), version=_llmx_version())
            _refuse_mismatch(console, baseline, mismatches(planned, baseline_metrics.get("provenance"), ("documents", "documents_sha256")))
        if predictions is not None:
            records = load_predictions(predictions)
        else:
            # With --report, records are saved as they finish (a crash loses nothing done).
            records = extract_documents(docs, options, concurrency=concurrency, out=report / "predictions.jsonl" if report else None)
        result = score_press_releases(docs, records)
        metrics = result.metrics()
        metrics["provenance"] = provenance(
            docs=pairs, metas=[doc.meta for doc in result.documents if doc.meta], gold=str(gold_dir), version=_llmx_version(),
            options=options, predictions=str(predictions) if predictions is not None else None,
        )
        if report is not None:
            paths = write_outputs(result, report, metrics=metrics)
            console.print(f"report: {escape(str(paths.get('report', paths['metrics'])))}")
        if baseline_metrics is not None and not allow_mismatch:
            _refuse_mismatch(console, baseline, mismatches(metrics["provenance"], baseline_metrics.get("provenance")))
        failures = gate.check_floors(metrics, floors, ceilings)
        if baseline_metrics is not None:
            failures += gate.check_baseline(metrics, baseline_metrics, max_drop)
    except Interrupted as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_INTERRUPTED) from None
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
    passed = gate.describe_passes(metrics, floors, ceilings, baseline_metrics, max_drop)
    if passed:
        console.print(f"[green bold]PASSED[/green bold]: {len(passed)} gate(s)")
        for line in passed:
            console.print(f"  - {escape(line)}")


def _llmx_version() -> str:
    """The installed llmx version (the CLI sits below the package's __init__, so it asks importlib)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("llmx")
    except PackageNotFoundError:  # a bare checkout on PYTHONPATH
        return "unknown"


def _refuse_mismatch(console: Console, baseline: Path | None, differences: list[str]) -> None:
    """Exit 2 when the baseline was made on other documents or with another configuration."""
    if differences:
        console.print(f"[red]error:[/red] baseline {escape(str(baseline))} is not comparable (use --allow-mismatch to compare anyway):")
        for line in differences:
            console.print(f"  - {escape(line)}")
        raise typer.Exit(EXIT_USAGE)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def summary_table(metrics: dict[str, Any]) -> Table:
    """The end-of-run table: P/R/F1 (micro, plus macro F1) per list field, then accuracies."""
    table = Table(title=f"llmx eval: {metrics['documents']} documents", caption=provenance_line(metrics.get("provenance")))
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
    if "unrecognized_rate" in metrics:
        table.add_row("unrecognized rate", "", "", "", "", _fmt(metrics["unrecognized_rate"]))
    if "latency" in metrics:
        lat = metrics["latency"]
        table.add_row("latency p50/p95 s", "", "", "", "", f"{_fmt(lat['p50_s'])} / {_fmt(lat['p95_s'])}")
    if "cost" in metrics:
        cost = metrics["cost"]
        table.add_row("calls / tokens", "", "", "", "", f"{cost['calls']} / {cost['total_tokens']}")
    if metrics.get("rules_fallbacks"):
        table.add_row("rules fallbacks", "", "", "", "", str(metrics["rules_fallbacks"]))
    return table


def provenance_line(prov: dict[str, Any] | None) -> str | None:
    """The provenance block on one line, under the table: what these figures were measured on."""
    if not prov:
        return None
    keys = ("backend", "model", "base_url", "mode", "labels", "template_hash", "llmx_version", "gold", "predictions", "documents", "cache_hits")
    return " · ".join(f"{key}={_short(prov.get(key))}" for key in keys if prov.get(key) is not None or key in ("backend", "model", "mode"))


def _short(value: Any) -> str:
    text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    return text[:12] if len(text) == 64 and all(c in "0123456789abcdef" for c in text) else text


def _print_warnings(console: Console, metrics: dict[str, Any]) -> None:
    preds = metrics["predictions"]
    if preds["missing"]:
        console.print(f"[yellow]warning:[/yellow] no prediction for {len(preds['missing'])} document(s), scored as empty: {escape(', '.join(preds['missing'][:10]))}")
    if preds["failed"]:
        console.print(f"[yellow]warning:[/yellow] extraction failed for {len(preds['failed'])} document(s), scored as empty: {escape(', '.join(preds['failed'][:10]))}")
    if preds["unknown_ids"]:
        console.print(f"[yellow]warning:[/yellow] {len(preds['unknown_ids'])} prediction(s) have ids not in the gold set (ignored): {escape(', '.join(preds['unknown_ids'][:10]))}")
    if metrics.get("rules_fallbacks"):
        console.print(
            f"[yellow]warning:[/yellow] {metrics['rules_fallbacks']} document(s): the model's answer was unusable and the rules "
            "filled in (their per-document fallback is in per_doc.jsonl; --strict makes them failures)"
        )
    if not metrics.get("grounding", {}).get("available", True):
        console.print("[yellow]warning:[/yellow] recognizers unavailable; hallucination rate not computed")
