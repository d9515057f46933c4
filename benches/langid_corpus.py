#!/usr/bin/env python3
"""Builds labelled sentences for benches/langid_eval.rs from gettext catalogues.

Reads the catalogues (.mo) under LOCALE_DIR/{sq,sr,sr@latin,bs,tr}/LC_MESSAGES, decompiles
them with msgunfmt (Debian package gettext) and writes `tag<TAB>sentence` lines to stdout:
the msgstr lines labelled sq, sr-Cyrl, sr-Latn, bs, tr and the msgid lines labelled en.
None of this text is committed.

    python3 benches/langid_corpus.py SPLIT [LOCALE_DIR] [PER_LANG] [EXCLUDE_DIR] > out.tsv

SPLIT is `tune` (only TUNE_DOMAINS: package tools, image loading, desktop settings),
`eval` (every other domain, minus lines the tune domains also have) or `all`. Lines that
also occur anywhere under EXCLUDE_DIR are dropped, so a set built from freshly downloaded
packages with EXCLUDE_DIR=/usr/share/locale shares no line with the catalogues used for
tuning. Name lists (languages, countries, keyboard layouts, time zones, locations) are left
out: they are not sentences.
"""
import glob
import os
import random
import re
import subprocess
import sys

SPLIT = sys.argv[1] if len(sys.argv) > 1 else "eval"
LOCALE_DIR = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/locale"
PER_LANG = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
TUNE_DOMAINS = {"apt", "dpkg", "libapt-pkg6.0", "PackageKit", "appstream", "avahi", "gdk-pixbuf", "gsettings-desktop-schemas"}
LOCALES = {"sq": "sq", "sr": "sr-Cyrl", "sr@latin": "sr-Latn", "bs": "bs", "tr": "tr"}
SKIP_DOMAINS = re.compile(r"^(iso_|xkeyboard-config)|-(timezones|locations)$")
EXCLUDE_DIR = sys.argv[4] if len(sys.argv) > 4 else None
PLACEHOLDER = re.compile(r"%(\d+\$)?[-#0 +']*\d*(\.\d+)?[hlLqjzt]*[a-zA-Z%]|%\([a-z_]+\)[sd]|\{[0-9a-z_]*\}|<[^>]+>|&[a-z]+;")


def unescape(s):
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": ""}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), s)


def parse_po(text):
    """Yields (msgid, [msgstr...]) pairs from msgunfmt output."""
    entries, current, key = [], {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if current:
                entries.append(current)
                current, key = {}, None
            continue
        m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+"(.*)"$', line)
        if m:
            key = m.group(1)
            current[key] = m.group(3)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
    if current:
        entries.append(current)
    for entry in entries:
        msgid = entry.get("msgid", "")
        strs = [v for k, v in entry.items() if k.startswith("msgstr")]
        if msgid:
            yield unescape(msgid), [unescape(s) for s in strs]


def clean_lines(s):
    s = PLACEHOLDER.sub(" ", s).replace("_", "")
    for line in s.split("\n"):
        line = " ".join(line.split())
        if sum(c.isalpha() for c in line) >= 3 and "\t" not in line:
            yield line


def read_pools(locale_dir):
    """pools[split][tag]: the lines of the tune and of the other ("eval") domains."""
    tags = list(LOCALES.values()) + ["en"]
    pools = {split: {tag: set() for tag in tags} for split in ("tune", "eval")}
    for locale, tag in LOCALES.items():
        for mo in sorted(glob.glob(os.path.join(locale_dir, locale, "LC_MESSAGES", "*.mo"))):
            domain = os.path.basename(mo)[: -len(".mo")]
            if SKIP_DOMAINS.search(domain):
                continue
            split = "tune" if domain in TUNE_DOMAINS else "eval"
            po = subprocess.run(["msgunfmt", mo], capture_output=True, text=True, errors="replace").stdout
            for msgid, msgstrs in parse_po(po):
                source_lines = set(clean_lines(msgid))
                pools[split]["en"].update(source_lines)
                for msgstr in msgstrs:
                    for line in clean_lines(msgstr):
                        # An untranslated line is English, whatever the catalogue says.
                        if line not in source_lines:
                            pools[split][tag].add(line)
    return pools


def main():
    pools = read_pools(LOCALE_DIR)
    excluded = read_pools(EXCLUDE_DIR) if EXCLUDE_DIR else None
    english = pools["tune"]["en"] | pools["eval"]["en"]
    rng = random.Random(42)
    for tag in pools["tune"]:
        if SPLIT == "all":
            pool = pools["tune"][tag] | pools["eval"][tag]
        elif SPLIT == "eval":
            # A line the tune split also has is not held out.
            pool = pools["eval"][tag] - pools["tune"][tag]
        else:
            pool = set(pools["tune"][tag])
        if tag != "en":
            # Lines that also occur as English source text anywhere are ambiguous: drop them.
            pool -= english
        if excluded:
            pool -= excluded["tune"][tag] | excluded["eval"][tag]
        lines = sorted(pool)
        rng.shuffle(lines)
        for line in lines[:PER_LANG]:
            print(f"{tag}\t{line}")
        print(f"{tag}: {len(pool)} distinct lines, {min(len(pool), PER_LANG)} written", file=sys.stderr)


if __name__ == "__main__":
    main()
