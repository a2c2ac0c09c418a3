/**
 * u-blox security profiles 0..4 with +USECPRF (seeds/003, l. 397–990; `l. n` is a line of that
 * file): a vendor-neutral TLS profile decided into the settings the module will hold, then applied
 * by a walk over the op table of `profile-ops.ts` — each op read, compared, and written only when
 * it differs; secrets written whenever given and never read.
 *
 * Owns: what a profile means on u-blox (validation levels, the version used, one suite or the
 * default list, names of stored items, a host name and SNI that follow each connection when the
 * profile names no host), every refusal of a profile before the first command, and the host-name
 * ops written just before a connection.
 * Must never: send a command before the whole profile is decided and every command of it built,
 * read a secret back, or let the reads, comparisons and writes of one profile interleave with
 * another flow's commands (they run in one exclusive section).
 */
import { buildCommand, p, type AtParam, type CommandLine } from '../../at/command';
import type { AtChannel, AtEngine } from '../../at/engine';
import { isModemError, parameterError } from '../../at/errors';
import { parseLine, type Field } from '../../at/fields';
import type { TlsProfile } from '../../tls/profile';
import type { ApplyResult } from '../adapter';
import { optionValues } from './options';
import { PROFILE_OPS, type CipherPlan, type NamedText, type ProfileSettings } from './profile-ops';
import {
  DATABASES,
  LEGACY_SUITES,
  NAME_PATTERN,
  OP,
  SUITES,
  suiteByCode,
  suiteByName,
  TLS_VERSIONS,
  USECPRF_LIMITS,
  VALIDATION_LEVELS,
  type UbloxSuite,
} from './tables';

/** Ops whose value may follow the host of each connection: 4 (host name) and 10 (SNI). */
const HOST_OPS: readonly number[] = [OP.hostname, OP.sni];

/** The session data options (op 13 data tags), as `profile-ops.ts` reads them from `ProfileSettings.session`. */
const SESSION_OPTIONS = ['sessionId', 'sessionMasterSecret', 'sessionTicket', 'pskSessionTicket', 'encryptedSessionId', 'encryptedSessionTicket', 'encryptedPskSessionTicket'] as const;

/** Settings that follow the host of each connection: op 4 and op 10 when the profile named no host. */
interface HostDefaults {
  hostname: boolean;
  sni: boolean;
}

export class UbloxProfiles {
  private readonly hostDefaults = new Map<number, HostDefaults>();
  /** Last known value of op 4 / op 10 per profile (`<profile>:<op>`), so a connection to the same host writes nothing. */
  private readonly hostValues = new Map<string, string>();

  constructor(private readonly engine: AtEngine) {}

  /** What the module held may have changed (a reboot, a lost link): read it again before relying on it. */
  forgetHostValues(): void {
    this.hostValues.clear();
  }

  async apply(profile: TlsProfile): Promise<ApplyResult> {
    const id = p.int('profile', profile.profile, USECPRF_LIMITS.profiles).value;
    const vo = optionValues('profiles', profile.vendorOptions);
    const warnings: string[] = [];
    const settings = decide(profile, vo, warnings);
    // Every command is built, and so checked, before the first one is sent.
    const profileParam = p.int('profile_id', id);
    const planned = PROFILE_OPS.flatMap((row) => row.plan(settings, profileParam) ?? []);
    for (const plan of planned) if (plan.caution) warnings.push(plan.caution);
    if (settings.cipher.warning) warnings.push(settings.cipher.warning);
    const reset = vo.reset === true ? buildCommand('+USECPRF', [profileParam]) : null;
    const defaults: HostDefaults = { hostname: settings.hostname === undefined, sni: settings.sni === undefined };

    // ---- from here on, commands are sent, in one section: reads, comparisons and writes stay together
    return this.engine.exclusive(async (at) => {
      let written = 0;
      if (reset) {
        await at.send({ line: reset });
        written++;
        for (const op of HOST_OPS) this.hostValues.delete(`${id}:${op}`);
      }
      const applied: Record<string, unknown> = { profile: id };
      const secretsWritten: string[] = [];
      for (const plan of planned) {
        // Secrets are never read back: written whenever given.
        const current = plan.secret ? null : await readOp(at, id, plan.op, plan.read);
        const writes = plan.writes(current);
        for (const write of writes) await at.send(write);
        written += writes.length;
        if (plan.secret) {
          secretsWritten.push(plan.label);
          continue;
        }
        if (plan.merge) Object.assign(applied, plan.shown);
        else applied[plan.label] = plan.shown;
        if (HOST_OPS.includes(plan.op)) this.hostValues.set(`${id}:${plan.op}`, String(plan.shown));
      }
      this.hostDefaults.set(id, defaults);
      applied.validationName = VALIDATION_LEVELS[settings.level];
      applied.tlsVersionName = TLS_VERSIONS[profile.tlsVersion]?.name;
      if (defaults.hostname) applied.hostname = '(the host of each connection)';
      if (defaults.sni) applied.sni = '(the host of each connection)';
      if (secretsWritten.length > 0) applied.secretsWritten = secretsWritten;
      return { profile: String(id), applied, warnings, written };
    });
  }

