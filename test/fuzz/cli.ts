// Category `cli`: `netsim` argv — each subcommand with random words, known options with odd
// values, unknown options, missing values, `--` and files that are missing, empty, binary,
// directories or broken YAML — through `main(argv, io)`. The CLI must answer with its usage
// (exit 2), the tool's words (exit 1) or the result: never `internal error` (exit 70), never a
// stack trace.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Cluster } from '@k8s-netsim/core';
import { main } from '@k8s-netsim/cli';
import { arbOddString } from './gen.js';
import { clip, crash, expectation, Finding, fold, normalizeMessage, visible, withMemoisedCreate, type Category } from './harness.js';
import { arbLineSpec, renderLine } from './shell.js';

export interface CliInput {
  argv: string[];
  /** Content of `{file:script.sh}` when the argv names it. */
  script?: string;
}

// Files the argv may name, as `{file:NAME}` (made in a per-process temporary directory).
const FILES: Record<string, string | null> = {
  'ok.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
  'invalid.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers: [{name: c, image: nginx}]\n',
  'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n',
  'empty.yaml': '',
  'binary.bin': '\u0000\u0001\u00ff\ufffd\u0000PK\u0003\u0004',
  'flannel.yaml': 'https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml\n',
  'lesson.sh':
    '# netsim: --cni none\nkubectl get nodes\nkubectl apply -f https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml\nsleep 10\nkubectl get nodes\n',
  'options.sh': '# netsim: --nodes 0 --bogus\nkubectl get nodes\n',
  'dir/': null,
};

let dir: string | undefined;

function tmp(): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'netsim-fuzz-'));
    for (const [name, text] of Object.entries(FILES)) {
      if (text === null) mkdirSync(join(dir, name), { recursive: true });
      else writeFileSync(join(dir, name), text, 'latin1');
    }
  }
  return dir;
}

const file = (name: string) => `{file:${name}}`;
const FILE_WORDS = [...Object.keys(FILES).map(file), file('missing.yaml'), file('script.sh'), file('out.json'), '/dev/null', '/', '', '-'];

function resolveWord(w: string): string {
  return w.replace(/\{file:([^}]+)\}/g, (_, name: string) => join(tmp(), name));
}

const VALUES: Record<string, readonly string[]> = {
  seed: ['0', '1', '7', '-1', '4294967295', '4294967296', '1.5', 'x', '', '1e3', '0x10', ' 3'],
  nodes: ['1', '2', '3', '0', '-1', '240', '241', '1.5', 'x', '', '2e0', '007'],
  'k8s-version': ['1.17.4', '1.17.0', '1.18.0', '1.22.0', '1.34.2', '1.99.0', '2.0.0', 'v1.20.0', '1.17', 'x', '', '0.0.0', '1.5.0', '1.34.2-rc.1', '1.17.4.1'],
  cni: ['flannel', 'none', 'calico', '', 'FLANNEL'],
  'flannel-backend': ['vxlan', 'host-gw', 'udp', '', 'wireguard'],
  filename: FILE_WORDS,
  from: ['node01', 'controlplane', 'external', 'external:8.8.8.8', 'external:x', 'kube-system/coredns', 'pod/x', 'node/x', 'nope', '', '/'],
  to: ['10.96.0.10:53', '10.96.0.1:443', '192.168.56.240:80', '8.8.8.8', '10.96.0.10', 'x', '', ':53', '10.96.0.10:', '10.96.0.10:99999', '10.96.0.10:0'],
  proto: ['tcp', 'udp', 'icmp', 'TCP', 'sctp', ''],
  http: ['web/', '/', '', 'a.b/c'],
  output: ['json', 'yaml', '', 'wide'],
  // generate writes its snapshot there: only into the temporary directory (or nowhere).
  'generate-output': [file('out.json'), file('dir/'), file('missing-dir/out.json'), '/nonexistent/dir/out.json', ''],
  node: ['node01', 'controlplane', 'nope', ''],
  pod: ['kube-system/coredns', 'nope', 'default/', ''],
  port: ['1053', '0', '-1', '65536', 'x', ''],
  address: ['10.0.0.1', '0.0.0.0', '::1', '', 'x'],
  services: ['0', '1', '3', '20', '-1', 'x', '', '1e1'],
  namespaces: ['1', '2', '0', '-1', 'x', '50'],
  'pods-per-service': ['1-5', '0', '3', '5-1', '0-0', '2-3', 'x', '', '1-', '-1'],
  ingresses: ['0', '3', '-1', 'x', '20'],
  batch: ['1', '0', '3', 'x', '500', '-1'],
  progress: ['auto', 'always', 'never', 'x', ''],
};

