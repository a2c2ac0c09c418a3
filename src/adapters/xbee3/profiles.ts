/**
 * XBee3 TLS profiles `AT$0`..`AT$2`, each `<ca_cert>;<client_cert>;<client_key>` (seeds/000 l. 5–8),
 * and `TL`, the TLS version of every profile.
 *
 * The three levels of the seed (l. 38–44) are the three verify modes: none is `;;` (the default,
 * encrypted but not authenticated, l. 24–25), server names only the CA (l. 41), mutual all three
 * (l. 42). Client authentication alone does not exist (l. 44) and is refused. The module accepts a
 * file name that does not exist and fails only at connect time (l. 29–30), so every name is looked
 * up with `ATFS LS` before `AT$n` is written; a client certificate and key uploaded from here are
 * checked to belong together (l. 22–23). Values are read, compared and written only where they
 * differ, then applied (`AC`) and saved (`WR`).
 *
 * Must never: write a profile that names a missing file or a client identity without a CA.
 */
import type { AtEngine } from '../../at/engine';
import { p } from '../../at/command';
import { parameterError } from '../../at/errors';
import type { TlsProfile } from '../../tls/profile';
import type { ApplyResult } from '../adapter';
import { applyAndSave, ensureRegister, fromHex, hex, readRegister, xbeeCommand } from './commands';
import { filePath, type FilePath, type Xbee3Files } from './files';
import { PROFILES, TLS_VERSION_NAMES, TLS_VERSIONS } from './tables';

/** A profile id 0..2 as a number, or a PARAMETER error naming the field. */
export function profileId(field: string, value: unknown): number {
  return p.int(field, value, PROFILES.ids).value;
}

/** The three names of a profile value (`ca;cert;key`), trimmed; undefined when it is not one. */
export function splitProfile(value: string): [string, string, string] | undefined {
  const parts = value.split(';');
  if (parts.length !== 3) return undefined;
  return parts.map((s) => s.trim()) as [string, string, string];
}

export class Xbee3Profiles {
  constructor(
    private readonly engine: AtEngine,
    private readonly files: Xbee3Files,
  ) {}

  async apply(profile: TlsProfile): Promise<ApplyResult> {
    const id = profileId('profile', profile.profile);
    const warnings: string[] = [];
    const named = (field: 'ca' | 'cert' | 'key'): FilePath | undefined => {
      const v = profile[field];
      return v === undefined || v === '' ? undefined : filePath(field, v);
    };
    const ca = named('ca');
    const cert = named('cert');
    const key = named('key');
    const clientOnly = 'the XBee3 cannot authenticate only the client: a client certificate needs a CA to check the server with (the XBee3 TLS guide)';
    let value: string;
    switch (profile.verify) {
      case 'none':
        if (cert || key) throw parameterError(cert ? 'cert' : 'key', `${clientOnly}; use verify "mutual" with a CA`);
        if (ca) warnings.push(`verify is "none": the CA "${ca.ref}" is not used`);
        value = PROFILES.default;
        warnings.push(`profile ${id} does not authenticate the server (";;", the XBee3 TLS guide): the connection is encrypted but open to a man in the middle — name a CA and use verify "server"`);
        break;
      case 'server':
        if (!ca) throw parameterError('ca', 'verify "server" needs the file name of a self-signed root CA on the module (the XBee3 TLS guide)');
        if (cert || key) throw parameterError(cert ? 'cert' : 'key', 'verify "server" presents no client certificate: use verify "mutual" to send one');
        value = `${ca.ref};;`;
        break;
      case 'mutual':
        if (!ca) throw parameterError('ca', `verify "mutual" needs a CA: ${clientOnly}`);
        if (!cert) throw parameterError('cert', 'verify "mutual" needs the file name of the client certificate (the XBee3 TLS guide)');
        if (!key) throw parameterError('key', 'verify "mutual" needs the file name of the client key, uploaded with load-cert as a secure file (the XBee3 TLS guide)');
        value = `${ca.ref};${cert.ref};${key.ref}`;
        break;
      default:
        throw parameterError('verify', `"${String(profile.verify)}" is not one of none, server, mutual`);
    }
    if (!profile.sni) warnings.push('the XBee3 sends the host name of each connection as SNI and has no setting to leave it out');
    const tls = TLS_VERSIONS[profile.tlsVersion];
    if (!tls) throw parameterError('tlsVersion', `the XBee3 offers ${Object.keys(TLS_VERSIONS).join(', ')} (TL), not "${profile.tlsVersion}"`);
    const certKnown = cert && this.files.knownAt(cert.path);
    const keyKnown = key && this.files.knownAt(key.path);
    if (certKnown && keyKnown && certKnown.publicKey !== keyKnown.publicKey) {
      throw parameterError('key', `"${key!.ref}" does not belong to the certificate "${cert!.ref}" (their public keys differ): the server would refuse the client (the XBee3 TLS guide)`);
    }
    // Command text is checked before the section: nothing is half-written.
    xbeeCommand(`$${id}`, value, { field: 'profile' });
    return this.engine.exclusive(async (at) => {
      const wanted = [ca, cert, key].filter((f): f is FilePath => f !== undefined);
      const missing = await this.files.missing(at, wanted);
      if (missing.length > 0) {
        const field = missing[0] === ca ? 'ca' : missing[0] === cert ? 'cert' : 'key';
        throw parameterError(field, `the module has no file ${missing.map((f) => `"${f.ref}" (${f.path})`).join(', ')}: load it with load-cert first — the module itself would accept the name and fail only when connecting (the XBee3 TLS guide)`);
      }
      let written = 0;
      if (await ensureRegister(at, `$${id}`, value, { field: 'profile', same: (current) => sameProfile(current, value) })) written++;
      const tlBefore = fromHex(await readRegister(at, 'TL'));
      if (tlBefore !== tls.value) {
        await at.send({ line: xbeeCommand('TL', hex(tls.value)) });
        written++;
        warnings.push(`TL is one setting for every profile: the module now uses ${tls.name}${Number.isNaN(tlBefore) ? '' : ` instead of ${TLS_VERSION_NAMES[tlBefore] ?? `TL ${tlBefore}`}`} for all of them`);
      }
      await applyAndSave(at, written);
      if (id === PROFILES.transparent && written > 0) warnings.push('profile 0 is also the one transparent-mode connections use (the XBee3 TLS guide)');
      return { profile: String(id), applied: { command: `AT$${id}`, value, TL: tls.value, tlsVersion: tls.name }, warnings, written };
    });
  }
}

/** Whether the module's profile value is `wanted` (names compared without case, as the module does). */
function sameProfile(current: string, wanted: string): boolean {
  const a = splitProfile(current);
  const b = splitProfile(wanted);
  return !!a && !!b && a.every((x, i) => x.toLowerCase() === b[i].toLowerCase());
}
