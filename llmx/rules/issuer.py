"""The issuer of a release: the company that put it out, with its listing.

Moved out of llmx.rules.parties (which keeps the companies): the issuer is read from the lead
sentence after the dateline, the headline and the listings printed near the top.
"""

from __future__ import annotations

import html
import itertools
import re
import string
from collections import Counter
from collections.abc import Iterator

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from llmx.recognize import Mentions, TickerMention
from llmx.rules.company_names import LEGAL_SUFFIX, ORG_NOUN, about_names, clean_name
from llmx.rules.cues import Starts, searchable
from llmx.schema import Issuer

__all__ = ["find_issuer"]

# A dateline ends after its date or its wire marker, then a dash or slash:
# "CITY, ST - August 4, 2025 (WIRE) - ", "CITY, Aug. 1, 2025 /PRNewswire/ -- ". A time of day may
# follow the date ("Mar 25, 2025 @ 3:15 PM Pacific — ", "@ 12:15 PM US/Eastern — "), and a wire's name may follow the date,
# with a parenthesised tag line ("March 31, 2026 – PRISM MediaWire (Press Release Service) – ");
# a wire between slashes may start with a digit ("/24-7PressRelease/ -- ").
_DATELINE_MARKS = (
    re.compile(
        r"\b(?:19|20)\d\d\b\)?(?:[ \t]*(?:@|at)?[ \t]*\d{1,2}:\d\d[ \t]*(?:[AaPp]\.?[Mm]\.?)?(?:[ \t]+[A-Z][A-Za-z]{1,9}(?:/[A-Z][A-Za-z_]{1,14})?)?)?"
        r"[ \t]*(?:[-–—]+|/(?![A-Za-z]))[ \t]*"
    ),
    re.compile(r"\([A-Za-z][\w .]{1,30}\)[ \t]*[-–—/]+[ \t]*|/[ \t]*[A-Za-z][A-Za-z ]{1,24}[ \t]*/[ \t]*(?:[-–—]+[ \t]*)?"
               r"|/\d[\w-]{0,5}[A-Za-z]{4,20}/[ \t]*(?:[-–—]+[ \t]*)?"),
    re.compile(r"(?i:[a-z]*wire)\b(?:[ \t]*\([^()\n]{0,80}\))?[ \t]+[-–—]+[ \t]+"),
)
# A source line with no date: a few capitalised words, then a double dash or an em dash, at the
# very start of the paragraph ("Market News Alerts Reports -- Acme Ltd. (NASDAQ: ACME) has ...").
_SOURCE_LINE = re.compile(r"(?:[A-Z][\w.&'’]*[ \t]+){0,5}[A-Z][\w.&'’]*[ \t]+(?:--|—)[ \t]+(?=[A-Z])")
# A name may open with lower-case letters before a capital ("zkMe Technology Limited", "pSTAKE Finance").
_LEAD_NAME = re.compile(r"(?P<name>(?:[A-Z]|\d+[A-Z]|[a-z]{1,3}[A-Z])[\w.&'’-]*(?:,?[ \t]+(?:&(?:amp;)?[ \t]+)?[A-Z0-9][\w.&'’-]*){0,7})")


# A lead may open with a phrase before its subject: "Following Hurricane Ida’s landfall in
# Louisiana, Acme Wireless is ..." names Acme Wireless, not the storm.
# The phrase may also open with a verb's -ing form ("Celebrating the biggest night in Hollywood,
# Acme Bar ... hosted") or a time phrase ("For over 25 years, the Acme Foundation has ..."), and the
# subject after the comma may carry a leading "the".
_OPENING_PHRASE = re.compile(
    r"(?:Following|After|Amid|Amidst|Despite|During|Ahead of|In the wake of|Building on|For over|For more than|Since|"
    r"(?:Celebrating|Marking|Recognizing|Recognising|Honoring|Honouring|Commemorating|Continuing|Responding|Leveraging|Drawing))\b"
    r"[^,.;:\n]{1,150},[ \t]+(?:the[ \t]+)?(?=[A-Z])"
)


# A lead may name the organisation through its office: "The law firm of Acme & Roe, LLP informs ...",
# "The Ohio chapter of the Acme Society is hosting ...", or as the organiser of an event it reports:
# "Organised by the Acme Trade Council (ATC), the fair closed ...", "Co-sponsored by the Acme Foundation,
# the gala raised ...". That organisation is the subject.
_OFFICE_OF = re.compile(
    r"(?:The[ \t]+(?:[A-Z][\w.-]*[ \t]+)?(?:law[ \t]+)?(?:firm|chapter|office|offices)[ \t]+of|Organi[sz]ed[ \t]+by|Hosted[ \t]+by|(?:Co-)?[Ss]ponsored[ \t]+by|Presented[ \t]+by)"
    r"[ \t]+(?:the[ \t]+)?(?=[A-Z])"
)
# "As AI agents like Acmebot, Zeta and Ypsilon reshape payments, Acme Ltd is ..." / "With 20 years in
# the field, Acme Corp. ...": a phrase opened by As or With, whose words clean_name would otherwise give
# as the subject ("AI"). The phrase may hold commas: each comma in its first 200 characters is tried.
_AS_OR_WITH = re.compile(r"(?:As|With)[ \t]")
_AFTER_COMMA = re.compile(r",[ \t]+(?:the[ \t]+)?(?=[A-Z])")


# A promotion's lead may describe its subject before naming it: "Dogecoin sister token NEIRO has
# announced ...", "IDO launchpad and auction-focused Pencils Protocol will conduct ...". A word, a few
# lower-case words, then the name and a verb (spaces may be no-break spaces).
_DESCRIBED_SUBJECT = re.compile(
    r"[A-Z][\w$-]*(?:[ \t\xa0]+[a-z][\w-]*){1,4}[ \t\xa0]+(?P<name>[A-Z$][\w.&'’$-]*(?:[ \t\xa0]+[A-Z0-9][\w.&'’-]*){0,3})"
    r"[ \t\xa0]+(?:has|have|will|is|are|was|announced|announces|launched|launches|unveiled|unveils|today)\b"
)


# A lead may open on a short exclamation of two words or more ("Hold the toppings! Acme Pizza is ..."):
# its first word is no subject. One word before the mark may be a name ("Yahoo! Finance ...").
_EXCLAIMED_OPENER = re.compile(r"[A-Z][^.!?\n]{0,40}?[ \t][^.!?\n]{0,40}?![ \t]+(?=[A-Z])")


def _lead_candidate(lead: str, text: str, tickers: list[TickerMention]) -> str | None:
    """The subject of the lead sentence: its first name, read after an opening phrase ("Following
    the storm, ...") or an office ("The law firm of ..."), or after a description ("Dogecoin sister
    token NEIRO has ..."). After an opening phrase only a name printed as a company counts."""
    if "!" in lead[:42] and (exclaimed := _EXCLAIMED_OPENER.match(lead)):
        lead = lead[exclaimed.end() :]  # "Hold the toppings! Acme Pizza, owned by ..., is ...": the subject after the cry
    opening = _OPENING_PHRASE.match(lead)
    office = None if opening or not lead.startswith(("The", "Organi", "Hosted", "Co-", "Sponsored", "Presented")) else _OFFICE_OF.match(lead)
    match = _LEAD_NAME.match(lead, opening.end() if opening else office.end() if office else 0)
    lead_name = _lead_subject(match, text) if match and not _PERSON_TITLE_FIRST.match(lead) else None
    if lead_name and lead.startswith(" of ", match.end()) and lead_name == match.group("name"):
        lead_name = _name_with_of(lead, match, text, 2) or lead_name  # "House of Acme, the arm of ..., today named"
        if lead_name == match.group("name") and (firm := _firm_of_person(lead_name, lead, match.end() + 4, text, tickers)):
            lead_name = firm  # "Jo Doe of Doe Law, LLC filed ...": the firm, printed with its legal form
    if opening and lead_name and not _company_marks(text, lead_name, tickers) and not _acronym_name(lead_name, text) and not _announces(lead, match.end(), text, lead_name):
        lead_name = None  # after an opening phrase, only a name printed as a company: not "..., Marlon Johnson was"
    if not opening and not office and _AS_OR_WITH.match(lead) and not (lead_name and _named_as_company(text, lead_name, tickers)):
        # as after the other opening phrases, only a name printed as a company: not "With 3X Its Market Cap"
        lead_name = _subject_after_phrase(lead, text, tickers)
    if (described := _DESCRIBED_SUBJECT.match(lead)) and not (lead_name and " " in lead_name and _named_as_company(text, lead_name, tickers)):
        subject = clean_name(described.group("name"))
        if subject and (_company_marks(text, subject, tickers) or _name_shaped(subject, text) or (subject.isupper() and _printed_times(text, subject) >= 3)):
            lead_name = subject
    if lead[:1] in "\"“" and (speaker := _SPEAKERS_ORGANISATION.search(lead, 0, 500)):
        # a lead opening on a quote: the organisation of its speaker, when it is shaped as a name
        organisation = clean_name(_trim_lead_name(speaker.group("name")))
        if organisation and (_name_shaped(organisation, text) or _company_marks(text, organisation, tickers)) and not _rejected(organisation, text):
            return organisation
    return lead_name


