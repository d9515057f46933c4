#!/usr/bin/env python3
"""Patched matches on real catalogues (BENCHMARKS.md, "Patched matches").

Pairs: two entries of one catalogue whose English msgids differ only in numbers or in
capitalised names (the rest equal word for word). The query is one msgid; the memory holds
the other with its real translation. A pair succeeds when `patched_target` equals the real
translation of the query (NFC, whitespace normalised); the baseline is the stored target
left unpatched.

    python3 benches/patch_eval.py BINARY DATA_DIR OUT_DIR

With PATCH_EVAL_TITLE_CASE=1 a capital in a Title Case string counts as a name too (those
pairs are mostly interface words, "Open File" / "Save File", not names).

DATA_DIR holds DOMAIN.LANG.po files (LANG: sq, sr, sr@latin) made with msgunfmt; OUT_DIR
gets one data directory per language and the pairs with their outcome (pairs.jsonl).
"""
import collections, json, os, re, subprocess, sys, unicodedata

def read_po(path):
    """msgid -> msgstr of the single, non-empty, non-fuzzy entries of a msgunfmt output."""
    entries, cur, key = {}, {}, None
    def flush():
        if cur.get("msgid") and cur.get("msgstr") and "msgid_plural" not in cur and "msgctxt" not in cur:
            entries.setdefault(cur["msgid"], cur["msgstr"])
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line)
        if m:
            if m.group(1) == "msgctxt" or (m.group(1) == "msgid" and "msgctxt" not in cur):
                if m.group(1) == "msgctxt" or cur.get("msgstr") is not None:
                    flush(); cur = {}
            key = m.group(1).replace("[0]", "")
            cur[key] = unescape(m.group(2))
        elif line.startswith('"') and key:
            cur[key] += unescape(line[1:-1])
        elif not line.strip():
            flush(); cur = {}; key = None
    flush()
    return entries

def unescape(s):
    return s.replace('\\n', '\n').replace('\\t', '\t').replace('\\"', '"').replace('\\\\', '\\')

TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+|[^\w\s]", re.UNICODE)

def sentence_case(toks):
    """True when most words after the first are in small letters: a capital inside such a
    string marks a name, in a Title Case String it marks nothing."""
    if os.environ.get("PATCH_EVAL_TITLE_CASE"):
        # Every capitalised word counts (Title Case UI strings included).
        return True
    words = [t for t in toks[1:] if t.isalpha() and len(t) > 3]
    return bool(words) and sum(t[0].isupper() for t in words) * 2 < len(words)

def skeleton(text):
    """Tokens with numbers and capitalised words (not sentence-initial) as slots."""
    toks = TOKEN.findall(text)
    out, kinds = [], []
    for idx, tok in enumerate(toks):
        if tok[0].isdigit():
            out.append("<N>"); kinds.append(("number", tok))
        elif tok[0].isupper() and idx > 0 and toks[idx - 1] not in ".!?:" and tok.isalpha() and len(tok) > 1 and not tok.isupper() and sentence_case(toks):
            out.append("<C>"); kinds.append(("name", tok))
        else:
            out.append(tok)
    return tuple(out), kinds

def norm(text):
    return " ".join(unicodedata.normalize("NFC", text).split())

def pairs_of(entries):
    groups = collections.defaultdict(list)
    for msgid in entries:
        if len(msgid) > 300 or "\n" in msgid.strip():
            continue
        skel, kinds = skeleton(msgid)
        if kinds:
            groups[skel].append((msgid, kinds))
    for skel, members in groups.items():
        members.sort()
        for a in range(len(members)):
            for b in range(len(members)):
                if a == b:
                    continue
                (query, qk), (stored, sk) = members[a], members[b]
                differing = [k for (k, qv), (_, sv) in zip(qk, sk) if qv != sv]
                if not differing:
                    continue
                kind = "number" if all(k == "number" for k in differing) else ("name" if all(k == "name" for k in differing) else "mixed")
                yield query, stored, kind

