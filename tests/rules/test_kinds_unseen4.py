"""Kind and status classes found wrong on a fourth sample of unseen corpus releases (issue #11, round 4).

Each case is a sentence written here for one class of text (classes and counts in docs/kinds-unseen.md,
"Round 4"); neighbour cases check that a new rule leaves the class next to it alone.
"""

from __future__ import annotations

import pytest

from llmx.rules.record import rules_record
from llmx.rules.roles import is_hedged
from support import roles_of


@pytest.mark.parametrize(
    ("sentence", "amount", "kind"),
    [
        # the range a share price traded in is a share price
        ("Orvel stock has traded between $3.10 and $18.25 over the past year.", "$3.10", "price_per_share"),
        ("Orvel stock has traded between $3.10 and $18.25 over the past year.", "$18.25", "price_per_share"),
        # what a charity, capital or political campaign raised is giving, not a company's financing
        ("The shelter's capital campaign, which raised nearly $12 million by 2019, paid for a new clinic.", "$12 million", "other"),
        ("The museum completed two capital campaigns raising more than $40 million for its new wing.", "$40 million", "other"),
        # a token presale's reported total is a financing; "amassed" property is not
        ("Meanwhile its presale has now accumulated over $2,000,000 from early buyers.", "$2,000,000", "financing"),
        ("In its presale stage, it has already generated over $850,000 in investments.", "$850,000", "financing"),
        ("The developer has amassed over $90 million of prime Chicago assets since 2015.", "$90 million", "other"),
        # notes sold under an option granted with an offering are a financing, not a purchase of a business
        (
            "Halvard closed $300 million of convertible notes, including the full exercise of the option granted for the purchase of up to $40 million in aggregate principal of the notes.",
            "$40 million",
            "financing",
        ),
        # both ends of a range take the cue printed after the far end
        ("At roughly $2–3B market cap, the miner looks cheap.", "$2", "valuation"),
        ("At roughly $2–3B market cap, the miner looks cheap.", "3B", "valuation"),
        # annual recurring revenue is revenue
        ("Over the year the company grew ARR from £4 million to £9 million.", "£4 million", "revenue"),
        # an order pipeline is a backlog of possible business, not a contract
        ("The order pipeline at the end of the quarter stood at £600,000.", "£600,000", "other"),
        # a user's return per day on a cloud-mining or staking plan is not the company's earnings
        ("With the Gold plan, users receive $18 in earnings each day for ten days.", "$18", "other"),
        # a revenue band that sizes a class of companies is not anyone's revenue (right on the branch point too, where
        # a range took its near end's kind; the band rule keeps them once the far end's "in revenue" names both ends)
        ("The agency serves companies ranging from $20M to $500M+ in revenue.", "$20M", "other"),
        ("The agency serves companies ranging from $20M to $500M+ in revenue.", "$500M", "other"),
        ("We polled leaders of mid-sized firms ($10M-$250M revenue) in May.", "$10M", "other"),
        # a VC's investment sizes are not a company's financing round
        ("The firm manages $300M, investing $1M–$4M in seed and Series A rounds.", "$1M", "other"),
    ],
)
def test_unseen4_kind_classes(sentence: str, amount: str, kind: str) -> None:
    assert roles_of(sentence)[amount][0] == kind


