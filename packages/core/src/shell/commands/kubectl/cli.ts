// kubectl's command line as cobra and pflag read it: the subcommand found past the global
// flags (`kubectl -n kube-system get pods`), then every flag of that command and the global
// ones anywhere among its arguments (`kubectl get -n x pods`, `-A` after or before the type),
// shorthands combined (`-it`, `-owide`, `-n=x`), `--` ending them. Errors are kubectl's
// (`error: unknown flag: --bogus` / `See 'kubectl get --help' for usage.`, exit 1).
//
// The flag tables are kubectl 1.34's (`kubectl options`, `kubectl VERB --help`); `run` before
// 1.18 also has its generator-era flags (--replicas, --generator, …).

import { quote } from '../../../util/golang/strconv.js';
import type { Flags } from './flags.js';

/** b: bool; s: string (repeatable where kubectl takes a list); i/i32: integers; o: optional value (`--dry-run`, `--dry-run=client`). */
type FlagKind = 'b' | 's' | 'i' | 'i32' | 'o';

interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  /** The value a bare `--flag` takes (bools: true). */
  noOpt?: string;
}

/** `A|all-namespaces:b`, `field-selector:s`, `dry-run:o=unchanged`. */
function specs(...defs: string[]): FlagSpec[] {
  return defs.map((d) => {
    const m = /^(?:(\w)\|)?([\w-]+):(b|s|i32|i|o)(?:=(.*))?$/.exec(d);
    if (!m) throw new Error(`bad flag spec ${d}`);
    const kind = m[3] as FlagKind;
    return { name: m[2]!, ...(m[1] ? { short: m[1] } : {}), kind, ...(kind === 'b' ? { noOpt: 'true' } : kind === 'o' ? { noOpt: m[4] ?? '' } : {}) };
  });
}

const GLOBAL = specs(
  'as:s',
  'as-group:s',
  'as-uid:s',
  'cache-dir:s',
  'certificate-authority:s',
  'client-certificate:s',
  'client-key:s',
  'cluster:s',
  'context:s',
  'disable-compression:b',
  'insecure-skip-tls-verify:b',
  'kubeconfig:s',
  'log-flush-frequency:s',
  'match-server-version:b',
  'n|namespace:s',
  'password:s',
  'profile:s',
  'profile-output:s',
  'request-timeout:s',
  's|server:s',
  'tls-server-name:s',
  'token:s',
  'user:s',
  'username:s',
  'v|v:i',
  'vmodule:s',
  'warnings-as-errors:b',
  'h|help:b',
);

const PRINT = ['allow-missing-template-keys:b', 'o|output:s', 'show-managed-fields:b', 'template:s'];
const FILES = ['f|filename:s', 'k|kustomize:s', 'R|recursive:b'];
const DRY = ['dry-run:o=unchanged', 'field-manager:s'];

const RUN_1_18 = [
  ...PRINT,
  ...FILES,
  ...DRY,
  'annotations:s',
  'attach:b',
  'cascade:o=background',
  'command:b',
  'env:s',
  'expose:b',
  'force:b',
  'grace-period:i',
  'image:s',
  'image-pull-policy:s',
  'l|labels:s',
  'leave-stdin-open:b',
  'override-type:s',
  'overrides:s',
  'pod-running-timeout:s',
  'port:s',
  'privileged:b',
  'q|quiet:b',
  'restart:s',
  'rm:b',
  'save-config:b',
  'i|stdin:b',
  'timeout:s',
  't|tty:b',
  'wait:b',
];

