"""Score every blind held-out set with one backend and print a row per set plus the pooled figures.

The held-out sets (evals/heldout*/) are the honest measure of quality on unseen text, but each is
20-30 documents: one document moves a set's issuer accuracy by 0.04-0.05. Pooling them (sums of
true/false positives, accuracies weighted by what they are over) gives the figure to compare with
issue #11's targets. Sets whose texts are absent (no ../shared/corpus) are skipped and named.

    python scripts/heldout_summary.py                   # rules backend, every evals/heldout*/ set
    python scripts/heldout_summary.py --json out.json   # also write the table as JSON
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("amounts P", "amounts R", "kind", "status", "tickers P", "tickers R", "issuer", "companies P", "companies R", "companies F1", "date")


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _counts(metrics: dict) -> dict[str, float]:
    """What a set's metrics.json adds to the pool: counts, and accuracies times what they are over."""
    amounts, tickers, companies = metrics["amounts"], metrics["tickers"], metrics["companies"]
    docs = metrics["documents"]
    return {
        "docs": docs,
        "a_tp": amounts["tp"], "a_fp": amounts["fp"], "a_fn": amounts["fn"],
        "kind": (amounts.get("kind_accuracy") or 0) * amounts["tp"], "status": (amounts.get("status_accuracy") or 0) * amounts["tp"],
        "t_tp": tickers["tp"], "t_fp": tickers["fp"], "t_fn": tickers["fn"],
        "issuer": metrics["issuer"]["name_accuracy"] * docs,
        "c_tp": companies["tp"], "c_fp": companies["fp"], "c_fn": companies["fn"],
        "date": metrics["date"]["accuracy"] * docs,
    }


def _row(c: dict[str, float]) -> dict[str, float | None]:
    cp, cr = _ratio(c["c_tp"], c["c_tp"] + c["c_fp"]), _ratio(c["c_tp"], c["c_tp"] + c["c_fn"])
    return {
        "amounts P": _ratio(c["a_tp"], c["a_tp"] + c["a_fp"]), "amounts R": _ratio(c["a_tp"], c["a_tp"] + c["a_fn"]),
        "kind": _ratio(c["kind"], c["a_tp"]), "status": _ratio(c["status"], c["a_tp"]),
        "tickers P": _ratio(c["t_tp"], c["t_tp"] + c["t_fp"]), "tickers R": _ratio(c["t_tp"], c["t_tp"] + c["t_fn"]),
        "issuer": _ratio(c["issuer"], c["docs"]),
        "companies P": cp, "companies R": cr, "companies F1": 2 * cp * cr / (cp + cr) if cp and cr else None,
        "date": _ratio(c["date"], c["docs"]),
    }


def _score(gold: Path, backend: str, report: Path) -> dict:
    command = [sys.executable, "-P", "-m", "llmx.cli", "eval", str(gold), "--backend", backend, "--report", str(report)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tempfile.gettempdir())
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return json.loads((report / "metrics.json").read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="rules")
    parser.add_argument("--sets", nargs="*", type=Path, default=sorted((ROOT / "evals").glob("heldout*")))
    parser.add_argument("--json", type=Path, help="also write {set: row} as JSON here")
    args = parser.parse_args(argv)

    rows: dict[str, dict] = {}
    pool: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for gold in args.sets:
            docs_dir = gold / "docs_dir.txt"
            if docs_dir.is_file() and not (gold / docs_dir.read_text().strip()).is_dir():
                print(f"skip {gold.name}: its texts are not here", file=sys.stderr)
                continue
            counts = _counts(_score(gold.resolve(), args.backend, Path(tmp) / gold.name))
            rows[f"{gold.name} ({counts['docs']})"] = _row(counts)
            for key, value in counts.items():
                pool[key] = pool.get(key, 0) + value
    if not rows:
        print("no held-out set could be scored", file=sys.stderr)
        return 1
    rows[f"pooled ({pool['docs']})"] = _row(pool)

    width = max(map(len, rows))
    print(f"{'set (docs)':<{width}}  " + "  ".join(f"{name:>12}" for name in COLUMNS))
    for name, row in rows.items():
        print(f"{name:<{width}}  " + "  ".join(f"{'-' if row[c] is None else f'{row[c]:.3f}':>12}" for c in COLUMNS))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
