// github.com/docker/cli/cli/command/formatter, as of docker/cli v20.10 (the docker of dockershim
// and cri-dockerd clusters): the helpers docker ps's columns use.

/**
 * formatter.Ellipsis for single-width text: at most maxWidth characters, the last of them "…"
 * when the text is cut. (Go measures display width with go-runewidth; for the narrow characters
 * of container commands that is one column per character.)
 */
export function ellipsis(s: string, maxWidth: number): string {
  if (maxWidth <= 0) return '';
  const chars = [...s];
  if (maxWidth === 1) return chars[0] ?? '';
  if (chars.length <= maxWidth) return s;
  return `${chars.slice(0, maxWidth - 1).join('')}…`;
}
