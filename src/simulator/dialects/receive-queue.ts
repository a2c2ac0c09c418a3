/**
 * The network side of a simulated socket: what it has received and not yet handed to the host,
 * in arrival order — the module's receive buffer, which the dialects drain by their own commands
 * and URCs (+USORD, #SSLRECV, +MIPRTCP) — and how it hears from its connection.
 *
 * Owns: the bytes and their count, and the listeners on the connection. Must never: decide when
 * the host is told about them, or hold a buffer the network stream may reuse (every chunk is
 * copied in).
 */
import type { Socket } from 'node:net';

/**
 * Hands what `stream` receives to `onData`, and calls `onGone` once the peer is gone however Node
 * reports it (`end` for its FIN, `close`, `error`); `onReset` replaces it for `error`, for a
 * dialect that reports a reset apart. Each may be called more than once: the callers ignore repeats.
 */
export function follow(stream: Socket, onData: (data: Buffer) => void, onGone: () => void, onReset: () => void = onGone): void {
  stream.on('data', onData);
  stream.on('end', onGone);
  stream.on('close', onGone);
  stream.on('error', onReset);
}
export class ReceiveQueue {
  private parts: Buffer[] = [];
  private bytes = 0;

  get size(): number {
    return this.bytes;
  }

  push(data: Buffer): void {
    this.parts.push(Buffer.from(data));
    this.bytes += data.length;
  }

  /** Up to `max` bytes from the front, in a buffer of their own; the rest stays queued. */
  take(max: number): Buffer {
    const out: Buffer[] = [];
    let size = 0;
    while (size < max && this.parts.length > 0) {
      const head = this.parts[0]!;
      const n = Math.min(head.length, max - size);
      out.push(head.subarray(0, n));
      size += n;
      if (n === head.length) this.parts.shift();
      else this.parts[0] = head.subarray(n);
    }
    this.bytes -= size;
    return Buffer.concat(out);
  }

  /** Everything queued, in one buffer; the queue is empty afterwards. */
  takeAll(): Buffer {
    return this.take(this.bytes);
  }

  /** Drops what is queued, unread. */
  clear(): void {
    this.parts = [];
    this.bytes = 0;
  }
}
