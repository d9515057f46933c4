#!/usr/bin/env bash
# Service throughput and soak on 127.0.0.1: term lookups, TM matches (100k units), place lookups,
# then a mixed soak with concurrent writes while the server's memory is sampled.
#
# Usage: benches/load.sh CORPUS_TSV TM_QUERIES [SOAK_SECONDS] [BURST_SECONDS]
#   CORPUS_TSV  `id<TAB>src<TAB>tgt` (en → sq), e.g. the peer benchmark's scale_100k.tsv
#   TM_QUERIES  one English query a line, e.g. scale_100k_q.txt
# Needs: cargo build --release; cargo bench --no-run --bench load (the script builds both).
set -euo pipefail
CORPUS=${1:?corpus TSV}
QUERIES=${2:?query file}
SOAK=${3:-600}
BURST=${4:-60}
PORT=${PORT:-18181}
CONCURRENCY=${CONCURRENCY:-16}
BIN=target/release/termbridge
cargo build --release --quiet
LOAD=$(cargo bench --no-run --bench load 2>&1 | sed -n 's/.*Executable .*(\(.*\))$/\1/p' | tail -1)
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "## corpus: $(($(wc -l < "$CORPUS") - 1)) units; machine: $(nproc) cores; $(date -u +%F)"
/usr/bin/time -f "import: %e s wall, %M KiB peak" "$BIN" --data-dir "$WORK/data" import "$CORPUS" --src en --tgt sq > /dev/null
TOKEN=$("$BIN" --data-dir "$WORK/data" token create --role editor 2>/dev/null | head -1)

# Query lists: the shipped term base's own terms (`serve` loads it on first start) (every language and script, lower-cased and
# without diacritics for one in three), place names in several forms, the TM queries.
python3 - "$WORK" glossaries/kosovo/terms.csv <<'PY'
import csv, sys, unicodedata, os
work = sys.argv[1]
terms = []
path = sys.argv[2]
if os.path.exists(path) and os.path.getsize(path) > 0:
    rows = list(csv.reader(open(path, encoding="utf-8")))
    header = rows[0]
    col = header.index("term") if "term" in header else 2
    for i, row in enumerate(rows[1:]):
        if len(row) <= col or not row[col].strip():
            continue
        t = row[col]
        if i % 3 == 0:
            t = "".join(c for c in unicodedata.normalize("NFD", t.lower()) if not unicodedata.combining(c))
        terms.append(t)
if not terms:
    terms = ["opština", "opstini", "komunës", "општина", "kuvendi", "skupština", "municipality"]
open(os.path.join(work, "terms.txt"), "w", encoding="utf-8").write("\n".join(terms) + "\n")
places = ["Prishtina", "u Uroševcu", "Besiana", "Mitrovica", "Gnjilane", "Pejës", "Призрен", "Zvecan", "në Ferizaj", "Dečani",
          "Gjakovë", "Đakovica", "iz Prizrena", "Graçanicë", "Gracanica", "Štrpce", "Shtërpcë", "Kamenica", "Vushtrri", "Vučitrn"]
open(os.path.join(work, "places.txt"), "w", encoding="utf-8").write("\n".join(places) + "\n")
PY
echo "queries: $(wc -l < "$WORK/terms.txt") terms, $(wc -l < "$WORK/places.txt") places, $(wc -l < "$QUERIES") TM"

"$BIN" --data-dir "$WORK/data" serve --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/readyz" > /dev/null && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$PORT/readyz" > /dev/null || { echo "server did not become ready"; cat "$WORK/serve.log"; exit 1; }

Q="--queries terms=$WORK/terms.txt --queries search=$WORK/terms.txt --queries places=$WORK/places.txt --queries tm=$QUERIES --queries amagama=$QUERIES"
run() { echo; echo "### $1"; shift; "$LOAD" --url "http://127.0.0.1:$PORT" --server-pid "$SERVER" $Q "$@"; }
run "term lookups, ${BURST} s" --duration "$BURST" --concurrency "$CONCURRENCY" --mix terms=1 --rss-every 10
run "TM matches (100k units), ${BURST} s" --duration "$BURST" --concurrency "$CONCURRENCY" --mix tm=1 --rss-every 10
# The same at fewer connections: latency without the queue that 16 connections on 2 cores build.
run "TM matches (100k units), ${BURST} s, 4 connections" --duration "$BURST" --concurrency 4 --mix tm=1 --rss-every 10
run "place lookups, ${BURST} s" --duration "$BURST" --concurrency "$CONCURRENCY" --mix places=1 --rss-every 10
run "soak: mixed reads with a write of 200 units every 2 s (every 5th one a file import job), ${SOAK} s" --duration "$SOAK" --concurrency "$CONCURRENCY" \
  --mix terms=4,tm=2,places=2,search=1,amagama=1 --writes "$CORPUS" --token "$TOKEN" --write-every 2 --write-batch 200 --import-every 5 --rss-every 30
echo
gauges() { curl -fs "http://127.0.0.1:$PORT/metrics" | grep -E "^termbridge_(units|concepts|indexed_variants|search_index_segments|match_index_segments|match_index_bytes) " | sed 's/^termbridge_/- /'; }
echo "server gauges at the end:"
gauges
echo "anonymous memory at the end: $(awk '/RssAnon/ {printf "%.0f MiB", $2 / 1024}' "/proc/$SERVER/status")"
panics=$(grep -ci "panic" "$WORK/serve.log" || true)

# The same data freshly opened: what the grown memory costs without the history of the soak.
kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true
"$BIN" --data-dir "$WORK/data" serve --addr "127.0.0.1:$PORT" > "$WORK/serve2.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 600); do grep -q "fuzzy-match index built" "$WORK/serve2.log" && break; sleep 0.5; done
run "the same data after a restart: mixed reads, no writes, 60 s" --duration 60 --concurrency "$CONCURRENCY" \
  --mix terms=4,tm=2,places=2,search=1,amagama=1 --rss-every 10
echo
gauges
echo "panics in the server logs: $((panics + $(grep -ci "panic" "$WORK/serve2.log" || true)))"