const VERB_DEFS: Record<string, string[]> = {
  get: [
    ...PRINT,
    ...FILES,
    'A|all-namespaces:b',
    'chunk-size:i',
    'field-selector:s',
    'ignore-not-found:b',
    'L|label-columns:s',
    'no-headers:b',
    'output-watch-events:b',
    'raw:s',
    'l|selector:s',
    'server-print:b',
    'show-kind:b',
    'show-labels:b',
    'sort-by:s',
    'subresource:s',
    'w|watch:b',
    'watch-only:b',
  ],
  apply: [
    ...PRINT,
    ...FILES,
    ...DRY,
    'all:b',
    'cascade:o=background',
    'force:b',
    'force-conflicts:b',
    'grace-period:i',
    'openapi-patch:b',
    'overwrite:b',
    'prune:b',
    'prune-allowlist:s',
    'l|selector:s',
    'server-side:b',
    'subresource:s',
    'timeout:s',
    'validate:o=strict',
    'wait:b',
  ],
  create: [...PRINT, ...FILES, ...DRY, 'edit:b', 'raw:s', 'save-config:b', 'l|selector:s', 'validate:o=strict', 'windows-line-endings:b'],
  'create deployment': [...PRINT, ...DRY, 'image:s', 'port:i32', 'r|replicas:i32', 'save-config:b', 'validate:o=strict'],
  'create namespace': [...PRINT, ...DRY, 'save-config:b', 'validate:o=strict'],
  run: RUN_1_18,
  scale: [...PRINT, ...FILES, 'all:b', 'current-replicas:i', 'dry-run:o=unchanged', 'replicas:i', 'resource-version:s', 'l|selector:s', 'timeout:s'],
  expose: [
    ...PRINT,
    ...FILES,
    ...DRY,
    'cluster-ip:s',
    'external-ip:s',
    'l|labels:s',
    'load-balancer-ip:s',
    'name:s',
    'override-type:s',
    'overrides:s',
    'port:s',
    'protocol:s',
    'save-config:b',
    'selector:s',
    'session-affinity:s',
    'target-port:s',
    'type:s',
  ],
  logs: [
    'all-containers:b',
    'all-pods:b',
    'c|container:s',
    'f|follow:b',
    'ignore-errors:b',
    'insecure-skip-tls-verify-backend:b',
    'limit-bytes:i',
    'max-log-requests:i',
    'pod-running-timeout:s',
    'prefix:b',
    'p|previous:b',
    'l|selector:s',
    'since:s',
    'since-time:s',
    'tail:i',
    'timestamps:b',
  ],
  annotate: [...PRINT, ...FILES, ...DRY, 'all:b', 'A|all-namespaces:b', 'field-selector:s', 'list:b', 'local:b', 'overwrite:b', 'resource-version:s', 'l|selector:s'],
  patch: [...PRINT, ...FILES, ...DRY, 'local:b', 'p|patch:s', 'patch-file:s', 'subresource:s', 'type:s'],
  delete: [
    ...FILES,
    'all:b',
    'A|all-namespaces:b',
    'cascade:o=background',
    'dry-run:o=unchanged',
    'field-selector:s',
    'force:b',
    'grace-period:i',
    'ignore-not-found:b',
    'i|interactive:b',
    'now:b',
    'o|output:s',
    'raw:s',
    'l|selector:s',
    'timeout:s',
    'wait:b',
  ],
  describe: [...FILES, 'A|all-namespaces:b', 'chunk-size:i', 'l|selector:s', 'show-events:b'],
  exec: ['c|container:s', 'f|filename:s', 'pod-running-timeout:s', 'q|quiet:b', 'i|stdin:b', 't|tty:b'],
  'rollout restart': [...PRINT, ...FILES, ...DRY, 'l|selector:s'],
  version: ['client:b', 'o|output:s'],
};

const VERBS: Record<string, FlagSpec[]> = Object.fromEntries(Object.entries(VERB_DEFS).map(([verb, defs]) => [verb, [...GLOBAL, ...specs(...defs)]]));

/** `kubectl run` before 1.18 made Deployments and Jobs and took their flags. */
const RUN_BEFORE_1_18 = [
  ...GLOBAL,
  ...specs(
    ...RUN_1_18,
    'r|replicas:i',
    'generator:s',
    'hostport:i',
    'limits:s',
    'requests:s',
    'schedule:s',
    'serviceaccount:s',
    'service-generator:s',
    'service-overrides:s',
    'record:b',
  ),
];

/** kubectl's commands (cobra lists them sorted, with its own `help`): for `Did you mean this?`. */
const ROOT_COMMANDS = [
  'annotate',
  'api-resources',
  'api-versions',
  'apply',
  'attach',
  'auth',
  'autoscale',
  'certificate',
  'cluster-info',
  'completion',
  'config',
  'cordon',
  'cp',
  'create',
  'debug',
  'delete',
  'describe',
  'diff',
  'drain',
  'edit',
  'events',
  'exec',
  'explain',
  'expose',
  'get',
  'help',
  'kustomize',
  'label',
  'logs',
  'options',
  'patch',
  'plugin',
  'port-forward',
  'proxy',
  'replace',
  'rollout',
  'run',
  'scale',
  'set',
  'taint',
  'top',
  'uncordon',
  'version',
  'wait',
];

