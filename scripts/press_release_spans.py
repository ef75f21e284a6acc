"""How many names and dates of rules-backend PressRelease records carry a span, and whether it is right.

    .venv/bin/python scripts/press_release_spans.py [GOLD_DIR ...]   # default: own and shared eval sets

A span is right when text[span] equals the value up to case and spacing, or has a rapidfuzz
ratio >= 85 with it (OCR noise); for the date, when it is the first printed form of that date.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz

from llmx.evaluate.gold import load_gold_dir
from llmx.rules.record import rules_record
from llmx.rules.spans import date_span

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "evals" / "press_releases", ROOT.parent / "shared" / "evals" / "press_releases"]


def _norm(value: str) -> str:
    return " ".join(value.casefold().split())


def main(folders: list[Path]) -> int:
    print(f"{'set':<40} {'field':<8} {'values':>6} {'spans':>6} {'no span':>8} {'wrong':>6}")
    for folder in folders:
        if not (folder / "gold.jsonl").is_file():
            print(f"skipping {folder}: not found", file=sys.stderr)
            continue
        stats: dict[str, Counter[str]] = {}
        for doc in load_gold_dir(folder):
            record = rules_record(doc.text)
            named = {"issuer": [(record.issuer.name, record.issuer.span)], "company": [(c.name, c.span) for c in record.companies],
                     "payer": [(a.payer, a.payer_span) for a in record.amounts], "payee": [(a.payee, a.payee_span) for a in record.amounts]}
            for field, pairs in named.items():
                counter = stats.setdefault(field, Counter())
                for value, span in pairs:
                    if value is None:
                        continue
                    counter["values"] += 1
                    if span is None:
                        counter["no span"] += 1
                        continue
                    counter["spans"] += 1
                    printed = _norm(doc.text[span[0] : span[1]])
                    if printed != _norm(value) and fuzz.ratio(printed, _norm(value)) < 85:
                        counter["wrong"] += 1
            counter = stats.setdefault("date", Counter())
            if record.date is not None:
                counter["values"] += 1
                if record.date_span is None:
                    counter["no span"] += 1
                else:
                    counter["spans"] += 1
                    counter["wrong"] += record.date_span != date_span(record.date, doc.text)
        for field, c in stats.items():
            print(f"{folder.parent.parent.name + '/' + folder.name:<40} {field:<8} {c['values']:>6} {c['spans']:>6} {c['no span']:>8} {c['wrong']:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main([Path(a) for a in sys.argv[1:]] or DEFAULT))
