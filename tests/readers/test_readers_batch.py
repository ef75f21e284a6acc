"""extract_many and the CLI over a folder mixing good and bad files of every format."""

from __future__ import annotations

import json
from pathlib import Path

from readers_support import DATA, encrypted_pdf, image_pdf, text_pdf
from typer.testing import CliRunner

from llmx.batch.run import extract_many
from llmx.cli import app

RELEASE = (
    "BOSTON, March 3, 2026 - Corvane Bio, Inc. (NASDAQ: CRVB) today announced that Peltrix AG will pay "
    "an upfront payment of $12 million and up to $300 million in milestones."
)


def _folder(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good-text.txt").write_text(RELEASE, encoding="utf-8")
    (inbox / "good-page.html").write_text(f"<!doctype html><html><body><h1>Deal</h1><p>{RELEASE}</p></body></html>", encoding="utf-8")
    pdf = text_pdf(inbox / "good-print.pdf", [RELEASE, "Page two adds $40 million in research funding."])
    (inbox / "good-edgar.txt").write_bytes((DATA / "edgar_8k_ex991.txt").read_bytes())
    (inbox / "rows.jsonl").write_text(json.dumps({"id": "row-1", "text": RELEASE}) + "\n" + json.dumps({"id": "row-2", "text": RELEASE}) + "\n")
    (inbox / "bad-truncated.pdf").write_bytes(pdf.read_bytes()[:40])
    encrypted_pdf(pdf, inbox / "bad-locked.pdf", user_password="s3cret")
    image_pdf(inbox / "bad-scan.pdf")
    (inbox / "bad-scripts.html").write_text("<html><body><script>track()</script></body></html>")
    (inbox / "bad-binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    return inbox


def test_extract_many_over_mixed_folder_records_good_and_reports_bad(tmp_path: Path) -> None:
    inbox = _folder(tmp_path)
    out = tmp_path / "out.jsonl"
    report = extract_many(sorted(inbox.iterdir()), out, backend="rules", progress=False)
    records = {json.loads(line)["id"]: json.loads(line) for line in out.read_text().splitlines()}
    errors = {json.loads(line)["id"]: json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text().splitlines()}
    assert set(records) == {"good-text", "good-page", "good-print", "good-edgar", "row-1", "row-2"}
    assert set(errors) == {"bad-truncated", "bad-locked", "bad-scan", "bad-scripts", "bad-binary"}
    assert all(entry["error_type"] == "InputError" for entry in errors.values())
    assert "password" in errors["bad-locked"]["error"] and "OCR" in errors["bad-scan"]["error"]
    assert report.failed == 5 and report.written == 6
    readers = {doc_id: _record(entry)["meta"]["source"]["reader"] for doc_id, entry in records.items()}
    assert readers == {"good-text": "text", "good-page": "html", "good-print": "pdf", "good-edgar": "edgar", "row-1": "jsonl", "row-2": "jsonl"}


def _record(entry: dict) -> dict:
    return entry.get("record", entry)


def test_cli_text_prints_the_text_spans_index(tmp_path: Path) -> None:
    inbox = _folder(tmp_path)
    runner = CliRunner()
    for name in ("good-print.pdf", "good-page.html", "good-edgar.txt"):
        shown = runner.invoke(app, ["text", str(inbox / name)])
        assert shown.exit_code == 0, shown.output
        extracted = runner.invoke(app, ["extract", str(inbox / name), "--backend", "rules"])
        assert extracted.exit_code == 0, extracted.output
        record = json.loads(extracted.stdout)
        assert record["amounts"], name
        for item in record["amounts"] + record["tickers"]:
            start, end = item["span"]
            assert shown.stdout[start:end] == item["text"], (name, item)
    pdf_record = json.loads(runner.invoke(app, ["extract", str(inbox / "good-print.pdf"), "--backend", "rules"]).stdout)
    assert pdf_record["meta"]["source"]["mention_pages"]["amounts"] == [1, 1, 2]
    failed = runner.invoke(app, ["text", str(inbox / "bad-scan.pdf")])
    assert failed.exit_code == 1 and "ocrmypdf" in failed.output


def test_cli_extract_table_with_custom_fields(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text('key,body\nk1,"' + RELEASE + '"\nk2,"' + RELEASE.replace("$12 million", "$15 million") + '"\n')
    result = CliRunner().invoke(app, ["extract", str(export), "--backend", "rules", "--text-field", "body", "--id-field", "key"])
    assert result.exit_code == 0, result.output
    lines = [_record(json.loads(line)) for line in result.stdout.splitlines() if line.strip()]
    assert sorted(line["id"] for line in lines) == ["k1", "k2"]
    by_id = {line["id"]: line for line in lines}
    assert 15_000_000 in {a["value"] for a in by_id["k2"]["amounts"]}
    assert by_id["k1"]["meta"]["source"] == {"reader": "csv", "path": str(export), "line": 2}
    wrong = CliRunner().invoke(app, ["extract", str(export), "--backend", "rules"])
    assert wrong.exit_code == 2 and "--text-field" in wrong.output
