"""`llmx recognize`, `llmx validate` and `llmx tickers update`: the deterministic, LLM-free checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from llmx.errors import InputError
from llmx.recognize import recognize
from llmx.validation.registry import SEC_TICKERS_URL, RegistryError, TickerRegistry, load_cached_registry, update_registry
from llmx.validation.checks import validate

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
    file: Annotated[Path, typer.Argument(help="Press release text file, or a folder of <id>.txt texts when RECORD is a .jsonl.")],
    record: Annotated[
        Path, typer.Argument(help="Extraction record (JSON object, PressRelease layout), or a JSONL of records (with ids).", dir_okay=False)
    ],
    registry: Annotated[
        Path | None, typer.Option(help="Ticker registry JSON (SEC layout). Default: the cache from `llmx tickers update`.")
    ] = None,
    no_registry: Annotated[bool, typer.Option("--no-registry", help="Skip registry checks even if a cache exists.")] = False,
    coverage: Annotated[
        bool, typer.Option("--coverage/--no-coverage", help="Warn about amounts and listings printed in the text but missing from the record.")
    ] = True,
    output_format: Annotated[str, typer.Option("--format", help="json (one report; JSON Lines for a .jsonl) | text.")] = "json",
) -> None:
    """Check RECORD against FILE: schema, grounding and completeness findings, all at once.

    Prints {"ok", "findings"} (or a readable list with --format text); exits 1 if any finding is
    an error. With a JSONL of records, FILE is the folder of texts and each record's id names its
    document (FOLDER/<id>.txt); every record is reported.
    """
    if output_format not in ("json", "text"):
        raise _fail(f"unknown --format {output_format!r}; use 'json' or 'text'")
    try:
        ticker_registry = None if no_registry else (TickerRegistry.load(registry) if registry else load_cached_registry())
        pairs = _record_pairs(file, record)
    except (InputError, RegistryError) as exc:
        raise _fail(str(exc)) from exc
    failed = 0
    for doc_id, text, data in pairs:
        report = validate(text, data, ticker_registry, coverage=coverage)
        failed += not report.ok
        if output_format == "text":
            _print_text_report(doc_id, report)
        elif len(pairs) == 1 and record.suffix != ".jsonl":
            typer.echo(report.model_dump_json(indent=2))
        else:
            typer.echo(json.dumps({"id": doc_id, **report.model_dump(mode="json")}, ensure_ascii=False))
    if len(pairs) > 1 or record.suffix == ".jsonl":
        typer.echo(f"{len(pairs)} records: {len(pairs) - failed} ok, {failed} with errors", err=True)
    raise typer.Exit(1 if failed else 0)


def _record_pairs(file: Path, record: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, text, record) for one record and its text, or for every line of a JSONL and its folder."""
    if record.suffix != ".jsonl":
        if file.is_dir():
            raise InputError(f"{file} is a folder: give the record's text file, or a .jsonl of records")
        return [(record.stem, _read_document(file), _read_record(record))]
    if not file.is_dir():
        raise InputError(f"{record} holds records of many documents: give the folder of their texts, not {file}")
    pairs = []
    for line_no, data in enumerate(_read_jsonl(record), start=1):
        doc_id = data.get("id")
        if not isinstance(doc_id, str):
            raise InputError(f"{record}:{line_no}: a record without an id cannot be matched to a text in {file}")
        pairs.append((doc_id, _read_document(file / f"{doc_id}.txt"), data))
    if not pairs:
        raise InputError(f"{record}: no records")
    return pairs


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


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    records = []
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{line_no}: not JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise InputError(f"{path}:{line_no}: expected a JSON object (a record)")
        records.append(data)
    return records


def _print_text_report(doc_id: str, report: Any) -> None:
    counts = {severity: sum(f.severity == severity for f in report.findings) for severity in ("error", "warning", "info")}
    status = "ok" if report.ok else "FAILED"
    typer.echo(f"{doc_id}: {status} ({counts['error']} errors, {counts['warning']} warnings)")
    for finding in report.findings:
        if finding.severity != "info":
            typer.echo(f"  {finding.severity:7} {finding.code:22} {finding.path}: {finding.message}")


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
