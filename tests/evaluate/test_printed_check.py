"""The independent hallucination check (llmx.evaluate.printed) on sentences written for it."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from llmx.evaluate.gold import GoldDoc, load_gold_dir
from llmx.evaluate.grounding import GroundingChecker
from llmx.evaluate.printed import PrintedChecker, printed_amounts, read_number, scale_of
from llmx.evaluate.scoring import score_press_releases
from llmx.recognize import Mentions, MoneyMention

ROOT = Path(__file__).resolve().parents[2]
SHARED_GOLD = Path(os.environ.get("LLMX_SHARED_DIR") or ROOT.parent / "shared") / "evals" / "press_releases"


def printed(text: str, value: float, currency: str = "USD") -> bool:
    return PrintedChecker().check(text, {"amounts": [{"value": value, "currency": currency}]}).amounts == [True]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("Vellmar will pay $2 million upfront.", 2e6, "USD"),
        ("Revenue was $1,234,567.89 for the year.", 1_234_567.89, "USD"),
        ("A fee of US$1.2B is due.", 1.2e9, "USD"),
        ("It raised $5M in a seed round.", 5e6, "USD"),
        ("It raised $5MM in a seed round.", 5e6, "USD"),
        ("The buyer pays $3bn in cash.", 3e9, "USD"),
        ("The price is $0.3323 per share.", 0.3323, "USD"),
        ("Grants of CHF 20 million were awarded.", 20e6, "CHF"),
        ("Proceeds of 5,000 USD were received.", 5000, "USD"),
        ("Sales reached 1.2 million euros.", 1.2e6, "EUR"),
        ("It paid 40 million Canadian dollars.", 40e6, "CAD"),
        ("Le prix est de €1,5 million.", 1.5e6, "EUR"),
        ("Net loss of ($1,234) was reported.", 1234, "USD"),
        ("Net loss of $(9.4) million was reported.", 9.4e6, "USD"),
        ("Net loss was ($1,234).", -1234, "USD"),
        ("Royalties of C$ 7.5 million follow.", 7.5e6, "CAD"),
        ("A payment of A$0.32 per share.", 0.32, "AUD"),
        ("It sold for ¥4.5 Billion.", 4.5e9, "JPY"),
        ("A payment of £250,000 is due.", 250_000, "GBP"),
        ("The group has closed $3+ billion of deals.", 3e9, "USD"),
        ("Its agents sold $900+ million of homes.", 900e6, "USD"),
    ],
)
def test_common_formats_are_printed(text: str, value: float, currency: str) -> None:
    assert printed(text, value, currency)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Acme pays $35 rnillion upfront.", 35e6),
        ("Acme pays $14.4 miIlion upfront.", 14.4e6),
        ("Acme pays $8 Mi11ion upfront.", 8e6),
        ("Acme pays $18 mil-\nlion upfront.", 18e6),
        ("Acme pays $2 bi11ion upfront.", 2e9),
        ("Acme pays $1O.5 million upfront.", 10.5e6),
    ],
)
def test_ocr_noisy_scale_words_and_digits_are_read(text: str, value: float) -> None:
    assert printed(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Acme pays $35 rnillion upfront.", 35),  # the recognizer bug the old metric could not see
        ("Acme pays $2 million upfront.", 2),  # the commonest model error
        ("Acme pays $2 million upfront.", 2e9),
        ("Acme pays $2 million upfront.", 2e3),
        ("Acme pays $2.5 billion upfront.", 2.5e6),
        ("Acme pays $230,000 upfront.", 230),  # a comma before three digits groups thousands
        ("Acme has 35 employees and $2 million in cash.", 35),  # a number far from any currency marker
        ("Acme paid $2 million, or 2 percent of sales.", 2),
        ("Acme pays $2 million upfront.", 2.1e6),  # 5 % off: more than the 0.5 % tolerance
        ("Its agents sold $900+ million of homes.", 900),  # a "+" leaves the scale word the number's
    ],
)
def test_values_not_printed_as_money_are_flagged(text: str, value: float) -> None:
    assert not printed(text, value)


def test_currency_must_agree_and_a_bare_dollar_follows_the_text() -> None:
    assert not printed("Acme pays $2 million upfront.", 2e6, "EUR")
    assert not printed("Acme pays C$2 million upfront.", 2e6, "USD")
    assert printed("All figures are in Canadian dollars. Acme pays $2 million.", 2e6, "CAD")
    assert not printed("Acme pays $2 million.", 2e6, "CAD")


def test_ranges_carry_currency_and_scale_to_both_ends() -> None:
    text = "Guidance is $40-45 million; costs of €98 to €104 million; a fee of $500,000 to $2 million."
    money = printed_amounts(text)
    assert {40e6, 45e6} <= set(money["USD"]) and {98e6, 104e6} <= set(money["EUR"])
    assert 500_000 in money["USD"] and 2e6 in money["USD"]
    assert 40 not in money["USD"] and 500e9 not in money["USD"]


def test_ranges_written_with_an_en_or_em_dash_are_ranges() -> None:
    for dash in ("\u2013", "\u2014"):
        money = printed_amounts(f"Tickets cost $20 {dash} $30k for sponsors.")
        assert {20_000, 30_000} <= set(money["USD"])


def test_table_captions_scale_numbers_without_a_scale_word() -> None:
    text = "Balance sheet (in thousands)\nCash  $ 412,718\nRevenue was $5 million."
    assert printed(text, 412_718_000) and printed(text, 412_718)
    assert not printed(text, 5e9)  # a number with its own scale word keeps it


def test_number_readings_and_scale_words() -> None:
    assert read_number("1,500") == {1500.0} and read_number("1.500") == {1.5}
    assert read_number("1.500", decimal_comma=True) == {1.5, 1500.0}
    assert read_number("1.234,5") == {1234.5} and read_number("1,234.5") == {1234.5}
    assert read_number("1,234,567") == {1_234_567.0}
    assert [scale_of(w) for w in ("million", "Million", "rnillion", "miIlion", "bi11ion", "thousand", "bn", "K", "Merck", "mission")] == [
        6, 6, 6, 6, 9, 3, 9, 3, None, None,
    ]


def test_tickers_must_occur_as_whole_upper_case_tokens() -> None:
    text = "Acme Corp. (Nasdaq: ACME) and BRK.B holders; the ACMEX fund."
    check = PrintedChecker().check(text, {"tickers": [{"symbol": "ACME"}, {"symbol": "BRK.B"}, {"symbol": "ACM"}, {"symbol": "CORP"}, {"symbol": ""}]})
    assert check.tickers == [True, True, False, False, False]
    assert check.unprinted_tickers == [2, 3, 4]


def test_the_check_shares_no_code_with_the_recognizers() -> None:
    source = (ROOT / "llmx" / "evaluate" / "printed.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert not any(name == "llmx" or name.startswith("llmx.") for name in imported), imported


def _buggy_recognizer(text: str) -> Mentions:
    """A recognizer with the OCR bug: "$35 rnillion" read as 35."""
    start = text.index("$35")
    return Mentions(money=[MoneyMention(35.0, "USD", "$35", (start, start + 3))], tickers=[])


def test_a_recognizer_bug_is_a_hallucination_but_not_unrecognized() -> None:
    text = "Acme will pay Beta $35 rnillion upfront.\n"
    doc = GoldDoc(id="d1", text=text, gold={"id": "d1", "amounts": [{"value": 35e6, "currency": "USD", "kind": "upfront", "status": "actual"}]})
    record = {"id": "d1", "amounts": [{"value": 35.0, "currency": "USD", "kind": "upfront", "status": "actual"}]}
    metrics = score_press_releases([doc], {"d1": record}, checker=GroundingChecker(recognizer=_buggy_recognizer)).metrics()
    assert metrics["unrecognized_rate"] == 0.0  # the recognizer agrees with itself
    assert metrics["hallucination_rate"] == 1.0
    assert metrics["printed"]["amounts"] == {"predicted": 1, "unprinted": 1, "rate": 1.0}


def _assert_gold_is_printed(gold_dir: Path) -> None:
    docs = load_gold_dir(gold_dir)
    checker = PrintedChecker()
    unprinted = []
    for doc in docs:
        gold = doc.to_dict()
        check = checker.check(doc.text, gold)
        unprinted += [(doc.id, gold["amounts"][i]["text"]) for i in check.unprinted_amounts]
        unprinted += [(doc.id, gold["tickers"][i]["symbol"]) for i in check.unprinted_tickers]
    assert sum(len(d.to_dict()["amounts"]) for d in docs) > 100
    assert unprinted == []


def test_every_gold_amount_and_ticker_of_the_own_set_is_printed() -> None:
    _assert_gold_is_printed(ROOT / "evals" / "press_releases")


@pytest.mark.skipif(not (SHARED_GOLD / "gold.jsonl").is_file(), reason=f"shared gold set not found at {SHARED_GOLD} (set LLMX_SHARED_DIR)")
def test_every_gold_amount_and_ticker_of_the_shared_set_is_printed() -> None:
    _assert_gold_is_printed(SHARED_GOLD)


@pytest.mark.parametrize("factor", [1e-3, 1e-6, 1e3])
def test_gold_amounts_at_the_wrong_scale_are_flagged_on_the_own_set(factor: float) -> None:
    """The bare-number error on real layouts: at least 90 % of rescaled gold amounts are caught (tables "in thousands" print some of them)."""
    checker, caught, total = PrintedChecker(), 0, 0
    for doc in load_gold_dir(ROOT / "evals" / "press_releases"):
        gold = doc.to_dict()
        printed_values = {(a["value"], a["currency"]) for a in gold["amounts"]}
        for amount in gold["amounts"]:
            value = amount["value"] * factor
            if any(abs(value - v) <= 0.005 * max(value, v) and c == amount["currency"] for v, c in printed_values):
                continue
            total += 1
            caught += not checker.check(doc.text, {"amounts": [{**amount, "value": value}]}).amounts[0]
    assert total > 200 and caught / total >= 0.9, (caught, total)


CORPUS_GOLD = ROOT / "evals" / "corpus"


def test_a_currency_code_may_touch_its_number() -> None:
    assert printed("Revenue was RMB92.1 million, up 12%.", 92.1e6, "CNY")
    assert printed("A grant of USD5,000 was paid.", 5000, "USD")
    assert not printed("The A320 fleet grew.", 320, "USD")
    # a code before a "$" names that dollar: the amount is Canadian, not US
    assert printed("It raised CAD ~$2.35M in the round.", 2.35e6, "CAD")
    assert not printed("It raised CAD ~$2.35M in the round.", 2.35e6, "USD")


def test_table_cells_one_per_line_under_a_caption_are_money() -> None:
    table = "Summary (In thousands)\n\nRevenue\n\n$\n\n5,576\n\n$\n\n5,873\n\nOther income\n\n(114)\n\n3\n"
    for value in (5_576_000, 5_873_000, 114_000, 3_000):
        assert printed(table, value), value
    # without a caption a bare number on its own line is no money, and cells before the caption are not cells
    assert not printed("Revenue\n\n$ 10\n\n114\n", 114)
    assert not printed("Staff\n\n114\n\nSummary (in thousands)\n\n$\n\n5,576\n", 114_000)
    # a number inside a line of prose after the table is no cell
    assert not printed(table + "\nThe bank has 27 branches.\n", 27_000) and not printed(table + "\nThe bank has 27 branches.\n", 27)


@pytest.mark.skipif(not (CORPUS_GOLD / "gold.jsonl").is_file(), reason="corpus gold not found")
def test_every_gold_amount_and_ticker_of_the_corpus_set_is_printed() -> None:
    docs_dir = CORPUS_GOLD / (CORPUS_GOLD / "docs_dir.txt").read_text(encoding="utf-8").strip()
    if not docs_dir.is_dir():
        pytest.skip(f"corpus texts not found at {docs_dir}")
    _assert_gold_is_printed(CORPUS_GOLD)
