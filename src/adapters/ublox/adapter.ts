/**
 * The u-blox adapter: the vendor-neutral operations on a u-blox cellular module. Security data
 * is `security.ts` (+USECMNG), profiles `profiles.ts` over the op table of `profile-ops.ts`
 * (+USECPRF), sockets `sockets.ts` (+USO*) — seeds/003, "Device and data security", and the
 * SARA-R5 AT commands manual UBX-19047455, "Internet protocol transport layer". The clock and the
 * data connection are the 3GPP TS 27.007 ones every cellular module shares (`../cellular`).
 *
 * On u-blox the three things are separate: certificates and keys are stored under free-text
 * names (≤ 30 characters), a security profile 0..4 names the ones it uses, and a socket (0..6,
 * chosen by the module) is bound to a profile with +USOSEC before it connects.
 *
 * Owns: what u-blox modules can do (`ubloxCapabilities`), bringing a module up (chip ID, clock,
 * data connection), and which part handles each operation and URC.
 * Must never: send a command itself that belongs to one of the parts, or let an operation of
 * several commands leave its exclusive section (each part keeps that rule for its own).
 */
import { EventEmitter } from 'node:events';
import { buildCommand, p, readCommand } from '../../at/command';
import type { AtChannel, AtEngine, Urc } from '../../at/engine';
import { parseLine } from '../../at/fields';
import type { CertType } from '../../tls/certificates';
import type { TlsProfile } from '../../tls/profile';
import type {
  ApplyResult,
  Capabilities,
  CloseRequest,
  DecodedError,
  ModemAdapter,
  OpenRequest,
  RemoveRequest,
  SocketInfo,
  StoredSecurityData,
  UploadRequest,
  UploadResult,
} from '../adapter';
import { readModemClock, setModemClock } from '../cellular/clock';
import { attachPdp } from '../cellular/pdp';
import { decodeUbloxError } from './errors';
import { optionRows } from './options';
import { UbloxProfiles } from './profiles';
import { UbloxSecurityData } from './security';
import { UbloxSockets } from './sockets';
import { NAME_PATTERN, SOCKETS, SUITES, USECMNG_LIMITS, USECPRF_LIMITS } from './tables';

export interface UbloxAdapterOptions {
  /** The module's name as the modem config gives it (e.g. `SARA-R5`); informative only: one table serves all. */
  platform?: string;
  apn?: string;
  apnUser?: string;
  apnPassword?: string;
  clockSync?: boolean;
  /** PDP context id of the data connection (default 1). */
  cid?: number;
  now?: () => Date;
  /** The serial line rate, by which bulk data takes its quickest way (`transfer.ts`); none over TCP. */
  baudRate?: number;
}

export type UbloxCapabilities = Capabilities & { chipId?: string };

/**
 * What u-blox modules can do, from the manual's tables alone (the editor asks before any modem
 * is deployed); `chipId` is the one read from the module by `prepare()`.
 */
export function ubloxCapabilities(learned: { chipId?: string; platform?: string } = {}): UbloxCapabilities {
  const product = learned.platform ? `u-blox ${learned.platform}` : 'u-blox';
  return {
    vendor: 'ublox',
    ...(learned.platform ? { platform: learned.platform } : {}),
    label: learned.chipId ? `${product} (chip ID ${learned.chipId})` : product,
    ...(learned.chipId ? { chipId: learned.chipId } : {}),
    profiles: {
      ids: { ...USECPRF_LIMITS.profiles },
      verify: ['none', 'server', 'mutual'],
      // Level 1 checks the chain only, level 2 adds the host name, level 3 the dates as well.
      checkHostname: 'optional',
      checkDate: 'optional',
      tlsVersions: ['auto', '1.0', '1.1', '1.2'],
      ciphers: SUITES.map((s) => s.iana),
      // Notes: `<legacy_cs>` 100 (a list) is not supported; a list stays reachable through vendorOptions.cipherList.
      cipherSelection: 'one',
      sni: true,
      hostname: true,
      alpn: true,
      psk: true,
      keyPassword: true,
      vendorOptions: optionRows('profiles'),
    },
    certificates: {
      types: ['ca', 'cert', 'key'],
      naming: 'name',
      namePattern: NAME_PATTERN,
      nameHint: `free text without quotes, up to ${USECMNG_LIMITS.nameLength} characters (pre-installed ubx_… names up to 60 can be used in a profile)`,
      nameMax: USECMNG_LIMITS.nameLength,
      maxBytes: USECMNG_LIMITS.maxBytes,
      maxItems: USECMNG_LIMITS.maxItems,
      formats: ['pem', 'der'],
      verification: 'md5',
      oneTimeProgrammable: false,
      keyAlgorithms: ['rsa', 'ec'],
      vendorOptions: optionRows('certificates'),
    },
    sockets: {
      ids: { ...SOCKETS.ids },
      maxConcurrent: SOCKETS.maxTls,
      modes: ['command'],
      maxSendChunk: SOCKETS.maxChunk,
      maxReceiveChunk: SOCKETS.maxChunk,
      push: true,
      openOptions: optionRows('open'),
      closeOptions: optionRows('close'),
    },
  };
}

/** 27.007 §10.1.10 +CGACT reads and activates; u-blox +UAUTHREQ authenticates (`<auth_type>` 3: PAP or CHAP, the network chooses). */
const UBLOX_PDP = {
  vendor: 'ublox',
  state: { line: readCommand('+CGACT'), prefix: '+CGACT:' },
  cidMax: 11,
  apnMaxLength: 99,
  credentialMaxLength: 64,
} as const;

