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


# Rules from the hand-judged unseen sample (scripts/issuer_unseen), each on sentences written here.


def test_editorial_teaser_features_the_company_printed_with_its_listing() -> None:
    text = (
        "# Regulators Weigh New Rules for Farm Drones\n\n"
        "The Federal Aviation Administration is reviewing how crop-spraying drones share the sky with small planes.\n\n"
        "Researchers say the stakes are high for makers such as Quorvex Aerial Inc. (NASDAQ: QVXA), which are "
        "betting on…\n\n Read More>>\n\n About AgriWire\n\n AgriWire is a communications platform."
    )
    assert issuer_of(text) == ("Quorvex Aerial Inc.", "QVXA", "NASDAQ")


def test_editorial_teaser_without_a_listing_takes_the_note_to_investors_company() -> None:
    text = (
        "# Why Rare Earth Prices Keep Climbing\n\n"
        "Prices of rare earth oxides rose again this quarter as buyers rushed to secure supply for magnets.\n\n"
        " Read More>>\n\n"
        " NOTE TO INVESTORS: The latest news and updates relating to Tallgrass Minerals Corp. are available in the "
        "company’s newsroom."
    )
    assert issuer_of(text)[0] == "Tallgrass Minerals Corp."
    assert issuer_of(text.replace(" Read More>>\n\n", ""))[0] != "Tallgrass Minerals Corp."  # not a teaser


def test_dateline_with_a_time_zone_region_is_cut() -> None:
    text = (
        "# Pellworth Analytics Opens Boise Office\n\n"
        "Boise, Idaho (Wirely) Tuesday Mar 3, 2026 @ 9:30 AM US/Mountain — Pellworth Analytics, a maker of "
        "grid-planning software, today opened its first office in the Mountain West.\n\n"
        "Pellworth Analytics will hire forty engineers there."
    )
    assert issuer_of(text)[0] == "Pellworth Analytics"


def test_sender_printed_between_slashes_after_the_dateline_date() -> None:
    text = (
        "# Tulsa Homeowners Get Help With Storm Repairs\n\n"
        "Tulsa, United States - May 5, 2025 / Briarwood Roofing /\n\n"
        "Residents of Tulsa can now book free roof inspections after the spring hail storms through Briarwood "
        "Roofing, with crews available six days a week.\n\nBriarwood Roofing has served the metro area since 1998."
    )
    assert issuer_of(text)[0] == "Briarwood Roofing"
    agency = "# Cedar Fiber Reaches Mineral Falls\n\n Hudson Oaks, United States - January 27, 2025 / Tent Media /\n\n" + (
        "Cedar Fiber is bringing fiber internet to 2,500 more homes in Mineral Falls. Cedar Fiber will finish the work in 2026."
    )
    assert issuer_of(agency)[0] == "Cedar Fiber"  # the agency that sent it is printed only in the tag


def test_the_dateline_place_is_never_the_issuer_unless_printed_as_a_company() -> None:
    place = (
        "# Harbor City Hosts First Regional Trade Fair\n\n"
        "HARBOR CITY SAR - [Lantern Newswire](https://example.com/) - 3 June 2026 - The first regional trade fair "
        "was held at the Harbor City hall, drawing twelve thousand visitors. Harbor City will host it again next year."
    )
    assert issuer_of(place)[0] is None
    company = (
        "# Lenzholm Earns Top Sustainability Rating\n\n"
        "Lenzholm, 12 March 2026 – For the third year in a row, Lenzholm has received the top rating for its "
        "fibre plants.\n\nLenzholm AG makes wood-based fibres for textiles."
    )
    assert issuer_of(company)[0] == "Lenzholm AG"


def test_possessive_headline_subject_takes_its_longer_listed_form() -> None:
    text = (
        "# How Tarvex's Floor Model Serves Modern Traders\n\n"
        "By Tarvex\n\n"
        "The trading floor was once the heart of every market, with traders shouting orders across the pit and "
        "clerks running slips between the booths.\n\n"
        "Few floors remain today, but the largest one is run by Tarvex Global Markets, Inc. (NYSE: TVX), which "
        "kept it open. Tarvex's floor gives its clients better prices."
    )
    assert issuer_of(text) == ("Tarvex Global Markets, Inc.", "TVX", "NYSE")


def test_opening_words_that_never_name_a_company() -> None:
    many = (
        "# Workers Wary of Machine-Written Notes\n\n"
        "Many employees dislike receiving notes from their managers that a program wrote, a survey of office staff "
        "found. Many said trust suffers."
    )
    assert issuer_of(many)[0] is None
    dozens = (
        "# Schools Brace for a Cut in Federal Aid\n\n"
        "Dozens of teachers met online on Tuesday to weigh the cost of a freeze in federal aid to their districts "
        "this year. Dozens more sent letters."
    )
    assert issuer_of(dozens)[0] is None


def test_lead_subject_after_an_opening_phrase_only_when_printed_as_a_company() -> None:
    company = (
        "# Corvane Wireless Waives Fees After Storm\n\n"
        "Following Storm Ida’s landfall on the Gulf coast today, Corvane Wireless is waiving call and data fees for "
        "customers in the affected counties. Storm Ida’s winds cut power to many towns.\n\n"
        "Corvane Wireless Holdings Inc. is a regional carrier."
    )
    assert issuer_of(company)[0] == "Corvane Wireless Holdings Inc."
    person = (
        "# Brindle Cuts Barbershop Opens Downtown\n\n"
        "After years of working in other shops across the county, Dana Whitlock wanted a place of her own. "
        "Dana Whitlock now runs Brindle Cuts Barbershop on Main Street."
    )
    assert issuer_of(person)[0] == "Brindle Cuts Barbershop"


def test_name_opening_with_lower_case_letters() -> None:
    text = (
        "# xoLabs Raises $3M Seed Round\n\n"
        "xoLabs Technology Limited, a provider of privacy tools for payment apps, today announced a $3M seed round "
        "led by two funds."
    )
    assert issuer_of(text)[0] == "xoLabs Technology Limited"


def test_ampersand_entity_in_the_headline_name() -> None:
    text = (
        "# Rook &amp; Finch Holdings Corp. (NASDAQ: RKFH) Is One to Watch\n\n"
        "* Rook & Finch runs builders and energy units.\n\n"
        " Rook & Finch Holdings (NASDAQ: RKFH) is a diversified holding company with four units.\n\n"
        " Read More>>"
    )
    assert issuer_of(text) == ("Rook & Finch Holdings Corp.", "RKFH", "NASDAQ")


