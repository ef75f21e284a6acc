"""CLI command implementations, one module per command group; `llmx.cli` wires them up."""
