"""Role of each money mention (kind, status, payer, payee) from cue words around it.

Every cue is a general English pattern with a weight; a cue's vote decays with its distance from
the mention, so the nearest specific cue wins ("net income of $3 million, or $0.06 per share":
"per share" is adjacent to the second amount but "net income ... or" still makes it earnings).
Some constructions are decided outright before the vote (per-share prices, "price target", the
upper end of a "between A and B" range).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from llmx.recognize.money import MoneyMention
from llmx.rules.cues import (
    ACTUAL_REGEX,
    CUE_START_SCAN,
    KIND_REGEX,
    POTENTIAL_REGEX,
    Anchored,
    CueTable,
    Starts,
    StartScan,
    finditer_at,
    search_at,
    searchable,
    with_bits,
)
from llmx.rules.text import TextIndex, Window
from llmx.schema import Kind, Status

# "per share", "in cash per Zeekr Share", "per NuVista share": a company's name may qualify the share.
_PER_SHARE_AFTER = re.compile(
    r"^[*†‡¹²³⁴\s]*(?:in cash\s+)?(?:per|a|/)\s*(?:common |ordinary |diluted |basic |(?-i:[A-Z][\w-]+ ))?(?:share|unit|ADS|ADR|warrant)s?\b",
    re.IGNORECASE,
)
# "$0.05 each" is a price per share only when shares, units or warrants are named earlier in the clause
# ("units at $0.05 each"), not for tickets or products ("tickets are available at $450 each").
_EACH_AFTER = re.compile(r"^\s*each\b", re.IGNORECASE)
_SECURITIES_BEFORE = Anchored(re.compile(r"\b(?:shares?|units?|warrants?|stock|ADSs?|ADRs?|options)\b[^.;$]{0,80}$", re.IGNORECASE))
# A valuation range under $10,000 (with "valuation" earlier in the sentence) is a per-share value of an analyst's model
# ("Our EV/EBITDA valuation results in a range of $25.62 to $31.17 with a mid-point of $28.40").
# (A range or mid-point must be named: "surging from a sub-$1 valuation all the way up to a $75 all-time high" is a token's price.)
_VALUATION_PER_SHARE_BEFORE = Anchored(re.compile(r"\bvaluation\b(?:[^.;!?$]|\.(?=\d)|\$[\d.,]+){0,60}?\b(?:range|mid-?point)\b(?:[^.;!?$]|\.(?=\d)|\$[\d.,]+){0,60}$", re.IGNORECASE))
# Prices of physical units (round 6: also "per metric ton") and of crypto tokens are not share prices ("$3,595 per ETH"), nor are fees per contract,
# minute or trade ("an initial margin of $12,980 per contract", "charges $1 per contract").
_PER_PHYSICAL_AFTER = re.compile(
    r"^\s*(?:per|/|a)\s*(?:(?:metric|short|dry|wet)\s+)?(?:oz|ounce|ton|tonne|pound|lb|barrel|bbl|hour|month|year|kg|MWh|kWh|gallon|square|sq|ETH|BTC|bitcoin|ether|token|coin|SOL|XRP|contract|minute|trade)\b(?!\s+(?:earlier|ago|before|prior|later|on year))"
    r"|^\s*(?:gold|silver|copper|oil)\b(?!\s+(?:stream|royalty|project|loan|facility|financing|deal|purchase|sales|revenue))"
    # a return paid per day or week is a user's payout (cloud mining, staking), not a company's earnings:
    # "you will receive $27 in earnings each day"
    r"|^\s*in\s+(?:daily\s+|weekly\s+)?(?:earnings|profits?|rewards|returns|income|interest|payouts?)\s+(?:per|each|a|every)\s+(?:day|week)\b",
    re.IGNORECASE,
)
# Round 5: a royalty, fee or payment "per year/month" is a payment schedule: the payment's own cue decides the kind.
_RECURRING_PAYMENT_BEFORE = Anchored(re.compile(r"\b(?:royalt(?:y|ies)|licen[cs]e fees?|(?:option|annual|maintenance|milestone|advance|lease|rental)\s+(?:fees?|payments?))\s+(?:of\s+)?(?:US|USD|C|CAD|A|AU)?\s*$", re.IGNORECASE))
_PER_PERIOD = re.compile(r"^\s*(?:per|/|a)\s*(?:month|year)$", re.IGNORECASE)
# "$20 Million Facility", "$50 million revolving credit facility": a financing (not "manufacturing facility").
_FACILITY_AFTER = re.compile(
    r"^\s*(?:(?:senior|secured|unsecured|credit|loan|debt|financing|funding|term|revolving|working|capital|equity|standby|bridge)\s+)*facilit(?:y|ies)\b"
    # ... also after other words when a lending noun names the facility ("a $150 million tax-exempt warehouse facility")
    r"|^\s*(?:[\w-]+\s+){1,2}?(?:credit|loan|debt|financing|funding|warehouse|revolving|lending|liquidity)\s+facilit(?:y|ies)\b",
    re.IGNORECASE,
)
# A cash position: "With $149 million in cash and no debt", "holds $12 million of cash".
# ... also as reported or added to ("the company reported $33.8 million in cash", "added $14.5 million to cash").
_CASH_HELD_BEFORE = Anchored(re.compile(r"\b(?:with|holds?|held|had|has|having|maintains?|maintained|reported|reports|added|adds|adding)\s+(?:approximately\s+|about\s+|over\s+|more than\s+|nearly\s+)?(?:US|USD|C|CAD)?\s*$", re.IGNORECASE))
_IN_CASH_AFTER = re.compile(
    r"^\s*(?:in|of|to)\s+(?:its\s+)?(?:unrestricted\s+)?cash\b(?!\s+(?:consideration|payments?|proceeds|flows?|used|generated|burn|dividends?|and\s+(?:stock|shares)))", re.IGNORECASE
)
# Round 5: a cash figure printed before the word, as a position ("$31.2M cash exiting 2025", "the $90 million cash on its
# balance sheet", "$12 million cash at quarter-end"), not cash as consideration ("$45 million in cash at closing").
_CASH_POSITION_AFTER = re.compile(
    r"^\s*(?:in\s+)?cash\s+(?:(?:and\s+(?:cash\s+)?equivalents\s+)?on\s+(?:the\s+|its\s+|our\s+|their\s+|[\w-]+['’]s?\s+)?balance\s+sheet|exiting|at\s+(?:the\s+end|quarter|year|period|the\s+close)|as\s+of)\b",
    re.IGNORECASE,
)
# Stock a company sells in an offering is a financing ("an ATM offering for up to $5.4 million of shares of common stock").
_OF_STOCK_AFTER = re.compile(r"^\s*(?:of|in)\s+(?:shares\s+of\s+)?(?:its\s+|our\s+|the\s+company['’]s\s+)?(?:common|ordinary)\s+(?:stock|shares)", re.IGNORECASE)
_OFFERING_NEAR = Anchored(re.compile(r"offering|prospectus|\bATM\b|at[- ]the[- ]market|placement|sales agreement", re.IGNORECASE))
# Face values of a share are legal terms, not prices paid ("par value US$0.0002 per share", "nominal value of HK$0.02 each").
_FACE_VALUE_BEFORE = Anchored(re.compile(r"\b(?:par|nominal|book|stated) value(?: per share)?(?:\s+of)?\s*(?:US|USD|HK)?\s*$", re.IGNORECASE))
# A price named right after a quantity of tokens or coins is the asset's price ("acquired 28 ETH at an average price of $3,595").
# ... also when the release reports the face value changing ("par value per share increasing from US$0.0001 to US$0.001").
_FACE_VALUE_CHANGE_BEFORE = Anchored(re.compile(r"\b(?:par|nominal|stated) value(?: per share)?\b((?:[^.;]|\.(?=\d)){0,60})$", re.IGNORECASE))
_PRICE_WORDS = Anchored(re.compile(r"price|purchase|offering|sold|paid|consideration", re.IGNORECASE))


def _face_value_change(window: Window) -> bool:
    """True when the amount follows a face value in the same clause with no price word in between."""
    match = _FACE_VALUE_CHANGE_BEFORE.search_in(*window.tail(90))
    return bool(match) and not _PRICE_WORDS.search(match.group(1))


_TOKEN_PRICE_BEFORE = Anchored(re.compile(
    r"\b(?:ETH|BTC|bitcoins?|ether(?:eum)?|tokens?|coins?|SOL|XRP)\b[^.;$]{0,40}\b(?:price|cost|valued?)\s+(?:of\s+)?(?:about\s+|approximately\s+)?$|\b(?:ETH|BTC|bitcoin|ether(?:eum)?|token|SOL|XRP)\b[^.;$]{0,20}\b(?:reach|hit|trade at|to)\s*$",
    re.IGNORECASE,
))
_SHARE_PRICE_BEFORE = Anchored(re.compile(r"(?:shares?|units?|warrants?|stock|ADSs?)\b[^.;$]{0,60}\bat\s+(?:a\s+(?:price|premium)\s+of\s+)?(?:USD\s*)?$", re.IGNORECASE))
# Analyst targets and per-share valuation ranges are forecasts of a share price
# ("Our valuation model returns a valuation range of $9.06 to $20.87", "fair value estimate of $14").
_TARGET_NEAR = Anchored(re.compile(r"price target|target price|PT\b|valuation (?:range|model)|fair value (?:range|estimate)|intrinsic value", re.IGNORECASE))
# A share price reported as a move ("shares rising 37.8% to $1.23", "the stock closed at $4.10"), or the range it
# moved in ("The stock has traded between $6.54 and $54.74 over the past 12 months").
_SHARE_MOVE_BEFORE = Anchored(re.compile(
    r"\b(?:shares?|stock|share price|stock price)\b[^.;$]{0,40}\b(?:ris(?:e|es|ing)|rose|climb(?:s|ed|ing)?|jump(?:s|ed|ing)?|surg(?:e|es|ed|ing)|soar(?:s|ed|ing)?|f[ae]ll(?:s|ing)?|drop(?:s|ped|ping)?|clos(?:e|es|ed|ing)|trad(?:e|es|ed|ing))\b(?:[^.;$]|\.(?=\d)){0,20}\b(?:to|at|between|from)\s*$",
    re.IGNORECASE,
))
# Round 5: a share price quoted as a level or a day's/year's high or low ("Zorvex's stock price is $12.40", "The stock
# touched an intraday high of $13.05", "the stock has traded in a range of $4.10-$19.80").
_SHARE_LEVEL_BEFORE = Anchored(re.compile(
    r"\b(?:stock|share)\s+price\s+(?:is|was|of|stood\s+at|closed\s+at)\s+(?:currently\s+)?(?:approximately\s+|about\s+|around\s+|close\s+to\s+)?$"
    r"|\b(?:shares?|stock)\b(?:[^.;!?$]|\.(?=\d)){0,60}\b(?:(?:intraday|52-week|all-time|daily|session|record)\s+)?(?:highs?|lows?|range)\s+of\s*(?:approximately\s+|about\s+)?$",
    re.IGNORECASE,
))
# (every match ends with one of these words: a test of the last word skips the regex for almost every amount)
_SHARE_LEVEL_ENDS = (" of", " is", " was", " at", " to", " currently", " approximately", " about", " around", " OF", " IS", " WAS", " AT", " TO")


def _share_level(window: Window) -> bool:
    """True when the amount is a share price quoted as a level or a high/low (`_SHARE_LEVEL_BEFORE`)."""
    return window.before[-24:].rstrip().endswith(_SHARE_LEVEL_ENDS) and _SHARE_LEVEL_BEFORE.search_in(*window.tail(90)) is not None
# A range that describes a spread of present values is not a forecast's upper end ("fees range from $115 to $1,200 per case").
# (The near end may carry a scale word: "transactions ranging from $20 million to $200 million"; round 5: also "rounds ranging
# in size from $1 million to $5 million", "can cost anywhere from $20,000 to $60,000".)
_SPREAD_BEFORE = Anchored(re.compile(r"\b(?:rang(?:e|es|ed|ing)(?:\s+in\s+size)?|anywhere)\s+(?:from\s+)?(?:between\s+)?\S+(?:\s+(?:thousand|million|billion|trillion))?\s+(?:to|and)\s+(?:US|USD\s*)?$", re.IGNORECASE))
_RANGE_UPPER_BEFORE = Anchored(re.compile(r"\bbetween\s+\S+\s+and\s+(?:US|USD\s*)?$|\bfrom\s+\S+(?:\s+\S+)?\s+to\s+(?:over\s+|more than\s+|about\s+)?(?:US|USD\s*)?$", re.IGNORECASE))
_YEAR_AFTER = re.compile(r"^\s*(?:\w+\s+){0,3}?(?P<prep>in|by|for)\s+(?:the\s+)?(?:fiscal\s+(?:year\s+)?|year\s+|FY\s*)?(?:19|20)\d\d\b", re.IGNORECASE)

_DECAY = 35.0  # characters at which a cue's vote has halved
# A conjunction opening a new noun phrase ("cash on hand and a $600 million facility") halves a cue.
_CONJUNCTION = re.compile(r"\b(?:and|or|plus|as well as)\s+(?:a|an|the|its|their|our|approximately|about)\b|;", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RoleProposal:
    """The rules' best guess for one money mention, with how sure they are and which cue decided."""

    kind: Kind
    status: Status
    payer: str | None = None
    payee: str | None = None
    confidence: float = 0.0
    cue: str | None = None
    kind_cued: bool = True  # False when no cue named the kind (none, the headline's topic, an enumeration)


