"""The speed rewrites of the rules' text helpers give exactly what the plain versions give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from llmx.rules.cues import Starts, searchable
from llmx.rules.parties import _mask_headlines
from llmx.rules.text import TextIndex


def test_previous_line_is_the_row_label_of_a_table_cell() -> None:
    text = "Revenue\n\n$4.2 million\nNet loss\n$1.1 million"
    index = TextIndex(text)
    assert index.previous_line(text.index("$4.2")) == "Revenue"
    assert index.previous_line(text.index("$1.1")) == "Net loss"
    assert index.previous_line(0) == ""


def test_mask_headlines_blanks_title_case_lines_only_and_keeps_offsets() -> None:
    text = "Acme Therapeutics Announces Record Quarterly Results\n\nAcme Inc. said revenue grew.\n# Heading\n\n"
    masked = _mask_headlines(text)
    assert len(masked) == len(text)
    lines = masked.split("\n")
    assert lines[0] == " " * len("Acme Therapeutics Announces Record Quarterly Results")
    assert lines[2] == "Acme Inc. said revenue grew."
    assert lines[3] == " " * len("# Heading")
    assert lines[1] == lines[4] == lines[5] == ""


def test_may_match_by_substrings_answers_as_the_anchor_search() -> None:
    from llmx.rules.cues import CUE_ANCHORS, may_match

    sentences = [
        "the company received an upfront payment of $20 million",
        "net loss was $3.1 million, or $0.06 per share",
        "eligible for milestones of up to $500 million and royalties",
        "",
        "no cue here at all",
    ]
    checked = 0
    for anchors in CUE_ANCHORS.values():
        if anchors is None:
            continue
        for sentence in sentences:
            assert may_match(anchors, sentence) == (anchors.search(sentence) is not None), (anchors.pattern, sentence)
            checked += 1
    assert checked > 0
    assert any(may_match(anchors, sentences[0]) for anchors in CUE_ANCHORS.values() if anchors is not None)
    assert not all(may_match(anchors, sentences[4]) for anchors in CUE_ANCHORS.values() if anchors is not None)


# -- cue sentences (the votes over scanned sides; llmx.rules.cues.StartScan: tests/rules/test_start_scan.py) --

_CUE_SENTENCES = [
    "the company received an upfront payment of $20 million and is eligible for milestones",
    "net loss was $3.1 million, or $0.06 per diluted share, compared with a net loss of $2.0 million",
    "Acme closed a $15 million private placement of common shares priced at-the-market",
    "cash, cash equivalents and marketable securities of $8.5 million as of June 30",
    "revenue is expected to reach $40 million by 2027, the outlook says",
    "no cue here at all",
    "",
]


def test_the_vote_over_scanned_sides_equals_the_vote_over_every_cue() -> None:
    from llmx.rules.roles import _KIND_TABLE, _POTENTIAL_TABLE, _ACTUAL_TABLE, _vote, cue_sides
    from llmx.rules.text import TextIndex

    text = " ".join(_CUE_SENTENCES[:5]) + "."
    index = TextIndex(text)
    voted = 0
    for dollar in [i for i, char in enumerate(text) if char == "$"]:
        window = index.window(dollar, dollar + 5)
        sides = cue_sides(window)
        # every bit set, and no lower-cased text nor start offsets: each cue regex scans the whole side
        unfiltered = [(side, is_before, -1, None, None) for side, is_before, _, _, _ in sides]
        for table in (_KIND_TABLE, _POTENTIAL_TABLE, _ACTUAL_TABLE):
            assert _vote(sides, table) == _vote(unfiltered, table)
            voted += bool(_vote(sides, table))
    assert voted > 5



# -- cue regexes tried only where a match can begin (llmx.rules.cues.Starts) -------------------------

# Texts that put the cues' start strings at every kind of position: word starts, mid-word, after a
# hyphen, a lower-case letter glued to a capital ("EarningsNet"), upper case, characters IGNORECASE
# folds to ASCII letters (searched in full), accents and a final sigma (which str.lower maps by context).
_START_TEXTS = [
    *_CUE_SENTENCES,
    "Fourth Quarter EarningsNet income rose; re-raised UPFRONT payments, non-dilutive grants and a PIPE.",
    "it may, in May 2025, pay; might of; could-be; the ETH/BTC price; 51% stake; (previous year: EUR 3 million)",
    "ΣΟΦΊΑΣ raised €5 million — Ünïcode prĩce per share; up-front, up front, upfront; İstanbul ſhares \u212aelvin",
    "planned to reach; projects that revenues; projects to date; earn-out; earnouts; hard caps; soft cap",
    "  leading blanks and a trailing cue: total value locked",
]


def _all_cue_regexes() -> list:
    import llmx.rules.roles as roles
    from llmx.rules.cues import ACTUAL_REGEX, KIND_REGEX, POTENTIAL_REGEX, Anchored

    regexes = [regex for _, regex, _ in (*KIND_REGEX, *POTENTIAL_REGEX, *ACTUAL_REGEX)]
    return regexes + [value.regex for value in vars(roles).values() if isinstance(value, Anchored)] + [roles._CONJUNCTION]


def test_starts_search_and_finditer_answer_as_the_regex() -> None:
    from llmx.rules.cues import Starts, searchable

    named = checked = matched = 0
    for regex in _all_cue_regexes():
        starts = Starts(regex)
        named += starts.find is not None
        for text in _START_TEXTS:
            for piece in (text, text[3:], text.upper(), text.lower()):
                lowered = searchable(piece)
                expected = [(m.span(), m.groups()) for m in regex.finditer(piece)]
                assert [(m.span(), m.groups()) for m in starts.finditer(piece, lowered)] == expected, (regex.pattern[:60], piece)
                first = regex.search(piece)
                got = starts.search(piece, lowered)
                assert (got and got.span()) == (first and first.span()), (regex.pattern[:60], piece)
                checked += 1
                matched += bool(expected)
    assert named >= 80 and checked > 1000 and matched > 150


_FRAGMENTS = ("up", "front", "to", " ", "-", "share", "s", "price", "in ", "May", "may", "Net", "net", "income", "was", "has",
              "ΣΑΣ", "ſ", "İ", "é", ",", ".", ";", "$5", "million", "Earnings", "grant", "of", "the", "reach", "ing", "(", ":")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=25).map("".join))
def test_starts_answer_as_the_regex_on_any_text(text: str) -> None:
    lowered = searchable(text)
    for regex in _CUE_REGEXES:
        assert [m.span() for m in _STARTS[regex].finditer(text, lowered)] == [m.span() for m in regex.finditer(text)], regex.pattern[:60]


_CUE_REGEXES = _all_cue_regexes()
_STARTS = {regex: Starts(regex) for regex in _CUE_REGEXES}


def test_start_literals_name_the_strings_a_match_begins_with() -> None:
    import re

    from llmx.rules.cues import start_literals

    assert start_literals(re.compile(r"(?<![\w-])(?:up[- ]?front|initial payment)", re.IGNORECASE)) == {"up-front", "up front", "upfront", "initial payment"}
    assert start_literals(re.compile(r"\b(?:shares?|stock)\b", re.IGNORECASE)) == {"share", "stock"}
    assert start_literals(re.compile(r"(?:ab)+c")) == {"ab"}  # a repeat's first round only, not what follows it
    assert start_literals(re.compile(r"(?:x)?yz")) == {"xyz", "yz"}
    assert start_literals(re.compile(r"\d+%")) is None  # no string names the start
    assert start_literals(re.compile(r"(?:a|)b")) == {"ab", "b"}
    assert start_literals(re.compile(r"a?")) is None  # matches the empty string
    assert start_literals(re.compile(r"é|e")) is None  # non-ASCII: IGNORECASE folds it otherwise than str.lower


def test_lower_casing_keeps_every_offset_and_folds_no_character_into_ascii_but_the_excluded_ones() -> None:
    """What `Starts` relies on: str.lower() maps each character to one character, and only the characters
    `searchable` refuses (and U+0130, which lower-cases to two) lower-case to ASCII from outside it."""
    from llmx.rules.cues import _FOLDS_TO_ASCII

    for code in range(0x110000):
        char = chr(code)
        low = char.lower()
        if len(low) != 1:
            assert char in _FOLDS_TO_ASCII
        elif low.isascii() and not char.isascii():
            assert char in _FOLDS_TO_ASCII

# -- date patterns that let re skip ahead (llmx.rules.dates) ----------------------------------------


def test_date_patterns_match_as_the_patterns_with_a_leading_word_boundary() -> None:
    import re

    from llmx.rules.dates import _DATE_PATTERNS, _MONTH

    plain = (
        re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
        re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
        re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
    )
    text = (
        "BOSTON, Sept. 4, 2025 /Wire/ -- On 12th March 2024 and 2024-01-05 the board met; x12 March 2024, "
        "a2024-01-05, ſeptember 3, 2021, JUNE 30, 2023, Junes 3, 2020, Mayday 1, 2020, 3 may 2022, 7 Dec.\n2019, "
        "Jan 1,2020, 31 July 20255, 1999-12-31x, 2019-1-01, dec 25, 2024. _5 April 2021 May 5 2021"
    )
    found = 0
    for fast, slow in zip(_DATE_PATTERNS, plain):
        expected = [(m.span(), m.groupdict()) for m in slow.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == expected
        found += len(expected)
    assert found >= 8


def test_dates_searched_next_to_years_are_the_matches_of_a_scan_of_the_whole_text() -> None:
    from llmx.rules.dates import _DATE_PATTERNS, _date_matches

    texts = (
        "BOSTON, Sept. 4, 2025 /Wire/ -- On 12th March 2024 and 2024-01-05 the board met; x12 March 2024, "
        "a2024-01-05, JUNE 30, 2023, 3 may 2022, 7 Dec.\n2019, Jan 1,2020, 31 July 20255, 1999-12-31x, 2020-20-20",
        "May 5,\n\n" + " " * 100 + "2025 and September.    30th,   2024 cost $20 million in 1920, 19 or 20 units",
        "Jan 1  " + " " * 500 + "2024, 2024",  # blanks wider than any window before the year
        "no year here at all",
    )
    found = 0
    for text in texts:
        for index, pattern in enumerate(_DATE_PATTERNS):
            expected = [match.span() for match in pattern.finditer(text)]
            assert [match.span() for match in _date_matches(index, text)] == expected, (index, text[:30])
            found += len(expected)
    assert found >= 10


def test_first_printed_is_the_first_date_printed_dates_lists_for_it() -> None:
    from llmx.rules.dates import first_printed, printed_dates

    text = "On 1 March 2024 we said March 1, 2024 again; 2024-03-01 and March 2, 2024, then 2024-03-02."
    for iso in ("2024-03-01", "2024-03-02", "2024-03-03"):
        expected = next((span for span, printed in printed_dates(text) if printed == iso), None)
        assert first_printed(iso, text) == expected
    assert first_printed("2024-03-02", text) == (text.index("March 2,"), text.index("March 2,") + len("March 2, 2024"))


def test_sentence_breaks_match_as_the_plain_alternation() -> None:
    import re

    from llmx.rules.text import _BREAK

    plain = re.compile(r"\n\s*|(?<=\s)[*•]\s|\s[–—-]\s(?=[A-Z])")
    text = "* first\n  * second • third - Fourth – fifth —  Sixth\n\n•x *\n*y a - b"
    expected = [m.span() for m in plain.finditer(text)]
    assert [m.span() for m in _BREAK.finditer(text)] == expected
    assert len(expected) >= 5


def test_spans_taken_from_the_rules_record_are_the_spans_aligned_afresh() -> None:
    from llmx.rules.spans import attach_spans
    from llmx.schema import Amount, Company, Issuer, PressRelease

    text = "BOSTON, May 2, 2025 -- Acme Corp. said Beta Labs paid $5 million to Acme Corp. on signing."

    def record() -> PressRelease:
        return PressRelease(
            date="2025-05-02",
            issuer=Issuer(name="Acme Corp."),
            companies=[Company(name="Beta Labs"), Company(name="Gamma Inc")],
            amounts=[Amount(value=5e6, currency="USD", text="$5 million", span=(54, 64), kind="upfront", status="actual", payer="Beta Labs", payee="Acme Corp.")],
        )

    fresh = attach_spans(record(), text)
    reused = attach_spans(record(), text, like=fresh)
    assert reused.model_dump() == fresh.model_dump()
    assert fresh.issuer.span == (text.index("Acme"), text.index("Acme") + len("Acme Corp."))
    assert fresh.companies[1].span is None and fresh.date_span is not None


def test_anchored_role_constructions_search_as_their_regexes() -> None:
    import llmx.rules.roles as roles
    from llmx.rules.cues import Anchored

    befores = [
        "Acme Corp. has received an upfront payment of ",
        "Beta Labs will pay Acme ",
        "net income was $2.1 million, or ",
        "the company sold 1.2 million shares of common stock at ",
        "Gamma invested ",
        "par value per share increasing from US$0.0001 to ",
        "no construction here at all ",
        "ſhares sold at ",  # a character IGNORECASE folds to ASCII: searched in full
    ]
    guarded = [value for value in vars(roles).values() if isinstance(value, Anchored)]
    assert len(guarded) >= 5
    matched = 0
    for anchored in guarded:
        for before in befores:
            expected = anchored.regex.search(before)
            got = anchored.search(before)
            assert (got and got.span()) == (expected and expected.span()), (anchored.regex.pattern[:50], before)
            matched += expected is not None
    assert matched >= 5


# -- sentence starts found block by block (llmx.rules.text.TextIndex) --------------------------------


def _sentence_starts_of_the_whole_text(text: str) -> list[int]:
    """The plain computation: both patterns over the whole text."""
    from llmx.rules.text import _BREAK, _SENTENCE_END

    index = TextIndex(text)
    starts = {0}
    starts.update(m.end() for m in _SENTENCE_END.finditer(text) if text[m.start()] != "." or not index._is_abbreviation(m.start()))
    starts.update(m.end() for m in _BREAK.finditer(text))
    return sorted(starts)


def test_sentence_bounds_by_blocks_equal_the_bounds_from_every_sentence_start() -> None:
    import bisect

    from llmx.rules.text import _BLOCK

    # Several blocks long, with breaks of every kind (and long runs of blanks, bullets and dashes)
    # lying across the nominal block offsets, where a scan starting there would read them differently.
    pieces = [
        "Acme Corp. reported revenue of $4 million. ",
        "The deal closed; Mr. Smith said so!\n\n",
        "* Revenue grew\n• Net loss fell\n",
        "Outlook – Growth continues. ",
        " " * 300 + "\n" * 40 + "  - item -  Beta Inc. signed. ",
        "— " * 200 + "A new line starts here. ",
    ]
    text = "".join(pieces) * 12
    assert len(text) > 5 * _BLOCK
    starts = _sentence_starts_of_the_whole_text(text)
    index = TextIndex(text)
    checked = 0
    for start in range(0, len(text), 7):
        end = min(len(text), start + 5)
        i = bisect.bisect_right(starts, start) - 1
        j = bisect.bisect_left(starts, end)
        assert index.sentence_bounds(start, end) == (starts[i], starts[j] if j < len(starts) else len(text)), start
        checked += 1
    assert checked > 700
    assert index.sentence_bounds(0, 0) == (0, 0)


_BLOCK_FRAGMENTS = ("Acme rose. ", "word ", "x" * 200, " " * 120, "\n", "\n  ", "\n\n", " * ", "* ", " • ", "•", " - ", " – Beta",
                    "— ", "-", " -\nGamma", "A", "Inc. ", "year-over-year ", "$4 million; ", "Done!", "\t")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_BLOCK_FRAGMENTS), max_size=60).map("".join))
def test_block_sentence_starts_are_the_starts_of_the_whole_text_with_or_without_bullets_and_dashes(text: str) -> None:
    """Blocks without a bullet or dash read only line breaks (`_LINE_BREAK`); the starts are those of the plain scan."""
    from llmx.rules.text import _BLOCK

    index = TextIndex(text)
    found = sorted({start for block in range(len(text) // _BLOCK + 1) for start in index._block(block)})
    assert found == [start for start in _sentence_starts_of_the_whole_text(text) if start <= len(text)]


def test_vote_tables_list_the_entries_a_mask_allows_in_table_order() -> None:
    from llmx.rules.roles import _KIND_TABLE

    entries = list(_KIND_TABLE)
    some = entries[3][0] | entries[10][0] | entries[40][0]
    assert _KIND_TABLE.allowed(some) == [entries[3], entries[10], entries[40]]
    assert _KIND_TABLE.allowed(-1) == entries  # every bit set
    assert _KIND_TABLE.allowed(0) == []


def test_about_lines_tried_at_lines_that_print_about_are_the_matches_of_a_scan() -> None:
    from llmx.rules.company_names import ABOUT_LINE, about_lines

    texts = (
        "Intro line about nothing.\nAbout Acme Corp\nAcme Corp is a company.\n  ## ABOUT  the Beta Labs:\n"
        "Beta Labs is a firm.\nabout about\n**About Gamma Ltd** \nAbout Delta Delta is a bank based in Oslo.\n",
        "About X\nABOUT Y (NYSE: Y)\nAn ſ text: About Zeta\n",  # the last: lower-casing unsafe, the plain scan
        "nothing here",
    )
    found = 0
    for text in texts:
        expected = [match.span() for match in ABOUT_LINE.finditer(text)]
        assert [match.span() for match in about_lines(text)] == expected
        found += len(expected)
    assert found >= 5


def _plain_headings(text: str) -> list[tuple[int, str]]:
    """The headings as the plain pattern gives them: tried at every position, the title's run not possessive."""
    import re

    plain = re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]*(?P<hash>[^\n]+)|\*\*(?P<bold>[^*\n]{2,80})\*\*[ \t]*$|(?P<plain>[A-Z][^\n.;:!?]{2,60}))[ \t]*$")
    index = TextIndex(text)
    expected = []
    for match in plain.finditer(text):
        title = match.group("hash") or match.group("bold") or match.group("plain")
        if match.group("plain") and (not index._blank_around(match.start(), match.end()) or len(title.split()) > 7):
            continue
        expected.append((match.start(), title.strip()))
    return expected


