/**
 * The Fibocom L610 adapter: the vendor-neutral operations on an L610. SSL files are `files.ts`
 * (+GTSSLFILE), the one SSL configuration `profile.ts` (+GTSSLMODE, +GTSSLVER, +GTSSLCIPHER),
 * connections `sockets.ts` (+MIP*) — seeds/004 and, for the +MIP syntax, the sources `tables.ts`
 * names. The clock is the 3GPP TS 27.007 one every cellular module shares (`../cellular`).
 *
 * The L610 forgets everything SSL at power-down (seeds/004 l. 121). So the adapter watches for a
 * restart — the `+SIM READY` the module prints when it has started, or file counts lower than
 * what was loaded — and before every connection, in the connection's own exclusive section, it
 * makes the module what the flows asked for: kept files loaded again, the SSL settings written
 * again where they differ, the clock set (clockSync), the data connection up (+MIPCALL).
 *
 * Owns: what the L610 can do (`fibocomCapabilities`), bringing it up, the restart, and which part
 * handles each operation and URC.
 * Must never: send a command that belongs to one of the parts, or let an operation of several
 * commands leave its exclusive section.
 */
import { EventEmitter } from 'node:events';
import { buildCommand, p, readCommand } from '../../at/command';
import type { AtChannel, AtEngine, Urc } from '../../at/engine';
import { ModemError } from '../../at/errors';
import type { CertType } from '../../tls/certificates';
import type { TlsProfile } from '../../tls/profile';
import type {
  ApplyResult,
  Capabilities,
  CloseRequest,
  DecodedError,
  ModemAdapter,
  OpenRequest,
  RemoveRequest,
  SocketInfo,
  StoredSecurityData,
  UploadRequest,
  UploadResult,
} from '../adapter';
import { readModemClock, setModemClock } from '../cellular/clock';
import type { AdapterOptions } from '../vendor';
import { decodeFibocomError } from './errors';
import { FibocomFiles } from './files';
import { optionRows } from './options';
import { FibocomSettings } from './profile';
import { FibocomSockets } from './sockets';
import { moduleRecord, type ModuleRecord } from './state';
import { CIPHER_IDS, GTSSLFILE, IPRFMT, MIPCALL, SOCKETS } from './tables';
import { receiveFormat } from './transfer';

export interface FibocomAdapterOptions extends AdapterOptions {
  now?: () => Date;
}

/** What the L610 can do, from the manual alone (the editor asks before any modem is deployed). */
export function fibocomCapabilities(platform?: string): Capabilities {
  return {
    vendor: 'fibocom',
    ...(platform ? { platform } : {}),
    label: platform ? `Fibocom ${platform}` : 'Fibocom L610',
    profiles: {
      // One SSL configuration for every connection.
      ids: { min: 1, max: 1 },
      verify: ['none', 'server', 'mutual'],
      // +GTSSLMODE 1 checks the chain and the dates (Example 3); no host-name check is documented.
      checkHostname: 'never',
      checkDate: 'always',
      tlsVersions: ['auto', '1.0', '1.1', '1.2'],
      ciphers: CIPHER_IDS,
      cipherSelection: 'many',
      sni: false,
      hostname: false,
      alpn: false,
      psk: false,
      keyPassword: false,
      vendorOptions: optionRows('profiles'),
    },
    certificates: {
      types: ['ca', 'cert', 'key'],
      // The module has no names: a name is a label for lists and messages, and may be left empty.
      naming: 'none',
      nameHint: 'optional: a label only (the module keeps files by type, not by name)',
      maxBytes: GTSSLFILE.length.max,
      maxItems: GTSSLFILE.maxFiles.TRUSTFILE + 2,
      formats: ['pem'],
      verification: 'count',
      oneTimeProgrammable: false,
      keyAlgorithms: ['rsa', 'ec'],
      vendorOptions: optionRows('certificates'),
    },
    sockets: {
      ids: { ...SOCKETS.ids },
      maxConcurrent: SOCKETS.ids.max,
      modes: ['command'],
      maxSendChunk: SOCKETS.maxChunk,
      maxReceiveChunk: SOCKETS.maxChunk,
      push: true,
      openOptions: optionRows('open'),
      closeOptions: optionRows('close'),
    },
  };
}