# (text, which side: True before the mention, False after it, None the row label, bit mask of the cues that may match,
# the text as `cues.searchable` lower-cases it, and per cue bit the offsets where that cue may begin: `StartScan.starts`)
Sides = list[tuple[str, bool | None, int, str | None, dict[int, list[int]] | None]]
_KIND_TABLE = with_bits(KIND_REGEX)
_POTENTIAL_TABLE = with_bits(POTENTIAL_REGEX)
_ACTUAL_TABLE = with_bits(ACTUAL_REGEX)


def _side(text: str, is_before: bool | None) -> tuple[str, bool | None, int, str | None, dict[int, list[int]] | None]:
    lowered = searchable(text)
    present, offsets = CUE_START_SCAN.starts(text, lowered)
    return text, is_before, present, lowered, offsets


def cue_sides(window: Window) -> Sides:
    """The window's non-empty sides, each with the cues that may match it and where (one start scan per side).

    Computed once per window and shared by the kind, potential and actual votes."""
    return [_side(side_text, is_before) for side_text, is_before in ((window.before, True), (window.after, False), (window.label, None)) if side_text]


_CONJUNCTION_STARTS = Starts(_CONJUNCTION)


def _vote(sides: Sides, table: CueTable) -> dict[str, tuple[float, str]]:
    """Best decayed score per label, with the cue text that earned it."""
    best: dict[str, tuple[float, str]] = {}
    union = 0
    for _, _, present, _, _ in sides:
        union |= present
    conjunction = _CONJUNCTION_STARTS.search
    for bit, label, regex, weight in table.allowed(union):  # only the cues some side may hold
        for side_text, is_before, present, lowered, offsets in sides:
            if not present & bit:
                continue  # the cue cannot begin anywhere in the side: it cannot match
            at = offsets.get(bit) if offsets is not None else None
            # tried where it may begin (a cue whose start cannot be named, or a side not lower-cased: everywhere)
            matches = finditer_at(regex, side_text, at) if at is not None else regex.finditer(side_text)
            for match in matches:
                if is_before is None:
                    distance, factor = 30.0, 0.9
                    between = lowered_between = ""
                elif is_before:
                    distance, factor = len(side_text) - match.end(), 1.0
                    between = side_text[match.end() :]
                    lowered_between = lowered[match.end() :] if lowered is not None else None
                else:
                    distance, factor = match.start(), 0.9  # cues after an amount bind slightly less
                    between = side_text[: match.start()]
                    lowered_between = lowered[: match.start()] if lowered is not None else None
                if conjunction(between, lowered_between):
                    factor *= 0.5
                score = weight * factor / (1.0 + distance / _DECAY)
                if score > best.get(label, (0.0, ""))[0]:
                    best[label] = (score, match.group(0))
    return best


