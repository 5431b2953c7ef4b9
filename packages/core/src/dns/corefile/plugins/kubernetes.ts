// The kubernetes plugin's setup (plugin/kubernetes/setup.go): its zones and every option of its
// block, in CoreDNS's wording when one is wrong or no longer exists.

import { atoi, parseGoDuration } from '../goparse.js';
import { fallZones, hostNormalize, isReverseZone } from '../names.js';
import type { KubernetesPlugin } from '../types.js';
import { ERR_ONCE, type Setup } from './setup.js';

export const setupKubernetes: Setup = (c, line) => {
  let i = 0;
  let k: KubernetesPlugin | undefined;
  while (c.next()) {
    if (i++ > 0) throw c.pluginErr(ERR_ONCE);
    const zoneArgs = c.remainingArgs();
    const zones = zoneArgs.length > 0 ? zoneArgs.map((z) => hostNormalize(z)) : [...c.keys];
    const primaryZone = zones.find((z) => !isReverseZone(z));
    if (primaryZone === undefined) throw c.pluginErr('non-reverse zone name must be used');
    k = { name: 'kubernetes', line, zones, primaryZone, pods: 'disabled', ttl: 5, endpointPodNames: false, noEndpoints: false, ignoreEmptyService: false, namespaces: [] };
    while (c.nextBlock()) {
      const prop = c.val();
      switch (prop) {
        case 'endpoint_pod_names':
          if (c.remainingArgs().length > 0) throw c.argErr();
          k.endpointPodNames = true;
          break;
        case 'pods': {
          const a = c.remainingArgs();
          if (a.length !== 1) throw c.argErr();
          const mode = a[0] ?? '';
          if (mode !== 'disabled' && mode !== 'insecure' && mode !== 'verified') throw c.pluginErr(`wrong value for pods: ${mode},  must be one of: disabled, verified, insecure`);
          k.pods = mode;
          break;
        }
        case 'namespaces': {
          const a = c.remainingArgs();
          if (a.length === 0) throw c.argErr();
          k.namespaces.push(...a);
          break;
        }
        case 'endpoint':
        case 'labels':
        case 'namespace_labels':
        case 'multicluster':
          if (c.remainingArgs().length === 0) throw c.argErr();
          break;
        case 'tls':
          if (c.remainingArgs().length !== 3) throw c.argErr();
          break;
        case 'kubeconfig': {
          const a = c.remainingArgs();
          if (a.length !== 1 && a.length !== 2) throw c.argErr();
          break;
        }
        case 'fallthrough':
          k.fallthrough = fallZones(c.remainingArgs());
          break;
        case 'ttl': {
          const a = c.remainingArgs();
          if (a.length === 0) throw c.argErr();
          const t = atoi(a[0] ?? '');
          if (typeof t === 'string') throw c.pluginErr(t);
          if (t < 0 || t > 3600) throw c.errf(`ttl must be in range [0, 3600]: ${t}`);
          k.ttl = t;
          break;
        }
        case 'noendpoints':
          if (c.remainingArgs().length !== 0) throw c.argErr();
          k.noEndpoints = true;
          break;
        case 'ignore': {
          const a = c.remainingArgs();
          if (a.length > 0) {
            if (a[0] !== 'empty_service') throw c.pluginErr(`unable to parse ignore value: '${a[0]}'`);
            k.ignoreEmptyService = true;
          }
          break;
        }
        case 'startup_timeout': {
          const a = c.remainingArgs();
          if (a.length !== 1) throw c.argErr();
          const d = parseGoDuration(a[0] ?? '');
          if (typeof d === 'string') throw c.pluginErr(d);
          break;
        }
        case 'apiserver_qps':
        case 'apiserver_burst':
        case 'apiserver_max_inflight':
          if (c.remainingArgs().length !== 1) throw c.argErr();
          break;
        default:
          // `upstream` and `resyncperiod` were removed in CoreDNS 1.7–1.8: old ConfigMaps hit this.
          throw c.errf(`unknown property '${prop}'`);
      }
    }
  }
  return k ? [k] : [];
};
