// No input makes the shell throw: any string, and any sequence of the words the simulated tools
// take, gives a tool's answer or bash's (with an exit status) — never an exception out of
// execLine, never `netsim: internal error` (ScriptStep.internalError) from runScript.
// NETSIM_FUZZ_RUNS raises the number of runs (e.g. 20000 for a long search).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cluster, execLine, runScript, type ShellContext } from '@k8s-netsim/core';

const base = Cluster.create();
const web = base.run('kubectl create deployment web --image=nginx\nkubectl expose deployment web --port 80\nkubectl run bb --image=busybox:1.28 -- sleep 3600').cluster;
const RUNS = Number(process.env.NETSIM_FUZZ_RUNS ?? 150);

const CLUSTERS = { base, web } as const;
type Name = keyof typeof CLUSTERS;

/** Where a line may run: the terminal, a node, the workstation, a pod with the node's tools or its image's. */
const CONTEXTS: ShellContext[] = [
  { kind: 'host' },
  { kind: 'node', node: 'node01' },
  { kind: 'workstation' },
  { kind: 'pod', pod: 'kube-system/coredns-7bd98f49dd-vhkvt', node: 'controlplane' },
  { kind: 'pod', pod: 'kube-system/coredns-7bd98f49dd-vhkvt', node: 'controlplane', container: 'coredns' },
];
const BB: ShellContext = { kind: 'pod', pod: 'default/bb', node: web.pods({ selector: 'run=bb' })[0]?.node ?? 'node01', container: 'bb' };

