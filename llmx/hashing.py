"""The content hash of a document: the key (with its id) that records and reruns are matched by."""

from __future__ import annotations

import hashlib


def content_hash(text: str) -> str:
    """sha256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
