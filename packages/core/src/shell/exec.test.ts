// shell/exec.ts: one command line — pipelines, bash's syntax errors, $(…) substitution, unsupported commands, sleep, ssh/exit.

import { describe, expect, it } from 'vitest';
import { Cluster, execLine, getObject } from '@k8s-netsim/core';
import { podInput } from '@k8s-netsim/testing';

const c = Cluster.create();
const COREDNS = 'kube-system/coredns-7bd98f49dd-grswz';

describe('pipelines', () => {
  it('pass each stage’s stdout to the next', () => {
    expect(c.exec('kubectl get pods -A | grep coredns | wc -l').stdout).toBe('2\n');
    expect(c.exec('kubectl get nodes | head -2 | tail -1').stdout).toBe('controlplane   Ready    control-plane   45m   v1.34.2\n');
    expect(c.exec('echo hello | tr lo LO').stdout).toBe('heLLO\n');
  });

  it('feed the stdin given to the first stage', () => {
    expect(c.exec('wc -l', { stdin: 'a\nb\n' }).stdout).toBe('2\n');
    expect(execLine(c.state, 'grep b | wc -l', { kind: 'host' }, {}, 'a\nb\nbb\n').stdout).toBe('2\n');
  });

  it('exit with the last stage’s status, as bash without pipefail', () => {
    expect(c.exec('nope | wc -l')).toMatchObject({ stdout: '0\n', stderr: 'netsim: command not supported: nope\n', exitCode: 0 });
    expect(c.exec('cat /nope | wc -l')).toMatchObject({ stdout: '0\n', stderr: 'cat: /nope: No such file or directory\n', exitCode: 0 });
    expect(c.exec('echo hi | nope')).toMatchObject({ stdout: '', stderr: 'netsim: command not supported: nope\n', exitCode: 127 });
    expect(c.exec('echo hi | grep nomatch')).toMatchObject({ stdout: '', stderr: '', exitCode: 1 });
    expect(c.exec('cat /etc/hostname /nope')).toMatchObject({ stdout: 'controlplane\n', stderr: 'cat: /nope: No such file or directory\n', exitCode: 1 });
  });

  it('collect every stage’s stderr in order', () => {
    expect(c.exec('nope1 | nope2')).toMatchObject({ stdout: '', stderr: 'netsim: command not supported: nope1\nnetsim: command not supported: nope2\n', exitCode: 127 });
  });

  it('keep a stage’s change to the cluster (the API server has it), and leave the original cluster alone', () => {
    const r = c.exec('kubectl create deployment web --image=nginx | cat');
    expect(r.stdout).toBe('deployment.apps/web created\n');
    expect(getObject(r.state, 'Deployment', 'default', 'web')).toBeDefined();
    expect(r.cluster.pods({ selector: 'app=web' })).toHaveLength(1);
    expect(getObject(c.state, 'Deployment', 'default', 'web')).toBeUndefined();
  });

  it('run ssh and exit in a subshell: the shell stays where it was', () => {
    expect(c.exec('ssh node02 | cat').ctx).toEqual({ kind: 'host' });
    expect(c.exec('exit | cat', { node: 'node01' }).ctx).toEqual({ kind: 'node', node: 'node01' });
  });

  it('return the very same cluster when nothing changed', () => {
    const r = c.exec('kubectl get pods -A | wc -l');
    expect(r.stdout).toBe('18\n');
    expect(r.state).toBe(c.state);
    expect(r.cluster).toBe(c);
  });
});

