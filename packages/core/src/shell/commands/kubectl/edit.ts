// kubectl annotate and patch: edits of a stored object, re-validated and applied.

import type { Kind, KubeObject } from '../../../api/types.js';
import { isNamespaced } from '../../../api/types.js';
import { validateManifest } from '../../../api/manifest.js';
import { getObject } from '../../../state/store.js';
import { applyObjects } from '../../../controllers/transitions.js';
import { dropTypeDependentFields } from '../../../apiserver/service-strategy.js';
import { kindRef } from '../../../api/resources.js';
import type { ClusterState } from '../../../state/types.js';
import { fail, type CommandIO, type CommandResult } from '../../context.js';
import { quote } from '../../../util/golang/strconv.js';
import { apiFailure, NO_RESOURCES, qualified, targetOf, type Flags } from './flags.js';

/** The stored object as a manifest again: what `kubectl get -o yaml` would give to edit. */
export function toManifest(obj: KubeObject): Record<string, unknown> {
  const { status: _s, metadata, ...rest } = structuredClone(obj) as KubeObject & { status?: unknown };
  const m: Record<string, unknown> = { name: metadata.name };
  if (metadata.namespace) m.namespace = metadata.namespace;
  if (metadata.labels) m.labels = metadata.labels;
  if (metadata.annotations) m.annotations = metadata.annotations;
  return { ...rest, metadata: m };
}

/** Apply an edited manifest of an existing object; `unchanged` when nothing differs. */
export function update(io: CommandIO, kind: Kind, edited: Record<string, unknown>, old?: KubeObject): { state: ClusterState; changed: boolean } {
  // The API server drops the fields a Service's new type no longer uses before it validates.
  if (old?.kind === 'Service') dropTypeDependentFields(edited, old.spec);
  const manifest = validateManifest(edited, { kubernetesVersion: io.state.config.kubernetesVersion });
  const r = applyObjects(io.state, [manifest]);
  void kind;
  return { state: r.state, changed: r.results[0]?.action !== 'unchanged' };
}

/**
 * kubectl annotate: metadata only. When the key looks like a spec field a learner meant to change
 * (the seed's `externalTrafficPolicy=Local`), the simulator adds a note saying so.
 */
export function annotate(f: Flags, io: CommandIO): CommandResult {
  if (f.positional.length === 0 && f.files.length === 0) return fail('error: one or more resources must be specified as <resource> <name> or <resource>/<name>', 1);
  const { kind, name, word, rest } = targetOf(f);
  if (!kind) return fail(`error: the server doesn't have a resource type "${word}"`, 1);
  if (!name) return fail('error: one or more resources must be specified as <resource> <name> or <resource>/<name>', 1);
  const ns = f.namespace ?? 'default';
  const obj = getObject(io.state, kind, isNamespaced(kind) ? ns : undefined, name);
  if (!obj) return fail(`Error from server (NotFound): ${qualified(kind)} "${name}" not found`, 1);
  const edited = toManifest(obj);
  const meta = edited.metadata as { annotations?: Record<string, string> };
  const annotations = { ...(meta.annotations ?? {}) };
  const notes: string[] = [];
  for (const kv of rest) {
    if (kv.endsWith('-') && !kv.includes('=')) {
      delete annotations[kv.slice(0, -1)];
      continue;
    }
    const eq = kv.indexOf('=');
    if (eq <= 0) return fail(`error: at least one annotation update is required`, 1);
    const key = kv.slice(0, eq);
    const value = kv.slice(eq + 1);
    if (annotations[key] !== undefined && f.values.overwrite !== 'true') {
      return fail(`error: --overwrite is false but found the following declared annotation(s): '${key}' already has a value (${annotations[key]})`, 1);
    }
    annotations[key] = value;
    const spec = (obj as { spec?: Record<string, unknown> }).spec;
    if ((spec && key in spec) || /^(externalTrafficPolicy|internalTrafficPolicy|type|sessionAffinity|replicas)$/.test(key)) {
      const current = spec?.[key];
      notes.push(
        `netsim: note: "${key}" is now an annotation — metadata only. ${kind} ${name}'s spec.${key} is still ${current === undefined ? 'unset' : JSON.stringify(current)}, and nothing reads this annotation.\n` +
          `netsim: to change the field itself: kubectl patch ${kind === 'Service' ? 'svc' : kind.toLowerCase()} ${name} -p '{"spec":{"${key}":${JSON.stringify(value)}}}'`,
      );
    }
  }
  meta.annotations = annotations;
  try {
    const { state } = update(io, kind, edited);
    return { stdout: `${kindRef(kind)}/${name} annotated\n`, ...(notes.length ? { stderr: `${notes.join('\n')}\n` } : {}), state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}

/** RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Strategic merge: like a merge patch, but lists of named things merge by their key. */
export function strategicPatch(target: unknown, patch: unknown, field = ''): unknown {
  if (Array.isArray(patch) && Array.isArray(target)) {
    const key =
      field === 'containers' || field === 'initContainers' || field === 'env' || field === 'volumes'
        ? 'name'
        : field === 'ports'
          ? patch.some((p) => p && typeof p === 'object' && 'containerPort' in p)
            ? 'containerPort'
            : 'port'
          : undefined;
    if (!key) return patch;
    const out = target.map((x) => ({ ...(x as object) })) as Record<string, unknown>[];
    for (const p of patch as Record<string, unknown>[]) {
      const i = out.findIndex((x) => x[key] === p[key]);
      if (i >= 0) out[i] = strategicPatch(out[i], p) as Record<string, unknown>;
      else out.push(p);
    }
    return out;
  }
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = strategicPatch(out[k], v, k);
  }
  return out;
}

export function patch(f: Flags, io: CommandIO): CommandResult {
  // kubectl validates the patch and its type before it looks the resource up.
  const body = f.values.patch;
  if (!body) return fail('error: must specify --patch or --patch-file containing the contents of the patch', 1);
  const type = f.values.type ?? 'strategic';
  if (type !== 'json' && type !== 'merge' && type !== 'strategic') return fail(`error: --type must be one of [json merge strategic], not ${quote(type)}`, 1);
  if (f.positional.length === 0) return fail(NO_RESOURCES, 1);
  const { kind, name, word } = targetOf(f);
  if (!kind) return fail(`error: the server doesn't have a resource type "${word}"`, 1);
  if (!name) return fail('error: resource(s) were provided, but no name was specified', 1);
  if (type === 'json') return fail('error: --type json (JSON Patch) is not simulated; use --type merge or the default strategic merge patch', 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return fail(`error: unable to parse "${body}": yaml: did not find expected node content`, 1);
  }
  const ns = f.namespace ?? 'default';
  const obj = getObject(io.state, kind, isNamespaced(kind) ? ns : undefined, name);
  if (!obj) return fail(`Error from server (NotFound): ${qualified(kind)} "${name}" not found`, 1);
  const base = toManifest(obj);
  const edited = (type === 'merge' ? mergePatch(base, parsed) : strategicPatch(base, parsed)) as Record<string, unknown>;
  try {
    const { state, changed } = update(io, kind, edited, obj);
    return { stdout: `${kindRef(kind)}/${name} patched${changed ? '' : ' (no change)'}\n`, state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}
