// shell/exec.ts: one command line — lists, pipelines, bash's syntax errors, $(…) substitution, redirections, unsupported commands, sleep, ssh/exit.

import { describe, expect, it } from 'vitest';
import { Cluster, execLine, getObject } from '@k8s-netsim/core';
import { MAX_CLOCK_MS } from './clock.js';
import { podInput } from '@k8s-netsim/testing';

const c = Cluster.create();
const COREDNS = 'kube-system/coredns-7bd98f49dd-vhkvt';

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

  // Interactive bash at the end of its input (captured: `echo a |` then Ctrl-D).
  it('a trailing `|` or `&&` is an unexpected end of file, not an unexpected `|`', () => {
    expect(c.exec('echo a |')).toMatchObject({ stdout: '', stderr: 'bash: syntax error: unexpected end of file\n', exitCode: 2 });
    expect(c.exec('echo a &&').stderr).toBe('bash: syntax error: unexpected end of file\n');
    expect(c.exec('(echo a').stderr).toBe('bash: syntax error: unexpected end of file\n');
  });

  it('bash’s other messages (captured from bash 5.2)', () => {
    const near = (t: string) => `bash: syntax error near unexpected token \`${t}'\n`;
    expect(c.exec('&& echo').stderr).toBe(near('&&'));
    expect(c.exec('echo a ;;').stderr).toBe(near(';;'));
    expect(c.exec('; echo').stderr).toBe(near(';'));
    expect(c.exec('echo a ; ; echo b').stderr).toBe(near(';'));
    expect(c.exec('echo a & & echo').stderr).toBe(near('&'));
    expect(c.exec('echo (a)').stderr).toBe(near('a'));
    expect(c.exec('echo a)').stderr).toBe(near(')'));
    expect(c.exec('echo a >').stderr).toBe(near('newline'));
    expect(c.exec('cat << |').stderr).toBe(near('|'));
    expect(c.exec('echo `echo hi').stderr).toBe("bash: unexpected EOF while looking for matching ``'\n");
    expect(c.exec('echo a; }').stderr).toBe(near('}'));
    expect(c.exec('! &').stderr).toBe(near('&'));
    expect(c.exec('! !')).toMatchObject({ stderr: '', exitCode: 0 });
  });

  it('a session on a node is a login shell: `-bash: …`', () => {
    expect(c.exec('echo a | | b', { node: 'node01' }).stderr).toBe("-bash: syntax error near unexpected token `|'\n");
  });
});

describe('lists (;, &, &&, ||) as bash runs them', () => {
  it('`a && b` runs b when a succeeds', () => {
    expect(c.exec('echo a && echo b')).toMatchObject({ stdout: 'a\nb\n', exitCode: 0 });
    expect(c.exec('false && echo b')).toMatchObject({ stdout: '', exitCode: 1 });
  });

  it('`a ; b` runs both; the status is the last one’s', () => {
    expect(c.exec('echo a; echo b')).toMatchObject({ stdout: 'a\nb\n', exitCode: 0 });
    expect(c.exec('echo a; false')).toMatchObject({ stdout: 'a\n', exitCode: 1 });
    expect(c.exec('echo a;')).toMatchObject({ stdout: 'a\n', exitCode: 0 });
  });

  it('`a || b` runs b only when a fails', () => {
    expect(c.exec('echo a || echo b')).toMatchObject({ stdout: 'a\n', stderr: '', exitCode: 0 });
    expect(c.exec('cat /nope || echo fallback')).toMatchObject({ stdout: 'fallback\n', stderr: 'cat: /nope: No such file or directory\n', exitCode: 0 });
  });

  it('&& and || chain left to right with equal precedence', () => {
    expect(c.exec('false && echo x || echo y').stdout).toBe('y\n');
    expect(c.exec('true || echo x && echo y').stdout).toBe('y\n');
    expect(c.exec('false || false || echo z; echo w').stdout).toBe('z\nw\n');
  });

  it('`!` negates, `&` runs the job to the end here and leaves status 0, newlines separate commands', () => {
    expect(c.exec('! false').exitCode).toBe(0);
    expect(c.exec('! echo a').exitCode).toBe(1);
    expect(c.exec('false & echo b')).toMatchObject({ stdout: 'b\n', exitCode: 0 });
    expect(c.exec('echo a\necho b').stdout).toBe('a\nb\n');
  });

  it('the terminal shows each command’s output in order, stdout and stderr interleaved', () => {
    const r = c.exec('echo a; nope; echo b');
    expect(r).toMatchObject({ stdout: 'a\nb\n', stderr: 'netsim: command not supported: nope\n', exitCode: 0 });
    expect(r.output).toBe('a\nnetsim: command not supported: nope\nb\n');
  });

  it('each command sees the cluster as the previous one left it', () => {
    const r = c.exec('kubectl create deployment web --image=nginx && kubectl get deploy web -o name');
    expect(r.stdout).toBe('deployment.apps/web created\ndeployment.apps/web\n');
  });

  it('`( … )` is a subshell: its `ssh` and `exit` stay inside, its changes to the cluster stay', () => {
    expect(c.exec('(ssh node01; hostname); hostname')).toMatchObject({ stdout: 'node01\ncontrolplane\n', ctx: { kind: 'host' } });
    expect(c.exec('(exit 3); echo $(true)x').stdout).toBe('x\n');
    expect(c.exec('(exit 3)').exitCode).toBe(3);
    expect(getObject(c.exec('(kubectl create deployment web --image=nginx)').state, 'Deployment', 'default', 'web')).toBeDefined();
    expect(c.exec('{ echo a; echo b; } | wc -l').stdout).toBe('2\n');
  });
});

