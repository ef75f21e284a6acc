"""Where llmx keeps files between runs (response cache, ticker registry): one answer for all of them."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_cache_dir() -> Path:
    """`$LLMX_CACHE_DIR`, else the platform's user cache directory + /llmx."""
    if override := os.environ.get("LLMX_CACHE_DIR"):
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "llmx"
