// The diagram model as a self-contained SVG document: participants' boxes (top and bottom),
// lifelines, arrows with their labels, notes, alt/else boxes. Laid out here, without a browser:
// text widths are estimated from the character count (a monospace-ish average for the system
// font stack), so the output is deterministic and needs nothing fetched.

import type { DiagramModel } from './trace-model.js';

const FONT = 12;
/** Average advance of one character at FONT px (generous, so labels rarely overflow their box). */
const CHAR = 6.8;
/** The same for notes' 11px text. */
const NOTE_CHAR = 6.2;
const MARGIN = 20;
const BOX_H = 34;
const ARROW_H = 36;
const LINE_H = 16;
const GAP_MIN = 180;
const GAP_MAX = 460;

/** XML text and attribute values: &, <, >, both quotes. */
export function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const width = (s: string): number => s.length * CHAR;
const n = (x: number): string => String(Math.round(x * 10) / 10);

const STYLE = [
  'text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 12px; fill: #1f2328; }',
  '.lane rect { fill: #eaf2fb; stroke: #4a6fa5; }',
  '.lane text { font-weight: 600; }',
  '.life { stroke: #9aa7b8; stroke-dasharray: 4 4; }',
  '.packet { stroke: #1f2328; fill: none; }',
  '.reply { stroke: #2d7d46; stroke-dasharray: 6 4; fill: none; }',
  '.error { stroke: #b42318; stroke-dasharray: 6 4; fill: none; }',
  '.note rect { fill: #fff8c5; stroke: #c9a400; }',
  '.note text { font-size: 11px; }',
  '.alt rect.frame { fill: none; stroke: #8250df; }',
  '.alt rect.tab { fill: #f3ebff; stroke: #8250df; }',
  '.alt line { stroke: #8250df; stroke-dasharray: 3 3; }',
].join('\n');

