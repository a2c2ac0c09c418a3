/**
 * Reading the parameters of a u-blox command: numbers unquoted, strings in double quotes, as the
 * manuals' syntax rows write them (`AT+USECPRF=0,2,99,"C0","2B"`).
 *
 * Owns: splitting the text after `=` into fields that remember whether they were quoted, and the
 * checks every command applies (count, range, length). Must never: know what a parameter means.
 */
import { FAIL } from './errors';

export interface RawField {
  text: string;
  quoted: boolean;
}

/** `0,"a,b",,"x"` → fields; a quote opens a string that runs to the next quote (no escapes, V.250 §5.4.2.2). */
export function splitRaw(raw: string): RawField[] {
  const text = raw.trim();
  if (text === '') return [];
  const out: RawField[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) throw FAIL.badParameter();
      out.push({ text: text.slice(i + 1, close), quoted: true });
      i = close + 1;
      while (text[i] === ' ') i++;
      if (i >= text.length) return out;
      if (text[i] !== ',') throw FAIL.badParameter();
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

export class Params {
  readonly fields: RawField[];

  constructor(raw: string) {
    this.fields = splitRaw(raw);
  }

  get count(): number {
    return this.fields.length;
  }

  has(i: number): boolean {
    const field = this.fields[i];
    return field !== undefined && (field.quoted || field.text !== '');
  }

  expect(min: number, max: number): this {
    if (this.count < min || this.count > max) throw FAIL.badParameter();
    return this;
  }

  /** A decimal number, unquoted, in `allowed` (a list or an inclusive [min, max]). */
  int(i: number, allowed: readonly number[] | { min: number; max: number }, fallback?: number): number {
    if (!this.has(i)) {
      if (fallback === undefined) throw FAIL.badParameter();
      return fallback;
    }
    const field = this.fields[i]!;
    if (field.quoted || !/^\d{1,9}$/.test(field.text)) throw FAIL.badParameter();
    const value = Number(field.text);
    const ok = Array.isArray(allowed)
      ? (allowed as readonly number[]).includes(value)
      : value >= (allowed as { min: number }).min && value <= (allowed as { max: number }).max;
    if (!ok) throw FAIL.badParameter();
    return value;
  }

  /**
   * A string of at most `max` characters. u-blox firmware takes it quoted; an unquoted word is
   * accepted too (some hosts send names bare), but never where a number stands alone.
   */
  str(i: number, max: number, fallback?: string): string {
    if (!this.has(i)) {
      if (fallback === undefined) throw FAIL.badParameter();
      return fallback;
    }
    const text = this.fields[i]!.text;
    if (text.length > max) throw FAIL.badParameter();
    return text;
  }
}

export function range(min: number, max: number): { min: number; max: number } {
  return { min, max };
}
