"""Per-field scoring configuration, usable for llmx's `PressRelease` and for users' own schemas.

A config maps a field path ("date", "issuer.name", "amounts") to a matcher:

    config = {
        "title": Normalised(),
        "deal.value": Numeric(rel_tol=0.01),
        "parties": ListOf(key={"name": Fuzzy(85, normalise=normalise_company)},
                          attributes={"role": Exact()}),
        "notes": Ignore(),
    }
    scores = score_records(gold_records, predicted_records, config)
    scores.summary()  # {"title": {"accuracy": ...}, "deal": {"value_accuracy": ...}, "parties": {...}}

Scalar fields score accuracy (None equals None); list fields are aligned item by item with an
optimal one-to-one assignment on their key fields and score precision/recall/F1, plus accuracy of
each attribute over the matched pairs. Fields absent from the config are not scored.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Callable, Protocol, Union

import numpy as np
from pydantic import BaseModel
from rapidfuzz import fuzz

from llmx.evaluate.match import assign, normalise_text, relative_error
from llmx.evaluate.metrics import Accuracy, Counts, mean, mean_scores
from llmx.schema import AMOUNT_TOLERANCE

Normaliser = Callable[[str], str]


class ValueMatcher(Protocol):
    """Decides whether a predicted scalar matches a gold scalar, and how closely (0..1).

    Values are first put in `canonical` form (once per item, so normalisation is not repeated
    for every pair), then `compare`d; `similarity` does both.
    """

    def canonical(self, value: Any) -> Any:
        """A hashable form under which equal values collapse (also used for de-duplication)."""

    def compare(self, gold: Any, predicted: Any) -> float | None:
        """For canonical values: None when they do not match, else a closeness in [0, 1]."""

    def similarity(self, gold: Any, predicted: Any) -> float | None:
        """`compare` of the canonical forms of two raw values."""


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _hash_join(gold: Sequence[Any], predicted: Sequence[Any]) -> list[tuple[int, int]] | None:
    """Index pairs of equal values, without comparing every pair (None: values not hashable)."""
    positions: dict[Any, list[int]] = {}
    try:
        for j, value in enumerate(predicted):
            positions.setdefault(value, []).append(j)
        return [(i, j) for i, value in enumerate(gold) for j in positions.get(value, ())]
    except TypeError:
        return None


class BaseMatcher:
    """Base for matchers: similarity = compare(canonical(gold), canonical(predicted)).

    Subclass it for a custom rule: define `canonical` and `compare`, and optionally
    `candidate_pairs(gold_canonicals, predicted_canonicals)` to avoid comparing every pair.
    """

    def similarity(self, gold: Any, predicted: Any) -> float | None:
        return self.compare(self.canonical(gold), self.canonical(predicted))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Exact(BaseMatcher):
    """Equal values; strings optionally compared without case."""

    case_sensitive: bool = True

    def canonical(self, value: Any) -> Any:
        if isinstance(value, str) and not self.case_sensitive:
            return value.casefold().strip()
        return value

    def compare(self, gold: Any, predicted: Any) -> float | None:
        return 1.0 if gold == predicted else None

    def candidate_pairs(self, gold: Sequence[Any], predicted: Sequence[Any]) -> list[tuple[int, int]] | None:
        return _hash_join(gold, predicted)


@dataclass(frozen=True)
class Normalised(BaseMatcher):
    """Equal after normalisation (default: case, accents, punctuation and spacing ignored)."""

    normalise: Normaliser = normalise_text

    def canonical(self, value: Any) -> Any:
        return self.normalise(str(value)) if _present(value) else None

    def compare(self, gold: Any, predicted: Any) -> float | None:
        return 1.0 if gold == predicted else None

    def candidate_pairs(self, gold: Sequence[Any], predicted: Sequence[Any]) -> list[tuple[int, int]] | None:
        return _hash_join(gold, predicted)


@dataclass(frozen=True)
class Fuzzy(BaseMatcher):
    """rapidfuzz score (token-set ratio by default) of the normalised strings >= threshold."""

    threshold: float = 90.0
    normalise: Normaliser = normalise_text
    scorer: Callable[..., float] = fuzz.token_set_ratio

    def canonical(self, value: Any) -> Any:
        return self.normalise(str(value)) if _present(value) else None

    def compare(self, gold: Any, predicted: Any) -> float | None:
        if not gold or not predicted:
            return 1.0 if not gold and not predicted else None
        if gold == predicted:
            return 1.0
        score = self.scorer(gold, predicted, score_cutoff=self.threshold)
        return score / 100.0 if score and score >= self.threshold else None


@dataclass(frozen=True)
class Numeric(BaseMatcher):
    """Numbers within `rel_tol` relative to the gold value (or `abs_tol`)."""

    rel_tol: float = AMOUNT_TOLERANCE
    abs_tol: float = 0.0

    def canonical(self, value: Any) -> Any:
        if value is None or isinstance(value, bool):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    def compare(self, gold: Any, predicted: Any) -> float | None:
        if gold is None or predicted is None:
            return 1.0 if gold is None and predicted is None else None
        if abs(gold - predicted) <= self.abs_tol:
            return 1.0
        error = relative_error(gold, predicted)
        if error > self.rel_tol:
            return None
        return 1.0 - error / self.rel_tol if self.rel_tol else 1.0

    def candidate_pairs(self, gold: Sequence[Any], predicted: Sequence[Any]) -> list[tuple[int, int]]:
        """Pairs whose values are close enough to possibly match (a sorted window per gold value)."""
        order = sorted((v, j) for j, v in enumerate(predicted) if v is not None)
        values = [v for v, _ in order]
        pairs = [(i, j) for i, g in enumerate(gold) if g is None for j, p in enumerate(predicted) if p is None]
        for i, g in enumerate(gold):
            if g is None:
                continue
            reach = abs(g) * self.rel_tol * 1.01 + self.abs_tol
            low, high = bisect_left(values, g - reach), bisect_right(values, g + reach)
            pairs.extend((i, j) for _, j in order[low:high])
        return pairs


@dataclass(frozen=True)
class Ignore:
    """Not scored (the field is listed only to document that choice)."""


@dataclass(frozen=True)
class ListOf:
    """A list whose items are paired one-to-one by `key` and then compared on `attributes`.

    `key` is a matcher for scalar items (a list of names) or a mapping from item field to
    matcher (all must match). `dedupe` collapses items whose canonical keys are equal before
    scoring, so repeating a value is neither rewarded nor punished.
    """

    key: Union[ValueMatcher, Mapping[str, ValueMatcher]]
    attributes: Mapping[str, ValueMatcher] = field(default_factory=dict)
    dedupe: bool = False


Matcher = Union[Exact, Normalised, Fuzzy, Numeric, Ignore, ListOf, ValueMatcher]
FieldConfig = Mapping[str, Matcher]


# --------------------------------------------------------------------------------------------
# Per-document results


@dataclass
class ScalarResult:
    gold: Any
    predicted: Any
    correct: bool

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "predicted": self.predicted, "correct": self.correct}


@dataclass
class ListResult:
    """How one document's list field aligned. Indices refer to the original lists."""

    counts: Counts
    pairs: list[tuple[int, int]]
    missed: list[int]
    spurious: list[int]
    duplicates: list[int] = field(default_factory=list)
    attributes: dict[str, Accuracy] = field(default_factory=dict)
    wrong_attributes: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.counts.to_dict(),
            "pairs": [list(p) for p in self.pairs],
            "missed": self.missed,
            "spurious": self.spurious,
            "duplicates": self.duplicates,
            "attributes": {name: acc.to_dict() for name, acc in self.attributes.items()},
            "wrong_attributes": {name: [list(p) for p in pairs] for name, pairs in self.wrong_attributes.items()},
        }


