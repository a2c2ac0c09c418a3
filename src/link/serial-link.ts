/**
 * A link over a local serial port (USB CDC-ACM, FTDI, UART), through the `serialport` package.
 *
 * Owns: one `SerialPort` object per connect attempt and the translation of its errors into
 * words that name the problem and the port. Must never: reuse a `SerialPort` object after it
 * closed (after a disconnect it silently queues reads and writes until an `open` that never
 * comes), or leave one without an `error` listener.
 */
import * as fs from 'node:fs';
import { SerialPort } from 'serialport';
import { ReconnectingLink, type ConnectAttempt, type Transport } from './reconnecting-link';
import type { BackoffOptions, SerialLinkOptions } from './types';

const PARITY_LETTER: Record<NonNullable<SerialLinkOptions['parity']>, string> = {
  none: 'N',
  even: 'E',
  odd: 'O',
  mark: 'M',
  space: 'S',
};

/** `/dev/ttyUSB0 @ 115200 8N1`, with ` RTS/CTS` when hardware flow control is on. */
export function describeSerialEndpoint(options: SerialLinkOptions): string {
  const frame = `${options.dataBits ?? 8}${PARITY_LETTER[options.parity ?? 'none'] ?? '?'}${options.stopBits ?? 1}`;
  return `${options.path} @ ${options.baudRate} ${frame}${options.rtscts ? ' RTS/CTS' : ''}`;
}

/**
 * Puts a `serialport` error into words. Its messages carry no `code`, only strerror text from the
 * native binding (`Error: No such file or directory, cannot open /dev/x`, `Error Resource temporarily
 * unavailable Cannot lock port`, …), so the text is what we match; the Windows wordings are included.
 */
export function explainSerialError(options: SerialLinkOptions, err: unknown): string {
  const { path, baudRate } = options;
  const text = err instanceof Error ? err.message : String(err);
  if (/No such file or directory|ENOENT|File not found|cannot find the file/i.test(text)) {
    return `serial port ${path} not found`;
  }
  if (/Cannot lock port|Resource temporarily unavailable|EBUSY|Device or resource busy/i.test(text)) {
    return `serial port ${path} is in use by another program`;
  }
  // On Windows a port another program holds answers "Access denied".
  if (/Access denied/i.test(text) && process.platform === 'win32') {
    return `serial port ${path} is in use by another program`;
  }
  if (/Permission denied|EACCES|EPERM|Access denied/i.test(text)) {
    return `no permission to open ${path} (add the user to the dialout group)`;
  }
  // ENOTTY: the path exists but is a plain file or something else that has no line settings.
  if (/Inappropriate ioctl|ENOTTY|Is a directory|EISDIR/i.test(text)) {
    return `${path} is not a serial port`;
  }
  if (/baud ?rate/i.test(text)) {
    return `serial port ${path} refused baud rate ${baudRate}`;
  }
  // The Linux and macOS bindings only know none/even/odd parity and 1 or 2 stop bits.
  if (/Invalid parity/i.test(text)) {
    return `serial port ${path} does not support parity ${options.parity}`;
  }
  if (/Invalid stop bits/i.test(text)) {
    return `serial port ${path} does not support ${options.stopBits} stop bits`;
  }
  if (/Invalid data bits/i.test(text)) {
    return `serial port ${path} does not support ${options.dataBits} data bits`;
  }
  return `serial port ${path}: ${text.replace(/^Error:?\s*/, '')}`;
}

type PollEvent = 'readable' | 'writable';

/** libuv's `uv_poll_event` flags, as the binding's poller takes them. */
const POLL_FLAG: Record<PollEvent, number> = { readable: 1, writable: 2 };

/** The Linux/macOS port binding of `@serialport/bindings-cpp`, as far as `readAndWriteOnTheLoop` uses it. */
interface UnixPortBinding {
  fd: number | null;
  readonly isOpen: boolean;
  readonly poller: {
    once(event: PollEvent, listener: (err: Error | null) => void): unknown;
    listenerCount(event: PollEvent): number;
    /** Watches the fd for exactly these events (`UV_READABLE` | `UV_WRITABLE`), replacing what it watched. */
    poll(events: number): void;
  };
  writeOperation: Promise<void> | null;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
}

function isUnixPortBinding(binding: unknown): binding is UnixPortBinding {
  const b = binding as Partial<UnixPortBinding> | undefined;
  return (
    typeof b?.read === 'function' && typeof b.write === 'function' && typeof b.poller?.once === 'function' && typeof b.fd === 'number'
  );
}

/** The fd has nothing to read, or no room to write, right now: wait for the poller and try again. */
function isNotReady(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR';
}

/**
 * Replaces the read and write of the Linux/macOS binding with system calls made on the event loop.
 *
 * The binding opens the port non-blocking, yet bindings-cpp 13 reads and writes through `fs.read` and
 * `fs.write`, each a round trip through the libuv thread pool; a chunk costs one for its bytes and one
 * more for the EAGAIN that sends the read to the poller. An AT round trip is a few such chunks, and the
 * hops (a worker thread woken, its result posted back to the loop) cost more than everything the AT
 * engine does with the bytes. A non-blocking read or write never waits, so here it is made directly,
 * and the poller, which already watches the fd on the event loop, says when to try again.
 *
 * A read that got fewer bytes than it asked for has emptied the input queue, so the next one waits for
 * the poller first instead of making a read that can only fail with EAGAIN; the poller is
 * level-triggered, so bytes that arrived in between are reported at once.
 *
 * A tty that hangs up (USB unplug, pty master closed) answers every read with 0 bytes. bindings-cpp 13
 * retries such a read at once, forever (serialport/bindings-cpp#162, fix #164 not merged): no `close`
 * ever comes and a worker thread spins. Here end-of-file is a disconnect error, which the stream turns
 * into `close` with `disconnected`. A read parked on the poller is woken by the hang-up (POLLHUP counts
 * as readable) and reads that end-of-file too. Windows has no poller and is left alone.
 */