def test_headings_are_the_line_start_matches_of_the_plain_pattern() -> None:
    texts = (
        "Outlook\n\nRevenue is expected to grow.\n\n## Financial Results\n**Highlights**\n\n  Indented Title  \n\nx\n",
        "\n\n# First\n#\n**a**\n**Bold Line**  \nNot a heading. It ends.\n\nShort Title\nnext line\n\nLast Heading",
        "",
        "no headings here, only prose.",
        "\n",
        "\n\nOutlook For The Year\n\n" + "A" + "b" * 60 + "\t  \n\n" + "C" + "d" * 61 + "\n",
    )
    for text in texts:
        assert TextIndex(text).headings == _plain_headings(text), text
    assert len(TextIndex(texts[0]).headings) >= 3
    assert len(TextIndex(texts[-1]).headings) == 2  # 1 + 60 characters then blanks: a heading; 1 + 61: none


_HEADING_FRAGMENTS = ("\n", "\n\n", " ", "\t", "  ", "Outlook", "Revenue Grew", "x" * 30, "y" * 59, "# ", "## Results", "**",
                      "**Bold**", ".", ":", ";", "!", "?", ",", "A", "b", "Short Title")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HEADING_FRAGMENTS), max_size=40).map("".join))
def test_headings_with_a_possessive_title_run_are_the_plain_patterns_headings(text: str) -> None:
    assert TextIndex(text).headings == _plain_headings(text)


