/**
 * Working with a secure socket (§7): `#SSLD` opens it over the TLS stack, in ONLINE mode
 * (`CONNECT`, bytes flow both ways until `+++` or `NO CARRIER`) or COMMAND mode (`OK`, then
 * `#SSLSEND`, `#SSLSENDEXT`, `#SSLRECV` and the `SSLSRING:` URC); `#SSLO` goes back online,
 * `#SSLH` closes, `#SSLS` reports, and on 2G `#SSLFASTD` resumes a session kept by
 * `<ClosureType>` 1.
 *
 * Owns: the open connections, their receive buffers, the ONLINE-mode packetising (`<pktSz>`,
 * `<txTo>`), the inactivity timeout (`<maxTo>`), `SSLSRING:` and `NO CARRIER`. Must never: build
 * the TLS profile itself (`profile.ts` does) or print a byte for a connection after power loss.
 */
import type { CommandContext, SimulatedModem } from '../../modem';
import { TlsFailure, type ModemTlsProfile, type TlsConnection } from '../../tls-types';
import { follow, ReceiveQueue } from '../receive-queue';
import { formatAllowed, Params, range, values } from './args';
import { ssidParam, usableSlot } from './configuration';
import { FAIL, TLS_FAILURE_CODES } from './errors';
import { isActive } from './network';
import { buildProfile, reportedCipher } from './profile';
import type { OnlinePort, OnlineTarget, SocketHandle, SslSlot, TelitDevice, TelitInstance } from './state';
import { CLOSURE_CAUSE, DATA_LIMITS, ssidRange } from './tables';

/** S12 counts fiftieths of a second, 20..255 (Telit AT Commands Reference Guide 80000ST10025a §3.5.3.7.2, "Escape Prompt Delay"). */
const S12_UNIT_MS = 20;
const S12_RANGE = { min: 20, max: 255 } as const;

/** `<pktSz>` 0 lets the module choose (AT reference guides); it chooses the §6.8.3.1 default. */
const AUTO_PACKET_SIZE = 300;

export class SecureSocket implements SocketHandle, OnlineTarget {
  /** Received and not yet read (COMMAND mode, or ONLINE mode suspended with `+++`). */
  private readonly pending = new ReceiveQueue();
  /** What the last `SSLSRING:` of mode 1 announced, so it is not repeated for the same data. */
  private announced = 0;
  private announceTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private tx: Buffer[] = [];
  private txBytes = 0;
  private txTimer: NodeJS.Timeout | undefined;
  /** The peer closed (FIN or reset); data may still wait to be read (§7.2). */
  private peerClosed = false;
  private cause: number = CLOSURE_CAUSE.notAvailable;
  private ended = false;
  /** The receive buffer is full (`DATA_LIMITS.receiveBuffer`): the connection is not read until the host reads. */
  private paused = false;

  constructor(
    private readonly device: TelitDevice,
    private readonly slot: SslSlot,
    readonly owner: TelitInstance,
    private readonly conn: TlsConnection,
    readonly closureType: number,
    readonly host: string,
    readonly port: number,
  ) {
    follow(
      conn.socket,
      (data) => this.fromNetwork(data),
      () => this.peerGone(CLOSURE_CAUSE.remoteClosed),
      () => this.peerGone(CLOSURE_CAUSE.remoteReset),
    );
  }

  get ssid(): number {
    return this.slot.ssid;
  }

  get connected(): boolean {
    return !this.ended;
  }

  /** Whether data can still be sent (the peer has not closed). */
  get writable(): boolean {
    return !this.ended && !this.peerClosed;
  }

  get cipher(): string {
    return this.conn.cipher;
  }

  private get modem(): SimulatedModem {
    return this.owner.modem;
  }

  private get online(): OnlinePort {
    return this.owner.port;
  }

  /** Whether the host's data mode carries this socket right now (CONNECT given, not escaped). */
  private get streaming(): boolean {
    return this.online.target === this && this.online.link?.active === true;
  }

  private extra(name: 'sslSRingMode' | 'noCarrierMode'): number {
    return this.device.platform.sslcfgExtras.includes(name) ? this.slot.settings.extras[name] : 0;
  }

  // ---- from the network ------------------------------------------------------------------------

