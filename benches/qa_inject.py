#!/usr/bin/env python3
"""Injects one QA defect per copy into the Serbian version of clean audit documents
(benches/qa_score.py scores the audit reports).
Usage: qa_inject.py SRC_DIR OUT_DIR SEED CASES...  Writes OUT/labels.tsv: case, line, check."""
import random, re, sys, shutil, os
src, out, seed, cases = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
rng = random.Random(seed)
os.makedirs(out, exist_ok=True)
labels = []
def lower_first(line):
    m = re.match(r'^([^\w]*)(\w)', line)
    if not m or not m.group(2).isupper() or len(line.split()) < 3 or not line.rstrip().endswith(('.', '!', '?')):
        return None
    i = m.start(2)
    return line[:i] + line[i].lower() + line[i+1:]
def double_space(line):
    spaces = [m.start() for m in re.finditer(r'(?<=\w) (?=\w)', line)]
    if not spaces: return None
    i = rng.choice(spaces); return line[:i] + '  ' + line[i+1:]
def repeat_word(line):
    words = [m for m in re.finditer(r'\b\w{3,}\b', line) if not m.group().isdigit()]
    if not words: return None
    m = rng.choice(words); return line[:m.end()] + ' ' + m.group() + line[m.end():]
def open_bracket(line):
    words = [m for m in re.finditer(r'(?<= )\w{3,}\b', line)]
    if not words or any(c in line for c in '()[]'): return None
    m = rng.choice(words); return line[:m.start()] + '(' + line[m.start():]
def end_punct(line):
    s = line.rstrip()
    if len(s.split()) < 3: return None
    if s.endswith('.'): return s[:-1] + '?'
    if s.endswith(('?', '!', ':')): return s[:-1] + '.'
    return s + '.'
def placeholder(line):
    m = re.search(r'%\([a-z_]+\)[sd]|%[sd]|\{\w*\}', line)
    if m: return line[:m.start()] + line[m.end():]
    return None
def url(line):
    m = re.search(r'https?://\S+|\S+@\S+\.\w+', line)
    if m: return line[:m.start()] + 'https://example.org/x' + line[m.end():]
    return None
kinds = [('capitalization', lower_first), ('whitespace', double_space), ('repeated-word', repeat_word),
         ('unpaired-brackets', open_bracket), ('end-punctuation', end_punct), ('placeholder-mismatch', placeholder), ('url-mismatch', url)]
n = 0
for case in cases:
    lines = open(f'{src}/{case}.sr.txt').read().split('\n')
    for kind, fn in kinds:
        cands = list(range(1, len(lines)))  # never the header line
        rng.shuffle(cands)
        for idx in cands:
            if not lines[idx].strip(): continue
            new = fn(lines[idx])
            if new is None or new == lines[idx]: continue
            n += 1
            name = f'{case}-{kind}'
            for l in ('sq', 'en'):
                shutil.copy(f'{src}/{case}.{l}.txt', f'{out}/{name}.{l}.txt')
            copy = list(lines); copy[idx] = new
            open(f'{out}/{name}.sr.txt', 'w').write('\n'.join(copy))
            labels.append((name, idx + 1, kind))
            break
with open(f'{out}/labels.tsv', 'w') as f:
    for name, line, kind in labels: f.write(f'{name}\t{line}\t{kind}\n')
print(n, 'documents', file=sys.stderr)
