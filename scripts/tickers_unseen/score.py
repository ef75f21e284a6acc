"""Tickers and amounts of `llmx.extract(backend="rules")` against the hand-judged unseen sample (issue #11).

Usage: python scripts/tickers_unseen/score.py [tickers-tune|amounts-tune|check] [--docs DIR] [--misses]

judged.jsonl holds ids and judgments only (no text); the texts stay in
../shared/corpus/press_releases/docs. Sets (all ids in c0001-c1600, none in a gold set):
- tickers-tune: 60 releases (seed 20261202, 45 drawn from those naming a non-US market, OTC,
  ADRs or tokens), every listing judged by hand before the recognizer was run;
- amounts-tune: 40 releases, every distinct amount the rules output at the branch point judged
  money or not (precision only: `money: false` entries carry the reason);
- check: 30 further releases, tickers and every amount judged by hand first, scored once at the end;
- currency-tune: 50 releases: 40 up to 9,000 characters (seed 20261213, 30 of them drawn from those
  naming a non-USD currency or a non-US market) and 10 of 9,000-20,000 characters naming a non-USD
  currency (seed 20261214); every amount (value, currency) listed by hand before the recognizer
  output was read (amounts2 branch, issue #11);
- currency-check: 20 further releases drawn the same way, judged by hand first, scored once at the end.
Tickers are matched by symbol (case-insensitive, one per symbol), amounts by (value within 0.5 %,
currency) over distinct pairs, as `llmx eval` scores them (for the currency sets the judged amounts
are made distinct the same way, so two judged values within 0.5 % count once).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import llmx

HERE = Path(__file__).resolve().parent
DEFAULT_DOCS = HERE.parents[1].parent / "shared" / "corpus" / "press_releases" / "docs"
TOLERANCE = 0.005


def _same_amount(a: tuple[float, str], b: tuple[float, str]) -> bool:
    return a[1] == b[1] and abs(a[0] - b[0]) <= TOLERANCE * max(abs(a[0]), abs(b[0]))


def _match(predicted: list[tuple[float, str]], gold: list[tuple[float, str]]) -> tuple[int, list, list]:
    """(matched, unmatched predicted, unmatched gold), greedy one-to-one."""
    left = list(gold)
    extra = []
    for item in predicted:
        hit = next((g for g in left if _same_amount(item, g)), None)
        if hit is None:
            extra.append(item)
        else:
            left.remove(hit)
    return len(predicted) - len(extra), extra, left


def _distinct(pairs: list[tuple[float, str]]) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    for pair in pairs:
        if not any(_same_amount(pair, seen) for seen in out):
            out.append(pair)
    return out


def _currency_accuracy(predicted: list[tuple[float, str]], gold: list[tuple[float, str]]) -> tuple[int, int]:
    """(right currency, judged value): predicted amounts whose value some judged amount has."""
    valued = [p for p in predicted if any(_same_amount((p[0], g[1]), g) for g in gold)]
    right = [p for p in valued if any(_same_amount(p, g) for g in gold)]
    return len(right), len(valued)


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", default="check", choices=["tickers-tune", "amounts-tune", "check", "currency-tune", "currency-check"])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--misses", action="store_true", help="print each miss and false positive (ids, symbols, values)")
    args = parser.parse_args()
    judged = [r for r in map(json.loads, (HERE / "judged.jsonl").open()) if r["set"] == args.set]
    t_tp = t_fp = t_fn = a_tp = a_fp = a_fn = a_unjudged = 0
    c_right = c_valued = 0  # currency accuracy: predicted amounts whose value a judged amount has
    for row in judged:
        record = llmx.extract((args.docs / f"{row['id']}.txt").read_text(errors="replace"), backend="rules")
        predicted = _distinct([(float(a.value), a.currency) for a in record.amounts])
        if "tickers" in row:
            got = {t.symbol.upper() for t in record.tickers}
            gold = {t["symbol"].upper() for t in row["tickers"]}
            t_tp, t_fp, t_fn = t_tp + len(got & gold), t_fp + len(got - gold), t_fn + len(gold - got)
            if args.misses:
                for symbol in sorted(got - gold):
                    print(row["id"], "ticker FP", symbol)
                for symbol in sorted(gold - got):
                    print(row["id"], "ticker FN", symbol)
        if args.set in ("check", "currency-tune", "currency-check"):
            gold_pairs = [(a["value"], a["currency"]) for a in row["amounts"]]
            if args.set != "check":  # distinct like the predictions: "EUR 55.9bn" and "EUR 56.0bn" are one
                gold_pairs = _distinct(gold_pairs)
            matched, extra, missed = _match(predicted, gold_pairs)
            right, valued = _currency_accuracy(predicted, gold_pairs)
            c_right, c_valued = c_right + right, c_valued + valued
            a_tp, a_fp, a_fn = a_tp + matched, a_fp + len(extra), a_fn + len(missed)
            if args.misses:
                for value, currency in extra:
                    print(row["id"], "amount FP", value, currency)
                for value, currency in missed:
                    print(row["id"], "amount FN", value, currency)
        elif args.set == "amounts-tune":
            money = [(a["value"], a["currency"]) for a in row["amounts"] if a["money"]]
            not_money = [(a["value"], a["currency"]) for a in row["amounts"] if not a["money"]]
            matched, extra, _ = _match(predicted, money)
            wrong, unjudged, _ = _match(extra, not_money)
            a_tp, a_fp, a_unjudged = a_tp + matched, a_fp + wrong, a_unjudged + len(unjudged)
            if args.misses:
                for value, currency in extra:
                    print(row["id"], "amount not money" if (value, currency) not in unjudged else "amount unjudged", value, currency)
    print(f"{args.set}: {len(judged)} docs")
    if t_tp + t_fp + t_fn:
        print(f"  tickers  P {_ratio(t_tp, t_tp + t_fp)}  R {_ratio(t_tp, t_tp + t_fn)}  (tp {t_tp}, fp {t_fp}, fn {t_fn})")
    if args.set in ("check", "currency-tune", "currency-check"):
        print(f"  currency accuracy {_ratio(c_right, c_valued)}  ({c_right} of {c_valued} amounts whose value is judged)")
        print(f"  amounts  P {_ratio(a_tp, a_tp + a_fp)}  R {_ratio(a_tp, a_tp + a_fn)}  (tp {a_tp}, fp {a_fp}, fn {a_fn})")
    elif args.set == "amounts-tune":
        print(f"  amounts  P {_ratio(a_tp, a_tp + a_fp)}  (money {a_tp}, not money {a_fp}, not judged {a_unjudged})")


if __name__ == "__main__":
    main()
