"""Masking secrets (API keys, URL credentials) out of anything llmx writes or raises."""

from __future__ import annotations

import re
from collections.abc import Iterable

_KEY_PATTERN = re.compile(r"\b(sk-[A-Za-z0-9_\-]{3})[A-Za-z0-9_\-]{8,}")


def redact(message: str, secrets: Iterable[str | None] = ()) -> str:
    """`message` with every given secret and anything shaped like an OpenAI key masked."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            message = message.replace(secret, "***")
    return _KEY_PATTERN.sub(r"\1***", message)
