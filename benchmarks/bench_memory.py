"""Peak memory of `llmx extract DIR -o out.jsonl` as the number of documents grows (issue #15).

    .venv/bin/python benchmarks/bench_memory.py                        # 2,000 / 10,000 / 20,000 docs
    .venv/bin/python benchmarks/bench_memory.py --sizes 500 2000       # quicker

Documents are real corpus press releases (../shared/corpus/press_releases, held-out ids
c1601-c3000 excluded), repeated under new names (hard links, or copies in a temp folder) to
reach each size. Each size runs `llmx extract DIR -o out.jsonl --backend openai --no-cache
--workers 1` in a fresh subprocess against the loopback OpenAI-compatible server (a child of
this script, answering a minimal valid reply at once), and prints that subprocess's peak RSS
(`resource.getrusage`, ru_maxrss) and docs/s; then reruns the same command (every document
already done: the resume path reads the whole output) and prints that run's peak RSS too.
Streaming means the peak RSS stays flat: the ratio of the largest to the smallest run is
printed. Skips cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "press_releases" / "docs"
HELD_OUT = range(1601, 3001)  # held out (gold sets and rules' unseen documents): never read here
API_KEY = "sk-bench-not-a-real-key"


def corpus_docs() -> list[Path]:
    """Corpus documents outside the held-out range, in id order."""
    docs = []
    for path in sorted(CORPUS.glob("c*.txt")):
        try:
            number = int(path.stem[1:])
        except ValueError:
            continue
        if number not in HELD_OUT:
            docs.append(path)
    return docs


def build_folder(folder: Path, sources: list[Path], size: int) -> None:
    """`size` files named d00000.txt ... cycling over `sources` (hard links when possible)."""
    folder.mkdir(parents=True)
    for n in range(size):
        source, target = sources[n % len(sources)], folder / f"d{n:05d}.txt"
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def child(folder: str, out: str, base_url: str, concurrency: int) -> None:
    """One run, in its own process: print peak RSS and throughput as one JSON line on stdout."""
    from llmx.cli import app

    started = time.perf_counter()
    args = [
        "extract", folder, "-o", out, "--backend", "openai", "--model", "loopback-model", "--base-url", base_url,
        "--no-cache", "--concurrency", str(concurrency), "--workers", "1",
    ]
    try:
        app(args, standalone_mode=False)
    except SystemExit as exc:  # typer.Exit with a status: report it
        if exc.code:
            raise
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(out, "rb") as handle:
        records = sum(1 for _ in handle)
    print(json.dumps({
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
        "elapsed_s": elapsed,
        "records": records,
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000, 20000])
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--child", nargs=3, metavar=("FOLDER", "OUT", "BASE_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, concurrency=args.concurrency)
        return 0
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent (the shared corpus is read from ../shared relative to the repo)")
        return 0
    sources = corpus_docs()
    sys.path.insert(0, str(ROOT / "tests"))
    from support import RemoteLoopback, schema_responder

    print(f"{len(sources)} corpus documents (c1601-c3000 excluded), repeated; concurrency {args.concurrency}, "
          "openai backend against the loopback server, cache off, 1 process")
    print(f"{'docs':>7} {'peak RSS MB':>12} {'docs/s':>8} {'CPU ms/doc':>11} {'rerun RSS MB':>13}")
    results = []
    # PYTHONPATH, when set, picks the llmx under test (e.g. another checkout, for a before/after figure).
    env = {**os.environ, "OPENAI_API_KEY": API_KEY, "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT)}
    with RemoteLoopback(schema_responder) as server, tempfile.TemporaryDirectory(prefix="llmx-bench-memory-") as tmp:
        for size in args.sizes:
            folder, out = Path(tmp) / f"docs-{size}", Path(tmp) / f"out-{size}.jsonl"
            build_folder(folder, sources, size)
            runs = []
            for _ in ("first run", "rerun"):
                proc = subprocess.run(
                    [sys.executable, __file__, "--concurrency", str(args.concurrency), "--child", str(folder), str(out), server.base_url],
                    env=env, capture_output=True, text=True, check=False,
                )
                if proc.returncode != 0:
                    print(proc.stderr[-3000:], file=sys.stderr)
                    return proc.returncode
                runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            result, rerun = runs
            if result["records"] != size or rerun["records"] != size:
                print(f"expected {size} records, got {result['records']} then {rerun['records']}", file=sys.stderr)
                return 1
            results.append((size, result))
            print(f"{size:>7} {result['peak_rss_mb']:>12.1f} {size / result['elapsed_s']:>8.1f} "
                  f"{1000 * result['cpu_s'] / size:>11.2f} {rerun['peak_rss_mb']:>13.1f}", flush=True)
            shutil.rmtree(folder)
            out.unlink()
    if len(results) > 1:
        (small, first), (large, last) = results[0], results[-1]
        print(f"peak RSS {large} docs / {small} docs: {last['peak_rss_mb'] / first['peak_rss_mb']:.2f} "
              f"({large / small:.0f}x the documents)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
