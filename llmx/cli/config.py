"""`llmx config`: the settings an `llmx extract` run here would use, and where each comes from."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from llmx.errors import LLMXError

EXIT_USAGE = 2


def config_command(
    as_json: bool = typer.Option(False, "--json", help="Print {setting: {value, origin}} as JSON (secrets masked)."),
) -> None:
    r"""Show the effective settings (flags > environment > llmx.toml / \[tool.llmx]) with their origin; keys masked."""
    from llmx.config import find_config_file, load_settings, shown

    try:
        settings = load_settings()
        found = find_config_file()
    except LLMXError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    rows = {name: {"value": shown(name, setting), "origin": setting.origin} for name, setting in settings.items()}
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"config file: {found[0] if found else 'none'}", title_justify="left")
    for column in ("setting", "value", "origin"):
        table.add_column(column)
    for name, row in rows.items():
        table.add_row(name, row["value"], row["origin"])
    Console(soft_wrap=True).print(table)
