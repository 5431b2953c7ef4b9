// Category `scripts`: whole lesson scripts — sequences of command lines, here-documents with
// good and bad manifests (and unterminated ones), ssh into nodes and back, the workstation,
// sleeps, and kubectl verbs that build on each other (create, expose, scale, patch, delete) —
// run with `Cluster.run` on the shell lab, a cluster without a CNI, or a one-node host-gw one.

import fc from 'fast-check';
import { Cluster } from '@k8s-netsim/core';
import { arbInvalidManifest, arbManifests, manifestsToYaml } from '@k8s-netsim/testing';
import { attempt, clip, expectInvariants, expectNoInternalError, fold, guard, type Category } from './harness.js';
import { arbLineSpec, renderLine, theShellLab } from './shell.js';
import { arbMutatedYaml } from './yaml.js';

const NAMES = ['d1', 'd2', 'p1'];
const IMAGES = ['nginx', 'busybox', 'httpd', 'busybox:1.28.4', 'chadmcrowell/kubeserve2', 'nginx:1.25-alpine', 'nope/nope', ''];

/** kubectl verbs on a few shared names, so that a script's commands act on each other's objects. */
const arbStoryLine: fc.Arbitrary<string> = fc
  .record({
    name: fc.constantFrom(...NAMES),
    other: fc.constantFrom(...NAMES),
    image: fc.constantFrom(...IMAGES),
    n: fc.constantFrom(0, 1, 2, 3, 5, 12, -1),
    port: fc.constantFrom(80, 8080, 53, 0, 65536),
    type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'Nope'),
    which: fc.nat({ max: 20 }),
  })
  .map(({ name, other, image, n, port, type, which }) => {
    const lines = [
      `kubectl create deployment ${name} --image=${image} --replicas=${n}`,
      `kubectl run ${name} --image=${image} -- sleep 3600`,
      `kubectl run ${name} --image=${image} --restart=Never --port=${port}`,
      `kubectl expose deployment ${name} --port ${port} --type=${type}`,
      `kubectl expose pod ${name} --port=${port} --target-port=${port} --name=${other}`,
      `kubectl expose service ${name} --port=${port} --name=${other} --type=${type}`,
      `kubectl scale deployment ${name} --replicas=${n}`,
      `kubectl scale --replicas=${n} deployment/${name}`,
      `kubectl delete deployment ${name}`,
      `kubectl delete pod ${name} ${other}`,
      `kubectl delete svc ${name}`,
      `kubectl patch svc ${name} -p '{"spec":{"type":"${type}"}}'`,
      `kubectl patch svc ${name} -p '{"spec":{"externalTrafficPolicy":"Local"}}'`,
      `kubectl patch deployment ${name} -p '{"spec":{"replicas":${n}}}' --type merge`,
      `kubectl annotate service ${name} externalTrafficPolicy=Local`,
      `kubectl exec ${name} -- ping -c 1 10.96.0.10`,
      `kubectl exec ${name} -- nslookup ${other}`,
      `curl -s -m 1 http://${name}:${port}`,
      `netsim trace --from ${name} --to 10.96.0.10:53 --proto udp`,
      `kubectl get svc,pods -o wide -l app=${name}`,
      `kubectl get pods -w`,
    ];
    return lines[which % lines.length]!;
  });

const arbManifestText: fc.Arbitrary<string> = fc.oneof(
  arbManifests({ maxWorkloads: 2, maxServices: 2, maxReplicas: 3, namespaces: ['default', 'shop'] }).map((m) => manifestsToYaml(m)),
  arbMutatedYaml,
  arbInvalidManifest().map((x) => manifestsToYaml([x.manifest])),
);

type Item = { kind: 'line'; text: string } | { kind: 'block'; lines: string[] };

