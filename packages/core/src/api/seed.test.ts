// The seed lesson's manifests, verbatim in examples/manifests/.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ApiError, kubectlErrorLine } from './errors.js';
import { validateManifest } from './manifest.js';
import { parseManifests } from './yaml.js';

const manifest = (name: string) => readFileSync(fileURLToPath(new URL(`../../../../examples/manifests/${name}.yaml`, import.meta.url)), 'utf8');
const BUSYBOX = manifest('busybox');
const DNS_EXAMPLE = manifest('dns-example');
const NODEPORT_SERVICE = manifest('nginx-nodeport');
const INGRESS = manifest('service-ingress');
const LOADBALANCER_SERVICE = manifest('nginx-loadbalancer');
const HEADLESS_SERVICE = manifest('kube-headless');

function load(text: string, source: string, kubernetesVersion?: string) {
  const docs = parseManifests(text, source);
  expect(docs).toHaveLength(1);
  return validateManifest(docs[0], { kubernetesVersion, source });
}

function loadError(text: string, source: string, kubernetesVersion?: string): ApiError {
  try {
    load(text, source, kubernetesVersion);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected an error');
}

describe('seed pods load verbatim', () => {
  test('busybox', () => {
    expect(load(BUSYBOX, 'busybox.yaml')).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'busybox', namespace: 'default' },
      spec: {
        containers: [{ name: 'busybox', image: 'busybox:1.28.4', command: ['sleep', '3600'], imagePullPolicy: 'IfNotPresent' }],
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        terminationGracePeriodSeconds: 30,
      },
    });
  });

  test('dns-example', () => {
    expect(load(DNS_EXAMPLE, 'dns-example.yaml')).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'dns-example', namespace: 'default' },
      spec: {
        containers: [{ name: 'test', image: 'nginx', imagePullPolicy: 'Always' }],
        restartPolicy: 'Always',
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['8.8.8.8'],
          searches: ['ns1.svc.cluster.local', 'my.dns.search.suffix'],
          options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
        },
        schedulerName: 'default-scheduler',
        terminationGracePeriodSeconds: 30,
      },
    });
  });

  test('both pods load from one multi-document file', () => {
    const docs = parseManifests(`${BUSYBOX}---\n${DNS_EXAMPLE}`, 'pods.yaml');
    expect(docs.map((d) => validateManifest(d).metadata.name)).toEqual(['busybox', 'dns-example']);
  });
});

describe('seed services load verbatim', () => {
  test('nginx-nodeport: the API server defaults', () => {
    expect(load(NODEPORT_SERVICE, 'nginx-nodeport.yaml')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'nginx-nodeport', namespace: 'default' },
      spec: {
        type: 'NodePort',
        selector: { app: 'nginx' },
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30080 }],
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
        ipFamilyPolicy: 'SingleStack',
        ipFamilies: ['IPv4'],
      },
    });
  });

  test('nginx-loadbalancer: LoadBalancer defaults', () => {
    expect(load(LOADBALANCER_SERVICE, 'nginx-loadbalancer.yaml')).toMatchObject({
      spec: {
        type: 'LoadBalancer',
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
        externalTrafficPolicy: 'Cluster',
        allocateLoadBalancerNodePorts: true,
      },
    });
  });

  test('kube-headless: headless with a selector stays single-stack', () => {
    expect(load(HEADLESS_SERVICE, 'kube-headless.yaml')).toMatchObject({
      spec: { clusterIP: 'None', clusterIPs: ['None'], ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], ports: [{ port: 80, targetPort: 8080 }] },
    });
  });

  test('before the dual-stack fields (1.19) nothing but the v1 defaults', () => {
    expect(load(NODEPORT_SERVICE, 'nginx-nodeport.yaml', '1.19.16')).toMatchObject({
      spec: { type: 'NodePort', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster' },
    });
    const spec = (load(NODEPORT_SERVICE, 'nginx-nodeport.yaml', '1.19.16') as { spec: Record<string, unknown> }).spec;
    expect(Object.keys(spec)).not.toContain('ipFamilies');
    expect(Object.keys(spec)).not.toContain('internalTrafficPolicy');
  });
});

describe('the seed Ingress (extensions/v1beta1)', () => {
  test('gone since 1.22: kubectl cannot map it', () => {
    // kubectl before 1.24 worded it differently.
    expect(kubectlErrorLine(loadError(INGRESS, 'ingress.yaml', '1.22.0'))).toBe(
      'error: unable to recognize "ingress.yaml": no matches for kind "Ingress" in version "extensions/v1beta1"',
    );
    for (const version of ['1.24.0', '1.31.4', undefined]) {
      const e = loadError(INGRESS, 'ingress.yaml', version);
      expect(e.reason).toBe('NoKindMatch');
      expect(kubectlErrorLine(e)).toBe(
        'error: resource mapping not found for name: "service-ingress" namespace: "" from "ingress.yaml": no matches for kind "Ingress" in version "extensions/v1beta1"\nensure CRDs are installed first',
      );
    }
  });

  test('before 1.22 it loads, converted to networking.k8s.io/v1', () => {
    const backend = (name: string) => ({ service: { name, port: { number: 80 } } });
    const rule = (name: string, host?: string) => ({ ...(host ? { host } : {}), http: { paths: [{ pathType: 'ImplementationSpecific', backend: backend(name) }] } });
    for (const version of ['1.18.0', '1.21.14']) {
      expect(load(INGRESS, 'ingress.yaml', version)).toEqual({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'service-ingress', namespace: 'default' },
        spec: { rules: [rule('kubeserve2', 'kubeserve.example.com'), rule('nginx', 'app.example.com'), rule('httpd')] },
      });
    }
  });
});
