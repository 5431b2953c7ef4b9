// `docker ps`, `docker inspect` and `docker inspect --format` for the containers the runtime
// (dockerd via dockershim / cri-dockerd) runs for Kubernetes pods.
//
// Layout follows docker/cli: the table is Go's tabwriter with minwidth 10, padding 3; IDs are
// cut to 12 characters; COMMAND is strconv.Quote of the command ellipsized to 20 characters
// ("…" counts as one); CREATED is go-units HumanDuration of now − created (whole seconds, as
// the API's `Created` is a Unix time) + " ago"; STATUS is the daemon's "Up <HumanDuration>".
// Rows are newest first, as the daemon lists them.
//
// Simplifications: every container is running (the model has no exited containers, so -a
// lists the same rows); the start time is taken to be the creation time; the inspect document
// is abridged to the fields people read (see dockerInspectObject).

import { splitObjectKey } from '../../state/store.js';
import type { PodSandbox, RuntimeContainer } from '../../state/node-agent.js';
import { ellipsis } from '../../util/golang/docker-formatter.js';
import { goUnitsHumanDuration } from '../../util/golang/go-units.js';
import { truncateId } from '../../util/golang/stringid.js';
import { quote } from '../../util/golang/strconv.js';
import { tabwrite, type TabWriterOptions } from '../../util/golang/tabwriter.js';
import { rfc3339Nano } from '../../util/golang/time.js';
import { ToolError } from './errors.js';
import { executeTemplate, GoTemplateError } from './go-template.js';
import { parseTime } from './timestamps.js';

