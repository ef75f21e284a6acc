"""The validator's SCALE_MISMATCH hint at every scale, in both directions.

"2" for "$2 million" is the commonest model error, so each power of 1,000 the validator
tries is pinned down here: the hint must name the factor, the direction and the printed value.
"""

from __future__ import annotations

import pytest

from llmx.validation.checks import validate

# One printed amount per magnitude, so a hint can only point at the one it names.
TEXT = (
    "Acme Corp. (Nasdaq: ACME) will pay $7 in cash per share, a fee of $4,000, "
    "$2 million upfront, and up to $3 billion in milestones; royalties could reach $5 trillion.\n"
)
PRINTED = {"$7": 7.0, "$4,000": 4_000.0, "$2 million": 2e6, "$3 billion": 3e9, "$5 trillion": 5e12}


def scale_findings(value: float) -> list:
    record = {"amounts": [{"value": value, "currency": "USD", "kind": "other", "status": "actual"}]}
    return [f for f in validate(TEXT, record).findings if f.path == "amounts[0].value"]


CASES = [
    # (printed, value the model wrote, factor named in the hint, direction)
    (printed, PRINTED[printed] * 10**exponent, f"{10 ** abs(exponent):,}x", "large" if exponent > 0 else "small")
    for printed in PRINTED
    for exponent in (3, -3, 6, -6, 9, -9, 12, -12)
    # only values that do not land on another printed amount (e.g. $2 million / 1,000 is not $4,000)
    if not any(abs(PRINTED[printed] * 10**exponent - other) <= 1e-9 * other for other in PRINTED.values())
]


@pytest.mark.parametrize(("printed", "value", "factor", "direction"), CASES, ids=[f"{c[0]}*{c[1] / PRINTED[c[0]]:g}" for c in CASES])
def test_scale_hint_names_factor_direction_and_printed_value(printed, value, factor, direction) -> None:
    findings = scale_findings(value)
    assert [f.code for f in findings] == ["SCALE_MISMATCH"]
    message = findings[0].message
    assert f"the value is {factor} too {direction}" in message
    assert f"the text has {printed} (" in message
    start, end = findings[0].span
    assert TEXT[start:end] == printed


def test_every_power_of_a_thousand_and_both_directions_are_covered() -> None:
    factors = {(factor, direction) for _, _, factor, direction in CASES}
    assert factors == {(f"{10**e:,}x", d) for e in (3, 6, 9, 12) for d in ("large", "small")}


@pytest.mark.parametrize(("value", "words"), [(2.0, "(million, not units)"), (2e9, "(million, not billion)"), (3e6, "(billion, not million)")])
def test_scale_hint_names_the_scale_words(value, words) -> None:
    (finding,) = scale_findings(value)
    assert finding.code == "SCALE_MISMATCH" and words in finding.message


def test_the_two_for_two_million_error_suggests_two_million() -> None:
    (finding,) = scale_findings(2.0)
    assert "1,000,000x too small; did you mean 2000000" in finding.message


@pytest.mark.parametrize("value", [2.5e6, 6e3, 9.0])
def test_a_value_at_no_scale_of_a_printed_amount_is_unsupported(value) -> None:
    assert [f.code for f in scale_findings(value)] == ["UNSUPPORTED_AMOUNT"]
