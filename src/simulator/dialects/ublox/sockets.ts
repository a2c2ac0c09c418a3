/**
 * Sockets, as the public SARA-R5 series AT commands manual (UBX-19047455, chapter "Internet
 * protocol transport layer") defines them, TCP only: `+USOCR` create, `+USOSEC` bind a security
 * profile, `+USOCO` connect (blocking: TCP connect and TLS handshake, then OK), `+USOWR` write
 * (binary after an `@` prompt, or a quoted string), `+USORD` read, `+USOCL` close, `+USOER` and
 * `+USOCTL` errors and state, `+USODL` direct link, `+UDCONF=1` HEX mode, `S12` the escape guard
 * time, and the URCs `+UUSORD` (data waiting) and `+UUSOCL` (closed by the peer). TLS is real:
 * `openTls` of the simulator's stack with the profile `planFor` makes.
 *
 * Owns: the socket table (ids 0-6), receive buffers, the four-TLS-connection limit, the checks
 * after the handshake that the stack does not make (host name against `<srv_hostname>`, pinning),
 * and the socket error numbers. Must never: print a byte for a socket after power loss, or leave a
 * connection open behind a failed +USOCO.
 *
 * Choices where the manuals are silent (the contract the u-blox adapter is written against):
 * - every socket failure answers `+CME ERROR: 3` ("operation not allowed") and records the errno
 *   for `+USOER` and `+USOCTL=<socket>,1` (see `errors.ts` for the TLS mapping);
 * - the fifth concurrent TLS connection fails with errno 12 ENOMEM ("Due to significant memory
 *   fingerprint … the number of concurrent SSL/TLS connections is limited", +USECMNG Notes); an
 *   eighth socket with 105 ENOBUFS;
 * - `+UUSORD: <socket>,<length>` announces the total unread whenever it grows, and again with the
 *   remainder after a partial read; `+USORD=<socket>,0` answers the unread total alone;
 * - a socket holds at most `LIMITS.receiveBuffer` bytes unread (a size the manuals do not give):
 *   when full, the module stops reading the connection, and TCP flow control holds the server back
 *   until the host reads;
 * - a peer that closes: `+UUSOCL: <socket>` at once when nothing is unread, otherwise once the
 *   last byte has been read (so no data is lost); the socket id is free after it;
 * - direct link (+USODL, SARA-R4 manual UBX-17003787 §19.16): `CONNECT`, then what the socket held
 *   unread and whatever arrives is forwarded at once, and every byte from the host is written to
 *   the connection as it comes (no transmission trigger holds it: +UDCONF=5/6/7 are not
 *   simulated). `+++` between two S12 guard times leaves it with `DISCONNECT` (+UDCONF=10), the
 *   socket still connected; a peer that closes meanwhile ends it with `DISCONNECT` followed by
 *   `+UUSOCL: <socket>`. Another +USODL enters it again;
 * - HEX mode (+UDCONF=1,1) changes the base syntax of +USOWR (1-512 bytes as hex digits) and the
 *   data of +USORD (twice `<length>` upper-case hex digits); the binary syntax is unaffected. It is
 *   a volatile setting: power loss turns it off.
 */
import { X509Certificate } from 'node:crypto';
import * as net from 'node:net';
import type * as tls from 'node:tls';
import type { CommandContext, OnlineLink } from '../../modem';
import { TlsFailure, type TlsConnection } from '../../tls-types';
import { follow, ReceiveQueue } from '../receive-queue';
import { Params, range } from './args';
import { openDirectTls } from './direct-tls';
import { FAIL, TLS_FAILURE_ERRNO, UbloxError } from './errors';
import { PlanError, planFor, sessionUrcs, type ConnectionPlan } from './profile';
import { defaultUsecmngProfile, type SocketHandle, type UbloxDevice } from './state';
import { ERRNO, LIMITS, TCP_STATE } from './tables';

type SocketState = 'created' | 'connecting' | 'connected' | 'closed';

/** What the module prints when it leaves direct link (+UDCONF=10 description). */
const DIRECT_LINK_END = 'DISCONNECT';

/** Node's socket error codes → UBX-19047455 errno (TCP connections without TLS). */
const NET_ERRNO: Readonly<Record<string, number>> = {
  ECONNREFUSED: ERRNO.ECONNREFUSED,
  ENOTFOUND: ERRNO.EHOSTUNREACH,
  EAI_AGAIN: ERRNO.EHOSTUNREACH,
  EHOSTUNREACH: ERRNO.EHOSTUNREACH,
  ENETUNREACH: ERRNO.EHOSTUNREACH,
  ETIMEDOUT: ERRNO.ETIMEDOUT,
  ECONNRESET: ERRNO.ECONNRESET,
};

