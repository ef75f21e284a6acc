"""Kind and status classes found wrong on a second sample of unseen corpus releases (issue #11, round 2).

Each case is a sentence written here for one class of text; the classes and their counts are in
docs/kinds-unseen.md ("Round 2"). Neighbour cases check that a new rule does not swallow the
class next to it.
"""

from __future__ import annotations

import pytest

from support import roles_of


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        # a cash position reported or added to
        ("As of March 31, the company reported $21.4 million in cash and no debt.", "$21.4 million", "cash"),
        ("After funding its expansion, Orlen Metals added $9.2 million to cash during the year.", "$9.2 million", "cash"),
        # the comparison figure after "up from" is the same line item
        ("Brevant posted a quarterly net loss of $6.1 million, up from $4.8 million a year earlier, as R&D spending rose.", "$4.8 million", "earnings"),
        # charitable and community giving is money handed out, not a contract
        ("The credit union made a commitment of $450,000 in community investments this year.", "$450,000", "other"),
        ("Under the agreement, the bank committed $35,000 in food assistance to local families.", "$35,000", "other"),
        # balance-sheet items are neither financings nor the deal topic
        # "and" without "between" lists two line items, not a range
        ("Halvard booked gross receivables of $390,000 and $61,000 in commission and fee income.", "$61,000", "revenue"),
        # commission and fee income is revenue, even beside receivables
        ("Halvard added $210,000 in gross receivables and generated $48,000 in commission and fee income.", "$48,000", "revenue"),
        ("Halvard Closes Credit Facility With New Lenders\nThe lender now carries $4.1 million in receivables.", "$4.1 million", "other"),
        ("After the funding round, the balance sheet showed $12.5 million in working capital.", "$12.5 million", "other"),
        # both ends of a per-unit price range
        ("The recovered oil is a revenue stream beyond the $20-$45 per ton tipping fees paid by haulers.", "$20", "other"),
        ("The recovered oil is a revenue stream beyond the $20-$45 per ton tipping fees paid by haulers.", "$45", "other"),
        # a takeover priced as a value of the target
        ("The all-cash transaction values the Company's equity at approximately $54 million.", "$54 million", "acquisition_price"),
        # the stock part of a purchase price is equity, by the gold convention (own-010, own-011)
        (
            "The total consideration is $8 million, which includes $2 million in cash and $6 million in restricted common stock of the buyer.",
            "$6 million",
            "equity",
        ),
        # a pre-money or post-money figure is a valuation, even where a deal "values" the company
        ("The deal values Corvane at $300 million pre-money and brings $40 million of committed capital.", "$300 million", "valuation"),
        # "milestone" in its everyday sense is an achievement, not a milestone payment
        ("To celebrate this significant milestone, the shop will offer $15 discounts all day.", "$15", "other"),
        # a noun investment in a company is an equity stake
        ("Last week Corvane announced a $15 million investment in the group.", "$15 million", "equity"),
    ],
)
def test_unseen2_kind_classes(sentence: str, amount: str, kind: str) -> None:
    assert roles_of(sentence)[amount][0] == kind


@pytest.mark.parametrize(
    ("sentence", "amount", "status"),
    [
        # the noun "projects" is not a forecast
        ("Since the spring the installer has signed 310 rooftop projects worth a total contract value of $22.5 million.", "$22.5 million", "actual"),
        # the noun "might" is not a hedge
        ("Its reserve fund holds about $80 billion, surpassing the combined might of its three rivals.", "$80 billion", "actual"),
        # a forecast verb makes "in 2027" a target year
        ("Spending on grid batteries is expected to exceed $90 billion in 2027.", "$90 billion", "potential"),
        ("Sales of the device are projected to reach $3 billion in 2028.", "$3 billion", "potential"),
        # ... but the base value a forecast starts from happened
        ("The market is projected to grow from $1.9 billion in 2024 to $3.4 billion by 2031.", "$1.9 billion", "actual"),
        # a spread of present values is not a forecast's upper end
        ("Filing fees range from $150 to $900 per claim, which deters many clinics.", "$900", "actual"),
    ],
)
def test_unseen2_status_classes(sentence: str, amount: str, status: str) -> None:
    assert roles_of(sentence)[amount][1] == status


@pytest.mark.parametrize(
    ("sentence", "amount", "expected"),
    [
        # neighbours the new rules must leave alone
        ("The company projects revenue of $14 million for next year.", "$14 million", ("revenue", "potential")),
        ("Revenue was $7.3 million in 2024.", "$7.3 million", ("revenue", "actual")),
        ("Orvale is eligible to receive significant milestone payments of up to $90 million.", "$90 million", ("milestone", "potential")),
        ("Korvi is eligible for a $4 million milestone upon first patient dosing.", "$4 million", ("milestone", "potential")),
        ("Guidance calls for revenue between $40 million and $44 million.", "$44 million", ("revenue", "potential")),
        ("Dorrel secured a $25 million working capital facility from its bank.", "$25 million", ("financing", "actual")),
        ("Operating cash flow was $3.2 million, and the company reported $1.1 million in cash flow from investments.", "$1.1 million", ("other", "actual")),
        ("Prices are expected to rise, with sales rising from $40 million to $55 million by 2026.", "$55 million", ("revenue", "potential")),
        ("The group plans to make a $200 million investment in Texas to build a plant.", "$200 million", ("other", "potential")),
    ],
)
def test_unseen2_rules_keep_neighbours(sentence: str, amount: str, expected: tuple[str, str]) -> None:
    assert roles_of(sentence)[amount] == expected