export class UbloxAdapter extends EventEmitter implements ModemAdapter {
  readonly vendor = 'ublox' as const;
  /** The immutable chip ID (+USECCHIP), once `prepare()` read it. */
  chipId: string | undefined;
  private readonly security: UbloxSecurityData;
  private readonly profiles: UbloxProfiles;
  private readonly sockets: UbloxSockets;

  constructor(
    private readonly engine: AtEngine,
    private readonly options: UbloxAdapterOptions = {},
  ) {
    super();
    // tls-recv and tls-open nodes each listen for data and closes: many listeners are expected.
    this.setMaxListeners(0);
    this.security = new UbloxSecurityData(engine);
    this.profiles = new UbloxProfiles(engine);
    this.sockets = new UbloxSockets(engine, {
      events: this,
      beforeConnect: (at, profile, host) => this.profiles.followHost(at, profile, host),
      baudRate: options.baudRate,
    });
    engine.on('urc', (urc: Urc) => this.onUrc(urc));
  }

  capabilities(): UbloxCapabilities {
    return ubloxCapabilities({ chipId: this.chipId, platform: this.options.platform });
  }

  async prepare(at?: AtChannel): Promise<void> {
    if (!at) return this.engine.exclusive((channel) => this.prepare(channel));
    this.sockets.clear('the modem was brought up again');
    await this.sockets.closeOrphans(at);
    this.profiles.forgetHostValues();
    const chip = await at.send({ line: buildCommand('+USECCHIP'), responsePrefixes: ['+USECCHIP:'] }).catch(() => null);
    const id = chip?.lines.map((l) => parseLine(l)).find((l) => l.name === '+USECCHIP')?.fields[0];
    this.chipId = id === undefined || id === '' ? undefined : String(id);
    if (this.options.clockSync) await this.syncClock(at, (this.options.now ?? (() => new Date()))());
    if (this.options.apn) await this.attachNetwork(at);
  }

  forgetConnections(reason: string): void {
    // What the module held for a profile may have changed meanwhile (a reboot): read it again.
    this.profiles.forgetHostValues();
    this.sockets.endAll(`the link to the modem was lost: ${reason}`);
  }

  closeAll(): Promise<void> {
    return this.sockets.closeAll();
  }

  /** `+CCLK="yy/MM/dd,hh:mm:ss±zz"` (3GPP TS 27.007 §8.15), in UTC. */
  syncClock(at: AtChannel, date: Date): Promise<void> {
    return setModemClock(at, date);
  }

  /**
   * The data connection (3GPP TS 27.007 §10.1.1 +CGDCONT, §10.1.10 +CGACT; u-blox +UAUTHREQ
   * for the APN user and password): nothing is written when the context is already active.
   */
  async attachNetwork(at: AtChannel): Promise<void> {
    await attachPdp(at, {
      ...UBLOX_PDP,
      // A module that does not take +CGACT? (it manages contexts its own way): say so, do not block the modem.
      stateRefused: (err) => this.emit('warning', `the data connection state could not be read (${err.message}); the APN was not applied — check the module's data connection if connections fail`),
      authenticate: (cid, user, password) => buildCommand('+UAUTHREQ', [cid, p.int('auth_type', 3), user, password]),
      activate: (cid) => ({ line: buildCommand('+CGACT', [p.int('state', 1), cid]) }),
    }, { cid: this.options.cid ?? 1, apn: this.options.apn, user: this.options.apnUser, password: this.options.apnPassword });
  }

  uploadSecurityData(request: UploadRequest): Promise<UploadResult> {
    return this.security.upload(request);
  }

  removeSecurityData(certType: CertType, name: string, request?: RemoveRequest): Promise<void> {
    return this.security.remove(certType, name, request);
  }

  listSecurityData(): Promise<StoredSecurityData[]> {
    return this.security.list();
  }

  applyProfile(profile: TlsProfile): Promise<ApplyResult> {
    return this.profiles.apply(profile);
  }

  openSocket(request: OpenRequest): Promise<SocketInfo> {
    return this.sockets.open(request);
  }

  send(socket: string, data: Buffer): Promise<number> {
    return this.sockets.send(socket, data);
  }

  receive(socket: string, maxBytes: number, timeoutMs?: number): Promise<Buffer> {
    return this.sockets.receive(socket, maxBytes, timeoutMs);
  }

  /** Announced data stays in the module's receive buffer while held (+UUSORD noted, no +USORD): true for an open socket. */
  holdReceive(socket: string, hold: boolean): boolean {
    return this.sockets.holdReceive(socket, hold);
  }

  closeSocket(socket: string, request?: CloseRequest): Promise<void> {
    return this.sockets.close(socket, request);
  }

  /** `+CCLK?` → `+CCLK: "yy/MM/dd,hh:mm:ss±zz"` (3GPP TS 27.007 §8.15; zone in quarter hours). */
  modemClock(): Promise<Date | undefined> {
    return readModemClock(this.engine);
  }

  decodeError(error: { code?: string | number; line?: string; command?: string }): DecodedError {
    return decodeUbloxError(error);
  }

  private onUrc(urc: Urc): void {
    if (this.sockets.onUrc(urc)) return;
    if (urc.name === '+UUSECPRF') {
      // Session resumption state of a profile: the tls-profile node of that profile reports it.
      const { profile, ...rest } = urc.fields as { profile: number } & Record<string, unknown>;
      this.emit('profile', String(profile), { ...rest, raw: urc.raw });
    }
  }
}
