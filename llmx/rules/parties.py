"""Who takes part: the issuer of the release and the companies named in it, with roles.

Company names are found three ways, all from general patterns: a run of capitalised words ending
in a legal suffix ("Maxim Group LLC"), the name printed before an exchange listing
("Acme Bio (NASDAQ: ACME)"), and names in role phrases ("X is acting as placement agent",
"a partnership with X"). Wire services, exchanges and regulators are never parties.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import itemgetter

from rapidfuzz import fuzz

from llmx.rules.cues import anchor_search, may_match
from llmx.rules.company_names import LEGAL_SUFFIX, ORG_NOUN, SUFFIX_TAIL, Found, about_names, clean_name, normalize_name, split_at_suffixes
from llmx.rules.scan import WordHits, WordScan, find_all, finditer_in, lowers_by_character, segments_with
from llmx.rules.structure import defined_terms, expand_acronym, only_in_stretches, structure_stretches, written_out
from llmx.schema import Company

# One word of a name: capitalised, an initialism ("U.S.", "D."), a number ("Fifty 1 Labs"), or a
# short abbreviation with its full stop. A longer word never keeps a full stop: that ends a sentence.
# Possessive runs: what follows a token (blank, comma, bracket or the end) never matches a
# character of the run, so giving characters back cannot help a match, only cost a failed one.
_TOKEN = r"(?:(?:[A-Z]\.){1,3}(?![\w])|(?:Inc|Corp|Ltd|Co|Bros|Intl|St)\.|[A-Z][\w'’&-]*+|\d++[A-Za-z]*+)"
_NAME = rf"{_TOKEN}(?:[ \t]+(?:(?:&|of|de|du|la|van|von|der)[ \t]+)?{_TOKEN}){{0,6}}"
_SUFFIXES = rf"(?:,?[ \t]+(?:{LEGAL_SUFFIX})(?![\w])){{1,2}}"
# "Road to Responsibility, Inc.": a lower-case "to" inside a name with its legal form joins its words;
# a name never starts inside a link's path ("https://ibn.fm/QFcH6About Acme Inc." names "Acme Inc.")
_LEGAL_NAME = re.compile(rf"(?<![\w./])(?P<name>{_TOKEN}(?:[ \t]+(?:(?:&|of|de|du|la|van|von|der|to)[ \t]+)?{_TOKEN}){{0,6}}?{_SUFFIXES})")
_ORG_NAME = re.compile(
    rf"(?<![\w.])(?!(?:Inc|Corp|Ltd|Co)\.)(?P<name>{_TOKEN}(?:[ \t]+(?:(?:&|of)[ \t]+)?{_TOKEN}){{0,4}}?[ \t]+(?:{ORG_NOUN})(?:[ \t]+(?:{ORG_NOUN}))*+(?:[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?[A-Z][\w'’-]*+(?:[ \t]+(?:of[ \t]+)?[A-Z][\w'’-]*+){{0,3}})?)(?![\w])"
    r"(?![ \t]+(?:and[ \t]+)?(?:Exchange|Commission|Administrators|Act|Laws?|Regulators?|Authority|Regulation|Ingredients?|Contacts?|Inquiries|Enquiries|Kit|Wire|Newswire))"
    # a statute's title ("the Private Securities Litigation Reform Act of 1995") is not a company
    r"(?![ \t]+(?:[A-Z][\w-]*[ \t]+){1,3}Act\b)"
)
_LISTED_NAME = re.compile(rf"(?P<name>{_NAME}{_SUFFIXES}?),?[ \t]*(?=\((?:NASDAQ|Nasdaq|NYSE|OTC|TSX|CSE|ASX|LSE|AIM|AMEX)[\w .]*:)")

_ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern.replace("NAME", rf"(?<![\w.]){_NAME}")))
    for role, pattern in (
        ("underwriter", r"(?P<name>NAME),?\s+(?:is|are|was|were|acted|acts|served|serves|is acting|are acting|is serving|are serving)\s+(?:as\s+)?(?:the\s+)?(?:sole\s+|exclusive\s+|lead\s+|joint\s+)*(?:book-running\s+)?(?:placement agent|underwriter|bookrunner|book-runner|co-manager|lead manager|sales agent)"),
        ("advisor", r"(?P<name>NAME),?\s+(?:is|are|was|were|is acting|are acting|is serving|are serving|acted|served|(?:was|were|has been|have been) (?:mandated|appointed|retained|engaged))\s+as\s+(?:the\s+)?(?:[\w-]+\s+){0,5}?(?:advis[oe]rs?|counsel)\b"),
        # the partner may follow its common noun ("alliances with mobile industry giants A, B and C",
        # "a partnership with the esteemed lottery platform X")
        ("partner", r"(?:partnerships?|collaborations?|partnered|partnering|partners?|alliances?|joint ventures?|agreements?|contract|deal|teaming up|teamed up|teams up)\s+with\s+(?:the\s+)?"
                    r"(?:(?=[a-z])(?:[a-z][\w-]*[ \t]+){0,3}?(?:platforms?|giants?|leaders?|providers?|compan(?:y|ies)|firms?|brands?|makers?|manufacturers?|developers?|networks?|operators?|retailers?|banks?)[ \t]+)?(?P<name>NAME)"),
        # "investors, including the renowned X", "our new lead investor, X, and ..."
        ("investor", r"investors?(?:,?\s+(?:including\s+(?:the\s+(?:[a-z][\w-]*\s+){0,2}?)?|(?:led by|such as|like|from)\s+)|(?<=lead investor),\s+)(?P<name>NAME)"),
        ("investor", r"(?:investment|financing|funding)\s+from\s+(?:the\s+)?(?P<name>NAME)"),
        # "with participation from A, B and C", "firms that joined the round included A, B and C"
        ("investor", r"participation\s+from\s+(?:the\s+)?(?P<name>NAME)"),
        ("investor", r"(?:joined|participated\s+in)\s+the\s+(?:[\w-]+\s+){0,2}?(?:round|financing|raise)\s+(?:included|includes|include|were|are)\s+(?P<name>NAME)"),
        ("target", r"(?:acquire|acquisition of|acquiring|merger with|purchase of)\s+(?:the\s+)?(?P<name>NAME)"),
        ("awarding body", r"(?:award|contract|grant|funding|payment|order)s?(?:\s+(?:agreement|award|commitment))?\s+from\s+(?:the\s+)?(?P<name>NAME)"),
        ("analyst", r"(?P<name>NAME)\s+(?:has|have|reiterated|raised|initiated|set|maintains?|issued|giving|gives|gave|assign(?:s|ed)?)\b(?:[^.]|\.(?=\d)){0,60}price target|price target[^.]{0,40}?\bby\s+(?P<name2>NAME)"),
        ("analyst", r"analysts?\s+(?:at|from)\s+(?P<name>NAME)"),
        # the host of an event the release reports ("organized by X", "the X 44th Annual Growth Conference"),
        # its sponsors and co-hosts ("an afterparty co-hosted with X, sponsored by A, B and C")
        ("host", r"(?:(?:organi[sz]ed|hosted|sponsored|presented)\s+(?:by|with))\s+(?:the\s+)?(?P<name>NAME)"),
        # an event's sponsors named as a list ("This year's sponsors include Acme Fleet, Beta Labs and Gamma")
        ("host", r"sponsors\s+(?:including|include[sd]?|such\s+as)\s+(?:the\s+)?(?P<name>NAME)"),
        # the owner of an event the issuer co-hosts ("co-host of Kraken's Oceanic Night")
        ("host", r"co-host\s+of\s+(?P<name>NAME)(?<=['’]s)"),
        # a counterparty that sells what the issuer buys ("acquired 17 stores in France from Maison Verte")
        ("seller", r"(?:acqui(?:red|res|re|ring)|purchase[sd]|bought|buys)\b[^.\n]{0,80}?\bfrom\s+(?:the\s+)?(?P<name>NAME)"),
        # a company introduced by its common noun ("Dutch health-tech firm Cyclomics")
        ("described", r"(?:firm|company|startup|start-up)[ \t]+(?P<name>NAME)"),
        ("subsidiary", r"(?:its|a|wholly[- ]owned)\s+(?:new\s+|newly[- ]formed\s+|operating\s+)?subsidiar(?:y|ies),?\s+(?P<name>NAME)"),
        # the transfer agent that administers a split or an exchange of shares ("its transfer agent, Acme Transfer,")
        ("transfer agent", r"transfer\s+agent,?\s+(?P<name>NAME)"),
        # the recipients of a programme the release reports ("This year's recipients include A, B and C")
        ("recipient", r"recipients\s+(?:including|include[sd]?|are|were)\s+(?:the\s+)?(?P<name>NAME)"),
        # the licensor of what the issuer develops ("the platform was licensed from the Acme Cancer Center")
        ("licensor", r"licensed\s+from\s+(?:the\s+)?(?P<name>NAME)"),  # "in-licensed from", "sublicensed from" too
        # a service provider the company engages ("has engaged Acme Geophysics to conduct a survey")
        ("service provider", r"(?:engaged|retained)\s+(?:the\s+)?(?P<name>NAME)\s+(?:to|as)\s"),
        # suppliers named for what they provide ("devices will be provided by Acme Medical")
        ("supplier", r"(?:will be|are|is|were|was|being)\s+(?:provided|supplied|manufactured)\s+by\s+(?:the\s+)?(?P<name>NAME)"),
    )
)




def _body(text: str) -> str:
    """The text without the wire's trailing link block (after a '---' rule), same offsets."""
    rule = re.search(r"\n-{3,}\s*\n", text)
    return text[: rule.start()] if rule else text