const arbItem: fc.Arbitrary<Item> = fc.oneof(
  { withCrossShrink: true },
  { weight: 6, arbitrary: arbLineSpec.map((s) => ({ kind: 'line' as const, text: renderLine(s) })) },
  { weight: 5, arbitrary: arbStoryLine.map((text) => ({ kind: 'line' as const, text })) },
  {
    weight: 3,
    arbitrary: fc.tuple(arbManifestText, fc.constantFrom('EOF', "'EOF'", '-EOF', 'END'), fc.boolean()).map(([yaml, d, create]) => {
      const delim = d.replace(/['-]/g, '');
      return { kind: 'block' as const, lines: [`kubectl ${create ? 'create' : 'apply'} -f - <<${d}`, ...yaml.replace(/\n$/, '').split('\n'), delim] };
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('node01', 'node02', 'controlplane', 'nope'), fc.array(arbLineSpec.map(renderLine), { maxLength: 3 }), fc.boolean())
      .map(([node, inner, exit]) => ({ kind: 'block' as const, lines: [`ssh ${node}`, ...inner, ...(exit ? ['exit'] : [])] })),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(
        fc.constantFrom(
          'curl -s http://192.168.56.240',
          'ping -c 1 192.168.56.11',
          'ip route',
          'echo "192.168.56.240 web.example.com" | sudo tee -a /etc/hosts',
          'curl web.example.com',
          'kubectl get pods',
        ),
        {
          maxLength: 3,
        },
      )
      .map((inner) => ({ kind: 'block' as const, lines: ['netsim shell workstation', ...inner, 'netsim shell controlplane'] })),
  },
  { weight: 1, arbitrary: fc.constantFrom('sleep 1', 'sleep 3', 'sleep 30', 'sleep 0', 'sleep -1', 'sleep 1e9', 'sleep x').map((text) => ({ kind: 'line' as const, text })) },
  { weight: 1, arbitrary: fc.constantFrom('# a comment', '', '   ', '#!/bin/bash', '# netsim: --cni none', 'exit', 'logout').map((text) => ({ kind: 'line' as const, text })) },
);

export interface ScriptInput {
  base: 'lab' | 'no-cni' | 'host-gw-1';
  items: Item[];
  /** The script ends inside a here-document that is never closed. */
  openHeredoc: boolean;
  crlf: boolean;
}

export function scriptText(input: ScriptInput): string {
  const lines = input.items.flatMap((i) => (i.kind === 'line' ? [i.text] : i.lines));
  if (input.openHeredoc) lines.push('kubectl apply -f - <<EOF', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: never-closed');
  const text = `${lines.join('\n')}\n`;
  return input.crlf ? text.replace(/\n/g, '\r\n') : text;
}

const bases = new Map<ScriptInput['base'], Cluster>();

function baseCluster(b: ScriptInput['base']): Cluster {
  let c = bases.get(b);
  if (!c) {
    c = guard(`building the ${b} cluster`, () =>
      b === 'lab' ? theShellLab() : b === 'no-cni' ? Cluster.create({ cni: 'none' }) : Cluster.create({ nodes: 1, flannelBackend: 'host-gw', seed: 7 }),
    );
    bases.set(b, c);
  }
  return c;
}

export const scriptsCategory: Category<ScriptInput> = {
  name: 'scripts',
  summary: 'whole scripts: command lines, here-documents (good, bad, unterminated), ssh … exit, the workstation, kubectl verbs acting on each other (Cluster.run)',
  label: (input) => `a script of ${input.items.length} items on ${input.base}`,
  arbitrary: () =>
    fc.record({
      base: fc.constantFrom<ScriptInput['base']>('lab', 'lab', 'lab', 'lab', 'no-cni', 'host-gw-1'),
      items: fc.array(arbItem, { minLength: 1, maxLength: 10 }),
      openHeredoc: fc.oneof({ withCrossShrink: true }, { weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      crlf: fc.oneof({ withCrossShrink: true }, { weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
  warm: () => {
    for (const b of ['lab', 'no-cni', 'host-gw-1'] as const) baseCluster(b);
  },
  run: (input, ctx) => {
    const base = baseCluster(input.base);
    const script = scriptText(input);
    const r = attempt(ctx, 'Cluster.run(script)', () => base.run(script));
    if (!r.ok) return;
    expectNoInternalError('script', base, script, r.value);
    expectInvariants('after the script', r.value.cluster);
  },
  show: (input) => {
    const on =
      input.base === 'lab'
        ? 'the lab + pods client (busybox), old (busybox:1.28.4), nginx, Deployment web ×2, Services web (NodePort 30080), lb (LoadBalancer)'
        : input.base === 'no-cni'
          ? "Cluster.create({ cni: 'none' })"
          : "Cluster.create({ nodes: 1, flannelBackend: 'host-gw', seed: 7 })";
    const text = scriptText(input);
    return clip(fold(`c.run(script) on ${on}${input.crlf ? ' (CRLF line ends)' : ''}; script:\n${text.replace(/\r/g, '\\r').replace(/^/gm, '  | ')}`), 5000);
  },
};