  private fromNetwork(data: Buffer): void {
    if (this.ended) return;
    if (this.streaming) {
      this.online.link!.send(data);
      this.restartIdle();
      return;
    }
    // §7.1.2.2: in mode 2 the data is in the URC itself, "therefore #SSLRECV command is not needed"
    // (§7.4.4) — and it is not kept for it.
    if (this.extra('sslSRingMode') === 2) {
      this.pushRing(data);
      return;
    }
    this.pending.push(data);
    if (this.pending.size >= DATA_LIMITS.receiveBuffer && !this.paused) {
      this.paused = true;
      this.conn.socket.pause();
    }
    if (this.wake) {
      this.wake();
      return;
    }
    if (this.extra('sslSRingMode') === 1) this.scheduleAnnounce();
  }

  /** §7.1.2.2: `SSLSRING: <SSId>,<dataLen>,<data>`, at most `sringChunk` bytes each (256 on 2G, 1300 on 3G/4G). */
  private pushRing(data: Buffer): void {
    const chunk = this.device.platform.sringChunk;
    const lead = this.modem.settings.verbose ? '\r\n' : '';
    for (let i = 0; i < data.length; i += chunk) {
      const part = data.subarray(i, i + chunk);
      this.modem.emitRaw(Buffer.concat([Buffer.from(`${lead}SSLSRING: ${this.ssid},${part.length},`, 'latin1'), part, Buffer.from('\r\n', 'latin1')]));
    }
  }

  /** Mode 1 announces the total waiting; records arriving together are announced once. */
  private scheduleAnnounce(): void {
    if (this.announceTimer) return;
    this.announceTimer = this.device.timers.after(0, () => {
      this.announceTimer = undefined;
      this.announce();
    });
  }

  private announce(): void {
    if (this.pending.size === 0 || this.pending.size === this.announced || this.extra('sslSRingMode') !== 1) return;
    this.announced = this.pending.size;
    this.modem.emitUrc(`SSLSRING: ${this.ssid},${this.pending.size}`);
  }

  private peerGone(cause: number): void {
    if (this.ended || this.peerClosed) return;
    this.peerClosed = true;
    this.cause = cause;
    this.stopTimers();
    // §7.2: in COMMAND mode NO CARRIER comes "when the communication is remotely closed, and all
    // data has been retrieved"; online, at once.
    if (this.streaming || this.pending.size === 0) this.finish();
    this.wake?.();
  }

  /** The connection lost beneath it (context deactivated): data still waiting is lost with it. */
  lose(cause: number): void {
    if (this.ended) return;
    this.peerClosed = true;
    this.cause = cause;
    this.pending.clear();
    this.finish();
    this.wake?.();
  }

  /** The end seen from the host: `NO CARRIER`, as a result code online or as a URC. */
  private finish(): void {
    if (this.ended) return;
    const text = this.noCarrier();
    this.release();
    this.conn.socket.destroy();
    const online = this.online;
    if (online.target === this) {
      online.target = undefined;
      const link = online.link;
      online.link = undefined;
      // Online: the final result code of the data state; escaped: an unsolicited one (§7.1.1).
      if (link) {
        link.hangUp(text);
        return;
      }
    }
    this.modem.emitUrc(text);
  }

  /**
   * §6.7 `<noCarrierMode>`: 0 the plain indication; 1 and 2 add "verbose information". The guide
   * does not print them; following the AT reference guides' socket indications (and the spacing of
   * Telit's other URCs) they are `NO CARRIER: <SSId>` and `NO CARRIER: <SSId>,<cause>`, with the
   * causes of #SLASTCLOSURE (`CLOSURE_CAUSE`).
   */
  private noCarrier(): string {
    switch (this.extra('noCarrierMode')) {
      case 1:
        return `NO CARRIER: ${this.ssid}`;
      case 2:
        return `NO CARRIER: ${this.ssid},${this.cause}`;
      default:
        return 'NO CARRIER';
    }
  }

  // ---- to the host -----------------------------------------------------------------------------

