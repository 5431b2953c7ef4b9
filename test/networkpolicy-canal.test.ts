// NetworkPolicy under canal (Flannel's VXLAN network, Calico's policy): the pod network as
// Calico's CNI plugin builds it, and the classic traps, each as a real cluster behaves:
// default-deny ingress, default-deny egress breaking DNS, namespaceSelector AND/OR podSelector,
// ipBlock against kube-proxy's SNAT, named ports per pod, Services judged after DNAT, hostNetwork
// pods, and a Flannel lab that moves to canal (old pods stay unpoliced until recreated).

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Cluster } from '@k8s-netsim/core';
import '@k8s-netsim/testing/vitest';

const CANAL_URL = 'https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/canal.yaml';

function ipOf(c: Cluster, ns: string, name: string): string {
  const p = c.pods({ namespace: ns }).find((x) => x.name === name);
  if (!p?.ip) throw new Error(`no IP for ${ns}/${name}`);
  return p.ip;
}

function pod(name: string, ns: string, labels: Record<string, string>, extra = '', image = 'nginx'): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {${l}}}
spec:
  containers:
  - name: main
    image: ${image}
    ports:
    - containerPort: 80
${extra}---
`;
}

const ns = (name: string, labels = '') => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}${labels ? `, labels: {${labels}}` : ''}}\n---\n`;

describe('canal: the pod network of Calico’s CNI plugin', () => {
  const c = Cluster.create({ cni: 'canal' }).exec('kubectl run client --image=busybox:1.28 -- sleep 3600').cluster.settle();
  const client = c.pods({ namespace: 'default' }).find((p) => p.name === 'client')!;

  it('runs the canal DaemonSet (calico-node and kube-flannel) on every node', () => {
    const ds = c.exec('kubectl get ds -n kube-system canal').stdout;
    expect(ds).toMatch(/^canal\s+3\s+3\s+3\s+3\s+3\s+kubernetes\.io\/os=linux\s/m);
    expect(c.exec('kubectl get pods -n kube-system -l k8s-app=canal').stdout.match(/2\/2\s+Running/g)).toHaveLength(3);
  });

  it('gives the pod a /32 and routes everything via 169.254.1.1, answered by proxy ARP (ee:ee:ee:ee:ee:ee)', () => {
    // Calico's documented pod routes ("Why does my container have a route to 169.254.1.1?").
    expect(c.exec('ip route', { pod: 'client' }).stdout).toBe('default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n');
    expect(c.exec('ip neigh', { pod: 'client' }).stdout).toBe('169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee REACHABLE \n');
    expect(c.exec('ip -4 addr show eth0', { pod: 'client' }).stdout).toContain(`inet ${client.ip}/32 scope global eth0`);
  });

  it('names the host side cali + 11 hex digits of SHA-1("namespace.pod") and routes the pod’s /32 to it', () => {
    const iface = `cali${createHash('sha1').update('default.client').digest('hex').slice(0, 11)}`;
    const routes = c.exec('ip route', { node: client.node! }).stdout;
    expect(routes).toContain(`${client.ip} dev ${iface} scope link \n`);
    expect(routes).not.toContain('cni0');
    expect(c.exec(`ip link show ${iface}`, { node: client.node! }).stdout).toMatch(/link\/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff/);
  });

  it('annotates the pod as Calico’s CNI plugin patches it at ADD (container ID, podIP and podIPs as /32)', () => {
    const yaml = c.exec('kubectl get pod client -o yaml').stdout;
    expect(yaml).toMatch(
      new RegExp(
        `^ {2}annotations:\n {4}cni.projectcalico.org/containerID: [0-9a-f]{64}\n {4}cni.projectcalico.org/podIP: ${client.ip!.replaceAll('.', '\\.')}/32\n {4}cni.projectcalico.org/podIPs: ${client.ip!.replaceAll('.', '\\.')}/32\n`,
        'm',
      ),
    );
  });

  it('stores a NetworkPolicy without the note plain Flannel gets', () => {
    const r = c.exec('kubectl apply -f -', {
      stdin: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}\n',
    });
    expect(r.stdout).toBe('networkpolicy.networking.k8s.io/deny created\n');
    expect(r.stderr).toBe('');
  });
});

