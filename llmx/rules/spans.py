"""Spans for the names and the date of a `PressRelease`: where each is printed in the text."""

from __future__ import annotations

from llmx.recognize.quotes import Aligner
from llmx.rules.dates import first_printed
from llmx.schema import PressRelease, Span


def date_span(iso: str | None, text: str) -> Span | None:
    """Span of the first printed form of the date `iso` (YYYY-MM-DD), or None."""
    if not iso:
        return None
    return first_printed(iso, text)


def _known_spans(record: PressRelease) -> dict[str, Span | None]:
    """name -> span for every name `record` already aligned (a name's span depends only on the name and the text)."""
    known: dict[str, Span | None] = {}
    if record.issuer.name:
        known[record.issuer.name] = record.issuer.span
    for company in record.companies:
        known[company.name] = company.span
    for amount in record.amounts:
        if amount.payer:
            known[amount.payer] = amount.payer_span
        if amount.payee:
            known[amount.payee] = amount.payee_span
    return known


def attach_spans(record: PressRelease, text: str, like: PressRelease | None = None) -> PressRelease:
    """Fill the span of the issuer's name, every company, payer, payee and the date from `text`.

    Values are left as they are; a value that cannot be aligned keeps a None span. `like` is a
    record of the same text whose spans are already attached (the rules' record a grounded one
    is built from): names and the date it holds take its spans instead of being aligned again.
    """
    known = _known_spans(like) if like is not None else {}
    aligner = Aligner(text)  # the text lower-cased once for all the record's names

    def span_of(name: str | None) -> Span | None:
        if name is None:
            return None
        if name in known:
            return known[name]
        found = aligner.align(name)
        known[name] = span = found[1] if found else None
        return span

    record.issuer.span = span_of(record.issuer.name)
    for company in record.companies:
        company.span = span_of(company.name)
    for amount in record.amounts:
        amount.payer_span, amount.payee_span = span_of(amount.payer), span_of(amount.payee)
    same_date = like is not None and like.date == record.date
    record.date_span = like.date_span if same_date and like is not None else date_span(record.date, text)
    return record
