"""Kind and status classes found wrong on unseen corpus releases (issue #11), each on a sentence written here.

Every case names a class of text, not a document; the classes and their counts are in
docs/kinds-unseen.md.
"""

from __future__ import annotations

import pytest

from support import roles_of
from llmx.recognize import recognize
from llmx.rules.roles import propose_roles


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        # prizes, gifts, donations and bonuses are money handed out, not contracts or financings
        ("The winner of the design contest was awarded a $2,500 gift voucher from Pellworth Stores.", "$2,500", "other"),
        ("Second place receives a cash prize of HK$15,000, funded by the Marlow Arts Society.", "HK$15,000", "other"),
        ("The studio announced a $7,500 donation to the Riverside Food Bank.", "$7,500", "other"),
        ("New users receive a $25 welcome bonus after registration.", "$25", "other"),
        ("Each scholarship carries a one-time award of $3,000 for tuition.", "$3,000", "other"),
        # securities sold under a purchase agreement, notes and shelves are financings, not supply contracts
        ("Fenwick Labs entered into an equity purchase agreement for $40 million with Arden Capital.", "$40 million", "financing"),
        ("The company issued $12 million in senior secured notes to an institutional investor.", "$12 million", "financing"),
        ("A recent $150 million shelf registration gives the company access to capital.", "$150 million", "financing"),
        ("Tarrow Mining secured $6.1 million in new investment capital during the year.", "$6.1 million", "financing"),
        # a token presale is a fundraising
        ("The Glimmer token has already amassed over $3 million from early buyers.", "$3 million", "financing"),
        ("Glimmer Token Passes $2 Million in Presale as Stage 6 Opens.", "$2 Million", "financing"),
        # cash positions printed with securities or as available cash
        ("Cash and marketable securities grew to $14.2 million at year end.", "$14.2 million", "cash"),
        ("The group held available cash of $61 million while net income rose.", "$61 million", "cash"),
        # per-share valuations and share-price moves are prices per share
        ("Our discounted cash flow model gives a valuation range of $4.10 to $6.80 per Brisk share.", "$4.10", "price_per_share"),
        ("Analysts see a fair value estimate of $18.25 for the stock.", "$18.25", "price_per_share"),
        ("Quarry Gold shares climbed 22% to $3.45 on Tuesday.", "$3.45", "price_per_share"),
    ],
)
def test_unseen_kind_classes(sentence: str, amount: str, kind: str) -> None:
    assert roles_of(sentence)[amount][0] == kind


@pytest.mark.parametrize(
    ("sentence", "amount", "status"),
    [
        # a figure a past-tense move arrived at happened
        ("Ticket sales saw a strong rise, reaching $8.4 million, up 12% from last year.", "$8.4 million", "actual"),
        ("The coin hit an intraday high of $0.318 before resistance capped further gains.", "$0.318", "actual"),
        ("The token skyrocketed from $20k to $9 million in under a month.", "$9 million", "actual"),
        ("The coin now trades in a narrow band between $0.0042 and $0.0039.", "$0.0039", "actual"),
        # analyst valuations are forecasts
        ("Our valuation model returns a valuation range of $4.10 to $6.80 for the shares.", "$6.80", "potential"),
        # ... and forward words keep a move open
        ("Shares rose 8% and could reach $12.50 if the trial succeeds.", "$12.50", "potential"),
        ("Revenue is expected to reach $40 million by 2027.", "$40 million", "potential"),
    ],
)
def test_unseen_status_classes(sentence: str, amount: str, status: str) -> None:
    assert roles_of(sentence)[amount][1] == status


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        # the new cues do not swallow neighbouring classes
        ("Halden Corp signed a $5 million supply agreement with Orvik Foods.", "$5 million", "contract_value"),
        ("The token is selling for $0.021 in its third presale stage.", "$0.021", "other"),
        ("Net income for the quarter was $4.2 million.", "$4.2 million", "earnings"),
    ],
)
def test_unseen_rules_keep_neighbours(sentence: str, amount: str, kind: str) -> None:
    assert roles_of(sentence)[amount][0] == kind


def test_equity_line_stock_purchase_agreement_is_financing() -> None:
    # an equity line sells new stock to one investor over time
    sentence = "Brisk Therapeutics entered into a common stock purchase agreement for up to $25 million with Lyle Park Capital."
    assert roles_of(sentence)["$25 million"] == ("financing", "potential")


@pytest.mark.parametrize(
    ("text", "amount", "status"),
    [
        # the month May is not the modal "may"
        ("Cash grew from $2.1 million a year earlier to $6.4 million as of May 31, 2025.", "$6.4 million", "actual"),
        ("The company may receive $6.4 million from the escrow.", "$6.4 million", "potential"),
        # a figure compared with guidance or estimates was reported
        ("Adjusted EBITDA increased 11% to $7.2M, above guidance.", "$7.2M", "actual"),
        ("The company beat consensus estimates with revenue of $18.3 million.", "$18.3 million", "actual"),
        # a heading naming results as well as outlook does not make its results forecasts
        ("Harwell Update\n\nFinancial Performance and Outlook\n\nRevenue for the quarter was $4.4 million.", "$4.4 million", "actual"),
        ("Harwell Update\n\nOutlook\n\nRevenue for the year is $52 million.", "$52 million", "potential"),
        # a share-price move with a decimal percentage
        ("Quarry Gold shares rose 12.5% to $2.05 on the news.", "$2.05", "actual"),
    ],
)
def test_unseen_status_month_guidance_heading(text: str, amount: str, status: str) -> None:
    assert roles_of(text)[amount][1] == status


def test_share_move_with_decimal_percentage_is_price_per_share() -> None:
    assert roles_of("Quarry Gold shares rose 12.5% to $2.05 on the news.")["$2.05"][0] == "price_per_share"


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        # plural "financings", pre-seed rounds and lenders' commitments are financings
        ("Brightwater Credit provides cash flow financings from $15 million to lower middle-market firms.", "$15 million", "financing"),
        ("The startup closed a $1.2 million pre-seed round led by Orchard Ventures.", "$1.2 million", "financing"),
        ("The lender has provided more than $2 billion in senior debt commitments since 2010.", "$2 billion", "financing"),
        # cash positions printed as "cash, equivalents, and short-term investments"
        ("Cash, equivalents, and short-term investments totaled $7.7 million at quarter-end.", "$7.7 million", "cash"),
        # a face value reported as changing is still a face value ...
        ("After the consolidation the par value per share rises from US$0.0001 to US$0.001.", "US$0.0001", "other"),
        # ... but a price printed after it in the same clause is a price
        ("Shares with par value $0.001 were sold at a price of $4.25 per share.", "$4.25", "price_per_share"),
    ],
)
def test_unseen_round_two_kind_classes(sentence: str, amount: str, kind: str) -> None:
    assert roles_of(sentence)[amount][0] == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "By 2030 the market is forecast to hit $48.2 billion.",
        "Analysts say the token could hit $0.25 this summer.",
        "The company aims to hit $12 million in sales next year.",
    ],
)
def test_forecast_move_stays_potential(sentence: str) -> None:
    # a move verb after a forward word ("forecast to hit") is a forecast, not a past move
    money = sorted(recognize(sentence).money, key=lambda m: m.span)
    assert [p.status for p in propose_roles(sentence, money)] == ["potential"]
