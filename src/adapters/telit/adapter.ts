/**
 * The Telit adapter: vendor-neutral operations in Telit's SSL commands (SSL/TLS User
 * Guide 1vv0300989, seeds/001). On Telit the secure socket id (SSId) is everything: the
 * profile id, the slot of its security data, and the socket.
 *
 * Owns: every Telit command sent on behalf of a node, idempotent provisioning (read,
 * compare, write only on change), the way each send goes (the method `transfer.ts` finds
 * quickest on the wire), turning SSLSRING / NO CARRIER into socket events, and noticing that
 * the module restarted behind an open link (it prints nothing when it starts: `restartedUnder`).
 * Must never: send a command the platform table says the module does not have, or split an
 * operation of several commands (read, compare, write; set the format, then store) across
 * the queue: each runs in one exclusive section of the engine.
 */
import { EventEmitter } from 'node:events';
import { X509Certificate } from 'node:crypto';
import { buildCommand, p, readCommand, testCommand, type AtParam, type CommandLine } from '../../at/command';
import type { AtChannel, AtEngine, AtResponse, Urc } from '../../at/engine';
import { ModemError, parameterError } from '../../at/errors';
import { parseLine } from '../../at/fields';
import type { PayloadRule } from '../../at/framer';
import { encodeSecurityData, md5, pemBlocks, type CertType } from '../../tls/certificates';
import type { TlsProfile, TlsVersionChoice } from '../../tls/profile';
import type {
  ApplyResult,
  Capabilities,
  DecodedError,
  ModemAdapter,
  CloseRequest,
  OpenRequest,
  SocketInfo,
  StoredSecurityData,
  UploadRequest,
  UploadResult,
} from '../adapter';
import { ConnectionTable } from '../connections';
import { readModemClock, setModemClock } from '../cellular/clock';
import { attachPdp } from '../cellular/pdp';
import { errorReportingWasReset, isPlainError } from '../cellular/restart';
import { AnnouncedReads, readUntilShort } from '../cellular/reads';
import { vendorOptionValues } from '../checks';
import { decodeTelitError } from './errors';
import { closeOptionRows, openOptionRows, profileOptionRows, SSLCFG_DERIVED, SSLCFG_ROWS, uploadOptionRows } from './options';
import { TELIT_PLATFORMS, TELIT_TLS_VERSIONS, telitPlatform, type TelitPlatform, type TlsVersionName } from './platforms';
import { chooseSend, ESCAPE, MAX_RECV, MAX_SEND_EXT, onlineLine, receiveLine, S12_UNIT_MS, sendExtLine, sendTextLine, type SendChoice } from './transfer';

/** `<DataType>` of #SSLSECDATA (§6.5). */
const DATA_TYPE: Readonly<Record<CertType, number>> = { cert: 0, ca: 1, key: 2 };

