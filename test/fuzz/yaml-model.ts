// YAML documents as a small node model with anchors and aliases, printed as YAML text, and
// go-yaml v2's alias accounting over the same model: kubectl decodes every document with
// go-yaml, which refuses one whose nodes come mostly from alias expansion (CVE-2019-11253):
// `yaml: document contains excessive aliasing`.

export type YNode =
  | { t: 'scalar'; v: string; anchor?: string }
  | { t: 'seq'; items: YNode[]; anchor?: string }
  | { t: 'map'; pairs: [string, YNode][]; anchor?: string }
  | { t: 'alias'; name: string; target: YNode };

export const scalar = (v: string, anchor?: string): YNode => (anchor ? { t: 'scalar', v, anchor } : { t: 'scalar', v });
export const seq = (items: YNode[], anchor?: string): YNode => (anchor ? { t: 'seq', items, anchor } : { t: 'seq', items });
export const map = (pairs: [string, YNode][], anchor?: string): YNode => (anchor ? { t: 'map', pairs, anchor } : { t: 'map', pairs });
export const alias = (target: YNode): YNode => {
  if (target.t === 'alias' || !target.anchor) throw new Error('alias: the target needs an anchor');
  return { t: 'alias', name: target.anchor, target };
};

const key = (k: string) => (/^[A-Za-z_][\w.-]*$/.test(k) ? k : JSON.stringify(k));
const anchorOf = (n: YNode) => (n.t !== 'alias' && n.anchor ? `&${n.anchor} ` : '');

/** One line: `{a: [*x, "y"]}`. */
export function flow(n: YNode): string {
  switch (n.t) {
    case 'alias':
      return `*${n.name}`;
    case 'scalar':
      return `${anchorOf(n)}${n.v}`;
    case 'seq':
      return `${anchorOf(n)}[${n.items.map(flow).join(', ')}]`;
    case 'map':
      return `${anchorOf(n)}{${n.pairs.map(([k, v]) => `${key(k)}: ${flow(v)}`).join(', ')}}`;
  }
}

/** Block style for maps and sequences down to `flowBelow` levels, flow style under them. */
export function block(n: YNode, indent = 0, flowBelow = 3): string {
  const pad = ' '.repeat(indent);
  if (n.t === 'map' && n.pairs.length > 0 && flowBelow > 0 && !n.anchor) {
    return n.pairs
      .map(([k, v]) => {
        if ((v.t === 'map' && v.pairs.length > 0) || (v.t === 'seq' && v.items.length > 0)) {
          if (v.anchor || flowBelow <= 1) return `${pad}${key(k)}: ${flow(v)}`;
          return `${pad}${key(k)}:\n${block(v, indent + 2, flowBelow - 1)}`;
        }
        return `${pad}${key(k)}: ${flow(v)}`;
      })
      .join('\n');
  }
  if (n.t === 'seq' && n.items.length > 0 && flowBelow > 0 && !n.anchor) {
    return n.items.map((v) => `${pad}- ${flow(v)}`).join('\n');
  }
  return `${pad}${flow(n)}`;
}

const RANGE_LOW = 400_000;
const RANGE_HIGH = 4_000_000;

/** go-yaml's allowedAliasRatio. */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= RANGE_LOW) return 0.99;
  if (decodeCount >= RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - RANGE_LOW) / (RANGE_HIGH - RANGE_LOW));
}

/**
 * Whether go-yaml v2 refuses the document (its root node) with "excessive aliasing": the decoder
 * counts every node it unmarshals (mapping keys included) and those reached through an alias,
 * and fails once more than 100 came through aliases, more than 1000 in all, and the share from
 * aliases exceeds allowedAliasRatio. (Merge keys are not modelled.)
 */
export function goYamlRefusesAliasing(root: YNode): boolean {
  let decode = 1; // the document node
  let aliased = 0;
  let depth = 0;
  const count = (): boolean => {
    decode++;
    if (depth > 0) aliased++;
    return aliased > 100 && decode > 1000 && aliased / decode > allowedAliasRatio(decode);
  };
  const visit = (n: YNode): boolean => {
    if (count()) return true;
    if (decode > RANGE_HIGH * 2) return true;
    switch (n.t) {
      case 'alias': {
        depth++;
        const r = visit(n.target);
        depth--;
        return r;
      }
      case 'scalar':
        return false;
      case 'seq':
        return n.items.some(visit);
      case 'map':
        return n.pairs.some(([, v]) => count() || visit(v));
    }
  };
  return visit(root);
}

/** How many nodes the document has once every alias is expanded (capped). */
export function expandedSize(root: YNode, cap = 1e12): number {
  const memo = new Map<YNode, number>();
  const size = (n: YNode): number => {
    const m = memo.get(n);
    if (m !== undefined) return m;
    let s: number;
    switch (n.t) {
      case 'alias':
        s = size(n.target);
        break;
      case 'scalar':
        s = 1;
        break;
      case 'seq':
        s = 1 + n.items.reduce((a, x) => a + size(x), 0);
        break;
      case 'map':
        s = 1 + n.pairs.reduce((a, [, x]) => a + 1 + size(x), 0);
        break;
    }
    s = Math.min(s, cap);
    memo.set(n, s);
    return s;
  };
  return size(root);
}
