"""Check that a change keeps every record identical: dump records from one checkout, compare two dumps.

    PYTHONPATH=/tmp/before python scripts/compare_records.py dump /tmp/before.jsonl
    PYTHONPATH=.           python scripts/compare_records.py dump /tmp/after.jsonl
    python scripts/compare_records.py compare /tmp/before.jsonl /tmp/after.jsonl

`dump` runs the rules backend over the own eval set (evals/press_releases), the shared eval set
(../shared/evals/press_releases/docs) and the corpus (../shared/corpus/press_releases/docs), and
the grounded path through the loopback server (llmx.testing) with schema-driven canned replies
over the two eval sets. Timing (meta.latency_s) is left out; everything else is compared.
Sets that are absent are skipped with a message. Uses whatever `llmx` is first on the path.

`dump --mentions OUT` writes, instead, per corpus document what the recognizers and the validator
see (for speed work on them): `recognize(text).to_dicts()` (value, currency, text and span of every
amount; symbol, exchange, text and span of every listing), the validator's extra readings and
listings (`SourceIndex`), and the findings of `validate(text, record, coverage=True)` for the record
of the document's own mentions and for a wrong one (values x1,000, symbols lower-cased), so the
error paths run too; `--fuzz SEED` does the same for 20,000 texts joined at random from fragments of amounts,
listings and Unicode noise. `compare` reads every kind of dump.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (a worktree's checkout may sit one level deeper).
SHARED = next((parent / "shared" for parent in ROOT.parents if (parent / "shared" / "evals").is_dir()), ROOT.parent / "shared")
SETS = {
    "own": ROOT / "evals" / "press_releases" / "docs",
    "shared": SHARED / "evals" / "press_releases" / "docs",
    "corpus": SHARED / "corpus" / "press_releases" / "docs",
}
LOOPBACK_SETS = ("own", "shared")


def documents(folder: Path) -> list[Path]:
    """The .txt documents of a set, in name order (gold .json files beside them are ignored)."""
    return sorted(path for path in folder.rglob("*.txt") if path.name != "docs_dir.txt")


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


# Kept here rather than imported from llmx.testing: this script must also run against old checkouts.
def canned(schema: dict[str, Any], root: dict[str, Any], salt: int) -> Any:
    """A valid instance of `schema` whose enum choices vary with `salt` (so labels are not all equal)."""
    schema = _resolve(schema, root)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [_resolve(option, root) for option in schema[key]]
            non_null = [option for option in options if option.get("type") != "null"]
            return canned(non_null[0], root, salt) if non_null else None
    if "enum" in schema:
        return schema["enum"][salt % len(schema["enum"])]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        return {name: canned(prop, root, salt + i) for i, (name, prop) in enumerate(schema.get("properties", {}).items())}
    if kind == "array":
        return []
    if kind == "string":
        pattern = schema.get("pattern")
        return next((s for s in ("", "2024-01-01") if pattern is None or re.fullmatch(pattern, s)), None)
    if kind in ("number", "integer"):
        return 0
    if kind == "boolean":
        return bool(salt % 2)
    return None


def responder(body: dict[str, Any]) -> Any:
    """Canned grounded replies: a valid instance of the requested schema whose labels vary with the prompt."""
    from llmx.testing import request_schema, structured_reply

    schema = request_schema(body)
    if schema is None:
        raise AssertionError("the request carries no response schema")
    salt = sum(len(str(message.get("content", ""))) for message in body.get("messages", []))
    return structured_reply(canned(schema, schema, salt))


def _record(extract: Any, text: str, doc_id: str, **options: Any) -> dict[str, Any]:
    try:
        record = extract(text, doc_id=doc_id, **options).model_dump(mode="json")
    except Exception as exc:  # an error is a result too: it must stay the same
        return {"error": f"{type(exc).__name__}: {exc}"}
    record.get("meta", {}).pop("latency_s", None)
    return record


def dump_lines(only: list[str]) -> Iterator[dict[str, Any]]:
    import llmx
    from llmx import extract

    print(f"llmx from {llmx.__file__}", file=sys.stderr)
    for name, folder in SETS.items():
        if only and name not in only:
            continue
        if not folder.is_dir():
            print(f"skipping {name}: {folder} is absent", file=sys.stderr)
            continue
        paths = documents(folder)
        print(f"{name}: {len(paths)} documents (rules)", file=sys.stderr)
        for path in paths:
            text = path.read_bytes().decode("utf-8", errors="replace")
            yield {"set": name, "path": "rules:" + path.name, "record": _record(extract, text, path.stem, backend="rules")}
        if name not in LOOPBACK_SETS:
            continue
        from llmx.testing import LoopbackServer

        print(f"{name}: {len(paths)} documents (grounded over loopback)", file=sys.stderr)
        with LoopbackServer(responder) as server:
            for path in paths:
                text = path.read_bytes().decode("utf-8", errors="replace")
                record = _record(
                    extract, text, path.stem, backend="openai", base_url=server.base_url, api_key="test",
                    model="loopback", cache=False,
                )
                yield {"set": name, "path": "loopback:" + path.name, "record": record}


def _mentions(text: str) -> dict[str, Any]:
    from llmx.recognize import recognize
    from llmx.schema import Amount, Issuer, PressRelease, Ticker
    from llmx.validation.checks import SourceIndex, validate

    mentions = recognize(text)
    source = SourceIndex(text)
    amounts = [Amount(value=m.value, currency=m.currency, text=m.text, span=m.span) for m in mentions.money]
    tickers = [Ticker(symbol=t.symbol, exchange=t.exchange, text=t.text, span=t.span) for t in mentions.tickers]
    record = PressRelease(issuer=Issuer(), amounts=amounts, tickers=tickers)
    wrong = PressRelease(
        issuer=Issuer(),
        amounts=[Amount(value=m.value * 1000, currency=m.currency) for m in mentions.money[:20]],
        tickers=[Ticker(symbol=t.symbol.lower(), exchange=t.exchange) for t in mentions.tickers[:5]],
    )
    return {
        "mentions": mentions.to_dicts(),
        "readings": [m.to_dict() for m in source.readings],
        "listings": [t.to_dict() for t in source.listings()],
        "findings": [f.model_dump(mode="json") for f in validate(text, record, coverage=True).findings],
        "wrong": [f.model_dump(mode="json") for f in validate(text, wrong, coverage=True).findings],
    }


# Pieces of press-release text and Unicode noise that `dump --mentions --fuzz SEED` joins at random.
_FRAGMENTS = (
    "$", "US$", "C$", "€", "£", "¥", "USD ", "EUR ", "RMB", " million", " Million", "bn", "M", "K", " billion", " dollars",
    " euros", " yen", " Yuan", "(NASDAQ: ", "(Nasdag:", "NYSE American: ", "OTCQB: ", "TSX-V: ", ")", "; ", " | ", "1",
    "2.5", "1,000", "0.35", "10-12", " to ", " and ", "between ", "%", " per share", "ABC", "BRK.B", "\u00a0", "\u2009",
    "\u2013", "\u2014", "\u00ad", "\u200b", "\uff04", "\uff11", "\uff1a", "\u201c", "\u201d", "\n", "\n\n", "| ",
    "(in thousands)", "https://x.io/", "two ", "twelve", " cents", " cent", "percent", " pence", "p per share",
    "5p a share", "Tencent", " under the symbol ", "listed on the ", "traded on ", "quoted on ", "(ABC) is listed on the NYSE",
    ".HK)", "(0700.HK)", "é", "ſix", "٣", "$\n", "$ \n", "(US$'000)", "($000s)", "000)", "Thousands", "ILLIONS", " of $",
    "of ", "A $5", "half a ", "quarter of a ", "a few hundred dollars", " CAD", "USDC", "xUSD",
)


def mention_lines(fuzz: int | None = None) -> Iterator[dict[str, Any]]:
    import llmx

    print(f"llmx from {llmx.__file__}", file=sys.stderr)
    if fuzz is not None:  # 20,000 texts of 1-30 random fragments: forms and noise the corpus may not hold
        import random

        generator = random.Random(fuzz)
        texts = ["".join(generator.choice(_FRAGMENTS) for _ in range(generator.randint(1, 30))) for _ in range(20_000)]
        print(f"fuzz {fuzz}: {len(texts)} texts (mentions and findings)", file=sys.stderr)
        for index, text in enumerate(texts):
            try:
                record = _mentions(text)
            except Exception as exc:  # an error is a result too: it must stay the same
                record = {"error": f"{type(exc).__name__}: {exc}"}
            yield {"set": "mentions", "path": f"fuzz:{index}", "record": record}
        return
    paths = documents(SETS["corpus"])
    print(f"corpus: {len(paths)} documents (mentions and findings)", file=sys.stderr)
    for path in paths:
        yield {"set": "mentions", "path": "corpus:" + path.name, "record": _mentions(path.read_bytes().decode("utf-8", errors="replace"))}


def dump(out: Path, only: list[str], mentions: bool = False, fuzz: int | None = None) -> None:
    with out.open("w", encoding="utf-8") as handle:
        for line in mention_lines(fuzz) if mentions else dump_lines(only):
            handle.write(json.dumps(line, sort_keys=True) + "\n")


def compare(before: Path, after: Path) -> int:
    def load(path: Path) -> dict[tuple[str, str], Any]:
        with path.open(encoding="utf-8") as handle:
            return {(line["set"], line["path"]): line["record"] for line in map(json.loads, handle)}

    old, new = load(before), load(after)
    keys = sorted(old.keys() | new.keys())
    differing = [key for key in keys if old.get(key) != new.get(key)]
    per_set: dict[str, list[int]] = {}
    for key in keys:
        counts = per_set.setdefault(key[0] + " " + key[1].split(":")[0], [0, 0])
        counts[0] += 1
        counts[1] += old.get(key) == new.get(key)
    for name, (total, same) in sorted(per_set.items()):
        print(f"{name}: {total} compared, {same} identical")
    print(f"total: {len(keys)} compared, {len(keys) - len(differing)} identical")
    for key in differing[:20]:
        print(f"DIFFERS {key[0]} {key[1]}")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    dump_parser = sub.add_parser("dump", help="write this checkout's records to a JSONL file")
    dump_parser.add_argument("out", type=Path)
    dump_parser.add_argument("--only", nargs="*", default=[], choices=sorted(SETS), help="limit to these sets")
    dump_parser.add_argument("--mentions", action="store_true", help="the corpus's mentions and findings instead of records")
    dump_parser.add_argument("--fuzz", type=int, metavar="SEED", help="with --mentions: random fragment texts, not the corpus")
    compare_parser = sub.add_parser("compare", help="compare two dumps; exit 1 when any record differs")
    compare_parser.add_argument("before", type=Path)
    compare_parser.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.only, args.mentions, args.fuzz)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
