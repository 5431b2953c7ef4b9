// Run-time checks of ClusterOptions (Cluster.create, bootstrapCluster) and of a joining node's
// spec (Cluster.addNode): a zod schema for each option's type and value, then the rules between
// options (the networks must not overlap, node addresses must fit the node network, …), with
// the CIDR math on ../net/cidr.ts. The first problem throws a NetsimInputError naming the field
// (`options.nodes[1].ip`) and the value.
//
// kubeadm's own rules are kept with kubeadm's words where it has them (cmd/kubeadm/app/apis/
// kubeadm/validation: ValidateIPNetFromString, ValidateServiceSubnetSize,
// ValidatePodSubnetNodeMask). kubeadm does not check that the pod and Service networks are
// disjoint, so it has no message for that; the simulator refuses the overlap and says so.

import { z } from 'zod';
import { isDNS1123Subdomain } from '../api/validation.js';
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from '../api/version.js';
import { type AddressRange, type CidrBlock, containsRange, contains, nthAddress, overlaps, parseCidr, tryParseCidr, tryParseRange } from '../net/cidr.js';
import { ipToString, tryParseIPv4 } from '../net/ipv4.js';
import { fieldPath, NetsimInputError, ownEntry, unknownKey, type InputErrorType } from '../packet/request.js';
import { nodeInternalIP } from '../state/queries.js';
import type { ClusterState } from '../state/types.js';
import { defaultConfig, type ClusterOptions, type NodeSpecInput } from './options.js';

/** The oldest Kubernetes release the simulator reproduces; the newest is the default version's minor. */
export const MIN_KUBERNETES_MINOR = 17;
export const MAX_KUBERNETES_MINOR = parseKubernetesVersion(DEFAULT_KUBERNETES_VERSION).minor;

/** The node network's addresses below .10 are the gateway's and the lab host's; nodes start at .10. */
const FIRST_NODE_INDEX = 10;

// kubeadm's constants (cmd/kubeadm/app/constants).
const MIN_ADDRESSES_IN_SERVICE_SUBNET = 10;
const MAX_BITS_FOR_SERVICE_SUBNET = 20;
const MIN_ADDRESSES_IN_POD_SUBNET = 14;
const POD_SUBNET_NODE_MASK_MAX_DIFF = 16;

// ---- the schema: each option's type and value ----

/** A strict object: an unknown key is an error, whose message lists the known ones for the mapping below. */
const KNOWN = 'known-keys:';
function strict<S extends z.ZodRawShape>(shape: S, what: string) {
  return z.strictObject(shape, { error: (iss) => (iss.code === 'unrecognized_keys' ? `${KNOWN}${Object.keys(shape).join(',')}` : `must be ${what}`) });
}

const integer = (lo: number, hi: number, detail = `must be an integer from ${lo} to ${hi}`) =>
  z.number({ error: detail }).int({ error: detail }).min(lo, { error: detail }).max(hi, { error: detail });

const ipv4 = (detail = 'must be an IPv4 address (dotted quad, e.g. "192.168.56.10")') =>
  z.string({ error: detail }).refine((s) => tryParseIPv4(s) !== undefined, { error: detail });

const cidr = () => {
  const detail = 'must be an IPv4 CIDR (a.b.c.d/prefix, e.g. "10.244.0.0/16")';
  return z.string({ error: detail }).refine((s) => tryParseCidr(s) !== undefined, { error: detail });
};

const dnsSubdomain = (what: string) =>
  z.string({ error: `must be ${what} (a DNS-1123 subdomain)` }).superRefine((s, ctx) => {
    const errs = isDNS1123Subdomain(s);
    if (errs.length) ctx.addIssue({ code: 'custom', message: errs.join('; ') });
  });

/** MAJOR.MINOR.PATCH with an optional pre-release and build (semver.org), no leading "v". */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const SUPPORTED_VERSIONS = `the simulator supports Kubernetes 1.${MIN_KUBERNETES_MINOR}.0 to 1.${MAX_KUBERNETES_MINOR}.x`;

