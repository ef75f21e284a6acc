"""Read a gold directory (`docs/<id>.txt` + `gold.jsonl`) and convert gold to the record contract."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from llmx.schema import Amount, Company, Issuer, PressRelease, Ticker


class GoldFormatError(ValueError):
    """The gold directory does not follow the documented layout."""


@dataclass(frozen=True)
class GoldDoc:
    id: str
    text: str
    gold: dict[str, Any]

    def to_record(self) -> PressRelease:
        """The gold annotation as a `PressRelease`, with spans located in the text."""
        return gold_to_record(self.gold, self.text)


def load_gold_dir(gold_dir: str | Path) -> list[GoldDoc]:
    """All annotated documents of a gold directory, in gold.jsonl order."""
    root = Path(gold_dir)
    gold_path, docs_dir = root / "gold.jsonl", root / "docs"
    if not gold_path.is_file() or not docs_dir.is_dir():
        raise GoldFormatError(f"{root} must contain gold.jsonl and docs/<id>.txt")
    docs = []
    for line_no, gold in enumerate(_read_jsonl(gold_path), start=1):
        if "id" not in gold:
            raise GoldFormatError(f"{gold_path}:{line_no}: missing 'id'")
        doc_path = docs_dir / f"{gold['id']}.txt"
        if not doc_path.is_file():
            raise GoldFormatError(f"{gold_path}:{line_no}: no document {doc_path}")
        docs.append(GoldDoc(id=gold["id"], text=doc_path.read_text(encoding="utf-8"), gold=gold))
    return docs


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise GoldFormatError(f"{path}:{line_no}: {exc}") from exc


def _locate(text: str, needle: str | None) -> tuple[int, int] | None:
    if not needle:
        return None
    start = text.find(needle)
    return None if start < 0 else (start, start + len(needle))


def gold_to_record(gold: dict[str, Any], text: str) -> PressRelease:
    """Convert one gold.jsonl object to the record contract (spans = first occurrence of `text`)."""
    issuer = gold.get("issuer") or {}
    tickers = []
    for ticker in gold.get("tickers", []):
        tickers.append(Ticker(symbol=ticker["symbol"], exchange=ticker.get("exchange"), company=None, text=None, span=None))
    amounts = []
    for amount in gold.get("amounts", []):
        amounts.append(
            Amount(
                value=amount["value"],
                currency=amount.get("currency", "USD"),
                kind=amount.get("kind", "other"),
                status=amount.get("status", "actual"),
                text=amount.get("text"),
                span=_locate(text, amount.get("text")),
            )
        )
    companies = [Company(name=name) if isinstance(name, str) else Company(**name) for name in gold.get("companies", [])]
    return PressRelease(
        id=gold.get("id"),
        date=gold.get("date"),
        issuer=Issuer(**{k: issuer.get(k) for k in ("name", "ticker", "exchange")}),
        tickers=tickers,
        amounts=amounts,
        companies=companies,
    )
