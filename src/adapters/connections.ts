/**
 * The TLS connections an adapter has open, as the flows see them — shared by every vendor.
 *
 * Owns: which sockets are open and what each one is, why one that ended is gone (so a later
 * send says "closed by the server" rather than a vendor error number), the one `closed` event
 * per connection, and the order of operations on one socket: its sends, reads and close run
 * in order — sends and the close in one lane, reads in another — so two messages sent at once
 * never interleave their chunks on the wire, and a read waiting for data does not hold up a send.
 * Must never: send a command (the adapter does), or keep a connection past a lost link — the
 * modem's side of it is gone or unknown, and a flow must open it again.
 */
import type { EventEmitter } from 'node:events';
import { p } from '../at/command';
import { parameterError } from '../at/errors';
import type { SocketInfo } from './adapter';

export class ConnectionTable<T extends { info: SocketInfo }> {
  private readonly open = new Map<number, T>();
  /** Why a connection ended, until its id is used again. */
  private readonly ended = new Map<number, string>();
  /** The tail of each socket's chain of operations, per lane (`<id>:send`, `<id>:receive`). */
  private readonly chains = new Map<string, Promise<void>>();

  /**
   * @param events receives `closed` (socket: string, reason: string) once per connection that ends.
   * @param noun what the vendor calls a socket in messages (`secure socket`, `socket`).
   */
  constructor(
    private readonly events: EventEmitter,
    private readonly noun = 'socket',
  ) {}

  get size(): number {
    return this.open.size;
  }

  ids(): number[] {
    return [...this.open.keys()];
  }

  has(id: number): boolean {
    return this.open.has(id);
  }

  get(id: number): T | undefined {
    return this.open.get(id);
  }

  add(id: number, entry: T): void {
    this.open.set(id, entry);
    this.ended.delete(id);
  }

  /** Why `id` ended, while it has not been opened again; undefined otherwise. */
  endedBecause(id: number): string | undefined {
    return this.ended.get(id);
  }

  /**
   * The open connection `id`, or a PARAMETER error naming `field`, the socket and those that are
   * open — refused here, before anything is sent, instead of a vendor error number from the modem.
   */
  require(field: string, id: number): T {
    const entry = this.open.get(id);
    if (entry) return entry;
    const why = this.ended.get(id);
    if (why) throw parameterError(field, `${this.noun} ${id} is no longer open (${why}); open it again with tls-open`);
    const others = this.ids();
    throw parameterError(field, others.length > 0
      ? `${this.noun} ${id} is not open (open: ${others.join(', ')})`
      : `${this.noun} ${id} is not open; no connection is (tls-open opens one and outputs msg.socket)`);
  }

  /** Ends `id` and tells the listeners why; false when it was not open. */
  end(id: number, reason: string): boolean {
    if (!this.open.delete(id)) return false;
    this.ended.set(id, reason);
    this.events.emit('closed', String(id), reason);
    return true;
  }

  /** Ends every connection (the link was lost, the modem restarted). */
  endAll(reason: string): void {
    for (const id of this.ids()) this.end(id, reason);
  }