def test_lead_subject_is_cut_before_releases() -> None:
    text = (
        "# Granite Valley Radio Releases Its Annual Listener Survey\n\n"
        "Granite Valley Radio Releases Its Annual Listener Survey, Showing Growth In Podcast Audiences Across The "
        "Region And Beyond. Granite Valley Radio thanks its listeners."
    )
    assert issuer_of(text)[0] == "Granite Valley Radio"


# Round 3 (scripts/issuer_unseen tune3), each on sentences written here.


def test_an_ing_opening_phrase_is_not_the_issuer() -> None:
    text = (
        "# Stars Gather at the Harbor Gala Lounge\n\n"
        "LONG BEACH, CA, May 3, 2026 /24-7PressRelease/ -- Marking the close of the film season, the Pellway Arts "
        "Foundation hosted guests at its harbor lounge. Guests received gift bags from local makers.\n\n"
        "The Pellway Arts Foundation runs two galleries."
    )
    assert issuer_of(text)[0] == "Pellway Arts Foundation"


def test_a_time_opening_phrase_before_a_foundation() -> None:
    text = (
        "# Walk for a Cure Returns to Denver\n\n"
        "DENVER, CO, June 1, 2026 /24-7PressRelease/ -- For over 30 years, the Corlan Kidney Research Foundation "
        "(CKRF) has funded research into rare kidney disease. Its walk returns to Denver this fall.\n\n"
        "Registration is free."
    )
    assert issuer_of(text)[0] == "Corlan Kidney Research Foundation"


def test_an_organisation_noun_alone_is_not_plausible() -> None:
    # "Society" is an organisation noun, but the word alone names no one.
    from llmx.rules.issuer import _ORG_SHAPE

    assert _ORG_SHAPE.search("Pellway Film Society")
    assert not _ORG_SHAPE.search("Society")


def test_the_show_of_an_episode_is_the_issuer_not_the_episode_label() -> None:
    text = (
        "# Hosts Weigh Rate Cuts and Chip Tariffs\n\n"
        "Episode 412 of the Tallis Markets Hour, titled Cut or Hold, hosted by Dana Ruiz, looks at the week's rate "
        "news and the new chip tariffs announced by Brelford Semiconductor Inc.\n\n"
        "The Tallis Markets Hour is published every Friday."
    )
    assert issuer_of(text)[0] == "Tallis Markets Hour"


def test_a_new_episode_of_a_show_names_the_show_not_the_guests_employer() -> None:
    text = (
        "# Rebuilding the Old Mill District\n\n"
        "Austin, Texas (Newsworthy.ai) Monday Jan 5, 2026 @ 8:00 AM US/Central — In a new episode of The Prairie "
        "Builders Show, host Sam Lee talks with Ana Cruz of Millworks Trust, Inc. about the district's future.\n\n"
        "Millworks Trust, Inc. manages the site. The Prairie Builders Show airs weekly."
    )
    assert issuer_of(text)[0] == "Prairie Builders Show"


def test_an_episode_label_alone_is_never_the_issuer() -> None:
    text = (
        "# Weekly Notes\n\nEpisode 55 looks at the week in markets and rates, with notes on housing and jobs across "
        "the country. Episode 55 is out now."
    )
    assert issuer_of(text)[0] is None


def test_a_promotion_names_its_project_anywhere_in_the_headline() -> None:
    # No dateline, a lead on the market: the project the headline names and the body repeats.
    text = (
        "# Why Traders Are Watching the New Staking Platform QuorraPay\n\n"
        "The staking market grew fast this year, and yields have drawn many new users to it.\n\n"
        "QuorraPay lets users stake coins for a fixed return. QuorraPay holds its reserves in cold wallets, and "
        "QuorraPay publishes audits every month."
    )
    assert issuer_of(text)[0] == "QuorraPay"


def test_a_headline_place_or_word_repeated_in_the_body_is_not_taken_as_a_project() -> None:
    from llmx.rules.issuer import _headline_name_printed_most

    headline = "What Denver Buyers Want From the Summit Token"
    body = f"# {headline}\n\nDenver buyers want light. Denver homes sit longer, and Denver agents say so. Summit Token, Summit Token."
    assert _headline_name_printed_most(headline, body, frozenset()) is None  # a place; a project printed twice
    assert _headline_name_printed_most(headline, body + " Summit Token.", frozenset()) == "Summit Token"


def test_an_award_winner_in_the_headline_beats_the_awarding_body_of_the_lead() -> None:
    text = (
        "# Marrow Homes Wins Regional Builders Award for Flood-Ready Design\n\n"
        "TAMPA, FL, April 2, 2026 /24-7PressRelease/ -- The Gulf Coast Builders Association announced its yearly "
        "awards, and Tampa-based Marrow Homes won the Flood-Ready Design Award for its river house.\n\n"
        "Marrow Homes builds twenty homes a year."
    )
    assert issuer_of(text)[0] == "Marrow Homes"


def test_a_headline_subject_that_receives_something_else_does_not_beat_the_lead() -> None:
    text = (
        "# Harbor Tax Credit Receives Extension in Budget Bill\n\n"
        "The Harbor Credit Coalition today welcomed the extension of the Harbor Tax Credit in the budget bill, "
        "which now goes to the governor for signature.\n\n"
        "The Harbor Tax Credit was created in 2001."
    )
    assert issuer_of(text)[0] == "Harbor Credit Coalition"


# Round 5 (docs/issuer.md): classes from the tune5 sample and round 4's list, on sentences written here.


def test_a_crypto_asset_opening_the_lead_is_not_the_issuer() -> None:
    # The promotion opens on the market and names its token in the headline; Bitcoin is never the sender.
    text = (
        "# Can Bitcoin's Rally Lift Purrkin Token Higher?\n\n"
        "Bitcoin has climbed for six weeks in a row, and traders are looking at smaller coins that could follow Bitcoin. "
        "Purrkin Token is one of them.\n\n"
        "Bitcoin set the pace. Purrkin Token holders can stake their coins. Purrkin Token runs a charity for cats."
    )
    assert issuer_of(text)[0] == "Purrkin Token"


def test_a_number_word_is_not_the_issuer_and_the_about_block_names_the_sender() -> None:
    # "Three days into ..." opens the lead; the sender is named in the lead and in its About block only.
    text = (
        "# New game coin $ZAPP passes $5M in a weekend\n\n"
        "Three days into its life, $ZAPP, launched quietly by the founder of Zentrix, has passed a $5 million market value "
        "without any help from a presale or a paid campaign.\n\n"
        "The coin has no presale and no roadmap yet.\n\n"
        "About Zentrix:\n\n"
        "Zentrix is an online gaming platform founded in 2021 with players in forty countries."
    )
    assert issuer_of(text)[0] == "Zentrix"