describe('trap: a default-deny ingress policy isolates every pod of its namespace', () => {
  let c = Cluster.create({ cni: 'canal' }).apply(pod('web', 'default', { app: 'web' }) + pod('client', 'default', { app: 'client' }, '', 'busybox:1.28'));
  const before = c.trace({ from: { pod: 'client' }, to: { ip: ipOf(c, 'default', 'web'), port: 80 } });
  c = c.apply('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny-ingress}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n');
  const web = ipOf(c, 'default', 'web');

  it('delivers before, and drops after at the destination’s cali-tw chain, naming the policy', () => {
    expect(before).toBeDeliveredTo('web');
    expect(before.policy).toBeUndefined();
    const t = c.trace({ from: { pod: 'client' }, to: { ip: web, port: 80 } });
    expect(t).toBeDeniedByPolicy('ingress');
    expect(t.policy?.decisions).toEqual([
      {
        direction: 'ingress',
        pod: 'default/web',
        verdict: 'deny',
        selectedBy: [{ namespace: 'default', name: 'default-deny-ingress' }],
        chain: expect.stringMatching(/^cali-tw-cali[0-9a-f]{11}$/),
      },
    ]);
    expect(t.reason).toMatch(/End of tier default\. Drop if no policies passed packet/);
  });

  it('times the client out as wget does', () => {
    const r = c.exec(`kubectl exec client -- wget -qO- -T 2 http://${web}`);
    expect(r.stderr).toBe('wget: download timed out\n');
  });

  it('prints the decision in the trace text', () => {
    const out = c.exec(`netsim trace --from client --to ${web}:80`).stdout;
    expect(out).toMatch(
      /^policy: ingress at pod default\/web denied: selected by NetworkPolicy default\/default-deny-ingress, and no rule of it allows it \(cali-tw-cali[0-9a-f]{11}: end of tier default\)$/m,
    );
  });
});

