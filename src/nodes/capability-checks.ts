/**
 * The checks load-cert and tls-profile make against the modem's capabilities before they
 * call the adapter, so a request the modem cannot take is refused with the field and the
 * limit named, and nothing is half-written. Adapters check again; these give the words a
 * user of the editor recognises.
 *
 * Must never: know a vendor — everything comes from `Capabilities`.
 */
import { p } from '../at/command';
import { parameterError } from '../at/errors';
import type { Capabilities } from '../adapters/adapter';
import { vendorOptionValues } from '../adapters/checks';
import type { Rule } from '../adapters/rules';
import { encodeSecurityData, type CertType, type DataFormat, type ParsedSecurityData } from '../tls/certificates';
import type { TlsProfile } from '../tls/profile';
import { idIn } from './adapter-node';

const CERT_TYPES: readonly CertType[] = ['ca', 'cert', 'key'];

export function checkCertType(caps: Capabilities, value: unknown): CertType {
  const certType = String(value ?? '').trim() as CertType;
  if (!CERT_TYPES.includes(certType)) throw parameterError('certType', `"${certType}" is not one of ca, cert, key`);
  if (!caps.certificates.types.includes(certType)) {
    throw parameterError('certType', `${caps.label} does not store "${certType}" items (it takes ${caps.certificates.types.join(', ')})`);
  }
  return certType;
}

/** A slot number within range, or a name matching the vendor's pattern. */
export function checkCertName(caps: Capabilities, field: string, value: unknown): string {
  const c = caps.certificates;
  if (c.naming === 'slot') {
    const slots = c.slots ?? { min: 0, max: Number.MAX_SAFE_INTEGER };
    return idIn(field, value, slots, c.nameHint ?? 'slot number');
  }
  const name = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (name === '') throw parameterError(field, `is required (${c.nameHint ?? 'the name the modem stores it under'})`);
  // The characters a command parameter may hold, named when one is not (before the vendor's own pattern).
  p.str(field, name);
  if (c.namePattern && !c.namePattern.test(name)) {
    throw parameterError(field, `"${name}" is not a name ${caps.label} takes (${c.nameHint ?? String(c.namePattern)})`);
  }
  return name;
}

export function checkFormat(caps: Capabilities, value: unknown): DataFormat | 'auto' {
  const format = String(value ?? 'auto').trim().toLowerCase() || 'auto';
  if (format === 'auto') return 'auto';
  if (format !== 'pem' && format !== 'der') throw parameterError('format', `"${format}" is not one of auto, pem, der`);
  if (!caps.certificates.formats.includes(format)) {
    throw parameterError('format', `${caps.label} takes ${caps.certificates.formats.map((f) => f.toUpperCase()).join(' or ')} only, not ${format.toUpperCase()}`);
  }
  return format;
}

/**
 * Size and key algorithm. The size is the smallest encoding the adapter could send (a key
 * may go as PKCS#1 or PKCS#8), so nothing that fits is refused; the adapter checks the exact one.
 */
export function checkSecurityData(caps: Capabilities, parsed: ParsedSecurityData, format: DataFormat | 'auto'): void {
  const c = caps.certificates;
  if (parsed.kind === 'key' && !c.keyAlgorithms.includes(parsed.algorithm)) {
    throw parameterError('msg.payload', `is an ${parsed.algorithm.toUpperCase()} private key; ${caps.label} takes ${c.keyAlgorithms.map((a) => a.toUpperCase()).join(', ')} keys`);
  }
  const formats = format === 'auto' ? c.formats : [format];
  let best: { format: DataFormat; bytes: number } | null = null;
  for (const f of formats) {
    const variants = parsed.kind === 'key' && parsed.algorithm === 'rsa' ? [true, false] : [false];
    for (const rsaPkcs1 of variants) {
      const bytes = encodeSecurityData(parsed, f, { rsaPkcs1 }).length;
      if (!best || bytes < best.bytes) best = { format: f, bytes };
    }
  }
  if (best && best.bytes > c.maxBytes) {
    throw parameterError('msg.payload', `is ${best.bytes} bytes as ${best.format.toUpperCase()}; ${caps.label} stores at most ${c.maxBytes} bytes per item`);
  }
}

