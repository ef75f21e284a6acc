"""Completeness and typo findings: OMITTED_AMOUNT / OMITTED_TICKER, digit typos named first,
schema errors reported together with grounding findings, and `llmx validate` over many records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmx.cli import app
from llmx.validation.coverage import digit_typo
from llmx.validation.checks import validate

TEXT = (
    "HELIX BIO, Inc. (Nasdaq: HLXB) will receive $180 million upfront from Borealis Pharma AG (FSE: BRP), "
    "up to $1.25 billion in milestones, and $4.5 million for research. Shares were priced at $3.15."
)
runner = CliRunner()


def hand_typed() -> dict:
    """A record someone typed: one of the four amounts, one of the two listings."""
    return {
        "issuer": {"name": "HELIX BIO, Inc.", "ticker": "HLXB", "exchange": "NASDAQ"},
        "tickers": [{"symbol": "HLXB", "exchange": "NASDAQ"}],
        "amounts": [{"value": 180_000_000, "currency": "USD", "kind": "upfront"}],
    }


@pytest.mark.parametrize(
    ("typed", "printed", "why"),
    [
        (18_000_000, 180_000_000, "a zero dropped"),
        (1_800_000_000, 180_000_000, "a zero added"),
        (1_250_000, 12_500_000, "a zero dropped"),
        (4_550_000, 4_500_000, "one digit changed"),
        (3.51, 3.15, "two digits swapped"),
        (3.115, 3.15, "a digit doubled"),
        (3.1, 3.15, "a digit dropped"),
        (31.5, 3.15, "a zero added"),
    ],
)
def test_digit_typo_says_which_keystroke(typed: float, printed: float, why: str) -> None:
    assert (digit_typo(typed, printed) or "").startswith(why)


@pytest.mark.parametrize(("typed", "printed"), [(180_000, 180_000_000), (2e9, 2e6), (7.0, 3.15), (180e6, 180e6), (0, 5)])
def test_no_typo_for_scale_errors_unrelated_or_equal_values(typed: float, printed: float) -> None:
    assert digit_typo(typed, printed) is None


def test_a_dropped_zero_names_the_amount_it_meant_first() -> None:
    record = hand_typed()
    record["amounts"][0]["value"] = 18_000_000
    finding = validate(TEXT, record).errors[0]
    assert finding.code == "UNSUPPORTED_AMOUNT"
    assert "typo for $180 million" in finding.message
    listed = finding.message.split("Closest amounts in the text: ")[1]
    assert listed.startswith("$180 million")
    assert finding.span == (TEXT.index("$180 million"), TEXT.index("$180 million") + len("$180 million"))


def test_omitted_amounts_and_listings_are_warned_about() -> None:
    report = validate(TEXT, hand_typed(), coverage=True)
    omitted = sorted(f.message.split(" at ")[0] for f in report.findings if f.code == "OMITTED_AMOUNT")
    assert omitted == [
        "the text prints $1.25 billion (1,250,000,000 USD)",
        "the text prints $3.15 (3.15 USD)",
        "the text prints $4.5 million (4,500,000 USD)",
    ]
    tickers = [f for f in report.findings if f.code == "OMITTED_TICKER"]
    assert [t.span for t in tickers] == [(TEXT.index("FSE: BRP"), TEXT.index("FSE: BRP") + len("FSE: BRP"))]
    assert all(f.severity == "warning" for f in report.findings if f.code.startswith("OMITTED"))
    assert report.ok  # incomplete is not wrong
    assert not [f for f in validate(TEXT, hand_typed()).findings if f.code.startswith("OMITTED")]  # opt-in in Python


def test_a_complete_record_has_no_omissions() -> None:
    record = hand_typed()
    record["tickers"].append({"symbol": "BRP", "exchange": "FSE"})
    record["amounts"] += [{"value": v, "currency": "USD"} for v in (1.25e9, 4.5e6, 3.15)]
    assert [f.code for f in validate(TEXT, record, coverage=True).findings if f.severity != "info"] == []


def test_a_schema_error_does_not_hide_grounding_findings() -> None:
    record = hand_typed()
    record["amounts"][0]["kind"] = "signing_bonus"  # not a kind
    record["amounts"].append({"value": 2e9, "currency": "USD"})  # not printed: $2 billion
    record["tickers"].append({"symbol": "ZZZZ", "exchange": "NYSE"})  # not listed
    codes = {(f.code, f.path) for f in validate(TEXT, record).findings}
    assert ("SCHEMA_ERROR", "amounts[0].kind") in codes
    assert ("UNSUPPORTED_AMOUNT", "amounts[1].value") in codes
    assert ("TICKER_NOT_IN_TEXT", "tickers[1].symbol") in codes
    assert not any(path.startswith("amounts[0].value") for _, path in codes)  # the well-formed amount is supported


def test_cli_validates_a_jsonl_of_records_against_a_folder(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(TEXT, encoding="utf-8")
    (docs / "bad.txt").write_text(TEXT, encoding="utf-8")
    bad = {**hand_typed(), "id": "bad"}
    bad["amounts"] = [{"value": 18_000_000, "currency": "USD"}]
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({**hand_typed(), "id": "good"}) + "\n" + json.dumps(bad) + "\n")
    result = runner.invoke(app, ["validate", str(docs), str(records)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["id"], line["ok"]) for line in lines] == [("good", True), ("bad", False)]
    assert "OMITTED_AMOUNT" in {f["code"] for f in lines[0]["findings"]}
    assert "2 records: 1 ok, 1 with errors" in result.stderr

    text = runner.invoke(app, ["validate", str(docs), str(records), "--format", "text", "--no-coverage"])
    assert text.exit_code == 1
    assert "good: ok (0 errors, 0 warnings)" in text.stdout
    assert "bad: FAILED (1 errors" in text.stdout and "typo for $180 million" in text.stdout

    missing = runner.invoke(app, ["validate", str(docs / "good.txt"), str(records)])
    assert missing.exit_code == 2 and "folder of their texts" in missing.output
