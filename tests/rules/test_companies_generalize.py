"""Company rules that generalize to unseen releases, each on a text written for it."""

from __future__ import annotations

import pytest

from llmx.rules.parties import find_companies
from llmx.rules.structure import defined_terms, expand_acronym, structure_stretches

_LEAD = "Norvale Therapeutics Inc. (NASDAQ: NRVL) today announced results of its Phase 2 program in adults.\n\n"


def names(text: str, issuer: str | None = "Norvale Therapeutics Inc.") -> list[str]:
    return [c.name for c in find_companies(text, issuer)]


def test_boilerplate_subsidiaries_are_structure_not_parties() -> None:
    text = _LEAD + "About Norvale\n\nNorvale is a biotech company. Through its wholly owned subsidiary, Kestrel Biologics Inc., Norvale develops antibodies.\n"
    assert "Kestrel Biologics Inc." not in names(text)


def test_a_subsidiary_that_acts_in_the_lead_is_a_party() -> None:
    text = "Norvale Therapeutics Inc., through its subsidiary Kestrel Biologics Inc. and in partnership with Ardent Labs Inc., has built a new assay platform.\n\nAbout Norvale\n\nNorvale is a biotech company.\n"
    found = names(text)
    assert "Kestrel Biologics Inc." in found and "Ardent Labs Inc." in found


@pytest.mark.parametrize(
    ("sentence", "dropped"),
    [
        ("Norvale Therapeutics Inc., previously known as Blue Finch Holdings Inc., is a biotech company.", "Blue Finch Holdings Inc."),
        ("Norvale Therapeutics Inc. is a spin out of Merrow Ventures LLC known for decades of innovation.", "Merrow Ventures LLC"),
        ("Halcyon Pharma's 2021 collaboration with Tessaly Bio Inc. set a precedent for the field.", "Tessaly Bio Inc."),
        ("It works with Ostara Cells GmbH, the battery company of the Valdran Group, on the project.", "Valdran Group"),
    ],
)
def test_history_and_parent_groups_are_not_parties(sentence: str, dropped: str) -> None:
    assert dropped not in names(_LEAD + sentence + "\n")


def test_a_name_printed_elsewhere_as_a_party_is_kept() -> None:
    text = _LEAD + "Norvale, previously known as Blue Finch Holdings Inc., signed a deal. Blue Finch Holdings Inc. will distribute it.\n"
    assert "Blue Finch Holdings Inc." in names(text)


def test_defined_terms_are_not_companies() -> None:
    text = _LEAD + "Norvale agreed to the acquisition of the Property (the “Property”) from Lindgren Estates Ltd. for $4 million.\n"
    assert defined_terms(text) == {"Property"}
    found = names(text)
    assert "Property" not in found and "Lindgren Estates Ltd." in found


def test_professional_corporation_law_firms_are_found() -> None:
    text = _LEAD + "Harlan & Voss, P.C. is acting as counsel to the Company. Mira T. Okafor, P.C. is acting as counsel to the placement agent.\n"
    found = names(text)
    assert "Harlan & Voss, P.C." in found and "Mira T. Okafor, P.C." in found


def test_suppliers_named_for_what_they_provide() -> None:
    text = _LEAD + "* Centrifuges for this study will be provided by Cortland Medical Florida https://example.org\n"
    assert "Cortland Medical Florida" in names(text)


def test_advisor_mandated_and_analyst_giving_a_price_target() -> None:
    text = _LEAD + "Brightwater Advisory London was mandated as a financial advisor for the transaction. Analysts remain positive, with QRT giving the company a $9.50 price target.\n"
    found = names(text)
    assert "Brightwater Advisory London" in found and "QRT" in found


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        ("Sales were strong in the second half of 2025Tallow Group AG expects growth.", "2025Tallow Group AG", "Tallow Group AG"),
        ("Norvale makes Active Pharmaceutical Ingredients for partners.", "Active Pharmaceutical", None),
        ('The CEO said: "Joining Ardent Solutions opens new doors for us."', "Joining Ardent Solutions", "Ardent Solutions"),
        ("The release was distributed by Quartz MediaWire on behalf of the company.", "Quartz MediaWire", None),
    ],
)
def test_name_fragments(sentence: str, absent: str, present: str | None) -> None:
    found = names(_LEAD + sentence + "\n")
    assert absent not in found
    if present:
        assert present in found


def test_a_defined_acronym_is_written_out() -> None:
    text = _LEAD + "The work is funded by the Office of Pandemic Response and Recovery (OPRR), a federal office.\n"
    assert expand_acronym("OPRR", text) == "Office of Pandemic Response and Recovery"
    assert expand_acronym("OPRR", "No definition here.") is None
    assert expand_acronym("OPRX", text) is None


def test_structure_stretch_stops_at_a_partnership_clause() -> None:
    text = "About Norvale\n\nThrough its subsidiaries, Kestrel Bio and Ardent Labs, together with Halvard Inc. it grows."
    stretch = [text[a:b] for a, b in structure_stretches(text)]
    assert stretch and all("Kestrel Bio and Ardent Labs" in s and "Halvard" not in s for s in stretch)


def test_a_parent_printed_with_its_listing_is_kept() -> None:
    text = "Kestrel Bet, the gaming division of Larkspur Matrix Group (NASDAQ: LMGX), was featured today by a partner.\n"
    assert "Larkspur Matrix Group" in names(text, None)
