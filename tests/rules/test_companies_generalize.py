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
        # round 6 (tune6): comparables, portfolios, customer lists, affiliations, wire agencies
        # a sponsored feature's comparables, printed with their listings
        ("Other companies like Quillon Energy Corp. (NYSE: QLN) have nearly commercialized their cells.", "Quillon Energy Corp."),
        ("Organizations such as Tarrow United PLC (NYSE: TRW), Brisk Inc. (NYSE: BRK) and Volant Sports Corp. are investing.", "Brisk Inc."),
        # an investor's past portfolio, inside the bracket that describes the investor
        ("Its backers include Halvard Capital (whose notable investments include Pellucid Software Inc. and Ostara Networks), "
         "and others.", "Pellucid Software Inc."),
        ("Its backers include Merrow Group (which has invested in early projects, such as Kestrel Labs Inc.), and others.", "Kestrel Labs Inc."),
        # a customer list in boilerplate
        ("Its systems have been used by leading organizations including Tessaly Foods Ltd. and Ardent Logistics Inc.", "Tessaly Foods Ltd."),
        # a panelist's affiliation in brackets
        ("Dana Reyes (CEO, Brightwater Asset Management) joined the panel.", "Brightwater Asset Management"),
        # the syndication agency of an amplified article
        ("This article has been amplified by Newsramp in collaboration with Quorra Studios Inc.", "Quorra Studios Inc."),
        # round 6: partner and investor phrases that name no company
        # the verb "partner with" (often a person), not the noun "a partner with"
        ("Rural Ridge is honored to partner with Jane Marlowe for a benefit concert.", "Jane Marlowe"),
        # a nationality modifying a plural noun
        ("Norvale is forging partnerships with Chinese automobile manufacturers to build vans.", "Chinese"),
        # one name with "and" in it
        ("It extends its partnership with the Ministry of Energy and Advanced Materials this year.", "Advanced Materials"),
        ("Its new partnership with Quarry Solar and Storage, an international consulting firm, starts today.", "Storage"),
        # people in a list of collaborators
        ("It acts in collaboration with the Mayor of Ridgeton, Jane Doe, and Governor Sam Lee.", "Jane Doe"),
        # "investors from the United States": a place
        ("The foundation works with investors from the United States on trades.", "United States"),
        ("It closed an asset agreement with Quorra Sensors, Inc. and Dana Reyes, ending the talks.", "Dana Reyes"),
        ("Its programs include QX-1234, partnered with Halvex, and QR-56789, targeting EGFR, partnered with Tarrow.", "QR-56789"),
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


# --- Rules written from 50 hand-judged unseen releases (scripts/companies_unseen, docs/companies.md) ---


def test_a_company_named_in_an_about_heading_is_found() -> None:
    text = _LEAD + "About Quillfeather\n\nQuillfeather is a software company based in Leeds that serves hospitals.\n"
    assert "Quillfeather" in names(text)


@pytest.mark.parametrize(
    "block",
    [
        "About Glimmerosis\n\nGlimmerosis is a chronic inflammatory condition of the skin.\n",  # a disease, not a company
        "About StockPulseWire\n\nStockPulseWire is one of 70+ brands within the Dynamic Brand Portfolio @ IBN that delivers news.\n",
        "About At the Market Offerings\n\nThe company may sell shares from time to time.\n",  # a topic
    ],
)
def test_about_headings_that_do_not_describe_a_party(block: str) -> None:
    found = names(_LEAD + block)
    assert not any(n in found for n in ("Glimmerosis", "StockPulseWire", "Market Offerings", "At the Market Offerings"))


def test_a_list_of_investors_is_read_to_its_end_but_not_a_list_of_people() -> None:
    text = _LEAD + "It raised $9 million from investors like Harrow Ventures, Bellpine, Orland Brands and Tessaract Capital.\n"
    found = names(text)
    assert {"Harrow Ventures", "Bellpine", "Orland Brands", "Tessaract Capital"} <= set(found)
    people = _LEAD + "Early backers included investors such as Mara Quist, Tobin Vale, Ilse Farrow and others.\n"
    assert "Tobin Vale" not in names(people)


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("This summer Norvale is teaming up with Pebblecrest Bakery on a giveaway.", "Pebblecrest Bakery"),
        ("The company expects to close its deal with Ostrander before year end.", "Ostrander"),
        ("The rating was reiterated by analysts at Fenwick Street Research.", "Fenwick Street Research"),
        ("The investor day is organized by Calloway Thorne and held in Boston.", "Calloway Thorne"),
        ("The trust acquired nine stores in Lyon from Maison Verdier for cash.", "Maison Verdier"),
        ("It plans to acquire all of Dutch imaging firm Kestova next year.", "Kestova"),
        ("Norvale launched its new subsidiary, Lumetrix, in Singapore.", "Lumetrix"),
        ("It signed a $3 million funding agreement from the Office of Coastal Resilience last week.", "Office of Coastal Resilience"),
        ("The company is set to present at the Harwick Quay 12th Annual Growth Conference and to host meetings with investors.", "Harwick Quay"),
        # round 6 (tune6): "organizations such as X" as an object names parties: recipients, investors, customers, partners
        ("The jeweler has donated $5,000 to local charities such as the Ridgeton Foundation and Marrow Aid, Inc.", "Marrow Aid, Inc."),
        ("The protocol is backed by venture capital firms like Halvard Fund, Pellucid Capital, and Ostara Ventures.", "Ostara Ventures"),
        ("Quillon counts well-known enterprises like Tarrow Electric SE among its customers.", "Tarrow Electric SE"),
    ],
)
def test_more_role_phrases_name_parties(sentence: str, party: str) -> None:
    assert party in names(_LEAD + sentence + "\n")


