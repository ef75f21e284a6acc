"""Grounded extraction of the example schemas under an adversarial model, or with the embedded one.

    .venv/bin/python scripts/adversarial_schemas.py                    # loopback adversary, both eval sets
    .venv/bin/python scripts/adversarial_schemas.py --backend local --limit 8 --sets shared   # SmolLM2-135M

Prints one table row per (set, schema): documents, records produced, money/ticker values in the
records, values not printed in the text at their span (must be 0), quotes and quotes whose span
does not index their text (must be 0), and re-asks. The shared set is read from ../shared beside
the checkout and skipped when absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from adversarial_support import Adversary, check_grounded, extract_counted  # noqa: E402
from examples.schemas import SCHEMAS  # noqa: E402
from llmx.errors import LLMXError  # noqa: E402
from llmx.recognize import recognize  # noqa: E402

SETS = {"own": ROOT / "evals" / "press_releases" / "docs", "shared": ROOT.parent / "shared" / "evals" / "press_releases" / "docs"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["loopback", "local"], default="loopback")
    parser.add_argument("--limit", type=int, default=None, help="first N documents of each set")
    parser.add_argument("--max-reasks", type=int, default=2)
    parser.add_argument("--sets", default="own,shared", help="comma-separated: own, shared")
    parser.add_argument("--threads", type=int, default=1, help="local backend: llama.cpp threads")
    args = parser.parse_args()

    server = None
    if args.backend == "loopback":
        from llmx.backends.openai.backend import OpenAIBackend
        from llmx.testing import LoopbackServer

        server = LoopbackServer(Adversary(seed=7)).start()
        backend = OpenAIBackend("adversary", base_url=server.base_url, api_key="sk-loopback", cache=False)
    else:
        from llmx.backends.local import LocalBackend

        backend = LocalBackend(n_threads=args.threads)
    table = Table(title=f"grounded example schemas, backend={args.backend}, max_reasks={args.max_reasks}")
    for column in ("set", "schema", "docs", "records", "money+ticker values", "not in text", "quotes", "bad quote spans", "re-asks", "dropped", "s/doc"):
        table.add_column(column, justify="left" if column in ("set", "schema") else "right")
    try:
        for set_name, folder in ((name, SETS[name]) for name in args.sets.split(",")):
            if not folder.is_dir():
                print(f"skipping {set_name}: {folder} not found", file=sys.stderr)
                continue
            paths = sorted(folder.glob("*.txt"))[: args.limit]
            for schema_name, schema in SCHEMAS.items():
                records = values = absent = quotes = bad_quotes = reasks = dropped = 0
                started = time.perf_counter()
                for path in paths:
                    text = path.read_text(encoding="utf-8")
                    try:
                        record, usage, lost = extract_counted(text, schema, backend, max_reasks=args.max_reasks)
                    except LLMXError as exc:
                        print(f"{set_name}/{path.stem} {schema_name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                        continue
                    found = check_grounded(record, text, recognize(text))
                    records += 1
                    values += found.money + found.tickers
                    absent += len(found.not_in_text)
                    quotes += found.quotes
                    bad_quotes += len(found.bad_quote_spans)
                    reasks += usage.reasks
                    dropped += len(lost)
                seconds = (time.perf_counter() - started) / max(1, len(paths))
                table.add_row(set_name, schema_name, str(len(paths)), str(records), str(values), str(absent), str(quotes),
                              str(bad_quotes), str(reasks), str(dropped), f"{seconds:.2f}")
    finally:
        if server is not None:
            server.stop()
    Console(width=170).print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
