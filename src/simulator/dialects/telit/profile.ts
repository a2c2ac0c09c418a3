/**
 * From a secure socket's settings and security data to the `ModemTlsProfile` the TLS stack
 * dials with — what a Telit module would offer and check — and back from a negotiated suite to
 * the number `#SSLS` reports.
 *
 * Owns: that translation (auth mode → verification, `<CipherSuite>` → IANA names, `<version>` →
 * protocol range, each suite offered only for the versions its §12.1 row marks, SNI,
 * `<skipHostMismatch>`). Must never: dial, or report anything to the host.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { ModemTlsProfile } from '../../tls-types';
import { cipherChoice, formatHex } from './configuration';
import { FAIL } from './errors';
import { caCertificates } from './security-data';
import type { SslSlot, TelitDevice } from './state';
import { versionName, versionWithin, type SimulatedPlatform, type SuiteRow, type TlsVersion } from './tables';

type Range = { min: TlsVersion; max: TlsVersion };

/** TLS 1.3 defines its own suites (RFC 8446 §4.1.3): a row marked for TLS 1.3 alone is one. */
const isTls13Suite = (row: SuiteRow): boolean => row.versions.length === 1 && row.versions[0] === 'TLSv1.3';

/**
 * What the ClientHello carries: the suites `<CipherSuite>` selects, each only if its §12.1 row marks
 * a version of the configured range, and the range narrowed to the versions those rows mark — a
 * suite is not offered in a version its row leaves blank (the 2G module proposes RC4_128_MD5 in
 * TLS 1.0 only, line 3042). With nothing left there is no handshake to make: §7 "If for any reason
 * the handshake fails … an ERROR response message appears", 839 in §12.2.
 *
 * `<CipherSuite>` 0 proposes the rows the table gives to 0; on the platforms with TLS 1.3 also the
 * TLS 1.3 suites when `<version>` allows it, since a TLS 1.3 handshake needs one of them and §12.1.7
 * lets `<version>` 4 go with `<CipherSuite>` 0.
 */
function offer(platform: SimulatedPlatform, suite: string, range: Range): { ciphers: string[] } & Range {
  const choice = cipherChoice(platform, suite);
  const candidates = choice === 'all' ? platform.suites.filter((row) => row.zero || (isTls13Suite(row) && range.max === 'TLSv1.3')) : [choice];
  const inRange = (v: TlsVersion): boolean => versionWithin(v, range.min, range.max);
  const fitting = candidates.filter((row) => row.versions.some(inRange));
  if (fitting.length === 0) throw FAIL.sslHandshake();
  const spoken = platform.versions.filter((v) => inRange(v) && fitting.some((row) => row.versions.includes(v)));
  return { ciphers: fitting.map((row) => row.name), min: spoken[0], max: spoken[spoken.length - 1] };
}

/**
 * The protocol range: §6.3 `<version>` "selects the SSL/TLS protocol version" — exactly that one,
 * except on the §6.3.4 platforms, whose `<MinVersion>` opens a range up to it. 2G modules have no
 * #SSLSECCFG2 (§6.3.1) and offer every version of their §12.1.1 table.
 */
function versionRange(platform: SimulatedPlatform, slot: SslSlot): Range {
  const s = slot.settings;
  if (platform.seccfg2 === 'none') return { min: platform.versions[0], max: platform.versions[platform.versions.length - 1] };
  const max = versionName(s.version) ?? 'TLSv1.2';
  const min = platform.seccfg2 === 'version-sni-ca-min' ? (versionName(s.minVersion) ?? max) : max;
  return { min, max };
}

/**
 * The profile #SSLD dials with (§6.2 `<auth_mode>`): 0 verifies nothing; 1 needs the stored CA
 * certificate; 2 also the client certificate and private key. Missing or mismatched data is found
 * here, before any byte goes out, and reported as §12.2's 837.
 */
export function buildProfile(device: TelitDevice, slot: SslSlot, host: string): ModemTlsProfile {
  const platform = device.platform;
  const s = slot.settings;
  const { ciphers, min, max } = offer(platform, s.cipherSuite, versionRange(platform, slot));
  const profile: ModemTlsProfile = {
    verify: s.authMode === 0 ? 'none' : s.authMode === 1 ? 'server' : 'mutual',
    minVersion: min,
    maxVersion: max,
    ciphers,
    // §6.4: SNI is sent only where #SSLSECCFG2 has <SNI> and it is on, and only for a name.
    sni: platform.seccfg2 !== 'none' && platform.seccfg2 !== 'version' && s.sni === 1 && isIP(host) === 0 ? host : false,
  };
  if (s.authMode === 0) return profile;

  const ca = device.securityData(slot, 1);
  if (!ca) throw FAIL.sslCertsKeys();
  profile.ca = caCertificates(ca);
  profile.checkDates = true;
  // §6.7.2/§6.7.3 <skipHostMismatch> "permits to ignore Host Mismatch Alert"; without it the name is checked.
  profile.checkHostname = !(platform.sslcfgExtras.includes('skipHostMismatch') && s.extras.skipHostMismatch === 1);
  if (s.authMode === 1) return profile;

  const cert = device.securityData(slot, 0);
  const key = device.securityData(slot, 2);
  if (!cert || !key) throw FAIL.sslCertsKeys();
  if (!keyMatches(cert.bytes, key.bytes, key.format)) throw FAIL.sslCertsKeys();
  profile.cert = cert.bytes;
  profile.key = key.bytes;
  return profile;
}

function keyMatches(cert: Buffer, key: Buffer, format: 'pem' | 'der'): boolean {
  try {
    const certificate = new X509Certificate(cert);
    const candidates = format === 'pem' ? [{ key, format: 'pem' as const }] : (['pkcs1', 'pkcs8', 'sec1'] as const).map((type) => ({ key, format: 'der' as const, type }));
    return candidates.some((options) => {
      try {
        return certificate.checkPrivateKey(createPrivateKey(options));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * `<cipher_suite>` of `#SSLS: <SSId>,2,<cipher_suite>` (§7.4.1): the platform's own number for the
 * negotiated suite — its decimal selector, or on the hex platforms (§12.1.7, §12.1.8) the hex code
 * when the suite has no selector — and 0 when the platform has no number for it.
 */
export function reportedCipher(platform: SimulatedPlatform, negotiated: string): string {
  const names = [negotiated, negotiated.replace(/^SSL_/, 'TLS_')];
  const row = platform.suites.find((s) => names.includes(s.name));
  if (row?.selector !== undefined) return String(row.selector);
  if (row?.hex !== undefined) return formatHex(row.hex);
  return '0';
}
