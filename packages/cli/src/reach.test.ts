// `netsim reach` on the command line: -f manifests, --port, -o table|json|mermaid, and the usage
// answers every other command gives a wrong flag (exit 2, one line, then the usage).

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

const dir = mkdtempSync(join(tmpdir(), 'netsim-reach-'));
const file = join(dir, 'lab.yaml');
writeFileSync(
  file,
  `${['a', 'b'].map((n) => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${n}, labels: { app: ${n} } }\nspec: { containers: [ { name: web, image: nginx } ] }`).join('\n---\n')}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-b }
spec: { podSelector: { matchLabels: { app: b } }, policyTypes: [Ingress] }
`,
);

describe('netsim reach', () => {
  it('prints the truth table for the manifests: Flannel lets everything through and says what would be denied', () => {
    const r = cli('reach', '-f', file);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain('| TCP/80    | default/a | default/b |\n');
    expect(r.out).toContain('| default/a | .         | !         |\n');
    expect(r.out).toContain('  default/a -> default/b TCP/80: ingress at default/b selected by default/deny-b, no rule allows it\n');
  });

  it('--cni canal: denied cells; --port twice and comma-separated; -o json is the matrix', () => {
    const r = cli('reach', '-f', file, '--cni', 'canal', '--port', '80,81', '--port', '443', '-o', 'json');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out);
    expect(m).toMatchObject({ proto: 'tcp', ports: [80, 81, 443], enforced: true, sources: ['default/a', 'default/b'] });
    expect(m.cells.filter((c: { status: string }) => c.status === 'denied').map((c: { from: string; to: string; port: number }) => `${c.from}>${c.to}:${c.port}`)).toEqual([
      'default/a>default/b:80',
      'default/a>default/b:81',
      'default/a>default/b:443',
    ]);
  });

  it('-o mermaid, --group-by namespace, --proto udp', () => {
    const r = cli('reach', '-f', file, '-o', 'mermaid', '--group-by', 'namespace', '--proto', 'UDP');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^flowchart LR\n {2}subgraph n\d+\["default"\]\n {4}n1\["pods in default"\]\n/);
    expect(r.out).toContain('==>|"! 80"|');
  });

  it('bad flags: one line naming the option, the usage, exit 2', () => {
    for (const [argv, line] of [
      [['--port', '0'], 'netsim reach: option "--port": a port number from 1 to 65535 (or several, comma-separated), not "0"'],
      [['--port', '80,x'], 'netsim reach: option "--port": a port number from 1 to 65535 (or several, comma-separated), not "80,x"'],
      [['-o', 'yaml'], 'netsim reach: option "-o": table, json or mermaid, not "yaml"'],
      [['--proto', 'http'], 'netsim reach: option "--proto": tcp, udp, sctp or icmp, not "http"'],
      [['--group-by', 'node'], 'netsim reach: option "--group-by": pod or namespace, not "node"'],
      [['-n', 'x', '-A'], 'netsim reach: --namespace and --all-namespaces exclude each other'],
      [['--bogus'], 'netsim reach: unknown option "--bogus"'],
      [['--port'], 'netsim reach: option "--port" needs a value (P[,P...])'],
    ] as const) {
      const r = cli('reach', ...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\nusage: netsim reach `));
    }
  });

  it("--help lists its options; an unknown namespace is kubectl's NotFound; a missing file the shell's words", () => {
    expect(cli('reach', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: netsim reach \[--port P\] \[-o table\|json\|mermaid\] \[options\]\n/) });
    expect(cli('reach', '-n', 'nope')).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): namespaces "nope" not found\n' });
    expect(cli('reach', '-f', join(dir, 'missing.yaml'))).toEqual({ code: 1, out: '', err: `netsim: ${join(dir, 'missing.yaml')}: No such file or directory\n` });
  });
});
