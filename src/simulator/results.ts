/**
 * What a simulated command can end with: final result codes (ITU-T V.250 §5.7) and
 * `+CME ERROR` failures (3GPP TS 27.007 §9.2), and how each is written on the wire.
 *
 * Owns: the result-code vocabulary and its framing for the V parameter. Must never: decide
 * which result a command gives (handlers do) or hold vendor error tables (dialects do).
 */

/**
 * A failure a handler raises (throws, or returns) to end its command with `+CME ERROR`.
 * Depending on `+CMEE` the host sees `ERROR` (0), `+CME ERROR: <cme>` (1) or `+CME ERROR: <text>` (2).
 * A plain object of this shape works as well as a `CmeError`.
 */
export interface CmeFailure {
  cme: number;
  text: string;
}

/** General errors of 3GPP TS 27.007 §9.2.1, with the verbose texts the specification gives. */
export const CME_TEXT: Readonly<Record<number, string>> = {
  0: 'phone failure',
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  16: 'incorrect password',
  50: 'Incorrect parameters',
  100: 'unknown',
};

export const CME = {
  PHONE_FAILURE: 0,
  OPERATION_NOT_ALLOWED: 3,
  OPERATION_NOT_SUPPORTED: 4,
  SIM_PIN_REQUIRED: 11,
  INCORRECT_PASSWORD: 16,
  INCORRECT_PARAMETERS: 50,
  UNKNOWN: 100,
} as const;

export class CmeError extends Error implements CmeFailure {
  readonly cme: number;
  readonly text: string;

  constructor(cme: number, text: string = CME_TEXT[cme] ?? 'unknown') {
    super(`+CME ERROR: ${cme} (${text})`);
    this.name = 'CmeError';
    this.cme = cme;
    this.text = text;
  }
}

export function isCmeFailure(value: unknown): value is CmeFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CmeFailure).cme === 'number' &&
    typeof (value as CmeFailure).text === 'string'
  );
}

/** V.250 Table 1: the numeric form of the basic result codes, used when V0 is set. */
const NUMERIC_RESULT: Readonly<Record<string, string>> = {
  OK: '0',
  CONNECT: '1',
  RING: '2',
  'NO CARRIER': '3',
  ERROR: '4',
  'NO DIALTONE': '6',
  BUSY: '7',
  'NO ANSWER': '8',
};

/**
 * V.250 §5.7 (and §6.2.6, the V parameter): with verbose responses (V1) information text and
 * result codes are both framed `<CR><LF>text<CR><LF>`; with V0, information text ends with
 * `<CR><LF>` and result codes are sent as their number followed by `<CR>` alone.
 */
export function formatInformation(text: string, verbose: boolean): string {
  return verbose ? `\r\n${text}\r\n` : `${text}\r\n`;
}

export function formatResultCode(code: string, verbose: boolean): string {
  return verbose ? `\r\n${code}\r\n` : `${NUMERIC_RESULT[code] ?? code}\r`;
}

/** 3GPP TS 27.007 §9.1: how `+CMEE` mode `cmee` reports a failure. */
export function cmeResultCode(failure: CmeFailure, cmee: 0 | 1 | 2): string {
  if (cmee === 1) return `+CME ERROR: ${failure.cme}`;
  if (cmee === 2) return `+CME ERROR: ${failure.text}`;
  return 'ERROR';
}
