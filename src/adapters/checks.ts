/**
 * The runtime side of the option rules (`rules.ts`): a value that breaks its rule becomes a
 * PARAMETER ModemError naming the field and the limit, before anything is sent.
 *
 * Owns: turning a rule's verdict into the package's one error type, and checking a whole
 * `vendorOptions` object against the rows a vendor lists for an operation.
 * Must never: hold a rule of its own — every limit comes from a row.
 */
import { parameterError } from '../at/errors';
import { check, checkOptions, type Rule } from './rules';

/** The value in its proper type, or a PARAMETER error naming the field and the limit. */
export function checked(rule: Rule, value: unknown, caps?: unknown): unknown {
  const verdict = check(rule, value, caps);
  if (!verdict.ok) throw parameterError(verdict.field, verdict.problem);
  return verdict.value;
}

/**
 * `vendorOptions` checked against the rows `rules` (what the vendor offers for this operation):
 * an unknown key is refused naming it and listing the known ones; each value is checked by its
 * row and returned in its proper type. Keys not given stay absent (their defaults are the
 * adapter's to apply, where the vendor's own default differs from "not sent").
 */
export function vendorOptionValues(rules: readonly Rule[], options: Record<string, unknown> | undefined, label: string): Record<string, unknown> {
  const verdict = checkOptions(rules, options ?? {}, label);
  if (!verdict.ok) throw parameterError(verdict.field, verdict.problem);
  return verdict.value as Record<string, unknown>;
}

/** What a vendor offers per operation: its rows, and what messages call the operation (`uploads`). */
export type OptionAreas<A extends string> = Readonly<Record<A, { rows: readonly Rule[]; what: string }>>;

/**
 * A vendor's option rows by operation, and the check of a request's `vendorOptions` against them
 * (an unknown key refused, each value checked by its row), with errors naming `vendor` and the operation.
 */
export function vendorOptionAreas<A extends string>(vendor: string, areas: OptionAreas<A>): {
  rows(area: A): readonly Rule[];
  values(area: A, options: Record<string, unknown> | undefined): Record<string, unknown>;
} {
  return {
    rows: (area) => areas[area].rows,
    values: (area, options) => vendorOptionValues(areas[area].rows, options, `${vendor} ${areas[area].what}`),
  };
}

/** The help lines of some rows, `name: help` — what the editor lists under a vendor-options field. */
export function optionHelp(rules: readonly Rule[]): Record<string, string> {
  return Object.fromEntries(rules.map((r) => [r.name, r.help]));
}