def _firm_of_person(person: str, lead: str, at: int, text: str, tickers: list[TickerMention]) -> str | None:
    """The firm a lead names its person by ("Jo Doe of Doe Law, LLC filed a suit ..."): the name at `at`
    when it is printed with a legal form or an organisation noun, and the name before "of" is a
    person's (two or three capitalised words, with no company marks)."""
    if not 1 <= person.count(" ") <= 2 or not (firm_match := _LEAD_NAME.match(lead, at)):
        return None
    firm = _lead_subject(firm_match, text)
    if not firm or not (_NAME_SUFFIX.search(firm) or _ORG_SHAPE.search(firm) or _full_name(text, firm) != firm):
        return None
    return None if _company_marks(text, person, tickers) else firm


_ACRONYM = re.compile(r"[A-Z]{3,6}")


def _acronym_name(name: str, text: str) -> bool:
    """`name` is an acronym of three to six capitals that the text prints three times or more
    ("Since 2004, ACHC has offered ..."): an organisation's short name, as a person's name is not."""
    return _ACRONYM.fullmatch(name) is not None and name not in _MARKET_ASSETS and _printed_times(text, name) >= 3


# The attribution of a lead's opening quote: '"...," notes Jane Roe, senior director for online lender
# Acme.loans.' / '..." says Jo Doe, owner of Acme.ca.' The organisation follows "of", "at", "for" or
# "with" and at most three lower-case words that describe it, within the attribution's sentence.
_SPEAKERS_ORGANISATION = re.compile(
    r"[,.!?]?[”\"][ \t]+(?:says|said|notes|noted|explains|explained|adds|added|according[ \t]+to)[ \t]+[^.“”\"\n]{0,120}?"
    r"\b(?:of|at|for|with)[ \t]+(?:the[ \t]+)?(?:[a-z][\w-]*[ \t]+){0,3}(?P<name>[A-Z][\w.&'’-]*[\w&](?:[ \t]+[A-Z][\w.&'’-]*){0,4})"
)


def _named_as_company(text: str, name: str, tickers: list[TickerMention]) -> bool:
    """`name` has company marks or is followed by an aside ("As Acmecoin (ACMC) enters its last phase, ...")."""
    position = text.find(name)
    return _company_marks(text, name, tickers) or (position >= 0 and _DEFINED_TERM_AFTER.match(text, position + len(name)) is not None)


def _subject_after_phrase(lead: str, text: str, tickers: list[TickerMention]) -> str | None:
    """The first name after a comma of the lead's opening phrase (within the sentence's first 200
    characters) that is printed as a company, or that announces as a sender does; None without one."""
    end = min((i for i in (lead.find(". ", 0, 200), lead.find("\n", 0, 200)) if i >= 0), default=200)
    for comma in _AFTER_COMMA.finditer(lead, 0, end + 2):
        after = _LEAD_NAME.match(lead, comma.end())
        subject = _lead_subject(after, text) if after else None
        if subject and (_company_marks(text, subject, tickers) or _announces(lead, after.end(), text, subject)):
            return subject
    return None


# A sender's own verb right after the subject: "As the holidays near, Acme Rooms is pleased to offer ...".
_SENDER_VERB = re.compile(
    r"[ \t]+(?:(?:is|are)[ \t]+(?:pleased|proud|excited|thrilled|delighted|honou?red)[ \t]+to|(?:today[ \t]+)?(?:announces|announced|unveils|unveiled|introduces|introduced))\b"
)


def _announces(lead: str, end: int, text: str, subject: str) -> bool:
    """The name ending at `end` of the lead is followed by a sender's verb ("is pleased to", "announces")
    and printed three times or more: after an opening phrase, a sender with no company marks ("As summer
    nears, Acme Rooms is pleased to ..."). A person's name is still turned down later, as any lead subject is."""
    return _SENDER_VERB.match(lead, end) is not None and _printed_times(text, subject) >= 3


def _dateline_end(paragraph: str) -> int:
    """Offset just past a dateline, or 0 without one."""
    end = 0
    head = paragraph[:200]
    # Each mark needs a literal the head must hold (a year, a parenthesis or slash, "wire"):
    # a head without it is not searched (most paragraphs, as this runs on every candidate lead).
    needs = ("19" in head or "20" in head, "(" in head or "/" in head, "wire" in head.lower())
    for pattern, possible in zip(_DATELINE_MARKS, needs):
        for match in pattern.finditer(head) if possible else ():
            if match.start() <= 160:
                end = max(end, match.end())
    if not end and (source := _SOURCE_LINE.match(paragraph)):
        end = source.end()
    return end


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A dateline may print its place after the date, in capitals and before a dash: "... - May 20, 2025 - DALLAS — ".
_PLACE_AFTER_DATE = re.compile(r"[A-Z][A-Z.'’]+(?:[ \t]+[A-Z][A-Z.'’]+){0,3}(?:,[ \t]*[A-Z][A-Za-z.]+){0,2}[ \t]+[-–—]+[ \t]+(?=[A-Z])")


def _paragraphs(text: str) -> Iterator[str]:
    """The pieces `re.split(r"\\n\\s*\\n", text)` gives, one at a time: the callers read the top
    paragraphs only, so the rest of the text is never scanned for breaks."""
    at = 0
    for paragraph_break in _PARAGRAPH_BREAK.finditer(text):
        yield text[at : paragraph_break.start()]
        at = paragraph_break.end()
    yield text[at:]


def _lead_paragraph(text: str) -> tuple[str, int]:
    """The first prose paragraph after the headline, with any dateline stripped, and its offset.

    A paragraph carrying a dateline wins over an earlier one (a sub-headline or a byline)."""
    offset = 0
    first: tuple[str, int] | None = None
    for number, paragraph in enumerate(_paragraphs(text)):
        start = text.find(paragraph, offset)
        offset = start + len(paragraph)
        stripped = paragraph.strip()
        if not stripped or stripped.startswith(("#", "*", "•", "-", "By ", "[")) or (len(stripped) < 120 and not _is_short_lead(stripped)):
            continue
        if number > 6 and first is not None:
            break  # a dateline is printed at the top: a date or "/ news /" URL further down is not one
        lead_start = start + (len(paragraph) - len(paragraph.lstrip()))
        cut = _dateline_end(stripped)
        if cut:
            if (place := _PLACE_AFTER_DATE.match(stripped, cut)) is not None:
                cut = place.end()  # "(Wire) - May 20, 2025 - DALLAS — Acme ...": the place printed after the date
            return text[lead_start + cut : offset], lead_start + cut
        if first is None:
            first = (text[lead_start:offset], lead_start)
        if number > 6:
            break
    return first if first else ("", 0)


def _is_short_lead(paragraph: str) -> bool:
    """A paragraph under 120 characters is a lead only when it is one sentence about a listed
    company: it ends with a full stop and prints a listing ("Acme Corp. (NYSE: ACM) today announced
    results."). Short sub-headlines and bylines do neither."""
    return paragraph.endswith(".") and "\n" not in paragraph and _LISTING_IN.search(paragraph) is not None


_LISTING_IN = re.compile(r"\([A-Za-z][\w .-]{1,30}:[ \t]*[A-Z]")
# Between a name and its listing may stand a legal form and defined-term asides, each a
# parenthesis holding a quoted term: 'Aclarion, Inc., (“Aclarion” or the “Company”) (Nasdaq: ACON)'.
_LISTING_GAP = re.compile(r"[\s,]*(?:\([^()\n]{0,80}?[“”\"][^()\n]{0,80}\)[\s,]*){0,2}\(?[\s]*(?:[A-Z][A-Za-z.-]{0,9}\s*)?")


def _listing_after(text: str, pos: int, tickers: list[TickerMention]) -> TickerMention | None:
    for ticker in tickers:
        # the distance first: slicing the gap to a listing far down would copy the text between
        if 0 <= ticker.span[0] - pos <= 180 and _LISTING_GAP.fullmatch(text, pos, ticker.span[0]):
            return ticker
    return None


