#!/usr/bin/env python3
"""Precision and recall of every document check of `termbridge audit`, on trilingual documents
built from real translated catalogues, with one injected defect per document copy.

Usage: python3 benches/check_eval.py CATALOGUE_DIR OUT_DIR [SEED] [DOCS_PER_KIND]

CATALOGUE_DIR holds gettext catalogues NAME.sq.po (Albanian), NAME.sr.po (Serbian, Cyrillic)
and NAME.srl.po (Serbian, Latin) of the same applications, e.g. decompiled with `msgunfmt` from
Debian packages. Units translated in all three (single-line, not plural, not fuzzy) become
documents of 30 lines in English, Albanian and Serbian (Cyrillic or Latin, alternately), headed
by a municipality where Albanian and Serbian are official ("Komuna: Prishtinë").

For every check with an injector below, DOCS_PER_KIND copies of clean documents get one defect
of that kind each, in a random version and line. Each document is audited with
`TERMBRIDGE_BIN` (default target/release/termbridge) and the configuration OUT_DIR/audit.toml
(a length limit and one custom rule, so that those checks have something to find).

Scoring: a defect is found when a finding of its check names the injected version and line (a
deleted line: the line before or after it). Every other finding of the injected document that
the clean document did not have (same check, language and excerpt) is a false alarm of its
check. Findings on the clean documents are listed apart (`clean`): real catalogues have real
defects, and they are not the injector's.
"""
import collections, glob, json, os, random, re, subprocess, sys, unicodedata
from concurrent.futures import ThreadPoolExecutor
from translate.storage import po

BIN = os.environ.get('TERMBRIDGE_BIN', 'target/release/termbridge')
src, out = sys.argv[1], sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
per_kind = int(sys.argv[4]) if len(sys.argv) > 4 else 12
rng = random.Random(seed)
os.makedirs(out, exist_ok=True)
LINES = 30

C2L = dict(zip('абвгдђежзијклљмнњопрстћуфхцчџш', ['a','b','v','g','d','đ','e','ž','z','i','j','k','l','lj','m','n','nj','o','p','r','s','t','ć','u','f','h','c','č','dž','š']))
def to_lat(s):
    r = ''
    for ch in s:
        low = ch.lower()
        t = C2L.get(low)
        r += ch if t is None else (t[0].upper() + t[1:] if ch != low else t)
    return r

# --- documents ------------------------------------------------------------------------------
# Translator credits are not text of the application.
CREDITS = {'Your names', 'Your emails', 'NAME OF TRANSLATORS', 'EMAIL OF TRANSLATORS', 'translator-credits', 'translator_credits'}
def units(path):
    res = {}
    for u in po.pofile.parsefile(path).units:
        if u.isheader() or u.hasplural() or u.isfuzzy() or not u.target:
            continue
        s, t = str(u.source), str(u.target)
        ctx = u.getcontext() or ''
        if '\n' in s or '\n' in t or '\t' in t or len(s.split()) < 2 or s in CREDITS or ctx in CREDITS:
            continue
        ctx = u.getcontext() or ''
        res[(ctx, s)] = t
    return res

rows = []
def latin(units_cyrl):
    return {k: to_lat(v) for k, v in units_cyrl.items()}
for sq_path in sorted(glob.glob(os.path.join(src, '*.sq.po'))):
    app = os.path.basename(sq_path)[:-len('.sq.po')]
    sr_path, srl_path = os.path.join(src, app + '.sr.po'), os.path.join(src, app + '.srl.po')
    if not os.path.exists(sr_path):
        continue
    sq, sr = units(sq_path), units(sr_path)
    # Serbian Latin: the catalogue's own, else the Cyrillic one transliterated.
    srl = units(srl_path) if os.path.exists(srl_path) else latin(sr)
    for key in sq:
        if key in sr and key in srl:
            rows.append((app, key[1], sq[key], sr[key], srl[key]))
rng.shuffle(rows)
docs = []
for i in range(0, len(rows) - LINES + 1, LINES):
    chunk = rows[i:i + LINES]
    cyrl = len(docs) % 2 == 0
    docs.append({
        'en': ['Municipality: Prishtina'] + [r[1] for r in chunk],
        'sq': ['Komuna: Prishtinë'] + [r[2] for r in chunk],
        'sr': (['Општина: Приштина'] if cyrl else ['Opština: Priština']) + [r[3] if cyrl else r[4] for r in chunk],
        'cyrl': cyrl,
    })

open(os.path.join(out, 'audit.toml'), 'w').write(
    '[length_limit]\nchars = 400\n\n'
    '[[custom_rules]]\nlang = "sq"\npattern = "\\\\be-mail\\\\b"\nmessage = "Write email in Albanian: postë elektronike"\n')

