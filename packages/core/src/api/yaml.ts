// Loads manifest files the way kubectl does: split into documents on `---` lines (each
// document parsed on its own, so error line numbers restart per document), YAML 1.1 scalars
// as go-yaml v2 reads them (yes/no/on/off are booleans, 0755 is octal), lists flattened.
// go-yaml's limits hold too (kubectl's sigs.k8s.io/yaml decodes with go.yaml.in/yaml/v2): a
// document whose aliases expand to most of what is decoded ("billion laughs") is refused with
// `yaml: document contains excessive aliasing` (decode.go allowedAliasRatio), and nesting deeper
// than 10000 flow levels or block indents with `yaml: exceeded max depth of 10000` (scannerc.go
// max_flow_level, max_indents).

import yaml from 'js-yaml';
import { ApiError } from './errors.js';

// go-yaml v2's boolean spellings; keys resolve too (`on:` becomes "true").
const BOOL_TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL_FALSE = /^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const bool11 = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (d: string | null) => d !== null && (BOOL_TRUE.test(d) || BOOL_FALSE.test(d)),
  construct: (d: string) => BOOL_TRUE.test(d),
  predicate: (o: unknown) => typeof o === 'boolean',
});

// go-yaml v2 drops '_' then uses strconv.ParseInt(s, 0, 64): 0x, 0b, 0o and leading-0 octal.
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/;
const int11 = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (d: string | null) => d !== null && GO_INT.test(d.replace(/_/g, '')),
  construct: (d: string) => {
    const s = d.replace(/_/g, '');
    const sign = s.startsWith('-') ? -1 : 1;
    const body = s.replace(/^[-+]/, '');
    if (/^0[xX]/.test(body)) return sign * parseInt(body.slice(2), 16);
    if (/^0[bB]/.test(body)) return sign * parseInt(body.slice(2), 2);
    if (/^0[oO]/.test(body)) return sign * parseInt(body.slice(2), 8);
    if (body.length > 1 && body.startsWith('0')) return sign * parseInt(body.slice(1), 8);
    return sign * parseInt(body, 10);
  },
  predicate: (o: unknown) => typeof o === 'number' && Number.isInteger(o),
});

// `<<: *anchor` merge keys, which go-yaml supports.
const merge = new yaml.Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (d: string | null) => d === '<<' || d === null,
});

// CORE (no timestamps: go-yaml leaves them as strings when decoding into interface{}).
const SCHEMA = yaml.CORE_SCHEMA.extend({ implicit: [bool11, int11, merge] });

/**
 * js-yaml's options (its `maxDepth`, 100 by default, is missing from @types/js-yaml); with
 * `anchors`, each document's anchor table is collected (names for aliasingError's message).
 */
const LOAD_OPTIONS = (filename: string, anchors?: Record<string, unknown>[]): yaml.LoadOptions => {
  const options: yaml.LoadOptions & { maxDepth: number } = { schema: SCHEMA, filename, maxDepth: Number.POSITIVE_INFINITY };
  if (anchors) {
    options.listener = (event, state) => {
      const st = state as yaml.State & { anchorMap?: Record<string, unknown>; anchor?: string | null };
      const table = st.anchorMap;
      if (table && anchors.at(-1) !== table) anchors.push(table);
      // An anchored scalar: its aliases get a box, so they can be told from copies (go-yaml
      // counts each as an alias node plus an aliased scalar); unboxScalarAliases removes them.
      if (event === 'close' && table && st.anchor && (typeof st.result !== 'object' || st.result === null)) table[st.anchor] = new ScalarAlias(st.result);
    };
  }
  return options;
};

interface Chunk {
  text: string;
}

