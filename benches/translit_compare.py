#!/usr/bin/env python3
"""Side-by-side comparison of Serbian transliterators on real sr / sr@latin catalogue pairs.

GNOME's Serbian team ships every catalogue twice, in Cyrillic (`sr`) and in Latin
(`sr@latin`). For each message translated in both, the pair is a reference for both
directions: Cyrillic→Latin must give the `sr@latin` string and Latin→Cyrillic the `sr` string,
exactly (case of digraphs, Latin words and markup left alone, n+j / d+ž exceptions).

Only pairs that really correspond are scored: both strings, lower-cased and reduced to a
script-neutral skeleton by the small table below (written here, shared by no tool), must be
equal. That drops stale or differently worded translations without favouring any tool.

Tools: termbridge (`termbridge text translit --stdin`, batch mode) and the PyPI packages
cyrtranslit, srtools and serbian-translit, each when importable.

Usage:
    python3 -m venv /tmp/tlenv && /tmp/tlenv/bin/pip install cyrtranslit srtools serbian-translit
    /tmp/tlenv/bin/python benches/translit_compare.py --fetch /tmp/catalogues \
        --termbridge target/release/termbridge [--failures /tmp/failures.tsv]

`--fetch DIR` downloads the Debian packages listed in PACKAGES with `apt-get download` into
DIR and unpacks them with `dpkg-deb -x` (run `apt-get update` once before). Without it,
`--root DIR` points at an unpacked tree holding usr/share/locale/{sr,sr@latin}/LC_MESSAGES.
Nothing downloaded belongs in the repository.
"""

from __future__ import annotations

import argparse
import gettext
import glob
import os
import re
import subprocess
import sys
import time
from collections import Counter

# Debian packages whose GNOME catalogues come in both sr and sr@latin: the set the rules were
# checked against (`--set tuning`).
PACKAGES = [
    "eog",
    "evince-common",
    "file-roller",
    "gedit-common",
    "gnome-control-center-data",
    "gnome-shell-common",
    "gnome-software-common",
    "libglib2.0-data",
    "libgtk-3-common",
    "nautilus-data",
    "totem-common",
]

# A held-out set (`--set heldout`): other GNOME catalogues of Debian 12, used only to measure,
# never to write or tune rules.
HELDOUT_PACKAGES = [
    "baobab", "cheese-common", "dconf-editor", "epiphany-browser-data", "evolution-common", "gnome-bluetooth-sendto",
    "gnome-boxes", "gnome-calculator", "gnome-calendar", "gnome-characters", "gnome-clocks", "gnome-contacts",
    "gnome-disk-utility", "gnome-font-viewer", "gnome-keyring", "gnome-logs", "gnome-maps", "gnome-music", "gnome-photos",
    "gnome-session-common", "gnome-settings-daemon-common", "gnome-sound-recorder", "gnome-system-monitor",
    "gnome-terminal-data", "gnome-text-editor", "gnome-tweaks", "gnome-weather", "gvfs-common", "libgnome-desktop-3-20",
    "libgtk-4-common", "mutter-common", "rhythmbox-data", "seahorse", "shotwell-common", "simple-scan",
    "tracker-miner-fs", "yelp",
]

# Script-neutral skeleton: Serbian Cyrillic (lower case) to Latin, used only to decide which
# pairs correspond. Case is dropped before, so digraph case cannot exclude a pair.
SKELETON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "č", "џ": "dž", "ш": "š",
}


def skeleton(text: str) -> str:
    return "".join(SKELETON.get(c, c) for c in text.lower())


def has_cyrillic(text: str) -> bool:
    return any(c in SKELETON for c in text.lower())


MIXED_WORD = re.compile(r"\w*(?:[a-zA-Z\u00c0-\u024f]\w*[\u0400-\u04ff]|[\u0400-\u04ff]\w*[a-zA-Z\u00c0-\u024f])\w*")


