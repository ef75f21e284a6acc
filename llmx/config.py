"""Effective llmx settings: command-line flags, then the environment, then `llmx.toml` / `[tool.llmx]`.

Users configure a project once instead of repeating flags::

    # llmx.toml (or [tool.llmx] in pyproject.toml)
    backend = "openai"
    base_url = "http://127.0.0.1:8080/v1"
    model = "qwen2.5-7b-instruct"
    llm_mode = "json"        # structured-output dialect; omit to negotiate
    concurrency = 16
    timeout = 600            # seconds per request: a small local server can be slow

The file is the nearest `llmx.toml`, else `pyproject.toml` with a `[tool.llmx]` table, in the
working directory or one of its parents (`$LLMX_CONFIG` names a file directly). The API key is
read from the environment only, so it never sits in a file that is committed. `load_settings`
returns every value with its origin, which `llmx config` prints (keys masked); `load_config`
turns them into the `ExtractOptions` and `BatchSettings` a run uses.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmx.backends.cache import CACHE_FILENAME, public_url
from llmx.backends.factory import resolve_backend_name
from llmx.backends.openai.dialects import DIALECTS
from llmx.errors import ConfigError
from llmx.options import ExtractOptions

CONFIG_ENV = "LLMX_CONFIG"
CONFIG_FILE = "llmx.toml"
PYPROJECT = "pyproject.toml"


def _choice(*allowed: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return str(value)

    return check


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("must be a non-empty string")
    return value


def _positive(kind: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise ValueError(f"must be a positive {kind.__name__}") from None
        if isinstance(value, bool) or number <= 0 or (kind is int and float(value) != number):
            raise ValueError(f"must be a positive {kind.__name__}")
        return number

    return check


@dataclass(frozen=True)
class Key:
    """One setting: its environment variables (first set wins), whether files may hold it, and its check."""

    env: tuple[str, ...]
    parse: Callable[[Any], Any]
    in_files: bool = True
    secret: bool = False


KEYS: dict[str, Key] = {
    "backend": Key(("LLMX_BACKEND",), _choice("openai", "local", "rules")),
    "model": Key(("LLMX_MODEL",), _text),
    "base_url": Key(("OPENAI_BASE_URL",), _text),
    "api_key": Key(("OPENAI_API_KEY",), _text, in_files=False, secret=True),
    "mode": Key(("LLMX_MODE",), _choice("grounded", "free")),
    "llm_mode": Key(("LLMX_LLM_MODE",), _choice(*DIALECTS)),
    "labels": Key(("LLMX_LABELS",), _choice("model", "rules", "fallback")),
    "concurrency": Key(("LLMX_CONCURRENCY",), _positive(int)),
    "rpm": Key(("LLMX_RPM",), _positive(float)),
    "tpm": Key(("LLMX_TPM",), _positive(float)),
    "cache_dir": Key(("LLMX_CACHE_DIR",), _text),
    "timeout": Key(("LLMX_TIMEOUT",), _positive(float)),  # seconds per HTTP request (openai backend)
}


@dataclass(frozen=True)
class Setting:
    """A value and where it came from ("--model", "env LLMX_MODEL", "llmx.toml", "default")."""

    value: Any
    origin: str


def find_config_file(start: Path | None = None, environ: Mapping[str, str] | None = None) -> tuple[Path, bool] | None:
    """(file, is_pyproject) of the configuration in effect, or None when there is none."""
    environ = os.environ if environ is None else environ
    if named := environ.get(CONFIG_ENV):
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(f"{CONFIG_ENV}={named} is not a file")
        return path, path.name == PYPROJECT
    folder = (start or Path.cwd()).resolve()
    for directory in (folder, *folder.parents):
        if (directory / CONFIG_FILE).is_file():
            return directory / CONFIG_FILE, False
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and "llmx" in _read_toml(pyproject).get("tool", {}):
            return pyproject, True
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None


def _file_values(found: tuple[Path, bool] | None) -> tuple[dict[str, Any], str]:
    if found is None:
        return {}, ""
    path, is_pyproject = found
    data = _read_toml(path)
    table = data.get("tool", {}).get("llmx", {}) if is_pyproject else data
    origin = f"{path} [tool.llmx]" if is_pyproject else str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{origin} must be a table of settings")
    unknown = sorted(set(table) - {name for name, key in KEYS.items() if key.in_files})
    if unknown:
        hint = " (the API key is read from OPENAI_API_KEY only)" if "api_key" in unknown else ""
        known = ", ".join(name for name, key in KEYS.items() if key.in_files)
        raise ConfigError(f"{origin}: unknown setting(s) {', '.join(unknown)}{hint}; known: {known}")
    return table, origin


def load_settings(
    flags: Mapping[str, Any] | None = None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Setting]:
    """Every known setting with its origin: flags (non-None) > environment > config file > unset.

    `flags` maps setting names to command-line values (None: not given). Unset settings have
    value None and origin "default" (the command's own default applies). Invalid values raise
    ConfigError naming their origin.
    """
    environ = os.environ if environ is None else environ
    file_values, file_origin = _file_values(find_config_file(cwd, environ))
    settings: dict[str, Setting] = {}
    for name, key in KEYS.items():
        flag = (flags or {}).get(name)
        env = next((var for var in key.env if environ.get(var)), None)
        if flag is not None:
            raw, origin = flag, f"--{name.replace('_', '-')}"
        elif env is not None:
            raw, origin = environ[env], f"env {env}"
        elif name in file_values:
            raw, origin = file_values[name], file_origin
        else:
            settings[name] = Setting(None, "default")
            continue
        try:
            settings[name] = Setting(key.parse(raw), origin)
        except ValueError as exc:
            raise ConfigError(f"{name} from {origin} {exc} (got {raw!r})") from None
    return settings


def values(settings: Mapping[str, Setting]) -> dict[str, Any]:
    """The settings' values alone."""
    return {name: setting.value for name, setting in settings.items()}


def mask(value: str) -> str:
    """A secret shown without revealing it: its length class and last two characters at most."""
    if len(value) < 12:
        return "***"
    return f"{value[:3]}***{value[-2:]}"


def shown(name: str, setting: Setting) -> str:
    """How `llmx config` prints one value (secrets masked, unset as '-')."""
    if setting.value is None:
        return "-"
    if KEYS[name].secret:
        return mask(str(setting.value))
    if name == "base_url":  # credentials or a key in the URL stay hidden
        return public_url(str(setting.value)) or "-"
    return str(setting.value)


@dataclass(frozen=True)
class BatchSettings:
    """How many documents run at once and how fast (`extract_many`'s keywords)."""

    concurrency: int = 8
    rpm: float | None = None
    tpm: float | None = None


@dataclass(frozen=True)
class Config:
    """The effective settings of a run: what to extract with, how to batch, and where each value came from."""

    options: ExtractOptions
    batch: BatchSettings
    settings: dict[str, Setting]


# Settings that belong to `ExtractOptions` under the same name.
OPTION_KEYS = ("backend", "model", "base_url", "mode", "llm_mode", "labels", "timeout")
# Settings that only the openai backend takes: a file or environment value is dropped for another backend.
OPENAI_ONLY = ("llm_mode", "timeout")


def load_config(
    flags: Mapping[str, Any] | None = None,
    options: ExtractOptions | None = None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """`load_settings` made into the `ExtractOptions` (over `options`) and `BatchSettings` of a run.

    Flags keep their priority; an `llm_mode` / `timeout` from the environment or a file is dropped
    when the backend is not openai (a project may configure both), while such a flag fails in
    `make_backend`. `cache_dir` becomes the cache unless `options.cache` turns it off or names one.
    The API key stays in the environment, where the backend reads it.
    """
    settings = load_settings(flags, cwd=cwd, environ=environ)
    found = {name: settings[name].value for name in OPTION_KEYS if settings[name].value is not None}
    backend = found.get("backend", options.backend if options is not None else None)
    named = backend is None or isinstance(backend, str)
    if not named or resolve_backend_name(backend, found.get("base_url")) != "openai":
        for name in OPENAI_ONLY:
            if name in found and not settings[name].origin.startswith("--"):
                del found[name]
    base = options if options is not None else ExtractOptions()
    if settings["cache_dir"].value is not None and base.cache is True:
        found["cache"] = Path(settings["cache_dir"].value).expanduser() / CACHE_FILENAME
    batch = BatchSettings(
        concurrency=settings["concurrency"].value or BatchSettings.concurrency,
        rpm=settings["rpm"].value,
        tpm=settings["tpm"].value,
    )
    return Config(options=base.replace(**found), batch=batch, settings=settings)
