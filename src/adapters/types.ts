/**
 * What every vendor folder provides besides its adapter (`adapter.ts` has the TLS operations):
 * how its AT dialect is framed, which unsolicited codes it prints, how a freshly opened modem
 * is brought into a known state, and which secrets its command lines and answers carry.
 *
 * Must never: let a dialect mask only its own secrets. `redactCommand` and `secretResponse`
 * can only be made by `dialectRedaction`, which always adds the 3GPP TS 27.007 rules of
 * `src/at/secrets.ts` to the vendor's; a dialect written without it does not compile.
 */
import type { DialectFraming } from '../at/engine';
import {
  answersWithSecret,
  redactParameters,
  STANDARD_SECRET_ANSWERS,
  STANDARD_SECRET_PARAMETERS,
  type SecretAnswerRule,
  type SecretParameterRule,
} from '../at/secrets';

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
  redactCommand: CommandRedactor;
  /** Whether the answer to a raw command line carries secrets (a password read back), so it is never traced. */
  secretResponse: AnswerCheck;
}

// Only this module can produce the two branded functions below, so a dialect cannot hand-write
// a redactor that skips the standard rules.
declare const standardIncluded: unique symbol;
export type CommandRedactor = ((line: string) => string) & { readonly [standardIncluded]: true };
export type AnswerCheck = ((line: string) => boolean) & { readonly [standardIncluded]: true };

/** A vendor's own secrets, on top of the 27.007 ones every dialect masks. */
export interface VendorSecrets {
  /** Vendor commands whose parameters carry a secret. */
  parameters?: readonly SecretParameterRule[];
  /** Vendor commands whose answer carries a secret (a password or key read back). */
  answers?: readonly SecretAnswerRule[];
}

/**
 * The `redactCommand` and `secretResponse` of a dialect: the standard rules and the vendor's,
 * applied in one pass over the line.
 */
export function dialectRedaction(own: VendorSecrets = {}): Pick<VendorDialect, 'redactCommand' | 'secretResponse'> {
  const parameters = [...STANDARD_SECRET_PARAMETERS, ...(own.parameters ?? [])];
  const answers = [...STANDARD_SECRET_ANSWERS, ...(own.answers ?? [])];
  return {
    redactCommand: ((line: string) => redactParameters(line, parameters)) as CommandRedactor,
    secretResponse: ((line: string) => answersWithSecret(line, answers)) as AnswerCheck,
  };
}

export function isVendor(value: unknown): value is VendorId {
  return typeof value === 'string' && (VENDORS as readonly string[]).includes(value);
}
