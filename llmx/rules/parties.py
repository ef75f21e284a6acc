"""Who takes part: the issuer of the release and the companies named in it, with roles.

Company names are found three ways, all from general patterns: a run of capitalised words ending
in a legal suffix ("Maxim Group LLC"), the name printed before an exchange listing
("Acme Bio (NASDAQ: ACME)"), and names in role phrases ("X is acting as placement agent",
"a partnership with X"). Wire services, exchanges and regulators are never parties.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from operator import itemgetter

from rapidfuzz import fuzz

from llmx.rules.cues import anchor_search, may_match
from llmx.rules.scan import finditer_in, lines_with, segments_with
from llmx.rules.structure import defined_terms, expand_acronym, only_in_stretches, structure_stretches
from llmx.schema import Company

_LEGAL_SUFFIX = (
    r"Inc\.?|Incorporated|Corp\.?|Corporation|Ltd\.?|Limited|L\.?L\.?C\.?|L\.?L\.?P\.?|L\.P\.|LP|P\.?L\.?C\.?|plc|AG|P\.C\.|P\.A\.|PLLC|"
    r"S\.A\.?|SA|N\.V\.?|NV|B\.V\.?|BV|GmbH|SE|S\.p\.A\.?|SpA|A/S|ASA|AB|Oyj|K\.K\.|Pty\.? Ltd\.?|Co\.(?:,? Ltd\.?)?|Holdings?"
)
# Words that often end an organisation's name without being a legal form.
_ORG_NOUN = (
    r"Capital Markets|Asset Management|Partners|Capital|Group|Labs?|Laboratories|Pharmaceuticals?|Pharma|Therapeutics|Biopharma|BioPharma|"
    r"Biosciences|Biotech|Technologies|Systems|Networks|Securities|Ventures|Bank|Solutions|Industries|"
    r"Aerospace|Advisors|Associates|Investments"
)
# One word of a name: capitalised, an initialism ("U.S.", "D."), a number ("Fifty 1 Labs"), or a
# short abbreviation with its full stop. A longer word never keeps a full stop: that ends a sentence.
# Possessive runs: what follows a token (blank, comma, bracket or the end) never matches a
# character of the run, so giving characters back cannot help a match, only cost a failed one.
_TOKEN = r"(?:(?:[A-Z]\.){1,3}(?![\w])|(?:Inc|Corp|Ltd|Co|Bros|Intl|St)\.|[A-Z][\w'’&-]*+|\d++[A-Za-z]*+)"
_NAME = rf"{_TOKEN}(?:[ \t]+(?:(?:&|of|de|du|la|van|von|der)[ \t]+)?{_TOKEN}){{0,6}}"
_SUFFIXES = rf"(?:,?[ \t]+(?:{_LEGAL_SUFFIX})(?![\w])){{1,2}}"
_LEGAL_NAME = re.compile(rf"(?<![\w.])(?P<name>{_TOKEN}(?:[ \t]+(?:(?:&|of|de|du|la|van|von|der)[ \t]+)?{_TOKEN}){{0,6}}?{_SUFFIXES})")
_ORG_NAME = re.compile(
    rf"(?<![\w.])(?P<name>{_TOKEN}(?:[ \t]+(?:(?:&|of)[ \t]+)?{_TOKEN}){{0,4}}?[ \t]+(?:{_ORG_NOUN}))(?![\w])"
    r"(?![ \t]+(?:and[ \t]+)?(?:Exchange|Commission|Administrators|Act|Laws?|Regulators?|Authority|Regulation|Ingredients?))"
)
_LISTED_NAME = re.compile(rf"(?P<name>{_NAME}{_SUFFIXES}?),?[ \t]*(?=\((?:NASDAQ|Nasdaq|NYSE|OTC|TSX|CSE|ASX|LSE|AIM)[\w .]*:)")

# Capitalised words that start sentences or headings and are never the first word of a name.
_LEADING_NOISE = frozenset(
    "the about with under for in at by from and including as its our both between this that also while when if a an "
    "today following through per to on of after before during via new said according recent such these those "
    "contact investors media advisors advisor source million billion thousand ceo cfo coo chairman president founder "
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october "
    "nov november dec december monday tuesday wednesday thursday friday "
    "joining welcoming introducing announcing".split()
)
_NOT_PARTIES = re.compile(
    r"^(?:.*\b(?:newswire|news ?wire|wire|newsramp|citybiz|benzinga|accesswire|globe ?newswire|business ?wire|"
    r"pr ?newswire|newmediawire|newsfile|cnw|investorbrandnetwork|ibn)\b.*|(?:the )?(?:nasdaq|nyse|otc|tsx|cse|asx|"
    r"london stock exchange|new york stock exchange|otc markets?)(?: \w+)*|(?:the )?(?:u\.s\. )?(?:food and drug "
    r"administration|securities and exchange commission|federal aviation administration|centers for disease "
    r"control.*|world health organization|fda|sec|faa|cdc|who|ema)|(?:the )?company|form \w+|private securities.*)$",
    re.IGNORECASE,
)
_ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern.replace("NAME", rf"(?<![\w.]){_NAME}")))
    for role, pattern in (
        ("underwriter", r"(?P<name>NAME),?\s+(?:is|are|was|were|acted|acts|served|serves|is acting|are acting|is serving|are serving)\s+(?:as\s+)?(?:the\s+)?(?:sole\s+|exclusive\s+|lead\s+|joint\s+)*(?:book-running\s+)?(?:placement agent|underwriter|bookrunner|book-runner|co-manager|lead manager|sales agent)"),
        ("advisor", r"(?P<name>NAME),?\s+(?:is|are|was|were|is acting|are acting|is serving|are serving|acted|served|(?:was|were|has been|have been) (?:mandated|appointed|retained|engaged))\s+as\s+(?:the\s+)?(?:[\w-]+\s+){0,5}?(?:advis[oe]rs?|counsel)\b"),
        ("partner", r"(?:partnership|collaboration|partnered|partnering|alliance|joint venture|agreements?|contract)\s+with\s+(?:the\s+)?(?P<name>NAME)"),
        ("investor", r"investors?,?\s+(?:including|led by|such as)\s+(?P<name>NAME)"),
        ("target", r"(?:acquire|acquisition of|acquiring|merger with|purchase of)\s+(?:the\s+)?(?P<name>NAME)"),
        ("awarding body", r"(?:award|contract|grant|funding|payment|order)s?\s+from\s+(?:the\s+)?(?P<name>NAME)"),
        ("analyst", r"(?P<name>NAME)\s+(?:has|have|reiterated|raised|initiated|set|maintains?|issued|giving|gives|gave|assign(?:s|ed)?)\b(?:[^.]|\.(?=\d)){0,60}price target|price target[^.]{0,40}?\bby\s+(?P<name2>NAME)"),
        ("subsidiary", r"(?:its|a|wholly[- ]owned)\s+subsidiar(?:y|ies),?\s+(?P<name>NAME)"),
        # suppliers named for what they provide ("devices will be provided by Acme Medical")
        ("supplier", r"(?:will be|are|is|were|was|being)\s+(?:provided|supplied|manufactured)\s+by\s+(?:the\s+)?(?P<name>NAME)"),
    )
)
_SUFFIX_WORD = re.compile(r"(?:Inc\.?|Incorporated|Corp\.?|Corporation|Ltd\.?|Limited|LLC\.?|LLP\.?|L\.P\.|plc|PLC|P\.C\.|P\.A\.|PLLC|AG|S\.A\.|N\.V\.|B\.V\.|GmbH|SE|S\.p\.A\.|ASA|AB|Oyj)")
_SUFFIX_TAIL = re.compile(rf"[,\s]+(?:{_LEGAL_SUFFIX})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Found:
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
        shorter = _SUFFIX_TAIL.sub("", stripped)
        if shorter == stripped:
            break
        stripped = shorter
    return re.sub(r"\s+", " ", re.sub(r"[^\w&]+", " ", stripped.lower())).strip()


_JOB_TITLE_END = re.compile(
    r"\b(?:officer|ceo|cfo|coo|president|chair\w*|director|founder|head|division|member|unit|arm|partner|manager|board|"
    r"counsel|analyst|secretary|treasurer|executive)$",
    re.IGNORECASE,
)


def _clean(name: str) -> str | None:
    """A candidate name without leading sentence words, job titles or a second company glued on."""
    # a number run into the name by text extraction ("... in 2025Wolftank Group") is not part of it
    words = re.sub(r"^\d+(?=[A-Z][a-z])", "", name.replace("\n", " ").strip()).split()
    for i, word in enumerate(words[:-1]):
        if word == "of" and _JOB_TITLE_END.search(" ".join(words[:i])):  # "CEO of Acme Corp."
            words = words[i + 1 :]
            break
    while words and (words[0].lower().strip("*“\"'(") in _LEADING_NOISE or re.fullmatch(r"[\d.,$]+", words[0])):
        words = words[1:]
    while words and words[-1].lower() in {"and", "of", "&", "the"}:
        words = words[:-1]
    cleaned = _split_at_suffixes(" ".join(words))[0] if words else ""
    cleaned = cleaned.strip(" ,;:“”\"'()*")
    if len(cleaned) < 2 or not re.search(r"[A-Za-z]{2}", cleaned) or _NOT_PARTIES.match(cleaned):
        return None
    if re.fullmatch(rf"(?:{_LEGAL_SUFFIX}|{_ORG_NOUN})", cleaned):
        return None
    return cleaned


def _body(text: str) -> str:
    """The text without the wire's trailing link block (after a '---' rule), same offsets."""
    rule = re.search(r"\n-{3,}\s*\n", text)
    return text[: rule.start()] if rule else text


