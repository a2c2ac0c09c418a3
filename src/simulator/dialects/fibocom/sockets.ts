/**
 * The +MIP sockets of the L610: `+MIPOPEN` (connect; protocol 2 is SSL/TLS, 0 plain TCP),
 * `+MIPSEND` (counted binary after `> `, or hex text to buffer), `+MIPPUSH` (send what is
 * buffered), `+MIPREAD` (read mode: fetch received data raw), `+MIPCLOSE`, and the URCs
 * `+MIPOPEN` (result), `+MIPRTCP` (received data, hex), `+MIPREAD` (read mode: data waits),
 * `+MIPSTAT` (the connection broke) and `+MIPCLOSE` (closed).
 *
 * Owns: the socket table (ids 1-6), receive queues and their delivery, the send buffer, and the
 * +GTSSLERR code of each TLS attempt. Must never: print a byte for a socket after power loss, let
 * a URC split a command's response (the framework holds URCs while a command runs), or lose or
 * reorder a received byte.
 *
 * The manual shows +MIPOPEN, +MIPRTCP and +MIPCLOSE only in its examples (l. 329-341, l. 356-360,
 * l. 399-405, l. 420-432); the full syntax follows the +MIP command family (Motorola G24 AT
 * reference, Fibocom G6xx manuals) and public L610 drivers, since Fibocom's L610 AT manual was not
 * available. Exchanges, echo off:
 * ```
 *   → AT+MIPOPEN=1,,"www.example.com",443,2      ← OK   … ← +MIPOPEN: 1,1   (1 connected, 0 failed)
 *   → AT+MIPSEND=1,5   ← <CR><LF>> <5 bytes>      ← +MIPSEND: 1,0,2048  ← OK
 *   → AT+MIPSEND=1,"48656C6C6F"                   ← +MIPSEND: 1,0,2043  ← OK
 *   → AT+MIPPUSH=1                                ← +MIPPUSH: 1,0       ← OK
 *                                                 ← +MIPRTCP: 1,0,48656C6C6F   (<id>,<bytes still held>,<hex>)
 *   read mode (AT+GTSET="IPRFMT",5) instead:      ← +MIPREAD: 1,5              (data came into an empty buffer)
 *   → AT+MIPREAD=1,2048   ← +MIPDATA: 1,5 <CR><LF>Hello   ← OK
 *   → AT+MIPREAD=1,2048   ← OK                                                  (nothing waits)
 *                                                 ← +MIPSTAT: 1,1              (the server closed; after its last data)
 *   → AT+MIPCLOSE=1    ← OK                        ← +MIPCLOSE: 1,1
 * ```
 * Choices where neither source says: a socket still connecting cannot be closed (ERROR); hex
 * bytes buffered by +MIPSEND go out before the bytes of a later counted +MIPSEND, so order holds;
 * the hex form is refused when it does not fit the send buffer; a TCP (protocol 0) failure leaves
 * +GTSSLERR alone; UDP (protocol 1) is not simulated (ERROR).
 */
import { isIP } from 'node:net';
import type * as net from 'node:net';
import type * as tls from 'node:tls';
import { TlsFailure } from '../../tls-types';
import { follow, ReceiveQueue } from '../receive-queue';
import { Params, plainErrors, range, readCounted, refuse } from './args';
import { DialFailure, dialTcp, dialTls } from './handshake';
import { readCredentials } from './security';
import type { FibocomDevice, HandshakeRecord, SocketHandle } from './state';
import { CIPHER_IDS, cipherIdIana, LIMITS, PROTOCOL, RECEIVE_FORMAT, SEND_STATUS, SSL_ERROR, SSL_VERSIONS, STAT_BROKEN } from './tables';

type SocketState = 'connecting' | 'open' | 'closing' | 'closed';

/** How long +MIPCLOSE waits for the connection to end cleanly before cutting it (simulator's choice). */
const CLOSE_GRACE_MS = 2000;

