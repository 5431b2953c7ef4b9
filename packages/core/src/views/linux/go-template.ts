// A small subset of Go's text/template, enough for `docker inspect --format`: text, actions
// holding a field chain (`.State.Pid`, `.`), and the functions json, index, lower, upper, len,
// print and println, plus the {{- / -}} trim markers. Control structures (if, range, with, …)
// are not supported and say so.
//
// Errors reproduce Go's wording and positions, because users paste them into searches:
//   template: :1:3: executing "" at <.Name>: map has no entry for key "Name"
// The position is the byte offset of the field node: for a chain `.A.B.C` Go reports the
// offset of `.B` (the parser builds the node at the chain's position), so `{{.Container.Spec}}`
// fails "at :1:12". (Go before ~1.10 cut the context to 20 characters plus "..."; current Go
// prints it whole.) docker evaluates against the raw JSON (decoded into interface{} values)
// with missingkey=error when the typed evaluation fails, which is why a missing field reads
// "map has no entry for key". Error texts were checked with Go 1.19's text/template run the way
// docker's fallback runs it, on the JSON this simulator produces.

export class GoTemplateError extends Error {}

type Node = { kind: 'text'; text: string } | { kind: 'action'; fn: string | undefined; args: Arg[] };

type Arg = { kind: 'field'; path: string[]; pos: number; text: string } | { kind: 'dot'; pos: number } | { kind: 'string'; value: string };

/** Field names that are pointers in docker's types (a JSON null prints "<nil>"). */
const NIL_POINTERS = new Set(['IPAMConfig', 'Health', 'Healthcheck', 'Node', 'State']);

const FUNCS = new Set(['json', 'index', 'lower', 'upper', 'len', 'print', 'println']);
const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

function lineCol(src: string, pos: number): string {
  const before = src.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  const line = 1 + (before.match(/\n/g)?.length ?? 0);
  const col = nl === -1 ? pos : pos - (nl + 1);
  return `${line}:${col}`;
}

function lineOf(src: string, pos: number): number {
  return 1 + (src.slice(0, pos).match(/\n/g)?.length ?? 0);
}

/** Parse the template; throws GoTemplateError with Go's parse-error text. */
function parse(src: string): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  let trimNextText = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = open === -1 ? src.slice(i) : src.slice(i, open);
    if (trimNextText) text = text.replace(/^\s+/, '');
    trimNextText = false;
    if (open === -1) {
      if (text) nodes.push({ kind: 'text', text });
      break;
    }
    let start = open + 2;
    if (src.startsWith('- ', start) || (src[start] === '-' && /\s/.test(src[start + 1] ?? ''))) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    if (text) nodes.push({ kind: 'text', text });
    const close = src.indexOf('}}', start);
    if (close === -1) throw new GoTemplateError(`template: :${lineOf(src, open)}: unclosed action`);
    let end = close;
    if (/\s-$/.test(src.slice(start, close))) {
      end = close - 1;
      trimNextText = true;
    }
    nodes.push(parseAction(src, start, end));
    i = close + 2;
  }
  return nodes;
}

function parseAction(src: string, start: number, end: number): Node {
  const args: Arg[] = [];
  let fn: string | undefined;
  let i = start;
  const line = lineOf(src, start);
  while (i < end) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < end && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < end) j++;
        value += src[j];
        j++;
      }
      if (j >= end) throw new GoTemplateError(`template: :${line}: unterminated quoted string`);
      args.push({ kind: 'string', value });
      i = j + 1;
      continue;
    }
    if (c === '.') {
      // A chain of fields: lexed as separate items `.A`, `.B`; the node sits at the second.
      const path: string[] = [];
      const starts: number[] = [];
      let j = i;
      while (j < end && src[j] === '.') {
        starts.push(j);
        let k = j + 1;
        while (k < end && /[A-Za-z0-9_]/.test(src[k]!)) k++;
        path.push(src.slice(j + 1, k));
        j = k;
      }
      if (path.length === 1 && path[0] === '') args.push({ kind: 'dot', pos: i });
      else args.push({ kind: 'field', path, pos: starts[path.length > 1 ? 1 : 0]!, text: src.slice(i, j) });
      i = j;
      continue;
    }
    let j = i;
    while (j < end && !/\s/.test(src[j]!)) j++;
    const word = src.slice(i, j);
    if (args.length > 0 || fn !== undefined) {
      throw new GoTemplateError(`template: :${line}: unsupported argument ${JSON.stringify(word)} (simulator)`);
    }
    if (KEYWORDS.has(word)) {
      throw new GoTemplateError(`template: :${line}: "{{${word}}}" is not supported by the simulator`);
    }
    if (!FUNCS.has(word)) throw new GoTemplateError(`template: :${line}: function "${word}" not defined`);
    fn = word;
    i = j;
  }
  if (fn === undefined && args.length === 0) throw new GoTemplateError(`template: :${line}: missing value for command`);
  return { kind: 'action', fn, args };
}

