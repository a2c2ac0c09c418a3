/**
 * `+USECPRF` (security profiles 0-4, op codes 0-16: set, read, reset) and the translation of a
 * profile into what the TLS stack dials with.
 *
 * Owns: every op code's parameter forms and checks, their read forms, the (D)TLS session
 * resumption data (`<sess_tag>` 0-15, with local encryption for types 10, 11, 13), and `planFor`:
 * validation level → checks, `<tls_ver>` → versions, `<legacy_cs>`/IANA → suites, names → DER
 * from the selected database, SNI, ALPN, PSK, pinning. Must never: dial, or print a secret — the
 * key password (op 7) and pre-shared key (op 8) are write-only (the read form answers "operation
 * not allowed"; the manual shows no read of them, and a module that echoes secrets would leak
 * them into every terminal log).
 *
 * Platform refusals (SARA-R5: TLS 1.3, `<legacy_cs>` 100, op codes 11/14, the `<string_type>` of
 * op 9, session types other than 1) answer 4 "operation not supported"; values outside the
 * manual's syntax answer 50 "Incorrect parameters".
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { cipherSuiteByCode } from '../../../tls/ciphers';
import type { CommandContext } from '../../modem';
import type { ModemTlsProfile, TlsVersion } from '../../tls-types';
import { Params, range } from './args';
import { FAIL } from './errors';
import { factoryProfile, type SecurityProfile, type StoredItem, type UbloxDevice } from './state';
import { APPLICABLE_SUITES, CODE_BY_LEGACY, LIMITS, STRING_LIMITS, SUITE_BY_CODE, TLS13_DEFAULTS } from './tables';

const VERSIONS: Readonly<Record<number, TlsVersion>> = { 1: 'TLSv1', 2: 'TLSv1.1', 3: 'TLSv1.2', 4: 'TLSv1.3' };

/** `<sess_tag>` holding the data of each `<sess_type>` (+USECPRF "Defined values"). */
const TAG_OF_TYPE: Readonly<Record<number, number>> = { 0: 2, 1: 3, 3: 5, 10: 12, 11: 13, 13: 15 };
/** Types that need TLS 1.3: "TLS v1.3 must be enabled (+USECPRF: <profile_id>,1,4)". */
const TLS13_TYPES = [3, 13];
const TLS13_TAGS = [5, 15];
/** Types whose data the module keeps in the profile (tickets) rather than only reporting (session ID). */
const STORED_TYPES = [1, 3, 11, 13];
const ENCRYPTED_TYPES = [10, 11, 13];

const hexByte = (text: string): number | undefined => (/^[0-9A-Fa-f]{2}$/.test(text) ? parseInt(text, 16) : undefined);
const hex2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
const hex4 = (code: number): string => code.toString(16).toUpperCase().padStart(4, '0');
const isBase64 = (text: string): boolean => /^[A-Za-z0-9+/]*={0,2}$/.test(text);

function suiteAllowed(device: UbloxDevice, code: number): boolean {
  return device.platform.suites === 'applicable' ? APPLICABLE_SUITES.has(code) : SUITE_BY_CODE.has(code);
}