const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  run: ['seed', 'nodes', 'k8s-version', 'cni', 'flannel-backend', 'filename'],
  trace: ['from', 'to', 'proto', 'http', 'output', 'seed', 'nodes', 'k8s-version', 'cni', 'flannel-backend', 'filename'],
  exec: ['node', 'pod', 'seed', 'nodes', 'k8s-version', 'cni', 'flannel-backend', 'filename'],
  dns: ['port', 'address', 'seed', 'nodes', 'k8s-version', 'cni', 'flannel-backend', 'filename'],
  generate: ['nodes', 'services', 'namespaces', 'pods-per-service', 'ingresses', 'seed', 'batch', 'progress', 'output'],
};
const FLAGS: Record<string, readonly string[]> = { trace: ['--all'], dns: ['--once'], run: [], exec: [], generate: [] };
const SHORT: Record<string, string> = { filename: '-f', output: '-o' };

/** One option of `cmd`: `--name value`, `--name=value`, a short form, without its value, or a flag. */
function arbOption(cmd: string): fc.Arbitrary<string[]> {
  const names = COMMAND_OPTIONS[cmd]!;
  return fc.tuple(fc.constantFrom(...names), fc.nat(), fc.constantFrom('space', 'space', 'equals', 'short', 'missing')).map(([name, i, form]) => {
    const values = VALUES[cmd === 'generate' && name === 'output' ? 'generate-output' : name]!;
    const value = values[i % values.length]!;
    if (form === 'missing') return [`--${name}`];
    if (form === 'equals') return [`--${name}=${value}`];
    if (form === 'short' && SHORT[name]) return [SHORT[name]!, value];
    return [`--${name}`, value];
  });
}

const arbStray: fc.Arbitrary<string[]> = fc.oneof(
  fc.constantFrom<string[]>(['--bogus'], ['-x'], ['---'], ['-'], ['--'], ['--help'], ['-h'], ['--help=yes'], ['--all=1'], ['-fo'], ['--seed'], ['--NODES', '2']),
  arbOddString.map((w) => [w]),
);

function arbArgv(cmd: string): fc.Arbitrary<{ argv: string[]; script?: string }> {
  const flags = FLAGS[cmd] ?? [];
  const item = fc.oneof(
    { withCrossShrink: true },
    { weight: 4, arbitrary: arbOption(cmd) },
    { weight: 1, arbitrary: flags.length ? fc.constantFrom(...flags).map((f) => [f]) : arbStray },
    { weight: 1, arbitrary: arbStray },
  );
  const items = fc.array(item, { maxLength: 5 });
  switch (cmd) {
    case 'run':
      return fc
        .tuple(
          fc.oneof(
            { withCrossShrink: true },
            { weight: 4, arbitrary: fc.constant(file('script.sh')) },
            { weight: 2, arbitrary: fc.constantFrom(...FILE_WORDS) },
            { weight: 1, arbitrary: fc.constant(undefined) },
          ),
          items,
          fc.array(arbLineSpec.map(renderLine), { minLength: 1, maxLength: 5 }),
          fc.constantFrom(
            '',
            '# netsim: --cni none\n',
            '# netsim: --nodes 1 --seed 3\n',
            '# netsim: --bogus\n',
            '# netsim: --nodes\n',
            '# netsim: --k8s-version 1.17.4\n',
            '# netsim:\n',
          ),
          fc.boolean(),
        )
        .map(([f, opts, lines, header, before]) => {
          const words = opts.flat();
          const argv = f === undefined ? ['run', ...words] : before ? ['run', f, ...words] : ['run', ...words, f];
          return { argv, script: `${header}${lines.join('\n')}\n` };
        });
    case 'exec':
      return fc
        .tuple(
          items,
          fc.oneof(
            { withCrossShrink: true },
            { weight: 5, arbitrary: arbLineSpec.map((s) => renderLine(s).trim().split(/\s+/)) },
            { weight: 1, arbitrary: fc.constant([] as string[]) },
          ),
          fc.boolean(),
        )
        .map(([opts, words, dashdash]) => ({ argv: ['exec', ...opts.flat(), ...(dashdash ? ['--'] : []), ...words] }));
    case 'dns':
      // Never a server that starts: a non-loopback --address last, so `dns serve` always refuses.
      return fc
        .tuple(fc.constantFrom<string[]>(['serve'], ['stop'], [], ['serve', 'serve'], ['']), items, fc.constantFrom('--address=10.0.0.1', '--address=0.0.0.0'))
        .map(([sub, opts, address]) => ({ argv: ['dns', ...sub, ...opts.flat(), address] }));
    case 'generate':
      return fc
        .tuple(fc.constantFrom('1', '2', '3', '0', 'x', '', '-1'), fc.constantFrom('0', '1', '5', '-1', 'x'), items, fc.boolean())
        .map(([n, s, opts, base]) => ({ argv: ['generate', ...(base ? ['--nodes', n, '--services', s] : []), ...opts.flat()] }));
    default:
      return items.map((opts) => ({ argv: [cmd, ...opts.flat()] }));
  }
}

