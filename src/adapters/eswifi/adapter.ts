/**
 * The Inventek eS-WiFi adapter: the vendor-neutral operations on an eS-WiFi module (ISM43362,
 * ISM43340). Certificate sets are `sets.ts` (PF, PG — seeds/002), the record of what they hold
 * `state.ts`, the Wi-Fi join `wifi.ts` (C0..C4, CS), connections `sockets.ts` (P*, S3, R0 and the
 * poller), the raw answers `reply.ts` — the Inventek eS-WiFi AT command set (IWIN) as the public
 * drivers `tables.ts` names use it.
 *
 * A profile is a certificate set: the module has no setting per set, so what a profile says
 * (the P9 verification) is noted here and sent, with `PF=<set>`, at each open. The module has no
 * clock this package can read or set, and it checks no certificate dates.
 *
 * Owns: what the eS-WiFi can do (`eswifiCapabilities`), bringing it up, profiles, and which part
 * handles each operation.
 * Must never: send a command that belongs to one of the parts, or let an operation of several
 * commands leave its exclusive section.
 */
import { EventEmitter } from 'node:events';
import type { AtChannel, AtEngine } from '../../at/engine';
import { parameterError } from '../../at/errors';
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
import type { AdapterOptions } from '../vendor';
import { decodeEswifiError } from './errors';
import { optionRows, optionValues } from './options';
import { Selection } from './selection';
import { EswifiSets, setOf } from './sets';
import { EswifiSockets } from './sockets';
import { setsRecord, type SetsRecord } from './state';
import { P9, SETS, SOCKETS, TYPE_WORDS } from './tables';
import { EswifiWifi } from './wifi';

export interface EswifiAdapterOptions extends AdapterOptions {
  now?: () => Date;
}

/** What the eS-WiFi can do, from seeds/002 and the drivers alone (the editor asks before any modem is deployed). */
export function eswifiCapabilities(platform?: string): Capabilities {
  return {
    vendor: 'eswifi',
    ...(platform ? { platform } : {}),
    label: platform ? `Inventek ${platform}` : 'Inventek eS-WiFi',
    profiles: {
      // A profile is a certificate set (PF, l. 7).
      ids: { ...SETS.ids },
      verify: ['none', 'server', 'mutual'],
      // No command for either is documented, and the module has no clock setting.
      checkHostname: 'never',
      checkDate: 'never',
      tlsVersions: ['auto'],
      ciphers: [],
      cipherSelection: 'none',
      sni: false,
      hostname: false,
      // A profile is the set of its number: its CA, certificate and key need no names.
      ownCertificates: true,
      alpn: false,
      psk: false,
      keyPassword: false,
      vendorOptions: optionRows('profiles'),
    },
    certificates: {
      types: ['ca', 'cert', 'key'],
      naming: 'slot',
      slots: { ...SETS.ids },
      nameHint: 'the certificate set',
      maxBytes: SETS.maxBytes,
      formats: ['pem'],
      verification: 'match',
      oneTimeProgrammable: true,
      keyAlgorithms: ['rsa', 'ec'],
      vendorOptions: optionRows('certificates'),
    },
    sockets: {
      ids: { ...SOCKETS.ids },
      maxConcurrent: SOCKETS.maxTls,
      modes: ['command'],
      maxSendChunk: SOCKETS.maxSend,
      maxReceiveChunk: SOCKETS.maxRead,
      // The adapter polls (R0) and pushes what comes.
      push: true,
      openOptions: optionRows('open'),
      closeOptions: optionRows('close'),
    },
  };
}

/**
 * What a profile applied to `set` means on the module: its P9, from `vendorOptions.verification`
 * or the verify mode, and what the flow should know (no command is sent). Certificate names, when
 * given, must be the set itself.
 */
export function profileSettings(profile: TlsProfile, record: Pick<SetsRecord, 'item'>): { set: number; p9: number; warnings: string[] } {
  const set = setOf('profile', profile.profile);
  for (const field of ['ca', 'cert', 'key'] as const) {
    const name = profile[field];
    if (name === undefined || name === '') continue;
    if (setOf(field, name) !== set) {
      throw parameterError(field, `is set ${name}, but a profile is its certificate set and uses what set ${set} holds: give ${set} or leave it empty`);
    }
  }
  const vo = optionValues('profiles', profile.vendorOptions);
  const p9 = (vo.verification as number | undefined) ?? P9.fromVerify[profile.verify];
  const warnings: string[] = [];
  if (p9 === 0) warnings.push('the module does not verify the server (P9=0)');
  if (p9 === 1) warnings.push(`P9=1 verifies the server only when set ${set} holds a root CA; without one the module verifies nothing (Inventek's TLS note)`);
  if (p9 === 2 && !record.item(set, 'ca')) {
    warnings.push(`set ${set} holds no root CA this package knows of: with P9=2 the module refuses every connection until one is programmed (load-cert certType ca, name ${set})`);
  }
  if (profile.verify === 'mutual') {
    const missing = (['cert', 'key'] as const).filter((type) => !record.item(set, type)).map((type) => TYPE_WORDS[type]);
    if (missing.length > 0) warnings.push(`verify "mutual": set ${set} has no ${missing.join(' and no ')} this package knows of, so the module cannot present a client certificate`);
  }
  if (profile.tlsVersion !== 'auto') warnings.push(`the module negotiates the TLS version itself: tlsVersion ${profile.tlsVersion} is not sent (no command selects it)`);
  return { set, p9, warnings };
}

