"""Score the `rules` backend against a gold directory (docs/<id>.txt + gold.jsonl).

    python scripts/score_rules.py GOLD_DIR [--gold-mentions] [--errors] [--only REGEX]

--gold-mentions feeds the rules mentions rebuilt from gold (isolates the role/party rules from
the recognizers); --errors lists every wrong kind/status, issuer and date.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from llmx.evaluate.gold import load_gold_dir
from llmx.evaluate.match import assign, normalise_company, relative_error
from llmx.llm.rules import rules_record
from llmx.recognize import recognize
from llmx.rules.gold_mentions import gold_mentions


def _prf(tp: int, n_pred: int, n_gold: int) -> str:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P={p:.3f} R={r:.3f} F1={f:.3f} (tp={tp} pred={n_pred} gold={n_gold})"


def _name_match(gold: str | None, pred: str | None, threshold: int) -> bool:
    if not gold or not pred:
        return gold == pred
    return fuzz.token_set_ratio(normalise_company(gold), normalise_company(pred)) >= threshold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("--gold-mentions", action="store_true", help="use mentions rebuilt from gold")
    parser.add_argument("--errors", action="store_true", help="print every error")
    parser.add_argument("--only", metavar="REGEX", help="score only documents whose id matches REGEX")
    args = parser.parse_args(argv)

    counts: Counter[str] = Counter()
    kind_confusion: Counter[tuple[str, str]] = Counter()
    for doc in load_gold_dir(args.gold_dir):
        if args.only and not re.search(args.only, doc.id):
            continue
        gold = doc.gold
        mentions = gold_mentions(gold, doc.text) if args.gold_mentions else recognize(doc.text)
        record = rules_record(doc.text, mentions, doc_id=doc.id)

        gold_amounts, pred_amounts = gold.get("amounts", []), record.amounts
        compatible = np.array(
            [[g.get("currency", "USD") == p.currency and relative_error(g["value"], p.value) <= 0.005 for p in pred_amounts] for g in gold_amounts],
            dtype=bool,
        ).reshape(len(gold_amounts), len(pred_amounts))
        pairs = assign(compatible)
        counts.update(amount_tp=len(pairs), amount_pred=len(pred_amounts), amount_gold=len(gold_amounts))
        for gi, pi in pairs:
            g, p = gold_amounts[gi], pred_amounts[pi]
            kind_ok, status_ok = g.get("kind", "other") == p.kind, g.get("status", "actual") == p.status
            counts.update(kind_ok=kind_ok, status_ok=status_ok, all_other=g.get("kind") == "other", all_actual=g.get("status") == "actual")
            kind_confusion[(g.get("kind", "other"), p.kind)] += 1
            if args.errors and not (kind_ok and status_ok):
                print(f"{doc.id} {g['text']!r}: gold {g.get('kind')}/{g.get('status')} pred {p.kind}/{p.status}")

        gold_symbols = {t["symbol"].upper() for t in gold.get("tickers", [])}
        pred_symbols = {t.symbol.upper() for t in record.tickers}
        counts.update(ticker_tp=len(gold_symbols & pred_symbols), ticker_pred=len(pred_symbols), ticker_gold=len(gold_symbols))

        gold_issuer = gold.get("issuer") or {}
        issuer_ok = _name_match(gold_issuer.get("name"), record.issuer.name, 90)
        ticker_ok = (gold_issuer.get("ticker") or None) == (record.issuer.ticker or None)
        counts.update(issuer_name_ok=issuer_ok, issuer_ticker_ok=ticker_ok, docs=1, date_ok=gold.get("date") == record.date)
        if args.errors and not (issuer_ok and ticker_ok):
            print(f"{doc.id} issuer: gold {gold_issuer} pred {record.issuer.model_dump()}")
        if args.errors and gold.get("date") != record.date:
            print(f"{doc.id} date: gold {gold.get('date')} pred {record.date}")

        gold_companies = [c if isinstance(c, str) else c["name"] for c in gold.get("companies", [])]
        pred_companies = [c.name for c in record.companies]
        compatible = np.array([[_name_match(g, p, 85) for p in pred_companies] for g in gold_companies], dtype=bool).reshape(len(gold_companies), len(pred_companies))
        company_pairs = assign(compatible)
        counts.update(company_tp=len(company_pairs), company_pred=len(pred_companies), company_gold=len(gold_companies))
        if args.errors:
            matched_gold = {gi for gi, _ in company_pairs}
            matched_pred = {pi for _, pi in company_pairs}
            missed = [g for i, g in enumerate(gold_companies) if i not in matched_gold]
            extra = [p for i, p in enumerate(pred_companies) if i not in matched_pred]
            if missed or extra:
                print(f"{doc.id} companies missed={missed} extra={extra}")

    matched = counts["amount_tp"] or 1
    print(f"gold dir: {args.gold_dir}  mentions: {'gold' if args.gold_mentions else 'recognizers'}  docs: {counts['docs']}")
    print(f"amounts   {_prf(counts['amount_tp'], counts['amount_pred'], counts['amount_gold'])}")
    print(f"kind      accuracy={counts['kind_ok'] / matched:.3f}  (all-'other' baseline {counts['all_other'] / matched:.3f})")
    print(f"status    accuracy={counts['status_ok'] / matched:.3f}  (all-'actual' baseline {counts['all_actual'] / matched:.3f})")
    print(f"tickers   {_prf(counts['ticker_tp'], counts['ticker_pred'], counts['ticker_gold'])}")
    print(f"issuer    name={counts['issuer_name_ok'] / counts['docs']:.3f}  ticker={counts['issuer_ticker_ok'] / counts['docs']:.3f}")
    print(f"companies {_prf(counts['company_tp'], counts['company_pred'], counts['company_gold'])}")
    print(f"date      accuracy={counts['date_ok'] / counts['docs']:.3f}")
    if args.errors:
        print("kind confusion (gold -> pred):", ", ".join(f"{g}->{p}:{n}" for (g, p), n in kind_confusion.most_common() if g != p))
    return 0


if __name__ == "__main__":
    sys.exit(main())
