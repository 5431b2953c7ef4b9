// CoreDNS's reload plugin: when the `coredns` ConfigMap's Corefile changes, the pods load it;
// one that fails to parse is reported (as CoreDNS logs it) and the previous config keeps serving.

import { CorefileError, parseCorefile } from '../dns/corefile/index.js';
import type { ControllerContext } from './context.js';
import { recordEvent } from './events.js';

export function reconcileCoreDNS({ base, draft }: ControllerContext): boolean {
  const cm = base.configMaps['kube-system']?.coredns;
  const text = cm?.data?.Corefile;
  if (text === undefined || text === base.coredns.corefile) {
    if (base.coredns.error !== undefined && text === base.coredns.corefile) {
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
    if (base.coredns.error === message) return false;
    draft.coredns.error = message;
    recordEvent(draft, cm!, 'Warning', 'ReloadFailed', `${e.message} (CoreDNS keeps serving the previous Corefile)`, 'coredns');
    return true;
  }
  draft.coredns = { corefile: text };
  return true;
}