/** Paths (dot-joined) whose values are Go maps in docker's typed structs; others are structs. */
export interface TemplateData {
  value: unknown;
  mapPaths: ReadonlySet<string>;
}

/**
 * Go's fmt %v for the JSON-shaped value at `path`, as the typed evaluation (which docker tries
 * first) prints it: a JSON null is a nil slice ("[]"), a nil map ("map[]") or, for the
 * pointer fields listed in `nilPointers`, "<nil>".
 */
function goString(v: unknown, path: string, mapPaths: ReadonlySet<string>): string {
  if (v === null || v === undefined) {
    const key = path.slice(path.lastIndexOf('.') + 1);
    if (mapPaths.has(path) || key === 'DriverOpts') return 'map[]';
    return NIL_POINTERS.has(key) ? '<nil>' : '[]';
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => goString(x, path, mapPaths)).join(' ')}]`;
  const obj = v as Record<string, unknown>;
  if (mapPaths.has(path)) {
    const keys = Object.keys(obj).sort();
    return `map[${keys.map((k) => `${k}:${goString(obj[k], `${path}.*`, mapPaths)}`).join(' ')}]`;
  }
  return (
    '{' +
    Object.keys(obj)
      .map((k) => goString(obj[k], path ? `${path}.${k}` : k, mapPaths))
      .join(' ') +
    '}'
  );
}

/** Execute the template against the data; throws GoTemplateError with Go's error text. */
export function executeTemplate(src: string, data: TemplateData): string {
  const nodes = parse(src);
  let out = '';

  const evalArg = (a: Arg): { value: unknown; path: string } => {
    if (a.kind === 'string') return { value: a.value, path: '' };
    if (a.kind === 'dot') return { value: data.value, path: '' };
    let cur: unknown = data.value;
    const walked: string[] = [];
    for (const key of a.path) {
      const at = `template: :${lineCol(src, a.pos)}: executing "" at <${a.text}>: `;
      if (cur === null || cur === undefined) throw new GoTemplateError(`${at}nil pointer evaluating interface {}.${key}`);
      if (typeof cur !== 'object' || Array.isArray(cur)) {
        throw new GoTemplateError(`${at}can't evaluate field ${key} in type interface {}`);
      }
      if (!Object.hasOwn(cur, key)) {
        throw new GoTemplateError(`${at}map has no entry for key "${key}"`);
      }
      cur = (cur as Record<string, unknown>)[key];
      walked.push(key);
    }
    return { value: cur, path: walked.join('.') };
  };

  for (const n of nodes) {
    if (n.kind === 'text') {
      out += n.text;
      continue;
    }
    const vals = n.args.map(evalArg);
    const first = vals[0];
    const str = (x: { value: unknown; path: string }) => goString(x.value, x.path, data.mapPaths);
    switch (n.fn) {
      case undefined:
        out += first ? str(first) : '';
        break;
      case 'json':
        // docker's json func: an encoder with HTML escaping off, trailing newline trimmed.
        out += JSON.stringify(first?.value ?? null);
        break;
      case 'index': {
        let cur = first?.value;
        for (const k of vals.slice(1)) {
          const key = String(k.value);
          cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
        }
        // A missing key of a typed map[string]string yields the zero value.
        out += cur === undefined ? '' : goString(cur, '', data.mapPaths);
        break;
      }
      case 'lower':
        out += first ? str(first).toLowerCase() : '';
        break;
      case 'upper':
        out += first ? str(first).toUpperCase() : '';
        break;
      case 'len': {
        const v = first?.value;
        out += String(Array.isArray(v) ? v.length : typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0);
        break;
      }
      case 'print':
        out += vals.map(str).join('');
        break;
      case 'println':
        out += `${vals.map(str).join(' ')}\n`;
        break;
    }
  }
  return out;
}
