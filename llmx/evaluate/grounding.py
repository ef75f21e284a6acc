"""Hallucination check: does a predicted amount or ticker occur anywhere in the source text?

Independent of gold: an amount is grounded when the money recognizer finds a mention with the
same currency and a value within 0.5 %; a ticker when the ticker recognizer finds that symbol
or the symbol appears in the text as a whole upper-case word. Recognizers run once per
distinct text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from llmx.evaluate.match import relative_error
from llmx.recognize import Mentions, recognize
from llmx.schema import AMOUNT_TOLERANCE

DEFAULT_REL_TOL = AMOUNT_TOLERANCE


@dataclass
class Grounding:
    """Per predicted item, whether it was found in the source (same order as the record)."""

    amounts: list[bool] = field(default_factory=list)
    tickers: list[bool] = field(default_factory=list)

    @property
    def ungrounded_amounts(self) -> list[int]:
        return [i for i, ok in enumerate(self.amounts) if not ok]

    @property
    def ungrounded_tickers(self) -> list[int]:
        return [i for i, ok in enumerate(self.tickers) if not ok]

    def to_dict(self) -> dict[str, Any]:
        return {"ungrounded_amounts": self.ungrounded_amounts, "ungrounded_tickers": self.ungrounded_tickers}


@dataclass
class _SourceFacts:
    money: dict[str, list[float]]  # currency -> values printed in the text
    symbols: set[str]
    text: str
    words: dict[str, bool] = field(default_factory=dict)  # symbol -> occurs as a whole word

    def has_word(self, symbol: str) -> bool:
        if symbol not in self.words:
            pattern = rf"(?<![\w.]){re.escape(symbol)}(?![\w]|\.\w)"
            self.words[symbol] = re.search(pattern, self.text) is not None
        return self.words[symbol]


def amount_is_grounded(value: Any, currency: Any, money: Mapping[str, Sequence[float]], rel_tol: float = DEFAULT_REL_TOL) -> bool:
    """True when some recognized mention has this currency and a value within `rel_tol`."""
    try:
        target = float(value)
    except (TypeError, ValueError):
        return False
    candidates = money.get(str(currency or "USD").upper(), ())
    # `candidates` is sorted: only values within rel_tol of the target can match.
    low = bisect_left(candidates, target - abs(target) * rel_tol * 1.01)
    high = bisect_right(candidates, target + abs(target) * rel_tol * 1.01)
    return any(relative_error(found, target) <= rel_tol for found in candidates[low:high])


class GroundingChecker:
    """Checks records against their source text, caching the recognizers' output per text.

    `recognizer` defaults to `llmx.recognize.recognize`; tests may pass a function returning
    `Mentions` built by hand. `available` turns False if the recognizers are not implemented,
    and the hallucination rate is then reported as unknown instead of guessed.
    """

    def __init__(self, recognizer: Callable[[str], Mentions] = recognize, rel_tol: float = DEFAULT_REL_TOL) -> None:
        self._recognizer = recognizer
        self._rel_tol = rel_tol
        self._facts: dict[str, _SourceFacts] = {}
        self.available = True

    def _facts_for(self, text: str) -> _SourceFacts | None:
        facts = self._facts.get(text)
        if facts is None and self.available:
            try:
                mentions = self._recognizer(text)
            except NotImplementedError:
                self.available = False
                return None
            money: dict[str, list[float]] = {}
            for mention in mentions.money:
                money.setdefault(mention.currency.upper(), []).append(float(mention.value))
            for values in money.values():
                values.sort()
            symbols = {mention.symbol.upper() for mention in mentions.tickers}
            facts = self._facts[text] = _SourceFacts(money=money, symbols=symbols, text=text)
        return facts

    def check(self, text: str, record: Mapping[str, Any]) -> Grounding | None:
        """Grounding of every predicted amount and ticker; None when recognizers are unavailable."""
        facts = self._facts_for(text)
        if facts is None:
            return None
        amounts = [amount_is_grounded(a.get("value"), a.get("currency"), facts.money, self._rel_tol) for a in record.get("amounts") or []]
        tickers = []
        for ticker in record.get("tickers") or []:
            symbol = str(ticker.get("symbol") or "").strip().upper()
            tickers.append(bool(symbol) and (symbol in facts.symbols or facts.has_word(symbol)))
        return Grounding(amounts=amounts, tickers=tickers)
