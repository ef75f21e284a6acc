"""Spans for the names and the date of a `PressRelease`: where each is printed in the text."""

from __future__ import annotations

from llmx.recognize.quotes import align
from llmx.rules.dates import printed_dates
from llmx.schema import PressRelease, Span


def date_span(iso: str | None, text: str) -> Span | None:
    """Span of the first printed form of the date `iso` (YYYY-MM-DD), or None."""
    if not iso:
        return None
    return next((span for span, printed in printed_dates(text) if printed == iso), None)


def attach_spans(record: PressRelease, text: str) -> PressRelease:
    """Fill the span of the issuer's name, every company, payer, payee and the date from `text`.

    Values are left as they are; a value that cannot be aligned keeps a None span.
    """
    def span_of(name: str | None) -> Span | None:
        found = align(name, text)
        return found[1] if found else None

    record.issuer.span = span_of(record.issuer.name)
    for company in record.companies:
        company.span = span_of(company.name)
    for amount in record.amounts:
        amount.payer_span, amount.payee_span = span_of(amount.payer), span_of(amount.payee)
    record.date_span = date_span(record.date, text)
    return record
