"""Readers chosen by content: HTML, PDF, EDGAR, tables and text, on documents written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from readers_support import DATA, encrypted_pdf, image_pdf, text_pdf

from llmx.errors import InputError
from llmx.extraction.api import extract
from llmx.readers import attach_source, detect_format, read_document, read_records
from llmx.readers.encoding import decode_markup
from llmx.readers.html import html_to_text
from llmx.readers.pdf import join_hyphenated

RELEASE = (
    "BOSTON, March 3, 2026 - Corvane Bio, Inc. (NASDAQ: CRVB) today announced that Peltrix AG will pay "
    "an upfront payment of $12 million and up to $300 million in milestones."
)


# ----------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7\n...", "x.bin", "pdf"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "release.txt", "html"),
        (b"  <div>Hello</div>", None, "html"),
        (b"Plain words, a <b>tag</b> inside Markdown", "r.md", "text"),
        (b"<SEC-DOCUMENT>0001.txt : 20260101\n<SEC-HEADER>", "f.txt", "edgar"),
        (b'{"id": "a", "text": "t"}\n', "export", "jsonl"),
        (b"id,text\na,t\n", "export.csv", "csv"),
        (b"# Headline\n\nBody", "r.txt", "text"),
    ],
)
def test_detect_format_reads_the_content_before_the_suffix(data: bytes, name: str | None, expected: str) -> None:
    assert detect_format(data, name) == expected


# ----------------------------------------------------------------------------- HTML


def test_html_blocks_tables_hidden_and_entities() -> None:
    page = (
        "<html><head><title>Corvane &amp; Peltrix</title><style>p{color:red}</style>"
        "<script>var price = '$99 million';</script></head><body>"
        "<h1>Corvane  Bio signs deal</h1><p>Peltrix&nbsp;AG pays <b>$12&#160;million</b> &amp; more.</p>"
        "<div hidden>$5 billion hidden</div><span style='display: none'>$7 billion</span>"
        "<table><tr><th>Payment</th><th>Amount</th></tr><tr><td>Upfront</td><td>$12 million</td></tr></table>"
        "<ul><li>first</li><li>second</li></ul>tail<br>next line</body></html>"
    )
    text, title = html_to_text(page)
    assert title == "Corvane & Peltrix"
    assert text == (
        "# Corvane Bio signs deal\n\nPeltrix AG pays $12 million & more.\n\n"
        "Payment | Amount\nUpfront | $12 million\n\nfirst\nsecond\n\ntail\nnext line"
    )
    assert "$99" not in text and "billion" not in text


def test_html_of_only_scripts_is_an_input_error(tmp_path: Path) -> None:
    page = tmp_path / "scripts.html"
    page.write_text("<html><head><script>track()</script></head><body><script>more()</script><style>a{}</style></body></html>")
    with pytest.raises(InputError, match="shows no text"):
        read_document(page)


def test_html_charset_rule_stale_declaration_and_stray_bytes() -> None:
    stale = '<meta charset="iso-8859-1"><p>Café €5 million</p>'.encode("utf-8")  # valid UTF-8 wins
    assert decode_markup(stale).text.endswith("Café €5 million</p>")
    legacy = '<meta charset="iso-8859-1"><p>Café</p>'.encode("cp1252")  # not UTF-8: the declaration
    assert decode_markup(legacy).text.endswith("Café</p>") and decode_markup(legacy).encoding == "cp1252"
    mixed = '<meta charset="utf-8"><p>Café '.encode("utf-8") + "“€3 million”".encode("cp1252") + b"</p>"
    decoded = decode_markup(mixed)
    assert decoded.text.endswith("Café “€3 million”</p>") and decoded.stray_bytes == 3


def test_mixed_encoding_html_extracts_the_amount(tmp_path: Path) -> None:
    page = tmp_path / "mixed.html"
    page.write_bytes(b'<html><head><meta charset="utf-8"></head><body><p>' + RELEASE.encode("utf-8") + " Caf\xe9 \x80".encode("latin-1") + b"</p></body></html>")
    document = read_document(page)
    assert document.reader == "html" and document.metadata["stray_bytes"] == 2
    record = extract(document.text, backend="rules")
    assert {a.value for a in record.amounts} == {12_000_000, 300_000_000}
    assert all(document.text[a.span[0]:a.span[1]] == a.text for a in record.amounts)


# ----------------------------------------------------------------------------- PDF


def test_pdf_pages_and_mention_pages(tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "release.pdf", [RELEASE, "Corvane will also receive royalties; the deal adds $40 million in research funding."])
    document = read_document(pdf)
    assert document.reader == "pdf" and len(document.pages) == 2
    first, second = (document.text[s:e] for s, e in document.pages)
    assert "Corvane Bio" in first and "$40 million" in second
    record = attach_source(extract(document.text, backend="rules"), document)
    for amount in record.amounts:
        assert document.text[amount.span[0]:amount.span[1]] == amount.text
    pages = dict(zip((a.value for a in record.amounts), record.meta.source["mention_pages"]["amounts"]))
    assert pages == {12_000_000: 1, 300_000_000: 1, 40_000_000: 2}
    assert record.meta.source["reader"] == "pdf" and record.meta.source["pages"] == [list(p) for p in document.pages]


def test_page_of_maps_offsets_to_pages(tmp_path: Path) -> None:
    document = read_document(text_pdf(tmp_path / "p.pdf", ["First page text here.", "Second page text here."]))
    (s1, e1), (s2, e2) = document.pages
    assert document.page_of(s1) == 1 and document.page_of(e1 - 1) == 1
    assert document.page_of(s2) == 2 and document.page_of(e2 - 1) == 2
    assert document.page_of(e1) is None  # the separator between pages
    assert document.page_of(len(document.text) + 5) is None


def test_hyphen_rule_joins_only_words_seen_unsplit() -> None:
    text = "The agreement covers manu-\nfacturing and live-\ncommerce sales. Manufacturing starts in May."
    assert join_hyphenated(text) == "The agreement covers manufacturing\nand live-\ncommerce sales. Manufacturing starts in May."
    assert join_hyphenated("a soft hyphen inter\u00ad\nnational") == "a soft hyphen international"
    assert join_hyphenated("price $1,000-\n2,000") == "price $1,000-\n2,000"  # numbers are never joined


def test_scanned_pdf_says_ocr_is_needed(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no text layer.*ocrmypdf"):
        read_document(image_pdf(tmp_path / "scan.pdf"))


def test_encrypted_pdf_with_password_is_an_input_error(tmp_path: Path) -> None:
    plain = text_pdf(tmp_path / "plain.pdf", [RELEASE])
    with pytest.raises(InputError, match="encrypted with a password.*qpdf"):
        read_document(encrypted_pdf(plain, tmp_path / "locked.pdf", user_password="s3cret"))
    permissions_only = read_document(encrypted_pdf(plain, tmp_path / "perm.pdf", user_password=""))
    assert "Corvane Bio" in permissions_only.text


def test_truncated_pdf_is_an_input_error_or_a_correct_text(tmp_path: Path) -> None:
    data = text_pdf(tmp_path / "full.pdf", [RELEASE]).read_bytes()
    for keep in (len(data) // 3, 200, 20):
        cut = tmp_path / f"cut{keep}.pdf"
        cut.write_bytes(data[:keep])
        try:
            document = read_document(cut)
        except InputError as exc:
            assert "damaged or truncated" in str(exc) or "no text layer" in str(exc) or "no pages" in str(exc)
        else:
            assert "Corvane" in document.text


def test_file_named_pdf_without_pdf_bytes(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    with pytest.raises(InputError, match="not one"):
        read_document(fake)


def test_fifty_megabyte_pdf_reads_its_text_page(tmp_path: Path) -> None:
    big = image_pdf(tmp_path / "big.pdf", megabytes=50, text=RELEASE)
    assert big.stat().st_size > 45 * 2**20
    document = read_document(big)
    assert document.metadata["pages_without_text"] == [1]
    assert document.page_of(document.text.index("Corvane")) == 2


# ----------------------------------------------------------------------------- EDGAR


def test_edgar_submission_keeps_the_press_release_exhibit_and_the_filer() -> None:
    document = read_document(DATA / "edgar_8k_ex991.txt")
    assert document.reader == "edgar"
    meta = document.metadata
    assert meta["filer"] == {"name": "Halvorsen Therapeutics, Inc.", "cik": "0001987654"}
    assert meta["form_type"] == "8-K" and meta["filed"] == "2026-11-05"
    assert [(d["type"], d["included"]) for d in meta["documents"]] == [("8-K", False), ("EX-99.1", True), ("GRAPHIC", False)]
    assert "Item 1.01" not in document.text and "begin 644" not in document.text
    assert "Upfront payment | $45 million" in document.text
    record = attach_source(extract(document.text, backend="rules"), document)
    assert record.meta.source["metadata"]["filer"]["cik"] == "0001987654"
    assert {a.value for a in record.amounts} >= {45_000_000, 610_000_000}
    assert [t.symbol for t in record.tickers] == ["HLVT"]


def test_edgar_without_exhibits_reads_the_primary_document() -> None:
    raw = (DATA / "edgar_8k_ex991.txt").read_text().replace("<TYPE>EX-99.1", "<TYPE>EX-10.1")
    document = read_document(raw.encode(), name="no-exhibit.txt")
    assert "Item 1.01" in document.text and "Brightwater will pay" not in document.text


# ----------------------------------------------------------------------------- tables and text


def test_jsonl_and_csv_rows_with_chosen_fields(tmp_path: Path) -> None:
    jsonl = tmp_path / "export.jsonl"
    jsonl.write_text("\n".join(json.dumps({"doc": f"r{i}", "body": RELEASE, "other": 1}) for i in range(3)) + "\n")
    rows = read_records(jsonl, text_field="body", id_field="doc")
    assert [r["id"] for r in rows] == ["r0", "r1", "r2"] and rows[1]["source"] == {"reader": "jsonl", "path": str(jsonl), "line": 2}
    with pytest.raises(InputError, match="no text in field 'text'.*body, doc, other"):
        read_records(jsonl)
    csv_file = tmp_path / "export.csv"
    csv_file.write_text('id,text\nx1,"' + RELEASE.replace('"', '""') + '"\nx2,"second, with comma\nand newline"\n')
    rows = read_records(csv_file)
    assert [r["id"] for r in rows] == ["x1", "x2"] and rows[1]["text"] == "second, with comma\nand newline"
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "text": "ok"}\n{"id": "b", "text": \n')
    with pytest.raises(InputError, match=r"broken.jsonl:2: not a JSON object"):
        read_records(broken)


def test_plain_text_is_unchanged(tmp_path: Path) -> None:
    release = tmp_path / "r.md"
    release.write_text("# Headline\n\n" + RELEASE + "\n", encoding="utf-8")
    document = read_document(release)
    assert document.reader == "text" and document.text == "# Headline\n\n" + RELEASE + "\n"
    assert document.pages == ((0, len(document.text)),)


# ----------------------------------------------------------------------------- PDF layout


def test_layout_restores_paragraphs_and_headings_from_geometry() -> None:
    from llmx.readers.pdf_layout import Line, compose, unwrap

    big, body = 24.0, 12.0
    page = [
        Line("Corvane Bio Signs License", 700.0, big),  # a two-line headline in large type
        Line("with Peltrix AG", 679.0, big),
        Line("BOSTON, March 3, 2026 - Corvane Bio, Inc. (NASDAQ:", 650.0, body),
        Line("CRVB) today announced an upfront payment of", 639.5, body),
        Line("$12 million.", 629.0, body),
        Line("About Corvane", 600.0, body),  # a gap of ~2.8 steps: new paragraph
        Line("• oncology", 589.5, body),
        Line("• immunology", 579.0, body),
    ]
    (text,) = compose([page])
    assert text == (
        "# Corvane Bio Signs License with Peltrix AG\n\n"
        "BOSTON, March 3, 2026 - Corvane Bio, Inc. (NASDAQ:\nCRVB) today announced an upfront payment of\n$12 million.\n\n"
        "About Corvane\n• oncology\n• immunology"
    )
    assert unwrap(text).split("\n\n")[1] == "BOSTON, March 3, 2026 - Corvane Bio, Inc. (NASDAQ: CRVB) today announced an upfront payment of $12 million."
    assert unwrap(text).endswith("About Corvane\n• oncology\n• immunology")


def test_pdfs_read_from_many_threads_agree(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    pdfs = [text_pdf(tmp_path / f"t{i}.pdf", [f"{RELEASE} Copy {i}.", "Second page."]) for i in range(4)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        texts = list(pool.map(lambda p: read_document(p).text, pdfs * 6))
    assert texts == [read_document(p).text for p in pdfs] * 6


def test_listing_wrapped_after_the_colon_only_inside_parentheses() -> None:
    from llmx.recognize.tickers import find_tickers

    wrapped = find_tickers("Corvane Bio, Inc. (OTC:\nCRVB) today announced")
    assert [(t.symbol, t.exchange, t.text) for t in wrapped] == [("CRVB", "OTC", "OTC:\nCRVB")]
    assert find_tickers("Shares trade on Nasdaq:\nCRVB holders were told") == []
