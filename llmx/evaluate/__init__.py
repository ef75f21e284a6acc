"""Score extractions against gold annotations (see docs/evaluation.md for the rules).

    from llmx.evaluate import load_gold_dir, load_predictions, score_press_releases
    result = score_press_releases(load_gold_dir("evals/press_releases"), load_predictions("pred.jsonl"))
    result.metrics()["amounts"]["f1"]

For other schemas, describe each field with a matcher and call `score_records`.
"""

from llmx.evaluate.fields import BaseMatcher, Exact, Fuzzy, Ignore, ListOf, Normalised, Numeric, score_records
from llmx.evaluate.gold import GoldDoc, GoldFormatError, load_gold_dir
from llmx.evaluate.run import load_predictions, write_outputs
from llmx.evaluate.scoring import PRESS_RELEASE_FIELDS, EvalResult, score_press_releases

__all__ = [
    "PRESS_RELEASE_FIELDS",
    "BaseMatcher",
    "EvalResult",
    "Exact",
    "Fuzzy",
    "GoldDoc",
    "GoldFormatError",
    "Ignore",
    "ListOf",
    "Normalised",
    "Numeric",
    "load_gold_dir",
    "load_predictions",
    "score_press_releases",
    "score_records",
    "write_outputs",
]