_SUBJECT_ROLES = frozenset({"underwriter", "advisor", "analyst"})




_HEADLINE_WORD = re.compile(r"[A-Za-z][\w'’-]{3,}")


def _mask_headlines(text: str) -> str:
    """Blank out headline and sub-headline lines (Title Case runs confuse name boundaries)."""
    def blank(line: str) -> str:
        if line.rstrip().endswith("."):  # a line that ends a sentence is a headline only by its start: no tokens needed
            return " " * len(line) if line.lstrip().startswith(("#", "The post ")) else line
        words = _HEADLINE_WORD.findall(line)
        capitalised = sum(map(str.isupper, map(itemgetter(0), words)))  # C-level loops: this runs on every line
        # a line that ends a sentence ("ICAP and SCAP are distributed by Quasar Distributors, LLC.") is text,
        # but not the wire's repeat of the headline ("The post Acme Names CFO appeared first on citybiz.")
        is_headline = line.lstrip().startswith(("#", "The post ")) or (
            len(words) >= 4 and capitalised / len(words) >= 0.7 and not line.rstrip().endswith(".")
        )
        return " " * len(line) if is_headline else line

    # Every line blanked or kept as it is: a split and join (no regex callback per line).
    return "\n".join([blank(line) if line else line for line in text.split("\n")])


def _masked_lowered(masked: str, lowered: str) -> str:
    """`masked.lower()`, from `lowered`: the lower-casing of the text `masked` was made from by
    `_mask_headlines`, character by character (`lowers_by_character`).

    A line of `masked` that holds only blanks was blanked or was blank (blanks lower-case to
    themselves); any other line is the text's own, whose lower-casing is the line of `lowered`.
    """
    if len(masked) != len(lowered):
        raise ValueError("lowered is not the lower-casing of the masked text's source")
    return "\n".join([line if not line or line.isspace() else low for line, low in zip(masked.split("\n"), lowered.split("\n"))])


_ROLE_ANCHORS = {regex: anchor_search(regex.pattern) for _, regex in _ROLE_PATTERNS}
# Scanned only where they can match (llmx.rules.scan): each of these patterns needs its anchor (the
# legal form, the organisation noun, the listing's bracket), and a name holds only word characters,
# blanks and ' ’ & . , / - (its tokens, joiners and legal forms such as "A/S"), so it never spans a
# line break, a bracket, a colon or a quote: the runs free of `_NAME_SEPARATOR` that hold an anchor
# are scanned (a listing's bracket is part of its anchor, so its run reaches past the bracket).
_NAME_SEPARATOR = re.compile(r"[^\w \t'’&.,/-]")
_NAME_SCANS = (
    (_LEGAL_NAME, re.compile(rf"(?:{LEGAL_SUFFIX})(?![\w])")),  # starts with literals: re skips to their first letters
    (_ORG_NAME, re.compile(rf"(?:{ORG_NOUN})(?![\w])")),
    (_LISTED_NAME, re.compile(r"\((?:NASDAQ|Nasdaq|NYSE|OTC|TSX|CSE|ASX|LSE|AIM|AMEX)[\w .]*:")),
)
# Role phrases that start with a name hold only word characters, whitespace and , . ' ’ & -
# (all but the analyst phrase, whose gap is any text without a full stop): scan the runs of
# such characters that hold one of the phrase's anchors.
_ROLE_SEPARATOR = re.compile(r"[^\w\s,.'’&-]")
_SEGMENT_ROLES = frozenset({"underwriter", "advisor"})
# The literal words each common cue-first phrase can start with (the phrases are case-sensitive, so
# a str.find in the text itself finds every start): the phrase is tried only there, with
# `regex.match`, instead of a scan of the whole text per phrase. Later tries start after the end
# of the last match, as a scan's would.
_CUE_STARTS: dict[str, tuple[str, ...]] = {
    "partner": ("partner", "collaboration", "alliance", "joint venture", "agreement", "contract", "deal", "team"),
    "investor": ("invest", "financing", "funding", "participat", "joined"),  # "invest": investor(s), investment
    "transfer agent": ("transfer agent",),
    "awarding body": ("award", "contract", "grant", "funding", "payment", "order"),
    "seller": ("acqui", "purchase", "bought", "buys"),
    "described": ("firm", "company", "startup", "start-up"),
    "target": ("acqui", "merger", "purchase"),
    "host": ("organi", "hosted", "sponsor", "presented", "co-host"),  # "sponsor": sponsored, sponsors
    "recipient": ("recipients",),
    "licensor": ("licensed",),
    "service provider": ("engaged", "retained"),
}
# A phrase of a role whose other phrase starts with a name ("analysts at X"): its own start words.
_PATTERN_STARTS = {regex: ("analyst",) for role, regex in _ROLE_PATTERNS if regex.pattern.startswith(r"analysts?\s+")}
_ROLE_SEGMENT_ANCHORS = {
    regex: anchors for role, regex in _ROLE_PATTERNS if role in _SEGMENT_ROLES and (anchors := _ROLE_ANCHORS[regex]) is not None
}
# What the tables above say of each role phrase, looked up once here: a compiled pattern hashes its
# whole compiled code, so a dict keyed by patterns costs microseconds a lookup (~60 µs a text for the
# phrases). Per phrase: its role, its regex, its segment anchor (or None), its start words (or None), its anchors.
_ROLE_PLANS = tuple(
    (role, regex, _ROLE_SEGMENT_ANCHORS.get(regex), _PATTERN_STARTS.get(regex) or _CUE_STARTS.get(role), _ROLE_ANCHORS[regex])
    for role, regex in _ROLE_PATTERNS
)


