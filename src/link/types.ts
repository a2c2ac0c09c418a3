/**
 * The link layer: a byte duplex to the modem, nothing more.
 *
 * A link owns one transport (a serial port or a raw TCP socket to a ser2net-style
 * server), opens it, reopens it with backoff when it drops, and reports its state.
 * It never interprets the bytes: framing, commands and URCs belong to `src/at`.
 */
import type { EventEmitter } from 'node:events';

export type LinkState =
  /** `open()` was called and the first attempt is under way. */
  | 'connecting'
  /** The transport is open; bytes flow. */
  | 'open'
  /** The transport dropped or could not be opened; a retry is scheduled. */
  | 'reconnecting'
  /** `close()` was called, or the link was never opened. Terminal until `open()`. */
  | 'closed';

export interface LinkStatus {
  state: LinkState;
  /** Human-readable description of the endpoint, e.g. `/dev/ttyUSB0 @ 115200` or `127.0.0.1:7001`. */
  endpoint: string;
  /** Why the link is not open (the last error), in words a user can act on. */
  reason?: string;
  /** Retry number, counting from 1, while `reconnecting`. */
  attempt?: number;
  /** Milliseconds until the next attempt, while `reconnecting`. */
  retryInMs?: number;
}

export interface SerialLinkOptions {
  transport: 'serial';
  /** Device path, e.g. `/dev/ttyUSB0` or `/dev/serial/by-id/usb-Telit_...`. */
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: 'none' | 'even' | 'odd' | 'mark' | 'space';
  stopBits?: 1 | 1.5 | 2;
  /** Hardware flow control (RTS/CTS). */
  rtscts?: boolean;
}

export interface TcpLinkOptions {
  transport: 'tcp';
  host: string;
  port: number;
  /** Give up a connect attempt that has no answer after this many ms (default 10000); the link retries. */
  connectTimeoutMs?: number;
}

export interface BackoffOptions {
  /** First retry delay in ms (default 500). */
  initialDelayMs?: number;
  /** Upper bound of the retry delay in ms (default 30000). */
  maxDelayMs?: number;
  /** Growth factor between retries (default 2). */
  factor?: number;
}

export type LinkOptions = (SerialLinkOptions | TcpLinkOptions) & { backoff?: BackoffOptions };

/**
 * Events:
 * - `data` (chunk: Buffer) — bytes from the modem, in arrival order.
 * - `status` (status: LinkStatus) — every state change.
 * - `open` — the transport became open (first time or after a reconnect).
 * - `down` (reason: string) — an open transport was lost (unplug, socket reset).
 */
export interface Link extends EventEmitter {
  readonly status: LinkStatus;
  readonly isOpen: boolean;
  /** Starts connecting; resolves on the first successful open, rejects if the first attempt fails
   *  (the link keeps retrying in the background until `close()`). */
  open(): Promise<void>;
  /** Writes bytes; resolves once they are handed to the OS (drained). Rejects if the link is not open. */
  write(data: Buffer): Promise<void>;
  /** Stops retrying and closes the transport. Idempotent. Resolves once the handle is released. */
  close(): Promise<void>;
}
