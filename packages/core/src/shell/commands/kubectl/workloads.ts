// kubectl run, create deployment, expose, scale and delete.

import { isApiError, kubectlErrorLine } from '../../../api/errors.js';
import type { Kind, KubeObject, Pod } from '../../../api/types.js';
import { isNamespaced } from '../../../api/types.js';
import { validateManifest } from '../../../api/manifest.js';
import { versionAtLeast } from '../../../api/version.js';
import { getObject } from '../../../state/store.js';
import { applyObjects, deleteObject, scaleObject } from '../../../controllers/transitions.js';
import { kindRef } from '../../../api/resources.js';
import { fail, type CommandIO, type CommandResult } from '../../context.js';
import { goInt } from './cli.js';
import { apiFailure, NO_RESOURCES, qualified, resolveKind, type Flags } from './flags.js';

/** Words after `--` are the container's args, or its command with --command. */
export function podTemplate(name: string, image: string, f: Flags) {
  const port = f.values.port ? Number(f.values.port) : undefined;
  const argv = f.command.length ? { [f.values.command === 'true' ? 'command' : 'args']: f.command } : {};
  return {
    containers: [{ name, image, ...argv, ...(port ? { ports: [{ containerPort: port }] } : {}) }],
  };
}

/** kubectl run: a Pod since 1.18; before, a Deployment (with the deprecation warning). */
export function run(f: Flags, io: CommandIO): CommandResult {
  const name = f.positional[0];
  const image = f.values.image;
  if (!name) return fail("error: NAME is required for run\nSee 'kubectl run -h' for help and examples", 1);
  if (!image) return fail('error: required flag(s) "image" not set', 1);
  const labels = f.values.labels ? Object.fromEntries(f.values.labels.split(',').map((kv) => kv.split('=') as [string, string])) : { run: name };
  const ns = f.namespace ?? 'default';
  const old = !versionAtLeast(io.state.config.kubernetesVersion, 1, 18);
  const restart = f.values.restart ?? 'Always';
  const doc =
    old && restart === 'Always'
      ? {
          apiVersion: 'apps/v1',
          kind: 'Deployment' as const,
          metadata: { name, namespace: ns, labels },
          spec: { replicas: goInt(f.values.replicas ?? '1'), selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podTemplate(name, image, f) } },
        }
      : { apiVersion: 'v1', kind: 'Pod' as const, metadata: { name, namespace: ns, labels }, spec: { ...podTemplate(name, image, f), restartPolicy: restart } };
  try {
    const manifest = validateManifest(doc, { kubernetesVersion: io.state.config.kubernetesVersion, defaultNamespace: ns });
    if (getObject(io.state, manifest.kind, ns, name)) {
      return fail(`Error from server (AlreadyExists): ${qualified(manifest.kind)} "${name}" already exists`, 1);
    }
    const { state } = applyObjects(io.state, [manifest]);
    const warn =
      old && restart === 'Always'
        ? 'kubectl run --generator=deployment/apps.v1 is DEPRECATED and will be removed in a future version. Use kubectl run --generator=run-pod/v1 or kubectl create instead.\n'
        : '';
    return { stdout: `${kindRef(manifest.kind)}/${name} created\n`, ...(warn ? { stderr: warn } : {}), state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}

export function createDeployment(f: Flags, io: CommandIO): CommandResult {
  const [name] = f.positional;
  const image = f.values.image;
  if (f.positional.length !== 1 || name === undefined)
    return fail(`error: exactly one NAME is required, got ${f.positional.length}\nSee 'kubectl create deployment -h' for help and examples`, 1);
  if (!image) return fail('error: required flag(s) "image" not set', 1);
  const ns = f.namespace ?? 'default';
  const labels = { app: name };
  const cname = image.split('/').pop()!.split(':')[0]!.split('@')[0]!;
  const port = f.values.port !== undefined && goInt(f.values.port) > 0 ? goInt(f.values.port) : undefined;
  const doc = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels },
    spec: {
      replicas: goInt(f.values.replicas ?? '1'),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: cname, image, ...(port ? { ports: [{ containerPort: port }] } : {}) }] } },
    },
  };
  try {
    if (getObject(io.state, 'Deployment', ns, name)) return fail(`error: failed to create deployment: deployments.apps "${name}" already exists`, 1);
    const manifest = validateManifest(doc, { kubernetesVersion: io.state.config.kubernetesVersion, defaultNamespace: ns });
    const { state } = applyObjects(io.state, [manifest]);
    return { stdout: `deployment.apps/${name} created\n`, state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}

/** kubectl create namespace NAME. */
export function createNamespace(f: Flags, io: CommandIO): CommandResult {
  const [name] = f.positional;
  if (f.positional.length !== 1 || name === undefined)
    return fail(`error: exactly one NAME is required, got ${f.positional.length}\nSee 'kubectl create namespace -h' for help and examples`, 1);
  try {
    if (getObject(io.state, 'Namespace', undefined, name)) return fail(`Error from server (AlreadyExists): namespaces "${name}" already exists`, 1);
    const manifest = validateManifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { kubernetesVersion: io.state.config.kubernetesVersion });
    const { state } = applyObjects(io.state, [manifest]);
    return { stdout: `namespace/${name} created\n`, state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}

/**
 * kubectl expose deployment|rs|pod|service NAME --port P [--target-port T] [--type T] [--name N]
 * [--protocol P]: a Service whose selector is the resource's (a Deployment's matchLabels, a pod's
 * labels), ports from the flags or the resource's container ports.
 */
export function expose(f: Flags, io: CommandIO): CommandResult {
  const [typeWord = '', maybeName] = f.positional;
  const [w = '', slashName] = typeWord.split('/');
  const name = slashName ?? maybeName;
  const kind = resolveKind(w);
  if (!kind || !name)
    return fail(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      1,
    );
  const ns = f.namespace ?? 'default';
  const obj = getObject(io.state, kind, isNamespaced(kind) ? ns : undefined, name);
  if (!obj) return fail(`Error from server (NotFound): ${qualified(kind)} "${name}" not found`, 1);
  let selector: Record<string, string> | undefined;
  let containerPorts: { containerPort: number; protocol: string; name?: string }[] = [];
  if (kind === 'Deployment' || kind === 'ReplicaSet' || kind === 'DaemonSet') {
    const o = obj as Extract<KubeObject, { kind: 'Deployment' | 'ReplicaSet' | 'DaemonSet' }>;
    if (o.spec.selector.matchExpressions?.length)
      return fail(`error: couldn't retrieve selectors via --selector flag or introspection: invalid deployment: no selectors, therefore cannot be exposed`, 1);
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
  if (!selector || Object.keys(selector).length === 0)
    return fail(`error: couldn't retrieve selectors via --selector flag or introspection: the ${kind.toLowerCase()} has no labels`, 1);
  const protocol = (f.values.protocol ?? 'TCP').toUpperCase();
  let ports: Record<string, unknown>[];
  if (f.values.port) {
    const target = f.values['target-port'];
    ports = [{ port: Number(f.values.port), protocol, targetPort: target === undefined ? Number(f.values.port) : /^\d+$/.test(target) ? Number(target) : target }];
  } else if (containerPorts.length) {
    ports = containerPorts.map((p, i) => ({
      ...(containerPorts.length > 1 ? { name: p.name ?? `port-${i + 1}` } : {}),
      port: p.containerPort,
      protocol: p.protocol,
      targetPort: p.containerPort,
    }));
  } else return fail(`error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples`, 1);
  const svcName = f.values.name ?? name;
  const type = f.values.type ?? 'ClusterIP';
  const doc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: svcName, namespace: ns, ...(obj.metadata.labels ? { labels: obj.metadata.labels } : {}) },
    spec: { type, selector, ports },
  };
  try {
    if (getObject(io.state, 'Service', ns, svcName)) return fail(`Error from server (AlreadyExists): services "${svcName}" already exists`, 1);
    const manifest = validateManifest(doc, { kubernetesVersion: io.state.config.kubernetesVersion, defaultNamespace: ns });
    const { state } = applyObjects(io.state, [manifest]);
    return { stdout: `service/${svcName} exposed\n`, state };
  } catch (e) {
    return apiFailure(e, io.state);
  }
}

export function scale(f: Flags, io: CommandIO): CommandResult {
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
  } else if (!a) return fail(NO_RESOURCES, 1);
  else return fail('error: resource(s) were provided, but no name was specified', 1);
  let state = io.state;
  const out: string[] = [];
  for (const [k, n] of targets) {
    if (k !== 'Deployment' && k !== 'ReplicaSet') return fail(`error: no scaler has been implemented for {"" "${k}"}`, 1);
    try {
      state = scaleObject(state, k, f.namespace ?? 'default', n, goInt(replicas));
      out.push(`${kindRef(k)}/${n} scaled`);
    } catch (e) {
      return apiFailure(e, io.state);
    }
  }
  return { stdout: out.map((l) => `${l}\n`).join(''), state };
}

export function del(f: Flags, io: CommandIO): CommandResult {
  const targets: [Kind, string][] = [];
  const [a, ...rest] = f.positional;
  if (!a) return fail(NO_RESOURCES, 1);
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
      const ns = isNamespaced(k) ? (f.namespace ?? 'default') : undefined;
      state = deleteObject(state, k, ns, n);
      // kubectl 1.34 started naming the namespace in the confirmation.
      const where = ns && versionAtLeast(state.config.kubernetesVersion, 1, 34) ? ` from ${ns} namespace` : '';
      out.push(`${kindRef(k)} "${n}" deleted${where}`);
    } catch (e) {
      if (!isApiError(e)) throw e;
      errs.push(kubectlErrorLine(e));
    }
  }
  return { stdout: out.map((l) => `${l}\n`).join(''), ...(errs.length ? { stderr: `${errs.join('\n')}\n`, exitCode: 1 } : {}), state };
}
