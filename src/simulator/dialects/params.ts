/**
 * The parameters of one write-form command, as every simulated dialect reads them: split into
 * fields that remember whether they were quoted, counted, and checked as numbers in a range or
 * strings of a bounded length.
 *
 * Owns: the field splitter for strict dialects (`splitRaw`), the checks all dialects make the same
 * way, and the `Allowed` notion of a number's valid values. Must never: know what a parameter
 * means, or how a vendor answers a bad one — each dialect passes its own `Reject` (a `+CME ERROR`
 * for u-blox and Telit, a plain `ERROR` with a reason for tests on Fibocom).
 */

export interface RawField {
  text: string;
  quoted: boolean;
}

/** How a dialect turns down a parameter list; never returns. The reason is for tests and logs only. */
export type Reject = (reason: string) => never;

/** An inclusive range of integers, or an explicit list of the values allowed. */
export type Allowed = { readonly min: number; readonly max: number } | readonly number[];

export function range(min: number, max: number): { readonly min: number; readonly max: number } {
  return { min, max };
}

export function isRange(allowed: Allowed): allowed is { readonly min: number; readonly max: number } {
  return !Array.isArray(allowed);
}

export function allows(allowed: Allowed, value: number): boolean {
  return isRange(allowed) ? value >= allowed.min && value <= allowed.max : (allowed as readonly number[]).includes(value);
}

/** `from 1 to 6` / `1-6`, or `one of 0, 2` / `0,2`: how the reasons name what was allowed. */
function wanted(allowed: Allowed): string {
  return isRange(allowed) ? `from ${allowed.min} to ${allowed.max}` : `one of ${(allowed as readonly number[]).join(', ')}`;
}

function span(allowed: Allowed): string {
  return isRange(allowed) ? `${allowed.min}-${allowed.max}` : (allowed as readonly number[]).join(',');
}

/**
 * `1,,"a,b",443` → fields. A quote opens a string that runs to the next quote, with no escapes
 * (V.250 §5.4.2.2); a string left open, or anything but blanks between its closing quote and the
 * next comma, is rejected.
 */
export function splitRaw(raw: string, reject: Reject): RawField[] {
  const text = raw.trim();
  if (text === '') return [];
  const out: RawField[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) reject('unterminated string');
      out.push({ text: text.slice(i + 1, close), quoted: true });
      i = close + 1;
      while (text[i] === ' ') i++;
      if (i >= text.length) return out;
      if (text[i] !== ',') reject('text after a closing quote');
      i++;
      continue;
    }
    const comma = text.indexOf(',', i);
    const end = comma < 0 ? text.length : comma;
    out.push({ text: text.slice(i, end).trim(), quoted: false });
    if (comma < 0) return out;
    i = comma + 1;
  }
}

/** The fields of one command, read through the checks below; each dialect subclasses it with its own `Reject`. */
export class CommandParams {
  constructor(
    readonly fields: readonly RawField[],
    protected readonly reject: Reject,
  ) {}

  get count(): number {
    return this.fields.length;
  }

  /** Present and not empty: in `1,,"h"` field 1 is absent, while `""` is a string given empty. */
  has(i: number): boolean {
    const field = this.fields[i];
    return field !== undefined && (field.quoted || field.text !== '');
  }

  quoted(i: number): boolean {
    return this.fields[i]?.quoted === true;
  }

  /**
   * Turns down a command with fewer than `min` or more than `max` parameters. Whether a mandatory
   * one may be empty is for its getter to say.
   */
  expect(min: number, max: number): this {
    if (this.count < min || this.count > max) this.reject(`expected ${min === max ? min : `${min}-${max}`} parameters, got ${this.count}`);
    return this;
  }

  /** A decimal number, unquoted, within `allowed`; `fallback` when omitted (without one, omitting it is rejected). */
  int(i: number, allowed: Allowed, fallback?: number): number {
    const field = this.fields[i];
    if (!this.has(i) && fallback !== undefined) return fallback;
    if (!field || field.quoted || !/^\d{1,9}$/.test(field.text)) this.reject(`parameter ${i + 1}: a number ${wanted(allowed)} expected`);
    const value = Number(field.text);
    if (!allows(allowed, value)) this.reject(`parameter ${i + 1}: ${value} is outside ${span(allowed)}`);
    return value;
  }

  /** Text of at most `max` characters; `fallback` when omitted (without one, omitting it is rejected). */
  protected string(i: number, max: number, fallback: string | undefined): string {
    if (!this.has(i)) {
      if (fallback === undefined) this.reject(`parameter ${i + 1} is missing`);
      return fallback;
    }
    const text = this.fields[i]!.text;
    if (text.length > max) this.reject(`parameter ${i + 1}: longer than ${max} characters`);
    return text;
  }
}
