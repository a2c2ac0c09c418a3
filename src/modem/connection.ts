/**
 * A connected modem: one link, one AT engine, one vendor dialect, and the life cycle
 * that ties them together (open, bring the modem into a known state, reopen after a
 * drop, close).
 *
 * Owns: the modem's status as users see it, when operations may start (`whenReady`: not
 * before the modem has been brought up, and not for longer than `readyTimeoutMs`), the
 * raw-command path shared by every flow, and an orderly stop (connections closed first).
 * Must never: know Node-RED (the config node wraps it) or a vendor command (the dialect
 * and adapters supply them).
 */
import { EventEmitter } from 'node:events';
import { createAdapter, dialectOf, isVendor, validateVendorSettings, vendorRecord, VENDORS, type VendorDialect, type VendorId } from '../adapters';
import { checkSimPin, unlockSim, type SimMemory } from '../adapters/cellular/sim';
import type { ModemAdapter } from '../adapters/adapter';
import type { WifiOptions } from '../adapters/vendor';
import { AtEngine, type AtChannel, type AtResponse, type TraceEntry, type Urc } from '../at/engine';
import { checkRawCommand } from '../at/command';
import { ModemError, parameterError } from '../at/errors';
import { redactSecretAnswer } from '../at/secrets';
import { createLink, validateLinkOptions } from '../link';
import type { Link, LinkOptions, LinkStatus } from '../link/types';

export type ModemState = 'connecting' | 'initialising' | 'ready' | 'reconnecting' | 'not-responding' | 'closed';

export interface ModemStatus {
  state: ModemState;
  /** Short text for a node status, e.g. `ready`, `reconnecting in 4 s: serial port /dev/ttyUSB0 not found`. */
  text: string;
  endpoint: string;
}

export interface ModemConnectionOptions {
  vendor: VendorId;
  /** Vendor platform, e.g. the Telit platform ID `30`. */
  platform?: string;
  link: LinkOptions;
  /** Access point name for the cellular data connection (used by the vendor adapters). */
  apn?: string;
  /** Set the modem clock from this host after connecting (certificate dates are judged against it). */
  clockSync?: boolean;
  /** Credentials of the data connection (secrets: never logged). */
  apnUser?: string;
  apnPassword?: string;
  /** The SIM's PIN, given when the SIM asks for it at each bring-up (a secret: never logged). Cellular modules only. */
  simPin?: string;
  /** The Wi-Fi network a Wi-Fi module joins (its passphrase is a secret: never logged). */
  wifi?: WifiOptions;
  /** Extra commands sent after the dialect's own, every time the modem (re)connects. */
  initCommands?: readonly string[];
  /** A folder where the adapter may note what must outlive this process (Node-RED's user directory, below it). */
  stateDir?: string;
  /** Default per-command timeout (ms). */
  commandTimeoutMs?: number;
  trace?: (entry: TraceEntry) => void;
  /** Delay before trying again to bring up a modem that did not answer (ms). */
  retryInitMs?: number;
  /** Resynchronisation settings forwarded to the engine. */
  resync?: { attempts?: number; waitMs?: number; quietMs?: number };
  /**
   * How long an operation that arrives while the modem is not ready (connecting, being brought
   * up, reconnecting) waits for it before failing with LINK_DOWN (ms, default 30000; 0 fails at once).
   */
  readyTimeoutMs?: number;
  /** On close, how long closing the open connections may take before the link is closed anyway (ms, default 6000). */
  closeConnectionsMs?: number;
}

export const DEFAULT_READY_TIMEOUT_MS = 30000;
export const MAX_READY_TIMEOUT_MS = 600000;

interface ReadyWaiter {
  resolve(): void;
  reject(err: ModemError): void;
  timer?: NodeJS.Timeout;
}

export interface RawCommandOptions {
  timeoutMs?: number;
  /** Data to write after the modem's prompt. */
  data?: Buffer;
  /** How the data ends: Ctrl-Z after it (default) or exactly its size. */
  dataEnd?: 'ctrl-z' | 'none';
  /** Prompt markers to wait for before writing `data` (default `>`). */
  prompt?: string[];
}