def find_issuer(text: str, mentions: Mentions | None = None) -> Issuer:
    """The company that put out the release: the subject of the lead sentence, with its listing.

    The lead subject is taken only when it looks like the company the release is about (see
    `_plausible`); otherwise the headline's subject when it prints a legal form or listing, then
    the first name of the lead printed with a listing, then the bare headline subject. A city, a wire, a person, a sentence word ("Despite") is never the issuer.
    """
    tickers = list(mentions.tickers) if mentions else []
    lead, offset = _lead_paragraph(text)
    if lead[:1].isspace():  # a lead may open with a no-break space after its dateline ("...2025 - \xa0Acme Corp. ...")
        offset, lead = offset + len(lead) - len(lead.lstrip()), lead.lstrip()
    lead_name = _lead_candidate(lead, text, tickers)
    title = re.match(r"\s*#\s*(?P<name>[^\n]*)", text)
    headline = _headline_subject(title.group("name"), text) if title else None
    described = _described_in_headline(title.group("name"), text) if title and not headline else None
    listed = _first_listed_name(text, lead, offset, tickers)
    if headline and lead_name and text.find(lead_name, 0, offset) < 0 and 1 <= headline.count(" ") <= 3 and not _ORG_SHAPE.search(headline):
        # "Jo Doe Co-Chairs ...", a lead on the event, and "Doe & Roe, P.C. Founding Partner Jo Doe": the firm sent it
        lead_name = _firm_before_title(text, headline) or lead_name
    for over in (headline, described):
        if over and lead_name and " " in over and text.find(lead_name, 0, offset) < 0 and (over is described or _ORG_SHAPE.search(over)) and not _company_marks(text, lead_name, tickers):
            # "Acme Homes Group Offers ..." over a lead on its product ("Esprit at Palm Vista offers ..."), and so
            # does a name the headline describes as a company ("Software Giant Acme Room Prepares ...")
            lead_name = over
    # A headline subject with its legal form or listing beats the first listed name of the lead
    # ("Lionheart Health and ElectroMedical (OTC:EMED) ..."); a bare one does not ("Isiah Thomas").
    strong = headline if headline and (_full_name(text, headline) != headline or _listing_of(text, headline, tickers)) else None
    behalf = _BEHALF_OF.search(text, searchable(text[offset : offset + 400]), offset, offset + 400)
    on_behalf = clean_name(_trim_lead_name(behalf.group("name"))) if behalf else None
    places = _dateline_places(text)
    interview = _INTERVIEWEE.match(title.group("name")) if title else None
    if interview:
        places |= {interview.group("name").casefold()}  # rejected as a dateline place is: never the issuer
    winner = headline if headline and title and _award_headline(title.group("name"), headline) and headline in lead else None
    analyst = _COVERAGE_HEADLINE.match(title.group("name")) if title and ("Coverage" in title.group("name") or "Report" in title.group("name")) else None
    order = (on_behalf or (clean_name(analyst.group("name")) if analyst else None), _profiled_company(text) or _featured_company(text, tickers), _sender_tag(text), _show_of_episode(lead), winner, lead_name, strong, listed, headline)
    order = tuple(_without_possessive(n) for n in order)
    if interview:
        # a publisher's interview: neither the guest nor the guest's organisation sent it ("Q&A with Jo Doe,
        # CEO of Acme"); only a sender the text states (on behalf of, a featured company, a dateline tag) counts
        order = order[:3] + (None,) * (len(order) - 3)
    name = next((n for n in order if n and not _rejected(n, text, places) and _plausible(n, text, tickers)), None)
    if interview and not name:
        return Issuer()
    name = name or next((n for n in (order[5], order[8]) if n and not _rejected(n, text, places) and not _ADJECTIVE.fullmatch(n) and not (n is order[5] and _lone_word_once(n, text))), None)
    if name and title and name == order[8] and name not in order[:8]:
        name = _project_over_subject(title.group("name"), text, name, tickers, places)
        name = _owner_of(text, name, tickers, places)
    name = name or (_headline_name_printed_most(title.group("name"), text, places) if title else None)
    name = name or (_headline_listed_name(title.group("name"), text, tickers, places) if title and tickers else None)
    name = name or _lead_organisation(text[offset : offset + 600], text, places)
    name = name or _about_sender(text, (title.group("name") if title else "") + "\n" + lead, places)
    name = name or (_headline_cashtag(title.group("name"), text, places) if title and "$" in text else None)
    if not name:
        return Issuer()
    if _SYMBOL.fullmatch(name) and f"({name})" in text and (named := _name_before_symbol(text, name)) and not named.isupper() and not _rejected(named, text, places):
        name = named  # a token's or a company's symbol names it: "Acmecoin (ACMC)" for "ACMC", not "ACM (ACMC)"
    full = _full_name(text, name)
    if full == name and not _NAME_SUFFIX.search(name) and not _listing_of(text, name, tickers):
        full = name = _longer_form(text, name, tickers)
    full = _usual_spelling(text, full)
    if text.find("New " + full, 0, _NEW_TOP) >= 0 and (kept := _new_kept(text, full, tickers)):
        full, name = kept, "New " + name
    ticker = _listing_of(text, name, tickers) or _listing_of(text, _NAME_SUFFIX.sub("", name), tickers) or _listing_in_prose(text, name, tickers)
    # A headline may print "&" as the HTML entity ("Safe &amp; Green Holdings Corp."): the name is given with "&".
    return Issuer(name=html.unescape(full), ticker=ticker.symbol if ticker else None, exchange=ticker.exchange if ticker else None)


# Where a sentence goes on, not starts: after a lower-case word, a comma, "(", "The" or "About".
_MID_SENTENCE = re.compile(r"(?:(?<![^ \t\n(])(?:[a-z][\w-]*|The|About)|[,(])[ \t]*\Z")


_NEW_TOP = 4000  # prints of "New" + the name are read near the top only: the scan costs a pass over the text


def _new_kept(text: str, name: str, tickers: list[TickerMention]) -> str | None:
    """`name` with the leading "New" that `clean_name` drops as a sentence's opening word ("New Acme
    launches ..."), when the text prints "New" before it in the middle of a sentence ("The New Acme
    Heritage Society held ...", "shares of New Acme Metals Corp.") and the whole is printed as a
    company. A headline's "New Acme Fall Report ..." is no such print."""
    longer, start = "New " + name, text.find("New " + name, 0, _NEW_TOP)
    while start >= 0:
        if start and _MID_SENTENCE.search(text, max(0, start - 16), start) and _company_marks(text, longer, tickers):
            return longer
        start = text.find(longer, start + 4, _NEW_TOP)
    return None


# A firm's name with its legal form, then a partner's title, right before a person's name:
# "Doe, Roe & Poe, P.C. Founding Partner ", "Acme Law LLC Managing Attorney ".
_FIRM_TITLE_BEFORE = re.compile(
    rf"(?P<firm>[A-Z][\w&'’.-]*(?:,?[ \t]+(?:&[ \t]+)?[A-Z][\w&'’.-]*){{0,5}},?[ \t]+(?:{LEGAL_SUFFIX}))[ \t]+"
    r"(?:(?:Founding|Managing|Senior|Named)[ \t]+)?(?:Partner|Attorney|Principal|Founder|Co-Founder|Owner)[ \t]+\Z"
)


_FIRM_TOP = 3000  # the person's firm is named near the top; a later print is not searched


def _firm_before_title(text: str, person: str) -> str | None:
    """The firm the text names a headline's person by, through a partner's title: "Doe & Roe, P.C.
    Founding Partner Jo Doe, Esq. is ..." for the headline "Jo Doe Co-Chairs ...". A professional
    firm's release about its partner is the firm's, not the event's that its lead opens on."""
    start = text.find(person, 1, _FIRM_TOP)
    while start >= 0:
        before = text[max(0, start - 120) : start]
        if before.endswith(" ") and ("Partner" in before or "Attorney" in before or "Principal" in before or "Founder" in before or "Owner" in before):
            if found := _FIRM_TITLE_BEFORE.search(before):
                return clean_name(found.group("firm"))
        start = text.find(person, start + len(person), _FIRM_TOP)
    return None


def _lone_word_once(name: str, text: str) -> bool:
    """`name` is one plain word that the text prints only once ("Celebrate the start of summer ...",
    "Veteran traders know ..."): a sentence's opening word, not a name, when nothing marks it as one."""
    return name.isalpha() and name[1:].islower() and _printed_times(text, name) < 2


# A lone word with an adjective's ending ("Legendary vocalist ...", "Innovative"), printed once and
# with no company marks, is a description, not a name that opens the lead.
_ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:ary|ous|ful|ive|able|ible|ical|est)")
# An owner's event or product: "Acme.com's inaugural Debt Week", "Acme Group's annual Gala".
# The words between say what the owner holds ("inaugural", "annual", "new"), not a sentence
# ("Zeta's technology positions Acme ...").
_OWNER_BEFORE = re.compile(
    r"(?P<owner>[A-Z][\w.&-]*(?:[ \t]+[A-Z][\w.&-]*){0,3})['’]s"
    r"(?:[ \t]+(?:inaugural|annual|yearly|first|second|third|new|latest|own|flagship|signature|upcoming|official|premier|\d+(?:st|nd|rd|th)))+[ \t]+\Z"
)


def _owner_of(text: str, subject: str, tickers: list[TickerMention], places: frozenset[str]) -> str:
    """The owner the body prints a bare headline subject with ("Acme.com's inaugural Debt Week" for
    the headline's "Debt Week Helps ..."): an event or a product is put out by its owner. The owner
    must have a name's shape or company marks; `subject` without one, or when it has marks itself."""
    start = text.find(subject)
    while start >= 0:
        # the cheap test first: a possessive within the 80 characters before the subject
        found = _OWNER_BEFORE.search(text, max(0, start - 80), start) if "s " in text[max(0, start - 80) : start] else None
        if found and (owner := clean_name(found.group("owner"))) and owner not in subject and not _rejected(owner, text, places):
            if (_name_shaped(owner, text) or _company_marks(text, owner, tickers)) and not _company_marks(text, subject, tickers):
                return owner
        start = text.find(subject, start + len(subject))
    return subject


# An IBN editorial teaser ends with a "Read More>>" link and features one listed company
# ("... at companies like Acme Corp. (NASDAQ: ACME), there is ... Read More>>"); its "NOTE TO
# INVESTORS" line names that company (or only its symbol) when the teaser does not list it.
_TEASER_END = re.compile(r"Read More[ \t]*>>")
# Some teasers end on "…" with no link, right before the NOTE TO INVESTORS line (searched as a
# literal: an alternation in one pattern would be tried at every position of every text).
_ELLIPSIS_BEFORE_NOTE = re.compile(r"…[ \t]*\n\s*\Z")
_NOTE_TO_INVESTORS = re.compile(r"NOTE TO INVESTORS:[ \t]*The latest news and updates relating to[ \t]+(?P<name>[A-Z][^\n()]{0,80}?)[ \t]*(?:\(|are available|is available)")


