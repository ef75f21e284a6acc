"""Counting and averaging: precision/recall/F1, accuracies, latency and cost summaries.

Conventions (also in docs/evaluation.md): with nothing predicted, precision is 1 if nothing was
to be found and 0 otherwise; recall likewise with nothing in gold. So an empty prediction on an
empty gold scores P = R = F1 = 1, and any one-sided emptiness scores 0. An accuracy over zero
items is undefined (None) and left out of averages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence


@dataclass(frozen=True)
class Counts:
    """True positives, false positives (spurious) and false negatives (missed)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else (1.0 if self.fn == 0 else 0.0)

    @property
    def recall(self) -> float:
        expected = self.tp + self.fn
        return self.tp / expected if expected else (1.0 if self.fp == 0 else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def scores(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}

    def to_dict(self) -> dict[str, int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(frozen=True)
class Accuracy:
    """Correct out of total; value None when nothing was compared."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> "Accuracy":
        return Accuracy(self.correct + int(ok), self.total + 1)

    def __add__(self, other: "Accuracy") -> "Accuracy":
        return Accuracy(self.correct + other.correct, self.total + other.total)

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values, None when there are none."""
    defined = [v for v in values if v is not None]
    return math.fsum(defined) / len(defined) if defined else None


def mean_scores(scores: Sequence[dict[str, float]]) -> dict[str, float | None]:
    """Key-wise mean of per-document score dicts (macro average)."""
    keys = ("precision", "recall", "f1")
    return {key: mean(s[key] for s in scores) for key in keys}


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default method); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(latencies: Sequence[float]) -> dict[str, Any]:
    """Seconds per document: mean, p50, p95, max over the records that report a latency."""
    return {
        "documents": len(latencies),
        "mean_s": mean(latencies),
        "p50_s": percentile(latencies, 50),
        "p95_s": percentile(latencies, 95),
        "max_s": max(latencies) if latencies else None,
    }


def cost_summary(usages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Totals of the `meta.usage` blocks (calls, tokens, retries, re-asks, cache hits)."""
    totals = {key: sum(int(u.get(key) or 0) for u in usages) for key in ("calls", "prompt_tokens", "completion_tokens", "retries", "reasks")}
    totals["total_tokens"] = totals["prompt_tokens"] + totals["completion_tokens"]
    totals["cached"] = sum(1 for u in usages if u.get("cached"))
    totals["documents"] = len(usages)
    totals["tokens_per_document"] = totals["total_tokens"] / len(usages) if usages else None
    return totals
