/**
 * Secrets in raw command lines, by parameter position.
 *
 * Owns: splitting a command line typed by a user into its commands and their parameters the way
 * a modem does (ITU-T V.250 §5.2: `;` ends an extended command, a string constant runs between
 * double quotes, commas inside it are text), masking the parameters a rule names, and the rules
 * for the commands of 3GPP TS 27.007 that carry a secret — those are the same on every module, so
 * they live here and not in a vendor folder.
 *
 * Must never: change anything but the values of secret parameters (names, separators, spaces and
 * the other values stay as typed, so the display form still reads as the command that was sent),
 * or let a secret through because it was typed in an unexpected way — when the line is
 * ambiguous (an unclosed quote), more is masked, never less. Nothing here decides what is sent:
 * the real line goes to the modem untouched.
 */
import { REDACTED } from './command';

/**
 * Which parameters of a command are secret: zero-based positions, every parameter from a
 * position on, or the whole text after `=` as one value (for dialects whose values are not
 * comma-separated, where a comma or `;` belongs to the value).
 */
export type SecretPositions = readonly number[] | { readonly from: number } | 'whole';

/** A command whose parameters carry a secret. */
export interface SecretParameterRule {
  /**
   * The command as written after `AT`, with its prefix character: `+CPIN`, `#SGACT`. A name
   * without a prefix character (`C2`) must be the whole command, so it never matches the tail of another.
   */
  name: string;
  secret: SecretPositions;
  /** Only when the parameters (unquoted, trimmed) say so, e.g. one operation of a multi-purpose command. */
  when?(params: readonly string[]): boolean;
}

/** A command whose answer carries a secret, so the answer must never be traced. */
export interface SecretAnswerRule {
  name: string;
  /** `read`: `AT<name>?`; `set`: `AT<name>=…` (not the test form `=?`). */
  form: 'read' | 'set';
  when?(params: readonly string[]): boolean;
}

/**
 * The commands of 3GPP TS 27.007 (Release 18 numbering) that carry a password, a PIN or raw
 * SIM data. Every dialect masks these, whatever else it masks.
 */
export const STANDARD_SECRET_PARAMETERS: readonly SecretParameterRule[] = [
  // §7.4 +CLCK=<fac>,<mode>[,<passwd>[,<class>]]: the facility password (SIM PIN, PIN2, barring password).
  { name: '+CLCK', secret: [2] },
  // §7.5 +CPWD=<fac>,<oldpwd>,<newpwd>: both passwords.
  { name: '+CPWD', secret: [1, 2] },
  // §8.3 +CPIN=<pin>[,<newpin>]: the PIN, or the PUK followed by the new PIN.
  { name: '+CPIN', secret: [0, 1] },
  // +CPIN2=<pin>[,<newpin>] is not in 27.007, but several manufacturers define it with the
  // syntax of +CPIN for PIN2/PUK2; the name means nothing else, so masking it costs nothing.
  { name: '+CPIN2', secret: [0, 1] },
  // §8.17 +CSIM=<length>,<command>: a raw APDU, which can be a VERIFY carrying a PIN.
  { name: '+CSIM', secret: [1] },
  // §8.18 +CRSM=<command>[,<fileid>[,<P1>,<P2>,<P3>[,<data>[,<pathid>]]]]: the data written to the SIM.
  { name: '+CRSM', secret: [5] },
  // §8.19 +CSCC=<mode>[,<cmd_set>[,<token>]]: the token that unlocks a secure command set.
  { name: '+CSCC', secret: [2] },
  // §8.25 +CACM=[<passwd>], §8.26 +CAMM=[<acmmax>[,<passwd>]], §8.27 +CPUC=<currency>,<ppu>[,<passwd>]: SIM PIN2.
  { name: '+CACM', secret: [0] },
  { name: '+CAMM', secret: [1] },
  { name: '+CPUC', secret: [2] },
  // §8.36 +CMAR=<phone lock code>: the code that allows a master reset.
  { name: '+CMAR', secret: [0] },
  // §8.43 +CGLA=<sessionid>,<length>,<command>: a raw APDU on a logical channel, as +CSIM.
  { name: '+CGLA', secret: [2] },
  // §8.44 +CRLA=<sessionid>,<command>[,<fileid>[,<P1>,<P2>,<P3>[,<data>[,<pathid>]]]]: the data, as +CRSM.
  { name: '+CRLA', secret: [6] },
  // §10.1.31 +CGAUTH=<cid>[,<auth_prot>[,<userid>[,<password>]]]: the password; the user name is not a secret.
  { name: '+CGAUTH', secret: [3] },
];

