// kubectl describe for the kinds the simulator renders.

import type { KubeObject, Pod } from '../../../api/types.js';
import { isNamespaced } from '../../../api/types.js';
import { getObject, listObjects } from '../../../state/store.js';
import { clusterEvents } from '../../../controllers/events.js';
import {
  describeConfigMap,
  describeIngress,
  describeIngressClass,
  describeNetworkPolicy,
  describeNode,
  describePod,
  describeService,
  ingressEndpointsLookup,
} from '../../../views/kubectl/index.js';
import { fail, ok, type CommandIO, type CommandResult } from '../../context.js';
import { qualified, resolveKind, type Flags } from './flags.js';

export function describe(f: Flags, io: CommandIO): CommandResult {
  const [typeWord, ...names] = f.positional;
  if (typeWord === undefined) return fail('error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.', 1);
  const [w = '', slashName] = typeWord.split('/');
  if (slashName) names.push(slashName);
  const kind = resolveKind(w);
  if (!kind) return fail(`error: the server doesn't have a resource type "${w}"`, 1);
  const ns = f.namespace ?? 'default';
  const objs = names.length
    ? names.map((n) => getObject(io.state, kind, isNamespaced(kind) ? ns : undefined, n))
    : listObjects(io.state, kind, isNamespaced(kind) ? ns : undefined);
  const out: string[] = [];
  for (const [i, o] of objs.entries()) {
    if (!o) return fail(`Error from server (NotFound): ${qualified(kind)} "${names[i]}" not found`, 1);
    const events = clusterEvents(io.state).filter((e) => e.kind === kind && e.name === o.metadata.name && (e.namespace ?? undefined) === (o.metadata.namespace ?? undefined));
    if (kind === 'Pod') out.push(describePod(o as Pod, events, io.state.clock));
    else if (kind === 'Service') {
      const svc = o as Extract<KubeObject, { kind: 'Service' }>;
      const slices = (listObjects(io.state, 'EndpointSlice', svc.metadata.namespace) as Extract<KubeObject, { kind: 'EndpointSlice' }>[]).filter(
        (e) => e.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name,
      );
      out.push(describeService(svc, slices, events, io.state.clock));
    } else if (kind === 'ConfigMap') out.push(describeConfigMap(o as Extract<KubeObject, { kind: 'ConfigMap' }>, events, io.state.clock));
    else if (kind === 'Ingress') {
      const lookup = ingressEndpointsLookup(
        listObjects(io.state, 'Service') as Extract<KubeObject, { kind: 'Service' }>[],
        listObjects(io.state, 'EndpointSlice') as Extract<KubeObject, { kind: 'EndpointSlice' }>[],
      );
      out.push(describeIngress(o as Extract<KubeObject, { kind: 'Ingress' }>, lookup, events, io.state.clock));
    } else if (kind === 'IngressClass') out.push(describeIngressClass(o as Extract<KubeObject, { kind: 'IngressClass' }>, events, io.state.clock));
    else if (kind === 'NetworkPolicy') out.push(describeNetworkPolicy(o as Extract<KubeObject, { kind: 'NetworkPolicy' }>));
    else if (kind === 'Node') {
      const pods = (listObjects(io.state, 'Pod') as Pod[]).filter((p) => p.spec.nodeName === o.metadata.name);
      out.push(describeNode(o as KubeObject & { kind: 'Node' }, pods, events, io.state.clock));
    } else return fail(`error: describe ${w} is not supported by the simulator yet`, 1);
  }
  return ok(out.join('\n\n'));
}
