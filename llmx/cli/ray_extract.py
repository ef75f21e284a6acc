"""`llmx extract --engine ray`: the extraction as a Ray Data job writing an output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from llmx.errors import LLMXError

EXIT_FAILED_DOCS = 1
EXIT_USAGE = 2
IN_FLIGHT_PER_ACTOR = 16


def run_on_ray(
    inputs: list[str],
    out: Path | None,
    options: dict[str, Any],
    *,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    address: str | None,
    output_format: str,
    console: Console,
) -> None:
    """Run `llmx.ray.extract_to` and print what it did; exit 1 if documents are left with errors.

    `--concurrency` is the documents in flight over the whole pool: one actor per 16 of them.
    """
    if out is None:
        console.print("[red]error:[/red] --engine ray needs -o OUT_DIR (records are written as files in that folder)")
        raise typer.Exit(EXIT_USAGE)
    if output_format not in ("parquet", "jsonl"):
        console.print(f"[red]error:[/red] unknown --output-format {output_format!r}; use 'parquet' or 'jsonl'")
        raise typer.Exit(EXIT_USAGE)
    try:
        from llmx import ray as llmx_ray

        llmx_ray.init_local(address=address)
        actors = max(1, -(-concurrency // IN_FLIGHT_PER_ACTOR))
        counts = llmx_ray.extract_to(
            inputs, out, output_format=output_format,  # type: ignore[arg-type]
            concurrency=actors, in_flight=min(concurrency, IN_FLIGHT_PER_ACTOR), rpm=rpm, tpm=tpm, **options,
        )
    except (LLMXError, ValueError, TypeError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    console.print(
        f"{counts['documents']} documents: {counts['records']} with a record in {out} "
        f"({counts['skipped']} were already done), {counts['errors']} failed",
        highlight=False,
    )
    if counts.get("removed"):
        console.print(
            f"{counts['removed']} old record(s) no longer count: the text or the configuration changed and extracting "
            "again failed (their error rows have 'removed_record')",
            highlight=False,
        )
    if counts["errors"]:
        console.print("rerun the same command to retry the failed documents (their errors are rows with an 'error' column)")
        raise typer.Exit(EXIT_FAILED_DOCS)