def test_an_about_block_named_only_further_down_is_not_the_sender() -> None:
    # The only company About block is a partner's that the headline and the lead never name.
    text = (
        "# Grant Night Brings Together Young Founders\n\n"
        "Young founders met on Friday for a grant night in a hall downtown, and two of them went home with checks.\n\n"
        "The evening was streamed on the Brightway Media channel.\n\n"
        "About Brightway Media\n\n"
        "Brightway Media is a media company that produces shows about money."
    )
    assert issuer_of(text)[0] is None


def test_an_editorial_features_the_company_its_profile_link_follows() -> None:
    # A network editorial names several listed companies; the featured one carries "(Profile)".
    text = (
        "# Robots Move Into Hotel Lobbies\n\n"
        "PressNetWire Editorial Coverage: Hotels are adding robots to their lobbies as staff grow scarce. "
        "Larkspur Robotics Inc. (LRKR) (Profile) is one of the small companies building them.\n\n"
        "Bigger chains such as Ormond Hotels Inc. (NYSE: ORMH) are watching.\n\n"
        "Read More>>"
    )
    assert issuer_of(text)[0] == "Larkspur Robotics Inc."


def test_a_teaser_ending_on_an_ellipsis_before_the_note_to_investors() -> None:
    text = (
        "# Open Models Speed Up Research\n\n"
        "Open models are changing how laboratories work, a researcher said on Monday, and more of them now share "
        "their weights, their data and their code with the public.\n\n"
        " For firms like Quorvane Quantum Inc. (NYSE: QRVQ) whose focus is on…\n\n"
        " NOTE TO INVESTORS: The latest news and updates relating to Quorvane Quantum Inc. (NYSE: QRVQ) are available in the company's newsroom"
    )
    assert issuer_of(text) == ("Quorvane Quantum Inc.", "QRVQ", "NYSE")


@pytest.mark.parametrize(
    ("lead", "issuer"),
    [
        ("The law firm of Harrow Pike & Lund, LLP informs investors that a class action has been filed.", "Harrow Pike & Lund, LLP"),
        ("The Ohio chapter of the Maple Rights Society, a nonprofit, is hosting a dinner on Saturday.", "Maple Rights Society"),
        ("Organised by the Larch Trade Council (LTC), the yearly fashion fair closed on Saturday with a contest.", "Larch Trade Council"),
    ],
)
def test_the_office_of_an_organisation_names_the_organisation(lead: str, issuer: str) -> None:
    text = f"# An Evening for Veterans\n\nCOLUMBUS, OH, July 2, 2025 /24-7PressRelease/ -- {lead}\n\nMore details follow."
    assert issuer_of(text)[0] == issuer


def test_an_as_phrase_with_commas_before_the_company() -> None:
    # Old reading: "AI" (the word after "As"); the subject after the phrase is printed as a company.
    text = (
        "# Agent Shopping Forecast Published\n\n"
        "As AI helpers like Chatter, Gemma, and Perplo change how people shop, Wallco Ltd, a London fintech, "
        "has published its forecast for agent shopping.\n\n"
        "Wallco builds checkout tools for AI agents."
    )
    assert issuer_of(text)[0] == "Wallco Ltd"


def test_a_digest_column_and_its_capitals_headings_are_not_the_issuer() -> None:
    text = (
        "# State Roundup: Port Deal Stalls; Schools Get Funds\n\n"
        "PORT DEAL STALLS AS COUNTY WAITS: The county board put off a vote on the port lease on Tuesday. Jane Roe/The Harbor Post.\n\n"
        "* SCHOOLS GET FUNDS: The state will send more money to rural schools. State Roundup is compiled each weekday."
    )
    assert issuer_of(text)[0] is None


def test_a_leading_word_is_kept_and_a_listing_under_the_symbols_is_read() -> None:
    # "New" reads as sentence noise to the companies' cleaner; the whole name is printed with its legal form.
    text = (
        "# New Dawn Helium Closes Its Merger\n\n"
        "New Dawn Helium, Inc. (\u201cNDH\u201d or the \u201cCompany\u201d), a helium producer in West Texas, has closed its "
        "merger with a listed acquisition company.\n\n"
        "The Company\u2019s common stock is expected to begin trading on Nasdaq under the symbols \u201cNDHC\u201d and \u201cNDHCW\u201d."
    )
    assert issuer_of(text) == ("New Dawn Helium, Inc.", "NDHC", "NASDAQ")


def test_a_leading_conjunction_is_dropped_from_the_name() -> None:
    text = (
        "# Rental Platforms Face New Rules\n\n"
        "Though Roomly (NASDAQ: RMLY) grew fast last year, new city rules may slow it. Roomly said it would comply.\n\n"
        "Roomly hosts short stays."
    )
    assert issuer_of(text) == ("Roomly", "RMLY", "NASDAQ")


@pytest.mark.parametrize(
    ("lead", "issuer"),
    [
        ("Shiba sister token\u00a0KIBO\u00a0has announced a partnership with a lending desk, and KIBO holders get a share of fees.", "KIBO"),
        ("Presale launchpad and auction-focused Quillpad Protocol will run its token sale on Wednesday for early backers.", "Quillpad Protocol"),
    ],
)
def test_a_described_subject_is_named_after_its_description(lead: str, issuer: str) -> None:
    # The lead opens on a word and a lower-case description; the name that the verb follows is the subject.
    text = f"# Partnership Brings New Yield to Holders\n\n{lead} The deal starts next week.\n\nKIBO and Quillpad Protocol are on the list. KIBO"
    assert issuer_of(text)[0] == issuer


def test_a_one_word_remnant_of_the_lead_is_not_the_subject() -> None:
    # The companies' cleaner reads "Media" as noise and leaves "Day"; the headline's association is taken.
    text = (
        "# ORFA’s 2025 Media Day Shows New Fleet Tools\n\n"
        "Media Day returned for its second year at the ORFA Fleet Association expo in Reno, where a dozen vendors "
        "showed reporters their newest tools.\n\n"
        "ORFA’s expo runs each spring. ORFA members voted on the awards."
    )
    assert issuer_of(text)[0] == "ORFA"


def test_an_about_heading_glued_to_the_paragraph_before_names_the_sender() -> None:
    text = (
        "# Bitcoin Could Reach New Highs Before the Halving\n\n"
        "Bitcoin has gained every week this year, and a price of $90,000 before the halving was predicted by "
        "Tradexa (a crypto exchange), which follows the market closely.\n\n"
        "Traders should do their own research.About Tradexa\n\n"
        "Tradexa, a digital trading platform founded in 2022, serves users in sixty countries."
    )
    assert issuer_of(text)[0] == "Tradexa"


