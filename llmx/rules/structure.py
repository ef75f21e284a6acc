"""Where a release names companies that are not parties: corporate structure, history, defined terms.

The gold rules exclude subsidiaries, brands and parent groups that appear only as corporate
structure ("Through its wholly owned subsidiary, X, ..."; "PowerCo, the battery company of the
Volkswagen Group"), former names ("previously known as X") and past deals cited as precedent
("GlaxoSmithKline's 2021 collaboration with X"). These functions find the stretches of text that
name such companies, so `llmx.rules.parties` can drop a company every mention of which lies in one.
"""

from __future__ import annotations

import re

from llmx.rules.scan import WordHits, WordScan, find_all

# Subsidiaries listed in the "About" boilerplate describe the group; in the lead they may be the
# party that acted ("Acme, through its subsidiary Acme AI and in partnership with X, has ...").
_BOILERPLATE_PHRASE = re.compile(
    r"\b(?:through|via)\s+(?:its|their|our|two|three|four|several|various)\s+(?:[\w-]+\s+){0,2}?subsidiar(?:y|ies),?\s+", re.IGNORECASE
)
_ABOUT_HEADING = re.compile(r"(?m)^[ \t]*(?:#+[ \t]*|\*\*)?About[ \t]+[A-Z]")
# The About block's own subsidiaries and holdings, named by their owner ("The company's mineral
# subsidiary, Acme Gold Corp., holds two licences", "Acme's Canadian subsidiary, Acme Exploration Ltd.",
# "its Healthcare Division, which owns Acme Systems, which provides ..."): the group's structure.
# After the first About heading (either case: "ABOUT ACME CORP.:") only; in the lead "its subsidiary,
# X" names the party that acted, and a name printed there too stays.
_ABOUT_OR_CAPS = re.compile(r"[ \t]*(?:#+[ \t]*|\*\*)?(?:About|ABOUT)[ \t]+[A-Z]")
_OWNER_BEFORE = re.compile(r"(?<![\w])(?:its|their|our|\w+['’]s)\s+(?:[\w-]+\s+){0,2}?$")
_SUBSIDIARY_AFTER = re.compile(r"subsidiar(?:y|ies),?\s+(?:the\s+)?(?=[A-Z])")
_WHICH_BEFORE = re.compile(r"(?<![\w])(?:which|that)(?:\s+also)?$")
_OWNS_AFTER = re.compile(r" owns\s+(?:the\s+)?(?=[A-Z])")
# Phrases that introduce names as corporate structure or history anywhere; the names follow.
# Each is searched only in a text holding one of its lower-case literals (most texts hold none).
_STRUCTURE_PHRASES: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    # a former name ("previously known as X"; right after "formerly": "Benestar Brands (formerly Evans Food Group Ltd.)")
    (("previously", "formerly", "f/k/a"), re.compile(
        r"\b(?:previously|formerly)\s+(?:known|named|called)\s+as\s+|(?-i:\b(?:[Ff]ormerly|f/k/a|F/K/A)\s+(?:the\s+)?(?=[A-Z]))", re.IGNORECASE
    )),
    # a source cited for a figure ("according to the Pew Research Center", "as reported by the X
    # Foundation, 3,000 cases", "research published by the X Institute") is not a party
    (("according to", "reported by", "research published by"), re.compile(
        r"\b(?:according\s+to|(?<=\bas )reported\s+by|research\s+published\s+by)\s+(?:the\s+)?(?=[A-Z])", re.IGNORECASE
    )),
    # another name of the same company ("Rural King, also known as RK Holdings, LLP") is an alias
    (("known as",), re.compile(r"(?<=\balso )known\s+as\s+", re.IGNORECASE)),
    # a person's other ventures ("CTO Jane Doe is a serial entrepreneur and co-founder of A, B and C")
    (("founder of",), re.compile(r"\bfounder\s+of\s+(?:the\s+)?(?=[A-Z])", re.IGNORECASE)),
    (("spin", "spun"), re.compile(r"\b(?:spin|spun)[- ]?(?:out|off)\s+(?:of|from)\s+", re.IGNORECASE)),
    (("group from",), re.compile(r"\bgroup\s+from\s+(?=[A-Z])", re.IGNORECASE)),
    # an About block's affiliates and owners ("Our affiliate, X (member FINRA)", "a portfolio company
    # of X", "chartered by the X") are corporate structure, not parties to the news
    (("affiliate",), re.compile(r"\baffiliate,?\s+(?:of\s+)?(?:the\s+)?(?=[A-Z])", re.IGNORECASE)),
    (("portfolio company of",), re.compile(r"\bportfolio\s+company\s+of\s+(?:the\s+)?", re.IGNORECASE)),
    (("chartered by",), re.compile(r"\bchartered\s+by\s+(?:the\s+)?", re.IGNORECASE)),
    # an owner ("City Gear is owned by JD Sports Fashion plc", "a wholly owned subsidiary of X")
    (("owned by", "subsidiary of"), re.compile(r"\b(?:owned\s+by|subsidiary\s+of)\s+(?:the\s+)?(?=[A-Z])")),
    # a parent named as what the company belongs to ("Florida Blue ... is part of GuideWell, a health company")
    (("part of",), re.compile(r"(?:(?<=\bis )|(?<=\band ))part\s+of\s+(?:the\s+)?(?=[A-Z])")),
)
# A past deal cited by its year ("GlaxoSmithKline's 2021 collaboration with Alector"): each deal word
# is found in the lower-cased text (`_LOWERED_SCAN`, quicker than a pattern over the text), then the year before it is checked.
_DEAL_WORDS = ("collaboration", "partnership", "deal", "agreement", "alliance", "transaction", "acquisition")
_YEAR_BEFORE = re.compile(r"(?<!\d)(?:19|20)\d\d\s+$")
_WITH_AFTER = re.compile(r"s?\s+(?:with|of)\s+")


