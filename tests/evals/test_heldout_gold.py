"""The held-out corpus gold sets (evals/heldout, evals/heldout2, evals/heldout3,
evals/heldout4, evals/heldout5, evals/heldout6, evals/heldout7,
evals/heldout8, evals/heldout9, evals/heldout10, evals/heldout11) load and are internally
consistent.

Their texts live in ../shared/corpus (never in the repository), so every test skips cleanly when
that folder is absent. These checks guard the gold itself, not llmx's scores on it: the sets are
scored, never tuned on (see evals/heldout*/README.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llmx.evaluate.gold import GoldDoc, gold_docs_dir, gold_to_record, load_gold_dir
from llmx.schema import KINDS, STATUSES
from support import ROOT

# name: (corpus id range, number of documents)
SETS = {
    "heldout": ((2001, 2500), 25),
    "heldout2": ((2501, 3000), 20),
    "heldout3": ((1601, 2000), 30),
    "heldout4": ((2001, 3000), 25),
    "heldout5": ((2001, 3000), 20),
    "heldout6": ((2001, 3000), 20),
    "heldout7": ((2001, 3000), 20),
    "heldout8": ((2001, 3000), 20),
    "heldout9": ((2001, 3000), 20),
    "heldout10": ((2001, 3000), 20),
    "heldout11": ((2001, 3000), 20),
}
OTHER_GOLD = ("corpus", *SETS)


def _ids(path: Path) -> set[str]:
    return set(re.findall(r'"id": "(c\d{4})"', path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module", params=sorted(SETS))
def heldout(request: pytest.FixtureRequest) -> tuple[str, list[GoldDoc]]:
    folder = ROOT / "evals" / request.param
    if not gold_docs_dir(folder).is_dir():
        pytest.skip(f"corpus texts not found at {gold_docs_dir(folder)} (../shared absent)")
    return request.param, load_gold_dir(folder)


def test_ids_are_sorted_unique_and_from_the_sets_range(heldout: tuple[str, list[GoldDoc]]) -> None:
    name, docs = heldout
    (low, high), size = SETS[name]
    ids = [doc.id for doc in docs]
    assert len(ids) == size and ids == sorted(set(ids))
    for doc_id in ids:
        assert re.fullmatch(r"c\d{4}", doc_id) and low <= int(doc_id[1:]) <= high, doc_id


def test_a_heldout_set_does_not_overlap_other_gold(heldout: tuple[str, list[GoldDoc]]) -> None:
    name, docs = heldout
    others = [ROOT / "evals" / other / "gold.jsonl" for other in OTHER_GOLD if other != name]
    present = [path for path in others if path.is_file()]
    assert present, f"no other gold file found among {others}"
    for path in present:
        assert _ids(path).isdisjoint(doc.id for doc in docs), path


def test_source_matches_the_corpus_index(heldout: tuple[str, list[GoldDoc]]) -> None:
    name, docs = heldout
    index = Path(gold_docs_dir(ROOT / "evals" / name)).parent / "index.tsv"
    if not index.is_file():
        pytest.skip(f"{index} absent")
    sources = dict(line.split("\t")[:2] for line in index.read_text(encoding="utf-8").splitlines()[1:] if line)
    for doc in docs:
        assert doc.gold["source"] == sources[doc.id], doc.id


def test_amounts_are_printed_distinct_and_labelled(heldout: tuple[str, list[GoldDoc]]) -> None:
    for doc in heldout[1]:
        amounts = doc.gold["amounts"]
        assert amounts, f"{doc.id}: every held-out document was chosen with at least one amount"
        keys = [(round(a["value"], 6), a["currency"]) for a in amounts]
        assert len(keys) == len(set(keys)), f"{doc.id}: a (value, currency) pair repeats"
        for amount in amounts:
            assert amount["text"] in doc.text, f"{doc.id}: {amount['text']!r} is not printed"
            assert amount["value"] > 0 and re.fullmatch(r"[A-Z]{3}", amount["currency"])
            assert amount["kind"] in KINDS and amount["status"] in STATUSES, (doc.id, amount)


def test_tickers_and_companies_occur_in_the_text(heldout: tuple[str, list[GoldDoc]]) -> None:
    for doc in heldout[1]:
        lowered = doc.text.lower()
        for ticker in doc.gold["tickers"]:
            assert ticker["symbol"] in doc.text and ticker["exchange"], (doc.id, ticker)
        for name in doc.gold["companies"]:
            assert name.lower() in lowered, (doc.id, name)
        issuer = doc.gold["issuer"]
        assert issuer["name"].lower() in lowered
        assert issuer["ticker"] is None or issuer["ticker"] in {t["symbol"] for t in doc.gold["tickers"]}


def test_every_record_builds_a_valid_press_release(heldout: tuple[str, list[GoldDoc]]) -> None:
    for doc in heldout[1]:
        record = gold_to_record(doc.gold, doc.text)
        assert len(record.amounts) == len(doc.gold["amounts"]), doc.id
        for amount in record.amounts:
            if amount.span is not None:
                assert doc.text[amount.span[0] : amount.span[1]] == amount.text, (doc.id, amount.text)