def _teaser_end(text: str) -> int:
    """Where an IBN teaser ends ("Read More>>", or "…" right before NOTE TO INVESTORS); -1 for other texts."""
    link = _TEASER_END.search(text)
    if link is not None:
        return link.start()
    note = text.find("NOTE TO INVESTORS")
    ellipsis = _ELLIPSIS_BEFORE_NOTE.search(text, max(0, note - 40), note) if note > 0 else None
    return ellipsis.start() if ellipsis else -1


def _featured_company(text: str, tickers: list[TickerMention]) -> str | None:
    """The company an IBN editorial teaser is written for: the first name printed right before a
    listing in the teaser, else the company of the NOTE TO INVESTORS line. None for other texts."""
    end = _teaser_end(text)
    if end < 0:
        return None
    for ticker in tickers:
        if ticker.span[0] < end:
            found = _LISTED_BEFORE.search(text, max(0, ticker.span[0] - 200), ticker.span[0])
            if found and (name := clean_name(found.group("name"))) and not _rejected(name, text):
                return name
    note = _NOTE_TO_INVESTORS.search(text)
    if note is None:
        return None
    named = note.group("name").strip()
    listed = next((t for t in tickers if t.symbol == named), None)  # "relating to QBTS are available"
    if listed is not None:
        found = _LISTED_BEFORE.search(text, max(0, listed.span[0] - 200), listed.span[0])
        return clean_name(found.group("name")) if found else None
    return clean_name(named)


# An analyst's coverage note is put out by the analyst firm, not by the company it covers:
# "Acme Capital Partners Updates Coverage on Zeta Corp. (NASDAQ: ZETA)".
_COVERAGE_HEADLINE = re.compile(r"(?P<name>[A-Z][\w.&'’-]*(?:[ \t]+[A-Z][\w.&'’-]*){0,5})[ \t]+(?:Updates|Initiates|Reiterates|Resumes)[ \t]+(?:Coverage|(?:\d[QH]\d\d|Q\d|FY\d\d)[ \t]+Report)[ \t]+(?:[Oo]n|[Oo]f)\b")


# An IBN editorial marks the company it features with a profile link after its listings:
# "Acme Holdings Inc. (NASDAQ: ACME) (Profile) is ...", "Acme Corp. (ACME) (Profile)".
_PROFILED = re.compile(r"(?P<name>[A-Z][\w.&'’-]*(?:,?[ \t]+(?:&(?:amp;)?[ \t]+)?[A-Z0-9][\w.&'’-]*){0,6}),?[ \t]*(?:\([^()\n]{1,30}\)[ \t]*){1,3}\Z")


def _profiled_company(text: str) -> str | None:
    """The company an editorial's first "(Profile)" link follows, or None."""
    pos = text.find("(Profile)")
    found = _PROFILED.search(text, max(0, pos - 200), pos) if pos >= 0 else None
    return clean_name(found.group("name")) if found else None


# The description after a name: "the Acme Heart Association®, a force for ...".
_DESCRIPTION = re.compile(r"[®™]?,[ \t]+an?[ \t]+[a-z]")


def _lead_organisation(top: str, text: str, places: frozenset[str]) -> str | None:
    """A late resort: the first name in the 600 characters from the lead on that is shaped as an
    organisation (two words or more ending in an organisation noun or a legal form), is described
    right after it (", a global force ...", ", an agency ...") and is printed three times or more.
    A lead that opens on its audience or its topic ("Women often face ... That is why the Acme
    Heart Association, a force for ..., invites ...") names its sender later. A body that names a
    council or a company without describing it ("Redmond City Council held ...") is a news item."""
    for description in _DESCRIPTION.finditer(top):
        # the run of capitalised words (and "&") right before it on its line, read back word by word: no pattern
        # is tried at every capital of the 600 characters
        words = top[max(0, description.start() - 120) : description.start()].rsplit("\n", 1)[-1].split(" ")
        run = list(itertools.takewhile(lambda word: word[:1].isupper() or word[:1].isdigit() or word in ("&", "&amp;"), reversed(words)))
        name = clean_name(" ".join(reversed(run[:8])))
        if name and " " in name and _ORG_SHAPE.search(name) and _printed_times(text, name) >= 3 and not _rejected(name, text, places):
            return name
    return None


def _about_sender(text: str, top: str, places: frozenset[str]) -> str | None:
    """The last resort: the first About block's company that the headline or the lead (`top`) names
    ("... the founder of Acme launched ..." and "About Acme"). A market article or a promotion may
    name its sender nowhere else that the other rules read; a partner's block named only further
    down (an event's organiser) does not count."""
    if not any(word in top for word in _words_after_about(text)):
        return None  # the cheap test first: reading the About blocks costs a scan of the whole text
    names = [found.name for found in about_names(text)]
    start = text.find("About")
    while start >= 0:
        if start > 1 and text[start - 1] in ".!?" and text[start - 2].islower() and (glued := _GLUED_ABOUT.match(text, start)):
            names.append(glued.group("name"))
        start = text.find("About", start + 5)
    for raw in names:
        name = clean_name(raw)
        # the top may print the name without its last word, the practice's noun: "Dr Jo Doe Opens ..." and "About Jo Doe Clinic"
        head = name.rsplit(" ", 1)[0] if name and name.count(" ") >= 2 else None
        if name and (name in top or (head and head in top)) and not _rejected(name, text, places):
            return name
    return None


def _words_after_about(text: str) -> list[str]:
    """The first word after each "About " (str.find: a few per text)."""
    words, start = [], text.find("About ")
    while start >= 0:
        word = text[start + 6 : start + 40].split(None, 1)
        if word:
            words.append(word[0].rstrip(":*"))
        start = text.find("About ", start + 6)
    return words


# Text extraction may glue an About heading to the end of the paragraph before it: "... decisions.About Acme\n".
_GLUED_ABOUT = re.compile(r"About[ \t]+(?P<name>[A-Z][\w.&'’-]*(?:[ \t]+[A-Z][\w.&'’-]*){0,3})[ \t]*\n")


def _listing_in_prose(text: str, name: str, tickers: list[TickerMention]) -> TickerMention | None:
    """A listing printed in a sentence about the issuer: "The Company's shares will trade on Nasdaq
    under the symbol "ACME"" (a prose listing, read by the recognizer), when no listing follows the name."""
    short = _NAME_SUFFIX.sub("", name)
    for ticker in tickers:
        if " under " in ticker.text:
            start = max(text.rfind(". ", 0, ticker.span[0]), text.rfind("\n", 0, ticker.span[0]))
            sentence = text[start + 1 : ticker.span[0]]
            if short in sentence or "Company’s" in sentence or "Company's" in sentence:
                return ticker
    return None


# An award release is put out by the winner, while its lead may open on the awarding body ("The
# Acme Builders Association announced its awards, and Kellow Homes won ..."): a headline subject
# followed by an award verb, and printed in the lead, comes before the lead subject.
_WINS = re.compile(r"(?:['’]s)?[ \t]+(?:Wins|Earns|Receives|Honored|Honoured|Recognized|Recognised|Awarded)\b")
_AWARD = re.compile(r"\b(?:Awards?|Prize|Medal|Honors?|Honours?)\b")


def _award_headline(title: str, subject: str) -> bool:
    """The headline tells of an award its subject won ("Kellow Homes Wins SBCA Remodel Award"), not
    of anything it received ("Acme Tax Credit Receives Extension")."""
    return _WINS.match(title, title.find(subject) + len(subject)) is not None and _AWARD.search(title) is not None


# A podcast or show release opens on its episode: "Episode 1886 of Acme Talk, hosted by ...", "In a
# new episode of The Acme Show, host ...". The show puts the release out, not a guest's company.
_EPISODE_OF = re.compile(r"\b[Ee]pisode(?:[ \t]+(?:No\.[ \t]*|#)?\d+)?[ \t]+of[ \t]+(?:the[ \t]+)?" + _LEAD_NAME.pattern)
# A column or episode label is never the issuer ("Episode 78", "Part 2").
# A digest's column title is not one either ("State Roundup", "Weekly Recap").
_LABEL = re.compile(r"(?:Episode|Chapter|Part|Volume|Vol\.|Issue|Season)[ \t]+(?:No\.[ \t]*|#)?\d+|(?:[A-Z][\w-]*[ \t]+){1,2}(?:Roundup|Round-Up|Recap|Digest|Briefing)")


def _show_of_episode(lead: str) -> str | None:
    """The show a lead names as the one the episode belongs to, within its first sentence."""
    found = _EPISODE_OF.search(lead, 0, 300)
    return clean_name(_trim_lead_name(found.group("name"))) if found else None


# Some wires print the sender between slashes after the dateline's date
# ("Raleigh, United States - July 10, 2025 / J. David Tax Law /"); a wire's own tag
# ("/ ACCESSWIRE /") is rejected as a wire's name, and an agency the text never names again
# ("/ Tent Apps /" above a release about Nextlink) is not plausible.
_SENDER_TAG = re.compile(r"\b(?:19|20)\d\d[ \t]+/[ \t]+(?P<name>[A-Z][^/\n]{1,60}?)[ \t]+/")


def _sender_tag(text: str) -> str | None:
    """The sender a dateline prints between slashes, spaced ("2025 / Keith Law Group /")."""
    head = text[:1500]
    if not any(spaced in head for spaced in (" / ", " /\t", "\t/ ", "\t/\t")):
        return None  # the tag's slashes stand between spaces: most texts have none to search for
    tag = _SENDER_TAG.search(head)
    if tag is None or not _near_line_start(text, tag.start()):
        return None
    name = clean_name(tag.group("name"))
    # Only a sender the text names again is the issuer: an agency's organisation noun ("Tent Media")
    # would otherwise make a name printed once in the tag look plausible.
    return name if name and text.count(name) >= 2 else None


