// Small re-implementations of the Go library behaviour that docker and crictl output depends
// on: docker/go-units HumanDuration, text/tabwriter (as docker/cli and crictl configure it),
// strconv.Quote, docker/cli's formatter.Ellipsis, stringid.TruncateID and time.RFC3339Nano.

/**
 * docker/go-units HumanDuration, for a duration in milliseconds. Thresholds follow the Go code
 * and its test table: seconds and minutes truncate, hours round (1h29m is "About an hour",
 * 1h31m is "2 hours"), days/weeks/months divide the rounded hours, years the unrounded ones.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** Display width of a cell: one column per code point (no East Asian wide characters here). */
function cellWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Go text/tabwriter with AlignLeft and ' ' padding, for rows that all have the same number of
 * cells: every cell but the last is tab-terminated, so it belongs to a column whose width is
 * max(minwidth, widest cell + padding); the last cell is trailing text and is not padded.
 * docker uses (minwidth 10, padding 3), crictl (20, 3).
 */
export function tabwrite(rows: readonly (readonly string[])[], minwidth: number, padding: number): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let i = 0; i < row.length - 1; i++) {
      const w = cellWidth(row[i] ?? '') + padding;
      widths[i] = Math.max(widths[i] ?? minwidth, w, minwidth);
    }
  }
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const cell = row[i] ?? '';
      out += cell;
      if (i < row.length - 1) out += ' '.repeat((widths[i] ?? minwidth) - cellWidth(cell));
    }
    out += '\n';
  }
  return out;
}

/**
 * strconv.Quote for the text that appears in container commands: Go's short escapes, \xNN for
 * other ASCII control bytes and DEL; non-ASCII characters are kept (Go keeps printable ones).
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\x07':
        out += '\\a';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\v':
        out += '\\v';
        break;
      default:
        out += c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
    }
  }
  return `${out}"`;
}

/** docker/cli formatter.Ellipsis for single-width text: keep max-1 characters and add "…". */
export function ellipsis(s: string, maxWidth: number): string {
  if (maxWidth <= 0) return '';
  const chars = [...s];
  if (maxWidth === 1) return chars[0] ?? '';
  if (chars.length <= maxWidth) return s;
  return `${chars.slice(0, maxWidth - 1).join('')}…`;
}

/** moby stringid.TruncateID: drop an "algo:" prefix, keep 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  const bare = colon >= 0 ? id.slice(colon + 1) : id;
  return bare.length > 12 ? bare.slice(0, 12) : bare;
}

/** Go's time.RFC3339Nano in UTC: fractional seconds with trailing zeros trimmed. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-01T10:00:00.120Z
  const [whole, frac = ''] = iso.slice(0, -1).split('.');
  const trimmed = frac.replace(/0+$/, '');
  return `${whole}${trimmed ? `.${trimmed}` : ''}Z`;
}

/** Parse an ISO-8601 timestamp to epoch milliseconds; an unparsable one counts as `fallback`. */
export function parseTime(s: string, fallback: number): number {
  const t = Date.parse(s);
  return Number.isNaN(t) ? fallback : t;
}
