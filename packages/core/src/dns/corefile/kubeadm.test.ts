// Tests for kubeadm's Corefile: its text per version, its parse/format round trip, and the
// plugin chain it configures.

import { describe, expect, it } from 'vitest';
import { formatCorefile } from './format.js';
import { KUBEADM_COREFILE, kubeadmCorefile } from './kubeadm.js';
import { parseCorefile } from './load.js';
import type { CachePlugin, ForwardPlugin, KubernetesPlugin } from './types.js';

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
