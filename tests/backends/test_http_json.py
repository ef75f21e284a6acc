"""The JSON encoding of the async chat path (llmx.backends.openai.http): orjson first, `json` for what it refuses."""

from __future__ import annotations

import json

import pytest

from llmx.backends.openai.http import decode_reply, encode_body


def test_a_body_encodes_to_the_same_json_value_with_text_kept_readable():
    body = {"model": "m", "temperature": 0.0, "messages": [{"role": "user", "content": "Résumé: €5 million — “quoted”"}]}
    payload = encode_body(body)
    assert json.loads(payload) == body
    assert "€5 million".encode() in payload  # UTF-8 as it is, not \\u escapes


def test_a_body_orjson_refuses_is_written_by_json():
    body = {"max_tokens": 2**70}  # beyond 64 bits: orjson refuses, json writes it
    assert json.loads(encode_body(body)) == body


def test_a_reply_decodes_and_a_cut_off_reply_still_raises_json_decode_error():
    assert decode_reply(b'{"id": "x", "choices": []}') == {"id": "x", "choices": []}
    assert decode_reply(b'{"score": NaN}')["score"] != 0  # json's extension, which orjson refuses
    with pytest.raises(json.JSONDecodeError):
        decode_reply(b'{"id": "x", "choi')