# --- injectors: each takes (doc, lang, i) and returns the new line or None ----------------
HOMO = {'a': 'а', 'e': 'е', 'o': 'о', 'p': 'р', 'c': 'с', 'x': 'х', 'y': 'у'}
HOMO_C = {v: k for k, v in HOMO.items()}
STRIP = {'sq': {'ë': 'e', 'Ë': 'E', 'ç': 'c', 'Ç': 'C'},
         'sr': {'č': 'c', 'ć': 'c', 'š': 's', 'ž': 'z', 'đ': 'dj', 'Č': 'C', 'Ć': 'C', 'Š': 'S', 'Ž': 'Z', 'Đ': 'Dj'}}

def is_cyrl(s): return sum('\u0400' <= c <= '\u04ff' for c in s) > 3
def words(line, n=3): return [m for m in re.finditer(r'\b[^\W\d_]{%d,}\b' % n, line)]

def text_words(line): return len(re.findall(r'(?<![\w%$])[^\W\d_]{2,}\b', line))
def neutral(d, i):
    """A line written alike in English and Albanian (a name, a code) has no language of its
    own, and a foreign name may keep its Latin spelling in Cyrillic Serbian."""
    return d['en'][i].strip().lower() == d['sq'][i].strip().lower()
def inj_untranslated(d, lang, i):
    other = 'sq' if lang == 'sr' else 'sr'
    return d[other][i] if text_words(d[other][i]) >= 3 and not neutral(d, i) else None
def inj_wrong_language(d, lang, i):
    return d['en'][i] if text_words(d['en'][i]) >= 3 and not neutral(d, i) else None
def inj_wrong_script(d, lang, i):
    line = d[lang][i]
    return to_lat(line) if lang == 'sr' and d['cyrl'] and is_cyrl(line) and len(line.split()) >= 2 and not neutral(d, i) else None
def inj_mixed_script(d, lang, i):
    line = d[lang][i]
    table = HOMO_C if is_cyrl(line) else HOMO
    ws = [m for m in words(line, 4) if any(c in table for c in m.group())]
    if not ws: return None
    m = rng.choice(ws); w = m.group()
    k = rng.choice([k for k, c in enumerate(w) if c in table])
    return line[:m.start()] + w[:k] + table[w[k]] + w[k + 1:] + line[m.end():]
def inj_missing_diacritics(d, lang, i):
    line = d[lang][i]
    if is_cyrl(line): return None
    s = ''.join(STRIP[lang].get(c, c) for c in line)
    return s if s != line else None
def inj_mojibake(d, lang, i):
    line = d[lang][i]
    try: m = line.encode('utf-8').decode('cp1252')
    except UnicodeDecodeError: return None
    return m if m != line else None
def inj_number(d, lang, i):
    line = d[lang][i]
    ms = list(re.finditer(r'(?<![%\w])\d+(?![\w$])', line))
    if not ms: return None
    m = rng.choice(ms)
    return line[:m.start()] + str(int(m.group()) + 3) + line[m.end():]
