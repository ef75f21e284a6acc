"""Validator on gold: false alarms on every correct record, and the share of injected errors caught.

Usage: python scripts/validator_check.py [GOLD_DIR ...] [--seed N] [--misses]
(default: the repository's evals/press_releases, evals/corpus when present, and
../shared/evals/press_releases beside the checkout).

A correct gold record must raise no error finding. Each amount and ticker of each record is
then corrupted one at a time - scale x1000 / x1e6 / /1000, wrong currency, a digit dropped or
doubled, a ticker not in the text, a wrong exchange - and one invented amount is added per
record; an injection is caught when an error finding points at the corrupted element. An
injected value the text really prints (e.g. x1000 of "$5" when "$5,000" is printed too) is
a collision, reported and left out of the rate. Both modes run: with the gold's quoted text
and spans, and values only (text and spans dropped, as from an extraction that quotes nothing).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

from llmx.evaluate.gold import GoldDoc, load_gold_dir
from llmx.recognize import find_tickers
from llmx.schema import Amount, PressRelease
from llmx.validation.checks import RELATIVE_TOLERANCE, SourceIndex, validate

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = (ROOT / "evals" / "press_releases", ROOT / "evals" / "corpus", ROOT.parent / "shared" / "evals" / "press_releases")
EXCHANGES = ("NASDAQ", "NYSE", "NYSE American", "OTC", "TSX", "TSXV", "CSE", "ASX", "LSE")
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "JPY", "CHF", "AUD")


def _digit_edit(value: float, rng: random.Random, double: bool) -> float | None:
    """Drop one digit of the value's integer part, or double one ("2,669,779" -> "266,979" / "26,669,779")."""
    digits = str(int(round(value)))
    if len(digits) < 2 and not double:
        return None
    pos = rng.randrange(len(digits))
    edited = digits[:pos] + digits[pos] + digits[pos:] if double else digits[:pos] + digits[pos + 1 :]
    edited = edited.lstrip("0") or "0"
    fraction = value - int(value)
    return float(int(edited)) + fraction


def _invented_symbol(text: str, rng: random.Random) -> str:
    while True:
        symbol = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.choice([3, 4])))
        if not re.search(rf"\b{symbol}\b", text):
            return symbol


def _invented_value(source: SourceIndex, rng: random.Random) -> float:
    """A value no mention supports at any scale (so it is not a scale or currency slip either)."""
    values = [m.value for m in source.money()]
    while True:
        value = round(rng.uniform(1, 999), 1) * 10 ** rng.choice([0, 3, 6])
        if not any(abs(value * 10**e - v) <= RELATIVE_TOLERANCE * max(value * 10**e, v) for v in values for e in range(-12, 13, 3)):
            return value


def injections(doc: GoldDoc, rng: random.Random, grounded: bool) -> list[tuple[str, str, PressRelease]]:
    """(kind, path, corrupted record) for each amount and ticker of the gold record, plus one invented amount."""
    base = doc.to_record()
    if not grounded:
        for amount in base.amounts:
            amount.text, amount.span = None, None
    out: list[tuple[str, str, PressRelease]] = []

    def corrupt(kind: str, path: str, edit) -> None:
        record = base.model_copy(deep=True)
        edit(record)
        out.append((kind, path, record))

    def set_value(i: int, value: float):
        return lambda r: setattr(r.amounts[i], "value", value)

    for i, amount in enumerate(base.amounts):
        path = f"amounts[{i}]"
        for kind, factor in (("scale x1000", 1e3), ("scale x1e6", 1e6), ("scale /1000", 1e-3)):
            corrupt(kind, path, set_value(i, amount.value * factor))
        currency = rng.choice([c for c in CURRENCIES if c != amount.currency])
        corrupt("wrong currency", path, lambda r, i=i, c=currency: setattr(r.amounts[i], "currency", c))
        for kind, double in (("digit dropped", False), ("digit doubled", True)):
            edited = _digit_edit(amount.value, rng, double)
            if edited is not None and edited != amount.value:
                corrupt(kind, path, set_value(i, edited))
    listed = {(m.symbol, m.exchange) for m in find_tickers(doc.text)}
    for i, ticker in enumerate(base.tickers):
        path = f"tickers[{i}]"
        symbol = _invented_symbol(doc.text, rng)
        corrupt("ticker not in text", path, lambda r, i=i, s=symbol: setattr(r.tickers[i], "symbol", s))
        exchange = rng.choice([e for e in EXCHANGES if (ticker.symbol, e) not in listed])
        corrupt("wrong exchange", path, lambda r, i=i, e=exchange: setattr(r.tickers[i], "exchange", e))
    value = _invented_value(SourceIndex(doc.text), rng)
    corrupt("invented amount", f"amounts[{len(base.amounts)}]", lambda r: r.amounts.append(Amount(value=value, currency="USD")))
    return out


def _collides(record: PressRelease, path: str, source: SourceIndex) -> bool:
    """True when the corrupted value is itself printed in the text (then no validator can object)."""
    match = re.fullmatch(r"amounts\[(\d+)\]", path)
    if match is None:
        return False
    amount = record.amounts[int(match[1])]
    return bool(source.money_near(abs(amount.value), amount.currency, RELATIVE_TOLERANCE)) and amount.span is None


def check(dirs: list[Path], seed: int, show_misses: bool) -> int:
    docs: list[GoldDoc] = []
    for folder in dirs:
        loaded = load_gold_dir(folder)
        docs += loaded
        print(f"{folder}: {len(loaded)} records")
    false_alarms = []
    for doc in docs:
        report = validate(doc.text, doc.to_record())
        if not report.ok:
            false_alarms.append((doc.id, [f"{f.code} {f.path}: {f.message[:160]}" for f in report.errors]))
    print(f"\ngold records: {len(docs)}; with an error finding (false alarms): {len(false_alarms)}")
    for doc_id, errors in false_alarms:
        print(f"  {doc_id}: {errors}")
    status = 0 if not false_alarms else 1
    for grounded in (True, False):
        rng = random.Random(seed)
        total, caught, collisions, misses = Counter(), Counter(), Counter(), []
        for doc in docs:
            source = SourceIndex(doc.text)
            for kind, path, record in injections(doc, rng, grounded):
                if _collides(record, path, source):
                    collisions[kind] += 1
                    continue
                report = validate(doc.text, record, source=source)
                total[kind] += 1
                if any(f.path.startswith(path + ".") for f in report.errors):
                    caught[kind] += 1
                else:
                    misses.append(f"{doc.id} {kind} {path}")
        rate = sum(caught.values()) / max(1, sum(total.values()))
        mode = "with spans" if grounded else "values only"
        print(f"\n[{mode}] injected errors caught: {rate:.4f} ({sum(caught.values())}/{sum(total.values())}); "
              f"collisions left out: {sum(collisions.values())}")
        for kind in total:
            print(f"  {kind:<20} {caught[kind]:>5}/{total[kind]:<5} collisions {collisions[kind]}")
        if show_misses and misses:
            print("  missed: " + "; ".join(misses[:200]))
        if rate < 0.98:
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dirs", nargs="*", type=Path)
    parser.add_argument("--seed", type=int, default=20251202)
    parser.add_argument("--misses", action="store_true", help="list the injections the validator missed")
    args = parser.parse_args(argv)
    dirs = args.gold_dirs or [d for d in DEFAULT_DIRS if (d / "gold.jsonl").is_file()]
    return check(dirs, args.seed, args.misses)


if __name__ == "__main__":
    sys.exit(main())
