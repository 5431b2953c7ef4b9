// Each subcommand's options, declared once: the parser takes only these (an unknown option or a
// missing value is a usage error, exit 2, as getopt-style tools do), and the usage text is
// printed from the same table, so `netsim CMD --help` never drifts from what CMD accepts.

export interface OptionSpec {
  /** Long name without dashes (`seed`); the key the parsed value is stored under. */
  name: string;
  /** A one-letter alias (`f` for `-f`). */
  short?: string;
  /** Placeholder of the value (`N`, `FILE`); absent for a flag that takes none. */
  value?: string;
  /** May be given more than once (values are collected, e.g. `-f a.yaml -f b.yaml`). */
  repeat?: boolean;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** What follows the command name in the usage line (`FILE`, `-- COMMAND...`). */
  synopsis: string;
  summary: string;
  options: readonly OptionSpec[];
  /** Positional arguments it takes: exactly this many (`rest` takes the words after `--`). */
  positionals: number;
  rest?: boolean;
}

/** Cluster options every subcommand that builds a cluster takes. */
export const CLUSTER_OPTIONS: readonly OptionSpec[] = [
  { name: 'seed', value: 'N', help: 'seed of every random choice (default 1)' },
  { name: 'nodes', value: 'N', help: 'node count, the first one the control plane (default 3)' },
  { name: 'k8s-version', value: 'V', help: 'Kubernetes version of the cluster (default the current one)' },
  { name: 'cni', value: 'flannel|none', help: 'install Flannel, or leave the cluster without a CNI' },
  { name: 'flannel-backend', value: 'vxlan|host-gw', help: "Flannel's backend (default vxlan)" },
  { name: 'filename', short: 'f', value: 'FILE', repeat: true, help: 'manifests applied before the command' },
];

const HELP: OptionSpec = { name: 'help', short: 'h', help: 'show this help' };

export class UsageError extends Error {}

export interface ParsedArgs {
  values: Record<string, string>;
  lists: Record<string, string[]>;
  flags: Set<string>;
  positionals: string[];
  rest: string[];
}

/** Parse argv after the command name; throws UsageError with the reason. `--help` wins. */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = [...spec.options, HELP];
  const out: ParsedArgs = { values: {}, lists: {}, flags: new Set(), positionals: [], rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      if (!spec.rest) throw new UsageError(`unexpected "--"`);
      out.rest = argv.slice(i + 1);
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = a.startsWith('--') ? a.slice(2, eq > 0 ? eq : undefined) : a.slice(1);
    const opt = a.startsWith('--') ? options.find((o) => o.name === key) : options.find((o) => o.short === key);
    if (!opt) throw new UsageError(`unknown option "${a.slice(0, eq > 0 ? eq : undefined)}"`);
    if (opt === HELP) {
      out.flags.add('help');
      return out;
    }
    if (!opt.value) {
      if (eq > 0) throw new UsageError(`option "--${opt.name}" takes no value`);
      out.flags.add(opt.name);
      continue;
    }
    let value: string | undefined;
    if (eq > 0 && a.startsWith('--')) value = a.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined) throw new UsageError(`option "${a}" needs a value (${opt.value})`);
    if (opt.repeat) (out.lists[opt.name] ??= []).push(value);
    else out.values[opt.name] = value;
  }
  if (out.positionals.length > spec.positionals) throw new UsageError(`unexpected argument "${out.positionals[spec.positionals]}"`);
  return out;
}

/** The usage text of one subcommand, from its option table. */
export function commandUsage(spec: CommandSpec): string {
  const rows = [...spec.options, HELP].map((o) => {
    const names = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;
    return `  ${names.padEnd(36)} ${o.help}`;
  });
  return `usage: netsim ${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ''} [options]\n\n${spec.summary}\n\noptions:\n${rows.join('\n')}\n`;
}

/** An integer option: `--seed abc` is a usage error naming the option. */
export function intOption(args: ParsedArgs, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = args.values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`option "--${name}": an integer from ${min} to ${max}, not "${raw}"`);
  }
  return n;
}
