"""Rule-based validator: is every extracted amount and ticker actually printed in the source?

Works on any pydantic model whose fields (at any depth, inside lists, tuples, dicts and nested
models) use `llmx.schema.Money` / `Amount` / `Ticker`, and on the `PressRelease` record. Two
entry points share the same checks:

- `validate(text, record)` collects every finding without raising (for reports and the CLI);
- `Model.model_validate(data, context=source_context(text))` runs the checks inside pydantic:
  `Money`/`Ticker` validators call `raise_for_field`, which raises a ValueError whose message
  tells an LLM exactly what to fix, so instructor's re-ask loop can correct the extraction.

Finding codes (severity error unless noted):
UNSUPPORTED_AMOUNT, SCALE_MISMATCH, CURRENCY_MISMATCH, SPAN_MISMATCH, TICKER_NOT_IN_TEXT,
EXCHANGE_MISMATCH, MALFORMED_TICKER, SCHEMA_ERROR; with a registry UNKNOWN_TICKER and
TICKER_COMPANY_MISMATCH (warnings); without one REGISTRY_NOT_CONFIGURED (info).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError
from rapidfuzz import fuzz

from llmx.recognize import Mentions, MoneyMention, TickerMention, recognize
from llmx.recognize.names import company_key
from llmx.recognize.quotes import align, not_printed
from llmx.recognize.text import label_key
from llmx.recognize.tickers import canonical_exchange
from llmx.schema import AMOUNT_TOLERANCE, Finding, Money, PressRelease, Span, Ticker, iter_models
from llmx.validation.coverage import digit_typo, omitted_findings
from llmx.validation.readings import amount_readings, labelled_listings, market_matches, suffix_listings, symbol_keys
from llmx.validation.registry import TickerRegistry

__all__ = ["RELATIVE_TOLERANCE", "SourceIndex", "ValidationReport", "raise_for_field", "source_context", "validate"]

RELATIVE_TOLERANCE = AMOUNT_TOLERANCE  # kept as the validator's public name
COMPANY_MATCH_THRESHOLD = 80.0  # rapidfuzz token_set_ratio on cleaned names
_SCALE_NAMES = {3: "thousand", 6: "million", 9: "billion", 12: "trillion"}
# The recognizer's symbol shapes: letter-led, numeric codes ("0700", "7203.T") and digit-led
# alphanumerics ("9GM", "130A" on Frankfurt, ASX, Tokyo).
# A class or security suffix after ".", "-", "/" or, as NYSE prints warrants, a space ("ABC WS").
_PLAUSIBLE_SYMBOL = re.compile(r"^(?:[A-Z][A-Z0-9]{0,5}|\d{3,6}|\d{1,3}[A-Z][A-Z0-9]{0,3})(?:[.\-/ ][A-Z0-9]{1,3})?$")
_MAX_LISTED = 5


class SourceIndex:
    """The source text plus its recognized mentions, computed once and shared by all checks."""

    __slots__ = ("text", "mentions", "registry", "readings", "_all_money", "_money_by_currency", "_values_by_currency", "_listings_by_symbol")

    def __init__(self, text: str, registry: TickerRegistry | None = None, mentions: Mentions | None = None):
        """`mentions`: what `recognize(text)` returned, when the caller has it already."""
        self.text = text
        self.mentions: Mentions = mentions if mentions is not None else recognize(text)
        self.registry = registry
        # Forms the recognizers do not read (or read one way only) that a correct record may hold.
        self.readings = amount_readings(text, self.mentions.money)
        self._all_money = sorted([*self.mentions.money, *self.readings], key=lambda m: m.span) if self.readings else self.mentions.money
        money: dict[str, list[MoneyMention]] = defaultdict(list)
        for mention in sorted([*self.mentions.money, *self.readings], key=lambda m: m.value):
            money[mention.currency].append(mention)
        listings: dict[str, list[TickerMention]] = defaultdict(list)
        for listing in self.mentions.tickers:
            listings[_symbol_key(listing.symbol)].append(listing)
        for listing in suffix_listings(text):
            for key in symbol_keys(listing.symbol):
                listings[key].append(listing)
        for listing in labelled_listings(text):
            for key in symbol_keys(listing.symbol) if "." in listing.symbol else {listing.symbol}:
                listings[key].append(listing)
        self._money_by_currency = dict(money)  # each list sorted by value, for bisection
        self._values_by_currency = {currency: [m.value for m in ms] for currency, ms in money.items()}
        self._listings_by_symbol = dict(listings)

    def money(self, currency: str | None = None) -> list[MoneyMention]:
        """Money mentions and readings (text order), or those in `currency` (value order)."""
        if currency is None:
            return self._all_money
        return self._money_by_currency.get(currency, [])

    def money_near(self, value: float, currency: str, tolerance: float = AMOUNT_TOLERANCE) -> list[MoneyMention]:
        """Mentions in `currency` whose value is within `tolerance` (relative) of `value`, text order."""
        values = self._values_by_currency.get(currency)
        if not values:
            return []
        spread = abs(value) * tolerance / (1 - tolerance)
        lo = bisect_left(values, value - spread)
        hi = bisect_right(values, value + spread)
        hits = [m for m in self._money_by_currency[currency][lo:hi] if _close(m.value, value, tolerance)]
        return sorted(hits, key=lambda m: m.span) if len(hits) > 1 else hits

    def listings(self, symbol: str | None = None) -> list[TickerMention]:
        """Exchange listings, optionally only those of `symbol`."""
        if symbol is None:
            return self.mentions.tickers
        return self._listings_by_symbol.get(_symbol_key(symbol), [])

    def raise_for_field(self, model: BaseModel) -> None:
        """`raise_for_field(model, self)`: how Money/Ticker fields reach these checks (`llmx.schema.SourceChecker`)."""
        raise_for_field(model, self)

    def align_quote(self, quote: str) -> tuple[str, Span]:
        """Where a `Quote`'s words are printed (exact, then OCR-tolerant); ValueError for a re-ask if nowhere."""
        found = align(quote, self.text)
        if found is None:
            raise ValueError(not_printed(quote))
        return found

    def __repr__(self) -> str:
        return (
            f"SourceIndex({len(self.text)} chars, {len(self.mentions.money)} amounts, "
            f"{len(self.mentions.tickers)} listings, registry={'yes' if self.registry else 'no'})"
        )


