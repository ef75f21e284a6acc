"""Issuer rules (llmx.rules.issuer) and listings without a colon, on sentences written for these tests."""

from __future__ import annotations

import pytest

from llmx.recognize import recognize
from llmx.recognize.tickers import find_tickers
from llmx.rules.issuer import find_issuer


def issuer_of(text: str) -> tuple[str | None, str | None, str | None]:
    issuer = find_issuer(text, recognize(text))
    return issuer.name, issuer.ticker, issuer.exchange


def test_dateline_with_a_time_of_day_is_not_the_issuer() -> None:
    # The city and the wire tag stand before the date; the lead opens with a sentence word.
    text = (
        "# Quillon Robotics and Marda Systems Announce Joint Venture in Warehouse Automation\n\n"
        "Fresno, CA (Wirely) Monday Jun 2, 2025 @ 9:00 AM Pacific — Two regional leaders have joined forces. "
        "The Quillon Robotics, Inc. and Marda Systems (OTC:MRDA) venture combines Quillon's software with Marda's arms.\n\n"
        "Quillon Robotics, Inc. was founded in 2019."
    )
    assert issuer_of(text)[0] == "Quillon Robotics, Inc."


def test_no_dateline_and_a_sentence_word_lead_takes_the_headline_subject() -> None:
    text = (
        "# Veltrane Protocol raises €2M seed round for open payments\n\n"
        "Despite years of growth in digital payments, small merchants still wait weeks to be paid by their buyers "
        "and lenders. Veltrane Protocol, an open source project, aims to change that.\n\n"
        "Veltrane Protocol will use the funds to hire engineers."
    )
    assert issuer_of(text)[0] == "Veltrane Protocol"


def test_wire_name_after_the_date_and_defined_terms_before_the_listing() -> None:
    text = (
        "# Harlow Reports First Quarter Results\n\n"
        "Austin, Texas, May 1, 2026 – NOVA MediaWire (Press Release Service – Press Release Distribution) – "
        "Harlow Foods, Inc. (“Harlow” or the “Company”) (Nasdaq: HRLW), a packaged food company, today reported "
        "its financial results for the first quarter ended March 31, 2026."
    )
    assert issuer_of(text) == ("Harlow Foods, Inc.", "HRLW", "NASDAQ")


def test_short_lead_sentence_with_a_listing_beats_a_person_quoted_later() -> None:
    text = (
        "# Kestrel Reports Third Quarter Results\n\n"
        "Kestrel Corporation (NYSE: KST) today announced results for the quarter.\n\n"
        "* Revenue rose 4% to $2.1 billion.\n\n"
        "John Q. Smith, President and Chief Executive Officer, stated, “We are pleased with the quarter and with the "
        "progress our teams made on every line of the business this year.”"
    )
    assert issuer_of(text) == ("Kestrel Corporation", "KST", "NYSE")


def test_a_person_is_never_the_issuer() -> None:
    text = (
        "# Results of the Quarter\n\n"
        "John Q. Smith, President and Chief Executive Officer of Kestrel, stated that the quarter went well for the "
        "whole company and its customers and that the outlook for the year is unchanged."
    )
    assert issuer_of(text)[0] != "John Q. Smith"


def test_source_line_with_a_double_dash_is_a_dateline() -> None:
    text = (
        "# Market Alert: Brennic Therapeutics Advances Toward Approval\n\n"
        "Brennic's Groundbreaking Therapy Advances Towards approval in Canada with potential revenue of many millions "
        "of dollars in the years ahead, the company says.\n\n"
        "Market News Alerts Reports -- Brennic Therapeutics Ltd. (NASDAQ: BRNC)* has announced progress toward "
        "the approval of its lead drug in Canada."
    )
    assert issuer_of(text) == ("Brennic Therapeutics Ltd.", "BRNC", "NASDAQ")


def test_two_symbol_listing_links_the_first_symbol_to_the_issuer() -> None:
    text = (
        "# Oslin Prices Offering\n\n"
        "DENVER, CO - March 3, 2025 (NEWMEDIAWIRE) - Oslin, Inc., (“Oslin” or the “Company”) (Nasdaq: OSLN, OSLNW), "
        "a medical imaging company, today announced the pricing of a registered direct offering."
    )
    assert issuer_of(text) == ("Oslin, Inc.", "OSLN", "NASDAQ")
    assert [t.symbol for t in find_tickers(text)] == ["OSLN", "OSLNW"]


def test_otcqx_best_market_listing_after_a_defined_term() -> None:
    text = (
        "# HARBOR FINANCIAL CORPORATION REPORTS RESULTS\n\n"
        "Harbor Financial Corporation (the “Company”) (OTCQX Best Market: HBFC), parent of The Harbor Bank, "
        "announced earnings for the fourth quarter ended December 31, 2024, and a new repurchase program."
    )
    assert issuer_of(text) == ("Harbor Financial Corporation", "HBFC", "OTC")