def test_a_with_phrase_is_not_the_subject_when_no_company_follows_it() -> None:
    # Old reading: "3X Its Market Cap" (the words after "With"); the headline's brand word is printed most.
    text = (
        "# Why PhagoX Could Be Biotech's Quiet Winner\n\n"
        "With 3X Its Market Cap in Grants and Analyst Targets of $9, This Phage Pioneer Trades at Just $0.40 "
        "(NYSE: PHGX)*, all while a rival trades higher.\n\n"
        "PhagoX Inc. (NYSE: PHGX) presents an unusual case. PhagoX has grants from the Navy. PhagoX trials begin soon. "
        "Grants of 3X Its Market Cap are rare."
    )
    assert issuer_of(text) == ("PhagoX Inc.", "PHGX", "NYSE")


def test_an_analyst_coverage_note_is_put_out_by_the_analyst_firm() -> None:
    # The covered company is named first in the lead with its listing; the note is the analyst's.
    text = (
        "# Brightline Capital Partners Updates Coverage on Qorvane Metals Inc. (NYSE: QRVM) Q3\n\n"
        "DALLAS, TX -- May 2nd, 2025 -- Qorvane Metals Inc. (NYSE: QRVM): Brightline Capital Partners updates its "
        "coverage of Qorvane Metals after the third quarter. Revenue rose on higher copper prices.\n\n"
        "About Brightline\n\nBrightline Capital Partners is a capital markets advisory firm."
    )
    assert issuer_of(text) == ("Brightline Capital Partners", None, None)


def test_a_longer_form_does_not_run_across_a_capitalised_preposition() -> None:
    # Old reading: the whole headline up to "Qorvane Inc." (its legal form), with Qorvane's listing.
    headline = "# Marlow Research Group Initiates Coverage On Teskel Inc. (NYSE: TSKL)\n\n"
    assert issuer_of(headline + "Teskel Inc. (NYSE: TSKL): our first note on the maker of valves.\n")[0] == "Marlow Research Group"


def test_a_compound_adjective_is_not_the_issuer() -> None:
    # Old reading: "Award" (the headline's first word, printed on its own in "Poetry Award").
    text = (
        "# Award Winning Poet Mara Quillfeather Announces Her Third Collection\n\n"
        "AUSTIN, TX, May 2, 2025 /24-7PressRelease/ -- Award-winning poet Mara Quillfeather has announced her third "
        "collection of poems, which follows her Regional Poetry Award of last year.\n\n"
        "The collection is out in June."
    )
    assert issuer_of(text)[0] is None


def test_a_name_shaped_like_a_domain_after_a_long_headline_label() -> None:
    # Old reading: nothing. The label is over 30 characters, and "voltra.io" (its address) is no ordinary word.
    text = (
        "# Not Just For Large Utilities Anymore: Voltra.io Opens Grid Storage To Homeowners\n\n"
        "When homeowners think about storage, batteries in the garage come to mind. Now they can rent a share of a "
        "grid battery at voltra.io. Voltra.io is the first platform of its kind.\n\n"
        "Voltra.io was founded in 2023."
    )
    assert issuer_of(text)[0] == "Voltra.io"


def test_a_headline_company_the_body_prints_with_its_listing() -> None:
    # Old reading: nothing (the lead opens on the market, the headline on a description). "Dental
    # Group Holdings Inc." is the tail of the longer name, not a name of its own.
    text = (
        "# Korea's Biggest Dental Chain Operator Hanbit Dental Eyes Younger Patients\n\n"
        "By Jo Writer, Benzinga\n\n"
        "SEOUL - May 2, 2025 (NEWMEDIAWIRE) - The population may be aging, but millions of people in their thirties "
        "still spend on their teeth.\n\n"
        "That is an opportunity for Hanbit Dental Group Holdings Inc. (NASDAQ: HNBT) to grow its clinics."
    )
    assert issuer_of(text) == ("Hanbit Dental Group Holdings Inc.", "HNBT", "NASDAQ")


def test_a_bare_headline_subject_gives_way_to_the_project_printed_far_more() -> None:
    # Old reading: "Reddit" (the headline's first word, printed twice on its own).
    text = (
        "# Reddit Users and Traders on ZephyrDAG Network: Big Gains Ahead\n\n"
        "The recent rally has drawn new interest to digital assets as a way to trade, and we look at the part that "
        "social sites, and Reddit in particular, may play in it.\n\n"
        "ZephyrDAG Network is drawing crowds. ZephyrDAG has sold two billion coins, and ZephyrDAG miners ship soon. "
        "Users on Reddit praise ZephyrDAG and its roadmap. ZephyrDAG plans a listing."
    )
    assert (issuer_of(text)[0] or "").startswith("ZephyrDAG")


def test_a_listing_is_read_after_the_whole_legal_word() -> None:
    # Old reading: no ticker ("Corp" was matched inside "Corporation", so the listing did not follow the name).
    text = (
        "# Quantel Awards $5,000 to Elmsford Library for Digital Skills\n\n"
        "Quantel is announcing a $5,000 grant to the Elmsford Library to teach digital skills to adults, students "
        "and the families of the whole west side of town.\n\n"
        "Quantel Lift Zones connect residents to free Wi-Fi.\n\n"
        "Quantel Corporation (Nasdaq: QNTL) is a media and technology company."
    )
    assert issuer_of(text) == ("Quantel Corporation", "QNTL", "NASDAQ")


def test_an_analyst_report_on_a_quarter_is_the_analyst_firm() -> None:
    # Old reading: the covered company, named first in the lead with its listing.
    text = (
        "# Harrow Lane Research Updates 3Q25 Report on Belvane Foods Inc.\n\n"
        "DALLAS, TX -- May 2, 2025 -- Belvane Foods Inc. (NASDAQ: BLVF): Harrow Lane Research updates its report "
        "after the third quarter, in which sales of frozen meals rose again.\n\n"
        "About Harrow Lane\n\nHarrow Lane Research is an equity research firm."
    )
    assert issuer_of(text)[0] == "Harrow Lane Research"


# Round 7 (tune7): each test's text is written for the rule; the old reading is noted.


def test_a_headline_name_may_hold_of() -> None:
    # Old reading: nothing ("Marella" alone is never printed without "of").
    text = (
        "# Marella of Coral Gables Launches Summer Giveaway\n\n"
        "CORAL GABLES, FL, June 2, 2025 /24-7PressRelease/ -- In a summer campaign, the jewelry house Marella of "
        "Coral Gables is giving away two hundred silver rings to new customers who visit its store this month.\n\n"
        "Marella of Coral Gables has sold handmade rings since 1990."
    )
    assert issuer_of(text)[0] == "Marella of Coral Gables"