FieldResult = Union[ScalarResult, ListResult]


@dataclass
class DocScores:
    """Every configured field of one (gold, predicted) record pair."""

    fields: dict[str, FieldResult]

    def to_dict(self) -> dict[str, Any]:
        return {path: result.to_dict() for path, result in self.fields.items()}


# --------------------------------------------------------------------------------------------
# Scoring


def as_dict(record: BaseModel | Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A record as a plain mapping (pydantic models are dumped once)."""
    if record is None:
        return {}
    if isinstance(record, BaseModel):
        return record.model_dump()
    return record


def get_path(record: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, None where any step is missing."""
    if type(record) is dict and "." not in path:
        return record.get(path)
    value: Any = record
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, BaseModel):
            value = getattr(value, part, None)
        else:
            return None
        if value is None:
            return None
    return value


def _key_matchers(spec: ListOf) -> list[tuple[str | None, ValueMatcher]]:
    if isinstance(spec.key, Mapping):
        return list(spec.key.items())
    return [(None, spec.key)]


def _item_value(item: Any, name: str | None) -> Any:
    if name is None:
        return item
    if type(item) is dict and "." not in name:
        return item.get(name)
    return get_path(item, name) if isinstance(item, (Mapping, BaseModel)) else None


def _canonical_keys(items: Sequence[Any], matchers: Sequence[tuple[str | None, ValueMatcher]]) -> list[tuple[Any, ...]]:
    if len(matchers) == 1:
        name, matcher = matchers[0]
        return [(matcher.canonical(_item_value(item, name)),) for item in items]
    return [tuple([matcher.canonical(_item_value(item, name)) for name, matcher in matchers]) for item in items]


