/**
 * Puts a `SimulatedModem` behind something a host can open: a TCP port (as ser2net or a terminal
 * server exposes a real modem) or a pseudo-terminal (a device path the real `serialport` opens).
 *
 * Owns: the listening socket or the pty, the one host connection, and the `data` listener on the
 * modem. Must never: change the modem's state — pulling a cable does not reboot a modem, so
 * `unplug()` only cuts the wire — or leave a handle open after `close()`.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { SimulatedModem } from './modem';
import { openPseudoTerminal, type PseudoTerminal } from './pty';

export interface TcpOptions {
  /** Default `127.0.0.1`: the simulator is not meant to be reachable from other machines. */
  host?: string;
  /** Default 0: the system picks a free port; read it back from `port`. */
  port?: number;
}

export interface TcpEndpoint {
  readonly host: string;
  readonly port: number;
  /** Whether a host is connected now. */
  readonly connected: boolean;
  /** Drops the current host connection; the next one is accepted. */
  unplug(): void;
  /** Stops listening and drops the connection; resolves when the server is closed. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves the modem on a TCP port, one host at a time like a serial port: a connection that
 * arrives while another is open is closed at once.
 */
export async function listenTcp(modem: SimulatedModem, options: TcpOptions = {}): Promise<TcpEndpoint> {
  const host = options.host ?? '127.0.0.1';
  const server = net.createServer();
  let current: net.Socket | undefined;
  let closing: Promise<void> | undefined;

  const toHost = (data: Buffer): void => {
    if (current && !current.destroyed) current.write(data);
  };

  server.on('connection', (socket) => {
    socket.on('error', () => undefined); // a reset by the host is its business, not a simulator failure
    if (current || closing) {
      socket.destroy();
      return;
    }
    current = socket;
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => {
      if (current === socket) modem.receive(data);
    });
    socket.on('close', () => {
      if (current === socket) current = undefined;
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  modem.on('data', toHost);
  const port = (server.address() as net.AddressInfo).port;

  return {
    host,
    port,
    get connected() {
      return current !== undefined;
    },
    unplug() {
      current?.destroy();
      current = undefined;
    },
    close() {
      if (!closing) {
        modem.off('data', toHost);
        current?.destroy();
        current = undefined;
        closing = new Promise<void>((resolve) => server.close(() => resolve()));
      }
      return closing;
    },
  };
}

export interface PtyOptions {
  /**
   * A path kept pointing at the current device, like `/dev/serial/by-id/…`: created now, removed on
   * unplug, re-pointed on replug (the pty path changes each time). An existing symlink there is
   * replaced; anything else there is an error.
   */
  linkPath?: string;
}

export interface PtyEndpoint {
  /** The current device path (`/dev/pts/N`); after `unplug()`, the one that was removed. */
  readonly path: string;
  readonly linkPath: string | undefined;
  readonly plugged: boolean;
  /** Closes the pty: the device path (and the link) disappear, the serial side sees a hang-up. */
  unplug(): Promise<void>;
  /** A new pty (so a new device path, returned) and the link pointed at it. */
  replug(): string;
  /** Unplugs for good and stops listening to the modem. Idempotent. */
  close(): Promise<void>;
}

export function servePty(modem: SimulatedModem, options: PtyOptions = {}): PtyEndpoint {
  const linkPath = options.linkPath === undefined ? undefined : path.resolve(options.linkPath);
  if (linkPath !== undefined && fs.existsSync(linkPath) && !fs.lstatSync(linkPath).isSymbolicLink()) {
    throw new Error(`linkPath: ${linkPath} exists and is not a symbolic link; refusing to replace it`);
  }
  let pty: PseudoTerminal | undefined;
  let devicePath = '';
  let closed = false;

  const toHost = (data: Buffer): void => {
    pty?.write(data).catch(() => undefined);
  };

  const plug = (): string => {
    const opened = openPseudoTerminal();
    opened.on('data', (data: Buffer) => {
      if (pty === opened) modem.receive(data);
    });
    opened.on('error', () => undefined);
    pty = opened;
    devicePath = opened.path;
    if (linkPath !== undefined) pointLink(linkPath, devicePath);
    return devicePath;
  };

  const unplug = async (): Promise<void> => {
    const old = pty;
    pty = undefined;
    if (old) modem.cutWire();
    if (linkPath !== undefined) removeLink(linkPath);
    await old?.close();
  };

  modem.on('data', toHost);
  plug();

  return {
    get path() {
      return devicePath;
    },
    linkPath,
    get plugged() {
      return pty !== undefined;
    },
    unplug,
    replug() {
      if (closed) throw new Error('pty transport is closed');
      if (pty) throw new Error(`already plugged in at ${devicePath}; unplug() first`);
      return plug();
    },
    async close() {
      if (!closed) {
        closed = true;
        modem.off('data', toHost);
      }
      await unplug();
    },
  };
}

/** Points `link` at `target` atomically (a new link renamed over the old), so an opener never sees it missing. */
function pointLink(link: string, target: string): void {
  const temporary = `${link}.${process.pid}.tmp`;
  fs.rmSync(temporary, { force: true });
  fs.symlinkSync(target, temporary);
  fs.renameSync(temporary, link);
}

function removeLink(link: string): void {
  try {
    if (fs.lstatSync(link).isSymbolicLink()) fs.unlinkSync(link);
  } catch {
    // Already gone.
  }
}