def test_a_title_before_of_is_not_a_name() -> None:
    text = (
        "# Dean of Larkfield Nursing School Named to State Board\n\n"
        "Jane Roe, dean of the school, joins the board in May, the Dean of Larkfield Nursing School said in a "
        "statement to the staff and the students of the school on Monday."
    )
    assert issuer_of(text)[0] != "Dean of Larkfield Nursing School"


def test_a_headline_word_the_body_prints_in_sentence_case_is_a_description() -> None:
    # Old reading: "Emmy" (the body prints "Emmy winner", the headline's "Emmy Winner" in lower case).
    text = (
        "# Three-time Emmy Winner Dana Holt Brings Her Tour to Riverside Hall\n\n"
        "RIVERSIDE, CA, May 1, 2025 /24-7PressRelease/ -- Legendary singer and three-time Emmy winner Dana Holt will "
        "play Riverside Hall on Friday, May 9, for one night only.\n\n"
        "Tickets for the Riverside Hall show are on sale now."
    )
    assert issuer_of(text)[0] in (None, "Riverside Hall")


def test_a_people_or_a_country_is_never_the_issuer() -> None:
    # Old readings: "Canadians" and "South Korea".
    first = (
        "# Canadians Save Less as Prices Climb\n\n"
        "Canadians are saving less than a year ago, as food and rent take a larger share of their pay, and "
        "Canadians under thirty save least of all.\n\n"
        "Canadians can read the full survey online."
    )
    assert issuer_of(first)[0] is None
    second = (
        "# Hydrogen Expo Closes With Record Crowds\n\n"
        "South Korea's largest hydrogen fair closed on Friday after three days, and South Korea plans a larger hall "
        "for the next edition of the fair.\n\n"
        "South Korea hosts the fair every year."
    )
    assert issuer_of(second)[0] is None


def test_an_acronym_after_an_opening_phrase_is_the_subject() -> None:
    # Old reading: nothing (after "Since 2010," only a name printed as a company counted).
    text = (
        "# Three Nonprofits Receive Open Doors Grants\n\n"
        "RALEIGH, NC, May 1, 2025 /24-7PressRelease/ -- Since 2010, NHCAF has offered grants to nonprofits that build "
        "homes for sale to families, and NHCAF has now awarded more than $500,000.\n\n"
        "NHCAF thanks this year's grant readers."
    )
    assert issuer_of(text)[0] == "NHCAF"


def test_a_sponsor_named_before_the_event_is_the_subject() -> None:
    # Old reading: "Co-sponsored" cut from the lead, then the headline's event ("Adaptive Sports").
    text = (
        "# 5th Annual Adaptive Sports Bowl-A-Thon Raises Funds\n\n"
        "Co-sponsored by Seabright Foundation and Seabright Rehab Institute, the community event raised funds for "
        "adaptive sports programs for children with physical disabilities.\n\n"
        "Adaptive Sports programs run all year."
    )
    assert issuer_of(text)[0] == "Seabright Foundation"


def test_a_headline_word_printed_as_a_cashtag_is_the_promoted_token() -> None:
    # Old reading: nothing (the headline's subject "Solana" is a market asset).
    text = (
        "# Solana's Next Big Meme Coin 'GLIMP' to List on Exchanges\n\n"
        "The market for small tokens is volatile and speculative, yet some have captured the attention of traders "
        "and a whole community of fans who trade them every day.\n\n"
        "Among them, $GLIMP stands out. Holders of $GLIMP can stake it, and $GLIMP lists next week."
    )
    assert issuer_of(text)[0] == "GLIMP"
    named = text + "\n\nBuy Glimpcoin (GLIMP) now."
    assert issuer_of(named)[0] == "Glimpcoin"


def test_an_event_gives_way_to_its_owner() -> None:
    # Old reading: "Americans" (the lead's subject); with it rejected, the event "Budget Awareness Week".
    text = (
        "# Budget Awareness Week Helps Families Plan Spending\n\n"
        "Americans are carrying record levels of debt. Spendwise.com's inaugural Budget Awareness Week on May 5-11 "
        "aims to change that by teaching households to plan their spending.\n\n"
        "Budget Awareness Week was founded by the chairman of Spendwise.com."
    )
    assert issuer_of(text)[0] == "Spendwise.com"
    sentence = text.replace("Spendwise.com's inaugural Budget", "Spendwise.com's budget tools teach Budget")
    assert issuer_of(sentence)[0] != "Spendwise.com"



def test_a_lead_name_may_hold_of() -> None:
    # Old reading: "House Holdings" (the lead's "House" ran into the partner's "Brag House Holdings").
    text = (
        "# Jane Roe Named Chief Digital Officer as Guild of Kestrel Joins Vantor House Holdings\n\n"
        "Guild of Kestrel, the corporate arm of the Kestrel Fund, together with merger partner Vantor House Holdings, "
        "today announced that Jane Roe will lead its digital teams from June.\n\n"
        "Jane Roe joins from a payments firm."
    )
    assert issuer_of(text)[0].startswith("Guild of Kestrel")


def test_a_lead_after_a_no_break_space_is_read() -> None:
    # Old reading: the headline's brand ("PayLeaf"), as the lead's company was not read after the space.
    text = (
        "# PayLeaf Issues Alert to Shops Over Card Fees\n\n"
        "CHICAGO, IL - May 1, 2025 (NEWMEDIAWIRE) - \xa0Ardent Card Systems Corporation (“ACSC” or “the Company”), "
        "today warned shops of growing fees tied to card terminals, which PayLeaf users avoid.\n\n"
        "PayLeaf is the Company's payment app."
    )
    assert issuer_of(text)[0] == "Ardent Card Systems Corporation"


def test_a_headline_opening_on_a_verb_and_its_object_has_no_subject() -> None:
    # Old reading: "Calling" (the body prints it once on its own).
    text = (
        "# Calling It a Backroom Deal, Residents Demand a Vote on the Harbor Project\n\n"
        "Residents of the harbor district say the council made its choice weeks before the public meeting, and they "
        "want a vote on the project this summer.\n\n"
        "Calling the deal unfair, the group has filed a records request."
    )
    assert issuer_of(text)[0] is None


def test_a_lead_opening_on_a_quote_gives_its_speakers_organisation() -> None:
    # Old reading: the headline's product ("Starter Loan").
    text = (
        "# New Starter Loan Helps Ohio Renters Build Credit\n\n"
        "DAYTON, OH, May 1, 2025 /24-7PressRelease/ -- \"Rent went up faster than pay,\" notes Jo Doe, senior director "
        "of lending for online lender QuickLend.loans. \"Renters need a way to build credit.\"\n\n"
        "The Starter Loan reports each payment. QuickLend.loans serves Ohio."
    )
    assert issuer_of(text)[0] == "QuickLend.loans"


