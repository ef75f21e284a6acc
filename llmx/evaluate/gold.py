"""Read a gold directory (`docs/<id>.txt` + `gold.jsonl`) and convert gold to the record contract."""

from __future__ import annotations

import json
import re
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

    def to_dict(self) -> dict[str, Any]:
        """`to_record().model_dump(mode="json")`, built directly (scoring runs it per document)."""
        return gold_to_dict(self.gold, self.text)


DOCS_POINTER = "docs_dir.txt"  # one line: where the texts live, relative to the gold directory


def gold_docs_dir(gold_dir: str | Path) -> Path:
    """Where a gold directory's texts are: `docs/`, or the folder named in `docs_dir.txt`.

    The pointer lets gold written for llmx annotate texts that must not be copied into the
    repository (the shared corpus): the gold lives here, the texts stay beside the checkout.
    """
    root = Path(gold_dir)
    pointer = root / DOCS_POINTER
    if pointer.is_file():
        return (root / pointer.read_text(encoding="utf-8").strip()).resolve()
    return root / "docs"


def load_gold_dir(gold_dir: str | Path) -> list[GoldDoc]:
    """All annotated documents of a gold directory, in gold.jsonl order."""
    root = Path(gold_dir)
    gold_path, docs_dir = root / "gold.jsonl", gold_docs_dir(root)
    if not gold_path.is_file() or not docs_dir.is_dir():
        raise GoldFormatError(f"{root} must contain gold.jsonl and docs/<id>.txt (or {DOCS_POINTER} naming the docs folder)")
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


_TOKEN_BEFORE = re.compile(r"[\w$]")  # a character that would make the match part of a longer token
_TOKEN_AFTER = re.compile(r"\w|[.,]\d")


def _locate(text: str, needle: str | None) -> tuple[int, int] | None:
    """First occurrence of `needle` as a whole token: "$1" must not match inside "$13 million"."""
    if not needle:
        return None
    first = start = text.find(needle)
    while start >= 0:  # str.find + boundary checks: a regex over the whole text is ~20x slower
        end = start + len(needle)
        if not (start and _TOKEN_BEFORE.match(text, start - 1)) and not _TOKEN_AFTER.match(text, end):
            return start, end
        start = text.find(needle, start + 1)
    return None if first < 0 else (first, first + len(needle))


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


def gold_to_dict(gold: dict[str, Any], text: str) -> dict[str, Any]:
    """The same record as `gold_to_record(...).model_dump(mode="json")`, without pydantic.

    Scoring converts every gold document, so this skips model validation (about ten times
    faster); a test keeps the two conversions identical on the shared gold set.
    """
    issuer = gold.get("issuer") or {}
    amounts = []
    for amount in gold.get("amounts", []):
        span = _locate(text, amount.get("text"))
        amounts.append(
            {
                "value": float(amount["value"]),
                "currency": str(amount.get("currency", "USD")).upper(),
                "text": amount.get("text"),
                "span": list(span) if span else None,
                "kind": amount.get("kind", "other"),
                "status": amount.get("status", "actual"),
                "payer": None,
                "payee": None,
                "payer_span": None,
                "payee_span": None,
            }
        )
    return {
        "id": gold.get("id"),
        "date": gold.get("date"),
        "date_span": None,
        "issuer": {**{k: issuer.get(k) for k in ("name", "ticker", "exchange")}, "span": None},
        "tickers": [
            {"symbol": t["symbol"], "exchange": t.get("exchange"), "company": None, "text": None, "span": None}
            for t in gold.get("tickers", [])
        ],
        "amounts": amounts,
        "companies": [
            {"name": c, "role": None, "span": None} if isinstance(c, str) else {"name": c["name"], "role": c.get("role"), "span": c.get("span")}
            for c in gold.get("companies", [])
        ],
        "meta": None,
    }