/** `kubectl rollout` subcommands; only restart is simulated. */
const ROLLOUT_SUBCOMMANDS = ['history', 'pause', 'restart', 'resume', 'status', 'undo'];

/** `kubectl create` subcommands (and their aliases). */
const CREATE_SUBCOMMANDS: Record<string, string> = {
  clusterrole: 'clusterrole',
  clusterrolebinding: 'clusterrolebinding',
  configmap: 'configmap',
  cm: 'configmap',
  cronjob: 'cronjob',
  cj: 'cronjob',
  deployment: 'deployment',
  deploy: 'deployment',
  ingress: 'ingress',
  ing: 'ingress',
  job: 'job',
  namespace: 'namespace',
  ns: 'namespace',
  poddisruptionbudget: 'poddisruptionbudget',
  pdb: 'poddisruptionbudget',
  priorityclass: 'priorityclass',
  pc: 'priorityclass',
  quota: 'quota',
  resourcequota: 'quota',
  role: 'role',
  rolebinding: 'rolebinding',
  secret: 'secret',
  service: 'service',
  svc: 'service',
  serviceaccount: 'serviceaccount',
  sa: 'serviceaccount',
  token: 'token',
};

export const KUBECTL_HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  edit            Edit a resource on the server
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller
  autoscale       Auto-scale a deployment, replica set, stateful set, or replication controller

Cluster Management Commands:
  certificate     Modify certificate resources
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage
  cordon          Mark node as unschedulable
  uncordon        Mark node as schedulable
  drain           Drain node in preparation for maintenance
  taint           Update the taints on one or more nodes

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  attach          Attach to a running container
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod
  proxy           Run a proxy to the Kubernetes API server
  cp              Copy files and directories to and from containers
  auth            Inspect authorization
  debug           Create debugging sessions for troubleshooting workloads and nodes
  events          List events

Advanced Commands:
  diff            Diff the live version against a would-be applied version
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  replace         Replace a resource by file name or stdin
  wait            Experimental: Wait for a specific condition on one or many resources
  kustomize       Build a kustomization target from a directory or URL

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource
  completion      Output shell completion code for the specified shell (bash, zsh, fish, or powershell)

Subcommands provided by plugins:

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of "group/version"
  config          Modify kubeconfig files
  plugin          Provides utilities for interacting with plugins
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

/** What kubectl's command line asks for. */
export type KubectlCall =
  | { kind: 'run'; verb: string; sub?: string; flags: Flags; dashed: boolean }
  /** The root command: kubectl's help (no subcommand). */
  | { kind: 'help' }
  /** `--help` on a subcommand. */
  | { kind: 'verb-help'; path: string }
  /** A kubectl command the simulator does not have. */
  | { kind: 'unsupported' }
  /** kubectl's own error: its text and exit code. */
  | { kind: 'error'; text: string; exitCode: number };

/** cobra's Levenshtein distance (case-insensitive), for suggestions. */
function ld(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[t.length]!;
}

function suggestions(typed: string): string {
  const names = ROOT_COMMANDS.filter((c) => ld(typed, c) <= 2 || c.startsWith(typed.toLowerCase()));
  return names.length ? `\n\nDid you mean this?\n${names.map((n) => `\t${n}\n`).join('')}` : '';
}

/** cobra's stripFlags: the non-flag words, skipping the value of a flag that takes one (unknown flags too). */
function commandWords(args: string[], table: FlagSpec[]): { words: string[]; indexes: number[] } {
  const words: string[] = [];
  const indexes: number[] = [];
  const isBool = (s: FlagSpec | undefined) => s?.noOpt !== undefined;
  for (let i = 0; i < args.length; i++) {
    const s = args[i]!;
    if (s === '--') break;
    const long = s.startsWith('--') && !s.includes('=');
    const short = !s.startsWith('--') && s.startsWith('-') && !s.includes('=') && s.length === 2;
    if ((long && !isBool(table.find((f) => f.name === normalise(s.slice(2))))) || (short && !isBool(table.find((f) => f.short === s[1])))) {
      if (args.length - i - 1 <= 1) break;
      i++;
      continue;
    }
    if (s !== '' && !s.startsWith('-')) {
      words.push(s);
      indexes.push(i);
    }
  }
  return { words, indexes };
}

