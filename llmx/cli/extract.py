"""`llmx extract`: one file prints its record; many files stream JSON Lines (or go durably to -o)."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.syntax import Syntax

from llmx.errors import LLMXError

if TYPE_CHECKING:
    from llmx.options import ExtractOptions

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
    out: Optional[Path] = typer.Option(
        None, "--out", "-o",
        help="Append records to this .jsonl (fsynced; rerun to resume; one record per id at the end), or write "
        "a table (.csv / .parquet: one row per amount) from the journal kept beside it (OUT.jsonl). "
        "Failures go to OUT.errors.jsonl.",
    ),
    fresh: bool = typer.Option(False, "--fresh", help="Start OUT over instead of resuming from it."),
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
    strict: bool = typer.Option(False, "--strict", help="Grounded mode: a model answer that stays unusable is an error, not a record the rules filled in."),
    batch_api: bool = typer.Option(False, "--batch-api", help="Send all documents as one OpenAI Batch API job (cheaper, slower); needs -o."),
    template: Optional[str] = typer.Option(None, "--template", help="Prompt template name or .j2 file."),
    labels: Optional[str] = typer.Option(
        None, "--labels",
        help="Grounded mode: whose kind/status/roles the record keeps: model | rules | fallback (model where the rules are unsure). Default: rules for local, model otherwise.",
    ),
    poll_interval: float = typer.Option(10.0, "--poll-interval", min=0.0, help="Seconds between Batch API status checks (grows 1.5x up to 2 min)."),
    engine: str = typer.Option("local", "--engine", help="local (this machine: asyncio + worker processes) | ray (Ray Data; -o names an output folder)."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="With --engine ray: the cluster to join (default: start a local Ray bound to 127.0.0.1)."),
    output_format: str = typer.Option("parquet", "--output-format", help="With --engine ray: parquet | jsonl files in the output folder."),
    text_field: str = typer.Option("text", "--text-field", help="JSON Lines/CSV inputs: the field holding each document's text."),
    id_field: str = typer.Option("id", "--id-field", help="JSON Lines/CSV inputs: the field holding each document's id."),
) -> None:
    r"""Extract issuer, tickers and every money amount with its role from press releases.

    Unset options come from the environment, then llmx.toml / \[tool.llmx] (see `llmx config`).
    """
    console = Console(stderr=True)
    from llmx.batch.documents import Listing, errors_path_for, iter_paths
    from llmx.config import load_config
    from llmx.options import ExtractOptions

    flags = {"backend": backend, "model": model, "base_url": base_url, "mode": mode, "llm_mode": llm_mode,
             "labels": labels, "concurrency": concurrency, "rpm": rpm, "tpm": tpm, "timeout": timeout}
    given = ExtractOptions(
        cache=not no_cache, explain=explain, keep_invalid=keep_invalid, max_reasks=max_reasks, template=template, strict=strict
    )
    try:
        config = load_config(flags, given)
        config.options.check()
    except LLMXError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    options, batch = config.options, config.batch
    from llmx.cli.notices import model_flags_ignored, print_resolved_backend, print_warning, warnings_to_stderr

    named = options.backend if isinstance(options.backend, str) else None  # a flag, the environment or a config file named it
    print_resolved_backend(named, options.base_url, console, origin=config.settings["base_url"].origin)
    model_flags = {"--model": model, "--base-url": base_url, "--llm-mode": llm_mode, "--timeout": timeout,
                   "--template": template, "--labels": labels, "--strict": strict}
    print_warning(model_flags_ignored(named, options.base_url, model_flags), console)
    warnings_to_stderr()

    from llmx.batch.table import check_output_suffix, journal_path_for

    try:
        if out is not None and engine != "ray":
            check_output_suffix(out)
        exclude = [out, errors_path_for(out), journal_path_for(out), errors_path_for(journal_path_for(out))] if out is not None else []
        paths = iter_paths(inputs, exclude=exclude)  # arguments checked now; files listed as the batch takes them
    except LLMXError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None

    from llmx.readers.tables import iter_tables

    try:
        docs = iter_tables(paths, text_field=text_field, id_field=id_field)
        first = list(itertools.islice(docs, 2))  # enough to tell one document from many
    except LLMXError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    if engine not in ("local", "ray"):
        console.print(f"[red]error:[/red] unknown --engine {engine!r}; use 'local' or 'ray'")
        raise typer.Exit(EXIT_USAGE)
    if engine == "ray":
        from llmx.cli.ray_extract import run_on_ray

        run_on_ray(
            inputs, out, _changed(options), concurrency=batch.concurrency, rpm=batch.rpm, tpm=batch.tpm,
            address=ray_address, output_format=output_format, console=console,
        )
    elif batch_api:  # the listing already started, taken once (a batch job holds every document anyway)
        _run_batch_api(itertools.chain(first, docs), out, options, poll_interval, console)
    elif len(first) == 1 and out is None and isinstance(first[0], Path):
        _extract_one(first[0], options, console)
    else:
        # The listing is streamed and listed again as the batch takes documents: the batch surveys
        # it once for the ids, then makes each Doc when a worker takes it, so neither a Path nor a
        # Doc per file is held (docs/measurements.md, round 6 and session 9). An export that cannot
        # be read is an LLMXError there, a usage error as before the run.
        listing = Listing(
            itertools.chain(first, docs),
            lambda: iter_tables(iter_paths(inputs, exclude=exclude), text_field=text_field, id_field=id_field),
        )
        _extract_many(listing, out, options, batch.concurrency, batch.rpm, batch.tpm, console, workers=workers, resume=not fresh)


def _changed(options: Any) -> dict[str, Any]:
    """The settings of `options` that differ from the defaults, as keywords (what `llmx.ray` takes)."""
    import dataclasses

    from llmx.options import ExtractOptions

    default = ExtractOptions()
    return {
        field.name: getattr(options, field.name)
        for field in dataclasses.fields(options)
        if field.name != "schema" and getattr(options, field.name) != getattr(default, field.name)
    }


def _extract_one(path: Path, options: ExtractOptions, console: Console) -> None:
    """Print one pretty record; any failure is one clear line on stderr and exit status 1."""
    from llmx.extraction.api import extract
    from llmx.readers import attach_source, read_document

    from llmx.errors import ConfigError

    try:
        document = read_document(path)
        record = attach_source(extract(document.text, doc_id=path.stem, options=options), document)
    except ConfigError as exc:  # the settings, not the document: the same exit status as for many files
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    except LLMXError as exc:
        console.print(f"[red]error:[/red] {path}: {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILED_DOCS) from None
    except KeyboardInterrupt:
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if options.explain:
        show_explanation(record, console)
    sys.stdout.write(record.model_dump_json(indent=2) + "\n")


def _extract_many(
    paths: Iterable[Any],
    out: Path | None,
    options: ExtractOptions,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    console: Console,
    *,
    workers: int | None = None,
    resume: bool = True,
) -> None:
    import asyncio

    from llmx.batch.run import aextract_many

    try:
        report = asyncio.run(
            aextract_many(
                paths, out if out is not None else sys.stdout, concurrency=concurrency, rpm=rpm, tpm=tpm,
                workers=workers, resume=resume, options=options,
            )
        )
    except LLMXError as exc:  # configuration problems (backend, model, template, locked output)
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    if out is None:
        for entry in report.errors:  # no errors file when streaming to stdout
            console.print(f"[red]failed:[/red] {entry['source'] or entry['id']}: {entry['error_type']}: {entry['error']}")
    if options.explain and out is not None:
        console.print(f"prompts and raw replies are in each record's meta.extra in {out}")
    if out is not None and out.suffix.lower() in (".csv", ".parquet"):
        from llmx.batch.table import journal_path_for

        console.print(f"journal (full records, resumes the next run): {journal_path_for(out)}", highlight=False)
    _finish(report, console)


def _run_batch_api(paths: Iterable[Any], out: Path | None, options: ExtractOptions, poll_interval: float, console: Console) -> None:
    import asyncio

    from llmx.batch.batch_api import run_batch_api

    if out is None or out.suffix.lower() in (".csv", ".parquet"):
        console.print("[red]error:[/red] --batch-api needs -o OUT.jsonl (a batch job can take hours; records must land in a file)")
        raise typer.Exit(EXIT_USAGE)
    try:
        report = asyncio.run(run_batch_api(paths, out, poll_interval=poll_interval, options=options))
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
