"""`cues.StartScan`: every cue regex tried only where the one start scan says it may begin gives the regex's own matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from llmx.rules.cues import (
    _FOLDS_TO_ASCII,
    ACTUAL_REGEX,
    CUE_START_SCAN,
    KIND_REGEX,
    POTENTIAL_REGEX,
    StartScan,
    _start_kind,
    _start_prefixes,
    finditer_at,
    search_at,
    searchable,
)

_CUE_REGEXES = [regex for _, regex, _ in (*KIND_REGEX, *POTENTIAL_REGEX, *ACTUAL_REGEX)]


def _scanned_matches(scan: StartScan, regex: re.Pattern[str], text: str) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """(finditer spans, search span) of `regex` in `text` as the roles' votes read them from one `scan.starts`."""
    mask, offsets = scan.starts(text, searchable(text))
    bit = scan.bits[regex]
    if not mask & bit:
        return [], None
    at = offsets.get(bit) if offsets is not None else None
    if at is None:  # a regex without a nameable start, or a text not lower-cased: tried everywhere
        first = regex.search(text)
        return [m.span() for m in regex.finditer(text)], first and first.span()
    first = search_at(regex, text, at)
    return [m.span() for m in finditer_at(regex, text, at)], first and first.span()


def _plain(regex: re.Pattern[str], text: str) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    first = regex.search(text)
    return [m.span() for m in regex.finditer(text)], first and first.span()


_FRAGMENTS = ("up", "front", "-", " ", "  ", "\n", "share", "s", "price", "in ", "of ", "May", "may", "Net", "net", "income", "was",
              "has", "EarningsNet", "revenue", "non", "re", "raised", "ΣΑΣ", "ſ", "İ", "é", "\u212a", ",", ".", ";", "(", "$5",
              "million", "grant", "the", "reach", "ing", "per", "51%", " stake", "IPO", "total value locked", "_", "x",
              "upon signing", " fee")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join))
def test_cue_regexes_tried_where_the_start_scan_says_match_as_the_regexes(text: str) -> None:
    for regex in _CUE_REGEXES:
        assert _scanned_matches(CUE_START_SCAN, regex, text) == _plain(regex, text), regex.pattern[:60]


def test_start_scan_on_written_sentences() -> None:
    sentences = [
        "Fourth Quarter EarningsNet income rose to $4 million; revenue was $9 million, up from $7 million.",
        "The company received an upfront payment of $20 million and may receive up to $100 million in milestones.",
        "Acme (ACME) raised $15 million in a private placement of common shares; proceeds fund a 51% stake.",
        "non-revenue items, a pre-IPO round and a re-raise: none starts a cue inside a word",
        "the first tranche is due upon signing fee schedules",  # "signing fee" begins inside the match "upon signing"
        "",
    ]
    matched = 0
    for sentence in sentences:
        for piece in (sentence, sentence[5:], sentence.upper(), sentence.lower()):
            for regex in _CUE_REGEXES:
                expected = _plain(regex, piece)
                assert _scanned_matches(CUE_START_SCAN, regex, piece) == expected, (regex.pattern[:60], piece)
                matched += bool(expected[0])
    assert matched > 40


def test_a_cue_whose_start_string_is_only_inside_a_word_is_not_tried() -> None:
    revenue = next(regex for kind, regex, _ in KIND_REGEX if kind == "revenue" and "net sales" in regex.pattern)
    mask, offsets = CUE_START_SCAN.starts("the nonrevenue line", "the nonrevenue line")
    assert not mask & CUE_START_SCAN.bits[revenue]
    mask, offsets = CUE_START_SCAN.starts("the revenue line", "the revenue line")
    assert offsets is not None and offsets[CUE_START_SCAN.bits[revenue]] == [4]
    # glued to a capital after a lower-case letter: a kind cue may begin there ("EarningsNet income")
    text = "EarningsRevenue rose"
    mask, offsets = CUE_START_SCAN.starts(text, searchable(text))
    assert offsets is not None and 8 in offsets[CUE_START_SCAN.bits[revenue]]
    # a character re.IGNORECASE folds to ASCII: no lower-cased text, every regex tried everywhere
    assert CUE_START_SCAN.starts("\u017fhares", searchable("\u017fhares")) == (CUE_START_SCAN.everything, None)


def test_start_kind_reads_the_look_behind_every_match_passes() -> None:
    prefixes = _start_prefixes(re.IGNORECASE)

    def kind(pattern: str) -> str | None:
        return _start_kind(re.compile(pattern, re.IGNORECASE), prefixes)

    assert kind(r"(?<![\w-])(?:a|b)c") == "word"
    assert kind(r"(?:(?<![\w-])|(?-i:(?<=[a-z])(?=[A-Z])))(?:x)") == "cue"
    assert kind(r"(?<![\w-])a|b") is None  # the look-behind opens one alternative only
    assert kind(r"(?<![\w])(?:a|b)") is None  # another look-behind
    assert kind(r"(?<![\w-])") is None  # nothing after it
    scan = StartScan([re.compile(r"(?<![\w-])a|bc", re.IGNORECASE), re.compile(r"(?<![\w-])(?:bc)", re.IGNORECASE)])
    first, second = scan.bits.values()
    assert scan.always == first  # tried everywhere, as before
    assert scan.starts("abc", "abc") == (first, {})  # "bc" inside a word: the second cannot begin there


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(("a", "B", "é", "’", "—", *_FOLDS_TO_ASCII, " ", "x" * 20)), max_size=12).map("".join))
def test_searchable_refuses_exactly_the_texts_holding_a_character_that_folds_to_ascii(text: str) -> None:
    expected = None if any(char in text for char in _FOLDS_TO_ASCII) else text.lower()
    assert searchable(text) == expected


_TAIL_FRAGMENTS = ("Acme", " ", "shares", " rose", " to", " at", " of", " par value", " price", "ΑΣ", "Σ", "ſ", "İ", "é", "’s",
                   " stock", " closed", " was", " EPS", " expected to", " be", ";", ".", " received", " Inc.", " up to")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TAIL_FRAGMENTS), max_size=20).map("".join), st.sampled_from((None, 1, 5, 30, 90, 400)))
def test_constructions_searched_in_a_windows_lower_cased_tail_answer_as_their_regexes(before: str, size: int | None) -> None:
    """`Window.tail` slices the window's text lower-cased once; `Anchored.search_in` on it answers as the regex on the slice."""
    import llmx.rules.roles as roles
    from llmx.rules.cues import Anchored
    from llmx.rules.text import Window

    window = Window(before=before, after="")
    text, lowered = window.tail(size)
    assert text == (before if size is None else before[-size:])
    for construction in (value for value in vars(roles).values() if isinstance(value, Anchored)):
        expected = construction.regex.search(text)
        got = construction.search_in(text, lowered)
        assert (got and (got.span(), got.groups())) == (expected and (expected.span(), expected.groups())), construction.regex.pattern[:60]
