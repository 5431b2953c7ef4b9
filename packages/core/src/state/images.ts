// What well-known images do when they run: their entrypoint (for `docker ps`) and the sockets
// they listen on when the manifest declares no containerPort. A container listens on what its
// process binds, not on what the manifest declares, so nginx answers on :80 with no `ports:`.

import type { Container, Protocol } from '../api/types.js';

export interface ImageInfo {
  command: string;
  listens: { port: number; protocol: Protocol }[];
  /** Which userland `kubectl exec` finds in the image (busybox applets, a Debian base, nothing). */
  userland?: Userland;
}

export type Userland = 'busybox' | 'debian' | 'distroless';

/** Commands each userland provides (the ones the simulated shell implements). */
export const USERLAND_COMMANDS: Record<Userland, ReadonlySet<string>> = {
  busybox: new Set(['sh', 'ping', 'ip', 'ifconfig', 'hostname', 'cat', 'grep', 'head', 'tail', 'wc', 'echo', 'sleep', 'nslookup', 'wget', 'true', 'route', 'netstat', 'tr']),
  debian: new Set(['sh', 'bash', 'hostname', 'cat', 'grep', 'head', 'tail', 'wc', 'echo', 'sleep', 'true', 'curl']),
  distroless: new Set([]),
};

const tcp = (port: number) => ({ port, protocol: 'TCP' as const });
const udp = (port: number) => ({ port, protocol: 'UDP' as const });

const CATALOGUE: [RegExp, ImageInfo][] = [
  [/(^|\/)nginx(:|@|$)/, { command: '/docker-entrypoint.sh nginx -g daemon off;', listens: [tcp(80)], userland: 'debian' }],
  [/(^|\/)httpd(:|@|$)/, { command: 'httpd-foreground', listens: [tcp(80)], userland: 'debian' }],
  [/(^|\/)kubeserve2?(:|@|$)/, { command: 'node app.js', listens: [tcp(8080)], userland: 'busybox' }],
  [/(^|\/)coredns(:|@|$)/, { command: '/coredns -conf /etc/coredns/Corefile', listens: [udp(53), tcp(53), tcp(9153), tcp(8080), tcp(8181)], userland: 'distroless' }],
  [/(^|\/)busybox(:|@|$)/, { command: 'sh', listens: [], userland: 'busybox' }],
  [/(^|\/)alpine(:|@|$)/, { command: '/bin/sh', listens: [], userland: 'busybox' }],
  [/(^|\/)pause(:|@|$)/, { command: '/pause', listens: [] }],
  [
    /(^|\/)ingress-nginx\/controller(:|@|$)/,
    {
      command: '/nginx-ingress-controller --election-id=ingress-nginx-leader --controller-class=k8s.io/ingress-nginx --ingress-class=nginx',
      listens: [tcp(80), tcp(443), tcp(8443), tcp(10254)],
      userland: 'busybox',
    },
  ],
  [/(^|\/)metallb\/controller(:|@|$)/, { command: '/controller --port=7472 --log-level=info', listens: [tcp(7472), tcp(9443)], userland: 'distroless' }],
  [/(^|\/)metallb\/speaker(:|@|$)/, { command: '/speaker --port=7472 --log-level=info', listens: [tcp(7472), tcp(7946), udp(7946)], userland: 'distroless' }],
  [
    /(^|\/)kube-proxy(:|@|$)/,
    { command: '/usr/local/bin/kube-proxy --config=/var/lib/kube-proxy/config.conf --hostname-override=$(NODE_NAME)', listens: [tcp(10249), tcp(10256)] },
  ],
  [/(^|\/)flannel(:|@|$)/, { command: '/opt/bin/flanneld --ip-masq --kube-subnet-mgr', listens: [tcp(8081)] }],
  [/(^|\/)kube-apiserver(:|@|$)/, { command: 'kube-apiserver --advertise-address=…', listens: [tcp(6443)] }],
  [/(^|\/)etcd(:|@|$)/, { command: 'etcd --advertise-client-urls=…', listens: [tcp(2379), tcp(2380), tcp(2381)] }],
  [/(^|\/)kube-controller-manager(:|@|$)/, { command: 'kube-controller-manager --allocate-node-cidrs=true …', listens: [tcp(10257)] }],
  [/(^|\/)kube-scheduler(:|@|$)/, { command: 'kube-scheduler --authentication-kubeconfig=…', listens: [tcp(10259)] }],
];

export function imageInfo(image: string): ImageInfo | undefined {
  return CATALOGUE.find(([re]) => re.test(image))?.[1];
}

/** The command line a container runs: the manifest's command+args, else the image's entrypoint. */
export function containerCommand(c: Container): string {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  if (argv.length) return argv.join(' ');
  return imageInfo(c.image)?.command ?? '/bin/sh';
}

/** Sockets a container listens on: declared ports plus what the image is known to bind. */
export function containerListens(c: Container): { port: number; protocol: Protocol }[] {
  const out = new Map<string, { port: number; protocol: Protocol }>();
  for (const p of c.ports ?? []) out.set(`${p.protocol}/${p.containerPort}`, { port: p.containerPort, protocol: p.protocol });
  for (const p of imageInfo(c.image)?.listens ?? []) out.set(`${p.protocol}/${p.port}`, p);
  return [...out.values()];
}