  /** Up to `max` bytes of what has arrived (#SSLRECV); drains into NO CARRIER once the peer is gone. */
  read(max: number): Buffer {
    const out = this.pending.take(max);
    this.resumeIfRoom();
    // §7.4.4.1: after a partial read, "new SSLSRING with remaining data".
    this.announced = 0;
    if (this.pending.size > 0) this.announce();
    else if (this.peerClosed) this.finish();
    return out;
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** The host read: there is room in the receive buffer, and the connection is read again. */
  private resumeIfRoom(): void {
    if (this.paused && this.pending.size < DATA_LIMITS.receiveBuffer) {
      this.paused = false;
      this.conn.socket.resume();
    }
  }

  /** Resolves when data arrives, the peer goes, or `ms` pass (#SSLRECV's `<Timeout>`). */
  waitForData(ms: number): Promise<void> {
    if (this.pending.size > 0 || this.ended || this.peerClosed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = this.device.timers.after(ms, () => done());
      const done = (): void => {
        this.device.timers.cancel(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }

  get finishedByPeer(): boolean {
    return this.peerClosed;
  }

  // ---- from the host ---------------------------------------------------------------------------

  /**
   * COMMAND mode (#SSLSEND, #SSLSENDEXT): resolves once the TLS layer took the bytes into its send
   * buffer, as a module answers OK once the data is queued on its socket, not once the peer has it;
   * a full buffer holds the answer until it drains (or `timeoutMs`). A write failing later ends the
   * connection, which the host hears as NO CARRIER.
   */
  send(data: Buffer, timeoutMs: number): Promise<void> {
    if (!this.writable) return Promise.reject(FAIL.sslNotConnected());
    const socket = this.conn.socket;
    if (socket.write(data)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const settle = (err?: Error): void => {
        this.device.timers.cancel(timer);
        socket.off('drain', drained);
        socket.off('close', closed);
        if (err) reject(err);
        else resolve();
      };
      const drained = (): void => settle();
      const closed = (): void => settle(FAIL.sslNotConnected());
      const timer = this.device.timers.after(timeoutMs, () => settle(FAIL.sslGeneric()));
      socket.once('drain', drained);
      socket.once('close', closed);
    });
  }

  /**
   * ONLINE mode (§7.1.1): "Data are encrypted and sent … as soon as the packet size is reached or
   * the txTo timeout expires". `<txTo>` 0 sends at once (the simulator's reading of "no timeout").
   */
  fromHost(data: Buffer): void {
    if (!this.writable) return;
    this.restartIdle();
    this.tx.push(Buffer.from(data));
    this.txBytes += data.length;
    const packet = this.slot.settings.pktSz || AUTO_PACKET_SIZE;
    if (this.txBytes >= packet) {
      const all = Buffer.concat(this.tx);
      const whole = all.length - (all.length % packet);
      this.conn.socket.write(all.subarray(0, whole));
      this.tx = whole < all.length ? [all.subarray(whole)] : [];
      this.txBytes = all.length - whole;
    }
    if (this.txBytes === 0) {
      this.device.timers.cancel(this.txTimer);
      this.txTimer = undefined;
      return;
    }
    const txTo = this.slot.settings.txTo;
    if (txTo === 0) this.flush();
    else this.txTimer ??= this.device.timers.after(this.device.tenths(txTo), () => this.flush());
  }

  private flush(): void {
    this.device.timers.cancel(this.txTimer);
    this.txTimer = undefined;
    if (this.txBytes === 0 || !this.writable) return;
    this.conn.socket.write(Buffer.concat(this.tx));
    this.tx = [];
    this.txBytes = 0;
  }

  /** `+++` accepted: what was typed goes out now; the inactivity timeout is ONLINE mode's only. */
  escaped(): void {
    this.flush();
    this.device.timers.cancel(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** The host's data mode now carries this socket: what arrived meanwhile goes first. */
  attached(): void {
    const link = this.online.link;
    if (!link) return;
    if (this.pending.size > 0) {
      link.send(this.pending.takeAll());
      this.resumeIfRoom();
      this.announced = 0;
    }
    if (this.peerClosed) {
      this.finish();
      return;
    }
    this.restartIdle();
  }

  /** §6.7 `<maxTo>`: "In ONLINE mode, if there is no data exchange within this timeout period the connection is closed". */
  private restartIdle(): void {
    this.device.timers.cancel(this.idleTimer);
    this.idleTimer = undefined;
    const maxTo = this.slot.settings.maxTo;
    if (maxTo === 0 || !this.streaming) return;
    this.idleTimer = this.device.timers.after(this.device.seconds(maxTo), () => {
      this.idleTimer = undefined;
      this.flush();
      this.peerClosed = true;
      this.cause = CLOSURE_CAUSE.inactivity;
      this.finish();
    });
  }

  // ---- closing ---------------------------------------------------------------------------------

  /**
   * #SSLH (§7.2, §7.3): `<ClosureType>` 1 keeps the session for #SSLFASTD; the TLS connection ends
   * with close_notify so the server keeps the session resumable. Nothing is printed but OK.
   */
  close(closureType: number): void {
    if (this.ended) return;
    this.flush();
    this.slot.fastDial =
      closureType === 1 && this.conn.session ? { session: this.conn.session, host: this.host, port: this.port } : undefined;
    this.release();
    if (this.online.target === this) this.online.target = undefined;
    this.conn.socket.end();
    this.conn.socket.destroySoon();
  }

  dispose(): void {
    if (this.ended) return;
    this.release();
    if (this.online.target === this) this.online.target = undefined;
    this.conn.socket.destroy();
  }

  private release(): void {
    this.ended = true;
    this.stopTimers();
    this.device.timers.cancel(this.announceTimer);
    this.announceTimer = undefined;
    if (this.slot.socket === this) this.slot.socket = undefined;
  }

  private stopTimers(): void {
    this.device.timers.cancel(this.idleTimer);
    this.device.timers.cancel(this.txTimer);
    this.idleTimer = undefined;
    this.txTimer = undefined;
  }
}

/**
 * The host's data mode carries `target` now (#SSLD/#SSLFASTD with `<connMode>` 0, #SSLO, ATO,
 * #FTPGET). One data connection per port: the one the host escaped from is resumed, whichever
 * socket it carried; CONNECT is printed either way.
 */
export function goOnline(ctx: CommandContext, instance: TelitInstance, target: OnlineTarget): void {
  const port = instance.port;
  port.target = target;
  port.link = ctx.resumeOnline() ?? ctx.online(port);
  if (target instanceof SecureSocket) target.attached();
}

/** The data mode of one AT instance: bytes from the host go to whatever it carries. */
export function createOnlinePort(): OnlinePort {
  const port: OnlinePort = {
    target: undefined,
    link: undefined,
    receive: (data) => port.target?.fromHost(data),
    escaped: () => port.target?.escaped(),
  };
  return port;
}

export function registerSocketCommands(device: TelitDevice, instance: TelitInstance): void {
  const modem = instance.modem;
  const platform = device.platform;
  const ssids = formatAllowed(ssidRange(platform));
  const closureTypes = platform.fastDial ? values(0, 1) : values(0);

  const openSocket = (slot: SslSlot): SecureSocket => {
    const socket = slot.socket;
    if (!(socket instanceof SecureSocket) || !socket.connected) throw FAIL.sslNotConnected();
    return socket;
  };

  /** Dials and hands back the connection, or the failure as the module reports it. */
  const dial = async (slot: SslSlot, host: string, port: number, profile: ModemTlsProfile, timeout: number): Promise<TlsConnection | undefined> => {
    const generation = device.generation;
    const connTo = platform.sslcfgExtras.includes('connTo') ? slot.settings.extras.connTo : 0;
    let conn: TlsConnection;
    try {
      conn = await device.openTls({ host, port, profile, now: () => device.clock.now(), timeoutMs: (connTo || timeout) * 100 });
    } catch (err) {
      if (err instanceof TlsFailure) throw TLS_FAILURE_CODES[err.cause]();
      throw FAIL.sslGeneric();
    }
    // Power went (or the SSId changed hands) while dialling: the connection is not the host's any more.
    if (device.generation !== generation || slot.enabledBy !== instance) {
      conn.socket.destroy();
      return undefined;
    }
    return conn;
  };

  const connect = async (ctx: CommandContext, slot: SslSlot, target: { host: string; port: number; closureType: number; connMode: number; timeout: number; session?: Buffer }): Promise<void> => {
    if (slot.socket) throw FAIL.sslAlreadyConnected();
    // §5, §7: the socket rides on the PDP context <cid> of its #SSLCFG, which must be active.
    if (!isActive(device, slot.settings.cid)) throw FAIL.contextNotOpened();
    const profile = buildProfile(device, slot, target.host);
    if (target.session) profile.session = target.session;
    const conn = await dial(slot, target.host, target.port, profile, target.timeout);
    if (!conn) return;
    const socket = new SecureSocket(device, slot, instance, conn, target.closureType, target.host, target.port);
    slot.socket = socket;
    if (target.connMode === 0) goOnline(ctx, instance, socket);
  };

  // §7: #SSLD=<SSId>,<rPort>,<IPAddress>,<ClosureType>[,<connMode>[,<Timeout>]].
  modem.register('#SSLD', {
    write: async (ctx) => {
      const p = new Params(ctx.args).expect(4, 6);
      const slot = usableSlot(device, instance, ssidParam(device, p), { mqtt: false });
      const port = p.int(1, range(1, 65535));
      const host = p.str(2);
      if (host === '') throw FAIL.badParameter();
      // §7 Table 3: <ClosureType> 1 only on 2G; <connMode> defaults to COMMAND mode (AT reference guides).
      const closureType = p.int(3, closureTypes);
      const connMode = p.int(4, values(0, 1), 1);
      const timeout = p.int(5, DATA_LIMITS.dialTimeout, DATA_LIMITS.dialTimeoutDefault);
      await connect(ctx, slot, { host, port, closureType, connMode, timeout });
    },
    test: () => `#SSLD: ${ssids},(1-65535),,${formatAllowed(closureTypes)},(0,1),${formatAllowed(DATA_LIMITS.dialTimeout)}`,
  });

  // §7.3: #SSLFASTD=<SSId>[,<connMode>], 2G only: the session kept by <ClosureType> 1, resumed.
  if (platform.fastDial) {
    modem.register('#SSLFASTD', {
      write: async (ctx) => {
        const p = new Params(ctx.args).expect(1, 2);
        const slot = usableSlot(device, instance, ssidParam(device, p), { mqtt: false });
        const connMode = p.int(1, values(0, 1), 1);
        const saved = slot.fastDial;
        if (slot.socket) throw FAIL.sslAlreadyConnected();
        if (!saved) throw FAIL.sslInvalidState();
        await connect(ctx, slot, { host: saved.host, port: saved.port, closureType: 1, connMode, timeout: DATA_LIMITS.dialTimeoutDefault, session: saved.session });
      },
      test: () => `#SSLFASTD: ${ssids},(0,1)`,
    });
  }

  // §7.1.1: #SSLO=<SSId> restores ONLINE mode.
  modem.register('#SSLO', {
    write: (ctx) => {
      const p = new Params(ctx.args).expect(1, 1);
      const socket = openSocket(usableSlot(device, instance, ssidParam(device, p), { mqtt: false }));
      goOnline(ctx, instance, socket);
    },
    test: () => `#SSLO: ${ssids}`,
  });

  // S12, the escape guard time: fiftieths of a second, 20..255, read back as three digits with
  // leading zeros; the silence `+++` needs before and after it. A modem made with a shorter
  // `escapeGuardMs` (tests) reports that, rounded to the unit. Back to the modem's own value at
  // power-on.
  const guardAtStart = modem.escapeGuardMs;
  modem.on('power', (state) => {
    if (state === 'on') modem.escapeGuardMs = guardAtStart;
  });
  modem.register('S12', {
    read: () => String(Math.round(modem.escapeGuardMs / S12_UNIT_MS)).padStart(3, '0'),
    write: (ctx) => {
      const value = ctx.args[0];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < S12_RANGE.min || value > S12_RANGE.max) return { final: 'ERROR' };
      modem.escapeGuardMs = value * S12_UNIT_MS;
      return undefined;
    },
  });

  // V.250 ATO on this port goes back to the secure socket escaped from; with none, NO CARRIER.
  modem.register('O', {
    exec: (ctx) => {
      if ((ctx.args[0] ?? 0) !== 0) return { final: 'ERROR' };
      const target = instance.port.target;
      if (!(target instanceof SecureSocket) || !target.connected) return { final: 'NO CARRIER' };
      goOnline(ctx, instance, target);
      return undefined;
    },
  });

  // §7.1.2.1: #SSLSEND=<SSId>[,<Timeout>]: `> `, text up to Ctrl-Z (ESC aborts), then OK.
  modem.register('#SSLSEND', {
    write: async (ctx) => {
      const p = new Params(ctx.args).expect(1, 2);
      const slot = usableSlot(device, instance, ssidParam(device, p), { mqtt: false });
      const timeout = p.int(1, DATA_LIMITS.timeout, slot.settings.defTo);
      const socket = openSocket(slot);
      if (!socket.writable) throw FAIL.sslNotConnected();
      const input = await ctx.prompt();
      if (input.aborted) return;
      // AT reference guides: at most 1023 bytes; "trying to send more data will cause the surplus
      // to be discarded and lost".
      await socket.send(input.data.subarray(0, DATA_LIMITS.sslsendMax), device.tenths(timeout));
    },
    test: () => `#SSLSEND: ${ssids},${formatAllowed(DATA_LIMITS.timeout)}`,
  });

  // §7.1.2.1: #SSLSENDEXT=<SSId>,<bytestosend>[,<Timeout>]: exactly that many bytes, binary.
  modem.register('#SSLSENDEXT', {
    write: async (ctx) => {
      const p = new Params(ctx.args).expect(2, 3);
      const slot = usableSlot(device, instance, ssidParam(device, p), { mqtt: false });
      const count = p.int(1, DATA_LIMITS.sslsendext);
      const timeout = p.int(2, DATA_LIMITS.timeout, slot.settings.defTo);
      const socket = openSocket(slot);
      if (!socket.writable) throw FAIL.sslNotConnected();
      const input = await ctx.prompt({ length: count });
      if (input.aborted) return;
      await socket.send(input.data, device.tenths(timeout));
    },
    test: () => `#SSLSENDEXT: ${ssids},${formatAllowed(DATA_LIMITS.sslsendext)},${formatAllowed(DATA_LIMITS.timeout)}`,
  });

  // §7.1.2.2: #SSLRECV=<SSId>,<MaxNumByte>[,<Timeout>] → `#SSLRECV: <n>`, n raw bytes, OK;
  // nothing in time → `#SSLRECV: 0`, `TIMEOUT`, OK. The guide also prints `#SSLRCV:`; the prefix
  // follows the command's name. A peer that hangs up while nothing is waiting: `DISCONNECTED`
  // in place of `TIMEOUT` (AT reference guides).
  modem.register('#SSLRECV', {
    write: async (ctx) => {
      const p = new Params(ctx.args).expect(2, 3);
      const slot = usableSlot(device, instance, ssidParam(device, p), { mqtt: false });
      const max = p.int(1, DATA_LIMITS.sslrecv);
      const timeout = p.int(2, DATA_LIMITS.timeout, slot.settings.defTo);
      const socket = openSocket(slot);
      await socket.waitForData(device.tenths(timeout));
      const data = socket.read(max);
      if (data.length === 0) return ['#SSLRECV: 0', socket.finishedByPeer ? 'DISCONNECTED' : 'TIMEOUT'];
      return { lines: [`#SSLRECV: ${data.length}`, data] };
    },
    test: () => `#SSLRECV: ${ssids},${formatAllowed(DATA_LIMITS.sslrecv)},${formatAllowed(DATA_LIMITS.timeout)}`,
  });

  // §7.2: #SSLH=<SSId>[,<ClosureType>]; the ClosureType of #SSLD applies when it is left out.
  modem.register('#SSLH', {
    write: (ctx) => {
      const p = new Params(ctx.args).expect(1, 2);
      const slot = usableSlot(device, instance, ssidParam(device, p), { mqtt: false });
      const socket = slot.socket;
      if (!(socket instanceof SecureSocket)) {
        // §7.4.5: `AT#SSLH=1,0` "force definitive closure" also drops a session kept for #SSLFASTD.
        if (p.has(1) && p.int(1, closureTypes) === 0 && slot.fastDial) {
          slot.fastDial = undefined;
          return;
        }
        throw FAIL.sslNotConnected();
      }
      socket.close(p.int(1, closureTypes, socket.closureType));
    },
    test: () => `#SSLH: ${ssids},${formatAllowed(closureTypes)}`,
  });

  // §7.4.1: #SSLS=<SSId> → `#SSLS: <SSId>,2,<cipher_suite>` connected, `,1` enabled and closed, `,0` disabled.
  modem.register('#SSLS', {
    write: (ctx) => {
      const p = new Params(ctx.args).expect(1, 1);
      const slot = device.slot(ssidParam(device, p));
      if (slot.socket?.connected) return `#SSLS: ${slot.ssid},2,${reportedCipher(platform, slot.socket.cipher)}`;
      const client = device.mqtt[slot.ssid - 1];
      const enabled = slot.enabledBy !== undefined || (client !== undefined && client.enabled && client.sslEn === 1);
      return `#SSLS: ${slot.ssid},${enabled ? 1 : 0}`;
    },
    test: () => `#SSLS: ${ssids}`,
  });
}
