// The flags every kubectl verb reads (parsed by cli.ts) and the helpers they share (resource names,
// selectors, errors).

import { isApiError, kubectlErrorLine } from '../../../api/errors.js';
import type { Kind, KubeObject } from '../../../api/types.js';
import { kindFromResource, qualifiedResource } from '../../../api/resources.js';
import type { ClusterState } from '../../../state/types.js';
import { selectorMatches } from '../../../api/labels.js';
import { fail, type CommandResult } from '../../context.js';

export interface Flags {
  namespace?: string;
  allNamespaces: boolean;
  output?: string;
  files: string[];
  selector?: string;
  watch: boolean;
  showLabels: boolean;
  positional: string[];
  /** Every flag given, by its long name (`container`, `patch`), bools as 'true'/'false'. */
  values: Record<string, string>;
  /** Words after `--`. */
  command: string[];
}

/** The resource builder's error when no resource is named (delete, scale, patch). */
export const NO_RESOURCES =
  "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

export function apiFailure(e: unknown, state: ClusterState, extra: { verb?: string; source?: string } = {}): CommandResult {
  if (isApiError(e)) return fail(kubectlErrorLine(e, { ...extra, kubernetesVersion: state.config.kubernetesVersion }), 1);
  throw e;
}

export function resolveKind(word: string): Kind | undefined {
  return kindFromResource(word);
}

/** `-l app=nginx,tier!=x` as a LabelSelector (equality-based forms). */
export function parseSelector(sel: string | undefined): ((labels: Record<string, string> | undefined) => boolean) | undefined {
  if (!sel) return undefined;
  const matchLabels: Record<string, string> = {};
  const matchExpressions: { key: string; operator: 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[] = [];
  for (const term of sel.split(',')) {
    const ne = term.split('!=');
    if (ne.length === 2) matchExpressions.push({ key: ne[0]!.trim(), operator: 'NotIn', values: [ne[1]!.trim()] });
    else if (term.includes('=')) {
      const [k = '', v = ''] = term.split(/==?/);
      matchLabels[k.trim()] = v.trim();
    } else if (term.startsWith('!')) matchExpressions.push({ key: term.slice(1), operator: 'DoesNotExist' });
    else matchExpressions.push({ key: term.trim(), operator: 'Exists' });
  }
  return (labels) => selectorMatches({ matchLabels, matchExpressions }, labels);
}

/** --field-selector for the fields the API server indexes on pods and nodes (a=b, a!=b, comma-joined). */
export function parseFieldSelector(sel: string | undefined): ((o: KubeObject) => boolean) | string | undefined {
  if (!sel) return undefined;
  const terms: { path: string[]; value: string; neq: boolean }[] = [];
  for (const term of sel.split(',')) {
    const m = /^([\w.]+)(!=|==|=)(.*)$/.exec(term.trim());
    if (!m) return `error: invalid field selector: '${term}'`;
    const field = m[1]!;
    if (!/^(metadata\.(name|namespace)|spec\.nodeName|status\.(phase|podIP)|spec\.unschedulable)$/.test(field)) {
      return `Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "${sel}": field label not supported: ${field}`;
    }
    terms.push({ path: field.split('.'), value: m[3]!, neq: m[2] === '!=' });
  }
  return (o) =>
    terms.every((t) => {
      const v = t.path.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);
      return (String(v ?? '') === t.value) !== t.neq;
    });
}

export function qualified(kind: Kind): string {
  return qualifiedResource(kind);
}

export function targetOf(f: Flags): { kind?: Kind; name?: string; word: string; rest: string[] } {
  const [a = '', ...rest] = f.positional;
  if (a.includes('/')) {
    const [w = '', n = ''] = a.split('/');
    return { kind: resolveKind(w), name: n, word: w, rest };
  }
  const [name, ...more] = rest;
  return { kind: resolveKind(a), ...(name ? { name } : {}), word: a, rest: more };
}
