/**
 * Decoding `+CME ERROR: <n|text>` (3GPP TS 27.007 §9.2) against one vendor's table: numeric
 * and verbose forms, the bare `ERROR` of a module whose error reports are off, and codes the
 * table does not know. Each vendor supplies its table and its own words; the logic is here once.
 */
import type { DecodedError } from './adapter';

export type Explanation = Pick<DecodedError, 'name' | 'meaning' | 'category' | 'hint'>;

export interface CmeTable {
  vendor: string;
  /** Explanations by numeric code. */
  codes: Readonly<Record<number, Explanation>>;
  /** Numeric code by verbose text (lower case, without a final full stop). */
  verbose: ReadonlyMap<string, number>;
  /** What a bare `ERROR` means for this vendor. */
  bareError: Pick<Explanation, 'meaning' | 'hint'>;
  /** What to say of a code the table does not know. */
  unknown: Pick<Explanation, 'meaning' | 'hint'>;
}

export function decodeCme(table: CmeTable, error: { code?: string | number; line?: string }): DecodedError {
  const text = String(error.code ?? error.line ?? '').replace(/^\+CME ERROR:\s*/i, '').trim();
  const code = /^\d+$/.test(text) ? Number(text) : table.verbose.get(text.toLowerCase().replace(/\.$/, ''));
  const entry = code !== undefined ? table.codes[code] : undefined;
  if (entry && code !== undefined) return { vendor: table.vendor, code, ...entry };
  if (/^ERROR$/i.test(text) || text === '') {
    return { vendor: table.vendor, code: text || 'ERROR', name: 'ERROR', category: 'unknown', ...table.bareError };
  }
  return { vendor: table.vendor, code: code ?? (/^-?\d+$/.test(text) ? Number(text) : text), name: text, category: 'unknown', ...table.unknown };
}
