// The differential: the connections the simulator traces, sent for real from the same sources in
// the materialised lab, compared field by field — verdict, the set of endpoints reached, the
// source address the receiver saw and whether its port was rewritten, the TTL it received
// (64 − routers crossed) and the TTL of the reply.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TraceRequest, TraceResult } from '@k8s-netsim/core';
import type { Lab } from './lab.js';

const AGENT = fileURLToPath(new URL('./agent.py', import.meta.url));

/** What one real try came to, as the agent reports it. */
interface Try {
  verdict: 'delivered' | 'refused' | 'unreachable' | 'timeout' | 'error';
  lport?: number;
  lsrc?: string;
  reply?: { id?: string; src?: string; sport?: number; ttl?: number | null };
  replyTtl?: number | null;
  errno?: string;
  error?: string;
}

interface Agent {
  proc: ChildProcessWithoutNullStreams;
  pending: Map<number, (tries: Try[]) => void>;
}

export interface Question {
  label: string;
  req: TraceRequest;
  /**
   * sessionAffinity ClientIP: after its first connection a client sticks to one endpoint
   * (`-m recent`), so the kernel reaches one of the simulator's endpoints, always the same.
   */
  sticky?: boolean;
}

/** One compared field where kernel and simulator disagree. */
export interface Disagreement {
  question: string;
  field: string;
  simulator: string;
  kernel: string;
}

export interface Verdicts {
  questions: number;
  agreed: number;
  disagreements: Disagreement[];
  /** Seconds spent waiting for the kernel's answers, and computing the simulator's. */
  kernelSeconds: number;
  simulatorSeconds: number;
}

let seq = 0;

function startAgent(ns: string, listen: Lab['m']['namespaces'][number]['listen']): Promise<Agent> {
  const ports = listen.filter((l) => l.address === undefined).map((l) => `${l.protocol.toLowerCase()}:${l.port}`);
  const args = ['netns', 'exec', ns, 'python3', AGENT, '--id', ns, ...(ports.length ? ['--listen', ports.join(',')] : [])];
  const proc = spawn('ip', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const agent: Agent = { proc, pending: new Map() };
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let ready = false;
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as { ready?: boolean; error?: string; q?: number; results?: Try[] };
      if (!ready) {
        ready = true;
        if (msg.ready) resolve(agent);
        else reject(new Error(`agent in ${ns}: ${msg.error ?? line}`));
        return;
      }
      const done = msg.q !== undefined ? agent.pending.get(msg.q) : undefined;
      if (done) {
        agent.pending.delete(msg.q!);
        done(msg.results ?? []);
      }
    });
    proc.on('exit', (code) => {
      if (!ready) reject(new Error(`agent in ${ns} exited ${code}: ${stderr.trim()}`));
      for (const done of agent.pending.values()) done([{ verdict: 'error', error: `agent exited ${code}: ${stderr.trim()}` }]);
      agent.pending.clear();
    });
  });
}

function ask(agent: Agent, op: string, dst: string, port: number | undefined, tries: number, timeout: number, parallel: boolean): Promise<Try[]> {
  const q = seq++;
  return new Promise((resolve) => {
    agent.pending.set(q, resolve);
    agent.proc.stdin.write(`${JSON.stringify({ q, op, dst, ...(port !== undefined ? { port } : {}), tries, timeout, parallel })}\n`);
  });
}

/** The kernel's class for a simulated result (what a socket would report). */
function simClass(r: TraceResult): string {
  if (r.verdict === 'delivered') return 'delivered';
  if (r.localError?.errno === 'EPERM') return 'error EPERM';
  if (r.verdict === 'rejected') return 'refused';
  if (r.icmpError?.type === 'host-unreachable' || r.icmpError?.type === 'net-unreachable' || r.localError?.errno === 'ENETUNREACH') return 'unreachable';
  return 'timeout';
}

const DEFAULT_TTL = 64;

