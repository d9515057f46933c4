"""Evaluates the audit's missing-diacritics check on real translated catalogues.

Usage: python3 benches/missing_diacritics_eval.py DIR LABEL
  DIR holds PO files named NAME.sq.po (Albanian) or NAME.srl.po (Serbian Latin; the header's
  Language set to sr-Latn), e.g. decompiled with `msgunfmt` from Debian packages.
  TERMBRIDGE_BIN names the binary (default target/release/termbridge); TERMBRIDGE_DICT_DIR
  points it at other dictionaries (a missing directory turns them off).

Reports the check's findings on the clean catalogues (false alarms, per 1,000 words of
translation), and recall on copies where every 4th unit with a marked letter has all its
diacritics stripped (a unit counts as found when a finding's excerpt lies in it)."""
import json, glob, os, re, subprocess, sys, tempfile
BIN = os.environ.get('TERMBRIDGE_BIN', 'target/release/termbridge')
root, label = sys.argv[1], sys.argv[2]

STRIP = str.maketrans({'ë':'e','Ë':'E','ç':'c','Ç':'C','č':'c','Č':'C','ć':'c','Ć':'C','š':'s','Š':'S','ž':'z','Ž':'Z','đ':'dj','Đ':'Dj'})
def run(path, flag):
    out = subprocess.run([BIN, '--data-dir', os.path.join(tempfile.gettempdir(), 'tb-md-eval'), '--json', 'audit', flag, path, '--no-history'], capture_output=True, text=True)
    return json.loads(out.stdout)

total_words = 0; fa = []; injected = 0; detected = 0; fp_inj = 0
for path in sorted(glob.glob(os.path.join(root, '*.%s.po' % label))):
    flag = '--sq' if label == 'sq' else '--sr'
    lang = 'sq' if label == 'sq' else 'sr'
    text = open(path, encoding='utf-8').read()
    for m in re.findall(r'msgstr(?:\[\d\])? "(.*)"', text):
        total_words += len(m.split())
    r = run(path, flag)
    for f in r['findings']:
        if f['check'] == 'missing-diacritics' and f['lang'] == lang:
            fa.append((os.path.basename(path), f['line'], f['message']))
    # injected copy: strip diacritics from every 4th entry whose msgstr has a marked letter
    entries = text.split('\n\n')
    marked_idx = []
    out_entries = []
    n_marked = 0
    for e in entries:
        m = re.search(r'\nmsgstr "(.*)"', '\n' + e)
        if m and re.search('[ëçčćšžđËÇČĆŠŽĐ]', m.group(1)) and e.startswith('msgid "') and 'msgid ""' not in e[:9]:
            n_marked += 1
            if n_marked % 4 == 0:
                e = re.sub(r'(msgstr(?:\[\d\])? ")(.*)(")', lambda mm: mm.group(1) + mm.group(2).translate(STRIP) + mm.group(3), e)
                marked_idx.append(e.split('\n')[0])
        out_entries.append(e)
    inj_path = os.path.join(tempfile.gettempdir(), 'md_inj.' + os.path.basename(path))
    open(inj_path, 'w', encoding='utf-8').write('\n\n'.join(out_entries))
    r2 = run(inj_path, flag)
    # map finding excerpts back: compare the finding's excerpt with stripped entries
    stripped_texts = {}
    for e in out_entries:
        if e.split('\n')[0] in marked_idx:
            m = re.search(r'\nmsgstr "(.*)"', '\n' + e)
            stripped_texts[e.split('\n')[0]] = m.group(1)
    injected += len(marked_idx)
    hits = [f for f in r2['findings'] if f['check'] == 'missing-diacritics' and f['lang'] == lang]
    matched = set()
    for f in hits:
        ok = False
        for key, t in stripped_texts.items():
            if f['excerpt'] and f['excerpt'] in t.replace('\\"', '"'):
                matched.add(key); ok = True; break
        if not ok:
            fp_inj += 1
    detected += len(matched)
print(json.dumps({'set': root, 'lang': label, 'words': total_words, 'false_alarms_clean': len(fa), 'per_1000_words': round(1000 * len(fa) / max(total_words, 1), 3),
                  'injected_units': injected, 'detected': detected, 'recall': round(detected / max(injected, 1), 3), 'unmatched_findings_on_injected': fp_inj}))
for x in fa[:30]: print('  FA', x)
