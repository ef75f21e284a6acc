"""What an evaluation ran on: backend, model, endpoint, prompt, documents — and whether two runs compare.

A metrics.json without its configuration cannot be trusted as a baseline: a gate that compares
a run on 8 documents with a baseline made on 35, or a local-model run with a rules baseline,
passes or fails for reasons that have nothing to do with the code. `provenance()` records the
configuration in metrics.json; `mismatches()` lists what differs from a baseline's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from llmx.options import ExtractOptions

# Keys that must agree for a baseline comparison to mean anything (llmx_version and cache hits may differ).
CONFIG_KEYS = ("documents", "documents_sha256", "backend", "model", "mode", "labels", "template_hash", "base_url")


def public_url(url: str | None) -> str | None:
    """`url` without user, password, query or fragment: "https://k:s@h/v1?key=x" -> "https://h/v1"."""
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def documents_digest(docs: Iterable[tuple[str, str]]) -> str:
    """sha256 over the sorted (id, text) pairs: the same digest means the same documents."""
    digest = hashlib.sha256()
    for doc_id, text in sorted(docs):
        digest.update(doc_id.encode() + b"\0" + hashlib.sha256(text.encode()).hexdigest().encode() + b"\n")
    return digest.hexdigest()


def _one_or_many(values: Iterable[Any]) -> Any:
    distinct = sorted({str(v) for v in values if v is not None})
    if not distinct:
        return None
    return distinct[0] if len(distinct) == 1 else distinct


def _setting_name(value: Any) -> str | None:
    """A setting as provenance prints it: a name stays a name, an object becomes its repr or class."""
    if value is None or isinstance(value, str):
        return value
    if hasattr(value, "__fspath__"):
        return str(value)
    name = getattr(value, "name", None)  # a Backend or a PromptTemplate instance
    return str(name) if isinstance(name, str) else repr(value) if hasattr(value, "__dataclass_fields__") else type(value).__name__


def provenance(
    *,
    docs: Sequence[tuple[str, str]],
    metas: Sequence[Mapping[str, Any]],
    gold: str,
    version: str,
    options: ExtractOptions | None = None,
    predictions: str | None = None,
) -> dict[str, Any]:
    """The provenance block of metrics.json.

    `metas` are the records' `meta` blocks: what actually ran (backend, model, mode, prompt hash)
    wins over the requested `options` (the `ExtractOptions` the eval extracted with; None when
    it scored a predictions file), which fill in only what the records do not say.
    """
    def pick(key: str, requested: Any) -> Any:
        return _one_or_many(m.get(key) for m in metas) or requested

    return {
        "backend": pick("backend", _setting_name(options.backend) if options else None),
        "model": pick("model", options.model if options else None),
        "mode": pick("mode", options.mode if options else None),
        "base_url": public_url(options.base_url if options else None),
        "labels": _setting_name(options.labels) if options else None,
        "template_hash": pick("prompt_hash", None),
        "llmx_version": version,
        "gold": gold,
        "predictions": predictions,
        "documents": len(docs),
        "documents_sha256": documents_digest(docs),
        "cache_hits": sum(1 for m in metas if (m.get("usage") or {}).get("cached")),
    }


def mismatches(current: Mapping[str, Any], baseline: Mapping[str, Any] | None, keys: Sequence[str] = CONFIG_KEYS) -> list[str]:
    """Human-readable differences between two provenance blocks on `keys` (a missing block differs)."""
    if not baseline:
        return ["the baseline records no provenance (made before llmx recorded it); regenerate it"]
    return [f"{key}: baseline {baseline.get(key)!r}, this run {current.get(key)!r}" for key in keys if baseline.get(key) != current.get(key)]
