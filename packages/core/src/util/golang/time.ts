// Go's time package, as of Go 1.24 (the layouts are the same in every Go 1 release): formatting
// with its layout constants.

/**
 * t.UTC().Format(time.RFC3339Nano) for a time in epoch milliseconds: fractional seconds with
 * trailing zeros trimmed (JS times stop at milliseconds), and "Z" for UTC.
 */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-01T10:00:00.120Z
  const [whole, frac = ''] = iso.slice(0, -1).split('.');
  const trimmed = frac.replace(/0+$/, '');
  return `${whole}${trimmed ? `.${trimmed}` : ''}Z`;
}
