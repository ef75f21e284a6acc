"""align() finds a quote without compiling a regex per quote: the same spans as the regexes it replaces."""

from __future__ import annotations

import re

from llmx.recognize.quotes import _find_words, _pattern, align

_TEXT = (
    "BOSTON -- Acme  Corp. and ACME\nCORP. Holdings signed with Beta_Labs Inc. (the “Partner”); "
    "acmecorp said Beta Labs, Inc. pays Gamma-Ray Ltd. a fee. Delta\tWorks, of the city."
)


def _by_regex(quote: str, text: str) -> tuple[int, int] | None:
    match = _pattern(quote).search(text) or re.compile(r"\s+".join(map(re.escape, quote.split())), re.IGNORECASE).search(text)
    return match.span() if match else None


def test_word_search_gives_the_span_of_the_bounded_then_the_unbounded_regex() -> None:
    quotes = [
        "Acme Corp.", "acme corp. holdings", "Corp", "Labs", "Beta Labs, Inc.", "Beta_Labs", "Gamma-Ray Ltd.",
        "Delta Works", "of the", "cme", "Partner", "the “Partner”", "Ray", "Zeta Inc", "fee.", "Acme Corp. and",
    ]
    found = 0
    for quote in quotes:
        words = quote.lower().split()
        lowered = _TEXT.lower()
        expected = _by_regex(quote, _TEXT)
        got = _find_words(words, _TEXT, lowered, True) or _find_words(words, _TEXT, lowered, False)
        if quote.isascii():
            assert got == expected, quote
        found += expected is not None
        result = align(quote, _TEXT)
        assert (result[1] if result else None) == expected or expected is None, quote
    assert found >= 12  # most quotes are printed; "Zeta Inc" is not


def test_align_keeps_the_printed_text_and_prefers_a_whole_word() -> None:
    text = "Acmecorp Ltd and ACME  Corp Ltd"
    assert align("Acme Corp", text) == ("ACME  Corp", (17, 27))
    assert align("corp ltd", "Acmecorp Ltd") == ("corp Ltd", (4, 12))  # no whole-word match: inside a word
    assert align("Acme Corp", "An ſ and Acme Corp") == ("Acme Corp", (9, 18))  # a text re.IGNORECASE folds differently: the regex


def test_one_aligner_for_many_names_answers_as_align_does() -> None:
    from llmx.recognize.quotes import Aligner

    names = ["Acme Corp.", "Beta Labs, Inc.", "Delta Works", "Zeta Inc", "Gamma-Ray Ltd.", "Acme Corp", "ACME CORP. HOLDINGS", "x"]
    for text in (_TEXT, "An ſ and Acme Corp with Beta Labs, Inc."):  # the second: lower-casing is unsafe, the regex path
        aligner = Aligner(text)
        answers = [aligner.align(name) for name in names]
        assert answers == [align(name, text) for name in names]
        assert sum(answer is not None for answer in answers) >= 2
