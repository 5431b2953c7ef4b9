// shell/script.ts: lesson scripts — the transcript (prompt, command, output), ssh/exit prompts, here-documents, $(…), and the simulated clock.

import { describe, expect, it } from 'vitest';
import { Cluster, getObject, runScript } from '@k8s-netsim/core';

const c = Cluster.create();
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n';

describe('transcript', () => {
  it('echoes each command after its prompt, then its output; comments and blank lines are skipped', () => {
    const r = c.run('# a lesson\n\nhostname\nssh node01\n  hostname\nexit\nhostname\n');
    expect(r.transcript).toBe(
      [
        '$ hostname',
        'controlplane',
        '$ ssh node01',
        'root@node01:~# hostname',
        'node01',
        'root@node01:~# exit',
        'logout',
        'Connection to node01 closed.',
        '$ hostname',
        'controlplane',
        '',
      ].join('\n'),
    );
    expect(r.steps).toEqual([
      { line: 'hostname', prompt: '$ ', stdout: 'controlplane\n', stderr: '', exitCode: 0 },
      { line: 'ssh node01', prompt: '$ ', stdout: '', stderr: '', exitCode: 0 },
      { line: 'hostname', prompt: 'root@node01:~# ', stdout: 'node01\n', stderr: '', exitCode: 0 },
      { line: 'exit', prompt: 'root@node01:~# ', stdout: 'logout\n', stderr: 'Connection to node01 closed.\n', exitCode: 0 },
      { line: 'hostname', prompt: '$ ', stdout: 'controlplane\n', stderr: '', exitCode: 0 },
    ]);
    expect(r.ctx).toEqual({ kind: 'host' });
  });

  it('ends where the script left the shell, and starts where it is told', () => {
    const r = c.run('ssh node02\nhostname');
    expect(r.transcript).toBe('$ ssh node02\nroot@node02:~# hostname\nnode02\n');
    expect(r.ctx).toEqual({ kind: 'node', node: 'node02' });
    expect(runScript(c.state, 'hostname', {}, { kind: 'node', node: 'node01' }).transcript).toBe('root@node01:~# hostname\nnode01\n');
    expect(runScript(c.state, 'hostname', {}, { kind: 'workstation' }).transcript).toBe('student@workstation:~$ hostname\nworkstation\n');
  });

  it('echoes a line as typed (comment included), though the comment is not run', () => {
    expect(c.run('hostname   # which node?').transcript).toBe('$ hostname   # which node?\ncontrolplane\n');
  });

  it('prints what a failing tool prints, stdout before stderr, and goes on', () => {
    const r = c.run('kubectl get pod nope\nls /\necho a | | cat\ncat /etc/hostname /nope\nhostname\n');
    expect(r.transcript).toBe(
      [
        '$ kubectl get pod nope',
        'Error from server (NotFound): pods "nope" not found',
        '$ ls /',
        'netsim: command not supported: ls /',
        '$ echo a | | cat',
        "bash: syntax error near unexpected token `|'",
        '$ cat /etc/hostname /nope',
        'controlplane',
        'cat: /nope: No such file or directory',
        '$ hostname',
        'controlplane',
        '',
      ].join('\n'),
    );
    expect(r.steps.map((s) => s.exitCode)).toEqual([1, 127, 2, 1, 0]);
  });

  it('streams the transcript through onOutput, piece by piece', () => {
    const chunks: string[] = [];
    const r = runScript(c.state, 'hostname\nssh node01\nexit\nls', {}, { kind: 'host' }, { onOutput: (s) => chunks.push(s) });
    expect(chunks.join('')).toBe(r.transcript);
    expect(chunks.slice(0, 2)).toEqual(['$ hostname\n', 'controlplane\n']);
  });

  it('treats `# netsim:` option lines as comments: the options are the CLI’s (netsim run), not the shell’s', () => {
    const r = c.run('# netsim: --cni none\nkubectl get nodes node01\n');
    expect(r.transcript).toBe('$ kubectl get nodes node01\nNAME     STATUS   ROLES    AGE   VERSION\nnode01   Ready    <none>   42m   v1.34.2\n');
    expect(r.steps).toHaveLength(1);
  });
});

describe('the simulated clock', () => {
  it('advances one second per command, not per comment or blank line', () => {
    expect(c.run('# x\n\nhostname\nhostname\n\n# y\nhostname').state.clock - c.state.clock).toBe(3000);
    expect(c.run('').state.clock).toBe(c.state.clock);
  });

  it('advances by N seconds more for `sleep N`', () => {
    expect(c.run('sleep 5\nhostname').state.clock - c.state.clock).toBe(7000);
    expect(c.run('sleep 0.5').state.clock - c.state.clock).toBe(1500);
  });

  it('is what kubectl’s AGE column counts from', () => {
    const files: string[] = [];
    const r = c.run('kubectl apply -f cm.yaml\nsleep 59\nkubectl get configmap cfg', {
      readFile: (path) => {
        files.push(path);
        return CM;
      },
    });
    expect(files).toEqual(['cm.yaml']);
    expect(r.transcript).toBe('$ kubectl apply -f cm.yaml\nconfigmap/cfg created\n$ sleep 59\n$ kubectl get configmap cfg\nNAME   DATA   AGE\ncfg    1      61s\n');
  });
});

