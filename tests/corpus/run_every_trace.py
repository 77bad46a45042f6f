#!/usr/bin/env python3
"""Runs tstat on every file of the shared trace corpus (malformed and gappy ones included) and
fails if any run crashes, hangs, exceeds its time budget, or leaves a log with a partial line.

    run_every_trace.py --tstat BIN --traces DIR [--budget 2.0] [--timeout 60]

GAPPY.txt traces (packets hours or years apart) must each finish within --budget seconds.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tstat", required=True)
    ap.add_argument("--traces", required=True)
    ap.add_argument("--budget", type=float, default=2.0)
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    gappy = set()
    gp = os.path.join(a.traces, "GAPPY.txt")
    if os.path.exists(gp):
        gappy = {l.strip() for l in open(gp) if l.strip()}
    files = []
    for root, dirs, names in os.walk(a.traces):
        dirs[:] = [d for d in dirs if d not in ("expected", "expected-tstat", "reference-conf")]
        for n in names:
            if n.endswith((".pcap", ".pcapng", ".gz", ".cap")):
                files.append(os.path.join(root, n))
    problems = []
    with tempfile.TemporaryDirectory(prefix="tstat-corpus.") as work:
        for i, path in enumerate(sorted(files)):
            rel = os.path.relpath(path, a.traces)
            out = os.path.join(work, str(i))
            start = time.monotonic()
            try:
                p = subprocess.run([a.tstat, "-s", out, path], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, timeout=a.timeout,
                                   env=dict(os.environ, TZ="UTC"))
                rc = p.returncode
                err = p.stderr.decode(errors="replace").strip().splitlines()
            except subprocess.TimeoutExpired:
                problems.append(f"{rel}: hang (> {a.timeout}s)")
                continue
            took = time.monotonic() - start
            if rc < 0 or rc > 1:
                problems.append(f"{rel}: exit status {rc} {err[-1:] }")
            if rel in gappy and took > a.budget:
                problems.append(f"{rel}: took {took:.2f}s (budget {a.budget}s)")
            for root, _, names in os.walk(out):
                for n in names:
                    if n.startswith("log_") and not n.endswith(".gz"):
                        data = open(os.path.join(root, n), "rb").read()
                        if data and not data.endswith(b"\n"):
                            problems.append(f"{rel}: {n} ends with a partial line")
            if rc == 1 and not err:
                problems.append(f"{rel}: failed without saying why")
    print(f"{len(files)} traces run, {len(problems)} problems")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
