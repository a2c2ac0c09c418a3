/**
 * Paces one direction of a simulated serial line: with 8N1 framing every byte costs 10 bit times
 * (start + 8 data + stop), so 9600 baud carries 960 bytes a second. A modem with a `baudRate` has
 * two, one for what it sends and one for what the host sends it.
 *
 * Owns: a queue of outgoing bytes and one timer. Each byte is handed on no earlier than the moment
 * its last bit would have left a real UART, in batches of about `TICK_MS` worth of bytes so that
 * a fast rate does not mean thousands of timers. A batch due within a couple of milliseconds is
 * waited for on the event loop instead, so a short answer is not held back by a timer's
 * granularity. Must never: reorder, drop (except on `clear()`) or alter bytes, or keep a timer
 * running while the queue is empty.
 */
import { performance } from 'node:perf_hooks';

/** Batch size in time: small enough to look like a stream, large enough to stay cheap. */
const TICK_MS = 10;
/** The end of a burst due within this many ms is not left to a timer (timers fire up to about a millisecond late). */
const SPIN_MS = 1.5;
const BITS_PER_BYTE = 10;

export class LinePacer {
  private queue: Buffer[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  /** When the last byte handed on finished its (simulated) transmission, in `performance.now()` ms. */
  private lineFreeAt = 0;
  private readonly bytesPerMs: number;
  private readonly batch: number;

  constructor(
    readonly baudRate: number,
    private readonly sink: (data: Buffer) => void,
    private readonly onDrain: () => void = () => undefined,
  ) {
    if (!Number.isFinite(baudRate) || baudRate <= 0) {
      throw new RangeError(`baudRate: must be a positive number of bits per second, got ${baudRate}`);
    }
    this.bytesPerMs = baudRate / BITS_PER_BYTE / 1000;
    this.batch = Math.max(1, Math.floor(this.bytesPerMs * TICK_MS));
  }

  /** Bytes waiting to be sent. */
  get pending(): number {
    return this.queued;
  }

  write(data: Buffer): void {
    if (data.length === 0) return;
    if (this.queued === 0) {
      // The line was idle: transmission of these bytes starts now, not when the last ones ended.
      this.lineFreeAt = Math.max(this.lineFreeAt, performance.now());
    }
    this.queue.push(data);
    this.queued += data.length;
    if (!this.timer) this.schedule();
  }

  /** Drops everything not yet sent (a modem losing power mid-transmission) and stops the timer. */
  clear(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
    this.queue = [];
    this.queued = 0;
  }

  private schedule(): void {
    const next = Math.min(this.batch, this.queued);
    const wait = this.lineFreeAt + next / this.bytesPerMs - performance.now();
    // A timer fires up to a millisecond late: far longer than a prompt takes at 921600 baud, and
    // long enough to hold up whoever waits for the last byte of a burst. So the end of a burst is
    // waited for turn by turn of the event loop, from shortly before it is due; a batch in the
    // middle of a stream is left to a timer, and a late one only means the next delivery is bigger.
    if (wait < SPIN_MS) this.timer = setImmediate(() => this.tick());
    else if (this.queued <= this.batch) this.timer = setTimeout(() => this.tick(), Math.floor(wait - SPIN_MS));
    else this.timer = setTimeout(() => this.tick(), Math.ceil(wait));
  }

  private tick(): void {
    this.timer = undefined;
    // Every byte whose last bit has left by now may go; when the timer was late, that is more than a
    // batch. Less than a batch waits for the rest, so a stream is not handed on a few bytes at a time.
    const sendable = Math.min(this.queued, Math.floor((performance.now() - this.lineFreeAt) * this.bytesPerMs));
    if (sendable > 0 && sendable >= Math.min(this.batch, this.queued)) {
      const out = this.take(sendable);
      this.lineFreeAt += out.length / this.bytesPerMs;
      this.sink(out);
    }
    if (this.queued > 0) {
      if (!this.timer) this.schedule();
    } else {
      this.onDrain();
    }
  }

  private take(n: number): Buffer {
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const head = this.queue[0];
      if (head.length <= left) {
        parts.push(head);
        this.queue.shift();
        left -= head.length;
      } else {
        parts.push(head.subarray(0, left));
        this.queue[0] = head.subarray(left);
        left = 0;
      }
    }
    this.queued -= n;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }
}
