/**
 * From a secure socket's settings and security data to the `ModemTlsProfile` the TLS stack
 * dials with — what a Telit module would offer and check — and back from a negotiated suite to
 * the number `#SSLS` reports.
 *
 * Owns: that translation (auth mode → verification, `<CipherSuite>` → IANA names, `<version>` →
 * protocol range, SNI, `<skipHostMismatch>`). Must never: dial, or report anything to the host.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { TELIT_TLS_VERSIONS, type TelitPlatform } from '../../../adapters/telit/platforms';
import type { ModemTlsProfile } from '../../tls-types';
import { cipherCode, formatHex } from './configuration';
import { FAIL } from './errors';
import { caCertificates } from './security-data';
import type { SslSlot, TelitDevice } from './state';

/** TLS 1.3 suites by their codes (§12.1.6, §12.1.7), offered with `<CipherSuite>` 0 when 1.3 is on. */
const TLS13_CODES = [0x1301, 0x1302, 0x1303];

function ciphersFor(platform: TelitPlatform, suite: string, maxVersion: string): string[] {
  const code = cipherCode(platform, suite);
  if (code !== 0) return [platform.cipherSuites[code]];
  const suites = [...platform.defaultSuites];
  if (maxVersion === 'TLSv1.3') {
    for (const c of TLS13_CODES) if (platform.cipherSuites[c] && !suites.includes(platform.cipherSuites[c])) suites.push(platform.cipherSuites[c]);
  }
  return suites;
}

/**
 * The protocol range: §6.3 `<version>` "selects the SSL/TLS protocol version" — exactly that one,
 * except on the §6.3.4 platforms, whose `<MinVersion>` opens a range up to it. 2G modules have no
 * #SSLSECCFG2 (§6.3.1) and offer every version of their §12.1.1 table.
 */
function versionRange(platform: TelitPlatform, slot: SslSlot): { min: ModemTlsProfile['minVersion']; max: ModemTlsProfile['maxVersion'] } {
  const s = slot.settings;
  if (platform.seccfg2 === 'none') return { min: platform.versions[0], max: platform.versions[platform.versions.length - 1] };
  const max = TELIT_TLS_VERSIONS[s.version];
  const min = platform.seccfg2 === 'version-sni-ca-min' ? TELIT_TLS_VERSIONS[s.minVersion] : max;
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
  const { min, max } = versionRange(platform, slot);
  const profile: ModemTlsProfile = {
    verify: s.authMode === 0 ? 'none' : s.authMode === 1 ? 'server' : 'mutual',
    minVersion: min,
    maxVersion: max,
    ciphers: ciphersFor(platform, s.cipherSuite, max ?? 'TLSv1.2'),
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
export function reportedCipher(platform: TelitPlatform, negotiated: string): string {
  const names = [negotiated, negotiated.replace(/^SSL_/, 'TLS_')];
  const codes = Object.entries(platform.cipherSuites)
    .filter(([, name]) => names.includes(name))
    .map(([code]) => Number(code))
    .sort((a, b) => a - b);
  if (codes.length === 0) return '0';
  return codes[0] > 0x1f ? formatHex(codes[0]) : String(codes[0]);
}
