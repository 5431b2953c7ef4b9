// The tools answer bad input as the real ones do: their own message and exit status, and a
// script goes on. Texts captured from the real tools (bash 5.2, curl 8.5.0 built from its tag,
// BIND 9.18 dig/host/nslookup, kubectl's cobra/pflag) or read from their source (iputils
// 20240117 ping, busybox 1.28 wget, OpenSSH's usage from OpenSSH 9.2).

import { describe, expect, it } from 'vitest';
import { Cluster, getObject } from '@k8s-netsim/core';

const c = Cluster.create();

describe('kubectl: global flags where cobra takes them', () => {
  const pods = c.exec('kubectl get pods -n kube-system').stdout;

  it('-n/--namespace before the verb, between verb and type, or after', () => {
    expect(pods).toContain('coredns-');
    for (const line of [
      'kubectl -n kube-system get pods',
      'kubectl --namespace=kube-system get pods',
      'kubectl --namespace kube-system get pods',
      'kubectl get -n kube-system pods',
      'kubectl get pods --namespace=kube-system',
      'kubectl get pods -nkube-system',
      'kubectl get pods -n=kube-system',
    ])
      expect(c.exec(line)).toMatchObject({ stdout: pods, exitCode: 0 });
  });

  it('-A after the verb anywhere; before the verb it is not a global flag (kubectl’s plugin error)', () => {
    const all = c.exec('kubectl get pods -A').stdout;
    expect(c.exec('kubectl get -A pods').stdout).toBe(all);
    expect(c.exec('kubectl get pods --all-namespaces').stdout).toBe(all);
    expect(c.exec('kubectl -A get pods')).toMatchObject({ stdout: '', stderr: 'Error: flags cannot be placed before plugin name: -A\n', exitCode: 1 });
  });

  it('combined shorthands, and -- ending the flags', () => {
    expect(c.exec('kubectl get pods -Aowide').stdout).toBe(c.exec('kubectl get pods -A -o wide').stdout);
    const bb = c.exec('kubectl run bb --image=busybox -- sleep 3600').cluster;
    expect(bb.exec('kubectl exec -it bb -- hostname').stdout).toBe('bb\n');
    expect(bb.exec('kubectl -n default exec bb -ti -- hostname').stdout).toBe('bb\n');
  });

  it('unknown flags, missing values and bad values are pflag’s errors with kubectl’s usage line, exit 1', () => {
    expect(c.exec('kubectl get pods --bogus')).toMatchObject({ stderr: "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n", exitCode: 1 });
    expect(c.exec('kubectl get pods -z')).toMatchObject({ stderr: "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n", exitCode: 1 });
    expect(c.exec('kubectl get pods -wz').stderr).toBe("error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n");
    expect(c.exec('kubectl get pods -o').stderr).toBe("error: flag needs an argument: 'o' in -o\nSee 'kubectl get --help' for usage.\n");
    expect(c.exec('kubectl apply -f').stderr).toBe("error: flag needs an argument: 'f' in -f\nSee 'kubectl apply --help' for usage.\n");
    expect(c.exec('kubectl get pods --namespace').stderr).toBe("error: flag needs an argument: --namespace\nSee 'kubectl get --help' for usage.\n");
    expect(c.exec('kubectl get pods -A=x').stderr).toBe(
      'error: invalid argument "x" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "x": invalid syntax\nSee \'kubectl get --help\' for usage.\n',
    );
    expect(c.exec('kubectl scale deploy x --replicas=two').stderr).toBe(
      'error: invalid argument "two" for "--replicas" flag: strconv.ParseInt: parsing "two": invalid syntax\nSee \'kubectl scale --help\' for usage.\n',
    );
    expect(c.exec('kubectl get pods --replicas=2').stderr).toBe("error: unknown flag: --replicas\nSee 'kubectl get --help' for usage.\n");
  });

  it('each verb has its own flags: `logs -f` follows, `run -l` labels, `--replicas` on run only before 1.18', () => {
    expect(c.exec('kubectl logs -f -n kube-system coredns-7bd98f49dd-vhkvt').stdout).toContain('CoreDNS-');
    const labelled = c.exec('kubectl run web --image=nginx -l tier=front').cluster;
    expect(labelled.pods({ selector: 'tier=front' })).toHaveLength(1);
    expect(c.exec('kubectl run web --image=nginx --replicas=2').stderr).toBe("error: unknown flag: --replicas\nSee 'kubectl run --help' for usage.\n");
    const old = Cluster.create({ kubernetesVersion: '1.17.4' });
    expect(old.exec('kubectl run web --image=nginx --replicas=2').exitCode).toBe(0);
  });

  it('no verb: kubectl’s help; an unknown one: cobra’s suggestions; one the simulator lacks: not supported', () => {
    expect(c.exec('kubectl')).toMatchObject({ stdout: expect.stringMatching(/^kubectl controls the Kubernetes cluster manager\.\n/), exitCode: 0 });
    expect(c.exec('kubectl -n kube-system').stdout).toMatch(/^kubectl controls/);
    expect(c.exec('kubectl bogus')).toMatchObject({ stderr: 'error: unknown command "bogus" for "kubectl"\n\nDid you mean this?\n\tlogs\n', exitCode: 1 });
    expect(c.exec('kubectl xyzzy')).toMatchObject({ stderr: 'error: unknown command "xyzzy" for "kubectl"\n', exitCode: 1 });
    expect(c.exec('kubectl label pod x a=b')).toMatchObject({ stderr: 'netsim: command not supported: kubectl label pod x a=b\n', exitCode: 127 });
    expect(c.exec('kubectl create foo')).toMatchObject({ stderr: "error: Unexpected args: [foo]\nSee 'kubectl create -h' for help and examples\n", exitCode: 1 });
  });

  it('missing resource types and names are kubectl’s messages', () => {
    expect(c.exec('kubectl get')).toMatchObject({
      stderr:
        'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples\n',
      exitCode: 1,
    });
    expect(c.exec('kubectl describe')).toMatchObject({
      stderr: 'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n',
      exitCode: 1,
    });
    expect(c.exec('kubectl delete').stderr).toBe(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
    );
    expect(c.exec('kubectl apply')).toMatchObject({ stderr: 'error: must specify one of -f and -k\n', exitCode: 1 });
    expect(c.exec('kubectl apply -f nope.yaml')).toMatchObject({ stderr: 'error: the path "nope.yaml" does not exist\n', exitCode: 1 });
    expect(c.exec('kubectl exec busybox cat /etc/hosts').stderr).toBe(
      "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n",
    );
  });

  it('kubectl create namespace', () => {
    const r = c.exec('kubectl create namespace team-a');
    expect(r).toMatchObject({ stdout: 'namespace/team-a created\n', exitCode: 0 });
    expect(getObject(r.state, 'Namespace', undefined, 'team-a')).toBeDefined();
    expect(r.cluster.exec('kubectl create ns team-a').stderr).toBe('Error from server (AlreadyExists): namespaces "team-a" already exists\n');
  });
});

