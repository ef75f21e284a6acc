"""What the CLI tells the user on stderr besides errors: the backend the environment chose (so a
paid model is never used silently) and the library's warnings (e.g. a record the rules filled in)."""

from __future__ import annotations

import logging
import os
import sys
from urllib.parse import urlsplit, urlunsplit

from rich.console import Console
from rich.markup import escape

from llmx.backends.factory import resolve_backend_name


def without_credentials(url: str) -> str:
    """`url` with any user:password@ and the query string removed (tokens are sometimes passed there)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def environment_choice(backend: str | None, base_url: str | None, origin: str | None = None) -> str | None:
    """"backend: NAME (from WHY)" when no --backend was given and a setting other than the
    default picked one; None when the user named the backend or the offline default applies.

    `origin` says where `base_url` came from ("--base-url", "env OPENAI_BASE_URL", a config file)."""
    if backend is not None:
        return None
    name = resolve_backend_name(None, base_url)
    if name != "openai":
        return None
    if base_url and origin and origin.startswith("env "):
        why = f"{origin[4:]}={without_credentials(base_url)}"
    elif base_url and origin and not origin.startswith("--"):
        why = f"base_url = {without_credentials(base_url)} in {origin}"
    elif base_url:
        why = f"--base-url {without_credentials(base_url)}"
    elif os.environ.get("OPENAI_BASE_URL"):
        why = f"OPENAI_BASE_URL={without_credentials(os.environ['OPENAI_BASE_URL'])}"
    else:
        why = "OPENAI_API_KEY is set"
    return f"backend: {name} (from {why}; --backend chooses another)"


def print_resolved_backend(backend: str | None, base_url: str | None, console: Console, origin: str | None = None) -> None:
    """Print `environment_choice` to `console` (stderr) when there is one."""
    line = environment_choice(backend, base_url, origin)
    if line is not None:
        console.print(escape(line), highlight=False, soft_wrap=True)


class _StderrLines(logging.Handler):
    """Each warning as one "warning: ..." line on the current sys.stderr (looked up per record)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(f"warning: {record.getMessage()}\n")
        except Exception:  # a broken stderr must not fail the extraction
            self.handleError(record)


def warnings_to_stderr() -> None:
    """Show the "llmx" logger's warnings on stderr (idempotent: one handler however often called)."""
    logger = logging.getLogger("llmx")
    if not any(isinstance(handler, _StderrLines) for handler in logger.handlers):
        handler = _StderrLines(logging.WARNING)
        logger.addHandler(handler)
