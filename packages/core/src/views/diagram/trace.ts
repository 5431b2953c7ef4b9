// A trace as a sequence diagram: Mermaid `sequenceDiagram` text, or a self-contained SVG laid out
// by our own code (trace-svg.ts). Both draw trace-model.ts's events.

import type { TraceOutcome } from '../../packet/walker.js';
import type { TraceResult } from '../../packet/types.js';
import { type DiagramModel, traceModel } from './trace-model.js';
import { modelSvg } from './trace-svg.js';

/**
 * Text for Mermaid: characters its sequence-diagram grammar reads (`#` entity codes, `;` as a
 * statement separator, `<`/`>` as HTML, `:` in a participant's alias, line breaks) become
 * Mermaid's `#code;` entities.
 */
export function mermaidText(s: string, alias = false): string {
  // One pass, so the `;` of an entity just written is not escaped again.
  return s.replace(alias ? /[#;<>:]|[\r\n]+/g : /[#;<>]|[\r\n]+/g, (c) => (c[0] === '\r' || c[0] === '\n' ? ' ' : `#${c.charCodeAt(0)};`));
}

/** The model as Mermaid text. */
export function modelMermaid(m: DiagramModel): string {
  const lines = ['sequenceDiagram', `  title ${mermaidText(m.title, true)}`];
  for (const l of m.lanes) lines.push(`  participant ${l.id} as ${mermaidText(l.label, true)}`);
  let depth = 1;
  const pad = (): string => '  '.repeat(depth);
  for (const e of m.events) {
    switch (e.kind) {
      case 'arrow': {
        const op = e.style === 'packet' ? '->>' : e.style === 'reply' ? '-->>' : '--x';
        lines.push(`${pad()}${e.from}${op}${e.to}: ${mermaidText(e.text)}`);
        break;
      }
      case 'note':
        lines.push(`${pad()}Note over ${e.over}: ${e.lines.map((l) => mermaidText(l)).join('<br/>')}`);
        break;
      case 'alt':
        lines.push(`${pad()}alt ${mermaidText(e.text)}`);
        depth++;
        break;
      case 'else':
        lines.push(`${'  '.repeat(depth - 1)}else ${mermaidText(e.text)}`);
        break;
      case 'end':
        depth--;
        lines.push(`${pad()}end`);
        break;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A trace, or traceAll's outcomes (each with its probability), as Mermaid `sequenceDiagram` text. */
export function traceMermaid(input: TraceResult | readonly TraceOutcome[]): string {
  return modelMermaid(traceModel(input));
}

/** The same diagram as a self-contained SVG document (no fonts or scripts fetched). */
export function traceSvg(input: TraceResult | readonly TraceOutcome[]): string {
  return modelSvg(traceModel(input));
}