def _symbol_key(symbol: str) -> str:
    """Class separators are printed as '.', '-', '/' or ' ': BRK.B, BRK-B, BRK/B and "ABC WS"/ABC.WS are one listing each."""
    return symbol.replace("-", ".").replace("/", ".").replace(" ", ".")


def _same_exchange(printed: str, wanted: str) -> bool:
    """Canonical names compare exactly; names kept as printed ("Euronext Paris") ignore case and spacing."""
    return printed == wanted or label_key(printed) == label_key(wanted)


class ValidationReport(BaseModel):
    ok: bool
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]


def _as_registry(registry: TickerRegistry | str | Path | None) -> TickerRegistry | None:
    if registry is None or isinstance(registry, TickerRegistry):
        return registry
    return TickerRegistry.load(registry)


def source_context(
    text: str, registry: TickerRegistry | str | Path | None = None, *, mentions: Mentions | None = None
) -> dict[str, Any]:
    """The pydantic validation context that makes Money/Ticker fields check themselves against `text`."""
    return {"llmx_source": SourceIndex(text, _as_registry(registry), mentions)}


def raise_for_field(model: BaseModel, source: SourceIndex) -> None:
    """Raise ValueError (message written for an LLM re-ask) if this Money/Ticker value is not supported."""
    if isinstance(model, Money):
        findings = _check_money(model, source, "")
    elif isinstance(model, Ticker):
        findings = _check_ticker(model.symbol, model.exchange, model.company, model.text, model.span, source, _TICKER_PATHS)
    else:
        return
    errors = [finding.message for finding in findings if finding.severity == "error"]
    if errors:
        raise ValueError("; ".join(errors))


