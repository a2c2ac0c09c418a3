/**
 * The state machine every link shares: open, lose, retry with backoff, close.
 *
 * Owns: the link state and its `status` events, the backoff timer, the one live transport,
 * and the promises handed to callers. A subclass only knows how to open its transport once
 * (`connectOnce`) and how to put its errors into words.
 *
 * Must never: interpret bytes, emit an `error` event (an unheard `error` would take Node-RED
 * down; failures are reported as `status`/`down` and as rejections), leave a promise that can
 * reject unhandled, or keep a timer or handle alive after `close()` has resolved.
 */
import { EventEmitter } from 'node:events';
import type { BackoffOptions, Link, LinkState, LinkStatus } from './types';

/** An open transport, as a subclass hands it to the base class. Internal to `src/link`. */
export interface Transport {
  /** Resolves once the bytes are handed to the OS; rejects with an Error in user words. */
  write(data: Buffer): Promise<void>;
  /** Releases the handle. Resolves once it is released; never rejects; safe to call twice. */
  close(): Promise<void>;
}

/** What the base class gives a subclass for one connect attempt. */
export interface ConnectAttempt {
  /** Aborted when `close()` is called while the attempt is under way: release what is half open and reject. */
  readonly signal: AbortSignal;
  /** Bytes arrived from the transport. */
  data(chunk: Buffer): void;
  /** The open transport was lost (unplug, reset, closed by the peer); `reason` in words a user can act on.
   *  Calls after the first, and calls caused by the base class closing the transport, are ignored. */
  lost(reason: string): void;
}

export const DEFAULT_BACKOFF: Readonly<Required<BackoffOptions>> = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
};

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

const ignore = (): void => undefined;

