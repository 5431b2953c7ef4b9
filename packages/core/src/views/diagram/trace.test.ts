import fc from 'fast-check';
import { arbCluster, arbPacket } from '@k8s-netsim/testing';
import { describe, expect, it } from 'vitest';
import type { TraceOutcome } from '../../packet/walker.js';
import type { Hop, TraceResult } from '../../packet/types.js';
import { traceMermaid, traceSvg } from './trace.js';
import { MOVING_HOPS, shortRule } from './trace-model.js';
import { xmlProblem } from './xml-check.fixture.js';

const ARROW = /^ *p\d+->>p\d+: /gm;
const at = (node: string, pod?: string): Hop['at'] => ({ node, netns: pod ? 'cni-1' : 'root', ...(pod ? { pod } : {}) });

/** A small rejected trace whose words hold every character Mermaid or XML reads specially. */
const rejected: TraceResult = {
  verdict: 'rejected',
  reason: 'refused; <tricky> & "quoted" #1: \'x\'',
  proto: 'tcp',
  packet: { src: { ip: '10.244.1.2', port: 40000 }, dst: { ip: '10.96.0.20', port: 80 } },
  forwardings: 0,
  hops: [
    { kind: 'send', at: at('node01', 'default/a'), action: 'TCP 10.244.1.2:40000 → 10.96.0.20:80' },
    { kind: 'veth', at: at('node01', 'default/a'), action: 'eth0 → veth1 on node node01 (bridge port of cni0)' },
    {
      kind: 'netfilter',
      at: at('node01'),
      action: 'REJECT (icmp-port-unreachable)',
      table: 'filter',
      chain: 'KUBE-SERVICES',
      rule: '-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/web:http has no endpoints; #1" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    },
  ],
  icmpError: { from: '10.244.1.1', type: 'port-unreachable' },
};

describe('traceMermaid', () => {
  it('escapes what Mermaid reads specially and draws the refusal where it happened', () => {
    expect(traceMermaid(rejected)).toBe(
      [
        'sequenceDiagram',
        '  title trace TCP 10.244.1.2#58;40000 → 10.96.0.20#58;80',
        '  participant p1 as pod default/a',
        '  participant p2 as node01 cni0',
        '  participant p3 as node01 stack',
        '  p1->>p2: TCP 10.244.1.2:40000 → 10.96.0.20:80',
        '  Note over p3: REJECT (icmp-port-unreachable)<br/>filter KUBE-SERVICES: -A KUBE-SERVICES -d 10.96.0.20/32 -p tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
        '  Note over p3: ✗ rejected (refused#59; #60;tricky#62; & "quoted" #35;1: \'x\')',
        '  p3--xp1: ICMP port-unreachable from 10.244.1.1',
        '',
      ].join('\n'),
    );
  });

  it('notes what NetworkPolicy decided, as the text trace words it', () => {
    const { icmpError: _, ...rest } = rejected;
    const denied: TraceResult = {
      ...rest,
      verdict: 'dropped',
      reason: 'dropped by netfilter (policy)',
      policy: {
        enforced: true,
        enforcer: 'calico',
        wouldDeny: [{ namespace: 'default', name: 'deny' }],
        decisions: [{ direction: 'ingress', pod: 'default/web', verdict: 'deny', selectedBy: [{ namespace: 'default', name: 'deny' }], chain: 'cali-tw-calia' }],
      },
    };
    expect(traceMermaid(denied)).toContain(
      'Note over p3: policy: ingress at pod default/web denied: selected by NetworkPolicy default/deny, and no rule of it allows it (cali-tw-calia: end of tier default)',
    );
    const ignored: TraceResult = { ...rejected, policy: { enforced: false, wouldDeny: [{ namespace: 'default', name: 'deny' }] } };
    expect(traceMermaid(ignored)).toContain("policy: not enforced: NetworkPolicy default/deny would deny this (the cluster's CNI, flannel, ignores NetworkPolicy)");
  });

  it("draws traceAll's outcomes as one alt block, most likely first", () => {
    const { reason: _, icmpError: __, ...base } = rejected;
    const delivered = (pod: string): TraceResult => ({ ...base, verdict: 'delivered', to: { pod, ip: '10.244.2.3', port: 80 }, hops: rejected.hops.slice(0, 2) });
    const outcomes: TraceOutcome[] = [
      { probability: 1 / 3, result: delivered('default/web-1') },
      { probability: 2 / 3, result: delivered('default/web-2') },
    ];
    const text = traceMermaid(outcomes);
    expect(text).toMatch(/^ {2}alt p=0\.6667 → default\/web-2\n(?: {4}.*\n)+ {2}else p=0\.3333 → default\/web-1\n(?: {4}.*\n)+ {2}end\n$/m);
    expect(text.match(ARROW)).toHaveLength(2);
  });

  it('shortens rules: no comment match, no -m tcp repeating -p, at most 120 characters', () => {
    expect(shortRule('-A X -p udp -m comment --comment "a \\"b\\" c" -m udp --dport 53 -j DNAT --to-destination 10.244.0.2:53')).toBe(
      '-A X -p udp --dport 53 -j DNAT --to-destination 10.244.0.2:53',
    );
    expect(shortRule(`-A X ${'-s 10.0.0.0/8 '.repeat(20)}-j ACCEPT`)).toHaveLength(120);
  });
});

describe('traceSvg', () => {
  it('is well-formed XML, escapes text and attributes, has a title, and is deterministic', () => {
    const svg = traceSvg(rejected);
    expect(xmlProblem(svg)).toBeUndefined();
    expect(svg).toContain('<title>trace TCP 10.244.1.2:40000 → 10.96.0.20:80</title>');
    expect(svg).toContain('✗ rejected (refused; &lt;tricky&gt; &amp; &quot;quoted&quot; #1: &apos;x&apos;)');
    expect(svg).not.toMatch(/<script|@import|url\(http|href="http/);
    expect(traceSvg(rejected)).toBe(svg);
  });

  it('the XML check finds what is wrong', () => {
    expect(xmlProblem('<a><b></a>')).toMatch(/closes <b>/);
    expect(xmlProblem('<a x="1 & 2"/>')).toMatch(/bare &/);
    expect(xmlProblem('<a>1 < 2</a>')).toMatch(/bad tag/);
    expect(xmlProblem('<a/><b/>')).toMatch(/second root/);
    expect(xmlProblem('<a x=1/>')).toMatch(/bad attribute/);
  });
});

describe('every trace draws (random clusters and packets)', () => {
  it('one solid arrow per hop that moves the packet, and well-formed SVG', () => {
    fc.assert(
      fc.property(
        arbCluster().chain((c) => fc.tuple(fc.constant(c), fc.array(arbPacket(c), { minLength: 1, maxLength: 8 }))),
        ([c, packets]) => {
          for (const p of packets) {
            const r = c.trace(p);
            const moves = r.hops.filter((h) => MOVING_HOPS.has(h.kind)).length;
            expect(traceMermaid(r).match(ARROW) ?? []).toHaveLength(moves);
            expect(xmlProblem(traceSvg(r))).toBeUndefined();
          }
          const all = c.traceAll(packets[0] as (typeof packets)[number]);
          const moves = all.reduce((n, o) => n + o.result.hops.filter((h) => MOVING_HOPS.has(h.kind)).length, 0);
          expect(traceMermaid(all).match(ARROW) ?? []).toHaveLength(moves);
          expect(xmlProblem(traceSvg(all))).toBeUndefined();
        },
      ),
      { numRuns: 15 },
    );
  });
});