_INVESTED_BEFORE = Anchored(re.compile(r"\binvest(?:ed|s|ing)?\s+(?:\w+\s+)?(?:US|USD\s*)?$", re.IGNORECASE))
# Round 6: money invested into a company's notes or debentures buys its debt ("two directors invested $500,000 into the notes").
_INTO_NOTES_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?in(?:to)?\s+(?:the\s+|its\s+|our\s+|these\s+|such\s+)?(?:[\w-]+\s+){0,2}?(?:notes|debentures|bonds)\b", re.IGNORECASE)
_INTO_COMPANY_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?in(?:to)?\s+(?:the\s+|its\s+|our\s+)?(?:compan(?:y|ies)|shares|stock|equity|[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*(?![\w&.-])(?!\s+(?:operations?|projects?|facilit|sites?|plants?|mines?|expansion|development|exploration|infrastructure|assets)))"
)
_RANGE_PER_SHARE_AFTER = re.compile(r"^\s*(?:and|to|-|–)\s*(?:US|USD\s*)?\$?[\d.,]+\s*(?:per|a|/)\s*(?:common |ordinary )?(?:share|unit|ADS)", re.IGNORECASE)
_EPS_NAMED_BEFORE = Anchored(re.compile(
    r"(?:\bEPS|(?:earnings|income|loss|profit)\s+per\s+(?:\w+\s+)?(?:share|ADS))\b[^.;$]{0,40}$", re.IGNORECASE
))
_EPS_BEFORE = Anchored(re.compile(
    r"(?:net (?:income|loss|earnings|profit)|EBITDA|earnings|\bEPS\b|\bloss\b|profit|income)(?:[^.;$]|\.(?=\d)|\$[\d.,]+)*?(?:\$\(?[\d.,]+\)?\s*(?:[A-Za-z]+)?\s*,?\s*(?:or|and)\s*|:\s*|of\s+|was\s+)$",
    re.IGNORECASE,
))
# Deal kinds a headline can set as the topic that bare "payment" amounts inherit.
_LICENSING_KINDS = frozenset({"upfront", "milestone", "royalty", "license_fee"})
_TOPIC_KINDS = frozenset({"upfront", "milestone", "royalty", "license_fee", "acquisition_price", "financing", "grant", "contract_value"})
# The topic kinds' cues with a start scan of their own: a headline is scanned for their start strings only.
_TOPIC_CUES = tuple(entry for entry in KIND_REGEX if entry[0] in _TOPIC_KINDS)
_TOPIC_SCAN = StartScan(regex for _, regex, _ in _TOPIC_CUES)
_TOPIC_TABLE = CueTable((_TOPIC_SCAN.bits[regex], kind, regex, weight) for kind, regex, weight in _TOPIC_CUES)


def document_topic(headline: str) -> str | None:
    """The deal kind a headline (plus lead) is about: its strongest deal cue, the earliest on a tie."""
    best: tuple[float, int, str] | None = None
    lowered = searchable(headline)
    present, offsets = _TOPIC_SCAN.starts(headline, lowered)
    for bit, kind, regex, weight in _TOPIC_TABLE.allowed(present):
        if kind in _TOPIC_KINDS:
            at = offsets.get(bit) if offsets is not None else None
            match = search_at(regex, headline, at) if at is not None else regex.search(headline)
            if match and (best is None or (-weight, match.start()) < (-best[0], best[1])):
                best = (weight, match.start(), kind)
    return best[2] if best else None


_LICENSING_DEAL = Anchored(re.compile(r"licen[cs]|collaborat|royalt|milestone|co-develop|partner", re.IGNORECASE))


# The near end of a range whose far end is a per-unit price ("$15-$60 per ton", "$2 to $3 per pound").
_RANGE_FAR_END_AFTER = re.compile(r"^\s*(?:-|–|—|to)\s*(?:US|USD|C|CAD)?\s*\$?\s*[\d.,]+(?=\s*(?:per|/|a)\b|/)", re.IGNORECASE)
# A noun investment in a company is an equity stake ("announced a $30 million investment in the group").
_INVESTMENT_NOUN_AFTER = re.compile(r"^\s*(?:strategic\s+|equity\s+|minority\s+)?investments?\b", re.IGNORECASE)
_IN_A_COMPANY_AFTER = re.compile(
    r"^\s*in(?:to)?\s+(?:the\s+|its\s+|our\s+)?(?:compan(?:y|ies)|group|firm|start-?up|business)\b(?!\s+(?:operations?|projects?|facilit|sites?|plants?|expansion|development))"
    r"|^\s*in(?:to)?\s+(?-i:[A-Z][\w&.-]*)(?:\s+(?-i:[A-Z][\w&.-]*)){0,4}\s+(?:Inc|Corp|Corporation|Ltd|LLC|plc|AG|SA|Holdings|Group)\b",
    re.IGNORECASE,
)


# Round 5: the money put in at a valuation is the investment, the valuation is the next figure ("received an investment
# of $8 million at a pre-money valuation of $90 million").
_INVESTMENT_OF_BEFORE = Anchored(re.compile(r"\binvestments?\s+of\s+(?:approximately\s+|about\s+|over\s+)?(?:US|USD|C|CAD|EUR)?\s*$", re.IGNORECASE))
_AT_VALUATION_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,3}?at\s+an?\s+(?:[\w-]+\s+)?valuation\b", re.IGNORECASE)


# Business volume named right before the amount ("transaction volume fell 32% y/y to $172M", "deal volume of $1 billion").
_VOLUME_BEFORE = Anchored(re.compile(
    r"\b(?:transaction|deal|trading) (?:activity|volumes?|flow)\b[^.;$]{0,30}?\b(?:of|to|at|reached|totall?ed|was|were|hit)\s*(?:US|USD)?\s*$", re.IGNORECASE
))


# A revenue band that sizes a class of companies is not anyone's revenue: "servicing companies ranging from $50M to $1B+
# in revenue", "mid-market organizations ($50M-$1B revenue)" (not "invests in companies with $10 million in annual
# revenue", which round 2's judge counted as revenue). (Tested only when the next 45 characters name revenue,
# sales or turnover: most windows skip both regexes for three substring tests.)
_BAND_REVENUE_AFTER = re.compile(
    r"^\s*(?:(?:-|–|to)\s*(?:US|USD)?\s*\$?[\d.,]+\s*(?:[MBK]|million|billion|thousand)?\+?\s*)?(?:in\s+)?(?:annual\s+)?(?:revenues?|sales|turnover)\b", re.IGNORECASE
)
_BAND_BEFORE = Anchored(re.compile(
    r"\b(?:compan(?:y|ies)|organi[sz]ations|businesses|firms|enterprises|clients|brands|retailers)\b(?:\s+[\w-]+){0,2}?\s*(?:ranging from|from|between|of|\()\s*(?:between\s+)?(?:US|USD)?\s*$",
    re.IGNORECASE,
))


# Round 6: an amount "in" grants of some sorts is a grant, whoever awards it ("awarded 900 firms over $40 million in cash,
# mentoring and equipment grants"). (Tried only where "rant" is within 70 characters after the amount.)
_IN_GRANTS_AFTER = re.compile(r"^\s*in\s+(?:[\w-]+,?\s+(?:and\s+)?){0,5}?grants\b", re.IGNORECASE)
# Round 6: a per-unit figure after a revenue word in its clause is per-unit revenue ("revenue per gallon increased by $0.14
# per gallon"), not a price or cost; a price word between leaves it a unit price ("revenue rose as the oil price hit $80 per barrel").
_PER_UNIT_REVENUE_BEFORE = Anchored(re.compile(r"\b(?:revenues?|net sales)\b(?:(?!price|cost|fee|beyond)[^.;$]){0,40}$", re.IGNORECASE))
# (nor a per-unit fee, price or cost named after the unit: "a revenue stream beyond the $20-$45 per ton tipping fees")
_UNIT_CHARGE_AFTER = re.compile(r"\s*(?:[\w-]+\s+)?(?:fees?|prices?|costs?|charges?|rates?)\b", re.IGNORECASE)


# Round 7 (scripts/kinds_unseen7). A price something "starts at" is a list price ("Node licenses start at just $150",
# "tickets start at $15"); a share or unit price is decided before this (per share, share levels).
_STARTS_AT_BEFORE = Anchored(re.compile(
    r"\b(?:starts?|starting|started|begins?|beginning)\s+(?:at|from)\s+(?:just\s+|only\s+|as low as\s+|around\s+|about\s+)?(?:US|USD|C|CAD|A|AU|EUR)?\s*$",
    re.IGNORECASE,
))
# Funding a public body approves or a law provides is a grant ("The city and state have approved nearly $9 million in
# funding for VDC", "secured $27M of infrastructure funding through collaborative legislation"): "$X in/of ... funding"
# with a city, state, county, government or legislature in the sentence. (Funding from investors is left to the cues.)
_FUNDING_AFTER = re.compile(r"^\s*(?:in|of)\s+(?:[\w-]+\s+){0,2}?funding\b", re.IGNORECASE)
_PUBLIC_BODY = Anchored(re.compile(
    r"\b(?:city|state(?!-)|county|municipal\w*|federal|government|governor|legislat\w*|congress\w*|council|ministry|parliament|taxpayer\w*)\b",
    re.IGNORECASE,
))


