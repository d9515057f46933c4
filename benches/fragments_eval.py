#!/usr/bin/env python3
"""Fragment recall on real catalogue queries (BENCHMARKS.md, "Fragments").

Memory: the tuning catalogues (en->sq, en->sr Cyrillic) plus 85% of the entries of the
evaluation packages (chosen by a hash of the English string); queries: the other 15% whose
best whole TM match scores under 75. Both memories are imported into fresh data directories
and served by `termbridge serve`; each query goes to `/api/v1/tm/match` (fragments on) and
each memory fragment's text to `/api/v1/tm/concordance` for the baseline.

A fragment is right when its translation, folded (case, diacritics, punctuation, access
keys), occurs at word boundaries in the query's real translation, folded alike. Covered
words: query words (letters or digits) inside a right fragment, over all query words.
Baseline (plain concordance): for the same memory fragments, the whole stored translation of
the first concordance line of the fragment's text, right when it occurs in the real
translation the same way.

usage: fragments_eval.py TERMBRIDGE PO_DIR TUNE_DIR WORK_DIR [--sample N]
"""

import hashlib
import json
import os
import random
import re
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import urllib.request


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unquote(s):
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), s)


def parse_po(path):
    """(msgctxt, msgid, msgstr) of the singular, translated, non-header entries."""
    entries, cur, key = [], {}, None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")

    def flush():
        if cur.get("msgid") and cur.get("msgstr") and "msgid_plural" not in cur:
            entries.append((cur.get("msgctxt"), cur["msgid"], cur["msgstr"]))

    for line in lines + [""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if not line and cur:
                flush()
                cur = {}
            continue
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?)\s+"(.*)"$', line)
        if m:
            key = m.group(1).replace("[0]", "")
            if key == "msgid" and "msgid" in cur:
                flush()
                cur = {}
            cur[key] = unquote(m.group(2))
        elif line.startswith('"') and key:
            cur[key] = cur.get(key, "") + unquote(line[1:-1])
    return entries


def clean(text):
    """One line, access keys dropped."""
    text = re.sub(r"[_&](?=\w)", "", text)
    return " ".join(text.split())


def fold(text):
    text = unicodedata.normalize("NFD", clean(text).casefold())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = text.replace("đ", "dj").replace("ђ", "dj")
    text = re.sub(r"[^\w]+", " ", text)
    return " " + " ".join(text.split()) + " "


def contained(part, whole):
    part = fold(part)
    return part.strip() != "" and part in fold(whole)


def words(text):
    return [m.span() for m in re.finditer(r"\w+", text)]


def byte_span(text, span):
    return len(text[: span[0]].encode()), len(text[: span[1]].encode())


def held_back(source):
    return int(hashlib.sha1(source.encode()).hexdigest(), 16) % 100 < 15


def get(base, path, params):
    url = base + path + "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.load(response)