@pytest.mark.parametrize("legal", ["Vesuvio Calcio S.r.l.", "Brandt Hydraulik GmbH & Co. KG", "Kelana Tech Sdn. Bhd."])
def test_foreign_legal_forms_close_a_name(legal: str) -> None:
    found = names(_LEAD + f"Norvale agreed to buy a majority stake in {legal} for $2 million.\n")
    assert legal in found and "Co. KG" not in found


@pytest.mark.parametrize(
    ("sentence", "dropped"),
    [
        ("Contact Details\nHalsey Media Relations Ltd\n+1 555 0100\n", "Halsey Media Relations Ltd"),
        ("Dr. Imre previously served as CFO of Torvane Biologics, now Quell Pharma (NASDAQ: QELL), and held roles at Brisk Labs.", "Quell Pharma"),
        ("Her earlier roles include finance posts at Cardell Systems and Marrow Capital.", "Marrow Capital"),
        ("More Oncology News:\n* Ferrovia Therapeutics, Inc. (NASDAQ: FRVA) announced a private placement.\n", "Ferrovia Therapeutics, Inc."),
        ("TLN is one of 40 brands within the Pinecrest Media network, which provides wire distribution and article syndication.", "Pinecrest Media"),
        ("Its partner is Kivalliq Lands Inc., an Alaska Native Corporation that manages land.", "Alaska Native Corporation"),
        ("The office moved to 10 Main Street, Las Vegas, NV last year.", "Las Vegas, NV"),
    ],
)
def test_contacts_careers_roundups_wire_networks_descriptions_and_places_are_not_parties(sentence: str, dropped: str) -> None:
    assert dropped not in names(_LEAD + sentence + "\n")


def test_a_name_after_an_article_that_modifies_a_noun_is_kept() -> None:
    assert "Halden Capital Markets" in names(_LEAD + "Norvale was featured in a Halden Capital Markets research report.\n")


@pytest.mark.parametrize(
    ("sentence", "absent", "present"),
    [
        ("Prewitt Labs Inc. supplies the trial sites of the company.\n\nContact DetailsPrewitt Labs Inc.\nmedia@example.com", "DetailsPrewitt Labs Inc.", "Prewitt Labs Inc."),
        ("Norvale will work with the Royal Bank of Calder on the loan.", "Royal Bank", "Royal Bank of Calder"),
        ("The funds were led by investors including Garnet Ventures, Chief Executive Officer of nothing.", "Chief Executive Officer", "Garnet Ventures"),
        ("Norvale is teaming up with Sorrel-recommended chef Ana Ruiz.", "Sorrel-recommended", None),
    ],
)
def test_more_name_fragments(sentence: str, absent: str, present: str | None) -> None:
    found = names(_LEAD + sentence + "\n")
    assert absent not in found
    if present:
        assert present in found


def test_cue_started_phrases_tried_at_their_words_match_a_full_scan() -> None:
    from llmx.rules import parties

    text = (
        "Norvale signed a deal with Ostrander Ltd. and a contract with the Harlow Group. It got funding from Kestrel Capital and an award "
        "from the Office of Tides followed; it acquired two plants in Ghent from Maison Verdier. The biotech company Lumetrix and "
        "investors like Harrow Ventures, Bellpine joined. A partnership with Quell Labs (its partners with Ardent Bio) and "
        "reacquired rights from Brisk Inc. close the year. The summit, organized by Ridley Partners, heard analysts at "
        "Corbel Securities on the merger with Tansy Labs. Norvale was the co-host of Ridley’s gala. The round had participation "
        "from Quill Ventures; firms that joined the round included Orrin VC. Its transfer agent, Harbor Stock Transfer, wrote. "
        "Its assay, licensed from the Tarnby Institute, was mapped after Norvale engaged Wexley Surveys to chart the site. "
        "The gala’s sponsors include Orrin Fleet; its recipients include Pell Creamery."
    )
    for role, regex in parties._ROLE_PATTERNS:
        starts = parties._PATTERN_STARTS.get(regex) or parties._CUE_STARTS.get(role)
        if starts is not None:
            scanned = [(m.start(), m.end()) for m in regex.finditer(text)]
            tried = [(m.start(), m.end()) for m in parties._matches_at_cues(regex, text, starts)]
            assert tried == scanned and scanned, role


# Round 3 (tune3): each rule on a sentence written for it.


def test_a_heading_word_run_into_the_name_it_repeats_is_cut_off() -> None:
    text = _LEAD + "About HalbrookHalbrook Capital Partners is an advisory firm for public companies.\n"
    found = names(text)
    assert "Halbrook Capital Partners" in found
    assert not any(name.startswith("HalbrookHalbrook") for name in found)


def test_a_brand_that_doubles_a_short_word_is_not_cut() -> None:
    assert "Win Partners" not in names(_LEAD + "Its program WinWin Partners rewards affiliates.\n")


@pytest.mark.parametrize(
    ("sentence", "dropped"),
    [
        ("About Norvale\nNorvale is a biotech firm. Our affiliate, Halbrook Capital Markets (member FINRA) provides banking services.", "Halbrook Capital Markets"),
        ("About Norvale\nNorvale, a portfolio company of Corvane Capital Partners, makes assays.", "Corvane Capital Partners"),
        ("About Norvale\nNorvale is a constituent society chartered by the Northern Dental Association.", "Northern Dental Association"),
    ],
)
def test_affiliates_and_owners_in_about_blocks_are_structure(sentence: str, dropped: str) -> None:
    assert dropped not in names(_LEAD + sentence + "\n")