export class FibocomSocket implements SocketHandle {
  state: SocketState = 'connecting';
  /** Bytes received from the network and written to it, for tests. */
  received = 0;
  sent = 0;
  private stream: net.Socket | tls.TLSSocket | undefined;
  private readonly pending = new ReceiveQueue();
  /** Hex +MIPSEND bytes waiting for +MIPPUSH. */
  private unsent: Buffer[] = [];
  private unsentBytes = 0;
  /** Bytes taken for sending and not yet written to the connection (`transmit`). */
  private outgoing: Buffer[] = [];
  private outgoingBytes = 0;
  private delivering = false;
  private peerClosed = false;
  private paused = false;
  /** Aborts a dial in progress when the socket goes before its result. */
  private readonly dialling = new AbortController();

  constructor(
    private readonly device: FibocomDevice,
    readonly id: number,
    readonly secure: boolean,
  ) {}

  /** Connected and the peer still there: +MIPSEND and +MIPPUSH may write. */
  get writable(): boolean {
    return this.state === 'open' && !this.peerClosed;
  }

  /** Free room in the send buffer, as +MIPSEND reports it. */
  get free(): number {
    return Math.max(0, LIMITS.sendBuffer - this.unsentBytes - this.outgoingBytes - (this.stream?.writableLength ?? 0));
  }

  get unread(): number {
    return this.pending.size;
  }

  private resultUrc(ok: boolean): string {
    // Examples 2 and 3 print the result without a colon (l. 360, l. 388); `openResultColon: false` plays that form.
    return `+MIPOPEN${this.device.options.openResultColon ? ':' : ''} ${this.id},${ok ? 1 : 0}`;
  }

  /** The part of +MIPOPEN after OK: dial, then print the result. */
  async open(host: string, port: number, localPort: number | undefined): Promise<void> {
    const device = this.device;
    const generation = device.generation;
    const target = device.options.route?.(host, port) ?? { host, port };
    let stream: net.Socket | tls.TLSSocket;
    let record: HandshakeRecord;
    try {
      if (this.secure) {
        const credentials = readCredentials(device);
        if ('code' in credentials) throw new DialFailure(credentials.code, new TlsFailure('bad-certificate', credentials.detail));
        // "If verify set, then there must be at least one trust certificate" (l. 129); Example 2 gets -11.
        if (device.ssl.mode === 1 && credentials.trusted.length === 0) {
          throw new DialFailure(SSL_ERROR.validation, new TlsFailure('unknown-ca', 'verification is on (+GTSSLMODE=1) and no TRUSTFILE is loaded'));
        }
        // None enabled: "the device will load default algorithms" (l. 273) — all of them.
        const ids = device.ssl.ciphers.size > 0 ? [...device.ssl.ciphers].sort((a, b) => a - b) : CIPHER_IDS.map(([id]) => id);
        const servername = isIP(host) === 0 ? host : undefined;
        const session = await dialTls({
          host: target.host,
          port: target.port,
          localPort,
          servername,
          version: SSL_VERSIONS[device.ssl.version]!,
          suites: ids.map((id) => cipherIdIana(id)!),
          verify: device.ssl.mode === 1 ? { trusted: credentials.trusted, now: () => device.modem.clock.now() } : undefined,
          client: credentials.client,
          connectTimeoutMs: device.options.connectTimeoutMs,
          handshakeTimeoutMs: device.options.handshakeTimeoutMs,
          signal: this.dialling.signal,
        });
        stream = session.socket;
        record = { socket: this.id, host, port, version: session.version, cipher: session.cipher, clientCertificate: credentials.client?.subject, servername };
      } else {
        stream = await dialTcp(target.host, target.port, localPort, device.options.connectTimeoutMs, this.dialling.signal);
        record = { socket: this.id, host, port, version: 'TCP', cipher: '' };
      }
    } catch (err) {
      if (device.generation !== generation || device.sockets.get(this.id) !== this) return;
      const failure = err instanceof DialFailure ? err : new DialFailure(SSL_ERROR.unknown, new TlsFailure('handshake', (err as Error).message));
      if (this.secure) device.sslError = failure.code;
      device.lastFailure = failure.failure;
      this.release();
      device.modem.emitUrc(this.resultUrc(false));
      return;
    }
    // Power went, or the network, while dialling.
    if (device.generation !== generation || device.sockets.get(this.id) !== this) {
      stream.destroy();
      return;
    }
    if (this.secure) device.sslError = SSL_ERROR.none;
    device.lastHandshake = record;
    this.attach(stream);
    device.modem.emitUrc(this.resultUrc(true));
  }

