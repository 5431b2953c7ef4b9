// kube-proxy reads its configuration as the real one does: kubeadm's kube-system/kube-proxy
// ConfigMap (config.conf), once, when its container starts. Editing the ConfigMap changes nothing
// until the pod is replaced (`kubectl rollout restart ds kube-proxy`, `kubectl delete pod`); a
// configuration it refuses keeps the pod crash-looping with kube-proxy's own error in its log,
// and the node keeps the rules it had. Expected values: kubeadm v1.34's ConfigMap, kube-proxy
// v1.34's log lines and validation errors, kubectl's rollout restart output, the kubelet's
// CrashLoopBackOff, the DaemonSet controller's RollingUpdate (maxUnavailable 1).

import { describe, expect, it } from 'vitest';
import { Cluster } from '../../cluster/cluster.js';
import { getAgent } from '../../state/store.js';
import { backOffSeconds, restartsBy, restartTime } from './agent.js';

const KUBE_PROXY_CM_LINES = [
  'clusterCIDR: 10.244.0.0/16',
  'detectLocalMode: ""',
  'mode: ""',
  'nodePortAddresses: null',
  '  localhostNodePorts: null',
  '  masqueradeAll: false',
  '  masqueradeBit: null',
];

/** The running cluster, with the shell's changes carried over. */
class Lab {
  c = Cluster.create();

  sh(line: string, opts: { node?: string; stdin?: string } = {}) {
    const r = this.c.exec(line, opts);
    this.c = r.cluster;
    return r;
  }

  /** The kube-proxy pod on a node. */
  pod(node: string): string {
    const p = this.c.pods({ namespace: 'kube-system', selector: 'k8s-app=kube-proxy' }).find((x) => x.node === node);
    return p!.name;
  }

  config(node: string) {
    return getAgent(this.c.state, node)!.kubeProxy!;
  }

  configConf(): string {
    return this.c.state.configMaps['kube-system']!['kube-proxy']!.data!['config.conf']!;
  }

  /** Edit one line of config.conf, as `kubectl edit cm` would, through a merge patch. */
  edit(from: string, to: string) {
    const text = this.configConf();
    expect(text).toContain(from);
    const patch = JSON.stringify({ data: { 'config.conf': text.replace(from, to) } });
    expect(this.sh(`kubectl -n kube-system patch cm kube-proxy --type merge -p '${patch}'`).stdout).toBe('configmap/kube-proxy patched\n');
  }

  nat(node: string): string {
    return this.sh('sudo iptables-save -t nat', { node }).stdout;
  }

  /** `kubectl get pods -o wide` of the kube-proxy pods by node: READY to NODE, spaces collapsed. */
  pods(): Record<string, string> {
    const out = this.sh('kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide').stdout.trim().split('\n').slice(1);
    return Object.fromEntries(
      out.map((l) => {
        const cols = l.replace(/\s+<none>\s+<none>$/, '').split(/\s+/);
        return [cols.at(-1)!, cols.slice(1).join(' ')];
      }),
    );
  }
}

/** A klog line without its timestamp: severity letter and what follows the thread id. */
const untimed = (log: string) =>
  log
    .trimEnd()
    .split('\n')
    .map((l) => l.replace(/^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6} +1 /, '$1 '));

// kubernetes' own hash of "default/kubernetes:https" (servicePortChainName).
const KUBERNETES_SVC = 'KUBE-SVC-NPX46M4PTMTKRN6Y';

