/**
 * The TLS profile as users describe it, independent of any vendor: what to verify,
 * which versions and suites, SNI/ALPN, which stored certificates, which secrets.
 *
 * Owns: reading a profile from node settings and `msg.profile`, filling secure defaults
 * (verification on, TLS 1.2), and refusing malformed values with the field named.
 * Must never: decide what a vendor can do (the adapter's capabilities do), or let a
 * secret appear in a summary (`publicProfile`).
 */
import { parameterError } from '../at/errors';

export type VerifyMode = 'none' | 'server' | 'mutual';
export type TlsVersionChoice = 'auto' | '1.0' | '1.1' | '1.2' | '1.3';

export interface TlsProfile {
  /** The vendor's profile id (Telit SSId, u-blox profile 0..4, …) as text. */
  profile: string;
  verify: VerifyMode;
  /** Check that the server certificate names the host. */
  checkHostname: boolean;
  /** Check certificate validity dates (against the modem clock). */
  checkDate: boolean;
  /** The name expected in the server certificate and sent as SNI; defaults to the host opened. */
  hostname?: string;
  tlsVersion: TlsVersionChoice;
  /** `auto` (the module's own list) or IANA suite names, in preference order. */
  ciphers: 'auto' | string[];
  /** Send Server Name Indication. */
  sni: boolean;
  alpn: string[];
  /** Names (or slots) of stored security data. */
  ca?: string;
  cert?: string;
  key?: string;
  /** Secrets: never in a summary, a log or an error. */
  keyPassword?: string;
  psk?: string;
  pskIdentity?: string;
  /** Options of one vendor with no neutral equivalent (Telit `sslSRingMode`, u-blox `sessionResumption`, …). */
  vendorOptions: Record<string, unknown>;
}

export const SECRET_PROFILE_FIELDS = ['keyPassword', 'psk', 'pskIdentity'] as const;

/** IANA TLS cipher suite names (RFC 8446 §B.4, the IANA TLS parameters registry) look like this. */
function isIanaSuiteName(name: string): boolean {
  return /^TLS_[A-Z0-9]+(?:_[A-Z0-9]+)*$/.test(name);
}

const VERIFY: readonly VerifyMode[] = ['none', 'server', 'mutual'];
const VERSIONS: readonly TlsVersionChoice[] = ['auto', '1.0', '1.1', '1.2', '1.3'];

function bool(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 0 || value === '0') return false;
  throw parameterError(field, `must be true or false, got ${JSON.stringify(value)}`);
}

function text(field: string, value: unknown, max = 255): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw parameterError(field, 'must be text');
  const s = String(value).trim();
  if (s.length > max) throw parameterError(field, `is ${s.length} characters long, the limit is ${max}`);
  if (/[\x00-\x1f\x7f"]/.test(s)) throw parameterError(field, 'must not contain quotes or control characters');
  return s || undefined;
}

function secret(field: string, value: unknown, max = 256): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw parameterError(field, 'must be text');
  if (value.length > max) throw parameterError(field, `is longer than the limit of ${max} characters`);
  if (/[\x00-\x1f\x7f"]/.test(value)) throw parameterError(field, 'must not contain quotes or control characters');
  return value;
}

function list(field: string, value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : String(value).split(/[\s,]+/);
  return items.map((item) => {
    if (typeof item !== 'string' && typeof item !== 'number') throw parameterError(field, 'must be a list of names');
    return String(item).trim();
  }).filter((item) => item.length > 0);
}

/**
 * Builds a profile from the node's settings overlaid with `msg` properties (or a whole
 * `msg.profile` object). Secrets come from the node's credentials or the message.
 */
export function readProfile(own: Record<string, unknown>, overrides: Record<string, unknown> = {}): TlsProfile {
  const pick = (name: string): unknown => {
    const v = overrides[name];
    return v === undefined || v === null || v === '' ? own[name] : v;
  };
  const profile = text('profile', pick('profile'), 32);
  if (!profile) throw parameterError('profile', 'is required (the modem’s profile or secure socket id)');
  const verify = (pick('verify') ?? 'server') as VerifyMode;
  if (!VERIFY.includes(verify)) throw parameterError('verify', `"${String(verify)}" is not one of ${VERIFY.join(', ')}`);
  const versionRaw = pick('tlsVersion');
  const tlsVersion = (versionRaw === undefined || versionRaw === null || versionRaw === '' ? '1.2' : String(versionRaw)) as TlsVersionChoice;
  if (!VERSIONS.includes(tlsVersion)) throw parameterError('tlsVersion', `"${tlsVersion}" is not one of ${VERSIONS.join(', ')}`);
  const cipherList = list('ciphers', pick('ciphers'));
  const ciphers: TlsProfile['ciphers'] = cipherList.length === 0 || (cipherList.length === 1 && cipherList[0].toLowerCase() === 'auto') ? 'auto' : cipherList;
  if (ciphers !== 'auto') {
    for (const suite of ciphers) {
      if (!isIanaSuiteName(suite)) throw parameterError('ciphers', `"${suite}" is not an IANA cipher suite name (e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)`);
    }
  }
  const alpn = list('alpn', pick('alpn'));
  for (const proto of alpn) {
    if (proto.length > 255 || /[\x00-\x1f\x7f",]/.test(proto)) throw parameterError('alpn', `"${proto}" is not a protocol name`);
  }
  const vendorOptions = pick('vendorOptions');
  if (vendorOptions !== undefined && (typeof vendorOptions !== 'object' || vendorOptions === null || Array.isArray(vendorOptions))) {
    throw parameterError('vendorOptions', 'must be an object');
  }
  const result: TlsProfile = {
    profile,
    verify,
    checkHostname: bool('checkHostname', pick('checkHostname'), verify !== 'none'),
    checkDate: bool('checkDate', pick('checkDate'), verify !== 'none'),
    hostname: text('hostname', pick('hostname')),
    tlsVersion,
    ciphers,
    sni: bool('sni', pick('sni'), true),
    alpn,
    ca: text('ca', pick('ca'), 64),
    cert: text('cert', pick('cert'), 64),
    key: text('key', pick('key'), 64),
    keyPassword: secret('keyPassword', pick('keyPassword')),
    psk: secret('psk', pick('psk')),
    pskIdentity: secret('pskIdentity', pick('pskIdentity')),
    vendorOptions: { ...((vendorOptions as Record<string, unknown>) ?? {}) },
  };
  if (result.verify !== 'none' && !result.ca && !result.psk) {
    throw parameterError('ca', `verify "${result.verify}" needs the name of a stored CA certificate`);
  }
  if (result.verify === 'mutual' && (!result.cert || !result.key)) {
    throw parameterError(result.cert ? 'key' : 'cert', 'verify "mutual" needs the names of a stored client certificate and its private key');
  }
  return result;
}

/** The profile without secrets: what may go into `msg.payload`, a status or a log. */
export function publicProfile(profile: TlsProfile): Omit<TlsProfile, (typeof SECRET_PROFILE_FIELDS)[number]> & { secrets: string[] } {
  const { keyPassword, psk, pskIdentity, ...rest } = profile;
  const secrets = Object.entries({ keyPassword, psk, pskIdentity }).filter(([, v]) => v !== undefined).map(([k]) => k);
  return { ...rest, secrets };
}
