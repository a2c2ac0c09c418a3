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
import type { Capabilities } from '../adapters/adapter';
import { checked } from '../adapters/checks';
import { ruleOf } from '../adapters/operations';

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

/**
 * Builds a profile from the node's settings overlaid with `msg` properties (or a whole
 * `msg.profile` object). Secrets come from the node's credentials or the message. Each value is
 * checked against its row of the tls-profile operation (`adapters/operations.ts`) — with the
 * modem's capabilities when given, so an id, a suite or a stored name the modem lacks is refused
 * here, naming the field — and then the settings that only make sense together.
 */
export function readProfile(own: Record<string, unknown>, overrides: Record<string, unknown> = {}, caps?: Capabilities): TlsProfile {
  const pick = (name: string): unknown => {
    const v = overrides[name];
    return v === undefined || v === null || v === '' ? own[name] : v;
  };
  const value = (name: string): unknown => checked(ruleOf('tls-profile', name), pick(name), caps);
  const verify = value('verify') as VerifyMode;
  const bool = (name: string, fallback: boolean): boolean => (value(name) as boolean | undefined) ?? fallback;
  const text = (name: string): string | undefined => {
    const v = value(name);
    return v === undefined || v === '' ? undefined : String(v);
  };
  const ciphers = value('ciphers') as 'auto' | string[];
  const result: TlsProfile = {
    profile: String(value('profile')),
    verify,
    checkHostname: bool('checkHostname', verify !== 'none'),
    checkDate: bool('checkDate', verify !== 'none'),
    hostname: text('hostname'),
    tlsVersion: value('tlsVersion') as TlsVersionChoice,
    ciphers: ciphers === 'auto' || ciphers.length === 0 ? 'auto' : ciphers,
    sni: bool('sni', true),
    alpn: ((value('alpn') as string[] | undefined) ?? []).map(String),
    ca: text('ca'),
    cert: text('cert'),
    key: text('key'),
    keyPassword: text('keyPassword'),
    psk: text('psk'),
    pskIdentity: text('pskIdentity'),
    vendorOptions: (value('vendorOptions') as Record<string, unknown> | undefined) ?? {},
  };
  // A modem without names (Fibocom: every trust file loaded counts) needs none here, nor one whose
  // profile uses the certificates of its own number (eS-WiFi: a profile is a certificate set).
  const named = caps?.certificates.naming !== 'none' && caps?.profiles.ownCertificates !== true;
  if (named && result.verify !== 'none' && !result.ca && !result.psk) {
    throw parameterError('ca', `verify "${result.verify}" needs the name of a stored CA certificate`);
  }
  if (named && result.verify === 'mutual' && (!result.cert || !result.key)) {
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