# "a Nevada Corporation", "an Alaska Native Corporation": a name never takes the indefinite article.
_ARTICLE_BEFORE = re.compile(r"(?<![\w])an?[ \t]+$")
_MODIFIER_AFTER = re.compile(
    r"[ \t]+(?!(?:that|which|who|whose|with|in|of|and|or|for|from|based|is|was|to|on|at|by|focused|headquartered|located|"
    r"specializing|specialising|dedicated|committed|serving|providing|offering|operating|helping|enabling)\b)[a-z]"
)
# A name used as a modifier of what is bought or held ("acquire PAXG tokens") is a product.
_HOLDING_AFTER = re.compile(r"[ \t]+(?:tokens?|coins?|shares?|units?|stock|assets?)\b")
_COUNTERPARTY_ROLES = frozenset({"target", "partner", "seller", "described"})
# Checked in Python rather than by a look-behind, which would cost the scans their literal start.
_WORD_START_ROLES = frozenset({"seller", "host"})  # "represented by X" is not "presented by X"
_CUE_GLUED = re.compile(r"\w")
# A plain "hosted by" (not co-hosted) often names a person: the show's or the call's host.
_PERSON_HOST = re.compile(r"hosted\s+by\b")
_NOUN_AFTER = re.compile(  # the name modifies a plural noun: "Chinese automobile manufacturers"
    r"[ \t]+(?:[a-z][\w-]*[ \t]+){0,2}(?:manufacturers|makers|providers|companies|firms|brands|suppliers|developers|operators|"
    r"producers|retailers|distributors|customers|clients|partners)\b"
)
# "partner with X" names a partner as a noun ("an exclusive Web3 partner with X"), with an article
# in the three words before it; the verb ("to partner with", "once again partner with") is skipped.
_PARTNER_NOUN = re.compile(r"(?<![\w])(?:an?|the)[ \t]+(?:[\w-]+[ \t]+){0,2}$", re.IGNORECASE)
_AFTER_LOWER_WORD = re.compile(r"[a-z][ \t]")
# The organiser named before an annual event ("the Halvard Securities 12th Annual Growth Conference").
# Found from the literal " Annual" (`_BODY_SCAN`), then the ordinal and the name before it are read back.
_ANNUAL_EVENT = re.compile(r"(?<![\w.])(?P<name>(?:[A-Z][\w&'’-]*[ \t]+){0,3}[A-Z][\w&'’-]*)[ \t]+\d+(?:st|nd|rd|th)[ \t]+$")
_ANNUAL_WINDOW = 100  # characters before " Annual" that can hold the organiser's name and the ordinal


def _annual_event_hosts(body: str, hits: WordHits) -> list[Found]:
    """Organisers named before an annual event ("the Harwick Quay 12th Annual Growth Conference");
    `hits`: `_BODY_SCAN.find(body)`."""
    found = []
    for at in hits.disjoint(" Annual"):
        if not body[at + 7 : at + 8].isalnum():  # the whole word "Annual"
            window_start = max(0, at - _ANNUAL_WINDOW)
            match = _ANNUAL_EVENT.search(body, window_start, at + 1)
            if match and (match.start() > window_start or window_start == 0):
                found.append(Found(match.group("name"), match.start(), "host"))
    return found


