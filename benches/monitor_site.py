#!/usr/bin/env python3
"""A municipal website of N pages in Albanian, Serbian (Cyrillic) and English, written to a
directory and served on 127.0.0.1 with Last-Modified and ETag answers (304 on a conditional
request), for `benches/monitor.sh`.

Usage: monitor_site.py write DIR [--pages 1000] [--seed 5]
       monitor_site.py serve DIR PORT

Every notice exists in Albanian; one in ten has no Serbian version, one in twenty no English
one; versions name each other with hreflang alternates and a language switcher; section
indexes list 40 notices a page, so the whole site is three links deep.
"""
import argparse
import email.utils
import hashlib
import http.server
import os
import random
import sys

MONTHS = {
    "sq": ["janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator", "tetor", "nëntor", "dhjetor"],
    "sr": ["јануара", "фебруара", "марта", "априла", "маја", "јуна", "јула", "августа", "септембра", "октобра", "новембра", "децембра"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}
SECTION = {"sq": "njoftime", "sr": "obavestenja", "en": "news"}
TITLE = {"sq": "Njoftim", "sr": "Обавештење", "en": "Notice"}
SWITCH = {"sq": "Shqip", "sr": "Српски", "en": "English"}
BODY = {
    "sq": [
        "Komuna e Gjilanit njofton qytetarët se mbledhja e Kuvendit Komunal do të mbahet më {d} {m} {y} në orën {h}:00.",
        "Në rend dite janë {n} pika, përfshirë projektbuxhetin për vitin {y1} dhe raportin e punës së drejtorisë.",
        "Qytetarët mund të dërgojnë komentet e tyre deri më {d2} {m} {y} në zyrën e pritjes ose me postë elektronike.",
        "Takimi është i hapur për publikun dhe do të transmetohet drejtpërdrejt.",
    ],
    "sr": [
        "Општина Гњилане обавештава грађане да ће се седница Скупштине општине одржати {d}. {m} {y}. године у {h} часова.",
        "На дневном реду је {n} тачака, укључујући нацрт буџета за {y1}. годину и извештај о раду дирекције.",
        "Грађани могу да доставе своје коментаре до {d2}. {m} {y}. године у канцеларији за пријем или електронском поштом.",
        "Састанак је отворен за јавност и биће преношен уживо.",
    ],
    "en": [
        "The Municipality of Gjilan informs citizens that the session of the Municipal Assembly will be held on {d} {m} {y} at {h}:00.",
        "The agenda has {n} items, including the draft budget for {y1} and the work report of the directorate.",
        "Citizens may send their comments by {d2} {m} {y} to the reception office or by e-mail.",
        "The meeting is open to the public and will be streamed live.",
    ],
}
PER_INDEX = 40


def page(lang, title, paragraphs, alternates, switch):
    head = "".join(f'<link rel="alternate" hreflang="{l}" href="{u}">' for l, u in alternates)
    nav = " | ".join(f'<a href="{u}" hreflang="{l}">{SWITCH[l]}</a>' for l, u in switch)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head><body><nav>{nav}</nav><h1>{title}</h1>{body}</body></html>'


def write(directory, pages, seed):
    rng = random.Random(seed)
    # Each notice costs its versions; indexes and home pages are about 1 in 13 of the total.
    notices = []
    total = 3
    while True:
        has_sr, has_en = rng.random() >= 0.10, rng.random() >= 0.05
        cost = 1 + has_sr + has_en
        indexes = sum((len([n for n in notices if n[lang]]) + (lang == "sq" or (lang == "sr" and has_sr) or (lang == "en" and has_en)) + PER_INDEX - 1) // PER_INDEX for lang in ("sq", "sr", "en"))
        if total + sum(1 + n["sr"] + n["en"] for n in notices) + cost + indexes > pages:
            break
        notices.append({"sq": True, "sr": has_sr, "en": has_en})
    written = 0
    for lang in ("sq", "sr", "en"):
        os.makedirs(os.path.join(directory, lang, SECTION[lang]), exist_ok=True)
    for number, notice in enumerate(notices, 1):
        values = {"d": rng.randint(1, 28), "m": rng.randint(0, 11), "y": rng.choice([2024, 2025, 2026]), "h": rng.randint(8, 18), "n": rng.randint(3, 19)}
        values["y1"] = values["y"] + 1
        values["d2"] = min(values["d"] + 7, 28)
        langs = [l for l in ("sq", "sr", "en") if notice[l]]
        urls = {l: f"/{l}/{SECTION[l]}/{number}.html" for l in langs}
        for lang in langs:
            text = [p.format(**{**values, "m": MONTHS[lang][values["m"]]}) for p in BODY[lang]]
            html = page(lang, f"{TITLE[lang]} {number}", text, [(l, urls[l]) for l in langs], [(l, urls[l]) for l in langs if l != lang])
            with open(os.path.join(directory, urls[lang].lstrip("/")), "w", encoding="utf-8") as out:
                out.write(html)
            written += 1
    for lang in ("sq", "sr", "en"):
        numbers = [n for n, notice in enumerate(notices, 1) if notice[lang]]
        chunks = [numbers[i : i + PER_INDEX] for i in range(0, len(numbers), PER_INDEX)]
        for index, chunk in enumerate(chunks, 1):
            links = "".join(f'<li><a href="/{lang}/{SECTION[lang]}/{n}.html">{TITLE[lang]} {n}</a></li>' for n in chunk)
            html = page(lang, f"{TITLE[lang]} ({index})", [], [], [])
            html = html.replace("</body>", f"<ul>{links}</ul></body>")
            with open(os.path.join(directory, lang, f"index-{index}.html"), "w", encoding="utf-8") as out:
                out.write(html)
            written += 1
        links = "".join(f'<li><a href="/{lang}/index-{i}.html">{i}</a></li>' for i in range(1, len(chunks) + 1))
        home = page(lang, SWITCH[lang], [], [(l, f"/{l}/") for l in ("sq", "sr", "en")], [(l, f"/{l}/") for l in ("sq", "sr", "en") if l != lang])
        with open(os.path.join(directory, lang, "index.html"), "w", encoding="utf-8") as out:
            out.write(home.replace("</body>", f"<ul>{links}</ul></body>"))
        written += 1
    with open(os.path.join(directory, "index.html"), "w", encoding="utf-8") as out:
        out.write('<!doctype html><html lang="sq"><head><meta charset="utf-8"><title>Komuna</title></head><body>'
                  '<a href="/sq/">Shqip</a> <a href="/sr/">Српски</a> <a href="/en/">English</a></body></html>')
    written += 1
    print(f"{written} pages, {len(notices)} notices ({sum(not n['sr'] for n in notices)} without Serbian, {sum(not n['en'] for n in notices)} without English) in {directory}")


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with an ETag beside Last-Modified, both honoured on conditional requests."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if os.path.isfile(path):
            stat = os.stat(path)
            etag = '"%s"' % hashlib.blake2b(f"{stat.st_mtime_ns}-{stat.st_size}".encode(), digest_size=8).hexdigest()
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return None
            self._etag = etag
        return super().send_head()

    def end_headers(self):
        etag = getattr(self, "_etag", None)
        if etag:
            self.send_header("ETag", etag)
            self._etag = None
        super().end_headers()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("dir")
    w.add_argument("--pages", type=int, default=1000)
    w.add_argument("--seed", type=int, default=5)
    s = sub.add_parser("serve")
    s.add_argument("dir")
    s.add_argument("port", type=int)
    args = parser.parse_args()
    if args.command == "write":
        write(args.dir, args.pages, args.seed)
    else:
        os.chdir(args.dir)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
        print(f"serving {args.dir} on http://127.0.0.1:{args.port}/", file=sys.stderr, flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
