"""The recognizers' whole-text scans find exactly what their plain definitions say (speed work, issue #15)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmx.recognize.money import _CODE_WORDS, _MINOR_BODY, _code_positions, _number_may_end_at
from llmx.recognize.text import non_ascii_characters

_PIECES = st.sampled_from(
    ["USD", "EUR", "RMB", "CAD", "USDC", "XUSD", "usd", "THE", "CEO", "é", "ß", "\u00a0", "€", "5", "-", " ", "\n", "(", "?", "a", "Z"]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=25).map("".join)
_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _standalone_codes(text: str) -> list[int]:
    """The definition: a code with no letter (in the Unicode sense) right before or after it."""
    def letter(pos: int) -> bool:
        return 0 <= pos < len(text) and text[pos].isalpha()

    return [pos for pos in range(len(text) - 2) if text[pos : pos + 3] in _CODE_WORDS and not letter(pos - 1) and not letter(pos + 3)]


def test_code_positions_on_sentences() -> None:
    text = "Raised USD 5 million (EUR4m), not USDC; RMB¥ 3 and éUSD or USDé; 7CAD."
    assert [text[pos : pos + 3] for pos in _code_positions(text)] == ["USD", "EUR", "RMB", "CAD"]


@_SETTINGS
@given(_TEXT)
def test_code_positions_are_the_standalone_codes(text: str) -> None:
    assert _code_positions(text) == _standalone_codes(text)


@_SETTINGS
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_non_ascii_characters(text: str) -> None:
    assert non_ascii_characters(text) == {char for char in text if ord(char) > 127}


_MINOR_PIECES = st.sampled_from(["5", "12.5", "twelve", "Ten", "per", "re", "four", "-", " ", "\t", "cent", "cents", "pence", "ſix", "٣", "é"])


@_SETTINGS
@given(st.lists(st.one_of(_MINOR_PIECES, st.text(max_size=3)), max_size=12).map("".join))
def test_the_minor_unit_pretest_keeps_every_number_that_ends_there(text: str) -> None:
    for end in range(len(text) + 1):
        if _MINOR_BODY.search(text, max(0, end - 40), end) is not None:
            assert _number_may_end_at(text, end - 1 if text[end - 1 : end] in (" ", "\t", "-") else end)


def test_the_minor_unit_pretest_skips_words_that_end_in_no_number() -> None:
    assert not _number_may_end_at("the percent", len("the per"))
    assert not _number_may_end_at("a recent", len("a re"))
    assert _number_may_end_at("twenty five", len("twenty five")) and _number_may_end_at("at 25", 5)


def test_every_letter_prefix_starts_with_a_capital() -> None:
    """`_match_prefixed` tries the grammar at the letters before a sign only when they start with a capital."""
    from llmx.recognize.money import _CAPITALS, _PREFIX_CURRENCY

    assert all(key[0] in _CAPITALS for key in _PREFIX_CURRENCY if key[0].isalpha())
    assert all(not key[0].isalpha() for key in _PREFIX_CURRENCY if key[0] not in _CAPITALS)