  private attach(stream: net.Socket | tls.TLSSocket): void {
    this.stream = stream;
    this.state = 'open';
    follow(stream, (data) => this.fromNetwork(data), () => this.peerGone());
  }

  private fromNetwork(data: Buffer): void {
    if (this.state !== 'open') return;
    const waiting = this.pending.size;
    this.pending.push(data);
    this.received += data.length;
    // The module's buffer is full: stop reading, so TCP holds the server back.
    if (this.pending.size >= LIMITS.receiveBuffer && !this.paused) {
      this.paused = true;
      this.stream?.pause();
    }
    if (!this.readMode) void this.deliver();
    // Read mode: announced when data comes into an empty buffer; the host reads until it is empty.
    else if (waiting === 0) this.announce();
  }

  private get readMode(): boolean {
    return this.device.receiveFormat === RECEIVE_FORMAT.read;
  }

  /** Read mode: `+MIPREAD: <id>,<bytes waiting>` (sent once the modem is idle, as every URC). */
  private announce(): void {
    this.device.modem.emitUrc(`+MIPREAD: ${this.id},${this.pending.size}`);
  }

  formatChanged(): void {
    if (this.state !== 'open' || this.pending.size === 0) return;
    if (this.readMode) this.announce();
    else void this.deliver();
  }

  /**
   * AT+MIPREAD: up to `max` of the bytes waiting. The peer's close is reported (+MIPSTAT) once the
   * last byte has been read, as pushed data reports it after the last +MIPRTCP.
   */
  read(max: number): Buffer {
    const data = this.pending.take(max);
    this.resumeIfRoom();
    if (this.pending.size === 0 && this.peerClosed) this.closedByPeer();
    return data;
  }

  private resumeIfRoom(): void {
    if (this.paused && this.pending.size < LIMITS.receiveBuffer / 2) {
      this.paused = false;
      this.stream?.resume();
    }
  }

  /**
   * +MIPRTCP: <id>,<left>,<hex> for each chunk, one at a time: the next is made only once the
   * previous one is on the wire (paced at the line rate, held while a command runs), so `<left>`
   * counts bytes that really wait in the module.
   */
  private async deliver(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    const generation = this.device.generation;
    try {
      while (this.pending.size > 0 && this.state === 'open' && !this.readMode && this.device.generation === generation) {
        const chunk = this.pending.take(this.device.options.rtcpChunkBytes);
        this.device.modem.emitUrc(`+MIPRTCP: ${this.id},${this.pending.size},${chunk.toString('hex').toUpperCase()}`);
        this.resumeIfRoom();
        await this.device.modem.whenIdle();
      }
    } finally {
      this.delivering = false;
    }
    // Read mode now: what waits is announced (formatChanged) and read by the host.
    if (this.device.generation !== generation || this.state !== 'open' || this.readMode) return;
    if (this.pending.size > 0) void this.deliver();
    else if (this.peerClosed) this.closedByPeer();
  }

  private peerGone(): void {
    if (this.state !== 'open' || this.peerClosed) return;
    this.peerClosed = true;
    // Anything still waiting goes to the host first (pushed, or read in read mode).
    if (!this.delivering && this.pending.size === 0) this.closedByPeer();
  }

  /** After the last byte was delivered: +MIPSTAT: <id>,1, and the id is free. */
  private closedByPeer(): void {
    this.stream?.destroy();
    this.release();
    this.device.modem.emitUrc(`+MIPSTAT: ${this.id},${STAT_BROKEN}`);
  }

  /** Counted +MIPSEND: what +MIPSEND buffered goes first, then `data`. */
  send(data: Buffer): void {
    this.push();
    this.transmit(data);
  }

  /**
   * Into the module's send buffer, onto the network right after: the answer to +MIPSEND goes out
   * first, as a module answers once it holds the data, not once it has encrypted and sent it.
   */
  private transmit(data: Buffer): void {
    this.outgoing.push(data);
    this.outgoingBytes += data.length;
    this.sent += data.length;
    if (this.outgoing.length === 1) setImmediate(() => this.flush());
  }