/** docker/cli's table formatter: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0). */
const DOCKER_TABWRITER: TabWriterOptions = { minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ' };

export interface DockerPsOptions {
  /** `-a`: also stopped containers (all modelled containers are running). */
  all?: boolean;
  /** `-q`: IDs only. */
  quiet?: boolean;
  /** `--no-trunc`: full IDs, image references and commands. */
  noTrunc?: boolean;
}

// Same-second creations: the later process (higher PID) is the newer container.
function newestFirst(containers: readonly RuntimeContainer[], now: number): RuntimeContainer[] {
  return [...containers].sort((a, b) => parseTime(b.created, now) - parseTime(a.created, now) || b.pid - a.pid);
}

/**
 * The IMAGE column (docker/cli ContainerContext.Image): a container created from an image ID
 * (as dockershim creates app containers: kubelet passes the resolved "sha256:…" ID) shows the
 * short ID; a reference shows in its familiar form (docker.io/library/ dropped, digest dropped
 * but tag kept).
 */
export function dockerImageColumn(c: RuntimeContainer, noTrunc = false): string {
  if (c.image === '') return '<no image>';
  if (noTrunc) return c.image;
  if (truncateId(c.imageId) === truncateId(c.image)) return truncateId(c.image);
  return familiarImage(c.image);
}

/** distribution/reference FamiliarString of a normalized reference, digest stripped. */
function familiarImage(ref: string): string {
  let s = ref;
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  if (s.startsWith('docker.io/library/')) s = s.slice('docker.io/library/'.length);
  else if (s.startsWith('docker.io/')) s = s.slice('docker.io/'.length);
  else if (s.startsWith('index.docker.io/library/')) s = s.slice('index.docker.io/library/'.length);
  return s;
}

/** `docker ps` (`-a`, `-q`, `--no-trunc`) at simulated time `now` (epoch ms). */
export function dockerPs(containers: readonly RuntimeContainer[], now: number, opts: DockerPsOptions = {}): string {
  const list = newestFirst(containers, now);
  if (opts.quiet) return list.map((c) => `${opts.noTrunc ? c.id : truncateId(c.id)}\n`).join('');
  const rows: string[][] = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']];
  for (const c of list) {
    const created = parseTime(c.created, now);
    const createdSecond = Math.floor(created / 1000) * 1000;
    rows.push([
      opts.noTrunc ? c.id : truncateId(c.id),
      dockerImageColumn(c, opts.noTrunc),
      quote(opts.noTrunc ? c.command : ellipsis(c.command, 20)),
      `${goUnitsHumanDuration(now - createdSecond)} ago`,
      `Up ${goUnitsHumanDuration(now - created)}`,
      '', // Kubernetes containers publish no docker ports (hostPort is done by CNI portmap)
      c.name.replace(/^\//, ''),
    ]);
  }
  return tabwrite(rows.map((row) => `${row.join('\t')}\n`).join(''), DOCKER_TABWRITER);
}

// ---------------------------------------------------------------------------------------------
// docker inspect

export interface DockerInspectOptions {
  /**
   * The pod sandbox the container belongs to: gives app containers their
   * `container:<sandbox id>` namespaces and the pause container its network mode (`none` under
   * CNI, `host` for hostNetwork pods). Without it an app container's network mode is "default".
   */
  sandbox?: PodSandbox;
  /** The node's sandboxes, searched for the one holding the container (instead of `sandbox`). */
  sandboxes?: readonly PodSandbox[];
}

function sandboxOf(c: RuntimeContainer, opts: DockerInspectOptions): PodSandbox | undefined {
  return opts.sandbox ?? opts.sandboxes?.find((s) => s.sandboxId === c.id || s.containers.some((x) => x.id === c.id));
}

/** A deterministic 64-hex-digit id derived from a seed (for ids the model does not keep). */
function hexId(seed: string): string {
  let out = '';
  let h = 0x811c9dc5;
  for (let round = 0; out.length < 64; round++) {
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

/** Split a docker command line back into Path and Args (docker quotes args holding spaces in ''). */
function splitCommand(command: string): [string, string[]] {
  const words: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) words.push(m[1] ?? m[2] ?? '');
  return [words[0] ?? '', words.slice(1)];
}

/** Paths of Go map-typed fields in docker's ContainerJSON (they print as map[k:v …]). */
const MAP_PATHS: ReadonlySet<string> = new Set([
  'Config.Labels',
  'Config.Volumes',
  'Config.ExposedPorts',
  'NetworkSettings.Ports',
  'NetworkSettings.Networks',
  'HostConfig.PortBindings',
  'HostConfig.LogConfig.Config',
]);

function isContainerList(x: RuntimeContainer | readonly RuntimeContainer[]): x is readonly RuntimeContainer[] {
  return Array.isArray(x);
}

function podParts(c: RuntimeContainer): { namespace: string; name: string } {
  return splitObjectKey(c.pod);
}

/**
 * The document `docker inspect` prints for one container, abridged but in docker's field order
 * and shapes (Go struct order; maps with sorted keys). Labels are the ones dockershim sets.
 * Omitted: GraphDriver, Mounts' entries, most HostConfig resource fields, Env beyond PATH.
 */
export function dockerInspectObject(c: RuntimeContainer, opts: DockerInspectOptions = {}): Record<string, unknown> {
  const isSandbox = c.container === 'POD';
  const sandbox = sandboxOf(c, opts);
  const sandboxId = isSandbox ? c.id : sandbox?.sandboxId;
  const hostNetwork = sandbox !== undefined && sandbox.network === undefined;
  const { namespace, name: podName } = podParts(c);
  const created = rfc3339Nano(parseTime(c.created, 0));
  const [path, args] = splitCommand(c.command);
  const attempt = /_(\d+)$/.exec(c.name)?.[1] ?? '0';
  const filesOf = sandboxId ?? c.id;

  const labels: Record<string, string> = isSandbox
    ? {
        'io.kubernetes.container.name': 'POD',
        'io.kubernetes.docker.type': 'podsandbox',
        'io.kubernetes.pod.name': podName,
        'io.kubernetes.pod.namespace': namespace,
        'io.kubernetes.pod.uid': c.podUid,
      }
    : {
        'annotation.io.kubernetes.container.restartCount': attempt,
        'io.kubernetes.container.logpath': `/var/log/pods/${namespace}_${podName}_${c.podUid}/${c.container}/${attempt}.log`,
        'io.kubernetes.container.name': c.container,
        'io.kubernetes.docker.type': 'container',
        'io.kubernetes.pod.name': podName,
        'io.kubernetes.pod.namespace': namespace,
        'io.kubernetes.pod.uid': c.podUid,
        ...(sandboxId !== undefined ? { 'io.kubernetes.sandbox.id': sandboxId } : {}),
      };
  const sortedLabels = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

  // dockershim: the sandbox gets "none" under CNI (the plugin wires its netns) or "host";
  // containers join the sandbox's network and IPC namespaces.
  const networkMode = isSandbox ? (hostNetwork ? 'host' : 'none') : sandboxId ? `container:${sandboxId}` : 'default';
  const ipcMode = isSandbox ? 'shareable' : sandboxId ? `container:${sandboxId}` : 'private';

  const emptyEndpoint = (network: string) => ({
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    NetworkID: hexId(`network/${network}`),
    EndpointID: hexId(`endpoint/${c.id}`),
    Gateway: '',
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    MacAddress: '',
    DriverOpts: null,
  });
  const networkName = hostNetwork ? 'host' : 'none';

  return {
    Id: c.id,
    Created: created,
    Path: path,
    Args: args,
    State: {
      Status: 'running',
      Running: true,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: c.pid,
      ExitCode: 0,
      Error: '',
      StartedAt: created,
      FinishedAt: '0001-01-01T00:00:00Z',
    },
    Image: c.imageId,
    ResolvConfPath: `/var/lib/docker/containers/${filesOf}/resolv.conf`,
    HostnamePath: `/var/lib/docker/containers/${filesOf}/hostname`,
    HostsPath: `/var/lib/docker/containers/${filesOf}/hosts`,
    LogPath: `/var/lib/docker/containers/${c.id}/${c.id}-json.log`,
    Name: `/${c.name.replace(/^\//, '')}`,
    RestartCount: 0,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: 'docker-default',
    ExecIDs: null,
    HostConfig: {
      Binds: null,
      ContainerIDFile: '',
      LogConfig: { Type: 'json-file', Config: { 'max-size': '100m' } },
      NetworkMode: networkMode,
      PortBindings: {},
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: false,
      IpcMode: ipcMode,
      Cgroup: '',
      OomScoreAdj: isSandbox ? -998 : 1000,
      PidMode: '',
      Privileged: false,
      PublishAllPorts: false,
      ReadonlyRootfs: false,
      SecurityOpt: ['seccomp=unconfined'],
      UTSMode: hostNetwork && !isSandbox ? 'host' : '',
      UsernsMode: '',
      ShmSize: 67108864,
      Runtime: 'runc',
      CgroupParent: `/kubepods/besteffort/pod${c.podUid}`,
    },
    Mounts: [],
    Config: {
      Hostname: podName,
      Domainname: '',
      User: '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: null,
      Image: c.image,
      Volumes: null,
      WorkingDir: '',
      Entrypoint: [path, ...args],
      OnBuild: null,
      Labels: sortedLabels,
    },
    NetworkSettings: {
      Bridge: '',
      SandboxID: isSandbox ? hexId(`sandbox/${c.id}`) : '',
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      Ports: {},
      SandboxKey: isSandbox ? (hostNetwork ? '/var/run/docker/netns/default' : `/var/run/docker/netns/${hexId(`sandbox/${c.id}`).slice(0, 12)}`) : '',
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      EndpointID: '',
      Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      // Empty for Kubernetes containers: the pod IP belongs to CNI, not to a docker network.
      IPAddress: '',
      IPPrefixLen: 0,
      IPv6Gateway: '',
      MacAddress: '',
      Networks: isSandbox ? { [networkName]: emptyEndpoint(networkName) } : {},
    },
  };
}

/**
 * `docker inspect <container>…`: the JSON array, indented with four spaces like docker (the
 * daemon's JSON re-indented by the CLI, so no HTML escaping). A `now` argument is accepted for
 * symmetry with dockerPs and ignored: inspect prints absolute times only.
 */
export function dockerInspect(containers: RuntimeContainer | readonly RuntimeContainer[], opts?: DockerInspectOptions): string;
export function dockerInspect(containers: RuntimeContainer | readonly RuntimeContainer[], now: number, opts?: DockerInspectOptions): string;
export function dockerInspect(containers: RuntimeContainer | readonly RuntimeContainer[], nowOrOpts?: number | DockerInspectOptions, maybeOpts?: DockerInspectOptions): string {
  const opts = (typeof nowOrOpts === 'number' ? maybeOpts : nowOrOpts) ?? {};
  const list: readonly RuntimeContainer[] = isContainerList(containers) ? containers : [containers];
  if (list.length === 0) return '[]\n';
  return `${JSON.stringify(
    list.map((c) => dockerInspectObject(c, opts)),
    null,
    4,
  )}\n`;
}

/**
 * `docker inspect --format '<template>' <container>`: stdout with docker's trailing newline.
 * Fields absent from the inspect document and bad templates throw ToolError carrying docker's
 * message, e.g. `template parsing error: template: :1:2: executing "" at <.Foo>: map has no
 * entry for key "Foo"` (exit status 1).
 */
export function dockerInspectFormat(container: RuntimeContainer, format: string, opts: DockerInspectOptions = {}): string {
  try {
    return `${executeTemplate(format, { value: dockerInspectObject(container, opts), mapPaths: MAP_PATHS })}\n`;
  } catch (e) {
    if (e instanceof GoTemplateError) throw new ToolError(`template parsing error: ${e.message}`, 1);
    throw e;
  }
}
