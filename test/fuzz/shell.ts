// Category `shell`: single command lines — kubectl and the node tools with unknown flags,
// missing arguments, odd values and quoting, pipes, `$(…)`, here-document markers, `sleep`
// with odd values — run with `Cluster.exec` (on the control plane, a node or in a pod) and, as a
// one-line script, with `Cluster.run`.

import fc from 'fast-check';
import { Cluster } from '@k8s-netsim/core';
import { arbOddString, ODD_STRINGS } from './gen.js';
import {
  attempt,
  attemptExec,
  clip,
  defaultLab,
  expectInvariants,
  expectNoInternalError,
  expectUnchanged,
  fold,
  guard,
  snapshotOf,
  visible,
  type CaseContext,
  type Category,
} from './harness.js';

/** The lab with a few workloads to talk to: busybox and nginx pods, a Deployment, a NodePort Service. */
const SHELL_LAB_MANIFESTS = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'client', labels: { app: 'client' } },
    spec: { containers: [{ name: 'client', image: 'busybox', command: ['sleep', '3600'] }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'old', labels: { app: 'old' } },
    spec: { containers: [{ name: 'old', image: 'busybox:1.28.4', command: ['sleep', '3600'] }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'nginx', labels: { app: 'nginx' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, name: 'http' }] }] } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', nodePort: 30080 }] },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 80 }] } },
];

let shellLab: Cluster | undefined;

/** The shell lab, built once per process. */
export function theShellLab(): Cluster {
  return (shellLab ??= guard('building the shell lab', () => Cluster.fromState(defaultLab().apply(SHELL_LAB_MANIFESTS).run('sleep 5').cluster.state)));
}

const NAMES = ['client', 'old', 'nginx', 'web', 'lb', 'kube-dns', 'kubernetes', 'coredns', 'node01', 'controlplane', 'nope', 'default', 'kube-system', 'ingress-nginx-controller'];

const KUBECTL_WORDS: readonly string[] = [
  'get',
  'describe',
  'apply',
  'create',
  'run',
  'scale',
  'expose',
  'logs',
  'annotate',
  'patch',
  'delete',
  'exec',
  'version',
  'edit',
  'label',
  'rollout',
  'top',
  'explain',
  'pods',
  'po',
  'pod',
  'nodes',
  'no',
  'deploy',
  'deployment',
  'deployments',
  'rs',
  'replicasets',
  'ds',
  'daemonsets',
  'svc',
  'service',
  'services',
  'ep',
  'endpoints',
  'endpointslices',
  'ns',
  'namespaces',
  'cm',
  'configmaps',
  'sa',
  'ing',
  'ingress',
  'ingressclasses',
  'clusterroles',
  'clusterrolebindings',
  'all',
  'events',
  'secrets',
  'pods,svc',
  'pod/client',
  'deploy/web',
  'svc/web',
  'node/node01',
  'po/',
  '/web',
  '-n',
  '--namespace',
  '-A',
  '--all-namespaces',
  '-o',
  '-owide',
  '-o=yaml',
  '--output=json',
  'wide',
  'yaml',
  'json',
  'name',
  'jsonpath={.items[*].metadata.name}',
  'jsonpath={.spec.clusterIP}',
  'jsonpath={',
  'jsonpath={.items[0].status.podIP}{"\\n"}',
  'custom-columns=NAME:.metadata.name',
  'go-template={{.metadata.name}}',
  '-l',
  'app=web',
  'app!=web',
  'app in (web,client)',
  '!app',
  'a=b=c',
  '--field-selector',
  'status.phase=Running',
  'spec.nodeName=node01',
  'metadata.name',
  '--show-labels',
  '-w',
  '--watch',
  '--image=nginx',
  '--image=busybox',
  '--image=',
  '--image',
  '--replicas=3',
  '--replicas=-1',
  '--replicas=x',
  '--replicas',
  '--port=80',
  '--port=0',
  '--port=99999',
  '--port',
  '--target-port=8080',
  '--target-port=http',
  '--type=NodePort',
  '--type=LoadBalancer',
  '--type=merge',
  '--type=json',
  '--type=x',
  '--restart=Never',
  '--labels=a=b',
  '--dry-run=client',
  '--record',
  '-p',
  '{"spec":{"replicas":3}}',
  '{"spec":{"type":"NodePort"}}',
  '{"spec":{"externalTrafficPolicy":"Local"}}',
  '{"spec":{"ports":[{"port":99999}]}}',
  '{"spec":null}',
  '{"metadata":{"name":"x"}}',
  '[{"op":"replace","path":"/spec/replicas","value":5}]',
  '{',
  '[]',
  '-f',
  '-',
  'x.yaml',
  'https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml',
  'https://example.com/x.yaml',
  '-c',
  '--container=web',
  '--tail=5',
  '--previous',
  '-it',
  '--overwrite',
  'externalTrafficPolicy=Local',
  'a=b',
  'a-',
  '--all',
  '--grace-period=0',
  '--force',
  '--',
  'sh',
  '-c',
  'ip addr',
  'kube-system',
  'ingress-nginx',
  'Default',
  'ping',
  'nslookup',
  'kubernetes',
  'wget',
  '--bogus',
  '-z',
  '--namespace=',
];

