"""CI gates on metrics.json: absolute floors (`--fail-under`) and regressions against a baseline.

Metric names are dotted paths into metrics.json ("amounts.f1", "macro.tickers.recall"). Most
metrics are better when higher; `LOWER_IS_BETTER` lists those where a rise is the regression,
and `COUNT_KEYS` those (document counts) that may not drop at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from llmx.errors import InputError

# Metrics where a larger value is worse: a baseline comparison flags a rise, not a drop.
LOWER_IS_BETTER: frozenset[str] = frozenset(
    {"hallucination_rate", "printed.amounts.rate", "printed.tickers.rate", "unrecognized_rate", "grounding.amounts.rate", "grounding.tickers.rate"}
)
# Scores compared against a baseline: every quality ratio, micro and macro; no cost or latency.
_QUALITY_KEYS = ("precision", "recall", "f1", "accuracy")
_BASELINE_GROUPS = ("amounts", "tickers", "issuer", "companies", "date")
# Counts that must not drop at all, whatever the tolerance: fewer documents scored is never noise.
COUNT_KEYS: tuple[str, ...] = ("documents", "predictions.scored")


@dataclass(frozen=True)
class Regression:
    metric: str
    value: float | None
    limit: float
    reason: str

    def __str__(self) -> str:
        shown = "missing" if self.value is None else f"{self.value:.4f}"
        return f"{self.metric} = {shown}: {self.reason}"


def parse_threshold(spec: str) -> tuple[str, float]:
    """'amounts.f1=0.9' -> ('amounts.f1', 0.9); InputError on anything else."""
    name, sep, number = spec.partition("=")
    try:
        value = float(number)
    except ValueError:
        value = None
    if not sep or not name.strip() or value is None:
        raise InputError(f"bad threshold {spec!r}: write METRIC=NUMBER, e.g. amounts.f1=0.9")
    return name.strip(), value


def lookup(metrics: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of metrics.json; KeyError naming the path if absent."""
    value: Any = metrics
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(path)
        value = value[part]
    return value


def flatten(metrics: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """Every numeric leaf of metrics.json under its dotted path."""
    flat: dict[str, float] = {}
    for key, value in metrics.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{path}."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            flat[path] = float(value)
    return flat


def check_floors(metrics: Mapping[str, Any], floors: Mapping[str, float], ceilings: Mapping[str, float] | None = None) -> list[Regression]:
    """Metrics below their floor (or above their ceiling); unknown names raise InputError."""
    failures = []
    for bound, limits in (("floor", floors), ("ceiling", ceilings or {})):
        for name, limit in limits.items():
            try:
                value = lookup(metrics, name)
            except KeyError:
                known = ", ".join(sorted(flatten(metrics)))
                raise InputError(f"unknown metric {name!r}; metrics.json has: {known}") from None
            if value is None:
                failures.append(Regression(name, None, limit, f"undefined, required {'>=' if bound == 'floor' else '<='} {limit}"))
            elif bound == "floor" and value < limit:
                failures.append(Regression(name, value, limit, f"below the required {limit}"))
            elif bound == "ceiling" and value > limit:
                failures.append(Regression(name, value, limit, f"above the allowed {limit}"))
    return failures


def _is_quality(path: str) -> bool:
    parts = path.split(".")
    if parts[0] == "macro":
        parts = parts[1:]
    return len(parts) == 2 and parts[0] in _BASELINE_GROUPS and parts[1].endswith(_QUALITY_KEYS)


def gated_metrics(metrics: Mapping[str, Any]) -> dict[str, float]:
    """What a baseline comparison looks at: micro and macro quality ratios, the lower-is-better
    rates (hallucination, unrecognized) and the document counts."""
    flat = flatten(metrics)
    return {path: value for path, value in flat.items() if path in LOWER_IS_BETTER or path in COUNT_KEYS or _is_quality(path)}


def known_metric_names() -> list[str]:
    """Every dotted name metrics.json can hold, so a typo in a gate fails before any extraction."""
    from llmx.evaluate.metrics import cost_summary, latency_summary
    from llmx.evaluate.scoring import EvalResult

    shape: dict[str, Any] = EvalResult(documents=[]).metrics()
    shape["cost"], shape["latency"] = cost_summary([{}]), latency_summary([0.0])
    return sorted(_leaves(shape))


def _leaves(metrics: Mapping[str, Any], prefix: str = "") -> list[str]:
    names = []
    for key, value in metrics.items():
        if isinstance(value, Mapping):
            names += _leaves(value, f"{prefix}{key}.")
        elif not isinstance(value, (list, str, bool)):
            names.append(f"{prefix}{key}")
    return names


def check_names(names: Iterable[str]) -> None:
    """InputError naming every gate metric metrics.json cannot hold (checked before extraction)."""
    known = known_metric_names()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise InputError(f"unknown metric(s) {', '.join(map(repr, unknown))}; metrics.json has: {', '.join(known)}")


def describe_passes(metrics: Mapping[str, Any], floors: Mapping[str, float], ceilings: Mapping[str, float], baseline: Mapping[str, Any] | None, max_drop: float) -> list[str]:
    """One line per gate that passed, with the value and its limit (a silent pass proves nothing)."""
    lines = [f"{name} = {lookup(metrics, name):.4f} >= {limit}" for name, limit in floors.items()]
    lines += [f"{name} = {lookup(metrics, name):.4f} <= {limit}" for name, limit in ceilings.items()]
    if baseline is not None:
        gated = gated_metrics(baseline)
        current = flatten(metrics)
        changes = {name: _worsening(name, before, current[name]) for name, before in gated.items() if name in current}
        worst = max(changes, key=lambda name: changes[name], default=None)
        shown = f"; largest worsening {worst} {changes[worst]:+.4f}" if worst is not None else ""
        lines.append(f"{len(changes)} metrics within {max_drop} of the baseline (counts: no drop){shown}")
    return lines


def _worsening(name: str, before: float, now: float) -> float:
    return now - before if name in LOWER_IS_BETTER else before - now


def check_baseline(metrics: Mapping[str, Any], baseline: Mapping[str, Any], max_drop: float) -> list[Regression]:
    """Metrics that got worse than the baseline by more than `max_drop` (absolute)."""
    current = flatten(metrics)
    failures = []
    for name, before in sorted(gated_metrics(baseline).items()):
        now = current.get(name)
        if now is None:
            failures.append(Regression(name, None, before, f"was {before:.4f} in the baseline, now undefined"))
            continue
        change = _worsening(name, before, now)
        allowed = 0.0 if name in COUNT_KEYS else max_drop
        if change > allowed + 1e-12:
            direction = "rose" if name in LOWER_IS_BETTER else "dropped"
            failures.append(Regression(name, now, before, f"{direction} by {change:.4f} from baseline {before:.4f} (allowed {allowed})"))
    return failures


def load_metrics(path: str | Path) -> dict[str, Any]:
    """A metrics.json file (e.g. a committed baseline), with a clear error if unreadable."""
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{file}: no such baseline metrics file") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{file}: not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise InputError(f"{file}: expected a metrics.json object")
    return data
