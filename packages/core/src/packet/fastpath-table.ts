// An open-addressed hash table from a pair of uint32 words to an int32, over one Int32Array:
// the fast path's lookups (VIP:port:proto → service port, pod IP → pod, …) without Map's boxed
// keys. A key wider than 32 bits is split by the caller into two words (address, port·2+proto),
// never folded into a double or a BigInt.
//
// Layout: slot i is four int32 words at 4i — [used, k1, k2, value] — so a probe reads one
// 16-byte record and a cache line holds four. Linear probing, power-of-two capacity, load ≤ 0.5
// (a miss ends within a couple of slots); deletion shifts the following run back instead of
// leaving tombstones, so lookups never slow down as entries come and go.

/** What `get` answers for a key that is not in the table (so it cannot be stored as a value). */
export const ABSENT = -1;

const STRIDE = 4;
const USED = 0;
const K1 = 1;
const K2 = 2;
const VALUE = 3;

/** The home slot of a key: both words mixed (Murmur3's finaliser), masked to the capacity. */
function home(k1: number, k2: number, mask: number): number {
  let h = Math.imul(k1 ^ Math.imul(k2, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & mask;
}

export class FastpathTable {
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  /** `expected`: how many entries to size for without growing. */
  constructor(expected = 4) {
    let cap = 8;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap * STRIDE);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The value stored for (k1, k2), or ABSENT. */
  get(k1: number, k2: number): number {
    const s = this.slots;
    const mask = this.mask;
    k1 |= 0;
    k2 |= 0;
    let i = home(k1, k2, mask);
    for (;;) {
      const at = i * STRIDE;
      if (s[at + USED] === 0) return ABSENT;
      if (s[at + K1] === k1 && s[at + K2] === k2) return s[at + VALUE]!;
      i = (i + 1) & mask;
    }
  }

  has(k1: number, k2: number): boolean {
    return this.get(k1, k2) !== ABSENT;
  }

  /** Store `value` (an int32 other than ABSENT) for (k1, k2). */
  set(k1: number, k2: number, value: number): void {
    if (value === ABSENT || value !== (value | 0)) throw new RangeError(`FastpathTable: value ${value} is not a storable int32`);
    if ((this.count + 1) * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
    const s = this.slots;
    const mask = this.mask;
    k1 |= 0;
    k2 |= 0;
    let i = home(k1, k2, mask);
    for (;;) {
      const at = i * STRIDE;
      if (s[at + USED] === 0) {
        s[at + USED] = 1;
        s[at + K1] = k1;
        s[at + K2] = k2;
        s[at + VALUE] = value;
        this.count++;
        return;
      }
      if (s[at + K1] === k1 && s[at + K2] === k2) {
        s[at + VALUE] = value;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Remove (k1, k2); returns whether it was there. */
  delete(k1: number, k2: number): boolean {
    const s = this.slots;
    const mask = this.mask;
    k1 |= 0;
    k2 |= 0;
    let i = home(k1, k2, mask);
    for (;;) {
      const at = i * STRIDE;
      if (s[at + USED] === 0) return false;
      if (s[at + K1] === k1 && s[at + K2] === k2) break;
      i = (i + 1) & mask;
    }
    // Backward shift: move later entries of the run into the hole when their home slot does not
    // lie (cyclically) between the hole and where they sit, so every probe still finds them.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const at = j * STRIDE;
      if (s[at + USED] === 0) break;
      const h = home(s[at + K1]!, s[at + K2]!, mask);
      const stays = hole <= j ? hole < h && h <= j : hole < h || h <= j;
      if (stays) continue;
      s.copyWithin(hole * STRIDE, at, at + STRIDE);
      hole = j;
    }
    s.fill(0, hole * STRIDE, hole * STRIDE + STRIDE);
    this.count--;
    return true;
  }

  /** Every entry, in slot order (for rebuilding and tests, not the hot path). */
  forEach(fn: (k1: number, k2: number, value: number) => void): void {
    const s = this.slots;
    for (let at = 0; at < s.length; at += STRIDE) if (s[at + USED] !== 0) fn(s[at + K1]! >>> 0, s[at + K2]! >>> 0, s[at + VALUE]!);
  }

  private resize(cap: number): void {
    const old = this.slots;
    this.slots = new Int32Array(cap * STRIDE);
    this.mask = cap - 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += STRIDE) if (old[at + USED] !== 0) this.set(old[at + K1]!, old[at + K2]!, old[at + VALUE]!);
  }
}