  /**
   * Runs `operation` once every earlier operation in the same lane of socket `id` has settled,
   * whatever their outcome: `send` for sends and the close (a close queued after a send comes
   * after it), `receive` for reads. Other sockets are not held up; the AT engine still sends
   * one command at a time.
   */
  serial<R>(id: number, lane: 'send' | 'receive', operation: () => Promise<R>): Promise<R> {
    const key = `${id}:${lane}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const run = previous.then(operation);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return run;
  }
}

/**
 * Reads waiting for news of a socket — data pushed, data announced, the end of the connection —
 * one per socket, each woken once or given up after its time. Shared by the adapters whose
 * modules push or announce data: a read that waits takes the news instead of the push.
 */
export class SocketWaiters<T> {
  private readonly waiting = new Map<number, (news: T | null) => void>();

  has(id: number): boolean {
    return this.waiting.has(id);
  }

  /** Resolves with what `wake(id, …)` brings, or null after `ms` (or when `end(id)` is called). */
  wait(id: number, ms: number): Promise<T | null> {
    return new Promise<T | null>((resolve) => {
      const timer = setTimeout(() => finish(null), ms);
      const finish = (news: T | null): void => {
        clearTimeout(timer);
        if (this.waiting.get(id) === finish) this.waiting.delete(id);
        resolve(news);
      };
      this.waiting.set(id, finish);
    });
  }

  /** Gives `news` to the read waiting on `id`; false when none waits. */
  wake(id: number, news: T): boolean {
    const waiter = this.waiting.get(id);
    waiter?.(news);
    return waiter !== undefined;
  }

  /** The connection ended: the read waiting on it stops waiting (with null). */
  end(id: number): void {
    this.waiting.get(id)?.(null);
  }
}

/**
 * Data a module pushed, on its way to the flows: a `receive` waiting takes it; while no tls-recv
 * listens it is held (bounded, oldest dropped with a warning); once one listens, what was held goes
 * first, in order. Shared by the adapters whose modules push data (Fibocom `+MIPRTCP`, XBee3
 * Socket Receive frames).
 */
export class ReceivedData {
  private readonly waiting = new SocketWaiters<Buffer>();
  private readonly held = new Map<number, Buffer[]>();

  /**
   * @param events emits `data` (socket name, Buffer) and `warning`; its `closed` (socket name) drops what is held.
   * @param name the socket name flows see for an id (default: the number as text).
   */
  constructor(
    private readonly events: EventEmitter,
    private readonly heldMax: number,
    private readonly name: (id: number) => string = String,
    private readonly idOf: (socket: string) => number = Number,
  ) {
    events.on('closed', (socket: string) => {
      const id = this.idOf(socket);
      this.held.delete(id);
      this.waiting.end(id);
    });
  }

  /** Data pushed for `id`: to a waiting read, held while nobody listens, or emitted. */
  push(id: number, data: Buffer): void {
    if (data.length === 0 || this.waiting.wake(id, data)) return;
    if (this.events.listenerCount('data') === 0) {
      this.hold(id, data);
      return;
    }
    // Someone listens now: what was held while nobody did goes first, in order.
    const earlier = this.take(id, this.heldMax);
    if (earlier.length > 0) this.events.emit('data', this.name(id), earlier);
    this.events.emit('data', this.name(id), data);
  }

  /**
   * A tls-recv read of open connection `id`, in its receive lane: what is held, or the next chunk
   * within `timeoutMs`; empty when nothing came. What exceeds `maxBytes` (`msg.length`, 1..1 MiB)
   * stays held. A connection that is not open, or ends while the read waits, is refused naming it.
   */
  receive(connections: ConnectionTable<{ info: SocketInfo }>, id: number, maxBytes: number, timeoutMs?: number): Promise<Buffer> {
    const max = checkLength(maxBytes);
    return connections.serial(id, 'receive', async () => {
      connections.require('msg.socket', id);
      if (!this.held.has(id) && timeoutMs !== undefined && timeoutMs > 0) {
        const chunk = await this.waiting.wait(id, timeoutMs);
        if (chunk) this.hold(id, chunk);
        // Closed while waiting (by the server, the flow or a lost link): say so.
        else connections.require('msg.socket', id);
      }
      return this.take(id, max);
    });
  }

  private hold(id: number, data: Buffer): void {
    const parts = this.held.get(id) ?? [];
    parts.push(data);
    let total = parts.reduce((n, b) => n + b.length, 0);
    let dropped = 0;
    while (total > this.heldMax && parts.length > 1) {
      const old = parts.shift()!;
      total -= old.length;
      dropped += old.length;
    }
    if (dropped > 0) this.events.emit('warning', `socket ${this.name(id)}: ${dropped} bytes received were dropped — nothing reads this connection (add a tls-recv node for it)`);
    this.held.set(id, parts);
  }

  private take(id: number, max: number): Buffer {
    const parts = this.held.get(id);
    if (!parts) return Buffer.alloc(0);
    const all = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (all.length <= max) {
      this.held.delete(id);
      return all;
    }
    this.held.set(id, [all.subarray(max)]);
    return all.subarray(0, max);
  }
}

/** `msg.length` of a read: 1 byte to 1 MiB. */
function checkLength(maxBytes: number): number {
  return p.int('msg.length', maxBytes, { min: 1, max: 1 << 20 }).value;
}