@pytest.mark.parametrize(
    ("sentence", "amount", "status"),
    [
        # "until now" is not a hedge
        ("The town's budget of about $20 million was, until now, managed on paper.", "$20 million", "actual"),
        # synergies already realised happened
        ("The merger has realised £15 million in annual cost synergies.", "£15 million", "actual"),
        # "reaching" names a level reached ...
        ("Deposits increased by $12.5 million in the quarter, reaching $640.2 million.", "$640.2 million", "actual"),
        # ... unless a forward word precedes it in the sentence
        ("The market is expected to grow at a CAGR of 11.2% from 2024 to 2031, reaching $48 billion.", "$48 billion", "potential"),
        # a price reduced from A to B (present tense) is a current term, not a forecast's upper end
        ("The offer temporarily reduces the exercise price from $3.00 to $1.40 per share.", "$1.40", "actual"),
        # an option exercised in full at the closing happened, though printed as "up to"
        (
            "Halvard closed $300 million of convertible notes, including the full exercise of the option granted for the purchase of up to $40 million in aggregate principal of the notes.",
            "$40 million",
            "actual",
        ),
    ],
)
def test_unseen4_status_classes(sentence: str, amount: str, status: str) -> None:
    assert roles_of(sentence)[amount][1] == status


def test_unseen4_maximum_of_a_named_award_is_a_ceiling() -> None:
    text = "Startups may apply for a maximum grant of $25 thousand each."
    start = text.index("$25")
    assert is_hedged(text, (start, start + len("$25 thousand")))
    assert rules_record(text).amounts[0].status == "potential"


def test_unseen4_an_exercised_option_is_not_a_ceiling_in_the_record() -> None:
    text = "Halvard closed $300 million of notes, including the full exercise of the option granted for the purchase of up to $40 million of the notes."
    statuses = {a.text: a.status for a in rules_record(text).amounts}
    assert statuses["$40 million"] == "actual"


@pytest.mark.parametrize(
    ("sentence", "amount", "expected"),
    [
        # neighbours the new rules must leave alone
        ("Halvard's crowdfunding campaign raised $1.2 million from 900 investors.", "$1.2 million", ("financing", "actual")),
        ("The Glimmer token has already amassed over $3 million from early buyers.", "$3 million", ("financing", "actual")),
        ("Orvel granted the underwriters an option to purchase up to $15 million of additional shares.", "$15 million", ("financing", "potential")),
        ("Revenue rose from $5.1 million to $7.9 million.", "$5.1 million", ("revenue", "actual")),
        ("The stock closed at $4.10 on Friday.", "$4.10", ("price_per_share", "actual")),
        ("Orvel expects synergies of $20 million by 2027.", "$20 million", ("other", "potential")),
        ("The token hit a maximum value of $3,647.24 in March.", "$3,647.24", ("other", "actual")),
        ("The mine generates $500,000 in revenue each day.", "$500,000", ("revenue", "actual")),
        # "reaching" as a condition stays potential (own-032's class)
        ("Orvel will pay US$30 million upon the project reaching 50% completion.", "US$30 million", ("other", "potential")),
        ("The company reported revenue ranging from $4.1 million to $4.6 million per quarter.", "$4.1 million", ("revenue", "actual")),
        # a cued near end keeps its kind for both ends; an uncued near end takes the far end's cue
        ("Quarterly revenue of $3 million to $4 million, with EBITDA near break-even.", "$4 million", ("revenue", "actual")),
    ],
)
def test_unseen4_rules_keep_neighbours(sentence: str, amount: str, expected: tuple[str, str]) -> None:
    assert roles_of(sentence)[amount] == expected


def test_unseen4_until_a_date_stays_a_deadline() -> None:
    # the "until now" exclusion keeps a date form that ends inside a word ("June")
    assert roles_of("Registration is open until 2nd June and costs $40.")["$40"][1] == "actual"


def test_per_denomination_tail_test_matches_the_plain_search() -> None:
    # `_decided_kind` tests "per $X" on the stripped last four characters: the same answers as the plain search
    import random
    import re

    from llmx.rules.roles import _PER_END

    plain = re.compile(r"\bper\s*$")
    pieces = ["per", " ", "\n", "\t", "x", "é", "_", "1", "$", "Per", "super", "\u00a0", "\u2003", "."]
    rng = random.Random(4)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert bool(plain.search(text)) == bool(_PER_END.search(text.rstrip()[-4:])), repr(text)
    assert _PER_END.search("a price of one share per ".rstrip()[-4:])
