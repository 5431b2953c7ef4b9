// CoreDNS's reload plugin: when the `coredns` ConfigMap's Corefile changes, the pods load it;
// one that fails to parse is reported (as CoreDNS logs it) and the previous config keeps serving.

import { CorefileError, parseCorefile } from '../dns/corefile.js';
import type { ClusterState } from '../state/types.js';
import { recordEvent } from './events.js';

export function reconcileCoreDNS(draft: ClusterState): boolean {
  const cm = draft.configMaps['kube-system']?.coredns;
  const text = cm?.data?.Corefile;
  if (text === undefined || text === draft.coredns.corefile) {
    if (draft.coredns.error !== undefined && text === draft.coredns.corefile) {
      delete draft.coredns.error;
      return true;
    }
    return false;
  }
  try {
    parseCorefile(text);
  } catch (e) {
    if (!(e instanceof CorefileError)) throw e;
    const message = `[ERROR] Restart failed: ${e.message}`;
    if (draft.coredns.error === message) return false;
    draft.coredns.error = message;
    recordEvent(draft, cm!, 'Warning', 'ReloadFailed', `${e.message} (CoreDNS keeps serving the previous Corefile)`, 'coredns');
    return true;
  }
  draft.coredns = { corefile: text };
  return true;
}
