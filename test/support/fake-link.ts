/**
 * An in-memory `Link` for unit tests: the test plays the modem.
 *
 * It records every byte the code under test writes, lets the test inject bytes as
 * the modem would send them (whole, or split into chunks), and simulates the link
 * dropping and coming back. `respond()` installs a tiny scripted modem that answers
 * each CR-terminated command line, which is all most tests need for the engine's
 * resynchronisation (`AT` → `OK`). It never interprets anything else.
 */
import { EventEmitter } from 'node:events';
import type { Link, LinkStatus } from '../../src/link/types';

/** What a scripted modem answers to one command line (without its CR); `undefined`: stays silent. */
export type Responder = (command: string) => string | Buffer | undefined;

export interface FakeLinkOptions {
  endpoint?: string;
  /** Start open (default true), so an engine can be built on it at once. */
  open?: boolean;
}

export class FakeLink extends EventEmitter implements Link {
  status: LinkStatus;
  /** Every write, in order, as given. */
  readonly written: Buffer[] = [];
  /** Makes the next writes reject (a transport that failed without a `down` event yet). */
  failWrites: Error | null = null;
  private responder: { fn: Responder; delayMs: number } | null = null;

  constructor(options: FakeLinkOptions = {}) {
    super();
    this.status = { state: options.open === false ? 'closed' : 'open', endpoint: options.endpoint ?? 'fake:modem' };
  }

  get isOpen(): boolean {
    return this.status.state === 'open';
  }

  async open(): Promise<void> {
    this.setState({ state: 'open', endpoint: this.status.endpoint });
    this.emit('open');
  }

  async write(data: Buffer): Promise<void> {
    if (this.failWrites) throw this.failWrites;
    if (!this.isOpen) throw new Error(`link ${this.status.endpoint} is not open`);
    const copy = Buffer.from(data);
    this.written.push(copy);
    this.emit('write', copy);
    if (this.responder) this.answer(copy);
  }

  async close(): Promise<void> {
    if (this.status.state === 'closed') return;
    this.setState({ state: 'closed', endpoint: this.status.endpoint });
  }

  // ------------------------------------------------------------ test side

  /** Everything written so far, as latin1 text (byte for byte). */
  writtenText(): string {
    return Buffer.concat(this.written).toString('latin1');
  }

  /** Everything written so far, as one buffer. */
  writtenBytes(): Buffer {
    return Buffer.concat(this.written);
  }

  /** The CR-terminated command lines written so far, without their CR. */
  commands(): string[] {
    return this.written
      .map((b) => b.toString('latin1'))
      .filter((t) => t.endsWith('\r'))
      .flatMap((t) => t.split('\r').filter((c) => c.length > 0));
  }

  /** Bytes from the modem, delivered in one read. */
  feed(bytes: Buffer | string): void {
    this.emit('data', toBuffer(bytes));
  }

  /** Bytes from the modem, delivered as reads of at most `chunkSize` bytes, all at once. */
  feedSplit(bytes: Buffer | string, chunkSize: number): void {
    for (const chunk of chunks(toBuffer(bytes), chunkSize)) this.emit('data', chunk);
  }

  /** Like `feedSplit`, but one read per event-loop turn, as a slow serial line would deliver them. */
  async feedSplitPerTick(bytes: Buffer | string, chunkSize: number): Promise<void> {
    for (const chunk of chunks(toBuffer(bytes), chunkSize)) {
      await new Promise((resolve) => setImmediate(resolve));
      this.emit('data', chunk);
    }
  }

  /** The transport is lost: `down`, then state `reconnecting`. */
  drop(reason = 'unplugged'): void {
    this.setState({ state: 'reconnecting', endpoint: this.status.endpoint, reason, attempt: 1, retryInMs: 500 });
    this.emit('down', reason);
  }

  /** The transport is back after a drop. */
  reopen(): void {
    this.setState({ state: 'open', endpoint: this.status.endpoint });
    this.emit('open');
  }

  /**
   * A scripted modem: every CR-terminated command written is passed to `onCommand`;
   * what it returns is fed back after `delayMs` (default: the next event-loop turn).
   * Writes that do not end in CR (prompt payloads, ESC, `+++`) are not commands and are ignored.
   */
  respond(onCommand: Responder, delayMs = 0): void {
    this.responder = { fn: onCommand, delayMs };
  }

  /** Resolves with the first write (already made or still to come) for which `predicate` holds. */
  waitForWrite(predicate: (text: string, bytes: Buffer) => boolean, timeoutMs = 2000): Promise<Buffer> {
    const seen = this.written.find((b) => predicate(b.toString('latin1'), b));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('write', onWrite);
        reject(new Error(`no matching write within ${timeoutMs} ms; written: ${JSON.stringify(this.writtenText())}`));
      }, timeoutMs);
      const onWrite = (b: Buffer): void => {
        if (!predicate(b.toString('latin1'), b)) return;
        clearTimeout(timer);
        this.off('write', onWrite);
        resolve(b);
      };
      this.on('write', onWrite);
    });
  }

  /** Resolves once the command line `command` (without CR) has been written. */
  waitForCommand(command: string, timeoutMs?: number): Promise<Buffer> {
    return this.waitForWrite((text) => text.split('\r').includes(command) && text.includes('\r'), timeoutMs);
  }

  private answer(bytes: Buffer): void {
    const text = bytes.toString('latin1');
    // The engine writes each command with its CR in one write; anything else (a payload
    // after a prompt, ESC, an escape sequence) is not a command and is not answered.
    if (!text.endsWith('\r')) return;
    for (const command of text.split('\r')) {
      if (command.length === 0) continue;
      const reply = this.responder!.fn(command);
      if (reply === undefined) continue;
      const deliver = (): void => {
        if (this.isOpen) this.feed(reply);
      };
      if (this.responder!.delayMs > 0) setTimeout(deliver, this.responder!.delayMs);
      else setImmediate(deliver);
    }
  }

  private setState(status: LinkStatus): void {
    this.status = status;
    this.emit('status', status);
  }
}

function toBuffer(bytes: Buffer | string): Buffer {
  return typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
}

function chunks(bytes: Buffer, size: number): Buffer[] {
  if (size < 1) throw new RangeError('chunk size must be at least 1');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(Buffer.from(bytes.subarray(i, i + size)));
  return out;
}
