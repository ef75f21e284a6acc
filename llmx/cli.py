"""The `llmx` command line. Each command lives in `llmx.commands.<name>`; this file only wires them."""

from __future__ import annotations

import typer

from llmx.commands import check, config, evaluate, extract

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
app.command("config")(config.config_command)


if __name__ == "__main__":  # pragma: no cover
    app()