  /** What `transmit` holds, onto the connection (dropped when the socket went meanwhile). */
  private flush(): void {
    if (this.outgoing.length === 0) return;
    const data = this.outgoing.length === 1 ? this.outgoing[0]! : Buffer.concat(this.outgoing);
    this.outgoing = [];
    this.outgoingBytes = 0;
    this.stream?.write(data);
  }

  /** Hex +MIPSEND: kept until +MIPPUSH. */
  buffer(data: Buffer): void {
    this.unsent.push(data);
    this.unsentBytes += data.length;
  }

  /** +MIPPUSH: whether there was anything to send. */
  push(): boolean {
    if (this.unsentBytes === 0) return false;
    const data = Buffer.concat(this.unsent);
    this.unsent = [];
    this.unsentBytes = 0;
    this.transmit(data);
    return true;
  }

  /** +MIPCLOSE: close_notify and FIN, then +MIPCLOSE: <id>,1 once the connection is down. Unread data is dropped. */
  close(): void {
    this.state = 'closing';
    this.pending.clear();
    const stream = this.stream;
    const done = (): void => {
      // Once only: the network (or the power) may have ended the socket meanwhile.
      if (this.state !== 'closing') return;
      this.release();
      this.device.modem.emitUrc(`+MIPCLOSE: ${this.id},1`);
    };
    if (!stream || stream.destroyed) {
      this.device.timers.after(0, done);
      return;
    }
    // What was sent before the close goes out before the close_notify.
    this.flush();
    stream.once('close', done);
    stream.end();
    stream.destroySoon();
    // A server that never acknowledges the end does not keep the id forever.
    this.device.timers.after(CLOSE_GRACE_MS, () => stream.destroy());
  }

  /** The PDP context went: connecting → +MIPOPEN: <id>,0; connected → +MIPSTAT: <id>,1. */
  networkLost(): void {
    const state = this.state;
    this.stream?.destroy();
    this.release();
    if (state === 'connecting') {
      if (this.secure) this.device.sslError = SSL_ERROR.socket;
      this.device.modem.emitUrc(this.resultUrc(false));
    } else if (state === 'open') {
      this.device.modem.emitUrc(`+MIPSTAT: ${this.id},${STAT_BROKEN}`);
    } else if (state === 'closing') {
      this.device.modem.emitUrc(`+MIPCLOSE: ${this.id},1`);
    }
  }

  dispose(): void {
    const stream = this.stream;
    this.release();
    stream?.destroy();
  }

  private release(): void {
    this.dialling.abort();
    this.state = 'closed';
    this.stream = undefined;
    this.pending.clear();
    this.unsent = [];
    this.unsentBytes = 0;
    this.outgoing = [];
    this.outgoingBytes = 0;
    if (this.device.sockets.get(this.id) === this) this.device.sockets.delete(this.id);
  }
}

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