def test_an_affiliate_that_acts_elsewhere_stays_a_party() -> None:
    text = _LEAD + "Halbrook Capital Markets acted as placement agent.\n\nOur affiliate, Halbrook Capital Markets (member FINRA) provides banking.\n"
    assert "Halbrook Capital Markets" in names(text)


def test_investors_from_a_list_that_names_a_firm_are_all_read() -> None:
    text = _LEAD + "The round drew investors from Northgale, Pellucid, Arbor Capital, and others.\n"
    found = names(text)
    assert {"Northgale", "Pellucid", "Arbor Capital"} <= set(found)


def test_investors_such_as_people_are_not_read_on_for_a_firm_later_in_the_list() -> None:
    text = _LEAD + "It drew investors such as Bill Ackman, Jay Z, Arbor Capital and friends.\n"
    assert "Jay Z" not in names(text)


# Round 4 (tune4): each rule on a sentence written for it.


def test_a_heading_run_into_a_camel_case_name_it_repeats_is_cut_off() -> None:
    text = _LEAD + "Corvane Is Buying a Stake in GrainLinkGrainLink Systems Inc. (TSXV: GRLK) recently announced a share exchange.\n"
    found = names(text)
    assert "GrainLink Systems Inc." in found
    assert not any(name.startswith("GrainLinkGrainLink") for name in found)


def test_a_glued_heading_of_capitals_only_is_not_cut() -> None:
    found = names(_LEAD + "Its partner ABCDABCD Holdings Inc. signed the lease.\n")
    assert "ABCDABCD Holdings Inc." in found and "ABCD Holdings Inc." not in found


def test_a_publisher_named_only_in_a_paid_content_disclaimer_is_not_a_party() -> None:
    text = (
        _LEAD
        + "Norvale Therapeutics Inc. partnered with Corvane Labs Inc. on a trial.\n\n"
        + "Disclaimers: Pitchwell Media Inc. is not a broker. Pitchwell Media Inc. has been retained by Norvale Therapeutics Inc.\n"
    )
    found = names(text)
    assert "Pitchwell Media Inc." not in found
    assert "Corvane Labs Inc." in found


def test_a_disclaimer_word_inside_a_sentence_opens_no_section() -> None:
    text = _LEAD + "See the disclaimer below. Norvale Therapeutics Inc. partnered with Corvane Labs Inc. on a trial.\n"
    assert "Corvane Labs Inc." in names(text)


def test_a_labelled_line_of_sponsors_names_each_sponsor() -> None:
    text = _LEAD + "The fair is made possible by these sponsors:\n\nTitle Sponsors- Acme Foods, Norvale Bank, City Power and Gas Company, and Halbrook Family Fund\n\nMedia Partners- Valley Gazette\n"
    found = set(names(text))
    assert {"Acme Foods", "Norvale Bank", "City Power and Gas Company", "Halbrook Family Fund", "Valley Gazette"} <= found
    assert "Gas Company" not in found


def test_a_sponsor_line_of_words_is_not_read_as_names() -> None:
    text = _LEAD + "Partners: we thank everyone who came to the fair\n"
    assert not any(name.startswith("we thank") for name in names(text))


# Round 5 (tune5): each rule on a sentence written for it.


def test_a_short_sentence_line_of_capitalised_names_is_read() -> None:
    text = _LEAD + "PLUM and KIWI are distributed by Halvard Fund Services, LLC.\n"
    assert "Halvard Fund Services, LLC" in " ".join(names(text))


def test_a_title_case_line_without_a_full_stop_stays_a_headline() -> None:
    text = _LEAD + "Halvard Fund Services LLC Opens Another Regional Office Today\n"
    assert not any("Halvard" in name for name in names(text))


@pytest.mark.parametrize(
    ("line", "absent"),
    [
        # the wire's repeat of the headline is a headline, though it ends with a full stop
        ("The post Norvale Names Kestrel Biologics Inc. Its Partner appeared first on citybiz.\n", "Kestrel Biologics Inc."),
        # an About block on a condition names no party, though its first sentence starts with the name
        ("About Psoriasis\nPsoriasis is a chronic disease of the skin.\n", "Psoriasis"),
    ],
)
def test_lines_that_name_no_party(line: str, absent: str) -> None:
    assert absent not in names(_LEAD + line)


def test_a_fund_s_holdings_are_investments_not_parties() -> None:
    text = _LEAD + (
        "The core holdings in the fund include Ardent Labs Inc., Kestrel Energy Inc. and Pellucid Homes Inc., giving "
        "investors a diversified basket. Shares are distributed by Halvard Distributors, LLC.\n"
    )
    found = names(text)
    assert not {"Ardent Labs Inc.", "Kestrel Energy Inc.", "Pellucid Homes Inc."} & set(found)
    assert any(name.startswith("Halvard Distributors") for name in found)


def test_a_holdings_company_name_opens_no_holdings_list() -> None:
    text = _LEAD + "Norvale Therapeutics Inc. signed a lease with Kestrel Holdings such as the one in Ohio with Ardent Labs Inc.\n"
    assert "Ardent Labs Inc." in names(text)


def test_what_a_person_did_before_joining_is_a_career() -> None:
    text = _LEAD + (
        "Prior to joining Norvale, Mr. Hale held several positions, including CCO of Kestrel Supply Group and "
        "President of Ardent Labs Inc. He holds a degree in chemistry.\n"
    )
    found = " ".join(names(text))
    assert "Kestrel Supply Group" not in found and "Ardent Labs" not in found


def test_a_former_name_right_after_formerly_is_history() -> None:
    text = "Benvale Brands (formerly Corrick Food Group Ltd.) and Palmera Alimentos, S.A. de C.V. unveiled a new brand.\n"
    found = names(text, None)
    assert "Corrick Food Group Ltd." not in found and "Palmera Alimentos, S.A." in found


