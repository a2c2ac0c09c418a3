/**
 * The modem's real-time clock, as every cellular module of 3GPP TS 27.007 keeps it (§8.15 +CCLK):
 * setting it from the host's time and reading it back, so certificate dates are judged against a
 * clock that is right.
 *
 * Owns: the `"yy/MM/dd,hh:mm:ss±zz"` form both ways (the zone in quarter hours), and the commands
 * that carry it. Must never: know a vendor, or guess a date from an answer it cannot read — an
 * unreadable clock is `undefined`, and the caller falls back to its own.
 */
import { buildCommand, p, readCommand } from '../../at/command';
import type { AtChannel } from '../../at/engine';

/** What sends one command: the engine itself or an exclusive section's channel. */
type Sender = Pick<AtChannel, 'send'>;

const two = (n: number): string => String(n).padStart(2, '0');

/** `date` in UTC as +CCLK writes it: `25/01/13,08:05:09+00` (two-digit year, zone +00). */
export function clockText(date: Date): string {
  return `${two(date.getUTCFullYear() % 100)}/${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())},${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}+00`;
}

/**
 * `+CCLK: "yy/MM/dd,hh:mm:ss±zz"` (the zone optional) → the instant it names; undefined when no
 * such time is in `text`. Years are 2000 + yy: a module's clock starts in this century.
 */
export function parseClock(text: string): Date | undefined {
  const m = /"(\d\d)\/(\d\d)\/(\d\d),(\d\d):(\d\d):(\d\d)([+-]\d+)?"/.exec(text);
  if (!m) return undefined;
  const [, yy, mo, dd, hh, mi, ss, tz] = m;
  const local = Date.UTC(2000 + Number(yy), Number(mo) - 1, Number(dd), Number(hh), Number(mi), Number(ss));
  return new Date(local - Number(tz ?? 0) * 15 * 60000);
}

/** `AT+CCLK="…"`: the module's clock set to `date`, in UTC. */
export async function setModemClock(at: Sender, date: Date): Promise<void> {
  await at.send({ line: buildCommand('+CCLK', [p.str('clock', clockText(date))]) });
}

/** `AT+CCLK?`: the module's own time, or undefined when it does not answer one. */
export async function readModemClock(at: Sender): Promise<Date | undefined> {
  const answer = await at.send({ line: readCommand('+CCLK'), responsePrefixes: ['+CCLK:'] }).catch(() => null);
  return answer ? parseClock(answer.lines.join(' ')) : undefined;
}
