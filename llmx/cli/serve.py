"""`llmx serve-mock`: the loopback OpenAI-compatible server as a command (see `llmx.testing.mock`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from llmx.errors import LLMXError


def serve_mock_command(
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port)."),
    latency: float = typer.Option(0.0, "--latency", min=0.0, help="Seconds added to every chat completion."),
    replies: Optional[Path] = typer.Option(
        None, "--replies", help="Canned replies: a .json object for every request, or a .jsonl answered in order. Default: a minimal valid instance of the requested schema.",
    ),
    fault_rate: float = typer.Option(0.0, "--fault-rate", min=0.0, max=1.0, help="Share of chat requests that fault (reproducible for a --seed)."),
    fault: list[str] = typer.Option([], "--fault", help="Fault kinds to inject (repeatable): rate_limit, server_error, unavailable, reset, truncated, schema_invalid, empty_choices, ... Default: the transient ones."),
    seed: int = typer.Option(0, "--seed", help="Seed of the fault sequence."),
    duration: Optional[float] = typer.Option(None, "--duration", min=0.0, help="Stop after this many seconds (default: run until Ctrl-C)."),
) -> None:
    """Serve a mock OpenAI-compatible API on 127.0.0.1 for trying llmx's openai backend offline.

    Point llmx at it with `--backend openai --base-url http://127.0.0.1:PORT/v1 --model mock`
    (any API key is accepted).
    """
    from llmx.testing.mock import serve
    from llmx.testing import FaultKind

    known = set(FaultKind.__args__)  # type: ignore[attr-defined]
    unknown = [kind for kind in fault if kind not in known]
    if unknown:
        raise typer.BadParameter(f"unknown fault kind(s) {', '.join(unknown)}; use {', '.join(sorted(known))}", param_hint="--fault")
    try:
        counts = serve(
            port=port, latency=latency, replies=replies, fault_rate=fault_rate, fault_kinds=fault, seed=seed,
            duration=duration, announce=lambda line: typer.echo(line, err=True),
        )
    except (LLMXError, OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"served {counts['requests']} chat requests, faults injected: {counts['faults'] or 'none'}", err=True)
