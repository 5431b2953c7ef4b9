// kubectl rollout restart (kubectl/pkg/cmd/rollout/rollout_restart.go): a rollout of an unchanged
// template, forced by patching the pod template's `kubectl.kubernetes.io/restartedAt` annotation
// with the time (RFC 3339). The Deployment controller makes a new ReplicaSet for it; the
// DaemonSet controller replaces each daemon pod. Other kinds are refused as kubectl's
// ObjectRestarter refuses them; a second restart within the same second makes no patch.

import type { Kind, KubeObject } from '../../../api/types.js';
import { isNamespaced } from '../../../api/types.js';
import { kindRef, qualifiedResource } from '../../../api/resources.js';
import { getObject, listObjects, rfc3339 } from '../../../state/store.js';
import type { ClusterState } from '../../../state/types.js';
import { quote } from '../../../util/golang/strconv.js';
import { fail, type CommandIO, type CommandResult } from '../../context.js';
import { toManifest, update } from './edit.js';
import { apiFailure, NO_RESOURCES, parseSelector, qualified, resolveKind, type Flags } from './flags.js';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** The objects the resource builder resolves `TYPE NAME…`, `TYPE/NAME…` or `TYPE` (every one, or those matching -l) to. */
function targets(f: Flags, state: ClusterState, ns: string): { objects: { kind: Kind; name: string; obj?: KubeObject }[] } | { error: string } {
  const words = f.positional;
  const out: { kind: Kind; name: string; obj?: KubeObject }[] = [];
  const at = (kind: Kind, name: string) => ({ kind, name, obj: getObject(state, kind, isNamespaced(kind) ? ns : undefined, name) });
  if (words.every((w) => w.includes('/'))) {
    for (const w of words) {
      const [type = '', name = ''] = w.split('/');
      const kind = resolveKind(type);
      if (!kind) return { error: `error: the server doesn't have a resource type "${type}"` };
      out.push(at(kind, name));
    }
    return { objects: out };
  }
  const [type = '', ...names] = words;
  const kind = resolveKind(type);
  if (!kind) return { error: `error: the server doesn't have a resource type "${type}"` };
  if (names.length > 0) return { objects: names.map((n) => at(kind, n)) };
  const match = parseSelector(f.values.selector);
  const all = listObjects(state, kind, isNamespaced(kind) ? ns : undefined).filter((o) => !match || match(o.metadata.labels));
  if (all.length === 0) return { error: `No resources found in ${ns} namespace.` };
  return { objects: all.map((o) => ({ kind, name: o.metadata.name, obj: o })) };
}

export function rolloutRestart(f: Flags, io: CommandIO): CommandResult {
  if (f.positional.length === 0) return fail(NO_RESOURCES, 1);
  const ns = f.namespace ?? 'default';
  const t = targets(f, io.state, ns);
  if ('error' in t) return fail(t.error, 1);
  let state = io.state;
  let stdout = '';
  const errors: string[] = [];
  const now = rfc3339(io.state.clock);
  for (const { kind, name, obj } of t.objects) {
    if (!obj) {
      errors.push(`Error from server (NotFound): ${qualified(kind)} "${name}" not found`);
      continue;
    }
    if (kind !== 'Deployment' && kind !== 'DaemonSet') {
      errors.push(`error: ${qualifiedResource(kind)} ${quote(name)} restarting is not supported`);
      continue;
    }
    const edited = toManifest(obj);
    const template = (edited.spec as { template: { metadata?: { annotations?: Record<string, string> } } }).template;
    const meta = (template.metadata ??= {});
    if (meta.annotations?.[RESTARTED_AT] === now) {
      errors.push(`error: failed to create patch for ${name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`);
      continue;
    }
    meta.annotations = { ...(meta.annotations ?? {}), [RESTARTED_AT]: now };
    try {
      state = update({ ...io, state }, kind, edited).state;
    } catch (e) {
      const r = apiFailure(e, io.state);
      errors.push((r.stderr ?? '').trimEnd());
      continue;
    }
    stdout += `${kindRef(kind)}/${name} restarted\n`;
  }
  const result: CommandResult = { stdout, state };
  if (errors.length) return { ...result, stderr: `${errors.join('\n')}\n`, exitCode: 1 };
  return result;
}
