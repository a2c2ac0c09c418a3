/**
 * A real pseudo-terminal pair inside this process, so a modem simulator can sit behind a device
 * path that the real `serialport` code opens (`--pty`, and the serial tests).
 *
 * Owns: the master end (read and written here) and one held-open slave fd. Must never: read from
 * the slave (the serial port under test opens the slave path and must get every byte), spawn a
 * process, or let a hang-up of the other side become an uncaught exception.
 *
 * The slave fd is held so that the serial side may close and reopen the path as often as it likes:
 * while any slave fd is open the master never reads EIO and the `/dev/pts/N` node stays. Closing
 * the pair removes the node, which is how tests pull the plug. The kernel gives the freed number to
 * the next pty anyone opens, so a client that must see "not found" should open it through a symlink
 * and lose the symlink too, as udev removes /dev/serial/by-id links on unplug.
 *
 * Writes do not go through the tty stream: libuv cannot reopen a pty master non-blocking, so it marks
 * the handle for blocking writes and spins on EAGAIN once the pty buffer (a few KiB) is full. The
 * reader of the other end lives in this same event loop, so that spin never ends. We write the
 * (non-blocking, as node-pty opens it) master fd directly and retry shortly when it is full.
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as tty from 'node:tty';

/** The part of @lydell/node-pty's native binding used here: `open()` makes a pair, no process. */
interface NativePty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
}

/**
 * Events: `data` (chunk: Buffer) — bytes the serial side wrote to the slave.
 * `error` (err: Error) — only emitted when someone listens; a hang-up (EIO) is never reported.
 */
export interface PseudoTerminal extends EventEmitter {
  /** The slave device path, e.g. `/dev/pts/3`: give it to `serialport`. */
  readonly path: string;
  /** Writes bytes towards the serial side. Resolves once handed to the kernel; a dropped promise never throws. */
  write(data: Buffer | string): Promise<void>;
  /** Closes both ends; the device path disappears. Idempotent; resolves once the master handle is released. */
  close(): Promise<void>;
}

function loadNative(): NativePty {
  try {
    // Required lazily so that the package works without this optional dependency until a pty is wanted.
    const { requireBinary } = require('@lydell/node-pty/requireBinary.js') as {
      requireBinary(file: string): unknown;
    };
    return requireBinary('pty.node') as NativePty;
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(
      'pseudo-terminal support comes from the optional package @lydell/node-pty, which could not be loaded ' +
        `(${detail}); install it with: npm install @lydell/node-pty`,
      { cause: err },
    );
  }
}

/** While the pty buffer is full: long enough to let the reader run, short enough not to throttle. */
const FULL_RETRY_MS = 1;

interface PendingWrite {
  rest: Buffer;
  resolve(): void;
  reject(err: Error): void;
}

class PseudoTerminalPair extends EventEmitter implements PseudoTerminal {
  readonly path: string;
  private readonly master: tty.ReadStream;
  private readonly masterFd: number;
  private readonly slaveFd: number;
  private readonly queue: PendingWrite[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(native: NativePty) {
    super();
    const term = native.open(80, 24);
    this.path = term.pty;
    this.masterFd = term.master;
    this.slaveFd = term.slave;
    // A tty.ReadStream is a net.Socket over the fd; it only reads here (see the header about writes).
    this.master = new tty.ReadStream(term.master);
    // Raw termios on the pair, so nothing is echoed or translated before serialport opens the slave
    // and sets its own (also raw) settings.
    this.master.setRawMode(true);
    this.master.on('data', (chunk: Buffer) => this.emit('data', chunk));
    this.master.on('error', (err: NodeJS.ErrnoException) => {
      // EIO on the master means every slave fd is closed: the other end hung up, which is not a fault.
      if (err.code === 'EIO') return;
      if (this.listenerCount('error') > 0) this.emit('error', err);
    });
  }

  write(data: Buffer | string): Promise<void> {
    const written = new Promise<void>((resolve, reject) => {
      if (this.closing || this.master.destroyed) {
        reject(new Error(`pseudo-terminal ${this.path} is closed`));
        return;
      }
      this.queue.push({ rest: Buffer.from(data), resolve, reject });
      if (!this.retryTimer) this.flush();
    });
    written.catch(() => undefined);
    return written;
  }

  /** Writes as much of the queue as the pty takes now; schedules itself again when the pty is full. */
  private flush(): void {
    this.retryTimer = undefined;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head.rest.length > 0) {
        let written: number;
        try {
          written = fs.writeSync(this.masterFd, head.rest);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
            this.retryTimer = setTimeout(() => this.flush(), FULL_RETRY_MS);
            return;
          }
          this.failQueued(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        head.rest = head.rest.subarray(written);
        if (head.rest.length > 0) continue;
      }
      this.queue.shift();
      head.resolve();
    }
  }

  private failQueued(err: Error): void {
    for (const pending of this.queue.splice(0)) pending.reject(err);
  }

  close(): Promise<void> {
    if (!this.closing) {
      const master = this.master;
      this.closing = new Promise<void>((resolve) => {
        if (master.closed) resolve();
        else master.once('close', () => resolve());
      });
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.failQueued(new Error(`pseudo-terminal ${this.path} was closed before the write completed`));
      master.destroy();
      try {
        fs.closeSync(this.slaveFd);
      } catch {
        // Already closed: nothing left to release.
      }
    }
    return this.closing;
  }
}

/** Opens a new pseudo-terminal pair. Throws if @lydell/node-pty is not installed. */
export function openPseudoTerminal(): PseudoTerminal {
  return new PseudoTerminalPair(loadNative());
}