describe('kubectl apply -f', () => {
  it('a PATH is kubectl’s error when the script has no files to read', () => {
    expect(c.run('kubectl apply -f missing.yaml').transcript).toBe('$ kubectl apply -f missing.yaml\nerror: the path "missing.yaml" does not exist\n');
  });
});

describe('here-documents', () => {
  it('`kubectl apply -f - <<EOF … EOF` echoes the body after `> ` and applies it', () => {
    const r = c.run(`kubectl apply -f - <<EOF\n${CM}EOF\nkubectl get configmap cfg\n`);
    expect(r.transcript).toBe(
      [
        '$ kubectl apply -f - <<EOF',
        '> apiVersion: v1',
        '> kind: ConfigMap',
        '> metadata:',
        '>   name: cfg',
        '> data:',
        '>   a: "1"',
        '> EOF',
        'configmap/cfg created',
        '$ kubectl get configmap cfg',
        'NAME   DATA   AGE',
        'cfg    1      1s',
        '',
      ].join('\n'),
    );
    expect(r.steps.map((s) => s.line)).toEqual(['kubectl apply -f - <<EOF', 'kubectl get configmap cfg']);
    expect(getObject(r.state, 'ConfigMap', 'default', 'cfg')?.data).toEqual({ a: '1' });
    expect(r.state.clock - c.state.clock).toBe(2000); // the body is not commands
  });

  it('takes a quoted delimiter, an empty body, and goes on after the delimiter', () => {
    expect(c.run("cat <<'END'\nhello\n# not a comment here\nEND\necho after").transcript).toBe(
      "$ cat <<'END'\n> hello\n> # not a comment here\n> END\nhello\n# not a comment here\n$ echo after\nafter\n",
    );
    expect(c.run('cat <<EOF\nEOF\necho done').transcript).toBe('$ cat <<EOF\n> EOF\n$ echo done\ndone\n');
  });

  it('an unterminated here-document takes the rest of the script as its body; the command still runs', () => {
    const r = c.run(`# c\n\nkubectl apply -f - <<EOF\n${CM}`);
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]!.stdout).toBe('configmap/cfg created\n');
    expect(getObject(r.state, 'ConfigMap', 'default', 'cfg')?.data).toEqual({ a: '1' });
  });

  // bash (script on stdin), captured: "bash: warning: here-document at line 3 delimited by end-of-file (wanted `EOF')".
  it('an unterminated here-document gives bash’s warning, and the transcript shows no `> EOF` that was never typed', () => {
    const r = c.run(`# c\n\nkubectl apply -f - <<EOF\n${CM}`);
    expect(r.transcript).toContain('>   a: "1"\nbash: warning: here-document at line 3 delimited by end-of-file (wanted `EOF\')\nconfigmap/cfg created\n');
    expect(r.transcript).not.toContain('> EOF\n');
    expect(r.steps[0]!.stderr).toBe("bash: warning: here-document at line 3 delimited by end-of-file (wanted `EOF')\n");
  });

  it('with `<<EOF` an indented `  EOF` is body, not the delimiter (bash: the delimiter line must be exactly EOF)', () => {
    const r = c.run('cat <<EOF\nhello\n  EOF\necho after\n');
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]!.stdout).toBe('hello\n  EOF\necho after\n');
  });

  it('`<<-EOF` strips leading tabs from the body lines', () => {
    expect(c.run('cat <<-EOF\n\thello\n\tEOF\n').steps[0]!.stdout).toBe('hello\n');
  });
});

describe('here-document bodies as bash reads them', () => {
  it('an unquoted delimiter expands $(…) and backslashes in the body; a quoted one keeps it as typed', () => {
    expect(c.run('cat <<EOF\nhost: $(hostname) \\$HOME \\\\ "q"\nEOF').steps[0]!.stdout).toBe('host: controlplane $HOME \\ "q"\n');
    expect(c.run("cat <<'EOF'\nhost: $(hostname)\nEOF").steps[0]!.stdout).toBe('host: $(hostname)\n');
    expect(c.run('cat <<"EOF"\n`hostname`\nEOF').steps[0]!.stdout).toBe('`hostname`\n');
  });

  it('several here-documents on one line are read in order', () => {
    const r = c.run('cat <<A; cat <<B\none\nA\ntwo\nB\necho done');
    expect(r.steps.map((s) => [s.line, s.stdout])).toEqual([
      ['cat <<A; cat <<B', 'one\ntwo\n'],
      ['echo done', 'done\n'],
    ]);
  });

  it('a here-document feeds the command it is attached to, in a pipeline or a list', () => {
    expect(c.run('echo first; grep b <<EOF | wc -l\na\nb\nbb\nEOF').steps[0]!.stdout).toBe('first\n2\n');
  });
});

