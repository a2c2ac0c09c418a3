/**
 * Splits the body of one command line (what follows `AT`) into commands, the way ITU-T V.250
 * describes a command line, so that the simulated modem can look each one up by name and form.
 *
 * Owns: the syntax only — names, forms (EXEC/READ/WRITE/TEST, as in Particle's at_server) and the
 * argument text. Must never: know what a command means, or that any vendor exists. A dialect whose
 * lines are not V.250-shaped brings its own parser (the `parser` option of `SimulatedModem`).
 *
 * ```
 * parseCommandLine('E0+CMEE=2;+CCLK?')
 *   → [ { name: 'E',     form: 'exec',  args: [0] },
 *       { name: '+CMEE', form: 'write', args: [2] },
 *       { name: '+CCLK', form: 'read',  args: [] } ]
 * ```
 */
import { splitFields, type Field } from '../at/fields';

/** `AT+X` exec, `AT+X?` read, `AT+X=<args>` write, `AT+X=?` test (V.250 §5.4). */
export type CommandForm = 'exec' | 'read' | 'write' | 'test';

export interface ParsedCommand {
  /** Upper-case name: `+CGMI`, `#SSLD`, `E`, `&F`, `S3`, `D`. */
  name: string;
  form: CommandForm;
  /**
   * Write form: the fields after `=`, quotes removed (`splitFields`, so `1,"a,b"` → `[1, 'a,b']`).
   * Basic commands: their number when one was given (`E1` → `[1]`), else empty.
   */
  args: Field[];
  /** The text after `=` (write form), a basic command's digits or a dial string, exactly as received. */
  rawArgs: string;
  /** The command's own text as received, e.g. `+CMEE=2`. */
  text: string;
}

/** Returns the commands of one line body, or `null` when the line is not valid syntax (→ `ERROR`). */
export type CommandLineParser = (body: string) => ParsedCommand[] | null;

/**
 * V.250 §5.4.1 starts extended names with `+`; vendors use other marks for their own
 * commands (`#` Telit, `$`, `%`, `^`, `*`, `!`), so any of these begins an extended command.
 */
const EXTENDED_PREFIX = /[+#$%^*!]/;
/** V.250 §5.4.1: name characters after the prefix. */
const NAME_CHAR = /[A-Za-z0-9!%\-./:_]/;
const LETTER = /[A-Za-z]/;
const DIGIT = /[0-9]/;

export const parseCommandLine: CommandLineParser = (body) => {
  const out: ParsedCommand[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    // V.250 §5.2.1: spaces in a command line are ignored (outside strings); `;` separates extended commands.
    if (c === ' ' || c === ';') {
      i++;
      continue;
    }
    if (EXTENDED_PREFIX.test(c) && i + 1 < body.length && NAME_CHAR.test(body[i + 1])) {
      const parsed = parseExtended(body, i);
      out.push(parsed.command);
      i = parsed.end;
      continue;
    }
    if (LETTER.test(c) || (c === '&' && i + 1 < body.length && LETTER.test(body[i + 1]))) {
      const parsed = parseBasic(body, i);
      if (!parsed) return null;
      out.push(parsed.command);
      i = parsed.end;
      continue;
    }
    return null;
  }
  return out;
};

function parseExtended(body: string, start: number): { command: ParsedCommand; end: number } {
  let j = start + 1;
  while (j < body.length && NAME_CHAR.test(body[j])) j++;
  const name = body.slice(start, j).toUpperCase();
  let form: CommandForm = 'exec';
  let rawArgs = '';
  if (body.startsWith('=?', j)) {
    form = 'test';
    j += 2;
  } else if (body[j] === '?') {
    form = 'read';
    j += 1;
  } else if (body[j] === '=') {
    form = 'write';
    const end = endOfArguments(body, j + 1);
    rawArgs = body.slice(j + 1, end);
    j = end;
  }
  const text = body.slice(start, j);
  return { command: { name, form, args: form === 'write' ? splitFields(rawArgs.trim()) : [], rawArgs, text }, end: j };
}

/** The arguments run to the next `;` that is not inside a quoted string (V.250 §5.4.2), or to the end. */
function endOfArguments(body: string, from: number): number {
  let quoted = false;
  for (let k = from; k < body.length; k++) {
    if (body[k] === '"') quoted = !quoted;
    else if (body[k] === ';' && !quoted) return k;
  }
  return body.length;
}

function parseBasic(body: string, start: number): { command: ParsedCommand; end: number } | null {
  let j = start;
  let name = body[j].toUpperCase();
  j++;
  if (name === '&') {
    name += body[j].toUpperCase();
    j++;
  }
  if (name === 'D') {
    // V.250 §6.3.1: the dial string runs to the end of the line.
    const rawArgs = body.slice(j);
    return { command: { name, form: 'exec', args: rawArgs ? [rawArgs] : [], rawArgs, text: body.slice(start) }, end: body.length };
  }
  if (name === 'S') {
    // V.250 §5.3.2: S-parameters — `S<n>?` reads, `S<n>=<value>` writes; the number belongs to the name.
    const digitsStart = j;
    while (j < body.length && DIGIT.test(body[j])) j++;
    if (j === digitsStart) return null;
    name += String(Number(body.slice(digitsStart, j)));
    if (body[j] === '?') {
      j++;
      return { command: { name, form: 'read', args: [], rawArgs: '', text: body.slice(start, j) }, end: j };
    }
    if (body[j] === '=') {
      const valueStart = j + 1;
      j = valueStart;
      while (j < body.length && DIGIT.test(body[j])) j++;
      const rawArgs = body.slice(valueStart, j);
      return {
        command: { name, form: 'write', args: rawArgs ? [Number(rawArgs)] : [], rawArgs, text: body.slice(start, j) },
        end: j,
      };
    }
    return null;
  }
  // V.250 §5.3.1: `<letter>[<number>]`; a missing number means 0, which the handler decides.
  const digitsStart = j;
  while (j < body.length && DIGIT.test(body[j])) j++;
  const rawArgs = body.slice(digitsStart, j);
  return {
    command: { name, form: 'exec', args: rawArgs ? [Number(rawArgs)] : [], rawArgs, text: body.slice(start, j) },
    end: j,
  };
}
