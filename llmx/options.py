"""`ExtractOptions`: every setting of one extraction, in one frozen, picklable value.

    from llmx import ExtractOptions, extract
    options = ExtractOptions(backend="openai", model="gpt-4o-mini", max_reasks=1)
    record = extract(text, options=options)
    record = extract(text, backend="openai", model="gpt-4o-mini")   # the same: keywords build it

Every entry point (`extract`, `aextract`, `plan`, `extract_many`, the Batch API, `llmx eval`)
takes these keywords or an `ExtractOptions` and hands the object on unchanged, so a setting is
spelled out here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from pydantic import BaseModel

from llmx.errors import ConfigError
from llmx.extraction.grounded import LabelPolicy
from llmx.extraction.prompts import PromptTemplate
from llmx.schema import PressRelease

if TYPE_CHECKING:
    from llmx.backends.base import Backend

Mode = Literal["grounded", "free"]
MODES: tuple[str, ...] = ("grounded", "free")


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract: the record schema, the backend and how it is asked, and what the record keeps.

    `backend` is "openai", "local", "rules", a backend instance, or None (auto: openai when an API
    key or endpoint is configured, else the offline default); `model`, `base_url`, `api_key` and
    `cache` (True: default location, False, a path or a `ResponseCache`) build it when it is a
    name. `template` is a built-in prompt name, a .j2 file or a loaded `PromptTemplate` (None:
    the backend's default for the mode). `labels` says whose roles a grounded record keeps
    ("model", "rules", "fallback" or a `LabelPolicy`; None: the backend's default). `llm_mode`
    (structured-output dialect: "json_schema", "json", "tools", "md_json"; None: negotiated with
    the server) and `timeout` (seconds per HTTP request) build the openai backend.
    `keep_invalid` keeps free-mode values the validator still rejects after the re-asks (listed in
    meta.findings) instead of nulling optional fields and raising for required ones. `strict`
    makes a grounded extraction whose model answer was unusable (the rules filled in) an
    ExtractionError instead of a warning and `meta.fallback`.
    """

    schema: type[BaseModel] = PressRelease
    backend: str | Backend | None = None
    mode: Mode = "grounded"
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    template: str | os.PathLike[str] | PromptTemplate | None = None
    labels: str | LabelPolicy | None = None
    max_reasks: int = 2
    keep_invalid: bool = False
    strict: bool = False
    cache: Any = True
    explain: bool = False
    llm_mode: str | None = None
    timeout: float | None = None

    @classmethod
    def build(cls, options: ExtractOptions | None = None, /, **settings: Any) -> ExtractOptions:
        """`options` (or the defaults) with the given keyword settings replacing its fields."""
        unknown = set(settings) - FIELDS
        if unknown:
            raise TypeError(f"unknown extraction setting(s): {', '.join(sorted(unknown))}; see llmx.ExtractOptions")
        base = options if options is not None else cls()
        if not isinstance(base, ExtractOptions):
            raise ConfigError(f"options must be an ExtractOptions, not {type(base).__name__}")
        return dataclasses.replace(base, **settings) if settings else base

    def replace(self, **settings: Any) -> ExtractOptions:
        """A copy with some settings changed."""
        return ExtractOptions.build(self, **settings)

    def check(self) -> None:
        """ConfigError for settings that can never work, before any backend is built or model asked."""
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}; use 'grounded' or 'free'")
        if not (isinstance(self.schema, type) and issubclass(self.schema, BaseModel)):
            raise ConfigError(f"schema must be a pydantic model class, not {self.schema!r}")
        if self.max_reasks < 0:
            raise ConfigError("max_reasks must be >= 0")
        if self.timeout is not None and not self.timeout > 0:
            raise ConfigError(f"timeout must be > 0 seconds, not {self.timeout!r}")


FIELDS = frozenset(f.name for f in dataclasses.fields(ExtractOptions))


class ExtractSettings(TypedDict, total=False):
    """The keyword form of `ExtractOptions` (for typing `**settings`); the fields must match."""

    schema: type[BaseModel]
    backend: str | Backend | None
    mode: Mode
    model: str | None
    base_url: str | None
    api_key: str | None
    template: str | os.PathLike[str] | PromptTemplate | None
    labels: str | LabelPolicy | None
    max_reasks: int
    keep_invalid: bool
    strict: bool
    cache: Any
    explain: bool
    llm_mode: str | None
    timeout: float | None