/** Words each node tool takes, odd ones included. */
const TOOL_WORDS: Record<string, readonly string[]> = {
  ip: [
    'addr',
    'a',
    'link',
    'route',
    'r',
    'neigh',
    'n',
    'show',
    'dev',
    'eth0',
    'cni0',
    'flannel.1',
    'nope',
    '-d',
    '-4',
    '-s',
    'add',
    'del',
    'get',
    '10.244.1.2',
    'table',
    'local',
    '255',
  ],
  ifconfig: ['-a', 'eth0', 'cni0', 'lo', 'nope', 'up', 'down'],
  bridge: ['fdb', 'show', 'link', 'dev', 'flannel.1', 'cni0', 'nope'],
  docker: [
    'ps',
    '-a',
    '-q',
    '--filter',
    'name=k8s_POD',
    'name=',
    'status=running',
    'inspect',
    '--format',
    '{{.State.Pid}}',
    '{{.NetworkSettings}}',
    '{{',
    '-f',
    'images',
    'logs',
    'nope',
  ],
  nsenter: ['-t', '1', '0', '-1', '99999999', 'x', '-n', '-m', '--net', 'ip', 'addr', 'route', 'ifconfig'],
  ping: [
    '-c',
    '1',
    '2',
    '0',
    '-1',
    'x',
    '-s',
    '1472',
    '1473',
    '65507',
    '65508',
    '-M',
    'do',
    'dont',
    '-W',
    '-i',
    '10.244.1.2',
    '10.96.0.10',
    '8.8.8.8',
    'kubernetes',
    'web',
    'nope.invalid',
    '10.244.0.1',
  ],
  curl: [
    '-s',
    '-v',
    '-I',
    '-m',
    '1',
    '0',
    'x',
    '-H',
    'Host: a',
    '--resolve',
    'a:80:10.96.0.1',
    '-k',
    '-o',
    '10.96.0.1',
    'http://web',
    'http://10.96.0.10:53',
    'web:80',
    'https://10.96.0.1',
    'http://[::1]/',
    'http://',
    'ftp://x',
    'http://example.com',
    'http://192.168.56.240',
    'http://web.default.svc.cluster.local/x',
  ],
  wget: ['-qO-', '-O', '-', '-T', '1', 'http://web', 'web', 'http://'],
  nslookup: ['kubernetes', 'web', 'web.default', 'kube-dns.kube-system.svc.cluster.local', '10.96.0.1', 'example.com', 'nope', '.', '', '-type=srv', '-debug', '10.96.0.10'],
  dig: [
    '+short',
    '+search',
    '@10.96.0.10',
    '@8.8.8.8',
    '@',
    'A',
    'SRV',
    'PTR',
    'TXT',
    'ANY',
    '-x',
    '10.96.0.1',
    'kubernetes.default.svc.cluster.local',
    'dns-version.cluster.local',
    '_http._tcp.web.default.svc.cluster.local',
    'example.com',
    '+tcp',
    '-p',
    '5353',
  ],
  host: ['-t', 'A', 'SRV', 'kubernetes', 'web', '10.96.0.10', 'x'],
  'iptables-save': ['-t', 'nat', 'filter', 'mangle', 'raw', 'nope', '-c'],
  iptables: ['-t', 'nat', 'filter', 'nope', '-L', 'KUBE-SERVICES', 'INPUT', 'NOPE', '-n', '-v', '--line-numbers', '-S', '-A', '-x'],
  cat: ['/run/flannel/subnet.env', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/etc/cni/net.d/10-flannel.conflist', '/etc/passwd', '/', '-', '-n', 'nope'],
  grep: ['-A', '-B', '-C', '1', '-1', 'x', '-i', '-v', '-c', '-E', 'KUBE', 'a|b', '(', '[', '*', '\\', '-e', ''],
  head: ['-n', '1', '0', '-1', 'x', '-5', '-c'],
  tail: ['-n', '1', '0', '+2', '-1', 'x', '-f'],
  wc: ['-l', '-w', '-c', '-x'],
  tr: ['a', 'b', '-d', '-s', 'a-z', 'A-Z', '[:upper:]', '', '\\n'],
  echo: ['hello', '-n', '-e', '$HOME', '10.244.1.0/24 dev cni0', ''],
  sleep: ['1', '0', '-1', '0.5', '1e3', '1e9', '1e12', '1e300', 'NaN', 'Infinity', 'x', '', '0x10', '1s', '1m', '-0', '9007199254740993', ' 1'],
  ssh: ['node01', 'node02', 'controlplane', 'nope', 'root@node01', 'node01 ip route', '-p', '22'],
  exit: ['0', '1', 'x'],
  hostname: ['-I', '-f', 'x'],
  sudo: ['ip', 'route', 'iptables-save', 'tee', '-a', '/etc/hosts', 'su'],
  tee: ['-a', '/etc/hosts', '/etc/hostname', 'x'],
  netsim: [
    'trace',
    'shell',
    'workstation',
    'controlplane',
    '--from',
    '--to',
    '--proto',
    '--all',
    '-o',
    'json',
    '--http',
    'web/',
    'node01',
    'client',
    'default/client',
    'external',
    'external:8.8.8.8',
    '10.96.0.10:53',
    '10.96.0.1:443',
    'udp',
    'icmp',
    'sctp',
    'x:y',
  ],
  true: [],
};

const COMMANDS = ['kubectl', ...Object.keys(TOOL_WORDS), 'unknown-tool', 'kubeadm', 'systemctl', 'sh', 'bash', 'vi', ''];

export interface ShellCommand {
  name: string;
  args: string[];
}

export const arbCommand: fc.Arbitrary<ShellCommand> = fc.constantFrom(...COMMANDS).chain((name) => {
  const pool = name === 'kubectl' ? KUBECTL_WORDS : (TOOL_WORDS[name] ?? []);
  const word =
    pool.length > 0
      ? fc.oneof(
          { withCrossShrink: true },
          { weight: 5, arbitrary: fc.constantFrom(...pool) },
          { weight: 1, arbitrary: fc.constantFrom(...NAMES) },
          { weight: 1, arbitrary: arbOddString },
        )
      : arbOddString;
  return fc.array(word, { maxLength: name === 'kubectl' ? 7 : 5 }).map((args) => ({ name, args }));
});

type Quote = 'plain' | 'single' | 'double' | 'backslash' | 'open-single' | 'open-double' | 'subst';

const arbQuote: fc.Arbitrary<Quote> = fc.oneof(
  { withCrossShrink: true },
  { weight: 20, arbitrary: fc.constant<Quote>('plain') },
  { weight: 2, arbitrary: fc.constantFrom<Quote>('single', 'double', 'backslash') },
  { weight: 1, arbitrary: fc.constantFrom<Quote>('open-single', 'open-double', 'subst') },
);

function quoteWord(w: string, q: Quote): string {
  switch (q) {
    case 'plain':
      return /[\s'"|#$\\<]/.test(w) || w === '' ? `'${w.replace(/'/g, `'\\''`)}'` : w;
    case 'single':
      return `'${w}'`;
    case 'double':
      return `"${w}"`;
    case 'backslash':
      return w.replace(/(.)/g, '\\$1');
    case 'open-single':
      return `'${w}`;
    case 'open-double':
      return `"${w}`;
    case 'subst':
      return `$(echo ${w})`;
  }
}

export interface ShellLineSpec {
  stages: { cmd: ShellCommand; quotes: Quote[] }[];
  joiner: string;
  /** `$(…)`: a stage wrapped and used as an argument of the first. */
  substitute: 'none' | 'argument' | 'nested' | 'unterminated' | 'empty';
  heredoc: 'none' | 'EOF' | "'EOF'" | '-EOF' | 'bare' | 'number';
  comment: boolean;
  pad: boolean;
}

export const arbLineSpec: fc.Arbitrary<ShellLineSpec> = fc.record({
  stages: fc.array(fc.record({ cmd: arbCommand, quotes: fc.array(arbQuote, { maxLength: 8 }) }), { minLength: 1, maxLength: 3 }),
  joiner: fc.constantFrom(' | ', ' | ', '|', ' || ', ' | | ', ' |'),
  substitute: fc.oneof(
    { withCrossShrink: true },
    { weight: 8, arbitrary: fc.constant('none' as const) },
    { weight: 1, arbitrary: fc.constantFrom('argument', 'nested', 'unterminated', 'empty') as fc.Arbitrary<ShellLineSpec['substitute']> },
  ),
  heredoc: fc.oneof(
    { withCrossShrink: true },
    { weight: 12, arbitrary: fc.constant('none' as const) },
    { weight: 1, arbitrary: fc.constantFrom('EOF', "'EOF'", '-EOF', 'bare', 'number') as fc.Arbitrary<ShellLineSpec['heredoc']> },
  ),
  comment: fc.oneof({ withCrossShrink: true }, { weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  pad: fc.boolean(),
});

export function renderLine(spec: ShellLineSpec): string {
  const stage = (s: ShellLineSpec['stages'][number]) => [s.cmd.name, ...s.cmd.args.map((a, i) => quoteWord(a, s.quotes[i] ?? 'plain'))].filter((w) => w !== '').join(' ');
  const [first, ...rest] = spec.stages;
  let line = stage(first!);
  const others = rest.map(stage);
  if (spec.substitute !== 'none' && others.length > 0) {
    const inner = others.shift()!;
    line += spec.substitute === 'argument' ? ` $(${inner})` : spec.substitute === 'nested' ? ` $(echo $(${inner}))` : spec.substitute === 'unterminated' ? ` $(${inner}` : ' $()';
  } else if (spec.substitute === 'empty') line += ' $()';
  else if (spec.substitute === 'unterminated') line += ' $(echo';
  if (others.length > 0) line = [line, ...others].join(spec.joiner);
  if (spec.heredoc !== 'none') line += spec.heredoc === 'bare' ? ' <<' : spec.heredoc === 'number' ? ' <<123' : ` <<${spec.heredoc}`;
  if (spec.comment) line += ' # a comment';
  return spec.pad ? `  ${line}\t` : line;
}

export interface ShellInput {
  line: string;
  where: { node: string } | { pod: string } | Record<string, never>;
  stdin?: string;
  route: 'exec' | 'run';
}

const NODES = ['controlplane', 'node01', 'node02', 'node03', 'Node01', ''];
const PODS = ['client', 'old', 'nginx', 'default/client', 'kube-system/coredns', 'nope', 'default/', '/client', 'a/b/c'];

/** Lines that can change the cluster without printing on stdout even when they fail (watching advances the clock). */
const WATCHES = /(^|\s)(-w|--watch)(\s|$)/;

export function runShellLine(ctx: CaseContext, base: Cluster, input: ShellInput): void {
  const before = snapshotOf(base);
  if (input.route === 'run') {
    const script = `${input.line}${input.stdin !== undefined ? `\n${input.stdin}` : ''}\n`;
    const r = attempt(ctx, 'Cluster.run(line)', () => base.run(script));
    if (!r.ok) return;
    expectNoInternalError('one-line script', base, script, r.value);
    expectInvariants('after the script', r.value.cluster);
    return;
  }
  const opts = { ...input.where, ...(input.stdin !== undefined ? { stdin: input.stdin } : {}) };
  const r = attemptExec(ctx, 'Cluster.exec(line)', () => base.exec(input.line, opts));
  if (!r.ok) {
    expectUnchanged('Cluster.exec refused', before, base, r.error.message);
    return;
  }
  const res = r.value;
  // One command (no pipe, no substitution) that failed and reported nothing done: nothing changed.
  const single = !input.line.includes('|') && !input.line.includes('$(') && !WATCHES.test(input.line);
  if (single && res.exitCode !== 0 && res.stdout === '')
    expectUnchanged(`a failed command (${input.line.trim().split(/\s+/)[0]})`, before, res.cluster, res.stderr || `exit ${res.exitCode}`);
  if (res.cluster !== base) expectInvariants('after Cluster.exec', res.cluster);
}

export const arbWhere: fc.Arbitrary<ShellInput['where']> = fc.oneof(
  { withCrossShrink: true },
  { weight: 6, arbitrary: fc.constant({}) },
  { weight: 3, arbitrary: fc.constantFrom(...NODES).map((node) => ({ node })) },
  { weight: 2, arbitrary: fc.constantFrom(...PODS).map((pod) => ({ pod })) },
);

export const shellCategory: Category<ShellInput> = {
  name: 'shell',
  summary: 'command lines: kubectl and node tools with odd flags, values, quoting, pipes, $(…), here-document markers, sleep (Cluster.exec, Cluster.run)',
  label: (input) => `${input.line.trim().split(/\s+/)[0] || '(empty)'} via ${input.route}`,
  arbitrary: () =>
    fc
      .record({
        line: fc.oneof(
          { withCrossShrink: true },
          { weight: 6, arbitrary: arbLineSpec.map(renderLine) },
          { weight: 1, arbitrary: fc.constantFrom(...ODD_STRINGS) },
          { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
        ),
        where: arbWhere,
        stdin: fc.oneof(
          { withCrossShrink: true },
          { weight: 4, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constantFrom('', 'hello\n', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: piped\n', '{') },
        ),
        route: fc.constantFrom<ShellInput['route']>('exec', 'exec', 'exec', 'run'),
      })
      .map(({ stdin, ...x }) => (stdin === undefined ? x : { ...x, stdin })),
  warm: () => void theShellLab(),
  run: (input, ctx) => runShellLine(ctx, theShellLab(), input),
  show: (input) => {
    const opts = [
      'node' in input.where ? `node: ${visible(input.where.node)}` : '',
      'pod' in input.where ? `pod: ${visible(input.where.pod)}` : '',
      input.stdin !== undefined ? `stdin: ${visible(input.stdin)}` : '',
    ].filter(Boolean);
    const call =
      input.route === 'exec'
        ? `c.exec(${visible(input.line)}${opts.length ? `, { ${opts.join(', ')} }` : ''})`
        : `c.run(${visible(`${input.line}${input.stdin !== undefined ? `\n${input.stdin}` : ''}\n`)})`;
    return clip(
      fold(`${call}\n  where c = the lab + pods client (busybox), old (busybox:1.28.4), nginx, Deployment web ×2, Services web (NodePort 30080), lb (LoadBalancer)`),
      3000,
    );
  },
};