describe('syntax bash rejects', () => {
  it('prints bash’s message, exits 2 and runs nothing', () => {
    const pipe = "bash: syntax error near unexpected token `|'\n";
    expect(c.exec('| echo hi')).toMatchObject({ stdout: '', stderr: pipe, exitCode: 2 });
    expect(c.exec('echo a | | echo b')).toMatchObject({ stdout: '', stderr: pipe, exitCode: 2 });
    expect(c.exec('cat <<')).toMatchObject({ stdout: '', stderr: "bash: syntax error near unexpected token `newline'\n", exitCode: 2 });
    expect(c.exec("echo 'abc")).toMatchObject({ stdout: '', stderr: "bash: unexpected EOF while looking for matching `''\n", exitCode: 2 });
    expect(c.exec('echo "abc')).toMatchObject({ stdout: '', stderr: 'bash: unexpected EOF while looking for matching `"\'\n', exitCode: 2 });
    const r = c.exec('kubectl create deployment web --image=nginx | | cat');
    expect(r.exitCode).toBe(2);
    expect(r.state).toBe(c.state);
  });

  // bash -c 'echo a |' → "bash: -c: line 2: syntax error: unexpected end of file" (a trailing `|` continues the pipeline).
  it.fails('BUG: a trailing `|` is an unexpected end of file, not an unexpected `|`', () => {
    expect(c.exec('echo a |').stderr).toContain('syntax error: unexpected end of file');
  });
});

// tokenize.ts supports pipelines only: no lists. bash runs these; the simulator neither runs them
// nor rejects them (`&&` and `;` become words, `||` an empty pipeline stage).
describe('lists (&&, ||, ;) — not supported', () => {
  it.fails('BUG: `a && b` runs b when a succeeds (now: echo prints "a && echo b")', () => {
    expect(c.exec('echo a && echo b')).toMatchObject({ stdout: 'a\nb\n', exitCode: 0 });
  });

  it.fails('BUG: `a ; b` runs both (now: echo prints "a; echo b")', () => {
    expect(c.exec('echo a; echo b')).toMatchObject({ stdout: 'a\nb\n', exitCode: 0 });
  });

  it.fails('BUG: `a || b` runs b only when a fails (now: "syntax error near unexpected token `|\'", which bash never says here)', () => {
    expect(c.exec('echo a || echo b')).toMatchObject({ stdout: 'a\n', stderr: '', exitCode: 0 });
  });
});

describe('command substitution $(…)', () => {
  it('puts the command’s output in its place, trailing newlines removed', () => {
    expect(c.exec('echo x$(kubectl get nodes -o name | head -1)y').stdout).toBe('xnode/controlplaney\n');
    expect(c.exec('echo $(echo a)$(echo b)').stdout).toBe('ab\n');
    expect(c.exec('echo x$(true)y').stdout).toBe('xy\n');
  });

  it('word-splits an unquoted result and keeps a double-quoted one whole', () => {
    expect(c.exec('echo $(echo "a    b")').stdout).toBe('a b\n');
    expect(c.exec('echo "$(echo "a    b")"').stdout).toBe('a    b\n');
  });

  it('runs in the shell’s context', () => {
    expect(c.exec('echo $(hostname)').stdout).toBe('controlplane\n');
    expect(c.exec('echo $(hostname)', { node: 'node01' }).stdout).toBe('node01\n');
    expect(c.exec('echo $(hostname)', { pod: COREDNS }).stdout).toBe('coredns-7bd98f49dd-grswz\n');
  });

  it('nests, innermost first', () => {
    expect(c.exec('echo $(echo $(echo nested))').stdout).toBe('nested\n');
    expect(c.exec('docker ps -q --filter name=k8s_POD_coredns-7bd98f49dd-grswz').stdout).toBe('199602a2cc55\n');
    expect(c.exec("nsenter -t $(docker inspect --format '{{.State.Pid}}' $(docker ps -q --filter name=k8s_POD_coredns-7bd98f49dd-grswz)) -n ip -4 addr show eth0").stdout).toBe(
      [
        '2: eth0@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000',
        '    link/ether e2:0f:87:21:66:54 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
        '    inet 10.244.0.2/24 brd 10.244.0.255 scope global eth0',
        '       valid_lft forever preferred_lft forever',
        '    inet6 fe80::e00f:87ff:fe21:6654/64 scope link ',
        '       valid_lft forever preferred_lft forever',
        '',
      ].join('\n'),
    );
  });

  it('is not done inside single quotes; a `)` in quotes does not close it', () => {
    expect(c.exec("echo '$(hostname)'").stdout).toBe('$(hostname)\n');
    expect(c.exec('echo $(echo ")")').stdout).toBe(')\n');
  });

  it('changes the cluster, left to right: a later substitution sees an earlier one’s change', () => {
    const r = c.exec('echo $(kubectl create deployment web --image=nginx) $(kubectl get deployment web -o name)');
    expect(r).toMatchObject({ stdout: 'deployment.apps/web created deployment.apps/web\n', stderr: '', exitCode: 0 });
    expect(r.cluster.pods({ selector: 'app=web' })).toHaveLength(1);
    expect(c.pods({ selector: 'app=web' })).toHaveLength(0);
    const slept = c.exec('echo $(sleep 3)');
    expect(slept.stdout).toBe('\n');
    expect(slept.state.clock - c.state.clock).toBe(3000);
  });

  it('an unterminated $( is bash’s error, exit 2, and a line that fails to parse changes nothing', () => {
    expect(c.exec('echo $(echo hi')).toMatchObject({ stdout: '', stderr: "bash: unexpected EOF while looking for matching `)'\n", exitCode: 2 });
    const r = c.exec('echo $(kubectl create deployment web --image=nginx) | | cat');
    expect(r).toMatchObject({ stdout: '', stderr: "bash: syntax error near unexpected token `|'\n", exitCode: 2 });
    expect(r.state).toBe(c.state);
  });

  it.fails('BUG: substitutes inside double quotes that contain an apostrophe (now left as "$(hostname)")', () => {
    expect(c.exec(`echo "it's $(hostname)"`).stdout).toBe("it's controlplane\n");
  });

  it.fails('BUG: the output is only word-split, never parsed again as shell syntax (quotes, pipes)', () => {
    expect(c.exec('echo $(echo "x | wc")').stdout).toBe('x | wc\n');
    expect(c.exec(`echo $(echo "it's")`)).toMatchObject({ stdout: "it's\n", exitCode: 0 });
  });

  it.fails('BUG: the substituted command’s stderr reaches the terminal (now dropped)', () => {
    expect(c.exec('echo $(nope)')).toMatchObject({ stdout: '\n', stderr: 'netsim: command not supported: nope\n', exitCode: 0 });
  });
});