export class FibocomAdapter extends EventEmitter implements ModemAdapter {
  readonly vendor = 'fibocom' as const;
  private readonly record: ModuleRecord;
  private readonly files: FibocomFiles;
  private readonly settings: FibocomSettings;
  private readonly sockets: FibocomSockets;
  /** Waiting for `+MIPCALL: <ip>` or `+MIPCALL: 0` after an activation: its outcome, or a failure (restart, lost link). */
  private activation: { settle(outcome: string | Error): void } | null = null;
  /** An activation started at bring-up and not waited for there: the next open waits for it. */
  private activating: Promise<void> | null = null;
  /** Brought up at least once: a `+SIM READY` after that is a restart. */
  private prepared = false;

  constructor(
    private readonly engine: AtEngine,
    private readonly options: FibocomAdapterOptions = {},
  ) {
    super();
    // tls-recv and tls-open nodes each listen for data and closes: many listeners are expected.
    this.setMaxListeners(0);
    this.record = moduleRecord(options.endpoint, options.stateDir);
    this.files = new FibocomFiles(engine, this.record, (why) => this.lostEverything(why));
    this.settings = new FibocomSettings(engine, this.record, (at) => this.files.sync(at));
    this.sockets = new FibocomSockets(engine, { events: this, beforeOpen: (at) => this.beforeOpen(at), epoch: () => this.record.epoch, clockSync: options.clockSync === true });
    engine.on('urc', (urc: Urc) => this.onUrc(urc));
    // The engine closed (redeploy, shutdown): nothing waits for the module any more.
    engine.on('closed', (reason: string) => this.stopWaiting(reason));
    // A line too long was dropped while connections were open: it may have been their data.
    engine.on('overflow', () => {
      if (this.sockets.openCount > 0) this.sockets.abandonAll('received data was lost: the module sent a line longer than this package reads (+MIPRTCP)');
    });
  }

  capabilities(): Capabilities {
    return fibocomCapabilities(this.options.platform);
  }

  async prepare(at?: AtChannel): Promise<void> {
    if (!at) return this.engine.exclusive((channel) => this.prepare(channel));
    // What ended meanwhile keeps its reason (a restart, a lost link): a later send on it says why.
    this.sockets.endAll('the modem was brought up again');
    await this.sockets.closeOrphans(at);
    // Whether the module restarted since it was last seen (a redeploy keeps the record).
    await this.files.sync(at).catch((err: ModemError) => {
      // A module that does not take the SSL commands still serves raw commands: say so, do not block it.
      if (err.kind !== 'FINAL' && err.kind !== 'CME') throw err;
      this.emit('warning', `the module did not answer AT+GTSSLFILE? (${err.message}): its SSL files cannot be followed — is it an L610 with the SSL commands?`);
    });
    this.prepared = true;
    await this.chooseReceiveFormat(at);
    if (this.options.clockSync) await setModemClock(at, this.now());
    if (this.options.apn) await this.startNetwork(at);
  }

  /**
   * How received data comes (`AT+GTSET="IPRFMT",<n>`), set whatever an earlier program left (the
   * setting survives a power-down): read mode, which moves bulk data at one byte on the line per
   * byte (`transfer.ts`); when the module refuses it, hex +MIPRTCP, its factory format. Format 1
   * gives bare bytes (no socket, no length); format 2 puts raw bytes behind a `+MIPRTCP:` header
   * that reads exactly like the hex one, and the dialect's framing is fixed, so a module left in
   * format 0 could not be told apart from one in format 2.
   */
  private async chooseReceiveFormat(at: AtChannel): Promise<void> {
    const formats = [...new Set([receiveFormat(), IPRFMT.hex])];
    this.sockets.readMode = false;
    for (const [i, format] of formats.entries()) {
      try {
        await at.send({ line: buildCommand('+GTSET', [p.str('option', 'IPRFMT'), p.int('format', format)]) });
        this.sockets.readMode = format === IPRFMT.read;
        return;
      } catch (err) {
        const e = err as ModemError;
        if (e.kind !== 'FINAL' && e.kind !== 'CME') throw err;
        if (i === formats.length - 1) this.emit('warning', `the module refused AT+GTSET="IPRFMT",${format} (${e.message}): received data is read only if it comes as hex in +MIPRTCP`);
      }
    }
  }

  forgetConnections(reason: string): void {
    // The module may still hold the sockets: they are closed on it at the next bring-up.
    this.stopWaiting(`the link to the modem was lost: ${reason}`, true);
  }