def _past_deal_starts(text: str, printed: WordHits) -> list[int]:
    starts = []
    for word in _DEAL_WORDS:
        for at in printed.disjoint(word):
            after = _WITH_AFTER.match(text, at + len(word)) if _YEAR_BEFORE.search(text, max(0, at - 6), at) else None
            if after:
                starts.append(after.end())
    return starts


# A person's past employers ("she previously served as CFO of X", "his earlier roles include ... at X")
# and other companies' news listed under a roundup heading are history, not parties; a listing
# printed with such a name does not make it one.
_CAREER_PHRASES = re.compile(
    r"\b(?:previously|formerly)\s+(?!(?:announced|disclosed|reported|known|named|called)\b)(?:served\s+as\s+|was\s+|held\s+|worked\s+(?:as\s+)?)?"
    r"(?:the\s+|an?\s+)?(?:[\w-]+,?\s+){0,8}?(?:at|of|with|for)\s+(?=[A-Z])"
    r"|\b(?:earlier|prior|previous|past)\s+(?:roles|positions|posts|experience|career)\s+(?:includes?|included|spans?|spanned)\s+(?:[\w-]+,?\s+){0,8}?(?:at|with)\s+(?=[A-Z])"
    # "most recently serving as Vice President of Sales at X", "after a 15-year tenure at X"
    r"|\bmost\s+recently\s+(?:serving|served|was|worked|working|held|holding|led|leading)\s+(?:as\s+)?(?:the\s+|an?\s+)?(?:[\w-]+,?\s+){0,8}?(?:at|of|with|for)\s+(?=[A-Z])"
    r"|\btenure\s+(?:at|with)\s+(?:the\s+)?(?=[A-Z])",
    re.IGNORECASE,
)
_ROUNDUP_HEADING = re.compile(r"(?im)^[ \t#*]*(?:more|other|related|recent)\b[^\n]{0,40}\bnews\b[^\n]{0,20}:[ \t]*$")
# Contact blocks name the wire, the PR agency or the interviewing outlet: not parties.
_CONTACT_LABEL = re.compile(
    r"(?i)[ \t*]*(?:contact details|contact information|media contacts?|press contacts?|investor(?: relations)? contacts?|"
    r"media (?:inquiries|enquiries)|for (?:media|press|investor) (?:inquiries|enquiries)|ir contact)"
)
# A sentence that describes a wire's network ("one of 40 brands within the X Media network, which
# provides wire distribution, article syndication ...") or its amplification ("This article has been
# amplified by X in collaboration with Y") names the wire's owners and agencies, not parties.
_WIRE_PHRASES = ("wire distribution", "article syndication", "dynamic brand portfolio", "has been amplified by")
_CONTACT_WORDS = ("contact", "inquiries", "enquiries")

_CAREER_WORDS = ("previous", "formerly", "earlier", "prior", "past", "most recently", "tenure")