@pytest.mark.parametrize(
    "sentence",
    ["About Norvale\n\nNorvale is owned by Kestrel Retail Group plc, a sports retailer.\n",
     "About Norvale\n\nNorvale is a wholly owned subsidiary of Kestrel Retail plc.\n"],
)
def test_an_owner_named_in_the_about_block_is_corporate_structure(sentence: str) -> None:
    assert not any(name.startswith("Kestrel Retail") for name in names(_LEAD + sentence))


def test_a_listed_parent_stays_a_party() -> None:
    text = _LEAD + "About Norvale\n\nNorvale is a wholly owned subsidiary of Kestrel Retail Group, Inc. (Nasdaq: KRGI).\n"
    assert "Kestrel Retail Group, Inc." in names(text)


def test_an_about_block_that_opens_with_the_name_doing_business_names_a_party() -> None:
    text = "December 1, 2026; today the winners were named.\n\nAbout Stride Gear\nStride Gear operates more than 200 stores in 17 states.\n"
    assert "Stride Gear" in names(text, None)


def test_sponsors_and_co_hosts_of_an_event_are_participants() -> None:
    text = _LEAD + (
        "Norvale hosted an afterparty co-hosted with Kestrel DAO, sponsored by Halvard Cloud, The Ledger, Pellucid "
        "and other industry leaders.\n"
    )
    found = set(names(text))
    assert {"Kestrel DAO", "Halvard Cloud", "Pellucid"} <= found
    assert any(name.endswith("Ledger") for name in found)


@pytest.mark.parametrize(
    "sentence",
    ["Episode 12 of the Market Hour, hosted by Adam Brill and Jon Vale, is out.",
     "The seller was represented by Anna Korr of Halvard Realty.",
     "The data was presented by Dr. Kay Holm at the meeting."],
)
def test_a_person_who_hosts_or_represents_is_not_a_company(sentence: str) -> None:
    found = names(_LEAD + sentence + "\n")
    assert not {"Adam Brill", "Jon Vale", "Anna Korr", "Dr", "Kay Holm"} & set(found)


def test_a_launch_hosted_by_a_one_word_platform_names_it() -> None:
    assert "Padlaunch" in names(_LEAD + "The fair launch is hosted by Padlaunch, a decentralized launchpad.\n")


def test_a_title_case_heading_run_into_the_name_is_cut_off() -> None:
    text = _LEAD + (
        "Ardent Labs is in growth mode.\n"
        "Expanding Horizons And Industry ImpactArdent Labs is now signing licensing deals with partners across the sector\n"
    )
    found = names(text)
    assert "Ardent Labs" in found and not any("Impact" in name for name in found)


def test_a_camel_case_brand_is_not_cut_at_its_capital() -> None:
    found = names(_LEAD + "Norvale Therapeutics Inc. partnered with BullRush Trading Labs on a game.\n")
    assert "BullRush Trading Labs" in found


def test_a_name_printed_in_full_and_abbreviated_is_one_company() -> None:
    text = "Gemvale Laboratories (CNSX: GMVL) is a diagnostics company. Gemvale Labs signed a licence with Ardent Bio Inc.\n"
    found = names(text, "Gemvale Laboratories")
    assert found.count("Gemvale Laboratories") == 1 and "Gemvale Labs" not in found


def test_the_issuer_printed_with_inc_and_incorporated_keeps_the_issuer_spelling() -> None:
    text = "A lawsuit names Halvard Animal Health Inc. Investors in Halvard Animal Health Incorporated (NYSE: HAH) may join.\n"
    assert names(text, "Halvard Animal Health Inc.") == ["Halvard Animal Health Inc."]


def test_a_bulleted_list_of_exhibitors_names_each_exhibitor() -> None:
    text = _LEAD + (
        "The fair will feature displays from more than 20 companies, including:\n\n"
        "* Ardent Labs\n* Curavel\n* noble partner of the year\n* Kestrel Medical Technology\n* Halvard, Inc.\n\n"
        "Tickets are free.\n"
    )
    found = set(names(text))
    assert {"Ardent Labs", "Curavel", "Kestrel Medical Technology", "Halvard, Inc."} <= found


def test_a_bulleted_list_of_features_names_no_company() -> None:
    text = _LEAD + "Key features include:\n\n* Daily Payouts\n* Instant Withdrawals\n"
    assert not {"Daily Payouts", "Instant Withdrawals"} & set(names(text))


# Round 6 (tune6): each rule on a sentence written for it.


def test_an_investor_described_in_brackets_stays_a_party() -> None:
    text = _LEAD + (
        "Its investors, including the renowned Halvard Digital (which has invested in projects such as Kestrel Labs Inc.), "
        "Merrow Group and Ostara Capital, back the project.\n"
    )
    found = set(names(text))
    assert {"Halvard Digital", "Merrow Group", "Ostara Capital"} <= found and "Kestrel Labs Inc." not in found


def test_a_comparable_also_named_as_the_featured_company_stays() -> None:
    text = "Spain opens a quantum lab. American firms like Quillon Quantum Inc. (NYSE: QQI) are also working on it.\n\n" \
           "NOTE TO INVESTORS: The latest news relating to Quillon Quantum Inc. (NYSE: QQI) is in the newsroom.\n"
    assert "Quillon Quantum Inc." in names(text, None)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The platform offers out-of-the-box partnerships with Quorra and Halvex, as well as integrations for many tools.", {"Quorra", "Halvex"}),
        ("Its strategic alliances with mobile industry giants Tarrow, Velix, and Brisko reach 30,000 terminals.", {"Tarrow", "Velix", "Brisko"}),
        ("The project formed a strategic partnership with the esteemed lottery platform QLS.", {"QLS"}),
        ("As an exclusive Web3 partner with Ostrava, the company holds a 12% share.", {"Ostrava"}),
        ("We thank our new lead investor, Halvard, and our existing backers.", {"Halvard"}),
        ("The DAO closed the week as co-host of Quorra's Night Party in Las Vegas.", {"Quorra"}),
    ],
)
def test_partners_investors_and_event_owners_without_a_legal_form(sentence: str, expected: set[str]) -> None:
    assert expected <= set(names(_LEAD + sentence + "\n"))


