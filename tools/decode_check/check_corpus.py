#!/usr/bin/env python3
"""Checks the decoder against the original Tstat's output and against tshark (docs/decoding.md).

  check_corpus.py --dump build/decode_dump [--traces ../shared/traces] [--tshark]

1. Compat mode vs expected-tstat/default, per trace: UDP packets with transport_ok == the sum of
   c_pkts_all + s_pkts_all in log_udp_complete; TCP 4-tuples with a decoded pure SYN == the
   flows of log_tcp_complete + log_tcp_nocomplete. Default mode differences are listed too.
2. With --tshark: per packet, IP version/addresses, L4 ports and payload lengths vs tshark.
Exit status 1 if a compat-mode count differs.
"""
import argparse, collections, glob, ipaddress, os, subprocess, sys


def dump(binary, trace, mode):
    out = subprocess.run([binary, trace, mode], capture_output=True, text=True).stdout
    return [line.split('\t') for line in out.splitlines()]


def ip(text):
    return str(ipaddress.ip_address(text))


def tstat_flows(outdir):
    udp_pkts, tcp = 0, set()
    for line in open(os.path.join(outdir, 'log_udp_complete')):
        if line.strip() and not line.startswith('#'):
            c = line.split()
            udp_pkts += int(c[5]) + int(c[14])
    for name in ('log_tcp_complete', 'log_tcp_nocomplete'):
        for line in open(os.path.join(outdir, name)):
            if line.strip() and not line.startswith('#'):
                c = line.split()
                tcp.add((ip(c[0]), c[1], ip(c[14]), c[15]))
    return udp_pkts, tcp


def ours(rows):
    udp = sum(1 for c in rows if c[1] == 'ok' and c[5] == '17' and c[6] != '-')
    syns = {(ip(c[3]), c[6], ip(c[4]), c[7]) for c in rows
            if c[1] == 'ok' and c[5] == '6' and c[6] != '-' and c[9] == '1'}
    return udp, syns


def check_reference(args):
    ref = os.path.join(args.traces, 'expected-tstat', 'default')
    failures, n = 0, 0
    for log in sorted(glob.glob(ref + '/**/log_udp_complete', recursive=True)):
        outdir = os.path.dirname(log)
        rel = os.path.relpath(os.path.dirname(outdir), ref)
        trace = os.path.join(args.traces, rel)
        if not os.path.exists(trace):
            continue
        n += 1
        udp_ref, tcp_ref = tstat_flows(outdir)
        for mode in ('compat', 'default'):
            udp, syns = ours(dump(args.dump, trace, mode))
            if udp != udp_ref or syns != tcp_ref:
                print(f'{mode:8} {rel}: UDP packets {udp} vs {udp_ref}; TCP flows '
                      f'+{len(syns - tcp_ref)} -{len(tcp_ref - syns)}')
                failures += mode == 'compat'
    print(f'{n} traces with a reference; {failures} compat-mode mismatches')
    return failures


EXT = {'ipv6.hopopts', 'ipv6.routing', 'ipv6.dstopts', 'ipv6.fraghdr', 'ah', 'mipv6'}
FIELDS = ('frame.number frame.protocols ip.src ip.dst ipv6.src ipv6.dst tcp.srcport tcp.dstport '
          'tcp.len udp.srcport udp.dstport udp.length').split()


def check_tshark(args):
    totals, examples = collections.Counter(), collections.defaultdict(list)
    manifest = open(os.path.join(args.traces, 'MANIFEST.tsv')).read().splitlines()[1:]
    for rel in (line.split('\t')[0] for line in manifest):
        trace = os.path.join(args.traces, rel)
        rows = {int(c[0]): c for c in dump(args.dump, trace, 'default')}
        if not rows:
            continue
        cmd = ['tshark', '-r', trace, '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE',
               '-o', 'tcp.desegment_tcp_streams:FALSE', '-T', 'fields', '-E', 'separator=\t',
               '-E', 'occurrence=a', '-E', 'aggregator=,']
        for f in FIELDS:
            cmd += ['-e', f]
        for line in subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines():
            d = dict(zip(FIELDS, line.split('\t')))
            o = rows.get(int(d['frame.number']))
            if o is None:
                continue

            def bad(kind):
                totals[kind] += 1
                if len(examples[kind]) < 5:
                    examples[kind].append(f'{rel}#{o[0]}: {d["frame.protocols"]} | ours {o[1:]}')

            toks = d['frame.protocols'].split(':')
            ips = [i for i, t in enumerate(toks) if t in ('ip', 'ipv6')]
            if not ips:
                totals['agree no ip'] += o[1] != 'ok'
                if o[1] == 'ok':
                    bad('ours ip, tshark none')
                continue
            i = ips[0]
            if toks[i] == 'ip' and i + 1 < len(toks) and toks[i + 1] in ('ip', 'ipv6'):
                i += 1  # IP-in-IP / 6in4: the inner header is ours
            if o[1] not in ('ok', 'fragment'):
                bad('tshark ip, ours ' + o[1])
                continue
            k = sum(1 for t in toks[:i] if t == toks[i])
            v4 = toks[i] == 'ip'
            src = (d['ip.src'] if v4 else d['ipv6.src']).split(',')[k]
            dst = (d['ip.dst'] if v4 else d['ipv6.dst']).split(',')[k]
            if o[2] != ('4' if v4 else '6') or ip(src) != ip(o[3]) or ip(dst) != ip(o[4]):
                bad('ip header')
                continue
            j = i + 1
            while j < len(toks) and toks[j] in EXT:
                j += 1
            l4 = toks[j] if j < len(toks) else ''
            if o[1] == 'fragment' or l4 not in ('tcp', 'udp'):
                if o[6] != '-':
                    bad('ours transport, tshark ' + (l4 or 'none'))
                else:
                    totals['agree ' + ('fragment' if o[1] == 'fragment' else 'other')] += 1
                continue
            if o[6] == '-':
                bad(f'tshark {l4}, ours no transport')
                continue
            kk = sum(1 for t in toks[:j] if t == l4)
            ports = (d[l4 + '.srcport'].split(',')[kk], d[l4 + '.dstport'].split(',')[kk])
            length = (d['tcp.len'].split(',')[kk] if l4 == 'tcp'
                      else str(int(d['udp.length'].split(',')[kk]) - 8))
            if ports != (o[6], o[7]) or length != o[8]:
                bad(l4 + ' ports/length')
                continue
            totals['agree ' + l4] += 1
    for k, v in sorted(totals.items()):
        print(f'{k:40} {v}')
    for k, v in examples.items():
        print('==', k)
        for e in v:
            print('  ', e)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument('--dump', required=True, help='decode_dump binary')
    p.add_argument('--traces', default=os.path.join(here, '../../../shared/traces'))
    p.add_argument('--tshark', action='store_true', help='also compare every packet with tshark')
    args = p.parse_args()
    failures = check_reference(args)
    if args.tshark:
        check_tshark(args)
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
