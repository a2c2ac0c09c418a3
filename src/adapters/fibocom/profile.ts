/**
 * The Fibocom L610's one SSL configuration (seeds/004; `l. n` is a line of that file): whether the
 * server certificate is verified (+GTSSLMODE, l. 125–152), the protocol version (+GTSSLVER,
 * l. 204–233) and the cipher algorithms offered (+GTSSLCIPHER, l. 237–316) — each read, compared,
 * and written only when it differs.
 *
 * None of it survives a power-down, and the module's own defaults are weak — no verification,
 * TLS 1.0 (l. 150, 231) — so the settings a flow asked for are remembered and checked again,
 * in the same exclusive section, before every connection: a module that restarted meanwhile gets
 * them back instead of connecting unverified.
 *
 * Owns: what a vendor-neutral profile means here (profile 1 only; verify none → mode 0, server and
 * mutual → mode 1; a version pinned; `auto` suites → all 31 IDs), and the warnings about files a
 * profile needs but the module does not hold.
 * Must never: send a command before the whole profile is decided, or leave the section between a
 * read and the write that depends on it.
 */
import { buildCommand, p, readCommand } from '../../at/command';
import type { AtChannel, AtEngine } from '../../at/engine';
import { parameterError } from '../../at/errors';
import type { TlsProfile } from '../../tls/profile';
import type { ApplyResult } from '../adapter';
import { optionValues } from './options';
import type { FileCounts, ModuleRecord, WantedSettings } from './state';
import { CIPHER_IDS, cipherId, cipherName, SSL_VERSION_NAMES, SSL_VERSIONS } from './tables';

/** The integers of a read answer's line after its prefix (`+GTSSLCIPHER: 1,2,3`). */
function numbersOf(lines: readonly string[], prefix: string): number[] {
  const line = lines.find((l) => l.toUpperCase().startsWith(prefix));
  if (!line) return [];
  return (line.slice(prefix.length).match(/\d+/g) ?? []).map(Number);
}

/** The profile id, which can only be 1: the module has one SSL configuration for every connection. */
export function onlyProfile(value: unknown): 1 {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text !== '1') {
    throw parameterError('profile', `the Fibocom L610 has one SSL configuration (+GTSSLMODE, +GTSSLVER, +GTSSLCIPHER serve every connection): profile must be 1, not ${text === undefined ? typeof value : `"${text}"`}`);
  }
  return 1;
}

/** Decides the module's values for `profile`; throws a PARAMETER error before anything is sent. */
export function decideSettings(profile: TlsProfile): WantedSettings {
  onlyProfile(profile.profile);
  optionValues('profiles', profile.vendorOptions);
  const version = SSL_VERSIONS[profile.tlsVersion];
  if (!version) throw parameterError('tlsVersion', `the Fibocom L610 offers TLS 1.0, 1.1 and 1.2 (+GTSSLVER); "${profile.tlsVersion}" is not one of them`);
  let ciphers: number[];
  if (profile.ciphers === 'auto') {
    ciphers = CIPHER_IDS.map((_, i) => i + 1);
  } else {
    ciphers = profile.ciphers.map((name) => {
      const id = cipherId(name);
      if (id === undefined) throw parameterError('ciphers', `${name} is not among the Fibocom L610's cipher algorithms (+GTSSLCIPHER IDs 1..31)`);
      return id;
    });
    ciphers = [...new Set(ciphers)].sort((a, b) => a - b);
  }
  return { mode: profile.verify === 'none' ? 0 : 1, version: version.value, ciphers };
}

export class FibocomSettings {
  constructor(
    private readonly engine: AtEngine,
    private readonly record: ModuleRecord,
    /** The file counts, reconciled (a restart they reveal is handled by the caller). */
    private readonly counts: (at: AtChannel) => Promise<FileCounts>,
  ) {}