describe('redirections', () => {
  it('> /dev/null and 2> /dev/null drop a stream; 2>&1 joins stderr to stdout (into a pipe too)', () => {
    expect(c.exec('echo a > /dev/null')).toMatchObject({ stdout: '', stderr: '', exitCode: 0 });
    expect(c.exec('cat /nope 2>/dev/null')).toMatchObject({ stdout: '', stderr: '', exitCode: 1 });
    expect(c.exec('cat /nope 2>&1 | wc -l')).toMatchObject({ stdout: '1\n', stderr: '' });
    expect(c.exec('cat /nope | wc -l')).toMatchObject({ stdout: '0\n', stderr: 'cat: /nope: No such file or directory\n' });
    expect(c.exec('cat /nope |& wc -l').stdout).toBe('1\n');
    expect(c.exec('echo a >&2')).toMatchObject({ stdout: '', stderr: 'a\n' });
    expect(c.exec('cat /etc/hostname /nope &> /dev/null')).toMatchObject({ stdout: '', stderr: '', exitCode: 1 });
  });

  it('< FILE reads the context’s files; <<< is a here-string', () => {
    expect(c.exec('wc -l < /etc/hosts').stdout).toBe('6\n');
    expect(c.exec('grep node0 <<< "node01 x"').stdout).toBe('node01 x\n');
    expect(c.exec('wc -l < /nope')).toMatchObject({ stdout: '', stderr: 'bash: /nope: No such file or directory\n', exitCode: 1 });
  });

  it('a file the simulator cannot write, or a closed descriptor, fails the command before it runs', () => {
    const r = c.exec('kubectl create deployment web --image=nginx > out.txt');
    expect(r).toMatchObject({ stdout: '', exitCode: 1 });
    expect(r.stderr).toBe('netsim: out.txt: writing files is not simulated (only /dev/null, /dev/stdout and /dev/stderr)\n');
    expect(r.state).toBe(c.state);
    expect(c.exec('echo a >&3')).toMatchObject({ stderr: 'bash: 3: Bad file descriptor\n', exitCode: 1 });
    expect(c.exec('echo a > $(true)')).toMatchObject({ stderr: 'bash: $(true): ambiguous redirect\n', exitCode: 1 });
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
    expect(c.exec('echo $(hostname)', { pod: COREDNS }).stdout).toBe('coredns-7bd98f49dd-vhkvt\n');
  });

  it('nests, innermost first', () => {
    expect(c.exec('echo $(echo $(echo nested))').stdout).toBe('nested\n');
    expect(c.exec('docker ps -q --filter name=k8s_POD_coredns-7bd98f49dd-vhkvt').stdout).toBe('accb7e9b21ab\n');
    expect(c.exec("nsenter -t $(docker inspect --format '{{.State.Pid}}' $(docker ps -q --filter name=k8s_POD_coredns-7bd98f49dd-vhkvt)) -n ip -4 addr show eth0").stdout).toBe(
      [
        '2: eth0@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000',
        '    link/ether 0e:79:5f:6e:74:23 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
        '    inet 10.244.0.2/24 brd 10.244.0.255 scope global eth0',
        '       valid_lft forever preferred_lft forever',
        '    inet6 fe80::c79:5fff:fe6e:7423/64 scope link ',
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

  it('substitutes inside double quotes, apostrophes and all', () => {
    expect(c.exec(`echo "it's $(hostname)"`).stdout).toBe("it's controlplane\n");
    expect(c.exec(`echo "$(echo "inner 'q'")"`).stdout).toBe("inner 'q'\n");
  });

  it('the output is only word-split, never parsed again as shell syntax (quotes, pipes, ;)', () => {
    expect(c.exec('echo $(echo "x | wc")').stdout).toBe('x | wc\n');
    expect(c.exec(`echo $(echo "it's")`)).toMatchObject({ stdout: "it's\n", exitCode: 0 });
    expect(c.exec(`echo $(echo "a; b && c")`).stdout).toBe('a; b && c\n');
    expect(c.exec('$(echo echo) hi').stdout).toBe('hi\n');
  });

  it('the substituted command’s stderr reaches the terminal, before the command’s output', () => {
    const r = c.exec('echo $(nope)');
    expect(r).toMatchObject({ stdout: '\n', stderr: 'netsim: command not supported: nope\n', exitCode: 0 });
    expect(r.output).toBe('netsim: command not supported: nope\n\n');
  });

  it('a command made only of substitutions has the last one’s status', () => {
    expect(c.exec('$(false)').exitCode).toBe(1);
    expect(c.exec('$(true)').exitCode).toBe(0);
  });

  it('`…` (backquotes) is the same substitution', () => {
    expect(c.exec(`echo \`hostname\` "\`echo 'a  b'\`" \`echo 'c  d'\``).stdout).toBe('controlplane a  b c d\n');
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
    expect(r.stderr).toMatch(/^sleep: invalid time interval ‘x’\n/);
    expect(r.state).toBe(c.state);
  });

  // GNU coreutils sleep 9 in a UTF-8 locale (the lab's), captured: quote() gives ‘x’, the Try line is ASCII.
  it("an invalid interval is followed by coreutils' `Try 'sleep --help'` line; each bad operand is reported", () => {
    expect(c.exec('sleep x').stderr).toBe("sleep: invalid time interval ‘x’\nTry 'sleep --help' for more information.\n");
    expect(c.exec('sleep 1x -- -1 nan').stderr).toBe(
      "sleep: invalid time interval ‘1x’\nsleep: invalid time interval ‘-1’\nsleep: invalid time interval ‘nan’\nTry 'sleep --help' for more information.\n",
    );
  });

  it('no operand is `sleep: missing operand`; options are getopt’s', () => {
    expect(c.exec('sleep')).toMatchObject({ stderr: "sleep: missing operand\nTry 'sleep --help' for more information.\n", exitCode: 1 });
    expect(c.exec('sleep -5')).toMatchObject({ stderr: "sleep: invalid option -- '5'\nTry 'sleep --help' for more information.\n", exitCode: 1 });
    expect(c.exec('sleep --bogus')).toMatchObject({ stderr: "sleep: unrecognized option '--bogus'\nTry 'sleep --help' for more information.\n", exitCode: 1 });
    expect(c.exec('sleep --help')).toMatchObject({ stdout: expect.stringMatching(/^Usage: sleep NUMBER\[SUFFIX\]\.\.\./), exitCode: 0 });
  });

  it('takes s/m/h/d suffixes, strtod numbers (hex, exponents, blanks) and sums several arguments, as GNU sleep does', () => {
    const d = (cmd: string) => c.exec(cmd).state.clock - c.state.clock;
    expect(d('sleep 1m')).toBe(60_000);
    expect(d('sleep 2 3')).toBe(5000);
    expect(d('sleep 1h 1d 0.5s')).toBe(3_600_000 + 86_400_000 + 500);
    expect(d('sleep 0x10')).toBe(16_000);
    expect(d('sleep 1e1')).toBe(10_000);
    expect(d('sleep " 2"')).toBe(2000);
    expect(d('sleep .5')).toBe(500);
  });

  it('a huge or infinite sleep stops the clock at MAX_CLOCK_MS (9999-12-31T23:59:59Z), and every tool still prints', () => {
    for (const cmd of ['sleep 1e300', 'sleep inf', 'sleep infinity', 'sleep 1e999']) expect(c.exec(cmd).state.clock).toBe(MAX_CLOCK_MS);
    const late = c.exec('sleep inf').cluster;
    expect(late.exec('sleep 5').state.clock).toBe(MAX_CLOCK_MS);
    const r = late.run(
      'kubectl get pods -A -o yaml\nkubectl get nodes\ndig kubernetes.default.svc.cluster.local @10.96.0.10\niptables-save\ndocker ps -a\nkubectl describe node node01\nkubectl get svc -w',
    );
    expect(r.steps.filter((s) => s.internalError)).toEqual([]);
    expect(r.transcript).toContain('Fri Dec 31 23:59:59 9999');
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

  it('`ssh NODE COMMAND` runs COMMAND on NODE (a shell there parses the words, joined)', () => {
    expect(c.exec('ssh node01 hostname')).toMatchObject({ stdout: 'node01\n', exitCode: 0, ctx: { kind: 'host' } });
    expect(c.exec("ssh -t node02 'hostname; cat /nope'")).toMatchObject({ stdout: 'node02\n', stderr: 'cat: /nope: No such file or directory\n', exitCode: 1 });
    expect(c.exec('ssh node01 exit 4').exitCode).toBe(4);
    expect(c.exec('echo in | ssh node01 cat').stdout).toBe('in\n');
  });

  it('ssh’s own command-line errors (OpenSSH, exit 255)', () => {
    expect(c.exec('ssh')).toMatchObject({ stderr: expect.stringMatching(/^usage: ssh \[-46AaCfGgKkMNnqsTtVvXxYy\]/), exitCode: 255 });
    expect(c.exec('ssh -z node01')).toMatchObject({ stderr: expect.stringMatching(/^unknown option -- z\nusage: ssh /), exitCode: 255 });
    expect(c.exec('ssh node01 -p')).toMatchObject({ stderr: expect.stringMatching(/^option requires an argument -- p\nusage: ssh /), exitCode: 255 });
  });

  it('ssh from a node nests the session; exit returns to the node it was typed on', () => {
    const inner = c.exec('ssh node01; ssh node02');
    expect(inner.ctx).toEqual({ kind: 'node', node: 'node02', parent: { kind: 'node', node: 'node01' } });
    const back = execLine(c.state, 'exit', inner.ctx);
    expect(back).toMatchObject({ stdout: 'logout\n', stderr: 'Connection to node02 closed.\n', ctx: { kind: 'node', node: 'node01' } });
  });

  it('a node named like an Object.prototype property does not exist (ssh, kubectl)', () => {
    expect(c.exec('ssh constructor')).toMatchObject({ stderr: 'ssh: Could not resolve hostname constructor: Name or service not known\n', exitCode: 255 });
    expect(c.exec('kubectl get node constructor')).toMatchObject({ stderr: 'Error from server (NotFound): nodes "constructor" not found\n', exitCode: 1 });
  });
});

describe('exit', () => {
  it('`exit N` leaves the session with status N, and the rest of the line does not run', () => {
    expect(c.exec('exit 3', { node: 'node01' })).toMatchObject({ stdout: 'logout\n', exitCode: 3, ctx: { kind: 'host' } });
    expect(c.exec('hostname; exit; hostname', { node: 'node01' })).toMatchObject({ stdout: 'node01\nlogout\n', exitCode: 0, ctx: { kind: 'host' } });
    expect(c.exec('false; exit', { node: 'node01' }).exitCode).toBe(1);
    expect(c.exec('exit 300', { node: 'node01' }).exitCode).toBe(44);
    expect(c.exec('exit -1', { node: 'node01' }).exitCode).toBe(255);
  });

  it('bash’s errors: a non-number still exits (status 2); too many arguments does not (status 1)', () => {
    expect(c.exec('exit abc', { node: 'node01' })).toMatchObject({
      stdout: 'logout\n',
      stderr: '-bash: exit: abc: numeric argument required\nConnection to node01 closed.\n',
      exitCode: 2,
      ctx: { kind: 'host' },
    });
    expect(c.exec('exit 1 2; hostname', { node: 'node01' })).toMatchObject({ stdout: 'node01\n', stderr: '-bash: exit: too many arguments\n', ctx: { kind: 'node' } });
  });

  it('on the student’s terminal `exit` ends the line, prints nothing, and the shell stays (it is the terminal)', () => {
    expect(c.exec('echo a; exit 5; echo b')).toMatchObject({ stdout: 'a\n', exitCode: 5, ctx: { kind: 'host' } });
    expect(c.exec('logout')).toMatchObject({ stderr: "bash: logout: not login shell: use `exit'\n", exitCode: 1 });
    expect(c.exec('logout', { node: 'node01' })).toMatchObject({ stdout: 'logout\n', ctx: { kind: 'host' } });
  });
});

describe('Cluster.exec in a pod', () => {
  it('runs in the pod’s network namespace with the node’s tools, `ns/name` or a name in default', () => {
    const r = c.exec('hostname', { pod: COREDNS });
    expect(r).toMatchObject({ stdout: 'coredns-7bd98f49dd-vhkvt\n', exitCode: 0, ctx: { kind: 'pod', pod: COREDNS, node: 'controlplane' } });
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
