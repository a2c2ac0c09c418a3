/**
 * Building command lines from typed parameters, and the one place where command text becomes bytes.
 *
 * Owns: turning `('#SSLD', [p.int('SSId', 1, …), p.str('host', h, …)])` into the text
 * `AT#SSLD=1,443,"example.com",0,1`, a display form that is safe to log, and — through
 * `encodeCommandLine` / `encodeText` only — the bytes written to the modem.
 * Must never: let a value break out of its parameter, or let a character become another byte.
 * A string containing a quote, CR, LF, Ctrl-Z or ESC would end the command early or start a new
 * one on the modem (AT injection from a flow), and a backspace (ITU-T V.250 S5) edits the command
 * line the modem is collecting, so every control character is refused. Narrowing text to bytes
 * (`latin1`) would turn U+010D into CR and U+0122 into a quote after those checks had passed, so
 * text is checked against the characters its command allows — printable ASCII unless a parameter
 * says otherwise — and encoded without any narrowing.
 */
import { charsetProblem, describeChar, firstDisallowed, type Charset } from './charset';
import { parameterError } from './errors';

export type { Charset } from './charset';

export const CR = 0x0d;
export const LF = 0x0a;
export const CTRL_Z = 0x1a;
export const ESC = 0x1b;

/** Characters that can never appear inside a parameter or a raw command line. */
const FORBIDDEN: ReadonlyArray<[number, string]> = [
  [CR, 'carriage return (CR)'],
  [LF, 'line feed (LF)'],
  [CTRL_Z, 'Ctrl-Z'],
  [ESC, 'ESC'],
];

export interface IntParam {
  type: 'int';
  name: string;
  value: number;
}
export interface StrParam {
  type: 'str';
  name: string;
  value: string;
  /** Redacted in every display form (trace, errors, msg.modemError). */
  secret?: boolean;
  /** Default `printable-ascii`: the value was checked against it. */
  charset?: Charset;
}
/** An unquoted token such as a hex cipher id `0x002F` or a bare word the vendor expects without quotes. */
export interface TokenParam {
  type: 'token';
  name: string;
  value: string;
  secret?: boolean;
}
/**
 * Text sent as it is, without quotes, for dialects whose values are never quoted (Inventek
 * eS-WiFi `C1=<ssid>`): it may hold spaces, commas and quotes — the command's own syntax decides
 * where it ends — but never a control character, so it cannot end the line early.
 */
export interface UnquotedParam {
  type: 'unquoted';
  name: string;
  value: string;
  secret?: boolean;
  charset?: Charset;
}
/** An omitted optional parameter: rendered as nothing between commas, dropped when trailing. */
export interface OmittedParam {
  type: 'omit';
}
export type AtParam = IntParam | StrParam | TokenParam | UnquotedParam | OmittedParam;

export interface IntLimits {
  min?: number;
  max?: number;
  /** The complete set of accepted values, when it is not a range. */
  oneOf?: readonly number[];
}
export interface StrLimits {
  /** Maximum length in bytes (UTF-8). */
  maxLength?: number;
  minLength?: number;
  /** An extra shape check, with the words to use when it fails. */
  pattern?: RegExp;
  patternHint?: string;
  secret?: boolean;
  /** Default `printable-ascii`. */
  charset?: Charset;
}