  /** Every wait for a URC ends: the activation's, and the opens' and closes' (in `sockets`). */
  private stopWaiting(reason: string, orphaned = false): void {
    this.sockets.endAll(reason, orphaned);
    this.activation?.settle(new ModemError({ kind: 'LINK_DOWN', vendor: 'fibocom', message: reason }));
  }

  /**
   * At bring-up: the data connection started when it is not active, without waiting for the
   * network (which may take minutes): uploads and profiles need none, and the next open waits for it.
   */
  private async startNetwork(at: AtChannel): Promise<void> {
    try {
      const started = await this.activate(at);
      if (!started) return;
      // The next open waits for this very outcome, and fails with it.
      const outcome = started.outcome;
      this.activating = outcome;
      outcome
        .catch((err: ModemError) => {
          if (err.kind !== 'LINK_DOWN' && err.kind !== 'CLOSED') this.emit('warning', `the data connection did not come up: ${err.message}`);
        })
        .finally(() => {
          if (this.activating === outcome) this.activating = null;
        });
    } catch (err) {
      // Not fatal at start-up: the next open tries again and reports it to its flow.
      const e = err as ModemError;
      if (e.kind === 'LINK_DOWN' || e.kind === 'CLOSED') throw err;
      this.emit('warning', `the data connection did not come up: ${e.message}`);
    }
  }

  closeAll(): Promise<void> {
    return this.sockets.closeAll();
  }

  uploadSecurityData(request: UploadRequest): Promise<UploadResult> {
    return this.files.upload(request);
  }

  removeSecurityData(certType: CertType, _name: string, _request?: RemoveRequest): Promise<void> {
    return this.files.remove(certType);
  }

  listSecurityData(): Promise<StoredSecurityData[]> {
    return this.files.list();
  }

  applyProfile(profile: TlsProfile): Promise<ApplyResult> {
    return this.settings.apply(profile);
  }

  openSocket(request: OpenRequest): Promise<SocketInfo> {
    return this.sockets.open(request);
  }

  send(socket: string, data: Buffer): Promise<number> {
    return this.sockets.send(socket, data);
  }

  receive(socket: string, maxBytes: number, timeoutMs?: number): Promise<Buffer> {
    return this.sockets.receive(socket, maxBytes, timeoutMs);
  }

  /** In read mode announced data stays in the module while held (+MIPREAD noted, no AT+MIPREAD); in the factory hex push format, false. */
  holdReceive(socket: string, hold: boolean): boolean {
    return this.sockets.holdReceive(socket, hold);
  }

  closeSocket(socket: string, request?: CloseRequest): Promise<void> {
    return this.sockets.close(socket, request);
  }

  /** `+CCLK?` → `+CCLK: "yy/MM/dd,hh:mm:ss±zz"` (3GPP TS 27.007 §8.15). */
  modemClock(): Promise<Date | undefined> {
    return readModemClock(this.engine);
  }

  decodeError(error: { code?: string | number; line?: string; command?: string }): DecodedError {
    return decodeFibocomError(error);
  }

  /**
   * Inside an open's section: a restart's losses made good, the settings asked for on the module,
   * the clock set, the data connection up. Throws, naming what is missing, when a file a
   * restart took cannot come back.
   */
  private async beforeOpen(at: AtChannel): Promise<{ mode: number; epoch: number }> {
    const counts = await this.files.sync(at);
    const epoch = this.record.epoch;
    const { done: reloaded } = await this.files.reloadKept(at, counts);
    for (const line of reloaded) this.emit('warning', line);
    const { mode } = await this.settings.ensure(at);
    if (mode === 0 && !this.record.settings) {
      this.emit('warning', 'the module does not verify the server (+GTSSLMODE 0, its default) and no tls-profile was applied since it started: apply one with verify "server"');
    }
    if (mode === 1 && this.record.lost.length > 0 && this.record.count('TRUSTFILE') === 0) {
      const names = this.record.lost.map((f) => `"${f.name}"`).join(', ');
      throw new ModemError({
        kind: 'PARAMETER',
        vendor: 'fibocom',
        field: 'ca',
        message: `the module restarted${this.record.restartedAt ? ` (seen ${this.record.restartedAt.toISOString()})` : ''} and lost its SSL files (${names}), which were not kept loaded (or were loaded before Node-RED itself restarted, and their text is never noted): load them again with load-cert — vendorOptions.keepLoaded true reloads a file by itself after a restart of the module`,
      });
    }
    if (this.options.clockSync) await setModemClock(at, this.now());
    // An activation started at bring-up: its outcome first (a failure is the open's to report).
    if (this.activating) await this.activating;
    const started = await this.activate(at);
    if (started) await started.outcome;
    return { mode, epoch };
  }

