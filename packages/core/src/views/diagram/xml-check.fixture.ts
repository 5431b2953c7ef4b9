// A small XML well-formedness check for tests (no XML parser among our dependencies): one root
// element, tags nested and closed in order, attributes quoted and unique, `&` only in entity
// references, no raw `<` in text or attribute values. Returns the first problem, or undefined.

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function badAmp(s: string): number {
  for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', i + 1)) if (!ENTITY.test(s.slice(i))) return i;
  return -1;
}

export function xmlProblem(xml: string): string | undefined {
  let i = 0;
  const stack: string[] = [];
  let roots = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) return 'unterminated XML declaration';
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') return `text outside the root element at ${i}`;
    const amp = badAmp(text);
    if (amp >= 0) return `bare & at ${i + amp}`;
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) return `unterminated comment at ${i}`;
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      const end = xml.indexOf('>', i);
      if (!m || end < 0 || xml.slice(i + 2 + m[0].length, end).trim() !== '') return `bad end tag at ${i}`;
      const open = stack.pop();
      if (open !== m[0]) return `</${m[0]}> at ${i} closes <${open ?? ''}>`;
      i = end + 1;
      continue;
    }
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) return `bad tag at ${i}`;
    if (stack.length === 0 && ++roots > 1) return `a second root element at ${i}`;
    let j = i + 1 + m[0].length;
    const seen = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(j))?.[0].length ?? 0;
      j += ws;
      if (xml.startsWith('/>', j)) {
        j += 2;
        break;
      }
      if (xml[j] === '>') {
        stack.push(m[0]);
        j += 1;
        break;
      }
      if (ws === 0) return `attributes not separated at ${j}`;
      const a = /^([A-Za-z_:][\w.:-]*)\s*=\s*(["'])/.exec(xml.slice(j));
      if (!a) return `bad attribute at ${j}`;
      const name = a[1] as string;
      if (seen.has(name)) return `duplicate attribute ${name} at ${j}`;
      seen.add(name);
      j += a[0].length;
      const close = xml.indexOf(a[2] as string, j);
      if (close < 0) return `unterminated attribute value at ${j}`;
      const value = xml.slice(j, close);
      if (value.includes('<')) return `< in attribute value at ${j}`;
      if (badAmp(value) >= 0) return `bare & in attribute value at ${j}`;
      j = close + 1;
    }
    i = j;
  }
  if (stack.length) return `unclosed <${stack[stack.length - 1]}>`;
  if (roots === 0) return 'no root element';
  return undefined;
}
