#!/usr/bin/env bash
# Throughput of `termbridge audit` on a generated 1 MB-per-language document pair, with a
# generated 50,000-term house term base (and the shipped gazetteer, when compiled in).
# Usage: benches/audit_throughput.sh [TERMBRIDGE_BINARY] [DEV_DIR]
set -euo pipefail
BIN=${1:-target/release/termbridge}
DEV=${2:-../shared/data/dev/audit}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 - "$DEV" "$WORK" <<'PY'
import sys
dev, work = sys.argv[1], sys.argv[2]
src = {lang: [] for lang in ("sq", "sr", "en")}
# Clean cases, Serbian Latin ones first so the Serbian version keeps one script.
for case in ("907", "908", "901", "904"):
    for lang in src:
        src[lang] += open(f"{dev}/{case}.{lang}.txt", encoding="utf-8").read().splitlines()[1:]
n, size = 0, 0
while size < 1_000_000:
    size += len(src["sq"][n % len(src["sq"])].encode()) + 1
    n += 1
for lang in src:
    with open(f"{work}/doc.{lang}.txt", "w", encoding="utf-8") as out:
        out.write("\n".join(src[lang][i % len(src[lang])] for i in range(n)) + "\n")
# 50,000 terms: real-looking words with an approved Albanian and Serbian form each, and a
# forbidden Serbian form for one in ten.
with open(f"{work}/terms.toml", "w", encoding="utf-8") as out:
    for i in range(50_000):
        out.write(f'[[terms]]\nid = "t{i}"\napproved = {{ sq = ["termë{i} kom{i}"], sr = ["termin{i} opš{i}"] }}\n')
        if i % 10 == 0:
            out.write(f'forbidden = {{ sr = ["zabranjen{i}"] }}\n')
PY
printf 'Komuna: Junik\nNjë.\n' > "$WORK/tiny.sq.txt"
printf 'Opština: Junik\nJedan.\n' > "$WORK/tiny.sr.txt"
for lang in sq sr en; do printf '%s: %s bytes\n' "$lang" "$(wc -c < "$WORK/doc.$lang.txt")"; done
run() {
  local label=$1; shift
  # CPU time (user + sys) is what one core spends; wall time also counts waiting for a
  # machine that others share.
  local TIMEFORMAT="$label: %R s wall, %U s user, %S s sys"
  time { "$BIN" --data-dir "$WORK/data" audit "$@" --no-history -o "$WORK/report.json" || [ $? -eq 1 ]; }
}
run "term base only (tiny documents), 50,000 terms" --sq "$WORK/tiny.sq.txt" --sr "$WORK/tiny.sr.txt" --config "$WORK/terms.toml"
run "sq+sr, no terms" --sq "$WORK/doc.sq.txt" --sr "$WORK/doc.sr.txt"
run "sq+sr, 50,000 terms" --sq "$WORK/doc.sq.txt" --sr "$WORK/doc.sr.txt" --config "$WORK/terms.toml"
run "sq+sr+en, 50,000 terms" --sq "$WORK/doc.sq.txt" --sr "$WORK/doc.sr.txt" --en "$WORK/doc.en.txt" --config "$WORK/terms.toml"
