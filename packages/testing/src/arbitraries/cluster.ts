// fast-check arbitrary of converged clusters: the default lab, or a cluster of 1..N nodes with a
// Flannel backend and a seed, with arbManifests applied. Test-only (imports fast-check).

import fc from 'fast-check';
import { advanceClock, Cluster, type ClusterOptions } from '@k8s-netsim/core';
import { arbManifests, manifestsToYaml, toManifests, withToString, type Manifests, type ManifestsArbOptions } from './manifests.js';

export type FlannelBackend = 'vxlan' | 'host-gw';

export interface ClusterArbOptions {
  /** Node count range for non-default clusters (default 1..4; the first node is the control plane). */
  nodes?: { min?: number; max?: number };
  /** Flannel backends to draw from (default both). */
  backends?: readonly FlannelBackend[];
  /**
   * Values of the `hairpinMode` option (cni-conf.json's, so each pod's bridge-port hairpin flag) to
   * draw from for non-default clusters (default both: true, the default, and false). `true` is left
   * out of the options, so such clusters read as before.
   */
  hairpinModes?: readonly boolean[];
  /** Options for the manifests applied on top (see `arbManifests`); `false` applies none. */
  manifests?: ManifestsArbOptions | false;
  /**
   * `true`: always the default lab (`Cluster.create()`); `false`: never; unset (default): the
   * default lab about a quarter of the time, else `Cluster.create({ nodes, flannelBackend, seed })`.
   */
  defaultLab?: boolean;
}

/** How an `arbCluster` value was built: the `Cluster.create` options and the manifests applied. */
export interface ClusterOrigin {
  /** `{}` for the default lab. */
  options: ClusterOptions;
  manifests: Manifests;
  /** Simulated milliseconds the clock was advanced after the apply (MetalLB's provisioning delay). */
  settledMs: number;
}

const origins = new WeakMap<Cluster, ClusterOrigin>();

/** The options and manifests an `arbCluster` value was built from (undefined for other clusters). */
export function clusterOrigin(cluster: Cluster): ClusterOrigin | undefined {
  return origins.get(cluster);
}

let defaultLab: Cluster | undefined;

/** `Cluster.create()`, built once (clusters are immutable, so one instance serves every value). */
function theDefaultLab(): Cluster {
  return (defaultLab ??= Cluster.create());
}

/** The TypeScript a test author would write to rebuild the cluster, then the manifests. */
export function describeClusterOrigin(origin: ClusterOrigin): string {
  const create = Object.keys(origin.options).length === 0 ? 'Cluster.create()' : `Cluster.create(${JSON.stringify(origin.options)})`;
  const settle = origin.settledMs > 0 ? `\n# then the clock advanced ${origin.settledMs} ms (LoadBalancer addresses assigned)` : '';
  return `# ${create}.apply(manifests)${settle}\n# manifests:\n${manifestsToYaml(origin.manifests)}`;
}

/**
 * Build what `arbCluster` builds, for given options and manifests: create, apply, then advance
 * the clock past MetalLB's provisioning delay so LoadBalancer Services have their addresses.
 * Throws what `apply` throws.
 */
export function buildCluster(options: ClusterOptions, manifests: Manifests): Cluster {
  const created = Object.keys(options).length === 0 ? theDefaultLab() : Cluster.create(options);
  const applied = manifests.length ? created.apply(manifests) : created;
  const delay = applied.state.config.loadBalancer.provisionDelayMs;
  const settledMs = delay > 0 ? delay + 1000 : 0;
  const cluster = settledMs > 0 ? Cluster.fromState(advanceClock(applied.state, settledMs)) : applied;
  const origin: ClusterOrigin = { options, manifests, settledMs };
  origins.set(cluster, origin);
  return withToString(cluster, () => describeClusterOrigin(origin));
}

/**
 * Converged clusters: the default lab, or `Cluster.create({ nodes, flannelBackend, seed })` (with
 * `hairpinMode: false` for some),
 * with `arbManifests` applied and the clock advanced past MetalLB's provisioning delay (so
 * LoadBalancer Services have their addresses). Every controller has run to its fixed point:
 * running them again (`reconcile`) or re-applying the same manifests changes nothing.
 *
 * A failing property prints the options and the manifests as YAML; `clusterOrigin(c)` returns
 * them as data. Values shrink towards the default lab (or fewer nodes, vxlan, seed 0) and fewer
 * objects.
 */
export function arbCluster(opts: ClusterArbOptions = {}): fc.Arbitrary<Cluster> {
  const min = Math.max(1, opts.nodes?.min ?? 1);
  const max = Math.max(min, opts.nodes?.max ?? 4);
  const backends = opts.backends ?? ['vxlan', 'host-gw'];
  if (backends.length === 0) throw new Error('arbCluster: backends must name at least one Flannel backend');
  const hairpins = opts.hairpinModes ?? [true, false];
  if (hairpins.length === 0) throw new Error('arbCluster: hairpinModes must list at least one value');
  // Shrinks towards the first value listed (by default true, the lab's).
  const custom: fc.Arbitrary<ClusterOptions> = fc
    .record({ nodes: fc.integer({ min, max }), flannelBackend: fc.constantFrom(...backends), seed: fc.nat({ max: 2 ** 31 - 1 }), hairpinMode: fc.constantFrom(...hairpins) })
    .map(({ hairpinMode, ...o }) => (hairpinMode ? { ...o } : { ...o, hairpinMode }));
  const lab = fc.constant<ClusterOptions>({});
  const options =
    opts.defaultLab === true ? lab : opts.defaultLab === false ? custom : fc.oneof({ withCrossShrink: true }, { weight: 1, arbitrary: lab }, { weight: 3, arbitrary: custom });
  const manifests = opts.manifests === false ? fc.constant(toManifests([])) : arbManifests(opts.manifests ?? {});
  return fc.tuple(options, manifests).map(([o, m]) => buildCluster(o, m));
}
