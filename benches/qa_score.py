#!/usr/bin/env python3
"""Scores the QA checks on documents made by benches/qa_inject.py.

Usage: qa_score.py LABELS.tsv REPORT_DIR BASELINE_DIR
REPORT_DIR holds NAME.json per injected document; BASELINE_DIR holds CASE.json, the reports of
the documents before injection. A finding that the clean document already had (same check,
language and line) is counted apart, not as a false alarm of the injection.
"""
import collections
import json
import sys

labels, reports, baseline = sys.argv[1], sys.argv[2], sys.argv[3]
checks = ['placeholder-mismatch', 'url-mismatch', 'end-punctuation', 'whitespace', 'unpaired-brackets',
          'repeated-word', 'capitalization', 'inconsistent-translation']
tp, fp, fn, before = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
for row in open(labels, encoding='utf-8'):
    name, line, kind = row.rstrip('\n').split('\t')
    line = int(line)
    # NAME is [sSEED-]CASE-CHECK: the case is its first all-digit part.
    case = next(part for part in name.split('-') if part.isdigit())
    base = {(f['check'], f['lang'], f['line']) for f in json.load(open(f'{baseline}/{case}.json'))['findings']}
    hit = False
    for f in json.load(open(f'{reports}/{name}.json'))['findings']:
        if f['check'] not in checks:
            continue
        if f['check'] == kind and f['lang'] == 'sr' and f['line'] == line:
            hit = True
        elif (f['check'], f['lang'], f['line']) in base:
            before[f['check']] += 1
        else:
            fp[f['check']] += 1
    (tp if hit else fn)[kind] += 1
print('| check | injected | tp | fp | fn | precision | recall | already in the clean document |')
print('|---|---|---|---|---|---|---|---|')
for c in checks:
    t, p, n = tp[c], fp[c], fn[c]
    prec = f'{t / (t + p):.3f}' if t + p else '–'
    rec = f'{t / (t + n):.3f}' if t + n else '–'
    print(f'| {c} | {t + n} | {t} | {p} | {n} | {prec} | {rec} | {before[c]} |')