# Stretches that run to the end of their sentence: a fund's holdings ("The core holdings in the fund
# include A Inc., B Inc. and C Inc.") are investments, not parties; what a person did before joining
# ("Prior to joining TRP, Mr. Liebert held ... including CCO of Acme Supply Group") is a career.
_SENTENCE_PHRASES = re.compile(
    r"(?:(?:(?<=[Cc]ore )|(?<=[Tt]op )|(?<=[Ll]argest )|(?<=[Kk]ey )|(?<=[Mm]ajor )|(?<=[Ff]und ))Holdings|(?<!\w)holdings)"
    r"\s+(?:(?:in|of)\s+the\s+(?:fund|etf|ETF|portfolio|index)\s+)?(?:include[sd]?|such\s+as|consist\s+of|comprise)\s+"
    r"|(?:[Pp]rior\s+to|[Bb]efore)\s+joining\s+[^,.\n]{1,60},\s+"
    # "Prior to her current role, she held positions at A and B"
    r"|[Pp]rior\s+to\s+(?:her|his|their)\s+(?:current\s+|present\s+)?(?:role|position|appointment)[^,.\n]{0,40},\s+"
)
_SENTENCE_WORDS = ("holdings", "prior to ", "before joining")
# Names a sponsored feature cites beside its subject ("Other companies like QuantumScape Corp. (NYSE:
# QS) have ...", "Organizations such as Manchester United PLC, Nike Inc. ... are leveraging"), an
# investor's past portfolio ("notable investments include A, B and C", "has invested in many
# projects, such as A and B") and a customer list in boilerplate ("technology has been used by
# organizations including A, B and C") are comparables, history and boilerplate: to the end of the
# sentence. A name also printed elsewhere (the featured company's "NOTE TO INVESTORS" line) stays.
# "companies like X" is a comparable only as its sentence's subject: as an object ("donated to
# charities such as X", "backed by firms like X", "counts enterprises like X" among its customers,
# "partnerships with organizations like X") it names parties.
_OBJECT_WORDS = re.compile(
    r"\b(?:to|with|by|for|from|among|between|counts?|counting|serves?|serving|includes?|including|partners?|customers|clients|"
    r"backed|supports?|supported|donated|donates)\b", re.IGNORECASE
)
_CLAUSE_START = re.compile(r"[.;:!?\n]\s*")
# Every phrase ends with its list word (like, such as, include ...): found with str.find, then the
# words before it are read backwards.
_COMPARABLE_TAIL = re.compile(r"(?P<tail>like|such\s+as|include[sd]?|including)\s+")
_TAIL_WORDS = ("such as", " like ", "includ")
_COMPARABLE_NOUNS = frozenset({"companies", "firms", "enterprises", "organizations", "organisations", "entities"})
# Stocks a feature cites ("the rally, fueled by technology stocks like Nvidia (Nasdaq: NVDA)") are
# comparables wherever the phrase stands: a stock is what is traded, not a party.
_STOCK_NOUNS = frozenset({"stocks", "equities", "tickers"})
_INVESTMENTS = frozenset({"investment", "investments"})
_NAMED_BY = ("invested in ", "used by ", "trusted by ")
_CLAUSE_BREAK = re.compile(r"[.;()\n]")
# A class the subject belongs to ("Acme is one of several impressive companies committed to X, including
# A and B", "joins an impressive group of producer and user companies, including A"): the names that
# follow are the class's other members, comparables (as an object, "counts a number of companies,
# including A" among its customers, they are parties).
_MEMBER_OF = re.compile(
    r"\b(?:one|group|list|number|host|roster|handful|several)\s+of\s+(?:[\w-]+\s+){0,5}?(?:companies|firms|enterprises|organizations|organisations|players)\b"
)
_MEMBER_WINDOW = 160
_MEMBER_NOUNS = ("companies", "firms", "enterprises", "organi", "players")  # a class noun, looked for before the pattern is tried
_LOOKBACK = 120


