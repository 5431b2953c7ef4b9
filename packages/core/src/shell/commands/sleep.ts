// GNU coreutils sleep (9.x): NUMBER[SUFFIX]... — each operand a C `strtod` number (decimal or
// hex, `inf`/`infinity`, leading blanks) with an optional s/m/h/d suffix; several add up. Errors
// in the words of a UTF-8 locale (`invalid time interval ‘x’`), each bad operand reported, then
// the `Try` line, exit 1. The simulated clock saturates at MAX_CLOCK_MS (see clock.ts), so
// `sleep inf` ends at once with the clock at its end instead of never.

import { tick } from '../clock.js';
import { fail, ok, type Command } from '../context.js';

const TRY = "Try 'sleep --help' for more information.";

const HELP = `Usage: sleep NUMBER[SUFFIX]...
  or:  sleep OPTION
Pause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),
'm' for minutes, 'h' for hours or 'd' for days.  NUMBER need not be an
integer.  Given two or more arguments, pause for the amount of time
specified by the sum of their values.

      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sleep>
or available locally via: info '(coreutils) sleep invocation'
`;

const VERSION = `sleep (GNU coreutils) 9.4
Copyright (C) 2023 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jim Meyering and Paul Eggert.
`;

const MULTIPLIER: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** strtod's longest numeric prefix (C locale): [blanks][sign](decimal | 0x hex [p exp] | inf[inity] | nan[(…)]). */
const STRTOD =
  /^[ \t\n\v\f\r]*([+-]?)(?:(inf(?:inity)?)|(nan(?:\([0-9A-Za-z_]*\))?)|0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))/i;

function hexFloat(mantissa: string, exp: string | undefined): number {
  const [int = '', frac = ''] = mantissa.split('.');
  let v = 0;
  for (const d of int) v = v * 16 + Number.parseInt(d, 16);
  let scale = 1 / 16;
  for (const d of frac) {
    v += Number.parseInt(d, 16) * scale;
    scale /= 16;
  }
  return v * 2 ** Number(exp ?? 0);
}

/** Seconds for one operand, or undefined when sleep rejects it. */
export function sleepInterval(arg: string): number | undefined {
  const m = STRTOD.exec(arg);
  // A hex prefix without digits ("0x") is the number 0 followed by "x" for strtod.
  const match = m ?? /^[ \t\n\v\f\r]*([+-]?)(0)/.exec(arg);
  if (!match) return undefined;
  const [whole, sign, inf, nan, hex, exp, dec] = m ?? [match[0], match[1], undefined, undefined, undefined, undefined, '0'];
  let value: number;
  if (inf) value = Number.POSITIVE_INFINITY;
  else if (nan) value = Number.NaN;
  else if (hex !== undefined) value = hexFloat(hex, exp);
  else value = Number(dec);
  if (sign === '-') value = -value;
  const suffix = arg.slice(whole!.length);
  const mult = MULTIPLIER[suffix];
  if (!(value >= 0) || mult === undefined) return undefined;
  return value * mult;
}

export const sleep: Command = (args, io) => {
  const operands: string[] = [];
  let options = true;
  for (const a of args) {
    if (options && a === '--') options = false;
    else if (options && a === '--help') return ok(HELP);
    else if (options && a === '--version') return ok(VERSION);
    else if (options && a.startsWith('--')) return fail(`sleep: unrecognized option '${a}'\n${TRY}`, 1);
    else if (options && a.startsWith('-') && a.length > 1) return fail(`sleep: invalid option -- '${a[1]}'\n${TRY}`, 1);
    else operands.push(a);
  }
  if (operands.length === 0) return fail(`sleep: missing operand\n${TRY}`, 1);
  let seconds = 0;
  const bad: string[] = [];
  for (const a of operands) {
    const s = sleepInterval(a);
    if (s === undefined) bad.push(`sleep: invalid time interval ‘${a}’`);
    else seconds += s;
  }
  if (bad.length) return fail(`${bad.join('\n')}\n${TRY}`, 1);
  return { stdout: '', state: tick(io.state, seconds * 1000) };
};