def test_a_partner_followed_by_places_lists_no_places() -> None:
    found = names(_LEAD + "Norvale signed a partnership with Kestrel, Boston, Massachusetts to build a site.\n")
    assert "Kestrel" in found and "Boston" not in found and "Massachusetts" not in found


def test_a_partnership_heading_does_not_reach_the_next_line() -> None:
    found = names(_LEAD + "Remarkable alliances with giants\n\nNorvaleFi has grown fast.\n")
    assert "NorvaleFi" not in found


def test_a_contact_line_run_together_is_cut_to_the_company() -> None:
    text = _LEAD + "About Ardent Digital, Inc.\n\nArdent Digital, Inc. is a marketing firm.\n\nDana ReyesChief Executive OfficerArdent Digital, Inc.https://ardent.example\n"
    found = names(text)
    assert not any("Reyes" in name for name in found) and any(name.startswith("Ardent Digital") for name in found)


def test_a_job_title_for_a_company_is_cut_to_the_company() -> None:
    text = _LEAD + "Dana Reyes, Global Head of Data and Access Solutions for Quillon Global Markets Inc., was interviewed.\n"
    found = names(text)
    assert "Quillon Global Markets Inc." in found and not any(name.startswith("Access Solutions") for name in found)


def test_a_possessive_before_a_year_ends_the_name() -> None:
    from llmx.rules.company_names import clean_name

    assert clean_name("Halvex.com’s 2025") == "Halvex.com"
    assert clean_name("McQuillan’s Foods Inc.") == "McQuillan’s Foods Inc."


# Round 7 (docs/companies.md, rules 34-39): each on sentences written for it.


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In the meantime, Norvale has also collaborated with Veltrix, a global leader in security auditing, on audits.", {"Veltrix"}),
        ("The token has undergone a rigorous audit by Norsecure, a leading blockchain security firm.", {"Norsecure"}),
        ("Trading is made possible thanks to Halden Ore, a globally recognized uranium trader.", {"Halden Ore"}),
        ("Tokens are locked via Nimbla. Nimbla is a leading token management platform with many users.", {"Nimbla"}),
        ("Each unit is held by Quorrex. Quorrex is the UK’s first regulated digital securities exchange.", {"Quorrex"}),
        ("About Brisko: Brisko is the leading booking platform in the city.", {"Brisko"}),
    ],
)
def test_a_name_described_as_a_company_is_a_party(sentence: str, expected: set[str]) -> None:
    assert expected <= set(names(_LEAD + sentence + "\n"))


@pytest.mark.parametrize(
    ("sentence", "unwanted"),
    [
        ("“We grew,” said Dana Reyes, a partner at the firm.", "Dana Reyes"),
        ("We met Dana Reyes, a firm believer in open data.", "Dana Reyes"),
        ("Dana Reyes, the company’s CEO, spoke.", "Dana Reyes"),
        ("With proven expertise in Quebec, the company is advancing its projects.", "Quebec"),
        ("It is a company with a plan. This is the platform for all.", "It"),
        ("Experts working with Goehring and Rozen, a South African investment firm, agree.", "Rozen"),
        ("About TinyGlimmer TinyGlimmer is a specialized communications platform with a focus on small caps.", "TinyGlimmer"),
        ("The Fund is a recently organized investment company.", "Fund"),
        # comparables, aliases, cited sources, parents, statutes and chat channels
        ("The index rose, fueled by technology stocks like Orbita Corp. (Nasdaq: ORBT) that lead the AI race.", "Orbita Corp."),
        ("Halden Farms, also known as HF Holdings, LLP, opened its first store in 1960.", "HF Holdings, LLP"),
        ("As reported by the Nimbus Lymphoma Foundation, 3,000 new cases are reported every year.", "Nimbus Lymphoma Foundation"),
        ("According to the Quayside Hotel & Lodging Association, demand is rising.", "Quayside Hotel & Lodging Association"),
        ("Florida Sky is the largest insurer in the state, and part of Veltra Health Group, a not-for-profit company.", "Veltra Health Group"),
        ("These statements are made under the U.S. Private Securities Litigation Reform Act of 1995.", "U.S. Private Securities"),
        ("Follow Norvale on X, Btok, and Telegram Group.", "Telegram Group"),
    ],
)
def test_descriptions_comparables_aliases_sources_and_channels_name_no_party(sentence: str, unwanted: str) -> None:
    assert unwanted not in names(_LEAD + sentence + "\n")


