/**
 * The one state object of a simulated XBee3 Cellular: its flash (files and saved registers, kept
 * across reboots), the registers in effect, the API sockets, the transparent-mode connection and
 * what CI/OD report about it, plus what tests inspect (last handshake, last failure).
 *
 * Owns: the data, the power-loss rule and applying register changes to what is running. Must
 * never: parse a command or write to the host itself (the modem, `Xbee3Modem`, does).
 *
 * Power (contract): files and the values saved with ATWR survive; everything else — sockets
 * (closed without a frame), the transparent connection, unsaved register values, the working
 * directory — is lost.
 */
import type { ApiFrame } from '../../../adapters/xbee3/api-frames';
import type { TlsFailure } from '../../tls-types';
import { PowerTimers } from '../../timers';
import { Flash } from './filesystem';
import { Registers } from './registers';
import { CI } from './tables';

export interface HandshakeRecord {
  /** API socket id, or `transparent`. */
  socket: number | 'transparent';
  /** What the host asked for (before `route`). */
  host: string;
  port: number;
  /** `TLSv1.2` …, or `TCP`. */
  version: string;
  cipher: string;
  /** The TLS profile used. */
  profile?: number;
  /** SNI sent, when the host was a name. */
  servername?: string;
  /** One-line subject of the client certificate presented. */
  clientCertificate?: string;
}

export interface Xbee3DeviceOptions {
  timeScale: number;
  connectTimeoutMs: number;
  ipAddress: string;
  route?: (host: string, port: number) => { host: string; port: number } | undefined;
}

/**
 * The way to the host for what the network brings (the modem implements it): held while the host
 * is in command mode and delivered, in order, when it leaves (contract).
 */
export interface DeviceHost {
  /** An API frame (0xCD, 0xCF, 0x89 …), encoded for the AP in effect when it goes out. */
  frame(frame: ApiFrame): void;
  /** Transparent-mode bytes from the peer. */
  data(bytes: Buffer): void;
}

/** What the socket and transparent modules expose to the device. */
export interface Disposable {
  /** Ends without a word to the host (power loss, AP change). */
  dispose(): void;
}

export interface ApiSocketHandle extends Disposable {
  readonly id: number;
  readonly secure: boolean;
  readonly state: string;
}

export interface TransparentHandle extends Disposable {
  readonly state: string;
  /** The module ends it (TM, changed IP/DL/DE): CI becomes `ci`, nothing is printed. */
  end(ci: number): void;
}

/** The values whose change ends a running connection when applied. */
interface Applied {
  AP: number;
  IP: number;
  DL: string;
  DE: number;
}

export class Xbee3Device {
  readonly flash: Flash;
  readonly registers = new Registers();
  readonly sockets = new Map<number, ApiSocketHandle>();
  transparent: TransparentHandle | undefined;
  /** CI and OD: the transparent connection's state (XBee3 guide, "CI", "OD"). */
  ci: number = CI.none;
  od = '0.0.0.0';
  lastHandshake: HandshakeRecord | undefined;
  /** Why the last connection failed, in the TLS stack's words (the host sees only a status). */
  lastFailure: TlsFailure | undefined;
  /** Bumped on every power loss: work begun before it must not act afterwards. */
  generation = 0;
  /** Module timers (CT, TM, YMODEM), scaled by `timeScale`; power loss cancels them. */
  readonly timers: PowerTimers;
  /** Set by the modem. */
  host!: DeviceHost;
  private applied: Applied;

  constructor(
    readonly options: Xbee3DeviceOptions,
    flashBytes?: number,
  ) {
    this.flash = new Flash(flashBytes);
    this.timers = new PowerTimers(options.timeScale);
    this.applied = this.effective();
  }

  /** AP as it is in effect (a write takes effect on AC, CN or the end of command mode). */
  get apiMode(): number {
    return this.applied.AP;
  }

  private effective(): Applied {
    const r = this.registers;
    return { AP: r.num('AP'), IP: r.num('IP'), DL: r.str('DL'), DE: r.num('DE') };
  }

  /**
   * ATAC / ATCN / the end of command mode / a 0x08 write: changes take effect. A change of IP, DL
   * or DE ends the transparent connection (XBee3 guide, "Transparent mode behavior for outgoing
   * TCP and TLS connections"); a change of AP ends what belonged to the old mode (chosen: the
   * guide does not say what happens to open sockets).
   */
  apply(): { apChanged: boolean } {
    const before = this.applied;
    const now = this.effective();
    this.applied = now;
    if (before.IP !== now.IP || before.DL !== now.DL || before.DE !== now.DE) this.transparent?.end(CI.userClosed);
    const apChanged = before.AP !== now.AP;
    if (apChanged) {
      if (now.AP !== 0) this.transparent?.end(CI.userClosed);
      if (now.AP === 0) this.disposeSockets();
    }
    return { apChanged };
  }

  private disposeSockets(): void {
    for (const socket of [...this.sockets.values()]) socket.dispose();
    this.sockets.clear();
  }

  /** Power lost: see the header. */
  powerLost(): void {
    this.generation++;
    this.timers.clear();
    this.disposeSockets();
    this.transparent?.dispose();
    this.transparent = undefined;
    this.ci = CI.none;
    this.od = '0.0.0.0';
    this.registers.restore();
    this.flash.cwd = [];
    this.applied = this.effective();
  }
}
