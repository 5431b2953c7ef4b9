// An open-addressed hash table from a pair of uint32 words to an int32 value (and a second int32,
// `aux`), over one Int32Array: the fast path's lookups (VIP:port:proto → service port, pod IP →
// pod, …) without Map's boxed keys. A key wider than 32 bits is split by the caller into two
// words (address, port·2+proto), never folded into a double or a BigInt.
//
// Layout: slot i is four int32 words at 4i — [k1, k2, value, aux], empty when value is ABSENT —
// so a probe reads one 16-byte record and a cache line holds four. `aux` lets a caller keep what
// it needs first next to the key (the fast path: a service port's flags and endpoint count), so
// a hit costs no further cache line. Linear probing, power-of-two capacity, load ≤ 0.5 (a miss
// ends within a couple of slots); deletion shifts the following run back instead of leaving
// tombstones, so lookups never slow down as entries come and go.

/** What `get` answers for a key that is not in the table (so it cannot be stored as a value). */
export const ABSENT = -1;

const STRIDE = 4;
const K1 = 0;
const K2 = 1;
const VALUE = 2;
const AUX = 3;

/** The home slot of a key: both words mixed (Murmur3's finaliser), masked to the capacity. */
function home(k1: number, k2: number, mask: number): number {
  let h = Math.imul(k1 ^ Math.imul(k2, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & mask;
}

function emptySlots(cap: number): Int32Array {
  return new Int32Array(cap * STRIDE).fill(ABSENT);
}

export class FastpathTable {
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  /** `expected`: how many entries to size for without growing. */
  constructor(expected = 4) {
    let cap = 8;
    while (cap < expected * 2) cap *= 2;
    this.slots = emptySlots(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The slot holding (k1, k2), or the empty slot that ends its probe run (where it would go). */
  private probe(k1: number, k2: number): number {
    const s = this.slots;
    const mask = this.mask;
    let i = home(k1, k2, mask);
    for (;;) {
      const at = i * STRIDE;
      if (s[at + VALUE] === ABSENT || (s[at + K1] === k1 && s[at + K2] === k2)) return at;
      i = (i + 1) & mask;
    }
  }

  /** Where (k1, k2) is stored, for `value`/`aux`; -1 when it is not in the table. */
  find(k1: number, k2: number): number {
    const at = this.probe(k1 | 0, k2 | 0);
    return this.slots[at + VALUE] === ABSENT ? -1 : at;
  }

  /** The value at a position `find` returned. */
  value(at: number): number {
    return this.slots[at + VALUE]!;
  }

  /** The aux word at a position `find` returned. */
  aux(at: number): number {
    return this.slots[at + AUX]!;
  }

  /** The value stored for (k1, k2), or ABSENT. */
  get(k1: number, k2: number): number {
    const at = this.find(k1, k2);
    return at < 0 ? ABSENT : this.slots[at + VALUE]!;
  }

  has(k1: number, k2: number): boolean {
    return this.find(k1, k2) >= 0;
  }

  /** Store `value` (an int32 other than ABSENT) and `aux` (an int32) for (k1, k2). */
  set(k1: number, k2: number, value: number, aux = 0): void {
    if (value === ABSENT || value !== (value | 0)) throw new RangeError(`FastpathTable: value ${value} is not a storable int32`);
    if ((this.count + 1) * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
    k1 |= 0;
    k2 |= 0;
    const s = this.slots;
    const at = this.probe(k1, k2);
    if (s[at + VALUE] === ABSENT) this.count++;
    s[at + K1] = k1;
    s[at + K2] = k2;
    s[at + VALUE] = value;
    s[at + AUX] = aux | 0;
  }

  /** Remove (k1, k2); returns whether it was there. */
  delete(k1: number, k2: number): boolean {
    const at0 = this.find(k1, k2);
    if (at0 < 0) return false;
    const s = this.slots;
    const mask = this.mask;
    // Backward shift: move later entries of the run into the hole when their home slot does not
    // lie (cyclically) between the hole and where they sit, so every probe still finds them.
    let hole = at0 / STRIDE;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      const at = j * STRIDE;
      if (s[at + VALUE] === ABSENT) break;
      const h = home(s[at + K1]!, s[at + K2]!, mask);
      const stays = hole <= j ? hole < h && h <= j : hole < h || h <= j;
      if (stays) continue;
      s.copyWithin(hole * STRIDE, at, at + STRIDE);
      hole = j;
    }
    s.fill(ABSENT, hole * STRIDE, hole * STRIDE + STRIDE);
    this.count--;
    return true;
  }

  /** Every entry, in slot order (for rebuilding and tests, not the hot path). */
  forEach(fn: (k1: number, k2: number, value: number, aux: number) => void): void {
    const s = this.slots;
    for (let at = 0; at < s.length; at += STRIDE) if (s[at + VALUE] !== ABSENT) fn(s[at + K1]! >>> 0, s[at + K2]! >>> 0, s[at + VALUE]!, s[at + AUX]!);
  }

  private resize(cap: number): void {
    const old = this.slots;
    this.slots = emptySlots(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += STRIDE) if (old[at + VALUE] !== ABSENT) this.set(old[at + K1]!, old[at + K2]!, old[at + VALUE]!, old[at + AUX]!);
  }
}