export class EswifiAdapter extends EventEmitter implements ModemAdapter {
  readonly vendor = 'eswifi' as const;
  private readonly record: SetsRecord;
  private readonly selection = new Selection();
  private readonly sets: EswifiSets;
  private readonly wifi: EswifiWifi;
  private readonly sockets: EswifiSockets;

  constructor(
    private readonly engine: AtEngine,
    private readonly options: EswifiAdapterOptions = {},
  ) {
    super();
    // tls-recv and tls-open nodes each listen for data and closes: many listeners are expected.
    this.setMaxListeners(0);
    this.record = setsRecord(options.endpoint, options.stateDir);
    this.sets = new EswifiSets(engine, this.record, this.selection, () => this.now());
    this.wifi = new EswifiWifi(engine, options.wifi, this);
    this.sockets = new EswifiSockets(engine, {
      events: this,
      selection: this.selection,
      settled: () => this.wifi.settled(),
      beforeOpen: (at) => this.wifi.ensure(at),
      joined: (at) => this.wifi.joined(at),
      verification: (set) => this.verification(set),
    });
    // After a resynchronisation nothing is known of what the module selects.
    engine.on('resync', () => this.selection.unsure());
    // The engine closed (redeploy, shutdown): the pollers stop.
    engine.on('closed', (reason: string) => this.sockets.endAll(reason));
  }

  capabilities(): Capabilities {
    return eswifiCapabilities(this.options.platform);
  }

  /**
   * After the module answered `I?` (the engine's sync): connections of the previous session end
   * (a reopened link or a restart), sockets a lost link left are stopped, and the Wi-Fi join is
   * started when the module has not joined.
   */
  async prepare(at?: AtChannel): Promise<void> {
    if (!at) return this.engine.exclusive((channel) => this.prepare(channel));
    this.selection.unsure();
    // What ended meanwhile keeps its reason (a lost link): a later send on it says why.
    this.sockets.endAll('the modem was brought up again');
    await this.sockets.closeOrphans(at);
    await this.wifi.prepare(at);
  }

  forgetConnections(reason: string): void {
    this.selection.unsure();
    // The module may still hold them: they are stopped on it at the next bring-up.
    this.sockets.endAll(`the link to the modem was lost: ${reason}`, true);
  }

  closeAll(): Promise<void> {
    return this.sockets.closeAll();
  }

  uploadSecurityData(request: UploadRequest): Promise<UploadResult> {
    return this.sets.upload(request);
  }

  async removeSecurityData(certType: CertType, name: string, request?: RemoveRequest): Promise<void> {
    this.sets.remove(certType, name, request?.vendorOptions);
  }

  async listSecurityData(): Promise<StoredSecurityData[]> {
    return this.sets.list();
  }

  /** Noted host-side (the module has no setting per set): `written` is always 0. */
  async applyProfile(profile: TlsProfile): Promise<ApplyResult> {
    const { set, p9, warnings } = profileSettings(profile, this.record);
    this.record.applyProfile(set, { verify: profile.verify, p9 });
    return { profile: String(set), applied: { set, P9: p9 }, warnings, written: 0 };
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

  /** A held connection is not polled (no R0): what arrives stays in the module until the release. */
  holdReceive(socket: string, hold: boolean): boolean {
    return this.sockets.holdReceive(socket, hold);
  }

  closeSocket(socket: string, request?: CloseRequest): Promise<void> {
    return this.sockets.close(socket, request);
  }

  /** The eS-WiFi has no clock this package can read, and checks no certificate dates. */
  async modemClock(): Promise<Date | undefined> {
    return undefined;
  }

  decodeError(error: { code?: string | number; line?: string; command?: string }): DecodedError {
    return decodeEswifiError(error);
  }

  /** The P9 of an open on `set`: the applied profile's, else 2 with a warning. */
  private verification(set: number): { p9: number; warning?: string } {
    const applied = this.record.profiles.get(set);
    if (applied) return { p9: applied.p9 };
    return { p9: P9.unprofiled, warning: `no tls-profile applied for set ${set}: P9=${P9.unprofiled}` };
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}
