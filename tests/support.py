"""Helpers shared by the tests and benchmarks: data paths, generated press releases, a stand-in schema, gold mentions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ValidationInfo, field_validator

from llmx.recognize import Mentions, MoneyMention, TickerMention

from llmx.testing import schema_instance as minimal_instance  # noqa: F401 (re-exported for the tests)
from llmx.testing import schema_responder  # noqa: F401
from llmx.testing import Fault, structured_reply

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (a worktree's checkout may sit one level deeper).
SHARED = next((parent / "shared" for parent in ROOT.parents if (parent / "shared" / "evals").is_dir()), ROOT.parent / "shared")
SHARED_GOLD = SHARED / "evals" / "press_releases"
OWN_GOLD = ROOT / "evals" / "press_releases"

COMPANIES = ["Acme Therapeutics", "Borealis Bio", "Cobalt Pharma", "Dunmore Labs", "Elmwood Genomics"]
PARTNERS = ["BigPharma Inc.", "Northwind Health", "Orchard Medicines"]


def press_release(i: int) -> str:
    """A short, distinct, generated release with one listing and two amounts (never real text)."""
    company = f"{COMPANIES[i % len(COMPANIES)]} {i}"
    partner = PARTNERS[i % len(PARTNERS)]
    return (
        f"BOSTON, March {1 + i % 28}, 2024 -- {company} (Nasdaq: Q{i % 1000:03d}) today announced a license "
        f"agreement with {partner}. {partner} will pay ${i % 90 + 5} million upfront and up to "
        f"${(i % 40 + 1) * 10} million in milestones.\n"
    )


def write_corpus(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"pr-{i:04d}.txt"
        path.write_text(press_release(i), encoding="utf-8")
        paths.append(path)
    return paths


class RemoteLoopback:
    """A `LoopbackServer` in a child process, so the server does not compete with the client for the GIL.

    In-process, every server thread needs the GIL back after each socket call while the client's
    event loop is busy, which inflates latency and hides the client's real throughput. Use as a
    context manager; `stats()` returns the server's request count and injected faults.
    """

    def __init__(self, responder: Any, **options: Any) -> None:
        import multiprocessing

        self._context = multiprocessing.get_context("fork")
        self._parent, child = self._context.Pipe()
        self._process = self._context.Process(target=_serve, args=(child, responder, options), daemon=True)
        self.base_url = ""

    def __enter__(self) -> "RemoteLoopback":
        self._process.start()
        self.base_url = self._parent.recv()
        return self

    def stats(self) -> dict[str, Any]:
        self._parent.send("stats")
        return self._parent.recv()

    def __exit__(self, *exc_info: object) -> None:
        self._parent.send("stop")
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()


def _serve(conn: Any, responder: Any, options: dict[str, Any]) -> None:
    import gc

    from llmx.testing import LoopbackServer

    # The server keeps every request it saw (thousands of parsed JSON bodies in a benchmark);
    # a full collection walks them all and held every reply in flight for up to 0.25 s
    # (measured), a pause of the test harness rather than of the client being measured. The
    # server makes no reference cycles worth collecting in a run this short.
    gc.disable()
    with LoopbackServer(responder, **options) as server:
        conn.send(server.base_url)
        while (command := conn.recv()) != "stop":
            if command == "stats":
                conn.send({"count": server.count, "faults": server.faults_injected, "errors": [repr(e) for e in server.errors]})

class Deal(BaseModel):
    """A deal whose amount must be printed in `validation_context["source"]` when one is given."""

    payer: str | None = None
    amount: float

    @field_validator("amount")
    @classmethod
    def _printed_in_source(cls, value: float, info: ValidationInfo) -> float:
        source = (info.context or {}).get("source")
        if source is not None and f"{value:g}" not in source:
            raise ValueError(f"amount {value:g} is not in the text; copy an amount exactly as printed")
        return value


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    # A token-bounded match, so "$1" does not match inside "$13 million".
    pattern = re.compile(rf"(?<![\w$]){re.escape(needle)}(?![\d]|[.,]\d)", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


def gold_mentions(gold: Mapping[str, Any], text: str) -> Mentions:
    """Money and ticker mentions located in `text` for every gold amount and ticker."""
    money = []
    for amount in gold.get("amounts", []):
        for start, end in _occurrences(text, amount["text"]):
            money.append(MoneyMention(float(amount["value"]), amount.get("currency", "USD"), text[start:end], (start, end)))
    tickers = []
    for ticker in gold.get("tickers", []):
        symbol = ticker["symbol"]
        listing = re.compile(rf"(?P<exchange>[A-Za-z][A-Za-z .-]{{1,20}}?)\s*:\s*{re.escape(symbol)}\b", re.IGNORECASE)
        for match in listing.finditer(text):
            tickers.append(TickerMention(symbol, ticker.get("exchange") or match.group("exchange"), match.group(0), match.span()))
    return Mentions(money=sorted(money, key=lambda m: m.span), tickers=sorted(tickers, key=lambda t: t.span))

# What llama-cpp-python's server (0.3.x) answers to response_format json_schema, abridged.
LLAMA_CPP_REJECTION = (
    "1 validation error: {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}"
)


def llama_cpp_like(body: dict[str, Any]) -> Any:
    """HTTP 500 for json_schema, the schema honoured in json_object; anything else is a test failure (400)."""
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return Fault("http_error", status=500, message=LLAMA_CPP_REJECTION)
    if response_format.get("type") != "json_object" or "schema" not in response_format:
        return Fault("http_error", status=400, message=f"unexpected request: {sorted(body)}")
    return structured_reply(minimal_instance(response_format["schema"]))


def response_format_types(server: Any) -> list[str]:
    """The response_format type of every chat request a LoopbackServer received ("-" for none)."""
    return [(r.body.get("response_format") or {}).get("type", "-") for r in server.requests]


def roles_of(text: str) -> dict[str, tuple[str, str]]:
    """Amount text as printed -> (kind, status) from the role rules, with the real money recognizer."""
    from llmx.recognize import recognize
    from llmx.rules.roles import propose_roles

    money = sorted(recognize(text).money, key=lambda m: m.span)
    return {m.text: (p.kind, p.status) for m, p in zip(money, propose_roles(text, money))}