def _comparable_head(lowered: str, at: int, tail: str) -> tuple[int, bool] | None:
    """Where the phrase that ends with the list word `tail` at `at` starts, and whether it starts with
    a common noun ("Organizations such as"), if a phrase does."""
    words = lowered[max(0, at - 40) : at].split()
    if not words:
        return None
    if tail.startswith(("like", "such")) and words[-1] in _COMPARABLE_NOUNS:  # "Organizations such as"
        return lowered.rfind(words[-1], 0, at), True
    if tail.startswith(("like", "such")) and words[-1] in _STOCK_NOUNS:  # "fueled by technology stocks like X": a comparable, subject or object
        return lowered.rfind(words[-1], 0, at), False
    if tail.startswith(("include", "such")) and not tail.startswith("including") and (
        words[-1] in _INVESTMENTS or (len(words) > 1 and words[-1] in {"project", "projects", "portfolio"} and words[-2] in _INVESTMENTS)
    ):  # "notable investments include", "Representative investment projects include"
        return lowered.rfind("investment", 0, at), False
    window_start = max(0, at - _MEMBER_WINDOW)
    if (tail.startswith(("like", "such", "including")) and any(lowered.find(noun, window_start, at) >= 0 for noun in _MEMBER_NOUNS)
            and (member := _MEMBER_OF.search(lowered, window_start, at)) and not _CLAUSE_BREAK.search(lowered, member.end(), at)):
        return member.start(), True  # "is one of several companies committed to X, including A": the others of a class
    if tail.startswith(("such", "including")):  # "has invested in many projects, such as", "used by organizations including"
        window = lowered[max(0, at - 100) : at]
        for phrase in _NAMED_BY:
            found = window.rfind(phrase)
            if found >= 0 and (found == 0 or not window[found - 1].isalnum()) and not _CLAUSE_BREAK.search(window, found):
                return at - len(window) + found, False
    return None
# A person's affiliation printed in brackets after the name ("Hunter Horsley (CEO, Bitwise Asset
# Management) also joined"): who the speaker is, not a party. To the closing bracket.
_AFFILIATION = re.compile(
    r"\((?:CEO|CFO|COO|CTO|CMO|CIO|Founder|Co-[Ff]ounder|President|Chairman|Chair|Partner|General Partner|Managing Partner|"
    r"Managing Director|Director|Head[^,()\n]{0,40})\s*,\s+(?=[A-Z])"
)
_AFFILIATION_FIRST = frozenset("CFPMDHG")  # the first letters of the titles above
# A sentence ends at a full stop before a blank and a capital, not after a title ("Mr. Liebert").
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)\.\s+(?=[A-Z])|\n")
_SENTENCE_STRETCH = 400


def _is_object(text: str, at: int) -> bool:
    """The words of the clause before `at` make what follows an object ("donated to ... organizations such as")."""
    window = text[max(0, at - _LOOKBACK) : at]
    starts = [m.end() for m in _CLAUSE_START.finditer(window)]
    return bool(_OBJECT_WORDS.search(window, starts[-1] if starts else 0))


def _bracket_end(text: str, start: int, after: int, end: int) -> int:
    """Where a phrase inside a bracket ("Acme (which has invested in projects such as A and B), Beta")
    stops: at the bracket that closes it, if that comes before `end`; else `end`."""
    opened = text.rfind("(", 0, start)
    if opened < 0 or text.rfind(")", opened, start) >= 0 or text.rfind("\n", opened, start) >= 0:
        return end
    depth = 0
    for at in range(after, end):
        char = text[at]
        if char == "(":
            depth += 1
        elif char == ")":
            if not depth:
                return at
            depth -= 1
    return end


# Round 11: lists an About block gives as boilerplate, to the end of their sentence: the group's
# investors ("Company investors include A, B and C", "Its backers include A"), the securities it
# holds ("in addition to its holdings of securities in A, B and C") and the rankings it has won
# ("has been named one of the Top 200 Franchises by A, and ranked a Top 500 Chain by B"). Each is
# tried only after the first About heading (in the lead "The round's investors include A" names
# parties) and only where its literal is printed (str.find); a name printed elsewhere too stays.
_LIST_OWNER = re.compile(r"(?<![\w])(?:[Cc]ompany|[Oo]ur|[Ii]ts|[Tt]heir|\w+['’]s)\s+(?:[\w-]+\s+){0,2}?$")
_INVESTORS_AFTER = re.compile(r"(?:investors|backers)\s+(?:include[sd]?|are|such\s+as)\s+(?=[A-Z])")
_HOLDINGS_AFTER = re.compile(r"holdings\s+of\s+(?:securities|shares|stakes|interests)\s+in\s+(?=[A-Z])")
_RANKED_BY = re.compile(r"(?:named|ranked|recogni[sz]ed|listed)\b[^.;:()\n]{0,80}?\sby\s+(?=[A-Z])")
_BOILERPLATE_LIST_WORDS = (("investors ", "backers "), ("holdings of ",), ("named ", "ranked ", "recognized "))


def first_about(text: str, mid_line: bool = True) -> int:
    """Where the first About heading starts (at a line start, or with `mid_line` also mid-line after two
    blanks as in a one-line release: "...  About Acme  Acme is"); -1 without one. Two str.find scans."""
    return min((at for word in ("About ", "ABOUT ") for at in find_all(text, word)
                if (mid_line and text.startswith("  ", at - 2)) or _is_heading_start(text, at)), default=-1)