/** k8s.io/apimachinery YAMLReader: a line starting with `---` ends the current document. */
function splitDocuments(text: string, source: string): Chunk[] {
  const chunks: Chunk[] = [];
  let buffer = '';
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  for (const line of lines) {
    if (line.startsWith('---')) {
      const trimmed = line.slice(3).trim();
      if (trimmed.length > 0 && !trimmed.startsWith('#')) {
        throw yamlError(source, `invalid Yaml document separator: ${trimmed}`, false);
      }
      if (buffer.length !== 0) {
        chunks.push({ text: buffer });
        buffer = '';
        continue;
      }
      // With an empty buffer the separator line stays in the document, as upstream.
    }
    buffer += line;
  }
  if (buffer.length !== 0) chunks.push({ text: buffer });
  return chunks;
}

function yamlError(source: string, message: string, converting = true): ApiError {
  const prefix = converting ? 'error converting YAML to JSON: ' : '';
  return new ApiError({
    reason: 'BadRequest',
    origin: 'yaml',
    source,
    message: `error parsing ${source}: ${prefix}${message}`,
  });
}

interface Mark {
  line: number;
  column: number;
}

/** Translates a js-yaml failure into go-yaml v2's wording and line convention. */
function goYamlMessage(reason: string, mark: Mark | undefined, text: string): string {
  const lines = text.split('\n');
  const line0 = mark?.line ?? 0;
  const lineText = lines[line0] ?? '';
  // go-yaml numbers scanner errors from 1 but parser errors from 0, and omits line 0.
  const scanner = (msg: string) => `yaml: ${line0 !== 0 ? `line ${line0 + 1}: ` : ''}${msg}`;
  const parser = (msg: string) => `yaml: ${line0 !== 0 ? `line ${line0}: ` : ''}${msg}`;
  const startsWithDash = /^\s*-(\s|$)/.test(lineText);

  if (reason === 'bad indentation of a mapping entry') {
    const ch = lineText[mark?.column ?? 0];
    if (ch === '@' || ch === '`') return scanner('found character that cannot start any token');
    return startsWithDash ? parser('did not find expected key') : scanner('mapping values are not allowed in this context');
  }
  if (reason.startsWith('tab characters must not be used')) return scanner('found character that cannot start any token');
  if (reason.startsWith('unexpected end of the stream within')) return scanner('found unexpected end of stream');
  if (reason === 'end of the stream or a document separator is expected') {
    return parser(startsWithDash ? 'did not find expected key' : "did not find expected '-' indicator");
  }
  if (reason === 'missed comma between flow collection entries') {
    const before = `${lines.slice(0, line0).join('\n')}\n${lineText.slice(0, mark?.column ?? 0)}`;
    const close = before.lastIndexOf('{') > before.lastIndexOf('[') ? '}' : ']';
    return parser(`did not find expected ',' or '${close}'`);
  }
  if (reason === 'duplicated mapping key') {
    const m = /^\s*("([^"]*)"|'([^']*)'|[^:#]+?)\s*:/.exec(lineText.slice(mark?.column ?? 0));
    const key = m ? (m[2] ?? m[3] ?? m[1]!) : '';
    return `yaml: unmarshal errors:\n  line ${line0 + 1}: key ${JSON.stringify(key)} already set in map`;
  }
  const alias = /^unidentified alias "(.*)"$/.exec(reason);
  if (alias) return `yaml: unknown anchor '${alias[1]}' referenced`;
  return scanner(reason);
}

// go-yaml v2 decode.go: a decode may owe at most this share of its nodes to alias expansion.
const ALIAS_RATIO_RANGE_LOW = 400_000;
const ALIAS_RATIO_RANGE_HIGH = 4_000_000;

/** decode.go allowedAliasRatio: 99% for documents up to 400,000 decodes, down to 10% at 4,000,000. */
export function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW));
}

/**
 * Replays go-yaml's decoder over a loaded document and returns the error it stops with, if any:
 * `document contains excessive aliasing` when aliases make up too much of what is decoded
 * (every node counts — the document node, each key and value, an alias node and then its
 * anchor's node again —, those inside an alias expansion count as aliased, and the check runs as
 * each node is entered), or `anchor 'x' value contains itself` for an alias inside its own
 * anchor's node (js-yaml stores the anchor of a collection as it starts, so the value is cyclic).
 * js-yaml shares an anchored collection between its uses, so a collection met again is an
 * alias; an alias of a scalar is a ScalarAlias box (see LOAD_OPTIONS). The walk
 * stops where go-yaml would (a billion laughs after a few thousand nodes), never does more than
 * go-yaml decodes, and keeps its own stack (no recursion). `anchors`: js-yaml's anchor tables,
 * for the name in the message.
 */
