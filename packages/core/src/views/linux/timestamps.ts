// The runtime's timestamps (RuntimeContainer.created: ISO-8601 text) as docker ps and crictl ps
// read them.

/** Parse an ISO-8601 timestamp to epoch milliseconds; an unparsable one counts as `fallback`. */
export function parseTime(s: string, fallback: number): number {
  const t = Date.parse(s);
  return Number.isNaN(t) ? fallback : t;
}
