// kubectl's -o jsonpath, for the common forms: `{.status.podIP}`, `{.items[0].metadata.name}`,
// `{.items[*].status.podIP}` (several results joined by a space), literal text between
// expressions, and `{"\n"}`. range/filters are not supported and say so.

export class JsonPathError extends Error {}

type Step = { key: string } | { index: number } | { all: true };

function parsePath(expr: string): Step[] {
  const steps: Step[] = [];
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+|\*)\]|\.\.?(\*)/gy;
  let i = 0;
  if (expr.startsWith('$')) i = 1;
  re.lastIndex = i;
  while (re.lastIndex < expr.length) {
    const at = re.lastIndex;
    const m = re.exec(expr);
    if (!m || m.index !== at)
      throw new JsonPathError(
        `error: error parsing jsonpath {${expr}}, unrecognized character in action: U+${expr.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')} '${expr[at]}'`,
      );
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] === '*' || m[3] === '*') steps.push({ all: true });
    else steps.push({ index: Number(m[2]) });
  }
  return steps;
}

function evaluate(root: unknown, steps: Step[]): unknown[] {
  let current: unknown[] = [root];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if ('key' in s) {
        if (v && typeof v === 'object' && !Array.isArray(v) && s.key in v) next.push((v as Record<string, unknown>)[s.key]);
      } else if ('index' in s) {
        if (!Array.isArray(v)) continue;
        if (s.index >= v.length)
          throw new JsonPathError(
            `error: error executing jsonpath "{.items[${s.index}]}": Error executing template: array index out of bounds: index ${s.index}, length ${v.length}. Printing more information for debugging the template:`,
          );
        next.push(v[s.index]);
      } else if (Array.isArray(v)) next.push(...v);
      else if (v && typeof v === 'object') next.push(...Object.values(v));
    }
    current = next;
  }
  return current;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Render a jsonpath template against an object (kubectl strips one pair of outer quotes). */
export function renderJsonPath(template: string, data: unknown): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = template.indexOf('}', open);
    if (close < 0) throw new JsonPathError(`error: error parsing jsonpath ${template}, unclosed action`);
    const expr = template.slice(open + 1, close).trim();
    if (/^"(.*)"$/.test(expr)) out += JSON.parse(expr) as string;
    else if (/^(range|end|\?)/.test(expr) || expr.includes('?('))
      throw new JsonPathError(`error: jsonpath "${expr}" is not supported by the simulator (only field paths, [N] and [*])`);
    else out += evaluate(data, parsePath(expr)).map(text).join(' ');
    i = close + 1;
  }
  return out;
}
