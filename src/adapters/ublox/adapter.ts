/**
 * The u-blox adapter: vendor-neutral operations in u-blox commands — security data with
 * +USECMNG, TLS profiles with +USECPRF (seeds/003, "Device and data security"), secure TCP
 * sockets with +USOCR/+USOSEC/+USOCO/+USOWR/+USORD/+USOCL (SARA-R5 AT commands manual
 * UBX-19047455, "Internet protocol transport layer").
 *
 * On u-blox the three things are separate: certificates and keys are stored under free-text
 * names (≤ 30 characters), a security profile 0..4 names the ones it uses, and a socket (0..6,
 * chosen by the module) is bound to a profile with +USOSEC before it connects.
 *
 * Owns: every u-blox command sent on behalf of a node, idempotent provisioning (an item whose
 * MD5 already matches is not imported again; a profile op is written only when its read value
 * differs), and turning +UUSORD / +UUSOCL into `data` / `closed` events.
 * Must never: send a command before every value of the request is validated, read a secret
 * back, let a key, a password or a PSK reach a trace, an error or a result, or split an
 * operation of several commands (read, compare, write; set the host name, then connect) across
 * the queue: each runs in one exclusive section of the engine.
 */
import { EventEmitter } from 'node:events';
import { buildCommand, p, readCommand, type AtParam } from '../../at/command';
import type { AtChannel, AtEngine, AtResponse, Urc } from '../../at/engine';
import { isModemError, ModemError, parameterError } from '../../at/errors';
import { parseLine, type Field } from '../../at/fields';
import type { PayloadRule } from '../../at/framer';
import { md5, toPem, type CertType, type DataFormat, type ParsedKey } from '../../tls/certificates';
import type { TlsProfile } from '../../tls/profile';
import type {
  ApplyResult,
  Capabilities,
  CloseRequest,
  DecodedError,
  ModemAdapter,
  OpenRequest,
  SocketInfo,
  StoredSecurityData,
  UploadRequest,
  UploadResult,
} from '../adapter';
import { ConnectionTable } from '../connections';
import { vendorOptionValues } from '../checks';
import { decodeUbloxError, socketErrno } from './errors';
import { PROFILE_OPTION_ROWS, UPLOAD_OPTION_ROWS } from './options';
import {
  DATABASES,
  LEGACY_ALLOWED,
  LEGACY_SUITES,
  LIST_TYPE,
  MIN_KEY_BITS,
  OP,
  OPS_NOT_ALLOWED,
  PREINSTALLED,
  SESSION_TYPES,
  SOCKETS,
  SUITES,
  suiteByCode,
  suiteByName,
  TLS_VERSIONS,
  USECMNG_LIMITS,
  USECMNG_TYPE,
  USECPRF_LIMITS,
  VALIDATION_LEVELS,
  type UbloxSuite,
} from './tables';

/** `+USORD: <socket>,<length>,"<data>"`: exactly `<length>` raw bytes between the quotes, which may hold `"` and `\r\nOK\r\n`. */
const USORD_PAYLOAD: PayloadRule = { name: 'USORD', pattern: /^\+USORD: ?(\d+),(\d+),"/, where: 'inline', length: (m) => Number(m[2]), suffix: '"' };

/** `+USECMNG: <op>,<type>,"<name>","<md5>"` (the manual's own example echoes op 1 after an op 0 import). */
const USECMNG_MD5 = /^\+USECMNG: ?\d+,\s*\d+,\s*"[^"]*",\s*"([0-9A-Fa-f]{32})"/;

/** A name as stored: printable ASCII without a quote (the command line would break), at most 60 characters (pre-installed ones). */
const NAME_PATTERN = /^[\x20\x21\x23-\x7e]{1,60}$/;

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
      alpn: true,
      psk: true,
      keyPassword: true,
      vendorOptions: PROFILE_OPTION_ROWS,
    },
    certificates: {
      types: ['ca', 'cert', 'key'],
      naming: 'name',
      namePattern: NAME_PATTERN,
      nameHint: 'free text without quotes, up to 30 characters (pre-installed ubx_… names up to 60 can be used in a profile)',
      maxBytes: USECMNG_LIMITS.maxBytes,
      formats: ['pem', 'der'],
      verification: 'md5',
      oneTimeProgrammable: false,
      keyAlgorithms: ['rsa', 'ec'],
      vendorOptions: UPLOAD_OPTION_ROWS,
    },
    sockets: {
      ids: { ...SOCKETS.ids },
      maxConcurrent: SOCKETS.maxTls,
      modes: ['command'],
      maxSendChunk: SOCKETS.maxChunk,
      maxReceiveChunk: SOCKETS.maxChunk,
      push: true,
      openOptions: [],
      closeOptions: [],
    },
  };
}

/** One +USECPRF op the profile wants, decided and validated before anything is sent. */
interface OpPlan {
  op: number;
  /** In `applied` and in messages. */
  label: string;
  /** Parameters after `<profile_id>,<op_code>`. */
  params: AtParam[];
  /** Parameters of the read form after `<profile_id>,<op_code>` (op 13: the `<sess_tag>`). */
  readParams?: AtParam[];
  /** Whether the read value (fields after `<profile_id>,<op_code>`) is already what is wanted. */
  same?(current: Field[]): boolean;
  /** A secret: never read, written every time it is given, never in `applied`. */
  secret?: boolean;
  /** What `applied` shows. */
  shown?: unknown;
}

interface OpenSocket {
  info: SocketInfo;
  profile: number;
}

/** Settings that follow the host of each connection: op 4 (host name) and op 10 (SNI) when the profile named no host. */
interface HostDefaults {
  hostname: boolean;
  sni: boolean;
}

export class UbloxAdapter extends EventEmitter implements ModemAdapter {
  readonly vendor = 'ublox' as const;
  /** The immutable chip ID (+USECCHIP), once `prepare()` read it. */
  chipId: string | undefined;
  private readonly connections = new ConnectionTable<OpenSocket>(this, 'socket');
  /** Sockets whose announced data is being read, and whether another announcement came meanwhile. */
  private readonly draining = new Map<number, { again: boolean }>();
  /** `receive()` calls waiting for data on a socket: an announcement wakes them instead of a push read. */
  private readonly waiting = new Map<number, () => void>();
  private readonly hostDefaults = new Map<number, HostDefaults>();
  /** Last known value of op 4 / op 10 per profile, so a connection to the same host writes nothing. */
  private readonly hostValues = new Map<string, string>();

