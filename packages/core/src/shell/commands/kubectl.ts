// kubectl against the simulated API server: get, apply, run, create deployment, scale, delete,
// describe, exec. Output and errors as kubectl prints them.

import { ApiError, isApiError, kubectlErrorLine } from '../../api/errors.js';
import type { Kind, KubeObject, Pod } from '../../api/types.js';
import { isNamespaced } from '../../api/types.js';
import { parseManifests } from '../../api/yaml.js';
import { validateManifest } from '../../api/manifest.js';
import { versionAtLeast } from '../../api/version.js';
import { getObject, listObjects } from '../../state/store.js';
import { advanceClock, applyObjects, deleteObject, scaleObject, type ObjectInput } from '../../state/transitions.js';
import { KINDS, kindFromResource, kindRef, qualifiedResource } from '../../api/resources.js';
import type { ClusterState } from '../../state/types.js';
import { describeConfigMap, describeIngress, describeIngressClass, describeNode, describePod, describeService, ingressEndpointsLookup, renderGet, renderWatchRow, type ResourceName } from '../../views/kubectl/index.js';
import { JsonPathError, renderJsonPath } from '../../views/kubectl/jsonpath.js';
import { selectorMatches } from '../../controllers/selector.js';
import { FLANNEL_MANIFEST_URLS, KUBE_FLANNEL_YML } from '../../addons/kube-flannel.js';
import { fail, ok, type Command, type CommandIO, type CommandResult, type ShellContext } from '../context.js';


interface Flags {
  namespace?: string;
  allNamespaces: boolean;
  output?: string;
  files: string[];
  selector?: string;
  watch: boolean;
  showLabels: boolean;
  positional: string[];
  values: Record<string, string>;
  /** Words after `--`. */
  command: string[];
}

const VALUE_FLAGS = new Set(['-n', '--namespace', '-o', '--output', '-f', '--filename', '-l', '--selector', '--image', '--replicas', '--port', '--restart', '-c', '--container', '--labels', '--type', '--target-port', '--name', '--field-selector', '--protocol', '-p', '--patch']);

function parseFlags(args: string[]): Flags {
  const f: Flags = { allNamespaces: false, files: [], watch: false, showLabels: false, positional: [], values: {}, command: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      f.command = args.slice(i + 1);
      break;
    }
    let key = a;
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      key = a.slice(0, eq);
      value = a.slice(eq + 1);
    } else if (/^-[nofl].+/.test(a) && !a.startsWith('--')) {
      key = a.slice(0, 2);
      value = a.slice(2);
    }
    if (VALUE_FLAGS.has(key)) {
      value ??= args[++i] ?? '';
      if (key === '-n' || key === '--namespace') f.namespace = value;
      else if (key === '-o' || key === '--output') f.output = value;
      else if (key === '-f' || key === '--filename') f.files.push(value);
      else if (key === '-l' || key === '--selector') f.selector = value;
      else f.values[key.replace(/^-+/, '')] = value;
    } else if (a === '-A' || a === '--all-namespaces') f.allNamespaces = true;
    else if (a === '-w' || a === '--watch') f.watch = true;
    else if (a === '--show-labels') f.showLabels = true;
    else if (a.startsWith('-')) f.values[key.replace(/^-+/, '')] = value ?? 'true';
    else f.positional.push(a);
  }
  return f;
}

function apiFailure(e: unknown, state: ClusterState, extra: { verb?: string; source?: string } = {}): CommandResult {
  if (isApiError(e)) return fail(kubectlErrorLine(e, { ...extra, kubernetesVersion: state.config.kubernetesVersion }), 1);
  throw e;
}

function resolveKind(word: string): Kind | undefined {
  return kindFromResource(word);
}

