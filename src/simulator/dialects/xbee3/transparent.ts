/**
 * Transparent mode (AP=0) connections of the XBee3 Cellular: the first byte the host sends opens
 * a connection to DL:DE — TLS with profile $0 and TL when IP=4, plain TCP when IP=1 — and from then
 * on bytes flow raw both ways.
 *
 * Owns: that one connection, the bytes waiting for it to open, its TM inactivity timer, and CI/OD.
 * Must never: print anything about the connection (the guide gives no in-band indication: the
 * host reads CI and OD in command mode), or deliver a byte after it ended.
 *
 * XBee3 Cellular User Guide, "Transparent mode behavior for outgoing TCP and TLS connections":
 * "To initiate an outgoing TCP or TLS connection to a remote host, send data to the XBee Smart
 * Modem's serial port. If CI … reports a value of 0, then the connection was successfully
 * established, otherwise the value of CI indicates why the connection attempt failed." It closes
 * when the remote end closes, after TM without traffic, or when a change of IP, DL or DE is
 * applied. "Transparent mode and TLS": such connections use $0 (seeds/000 l. 10-11).
 * Choices (contract unless noted): bytes sent while the connection fails are dropped; a peer close
 * sets CI 0x27, a close by TM or by a changed IP/DL/DE sets 0x21 (simulator's choice); IP 0 and 2
 * (UDP, SMS) are not simulated: the bytes are dropped and CI reads 0x03 (simulator's choice).
 */
import { isIP } from 'node:net';
import type * as net from 'node:net';
import { TlsFailure } from '../../tls-types';
import { follow } from '../receive-queue';
import type { TransparentHandle, Xbee3Device } from './state';
import { CI } from './tables';
import { dial, DialFailure, readTlsSettings, type DialFailureKind } from './tls';

const FAILURE_CI: Readonly<Record<DialFailureKind, number>> = {
  dns: CI.dnsFailed,
  refused: CI.refused,
  timeout: CI.timeout,
  tls: CI.tlsAuthentication,
  // Chosen: other network errors read as "unknown server".
  other: CI.dnsFailed,
};

export class TransparentLink implements TransparentHandle {
  state: 'connecting' | 'open' | 'closed' = 'connecting';
  private waiting: Buffer[] = [];
  private stream: net.Socket | undefined;
  private idle: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly device: Xbee3Device,
    readonly host: string,
    readonly port: number,
    readonly secure: boolean,
  ) {}

  private get current(): boolean {
    return this.device.transparent === this && this.state !== 'closed';
  }

  async open(): Promise<void> {
    const device = this.device;
    const generation = device.generation;
    let tlsSettings;
    if (this.secure) {
      const settings = readTlsSettings(device.flash, 0, device.registers.str('$0'), device.registers.num('TL'));
      if (settings instanceof TlsFailure) {
        this.fail(CI.tlsAuthentication, settings);
        return;
      }
      tlsSettings = settings;
    }
    const target = device.options.route?.(this.host, this.port) ?? { host: this.host, port: this.port };
    const servername = isIP(this.host) === 0 ? this.host : undefined;
    try {
      const dialled = await dial({ host: target.host, port: target.port, servername, tls: tlsSettings, timeoutMs: device.options.connectTimeoutMs, signal: this.abort.signal });
      if (device.generation !== generation || !this.current) {
        dialled.stream.destroy();
        return;
      }
      device.lastHandshake = {
        socket: 'transparent',
        host: this.host,
        port: this.port,
        version: dialled.version,
        cipher: dialled.cipher,
        profile: this.secure ? 0 : undefined,
        servername: this.secure ? servername : undefined,
        clientCertificate: tlsSettings?.client?.subject,
      };
      this.stream = dialled.stream;
      this.state = 'open';
      device.ci = CI.open;
      device.od = dialled.stream.remoteAddress?.replace(/^::ffff:/, '') ?? '0.0.0.0';
      follow(
        dialled.stream,
        (data) => this.fromNetwork(data),
        () => this.end(CI.lost),
      );
      const waiting = this.waiting;
      this.waiting = [];
      for (const bytes of waiting) this.write(bytes);
      this.touch();
    } catch (err) {
      if (device.generation !== generation || !this.current) return;
      const failure = err instanceof DialFailure ? err : new DialFailure('other', new TlsFailure('handshake', (err as Error).message));
      this.fail(FAILURE_CI[failure.kind], failure.failure);
    }
  }

  private fail(ci: number, failure: TlsFailure): void {
    this.device.lastFailure = failure;
    this.release();
    this.device.ci = ci;
    this.device.od = '0.0.0.0';
  }

  write(bytes: Buffer): void {
    if (this.state === 'connecting') {
      this.waiting.push(Buffer.from(bytes));
      return;
    }
    if (this.state !== 'open' || !this.stream) return;
    this.stream.write(bytes);
    this.touch();
  }

  private fromNetwork(data: Buffer): void {
    if (this.state !== 'open') return;
    this.touch();
    this.device.host.data(Buffer.from(data));
  }

  /** TM (x 100 ms, scaled) without traffic either way ends the connection. */
  private touch(): void {
    const timers = this.device.timers;
    timers.cancel(this.idle);
    this.idle = timers.after(timers.ms(this.device.registers.num('TM') * 100), () => this.end(CI.userClosed));
  }

  end(ci: number): void {
    if (!this.current) return;
    const stream = this.stream;
    this.release();
    this.device.ci = ci;
    this.device.od = '0.0.0.0';
    stream?.end();
    stream?.destroySoon();
  }

  dispose(): void {
    const stream = this.stream;
    this.release();
    stream?.destroy();
  }

  private release(): void {
    this.abort.abort();
    this.device.timers.cancel(this.idle);
    this.state = 'closed';
    this.stream = undefined;
    this.waiting = [];
    if (this.device.transparent === this) this.device.transparent = undefined;
  }
}

/** Bytes from the host in transparent mode: to the open connection, or the first of a new one. */
export function transparentSend(device: Xbee3Device, bytes: Buffer): void {
  const link = device.transparent;
  if (link && link.state !== 'closed') {
    (link as TransparentLink).write(bytes);
    return;
  }
  const registers = device.registers;
  const ip = registers.num('IP');
  if (ip !== 1 && ip !== 4) {
    device.ci = CI.notSupported;
    return;
  }
  const host = registers.str('DL');
  const port = registers.num('DE');
  if (host === '' || host === '0.0.0.0' || port === 0) {
    device.ci = CI.invalidParameters;
    return;
  }
  const created = new TransparentLink(device, host, port, ip === 4);
  device.transparent = created;
  created.write(bytes);
  void created.open();
}
