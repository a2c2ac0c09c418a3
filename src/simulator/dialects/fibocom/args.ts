/**
 * Reading the parameters of a Fibocom command, refusing it the way the module does, and taking
 * counted input after the `> ` prompt with the module's idle timer.
 *
 * Owns: the plain `ERROR` answer (`Refusal`, `plainErrors`), how Fibocom takes a text parameter,
 * and `readCounted`. Must never: know what a parameter means; the splitting and the checks shared
 * with the other dialects live in `../params.ts`.
 *
 * The manual shows every failure of +GTSSL* as a plain `ERROR` (l. 69-71, l. 134-136, l. 213-215,
 * l. 246-248), and the +MIP examples print no other error form: whatever `+CMEE` says, these
 * commands answer `ERROR`. A handler throws `Refusal` (with a reason for tests); `plainErrors`
 * turns it into that answer.
 */
import type { CommandContext, CommandHandler, CommandHandlers, CommandResult } from '../../modem';
import { CommandParams, splitRaw } from '../params';

export { range } from '../params';

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

/** Fibocom's parameters: a bad one ends the command with plain `ERROR` (a `Refusal` naming why). */
export class Params extends CommandParams {
  constructor(raw: string) {
    super(splitRaw(raw, refuse), refuse);
  }

  /**
   * Text, quoted or bare, of at most `max` characters; exactly as given (spaces inside quotes
   * kept). Unlike the shared getters, an empty field between commas is text too.
   */
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
 * has only an overall deadline; it is re-armed in steps of at most a quarter of `idleMs`, each
 * ending no later than `idleMs` after the last byte, so the silence that ends the input is `idleMs`.
 */
export async function readCounted(ctx: CommandContext, length: number, idleMs: number): Promise<CountedInput> {
  const step = Math.max(1, Math.round(idleMs / 4));
  const parts: Buffer[] = [];
  let received = 0;
  let lastByteAt = Date.now();
  let marker: string | Buffer = PROMPT;
  while (received < length) {
    const left = lastByteAt + idleMs - Date.now();
    if (left <= 0) return { aborted: 'timeout' };
    const input = await ctx.prompt({ marker, length: length - received, timeoutMs: Math.min(step, left), echo: false });
    // Only the first prompt is printed; the others continue the same input silently.
    marker = Buffer.alloc(0);
    if (input.aborted === 'power-off') return { aborted: 'power-off' };
    parts.push(input.data);
    received += input.data.length;
    if (!input.aborted) break;
    if (input.data.length > 0) lastByteAt = Date.now();
  }
  return { data: Buffer.concat(parts) };
}
