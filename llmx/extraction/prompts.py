"""Prompt templates: load them by name or path, render them to chat messages, hash them.

A template is ONE Jinja2 file holding both messages as blocks::

    {% block system %}You label money amounts ...{% endblock %}
    {% block user %}{{ text }}{% endblock %}

so a prompt is versioned as a unit (its hash covers both). The templates shipped with llmx live
in the top-level ``prompts/`` directory (installed as ``llmx.prompt_templates``); a user template
may ``{% extends "grounded.j2" %}`` and override only the block it wants to change.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes

from llmx.errors import ConfigError

TEMPLATE_PACKAGE = "llmx.prompt_templates"
BLOCKS = ("system", "user")


@dataclass(frozen=True)
class PromptTemplate:
    """A loaded template plus the sha256 of its source (and of every template it extends/includes)."""

    name: str
    template: jinja2.Template
    hash: str
    blocks: dict[str, list[Any]]  # block name -> render functions, most derived template first

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """The chat messages (system, user) for these variables."""
        messages = []
        for role in BLOCKS:
            context = self.template.new_context(variables)
            context.blocks.update({name: list(funcs) for name, funcs in self.blocks.items()})
            content = "".join(self.blocks[role][0](context)).strip()
            messages.append({"role": role, "content": content})
        return messages


def builtin_templates() -> list[str]:
    """Names of the templates shipped with llmx (usable as `template=` values)."""
    return sorted(p.name[:-3] for p in resources.files(TEMPLATE_PACKAGE).iterdir() if p.name.endswith(".j2"))


def load_template(name_or_path: str | Path) -> PromptTemplate:
    """Load a built-in template by name ("grounded", "free", ...) or a user's template file by path.

    Parsing and compiling a template costs ~10 ms, more than everything else llmx does for a
    document, so compiled templates are cached; the key includes the user file's contents and
    the built-in files' mtimes, so an edited template is picked up on the next call.
    """
    path = Path(name_or_path)
    is_path = isinstance(name_or_path, Path) or path.suffix == ".j2" or len(path.parts) > 1
    if is_path and not path.is_file():
        raise ConfigError(f"template file {path} does not exist")
    user_source = path.read_bytes() if is_path else None
    location = str(path.resolve()) if is_path else None
    return _compiled(str(name_or_path), location, user_source, _builtin_stamp())


def _builtin_stamp() -> tuple[tuple[str, int, int], ...]:
    """(name, mtime, size) of every built-in template: changes when one is edited."""
    stamps = []
    for entry in resources.files(TEMPLATE_PACKAGE).iterdir():
        if entry.name.endswith(".j2"):
            stat = Path(str(entry)).stat() if isinstance(entry, Path) else None
            stamps.append((entry.name, stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0))
    return tuple(sorted(stamps))


@functools.lru_cache(maxsize=32)
def _compiled(name_or_path: str, location: str | None, user_source: bytes | None, builtin_stamp: object) -> PromptTemplate:
    """Compile a template (`location`: the user file's absolute path, None for a built-in name).

    `user_source` and `builtin_stamp` are not used here: they only key the cache.
    """
    path = Path(location) if location is not None else None
    env = _environment(path.parent if path is not None else None)
    filename = path.name if path is not None else f"{name_or_path}.j2"
    try:
        template = env.get_template(filename)
    except jinja2.TemplateNotFound as exc:
        known = ", ".join(builtin_templates())
        raise ConfigError(f"unknown prompt template {name_or_path!r}; built-in templates: {known}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"template {exc.filename or filename}, line {exc.lineno}: {exc.message}") from exc
    blocks = _block_chain(env, template)
    missing = [block for block in BLOCKS if block not in blocks]
    if missing:
        raise ConfigError(
            f"template {filename} must define the blocks {{% block system %}} and {{% block user %}}; "
            f"missing: {', '.join(missing)}"
        )
    return PromptTemplate(name=name_or_path, template=template, hash=template_hash(env, filename), blocks=blocks)


def _block_chain(env: jinja2.Environment, template: jinja2.Template) -> dict[str, list[Any]]:
    """Blocks of `template` and of every template it extends, so a child may override one block.

    Jinja only links parent blocks while rendering the whole template; rendering one message
    at a time needs the chain up front.
    """
    chain: dict[str, list[Any]] = {}
    current: jinja2.Template | None = template
    seen: set[str] = set()
    while current is not None and current.name not in seen:
        seen.add(current.name or "")
        for name, func in current.blocks.items():
            chain.setdefault(name, []).append(func)
        source, _, _ = env.loader.get_source(env, current.name)  # type: ignore[union-attr, arg-type]
        extends = env.parse(source).find(jinja2.nodes.Extends)
        parent = getattr(extends.template, "value", None) if extends is not None else None
        current = env.get_template(parent) if parent else None
    return chain


def template_hash(env: jinja2.Environment, filename: str) -> str:
    """sha256 over the source of `filename` and, recursively, every template it extends or includes."""
    digest = hashlib.sha256()
    seen: set[str] = set()
    pending = [filename]
    while pending:
        current = pending.pop(0)
        if current in seen:
            continue
        seen.add(current)
        source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        digest.update(current.encode() + b"\0" + source.encode() + b"\0")
        pending.extend(ref for ref in jinja2.meta.find_referenced_templates(env.parse(source)) if ref)
    return digest.hexdigest()


def _environment(user_dir: Path | None) -> jinja2.Environment:
    """User directory first (so their files win), then the built-in templates (for `extends`)."""
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.PackageLoader(TEMPLATE_PACKAGE, "."))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,  # a typo in a variable name fails loudly, not silently empty
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # prompts are plain text, not HTML
    )
