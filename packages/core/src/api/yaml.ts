// Loads manifest files the way kubectl does: split into documents on `---` lines (each
// document parsed on its own, so error line numbers restart per document), YAML 1.1 scalars
// as go-yaml v2 reads them (yes/no/on/off are booleans, 0755 is octal), lists flattened.

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
    let docs: unknown[];
    try {
      docs = yaml.loadAll(chunk.text, undefined, { schema: SCHEMA, filename: source });
    } catch (e) {
      if (e instanceof yaml.YAMLException) {
        throw yamlError(source, goYamlMessage(e.reason, e.mark as Mark | undefined, chunk.text));
      }
      throw e;
    }
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue;
      expandLists(doc, out);
    }
  }
  return out;
}
