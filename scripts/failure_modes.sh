#!/usr/bin/env bash
# Reproduce the transcripts of docs/failure-modes.md: each failure mode against `llmx serve-mock`.
#   scripts/failure_modes.sh [WORKDIR]      (default: a fresh temporary directory)
# Needs llmx importable by $PYTHON (default: python3). Only 127.0.0.1 is contacted.
set -u
PYTHON=${PYTHON:-python3}
W=${1:-$(mktemp -d)}
mkdir -p "$W" && rm -rf "$W/docs" "$W/cache" "$W/eval-junk" "$W"/*.jsonl "$W"/*.batch.json && mkdir -p "$W/docs"
LLMX() { "$PYTHON" -m llmx.cli "$@"; }
unset OPENAI_API_KEY OPENAI_BASE_URL
export LLMX_CACHE_DIR="$W/cache"
PORT=${PORT:-18731}
URL="http://127.0.0.1:$PORT/v1"
REMOTE=(--backend openai --model mock --base-url "$URL" --no-cache)

for i in 0 1 2 3 4 5 6 7; do
  printf 'BOSTON, March %d, 2024 -- Acme Therapeutics %d (Nasdaq: Q%03d) today announced a license agreement with Northwind Health. Northwind Health will pay $%d million upfront and up to $%d0 million in milestones.\n' \
    $((i + 1)) "$i" "$i" $((i + 5)) $((i + 1)) > "$W/docs/pr-$i.txt"
done
echo '{}' > "$W/junk.json"
echo '{"date": null, "issuer": {"name": "Acme Therapeutics 0"}, "tickers": [], "companies": [], "amounts": [{"value": 99, "currency": "EUR", "text": "99 EUR", "kind": "upfront", "status": "actual"}]}' > "$W/invented.json"
echo '{"partner": "Northwind Health", "upfront": {"value": 99, "currency": "EUR", "text": "99 EUR"}}' > "$W/invented_deal.json"

serve() {  # serve-mock in the background with the given options; waits until it listens
  "$PYTHON" -m llmx.cli serve-mock --port "$PORT" "$@" > "$W/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do grep -q "mock server on" "$W/serve.log" 2>/dev/null && return; sleep 0.1; done
  echo "serve-mock did not start:"; cat "$W/serve.log"; exit 1
}
stop() { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; }
run() { echo; echo "\$ llmx $*"; LLMX "$@" > "$W/stdout" 2> "$W/stderr"; echo "exit $?"; sed 's/^/stderr| /' "$W/stderr" | cut -c1-400; head -c 600 "$W/stdout" | sed 's/^/stdout| /'; echo; }

echo "== 1. model returns junk ({} for every request)"
serve --replies "$W/junk.json"
run extract "$W/docs/pr-0.txt" "${REMOTE[@]}"
echo "meta.fallback: $("$PYTHON" -c "import json,sys; print(json.load(open('$W/stdout'))['meta']['fallback'])")"
run extract "$W/docs/pr-0.txt" "${REMOTE[@]}" --strict
run extract "$W/docs" "${REMOTE[@]}" -o "$W/junk.jsonl"
echo; echo "\$ OPENAI_BASE_URL=$URL OPENAI_API_KEY=sk-... llmx eval evals/press_releases --limit 3 --report $W/eval-junk"
OPENAI_BASE_URL="$URL" OPENAI_API_KEY=sk-not-a-real-key LLMX eval evals/press_releases --limit 3 --report "$W/eval-junk" 2>&1 >/dev/null | cut -c1-300; echo "exit ${PIPESTATUS[0]}"
echo "metrics.json rules_fallbacks: $("$PYTHON" -c "import json; print(json.load(open('$W/eval-junk/metrics.json'))['rules_fallbacks'])")"
stop

echo; echo "== 2. model invents values (free mode)"
serve --replies "$W/invented.json"
run extract "$W/docs/pr-0.txt" "${REMOTE[@]}" --mode free
"$PYTHON" -c "import json; m=json.load(open('$W/stdout')); print('amounts:', m['amounts']); print('findings:', [(f['code'], f['path']) for f in m['meta']['findings']])"
stop
serve --replies "$W/invented_deal.json"
echo; echo "\$ python: extract(text, schema=Deal, mode='free') with a required upfront: Money"
"$PYTHON" - "$W/docs/pr-0.txt" "$URL" <<'PY'
import sys
from pathlib import Path
from pydantic import BaseModel
from llmx import Money, extract, extract_with_meta
from llmx.errors import ExtractionError

class Deal(BaseModel):
    partner: str | None = None
    upfront: Money

text, url = Path(sys.argv[1]).read_text(), sys.argv[2]
settings = dict(schema=Deal, mode="free", backend="openai", model="mock", base_url=url, cache=False)
try:
    extract(text, **settings)
except ExtractionError as exc:
    print("ExtractionError:", exc)
    print("  findings:", [(f.code, f.path) for f in exc.findings], "usage.calls:", exc.usage.calls)
deal, meta = extract_with_meta(text, keep_invalid=True, **settings)
print("keep_invalid=True:", deal.upfront, [(f.code, f.path) for f in meta.findings])
PY
stop

echo; echo "== 3. server down (nothing listens on $URL)"
run extract "$W/docs/pr-0.txt" "${REMOTE[@]}"
run extract "$W/docs" "${REMOTE[@]}" -o "$W/down.jsonl"
echo "errors file: $(wc -l < "$W/down.errors.jsonl") lines; first: $(head -c 300 "$W/down.errors.jsonl")"

echo; echo "== 4. partial outage in a batch (--fault-rate 0.8 --fault server_error --seed 1)"
serve --fault-rate 0.8 --fault server_error --seed 1
run extract "$W/docs" "${REMOTE[@]}" -o "$W/outage.jsonl"
echo "records: $(wc -l < "$W/outage.jsonl"), errors: $(wc -l < "$W/outage.errors.jsonl" 2>/dev/null || echo 0)"
stop
serve
run extract "$W/docs" "${REMOTE[@]}" -o "$W/outage.jsonl"
echo "records: $(wc -l < "$W/outage.jsonl")"
stop

echo; echo "== 5. changed documents "
run extract "$W/docs" --backend rules -o "$W/changed.jsonl"
sed -i 's/upfront/up front/' "$W/docs/pr-0.txt"
run extract "$W/docs" --backend rules -o "$W/changed.jsonl"
echo "records for pr-0 in the output: $(grep -c '"id": *"pr-0"' "$W/changed.jsonl")"
run eval evals/press_releases -p "$W/changed.jsonl"

echo; echo "== 5b. a changed document that fails on rerun (pr-1.txt emptied)"
cp "$W/docs/pr-1.txt" "$W/pr-1.saved"
: > "$W/docs/pr-1.txt"
run extract "$W/docs" --backend rules -o "$W/changed.jsonl"
echo "records for pr-1 in the output: $(grep -c '"id": *"pr-1"' "$W/changed.jsonl")"
echo "its error line: $(grep '"pr-1"' "$W/changed.errors.jsonl" | tail -1 | cut -c1-400)"
cp "$W/pr-1.saved" "$W/docs/pr-1.txt"
run extract "$W/docs" --backend rules -o "$W/changed.jsonl"

echo; echo "== 6. changed configuration "
serve
run extract "$W/docs" "${REMOTE[@]}" -o "$W/changed.jsonl"
stop
echo "backends in the output: $("$PYTHON" -c "import json; print(sorted({json.loads(l)['meta']['backend'] for l in open('$W/changed.jsonl')}))")"

echo; echo "== 6b. changed configuration while the server is down"
run extract "$W/docs" "${REMOTE[@]}" --model mock-2 -o "$W/changed.jsonl"
echo "records in the output: $(grep -c . "$W/changed.jsonl" || true)"

echo; echo "== 7. warnings from worker processes (--workers 2, junk replies)"
serve --replies "$W/junk.json"
run extract "$W/docs" "${REMOTE[@]}" -o "$W/workers.jsonl" --workers 2 -j 4 --max-reasks 0
stop

echo; echo "== 8. Batch API: rerun, then a changed configuration"
serve
run extract "$W/docs" "${REMOTE[@]}" --batch-api --poll-interval 0.01 -o "$W/batch.jsonl"
run extract "$W/docs" "${REMOTE[@]}" --batch-api --poll-interval 0.01 -o "$W/batch.jsonl"
run extract "$W/docs" "${REMOTE[@]}" --model mock-2 --batch-api --poll-interval 0.01 -o "$W/batch.jsonl"
stop
echo "records in the output: $(grep -c . "$W/batch.jsonl"), ids: $("$PYTHON" -c "import json; print(len({json.loads(l)['id'] for l in open('$W/batch.jsonl')}))"), models: $("$PYTHON" -c "import json; print(sorted({json.loads(l)['meta']['model'] for l in open('$W/batch.jsonl')}))")"
echo; echo "workdir: $W"
