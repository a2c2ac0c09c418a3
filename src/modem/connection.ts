/**
 * A connected modem: one link, one AT engine, one vendor dialect, and the life cycle
 * that ties them together (open, bring the modem into a known state, reopen after a
 * drop, close).
 *
 * Owns: the modem's status as users see it, and the raw-command path shared by every flow.
 * Must never: know Node-RED (the config node wraps it) or a vendor command (the dialect
 * and adapters supply them).
 */
import { EventEmitter } from 'node:events';
import { createAdapter, dialectOf, isVendor, validateVendorSettings, VENDORS, type VendorDialect, type VendorId } from '../adapters';
import type { ModemAdapter } from '../adapters/adapter';
import { AtEngine, type AtResponse, type TraceEntry, type Urc } from '../at/engine';
import { checkRawCommand } from '../at/command';
import { ModemError, parameterError } from '../at/errors';
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
  /** Extra commands sent after the dialect's own, every time the modem (re)connects. */
  initCommands?: readonly string[];
  /** Default per-command timeout (ms). */
  commandTimeoutMs?: number;
  trace?: (entry: TraceEntry) => void;
  /** Delay before trying again to bring up a modem that did not answer (ms). */
  retryInitMs?: number;
  /** Resynchronisation settings forwarded to the engine. */
  resync?: { attempts?: number; waitMs?: number; quietMs?: number };
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
  for (const [i, line] of (options.initCommands ?? []).entries()) {
    checkRawCommand(`init command ${i + 1}`, line);
  }
  validateVendorSettings(options.vendor, options.platform);
}

/**
 * Events: `status` (ModemStatus), `urc` (Urc), `data` (Buffer, ONLINE mode), `online` (boolean), `ready`.
 */
export class ModemConnection extends EventEmitter {
  readonly vendor: VendorId;
  readonly platform?: string;
  readonly dialect: VendorDialect;
  readonly link: Link;
  readonly engine: AtEngine;
  /** The vendor's TLS operations; null for a vendor this package has no adapter for yet. */
  readonly adapter: ModemAdapter | null;
  private statusValue: ModemStatus;
  private readonly options: ModemConnectionOptions;
  private initRun = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

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
    });
    this.adapter = createAdapter(options.vendor, this.engine, {
      platform: options.platform,
      apn: options.apn,
      apnUser: options.apnUser,
      apnPassword: options.apnPassword,
      clockSync: options.clockSync,
    });
    this.statusValue = { state: 'closed', text: 'closed', endpoint: this.link.status.endpoint };
    this.engine.on('urc', (urc: Urc) => this.emit('urc', urc));
    this.engine.on('data', (data: Buffer) => this.emit('data', data));
    this.engine.on('online', (online: boolean) => this.emit('online', online));
    this.engine.on('internal-error', (err: Error) => this.emit('internal-error', err));
    this.link.on('status', (status: LinkStatus) => this.onLinkStatus(status));
    this.link.on('open', () => this.initialise());
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
   * Sends one raw command line typed by a user, through the shared queue. The line is
   * checked first (one command, no control characters); secrets in it are redacted in
   * every error and trace.
   */
  command(line: unknown, options: RawCommandOptions = {}): Promise<AtResponse> {
    const text = checkRawCommand('command', line);
    if (this.dialect.atPrefix && !/^AT/i.test(text)) {
      return Promise.reject(parameterError('command', `"${this.dialect.redactCommand(text)}" does not start with AT`));
    }
    const display = this.dialect.redactCommand(text);
    return this.engine.send({
      line: { text, display },
      timeoutMs: options.timeoutMs,
      dial: /^ATD/i.test(text),
      prompt: options.data ? { payload: options.data, terminator: options.dataEnd ?? 'ctrl-z', markers: options.prompt } : undefined,
      // What comes back to a command with redacted parts may echo them: never trace it in clear.
      secretResponse: display !== text || this.dialect.secretResponse?.(text) === true,
    });
  }

  /** Closes the engine (rejecting every pending command) and the link. Resolves once the port is released. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.engine.close('the modem connection is closing (redeploy or shutdown)');
    try {
      await this.link.close();
    } finally {
      this.setStatus('closed', 'closed');
    }
  }

  private async initialise(): Promise<void> {
    if (this.closed) return;
    const run = ++this.initRun;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.setStatus('initialising', 'initialising');
    try {
      await this.engine.sync();
      for (const line of [...this.dialect.initCommands, ...(this.options.initCommands ?? [])]) {
        if (run !== this.initRun) return;
        await this.command(line);
      }
      if (this.adapter && run === this.initRun) await this.adapter.prepare();
      if (run !== this.initRun || this.closed) return;
      this.setStatus('ready', 'ready');
      this.emit('ready');
    } catch (err) {
      if (run !== this.initRun || this.closed || !this.link.isOpen) return;
      const e = err as ModemError;
      const text = e.kind === 'NOT_RESPONDING' ? 'modem not responding' : `initialisation failed: ${e.message}`;
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

  private setStatus(state: ModemState, text: string): void {
    const next = { state, text, endpoint: this.link.status.endpoint };
    if (next.state === this.statusValue.state && next.text === this.statusValue.text) return;
    this.statusValue = next;
    this.emit('status', next);
  }
}
