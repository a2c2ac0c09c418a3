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

/** The Linux/macOS port binding of `@serialport/bindings-cpp`, as far as `endOfFileMeansHangUp` uses it. */
interface UnixPortBinding {
  fd: number | null;
  readonly isOpen: boolean;
  readonly poller: { once(event: 'readable', listener: (err: Error | null) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
}

function isUnixPortBinding(binding: unknown): binding is UnixPortBinding {
  const b = binding as Partial<UnixPortBinding> | undefined;
  return typeof b?.read === 'function' && typeof b.poller?.once === 'function' && typeof b.fd === 'number';
}

/**
 * A tty that hangs up (USB unplug, pty master closed) answers every read with 0 bytes. bindings-cpp 13
 * retries such a read at once, forever (serialport/bindings-cpp#162, fix #164 not merged): no `close`
 * ever comes and a worker thread spins. This replaces the port's read with the same loop that ends at
 * end-of-file with a disconnect error, which the stream turns into `close` with `disconnected`.
 * A read parked on the poller sees POLLHUP and disconnects on its own; one under way at the moment of
 * the hang-up (the usual case while data flows) does not. Windows has no poller and is left alone.
 */
function endOfFileMeansHangUp(port: SerialPort): void {
  const binding: unknown = port.port;
  if (!isUnixPortBinding(binding)) return;
  const canceled = (): Error => Object.assign(new Error('Port is not open'), { canceled: true });
  binding.read = async (buffer, offset, length) => {
    for (;;) {
      const fd = binding.fd;
      if (!binding.isOpen || fd === null) throw canceled();
      const result = await new Promise<number | 'again'>((resolve, reject) =>
        fs.read(fd, buffer, offset, length, null, (err, bytesRead) => {
          const code = err?.code;
          if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') resolve('again');
          else if (err) reject(err);
          else resolve(bytesRead);
        }),
      );
      if (result === 0) throw Object.assign(new Error('the device hung up'), { disconnect: true });
      if (result !== 'again') return { buffer, bytesRead: result };
      if (!binding.isOpen) throw canceled();
      await new Promise<void>((resolve, reject) => binding.poller.once('readable', (err) => (err ? reject(err) : resolve())));
    }
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
        endOfFileMeansHangUp(port);
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