/** Parameter constructors. Each validates at once and throws a `PARAMETER` ModemError naming the field. */
export const p = {
  int(name: string, value: unknown, limits: IntLimits = {}): IntParam {
    const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      throw parameterError(name, `must be a whole number, got ${describe(value)}`);
    }
    if (limits.oneOf && !limits.oneOf.includes(n)) {
      throw parameterError(name, `${n} is not allowed (one of ${limits.oneOf.join(', ')})`);
    }
    if (limits.min !== undefined && n < limits.min) {
      throw parameterError(name, `${n} is below the minimum ${limits.min}${limits.max !== undefined ? ` (range ${limits.min}..${limits.max})` : ''}`);
    }
    if (limits.max !== undefined && n > limits.max) {
      throw parameterError(name, `${n} is above the maximum ${limits.max}${limits.min !== undefined ? ` (range ${limits.min}..${limits.max})` : ''}`);
    }
    return { type: 'int', name, value: n };
  },

  str(name: string, value: unknown, limits: StrLimits = {}): StrParam {
    if (typeof value !== 'string') {
      throw parameterError(name, `must be text, got ${describe(value, limits.secret)}`);
    }
    checkText(name, value, limits.secret === true, limits.charset ?? 'printable-ascii');
    if (value.includes('"')) {
      throw parameterError(name, 'must not contain a double quote (")');
    }
    checkLength(name, value, limits);
    return { type: 'str', name, value, secret: limits.secret, ...(limits.charset ? { charset: limits.charset } : {}) };
  },

  token(name: string, value: unknown, limits: StrLimits = {}): TokenParam {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string') {
      throw parameterError(name, `must be text, got ${describe(value, limits.secret)}`);
    }
    if (!/^[A-Za-z0-9_.:+\-]*$/.test(text)) {
      throw parameterError(name, 'may only contain letters, digits and . _ : + -');
    }
    checkLength(name, text, limits);
    return { type: 'token', name, value: text, secret: limits.secret };
  },

  /** Text without quotes around it (see `UnquotedParam`): the charset and the limits still hold, a quote is text. */
  unquoted(name: string, value: unknown, limits: StrLimits = {}): UnquotedParam {
    if (typeof value !== 'string') {
      throw parameterError(name, `must be text, got ${describe(value, limits.secret)}`);
    }
    checkText(name, value, limits.secret === true, limits.charset ?? 'printable-ascii');
    checkLength(name, value, limits);
    return { type: 'unquoted', name, value, ...(limits.secret ? { secret: true } : {}), ...(limits.charset ? { charset: limits.charset } : {}) };
  },

  omit(): OmittedParam {
    return { type: 'omit' };
  },

  /** An optional integer: omitted when `value` is undefined, null or ''. */
  optInt(name: string, value: unknown, limits: IntLimits = {}): IntParam | OmittedParam {
    return value === undefined || value === null || value === '' ? p.omit() : p.int(name, value, limits);
  },

  /** An optional string: omitted when `value` is undefined or null. */
  optStr(name: string, value: unknown, limits: StrLimits = {}): StrParam | OmittedParam {
    return value === undefined || value === null ? p.omit() : p.str(name, value, limits);
  },
};

