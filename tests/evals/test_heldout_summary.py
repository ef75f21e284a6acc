"""scripts/heldout_summary.py pools held-out sets by counts, not by averaging their ratios."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("heldout_summary", ROOT / "scripts" / "heldout_summary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _metrics(docs, amounts_tp, kind, companies, issuer):
    tp, fp, fn = companies
    return {
        "documents": docs,
        "amounts": {"tp": amounts_tp, "fp": 0, "fn": 1, "kind_accuracy": kind, "status_accuracy": 1.0},
        "tickers": {"tp": 1, "fp": 0, "fn": 0},
        "issuer": {"name_accuracy": issuer},
        "companies": {"tp": tp, "fp": fp, "fn": fn},
        "date": {"accuracy": 1.0},
    }


def test_pooled_figures_weight_each_set_by_what_it_counts():
    summary = _script()
    small = summary._counts(_metrics(docs=10, amounts_tp=10, kind=0.5, companies=(1, 1, 0), issuer=0.5))
    large = summary._counts(_metrics(docs=30, amounts_tp=90, kind=1.0, companies=(9, 0, 1), issuer=1.0))
    pooled = summary._row({key: small[key] + large[key] for key in small})
    assert pooled["kind"] == (5 + 90) / 100  # not (0.5 + 1.0) / 2
    assert pooled["issuer"] == (5 + 30) / 40
    assert pooled["amounts R"] == 100 / 102
    assert abs(pooled["companies F1"] - 2 * (10 / 11) * (10 / 11) / (20 / 11)) < 1e-12
