"""A SQLite cache of validated model replies, so re-running an extraction costs nothing.

The key is a sha256 over everything that determines the reply (endpoint, model, messages,
response schema, instructor mode, sampling parameters) and nothing secret: API keys and URL
credentials never reach the key or the file. The stored value is the validated reply as JSON;
a hit is validated again with the *current* validation context, so a changed validator can
reject a stale entry (which then counts as a miss).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ValidationError

from llmx.backends.base import Completion
from llmx.dirs import default_cache_dir
from llmx.schema import Usage

T = TypeVar("T", bound=BaseModel)

log = logging.getLogger(__name__)

CACHE_FILENAME = "responses.sqlite3"
_KEY_VERSION = 1  # bump when the key recipe changes, so old entries are simply never hit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    schema_name TEXT NOT NULL,
    value TEXT NOT NULL,
    raw TEXT,
    created_at REAL NOT NULL
)
"""




def public_url(url: str | None) -> str | None:
    """`url` without user credentials or query string (which may carry keys)."""
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


@functools.lru_cache(maxsize=256)
def _schema_of(response_model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of a class (worked out once: it costs about a millisecond; never mutated)."""
    return response_model.model_json_schema()


def cache_key(
    *,
    endpoint: str | None,
    model: str,
    messages: list[dict[str, Any]],
    response_model: type[BaseModel],
    mode: str,
    params: dict[str, Any] | None = None,
) -> str:
    """The sha256 hex digest identifying one structured request (credentials excluded)."""
    recipe = {
        "v": _KEY_VERSION,
        "endpoint": public_url(endpoint),
        "model": model,
        "messages": messages,
        "schema": _schema_of(response_model),
        "schema_name": response_model.__name__,
        "mode": mode,
        "params": params or {},
    }
    canonical = json.dumps(recipe, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedReply:
    value: str  # the validated reply, as JSON
    raw: str | None  # what the model literally said


class ResponseCache:
    """A SQLite file of replies, safe to share between threads, asyncio tasks and processes.

    One connection guarded by a lock serves all threads of a process (each operation is a single
    short statement); WAL mode plus a busy timeout lets several processes share the file.
    The file is created on first use.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_dir() / CACHE_FILENAME
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def __repr__(self) -> str:
        return f"ResponseCache({str(self.path)!r})"

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            self._conn = conn
        return self._conn

    def get(self, key: str) -> CachedReply | None:
        with self._lock:
            row = self._connection().execute("SELECT value, raw FROM responses WHERE key = ?", (key,)).fetchone()
        return CachedReply(value=row[0], raw=row[1]) if row else None

    def completion(
        self, key: str, response_model: type[T], validation_context: dict[str, Any] | None, *, strict: bool | None = None
    ) -> Completion[T] | None:
        """The stored reply re-validated with the current context, or None (miss or stale entry)."""
        hit = self.get(key)
        if hit is None:
            return None
        try:
            value = response_model.model_validate_json(hit.value, context=validation_context, strict=strict)
        except ValidationError as exc:
            log.info("cached reply no longer validates (%d errors); asking the model again", exc.error_count())
            return None
        return Completion(value=value, usage=Usage(cached=True), raw=hit.raw)

    def put(self, key: str, *, value: str, raw: str | None, model: str, schema_name: str) -> None:
        with self._lock:
            self._connection().execute(
                "INSERT OR REPLACE INTO responses (key, model, schema_name, value, raw, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key, model, schema_name, value, raw, time.time()),
            )

    def delete(self, key: str) -> None:
        with self._lock:
            self._connection().execute("DELETE FROM responses WHERE key = ?", (key,))

    def clear(self) -> None:
        with self._lock:
            self._connection().execute("DELETE FROM responses")

    def __len__(self) -> int:
        with self._lock:
            return self._connection().execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def resolve_cache(cache: "ResponseCache | str | os.PathLike[str] | bool | None") -> ResponseCache | None:
    """Accept the forms users pass: None/False (off), True (default location), a path, or a cache."""
    if cache is None or cache is False:
        return None
    if cache is True:
        return ResponseCache()
    if isinstance(cache, ResponseCache):
        return cache
    if isinstance(cache, (str, os.PathLike)):
        path = Path(cache)
        return ResponseCache(path / CACHE_FILENAME if path.is_dir() else path)
    raise TypeError(f"cache must be None, a bool, a path or a ResponseCache, not {type(cache).__name__}")