_SUBJECT_ROLES = frozenset({"underwriter", "advisor", "analyst"})


def _split_at_suffixes(name: str) -> list[str]:
    """'Foo S.A. Bar & Co LLC' -> ['Foo S.A.', 'Bar & Co LLC']: a legal form closes a name."""
    parts, current = [], []
    words = name.split()
    for i, word in enumerate(words):
        current.append(word)
        following = words[i + 1].strip(",") if i + 1 < len(words) else ""
        if len(current) > 1 and _SUFFIX_WORD.fullmatch(word.strip(",")) and following and not _SUFFIX_WORD.fullmatch(following):
            parts.append(" ".join(current))
            current = []
    if current:
        parts.append(" ".join(current))
    return parts


_HEADLINE_WORD = re.compile(r"[A-Za-z][\w'’-]{3,}")


def _mask_headlines(text: str) -> str:
    """Blank out headline and sub-headline lines (Title Case runs confuse name boundaries)."""
    def blank(match: re.Match[str]) -> str:
        line = match.group(0)
        words = _HEADLINE_WORD.findall(line)
        capitalised = sum(map(str.isupper, map(itemgetter(0), words)))  # C-level loops: this runs on every line
        is_headline = line.lstrip().startswith("#") or (len(words) >= 4 and capitalised / len(words) >= 0.7)
        return " " * len(line) if is_headline else line

    return re.sub(r"[^\n]+", blank, text)


