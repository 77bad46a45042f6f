#!/usr/bin/env python3
"""Runs tstat with the `rrd` profile of the shared corpus (REFERENCE.md) and compares
`rrdtool info` of every RRD it writes with the original Tstat's (without the filename and
cur_row lines, which the reference leaves out). Fails on any missing, extra or different file.

    check_rrd.py --tstat BIN --traces DIR [--keep DIR]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


def rrd_info(path):
    out = subprocess.run(["rrdtool", "info", path], check=True, capture_output=True,
                         text=True).stdout
    return [l for l in out.splitlines(keepends=True)
            if not l.startswith("filename") and "cur_row" not in l]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tstat", required=True)
    ap.add_argument("--traces", required=True)
    ap.add_argument("--keep")
    a = ap.parse_args()
    if shutil.which("rrdtool") is None:
        print("rrdtool not found (Debian package rrdtool, scripts/install-deps.sh)")
        return 1
    expected_root = os.path.join(a.traces, "expected-tstat", "rrd")
    conf = os.path.join(a.traces, "reference-conf")
    traces = sorted(os.path.join(c, t) for c in os.listdir(expected_root)
                    for t in os.listdir(os.path.join(expected_root, c)))
    work = a.keep or tempfile.mkdtemp(prefix="tstat-rrd-")
    total = equal = 0
    for tr in traces:
        out = os.path.join(work, tr)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        rrd_dir = os.path.join(out, "rrd")
        env = dict(os.environ, TZ="UTC")
        r = subprocess.run([a.tstat, "-T", os.path.join(conf, "runtime-rrd.conf"),
                            "-R", os.path.join(conf, "rrd-subset.conf"), "-r", rrd_dir,
                            "-s", os.path.join(out, "out"), os.path.join(a.traces, tr)],
                           env=env, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            print(f"{tr}: tstat exited {r.returncode}: {r.stderr.strip()}")
        exp_dir = os.path.join(expected_root, tr)
        expected = sorted(f[:-len(".info")] for f in os.listdir(exp_dir) if f.endswith(".info"))
        ours = sorted(f[:-len(".rrd")] for f in os.listdir(rrd_dir)) if os.path.isdir(rrd_dir) else []
        for extra in sorted(set(ours) - set(expected)):
            print(f"{tr}: extra file {extra}.rrd")
            total += 1
        same = 0
        for name in expected:
            total += 1
            exp = open(os.path.join(exp_dir, name + ".info")).readlines()
            path = os.path.join(rrd_dir, name + ".rrd")
            if not os.path.exists(path):
                print(f"{tr}: missing {name}.rrd")
                continue
            got = rrd_info(path)
            if got != exp:
                diff = [f"  want {e.rstrip()} / got {g.rstrip()}"
                        for e, g in zip(exp, got) if e != g][:3]
                print(f"{tr}: {name}.rrd differs\n" + "\n".join(diff))
                continue
            same += 1
        equal += same
        print(f"{tr}: {same}/{len(expected)} RRD files equal")
    print(f"rrd: {equal}/{total} files equal")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if total > 0 and equal == total else 1


if __name__ == "__main__":
    sys.exit(main())