def _dedupe(keys: Sequence[tuple[Any, ...]]) -> tuple[list[int], list[int]]:
    """Indices kept (first of each canonical key) and indices dropped as repeats."""
    seen: set[Any] = set()
    kept, dropped = [], []
    for index, key in enumerate(keys):
        if key in seen:
            dropped.append(index)
        else:
            seen.add(key)
            kept.append(index)
    return kept, dropped


def _candidates(
    matchers: Sequence[tuple[str | None, ValueMatcher]], gold_keys: Sequence[tuple[Any, ...]], pred_keys: Sequence[tuple[Any, ...]]
) -> dict[tuple[int, int], float]:
    """Compatible (gold, predicted) index pairs with their mean key closeness.

    Matchers that can block (hash or sorted-window joins) first narrow the pairs to examine,
    so long lists do not cost a comparison for every gold x predicted pair.
    """
    width = len(matchers)
    if not gold_keys or not pred_keys:
        return {}
    pairs: Iterable[tuple[int, int]] | None = None
    enough = max(len(gold_keys), len(pred_keys))  # about one candidate per item: stop narrowing
    for k, (_, matcher) in enumerate(matchers):
        block = getattr(matcher, "candidate_pairs", None)
        pool = block([g[k] for g in gold_keys], [p[k] for p in pred_keys]) if block else None
        if pool is not None and (pairs is None or len(pool) < len(pairs)):  # type: ignore[arg-type]
            pairs = pool
            if len(pool) <= enough:
                break
    if pairs is None:
        pairs = ((i, j) for i in range(len(gold_keys)) for j in range(len(pred_keys)))
    found: dict[tuple[int, int], float] = {}
    for i, j in pairs:
        gold, pred = gold_keys[i], pred_keys[j]
        total = 0.0
        for k in range(width):
            score = matchers[k][1].compare(gold[k], pred[k])
            if score is None:
                break
            total += score
        else:
            found[(i, j)] = total / width
    return found


def _align(spec: ListOf, gold: list[Any], pred: list[Any], candidates: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """Maximum one-to-one matching; scipy only when some item has several candidates."""
    if not candidates:
        return []
    rows = [i for i, _ in candidates]
    cols = [j for _, j in candidates]
    if len(set(rows)) == len(rows) and len(set(cols)) == len(cols):
        return sorted(candidates)
    compatible = np.zeros((len(gold), len(pred)), dtype=bool)
    quality = np.zeros((len(gold), len(pred)))
    for (i, j), closeness in candidates.items():
        agree = _attribute_agreement(spec, gold[i], pred[j])
        compatible[i, j] = True
        quality[i, j] = closeness * 0.999 + agree * 0.001  # closeness first, agreeing labels second
    return assign(compatible, quality)


def _attribute_agreement(spec: ListOf, gold: Any, pred: Any) -> float:
    if not spec.attributes:
        return 0.0
    hits = sum(matcher.similarity(_item_value(gold, name), _item_value(pred, name)) is not None for name, matcher in spec.attributes.items())
    return hits / len(spec.attributes)


def score_list(spec: ListOf, gold_items: Sequence[Any] | None, predicted_items: Sequence[Any] | None) -> ListResult:
    """Align two lists optimally on their key and count matches, misses, spurious items."""
    gold_all, pred_all = list(gold_items or []), list(predicted_items or [])
    matchers = _key_matchers(spec)
    gold_keys, pred_keys = _canonical_keys(gold_all, matchers), _canonical_keys(pred_all, matchers)
    duplicates: list[int] = []
    gold_idx, pred_idx = list(range(len(gold_all))), list(range(len(pred_all)))
    gold, pred = gold_all, pred_all
    if spec.dedupe:
        gold_idx, _ = _dedupe(gold_keys)
        pred_idx, duplicates = _dedupe(pred_keys)
        gold, gold_keys = [gold_all[i] for i in gold_idx], [gold_keys[i] for i in gold_idx]
        pred, pred_keys = [pred_all[j] for j in pred_idx], [pred_keys[j] for j in pred_idx]
    candidates = _candidates(matchers, gold_keys, pred_keys)
    pairs = _align(spec, gold, pred, candidates)

    matched_gold = {i for i, _ in pairs}
    matched_pred = {j for _, j in pairs}
    attributes: dict[str, Accuracy] = {}
    wrong: dict[str, list[tuple[int, int]]] = {}
    for name, matcher in spec.attributes.items():
        correct, wrong_pairs = 0, []
        for i, j in pairs:
            if matcher.similarity(_item_value(gold[i], name), _item_value(pred[j], name)) is None:
                wrong_pairs.append((gold_idx[i], pred_idx[j]))
            else:
                correct += 1
        attributes[name], wrong[name] = Accuracy(correct, len(pairs)), wrong_pairs
    return ListResult(
        counts=Counts(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs)),
        pairs=[(gold_idx[i], pred_idx[j]) for i, j in pairs],
        missed=[gold_idx[i] for i in range(len(gold)) if i not in matched_gold],
        spurious=[pred_idx[j] for j in range(len(pred)) if j not in matched_pred],
        duplicates=duplicates,
        attributes=attributes,
        wrong_attributes=wrong,
    )