/** Validates what a user configured; throws a `PARAMETER` ModemError naming the field. */
export function validateConnectionOptions(options: ModemConnectionOptions): void {
  if (!isVendor(options.vendor)) {
    throw parameterError('vendor', `"${String(options.vendor)}" is not a supported vendor (one of ${VENDORS.join(', ')})`);
  }
  try {
    validateLinkOptions(options.link);
  } catch (err) {
    const message = (err as Error).message;
    const field = /^(\w+):/.exec(message)?.[1] ?? 'transport';
    throw parameterError(field, message.replace(/^\w+:\s*/, ''));
  }
  const dialect = dialectOf(options.vendor);
  for (const [i, line] of (options.initCommands ?? []).entries()) {
    checkRawCommand(`init command ${i + 1}`, line, (text) => dialect.redactCommand(text));
  }
  const wait = options.readyTimeoutMs;
  if (wait !== undefined && (!Number.isInteger(wait) || wait < 0 || wait > MAX_READY_TIMEOUT_MS)) {
    throw parameterError('readyTimeout', `${String(wait)} ms is outside 0..${MAX_READY_TIMEOUT_MS} ms`);
  }
  validateVendorSettings(options.vendor, options.platform);
  if (options.simPin !== undefined) {
    if (vendorRecord(options.vendor).kind !== 'cellular') throw parameterError('simPin', `${vendorRecord(options.vendor).label} has no SIM: leave it empty`);
    checkSimPin(options.simPin);
  }
}

/**
 * Events: `status` (ModemStatus), `urc` (Urc), `data` (Buffer, ONLINE mode), `online` (boolean), `ready`,
 * `warning` (text: something worth a line in the log that no operation of a flow caused).
 */
export class ModemConnection extends EventEmitter {
  readonly vendor: VendorId;
  readonly platform?: string;
  readonly dialect: VendorDialect;
  readonly link: Link;
  readonly engine: AtEngine;
  /** The vendor's TLS operations; null for a vendor this package has no adapter for yet. */
  readonly adapter: ModemAdapter;
  /**
   * The sockets a tls bridge carries for its local clients (`tls-bridge.ts`): their bytes belong to
   * those clients, so flow nodes neither receive nor send nor close on them.
   */
  readonly bridged = new Set<string>();
  private statusValue: ModemStatus;
  private readonly options: ModemConnectionOptions;
  private initRun = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly readyWaiters = new Set<ReadyWaiter>();
  /** A SIM PIN the SIM refused: never given again by this connection. */
  private readonly sim: SimMemory = {};
  /** Why the modem is not ready, in words a user can act on (init failure); null when the status says it. */
  private notReadyReason: string | null = null;

  constructor(options: ModemConnectionOptions) {
    super();
    // Every flow node of this modem listens to it: dozens of listeners are expected, not a leak.
    this.setMaxListeners(0);
    validateConnectionOptions(options);
    this.options = options;
    this.vendor = options.vendor;
    this.platform = options.platform;
    this.dialect = dialectOf(options.vendor);
    this.link = createLink(options.link);
    this.engine = new AtEngine({
      link: this.link,
      dialect: this.dialect,
      defaultTimeoutMs: options.commandTimeoutMs,
      trace: options.trace,
      resync: options.resync,
      baudRate: options.link.transport === 'serial' ? options.link.baudRate : undefined,
    });
    this.adapter = createAdapter(options.vendor, this.engine, {
      platform: options.platform,
      apn: options.apn,
      apnUser: options.apnUser,
      apnPassword: options.apnPassword,
      clockSync: options.clockSync,
      wifi: options.wifi,
      endpoint: this.link.status.endpoint,
      stateDir: options.stateDir,
      baudRate: options.link.transport === 'serial' ? options.link.baudRate : undefined,
    });
    this.statusValue = { state: 'closed', text: 'closed', endpoint: this.link.status.endpoint };
    this.engine.on('urc', (urc: Urc) => this.emit('urc', urc));
    this.engine.on('data', (data: Buffer) => this.emit('data', data));
    this.engine.on('online', (online: boolean) => this.emit('online', online));
    this.engine.on('internal-error', (err: Error) => this.emit('internal-error', err));
    this.engine.on('warning', (text: string) => this.emit('warning', text));
    this.adapter.on('warning', (text: string) => this.emit('warning', text));
    // The module restarted without the link noticing (a UART stays open): bring it up again.
    this.adapter.on('restarted', (reason: string) => {
      if (this.closed || !this.link.isOpen) return;
      this.emit('warning', `${reason}: bringing it up again`);
      void this.initialise();
    });
    this.link.on('status', (status: LinkStatus) => this.onLinkStatus(status));
    this.link.on('open', () => void this.initialise());
    // What the modem held for the flows is gone or unknown: they must open it again.
    this.link.on('down', (reason: string) => this.adapter.forgetConnections(reason));
  }

