// The CLI's contract with a user who types wrong things: --help everywhere (exit 0), usage and
// exit 2 for unknown options and commands, the shell's words for files, kubectl's for the API,
// and a transcript streamed as it is produced.

import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { Cluster } from '@k8s-netsim/core';

function cli(...argv: string[]): { code: number; out: string; err: string; chunks: number } {
  let out = '';
  let err = '';
  let chunks = 0;
  const code = main(argv, {
    out: (s) => {
      out += s;
      chunks++;
    },
    err: (s) => (err += s),
    env: {},
  });
  return { code, out, err, chunks };
}

describe('netsim CLI', () => {
  it('every subcommand takes --help and -h: its usage on stdout, exit 0', () => {
    for (const cmd of ['run', 'trace', 'exec', 'dns', 'generate', 'materialize', 'draw', 'reach']) {
      for (const flag of ['--help', '-h']) {
        const r = cli(cmd, flag);
        expect(r.code, `${cmd} ${flag}`).toBe(0);
        expect(r.out).toMatch(new RegExp(`^usage: netsim ${cmd} `));
        expect(r.out).toContain('  -h, --help ');
        expect(r.err).toBe('');
      }
    }
    expect(cli('--help').out).toMatch(/^usage: netsim COMMAND \[options\]\n/);
    expect(cli().code).toBe(0);
  });

  it('an unknown command or option, or a bad value: what is wrong, the usage, exit 2', () => {
    expect(cli('frobnicate')).toMatchObject({ code: 2, out: '' });
    expect(cli('frobnicate').err).toMatch(/^netsim: unknown command "frobnicate"\nusage: netsim COMMAND/);
    const bogus = cli('trace', '--from', 'node01', '--to', '10.96.0.1:443', '--bogus');
    expect(bogus.code).toBe(2);
    expect(bogus.err).toMatch(/^netsim trace: unknown option "--bogus"\nusage: netsim trace /);
    expect(cli('trace', '--seed', 'abc', '--from', 'node01', '--to', '1.2.3.4').err).toMatch(/^netsim trace: option "--seed": an integer from 0 to 4294967295, not "abc"\n/);
    expect(cli('trace', '--from', 'node01').err).toMatch(/^netsim trace: --from and --to are required\n/);
    expect(cli('trace', '--from').err).toMatch(/^netsim trace: option "--from" needs a value/);
    expect(cli('run', 'a.sh', 'b.sh').err).toMatch(/^netsim run: unexpected argument "b.sh"\n/);
    expect(cli('exec', '--node', 'node01').err).toMatch(/^netsim exec: a COMMAND after "--" is required\n/);
    expect(cli('dns', 'stop').err).toMatch(/^netsim dns: unknown subcommand "stop"\n/);
    expect(cli('generate', '--nodes', '2').err).toMatch(/^netsim generate: --services is required\n/);
    expect(cli('trace', '--cni', 'weave', '--from', 'node01', '--to', '1.2.3.4').err).toMatch(/^netsim trace: option "--cni": flannel, canal or none, not "weave"\n/);
    for (const r of [bogus, cli('generate', '--nodes', '2'), cli('dns', 'stop')]) expect(r.code).toBe(2);
  });

  it('generate -o saves the snapshot as JSON, or as JSON Lines for FILE.jsonl; both restore to the same cluster', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsim-cli-'));
    const args = ['generate', '--nodes', '4', '--services', '6', '--progress', 'never'];
    const json = cli(...args, '-o', join(dir, 'lab.json'));
    const lines = cli(...args, '-o', join(dir, 'lab.jsonl'));
    expect(json).toMatchObject({ code: 0, err: '' });
    const summary = (out: string) => out.replace(/ \(built in [\d.]+ s\)/, '');
    expect(summary(lines.out)).toBe(summary(json.out));
    const text = readFileSync(join(dir, 'lab.json'), 'utf8');
    const jsonl = readFileSync(join(dir, 'lab.jsonl'), 'utf8');
    expect(jsonl.endsWith('\n')).toBe(true);
    const restored = Cluster.restore(jsonl.slice(0, -1).split('\n'));
    expect(restored.snapshot()).toBe(text);
    expect(restored.snapshotLines().join('\n')).toBe(jsonl.slice(0, -1));
  });

  it('materialize writes setup.sh, teardown.sh and namespaces.json for the cluster', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'netsim-cli-')), 'lab');
    const r = cli('materialize', '--nodes', '2', '--prefix', 'x1', '-o', dir);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(`${join(dir, 'setup.sh')}: 8 network namespaces (x1-…)\n${join(dir, 'teardown.sh')}: removes them\n`);
    const setup = readFileSync(join(dir, 'setup.sh'), 'utf8');
    expect(setup).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(setup).toContain('ip netns add x1-node01\n');
    expect(statSync(join(dir, 'setup.sh')).mode & 0o111).toBe(0o111);
    const names = (JSON.parse(readFileSync(join(dir, 'namespaces.json'), 'utf8')) as { name: string }[]).map((n) => n.name);
    const teardown = readFileSync(join(dir, 'teardown.sh'), 'utf8').split('\n');
    expect(teardown.slice(0, 2)).toEqual(['#!/usr/bin/env bash', '# k8s-netsim: deletes the namespaces the setup script made (prefix x1); safe to run twice.']);
    expect(teardown.slice(2, -1).sort()).toEqual(names.map((n) => `ip netns delete ${n} 2>/dev/null || true`).sort());
    expect(cli('materialize').err).toMatch(/^netsim materialize: -o DIR is required\n/);
    expect(cli('materialize', '--prefix', 'Bad!', '-o', dir).err).toMatch(
      /^netsim materialize: option "--prefix": 1 to 16 of \[a-z0-9-\], starting with a letter or digit, not "Bad!"\n/,
    );
  });

  it("files: the shell's words, exit 1", () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsim-cli-'));
    expect(cli('run', dir)).toMatchObject({ code: 1, err: `netsim: ${dir}: Is a directory\n` });
    expect(cli('run', join(dir, 'nope.sh'))).toMatchObject({ code: 1, err: `netsim: ${join(dir, 'nope.sh')}: No such file or directory\n` });
    expect(cli('trace', '-f', join(dir, 'x.yaml'), '--from', 'node01', '--to', '1.2.3.4')).toMatchObject({
      code: 1,
      err: `netsim: ${join(dir, 'x.yaml')}: No such file or directory\n`,
    });
  });

  it("the API's answers in kubectl's words: an unknown pod or node to exec in", () => {
    expect(cli('exec', '--pod', 'nope', '--', 'ls')).toMatchObject({ code: 1, err: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(cli('exec', '--node', 'node09', '--', 'ls')).toMatchObject({ code: 1, err: 'Error from server (NotFound): nodes "node09" not found\n' });
    const bad = mkdtempSync(join(tmpdir(), 'netsim-cli-'));
    writeFileSync(join(bad, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: Bad_Name }\nspec: { containers: [{ name: c, image: nginx }] }\n');
    const r = cli('trace', '-f', join(bad, 'pod.yaml'), '--from', 'node01', '--to', '1.2.3.4');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^The Pod "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": /);
  });

  it("exec --workstation runs on the student's workstation; trace --from external:IP off the node network comes from the internet", () => {
    expect(cli('exec', '--workstation', '--', 'hostname')).toMatchObject({ code: 0, out: 'workstation\n' });
    expect(cli('exec', '--workstation', '--', 'ip', 'route', 'add', '10.96.0.0/12', 'via', '192.168.56.11')).toMatchObject({
      code: 2,
      err: 'RTNETLINK answers: Operation not permitted\n',
    });
    expect(cli('exec', '--workstation', '--node', 'node01', '--', 'hostname')).toMatchObject({ code: 2 });
    expect(cli('exec', '--workstation', '--node', 'node01', '--', 'hostname').err).toMatch(/^netsim exec: --node, --pod and --workstation exclude each other\n/);
    const r = cli('trace', '--from', 'external:203.0.113.2', '--to', '192.168.56.11:10250', '-o', 'json');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out);
    expect(t.source.ip).toBe('203.0.113.2');
    expect(t.forwardings).toBe(1);
    expect(t.hops.slice(0, 5).map((h: { kind: string; at: { node: string } }) => `${h.kind}@${h.at.node}`)).toEqual([
      'send@external:203.0.113.2',
      'route@external:203.0.113.2',
      'wire@external:203.0.113.2',
      'route@external:192.168.56.1',
      'gateway@external:192.168.56.1',
    ]);
    expect(cli('trace', '--from', 'external:10.244.1.9', '--to', '192.168.56.11:10250')).toMatchObject({
      code: 1,
      err: 'netsim: request.from.external: Invalid value: "10.244.1.9": is in the pod network 10.244.0.0/16: only pods have such addresses (trace from the pod instead)\n',
    });
  });

  it('draw: the topology as Mermaid, SVG or an HTML page, on stdout or in --output-file', () => {
    const mermaid = cli('draw', '-o', 'mermaid', '--nodes', '2');
    expect(mermaid).toMatchObject({ code: 0, err: '' });
    expect(mermaid.out).toMatch(/^flowchart LR\n/);
    expect(mermaid.out).toContain('"node01 192.168.56.11"');
    const svg = cli('draw', '--nodes', '2');
    expect(svg.out).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    const file = join(mkdtempSync(join(tmpdir(), 'netsim-cli-')), 'lab.html');
    const html = cli('draw', '-o', 'html', '--output-file', file);
    expect(html).toMatchObject({ code: 0, out: '', err: `${file}: html, 3 nodes\n` });
    const page = readFileSync(file, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>\n/);
    expect(page).toContain('id="trace-text"');
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(cli('draw', '-o', 'png').err).toMatch(/^netsim draw: option "-o": mermaid, svg or html, not "png"\n/);
    expect(cli('draw', '-o', 'png').code).toBe(2);
  });

  it('streams a script: each command and its output reach stdout as they happen, exit 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsim-cli-'));
    const script = join(dir, 's.sh');
    writeFileSync(script, '# netsim: --nodes 2\nkubectl get nodes\nhostname\nfrobnicate\n');
    const r = cli('run', script);
    expect(r.code).toBe(0);
    expect(r.chunks).toBe(6);
    expect(r.out).toMatch(
      /^\$ kubectl get nodes\nNAME +STATUS +ROLES +AGE +VERSION\ncontrolplane +Ready +control-plane .*\nnode01 +Ready +<none> .*\n\$ hostname\ncontrolplane\n\$ frobnicate\nnetsim: command not supported: frobnicate\n$/,
    );
    // Options on the command line win over the script's own.
    expect(cli('run', script, '--nodes', '3').out).toMatch(/\nnode02 +Ready/);
  });

  it('trace -f settles the cluster first: a LoadBalancer Service applied from a file has its MetalLB address', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsim-cli-'));
    const file = join(dir, 'lb.yaml');
    writeFileSync(
      file,
      `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80 }] }
`,
    );
    // ingress-nginx's controller holds .240: the Service gets .241, two simulated seconds after it is applied.
    const r = cli('trace', '-f', file, '--from', 'external', '--to', '192.168.56.241:80', '-o', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out) as { verdict: string; to: { pod: string } };
    expect(t.verdict).toBe('delivered');
    expect(t.to.pod).toMatch(/^default\/web-/);
    expect(cli('exec', '-f', file, '--', 'kubectl', 'get', 'svc', 'web').out).toMatch(/\nweb +LoadBalancer +\S+ +192\.168\.56\.241 +80:\d+\/TCP /);
    // A script keeps its own clock: right after the apply the address is still pending.
    writeFileSync(join(dir, 's.sh'), 'kubectl apply -f lb.yaml\nkubectl get svc web\n');
    expect(cli('run', join(dir, 's.sh')).out).toMatch(/\nweb +LoadBalancer +\S+ +<pending> /);
  });

  it('trace --proto sctp; a protocol it does not know is an error naming the ones it does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsim-cli-'));
    const file = join(dir, 'sctp.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Pod
metadata: { name: server, labels: { app: sctp } }
spec: { containers: [{ name: s, image: busybox, command: [sleep, '3600'], ports: [{ containerPort: 3868, protocol: SCTP }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: diameter }
spec: { clusterIP: 10.96.38.68, selector: { app: sctp }, ports: [{ name: diameter, port: 3868, protocol: SCTP }, { name: other, port: 3869, protocol: SCTP }] }
`,
    );
    const ok = cli('trace', '-f', file, '--from', 'node01', '--to', '10.96.38.68:3868', '--proto', 'sctp');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^SCTP 192\.168\.56\.11:\d+ → 10\.96\.38\.68:3868\n/);
    expect(ok.out).toContain('-p sctp -m comment --comment "default/diameter:diameter cluster IP" -m sctp --dport 3868 -j KUBE-SVC-');
    expect(ok.out).toMatch(/verdict: delivered to pod default\/server at 10\.244\.\d+\.\d+:3868/);
    const refused = cli('trace', '-f', file, '--from', 'node01', '--to', '10.96.38.68:3869', '--proto', 'sctp', '-o', 'json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({ verdict: 'rejected', reason: 'Connection refused', proto: 'sctp' });
    expect(cli('trace', '--from', 'node01', '--to', '10.96.0.1:443', '--proto', 'dccp')).toMatchObject({
      code: 1,
      out: '',
      err: 'netsim: --proto: one of tcp, udp, icmp, sctp, not "dccp"\n',
    });
    expect(cli('trace', '--help').out).toMatch(/--proto tcp\|udp\|icmp\|sctp +protocol \(default tcp\)/);
  });
});
