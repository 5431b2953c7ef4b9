// `netsim trace -o mermaid|svg`: the trace as a sequence diagram, for one path, --all and --http.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

function cli(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (s) => (out += s), err: (s) => (err += s), env: {} });
  return { code, out, err };
}

describe('netsim trace -o mermaid|svg', () => {
  it('prints the Mermaid sequence diagram of a trace, with the exit status of the verdict', () => {
    const r = cli('trace', '--from', 'node01', '--to', '10.96.0.10:53', '--proto', 'udp', '-o', 'mermaid');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^sequenceDiagram\n {2}title trace UDP 192\.168\.56\.11#58;\d+ → 10\.96\.0\.10#58;53\n {2}participant p1 as node01 stack\n/);
    expect(r.out).toMatch(/Note over p1: DNAT: destination 10\.96\.0\.10:53 → 10\.244\.0\.\d+:53<br\/>nat KUBE-SEP-/);
  });

  it('draws every outcome of --all as an alt block', () => {
    const r = cli('trace', '--from', 'node01', '--to', '10.96.0.10:53', '--proto', 'udp', '--all', '-o', 'mermaid');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}alt p=0\.5 → kube-system\/coredns-\S+\n[\s\S]*^ {2}else p=0\.5 → kube-system\/coredns-\S+\n[\s\S]*^ {2}end\n$/m);
  });

  it('prints an SVG document, also for --all', () => {
    for (const extra of [[], ['--all']]) {
      const r = cli('trace', '--from', 'node01', '--to', '10.96.0.10:53', '--proto', 'udp', ...extra, '-o', 'svg');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
      expect(r.out).toContain('<title>trace UDP 192.168.56.11:');
      expect(r.out.trimEnd().endsWith('</svg>')).toBe(true);
    }
  });

  it('-o json is unchanged, anything else is refused with the three choices', () => {
    const json = cli('trace', '--from', 'node01', '--to', '10.96.0.10:53', '--proto', 'udp', '-o', 'json');
    expect(JSON.parse(json.out).verdict).toBe('delivered');
    const bad = cli('trace', '--from', 'node01', '--to', '10.96.0.10:53', '-o', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('option "-o": json, mermaid or svg, not "x"');
  });
});

describe('netsim trace -o mermaid inside a script', () => {
  it('draws the trace on the cluster as it is at that point of the script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsim-diagram-'));
    const file = join(dir, 's.sh');
    writeFileSync(file, 'netsim trace --from node01 --to 192.168.56.10:6443 --http kube/ -o mermaid\n');
    const r = cli('run', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\$ netsim trace .* -o mermaid\nsequenceDiagram\n {2}title trace TCP 192\.168\.56\.11#58;\d+ → 192\.168\.56\.10#58;6443\n/);
    expect(r.out).toContain('HTTP GET http://kube/');
  });
});
