/**
 * Reading the parameters of a Telit command and writing the ranges of its test form.
 *
 * Owns: the Telit command-line parser (V.250 with blanks ignored outside strings), parameter
 * checks against ranges, and the `(a-b)` / `(a,b)` notation of test responses. Must never: know
 * what a parameter means — the command modules pass the ranges, from their tables.
 */
import type { Field } from '../../../at/fields';
import { parseCommandLine, type CommandLineParser } from '../../command-line';
import { FAIL } from './errors';

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

/** An inclusive range of integers, or an explicit list of the values allowed. */
export type Allowed = { readonly min: number; readonly max: number } | readonly number[];

export function range(min: number, max: number): Allowed {
  return { min, max };
}

/** A list of single values: `(0,1)` in a test response. */
export function values(...list: number[]): Allowed {
  return list;
}

function isRange(allowed: Allowed): allowed is { readonly min: number; readonly max: number } {
  return !Array.isArray(allowed);
}

export function allows(allowed: Allowed, value: number): boolean {
  return isRange(allowed) ? value >= allowed.min && value <= allowed.max : (allowed as readonly number[]).includes(value);
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

/** The parameters of one write-form command, with the checks every Telit command applies. */
export class Params {
  constructor(private readonly fields: readonly Field[]) {}

  get count(): number {
    return this.fields.length;
  }

  /** Whether parameter `i` was given (an empty field between commas counts as omitted). */
  has(i: number): boolean {
    return i < this.fields.length && this.text(i) !== '';
  }

  /**
   * Refuses a command with more than `max` parameters, or fewer than `min`. (Whether a mandatory
   * one is empty is for its getter to say: `""` is a given empty string, e.g. #MQCONN's user name.)
   */
  expect(min: number, max: number): this {
    if (this.fields.length < min || this.fields.length > max) throw FAIL.badParameter();
    return this;
  }

  /** A decimal integer within `allowed`; `fallback` when omitted (without one, omitting it fails). */
  int(i: number, allowed: Allowed, fallback?: number): number {
    if (!this.has(i)) {
      if (fallback === undefined) throw FAIL.badParameter();
      return fallback;
    }
    const text = this.text(i);
    if (!/^\d{1,9}$/.test(text)) throw FAIL.badParameter();
    const value = Number(text);
    if (!allows(allowed, value)) throw FAIL.badParameter();
    return value;
  }

  /** A string parameter (quotes optional, as Telit firmware takes them), at most `max` characters. */
  str(i: number, fallback?: string, max = 255): string {
    if (!this.has(i)) {
      if (fallback === undefined) throw FAIL.badParameter();
      return fallback;
    }
    const text = this.text(i);
    if (text.length > max) throw FAIL.badParameter();
    return text;
  }

  /** The raw text of parameter `i`: numbers as written, strings without their quotes. */
  text(i: number): string {
    const field = this.fields[i];
    if (field === undefined) return '';
    const text = String(field).trim();
    return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  }
}