def _boilerplate_list_starts(text: str, lowered: str, about: int) -> list[tuple[int, int]]:
    """(phrase start, list start) of each investor, holdings or ranking list after the About heading at `about`."""
    if about < 0:
        return []
    tail = lowered[about:]  # the About block is the text's end: only it is scanned
    investors, holdings, rankings = _BOILERPLATE_LIST_WORDS
    starts = [(at, match.end()) for word in investors for at in (about + off for off in find_all(tail, word))
              if _LIST_OWNER.search(text, max(0, at - 40), at) and (match := _INVESTORS_AFTER.match(text, at))]
    starts += [(at, match.end()) for word in holdings for at in (about + off for off in find_all(tail, word))
               if (match := _HOLDINGS_AFTER.match(text, at))]
    starts += [(at, match.end()) for word in rankings for at in (about + off for off in find_all(tail, word))
               if (match := _RANKED_BY.match(text, at))]
    return starts


def _sentence_stretches(text: str, lowered: str, printed: WordHits, about: int = -1) -> list[tuple[int, int]]:
    """Holdings lists, pre-joining careers and comparables to the end of their sentence, bracketed
    affiliations to the bracket's end (each tried where its words are printed: `printed`)."""
    stretches = []
    starts = []
    for at in printed.union(_SENTENCE_WORDS):
        if match := _SENTENCE_PHRASES.match(text, at):
            starts.append((at, match.end()))
    for at in sorted({at + (word[0] == " ") for word in _TAIL_WORDS for at in printed.at(word)}):
        if (tail := _COMPARABLE_TAIL.match(text, at)) and (head := _comparable_head(lowered, at, tail.group("tail"))):
            if not (head[1] and _is_object(text, head[0])):
                starts.append((head[0], tail.end()))
    starts += _boilerplate_list_starts(text, lowered, about)
    for at, after in starts:
        stop = _SENTENCE_END.search(text, after, after + _SENTENCE_STRETCH)
        end = stop.start() if stop else min(len(text), after + _SENTENCE_STRETCH)
        stretches.append((after, _bracket_end(text, at, after, end)))
    for at in find_all(text, "("):
        if text[at + 1 : at + 2] in _AFFILIATION_FIRST and (match := _AFFILIATION.match(text, at)):
            close = text.find(")", match.end(), match.end() + 80)
            stretches.append((match.end(), close if close >= 0 else match.end() + 80))
    return stretches


def _career_matches(text: str, lowered: str, printed: WordHits) -> list[re.Match[str]]:
    """The career phrases, tried only where one of their first words is printed (`printed`, no scan)."""
    if len(lowered) != len(text):  # lower-casing moved the offsets: scan the text itself
        return list(_CAREER_PHRASES.finditer(text))
    matches = [match for word in _CAREER_WORDS for at in printed.at(word) if (match := _CAREER_PHRASES.match(text, at))]
    return sorted(matches, key=lambda m: m.start())


def _phrase_ends(text: str, lowered: str, printed: WordHits) -> list[int]:
    """Ends of the structure phrases, each tried only where one of its literals is printed.

    A case-insensitive scan cannot skip ahead to a literal, so it costs a try at every position;
    every match starts with one of its lower-case literals, found in `lowered` (`printed`).
    """
    if len(lowered) != len(text):  # lower-casing moved the offsets: scan the text itself
        return [m.end() for anchors, regex in _STRUCTURE_PHRASES if printed.any(anchors) for m in regex.finditer(text)]
    ends = []
    for anchors, regex in _STRUCTURE_PHRASES:
        if not printed.any(anchors):
            continue
        last = 0
        for at in printed.union(anchor.split()[0] for anchor in anchors):
            if at >= last and (match := regex.match(text, at)):
                ends.append(match.end())
                last = max(match.end(), at + 1)
    return ends


def _roundup_heading(text: str, lowered: str, printed: WordHits) -> re.Match[str] | None:
    """The first "More ... News:" heading line, tried only on the lines that hold "news"."""
    if len(lowered) != len(text):
        return _ROUNDUP_HEADING.search(text)
    for line_start in sorted({lowered.rfind("\n", 0, at) + 1 for at in printed.at("news")}):
        if match := _ROUNDUP_HEADING.match(text, line_start):
            return match
    return None


