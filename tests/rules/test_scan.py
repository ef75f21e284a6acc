from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmx.rules.scan import WordScan, find_all


def test_find_all_gives_every_offset_of_a_word() -> None:
    assert find_all("a deal, a deal and no deal", "deal") == [2, 10, 22]
    assert find_all("aaa", "aa") == [0, 1]
    assert find_all("nothing here", "deal") == []


def _resumed_find(text: str, word: str) -> list[int]:
    """The loop `WordHits.disjoint` stands for: each search resumes after the occurrence found."""
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + len(word))
    return found


# A small alphabet makes overlaps, shared prefixes and words inside words frequent; the accented,
# astral and line-break characters check that offsets are character offsets.
_CHARS = st.sampled_from("ab A:\né😀")
_WORDS = st.lists(st.text(_CHARS, min_size=1, max_size=4), min_size=1, max_size=6)


@settings(max_examples=400, deadline=None)
@given(text=st.text(_CHARS, max_size=60), words=_WORDS)
def test_word_scan_finds_what_a_find_loop_per_word_finds(text: str, words: list[str]) -> None:
    printed = WordScan(words).find(text)
    for word in words:
        assert printed.at(word) == find_all(text, word)
        assert printed.disjoint(word) == _resumed_find(text, word)
    assert printed.union(words) == sorted({at for word in words for at in find_all(text, word)})
    assert printed.any(words) == any(word in text for word in words)
    assert printed.any(words[:1]) == (words[0] in text)


def test_word_scan_reports_overlapping_and_nested_words() -> None:
    printed = WordScan(["aa", "a", "partner", "partnership"]).find("aaa partnership")
    assert printed.at("aa") == [0, 1]
    assert printed.disjoint("aa") == [0]
    assert printed.at("a") == [0, 1, 2, 5]
    assert printed.at("partner") == printed.at("partnership") == [4]


def test_word_scan_is_case_sensitive() -> None:
    printed = WordScan(["deal", "About"]).find("Deal, a deal; ABOUT About")
    assert printed.at("deal") == [8]
    assert printed.at("About") == [20]


def test_word_scan_gives_character_offsets_after_wide_characters() -> None:
    assert WordScan(["deal"]).find("é😀 deal").at("deal") == [3]


def test_word_scan_of_a_text_with_a_lone_surrogate_falls_back_to_find_loops() -> None:
    text = "a deal\ud800 and a deal"  # no UTF-8 form: the automaton cannot take it
    printed = WordScan(["deal", "and"]).find(text)
    assert printed.at("deal") == find_all(text, "deal") == [2, 14]
    assert printed.at("and") == [8]


def test_word_scan_keeps_each_word_once_and_refuses_empty_words() -> None:
    assert WordScan(["deal", "deal", "firm"]).words == ("deal", "firm")
    assert WordScan(["deal", "deal"]).find("deal deal").at("deal") == [0, 5]
    with pytest.raises(ValueError):
        WordScan(["deal", ""])
    with pytest.raises(ValueError):
        WordScan([])


def test_a_word_outside_the_scan_is_an_error_not_an_empty_answer() -> None:
    with pytest.raises(KeyError):
        WordScan(["deal"]).find("a deal").at("firm")


# Lines that the headline mask blanks or keeps, with the characters str.lower() treats specially:
# the capital sigma (by its neighbours), "İ" (to two characters), the Kelvin sign, a no-break space.
_LINE = st.one_of(
    st.sampled_from(["Acme Signs Deal With Beta Holdings Group", "# About Acme", "The post Acme Names CFO appeared first.", "", "  "]),
    st.text(st.sampled_from("aB .,\tΣσİK\xa0é’"), max_size=30),
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINE, max_size=8), start=st.integers(0, 200), stop=st.integers(0, 200))
def test_one_lower_casing_serves_the_slices_and_the_masked_body_when_it_is_by_character(lines: list[str], start: int, stop: int) -> None:
    from llmx.rules.parties import _mask_headlines, _masked_lowered, _raw_companies
    from llmx.rules.scan import lowers_by_character

    text = "\n".join(lines)
    lowered = text.lower()
    if not lowers_by_character(text, lowered):
        assert "Σ" in text or len(lowered) != len(text)
        return
    assert lowered[start:stop] == text[start:stop].lower()
    assert _masked_lowered(_mask_headlines(text), lowered) == _mask_headlines(text).lower()
    assert _raw_companies(text, lowered) == _raw_companies(text)


def test_lower_casing_is_by_character_except_for_sigma_and_expanding_characters() -> None:
    from llmx.rules.scan import lowers_by_character

    assert lowers_by_character("Acme ’Kelvin’ Labs", "Acme ’Kelvin’ Labs".lower())
    assert not lowers_by_character("ΟΔΟΣ Labs", "ΟΔΟΣ Labs".lower())  # a final sigma lower-cases by its neighbours
    assert not lowers_by_character("İstanbul Labs", "İstanbul Labs".lower())  # one character to two
