"""Gate logic: floors, ceilings, baseline regressions — boundaries, direction, every metric family."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from llmx.errors import InputError
from llmx.evaluate import gate
from llmx.evaluate.gold import GoldDoc
from llmx.evaluate.scoring import score_press_releases

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Acme Corp. (Nasdaq: ACME) will pay Beta Bio $2 million upfront and $5 million in milestones.\n"


def sample_metrics() -> dict:
    """A real metrics.json shape (micro, macro, rates, counts), every quality metric below 1."""
    gold = {
        "id": "d1", "date": "2026-01-02", "issuer": {"name": "Acme Corp.", "ticker": "ACME", "exchange": "NASDAQ"},
        "tickers": [{"symbol": "ACME", "exchange": "NASDAQ"}],
        "amounts": [{"value": 2e6, "currency": "USD", "kind": "upfront", "status": "actual"},
                    {"value": 5e6, "currency": "USD", "kind": "milestone", "status": "potential"}],
        "companies": ["Acme Corp.", "Beta Bio"],
    }
    docs = [GoldDoc(id=i, text=TEXT, gold={**gold, "id": i}) for i in ("d1", "d2")]
    good = {**gold, "companies": [{"name": "Acme Corp."}, {"name": "Beta Bio"}]}
    worse = {**good, "date": None, "issuer": {"name": "Acme Corp.", "ticker": None, "exchange": None},
             "amounts": [{**gold["amounts"][0], "kind": "other", "status": "potential"}, {"value": 7e6, "currency": "USD"}],
             "tickers": [{"symbol": "ACME", "exchange": "NYSE"}, {"symbol": "ZZZ"}], "companies": [{"name": "Gamma"}]}
    return score_press_releases(docs, {"d1": good, "d2": {**worse, "id": "d2"}}).metrics()


def set_path(metrics: dict, path: str, value: float) -> dict:
    out = copy.deepcopy(metrics)
    node = out
    *parents, leaf = path.split(".")
    for part in parents:
        node = node[part]
    node[leaf] = value
    return out


BASE = sample_metrics()
GATED = gate.gated_metrics(BASE)


def worsened(path: str, by: float) -> dict:
    before = gate.lookup(BASE, path)
    return set_path(BASE, path, before + by if path in gate.LOWER_IS_BETTER else before - by)


def test_the_gated_set_covers_every_family() -> None:
    families = {"precision", "recall", "f1", "kind_accuracy", "status_accuracy", "exchange_accuracy", "name_accuracy", "ticker_accuracy", "accuracy"}
    micro = {p.rsplit(".", 1)[-1] for p in GATED if p.split(".")[0] in ("amounts", "tickers", "issuer", "companies", "date")}
    macro = {p.rsplit(".", 1)[-1] for p in GATED if p.startswith("macro.")}
    assert micro == families and macro == families
    assert {"hallucination_rate", "unrecognized_rate", "documents", "predictions.scored"} <= set(GATED)
    assert not any(p.startswith(("cost.", "latency.")) or p.endswith((".tp", ".fp", ".fn")) for p in GATED)


@pytest.mark.parametrize("path", sorted(GATED))
def test_each_gated_metric_fails_alone_when_it_worsens(path: str) -> None:
    failures = gate.check_baseline(worsened(path, 0.01 if path not in gate.COUNT_KEYS else 1), BASE, max_drop=0.0)
    assert [f.metric for f in failures] == [path]


@pytest.mark.parametrize("path", sorted(p for p in GATED if p not in gate.COUNT_KEYS))
def test_improvements_never_fail(path: str) -> None:
    assert gate.check_baseline(worsened(path, -0.01), BASE, max_drop=0.0) == []


def test_boundary_a_drop_equal_to_the_tolerance_passes_and_just_over_fails() -> None:
    at = set_path(BASE, "amounts.f1", BASE["amounts"]["f1"] - 0.02)
    over = set_path(BASE, "amounts.f1", BASE["amounts"]["f1"] - 0.0201)
    assert gate.check_baseline(at, BASE, max_drop=0.02) == []
    (failure,) = gate.check_baseline(over, BASE, max_drop=0.02)
    assert failure.metric == "amounts.f1" and "dropped by 0.0201" in failure.reason


def test_zero_tolerance_catches_the_smallest_drop() -> None:
    one_amount_lost = set_path(BASE, "amounts.recall", BASE["amounts"]["recall"] - 1 / 259)
    assert [f.metric for f in gate.check_baseline(one_amount_lost, BASE, max_drop=0.0)] == ["amounts.recall"]


def test_direction_lower_is_better_rates_fail_on_a_rise_not_on_a_fall() -> None:
    for name in ("hallucination_rate", "unrecognized_rate", "printed.amounts.rate", "grounding.amounts.rate"):
        rose = set_path(BASE, name, gate.lookup(BASE, name) + 0.05)
        fell = set_path(BASE, name, max(0.0, gate.lookup(BASE, name) - 0.05))
        (failure,) = gate.check_baseline(rose, BASE, max_drop=0.02)
        assert failure.metric == name and "rose by 0.0500" in failure.reason
        assert gate.check_baseline(fell, BASE, max_drop=0.02) == []


def test_document_counts_may_not_drop_whatever_the_tolerance() -> None:
    fewer = set_path(set_path(BASE, "documents", BASE["documents"] - 1), "predictions.scored", BASE["predictions"]["scored"] - 1)
    for tolerance in (0.5, 1.0, 5.0):  # a tolerance meant for ratios never excuses a lost document
        assert sorted(f.metric for f in gate.check_baseline(fewer, BASE, max_drop=tolerance)) == ["documents", "predictions.scored"]


def test_a_metric_missing_from_the_run_is_a_failure() -> None:
    current = copy.deepcopy(BASE)
    del current["macro"]["amounts"]["kind_accuracy"]
    current["date"]["accuracy"] = None
    failures = {f.metric: f for f in gate.check_baseline(current, BASE, max_drop=0.5)}
    assert set(failures) == {"macro.amounts.kind_accuracy", "date.accuracy"}
    assert all(f.value is None and "now undefined" in f.reason for f in failures.values())


def test_floors_and_ceilings_boundaries_and_undefined_values() -> None:
    f1 = BASE["amounts"]["f1"]
    assert gate.check_floors(BASE, {"amounts.f1": f1}) == []
    assert [f.metric for f in gate.check_floors(BASE, {"amounts.f1": f1 + 1e-9})] == ["amounts.f1"]
    rate = BASE["hallucination_rate"]
    assert gate.check_floors(BASE, {}, {"hallucination_rate": rate}) == []
    (over,) = gate.check_floors(BASE, {}, {"hallucination_rate": rate - 1e-9})
    assert over.metric == "hallucination_rate" and "above the allowed" in over.reason
    undefined = set_path(BASE, "date.accuracy", None)
    (missing,) = gate.check_floors(undefined, {"date.accuracy": 0.5})
    assert missing.value is None and "undefined" in missing.reason


def test_unknown_gate_names_are_rejected_before_any_run() -> None:
    gate.check_names(["amounts.f1", "macro.companies.recall", "hallucination_rate", "latency.p95_s", "cost.total_tokens"])
    with pytest.raises(InputError, match="'amounts.f2'"):
        gate.check_names(["amounts.f1", "amounts.f2"])
    with pytest.raises(InputError, match="unknown metric"):
        gate.check_floors(BASE, {"hallucinaton_rate": 0.0})


def test_passing_gates_are_described_with_value_and_limit() -> None:
    lines = gate.describe_passes(BASE, {"amounts.f1": 0.1}, {"hallucination_rate": 0.9}, BASE, 0.0)
    assert lines[0] == f"amounts.f1 = {BASE['amounts']['f1']:.4f} >= 0.1"
    assert lines[1] == f"hallucination_rate = {BASE['hallucination_rate']:.4f} <= 0.9"
    assert lines[2].startswith(f"{len(GATED)} metrics within 0.0 of the baseline")


@pytest.mark.parametrize("name", ["own-rules", "own-local", "shared-rules", "shared-local", "corpus-rules"])
def test_committed_baselines_gate_macro_counts_and_both_rates(name: str) -> None:
    baseline = json.loads((ROOT / "evals" / "baselines" / f"{name}.json").read_text(encoding="utf-8"))
    gated = gate.gated_metrics(baseline)
    assert {"macro.amounts.f1", "macro.amounts.kind_accuracy", "documents", "hallucination_rate", "unrecognized_rate"} <= set(gated)
    assert baseline["provenance"]["documents"] == baseline["documents"]