describe('trap: default-deny egress breaks DNS until port 53 to kube-dns is allowed', () => {
  let c = Cluster.create({ cni: 'canal' }).exec('kubectl run client --image=busybox:1.28 -- sleep 3600').cluster.settle();
  c = c.apply('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny-egress}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n');

  it('nslookup cannot resolve: the query to 10.96.0.10:53 is dropped by the client’s own egress chain', () => {
    const r = c.exec('kubectl exec client -- nslookup kubernetes');
    expect(r.stderr).toBe("nslookup: can't resolve 'kubernetes'\n");
    const t = c.trace({ from: { pod: 'client' }, to: { ip: '10.96.0.10', port: 53 }, proto: 'udp' });
    expect(t).toBeDeniedByPolicy('egress');
    expect(t.policy?.decisions?.[0]).toMatchObject({ direction: 'egress', pod: 'default/client', verdict: 'deny', chain: expect.stringMatching(/^cali-fw-cali/) });
  });

  it('allowing UDP and TCP 53 to the kube-dns pods restores it (judged after DNAT, on the CoreDNS pod)', () => {
    const fixed = c.apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
`);
    expect(fixed.exec('kubectl exec client -- nslookup kubernetes').stdout).toContain('Name:      kubernetes\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local');
    const t = fixed.trace({ from: { pod: 'client' }, to: { ip: '10.96.0.10', port: 53 }, proto: 'udp' });
    expect(t).toBeDelivered();
    expect(t).toBeAllowedByPolicy('allow-dns', 0);
    expect(t.to?.pod).toMatch(/^kube-system\/coredns-/);
    // The same policy does not open anything else.
    expect(fixed.trace({ from: { pod: 'client' }, to: { ip: '8.8.8.8', port: 443 } })).toBeDeniedByPolicy('egress');
  });
});

describe('trap: namespaceSelector and podSelector in one element (AND) or two (OR)', () => {
  const objects =
    ns('prod', 'env: prod') +
    ns('db') +
    pod('web', 'db', { app: 'db' }) +
    pod('client', 'prod', { role: 'client' }) +
    pod('other', 'prod', { role: 'other' }) +
    pod('client', 'db', { role: 'client' }) +
    pod('client', 'default', { role: 'client' });
  const base = Cluster.create({ cni: 'canal' }).apply(objects);
  const policy = (from: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from, namespace: db}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
${from}`;
  const verdicts = (c: Cluster) => {
    const web = ipOf(c, 'db', 'web');
    return Object.fromEntries(['prod/client', 'prod/other', 'db/client', 'default/client'].map((p) => [p, c.trace({ from: { pod: p }, to: { ip: web, port: 80 } }).verdict]));
  };

  it('one element: pods labelled role=client in namespaces labelled env=prod', () => {
    const c = base.apply(policy('    - namespaceSelector: {matchLabels: {env: prod}}\n      podSelector: {matchLabels: {role: client}}\n'));
    expect(verdicts(c)).toEqual({ 'prod/client': 'delivered', 'prod/other': 'dropped', 'db/client': 'dropped', 'default/client': 'dropped' });
  });

  it('two elements: every pod of env=prod namespaces, or role=client pods of the policy’s own namespace', () => {
    const c = base.apply(policy('    - namespaceSelector: {matchLabels: {env: prod}}\n    - podSelector: {matchLabels: {role: client}}\n'));
    expect(verdicts(c)).toEqual({ 'prod/client': 'delivered', 'prod/other': 'delivered', 'db/client': 'delivered', 'default/client': 'dropped' });
    // The rule index is the Kubernetes rule's, whichever peer matched.
    expect(c.trace({ from: { pod: 'prod/other' }, to: { ip: ipOf(c, 'db', 'web'), port: 80 } })).toBeAllowedByPolicy('db/db-from', 0);
  });
});

describe('trap: an ipBlock does not see clients that kube-proxy masqueraded', () => {
  // The lab host (192.168.56.1) reaches web through a NodePort on the other node.
  const objects = `${pod('web', 'default', { app: 'web' }, '  nodeName: node02\n')}apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: web-local}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, nodePort: 30081}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-lab}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - ipBlock: {cidr: 192.168.56.0/24, except: [192.168.56.240/28]}
`;
  const c = Cluster.create({ cni: 'canal' }).apply(objects);

  it('externalTrafficPolicy Cluster via node01: SNAT to node01’s flannel.1 address, outside the block: denied', () => {
    const t = c.trace({ from: { external: '192.168.56.1' }, to: { ip: '192.168.56.11', port: 30080 } });
    expect(t).toBeDeniedByPolicy('ingress');
  });

  it('externalTrafficPolicy Local on the pod’s node: the client’s own address reaches the pod: allowed', () => {
    const t = c.trace({ from: { external: '192.168.56.1' }, to: { ip: '192.168.56.12', port: 30081 } });
    expect(t).toBeDeliveredTo('web');
    expect(t).toKeepClientIP();
    expect(t).toBeAllowedByPolicy('web-from-lab', 0);
  });

  it('the except range is carved out by a scratch-mark block, as Felix renders it', () => {
    const rules = c
      .exec('iptables-save -t filter', { node: 'node02' })
      .stdout.split('\n')
      .filter((l) => l.startsWith('-A cali-pi-'));
    expect(rules.map((l) => l.replace(/cali-pi-_[\w-]+/, 'cali-pi-X').replace(/"cali:[\w-]+"/, '"cali:H"'))).toEqual([
      '-A cali-pi-X -m comment --comment "cali:H" -m comment --comment "KubernetesNetworkPolicy default/web-from-lab ingress" -j MARK --set-xmark 0x80000/0x180000',
      '-A cali-pi-X -s 192.168.56.240/28 -m comment --comment "cali:H" -j MARK --set-xmark 0x0/0x80000',
      '-A cali-pi-X -s 192.168.56.0/24 -m comment --comment "cali:H" -m mark --mark 0x80000/0x80000 -j MARK --set-xmark 0x10000/0x10000',
    ]);
  });
});

describe('egress to an ipBlock is judged before the node masquerades the pod', () => {
  const c = Cluster.create({ cni: 'canal' })
    .apply(pod('client', 'default', { app: 'client' }, '', 'busybox:1.28'))
    .apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-to-google-dns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 8.8.8.8/32}}]
    ports: [{protocol: UDP, port: 53}]
`);

  it('8.8.8.8:53/UDP is allowed by the pod’s egress chain, then masqueraded to the node (FLANNEL-POSTRTG)', () => {
    const t = c.trace({ from: { pod: 'client' }, to: { ip: '8.8.8.8', port: 53 }, proto: 'udp' });
    expect(t).toBeDelivered();
    expect(t).toBeAllowedByPolicy('egress-to-google-dns', 0);
    expect(t.hops.some((h) => h.kind === 'netfilter' && /^MASQUERADE/.test(h.action))).toBe(true);
  });

  it('anything else leaving the pod is denied at its cali-fw chain', () => {
    expect(c.trace({ from: { pod: 'client' }, to: { ip: '1.1.1.1', port: 53 }, proto: 'udp' })).toBeDeniedByPolicy('egress');
    expect(c.trace({ from: { pod: 'client' }, to: { ip: '8.8.8.8', port: 443 } })).toBeDeniedByPolicy('egress');
  });
});

describe('trap: a named port is resolved on each destination pod', () => {
  const apiPod = (name: string, http: number, metrics: number) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: api}}
spec:
  containers:
  - name: main
    image: api
    ports:
    - {name: http, containerPort: ${http}}
    - {name: metrics, containerPort: ${metrics}}
---
`;
  const c = Cluster.create({ cni: 'canal' })
    .apply(apiPod('api-a', 8080, 9090) + apiPod('api-b', 9090, 8080) + pod('client', 'default', { app: 'client' }))
    .apply(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-http}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - ports:\n    - port: http\n',
    );
  const to = (p: string, port: number) => c.trace({ from: { pod: 'client' }, to: { ip: ipOf(c, 'default', p), port } }).verdict;

  it('"http" is 8080 on api-a and 9090 on api-b', () => {
    expect([to('api-a', 8080), to('api-a', 9090), to('api-b', 9090), to('api-b', 8080)]).toEqual(['delivered', 'dropped', 'delivered', 'dropped']);
  });

  it('through a hash:ip,port ipset of every pod’s (address, tcp, port) for that name', () => {
    const save = c.exec('iptables-save -t filter', { node: c.pods().find((p) => p.name === 'api-a')!.node! }).stdout;
    // `knp/default/api-http` fits the 28 characters of a chain name, so Felix does not hash it.
    expect(save).toMatch(
      /^-A cali-pi-knp\/default\/api-http -p tcp -m comment --comment "cali:[\w-]{16}" -m comment --comment "KubernetesNetworkPolicy default\/api-http ingress" -m set --match-set cali40n:[\w-]{23} dst,dst -j MARK --set-xmark 0x10000\/0x10000$/m,
    );
  });
});

