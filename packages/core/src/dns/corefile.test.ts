import { describe, expect, it } from 'vitest';
import {
  CorefileError,
  formatCorefile,
  KUBEADM_COREFILE,
  kubeadmCorefile,
  parseCorefile,
  parseGoDuration,
  type CachePlugin,
  type ForwardPlugin,
  type HostsPlugin,
  type KubernetesPlugin,
  type RewritePlugin,
} from './corefile.js';

/** A kubeadm-shaped Corefile with `body` lines in place of the kubernetes stanza onwards. */
function block(...lines: string[]): string {
  return `.:53 {\n${lines.map((l) => `    ${l}`).join('\n')}\n}\n`;
}

function parseError(text: string, opts: Parameters<typeof parseCorefile>[1] = {}): string {
  try {
    parseCorefile(text, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(CorefileError);
    return (e as Error).message;
  }
  throw new Error('expected a CorefileError');
}

describe('KUBEADM_COREFILE', () => {
  it('is the text kubeadm writes (≥1.32: the cluster domain is not cached)', () => {
    expect(KUBEADM_COREFILE).toBe(
      `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`,
    );
  });

  it('older kubeadm writes a bare `cache 30`, and the domain follows --service-dns-domain', () => {
    const old = kubeadmCorefile('cluster.local', '1.31.4');
    expect(old).toContain('    cache 30\n    loop\n');
    expect(old).not.toContain('disable');
    expect(kubeadmCorefile('k8s.example', '1.34.2')).toContain('kubernetes k8s.example in-addr.arpa ip6.arpa {');
  });

  it('round-trips through parse and format', () => {
    expect(formatCorefile(parseCorefile(KUBEADM_COREFILE))).toBe(KUBEADM_COREFILE);
    const old = kubeadmCorefile('cluster.local', '1.28.0');
    expect(formatCorefile(parseCorefile(old))).toBe(old);
  });

  it('parses into one .:53 block whose plugins run in plugin.cfg order', () => {
    const cf = parseCorefile(KUBEADM_COREFILE);
    expect(cf.serverBlocks).toHaveLength(1);
    const b = cf.serverBlocks[0]!;
    expect(b.zones).toEqual([{ zone: '.', port: 53, transport: 'dns' }]);
    expect(b.directives.map((d) => d.name)).toEqual(['errors', 'health', 'ready', 'kubernetes', 'prometheus', 'forward', 'cache', 'loop', 'reload', 'loadbalance']);
    // Corefile order is irrelevant: cache and loadbalance wrap kubernetes, loop sits before forward.
    expect(b.plugins.map((p) => p.name)).toEqual(['reload', 'ready', 'health', 'prometheus', 'errors', 'loadbalance', 'cache', 'kubernetes', 'loop', 'forward']);
    const k = b.plugins.find((p) => p.name === 'kubernetes') as KubernetesPlugin;
    expect(k).toMatchObject({
      zones: ['cluster.local.', 'in-addr.arpa.', 'ip6.arpa.'],
      primaryZone: 'cluster.local.',
      pods: 'insecure',
      fallthrough: ['in-addr.arpa.', 'ip6.arpa.'],
      ttl: 30,
    });
    const f = b.plugins.find((p) => p.name === 'forward') as ForwardPlugin;
    expect(f).toMatchObject({ from: '.', to: ['/etc/resolv.conf'], maxConcurrent: 1000 });
    const c = b.plugins.find((p) => p.name === 'cache') as CachePlugin;
    expect(c).toMatchObject({ zones: ['.'], successTTL: 30, denialTTL: 30, successMinTTL: 5, disableSuccess: ['cluster.local.'], disableDenial: ['cluster.local.'] });
  });
});

describe('parseCorefile: structure', () => {
  it('reads several server blocks (stub domains), comments, quoted args and keys without braces', () => {
    const cf = parseCorefile(`# cluster DNS
.:53 {
    kubernetes cluster.local   # inline comment
    forward . 8.8.8.8 "1.1.1.1"
}
example.local:53 {
    forward . 10.150.0.1
}
dns://corp.internal:1053, 10.0.0.0/8 {
    forward . 10.0.0.2:5353 fd00::53
}
`);
    expect(cf.serverBlocks.map((b) => b.zones)).toEqual([
      [{ zone: '.', port: 53, transport: 'dns' }],
      [{ zone: 'example.local.', port: 53, transport: 'dns' }],
      [
        { zone: 'corp.internal.', port: 1053, transport: 'dns' },
        { zone: '10.in-addr.arpa.', port: 53, transport: 'dns' },
      ],
    ]);
    expect((cf.serverBlocks[0]!.plugins[1] as ForwardPlugin).to).toEqual(['8.8.8.8:53', '1.1.1.1:53']);
    expect((cf.serverBlocks[2]!.plugins[0] as ForwardPlugin).to).toEqual(['10.0.0.2:5353', '[fd00::53]:53']);
    // A kubernetes plugin without zones takes the block's.
    expect((cf.serverBlocks[0]!.plugins[0] as KubernetesPlugin).zones).toEqual(['cluster.local.']);
  });

  it('expands snippets with import', () => {
    const cf = parseCorefile(`(common) {
    errors
    cache 30
}
.:53 {
    import common
    forward . 8.8.8.8
}
`);
    expect(cf.serverBlocks[0]!.plugins.map((p) => p.name)).toEqual(['errors', 'cache', 'forward']);
  });

  it('reads hosts entries inline and from files, with defaults for ttl and zones', () => {
    const cf = parseCorefile(block('hosts /etc/coredns/custom.hosts example.org {', '   10.0.0.1 db.example.org db', '   ttl 60', '   fallthrough', '}'), {
      files: { '/etc/coredns/custom.hosts': '# comment\n10.0.0.2 web.example.org\nbad line\n' },
    });
    const h = cf.serverBlocks[0]!.plugins[0] as HostsPlugin;
    expect(h).toMatchObject({ file: '/etc/coredns/custom.hosts', origins: ['example.org.'], ttl: 60, fallthrough: ['.'], reverse: true });
    expect(h.entries).toEqual([
      { ip: '10.0.0.1', names: ['db.example.org.', 'db.'] },
      { ip: '10.0.0.2', names: ['web.example.org.'] },
    ]);
    const plain = parseCorefile(block('hosts {', '   1.2.3.4 foo.bar', '}')).serverBlocks[0]!.plugins[0] as HostsPlugin;
    expect(plain.ttl).toBe(3600);
    // Without a file argument the pod's kubelet-managed /etc/hosts is read too.
    expect(plain.entries.some((e) => e.names.includes('localhost.'))).toBe(true);
    const missing = parseCorefile(block('hosts /nope'));
    expect(missing.warnings).toEqual(['[WARNING] plugin/hosts: File does not exist: /nope']);
  });

  it('reads rewrite name rules in every form', () => {
    const cf = parseCorefile(
      block(
        'rewrite name foo.example.com web.default.svc.cluster.local',
        'rewrite continue name suffix .schmoogle.com. .google.com.',
        'rewrite name regex (.*)\\.test\\.io {1}.default.svc.cluster.local answer auto',
        'rewrite stop {',
        '   name regex (.*)-(us-west-1)\\.example\\.org {1}.service.{2}.consul',
        '   answer name (.*)\\.service\\.(us-west-1)\\.consul {1}-{2}.example.org',
        '}',
      ),
    );
    const rw = cf.serverBlocks[0]!.plugins[0] as RewritePlugin;
    expect(rw.rules).toEqual([
      { field: 'name', mode: 'stop', match: 'exact', from: 'foo.example.com.', to: 'web.default.svc.cluster.local.' },
      { field: 'name', mode: 'continue', match: 'suffix', from: '.schmoogle.com.', to: '.google.com.' },
      { field: 'name', mode: 'stop', match: 'regex', from: '(.*)\\.test\\.io', to: '{1}.default.svc.cluster.local.', answer: { kind: 'auto' } },
      {
        field: 'name',
        mode: 'stop',
        match: 'regex',
        from: '(.*)-(us-west-1)\\.example\\.org',
        to: '{1}.service.{2}.consul.',
        answer: { kind: 'name', from: '(.*)\\.service\\.(us-west-1)\\.consul', to: '{1}-{2}.example.org.' },
      },
    ]);
  });

  it('accepts plugins CoreDNS ships but the simulator does not model', () => {
    const cf = parseCorefile(block('whoami', 'template IN A example.org {', '   answer "{{ .Name }} 60 IN A 127.0.0.1"', '}'));
    expect(cf.serverBlocks[0]!.plugins.map((p) => ('unmodelled' in p ? `${p.name}*` : p.name))).toEqual(['template*', 'whoami*']);
  });
});

describe('parseCorefile: errors in CoreDNS wording', () => {
  const F = '/etc/coredns/Corefile';
  it.each([
    ['an unknown plugin', block('errors', 'xyz'), `${F}:3 - Error during parsing: Unknown directive 'xyz'`],
    ['proxy (removed in CoreDNS 1.5)', block('proxy . /etc/resolv.conf'), `${F}:2 - Error during parsing: Unknown directive 'proxy'`],
    ['a nested server block (coredns/deployment#215)', block('errors', '. {', '    hosts /etc/k8shosts', '}'), `${F}:3 - Error during parsing: Unknown directive '.'`],
    [
      'a brace glued to an argument (coredns#7121)',
      block('hosts coredns.hosts example.com{', '  ttl 10', '  fallthrough', '}'),
      `${F}:3 - Error during parsing: Unknown directive 'ttl'`,
    ],
    ['directives are case-sensitive', block('Forward . 8.8.8.8'), `${F}:2 - Error during parsing: Unknown directive 'Forward'`],
    ['a missing closing brace', '.:53 {\n    errors\n    loadbalance\n', `${F}:3 - Syntax error: Unexpected token 'loadbalance', expecting '}'`],
    ['a stray closing brace', block('cache 30 }'), `${F}:2 - Error during parsing: Unexpected '}' because no matching opening brace`],
    ['an unterminated plugin block', '.:53 {\n    forward . 8.8.8.8 {\n       max_concurrent 10\n', `${F}:3 - Error during parsing: Unexpected EOF`],
    ['an import of a missing file', block('import /etc/coredns/custom/*.server', 'import extra.conf'), `${F}:3 - Error during parsing: File to import not found: extra.conf`],
    ['forward without destinations', block('forward .'), `plugin/forward: ${F}:2 - Error during parsing: Wrong argument count or unexpected line ending after '.'`],
    ['forward to something that is neither an address nor a file', block('forward . dns.google'), 'plugin/forward: not an IP address or file: "dns.google"'],
    ['forward over grpc', block('forward . grpc://8.8.8.8'), "plugin/forward: 'grpc' is not supported as a destination protocol in forward: grpc://8.8.8.8"],
    ['an unknown forward option', block('forward . 8.8.8.8 {', '   retries 3', '}'), `plugin/forward: ${F}:3 - Error during parsing: unknown property 'retries'`],
    ['a bad max_concurrent', block('forward . 8.8.8.8 {', '   max_concurrent many', '}'), 'plugin/forward: strconv.Atoi: parsing "many": invalid syntax'],
    [
      'the removed kubernetes `upstream` option',
      block('kubernetes cluster.local {', '   pods insecure', '   upstream', '}'),
      `plugin/kubernetes: ${F}:4 - Error during parsing: unknown property 'upstream'`,
    ],
    ['a bad pods mode', block('kubernetes cluster.local {', '   pods maybe', '}'), 'plugin/kubernetes: wrong value for pods: maybe,  must be one of: disabled, verified, insecure'],
    [
      'pods without a mode',
      block('kubernetes cluster.local {', '   pods', '}'),
      `plugin/kubernetes: ${F}:3 - Error during parsing: Wrong argument count or unexpected line ending after 'pods'`,
    ],
    ['a ttl out of range', block('kubernetes cluster.local {', '   ttl 4000', '}'), `plugin/kubernetes: ${F}:3 - Error during parsing: ttl must be in range [0, 3600]: 4000`],
    ['a ttl that is not a number', block('kubernetes cluster.local {', '   ttl 30s', '}'), 'plugin/kubernetes: strconv.Atoi: parsing "30s": invalid syntax'],
    ['kubernetes with only reverse zones', block('kubernetes in-addr.arpa'), 'plugin/kubernetes: non-reverse zone name must be used'],
    ['kubernetes twice', block('kubernetes cluster.local', 'kubernetes other.local'), 'plugin/kubernetes: this plugin can only be used once per Server Block'],
    ['cache twice', block('cache 30', 'cache 10'), 'plugin/cache: this plugin can only be used once per Server Block'],
    ['a zero cache TTL', block('cache 0'), 'plugin/cache: cache TTL can not be zero or negative: 0'],
    ['an unknown cache option', block('cache 30 {', '   flush', '}'), `plugin/cache: ${F}:3 - Error during parsing: Wrong argument count or unexpected line ending after 'flush'`],
    ['a bad lameduck', block('health {', '   lameduck five', '}'), `plugin/health: unable to parse lameduck duration value: 'five' : time: invalid duration "five"`],
    ['loop with an argument', block('loop 3'), `plugin/loop: ${F}:2 - Error during parsing: Wrong argument count or unexpected line ending after '3'`],
    ['hosts lines after fallthrough', block('hosts {', '   fallthrough', '   1.2.3.4 foo', '}'), `plugin/hosts: ${F}:4 - Error during parsing: unknown property '1.2.3.4'`],
    ['a hosts ttl of 0', block('hosts {', '   ttl 0', '}'), `plugin/hosts: ${F}:3 - Error during parsing: ttl provided is invalid`],
    ['a hosts reload without duration', block('hosts {', '   reload', '}'), `plugin/hosts: ${F}:3 - Error during parsing: reload needs a duration (zero seconds to disable)`],
    [
      'an answer rewrite on an exact rule',
      block('rewrite name exact a.com b.com answer name a b'),
      'plugin/rewrite: the rewrite of response is supported only for name regex rule',
    ],
    ['an unknown rewrite field', block('rewrite host a b'), 'plugin/rewrite: invalid rule type "host"'],
    ['a bad rewrite regex', block('rewrite name regex (.*\\.io {1}.svc'), 'plugin/rewrite: invalid regex matching pattern: (.*\\.io'],
    ['an invalid zone in a key', 'foo..bar:53 {\n    whoami\n}\n', 'zone is not a valid domain name: foo..bar'],
    ['a key ending in a colon', 'example.org: {\n    whoami\n}\n', 'expecting data after last colon: "example.org:"'],
    ['the same zone twice on a port', '.:53 {\n    whoami\n}\n.:53 {\n    whoami\n}\n', 'cannot serve dns://.:53 - it is already defined'],
  ])('%s', (_what, text, message) => {
    expect(parseError(text)).toBe(message);
  });

  it('names the file CoreDNS was started with', () => {
    expect(parseError(block('errors', 'xyz'), { file: 'Corefile' })).toBe("Corefile:3 - Error during parsing: Unknown directive 'xyz'");
  });

  it('reports setup errors in plugin.cfg order, not line order', () => {
    // forward's error is on an earlier line, but kubernetes is set up first.
    const text = block('forward .', 'kubernetes cluster.local {', '   ttl -1', '}');
    expect(parseError(text)).toBe('plugin/kubernetes: /etc/coredns/Corefile:4 - Error during parsing: ttl must be in range [0, 3600]: -1');
  });

  it('reports parse errors before setup errors and key errors before setup errors', () => {
    expect(parseError('bad..zone {\n    forward .\n    nope\n}\n')).toBe("/etc/coredns/Corefile:3 - Error during parsing: Unknown directive 'nope'");
    expect(parseError('bad..zone {\n    forward .\n}\n')).toBe('zone is not a valid domain name: bad..zone');
  });

  it('parses Go durations as time.ParseDuration does', () => {
    expect(parseGoDuration('5s')).toBe(5000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('300ms')).toBe(300);
    expect(parseGoDuration('5')).toBe('time: missing unit in duration "5"');
    expect(parseGoDuration('5d')).toBe('time: unknown unit "d" in duration "5d"');
  });
});
