"""The `llmx` command line. Each command lives in `llmx.cli.<name>`; this file only wires them."""

from __future__ import annotations

import typer

from importlib.metadata import version as _installed_version

from llmx.cli import check, config, evaluate, extract, serve, text  # noqa: F401 (submodules)

app = typer.Typer(
    name="llmx",
    help="Grounded, validated extraction of money amounts, tickers and roles from press releases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold API keys
)

app.command("recognize")(check.recognize_command)
app.command("validate")(check.validate_command)
app.add_typer(check.tickers_app, name="tickers")
app.command("extract")(extract.extract_command)
app.command("eval")(evaluate.eval_command)
app.command("serve-mock")(serve.serve_mock_command)
app.command("config")(config.config_command)
app.command("text")(text.text_command)


@app.command("audit", context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []})
def _audit(ctx: typer.Context) -> None:
    """Gold-free coverage audit: every currency-marked number and listing covered or explained (--help for options)."""
    from llmx.evaluate.audit import main

    raise typer.Exit(main(list(ctx.args)))


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"llmx {_installed_version('llmx')}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Print llmx's version and exit."),
) -> None:
    """Grounded, validated extraction of money amounts, tickers and roles from press releases."""


if __name__ == "__main__":  # pragma: no cover
    app()
