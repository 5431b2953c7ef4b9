// Go's strconv.Atoi and time.ParseDuration, with Go's error texts: plugins return those errors
// unwrapped, so they are what a crash-looping CoreDNS pod logs.

/** strconv.Atoi: the number, or Go's error text. */
export function atoi(s: string): number | string {
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    if (Math.abs(n) <= 2 ** 63) return n;
    return `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`;
  }
  return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
}

/** time.ParseDuration, returning milliseconds or Go's error text. */
export function parseGoDuration(s: string): number | string {
  const orig = s;
  const bad = `time: invalid duration ${JSON.stringify(orig)}`;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return bad;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  while (s.length > 0) {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) return bad;
    s = s.slice(m[0].length);
    const u = /^[^\d.]+/.exec(s);
    if (!u) return `time: missing unit in duration ${JSON.stringify(orig)}`;
    const mult = units[u[0]];
    if (mult === undefined) return `time: unknown unit ${JSON.stringify(u[0])} in duration ${JSON.stringify(orig)}`;
    total += Number(`${m[1] || '0'}.${m[2] ?? '0'}`) * mult;
    s = s.slice(u[0].length);
  }
  return sign * total;
}
