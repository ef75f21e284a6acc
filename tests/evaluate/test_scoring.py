"""Scoring rules on hand-computed cases: matching, assignment, conventions, averages, grounding."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from pydantic import BaseModel

from llmx.evaluate.fields import BaseMatcher, Exact, Fuzzy, Ignore, ListOf, Normalised, Numeric, score_list, score_records
from llmx.evaluate.gold import GoldDoc, _locate, load_gold_dir
from llmx.evaluate.grounding import GroundingChecker
from llmx.evaluate.match import assign, normalise_company
from llmx.evaluate.metrics import Counts, cost_summary, latency_summary, percentile
from llmx.evaluate.scoring import PRESS_RELEASE_FIELDS, ExtractionFailure, score_press_releases
from llmx.recognize import Mentions, MoneyMention, TickerMention

from support import SHARED_GOLD  # noqa: E402
AMOUNTS = PRESS_RELEASE_FIELDS["amounts"]
TICKERS = PRESS_RELEASE_FIELDS["tickers"]
COMPANIES = PRESS_RELEASE_FIELDS["companies"]


def amt(value: float, currency: str = "USD", kind: str = "other", status: str = "actual") -> dict:
    return {"value": value, "currency": currency, "kind": kind, "status": status}


# ---------------------------------------------------------------------------------- conventions


@pytest.mark.parametrize(
    "counts, expected",
    [
        (Counts(0, 0, 0), (1.0, 1.0, 1.0)),  # both empty: nothing to find, nothing wrong
        (Counts(0, 0, 3), (0.0, 0.0, 0.0)),  # empty prediction
        (Counts(0, 2, 0), (0.0, 0.0, 0.0)),  # empty gold
        (Counts(2, 1, 3), (2 / 3, 2 / 5, 0.5)),  # 2PR/(P+R) = 2*(2/3)(2/5)/(16/15) = 0.5
    ],
)
def test_precision_recall_f1_conventions(counts: Counts, expected: tuple[float, float, float]) -> None:
    assert (counts.precision, counts.recall, counts.f1) == pytest.approx(expected)


def test_empty_lists_on_both_sides_and_one_side() -> None:
    both = score_list(AMOUNTS, [], [])
    assert (both.counts.tp, both.counts.fp, both.counts.fn) == (0, 0, 0)
    assert both.attributes["kind"].value is None  # no matched pair: accuracy undefined
    no_pred = score_list(AMOUNTS, [amt(1), amt(2)], None)
    assert (no_pred.counts.fn, no_pred.missed) == (2, [0, 1])
    no_gold = score_list(AMOUNTS, None, [amt(1)])
    assert (no_gold.counts.fp, no_gold.spurious) == (1, [0])


# ---------------------------------------------------------------------------------- amounts


def test_amounts_hand_computed() -> None:
    gold = [amt(100, kind="upfront"), amt(2_500_000, kind="milestone", status="potential"), amt(1_000_000, "EUR")]
    pred = [
        amt(100.4, kind="upfront", status="potential"),  # 0.4 % off: matches gold 0, wrong status
        amt(2_500_000, kind="milestone", status="potential"),  # exact: gold 1
        amt(1_000_000, "USD"),  # right value, wrong currency: spurious
        amt(7),  # spurious
    ]
    result = score_list(AMOUNTS, gold, pred)
    assert result.pairs == [(0, 0), (1, 1)]
    assert (result.counts.tp, result.counts.fp, result.counts.fn) == (2, 2, 1)
    assert result.missed == [2] and result.spurious == [2, 3]
    assert result.counts.precision == pytest.approx(0.5)
    assert result.counts.recall == pytest.approx(2 / 3)
    assert result.counts.f1 == pytest.approx(4 / 7)  # 2*0.5*(2/3)/(0.5+2/3)
    assert result.attributes["kind"].value == 1.0
    assert result.attributes["status"].value == 0.5
    assert result.wrong_attributes["status"] == [(0, 0)]


@pytest.mark.parametrize("predicted, matches", [(100.5, True), (99.5, True), (100.51, False), (99.49, False)])
def test_amount_tolerance_is_half_a_percent_of_gold(predicted: float, matches: bool) -> None:
    assert score_list(AMOUNTS, [amt(100)], [amt(predicted)]).counts.tp == int(matches)


def test_currency_is_case_insensitive_and_must_agree() -> None:
    assert score_list(AMOUNTS, [amt(5, "usd")], [amt(5, "USD")]).counts.tp == 1
    assert score_list(AMOUNTS, [amt(5, "CAD")], [amt(5, "USD")]).counts.tp == 0


def test_optimal_assignment_beats_first_fit() -> None:
    # 100.3 fits both gold values, 100.0 only the first; first-fit would pair 100 with 100.3
    # and leave 100.6 unmatched. The optimal assignment matches both.
    result = score_list(AMOUNTS, [amt(100), amt(100.6)], [amt(100.3), amt(100.0)])
    assert sorted(result.pairs) == [(0, 1), (1, 0)]
    assert (result.counts.tp, result.counts.fp, result.counts.fn) == (2, 0, 0)


def test_tie_goes_to_the_closer_value() -> None:
    gold = [amt(100, kind="upfront"), amt(100.4, kind="milestone")]
    result = score_list(AMOUNTS, gold, [amt(100.35, kind="milestone")])
    assert result.pairs == [(1, 0)] and result.missed == [0]
    assert result.attributes["kind"].value == 1.0


def test_exact_tie_goes_to_the_agreeing_label() -> None:
    result = score_list(AMOUNTS, [amt(100, kind="upfront")], [amt(100, kind="milestone"), amt(100, kind="upfront")])
    assert result.pairs == [(0, 1)] and result.spurious == [0]
    assert result.attributes["kind"].value == 1.0


def test_duplicate_predicted_amounts_count_once() -> None:
    result = score_list(AMOUNTS, [amt(5e6)], [amt(5e6), amt(5_000_000.0)])
    assert (result.counts.tp, result.counts.fp, result.counts.fn) == (1, 1, 0)


# ---------------------------------------------------------------------------------- tickers, names


def test_tickers_case_insensitive_deduplicated_with_exchange_accuracy() -> None:
    gold = [{"symbol": "ABVC", "exchange": "NASDAQ"}, {"symbol": "XYZ", "exchange": "NYSE"}]
    pred = [{"symbol": "abvc", "exchange": "Nasdaq"}, {"symbol": "ABVC", "exchange": "OTC"}, {"symbol": "XYZ", "exchange": "TSX"}, {"symbol": "QQQ"}]
    result = score_list(TICKERS, gold, pred)
    assert result.duplicates == [1]  # the second ABVC is neither rewarded nor punished
    assert (result.counts.tp, result.counts.fp, result.counts.fn) == (2, 1, 0)
    assert result.attributes["exchange"].value == 0.5  # NASDAQ ok (case), TSX != NYSE


@pytest.mark.parametrize(
    "name, normalised",
    [
        ("Xcel Brands, Inc.", "xcel brands"),
        ("The Cannaisseur Group, Inc.", "cannaisseur group"),
        ("Koninklijke Philips N.V.", "koninklijke philips"),
        ("Maxim Group LLC", "maxim group"),
        ("Société Générale S.A.", "societe generale"),
        ("Inc.", "inc"),  # only legal words: kept rather than emptied
    ],
)
def test_normalise_company(name: str, normalised: str) -> None:
    assert normalise_company(name) == normalised


@pytest.mark.parametrize(
    "gold, predicted, correct",
    [
        ("ABVC BioPharma, Inc.", "abvc biopharma", True),
        ("Xcel Brands, Inc.", "XCEL BRANDS INC", True),
        ("Merlin Labs, Inc.", "Bleichroeder Acquisition Corp. II", False),
        ("Silvercorp Metals Inc.", "Silvercrest Metals Inc.", False),
        (None, None, True),
        ("Acme Corp", None, False),
    ],
)
def test_issuer_name_rule(gold: str | None, predicted: str | None, correct: bool) -> None:
    scores = score_records([{"issuer": {"name": gold}}], [{"issuer": {"name": predicted}}], {"issuer.name": PRESS_RELEASE_FIELDS["issuer.name"]})
    assert scores.summary()["issuer"]["name_accuracy"] == (1.0 if correct else 0.0)


def test_companies_fuzzy_one_to_one() -> None:
    gold = [{"name": "Maxim Group LLC"}, {"name": "Xcel Brands, Inc."}]
    pred = [{"name": "MAXIM GROUP"}, {"name": "Xcel Brands Inc"}, {"name": "Xcel Brands"}, {"name": "Acme Widgets"}]
    result = score_list(COMPANIES, gold, pred)
    # Both Xcel spellings fit gold 1, but it can take only one: the other is spurious.
    assert (result.counts.tp, result.counts.fp, result.counts.fn) == (2, 2, 0)
    assert result.pairs[0] == (0, 0)


@pytest.mark.parametrize("gold, predicted, correct", [(None, None, True), (None, "2025-08-27", False), ("2025-08-27", None, False), ("2025-08-27", "2025-08-27", True)])
def test_date_null_gold_is_correct_only_for_null_prediction(gold, predicted, correct) -> None:
    scores = score_records([{"date": gold}], [{"date": predicted}], {"date": PRESS_RELEASE_FIELDS["date"]})
    assert scores.documents[0].fields["date"].correct is correct


# ---------------------------------------------------------------------------------- assignment


def test_assign_fast_path_and_scipy_path() -> None:
    assert assign(np.zeros((0, 3), dtype=bool)) == []
    assert assign(np.array([[False, True], [True, False]])) == [(0, 1), (1, 0)]
    # Row 0 fits both columns, row 1 only column 0: the maximum matching has two pairs.
    assert assign(np.array([[True, True], [True, False]])) == [(0, 1), (1, 0)]
    # Equal counts: quality decides.
    assert assign(np.array([[True, True]]), np.array([[0.2, 0.9]])) == [(0, 1)]


# ---------------------------------------------------------------------------------- averages


def test_micro_and_macro_averages() -> None:
    config = {"amounts": AMOUNTS}
    gold = [{"amounts": [amt(1)]}, {"amounts": [amt(2), amt(3), amt(4)]}]
    pred = [{"amounts": [amt(1)]}, {"amounts": [amt(9)]}]
    scores = score_records(gold, pred, config)
    micro, macro = scores.summary()["amounts"], scores.macro()["amounts"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (1, 1, 3)
    assert micro["precision"] == pytest.approx(0.5) and micro["recall"] == pytest.approx(0.25)
    assert micro["f1"] == pytest.approx(1 / 3)
    assert macro["f1"] == pytest.approx(0.5)  # (1.0 + 0.0) / 2
    assert macro["precision"] == pytest.approx(0.5) and macro["recall"] == pytest.approx(0.5)


def test_score_records_rejects_unpaired_inputs() -> None:
    with pytest.raises(ValueError, match="2 gold records but 1"):
        score_records([{}, {}], [{}], {"date": Exact()})


def test_latency_and_cost_summaries() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == pytest.approx(2.5)
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
    assert percentile([], 50) is None
    lat = latency_summary([2.0, 1.0, 6.0])
    assert (lat["mean_s"], lat["p50_s"], lat["max_s"]) == (3.0, 2.0, 6.0)
    cost = cost_summary([{"calls": 2, "prompt_tokens": 100, "completion_tokens": 20, "reasks": 1}, {"calls": 1, "prompt_tokens": 50, "cached": True}])
    assert (cost["calls"], cost["total_tokens"], cost["reasks"], cost["cached"]) == (3, 170, 1, 1)
    assert cost["tokens_per_document"] == 85


# ---------------------------------------------------------------------------------- custom schema


class Party(BaseModel):
    name: str
    role: str


class Deal(BaseModel):
    title: str
    value: float | None = None
    parties: list[Party] = []
    notes: str = ""


DEAL_FIELDS = {
    "title": Normalised(),
    "value": Numeric(rel_tol=0.01),
    "parties": ListOf(key={"name": Fuzzy(85, normalise=normalise_company)}, attributes={"role": Exact()}),
    "notes": Ignore(),
}


def test_custom_schema_with_field_config() -> None:
    gold = [
        Deal(title="Acme licenses ZX-1", value=10e6, parties=[Party(name="Acme Inc.", role="licensor"), Party(name="Beta AG", role="licensee")]),
        Deal(title="Gamma raises funds", value=None, parties=[Party(name="Gamma plc", role="issuer")]),
    ]
    pred = [
        Deal(title="ACME licenses ZX-1!", value=10.05e6, parties=[Party(name="ACME", role="licensee"), Party(name="Beta", role="licensee")], notes="x"),
        {"title": "Gamma raises money", "value": 3.0, "parties": []},
    ]
    scores = score_records(gold, pred, DEAL_FIELDS)
    summary = scores.summary()
    assert summary["title"]["accuracy"] == 0.5  # punctuation/case ignored; different words not
    assert summary["value"]["accuracy"] == 0.5  # 0.5 % within 1 %; None vs 3.0 wrong
    assert (summary["parties"]["tp"], summary["parties"]["fp"], summary["parties"]["fn"]) == (2, 0, 1)
    assert summary["parties"]["role_accuracy"] == 0.5
    assert "notes" not in summary


# ---------------------------------------------------------------------------------- grounding


TEXT = "Acme (NASDAQ: ACME) received $2.5 million; BETA shares rose. Nasdaq."


def _mentions(text: str) -> Mentions:
    assert text == TEXT
    return Mentions(
        money=[MoneyMention(2_500_000.0, "USD", "$2.5 million", (29, 41))],
        tickers=[TickerMention("ACME", "NASDAQ", "NASDAQ: ACME", (6, 18))],
    )


def test_hallucination_rate_from_source_text_only() -> None:
    doc = GoldDoc(id="d1", text=TEXT, gold={"id": "d1", "amounts": [], "tickers": [], "companies": []})
    record = {
        "id": "d1",
        "amounts": [amt(2_500_000), amt(2_510_000), amt(2_500_000, "EUR"), amt(9)],  # ok, ok (0.4 %), wrong currency, absent
        "tickers": [{"symbol": "ACME"}, {"symbol": "beta"}, {"symbol": "GAMMA"}, {"symbol": "ACM"}],  # ok, word, absent, partial
    }
    result = score_press_releases([doc], {"d1": record}, checker=GroundingChecker(recognizer=_mentions))
    grounding = result.documents[0].grounding
    assert grounding.ungrounded_amounts == [2, 3]
    assert grounding.ungrounded_tickers == [2, 3]
    metrics = result.metrics()
    assert metrics["unrecognized_rate"] == pytest.approx(4 / 8)
    assert metrics["grounding"]["amounts"] == {"predicted": 4, "ungrounded": 2, "rate": 0.5}


def test_recognizers_run_once_per_text_and_missing_ones_mean_unknown() -> None:
    calls = []

    def counting(text: str) -> Mentions:
        calls.append(text)
        return _mentions(text)

    checker = GroundingChecker(recognizer=counting)
    for _ in range(3):
        checker.check(TEXT, {"amounts": [amt(2_500_000)]})
    assert len(calls) == 1

    def missing(text: str) -> Mentions:
        raise NotImplementedError

    doc = GoldDoc(id="d1", text=TEXT, gold={"id": "d1"})
    result = score_press_releases([doc], {"d1": {"id": "d1", "amounts": [amt(1)]}}, checker=GroundingChecker(recognizer=missing))
    assert result.metrics()["unrecognized_rate"] is None


def test_missing_failed_and_unknown_predictions() -> None:
    docs = [GoldDoc(id=i, text=TEXT, gold={"id": i, "amounts": [amt(2_500_000)]}) for i in ("a", "b", "c")]
    preds = {"a": {"id": "a", "amounts": [amt(2_500_000)]}, "b": ExtractionFailure("BackendError: timeout"), "zzz": {"id": "zzz"}}
    metrics = score_press_releases(docs, preds, checker=GroundingChecker(recognizer=_mentions)).metrics()
    assert metrics["predictions"] == {"scored": 1, "missing": ["c"], "failed": ["b"], "unknown_ids": ["zzz"]}
    assert (metrics["amounts"]["tp"], metrics["amounts"]["fn"]) == (1, 2)


# ---------------------------------------------------------------------------------- shared gold


@pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason=f"shared gold set not found at {SHARED_GOLD}")
def test_gold_scored_against_itself_is_perfect() -> None:
    docs = load_gold_dir(SHARED_GOLD)
    for doc in docs:
        assert doc.to_dict() == doc.to_record().model_dump(mode="json"), doc.id
    result = score_press_releases(docs, {doc.id: doc.to_record() for doc in docs})
    metrics = result.metrics()
    for group in ("amounts", "tickers", "companies"):
        assert metrics[group]["f1"] == 1.0, group
        assert metrics["macro"][group]["f1"] == 1.0, group
    assert metrics["amounts"]["tp"] == sum(len(d.gold["amounts"]) for d in docs)
    assert metrics["amounts"]["kind_accuracy"] == metrics["amounts"]["status_accuracy"] == 1.0
    assert metrics["issuer"]["name_accuracy"] == metrics["date"]["accuracy"] == 1.0


class WithinDays(BaseMatcher):
    """A user-defined rule: ISO dates at most `days` apart."""

    def __init__(self, days: int) -> None:
        self.days = days

    def canonical(self, value):
        return None if value is None else date.fromisoformat(value)

    def compare(self, gold, predicted):
        if gold is None or predicted is None:
            return 1.0 if gold is predicted else None
        gap = abs((gold - predicted).days)
        return 1.0 - gap / (self.days + 1) if gap <= self.days else None


def test_user_defined_matcher_and_unhashable_exact_keys() -> None:
    config = {"events": ListOf(key={"on": WithinDays(2)}), "closing": WithinDays(0), "tags": ListOf(key=Exact())}
    gold = {"events": [{"on": "2025-08-01"}, {"on": "2025-08-03"}], "closing": "2025-09-30", "tags": [["a", "b"], ["c"]]}
    pred = {"events": [{"on": "2025-08-02"}, {"on": "2025-08-10"}], "closing": "2025-10-01", "tags": [["c"]]}
    summary = score_records([gold], [pred], config).summary()
    # 08-02 fits both gold dates (one day from each) but pairs with one; 08-10 fits none.
    assert (summary["events"]["tp"], summary["events"]["fp"], summary["events"]["fn"]) == (1, 1, 1)
    assert summary["closing"]["accuracy"] == 0.0
    assert (summary["tags"]["tp"], summary["tags"]["fn"]) == (1, 1)  # list values: no hashing shortcut


@pytest.mark.parametrize(
    "text, needle, span",
    [
        ("$13 million and $1", "$1", (16, 18)),  # not inside "$13"
        ("$1.5 or $1", "$1", (8, 10)),  # not the start of "$1.5"
        ("US$1 or $1", "$1", (8, 10)),  # not the tail of "US$1"
        ("only $13", "$1", (5, 7)),  # no whole-token occurrence: first occurrence
        ("nothing", "$1", None),
    ],
)
def test_gold_spans_prefer_whole_tokens(text: str, needle: str, span) -> None:
    assert _locate(text, needle) == span