  constructor(
    private readonly engine: AtEngine,
    private readonly options: UbloxAdapterOptions = {},
  ) {
    super();
    // tls-recv and tls-open nodes each listen for data and closes: many listeners are expected.
    this.setMaxListeners(0);
    engine.on('urc', (urc: Urc) => this.onUrc(urc));
  }

  capabilities(): UbloxCapabilities {
    return ubloxCapabilities({ chipId: this.chipId, platform: this.options.platform });
  }

  async prepare(at?: AtChannel): Promise<void> {
    if (!at) return this.engine.exclusive((channel) => this.prepare(channel));
    this.connections.clear('the modem was brought up again');
    this.draining.clear();
    this.hostValues.clear();
    const chip = await at.send({ line: buildCommand('+USECCHIP'), responsePrefixes: ['+USECCHIP:'] }).catch(() => null);
    const id = chip?.lines.map((l) => parseLine(l)).find((l) => l.name === '+USECCHIP')?.fields[0];
    this.chipId = id === undefined || id === '' ? undefined : String(id);
    if (this.options.clockSync) await this.syncClock(at, (this.options.now ?? (() => new Date()))());
    if (this.options.apn) await this.attachNetwork(at);
  }

  forgetConnections(reason: string): void {
    this.draining.clear();
    // What the module held for a profile may have changed meanwhile (a reboot): read it again.
    this.hostValues.clear();
    this.connections.endAll(`the link to the modem was lost: ${reason}`);
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.connections.ids().map((id) => this.closeSocket(String(id)).catch(() => undefined)));
  }

  /** `+CCLK="yy/MM/dd,hh:mm:ss±zz"` (3GPP TS 27.007 §8.15), in UTC. */
  async syncClock(at: AtChannel, date: Date): Promise<void> {
    const two = (n: number): string => String(n).padStart(2, '0');
    const value = `${two(date.getUTCFullYear() % 100)}/${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())},${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}+00`;
    await at.send({ line: buildCommand('+CCLK', [p.str('clock', value)]) });
  }

  /**
   * The data connection (3GPP TS 27.007 §10.1.1 +CGDCONT, §10.1.10 +CGACT; u-blox +UAUTHREQ
   * for the APN user and password): nothing is written when the context is already active.
   */
  async attachNetwork(at: AtChannel): Promise<void> {
    const cid = this.options.cid ?? 1;
    let state: AtResponse;
    try {
      state = await at.send({ line: readCommand('+CGACT'), responsePrefixes: ['+CGACT:'] });
    } catch (err) {
      // A module that does not take +CGACT? (it manages contexts its own way): say so, do not block the modem.
      if (!(isModemError(err) && (err.kind === 'CME' || err.kind === 'FINAL'))) throw err;
      this.emit('warning', `the data connection state could not be read (${err.message}); the APN was not applied — check the module's data connection if connections fail`);
      return;
    }
    const active = state.lines.some((line) => {
      const f = parseLine(line).fields;
      return f[0] === cid && f[1] === 1;
    });
    if (active) return;
    if (!this.options.apn) {
      throw new ModemError({ kind: 'PARAMETER', vendor: 'ublox', field: 'apn', message: 'apn: the data connection is not active and no APN is configured in the modem config' });
    }
    const cidParam = p.int('cid', cid, { min: 1, max: 11 });
    const define = buildCommand('+CGDCONT', [cidParam, p.str('PDP_type', 'IP'), p.str('apn', this.options.apn, { maxLength: 99 })]);
    const auth = this.options.apnUser || this.options.apnPassword
      ? buildCommand('+UAUTHREQ', [cidParam, p.int('auth_type', 3), p.str('apnUser', this.options.apnUser ?? '', { maxLength: 64 }), p.str('apnPassword', this.options.apnPassword ?? '', { maxLength: 64, secret: true })])
      : null;
    await at.send({ line: define });
    if (auth) await at.send({ line: auth });
    await at.send({ line: buildCommand('+CGACT', [p.int('state', 1), cidParam]), timeoutMs: 150000 });
  }

  // ---------------------------------------------------------------- security data (+USECMNG)

  async uploadSecurityData(request: UploadRequest): Promise<UploadResult> {
    // Everything is decided and checked before the first command: nothing is half-written.
    const type = USECMNG_TYPE[request.certType];
    if (type === undefined) throw parameterError('certType', `"${String(request.certType)}" is not one of ca, cert, key`);
    const name = this.importName('name', request.name);
    const vo = this.options_('certificates', request.vendorOptions);
    const fromFile = vo.fromFile === undefined ? undefined : p.str('vendorOptions.fromFile', vo.fromFile, { minLength: 1, maxLength: USECMNG_LIMITS.filenameLength }).value;
    const keepEncrypted = this.flag('vendorOptions.keepEncrypted', vo.keepEncrypted) ?? false;
    const parsed = request.parsed;
    if ((parsed.kind === 'key') !== (request.certType === 'key')) {
      throw parameterError('msg.payload', `holds a ${parsed.kind === 'key' ? 'private key' : 'certificate'}, but certType is "${request.certType}"`);
    }
    let password: AtParam = p.omit();
    let data: Buffer;
    let format: DataFormat;
    /** MD5s of the DER the module may store for what is sent (it keeps DER; PEM is converted). */
    let accepted: string[];
    if (parsed.kind === 'certificate') {
      this.checkKeySize('msg.payload', parsed.x509.publicKey.asymmetricKeyType, parsed.x509.publicKey.asymmetricKeyDetails, 'the certificate’s public key');
      if (keepEncrypted) throw parameterError('vendorOptions.keepEncrypted', 'applies to private keys only');
      const pem = Buffer.from(toPem('CERTIFICATE', parsed.der), 'latin1');
      format = request.format === 'auto' ? (pem.length <= USECMNG_LIMITS.maxBytes ? 'pem' : 'der') : request.format;
      data = format === 'pem' ? pem : parsed.der;
      accepted = [md5(parsed.der)];
    } else {
      const key = this.keyEncoding(parsed, request.format, keepEncrypted, request.password);
      ({ data, format } = key);
      accepted = key.accepted;
      if (keepEncrypted) password = p.str('password', request.password, { minLength: 1, maxLength: USECMNG_LIMITS.passwordLength, secret: true });
    }
    if (data.length > USECMNG_LIMITS.maxBytes) {
      throw parameterError('msg.payload', `is ${data.length} bytes as ${format.toUpperCase()}; u-blox modules import at most ${USECMNG_LIMITS.maxBytes} bytes per item`);
    }
    const secret = request.certType === 'key';
    const result = {
      certType: request.certType,
      name,
      bytes: fromFile ? parsed.der.length : data.length,
      format: fromFile ? ('der' as const) : format,
      // A fingerprint identifies a certificate; of a private key it would only leak something about it.
      ...(secret ? {} : { md5: accepted[0] }),
    };

    const nameParams = [p.int('op_code', fromFile ? 1 : 0), p.int('type', type), p.str('name', name)];
    return this.engine.exclusive(async (at) => {
    // Idempotent provisioning: op 4 gives the MD5 of what is stored under this name.
    if (!request.force) {
      const stored = await this.storedMd5(at, type, name, secret);
      if (stored && accepted.includes(stored)) return { ...result, verified: true, unchanged: true, warnings: [] };
    }
    const answer = fromFile
      ? await at.send({
          line: buildCommand('+USECMNG', [...nameParams, p.str('filename', fromFile), password]),
          responsePrefixes: ['+USECMNG:'],
          timeoutMs: USECMNG_LIMITS.guardMs + 10000,
          secretResponse: secret,
        })
      : await at.send({
          line: buildCommand('+USECMNG', [...nameParams, p.int('data_size', data.length), password]),
          prompt: { markers: ['>'], payload: data, terminator: 'none', secret },
          responsePrefixes: ['+USECMNG:'],
          timeoutMs: USECMNG_LIMITS.guardMs + 10000,
          secretResponse: secret,
        });
    const got = answer.lines.map((l) => USECMNG_MD5.exec(l)?.[1]).find(Boolean)?.toLowerCase();
    const verified = got !== undefined && accepted.includes(got);
    const warnings = got !== undefined && !verified
      ? [`${request.certType} "${name}": the MD5 the module computed differs from the one of the data sent; the item may be damaged — load it again`]
      : [];
    return { ...result, verified, unchanged: false, warnings };
    });
  }

  async removeSecurityData(certType: CertType, name: string): Promise<void> {
    const type = USECMNG_TYPE[certType];
    if (type === undefined) throw parameterError('certType', `"${String(certType)}" is not one of ca, cert, key`);
    const stored = this.importName('name', name);
    await this.engine.send({ line: buildCommand('+USECMNG', [p.int('op_code', 2), p.int('type', type), p.str('name', stored)]) });
  }

  /** Op 3: `"CA","name","common name","expiry"` rows (keys have no common name or date), with the MD5 of each certificate (op 4). */
  async listSecurityData(): Promise<StoredSecurityData[]> {
    return this.engine.exclusive((at) => this.listIn(at));
  }

  private async listIn(at: AtChannel): Promise<StoredSecurityData[]> {
    const answer = await at.send({ line: buildCommand('+USECMNG', [p.int('op_code', 3)]) });
    const out: StoredSecurityData[] = [];
    for (const line of answer.lines) {
      const fields = listFields(line.replace(/^\+USECMNG:\s*/, ''));
      const certType = LIST_TYPE[(fields[0] ?? '').toUpperCase()];
      if (!certType || !fields[1]) continue;
      const item: StoredSecurityData = { certType, name: fields[1] };
      if (fields[2]) item.subject = `CN=${fields[2]}`;
      const notAfter = fields[3] ? listDate(fields[3]) : undefined;
      if (notAfter) item.notAfter = notAfter;
      if (certType !== 'key') {
        const hash = await this.storedMd5(at, USECMNG_TYPE[certType], fields[1], false);
        if (hash) item.md5 = hash;
      }
      out.push(item);
    }
    return out;
  }

  /** Op 4, or null when nothing is stored under that name (the module answers an error). */
  private async storedMd5(at: AtChannel, type: number, name: string, secret: boolean): Promise<string | null> {
    try {
      const answer = await at.send({
        line: buildCommand('+USECMNG', [p.int('op_code', 4), p.int('type', type), p.str('name', name)]),
        responsePrefixes: ['+USECMNG:'],
        secretResponse: secret,
      });
      return answer.lines.map((l) => USECMNG_MD5.exec(l)?.[1]).find(Boolean)?.toLowerCase() ?? null;
    } catch (err) {
      if (isModemError(err) && (err.kind === 'CME' || err.kind === 'FINAL')) return null;
      throw err;
    }
  }

  /** A name an item can be imported or removed under. */
  private importName(field: string, value: unknown): string {
    const name = p.str(field, typeof value === 'number' ? String(value) : value, { minLength: 1 }).value;
    if (name in PREINSTALLED) {
      throw parameterError(field, `"${name}" is a certificate pre-installed on the module; it cannot be removed or replaced (+USECMNG notes) — import yours under another name`);
    }
    const length = [...name].length;
    if (length > USECMNG_LIMITS.nameLength) {
      throw parameterError(field, `is ${length} characters long; u-blox names of imported certificates and keys are at most ${USECMNG_LIMITS.nameLength}`);
    }
    return name;
  }

  /**
   * How a key goes to the module. Only clean encodings are sent — PKCS#1 for RSA, SEC1 for EC,
   * re-encoded from the parsed key — so what +USECMNG refuses (PEM with extension headers such as
   * `EC PARAMETERS` or `Proc-Type`/`DEK-Info`, encrypted keys in PEM) never reaches it.
   */
  private keyEncoding(parsed: ParsedKey, wanted: DataFormat | 'auto', keepEncrypted: boolean, password: string | undefined): { data: Buffer; format: DataFormat; accepted: string[] } {
    const algorithm = parsed.algorithm;
    if (algorithm !== 'rsa' && algorithm !== 'ec') {
      throw parameterError('msg.payload', `is an ${algorithm.toUpperCase()} private key; u-blox modules take RSA and ECDSA (EC) keys`);
    }
    const details = parsed.key.asymmetricKeyDetails;
    if (algorithm === 'ec' && !details?.namedCurve) {
      throw parameterError('msg.payload', 'is an EC key with explicit curve parameters (an EC PARAMETERS form); u-blox modules take keys on a named curve such as P-256');
    }
    this.checkKeySize('msg.payload', algorithm, details, 'the private key');
    const plain = algorithm === 'rsa'
      ? { der: parsed.key.export({ format: 'der', type: 'pkcs1' }), label: 'RSA PRIVATE KEY' }
      : { der: parsed.key.export({ format: 'der', type: 'sec1' }), label: 'EC PRIVATE KEY' };
    if (keepEncrypted) {
      // +USECMNG notes: encrypted PKCS#8 keys are imported in DER only, with their <password>.
      if (wanted === 'pem') throw parameterError('format', 'an encrypted key is imported in DER only (+USECMNG notes): use auto or der');
      if (!password) throw parameterError('password', 'vendorOptions.keepEncrypted needs the key’s password');
      const der = parsed.key.export({ format: 'der', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: password });
      return { data: der, format: 'der', accepted: [md5(der), md5(parsed.der), md5(plain.der)] };
    }
    const format: DataFormat = wanted === 'auto' ? 'pem' : wanted;
    const data = format === 'der' ? plain.der : Buffer.from(toPem(plain.label, plain.der), 'latin1');
    return { data, format, accepted: [md5(plain.der)] };
  }

  /** +USECMNG: RSA keys of at least 1024 bits, ECDSA keys of at least 192 bits. */
  private checkKeySize(field: string, algorithm: string | undefined, details: { modulusLength?: number; namedCurve?: string } | undefined, what: string): void {
    if (algorithm === 'rsa' && details?.modulusLength !== undefined && details.modulusLength < MIN_KEY_BITS.rsa) {
      throw parameterError(field, `${what} is RSA ${details.modulusLength} bits; u-blox modules need at least ${MIN_KEY_BITS.rsa}`);
    }
    if (algorithm === 'ec' && details?.namedCurve) {
      const bits = Number(/(\d{3})/.exec(details.namedCurve)?.[1] ?? 256);
      if (bits < MIN_KEY_BITS.ec) throw parameterError(field, `${what} is on curve ${details.namedCurve}; u-blox modules need at least ${MIN_KEY_BITS.ec} bits`);
    }
  }

  // ---------------------------------------------------------------- profile (+USECPRF)

  async applyProfile(profile: TlsProfile): Promise<ApplyResult> {
    const id = p.int('profile', profile.profile, USECPRF_LIMITS.profiles).value;
    const vo = this.options_('profiles', profile.vendorOptions);
    const warnings: string[] = [];
    const plans: OpPlan[] = [];
    const int = (name: string, value: number): AtParam => p.int(name, value);
    const sameInt = (value: number) => (f: Field[]): boolean => f[0] === value;
    const sameText = (value: string) => (f: Field[]): boolean => String(f[0] ?? '') === value;
    const text = (op: number, label: string, field: string, value: string, maxLength: number): OpPlan => ({
      op, label, params: [p.str(field, value, { maxLength })], same: sameText(value), shown: value,
    });

    // Op 0, validation level: 0 none; 1 the chain; 2 the chain and the host name; 3 also the dates.
    let level = 0;
    if (profile.verify === 'none') {
      warnings.push('verify "none": the server is not authenticated; anyone on the path can read and change the data');
    } else if (profile.checkDate && !profile.checkHostname) {
      throw parameterError('checkDate', 'u-blox checks certificate dates only at validation level 3, which also checks the host name: turn checkHostname on, or checkDate off');
    } else {
      level = profile.checkDate ? 3 : profile.checkHostname ? 2 : 1;
    }
    plans.push({ op: OP.validation, label: 'validationLevel', params: [int('validation_lvl', level)], same: sameInt(level), shown: level });

    // Op 1: the version used, exactly (not a minimum); see TLS_VERSIONS.
    if (profile.tlsVersion === '1.3') throw parameterError('tlsVersion', 'u-blox modules do not support TLS 1.3 (+USECPRF notes); use 1.2');
    const version = TLS_VERSIONS[profile.tlsVersion];
    if (!version) throw parameterError('tlsVersion', `"${profile.tlsVersion}" is not one of ${Object.keys(TLS_VERSIONS).join(', ')}`);
    if (profile.tlsVersion === '1.0' || profile.tlsVersion === '1.1') warnings.push(`TLS ${profile.tlsVersion} is obsolete (RFC 8996); the module will speak only TLS ${profile.tlsVersion} on this profile`);
    plans.push({ op: OP.tlsVersion, label: 'tlsVersion', params: [int('tls_ver', version.value)], same: sameInt(version.value), shown: version.value });

    // Op 2: cipher suites.
    const cipher = this.cipherPlan(profile.ciphers, vo);

    // Ops 3, 5, 6: names of stored items (pre-installed ones included).
    plans.push(text(OP.ca, 'ca', 'ca', this.profileName('ca', profile.ca), USECPRF_LIMITS.name));

    // Ops 4 and 10 follow the host of each connection when the profile names none.
    const hostname = profile.hostname;
    const defaults: HostDefaults = { hostname: false, sni: false };
    if (hostname !== undefined) {
      plans.push(text(OP.hostname, 'hostname', 'hostname', hostname, USECPRF_LIMITS.hostname));
    } else if (level >= 2) {
      defaults.hostname = true;
    } else {
      plans.push(text(OP.hostname, 'hostname', 'hostname', '', USECPRF_LIMITS.hostname));
    }
    plans.push(text(OP.cert, 'cert', 'cert', this.profileName('cert', profile.cert), USECPRF_LIMITS.name));
    plans.push(text(OP.key, 'key', 'key', this.profileName('key', profile.key), USECPRF_LIMITS.name));
    if (profile.verify === 'mutual' && (!profile.cert || !profile.key)) {
      throw parameterError(profile.cert ? 'key' : 'cert', 'verify "mutual" needs the names of a stored client certificate and its private key');
    }

    // Ops 7, 8, 9: secrets, written when given.
    if (profile.keyPassword !== undefined) {
      plans.push({ op: OP.keyPassword, label: 'keyPassword', params: [p.str('keyPassword', profile.keyPassword, { maxLength: USECPRF_LIMITS.keyPassword, secret: true })], secret: true });
    }
    const pskFormat = vo.pskFormat === undefined ? 'ascii' : String(vo.pskFormat);
    if (pskFormat !== 'ascii' && pskFormat !== 'hex') throw parameterError('vendorOptions.pskFormat', `"${pskFormat}" is not ascii or hex`);
    if (profile.psk !== undefined) {
      const hex = pskFormat === 'hex';
      const psk = hex
        ? p.str('psk', profile.psk, { maxLength: USECPRF_LIMITS.pskHex, pattern: /^(?:[0-9A-Fa-f]{2})+$/, patternHint: 'must be an even number of hex digits (vendorOptions.pskFormat "hex")', secret: true })
        : p.str('psk', profile.psk, { maxLength: USECPRF_LIMITS.pskAscii, secret: true });
      plans.push({ op: OP.psk, label: 'psk', params: [psk, hex ? int('preshared_key_str_type', 1) : p.omit()], secret: true });
    }
    if (profile.pskIdentity !== undefined) {
      // Notes: the identity is ASCII only; its <string_type> is not supported.
      plans.push({ op: OP.pskIdentity, label: 'pskIdentity', params: [p.str('pskIdentity', profile.pskIdentity, { maxLength: USECPRF_LIMITS.pskIdentity, secret: true })], secret: true });
    }

    if (!profile.sni) {
      plans.push(text(OP.sni, 'sni', 'sni', '', USECPRF_LIMITS.sni));
    } else if (hostname !== undefined) {
      plans.push(text(OP.sni, 'sni', 'hostname', hostname, USECPRF_LIMITS.sni));
    } else {
      defaults.sni = true;
    }

    // Op 11, RoT-generated PSK.
    const rotPsk = this.flag('vendorOptions.rotPsk', vo.rotPsk);
    if (rotPsk !== undefined) plans.push({ op: OP.rotPsk, label: 'rotPsk', params: [int('PSK_val', rotPsk ? 1 : 0)], same: sameInt(rotPsk ? 1 : 0), shown: rotPsk ? 1 : 0 });

    // Op 12, certificate pinning.
    if (vo.pinCert !== undefined || vo.pinLevel !== undefined) {
      if (vo.pinCert === undefined) throw parameterError('vendorOptions.pinCert', 'is needed with pinLevel: the name of the stored certificate to pin to');
      const pin = String(vo.pinCert) === '' ? '' : this.profileName('vendorOptions.pinCert', vo.pinCert);
      const pinLevel = vo.pinLevel === undefined ? 0 : p.int('vendorOptions.pinLevel', vo.pinLevel, { min: 0, max: 2 }).value;
      plans.push({
        op: OP.pinning, label: 'pinning', params: [p.str('vendorOptions.pinCert', pin, { maxLength: USECPRF_LIMITS.name }), int('pinning_level', pinLevel)],
        same: (f) => String(f[0] ?? '') === pin && (f.length < 2 || f[1] === pinLevel), shown: { cert: pin, level: pinLevel },
      });
    }

    // Op 13, session resumption: status (tag 0) and type (tag 1).
    const resume = this.flag('vendorOptions.sessionResumption', vo.sessionResumption);
    if (resume !== undefined) {
      const status = resume ? 1 : 0;
      plans.push({
        op: OP.session, label: 'sessionResumption', params: [int('sess_tag', 0), int('sess_status', status)], readParams: [int('sess_tag', 0)],
        // Status 2 ("session data configured") is enabled too: rewriting 1 would drop the session.
        same: (f) => f[0] === 0 && (resume ? f[1] === 1 || f[1] === 2 : f[1] === 0), shown: status,
      });
    }
    if (vo.sessionType !== undefined) {
      const type = p.int('vendorOptions.sessionType', vo.sessionType, { oneOf: SESSION_TYPES }).value;
      plans.push({ op: OP.session, label: 'sessionType', params: [int('sess_tag', 1), int('sess_type', type)], readParams: [int('sess_tag', 1)], same: (f) => f[0] === 1 && f[1] === type, shown: type });
    }

    // Op 14, ZTP.
    if (vo.ztp !== undefined) {
      const ztp = p.int('vendorOptions.ztp', vo.ztp, { min: 0, max: 2 }).value;
      plans.push({ op: OP.ztp, label: 'ztp', params: [int('ZTP_tag', ztp)], same: sameInt(ztp), shown: ztp });
    }

    // Op 15, ALPN: one protocol name.
    if (profile.alpn.length > 1) throw parameterError('alpn', `u-blox modules take one ALPN protocol name per profile; ${profile.alpn.length} were given`);
    plans.push(text(OP.alpn, 'alpn', 'alpn', profile.alpn[0] ?? '', USECPRF_LIMITS.alpn));

    // Op 16, database.
    if (vo.database !== undefined) {
      const db = typeof vo.database === 'string' && vo.database in DATABASES ? DATABASES[vo.database] : p.int('vendorOptions.database', vo.database, { min: 0, max: 2 }).value;
      plans.push({ op: OP.database, label: 'database', params: [int('db_to_use', db)], same: sameInt(db), shown: db });
    }

    const reset = this.flag('vendorOptions.reset', vo.reset) ?? false;
    for (const op of OPS_NOT_ALLOWED) {
      if (plans.some((plan) => plan.op === op)) warnings.push(`+USECPRF op ${op} is not among the op codes the u-blox manual allows on these modules; the module may refuse it`);
    }
    if (cipher.warning) warnings.push(cipher.warning);
    // Commands are built (and so checked) before the first one is sent.
    const profileParam = p.int('profile_id', id);
    const commands = [...plans].map((plan) => ({ plan, line: buildCommand('+USECPRF', [profileParam, p.int('op_code', plan.op), ...plan.params]) }));

    // ---- from here on, commands are sent, in one section: reads, comparisons and writes stay together
    return this.engine.exclusive(async (at) => {
    let written = 0;
    if (reset) {
      await at.send({ line: buildCommand('+USECPRF', [profileParam]) });
      written++;
      for (const key of [...this.hostValues.keys()]) if (key.startsWith(`${id}:`)) this.hostValues.delete(key);
    }
    const applied: Record<string, unknown> = { profile: id };
    const secretsWritten: string[] = [];
    for (const { plan, line } of commands) {
      if (plan.op === OP.cipher) continue;
      if (!plan.secret) {
        const current = await this.readOp(at, id, plan.op, plan.readParams);
        if (!(current && plan.same?.(current))) {
          await at.send({ line });
          written++;
        }
        applied[plan.label] = plan.shown;
        if (plan.op === OP.hostname || plan.op === OP.sni) this.hostValues.set(`${id}:${plan.op}`, String(plan.shown));
      } else {
        // Secrets are never read back: written whenever given.
        await at.send({ line });
        written++;
        secretsWritten.push(plan.label);
      }
      if (plan.op === OP.tlsVersion) {
        written += await this.applyCipher(at, id, cipher);
        Object.assign(applied, cipher.shown);
      }
    }
    this.hostDefaults.set(id, defaults);
    applied.validationName = VALIDATION_LEVELS[level];
    applied.tlsVersionName = version.name;
    if (defaults.hostname) applied.hostname = '(the host of each connection)';
    if (defaults.sni) applied.sni = '(the host of each connection)';
    if (secretsWritten.length > 0) applied.secretsWritten = secretsWritten;
    return { profile: String(id), applied, warnings, written };
    });
  }

  private cipherPlan(ciphers: TlsProfile['ciphers'], vo: Record<string, unknown>): CipherPlan {
    const chosen = [ciphers !== 'auto' ? 'ciphers' : '', vo.legacyCipher !== undefined ? 'vendorOptions.legacyCipher' : '', vo.cipherList !== undefined ? 'vendorOptions.cipherList' : ''].filter(Boolean);
    if (chosen.length > 1) throw parameterError(chosen[1], `cannot be combined with ${chosen[0]}: the module uses one cipher configuration method at a time (+USECPRF)`);
    if (vo.legacyCipher !== undefined) {
      const n = p.int('vendorOptions.legacyCipher', vo.legacyCipher, { oneOf: LEGACY_ALLOWED }).value;
      return { kind: 'legacy', value: n, shown: { cipher: n, cipherName: suiteByCode(LEGACY_SUITES[n])?.iana } };
    }
    if (vo.cipherList !== undefined) {
      const names = Array.isArray(vo.cipherList) ? vo.cipherList : String(vo.cipherList).split(/[\s,]+/).filter(Boolean);
      if (names.length === 0) throw parameterError('vendorOptions.cipherList', 'is empty: give IANA suite names');
      const suites = names.map((name) => this.suite('vendorOptions.cipherList', name));
      return {
        kind: 'list', suites, shown: { cipher: 100, cipherNames: suites.map((s) => s.iana) },
        warning: 'vendorOptions.cipherList uses +USECPRF op 2,100, which the u-blox manual says these modules do not support; the module may refuse it',
      };
    }
    if (ciphers === 'auto') return { kind: 'auto', shown: { cipher: 0, cipherName: 'the module’s default list' } };
    if (ciphers.length > 1) {
      throw parameterError('ciphers', `u-blox modules select one suite (op 2,99) or their default list (auto); a list needs op 2,100, which the manual says these modules do not support (vendorOptions.cipherList sends it anyway); ${ciphers.length} were given`);
    }
    const suite = this.suite('ciphers', ciphers[0]);
    return { kind: 'one', suite, shown: { cipher: 99, cipherName: suite.iana, cipherBytes: suite.bytes } };
  }

  private suite(field: string, name: unknown): UbloxSuite {
    const suite = typeof name === 'string' ? suiteByName(name) : undefined;
    if (!suite) throw parameterError(field, `u-blox modules cannot select ${String(name)}; they offer ${SUITES.map((s) => s.iana).join(', ')}`);
    return suite;
  }

  /** Op 2: read, then write only what differs. */
  private async applyCipher(at: AtChannel, id: number, plan: CipherPlan): Promise<number> {
    const current = await this.readOp(at, id, OP.cipher);
    const profileParam = p.int('profile_id', id);
    const op = p.int('op_code', OP.cipher);
    const bytesOf = (s: UbloxSuite): AtParam[] => [p.str('iana_b1', s.bytes[0]), p.str('iana_b2', s.bytes[1])];
    const hex = (f: Field | undefined): string => String(f ?? '').toUpperCase();
    switch (plan.kind) {
      case 'auto':
      case 'legacy': {
        const value = plan.kind === 'auto' ? 0 : plan.value;
        if (current && current[0] === value) return 0;
        await at.send({ line: buildCommand('+USECPRF', [profileParam, op, p.int('legacy_cs', value)]) });
        return 1;
      }
      case 'one': {
        const [b1, b2] = plan.suite.bytes;
        if (current && current[0] === 99 && hex(current[1]) === b1 && hex(current[2]) === b2) return 0;
        await at.send({ line: buildCommand('+USECPRF', [profileParam, op, p.int('legacy_cs', 99), ...bytesOf(plan.suite)]) });
        return 1;
      }
      case 'list': {
        // `+USECPRF: <p>,2,100,"C02A;C02C"`: add what is missing, then remove what is not wanted
        // (removing the last one first would fall back to the default list).
        const have = current && current[0] === 100 ? hex(current[1]).split(';').filter(Boolean) : [];
        const want = plan.suites.map((s) => s.bytes.join(''));
        let n = 0;
        for (const suite of plan.suites.filter((s) => !have.includes(s.bytes.join('')))) {
          await at.send({ line: buildCommand('+USECPRF', [profileParam, op, p.int('legacy_cs', 100), ...bytesOf(suite), p.int('operation', 0)]) });
          n++;
        }
        for (const code of have.filter((c) => !want.includes(c))) {
          const suite = suiteByCode(parseInt(code, 16));
          const b = suite ? suite.bytes : [code.slice(0, 2), code.slice(2)];
          await at.send({ line: buildCommand('+USECPRF', [profileParam, op, p.int('legacy_cs', 100), p.str('iana_b1', b[0]), p.str('iana_b2', b[1]), p.int('operation', 1)]) });
          n++;
        }
        return n;
      }
    }
  }

  /** `AT+USECPRF=<p>,<op>[,<tag>]` → the fields after `<p>,<op>`, or null when the module does not answer one. */
  private async readOp(at: AtChannel, id: number, op: number, extra: AtParam[] = []): Promise<Field[] | null> {
    try {
      const answer = await at.send({ line: buildCommand('+USECPRF', [p.int('profile_id', id), p.int('op_code', op), ...extra]), responsePrefixes: ['+USECPRF:'] });
      for (const line of answer.lines) {
        const parsed = parseLine(line);
        if (parsed.name === '+USECPRF' && parsed.fields[0] === id && parsed.fields[1] === op) return parsed.fields.slice(2);
      }
      return null;
    } catch (err) {
      if (isModemError(err) && (err.kind === 'CME' || err.kind === 'FINAL')) return null;
      throw err;
    }
  }

  /** A stored item's name in a profile: "" when none; pre-installed names up to 60 characters. */
  private profileName(field: string, value: unknown): string {
    if (value === undefined || value === null || value === '') return '';
    const name = p.str(field, typeof value === 'number' ? String(value) : value).value;
    if (!NAME_PATTERN.test(name)) throw parameterError(field, `"${name}" is not a u-blox certificate name (up to 30 characters, pre-installed ones up to 60)`);
    return name;
  }

  // ---------------------------------------------------------------- sockets (SARA-R5 "Internet protocol transport layer")

  async openSocket(request: OpenRequest): Promise<SocketInfo> {
    // Everything is checked before the first command: a refused open leaves nothing behind.
    const profile = p.int('profile', request.profile, USECPRF_LIMITS.profiles).value;
    const host = p.str('host', request.host, { minLength: 1, maxLength: 255, pattern: /^[^\s,]+$/, patternHint: 'must be a host name or IP address without spaces' }).value;
    const port = p.int('port', request.port, { min: 1, max: 65535 }).value;
    if (request.mode !== 'command') throw parameterError('mode', `u-blox connections work in command mode here ("${String(request.mode)}" is not offered): data goes with +USOWR and +USORD`);
    this.options_('open', request.vendorOptions);
    // One section from the host name written into the profile to the connect that is verified
    // against it: another flow's open cannot slip its own host name in between.
    return this.engine.exclusive(async (at) => {
      if (this.connections.size >= SOCKETS.maxTls) {
        throw parameterError('socket', `u-blox modules allow at most ${SOCKETS.maxTls} TLS connections at once (+USECMNG notes) and ${this.connections.size} are open (sockets ${this.connections.ids().join(', ')}): close one first (tls-close)`);
      }
      for (const plan of this.hostPlans(profile, host)) {
        await at.send({ line: plan.line });
        this.hostValues.set(plan.key, plan.value);
      }
      const created = await at.send({ line: buildCommand('+USOCR', [p.int('protocol', SOCKETS.tcp)]), responsePrefixes: ['+USOCR:'] });
      const id = created.lines.map((l) => parseLine(l)).find((l) => l.name === '+USOCR')?.fields[0];
      if (typeof id !== 'number') {
        throw new ModemError({ kind: 'FINAL', vendor: 'ublox', command: 'AT+USOCR=6', message: 'AT+USOCR=6: the module did not say which socket it created' });
      }
      const socket = p.int('socket', id);
      try {
        await at.send({ line: buildCommand('+USOSEC', [socket, p.int('ssl_tls_status', SOCKETS.secure), p.int('usecmng_profile_id', profile)]) });
        await at.send({ line: buildCommand('+USOCO', [socket, p.str('host', host), p.int('port', port)]), timeoutMs: request.timeoutMs ?? SOCKETS.connectTimeoutMs });
      } catch (err) {
        throw await this.failedOpen(at, id, err);
      }
      const info: SocketInfo = { socket: String(id), host, port, mode: 'command' };
      this.connections.add(id, { info, profile });
      return info;
    });
  }

  /** Op 4 / op 10 set to the host of this connection when the profile named none (only when they differ). */
  private hostPlans(profile: number, host: string): Array<{ line: ReturnType<typeof buildCommand>; key: string; value: string }> {
    const defaults = this.hostDefaults.get(profile);
    if (!defaults) return [];
    const out: Array<{ line: ReturnType<typeof buildCommand>; key: string; value: string }> = [];
    const ip = /^[\d.]+$/.test(host) || host.includes(':');
    const wanted: Array<[number, string, number]> = [];
    if (defaults.hostname) wanted.push([OP.hostname, host, USECPRF_LIMITS.hostname]);
    // RFC 6066 §3: SNI carries host names, never IP addresses.
    if (defaults.sni) wanted.push([OP.sni, ip ? '' : host, USECPRF_LIMITS.sni]);
    for (const [op, value, maxLength] of wanted) {
      const key = `${profile}:${op}`;
      if (this.hostValues.get(key) === value) continue;
      out.push({ key, value, line: buildCommand('+USECPRF', [p.int('profile_id', profile), p.int('op_code', op), p.str('host', value, { maxLength })]) });
    }
    return out;
  }

  /** A connect failed: read the socket's error number (+USOCTL param 1), free the socket, and say what happened. */
  private async failedOpen(at: AtChannel, id: number, err: unknown): Promise<unknown> {
    if (!isModemError(err) || err.kind === 'LINK_DOWN' || err.kind === 'CLOSED') return err;
    let errno: number | undefined;
    try {
      const answer = await at.send({ line: buildCommand('+USOCTL', [p.int('socket', id), p.int('param_id', SOCKETS.lastError)]), responsePrefixes: ['+USOCTL:'] });
      const fields = answer.lines.map((l) => parseLine(l)).find((l) => l.name === '+USOCTL')?.fields;
      if (fields && fields[0] === id && fields[1] === SOCKETS.lastError && typeof fields[2] === 'number') errno = fields[2];
    } catch {
      // No error number: the original failure says enough.
    }
    // The socket must not leak: a module has only a few.
    await at.send({ line: buildCommand('+USOCL', [p.int('socket', id)]) }).catch(() => undefined);
    if (!errno) return err;
    const known = socketErrno(errno);
    const what = known ? `${known.symbol ? `${known.symbol}, ` : ''}${known.name}` : 'unknown socket error';
    return new ModemError({
      kind: err.kind,
      vendor: 'ublox',
      code: `errno ${errno}`,
      command: err.command,
      line: `+USOCTL: ${id},${SOCKETS.lastError},${errno}`,
      message: `${err.message} — socket error ${errno} (${what})`,
      cause: err,
    });
  }

  /** +USOWR binary form: `AT+USOWR=<socket>,<length>`, the `@` prompt, exactly the bytes, `+USOWR: <socket>,<length>`. */
  async send(socket: string, data: Buffer): Promise<number> {
    const id = this.socketId('msg.socket', socket);
    return this.connections.serial(id, 'send', async () => {
      this.connections.require('msg.socket', id);
      let sent = 0;
      for (let offset = 0; offset < data.length; offset += SOCKETS.maxChunk) {
        const part = data.subarray(offset, offset + SOCKETS.maxChunk);
        const line = buildCommand('+USOWR', [p.int('socket', id), p.int('length', part.length)]);
        // The AT commands manual asks for 50 ms after the `@` before the data.
        const answer = await this.engine.send({ line, prompt: { markers: ['@'], payload: part, terminator: 'none', delayMs: 50 }, responsePrefixes: ['+USOWR:'], timeoutMs: 30000 });
        const fields = answer.lines.map((l) => parseLine(l)).find((l) => l.name === '+USOWR')?.fields;
        const taken = typeof fields?.[1] === 'number' ? fields[1] : part.length;
        sent += taken;
        if (taken !== part.length) {
          throw new ModemError({ kind: 'FINAL', vendor: 'ublox', command: line.display, line: answer.lines.join(' '), message: `${line.display}: the module took ${taken} of ${part.length} bytes (${sent} of ${data.length} sent in all)` });
        }
      }
      return sent;
    });
  }

  async receive(socket: string, maxBytes: number, timeoutMs?: number): Promise<Buffer> {
    const id = this.socketId('msg.socket', socket);
    const max = p.int('msg.length', maxBytes, { min: 1, max: 1 << 20 }).value;
    return this.connections.serial(id, 'receive', async () => {
      this.connections.require('msg.socket', id);
      let data = await this.readAvailable(id, max);
      if (data.length === 0 && timeoutMs !== undefined && timeoutMs > 0 && !this.waiting.has(id)) {
        // Wait for the module's announcement; it wakes this call instead of a push read.
        const announced = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => {
            this.waiting.delete(id);
            resolve(false);
          }, timeoutMs);
          this.waiting.set(id, () => {
            clearTimeout(timer);
            this.waiting.delete(id);
            resolve(true);
          });
        });
        if (announced) data = await this.readAvailable(id, max);
      }
      return data;
    });
  }

  /** Reads up to `max` bytes in +USORD commands of at most 1024, stopping at a short read; `each` sees every chunk. */
  private async readAvailable(id: number, max: number, each?: (chunk: Buffer) => void): Promise<Buffer> {
    const parts: Buffer[] = [];
    let left = max;
    while (left > 0) {
      const want = Math.min(left, SOCKETS.maxChunk);
      const answer = await this.engine.send({
        line: buildCommand('+USORD', [p.int('socket', id), p.int('length', want)]),
        payloads: [USORD_PAYLOAD],
        responsePrefixes: ['+USORD:'],
        timeoutMs: 10000,
      });
      const got = answer.payloads[0]?.data ?? Buffer.alloc(0);
      if (got.length > 0) {
        parts.push(got);
        each?.(got);
      }
      left -= got.length;
      if (got.length < want) break;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  async closeSocket(socket: string, request: CloseRequest = {}): Promise<void> {
    const id = this.socketId('msg.socket', socket);
    this.options_('close', request.vendorOptions);
    await this.connections.serial(id, 'send', async () => {
      // The module or a lost link closed it already (+UUSOCL): the goal is reached. Never opened: refused.
      if (!this.connections.has(id) && this.connections.endedBecause(id) !== undefined) return;
      this.connections.require('msg.socket', id);
      try {
        await this.engine.send({ line: buildCommand('+USOCL', [p.int('socket', id)]), timeoutMs: 30000 });
      } catch (err) {
        // "operation not allowed": no such open socket any more — the goal is reached.
        const e = err as ModemError;
        if (!(isModemError(e) && e.kind === 'CME' && (e.code === 3 || String(e.code).toLowerCase() === 'operation not allowed'))) throw err;
      }
      this.forget(id, 'closed by the flow');
    });
  }

  /** `+CCLK?` → `+CCLK: "yy/MM/dd,hh:mm:ss±zz"` (3GPP TS 27.007 §8.15; zone in quarter hours). */
  async modemClock(): Promise<Date | undefined> {
    const answer = await this.engine.send({ line: readCommand('+CCLK'), responsePrefixes: ['+CCLK:'] }).catch(() => null);
    const m = answer && /"(\d\d)\/(\d\d)\/(\d\d),(\d\d):(\d\d):(\d\d)([+-]\d+)?"/.exec(answer.lines.join(' '));
    if (!m) return undefined;
    const [, yy, mo, dd, hh, mi, ss, tz] = m;
    const utc = Date.UTC(2000 + Number(yy), Number(mo) - 1, Number(dd), Number(hh), Number(mi), Number(ss));
    return new Date(utc - Number(tz ?? 0) * 15 * 60000);
  }

  decodeError(error: { code?: string | number; line?: string }): DecodedError {
    return decodeUbloxError(error);
  }

  // ---------------------------------------------------------------- events

  private onUrc(urc: Urc): void {
    if (urc.name === '+UUSORD') {
      const { socket, length } = urc.fields as { socket: number; length: number };
      const waiter = this.waiting.get(socket);
      if (waiter) {
        waiter();
        return;
      }
      if (length > 0) this.drain(socket, length);
      return;
    }
    if (urc.name === '+UUSOCL') {
      const { socket } = urc.fields as { socket: number };
      this.forget(socket, 'closed by the server');
      return;
    }
    if (urc.name === '+UUSECPRF') {
      // Session resumption state of a profile: the tls-profile node of that profile reports it.
      const { profile, ...rest } = urc.fields as { profile: number } & Record<string, unknown>;
      this.emit('profile', String(profile), { ...rest, raw: urc.raw });
    }
  }

  /**
   * Data announced by +UUSORD is read at once, through the queue, so flows get it pushed. One
   * drain per socket at a time; an announcement during it is followed by one more read until a
   * short one (the module announces again what is left after a partial read).
   */
  private drain(id: number, length: number): void {
    const running = this.draining.get(id);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.draining.set(id, state);
    const emit = (chunk: Buffer): void => {
      this.emit('data', String(id), chunk);
    };
    const run = async (): Promise<void> => {
      await this.readAvailable(id, length, emit);
      while (state.again && this.draining.get(id) === state) {
        state.again = false;
        await this.readAvailable(id, 1 << 20, emit);
      }
    };
    // In the socket's read lane, so a flow's own read and a push read never split one stream between them.
    this.connections.serial(id, 'receive', run)
      .catch((err: Error) => this.emit('warning', `reading the data announced on socket ${id}: ${err.message}`))
      .finally(() => {
        if (this.draining.get(id) === state) this.draining.delete(id);
      });
  }

  private forget(id: number, reason: string): void {
    this.connections.end(id, reason);
  }

  // ---------------------------------------------------------------- helpers

  private socketId(field: string, value: unknown): number {
    return p.int(field, value, SOCKETS.ids).value;
  }

  /** Vendor options of one operation, checked against the rows the capabilities list for it. */
  private options_(area: 'profiles' | 'certificates' | 'open' | 'close', options: Record<string, unknown> | undefined): Record<string, unknown> {
    const caps = ubloxCapabilities();
    const rows = area === 'profiles' ? caps.profiles.vendorOptions : area === 'certificates' ? caps.certificates.vendorOptions : area === 'open' ? caps.sockets.openOptions : caps.sockets.closeOptions;
    const what = { profiles: 'profiles', certificates: 'uploads', open: 'connections', close: 'connections' }[area];
    return vendorOptionValues(rows, options, `u-blox ${what}`);
  }

  private flag(field: string, value: unknown): boolean | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw parameterError(field, 'must be true or false');
    return value;
  }
}

type CipherPlan =
  | { kind: 'auto'; shown: Record<string, unknown>; warning?: string }
  | { kind: 'legacy'; value: number; shown: Record<string, unknown>; warning?: string }
  | { kind: 'one'; suite: UbloxSuite; shown: Record<string, unknown>; warning?: string }
  | { kind: 'list'; suites: UbloxSuite[]; shown: Record<string, unknown>; warning?: string };

/** The fields of one +USECMNG list row: quoted or bare, separated by commas (`CA, "ThawteCA",…` in the manual too). */
function listFields(line: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"([^"]*)"|([^,]*?))\s*(?:,|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) {
    out.push(m[1] ?? m[2] ?? '');
    if (re.lastIndex >= line.length) break;
  }
  return out;
}

/** `2020/05/30` or `2031/11/10 00:00:00` (UTC) → ISO 8601. */
function listDate(text: string): string | undefined {
  const m = /^(\d{4})\/(\d\d)\/(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0))).toISOString();
}