def _public_funding(window: Window) -> bool:
    """True for "$X in/of (up to two words) funding" with a public body in the sentence (`_PUBLIC_BODY`)."""
    after = window.after
    if not ("unding" in after[:40] or "UNDING" in after[:40]) or not _FUNDING_AFTER.match(after):
        return False
    return bool(_PUBLIC_BODY.search_in(*window.tail(160)) or _PUBLIC_BODY.search(after[:120]))


# Round 7 (check2, read after its first score). A dividend stated "in the amount of" is a dividend per share however far
# the word is ("quarterly cash dividend payments by the Company in the amount of $0.0025 per share"); a royalty paid
# "until payments ... total $X" is capped at that royalty total ("royalty payments of 7% of sales ... until payments to
# the Company total $250 million"), not revenue.
_DIVIDEND_AMOUNT_BEFORE = Anchored(re.compile(r"\bdividends?\b[^.;$]{0,80}\bin the amount of\s*(?:US|USD|C|CAD)?\s*$", re.IGNORECASE))
_ROYALTY_CAP_BEFORE = Anchored(re.compile(
    r"\buntil\s+(?:the\s+)?(?:cumulative\s+|aggregate\s+|total\s+)?(?:royalty\s+)?payments\b[^.;$]{0,60}?\b(?:totals?|totall?ing|reach(?:es)?|equals?)\s+(?:US|USD|C|CAD)?\s*$",
    re.IGNORECASE,
))


def _royalty_cap(window: Window) -> bool:
    """True for "until (royalty) payments ... total $X" in a sentence that names a royalty (`_ROYALTY_CAP_BEFORE`)."""
    before = window.before[-200:]
    return ("oyalt" in before or "OYALT" in before) and "until" in before.lower() and bool(_ROYALTY_CAP_BEFORE.search_in(*window.tail(100)))


# "... per $X" (a denomination): tested on the last four characters once trailing whitespace is stripped (the same
# matches as searching `\bper\s*$` in the whole text, which tried the pattern at every position of every window).
_PER_END = re.compile(r"\bper$")


def _decided_kind(window: Window, value: float) -> tuple[str, float, str] | None:
    """Constructions that settle the kind outright: per-unit prices, EPS, price targets, investments."""
    after = window.after
    far_end = _RANGE_FAR_END_AFTER.match(after)
    physical = _PER_PHYSICAL_AFTER.match(after) or (far_end and _PER_PHYSICAL_AFTER.match(after[far_end.end() :]))
    if physical and _RECURRING_PAYMENT_BEFORE.search_in(*window.tail(40)) and _PER_PERIOD.match(physical.group(0)):
        physical = None  # "an advance royalty of $40,000 per year": a payment's schedule, not a per-unit price
    if physical:
        before = window.before[-50:]
        if (
            ("evenue" in before or "ales" in before or "EVENUE" in before)
            and _PER_UNIT_REVENUE_BEFORE.search_in(*window.tail(50))
            and not _UNIT_CHARGE_AFTER.match(physical.string, physical.end())
        ):
            return "revenue", 0.7, "per-unit revenue"
        return "other", 0.8, physical.group(0).strip()
    if _FACE_VALUE_BEFORE.search_in(*window.tail(40)) or _face_value_change(window):
        return "other", 0.8, "face value"
    if _TOKEN_PRICE_BEFORE.search_in(*window.tail(80)):
        return "other", 0.75, "token price"
    if _VOLUME_BEFORE.search_in(*window.tail(80)):
        return "other", 0.7, "business volume"
    ahead = after[:80]  # every match holds "facilit" within it: a substring test skips the regex for almost every amount
    if ("acilit" in ahead or "ACILIT" in ahead) and _FACILITY_AFTER.match(after):
        return "financing", 0.7, "facility"
    if _CASH_HELD_BEFORE.search_in(*window.tail(30)) and _IN_CASH_AFTER.match(after):
        return "cash", 0.7, "held in cash"
    if "cash" in after[:12] and _CASH_POSITION_AFTER.match(after):
        return "cash", 0.7, "cash position"
    if _OF_STOCK_AFTER.match(after) and _OFFERING_NEAR.search_in(*window.tail(200)):
        return "financing", 0.7, "stock offered"
    if _EPS_NAMED_BEFORE.search_in(*window.tail(80)):
        return "earnings", 0.85, "earnings per share"
    if _PER_END.search(window.before.rstrip()[-4:]):
        return "other", 0.7, "per (denomination)"
    near = window.before[-60:] + after[:40]
    per_share = _PER_SHARE_AFTER.match(after) or _RANGE_PER_SHARE_AFTER.match(after) or (_EACH_AFTER.match(after) and _SECURITIES_BEFORE.search_in(*window.tail(100)))
    if per_share and (re.search(r"dividends?\b[^.;$]{0,40}$", window.before) or ("amount of" in window.before[-14:] and _DIVIDEND_AMOUNT_BEFORE.search_in(*window.tail(120)))):
        return "other", 0.8, "dividend per share"
    if (
        per_share
        or _SHARE_PRICE_BEFORE.search_in(*window.tail())
        or _SHARE_MOVE_BEFORE.search_in(*window.tail(80))
        or _share_level(window)
        or _TARGET_NEAR.search(near)
    ):
        if _EPS_BEFORE.search_in(*window.tail(160)) and not _TARGET_NEAR.search(near):
            return "earnings", 0.8, "earnings per share"
        if value < 10_000:
            return "price_per_share", 0.85, "per share"
    if value < 10_000 and _VALUATION_PER_SHARE_BEFORE.search_in(*window.tail(120)):
        return "price_per_share", 0.7, "valuation per share"
    if _royalty_cap(window):
        return "royalty", 0.7, "royalty cap"
    tail = window.before[-30:]
    if ("tart" in tail or "egin" in tail or "TART" in tail or "EGIN" in tail) and _STARTS_AT_BEFORE.search_in(*window.tail(30)):
        return "other", 0.7, "starting price"
    if _public_funding(window):
        return "grant", 0.7, "public funding"
    if "rant" in after[:70] and _IN_GRANTS_AFTER.match(after):
        return "grant", 0.7, "in grants"
    head = after[:45]
    if ("evenue" in head or "ales" in head or "urnover" in head) and _BAND_REVENUE_AFTER.match(after) and _BAND_BEFORE.search_in(*window.tail(80)):
        return "other", 0.7, "revenue band"
    if _INVESTED_BEFORE.search_in(*window.tail()):
        if _INTO_NOTES_AFTER.match(after):
            return "financing", 0.7, "invested in notes"
        if _INTO_COMPANY_AFTER.match(after):
            return "equity", 0.7, "invested in"
    if "nvestment" in window.before[-40:] and _INVESTMENT_OF_BEFORE.search_in(*window.tail(40)) and _AT_VALUATION_AFTER.match(after):
        return "equity", 0.7, "investment at a valuation"
    noun = _INVESTMENT_NOUN_AFTER.match(after)
    if noun and _IN_A_COMPANY_AFTER.match(after[noun.end() :]):
        return "equity", 0.7, "investment in a company"
    return None


def classify_kind(
    window: Window, value: float, topic: str | None = None, licensing_deal: bool = True, *, sides: Sides | None = None
) -> tuple[str, float, str | None]:
    """(kind, confidence in 0..1, cue) for one mention's window (`sides`: its `cue_sides`, if already computed)."""
    decided = _decided_kind(window, value)
    if decided:
        return decided
    return _voted_kind(sides if sides is not None else cue_sides(window), value, topic, licensing_deal)


_PURCHASE_WORDS = Anchored(re.compile(r"(?<!re)purchas|\bbuy|\border|\bsuppl|\bdeliver", re.IGNORECASE))


