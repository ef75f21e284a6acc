"""Kind and status rules that generalize to unseen releases, each on a sentence written for it."""

from __future__ import annotations

import pytest

from support import roles_of
from llmx.recognize import recognize
from llmx.rules.roles import is_hedged, propose_roles
from llmx.rules.text import TextIndex


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        # a bank's interest income is its revenue; balance-sheet lines and provisions are "other"
        ("Net interest income for the quarter increased to $9.2 million.", "$9.2 million", "revenue"),
        ("Total deposits grew $41.3 million during the quarter at Harwell Savings Bank.", "$41.3 million", "other"),
        ("At Harwell Savings Bank, loans rose $12.6 million in the quarter.", "$12.6 million", "other"),
        ("The quarter included a provision for credit losses of $1.4 million.", "$1.4 million", "other"),
        ("Results were reduced by a $6.2 million non-cash derivative charge.", "$6.2 million", "other"),
        ("The firm eliminated over $14 million in debt during the year.", "$14 million", "other"),
        ("Brantley Tech has $2.1 million in property, plant and equipment.", "$2.1 million", "other"),
        # a heading glued to its sentence by the text extraction keeps its cue
        ("Third Quarter ResultsNet income for the quarter was $3,210,000.", "$3,210,000", "earnings"),
        # share buybacks are neither equity stakes nor financings
        ("The board approved a $25 million share repurchase program.", "$25 million", "other"),
        ("Synergies of $40 million a year are targeted after the merger closes.", "$40 million", "other"),
        # crypto assets bought or priced
        ("Halvorsen Group bought 140 ETH at an average price of $2,950.", "$2,950", "other"),
        ("The treasury made a $5 million investment in governance tokens.", "$5 million", "other"),
        ("Miners sold output at $1,800 per ounce and the token traded at $12 per token.", "$12", "other"),
        # face values of a share are legal terms, not prices paid
        ("Each ordinary share, par value US$0.0001 per share, will be cancelled.", "US$0.0001", "other"),
        ("Holders receive US$3.10 in cash per Norland Share at closing.", "US$3.10", "price_per_share"),
        ("The offer values the company at C$4.25 per Tellis share.", "C$4.25", "price_per_share"),
        # cash positions
        ("Cash increased to approximately $2.3 million as of June 30.", "$2.3 million", "cash"),
        ("Stablecoins worth $8.8 million are classified as cash equivalents.", "$8.8 million", "cash"),
        # deal documents
        ("Corvane Foods signed a $1.7 million sales contract for Brazil.", "$1.7 million", "contract_value"),
        ("The company drew on a working capital facility of up to $6 million.", "$6 million", "financing"),
        ("Ostrander Bio is selling its packaging plant for $9 million.", "$9 million", "acquisition_price"),
        ("Ostrander Bio raised $9 million by selling 3,000,000 shares of common stock.", "$9 million", "financing"),
        ("The study outlines an after-tax NPV of $610 million for the project.", "$610 million", "valuation"),
        ("The model assumes a price of $2,400 gold over the mine life.", "$2,400", "other"),
    ],
)
def test_kind_rules(sentence: str, amount: str, kind: str) -> None:
    assert roles_of(sentence)[amount][0] == kind


@pytest.mark.parametrize(
    ("sentence", "amount", "status"),
    [
        ("Analysts predicted the token could trade between $40 and $60 by year-end.", "$60", "potential"),
        ("The plan supports its goal of full-year revenue of $15 million.", "$15 million", "potential"),
        ("The merger should deliver $30 million in annual synergies.", "$30 million", "potential"),
        ("The feasibility study shows an NPV of $450 million.", "$450 million", "potential"),
        ("A further $20 million will be due to Orlin upon technical progress.", "$20 million", "potential"),
        ("The board will propose a dividend of EUR 0.40 per share.", "EUR 0.40", "potential"),
        # "contingent liabilities" names a liability, not a condition
        ("The sale removed $4 million of debt and contingent liabilities.", "$4 million", "actual"),
    ],
)
def test_status_rules(sentence: str, amount: str, status: str) -> None:
    assert roles_of(sentence)[amount][1] == status


def test_row_label_skips_cells_of_the_same_row() -> None:
    """A table flattened to one cell per line: the label of every cell is the row's label."""
    text = "Summary\n\nNet interest income\n\n$\n\n5,576\n\n$\n\n5,873\n\nOther line\n"
    index = TextIndex(text)
    second = text.index("5,873")
    assert index.window(second, second + 5).label == "Net interest income"
    assert index.window(text.index("5,576"), text.index("5,576") + 5).label == "Net interest income"


def test_a_maximum_is_a_ceiling_with_or_without_article() -> None:
    text = "Buybacks are capped at a 2026 maximum of $500,000 in aggregate."
    start = text.index("$500,000")
    assert is_hedged(text, (start, start + 8))
    assert not is_hedged("The buyback cost $500,000.", (17, 25))


@pytest.mark.parametrize(
    "sentence",
    [
        "Revenue rose by 9% to EUR 212.4 million (previous year: EUR 194.9 million), above expected market growth.",
        "Revenue rose by 9% to EUR 212.4 million (H1 2024: EUR 194.9 million), above expected market growth.",
    ],
)
def test_a_comparison_figure_shares_the_line_item_and_is_actual(sentence: str) -> None:
    assert roles_of(sentence)["EUR 194.9 million"] == ("revenue", "actual")


@pytest.mark.parametrize(
    ("sentence", "amount", "status"),
    [
        ("The gross proceeds from the offering are expected to be approximately $3.2 million.", "$3.2 million", "actual"),
        ("Sellers will receive cash consideration expected to be approximately $1,450,000 at closing.", "$1,450,000", "actual"),
        ("If the option is exercised in full, gross proceeds are expected to be approximately $3.7 million.", "$3.7 million", "potential"),
        # guidance is not an agreed term
        ("Full-year revenue is expected to be approximately $48 million.", "$48 million", "potential"),
    ],
)
def test_expected_agreed_terms_stay_actual(sentence: str, amount: str, status: str) -> None:
    assert roles_of(sentence)[amount][1] == status


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        ("Total interest income rose by $210,000 to $8,450,000 as compared with $8,240,000 for the prior year due to higher fees.", "$8,240,000", "revenue"),
        ("Fenwick Ltd. secures a $15 Million Facility to buy equipment.", "$15 Million", "financing"),
        ("With $88 million in cash and no debt, the miner is fully funded.", "$88 million", "cash"),
        ("The company filed a prospectus supplement for its ATM offering of up to $4,250,000 of shares of common stock.", "$4,250,000", "financing"),
        ("Investment management fees increased by $912,000 compared to last year.", "$912,000", "revenue"),
    ],
)
def test_more_kind_rules(sentence: str, amount: str, kind: str) -> None:
    assert roles_of(sentence)[amount][0] == kind


def test_a_forward_cue_after_a_range_makes_both_ends_potential() -> None:
    roles = roles_of("An analyst said the coin could trade near $4,000 soon and $10,000–$15,000 by year-end.")
    assert roles["$10,000"][1] == roles["$15,000"][1] == "potential"
    reported = roles_of("Quarterly revenue was $10 million to $12 million in each quarter of 2024.")
    assert reported["$10 million"][1] == "actual"


def test_a_plant_called_facility_is_not_a_financing() -> None:
    assert roles_of("Fenwick Ltd. is selling a $15 million manufacturing facility to a buyer.")["$15 million"][0] != "financing"
