"""Reading documents (clear errors for unusable input) and chunking long texts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmx.errors import InputError
from llmx.extraction.inputs import chunk_text, check_text, decode_document, read_document


def test_reads_utf8_and_drops_only_the_byte_order_mark(tmp_path):
    path = tmp_path / "release.txt"
    path.write_bytes("\ufeffZürich-based Acme AG raised CHF 5 million.".encode("utf-8"))
    assert read_document(path) == "Zürich-based Acme AG raised CHF 5 million."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "empty"),
        (b"%PDF-1.7\x00\x00\x01binary", "binary"),
        ("Caf\u00e9 raised \u20ac2 million".encode("latin-1", errors="replace"), "not valid UTF-8"),
        (bytes(range(1, 32)) * 20, "binary"),
    ],
)
def test_unusable_bytes_raise_input_error_saying_why(data, message):
    with pytest.raises(InputError, match=message):
        decode_document(data, source="doc.txt")


def test_missing_file_and_directory_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="not a regular file"):
        read_document(tmp_path)


def test_invalid_utf8_error_points_at_the_offending_byte():
    with pytest.raises(InputError, match="0xe9 at offset 3"):
        decode_document(b"Caf\xe9 Holdings", source="doc.txt")


def test_check_text_accepts_text_with_ordinary_whitespace():
    text = "Line one\tand tab\r\nLine two\fform feed"
    assert check_text(text) is text


def test_short_text_is_one_chunk():
    chunks = chunk_text("short text", max_chars=100)
    assert [(c.start, c.end, c.text) for c in chunks] == [(0, 10, "short text")]


def test_chunks_prefer_paragraph_breaks_and_overlap():
    paragraphs = [f"Paragraph {i} says something about milestone payments of $ {i} million." for i in range(30)]
    text = "\n\n".join(paragraphs)
    chunks = chunk_text(text, max_chars=500, overlap=120)
    assert len(chunks) > 1
    for before, after in zip(chunks, chunks[1:]):
        assert after.start < before.end  # consecutive chunks overlap
        assert text[before.end - 2 : before.end] == "\n\n"  # cut after a paragraph break
    assert chunks[-1].end == len(text)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab .\n$1"), min_size=1, max_size=3000),
    max_chars=st.integers(min_value=20, max_value=800),
    overlap=st.integers(min_value=0, max_value=300),
)
def test_chunks_cover_the_text_and_map_back_exactly(text, max_chars, overlap):
    chunks = chunk_text(text, max_chars=max_chars, overlap=overlap)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert 0 < len(chunk.text) <= max_chars
        assert chunk.to_global((0, len(chunk.text))) == (chunk.start, chunk.end)
    for before, after in zip(chunks, chunks[1:]):
        assert before.start < after.start <= before.end  # progress, and no gap


_CONTROL_REGEX = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # what check_text counted before


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FFF, blacklist_categories=()), max_size=200))
def test_control_characters_are_counted_as_the_regex_counts_them(text):
    from llmx.extraction.inputs import _control_count

    assert _control_count(text) == len(_CONTROL_REGEX.findall(text))


def test_control_count_takes_every_code_point_below_0x80_and_lone_surrogates():
    from llmx.extraction.inputs import _control_count

    every = "".join(map(chr, range(0x80))) + "\ud800é€\U0001F600\x0c"
    assert _control_count(every) == len(_CONTROL_REGEX.findall(every)) == 29
