"""`llmx recognize`, `llmx validate` and `llmx tickers update`: the deterministic, LLM-free checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from llmx.errors import InputError
from llmx.recognize import recognize
from llmx.registry import SEC_TICKERS_URL, RegistryError, TickerRegistry, load_cached_registry, update_registry
from llmx.validate import validate

tickers_app = typer.Typer(help="Manage the local ticker registry used by `llmx validate`.", no_args_is_help=True)

DocumentArg = Annotated[Path, typer.Argument(help="Press release file: text, HTML, PDF or EDGAR (see `llmx text`).", dir_okay=False)]


def _read_document(path: Path) -> str:
    from llmx.readers import read_document

    return read_document(path).text  # spans index the text `llmx text FILE` prints


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def recognize_command(file: DocumentArg) -> None:
    """Print every money amount and exchange listing in FILE as a JSON list, in text order."""
    try:
        text = _read_document(file)
    except InputError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(json.dumps(recognize(text).to_dicts(), ensure_ascii=False, indent=2))


def validate_command(
    file: DocumentArg,
    record: Annotated[Path, typer.Argument(help="Extraction record (JSON object, PressRelease layout).", dir_okay=False)],
    registry: Annotated[
        Path | None, typer.Option(help="Ticker registry JSON (SEC layout). Default: the cache from `llmx tickers update`.")
    ] = None,
    no_registry: Annotated[bool, typer.Option("--no-registry", help="Skip registry checks even if a cache exists.")] = False,
) -> None:
    """Check RECORD against FILE; print {"ok", "findings"}; exit 1 if any finding is an error."""
    try:
        text = _read_document(file)
        data = _read_record(record)
        ticker_registry = None if no_registry else (TickerRegistry.load(registry) if registry else load_cached_registry())
    except (InputError, RegistryError) as exc:
        raise _fail(str(exc)) from exc
    report = validate(text, data, ticker_registry)
    typer.echo(report.model_dump_json(indent=2))
    raise typer.Exit(0 if report.ok else 1)


def _read_record(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON file ({exc})") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected one JSON object (a record), got {type(data).__name__}")
    return data


@tickers_app.command("update")
def tickers_update_command(
    dest: Annotated[
        Path | None, typer.Option(help="Directory for the registry. Default: $LLMX_CACHE_DIR or the user cache dir.")
    ] = None,
    url: Annotated[str, typer.Option(help="Where to fetch the SEC ticker file from.")] = SEC_TICKERS_URL,
    user_agent: Annotated[
        str | None, typer.Option(help="User-Agent for the SEC ('Name email'); default $LLMX_SEC_USER_AGENT.")
    ] = None,
) -> None:
    """Download the SEC ticker/exchange list into the local cache (needs network access once)."""
    try:
        path, count = update_registry(dest, url=url, user_agent=user_agent)
    except RegistryError as exc:
        raise _fail(str(exc), code=1) from exc
    typer.echo(f"saved {count} tickers to {path}")