  /**
   * The data connection: `AT+MIPCALL?` → `+MIPCALL: <state>[,<ip>]`; when inactive,
   * `AT+MIPCALL=1,"<APN>"[,"<user>","<password>"]` → `OK`, then `+MIPCALL: <ip>` (seeds/004 l. 442–446).
   * Returns null when it is active already, else the outcome to wait for (the URC).
   */
  private async activate(at: AtChannel): Promise<{ outcome: Promise<void> } | null> {
    const state = await at.send({ line: readCommand('+MIPCALL'), responsePrefixes: ['+MIPCALL:'] });
    const active = state.lines.some((l) => /^\+MIPCALL: ?1\b/.test(l));
    if (active) return null;
    const apn = this.options.apn;
    if (!apn) {
      throw new ModemError({ kind: 'PARAMETER', vendor: 'fibocom', field: 'apn', message: 'apn: the data connection is not active (AT+MIPCALL? says 0) and no APN is configured in the modem config' });
    }
    const credentials = this.options.apnUser || this.options.apnPassword
      ? [p.str('apnUser', this.options.apnUser ?? '', { maxLength: MIPCALL.credentialMaxLength }), p.str('apnPassword', this.options.apnPassword ?? '', { maxLength: MIPCALL.credentialMaxLength, secret: true })]
      : [];
    const line = buildCommand('+MIPCALL', [p.int('operation', 1), p.str('apn', apn, { maxLength: MIPCALL.apnMaxLength }), ...credentials]);
    const outcome = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => settle(new ModemError({ kind: 'TIMEOUT', vendor: 'fibocom', command: line.display, message: `${line.display}: no +MIPCALL outcome within ${MIPCALL.timeoutMs / 1000} s` })), MIPCALL.timeoutMs);
      timer.unref();
      const settle = (result: string | Error): void => {
        clearTimeout(timer);
        if (this.activation?.settle === settle) this.activation = null;
        if (result instanceof Error) reject(result);
        else if (result === '' || result === '0') {
          reject(new ModemError({ kind: 'FINAL', vendor: 'fibocom', code: '+MIPCALL: 0', command: line.display, line: '+MIPCALL: 0', message: `${line.display}: the data connection did not come up (+MIPCALL: 0) — check the APN, user and password, the SIM and the registration` }));
        } else resolve();
      };
      this.activation = { settle };
    });
    // A caller that stops waiting (a failed open) must not leave the rejection unheard.
    outcome.catch(() => undefined);
    try {
      // The outcome is a URC of the command's name, which may come before the OK as well as after it.
      await at.send({ line, timeoutMs: 20000, nameIsUrc: true });
    } catch (err) {
      this.activation?.settle(err as Error);
      throw err;
    }
    return { outcome };
  }

  /** The module restarted: connections end, files are gone (the record says which come back). */
  private lostEverything(why: string): void {
    this.sockets.endAll(why);
  }

  private onUrc(urc: Urc): void {
    if (this.sockets.onUrc(urc)) return;
    if (urc.name === '+MIPCALL') {
      const address = String((urc.fields as { address?: string }).address ?? '');
      if (this.activation) {
        this.activation.settle(address);
      } else if (address === '0') {
        // The data connection ended by itself: every connection over it is gone.
        this.sockets.endAll('the data connection ended (+MIPCALL: 0)');
      }
      return;
    }
    if (urc.name === '+SIM READY' && this.prepared) {
      // The module printed its start-up line: it restarted, and its connections with it. An open
      // under way must not go on (what it made ready is gone). The module is brought up again
      // (echo is back on); the file counts then tell what else it lost.
      this.record.epoch++;
      this.stopWaiting('the module restarted (+SIM READY)');
      // A command waiting for its answer (a +MIPSEND for its prompt, say) will never get one.
      this.engine.abandonCurrent('the module restarted (+SIM READY) before it answered');
      this.emit('restarted', 'the module restarted (+SIM READY)');
    }
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}
