"""Ticker (exchange listing) recognizer. (Interface fixed; implementation: see issue #2.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class TickerMention:
    symbol: str
    exchange: str
    text: str
    span: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {"type": "ticker", "symbol": self.symbol, "exchange": self.exchange, "text": self.text, "span": list(self.span)}


def find_tickers(text: str) -> list[TickerMention]:
    """Every exchange listing in `text` (one mention per listing printed), in text order."""
    raise NotImplementedError
