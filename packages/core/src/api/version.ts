// Kubernetes version handling: several API server and kubectl messages changed wording
// between releases, so callers pass the cluster's version and we pick the matching form.

/** Used when a caller gives no version (matches the example in ClusterConfig). */
export const DEFAULT_KUBERNETES_VERSION = '1.34.2';

export interface MinorVersion {
  major: number;
  minor: number;
}

/** Parses "1.31.4", "v1.31", "1.31.0-rc.1"; anything unparsable falls back to the default. */
export function parseKubernetesVersion(version: string | undefined): MinorVersion {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? DEFAULT_KUBERNETES_VERSION);
  if (!m) return parseKubernetesVersion(DEFAULT_KUBERNETES_VERSION);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** True when `version` is at least `major.minor`. */
export function versionAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const v = parseKubernetesVersion(version);
  return v.major > major || (v.major === major && v.minor >= minor);
}

/**
 * How field.Error renders composite bad values: Go syntax (%#v) until 1.33, JSON from 1.34
 * (kubernetes/kubernetes#132314, "Nicer value rendering in API errors").
 */
export type ValueStyle = 'go' | 'json';

export function valueStyleFor(version: string | undefined): ValueStyle {
  return versionAtLeast(version, 1, 34) ? 'json' : 'go';
}
