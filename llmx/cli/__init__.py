"""The `llmx` command line: `app` (llmx.cli.app) wires one module per command group."""

from llmx.cli.app import app

__all__ = ["app"]
