"""Run the example schemas (examples/schemas.py) in grounded mode over press releases.

    python examples/run_schemas.py                                  # loopback stand-in model, the sample release
    python examples/run_schemas.py release.txt --base-url http://localhost:11434/v1 --model qwen2.5
    python examples/run_schemas.py release.txt --backend local      # the embedded model

The loopback server (llmx.testing) answers every money/listing field with the first id it is
offered and every other field with null: it shows the plumbing, not a model's judgement.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from examples.schemas import SCHEMAS  # noqa: E402
from llmx import extract  # noqa: E402

SAMPLE = Path(__file__).with_name("sample_press_release.txt")


def first_choice(schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """A reply choosing the first id of every id field and null or [] elsewhere."""
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        picks = [first_choice(option, root) for option in schema["anyOf"] if option.get("type") != "null"]
        return next((pick for pick in picks if pick is not None), None)
    if "enum" in schema or "const" in schema:
        values = schema.get("enum") or [schema["const"]]
        return values[0] if str(values[0])[:1] in "MT" else None
    if schema.get("type") == "object":
        return {name: first_choice(prop, root) for name, prop in schema.get("properties", {}).items()}
    if schema.get("type") == "array":
        item = first_choice(schema.get("items", {}), root)
        return [item] if item is not None else []
    return None


def loopback_responder(body: dict[str, Any]) -> Any:
    from llmx.testing import request_schema, structured_reply

    schema = request_schema(body) or {}
    return structured_reply(first_choice(schema, schema))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, default=[SAMPLE])
    parser.add_argument("--backend", choices=["openai", "local"], default="openai")
    parser.add_argument("--base-url", default=None, help="OpenAI-compatible endpoint (default: a loopback stand-in)")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    server = None
    base_url = args.base_url
    if args.backend == "openai" and base_url is None:
        from llmx.testing import LoopbackServer

        server = LoopbackServer(loopback_responder).start()
        base_url = server.base_url
    try:
        for path in args.files:
            text = path.read_text(encoding="utf-8")
            for name, schema in SCHEMAS.items():
                options: dict[str, Any] = {"model": args.model} if args.model else {}
                if args.backend == "openai":
                    options.update(base_url=base_url, api_key="sk-loopback" if server else None, cache=False)
                record = extract(text, schema=schema, backend=args.backend, mode="grounded", **options)
                print(f"{path.name} {name}: {record.model_dump_json()}")
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
