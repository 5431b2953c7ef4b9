// The workstation's routing table under `ip route add|change|replace|delete`, answered as Linux
// answers iproute2 (the expected texts were taken from a network namespace on Linux 6.x,
// iproute2 6.1, with eth0 192.168.56.1/24).

import { describe, expect, it } from 'vitest';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { parseIPv4 } from '../net/ipv4.js';
import type { ClusterState } from '../state/types.js';
import { ipRoute } from '../views/linux/ip.js';
import { workstationNetns } from './netns.js';
import { changeWorkstationRoutes, type RouteRequest, type RouteVerb } from './workstation.js';

const lab = bootstrapCluster({ nodes: 2 });

/** `ip route VERB PREFIX [via GW] [dev DEV] [metric N] …` as a request. */
function req(prefix: string, more: { via?: string; dev?: string; metric?: number; src?: string; proto?: RouteRequest['proto'] } = {}): RouteRequest {
  const [net = '', len = '32'] = prefix === 'default' ? ['0.0.0.0', '0'] : prefix.split('/');
  return {
    dst: parseIPv4(net),
    prefixLen: Number(len),
    ...(more.via ? { via: parseIPv4(more.via) } : {}),
    ...(more.dev ? { dev: more.dev } : {}),
    ...(more.metric !== undefined ? { metric: more.metric } : {}),
    ...(more.src ? { src: parseIPv4(more.src) } : {}),
    ...(more.proto ? { proto: more.proto } : {}),
  };
}

/** Run the changes in order; each is the state, or the error text and status. */
function run(state: ClusterState, ...steps: [RouteVerb, RouteRequest][]): { state: ClusterState; answers: (string | null)[] } {
  const answers: (string | null)[] = [];
  for (const [verb, r] of steps) {
    const out = changeWorkstationRoutes(state, verb, r);
    if ('state' in out) {
      state = out.state;
      answers.push(null);
    } else answers.push(`${out.error} (${out.exitCode})`);
  }
  return { state, answers };
}

const table = (state: ClusterState) => ipRoute(workstationNetns(state));