def validate(
    text: str,
    record: BaseModel | dict[str, Any],
    registry: TickerRegistry | str | Path | None = None,
    *,
    source: SourceIndex | None = None,
    coverage: bool = False,
) -> "ValidationReport":
    """Cross-check every Money and Ticker value anywhere in `record` against `text`.

    A dict is first validated into `PressRelease` (without the source context); schema errors
    become SCHEMA_ERROR findings instead of exceptions. `PressRelease.issuer.ticker` is checked
    like a ticker too. Pass `source` (e.g. `source_context(text)["llmx_source"]`) to reuse
    mentions already recognized for the same text. `coverage=True` also warns about amounts and
    listings the text prints but a `PressRelease` leaves out (OMITTED_AMOUNT, OMITTED_TICKER).
    A dict that does not load reports its SCHEMA_ERRORs and the grounding findings of every
    Money/Ticker value in it that is well formed, all at once.
    """
    findings: list[Finding] = []
    if isinstance(record, dict):
        try:
            record = PressRelease.model_validate(record)
        except ValidationError as exc:
            findings = [
                Finding(code="SCHEMA_ERROR", severity="error", path=_loc_to_path(error["loc"]), message=error["msg"])
                for error in exc.errors()
            ]
            record = _salvage(record)  # the values that are well formed are still checked against the text
            coverage = False  # a record that does not load cannot be said to omit anything
    if source is None or source.text != text or registry is not None:
        source = SourceIndex(text, _as_registry(registry))
    saw_ticker = False
    for path, value in _walk(record, ""):
        if isinstance(value, Money):
            findings += _check_money(value, source, path)
        elif isinstance(value, Ticker):
            saw_ticker = True
            paths = {name: _join(path, name) for name in _TICKER_PATHS}
            findings += _check_ticker(value.symbol, value.exchange, value.company, value.text, value.span, source, paths)
    if isinstance(record, PressRelease) and record.issuer.ticker:
        saw_ticker = True
        issuer = record.issuer
        paths = {"symbol": "issuer.ticker", "exchange": "issuer.exchange", "company": "issuer.name", "span": "issuer.ticker"}
        findings += _check_ticker(issuer.ticker, issuer.exchange, issuer.name, None, None, source, paths)
    if coverage and isinstance(record, PressRelease):
        findings += omitted_findings(record, source, RELATIVE_TOLERANCE)
    if saw_ticker and source.registry is None:
        findings.append(
            Finding(
                code="REGISTRY_NOT_CONFIGURED",
                severity="info",
                path="tickers",
                message="no ticker registry configured: UNKNOWN_TICKER and TICKER_COMPANY_MISMATCH checks skipped "
                "(run `llmx tickers update`)",
            )
        )
    return ValidationReport(ok=not any(f.severity == "error" for f in findings), findings=findings)


# --- traversal -----------------------------------------------------------------------------


