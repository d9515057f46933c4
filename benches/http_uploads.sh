#!/usr/bin/env bash
# Latency of POST /api/v1/audit (the golden three-language decision of tests/data/audit) and
# the time of a background import through POST /api/v1/import against `termbridge import` of
# the same generated TSV. Everything runs on 127.0.0.1 with bounded request counts.
# Usage: benches/http_uploads.sh [TERMBRIDGE_BINARY] [ROWS]
set -euo pipefail
BIN=$(realpath "${1:-target/release/termbridge}")
ROWS=${2:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

python3 - "$WORK/memory.tsv" "$ROWS" <<'PY'
import random, sys
path, rows = sys.argv[1], int(sys.argv[2])
words = ["komuna", "vendimi", "neni", "kuvendi", "prishtinë", "kryetari", "decision", "article", "municipality", "assembly", "mayor", "the", "of"]
rng = random.Random(7)
with open(path, "w", encoding="utf-8") as out:
    out.write("id\tsrc\ttgt\n")
    for row in range(rows):
        src = " ".join(rng.choice(words) for _ in range(8))
        tgt = " ".join(rng.choice(words) for _ in range(8))
        out.write(f"r{row}\t{src} {row}\t{tgt} {row}\n")
PY

TOKEN=$("$BIN" --data-dir "$WORK/served" --json token create --role editor | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
TERMBRIDGE_LOG=warn "$BIN" --data-dir "$WORK/served" serve --addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
D="$ROOT/tests/data/audit"
for format in json html; do
  for _ in $(seq 20); do
    curl -fs -o /dev/null -w '%{time_total}\n' -F sq=@"$D/triple.sq.txt" -F sr=@"$D/triple.sr.txt" -F en=@"$D/triple.en.txt" \
      "http://127.0.0.1:$PORT/api/v1/audit?format=$format"
  done | median | xargs printf "audit %s: median of 20 requests %s s\n" "$format"
done

start=$(date +%s.%N)
ID=$(curl -fs -H "Authorization: Bearer $TOKEN" -F file=@"$WORK/memory.tsv" "http://127.0.0.1:$PORT/api/v1/import?src=en&tgt=sq" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
posted=$(date +%s.%N)
polls=0
for _ in $(seq 6000); do
  STATUS=$(curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/jobs/$ID")
  polls=$((polls + 1))
  case "$STATUS" in *'"status":"done"'*|*'"status":"failed"'*) break ;; esac
  sleep 0.1
done
end=$(date +%s.%N)
echo "import over HTTP, $ROWS rows: upload $(echo "$posted - $start" | bc) s, until done $(echo "$end - $start" | bc) s, $polls polls"
echo "  $(echo "$STATUS" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], j["result"] and {k: j["result"][k] for k in ("read","stored","duplicates","skipped")})')"

start=$(date +%s.%N)
TERMBRIDGE_LOG=warn "$BIN" --data-dir "$WORK/cli" import "$WORK/memory.tsv" --src en --tgt sq >/dev/null
end=$(date +%s.%N)
echo "termbridge import, same file: $(echo "$end - $start" | bc) s"
