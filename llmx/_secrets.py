"""Masking secrets (API keys, URL credentials) out of anything llmx writes, logs or raises."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

_KEY_PATTERN = re.compile(r"\b(sk-[A-Za-z0-9_\-]{3})[A-Za-z0-9_\-]{8,}")
_MASK = "***"
_MIN_SECRET = 4  # shorter strings would mask ordinary words


class Redactor:
    """Masks the given secrets and anything shaped like an OpenAI key (`sk-abc***`) in a text."""

    def __init__(self, *secrets: str | None) -> None:
        self._secrets = sorted({s for s in secrets if s and len(s) >= _MIN_SECRET}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, _MASK)
        return _KEY_PATTERN.sub(rf"\1{_MASK}", text)


def url_secrets(url: str | None) -> list[str]:
    """The parts of a URL that may be credentials: password, user name, query string."""
    if not url:
        return []
    parts = urlsplit(url)
    return [s for s in (parts.password, parts.username, parts.query) if s]


def redact(message: str, secrets: Iterable[str | None] = ()) -> str:
    """`message` with every given secret and anything shaped like an OpenAI key masked."""
    return Redactor(*secrets)(message)