export function registerProfileCommands(device: UbloxDevice): void {
  const modem = device.modem;
  const platform = device.platform;

  const profileOf = (p: Params): SecurityProfile => device.profiles[p.int(0, range(0, LIMITS.profiles - 1))]!;

  /** Op 2: `<legacy_cs>`, `99,<b1>,<b2>` or `100,<b1>,<b2>,<operation>`. */
  const setCipher = (profile: SecurityProfile, p: Params): void => {
    const legacy = p.int(2, range(0, 100));
    if (legacy === 99 || legacy === 100) {
      p.expect(legacy === 99 ? 5 : 6, legacy === 99 ? 5 : 6);
      if (legacy === 100 && !platform.cipherList) throw FAIL.notSupported();
      const b1 = hexByte(p.str(3, 2));
      const b2 = hexByte(p.str(4, 2));
      if (b1 === undefined || b2 === undefined) throw FAIL.badParameter();
      const code = (b1 << 8) | b2;
      if (!SUITE_BY_CODE.has(code)) throw FAIL.badParameter();
      if (!suiteAllowed(device, code)) throw FAIL.notSupported();
      if (legacy === 99) {
        profile.cipher = { mode: 'iana', code };
        return;
      }
      const operation = p.int(5, [0, 1]);
      const list = profile.cipher.mode === 'list' ? [...profile.cipher.codes] : [];
      if (operation === 0 && !list.includes(code)) list.push(code);
      if (operation === 1 && list.includes(code)) list.splice(list.indexOf(code), 1);
      // "when all added cipher suites are removed the cipher suite is automatically set to 0".
      profile.cipher = list.length > 0 ? { mode: 'list', codes: list } : { mode: 'legacy', value: 0 };
      return;
    }
    p.expect(3, 3);
    if (legacy !== 0) {
      const code = CODE_BY_LEGACY.get(legacy);
      if (code === undefined) throw FAIL.badParameter();
      if (platform.unsupportedLegacy.includes(legacy) || !suiteAllowed(device, code)) throw FAIL.notSupported();
    }
    profile.cipher = { mode: 'legacy', value: legacy };
  };

  const readCipher = (id: number, profile: SecurityProfile): string => {
    const c = profile.cipher;
    if (c.mode === 'iana') return `+USECPRF: ${id},2,99,"${hex2(c.code >> 8)}","${hex2(c.code & 0xff)}"`;
    if (c.mode === 'list') return `+USECPRF: ${id},2,100,"${c.codes.map(hex4).join(';')}"`;
    return `+USECPRF: ${id},2,${c.value}`;
  };

  /** `<preshared_key>` / `<preshared_key_id>` with their `<…_str_type>`: ASCII up to `ascii`, or hex up to `hex` digits. */
  const pskString = (p: Params, ascii: number, hex: number, typeAllowed: boolean): { value: string; type: number } => {
    p.expect(3, 4);
    if (p.has(3) && !typeAllowed) throw FAIL.notSupported();
    const type = p.int(3, [0, 1], 0);
    const value = p.str(2, type === 0 ? ascii : hex);
    if (type === 1 && !/^([0-9A-Fa-f]{2})*$/.test(value)) throw FAIL.badParameter();
    return { value, type };
  };

  const setSession = async (ctx: CommandContext, id: number, profile: SecurityProfile, p: Params): Promise<void> => {
    const tag = p.int(2, [0, 1, 2, 3, 5, 12, 13, 15]);
    if (!platform.sessionTags.includes(tag)) throw FAIL.notSupported();
    const session = profile.session;
    if (TLS13_TAGS.includes(tag) && profile.tlsVersion !== 4) throw FAIL.notAllowed();
    switch (tag) {
      case 0: {
        p.expect(4, 4);
        session.status = p.int(3, [0, 1, 2]);
        if (session.status === 0) session.data.clear();
        return;
      }
      case 1: {
        p.expect(4, 4);
        const type = p.int(3, [0, 1, 3, 10, 11, 13]);
        if (!platform.sessionTypes.includes(type)) throw FAIL.notSupported();
        if (TLS13_TYPES.includes(type) && profile.tlsVersion !== 4) throw FAIL.notAllowed();
        session.type = type;
        return;
      }
      case 2: {
        // <session_id_b64> (44 characters at most) and <master_secret_b64> (64).
        p.expect(5, 5);
        const sid = p.str(3, 44);
        const master = p.str(4, 64);
        if (!isBase64(sid) || !isBase64(master)) throw FAIL.badParameter();
        session.data.set(2, { id: sid, master });
        session.status = 2;
        return;
      }
      case 5:
      case 15: {
        // AT+USECPRF=<profile_id>,13,5,<size> → `>` → the base64 data → OK.
        p.expect(4, 4);
        const size = p.int(3, range(1, 8192));
        const input = await ctx.prompt({ marker: '>', length: size, timeoutMs: device.timers.ms(LIMITS.importGuardMs) });
        if (input.aborted === 'power-off') return;
        if (input.aborted) throw FAIL.notAllowed();
        const data = input.data.toString('latin1').replace(/\r?\n/g, '');
        if (!isBase64(data)) throw FAIL.badParameter();
        session.data.set(tag, { data });
        session.status = 2;
        return;
      }
      default: {
        // Tags 3, 12, 13: "<data_b64>",<size>; the size is the string's length, at most 8192.
        p.expect(5, 5);
        const data = p.str(3, 8192);
        const size = p.int(4, range(1, 8192));
        if (size !== data.length || !isBase64(data)) throw FAIL.badParameter();
        session.data.set(tag, { data });
        session.status = 2;
        return;
      }
    }
  };

  const readSession = (id: number, profile: SecurityProfile, p: Params): string => {
    const tag = p.int(2, [0, 1, 2, 3, 5, 12, 13, 15]);
    if (!platform.sessionTags.includes(tag)) throw FAIL.notSupported();
    const session = profile.session;
    if (tag === 0) return `+USECPRF: ${id},13,0,${session.status}`;
    if (tag === 1) return `+USECPRF: ${id},13,1,${session.type}`;
    const stored = session.data.get(tag);
    if (!stored) throw FAIL.notAllowed();
    return `+USECPRF: ${id},13,${sessionFields(tag, stored)}`;
  };

  const set = async (ctx: CommandContext, id: number, profile: SecurityProfile, op: number, p: Params): Promise<void> => {
    const text = (max: number): string => {
      p.expect(3, 3);
      return p.str(2, max);
    };
    const number = (allowed: readonly number[]): number => {
      p.expect(3, 3);
      return p.int(2, allowed);
    };
    switch (op) {
      case 0:
        profile.validation = number([0, 1, 2, 3]);
        return;
      case 1: {
        const version = number([0, 1, 2, 3, 4]);
        if (version === 4 && !platform.tls13) throw FAIL.notSupported();
        profile.tlsVersion = version;
        return;
      }
      case 2:
        return setCipher(profile, p);
      case 3:
        profile.caName = text(STRING_LIMITS[3]!);
        return;
      case 4:
        profile.hostname = text(STRING_LIMITS[4]!);
        return;
      case 5:
        profile.certName = text(STRING_LIMITS[5]!);
        return;
      case 6:
        profile.keyName = text(STRING_LIMITS[6]!);
        return;
      case 7:
        profile.keyPassword = text(STRING_LIMITS[7]!);
        return;
      case 8: {
        const { value, type } = pskString(p, 64, 128, true);
        profile.psk = value;
        profile.pskType = type;
        return;
      }
      case 9: {
        const { value, type } = pskString(p, 128, 256, platform.pskIdStringType);
        profile.pskId = value;
        profile.pskIdType = type;
        return;
      }
      case 10:
        profile.sni = text(STRING_LIMITS[10]!);
        return;
      case 11:
        profile.rotPsk = number([0, 1]);
        return;
      case 12: {
        // <server_certificate>,<pinning_level>: both given ("my_srv_cert",0).
        p.expect(4, 4);
        profile.pinName = p.str(2, STRING_LIMITS[12]!);
        profile.pinLevel = p.int(3, [0, 1, 2]);
        return;
      }
      case 13:
        return setSession(ctx, id, profile, p);
      case 14:
        profile.ztp = number([0, 1, 2]);
        return;
      case 15:
        profile.alpn = text(STRING_LIMITS[15]!);
        return;
      default:
        profile.database = number([0, 1, 2]);
        return;
    }
  };

  const read = (id: number, profile: SecurityProfile, op: number, p: Params): string => {
    const line = (value: string | number): string => `+USECPRF: ${id},${op},${value}`;
    const q = (value: string): string => `"${value}"`;
    switch (op) {
      case 0:
        return line(profile.validation);
      case 1:
        return line(profile.tlsVersion);
      case 2:
        return readCipher(id, profile);
      case 3:
        return line(q(profile.caName));
      case 4:
        return line(q(profile.hostname));
      case 5:
        return line(q(profile.certName));
      case 6:
        return line(q(profile.keyName));
      case 7:
      case 8:
        throw FAIL.notAllowed();
      case 9:
        return line(profile.pskIdType === 1 ? `${q(profile.pskId)},1` : q(profile.pskId));
      case 10:
        return line(q(profile.sni));
      case 11:
        return line(profile.rotPsk);
      case 12:
        return line(`${q(profile.pinName)},${profile.pinLevel}`);
      case 13:
        return readSession(id, profile, p);
      case 14:
        return line(profile.ztp);
      case 15:
        return line(q(profile.alpn));
      default:
        return line(profile.database);
    }
  };

  modem.register('+USECPRF', {
    write: async (ctx) => {
      const p = new Params(ctx.rawArgs).expect(1, 6);
      const profile = profileOf(p);
      const id = device.profiles.indexOf(profile);
      // "To reset … all the parameters of a specific security profile, issue the AT+USECPRF=<profile_id> command."
      if (p.count === 1) {
        device.profiles[id] = factoryProfile(platform.sessionTypes[0]);
        return undefined;
      }
      const op = p.int(1, range(0, 16));
      if (!platform.opCodes.includes(op)) throw FAIL.notSupported();
      // Two parameters read an op code; op 13 needs its <sess_tag> to read.
      if (p.count === 2 && op !== 13) return read(id, profile, op, p);
      if (op === 13 && p.count === 3) return read(id, profile, op, p);
      if (op === 13 && p.count === 2) throw FAIL.badParameter();
      await set(ctx, id, profile, op, p);
      return undefined;
    },
    // The manual's test answer, as printed.
    test: () => '+USECPRF: (0-4),(0-16)',
  });
}