/** `-l app=nginx,tier!=x` as a LabelSelector (equality-based forms). */
function parseSelector(sel: string | undefined): ((labels: Record<string, string> | undefined) => boolean) | undefined {
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

const WATCH_WINDOW_MS = 30_000;

/**
 * kubectl get -w: the table, then one row per change as the watch delivers it. A script cannot
 * press Ctrl-C, so the simulated watch follows the cluster for 30 simulated seconds and stops.
 */
function watch(kind: Kind, names: string[], objects: KubeObject[], f: Flags, io: CommandIO, output: 'table' | 'wide', all: boolean, ns: string): CommandResult {
  const resource = KINDS[kind].plural as ResourceName;
  const opts = { output, allNamespaces: all, namespace: ns, showLabels: f.showLabels, kubernetesVersion: io.state.config.kubernetesVersion } as const;
  const first = renderGet(resource, objects, { ...opts, now: io.state.clock, columnWidths: [], sort: names.length === 0 });
  let widths = first.columnWidths ?? [];
  let stdout = first.stdout;
  let state = io.state;
  const seen = new Map(objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.metadata.resourceVersion]));
  const namespaced = isNamespaced(kind);
  for (let t = 0; t < WATCH_WINDOW_MS; t += 1000) {
    state = advanceClock(state, 1000);
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

/** --field-selector for the fields the API server indexes on pods and nodes (a=b, a!=b, comma-joined). */
function parseFieldSelector(sel: string | undefined): ((o: KubeObject) => boolean) | string | undefined {
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

function get(f: Flags, io: CommandIO): CommandResult {
  const [typeWord, ...names] = f.positional;
  if (!typeWord) return fail('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples', 1);
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
    return fail(`error: unable to match a printer suitable for the output format "${f.output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`, 1);
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
  return { stdout: rendered.stdout, ...(stderr ? { stderr: stderr + '\n', stderrFirst: true } : {}), exitCode: errors.length ? 1 : 0 };
}

function qualified(kind: Kind): string {
  return qualifiedResource(kind);
}

/** Manifests the simulator knows by URL (there is no internet to fetch others from). */
function builtinManifest(url: string): string | undefined {
  if (FLANNEL_MANIFEST_URLS.includes(url) || /\/kube-flannel\.ya?ml$/.test(url)) return KUBE_FLANNEL_YML;
  return undefined;
}

function readSource(path: string, io: CommandIO): string {
  if (path === '-') return io.stdin;
  if (/^https?:\/\//.test(path)) {
    const text = builtinManifest(path);
    if (text === undefined) throw new Error(`error: unable to read URL "${path}", server reported 404 Not Found, status code=404`);
    return text;
  }
  if (!io.env.readFile) throw new Error(`error: the path "${path}" cannot be read here (no file access)`);
  return io.env.readFile(path);
}

/** kubectl apply -f: each document on its own, as kubectl does (earlier ones stay applied). */
function apply(f: Flags, io: CommandIO, verb: 'apply' | 'create'): CommandResult {
  if (f.files.length === 0) return fail('error: must specify one of -f and -k', 1);
  let state = io.state;
  const out: string[] = [];
  const errs: string[] = [];
  for (const file of f.files) {
    const source = file === '-' ? 'STDIN' : file;
    let text: string;
    try {
      text = readSource(file, io);
    } catch (e) {
      errs.push(file.startsWith('http') ? (e as Error).message : `error: the path "${file}" does not exist`);
      continue;
    }
    let docs: unknown[];
    try {
      docs = parseManifests(text, source);
    } catch (e) {
      if (isApiError(e)) {
        errs.push(kubectlErrorLine(e, { source }));
        continue;
      }
      throw e;
    }
    if (docs.length === 0) {
      errs.push('error: no objects passed to apply');
      continue;
    }
    for (const doc of docs) {
      try {
        const manifest = validateManifest(doc, { kubernetesVersion: state.config.kubernetesVersion, defaultNamespace: f.namespace ?? 'default' }) as unknown as ObjectInput;
        if (verb === 'create' && getObject(state, manifest.kind as Kind, manifest.metadata.namespace, manifest.metadata.name)) {
          errs.push(`Error from server (AlreadyExists): error when creating "${source}": ${qualified(manifest.kind as Kind)} "${manifest.metadata.name}" already exists`);
          continue;
        }
        const r = applyObjects(state, [manifest]);
        state = r.state;
        // kubectl names the resource by the group it was applied as (`ingress.extensions/x`).
        const written = (doc as { apiVersion?: unknown }).apiVersion;
        const group = typeof written === 'string' && written.includes('/') ? written.slice(0, written.indexOf('/')) : '';
        for (const res of r.results) out.push(`${group ? `${res.kind.toLowerCase()}.${group}` : kindRef(res.kind)}/${res.name} ${res.action}`);
      } catch (e) {
        if (!isApiError(e)) throw e;
        errs.push(kubectlErrorLine(e, { verb: verb === 'apply' ? 'creating' : 'creating', source, kubernetesVersion: state.config.kubernetesVersion }));
      }
    }
  }
  return { stdout: out.map((l) => `${l}\n`).join(''), ...(errs.length ? { stderr: errs.join('\n') + '\n', exitCode: 1 } : {}), state };
}

/** Words after `--` are the container's args, or its command with --command. */
function podTemplate(name: string, image: string, f: Flags) {
  const port = f.values.port ? Number(f.values.port) : undefined;
  const argv = f.command.length ? { [f.values.command === 'true' ? 'command' : 'args']: f.command } : {};
  return {
    containers: [{ name, image, ...argv, ...(port ? { ports: [{ containerPort: port }] } : {}) }],
  };
}

/** kubectl run: a Pod since 1.18; before, a Deployment (with the deprecation warning). */
function run(f: Flags, io: CommandIO): CommandResult {
  const name = f.positional[0];
  const image = f.values.image;
  if (!name) return fail('error: NAME is required for run\nSee \'kubectl run -h\' for help and examples', 1);
  if (!image) return fail('error: required flag(s) "image" not set', 1);
  const labels = f.values.labels ? Object.fromEntries(f.values.labels.split(',').map((kv) => kv.split('=') as [string, string])) : { run: name };
  const ns = f.namespace ?? 'default';
  const old = !versionAtLeast(io.state.config.kubernetesVersion, 1, 18);
  const restart = f.values.restart ?? 'Always';
  const doc =
    old && restart === 'Always'
      ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels }, spec: { replicas: Number(f.values.replicas ?? 1), selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podTemplate(name, image, f) } } }
      : { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { ...podTemplate(name, image, f), restartPolicy: restart } };
  try {
    const manifest = validateManifest(doc, { kubernetesVersion: io.state.config.kubernetesVersion, defaultNamespace: ns }) as unknown as ObjectInput;
    if (getObject(io.state, manifest.kind as Kind, ns, name)) {
      return fail(`Error from server (AlreadyExists): ${qualified(manifest.kind as Kind)} "${name}" already exists`, 1);
    }
    const { state } = applyObjects(io.state, [manifest]);
    const warn = old && restart === 'Always' ? 'kubectl run --generator=deployment/apps.v1 is DEPRECATED and will be removed in a future version. Use kubectl run --generator=run-pod/v1 or kubectl create instead.\n' : '';
    return { stdout: `${kindRef(manifest.kind as Kind)}/${name} created\n`, ...(warn ? { stderr: warn } : {}), state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}

function createDeployment(f: Flags, io: CommandIO): CommandResult {
  const name = f.positional[1];
  const image = f.values.image;
  if (!name) return fail('error: exactly one NAME is required, got 0\nSee \'kubectl create deployment -h\' for help and examples', 1);
  if (!image) return fail('error: required flag(s) "image" not set', 1);
  const ns = f.namespace ?? 'default';
  const labels = { app: name };
  const cname = image.split('/').pop()!.split(':')[0]!.split('@')[0]!;
  const port = f.values.port ? Number(f.values.port) : undefined;
  const doc = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels },
    spec: { replicas: Number(f.values.replicas ?? 1), selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: cname, image, ...(port ? { ports: [{ containerPort: port }] } : {}) }] } } },
  };
  try {
    if (getObject(io.state, 'Deployment', ns, name)) return fail(`error: failed to create deployment: deployments.apps "${name}" already exists`, 1);
    const manifest = validateManifest(doc, { kubernetesVersion: io.state.config.kubernetesVersion, defaultNamespace: ns }) as unknown as ObjectInput;
    const { state } = applyObjects(io.state, [manifest]);
    return { stdout: `deployment.apps/${name} created\n`, state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}

/**
 * kubectl expose deployment|rs|pod|service NAME --port P [--target-port T] [--type T] [--name N]
 * [--protocol P]: a Service whose selector is the resource's (a Deployment's matchLabels, a pod's
 * labels), ports from the flags or the resource's container ports.
 */
function expose(f: Flags, io: CommandIO): CommandResult {
  const [typeWord = '', maybeName] = f.positional;
  const [w = '', slashName] = typeWord.split('/');
  const name = slashName ?? maybeName;
  const kind = resolveKind(w);
  if (!kind || !name) return fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'", 1);
  const ns = f.namespace ?? 'default';
  const obj = getObject(io.state, kind, isNamespaced(kind) ? ns : undefined, name);
  if (!obj) return fail(`Error from server (NotFound): ${qualified(kind)} "${name}" not found`, 1);
  let selector: Record<string, string> | undefined;
  let containerPorts: { containerPort: number; protocol: string; name?: string }[] = [];
  if (kind === 'Deployment' || kind === 'ReplicaSet' || kind === 'DaemonSet') {
    const o = obj as Extract<KubeObject, { kind: 'Deployment' | 'ReplicaSet' | 'DaemonSet' }>;
    if (o.spec.selector.matchExpressions?.length) return fail(`error: couldn't retrieve selectors via --selector flag or introspection: invalid deployment: no selectors, therefore cannot be exposed`, 1);
    selector = o.spec.selector.matchLabels;
    containerPorts = o.spec.template.spec.containers.flatMap((c) => c.ports ?? []);
  } else if (kind === 'Pod') {
    const p = obj as Pod;
    selector = p.metadata.labels;
    containerPorts = p.spec.containers.flatMap((c) => c.ports ?? []);
  } else if (kind === 'Service') {
    const sv = obj as Extract<KubeObject, { kind: 'Service' }>;
    selector = sv.spec.selector;
    containerPorts = (sv.spec.ports ?? []).map((p) => ({ containerPort: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) }));
  } else return fail(`error: cannot expose a ${kind}`, 1);
  if (!selector || Object.keys(selector).length === 0) return fail(`error: couldn't retrieve selectors via --selector flag or introspection: the ${kind.toLowerCase()} has no labels`, 1);
  const protocol = (f.values.protocol ?? 'TCP').toUpperCase();
  let ports: Record<string, unknown>[];
  if (f.values.port) {
    const target = f.values['target-port'];
    ports = [{ port: Number(f.values.port), protocol, targetPort: target === undefined ? Number(f.values.port) : /^\d+$/.test(target) ? Number(target) : target }];
  } else if (containerPorts.length) {
    ports = containerPorts.map((p, i) => ({ ...(containerPorts.length > 1 ? { name: p.name ?? `port-${i + 1}` } : {}), port: p.containerPort, protocol: p.protocol, targetPort: p.containerPort }));
  } else return fail(`error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples`, 1);
  const svcName = f.values.name ?? name;
  const type = f.values.type ?? 'ClusterIP';
  const doc = { apiVersion: 'v1', kind: 'Service', metadata: { name: svcName, namespace: ns, ...(obj.metadata.labels ? { labels: obj.metadata.labels } : {}) }, spec: { type, selector, ports } };
  try {
    if (getObject(io.state, 'Service', ns, svcName)) return fail(`Error from server (AlreadyExists): services "${svcName}" already exists`, 1);
    const manifest = validateManifest(doc, { kubernetesVersion: io.state.config.kubernetesVersion, defaultNamespace: ns }) as unknown as ObjectInput;
    const { state } = applyObjects(io.state, [manifest]);
    return { stdout: `service/${svcName} exposed\n`, state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}

/** The stored object as a manifest again: what `kubectl get -o yaml` would give to edit. */
function toManifest(obj: KubeObject): Record<string, unknown> {
  const { status: _s, metadata, ...rest } = structuredClone(obj) as KubeObject & { status?: unknown };
  const m: Record<string, unknown> = { name: metadata.name };
  if (metadata.namespace) m.namespace = metadata.namespace;
  if (metadata.labels) m.labels = metadata.labels;
  if (metadata.annotations) m.annotations = metadata.annotations;
  return { ...rest, metadata: m };
}

/** Apply an edited manifest of an existing object; `unchanged` when nothing differs. */
function update(io: CommandIO, kind: Kind, edited: Record<string, unknown>): { state: ClusterState; changed: boolean } {
  const manifest = validateManifest(edited, { kubernetesVersion: io.state.config.kubernetesVersion }) as unknown as ObjectInput;
  const r = applyObjects(io.state, [manifest]);
  void kind;
  return { state: r.state, changed: r.results[0]?.action !== 'unchanged' };
}

function targetOf(f: Flags): { kind?: Kind; name?: string; word: string; rest: string[] } {
  const [a = '', ...rest] = f.positional;
  if (a.includes('/')) {
    const [w = '', n = ''] = a.split('/');
    return { kind: resolveKind(w), name: n, word: w, rest };
  }
  const [name, ...more] = rest;
  return { kind: resolveKind(a), ...(name ? { name } : {}), word: a, rest: more };
}

/**
 * kubectl annotate: metadata only. When the key looks like a spec field a learner meant to change
 * (the seed's `externalTrafficPolicy=Local`), the simulator adds a note saying so.
 */
function annotate(f: Flags, io: CommandIO): CommandResult {
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
    if (spec && key in spec || /^(externalTrafficPolicy|internalTrafficPolicy|type|sessionAffinity|replicas)$/.test(key)) {
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
    return { stdout: `${kindRef(kind)}/${name} annotated\n`, ...(notes.length ? { stderr: notes.join('\n') + '\n' } : {}), state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}

/** RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Strategic merge: like a merge patch, but lists of named things merge by their key. */
function strategicPatch(target: unknown, patch: unknown, field = ''): unknown {
  if (Array.isArray(patch) && Array.isArray(target)) {
    const key = field === 'containers' || field === 'initContainers' || field === 'env' || field === 'volumes' ? 'name' : field === 'ports' ? (patch.some((p) => p && typeof p === 'object' && 'containerPort' in p) ? 'containerPort' : 'port') : undefined;
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

function patch(f: Flags, io: CommandIO): CommandResult {
  const { kind, name, word } = targetOf(f);
  if (!kind) return fail(`error: the server doesn't have a resource type "${word}"`, 1);
  if (!name) return fail('error: resource(s) were provided, but no name was specified', 1);
  const body = f.values.p ?? f.values.patch;
  if (!body) return fail('error: must specify --patch or --patch-file containing the contents of the patch', 1);
  const type = f.values.type ?? 'strategic';
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
    const { state, changed } = update(io, kind, edited);
    return { stdout: `${kindRef(kind)}/${name} patched${changed ? '' : ' (no change)'}\n`, state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}

function scale(f: Flags, io: CommandIO): CommandResult {
  const replicas = f.values.replicas;
  if (replicas === undefined) return fail('error: required flag(s) "replicas" not set', 1);
  const targets: [Kind, string][] = [];
  const [a, b] = f.positional;
  if (a?.includes('/')) {
    for (const p of f.positional) {
      const [w = '', n = ''] = p.split('/');
      const k = resolveKind(w);
      if (!k) return fail(`error: the server doesn't have a resource type "${w}"`, 1);
      targets.push([k, n]);
    }
  } else if (a && b) {
    const k = resolveKind(a);
    if (!k) return fail(`error: the server doesn't have a resource type "${a}"`, 1);
    targets.push([k, b]);
  } else return fail('error: resource(s) were provided, but no name was specified', 1);
  let state = io.state;
  const out: string[] = [];
  for (const [k, n] of targets) {
    if (k !== 'Deployment' && k !== 'ReplicaSet') return fail(`error: no scaler has been implemented for {"" "${k}"}`, 1);
    try {
      state = scaleObject(state, k, f.namespace ?? 'default', n, Number(replicas));
      out.push(`${kindRef(k)}/${n} scaled`);
    } catch (e) {
      return apiFailure(e, io.state);
    }
  }
  return { stdout: out.map((l) => `${l}\n`).join(''), state };
}

function del(f: Flags, io: CommandIO): CommandResult {
  const targets: [Kind, string][] = [];
  const [a, ...rest] = f.positional;
  if (!a) return fail('error: You must provide one or more resources by argument or filename.', 1);
  if (a.includes('/')) {
    for (const p of f.positional) {
      const [w = '', n = ''] = p.split('/');
      const k = resolveKind(w);
      if (!k) return fail(`error: the server doesn't have a resource type "${w}"`, 1);
      targets.push([k, n]);
    }
  } else {
    const k = resolveKind(a);
    if (!k) return fail(`error: the server doesn't have a resource type "${a}"`, 1);
    if (rest.length === 0) return fail('error: resource(s) were provided, but no name was specified', 1);
    for (const n of rest) targets.push([k, n]);
  }
  let state = io.state;
  const out: string[] = [];
  const errs: string[] = [];
  for (const [k, n] of targets) {
    try {
      const ns = isNamespaced(k) ? f.namespace ?? 'default' : undefined;
      state = deleteObject(state, k, ns, n);
      // kubectl 1.34 started naming the namespace in the confirmation.
      const where = ns && versionAtLeast(state.config.kubernetesVersion, 1, 34) ? ` from ${ns} namespace` : '';
      out.push(`${kindRef(k)} "${n}" deleted${where}`);
    } catch (e) {
      if (!isApiError(e)) throw e;
      errs.push(kubectlErrorLine(e));
    }
  }
  return { stdout: out.map((l) => `${l}\n`).join(''), ...(errs.length ? { stderr: errs.join('\n') + '\n', exitCode: 1 } : {}), state };
}

function describe(f: Flags, io: CommandIO): CommandResult {
  const [typeWord = '', ...names] = f.positional;
  const [w = '', slashName] = typeWord.split('/');
  if (slashName) names.push(slashName);
  const kind = resolveKind(w);
  if (!kind) return fail(`error: the server doesn't have a resource type "${w}"`, 1);
  const ns = f.namespace ?? 'default';
  const objs = names.length ? names.map((n) => getObject(io.state, kind, isNamespaced(kind) ? ns : undefined, n)) : listObjects(io.state, kind, isNamespaced(kind) ? ns : undefined);
  const out: string[] = [];
  for (const [i, o] of objs.entries()) {
    if (!o) return fail(`Error from server (NotFound): ${qualified(kind)} "${names[i]}" not found`, 1);
    const events = io.state.events.filter((e) => e.kind === kind && e.name === o.metadata.name && (e.namespace ?? undefined) === (o.metadata.namespace ?? undefined));
    if (kind === 'Pod') out.push(describePod(o as Pod, events, io.state.clock));
    else if (kind === 'Service') {
      const svc = o as Extract<KubeObject, { kind: 'Service' }>;
      const slices = (listObjects(io.state, 'EndpointSlice', svc.metadata.namespace) as Extract<KubeObject, { kind: 'EndpointSlice' }>[]).filter(
        (e) => e.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name,
      );
      out.push(describeService(svc, slices, events, io.state.clock));
    } else if (kind === 'ConfigMap') out.push(describeConfigMap(o as Extract<KubeObject, { kind: 'ConfigMap' }>, events, io.state.clock));
    else if (kind === 'Ingress') {
      const lookup = ingressEndpointsLookup(listObjects(io.state, 'Service') as Extract<KubeObject, { kind: 'Service' }>[], listObjects(io.state, 'EndpointSlice') as Extract<KubeObject, { kind: 'EndpointSlice' }>[]);
      out.push(describeIngress(o as Extract<KubeObject, { kind: 'Ingress' }>, lookup, events, io.state.clock));
    } else if (kind === 'IngressClass') out.push(describeIngressClass(o as Extract<KubeObject, { kind: 'IngressClass' }>, events, io.state.clock));
    else if (kind === 'Node') {
      const pods = (listObjects(io.state, 'Pod') as Pod[]).filter((p) => p.spec.nodeName === o.metadata.name);
      out.push(describeNode(o as KubeObject & { kind: 'Node' }, pods, events, io.state.clock));
    } else return fail(`error: describe ${w} is not supported by the simulator yet`, 1);
  }
  return ok(out.join('\n\n'));
}

export type ExecRunner = (argv: string[], io: CommandIO, ctx: ShellContext) => CommandResult;

function exec(f: Flags, io: CommandIO, runIn: ExecRunner): CommandResult {
  const podName = f.positional[0];
  if (!podName) return fail('error: pod, type/name or --filename must be specified', 1);
  if (f.command.length === 0) return fail('error: you must specify at least one command for the container', 1);
  const ns = f.namespace ?? 'default';
  const name = podName.replace(/^pods?\//, '');
  const pod = io.state.pods[ns]?.[name];
  if (!pod) return fail(`Error from server (NotFound): pods "${name}" not found`, 1);
  if (pod.status.phase !== 'Running' || !pod.spec.nodeName) return fail(`error: unable to upgrade connection: container not found ("${pod.spec.containers[0]?.name}")`, 1);
  const container = f.values.c ?? f.values.container ?? pod.spec.containers[0]?.name ?? '';
  if (!pod.spec.containers.some((c) => c.name === container)) return fail(`error: unable to upgrade connection: container not found ("${container}")`, 1);
  return runIn(f.command, io, { kind: 'pod', pod: `${ns}/${name}`, node: pod.spec.nodeName, container });
}

export function kubectl(runIn: ExecRunner): Command {
  return (args, io) => {
    if (io.ctx.kind === 'node' && io.state.nodes[io.ctx.node]?.metadata.labels?.['node-role.kubernetes.io/control-plane'] === undefined) {
      // Workers have no admin kubeconfig in a kubeadm lab.
      const d = new Date(io.state.clock);
      const pad = (n: number, w = 2) => String(n).padStart(w, '0');
      const stamp = `E${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
      const line = `${stamp}    4211 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"`;
      return fail(`${line}\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?`, 1);
    }
    if (io.ctx.kind === 'pod') return fail('sh: kubectl: not found', 127);
    const [verb = '', ...rest] = args;
    const f = parseFlags(rest);
    switch (verb) {
      case 'get':
        return get(f, io);
      case 'apply':
        return apply(f, io, 'apply');
      case 'create':
        if (f.positional[0] === 'deployment' || f.positional[0] === 'deploy') return createDeployment(f, io);
        return apply(f, io, 'create');
      case 'run':
        return run(f, io);
      case 'scale':
        return scale(f, io);
      case 'expose':
        return expose(f, io);
      case 'annotate':
        return annotate(f, io);
      case 'patch':
        return patch(f, io);
      case 'delete':
        return del(f, io);
      case 'describe':
        return describe(f, io);
      case 'exec':
        return exec(f, io, runIn);
      case 'version':
        return ok(`Client Version: v${io.state.config.kubernetesVersion}\nKustomize Version: v5.7.1\nServer Version: v${io.state.config.kubernetesVersion}\n`);
      default:
        return fail(`error: unknown command "${verb}" for "kubectl"\n\nDid you mean this?\n\tget\n\nRun 'kubectl --help' for usage.`, 1);
    }
  };
}