describe('curl (8.5.0, captured from a build of its tag)', () => {
  it('a bad port, a bad glob, a bad host, no host: exit 3 with curl’s words', () => {
    expect(c.exec('curl http://10.96.0.1:99999/')).toMatchObject({
      stderr: 'curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n',
      exitCode: 3,
    });
    for (const u of ['http://127.0.0.1:abc/', 'http://x:-1/', 'http://[::1]:99999/', 'http:x', '://x'])
      expect(c.exec(`curl ${u}`).stderr).toBe('curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n');
    expect(c.exec('curl http://[bad')).toMatchObject({ stderr: 'curl: (3) bad range in URL position 9:\nhttp://[bad\n        ^\n', exitCode: 3 });
    expect(c.exec('curl http://[::1').stderr).toBe('curl: (3) bad range specification in URL position 9:\nhttp://[::1\n        ^\n');
    expect(c.exec("curl 'http://x/{a'").stderr).toBe('curl: (3) unmatched brace in URL position 10:\nhttp://x/{a\n         ^\n');
    expect(c.exec("curl 'http://x/[1-'").stderr).toBe('curl: (3) bad range in URL position 13:\nhttp://x/[1-\n            ^\n');
    expect(c.exec('curl http://').stderr).toBe('curl: (3) URL rejected: No host part in the URL\n');
    expect(c.exec("curl ''").stderr).toBe('curl: (3) URL rejected: Malformed input to a URL function\n');
    expect(c.exec("curl 'http://a b/'").stderr).toBe('curl: (3) URL rejected: Malformed input to a URL function\n');
    expect(c.exec("curl 'http://x$y/'").stderr).toBe('curl: (3) URL rejected: Bad hostname\n');
    expect(c.exec('curl http:////x').stderr).toBe('curl: (3) URL rejected: Unsupported number of slashes following scheme\n');
    expect(c.exec('curl ftp2://x/')).toMatchObject({ stderr: 'curl: (1) Protocol "ftp2" not supported or disabled in libcurl\n', exitCode: 1 });
  });

  it('-s hides the error, -sS shows it; the exit status stays', () => {
    expect(c.exec('curl -s http://x:99999/')).toMatchObject({ stderr: '', exitCode: 3 });
    expect(c.exec('curl -sS http://x:99999/').stderr).toBe('curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n');
    expect(c.exec("curl -s 'http://[bad'")).toMatchObject({ stderr: '', exitCode: 3 });
  });

  it('option errors: exit 2 and the try line', () => {
    const TRY = "curl: try 'curl --help' for more information\n";
    expect(c.exec('curl')).toMatchObject({ stderr: TRY, exitCode: 2 });
    expect(c.exec('curl -v')).toMatchObject({ stderr: `curl: (2) no URL specified\n${TRY}`, exitCode: 2 });
    expect(c.exec('curl --bogus http://x/')).toMatchObject({ stderr: `curl: option --bogus: is unknown\n${TRY}`, exitCode: 2 });
    expect(c.exec('curl -H')).toMatchObject({ stderr: `curl: option -H: requires parameter\n${TRY}`, exitCode: 2 });
    expect(c.exec('curl -m x http://x/')).toMatchObject({ stderr: `curl: option -m: expected a proper numerical parameter\n${TRY}`, exitCode: 2 });
    expect(c.exec('curl -m -1 http://x/')).toMatchObject({ stderr: `curl: option -m: expected a positive numerical parameter\n${TRY}`, exitCode: 2 });
  });

  it('numeric hosts as libcurl normalises them; names that are not addresses are looked up', () => {
    expect(c.exec('curl -sS http://127.1:1/').stderr).toBe("curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server\n");
    expect(c.exec('curl -sS http://0x7f.1:1/').stderr).toBe("curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server\n");
    expect(c.exec('curl http://999.1.1.1/')).toMatchObject({ stderr: 'curl: (6) Could not resolve host: 999.1.1.1\n', exitCode: 6 });
    expect(c.exec('curl http://127.0.0.1:0/')).toMatchObject({ stderr: "curl: (7) Failed to connect to 127.0.0.1 port 0 after 0 ms: Couldn't connect to server\n", exitCode: 7 });
  });

  it('globs fetch each URL; -g turns globbing off', () => {
    const web = c.exec('kubectl create deployment web --image=nginx; kubectl expose deployment web --port 80').cluster;
    const ip = web.service('web').clusterIPs[0];
    expect(web.exec(`curl -s http://${ip}/{a,b} | grep -c '<title>'`).stdout).toBe('2\n');
    expect(web.exec(`curl -sg 'http://${ip}/[x'`).exitCode).toBe(0);
  });
});

