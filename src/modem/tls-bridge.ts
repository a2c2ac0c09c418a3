/**
 * A local TCP listener whose connections are carried over the modem's TLS: for each local client
 * it opens a TLS connection through the modem and copies bytes both ways until either side ends,
 * then ends the other. Any TCP client on this machine (Node-RED's MQTT, TCP and WebSocket nodes,
 * a broker bridge, a shell tool) can then use the modem's TLS — and the certificates inside it —
 * as if the server were local.
 *
 * Owns: the listener, the limit of connections at once (more are refused at once), waiting for
 * the modem to be ready, the copy in both directions with bounded buffers (the local socket is
 * paused while a send is under way; the module is told to hold what a slow local reader has not
 * taken, or the connection ends once `maxUnread` bytes wait), counting bytes, and the order of
 * closes. Events: `open` (BridgeOpen), `closed` (BridgeClosed), `failure` (ModemError, client),
 * `bytes` (bytes were carried, either way: the counts changed).
 * Must never: know a vendor (the adapter does), or know Node-RED (the node does).
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { OpenRequest, SocketInfo } from '../adapters/adapter';
import { isLoopback } from '../adapters/rules';
import { ModemError, isModemError } from '../at/errors';
import type { ModemConnection } from './connection';

export { isLoopback };

export interface BridgeSettings {
  listenHost: string;
  listenPort: number;
  /** Local connections at once; one more is refused at once. */
  connections: number;
  /** The TLS connection each local client gets (`replaces` is the bridge's own business). */
  open: Omit<OpenRequest, 'replaces'>;
  /** Most bytes from the server that may wait for a slow local reader when the module cannot hold them (default 1 MiB). */
  maxUnread?: number;
  /** Most bytes one send to the modem carries (default 64 KiB). */
  maxSend?: number;
}

export interface BridgeOpen {
  client: string;
  socket: string;
  host: string;
  port: number;
  mode: 'command' | 'online';
  cipher?: string;
}

export interface BridgeClosed {
  client: string;
  /** Empty when the TLS connection was never opened. */
  socket: string;
  /** Bytes carried from the local client to the server, and back. */
  bytesUp: number;
  bytesDown: number;
  reason: string;
  /** Who ended it: the local client, the server, the modem (link lost, module restarted) or the bridge (an error, a stop). */
  by: 'client' | 'server' | 'modem' | 'bridge';
}

export const DEFAULT_MAX_UNREAD = 1 << 20;
export const DEFAULT_MAX_SEND = 64 * 1024;