/** The commands of 3GPP TS 27.007 whose answer can carry a secret. */
export const STANDARD_SECRET_ANSWERS: readonly SecretAnswerRule[] = [
  // §8.17, §8.18, §8.43, §8.44: the SIM's answer, which can be the content of a file holding keys.
  { name: '+CSIM', form: 'set' },
  { name: '+CRSM', form: 'set' },
  { name: '+CGLA', form: 'set' },
  { name: '+CRLA', form: 'set' },
  // §8.48 +CERP: the keys derived by an EAP session.
  { name: '+CERP', form: 'set' },
  // §10.1.31: the read form lists <userid>,<password> of every context.
  { name: '+CGAUTH', form: 'read' },
];

/** `line` with the 27.007 secrets of every command on it masked. */
export function redactStandardSecrets(line: string): string {
  return redactParameters(line, STANDARD_SECRET_PARAMETERS);
}

/** Whether the answer to `line` can carry a 27.007 secret (raw SIM data, keys, stored passwords). */
export function standardSecretResponse(line: string): boolean {
  return answersWithSecret(line, STANDARD_SECRET_ANSWERS);
}

/**
 * `line` with the secret parameters of every command the rules name masked: a quoted value
 * becomes `"***"`, an unquoted one `***`; an empty one stays empty (there is nothing to hide).
 * Several rules for one command add up.
 */
export function redactParameters(line: string, rules: readonly SecretParameterRule[]): string {
  if (rules.length === 0) return line;
  let out = '';
  let at = 0;
  for (const command of commandsOf(line)) {
    // A command inside a value already masked whole is part of that value.
    if (!command.params || command.test || command.valueStart < at) continue;
    const values = command.params.map((span) => unquote(line.slice(span.start, span.end)));
    const matching = rules.filter((rule) => names(command.head, rule.name) && (!rule.when || rule.when(values)));
    if (matching.length === 0) continue;
    if (matching.some((rule) => rule.secret === 'whole')) {
      out += line.slice(at, command.valueStart) + maskValue(line.slice(command.valueStart, command.lineEnd));
      at = command.lineEnd;
      continue;
    }
    for (const [i, span] of command.params.entries()) {
      if (span.start < at || !matching.some((rule) => covers(rule.secret, i))) continue;
      out += line.slice(at, span.start) + maskValue(line.slice(span.start, span.end));
      at = span.end;
    }
  }
  return out + line.slice(at);
}

/**
 * `values` (the comma-separated values of a URC or an information line, without its `+NAME: `)
 * with those at the secret positions masked, as `redactParameters` masks a command's.
 */
export function redactValues(values: string, secret: SecretPositions): string {
  if (secret === 'whole') return maskValue(values);
  let out = '';
  let at = 0;
  for (const [i, span] of splitParameters(values, 0, values.length).entries()) {
    if (!covers(secret, i)) continue;
    out += values.slice(at, span.start) + maskValue(values.slice(span.start, span.end));
    at = span.end;
  }
  return out + values.slice(at);
}

/**
 * The lines of an answer that can carry a secret, as they may be shown: an information line
 * (`+NAME: v1,v2,…`) keeps its name and the values the command's own parameter rules leave
 * public — the answer repeats the set syntax (`+USECPRF: 2,9,"<identity>"` for
 * `AT+USECPRF=2,9,"<identity>"`), so `redactCommand` applied to that command finds them — and
 * has every value masked when no rule names a secret in it; any other line (raw data, a
 * certificate, a bare value) is masked whole. An empty line stays empty.
 */