describe('wget (busybox 1.28)', () => {
  it('bad URLs, ports and hosts in busybox’s words, exit 1', () => {
    expect(c.exec('wget ftp2://x/')).toMatchObject({ stderr: 'wget: not an http or ftp url: ftp2://x/\n', exitCode: 1 });
    expect(c.exec('wget http://a:99999/')).toMatchObject({ stderr: "wget: bad port spec 'a:99999'\n", exitCode: 1 });
    expect(c.exec('wget -qO- http://nope.invalid/')).toMatchObject({ stderr: "wget: bad address 'nope.invalid'\n", exitCode: 1 });
    expect(c.exec('wget http://[x')).toMatchObject({ stderr: "wget: bad address '[x'\n", exitCode: 1 });
    expect(c.exec('wget -qO- http://10.96.0.1:81/')).toMatchObject({ exitCode: 1 });
  });
});

describe('dig, host, nslookup: a server that is not an address (BIND 9.18, captured)', () => {
  it('is looked up, and when that fails it is the tool’s getaddrinfo error, exit 1', () => {
    expect(c.exec('host web a/b')).toMatchObject({ stderr: "host: couldn't get address for 'a/b': not found\n", exitCode: 1 });
    expect(c.exec('dig @nope web')).toMatchObject({ stderr: "dig: couldn't get address for 'nope': not found\n", exitCode: 1 });
    expect(c.exec('dig @ web').stderr).toBe("dig: couldn't get address for '': not found\n");
    expect(c.exec('nslookup web 999.1.1.1')).toMatchObject({ stderr: "nslookup: couldn't get address for '999.1.1.1': not found\n", exitCode: 1 });
  });

  it('dig’s and host’s option errors', () => {
    expect(c.exec('dig -x')).toMatchObject({ stderr: expect.stringMatching(/^Invalid option: -x\nUsage: {2}dig \[@global-server\]/), exitCode: 1 });
    expect(c.exec('dig -z web').stderr).toMatch(/^Invalid option: -z\n/);
    expect(c.exec('dig @10.96.0.10 -p 99999 web')).toMatchObject({
      stdout: "invalid port number '99999': out of range\n",
      stderr: "dig: Couldn't parse port number\n",
      exitCode: 1,
    });
    expect(c.exec('dig -t BOGUS kubernetes.default.svc.cluster.local @10.96.0.10 +short')).toMatchObject({
      stdout: '10.96.0.1\n',
      stderr: ';; Warning, ignoring invalid type BOGUS\n',
      exitCode: 0,
    });
    expect(c.exec('host -t BOGUS web')).toMatchObject({ stderr: 'host: invalid type: BOGUS\n\n', exitCode: 2 });
    expect(c.exec('host -z web')).toMatchObject({ stderr: expect.stringMatching(/^host: illegal option -- z\nUsage: host /), exitCode: 1 });
    expect(c.exec('host -t')).toMatchObject({ stderr: expect.stringMatching(/^host: option requires an argument -- t\n/), exitCode: 1 });
  });

  it('a server given by name resolves through the context', () => {
    expect(c.exec('dig +short kubernetes.default.svc.cluster.local @node01').exitCode).toBe(9);
    expect(c.exec('dig +short kubernetes.default.svc.cluster.local @10.96.0.10').stdout).toBe('10.96.0.1\n');
  });
});

