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

/**
 * seeded() fed one part at a time, for hot paths that would otherwise build the key string:
 * seededEnd(seededPart(seededPart(seededBegin(seed), a), b)) === seeded(seed, a, b).
 */
export function seededBegin(seed: number): number {
  return fnvFrom(0x811c9dc5, String(seed >>> 0));
}

/** The state after a `\0` separator and the part's text (as `${part}` gives it). */
export function seededPart(h: number, part: string | number): number {
  return fnvFrom(Math.imul(h, 0x01000193), typeof part === 'string' ? part : String(part));
}

/** The value seeded() returns for the parts fed so far. */
export function seededEnd(h: number): number {
  return fmix(h >>> 0);
}

/** Hash of the seed and a purpose path: a stable uint32. */
export function seeded(seed: number, ...parts: (string | number)[]): number {
  return fmix(fnv1a32(`${seed >>> 0}\u0000${parts.join('\u0000')}`));
}

/** FNV-1a state after `text`, from `h`. */
function fnvFrom(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** FNV-1a state after `${seed}\0${part}\0…#` (the prefix every word of a stream shares). */
function streamPrefix(seed: number, parts: readonly (string | number)[]): number {
  let h = fnvFrom(0x811c9dc5, String(seed >>> 0));
  h = Math.imul(h ^ 0, 0x01000193);
  for (let k = 0; k < parts.length; k++) {
    h = fnvFrom(h, String(parts[k]));
    h = Math.imul(h ^ 0, 0x01000193);
  }
  return Math.imul(h ^ 0x23, 0x01000193); // '#'
}

/** Word i of the stream whose prefix hashed to h0: fmix(FNV-1a(prefix + String(i))). */
function streamWord(h0: number, i: number): number {
  return fmix(fnvFrom(h0, String(i)) >>> 0);
}

/** A stream of uint32s for one purpose (for values longer than 32 bits). */
export function seededWords(seed: number, count: number, ...parts: (string | number)[]): number[] {
  // Word i is seeded(seed, ...parts, `#${i}`): the common prefix is hashed once.
  const h0 = streamPrefix(seed, parts);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(streamWord(h0, i));
  return out;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** A word as 8 lowercase hex digits. */
function hex8(w: number): string {
  return BYTE_HEX[w >>> 24]! + BYTE_HEX[(w >>> 16) & 0xff]! + BYTE_HEX[(w >>> 8) & 0xff]! + BYTE_HEX[w & 0xff]!;
}

/** Lowercase hex string of `chars` characters. */
export function seededHex(seed: number, chars: number, ...parts: (string | number)[]): string {
  const h0 = streamPrefix(seed, parts);
  let out = '';
  for (let i = 0; out.length < chars; i++) out += hex8(streamWord(h0, i));
  return out.length === chars ? out : out.slice(0, chars);
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
  const h = seededHex(seed, 32, 'uuid', ...parts);
  // Version nibble 4; variant: the 17th digit's low two bits over 8, 9, a or b.
  const variant = '89ab'[parseInt(h[16]!, 16) & 3]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
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