# -- a window of a text (`Starts.search` with pos and endpos), and the issuer's and About blocks' regexes ---

_WINDOW_TEXTS = [
    "Brightwater Labs - Distributed on behalf of Halvern Mining Corp. and Kestrel Ltd, today said",
    "PUBLISHED ON BEHALF OF Orlen Bio; issued\ton behalf of Acme & Co Holdings. Reissued on behalf of Zed",
    "nothing here but ISSUED shares, published results and a disseminated note on behalf of nobody",
    "İstanbul ſ: disseminated on behalf of Tarsis Group, then distributed on behalf of Quill Inc.",
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_WINDOW_TEXTS), st.integers(0, 100), st.integers(0, 120))
def test_starts_search_in_a_window_answers_as_the_regex(text: str, pos: int, width: int) -> None:
    from llmx.rules.issuer import _BEHALF_OF

    endpos = pos + width
    expected = _BEHALF_OF.regex.search(text, pos, endpos)
    got = _BEHALF_OF.search(text, searchable(text[pos:endpos]), pos, endpos)
    assert (got and (got.span(), got.groups())) == (expected and (expected.span(), expected.groups()))


def test_wire_block_answers_as_its_regex() -> None:
    from llmx.rules.company_names import _WIRE_BLOCK

    blocks = ["Acme is part of the Dynamic Brand Portfolio of IBN.", "A platform POWERED BY IBN.", "investorbrandnetwork (IBN)",
              "Acme Corp. makes brand portfolios dynamic.", "İnvestorBrandNetwork", ""]
    for block in blocks:
        expected = _WIRE_BLOCK.regex.search(block)
        got = _WIRE_BLOCK.search(block)
        assert (got and got.span()) == (expected and expected.span()), block


def test_anchored_search_with_the_callers_lowered_text_answers_as_the_regex() -> None:
    import re

    from llmx.rules.cues import Anchored

    regex = re.compile(r"Dynamic Brand Portfolio|powered by IBN", re.IGNORECASE)
    for text in ("part of the DYNAMIC BRAND PORTFOLIO of X", "Powered By IBN’s network", "no wire here", "İ Powered by IBN"):
        found = Anchored(regex).search(text, text.lower())
        expected = regex.search(text)
        assert (found and found.span()) == (expected and expected.span()), text
