/**
 * What a command of the simulated eS-WiFi gives back, and the bytes that become on the wire.
 *
 * Owns: the `Answer` shape every handler returns, the command table's entry shape, and the one
 * encoder of answers. Must never: decide an outcome (the handlers do), or put a value the host sent
 * as a secret (a passphrase, key bytes) into an answer.
 *
 * The framing (IWIN response formats; ST es_wifi.h, Zephyr eswifi.h `AT_OK_STR`), byte for byte:
 * ```
 *   ok()                  → \r\n\r\nOK\r\n>␠           (no data: an empty line, then OK)
 *   ok('1')               → \r\n1\r\nOK\r\n>␠
 *   ok(rawBytes)          → \r\n<bytes>\r\nOK\r\n>␠     (R0: the data as received, any byte)
 *   fail('joinFailed', { progress: ['[JOIN   ] x', '[JOIN   ] Failed'] })
 *                         → \r\n[JOIN   ] x\r\n[JOIN   ] Failed\r\nERROR: Unknown Error\r\nUsage: C0 \r\n>␠
 * ```
 */
import type { EswifiDevice } from './state';
import { ERRORS, USAGE, WIRE, type ErrorName } from './tables';

export type Answer =
  | { readonly ok: ReadonlyArray<string | Buffer> }
  | { readonly error: ErrorName; readonly usage?: string; readonly progress?: readonly string[] };

/** Success with these information lines (none: one empty line). A Buffer goes out exactly as it is. */
export function ok(...lines: Array<string | Buffer>): Answer {
  return { ok: lines };
}

/** Failure `error`, with the usage its table row gives (or `usage`), after any progress lines. */
export function fail(error: ErrorName, options: { usage?: string; progress?: readonly string[] } = {}): Answer {
  return { error, ...options };
}

/** `ERROR: Invalid Parameter` with the usage of command `name`. */
export function invalid(name: string): Answer {
  return fail('invalidParameter', { usage: USAGE[name] ?? name });
}

const CRLF = Buffer.from('\r\n', 'latin1');

export function encodeAnswer(answer: Answer, command: string): Buffer {
  const parts: Buffer[] = [CRLF];
  if ('ok' in answer) {
    const lines = answer.ok.length === 0 ? [''] : answer.ok;
    lines.forEach((line, i) => {
      if (i > 0) parts.push(CRLF);
      parts.push(typeof line === 'string' ? Buffer.from(line, 'latin1') : line);
    });
    parts.push(Buffer.from(`\r\n${WIRE.ok}\r\n${WIRE.prompt}`, 'latin1'));
    return Buffer.concat(parts);
  }
  const spec: { text: string; usage?: string } = ERRORS[answer.error];
  const usage = answer.usage ?? spec.usage ?? USAGE[command] ?? command;
  for (const line of answer.progress ?? []) parts.push(Buffer.from(`${line}\r\n`, 'latin1'));
  parts.push(Buffer.from(`${WIRE.errorPrefix}${spec.text}\r\n${WIRE.usagePrefix}${usage}\r\n${WIRE.prompt}`, 'latin1'));
  return Buffer.concat(parts);
}

/** One command as the module received it. */
export interface CommandRequest {
  /** The two characters that name it: `C0`, `P6`, `I?`. */
  readonly name: string;
  /** What followed `=`; undefined without `=`. */
  readonly value: string | undefined;
  /** The raw bytes of S3 and PG, exactly as many as the header announced. */
  readonly payload?: Buffer;
}

export type Handler = (device: EswifiDevice, request: CommandRequest) => Answer | Promise<Answer>;

/**
 * How raw bytes follow a command's header: after its CR (S3: `S3=<n>\r<n bytes>`), or after the
 * comma that ends its `fields`-th field (PG: `PG=<set>,<type>,<length>,<bytes>`, seeds/002 l. 36-40).
 */
export type PayloadFraming = { readonly after: 'cr' } | { readonly after: 'comma'; readonly fields: number };

export interface CommandSpec {
  /** The form without `=` (`C0`, `R0`, `I?`). */
  readonly exec?: Handler;
  /** The form with `=`. */
  readonly write?: Handler;
  /** Raw bytes follow, as many as `length(value)` says; undefined: the header is bad and nothing is taken. */
  readonly payload?: PayloadFraming & { length(value: string): number | undefined };
  /** The value is a secret: the command log shows `<name>=<secret>`. */
  readonly secret?: boolean;
}

export type CommandTable = Readonly<Record<string, CommandSpec>>;

/** A whole number written in decimal digits only, within `min..max`; undefined otherwise. */
export function decimal(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** `a.b.c.d`, each part 0..255 written without sign. */
export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => decimal(part, 0, 255) !== undefined);
}