describe('commands the simulator does not have', () => {
  it('print `netsim: command not supported: …` with the whole command and exit 127', () => {
    expect(c.exec('ls -l /etc')).toMatchObject({ stdout: '', stderr: 'netsim: command not supported: ls -l /etc\n', exitCode: 127 });
    expect(c.exec('sudo ls')).toMatchObject({ stdout: '', stderr: 'netsim: command not supported: sudo ls\n', exitCode: 127 });
    expect(c.exec('traceroute 10.0.0.1', { node: 'node01' })).toMatchObject({ stderr: 'netsim: command not supported: traceroute 10.0.0.1\n', exitCode: 127 });
    expect(c.exec('true')).toMatchObject({ stdout: '', stderr: '', exitCode: 0 });
  });
});

describe('sleep', () => {
  it('advances the simulated clock by N seconds (fractions too) and prints nothing', () => {
    const r = c.exec('sleep 5');
    expect(r).toMatchObject({ stdout: '', stderr: '', exitCode: 0 });
    expect(r.state.clock - c.state.clock).toBe(5000);
    expect(c.exec('sleep 0.5').state.clock - c.state.clock).toBe(500);
    expect(c.exec('sleep 0').state.clock).toBe(c.state.clock);
  });

  it('a single command does not move the clock by itself (scripts add a second per command)', () => {
    expect(c.exec('hostname').state.clock).toBe(c.state.clock);
  });

  it('an invalid interval fails with exit 1 and does not move the clock', () => {
    const r = c.exec('sleep x');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^sleep: invalid time interval 'x'\n/);
    expect(r.state).toBe(c.state);
  });

  // GNU coreutils sleep, LC_ALL=C.
  it.fails("BUG: an invalid interval is followed by coreutils' `Try 'sleep --help'` line", () => {
    expect(c.exec('sleep x').stderr).toBe("sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n");
  });

  it.fails("BUG: no operand is `sleep: missing operand` (now: invalid time interval '')", () => {
    expect(c.exec('sleep')).toMatchObject({ stderr: "sleep: missing operand\nTry 'sleep --help' for more information.\n", exitCode: 1 });
  });

  it.fails('BUG: takes s/m/h/d suffixes and sums several arguments, as GNU sleep does', () => {
    expect(c.exec('sleep 1m').state.clock - c.state.clock).toBe(60_000);
    expect(c.exec('sleep 2 3').state.clock - c.state.clock).toBe(5000);
  });
});

