// kubectl apply|get|describe|delete networkpolicy on the Flannel lab: stored, listed and described
// as kubectl prints them, with one note that Flannel does not enforce them.

import { describe, expect, it } from 'vitest';
import { Cluster } from '@k8s-netsim/core';

// kubernetes.io/docs/concepts/services-networking/network-policies/ "The NetworkPolicy resource".
const TEST_NETWORK_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
`;

const DEFAULT_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes:
  - Ingress
`;

const NOTE = "netsim: note: the cluster's CNI (flannel) does not enforce NetworkPolicy; it is stored and has no effect\n";

describe('kubectl and NetworkPolicy on the Flannel lab', () => {
  const c = Cluster.create();
  const applied = c.exec('kubectl apply -f -', { stdin: `${TEST_NETWORK_POLICY}---\n${DEFAULT_DENY}` });
  const after = applied.cluster;

  it('apply stores them and notes once that Flannel does not enforce them', () => {
    expect(applied).toMatchObject({
      stdout: 'networkpolicy.networking.k8s.io/test-network-policy created\nnetworkpolicy.networking.k8s.io/default-deny-ingress created\n',
      stderr: NOTE,
    });
    expect(applied.exitCode ?? 0).toBe(0);
    expect(after.exec('kubectl apply -f -', { stdin: DEFAULT_DENY })).toMatchObject({ stdout: 'networkpolicy.networking.k8s.io/default-deny-ingress unchanged\n', stderr: NOTE });
  });

  it('get lists NAME, POD-SELECTOR, AGE under every name kubectl takes', () => {
    const table = 'NAME                   POD-SELECTOR   AGE\ndefault-deny-ingress   <none>         0s\ntest-network-policy    role=db        0s\n';
    for (const word of ['networkpolicy', 'networkpolicies', 'netpol', 'networkpolicies.networking.k8s.io']) expect(after.exec(`kubectl get ${word}`).stdout).toBe(table);
    expect(after.exec('kubectl get netpol -o wide').stdout).toBe(table);
    expect(after.exec('kubectl get netpol -o name').stdout).toBe('networkpolicy.networking.k8s.io/default-deny-ingress\nnetworkpolicy.networking.k8s.io/test-network-policy\n');
    expect(after.exec('kubectl get netpol -A').stdout.split('\n')[0]).toBe('NAMESPACE   NAME                   POD-SELECTOR   AGE');
    expect(after.exec('kubectl get netpol -n kube-system').stderr).toBe('No resources found in kube-system namespace.\n');
  });

  it('-o yaml shows the defaulted spec', () => {
    const y = after.exec('kubectl get netpol default-deny-ingress -o yaml').stdout;
    expect(y).toContain('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n');
    expect(y).toContain('spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n');
    expect(JSON.parse(after.exec('kubectl get netpol test-network-policy -o json').stdout).spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('describe prints kubectl describe.go’s layout', () => {
    const text = after.exec('kubectl describe networkpolicy default-deny-ingress').stdout;
    expect(text).toMatch(
      /^Name: {9}default-deny-ingress\nNamespace: {4}default\nCreated on: {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC\nLabels: {7}<none>\nAnnotations: {2}<none>\n/,
    );
    expect(text.slice(text.indexOf('Spec:'))).toBe(
      'Spec:\n' +
        '  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n' +
        '  Allowing ingress traffic:\n' +
        '    <none> (Selected pods are isolated for ingress connectivity)\n' +
        '  Not affecting egress traffic\n' +
        '  Policy Types: Ingress\n',
    );
    const full = after.exec('kubectl describe netpol test-network-policy').stdout;
    expect(full.slice(full.indexOf('Spec:'))).toBe(
      'Spec:\n' +
        '  PodSelector:     role=db\n' +
        '  Allowing ingress traffic:\n' +
        '    To Port: 6379/TCP\n' +
        '    From:\n' +
        '      IPBlock:\n' +
        '        CIDR: 172.17.0.0/16\n' +
        '        Except: 172.17.1.0/24\n' +
        '    From:\n' +
        '      NamespaceSelector: project=myproject\n' +
        '    From:\n' +
        '      PodSelector: role=frontend\n' +
        '  Allowing egress traffic:\n' +
        '    To Port: 5978/TCP\n' +
        '    To:\n' +
        '      IPBlock:\n' +
        '        CIDR: 10.0.0.0/24\n' +
        '        Except: \n' +
        '  Policy Types: Ingress, Egress\n',
    );
  });

  it('delete removes one', () => {
    const r = after.exec('kubectl delete netpol default-deny-ingress');
    expect(r.stdout).toBe('networkpolicy.networking.k8s.io "default-deny-ingress" deleted from default namespace\n');
    expect(r.cluster.exec('kubectl get netpol').stdout).toBe('NAME                  POD-SELECTOR   AGE\ntest-network-policy   role=db        0s\n');
  });

  it('an invalid policy is refused with the field path', () => {
    const bad = DEFAULT_DENY.replace('policyTypes:\n  - Ingress\n', 'ingress:\n  - ports:\n    - port: 80\n      endPort: 79\n');
    expect(c.exec('kubectl apply -f -', { stdin: bad })).toMatchObject({
      stdout: '',
      stderr: 'The NetworkPolicy "default-deny-ingress" is invalid: spec.ingress[0].ports[0].endPort: Invalid value: 79: must be greater than or equal to `port`\n',
      exitCode: 1,
    });
  });
});