export function modelSvg(m: DiagramModel): string {
  // Columns: wide enough for each lane's label and for the labels of arrows between neighbours.
  const index = new Map(m.lanes.map((l, i) => [l.id, i]));
  const gaps = m.lanes.slice(1).map(() => GAP_MIN);
  for (const e of m.events) {
    if (e.kind !== 'arrow') continue;
    const a = index.get(e.from) ?? 0;
    const b = index.get(e.to) ?? 0;
    const lo = Math.min(a, b);
    const span = Math.max(1, Math.abs(a - b));
    const need = Math.min(GAP_MAX, (width(e.text) + 24) / span);
    for (let i = lo; i < lo + span && i < gaps.length; i++) gaps[i] = Math.max(gaps[i] as number, need);
  }
  // Neighbouring participants' boxes never overlap: half of each box, plus a margin.
  const boxW = m.lanes.map((l) => width(l.label) + 24);
  for (let i = 1; i < m.lanes.length; i++) gaps[i - 1] = Math.max(gaps[i - 1] as number, ((boxW[i - 1] as number) + (boxW[i] as number)) / 2 + 16);
  const first = Math.max(80, (width(m.lanes[0]?.label ?? '') + 24) / 2);
  const xs: number[] = [];
  let x = MARGIN + first;
  m.lanes.forEach((_, i) => {
    if (i > 0) x += gaps[i - 1] as number;
    xs.push(x);
  });
  const xOf = (id: string): number => xs[index.get(id) ?? 0] ?? MARGIN;

  const body: string[] = [];
  let y = MARGIN + BOX_H + 24;
  let right = (xs[xs.length - 1] ?? MARGIN) + Math.max(80, (width(m.lanes[m.lanes.length - 1]?.label ?? '') + 24) / 2);
  const alts: { top: number; labels: { y: number; text: string }[] }[] = [];
  const altBoxes: string[] = [];
  for (const e of m.events) {
    switch (e.kind) {
      case 'arrow': {
        const x1 = xOf(e.from);
        const x2 = xOf(e.to);
        const cls = e.style;
        const marker = e.style === 'error' ? 'cross' : 'head';
        if (x1 === x2) {
          const d = `M${n(x1)},${n(y)} h30 v14 h-30`;
          body.push(`<path class="${cls}" d="${d}" marker-end="url(#${marker})"/>`);
          body.push(`<text x="${n(x1 + 36)}" y="${n(y + 11)}">${xmlText(e.text)}</text>`);
          right = Math.max(right, x1 + 40 + width(e.text));
          y += ARROW_H + 14;
        } else {
          body.push(`<text x="${n((x1 + x2) / 2)}" y="${n(y + 12)}" text-anchor="middle">${xmlText(e.text)}</text>`);
          body.push(`<line class="${cls}" x1="${n(x1)}" y1="${n(y + 18)}" x2="${n(x2)}" y2="${n(y + 18)}" marker-end="url(#${marker})"/>`);
          y += ARROW_H;
        }
        break;
      }
      case 'note': {
        const w = Math.max(...e.lines.map((l) => l.length * NOTE_CHAR)) + 16;
        const h = e.lines.length * LINE_H + 10;
        const cx = xOf(e.over);
        const left = Math.max(4, cx - w / 2);
        right = Math.max(right, left + w + MARGIN);
        const texts = e.lines.map((l, i) => `<text x="${n(left + 8)}" y="${n(y + 16 + i * LINE_H)}">${xmlText(l)}</text>`).join('');
        body.push(`<g class="note"><rect x="${n(left)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="3"/>${texts}</g>`);
        y += h + 8;
        break;
      }
      case 'alt':
        y += 4;
        alts.push({ top: y, labels: [{ y, text: e.text }] });
        y += 30;
        break;
      case 'else':
        alts[alts.length - 1]?.labels.push({ y, text: e.text });
        y += 30;
        break;
      case 'end': {
        const a = alts.pop();
        if (!a) break;
        const frame: string[] = [`<rect class="frame" x="${n(MARGIN / 2)}" y="${n(a.top)}" width="__W__" height="${n(y - a.top)}"/>`];
        a.labels.forEach((l, i) => {
          const word = i === 0 ? 'alt' : 'else';
          if (i > 0) frame.push(`<line x1="${n(MARGIN / 2)}" y1="${n(l.y)}" x2="__R__" y2="${n(l.y)}"/>`);
          frame.push(`<rect class="tab" x="${n(MARGIN / 2)}" y="${n(l.y)}" width="${n(width(`${word} ${l.text}`) + 12)}" height="20"/>`);
          frame.push(`<text x="${n(MARGIN / 2 + 6)}" y="${n(l.y + 14)}">${xmlText(`${word} [${l.text}]`)}</text>`);
        });
        altBoxes.push(`<g class="alt">${frame.join('')}</g>`);
        y += 12;
        break;
      }
    }
  }
  const bottom = y + 8;
  const total = Math.ceil(Math.max(right, ...xs.map((v) => v + 80)) + MARGIN / 2);
  const height = bottom + BOX_H + MARGIN;
  const lanes: string[] = [];
  m.lanes.forEach((l, i) => {
    const cx = xs[i] as number;
    const w = width(l.label) + 24;
    lanes.push(`<line class="life" x1="${n(cx)}" y1="${n(MARGIN + BOX_H)}" x2="${n(cx)}" y2="${n(bottom)}"/>`);
    for (const top of [MARGIN, bottom]) {
      lanes.push(
        `<g class="lane"><rect x="${n(cx - w / 2)}" y="${n(top)}" width="${n(w)}" height="${BOX_H}" rx="4"/><text x="${n(cx)}" y="${n(top + 21)}" text-anchor="middle">${xmlText(l.label)}</text></g>`,
      );
    }
  });
  const boxes = altBoxes.map((b) => b.replaceAll('__W__', n(total - MARGIN)).replaceAll('__R__', n(total - MARGIN / 2)));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${height}" viewBox="0 0 ${total} ${height}" font-size="${FONT}">`,
    `<title>${xmlText(m.title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '<defs>',
    '<marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f2328"/></marker>',
    '<marker id="cross" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="10" markerHeight="10" orient="auto"><path d="M1,1 L9,9 M9,1 L1,9" stroke="#b42318" stroke-width="2"/></marker>',
    '</defs>',
    `<rect width="${total}" height="${height}" fill="#ffffff"/>`,
    ...boxes,
    ...lanes,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