function describe(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
  // A secret given as the wrong type (a PIN as a number) is still a secret: name its type only.
  if (secret) return `a ${typeof value}`;
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Refuses every character `charset` does not allow, naming the field and the character (for a
 * secret, only that there is one: its content must not reach an error).
 */
function checkText(name: string, value: string, secret: boolean, charset: Charset): void {
  for (const [code, label] of FORBIDDEN) {
    const at = value.indexOf(String.fromCharCode(code));
    if (at >= 0) {
      // Never echo a secret's content, not even its position's neighbourhood.
      throw parameterError(name, `must not contain ${label}${secret ? '' : ` (found at position ${at})`}`);
    }
  }
  const problem = charsetProblem(value, charset, secret);
  if (problem) throw parameterError(name, problem);
}

function checkLength(name: string, value: string, limits: StrLimits): void {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (limits.maxLength !== undefined && bytes > limits.maxLength) {
    throw parameterError(name, `is ${bytes} bytes long, the limit is ${limits.maxLength}`);
  }
  if (limits.minLength !== undefined && bytes < limits.minLength) {
    throw parameterError(name, `is ${bytes} bytes long, it must be at least ${limits.minLength}`);
  }
  if (limits.pattern && !limits.pattern.test(value)) {
    throw parameterError(name, limits.patternHint ?? `does not have the expected form ${limits.pattern}`);
  }
}

export const REDACTED = '***';

/** The longest raw command line a user may send; longer ones are refused rather than cut (ITU-T V.250 §5.2.1 asks modems for at least 40). */
export const MAX_RAW_COMMAND = 1024;

export interface CommandLine {
  /** The exact text sent, without the terminating CR. */
  text: string;
  /** The same command with every secret parameter replaced by `***`: the only form that may be logged. */
  display: string;
  /** The characters `text` may hold; default `printable-ascii`. `encodeCommandLine` holds it to that. */
  charset?: Charset;
}

/** How a command line starts: `AT` (ITU-T V.250) unless the dialect has no prefix (eS-WiFi: `''`). */
export interface CommandForm {
  prefix?: 'AT' | '';
}

/**
 * Renders a set command: `AT` + name + `=` + params. With no params it renders the action form `AT<name>`.
 * `name` is the vendor command including its prefix character, e.g. `#SSLD`, `+USECMNG`, `E0`.
 */
export function buildCommand(name: string, params: readonly AtParam[] = [], form: CommandForm = {}): CommandLine {
  if (!/^[A-Za-z0-9#+$%&*^_!\-]+$/.test(name)) {
    throw parameterError('command', `"${name}" is not a valid command name`);
  }
  const prefix = form.prefix ?? 'AT';
  const trimmed = [...params];
  while (trimmed.length > 0 && trimmed[trimmed.length - 1].type === 'omit') trimmed.pop();
  if (trimmed.length === 0) {
    return { text: `${prefix}${name}`, display: `${prefix}${name}` };
  }
  const text = trimmed.map((param) => render(param, false)).join(',');
  const display = trimmed.map((param) => render(param, true)).join(',');
  const unicode = trimmed.some((param) => (param.type === 'str' || param.type === 'unquoted') && param.charset === 'printable-unicode');
  return { text: `${prefix}${name}=${text}`, display: `${prefix}${name}=${display}`, ...(unicode ? { charset: 'printable-unicode' as const } : {}) };
}

/** The read form `AT<name>?`. */
export function readCommand(name: string, form: CommandForm = {}): CommandLine {
  const cmd = buildCommand(name, [], form);
  return { text: `${cmd.text}?`, display: `${cmd.display}?` };
}

/** The test form `AT<name>=?`. */
export function testCommand(name: string): CommandLine {
  const cmd = buildCommand(name);
  return { text: `${cmd.text}=?`, display: `${cmd.display}=?` };
}

function render(param: AtParam, redact: boolean): string {
  switch (param.type) {
    case 'omit':
      return '';
    case 'int':
      return String(param.value);
    case 'str':
      return redact && param.secret ? `"${REDACTED}"` : `"${param.value}"`;
    case 'token':
    case 'unquoted':
      return redact && param.secret ? REDACTED : param.value;
  }
}

/**
 * Checks a raw command line typed by a user (the `modem-at-command` node). Quotes are
 * allowed — they are part of the user's own command — but line-ending and control
 * characters are not: one message must be exactly one command. Only printable ASCII:
 * a character beyond it would reach the modem as bytes it was never meant to be. `redact` is
 * the dialect's masking of secrets: a line it changes holds one (a password, a PIN), and the
 * error then does not name the offending character or where it is.
 */
export function checkRawCommand(field: string, line: unknown, redact?: (text: string) => string): string {
  if (typeof line !== 'string') {
    throw parameterError(field, `must be a command line as text, got ${describe(line)}`);
  }
  // A trailing line ending is harmless (the engine ends every command with CR itself);
  // one inside the line would split it into two commands, so that is refused below.
  const text = line.replace(/^[ \t]+/, '').replace(/[ \t\r\n]+$/, '');
  if (text.length === 0) {
    throw parameterError(field, 'is empty; send a command such as ATI');
  }
  // A line whose redacted form differs holds a secret: its characters are not named in the error.
  checkText(field, text, redact !== undefined && redact(text) !== text, 'printable-ascii');
  if (text.length > MAX_RAW_COMMAND) {
    throw parameterError(field, `is ${text.length} characters long, the limit is ${MAX_RAW_COMMAND}`);
  }
  return text;
}

/**
 * The bytes of a command line and its terminator: the only way command text reaches the wire.
 * Every character is held to the line's charset here as well, whatever built the line, so a
 * line assembled by hand cannot smuggle a character that would become another byte; the text
 * is then encoded as UTF-8, which never narrows (for printable ASCII it is byte for byte).
 */
export function encodeCommandLine(line: CommandLine, terminator: string): Buffer {
  const charset = line.charset ?? 'printable-ascii';
  const bad = firstDisallowed(line.text, charset);
  if (bad) {
    throw parameterError('command', `${line.display}: ${describeChar(bad.code)} at position ${bad.index} is not allowed in a command line (${charset === 'printable-ascii' ? 'printable ASCII only' : 'printable characters only'})`);
  }
  return Buffer.concat([Buffer.from(line.text, 'utf8'), encodeText('terminator', terminator, { controls: true })]);
}

/**
 * Fixed protocol text as bytes (an escape sequence, a sync command, PEM armour): ASCII only,
 * refused otherwise rather than narrowed. `controls` allows C0 control characters (a terminator).
 */
export function encodeText(field: string, text: string, options: { controls?: boolean } = {}): Buffer {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e || (c < 0x20 && !options.controls) || c === 0x7f) {
      throw parameterError(field, `${describeChar(c)} at position ${i} is not ASCII text`);
    }
  }
  return Buffer.from(text, 'ascii');
}