def _near_line_start(text: str, pos: int) -> bool:
    """`pos` lies in the first line of its paragraph, within 160 characters of its start: where a dateline stands."""
    start = text.rfind("\n", 0, pos) + 1
    return pos - start <= 160


# The place of a dateline: the words before its first comma, parenthesis or dash, when a date
# follows ("Lake City, Florida (Newsworthy.ai) Wednesday Nov 12, 2025 @ ...", "HONG KONG SAR - [...] - 10 July 2026 -").
_DATELINE_PLACE = re.compile(r"[ \t]*(?P<place>[A-Z][A-Za-z.'’]*(?:[ \t]+[A-Z][A-Za-z.'’]*){0,3})[ \t]*(?:,|\(|[-–—]|/)[^\n]{0,120}?\b(?:19|20)\d\d\b")


# A Q&A headline names the person interviewed first: "Q&A with Jo Doe, CEO of Acme" is no release of Jo Doe.
# An interview's headline names the guest the same way: "Jo Roe Interviews Jo Doe, CEO, Acme", "A Conversation With Jo Doe, ...".
_INTERVIEWEE = re.compile(r"(?:.{0,60}?[ \t])?(?:Q&(?:amp;)?A[ \t]+[Ww]ith|Interviews|Interview[ \t]+[Ww]ith|Conversation[ \t]+[Ww]ith|Sits[ \t]+Down[ \t]+[Ww]ith)[ \t]+(?P<name>[A-Z][^,:\n]{1,60}?)[ \t]*,")


def _dateline_places(text: str) -> frozenset[str]:
    """The dateline places of the first paragraphs, case-folded ("raleigh", "hong kong sar")."""
    places = set()
    for paragraph in itertools.islice(_paragraphs(text[:3000]), 8):
        found = _DATELINE_PLACE.match(paragraph.strip())
        if found and _dateline_end(paragraph.strip()):
            places.add(found.group("place").casefold())
    return frozenset(places)


# A name never opens with a conjunction: "Though Acme (NASDAQ: ACME) grew ..." names "Acme".
_CONJUNCTIONS = frozenset("Although Though While Whereas However Despite Whether Meanwhile Because If Unless".split())


def _without_possessive(name: str | None) -> str | None:
    """The name without a possessive ending ("How Cboe's Hybrid Model ..." gives "Cboe") and
    without a leading conjunction ("Though Acme" gives "Acme")."""
    if name and " " in name and name.split(" ", 1)[0] in _CONJUNCTIONS:
        name = name.split(" ", 1)[1]
    if name and name[-2:] in ("'s", "’s") and len(name) > 3:
        return name[:-2]
    return name


# "Disseminated on behalf of Trilogy Metals Inc. and may include paid advertising": the wire
# names the company it publishes for; that company is the issuer.
# (tried only where one of its four verbs begins, found in the lower-cased window: `cues.Starts`)
_BEHALF_OF = Starts(re.compile(r"(?i:disseminated|distributed|published|issued)[ \t]+on[ \t]+behalf[ \t]+of[ \t]+(?P<name>[A-Z][\w.&'’-]*(?:,?[ \t]+(?:&(?:amp;)?[ \t]+)?[A-Z0-9][\w.&'’-]*){0,7})"))
# One pattern per initial, as a literal first character is searched fast (a look-behind is not).
# `_words_from` drops a match glued to letters before it, such as the "Phone" of "iPhone".
_WORD_BY_INITIAL = {letter: re.compile(rf"{letter}[A-Za-z]{{4,}}") for letter in string.ascii_uppercase}


def _words_from(text: str, initial: str) -> list[str]:
    """The words of five letters or more that start with the capital `initial` and no letter before it."""
    return [m.group() for m in _WORD_BY_INITIAL[initial].finditer(text) if not (m.start() and text[m.start() - 1] in string.ascii_letters)]


# The listing may follow the short form ("Trilogy Metals (NYSE American: TMQ)" for "Trilogy Metals Inc.").
_NAME_SUFFIX = re.compile(rf",?[ \t]+(?:{LEGAL_SUFFIX})$")


def _usual_spelling(text: str, name: str) -> str:
    """`name` with each OCR-garbled word replaced by the spelling the text prints most
    ("ImnmunoGen" -> "ImmunoGen" when "ImmunoGen" is printed more often). Only words of five or
    more letters, same first letter, at most two edits apart (fuzz ratio >= 85), and not a plural
    of each other ("Brokers"/"Broker")."""
    words = name.split()
    # Only words with the initial of one of the name's long words can be a variant: one scan per
    # initial (a literal first character, fast to search) instead of counting every word of the text.
    initials = {w.strip(",.")[0] for w in words if len(w.strip(",.")) >= 5 and w[0].isupper()}
    counts = Counter(word for initial in initials for word in _words_from(text, initial))
    for i, word in enumerate(words):
        bare = word.strip(",.")
        if bare not in counts:
            continue
        best = max(
            (w for w in counts if w != bare and w[0] == bare[0] and w.rstrip("s") != bare.rstrip("s") and abs(len(w) - len(bare)) <= 2 and Levenshtein.distance(w, bare) <= 2 and fuzz.ratio(w, bare) >= 85),
            key=counts.__getitem__,
            default=None,
        )
        if best is not None and counts[best] > counts[bare]:
            words[i] = word.replace(bare, best)
    return " ".join(words)


def _listing_of(text: str, name: str, tickers: list[TickerMention]) -> TickerMention | None:
    """The listing printed right after `name` (or after its legal form) anywhere in the text."""
    start = text.find(name)  # not a regex of the name: that would be compiled anew for every document
    while start >= 0:
        end = start + len(name)
        suffix = _LEGAL_SUFFIX_AFTER.match(text, end)
        ticker = _listing_after(text, suffix.end() if suffix else end, tickers)
        if ticker:
            return ticker
        start = text.find(name, end)
    return None


# A headline may open with a label before a colon ("Market Alert: Acme Advances ..."): the
# label and the rest are read as two places a subject can stand, the label first.
_HEADLINE_PARTS = re.compile(r"^(?P<label>[^:(\n]{1,60}):[ \t]+(?P<rest>[A-Z].*)$")


def _body_start(text: str, headline: str) -> int:
    """Where the body begins: right after the headline's first print, or 0 when the text does not print it."""
    at = text.find(headline)
    return at + len(headline) if at >= 0 else 0


def _headline_subject(headline: str, text: str) -> str | None:
    """The name that opens the headline: the longest run of its leading capitalised words that
    the text prints again on its own, not as a copy of the headline ("Bitcredit Protocol Raises
    EUR 6.7M" -> "Bitcredit Protocol"). A lone
    word the text also prints in lower case is an ordinary word ("Gold, Antimony And ..."), not a name."""
    parts = _HEADLINE_PARTS.match(headline)
    # A label of over 30 characters ("No Longer Just A Niche Product: Acme.io Opens ...") is read
    # as part of the whole headline, and the rest gives only a brand-shaped name after it: such a
    # label is often a phrase, and so is its rest.
    long_label = parts is not None and len(parts.group("label")) > 30
    body = text[_body_start(text, headline) :]
    for part in (headline, parts.group("rest")) if long_label else (parts.group("label"), parts.group("rest")) if parts else (headline,):
        head = _LEAD_NAME.search(part)
        name = clean_name(_trim_lead_name(head.group("name"))) if head else None
        words = name.split() if name else []
        following = part[head.end() :].split() if head else []
        if following and following[0] == "of" and (of_name := _name_with_of(part, head, body)):
            return of_name
        for first in (0, 1):  # a leading word the body never prints may be dropped ("How Iveda Solutions")
            for size in range(len(words) - first, 0, -1):
                prefix = " ".join(words[first : first + size]).rstrip(",")
                continuation = (words[first + size :] or following or [""])[0]
                if continuation.startswith("("):
                    continuation = ""  # an aside after the name ("Acme Health Network (AHN) Opens ..."): the body prints it so too
                if size == 1 and prefix.endswith("ing") and continuation in _VERB_OBJECTS:
                    continue  # "Calling It an Inside Job, ...": a verb's -ing form and its object
                if _printed_times(body, prefix, continuation) and not (size == 1 and _printed_lower(body, prefix)):
                    if not (long_label and part is not headline) or _name_shaped(prefix, body):
                        return clean_name(prefix)
    return None


# A headline may describe its subject before naming it: "Event Software Giant In The Room Prepares for
# ...", "Industry Leader Acme Posts ...". The noun says a company follows.
_DESCRIBED_IN_HEADLINE = re.compile(
    r"(?:[A-Z][\w&'’.-]*[ \t]+){0,5}(?:Giant|Leader|Pioneer|Innovator|Provider|Maker|Specialist|Startup|Start-Up|Powerhouse|Trailblazer|Disruptor)[ \t]+"
    r"(?P<name>(?:[A-Z]|[a-z]{1,3}[A-Z])[\w&'’.-]*(?:[ \t]+[A-Z][\w&'’.-]*){0,5})"
)


