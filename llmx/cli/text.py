"""`llmx text FILE`: print the text llmx extracts from a file, the text every span indexes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from llmx.errors import LLMXError


def text_command(
    file: Path = typer.Argument(..., help="A text, Markdown, HTML, PDF, EDGAR .txt, JSON Lines or CSV file.", dir_okay=False),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: the text with its reader, pages and metadata (one line per row for tables)."),
    text_field: str = typer.Option("text", "--text-field", help="JSON Lines/CSV: the field holding the text."),
    id_field: str = typer.Option("id", "--id-field", help="JSON Lines/CSV: the field holding the id."),
) -> None:
    """Print the extracted text of FILE exactly as extraction sees it (spans index this text)."""
    from llmx.readers import read_document
    from llmx.readers.tables import expand_tables

    try:
        items = expand_tables([file], text_field=text_field, id_field=id_field)
        if len(items) == 1 and isinstance(items[0], Path):
            document = read_document(file)
            if as_json:
                sys.stdout.write(json.dumps({"text": document.text, **document.source_info()}, ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(document.text)
            return
    except LLMXError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for row in items:
        assert isinstance(row, dict)
        if as_json:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(f"{row['text']}\n\f\n")