def has_mixed_word(text: str) -> bool:
    """A word with Latin and Cyrillic letters (a homoglyph typo such as "Стaњe") in a
    reference: no transliterator can reproduce it, so such pairs are not scored."""
    return MIXED_WORD.search(text) is not None


def fetch(dest: str, packages: list[str]) -> str:
    os.makedirs(dest, exist_ok=True)
    subprocess.run(["apt-get", "download", *packages], cwd=dest, check=True)
    root = os.path.join(dest, "root")
    for deb in sorted(glob.glob(os.path.join(dest, "*.deb"))):
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    return root


def load_pairs(root: str) -> list[tuple[str, str, str, str]]:
    """(catalogue, msgid, sr, sr@latin) for every message translated in both."""
    pairs = []
    cyrillic_dir = os.path.join(root, "usr/share/locale/sr/LC_MESSAGES")
    for cyrillic_mo in sorted(glob.glob(os.path.join(cyrillic_dir, "*.mo"))):
        latin_mo = cyrillic_mo.replace("/sr/LC_MESSAGES/", "/sr@latin/LC_MESSAGES/")
        if not os.path.exists(latin_mo):
            continue
        with open(cyrillic_mo, "rb") as fh:
            cyrillic = gettext.GNUTranslations(fh)._catalog
        with open(latin_mo, "rb") as fh:
            latin = gettext.GNUTranslations(fh)._catalog
        name = os.path.basename(cyrillic_mo)[:-3]
        for key, sr in cyrillic.items():
            if key == "" or key not in latin:
                continue
            sr_latin = latin[key]
            if isinstance(sr, str) and isinstance(sr_latin, str) and sr and sr_latin:
                pairs.append((name, repr(key), sr, sr_latin))
    return pairs


class Termbridge:
    """Runs `termbridge text translit --stdin` once per direction over all segments."""

    name = "termbridge"
    # Batch mode is one line in, one line out: segments are split at "\n" and carriage
    # returns are carried through a private-use character.
    CR = "\ue000"

    def __init__(self, binary: str, args: tuple[str, ...] = ()):
        self.binary = binary
        self.args = list(args)
        self.name = " ".join(["termbridge", *args])

    def batch(self, segments: list[str], to: str) -> list[str]:
        lines, counts = [], []
        for segment in segments:
            parts = segment.replace("\r", self.CR).split("\n")
            lines.extend(parts)
            counts.append(len(parts))
        stdin = "".join(line + "\n" for line in lines)
        result = subprocess.run(
            [self.binary, "text", "translit", "--stdin", "--to", to, *self.args],
            input=stdin.encode(), stdout=subprocess.PIPE, check=True,
        )
        out_lines = result.stdout.decode().split("\n")[: len(lines)]
        assert len(out_lines) == len(lines), "termbridge returned fewer lines"
        outputs, idx = [], 0
        for count in counts:
            outputs.append("\n".join(out_lines[idx : idx + count]).replace(self.CR, "\r"))
            idx += count
        return outputs

    def to_latin(self, segments):
        return self.batch(segments, "latn")

    def to_cyrillic(self, segments):
        return self.batch(segments, "cyrl")


class PythonTool:
    def __init__(self, name, to_latin, to_cyrillic):
        self.name = name
        self._to_latin = to_latin
        self._to_cyrillic = to_cyrillic

    def to_latin(self, segments):
        return [self._to_latin(s) for s in segments]

    def to_cyrillic(self, segments):
        return [self._to_cyrillic(s) for s in segments]


