#!/usr/bin/env python3
"""tstat-web in headless Chromium: RRDs made by tstat from a trace of our own, the page loaded
from tstat-web, the plotted numbers read back from the page, a screenshot kept.

    check_web.py --tstat BIN --web tools/tstat-web/tstat-web --screenshot OUT.png

The trace: windows of 300 s, window k holds k + 1 TCP SYNs (new flows), closed by a lone ACK
exactly 300 s + 1 us after the previous close, so each update falls on a 300 s boundary and
each RRD point holds one window: L4_flow_number.idx0 = 2, 3, 4, 5, 6 for windows 1..5 (window
0's point is unknown: the database starts 10 s before its first update). Exit 77 (skipped)
when chromium or rrdtool is missing.
"""
import argparse
import html.parser
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

T0 = 1700000100  # a multiple of 300
WINDOWS = 6


def frame(src_port, flags):
    """Ethernet + IPv4 + TCP (20 bytes, no options) from 10.0.0.1 to 10.0.0.2:80."""
    tcp = struct.pack("!HHIIBBHHH", src_port, 80, 1000, 0, 5 << 4, flags, 65535, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    s = sum(struct.unpack("!10H", ip))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xFFFF) + ip[12:]
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip + tcp


def trace(path):
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]

    def packet(sec, usec, data):
        out.append(struct.pack("<IIII", sec, usec, len(data), len(data)) + data)

    packet(T0, 0, frame(40000, 0x10))                  # starts the clock, opens nothing
    port = 1000
    for k in range(WINDOWS):
        for i in range(k + 1):
            packet(T0 + 300 * k + 10, i * 1000, frame(port, 0x02))   # SYN: a new flow
            port += 1
        packet(T0 + 300 * (k + 1), k + 1, frame(40001, 0x10))       # closes window k
    with open(path, "wb") as f:
        f.write(b"".join(out))


class Dom(html.parser.HTMLParser):
    """Collects the plotted points per statistic and the bars of the distribution."""

    def __init__(self):
        super().__init__()
        self.stat = None
        self.points = {}
        self.bars = {}
        self.ready = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.ready = a.get("data-ready")
        if tag == "div" and "data-stat" in a:
            self.stat = a["data-stat"]
            self.points.setdefault(self.stat, {})
        if tag == "circle" and self.stat:
            self.points[self.stat][int(a["data-time"])] = float(a["data-value"])
        if tag == "rect" and "data-bin" in a:
            self.bars[a["data-bin"]] = float(a["data-value"])


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tstat", required=True)
    ap.add_argument("--web", required=True)
    ap.add_argument("--screenshot", required=True)
    a = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or shutil.which("rrdtool") is None:
        print("SKIP: chromium or rrdtool not installed (Debian packages chromium, rrdtool)")
        return 77
    tmp = tempfile.mkdtemp(prefix="tstat-web-")
    server = None
    try:
        trace(os.path.join(tmp, "t.pcap"))
        with open(os.path.join(tmp, "rrd.conf"), "w") as f:
            f.write("L4_flow_number avg idx:0,1\n")
        r = subprocess.run([a.tstat, "-R", os.path.join(tmp, "rrd.conf"), "-r",
                            os.path.join(tmp, "rrd"), "-s", os.path.join(tmp, "out"),
                            os.path.join(tmp, "t.pcap")], capture_output=True, text=True,
                           env=dict(os.environ, TZ="UTC"))
        if r.returncode != 0:
            print("tstat failed:", r.stderr)
            return 1
        port = free_port()
        server = subprocess.Popen([sys.executable, a.web, "--rrd", os.path.join(tmp, "rrd"),
                                   "--port", str(port)], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "api/list", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        url = base + "#L4_flow_number/hour"
        common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                  "--user-data-dir=" + os.path.join(tmp, "chromium"),
                  "--virtual-time-budget=10000", "--window-size=1100,800"]
        dom_text = subprocess.run(common + ["--dump-dom", url], capture_output=True,
                                  text=True, timeout=120).stdout
        shot = subprocess.run(common + ["--screenshot=" + os.path.abspath(a.screenshot), url],
                              capture_output=True, text=True, timeout=120)
        dom = Dom()
        dom.feed(dom_text)
        want_points = {T0 + 300 * (k + 1): float(k + 1) for k in range(1, WINDOWS)}
        want_bars = {"0": float(WINDOWS), "1": 0.0}
        failures = []
        if dom.ready != "1":
            failures.append(f"page not ready (data-ready={dom.ready})")
        if dom.points.get("idx0") != want_points:
            failures.append(f"idx0 plot: want {want_points}, page shows {dom.points.get('idx0')}")
        if dom.points.get("idx1") != {t: 0.0 for t in want_points}:
            failures.append(f"idx1 plot: page shows {dom.points.get('idx1')}")
        if dom.bars != want_bars:
            failures.append(f"distribution: want {want_bars}, page shows {dom.bars}")
        if not os.path.exists(a.screenshot) or os.path.getsize(a.screenshot) == 0:
            failures.append("no screenshot: " + shot.stderr[-500:])
        for f in failures:
            print("FAIL:", f)
        if not failures:
            print(f"ok: plots and distribution as expected; screenshot {a.screenshot}")
        return 1 if failures else 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
