"""`llmx extract`: one file prints its record; many files stream JSON Lines (or go durably to -o)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.syntax import Syntax

from llmx.errors import LLMXError

EXIT_FAILED_DOCS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def extract_command(
    inputs: list[str] = typer.Argument(..., help="Files, directories (their files) or glob patterns like 'docs/*.txt'."),
    backend: Optional[str] = typer.Option(None, "--backend", help="openai | local | rules (default: llmx's default backend)."),
    mode: Optional[str] = typer.Option(None, "--mode", help="grounded (model labels recognized mentions; default) | free."),
    model: Optional[str] = typer.Option(None, "--model", help="Model name for the backend."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint (API key from $OPENAI_API_KEY)."),
    llm_mode: Optional[str] = typer.Option(
        None, "--llm-mode",
        help="Structured-output dialect for --backend openai: json_schema | json | tools | md_json (default: chosen per server, next one once if the server rejects it).",
    ),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.001, help="Seconds per HTTP request for --backend openai (default 60); a slower reply is retried."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Append records to this JSONL (fsynced; rerun to resume). Failures go to OUT.errors.jsonl."),
    concurrency: Optional[int] = typer.Option(None, "--concurrency", "-j", min=1, help="Documents extracted at once (default 8)."),
    workers: Optional[int] = typer.Option(
        None, "--workers", min=1,
        help="Processes running the extraction (default: min(CPUs, concurrency/16) for the openai backend, else 1).",
    ),
    rpm: Optional[float] = typer.Option(None, "--rpm", min=1, help="Stay under this many requests per minute."),
    tpm: Optional[float] = typer.Option(None, "--tpm", min=1, help="Stay under this many tokens per minute."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not read or write the response cache."),
    explain: bool = typer.Option(False, "--explain", help="Show the rendered prompt and the raw model reply on stderr."),
    keep_invalid: bool = typer.Option(False, "--keep-invalid", help="Keep a record that still fails validation after all re-asks (findings in meta)."),
    max_reasks: int = typer.Option(2, "--max-reasks", min=0, help="Re-ask the model this many times with the validator's errors."),
    batch_api: bool = typer.Option(False, "--batch-api", help="Send all documents as one OpenAI Batch API job (cheaper, slower); needs -o."),
    template: Optional[str] = typer.Option(None, "--template", help="Prompt template name or .j2 file."),
    labels: Optional[str] = typer.Option(
        None, "--labels",
        help="Grounded mode: whose kind/status/roles the record keeps: model | rules | fallback (model where the rules are unsure). Default: rules for local, model otherwise.",
    ),
    poll_interval: float = typer.Option(10.0, "--poll-interval", min=0.0, help="Seconds between Batch API status checks (grows 1.5x up to 2 min)."),
) -> None:
    """Extract issuer, tickers and every money amount with its role from press releases.

    Unset options come from the environment, then llmx.toml / [tool.llmx] (see `llmx config`).
    """
    console = Console(stderr=True)
    from llmx.config import load_settings
    from llmx.pipeline import resolve_backend_name

    flags = {"backend": backend, "model": model, "base_url": base_url, "mode": mode, "llm_mode": llm_mode,
             "labels": labels, "concurrency": concurrency, "rpm": rpm, "tpm": tpm, "timeout": timeout}
    try:
        settings = load_settings(flags)
    except LLMXError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    backend, model, base_url, labels, rpm, tpm = (
        settings[name].value for name in ("backend", "model", "base_url", "labels", "rpm", "tpm")
    )
    mode, concurrency = settings["mode"].value or "grounded", settings["concurrency"].value or 8
    llm_mode = settings["llm_mode"].value
    if settings["llm_mode"].origin != "--llm-mode" and resolve_backend_name(backend, base_url) != "openai":
        llm_mode = None  # a configured dialect only concerns the openai backend
    from llmx.batch import errors_path_for, expand_paths

    try:
        exclude = [out, errors_path_for(out)] if out is not None else []
        paths = expand_paths(inputs, exclude=exclude)
    except LLMXError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    options: dict[str, Any] = {
        "backend": backend,
        "mode": mode,
        "model": model,
        "base_url": base_url,
        "cache": False if no_cache else (settings["cache_dir"].value or True),
        "explain": explain,
        "keep_invalid": keep_invalid,
        "max_reasks": max_reasks,
    }
    if template is not None:
        options["template"] = template
    if labels is not None:
        options["labels"] = labels
    if llm_mode is not None:
        options["llm_mode"] = llm_mode
    if settings["timeout"].value is not None and resolve_backend_name(backend, base_url) == "openai":
        options["backend"] = _openai_backend(options, settings["timeout"].value, console)

    if batch_api:
        _run_batch_api(paths, out, options, poll_interval, console)
    elif len(paths) == 1 and out is None:
        _extract_one(paths[0], options, console)
    else:
        _extract_many(paths, out, options, concurrency, rpm, tpm, console, workers=workers)


def _openai_backend(options: dict[str, Any], timeout: float, console: Console) -> Any:
    """The openai backend built here, for settings `llmx.extract` does not take (the request timeout)."""
    from llmx.pipeline import make_backend

    try:
        return make_backend(
            "openai", model=options["model"], base_url=options["base_url"], cache=options["cache"],
            llm_mode=options.pop("llm_mode", None), timeout=timeout,
        )
    except LLMXError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None


def _extract_one(path: Path, options: dict[str, Any], console: Console) -> None:
    """Print one pretty record; any failure is one clear line on stderr and exit status 1."""
    from llmx.inputs import read_document
    from llmx.pipeline import extract

    try:
        record = extract(read_document(path), doc_id=path.stem, **options)
    except LLMXError as exc:
        console.print(f"[red]error:[/red] {path}: {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILED_DOCS) from None
    except KeyboardInterrupt:
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if options.get("explain"):
        show_explanation(record, console)
    sys.stdout.write(record.model_dump_json(indent=2) + "\n")


def _extract_many(
    paths: list[Path],
    out: Path | None,
    options: dict[str, Any],
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    console: Console,
    *,
    workers: int | None = None,
) -> None:
    import asyncio

    from llmx.batch import aextract_many

    try:
        report = asyncio.run(
            aextract_many(
                paths, out if out is not None else sys.stdout, concurrency=concurrency, rpm=rpm, tpm=tpm,
                workers=workers, **options,
            )
        )
    except LLMXError as exc:  # configuration problems (backend, model, template, locked output)
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    if out is None:
        for entry in report.errors:  # no errors file when streaming to stdout
            console.print(f"[red]failed:[/red] {entry['source'] or entry['id']}: {entry['error_type']}: {entry['error']}")
    if options.get("explain") and out is not None:
        console.print(f"prompts and raw replies are in each record's meta.extra in {out}")
    _finish(report, console)


def _run_batch_api(paths: list[Path], out: Path | None, options: dict[str, Any], poll_interval: float, console: Console) -> None:
    import asyncio

    from llmx.llm.batch_api import run_batch_api

    if out is None:
        console.print("[red]error:[/red] --batch-api needs -o OUT.jsonl (a batch job can take hours; records must land in a file)")
        raise typer.Exit(EXIT_USAGE)
    try:
        report = asyncio.run(run_batch_api(paths, out, poll_interval=poll_interval, **options))
    except LLMXError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    _finish(report, console)


def _finish(report: Any, console: Console) -> None:
    for line in report.summary_lines():
        console.print(line, highlight=False)
    if report.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if report.outstanding:
        raise typer.Exit(EXIT_FAILED_DOCS)


def show_explanation(record: Any, console: Console) -> None:
    """Render what `explain=True` stored in `record.meta.extra`: each call's prompt and raw reply."""
    extra = dict(getattr(getattr(record, "meta", None), "extra", None) or {})
    calls = extra.pop("calls", None) or []
    if not extra and not calls:
        console.print("[yellow]nothing to explain: this backend made no model call[/yellow]")
        return
    for key, value in extra.items():
        console.print(f"[bold]{key}[/bold]: {escape(json.dumps(value, ensure_ascii=False, default=str))}", highlight=False)
    for number, call in enumerate(calls, start=1):
        messages = call.get("messages") or []
        prompt = "\n\n".join(f"[bold]{m.get('role')}[/bold]\n{escape(str(m.get('content', '')))}" for m in messages)
        console.print(Panel(prompt, title=f"call {number}: prompt", title_align="left"))
        console.print(Panel(_reply(call.get("raw")), title=f"call {number}: raw reply", title_align="left"))
        if call.get("error"):
            console.print(Panel(escape(str(call["error"])), title=f"call {number}: error", title_align="left", style="red"))


def _reply(raw: str | None) -> Any:
    if raw is None:
        return "(no reply)"
    try:
        return Syntax(json.dumps(json.loads(raw), indent=2, ensure_ascii=False), "json", word_wrap=True)
    except ValueError:
        return escape(raw)