describe('ping (iputils 20240117)', () => {
  it('bad counts and sizes are strtol_or_err’s messages, exit 1', () => {
    expect(c.exec('ping -c x 1.2.3.4')).toMatchObject({ stdout: '', stderr: "ping: invalid argument: 'x'\n", exitCode: 1 });
    expect(c.exec('ping -c 0 1.2.3.4').stderr).toBe("ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807\n");
    expect(c.exec('ping -c 5x 1.2.3.4').stderr).toBe("ping: invalid argument: '5x'\n");
    expect(c.exec('ping -c 99999999999999999999 1.2.3.4').stderr).toBe("ping: invalid argument: '99999999999999999999': Numerical result out of range\n");
    expect(c.exec('ping -M maybe 1.2.3.4')).toMatchObject({ stderr: 'ping: invalid -M argument: maybe\n', exitCode: 2 });
  });

  it('no host, an unknown option, a missing value', () => {
    expect(c.exec('ping')).toMatchObject({ stderr: 'ping: usage error: Destination address required\n', exitCode: 1 });
    expect(c.exec('ping -c 2')).toMatchObject({ stderr: 'ping: usage error: Destination address required\n', exitCode: 1 });
    expect(c.exec('ping -z 1.2.3.4')).toMatchObject({ stderr: expect.stringMatching(/^ping: invalid option -- 'z'\n\nUsage\n {2}ping \[options\] <destination>\n/), exitCode: 2 });
    expect(c.exec('ping 1.2.3.4 -c')).toMatchObject({ stderr: expect.stringMatching(/^ping: option requires an argument -- 'c'\n/), exitCode: 2 });
  });

  it('options combine and follow the host (getopt permutes)', () => {
    expect(c.exec('ping 10.244.0.2 -c1').stdout).toMatch(/^PING 10\.244\.0\.2 .*\n.*icmp_seq=1 .*\n\n--- 10\.244\.0\.2 ping statistics ---\n1 packets transmitted, 1 received/);
    expect(c.exec('ping -nc 2 10.244.0.2').stdout).toMatch(/2 packets transmitted/);
  });

  it('a count larger than a script can wait for is capped, and says so', () => {
    const r = c.exec('ping -c 1000 10.244.0.2');
    expect(r.stderr).toBe('netsim: note: ping -c 1000: the simulator sends 100 (a script cannot press Ctrl-C)\n');
    expect(r.stdout).toMatch(/100 packets transmitted, 100 received/);
  });
});
