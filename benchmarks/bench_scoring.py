"""How fast is scoring? 10,000 predicted records against gold (target: well under 5 s).

Builds 10,000 (gold, prediction) pairs by replicating the shared dev gold set, perturbing the
predictions deterministically (dropped, added, shifted and relabelled amounts; renamed and
dropped companies; wrong tickers), then times parsing and scoring separately and prints
records/s. Run: `.venv/bin/python benchmarks/bench_scoring.py [GOLD_DIR] [N]`.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from llmx.evaluate.gold import GoldDoc, load_gold_dir
from llmx.evaluate.grounding import GroundingChecker
from llmx.evaluate.run import _parse_prediction
from llmx.evaluate.scoring import score_press_releases

DEFAULT_GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "evals" / "press_releases"


def perturbed(gold: dict, rng: random.Random) -> dict:
    """A plausible imperfect prediction for one gold record."""
    amounts = [dict(a) for a in gold.get("amounts", [])]
    rng.shuffle(amounts)
    if amounts and rng.random() < 0.3:
        amounts.pop()
    for amount in amounts:
        if rng.random() < 0.2:
            amount["value"] = amount["value"] * rng.choice([1.001, 1.1, 1000])
        if rng.random() < 0.2:
            amount["kind"] = "other"
    if rng.random() < 0.3:
        amounts.append({"value": rng.randint(1, 10**7), "currency": "USD", "kind": "other", "status": "actual"})
    companies = [{"name": name.upper() if rng.random() < 0.3 else name} for name in gold.get("companies", []) if rng.random() > 0.1]
    tickers = [dict(t) for t in gold.get("tickers", [])] + ([{"symbol": "ZZZZ", "exchange": "NYSE"}] if rng.random() < 0.1 else [])
    return {
        "id": gold["id"],
        "date": gold.get("date"),
        "issuer": gold.get("issuer") or {},
        "tickers": tickers,
        "amounts": amounts,
        "companies": companies,
        "meta": {"usage": {"calls": 1, "prompt_tokens": 900, "completion_tokens": 150}, "latency_s": rng.uniform(0.5, 3.0)},
    }


def main(gold_dir: Path = DEFAULT_GOLD, n: int = 10_000) -> None:
    base = load_gold_dir(gold_dir)
    rng = random.Random(0)
    docs, raw = [], []
    for k in range(n):
        seed = base[k % len(base)]
        doc_id = f"{seed.id}-r{k:05d}"
        docs.append(GoldDoc(id=doc_id, text=seed.text, gold={**seed.gold, "id": doc_id}))
        raw.append(json.dumps({**perturbed(seed.gold, rng), "id": doc_id}))

    t0, c0 = time.perf_counter(), time.process_time()
    predictions = {json.loads(line)["id"]: _parse_prediction(json.loads(line), "bench") for line in raw}
    t1, c1 = time.perf_counter(), time.process_time()
    checker = GroundingChecker()
    result = score_press_releases(docs, predictions, checker=checker)
    metrics = result.metrics()
    t2, c2 = time.perf_counter(), time.process_time()

    print(f"records: {n} (from {len(base)} gold documents in {gold_dir})")
    print(f"grounding: {'on (recognizers ran once per distinct text)' if checker.available else 'skipped (recognizers not implemented)'}")
    print(f"parse+validate: {t1 - t0:.2f} s wall, {c1 - c0:.2f} s CPU")
    print(f"score+aggregate: {t2 - t1:.2f} s wall, {c2 - c1:.2f} s CPU ({n / (t2 - t1):,.0f} records/s)")
    print(f"total: {t2 - t0:.2f} s wall, {c2 - c0:.2f} s CPU ({n / (t2 - t0):,.0f} records/s)")
    print(f"amounts F1 {metrics['amounts']['f1']:.3f}, companies F1 {metrics['companies']['f1']:.3f}, hallucination rate {metrics['hallucination_rate']}")


if __name__ == "__main__":
    gold_arg = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_GOLD
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    main(gold_arg, count)