  /**
   * Inside a connection's exclusive section, before it connects: op 4 and op 10 set to `host` on a
   * profile that named none — only when they differ from what was last written. RFC 6066 §3: SNI
   * carries host names, never IP addresses.
   */
  async followHost(at: AtChannel, profile: number, host: string): Promise<void> {
    const defaults = this.hostDefaults.get(profile);
    if (!defaults) return;
    const ip = /^[\d.]+$/.test(host) || host.includes(':');
    const wanted: Array<[number, string, number]> = [];
    if (defaults.hostname) wanted.push([OP.hostname, host, USECPRF_LIMITS.hostname]);
    if (defaults.sni) wanted.push([OP.sni, ip ? '' : host, USECPRF_LIMITS.sni]);
    const writes: Array<{ line: CommandLine; key: string; value: string }> = [];
    for (const [op, value, maxLength] of wanted) {
      const key = `${profile}:${op}`;
      if (this.hostValues.get(key) === value) continue;
      writes.push({ key, value, line: buildCommand('+USECPRF', [p.int('profile_id', profile), p.int('op_code', op), p.str('host', value, { maxLength })]) });
    }
    for (const write of writes) {
      await at.send({ line: write.line });
      this.hostValues.set(write.key, write.value);
    }
  }
}

/**
 * The profile as the module will hold it. Everything a profile or its vendor options can get wrong
 * is refused here, naming the field; what is allowed but unwise becomes a warning.
 */
function decide(profile: TlsProfile, vo: Record<string, unknown>, warnings: string[]): ProfileSettings {
  // Op 0, l. 825–833: level 3 checks dates only together with the host name.
  let level = 0;
  if (profile.verify === 'none') {
    warnings.push('verify "none": the server is not authenticated; anyone on the path can read and change the data');
  } else if (profile.checkDate && !profile.checkHostname) {
    throw parameterError('checkDate', 'u-blox checks certificate dates only at validation level 3, which also checks the host name: turn checkHostname on, or checkDate off');
  } else {
    level = profile.checkDate ? 3 : profile.checkHostname ? 2 : 1;
  }

  // Op 1: the version used, exactly (not a minimum); see TLS_VERSIONS.
  if (profile.tlsVersion === '1.3') throw parameterError('tlsVersion', 'u-blox modules do not support TLS 1.3 (+USECPRF notes); use 1.2');
  const version = TLS_VERSIONS[profile.tlsVersion];
  if (!version) throw parameterError('tlsVersion', `"${profile.tlsVersion}" is not one of ${Object.keys(TLS_VERSIONS).join(', ')}`);
  if (profile.tlsVersion === '1.0' || profile.tlsVersion === '1.1') warnings.push(`TLS ${profile.tlsVersion} is obsolete (RFC 8996); the module will speak only TLS ${profile.tlsVersion} on this profile`);

  const cipher = cipherPlan(profile.ciphers, vo);
  const ca = profileName('ca', profile.ca);
  const cert = profileName('cert', profile.cert);
  const key = profileName('key', profile.key);
  if (profile.verify === 'mutual' && (!profile.cert || !profile.key)) {
    throw parameterError(profile.cert ? 'key' : 'cert', 'verify "mutual" needs the names of a stored client certificate and its private key');
  }

  // Ops 4 and 10 follow the host of each connection when the profile names none (level 2 and 3 check it).
  const hostname = profile.hostname !== undefined ? profile.hostname : level >= 2 ? undefined : '';
  let sni: NamedText | undefined;
  if (!profile.sni) sni = { value: '', field: 'sni' };
  else if (profile.hostname !== undefined) sni = { value: profile.hostname, field: 'hostname' };

  // Op 12: pinning needs the certificate's name; "" turns it off.
  let pin: ProfileSettings['pin'];
  if (vo.pinCert !== undefined || vo.pinLevel !== undefined) {
    if (vo.pinCert === undefined) throw parameterError('vendorOptions.pinCert', 'is needed with pinLevel: the name of the stored server certificate to pin to');
    pin = { cert: String(vo.pinCert) === '' ? '' : profileName('vendorOptions.pinCert', vo.pinCert), level: vo.pinLevel === undefined ? 0 : Number(vo.pinLevel) };
  }

  // Op 13 session data: the session ID and its master secret go together (l. 646).
  const session: Record<string, string> = {};
  for (const name of SESSION_OPTIONS) {
    const value = vo[name];
    if (typeof value === 'string') session[name] = value;
  }
  if ((session.sessionId === undefined) !== (session.sessionMasterSecret === undefined)) {
    const missing = session.sessionId === undefined ? 'sessionId' : 'sessionMasterSecret';
    throw parameterError(`vendorOptions.${missing}`, 'is needed too: op 13 <sess_tag> 2 takes the session ID and its master secret together');
  }

  // Op 15: one protocol name.
  if (profile.alpn.length > 1) throw parameterError('alpn', `u-blox modules take one ALPN protocol name per profile; ${profile.alpn.length} were given`);

  return {
    level,
    tlsVersion: version.value,
    cipher,
    ca,
    ...(hostname !== undefined ? { hostname } : {}),
    cert,
    key,
    ...(profile.keyPassword !== undefined ? { keyPassword: profile.keyPassword } : {}),
    ...(profile.psk !== undefined ? { psk: { value: profile.psk, hex: vo.pskFormat === 'hex' } } : {}),
    ...(profile.pskIdentity !== undefined ? { pskIdentity: profile.pskIdentity } : {}),
    ...(sni ? { sni } : {}),
    ...(typeof vo.rotPsk === 'boolean' ? { rotPsk: vo.rotPsk } : {}),
    ...(pin ? { pin } : {}),
    ...(typeof vo.sessionResumption === 'boolean' ? { resume: vo.sessionResumption } : {}),
    ...(vo.sessionType !== undefined ? { sessionType: Number(vo.sessionType) } : {}),
    session,
    ...(vo.ztp !== undefined ? { ztp: Number(vo.ztp) } : {}),
    alpn: profile.alpn[0] ?? '',
    ...(vo.database !== undefined ? { database: typeof vo.database === 'string' && vo.database in DATABASES ? DATABASES[vo.database] : Number(vo.database) } : {}),
  };
}

