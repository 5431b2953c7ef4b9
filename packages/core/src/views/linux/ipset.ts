// `ipset save` and `ipset list` (ipset v7.17) for the sets a node's ruleset names: Felix's
// selector sets (hash:net) and named-port sets (hash:ip,port), created as Felix creates them
// (family inet, maxelem 1048576). Verified against the real tool by restoring `save` and reading
// it back (test/ipset.test.ts). Simplified: members are listed in address order (the kernel lists
// them in hash order), `Size in memory` is an estimate, and initval is drawn from the seed.

import { ipPortOfKey, type IpSet, type Ruleset } from '../../net/netfilter.js';
import { ipToString } from '../../net/ipv4.js';
import { seeded } from '../../util/seeded.js';
import { ToolError } from './errors.js';

const VERSION = '7.17';

function members(set: IpSet): string[] {
  if (set.type === 'hash:ip,port') {
    return [...set.ipPorts]
      .sort((a, b) => a - b)
      .map((k) => {
        const m = ipPortOfKey(k);
        return `${ipToString(m.ip)},${m.proto}:${m.port}`;
      });
  }
  const nets = set.nets.map((n) => ({ ip: n.ip, text: `${ipToString(n.ip)}/${n.prefixLen}` }));
  const ips = [...set.addresses].map((ip) => ({ ip, text: ipToString(ip) }));
  return [...nets, ...ips].sort((a, b) => a.ip - b.ip).map((m) => m.text);
}

function header(set: IpSet, seed: number): string {
  const initval = `0x${seeded(seed, 'ipset-initval', set.name).toString(16).padStart(8, '0')}`;
  return `family inet hashsize 1024 maxelem 1048576 bucketsize 12 initval ${initval}`;
}

function sets(ruleset: Ruleset): IpSet[] {
  return [...(ruleset.ipsets?.values() ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `ipset save`: create and add lines, one set after another. */
export function ipsetSave(ruleset: Ruleset, seed: number): string {
  const out: string[] = [];
  for (const s of sets(ruleset)) {
    out.push(`create ${s.name} ${s.type} ${header(s, seed)}`);
    for (const m of members(s)) out.push(`add ${s.name} ${m}`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** How many rules of the ruleset name the set (`References:`). */
function references(ruleset: Ruleset, name: string): number {
  let n = 0;
  for (const t of ruleset.tables) for (const c of t.chains) for (const r of c.rules) for (const m of r.matches) if (m.m === 'set' && m.set === name) n++;
  return n;
}

/** `ipset list [NAME]`; an unknown NAME is ipset's own error (exit 1). */
export function ipsetList(ruleset: Ruleset, seed: number, name?: string): string {
  const all = sets(ruleset);
  const chosen = name === undefined ? all : all.filter((s) => s.name === name);
  if (name !== undefined && chosen.length === 0) throw new ToolError(`ipset v${VERSION}: The set with the given name does not exist`, 1);
  return chosen
    .map((s) => {
      const m = members(s);
      const size = (s.type === 'hash:net' ? 456 : 200) + m.length * (s.type === 'hash:net' ? 48 : 64);
      return [
        `Name: ${s.name}`,
        `Type: ${s.type}`,
        'Revision: 7',
        `Header: ${header(s, seed)}`,
        `Size in memory: ${size}`,
        `References: ${references(ruleset, s.name)}`,
        `Number of entries: ${m.length}`,
        'Members:',
        ...m,
      ].join('\n');
    })
    .map((block) => `${block}\n`)
    .join('\n');
}
