// Each seed lesson's key traces as sequence diagrams, and examples/README.md built from them.
// Regenerate the README after a change to the walker or the diagrams:
//   npx tsx --conditions=@k8s-netsim/source examples/diagrams.ts
// (test/diagrams.test.ts fails when the README is out of date, and pins each diagram's text.)

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cluster, type TraceOutcome, type TraceResult, traceMermaid, withHttp } from '@k8s-netsim/core';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface LessonDiagram {
  /** File name stem of its golden copy (test/__golden__/NAME.mmd). */
  name: string;
  lesson: string;
  caption: string;
  /** The command that prints it. */
  command: string;
  input: TraceResult | readonly TraceOutcome[];
}

/** The cluster a lesson script leaves behind, or as it is just before the line starting with `until`. */
export function lessonCluster(file: string, until?: string): Cluster {
  const path = resolve(HERE, file);
  let text = readFileSync(path, 'utf8');
  if (until !== undefined) {
    const at = text.indexOf(`\n${until}`);
    if (at < 0) throw new Error(`${file}: no line starting with ${until}`);
    text = text.slice(0, at + 1);
  }
  const opts = /^#\s*netsim:.*--cni none/m.test(text) ? { cni: 'none' as const } : {};
  const r = Cluster.create(opts).run(text, { readFile: (p) => readFileSync(resolve(dirname(path), p), 'utf8'), cwd: dirname(path) });
  return r.cluster;
}

/** The diagrams, in lesson order. */
export function lessonDiagrams(): LessonDiagram[] {
  const out: LessonDiagram[] = [];
  const l1 = lessonCluster('lesson1-pod-node-networking.sh');
  const [a, b] = l1.pods({ namespace: 'default' });
  if (!a?.ip || !b?.ip) throw new Error('lesson 1: two nginx pods expected');
  out.push({
    name: 'lesson1-pod-to-pod',
    lesson: 'Lesson 1 — pod and node networking',
    caption: 'A pod on node01 to a pod on node02: veth, cni0, the node routes into flannel.1, VXLAN across the node network.',
    command: `netsim trace --from ${a.namespace}/${a.name} --to ${b.ip}:80 -o mermaid`,
    input: l1.trace({ from: { pod: `${a.namespace}/${a.name}` }, to: { ip: b.ip, port: 80 } }),
  });
  const l3 = lessonCluster('lesson3-services.sh', 'kubectl scale');
  const vip = l3.service('nginx-nodeport').clusterIPs[0] as string;
  out.push({
    name: 'lesson3-pod-to-clusterip',
    lesson: 'Lesson 3 — Services and kube-proxy',
    caption: "A pod to the nginx-nodeport ClusterIP: kube-proxy's DNAT picks an endpoint, conntrack undoes it on the reply.",
    command: `netsim trace --from client --to ${vip}:80 -o mermaid`,
    input: l3.trace({ from: { pod: 'default/client' }, to: { ip: vip, port: 80 } }),
  });
  out.push({
    name: 'lesson3-external-to-nodeport',
    lesson: 'Lesson 3 — Services and kube-proxy',
    caption: 'The workstation to NodePort 30080 on node02: DNAT to a pod on node01, MASQUERADE to flannel.1’s address, VXLAN.',
    command: 'netsim trace --from external --to 192.168.56.12:30080 -o mermaid',
    input: l3.trace({ from: { external: '192.168.56.1' }, to: { ip: '192.168.56.12', port: 30080 } }),
  });
  const l3z = lessonCluster('lesson3-services.sh');
  out.push({
    name: 'lesson3-no-endpoints',
    lesson: 'Lesson 3 — Services and kube-proxy',
    caption: 'Scaled to zero: the Service has no endpoints, kube-proxy REJECTs.',
    command: `netsim trace --from client --to ${vip}:80 -o mermaid`,
    input: l3z.trace({ from: { pod: 'default/client' }, to: { ip: vip, port: 80 } }),
  });
  const l4 = lessonCluster('lesson4-ingress-loadbalancers.sh');
  out.push({
    name: 'lesson4-lb-ingress-http',
    lesson: 'Lesson 4 — LoadBalancers and Ingress',
    caption: "The workstation to MetalLB's 192.168.56.240 with an HTTP request: ingress-nginx matches the rule and opens a second connection to the backend.",
    command: 'netsim trace --from external --to 192.168.56.240:80 --http kubeserve.example.com/ -o mermaid',
    input: withHttp(l4.state, l4.trace({ from: { external: '192.168.56.1' }, to: { ip: '192.168.56.240', port: 80 } }), 'kubeserve.example.com/'),
  });
  const l5 = lessonCluster('lesson5-dns.sh');
  out.push({
    name: 'lesson5-pod-to-kube-dns',
    lesson: 'Lesson 5 — DNS',
    caption: 'busybox to kube-dns on UDP 53, every endpoint with its probability.',
    command: 'netsim trace --from busybox --to 10.96.0.10:53 --proto udp --all -o mermaid',
    input: l5.traceAll({ from: { pod: 'default/busybox' }, to: { ip: '10.96.0.10', port: 53 }, proto: 'udp' }),
  });
  return out;
}

/** examples/README.md: each diagram as a ```mermaid block under its lesson. */
export function renderReadme(diagrams: readonly LessonDiagram[] = lessonDiagrams()): string {
  const parts = [
    '# Examples: the seed lessons as sequence diagrams',
    '',
    'Each `lesson*.sh` here replays one lesson of the seed (`pnpm netsim run examples/lesson1-pod-node-networking.sh`).',
    "Below, each lesson's key traces as `netsim trace … -o mermaid` draws them on the cluster the script has built (each",
    'command is a line to add to the script; `-o svg` gives the same picture as a self-contained SVG). Generated by',
    '`examples/diagrams.ts`; `test/diagrams.test.ts` checks that this file is up to date:',
    '',
    '```sh',
    'npx tsx --conditions=@k8s-netsim/source examples/diagrams.ts',
    '```',
  ];
  let lesson = '';
  for (const d of diagrams) {
    if (d.lesson !== lesson) {
      lesson = d.lesson;
      parts.push('', `## ${lesson}`);
    }
    parts.push('', d.caption, '', '```sh', d.command, '```', '', '```mermaid', traceMermaid(d.input).trimEnd(), '```');
  }
  return `${parts.join('\n')}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(resolve(HERE, 'README.md'), renderReadme());
}