const kubernetesVersion = z.string({ error: `must be a semantic version (MAJOR.MINOR.PATCH, e.g. "${DEFAULT_KUBERNETES_VERSION}")` }).superRefine((s, ctx) => {
  const m = SEMVER.exec(s);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `must be a semantic version (MAJOR.MINOR.PATCH, e.g. "${DEFAULT_KUBERNETES_VERSION}")`, abort: true });
    return;
  }
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== 1 || minor < MIN_KUBERNETES_MINOR || minor > MAX_KUBERNETES_MINOR)
    ctx.addIssue({ code: 'custom', message: SUPPORTED_VERSIONS, params: { type: 'Unsupported value' satisfies InputErrorType } });
});

/** RFC 3339 with a time zone, as Kubernetes writes times. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const startTime = z
  .string({ error: 'must be an RFC 3339 time (e.g. "2026-11-25T09:00:00Z")' })
  .refine((s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)), { error: 'must be an RFC 3339 time (e.g. "2026-11-25T09:00:00Z")' });

const nodeSpec = strict(
  {
    name: dnsSubdomain('a node name'),
    role: z.enum(['control-plane', 'worker']).optional(),
    ip: ipv4().optional(),
  },
  'a node { name, role?, ip? }',
);

const NODE_COUNT = 'must be a positive integer (a node count) or a list of nodes { name, role?, ip? }';

const poolEntry = z
  .string({ error: 'must be an IPv4 range (a.b.c.d-e.f.g.h) or CIDR' })
  .refine((s) => poolRange(s) !== undefined, { error: 'must be an IPv4 range (a.b.c.d-e.f.g.h) or CIDR' });

const optionsSchema = strict(
  {
    seed: integer(0, 2 ** 32 - 1),
    kubernetesVersion: kubernetesVersion,
    nodes: z.union([integer(1, Number.MAX_SAFE_INTEGER, NODE_COUNT), z.array(nodeSpec, { error: NODE_COUNT }).min(1, { error: 'must list at least one node' })], {
      error: NODE_COUNT,
    }),
    podCIDR: cidr(),
    nodeCIDRMaskSize: integer(1, 30, "must be an integer from 1 to 30 (a node's pod subnet needs room for cni0's address and a pod)"),
    serviceCIDR: cidr(),
    clusterDomain: dnsSubdomain('a DNS domain'),
    nodeNetwork: cidr().refine((s) => (tryParseCidr(s)?.prefixLen ?? 0) <= 28, { error: 'must be a /28 or larger (nodes take addresses from .10 on)' }),
    nodeGateway: ipv4(),
    cni: z.enum(['flannel', 'canal', 'none']),
    flannelBackend: z.enum(['vxlan', 'host-gw']),
    hairpinMode: z.boolean({ error: 'must be a boolean' }),
    containerRuntime: z.enum(['docker', 'containerd']),
    loadBalancerPool: z.union([z.literal(false), z.array(poolEntry).min(1, { error: 'must list at least one range or CIDR (or be false: no load-balancer provider)' })], {
      error: 'must be a list of IPv4 ranges or CIDRs, or false (no load-balancer provider)',
    }),
    ingressController: z.boolean({ error: 'must be a boolean' }),
    dnsZone: z.record(
      z.string(),
      strict(
        {
          A: z.array(ipv4(), { error: 'must be a list of IPv4 addresses' }).optional(),
          AAAA: z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of IPv6 addresses' }).optional(),
          CNAME: z.string({ error: 'must be a domain name' }).optional(),
          TXT: z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of strings' }).optional(),
        },
        'records { A?, AAAA?, CNAME?, TXT? }',
      ),
      { error: 'must be an object: names → records { A?, AAAA?, CNAME?, TXT? }' },
    ),
    externalHosts: z.array(
      strict(
        {
          ip: ipv4(),
          name: z.string({ error: 'must be a host name' }),
          listens: z.array(strict({ port: integer(1, 65535), protocol: z.enum(['TCP', 'UDP']) }, 'a socket { port, protocol }'), {
            error: 'must be a list of sockets { port, protocol }',
          }),
          replyTtl: integer(1, 255),
        },
        'a host { ip, name, listens, replyTtl }',
      ),
      { error: 'must be a list of hosts { ip, name, listens, replyTtl }' },
    ),
    startTime,
  },
  'an object of cluster options',
).partial();

/** A MetalLB pool entry: "a-b" (first ≤ last) or a CIDR, as the load-balancer controller reads it. */
function poolRange(entry: string): AddressRange | undefined {
  return entry.indexOf('-') > 0 ? tryParseRange(entry) : tryParseCidr(entry);
}