/** The commands, subcommands, flags and values the simulated tools know, odd ones included. */
const VOCABULARY = [
  // kubectl
  'kubectl',
  'get',
  'describe',
  'apply',
  'create',
  'deployment',
  'namespace',
  'ns',
  'configmap',
  'run',
  'scale',
  'expose',
  'logs',
  'annotate',
  'patch',
  'delete',
  'exec',
  'version',
  'label',
  'pods',
  'pod',
  'po',
  'nodes',
  'node',
  'svc',
  'services',
  'deploy',
  'rs',
  'ds',
  'ingress',
  'ingressclass',
  'endpoints',
  'endpointslices',
  'cm',
  'sa',
  'web',
  'bb',
  'pod/bb',
  'deployment/web',
  'coredns-7bd98f49dd-vhkvt',
  'kube-system',
  'default',
  'constructor',
  '__proto__',
  '-n',
  '-A',
  '--all-namespaces',
  '-o',
  'wide',
  'yaml',
  'json',
  'name',
  'jsonpath={.items[*].metadata.name}',
  '-ojsonpath={.x',
  '-l',
  'app=web',
  'app!=x',
  '--field-selector',
  'spec.nodeName=node01',
  'bad',
  '--show-labels',
  '-w',
  '--image=nginx',
  '--image',
  'nginx',
  'busybox',
  '--replicas=2',
  '--replicas',
  '-r',
  '--port',
  '80',
  '8080',
  '0',
  '-1',
  '99999',
  '--target-port',
  '--type',
  'NodePort',
  'LoadBalancer',
  '-p',
  '{"spec":{"type":"NodePort"}}',
  '{',
  '--type=merge',
  '--overwrite',
  'a=b',
  'externalTrafficPolicy=Local',
  '-f',
  '-',
  'nope.yaml',
  'https://x/kube-flannel.yml',
  '--',
  '-it',
  '-c',
  '--bogus',
  '-z',
  '--namespace=kube-system',
  '-h',
  '--help',
  '--dry-run',
  '--restart=Never',
  '--command',
  // curl and wget
  'curl',
  '-s',
  '-S',
  '-sS',
  '-v',
  '-I',
  '-i',
  '-m',
  '1',
  'x',
  '-H',
  'Host: x',
  '--resolve',
  'a.test:80:10.96.0.1',
  '-w',
  '%{http_code}',
  '-o',
  '/dev/null',
  '-g',
  'http://10.96.0.1:99999/',
  'http://[bad',
  'http://[::1]/',
  'http://10.96.0.10:53/',
  'http://web',
  'http://web:80/x?y#z',
  'https://kubernetes.default',
  'http://x/{a,b}',
  'http://x/[1-3]',
  'http://x/[1-999999999]',
  'ftp://x',
  'file:///etc/hosts',
  'http://127.1:1/',
  '10.96.0.1',
  '127.0.0.1',
  'example.com',
  'wget',
  '-qO-',
  '-O',
  '-q',
  'http://example.com/',
  'http://a:99999/',
  // ping, dns
  'ping',
  '-c',
  '3',
  '1.2.3.4',
  '8.8.8.8',
  '10.244.0.2',
  '-s',
  '70000',
  '-M',
  'do',
  '-W',
  '-i',
  'node01',
  'node02',
  'controlplane',
  'dig',
  '@nope',
  '@10.96.0.10',
  '@node01',
  '@',
  '+short',
  '+search',
  '-t',
  'AAAA',
  'SRV',
  'BOGUS',
  '-x',
  '-q',
  'host',
  'nslookup',
  'a/b',
  '999.1.1.1',
  'kubernetes',
  'kubernetes.default.svc.cluster.local',
  '.',
  '..',
  // node tools
  'ip',
  'addr',
  'a',
  'route',
  'r',
  'link',
  'neigh',
  '-d',
  '-4',
  'show',
  'dev',
  'eth0',
  'cni0',
  'flannel.1',
  'table',
  'local',
  'bridge',
  'fdb',
  'ifconfig',
  'docker',
  'ps',
  'inspect',
  '--format',
  '{{.State.Pid}}',
  '{{.Bad',
  '--filter',
  'name=coredns',
  'nsenter',
  '--target',
  '1',
  '--net',
  'iptables-save',
  'iptables',
  '-L',
  '-nvL',
  'KUBE-SERVICES',
  '--line-numbers',
  'nat',
  'filter',
  'mangle',
  'cat',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/etc/hostname',
  '/run/flannel/subnet.env',
  '/nope',
  'grep',
  '-E',
  '-F',
  '-B',
  '2',
  '(',
  '[',
  'head',
  'tail',
  'wc',
  'tr',
  'abc',
  'echo',
  'sleep',
  '1e300',
  'inf',
  '1m',
  '0x10',
  'nan',
  'ssh',
  'root@node01',
  'exit',
  'logout',
  'hostname',
  'sudo',
  'netsim',
  'trace',
  '--from',
  'external',
  'pod/x',
  '--to',
  '10.96.0.10:53',
  '10.96.0.10:99999',
  '--proto',
  'udp',
  'icmp',
  'sctp',
  '--all',
  '--http',
  'web/',
  'shell',
  'workstation',
  'tee',
  '-a',
  'true',
  'false',
  // shell syntax
  '$(hostname)',
  '$(echo',
  '$(',
  ')',
  '`hostname`',
  '`',
  "'",
  '"',
  '"a b"',
  "'a b'",
  '|',
  '||',
  '&&',
  ';',
  ';;',
  '&',
  '(',
  '{',
  '}',
  '!',
  '>',
  '>>',
  '<',
  '2>&1',
  '>&2',
  '>&3',
  '&>',
  '/dev/null',
  'out.txt',
  '<<<',
  '<<EOF',
  '<<-EOF',
  "<<'EOF'",
  'EOF',
  '\\',
  '#',
  '\n',
  '\t',
  '$HOME',
  '~',
  '*',
];