/** Returns `promise` itself, already marked as handled: a caller that drops it cannot crash the process,
 *  a caller that awaits it still sees the rejection. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(ignore);
  return promise;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export abstract class ReconnectingLink extends EventEmitter implements Link {
  readonly endpoint: string;
  private readonly backoff: Required<BackoffOptions>;

  private state: LinkState = 'closed';
  private reason: string | undefined;
  /** Number of the retry that is scheduled or under way; 0 while none is. Reset by a successful open. */
  private retry = 0;
  private retryDelayMs = 0;
  private retryAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private transport: Transport | undefined;
  /** Bumped by `open()` from closed and by `close()`: late results of an older session are dropped. */
  private session = 0;
  private abort: AbortController | undefined;
  private attemptInFlight: Promise<void> | undefined;
  /** Callers of `open()` waiting for the outcome of the next attempt. */
  private waiters: Waiter[] = [];
  /** Writes handed to the transport and not yet finished: failed at once when the transport goes. */
  private readonly pendingWrites = new Set<(err: Error) => void>();
  /** Resolves once every handle this link opened so far is released. */
  private releasing: Promise<void> = Promise.resolve();

  protected constructor(endpoint: string, backoff: BackoffOptions = {}) {
    super();
    this.endpoint = endpoint;
    this.backoff = {
      initialDelayMs: backoff.initialDelayMs ?? DEFAULT_BACKOFF.initialDelayMs,
      maxDelayMs: backoff.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs,
      factor: backoff.factor ?? DEFAULT_BACKOFF.factor,
    };
  }

  /** Opens the transport once. Reject with an Error whose message a user can act on. */
  protected abstract connectOnce(attempt: ConnectAttempt): Promise<Transport>;

  get status(): LinkStatus {
    const retryInMs = this.timer ? Math.max(0, this.retryAt - Date.now()) : 0;
    return this.snapshot(retryInMs);
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  open(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    const outcome = handled(new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject })));
    if (this.state === 'closed') {
      this.session += 1;
      this.retry = 0;
      this.reason = undefined;
      this.state = 'connecting';
      this.startAttempt();
      this.emitStatus();
    } else if (this.state === 'reconnecting' && this.timer) {
      // Someone asked for the link now: do not make them sit out the backoff.
      clearTimeout(this.timer);
      this.timer = undefined;
      this.startAttempt();
    }
    return outcome;
  }

  write(data: Buffer): Promise<void> {
    return handled(this.writeNow(data));
  }

  close(): Promise<void> {
    if (this.state === 'closed') return this.releasing;
    this.session += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
    const transport = this.transport;
    this.transport = undefined;
    this.failPendingWrites(new Error(`link to ${this.endpoint} was closed before the write completed`));
    this.settleWaiters(new Error(`link to ${this.endpoint} was closed before it opened`));
    this.state = 'closed';
    this.reason = undefined;
    this.retry = 0;
    this.releasing = Promise.all([this.releasing, transport?.close(), this.attemptInFlight]).then(ignore, ignore);
    const released = this.releasing;
    this.emitStatus();
    return released;
  }

  private writeNow(data: Buffer): Promise<void> {
    if (!Buffer.isBuffer(data)) {
      return Promise.reject(new TypeError(`write: data must be a Buffer (got ${typeof data})`));
    }
    const transport = this.transport;
    if (this.state !== 'open' || !transport) {
      const why = this.reason ? `${this.state}: ${this.reason}` : this.state;
      return Promise.reject(new Error(`link is not open (${why})`));
    }
    return new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        this.pendingWrites.delete(fail);
        reject(err);
      };
      this.pendingWrites.add(fail);
      transport.write(data).then(
        () => {
          this.pendingWrites.delete(fail);
          resolve();
        },
        (err: unknown) => fail(err instanceof Error ? err : new Error(messageOf(err))),
      );
    });
  }

  private startAttempt(): void {
    const abort = new AbortController();
    this.abort = abort;
    const attempt = this.runAttempt(this.session, abort.signal);
    this.attemptInFlight = attempt;
    void attempt.finally(() => {
      if (this.attemptInFlight === attempt) this.attemptInFlight = undefined;
    });
  }

  /** One connect attempt; never rejects. */
  private async runAttempt(session: number, signal: AbortSignal): Promise<void> {
    // A serial port is exclusively locked until the previous handle is released.
    await this.releasing;
    if (session !== this.session) return;

    let transport: Transport | undefined;
    let live = true;
    let lostEarly: string | undefined;
    const attempt: ConnectAttempt = {
      signal,
      data: (chunk) => {
        if (live && session === this.session) this.emit('data', chunk);
      },
      lost: (reason) => {
        if (!live) return;
        live = false;
        if (!transport) lostEarly = reason;
        else if (this.transport === transport) this.onLost(transport, reason);
      },
    };

    let opened: Transport;
    try {
      opened = await this.connectOnce(attempt);
    } catch (err) {
      live = false;
      if (session === this.session) this.onAttemptFailed(messageOf(err));
      return;
    }
    if (session !== this.session || lostEarly !== undefined) {
      live = false;
      await opened.close();
      if (session === this.session) this.onAttemptFailed(lostEarly ?? 'closed');
      return;
    }
    transport = opened;
    this.onOpened(opened);
  }

  private onOpened(transport: Transport): void {
    const session = this.session;
    this.abort = undefined;
    this.transport = transport;
    this.state = 'open';
    this.reason = undefined;
    this.retry = 0;
    this.settleWaiters();
    this.emitStatus();
    if (session === this.session && this.transport === transport) this.emit('open');
  }

  private onAttemptFailed(reason: string): void {
    this.abort = undefined;
    this.reason = reason;
    this.settleWaiters(new Error(reason));
    this.scheduleRetry();
    this.emitStatus();
  }

  private onLost(transport: Transport, reason: string): void {
    const session = this.session;
    this.transport = undefined;
    this.failPendingWrites(new Error(`link went down before the write completed (${reason})`));
    this.reason = reason;
    // Lost usually means the handle is already gone, but close() makes sure of it before the next attempt.
    this.releasing = Promise.all([this.releasing, transport.close()]).then(ignore, ignore);
    this.scheduleRetry();
    this.emit('down', reason);
    // A `down` listener may have closed or reopened the link; its own status event then tells the story.
    if (session === this.session && this.state === 'reconnecting') this.emitStatus();
  }

  private scheduleRetry(): void {
    this.retry += 1;
    const { initialDelayMs, factor, maxDelayMs } = this.backoff;
    const delay = Math.min(maxDelayMs, initialDelayMs * factor ** (this.retry - 1));
    this.state = 'reconnecting';
    this.retryDelayMs = delay;
    this.retryAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startAttempt();
    }, delay);
  }

  /** Resolves (no error) or rejects every `open()` caller waiting for this attempt. */
  private settleWaiters(err?: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      if (err) waiter.reject(err);
      else waiter.resolve();
    }
  }

  private failPendingWrites(err: Error): void {
    for (const fail of [...this.pendingWrites]) fail(err);
  }

  private snapshot(retryInMs: number): LinkStatus {
    const status: LinkStatus = { state: this.state, endpoint: this.endpoint };
    if (this.reason !== undefined) status.reason = this.reason;
    if (this.state === 'reconnecting') {
      status.attempt = this.retry;
      status.retryInMs = retryInMs;
    }
    return status;
  }

  private emitStatus(): void {
    // The event carries the full delay just scheduled, not a clock reading, so listeners see the backoff itself.
    this.emit('status', this.snapshot(this.timer ? this.retryDelayMs : 0));
  }
}