// ---- zod issues → NetsimInputError ----

type Issue = z.core.$ZodIssue;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function pathText(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => fieldPath(acc, typeof key === 'number' ? key : String(key)), root);
}

/** A union's error from the branch the value was meant for: the one that got past the value's type. */
function unionBranch(issue: Extract<Issue, { code: 'invalid_union' }>): Issue | undefined {
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const rootLevel = first.path.length === 0 && (first.code === 'invalid_type' || first.code === 'invalid_value');
    if (!rootLevel) return { ...first, path: [...issue.path, ...first.path] } as Issue;
  }
  return undefined;
}

function issueError(issue: Issue, input: unknown, root: string): NetsimInputError {
  if (issue.code === 'invalid_union') {
    const inner = unionBranch(issue);
    if (inner) return issueError(inner, input, root);
  }
  const value = valueAt(input, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = issue.message.startsWith(KNOWN) ? issue.message.slice(KNOWN.length).split(',') : [];
    return unknownKey(pathText(root, issue.path), key, valueAt(value, [key]), known);
  }
  const field = pathText(root, issue.path);
  if (issue.code === 'invalid_value' && !issue.message.startsWith('must')) {
    return new NetsimInputError(field, value, `supported values: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, 'Unsupported value');
  }
  if (value === undefined && issue.code === 'invalid_type') return new NetsimInputError(field, value, issue.message.replace(/^must be /, ''), 'Required value');
  const type = issue.code === 'custom' ? (issue.params?.type as InputErrorType | undefined) : undefined;
  return new NetsimInputError(field, value, issue.message, type ?? 'Invalid value');
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, root: string): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw issueError(r.error.issues[0]!, input, root);
}

// ---- the rules between options ----

const quote = (s: string) => JSON.stringify(s);

interface Networks {
  nodeNet: CidrBlock;
  gateway: number;
  pool: { ranges: AddressRange[]; text: string[]; given: boolean };
}

/** Whether `ip` can be a node's address: a host address of the node network, not the gateway, not in the pool. */
function nodeAddressProblem(ip: number, net: Networks): string | undefined {
  if (!contains(net.nodeNet, ip)) return `is not inside nodeNetwork ${quote(rangeCidr(net.nodeNet))}`;
  if (ip === net.nodeNet.first) return `is nodeNetwork ${quote(rangeCidr(net.nodeNet))}'s network address`;
  if (ip === net.nodeNet.last) return `is nodeNetwork ${quote(rangeCidr(net.nodeNet))}'s broadcast address`;
  if (ip === net.gateway) return `is the node network's gateway`;
  const i = net.pool.ranges.findIndex((r) => contains(r, ip));
  if (i >= 0) return `is in the MetalLB pool (${quote(net.pool.text[i]!)})`;
  return undefined;
}

function rangeCidr(c: CidrBlock): string {
  return `${ipToString(c.first)}/${c.prefixLen}`;
}

/**
 * How many nodes fit from .10 up before an address that cannot be a node's, counting at most
 * `atMost` (a /16 has room for 65,000: no need to walk it to place 5,000 nodes).
 */
function nodeRoom(net: Networks, atMost = Number.POSITIVE_INFINITY): number {
  let n = 0;
  while (n < atMost && FIRST_NODE_INDEX + n < net.nodeNet.size && nodeAddressProblem(nthAddress(net.nodeNet, FIRST_NODE_INDEX + n), net) === undefined) n++;
  return n;
}

function checkSubnetSizes(opts: ClusterOptions, podCIDR: CidrBlock, serviceCIDR: CidrBlock, maskSize: number): void {
  if (serviceCIDR.size < MIN_ADDRESSES_IN_SERVICE_SUBNET)
    throw new NetsimInputError(
      'options.serviceCIDR',
      opts.serviceCIDR,
      `subnet with ${serviceCIDR.size} address(es) is too small, the minimum is ${MIN_ADDRESSES_IN_SERVICE_SUBNET}`,
    );
  if (32 - serviceCIDR.prefixLen > MAX_BITS_FOR_SERVICE_SUBNET)
    throw new NetsimInputError(
      'options.serviceCIDR',
      opts.serviceCIDR,
      `specified service subnet is too large; for 32-bit addresses, the mask must be >= ${32 - MAX_BITS_FOR_SERVICE_SUBNET}`,
    );
  if (podCIDR.size < MIN_ADDRESSES_IN_POD_SUBNET)
    throw new NetsimInputError('options.podCIDR', opts.podCIDR, `subnet with ${podCIDR.size} address(es) is too small, the minimum is ${MIN_ADDRESSES_IN_POD_SUBNET}`);
  const podMask = podCIDR.prefixLen;
  const onMask = opts.nodeCIDRMaskSize !== undefined;
  const field = onMask ? 'options.nodeCIDRMaskSize' : 'options.podCIDR';
  const value = onMask ? opts.nodeCIDRMaskSize : opts.podCIDR;
  if (podMask > maskSize) {
    const kubeadm = `the size of pod subnet with mask ${podMask} is smaller than the size of node subnet with mask ${maskSize}`;
    throw new NetsimInputError(field, value, onMask ? `must be at least podCIDR's prefix length ${podMask} (kubeadm: "${kubeadm}")` : kubeadm);
  }
  if (maskSize - podMask > POD_SUBNET_NODE_MASK_MAX_DIFF) {
    const kubeadm = `pod subnet mask (${podMask}) and node-mask (${maskSize}) difference is greater than ${POD_SUBNET_NODE_MASK_MAX_DIFF}`;
    throw new NetsimInputError(field, value, onMask ? `must be at most podCIDR's prefix length + ${POD_SUBNET_NODE_MASK_MAX_DIFF} (kubeadm: "${kubeadm}")` : kubeadm);
  }
}

type NetworkKey = 'podCIDR' | 'serviceCIDR' | 'nodeNetwork';

function checkDisjoint(opts: ClusterOptions, blocks: Record<NetworkKey, CidrBlock>, text: Record<NetworkKey, string>): void {
  const pairs: [NetworkKey, NetworkKey][] = [
    ['podCIDR', 'serviceCIDR'],
    ['podCIDR', 'nodeNetwork'],
    ['serviceCIDR', 'nodeNetwork'],
  ];
  for (const [a, b] of pairs) {
    if (!overlaps(blocks[a], blocks[b])) continue;
    // Name the option the caller gave (the later one when both were).
    const [field, other] = opts[b] !== undefined ? [b, a] : [a, b];
    const why =
      a === 'podCIDR' && b === 'serviceCIDR'
        ? 'the pod network and the Service network must not overlap (kubeadm does not check this and has no message for it; the simulator refuses it)'
        : 'the pod, Service and node networks must not overlap';
    throw new NetsimInputError(`options.${field}`, opts[field], `overlaps ${other} ${quote(text[other])}: ${why}`);
  }
  // With docker as the runtime every node also has docker0 on 172.17.0.0/16.
  if ((opts.containerRuntime ?? 'docker') !== 'docker') return;
  for (const key of ['podCIDR', 'serviceCIDR', 'nodeNetwork'] as const) {
    if (overlaps(blocks[key], DOCKER0_NETWORK))
      throw new NetsimInputError(
        `options.${key}`,
        opts[key],
        `overlaps docker0's network "172.17.0.0/16" (the docker runtime's bridge on every node): choose another range, or containerRuntime "containerd"`,
      );
  }
}

const DOCKER0_NETWORK = parseCidr('172.17.0.0/16');

function checkPool(opts: ClusterOptions, net: Networks): void {
  const { nodeNet, gateway, pool } = net;
  pool.ranges.forEach((r, i) => {
    const problem = !containsRange(nodeNet, r)
      ? `inside nodeNetwork ${quote(rangeCidr(nodeNet))}`
      : contains(r, nodeNet.first) || contains(r, nodeNet.last)
        ? `clear of the node network's network and broadcast addresses`
        : contains(r, gateway)
          ? `clear of the gateway ${ipToString(gateway)}`
          : undefined;
    if (!problem) return;
    if (pool.given) throw new NetsimInputError(`options.loadBalancerPool[${i}]`, pool.text[i], `must be ${problem}`);
    // The default pool is the top of the node network (.240-.250 of a /24): a small network has no room for it.
    throw new NetsimInputError(
      'options.nodeNetwork',
      opts.nodeNetwork,
      `too small for the default MetalLB pool (${quote(pool.text[i]!)} here), which must be ${problem}; give loadBalancerPool, or false`,
    );
  });
}

function checkNodes(opts: ClusterOptions, net: Networks): void {
  const nodes = opts.nodes;
  if (nodes === undefined || typeof nodes === 'number') {
    const count = nodes ?? 3;
    if (count > nodeRoom(net, count)) {
      const room = nodeRoom(net);
      const upTo = room > 0 ? ` (${ipToString(nthAddress(net.nodeNet, FIRST_NODE_INDEX))} to ${ipToString(nthAddress(net.nodeNet, FIRST_NODE_INDEX + room - 1))})` : '';
      throw new NetsimInputError(
        nodes === undefined ? 'options.nodeNetwork' : 'options.nodes',
        nodes === undefined ? opts.nodeNetwork : nodes,
        `nodeNetwork ${quote(rangeCidr(net.nodeNet))} has room for ${room} nodes${upTo}, not ${count}`,
      );
    }
    return;
  }
  const names = new Map<string, number>();
  const addresses = new Map<number, number>();
  nodes.forEach((n, i) => {
    const seen = names.get(n.name);
    if (seen !== undefined) throw new NetsimInputError(`options.nodes[${i}].name`, n.name, `options.nodes[${seen}] has the same name`, 'Duplicate value');
    names.set(n.name, i);
    let ip: number;
    if (n.ip !== undefined) {
      ip = tryParseIPv4(n.ip)!;
      const problem = nodeAddressProblem(ip, net);
      if (problem) throw new NetsimInputError(`options.nodes[${i}].ip`, n.ip, problem);
    } else {
      const index = FIRST_NODE_INDEX + i;
      const problem = index < net.nodeNet.size ? nodeAddressProblem(nthAddress(net.nodeNet, index), net) : 'is outside the node network';
      if (problem) {
        const at = index < net.nodeNet.size ? ipToString(nthAddress(net.nodeNet, index)) : `.${index}`;
        throw new NetsimInputError(`options.nodes[${i}]`, n, `its default address ${at} (the node network's .${FIRST_NODE_INDEX} + ${i}) ${problem}: give it an ip`);
      }
      ip = nthAddress(net.nodeNet, index);
    }
    const other = addresses.get(ip);
    if (other !== undefined) {
      const field = n.ip !== undefined ? `options.nodes[${i}].ip` : `options.nodes[${i}]`;
      const otherWhy = nodes[other]!.ip !== undefined ? `options.nodes[${other}].ip` : `options.nodes[${other}]'s default address`;
      throw new NetsimInputError(field, n.ip ?? n, `${ipToString(ip)} is also ${otherWhy}`, 'Duplicate value');
    }
    addresses.set(ip, i);
  });
}

/**
 * Check Cluster.create's / bootstrapCluster's options: each option's type and value, unknown keys
 * (a misspelt option is refused, not ignored), and the rules between them. Throws a
 * NetsimInputError naming the first wrong field (`options.…`).
 */
export function checkClusterOptions(input: unknown): asserts input is ClusterOptions {
  if (input === undefined) return;
  const opts = parseWith(optionsSchema, input, 'options') as ClusterOptions;
  const config = defaultConfig(opts);
  const blocks: Record<NetworkKey, CidrBlock> = { podCIDR: parseCidr(config.podCIDR), serviceCIDR: parseCidr(config.serviceCIDR), nodeNetwork: parseCidr(config.nodeNetwork) };
  checkSubnetSizes(opts, blocks.podCIDR, blocks.serviceCIDR, config.nodeCIDRMaskSize);
  checkDisjoint(opts, blocks, { podCIDR: config.podCIDR, serviceCIDR: config.serviceCIDR, nodeNetwork: config.nodeNetwork });
  const nodeNet = blocks.nodeNetwork;
  const gateway = tryParseIPv4(config.nodeGateway)!;
  if (opts.nodeGateway !== undefined) {
    const problem = !contains(nodeNet, gateway)
      ? `is not inside nodeNetwork ${quote(config.nodeNetwork)}`
      : gateway === nodeNet.first || gateway === nodeNet.last
        ? `is nodeNetwork ${quote(config.nodeNetwork)}'s ${gateway === nodeNet.first ? 'network' : 'broadcast'} address`
        : undefined;
    if (problem) throw new NetsimInputError('options.nodeGateway', opts.nodeGateway, problem);
  }
  const poolText = config.loadBalancer.pool;
  const net: Networks = { nodeNet, gateway, pool: { ranges: poolText.map((e) => poolRange(e)!), text: poolText, given: opts.loadBalancerPool !== undefined } };
  checkPool(opts, net);
  checkNodes(opts, net);
}

/**
 * Check a joining node (Cluster.addNode / joinNode): its name and role, and its address if given
 * (a host address of the node network, not the gateway, not in the MetalLB pool, not another
 * node's). Throws a NetsimInputError naming `spec.…`.
 */
export function checkJoinSpec(state: ClusterState, input: unknown): asserts input is NodeSpecInput {
  const spec = parseWith(nodeSpec, input, 'spec');
  if (ownEntry(state.nodes, spec.name)) throw new NetsimInputError('spec.name', spec.name, `a node named ${quote(spec.name)} already exists`, 'Duplicate value');
  if (spec.ip === undefined) return;
  const nodeNet = parseCidr(state.config.nodeNetwork);
  const pool = state.config.loadBalancer.pool;
  const net: Networks = { nodeNet, gateway: tryParseIPv4(state.config.nodeGateway)!, pool: { ranges: pool.flatMap((e) => poolRange(e) ?? []), text: pool, given: true } };
  const problem = nodeAddressProblem(tryParseIPv4(spec.ip)!, net);
  if (problem) throw new NetsimInputError('spec.ip', spec.ip, problem);
  const owner = state.nodeOrder.find((n) => state.nodes[n] && nodeInternalIP(state.nodes[n]!) === spec.ip);
  if (owner) throw new NetsimInputError('spec.ip', spec.ip, `node ${quote(owner)} has this address`, 'Duplicate value');
}
