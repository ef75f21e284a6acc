"""Matching primitives: name normalisation, value tolerance and optimal one-to-one assignment.

Scoring a list field means pairing gold items with predicted items. Greedy pairing can lose
matches (gold A fits predictions 1 and 2, gold B only fits 1), so pairs come from a maximum
assignment (`scipy.optimize.linear_sum_assignment`); most documents have small, unambiguous
compatibility matrices, which `assign` settles without calling scipy at all.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from llmx.recognize.names import LEGAL_SUFFIXES, company_key, normalise_text  # noqa: F401 (re-exported)

normalise_company = company_key  # the eval harness's name for it


def relative_error(gold: float, predicted: float) -> float:
    """|predicted - gold| relative to |gold| (0 when both are 0, infinite when only gold is 0)."""
    if gold == predicted:
        return 0.0
    if gold == 0:
        return float("inf")
    return abs(predicted - gold) / abs(gold)


def assign(compatible: np.ndarray, quality: np.ndarray | None = None) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) of a maximum one-to-one matching.

    `compatible[i, j]` says gold i may pair with prediction j. The number of pairs is maximised
    first; among matchings with equally many pairs the one with the highest total `quality`
    (values in [0, 1], e.g. closeness of the values) wins. Pairs are sorted by gold index.
    """
    n_gold, n_pred = compatible.shape
    if n_gold == 0 or n_pred == 0 or not compatible.any():
        return []
    row_hits = compatible.sum(axis=1)
    col_hits = compatible.sum(axis=0)
    if row_hits.max() <= 1 and col_hits.max() <= 1:  # unambiguous: every candidate is unique
        rows, cols = np.nonzero(compatible)
        return list(zip(rows.tolist(), cols.tolist()))
    # Each pair is worth 1 plus a quality bonus too small to ever outweigh one extra pair.
    bonus = np.zeros(compatible.shape) if quality is None else np.clip(quality, 0.0, 1.0)
    weight = np.where(compatible, 1.0 + bonus / (min(n_gold, n_pred) + 1), 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols) if compatible[i, j]]
