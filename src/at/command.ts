/**
 * Building command lines from typed parameters.
 *
 * Owns: turning `('#SSLD', [p.int('SSId', 1, …), p.str('host', h, …)])` into the bytes
 * `AT#SSLD=1,443,"example.com",0,1` and into a display form that is safe to log.
 * Must never: let a value break out of its parameter. A string containing a quote,
 * CR, LF, Ctrl-Z or ESC would end the command early or start a new one on the modem
 * (AT injection from a flow), and a backspace (ITU-T V.250 S5) edits the command line
 * the modem is collecting, so every control character is refused here, before anything is written.
 */
import { parameterError } from './errors';

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
}
/** An unquoted token such as a hex cipher id `0x002F` or a bare word the vendor expects without quotes. */
export interface TokenParam {
  type: 'token';
  name: string;
  value: string;
  secret?: boolean;
}
/** An omitted optional parameter: rendered as nothing between commas, dropped when trailing. */
export interface OmittedParam {
  type: 'omit';
}
export type AtParam = IntParam | StrParam | TokenParam | OmittedParam;

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
    checkText(name, value, limits.secret === true);
    if (value.includes('"')) {
      throw parameterError(name, 'must not contain a double quote (")');
    }
    checkLength(name, value, limits);
    return { type: 'str', name, value, secret: limits.secret };
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

function checkText(name: string, value: string, secret: boolean): void {
  for (const [code, label] of FORBIDDEN) {
    const at = value.indexOf(String.fromCharCode(code));
    if (at >= 0) {
      // Never echo a secret's content, not even its position's neighbourhood.
      throw parameterError(name, `must not contain ${label}${secret ? '' : ` (found at position ${at})`}`);
    }
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      throw parameterError(name, `must not contain control character 0x${c.toString(16).padStart(2, '0')}${secret ? '' : ` (found at position ${i})`}`);
    }
  }
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

export interface CommandLine {
  /** The exact text sent, without the terminating CR. */
  text: string;
  /** The same command with every secret parameter replaced by `***`: the only form that may be logged. */
  display: string;
}

/**
 * Renders a set command: `AT` + name + `=` + params. With no params it renders the action form `AT<name>`.
 * `name` is the vendor command including its prefix character, e.g. `#SSLD`, `+USECMNG`, `E0`.
 */
export function buildCommand(name: string, params: readonly AtParam[] = []): CommandLine {
  if (!/^[A-Za-z0-9#+$%&*^_!\-]+$/.test(name)) {
    throw parameterError('command', `"${name}" is not a valid command name`);
  }
  const trimmed = [...params];
  while (trimmed.length > 0 && trimmed[trimmed.length - 1].type === 'omit') trimmed.pop();
  if (trimmed.length === 0) {
    return { text: `AT${name}`, display: `AT${name}` };
  }
  const text = trimmed.map((param) => render(param, false)).join(',');
  const display = trimmed.map((param) => render(param, true)).join(',');
  return { text: `AT${name}=${text}`, display: `AT${name}=${display}` };
}

/** The read form `AT<name>?`. */
export function readCommand(name: string): CommandLine {
  const cmd = buildCommand(name);
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
      return redact && param.secret ? REDACTED : param.value;
  }
}

/**
 * Checks a raw command line typed by a user (the `modem-at-command` node). Quotes are
 * allowed — they are part of the user's own command — but line-ending and control
 * characters are not: one message must be exactly one command.
 */
export function checkRawCommand(field: string, line: unknown): string {
  if (typeof line !== 'string') {
    throw parameterError(field, `must be a command line as text, got ${describe(line)}`);
  }
  // A trailing line ending is harmless (the engine ends every command with CR itself);
  // one inside the line would split it into two commands, so that is refused below.
  const text = line.replace(/^[ \t]+/, '').replace(/[ \t\r\n]+$/, '');
  if (text.length === 0) {
    throw parameterError(field, 'is empty; send a command such as ATI');
  }
  checkText(field, text, false);
  if (text.length > 1024) {
    throw parameterError(field, `is ${text.length} characters long, the limit is 1024`);
  }
  return text;
}