/**
 * Checks a profile against what the modem offers. Returns warnings for what the modem will
 * do differently without harm to security guarantees the user asked for, each with the topic
 * it is about (so an adapter's own warning on the same topic is not repeated).
 */
export function checkProfile(caps: Capabilities, profile: TlsProfile): Array<{ topic: RegExp; text: string }> {
  const pc = caps.profiles;
  const label = caps.label;
  const warnings: Array<{ topic: RegExp; text: string }> = [];
  idIn('profile', profile.profile, pc.ids, 'profile id');
  if (!pc.verify.includes(profile.verify)) {
    throw parameterError('verify', `${label} cannot verify "${profile.verify}" (it offers ${pc.verify.join(', ')})`);
  }
  if (profile.verify === 'none') {
    warnings.push({ topic: /verify/i, text: 'verify "none": the server is not authenticated; anyone on the path can read and change the data' });
  } else {
    if (!profile.checkHostname && pc.checkHostname === 'always') {
      throw parameterError('checkHostname', `${label} always checks the host name; it cannot be turned off`);
    }
    if (!profile.checkDate && pc.checkDate === 'always') {
      throw parameterError('checkDate', `${label} always checks certificate dates; keep the modem clock right instead (clockSync in the modem config)`);
    }
    if (profile.checkHostname && pc.checkHostname === 'never') {
      warnings.push({ topic: /host ?name/i, text: `${label} does not check that the certificate names the host` });
    }
    if (profile.checkDate && pc.checkDate === 'never') {
      warnings.push({ topic: /date/i, text: `${label} does not check certificate dates` });
    }
  }
  // A modem that offers only `auto` negotiates by itself; its adapter says what it does.
  const selectable = pc.tlsVersions.filter((v) => v !== 'auto');
  if (profile.tlsVersion !== 'auto' && selectable.length > 0 && !pc.tlsVersions.includes(profile.tlsVersion)) {
    throw parameterError('tlsVersion', `${label} cannot select TLS ${profile.tlsVersion} (it offers ${pc.tlsVersions.join(', ')})`);
  }
  if (profile.ciphers !== 'auto') {
    if (pc.cipherSelection === 'none') throw parameterError('ciphers', `${label} cannot select cipher suites: use auto`);
    if (pc.cipherSelection === 'one' && profile.ciphers.length > 1) {
      throw parameterError('ciphers', `${label} takes every suite it has (auto) or exactly one; ${profile.ciphers.length} were given`);
    }
    const unknown = profile.ciphers.filter((suite) => !pc.ciphers.includes(suite));
    if (unknown.length > 0) {
      throw parameterError('ciphers', `${label} cannot select ${unknown.join(', ')}; it offers ${pc.ciphers.join(', ')}`);
    }
  }
  if (profile.alpn.length > 0 && !pc.alpn) throw parameterError('alpn', `${label} does not offer ALPN; leave it empty`);
  if ((profile.psk || profile.pskIdentity) && !pc.psk) throw parameterError('psk', `${label} does not offer pre-shared keys; leave PSK and identity empty`);
  if (profile.keyPassword && !pc.keyPassword) {
    throw parameterError('keyPassword', `${label} stores private keys unencrypted: give the password to load-cert, which decrypts the key before writing it`);
  }
  if (profile.sni && !pc.sni) warnings.push({ topic: /SNI/, text: `${label} does not send SNI (the server name)` });
  checkVendorOptions(profile.vendorOptions, pc.vendorOptions, label);
  for (const field of ['ca', 'cert', 'key'] as const) {
    if (profile[field] !== undefined) checkCertName(caps, field, profile[field]);
  }
  return warnings;
}

/** Vendor options checked against the rows the capabilities list for this operation (unknown keys and bad values are refused, naming them). */
export function checkVendorOptions(options: Record<string, unknown>, rules: readonly Rule[], label: string): Record<string, unknown> {
  return vendorOptionValues(rules, options, label);
}
