/**
 * XBee3 command lines and the read-compare-write of its registers. An XBee command is `AT`, the
 * two-character command, an optional space and the parameter (XBee3 Cellular User Guide, "Send AT
 * commands"): there is no `=` and no quoting, so every value is checked against the characters the
 * module takes before a line is made. Numbers are written and read back in hexadecimal.
 *
 * `AC` applies changed values and `WR` saves them; both are sent only when something changed.
 *
 * Must never: build a line from a value it has not checked, or write a register that already
 * holds the value.
 */
import type { CommandLine } from '../../at/command';
import type { AtChannel, AtResponse, CommandSpec, FinalCode } from '../../at/engine';
import { ModemError, parameterError } from '../../at/errors';
import { FILES } from './tables';

/** What a value on an XBee command line may hold: printable ASCII without `"`, and never CR, LF or a control. */
const VALUE = /^[\x20-\x7e]*$/;

/** `AT<name>[ <value>]`; `value` is checked first, `secret` keeps it out of the display form. */
export function xbeeCommand(name: string, value?: string, options: { field?: string; secret?: boolean; space?: boolean } = {}): CommandLine {
  if (!/^(?:[A-Z0-9]{2}|\$[0-2]|FS)$/.test(name)) throw parameterError('command', `"${name}" is not an XBee command`);
  if (value === undefined || value === '') return { text: `AT${name}`, display: `AT${name}` };
  if (!VALUE.test(value)) throw parameterError(options.field ?? name, 'may only hold printable ASCII characters (no line ends or control characters)');
  const sep = options.space === false ? '' : ' ';
  return { text: `AT${name}${sep}${value}`, display: `AT${name}${sep}${options.secret ? '***' : value}` };
}

/** A register read: the one line the module answers. */
export async function readRegister(at: Pick<AtChannel, 'send'>, name: string): Promise<string> {
  const answer = await at.send({ line: xbeeCommand(name) });
  return answer.final.trim();
}

/** `n` as the module writes numbers: upper-case hexadecimal without leading zeros. */
export function hex(n: number): string {
  return n.toString(16).toUpperCase();
}

/** A hexadecimal register value as a number; NaN when it is not one. */
export function fromHex(text: string): number {
  return /^[0-9A-Fa-f]+$/.test(text.trim()) ? parseInt(text.trim(), 16) : NaN;
}

/**
 * Reads `name` and writes `wanted` only when the module holds something else (`same` compares,
 * default: equal ignoring case). Returns whether it wrote.
 */
export async function ensureRegister(
  at: Pick<AtChannel, 'send'>,
  name: string,
  wanted: string,
  options: { field?: string; same?: (current: string) => boolean } = {},
): Promise<boolean> {
  const current = await readRegister(at, name);
  const same = options.same ?? ((c: string) => c.toLowerCase() === wanted.toLowerCase());
  if (same(current)) return false;
  await at.send({ line: xbeeCommand(name, wanted, { field: options.field }) });
  return true;
}

/** Applies (`AC`) and saves (`WR`) what was written; nothing when nothing was. */
export async function applyAndSave(at: Pick<AtChannel, 'send'>, written: number, save = true): Promise<void> {
  if (written === 0) return;
  await at.send({ line: xbeeCommand('AC') });
  if (save) await at.send({ line: xbeeCommand('WR') });
}

/** File-system errors ("Error responses"): a line starting with E, an upper-case code and a text. */
export const FS_ERROR: FinalCode = { pattern: /^E[A-Z0-9]+(?: .*)?$/, success: false };

/** An `ATFS` command whose answer is one line (`OK`, a value) or an error line. */
export function fsSpec(sub: string, arg?: string, options: { field?: string; timeoutMs?: number } = {}): CommandSpec {
  const value = arg === undefined ? sub : `${sub} ${arg}`;
  return { line: xbeeCommand('FS', value, { field: options.field }), finals: [FS_ERROR], timeoutMs: options.timeoutMs };
}

/** `ATFS LS <dir>`: the entries, up to the empty line that ends the listing. */
export function listSpec(dir: string): CommandSpec {
  return {
    line: xbeeCommand('FS', `LS ${dir}`),
    finals: [FS_ERROR, { pattern: /^ERROR$/, success: false }, { pattern: /^$/, success: true }],
    finalsOnly: true,
    timeoutMs: 10000,
  };
}

/** An entry of `ATFS LS`. */
export interface ListEntry {
  name: string;
  size: number;
  directory: boolean;
  /** Uploaded with `ATFS XPUT`: write-only. */
  secure: boolean;
}

export function parseListing(answer: AtResponse): ListEntry[] {
  const out: ListEntry[] = [];
  for (const line of answer.lines) {
    const m = FILES.listEntry.exec(line);
    if (!m) continue;
    let name = m[2];
    const directory = m[1] === '<DIR>';
    const secure = !directory && name.endsWith('#');
    if (secure) name = name.slice(0, -1);
    if (directory) name = name.replace(/\/$/, '');
    if (name === '.' || name === '..') continue;
    out.push({ name, size: directory ? 0 : Number(m[1]), directory, secure });
  }
  return out;
}

/** The file-system error code of a failed `ATFS` command (`ENOENT`), if it was one. */
export function fsErrorCode(err: unknown): string | undefined {
  if (!(err instanceof ModemError) || typeof err.code !== 'string') return undefined;
  return FILES.errorLine.exec(err.code)?.[1];
}