def _voted_kind(sides: Sides, value: float, topic: str | None, licensing_deal: bool, in_lead: bool = True) -> tuple[str, float, str | None]:
    """The kind cues' vote, for a window no construction decides (`in_lead`: the amount is in the headline or lead)."""
    votes = _vote(sides, _KIND_TABLE)
    if value >= 10_000:
        votes.pop("price_per_share", None)
    if not votes:
        # An amount without any cue takes the headline's deal topic only where the release states its deal, in the
        # headline and lead; farther down an uncued amount is a price level, a product price or a table cell, not the deal.
        return (topic, 0.2, "topic") if topic and in_lead else ("other", 0.0, None)
    ranked = sorted(votes.items(), key=lambda item: item[1][0], reverse=True)
    kind, (score, cue) = ranked[0]
    if kind == "dealvalue":
        kind = "acquisition_price" if topic == "acquisition_price" or "acquisition_price" in votes else ("valuation" if cue.lower() == "equity value" else "contract_value")
    elif kind in ("payment", "generic"):
        specific = [(k, v) for k, v in ranked if k not in ("payment", "generic", "dealvalue") and v[0] >= 0.45]
        if kind == "payment" and cue.lower() == "consideration" and topic not in _LICENSING_KINDS:
            return "acquisition_price", 0.5, cue
        if specific and specific[0][1][0] >= 0.8:
            kind, (score, cue) = specific[0]
            return kind, round(min(1.0, score / 2.5) * 0.8, 3), cue
        if topic:
            return topic, 0.4, f"{cue} (topic)"
        if specific:
            kind, (score, cue) = specific[0]
        else:
            # (a bare commitment or pledge names no contract: "a commitment of $250 million to boost clean energy",
            # "$20 billion already committed to its new plants"; a commitment to buy is one: "a commitment to purchase $3
            # million worth of units"; round 5)
            pledge = cue.lower().startswith("commit") and not any(_PURCHASE_WORDS.search(side_text) for side_text, _, _, _, _ in sides)
            return ("contract_value" if kind == "generic" and not pledge else "other"), 0.2, cue
    if kind in ("upfront", "milestone") and topic and topic not in _LICENSING_KINDS and not licensing_deal:
        return topic, 0.4, f"{cue} (topic)"
    runner_up = next((v[0] for k, v in ranked if k != kind), 0.0)
    confidence = min(1.0, score / 2.5) * (1.0 - 0.5 * runner_up / score)
    return kind, round(confidence, 3), cue


# An agreed deal term stays a fixed term when the release hedges only its timing or rounding:
# "gross proceeds ... are expected to be approximately $4.7 million", "cash consideration expected to
# be approximately $2.3 million". (Guidance, "revenue is expected to be $X", is not a deal term.)
_DEAL_TERMS = frozenset({"financing", "acquisition_price", "upfront", "license_fee", "equity", "price_per_share"})
_EXPECTED_TERM_BEFORE = Anchored(re.compile(
    r"\b(?:proceeds|consideration|purchase price|price)\b[^.;$]{0,60}\b(?:expected|anticipated|estimated) to (?:be|total|amount to)\s+(?:approximately|about|roughly|around|~)?\s*(?:US|USD|C|CAD)?\s*$",
    re.IGNORECASE,
))
# Round 7: likewise the proceeds an agreed transaction "is expected to generate" ("The transaction is expected to generate
# approximately $3.8 million in gross proceeds before fees and expenses"), unless a condition follows in the sentence.
_EXPECTED_PROCEEDS_BEFORE = Anchored(re.compile(
    r"\b(?:expected|anticipated|estimated)\s+to\s+(?:generate|raise|result in|yield|bring in|provide)\s+(?:approximately|about|roughly|around|~)?\s*(?:US|USD|C|CAD)?\s*$",
    re.IGNORECASE,
))
_PROCEEDS_AFTER = re.compile(r"^\s*(?:in|of)\s+(?:aggregate\s+|total\s+)?(?:gross|net)\s+proceeds\b", re.IGNORECASE)


def _expected_proceeds(window: Window) -> bool:
    """True for proceeds "expected to generate $X in gross/net proceeds" with no condition in the sentence."""
    return bool(
        _PROCEEDS_AFTER.match(window.after)
        and _EXPECTED_PROCEEDS_BEFORE.search_in(*window.tail(80))
        and not _CONDITION.search(window.after.split(".")[0])
    )


# ... unless the term itself depends on a condition ("if the underwriters exercise their option in full").
_CONDITION = Anchored(re.compile(r"\b(?:if|assuming|unless|provided that|option)\b", re.IGNORECASE))
_FORWARD_HEADING = Anchored(re.compile(r"outlook|guidance|forecast|projections?|targets|expectations", re.IGNORECASE))
# A heading that also names reported figures ("Financial Performance and Market Outlook") covers both.
_RESULTS_HEADING = Anchored(re.compile(r"results|performance|highlights|review", re.IGNORECASE))


# A figure a past-tense move arrived at happened, even with a "reaching"/"to"/"between" after the verb:
# "saw a healthy rise, reaching $6.96 billion", "hit an intraday high of $0.2475", "skyrocketed from $10k
# to $24 million", "now trades between $0.15 and $0.13", a price "reduced from $300 to $259" or "Down from $299.00 to $249.00".
# Forward words in between keep it open ("rose and could reach").
_PAST_MOVE_BEFORE = Anchored(re.compile(
    r"\b(?:rose|grew|increased|climbed|surged|soared|jumped|skyrocketed|spiked|rallied|fell|dropped|declined|decreased|slipped|sank|plunged|tumbled"
    r"|hit|hits|reached|touched|trades|traded|(?:is|was) (?:up|down)|(?:is|was) (?:sitting|trading|priced) at"
    r"|reduc(?:ed|es|ing)|discounted|lower(?:ed|s|ing)|slashed|marked down|(?:down|up) from(?=(?:[^.;!?]|\.(?=\d))*?\bto\b)"
    r"|(?:intraday|all-time|record|previous|monthly|weekly|52-week) (?:highs?|lows?)|saw (?:a |an )?(?:\w+ )?(?:rise|increase|decline|drop|jump))\b((?:[^.;!?]|\.(?=\d)){0,70})$",
    re.IGNORECASE,
))
_FORWARD_WORDS = Anchored(re.compile(r"\b(?:could|may(?!\s*\d)(?!,? (?:19|20)\d\d)|might|would|will|if|expect\w*|forecast\w*|target\w*|predict\w*|project\w*|aim\w*|towards?|potential\w*|by (?:the end|19|20))\b", re.IGNORECASE))


def _past_move(window: Window) -> bool:
    """True when the amount ends a past-tense price or figure move with no forward word in between."""
    before = window.before
    tail, lowered = window.tail(90)
    match = _PAST_MOVE_BEFORE.search_in(tail, lowered)
    if not match or _FORWARD_WORDS.search(match.group(1)):
        return False
    # "is forecast to hit", "could reach": a forward word just before the verb makes the move a forecast
    lead = before[: len(before) - len(tail) + match.start()][-40:]
    return not (_FORWARD_WORDS.search(lead) or re.search(r"\bto\s*$", lead))


# A forecast verb right before the amount makes a following year a target year, not a reporting period:
# "investment is expected to exceed $400 billion in 2025", "projected to reach $2 billion in 2027". The base
# value a forecast starts from stays actual ("projected to grow from $4.2 billion in 2024 to ...").
_FORWARD_VERB_BEFORE = Anchored(re.compile(
    # (round 5: also a forecast named as a noun, "amid predictions of a $900 peak in 2026")
    r"\b(?:(?:predictions?|forecasts?|projections?|estimates?|expectations?)\s+(?:of|for)\s+(?:an?\s+)?|(?:expected|projected|forecast(?:ed)?|estimated|anticipated|predicted|set|poised|slated|on track)\s+to\s+(?:(?!from\b)\w+\s+){0,2}?|(?:will|would|could|may)\s+(?:(?!from\b)\w+\s+){0,2}?|(?:will|would|could|can|may|might)\s+(?:(?!from\b)[\w’'-]+\s+){0,4}?to\s+)"
    r"(?:approximately\s+|about\s+|around\s+|over\s+|nearly\s+|more than\s+)?(?:US|USD|C|CAD|EUR)?\s*$",
    re.IGNORECASE,
))


# A future-tense verb right before the amount is a forecast ("the overall business impact will be $3.9M", "sales
# will reach $2 billion"); an agreed deal term stays fixed ("the purchase price will be $4 million": _DEAL_TERMS).
_WILL_BEFORE = Anchored(re.compile(
    r"\b(?:will|shall)\s+(?:be|reach|total|exceed|hit|generate|become|achieve|surpass|top|grow\s+to|rise\s+to|climb\s+to)\s+"
    r"(?:approximately\s+|about\s+|around\s+|roughly\s+|over\s+|more than\s+|nearly\s+|at least\s+)?(?:US|USD|C|CAD|EUR)?\s*$"
    # round 5: a saving or gain the future brings, with its beneficiary ("the move will save the company $50,000 per month")
    r"|\b(?:will|shall)\s+(?:save|add|bring|deliver)\s+(?:(?:the\s+)?[\w-]+\s+)?(?:approximately\s+|about\s+|around\s+|roughly\s+|over\s+|more than\s+|nearly\s+|at least\s+)?(?:US|USD|C|CAD|EUR)?\s*$",
    re.IGNORECASE,
))