describe('trap: traffic to a Service is judged after DNAT, on the endpoint pod', () => {
  const c = Cluster.create({ cni: 'canal' })
    .apply(
      `${pod('web', 'default', { app: 'web' }) + pod('frontend', 'default', { app: 'frontend' }) + pod('other', 'default', { app: 'other' })}apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 8000, targetPort: 80}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-frontend}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: frontend}}}]
    ports: [{port: 80}]
`,
    )
    .settle();
  const vip = c.service('web').clusterIPs[0];

  it('the policy names the pod port (80), not the Service port (8000)', () => {
    const ok = c.trace({ from: { pod: 'frontend' }, to: { ip: vip!, port: 8000 } });
    expect(ok).toBeDeliveredTo('web');
    expect(ok).toBeAllowedByPolicy('web-from-frontend', 0);
    expect(c.trace({ from: { pod: 'other' }, to: { ip: vip!, port: 8000 } })).toBeDeniedByPolicy('ingress');
  });
});

describe('trap: hostNetwork pods are not pods to a podSelector', () => {
  const objects = `${pod('web', 'default', { app: 'web' }, '  nodeName: node02\n')}${pod('agent-1', 'default', { app: 'agent' }, '  hostNetwork: true\n  nodeName: node01\n')}${pod('agent-2', 'default', { app: 'agent' }, '  hostNetwork: true\n  nodeName: node02\n')}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-pods}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {}}]
`;
  const c = Cluster.create({ cni: 'canal' }).apply(objects);
  const web = ipOf(c, 'default', 'web');

  it('from another node the source is that node’s flannel.1 address, which no podSelector picks: denied', () => {
    const t = c.trace({ from: { pod: 'agent-1' }, to: { ip: web, port: 80 } });
    expect(t).toBeDeniedByPolicy('ingress');
  });

  it('from the pod’s own node, Felix lets the host reach its workloads (cali-OUTPUT returns for cali+): delivered', () => {
    const t = c.trace({ from: { pod: 'agent-2' }, to: { ip: web, port: 80 } });
    expect(t).toBeDeliveredTo('web');
    expect(t.policy).toBeUndefined();
  });
});