export function aliasingError(doc: unknown, anchors: readonly Record<string, unknown>[] = []): string | undefined {
  let decodeCount = 1; // the document node
  let aliasCount = 0;
  const seen = new Set<object>();
  // Collections being decoded (d.aliases, for the self-reference check).
  const open = new Set<object>();
  const values: unknown[] = [doc];
  const aliased: boolean[] = [false];
  const enter = (inAlias: boolean): boolean => {
    decodeCount++;
    if (inAlias) aliasCount++;
    return aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount);
  };
  while (values.length > 0) {
    const v = values.pop();
    let inAlias = aliased.pop()!;
    if (v === LEAVE) {
      open.delete(values.pop() as object);
      aliased.pop();
      continue;
    }
    if (v instanceof ScalarAlias) {
      // The alias node, then its anchor's scalar, decoded with aliasDepth > 0.
      if (enter(inAlias) || enter(true)) return 'yaml: document contains excessive aliasing';
      continue;
    }
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) {
        // The alias node, then (d.alias) its anchor's node with aliasDepth > 0.
        if (enter(inAlias)) return 'yaml: document contains excessive aliasing';
        if (open.has(v)) {
          const name = anchors.flatMap((m) => Object.keys(m).filter((k) => m[k] === v))[0] ?? '';
          return `yaml: anchor '${name}' value contains itself`;
        }
        inAlias = true;
      } else seen.add(v);
    }
    if (enter(inAlias)) return 'yaml: document contains excessive aliasing';
    if (typeof v !== 'object' || v === null) continue;
    open.add(v);
    values.push(v, LEAVE);
    aliased.push(inAlias, inAlias);
    if (Array.isArray(v)) {
      for (let k = v.length - 1; k >= 0; k--) {
        values.push(v[k]);
        aliased.push(inAlias);
      }
    } else {
      const keys = Object.keys(v);
      for (let k = keys.length - 1; k >= 0; k--) {
        // Key, then value: pushed in reverse.
        values.push((v as Record<string, unknown>)[keys[k]!], keys[k]);
        aliased.push(inAlias, inAlias);
      }
    }
  }
  return undefined;
}

/** What an alias of an anchored scalar loads as, until unboxScalarAliases. */
class ScalarAlias {
  constructor(readonly value: unknown) {}
}

/** Replace every ScalarAlias by its value, in place (shared collections are visited once). */
function unboxScalarAliases(doc: unknown): unknown {
  if (doc instanceof ScalarAlias) return doc.value;
  const seen = new Set<object>();
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const c = o[k];
      if (c instanceof ScalarAlias) o[k] = c.value;
      else stack.push(c);
    }
  }
  return doc;
}

/** Marks, on aliasingError's stack, where a collection's children end. */
const LEAVE = Symbol('leave');

/** scannerc.go max_flow_level and max_indents. */
export const MAX_DEPTH = 10000;

const isBlankz = (text: string, i: number): boolean => i >= text.length || text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r';

/**
 * The line (0-based) where go-yaml's scanner stops with `exceeded max depth of 10000`, or
 * undefined. A reduced scanner: it follows what changes the depth as scannerc.go does — flow
 * collections (`[`, `{`), block entries, keys and simple keys rolling the indentation, dedents
 * unrolling it — and steps over comments, quoted, plain (multi-line) and block scalars. Only run
 * on text that could nest that deep (more `[`/`{` than the limit, or a line longer than it).
 */