def score_scalar(matcher: ValueMatcher, gold: Any, predicted: Any) -> ScalarResult:
    """Accuracy of one value; a missing gold value is matched only by a missing prediction."""
    if not _present(gold) or not _present(predicted):
        correct = not _present(gold) and not _present(predicted)
    else:
        correct = matcher.similarity(gold, predicted) is not None
    return ScalarResult(gold=gold, predicted=predicted, correct=correct)


def score_record(gold: BaseModel | Mapping[str, Any], predicted: BaseModel | Mapping[str, Any] | None, config: FieldConfig) -> DocScores:
    """Score every configured field of one record pair (a None prediction = an empty record)."""
    gold_map, pred_map = as_dict(gold), as_dict(predicted)
    results: dict[str, FieldResult] = {}
    for path, matcher in config.items():
        if isinstance(matcher, Ignore):
            continue
        gold_value, pred_value = get_path(gold_map, path), get_path(pred_map, path)
        if isinstance(matcher, ListOf):
            results[path] = score_list(matcher, gold_value, pred_value)
        else:
            results[path] = score_scalar(matcher, gold_value, pred_value)
    return DocScores(fields=results)


def _metric_names(path: str) -> tuple[str, str]:
    """("issuer.name") -> ("issuer", "name_"); ("date") -> ("date", ""): group and key prefix."""
    group, _, rest = path.partition(".")
    return group, f"{rest}_" if rest else ""


def summarise_fields(config: FieldConfig, documents: Sequence[Mapping[str, FieldResult]], average: str = "micro") -> dict[str, dict[str, Any]]:
    """Aggregate per-document field results into {group: {metric: value}}.

    micro pools the counts of all documents; macro averages each document's own score
    (documents where a ratio is undefined, e.g. no matched pair for an attribute, are skipped).
    """
    if average not in ("micro", "macro"):
        raise ValueError(f"average must be 'micro' or 'macro', not {average!r}")
    summary: dict[str, dict[str, Any]] = {}
    for path, matcher in config.items():
        if isinstance(matcher, Ignore):
            continue
        group, prefix = _metric_names(path)
        out = summary.setdefault(group, {})
        results = [doc[path] for doc in documents if path in doc]
        if isinstance(matcher, ListOf):
            lists = [r for r in results if isinstance(r, ListResult)]
            counts = sum((r.counts for r in lists), Counts())
            scores = counts.scores() if average == "micro" else mean_scores([r.counts.scores() for r in lists])
            out.update({f"{prefix}{k}": v for k, v in scores.items()})
            out.update({f"{prefix}{k}": v for k, v in counts.to_dict().items()})
            for name in matcher.attributes:
                accs = [r.attributes[name] for r in lists if name in r.attributes]
                if average == "micro":
                    value = sum(accs, Accuracy()).value
                else:
                    value = mean([a.value for a in accs])
                out[f"{prefix}{name}_accuracy"] = value
        else:
            flags = [r.correct for r in results if isinstance(r, ScalarResult)]
            out[f"{prefix}accuracy"] = mean([1.0 if f else 0.0 for f in flags])
    return summary


@dataclass
class RecordScores:
    """Scores of many record pairs: per document, plus micro and macro summaries."""

    config: FieldConfig
    documents: list[DocScores]

    def summary(self) -> dict[str, dict[str, Any]]:
        """Micro averages (pooled counts), grouped by the first segment of each field path."""
        return summarise_fields(self.config, [doc.fields for doc in self.documents], average="micro")

    def macro(self) -> dict[str, dict[str, Any]]:
        """Macro averages: the mean of per-document scores."""
        return summarise_fields(self.config, [doc.fields for doc in self.documents], average="macro")


def score_records(
    gold_records: Iterable[BaseModel | Mapping[str, Any]],
    predicted_records: Iterable[BaseModel | Mapping[str, Any] | None],
    config: FieldConfig,
) -> RecordScores:
    """Score record pairs position by position (pass None for a document with no prediction)."""
    gold_list, pred_list = list(gold_records), list(predicted_records)
    if len(gold_list) != len(pred_list):
        raise ValueError(f"{len(gold_list)} gold records but {len(pred_list)} predictions; pair them up (None for a missing one)")
    return RecordScores(config=config, documents=[score_record(g, p, config) for g, p in zip(gold_list, pred_list)])