describe("kubeadm's kube-proxy ConfigMap", () => {
  it('holds config.conf (the v1alpha1 KubeProxyConfiguration with the pod subnet) and kubeconfig.conf', () => {
    const lab = new Lab();
    const cm = lab.c.state.configMaps['kube-system']!['kube-proxy']!;
    expect(cm.metadata.labels).toEqual({ app: 'kube-proxy' });
    expect(Object.keys(cm.data!).sort()).toEqual(['config.conf', 'kubeconfig.conf']);
    const lines = lab.configConf().split('\n');
    for (const l of KUBE_PROXY_CM_LINES) expect(lines).toContain(l);
    expect(lines[0]).toBe('apiVersion: kubeproxy.config.k8s.io/v1alpha1');
    expect(lines).toContain('kind: KubeProxyConfiguration');
    expect(cm.data!['kubeconfig.conf']).toContain('    server: https://192.168.56.10:6443\n');
    // `kubectl get cm -o yaml` shows both as literal blocks without a trailing newline (`|-`).
    const yaml = lab.sh('kubectl -n kube-system get cm kube-proxy -o yaml').stdout;
    expect(yaml).toContain('  config.conf: |-\n    apiVersion: kubeproxy.config.k8s.io/v1alpha1\n');
    expect(yaml).toContain('  kubeconfig.conf: |-\n    apiVersion: v1\n');
  });

  it('every node records the configuration its kube-proxy started with: the v1alpha1 defaults over the file', () => {
    const lab = new Lab();
    for (const node of ['controlplane', 'node01', 'node02']) {
      const rec = lab.config(node);
      expect(rec.pod).toBe(`kube-system/${lab.pod(node)}`);
      expect(rec.modeDefaulted).toBe(true);
      expect(rec.error).toBeUndefined();
      expect(rec.config).toEqual({
        mode: 'iptables',
        detectLocalMode: 'ClusterCIDR',
        clusterCIDRs: ['10.244.0.0/16'],
        bridgeInterface: '',
        interfaceNamePrefix: '',
        masqueradeAll: false,
        masqueradeBit: 14,
        localhostNodePorts: true,
        nodePortAddresses: [],
      });
    }
  });

  it("kubectl logs prints kube-proxy v1.34's start-up lines", () => {
    const lab = new Lab();
    const log = lab.sh(`kubectl -n kube-system logs ${lab.pod('node01')}`).stdout;
    expect(untimed(log)).toEqual([
      'I server_linux.go:53] "Using iptables proxy"',
      'I shared_informer.go:370] "Waiting for caches to sync"',
      'I shared_informer.go:377] "Caches are synced"',
      'I server.go:218] "Successfully retrieved NodeIPs" NodeIPs=["192.168.56.11"]',
      'I conntrack.go:57] "Setting nf_conntrack_max" nfConntrackMax=131072',
      'E server.go:255] "Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`"',
      'I server.go:264] "kube-proxy running in dual-stack mode" primary ipFamily="IPv4"',
      'I server_linux.go:136] "Using iptables Proxier"',
      'I proxier.go:242] "Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses" ipFamily="IPv4"',
    ]);
    // The container started when its pod did (node01 joined 3 minutes after kubeadm init).
    expect(log).toMatch(/^I1125 09:03:0\d\.\d{6} {7}1 server_linux\.go:53\] /);
  });

  it('nodePortAddresses: primary, with mode set: no "Using iptables proxy", no nodePortAddresses warning, no route_localnet', () => {
    const lab = new Lab();
    lab.edit('mode: ""', 'mode: iptables');
    lab.edit('nodePortAddresses: null', 'nodePortAddresses:\n- primary');
    lab.sh(`kubectl -n kube-system delete pod ${lab.pod('node02')}`);
    expect(lab.config('node02').config!.nodePortAddresses).toEqual(['primary']);
    expect(untimed(lab.sh(`kubectl -n kube-system logs ${lab.pod('node02')}`).stdout)).toEqual([
      'I shared_informer.go:370] "Waiting for caches to sync"',
      'I shared_informer.go:377] "Caches are synced"',
      'I server.go:218] "Successfully retrieved NodeIPs" NodeIPs=["192.168.56.12"]',
      'I conntrack.go:57] "Setting nf_conntrack_max" nfConntrackMax=131072',
      'I server.go:264] "kube-proxy running in dual-stack mode" primary ipFamily="IPv4"',
      'I server_linux.go:136] "Using iptables Proxier"',
    ]);
  });
});