describe('ssh NODE … exit', () => {
  it('ssh moves the shell to the node, by name, IP or user@name', () => {
    expect(c.exec('ssh node01')).toMatchObject({ stdout: '', stderr: '', exitCode: 0, ctx: { kind: 'node', node: 'node01' } });
    expect(c.exec('ssh 192.168.56.12').ctx).toEqual({ kind: 'node', node: 'node02' });
    expect(c.exec('ssh root@node02').ctx).toEqual({ kind: 'node', node: 'node02' });
    expect(c.exec('ssh node01').state).toBe(c.state);
  });

  it('commands then run on that node', () => {
    const { ctx } = c.exec('ssh node01');
    expect(execLine(c.state, 'hostname', ctx).stdout).toBe('node01\n');
    expect(execLine(c.state, 'cat /run/flannel/subnet.env', ctx).stdout).toContain('FLANNEL_SUBNET=10.244.1.1/24\n');
  });

  it('exit leaves the node as OpenSSH does: `logout`, then `Connection to NODE closed.`', () => {
    expect(c.exec('exit', { node: 'node01' })).toMatchObject({ stdout: 'logout\n', stderr: 'Connection to node01 closed.\n', exitCode: 0, ctx: { kind: 'host' } });
  });

  it('an unknown host is OpenSSH’s resolver error, exit 255, and the shell stays', () => {
    expect(c.exec('ssh nope')).toMatchObject({ stdout: '', stderr: 'ssh: Could not resolve hostname nope: Name or service not known\n', exitCode: 255, ctx: { kind: 'host' } });
    expect(c.exec('ssh 192.168.56.99', { node: 'node01' })).toMatchObject({ exitCode: 255, ctx: { kind: 'node', node: 'node01' } });
  });

  it.fails('BUG: `ssh NODE COMMAND` runs COMMAND on NODE (now: "Could not resolve hostname hostname")', () => {
    expect(c.exec('ssh node01 hostname')).toMatchObject({ stdout: 'node01\n', exitCode: 0, ctx: { kind: 'host' } });
  });

  it.fails('BUG: a node named like an Object.prototype property does not exist (now: ssh succeeds, kubectl throws a TypeError)', () => {
    expect(c.exec('ssh constructor')).toMatchObject({ stderr: 'ssh: Could not resolve hostname constructor: Name or service not known\n', exitCode: 255 });
    expect(c.exec('kubectl get node constructor')).toMatchObject({ stderr: 'Error from server (NotFound): nodes "constructor" not found\n', exitCode: 1 });
  });
});

describe('Cluster.exec in a pod', () => {
  it('runs in the pod’s network namespace with the node’s tools, `ns/name` or a name in default', () => {
    const r = c.exec('hostname', { pod: COREDNS });
    expect(r).toMatchObject({ stdout: 'coredns-7bd98f49dd-grswz\n', exitCode: 0, ctx: { kind: 'pod', pod: COREDNS, node: 'controlplane' } });
    const web = c.exec('kubectl run web --image=nginx').cluster;
    expect(web.exec('hostname', { pod: 'web' }).ctx).toEqual({ kind: 'pod', pod: 'default/web', node: web.pods()[0]!.node });
  });

  it('throws what the API server answers pods/exec: NotFound, or BadRequest for a pod not bound to a node', () => {
    expect(() => c.exec('hostname', { pod: 'nope' })).toThrow('pods "nope" not found');
    expect(() => c.exec('hostname', { node: 'node09' })).toThrow('nodes "node09" not found');
    const pending = c.apply(podInput('pending', { nodeSelector: { disktype: 'ssd' } }));
    expect(pending.pods({ namespace: 'default' })).toMatchObject([{ name: 'pending', phase: 'Pending' }]);
    expect(() => pending.exec('hostname', { pod: 'pending' })).toThrow('pod pending does not have a host assigned');
  });
});