/** §7.1.2.2: `#SSLRECV: <n>` then n bytes (the guide also prints it `#SSLRCV:`). */
const SSLRECV_PAYLOAD: PayloadRule = { name: 'SSLRECV', pattern: /^#SSLRE?CV: ?(\d+)$/, where: 'next-line', length: (m) => Number(m[1]) };

/** Why connections ended when the module was found restarted (see `restartedUnder`). */
const RESTARTED = 'the module restarted (its +CMEE setting was back to 0)';

/** The shortest #SSLRECV `<Timeout>` (10 × 100 ms): for a read whose data may already be gone. */
const ANNOUNCED_FOLLOW_UP_MS = 1000;

const VERSION_NUMBER: Readonly<Record<TlsVersionName, number>> = Object.fromEntries(
  Object.entries(TELIT_TLS_VERSIONS).map(([n, name]) => [name, Number(n)]),
) as Record<TlsVersionName, number>;

const CHOICE_TO_VERSION: Readonly<Record<string, TlsVersionName>> = { '1.0': 'TLSv1', '1.1': 'TLSv1.1', '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };


export interface TelitAdapterOptions {
  platform?: string;
  apn?: string;
  apnUser?: string;
  apnPassword?: string;
  clockSync?: boolean;
  /** PDP context id used for sockets (default 1). */
  cid?: number;
  now?: () => Date;
  /** The line rate of the serial link; unknown (a TCP link) keeps sends in COMMAND mode. */
  baudRate?: number;
}

/** The rate the COMMAND-mode sends are weighed at when the line's is unknown: they force no waits, so any rate gives the same answer. */
const NOMINAL_BAUD = 115200;

/**
 * The host's silence before `+++` is the module's guard time and this much more: the module starts
 * counting when the last byte arrives, a little after the host's clock says it left.
 */
function escapeMargin(guardMs: number): number {
  return Math.max(50, Math.ceil(guardMs / 20));
}

interface OpenSocket {
  info: SocketInfo;
  ssid: number;
}

/** One command of a profile: given what the module reports now (its read form), the line that changes it, or null when it has it already. */
interface ProfileSetting {
  command: string;
  change(current: Array<string | number> | null): CommandLine | null;
}

/** The bounds of a test-response group: `1`, `1-5`, `1,2,3`; undefined when it holds no number. */
function rangeOf(group: string): { min: number; max: number } | undefined {
  const numbers = group.split(/[,-]/).map((n) => n.trim()).filter((n) => /^\d+$/.test(n)).map(Number);
  return numbers.length > 0 ? { min: Math.min(...numbers), max: Math.max(...numbers) } : undefined;
}

const VERSION_LABEL: Readonly<Record<TlsVersionName, string>> = { SSLv3: 'SSL 3.0', TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1', 'TLSv1.2': 'TLS 1.2', 'TLSv1.3': 'TLS 1.3' };

/** The versions a §12.1 row marks, in words: "TLS 1.0 only", "TLS 1.0 and 1.1 only", "TLS 1.0 to 1.2 only". */
function versionsText(versions: readonly TlsVersionName[]): string {
  const first = VERSION_LABEL[versions[0]];
  if (versions.length === 1) return `${first} only`;
  const last = VERSION_LABEL[versions[versions.length - 1]];
  return `${first} ${versions.length === 2 ? 'and' : 'to'} ${versions[0] === 'SSLv3' ? last : last.replace(/^TLS /, '')} only`;
}

/**
 * A suite as the messages name it: by name, and where the guide numbers the platform's suites
 * two ways (25 ThreadX) also by its hex code and both numbers, so a reader of either section
 * recognises it.
 */
function suiteLabel(pf: TelitPlatform, name: string): string {
  const other = pf.otherNumbering;
  if (!other) return name;
  const values = Object.entries(pf.cipherSuites).filter(([, suite]) => suite === name).map(([value]) => Number(value));
  const hex = values.find((v) => v >= 0x20);
  const decimal = values.find((v) => v < 0x20);
  const elsewhere = Object.entries(other.selectors).find(([, suite]) => suite === name)?.[0];
  const numbers = [
    ...(hex !== undefined ? [`0x${hex.toString(16).toUpperCase().padStart(4, '0')}`] : []),
    ...(decimal !== undefined ? [`${decimal} in ${other.chosen}`] : []),
    ...(elsewhere !== undefined ? [`${elsewhere} in ${other.section}`] : []),
  ];
  return numbers.length > 0 ? `${name} (${numbers.join(', ')})` : name;
}

/** A profile asking for a suite in a version its §12.1 row leaves blank. */
function suiteVersionError(pf: TelitPlatform, suite: { name: string; versions: readonly TlsVersionName[] }, choice: string): ModemError {
  return parameterError('ciphers', `${suiteLabel(pf, suite.name)} is ${versionsText(suite.versions)} on Telit platform ${pf.id}; tlsVersion is ${choice}`);
}

/**
 * What a Telit platform can do, from the platform table alone (the editor asks before any
 * modem is deployed); `learned` carries the ranges a module reported about itself.
 */
export function telitCapabilities(
  platformId: string | undefined,
  learned: { sslSockets?: number; maxSecurityData?: number; sslCids?: { min: number; max: number } } = {},
): Capabilities {
  const pf = telitPlatform(platformId);
  if (!pf) {
    throw parameterError('platform', `"${platformId ?? ''}" is not a Telit platform ID (one of ${Object.keys(TELIT_PLATFORMS).join(', ')})`);
  }
  const sockets = learned.sslSockets ?? pf.sslSockets;
  const skip = pf.sslcfgExtras.includes('skipHostMismatch');
  return {
    vendor: 'telit',
    platform: pf.id,
    label: `Telit platform ${pf.label}`,
    profiles: {
      ids: { min: 1, max: sockets },
      verify: ['none', 'server', 'mutual'],
      checkHostname: skip ? 'optional' : 'always',
      checkDate: 'always',
      tlsVersions: pf.seccfg2 === 'none' ? ['auto'] : ['auto', ...pf.versions.filter((v) => v !== 'SSLv3').map((v) => VERSION_TO_CHOICE[v])],
      ciphers: [...new Set(Object.values(pf.cipherSuites))],
      cipherSelection: 'one',
      sni: pf.seccfg2 === 'version-sni' || pf.seccfg2 === 'version-sni-ca-min',
      hostname: false,
      // A secure socket uses the security data stored under its own id (§6.2): no names needed.
      ownCertificates: true,
      alpn: false,
      psk: false,
      keyPassword: false,
      vendorOptions: profileOptionRows(pf, learned.sslCids),
    },
    certificates: {
      types: ['ca', 'cert', 'key'],
      naming: 'slot',
      slots: { min: 1, max: sockets },
      nameHint: `the secure socket id (1..${sockets}) whose profile uses it`,
      maxBytes: learned.maxSecurityData ?? pf.maxSecurityData,
      formats: pf.der && pf.certFormatParam ? ['pem', 'der'] : ['pem'],
      verification: 'read-back',
      oneTimeProgrammable: false,
      keyAlgorithms: ['rsa'],
      vendorOptions: uploadOptionRows(pf),
    },
    sockets: {
      ids: { min: 1, max: sockets },
      maxConcurrent: sockets,
      modes: ['command', 'online'],
      maxSendChunk: MAX_SEND_EXT,
      maxReceiveChunk: MAX_RECV,
      push: true,
      openOptions: openOptionRows(pf),
      closeOptions: closeOptionRows(pf),
    },
  };
}

const VERSION_TO_CHOICE: Readonly<Record<TlsVersionName, TlsVersionChoice>> = { SSLv3: 'auto', TLSv1: '1.0', 'TLSv1.1': '1.1', 'TLSv1.2': '1.2', 'TLSv1.3': '1.3' };

export class TelitAdapter extends EventEmitter implements ModemAdapter {
  readonly vendor = 'telit' as const;
  private readonly platform: TelitPlatform;
  private sslSockets: number;
  private maxSecurityData: number;
  /** The `<cid>` range of #SSLCFG the module reported (`AT#SSLCFG=?`), once it has. */
  private sslCids: { min: number; max: number } | undefined;
  private readonly connections = new ConnectionTable<OpenSocket>(this, 'secure socket');
  private readonly enabled = new Set<number>();
  private onlineSocket: number | null = null;
  /** The module's escape guard time (S12, read at start-up), in ms. */
  private guardMs: number = ESCAPE.guardMs;
  /**
   * Announced data (SSLSRING mode 1) being read, one drain per socket: announcements are running
   * totals, so reading each one in full would ask again for bytes already read (each such
   * #SSLRECV waits the module's whole default timeout, holding up the shared queue). One more read
   * after announcements during a drain is of at most one chunk with the shortest timeout: what
   * they counted may already have been read, and what is left after a partial read is announced
   * again (§7.4.4.1). Announced data is read even for a connection no flow opened (an at-command #SSLD).
   */
  private readonly draining = new AnnouncedReads({
    serial: (ssid, read) => this.connections.serial(ssid, 'receive', read),
    read: async (ssid, length) => {
      const data = await this.readSocket(ssid, length ?? MAX_RECV, length === undefined ? ANNOUNCED_FOLLOW_UP_MS : undefined, () => this.draining.more(ssid));
      if (data.length > 0) this.draining.bring(ssid, data);
    },
    failed: (ssid, err) => this.emit('warning', `reading announced data of socket ${ssid}: ${err.message}`),
    deliver: (ssid, data) => this.emit('data', String(ssid), data),
  });
  /**
   * The `<sslSRingMode>` of each secure socket as far as this adapter knows it: written by
   * applyProfile, or seen in an SSLSRING (with its data: mode 2; without: mode 1). Decides
   * whether `holdReceive` can leave data in the module.
   */
  private readonly ringModes = new Map<number, number>();

  constructor(
    private readonly engine: AtEngine,
    private readonly options: TelitAdapterOptions = {},
  ) {
    super();
    // tls-recv and tls-open nodes each listen for data and closes: many listeners are expected.
    this.setMaxListeners(0);
    const platform = telitPlatform(options.platform);
    if (!platform) {
      throw parameterError('platform', `"${options.platform ?? ''}" is not a Telit platform ID (one of ${Object.keys(TELIT_PLATFORMS).join(', ')})`);
    }
    this.platform = platform;
    this.sslSockets = platform.sslSockets;
    this.maxSecurityData = platform.maxSecurityData;
    engine.on('urc', (urc: Urc) => this.onUrc(urc));
    this.on('closed', (socket: string) => this.draining.forget(Number(socket)));
    engine.on('data', (data: Buffer) => {
      if (this.onlineSocket !== null) this.emit('data', String(this.onlineSocket), data);
    });
    engine.on('online', (online: boolean) => {
      if (!online && this.onlineSocket !== null) this.onlineSocket = null;
    });
  }

  capabilities(): Capabilities {
    return telitCapabilities(this.platform.id, { sslSockets: this.sslSockets, maxSecurityData: this.maxSecurityData, sslCids: this.sslCids });
  }

  async prepare(at?: AtChannel): Promise<void> {
    if (!at) return this.engine.exclusive((channel) => this.prepare(channel));
    // What ended meanwhile keeps its reason (a lost link): a later send on it says why.
    this.connections.endAll('the modem was brought up again');
    this.enabled.clear();
    this.draining.clear();
    this.onlineSocket = null;
    // The module knows its real ranges better than any table (§6.1 "use the test command").
    const en = await at.send({ line: testCommand('#SSLEN'), responsePrefixes: ['#SSLEN:'] }).catch(() => null);
    const range = en && /\((\d+)(?:-(\d+))?\)/.exec(en.lines.join(' '));
    if (range) this.sslSockets = Number(range[2] ?? range[1]);
    const sd = await at.send({ line: testCommand('#SSLSECDATA'), responsePrefixes: ['#SSLSECDATA:'] }).catch(() => null);
    const sizes = sd && /\((\d+)-(\d+)\)\s*$/.exec(sd.lines.join(' '));
    if (sizes) this.maxSecurityData = Number(sizes[2]);
    // §6.7: "Use the AT#SSLCFG=? test command to know the <cid> range", the second group of
    // `#SSLCFG: (1-6),(1-5),…` (§6.8.2; `(1)` on the HE910, §6.8.1).
    const cfg = await at.send({ line: testCommand('#SSLCFG'), responsePrefixes: ['#SSLCFG:'] }).catch(() => null);
    const cids = cfg && /^#SSLCFG: ?\([^)]*\),\(([^)]*)\)/.exec(cfg.lines[0] ?? '');
    if (cids) this.sslCids = rangeOf(cids[1]) ?? this.sslCids;
    await this.readGuardTime(at);
    await this.closeOrphans(at);
    if (this.options.clockSync) await this.syncClock(at, (this.options.now ?? (() => new Date()))());
    if (this.options.apn) await this.attachNetwork(at);
  }

  /**
   * The silence `+++` needs around it is the module's S12 register, in fiftieths of a second,
   * printed as three digits (Telit AT Commands Reference Guides, "ATS12 - Escape Prompt Delay":
   * LE910Cx 80502ST10950A §3.2.3.10, GM862 80000ST10025a §3.5.3.7.2); the engine escapes
   * with it (and a margin) rather than with the default, and ONLINE sends are weighed with it.
   */
  private async readGuardTime(at: AtChannel): Promise<void> {
    const answer = await at.send({ line: readCommand('S12') }).catch(() => null);
    const s12 = Number(/^(\d{1,3})$/.exec(answer?.lines[0] ?? '')?.[1] ?? NaN);
    this.guardMs = s12 > 0 ? s12 * S12_UNIT_MS : ESCAPE.guardMs;
    this.engine.setGuardTime(this.guardMs + escapeMargin(this.guardMs));
  }

  /**
   * A connection the module still holds from before (Node-RED restarted, the cable was pulled
   * while the module kept power) belongs to no flow any more, and would answer every tls-open on
   * its SSId with 834 "SSL already connected": close it (§7.2 #SSLS, §7.1.3 #SSLH).
   */
  private async closeOrphans(at: AtChannel): Promise<void> {
    const state = await at.send({ line: readCommand('#SSLEN'), responsePrefixes: ['#SSLEN:'] }).catch(() => null);
    const enabled = (state?.lines ?? []).map((l) => parseLine(l).fields).filter((f) => typeof f[0] === 'number' && f[1] === 1).map((f) => f[0] as number);
    for (const ssid of enabled) {
      this.enabled.add(ssid);
      const status = await at.send({ line: buildCommand('#SSLS', [p.int('SSId', ssid)]), responsePrefixes: ['#SSLS:'] }).catch(() => null);
      if (parseLine(status?.lines[0] ?? '').fields[1] !== 2) continue;
      await at.send({ line: buildCommand('#SSLH', [p.int('SSId', ssid)]) }).catch(() => undefined);
      this.emit('warning', `secure socket ${ssid} was still connected from an earlier session; it was closed so a flow can open it again`);
    }
  }

  forgetConnections(reason: string): void {
    this.onlineSocket = null;
    this.draining.clear();
    this.enabled.clear();
    this.connections.endAll(`the link to the modem was lost: ${reason}`);
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.connections.ids().map((ssid) => this.closeSocket(String(ssid)).catch(() => undefined)));
  }

  /** `+CCLK="yy/MM/dd,hh:mm:ss±zz"` (3GPP TS 27.007 §8.15), in UTC. */
  async syncClock(at: AtChannel, date: Date): Promise<void> {
    await setModemClock(at, date);
  }

  /**
   * §5: define the PDP context with the APN, then activate it unless it already is — #SGACT
   * reads the state and activates, with the APN user and password as its own parameters.
   * The address the module got, or undefined when the context was active already.
   */
  async attachNetwork(at: AtChannel): Promise<string | undefined> {
    const answer = await attachPdp(at, {
      vendor: 'telit',
      state: { line: readCommand('#SGACT'), prefix: '#SGACT:' },
      cidMax: 16,
      apnMaxLength: 100,
      credentialMaxLength: 64,
      activate: (cid, credentials) => ({ line: buildCommand('#SGACT', [cid, p.int('stat', 1), ...credentials]), responsePrefixes: ['#SGACT:'] }),
    }, { cid: this.options.cid ?? 1, apn: this.options.apn, user: this.options.apnUser, password: this.options.apnPassword });
    const ip = answer?.lines.map((l) => /^#SGACT: ?(.+)$/.exec(l)?.[1]).find(Boolean);
    return ip?.replace(/"/g, '');
  }

  // ---------------------------------------------------------------- security data (§6.5)

  async uploadSecurityData(request: UploadRequest): Promise<UploadResult> {
    return this.noticingRestart(() => this.upload(request));
  }

  private async upload(request: UploadRequest): Promise<UploadResult> {
    const ssid = this.slot('name', request.name);
    const pf = this.platform;
    const type = DATA_TYPE[request.certType];
    const format = request.format === 'auto' ? 'pem' : request.format;
    if (format === 'der' && !(pf.der && pf.certFormatParam)) {
      throw parameterError('format', `Telit platform ${pf.id} takes security data in PEM only (DER needs a 3G/4G platform other than 30, 37 and 52)`);
    }
    if (request.parsed.kind === 'key' && request.parsed.algorithm !== 'rsa') {
      throw parameterError('msg.payload', `Telit modules take an RSA private key; this one is ${request.parsed.algorithm.toUpperCase()}`);
    }
    const vo = vendorOptionValues(uploadOptionRows(pf), request.vendorOptions, `Telit platform ${pf.id} (RAM storage is platform 23's)`);
    const ram = vo.storage === 'ram';
    // §6.5: PEM lines end with LF only; older modules expect the PKCS#1 form of an RSA key.
    const data = encodeSecurityData(request.parsed, format, { rsaPkcs1: true });
    if (data.length > this.maxSecurityData) {
      throw parameterError('msg.payload', `is ${data.length} bytes as ${format.toUpperCase()}; Telit platform ${pf.id} stores at most ${this.maxSecurityData} bytes`);
    }
    // A fingerprint identifies a certificate; of a private key it would only leak something about it.
    const result = { certType: request.certType, name: String(ssid), bytes: data.length, format, warnings: [], ...(request.parsed.kind === 'certificate' ? { md5: md5(request.parsed.der) } : {}) };
    return this.engine.exclusive(async (at) => {
      await this.ensureEnabled(at, ssid);
      // Idempotent provisioning: a certificate already stored identically is not written again.
      if (request.certType !== 'key' && !request.force) {
        const stored = await this.readSecurityData(at, ssid, type).catch(() => null);
        if (stored && stored.equals(request.parsed.der)) return { ...result, verified: true, unchanged: true };
      }
      // The format decides how #SSLSECDATA reads what follows: set and used in one section.
      if (pf.certFormatParam) await this.ensureCertFormat(at, ssid, format === 'der' ? 0 : 1);
      // §6.5 <Action>: 1 stores in NVM, 3 in RAM (lost at power-down, platform 23).
      const action = ram ? 3 : 1;
      await at.send({
        line: buildCommand('#SSLSECDATA', [p.int('SSId', ssid), p.int('Action', action), p.int('DataType', type), p.int('size', data.length)]),
        prompt: { payload: data, terminator: format === 'pem' ? 'ctrl-z' : 'none', secret: request.certType === 'key' },
        timeoutMs: 20000,
      });
      if (request.certType === 'key') {
        // §6.5 read-back does not apply to private keys: the module keeps them unreadable.
        return { ...result, verified: false, unchanged: false };
      }
      const back = await this.readSecurityData(at, ssid, type).catch(() => null);
      return { ...result, verified: back !== null && back.equals(request.parsed.der), unchanged: false };
    });
  }

  async removeSecurityData(certType: CertType, name: string): Promise<void> {
    const ssid = this.slot('name', name);
    await this.noticingRestart(() => this.engine.exclusive(async (at) => {
      await this.ensureEnabled(at, ssid);
      await at.send({ line: buildCommand('#SSLSECDATA', [p.int('SSId', ssid), p.int('Action', 0), p.int('DataType', DATA_TYPE[certType])]) });
    }));
  }

  async listSecurityData(): Promise<StoredSecurityData[]> {
    return this.noticingRestart(() => this.engine.exclusive((at) => this.listIn(at)));
  }

  private async listIn(at: AtChannel): Promise<StoredSecurityData[]> {
    const answer = await at.send({ line: readCommand('#SSLSECDATA'), responsePrefixes: ['#SSLSECDATA:'] });
    const out: StoredSecurityData[] = [];
    for (const line of answer.lines) {
      const [ssid, certSet, caSet, keySet] = parseLine(line).fields;
      if (typeof ssid !== 'number') continue;
      for (const [certType, set] of [['cert', certSet], ['ca', caSet], ['key', keySet]] as const) {
        if (set !== 1) continue;
        const item: StoredSecurityData = { certType, name: String(ssid) };
        if (certType !== 'key') {
          const der = await this.readSecurityData(at, ssid, DATA_TYPE[certType]).catch(() => null);
          if (der) {
            const x = new X509Certificate(der);
            item.subject = x.subject.split('\n').join(', ');
            item.notAfter = new Date(x.validTo).toISOString();
            item.md5 = md5(der);
          }
        }
        out.push(item);
      }
    }
    return out;
  }

  /** Reads a stored certificate back (`#SSLSECDATA=<SSId>,2,<DataType>`) as DER, or null when none. */
  private async readSecurityData(at: AtChannel, ssid: number, type: number): Promise<Buffer | null> {
    const answer = await at.send({ line: buildCommand('#SSLSECDATA', [p.int('SSId', ssid), p.int('Action', 2), p.int('DataType', type)]) });
    const text = answer.lines.filter((l) => !/^#SSLSECDATA:/.test(l)).join('\n');
    const block = pemBlocks(text)[0];
    return block ? block.der : null;
  }

  // ---------------------------------------------------------------- profile (§6.2, §6.3, §6.7)

  async applyProfile(profile: TlsProfile): Promise<ApplyResult> {
    const pf = this.platform;
    const ssid = this.slot('profile', profile.profile);
    const caps = this.capabilities();
    const warnings: string[] = [];
    for (const [field, value] of [['ca', profile.ca], ['cert', profile.cert], ['key', profile.key]] as const) {
      if (value !== undefined && value !== String(ssid)) {
        throw parameterError(field, `on Telit a secure socket uses the security data stored under its own id: load it with name ${ssid}, not ${value}`);
      }
    }
    // #SSLD's <IPAddress> (line 1627) is the name the certificate is checked against; no command takes another one.
    if (profile.hostname) throw parameterError('hostname', 'Telit modules check the server certificate against the host tls-open connects to, and take no other name: leave it empty and open with the name the certificate carries');
    if (profile.alpn.length > 0) throw parameterError('alpn', 'Telit modules do not offer ALPN');
    if (profile.psk || profile.pskIdentity) throw parameterError('psk', 'Telit modules do not offer pre-shared keys on SSL sockets');
    if (profile.keyPassword) throw parameterError('keyPassword', 'Telit modules store the key unencrypted: load-cert decrypts it with its password before writing');
    if (profile.verify !== 'none' && !profile.checkDate) {
      throw parameterError('checkDate', 'Telit modules always check certificate dates; keep the modem clock right instead (clockSync)');
    }
    if (profile.verify !== 'none' && !profile.checkHostname && caps.profiles.checkHostname === 'always') {
      throw parameterError('checkHostname', `Telit platform ${pf.id} always checks the host name (no <skipHostMismatch>)`);
    }
    if (profile.verify === 'none') warnings.push('verify "none": the server is not authenticated; anyone on the path can read and change the data');

    // Everything is decided and checked before the first command: nothing is half-written.
    const cipher = this.cipherNumber(profile.ciphers);
    const suite = cipher.name !== undefined && cipher.versions ? { name: cipher.name, versions: cipher.versions } : undefined;
    const auth = { none: 0, server: 1, mutual: 2 }[profile.verify];
    const withSni = pf.seccfg2 === 'version-sni' || pf.seccfg2 === 'version-sni-ca-min';
    let version: number | undefined;
    if (pf.seccfg2 === 'none') {
      // No #SSLSECCFG2 (§6.3.1): the module negotiates, but only within the chosen suite's versions.
      const wanted = CHOICE_TO_VERSION[profile.tlsVersion];
      if (suite && wanted && !suite.versions.includes(wanted)) throw suiteVersionError(pf, suite, profile.tlsVersion);
      if (profile.tlsVersion !== 'auto') warnings.push(`Telit platform ${pf.id} cannot select the TLS version; it negotiates up to TLS 1.2`);
    } else {
      version = this.versionNumber(profile.tlsVersion, warnings, 'tlsVersion', suite);
    }
    if (profile.ciphers === 'auto' && pf.recommendedSuites) {
      warnings.push(
        `with ciphers "auto" Telit platform ${pf.id} proposes all ${pf.defaultSuites.length} suites of its table except NULL (§12.1.4), ` +
          'export-grade, single-DES and RC4 ones among them, and the server picks one; ' +
          `choose ${pf.recommendedSuites.join(' or ')} to propose that suite alone, or make sure the server accepts only strong suites`,
      );
    }
    if (!withSni && profile.sni) warnings.push(`Telit platform ${pf.id} does not send SNI`);
    const sni = profile.sni ? 1 : 0;
    const vo = vendorOptionValues(caps.profiles.vendorOptions, profile.vendorOptions, `Telit platform ${pf.id}`);
    // §6.3.4 platforms: <version> is the highest version and <MinVersion> the lowest accepted.
    // Secure by default: nothing below TLS 1.2 unless asked for.
    let seccfg2Tail: number[] = [];
    if (pf.seccfg2 === 'version-sni-ca-min' && version !== undefined) {
      const floor = vo.minVersion !== undefined ? this.versionNumber(String(vo.minVersion) as TlsProfile['tlsVersion'], warnings, 'vendorOptions.minVersion') : profile.tlsVersion === 'auto' ? Math.min(VERSION_NUMBER['TLSv1.2'], version) : version;
      if (floor > version) throw parameterError('vendorOptions.minVersion', `${TELIT_TLS_VERSIONS[floor]} is above the highest version chosen, ${TELIT_TLS_VERSIONS[version]}`);
      const customCa = vo.customCA !== undefined ? Number(vo.customCA) : profile.verify === 'none' ? 0 : 1;
      const preloadedCa = vo.preloadedCA !== undefined ? Number(vo.preloadedCA) : 0;
      seccfg2Tail = [customCa, preloadedCa, floor];
    }
    // #SSLCFG is a walk over its rows: the value given, else the row's default; then the extras
    // that follow from the profile itself.
    const values: Record<string, number> = { ...SSLCFG_DERIVED, cid: this.options.cid ?? 1 };
    for (const row of SSLCFG_ROWS) {
      if (vo[row.name] !== undefined) values[row.name] = Number(vo[row.name]);
      else if (values[row.name] === undefined) values[row.name] = Number(row.default);
    }
    values.skipHostMismatch = profile.verify !== 'none' && !profile.checkHostname ? 1 : 0;
    // §6.7 <cid>: the range the module reports (AT#SSLCFG=?), else the one the guide prints for the
    // platform; a vendorOptions.cid outside it was refused above by its row, this is the modem config's.
    const cids = this.sslCids ?? pf.sslCids;
    if (cids && (values.cid < cids.min || values.cid > cids.max)) {
      throw parameterError(
        'cid',
        `PDP context ${values.cid} of the modem config is outside the <cid> range ${cids.min}..${cids.max} that Telit platform ${pf.id} takes for secure sockets (AT#SSLCFG=?); give vendorOptions.cid within it`,
      );
    }
    const sslcfg = [p.int('SSId', ssid), ...['cid', 'pktSz', 'maxTo', 'defTo', 'txTo', ...pf.sslcfgExtras].map((name) => p.int(name, values[name]))];
    const wantedCfg = sslcfg.map((param) => (param.type === 'int' ? param.value : undefined));
    const tailNames = ['customCA', 'PreloadedCA', 'MinVersion'];

    // The profile as the module's settings, each read and compared before it is written (§6.2, §6.3, §6.7).
    const settings: ProfileSetting[] = [
      {
        // Keep the current <cert_format> (set by uploads); change cipher and auth mode.
        command: '#SSLSECCFG',
        change: (current) => {
          if (current && current[1] === cipher.value && current[2] === auth) return null;
          const format = pf.certFormatParam && current && current.length > 3 ? current[3] : undefined;
          return buildCommand('#SSLSECCFG', [p.int('SSId', ssid), cipher.param, p.int('auth_mode', auth), format === undefined ? p.omit() : p.int('cert_format', Number(format))]);
        },
      },
      ...(version !== undefined
        ? [{
            // Version and SNI, and on §6.3.4 platforms the CA masks and the lowest version.
            command: '#SSLSECCFG2',
            change: (current: Array<string | number> | null) => {
              if (current && current[1] === version && (!withSni || current[2] === sni) && seccfg2Tail.every((v, i) => current[3 + i] === v)) return null;
              return buildCommand('#SSLSECCFG2', [p.int('SSId', ssid), p.int('version', version), withSni ? p.int('SNI', sni) : p.omit(), ...seccfg2Tail.map((v, i) => p.int(tailNames[i], v))]);
            },
          } satisfies ProfileSetting]
        : []),
      {
        // The platform's parameter list, built above from its rows.
        command: '#SSLCFG',
        change: (current) => (current && wantedCfg.every((v, i) => current[i] === v) ? null : buildCommand('#SSLCFG', sslcfg)),
      },
    ];

    const written = await this.noticingRestart(() => this.engine.exclusive((at) => this.writeProfile(at, ssid, settings)));
    if (pf.sslcfgExtras.includes('sslSRingMode')) this.ringModes.set(ssid, values.sslSRingMode);

    return {
      profile: String(ssid),
      applied: {
        SSId: ssid,
        authMode: auth,
        cipherSuite: cipher.value,
        cipherSuiteName: cipher.name ?? 'all suites of the platform',
        ...(version !== undefined ? { version, versionName: TELIT_TLS_VERSIONS[version] } : {}),
        ...(seccfg2Tail.length === 3 ? { customCA: seccfg2Tail[0], preloadedCA: seccfg2Tail[1], minVersion: seccfg2Tail[2], minVersionName: TELIT_TLS_VERSIONS[seccfg2Tail[2]] } : {}),
        sni: withSni ? profile.sni : false,
        ...Object.fromEntries(pf.sslcfgExtras.map((e) => [e, values[e]])),
        cid: values.cid, pktSz: values.pktSz, maxTo: values.maxTo, defTo: values.defTo, txTo: values.txTo,
      },
      warnings,
      written,
    };
  }

  /** Walks the settings of a decided profile: reads each, writes what differs; returns how many commands wrote. */
  private async writeProfile(at: AtChannel, ssid: number, settings: readonly ProfileSetting[]): Promise<number> {
    await this.ensureEnabled(at, ssid);
    let written = 0;
    for (const setting of settings) {
      const line = setting.change(await this.readPerSocket(at, setting.command, ssid));
      if (line) {
        await at.send({ line });
        written++;
      }
    }
    return written;
  }

  private cipherNumber(ciphers: TlsProfile['ciphers']): { value: number | string; param: AtParam; name?: string; versions?: readonly TlsVersionName[] } {
    if (ciphers === 'auto') return { value: 0, param: p.int('CipherSuite', 0) };
    const pf = this.platform;
    if (ciphers.length !== 1) {
      throw parameterError('ciphers', `Telit modules propose either every suite of the platform (auto) or exactly one; ${ciphers.length} were given`);
    }
    const wanted = ciphers[0];
    const entries = Object.entries(pf.cipherSuites).filter(([, name]) => name === wanted).map(([n]) => Number(n));
    if (entries.length === 0) {
      const offered = [...new Set(Object.values(pf.cipherSuites))].join(', ');
      throw parameterError('ciphers', `Telit platform ${pf.id} cannot select ${wanted}; it offers ${offered}`);
    }
    const versions = pf.suiteVersions[wanted];
    // Decimal selectors (1..13) where the platform's table has one; otherwise the suite's hex code
    // (§12.1.7, §12.1.8). On 25 ThreadX always the hex code (`selectByHex`): the guide numbers its
    // decimal values two ways, and 3, 5 and 7 name different suites in each. For the same reason
    // a decimal read back from its #SSLSECCFG? is never taken for a suite: it is only compared
    // with the hex code written, so whichever numbering printed it, the setting is written again.
    const decimal = pf.selectByHex ? undefined : entries.find((n) => n < 0x20);
    if (decimal !== undefined) return { value: decimal, param: p.int('CipherSuite', decimal), name: wanted, versions };
    const code = entries.find((n) => n >= 0x20) ?? entries[0];
    const hex = `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
    return { value: hex, param: p.token('CipherSuite', hex), name: wanted, versions };
  }

  /**
   * `<version>` for a choice; with one suite chosen, within the versions its §12.1 row marks
   * (line 3209: the Linux build's DHE_RSA_WITH_3DES_EDE_CBC_SHA has no TLS 1.2).
   */
  private versionNumber(
    choice: TlsProfile['tlsVersion'],
    warnings: string[],
    field = 'tlsVersion',
    suite?: { name: string; versions: readonly TlsVersionName[] },
  ): number {
    const pf = this.platform;
    if (choice === 'auto') {
      // With a separate minimum (§6.3.4) the module may negotiate up to its best version;
      // elsewhere <version> is the one version used: TLS 1.2 where the module (and suite) has it.
      const usable = pf.versions.filter((v) => v !== 'SSLv3' && (!suite || suite.versions.includes(v)));
      if (usable.length === 0 && suite) throw suiteVersionError(pf, suite, choice);
      const best: TlsVersionName = pf.seccfg2 !== 'version-sni-ca-min' && usable.includes('TLSv1.2') ? 'TLSv1.2' : usable[usable.length - 1];
      if (suite && VERSION_NUMBER[best] < VERSION_NUMBER['TLSv1.2']) {
        warnings.push(`${suiteLabel(pf, suite.name)} is ${versionsText(suite.versions)} on Telit platform ${pf.id}, so tlsVersion "auto" is ${VERSION_LABEL[best]}, which is obsolete (the Telit guide §11.1 recommends TLS 1.2 or 1.3)`);
      }
      return VERSION_NUMBER[best];
    }
    const name = CHOICE_TO_VERSION[choice];
    if (!name) throw parameterError(field, `"${choice}" is not one of 1.0, 1.1, 1.2, 1.3`);
    if (!pf.versions.includes(name)) {
      throw parameterError(field, `Telit platform ${pf.id} speaks ${pf.versions.join(', ')} on SSL sockets, not ${name}`);
    }
    if (suite && !suite.versions.includes(name)) throw suiteVersionError(pf, suite, choice);
    if (choice === '1.0' || choice === '1.1') warnings.push(`TLS ${choice} is obsolete (the Telit guide §11.1 recommends TLS 1.2 or 1.3)`);
    return VERSION_NUMBER[name];
  }

  // ---------------------------------------------------------------- sockets (§7)

  async openSocket(request: OpenRequest): Promise<SocketInfo> {
    const pf = this.platform;
    const ssid = this.slot('profile', request.profile);
    const port = p.int('port', request.port, { min: 1, max: 65535 }).value;
    const host = p.str('host', request.host, { minLength: 1, maxLength: 255, pattern: /^[^\s,]+$/, patternHint: 'must be a host name or IP address without spaces' }).value;
    const vo = vendorOptionValues(openOptionRows(pf), request.vendorOptions, `Telit platform ${pf.id}`);

    return this.connections.serial(ssid, 'send', async () => {
      // Opened again by the one who holds it (the same flow triggered once more): close, then open.
      if (vo.resume !== true && this.connections.has(ssid) && request.replaces?.includes(String(ssid))) {
        await this.hangUp(ssid, p.omit(), 'closed to be opened again');
      }
      return this.noticingRestart(() => this.openInSection(request, ssid, host, port, vo));
    });
  }

  private openInSection(request: OpenRequest, ssid: number, host: string, port: number, vo: Record<string, unknown>): Promise<SocketInfo> {
    const closureType = vo.closureType === undefined ? 0 : Number(vo.closureType);
    const connMode = request.mode === 'online' ? 0 : 1;
    const dial = { dial: true, online: request.mode === 'online', timeoutMs: request.timeoutMs ?? 120000 } as const;
    return this.engine.exclusive(async (at) => {
      if (request.mode === 'online' && this.onlineSocket !== null) {
        throw parameterError('mode', `secure socket ${this.onlineSocket} already holds the serial port in ONLINE mode`);
      }
      if (vo.resume === true) {
        // §7.1.1: a connection suspended with +++ goes back to ONLINE mode with #SSLO.
        const known = this.connections.get(ssid);
        if (!known) throw parameterError('vendorOptions.resume', `secure socket ${ssid} has no suspended connection to resume`);
        if (this.onlineSocket !== null) throw parameterError('vendorOptions.resume', `secure socket ${this.onlineSocket} already holds the serial port in ONLINE mode`);
        await this.holdingPort(ssid, () => at.send({ line: onlineLine(ssid), ...dial, online: true }));
        known.info.mode = 'online';
        return known.info;
      }
      if (this.connections.has(ssid)) {
        throw new ModemError({ kind: 'FINAL', vendor: 'telit', code: 834, message: `secure socket ${ssid} is already connected; close it first` });
      }
      await this.attachNetwork(at);
      const info: SocketInfo = { socket: String(ssid), host, port, mode: request.mode };
      // §7.3 (2G only): #SSLFASTD restores the session kept by <ClosureType> 1 without a full handshake.
      const connect = (): Promise<AtResponse> => vo.fastDial === true
        ? at.send({ line: buildCommand('#SSLFASTD', [p.int('SSId', ssid), p.int('connMode', connMode)]), ...dial })
        : at.send({
            line: buildCommand('#SSLD', [p.int('SSId', ssid), p.int('rPort', port), p.str('IPAddress', host), p.int('ClosureType', closureType), p.int('connMode', connMode)]),
            ...dial,
          });
      // §6.1: #SSLEN is lost at power-down while the profile's settings stay: a module that
      // restarted since the profile was applied answers 836 "SSL not activated" — enable, dial again.
      const enabledConnect = (): Promise<AtResponse> => connect().catch(async (err: unknown) => {
        if (!(err instanceof ModemError && err.kind === 'CME' && (err.code === 836 || err.code === 'SSL not activated'))) throw err;
        this.enabled.delete(ssid);
        await this.ensureEnabled(at, ssid);
        return connect();
      });
      await (request.mode === 'online' ? this.holdingPort(ssid, enabledConnect) : enabledConnect());
      this.connections.add(ssid, { info, ssid });
      return info;
    });
  }

  async send(socket: string, data: Buffer): Promise<number> {
    const ssid = this.slot('msg.socket', socket);
    return this.connections.serial(ssid, 'send', async () => {
      this.connections.require('msg.socket', ssid);
      if (this.onlineSocket === ssid) {
        await this.writeOnline(data);
        return data.length;
      }
      const choice = this.sendMethod(data);
      await this.noticingRestart(async () => {
        if (choice.kind === 'online') {
          await this.sendOnline(ssid, data);
          return;
        }
        const binary = choice.kind === 'binary';
        const chunk = choice.method.chunk;
        for (let offset = 0; offset < data.length; offset += chunk) {
          const part = data.subarray(offset, offset + chunk);
          const line = binary ? sendExtLine(ssid, part.length) : sendTextLine(ssid);
          await this.engine.send({ line, prompt: { payload: part, terminator: binary ? 'none' : 'ctrl-z' }, timeoutMs: 30000 });
        }
      }, ssid);
      return data.length;
    });
  }

  /**
   * The quickest documented way to send `data` on a COMMAND-mode socket (`transfer.ts`): #SSLSEND
   * for text, #SSLSENDEXT for anything, or ONLINE mode, whose guard times pay off only for large
   * payloads — and only where the line rate is known (the escape's silence counts from the last
   * byte on the line) and no socket holds the port in ONLINE mode already.
   */
  private sendMethod(data: Buffer): SendChoice {
    // §7.1.2.1: #SSLSEND ends at Ctrl-Z, so text only; anything binary goes by exact size.
    const text = !data.some((b) => b === 0x1a || b === 0x1b || b === 0x08 || b > 0x7e || (b < 0x20 && b !== 0x0a && b !== 0x0d));
    const baudRate = this.options.baudRate;
    const onlineGuardMs = baudRate !== undefined && this.onlineSocket === null ? this.guardMs : undefined;
    return chooseSend(data.length, baudRate ?? NOMINAL_BAUD, { text, onlineGuardMs });
  }

  /**
   * §7.1.2 "At any moment, the user can switch to ONLINE mode by entering the #SSLO command": the
   * socket goes ONLINE, the bytes follow `CONNECT` as they are, and `+++` (§7.1.1) brings it back
   * to COMMAND mode, all in one exclusive section so no other command meets the port ONLINE (they
   * wait; the module holds other sockets' URCs meanwhile). Data the server sends meanwhile arrives
   * raw on the port and is the socket's; the flow sees a COMMAND-mode socket before and after. As
   * in any ONLINE mode, a `NO CARRIER` line in that raw data would read as the end of the
   * connection (V.250) — the price of the mode, paid only for payloads it moves sooner.
   */
  private async sendOnline(ssid: number, data: Buffer): Promise<void> {
    await this.engine.exclusive(async (at) => {
      // Another socket opened in ONLINE mode since the choice: the port carries its data now.
      if (this.onlineSocket !== null) throw parameterError('msg.socket', `secure socket ${this.onlineSocket} holds the serial port in ONLINE mode`);
      const answer = await this.holdingPort(ssid, () => at.send({ line: onlineLine(ssid), dial: true, online: true, timeoutMs: 30000 }));
      if (!/^CONNECT/.test(answer.final)) {
        throw new ModemError({ kind: 'FINAL', vendor: 'telit', command: onlineLine(ssid).display, message: `the module answered ${answer.final} instead of CONNECT` });
      }
      try {
        await this.writeOnline(data);
      } finally {
        // NO CARRIER meanwhile (the server closed) has ended ONLINE mode and the socket already.
        if (this.onlineSocket === ssid && this.isOnline()) await this.escape();
        // An escape that failed leaves the port ONLINE: sends stay raw and a close escapes again.
        if (this.onlineSocket === ssid && !this.isOnline()) this.onlineSocket = null;
      }
    });
  }

  private isOnline(): boolean {
    return this.engine.mode === 'online';
  }

  /**
   * A command that may answer CONNECT (#SSLD or #SSLFASTD in ONLINE mode, #SSLO), with `ssid`
   * holding the port from before it: bytes right behind CONNECT, in the same read, are already the
   * socket's. Without ONLINE mode after it, the port is nobody's again.
   */
  private async holdingPort(ssid: number, command: () => Promise<AtResponse>): Promise<AtResponse> {
    this.onlineSocket = ssid;
    try {
      return await command();
    } finally {
      if (this.onlineSocket === ssid && !this.isOnline()) this.onlineSocket = null;
    }
  }

  /** ONLINE data; the engine notes when its last byte will have crossed the line, for the escape's guard time. */
  private writeOnline(data: Buffer): Promise<void> {
    return this.engine.writeData(data);
  }

  /**
   * `+++` after the guard time of silence on the module's side, counted by the engine from the last
   * byte on the line (not from the write the OS took, long before the line carried it); the engine
   * waits for `OK`, and gives up the wait when ONLINE mode ends meanwhile.
   */
  private escape(): Promise<void> {
    return this.engine.escapeOnline();
  }

  async receive(socket: string, maxBytes: number, timeoutMs?: number): Promise<Buffer> {
    const ssid = this.slot('msg.socket', socket);
    const max = p.int('msg.length', maxBytes, { min: 1, max: 1 << 20 }).value;
    // #SSLRECV <Timeout> counts 100 ms units from 10 to 5000 (AT reference guides): 1 s .. 500 s.
    if (timeoutMs !== undefined && (timeoutMs < 1000 || timeoutMs > 500000)) {
      throw parameterError('timeout', `${timeoutMs} ms is outside what a Telit module waits for data on a read (1000..500000 ms)`);
    }
    return this.connections.serial(ssid, 'receive', () => {
      this.connections.require('msg.socket', ssid);
      return this.noticingRestart(() => this.readSocket(ssid, max, timeoutMs), ssid);
    });
  }

  /**
   * `holdReceive`. Only SSLSRING mode 1 announces data that the host then reads with #SSLRECV:
   * there a held socket's announcements are noted and nothing is read, so the data stays in the
   * module (§7.4.4.1: what is not read is announced again), and on release it is read. Mode 0
   * announces nothing, and the data waits for a read anyway. Mode 2 (the default here) carries the
   * data inside the URC, and an ONLINE connection carries it on the line: the module pushes
   * regardless, so false — as for a socket whose mode this adapter has neither written
   * (applyProfile) nor seen in an SSLSRING.
   */
  holdReceive(socket: string, hold: boolean): boolean {
    const ssid = Number(socket);
    if (!Number.isInteger(ssid)) return false;
    const known = this.connections.get(ssid);
    const mode = this.ringModes.get(ssid);
    const holds = known !== undefined && known.info.mode !== 'online' && this.onlineSocket !== ssid && (mode === 1 || mode === 0);
    if (!holds) {
      this.draining.hold(ssid, false);
      return false;
    }
    this.draining.hold(ssid, hold);
    return true;
  }

  /** #SSLRECV in reads of at most 1000 bytes until `max` or a short read (what is left has not arrived yet); `more` may stop it between reads. */
  private async readSocket(ssid: number, max: number, timeoutMs?: number, more?: () => boolean): Promise<Buffer> {
    const tenths = timeoutMs !== undefined ? p.int('timeout', Math.round(timeoutMs / 100), { min: 10, max: 5000 }) : p.omit();
    return readUntilShort(max, MAX_RECV, async (want) => {
      const answer = await this.engine.send({
        line: receiveLine(ssid, want, tenths),
        payloads: [SSLRECV_PAYLOAD],
        responsePrefixes: ['#SSLRECV:', '#SSLRCV:', 'TIMEOUT'],
        timeoutMs: (timeoutMs ?? 10000) + 5000,
      });
      return answer.payloads[0]?.data ?? Buffer.alloc(0);
    }, undefined, more);
  }

  async closeSocket(socket: string, request: CloseRequest = {}): Promise<void> {
    const pf = this.platform;
    const ssid = this.slot('msg.socket', socket);
    const vo = vendorOptionValues(closeOptionRows(pf), request.vendorOptions, `Telit platform ${pf.id}`);
    const closureType = vo.closureType === undefined ? p.omit() : p.int('ClosureType', Number(vo.closureType));
    await this.connections.serial(ssid, 'send', async () => {
      // Closing what the server or a lost link already closed is done; a socket never opened is refused.
      if (!this.connections.has(ssid) && this.connections.endedBecause(ssid) !== undefined && vo.suspend !== true) return;
      const known = this.connections.require('msg.socket', ssid);
      if (vo.suspend === true) {
        // §7.1.1: +++ suspends an ONLINE connection without closing it; #SSLO (resume) returns to it,
        // and meanwhile #SSLSEND/#SSLRECV work on it (§7.4.3).
        if (!(this.onlineSocket === ssid && this.engine.mode === 'online')) throw parameterError('vendorOptions.suspend', `secure socket ${ssid} is not in ONLINE mode`);
        await this.escape();
        this.onlineSocket = null;
        known.info.mode = 'command';
        return;
      }
      await this.noticingRestart(() => this.hangUp(ssid, closureType, 'closed by the flow')).catch((err: unknown) => {
        // The module restarted: the connection is gone with it, which is what closing wanted.
        if (!this.connections.has(ssid) && this.connections.endedBecause(ssid) === RESTARTED) return;
        throw err;
      });
    });
  }

  /** `#SSLH` on an open secure socket (leaving ONLINE mode first), inside its 'send' lane. */
  private async hangUp(ssid: number, closureType: AtParam, reason: string): Promise<void> {
    if (this.onlineSocket === ssid && this.engine.mode === 'online') await this.escape();
    try {
      await this.engine.send({ line: buildCommand('#SSLH', [p.int('SSId', ssid), closureType]) });
    } catch (err) {
      // Already closed by the server: the goal is reached.
      const e = err as ModemError;
      if (!(e.kind === 'CME' && (e.code === 833 || e.code === 'SSL not connected'))) throw err;
    }
    this.forget(ssid, reason);
  }

  /**
   * Runs `operation`; when it fails with a bare `ERROR` and the module turns out to have restarted
   * (`restartedUnder`), fails instead saying so — for a socket (`ssid`), as a send on a connection
   * that ended: "no longer open (the module restarted …)". Called outside exclusive sections.
   */
  private async noticingRestart<T>(operation: () => Promise<T>, ssid?: number): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      if (!(await this.restartedUnder(err))) throw err;
      if (ssid !== undefined) this.connections.require('msg.socket', ssid);
      const e = err as ModemError;
      throw new ModemError({
        kind: e.kind,
        vendor: 'telit',
        code: e.code,
        command: e.command,
        line: e.line,
        message: `${e.message}: ${RESTARTED}; it is being brought up again, try once more when it is ready`,
      });
    }
  }

  /**
   * A Telit module prints nothing when it starts, so a restart behind a UART that stayed open shows
   * only in what it forgot: `+CMEE` is back to 0 (echo is back on too, which the engine takes in its
   * stride), so a failure comes as a bare `ERROR` where start-up asked for numbered ones. After such
   * an `ERROR`, `+CMEE?` tells: 0 means the module restarted — its connections are gone without a
   * NO CARRIER, so they end here with that reason, and the modem is brought up again (`restarted`).
   */
  private async restartedUnder(err: unknown): Promise<boolean> {
    if (!isPlainError(err) || !(await errorReportingWasReset(this.engine))) return false;
    this.onlineSocket = null;
    this.draining.clear();
    this.enabled.clear();
    this.connections.endAll(RESTARTED);
    this.emit('restarted', RESTARTED);
    return true;
  }

  /** `+CCLK?` → `+CCLK: "yy/MM/dd,hh:mm:ss±zz"` (3GPP TS 27.007 §8.15; zone in quarter hours). */
  async modemClock(): Promise<Date | undefined> {
    return readModemClock(this.engine);
  }

  decodeError(error: { code?: string | number; line?: string }): DecodedError {
    return decodeTelitError(error);
  }

  // ---------------------------------------------------------------- events

  private onUrc(urc: Urc): void {
    if (urc.name === 'SSLSRING') {
      const { socket, length } = urc.fields as { socket: number; length: number };
      if (urc.data) {
        this.ringModes.set(socket, 2);
        this.emit('data', String(socket), urc.data);
      } else if (length > 0) {
        this.ringModes.set(socket, 1);
        this.readAnnounced(socket, length);
      }
      return;
    }
    if (urc.name === 'NO CARRIER' || urc.name.startsWith('NO CARRIER')) {
      const fields = parseLine(urc.raw).fields;
      const named = typeof fields[0] === 'number' ? fields[0] : undefined;
      if (named !== undefined) {
        // §7.2: in COMMAND mode NO CARRIER comes once all data was read, perhaps right behind that
        // read's answer: the connection ends after the read under way has delivered it.
        const entry = this.connections.get(named);
        if (entry && this.draining.busy(named)) {
          void this.draining.settled(named).then(() => {
            if (this.connections.get(named) === entry) this.forget(named, 'closed by the server');
          });
        } else this.forget(named, 'closed by the server');
        return;
      }
      void this.reconcileSockets();
    }
  }

  /** Mode 1 only announces: read it now, through the queue, so flows still get pushed data (see `draining`). */
  private readAnnounced(ssid: number, length: number): void {
    this.draining.announce(ssid, length);
  }

  /** A NO CARRIER without an id: ask each open socket (#SSLS) which one it was. */
  private async reconcileSockets(): Promise<void> {
    for (const ssid of this.connections.ids()) {
      try {
        const answer = await this.engine.send({ line: buildCommand('#SSLS', [p.int('SSId', ssid)]), responsePrefixes: ['#SSLS:'] });
        const status = parseLine(answer.lines[0] ?? '').fields[1];
        if (status !== 2) this.forget(ssid, 'closed by the server');
      } catch {
        // The link is down or closing: `closed` events come from there.
      }
    }
  }

  private forget(ssid: number, reason: string): void {
    if (this.onlineSocket === ssid) this.onlineSocket = null;
    this.connections.end(ssid, reason);
  }

  // ---------------------------------------------------------------- helpers

  private slot(field: string, value: unknown): number {
    return p.int(field, value, { min: 1, max: this.sslSockets }).value;
  }

  /** §6.1: nothing can be configured on a secure socket that is not enabled. */
  private async ensureEnabled(at: AtChannel, ssid: number): Promise<void> {
    if (this.enabled.has(ssid)) return;
    const state = await this.readPerSocket(at, '#SSLEN', ssid);
    if (!state || state[1] !== 1) await at.send({ line: buildCommand('#SSLEN', [p.int('SSId', ssid), p.int('Enable', 1)]) });
    this.enabled.add(ssid);
  }

  /** §6.2.2: `<cert_format>` decides how #SSLSECDATA reads the upload (PEM to Ctrl-Z, DER by size). */
  private async ensureCertFormat(at: AtChannel, ssid: number, format: 0 | 1): Promise<void> {
    const current = await this.readPerSocket(at, '#SSLSECCFG', ssid);
    // The read form reports the format only once it was set explicitly; unset means PEM.
    const now = current && current.length > 3 ? current[3] : 1;
    if (now === format && current && current.length > 3) return;
    if (now === format && format === 1) return;
    const cipher = current?.[1] ?? 0;
    const auth = current?.[2] ?? 0;
    const cipherParam = typeof cipher === 'number' ? p.int('CipherSuite', cipher) : p.token('CipherSuite', String(cipher));
    await at.send({ line: buildCommand('#SSLSECCFG', [p.int('SSId', ssid), cipherParam, p.int('auth_mode', Number(auth)), p.int('cert_format', format)]) });
  }

  /** The fields of `<name>: <SSId>,…` for one socket from the read form, or null. */
  private async readPerSocket(at: AtChannel, name: string, ssid: number): Promise<Array<string | number> | null> {
    const answer = await at.send({ line: readCommand(name), responsePrefixes: [`${name}:`] });
    for (const line of answer.lines) {
      const parsed = parseLine(line);
      if (parsed.name === name && parsed.fields[0] === ssid) return parsed.fields;
    }
    return null;
  }
}

