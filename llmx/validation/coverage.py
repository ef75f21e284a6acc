"""What a record leaves out, and what a wrong number most likely meant.

- `omitted_findings`: every money amount and exchange listing printed in the text but absent from a
  `PressRelease` (OMITTED_AMOUNT / OMITTED_TICKER warnings), so a hand-typed or model-written record
  can be checked for completeness, not only for correctness.
- `digit_typo`: how a value differs from a printed one by one keystroke (a digit dropped, doubled,
  changed or swapped, a zero or the decimal point misplaced), so the validator can name the amount a
  typo most likely meant first, and say why.
"""

from __future__ import annotations

import math
from typing import Any

from llmx.schema import Finding, PressRelease

__all__ = ["digit_typo", "omitted_findings"]


def _digits(value: float) -> str:
    """The digits of `value` as printed without grouping: 18000000.0 -> '18000000', 2.65 -> '2.65'."""
    text = f"{abs(value):.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _significant(value: float) -> str:
    return _digits(value).replace(".", "").strip("0")


def _one_edit(a: str, b: str) -> str | None:
    """The single edit turning `b` (printed) into `a` (typed), if there is exactly one."""
    if a == b:
        return None
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) == 1:
            return "one digit changed"
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]:
            return "two digits swapped"
        return None
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    if len(longer) - len(shorter) != 1:
        return None
    removable = [i for i in range(len(longer)) if longer[:i] + longer[i + 1 :] == shorter]
    if not removable:
        return None
    if len(a) < len(b):
        return "a digit dropped"
    doubled = any(i > 0 and longer[i] == longer[i - 1] for i in removable)
    return "a digit doubled" if doubled else "a digit added"


def digit_typo(typed: float, printed: float) -> str | None:
    """Why `typed` looks like a one-keystroke typo of `printed`, or None.

    A factor of 10 or 100 with the same significant digits is a zero dropped or added (or the
    decimal point moved); factors of 1000 are scale errors, which the validator reports as such.
    """
    typed, printed = abs(typed), abs(printed)
    if typed == 0 or printed == 0 or math.isclose(typed, printed, rel_tol=1e-9):
        return None
    ratio = math.log10(typed / printed)
    steps = round(ratio)
    if abs(ratio - steps) < 1e-6 and steps % 3 != 0 and abs(steps) <= 2 and _significant(typed) == _significant(printed):
        return f"{'a zero dropped' if steps < 0 else 'a zero added'} or the decimal point moved ({10 ** abs(steps)}x too {'small' if steps < 0 else 'large'})"
    return _one_edit(_digits(typed), _digits(printed))


def omitted_findings(record: PressRelease, source: Any, tolerance: float) -> list[Finding]:
    """Warnings for each distinct amount and listing the text prints that `record` does not hold.

    `source` is the validator's `SourceIndex` (its `money()` and `listings()`).
    """
    findings: list[Finding] = []
    # The validator's own lookup decides what a held amount covers: one tolerance, one place.
    held = [mention for amount in record.amounts for mention in source.money_near(abs(amount.value), amount.currency, tolerance)]
    covered = {(mention.value, mention.currency) for mention in held}
    # Another reading of the same printed characters ("$(7.4)" read as 7.4 beside 7,400,000) is covered too.
    held_spans = sorted({mention.span for mention in held})
    seen: set[tuple[float, str]] = set()
    for mention in source.money():
        key = (mention.value, mention.currency)
        if key in seen:
            continue
        seen.add(key)
        if key not in covered and not _overlaps(mention.span, held_spans):
            findings.append(
                Finding(
                    code="OMITTED_AMOUNT",
                    severity="warning",
                    path="amounts",
                    message=f"the text prints {mention.text} ({_number(mention.value)} {mention.currency}) at "
                    f"[{mention.span[0]}, {mention.span[1]}), which the record does not list",
                    span=mention.span,
                )
            )
    symbols = {ticker.symbol for ticker in record.tickers} | ({record.issuer.ticker} if record.issuer.ticker else set())
    listed: set[str] = set()
    for listing in source.listings():
        if listing.symbol in symbols or listing.symbol in listed:
            continue
        listed.add(listing.symbol)
        findings.append(
            Finding(
                code="OMITTED_TICKER",
                severity="warning",
                path="tickers",
                message=f"the text lists {listing.text!r} ({listing.exchange}: {listing.symbol}) at "
                f"[{listing.span[0]}, {listing.span[1]}), which the record does not hold",
                span=listing.span,
            )
        )
    return findings


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(s < end and start < e for s, e in spans)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"
