#!/usr/bin/env bash
# Runs `termbridge audit` on every case of the audit dev set and scores the reports.
# Usage: benches/audit_dev.sh [TERMBRIDGE_BINARY] [DEV_DIR] [OUT_DIR]
# The municipality comes from each document's own header line ("Komuna: X").
set -euo pipefail
BIN=${1:-target/release/termbridge}
DEV=${2:-../shared/data/dev/audit}
OUT=${3:-$(mktemp -d)}
mkdir -p "$OUT"
DATA=$(mktemp -d)
for sq in "$DEV"/*.sq.txt; do
  case_id=$(basename "$sq" .sq.txt)
  args=(--sq "$sq")
  [ -f "$DEV/$case_id.sr.txt" ] && args+=(--sr "$DEV/$case_id.sr.txt")
  [ -f "$DEV/$case_id.en.txt" ] && args+=(--en "$DEV/$case_id.en.txt")
  # Exit code 1 means "errors found", which is what an audit is for.
  "$BIN" --data-dir "$DATA" audit "${args[@]}" --no-history -o "$OUT/$case_id.json" || [ $? -eq 1 ]
done
rm -rf "$DATA"
python3 "$DEV/score.py" "$DEV/labels.jsonl" "$OUT"
echo "reports in $OUT" >&2