def run_pair(termbridge, po_dir, tune_dir, work, tgt, po_suffix, tune_suffix, port, sample):
    memory, queries = [], {}
    for name in sorted(os.listdir(po_dir)):
        if not name.endswith(po_suffix):
            continue
        for ctx, src, dst in parse_po(os.path.join(po_dir, name)):
            src, dst = clean(src), clean(dst)
            if not src or not dst:
                continue
            if held_back(src):
                queries.setdefault(src, dst)
            else:
                memory.append((src, dst))
    for name in sorted(os.listdir(tune_dir)):
        if name.endswith(tune_suffix):
            memory.extend((clean(s), clean(d)) for _, s, d in parse_po(os.path.join(tune_dir, name)) if clean(s) and clean(d))
    memory_sources = {src for src, _ in memory}
    queries = {q: t for q, t in queries.items() if q not in memory_sources and 3 <= len(words(q)) <= 40}
    data = os.path.join(work, f"data-{tgt}")
    subprocess.run(["rm", "-rf", data], check=True)
    os.makedirs(work, exist_ok=True)
    tsv = os.path.join(work, f"memory-{tgt}.tsv")
    with open(tsv, "w", encoding="utf-8") as f:
        f.write("id\tsrc\ttgt\n")
        for idx, (src, dst) in enumerate(memory):
            f.write(f"m{idx}\t{src.replace(chr(9), ' ')}\t{dst.replace(chr(9), ' ')}\n")
    subprocess.run([termbridge, "--data-dir", data, "import", tsv, "--src", "en", "--tgt", tgt], check=True, capture_output=True)
    server = subprocess.Popen([termbridge, "serve", "--data-dir", data, "--addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except Exception:
                time.sleep(0.2)
        results = []
        for query, truth in sorted(queries.items()):
            answer = get(base, "/api/v1/tm/match", {"q": query, "source_lang": "en", "target_lang": tgt, "limit": 1, "fragments": "true"})
            best = max((hit["score"] for hit in answer["hits"]), default=0.0)
            if best >= 75:
                continue
            fragments = answer["fragments"]
            baseline = []
            for fragment in fragments:
                if fragment["origin"] != "memory":
                    continue
                lines = get(base, "/api/v1/tm/concordance", {"q": fragment["text"], "lang": "en", "limit": 1})["lines"]
                first = lines[0]["translation"] if lines and lines[0]["translation"] else None
                baseline.append((fragment["start"], fragment["end"], first))
            results.append({"query": query, "truth": truth, "best": best, "fragments": fragments, "baseline": baseline})
    finally:
        server.terminate()
        server.wait()
    return len(memory), results


def score(results):
    n_words = covered = covered_any = covered_base = 0
    n_frag = right_frag = n_base = right_base = 0
    by_origin = {}
    for result in results:
        query, truth = result["query"], result["truth"]
        spans = [byte_span(query, span) for span in words(query)]
        n_words += len(spans)
        right_ranges, any_ranges, base_ranges = [], [], []
        for fragment in result["fragments"]:
            right = bool(fragment["translation"]) and contained(fragment["translation"], truth)
            n_frag += 1
            right_frag += right
            origin = by_origin.setdefault(fragment["origin"], [0, 0])
            origin[0] += 1
            origin[1] += right
            any_ranges.append((fragment["start"], fragment["end"]))
            if right:
                right_ranges.append((fragment["start"], fragment["end"]))
        for start, end, translation in result["baseline"]:
            right = bool(translation) and contained(translation, truth)
            n_base += 1
            right_base += right
            if right:
                base_ranges.append((start, end))

        def inside(span, ranges):
            return any(start <= span[0] and span[1] <= end for start, end in ranges)

        covered += sum(inside(span, right_ranges) for span in spans)
        covered_any += sum(inside(span, any_ranges) for span in spans)
        covered_base += sum(inside(span, base_ranges) for span in spans)
    return {
        "queries": len(results),
        "query_words": n_words,
        "covered_right": round(covered / max(n_words, 1), 4),
        "covered_any": round(covered_any / max(n_words, 1), 4),
        "fragments": n_frag,
        "fragments_right": round(right_frag / max(n_frag, 1), 4),
        "by_origin": {origin: {"n": n, "right": round(r / n, 4)} for origin, (n, r) in by_origin.items()},
        "baseline_covered_right": round(covered_base / max(n_words, 1), 4),
        "baseline_lines": n_base,
        "baseline_right": round(right_base / max(n_base, 1), 4),
    }


def main():
    termbridge, po_dir, tune_dir, work = sys.argv[1:5]
    sample = int(sys.argv[sys.argv.index("--sample") + 1]) if "--sample" in sys.argv else 40
    report = {}
    for tgt, po_suffix, tune_suffix, port in [("sq", ".sq.po", ".sq.po", 18731), ("sr-Cyrl", ".sr.po", ".sr.po", 18732)]:
        n_memory, results = run_pair(termbridge, po_dir, tune_dir, work, tgt, po_suffix, tune_suffix, port, sample)
        report[tgt] = {"memory_units": n_memory, **score(results)}
        with open(os.path.join(work, f"results-{tgt}.json"), "w", encoding="utf-8") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)
        judged = [(r["query"], r["truth"], fr) for r in results for fr in r["fragments"]]
        random.Random(17).shuffle(judged)
        with open(os.path.join(work, f"handcheck-{tgt}.tsv"), "w", encoding="utf-8") as f:
            f.write("auto\torigin\tfragment\ttranslation\tquery\treal translation\n")
            for query, truth, fr in judged[:sample]:
                auto = bool(fr["translation"]) and contained(fr["translation"], truth)
                f.write(f"{int(auto)}\t{fr['origin']}\t{fr['text']}\t{fr['translation']}\t{query}\t{truth}\n")
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
