"""The rules backend on hand-written sentences, plus a floor on the shared gold set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support import gold_mentions

from llmx.errors import InputError
from llmx.evaluate.fields import score_list
from llmx.evaluate.gold import GoldDoc, load_gold_dir
from llmx.evaluate.metrics import Accuracy
from llmx.evaluate.scoring import PRESS_RELEASE_FIELDS
from llmx.rules.record import find_companies, find_date, find_issuer, propose_roles, rules_record
from llmx.recognize import Mentions, MoneyMention, TickerMention
from llmx.rules.company_names import normalize_name

from support import SHARED_GOLD  # noqa: E402

_SCALE = {"million": 1e6, "billion": 1e9, "thousand": 1e3}


def money_in(text: str) -> list[MoneyMention]:
    """Surrogate recognizer for the tests: '$'/'€' amounts with an optional scale word."""
    found = []
    for match in re.finditer(r"(?P<cur>US\$|\$|€)(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s+(?P<scale>million|billion|thousand))?", text, re.IGNORECASE):
        value = float(match.group("num").replace(",", "")) * _SCALE.get((match.group("scale") or "").lower(), 1.0)
        currency = "EUR" if match.group("cur") == "€" else "USD"
        found.append(MoneyMention(value, currency, match.group(0), match.span()))
    return found


def roles_of(text: str) -> dict[str, tuple[str, str]]:
    money = money_in(text)
    return {m.text: (p.kind, p.status) for m, p in zip(money, propose_roles(text, money))}


@pytest.mark.parametrize(
    ("sentence", "amount", "kind", "status"),
    [
        ("Under the deal, Orlin Bio will receive an upfront payment of $12 million from its partner.", "$12 million", "upfront", "actual"),
        ("Orlin Bio is eligible to receive up to $400 million in development and regulatory milestones.", "$400 million", "milestone", "potential"),
        ("Payments under the royalty stream are capped once they total $90 million.", "$90 million", "royalty", "actual"),
        ("The company recognized a license fee of $3 million in the quarter.", "$3 million", "license_fee", "actual"),
        ("Pemberton Corp. will acquire Dunmore for $640 million, subject to shareholder approval.", "$640 million", "acquisition_price", "potential"),
        ("The company closed an underwritten public offering with gross proceeds of $25 million.", "$25 million", "financing", "actual"),
        ("Shares were sold at a public offering price of $3.50 per share.", "$3.50", "price_per_share", "actual"),
        ("Quarterly revenue rose 12% to $58.4 million.", "$58.4 million", "revenue", "actual"),
        ("The firm posted a net loss of $7.1 million for the period.", "$7.1 million", "earnings", "actual"),
        ("The company ended the quarter with $210 million in cash and cash equivalents.", "$210 million", "cash", "actual"),
        ("Tarvel Systems has been awarded a five-year contract worth $48 million to maintain the fleet.", "$48 million", "contract_value", "actual"),
        ("The research program is supported by a federal grant of $2.5 million.", "$2.5 million", "grant", "actual"),
        ("The latest round gives the startup a post-money valuation of $1.2 billion.", "$1.2 billion", "valuation", "actual"),
        ("Analysts at Brookfield Row set a price target of $45 on the stock.", "$45", "price_per_share", "potential"),
        ("The global wound care market is projected to reach $30 billion by 2031.", "$30 billion", "other", "potential"),
        ("The buyer also assumed approximately $800 thousand of existing debt.", "$800 thousand", "other", "actual"),
    ],
)
def test_cue_families(sentence: str, amount: str, kind: str, status: str) -> None:
    assert roles_of(sentence)[amount] == (kind, status)


def test_earnings_per_share_follows_the_earnings_figure() -> None:
    roles = roles_of("Net income for the quarter was $4.2 million, or $0.11 per diluted share.")
    assert roles["$4.2 million"][0] == "earnings"
    assert roles["$0.11"][0] == "earnings"


def test_neighbouring_amounts_keep_their_own_cues() -> None:
    text = "The company holds $95 million in equity investments, and a $40 million term loan facility from its bank."
    roles = roles_of(text)
    assert roles["$95 million"][0] == "equity"
    assert roles["$40 million"][0] == "financing"


def test_range_ends_and_growth_from_to() -> None:
    roles = roles_of("The board agreed to sell the unit for between $1.50 and $1.80 per share in cash.")
    assert roles["$1.50"] == ("price_per_share", "actual")
    assert roles["$1.80"] == ("price_per_share", "potential")
    roles = roles_of("The sector is forecast to grow from $12 billion in 2023 to $19 billion by 2030.")
    assert roles["$12 billion"][1] == "actual"
    assert roles["$19 billion"][1] == "potential"


def test_uncued_amount_in_an_enumeration_inherits_the_previous_kind() -> None:
    roles = roles_of("Sales reached $5.1 million, compared with $4.4 million a year earlier.")
    assert roles["$5.1 million"][0] == roles["$4.4 million"][0] == "revenue"


def test_headline_topic_labels_bare_payments() -> None:
    text = "# Norvik Receives $2 Million Milestone Payment from Partner\n\nTo date Norvik has received $5 million in cash from the partner."
    assert roles_of(text)["$5 million"][0] == "milestone"


def test_table_cell_takes_its_row_label() -> None:
    text = "Summary\n\nUpfront payment\n\n$8,000,000\n\nMilestones still available\n\n$60,000,000\n"
    roles = roles_of(text)
    assert roles["$8,000,000"][0] == "upfront"
    assert roles["$60,000,000"][0] == "milestone"


def test_payer_and_payee_from_payment_verbs() -> None:
    text = "Orlin Bio received a $4 million milestone payment from Castell Pharma under the license."
    money = money_in(text)
    proposal = propose_roles(text, money)[0]
    assert proposal.payee == "Orlin Bio"
    assert proposal.payer == "Castell Pharma"
    assert 0.0 < proposal.confidence <= 1.0 and proposal.cue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Title\n\nNEW YORK, Aug. 1, 2025 /PRNewswire/ -- Acme Corp. today said", "2025-08-01"),
        ("# Title\n\nSTOCKHOLM and OSLO, 5 March 2024 -- Nordfar AB announced", "2024-03-05"),
        ("# Title\n\nDENVER, CO / WIRE / June 14, 2011 / Rockline Inc. reported", "2011-06-14"),
        ("# Title\n\nAcme said the merger closed on July 31, 2025 - a week early.", None),
        ("# Results for the Quarter Ended June 30, 2025\n\nAcme Corp. today reported results.", None),
    ],
)
def test_find_date_reads_only_the_dateline(text: str, expected: str | None) -> None:
    assert find_date(text) == expected


def test_find_issuer_takes_lead_subject_and_its_listing() -> None:
    text = (
        "# Halvorsen Marine Signs Charter\n\n"
        "BERGEN, Norway, May 2, 2025 (GLOBE NEWSWIRE) -- Halvorsen Marine ASA (Oslo: HMAR), a shipping group, "
        "today announced a charter agreement with Pacific Tanker Lines LLC (NYSE: PTL) for three vessels over five years."
    )
    start = text.index("(Oslo: HMAR)")
    other = text.index("(NYSE: PTL)")
    mentions = Mentions(
        tickers=[
            TickerMention("HMAR", "OSE", "Oslo: HMAR", (start + 1, start + 11)),
            TickerMention("PTL", "NYSE", "NYSE: PTL", (other + 1, other + 10)),
        ]
    )
    issuer = find_issuer(text, mentions)
    assert issuer.name == "Halvorsen Marine ASA"
    assert (issuer.ticker, issuer.exchange) == ("HMAR", "OSE")


def test_find_issuer_without_listing_has_no_ticker() -> None:
    text = "# Deal\n\nBrightmoor Labs, a private developer of sensors for industrial robots and drones, today announced a new partnership with Teller Automation Inc. (NASDAQ: TLLR) covering two product lines."
    issuer = find_issuer(text, Mentions())
    assert issuer.name == "Brightmoor Labs" and issuer.ticker is None


def test_find_companies_with_roles_and_exclusions() -> None:
    text = (
        "# Headline Words Are Not Companies Inc.\n\n"
        "Quarry Hill Therapeutics, Inc. (NASDAQ: QHT) announced a collaboration with Monteverde Pharma S.A. "
        "Brandt & Cole LLC is acting as sole placement agent for the offering. "
        "The release was distributed by GlobeNewswire and the FDA accepted the filing. "
        "Quarry Hill also plans to acquire Lindqvist Diagnostics AB."
    )
    companies = {c.name: c.role for c in find_companies(text)}
    assert companies.get("Brandt & Cole LLC") == "underwriter"
    assert companies.get("Lindqvist Diagnostics AB") == "target"
    assert any(normalize_name(name) == "monteverde pharma" for name in companies)
    assert "Quarry Hill Therapeutics, Inc." in companies
    assert not any("globenewswire" in n.lower() or n == "FDA" or "Headline" in n for n in companies)


def test_rules_record_dedupes_amounts_and_tickers() -> None:
    text = (
        "# Corvel Raises $10 Million\n\n"
        "AUSTIN, Texas, Feb. 3, 2026 (BUSINESS WIRE) -- Corvel Robotics Inc. (NASDAQ: CRVL) today closed a private placement "
        "with gross proceeds of $10 million at $2.00 per share. Corvel Robotics Inc. (NASDAQ: CRVL) will use the $10 million for growth."
    )
    first = text.index("NASDAQ: CRVL")
    second = text.index("NASDAQ: CRVL", first + 1)
    mentions = Mentions(
        money=money_in(text),
        tickers=[TickerMention("CRVL", "NASDAQ", "NASDAQ: CRVL", (first, first + 12)), TickerMention("CRVL", "NASDAQ", "NASDAQ: CRVL", (second, second + 12))],
    )
    record = rules_record(text, mentions)
    assert record.date == "2026-02-03"
    assert [(a.value, a.kind) for a in record.amounts] == [(10_000_000, "financing"), (2.0, "price_per_share")]
    assert record.amounts[0].text == "$10 Million" and record.amounts[0].span == (text.index("$10 Million"), text.index("$10 Million") + 11)
    assert [t.symbol for t in record.tickers] == ["CRVL"] and record.tickers[0].company == "Corvel Robotics Inc."
    assert record.issuer.ticker == "CRVL" and record.companies[0].role == "issuer"
    assert record.meta is not None and record.meta.backend == "rules"


def test_rules_record_rejects_empty_text() -> None:
    with pytest.raises(InputError):
        rules_record("   ")


def test_propose_roles_answers_in_the_order_given() -> None:
    text = "Revenue was $9 million. The company sold shares at $2.50 per share."
    money = money_in(text)
    forward = propose_roles(text, money)
    backward = propose_roles(text, list(reversed(money)))
    assert [p.kind for p in forward] == ["revenue", "price_per_share"]
    assert list(reversed(backward)) == forward


_WORDS = st.sampled_from(
    ["Acme", "Corp.", "Inc.", "revenue", "up", "to", "milestone", "per", "share", "and", "the", ",", ".", "\n", "#", "(NASDAQ:", "ACME)", "2025", "May", "3,", "-", "|"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.integers(1, 999).map(lambda n: f"${n} million")), max_size=60))
def test_rules_record_never_fails_and_keeps_one_amount_per_value(tokens: list[str]) -> None:
    text = "x " + " ".join(tokens)
    money = money_in(text)
    record = rules_record(text, Mentions(money=money))
    values = [(a.value, a.currency) for a in record.amounts]
    assert len(values) == len(set(values)) == len({(m.value, m.currency) for m in money})
    for amount in record.amounts:
        assert amount.span is not None and text[amount.span[0] : amount.span[1]] == amount.text


from support import OWN_GOLD  # noqa: E402


def _gold_docs(root: Path) -> list[GoldDoc]:
    if not (root / "gold.jsonl").is_file():
        pytest.skip(f"gold set not found at {root}")
    return load_gold_dir(root)


@pytest.mark.parametrize("root", [SHARED_GOLD, OWN_GOLD], ids=["shared", "own"])
@pytest.mark.parametrize("mentions", ["gold", "recognizers"])
def test_gold_set_roles_beat_trivial_baselines(root: Path, mentions: str) -> None:
    """Kind accuracy must beat labelling everything 'other', status must beat all 'actual'."""
    spec = PRESS_RELEASE_FIELDS["amounts"]
    correct = Accuracy()
    status_ok = Accuracy()
    other = actual = 0
    for doc in _gold_docs(root):
        gold, text = doc.gold, doc.text
        record = rules_record(text, gold_mentions(gold, text) if mentions == "gold" else None)
        aligned = score_list(spec, gold["amounts"], record.model_dump()["amounts"])
        correct += aligned.attributes["kind"]
        status_ok += aligned.attributes["status"]
        other += sum(gold["amounts"][i]["kind"] == "other" for i, _ in aligned.pairs)
        actual += sum(gold["amounts"][i]["status"] == "actual" for i, _ in aligned.pairs)
    assert correct.total > 0
    assert correct.correct > other
    assert status_ok.correct > actual


# -- cue anchors: a fast pre-test that must never hide a cue ------------------------------------


def test_literal_anchors_name_a_string_every_match_contains():
    from llmx.rules.cues import literal_anchors

    assert literal_anchors(r"milestones?") == {"milestone"}
    assert literal_anchors(r"up[- ]?front|upon signing") == {"front", "on signing"}  # re factors out "up"
    assert literal_anchors(r"licen[cs](?:e|ing) fees?") == {"licen"}
    assert literal_anchors(r"(?:fee|royalt(?:y|ies))") == {"fee", "royalt"}
    assert literal_anchors(r"\d+ shares|fee") is not None and literal_anchors(r"\d+|fee") is None


def test_a_cue_or_role_regex_never_matches_where_its_anchors_are_absent():

    from llmx.rules.cues import CUE_ANCHORS
    from llmx.rules.parties import _ROLE_ANCHORS

    texts = [p.read_text(encoding="utf-8") for p in sorted(OWN_GOLD.glob("docs/*.txt"))]
    windows = [text[i : i + 160] for text in texts for i in range(0, max(1, len(text) - 160), 40)]
    windows = [w for w in windows if w.isascii()]
    assert len(windows) > 1000
    checked = 0
    for regex, anchors in {**CUE_ANCHORS, **_ROLE_ANCHORS}.items():
        for window in windows:
            if regex.search(window):
                checked += 1
                assert anchors is None or anchors.search(window.lower()), (regex.pattern, window)
    assert checked > 1000  # the cues do occur: the test looked at real matches