export class UbloxSocket implements SocketHandle {
  state: SocketState = 'created';
  /** +USOSEC: the profile id, `'default'` for the unmodifiable default profile, or none. */
  security: number | 'default' | undefined;
  lastErrno = 0;
  remote: { host: string; port: number } | undefined;
  sent = 0;
  received = 0;
  /** The TLS connection (or plain TCP socket) once +USOCO succeeded. */
  private stream: net.Socket | tls.TLSSocket | undefined;
  private readonly pending = new ReceiveQueue();
  private announced = 0;
  private announceTimer: NodeJS.Timeout | undefined;
  private peerClosed = false;
  /** The receive buffer is full (`LIMITS.receiveBuffer`): the connection is not read, and TCP holds the server back. */
  private paused = false;
  /** The host's side of direct link while the socket is in it: data goes there instead of the receive buffer. */
  private direct: OnlineLink | undefined;

  constructor(
    private readonly device: UbloxDevice,
    readonly id: number,
    readonly localPort: number | undefined,
  ) {}

  get tlsActive(): boolean {
    return this.security !== undefined && (this.state === 'connecting' || this.state === 'connected');
  }

  get unread(): number {
    return this.pending.size;
  }

  get tcpState(): number {
    if (this.state === 'connecting') return TCP_STATE.synSent;
    if (this.state !== 'connected') return TCP_STATE.closed;
    return this.peerClosed ? TCP_STATE.closeWait : TCP_STATE.established;
  }

  get writable(): boolean {
    return this.state === 'connected' && !this.peerClosed;
  }

  fail(errno: number): UbloxError {
    this.lastErrno = errno;
    this.device.lastErrno = errno;
    return FAIL.socket(errno);
  }

  attach(stream: net.Socket | tls.TLSSocket, host: string, port: number): void {
    this.stream = stream;
    this.remote = { host, port };
    this.state = 'connected';
    follow(stream, (data) => this.fromNetwork(data), () => this.peerGone());
  }

  private fromNetwork(data: Buffer): void {
    if (this.state !== 'connected') return;
    if (this.direct?.active) {
      this.received += data.length;
      this.direct.send(data);
      return;
    }
    this.pending.push(data);
    if (this.pending.size >= LIMITS.receiveBuffer && !this.paused) {
      this.paused = true;
      this.stream?.pause();
    }
    // Records arriving together are announced once.
    this.announceTimer ??= this.device.timers.after(0, () => {
      this.announceTimer = undefined;
      this.announce();
    });
  }

  private announce(): void {
    if (this.state !== 'connected' || this.pending.size === 0 || this.pending.size === this.announced) return;
    this.announced = this.pending.size;
    this.device.modem.emitUrc(`+UUSORD: ${this.id},${this.pending.size}`);
  }

  private peerGone(): void {
    if (this.state !== 'connected' || this.peerClosed) return;
    this.peerClosed = true;
    const direct = this.direct;
    this.direct = undefined;
    direct?.hangUp(DIRECT_LINK_END);
    if (this.pending.size === 0) this.closedByPeer();
  }

  /** +USODL answered CONNECT: what was unread goes first, then whatever arrives. */
  enterDirectLink(link: OnlineLink): void {
    this.direct = link;
    this.device.timers.cancel(this.announceTimer);
    this.announceTimer = undefined;
    this.announced = 0;
    const held = this.pending.takeAll();
    this.resumeIfRoom();
    if (held.length > 0) {
      this.received += held.length;
      link.send(held);
    }
  }

  /** The host read: there is room in the receive buffer, and the connection is read again. */
  private resumeIfRoom(): void {
    if (this.paused && this.pending.size < LIMITS.receiveBuffer) {
      this.paused = false;
      this.stream?.resume();
    }
  }

  /** The host escaped: data waits in the receive buffer again, announced by +UUSORD. */
  leftDirectLink(): void {
    this.direct = undefined;
    this.announce();
  }

  private closedByPeer(): void {
    this.release();
    this.device.modem.emitUrc(`+UUSOCL: ${this.id}`);
  }

  /** +USORD: up to `max` bytes; after a partial read the remainder is announced again. */
  read(max: number): Buffer {
    const out = this.pending.take(max);
    this.resumeIfRoom();
    this.received += out.length;
    this.announced = 0;
    if (this.pending.size > 0) this.announce();
    else if (this.peerClosed) this.closedByPeer();
    return out;
  }

  write(data: Buffer): void {
    this.stream?.write(data);
    this.sent += data.length;
  }

