"""The `rules` backend: a full record from recognizers plus cue-word heuristics, no model at all.

It is the baseline every model is compared with, and in grounded mode its role proposals are the
default labels. The heuristics live in `llmx.rules` (roles, parties, dates); this module only
assembles them into a `PressRelease`.
"""

from __future__ import annotations

from collections import Counter

from llmx.errors import InputError
from llmx.rules.spans import attach_spans
from llmx.recognize import Mentions, MoneyMention, TickerMention, recognize
from llmx.rules.dates import find_date
from llmx.rules.parties import find_companies as _find_companies
from llmx.rules.issuer import find_issuer
from llmx.rules.company_names import normalize_name
from llmx.rules.roles import RoleProposal, is_hedged, propose_roles
from llmx.schema import Amount, Company, Issuer, PressRelease, RecordMeta, Ticker

__all__ = [
    "RoleProposal",
    "find_companies",
    "find_date",
    "find_issuer",
    "propose_roles",
    "rules_record",
]


def find_companies(text: str, issuer: Issuer | None = None) -> list[Company]:
    """Companies named in `text`, de-duplicated, with roles when evident (issuer marked if given)."""
    return _find_companies(text, issuer.name if issuer else None)


def _amount_key(mention: MoneyMention) -> tuple[float, str]:
    return (float(f"{mention.value:.6g}"), mention.currency.upper())


def _amounts(text: str, money: list[MoneyMention]) -> tuple[list[Amount], list[float]]:
    """One amount per distinct (value, currency), text/span from the first occurrence, and how
    sure the rules are of each amount's role (0..1, in the same order).

    The kind is voted over every occurrence with the first counting most, because the first
    occurrence is often a terse headline while the body spells the role out.
    """
    ordered = sorted(money, key=lambda m: m.span)
    proposals = propose_roles(text, ordered)
    groups: dict[tuple[float, str], list[tuple[MoneyMention, RoleProposal]]] = {}
    for mention, proposal in zip(ordered, proposals):
        groups.setdefault(_amount_key(mention), []).append((mention, proposal))
    amounts, confidences = [], []
    for items in groups.values():
        first, first_proposal = items[0]
        kind_votes: Counter[str] = Counter()
        status_votes: Counter[str] = Counter()
        for position, (_, proposal) in enumerate(items):
            weight = (1.5 if position == 0 else 1.0) * (proposal.confidence + 0.05)
            kind_votes[proposal.kind] += weight
            status_votes[proposal.status] += weight
        kind = kind_votes.most_common(1)[0][0]
        status = first_proposal.status if first_proposal.confidence >= 0.3 else status_votes.most_common(1)[0][0]
        if any(is_hedged(text, mention.span) for mention, _ in items):
            status = "potential"  # printed elsewhere as a ceiling ("up to $20 million")
        payer = next((p.payer for _, p in items if p.payer), None)
        payee = next((p.payee for _, p in items if p.payee), None)
        amounts.append(
            Amount(
                value=first.value,
                currency=first.currency,
                text=first.text,
                span=first.span,
                kind=kind,  # type: ignore[arg-type]
                status=status,  # type: ignore[arg-type]
                payer=payer,
                payee=payee,
            )
        )
        agreeing = [p.confidence for _, p in items if p.kind == kind and p.status == status]
        confidences.append(round(max(agreeing, default=0.0), 3))
    return amounts, confidences


def _tickers(text: str, tickers: list[TickerMention], issuer: Issuer) -> list[Ticker]:
    """One ticker per distinct symbol, exchange as printed first."""
    seen: dict[str, Ticker] = {}
    for mention in sorted(tickers, key=lambda t: t.span):
        symbol = mention.symbol.upper()
        if symbol in seen:
            continue
        company = issuer.name if issuer.ticker and symbol == issuer.ticker.upper() else None
        seen[symbol] = Ticker(symbol=symbol, exchange=mention.exchange, company=company, text=mention.text, span=mention.span)
    return list(seen.values())


def rules_record(text: str, mentions: Mentions | None = None, *, doc_id: str | None = None) -> PressRelease:
    """A complete `PressRelease` for `text` from rules alone (recognizers run if `mentions` is None).

    `meta.extra["role_confidence"]` holds, per amount, the rules' confidence in its kind/status.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("rules_record needs non-empty document text")
    mentions = mentions if mentions is not None else recognize(text)
    amounts, confidences = _amounts(text, list(mentions.money))
    issuer = find_issuer(text, mentions)
    companies = find_companies(text, issuer)
    if issuer.name and not any(c.role == "issuer" for c in companies):
        companies.insert(0, Company(name=issuer.name, role="issuer"))
    record = PressRelease(
        id=doc_id,
        date=find_date(text),
        issuer=issuer,
        tickers=_tickers(text, list(mentions.tickers), issuer),
        amounts=amounts,
        companies=_dedupe(companies),
        # role_confidence[i] is how sure the rules are of amounts[i]'s kind and status
        meta=RecordMeta(backend="rules", mode="rules", extra={"role_confidence": confidences}),
    )
    return attach_spans(record, text)  # where issuer, companies, payers/payees and the date are printed


def _dedupe(companies: list[Company]) -> list[Company]:
    seen: set[str] = set()
    unique = []
    for company in companies:
        key = normalize_name(company.name)
        if key and key not in seen:
            seen.add(key)
            unique.append(company)
    return unique