_ROLE_ANCHORS = {regex: anchor_search(regex.pattern) for _, regex in _ROLE_PATTERNS}
# Scanned only where they can match (llmx.rules.scan): a name never spans a line, and each of
# these patterns needs its anchor (the legal form, the organisation noun, the listing's bracket).
_NAME_SCANS = (
    (_LEGAL_NAME, re.compile(rf"(?:{_LEGAL_SUFFIX})(?![\w])")),  # starts with literals: re skips to their first letters
    (_ORG_NAME, re.compile(rf"(?:{_ORG_NOUN})(?![\w])")),
    (_LISTED_NAME, re.compile(r"\((?:NASDAQ|Nasdaq|NYSE|OTC|TSX|CSE|ASX|LSE|AIM)[\w .]*:")),
)
# Role phrases that start with a name hold only word characters, whitespace and , . ' ’ & -
# (all but the analyst phrase, whose gap is any text without a full stop): scan the runs of
# such characters that hold one of the phrase's anchors.
_ROLE_SEPARATOR = re.compile(r"[^\w\s,.'’&-]")
_SEGMENT_ROLES = frozenset({"underwriter", "advisor"})
_ROLE_SEGMENT_ANCHORS = {
    regex: anchors for role, regex in _ROLE_PATTERNS if role in _SEGMENT_ROLES and (anchors := _ROLE_ANCHORS[regex]) is not None
}