  /** +USOCL: TLS close_notify, then the TCP connection ends; the id is free at once. */
  close(): void {
    const stream = this.stream;
    this.release();
    if (stream) {
      stream.end();
      stream.destroySoon();
    }
  }

  dispose(): void {
    const stream = this.stream;
    this.release();
    stream?.destroy();
  }

  private release(): void {
    this.state = 'closed';
    this.direct = undefined;
    this.device.timers.cancel(this.announceTimer);
    this.announceTimer = undefined;
    this.stream = undefined;
    if (this.device.sockets[this.id] === this) this.device.sockets[this.id] = undefined;
  }
}

/** The server certificate against `<srv_hostname>` and the pinned certificate, after the handshake. */
function checkAfterHandshake(conn: TlsConnection, plan: ConnectionPlan): TlsFailure | undefined {
  const peer = conn.socket.getPeerX509Certificate();
  // A PSK suite: no certificate, nothing to compare (the key authenticated the server).
  if (!peer) return undefined;
  const name = plan.expectedName;
  if (name !== undefined) {
    const matched = net.isIP(name) ? peer.checkIP(name) : peer.checkHost(name);
    if (matched === undefined) return new TlsFailure('hostname-mismatch', `"${name}" is not in the server certificate`);
  }
  const pin = plan.pin;
  if (pin) {
    const configured = new X509Certificate(pin.item.der);
    const spki = (cert: X509Certificate): Buffer => cert.publicKey.export({ type: 'spki', format: 'der' });
    const info = (cert: X509Certificate): string => {
      const jwk = cert.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
      return JSON.stringify([jwk.kty, jwk.crv, jwk.n, jwk.e, jwk.x, jwk.y]);
    };
    // <pinning_level> 0: the public keys' information compared; 1: the keys byte for byte; 2: the certificates.
    const same = pin.level === 2 ? peer.raw.equals(configured.raw) : pin.level === 1 ? spki(peer).equals(spki(configured)) : info(peer) === info(configured);
    if (!same) return new TlsFailure('bad-certificate', `the server certificate does not match the pinned "${pin.item.name}" (level ${pin.level})`);
  }
  return undefined;
}