def inj_length_ratio(d, lang, i):
    line = d[lang][i]
    ws = line.split()
    if len(line) < 80 or len(ws) < 12: return None
    return ' '.join(ws[:len(ws) // 4]) + '.'
def inj_capitalization(d, lang, i):
    line = d[lang][i]
    m = re.match(r'^([^\w]*)(\w)', line)
    if not m or not m.group(2).isupper() or len(line.split()) < 3 or not line.rstrip().endswith(('.', '!', '?')): return None
    # "MATE" → "mATE" is not a sentence starting with a small letter.
    if any(c.isupper() for c in re.match(r'\w*', line[m.start(2):]).group()[1:]): return None
    k = m.start(2)
    return line[:k] + line[k].lower() + line[k + 1:]
def inj_whitespace(d, lang, i):
    line = d[lang][i]
    sp = [m.start() for m in re.finditer(r'(?<=\w) (?=\w)', line)]
    if not sp: return None
    k = rng.choice(sp)
    return line[:k] + '  ' + line[k + 1:]
def in_code(line, m):
    """True when the word is part of a code token (NAME[:TYPE], a path, an address)."""
    start = line.rfind(' ', 0, m.start()) + 1
    end = line.find(' ', m.end()); end = len(line) if end < 0 else end
    return not re.fullmatch(r"[^\W\d_][\w'’-]*[.,;:!?…]?", line[start:end])
def inj_repeated(d, lang, i):
    ws = [m for m in words(d[lang][i], 3) if not in_code(d[lang][i], m)]
    if not ws: return None
    m = rng.choice(ws); line = d[lang][i]
    return line[:m.end()] + ' ' + m.group() + line[m.end():]
def inj_bracket(d, lang, i):
    line = d[lang][i]
    if any(c in line for c in '()[]{}«»„“”"'): return None
    ws = [m for m in re.finditer(r'(?<= )[^\W\d_]{3,}\b', line)]
    if not ws: return None
    m = rng.choice(ws)
    return line[:m.start()] + '(' + line[m.start():]
def inj_end_punct(d, lang, i):
    s = d[lang][i].rstrip()
    if len(s.split()) < 3: return None
    if s.endswith('.') and not s.endswith('...'): return s[:-1] + '?'
    if s.endswith(('?', '!')): return s[:-1] + '.'
    if s[-1].isalnum(): return s + '.'
    return None
def inj_placeholder(d, lang, i):
    line = d[lang][i]
    ms = list(re.finditer(r'%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?l*[sdiuxXfgc]|%\([a-z_]+\)[sd]|\{\w*\}|<[a-z]+>', line))
    if not ms: return None
    m = rng.choice(ms)
    return line[:m.start()] + line[m.end():]
def inj_url(d, lang, i):
    line = d[lang][i]
    m = re.search(r'https?://[^\s<>"]+|[\w.+-]+@[\w-]+\.[\w.]+', line)
    if not m: return None
    return line[:m.start()] + 'https://example.org/other' + line[m.end():]
def inj_length_limit(d, lang, i):
    line = d[lang][i]
    if len(line) < 40: return None
    return ' '.join([line] * (400 // len(line) + 1))
def inj_custom(d, lang, i):
    if lang != 'sq': return None
    ws = words(d[lang][i], 4)
    if not ws: return None
    m = rng.choice(ws); line = d[lang][i]
    return line[:m.end()] + ' e-mail' + line[m.end():]

# kind: (injector, languages it applies to)
KINDS = {
    'missing-version': (None, ['sq', 'sr']),
    'missing-segment': (None, ['sq', 'sr']),
    'inconsistent-translation': (None, ['sq', 'sr']),
    'untranslated': (inj_untranslated, ['sq', 'sr']),
    'wrong-language': (inj_wrong_language, ['sq', 'sr']),
    'wrong-script': (inj_wrong_script, ['sr']),
    'mixed-script': (inj_mixed_script, ['sq', 'sr']),
    'missing-diacritics': (inj_missing_diacritics, ['sq', 'sr']),
    'mojibake': (inj_mojibake, ['sq', 'sr']),
    'number-mismatch': (inj_number, ['sq', 'sr']),
    'length-ratio': (inj_length_ratio, ['sq', 'sr']),
    'capitalization': (inj_capitalization, ['sq', 'sr']),
    'whitespace': (inj_whitespace, ['sq', 'sr']),
    'repeated-word': (inj_repeated, ['sq', 'sr']),
    'unpaired-brackets': (inj_bracket, ['sq', 'sr']),
    'end-punctuation': (inj_end_punct, ['sq', 'sr']),
    'placeholder-mismatch': (inj_placeholder, ['sq', 'sr']),
    'url-mismatch': (inj_url, ['sq', 'sr']),
    'length-limit': (inj_length_limit, ['sq', 'sr']),
    'custom-rule': (inj_custom, ['sq']),
}
only = os.environ.get('CHECKS')
if only:
    KINDS = {k: v for k, v in KINDS.items() if k in only.split(',')}

def inject(kind, base):
    """A copy of `base` with one defect of `kind`, and its label, or None."""
    fn, langs = KINDS[kind]
    d = {k: list(v) if isinstance(v, list) else v for k, v in base.items()}
    lang = rng.choice(langs)
    if kind == 'wrong-script' and not d['cyrl']: return None
    if kind == 'missing-version':
        d[lang] = []
        return d, {'check': kind, 'lang': lang, 'line': None}
    cand = list(range(1, len(d[lang])))
    rng.shuffle(cand)
    for i in cand:
        if kind == 'missing-segment':
            if len(d['en'][i].split()) < 3: continue
            del d[lang][i]
            return d, {'check': kind, 'lang': lang, 'line': i + 1, 'deleted': True}
        if kind == 'inconsistent-translation':
            # The same source again at the end, translated differently in one version.
            ws = words(d[lang][i], 4)
            if len(d['en'][i].split()) < 3 or len(ws) < 3: continue
            m = rng.choice(ws); changed = (d[lang][i][:m.start()] + d[lang][i][m.end():]).replace('  ', ' ').strip()
            for l in ('en', 'sq', 'sr'):
                d[l].append(changed if l == lang else d[l][i])
            return d, {'check': kind, 'lang': lang, 'line': len(d[lang]), 'also': i + 1}
        new = fn(d, lang, i)
        if new is None or new == d[lang][i]: continue
        d[lang][i] = new
        return d, {'check': kind, 'lang': lang, 'line': i + 1}
    return None

cases = []  # (name, doc, label or None)
for n, doc in enumerate(docs):
    cases.append((f'clean{n:03}', doc, None))
for kind in KINDS:
    made, tries = 0, 0
    while made < per_kind and tries < 50 * per_kind:
        tries += 1
        base_n = rng.randrange(len(docs))
        r = inject(kind, docs[base_n])
        if r is None: continue
        d, label = r
        label['base'] = f'clean{base_n:03}'
        cases.append((f'{kind}-{made:02}', d, label)); made += 1

def audit(case):
    name, d, label = case
    args = [BIN, '--data-dir', os.path.join(out, 'data'), '--json', 'audit', '--no-history', '--config', os.path.join(out, 'audit.toml'), '--source', 'en']
    for lang in ('sq', 'sr', 'en'):
        if not d[lang]:
            continue
        path = os.path.join(out, 'docs', f'{name}.{lang}.txt')
        open(path, 'w').write('\n'.join(d[lang]) + '\n')
        args += ['--' + lang, path]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f'{name}: termbridge failed: {r.stderr}')
    return name, json.loads(r.stdout)['findings']

os.makedirs(os.path.join(out, 'docs'), exist_ok=True)
with ThreadPoolExecutor(max_workers=2) as pool:
    reports = dict(pool.map(audit, cases))

def key(f): return (f['check'], f['lang'], f.get('excerpt') or f.get('message'))
tp, fp, fn, clean, also = (collections.Counter() for _ in range(5))
misses, alarms = collections.defaultdict(list), collections.defaultdict(list)
for name, d, label in cases:
    if label is None:
        for f in reports[name]:
            clean[f['check']] += 1
        continue
    base = collections.Counter(key(f) for f in reports[label['base']])
    hit = None
    for f in reports[name]:
        if f['check'] != label['check'] or f['lang'] != label['lang']:
            continue
        line = f.get('line')
        if label['line'] is None or line == label['line'] or (label.get('deleted') and line is not None and abs(line - label['line']) <= 1) \
                or (label.get('also') and line == label['also']):
            hit = f; break
    (tp if hit else fn)[label['check']] += 1
    if not hit: misses[label['check']].append((name, label))
    for f in reports[name]:
        if f is hit: continue
        k = key(f)
        if base[k] > 0: base[k] -= 1; continue
        if f['check'] == label['check'] and f['lang'] == label['lang'] and hit is not None:
            continue  # a second finding for the same defect (e.g. the other end of a pair)
        if label['line'] is not None and f.get('line') is not None and abs(f['line'] - label['line']) <= (1 if label.get('deleted') else 0):
            also[(label['check'], f['check'])] += 1  # the same defect seen by another check
            continue
        fp[f['check']] += 1
        alarms[f['check']].append((name, f['lang'], f.get('line'), f.get('excerpt'), f.get('message')))

checks = sorted(set(tp) | set(fn) | set(fp) | set(clean), key=lambda c: list(KINDS).index(c) if c in KINDS else 99)
result = {'docs': len(docs), 'seed': seed, 'per_kind': per_kind, 'checks': {}}
print(f'{len(docs)} clean documents of {LINES} lines, seed {seed}')
print('| check | injected | found | false alarms | missed | precision | recall | findings on clean documents |')
print('|---|---:|---:|---:|---:|---:|---:|---:|')
for c in checks:
    t, p, n = tp[c], fp[c], fn[c]
    # A check with nothing injected (spelling: benches/spelling_eval.py) has no precision here.
    prec = f'{t / (t + p):.3f}' if t + p and t + n else '–'
    rec = f'{t / (t + n):.3f}' if t + n else '–'
    print(f'| {c} | {t + n} | {t} | {p} | {n} | {prec} | {rec} | {clean[c]} |')
    result['checks'][c] = {'tp': t, 'fp': p, 'fn': n, 'clean': clean[c]}
print('Defects also reported by another check at the same line:', dict(also) or 'none')
json.dump({'result': result, 'misses': misses, 'alarms': alarms}, open(os.path.join(out, 'score.json'), 'w'), ensure_ascii=False, indent=1)
print(f'details: {out}/score.json', file=sys.stderr)