/** `127.0.0.1:1883`, `[::1]:1883`. */
export function addressText(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export class TlsBridge extends EventEmitter {
  private server: net.Server | null = null;
  private readonly live = new Set<Bridged>();
  /** Every accepted local socket until it closes: one ended towards the client may wait for the client's end. */
  private readonly sockets = new Set<net.Socket>();
  private stopped = false;
  /** Bytes carried by connections that have ended; `bytesUp`/`bytesDown` add the live ones. */
  private upBefore = 0;
  private downBefore = 0;

  constructor(
    private readonly modem: ModemConnection,
    readonly settings: BridgeSettings,
  ) {
    super();
  }

  /** Local connections being opened or open. */
  get openCount(): number {
    return this.live.size;
  }

  get bytesUp(): number {
    let n = this.upBefore;
    for (const c of this.live) n += c.up;
    return n;
  }

  get bytesDown(): number {
    let n = this.downBefore;
    for (const c of this.live) n += c.down;
    return n;
  }

  get address(): string {
    return addressText(this.settings.listenHost, this.settings.listenPort);
  }

  /** Starts listening; rejects with a PARAMETER error naming `listenPort` or `listenHost` when it cannot. */
  listen(): Promise<void> {
    // Half open: a client that sends and then ends its side still gets every byte through, and the answer.
    const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    this.server = server;
    return new Promise<void>((resolve, reject) => {
      const failed = (err: NodeJS.ErrnoException): void => {
        this.server = null;
        const field = err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' ? 'listenHost' : 'listenPort';
        const why = err.code === 'EADDRINUSE'
          ? 'is already in use on this machine (another program or node listens there)'
          : err.code === 'EACCES'
            ? 'may not be opened by this process (ports below 1024 need privileges)'
            : err.code === 'EADDRNOTAVAIL'
              ? 'is not an address of this machine'
              : `cannot be listened on (${err.code ?? err.message})`;
        reject(new ModemError({ kind: 'PARAMETER', field, vendor: this.modem.vendor, message: `${field}: ${this.address} ${why}`, cause: err }));
      };
      server.once('error', failed);
      server.listen({ host: this.settings.listenHost, port: this.settings.listenPort }, () => {
        server.off('error', failed);
        server.on('error', (err) => this.emit('failure', new ModemError({ kind: 'FINAL', vendor: this.modem.vendor, message: `the listener on ${this.address} failed: ${err.message}`, cause: err }), ''));
        resolve();
      });
    });
  }

  /** Stops listening and ends every connection, closing the modem's side; never rejects. */
  async close(): Promise<void> {
    this.stopped = true;
    const server = this.server;
    this.server = null;
    const closing = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    await Promise.all([...this.live].map((c) => c.end('the bridge stopped', 'bridge')));
    for (const socket of this.sockets) socket.destroy();
    await closing;
  }

  private accept(local: net.Socket): void {
    this.sockets.add(local);
    local.once('close', () => this.sockets.delete(local));
    const client = addressText(local.remoteAddress ?? '?', local.remotePort ?? 0);
    if (this.stopped) {
      local.destroy();
      return;
    }
    if (this.live.size >= this.settings.connections) {
      local.destroy();
      const max = this.settings.connections;
      const sockets = this.modem.adapter.capabilities().sockets.maxConcurrent;
      this.emit('failure', new ModemError({
        kind: 'PARAMETER', field: 'connections', vendor: this.modem.vendor,
        message: `connections: the bridge carries at most ${max} connection${max === 1 ? '' : 's'} at once${max < sockets ? ` (the modem has ${sockets} TLS sockets; raise connections to carry more)` : ' (as many as the modem has TLS sockets)'}; the connection from ${client} was refused`,
      }), client);
      return;
    }
    const bridged = new Bridged(this, this.modem, local, client);
    this.live.add(bridged);
    bridged.on('open', (info: BridgeOpen) => this.emit('open', info));
    bridged.once('closed', (info: BridgeClosed) => {
      this.live.delete(bridged);
      this.upBefore += info.bytesUp;
      this.downBefore += info.bytesDown;
      this.emit('closed', info);
    });
    bridged.on('failure', (err: ModemError) => this.emit('failure', err, client));
    void bridged.start();
  }
}

/** One local client and its TLS connection through the modem. */
class Bridged extends EventEmitter {
  up = 0;
  down = 0;
  private info: SocketInfo | null = null;
  private ended: Promise<void> | null = null;
  /** Local bytes waiting for the send under way. */
  private queue: Buffer[] = [];
  private sending = false;
  /** The send loop under way (settled when idle): an end waits for it, so the bytes it carried are counted. */
  private pumping: Promise<void> = Promise.resolve();
  /** The local client has ended its side: close the TLS connection once what it sent is through. */
  private localEnded = false;
  private held = false;
  /**
   * What the modem reported while the open was under way, before the socket's id was known: data
   * right behind the handshake, or even its close. Replayed for the socket opened, dropped for others.
   */
  private early: Array<{ socket: string; data?: Buffer; reason?: string }> | null = [];
  private readonly onData = (socket: string, data: Buffer): void => {
    if (this.early) this.early.push({ socket, data });
    else this.fromServer(socket, data);
  };
  private readonly onClosed = (socket: string, reason: string): void => {
    if (this.early) this.early.push({ socket, reason });
    else if (this.info && socket === this.info.socket) void this.end(reason, this.modem.link.isOpen && this.modem.isReady ? 'server' : 'modem', true);
  };

  constructor(
    private readonly bridge: TlsBridge,
    private readonly modem: ModemConnection,
    private readonly local: net.Socket,
    private readonly client: string,
  ) {
    super();
    // Nothing is read from the client before its TLS connection is open.
    local.pause();
    local.setNoDelay(true);
    local.on('data', (data: Buffer) => this.fromClient(data));
    local.on('end', () => {
      this.localEnded = true;
      if (!this.sending) void this.end('the local client closed the connection', 'client');
    });
    local.on('close', () => void this.end('the local client closed the connection', 'client'));
    local.on('error', () => undefined); // 'close' follows and says it
    local.on('drain', () => this.release());
  }

  async start(): Promise<void> {
    const adapter = this.modem.adapter;
    const { open } = this.bridge.settings;
    try {
      await this.modem.whenReady();
      if (this.ended) return;
      // Listening before the open: data right behind the handshake is not lost.
      adapter.on('data', this.onData);
      adapter.on('closed', this.onClosed);
      const info = await adapter.openSocket({ ...open, replaces: [] });
      if (this.ended) {
        await adapter.closeSocket(info.socket).catch(() => undefined);
        return;
      }
      this.info = info;
      this.modem.bridged.add(info.socket);
      const opened: BridgeOpen = { client: this.client, socket: info.socket, host: info.host, port: info.port, mode: info.mode };
      if (info.cipher) opened.cipher = info.cipher;
      this.emit('open', opened);
      const early = this.early ?? [];
      this.early = null;
      for (const news of early) {
        if (news.data) this.onData(news.socket, news.data);
        else this.onClosed(news.socket, news.reason ?? 'closed');
      }
      if (!this.ended) this.local.resume();
    } catch (err) {
      this.fail(err);
    }
  }

  private fromClient(data: Buffer): void {
    // Once ended, what the client still sends has nowhere to go: it is read (so the client's end is seen) and dropped.
    if (this.ended) return;
    this.queue.push(data);
    // One send at a time; the client waits (TCP back-pressure) while it is under way.
    this.local.pause();
    if (!this.sending) this.pumping = this.pump();
  }

  private async pump(): Promise<void> {
    const info = this.info;
    if (!info) return;
    this.sending = true;
    const max = this.bridge.settings.maxSend ?? DEFAULT_MAX_SEND;
    try {
      while (this.queue.length > 0 && !this.ended) {
        const chunk = takeUpTo(this.queue, max);
        this.up += await this.modem.adapter.send(info.socket, chunk);
        this.bridge.emit('bytes');
      }
    } catch (err) {
      this.sending = false;
      if (!this.ended) this.fail(err);
      return;
    }
    this.sending = false;
    if (this.ended) return;
    if (this.localEnded) void this.end('the local client closed the connection', 'client');
    else this.local.resume();
  }

  private fromServer(socket: string, data: Buffer): void {
    if (!this.info || socket !== this.info.socket || this.ended) return;
    this.down += data.length;
    this.bridge.emit('bytes');
    if (this.local.write(data)) return;
    if (!this.held) this.held = this.modem.adapter.holdReceive?.(socket, true) ?? false;
    const maxUnread = this.bridge.settings.maxUnread ?? DEFAULT_MAX_UNREAD;
    if (!this.held && this.local.writableLength > maxUnread) {
      this.fail(new ModemError({
        kind: 'FINAL', vendor: this.modem.vendor,
        message: `the local client ${this.client} read nothing while ${this.local.writableLength} bytes from the server waited; the bridge holds at most ${maxUnread} bytes for a client when the module cannot hold them, so it closed the connection`,
      }));
    }
  }

  private release(): void {
    if (!this.held || !this.info) return;
    this.held = false;
    this.modem.adapter.holdReceive?.(this.info.socket, false);
  }

  private fail(err: unknown): void {
    const error = isModemError(err)
      ? err
      : new ModemError({ kind: 'FINAL', vendor: this.modem.vendor, message: err instanceof Error ? err.message : String(err), cause: err });
    this.emit('failure', error);
    void this.end(error.message, 'bridge');
  }

  /**
   * Ends both sides once: the local socket ends after what it was sent (or is destroyed, on a
   * failure), and the TLS connection is closed unless it already ended (`modemSideGone`).
   */
  end(reason: string, by: BridgeClosed['by'], modemSideGone = false): Promise<void> {
    if (this.ended) return this.ended;
    // The server's close that answers the client's own (MQTT DISCONNECT, then the broker closes) is the client's doing.
    if (by === 'server' && this.localEnded) {
      by = 'client';
      reason = 'the local client closed the connection';
    }
    this.ended = (async () => {
      const adapter = this.modem.adapter;
      adapter.off('data', this.onData);
      adapter.off('closed', this.onClosed);
      if (by === 'server' || by === 'modem') {
        this.local.end();
        // A socket left paused (a send was under way) would never read the client's end or reset, and never close.
        this.local.resume();
      } else this.local.destroy();
      const info = this.info;
      if (info && !modemSideGone) {
        if (this.held) adapter.holdReceive?.(info.socket, false);
        await adapter.closeSocket(info.socket).catch(() => undefined);
      }
      // A send that was under way is over (sent, or failed with the connection): its bytes count.
      await this.pumping;
      if (info) this.modem.bridged.delete(info.socket);
      this.emit('closed', { client: this.client, socket: info?.socket ?? '', bytesUp: this.up, bytesDown: this.down, reason, by } satisfies BridgeClosed);
    })();
    return this.ended;
  }
}

/** The first buffers of `queue` up to `max` bytes (a buffer larger than that is split), taken off it. */
function takeUpTo(queue: Buffer[], max: number): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  while (queue.length > 0 && size < max) {
    const head = queue[0]!;
    const room = max - size;
    if (head.length <= room) {
      parts.push(head);
      size += head.length;
      queue.shift();
    } else {
      parts.push(head.subarray(0, room));
      queue[0] = head.subarray(room);
      size = max;
    }
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
}
