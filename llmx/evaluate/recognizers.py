"""Score the recognizers (`find_money`, `find_tickers`) against gold, with the eval's own matchers.

Recognizer output is turned into the `amounts` and `tickers` lists of a record and aligned by
`score_list`, so a gold amount pairs with a predicted one exactly as in `llmx eval` (value within
0.5 % and same currency, optimal one-to-one, closest value first). Two gold conventions shape the
predicted lists: gold has one amount per exactly distinct (value, currency), so repeated mentions
collapse first ($3.00 and $2.999 stay two amounts although they agree within tolerance); and gold
has one ticker per symbol with the exchange printed first, so each symbol keeps its first listing
and a match needs symbol AND exchange.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from llmx.evaluate.fields import ListOf, ListResult, score_list
from llmx.evaluate.gold import GoldDoc
from llmx.evaluate.metrics import Counts
from llmx.evaluate.scoring import PRESS_RELEASE_FIELDS
from llmx.recognize import find_money, find_tickers

_AMOUNTS = cast(ListOf, PRESS_RELEASE_FIELDS["amounts"])
_TICKERS = cast(ListOf, PRESS_RELEASE_FIELDS["tickers"])
MONEY_SPEC = ListOf(key=_AMOUNTS.key)  # value within 0.5 % and same currency; roles are not recognized
# The eval scores a ticker's exchange as an attribute; a recognized listing must get both right.
TICKER_SPEC = ListOf(key={**cast(dict, _TICKERS.key), **_TICKERS.attributes})


@dataclass(frozen=True)
class RecognizerCounts(Counts):
    """Counts of one recognizer plus readable misses ("doc-id: what") for inspection."""

    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RecognizerScores:
    money: RecognizerCounts
    tickers: RecognizerCounts


def _distinct_money(text: str) -> list[dict[str, Any]]:
    """Exactly distinct (value, currency) amounts, in first-printed order (float noise aside)."""
    distinct: list[dict[str, Any]] = []
    for mention in find_money(text):
        if not any(a["currency"] == mention.currency and math.isclose(a["value"], mention.value, rel_tol=1e-9) for a in distinct):
            distinct.append({"value": mention.value, "currency": mention.currency})
    return distinct


def _first_listing_per_symbol(text: str) -> dict[str, str]:
    listings: dict[str, str] = {}
    for mention in find_tickers(text):
        listings.setdefault(mention.symbol, mention.exchange)
    return listings


def _total(results: list[ListResult], false_positives: list[str], false_negatives: list[str]) -> RecognizerCounts:
    counts = sum((r.counts for r in results), Counts())
    return RecognizerCounts(counts.tp, counts.fp, counts.fn, false_positives, false_negatives)


def score_recognizers(docs: Iterable[GoldDoc]) -> RecognizerScores:
    """Precision/recall of `find_money` and `find_tickers` over gold documents."""
    money: list[ListResult] = []
    tickers: list[ListResult] = []
    money_fp: list[str] = []
    money_fn: list[str] = []
    ticker_fp: list[str] = []
    ticker_fn: list[str] = []
    for doc in docs:
        gold_amounts = [{**a, "currency": a.get("currency", "USD")} for a in doc.gold.get("amounts", [])]
        predicted = _distinct_money(doc.text)
        result = score_list(MONEY_SPEC, gold_amounts, predicted)
        money.append(result)
        money_fn += [f"{doc.id}: {gold_amounts[i].get('text')!r} = {float(gold_amounts[i]['value']):g} {gold_amounts[i]['currency']}" for i in result.missed]
        money_fp += [f"{doc.id}: {predicted[j]['value']:g} {predicted[j]['currency']}" for j in result.spurious]

        gold_tickers = doc.gold.get("tickers", [])
        listings = _first_listing_per_symbol(doc.text)
        found = [{"symbol": s, "exchange": e} for s, e in listings.items()]
        result = score_list(TICKER_SPEC, gold_tickers, found)
        tickers.append(result)
        for i in result.missed:
            symbol, exchange = gold_tickers[i]["symbol"], gold_tickers[i].get("exchange")
            ticker_fn.append(f"{doc.id}: {symbol} {exchange} (found {listings.get(symbol)})")
        ticker_fp += [f"{doc.id}: {found[j]['symbol']} {found[j]['exchange']}" for j in result.spurious]
    return RecognizerScores(money=_total(money, money_fp, money_fn), tickers=_total(tickers, ticker_fp, ticker_fn))
