"""Recognizer scoring: gold's exactly-distinct amounts, closest-value matching, first listing per symbol."""

from __future__ import annotations

from llmx.evaluate.gold import GoldDoc
from llmx.evaluate.recognizers import score_recognizers


def _doc(text: str, amounts: list[tuple[float, str]], tickers: list[tuple[str, str]] = ()) -> GoldDoc:
    gold = {
        "amounts": [{"value": value, "currency": currency} for value, currency in amounts],
        "tickers": [{"symbol": symbol, "exchange": exchange} for symbol, exchange in tickers],
    }
    return GoldDoc(id="t-1", text=text, gold=gold)


def test_near_equal_printed_amounts_stay_distinct() -> None:
    # Within the 0.5 % matching tolerance of each other, yet two printed amounts.
    doc = _doc("Shares at $5.00 and warrants at $4.999; fee $5.00 again.", [(5.0, "USD"), (4.999, "USD")])
    scores = score_recognizers([doc])
    assert (scores.money.tp, scores.money.fp, scores.money.fn) == (2, 0, 0)


def test_gold_value_takes_the_closest_prediction() -> None:
    # Gold lists the exact value first; greedy first-within-tolerance would take 412.7M for it.
    text = "Sales were $412.7 million (exactly $412,718,000)."
    doc = _doc(text, [(412_718_000, "USD"), (412_700_000, "USD")])
    scores = score_recognizers([doc])
    assert (scores.money.tp, scores.money.fp, scores.money.fn) == (2, 0, 0)


def test_missing_and_extra_amounts_are_counted() -> None:
    doc = _doc("It paid $2 million and EUR 3 million.", [(2_000_000, "USD"), (3_000_000, "USD")])
    scores = score_recognizers([doc])
    assert (scores.money.tp, scores.money.fp, scores.money.fn) == (1, 1, 1)
    assert scores.money.false_negatives == ["t-1: None = 3e+06 USD"]
    assert scores.money.false_positives == ["t-1: 3e+06 EUR"]


def test_listing_scores_use_the_first_printed_exchange() -> None:
    doc = _doc("Acme (TSX: ACM) (NYSE: ACM) and Beta (FSE: 9BT)", [], [("ACM", "TSX"), ("9BT", "FSE")])
    scores = score_recognizers([doc])
    assert (scores.tickers.tp, scores.tickers.fp, scores.tickers.fn) == (2, 0, 0)
    assert scores.tickers.precision == scores.tickers.recall == 1.0


def test_amounts_match_within_half_a_percent() -> None:
    inside = score_recognizers([_doc("A fee of $1,004.", [(1000.0, "USD")])])
    outside = score_recognizers([_doc("A fee of $1,006.", [(1000.0, "USD")])])
    assert (inside.money.tp, inside.money.fn) == (1, 0)
    assert (outside.money.tp, outside.money.fp, outside.money.fn) == (0, 1, 1)


def test_listing_needs_symbol_and_exchange() -> None:
    scores = score_recognizers([_doc("Acme (NYSE: ACM)", [], [("ACM", "NASDAQ")])])
    assert (scores.tickers.tp, scores.tickers.fp, scores.tickers.fn) == (0, 1, 1)
    assert scores.tickers.false_negatives == ["t-1: ACM NASDAQ (found NYSE)"]
