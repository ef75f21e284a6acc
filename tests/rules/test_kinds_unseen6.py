"""Kind and status classes found wrong on a sixth sample of unseen corpus releases (issue #11, round 6).

Each case is a sentence written here for one class of text (classes and counts in docs/kinds-unseen.md,
"Round 6"); neighbour cases check that a new rule leaves the class next to it alone.
"""

from __future__ import annotations

import pytest

from support import roles_of


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        # funding to help scientists is not research funding
        ("Lumio raised $1.2m in seed funding to help scientists share lab notes.", "$1.2m", "financing"),
        # "offering" as the verb "to offer" is not a securities offering
        ("To mark the opening, the studio is offering $15 off every first lesson.", "$15", "other"),
        ("Harbor Lights Gala Returns, Offering Over $30,000 in Prizes", "$30,000", "other"),
        ("The state signed a law offering rebates worth $120 million for heat pumps.", "$120 million", "other"),
        # ... unless securities are what is offered, and the noun stays a financing
        ("Brell is offering $10 million of shares of common stock to investors.", "$10 million", "financing"),
        ("Brell closed a $12 million public offering led by a single fund.", "$12 million", "financing"),
        ("The offering raised $8 million for the company.", "$8 million", "financing"),
        # rebates are money handed to buyers, not a purchase or a financing
        ("The state's new rebate program, worth around $90 million, will provide $2,000 in rebates to buy heat pumps.", "$90 million", "other"),
        ("The state's new rebate program, worth around $90 million, will provide $2,000 in rebates to buy heat pumps.", "$2,000", "other"),
        # an amount "in ... grants" is a grant, whoever awarded it
        ("The program has awarded 900 small firms over $40 million in cash, mentoring and equipment grants.", "$40 million", "grant"),
        # funding a charity or foundation gives to research is a grant
        ("The charity has dedicated more than $3.4 million in funding to pediatric research projects.", "$3.4 million", "grant"),
        ("The Harlow Family Foundation awarded $250,000 to the county library.", "$250,000", "grant"),
        ("The Harlow Family Foundation has committed $2 million to rural clinics.", "$2 million", "grant"),
        # ... while a company's donation stays other
        ("Brell plans to donate a total of $20,000 to local schools.", "$20,000", "other"),
        # notes bought by insiders are a financing
        ("Two directors invested $500,000 into the notes on the same terms.", "$500,000", "financing"),
        ("The chairman is investing $1 million into the convertible notes.", "$1 million", "financing"),
        # ... and money invested in a company stays equity
        ("Halvern invested $5 million into Brell Inc.", "$5 million", "equity"),
        # a crypto liquidity pool is not a company's cash
        ("The token has a liquidity pool exceeding $2.3 million and 9,000 holders.", "$2.3 million", "other"),
        ("The company ended the year with liquidity of $40 million.", "$40 million", "cash"),
        # a market's or industry's revenue is a market size
        ("Global drone market revenue is projected to hit $55 billion in 2030.", "$55 billion", "other"),
        ("Brell's revenue rose to $55 million in 2024.", "$55 million", "revenue"),
        # a "Revenue(s) Milestone" is an achievement, not a milestone payment
        ("Brell Ethanol Passes $500 Million Revenues Milestone", "$500 Million", "revenue"),
        ("Brell will receive a $5 million milestone payment on approval.", "$5 million", "milestone"),
        # ... so the headline gives the lead's uncued amounts no milestone topic
        ("Brell Ethanol Passes $500 Million Revenues Milestone\n\nBRELL, Iowa -- The plant has now passed that mark, with $61 million in the last twelve months.", "$61 million", "other"),
        # a per-unit revenue figure is revenue; per-unit costs stay other
        ("Revenue per gallon increased by $0.14 per gallon over the prior quarter.", "$0.14", "revenue"),
        ("All-in sustaining costs were $1,150 per ounce.", "$1,150", "other"),
        ("The upgrade should lift revenues by $.05 per gallon at credit prices of $80 per metric ton.", "$.05", "revenue"),
        ("The upgrade should lift revenues by $.05 per gallon at credit prices of $80 per metric ton.", "$80", "other"),
        # a product's retail or list price is a product price
        ("The chair retails for $1,299 in the company's stores.", "$1,299", "other"),
        ("The new model carries a list price of $45,000.", "$45,000", "other"),
    ],
)
def test_unseen6_kind_classes(sentence: str, amount: str, kind: str) -> None:
    assert roles_of(sentence)[amount][0] == kind


@pytest.mark.parametrize(
    ("sentence", "amount", "status"),
    [
        # "can" + a move to a level, or a date "by Q4 / by the end of the month", is a forecast
        ("Many analysts are projecting that the coin can spike to over $9,000 by Q3.", "$9,000", "potential"),
        ("According to one model, the coin can end 2026 at $7,250.", "$7,250", "potential"),
        ("The presale raised $2 million and can raise over $3 million by the end of the month.", "$3 million", "potential"),
        ("The presale raised $2 million and can raise over $3 million by the end of the month.", "$2 million", "actual"),
        # ... while what a customer can buy is a present term, a cost that "can exceed" a level is no forecast, and a dated
        # quarter is past
        ("Customers can buy the kit for $49 at any store.", "$49", "actual"),
        ("The lifetime cost of care for one patient can exceed $2 million.", "$2 million", "actual"),
        ("Sales have propelled the ARR from £4 million at the end of 2023 to £9 million by the end of Q1 2025.", "£9 million", "actual"),
    ],
)
def test_unseen6_status_classes(sentence: str, amount: str, status: str) -> None:
    assert roles_of(sentence)[amount][1] == status