def _salvage(data: Any) -> Any:
    """The Money/Ticker values of a record that failed to load, each built on its own.

    Returned as nested dicts and lists with the same paths, so `_walk` reports findings where the
    values stand; a value that does not load either is left to its SCHEMA_ERROR.
    """
    if isinstance(data, dict):
        for model in (Money, Ticker):
            if set(model.model_fields) >= set(data) or (model is Money and "value" in data) or (model is Ticker and "symbol" in data):
                fields = {key: data[key] for key in model.model_fields if key in data}
                try:
                    return model.model_validate(fields)
                except ValidationError:
                    continue
        salvaged = {key: _salvage(value) for key, value in data.items() if isinstance(value, (dict, list))}
        issuer = data.get("issuer")
        if isinstance(issuer, dict) and isinstance(issuer.get("ticker"), str):
            fields = {"symbol": issuer["ticker"], "exchange": issuer.get("exchange"), "company": issuer.get("name")}
            try:
                salvaged["issuer"] = {"ticker": Ticker.model_validate(fields)}
            except ValidationError:
                pass
        return salvaged
    if isinstance(data, list):
        return [_salvage(item) for item in data]
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _loc_to_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path = f"{path}[{part}]" if isinstance(part, int) else _join(path, str(part))
    return path


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Yield (path, value) for every Money/Ticker inside `value`, depth first, in field order."""
    return ((where, node) for where, node in iter_models(value, path) if isinstance(node, (Money, Ticker)))


# --- money ---------------------------------------------------------------------------------


def _close(a: float, b: float, tolerance: float = RELATIVE_TOLERANCE) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


def _describe(mention: MoneyMention) -> str:
    start, end = mention.span
    return f"{mention.text} ({_fmt(mention.value)} {mention.currency}) at [{start}, {end})"


def _magnitude(value: float) -> str:
    """The scale word a value would be printed with: 2.6e9 -> 'billion'."""
    exponent = 0
    while abs(value) >= 1000 and exponent < 12:
        value /= 1000
        exponent += 3
    return _SCALE_NAMES.get(exponent, "units")


def _nearest(mentions: list[MoneyMention], value: float) -> list[MoneyMention]:
    """The mentions closest to `value` on a log scale, at most _MAX_LISTED, without repeats."""
    distinct: dict[tuple[float, str], MoneyMention] = {}
    for mention in mentions:
        distinct.setdefault((mention.value, mention.currency), mention)
    target = abs(value) or 1.0
    return sorted(distinct.values(), key=lambda m: abs((abs(m.value) or 1.0) / target - 1.0))[:_MAX_LISTED]


def _check_money(model: Money, source: SourceIndex, path: str) -> list[Finding]:
    # Mentions are magnitudes ("a $13 million loss" is 13000000), so a signed value is checked by size.
    value, currency = abs(model.value), model.currency
    label = f"amount {_fmt(model.value)} {currency}"
    supporting = source.money_near(value, currency, RELATIVE_TOLERANCE)
    if not supporting:
        return [_unsupported(model, source, path, label)]
    return _check_money_span(model, source, path, label, supporting)


def _unsupported(model: Money, source: SourceIndex, path: str, label: str) -> Finding:
    value, currency = abs(model.value), model.currency
    for exponent in (3, -3, 6, -6, 9, -9, 12, -12):
        scaled = source.money_near(value / 10**exponent, currency, RELATIVE_TOLERANCE)
        if scaled:
            hit = scaled[0]
            direction = "large" if exponent > 0 else "small"
            words = f" ({_magnitude(hit.value)}, not {_magnitude(value)})" if _magnitude(hit.value) != _magnitude(value) else ""
            return Finding(
                code="SCALE_MISMATCH",
                severity="error",
                path=_join(path, "value"),
                message=f"{label} is not in the text; the text has {_describe(hit)} — the value is "
                f"{10 ** abs(exponent):,}x too {direction}; did you mean {_fmt(hit.value)}{words}?",
                span=hit.span,
            )
    other_currency = [m for m in source.money() if m.currency != currency and _close(m.value, value)]
    if other_currency:
        hit = other_currency[0]
        return Finding(
            code="CURRENCY_MISMATCH",
            severity="error",
            path=_join(path, "currency"),
            message=f"{label}: the text prints this value as {_describe(hit)}; use currency {hit.currency}",
            span=hit.span,
        )
    nearest = _nearest(source.money(currency) or source.money(), value)
    typos = [(m, why) for m in source.money(currency) if (why := digit_typo(value, m.value))]
    if typos:  # the amount a one-keystroke typo most likely meant comes first, and why
        hit, why = typos[0]
        nearest = [hit, *(m for m in nearest if (m.value, m.currency) != (hit.value, hit.currency))][:_MAX_LISTED]
        guess = f" It looks like a typo for {_describe(hit)}: {why}."
    else:
        guess = ""
    listed = "; ".join(_describe(m) for m in nearest) if nearest else "no money amounts at all"
    return Finding(
        code="UNSUPPORTED_AMOUNT",
        severity="error",
        path=_join(path, "value"),
        message=f"{label} is not in the text.{guess} Copy an amount exactly as printed. Closest amounts in the text: {listed}",
        span=nearest[0].span if nearest else None,
    )


def _check_money_span(
    model: Money, source: SourceIndex, path: str, label: str, supporting: list[MoneyMention]
) -> list[Finding]:
    text = source.text
    if model.span is not None:
        start, end = model.span
        if not 0 <= start < end <= len(text):
            return [_span_finding(path, f"{label}: span [{start}, {end}) is outside the text (length {len(text)}){_printed_as(supporting)}")]
        quoted = text[start:end]
        if model.text is not None and model.text != quoted:
            message = f"{label}: text {model.text!r} does not match text[{start}:{end}] = {quoted!r}{_printed_as(supporting)}"
            return [_span_finding(path, message, (start, end))]
        if not any(m.span[0] < end and start < m.span[1] for m in supporting):
            message = f"{label}: text[{start}:{end}] = {quoted!r} does not hold this amount{_printed_as(supporting)}"
            return [_span_finding(path, message, (start, end))]
        return []
    if model.text is not None:
        occurrences = [(m.start(), m.end()) for m in re.finditer(re.escape(model.text), text)]
        if not occurrences:
            return [_span_finding(path, f"{label}: text {model.text!r} does not occur in the source{_printed_as(supporting)}")]
        if not any(m.span[0] < e and s < m.span[1] for s, e in occurrences for m in supporting):
            message = f"{label}: text {model.text!r} does not print this amount{_printed_as(supporting)}"
            return [_span_finding(path, message, occurrences[0])]
    return []


def _printed_as(supporting: list[MoneyMention]) -> str:
    """Where the value is printed, for a finding's message (built only when there is a finding)."""
    return "; printed as " + ", ".join(_describe(m) for m in supporting[:3])


def _span_finding(path: str, message: str, span: tuple[int, int] | None = None) -> Finding:
    return Finding(code="SPAN_MISMATCH", severity="error", path=_join(path, "span"), message=message, span=span)


# --- tickers -------------------------------------------------------------------------------

_TICKER_PATHS = {"symbol": "symbol", "exchange": "exchange", "company": "company", "span": "span"}


