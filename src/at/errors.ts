/**
 * The one error type of the package.
 *
 * Everything that fails on the way to or inside the modem becomes a `ModemError`:
 * a final result code (`ERROR`, `+CME ERROR: 839`), a timeout, a lost link, or bad
 * input caught before anything was written. Nodes copy `toJSON()` into
 * `msg.modemError`, so its fields must never carry a secret: commands are stored in
 * their redacted display form only.
 */

export type ModemErrorCode =
  /** A parameter failed validation; nothing was written. `field` names it. */
  | 'PARAMETER'
  /** The command did not finish within its timeout. */
  | 'TIMEOUT'
  /** The link is down or dropped while the command was pending. */
  | 'LINK_DOWN'
  /** The engine or its config node is closing (redeploy, shutdown). */
  | 'CLOSED'
  /** The modem answered with a final result code that means failure (`ERROR`, `NO CARRIER`, …). */
  | 'FINAL'
  /** `+CME ERROR: <n|text>` — `code` carries the number or text. */
  | 'CME'
  /** `+CMS ERROR: <n|text>`. */
  | 'CMS'
  /** The link is in ONLINE (transparent data) mode, where commands cannot be sent. */
  | 'ONLINE'
  /** The modem is not responding to `AT` after resynchronisation attempts. */
  | 'NOT_RESPONDING'
  /**
   * The modem sent what its dialect cannot frame — a line longer than the longest its manual
   * documents (noise, a wrong baud rate, data where a line was expected); it was dropped.
   */
  | 'GARBLED'
  /** The requested operation is not supported by this vendor or platform. */
  | 'UNSUPPORTED';

export interface ModemErrorInit {
  kind: ModemErrorCode;
  message: string;
  vendor?: string;
  /** Vendor error code or final text, e.g. `839`, `SSL error during handshake`, `ERROR`. */
  code?: string | number;
  /** The command in its redacted display form. */
  command?: string;
  /** The raw line that ended the command, if any. */
  line?: string;
  /** For `PARAMETER`: the field that failed, in the user's words (`msg.payload`, `host`, `SSId`). */
  field?: string;
  cause?: unknown;
}

export class ModemError extends Error {
  readonly kind: ModemErrorCode;
  vendor?: string;
  readonly code?: string | number;
  readonly command?: string;
  readonly line?: string;
  readonly field?: string;

  constructor(init: ModemErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ModemError';
    this.kind = init.kind;
    this.vendor = init.vendor;
    this.code = init.code;
    this.command = init.command;
    this.line = init.line;
    this.field = init.field;
  }

  /** The `msg.modemError` shape of the message contract. */
  toJSON(): { vendor?: string; code: string | number; kind: ModemErrorCode; command?: string; line?: string; field?: string; message: string } {
    const json = {
      vendor: this.vendor,
      code: this.code ?? this.kind,
      kind: this.kind,
      command: this.command,
      line: this.line,
      field: this.field,
      message: this.message,
    };
    // Absent facts are left out rather than sent as `undefined` through a flow.
    for (const key of Object.keys(json) as Array<keyof typeof json>) {
      if (json[key] === undefined) delete json[key];
    }
    return json;
  }
}

/** A parameter error: names the field and the limit it broke. Nothing has been written. */
export function parameterError(field: string, problem: string): ModemError {
  return new ModemError({ kind: 'PARAMETER', field, message: `${field}: ${problem}` });
}

export function isModemError(err: unknown): err is ModemError {
  return err instanceof ModemError || (typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'ModemError');
}