# A paid-content disclaimer or disclosure section ("Disclaimers: X is not operated by a licensed
# broker ... has been retained by Y", "Disclosure: ... Z Media Inc. expects to receive ..."): from
# its heading, at a line start, to the end of the text. Names printed only there are the publisher
# and its agencies, not parties.
_DISCLAIMER_HEADING = re.compile(r"(?i)[ \t*#]*(?:disclaimers?|disclosures?)[ \t*]*(?::|\n)")
_DISCLAIMER_WORDS = ("disclaimer", "disclosure")
# The same section under an upper-case heading that ends with the word ("IMPORTANT NOTICE AND
# DISCLAIMER", "RISK DISCLOSURES"), the heading alone on its line.
_CAPS_DISCLAIMER_HEADING = re.compile(r"[ \t*#]*[A-Z][A-Z &/,'’-]*[ \t](?:DISCLAIMERS?|DISCLOSURES?)[ \t*]*:?[ \t]*(?:\n|$)")

_CONTACT_STRETCH = 300  # characters from the label at most (a contact block is a few short lines)
_CAREER_STRETCH = 160

# A parent group ("PowerCo, the battery company of the Volkswagen Group"): found from the literal
# "Group" (fast to scan for), then the phrase before its name is checked.
_GROUP = re.compile(r" Group\b")
_PARENT_BEFORE = re.compile(r"\b(?i:company|subsidiary|unit|division|arm|brand|member|group|part)\s+of\s+(?:the\s+)?(?P<name>(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*)$")
# A structure stretch ends at a sentence or clause break, a bracket or a quote (an alias follows).
_STRETCH_END = re.compile(r"[.;:(“\"\n]|,\s+(?:which|who|that|is|was|has)\b|\s(?:and\s+)?(?:in|with|together)\s")
_LISTING = re.compile(r"\(\s*(?:NASDAQ|Nasdaq|NYSE|OTC\w*|TSXV?|TSX-V|CSE|ASX|LSE|AIM|HKEX|CBOE)\b")
_STRETCH = 90  # characters after the phrase at most
_DOT_BLANK = re.compile(r"\.\s*")  # a legal form's full stop before the listing: "Inc. (Nasdaq: APEI)"


# A sentence that opens with the subsidiary the company holds an asset through ("Through its wholly
# owned subsidiary Acme Resources Ltd., Beta owns 100% of the Gold Project") describes its structure
# wherever it stands; in the lead the phrase is mid-sentence ("Acme, through its subsidiary X, has ...").
_THROUGH_AT_START = re.compile(r"(?:(?<=[.!?] )|(?<=\n)|(?<=^))[ \t]*(?:Through|Via)\s+(?:its|their|our)\s+(?:[\w-]+\s+){0,2}?subsidiar(?:y|ies),?\s+")


def _through_subsidiary_starts(text: str) -> list[int]:
    """Where the subsidiaries named by a sentence-opening "Through its ... subsidiary" start."""
    return [match.end() for word in ("Through its", "Via its", "Through their", "Through our") for at in find_all(text, word)
            if (match := _THROUGH_AT_START.match(text, at))]


def _is_heading_start(text: str, at: int) -> bool:
    """The About word at `at` opens its line (after blanks, "#" or "**") and a capital follows it."""
    line = text.rfind("\n", 0, at) + 1
    return not text[line:at].strip(" \t#*") and bool(_ABOUT_OR_CAPS.match(text, line))


def _about_structure_starts(text: str, lowered: str, printed: WordHits) -> list[int]:
    """Where the names an About block gives as its group's subsidiaries or holdings start: after the
    first About heading at a line start, at each "subsidiar" (`printed`) / " owns " (str.find), the owner's words read back."""
    subsidiaries = printed.at("subsidiar")
    if not subsidiaries and " owns " not in lowered:
        return []
    about = first_about(text, mid_line=False)
    if about < 0:
        return []
    starts = [match.end() for at in subsidiaries if at > about
              and _OWNER_BEFORE.search(text, max(0, at - 40), at) and (match := _SUBSIDIARY_AFTER.match(text, at))]
    starts += [match.end() for at in find_all(text, " owns ") if at > about
               and _WHICH_BEFORE.search(text, max(0, at - 12), at) and (match := _OWNS_AFTER.match(text, at))]
    return starts