/** The fields after `<sess_tag>` of a read answer or a URC: `"<id>","<master>"` or `"<data>",<size>`. */
function sessionFields(tag: number, stored: { data: string } | { id: string; master: string }): string {
  if ('id' in stored) return `${tag},"${stored.id}","${stored.master}"`;
  return `${tag},"${stored.data}",${stored.data.length}`;
}

// ---------------------------------------------------------------------------------------------
// Session resumption: from a TLS session to the manual's data and back
// ---------------------------------------------------------------------------------------------

/** "Local encryption": AES-256-GCM under a key that never leaves the module (iv ‖ tag ‖ data, base64). */
function seal(device: UbloxDevice, data: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', device.localKey, iv);
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function unseal(device: UbloxDevice, b64: string): Buffer | undefined {
  try {
    const raw = Buffer.from(b64, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', device.localKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** One DER TLV's contents at `offset` (just enough to read OpenSSL's SSL_SESSION). */
function tlv(der: Buffer, offset: number): { start: number; end: number } {
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  return { start, end: start + length };
}

/**
 * Session ID and master secret of an OpenSSL SSL_SESSION (`SEQUENCE { version, sslVersion, cipher,
 * sessionID OCTET STRING, masterKey OCTET STRING, … }`, ssl/ssl_asn1.c), base64 — 32 and 48 bytes,
 * which is why the manual's limits are 44 and 64 characters. A ticket session may carry no ID; the
 * module then names it by the first 32 bytes of its SHA-256.
 */
function sessionIdAndMaster(wrapped: Buffer): { id: string; master: string } | undefined {
  try {
    const session = opensslSession(wrapped);
    let at = tlv(session, 0).start;
    for (let i = 0; i < 3; i++) at = tlv(session, at).end; // version, sslVersion, cipher
    const idField = tlv(session, at);
    const masterField = tlv(session, idField.end);
    let id = session.subarray(idField.start, idField.end);
    if (id.length === 0) id = createHmac('sha256', 'session').update(session).digest();
    return { id: id.toString('base64'), master: session.subarray(masterField.start, masterField.end).toString('base64') };
  } catch {
    return undefined;
  }
}

/**
 * The DER SSL_SESSION inside what `node:tls` hands out as a session: Node 22 puts a header of its
 * own in front (`nodejs:tls:session:1`, the server name), Node 20 gives the DER alone. The
 * SSL_SESSION is the SEQUENCE whose first element is the INTEGER 1 (its version).
 */
function opensslSession(session: Buffer): Buffer {
  for (let i = 0; i < Math.min(session.length, 512); i++) {
    if (session[i] !== 0x30) continue;
    try {
      const seq = tlv(session, i);
      if (seq.end > session.length) continue;
      if (session[seq.start] === 0x02 && session[seq.start + 1] === 0x01 && session[seq.start + 2] === 0x01) return session.subarray(i, seq.end);
    } catch {
      // not a complete SEQUENCE here: keep looking
    }
  }
  throw new Error('no SSL_SESSION in the session data');
}

/** The TLS session the profile offers for resumption, if it is enabled and has data for its type. */
export function sessionToOffer(device: UbloxDevice, profile: SecurityProfile): Buffer | undefined {
  const session = profile.session;
  if (session.status === 0) return undefined;
  const stored = session.data.get(TAG_OF_TYPE[session.type]!);
  if (!stored) return undefined;
  if ('id' in stored) return device.sessionsById.get(stored.id);
  const raw = ENCRYPTED_TYPES.includes(session.type) ? unseal(device, stored.data) : Buffer.from(stored.data, 'base64');
  if (!raw) return undefined;
  if (session.type === 10) {
    // Encrypted session ID: the sealed text is `<id>,<master>`.
    const id = raw.toString('latin1').split(',')[0] ?? '';
    return device.sessionsById.get(id);
  }
  return raw;
}

/**
 * After a handshake with resumption enabled: the session data as the manual reports it. Session ID
 * types (0, 10): "+UUSECPRF … reporting the session resumption type and … the session resumption
 * data", not stored in the profile. Ticket types (1, 3, 11, 13): "directly configured in the
 * USECPRF profile and a +UUSECPRF URC message reporting the session resumption status is issued".
 */
export function sessionUrcs(device: UbloxDevice, id: number, session: Buffer | undefined): string[] {
  const settings = device.profiles[id]!.session;
  if (settings.status === 0 || !session) return [];
  const type = settings.type;
  const tag = TAG_OF_TYPE[type]!;
  if (STORED_TYPES.includes(type)) {
    const data = ENCRYPTED_TYPES.includes(type) ? seal(device, session) : session.toString('base64');
    if (data.length > 8192) return [];
    settings.data.set(tag, { data });
    settings.status = 2;
    return [`+UUSECPRF: ${id},13,0,2`];
  }
  const fields = sessionIdAndMaster(session);
  if (!fields) return [];
  device.sessionsById.set(fields.id, session);
  const data = type === 10 ? { data: seal(device, Buffer.from(`${fields.id},${fields.master}`, 'latin1')) } : fields;
  return [`+UUSECPRF: ${id},13,1,${type}`, `+UUSECPRF: ${id},13,${sessionFields(tag, data)}`];
}

// ---------------------------------------------------------------------------------------------
// Profile → connection plan
// ---------------------------------------------------------------------------------------------

export interface ConnectionPlan {
  profile: ModemTlsProfile;
  /** Level 2 and 3: the name the server certificate must carry ("URL integrity check"). */
  expectedName?: string;
  /** Op 12: the configured certificate and how it is compared. */
  pin?: { item: StoredItem; level: number };
  /** Op 8/9 or op 11: a pre-shared key (the TLS stack does not do PSK; the socket module dials it directly). */
  psk?: { key: Buffer; identity: string };
  /** Level 0 with a client certificate: present it without verifying the server (not expressible to `openTls`). */
  presentWithoutVerify: boolean;
}

/** Why a profile cannot be used, found before dialling. */
export class PlanError extends Error {}

/** The PSK and identity the Root of Trust derives (op 11): HMAC of the module's secret, the chip ID as identity. */
export function rotPsk(device: UbloxDevice): { key: Buffer; identity: string } {
  return { key: createHmac('sha256', device.rotSecret).update('usecprf-psk').digest(), identity: device.options.chipId };
}

function pemOrDer(data: Buffer | string): Buffer {
  return typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
}

export function planFor(device: UbloxDevice, profile: SecurityProfile, host: string): ConnectionPlan {
  const platform = device.platform;
  const db = profile.database;
  let minVersion: TlsVersion;
  let maxVersion: TlsVersion;
  if (profile.tlsVersion === 0) {
    minVersion = platform.anyMeansTls12 ? 'TLSv1.2' : 'TLSv1';
    maxVersion = platform.anyMeansTls12 ? 'TLSv1.2' : platform.tls13 ? 'TLSv1.3' : 'TLSv1.2';
  } else {
    minVersion = maxVersion = VERSIONS[profile.tlsVersion]!;
  }

  let codes: number[];
  const c = profile.cipher;
  if (c.mode === 'iana') codes = [c.code];
  else if (c.mode === 'list') codes = c.codes;
  else if (c.value !== 0) codes = [CODE_BY_LEGACY.get(c.value)!];
  else {
    // "For <legacy_cs>=0 a list of default cipher suites is proposed": the (D) suites.
    codes = [...APPLICABLE_SUITES].filter(([, isDefault]) => isDefault).map(([code]) => code);
    if (maxVersion === 'TLSv1.3') codes.push(...TLS13_DEFAULTS);
  }
  const ciphers = codes.map((code) => cipherSuiteByCode(code)?.iana ?? SUITE_BY_CODE.get(code)!);

  const tlsProfile: ModemTlsProfile = {
    verify: profile.validation === 0 ? 'none' : 'server',
    minVersion,
    maxVersion,
    ciphers,
    // SNI only when configured: "When SNI is not used the modules might receive a non host specific … configuration".
    sni: profile.sni !== '' ? profile.sni : false,
    // The name is checked here (level 2/3 against <srv_hostname>, which may differ from the SNI).
    checkHostname: false,
    checkDates: profile.validation >= 3,
  };
  if (profile.alpn !== '') tlsProfile.alpn = [profile.alpn];

  if (profile.validation >= 1) {
    // Level 1: "verified with a specific trusted certificates or with each of the imported trusted root certificates".
    const roots = profile.caName !== '' ? [device.find(0, profile.caName, db)] : device.all(0, db);
    if (roots.some((item) => item === undefined)) throw new PlanError(`trusted root "${profile.caName}" is not in the database`);
    tlsProfile.ca = (roots as StoredItem[]).map((item) => item.der);
    if (profile.ztp === 1 && device.options.ztp?.ca) tlsProfile.ca.push(pemOrDer(device.options.ztp.ca));
  }

  // ZTP "the client certificate and client key set by the <op_code>=5 … and <op_code>=6 … are ignored".
  if (profile.ztp !== 0) {
    const ztp = device.options.ztp;
    if (!ztp) throw new PlanError('no credentials were provided by ZTP');
    tlsProfile.cert = profile.ztp === 1 && ztp.ca ? Buffer.concat([pemOrDer(ztp.cert), Buffer.from('\n'), pemOrDer(ztp.ca)]) : pemOrDer(ztp.cert);
    tlsProfile.key = pemOrDer(ztp.key);
  } else if (profile.certName !== '' || profile.keyName !== '') {
    const cert = profile.certName !== '' ? device.find(1, profile.certName, db) : undefined;
    const key = profile.keyName !== '' ? device.find(2, profile.keyName, db) : undefined;
    if (!cert || !key) throw new PlanError('the client certificate and private key must both be in the database');
    tlsProfile.cert = cert.der;
    tlsProfile.key = key.der;
    const password = profile.keyPassword !== '' ? profile.keyPassword : key.password;
    if (password !== undefined) tlsProfile.keyPassword = password;
  }
  if (tlsProfile.cert && profile.validation >= 1) tlsProfile.verify = 'mutual';

  const plan: ConnectionPlan = { profile: tlsProfile, presentWithoutVerify: tlsProfile.cert !== undefined && profile.validation === 0 };
  if (profile.validation >= 2) plan.expectedName = profile.hostname || profile.sni || host;
  if (profile.pinName !== '') {
    const item = device.find(3, profile.pinName, db) ?? device.find(0, profile.pinName, db);
    if (!item) throw new PlanError(`pinned certificate "${profile.pinName}" is not in the database`);
    plan.pin = { item, level: profile.pinLevel };
  }
  if (profile.rotPsk === 1) plan.psk = rotPsk(device);
  else if (profile.psk !== '') {
    const key = profile.pskType === 1 ? Buffer.from(profile.psk, 'hex') : Buffer.from(profile.psk, 'latin1');
    const identity = profile.pskIdType === 1 ? Buffer.from(profile.pskId, 'hex').toString('latin1') : profile.pskId;
    plan.psk = { key, identity };
  }
  const session = sessionToOffer(device, profile);
  if (session) tlsProfile.session = session;
  return plan;
}
