"""Test helper: mentions rebuilt from a gold annotation, so the role rules are tested apart from the recognizers.

Every printed occurrence of each gold amount's `text` becomes a `MoneyMention` (as a recognizer
would report repeats), and every "EXCHANGE: SYMBOL" listing of a gold ticker a `TickerMention`.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from llmx.recognize import Mentions, MoneyMention, TickerMention


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    # A token-bounded match, so "$1" does not match inside "$13 million".
    pattern = re.compile(rf"(?<![\w$]){re.escape(needle)}(?![\d]|[.,]\d)", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


def gold_mentions(gold: Mapping[str, Any], text: str) -> Mentions:
    """Money and ticker mentions located in `text` for every gold amount and ticker."""
    money = []
    for amount in gold.get("amounts", []):
        for start, end in _occurrences(text, amount["text"]):
            money.append(MoneyMention(float(amount["value"]), amount.get("currency", "USD"), text[start:end], (start, end)))
    tickers = []
    for ticker in gold.get("tickers", []):
        symbol = ticker["symbol"]
        listing = re.compile(rf"(?P<exchange>[A-Za-z][A-Za-z .-]{{1,20}}?)\s*:\s*{re.escape(symbol)}\b", re.IGNORECASE)
        for match in listing.finditer(text):
            tickers.append(TickerMention(symbol, ticker.get("exchange") or match.group("exchange"), match.group(0), match.span()))
    return Mentions(money=sorted(money, key=lambda m: m.span), tickers=sorted(tickers, key=lambda t: t.span))