def test_a_q_and_a_interviewee_is_not_the_issuer() -> None:
    # Old reading: the interviewee ("Jo Whitcombe").
    text = (
        "# Q&amp;A with Jo Whitcombe, Franchise Owner at Kettle Kitchens\n\n"
        "Jo Whitcombe is the first franchise owner of Kettle Kitchens in the state, serving 12 counties across the north "
        "of the state, and a cook by training who brings meals to older neighbours.\n\n"
        "What makes it unique? Jo Whitcombe says the meals are made fresh each day."
    )
    assert issuer_of(text)[0] != "Jo Whitcombe"


# Round 8 (docs/issuer.md): each case fails on 0977b53 unless it says it is a guard.


def test_a_us_state_or_a_large_city_is_not_the_issuer() -> None:
    # Old reading: "Nevada" (the lead's possessive subject, printed four times).
    text = (
        "# Nevada Visitor Numbers Climb in Spring as Resorts Add Rooms\n\n"
        "Nevada's tourism sector posted strong gains in April, with visitor numbers up 4% from a year earlier and hotel "
        "occupancy at its highest level since 2019, figures released by the state showed.\n\n"
        "Nevada expects more growth this summer. Resorts across Nevada have added rooms."
    )
    assert issuer_of(text)[0] is None
    city = text.replace("Nevada", "Dubai")
    assert issuer_of(city)[0] is None


def test_a_state_printed_with_a_legal_form_is_kept() -> None:
    # Guard: a company named after a place is printed with its legal form.
    text = (
        "# Montana Reports Record Quarter\n\n"
        "Montana said today that revenue rose 12% in its first quarter, led by strong demand for its copper from buyers "
        "in Asia and the United States, and that it will raise its dividend.\n\n"
        "Montana Ltd. (TSXV: MTNA) mines copper. Montana plans a new mill."
    )
    assert issuer_of(text)[:2] == ("Montana Ltd.", "MTNA")


def test_a_person_who_serves_as_president_is_not_the_issuer() -> None:
    # Old reading: "Jordan Vale" (the lead's subject, printed three times).
    text = (
        "# Rowan Pike Talks With Jordan Vale About Housing Needs\n\n"
        "Jordan Vale serves as president and chief executive officer of the Elmstead housing office, where she leads a team "
        "of 20 people across four programs that help families find homes.\n\n"
        "Jordan Vale grew the office's budget. Connect with Jordan Vale and Rowan Pike online."
    )
    assert issuer_of(text)[0] != "Jordan Vale"


def test_an_interviews_headline_names_a_guest() -> None:
    # Old reading: the guest ("Jordan Vale"), printed in the headline and the lead only.
    text = (
        "# Rowan Pike Interviews Jordan Vale, Housing Pioneer of the County\n\n"
        "Jordan Vale has built the Elmstead housing office into one of the largest in the county, with a team of 20 people "
        "across four programs that help families find homes.\n\n"
        "Connect with Jordan Vale on the web."
    )
    assert issuer_of(text)[0] != "Jordan Vale"


def test_an_about_block_named_by_its_head_in_the_headline_is_the_sender() -> None:
    # Old reading: "London" (the lead's subject); with the city rejected, nothing, as the headline prints
    # "Lina Orvek" but not the About block's "Lina Orvek Clinic".
    text = (
        "# Dr Lina Orvek Emerges as a Leader in Skin Care\n\n"
        "London is fast becoming a capital of skin care, and London clinics report record demand from visitors, with one "
        "surgeon at the centre of that rise, as new figures show.\n\n"
        "Dr. Orvek has 20 years of practice.\n\n"
        "About Lina Orvek Clinic\n\n"
        "Lina Orvek Clinic is a skin care company based in London."
    )
    assert issuer_of(text)[0] == "Lina Orvek Clinic"


def test_a_headline_name_with_its_aside_is_read_whole() -> None:
    # Old reading: "Colorado" (the headline's run was cut where the body prints "(QVHN)" after it, as a copy of the headline).
    text = (
        "# Colorado Quarry Valley Health Network (QVHN) Names First Cohort of Startups\n\n"
        "MAY 2, 2025 DENVER, CO – The Colorado Quarry Valley Health Network (QVHN) is proud to name the first cohort of "
        "startups for its program, which aims to make Colorado a leader in health care.\n\n"
        "QVHN will meet the startups in June."
    )
    assert issuer_of(text)[0] == "Colorado Quarry Valley Health Network"


def test_a_symbol_picked_as_issuer_gives_the_name_printed_before_it() -> None:
    # Old reading: the symbol "ZQ9".
    text = (
        "# Top Altcoins 2025: Solana (SOL), Cardano (ADA) and 100x Token ZQ9 Priced $0.01\n\n"
        "The crypto market keeps changing, and the altcoins making headlines are Solana (SOL), Cardano (ADA), and the "
        "emerging token, Zorqnet (ZQ9), priced at $0.01.\n\n"
        "ZQ9 holders can stake it. ZQ9 lists next week, and ZQ9 has a fixed supply."
    )
    assert issuer_of(text)[0] == "Zorqnet"
    capitals = text.replace("Zorqnet (ZQ9)", "ZQN (ZQ9)")
    assert issuer_of(capitals)[0] == "ZQ9"  # guard: another symbol is no name


def test_an_organisation_headline_beats_a_lead_on_its_product() -> None:
    # Old reading: "Alderline" (the community the lead opens on, printed three times).
    text = (
        "# Harrowgate Homes Group Offers Savings at Cedar Bluff\n\n"
        "BOISE, ID, March 3, 2025 /24-7PressRelease/ -- Alderline at Cedar Bluff offers new homes for buyers who want space "
        "and light. Shoppers at Alderline will find large rooms and open kitchens.\n\n"
        "Alderline homes are priced from the $500,000s. Harrowgate Homes Group has built homes for 30 years."
    )
    assert issuer_of(text)[0] == "Harrowgate Homes Group"
    named_first = text.replace("# Harrowgate Homes Group Offers Savings at Cedar Bluff", "# Harrowgate Homes Group Joins Alderline at Cedar Bluff")
    assert issuer_of(named_first)[0] == "Alderline"  # guard: a lead subject the headline names keeps its place