/** Ask every question in the lab; compare with the simulator's `traceAll`. */
export async function differential(lab: Lab, questions: readonly Question[]): Promise<Verdicts> {
  const m = lab.m;
  const agents = new Map<string, Agent>();
  const byName = new Map(m.namespaces.map((n) => [n.name, n]));
  // Which real namespace a trace starts in.
  const sourceOf = (from: TraceRequest['from']): string | undefined => {
    if ('node' in from) return m.namespaces.find((n) => n.role === 'node' && n.node === from.node)?.name;
    if ('external' in from) return m.namespaces.find((n) => n.role === 'lab')?.name;
    const key = from.pod.includes('/') ? from.pod : `default/${from.pod}`;
    const pod = m.namespaces.find((n) => n.role === 'pod' && n.pod === key);
    if (pod) return pod.name;
    const p = lab.cluster.state.pods[key.split('/')[0]!]?.[key.split('/')[1]!];
    return p?.spec.nodeName ? m.namespaces.find((n) => n.role === 'node' && n.node === p.spec.nodeName)?.name : undefined;
  };
  // Who answered, in the simulator's words: a pod key or a node name.
  const identity = (id: string | undefined): string => {
    const n = id ? byName.get(id) : undefined;
    return n?.pod ?? n?.node ?? id ?? '?';
  };
  try {
    const started = await Promise.all(m.namespaces.filter((n) => n.role !== 'wire').map(async (n) => [n.name, await startAgent(n.name, n.listen)] as const));
    for (const [name, a] of started) agents.set(name, a);

    const t0 = performance.now();
    const sims = questions.map((q) => lab.cluster.traceAll(q.req));
    const simulatorSeconds = (performance.now() - t0) / 1000;

    const t1 = performance.now();
    const answers = await Promise.all(
      questions.map((q, i) => {
        const src = sourceOf(q.req.from);
        const agent = src ? agents.get(src) : undefined;
        if (!agent) return Promise.resolve<Try[]>([{ verdict: 'error', error: `no agent for ${JSON.stringify(q.req.from)}` }]);
        const outcomes = sims[i]!;
        // Distinct paths (endpoints, or a verdict without one) and the least likely of them.
        const paths = new Map<string, number>();
        for (const o of outcomes) {
          const key = `${o.result.verdict} ${o.result.to?.pod ?? o.result.to?.node ?? ''}`;
          paths.set(key, (paths.get(key) ?? 0) + o.probability);
        }
        const rarest = Math.min(...paths.values());
        const proto = q.req.proto ?? 'tcp';
        // Enough fresh connections that missing any path is < 1e-6 (all of them, when there is one).
        const tries = proto === 'icmp' ? 1 : paths.size <= 1 ? 2 : Math.min(150, Math.ceil(Math.log(1e-6 / paths.size) / Math.log(1 - rarest)));
        const slow = outcomes.some((o) => simClass(o.result) === 'unreachable');
        // Replies in the lab take microseconds; a failed ARP takes the kernel 3 s to report.
        return ask(agent, proto, q.req.to.ip, proto === 'icmp' ? undefined : q.req.to.port, q.sticky ? Math.min(tries, 6) : tries, slow ? 4 : 0.5, !q.sticky);
      }),
    );
    const kernelSeconds = (performance.now() - t1) / 1000;

    const disagreements: Disagreement[] = [];
    let agreed = 0;
    questions.forEach((q, i) => {
      const before = disagreements.length;
      const differ = (field: string, simulator: string, kernel: string) => {
        if (simulator !== kernel) disagreements.push({ question: q.label, field, simulator, kernel });
      };
      const outcomes = sims[i]!.map((o) => o.result);
      const tries = answers[i]!;
      // A send the kernel refused (EPERM) is an answer; anything else the agent reports is not.
      const errors = tries.filter((t) => t.verdict === 'error' && t.errno === undefined);
      if (errors.length) {
        differ('agent', '', errors.map((t) => t.error ?? '').join('; '));
        return;
      }
      const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort().join(', ');
      const simVerdicts = sorted(outcomes.map(simClass));
      const realVerdicts = sorted(tries.map((t) => (t.verdict === 'error' ? `error ${t.errno}` : t.verdict)));
      if (q.sticky) {
        // The first connection's path, whatever it was, is every later one's.
        const ok = !realVerdicts.includes(',') && simVerdicts.split(', ').includes(realVerdicts);
        differ('verdict (sticky)', `one of ${simVerdicts}, every time`, ok ? `one of ${simVerdicts}, every time` : realVerdicts);
      } else differ('verdict', simVerdicts, realVerdicts);
      const proto = q.req.proto ?? 'tcp';
      const delivered = outcomes.filter((r) => r.verdict === 'delivered');
      const got = tries.filter((t) => t.verdict === 'delivered');
      if (proto === 'icmp') {
        differ('reply from', sorted(delivered.map((r) => r.reply?.src.ip ?? '')), sorted(got.map((t) => t.reply?.src ?? '')));
        differ('reply TTL', sorted(delivered.map((r) => String(r.replyTtl))), sorted(got.map((t) => String(t.replyTtl))));
      } else if (got.length) {
        const reached = got.map((t) => identity(t.reply?.id));
        const possible = delivered.map((r) => r.to?.pod ?? r.to?.node ?? '');
        if (q.sticky) {
          const first = reached[0]!;
          differ(
            'endpoints (sticky)',
            `one of ${sorted(possible)}, every time`,
            possible.includes(first) && reached.every((r) => r === first) ? `one of ${sorted(possible)}, every time` : sorted(reached),
          );
        } else differ('endpoints', sorted(possible), sorted(reached));
        // Per endpoint reached: what it saw and what came back, among the simulator's paths to it.
        const simSeen = (r: TraceResult) => {
          const rewritten = r.source?.port !== r.packet.src.port;
          return `${r.to?.pod ?? r.to?.node} sees ${r.source?.ip} port ${rewritten ? 'rewritten' : 'kept'}, TTL ${DEFAULT_TTL - r.forwardings}, reply TTL ${r.replyTtl}`;
        };
        // --random-fully picks any port, the client's own once in ~64k: a port counts as rewritten
        // when any connection to that endpoint had it rewritten.
        const rewrote = new Set(got.filter((t) => t.reply?.sport !== t.lport).map((t) => identity(t.reply?.id)));
        const realSeen = (t: Try) =>
          `${identity(t.reply?.id)} sees ${t.reply?.src} port ${rewrote.has(identity(t.reply?.id)) ? 'rewritten' : 'kept'}, TTL ${t.reply?.ttl}, reply TTL ${t.replyTtl}`;
        const realSeenAll = got.map(realSeen);
        differ('source and TTLs', sorted(delivered.filter((r) => !q.sticky || reached.includes(r.to?.pod ?? r.to?.node ?? '')).map(simSeen)), sorted(realSeenAll));
      }
      if (disagreements.length === before) agreed++;
    });
    return { questions: questions.length, agreed, disagreements, kernelSeconds, simulatorSeconds };
  } finally {
    for (const a of agents.values()) {
      a.proc.stdin.end();
      a.proc.kill();
    }
  }
}
