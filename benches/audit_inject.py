#!/usr/bin/env python3
"""Synthetic audit cases: inject one defect of a known kind into copies of the dev documents.

Usage: benches/audit_inject.py OUT_DIR [SEED] [DEV_DIR]
Writes OUT_DIR/NNNNr.{sq,sr,en}.txt, labels.jsonl (the dev labels carried over, plus the
injected one), clean.txt and score.py, so that benches/audit_dev.sh BIN OUT_DIR scores it.
Kinds rotate: missing-segment, untranslated, wrong-language, wrong-script, mixed-script,
missing-diacritics, mojibake, number-mismatch (number-mismatch only where a line has digits).
This measures robustness beyond the ten dev files; it is not a substitute for real defects.
"""
import json, os, random, re, sys, shutil
out = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
dev = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data', 'dev', 'audit')
random.seed(seed)
shutil.rmtree(out, ignore_errors=True); os.makedirs(out)
labels = [json.loads(l) for l in open(f'{dev}/labels.jsonl')]
cases = sorted({os.path.basename(p).split('.')[0] for p in os.listdir(dev) if p.endswith('.sq.txt')})
C2L = dict(zip('абвгдђежзијклљмнњопрстћуфхцчџш', ['a','b','v','g','d','đ','e','ž','z','i','j','k','l','lj','m','n','nj','o','p','r','s','t','ć','u','f','h','c','č','dž','š']))
L2C = {v: k for k, v in C2L.items()}
def to_lat(s):
    r = ''
    for ch in s:
        low = ch.lower()
        if low in C2L:
            t = C2L[low]
            r += (t[0].upper() + t[1:]) if ch != low else t
        else:
            r += ch
    return r
def to_cyr(s):
    r = ''; i = 0
    while i < len(s):
        for n in (2, 1):
            seg = s[i:i+n]
            if seg.lower() in L2C:
                c = L2C[seg.lower()]
                r += c.upper() if seg[0].isupper() else c
                i += n; break
        else:
            r += s[i]; i += 1
    return r
HOMO = {'a': 'а', 'e': 'е', 'o': 'о', 'p': 'р', 'c': 'с', 'x': 'х', 'y': 'у'}
HOMO_C = {v: k for k, v in HOMO.items()}
def strip(s, lang):
    table = {'ë': 'e', 'Ë': 'E', 'ç': 'c', 'Ç': 'C'} if lang == 'sq' else {'č': 'c', 'ć': 'c', 'š': 's', 'ž': 'z', 'đ': 'dj', 'Č': 'C', 'Ć': 'C', 'Š': 'S', 'Ž': 'Z', 'Đ': 'Dj'}
    return ''.join(table.get(ch, ch) for ch in s)
def cyrl(s): return sum('\u0400' <= c <= '\u04ff' for c in s) > 3
n = 0
new_labels = []; clean = []
for base in cases:
    docs = {l: open(f'{dev}/{base}.{l}.txt').read().splitlines() for l in ('sq', 'sr', 'en')}
    bad = {(l['lang'], l['line']) for l in labels if l['case'] == base}
    if any(l['check'] == 'missing-segment' for l in labels if l['case'] == base):
        continue  # line numbers no longer parallel
    for rep in range(6):
        n += 1
        cid = f'{base}{rep}'
        d = {l: list(v) for l, v in docs.items()}
        kinds = ['missing-segment', 'untranslated', 'wrong-language', 'wrong-script', 'mixed-script', 'missing-diacritics', 'mojibake', 'number-mismatch']
        kind = kinds[(n + seed) % len(kinds)]
        lang = random.choice(['sq', 'sr'])
        cand = [i for i in range(1, len(d[lang])) if (lang, i + 1) not in bad and ('sq', i + 1) not in bad and ('sr', i + 1) not in bad]
        random.shuffle(cand)
        done = None
        for i in cand:
            line = d[lang][i]
            if kind == 'missing-segment':
                del d[lang][i]; done = (lang, i + 1); break
            if kind == 'untranslated':
                other = 'sq' if lang == 'sr' else 'sr'
                if len(d[other][i].split()) < 3: continue
                d[lang][i] = d[other][i]; done = (lang, i + 1); break
            if kind == 'wrong-language':
                if len(d['en'][i].split()) < 3: continue
                d[lang][i] = d['en'][i]; done = (lang, i + 1); break
            if kind == 'wrong-script':
                if lang != 'sr' or len(line.split()) < 2: continue
                d[lang][i] = to_lat(line) if cyrl(line) else to_cyr(line); done = (lang, i + 1); break
            if kind == 'mixed-script':
                words = [w for w in line.split() if len(w) >= 4 and w.isalpha()]
                random.shuffle(words)
                ok = False
                for w in words:
                    if cyrl(line):
                        idx = [k for k, ch in enumerate(w) if ch in HOMO_C]
                        if not idx: continue
                        k = random.choice(idx); nw = w[:k] + HOMO_C[w[k]] + w[k+1:]
                    else:
                        idx = [k for k, ch in enumerate(w) if ch in HOMO]
                        if not idx: continue
                        k = random.choice(idx); nw = w[:k] + HOMO[w[k]] + w[k+1:]
                    d[lang][i] = line.replace(w, nw, 1); ok = True; break
                if ok: done = (lang, i + 1); break
                continue
            if kind == 'missing-diacritics':
                if cyrl(line): continue
                s2 = strip(line, lang)
                if s2 == line: continue
                d[lang][i] = s2; done = (lang, i + 1); break
            if kind == 'mojibake':
                try:
                    m = line.encode('utf-8').decode('cp1252')
                except UnicodeDecodeError:
                    continue
                if m == line: continue
                d[lang][i] = m; done = (lang, i + 1); break
            if kind == 'number-mismatch':
                if re.search(r'\d', line):
                    d[lang][i] = re.sub(r'\d', lambda m: str((int(m.group()) + 3) % 10), line, count=1)
                else:
                    continue
                done = (lang, i + 1); break
        for l in d:
            open(f'{out}/{cid}.{l}.txt', 'w').write('\n'.join(d[l]) + '\n')
        for l in labels:
            if l['case'] == base:
                moved = dict(l, case=cid)
                # A deleted line moves the later lines of its file up by one.
                if done and kind == 'missing-segment' and done[0] == l['lang'] and l['line'] > done[1]:
                    moved['line'] -= 1
                new_labels.append(moved)
        if done:
            new_labels.append({'case': cid, 'lang': done[0], 'line': done[1], 'check': kind})
        elif not any(l['case'] == base for l in labels):
            clean.append(cid)
with open(f'{out}/labels.jsonl', 'w') as f:
    for l in new_labels: f.write(json.dumps(l, ensure_ascii=False) + '\n')
open(f'{out}/clean.txt', 'w').write('\n'.join(clean) + '\n')
shutil.copy(f'{dev}/score.py', out)
print(len(new_labels), 'labels', len(clean), 'clean')
