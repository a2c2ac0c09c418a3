/**
 * Reading the parameters of a Telit command and writing the ranges of its test form.
 *
 * Owns: the Telit command-line parser (V.250 with blanks ignored outside strings), how Telit takes
 * its parameters (quotes optional, a bad one `+CME ERROR`), and the `(a-b)` / `(a,b)` notation of
 * test responses. Must never: know what a parameter means — the command modules pass the ranges,
 * from their tables; the checks shared with the other dialects live in `../params.ts`.
 */
import type { Field } from '../../../at/fields';
import { parseCommandLine, type CommandLineParser } from '../../command-line';
import { CommandParams, isRange, type Allowed, type RawField, type Reject } from '../params';
import { FAIL } from './errors';

export { range, type Allowed } from '../params';

/**
 * V.250 §5.2.1: blanks in a command line are ignored except inside strings. The guide's own
 * transcripts rely on it (`AT+CGDCONT=1,"IP", "Access_Point_Name"` in §8.2, `AT#MQEN =1,0` in
 * §10.1.1), so they are dropped here before the generic parser splits the line.
 */
export const parseTelitLine: CommandLineParser = (body) => {
  let out = '';
  let quoted = false;
  for (const c of body) {
    if (c === '"') quoted = !quoted;
    if (c === ' ' && !quoted) continue;
    out += c;
  }
  return parseCommandLine(out);
};

/** A list of single values: `(0,1)` in a test response. */
export function values(...list: number[]): Allowed {
  return list;
}

/** Test-form notation: `(1-6)`, `(1)`, `(0,1)`, `(0,3,5,7,9-13)`. */
export function formatAllowed(allowed: Allowed): string {
  if (isRange(allowed)) return allowed.min === allowed.max ? `(${allowed.min})` : `(${allowed.min}-${allowed.max})`;
  return `(${compress([...(allowed as readonly number[])]).join(',')})`;
}

/** `[0,3,5,7,9,10,11,12,13]` → `['0','3','5','7','9-13']`: runs of three or more become a range. */
function compress(list: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; ) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    if (j - i >= 2) out.push(`${list[i]}-${list[j]}`);
    else for (let k = i; k <= j; k++) out.push(String(list[k]));
    i = j + 1;
  }
  return out;
}

const badParameter: Reject = () => {
  throw FAIL.badParameter();
};

/**
 * Telit's parameters come from the generic parser (`ctx.args`), which has already taken the
 * quotes off. Telit firmware takes strings with or without them, so every field reads as bare
 * text here: a quoted number is a number, and `""` counts as omitted.
 */
function bare(field: Field): RawField {
  const text = String(field).trim();
  return { text: text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text, quoted: false };
}

/** The parameters of one write-form command; a bad one is `+CME ERROR` "incorrect parameters". */
export class Params extends CommandParams {
  constructor(fields: readonly Field[]) {
    super(fields.map(bare), badParameter);
  }

  /** A string parameter (quotes optional), at most `max` characters. */
  str(i: number, fallback?: string, max = 255): string {
    return this.string(i, max, fallback);
  }

  /** The raw text of parameter `i`: numbers as written, strings without their quotes. */
  text(i: number): string {
    return this.fields[i]?.text ?? '';
  }
}
