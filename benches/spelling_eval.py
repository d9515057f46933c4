#!/usr/bin/env python3
"""Evaluates the audit's spelling check on real translated catalogues.

Usage: python3 benches/spelling_eval.py DIR [OUT_DIR]
  DIR holds PO files named NAME.sq.po (Albanian), NAME.sr.po (Serbian Cyrillic) and
  NAME.srl.po (Serbian Latin, the header's Language sr@latin), e.g. decompiled with `msgunfmt`
  from Debian packages; the English msgid is the source. Each catalogue is audited as a
  bilingual file (`termbridge audit --sq FILE` or `--sr FILE`), as
  benches/missing_diacritics_eval.py does.
  TERMBRIDGE_BIN names the binary (default target/release/termbridge); TERMBRIDGE_DICT_DIR
  points it at other dictionaries. SEED (default 7) seeds the typo generator.
  OUT_DIR (default a temporary folder) receives flagged.tsv: every word flagged on the clean
  catalogues, with its segment, to classify by hand (real misspelling or false alarm).

1. Clean catalogues: spelling findings per 1,000 words of translated text (the words of the
   msgstr the reader takes: the first plural form), per language.
2. Injected typos: in every 4th translated unit that has a word of five letters or more
   (letters only, outside markup and placeholders), one such word chosen at random gets one
   typo (swap two neighbouring letters, drop one, double one, or replace one with another
   letter of the text's alphabet). A typo is found when a spelling finding on that unit's
   block points at the changed word. Findings the clean catalogue already had (same line and
   excerpt) are set aside; any other finding on the injected copy is a false positive.
"""
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile

from translate.storage import po

BIN = os.environ.get('TERMBRIDGE_BIN', 'target/release/termbridge')
SEED = int(os.environ.get('SEED', '7'))
LABELS = {'sq': ('--sq', 'sq'), 'sr': ('--sr', 'sr-Cyrl'), 'srl': ('--sr', 'sr-Latn')}
ALPHABET = {
    'sq': 'abcçdeëfghijklmnopqrstuvxyz',
    'sr-Latn': 'abcčćdđefghijklmnoprsštuvzž',
    'sr-Cyrl': 'абвгдђежзијклљмнњопрстћуфхцчџш',
}
CODE = re.compile(r'<[^>]*>|%\(?\w*\)?[a-zA-Z]|%\d|\{[^}]*\}|\S*[/@_.:=\\]\S*[\w]|&\w+;|\S*&\S*')
WORD = re.compile(r'[^\W\d_]+')
TOKEN = re.compile(r"[\w'’&-]+")


def audit(path, flag, data):
    out = subprocess.run([BIN, '--data-dir', data, '--json', 'audit', flag, path, '--no-history'], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f'{path}: termbridge exited {out.returncode}: {out.stderr}')
    return json.loads(out.stdout)


def blocks(store):
    """(block line, unit) of the units the bilingual reader numbers: every entry but the header."""
    numbered = [unit for unit in store.units if not unit.isheader() and not unit.isobsolete() and unit.source]
    return [(idx + 1, unit) for idx, unit in enumerate(numbered)]


def target(unit):
    text = unit.target
    if hasattr(text, 'strings'):
        text = text.strings[0]
    return str(text or '')


def words(text):
    return [w for w in TOKEN.findall(text) if any(c.isalpha() for c in w)]


def typo(word, alphabet, rng):
    """One typo in `word`, never the word itself."""
    for _ in range(20):
        kind = rng.choice(['swap', 'drop', 'double', 'replace'])
        i = rng.randrange(1, len(word) - 1) if kind != 'double' else rng.randrange(0, len(word))
        if kind == 'swap':
            new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif kind == 'drop':
            new = word[:i] + word[i + 1:]
        elif kind == 'double':
            new = word[:i] + word[i] + word[i:]
        else:
            c = rng.choice([a for a in alphabet if a != word[i].lower()])
            new = word[:i] + (c.upper() if word[i].isupper() else c) + word[i + 1:]
        if new != word and new.lower() != word.lower():
            return kind, new
    return None


