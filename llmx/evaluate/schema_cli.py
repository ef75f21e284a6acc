"""The table `llmx eval --schema` prints (kept apart so llmx/commands/evaluate.py only dispatches)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from llmx.errors import LLMXError
from llmx.evaluate.gold import GoldFormatError

EXIT_USAGE = 2


def schema_eval_command(
    gold_dir: Path, spec: str, *, backend: str | None, mode: str, model: str | None, base_url: str | None, limit: int | None
) -> None:
    """Extract and score a user schema; prints precision/recall/F1 per field."""
    from llmx.evaluate.schema_eval import evaluate_schema, load_schema

    console = Console(stderr=True, soft_wrap=True)
    try:
        schema = load_schema(spec)
        options = {"backend": backend, "mode": mode, "model": model, "base_url": base_url}
        result = evaluate_schema(gold_dir, schema, limit=limit, **{k: v for k, v in options.items() if v is not None})
    except (GoldFormatError, LLMXError) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    table = Table(title=f"llmx eval --schema {spec}: {result['documents']} documents")
    for column in ("field", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for path, m in result["fields"].items():
        table.add_row(path, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["tp"]), str(m["fp"]), str(m["fn"]))
    Console(width=120).print(table)
    for failure in result["failed"]:
        console.print(f"[yellow]warning:[/yellow] extraction failed: {escape(failure)}")
