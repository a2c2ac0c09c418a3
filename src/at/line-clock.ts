/**
 * When the bytes handed to a serial link will all have crossed the line.
 *
 * A write completes once the operating system holds the bytes, which for a large write is long
 * before a UART has sent them. Whatever must follow a stretch of silence on the module's side —
 * the guard time before `+++` — counts from the last byte's arrival there, which this tells from
 * the line rate (10 bits a byte with 8N1 framing). Without a line rate (a TCP link, whose far end's
 * rate is unknown) it counts from the write itself.
 *
 * Owns: one running sum. Must never: wait, or know what the bytes are.
 */
import { performance } from 'node:perf_hooks';

/** A UART with 8N1 framing spends 10 bit times on every byte: start, 8 data bits, stop. */
export const BITS_PER_BYTE = 10;

export class LineClock {
  private freeAt = 0;
  /** Bytes a millisecond; `Infinity` without a line rate. */
  readonly bytesPerMs: number;

  constructor(baudRate?: number) {
    this.bytesPerMs = baudRate !== undefined && baudRate > 0 ? baudRate / BITS_PER_BYTE / 1000 : Infinity;
  }

  /** `n` bytes are handed to the link now, behind whatever is still on the line. */
  add(n: number): void {
    this.freeAt = Math.max(performance.now(), this.freeAt) + n / this.bytesPerMs;
  }

  /** `performance.now()` at which the module has heard the last byte written so far. */
  get quietFrom(): number {
    return this.freeAt;
  }

  /** How long the line has been quiet on the module's side, in ms (negative while bytes are still on it). */
  quietFor(): number {
    return performance.now() - this.freeAt;
  }
}