# Round 11: a group's units in its About block, named by their owner: "Our Public Health Solutions
# business segment includes ...", "the Company's technology incubator, Acme Labs, is focused on ...".
# Found from " segment" / "incubator" (str.find) after the first About heading, the owner read back.
_SEGMENT_BEFORE = re.compile(r"(?<![\w])(?:[Oo]ur|[Ii]ts|[Tt]heir|\w+['’]s)\s+(?P<name>(?:[A-Z][\w&-]*\s+){1,4})(?:business\s+)?$")
_UNIT_AFTER = re.compile(r"incubator,?\s+(?=[A-Z])")
# A department printed between a department head's title and the firm ("Katie Doyle, Senior Vice
# President, Registry Solutions, Xpansiv"): the person's unit, not a party. The title is a
# department's (not CEO, President or Officer, whose next name is the firm) and the unit's last word
# is a department's.
_DEPARTMENT_TITLES = ("Vice President, ", "Director, ")
_DEPARTMENT_AFTER = re.compile(
    r"(?:[A-Z][\w&-]*\s+){0,3}(?:Solutions|Products|Operations|Affairs|Relations|Sales|Marketing|Development|Strategy|Programs|"
    r"Partnerships|Communications|Engineering),\s+(?=[A-Z])(?!(?:Inc|LLC|Ltd|Corp|Co|PLC|LLP|L\.P)\b)"
)


def _unit_stretches(text: str, about: int) -> list[tuple[int, int]]:
    """[start, end) of each department printed after a department head's title and each unit of the
    About block that starts at `about` (its tail only is scanned)."""
    stretches = []
    for title in _DEPARTMENT_TITLES:
        for at in find_all(text, title):
            if match := _DEPARTMENT_AFTER.match(text, at + len(title)):
                stretches.append((match.start(), match.end()))
    if about < 0:
        return stretches
    tail = text[about:]
    for at in (about + off for off in find_all(tail, " segment")):
        if owner := _SEGMENT_BEFORE.search(text, max(about, at - 80), at + 1):
            stretches.append((owner.start("name"), at))
    for at in (about + off for off in find_all(tail, "incubator")):
        if _OWNER_BEFORE.search(text, max(0, at - 40), at) and (match := _UNIT_AFTER.match(text, at)):
            stop = _STRETCH_END.search(text, match.end(), match.end() + _STRETCH)
            stretches.append((match.end(), stop.start() if stop else match.end() + _STRETCH))
    return stretches


# The words the functions above look for in the lower-cased text, found in one pass (`WordScan`)
# rather than a find loop each.
_LOWERED_SCAN = WordScan([
    *(word for anchors, _ in _STRUCTURE_PHRASES for anchor in anchors for word in (anchor, anchor.split()[0])),
    *_DEAL_WORDS, "subsidiar", *_CAREER_WORDS, *_SENTENCE_WORDS, *_TAIL_WORDS, "news", *_WIRE_PHRASES, *_DISCLAIMER_WORDS, *_CONTACT_WORDS,
])


def structure_stretches(text: str, lowered: str | None = None) -> list[tuple[int, int]]:
    """[start, end) of each stretch that names companies only as structure or history
    (`lowered`: `text.lower()` when the caller has it already)."""
    stretches = []
    lowered = text.lower() if lowered is None else lowered
    printed = _LOWERED_SCAN.find(lowered)
    starts = _phrase_ends(text, lowered, printed)
    for group in _GROUP.finditer(text):
        parent = _PARENT_BEFORE.search(text, max(0, group.start() - 80), group.start())
        if parent:
            starts.append(parent.start("name"))
    starts += _past_deal_starts(text, printed)
    about = _ABOUT_HEADING.search(text) if printed.at("subsidiar") else None
    if about:
        starts += [match.end() for match in _BOILERPLATE_PHRASE.finditer(text, about.start())]
    starts += _about_structure_starts(text, lowered, printed)
    if printed.at("subsidiar"):
        starts += _through_subsidiary_starts(text)
    for start in starts:
        stop = _STRETCH_END.search(text, start, start + _STRETCH)
        if stop and _LISTING.match(text, (dot.end() if (dot := _DOT_BLANK.match(text, stop.start())) else stop.start())):
            continue  # a parent printed with its own listing is the listed company, a party
        stretches.append((start, stop.start() if stop else min(len(text), start + _STRETCH)))
    about_block = first_about(text)
    stretches += _unit_stretches(text, about_block)
    for match in _career_matches(text, lowered, printed):
        stop = text.find(". ", match.end(), match.end() + _CAREER_STRETCH)  # the sentence's list of employers
        stretches.append((match.end(), stop if stop >= 0 else min(len(text), match.end() + _CAREER_STRETCH)))
    if len(lowered) == len(text):
        stretches += _sentence_stretches(text, lowered, printed, about_block)
    if roundup := _roundup_heading(text, lowered, printed):
        stretches.append((roundup.end(), len(text)))
    for phrase in _WIRE_PHRASES:
        for at in printed.disjoint(phrase):
            start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at)) + 1
            stop = text.find(". ", at)
            stretches.append((start, stop if stop >= 0 else len(text)))
    for line_start in sorted({text.rfind("\n", 0, at) + 1 for at in printed.union(_DISCLAIMER_WORDS)}):
        if _DISCLAIMER_HEADING.match(text, line_start) or _CAPS_DISCLAIMER_HEADING.match(text, line_start):
            stretches.append((line_start, len(text)))
            break
    line_starts = sorted({text.rfind("\n", 0, at) + 1 for at in printed.union(_CONTACT_WORDS)})
    for line_start in line_starts:
        if match := _CONTACT_LABEL.match(text, line_start):
            blank = text.find("\n\n", match.end(), match.end() + _CONTACT_STRETCH)  # the block ends at a blank line
            stretches.append((match.start(), blank if blank >= 0 else match.end() + _CONTACT_STRETCH))
    return stretches