def test_a_person_by_a_title_on_a_later_print_is_not_the_issuer() -> None:
    # Old reading: "Ellwood" (the headline's possessive subject; the first print has no title after it).
    text = (
        "# Ellwood’s Fortune Climbs on Zentria Surge\n\n"
        "Marcus Ellwood, co-founder and chairman of Zentria, is closing in on the top of the rich list after a surge in "
        "Zentria shares, and Ellwood’s other holdings have grown too.\n\n"
        "Ellwood’s net worth rose by $70 billion."
    )
    assert issuer_of(text)[0] != "Ellwood"
    titled = (
        "# Dana Whitlow says that Brightpath is a win for firms\n\n"
        "LOS ANGELES, CA, March 3, 2025 /24-7PressRelease/ -- Entrepreneur Dana Whitlow announced his endorsement of "
        "Brightpath, a service for firms and their staff that offers loans against shares.\n\n"
        "Dana Whitlow says the loans help founders."
    )
    assert issuer_of(titled)[0] != "Dana Whitlow"


def test_a_company_with_a_title_word_after_it_is_kept() -> None:
    # Guard: a company named in an attribution before a division title, or "led by CEO ...", is no person.
    text = (
        "# Corvane Homes Opens Models at Palm Ridge\n\n"
        "Corvane Homes, led by CEO Jo Doe, has opened models at Palm Ridge, a new community of 90 homes in the desert "
        "east of the city, with sales starting next week.\n\n"
        "\u201cWe are excited,\u201d said Brad Roe, Corvane Homes, California Division President."
    )
    assert issuer_of(text)[0] == "Corvane Homes"


def test_a_person_named_by_a_firm_with_a_legal_form_gives_the_firm() -> None:
    # Old reading: the person ("Corin Bell"); "Mayor" opening a firm's name is no title when it has a legal form.
    text = (
        "# Lawsuit Filed on Behalf of a Cyclist Hit by a Van\n\n"
        "PORTLAND, OR, May 1, 2025 /24-7PressRelease/ -- Corin Bell of Mayor Bell Law, LLC filed a lawsuit on behalf of "
        "a client who was struck by a delivery van while cycling to work last year.\n\n"
        "Corin Bell said the client was billed for the ride to the hospital."
    )
    assert issuer_of(text)[0] == "Mayor Bell Law, LLC"


def test_a_place_in_capitals_after_the_date_is_part_of_the_dateline() -> None:
    # Old reading: "TULSA" (the lead was read from the place the dateline prints after its date).
    text = (
        "# Free webinar helps families plan for care costs\n\n"
        "(NewMediaWire) - May 13, 2025 - TULSA — Building on its work with caregivers, the Harlan Health Association, a "
        "national charity, today invited families to a free webinar on planning for the costs of care.\n\n"
        "The webinar is on June 2."
    )
    assert issuer_of(text)[0] == "Harlan Health Association"


@pytest.mark.parametrize("word", ["Anyone", "Below", "Ever", "It"])
def test_a_pronoun_or_an_adverb_opening_the_lead_is_not_the_issuer(word: str) -> None:
    # Old reading: the word itself, printed twice and never in lower case.
    text = (
        f"# The Metals Behind Smart Phones Are Not What You Think\n\n"
        f"{word} with a phone holds metals from many mines in their hand, yet few think about where the copper and the "
        f"lithium in the phone come from or how much longer the supply will last.\n\n"
        f"{word} is a word that opens sentences."
    )
    assert issuer_of(text)[0] is None


@pytest.mark.parametrize("word", ["Italian", "Ontario"])
def test_a_demonym_or_a_province_is_not_the_issuer(word: str) -> None:
    # Old reading: the headline's first word, which the body prints on its own.
    text = (
        f"# {word} Buyers Eye Lisbon as a Gateway to Europe\n\n"
        f"A new survey of 400 firms found this month that many {word} firms plan to open offices in the Portuguese "
        f"capital, which they see as a gateway to markets across Europe.\n\n"
        f"{word} firms plan 30 new offices."
    )
    assert issuer_of(text)[0] is None


def test_a_lone_word_printed_once_is_not_the_last_chance_lead_subject() -> None:
    # Old reading: "Celebrate" (no candidate is plausible, and the lead's opening word was taken).
    text = (
        "# Summer Savings Start Now at the Shop\n\n"
        "TULSA, OK, May 15, 2025 /24-7PressRelease/ -- Celebrate the start of summer in style with new offers from the "
        "shop on the high street, where buyers who spend over $500 will receive a free gift.\n\n"
        "The offers run through May 24."
    )
    assert issuer_of(text)[0] is None


# Round 9 (docs/issuer.md): each case fails on db82734 unless it says it is a guard.


def test_a_lead_opening_on_an_exclamation_reads_its_subject_after_it() -> None:
    # Old reading: the owner, which the lead prints with its listing ("Hold" was no plausible subject).
    text = (
        "# Celebrate National Soup Day with $5 Bowls\n\n"
        "TAMPA, FL, January 02, 2025 /24-7PressRelease/ -- Grab a spoon! Corvale Soup Kitchen & Grill, owned by Pellor "
        "Brands, Inc. (Nasdaq: PLRB), is celebrating National Soup Day on January 4 with a special offer for its guests.\n\n"
        "Guests can order any large bowl at Corvale Soup Kitchen & Grill for $5."
    )
    assert issuer_of(text)[0] == "Corvale Soup Kitchen & Grill"


def test_a_lone_word_before_an_exclamation_mark_is_kept() -> None:
    # Guard (passes on db82734 too): one word before the mark may be the name ("Zoomly! Labs"), and is not cut
    # (the name is then read as "Zoomly", as before).
    text = (
        "# Zoomly! Labs Opens a Studio in Austin\n\n"
        "AUSTIN, TX, March 3, 2025 /24-7PressRelease/ -- Zoomly! Labs, a maker of toy robots, today opened its first "
        "studio in Texas.\n\n"
        "Zoomly! Labs was founded in 2019."
    )
    assert issuer_of(text)[0] == "Zoomly"


@pytest.mark.parametrize("headline", ["Q&amp;A with Jo Tarrow, CEO of Brellin Homes", "Dana Voss Interviews Jo Tarrow, President, Brellin Homes"])
def test_an_interview_gives_neither_its_guest_nor_the_guests_company(headline: str) -> None:
    # Old reading: "Brellin Homes LLC", the guest's company that the headline names and the body prints most.
    text = (
        f"# {headline}\n\n"
        "Jo Tarrow, CEO of Brellin Homes LLC, is set to build 400 homes on the west side of the county over the next "
        "five years.\n\n"
        "Brellin Homes built its first homes in 2001. What led you to start Brellin Homes?\n\nI grew up in the county."
    )
    assert issuer_of(text) == (None, None, None)


