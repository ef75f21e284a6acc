"""The held-out corpus gold (evals/heldout) loads and is internally consistent.

Its texts live in ../shared/corpus (never in the repository), so every test skips cleanly when
that folder is absent. These checks guard the gold itself, not llmx's scores on it: the set is
scored, never tuned on (see evals/heldout/README.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llmx.evaluate.gold import GoldDoc, gold_docs_dir, gold_to_record, load_gold_dir
from llmx.schema import KINDS, STATUSES
from support import ROOT

HELDOUT = ROOT / "evals" / "heldout"
HELDOUT_RANGE = (2001, 2500)

pytestmark = pytest.mark.skipif(
    not gold_docs_dir(HELDOUT).is_dir(), reason=f"corpus texts not found at {gold_docs_dir(HELDOUT)} (../shared absent)"
)


@pytest.fixture(scope="module")
def docs() -> list[GoldDoc]:
    return load_gold_dir(HELDOUT)


def test_ids_are_sorted_unique_and_from_the_heldout_range(docs: list[GoldDoc]) -> None:
    ids = [doc.id for doc in docs]
    assert len(ids) == 25 and ids == sorted(set(ids))
    for doc_id in ids:
        assert re.fullmatch(r"c\d{4}", doc_id) and HELDOUT_RANGE[0] <= int(doc_id[1:]) <= HELDOUT_RANGE[1], doc_id


def test_heldout_does_not_overlap_the_corpus_gold(docs: list[GoldDoc]) -> None:
    corpus = ROOT / "evals" / "corpus" / "gold.jsonl"
    if not corpus.is_file():
        pytest.skip("evals/corpus/gold.jsonl absent")
    taken = set(re.findall(r'"id": "(c\d{4})"', corpus.read_text(encoding="utf-8")))
    assert taken.isdisjoint(doc.id for doc in docs)


def test_source_matches_the_corpus_index(docs: list[GoldDoc]) -> None:
    index = Path(gold_docs_dir(HELDOUT)).parent / "index.tsv"
    if not index.is_file():
        pytest.skip(f"{index} absent")
    sources = dict(line.split("\t")[:2] for line in index.read_text(encoding="utf-8").splitlines()[1:] if line)
    for doc in docs:
        assert doc.gold["source"] == sources[doc.id], doc.id


def test_amounts_are_printed_distinct_and_labelled(docs: list[GoldDoc]) -> None:
    for doc in docs:
        amounts = doc.gold["amounts"]
        assert amounts, f"{doc.id}: every held-out document was chosen with at least one amount"
        keys = [(round(a["value"], 6), a["currency"]) for a in amounts]
        assert len(keys) == len(set(keys)), f"{doc.id}: a (value, currency) pair repeats"
        for amount in amounts:
            assert amount["text"] in doc.text, f"{doc.id}: {amount['text']!r} is not printed"
            assert amount["value"] > 0 and re.fullmatch(r"[A-Z]{3}", amount["currency"])
            assert amount["kind"] in KINDS and amount["status"] in STATUSES, (doc.id, amount)


def test_tickers_and_companies_occur_in_the_text(docs: list[GoldDoc]) -> None:
    for doc in docs:
        lowered = doc.text.lower()
        for ticker in doc.gold["tickers"]:
            assert ticker["symbol"] in doc.text and ticker["exchange"], (doc.id, ticker)
        for name in doc.gold["companies"]:
            assert name.lower() in lowered, (doc.id, name)
        issuer = doc.gold["issuer"]
        assert issuer["name"].lower() in lowered
        assert issuer["ticker"] is None or issuer["ticker"] in {t["symbol"] for t in doc.gold["tickers"]}


def test_every_record_builds_a_valid_press_release(docs: list[GoldDoc]) -> None:
    for doc in docs:
        record = gold_to_record(doc.gold, doc.text)
        assert len(record.amounts) == len(doc.gold["amounts"]), doc.id
        for amount in record.amounts:
            if amount.span is not None:
                assert doc.text[amount.span[0] : amount.span[1]] == amount.text, (doc.id, amount.text)