# A name described right after it as a company ("audited by Cyberscope, a leading blockchain security
# firm", "trading is made possible thanks to Curzon Uranium, a globally recognized uranium trader"; at a
# sentence start, "Magna is a leading token management platform"): the descriptor's noun is one of an
# organisation, singular, not a possessive ("Jane Doe, the company's CEO") and not a modifier of a
# noun after it ("Jane Doe, a firm believer"); its words hold no preposition ("a partner at the firm").
# Found from the literals ", a " / ", an " / ", the " / " is a " ..., the name is read back from there.
_DESCRIBED_NOUN = (
    r"company|firm|platform|provider|startup|start-up|exchange|marketplace|trader|manufacturer|maker|operator|"
    r"retailer|distributor|agency|bank|lender|insurer|consultancy|custodian|auditor|organi[sz]ation|(?:global|world|industry|market)[ \t]+leader"
)
_DESCRIPTOR = re.compile(
    rf"(?:,[ \t]+|[ \t]+is[ \t]+)(?:an?|the)[ \t]+(?:(?!(?:at|of|in|on|as|for|with|from|to|by|and|or|who|which|that|communications)[ \t])[\w’'.-]+[ \t]+){{0,5}}?"
    rf"(?:{_DESCRIBED_NOUN})(?![\w’'-])"
)
_DESCRIBED_ANCHORS = (", a", ", the ", " is a", " is the ")  # ", a" finds ", an " too
_NAME_BEFORE = re.compile(rf"(?<![\w.’'&/-])(?P<name>{_NAME}(?:\.(?:io|ai|com|net|xyz|co|app|org))?)$")
_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?:][ \t]+|\n[ \t*#-]*)$")  # after a heading's colon too ("About Acme: Acme is")
_DESCRIBED_WINDOW = 80
# A participle after the noun goes on describing it ("ChainSecurity, a blockchain security company led by
# experts", "a firm founded in 2010", "a platform known for"): the noun is not a modifier ("a firm believer").
_PARTICIPLE_AFTER = re.compile(r"[ \t]+(?:[a-z]+ed|known|run|built|grown|held)[ \t]+(?:by|in|for|with|to|on|at|from|as|around)\b")
_BARE_THE = re.compile(rf",[ \t]+the[ \t]+(?:{_DESCRIBED_NOUN})\b")  # "In Colombia, the company is": a new clause's subject
_NOT_A_NAME = re.compile(r".{0,2}|The[ \t]+\w+|An?[ \t].*|.*(?:TM|™)")  # "AI", "The Fund", "An ATS" (a kind), "ImmunePrepTM" (a product)
_AND_BEFORE = re.compile(r"[A-Z][\w’'-]*[ \t]+(?:and|&)[ \t]+$")
_PRONOUNS = frozenset({
    "He", "She", "It", "They", "We", "You", "I", "This", "That", "These", "Those", "There", "Here", "What", "Which", "Who", "Its", "Our",
    "Their", "His", "Her",
})


def _undouble(name: str) -> str:
    """A heading run into the name it repeats ("About Acme Works Acme Works is", "AcmeAcme is") -> the name."""
    if name[:6].lower() == "about ":
        name = name[6:]
    words = name.split()
    if len(words) % 2 and words[len(words) // 2] == "The":  # "About Acme Press The Acme Press is" -> "The Acme Press"
        rest = words[len(words) // 2 + 1 :]
        if [w.lower() for w in words[: len(words) // 2]] == [w.lower() for w in rest]:
            return " ".join(words[len(words) // 2 :])
    half = len(words) // 2
    if len(words) % 2 == 0 and half and name.lower().split()[:half] == name.lower().split()[half:]:
        return " ".join(words[half:])  # the sentence's spelling ("ABOUT ACME WORKS Acme Works is")
    if len(name) % 2 == 0 and len(name) >= 8 and name[: len(name) // 2] == name[len(name) // 2 :]:
        return name[: len(name) // 2]
    return name


def _described_names(body: str, hits: WordHits) -> list[Found]:
    """Names followed by a descriptor that calls them a company ("by Cyberscope, a leading security firm");
    `hits`: `_BODY_SCAN.find(body)`."""
    found = []
    for at in hits.union(_DESCRIBED_ANCHORS):
        descriptor = _DESCRIPTOR.match(body, at)
        if not descriptor or (_MODIFIER_AFTER.match(body, descriptor.end()) and not _PARTICIPLE_AFTER.match(body, descriptor.end())):
            continue
        window_start = max(0, at - _DESCRIBED_WINDOW)
        before = _NAME_BEFORE.search(body, window_start, at)
        if not before or before.group("name") in _PRONOUNS or _TITLE_WORD.search(before.group("name")) or _NOT_A_NAME.fullmatch(before.group("name")):
            continue
        start = before.start("name")
        if _BARE_THE.match(body, at) or _AND_BEFORE.search(body, max(0, start - 30), start):
            continue  # "In Colombia, the company is ..." starts a clause; "Goehring and Rozencwajg, a firm" is cut
        if body[at] == ",":  # the appositive of an object: "with Hacken, a ...", not a sentence's subject
            if start < 2 or not _AFTER_LOWER_WORD.match(body, start - 2):
                continue
        elif not _SENTENCE_BEFORE.search(body, max(0, start - 4), start):  # "Magna is a ...": at a sentence start
            continue
        name = _undouble(before.group("name"))
        if _is_launched(body, name) or _OWNER_VERB_BEFORE.search(body, max(0, start - 20), start):
            continue  # "we launched Waavely, a platform for ocean freight", "Acme operates Beta, a platform": the company's product
        found.append(Found(name, start, "described"))
    return found


_OWNER_VERB_BEFORE = re.compile(r"(?<![\w])(?:operates|operated|owns|owned|runs|developed|develops|created|built)[ \t]+(?:the[ \t]+)?$")
_LAUNCH_BEFORE = re.compile(r"(?:launch(?:ed|es|ing)?|unveil(?:ed|s|ing)?|introduc(?:ed|es|ing))[ \t]+(?:of[ \t]+)?(?:the[ \t]+|its[ \t]+|their[ \t]+|our[ \t]+)?(?:new[ \t]+)?$", re.IGNORECASE)


def _is_launched(body: str, name: str) -> bool:
    """`name` is printed right after a launch verb somewhere ("the launch of CareHub", "launched Waavely"): a product."""
    at = body.find(name)
    while at >= 0:
        if _LAUNCH_BEFORE.search(body, max(0, at - 40), at):
            return True
        at = body.find(name, at + len(name))
    return False


# The body that gives a recognition ("has been recognized as one of America's Best Employers by Acme
# Weekly, one of the Top Fintechs by Beta News", "was voted #1 by Gamma Magazine for ..."): every "by X"
# of the sentence after the cue word is an awarding body. The cue is a passive ("is/was/has been
# recognized", "being named"), not a comparison ("greater than recognized by the court"); a ranking is a
# recognition only with an award word after it ("ranked by X as a top franchise"; "ranked 183rd on the
# index by X" cites a source); a person's honour ("his work was recognized by X", "Founder Jane Doe has
# been recognized by X") is not the company's. Found from the cue words (`_BODY_SCAN`), to the sentence's end.
_ABOUT_WORDS = ("About", "ABOUT")
_ABOUT_AT = re.compile(r"(?:About|ABOUT)[ \t]+[A-Z]")
_ABOUT_PREFIX = re.compile(r"[ \t]*(?:#+[ \t]*|\*\*)?")


def _about_start(body: str, hits: WordHits) -> int:
    """Where the first About heading ("About Acme", "## ABOUT ACME") starts its line; the text's length if none.
    Found from the words (`hits`: `_BODY_SCAN.find(body)`) rather than a multi-line scan, which tries every position."""
    first = len(body)
    for word in _ABOUT_WORDS:
        for at in hits.disjoint(word):
            if at >= first:
                break
            line = body.rfind("\n", 0, at) + 1
            if _ABOUT_AT.match(body, at) and _ABOUT_PREFIX.fullmatch(body, line, at):
                first = line
                break
    return first


_RECOGNITION_CUES = ("recogni", "voted", "ranked", "hono", "named")  # each start is checked by _RECOGNITION_CUE
_RECOGNITION_CUE = re.compile(r"(?:recogni[sz]ed|voted|ranked|honou?red|named)(?![\w])")
_PASSIVE_BEFORE = re.compile(r"(?<![\w])(?:is|are|was|were|be|been|being)[ \t]+(?:[a-z]+ly[ \t]+)?$")
_AWARD_WORD = re.compile(r"(?i)(?<![\w])(?:top|best|#[ \t]?1|award|list)(?![\w])")
_PERSON_SUBJECT = re.compile(r"(?<![\w])(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|[Hh]im|I|[Mm]y|[Mm]e|Founder|Owner|Director|CEO|President|Chairman|Officer)(?![\w])")
_BY_NAME = re.compile(rf"(?<![\w])by[ \t]+(?:the[ \t]+)?(?P<name>(?<![\w.]){_NAME})")
_RECOGNITION_END = re.compile(r"(?<!\.[A-Z])\.(?:[ \t]|$)|\n|;")  # not the full stop of an initialism ("U.S. News")
_RECOGNITION_WINDOW = 300


def _recognition_bodies(body: str, about: int, hits: WordHits) -> list[Found]:
    """Awarding bodies of the recognitions a sentence reports, tried only after a cue word and before
    the first About block at `about` (a firm's boilerplate list of its past honours is not what the release
    reports); `hits`: `_BODY_SCAN.find(body)`."""
    found = []
    end = 0
    cues = sorted({at for cue in _RECOGNITION_CUES for at in hits.at(cue) if at + len(cue) <= about})  # the cues printed before `about`
    for at in cues:
        if at < end or (at and _CUE_GLUED.match(body, at - 1)) or not _RECOGNITION_CUE.match(body, at):
            continue
        if not _PASSIVE_BEFORE.search(body, max(0, at - 24), at):
            continue
        stop = _RECOGNITION_END.search(body, at, at + _RECOGNITION_WINDOW)
        end = stop.start() if stop else min(len(body), at + _RECOGNITION_WINDOW)
        if body.startswith("ranked", at) and not _AWARD_WORD.search(body, at, end):
            continue
        sentence = max(body.rfind(". ", 0, at), body.rfind("\n", 0, at)) + 1
        if _PERSON_SUBJECT.search(body, sentence, at):
            continue
        by = body.find("by ", at, end)
        while by >= 0:
            if (match := _BY_NAME.match(body, by, end)) and not _TITLE_WORD.search(match.group("name")):
                found.append(Found(match.group("name"), match.start("name"), "awarding body"))
            by = body.find("by ", by + 3, end)
    return found


# The rest of a list of investors ("investors like A, B, C and D"): names joined by commas / "and".
# The organisation a quoted speaker speaks for ("..., said Jo Park, CEO of Acme Trust.", "said Jo Park,
# owner of Beta Recruiting", "said Jo Park, Director of Equity at Gamma Stores"): the speaker's firm
# takes part in what the release reports (the issuer, a partner, a customer quoted). The title runs to
# the clause's end (a comma, a full stop, a quote); the firm follows its last "at", else its "of" after a
# title made of job-title words only ("President and Chief Revenue Officer of"): "Board Chair of the X
# Coalition and President of Y" has other words (a person's other post) and a department ("Director of
# Operations Support") is no firm. Found from the speech verbs (`_BODY_SCAN`), before the first About block.
_SPEECH_VERBS = (" said ", " says ", " stated ")  # "added", "noted", "commented" and "explained" find 6 of 209 over c0001-c1600
_SPEAKER = re.compile(r"[ \t]+(?:[A-Z][\w'’.-]+[ \t]+){1,3}?[A-Z][\w'’-]+,[ \t]+(?:the[ \t]+)?(?=[A-Za-z])")
_TITLE_CLAUSE_END = re.compile(r"[,.;:“”\"()\n]")
_JOB_TITLE = re.compile(
    r"(?:(?:Co-?)?(?:Founder|founder|Owner|owner|CEO|CFO|COO|CTO|CMO|CIO|President|Chairman|Chairwoman|Chair|Director|Partner|partner|Principal|"
    r"Manager|Officer|Head|Vice|Senior|Executive|Chief|Managing|General|Founding|founding|Lead|Regional|Global|Sales|Marketing|Operating|"
    r"Financial|Technology|Technical|Revenue|Strategy|Business|Development|Product|Operations|Investment|and|&)[ \t]*)+"
)
# A firm's head, not a department's ("Vice President of Stewardship Investing", "Director of Community Engagement").
_HEAD_TITLE = re.compile(r"(?<!Vice )(?:CEO|[Ff]ounder|[Oo]wner|President|Chairman|Chairwoman|[Pp]artner|Principal|Executive Officer)[ \t]*$")
_DEPARTMENT_WORDS = frozenset(
    "operations support community engagement diversity equity inclusion belonging marketing sales business development strategy "
    "finance communications programs partnerships product engineering research technology innovation growth policy education "
    "services customer success public affairs relations investor corporate human resources digital data clinical regulatory "
    "medical legal compliance global international commercial sustainability impact content events people culture talent design "
    "brand revenue enterprise strategic infrastructure security risk and &".split()
)
_ORG_AFTER = re.compile(rf"(?:the[ \t]+)?(?P<name>(?<![\w.]){_NAME})(?=[ \t]*(?:[,;:!?”\"()\n]|\.(?!\w)|$))")  # the name ends the clause: not "of TOMY international", "of Acme.com"


def _speaker_organisations(body: str, about: int, hits: WordHits) -> list[Found]:
    """The organisations quoted speakers speak for, before the first About block at `about`
    (`hits`: `_BODY_SCAN.find(body)`)."""
    found = []
    for verb in _SPEECH_VERBS:
        for at in hits.at(verb):
            if at + len(verb) > about:
                break  # the verb's occurrences before the About block, as `body.find(verb, 0, about)` gives them
            speaker = _SPEAKER.match(body, at + len(verb) - 1)
            if not speaker:
                continue
            stop = _TITLE_CLAUSE_END.search(body, speaker.end(), speaker.end() + 160)
            clause = body[speaker.end() : stop.start() if stop else speaker.end() + 160]
            if not _JOB_TITLE.match(clause):
                continue  # "said Jo Park, a local resident"
            cut = clause.rfind(" at ")
            if cut < 0 and ((cut := clause.find(" of ")) < 0 or not _JOB_TITLE.fullmatch(clause[:cut]) or not _HEAD_TITLE.search(clause[:cut])):
                continue  # no firm; a title with other words ("Board Chair of the X Coalition and President of Y"); a department's head
            if not (org := _ORG_AFTER.match(body, speaker.end() + cut + 4)) or _TITLE_WORD.search(org.group("name")):
                continue
            name = org.group("name")
            if name.endswith("-"):
                continue  # a name broken at the line's end ("Acme Diag-\nnostics"): its full spelling is found elsewhere
            if re.search(rf":[ \t]*{re.escape(name)}\)", body):
                continue  # the listed company's ticker ("CEO of ACME" beside "(NASDAQ: ACME)"): its name is found already
            if clause[cut:].startswith(" of ") and all(word.lower() in _DEPARTMENT_WORDS for word in name.split()):
                continue  # "Director of Operations Support": a department
            found.append(Found(name, org.start("name"), "speaker's organisation"))
    return found


_LIST_NEXT = re.compile(rf"(?:,[ \t]*(?P<comma_and>and[ \t]+)?|[ \t]+(?P<and>and)[ \t]+)(?:the[ \t]+)?(?P<name>{_TOKEN}(?:[ \t]+(?:(?:&|of)[ \t]+)?{_TOKEN}){{0,5}})")
_PLACE_AFTER = re.compile(r"\.?-based\b")  # "..., Waltham, Mass.-based Pitango": a place, not a name
_LISTED_ROLES = frozenset({"investor", "host", "partner", "recipient"})
_WHOLE_LIST_ROLES = frozenset({"host", "recipient"})  # an event's sponsors, a programme's recipients: read to the list's end
_LEGAL_FORM_ONLY = re.compile(rf"(?:{LEGAL_SUFFIX})")
_PRODUCT_CODE = re.compile(r"[A-Z]{1,5}-?\d{3,}")
_APPOSITIVE = re.compile(r",[ \t]+(?:an?|the)[ \t]")
_AS_WELL_AS = re.compile(r",?\s+as\s+well\s+as\s")  # closes a list as "and" does
_TITLE_WORD = re.compile(r"\b(?:Mayor|Governor|Minister|Senator|Representative|Secretary|President|Mr|Mrs|Ms|Dr)\b")


def _rest_of_list(body: str, first: str, end: int, role: str, from_cue: bool) -> list[Found]:
    """The other names of a list of investors or sponsors, when the list names organisations.

    "investors such as Bill Ackman, Jay Z" lists people: read on only when the first name is an
    organisation form. "investors from Northgale, Pellucid, Arbor Capital" names where the money
    comes from: one organisation form among the names is enough. An event's sponsors and hosts
    ("sponsored by Google Cloud, The Block, ChainGPT and other leaders") are read to the end.
    A partner's list is read when it closes with "and" ("partnerships with A and B", "alliances with
    A, B, and C"): "a partnership with Acme, Boston, Massachusetts" names one partner and places.
    """
    rest = []
    closed = False
    while more := _LIST_NEXT.match(body, end):
        end = more.end()
        if _LEGAL_FORM_ONLY.fullmatch(more.group("name")):  # "Quorra Sensors, Inc.": the legal form of the name before
            if rest:
                rest[-1] = Found(f"{rest[-1].name}, {more.group('name')}", rest[-1].start, role)
            else:
                first = f"{first}, {more.group('name')}"
            continue
        if _PLACE_AFTER.match(body, more.end()):  # "A, Waltham, Mass.-based B": the list runs into a place
            if rest and body[rest[-1].start + len(rest[-1].name) : more.start("name")] == ", ":
                rest.pop()
            break
        rest.append(Found(more.group("name"), more.start("name"), role))
        closed = bool(more.group("and") or more.group("comma_and"))
        if closed:  # "A and B" and "A, B, and C" end the list ("with A, B, and C, Acme has launched")
            break
    else:
        closed = bool(rest) and bool(_AS_WELL_AS.match(body, end))  # "alliances with A, B, C, as well as 20 other partners"
    if role == "partner":
        # "with the Ministry of Industry and Advanced Technology" and "with Apollo Solar and Battery, an
        # international firm" are one name each; "with the Mayor of X, Jane Doe, and ..." lists people
        # after a company with its legal form, a bare "and" adds a person ("with Sense Labs, Inc. and Jane Doe")
        bare_and = len(rest) == 1 and body[rest[0].start - 4 : rest[0].start] == "and "
        one_name = bare_and and (" of " in first or _APPOSITIVE.match(body, end) or (_is_organisation(first) and not _is_organisation(rest[0].name)))
        if one_name or any(_TITLE_WORD.search(item) for item in [first, *(f.name for f in rest)]):
            return []
        # a product code in the list ("partnered with Acme, and PF-0804605, targeting EGFR") is not a partner
        rest = [item for item in rest if not _PRODUCT_CODE.match(item.name)]
        return rest if closed else []
    return rest if role in _WHOLE_LIST_ROLES or _is_organisation(first) or (from_cue and any(_is_organisation(item.name) for item in rest)) else []


_ORGANISATION_END = re.compile(rf"(?:{LEGAL_SUFFIX}|{ORG_NOUN})\.?$")


def _is_organisation(name: str) -> bool:
    """The name ends in a legal form or an organisation noun ("Vertex Ventures", "Acme Ltd.")."""
    return bool(_ORGANISATION_END.search(name.strip(" ,")))




def _matches_at_cues(regex: re.Pattern[str], body: str, starts: tuple[str, ...], positions: list[int] | None = None) -> list[re.Match[str]]:
    """The matches of a phrase that begins with one of `starts`, tried only where one is printed
    (`positions`, when the caller has found them already)."""
    if positions is None:
        positions = _BODY_SCAN.find(body).union(starts)
    matches: list[re.Match[str]] = []
    end = 0
    for at in positions:
        if at >= end and (match := regex.match(body, at)):
            matches.append(match)
            end = max(match.end(), at + 1)
    return matches


# A labelled line of sponsors or partners ("Title Sponsors- Acme Foods, Norvale Bank, City Gas Company"):
# the label at a line start, a dash or colon, then the names joined by commas (", and"). Each item
# is a participant when it is a short capitalised name (no lower-case word but joiners).
_SPONSOR_LINE = re.compile(
    r"[ \t*]*(?:(?:Presenting|Title|Lead|Platinum|Gold|Silver|Bronze|Media|Community|Supporting|Event)[ \t]+)?"
    r"(?:Sponsors?|Partners?)[ \t]*[-–—:][ \t]*(?P<list>[^\n]+)"
)
_SPONSOR_ITEM = re.compile(r"[A-Z0-9][\w.&’'+-]*(?:[ \t]+(?:[A-Z0-9][\w.&’'+-]*|&|and|of|the|for|de|du))*")
_SPONSOR_SPLIT = re.compile(r",[ \t]*(?:and[ \t]+)?")  # not at a bare "and": "Florida Power and Light Company" is one name
_SPONSOR_ANCHORS = ("Sponsor", "Partner")


def _sponsor_lines(body: str, hits: WordHits) -> list[Found]:
    """The names of each labelled sponsor / partner line, tried only at the lines that hold a label word
    (`hits`: `_UNMASKED_SCAN.find(body)`)."""
    found = []
    line_starts = sorted({body.rfind("\n", 0, at) + 1 for at in hits.union(_SPONSOR_ANCHORS)})
    for line_start in line_starts:
        match = _SPONSOR_LINE.match(body, line_start)
        if not match:
            continue
        at = match.start("list")
        for item in _SPONSOR_SPLIT.split(match.group("list")):
            name = item.strip()
            if name and len(name.split()) <= 8 and _SPONSOR_ITEM.fullmatch(name):
                found.append(Found(name, body.find(name, at), "partner"))
    return found


# A bulleted list of organisations under a line that says what they are ("displays from more than
# 25 companies, including:" / "Our exhibitors:"): each bullet that is a short capitalised name is one.
_LIST_INTRO = re.compile(
    r"(?i)\b(?:companies|organi[sz]ations|partners|sponsors|exhibitors|participants|members|customers|clients|firms|institutions|"
    r"finalists|recipients)\b[^.\n]{0,40}:[ \t]*$"
)
_BULLET_ITEM = re.compile(rf"[ \t]*[*•–-][ \t]+(?P<name>{_SPONSOR_ITEM.pattern}(?:,?[ \t]+(?:{LEGAL_SUFFIX}))?)[ \t]*$")
_BULLET = re.compile(r"[ \t]*[*•–-][ \t]")
_MIN_BULLETS = 2


def _bullet_lists(body: str, hits: WordHits) -> list[Found]:
    """The names of each bulleted list of organisations, tried only at lines that end with a colon
    (`hits`: `_UNMASKED_SCAN.find(body)`)."""
    found = []
    for at in hits.at(":\n"):
        line_start = body.rfind("\n", 0, at) + 1
        if not _LIST_INTRO.search(body, line_start, at + 1):
            continue
        items = []
        for line in body[at + 2 :].split("\n"):
            if not line.strip():
                if items:
                    break
                continue
            if not _BULLET.match(line):  # the list ends at the first line that is not a bullet
                break
            if (item := _BULLET_ITEM.fullmatch(line)) and len(item.group("name").split()) <= 8:
                items.append(item.group("name"))
        if len(items) >= _MIN_BULLETS:
            found += [Found(name, body.find(name, at), None) for name in items]
    return found


# A messaging or social network's group ("follow us on X and Telegram Group") is a channel, not a company.
_SOCIAL_GROUP = re.compile(r"(?:Telegram|Discord|WhatsApp|WeChat|Facebook|Reddit|Signal)[ \t]+(?:Group|Media)$")


# An organisation noun's "for ..." tail that is a company of its own, with its legal form.
_FOR_COMPANY = re.compile(rf"[ \t]for[ \t]+(?P<name>[A-Z][^ \t]*(?:[ \t]+[A-Z][^ \t]*)*?[ \t]+(?:{LEGAL_SUFFIX}))$")


# A list of names two neighbours of which are organisations by their form ("..., while ANZ, Cathay
# United Bank, Commerzbank, Maybank Securities, MUFG Bank and the State Bank of India acted as
# arrangers") lists organisations: its other items, short capitalised names, are read too. Tried only
# where two scanned names stand side by side with a comma between them.
_LIST_ITEM = rf"(?:the[ \t]+)?(?P<name>{_TOKEN}(?:[ \t]+(?:(?:&|of)[ \t]+)?{_TOKEN}){{0,4}})"
_ITEM_BEFORE = re.compile(rf"(?<![\w.’'&-]){_LIST_ITEM},[ \t]+$")
_JOINED_BEFORE = re.compile(r"(?:[A-Z][\w'’&.-]*|&|of|for|and)[ \t]+$")  # the item is the tail of a longer name ("the Foundation for X")
_ITEM_AFTER = re.compile(rf",[ \t]+(?P<and>and[ \t]+)?{_LIST_ITEM}|[ \t]+(?P<and2>and)[ \t]+{_LIST_ITEM.replace('(?P<name>', '(?P<name2>')}")
# The sentence says what the listed firms do in the reported deal ("led by", "participated", "acted as
# arrangers"); a list of backers or supporters ("backed by firms including A, B and C", "supported by
# A, B, C") may be history or boilerplate and is left as the scans find it.
_LIST_ROLE = re.compile(r"\b(?:led|co-led|participat\w*|(?:act|acted|acting|serve|served|serving)[ \t]+as)\b")
_LIST_WINDOW = 60
_LIST_MAX = 12


def _list_items(body: str, named: list[Found], about: int) -> list[Found]:
    """The other items of each list in which two scanned organisation names are neighbours, before
    the first About block at `about`."""
    found = []
    ends = {}
    for item in sorted(named, key=lambda f: f.start):
        ends[item.start] = item.start + len(item.name)
    starts = sorted(ends)
    for first, second in zip(starts, starts[1:]):
        if body[ends[first] : second] != ", " or first > about:
            continue  # an About block's lists (brands, subsidiaries, customers) are corporate structure
        sentence = max(body.rfind(". ", 0, first), body.rfind("\n", 0, first)) + 1
        stop = body.find(". ", second)
        if not _LIST_ROLE.search(body, sentence, stop if stop >= 0 else len(body)):
            continue
        at = first  # backwards: "A, B, " before the first neighbour
        while (
            (before := _ITEM_BEFORE.search(body, max(0, at - _LIST_WINDOW), at))
            and not _TITLE_WORD.search(before.group("name"))
            and not _JOINED_BEFORE.search(body, max(0, before.start() - 30), before.start())
        ):
            found.append(Found(before.group("name"), before.start("name"), "listed"))
            at = before.start()
        at = ends[second]  # forwards: ", C, and D" after the second
        for _ in range(_LIST_MAX):
            if not (after := _ITEM_AFTER.match(body, at)):
                break
            name, start = (after.group("name"), after.start("name")) if after.group("name") else (after.group("name2"), after.start("name2"))
            if _TITLE_WORD.search(name) or _PLACE_AFTER.match(body, after.end()) or _MODIFIER_AFTER.match(body, after.end()):
                break  # a person, a place, a modifier ("and Apple co-founder Jane Doe", "the A and B broadcast networks")
            found.append(Found(name, start, "listed"))
            if after.group("and") or after.group("and2"):
                break
            at = max(after.end(), ends.get(start, 0))
    return found


# The words the functions above look for with a find loop each, found in one pass per text
# (`WordScan`): in the masked body, and in the unmasked one (a sponsor line or a list looks like a headline).
_BODY_SCAN = WordScan([
    *(word for starts in (*_CUE_STARTS.values(), *_PATTERN_STARTS.values()) for word in starts),
    *_DESCRIBED_ANCHORS, *_ABOUT_WORDS, *_RECOGNITION_CUES, " Annual", *_SPEECH_VERBS,
])
_UNMASKED_SCAN = WordScan([*_SPONSOR_ANCHORS, ":\n"])


def _raw_companies(text: str, lowered_text: str | None = None) -> list[Found]:
    """`lowered_text`: `text.lower()`, when it lower-cases each character on its own (`lowers_by_character`)."""
    unmasked = _body(text)
    body = _mask_headlines(unmasked)
    if lowered_text is not None:  # the body is a prefix of the text: its lower-casing is a prefix of `lowered_text`
        lowered_unmasked = lowered_text[: len(unmasked)]
        lowered = _masked_lowered(body, lowered_unmasked)
    else:
        lowered_unmasked, lowered = unmasked.lower(), body.lower()
    printed = _BODY_SCAN.find(body)
    printed_unmasked = _UNMASKED_SCAN.find(unmasked)
    found: list[Found] = []
    for regex, anchor in _NAME_SCANS:
        for match in finditer_in(regex, body, segments_with(anchor, body, _NAME_SEPARATOR)):
            if _ARTICLE_BEFORE.search(body, max(0, match.start() - 4), match.start()) and not _MODIFIER_AFTER.match(body, match.end()):
                continue  # "an Alaska Native Corporation" is a description; "a Halvard Securities report" names Halvard
            name = match.group("name")
            if regex is _ORG_NAME and _SOCIAL_GROUP.search(name):
                continue  # "join our Telegram Group": a chat channel, not a company
            if regex is _ORG_NAME and " for " in name and (tail := _FOR_COMPANY.search(name)):
                found.append(Found(tail.group("name"), match.start() + tail.start("name")))
                continue  # "Data and Access Solutions for Cboe Global Markets Inc": the company is the tail
            found.append(Found(name, match.start()))
    about = _about_start(body, printed)
    found += _list_items(body, found, about)
    found += _annual_event_hosts(body, printed)
    found += _described_names(body, printed)
    found += _recognition_bodies(body, about, printed)
    found += _speaker_organisations(body, about, printed)
    found += about_names(unmasked, lowered_unmasked)
    found += _sponsor_lines(unmasked, printed_unmasked)  # a sponsor line looks like a headline to the mask
    found += _bullet_lists(unmasked, printed_unmasked)
    # The role patterns are case-sensitive, so their ASCII anchors are in the lower-cased body
    # whenever they match (whatever else the text holds), at the same offsets when lowering
    # keeps every character one character long.
    aligned = len(lowered) == len(body)
    hits: list[tuple[str, str, re.Match[str]]] = []
    positions: dict[tuple[str, ...], list[int]] = {}  # the cue words of a role's phrases, merged once for all of them
    for role, regex, segment_anchor, cue_starts, anchors in _ROLE_PLANS:
        if not aligned:
            segment_anchor = None
        starts = None if segment_anchor else cue_starts
        if starts is not None:  # a phrase that starts with its cue words: tried only where they are printed
            if (at := positions.get(starts)) is None:
                at = positions[starts] = printed.union(starts)
            hits += [(role, name, match) for match in _matches_at_cues(regex, body, starts, at) if (name := match.group("name") or match.groupdict().get("name2"))]
            continue
        if not may_match(anchors, lowered):  # most role phrases are absent from most releases
            continue
        # the phrases that start with a name scan the runs that hold their cue
        if segment_anchor:
            matches: Iterable[re.Match[str]] = finditer_in(regex, body, segments_with(segment_anchor, body, _ROLE_SEPARATOR, lowered))
        else:
            matches = regex.finditer(body)
        hits += [(role, name, match) for match in matches if (name := match.group("name") or match.groupdict().get("name2"))]
    for role, name, match in hits:
        if role in _COUNTERPARTY_ROLES and _HOLDING_AFTER.match(body, match.end()):
            continue
        if role == "target" and body.startswith("acquir", match.start()) and _is_launched(body, name):
            continue  # "launched the Acme USD Coin ... users can acquire Acme USD Coin": the issuer's product (not "the acquisition of X")
        if role in _WORD_START_ROLES and match.start() and _CUE_GLUED.match(body, match.start() - 1):  # "reacquired": not the cue word
            continue
        if role == "host" and _PERSON_HOST.match(body, match.start()) and not _is_organisation(name) and " " in name.strip():
            continue  # "a show hosted by Adam Curry": a person; "a launch hosted by Pinksale" names one
        if role == "partner" and (body.startswith("partner ", match.start()) and not _PARTNER_NOUN.search(body, max(0, match.start() - 40), match.start())
                                  or _NOUN_AFTER.match(body, match.end())):
            continue  # "to partner with Anne Wilson" (a verb, often a person); "partnerships with Chinese automobile makers"
        if role == "described" and (match.start() < 2 or not _AFTER_LOWER_WORD.match(body, match.start() - 2)):  # "health-tech firm X", not "Firm X"
            continue
        if role in _SUBJECT_ROLES:  # the name ends at the verb: keep its last company
            name = split_at_suffixes(name)[-1]
            if name in _PRONOUNS:  # "He has attached a $14 price target": the analyst, a person
                continue
        found.append(Found(name, match.start(), role))
        if role in _LISTED_ROLES:
            from_cue = match.group(0).split()[1].startswith("from") or " round " in match.group(0)  # where the money comes from
            found += _rest_of_list(body, name, match.end(), role, from_cue)
    return found


# A name printed once in full and once abbreviated ("Gemina Laboratories" ... "Gemina Labs").
_ABBREVIATED = re.compile(r"\blabs\b")


def _same_company(a: str, b: str) -> bool:
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return False
    if "labs" in na or "labs" in nb:  # (a test in C: this runs for every pair of candidates)
        na, nb = _ABBREVIATED.sub("laboratories", na), _ABBREVIATED.sub("laboratories", nb)
    if na == nb:
        return True
    short, long_ = sorted((na, nb), key=len)
    return (long_.startswith(short + " ") and len(short.split()) >= 2) or fuzz.ratio(na, nb) >= 92


def _is_subpart(name: str, other: str) -> bool:
    """`name` is a proper leading part of `other`'s words ("Ondas" of "Ondas Holdings Inc.")."""
    a, b = normalize_name(name).split(), normalize_name(other).split()
    return 0 < len(a) < len(b) and b[: len(a)] == a


# Syndication brands named "...Wire" ("PRISM MediaWire", "TechMediaWire") are wire services.
_WIRE_BRAND = re.compile(r"[a-z]Wire\b")


# A heading run into the name that starts its paragraph ("Breakthrough In Point-Of-Care
# DiagnosticsGemina Labs", "Mill Recovery ProgramWest Red Lake Gold Mines Ltd."): a word's lower-case
# letters run into a capitalised word with no blank.
# Every glue point is tried, the first whose rest is printed on its own is cut ("David ShapiroChief
# Executive OfficerB2i Digital, Inc", a contact line run together: "B2i Digital").
_GLUED_TITLE = re.compile(r"(?:[A-Z][\w'’-]*[ \t]+)*?[A-Z][\w'’-]*?[a-z](?=(?P<rest>[A-Z][a-z0-9][\w'’-]*[ \t]+[A-Z][\w'’-]*))")


def _glue_point(name: str, text: str) -> re.Match[str] | None:
    """The first glue point of `name` whose rest is printed on its own in `text`, if any."""
    at = 0
    while (glued := _GLUED_TITLE.match(name, at)) is not None:
        if re.search(rf"(?<![\w]){re.escape(glued.group('rest'))}\b", text):
            return glued
        at = glued.end()  # the match is anchored at `at` (a prefix of capitalised words)
    return None


def _unglue(merged: list[tuple[str, str | None, int]], spellings: list[set[str]], text: str) -> None:
    """Cut a heading glued on a kept name, when what follows the glue is printed on its own.

    A camel-case brand ("Compete In BullRush", "BlackRock Inc.") is not cut: "Rush" and "Rock Inc."
    are never printed as words of their own; "Gemina Labs" of "... ImpactGemina Labs" is. The cut
    name joins the entry it then names, if any. Run on the kept names (a few per text), not on
    every candidate.
    """
    for i in range(len(merged) - 1, -1, -1):
        glued = _glue_point(merged[i][0], text)
        if not glued:
            continue
        name = clean_name(merged[i][0][glued.end() :])
        while name and (again := _glue_point(name, text)):  # "ShapiroChief Executive OfficerB2i Digital": every glue is cut
            name = clean_name(name[again.end() :])
        if not name:
            continue
        other = next((j for j, entry in enumerate(merged) if j != i and _same_company(entry[0], name)), None)
        if other is None:
            merged[i] = (name, merged[i][1], merged[i][2])
        else:
            spellings[other] |= spellings[i]
            kept = name if _prefer(name, merged[other][0]) else merged[other][0]  # "Soligenix Inc." over "Soligenix"
            merged[other] = (kept, merged[other][1] or merged[i][1], merged[other][2])
            del merged[i], spellings[i]


def find_companies(text: str, issuer_name: str | None = None) -> list[Company]:
    """Companies named in the text, de-duplicated, in order of first mention, with roles when evident.

    Dropped: defined terms ("the “Property”") and names every spelling of which is printed only as
    corporate structure or history (`llmx.rules.structure`). An acronym the text defines is
    written out ("BARDA" -> "Biomedical Advanced Research and Development Authority").
    """
    merged: list[tuple[str, str | None, int]] = []
    spellings: list[set[str]] = []
    keys: list[str] = []  # each entry's name with its acronym written out, what a new spelling is compared with
    written: dict[str, str] = {}
    lowered = text.lower()  # once for the whole text: its pieces' lower-casings are slices of it when it is by character
    for item in sorted(_raw_companies(text, lowered if lowers_by_character(text, lowered) else None), key=lambda f: f.start):
        name = clean_name(item.name)
        if not name:
            continue
        key = _written_key(name, text, written)
        for i, (kept, role, start) in enumerate(merged):
            if _same_company(kept, name) or _is_subpart(kept, name) or _is_subpart(name, kept) or _same_written(kept, keys[i], name, key):
                if _prefer(name, kept) or (name == keys[i] != kept):  # the written-out spelling over the acronym
                    merged[i], keys[i] = (name, role or item.role, start), key
                else:
                    merged[i] = (kept, role or item.role, start)
                spellings[i].add(name)
                break
        else:
            merged.append((name, item.role, item.start))
            spellings.append({name})
            keys.append(key)
    _unglue(merged, spellings, text)
    stretches = structure_stretches(text, lowered)
    terms = defined_terms(text)
    companies = []
    for (name, role, _), names in zip(merged, spellings):
        key = _written_key(name, text, written)
        is_issuer = bool(issuer_name and (_same_company(name, issuer_name) or _is_subpart(issuer_name, name)
                                          or _same_written(name, key, issuer_name, _written_key(issuer_name, text, written))))
        if not is_issuer and (name in terms or _WIRE_BRAND.search(name) or all(only_in_stretches(n, text, stretches) for n in names)):
            continue
        if is_issuer and issuer_name and _is_structure_spelling(name, names, issuer_name, text, stretches):
            continue
        if is_issuer and issuer_name and normalize_name(name) == normalize_name(issuer_name) and _words(name) != _words(issuer_name):
            name = issuer_name  # one spelling of the issuer ("... Inc." and "... Incorporated"), the issuer rules'
        elif is_issuer and issuer_name and key != name and len(issuer_name) > len(name):
            name = issuer_name  # the issuer's acronym ("NMTC Coalition"): the issuer rules' longer spelling
        name = expand_acronym(name, text) or name
        companies.append(Company(name=name, role="issuer" if is_issuer else role))
    return companies


def _is_structure_spelling(name: str, names: set[str], issuer_name: str, text: str, stretches: list[tuple[int, int]]) -> bool:
    """A unit that shares the issuer's first words ("ONAR Labs" beside "ONAR Holding Corp.") printed only as
    its structure (Round 11): not the issuer, a part of it. The issuer's own spellings stay."""
    return not any(_same_company(n, issuer_name) or _is_subpart(n, issuer_name) for n in names) and all(
        only_in_stretches(n, text, stretches) for n in names)


def _same_written(a: str, a_key: str, b: str, b_key: str) -> bool:
    """Two spellings name one party once their acronyms are written out ("DoD" and "US Department of
    Defense"): the same words or a near spelling, not a leading part ("DIFC Innovation Hub" is not DIFC)."""
    if a_key == a and b_key == b:  # no acronym written out: the plain comparisons decide
        return False
    na, nb = normalize_name(a_key), normalize_name(b_key)
    return bool(na and nb) and (na == nb or fuzz.ratio(na, nb) >= 92)


def _written_key(name: str, text: str, written: dict[str, str]) -> str:
    """`name` with the acronym it is or starts with written out where the text defines it ("DoD" ->
    "Department of Defense", "NMTC Coalition" -> "New Markets Tax Credit Coalition"), so two spellings
    of one party merge; each spelling is written out once per text (`written`)."""
    if not (name[1:2].isupper() or name[2:3].isupper()):  # no acronym in its first word ("Acme Corp.")
        return name
    if name not in written:
        written[name] = written_out(name, text) or name
    return written[name]


_WORDS = re.compile(r"\w+")


def _words(name: str) -> list[str]:
    """The words of a name, lower-case ("Acme, Inc." and "ACME Inc" have the same words)."""
    return _WORDS.findall(name.lower())


def _prefer(candidate: str, kept: str) -> bool:
    """Keep the fuller legal form of a name ("Xcel Brands, Inc." over "Xcel Brands")."""
    has_suffix = bool(SUFFIX_TAIL.search(candidate))
    kept_suffix = bool(SUFFIX_TAIL.search(kept))
    if has_suffix != kept_suffix:
        return has_suffix
    return len(candidate) > len(kept) and len(candidate.split()) <= len(kept.split()) + 2
