/**
 * A Telit or u-blox module prints nothing when it starts, so a restart behind a UART that stayed
 * open shows only in what it forgot. The host set `+CMEE=1` at bring-up (`HAYES_INIT`); a plain
 * `ERROR` where a numbered `+CME ERROR` was due is the first sign, and `+CMEE?` answering 0 the proof.
 */
import { readCommand } from '../../at/command';
import type { AtChannel } from '../../at/engine';
import { isModemError } from '../../at/errors';
import { parseLine } from '../../at/fields';

/** A bare `ERROR` final result code: what a module with `+CMEE` back at 0 answers to every failure. */
export function isPlainError(err: unknown): boolean {
  return isModemError(err) && err.kind === 'FINAL' && err.code === 'ERROR';
}

/** Reads `+CMEE?`: true when it is back at 0, the power-on default, so the module restarted. */
export async function errorReportingWasReset(at: Pick<AtChannel, 'send'>): Promise<boolean> {
  const answer = await at.send({ line: readCommand('+CMEE'), responsePrefixes: ['+CMEE:'] }).catch(() => null);
  const mode = answer?.lines.map((l) => parseLine(l)).find((l) => l.name === '+CMEE')?.fields[0];
  return mode === 0;
}