/** kubectl's word-separator normalisation: `--all_namespaces` is `--all-namespaces`. */
function normalise(name: string): string {
  return name.replace(/_/g, '-');
}

function parseGoBool(v: string): 'true' | 'false' | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return 'true';
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return 'false';
  return undefined;
}

/** strconv.ParseInt(s, 0, bits)'s error, or undefined when s is a valid integer. */
function parseIntError(v: string, bits: 32 | 64): string | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[1-9][0-9_]*|0)$/.exec(v);
  if (!m) return `strconv.ParseInt: parsing ${quote(v)}: invalid syntax`;
  let digits = m[2]!.replace(/_/g, '');
  if (/^0[oO]/.test(digits)) digits = `0o${digits.slice(2)}`;
  else if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const n = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
  const max = bits === 32 ? 2n ** 31n : 2n ** 63n;
  if (n >= max || n < -max) return `strconv.ParseInt: parsing ${quote(v)}: value out of range`;
  return undefined;
}

/** An integer flag's value as strconv.ParseInt(v, 0, 64) reads it (already validated by the parser). */
export function goInt(v: string): number {
  const m = /^([+-]?)(.*)$/.exec(v.replace(/_/g, ''))!;
  let digits = m[2]!;
  if (/^0[oO]/.test(digits)) digits = `0o${digits.slice(2)}`;
  else if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const n = Number(digits);
  return m[1] === '-' ? -n : n;
}

interface Parsed {
  values: Record<string, string>;
  files: string[];
  positional: string[];
  /** Arguments after `--`. */
  dash: string[] | undefined;
  help: boolean;
}

/** pflag's Parse over a flag set: the values (by long name), the positional arguments, or its error. */
function parseArgs(args: string[], table: FlagSpec[]): Parsed | string {
  const out: Parsed = { values: {}, files: [], positional: [], dash: undefined, help: false };
  const set = (f: FlagSpec, v: string): string | undefined => {
    const flagName = f.short ? `-${f.short}, --${f.name}` : `--${f.name}`;
    if (f.kind === 'b') {
      const b = parseGoBool(v);
      if (!b) return `invalid argument ${quote(v)} for ${quote(flagName)} flag: strconv.ParseBool: parsing ${quote(v)}: invalid syntax`;
      v = b;
    } else if (f.kind === 'i' || f.kind === 'i32') {
      const err = parseIntError(v, f.kind === 'i32' ? 32 : 64);
      if (err) return `invalid argument ${quote(v)} for ${quote(flagName)} flag: ${err}`;
    }
    if (f.name === 'help') out.help = v === 'true';
    if (f.name === 'filename') out.files.push(v);
    out.values[f.name] = v;
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const s = args[i]!;
    if (s === '' || s[0] !== '-' || s === '-') {
      out.positional.push(s);
      continue;
    }
    if (s === '--') {
      out.dash = args.slice(i + 1);
      break;
    }
    if (s.startsWith('--')) {
      const body = s.slice(2);
      if (body.startsWith('-') || body.startsWith('=')) return `bad flag syntax: ${s}`;
      const eq = body.indexOf('=');
      const name = normalise(eq < 0 ? body : body.slice(0, eq));
      const f = table.find((x) => x.name === name);
      if (!f) return `unknown flag: --${name}`;
      let v: string;
      if (eq >= 0) v = body.slice(eq + 1);
      else if (f.noOpt !== undefined) v = f.noOpt;
      else if (i + 1 < args.length) v = args[++i]!;
      else return `flag needs an argument: --${name}`;
      const err = set(f, v);
      if (err) return err;
      continue;
    }
    let shorts = s.slice(1);
    while (shorts.length) {
      const c = shorts[0]!;
      const f = table.find((x) => x.short === c);
      if (!f) return `unknown shorthand flag: '${c}' in -${shorts}`;
      let v: string;
      if (shorts.length > 2 && shorts[1] === '=') {
        v = shorts.slice(2);
        shorts = '';
      } else if (f.noOpt !== undefined) {
        v = f.noOpt;
        shorts = shorts.slice(1);
      } else if (shorts.length > 1) {
        v = shorts.slice(1);
        shorts = '';
      } else if (i + 1 < args.length) {
        v = args[++i]!;
        shorts = '';
      } else return `flag needs an argument: '${c}' in -${shorts}`;
      const err = set(f, v);
      if (err) return err;
    }
  }
  return out;
}

