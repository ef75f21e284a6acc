"""`llmx eval --schema module:Class`: typed field-level P/R/F1 for a user's schema against its gold."""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from llmx.cli import app
from llmx.evaluate.schema_eval import MoneyMatch, QuoteMatch, field_config, field_counts, load_schema_gold
from llmx.evaluate.fields import ListOf
from llmx.testing import structured_reply

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "schema_gold"
sys.path.insert(0, str(ROOT))
from examples.schemas import LicensingDeal  # noqa: E402


def test_field_config_is_typed_per_field():
    config = field_config(LicensingDeal)
    assert isinstance(config["upfront"], MoneyMatch) and isinstance(config["licensee"], QuoteMatch)
    assert isinstance(config["milestones"], ListOf) and isinstance(config["milestones"].key, MoneyMatch)


def test_counts_match_values_by_type():
    gold = [g for _, _, g in load_schema_gold(GOLD)]
    predicted = [
        {"licensee": {"text": "Tarnwick  pharma", "span": [0, 1]}, "licensor": None, "upfront": {"value": 12e6, "currency": "USD"},
         "milestones": [{"value": 150e6, "currency": "USD"}, {"value": 9e6, "currency": "USD"}], "royalty_rate": None},
        {"licensee": "Maddox Bio", "licensor": "Orvelle Therapeutics SA", "upfront": {"value": 8e6, "currency": "USD"},
         "milestones": [{"value": 60e6, "currency": "EUR"}], "royalty_rate": None},
    ]
    counts = field_counts(field_config(LicensingDeal), gold, predicted)
    assert counts["licensee"].to_dict() == {"tp": 2, "fp": 0, "fn": 0}
    assert counts["licensor"].to_dict() == {"tp": 1, "fp": 0, "fn": 1}
    assert counts["upfront"].to_dict() == {"tp": 1, "fp": 1, "fn": 1}  # EUR 8 million is not USD 8 million
    assert counts["milestones"].to_dict() == {"tp": 2, "fp": 1, "fn": 1}
    assert counts["royalty_rate"].to_dict() == {"tp": 0, "fp": 0, "fn": 1}


def _answer(body):
    """Pick the ids the gold expects by the printed amounts, copy the names from the text."""
    prompt = body["messages"][-1]["content"]
    ids = {}
    for line in prompt.splitlines():
        head, _, rest = line.partition(": ")
        if head[:1] == "M" and head[1:].isdigit():
            ids[rest.split('"')[1]] = head
    if "Tarnwick" in prompt:
        return structured_reply({"licensee": "Tarnwick Pharma", "licensor": "Quillfeather Biosciences", "upfront": ids["$12 million"],
                                 "milestones": [ids["$150 million"]], "royalty_rate": "tiered royalties in the low double digits"})
    return structured_reply({"licensee": "Maddox Bio", "licensor": "Orvelle Therapeutics SA", "upfront": ids["EUR 8 million"],
                             "milestones": [ids["EUR 60 million"]], "royalty_rate": None})


def test_eval_schema_cli_extracts_and_scores(loopback, api_key, monkeypatch):
    server = loopback(_answer)
    monkeypatch.setenv("OPENAI_API_KEY", api_key)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["eval", str(GOLD), "--schema", "examples.schemas:LicensingDeal", "--backend", "openai",
                                      "--base-url", server.base_url, "--model", "loopback-model"])
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): [cell.strip() for cell in line.split("│")[2:-1]] for line in result.stdout.splitlines() if line.count("│") > 3}
    assert rows["upfront"][:3] == ["1.000", "1.000", "1.000"]
    assert rows["milestones"][3:] == ["2", "0", "1"]  # EUR 25 million was not picked
    assert server.count == 2
