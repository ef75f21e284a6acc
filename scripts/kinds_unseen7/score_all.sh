#!/bin/sh
# Score the rules backend of one tree on every hand-judged kinds sample (rounds 1-7), each set on its own line.
# Usage: scripts/kinds_unseen7/score_all.sh PYTHON PRED.jsonl
#   PYTHON: a python that imports the tree to score (e.g. a wrapper setting PYTHONPATH; run with -P);
#   PRED.jsonl: where the predictions over all judged documents go (deleted first).
# The texts stay in ../shared; only ids, spans and labels are read from the judged files.
set -e
PY=$1
OUT=$2
cd "$(dirname "$0")/../.."
DOCS=$(cd ../shared/corpus/press_releases/docs && pwd)
ids=$(cat scripts/kinds_unseen*/judged.jsonl | $PY -c "import sys, json; print(' '.join(sorted({'$DOCS/' + json.loads(l)['id'] + '.txt' for l in sys.stdin})))")
rm -f "$OUT"
$PY -P -m llmx.cli extract $ids --backend rules -o "$OUT" > /dev/null 2>&1
for d in scripts/kinds_unseen*/; do
  for s in $($PY -c "import json; print(' '.join(sorted({json.loads(l)['set'] for l in open('$d/judged.jsonl')})))"); do
    printf '%s ' "$(basename "$d")"
    $PY -P scripts/kinds_unseen/score.py "$OUT" "$s" "$d/judged.jsonl"
  done
done