/** Op 2: one way of choosing suites — `ciphers`, `vendorOptions.legacyCipher` or `vendorOptions.cipherList`. */
function cipherPlan(ciphers: TlsProfile['ciphers'], vo: Record<string, unknown>): CipherPlan {
  const chosen = [ciphers !== 'auto' ? 'ciphers' : '', vo.legacyCipher !== undefined ? 'vendorOptions.legacyCipher' : '', vo.cipherList !== undefined ? 'vendorOptions.cipherList' : ''].filter(Boolean);
  if (chosen.length > 1) throw parameterError(chosen[1], `cannot be combined with ${chosen[0]}: the module uses one cipher configuration method at a time (+USECPRF)`);
  if (vo.legacyCipher !== undefined) {
    const n = Number(vo.legacyCipher);
    return { kind: 'legacy', value: n, shown: { cipher: n, cipherName: suiteByCode(LEGACY_SUITES[n])?.iana } };
  }
  if (vo.cipherList !== undefined) {
    const names = Array.isArray(vo.cipherList) ? vo.cipherList : String(vo.cipherList).split(/[\s,]+/).filter(Boolean);
    if (names.length === 0) throw parameterError('vendorOptions.cipherList', 'is empty: give IANA suite names');
    const suites = names.map((name) => suite('vendorOptions.cipherList', name));
    return {
      kind: 'list', suites, shown: { cipher: 100, cipherNames: suites.map((s) => s.iana) },
      warning: 'vendorOptions.cipherList uses +USECPRF op 2,100, which the u-blox manual says these modules do not support; the module may refuse it',
    };
  }
  if (ciphers === 'auto') return { kind: 'auto', shown: { cipher: 0, cipherName: 'the module’s default list' } };
  if (ciphers.length > 1) {
    throw parameterError('ciphers', `u-blox modules select one suite (op 2,99) or their default list (auto); a list needs op 2,100, which the manual says these modules do not support (vendorOptions.cipherList sends it anyway); ${ciphers.length} were given`);
  }
  const one = suite('ciphers', ciphers[0]);
  return { kind: 'one', suite: one, shown: { cipher: 99, cipherName: one.iana, cipherBytes: one.bytes } };
}

function suite(field: string, name: unknown): UbloxSuite {
  const found = typeof name === 'string' ? suiteByName(name) : undefined;
  if (!found) throw parameterError(field, `u-blox modules cannot select ${String(name)}; they offer ${SUITES.map((s) => s.iana).join(', ')}`);
  return found;
}

/** A stored item's name in a profile: "" when none; pre-installed names up to 60 characters. */
function profileName(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  const name = p.str(field, typeof value === 'number' ? String(value) : value).value;
  if (!NAME_PATTERN.test(name)) throw parameterError(field, `"${name}" is not a u-blox certificate name (up to 30 characters, pre-installed ones up to 60)`);
  return name;
}

/** `AT+USECPRF=<p>,<op>[,<tag>]` → the fields after `<p>,<op>`, or null when the module does not answer one. */
async function readOp(at: AtChannel, id: number, op: number, extra: AtParam[]): Promise<Field[] | null> {
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