export function depthExceededAt(text: string): number | undefined {
  // Either needs more characters than the limit.
  if (text.length <= MAX_DEPTH) return undefined;
  let opens = 0;
  let column = 0;
  let wide = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 10) column = 0;
    else {
      if (++column > MAX_DEPTH) wide = true;
      if (c === 91 || c === 123) opens++;
    }
  }
  if (opens <= MAX_DEPTH && !wide) return undefined;

  const n = text.length;
  let i = 0;
  let line = 0;
  let lineStart = 0;
  let flow = 0;
  const indents: number[] = [];
  let indent = -1;
  let keyAllowed = true;
  // The possible simple key at flow level 0 (go-yaml keeps one per level; only level 0 rolls).
  let keyColumn = -1;
  let keyLine = -1;
  const breakLine = (): void => {
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    i++;
    line++;
    lineStart = i;
  };
  /** roll_indent: true when the indentation stack overflows. */
  const roll = (col: number): boolean => {
    if (flow > 0 || indent >= col) return false;
    indents.push(indent);
    indent = col;
    return indents.length > MAX_DEPTH;
  };
  const saveKey = (col: number): void => {
    if (keyAllowed && flow === 0) {
      keyColumn = col;
      keyLine = line;
    }
  };
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || (c === '\t' && (flow > 0 || !keyAllowed))) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      breakLine();
      if (flow === 0) keyAllowed = true;
      continue;
    }
    const col = i - lineStart;
    if (keyLine !== line) keyColumn = -1; // a simple key does not span lines
    if (flow === 0) while (indent > col) indent = indents.pop()!;
    if (col === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && isBlankz(text, i + 3)) {
      while (indents.length) indent = indents.pop()!;
      keyColumn = -1;
      keyAllowed = false;
      i += 3;
      continue;
    }
    if (col === 0 && c === '%') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '[' || c === '{') {
      saveKey(col);
      if (++flow > MAX_DEPTH) return line;
      keyAllowed = true;
      i++;
      continue;
    }
    if (c === ']' || c === '}') {
      if (flow > 0) flow--;
      keyAllowed = false;
      i++;
      continue;
    }
    if (c === ',') {
      keyAllowed = true;
      i++;
      continue;
    }
    if (c === '-' && isBlankz(text, i + 1)) {
      if (roll(col)) return line;
      keyColumn = -1;
      keyAllowed = true;
      i++;
      continue;
    }
    if ((c === '?' || c === ':') && (flow > 0 || isBlankz(text, i + 1))) {
      if (c === ':' && keyColumn >= 0 && flow === 0) {
        if (roll(keyColumn)) return line;
        keyAllowed = false;
      } else {
        if (roll(col)) return line;
        keyAllowed = flow === 0;
      }
      keyColumn = -1;
      i++;
      continue;
    }
    if (c === '*' || c === '&' || c === '!') {
      saveKey(col);
      keyAllowed = false;
      i++;
      while (!isBlankz(text, i) && !(flow > 0 && ',[]{}'.includes(text[i]!))) i++;
      continue;
    }
    if (flow === 0 && (c === '|' || c === '>')) {
      keyColumn = -1;
      keyAllowed = true;
      // An indentation indicator may stand before or after the chomping one.
      const header = /^[|>](?:[+-]?([1-9])|([1-9])[+-]?)?/.exec(text.slice(i, i + 3));
      const digit = header?.[1] ?? header?.[2];
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      let contentIndent = digit ? Math.max(indent, 0) + Number(digit) : undefined;
      const min = Math.max(indent + 1, 1);
      while (i < n) {
        const start = i;
        breakLine();
        let sp = 0;
        while (text[i + sp] === ' ') sp++;
        const rest = text[i + sp];
        const blank = rest === undefined || rest === '\n' || rest === '\r';
        if (!blank) {
          if (contentIndent === undefined) {
            if (sp < min) {
              i = start;
              line--;
              break;
            }
            contentIndent = sp;
          } else if (sp < contentIndent) {
            i = start;
            line--;
            break;
          }
        }
        while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      }
      // Leave `i` on the line break that ends the scalar's last line.
      lineStart = text.lastIndexOf('\n', i - 1) + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      saveKey(col);
      keyAllowed = false;
      i++;
      while (i < n) {
        const q = text[i]!;
        if (q === '\n' || q === '\r') {
          breakLine();
          continue;
        }
        if (c === '"' && q === '\\') i += 2;
        else if (q === c && !(c === "'" && text[i + 1] === "'")) {
          i++;
          break;
        } else i += c === "'" && q === "'" ? 2 : 1;
      }
      continue;
    }
    // A plain scalar, over continuation lines indented past the current block.
    saveKey(col);
    keyAllowed = false;
    for (;;) {
      while (!isBlankz(text, i)) {
        const p = text[i]!;
        if (p === ':' && (isBlankz(text, i + 1) || flow > 0)) break;
        if (flow > 0 && ',?[]{}'.includes(p)) break;
        i++;
      }
      if (!isBlankz(text, i) || i >= n) break;
      let sawBreak = false;
      while (i < n && isBlankz(text, i)) {
        if (text[i] === '\n' || text[i] === '\r') {
          breakLine();
          sawBreak = true;
        } else i++;
      }
      if (sawBreak) keyAllowed = true;
      if (i >= n || text[i] === '#') break;
      if (flow === 0 && i - lineStart < indent + 1) break;
      if (i - lineStart === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && isBlankz(text, i + 3)) break;
      keyAllowed = false;
    }
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** kubectl flattens `kind: List` (and typed lists such as PodList) into their items. */
function expandLists(doc: unknown, out: unknown[]): void {
  if (isObject(doc) && typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) {
    const itemKind = doc.kind === 'List' ? undefined : doc.kind.slice(0, -'List'.length);
    for (const item of doc.items) {
      if (item === null || item === undefined) continue;
      if (itemKind && isObject(item) && item.kind === undefined) {
        expandLists({ apiVersion: doc.apiVersion, kind: itemKind, ...item }, out);
      } else {
        expandLists(item, out);
      }
    }
    return;
  }
  out.push(doc);
}

