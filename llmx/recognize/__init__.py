"""Deterministic recognizers: money amounts and exchange listings, with spans into the original text."""

from __future__ import annotations

from dataclasses import dataclass, field

from llmx.recognize.money import MoneyMention, find_money
from llmx.recognize.tickers import TickerMention, find_tickers

__all__ = ["Mentions", "MoneyMention", "TickerMention", "find_money", "find_tickers", "recognize"]


@dataclass(frozen=True, slots=True)
class Mentions:
    """Everything the recognizers found in one text, in text order."""

    money: list[MoneyMention] = field(default_factory=list)
    tickers: list[TickerMention] = field(default_factory=list)

    def to_dicts(self) -> list[dict]:
        items = [m.to_dict() for m in self.money] + [t.to_dict() for t in self.tickers]
        return sorted(items, key=lambda item: tuple(item["span"]))


def recognize(text: str) -> Mentions:
    """Find every money amount and ticker listing in `text`."""
    return Mentions(money=find_money(text), tickers=find_tickers(text))