export function redactSecretAnswer(lines: readonly string[], redactCommand: (line: string) => string, prefix: 'AT' | '' = 'AT'): string[] {
  return lines.map((line) => {
    if (line.trim() === '') return line;
    const m = /^([+#$%^][A-Za-z0-9_]+)(:\s*)([\s\S]*)$/.exec(line);
    if (!m) return REDACTED;
    const [, name, colon, values] = m;
    const command = `${prefix}${name}=`;
    const masked = redactCommand(command + values);
    if (masked.startsWith(command) && masked !== command + values) return name + colon + masked.slice(command.length);
    return name + colon + redactValues(values, { from: 0 });
  });
}

/** Whether any command on `line` is one whose answer the rules call secret. */
export function answersWithSecret(line: string, rules: readonly SecretAnswerRule[]): boolean {
  if (rules.length === 0) return false;
  return commandsOf(line).some((command) =>
    rules.some((rule) => {
      if (rule.form === 'read') {
        const read = /^([\s\S]*)\?\s*$/.exec(command.head);
        return !command.params && read !== null && names(read[1], rule.name);
      }
      if (!command.params || command.test || !names(command.head, rule.name)) return false;
      return !rule.when || rule.when(command.params.map((span) => unquote(line.slice(span.start, span.end))));
    }),
  );
}

interface Span {
  start: number;
  end: number;
}

interface CommandPart {
  /** What precedes `=` (or the whole command when there is none): `AT+CPIN`, `ATE0+CPIN`, `+CPIN?`. */
  head: string;
  /** The parameters after `=`, each with its surrounding spaces; null when the command has no `=`. */
  params: Span[] | null;
  /** The test form `=?`. */
  test: boolean;
  /** Just after `=`. */
  valueStart: number;
  /** Where the physical line ends (CR, LF or the end of the text), for values that run to it. */
  lineEnd: number;
}

/**
 * The commands on a line: each ends at `;`, CR or LF outside quotes. A CR or LF ends the command
 * line for the modem even inside an unclosed quote, so it ends the quote here too.
 */
function commandsOf(line: string): CommandPart[] {
  const out: CommandPart[] = [];
  let i = 0;
  while (i < line.length) {
    const start = i;
    // The head runs to the first `=`, `;` or line end outside quotes.
    let quoted = false;
    while (i < line.length && !isLineEnd(line[i])) {
      const c = line[i];
      if (quoted) {
        if (c === '\\' && i + 1 < line.length && !isLineEnd(line[i + 1])) i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') {
        quoted = true;
      } else if (c === '=' || c === ';') {
        break;
      }
      i++;
    }
    const head = line.slice(start, i);
    let lineEnd = i;
    while (lineEnd < line.length && !isLineEnd(line[lineEnd])) lineEnd++;
    if (line[i] === '=') {
      const valueStart = i + 1;
      const end = commandEnd(line, valueStart);
      const params = splitParameters(line, valueStart, end);
      out.push({ head, params, test: line.slice(valueStart, end).trim() === '?', valueStart, lineEnd });
      i = end;
    } else {
      out.push({ head, params: null, test: false, valueStart: i, lineEnd });
    }
    // Step over the separator (`;`, CR or LF) that ended this command.
    if (i < line.length) i++;
  }
  return out;
}

function isLineEnd(c: string): boolean {
  return c === '\r' || c === '\n';
}

/** Where the parameters starting at `from` end: `;`, CR or LF outside quotes, or the end. */
function commandEnd(line: string, from: number): number {
  let quoted = false;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (isLineEnd(c)) return i;
    if (quoted) {
      if (c === '\\' && i + 1 < line.length && !isLineEnd(line[i + 1])) i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ';') {
      return i;
    }
  }
  return line.length;
}

/**
 * The parameters between `from` and `end`, split at commas outside quotes. A backslash inside a
 * quote keeps the next character in the string: V.250 strings escape with `\hh`, and some modules
 * also accept `\"`; either way, treating it as part of the string can only mask more.
 */
function splitParameters(text: string, from: number, end: number): Span[] {
  const spans: Span[] = [];
  let start = from;
  let quoted = false;
  for (let i = from; i < end; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\' && i + 1 < end) i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      spans.push({ start, end: i });
      start = i + 1;
    }
  }
  spans.push({ start, end });
  return spans;
}

/** Whether a command's head names `name`: V.250 ignores spaces in a command line, and names are case-insensitive. */
function names(head: string, name: string): boolean {
  const written = head.replace(/\s+/g, '').toUpperCase();
  const wanted = name.toUpperCase();
  // A name with a prefix character starts a new command wherever it appears (`ATE0+CPIN`);
  // a bare name must be all of it.
  return /^[A-Z]/.test(wanted) ? written === wanted : written.endsWith(wanted);
}

function covers(secret: SecretPositions, index: number): boolean {
  if (secret === 'whole') return true;
  return 'from' in secret ? index >= secret.from : secret.includes(index);
}

/** A value masked, keeping the spaces around it and whether it was quoted. */
function maskValue(raw: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(raw)!;
  if (m[2] === '') return raw;
  return `${m[1]}${m[2].startsWith('"') ? `"${REDACTED}"` : REDACTED}${m[3]}`;
}

function unquote(raw: string): string {
  const value = raw.trim();
  if (!value.startsWith('"')) return value;
  return value.endsWith('"') && value.length > 1 ? value.slice(1, -1) : value.slice(1);
}
