/**
 * What every vendor folder provides. Today: how its AT dialect is framed and how a
 * freshly opened modem is brought into a known state. The TLS operations (certificates,
 * profiles, sockets) join this interface with the vendor adapters.
 */
import type { DialectFraming } from '../at/engine';

export const VENDORS = ['telit', 'ublox', 'fibocom', 'xbee3', 'eswifi'] as const;
export type VendorId = (typeof VENDORS)[number];

export interface VendorDialect extends DialectFraming {
  vendor: VendorId;
  /** Product name for the editor and messages. */
  label: string;
  /** Commands sent after every (re)open, once the modem answers: echo off, error format, … */
  initCommands: readonly string[];
  /** Whether raw command lines must start with `AT` (all but eS-WiFi). */
  atPrefix: boolean;
  /** Replaces secrets in a raw command line typed by a user before it is logged or reported. */
  redactCommand(line: string): string;
  /** Whether the answer to a raw command line carries secrets (a password read back), so it is never traced. */
  secretResponse?(line: string): boolean;
}

export function isVendor(value: unknown): value is VendorId {
  return typeof value === 'string' && (VENDORS as readonly string[]).includes(value);
}

/** Redacts every quoted parameter after the first `n` parameters of the commands matched by `pattern`. */
export function redactQuotedAfter(line: string, pattern: RegExp, keep: number): string {
  const m = pattern.exec(line);
  if (!m) return line;
  const eq = line.indexOf('=');
  if (eq < 0) return line;
  const head = line.slice(0, eq + 1);
  const parts = line.slice(eq + 1).split(',');
  return head + parts.map((part, i) => (i >= keep && /^\s*"/.test(part) ? '"***"' : part)).join(',');
}