  get status(): ModemStatus {
    return this.statusValue;
  }

  get isReady(): boolean {
    return this.statusValue.state === 'ready';
  }

  /** Starts connecting. Never throws: failures show in `status` and are retried until `close()`. */
  start(): void {
    if (this.closed) return;
    this.setStatus('connecting', `connecting to ${this.link.status.endpoint}`);
    this.link.open().catch(() => {
      // The link reports the reason through `status` and keeps retrying.
    });
  }

  /**
   * Resolves once the modem is ready for operations: at once when it is, otherwise when it has
   * been brought up, or rejects with LINK_DOWN and the reason after `readyTimeoutMs` (CLOSED when
   * the connection closes meanwhile). Every operation of a flow waits here first, so nothing a
   * flow sends can run before the modem has been brought up, or be refused only because a
   * deploy or a reconnect is a moment ago.
   */
  whenReady(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.isReady) return Promise.resolve();
    const limit = this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    if (limit === 0) return Promise.reject(this.notReadyError(0));
    return new Promise<void>((resolve, reject) => {
      const waiter: ReadyWaiter = { resolve, reject };
      waiter.timer = setTimeout(() => {
        this.readyWaiters.delete(waiter);
        reject(this.notReadyError(limit));
      }, limit);
      this.readyWaiters.add(waiter);
    });
  }

  /**
   * Sends one raw command line typed by a user, through the shared queue, once the modem is
   * ready. The line is checked first (one command, printable ASCII, no control characters);
   * secrets in it are redacted in every error and trace.
   */
  async command(line: unknown, options: RawCommandOptions = {}): Promise<AtResponse> {
    const spec = this.rawCommand(line, options);
    await this.whenReady();
    const response = await this.engine.send(spec);
    // An answer that can carry a secret (a key password or PSK read back, a SIM's raw data)
    // reaches the flow with those values masked, as it reaches the trace not at all.
    if (!spec.secretResponse) return response;
    return { ...response, lines: redactSecretAnswer(response.lines, (text) => this.dialect.redactCommand(text), this.dialect.atPrefix ? 'AT' : '') };
  }

  private rawCommand(line: unknown, options: RawCommandOptions = {}): Parameters<AtEngine['send']>[0] {
    const text = checkRawCommand('command', line, (text) => this.dialect.redactCommand(text));
    if (this.dialect.atPrefix && !/^AT/i.test(text)) {
      throw parameterError('command', `"${this.dialect.redactCommand(text)}" does not start with AT`);
    }
    const display = this.dialect.redactCommand(text);
    return {
      line: { text, display },
      timeoutMs: options.timeoutMs,
      dial: /^ATD/i.test(text),
      prompt: options.data ? { payload: options.data, terminator: options.dataEnd ?? 'ctrl-z', markers: options.prompt } : undefined,
      // What comes back to a command with redacted parts may echo them: never trace it in clear.
      secretResponse: display !== text || this.dialect.secretResponse?.(text) === true,
    };
  }

  /**
   * Stops the modem in order: operations waiting for it fail with CLOSED, the connections the
   * flows left open are closed on the modem (bounded by `closeConnectionsMs`: a module holding a
   * connection would refuse the next deploy's open of the same socket), then the engine rejects
   * whatever is left and the link is released. Resolves once the port is released.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const waiter of this.readyWaiters) {
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.reject(this.closedError());
    }
    this.readyWaiters.clear();
    if (this.link.isOpen && this.statusValue.state === 'ready') {
      const limit = this.options.closeConnectionsMs ?? 6000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.adapter.closeAll(),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, limit))),
      ]);
      clearTimeout(timer);
    }
    this.engine.close('the modem connection is closing (redeploy or shutdown)');
    // A command cut short inside its prompt leaves the module waiting for its payload: let it go.
    await this.engine.leavePrompt();
    try {
      await this.link.close();
    } finally {
      this.setStatus('closed', 'closed');
    }
  }

  /**
   * Brings the modem up after each open, in one priority section of the engine: nothing a flow
   * sends can run in between or before it, and nothing it sends can reach a later session.
   */
  private async initialise(): Promise<void> {
    if (this.closed) return;
    const run = ++this.initRun;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.notReadyReason = null;
    this.setStatus('initialising', 'initialising');
    try {
      await this.engine.exclusive(async (at: AtChannel) => {
        await at.sync();
        for (const line of [...this.dialect.initCommands, ...(this.options.initCommands ?? [])]) {
          if (run !== this.initRun) return;
          await at.send(this.rawCommand(line));
        }
        // The SIM first: the network a module attaches to in prepare is the one its SIM opens.
        if (run === this.initRun && this.options.simPin !== undefined) await unlockSim(at, this.options.simPin, this.vendor, this.sim);
        if (run === this.initRun) await this.adapter.prepare(at);
      }, { priority: true });
      if (run !== this.initRun || this.closed) return;
      this.setStatus('ready', 'ready');
      this.emit('ready');
      for (const waiter of this.readyWaiters) {
        if (waiter.timer) clearTimeout(waiter.timer);
        waiter.resolve();
      }
      this.readyWaiters.clear();
    } catch (err) {
      if (run !== this.initRun || this.closed || !this.link.isOpen) return;
      const e = err as ModemError;
      const text = e.kind === 'NOT_RESPONDING' ? 'modem not responding' : `initialisation failed: ${e.message}`;
      this.notReadyReason = text;
      this.setStatus('not-responding', text);
      // The modem may be booting or in a state that clears by itself: try again later.
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (this.link.isOpen) void this.initialise();
      }, this.options.retryInitMs ?? 5000);
    }
  }

  private onLinkStatus(status: LinkStatus): void {
    if (this.closed) return;
    switch (status.state) {
      case 'connecting':
        this.setStatus('connecting', `connecting to ${status.endpoint}`);
        return;
      case 'reconnecting': {
        this.initRun++;
        // The reason first: it is what a user acts on, and status texts get cut short.
        const wait = status.retryInMs !== undefined ? `retry in ${Math.max(1, Math.round(status.retryInMs / 1000))} s` : 'retrying';
        this.setStatus('reconnecting', status.reason ? `${status.reason} (${wait})` : `reconnecting (${wait})`);
        return;
      }
      case 'closed':
        this.setStatus('closed', 'closed');
        return;
      case 'open':
        // `initialise` reports from here on.
        return;
    }
  }

  private closedError(): ModemError {
    return new ModemError({ kind: 'CLOSED', vendor: this.vendor, message: 'the modem connection is closing (redeploy or shutdown)' });
  }

  /** LINK_DOWN with the reason the modem is not ready, for an operation that waited `waitedMs`. */
  private notReadyError(waitedMs: number): ModemError {
    const link = this.link.status;
    let reason: string;
    if (!this.link.isOpen) {
      reason = link.reason ? `${link.reason} (${link.state})` : link.state === 'connecting' ? 'connecting' : `link ${link.state}`;
    } else {
      reason = this.notReadyReason ?? (this.statusValue.state === 'initialising' ? 'still being brought up (AT, init commands)' : this.statusValue.text);
    }
    const waited = waitedMs > 0 ? ` within ${waitedMs >= 1000 ? `${Math.round(waitedMs / 100) / 10} s` : `${waitedMs} ms`}` : '';
    return new ModemError({ kind: 'LINK_DOWN', vendor: this.vendor, message: `modem ${link.endpoint} was not ready${waited}: ${reason}` });
  }

  private setStatus(state: ModemState, text: string): void {
    const next = { state, text, endpoint: this.link.status.endpoint };
    if (next.state === this.statusValue.state && next.text === this.statusValue.text) return;
    this.statusValue = next;
    this.emit('status', next);
  }
}