describe("the workstation's routes", () => {
  it('add: stored and shown as iproute2 prints them; duplicates and gateways off the link refused', () => {
    const { state, answers } = run(
      lab,
      ['add', req('10.96.0.0/12', { via: '192.168.56.11' })],
      ['add', req('10.96.0.0/12', { via: '192.168.56.11' })],
      ['add', req('10.96.0.0/12', { via: '192.168.56.12' })],
      ['add', req('10.244.0.0/16', { via: '10.0.0.1' })],
      ['add', req('10.245.0.0/16', { via: '192.168.56.255' })],
      ['add', req('10.97.0.1/16', { via: '192.168.56.11' })],
      ['add', req('10.98.0.0/16')],
      ['add', req('10.99.0.0/16', { via: '192.168.56.12', src: '192.168.56.9' })],
      ['add', req('10.96.0.0/16', { via: '192.168.56.12', metric: 100, proto: 'static' })],
      ['add', req('10.3.0.0/16', { dev: 'eth0' })],
      ['add', req('10.4.0.0/16', { via: '10.3.0.5' })],
      ['add', req('default', { via: '192.168.56.10' })],
      ['add', req('192.168.56.0/24', { via: '192.168.56.11' })],
    );
    expect(answers).toEqual([
      null,
      'RTNETLINK answers: File exists (2)',
      'RTNETLINK answers: File exists (2)',
      'Error: Nexthop has invalid gateway. (2)',
      'Error: Nexthop has invalid gateway. (2)',
      'Error: Invalid prefix for given prefix length. (2)',
      'RTNETLINK answers: No such device (2)',
      'Error: Invalid prefsrc address. (2)',
      null,
      null,
      null,
      null,
      'RTNETLINK answers: File exists (2)',
    ]);
    expect(table(state)).toBe(
      [
        'default via 192.168.56.10 dev eth0 ',
        '10.3.0.0/16 dev eth0 scope link ',
        '10.4.0.0/16 via 10.3.0.5 dev eth0 ',
        '10.96.0.0/16 via 192.168.56.12 dev eth0 proto static metric 100 ',
        '10.96.0.0/12 via 192.168.56.11 dev eth0 ',
        '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.1 ',
        '',
      ].join('\n'),
    );
    expect(state.workstationRoutes).toEqual([
      { dst: '10.96.0.0/12', via: '192.168.56.11', dev: 'eth0' },
      { dst: '10.96.0.0/16', via: '192.168.56.12', dev: 'eth0', metric: 100, proto: 'static' },
      { dst: '10.3.0.0/16', dev: 'eth0' },
      { dst: '10.4.0.0/16', via: '10.3.0.5', dev: 'eth0' },
      { dst: '0.0.0.0/0', via: '192.168.56.10', dev: 'eth0' },
    ]);
  });

  it('change needs the route, replace adds or overwrites it, delete finds it by its selectors', () => {
    const { state, answers } = run(
      lab,
      ['change', req('10.96.0.0/12', { via: '192.168.56.11' })],
      ['replace', req('10.96.0.0/12', { via: '192.168.56.11' })],
      ['add', req('10.96.0.0/12', { via: '192.168.56.12', metric: 5 })],
      ['replace', req('10.96.0.0/12', { via: '192.168.56.10' })],
      ['change', req('10.96.0.0/12', { via: '192.168.56.12', metric: 5, src: '192.168.56.1' })],
      ['delete', req('10.1.0.0/16')],
      ['delete', req('10.96.0.0/12', { via: '192.168.56.11' })],
      ['delete', req('10.96.0.0/12', { metric: 7 })],
    );
    expect(answers).toEqual([
      'RTNETLINK answers: No such file or directory (2)',
      null,
      null,
      null,
      null,
      'RTNETLINK answers: No such process (2)',
      'RTNETLINK answers: No such process (2)',
      'RTNETLINK answers: No such process (2)',
    ]);
    expect(table(state)).toBe(
      '10.96.0.0/12 via 192.168.56.10 dev eth0 \n10.96.0.0/12 via 192.168.56.12 dev eth0 src 192.168.56.1 metric 5 \n192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.1 \n',
    );
    // Without a metric, delete takes the lowest; the last one gone, the state has no routes again.
    const after = run(state, ['delete', req('10.96.0.0/12')], ['delete', req('10.96.0.0/12', { dev: 'eth0' })], ['delete', req('10.96.0.0/12')]);
    expect(after.answers).toEqual([null, null, 'RTNETLINK answers: No such process (2)']);
    expect(after.state.workstationRoutes).toBeUndefined();
    expect(JSON.stringify(after.state)).toBe(JSON.stringify(lab));
  });

  it("the workstation's own node-network route is not changed; routes out of lo are not simulated", () => {
    const { answers } = run(
      lab,
      ['delete', req('192.168.56.0/24')],
      ['replace', req('192.168.56.0/24', { via: '192.168.56.11' })],
      ['add', req('10.8.0.0/16', { via: '192.168.56.11', dev: 'lo' })],
    );
    const own =
      "netsim: ip route: the workstation's own route (192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.1) comes with its address; changing it is not simulated (1)";
    expect(answers).toEqual([own, own, 'netsim: ip route: routes out of lo are not simulated on the workstation (1)']);
  });

  it('is a pure transition: the input state is untouched (frozen), a refusal returns no state', () => {
    const before = JSON.stringify(lab);
    expect(Object.isFrozen(lab)).toBe(true);
    const out = changeWorkstationRoutes(lab, 'add', req('10.96.0.0/12', { via: '192.168.56.11' }));
    expect('state' in out && out.state !== lab).toBe(true);
    expect(JSON.stringify(lab)).toBe(before);
    expect(changeWorkstationRoutes(lab, 'delete', req('10.96.0.0/12'))).toEqual({ error: 'RTNETLINK answers: No such process', exitCode: 2 });
  });
});
