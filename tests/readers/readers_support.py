"""Files for the reader tests, written at test time: PDFs (fpdf2, pypdf), HTML, EDGAR paths."""

from __future__ import annotations

import os
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LLMX_SHARED_DIR") or REPO.parent / "shared")  # the worktree-agnostic override


def text_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF with a real text layer, one string per page (Helvetica: Latin-1 text only)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, page)
    pdf.output(str(path))
    return path


def image_pdf(path: Path, megabytes: float = 0.05, text: str | None = None) -> Path:
    """A PDF whose first page is one incompressible image (a 'scan'); optional text on a second page."""
    from fpdf import FPDF
    from PIL import Image

    side = max(8, int((megabytes * 1024 * 1024 / 3) ** 0.5))
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=150)
    if text:
        pdf.set_font("Helvetica", size=11)
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def encrypted_pdf(source: Path, path: Path, user_password: str) -> Path:
    """`source` encrypted with pypdf (AES-128); an empty user password only restricts permissions."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path
