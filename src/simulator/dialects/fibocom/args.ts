/**
 * Reading the parameters of a Fibocom command, refusing it the way the module does, and taking
 * counted input after the `> ` prompt with the module's idle timer.
 *
 * Owns: splitting the text after `=` into fields that remember whether they were quoted, the
 * checks every command applies (count, range, length), the plain `ERROR` answer, and
 * `readCounted`. Must never: know what a parameter means.
 *
 * The manual shows every failure of +GTSSL* as a plain `ERROR` (l. 69-71, l. 134-136, l. 213-215,
 * l. 246-248), and the +MIP examples print no other error form: whatever `+CMEE` says, these
 * commands answer `ERROR`. A handler throws `Refusal` (with a reason for tests); `plainErrors`
 * turns it into that answer.
 */
import type { CommandContext, CommandHandler, CommandHandlers, CommandResult } from '../../modem';

export class Refusal extends Error {
  constructor(readonly reason: string) {
    super(`ERROR: ${reason}`);
    this.name = 'Refusal';
  }
}

export function refuse(reason: string): never {
  throw new Refusal(reason);
}

const ERROR: CommandResult = { final: 'ERROR' };

/** Wraps each handler so that a `Refusal` ends the command with plain `ERROR`; `onRefusal` sees why. */
export function plainErrors(handlers: CommandHandlers, onRefusal: (reason: string, line: string) => void = () => undefined): CommandHandlers {
  const wrap = (handler: CommandHandler | undefined): CommandHandler | undefined =>
    handler &&
    (async (ctx) => {
      try {
        return await handler(ctx);
      } catch (err) {
        if (!(err instanceof Refusal)) throw err;
        onRefusal(err.reason, ctx.line);
        return ERROR;
      }
    });
  const out: CommandHandlers = {};
  // Only the forms given: an undefined form would replace one registered before.
  for (const form of ['exec', 'read', 'write', 'test'] as const) if (handlers[form]) out[form] = wrap(handlers[form]);
  return out;
}

export interface RawField {
  text: string;
  quoted: boolean;
}

/** `1,,"a,b",443` → fields; a quote opens a string that runs to the next quote (no escapes, V.250 §5.4.2.2). */
export function splitRaw(raw: string): RawField[] {
  const text = raw.trim();
  if (text === '') return [];
  const out: RawField[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) refuse('unterminated string');
      out.push({ text: text.slice(i + 1, close), quoted: true });
      i = close + 1;
      while (text[i] === ' ') i++;
      if (i >= text.length) return out;
      if (text[i] !== ',') refuse('text after a closing quote');
      i++;
      continue;
    }
    const comma = text.indexOf(',', i);
    const end = comma < 0 ? text.length : comma;
    out.push({ text: text.slice(i, end).trim(), quoted: false });
    if (comma < 0) return out;
    i = comma + 1;
  }
}

export class Params {
  readonly fields: RawField[];

  constructor(raw: string) {
    this.fields = splitRaw(raw);
  }

  get count(): number {
    return this.fields.length;
  }

  /** Present and not empty (`1,,"h"`: field 1 is absent). */
  has(i: number): boolean {
    const field = this.fields[i];
    return field !== undefined && (field.quoted || field.text !== '');
  }

  quoted(i: number): boolean {
    return this.fields[i]?.quoted === true;
  }

  expect(min: number, max: number): this {
    if (this.count < min || this.count > max) refuse(`expected ${min === max ? min : `${min}-${max}`} parameters, got ${this.count}`);
    return this;
  }

  /** A decimal number, unquoted, from `min` to `max`. */
  int(i: number, min: number, max: number): number {
    const field = this.fields[i];
    if (!field || field.quoted || !/^\d{1,9}$/.test(field.text)) refuse(`parameter ${i + 1}: a number from ${min} to ${max} expected`);
    const value = Number(field.text);
    if (value < min || value > max) refuse(`parameter ${i + 1}: ${value} is outside ${min}-${max}`);
    return value;
  }

  /** Text, quoted or bare, of at most `max` characters; exactly as given (spaces inside quotes kept). */
  text(i: number, max: number): string {
    const field = this.fields[i];
    if (!field) refuse(`parameter ${i + 1} is missing`);
    if (field.text.length > max) refuse(`parameter ${i + 1}: longer than ${max} characters`);
    return field.text;
  }
}

/** The prompt of ODM ("online data mode", l. 121) input: CR LF, `>`, space. */
export const PROMPT = '\r\n> ';

export type CountedInput = { data: Buffer } | { aborted: 'timeout' | 'power-off' };

/**
 * Prints `PROMPT` and takes exactly `length` bytes, every byte data (binary-safe, no echo). Gives
 * up when nothing at all arrives for `idleMs` — the manual's timer counts silence, not the whole
 * transfer (l. 121), so a slow line that keeps sending is never cut off. The framework's prompt
 * has only an overall deadline; it is re-armed in quarter steps for as long as bytes keep coming,
 * so the silence that ends the input lasts between `idleMs` and 1.25 × `idleMs`.
 */
export async function readCounted(ctx: CommandContext, length: number, idleMs: number): Promise<CountedInput> {
  const step = Math.max(1, Math.round(idleMs / 4));
  const parts: Buffer[] = [];
  let received = 0;
  let quietSteps = 0;
  let marker: string | Buffer = PROMPT;
  while (received < length) {
    const input = await ctx.prompt({ marker, length: length - received, timeoutMs: step, echo: false });
    // Only the first prompt is printed; the others continue the same input silently.
    marker = Buffer.alloc(0);
    if (input.aborted === 'power-off') return { aborted: 'power-off' };
    parts.push(input.data);
    received += input.data.length;
    if (!input.aborted) break;
    quietSteps = input.data.length > 0 ? 0 : quietSteps + 1;
    if (quietSteps >= 4) return { aborted: 'timeout' };
  }
  return { data: Buffer.concat(parts) };
}