function readAndWriteOnTheLoop(port: SerialPort): void {
  const binding: unknown = port.port;
  if (!isUnixPortBinding(binding)) return;
  const canceled = (): Error => Object.assign(new Error('Port is not open'), { canceled: true });
  const { poller } = binding;
  // The poller's `once` watches for its own event only and drops the other one (its native side starts
  // the watch with the new flag alone): a read that starts waiting while a write waits for room would
  // leave that write waiting forever. So the watch is widened again to every event someone waits for.
  const ready = (event: PollEvent): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      poller.once(event, (err) => (err ? reject(err) : resolve()));
      const other: PollEvent = event === 'readable' ? 'writable' : 'readable';
      if (poller.listenerCount(other) > 0) poller.poll(POLL_FLAG.readable | POLL_FLAG.writable);
    });
  let drained = false;

  binding.read = async (buffer, offset, length) => {
    for (;;) {
      if (!binding.isOpen) throw canceled();
      if (drained) {
        drained = false;
        await ready('readable');
      }
      const fd = binding.fd;
      if (!binding.isOpen || fd === null) throw canceled();
      let bytesRead: number;
      try {
        bytesRead = fs.readSync(fd, buffer, offset, length, null);
      } catch (err) {
        if (!isNotReady(err)) throw err;
        drained = true;
        continue;
      }
      if (bytesRead === 0) throw Object.assign(new Error('the device hung up'), { disconnect: true });
      drained = bytesRead < length;
      return { buffer, bytesRead };
    }
  };

  // Same contract as the binding's own write: resolves once every byte is in the kernel's output queue,
  // `writeOperation` (awaited by `drain()`) is the write under way.
  binding.write = (buffer) => {
    const operation = (async () => {
      let offset = 0;
      while (offset < buffer.length) {
        const fd = binding.fd;
        if (!binding.isOpen || fd === null) throw new Error('Port is not open');
        try {
          offset += fs.writeSync(fd, buffer, offset, buffer.length - offset);
        } catch (err) {
          if (!isNotReady(err)) throw err;
          await ready('writable');
        }
      }
    })();
    binding.writeOperation = operation;
    const clear = (): void => {
      if (binding.writeOperation === operation) binding.writeOperation = null;
    };
    operation.then(clear, clear);
    return operation;
  };
}

export class SerialLink extends ReconnectingLink {
  private readonly options: SerialLinkOptions;

  constructor(options: SerialLinkOptions & { backoff?: BackoffOptions }) {
    super(describeSerialEndpoint(options), options.backoff);
    this.options = { ...options };
  }

  protected override connectOnce(attempt: ConnectAttempt): Promise<Transport> {
    const options = this.options;
    const explain = (err: unknown): Error => new Error(explainSerialError(options, err));
    return new Promise<Transport>((resolve, reject) => {
      let port: SerialPort;
      try {
        port = new SerialPort({
          path: options.path,
          baudRate: options.baudRate,
          dataBits: options.dataBits ?? 8,
          parity: options.parity ?? 'none',
          stopBits: options.stopBits ?? 1,
          rtscts: options.rtscts ?? false,
          autoOpen: false,
        });
      } catch (err) {
        reject(explain(err));
        return;
      }
      let closed = false;
      // Errors also arrive as callback arguments or as the `close` reason; this listener only keeps a
      // stray one (e.g. after close) from becoming an uncaught exception.
      port.on('error', () => undefined);
      port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
        closed = true;
        attempt.lost(
          err?.disconnected ? `serial port ${options.path} was disconnected` : `serial port ${options.path} was closed`,
        );
      });

      const release = (): Promise<void> =>
        new Promise<void>((done) => {
          if (closed) done();
          else if (port.isOpen) port.close(() => done());
          // Opening or closing on its own (a disconnect): the `close` event marks the fd released.
          else port.once('close', () => done());
        });

      port.open((err) => {
        if (err) {
          closed = true;
          reject(explain(err));
          return;
        }
        if (attempt.signal.aborted) {
          void release().then(() => reject(new Error(`opening ${options.path} was cancelled`)));
          return;
        }
        readAndWriteOnTheLoop(port);
        port.on('data', (chunk: Buffer) => attempt.data(chunk));
        resolve({
          write: (data) =>
            new Promise<void>((done, fail) => {
              if (!port.isOpen) {
                fail(new Error(`serial port ${options.path} is not open`));
                return;
              }
              // The write callback fires once the binding handed every byte to the kernel. We do not
              // wait for `drain()` (tcdrain): at 9600 baud 64 KiB takes a minute on the wire and would
              // hold a libuv worker thread all that time.
              port.write(data, (writeErr) => (writeErr ? fail(explain(writeErr)) : done()));
            }),
          close: release,
        });
      });
    });
  }
}
