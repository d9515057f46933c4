#!/usr/bin/env bash
# Crawl, pair and audit a local municipal website twice (the second run with nothing changed
# answers 304 to the conditional requests), with wall time and peak RSS of each run.
#
# Usage: benches/monitor.sh [PAGES]   (default 1000; traffic goes to 127.0.0.1 only)
set -euo pipefail
PAGES=${1:-1000}
PORT=${PORT:-18555}
BIN=target/release/termbridge
cargo build --release --quiet
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 benches/monitor_site.py write "$WORK/site" --pages "$PAGES"
python3 benches/monitor_site.py serve "$WORK/site" "$PORT" & SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" > /dev/null && break; sleep 0.1; done
echo "## $(nproc) cores; $(date -u +%F); $PAGES pages"
"$BIN" --data-dir "$WORK/data" monitor add gjilan "http://127.0.0.1:$PORT/" --name "Komuna e Gjilanit" --municipality Gjilan > /dev/null
for run in first second; do
  /usr/bin/time -f "$run run: %e s wall, %M KiB peak RSS" \
    "$BIN" --data-dir "$WORK/data" --json monitor run gjilan --max-pages $((PAGES * 2)) --max-depth 8 --delay-ms 0 > "$WORK/$run.json"
  python3 - "$WORK/$run.json" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
runs = out if isinstance(out, list) else out.get("runs", [out])
for r in runs:
    print("  ", {k: r.get(k) for k in ("pages_fetched", "pages_not_modified", "pages_refused", "pages_failed", "pages_listing", "documents", "documents_reused", "score") if k in r})
PY
done
"$BIN" --data-dir "$WORK/data" --json monitor report gjilan > "$WORK/report.json"
python3 - "$WORK/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
docs = r["documents"]
print(f"report: score {r['score']}, {len(docs)} documents, {sum(1 for d in docs if 'sr' in d.get('missing', []))} missing Serbian, {sum(1 for d in docs if 'en' in d.get('missing', []))} missing English, findings by check {r['findings_by_check']}")
PY