def test_an_interview_keeps_a_sender_the_text_states() -> None:
    # Guard (passes on db82734 too): the dateline's sender tag still gives the sender.
    text = (
        "# Q&amp;A with Jo Tarrow, CEO of Brellin Homes LLC\n\n"
        "Austin, United States - July 10, 2025 / Brellin Homes LLC / Jo Tarrow, CEO of Brellin Homes LLC, is set to "
        "build 400 homes on the west side of the county.\n\n"
        "Brellin Homes LLC was founded in 2001."
    )
    assert issuer_of(text)[0] == "Brellin Homes LLC"


def test_an_organisation_described_near_the_lead_is_the_late_resort_sender() -> None:
    # Old reading: nothing (the lead opens on its audience, and no candidate is plausible).
    text = (
        "# Free class can help parents plan healthy meals\n\n"
        "(NewMediaWire) - May 13, 2025 - DENVER — Parents often face stress over what to cook on busy nights.\n\n"
        "That is why the Tallow Lung Association, a national force for healthier lives, invites parents to a free "
        "online class on May 20.\n\n"
        "The class is taught by a dietitian. The Tallow Lung Association has run such classes since 2010, and "
        "the Tallow Lung Association will post a recording."
    )
    assert issuer_of(text)[0] == "Tallow Lung Association"


def test_an_organisation_named_without_a_description_is_not_the_late_resort_sender() -> None:
    # Guard (passes on db82734 too): a council the news item names three times, with no ", a ..." after it.
    text = (
        "# Neighbours Demand a Say on the Harbor Lot Plan\n\n"
        "PORTLAND, ME, March 14, 2024 /24-7PressRelease/ -- Records show that the deal was made before Wexley City "
        "Council held a public meeting.\n\n"
        "Wexley City Council voted on February 13. Residents say Wexley City Council must reopen the vote."
    )
    assert issuer_of(text)[0] is None


# Round 10 (tune10)


@pytest.mark.parametrize(
    ("lead", "name"),
    [
        ("The New Harwick Heritage Society held its annual garden fair in Oak Park on May 3.", "New Harwick Heritage Society"),
        ("Shares of New Harwick Metals Corp. (NYSE American: NHWK) rose after the mill restarted.", "New Harwick Metals Corp."),
    ],
)
def test_a_new_printed_inside_a_sentence_stays_in_the_name(lead: str, name: str) -> None:
    # Old reading: "Harwick Heritage Society" and "Harwick Metals Corp.": clean_name drops a leading "New".
    text = f"# Garden Fair Draws a Record Crowd\n\nOAK PARK, IL, May 5, 2025 /24-7PressRelease/ -- {lead}\n\nThe fair has run since 1990."
    assert issuer_of(text)[0] == name


def test_a_new_opening_a_headline_is_not_added_to_the_name() -> None:
    # Guard (passes on 77efc3b too): "New" opens the headline, and the body prints the firm without it.
    text = (
        "# New Dellmore & Finch Survey Finds Shoppers Cut Back\n\n"
        "CHICAGO, IL, May 5, 2025 /24-7PressRelease/ -- Dellmore & Finch LLC today released its spring survey of 2,000 "
        "shoppers.\n\nDellmore & Finch LLC is an advisory firm."
    )
    assert issuer_of(text)[0] == "Dellmore & Finch LLC"


def test_a_name_the_headline_describes_as_a_company_beats_a_persons_event_in_the_lead() -> None:
    # Old reading: "Jo Varnum", whose event opens the lead.
    text = (
        "# Ticketing Software Giant Front Row Desk Readies for Summit Week\n\n"
        "DENVER, CO, March 3, 2025 /24-7PressRelease/ -- Jo Varnum's fifth Growth Summit opens soon, and Front Row Desk "
        "will run its check-in. Jo Varnum's summit draws 9,000 guests.\n\n"
        "Front Row Desk makes badge printers and event apps."
    )
    assert issuer_of(text)[0] == "Front Row Desk"


def test_a_describing_noun_inside_a_headline_names_no_issuer() -> None:
    # Guard (passes on 77efc3b too): "Startup" is not at the headline's start, so the news item stays empty.
    text = (
        "# Ferro Capital and Two Banks Join $40 Million Round for Swiss Startup Kelvaro\n\n"
        "Boston-based Ferro Capital has joined a $40 million round for Kelvaro AG, a Swiss maker of enzymes. Kelvaro "
        "will spend it on trials."
    )
    assert issuer_of(text)[0] != "Kelvaro"


def test_a_headline_persons_firm_named_with_a_partners_title_is_the_issuer() -> None:
    # Old reading: "Garden State Trial Lawyers Guild", the body of the event the lead opens on.
    text = (
        "# Dana R. Holcombe Chairs Trial Skills Session at Guild Conference\n\n"
        "TRENTON, NJ, December 10, 2024 /24-7PressRelease/ -- The Garden State Trial Lawyers Guild held its annual seminar "
        "in Trenton on November 20. Lawyers from around the state attended.  Holcombe, Pratt & Lyle, P.C. Founding "
        "Partner Dana R. Holcombe, Esq. chaired the trial skills session of the Garden State Trial Lawyers Guild.\n\n"
        "About Holcombe, Pratt & Lyle, P.C.\n\nThe firm has served clients since 1985."
    )
    assert issuer_of(text)[0] == "Holcombe, Pratt & Lyle, P.C."


# Round 11 (tune11)


@pytest.mark.parametrize(
    "lead",
    [
        "As the autumn term begins, Harbor Bunk Rooms is pleased to offer students a 25% discount on stays of a month.",
        "Following a busy summer season, Harbor Bunk Rooms announces a 25% discount for students on stays of a month.",
    ],
)
def test_a_sender_announcing_after_an_opening_clause_is_the_issuer(lead: str) -> None:
    # Old reading: nothing, as the name after the clause has no company marks.
    text = (
        "# Your Autumn Term Stay and a Lower Rate for Every Student\n\n"
        f"BOSTON, MA, September 2, 2025 /24-7PressRelease/ -- {lead} Harbor Bunk Rooms has rooms near four colleges.  "
        "Guests of Harbor Bunk Rooms share kitchens and lounges."
    )
    assert issuer_of(text)[0] == "Harbor Bunk Rooms"


def test_a_person_announcing_after_an_opening_clause_is_not_taken_as_a_sender() -> None:
    # Guard (passes on 6874d58 too): "Dana Whitcombe, founder of ..." is printed as a person, which the lead
    # subject check still turns down after the new sender verb.
    text = (
        "# Dana Whitcombe Opens Her Third Bakery\n\n"
        "PORTLAND, OR, May 5, 2025 /24-7PressRelease/ -- As spring arrives, Dana Whitcombe is proud to open her third "
        "bakery in Portland. Dana Whitcombe, founder of the Crumb Table chain, bakes every morning. Dana Whitcombe "
        "trained in Lyon."
    )
    assert issuer_of(text)[0] != "Dana Whitcombe"
