"""Evaluates the audit's missing-diacritics check on real translated catalogues.

Usage: python3 benches/missing_diacritics_eval.py DIR LABEL
  DIR holds PO files named NAME.sq.po (Albanian) or NAME.srl.po (Serbian Latin; the header's
  Language set to sr-Latn), e.g. decompiled with `msgunfmt` from Debian packages.
  TERMBRIDGE_BIN names the binary (default target/release/termbridge); TERMBRIDGE_DICT_DIR
  points it at other dictionaries (a missing directory turns them off).

Reports the check's findings on the clean catalogues (false alarms, per 1,000 words of
translation), and recall on copies where every 4th unit with a marked letter has all its
diacritics stripped (a unit counts as found when a finding names it). MISSED=1 lists the
stripped units not found."""
import json, glob, os, re, subprocess, sys, tempfile
from translate.storage import po
BIN = os.environ.get('TERMBRIDGE_BIN', 'target/release/termbridge')
root, label = sys.argv[1], sys.argv[2]

STRIP = str.maketrans({'ë':'e','Ë':'E','ç':'c','Ç':'C','č':'c','Č':'C','ć':'c','Ć':'C','š':'s','Š':'S','ž':'z','Ž':'Z','đ':'dj','Đ':'Dj'})
def run(path, flag):
    out = subprocess.run([BIN, '--data-dir', os.path.join(tempfile.gettempdir(), 'tb-md-eval'), '--json', 'audit', flag, path, '--no-history'], capture_output=True, text=True)
    return json.loads(out.stdout)

missed_units = []; misaligned = 0
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
    # A finding names its unit by number (the catalogue's units after the header, in order):
    # a stripped unit is found when a finding names it. Matching by excerpt instead would
    # credit one finding to the first of several stripped units sharing a word, and a real
    # defect of an untouched unit to a stripped one.
    clean_units = [u for u in po.pofile.parsefile(path).units if not u.isheader()]
    inj_units = [u for u in po.pofile.parsefile(inj_path).units if not u.isheader()]
    stripped = {idx for idx, (a, b) in enumerate(zip(clean_units, inj_units)) if str(a.target) != str(b.target)}
    injected += len(stripped)
    hits = [f for f in r2['findings'] if f['check'] == 'missing-diacritics' and f['lang'] == lang]
    clean_lines = {f[1] for f in fa if f[0] == os.path.basename(path)}
    matched = set()
    for f in hits:
        idx = (f['line'] or 0) - 1
        if 0 <= idx < len(inj_units) and f['excerpt'] and f['excerpt'] not in str(inj_units[idx].target):
            misaligned += 1
        if idx in stripped:
            matched.add(idx)
        elif f['line'] not in clean_lines:
            fp_inj += 1
    detected += len(matched)
    missed_units.extend((os.path.basename(path), str(inj_units[idx].target)) for idx in sorted(stripped - matched))
print(json.dumps({'set': root, 'lang': label, 'words': total_words, 'false_alarms_clean': len(fa), 'per_1000_words': round(1000 * len(fa) / max(total_words, 1), 3),
                  'injected_units': injected, 'detected': detected, 'recall': round(detected / max(injected, 1), 3), 'unmatched_findings_on_injected': fp_inj, 'misaligned_findings': misaligned}))
for x in fa: print('  FA', x)
if os.environ.get('MISSED'):
    for x in missed_units: print('  MISSED', x)
