#!/usr/bin/env python3
"""QUIC SNI of every QUIC flow nDPI reports in the corpus: nDPI, Tstat 3.3 and ours side by side.

For each `expected/**/*.ndpi.out` that lists a UDP flow of protocol 188 (QUIC), run our tstat with
the `full` profile on the capture, and read `quic_SNI` of the same endpoint pair from our
log_udp_complete and from the original Tstat's (expected-tstat/full, or the segments of a trace
too gappy to have a reference of its own). Prints a Markdown table.

--check fails (exit 1) when our quic_SNI differs from Tstat's, when a flow nDPI lists is missing
from our log, or when the set of flows where we disagree with nDPI differs from --known (a TSV
file: capture, client endpoint, reason), so every disagreement stays explained.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

FLOW_RE = re.compile(r"^\s*\d+\s+UDP\s+(\S+)\s+<?->\s+(\S+)\s+\[proto: ([0-9.]+)/([^\]]+)\]")


def split_endpoint(text):
    """'1.2.3.4:80' or '[::1]:80' -> ('1.2.3.4', '80')."""
    host, _, port = text.rpartition(":")
    return host.strip("[]"), port


def field(line, name):
    m = re.search(r"\[" + re.escape(name) + r": ([^\]]*)\]", line)
    return m.group(1) if m else None


def ndpi_quic_flows(path):
    flows = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = FLOW_RE.match(line)
            if not m or not m.group(3).split(".")[0] == "188":
                continue
            flows.append({
                "a": split_endpoint(m.group(1)),
                "b": split_endpoint(m.group(2)),
                "proto": m.group(4),
                "sni": field(line, "Hostname/SNI"),
                "ver": field(line, "QUIC ver"),
            })
    return flows


def udp_rows(folder):
    """{frozenset(endpoints): (client endpoint, quic_SNI, quic_c_vers, c_type)} from every log_udp_complete."""
    rows = {}
    for log in glob.glob(os.path.join(folder, "*", "log_udp_complete")):
        with open(log, encoding="utf-8", errors="replace") as f:
            header = None
            for line in f:
                cells = line.rstrip("\n").split(" ")
                if line.startswith("#"):
                    header = [c.split(":")[0].lstrip("#") for c in cells]
                    continue
                if header is None or len(cells) < len(header):
                    continue
                row = dict(zip(header, cells))
                client = (row["c_ip"], row["c_port"])
                server = (row["s_ip"], row["s_port"])
                rows[frozenset((client, server))] = (client, row["quic_SNI"], row["quic_c_vers"],
                                                        row["c_type"])
    return rows


def reference_rows(traces, capture):
    ref_root = os.path.join(traces, "expected-tstat", "full")
    whole = os.path.join(ref_root, capture)
    if os.path.isdir(whole):
        return udp_rows(whole)
    category, name = os.path.split(capture)
    stem, ext = os.path.splitext(name)
    pieces = glob.glob(os.path.join(ref_root, "segments", category, stem + ".seg*" + ext))
    if not pieces:
        return None
    rows = {}
    for piece in sorted(pieces):
        rows.update(udp_rows(piece))
    return rows


def run_ours(tstat, traces, capture, out):
    conf = os.path.join(traces, "reference-conf", "runtime-full.conf")
    env = dict(os.environ, TZ="UTC")
    subprocess.run([tstat, "-T", conf, "-s", out, os.path.join(traces, capture)], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=120)
    return udp_rows(out)


def shown(sni):
    if sni is None or sni == "-":
        return "—"
    return urllib.parse.unquote(sni)


def load_known(path):
    known = {}
    if path:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    capture, client, reason = line.rstrip("\n").split("\t", 2)
                    known[(capture, client)] = reason
    return known


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tstat", required=True)
    ap.add_argument("--traces", required=True, help="the shared trace folder")
    ap.add_argument("--known", help="TSV of expected disagreements with nDPI")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()

    known = load_known(args.known)
    expected_root = os.path.join(args.traces, "expected")
    problems = []
    seen = set()
    print("| Capture | Client → server | nDPI SNI (version) | Tstat 3.3 SNI | our SNI | our c_type, quic_c_vers "
          "| nDPI agrees | why not |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for ndpi in sorted(glob.glob(os.path.join(expected_root, "**", "*.ndpi.out"), recursive=True)):
            flows = ndpi_quic_flows(ndpi)
            if not flows:
                continue
            capture = os.path.relpath(ndpi, expected_root)[:-len(".ndpi.out")]
            if not os.path.exists(os.path.join(args.traces, capture)):
                continue
            ours = run_ours(args.tstat, args.traces, capture, os.path.join(tmp, capture))
            ref = reference_rows(args.traces, capture)
            for flow in flows:
                key = frozenset((flow["a"], flow["b"]))
                mine = ours.get(key)
                theirs = ref.get(key) if ref is not None else None
                client, server = flow["a"], flow["b"]
                if mine is not None and mine[0] == server:
                    client, server = server, client
                where = f"{client[0]}:{client[1]} → {server[0]}:{server[1]}"
                if mine is None:
                    problems.append(f"{capture} {where}: not in our log_udp_complete")
                    continue
                if theirs is not None and theirs[1] != mine[1]:
                    problems.append(f"{capture} {where}: ours {mine[1]!r}, Tstat {theirs[1]!r}")
                agree = shown(flow["sni"]) == shown(mine[1])
                ident = (capture, f"{client[0]}:{client[1]}")
                reason = known.get(ident, "")
                if not agree:
                    seen.add(ident)
                    if ident not in known:
                        problems.append(f"{capture} {where}: nDPI {flow['sni']!r}, ours {mine[1]!r}, "
                                        "not in the known list")
                version = f" ({flow['ver']})" if flow["ver"] else ""
                tstat_sni = shown(theirs[1]) if theirs else "no reference"
                print(f"| {capture} | {where} | {shown(flow['sni'])}{version} | {tstat_sni} | "
                      f"{shown(mine[1])} | {mine[3]}, {mine[2]} | {'yes' if agree else 'no'} | {reason} |")
    for ident in sorted(set(known) - seen):
        problems.append(f"{ident[0]} {ident[1]}: listed as a disagreement with nDPI, but we agree now")
    for p in problems:
        print("PROBLEM: " + p, file=sys.stderr)
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