export function registerSocketCommands(device: UbloxDevice): void {
  const modem = device.modem;
  /** +UDCONF=1: HEX mode of the base syntax, off after every power-up. */
  let hexMode = false;
  modem.on('power', () => (hexMode = false));

  const socketOf = (p: Params, i = 0): UbloxSocket => {
    const id = p.int(i, range(0, LIMITS.sockets - 1));
    const socket = device.sockets[id];
    if (!(socket instanceof UbloxSocket)) {
      device.lastErrno = ERRNO.EBADF;
      throw FAIL.socket(ERRNO.EBADF);
    }
    return socket;
  };

  // +USOCR=<protocol>[,<local_port>] → +USOCR: <socket>; 6 TCP (17 UDP is not simulated).
  modem.register('+USOCR', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(1, 3);
      const protocol = p.int(0, [6, 17]);
      const localPort = p.has(1) ? p.int(1, range(1, 65535)) : undefined;
      if (protocol !== 6) {
        device.lastErrno = ERRNO.EPROTONOSUPPORT;
        throw FAIL.socket(ERRNO.EPROTONOSUPPORT);
      }
      const id = device.sockets.findIndex((socket) => socket === undefined);
      if (id < 0) {
        device.lastErrno = ERRNO.ENOBUFS;
        throw FAIL.socket(ERRNO.ENOBUFS);
      }
      device.sockets[id] = new UbloxSocket(device, id, localPort);
      return `+USOCR: ${id}`;
    },
    test: () => '+USOCR: (6,17),(1-65535)',
  });

  // +USOSEC=<socket>,<ssl_tls_status>[,<usecmng_profile_id>]; +USOSEC=<socket> reads it.
  modem.register('+USOSEC', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(1, 3);
      const socket = socketOf(p);
      if (p.count === 1) {
        const s = socket.security;
        return s === undefined ? `+USOSEC: ${socket.id},0` : s === 'default' ? `+USOSEC: ${socket.id},1` : `+USOSEC: ${socket.id},1,${s}`;
      }
      const status = p.int(1, [0, 1]);
      if (socket.state !== 'created') throw socket.fail(ERRNO.EISCONN);
      if (status === 0) {
        p.expect(2, 2);
        socket.security = undefined;
        return undefined;
      }
      socket.security = p.has(2) ? p.int(2, range(0, LIMITS.profiles - 1)) : 'default';
      return undefined;
    },
    test: () => '+USOSEC: (0-6),(0,1),(0-4)',
  });

  /** Dials TLS with the socket's profile; resolves with the connection, or throws the socket failure. */
  const dialTls = async (socket: UbloxSocket, host: string, port: number): Promise<TlsConnection> => {
    const security = socket.security!;
    const profile = security === 'default' ? defaultUsecmngProfile() : device.profiles[security]!;
    let plan: ConnectionPlan;
    try {
      plan = planFor(device, profile, host);
    } catch (err) {
      if (err instanceof PlanError) {
        device.lastFailure = new TlsFailure('bad-certificate', err.message);
        throw socket.fail(ERRNO.ECONNABORTED);
      }
      throw err;
    }
    const options = { host, port, profile: plan.profile, now: () => modem.clock.now(), timeoutMs: device.options.connectTimeoutMs };
    let conn: TlsConnection;
    try {
      conn = plan.psk || plan.presentWithoutVerify ? await openDirectTls({ ...options, psk: plan.psk }) : await device.options.openTls(options);
    } catch (err) {
      const failure = err instanceof TlsFailure ? err : new TlsFailure('handshake', 'TLS connection failed');
      device.lastFailure = failure;
      throw socket.fail(TLS_FAILURE_ERRNO[failure.cause]);
    }
    const failure = checkAfterHandshake(conn, plan);
    if (failure) {
      conn.socket.destroy();
      device.lastFailure = failure;
      throw socket.fail(TLS_FAILURE_ERRNO[failure.cause]);
    }
    if (typeof security === 'number') {
      // TLS 1.3 tickets come after the handshake: the stack has waited for the first one.
      for (const urc of sessionUrcs(device, security, conn.session)) modem.emitUrc(urc);
    }
    return conn;
  };

  const dialTcp = (socket: UbloxSocket, host: string, port: number): Promise<net.Socket> =>
    new Promise<net.Socket>((resolve, reject) => {
      const tcp = net.connect({ host, port, localPort: socket.localPort });
      const timer = setTimeout(() => tcp.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), device.options.connectTimeoutMs);
      tcp.once('connect', () => {
        clearTimeout(timer);
        tcp.removeAllListeners('error');
        resolve(tcp);
      });
      tcp.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(socket.fail(NET_ERRNO[err.code ?? ''] ?? ERRNO.ECONNABORTED));
      });
    });

  // +USOCO=<socket>,<remote_addr>,<remote_port>: blocks until connected (TLS handshake included).
  modem.register('+USOCO', {
    write: async (ctx: CommandContext) => {
      const p = new Params(ctx.rawArgs).expect(3, 4);
      const socket = socketOf(p);
      const host = p.str(1, 255);
      const port = p.int(2, range(1, 65535));
      if (p.has(3) && p.int(3, [0, 1]) === 1) throw FAIL.notSupported(); // asynchronous connect (+UUSOCO) not simulated
      if (host === '') throw FAIL.badParameter();
      if (socket.state === 'connected') throw socket.fail(ERRNO.EISCONN);
      if (socket.state !== 'created') throw socket.fail(ERRNO.EINPROGRESS);
      if (socket.security !== undefined && device.tlsInUse >= LIMITS.tlsConnections) throw socket.fail(ERRNO.ENOMEM);
      const generation = device.generation;
      socket.state = 'connecting';
      let stream: net.Socket | tls.TLSSocket;
      try {
        stream = socket.security !== undefined ? (await dialTls(socket, host, port)).socket : await dialTcp(socket, host, port);
      } catch (err) {
        if (socket.state === 'connecting') socket.state = 'created';
        throw err;
      }
      // Power went, or the host closed the socket, while dialling.
      if (device.generation !== generation || device.sockets[socket.id] !== socket) {
        stream.destroy();
        return undefined;
      }
      socket.attach(stream, host, port);
      return undefined;
    },
  });

  // +USOWR=<socket>,<length>: `@`, exactly <length> bytes (1-1024), +USOWR: <socket>,<length>;
  // +USOWR=<socket>,<length>,"<data>": the data in the command line, or in HEX mode 1-512 bytes
  // as twice as many hex digits.
  modem.register('+USOWR', {
    write: async (ctx) => {
      const p = new Params(ctx.rawArgs).expect(2, 3);
      const socket = socketOf(p);
      const hex = hexMode && p.count === 3;
      const length = p.int(1, range(1, hex ? LIMITS.socketHexChunk : LIMITS.socketChunk));
      if (!socket.writable) throw socket.fail(ERRNO.ENOTCONN);
      let data: Buffer;
      if (hex) {
        const text = p.str(2, 2 * LIMITS.socketHexChunk);
        if (text.length !== 2 * length || !/^[0-9A-Fa-f]*$/.test(text)) throw FAIL.badParameter();
        data = Buffer.from(text, 'hex');
      } else if (p.count === 3) {
        const text = p.str(2, LIMITS.socketChunk);
        if (text.length !== length) throw FAIL.badParameter();
        data = Buffer.from(text, 'latin1');
      } else {
        const input = await ctx.prompt({ marker: '@', length, timeoutMs: device.timers.ms(LIMITS.importGuardMs) });
        if (input.aborted === 'power-off') return undefined;
        if (input.aborted) throw socket.fail(ERRNO.ETIMEDOUT);
        data = input.data;
      }
      // The peer may have gone while the bytes came in.
      if (!socket.writable) throw socket.fail(ERRNO.ENOTCONN);
      socket.write(data);
      return `+USOWR: ${socket.id},${data.length}`;
    },
  });

  // +USORD=<socket>,<length>: +USORD: <socket>,<n>,"<n bytes>"; <length> 0 asks how many are waiting.
  modem.register('+USORD', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(2, 2);
      const socket = socketOf(p);
      const length = p.int(1, range(0, LIMITS.socketChunk));
      if (socket.state !== 'connected') throw socket.fail(ERRNO.ENOTCONN);
      if (length === 0) return `+USORD: ${socket.id},${socket.unread}`;
      const data = socket.read(length);
      const verbose = modem.settings.verbose;
      const head = Buffer.from(`${verbose ? '\r\n' : ''}+USORD: ${socket.id},${data.length},"`, 'latin1');
      const body = hexMode ? Buffer.from(data.toString('hex').toUpperCase(), 'latin1') : data;
      return { lines: [Buffer.concat([head, body, Buffer.from('"\r\n', 'latin1')])] };
    },
  });

  // +USODL=<socket>: CONNECT, and the line carries the socket's data both ways until `+++`.
  modem.register('+USODL', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(1, 1);
      const socket = socketOf(p);
      if (!socket.writable) throw socket.fail(ERRNO.ENOTCONN);
      const link = ctx.online(
        {
          receive: (data) => socket.write(data),
          escaped: () => socket.leftDirectLink(),
          escapeEnds: DIRECT_LINK_END,
        },
        'CONNECT',
      );
      socket.enterDirectLink(link);
    },
    test: () => `+USODL: (0-${LIMITS.sockets - 1})`,
  });

  // +UDCONF=1,<hex_mode_disable>: 0 off (the default), 1 on; +UDCONF=1 reads it. The other
  // configurations (direct link triggers and the rest) are not simulated.
  modem.register('+UDCONF', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(1, 3);
      const op = p.int(0, range(0, 255));
      if (op !== 1) throw FAIL.notSupported();
      p.expect(1, 2);
      if (p.count === 1) return `+UDCONF: 1,${hexMode ? 1 : 0}`;
      hexMode = p.int(1, [0, 1]) === 1;
      return undefined;
    },
  });

  // S12, the escape guard time in fiftieths of a second (UBX-17003787 §10.18), read as three digits.
  modem.register('S12', {
    read: () => String(Math.round(modem.escapeGuardMs / 20)).padStart(3, '0'),
    write: (ctx) => {
      const value = ctx.args[0];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) return { final: 'ERROR' };
      modem.escapeGuardMs = value * 20;
      return undefined;
    },
  });

  // +USOCL=<socket>[,<async_close>].
  modem.register('+USOCL', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(1, 2);
      socketOf(p).close();
    },
  });

  // +USOER: the error of the last socket operation.
  modem.register('+USOER', { exec: () => `+USOER: ${device.lastErrno}` });

  // +USOCTL=<socket>,<param_id>: 0 type, 1 last error, 2 sent, 3 received, 4 remote peer, 10 TCP state, 11 unacknowledged.
  modem.register('+USOCTL', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(2, 2);
      const socket = socketOf(p);
      const param = p.int(1, [0, 1, 2, 3, 4, 10, 11]);
      const line = (value: string | number): string => `+USOCTL: ${socket.id},${param},${value}`;
      switch (param) {
        case 0:
          return line(6);
        case 1:
          return line(socket.lastErrno);
        case 2:
          return line(socket.sent);
        case 3:
          return line(socket.received);
        case 4:
          if (!socket.remote) throw socket.fail(ERRNO.ENOTCONN);
          return line(`"${socket.remote.host}",${socket.remote.port}`);
        case 10:
          return line(socket.tcpState);
        default:
          return line(0);
      }
    },
  });
}
