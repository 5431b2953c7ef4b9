// Hand-built, already-defaulted manifests (no YAML, no validation): the objects `applyObjects`
// takes, for tests that drive the functional core directly.

import type { Container, ObjectInput, Toleration } from '@k8s-netsim/core';

export function container(name: string, image: string): Container {
  return { name, image, imagePullPolicy: 'IfNotPresent' };
}

const podDefaults = { restartPolicy: 'Always' as const, dnsPolicy: 'ClusterFirst' as const, schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 };

export function podInput(
  name: string,
  extra: { nodeName?: string; nodeSelector?: Record<string, string>; tolerations?: Toleration[]; hostNetwork?: boolean; namespace?: string; image?: string } = {},
): ObjectInput<'Pod'> {
  const { namespace = 'default', image = 'nginx', ...spec } = extra;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { run: name } }, spec: { ...podDefaults, containers: [container(name, image)], ...spec } };
}

export function deploymentInput(name: string, replicas: number, image = 'nginx', namespace = 'default'): ObjectInput<'Deployment'> {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { ...podDefaults, containers: [container(name, image)] } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
  };
}

export function serviceInput(
  name: string,
  selector: Record<string, string> | undefined,
  ports: { port: number; targetPort?: number | string; nodePort?: number; protocol?: 'TCP' | 'UDP'; name?: string }[],
  extra: {
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
    clusterIP?: string;
    externalTrafficPolicy?: 'Cluster' | 'Local';
    internalTrafficPolicy?: 'Cluster' | 'Local';
    sessionAffinity?: 'None' | 'ClientIP';
    namespace?: string;
  } = {},
): ObjectInput<'Service'> {
  const { type = 'ClusterIP', namespace = 'default', ...rest } = extra;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      type,
      sessionAffinity: rest.sessionAffinity ?? 'None',
      internalTrafficPolicy: rest.internalTrafficPolicy ?? 'Cluster',
      ...(type !== 'ClusterIP' ? { externalTrafficPolicy: rest.externalTrafficPolicy ?? 'Cluster' } : {}),
      ...(rest.clusterIP ? { clusterIP: rest.clusterIP } : {}),
      ...(selector ? { selector } : {}),
      ports: ports.map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        protocol: p.protocol ?? 'TCP',
        port: p.port,
        targetPort: p.targetPort ?? p.port,
        ...(p.nodePort ? { nodePort: p.nodePort } : {}),
      })),
    },
  };
}
