"""Throughput (MB/s of input) and text fidelity of each reader on corpus documents.

Usage: python benchmarks/bench_readers.py [--corpus DIR] [--docs 200] [--keep DIR]
(default corpus: ../shared/corpus/press_releases/docs beside the repository).

The first N corpus releases (Markdown) are rendered once into a folder: HTML (`markdown`),
PDF (headless Chromium, when installed), an EDGAR full submission wrapping each HTML page as
EX-99.1, and one JSON Lines export of all texts. Each reader then reads every file; the PDF
text layer is read by each engine (pypdfium2, pypdf, pdfminer.six). Fidelity compares what the
recognizers find in the reader's text with what they find in the original .txt: the share of
money mentions (value, currency) and listings (symbol) recovered, and the share of extra ones.
MB/s divides the input files' bytes by the CPU seconds of reading them (robust on a busy machine).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from llmx.readers import read_document, read_records  # noqa: E402
from llmx.readers.render import chromium_binary, markdown_to_html, print_pdf  # noqa: E402
from llmx.recognize import recognize  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "press_releases" / "docs"

EDGAR_TEMPLATE = """<SEC-DOCUMENT>0009999999-26-{n:06d}.txt : 20261105
<SEC-HEADER>0009999999-26-{n:06d}.hdr.sgml : 20261105
ACCESSION NUMBER:\t\t0009999999-26-{n:06d}
CONFORMED SUBMISSION TYPE:\t8-K
FILED AS OF DATE:\t\t20261105
FILER:
\tCOMPANY DATA:
\t\tCOMPANY CONFORMED NAME:\t\t\tBenchmark Filer {n} Inc.
\t\tCENTRAL INDEX KEY:\t\t\t{cik:010d}
</SEC-HEADER>
<DOCUMENT>
<TYPE>8-K
<SEQUENCE>1
<FILENAME>form8k.htm
<TEXT>
<HTML><BODY><P>Item 7.01 Regulation FD Disclosure. See Exhibit 99.1.</P></BODY></HTML>
</TEXT>
</DOCUMENT>
<DOCUMENT>
<TYPE>EX-99.1
<SEQUENCE>2
<FILENAME>ex991.htm
<TEXT>
{html}
</TEXT>
</DOCUMENT>
</SEC-DOCUMENT>
"""


def render(texts: dict[str, str], out: Path, pdf: bool) -> dict[str, list[Path]]:
    """Write every rendering once; returns format -> files."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[Path]] = {"html": [], "edgar": [], "pdf": []}
    for n, (doc_id, text) in enumerate(texts.items(), start=1):
        page = out / f"{doc_id}.html"
        if not page.exists():
            page.write_text(markdown_to_html(text, title=doc_id), encoding="utf-8")
        files["html"].append(page)
        edgar = out / f"{doc_id}.edgar.txt"
        if not edgar.exists():
            edgar.write_text(EDGAR_TEMPLATE.format(n=n, cik=1_000_000 + n, html=page.read_text(encoding="utf-8")), encoding="utf-8")
        files["edgar"].append(edgar)
        if pdf:
            target = out / f"{doc_id}.pdf"
            if not target.exists():
                print_pdf(page, target)
            files["pdf"].append(target)
    export = out / "all.jsonl"
    export.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()), encoding="utf-8")
    files["jsonl"] = [export]
    return files


def facts(text: str) -> tuple[Counter, Counter]:
    mentions = recognize(text)
    money = Counter((round(m.value, 6), m.currency) for m in mentions.money)
    tickers = Counter(t.symbol for t in mentions.tickers)
    return money, tickers


def measure(name: str, files: list[Path], read: Callable[[Path], list[tuple[str, str]]], reference: dict[str, tuple[Counter, Counter]]) -> dict:
    """Read every file (CPU-timed), then score the texts' recognized facts against the .txt's."""
    size = sum(f.stat().st_size for f in files)
    started, wall = time.process_time(), time.perf_counter()
    texts: list[tuple[str, str]] = []
    errors = 0
    for file in files:
        try:
            texts.extend(read(file))
        except Exception:  # noqa: BLE001 - a reader error counts against the reader
            errors += 1
    cpu, wall = time.process_time() - started, time.perf_counter() - wall
    found = {"money": [0, 0, 0], "tickers": [0, 0, 0]}  # recovered, expected, extra
    for doc_id, text in texts:
        got = facts(text)
        for kind, want, have in (("money", reference[doc_id][0], got[0]), ("tickers", reference[doc_id][1], got[1])):
            found[kind][0] += sum((want & have).values())
            found[kind][1] += sum(want.values())
            found[kind][2] += sum((have - want).values())
    row = {"reader": name, "files": len(files), "MB": size / 2**20, "cpu_s": cpu, "wall_s": wall, "MB/s": size / 2**20 / cpu if cpu else float("inf"),
           "docs/s": len(texts) / cpu if cpu else float("inf"), "errors": errors}
    for kind, (hit, want, extra) in found.items():
        row[f"{kind}_recall"] = hit / want if want else 1.0
        row[f"{kind}_extra"] = extra / max(1, hit + extra)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description="reader throughput and fidelity")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="render into (and reuse) this folder")
    parser.add_argument("--engines", default="pdfium,pypdf,pdfminer")
    args = parser.parse_args()
    paths = sorted(args.corpus.glob("*.txt"))[: args.docs]
    if not paths:
        print(f"no corpus documents in {args.corpus}", file=sys.stderr)
        return 2
    texts = {p.stem: p.read_text(encoding="utf-8") for p in paths}
    reference = {doc_id: facts(text) for doc_id, text in texts.items()}
    pdf = chromium_binary() is not None
    if not pdf:
        print("chromium not found: no PDF rows (apt-get install -y chromium)", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="llmx-bench-readers-") as tmp:
        out = args.keep or Path(tmp)
        started = time.perf_counter()
        files = render(texts, out, pdf)
        print(f"rendered {len(texts)} documents in {time.perf_counter() - started:.1f} s into {out}", file=sys.stderr)

        def one(path: Path, **kw: str) -> list[tuple[str, str]]:
            return [(path.name.split(".")[0], read_document(path, **kw).text)]

        def lxml_reference(path: Path) -> list[tuple[str, str]]:  # no layout: the speed a bare parse reaches
            import lxml.html

            return [(path.stem, lxml.html.fromstring(path.read_bytes()).text_content())]

        rows = [
            measure("text (.txt)", paths, one, reference),
            measure("html (selectolax)", files["html"], one, reference),
            measure("html: lxml text_content", files["html"], lxml_reference, reference),
            measure("edgar (EX-99.1 html)", files["edgar"], one, reference),
            measure("jsonl (one export)", files["jsonl"], lambda p: [(r["id"], r["text"]) for r in read_records(p)], reference),
        ]
        for engine in args.engines.split(",") if pdf else []:
            rows.append(measure(f"pdf ({engine})", files["pdf"], lambda p, e=engine: one(p, pdf_engine=e), reference))
    columns = ["reader", "files", "MB", "cpu_s", "MB/s", "docs/s", "money_recall", "money_extra", "tickers_recall", "tickers_extra", "errors"]
    widths = {c: max(len(c), 24 if c == "reader" else 8) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for row in rows:
        print("  ".join((f"{row[c]:.3f}" if isinstance(row[c], float) else str(row[c])).ljust(widths[c]) for c in columns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