# The start of a forecast "grow from A to B" is its base value, which happened ("the market is forecast to grow
# from $16.6bn to $63.8bn between 2023 and 2032"); the year-"in" rule covers "grow from $4.2 billion in 2024 to".
_FORECAST_BASE_BEFORE = Anchored(re.compile(
    r"\b(?:grow|grows|growing|rise|rises|rising|increase|increases|increasing|expand|expands|expanding|climb|climbing|surge|surging)\s+from\s+"
    r"(?:approximately\s+|about\s+|around\s+|an estimated\s+|roughly\s+)?(?:US|USD|C|CAD|EUR)?\s*$",
    re.IGNORECASE,
))
_FORECAST_FAR_END_AFTER = re.compile(r"^\s*(?:\w+\s+){0,2}?to\b", re.IGNORECASE)


# An option exercised in full at the closing happened, though printed as "up to": "closed $460.0 million of notes,
# including the full exercise of the option granted for the purchase of up to $60.0 million".
# (Searched only where "xercise" is printed: a substring test instead of lower-casing the text for an anchor test.)
_OPTION_EXERCISED_BEFORE = Anchored(re.compile(r"\bincluding\s+(?:the\s+)?(?:full|partial)\s+exercise\b[^.;$]{0,100}$", re.IGNORECASE))


def _option_exercised(before: str) -> bool:
    """True when the amount follows "including the full/partial exercise of ..." in its clause."""
    tail = before[-120:]
    return "xercise" in tail and _OPTION_EXERCISED_BEFORE.search(tail) is not None


def classify_status(window: Window, kind: str, *, sides: Sides | None = None) -> tuple[str, float, str | None]:
    """('actual' | 'potential', confidence, cue) for one mention's window (`sides`: its `cue_sides`, if already computed)."""
    if kind == "price_per_share" and (_TARGET_NEAR.search(window.before[-80:] + window.after[:40]) or _VALUATION_PER_SHARE_BEFORE.search_in(*window.tail(120))):
        return "potential", 0.9, "price target"
    if kind == "price_per_share" and not re.search(r"(?:up to|as much as|additional)\s*(?:US|USD)?\s*$", window.before, re.IGNORECASE):
        return "actual", 0.6, "fixed price term"
    if kind in _DEAL_TERMS and _EXPECTED_TERM_BEFORE.search_in(*window.tail(120)) and not _CONDITION.search_in(*window.tail()):
        return "actual", 0.6, "agreed term (expected timing)"
    if kind in _DEAL_TERMS and "roceeds" in window.after[:30] and _expected_proceeds(window) and not _CONDITION.search_in(*window.tail()):
        return "actual", 0.6, "agreed term (expected proceeds)"
    if window.heading and _FORWARD_HEADING.search(window.heading) and not _RESULTS_HEADING.search(window.heading):
        return "potential", 0.8, window.heading
    if _past_move(window) and not _FORWARD_WORDS.search(window.after[:30]):
        return "actual", 0.6, "past move"
    if _FORECAST_BASE_BEFORE.search_in(*window.tail(50)) and _FORECAST_FAR_END_AFTER.match(window.after):
        return "actual", 0.6, "forecast base"
    if kind not in _DEAL_TERMS and _WILL_BEFORE.search_in(*window.tail(40)):
        return "potential", 0.7, "will be"
    year = _YEAR_AFTER.match(window.after)
    if year:
        prep = year.group("prep").lower()
        if prep == "by" or _FORWARD_VERB_BEFORE.search_in(*window.tail(60)):
            return "potential", 0.7, year.group(0).strip()
        return "actual", 0.7, year.group(0).strip()
    sides = sides if sides is not None else cue_sides(window)
    potential = _vote(sides, _POTENTIAL_TABLE).get("potential", (0.0, None))
    actual = _vote(sides, _ACTUAL_TABLE).get("actual", (0.0, None))
    if potential[0] > actual[0] * 1.1 and potential[0] > 0.6:
        if _option_exercised(window.before):
            return "actual", 0.6, "option exercised"
        return "potential", round(min(1.0, potential[0] / 2.0), 3), potential[1]
    return "actual", round(min(1.0, actual[0] / 2.0), 3), actual[1]


_NAME = r"(?:[A-Z][\w.&'’-]*(?:\s+(?:&\s+)?[A-Z0-9][\w.&'’-]*){0,5})"
_PAYER_AFTER = re.compile(rf"^[^.;]{{0,80}}?\b(?:from|by)\s+(?:the\s+)?(?P<name>{_NAME})")
_PAYEE_AFTER = re.compile(rf"^[^.;]{{0,60}}?\bto\s+(?:the\s+)?(?P<name>{_NAME})")
_RECEIVER_BEFORE = Anchored(re.compile(rf"(?P<name>{_NAME})(?:,[^,]{{0,60}},)?\s+(?:has\s+|have\s+|will\s+|remains\s+|is\s+)?(?:\w+\s+)?(?:received|receives|receive|collected|is entitled to|eligible (?:to receive|for)|earned|was awarded|has been awarded|secured|secures)\b[^.;]*$"))
_PAYER_BEFORE = Anchored(re.compile(rf"(?P<name>{_NAME})(?:,[^,]{{0,60}},)?\s+(?:has\s+|have\s+|will\s+)?(?:\w+\s+)?(?:paid|pays|pay|delivered|invested|invests|agreed to pay|will pay)\b[^.;]*$"))


def _parties(window: Window, kind: str) -> tuple[str | None, str | None]:
    """Payer and payee when the sentence names them with a payment verb or from/to."""
    payer = payee = None
    receiver = _RECEIVER_BEFORE.search_in(*window.tail())
    if receiver:
        payee = receiver.group("name")
        source = _PAYER_AFTER.match(window.after)
        payer = source.group("name") if source else None
    giver = _PAYER_BEFORE.search_in(*window.tail())
    if giver and not payer:
        payer = giver.group("name")
        target = _PAYEE_AFTER.match(window.after)
        payee = payee or (target.group("name") if target else None)
    return payer, payee


# "reaching" after a forward word in the sentence is a forecast ("is expected to grow at a CAGR of 18.69% from 2023 to
# 2033, reaching $51 billion", "focuses on reaching a market capitalization of $300 million"); the clipped window
# often starts at "reaching", so this reads the whole sentence.
_REACHING_FORECAST_BEFORE = Anchored(re.compile(
    r"\b(?:expect|forecast|project|anticipat|estimat|predict|poised|on track|aim|target|goal|focus\w* on|(?:will|could|might|would|set to)\b)\w*"
    r"(?:[^.;!?]|\.(?=\d)){0,120}?\breaching\s+(?:(?:a|an|the|of|over|about|approximately|around|nearly|more than|roughly|market|capitali[sz]ation|valuation)\s+)*(?:US|USD|C|CAD|EUR)?\s*$",
    re.IGNORECASE,
))


# Round 5 (scripts/kinds_unseen5). A user's return on an investment plan, stated per day or for a number of days, is a
# payout, not a company's earnings ("Invest $200 for 3 days and earn a total profit of $9", "earns $950 per week").
# Round 7: sales or revenue a forecaster or research firm counts are a market figure ("online sales are expected to hit a
# record $253.4 billion, according to Adobe's latest forecast"), not the company's revenue ("according to the company's
# annual report" stays revenue).
_ACCORDING_TO_RESEARCH = Anchored(re.compile(
    r"\baccording to\s+(?!(?:the\s+)?(?:company|its|our|their)\b)(?:[^.;!?]){0,50}?\b(?:forecasts?|reports?|stud(?:y|ies)|surveys?|research|data|analysis|analytics|estimates?)\b",
    re.IGNORECASE,
))


def _cited_market_figure(wide: Window) -> bool:
    """True when the amount's sentence cites a forecast, report, study or survey (`_ACCORDING_TO_RESEARCH`)."""
    return any(("ccording" in part or "CCORDING" in part) and _ACCORDING_TO_RESEARCH.search(part) for part in (wide.before[-200:], wide.after[:200]))