/** The line saying `internal error` and the one before it (in a transcript: the command). */
function aroundInternalError(text: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes('internal error:'));
  return at < 0 ? lines.slice(-6).join('\n') : lines.slice(Math.max(0, at - 1), at + 1).join('\n');
}

/** What `main` answered, and the checks every CLI run must pass. */
export function checkCliRun(argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  let code: number;
  const real = argv.map(resolveWord);
  try {
    code = main(real, { out: (s) => out.push(String(s)), err: (s) => err.push(String(s)), env: {} });
  } catch (e) {
    throw crash('main(argv)', e);
  }
  const o = out.join('');
  const e = err.join('');
  const text = `${o}${e}`;
  if (code === 70) {
    const m = /internal error: (.*)/.exec(text);
    throw new Finding(
      'crash',
      `CLI exit 70 (netsim ${argv[0]}): internal error: ${normalizeMessage(m?.[1] ?? '(no message)')}`,
      `exit 70; the output around it:\n${clip(aroundInternalError(text), 800)}`,
    );
  }
  if (/^ {4}at /m.test(text)) throw new Finding('crash', 'CLI printed a stack trace', clip(text, 1500));
  if (!Number.isInteger(code) || code < 0 || code > 255) throw new Finding('crash', 'CLI exit status is not 0..255', `main returned ${String(code)}`);
  if (argv[0] === 'trace' && (code === 0 || code === 1) && o !== '' && real.some((w, i) => (w === '-o' && real[i + 1] === 'json') || w === '--output=json')) {
    try {
      JSON.parse(o);
    } catch {
      throw expectation('netsim trace -o json printed something that is not JSON', clip(o, 500));
    }
  }
  return { code, out: o, err: e };
}

export const cliCategory: Category<CliInput> = {
  name: 'cli',
  summary: 'netsim argv: every subcommand with random words, odd option values, unknown options, odd files (main(argv, io))',
  label: (input) => `netsim ${input.argv[0] ?? ''}`,
  arbitrary: () =>
    fc
      .oneof(
        { weight: 4, arbitrary: arbArgv('run') },
        { weight: 2, arbitrary: arbArgv('trace') },
        { weight: 3, arbitrary: arbArgv('exec') },
        { weight: 1, arbitrary: arbArgv('dns') },
        { weight: 2, arbitrary: arbArgv('generate') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(['help'], ['--help'], ['-h'], [], ['bogus'], [''], ['--version'], ['RUN'], ['run', '--help'], ['trace', '-h']).map((argv) => ({ argv })),
        },
      )
      .map((x) => x as CliInput),
  // The clusters most argv build: the default lab (memoised Cluster.create) and the temporary files.
  warm: () => {
    tmp();
    withMemoisedCreate(() => Cluster.create());
  },
  run: (input) => {
    if (input.script !== undefined) writeFileSync(join(tmp(), 'script.sh'), input.script);
    withMemoisedCreate(() => checkCliRun(input.argv));
  },
  show: (input) => {
    const words = input.argv.map((w) => w.replace(/\{file:([^}]+)\}/g, '$TMP/$1')).map((w) => (/^[\w./:=@$-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`));
    const uses = input.argv.some((w) => w.includes('{file:script.sh}'));
    return clip(
      fold(
        `netsim ${words.join(' ')}\n  (main(${visible(JSON.stringify(input.argv))}, io); $TMP holds ok.yaml, invalid.yaml, broken.yaml, empty.yaml, binary.bin, lesson.sh, options.sh, dir/)${uses && input.script !== undefined ? `\n  $TMP/script.sh:\n${input.script.replace(/^/gm, '  | ')}` : ''}`,
      ),
      3000,
    );
  },
};