def _described_in_headline(headline: str, text: str) -> str | None:
    """The name after the describing noun that opens a headline ("Live Event Software Giant In The Room
    Prepares ..." gives "In The Room"; not "... for Swiss Startup Acme"): the longest run of its words that the body prints twice or more. The
    words are kept as printed (`clean_name` would drop "In The")."""
    found = _DESCRIBED_IN_HEADLINE.match(headline)
    if not found:
        return None
    body = text[_body_start(text, headline) :]
    words = found.group("name").split()
    for size in range(len(words), 0, -1):
        name = " ".join(words[:size]).rstrip(",")
        if (size > 1 or not _printed_lower(body, name)) and _printed_times(body, name) >= 2:
            return name
    return None


# Words that follow a verb's -ing form opening a headline ("Calling It ...", "Making The Case ...").
_VERB_OBJECTS = frozenset("It Its The A An This That Their Our Your His Her Them Us Up Out Down Back On In Into Over New More".split())
# "of" or "of the" and up to four capitalised words after a headline's leading name.
_TITLE_BEFORE_OF = re.compile(r"(?:Dean|Provost|Professor|Rector|Minister|Secretary|Mayor|Governor|Director|Head|Chief|President|Chair\w*|CEO|Officer|Manager|Member)$")
_OF_TAIL = re.compile(r"[ \t]+of(?:[ \t]+the)?(?P<words>(?:[ \t]+[A-Z][\w.&'’-]*){1,4})")


def _name_with_of(part: str, head: re.Match[str], body: str, least: int = 1) -> str | None:
    """A headline or lead name with "of" inside ("Nicolas of Palm Beach Launches ...", "Queen of the
    World Pageant Returns ..."): the longest run through the capitalised words after "of" that the
    body prints whole (`least` times), cut at a verb. The leading name must be whole (no verb, no comma in it)."""
    lead = head.group("name")
    if "," in lead or _TITLE_BEFORE_OF.search(lead) or _trim_lead_name(lead) != lead:
        return None  # "Dean of Acme Medicine Named ..." is a person's title; "Acme Announces Launch of" a sentence
    tail = _OF_TAIL.match(part, head.end())
    if tail is None or clean_name(lead) != lead:
        return None
    joint = part[head.end() : tail.start("words")]
    # Cut once at the first verb ("... Pageant Returns"): the shorter runs are prefixes of the cut one.
    words = _trim_lead_name(lead + joint + tail.group("words")).split()[len((lead + joint).split()) :]
    words = words[: next((i + 1 for i, word in enumerate(words) if word.endswith(("'s", "’s"))), len(words))]
    if not words or words[-1].endswith(("'s", "’s")):
        return None  # "Backers of Mexico's Fintech ..." is a phrase
    for size in range(len(words), 0, -1):
        run = lead + joint + " " + " ".join(words[:size])
        if _printed_times(body, run) >= least:
            return clean_name(run)
    return None


_HEADLINE_WORD = re.compile(r"(?:[A-Z]|[a-z]{1,3}[A-Z])[\w&'’.-]*")


_PROJECT_IN_HEADLINE = re.compile(r"\b(?:[A-Z][a-z]+[A-Z0-9]|[A-Z][A-Z0-9]*[0-9]|[A-Z][\w-]*\.[a-z]{2,6}\b|(?:Token|Coin|Protocol|Network|Chain|Finance|Wallet|DAO)\b)")


def _project_over_subject(headline: str, text: str, subject: str, tickers: list[TickerMention], places: frozenset[str]) -> str:
    """A bare headline subject (no company marks) gives way to the headline's project
    (`_headline_name_printed_most`) that the body prints over twice as often: "Twitter Traders and
    Influencers on Acmechain Network: ..." is about Acmechain, which the body repeats, not Twitter."""
    if not _PROJECT_IN_HEADLINE.search(headline.replace(subject, " ")):
        return subject  # the cheap test first: a project is brand-shaped or ends in a project noun, outside the subject
    body = text[_body_start(text, headline) :]
    project = _headline_name_printed_most(headline, text, places, max(3, 2 * _printed_times(body, subject) + 1))
    if not project or project in subject or _company_marks(text, subject, tickers):
        return subject  # "Acmehash Cloud Mining" keeps its whole name
    return project


def _headline_listed_name(headline: str, text: str, tickers: list[TickerMention], places: frozenset[str]) -> str | None:
    """When no candidate is left: the first run of the headline's capitalised words (up to four)
    that the body prints with a listing, itself or in a longer form ("Japan's Largest Clinic
    Operator Acme Medical Targets ..." and "Acme Medical Group Holdings Inc. (NASDAQ: ACME)"). A
    sponsored article names its company inside a headline phrase, and its lead opens on the market."""
    start = _body_start(text, headline)
    body = text[start:]
    listed = [ticker for ticker in tickers if ticker.span[0] >= start]  # printed in the body, not the headline's own
    words = [(m.group(0).rstrip(".,’'"), m.start(), m.end()) for m in _HEADLINE_WORD.finditer(headline)]
    for i in range(len(words)):
        found = None
        for j in range(i, min(i + 4, len(words))):
            if j > i and headline[words[j - 1][2] : words[j][1]].strip():
                break  # only words next to each other
            run = " ".join(w for w, _, _ in words[i : j + 1])
            if run in _PREPOSITIONS or run in _SENTENCE_WORDS or body.find(run) < 0:
                break
            longer = _longer_form(text, run, listed)
            if (_listing_of(text, run, listed) or _listing_of(text, longer, listed)) and _printed_at_name_start(text, longer):
                found = run
        if found and not _rejected(found, body, places):
            return clean_name(found)
    return None


# A symbol's shape: two to six capitals or digits, with a capital first ("ACMC", "O2T").
_SYMBOL = re.compile(r"[A-Z][A-Z0-9]{1,5}")
_CASHTAG = re.compile(r"\$([A-Z][A-Z0-9]{1,9})\b")
# The token's name before its symbol: "Acmecoin (ACME)" names the project "$ACME" is the token of.
_NAMED_TAG = re.compile(r"(?P<name>[A-Z][\w.-]*(?:[ \t]+[A-Z][\w.-]*){0,2})[ \t]+\Z")


def _headline_cashtag(headline: str, text: str, places: frozenset[str]) -> str | None:
    """When no candidate is left: a headline word that the body prints as a cashtag at least twice
    ("Solana's Next Meme Coin 'ACME' ..." and "... $ACME stands out ..."), the token a promotion is for."""
    body = text[_body_start(text, headline) :]
    tags = Counter(_CASHTAG.findall(body))
    for word in _HEADLINE_WORD.findall(headline):
        word = word.rstrip(".,’'")
        if tags[word] >= 2 and not _rejected(word, body, places):
            return _name_before_symbol(text, word) or word
    return None


def _name_before_symbol(text: str, symbol: str) -> str | None:
    """The name the text prints right before "(SYMBOL)", cut to start at the symbol's initial
    ("Buy Acme Token (ACME)" names "Acme Token"); None without one, or when it is a market asset."""
    at = text.find(f"({symbol})")
    named = _NAMED_TAG.search(text, 0, at) if at > 0 else None
    words = named.group("name").split() if named else []
    while words and not words[0].upper().startswith(symbol[0]):
        words = words[1:]
    return " ".join(words) if words and " ".join(words) not in _MARKET_ASSETS else None


def _printed_at_name_start(text: str, name: str) -> bool:
    """`name` is printed somewhere after a word that is not capitalised, so it is not the tail of
    a longer name ("Dental Group Inc." inside "Hanbit Dental Group Inc.")."""
    start = text.find(name)
    while start >= 0:
        before = text[max(0, start - 40) : start].split()
        if not before or not before[-1][0].isupper():
            return True
        start = text.find(name, start + 1)
    return False


def _headline_name_printed_most(headline: str, text: str, places: frozenset[str], least: int = 3) -> str | None:
    """The last resort, when no candidate is left: the run of the headline's capitalised words
    (up to four) that the body prints most often, at least three (`least`) times. A promotion's headline
    names its project anywhere, not at the start ("The Future of Online Safety with Acmeguard"),
    and its body repeats it. Runs that are ordinary or rejected words do not count."""
    body = text[_body_start(text, headline) :]
    words = [(m.group(0).rstrip(".,’'"), m.start(), m.end()) for m in _HEADLINE_WORD.finditer(headline)]
    best: tuple[int, int, str] | None = None
    for i in range(len(words)):
        for j in range(i, min(i + 4, len(words))):
            if j > i and headline[words[j - 1][2] : words[j][1]].strip():
                break  # only words next to each other
            run = " ".join(w for w, _, _ in words[i : j + 1])
            if not run or run.split()[0] in ("The", "A", "An"):
                continue
            count = _printed_times(body, run)  # the cheap tests first: most runs are printed less than three times
            if count < least:
                break  # a longer run is printed no more often than this one
            if best is not None and (count, j - i) <= best[:2]:
                continue
            if _name_shaped(run, body) and not _rejected(run, body, places):
                best = (count, j - i, run)
    return best[2] if best else None


# A project's name shape: a word with a capital or digit inside ("BlockDAG", "O2T"), or a crypto
# project noun at the end ("Furrever Token").
_BRAND_WORD = re.compile(r"[A-Z][a-z]+[A-Z0-9][\w.]*|[A-Z][A-Z0-9]*[0-9][A-Z0-9]*")
_PROJECT_NOUN = re.compile(r"[ \t](?:Token|Coin|Protocol|Network|Chain|Finance|Wallet|DAO)$")