def test_a_heading_run_into_the_described_name_is_cut() -> None:
    found = names(_LEAD + "About Kellow Works Kellow Works is a premier remodeling company based in Ojai.\n\nAbout VantorVantor is a leading provider of ERP.\n")
    assert "Kellow Works" in found and "Vantor" in found and not any("Kellow Works Kellow" in name or "VantorVantor" in name for name in found)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Norvale’s transfer agent, Harbor Stock Transfer, will administer the reverse split.", {"Harbor Stock Transfer"}),
        ("The round was led by Pell Capital with participation from Northvale, Quill Ventures and Ardent Labs.", {"Northvale", "Quill Ventures", "Ardent Labs"}),
        ("Other venture firms that joined the round included Orrin VC, the Tamsin Initiative, Brook Fund and Harpo Ventures.",
         {"Orrin VC", "Tamsin Initiative", "Brook Fund", "Harpo Ventures"}),
        ("Trilogy benefits from strategic partnerships with Southward, Nanuk Regional Corporation, and the State of Alaska.", {"State of Alaska"}),
        ("In partnership with AltQuay, Optima, and Eigenfold, Cyberlith has launched on Mainnet!", {"AltQuay", "Optima", "Eigenfold"}),
        ("Norvale donated the rights to Road to Recovery, Inc. last week.", {"Road to Recovery, Inc."}),
        # round 8 (tune8)
        # rule 42: the bodies that give a recognition
        ("Norvale has been recognized as one of the Best Employers by Quillfeather Weekly, one of the Top Biotechs by Ardent News, "
         "and a Great Place to Work by U.S. Harbor Review.", {"Quillfeather Weekly", "Ardent News", "U.S. Harbor Review"}),
        ("Norvale was voted #1 by Tamsin Digest for its culture.", {"Tamsin Digest"}),
        ("Norvale is consistently ranked a top employer by the Ostrel Council.", {"Ostrel Council"}),
        # rule 43: licensors, engaged providers, described organisations, closed lists of organisations
        ("The platform was licensed from the Harlow Cancer Center in 2019.", {"Harlow Cancer Center"}),
        ("Norvale has engaged Wexley Geophysics to conduct a drone survey.", {"Wexley Geophysics"}),
        ("The land goes to Pellam Housing, a non-profit organization serving seniors.", {"Pellam Housing"}),
        ("Rights will be sold through Quorra.ai, a premier data marketplace serving model builders.", {"Quorra.ai"}),
        ("This year’s sponsors include Harlow Fleet, Quill Telematics, Brisca and Tavel Motors.", {"Harlow Fleet", "Brisca", "Tavel Motors"}),
        ("The first grant recipients include Pell Creamery in east Dayton, and Ostrel Karate Academy.", {"Pell Creamery"}),
        ("Lenders include Orrin Bank, while Tavel, Harrow United Bank, Brisca, Volant Securities, Pell Bank and the Ostrel Bank "
         "of Ghent acted as arrangers.", {"Tavel", "Brisca"}),
    ],
)
def test_transfer_agents_investor_lists_and_closed_partner_lists(sentence: str, expected: set[str]) -> None:
    assert expected <= set(names(_LEAD + sentence + "\n"))


def test_a_list_that_runs_into_a_place_stops_before_it() -> None:
    found = names(_LEAD + "Other venture firms that joined the round included Orrin VC, Brook Ventures, Waltham, Mass.-based Pitford Health and Harpo Ventures.\n")
    assert {"Orrin VC", "Brook Ventures"} <= set(found) and "Waltham" not in found and "Mass" not in found


def test_a_pronoun_before_a_price_target_is_not_an_analyst() -> None:
    found = names(_LEAD + "Kestrel Securities analyst Jo Park initiated coverage. He has attached a $14 price target to the stock.\n")
    assert "He" not in found


def test_a_name_inside_a_link_path_starts_after_it() -> None:
    found = names(_LEAD + "To view the full report, visit: https://ibn.fm/QxZ4About Kestrel Bio Inc. Kestrel Bio is a biotech company.\n")
    assert "Kestrel Bio Inc." in found and not any("About" in name for name in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "In July, we launched Tidewave, a state-of-the-art platform for freight booking.",
        "The capital will fuel the launch of CareNest, a comprehensive care management platform.",
        "Norvale announced the launch of LedgerLine. LedgerLine is a blockchain-based marketplace for settlements.",
    ],
)
def test_a_described_name_the_text_launches_is_a_product(sentence: str) -> None:
    found = names(_LEAD + sentence + "\n")
    assert not {"Tidewave", "CareNest", "LedgerLine"} & set(found)


# Round 8 (tune8): each rule on a sentence written for it.
@pytest.mark.parametrize(
    ("sentence", "dropped"),
    [
        # rule 40: careers without the earlier cues
        ("Before joining Norvale, Ms. Ray led the lending desk at Corran Securities and held senior roles at Pellam Bank.", "Pellam Bank"),
        ("Prior to her current role, Ms. Ray held key positions at groups including the Ostrel Foundation, and Harrow Association.",
         "Harrow Association"),
        ("Jo Park brings 20 years of experience, most recently serving as Vice President of Sales at Tessaly Networks Ltd.", "Tessaly Networks Ltd."),
        ("Sam Ortiz joins Norvale after a 12-year tenure at Brisk Advisors, a family office.", "Brisk Advisors"),
        ("CTO Jo Park is a serial builder and co-founder of Quillon, Aster Labs, and Vantor Media.", "Vantor Media"),
        # rule 41: the other members of a class the subject belongs to
        ("Norvale is one of several innovative companies committed to rare diseases, including Halvard Pharma Inc. (NYSE: HLV).",
         "Halvard Pharma Inc."),
        ("The company joins an impressive group of producer and user companies, including Brisk Inc. (NASDAQ: BRK) and Tarrow Corp.",
         "Tarrow Corp."),
    ],
)
def test_round8_careers_and_class_members_are_not_parties(sentence: str, dropped: str) -> None:
    assert dropped not in names(_LEAD + sentence + "\n")


def test_round8_a_class_as_an_object_names_parties() -> None:
    found = names(_LEAD + "Norvale counts among its customers a number of leading firms, including Halvard Pharma Inc. and Tarrow Corp.\n")
    assert {"Halvard Pharma Inc.", "Tarrow Corp."} <= set(found)


