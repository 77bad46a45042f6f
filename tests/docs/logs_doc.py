#!/usr/bin/env python3
"""docs/logs.md is made from the column tables (tstat --list-columns); this checks it is current.

    logs_doc.py --tstat BIN --doc docs/logs.md [--update]
"""
import argparse
import subprocess
import sys

HEADER = """# Log columns

Generated from the column tables of the code (`tstat --list-columns`); do not edit by hand:
run `python3 tests/docs/logs_doc.py --tstat build/release/tstat --doc docs/logs.md --update`.
Column names, order and formats are those of Tstat 3.3 (see `docs/differences.md` for the few
places where we deliberately differ). The TCP log is shown at its default detail level 15
(Core, End-to-end, P2P, Options, Layer-7 sets); `log_tcp_nocomplete` has the Core set only.
"""


def render(tsv):
    out = [HEADER]
    current = None
    for line in tsv.splitlines():
        log, idx, name, doc = line.split("\t", 3)
        if log != current:
            out.append(f"\n## {log}\n\n| # | column | meaning |\n|---|---|---|")
            current = log
        out.append(f"| {idx} | `{name}` | {doc} |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tstat", required=True)
    ap.add_argument("--doc", required=True)
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    tsv = subprocess.run([a.tstat, "--list-columns"], check=True, capture_output=True,
                         text=True).stdout
    text = render(tsv)
    if a.update:
        open(a.doc, "w").write(text)
        return 0
    try:
        current = open(a.doc).read()
    except OSError:
        current = ""
    if current != text:
        print(f"{a.doc} is out of date: run this script with --update")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
