// The seed lessons' key traces as sequence diagrams: each diagram's Mermaid text pinned in
// test/__golden__/, its SVG well-formed and carrying the same participants, and
// examples/README.md up to date with examples/diagrams.ts.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { traceMermaid, traceSvg } from '@k8s-netsim/core';
import { describe, expect, it } from 'vitest';
import { lessonDiagrams, renderReadme } from '../examples/diagrams.js';
import { xmlProblem } from '../packages/core/src/views/diagram/xml-check.fixture.js';

describe('trace diagrams of the seed lessons', () => {
  const diagrams = lessonDiagrams();

  for (const d of diagrams) {
    it(`${d.name}: Mermaid text as pinned`, async () => {
      await expect(traceMermaid(d.input)).toMatchFileSnapshot(`__golden__/${d.name}.mmd`);
    });

    it(`${d.name}: SVG is well-formed XML with the same participants`, () => {
      const svg = traceSvg(d.input);
      expect(xmlProblem(svg)).toBeUndefined();
      const aliases = [...traceMermaid(d.input).matchAll(/^ {2}participant p\d+ as (.*)$/gm)].map((m) => (m[1] as string).replaceAll('#58;', ':'));
      expect(aliases.length).toBeGreaterThan(2);
      for (const a of aliases) expect(svg).toContain(`>${a}</text>`);
      expect(svg).toMatch(/<title>trace [A-Z]+ /);
    });
  }

  it('draws what each lesson is about', () => {
    const text = Object.fromEntries(diagrams.map((d) => [d.name, traceMermaid(d.input)]));
    expect(text['lesson1-pod-to-pod']).toMatch(/->>p\d+: UDP 192\.168\.56\.11:\d+ → 192\.168\.56\.12:8472 VXLAN VNI 1 \[inner 10\.244\.1\.\d+:\d+ → 10\.244\.2\.\d+:80\]/);
    expect(text['lesson3-pod-to-clusterip']).toMatch(/Note over p\d+: DNAT: destination 10\.106\.140\.187:80 → 10\.244\.\d\.\d+:80<br\/>nat KUBE-SEP-/);
    expect(text['lesson3-pod-to-clusterip']).toMatch(/-->>p1: reply TCP 10\.106\.140\.187:80 → 10\.244\.1\.4:\d+/);
    expect(text['lesson3-external-to-nodeport']).toContain('MASQUERADE: source 192.168.56.1:');
    expect(text['lesson3-no-endpoints']).toMatch(
      /Note over p\d+: REJECT \(icmp-port-unreachable\)<br\/>filter KUBE-SERVICES: .* -j REJECT --reject-with icmp-port-unreachable\n *Note over p\d+: ✗ rejected \(Connection refused\)\n *p\d+--xp1: ICMP port-unreachable/,
    );
    expect(text['lesson4-lb-ingress-http']).toContain("MetalLB's speaker on node02");
    expect(text['lesson4-lb-ingress-http']).toContain('HTTP GET http://kubeserve.example.com/ → 200');
    expect(text['lesson5-pod-to-kube-dns']).toMatch(/^ {2}alt p=0\.5 → kube-system\/coredns-.*\n[\s\S]*^ {2}else p=0\.5 → kube-system\/coredns-[\s\S]*^ {2}end$/m);
  });

  it('examples/README.md is what examples/diagrams.ts writes', () => {
    const readme = readFileSync(fileURLToPath(new URL('../examples/README.md', import.meta.url)), 'utf8');
    expect(readme).toBe(renderReadme(diagrams));
  });
});