_BARE_PROFIT_CUE = re.compile(r"(?:total\s+)?(?:profits?|earnings|returns?)", re.IGNORECASE)
_USER_PERIOD = re.compile(r"\b\d+[- ]days?\b|\b(?:a|per|each|every)\s+(?:day|week)\b|\b(?:daily|weekly)\b", re.IGNORECASE)
# A share price a forecast moves to is a forecast ("predicts the share price will nearly double from $6.20 to $12 per
# share", "the stock would surge to at least $30 per share"); the near end of such a "from A to B" is the price it starts from.
_FORWARD_TO_BEFORE = Anchored(re.compile(
    r"\b(?:predicts?|predicted|expects?|forecasts?|will|could|would|might)\b(?:[^.;!?$]|\.(?=\d)|\$[\d.,]+){0,80}?\bto\s+"
    r"(?:at\s+least\s+|over\s+|about\s+|around\s+|nearly\s+|roughly\s+)?(?:US|USD|C|CAD)?\s*$",
    re.IGNORECASE,
))
_FORWARD_TO_ENDS = (" to", " least", " over", " about", " around", " nearly", " roughly", " US", " USD", " C", " CAD", " TO")
_FROM_NEAR_BEFORE = Anchored(re.compile(r"\bfrom\s+(?:[\w'’-]+\s+){0,4}?(?:US|USD|C|CAD)?\s*$", re.IGNORECASE))
# An amount added to the one before it in the sentence ("could add $3 million in annual revenue, along with $800,000 in
# net income", "forecasts revenue of ..., as well as EBITDA of $10 million") is part of the same statement: with no status
# cue of its own it shares that amount's status.
_CONTINUATION_BEFORE = Anchored(re.compile(
    r"\b(?:along with|as well as|together with)\s+(?:[\w-]+\s+){0,3}?(?:approximately\s+|about\s+|roughly\s+)?(?:US|USD|C|CAD)?\s*$", re.IGNORECASE
))
# The figures of a mining study (PEA, pre-feasibility or feasibility study) are projections: costs per ounce, capex,
# the gold price assumed, NPV ("The PEA outlined all-in sustaining costs of $1,150/oz", "At $2,200/oz gold, the study
# generated ...").
_STUDY_NEAR = Anchored(re.compile(
    r"(?-i:\b(?:PEA|PFS|DFS|BFS)\b)|\bpreliminary economic assessment|\b(?:pre-?)?feasibility stud(?:y|ies)|\bscoping stud(?:y|ies)"
    r"|\bstudy\s+(?:generated|outlined|showed|shows|estimates?|returned|demonstrated|indicates?)\b",
    re.IGNORECASE,
))


def _study_figure(wide: Window) -> bool:
    """True when the amount's sentence names a mining study (`_STUDY_NEAR`)."""
    return any(_STUDY_NEAR.search(part) for part in (wide.before, wide.after[:100]))
# (not money spent on the study, nor a price the text reports as it was: "when the feasibility study was completed, the
# gold price was about $1,700 an ounce")
_SPENT_BEFORE = Anchored(re.compile(r"\b(?:spent|spend(?:s|ing)?|paid|pays?|invested|incurred|raised|funded|cost of|was|were)\s+(?:\w+\s+)?(?:US|USD|C|CAD|A|AU)?\s*$", re.IGNORECASE))


def propose_for_window(
    window: Window,
    value: float,
    topic: str | None = None,
    wide: Window | None = None,
    previous: RoleProposal | None = None,
    licensing_deal: bool = True,
    in_lead: bool = True,
) -> RoleProposal:
    """Kind, status and parties for one mention.

    `window` is clipped off the neighbouring amounts' cues; `wide` is the whole sentence, used for
    constructions that span amounts ("net income of $3 million, or $0.06 per share") and when the
    clipped window has no cue; `previous` is the amount before it in the same sentence, whose
    kind an uncued amount in an enumeration inherits ("$0.94 million, ... compared to $0.82 million").
    """
    wide = wide or window
    sides = None  # the window's cue sides, scanned once when a vote needs them
    decided = _decided_kind(wide, value)
    if decided is None and window != wide:  # an unclipped window is the wide one: decided the same
        decided = _decided_kind(window, value)
    if decided is None:
        sides = cue_sides(window)
    kind, kind_conf, cue = decided if decided else _voted_kind(sides, value, topic, licensing_deal, in_lead)  # type: ignore[arg-type]
    if (cue is None or cue == "topic") and previous is not None:
        kind, kind_conf, cue = previous.kind, 0.3, "enumeration"
    if kind == "earnings" and cue is not None and _BARE_PROFIT_CUE.fullmatch(cue) and _USER_PERIOD.search(wide.before[-160:] + " " + wide.after[:80]):
        kind, kind_conf, cue = "other", 0.6, "user payout"
    if kind == "revenue" and _cited_market_figure(wide):
        kind, kind_conf, cue = "other", 0.6, "cited market figure"
    status, status_conf, status_cue = classify_status(window, kind, sides=sides)
    if kind == "price_per_share" and status_cue == "fixed price term" and wide.before[-24:].rstrip().endswith(_FORWARD_TO_ENDS) and _FORWARD_TO_BEFORE.search_in(*wide.tail(120)):
        status, status_conf, status_cue = "potential", 0.6, "forecast price"
    if previous is not None and status_cue is None and status != previous.status and _CONTINUATION_BEFORE.search_in(*wide.tail(60)):
        status, status_conf, status_cue = previous.status, 0.4, "continued statement"
    if (
        status == "actual"
        and kind in ("other", "valuation")
        and _study_figure(wide)
        and not _SPENT_BEFORE.search_in(*window.tail(40))
    ):
        status, status_conf, status_cue = "potential", 0.6, "study figure"
    if status == "actual" and "reaching" in window.before[-60:] and _REACHING_FORECAST_BEFORE.search_in(*wide.tail(240)):
        status, status_conf, status_cue = "potential", 0.6, "forecast reaching"
    # decided on the whole sentence; the clipped window may have lost "valuation" ("... a valuation range of $8.10 to $9.90
    # with a mid-point of $9.00")
    if cue == "valuation per share" or (
        kind == "price_per_share" and status == "actual" and ("aluation" in wide.before or "ALUATION" in wide.before) and _VALUATION_PER_SHARE_BEFORE.search_in(*wide.tail(120))
    ):
        status, status_conf, status_cue = "potential", 0.8, "valuation per share"
    payer, payee = _parties(wide, kind)
    confidence = round((kind_conf + status_conf) / 2, 3)
    cues = "; ".join(c for c in (cue, status_cue) if c)
    kind_cued = cue not in (None, "topic", "enumeration")
    return RoleProposal(kind=kind, status=status, payer=payer, payee=payee, confidence=confidence, cue=cues or None, kind_cued=kind_cued)  # type: ignore[arg-type]


_SEPARATOR = re.compile(
    r",|;|\(|\)|\b(?:and|or|plus)\s+(?=(?:a|an|the|its|their|our|approximately|about)\b|[A-Z]{0,3}[$€£¥])|\bwith\b|\bwhile\b", re.IGNORECASE
)
_RANGE_GAP = re.compile(r"^\s*(?:to|-|–|—|and)\s*$")
# "and" joins a range only after "between" ("between $2 and $3"); otherwise it lists two line items
# ("gross receivables of $403,790 and $70,824 in fee income").
_BETWEEN_BEFORE = Anchored(re.compile(r"\bbetween\s+(?:US|USD|C|CAD|EUR)?\s*$", re.IGNORECASE))


def _is_range(text: str, near: tuple[int, int], far_start: int) -> bool:
    """True when the amount at `far_start` is the far end of a range that starts at `near`."""
    gap = text[near[1] : far_start]
    if not _RANGE_GAP.match(gap):
        return False
    return gap.strip() != "and" or bool(_BETWEEN_BEFORE.search(text[max(0, near[0] - 20) : near[0]]))
# The comparison figure of a reported one: "(previous year: EUR 383.1 million)", "compared with $7.7 million",
# "(H1 2024: EUR 4.8 million)", "(PY: $2.1 million)", "up from $3.5 million". It is the same line item, and it happened.
_COMPARATOR_BEFORE = Anchored(re.compile(
    r"\b(?:as\s+)?compared\s+(?:to|with)\s+(?:approximately\s+|about\s+)?(?:US|USD|EUR|C|CAD)?\s*$|\b(?:versus|vs\.?)\s*(?:US|USD|EUR)?\s*$"
    r"|\b(?:up|down)\s+(?:\w+\s+)?from\s+(?:approximately\s+|about\s+)?(?:US|USD|EUR|C|CAD)?\s*$"
    r"|\(\s*(?:(?:previous|prior|last) year|PY|(?:[HQ][1-4]|FY|fiscal(?: year)?)?\s*(?:19|20)\d\d(?:/\d\d)?)\s*:\s*(?:US|USD|EUR|GBP|CAD|CHF)?\s*$", re.IGNORECASE
))