def _check_ticker(
    symbol: str,
    exchange: str | None,
    company: str | None,
    quoted: str | None,
    span: tuple[int, int] | None,
    source: SourceIndex,
    paths: dict[str, str],
) -> list[Finding]:
    if not _PLAUSIBLE_SYMBOL.match(symbol):
        hint = f"; write it upper case: {symbol.strip().upper()}" if _PLAUSIBLE_SYMBOL.match(symbol.strip().upper()) else ""
        return [
            Finding(
                code="MALFORMED_TICKER",
                severity="error",
                path=paths["symbol"],
                message=f"ticker {symbol!r} is not a plausible symbol (1-6 upper-case letters/digits, optional class "
                f"suffix like BRK.B){hint}",
            )
        ]
    listings = source.listings(symbol)
    if not listings:
        return [_not_in_text(symbol, source, paths)]
    findings = []
    if exchange:
        wanted = canonical_exchange(exchange) or exchange.strip()
        if not any(_same_exchange(listing.exchange, wanted) or market_matches(listing, exchange) for listing in listings):
            printed = ", ".join(f"{l.text!r} at [{l.span[0]}, {l.span[1]})" for l in listings[:3])
            exchanges = sorted({listing.exchange for listing in listings})
            findings.append(
                Finding(
                    code="EXCHANGE_MISMATCH",
                    severity="error",
                    path=paths["exchange"],
                    message=f"ticker {symbol} is listed on {' / '.join(exchanges)} in the text ({printed}), not on "
                    f"{exchange}; use exchange {exchanges[0]}",
                    span=listings[0].span,
                )
            )
    if span is not None:
        findings += _check_ticker_span(symbol, quoted, span, listings, source.text, paths)
    if source.registry is not None:
        findings += _check_registry(symbol, company, source.registry, paths)
    return findings


def _not_in_text(symbol: str, source: SourceIndex, paths: dict[str, str]) -> Finding:
    listed = ", ".join(sorted({f"{l.exchange}: {l.symbol}" for l in source.listings()})) or "none"
    bare = re.search(rf"(?<![A-Za-z0-9]){re.escape(symbol)}(?![A-Za-z0-9])", source.text)
    detail = (
        f"{symbol!r} appears at [{bare.start()}, {bare.end()}) but not as an exchange listing like '(NASDAQ: {symbol})'"
        if bare
        else f"{symbol!r} does not occur in the text"
    )
    return Finding(
        code="TICKER_NOT_IN_TEXT",
        severity="error",
        path=paths["symbol"],
        message=f"ticker {symbol} is not listed in the text: {detail}; listings in the text: {listed}",
        span=bare.span() if bare else None,
    )


def _check_ticker_span(
    symbol: str, quoted: str | None, span: tuple[int, int], listings: list[TickerMention], text: str, paths: dict[str, str]
) -> list[Finding]:
    start, end = span
    if not 0 <= start < end <= len(text):
        message = f"ticker {symbol}: span [{start}, {end}) is outside the text (length {len(text)})"
    elif quoted is not None and quoted != text[start:end]:
        message = f"ticker {symbol}: text {quoted!r} does not match text[{start}:{end}] = {text[start:end]!r}"
    elif not any(l.span[0] < end and start < l.span[1] for l in listings):
        message = f"ticker {symbol}: text[{start}:{end}] = {text[start:end]!r} is not its listing"
    else:
        return []
    printed = ", ".join(f"{l.text!r} at [{l.span[0]}, {l.span[1]})" for l in listings[:3])  # only for a finding
    return [Finding(code="SPAN_MISMATCH", severity="error", path=paths["span"], message=f"{message}; printed as {printed}", span=listings[0].span)]


def _check_registry(symbol: str, company: str | None, registry: TickerRegistry, paths: dict[str, str]) -> list[Finding]:
    entries = registry.lookup(symbol)
    if not entries:
        return [
            Finding(
                code="UNKNOWN_TICKER",
                severity="warning",
                path=paths["symbol"],
                message=f"ticker {symbol} is not in the ticker registry (the SEC list covers US listings only)",
            )
        ]
    if company:
        cleaned = company_key(company)
        scores = [fuzz.token_set_ratio(cleaned, company_key(entry.name)) for entry in entries]
        if max(scores) < COMPANY_MATCH_THRESHOLD:
            names = " / ".join(entry.name for entry in entries)
            return [
                Finding(
                    code="TICKER_COMPANY_MISMATCH",
                    severity="warning",
                    path=paths["company"],
                    message=f"ticker {symbol} belongs to {names} in the registry, not {company!r}",
                )
            ]
    return []
