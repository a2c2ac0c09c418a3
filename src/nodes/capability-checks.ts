/**
 * The checks load-cert and tls-profile make against the modem's capabilities that no single
 * option's row can make — the size of what would be sent, settings that only make sense
 * together, features a modem lacks — before they call the adapter, so a request the modem
 * cannot take is refused with the field and the limit named, and nothing is half-written.
 * Each value on its own was checked against its row already (`adapters/operations.ts`).
 *
 * Must never: know a vendor — everything comes from `Capabilities`.
 */
import { parameterError } from '../at/errors';
import type { Capabilities } from '../adapters/adapter';
import { encodeSecurityData, type DataFormat, type ParsedSecurityData } from '../tls/certificates';
import type { TlsProfile } from '../tls/profile';

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
  if (profile.sni && !pc.sni) warnings.push({ topic: /SNI/, text: `${label} does not send SNI (the server name)` });
  return warnings;
}