@pytest.mark.parametrize(
    ("sentence", "absent"),
    [
        ("It is ranked 150th on the Growth Index by the Ostrel Institute.", "Ostrel Institute"),  # a source, not an award
        ("His work with veterans was recognized by Tamsin Digest in 2020.", "Tamsin Digest"),  # a person's honour
        ("The loss was greater than recognized by the Harlow Court on Friday.", "Harlow Court"),  # not a passive cue
        ("An ATS is a regulated platform enabling trading.", "An ATS"),  # a kind of thing after an article
        ("Filings are available with the OTC Markets Group Inc. (www.otcmarkets.com).", "OTC Markets Group Inc."),  # an exchange
        ("Norvale will showcase its work with Sable Studios, Pell Media, Quill Group, the ABC and XYZ broadcast networks.", "XYZ"),
    ],
)
def test_round8_what_the_new_rules_leave_out(sentence: str, absent: str) -> None:
    assert absent not in names(_LEAD + sentence + "\n")


def test_round8_a_list_or_an_honour_in_an_about_block_is_not_read() -> None:
    text = (_LEAD + "ABOUT NORVALE\nNorvale brands include Sable Studios, Pell Media, Quorra, Quill Group and Tavel. Norvale has been "
            "named the Biotech of the Year by Tamsin Digest.\n")
    found = names(text)
    assert "Quorra" not in found and "Tamsin Digest" not in found


def test_round8_a_list_of_backers_is_not_read_on() -> None:
    found = names(_LEAD + "The 2022 round was backed by notable firms including Pell Capital, Orrin Ventures, and Quorra.\n")
    assert "Quorra" not in found


def test_round8_a_list_item_is_not_the_tail_of_a_longer_name() -> None:
    found = names(_LEAD + "Norvale is supported by Pell Bank, the Foundation for Food & Crop Research, Ostrel Foundation and Quorra Labs.\n")
    assert not {"Crop Research", "Food & Crop Research", "Research"} & set(found)


def test_round8_a_contact_line_is_cut_at_every_glue() -> None:
    text = (_LEAD + "“We are glad,” said Jo Park, Chief Executive of Norvale. Jo Park, CEO of Brisca Digital, Inc., agreed.\n\n"
            "Jo ParkChief Executive OfficerBrisca Digital, Inc.https://brisca.example\n")
    found = names(text)
    assert not any("Officer" in name for name in found)


# Round 10 (tune10): each rule on a sentence written for it.
def test_round10_an_acronym_and_its_full_name_are_one_party() -> None:
    text = _LEAD + (
        "Norvale has secured two grants from the US Department of Energy (DoE). Norvale has received considerable funding from the DoE.\n"
    )
    found = names(text)
    assert "US Department of Energy" in found and "DoE" not in found


def test_round10_the_issuers_acronym_is_the_issuer() -> None:
    text = (
        "The Rural Housing Tax Credit Coalition today released its report on the Rural Housing Tax Credit (RHTC).\n"
        "The report was prepared by the RHTC Coalition, a national membership organization.\n"
    )
    found = find_companies(text, "Rural Housing Tax Credit Coalition")
    assert [(c.name, c.role) for c in found] == [("Rural Housing Tax Credit Coalition", "issuer")]


def test_round10_written_out_acronym_is_not_a_leading_part() -> None:
    text = _LEAD + "Norvale has signed a strategic partnership with DSF Innovation Hub to open a lab with the Dubai Science Foundation (DSF).\n"
    found = names(text)
    assert "DSF Innovation Hub" in found and "Dubai Science Foundation" in found


def test_round10_expand_acronym_reads_lower_case_joiners() -> None:
    assert expand_acronym("DoD", "grants from the US Department of Defense (DoD) to Norvale") == "Department of Defense"
    assert expand_acronym("DoD", "grants from the Department of Energy (DoD)") is None


@pytest.mark.parametrize(
    ("sentence", "dropped"),
    [
        # rule 47: an About block's subsidiaries and holdings named by their owner
        ("About Norvale\n\nNorvale is a biotech company. The company’s research subsidiary, Kestrel Biologics Corp. in Ireland holds two patents.",
         "Kestrel Biologics Corp."),
        ("ABOUT NORVALE THERAPEUTICS:\n\nNorvale’s Canadian subsidiary, Pellam Research Ltd., has run trials since 2019.", "Pellam Research Ltd."),
        ("About Norvale\n\nNorvale operates its Diagnostics Division, which owns Tessaly Systems, which provides lab software.", "Tessaly Systems"),
        # a sentence that opens with the subsidiary an asset is held through, wherever it stands
        ("Through its wholly-owned subsidiary Kestrel Resources Limited, Norvale owns 100% of the Brisk Gold Project.", "Kestrel Resources Limited"),
        # rule 48: a paid-content section under an upper-case heading that ends with DISCLAIMER
        ("IMPORTANT NOTICE AND DISCLAIMER\n\nMarketWatchers is a trading name of Quorran Media Ltd, paid to produce this article.",
         "Quorran Media Ltd"),
    ],
)
def test_round10_structure_and_disclaimers_are_not_parties(sentence: str, dropped: str) -> None:
    assert dropped not in names(_LEAD + sentence + "\n")


def test_round10_a_subsidiary_in_the_lead_stays_when_the_about_block_repeats_it() -> None:
    text = _LEAD.replace("today announced", "and its subsidiary, Pellam Research Ltd., today announced") + (
        "About Norvale\n\nNorvale’s Canadian subsidiary, Pellam Research Ltd., runs trials.\n"
    )
    assert "Pellam Research Ltd." in names(text)