def test_disseminated_on_behalf_of_names_the_issuer() -> None:
    text = (
        "# Corvane Mining Expands Its Board\n\n"
        "RENO, NV - January 5, 2026 (NEWMEDIAWIRE) - Disseminated on behalf of Corvane Mining Corp. and may include "
        "paid advertising.\n\n"
        "Corvane Mining (NYSE American: CVM) announced two new directors with long experience in permitting."
    )
    assert issuer_of(text) == ("Corvane Mining Corp.", "CVM", "NYSE American")


def test_wire_brand_in_the_lead_is_not_the_issuer() -> None:
    text = (
        "# Zentro Labs Signs Distribution Deal\n\n"
        "NetworkNewsWire Editorial Coverage: Zentro Labs Inc. (CSE: ZNT) is expanding its distribution across "
        "Canada through a new agreement with a national pharmacy chain covering 400 stores."
    )
    assert issuer_of(text)[0] == "Zentro Labs Inc."


def test_headline_subject_is_the_run_the_body_prints_on_its_own() -> None:
    text = (
        "# Brookvale Farms Celebrates 50 Years of Dairy\n\n"
        "This summer marks half a century since a family opened a small dairy outside town; today it sells milk in "
        "six states and employs two hundred people.\n\n"
        "Brookvale Farms will host an open day in June."
    )
    assert issuer_of(text)[0] == "Brookvale Farms"


def test_a_lone_headline_word_printed_in_lower_case_is_not_a_name() -> None:
    text = (
        "# Gold, Antimony And The New Push For Resource Independence\n\n"
        "Although the address to Congress is best known for its fireworks, gold and antimony producers may gain "
        "the most. Under this framework, Nova Metals Ltd (NASDAQ: NVM) – an exploration company – may benefit."
    )
    assert issuer_of(text) == ("Nova Metals Ltd", "NVM", "NASDAQ")


def test_ocr_garbled_issuer_takes_the_spelling_printed_most() -> None:
    text = (
        "# ImnmunoGen Announces Data\n\n"
        "WALTHAM, Mass., June 3, 2025 /PRNewswire/ -- ImnmunoGen, Inc. (Nasdaq: IMGN) today announced new data. "
        "ImmunoGen presented the results at a congress, and ImmunoGen will report more later this year. ImmunoGen thanks its patients."
    )
    assert issuer_of(text)[0] == "ImmunoGen, Inc."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Partridge Equity Inc. (TSX.V PEQ) announced a purchase.", [("PEQ", "TSXV")]),
        ("Hollin Corp. (NYSE HLN; TSX HLN) reported.", [("HLN", "NYSE"), ("HLN", "TSX")]),
        ("Shares are quoted (NASDAQ GS) daily.", []),
        ("The company (LSE AIM) is small.", []),
        ("Volume rose (NYSE ABC shares rose) today.", []),
        ("Our partner (Morgan ABC) joined.", []),
    ],
)
def test_listing_without_a_colon_inside_parentheses(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.symbol, t.exchange) for t in find_tickers(text)] == expected


def test_wire_tag_between_slashes_may_start_with_a_digit() -> None:
    text = (
        "# From Small Shop to Regional Leader: A Story of Growth\n\n"
        "TUCSON, AZ, October 2, 2024 /24-7PressRelease/ -- Calder Ridge Limited, chaired by Ana Ruiz, announces the "
        "purchase of a 20% stake in a copper project in Sonora, Mexico, for an undisclosed amount."
    )
    assert issuer_of(text)[0] == "Calder Ridge Limited"


def test_name_led_by_digits_is_read_whole() -> None:
    text = (
        "# 4DM Robotics, Inc. Expands Its Defense Work\n\n"
        "SEATTLE - April 2, 2025 (NEWMEDIAWIRE) - 4DM Robotics, Inc. (OTCM: FDMR), a maker of inspection robots, "
        "is pleased to announce two new submissions to the U.S. Navy."
    )
    assert issuer_of(text) == ("4DM Robotics, Inc.", "FDMR", "OTC")


def test_a_lone_lead_word_printed_in_lower_case_is_not_a_name_but_a_url_does_not_count() -> None:
    ordinary = (
        "# Ten Questions for Savers\n\n"
        "What matters most when saving for retirement is time, and what matters next is cost. What follows is a "
        "guide for new savers who want to start early and keep fees low."
    )
    assert issuer_of(ordinary)[0] is None
    brand = (
        "# Pellwyn Raises $11M to Expand Care Analytics\n\n"
        "Pellwyn, a provider of analytics for senior care, today announced it has raised $11 million in a "
        "follow-on round.\n\nFor more, visit www.pellwyn.com or write to pellwyn@agency.com."
    )
    assert issuer_of(brand)[0] == "Pellwyn"


def test_headline_subject_may_drop_one_leading_word_the_body_never_prints() -> None:
    text = (
        "# How Orvane Systems Is Changing Freight Tracking\n\n"
        "The freight sector is changing fast as shippers demand live tracking across every mode and every border "
        "they cross. Amid this shift, Orvane Systems is growing quickly."
    )
    assert issuer_of(text)[0] == "Orvane Systems"
