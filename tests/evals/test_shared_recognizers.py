"""Recognizers and validator on the shared dev gold set (read at run time; skipped if absent).

- money P/R >= 0.97 and ticker P/R >= 0.98 against the gold annotations;
- every gold record passes the validator (no error findings), via `validate` and via pydantic;
- systematically injected errors (seeded) are flagged at the right place >= 98 % of the time.
"""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from llmx.evaluate.gold import GoldDoc, load_gold_dir
from llmx.recognize import find_tickers
from llmx.evaluate.recognizers import score_recognizers
from llmx.schema import PressRelease
from llmx.validation.checks import source_context, validate
from support import SHARED_GOLD

GOLD_DIR = SHARED_GOLD
EXCHANGES = ("NASDAQ", "NYSE", "NYSE American", "OTC", "TSX", "TSXV", "CSE", "ASX", "LSE")
OTHER_CURRENCIES = ("EUR", "GBP", "CAD", "JPY", "CHF")

pytestmark = pytest.mark.skipif(not (GOLD_DIR / "gold.jsonl").is_file(), reason=f"shared gold set not found at {GOLD_DIR}")


@pytest.fixture(scope="module")
def docs() -> list[GoldDoc]:
    return load_gold_dir(GOLD_DIR)


def test_recognizer_precision_and_recall(docs: list[GoldDoc]) -> None:
    scores = score_recognizers(docs)
    print(
        f"\nmoney   P={scores.money.precision:.4f} R={scores.money.recall:.4f} "
        f"(tp={scores.money.tp} fp={scores.money.fp} fn={scores.money.fn})"
        f"\ntickers P={scores.tickers.precision:.4f} R={scores.tickers.recall:.4f} "
        f"(tp={scores.tickers.tp} fp={scores.tickers.fp} fn={scores.tickers.fn})"
    )
    assert scores.money.tp == sum(len(doc.gold["amounts"]) for doc in docs) - scores.money.fn
    assert scores.money.precision >= 0.97 and scores.money.recall >= 0.97, scores.money
    assert scores.tickers.precision >= 0.98 and scores.tickers.recall >= 0.98, scores.tickers


def test_every_gold_record_passes(docs: list[GoldDoc]) -> None:
    for doc in docs:
        record = doc.to_record()
        report = validate(doc.text, record)
        assert report.ok, (doc.id, report.errors)
        PressRelease.model_validate(record.model_dump(), context=source_context(doc.text))


def _change_leading_digit(value: float, rng: random.Random) -> float:
    """Change one of the first two significant digits: smaller edits fall inside the 0.5 % tolerance."""
    digits = f"{value:.6e}"  # d.dddddde+XX
    mantissa, exponent = digits.split("e")
    chars = list(mantissa.replace(".", ""))
    position = rng.choice([0, 1])
    chars[position] = rng.choice([d for d in "0123456789" if d != chars[position] and (position or d != "0")])
    return float(f"{chars[0]}.{''.join(chars[1:])}e{exponent}")


def _invented_symbol(text: str, rng: random.Random) -> str:
    while True:
        symbol = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.choice([3, 4])))
        if not re.search(rf"\b{symbol}\b", text):
            return symbol


def _injections(doc: GoldDoc, rng: random.Random, grounded: bool) -> list[tuple[str, str, PressRelease]]:
    """(kind, path prefix, corrupted record) for every amount and ticker of one gold record.

    With `grounded=False` the quoted text and spans are dropped first, so only the values speak
    (an extraction that does not quote its source).
    """
    base = doc.to_record()
    if not grounded:
        for amount in base.amounts:
            amount.text, amount.span = None, None
    out = []

    def corrupted(path: str, kind: str, edit) -> None:
        record = base.model_copy(deep=True)
        edit(record)
        out.append((kind, path, record))

    for i, amount in enumerate(base.amounts):
        corrupted(f"amounts[{i}]", "value x1000", lambda r, i=i: setattr(r.amounts[i], "value", r.amounts[i].value * 1000))
        new_value = _change_leading_digit(amount.value, rng)
        corrupted(f"amounts[{i}]", "changed digit", lambda r, i=i, v=new_value: setattr(r.amounts[i], "value", v))
        currency = rng.choice([c for c in OTHER_CURRENCIES if c != amount.currency])
        corrupted(f"amounts[{i}]", "wrong currency", lambda r, i=i, c=currency: setattr(r.amounts[i], "currency", c))
    listed = {(m.symbol, m.exchange) for m in find_tickers(doc.text)}
    for i, ticker in enumerate(base.tickers):
        symbol = _invented_symbol(doc.text, rng)
        corrupted(f"tickers[{i}]", "invented ticker", lambda r, i=i, s=symbol: setattr(r.tickers[i], "symbol", s))
        exchange = rng.choice([e for e in EXCHANGES if (ticker.symbol, e) not in listed])
        corrupted(f"tickers[{i}]", "wrong exchange", lambda r, i=i, e=exchange: setattr(r.tickers[i], "exchange", e))
    return out


@pytest.mark.parametrize("grounded", [True, False], ids=["with-spans", "values-only"])
def test_injected_errors_are_detected(docs: list[GoldDoc], grounded: bool) -> None:
    rng = random.Random(20250801)
    total, detected, misses = Counter(), Counter(), []
    for doc in docs:
        for kind, path, record in _injections(doc, rng, grounded):
            report = validate(doc.text, record)
            total[kind] += 1
            if any(f.path.startswith(path + ".") for f in report.errors):
                detected[kind] += 1
            else:
                misses.append(f"{doc.id} {kind} {path}")
    rate = sum(detected.values()) / sum(total.values())
    per_kind = ", ".join(f"{kind} {detected[kind]}/{total[kind]}" for kind in total)
    print(f"\n[{'with spans' if grounded else 'values only'}] injected-error detection rate {rate:.4f} ({sum(detected.values())}/{sum(total.values())}): {per_kind}")
    if misses:
        print("missed:", "; ".join(misses))
    assert set(total) == {"value x1000", "changed digit", "wrong currency", "invented ticker", "wrong exchange"}
    assert rate >= 0.98
