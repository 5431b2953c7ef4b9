// Deterministic "randomness": every random-looking value (names, MACs, IDs, tie-breaks) is a
// hash of the cluster seed and what the value is for. Same input, same output, independent of
// the order in which values are drawn, so adding one pod never renames another.

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'; // k8s.io/apimachinery/pkg/util/rand: no vowels, no 0/1/3

/** 32-bit FNV-1a over a string (also what pod-template-hash uses, over different input). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit finaliser (murmur3 fmix) to spread FNV's low-entropy outputs. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of the seed and a purpose path: a stable uint32. */
export function seeded(seed: number, ...parts: (string | number)[]): number {
  return fmix(fnv1a32(`${seed >>> 0}\u0000${parts.join('\u0000')}`));
}

/** A stream of uint32s for one purpose (for values longer than 32 bits). */
export function seededWords(seed: number, count: number, ...parts: (string | number)[]): number[] {
  // Word i is seeded(seed, ...parts, `#${i}`): the common prefix is hashed once.
  let h0 = 0x811c9dc5;
  const prefix = `${seed >>> 0}\u0000${parts.map((p) => `${p}\u0000`).join('')}#`;
  for (let i = 0; i < prefix.length; i++) {
    h0 ^= prefix.charCodeAt(i);
    h0 = Math.imul(h0, 0x01000193);
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const tail = String(i);
    let h = h0;
    for (let j = 0; j < tail.length; j++) {
      h ^= tail.charCodeAt(j);
      h = Math.imul(h, 0x01000193);
    }
    out.push(fmix(h >>> 0));
  }
  return out;
}

/** Lowercase hex string of `chars` characters. */
export function seededHex(seed: number, chars: number, ...parts: (string | number)[]): string {
  const words = seededWords(seed, Math.ceil(chars / 8), ...parts);
  return words
    .map((w) => w.toString(16).padStart(8, '0'))
    .join('')
    .slice(0, chars);
}

/** A random locally administered unicast MAC, as the kernel (eth_random_addr) makes them. */
export function seededMac(seed: number, ...parts: (string | number)[]): string {
  const [a = 0, b = 0] = seededWords(seed, 2, 'mac', ...parts);
  const bytes = [a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff, b >>> 24, (b >>> 16) & 0xff];
  bytes[0] = ((bytes[0] ?? 0) & 0xfe) | 0x02;
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** RFC 4122 version-4 shaped UUID. */
export function seededUuid(seed: number, ...parts: (string | number)[]): string {
  const h = seededHex(seed, 32, 'uuid', ...parts).split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16] ?? '0', 16) & 3] ?? '8';
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** utilrand.String(n): n characters from the vowel-free alphabet (generateName suffixes). */
export function seededSuffix(seed: number, n: number, ...parts: (string | number)[]): string {
  const words = seededWords(seed, n, 'suffix', ...parts);
  return words.map((w) => ALPHANUMS[w % ALPHANUMS.length]).join('');
}

/** rand.SafeEncodeString: maps each character to the vowel-free alphabet (pod-template-hash). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}