  async apply(profile: TlsProfile): Promise<ApplyResult> {
    const wanted = decideSettings(profile);
    return this.engine.exclusive(async (at) => {
      const counts = await this.counts(at);
      const written = await this.write(at, wanted);
      this.record.settings = wanted;
      const warnings: string[] = [];
      if (wanted.mode === 1 && counts.TRUSTFILE === 0) {
        warnings.push('no trust certificate (TRUSTFILE) is loaded: connections fail with -11 until load-cert loads the CA that signed the server');
      }
      if (profile.verify === 'mutual' && (counts.CERTFILE === 0 || counts.KEYFILE === 0)) {
        warnings.push(`mutual TLS needs a client certificate and key loaded (the module holds ${counts.CERTFILE} CERTFILE and ${counts.KEYFILE} KEYFILE): load them with load-cert`);
      }
      if (profile.verify === 'server' && counts.CERTFILE > 0 && counts.KEYFILE > 0) {
        warnings.push('the module holds a client certificate and key: it presents them to every server that asks, whatever the profile says');
      }
      return {
        profile: '1',
        applied: {
          profile: 1,
          checkmode: wanted.mode,
          sslver: wanted.version,
          tlsVersionName: SSL_VERSION_NAMES[wanted.version],
          ciphers: wanted.ciphers.map((id) => cipherName(id)),
          cipherIds: wanted.ciphers,
        },
        warnings,
        written,
      };
    });
  }

  /**
   * Before a connection: the settings asked for are on the module (read, compared, rewritten
   * where a restart or a raw command changed them). Returns what the module verifies with.
   */
  async ensure(at: AtChannel): Promise<{ mode: number; written: number }> {
    const wanted = this.record.settings;
    if (!wanted) {
      // No profile applied since the module started: its own settings stand, but never below TLS 1.2 —
      // its default, TLS 1.0, is obsolete, and its default suites exist in TLS 1.2 only.
      const mode = numbersOf((await at.send({ line: readCommand('+GTSSLMODE'), responsePrefixes: ['+GTSSLMODE:'] })).lines, '+GTSSLMODE:')[0] ?? 0;
      const version = numbersOf((await at.send({ line: readCommand('+GTSSLVER'), responsePrefixes: ['+GTSSLVER:'] })).lines, '+GTSSLVER:')[0];
      if (version === 4) return { mode, written: 0 };
      await at.send({ line: buildCommand('+GTSSLVER', [p.int('sslver', 4)]) });
      return { mode, written: 1 };
    }
    const written = await this.write(at, wanted);
    return { mode: wanted.mode, written };
  }

  /** Read, compare, write: +GTSSLMODE, +GTSSLVER, then the cipher IDs that differ. */
  private async write(at: AtChannel, wanted: WantedSettings): Promise<number> {
    let written = 0;
    const mode = numbersOf((await at.send({ line: readCommand('+GTSSLMODE'), responsePrefixes: ['+GTSSLMODE:'] })).lines, '+GTSSLMODE:')[0];
    if (mode !== wanted.mode) {
      await at.send({ line: buildCommand('+GTSSLMODE', [p.int('checkmode', wanted.mode, { min: 0, max: 1 })]) });
      written++;
    }
    const version = numbersOf((await at.send({ line: readCommand('+GTSSLVER'), responsePrefixes: ['+GTSSLVER:'] })).lines, '+GTSSLVER:')[0];
    if (version !== wanted.version) {
      await at.send({ line: buildCommand('+GTSSLVER', [p.int('sslver', wanted.version, { min: 1, max: 4 })]) });
      written++;
    }
    // `+GTSSLCIPHER: <enabled ids>`, or only OK when none is enabled (l. 249–254).
    const enabled = new Set(numbersOf((await at.send({ line: readCommand('+GTSSLCIPHER'), responsePrefixes: ['+GTSSLCIPHER:'] })).lines, '+GTSSLCIPHER:'));
    const want = new Set(wanted.ciphers);
    // Enable first, then disable: the module never holds an empty list (its hidden defaults) on the way.
    for (const id of wanted.ciphers) {
      if (enabled.has(id)) continue;
      await at.send({ line: buildCommand('+GTSSLCIPHER', [p.int('cipalgID', id, { min: 1, max: 31 }), p.int('cmd', 1)]) });
      written++;
    }
    for (const id of [...enabled].sort((a, b) => a - b)) {
      if (want.has(id) || id < 1 || id > 31) continue;
      await at.send({ line: buildCommand('+GTSSLCIPHER', [p.int('cipalgID', id, { min: 1, max: 31 }), p.int('cmd', 0)]) });
      written++;
    }
    return written;
  }
}
