// `netsim reach` inside the simulated shell: the matrix of the cluster as the script left it,
// and the shell's answers to bad flags.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../cluster/cluster.js';
import { reachPorts } from './netsim-reach.js';

const lab = Cluster.create().exec('kubectl run a --image=nginx').cluster.exec('kubectl run b --image=nginx').cluster;

describe('netsim reach in the shell', () => {
  it('prints the table of the pods the script created', () => {
    const r = lab.exec('netsim reach --port 80');
    expect(r.exitCode ?? 0).toBe(0);
    expect(r.stdout).toBe(`NetworkPolicy reachability: 2 source pods x 2 destination pod IPs, NOT enforced by this CNI: "!" cells get through, a policy would deny them

+-----------+-----------+-----------+
| TCP/80    | default/a | default/b |
+-----------+-----------+-----------+
| default/a | .         | .         |
| default/b | .         | .         |
+-----------+-----------+-----------+

legend: . allowed   X denied by NetworkPolicy   ! allowed, a NetworkPolicy would deny it (not enforced)   ? unreachable (not NetworkPolicy)
`);
  });

  it('-o json with -n, --group-by namespace and --port=81', () => {
    const m = JSON.parse(lab.exec('netsim reach -n default --group-by namespace --port=81 -o json').stdout);
    expect(m).toMatchObject({ ports: [81], groupBy: 'namespace', rows: ['default'] });
    expect(m.groups.map((g: { status: string }) => g.status)).toEqual(['allowed', 'allowed']);
  });

  it('answers bad flags in one line with exit 2, an unknown namespace as kubectl does, --help with the usage', () => {
    expect(lab.exec('netsim reach --port 99999')).toMatchObject({
      exitCode: 2,
      stderr: 'netsim reach: --port: a port number from 1 to 65535 (or several, comma-separated), not "99999"\n',
    });
    expect(lab.exec('netsim reach -o yaml')).toMatchObject({ exitCode: 2, stderr: 'netsim reach: -o: table, json or mermaid, not "yaml"\n' });
    expect(lab.exec('netsim reach --proto http')).toMatchObject({ exitCode: 2, stderr: 'netsim reach: --proto: one of tcp, udp, icmp, sctp, not "http"\n' });
    expect(lab.exec('netsim reach --frobnicate').stderr).toMatch(/^netsim reach: unknown option "--frobnicate"\nusage: netsim reach /);
    expect(lab.exec('netsim reach --port').stderr).toMatch(/^netsim reach: option "--port" needs a value\n/);
    expect(lab.exec('netsim reach -n x -A')).toMatchObject({ exitCode: 2, stderr: 'netsim reach: -n and -A exclude each other\n' });
    expect(lab.exec('netsim reach -n nope')).toMatchObject({ exitCode: 1, stderr: 'Error from server (NotFound): namespaces "nope" not found\n' });
    expect(lab.exec('netsim reach --help').stdout).toMatch(/^usage: netsim reach /);
  });

  it('never throws: any words after `netsim reach` end in output or one error line, exit 0, 1 or 2', () => {
    const word = fc.oneof(
      fc.constantFrom(
        '--port',
        '-n',
        '-A',
        '--proto',
        '-o',
        '--group-by',
        '--all-namespaces',
        '--namespace',
        'json',
        'mermaid',
        'udp',
        'icmp',
        'default',
        '80',
        '80,81',
        'namespace',
        '-h',
      ),
      fc.string({ maxLength: 6 }).filter((w) => /^[\w,=.-]+$/.test(w)),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (words) => {
        const r = lab.exec(`netsim reach ${words.join(' ')}`);
        expect([0, 1, 2]).toContain(r.exitCode ?? 0);
        if ((r.exitCode ?? 0) !== 0) expect(r.stderr).toMatch(/^(netsim reach: |Error from server)/);
      }),
      { numRuns: 150 },
    );
  });

  it('reachPorts: one or several, comma-separated; undefined for anything else', () => {
    expect(reachPorts('80')).toEqual([80]);
    expect(reachPorts('80, 443')).toEqual([80, 443]);
    for (const bad of ['', '0', '65536', 'http', '80,', '-1', '8e1']) expect(reachPorts(bad), bad).toBeUndefined();
  });
});
