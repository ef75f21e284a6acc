"""What the CLI tells the user on stderr besides errors: the backend the environment chose (so a
paid model is never used silently) and the library's warnings (e.g. a record the rules filled in)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from rich.console import Console
from rich.markup import escape

from llmx.backends.factory import backend_class, resolve_backend_name


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


def ignored_flags(given: Mapping[str, object], reason: str) -> str | None:
    """"FLAGS have no effect REASON" for the flags in `given` that were set (not None/False), else None.

    A flag that changes nothing must not look as if it had been applied (e.g. --template with
    the rules backend, which asks no model)."""
    names = [flag for flag, value in given.items() if value is not None and value is not False]
    if not names:
        return None
    return f"{', '.join(names)} {'has' if len(names) == 1 else 'have'} no effect {reason}"


def model_flags_ignored(backend: str | None, base_url: str | None, given: Mapping[str, object]) -> str | None:
    """`ignored_flags` for the model settings when the backend that will run asks no model."""
    name = resolve_backend_name(backend, base_url)
    if backend_class(name).asks_a_model:
        return None
    return ignored_flags(given, f"with the {name} backend: it asks no model (--backend openai or local uses them)")


def print_warning(line: str | None, console: Console) -> None:
    """One "warning: ..." line on `console` (stderr), the format of the library's warnings."""
    if line is not None:
        console.print(f"warning: {escape(line)}", highlight=False, soft_wrap=True)
