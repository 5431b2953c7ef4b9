// Hand-built, already-defaulted manifests for controller tests (no YAML, no validation).

import type { Container, Toleration } from '../api/types.js';
import type { ObjectInput } from '../state/transitions.js';

export function container(name: string, image: string): Container {
  return { name, image, imagePullPolicy: 'IfNotPresent' };
}

const podDefaults = { restartPolicy: 'Always' as const, dnsPolicy: 'ClusterFirst' as const, schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 };

export function podInput(name: string, extra: { nodeName?: string; nodeSelector?: Record<string, string>; tolerations?: Toleration[]; hostNetwork?: boolean; namespace?: string; image?: string } = {}): ObjectInput<'Pod'> {
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