def python_tools() -> list[PythonTool]:
    tools = []
    try:
        import cyrtranslit

        tools.append(PythonTool(
            "cyrtranslit " + package_version("cyrtranslit"),
            lambda s: cyrtranslit.to_latin(s, "sr"), lambda s: cyrtranslit.to_cyrillic(s, "sr"),
        ))
    except ImportError:
        print("cyrtranslit not installed; skipped", file=sys.stderr)
    try:
        import srtools

        tools.append(PythonTool("srtools " + package_version("srtools"), srtools.cyrillic_to_latin, srtools.latin_to_cyrillic))
    except ImportError:
        print("srtools not installed; skipped", file=sys.stderr)
    try:
        from serbian_translit import srp

        tools.append(PythonTool("serbian-translit " + package_version("serbian-translit"), srp.to_lat, srp.to_cyr))
    except ImportError:
        print("serbian-translit not installed; skipped", file=sys.stderr)
    return tools


def package_version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return "?"


def score_cases(tools) -> None:
    """The hard cases of tests/data/text/translit_cases.tsv (termbridge's golden list)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "text", "translit_cases.tsv")
    with open(path, encoding="utf-8") as fh:
        next(fh)
        cases = [line.rstrip("\n").split("\t") for line in fh if line.strip()]
    both = [case for case in cases if case[2] == "both"]
    print()
    print(f"hard cases: {len(cases)} Latin→Cyrillic, {len(both)} Cyrillic→Latin (tests/data/text/translit_cases.tsv)")
    print("| tool | Latin→Cyrillic exact | Cyrillic→Latin exact |")
    print("|---|---:|---:|")
    for tool in tools:
        lc = sum(g == case[0] for g, case in zip(tool.to_cyrillic([case[1] for case in cases]), cases))
        cl = sum(g == case[1] for g, case in zip(tool.to_latin([case[0] for case in both]), both))
        print(f"| {tool.name} | {lc}/{len(cases)} | {cl}/{len(both)} |")


def score_places(path: str, tools) -> None:
    import csv

    golden = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "text",
                          "translit_gazetteer_mismatches.tsv")
    data_errors = set()
    if os.path.exists(golden):
        with open(golden, encoding="utf-8") as fh:
            next(fh, None)
            data_errors = {tuple(line.rstrip("\n").split("\t")[:2]) for line in fh if line.strip()}
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [(r["name_sr_latn"], r["name_sr_cyrl"]) for r in csv.DictReader(fh) if r["name_sr_latn"] and r["name_sr_cyrl"]]
    rows = [row for row in rows if row not in data_errors]
    latin = [row[0] for row in rows]
    cyrillic = [row[1] for row in rows]
    print()
    print(f"gazetteer: {len(rows)} rows with both scripts ({len(data_errors)} known data errors left out)")
    print("| tool | Latin→Cyrillic exact | Cyrillic→Latin exact |")
    print("|---|---:|---:|")
    for tool in tools:
        lc = sum(g == w for g, w in zip(tool.to_cyrillic(latin), cyrillic))
        cl = sum(g == w for g, w in zip(tool.to_latin(cyrillic), latin))
        print(f"| {tool.name} | {100.0 * lc / len(rows):.2f}% ({lc}) | {100.0 * cl / len(rows):.2f}% ({cl}) |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--fetch", metavar="DIR", help="download and unpack the Debian packages into DIR")
    source.add_argument("--root", metavar="DIR", help="an unpacked tree with usr/share/locale")
    parser.add_argument("--set", choices=["tuning", "heldout"], default="tuning",
                        help="which packages --fetch downloads: the tuning set or the held-out set")
    parser.add_argument("--termbridge", default="target/release/termbridge", help="the termbridge binary")
    parser.add_argument("--failures", metavar="TSV", help="write termbridge's failures here")
    parser.add_argument("--places", metavar="CSV", help="also score the gazetteer's name_sr_latn / name_sr_cyrl pairs "
                        "(rows listed in tests/data/text/translit_gazetteer_mismatches.tsv are data errors and left out)")
    args = parser.parse_args()

    root = fetch(args.fetch, HELDOUT_PACKAGES if args.set == "heldout" else PACKAGES) if args.fetch else args.root
    pairs = load_pairs(root)
    same_text = [p for p in pairs if skeleton(p[2]) == skeleton(p[3])]
    corresponding = [p for p in same_text if not has_mixed_word(p[2]) and not has_mixed_word(p[3])]
    with_cyrillic = [p for p in corresponding if has_cyrillic(p[2])]
    catalogues = sorted({p[0] for p in pairs})
    print(f"catalogues: {len(catalogues)} ({', '.join(catalogues)})")
    print(f"pairs translated in both: {len(pairs)}; same text in both scripts: {len(same_text)}; "
          f"minus {len(same_text) - len(corresponding)} whose reference has a mixed-script word: "
          f"{len(corresponding)} scored, of which {len(with_cyrillic)} with Cyrillic letters")

    # termbridge three ways: as shipped (dictionaries, codes kept), with codes transliterated as
    # the catalogues do, and by the rules alone.
    variants = [(), ("--codes", "translit"), ("--no-dict",)]
    tools = [Termbridge(args.termbridge, variant) for variant in variants] if os.path.exists(args.termbridge) else []
    if not tools:
        print(f"{args.termbridge} not found; termbridge skipped", file=sys.stderr)
    tools += python_tools()

    cyrillic = [p[2] for p in corresponding]
    latin = [p[3] for p in corresponding]
    rows = []
    failures = []
    for tool in tools:
        started = time.perf_counter()
        got_latin = tool.to_latin(cyrillic)
        latin_seconds = time.perf_counter() - started
        started = time.perf_counter()
        got_cyrillic = tool.to_cyrillic(latin)
        cyrillic_seconds = time.perf_counter() - started
        ok_latin = [g == want for g, want in zip(got_latin, latin)]
        ok_cyrillic = [g == want for g, want in zip(got_cyrillic, cyrillic)]
        hard = [has_cyrillic(p[2]) for p in corresponding]
        rows.append((
            tool.name,
            sum(ok_cyrillic), sum(o for o, h in zip(ok_cyrillic, hard) if h),
            sum(ok_latin), sum(o for o, h in zip(ok_latin, hard) if h),
            cyrillic_seconds, latin_seconds,
        ))
        if isinstance(tool, Termbridge):
            for pair, got, ok in zip(corresponding, got_cyrillic, ok_cyrillic):
                if not ok:
                    failures.append((tool.name, "lat→cyr", pair[0], pair[3], pair[2], got))
            for pair, got, ok in zip(corresponding, got_latin, ok_latin):
                if not ok:
                    failures.append((tool.name, "cyr→lat", pair[0], pair[2], pair[3], got))

    score_cases(tools)
    if args.places:
        score_places(args.places, tools)

    n, n_hard = len(corresponding), len(with_cyrillic)
    pct = lambda k, total: f"{100.0 * k / total:.2f}%" if total else "n/a"
    print()
    print(f"| tool | Latin→Cyrillic exact ({n} pairs) | … with Cyrillic letters ({n_hard}) "
          f"| Cyrillic→Latin exact ({n}) | … with Cyrillic letters ({n_hard}) | time lat→cyr / cyr→lat |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, lc, lc_hard, cl, cl_hard, lc_s, cl_s in rows:
        print(f"| {name} | {pct(lc, n)} ({lc}) | {pct(lc_hard, n_hard)} ({lc_hard}) "
              f"| {pct(cl, n)} ({cl}) | {pct(cl_hard, n_hard)} ({cl_hard}) | {lc_s:.2f} s / {cl_s:.2f} s |")
    print()
    print("versions: " + ", ".join(f"{p} {package_version(p)}" for p in ("cyrtranslit", "srtools", "serbian-translit")))
    if args.failures:
        with open(args.failures, "w") as fh:
            fh.write("tool\tdirection\tcatalogue\tinput\texpected\tgot\n")
            for row in failures:
                fh.write("\t".join(field.replace("\t", "\\t").replace("\n", "\\n") for field in row) + "\n")
        print(f"termbridge failures: {len(failures)} written to {args.failures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