describe('trap: Flannel stores policies and ignores them; canal installed later polices only recreated pods', () => {
  const deny = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny-ingress}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n';
  let c = Cluster.create().apply(pod('web', 'default', { app: 'web' }) + pod('client', 'default', { app: 'client' }));
  const applied = c.exec('kubectl apply -f -', { stdin: deny });
  c = applied.cluster;

  it('on Flannel: a note on apply, and the trace is delivered with the policy that would have denied it', () => {
    expect(applied.stderr).toBe("netsim: note: the cluster's CNI (flannel) does not enforce NetworkPolicy; it is stored and has no effect\n");
    const t = c.trace({ from: { pod: 'client' }, to: { ip: ipOf(c, 'default', 'web'), port: 80 } });
    expect(t).toBeDeliveredTo('web');
    expect(t.policy).toEqual({ enforced: false, wouldDeny: [{ namespace: 'default', name: 'default-deny-ingress' }] });
  });

  it('after kubectl apply -f canal.yaml, the running pods keep their cni0 veths and go unpoliced', () => {
    const installed = c.exec(`kubectl apply -f ${CANAL_URL}`);
    expect(installed.stdout).toContain('daemonset.apps/canal created\n');
    const d = installed.cluster.settle();
    const t = d.trace({ from: { pod: 'client' }, to: { ip: ipOf(d, 'default', 'web'), port: 80 } });
    expect(t).toBeDeliveredTo('web');
    expect(t.policy?.enforced).toBe(true);
    expect(t.policy?.note).toMatch(/^pod default\/web is not on a Calico interface \(created on Flannel's cni0 before canal was installed\)/);
    expect(t.policy?.wouldDeny).toEqual([{ namespace: 'default', name: 'default-deny-ingress' }]);

    // Recreated, the pod gets Calico's plugin (10-canal.conflist sorts first) and the policy holds.
    const e = d
      .exec('kubectl delete pod web')
      .cluster.apply(pod('web', 'default', { app: 'web' }))
      .settle();
    expect(e.exec('ip route', { pod: 'web' }).stdout).toBe('default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n');
    expect(e.trace({ from: { pod: 'client' }, to: { ip: ipOf(e, 'default', 'web'), port: 80 } })).toBeDeniedByPolicy('ingress');
  });
});