def _name_shaped(run: str, body: str) -> bool:
    """`run` looks like a company or project name rather than a place, a person or a word: two
    words or more ending in a legal form or an organisation or project noun (printed so in the
    body), or a brand-shaped word. A lone "Inc" or "Summit" is none of these."""
    if " " in run and (_ORG_SHAPE.search(run) or _PROJECT_NOUN.search(run) or _full_name(body, run) != run):
        return True
    return any(_BRAND_WORD.fullmatch(word) or _DOMAIN_NAME.fullmatch(word) for word in run.split())


_DOMAIN_NAME = re.compile(r"[A-Z][\w-]*\.[a-z]{2,6}")


def _compound_head(text: str, word: str) -> bool:
    """`word` opens a compound with a lower-case tail at the start of a sentence or paragraph
    ("Award-winning author ..."): the headline's "Award Winning Author ..." is a description."""
    start = text.find(word + "-")
    while start >= 0:
        end = start + len(word) + 1
        before = text[max(0, start - 8) : start].rstrip(" \t")[-1:]
        if end < len(text) and text[end].islower() and before in ("", "\n", ".", "!", "?", "-", "—", "–"):
            return True  # at the head of a sentence, a paragraph or a dateline's end ("-- Award-winning")
        start = text.find(word + "-", end)
    return False


def _printed_lower(text: str, word: str) -> bool:
    """`word` is also printed all in lower case as a word of prose ("gold" for "Gold"); a URL or
    slug ("newsdirect.com/news/imugene-partners") does not count, and neither does a name shaped like
    a domain ("Uranium.io", whose lower-case print is its address)."""
    if _DOMAIN_NAME.fullmatch(word):
        return False
    lower = word.lower()
    start = text.find(lower)
    while start >= 0:
        end = start + len(lower)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        domain = after == "." and end + 1 < len(text) and text[end + 1].isalnum()  # "rentana.io"
        if not (before.isalnum() or before in "-/._@") and not (after.isalnum() or after in "-/_@" or domain):
            return True
        start = text.find(lower, end)
    return False


def _first_listed_name(text: str, lead: str, offset: int, tickers: list[TickerMention]) -> str | None:
    """The first name of the lead paragraph printed right before a listing."""
    for ticker in tickers:
        if offset <= ticker.span[0] < offset + len(lead):
            before = text[max(offset, ticker.span[0] - 200) : ticker.span[0]]
            found = _LISTED_BEFORE.search(before)
            if found:
                return clean_name(found.group("name"))
    return None


_LISTED_BEFORE = re.compile(r"(?P<name>[A-Z][\w.&'’-]*(?:,?[ \t]+(?:&(?:amp;)?[ \t]+)?[A-Z0-9][\w.&'’-]*){0,6}),?[ \t]*\(?[ \t]*[A-Za-z .-]{0,12}$")
# A lead opening with a title names a person ("Founder Tracy Tanguay brings ...").
_PERSON_TITLES = r"Founder|Co-Founder|CEO|President|Chairman|Chairwoman|Entrepreneur|Author|Attorney|Dr\.|Mr\.|Ms\.|Mrs\.|Gov\.|Governor|Senator|Mayor"
_PERSON_TITLE_FIRST = re.compile(rf"(?:Former|Chair|{_PERSON_TITLES})[ \t]+[A-Z]")
# A person's title right before a name: "Entrepreneur Jo Doe announced ...", "... said Dr. Jo Doe".
_TITLES_BEFORE = frozenset(_PERSON_TITLES.replace("\\.", ".").split("|"))


def _title_before(text: str, position: int) -> bool:
    """The word right before `position` (a space stands between) is a person's title."""
    words = text[max(0, position - 16) : position].split()
    return bool(words) and words[-1] in _TITLES_BEFORE
# A name followed by a defined-term aside is the one the release is about: 'TBC Bank (TBC UZ)',
# 'Yorkton Equity Group Inc. (“Yorkton” or the “Company”)'.
_DEFINED_TERM_AFTER = re.compile(r",?[ \t]*\((?:the[ \t]+)?[“\"]?[A-Z][^()\n]{0,60}\)")
_WIRE_NAME = re.compile(r"(?i)wire\b|newsfile|news ?direct|press release|newsworthy")
# "Rainer M. Blair, President and Chief Executive Officer, stated": a person, by the title after the name.
_TITLE_WORD = r"(?i:president|chief|ceo|cfo|coo|chair(?:man|woman|person)?|founder|co-founder|director|officer|partner)\b"
_TITLE_AFTER = re.compile(r",[ \t]+(?:the[ \t]+)?(?:[A-Z][\w-]*[ \t]+){0,2}?" + _TITLE_WORD)
# "Jane Roe serves as president and chief executive of ...", "Jo Doe is the founder of ...", "Larry Roe,
# co-founder and chairman of ...": a person, by the title after the verb or right after the comma (any print).
_TITLE_RIGHT_AFTER = re.compile(
    r"(?:,[ \t]+(?:the[ \t]+)?|(?:[ \t]+(?:serves|served)[ \t]+as[ \t]+(?:the[ \t]+|its[ \t]+)?|[ \t]+(?:is|was)[ \t]+(?:the|its)[ \t]+)(?:(?!an?[ \t])[a-z][\w-]*[ \t]+){0,2}?)"
    + _TITLE_WORD
)
# Beyond the companies' organisation nouns, an issuer may be a non-profit or a studio: "the Acme
# Research Foundation", "Acme Contractors Association", "Acme Studios".
_ISSUER_ORG_NOUN = r"Foundation|Association|Institute|Society|Council|Federation|Alliance|Coalition|Studios?|Agency"
_ORG_SHAPE = re.compile(rf"(?:{LEGAL_SUFFIX}|{ORG_NOUN}|(?<=\w )(?:{_ISSUER_ORG_NOUN}))\.?$")  # not the noun alone ("Society")
_ORG_END_ANY_CASE = re.compile(rf"(?i)[ \t,](?:{LEGAL_SUFFIX}|{ORG_NOUN}|{_ISSUER_ORG_NOUN})\.?$")


def _rejected(name: str, text: str, places: frozenset[str] = frozenset()) -> bool:
    """True for names that are never the issuer: a wire's name, a person (a title stands before
    the name, or a job title follows it: "John Q. Smith, President and CEO"), an ordinary word,
    the dateline's place ("Raleigh" of "Raleigh, United States - July 10, 2025")."""
    if _WIRE_NAME.search(name) or _LABEL.fullmatch(name):
        return True
    if _PERSON_TITLE_FIRST.match(name) and not _NAME_SUFFIX.search(name) and _full_name(text, name) == name:
        return True  # "Dr. Jo Doe", "Founder Jo Doe"; not "Mayor Law, LLC", a firm printed with its legal form
    folded = name.casefold()
    if any(place == folded or place.startswith(folded + " ") for place in places) and _full_name(text, name) == name:
        return True  # "Hong Kong" of "HONG KONG SAR - ... - 10 July 2026 -"; not "Lenzing" of "Lenzing AG"
    if name in _SENTENCE_WORDS or name in _MARKET_ASSETS or name in _PEOPLES_AND_COUNTRIES or _capitals_heading(name) or _COMPOUND_ADJECTIVE.fullmatch(name):
        return True
    if name in _STATES_AND_CITIES and _full_name(text, name) == name:
        return True  # "Maryland's casino revenue ...", "Dubai's skyline ...": a place, unless printed with a legal form
    if name.isalpha() and (_printed_lower(text, name) or _compound_head(text, name)):
        return True  # a lone word the text also prints in lower case is an ordinary word ("What")
    return _printed_as_person(text, name)


def _printed_as_person(text: str, name: str, prints: int = 4) -> bool:
    """One of the first `prints` prints of `name` in the top of the text is a person's: a job title follows
    it ("Jo Doe, chief executive of ...", "Larry Roe, co-founder", "Jo Doe serves as president") or a
    person's title stands right before it ("Entrepreneur Jo Doe announced ..."). The first print may be
    a headline's, with neither; a person is introduced in the lead, within the first 2,000 characters."""
    position = text.find(name)
    if position >= 0 and _TITLE_AFTER.match(text, position + len(name)):
        return True  # the first print: a title after up to two capitalised words ("Jo Doe, Acme Chief ...")
    while 0 <= position < _PERSON_TOP and prints:
        # later prints: a lower-case title right after ("..., said Jo Roe, Acme, Division President" is the company's)
        if _TITLE_RIGHT_AFTER.match(text, position + len(name)) or (text[position - 1 : position] in (" ", "\t") and _title_before(text, position)):
            return True
        position, prints = text.find(name, position + len(name), _PERSON_TOP), prints - 1
    return False


_PERSON_TOP = 2000


