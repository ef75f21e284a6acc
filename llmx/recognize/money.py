"""Money recognizer. (Interface fixed; implementation: see issue #2.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class MoneyMention:
    value: float
    currency: str
    text: str
    span: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {"type": "money", "value": self.value, "currency": self.currency, "text": self.text, "span": list(self.span)}


def find_money(text: str) -> list[MoneyMention]:
    """Every money amount in `text`, in text order; ranges yield one mention per bound."""
    raise NotImplementedError
