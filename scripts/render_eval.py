"""Render the shared eval set to HTML and PDF (headless Chromium), extract, and compare with .txt.

    python scripts/render_eval.py [--gold ../shared/evals/press_releases] [--engines pdfium,pypdf,pdfminer] [--keep DIR]

Prints one line per format: amounts/tickers precision and recall, kind accuracy, issuer,
companies F1, date accuracy, how many spans index the extracted text, read time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from llmx.readers.render import chromium_binary  # noqa: E402
from llmx.evaluate.rendered import format_table, score_rendered  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "evals" / "press_releases")
    parser.add_argument("--engines", default="pdfium", help="PDF engines to compare: pdfium,pypdf,pdfminer")
    parser.add_argument("--backend", default="rules")
    parser.add_argument("--keep", type=Path, help="render into this folder and keep it")
    args = parser.parse_args()
    if not (args.gold / "gold.jsonl").is_file():
        print(f"no gold set at {args.gold}", file=sys.stderr)
        return 2
    formats: tuple[str, ...] = ("txt", "html", "pdf")
    if chromium_binary() is None:
        print("chromium not found: PDF rows skipped (apt-get install -y chromium)", file=sys.stderr)
        formats = ("txt", "html")
    with tempfile.TemporaryDirectory(prefix="llmx-render-") as tmp:
        work = args.keep or Path(tmp)
        scores = score_rendered(args.gold, work, formats=formats, pdf_engines=tuple(args.engines.split(",")),
                                extract_options={"backend": args.backend})
    print(format_table(scores))
    for score in scores:
        for doc_id, error in score.failures.items():
            print(f"{score.format}/{score.engine or '-'} {doc_id}: {error}", file=sys.stderr)
        if score.spans_bad:
            print(f"{score.format}: spans not indexing the text: {score.spans_bad[:10]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