# A capitalised word with a lower-case tail after a hyphen is an adjective, not a name
# ("Award-winning author ...", "Family-owned"); "Coca-Cola" and "D-Wave" keep their capitals.
_COMPOUND_ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)+")
# Words that open a sentence and never name a company, even when the text never prints them in
# lower case ("What happens when ...", "Dozens of advocates ...", "Many employees ...").
_SENTENCE_WORDS = frozenset(
    "What Why How When Where Who Which Whether Many Most Some Several Few All Both Each Every Any "
    "Dozens Hundreds Thousands Millions Billions Earlier Later Last Next Recently Today Yesterday "
    "Meanwhile However Although While Despite Imagine One Two Three Four Five Six Seven Eight Nine Ten "
    "It We You They Anyone Everyone Someone Nobody Everybody Below Above Ever Never".split()
)
# A people, a group named by its origin or its role, or a country is a market or an audience, never the sender:
# "Americans are carrying record debt ...", "Black adults who ...", "South Korea's largest expo ...".
_PEOPLES_AND_COUNTRIES = frozenset(
    "Americans Canadians Mexicans Europeans Britons Australians Africans Asians Latinos Hispanics Black White Asian Hispanic "
    "Latino Latina Latinx Indigenous American Canadian Mexican European British English French German Italian Spanish "
    "Chinese Japanese Korean Indian African Australian Ontario Quebec Alberta Manitoba Saskatchewan America Canada Mexico Brazil Argentina Europe Germany France Spain Italy Britain England "
    "Ireland Scotland Netherlands Switzerland Sweden Norway Poland Ukraine Russia Turkey Israel Africa Nigeria Kenya Egypt "
    "Asia China Japan Korea India Pakistan Singapore Malaysia Indonesia Thailand Vietnam Philippines Taiwan Australia UAE USA "
    "Residents Citizens Voters Parents Students Families Consumers Homeowners Shoppers Patients Workers Employees Seniors "
    "Veterans Travelers Fans Experts Analysts Investors Traders".split()
) | {"South Korea", "North Korea", "United States", "United Kingdom", "Hong Kong", "Saudi Arabia", "South Africa", "New Zealand", "Latin America", "North America", "South America", "Middle East",
    "British Columbia", "Nova Scotia"}


# A US state or a large city is where a story happens, never its sender ("Maryland's casinos slipped ...",
# "In Dubai, the clinic ..."); the dateline's own place is rejected as such already.
_STATES_AND_CITIES = frozenset(
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho Illinois Indiana "
    "Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi Missouri Montana Nebraska "
    "Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming "
    "Chicago Houston Dallas Austin Miami Atlanta Boston Seattle Denver Philadelphia Baltimore Detroit Orlando Tampa Nashville "
    "Toronto Vancouver Montreal Calgary London Paris Berlin Madrid Rome Dubai Tokyo Beijing Shanghai Sydney Melbourne".split()
) | {"New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Rhode Island", "South Carolina",
     "South Dakota", "West Virginia", "New York City", "Los Angeles", "San Francisco", "San Diego", "San Antonio", "Las Vegas",
     "Abu Dhabi", "Washington D.C.", "Washington, D.C."}


def _capitals_heading(name: str) -> bool:
    """`name` is four words or more in capitals with no legal form or organisation noun at its end:
    a digest's item heading ("MARYLAND JOINS 13 STATES"), not a company ("ACME HOLDINGS LP",
    "ACME COMMERCIAL BROKERAGE COMPANY")."""
    return name.isupper() and name.count(" ") >= 3 and not _ORG_END_ANY_CASE.search(name)
# A crypto asset is a market, never the sender: promotions open on "Bitcoin has surged ..." and
# name their own token or platform later.
_MARKET_ASSETS = frozenset(
    "Bitcoin Ethereum Ether Solana Dogecoin Cardano Litecoin Tether Polkadot Toncoin BNB BTC ETH SOL XRP DOGE ADA USDT "
    "Crypto Cryptocurrency Cryptocurrencies DeFi Web3 NFT NFTs AI Blockchain Metaverse".split()
) | {"Binance Coin", "Shiba Inu", "Bitcoin Cash"}
# Up to four capitalised words after a short name: where its longer form may continue.
_NAME_WORDS_AFTER = re.compile(r"(?:[ \t]+(?:&(?:amp;)?[ \t]+)?[A-Z][\w&'’-]*){1,4}")


def _company_marks(text: str, name: str, tickers: list[TickerMention]) -> bool:
    """`name` is printed as a company: with an organisation noun, its legal form or listing, or a longer form that has them."""
    return bool(_ORG_SHAPE.search(name)) or _full_name(text, name) != name or _listing_of(text, name, tickers) is not None or _longer_form(text, name, tickers) != name


def _longer_form(text: str, name: str, tickers: list[TickerMention]) -> str:
    """The longer name starting with `name` that the text prints with its legal form or listing
    ("Cboe" -> "Cboe Global Markets, Inc. (Cboe: CBOE)", "Numa Numa" -> "Numa Numa Resources
    Inc."): the short form a headline or a wire note uses names the same company. `name` when
    there is none."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        words = _NAME_WORDS_AFTER.match(text, end) if start == 0 or not text[start - 1].isalnum() else None
        if words:
            run = _trim_lead_name(text[start : words.end()]).split()
            # A name does not run across a capitalised preposition or sentence word ("... Coverage On Acme Inc.").
            own = len(name.split())
            run = run[: next((own + i for i, word in enumerate(run[own:]) if word in _PREPOSITIONS or word in _SENTENCE_WORDS), len(run))]
            for size in range(len(run), own, -1):
                longer = " ".join(run[:size])
                if not text.startswith(longer, start):
                    continue
                tail = _LEGAL_TAIL.match(text, start + len(longer))
                if tail:
                    return text[start : tail.end()]
                if _listing_after(text, start + len(longer), tickers):
                    return longer
        start = text.find(name, end)
    return name


def _plausible(name: str, text: str, tickers: list[TickerMention]) -> bool:
    """True when `name` has evidence of being the issuer: the company a release is about is
    printed more than once, or prints its legal form or an organisation noun ("Labs"), or is
    followed by its listing or a defined-term aside. A sentence word ("Despite", "Two") or a
    dateline city printed once passes none of these."""
    position = text.find(name)
    if _ORG_SHAPE.search(name) or _full_name(text, name) != name or _listing_of(text, name, tickers):
        return True
    if position >= 0 and _DEFINED_TERM_AFTER.match(text, position + len(name)):
        return True
    return _printed_times(text, name) >= 2


def _printed_times(text: str, name: str, continuation: str = "") -> int:
    """How often `name` is printed as whole words, not followed by `continuation` (str.find: no
    pattern compiled per name)."""
    count, start = 0, text.find(name)
    while start >= 0:
        end = start + len(name)
        if (start == 0 or not (text[start - 1].isalnum() or text[start - 1] == ".")) and (end == len(text) or not text[end].isalnum()):
            count += not (continuation and _continues(text[end:].lstrip(" ,"), continuation, not name.endswith(("'s", "’s"))))
        start = text.find(name, end)
    return count


def _continues(rest: str, continuation: str, sentence_case: bool = True) -> bool:
    """`rest` starts with `continuation`, or with its lower-case form: the body's "two-time Grammy
    nominee" copies the headline's "Grammy Nominee" in sentence case, so "Grammy" is no name there.
    A possessive owns what follows ("Acme's floor" for "Acme's Floor Model"): no `sentence_case` test."""
    return rest.startswith(continuation) or (sentence_case and continuation[:1].isupper() and rest.startswith(continuation.lower()) and rest[len(continuation) : len(continuation) + 1] in ("", " ", ",", "."))


# Words `clean_name` drops before a name that leave the name whole ("As Acme (ACM) grows ...").
_PREPOSITIONS = frozenset("As With In At For By From On Under Through Via Per To Of After Before During Following Including And Also While When If".split())


def _lead_subject(match: re.Match[str], text: str) -> str | None:
    """The cleaned lead subject. A leading word that `clean_name` drops as sentence noise ("New",
    "Media") is kept when the text prints the whole name with its legal form ("New Era Helium, Inc.")."""
    raw = _trim_lead_name(match.group("name"))
    name = clean_name(raw)
    if name and not raw.startswith(name) and (cut := raw.find(name)) > 0:
        whole = raw[:cut].strip() + " " + name
        if whole[0].isupper() and whole.split(" ", 1)[0] not in ("The", "A", "An") and (_NAME_SUFFIX.search(whole) or _full_name(text, whole) != whole):
            return whole
        if " " not in name and raw[:cut].split()[-1] not in _PREPOSITIONS and not _ORG_SHAPE.search(name) and _full_name(text, name) == name:
            return None  # "Media Day returned ..." cut to "Day": a remnant, not a name (but "As Acme ..." gives "Acme")
    return name


def _trim_lead_name(name: str) -> str:
    """Cut a lead-sentence subject at the first verb-like word ("Acme Corp. Announces ...")."""
    words = name.split()
    kept: list[str] = []
    for word in words:
        bare = word.strip(",")
        if kept and re.fullmatch(r"(?:Announces?|Reports?|Releases?|Today|Secures?|Signs?|Completes?|Closes?|Receives?|Posts?|Enters?|Launches?|Served|Serves|Said|Is|Has|Was|To|And|Through|Acts?)", bare):
            break
        kept.append(word)
        if word.endswith(","):
            if re.match(rf"^(?:{LEGAL_SUFFIX})", words[len(kept)] if len(kept) < len(words) else ""):
                continue
            kept[-1] = bare
            break
    return " ".join(kept)


# Up to two legal words in a row: "Corvane Holdings Inc.", "Brera Holdings PLC".
_LEGAL_TAIL = re.compile(rf"(?:,?\s+(?:{LEGAL_SUFFIX})(?![\w])){{1,2}}")
_LEGAL_SUFFIX_AFTER = re.compile(rf",?\s*(?:{LEGAL_SUFFIX})(?![\w])")  # the whole word: "Corporation", not "Corp" of it


def _full_name(text: str, name: str) -> str:
    """The legal form of `name` printed elsewhere ("Xcel Brands" -> "Xcel Brands, Inc.")."""
    # str.find and one compiled pattern: a pattern built from each name would be compiled anew per document.
    start = text.find(name)
    while start >= 0:
        tail = _LEGAL_TAIL.match(text, start + len(name))
        if tail:
            return text[start : tail.end()]
        start = text.find(name, start + 1)
    return name