def main():
    root = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix='spelling-eval-')
    os.makedirs(out_dir, exist_ok=True)
    data = os.path.join(tempfile.gettempdir(), 'tb-spelling-eval')
    rng = random.Random(SEED)
    total_words = collections.Counter()
    flagged = collections.Counter()
    injected = collections.Counter()
    found = collections.Counter()
    false_pos = collections.Counter()
    missed = collections.defaultdict(list)
    rows = []
    for name in sorted(os.listdir(root)):
        m = re.match(r'(.+)\.(sq|sr|srl)\.po$', name)
        if not m:
            continue
        flag, tag = LABELS[m.group(2)]
        path = os.path.join(root, name)
        store = po.pofile.parsefile(path)
        numbered = blocks(store)
        texts = {line: target(unit) for line, unit in numbered}
        for line, text in texts.items():
            total_words[tag] += len(words(' '.join(text.split())))
        lang = 'sq' if tag == 'sq' else 'sr'
        clean = [f for f in audit(path, flag, data)['findings'] if f['check'] == 'spelling' and f['lang'] == lang]
        flagged[tag] += len(clean)
        for f in clean:
            rows.append((tag, name, f['line'], f['excerpt'], (f.get('suggestion') or ''), ' '.join(texts.get(f['line'], '').split())))
        base = {(f['line'], f['excerpt']) for f in clean}
        # Inject one typo into every 4th translated unit with a word of 5 letters or more.
        changed = {}
        n_translated = 0
        for line, unit in numbered:
            text = target(unit)
            if not text or unit.isfuzzy():
                continue
            n_translated += 1
            if n_translated % 4:
                continue
            masked = CODE.sub(lambda mm: ' ' * len(mm.group(0)), text)
            candidates = [mm for mm in WORD.finditer(masked) if len(mm.group(0)) >= 5
                          and (mm.start() == 0 or not masked[mm.start() - 1].isalnum())
                          and (mm.end() == len(masked) or not masked[mm.end()].isalnum())]
            if not candidates:
                continue
            choice = rng.choice(candidates)
            made = typo(choice.group(0), ALPHABET[tag], rng)
            if not made:
                continue
            kind, new_word = made
            new_text = text[:choice.start()] + new_word + text[choice.end():]
            if hasattr(unit.target, 'strings') and len(unit.target.strings) > 1:
                strings = list(unit.target.strings)
                strings[0] = new_text
                unit.target = strings
            else:
                unit.target = new_text
            changed[line] = (new_word, kind)
        inj_path = os.path.join(out_dir, 'injected.' + name)
        with open(inj_path, 'wb') as fh:
            fh.write(bytes(store))
        hits = [f for f in audit(inj_path, flag, data)['findings'] if f['check'] == 'spelling' and f['lang'] == lang]
        got = set()
        for f in hits:
            if f['line'] in changed and f['excerpt'] == changed[f['line']][0]:
                got.add(f['line'])
            elif (f['line'], f['excerpt']) not in base:
                false_pos[tag] += 1
        injected[tag] += len(changed)
        found[tag] += len(got)
        for line, (new_word, kind) in changed.items():
            if line not in got:
                missed[tag].append((name, line, kind, new_word))
    with open(os.path.join(out_dir, 'flagged.tsv'), 'w', encoding='utf-8') as fh:
        for row in rows:
            fh.write('\t'.join(str(x) for x in row) + '\n')
    with open(os.path.join(out_dir, 'missed.tsv'), 'w', encoding='utf-8') as fh:
        for tag, items in missed.items():
            for item in items:
                fh.write('\t'.join([tag] + [str(x) for x in item]) + '\n')
    print(f'set {root}, seed {SEED}, flagged words in {out_dir}/flagged.tsv')
    print('| language | words | flagged | per 1,000 words | injected | found | recall | new findings (fp) | precision |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for tag in ['sq', 'sr-Cyrl', 'sr-Latn']:
        w, f, i, t, p = total_words[tag], flagged[tag], injected[tag], found[tag], false_pos[tag]
        rec = t / i if i else 0
        prec = t / (t + p) if t + p else 0
        print(f'| {tag} | {w} | {f} | {1000 * f / max(w, 1):.2f} | {i} | {t} | {rec:.3f} | {p} | {prec:.3f} |')


if __name__ == '__main__':
    main()
