"""What a company name looks like: legal forms, organisation nouns, a candidate cleaned of sentence
words, the key two spellings share, and the names the release's About blocks describe.

The issuer rules and the company rules both read names; this module is what they share, so
neither reaches into the other's internals.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from llmx.rules.cues import Anchored, searchable
from llmx.rules.scan import find_all, lowers_by_character

LEGAL_SUFFIX = (
    r"Inc\.?|Incorporated|Corp\.?|Corporation|Ltd\.?|Limited|L\.?L\.?C\.?|L\.?L\.?P\.?|L\.P\.|LP|P\.?L\.?C\.?|plc|AG|P\.C\.|P\.A\.|PLLC|"
    r"GmbH & Co\.? KG(?:aA)?|S\.A\.?|SA|N\.V\.?|NV|B\.V\.?|BV|GmbH|SE|S\.p\.A\.?|SpA|A/S|ASA|AB|Oyj|K\.K\.|Pty\.? Ltd\.?|Co\.(?:,? Ltd\.?)?|Holdings?|"
    r"S\.r\.l\.?|Srl|S\.A\.S\.?|SAS|S\.L\.|Sdn\.? Bhd\.?|Pte\.? Ltd\.?|KGaA|Tbk"
)
# Words that often end an organisation's name without being a legal form.
ORG_NOUN = (
    r"Capital Markets|Asset Management|Partners|Capital|Group|Labs?|Laboratories|Pharmaceuticals?|Pharma|Therapeutics|Biopharma|BioPharma|"
    r"Biosciences|Biotech|Technologies|Systems|Networks|Securities|Ventures?|Bank|Solutions|Industries|"
    r"Aerospace|Advisors|Associates|Investments|Foundation|Association|Brands|Genetics|Hospitality|Marine|Media"
)

# Capitalised words that start sentences or headings and are never the first word of a name.
LEADING_NOISE = frozenset(
    "the about with under for in at by from and including as its our both between this that also while when if a an "
    "today following through per to on of after before during via new said according recent such these those "
    "contact investors media advisors advisor source million billion thousand ceo cfo coo chairman president founder "
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october "
    "nov november dec december monday tuesday wednesday thursday friday "
    "joining welcoming introducing announcing join visit follow courtesy photo credit".split()
)
NOT_PARTIES = re.compile(
    r"^(?:.*\b(?:newswire|news ?wire|wire|newsramp|citybiz|benzinga|accesswire|globe ?newswire|business ?wire|"
    r"pr ?newswire|newmediawire|newsfile|cnw|investorbrandnetwork|ibn)\b.*|(?:the )?(?:nasdaq|nyse|otc\w*|tsx|cse|asx|"
    r"london stock exchange|new york stock exchange|otc markets?)(?: \w+)*\.?|(?:the )?(?:u\.s\. )?(?:food and drug "
    r"administration|securities and exchange commission|federal aviation administration|centers for disease "
    r"control.*|world health organization|fda|sec|faa|cdc|who|ema)|(?:the )?company|form \w+|private securities.*)$",
    re.IGNORECASE,
)

SUFFIX_WORD = re.compile(r"(?:Inc\.?|Incorporated|Corp\.?|Corporation|Ltd\.?|Limited|LLC\.?|LLP\.?|L\.P\.|plc|PLC|P\.C\.|P\.A\.|PLLC|AG|S\.A\.|N\.V\.|B\.V\.|GmbH|SE|S\.p\.A\.|ASA|AB|Oyj)")
SUFFIX_TAIL = re.compile(rf"[,\s]+(?:{LEGAL_SUFFIX})$", re.IGNORECASE)

@dataclass(frozen=True, slots=True)
class Found:
    name: str
    start: int
    role: str | None = None


@functools.lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """Lower-case, no punctuation, no legal suffix: the key two spellings of a company share.

    Cached: de-duplicating a document's companies compares every pair of candidate names.
    """
    stripped = name.strip()
    while True:
        shorter = SUFFIX_TAIL.sub("", stripped)
        if shorter == stripped:
            break
        stripped = shorter
    return re.sub(r"\s+", " ", re.sub(r"[^\w&]+", " ", stripped.lower())).strip()


_JOB_TITLE_END = re.compile(
    r"\b(?:officer|ceo|cfo|coo|president|chair\w*|director|founder|head|division|member|unit|arm|partner|manager|board|"
    r"counsel|analyst|secretary|treasurer|executive)$",
    re.IGNORECASE,
)


# A heading's last word run into the name that repeats it ("StonegateStonegate Capital Partners"),
# a camel-case brand too ("MineHubMineHub Technologies Inc."): four letters or more, a capital then a
# lower-case letter first.
_GLUED_HEADING = re.compile(r"^(?=[A-Z][a-z])([A-Z][A-Za-z]{3,}?)(?=\1[A-Z]?[a-z]*[ \t])")
# A contact label run into the name by text extraction ("Contact DetailsAcme Media Ltd").
_GLUED_LABEL = re.compile(r"^(?:Contact\s*)?Details(?=[A-Z])")
_POSSESSIVE = re.compile(r"['’]s$")
_DESCRIPTIVE_WORD = re.compile(r"-(?:recommended|based|owned|backed|led|listed|focused)$", re.IGNORECASE)
_TITLE_ONLY = re.compile(
    r"(?:(?:Chief|Executive|Senior|Vice|President|Officer|Chairman|Chairwoman|Chair|Director|Managing|General|Founder|Co-Founder|"
    r"Financial|Operating|Technology|Head|Board|of|and|the|CEO|CFO|COO|CTO|Dr|Mr|Mrs|Ms|Prof|Rep|Sen|Gov)\s*)+"
)
# A leading description ("Milan-headquartered", "Texas-based", "8th Annual") is not part of a name.
_LEADING_DESCRIPTION = re.compile(r"^(?:[A-Z][\w]*-(?:based|headquartered|born|listed|owned|founded)|Annual)\s+")
# After a comma, NV (Nevada) and AB (Alberta) are a place's state or province, not N.V. or AB.
_PLACE_TAIL = re.compile(r",\s*(?:NV|AB)$")


_GLUED_NUMBER = re.compile(r"^\d+(?=[A-Z][a-z])")
_NUMBER_WORD = re.compile(r"[\d.,$]+")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
_BARE_FORM = re.compile(rf"(?:{LEGAL_SUFFIX}|{ORG_NOUN})")


@functools.lru_cache(maxsize=4096)
def clean_name(name: str) -> str | None:
    """A candidate name without leading sentence words, job titles or a second company glued on.

    Cached: a document names its parties many times, and a batch names the same parties again.
    """
    # a number run into the name by text extraction ("... in 2025Wolftank Group") is not part of it
    words = _GLUED_NUMBER.sub("", name.replace("\n", " ").strip()).split()
    for i, word in enumerate(words[:-1]):
        if word == "of" and _JOB_TITLE_END.search(" ".join(words[:i])):  # "CEO of Acme Corp."
            words = words[i + 1 :]
            break
    while words and (
        words[0].lower().strip("*“\"'(") in LEADING_NOISE or _NUMBER_WORD.fullmatch(words[0]) or _LEADING_DESCRIPTION.match(words[0] + " ")
        or (_ORDINAL.fullmatch(words[0]) and words[1:2] == ["Annual"])  # "8th Annual ..." is an event
    ):
        words = words[1:]
    for i, word in enumerate(words[:-1]):
        if _POSSESSIVE.search(word) and words[i + 1][0].isdigit():  # "Debt.com’s 2025 Survey": the name ends at its possessive
            words = words[: i + 1]
            break
    while words and words[-1].lower() in {"and", "of", "&", "the"}:
        words = words[:-1]
    cleaned = split_at_suffixes(" ".join(words))[0] if words else ""
    cleaned = cleaned.strip(" ,;:“”\"'()*")
    cleaned = _POSSESSIVE.sub("", _GLUED_LABEL.sub("", cleaned))
    cleaned = _GLUED_HEADING.sub("", cleaned)  # "About Stonegate" run into "Stonegate Capital Partners"
    if _TITLE_ONLY.fullmatch(cleaned) or _DESCRIPTIVE_WORD.search(cleaned):  # a job title; "Michelin-recommended"
        return None
    if _PLACE_TAIL.search(cleaned):  # "Las Vegas, NV": a state or province code, not a legal form
        return None
    if len(cleaned) < 2 or not _TWO_LETTERS.search(cleaned) or NOT_PARTIES.match(cleaned):
        return None
    if _BARE_FORM.fullmatch(cleaned):
        return None
    return cleaned

def split_at_suffixes(name: str) -> list[str]:
    """'Foo S.A. Bar & Co LLC' -> ['Foo S.A.', 'Bar & Co LLC']: a legal form closes a name."""
    parts, current = [], []
    words = name.split()
    for i, word in enumerate(words):
        current.append(word)
        following = words[i + 1].strip(",") if i + 1 < len(words) else ""
        if len(current) > 1 and SUFFIX_WORD.fullmatch(word.strip(",")) and following and following != "&" and not SUFFIX_WORD.fullmatch(following):
            parts.append(" ".join(current))
            current = []
    if current:
        parts.append(" ".join(current))
    return parts

def about_names(text: str, lowered: str | None = None) -> list[Found]:
    """Names in "About X" headings whose block describes a company (IBN's own brands excluded).

    A release's About blocks describe its parties. A heading about a drug, a disease or a trial
    ("About Psoriasis") is not one: the block's first sentence must call X a company, firm,
    platform, provider ... And a block that says it belongs to a wire's brand portfolio is the wire's.
    `lowered`: `text.lower()` when the caller has it already.
    """
    found = []
    lowered = text.lower() if lowered is None else lowered
    sliced = lowers_by_character(text, lowered)  # a block's lower-casing is then a slice of `lowered`
    for match in about_lines(text, lowered):
        name = match.group("name") or match.group("glued")
        block = text[match.end() : match.end() + _ABOUT_BLOCK]
        lowered_block = lowered[match.end() : match.end() + _ABOUT_BLOCK] if sliced else block.lower()
        first = block.split(". ", 1)[0]
        if (
            name.lower() in _ABOUT_NOT_NAMES
            or name.split()[0].lower() in LEADING_NOISE  # "About At the Market Transactions": a topic
            or name.split()[0].lower() not in lowered_block  # a company's block names it again
            or _WIRE_BLOCK.search(block, lowered_block)
            or not (_COMPANY_WORD.search(first) or _acts_as_business(name, first))
        ):
            continue
        found.append(Found(name, match.start("name") if match.group("name") else match.start("glued")))
    return found


ABOUT_LINE = re.compile(
    r"(?im)^[ \t]*(?:#+[ \t]*)?(?:\*\*)?about[ \t]+(?:the[ \t]+)?(?:"
    r"(?P<name>[\w$][\w'’&.$-]*(?:[ \t]+[\w'’&.,-]+){0,6}?)[ \t]*(?:\([^)\n]{1,20}\))?[ \t]*(?:\*\*)?[ \t]*:?[ \t]*$"
    r"|(?P<glued>[A-Z][\w'’&.-]*(?:[ \t]+[\w'’&.-]+){0,5}?)[ \t]*(?P=glued)\b(?=[ \t]*[(,®™]|[ \t]+(?:is|are|was|has|operates|provides|offers|develops)\b))"
)
_ABOUT_BLOCK = 1500


def about_lines(text: str, lowered: str | None = None) -> list[re.Match[str]]:
    """What `ABOUT_LINE.finditer(text)` gives, tried only at the start of the lines that print "about" in any case.

    A match starts at a line start and never runs past its line, and "about" (re.IGNORECASE) is
    found in the lower-cased text, at the same offsets when lower-casing is safe (`cues.searchable`).
    `lowered`: `text.lower()` when the caller has it already.
    """
    lowered = searchable(text, lowered)
    if lowered is None:
        return list(ABOUT_LINE.finditer(text))
    line_starts = sorted({text.rfind("\n", 0, at) + 1 for at in find_all(lowered, "about")})
    return [match for line_start in line_starts if (match := ABOUT_LINE.match(text, line_start))]
_ABOUT_NOT_NAMES = frozenset({"us", "this release", "the company", "company", "the author", "author", "the offering", "the transaction"})
# (searched in 1,500-character blocks: `Anchored` tests its lower-case words first, instead of the
# IGNORECASE alternation tried at every position)
_WIRE_BLOCK = Anchored(re.compile(r"Dynamic Brand Portfolio|powered by IBN|InvestorBrandNetwork", re.IGNORECASE))
_COMPANY_WORD = re.compile(
    r"\b(?:compan(?:y|ies)|firm|founded|headquartered|based in|provider|leader|platform|organi[sz]ation|network|manager|developer|"
    r"manufacturer|operator|dealer|exchange|bank|fund|agency|business|corporation|group|enterprise|maker|producer|distributor|"
    r"retailer|start-?up|incubator|investor|publisher|consultancy|subsidiary|division)\b",
    re.IGNORECASE,
)


# A block that opens with the heading's name doing business ("About City Gear / City Gear operates
# more than 200 stores") describes a company even without a company word; "Psoriasis is ..." does not.
_BUSINESS_VERB = re.compile(
    r"[ \t]+(?:operates|provides|offers|develops|manufactures|designs|delivers|builds|serves|specializes|specialises|"
    r"sells|supplies|distributes|produces|owns|runs|empowers|enables|helps)\b"
)


def _acts_as_business(name: str, first: str) -> bool:
    """The About block's first sentence starts with `name` and a verb of doing business."""
    first = first.lstrip()
    return first.startswith(name) and bool(_BUSINESS_VERB.match(first, len(name)))
