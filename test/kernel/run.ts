// `pnpm test:kernel`: the simulator against the Linux kernel. Each scenario is materialised in
// network namespaces, its state read back and compared, then the connections the simulator
// traces are sent for real and compared field by field. Prints `N/M agree`; exit 1 on any
// disagreement or when the machine cannot run it (root, ip netns, iptables, ipset, br_netfilter, python3).
//
//   pnpm test:kernel [--random N] [--seed S] [--only NAME] [--verbose]
//
// Scenarios: the six seed lessons (their clusters as each script leaves them; lesson 6 is canal
// on the Flannel lab), the default lab with Flannel's host-gw backend, the default lab with
// hairpin mode off, N random small clusters from the testing kit's arbCluster (2–4 nodes,
// Services of every type), and N/4 canal clusters with random pods and NetworkPolicies.
// Needs ipset too, for Felix's sets.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { advanceClock, Cluster, type ClusterOptions } from '@k8s-netsim/core';
import { arbCluster, arbPolicyScenario, clusterOrigin, describeClusterOrigin } from '@k8s-netsim/testing';
import { buildLab, checkState, teardownLab } from './lab.js';
import { differential } from './differential.js';
import { questionsFor } from './questions.js';

const { values } = parseArgs({
  options: {
    random: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

interface Scenario {
  name: string;
  cluster: () => Cluster;
}

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/** A lesson script's cluster as the script leaves it (its `# netsim:` options honoured, `extra` added), settled. */
function lesson(file: string, extra: ClusterOptions = {}): Cluster {
  const path = resolve(EXAMPLES, file);
  const text = readFileSync(path, 'utf8');
  const opts: ClusterOptions = { ...extra };
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    if (/^#\s*netsim:.*--cni none/.test(line)) opts.cni = 'none';
  }
  const r = Cluster.create(opts).run(text, { readFile: (p) => readFileSync(resolve(dirname(path), p), 'utf8'), cwd: dirname(path) });
  return Cluster.fromState(advanceClock(r.cluster.state, 5000));
}

function scenarios(): Scenario[] {
  const list: Scenario[] = [
    { name: 'lesson1', cluster: () => lesson('lesson1-pod-node-networking.sh') },
    { name: 'lesson2', cluster: () => lesson('lesson2-cni-flannel.sh') },
    { name: 'lesson3', cluster: () => lesson('lesson3-services.sh') },
    { name: 'lesson4', cluster: () => lesson('lesson4-ingress-loadbalancers.sh') },
    { name: 'lesson5', cluster: () => lesson('lesson5-dns.sh') },
    { name: 'lesson3 on host-gw', cluster: () => lesson('lesson3-services.sh', { flannelBackend: 'host-gw' }) },
    { name: 'lesson3, hairpin mode off', cluster: () => lesson('lesson3-services.sh', { hairpinMode: false }) },
    // canal installed into the Flannel lab: cali veths beside cni0 ones, Felix's chains and ipsets.
    { name: 'lesson6 (canal)', cluster: () => lesson('lesson6-networkpolicy.sh') },
  ];
  const n = Number(values.random);
  const seed = Number(values.seed);
  // Hairpin on and off, both Flannel backends, Services of every type (arbManifests' defaults).
  const arb = arbCluster({ nodes: { min: 2, max: 4 }, defaultLab: false, hairpinModes: [true, false], manifests: { maxWorkloads: 4, maxServices: 4, ingress: false } });
  fc.sample(arb, { seed, numRuns: n }).forEach((c, i) => {
    list.push({ name: `random ${i + 1}/${n} (seed ${seed})`, cluster: () => c });
  });
  // canal with random NetworkPolicies (a quarter as many): Felix's chains and ipsets in the kernel.
  const m = Math.ceil(n / 4);
  const canal = fc.record({
    nodes: fc.integer({ min: 2, max: 3 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    manifests: arbPolicyScenario({ pods: { min: 3, max: 6 }, policies: { min: 1, max: 3 } }),
  });
  fc.sample(canal, { seed, numRuns: m }).forEach((x, i) => {
    list.push({ name: `canal ${i + 1}/${m} (seed ${seed})`, cluster: () => Cluster.create({ cni: 'canal', nodes: x.nodes, seed: x.seed }).apply(x.manifests).settle() });
  });
  return list;
}

/** What the machine lacks to run this, or undefined. */
function missing(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  for (const [cmd, args, pkg] of [
    ['ip', ['netns', 'list'], 'iproute2'],
    ['iptables-restore', ['--version'], 'iptables'],
    ['python3', ['--version'], 'python3'],
    ['ipset', ['version'], 'ipset'],
  ] as const) {
    const r = spawnSync(cmd, args, { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `\`${cmd}\` does not work (apt-get install -y ${pkg})`;
  }
  const probe = spawnSync(
    'bash',
    ['-c', 'ip netns add netsim-probe && ip netns exec netsim-probe sysctl -n net.bridge.bridge-nf-call-iptables; s=$?; ip netns delete netsim-probe; exit $s'],
    {
      encoding: 'utf8',
    },
  );
  if (probe.status !== 0) return `no br_netfilter in a new network namespace (${probe.stderr.trim()}): modprobe br_netfilter`;
  return undefined;
}

async function main(): Promise<number> {
  const why = missing();
  if (why) {
    process.stderr.write(`test:kernel: cannot run here: ${why}\n`);
    return 1;
  }
  const all = scenarios().filter((s) => !values.only || s.name.includes(values.only));
  let questions = 0;
  let agreed = 0;
  let stateChecks = 0;
  let stateAgreed = 0;
  let kernel = 0;
  let sim = 0;
  let setup = 0;
  const failures: string[] = [];
  for (const [i, s] of all.entries()) {
    const cluster = s.cluster();
    const lab = buildLab(cluster, `nk${process.pid % 10000}`);
    try {
      setup += lab.setupSeconds;
      const mismatches = checkState(lab);
      stateChecks++;
      if (mismatches.length === 0) stateAgreed++;
      const v = await differential(lab, questionsFor(cluster, lab.m));
      questions += v.questions;
      agreed += v.agreed;
      kernel += v.kernelSeconds;
      sim += v.simulatorSeconds;
      const ok = mismatches.length === 0 && v.disagreements.length === 0;
      process.stdout.write(
        `${ok ? 'ok  ' : 'FAIL'} ${s.name}: state ${mismatches.length ? `${mismatches.length} differ` : 'same'}, ${v.agreed}/${v.questions} connections agree\n`,
      );
      if (!ok) {
        const origin = clusterOrigin(cluster);
        const lines = [
          `--- ${s.name}${origin ? `\n${describeClusterOrigin(origin)}` : ''}`,
          ...mismatches.map(
            (x) => `state ${x.netns} ${x.what}:\n  simulator: ${x.simulator.replace(/\n/g, '\n             ')}\n  kernel:    ${x.kernel.replace(/\n/g, '\n             ')}`,
          ),
          ...v.disagreements.map((d) => `${d.question} — ${d.field}:\n  simulator: ${d.simulator}\n  kernel:    ${d.kernel}`),
        ];
        failures.push(lines.join('\n'));
        if (values.verbose) process.stdout.write(`${lines.join('\n')}\n`);
      }
    } finally {
      teardownLab(lab);
    }
    void i;
  }
  if (failures.length && !values.verbose) process.stdout.write(`\n${failures.join('\n\n')}\n`);
  const perQ = (sec: number) => ((sec * 1000) / Math.max(questions, 1)).toFixed(2);
  process.stdout.write(
    `\n${agreed}/${questions} agree (connections), ${stateAgreed}/${stateChecks} scenarios with identical state\n` +
      `time per question: kernel ${perQ(kernel)} ms (all its connections, asked concurrently), simulator ${perQ(sim)} ms (traceAll) — ` +
      `${(kernel / Math.max(sim, 1e-9)).toFixed(0)}× ; setup ${((setup * 1000) / Math.max(stateChecks, 1)).toFixed(0)} ms per scenario\n`,
  );
  return agreed === questions && stateAgreed === stateChecks ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`test:kernel: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