def test_round10_described_name_with_a_participle_after_the_noun() -> None:
    text = _LEAD + "The trial software was audited by Quillsec, a leading security company led by former regulators.\n"
    assert "Quillsec" in names(text)
    believer = _LEAD + "The plan was praised by Jo Park, a firm believer in open data.\n"
    assert "Jo Park" not in names(believer)


def test_round10_a_partner_list_closed_by_as_well_as() -> None:
    text = _LEAD + "Norvale has formed alliances with Zentro, Quorra, Pellix, Dorran DAO, Wexa, as well as 20 other partners.\n"
    assert {"Zentro", "Quorra", "Pellix", "Dorran DAO", "Wexa"} <= set(names(text))
    unclosed = _LEAD + "Norvale has formed an alliance with Zentro, Boston, Massachusetts.\n"
    assert "Boston" not in names(unclosed)


def test_round10_products_the_company_launches_or_operates() -> None:
    text = _LEAD + (
        "Norvale has launched the Norvale USD Coin on its chain. Users can acquire Norvale USD Coin through a bridge.\n"
        "Norvale operates Carely, a telehealth platform established in 2021.\n"
    )
    found = names(text)
    assert "Norvale USD Coin" not in found and "Carely" not in found


def test_round10_an_acquisition_target_that_is_relaunched_stays() -> None:
    text = _LEAD + "Through the acquisition of Metrova, Norvale gains a platform. Norvale will finalize the relaunch of Metrova in May.\n"
    assert "Metrova" in names(text)


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("“The results speak for themselves,” said Jo Park, CEO of Tessaly Trust.", "Tessaly Trust"),
        ("“They rebuilt our website,” said Sam Ortiz, owner of Brisk Harbor Recruiting.", "Brisk Harbor Recruiting"),
        ("“We love the venue,” said Ana Ruiz, President of the Western Regional Offices at Quillon Presents.", "Quillon Presents"),
    ],
)
def test_round10_a_quoted_speakers_organisation_is_a_party(sentence: str, party: str) -> None:
    assert party in names(_LEAD + sentence + "\n")


@pytest.mark.parametrize(
    ("sentence", "absent"),
    [
        ("“It works,” said Jo Park, Director of Operations Support.", "Operations Support"),  # a department
        ("“It works,” said Jo Park, Vice President of Stewardship Investing.", "Stewardship Investing"),  # a department's head
        ("“It works,” said Jo Park, Pellam Coalition Board Chair and President of Tarrow, a builder.", "Tarrow"),  # another post
        ("“It works,” said Jo Park, President of KESTREL international.", "KESTREL"),  # the name is cut by a lower-case word
        ("“It works,” said Jo Park, CEO of NRVL.", "NRVL"),  # the ticker of the listed issuer
    ],
)
def test_round10_what_the_speaker_rule_leaves_out(sentence: str, absent: str) -> None:
    assert absent not in names(_LEAD + sentence + "\n")


def test_round10_a_speakers_organisation_broken_at_a_line_end_is_left() -> None:
    text = _LEAD + "“We agree,” said Jo Park, President and Chief Executive Officer of Norvale Thera-\npeutics. The deal closes in May.\n"
    assert not any(name.endswith("-") for name in names(text))


# Round 11 (tune11): each rule on a sentence written for it.

@pytest.mark.parametrize(
    ("about", "absent"),
    [
        ("Norvale is a biotech. Company investors include Harrow Capital, Bellmont Ventures and Trask Bank.", "Bellmont Ventures"),
        ("Norvale is a biotech. Its backers include Harrow Capital and Trask Bank.", "Trask Bank"),
        ("Norvale is a miner which, in addition to its holdings of securities in Pellam Nickel Inc., Corvex Gold Inc., and "
         "its interest in the Stoke property, explores in Ontario.", "Corvex Gold Inc."),
    ],
)
def test_round11_an_about_blocks_investors_and_holdings_are_boilerplate(about: str, absent: str) -> None:
    assert absent not in names(_LEAD + "About Norvale\n" + about + "\n")


def test_round11_investors_named_in_the_lead_stay_parties() -> None:
    text = "Norvale Therapeutics Inc. raised $5 million. The round's investors include Bellmont Ventures and Trask Bank.\n\nAbout Norvale\nNorvale is a biotech.\n"
    assert "Bellmont Ventures" in names(text)


def test_round11_rankings_in_a_one_line_about_block_are_boilerplate() -> None:
    text = ("Norvale Therapeutics Inc. (NASDAQ: NRVL) today opened its 300th clinic.  About Norvale  Norvale has been named one of "
            "the Top 200 Franchises by Franchise Ledger, and named a Top 500 Chain by Clinic Weekly.")
    assert "Franchise Ledger" not in names(text) and "Clinic Weekly" not in names(text)


@pytest.mark.parametrize(
    ("about", "absent"),
    [
        ("Our Public Vaccines Solutions business segment develops vaccines.", "Public Vaccines Solutions"),
        ("Additionally, the Company’s technology incubator, Norvale Labs, is focused on new tools.", "Norvale Labs"),
    ],
)
def test_round11_an_about_blocks_units_are_structure(about: str, absent: str) -> None:
    assert absent not in names(_LEAD + "About Norvale\n" + about + "\n")


def test_round11_a_department_after_a_department_heads_title_is_no_party() -> None:
    text = (_LEAD + "Norvale and Tessaly will host a webinar. Panelists will include Jo Park, Senior Vice President, Registry "
            "Solutions, Tessaly; and Sam Ortiz, Senior Vice President, Strategic Market Solutions, Norvale.\n")
    assert "Registry Solutions" not in names(text) and "Strategic Market Solutions" not in names(text)