export function registerSocketCommands(device: FibocomDevice): void {
  const modem = device.modem;
  const register = (name: string, handlers: Parameters<typeof plainErrors>[0]): void => {
    modem.register(name, plainErrors(handlers, (reason, line) => (device.lastRefusal = { line, reason })));
  };

  /** The socket `id` names, when it is connected and its peer still there. */
  const writableSocket = (p: Params): FibocomSocket => {
    const id = p.int(0, LIMITS.sockets);
    const socket = device.sockets.get(id);
    if (!(socket instanceof FibocomSocket) || !socket.writable) refuse(`socket ${id} is not open`);
    return socket;
  };

  // AT+MIPOPEN=<id>,[<local_port>],"<host>",<port>,<protocol>: OK at once, the result as a URC.
  register('+MIPOPEN', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(5, 5);
      const id = p.int(0, LIMITS.sockets);
      const localPort = p.has(1) ? p.int(1, range(0, 65535)) : undefined;
      const host = p.text(2, LIMITS.host);
      if (host === '') refuse('empty host');
      const port = p.int(3, range(1, 65535));
      const protocol = p.int(4, range(PROTOCOL.tcp, PROTOCOL.tls));
      if (protocol === PROTOCOL.udp) refuse('UDP sockets are not simulated');
      if (device.pdp.state !== 'active') refuse('no active PDP context (+MIPCALL)');
      if (device.sockets.has(id)) refuse(`socket ${id} is in use`);
      const socket = new FibocomSocket(device, id, protocol === PROTOCOL.tls);
      device.sockets.set(id, socket);
      // After the OK: the result URC never comes before it.
      device.timers.after(0, () => void socket.open(host, port, localPort));
    },
  });

  // AT+MIPSEND=<id>,<len>: `> `, exactly <len> raw bytes, then +MIPSEND: <id>,0,<free>.
  // AT+MIPSEND=<id>,"<hex>": the bytes are buffered for +MIPPUSH; same answer.
  register('+MIPSEND', {
    write: async (ctx) => {
      const p = new Params(ctx.rawArgs).expect(2, 2);
      const socket = writableSocket(p);
      if (p.quoted(1)) {
        const hex = p.text(1, 2 * LIMITS.sendBuffer);
        if (!HEX.test(hex)) refuse('<data>: an even number of hex digits expected');
        const data = Buffer.from(hex, 'hex');
        if (data.length > socket.free) refuse(`<data>: ${data.length} bytes do not fit the ${socket.free} free in the send buffer`);
        socket.buffer(data);
        return `+MIPSEND: ${socket.id},${SEND_STATUS.ok},${socket.free}`;
      }
      const length = p.int(1, LIMITS.sendLength);
      const input = await readCounted(ctx, length, device.timers.ms(LIMITS.inputIdleMs));
      if ('aborted' in input) {
        if (input.aborted === 'timeout') refuse(`no data for ${LIMITS.inputIdleMs / 1000} s: nothing sent`);
        return undefined;
      }
      // The peer may have gone while the bytes came in.
      if (!socket.writable) refuse(`socket ${socket.id} closed during the input`);
      socket.send(input.data);
      return `+MIPSEND: ${socket.id},${SEND_STATUS.ok},${socket.free}`;
    },
  });

  // AT+MIPREAD=<id>,<len> (read mode): `+MIPDATA: <id>,<n>`, CR LF and n raw bytes, then OK; OK
  // alone when nothing waits. The RT-Thread L610 driver reads what +MIPREAD announced this way
  // (at_device class/l610/at_socket_l610.c). In the hex format nothing waits to be read: ERROR.
  register('+MIPREAD', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(2, 2);
      const id = p.int(0, LIMITS.sockets);
      const length = p.int(1, LIMITS.readLength);
      const socket = device.sockets.get(id);
      if (!(socket instanceof FibocomSocket) || socket.state !== 'open') refuse(`socket ${id} is not open`);
      if (device.receiveFormat !== RECEIVE_FORMAT.read) refuse('not in read mode (+GTSET="IPRFMT",5)');
      const data = socket.read(length);
      if (data.length === 0) return undefined;
      const head = Buffer.from(`${modem.settings.verbose ? '\r\n' : ''}+MIPDATA: ${id},${data.length}\r\n`, 'latin1');
      return { lines: [Buffer.concat([head, data])] };
    },
  });

  // AT+MIPPUSH=<id>: sends what the hex +MIPSEND buffered; +MIPPUSH: <id>,0, or 2 when there was nothing.
  register('+MIPPUSH', {
    write: (ctx) => {
      const socket = writableSocket(new Params(ctx.rawArgs).expect(1, 1));
      return `+MIPPUSH: ${socket.id},${socket.push() ? SEND_STATUS.ok : SEND_STATUS.nothingToSend}`;
    },
  });

  // AT+MIPCLOSE=<id> → OK, then +MIPCLOSE: <id>,1 (l. 337-341, l. 403-405).
  register('+MIPCLOSE', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(1, 1);
      const id = p.int(0, LIMITS.sockets);
      const socket = device.sockets.get(id);
      if (!(socket instanceof FibocomSocket) || socket.state !== 'open') refuse(`socket ${id} is not open`);
      socket.close();
    },
  });
}
