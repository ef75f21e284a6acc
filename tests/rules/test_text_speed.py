"""The speed rewrites of the rules' text helpers give exactly what the plain versions give."""

from __future__ import annotations

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
