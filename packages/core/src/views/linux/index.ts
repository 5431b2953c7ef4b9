// Public entry of the Linux tool views: each function renders dataplane or runtime state as the
// real tool prints it, returning stdout, or throws ToolError (stderr + exit status) where the
// tool would fail.

export {
  /** Failure of a tool: `stderr` text and `exitCode`. */
  ToolError,
} from './errors.js';

export type { IpAddrOptions, IpLinkOptions, IpNeighOptions, IpRouteOptions } from './ip.js';
export {
  /** `ip addr` / `ip addr show dev X` / `ip -br addr` (iproute2 6.1). */
  ipAddr,
  /** `ip link` / `ip link show X` / `ip -d link` / `ip -br link`. */
  ipLink,
  /** `ip route` / `ip route show table local|all`. */
  ipRoute,
  /** `ip route get <dst>`. */
  ipRouteGet,
  /** `ip neigh` / `ip neigh show dev X`. */
  ipNeigh,
  /** `bridge fdb show`. */
  bridgeFdb,
} from './ip.js';

export type { IfconfigOptions } from './ifconfig.js';
export {
  /** `ifconfig` / `ifconfig -a` / `ifconfig <dev>` (net-tools 2.10). */
  ifconfig,
  /** The SIOCGIFFLAGS number ifconfig prints for a link. */
  ifconfigFlags,
  /** net-tools' "(1.4 KiB)" byte scaling. */
  netToolsBytes,
  /** net-tools' interface-name ordering. */
  nstrcmp,
  /** <linux/if.h> IFF_* flag values. */
  IFF,
} from './ifconfig.js';

export type { DockerInspectOptions, DockerPsOptions } from './docker.js';
export {
  /** `docker ps` (`-a`, `-q`, `--no-trunc`). */
  dockerPs,
  /** `docker inspect` JSON. */
  dockerInspect,
  /** The object behind `docker inspect` (abridged, docker's field order). */
  dockerInspectObject,
  /** `docker inspect --format '<go template>'`. */
  dockerInspectFormat,
  /** The IMAGE column of `docker ps`. */
  dockerImageColumn,
} from './docker.js';

export type { CrictlPsOptions } from './crictl.js';
export {
  /** `crictl ps`. */
  crictlPs,
} from './crictl.js';

export type { IptablesBackend, IptablesListOptions, IptablesSaveOptions } from './iptables.js';
export {
  /** `iptables-save [-t TABLE]` (1.8.x; nf_tables or legacy table order). */
  iptablesSave,
  /** `iptables [-t TABLE] -L [CHAIN] -n [-v [-x]] [--line-numbers]`. */
  iptablesList,
  /** ctime(3) in UTC, as in iptables-save's `# Generated … on` line. */
  ctime,
} from './iptables.js';

export type { Materialized, MaterializedNetns, MaterializeOptions } from './materialize.js';
export {
  /** The cluster as real network namespaces: setup and teardown scripts (iproute2, iptables-restore). */
  materialize,
} from './materialize.js';

export {
  /** `ipset save`: the sets a node's rules name (Felix's, under canal). */
  ipsetSave,
  /** `ipset list [NAME]`. */
  ipsetList,
} from './ipset.js';