describe('commands over several lines', () => {
  it('a trailing |, && or \\ continues on the next line, echoed after bash’s `> ` prompt', () => {
    const r = c.run('kubectl get pods -A |\n  grep coredns |\n  wc -l\nhostname &&\necho ok\necho a \\\nb');
    expect(r.transcript).toBe(
      ['$ kubectl get pods -A |', '>   grep coredns |', '>   wc -l', '2', '$ hostname &&', '> echo ok', 'controlplane', 'ok', '$ echo a \\', '> b', 'a b', ''].join('\n'),
    );
    expect(r.steps.map((s) => s.line)).toEqual(['kubectl get pods -A |\n  grep coredns |\n  wc -l', 'hostname &&\necho ok', 'echo a \\\nb']);
    expect(r.state.clock - c.state.clock).toBe(3000);
  });

  it('an open quote takes the next lines into the word', () => {
    expect(c.run("echo 'a\nb'\nhostname").steps.map((s) => s.stdout)).toEqual(['a\nb\n', 'controlplane\n']);
  });

  it('at the end of the script, bash’s unexpected-end errors; the lines before still ran', () => {
    const r = c.run('hostname\necho a |');
    expect(r.transcript).toBe('$ hostname\ncontrolplane\n$ echo a |\nbash: syntax error: unexpected end of file\n');
    expect(r.steps[1]!.exitCode).toBe(2);
    expect(c.run("echo 'abc\ndef").transcript).toBe("$ echo 'abc\n> def\nbash: unexpected EOF while looking for matching `''\n");
  });

  it('Windows line ends are read as plain ends of line', () => {
    expect(c.run('hostname\r\ncat <<EOF\r\nx\r\nEOF\r\n').steps.map((s) => s.stdout)).toEqual(['controlplane\n', 'x\n']);
  });
});

describe('lists and exit in a script', () => {
  it('a list prints each command’s output in order and the script goes on', () => {
    const r = c.run('echo a; cat /nope; echo b\nhostname');
    expect(r.transcript).toBe('$ echo a; cat /nope; echo b\na\ncat: /nope: No such file or directory\nb\n$ hostname\ncontrolplane\n');
  });

  it('`exit` in an ssh session ends the rest of that line; the script goes on at the terminal', () => {
    const r = c.run('ssh node01\nhostname; exit 2; hostname\nhostname');
    expect(r.transcript).toBe('$ ssh node01\nroot@node01:~# hostname; exit 2; hostname\nnode01\nlogout\nConnection to node01 closed.\n$ hostname\ncontrolplane\n');
    expect(r.steps[1]!.exitCode).toBe(2);
  });
});

describe('$(…) in a script', () => {
  it('echoes the line as typed, prints the expanded command’s output, and keeps its change for later lines', () => {
    const r = c.run('echo created: $(kubectl create deployment web --image=nginx)\nkubectl get deployment web -o name');
    expect(r.transcript).toBe(
      '$ echo created: $(kubectl create deployment web --image=nginx)\ncreated: deployment.apps/web created\n$ kubectl get deployment web -o name\ndeployment.apps/web\n',
    );
  });

  it('reads a value the cluster assigned', () => {
    const r = c.run('kubectl get -n kube-system $(kubectl get pods -n kube-system -o name | grep coredns | head -1) -o wide');
    expect(r.transcript).toBe(
      [
        '$ kubectl get -n kube-system $(kubectl get pods -n kube-system -o name | grep coredns | head -1) -o wide',
        'NAME                       READY   STATUS    RESTARTS   AGE   IP           NODE           NOMINATED NODE   READINESS GATES',
        'coredns-7bd98f49dd-lfg9q   1/1     Running   0          45m   10.244.0.3   controlplane   <none>           <none>',
        '',
      ].join('\n'),
    );
    const ip = "kubectl get pod -n kube-system coredns-7bd98f49dd-vhkvt -o jsonpath='{.status.podIP}'";
    const p = c.run(`${ip}\nping -c 1 $(${ip})`);
    // jsonpath prints no newline: the next prompt follows on the same line, as on a terminal.
    expect(p.transcript).toMatch(/^\$ kubectl get pod .*\n10\.244\.0\.2\$ ping -c 1 \$\(kubectl get pod .*\)\nPING 10\.244\.0\.2 \(10\.244\.0\.2\) 56\(84\) bytes of data\.\n/);
    expect(p.steps[1]!.exitCode).toBe(0);
  });
});

describe('bugs seen through a script', () => {
  // `constructor` is a valid node name; kubectl answers NotFound for one that does not exist.
  it('`kubectl get node constructor` is NotFound', () => {
    const r = c.run('kubectl get node constructor');
    expect(r.transcript).toBe('$ kubectl get node constructor\nError from server (NotFound): nodes "constructor" not found\n');
  });
});