# Round 5: the size an instrument can grow to is the same instrument's ceiling ("a $150 million warehouse facility,
# expandable to $250 million", "upsizable to $75 million").
_CEILING_OF_PREVIOUS = Anchored(re.compile(r"\b(?:expandable|upsizable|upsizeable|extendable|scalable|increasable)\s+(?:up\s+)?to\s*(?:US|USD|C|CAD|EUR)?\s*$", re.IGNORECASE))


# A figure in parentheses marked net or gross restates the amount before it: the same line item and status
# ("added $6.6 million in gross proceeds ($6.3 million net) by selling shares of its common stock").
_RESTATED_BEFORE = re.compile(r"\(\s*(?:US|USD|C|CAD|EUR)?\s*$")
_RESTATED_AFTER = re.compile(r"\s*(?:in\s+)?(?:net|gross)\b(?!\s+(?:income|loss|profit|revenues?|sales|margin))", re.IGNORECASE)


def _clip_bounds(index: TextIndex, spans: Sequence[tuple[int, int]], i: int) -> tuple[int, int | None]:
    """Floor and ceiling that keep a mention's window off its same-sentence neighbours' cues.

    Cues between two amounts belong to the nearer one, split at the clause separator nearest
    the mention ("$72.2 million in equity investments, and a $175 million stream financing")."""
    text = index.text
    start, end = spans[i]
    sentence = index.sentence_bounds(start, end)
    floor, ceiling = 0, None
    if i > 0 and index.sentence_bounds(*spans[i - 1]) == sentence:
        prev_end = spans[i - 1][1]
        cuts = [m.end() for m in _SEPARATOR.finditer(text, prev_end, start + 4) if m.end() <= start]
        floor = cuts[-1] if cuts else prev_end
    if i + 1 < len(spans) and index.sentence_bounds(*spans[i + 1]) == sentence:
        next_start = spans[i + 1][0]
        cuts = [m.start() for m in _SEPARATOR.finditer(text, end, next_start + 4) if m.end() <= next_start]
        ceiling = cuts[-1] if cuts else next_start
    return floor, ceiling


# The rest of an amount's clause ("$150 million| in 2025 and 2026, respectively," / "$14 million| in those years,").
_CLAUSE_AFTER = re.compile(r"[^,;:.!?()\n]{0,100}")


def _paired(text: str, end: int, proposal: RoleProposal, first: RoleProposal) -> RoleProposal:
    """Round 5: the second of two amounts joined by "and" after one line item ("analysts forecast revenue of $120 million and
    $150 million in 2025 and 2026", "EBITDA of $10 million and $14 million in those years") takes the first's kind when
    its own clause names none, and then its status too unless its clause holds a potential cue ("... and $5 million upon
    approval"); an amount whose clause names its own line item is its own statement."""
    match = _CLAUSE_AFTER.match(text, end)
    clause = match.group(0) if match else ""
    sides: Sides = [_side(clause, False)] if clause.strip() else []
    if sides and _vote(sides, _KIND_TABLE):
        return proposal  # its own line item ("loans of $2.1 million and $0.4 million in fee income"): its own statement
    status = proposal.status if sides and _vote(sides, _POTENTIAL_TABLE) else first.status
    kind = first.kind
    if (kind, status) == (proposal.kind, proposal.status):
        return proposal
    return replace(proposal, kind=kind, status=status, cue="pair", kind_cued=True)


def _headline(text: str) -> str:
    """The headline line plus the first 300 characters after it: where a release names its topic."""
    match = re.search(r"\S[^\n]*", text)
    if not match:
        return ""
    return text[match.start() : match.end() + 300]


# (also "a maximum grant of $50 thousand"; not "a maximum value/price of", a past high)
_HEDGE_BEFORE = Anchored(re.compile(r"\b(?:up to|as much as|(?:a )?maximum (?:(?:grant|award|amount|investment|loan|funding|contribution|payout|payment|bonus|prize|reward|deposit|subsidy|fine|penalty)\s+)?of|eligible (?:to receive|for)(?: up to)?)\s*(?:an? )?(?:additional |aggregate |total )?$", re.IGNORECASE))


def is_hedged(text: str, span: tuple[int, int]) -> bool:
    """True when the amount is printed as a ceiling ("up to $20 million"): a potential figure (unless the option was exercised)."""
    return bool(_HEDGE_BEFORE.search(text[max(0, span[0] - 40) : span[0]])) and not _option_exercised(text[max(0, span[0] - 120) : span[0]])


def propose_roles(text: str, money: Sequence[MoneyMention]) -> list[RoleProposal]:
    """One `RoleProposal` per money mention, in the order given."""
    index = TextIndex(text)
    headline = _headline(text)
    lead_end = text.find(headline) + len(headline)
    topic = document_topic(headline)
    licensing_deal = bool(_LICENSING_DEAL.search(headline))
    order = sorted(range(len(money)), key=lambda k: money[k].span)
    spans = [money[k].span for k in order]
    proposals: list[RoleProposal | None] = [None] * len(money)
    previous: tuple[tuple[int, int], RoleProposal] | None = None
    previous_k = -1
    for position, k in enumerate(order):
        mention = money[k]
        start, end = mention.span
        floor, ceiling = _clip_bounds(index, spans, position)
        wide = index.window(start, end)
        window = wide if floor == 0 and ceiling is None else index.window(start, end, floor=floor, ceiling=ceiling)
        same_sentence = previous is not None and index.sentence_bounds(*previous[0]) == index.sentence_bounds(start, end)
        proposal = propose_for_window(window, mention.value, topic, wide, previous[1] if same_sentence and previous else None, licensing_deal, start < lead_end)
        if previous is not None and _is_range(text, previous[0], start):
            # the far end of a range ("$148 million to $153 million") shares the near end's role; a range
            # is one statement, so a forward cue after its far end ("$10,000–$15,000 by year-end") makes both potential,
            # and when no cue names the near end's kind, the far end's cue names both ("At ~$3–4B market cap")
            status = "potential" if proposal.status == "potential" else previous[1].status
            kind = previous[1].kind
            near = proposals[previous_k]
            if near is not None and not previous[1].kind_cued and proposal.kind_cued:
                kind = proposal.kind
                near = proposals[previous_k] = replace(near, kind=kind)
            proposal = replace(proposal, kind=kind, status=status, cue="range")
            starts_from = kind == "price_per_share" and _FROM_NEAR_BEFORE.search(text[max(0, previous[0][0] - 60) : previous[0][0]])
            if status == "potential" and near is not None and near.status == "actual" and not starts_from:
                proposals[previous_k] = replace(near, status="potential")
        elif same_sentence and previous is not None and _RESTATED_BEFORE.search(text[max(0, start - 6) : start]) and _RESTATED_AFTER.match(text, end):
            proposal = replace(proposal, kind=previous[1].kind, status=previous[1].status, cue="net/gross figure", kind_cued=True)
        elif same_sentence and previous is not None and _COMPARATOR_BEFORE.search(text[max(0, start - 40) : start]):
            proposal = replace(proposal, kind=previous[1].kind, status="actual", cue="comparison figure", kind_cued=True)
        elif same_sentence and previous is not None and "able" in text[max(0, start - 40) : start] and _CEILING_OF_PREVIOUS.search(text[max(0, start - 40) : start]):
            proposal = replace(proposal, kind=previous[1].kind, status="potential", cue="ceiling of the same", kind_cued=True)
        elif same_sentence and previous is not None and previous[1].kind_cued and start - previous[0][1] <= 7 and text[previous[0][1] : start].strip() == "and":
            proposal = _paired(text, end, proposal, previous[1])
        previous = (mention.span, proposal)
        previous_k = k
        if (
            _RANGE_UPPER_BEFORE.search_in(*wide.tail(40))
            and proposal.status == "actual"
            and not _past_move(wide)
            and not _SPREAD_BEFORE.search_in(*wide.tail(60))
            and not re.match(r"^\s*(?:in|during)\s+(?:19|20)\d\d", wide.after)
        ):
            proposal = replace(proposal, status="potential", cue="upper end of range")
        proposals[k] = proposal
    return [p for p in proposals if p is not None]
