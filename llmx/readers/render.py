"""Render text documents the way users receive them, to measure the readers on real output.

Markdown/plain text becomes an HTML page (the `markdown` package, tables extension), and the
page becomes a PDF printed by headless Chromium, a real layout engine. Used by
scripts/render_eval.py, benchmarks/bench_readers.py and tests/readers; needs the `dev` extra
and, for PDF, a `chromium` binary (Debian: `apt-get install -y chromium`).
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PAGE_STYLE = "body { font-family: 'DejaVu Sans', sans-serif; font-size: 11pt; margin: 2cm; } table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 6px; }"


def chromium_binary() -> str | None:
    """The first headless-capable Chromium on PATH, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def markdown_to_html(text: str, title: str = "Press release") -> str:
    """A complete UTF-8 HTML page for a Markdown (or plain text) press release."""
    import markdown

    body = markdown.markdown(text, extensions=["tables"])
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{PAGE_STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def print_pdf(html_file: Path, pdf_file: Path, *, chromium: str | None = None, timeout: float = 120.0) -> Path:
    """Print `html_file` to `pdf_file` with headless Chromium (no header/footer lines)."""
    binary = chromium or chromium_binary()
    if binary is None:
        raise FileNotFoundError("no chromium on PATH (Debian: apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="llmx-chromium-") as profile:
        subprocess.run(
            [
                binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                f"--user-data-dir={profile}", f"--print-to-pdf={pdf_file}", html_file.resolve().as_uri(),
            ],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
        )
    if not pdf_file.is_file() or pdf_file.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no PDF for {html_file}")
    return pdf_file


def render_folder(texts: dict[str, str], out_dir: Path, *, pdf: bool = True) -> dict[str, dict[str, Path]]:
    """Write `<id>.html` (and `<id>.pdf` when `pdf`) for every text; returns id -> format -> path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rendered: dict[str, dict[str, Path]] = {}
    for doc_id, text in texts.items():
        page = out_dir / f"{doc_id}.html"
        page.write_text(markdown_to_html(text, title=doc_id), encoding="utf-8")
        rendered[doc_id] = {"html": page}
        if pdf:
            rendered[doc_id]["pdf"] = print_pdf(page, out_dir / f"{doc_id}.pdf")
    return rendered
