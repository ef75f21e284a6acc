"""`python -m llmx.cli`."""

from llmx.cli.app import app

app()
