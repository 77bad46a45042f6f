#!/usr/bin/env python3
"""Golden test: run tstat on a trace and compare every file it writes with the expected ones.

    check_golden.py --tstat BIN --trace FILE --expected DIR [--update] -- [tstat options]

The output folder's single time directory is compared file by file, byte for byte, with
DIR (which holds the log files of one time directory). --update (or TSTAT_GOLDEN_UPDATE=1)
rewrites DIR instead, so the change can be reviewed with git diff.
"""
import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tstat", required=True)
    ap.add_argument("--trace", required=True)
    ap.add_argument("--expected", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("rest", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    update = a.update or os.environ.get("TSTAT_GOLDEN_UPDATE") == "1"
    extra = [x for x in a.rest if x != "--"]
    work = tempfile.mkdtemp(prefix="tstat-golden.")
    try:
        out = os.path.join(work, "out")
        env = dict(os.environ, TZ="UTC")
        p = subprocess.run([a.tstat] + extra + ["-s", out, a.trace], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            print(p.stdout, p.stderr)
            print(f"tstat exited with {p.returncode}")
            return 1
        dirs = [d for d in os.listdir(out) if d.endswith(".out")]
        if len(dirs) != 1:
            print(f"expected one time folder in {out}, found {dirs}")
            return 1
        got_dir = os.path.join(out, dirs[0])
        got = sorted(os.listdir(got_dir))
        if update:
            shutil.rmtree(a.expected, ignore_errors=True)
            shutil.copytree(got_dir, a.expected)
            with open(os.path.join(a.expected, "TIME_DIR"), "w") as f:
                f.write(dirs[0] + "\n")
            print(f"updated {a.expected}")
            return 0
        want = sorted(x for x in os.listdir(a.expected) if x != "TIME_DIR")
        failed = False
        with open(os.path.join(a.expected, "TIME_DIR")) as f:
            if f.read().strip() != dirs[0]:
                print(f"time folder {dirs[0]}, expected {f.read().strip()}")
                failed = True
        if got != want:
            print(f"files differ: got {got}, expected {want}")
            failed = True
        for name in want:
            path = os.path.join(got_dir, name)
            if not os.path.exists(path):
                continue
            exp = open(os.path.join(a.expected, name)).read().splitlines()
            cur = open(path).read().splitlines()
            if exp != cur:
                failed = True
                print(f"--- {name} differs:")
                for line in list(difflib.unified_diff(exp, cur, "expected", "got", lineterm=""))[:40]:
                    print(line)
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
