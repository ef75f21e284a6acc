"""Bare money cells of financial statement tables (llmx.recognize.tables via find_money)."""

from __future__ import annotations

import pytest

from llmx.recognize import find_money


def amounts(text: str) -> list[tuple[str, float, str]]:
    return [(m.text, m.value, m.currency) for m in find_money(text)]


def test_pipe_table_under_a_thousands_caption_scales_bare_cells_and_skips_share_counts() -> None:
    text = (
        "Selected data\n(in thousands, except per share data)\n\n"
        "| | 2025 | 2024 |\n|---|---|---|\n"
        "| Revenue | $ 1,200 | $ 1,100 |\n"
        "| Cost of revenue | 700 | (650) |\n"
        "| Other expense | - | 12 |\n"
        "| Diluted earnings per share | $ 0.42 | $ 0.38 |\n"
        "| Weighted average shares | 21,148 | 21,263 |\n"
        "| Gross margin % | 41.7% | 40.9% |\n"
    )
    found = amounts(text)
    assert ("$ 1,200", 1_200_000, "USD") in found
    assert ("700", 700_000, "USD") in found
    assert ("(650)", 650_000, "USD") in found  # negative in parentheses: the cell as printed, a magnitude
    assert ("12", 12_000, "USD") in found
    assert ("$ 0.42", 0.42, "USD") in found  # per-share rows are not scaled
    texts = [t for t, _, _ in found]
    assert "21,148" not in texts and "41.7" not in texts and "2025" not in texts


def test_run_together_columns_split_on_complete_comma_grouping() -> None:
    text = (
        "STATEMENTS OF OPERATIONS (In thousands)(Unaudited) 2024 2023 Product revenues$ 3,849 $ 3,198 "
        "Total net revenues 3,8703,254 Restructuring costs128,156314,555 Operating income (loss) 317(649)"
    )
    found = amounts(text)
    assert ("3,870", 3_870_000, "USD") in found and ("3,254", 3_254_000, "USD") in found
    assert ("128,156", 128_156_000, "USD") in found and ("314,555", 314_555_000, "USD") in found
    assert ("(649)", 649_000, "USD") in found


def test_one_cell_per_line_statement() -> None:
    text = (
        "(In thousands, except per share figures)\n\nThree Months Ended December 31,\n\n2024\n\n2023\n\n"
        "Net interest income\n\n$\n\n5,576\n\n$\n\n5,873\n\nProvision for credit losses\n\n(114)\n\n3\n\n"
        "Earnings per share\n\n$\n\n0.33\n\n$\n\n0.37\n\nWeighted average shares\n\n4,656,370\n\n"
        "Return on average assets\n\n2.65\n\n%\n"
    )
    found = amounts(text)
    assert ("5,576", 5_576_000, "USD") in found and ("(114)", 114_000, "USD") in found and ("3", 3_000, "USD") in found
    assert ("0.33", 0.33, "USD") in found
    texts = [t for t, _, _ in found]
    assert "4,656,370" not in texts and "2.65" not in texts and "31" not in texts and "2024" not in texts


def test_usd_thousands_caption_names_the_currency_and_footnotes_are_not_digits() -> None:
    text = "Results (US$'000)\n\nRevenue\t105,000[1]\t98,500\nNet loss\t(2,250)\t(1,900)\n"
    found = amounts(text)
    assert ("105,000", 105_000_000, "USD") in found
    assert ("(2,250)", 2_250_000, "USD") in found


def test_euro_table_takes_the_sign_printed_in_it() -> None:
    text = "(in thousands of euros)\n\n| Item | 2025 |\n|---|---|\n| Revenue | € 4,500 |\n| EBITDA | 1,250 |\n"
    assert ("1,250", 1_250_000, "EUR") in amounts(text)


@pytest.mark.parametrize(
    "text",
    [
        # a caption in a prose sentence governs no table: the following prose numbers stay bare
        "Revenue (in millions) rose sharply this year, the chief executive said at the annual meeting in Boston, "
        "where 1,250 shareholders and 300 employees gathered to hear about the 2,000 new stores opening soon.",
        # a Markdown table without any currency sign holds no money
        "| Site | Patients |\n|---|---|\n| Boston | 1,250 |\n| Paris | 980 |\n",
        # one cell per line without a caption: only cells right after a currency sign are money
        "Pre-Split\n\n1,000\n\n$\n\n10\n\nPost-Split\n\n100\n",
    ],
)
def test_numbers_outside_money_tables_are_not_amounts(text: str) -> None:
    assert all(t not in ("1,250", "300", "2,000", "980", "1,000", "100") for t, _, _ in amounts(text))


def test_statement_line_without_caption_keeps_units_and_skips_ratios() -> None:
    text = (
        "Net Debt (Unaudited) 2025 2024 Debt$ 45,078,253 $ 40,100,000 Less: cash 22,042,638 21,000,000 "
        "Divided by: EBITDA 19,718,527 18,500,000 Net debt leverage ratio1.2 1.1"
    )
    found = amounts(text)
    assert ("$ 45,078,253", 45_078_253, "USD") in found  # a sign glued to the word before it
    assert ("22,042,638", 22_042_638, "USD") in found and ("19,718,527", 19_718_527, "USD") in found
    assert "1.2" not in [t for t, _, _ in found]


def test_prose_with_a_few_amounts_is_not_a_statement_line() -> None:
    text = (
        "The company raised $1,250,000 from 1,100 investors across 2,300 cities, adding 4,500 customers, "
        "3,200 partners and 5,600 subscribers to the platform it launched with 7,800 employees last year."
    )
    assert [t for t, _, _ in amounts(text)] == ["$1,250,000"]


def test_spans_index_the_original_text() -> None:
    text = "(in thousands)\n\n| Revenue\u00a0| 1,234 |\n| Cost | $ 5,678 |\n"
    for mention in find_money(text):
        assert text[mention.span[0] : mention.span[1]] == mention.text


def test_share_count_sub_rows_and_count_pairs_are_not_cells() -> None:
    text = (
        "CONDENSED STATEMENTS (in thousands, except share and per share data) 2025 2024 "
        "Total revenue $ 4,210 $ 3,980 Net income $ 812 $ 640 "
        "Weighted average common shares outstanding: Basic 52,118,004 50,090,112 Diluted 53,007,965 51,221,480 "
        "Preferred stock; 9,214,330 and 9,102,776 shares issued "
        "Net income per share: Basic $ 0.02 $ 0.01 Diluted 0.07 0.05"
    )
    found = amounts(text)
    texts = [t for t, _, _ in found]
    for count in ("52,118,004", "53,007,965", "51,221,480", "9,214,330", "9,102,776"):
        assert count not in texts
    assert ("0.07", 0.07, "USD") in found  # a per-share sub-row: money, never scaled by the caption
    assert ("$ 812", 812_000, "USD") in found
