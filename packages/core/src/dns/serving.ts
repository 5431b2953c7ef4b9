// What CoreDNS is serving: the Corefile it last loaded (state.coredns, kept by the reload
// controller), parsed once per loaded text. Shared by the packet path, the shell and controllers.

import type { ClusterState } from '../state/types.js';
import { parseCorefile, type Corefile } from './corefile/index.js';

const corefiles = new WeakMap<object, Corefile>();

/** The Corefile CoreDNS is serving: the last one that loaded (a broken edit keeps the old). */
export function servingCorefile(state: ClusterState): Corefile {
  const text = state.coredns.corefile;
  const key = state.coredns;
  const hit = corefiles.get(key);
  if (hit) return hit;
  const cf = parseCorefile(text);
  corefiles.set(key, cf);
  return cf;
}