def only_in_stretches(name: str, text: str, stretches: list[tuple[int, int]]) -> bool:
    """True when `name` occurs in `text` and every occurrence starts inside one of `stretches`."""
    if not stretches:
        return False
    found = False
    start = text.find(name)
    while start >= 0:
        found = True
        if not any(begin <= start < end for begin, end in stretches):
            return False
        start = text.find(name, start + 1)
    return found


_DEFINED_TERM = re.compile(r"\(\s*(?:the\s+)?[“\"](?P<term>[A-Z][\w -]{1,40}?)[,]?[”\"]\s*\)")


def defined_terms(text: str) -> frozenset[str]:
    """Terms a contract-style release defines for itself: (the “Property”), (the “Subsidiary”)."""
    return frozenset(match.group("term").strip() for match in _DEFINED_TERM.finditer(text))


_CAPITALISED = re.compile(r"[A-Z][\w-]*")
_ACRONYM = re.compile(r"[A-Z]{2,8}|[A-Z](?:[a-z]?[A-Z]){1,7}")  # "BARDA"; "DoD", "DoE" (a joiner's lower-case initial)
_JOINERS = frozenset({"and", "of", "for", "the", "&", "on", "in"})


def expand_acronym(acronym: str, text: str) -> str | None:
    """The full name an acronym abbreviates where the text defines it: "... Development Authority (BARDA)".

    The words right before "(ACRONYM)" are read backwards; capitalised words give the initials,
    joiners ("and", "of", "for", "the") are skipped; the name is found when the initials spell it.
    """
    if not _ACRONYM.fullmatch(acronym):
        return None
    letters = "".join(char for char in acronym if char.isupper())  # "DoD": the lower-case letters stand for joiners ("of")
    for match in re.finditer(rf"\(\s*{acronym}\s*\)", text):
        words = text[max(0, match.start() - 160) : match.start()].split()
        initials: list[str] = []
        taken = 0
        for word in reversed(words):
            if word.lower() in _JOINERS and initials:
                taken += 1
                continue
            if not _CAPITALISED.fullmatch(word.rstrip(",")):
                break
            initials.insert(0, word[0])
            taken += 1
            if "".join(initials) == letters:
                name = words[len(words) - taken :]
                while name and name[0].lower() in _JOINERS:
                    name = name[1:]
                return " ".join(name)
            if len(initials) >= len(letters):
                break
    return None


_LEADING_ACRONYM = re.compile(r"(?P<acronym>[A-Z](?:[a-z]?[A-Z]){1,7})[ \t]+(?P<rest>[A-Z].*)")


def _defined_in(acronym: str, text: str) -> bool:
    """The text prints "(ACRONYM" (str.find, before the definition is looked for with a pattern)."""
    return f"({acronym}" in text or f"( {acronym}" in text


def written_out(name: str, text: str) -> str | None:
    """`name` with the acronym it is or starts with written out, where the text defines that acronym:
    "DoD" -> "Department of Defense", "NMTC Coalition" -> "New Markets Tax Credit Coalition" (the
    text prints "New Markets Tax Credit (NMTC)"). Two spellings of one party then compare equal."""
    if _defined_in(name, text) and (full := expand_acronym(name, text)):
        return full
    leading = _LEADING_ACRONYM.fullmatch(name)
    if leading and _defined_in(leading.group("acronym"), text) and (full := expand_acronym(leading.group("acronym"), text)):
        return f"{full} {leading.group('rest')}"
    return None