def _raw_companies(text: str) -> list[_Found]:
    body = _mask_headlines(_body(text))
    found: list[_Found] = []
    for regex, anchor in _NAME_SCANS:
        for match in finditer_in(regex, body, lines_with(anchor, body)):
            found.append(_Found(match.group("name"), match.start()))
    # The role patterns are case-sensitive, so their ASCII anchors are in the lower-cased body
    # whenever they match (whatever else the text holds), at the same offsets when lowering
    # keeps every character one character long.
    lowered = body.lower()
    aligned = len(lowered) == len(body)
    for role, regex in _ROLE_PATTERNS:
        if not may_match(_ROLE_ANCHORS[regex], lowered):  # most role phrases are absent from most releases
            continue
        segment_anchor = _ROLE_SEGMENT_ANCHORS.get(regex) if aligned else None
        matches = (
            finditer_in(regex, body, segments_with(segment_anchor, body, _ROLE_SEPARATOR, lowered)) if segment_anchor else regex.finditer(body)
        )
        for match in matches:
            name = match.groupdict().get("name") or match.groupdict().get("name2")
            if name:
                if role in _SUBJECT_ROLES:  # the name ends at the verb: keep its last company
                    name = _split_at_suffixes(name)[-1]
                found.append(_Found(name, match.start(), role))
    return found


def _same_company(a: str, b: str) -> bool:
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return False
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


def find_companies(text: str, issuer_name: str | None = None) -> list[Company]:
    """Companies named in the text, de-duplicated, in order of first mention, with roles when evident.

    Dropped: defined terms ("the “Property”") and names every spelling of which is printed only as
    corporate structure or history (`llmx.rules.structure`). An acronym the text defines is
    written out ("BARDA" -> "Biomedical Advanced Research and Development Authority").
    """
    merged: list[tuple[str, str | None, int]] = []
    spellings: list[set[str]] = []
    for item in sorted(_raw_companies(text), key=lambda f: f.start):
        name = _clean(item.name)
        if not name:
            continue
        for i, (kept, role, start) in enumerate(merged):
            if _same_company(kept, name) or _is_subpart(kept, name) or _is_subpart(name, kept):
                better = name if _prefer(name, kept) else kept
                merged[i] = (better, role or item.role, start)
                spellings[i].add(name)
                break
        else:
            merged.append((name, item.role, item.start))
            spellings.append({name})
    stretches = structure_stretches(text)
    terms = defined_terms(text)
    companies = []
    for (name, role, _), names in zip(merged, spellings):
        is_issuer = bool(issuer_name and (_same_company(name, issuer_name) or _is_subpart(issuer_name, name)))
        if not is_issuer and (name in terms or _WIRE_BRAND.search(name) or all(only_in_stretches(n, text, stretches) for n in names)):
            continue
        name = expand_acronym(name, text) or name
        companies.append(Company(name=name, role="issuer" if is_issuer else role))
    return companies


def _prefer(candidate: str, kept: str) -> bool:
    """Keep the fuller legal form of a name ("Xcel Brands, Inc." over "Xcel Brands")."""
    has_suffix = bool(_SUFFIX_TAIL.search(candidate))
    kept_suffix = bool(_SUFFIX_TAIL.search(kept))
    if has_suffix != kept_suffix:
        return has_suffix
    return len(candidate) > len(kept) and len(candidate.split()) <= len(kept.split()) + 2
