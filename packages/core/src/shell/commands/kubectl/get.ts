// kubectl get (tables, -o yaml|json|name|jsonpath, -l, --field-selector) and get -w.

import { ApiError, kubectlErrorLine } from '../../../api/errors.js';
import type { Kind, KubeObject } from '../../../api/types.js';
import { isNamespaced } from '../../../api/types.js';
import { getObject, listObjects } from '../../../state/store.js';
import { tick } from '../../clock.js';
import { KINDS } from '../../../api/resources.js';
import { JsonPathError, renderGet, renderJsonPath, renderWatchRow, type ResourceName } from '../../../views/kubectl/index.js';
import { fail, ok, type CommandIO, type CommandResult } from '../../context.js';
import { parseFieldSelector, parseSelector, qualified, resolveKind, type Flags } from './flags.js';

export const WATCH_WINDOW_MS = 30_000;

/**
 * kubectl get -w: the table, then one row per change as the watch delivers it. A script cannot
 * press Ctrl-C, so the simulated watch follows the cluster for 30 simulated seconds and stops.
 */
export function watch(kind: Kind, names: string[], objects: KubeObject[], f: Flags, io: CommandIO, output: 'table' | 'wide', all: boolean, ns: string): CommandResult {
  const resource = KINDS[kind].plural as ResourceName;
  const opts = { output, allNamespaces: all, namespace: ns, showLabels: f.showLabels, kubernetesVersion: io.state.config.kubernetesVersion } as const;
  const first = renderGet(resource, objects, { ...opts, now: io.state.clock, columnWidths: [], sort: names.length === 0 });
  let widths = first.columnWidths ?? [];
  let stdout = first.stdout;
  let state = io.state;
  const seen = new Map(objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.metadata.resourceVersion]));
  const namespaced = isNamespaced(kind);
  for (let t = 0; t < WATCH_WINDOW_MS; t += 1000) {
    state = tick(state, 1000);
    const now = (namespaced ? listObjects(state, kind, all ? undefined : ns) : listObjects(state, kind)).filter((o) => !names.length || names.includes(o.metadata.name));
    for (const o of now) {
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      if (seen.get(key) === o.metadata.resourceVersion) continue;
      seen.set(key, o.metadata.resourceVersion);
      const row = renderWatchRow(resource, o, { ...opts, now: state.clock, columnWidths: widths });
      widths = row.columnWidths ?? widths;
      stdout += row.stdout;
    }
  }
  return { stdout, ...(first.stderr ? { stderr: first.stderr, stderrFirst: true } : {}), state };
}

export function get(f: Flags, io: CommandIO): CommandResult {
  const [typeWord, ...names] = f.positional;
  if (!typeWord)
    return fail(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples',
      1,
    );
  const [w, slashName] = typeWord.split('/');
  const kind = resolveKind(w ?? '');
  if (!kind) return fail(`error: the server doesn't have a resource type "${w}"`, 1);
  if (slashName) names.push(slashName);
  const ns = f.namespace ?? 'default';
  const namespaced = isNamespaced(kind);
  const all = namespaced && f.allNamespaces;
  let objects: KubeObject[];
  const errors: string[] = [];
  if (names.length) {
    objects = [];
    for (const n of names) {
      const o = getObject(io.state, kind, namespaced ? ns : undefined, n);
      if (o) objects.push(o);
      else errors.push(kubectlErrorLine(new ApiError({ reason: 'NotFound', message: `${qualified(kind)} "${n}" not found`, name: n })));
    }
  } else {
    objects = listObjects(io.state, kind, namespaced && !all ? ns : undefined);
  }
  if (names.length && objects.length === 0) return fail(errors.join('\n'), 1);
  const match = parseSelector(f.selector);
  if (match) objects = objects.filter((o) => match(o.metadata.labels));
  const fieldMatch = parseFieldSelector(f.values['field-selector']);
  if (typeof fieldMatch === 'string') return fail(fieldMatch, 1);
  if (fieldMatch) objects = objects.filter(fieldMatch);
  if (f.output?.startsWith('jsonpath=')) {
    const data = names.length === 1 ? objects[0] : { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
    try {
      return ok(renderJsonPath(f.output.slice('jsonpath='.length).replace(/^'(.*)'$/, '$1'), data));
    } catch (e) {
      if (e instanceof JsonPathError) return fail(e.message, 1);
      throw e;
    }
  }
  const output = (f.output ?? 'table') as 'table' | 'wide' | 'yaml' | 'json' | 'name';
  if (!['table', 'wide', 'yaml', 'json', 'name'].includes(output)) {
    return fail(
      `error: unable to match a printer suitable for the output format "${f.output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
      1,
    );
  }
  if (f.watch && (output === 'table' || output === 'wide')) return watch(kind, names, objects, f, io, output, all, ns);
  const rendered = renderGet(KINDS[kind].plural as ResourceName, objects, {
    output,
    allNamespaces: all,
    now: io.state.clock,
    showLabels: f.showLabels,
    namespace: ns,
    // A lone object prints as itself only when the user named it; a list query prints a List.
    singleItemImplied: names.length === 1,
    sort: names.length === 0,
    kubernetesVersion: io.state.config.kubernetesVersion,
  });
  const stderr = [...errors, ...(rendered.stderr ? [rendered.stderr.replace(/\n$/, '')] : [])].join('\n');
  return { stdout: rendered.stdout, ...(stderr ? { stderr: `${stderr}\n`, stderrFirst: true } : {}), exitCode: errors.length ? 1 : 0 };
}
