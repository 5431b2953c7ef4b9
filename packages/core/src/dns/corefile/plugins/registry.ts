// Which setup validates which directive: the thirteen modelled plugins by name, anything else
// CoreDNS knows through the unmodelled pass-through.

import { setupCache } from './cache.js';
import { setupErrors } from './errors.js';
import { setupForward } from './forward.js';
import { setupHealth } from './health.js';
import { setupHosts } from './hosts.js';
import { setupKubernetes } from './kubernetes.js';
import { setupLoadbalance } from './loadbalance.js';
import { setupLog } from './log.js';
import { setupLoop } from './loop.js';
import { setupPrometheus } from './prometheus.js';
import { setupReady } from './ready.js';
import { setupReload } from './reload.js';
import { setupRewrite } from './rewrite.js';
import type { Setup } from './setup.js';
import { setupUnmodelled } from './unmodelled.js';

const SETUPS: Record<string, Setup> = {
  errors: setupErrors,
  health: setupHealth,
  ready: setupReady,
  prometheus: setupPrometheus,
  loop: setupLoop,
  reload: setupReload,
  loadbalance: setupLoadbalance,
  log: setupLog,
  kubernetes: setupKubernetes,
  forward: setupForward,
  cache: setupCache,
  hosts: setupHosts,
  rewrite: setupRewrite,
};

/** The setup CoreDNS would run for a directive (one of MODELLED_PLUGINS, or the pass-through). */
export function setupFor(directive: string): Setup {
  return SETUPS[directive] ?? setupUnmodelled;
}
