"""The second held-out corpus gold (evals/heldout2) loads and is internally consistent.

Same checks as tests/evals/test_heldout_gold.py, for the 20 documents from c2501–c3000. The
texts live in ../shared/corpus (never in the repository), so every test skips cleanly when that
folder is absent. These checks guard the gold itself, not llmx's scores on it: the set is
scored, never tuned on (see evals/heldout2/README.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llmx.evaluate.gold import GoldDoc, gold_docs_dir, gold_to_record, load_gold_dir
from llmx.schema import KINDS, STATUSES
from support import ROOT

HELDOUT2 = ROOT / "evals" / "heldout2"
HELDOUT2_RANGE = (2501, 3000)
HELDOUT2_SIZE = 20

pytestmark = pytest.mark.skipif(
    not gold_docs_dir(HELDOUT2).is_dir(), reason=f"corpus texts not found at {gold_docs_dir(HELDOUT2)} (../shared absent)"
)


def _ids(path: Path) -> set[str]:
    return set(re.findall(r'"id": "(c\d{4})"', path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def docs() -> list[GoldDoc]:
    return load_gold_dir(HELDOUT2)


def test_ids_are_sorted_unique_and_from_the_second_heldout_range(docs: list[GoldDoc]) -> None:
    ids = [doc.id for doc in docs]
    assert len(ids) == HELDOUT2_SIZE and ids == sorted(set(ids))
    for doc_id in ids:
        assert re.fullmatch(r"c\d{4}", doc_id) and HELDOUT2_RANGE[0] <= int(doc_id[1:]) <= HELDOUT2_RANGE[1], doc_id


@pytest.mark.parametrize("other", ["corpus", "heldout"])
def test_heldout2_does_not_overlap_other_gold(docs: list[GoldDoc], other: str) -> None:
    path = ROOT / "evals" / other / "gold.jsonl"
    if not path.is_file():
        pytest.skip(f"evals/{other}/gold.jsonl absent")
    assert _ids(path).isdisjoint(doc.id for doc in docs)


def test_source_matches_the_corpus_index(docs: list[GoldDoc]) -> None:
    index = Path(gold_docs_dir(HELDOUT2)).parent / "index.tsv"
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
