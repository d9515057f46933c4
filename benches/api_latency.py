#!/usr/bin/env python3
"""Latency of the /api/v1 routes over HTTP on 127.0.0.1, one client, sequential requests.

Usage: python3 benches/api_latency.py [BINARY] [ROWS] [REQUESTS]
  BINARY    the termbridge binary (default: $CARGO_TARGET_DIR/release/termbridge or target/release/termbridge)
  ROWS      synthetic en->sq translation units imported first (default 20000)
  REQUESTS  timed requests per route after 20 warm-up requests (default 200)

It makes a temporary data directory, imports the units with `termbridge import`, starts
`termbridge serve` on a free loopback port (the shipped term base and gazetteer load on first
start), times each route and prints a Markdown table, then stops the service. Only 127.0.0.1
is contacted; every loop is bounded.
"""

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

WORDS = "komuna vendimi neni kuvendi prishtinë kryetari buxheti decision article municipality assembly mayor budget the of on".split()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={"content-type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=60) as response:
        return response.status, response.read()


def main():
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(target, "release", "termbridge")
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.tsv")
        sentences = []
        with open(corpus, "w", encoding="utf-8") as out:
            out.write("id\tsrc\ttgt\n")
            for row in range(rows):
                src = " ".join(rng.choice(WORDS) for _ in range(8)) + f" {row}"
                tgt = " ".join(rng.choice(WORDS) for _ in range(8)) + f" {row}"
                sentences.append(src)
                out.write(f"r{row}\t{src}\t{tgt}\n")
        data = os.path.join(tmp, "data")
        subprocess.run([binary, "--data-dir", data, "import", corpus, "--src", "en", "--tgt", "sq"], check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen([binary, "--data-dir", data, "serve", "--addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if request(base, "GET", "/readyz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            queries = [s.replace(" 1", " 2", 1) for s in rng.sample(sentences, 50)]
            routes = [
                ("GET /api/v1/search?q=…", lambda i: ("GET", "/api/v1/search?" + urllib.parse.urlencode({"q": queries[i % 50]}), None)),
                ("GET /api/v1/tm/match?q=…&source_lang=en", lambda i: ("GET", "/api/v1/tm/match?" + urllib.parse.urlencode({"q": queries[i % 50], "source_lang": "en", "target_lang": "sq"}), None)),
                ("POST /api/v1/tm/match", lambda i: ("POST", "/api/v1/tm/match", {"text": queries[i % 50], "source_lang": "en", "target_lang": "sq"})),
                ("GET /api/v1/tm/concordance?q=kuvendi", lambda i: ("GET", "/api/v1/tm/concordance?q=kuvendi&limit=50", None)),
                ("GET /api/v1/terms/lookup?q=opstini", lambda i: ("GET", "/api/v1/terms/lookup?q=opstini", None)),
                ("POST /api/v1/terms/scan (1 KB sq)", lambda i: ("POST", "/api/v1/terms/scan", {"text": "Kuvendi i Komunës miratoi buxhetin e komunës për vitin 2025. " * 16, "lang": "sq"})),
                ("GET /api/v1/places/lookup?q=u Uroševcu", lambda i: ("GET", "/api/v1/places/lookup?" + urllib.parse.urlencode({"q": "u Uroševcu"}), None)),
                ("POST /api/v1/places/check (1 KB sr)", lambda i: ("POST", "/api/v1/places/check", {"text": "Sastanak je održan u Ferizaju i u Prištini. " * 24, "lang": "sr-Latn"})),
                ("POST /api/v1/places/sign", lambda i: ("POST", "/api/v1/places/sign", {"text": "Zveçan / Zvecan", "municipality": "Zveçan"})),
                ("GET /api/v1/places/municipalities", lambda i: ("GET", "/api/v1/places/municipalities", None)),
                ("GET /api/v1/openapi.json", lambda i: ("GET", "/api/v1/openapi.json", None)),
            ]
            print(f"| route | requests | p50 ms | p95 ms | max ms |")
            print("|---|---:|---:|---:|---:|")
            for name, make in routes:
                for i in range(20):
                    request(base, *make(i))
                times = []
                for i in range(n):
                    method, path, body = make(i)
                    started = time.perf_counter()
                    status, _ = request(base, method, path, body)
                    times.append((time.perf_counter() - started) * 1000)
                    assert status == 200, (name, status)
                times.sort()
                p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
                print(f"| {name} | {n} | {statistics.median(times):.2f} | {p95:.2f} | {times[-1]:.2f} |")
            print()
            print("| export | what | seconds | MB |")
            print("|---|---|---:|---:|")
            for fmt in ["tmx", "tsv", "tbx"]:
                started = time.perf_counter()
                status, body = request(base, "GET", f"/api/v1/export?format={fmt}")
                elapsed = time.perf_counter() - started
                what = "the shipped term base" if fmt == "tbx" else f"{rows} units"
                print(f"| GET /api/v1/export?format={fmt} | {what} | {elapsed:.2f} | {len(body) / 1e6:.1f} |")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