function toFlags(p: Parsed): Flags {
  const v = p.values;
  return {
    ...(v.namespace !== undefined ? { namespace: v.namespace } : {}),
    allNamespaces: v['all-namespaces'] === 'true',
    ...(v.output !== undefined ? { output: v.output } : {}),
    files: p.files,
    ...(v.selector !== undefined ? { selector: v.selector } : {}),
    watch: v.watch === 'true',
    showLabels: v['show-labels'] === 'true',
    positional: p.positional,
    values: v,
    command: p.dash ?? [],
  };
}

/** Read kubectl's arguments (after `kubectl`) for a cluster of this version. */
export function parseKubectl(args: string[], opts: { runBefore118: boolean }): KubectlCall {
  const root = commandWords(args, GLOBAL);
  const verb = root.words[0];
  if (verb === undefined) {
    const p = parseArgs(args, GLOBAL);
    if (typeof p === 'string') return { kind: 'error', text: `error: ${p}\nSee 'kubectl --help' for usage.`, exitCode: 1 };
    return { kind: 'help' };
  }
  if (!ROOT_COMMANDS.includes(verb)) {
    // Not a kubectl command: a plugin name to kubectl, which refuses flags before it.
    if (args[0]!.startsWith('-')) return { kind: 'error', text: `Error: flags cannot be placed before plugin name: ${args[0]}`, exitCode: 1 };
    return { kind: 'error', text: `error: unknown command ${quote(verb)} for "kubectl"${suggestions(verb)}`, exitCode: 1 };
  }
  const verbAt = root.indexes[0]!;
  let rest = [...args.slice(0, verbAt), ...args.slice(verbAt + 1)];
  let path = `kubectl ${verb}`;
  let sub: string | undefined;
  let table = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (verb === 'create') {
    const inner = commandWords(rest, VERBS.create!);
    const word = inner.words[0];
    if (word !== undefined) {
      const canonical = Object.hasOwn(CREATE_SUBCOMMANDS, word) ? CREATE_SUBCOMMANDS[word] : undefined;
      if (canonical === undefined) return { kind: 'error', text: `error: Unexpected args: [${inner.words.join(' ')}]\nSee 'kubectl create -h' for help and examples`, exitCode: 1 };
      sub = canonical;
      path = `kubectl create ${canonical}`;
      table = VERBS[`create ${canonical}`];
      rest = [...rest.slice(0, inner.indexes[0]), ...rest.slice(inner.indexes[0]! + 1)];
    }
  }
  if (verb === 'rollout') {
    const inner = commandWords(rest, GLOBAL);
    const word = inner.words[0];
    // Without a known subcommand cobra prints rollout's help.
    if (word === undefined || !ROLLOUT_SUBCOMMANDS.includes(word)) return { kind: 'verb-help', path: 'kubectl rollout' };
    sub = word;
    path = `kubectl rollout ${word}`;
    table = VERBS[`rollout ${word}`];
    rest = [...rest.slice(0, inner.indexes[0]), ...rest.slice(inner.indexes[0]! + 1)];
  }
  if (verb === 'run' && opts.runBefore118) table = RUN_BEFORE_1_18;
  if (!table) {
    // A kubectl command the simulator does not have: its flags are not checked.
    return { kind: 'unsupported' };
  }
  const p = parseArgs(rest, table);
  if (typeof p === 'string') return { kind: 'error', text: `error: ${p}\nSee '${path} --help' for usage.`, exitCode: 1 };
  if (p.help) return { kind: 'verb-help', path };
  return { kind: 'run', verb, ...(sub ? { sub } : {}), flags: toFlags(p), dashed: p.dash !== undefined };
}
