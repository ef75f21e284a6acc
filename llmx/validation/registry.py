"""A local ticker registry (symbol -> company name, exchange) for optional validator checks.

The registry is the SEC's public `company_tickers_exchange.json` (US-listed issuers), fetched
once by `llmx tickers update` into a user cache directory and read from disk afterwards, so
validation itself never touches the network. Non-US listings (TSX, ASX, ...) are absent from it,
which is why the checks that use it only raise warnings.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llmx.errors import ConfigError
from llmx.dirs import default_cache_dir

if TYPE_CHECKING:
    import httpx

__all__ = [
    "REGISTRY_FILENAME",
    "SEC_TICKERS_URL",
    "RegistryEntry",
    "RegistryError",
    "TickerRegistry",
    "default_cache_dir",
    "load_cached_registry",
    "update_registry",
]

SEC_TICKERS_URL = "https://www.sec.gov/files/company_tickers_exchange.json"
REGISTRY_FILENAME = "company_tickers_exchange.json"
# The SEC asks automated clients to identify themselves; override with LLMX_SEC_USER_AGENT.
DEFAULT_USER_AGENT = "llmx ticker-registry updater (set LLMX_SEC_USER_AGENT to 'Name email')"


class RegistryError(ConfigError):
    """The ticker registry cannot be read or fetched."""


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    symbol: str
    name: str
    exchange: str | None = None
    cik: int | None = None


def symbol_key(symbol: str) -> str:
    """Registry lookup key: the SEC writes class shares as BRK-B where releases print BRK.B."""
    return symbol.strip().upper().replace(".", "-").replace("/", "-")


class TickerRegistry:
    """Immutable symbol -> entries index (one symbol can map to several share classes/CIKs)."""

    def __init__(self, entries: list[RegistryEntry]):
        index: dict[str, list[RegistryEntry]] = defaultdict(list)
        for entry in entries:
            index[symbol_key(entry.symbol)].append(entry)
        self._index = {key: tuple(value) for key, value in index.items()}

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._index.values())

    def __contains__(self, symbol: object) -> bool:
        return isinstance(symbol, str) and symbol_key(symbol) in self._index

    def lookup(self, symbol: str) -> tuple[RegistryEntry, ...]:
        """Every registry entry for `symbol` (empty when unknown)."""
        return self._index.get(symbol_key(symbol), ())

    @classmethod
    def from_sec_json(cls, data: Any) -> "TickerRegistry":
        """Build from the SEC layout {"fields": [...], "data": [[cik, name, ticker, exchange], ...]}."""
        if not isinstance(data, dict) or not isinstance(data.get("fields"), list) or not isinstance(data.get("data"), list):
            raise RegistryError('registry JSON must look like {"fields": [...], "data": [[...], ...]} (SEC layout)')
        fields = [str(name).lower() for name in data["fields"]]
        missing = {"ticker", "name"} - set(fields)
        if missing:
            raise RegistryError(f"registry JSON lacks fields {sorted(missing)}; has {fields}")
        entries = []
        for row in data["data"]:
            record = dict(zip(fields, row))
            if record.get("ticker") and record.get("name"):
                cik = record.get("cik")
                entries.append(
                    RegistryEntry(str(record["ticker"]), str(record["name"]), record.get("exchange"), int(cik) if cik else None)
                )
        return cls(entries)

    @classmethod
    def load(cls, path: str | Path) -> "TickerRegistry":
        """Read a registry file (SEC layout)."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise RegistryError(f"no ticker registry at {path}; run `llmx tickers update` first") from exc
        except (OSError, json.JSONDecodeError) as exc:
            raise RegistryError(f"cannot read ticker registry {path}: {exc}") from exc
        return cls.from_sec_json(data)




def load_cached_registry(cache_dir: str | Path | None = None) -> TickerRegistry | None:
    """The registry saved by `llmx tickers update`, or None if it was never fetched."""
    path = Path(cache_dir or default_cache_dir()) / REGISTRY_FILENAME
    return TickerRegistry.load(path) if path.is_file() else None


def update_registry(
    dest: str | Path | None = None,
    *,
    url: str = SEC_TICKERS_URL,
    user_agent: str | None = None,
    client: httpx.Client | None = None,
    timeout: float = 30.0,
) -> tuple[Path, int]:
    """Fetch the SEC ticker file into `dest` (a directory); return (file path, entry count).

    The download is parsed before it replaces the cached copy, so a failed or garbled fetch
    never destroys a good registry.
    """
    import httpx  # here: only `llmx tickers update` downloads; every CLI start paid ~25 ms of CPU to import it

    directory = Path(dest or default_cache_dir())
    headers = {"User-Agent": user_agent or os.environ.get("LLMX_SEC_USER_AGENT") or DEFAULT_USER_AGENT}
    owns_client = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        response = http.get(url, headers=headers)
        response.raise_for_status()
    except (httpx.ConnectError, httpx.TimeoutException) as exc:
        raise RegistryError(f"cannot reach {url} ({exc.__class__.__name__}: {exc}); are you offline?") from exc
    except httpx.HTTPStatusError as exc:
        raise RegistryError(f"{url} answered HTTP {exc.response.status_code}; the SEC rejects requests without a "
                            "descriptive User-Agent, set LLMX_SEC_USER_AGENT='Your Name you@example.com'") from exc
    except httpx.HTTPError as exc:
        raise RegistryError(f"fetching {url} failed: {exc}") from exc
    finally:
        if owns_client:
            http.close()
    try:
        registry = TickerRegistry.from_sec_json(response.json())
    except json.JSONDecodeError as exc:
        raise RegistryError(f"{url} did not return JSON: {exc}") from exc
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / REGISTRY_FILENAME
    partial = target.with_suffix(".json.partial")
    partial.write_bytes(response.content)
    partial.replace(target)
    return target, len(registry)