/**
 * Parses a (multi-document) manifest file into plain objects, in file order. Empty
 * documents are skipped. Throws an ApiError (origin 'yaml') worded like kubectl's
 * `error parsing <source>: error converting YAML to JSON: yaml: line N: <reason>`.
 */
export function parseManifests(text: string, source = 'STDIN'): unknown[] {
  const out: unknown[] = [];
  for (const chunk of splitDocuments(text, source)) {
    const deep = depthExceededAt(chunk.text);
    if (deep !== undefined) throw yamlError(source, `yaml: ${deep !== 0 ? `line ${deep + 1}: ` : ''}exceeded max depth of ${MAX_DEPTH}`);
    let docs: unknown[];
    const aliases = chunk.text.includes('*');
    const anchors: Record<string, unknown>[] = [];
    try {
      // go-yaml's only nesting limit is the scanner's (above); js-yaml's own (100) goes.
      docs = yaml.loadAll(chunk.text, undefined, LOAD_OPTIONS(source, aliases ? anchors : undefined));
    } catch (e) {
      if (e instanceof yaml.YAMLException) {
        throw yamlError(source, goYamlMessage(e.reason, e.mark as Mark | undefined, chunk.text));
      }
      if (e instanceof RangeError) {
        // js-yaml recurses per level and runs out of stack (a few thousand levels) before go-yaml's limit.
        throw new ApiError({
          reason: 'BadRequest',
          origin: 'yaml',
          source,
          message: `error parsing ${source}: netsim: the document nests deeper than the simulator's YAML parser can follow (kubectl accepts up to ${MAX_DEPTH} levels)`,
        });
      }
      throw e;
    }
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue;
      const aliasing = aliases ? aliasingError(doc, anchors) : undefined;
      if (aliasing) throw yamlError(source, aliasing);
      expandLists(aliases ? unboxScalarAliases(doc) : doc, out);
    }
  }
  return out;
}