const token = fc.constantFrom(...VOCABULARY);
const words = (n: number) => fc.array(fc.tuple(token, fc.constantFrom(' ', ' ', ' ', '')), { maxLength: n }).map((ws) => ws.map(([w, sep]) => w + sep).join(''));
/** The commands (kubectl with its verbs), so that most lines reach a tool's own parsing. */
const TOOLS = [
  ...['get', 'describe', 'apply', 'create', 'create deployment', 'create namespace', 'run', 'scale', 'expose', 'logs', 'annotate', 'patch', 'delete', 'exec'].map(
    (v) => `kubectl ${v}`,
  ),
  ...['curl', 'wget', 'ping', 'dig', 'host', 'nslookup', 'ip', 'bridge', 'ifconfig', 'docker', 'nsenter', 'iptables-save', 'iptables', 'ipset', 'cat', 'grep'],
  ...['head', 'tail', 'wc', 'tr', 'echo', 'sleep', 'ssh', 'exit', 'hostname', 'sudo', 'netsim trace', 'netsim reach', 'netsim shell', 'tee', 'kubectl'],
];
const command = fc.tuple(fc.constantFrom(...TOOLS), words(8)).map(([tool, rest]) => `${tool} ${rest}`);
/** A command line: tool commands joined by shell operators, or any words glued together now and then. */
const line = fc.oneof(
  fc
    .array(fc.tuple(command, fc.constantFrom(' | ', ' && ', ' || ', '; ', ' & ', '\n', ' |& ')), { minLength: 1, maxLength: 3 })
    .map((cs) => cs.map(([c, op], i) => (i === cs.length - 1 ? c : c + op)).join('')),
  words(12),
);
const anyString = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme-ascii', maxLength: 80 }));
/** A cluster by name (counterexamples print the name, not the state) and a context that exists in it. */
const where = fc.constantFrom<Name>('base', 'web').chain((name) => fc.tuple(fc.constant(name), fc.constantFrom(...(name === 'web' ? [...CONTEXTS, BB] : CONTEXTS))));

/** Files a script may apply: one manifest everywhere, and `nope.yaml` missing. */
const ENV = {
  readFile: (path: string): string => {
    if (path === 'nope.yaml') throw new Error('ENOENT');
    return 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';
  },
};

function execNeverThrows(name: Name, text: string, ctx: ShellContext): void {
  const r = execLine(CLUSTERS[name].state, text, ctx, ENV, 'stdin\n');
  expect(typeof r.stdout).toBe('string');
  expect(typeof r.stderr).toBe('string');
  expect(Number.isInteger(r.exitCode)).toBe(true);
  expect(r.exitCode).toBeGreaterThanOrEqual(0);
  expect(r.exitCode).toBeLessThanOrEqual(255);
}

describe('the shell never throws', () => {
  it('execLine answers any string', () => {
    fc.assert(
      fc.property(where, anyString, ([name, ctx], text) => execNeverThrows(name, text, ctx)),
      { numRuns: RUNS },
    );
  });

  it('execLine answers any sequence of the tools’ words', () => {
    fc.assert(
      fc.property(where, line, ([name, ctx], text) => execNeverThrows(name, text, ctx)),
      { numRuns: RUNS * 4 },
    );
  });

  it('deep nesting is bash-style refused, never a stack overflow', () => {
    for (const text of [`echo ${'$('.repeat(5000)}`, '('.repeat(5000), `echo "${'$(echo "'.repeat(3000)}`, '{ '.repeat(5000), `echo ${'`'.repeat(5001)}`]) {
      execNeverThrows('base', text, { kind: 'host' });
    }
    expect(execLine(base.state, '('.repeat(200), { kind: 'host' })).toMatchObject({ stderr: 'netsim: commands nested more than 100 deep are not simulated\n', exitCode: 2 });
  });

  it('runScript never reports an internal error, and goes on to the last line', () => {
    fc.assert(
      fc.property(fc.constantFrom<Name>('base', 'web'), fc.array(fc.oneof(line, line, anyString), { maxLength: 6 }), (name, lines) => {
        const r = runScript(CLUSTERS[name].state, [...lines, 'echo __end__'].join('\n'), ENV);
        expect(r.steps.filter((s) => s.internalError).map((s) => [s.line, s.internalError])).toEqual([]);
        // Unless the script left an unfinished construct (an open quote, a here-document) to the end.
        if (r.steps.length && r.steps[r.steps.length - 1]!.line === 'echo __end__') expect(r.transcript).toContain('__end__\n');
      }),
      { numRuns: RUNS },
    );
  });
});
