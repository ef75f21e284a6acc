"""Score the recognizers against gold annotations (precision/recall of amounts and listings).

Follows the gold conventions: gold has one amount per exactly distinct (value, currency), so
predicted money mentions are de-duplicated the same way before matching. $3.00 and $2.999, or a
rounded "$412.7 million" and an exact table cell of 412,718 thousand, stay two amounts even
though they agree within the matching tolerance. A gold value then matches the closest
predicted value of its currency within 0.5 % relative, one-to-one. Gold has one ticker per
symbol with the exchange printed first, so predicted listings keep the first exchange printed
for each symbol and a match needs symbol AND exchange.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable

from llmx.evaluate.gold import GoldDoc
from llmx.recognize import find_money, find_tickers

RELATIVE_TOLERANCE = 0.005


def values_match(a: float, b: float, tolerance: float = RELATIVE_TOLERANCE) -> bool:
    """True when two amounts agree within `tolerance` relative to the larger magnitude."""
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


@dataclass
class PRCounts:
    """True positives, false positives and false negatives, plus the misses for inspection."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class RecognizerScores:
    money: PRCounts = field(default_factory=PRCounts)
    tickers: PRCounts = field(default_factory=PRCounts)


def _distinct_money(text: str) -> list[tuple[float, str]]:
    """Exactly distinct (value, currency) pairs, in first-printed order (float noise aside)."""
    distinct: list[tuple[float, str]] = []
    for mention in find_money(text):
        if not any(c == mention.currency and math.isclose(v, mention.value, rel_tol=1e-9) for v, c in distinct):
            distinct.append((mention.value, mention.currency))
    return distinct


def _closest_match(predicted: list[tuple[float, str]], value: float, currency: str) -> int | None:
    """Index of the predicted amount of `currency` closest to `value`, if one is within tolerance."""
    candidates = [(abs(v - value), i) for i, (v, c) in enumerate(predicted) if c == currency and values_match(v, value)]
    return min(candidates)[1] if candidates else None


def _first_listing_per_symbol(text: str) -> dict[str, str]:
    listings: dict[str, str] = {}
    for mention in find_tickers(text):
        listings.setdefault(mention.symbol, mention.exchange)
    return listings


def score_docs(docs: Iterable[GoldDoc]) -> RecognizerScores:
    """Precision/recall of `find_money` and `find_tickers` over gold documents."""
    scores = RecognizerScores()
    for doc in docs:
        predicted = _distinct_money(doc.text)
        for amount in doc.gold.get("amounts", []):
            gold_value, gold_currency = float(amount["value"]), amount.get("currency", "USD")
            hit = _closest_match(predicted, gold_value, gold_currency)
            if hit is None:
                scores.money.fn += 1
                scores.money.false_negatives.append(f"{doc.id}: {amount.get('text')!r} = {gold_value:g} {gold_currency}")
            else:
                scores.money.tp += 1
                predicted.pop(hit)
        scores.money.fp += len(predicted)
        scores.money.false_positives += [f"{doc.id}: {v:g} {c}" for v, c in predicted]

        listings = _first_listing_per_symbol(doc.text)
        for ticker in doc.gold.get("tickers", []):
            symbol, exchange = ticker["symbol"], ticker.get("exchange")
            if listings.get(symbol) == exchange:
                scores.tickers.tp += 1
                del listings[symbol]
            else:
                scores.tickers.fn += 1
                scores.tickers.false_negatives.append(f"{doc.id}: {symbol} {exchange} (found {listings.get(symbol)})")
        scores.tickers.fp += len(listings)
        scores.tickers.false_positives += [f"{doc.id}: {s} {e}" for s, e in listings.items()]
    return scores
