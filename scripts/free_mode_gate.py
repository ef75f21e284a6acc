#!/usr/bin/env python3
"""Free-mode hallucination gate against a loopback OpenAI-compatible server.

In grounded mode the amounts come from the recognizers, so a hallucination gate on grounded runs
can only fail through a recognizer bug. Here the model writes the values: the loopback server
(llmx.testing.LoopbackServer) answers each document with its gold values, and in the
"inventing" runs adds values that are not printed: the first amount at the wrong scale
("2" for "$2 million"), an amount the text never mentions and a ticker it never lists.

Three runs of `llmx eval GOLD --mode free --backend openai --base-url http://127.0.0.1:PORT/v1`:

  honest          gold values only                    expect hallucination_rate = 0, exit 0
  inventing       invented values, --keep-invalid     expect hallucination_rate > 0, exit 1 (caught)
  validated       invented values, validation drops   expect hallucination_rate = 0, exit 0

All three with `--fail-over hallucination_rate=0`. Prints each run's rates; exits 1 if any
expectation fails. Usage: scripts/free_mode_gate.py [GOLD_DIR] [--limit N] [--reports DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from llmx.evaluate.gold import GoldDoc, load_gold_dir  # noqa: E402
from llmx.testing import LoopbackServer, last_user_message, structured_reply  # noqa: E402

INVENTED_AMOUNT = {"value": 123_456_789.0, "currency": "USD", "text": "$123,456,789", "kind": "other", "status": "actual"}
INVENTED_TICKER = {"symbol": "ZZZQ", "exchange": "NASDAQ", "text": "NASDAQ: ZZZQ"}


def _chunk_of(message: str) -> str:
    match = re.search(r'"""\n(.*)\n"""', message, flags=re.S)
    return match.group(1) if match else message


def answer(doc: GoldDoc, chunk: str, invent: bool) -> dict[str, Any]:
    """The reply for one chunk of `doc`: its gold values printed in the chunk (+ invented ones)."""
    gold = doc.to_dict()
    amounts = [{k: a.get(k) for k in ("value", "currency", "text", "kind", "status")} for a in gold["amounts"] if a.get("text") and a["text"] in chunk]
    tickers = [{"symbol": t["symbol"], "exchange": t.get("exchange")} for t in gold["tickers"] if t["symbol"] in chunk]
    if invent:
        scaled = next((a for a in amounts if a["value"] >= 1e6), None)
        if scaled is not None:
            amounts.append({**scaled, "value": scaled["value"] / 1e6, "text": None})
        amounts.append(dict(INVENTED_AMOUNT))
        tickers.append(dict(INVENTED_TICKER))
    return {
        "date": gold.get("date"),
        "issuer": gold.get("issuer") or {},
        "tickers": tickers,
        "amounts": amounts,
        "companies": [{"name": c["name"] if isinstance(c, dict) else c} for c in gold.get("companies") or []],
    }


def responder(docs: list[GoldDoc], invent: bool):
    """A LoopbackServer responder that finds the document a request's chunk comes from."""

    def respond(body: dict[str, Any]) -> Any:
        # the press release is in the first user message; a re-ask appends the validator's findings
        first_user = next((m for m in body.get("messages", []) if m.get("role") == "user"), {})
        chunk = _chunk_of(last_user_message({"messages": [first_user]})).strip()
        doc = next((d for d in docs if chunk[:200] in d.text), None)
        if doc is None:
            return structured_reply({"tickers": [], "amounts": [], "companies": []})
        return structured_reply(answer(doc, chunk, invent))

    return respond


def run_eval(gold: Path, base_url: str, limit: int, report: Path, extra: list[str]) -> tuple[int, dict[str, Any], str]:
    command = [
        sys.executable, "-m", "llmx.cli", "eval", str(gold), "--mode", "free", "--backend", "openai",
        "--base-url", base_url, "--model", "loopback", "--limit", str(limit), "--no-cache",
        "--report", str(report), "--fail-over", "hallucination_rate=0", *extra,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENAI_API_KEY": "sk-loopback-not-a-secret"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    metrics = json.loads((report / "metrics.json").read_text(encoding="utf-8")) if (report / "metrics.json").is_file() else {}
    return done.returncode, metrics, done.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="?", default=str(ROOT / "evals" / "press_releases"))
    parser.add_argument("--limit", type=int, default=35)
    parser.add_argument("--reports", default=None, help="directory for the three runs' reports (default: a temporary one)")
    args = parser.parse_args(argv)
    gold = Path(args.gold)
    docs = load_gold_dir(gold)[: args.limit]
    reports = Path(args.reports or tempfile.mkdtemp(prefix="llmx-free-gate-"))
    runs = [("honest", False, [], 0), ("inventing", True, ["--keep-invalid"], 1), ("validated", True, [], 0)]
    ok = True
    print(f"{'run':<10} {'exit':>4} {'expected':>8} {'hallucination':>13} {'unrecognized':>12} {'amounts':>7} {'tickers':>7}")
    for name, invent, extra, expected_exit in runs:
        with LoopbackServer(responder(docs, invent)) as server:
            code, metrics, stderr = run_eval(gold, server.base_url, args.limit, reports / name, extra)
        rate, unrecognized = metrics.get("hallucination_rate"), metrics.get("unrecognized_rate")
        printed = metrics.get("printed", {})
        good = code == expected_exit and rate is not None and (rate > 0) == (expected_exit == 1)
        if expected_exit == 1:
            good = good and "hallucination_rate" in stderr and "FAILED" in stderr
        ok &= good
        shown = lambda v: "-" if v is None else f"{v:.4f}"  # noqa: E731
        counts = [f"{printed.get(k, {}).get('unprinted', '-')}/{printed.get(k, {}).get('predicted', '-')}" for k in ("amounts", "tickers")]
        print(f"{name:<10} {code:>4} {expected_exit:>8} {shown(rate):>13} {shown(unrecognized):>12} {counts[0]:>7} {counts[1]:>7}  {'ok' if good else 'UNEXPECTED'}")
        if not good:
            print(stderr[-2000:], file=sys.stderr)
    print(f"reports: {reports}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
