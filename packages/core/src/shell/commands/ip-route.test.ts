// `ip route add|change|replace|del|get` in the student's scripts: the workstation's table changes
// for the commands that follow (curl, ping, netsim trace), with iproute2's and the kernel's words.

import { describe, expect, it } from 'vitest';
import { Cluster } from '../../cluster/cluster.js';

const lab = Cluster.create().exec('kubectl create deployment web --image=nginx').cluster.exec('kubectl expose deployment web --port 80').cluster;
const clusterIP = lab.service('web').clusterIPs[0]!;

describe('ip route on the workstation', () => {
  it('sudo ip route add/del changes the routes later commands use; iproute2 words every refusal', () => {
    const r = lab.run(
      [
        'netsim shell workstation',
        `curl -m 2 http://${clusterIP}`,
        'ip route add 10.96.0.0/12 via 192.168.56.11',
        'sudo ip route add 10.96.0.0/12 via 10.0.0.1',
        'sudo ip route add 10.96.0.0/12 via 192.168.56.11',
        'sudo ip route add 10.96.0.0/12 via 192.168.56.12',
        'sudo ip route add 10.96.0.1/12 via 192.168.56.12',
        'sudo ip route add 10.97.0.0/16 dev eth9',
        'sudo ip route add 10.97.0.0/16 via banana',
        'sudo ip route add 10.97.0.0/33 via 192.168.56.12',
        'sudo ip route add 10.97.0.0/16 via 192.168.56.12 metric x',
        'sudo ip route add 10.97.0.0/16 via 192.168.56.12 onlink',
        'sudo ip r a 10.97.0.0/16 dev eth0 metric 5',
        'sudo ip route replace 10.97.0.0/16 via 192.168.56.12 metric 5',
        'sudo ip route change 10.98.0.0/16 via 192.168.56.12',
        'ip route',
        'ip route get 10.96.0.10',
        `curl -s http://${clusterIP} | grep title`,
        'sudo ip route del 10.96.0.0/12',
        'sudo ip route del 10.96.0.0/12',
        'sudo ip route del 192.168.56.0/24',
        `curl -m 2 http://${clusterIP}`,
        'exit',
        'sudo ip route add 10.96.0.0/12 via 192.168.56.11',
      ].join('\n'),
    );
    expect(r.transcript).toBe(
      [
        '$ netsim shell workstation',
        `student@workstation:~$ curl -m 2 http://${clusterIP}`,
        `curl: (7) Failed to connect to ${clusterIP} port 80 after 0 ms: Couldn't connect to server`,
        'student@workstation:~$ ip route add 10.96.0.0/12 via 192.168.56.11',
        'RTNETLINK answers: Operation not permitted',
        'student@workstation:~$ sudo ip route add 10.96.0.0/12 via 10.0.0.1',
        'Error: Nexthop has invalid gateway.',
        'student@workstation:~$ sudo ip route add 10.96.0.0/12 via 192.168.56.11',
        'student@workstation:~$ sudo ip route add 10.96.0.0/12 via 192.168.56.12',
        'RTNETLINK answers: File exists',
        'student@workstation:~$ sudo ip route add 10.96.0.1/12 via 192.168.56.12',
        'Error: Invalid prefix for given prefix length.',
        'student@workstation:~$ sudo ip route add 10.97.0.0/16 dev eth9',
        'Cannot find device "eth9"',
        'student@workstation:~$ sudo ip route add 10.97.0.0/16 via banana',
        'Error: inet address is expected rather than "banana".',
        'student@workstation:~$ sudo ip route add 10.97.0.0/33 via 192.168.56.12',
        'Error: any valid prefix is expected rather than "10.97.0.0/33".',
        'student@workstation:~$ sudo ip route add 10.97.0.0/16 via 192.168.56.12 metric x',
        'Error: argument "x" is wrong: "metric" value is invalid',
        '',
        'student@workstation:~$ sudo ip route add 10.97.0.0/16 via 192.168.56.12 onlink',
        'netsim: ip route: "onlink" is not simulated (the simulator takes: to, PREFIX, via, dev, metric, proto, src, table main)',
        'student@workstation:~$ sudo ip r a 10.97.0.0/16 dev eth0 metric 5',
        'student@workstation:~$ sudo ip route replace 10.97.0.0/16 via 192.168.56.12 metric 5',
        'student@workstation:~$ sudo ip route change 10.98.0.0/16 via 192.168.56.12',
        'RTNETLINK answers: No such file or directory',
        'student@workstation:~$ ip route',
        '10.96.0.0/12 via 192.168.56.11 dev eth0 ',
        '10.97.0.0/16 via 192.168.56.12 dev eth0 metric 5 ',
        '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.1 ',
        'student@workstation:~$ ip route get 10.96.0.10',
        '10.96.0.10 via 192.168.56.11 dev eth0 src 192.168.56.1 uid 1000 ',
        '    cache ',
        `student@workstation:~$ curl -s http://${clusterIP} | grep title`,
        '<title>Welcome to nginx!</title>',
        'student@workstation:~$ sudo ip route del 10.96.0.0/12',
        'student@workstation:~$ sudo ip route del 10.96.0.0/12',
        'RTNETLINK answers: No such process',
        'student@workstation:~$ sudo ip route del 192.168.56.0/24',
        "netsim: ip route: the workstation's own route (192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.1) comes with its address; changing it is not simulated",
        `student@workstation:~$ curl -m 2 http://${clusterIP}`,
        `curl: (7) Failed to connect to ${clusterIP} port 80 after 0 ms: Couldn't connect to server`,
        'student@workstation:~$ exit',
        '$ sudo ip route add 10.96.0.0/12 via 192.168.56.11',
        "netsim: ip route add: only the workstation's routes can be changed in the simulator (a node's routes are its CNI's)",
        '',
      ].join('\n'),
    );
    expect(r.steps.map((s) => s.exitCode)).toEqual([0, 7, 2, 2, 0, 2, 2, 1, 1, 1, 255, 1, 0, 0, 2, 0, 0, 0, 0, 2, 1, 7, 0, 1]);
    // The table stays with the lab: the routes live in the cluster's state.
    expect(r.cluster.state.workstationRoutes).toEqual([{ dst: '10.97.0.0/16', via: '192.168.56.12', dev: 'eth0', metric: 5 }]);
  });

  it("verbs abbreviate as iproute2's do: the first verb in its order that the word begins", () => {
    const ws = lab.exec('sudo ip ro a 10.96.0.0/12 via 192.168.56.11', { workstation: true }).cluster;
    const run = (line: string) => {
      const r = ws.exec(line, { workstation: true });
      return [r.stdout, r.stderr, r.exitCode];
    };
    const table = '10.96.0.0/12 via 192.168.56.11 dev eth0 \n192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.1 \n';
    expect(run('ip route s')).toEqual([table, '', 0]);
    expect(run('ip r l')).toEqual([table, '', 0]);
    expect(run('ip route ls')).toEqual([table, '', 0]);
    expect(run('sudo ip route sa')).toEqual(['', 'netsim: ip route sa: not simulated (ip route add, change, replace, delete, get and show are)\n', 1]);
    expect(run('sudo ip route d 10.96.0.0/12')).toEqual(['', '', 0]);
    expect(run('sudo ip route re 10.96.0.0/12 via 192.168.56.12')).toEqual(['', '', 0]);
    expect(run('ip route g 10.96.0.1')).toEqual(['10.96.0.1 via 192.168.56.11 dev eth0 src 192.168.56.1 uid 1000 \n    cache \n', '', 0]);
    expect(run('sudo ip route add')[2]).toBe(255);
    expect(String(run('sudo ip route add')[1])).toMatch(/^Usage: ip route \{ list \| flush \} SELECTOR\n/);
  });

  it('/etc/hosts: `echo … | sudo tee -a /etc/hosts` names an address for curl and ping (without sudo: Permission denied)', () => {
    const r = lab.run(
      [
        'netsim shell workstation',
        'sudo ip route add 10.96.0.0/12 via 192.168.56.12',
        `echo "${clusterIP} web.lab" | tee -a /etc/hosts`,
        'curl -s http://web.lab',
        `echo "${clusterIP} web.lab" | sudo tee -a /etc/hosts`,
        'cat /etc/hosts | tail -n 1',
        'curl -s http://web.lab | grep title',
        'ping -c 1 web.lab | head -n 1',
      ].join('\n'),
    );
    expect(r.transcript).toBe(
      [
        '$ netsim shell workstation',
        'student@workstation:~$ sudo ip route add 10.96.0.0/12 via 192.168.56.12',
        `student@workstation:~$ echo "${clusterIP} web.lab" | tee -a /etc/hosts`,
        `${clusterIP} web.lab`,
        'tee: /etc/hosts: Permission denied',
        'student@workstation:~$ curl -s http://web.lab',
        `student@workstation:~$ echo "${clusterIP} web.lab" | sudo tee -a /etc/hosts`,
        `${clusterIP} web.lab`,
        'student@workstation:~$ cat /etc/hosts | tail -n 1',
        `${clusterIP} web.lab`,
        'student@workstation:~$ curl -s http://web.lab | grep title',
        '<title>Welcome to nginx!</title>',
        'student@workstation:~$ ping -c 1 web.lab | head -n 1',
        `PING web.lab (${clusterIP}) 56(84) bytes of data.`,
        '',
      ].join('\n'),
    );
  });

  it('netsim trace from the workstation follows its routes: to a ClusterIP through the node it names', () => {
    const ws = lab.exec('sudo ip route add 10.96.0.0/12 via 192.168.56.11', { workstation: true }).cluster;
    const t = ws.trace({ from: { external: '192.168.56.1' }, to: { ip: clusterIP, port: 80 } });
    expect(t).toBeDefined();
    expect(t.verdict).toBe('delivered');
    expect(t.hops.slice(0, 4).map((h) => [h.kind, h.entry ?? h.action])).toEqual([
      ['send', `TCP 192.168.56.1:${t.packet.src.port} → ${clusterIP}:80`],
      ['route', '10.96.0.0/12 via 192.168.56.11 dev eth0'],
      ['arp', '192.168.56.11 dev eth0 lladdr b6:e9:42:26:fb:55 REACHABLE'],
      ['wire', 'across the node network to node01'],
    ]);
    expect(t.source?.ip).toMatch(/^10\.244\.1\.[01]$/); // node01's cni0 or flannel.1: SNAT at the node
  });
});