describe('editing the ConfigMap changes nothing until the pod restarts', () => {
  it('kubectl patch leaves every node as it was; kubectl delete pod makes that node (only) read it', () => {
    const lab = new Lab();
    const before = { node01: lab.nat('node01'), node02: lab.nat('node02') };
    const old = lab.pod('node01');
    lab.edit('  masqueradeAll: false', '  masqueradeAll: true');
    expect(lab.nat('node01')).toBe(before.node01);
    expect(lab.config('node01').config!.masqueradeAll).toBe(false);

    expect(lab.sh(`kubectl -n kube-system delete pod ${old}`).stdout).toBe(`pod "${old}" deleted from kube-system namespace\n`);
    // The DaemonSet made a new pod there, and it read the file as it is now.
    expect(lab.pod('node01')).not.toBe(old);
    expect(lab.pods().node01).toMatch(/^1\/1 Running 0 0s /);
    expect(lab.config('node01').config!.masqueradeAll).toBe(true);
    // masqueradeAll: every packet to a ClusterIP is marked, not only those from outside the pod network.
    const masqAll = `-A ${KUBERNETES_SVC} -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-MARK-MASQ`;
    const fromOutside = `-A ${KUBERNETES_SVC} ! -s 10.244.0.0/16 -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-MARK-MASQ`;
    expect(lab.nat('node01').split('\n')).toContain(masqAll);
    expect(lab.nat('node01').split('\n')).not.toContain(fromOutside);
    expect(lab.nat('node02')).toBe(before.node02);
    expect(lab.nat('node02').split('\n')).toContain(fromOutside);
  });

  it('kubectl apply of the ConfigMap is an edit like any other', () => {
    const lab = new Lab();
    const text = lab.configConf().replace('  masqueradeBit: null', '  masqueradeBit: 12');
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-proxy\n  namespace: kube-system\n  labels:\n    app: kube-proxy\ndata:\n  config.conf: |-\n${text
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`;
    expect(lab.sh('kubectl apply -f -', { stdin: manifest }).stdout).toBe('configmap/kube-proxy configured\n');
    expect(lab.config('node02').config!.masqueradeBit).toBe(14);
    lab.sh(`kubectl -n kube-system delete pod ${lab.pod('node02')}`);
    expect(lab.config('node02').config!.masqueradeBit).toBe(12);
  });
});

describe('kubectl rollout restart', () => {
  it('ds kube-proxy: stamps restartedAt on the pod template; the DaemonSet replaces every pod, each reads the ConfigMap', () => {
    const lab = new Lab();
    const old = ['controlplane', 'node01', 'node02'].map((n) => lab.pod(n));
    lab.edit('  masqueradeBit: null', '  masqueradeBit: 12');
    const r = lab.sh('kubectl -n kube-system rollout restart ds kube-proxy');
    expect(r).toMatchObject({ stdout: 'daemonset.apps/kube-proxy restarted\n', exitCode: 0 });
    const ds = lab.c.state.daemonSets['kube-system']!['kube-proxy']!;
    expect(ds.spec.template.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2026-11-25T09:45:00Z' });
    expect(ds.metadata.generation).toBe(2);
    for (const [i, node] of ['controlplane', 'node01', 'node02'].entries()) {
      expect(lab.pod(node)).not.toBe(old[i]);
      expect(lab.config(node).config!.masqueradeBit).toBe(12);
    }
    // KUBE-MARK-MASQ and KUBE-POSTROUTING use 1 << 12.
    const nat = lab.nat('node02').split('\n');
    expect(nat).toContain('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x1000/0x1000');
    expect(nat).toContain('-A KUBE-POSTROUTING -m mark ! --mark 0x1000/0x1000 -j RETURN');
    expect(nat).toContain('-A KUBE-POSTROUTING -j MARK --set-xmark 0x1000/0x0');
    expect(nat.filter((l) => l.startsWith('-A KUBE-') && l.includes('0x4000'))).toEqual([]);
    // Flannel's own RETURN keeps kube-proxy's default mark: it is hard-coded in flanneld.
    expect(nat).toContain('-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN');
    expect(lab.sh('kubectl -n kube-system get ds kube-proxy').stdout).toMatch(/^kube-proxy\s+3\s+3\s+3\s+3\s+3\s/m);
  });

  it('refuses a second restart within the same second, as kubectl does', () => {
    const lab = new Lab();
    lab.sh('kubectl -n kube-system rollout restart daemonset/kube-proxy');
    expect(lab.sh('kubectl -n kube-system rollout restart ds kube-proxy')).toMatchObject({
      stdout: '',
      stderr: 'error: failed to create patch for kube-proxy: if restart has already been triggered within the past second, please wait before attempting to trigger another\n',
      exitCode: 1,
    });
    lab.sh('sleep 1');
    expect(lab.sh('kubectl -n kube-system rollout restart ds kube-proxy').stdout).toBe('daemonset.apps/kube-proxy restarted\n');
  });

  it('deployment: a new ReplicaSet for the annotated template', () => {
    const lab = new Lab();
    lab.sh('kubectl create deployment web --image=nginx');
    const before = Object.keys(lab.c.state.replicaSets.default!);
    expect(lab.sh('kubectl rollout restart deployment web').stdout).toBe('deployment.apps/web restarted\n');
    const after = Object.keys(lab.c.state.replicaSets.default!);
    expect(after).toHaveLength(2);
    const fresh = after.find((n) => !before.includes(n))!;
    expect(lab.c.state.replicaSets.default![fresh]!.spec.template.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2026-11-25T09:45:00Z' });
    expect(lab.c.pods({ selector: 'app=web' }).map((p) => p.name.slice(0, fresh.length))).toEqual([fresh]);
  });

  it('answers what kubectl answers for other kinds, missing objects and no arguments', () => {
    const lab = new Lab();
    const dns = lab.c.pods({ namespace: 'kube-system', selector: 'k8s-app=kube-dns' })[0]!.name;
    expect(lab.sh(`kubectl -n kube-system rollout restart pod ${dns}`)).toMatchObject({ stderr: `error: pods "${dns}" restarting is not supported\n`, exitCode: 1 });
    expect(lab.sh('kubectl rollout restart ds nope')).toMatchObject({ stderr: 'Error from server (NotFound): daemonsets.apps "nope" not found\n', exitCode: 1 });
    expect(lab.sh('kubectl rollout restart')).toMatchObject({
      stderr: expect.stringMatching(/^error: You must provide one or more resources by argument or filename\.\n/),
      exitCode: 1,
    });
  });
});

describe('a configuration kube-proxy refuses', () => {
  it('crash-loops the pod the rollout reached, with the validation error in its log; the rollout stops there', () => {
    const lab = new Lab();
    const old = Object.fromEntries(['controlplane', 'node01', 'node02'].map((n) => [n, lab.pod(n)]));
    lab.edit('  masqueradeBit: null', '  masqueradeBit: 40');
    lab.sh('kubectl -n kube-system rollout restart ds kube-proxy');
    // maxUnavailable 1: one pod is replaced; its successor never becomes ready, so no other is.
    const replaced = ['controlplane', 'node01', 'node02'].filter((n) => lab.pod(n) !== old[n]);
    expect(replaced).toHaveLength(1);
    const node = replaced[0]!;
    const pod = lab.pod(node);
    expect(lab.pods()[node]).toMatch(/^0\/1 Error 0 0s /);
    const log = lab.sh(`kubectl -n kube-system logs ${pod}`).stdout;
    expect(untimed(log)).toEqual([
      'I server_linux.go:53] "Using iptables proxy"',
      'E run.go:72] "command failed" err="failed validate: KubeProxyConfiguration.KubeProxyIPTablesConfiguration.MasqueradeBit: Invalid value: 40: must be within the range [0, 31]"',
    ]);
    expect(lab.config(node)).toMatchObject({
      pod: `kube-system/${pod}`,
      error: 'failed validate: KubeProxyConfiguration.KubeProxyIPTablesConfiguration.MasqueradeBit: Invalid value: 40: must be within the range [0, 31]',
    });
    expect(lab.config(node).config).toBeUndefined();

    // The kubelet restarts it at once, then after 10 s, 20 s, 40 s …
    lab.sh('sleep 60');
    expect(lab.pods()[node]).toMatch(/^0\/1 CrashLoopBackOff 3 \(29s ago\) 60s /);
    const describe = lab.sh(`kubectl -n kube-system describe pod ${pod}`).stdout;
    expect(describe).toMatch(/^ {4}State: {10}Waiting\n {6}Reason: {7}CrashLoopBackOff\n {4}Last State: {5}Terminated\n {6}Reason: {7}Error\n {6}Exit Code: {4}1\n/m);
    expect(describe).toContain(`Back-off restarting failed container kube-proxy in pod ${pod}_kube-system(`);
    expect(lab.sh('kubectl -n kube-system get ds kube-proxy').stdout).toMatch(/^kube-proxy\s+3\s+3\s+2\s+1\s+2\s/m);
    for (const n of ['controlplane', 'node01', 'node02'].filter((x) => x !== node)) expect(lab.pods()[n]).toMatch(/^1\/1 Running 0 /);
  });

  it("keeps the node's rules as they were: a Service created since gets none there, but does on the others", () => {
    const lab = new Lab();
    const old = Object.fromEntries(['controlplane', 'node01', 'node02'].map((n) => [n, lab.pod(n)]));
    lab.edit('detectLocalMode: ""', 'detectLocalMode: Bridge');
    lab.sh('kubectl -n kube-system rollout restart ds kube-proxy');
    const node = ['controlplane', 'node01', 'node02'].find((n) => lab.pod(n) !== old[n])!;
    const other = node === 'node02' ? 'node01' : 'node02';
    expect(untimed(lab.sh(`kubectl -n kube-system logs ${lab.pod(node)}`).stdout).at(-1)).toBe(
      'E run.go:72] "command failed" err="failed validate: KubeProxyConfiguration.DetectLocalMode: Unsupported value: \\"Bridge\\": supported values: \\"ClusterCIDR\\", \\"NodeCIDR\\", \\"BridgeInterface\\", \\"InterfaceNamePrefix\\", \\"\\""',
    );
    const before = lab.nat(node);
    expect(before).toContain(`-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j ${KUBERNETES_SVC}`);
    lab.sh('kubectl create deployment web --image=nginx');
    lab.sh('kubectl expose deployment web --port 80');
    expect(lab.nat(node)).toBe(before);
    expect(lab.nat(node)).not.toContain('default/web');
    expect(lab.nat(other)).toContain('"default/web cluster IP"');
  });

  it('a node that joins meanwhile never ran kube-proxy: no KUBE chains; fixing the ConfigMap heals at the next restart and the rollout goes on', () => {
    const lab = new Lab();
    lab.edit('clusterCIDR: 10.244.0.0/16', 'clusterCIDR: 10.244.0.0/33');
    lab.sh('kubectl -n kube-system rollout restart ds kube-proxy');
    lab.c = lab.c.addNode({ name: 'node03' });
    const joined = lab.pod('node03');
    expect(lab.config('node03').error).toBe(
      'failed validate: KubeProxyConfiguration.DetectLocalConfiguration.ClusterCIDRs[0]: Invalid value: "10.244.0.0/33": must be a valid CIDR block (e.g. 10.100.0.0/16 or fde4:8dba:82e1::/48)',
    );
    expect(lab.pods().node03).toMatch(/^0\/1 Error 0 0s /);
    expect(lab.nat('node03')).not.toMatch(/KUBE-/);
    expect(lab.sh('sudo iptables-save -t filter', { node: 'node03' }).stdout).not.toMatch(/KUBE-/);

    lab.sh('sleep 5');
    // Restarted once, a second after the crash; the next restart is 10 s later.
    expect(lab.pods().node03).toMatch(/^0\/1 CrashLoopBackOff 1 \(4s ago\) 5s /);
    lab.edit('clusterCIDR: 10.244.0.0/33', 'clusterCIDR: 10.244.0.0/16');
    lab.sh('sleep 5');
    expect(lab.pods().node03).toMatch(/^0\/1 CrashLoopBackOff 1 \(9s ago\) 10s /);
    lab.sh('sleep 5');
    expect(lab.pod('node03')).toBe(joined);
    // RESTARTS shows when the last container exited: the first restart's, at once.
    expect(lab.pods().node03).toMatch(/^1\/1 Running 2 \(14s ago\) 15s /);
    expect(lab.config('node03').error).toBeUndefined();
    expect(lab.config('node03').config!.clusterCIDRs).toEqual(['10.244.0.0/16']);
    expect(lab.nat('node03')).toContain('-A KUBE-SERVICES -d 10.96.0.1/32');
    // With every pod available again the rollout finishes.
    expect(lab.sh('kubectl -n kube-system get ds kube-proxy').stdout).toMatch(/^kube-proxy\s+4\s+4\s+4\s+4\s+4\s/m);
  });

  it('settle leaves a crash loop to the clock, but brings the restart that reads a fixed ConfigMap', () => {
    const lab = new Lab();
    lab.edit('  masqueradeBit: null', '  masqueradeBit: 32');
    lab.sh(`kubectl -n kube-system delete pod ${lab.pod('node02')}`);
    lab.sh('sleep 2');
    expect(lab.pods().node02).toMatch(/^0\/1 CrashLoopBackOff 1 \(1s ago\) 2s /);
    // Failing the same way at every restart is no work that completes.
    expect(lab.c.settle()).toBe(lab.c);
    lab.edit('  masqueradeBit: 32', '  masqueradeBit: 15');
    lab.c = lab.c.settle();
    // The second restart, 10 s after the first, read the fixed file.
    expect(lab.pods().node02).toMatch(/^1\/1 Running 2 \(\d+s ago\) 11s /);
    expect(lab.config('node02').config!.masqueradeBit).toBe(15);
  });

  it('a decoding error is reported as Complete reports it', () => {
    const lab = new Lab();
    lab.edit('  masqueradeAll: false', '  masqueradeAll: "yes"');
    lab.sh(`kubectl -n kube-system delete pod ${lab.pod('node01')}`);
    expect(lab.config('node01').error).toMatch(
      /^failed complete: failed to decode: json: cannot unmarshal string into Go struct field KubeProxyIPTablesConfiguration\.iptables\.masqueradeAll of type bool$/,
    );
  });
});

describe('a missing ConfigMap', () => {
  it('keeps a new pod ContainerCreating (FailedMount) and the node its rules, until the ConfigMap is back', () => {
    const lab = new Lab();
    const cm = lab.sh('kubectl -n kube-system get cm kube-proxy -o yaml').stdout;
    const rules = lab.nat('node02');
    lab.sh('kubectl -n kube-system delete cm kube-proxy');
    lab.sh(`kubectl -n kube-system delete pod ${lab.pod('node02')}`);
    const pod = lab.pod('node02');
    expect(lab.pods().node02).toMatch(/^0\/1 ContainerCreating 0 0s 192\.168\.56\.12 node02$/);
    expect(lab.sh(`kubectl -n kube-system logs ${pod}`)).toMatchObject({
      stderr: `Error from server (BadRequest): container "kube-proxy" in pod "${pod}" is waiting to start: ContainerCreating\n`,
      exitCode: 1,
    });
    const events = lab.sh(`kubectl -n kube-system describe pod ${pod}`).stdout.split('Events:\n')[1]!;
    // Its container never started: no Pulled/Created/Started.
    expect(events.split('\n').slice(2, -1)).toEqual(['  Warning  FailedMount  0s    kubelet  MountVolume.SetUp failed for volume "kube-proxy" : configmap "kube-proxy" not found']);
    expect(lab.nat('node02')).toBe(rules);

    lab.sh('kubectl apply -f -', { stdin: cm });
    expect(lab.pods().node02).toMatch(/^1\/1 Running 0 0s 192\.168\.56\.12 node02$/);
    expect(lab.config('node02').config!.clusterCIDRs).toEqual(['10.244.0.0/16']);
  });
});

describe("the kubelet's back-off", () => {
  it('restarts at once, then after 10 s doubling up to 5 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(backOffSeconds)).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
    expect([1, 2, 3, 4].map((k) => restartTime(0, k))).toEqual([1_000, 11_000, 31_000, 71_000]);
    expect([0, 999, 1_000, 10_999, 11_000, 71_000, 71_000 + 300_000 * 3].map((t) => restartsBy(0, t))).toEqual([0, 0, 1, 1, 2, 4, 8]);
  });
});
