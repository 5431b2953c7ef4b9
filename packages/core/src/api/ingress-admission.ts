// The DefaultIngressClass admission plugin (plugin/pkg/admission/network/defaultingressclass):
// a new Ingress that names no class, by field or by the old annotation, gets the class marked
// `ingressclass.kubernetes.io/is-default-class: "true"`. It needs the cluster's IngressClasses,
// so it runs apart from validateManifest (after it: the class it sets is a valid name).

import type { IngressClass } from './types.js';
import type { Manifest, ManifestMeta } from './manifest-types.js';
import { ApiError } from './errors.js';
import { quote as goQuote } from '../util/golang/strconv.js';
import { INGRESS_CLASS_ANNOTATION } from './validate-ingress.js';
import { versionAtLeast } from './version.js';

export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/**
 * The default IngressClass, or undefined. Several defaults: from 1.25 the newest wins (equal
 * ages: the smaller name); before, the create is refused with Forbidden.
 */
export function defaultIngressClass(classes: readonly IngressClass[], opts: { kubernetesVersion?: string; ingressName?: string } = {}): IngressClass | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true');
  if (defaults.length <= 1) return defaults[0];
  if (!versionAtLeast(opts.kubernetesVersion, 1, 25)) {
    const name = opts.ingressName ?? '';
    throw new ApiError({
      reason: 'Forbidden',
      message: `ingresses.networking.k8s.io ${goQuote(name)} is forbidden: Internal error occurred: ${defaults.length} default IngressClasses were found, only 1 allowed`,
      name,
      kubernetesVersion: opts.kubernetesVersion,
    });
  }
  const time = (c: IngressClass) => Date.parse(c.metadata.creationTimestamp) || 0;
  return [...defaults].sort((a, b) => time(b) - time(a) || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))[0];
}

/** What the plugin reads of an Ingress: its name, annotations and spec. */
export type IngressToAdmit = Pick<Manifest<'Ingress'>, 'spec'> & { metadata: Pick<ManifestMeta, 'name' | 'annotations'> };

/** Admit a new Ingress: returns it with spec.ingressClassName filled in when the plugin would. */
export function admitDefaultIngressClass<T extends IngressToAdmit>(ing: T, classes: readonly IngressClass[], kubernetesVersion?: string): T {
  // The plugin (and IngressClass itself) arrived in 1.18.
  if (!versionAtLeast(kubernetesVersion, 1, 18)) return ing;
  if (ing.spec.ingressClassName !== undefined || ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] !== undefined) return ing;
  const cls = defaultIngressClass(classes, { kubernetesVersion, ingressName: ing.metadata.name });
  return cls ? { ...ing, spec: { ...ing.spec, ingressClassName: cls.metadata.name } } : ing;
}