def main():
    binary, data_dir, out_dir = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    langs = {"sq": ("sq", "sq"), "sr": ("sr", "sr-Cyrl"), "sr@latin": ("sr-Latn", "sr-Latn")}
    results = []
    for po_lang, (tsv_lang, tgt) in langs.items():
        units, queries = [], []
        for name in sorted(os.listdir(data_dir)):
            if not name.endswith(f".{po_lang}.po"):
                continue
            domain = name[: -len(f".{po_lang}.po")]
            entries = read_po(os.path.join(data_dir, name))
            seen_pairs = 0
            for query, stored, kind in pairs_of(entries):
                # At most 40 pairs a catalogue, so one large catalogue does not decide the figures.
                if seen_pairs >= 40:
                    break
                seen_pairs += 1
                uid = f"{domain}:{len(units)}"
                units.append((uid, stored, entries[stored]))
                queries.append((uid, query, entries[query], kind, domain))
        data = os.path.join(out_dir, tsv_lang)
        tsv = os.path.join(out_dir, f"tm.{tsv_lang}.tsv")
        with open(tsv, "w", encoding="utf-8") as out:
            out.write(f"id\ten\t{tsv_lang}\n")
            for uid, en, tr in units:
                clean = lambda s: s.replace("\t", " ").replace("\n", " ")
                out.write(f"{uid}\t{clean(en)}\t{clean(tr)}\n")
        if not os.path.exists(data):
            subprocess.run([binary, "--data-dir", data, "--json", "import", tsv], check=True, capture_output=True)
        qfile = os.path.join(out_dir, f"queries.{tsv_lang}.txt")
        with open(qfile, "w", encoding="utf-8") as out:
            for _, query, *_ in queries:
                out.write(query.replace("\n", " ") + "\n")
        run = subprocess.run([binary, "--data-dir", data, "--json", "tm", "match", "--src", "en", "--tgt", tgt, "--top", "5", "--queries", qfile],
                             check=True, capture_output=True, text=True)
        lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
        for (uid, query, truth, kind, domain), line in zip(queries, lines):
            hit = next((h for h in line["hits"] if h["id"] == uid), None)
            if hit is None:
                continue
            patched = hit.get("patched_target")
            results.append({"lang": tgt, "kind": kind, "domain": domain, "query": query, "truth": truth, "stored": hit.get("target"),
                            "patched": patched, "patches": [p["kind"] for p in hit.get("patches", [])],
                            "stored_ok": norm(hit.get("target") or "") == norm(truth), "patched_ok": patched is not None and norm(patched) == norm(truth),
                            "score": hit["score"], "patched_score": hit.get("patched_score")})
    with open(os.path.join(out_dir, "pairs.jsonl"), "w", encoding="utf-8") as out:
        for row in results:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print("| target | kind | pairs | unpatched = truth | patched (else stored) = truth | patched = truth, of patched | no patch |")
    print("|---|---|---:|---:|---:|---:|---:|")
    groups = collections.defaultdict(list)
    for row in results:
        groups[(row["lang"], row["kind"])].append(row)
        groups[(row["lang"], "all")].append(row)
        groups[("all", row["kind"])].append(row)
        groups[("all", "all")].append(row)
    for (lang, kind), rows in sorted(groups.items()):
        n = len(rows)
        stored_ok = sum(r["stored_ok"] for r in rows)
        final_ok = sum(r["patched_ok"] if r["patched"] is not None else r["stored_ok"] for r in rows)
        patched = [r for r in rows if r["patched"] is not None]
        pct = lambda a, b: f"{a} ({100 * a / b:.1f} %)" if b else "0"
        print(f"| {lang} | {kind} | {n} | {pct(stored_ok, n)} | {pct(final_ok, n)} | {pct(sum(r['patched_ok'] for r in patched), len(patched))} of {len(patched)} | {n - len(patched)} |")

if __name__ == "__main__":
    main()
