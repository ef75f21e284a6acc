"""Rule-based validator: every finding code, both entry points, any schema, registry, CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, ValidationError
from typer.testing import CliRunner

from llmx.cli import app
from llmx.validation.registry import REGISTRY_FILENAME, RegistryError, TickerRegistry, update_registry
from llmx.schema import Amount, Money, PressRelease, Ticker, iter_models
from llmx.validation.checks import SourceIndex, ValidationReport, raise_for_field, source_context, validate
from support import ROOT

REGISTRY = ROOT / "tests" / "data" / "registry.json"

TEXT = (
    "Acme Therapeutics, Inc. (Nasdaq: ACMB) (TSX: ACMB) today announced a license with Globex Mining Corp "
    "(NYSE: GLBX). Acme receives an upfront payment of $2 million and is eligible for up to US$1.5 billion "
    "in milestones, plus EUR 12 million from a partner. The shares were priced at $0.35 per share."
)


def span_of(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def codes(report: ValidationReport) -> list[tuple[str, str]]:
    return [(f.code, f.path) for f in report.findings if f.severity != "info"]


def good_record() -> dict:
    return {
        "issuer": {"name": "Acme Therapeutics, Inc.", "ticker": "ACMB", "exchange": "NASDAQ"},
        "tickers": [{"symbol": "ACMB", "exchange": "NASDAQ"}, {"symbol": "GLBX", "exchange": "NYSE"}],
        "amounts": [
            {"value": 2_000_000, "currency": "USD", "text": "$2 million", "span": span_of("$2 million"), "kind": "upfront"},
            {"value": 1.5e9, "currency": "USD", "text": "US$1.5 billion", "kind": "milestone", "status": "potential"},
            {"value": 12_000_000, "currency": "EUR"},
            {"value": 0.35, "currency": "usd", "kind": "price_per_share"},
        ],
    }


def test_good_record_passes_both_entry_points() -> None:
    report = validate(TEXT, good_record())
    assert report.ok and codes(report) == []
    record = PressRelease.model_validate(good_record(), context=source_context(TEXT))
    assert record.amounts[3].currency == "USD"


def test_dual_listing_accepts_either_exchange() -> None:
    record = good_record()
    record["tickers"][0]["exchange"] = "TSX"
    assert validate(TEXT, record).ok


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (lambda r: r["amounts"][0].update(value=2_000_000_000), "SCALE_MISMATCH", "amounts[0].value"),
        (lambda r: r["amounts"][1].update(value=1.5e6, text=None), "SCALE_MISMATCH", "amounts[1].value"),
        (lambda r: r["amounts"][0].update(value=3_000_000), "UNSUPPORTED_AMOUNT", "amounts[0].value"),
        (lambda r: r["amounts"][2].update(currency="USD"), "CURRENCY_MISMATCH", "amounts[2].currency"),
        (lambda r: r["amounts"][0].update(span=span_of("US$1.5 billion")), "SPAN_MISMATCH", "amounts[0].span"),
        (lambda r: r["amounts"][0].update(text="$2 mil"), "SPAN_MISMATCH", "amounts[0].span"),
        (lambda r: r["amounts"][0].update(span=(10_000, 10_010)), "SPAN_MISMATCH", "amounts[0].span"),
        (lambda r: r["amounts"][1].update(text="$2 million"), "SPAN_MISMATCH", "amounts[1].span"),
        (lambda r: r["amounts"][1].update(text="$1.5 bn"), "SPAN_MISMATCH", "amounts[1].span"),
        (lambda r: r["tickers"][1].update(symbol="ZZZQ"), "TICKER_NOT_IN_TEXT", "tickers[1].symbol"),
        (lambda r: r["tickers"][1].update(exchange="NASDAQ"), "EXCHANGE_MISMATCH", "tickers[1].exchange"),
        (lambda r: r["tickers"][1].update(symbol="glbx corp"), "MALFORMED_TICKER", "tickers[1].symbol"),
        (lambda r: r["issuer"].update(ticker="ACME"), "TICKER_NOT_IN_TEXT", "issuer.ticker"),
        (lambda r: r["issuer"].update(exchange="NYSE"), "EXCHANGE_MISMATCH", "issuer.exchange"),
    ],
)
def test_each_failure_has_its_code_and_path(change, code: str, path: str) -> None:
    record = good_record()
    change(record)
    report = validate(TEXT, record)
    assert not report.ok
    assert codes(report) == [(code, path)]


def test_bare_symbol_is_not_a_listing() -> None:
    text = "Acme (NASDAQ: ACMB) wants to be the next ABCD of biotech."
    report = validate(text, {"tickers": [{"symbol": "ABCD"}]})
    (finding,) = report.errors
    assert finding.code == "TICKER_NOT_IN_TEXT"
    start = text.index("ABCD")
    assert "not as an exchange listing" in finding.message and finding.span == (start, start + 4)


def test_messages_tell_the_model_what_to_fix() -> None:
    with pytest.raises(ValueError) as excinfo:
        raise_for_field(Money(value=2_000_000_000), SourceIndex(TEXT))
    message = str(excinfo.value)
    assert "2000000000 USD is not in the text" in message
    assert f"$2 million (2000000 USD) at [{span_of('$2 million')[0]}, {span_of('$2 million')[1]})" in message
    assert "did you mean 2000000 (million, not billion)" in message
    with pytest.raises(ValueError, match="use exchange NYSE"):
        raise_for_field(Ticker(symbol="GLBX", exchange="NASDAQ"), SourceIndex(TEXT))
    with pytest.raises(ValueError, match="use currency EUR"):
        raise_for_field(Money(value=12_000_000, currency="GBP"), SourceIndex(TEXT))
    assert raise_for_field(Money(value=2_000_000), SourceIndex(TEXT)) is None


def test_model_validate_lists_every_bad_field() -> None:
    record = good_record()
    record["amounts"][0]["value"] = 2_000_000_000
    record["amounts"][2]["currency"] = "USD"
    record["tickers"][1]["symbol"] = "ZZZQ"
    with pytest.raises(ValidationError) as excinfo:
        PressRelease.model_validate(record, context=source_context(TEXT))
    locations = sorted(".".join(map(str, error["loc"])) for error in excinfo.value.errors())
    assert locations == ["amounts.0", "amounts.2", "tickers.1"]


def test_negative_values_are_checked_by_magnitude() -> None:
    assert validate("It reported a $13 million loss.", {"amounts": [{"value": -13_000_000, "kind": "earnings"}]}).ok


def test_without_context_no_source_checks_run() -> None:
    record = good_record()
    record["amounts"][0]["value"] = 123
    assert PressRelease.model_validate(record).amounts[0].value == 123


class Tranche(BaseModel):
    label: str
    price: Money


class Deal(BaseModel):
    """A user schema reusing the field types at several depths."""

    headline: Money
    tranches: list[Tranche]
    by_name: dict[str, Amount] = {}
    listing: Ticker | None = None


def test_any_user_schema_is_walked_recursively() -> None:
    deal = Deal(
        headline=Money(value=2_000_000),
        tranches=[Tranche(label="a", price=Money(value=0.35)), Tranche(label="b", price=Money(value=0.36e3))],
        by_name={"milestones": Amount(value=1.5e9, kind="milestone")},
        listing=Ticker(symbol="ACMB", exchange="OTC"),
    )
    report = validate(TEXT, deal)
    assert codes(report) == [
        ("UNSUPPORTED_AMOUNT", "tranches[1].price.value"),
        ("EXCHANGE_MISMATCH", "listing.exchange"),
    ]
    with pytest.raises(ValidationError) as excinfo:
        Deal.model_validate(deal.model_dump(), context=source_context(TEXT))
    assert sorted(".".join(map(str, e["loc"])) for e in excinfo.value.errors()) == ["listing", "tranches.1.price"]


def test_dict_that_is_not_a_record_gives_schema_findings() -> None:
    report = validate(TEXT, {"amounts": [{"value": "lots"}], "tickers": "ACMB"})
    assert not report.ok
    assert {f.code for f in report.findings} == {"SCHEMA_ERROR"}
    assert {f.path for f in report.findings} == {"amounts[0].value", "tickers"}


def test_registry_checks_are_skipped_without_a_registry() -> None:
    report = validate(TEXT, good_record())
    assert [(f.code, f.severity) for f in report.findings] == [("REGISTRY_NOT_CONFIGURED", "info")]


def test_registry_warnings() -> None:
    text = TEXT + " Partner Zeta Corp (NASDAQ: ZETA) joined."
    record = good_record()
    record["tickers"].append({"symbol": "ZETA", "exchange": "NASDAQ"})
    record["tickers"][1]["company"] = "Umbrella Biologics"
    report = validate(text, record, registry=REGISTRY)
    assert report.ok  # warnings only
    assert [(f.code, f.severity, f.path) for f in report.findings] == [
        ("TICKER_COMPANY_MISMATCH", "warning", "tickers[1].company"),
        ("UNKNOWN_TICKER", "warning", "tickers[2].symbol"),
    ]
    assert "Globex Mining Corp" in report.findings[0].message


def test_registry_matches_company_names_loosely_and_class_shares() -> None:
    registry = TickerRegistry.load(REGISTRY)
    assert registry.lookup("BRKW.B")[0].name == "Berkshire Widgets Inc"
    text = "Acme Therapeutics (Nasdaq: ACMB) reported."
    report = validate(text, {"tickers": [{"symbol": "ACMB", "company": "ACME THERAPEUTICS"}]}, registry=registry)
    assert report.findings == []


def test_registry_rejects_wrong_layout(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"ticker": "X"}]))
    with pytest.raises(RegistryError, match="SEC layout"):
        TickerRegistry.load(bad)
    with pytest.raises(RegistryError, match="llmx tickers update"):
        TickerRegistry.load(tmp_path / "missing.json")


def _sec_transport(body: bytes, status: int = 200) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["User-Agent"]
        return httpx.Response(status, content=body)

    return httpx.MockTransport(handler)


def test_update_registry_writes_atomically_and_keeps_a_good_copy(tmp_path: Path) -> None:
    body = REGISTRY.read_bytes()
    with httpx.Client(transport=_sec_transport(body)) as client:
        path, count = update_registry(tmp_path, client=client)
    assert (path, count) == (tmp_path / REGISTRY_FILENAME, 5)
    assert path.read_bytes() == body
    with httpx.Client(transport=_sec_transport(b"<html>rate limited</html>")) as client:
        with pytest.raises(RegistryError, match="did not return JSON"):
            update_registry(tmp_path, client=client)
    with httpx.Client(transport=_sec_transport(b"", status=403)) as client:
        with pytest.raises(RegistryError, match="HTTP 403"):
            update_registry(tmp_path, client=client)
    assert path.read_bytes() == body


def test_update_registry_offline_error(tmp_path: Path) -> None:
    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known", request=request)

    with httpx.Client(transport=httpx.MockTransport(offline)) as client:
        with pytest.raises(RegistryError, match="are you offline"):
            update_registry(tmp_path, client=client)
    assert not (tmp_path / REGISTRY_FILENAME).exists()


runner = CliRunner()


def test_cli_recognize(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["recognize", str(doc)])
    assert result.exit_code == 0, result.output
    mentions = json.loads(result.stdout)
    assert [m["type"] for m in mentions] == ["ticker", "ticker", "ticker", "money", "money", "money", "money"]
    assert mentions[3] == {"type": "money", "value": 2000000, "currency": "USD", "text": "$2 million", "span": list(span_of("$2 million"))}


def test_cli_validate_exit_codes(tmp_path: Path) -> None:
    doc, good, bad = tmp_path / "doc.txt", tmp_path / "good.json", tmp_path / "bad.json"
    doc.write_text(TEXT, encoding="utf-8")
    good.write_text(json.dumps(good_record()))
    record = good_record()
    record["amounts"][0]["value"] = 2e9
    bad.write_text(json.dumps(record))
    ok = runner.invoke(app, ["validate", str(doc), str(good)])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["ok"] is True
    failed = runner.invoke(app, ["validate", str(doc), str(bad), "--registry", str(REGISTRY)])
    assert failed.exit_code == 1
    report = json.loads(failed.stdout)
    assert report["ok"] is False and report["findings"][0]["code"] == "SCALE_MISMATCH"
    missing = runner.invoke(app, ["validate", str(doc), str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_cli_tickers_update_offline(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tickers", "update", "--dest", str(tmp_path), "--url", "http://127.0.0.1:9/none.json"])
    assert result.exit_code == 1
    assert "are you offline" in result.output
    assert not (tmp_path / REGISTRY_FILENAME).exists()


class _Box(BaseModel):
    """Models at every kind of depth the walk knows, beside values that hold none."""

    span: tuple[int, int] = (0, 1)
    numbers: list[int] = [1, 2]
    mixed: list[Any] = []
    nested: dict[str, Any] = {}


def test_the_record_walk_finds_models_inside_any_container_and_skips_the_rest() -> None:
    inner = Money(value=1)
    box = _Box(mixed=[3, inner, [4, (inner,)]], nested={"a": [5], "b": {"c": [inner]}, "d": inner})
    assert [path for path, _ in iter_models(box)] == ["", "mixed[1]", "mixed[2][1][0]", "nested.b.c[0]", "nested.d"]
