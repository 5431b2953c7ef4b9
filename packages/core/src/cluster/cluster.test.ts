import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.js';
import { NetsimInputError } from '../packet/request.js';
import { Cluster } from './cluster.js';

// The seed's busybox pod, verbatim.
const BUSYBOX = readFileSync(fileURLToPath(new URL('../../../../examples/manifests/busybox.yaml', import.meta.url)), 'utf8');

describe('Cluster (library API)', () => {
  const c0 = Cluster.create();

  it("applies the seed's busybox pod verbatim and runs it", () => {
    const c1 = c0.apply(BUSYBOX);
    const pod = c1.state.pods.default?.busybox;
    expect(pod?.status.phase).toBe('Running');
    expect(pod?.status.podIP).toMatch(/^10\.244\.[12]\.\d+$/);
    expect(c0.state.pods.default?.busybox).toBeUndefined(); // the old cluster is untouched
  });

  it('leaves the state exactly as it was when any document is invalid', () => {
    const before = c0.snapshot();
    const bad = `${BUSYBOX}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers: [{name: c, image: nginx}]\n`;
    let err: unknown;
    try {
      c0.apply(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/^The Pod "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    expect(c0.snapshot()).toBe(before);
  });

  it('rejects a pod in a namespace that does not exist, and changes nothing', () => {
    const before = c0.state;
    expect(() => c0.apply(BUSYBOX.replace('namespace: default', 'namespace: nope'))).toThrow('namespaces "nope" not found');
    expect(c0.state).toBe(before);
  });

  it('snapshots to JSON and restores to an equal cluster', () => {
    const c1 = c0.apply(BUSYBOX);
    const restored = Cluster.restore(c1.snapshot());
    expect(restored.state).toEqual(JSON.parse(c1.snapshot()));
    expect(restored.exec('kubectl get pods -o wide').stdout).toBe(c1.exec('kubectl get pods -o wide').stdout);
  });

  it('execs on a node, in a pod, and on the control plane', () => {
    const c1 = c0.apply(BUSYBOX);
    expect(c1.exec('hostname', { node: 'node02' }).stdout).toBe('node02\n');
    expect(c1.exec('hostname', { pod: 'busybox' }).stdout).toBe('busybox\n');
    const addr = c1.exec('ip addr show eth0', { pod: 'busybox' }).stdout;
    expect(addr).toContain(`inet ${c1.state.pods.default!.busybox!.status.podIP}/24`);
    const r = c1.exec('kubectl delete pod busybox');
    expect(r.stdout).toBe('pod "busybox" deleted from default namespace\n');
    expect(r.cluster.state.pods.default?.busybox).toBeUndefined();
  });

  it('selects older behaviour by Kubernetes version: kubectl run made a Deployment before 1.18', () => {
    const old = Cluster.create({ kubernetesVersion: '1.17.4' });
    const r = old.exec('kubectl run kubeserve2 --image=chadmcrowell/kubeserve2');
    expect(r.stdout).toBe('deployment.apps/kubeserve2 created\n');
    expect(r.stderr).toMatch(/DEPRECATED/);
    expect(r.cluster.state.deployments.default?.kubeserve2?.spec.replicas).toBe(1);
    const now = c0.exec('kubectl run kubeserve2 --image=chadmcrowell/kubeserve2');
    expect(now.stdout).toBe('pod/kubeserve2 created\n');
  });

  it("on a 1.17 cluster the seed's extensions/v1beta1 Ingress is accepted, converted and routed", () => {
    let old = Cluster.create({ kubernetesVersion: '1.17.4' });
    old = old.exec('kubectl run kubeserve2 --image=chadmcrowell/kubeserve2').cluster;
    old = old.exec('kubectl expose deployment kubeserve2 --port 80 --target-port 8080').cluster;
    const r = old.exec('kubectl apply -f -', { stdin: readFileSync(fileURLToPath(new URL('../../../../examples/manifests/service-ingress.yaml', import.meta.url)), 'utf8') });
    expect(r.stdout).toBe('ingress.extensions/service-ingress created\n');
    const ing = r.cluster.state.ingresses.default?.['service-ingress'];
    expect(ing?.apiVersion).toBe('networking.k8s.io/v1');
    expect(ing?.spec.rules?.[0]?.http?.paths[0]).toMatchObject({ pathType: 'ImplementationSpecific', backend: { service: { name: 'kubeserve2', port: { number: 80 } } } });
    const curl = r.cluster.exec("curl -s -H 'Host: kubeserve.example.com' http://192.168.56.240");
    expect(curl.stdout).toMatch(/^You've hit kubeserve2-/);
  });

  it('scales a deployment through kubectl as the seed does', () => {
    const c1 = c0.exec('kubectl create deployment kubeserve2 --image=chadmcrowell/kubeserve2').cluster;
    const r = c1.exec('kubectl scale deployment/kubeserve2 --replicas=2');
    expect(r.stdout).toBe('deployment.apps/kubeserve2 scaled\n');
    expect(Object.keys(r.cluster.state.pods.default ?? {})).toHaveLength(2);
  });
});

describe('Cluster.exec and Cluster.restore check their arguments', () => {
  const lab = Cluster.create();
  const message = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(NetsimInputError);
      return (e as Error).message;
    }
    return 'no error';
  };

  it('exec: option types, unknown options, node and pod together', () => {
    expect(message(() => lab.exec('hostname', { node: 1 } as never))).toBe('options.node: Invalid value: 1: must be a node name');
    expect(message(() => lab.exec('hostname', { pod: '' }))).toBe('options.pod: Invalid value: "": must be a pod, "ns/name" or "name" (in default)');
    expect(message(() => lab.exec('hostname', { nodes: 'node01' } as never))).toBe('options.nodes: Invalid value: "node01": unknown field; did you mean "node"?');
    expect(message(() => lab.exec('hostname', { node: 'node01', pod: 'x' }))).toBe(
      'options.pod: Invalid value: "x": options.node is given too: a command runs on a node or in a pod, not both',
    );
    expect(message(() => lab.exec('cat', { stdin: 5 } as never))).toBe('options.stdin: Invalid value: 5: must be a string');
    expect(message(() => lab.exec('ls', { env: { cwd: 1 } } as never))).toBe('options.env.cwd: Invalid value: 1: must be a string');
    expect(message(() => lab.exec(['ls'] as never))).toBe('line: Invalid value: ["ls"]: must be a command line (a string)');
    expect(message(() => lab.exec('ls', null as never))).toBe('options: Invalid value: null: must be an object { node?, pod?, workstation?, stdin?, env? }');
    expect(message(() => lab.exec('hostname', { workstation: 'yes' } as never))).toBe('options.workstation: Invalid value: "yes": must be a boolean');
    expect(message(() => lab.exec('hostname', { workstation: true, node: 'node01' }))).toBe(
      'options.workstation: Invalid value: true: options.node is given too: the workstation is outside the cluster',
    );
    expect(lab.exec('hostname', { workstation: true }).stdout).toBe('workstation\n');
  });

  it("exec: a node or pod that does not exist is the API server's answer, as kubectl exec and the CLI print it", () => {
    expect(() => lab.exec('ls', { node: 'node09' })).toThrow(ApiError);
    expect(() => lab.exec('ls', { node: 'node09' })).toThrow('nodes "node09" not found');
    expect(() => lab.exec('ls', { pod: 'nope' })).toThrow('pods "nope" not found');
    expect(() => lab.exec('ls', { node: 'constructor' })).toThrow('nodes "constructor" not found');
    expect(() => lab.exec('ls', { pod: 'toString' })).toThrow('pods "toString" not found');
    expect(lab.exec('hostname', { node: 'node02', stdin: '', env: {} }).stdout).toBe('node02\n');
  });

  it('restore: text that is not JSON, JSON that is not a snapshot', () => {
    expect(message(() => Cluster.restore('nope'))).toBe('snapshot: Invalid value: "nope": not JSON: Unexpected token \'o\', "nope" is not valid JSON');
    expect(message(() => Cluster.restore('{"a":1}'))).toBe('snapshot: Invalid value: "{\\"a\\":1}": not a cluster snapshot (no "config")');
    expect(message(() => Cluster.restore(42 as never))).toBe('snapshot: Invalid value: 42: must be the text snapshot() returns, its lines from snapshotLines(), or a ClusterState');
  });

  it('restore from lines: each line is checked where it stands', () => {
    const lines = Cluster.create().snapshotLines();
    expect(lines[0]).toMatch(/^\["config",\{\}\]$/);
    expect(lines.filter((l) => l.startsWith('["pods","kube-system",')).length).toBe(1);
    expect(message(() => Cluster.restore([...lines.slice(0, 3), 'nope']))).toBe('snapshot[3]: Invalid value: "nope": not JSON: Unexpected token \'o\', "nope" is not valid JSON');
    expect(message(() => Cluster.restore(['{"a":1}']))).toBe('snapshot[0]: Invalid value: "{\\"a\\":1}": not a snapshot line (["key", value] or ["key", "name", value])');
    expect(message(() => Cluster.restore(['["pods","default",{}]']))).toBe('snapshot[0]: Invalid value: "[\\"pods\\",\\"default\\",{}]": no earlier ["pods", {}] line to hold it');
    expect(message(() => Cluster.restore(['["__proto__",{}]']))).toBe(
      'snapshot[0]: Invalid value: "[\\"__proto__\\",{}]": not a snapshot line (["key", value] or ["key", "name", value])',
    );
    expect(message(() => Cluster.restore(lines.filter((l) => !l.startsWith('["clock"'))))).toMatch(/^snapshot: Invalid value: .*: not a cluster snapshot \(no "clock"\)$/);
  });
});
