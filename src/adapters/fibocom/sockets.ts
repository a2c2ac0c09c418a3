/**
 * Fibocom L610 TLS connections with the +MIP commands (see `tables.ts` for where their syntax
 * comes from): `AT+MIPOPEN=<id>,,"<host>",<port>,2` answered `OK` and later `+MIPOPEN: <id>,<state>`
 * (seeds/004 l. 331–335, 399–401; also `+MIPOPEN <id>,<state>` without the colon, l. 360, 388);
 * data pushed as `+MIPRTCP: <id>,<left>,<hex>` (l. 424–432) or, in read mode, announced by
 * `+MIPREAD: <id>,<len>` and fetched with `AT+MIPREAD=<id>,<len>` → `+MIPDATA: <id>,<n>` and n
 * raw bytes (`transfer.ts`); `AT+MIPSEND=<id>,<len>`, the `>` prompt, exactly `<len>` raw bytes,
 * `+MIPSEND: <id>,<status>,<free>` and `OK`; `AT+MIPCLOSE=<id>` answered `OK` and
 * `+MIPCLOSE: <id>,<n>` (l. 337–341, 403–405). The module numbers nothing itself: the adapter
 * picks a free id 1..6.
 *
 * Owns: the connections the flows opened, turning +MIPOPEN, +MIPRTCP, +MIPREAD, +MIPCLOSE and
 * +MIPSTAT into the open's outcome, `data` and `closed`, the order of sends on a socket, fetching
 * what read mode announces (at once, so flows see it pushed as in the factory format; left in the
 * module while the socket is held, `holdReceive`), reads of
 * that data (a `receive` waiting gets the next chunk; data nobody listens to is held, bounded),
 * and the real reason of a failed open (`AT+GTSSLERR?`, l. 155–202).
 * Must never: split an open (the checks before it, the command and its outcome) across the
 * queue, leave a socket behind after a failed or timed-out open, or touch a socket no flow opened.
 */
import type { EventEmitter } from 'node:events';
import { buildCommand, p, readCommand } from '../../at/command';
import type { AtChannel, AtEngine, Urc } from '../../at/engine';
import { isModemError, ModemError, parameterError } from '../../at/errors';
import type { CloseRequest, OpenRequest, SocketInfo } from '../adapter';
import { ConnectionTable, ReceivedData } from '../connections';
import { MIPDATA } from './dialect';
import { sslError } from './errors';
import { optionValues } from './options';
import { onlyProfile } from './profile';
import { QUIET_MARGIN_MS, SOCKETS } from './tables';
import { sendMethod } from './transfer';

interface OpenSocket {
  info: SocketInfo;
}

/** An open waiting for its `+MIPOPEN: <id>,<state>`. */
interface PendingOpen {
  info: SocketInfo;
  settle(state: number | Error): void;
}

export interface FibocomSocketsOptions {
  /** Emits `data`, `closed` and `warning` (the adapter). */
  events: EventEmitter;
  /**
   * Inside the open's section, before `AT+MIPOPEN`: files, settings, clock and data connection
   * made ready. Returns the verify mode, and the module's restart count it made them ready for.
   */
  beforeOpen(at: AtChannel): Promise<{ mode: number; epoch: number }>;
  /** The module's restart count now: one that moved since `beforeOpen` means what it made ready is gone. */
  epoch(): number;
  /** Whether the module clock is set by this package (modem config clockSync): a -11 then has one cause less. */
  clockSync: boolean;
}

export class FibocomSockets {
  private readonly connections: ConnectionTable<OpenSocket>;
  private readonly pending = new Map<number, PendingOpen>();
  /** Closes waiting for their `+MIPCLOSE`. */
  private readonly closing = new Map<number, () => void>();
  /** Pushed data on its way to the flows: to a waiting read, held, or emitted. */
  private readonly received: ReceivedData;
  /** Sockets the flows had open when the link was lost: still open on the module unless it restarted. */
  private orphans: number[] = [];
  /** Sockets whose announced data is being fetched; `again`: read once more before stopping. */
  private readonly fetching = new Map<number, { again: boolean }>();
  /** Fetches in a row that failed, by socket: retried a few times, since the module announces data only once. */
  private readonly fetchFailures = new Map<number, number>();
  /**
   * Whether the module is in read mode (`AT+GTSET="IPRFMT",5`, set at bring-up): only then does
   * data wait in the module until the host fetches it, so only then can a socket be held.
   */
  readMode = false;
  /**
   * Held sockets (`holdReceive`): whether data was announced (or left unfetched) meanwhile, and
   * what a fetch already on the wire brought, delivered first on release.
   */
  private readonly held = new Map<number, { announced: boolean; kept: Buffer[] }>();

  constructor(
    private readonly engine: AtEngine,
    private readonly options: FibocomSocketsOptions,
  ) {
    this.connections = new ConnectionTable<OpenSocket>(options.events, 'socket');
    // A hold on a connection that ends is forgotten; what it kept (fetched already, perhaps the
    // last bytes) goes to the flows first — before `received` forgets the connection.
    options.events.on('closed', (socket: string) => {
      const id = Number(socket);
      const hold = this.held.get(id);
      this.held.delete(id);
      for (const data of hold?.kept ?? []) this.received.push(id, data);
    });
    this.received = new ReceivedData(options.events, SOCKETS.heldMax);
  }

  /**
   * `holdReceive`: in read mode, a held socket's `+MIPREAD` announcements are noted and nothing is
   * fetched, so the data stays in the module (and its TCP window slows the server); a fetch under
   * way stops after its current `AT+MIPREAD`. On release what was announced is fetched. In the
   * factory format the module pushes every byte as hex in `+MIPRTCP`: false.
   */
  holdReceive(socket: string, hold: boolean): boolean {
    const id = Number(socket);
    if (!Number.isInteger(id)) return false;
    if (!this.readMode || !this.connections.has(id)) {
      this.release(id);
      return false;
    }
    if (!hold) this.release(id);
    else if (!this.held.has(id)) this.held.set(id, { announced: false, kept: [] });
    return true;
  }

  private release(id: number): void {
    const hold = this.held.get(id);
    if (!hold) return;
    this.held.delete(id);
    for (const data of hold.kept) this.deliver(id, data);
    if (hold.announced && this.connections.has(id)) {
      const again = this.held.get(id);
      // Held again while the kept data went out: the fetch waits for that release.
      if (again) again.announced = true;
      else void this.fetch(id);
    }
  }

  /** Fetched data: to the flows, or kept while the socket is held. */
  private deliver(id: number, data: Buffer): void {
    const hold = this.held.get(id);
    if (hold) hold.kept.push(data);
    else this.received.push(id, data);
  }

  /** How many connections the flows have open. */
  get openCount(): number {
    return this.connections.size;
  }

  /**
   * The module restarted, the link was lost or the engine closed: every connection is gone for the
   * flows, and every wait for the module (an open's outcome, a close's URC) ends now. With
   * `orphaned`, the module may still hold the sockets (a lost link): `closeOrphans` frees them.
   */
  endAll(reason: string, orphaned = false): void {
    for (const open of this.pending.values()) open.settle(new ModemError({ kind: 'LINK_DOWN', vendor: 'fibocom', message: reason }));
    for (const finish of [...this.closing.values()]) finish();
    if (orphaned) this.orphans.push(...this.connections.ids());
    this.connections.endAll(reason);
  }

  /**
   * Every connection ends for the flows and is closed on the module: what they received can no
   * longer be told complete (a line too long was dropped), and the module must not keep them.
   */
  abandonAll(reason: string): void {
    const ids = this.connections.ids();
    this.endAll(reason);
    for (const id of ids) {
      // ERROR (gone meanwhile), a lost link or a close: nothing more to free.
      this.engine.send({ line: buildCommand('+MIPCLOSE', [p.int('Socket_ID', id)]), timeoutMs: 30000, nameIsUrc: true }).catch(() => undefined);
    }
  }

  /** At bring-up after a lost link: the sockets the flows had open are closed on the module, so they stay free. */
  async closeOrphans(at: AtChannel): Promise<void> {
    for (const id of this.orphans.splice(0)) {
      await at.send({ line: buildCommand('+MIPCLOSE', [p.int('Socket_ID', id)]), nameIsUrc: true }).catch((err: unknown) => {
        // ERROR: no such open socket (the module restarted meanwhile) — the goal is reached.
        if (isModemError(err) && (err.kind === 'LINK_DOWN' || err.kind === 'CLOSED')) throw err;
      });
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.connections.ids().map((id) => this.close(String(id)).catch(() => undefined)));
  }

  async open(request: OpenRequest): Promise<SocketInfo> {
    // Everything is checked before the first command: a refused open leaves nothing behind.
    onlyProfile(request.profile);
    const host = p.str('host', request.host, { minLength: 1, maxLength: 255, pattern: /^[^\s,]+$/, patternHint: 'must be a host name or IP address, without spaces or commas' }).value;
    const port = p.int('port', request.port, { min: 1, max: 65535 }).value;
    if (request.mode !== 'command') throw parameterError('mode', `Fibocom L610 connections work in command mode here ("${String(request.mode)}" is not offered): data goes with +MIPSEND and +MIPRTCP`);
    optionValues('open', request.vendorOptions);
    const timeoutMs = request.timeoutMs ?? SOCKETS.openTimeoutMs;
    return this.engine.exclusive(async (at) => {
      const used = new Set([...this.connections.ids(), ...this.pending.keys()]);
      const free = [1, 2, 3, 4, 5, 6].filter((n) => !used.has(n));
      if (free.length === 0) {
        throw parameterError('socket', `the Fibocom L610 has ${SOCKETS.ids.max} sockets and all are open (${this.connections.ids().join(', ')}): close one first (tls-close)`);
      }
      const { mode, epoch } = await this.options.beforeOpen(at);
      // A socket the module still holds for someone else (a raw command, a Node-RED that stopped
      // without closing) refuses the open with ERROR: the next free one is tried.
      let refusal: ModemError | undefined;
      for (const id of free) {
        try {
          return await this.openOn(at, id, host, port, timeoutMs, mode, epoch);
        } catch (err) {
          if (!(isModemError(err) && err.kind === 'FINAL' && err.command?.startsWith('AT+MIPOPEN=') && err.line === 'ERROR')) throw err;
          refusal ??= err;
        }
      }
      throw new ModemError({
        kind: 'FINAL',
        vendor: 'fibocom',
        code: refusal?.code,
        command: refusal?.command,
        line: refusal?.line,
        message: `the module refused AT+MIPOPEN on every free socket (${free.join(', ')}): it holds them for another program or an earlier run — AT+MIPCLOSE=<id> frees one, a power-cycle frees all`,
        cause: refusal,
      });
    });
  }

  /** One `AT+MIPOPEN` on socket `id` and its outcome, inside the open's section. */
  private async openOn(at: AtChannel, id: number, host: string, port: number, timeoutMs: number, mode: number, epoch: number): Promise<SocketInfo> {
    // A restart since the module was made ready took its files and settings: connecting now would go unverified.
    if (this.options.epoch() !== epoch) {
      throw new ModemError({ kind: 'LINK_DOWN', vendor: 'fibocom', message: 'the module restarted while the connection was being prepared; open it again' });
    }
    const info: SocketInfo = { socket: String(id), host, port, mode: 'command' };
    const line = buildCommand('+MIPOPEN', [p.int('Socket_ID', id, SOCKETS.ids), p.omit(), p.str('host', host), p.int('port', port), p.int('protocol', SOCKETS.ssl)]);
    // Registered before the command: the outcome may come in the same read as the OK.
    const outcome = new Promise<number | Error>((resolve) => {
      const timer = setTimeout(() => settle(new ModemError({ kind: 'TIMEOUT', vendor: 'fibocom', command: line.display, message: `${line.display}: no +MIPOPEN outcome within ${timeoutMs} ms` })), timeoutMs);
      timer.unref();
      const settle = (state: number | Error): void => {
        clearTimeout(timer);
        if (this.pending.get(id)?.settle !== settle) return;
        this.pending.delete(id);
        // Connected: the connection is the flows' from this very URC on, so data right behind it is theirs.
        if (state === 1) {
          this.connections.add(id, { info });
          this.fetchFailures.delete(id);
        }
        resolve(state);
      };
      this.pending.set(id, { info, settle });
    });
    try {
      // Its outcome is a +MIPOPEN URC, also when it comes before the OK.
      await at.send({ line, timeoutMs: 20000, nameIsUrc: true });
    } catch (err) {
      this.pending.get(id)?.settle(err as Error);
      throw err;
    }
    const state = await outcome;
    if (state === 1) return info;
    if (state instanceof Error) {
      // Nothing came: the socket must not stay half-open on the module.
      if (isModemError(state) && state.kind === 'TIMEOUT') await at.send({ line: buildCommand('+MIPCLOSE', [p.int('Socket_ID', id)]), nameIsUrc: true }).catch(() => undefined);
      throw state;
    }
    throw await this.failedOpen(at, line.display, host, port, mode);
  }

  /** `+MIPOPEN: <id>,0`: `AT+GTSSLERR?` says why (the manual's own way, l. 360–364, 388–390). */
  private async failedOpen(at: AtChannel, command: string, host: string, port: number, mode: number): Promise<ModemError> {
    let code: number | undefined;
    try {
      const answer = await at.send({ line: readCommand('+GTSSLERR'), responsePrefixes: ['+GTSSLERR:'] });
      const m = answer.lines.map((l) => /^\+GTSSLERR: ?-(\d+)/.exec(l)).find(Boolean);
      if (m) code = Number(m[1]);
    } catch {
      // No reason to give: the failure says enough.
    }
    const base = `${command}: the connection to ${host}:${port} failed (+MIPOPEN state 0)`;
    if (code === undefined || code === 0) {
      return new ModemError({ kind: 'FINAL', vendor: 'fibocom', code: '+MIPOPEN: 0', command, line: '+MIPOPEN: 0', message: `${base}; the module reports no SSL error (AT+GTSSLERR?): the server or the network refused the TCP connection` });
    }
    const entry = sslError(code);
    // The reason first: a node's status shows the start of the message.
    let message = `${command}: SSL error -${code}${entry ? ` (${entry.name})` : ''} — the connection to ${host}:${port} failed (+MIPOPEN state 0)`;
    if (code === 11) {
      message += mode === 1 && !this.options.clockSync
        ? ': no loaded trust certificate vouches for the server, or a date is outside its validity by the module clock — clockSync is off in the modem config, and the module clock starts from a default at every power-up'
        : ': no loaded trust certificate vouches for the server (load-cert, certType ca), or a date is outside its validity';
    }
    return new ModemError({ kind: 'FINAL', vendor: 'fibocom', code: `-${code}`, command, line: `+GTSSLERR: -${code}`, message });
  }

  /** `AT+MIPSEND=<id>,<len>`, `>`, exactly the bytes, `+MIPSEND: <id>,<status>,<free>`; in the chunks of `transfer.ts`. */
  async send(socket: string, data: Buffer): Promise<number> {
    const id = socketId('msg.socket', socket);
    const { chunk } = sendMethod(data.length);
    return this.connections.serial(id, 'send', async () => {
      this.connections.require('msg.socket', id);
      let sent = 0;
      for (let offset = 0; offset < data.length; offset += chunk) {
        const part = data.subarray(offset, offset + chunk);
        const line = buildCommand('+MIPSEND', [p.int('Socket_ID', id), p.int('length', part.length)]);
        let answer: Awaited<ReturnType<AtEngine['send']>>;
        try {
          answer = await this.engine.send({ line, prompt: { markers: ['>'], payload: part, terminator: 'none', quietAbortMs: SOCKETS.inputIdleMs + QUIET_MARGIN_MS }, responsePrefixes: ['+MIPSEND:'], timeoutMs: SOCKETS.chunkTimeoutMs });
        } catch (err) {
          // The connection ended meanwhile (a restart, the server, the network): its reason says more than the module's ERROR.
          const why = this.connections.has(id) ? undefined : this.connections.endedBecause(id);
          if (why !== undefined && isModemError(err) && (err.kind === 'FINAL' || err.kind === 'CME' || err.kind === 'LINK_DOWN')) {
            throw new ModemError({ kind: err.kind, vendor: 'fibocom', code: err.code, command: line.display, line: err.line, message: `${line.display}: socket ${id} is no longer open (${why}); ${sent} of ${data.length} bytes were sent`, cause: err });
          }
          throw err;
        }
        const status = answer.lines.map((l) => /^\+MIPSEND: ?(\d+),(\d+)/.exec(l)).find(Boolean);
        if (status && Number(status[2]) !== 0) {
          throw new ModemError({ kind: 'FINAL', vendor: 'fibocom', command: line.display, line: status[0], message: `${line.display}: the module did not take the data (status ${status[2]}${status[2] === '1' ? ': the socket is flowed off' : ''}); ${sent} of ${data.length} bytes were sent` });
        }
        sent += part.length;
      }
      return sent;
    });
  }

  /**
   * Pushed data: what is held for the socket, or the next chunk within `timeoutMs`; an empty
   * Buffer when nothing came. What exceeds `maxBytes` stays held for the next read.
   */
  async receive(socket: string, maxBytes: number, timeoutMs?: number): Promise<Buffer> {
    return this.received.receive(this.connections, socketId('msg.socket', socket), maxBytes, timeoutMs);
  }

  /**
   * Read mode: what the module announced, fetched a chunk at a time until a read comes back short
   * (nothing more is waiting then). An announcement while a fetch runs asks for one more read, so
   * data that came in just after a short read is not left waiting for an announcement already seen.
   */
  private async fetch(id: number): Promise<void> {
    const running = this.fetching.get(id);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: true };
    this.fetching.set(id, state);
    try {
      while (state.again && this.connections.has(id)) {
        const hold = this.held.get(id);
        if (hold) {
          // Held: what waits stays in the module, fetched on release.
          hold.announced = true;
          break;
        }
        state.again = false;
        // A +MIPREAD line during the read announces data (of this socket or another): a URC, not the answer.
        const answer = await this.engine.send({ line: buildCommand('+MIPREAD', [p.int('Socket_ID', id), p.int('length', SOCKETS.maxChunk)]), payloads: [MIPDATA], responsePrefixes: ['+MIPDATA:'], nameIsUrc: true, timeoutMs: SOCKETS.chunkTimeoutMs });
        this.fetchFailures.delete(id);
        const data = answer.payloads[0]?.data;
        if (!data || !this.connections.has(id)) continue;
        this.deliver(id, data);
        if (data.length === SOCKETS.maxChunk) state.again = true;
      }
    } catch (err) {
      // The connection ended meanwhile (its +MIPSTAT or +MIPCLOSE says so) or the link went: nothing to fetch.
      if (this.connections.has(id) && !(isModemError(err) && (err.kind === 'LINK_DOWN' || err.kind === 'CLOSED'))) {
        // The data stays in the module, which will not announce it again: try again shortly (a
        // timeout has resynchronised the module by then), a few times.
        const failures = (this.fetchFailures.get(id) ?? 0) + 1;
        this.fetchFailures.set(id, failures);
        const retry = failures < SOCKETS.fetchAttempts;
        this.options.events.emit('warning', `socket ${id}: received data could not be fetched (${(err as Error).message})${retry ? '; trying again' : ''}`);
        if (retry) {
          setTimeout(() => {
            if (this.connections.has(id)) void this.fetch(id);
          }, SOCKETS.fetchRetryMs).unref();
        }
      }
    } finally {
      this.fetching.delete(id);
    }
  }

  async close(socket: string, request: CloseRequest = {}): Promise<void> {
    const id = socketId('msg.socket', socket);
    optionValues('close', request.vendorOptions);
    await this.connections.serial(id, 'send', async () => {
      // The server or a lost link closed it already: the goal is reached. Never opened: refused.
      if (!this.connections.has(id) && this.connections.endedBecause(id) !== undefined) return;
      this.connections.require('msg.socket', id);
      const line = buildCommand('+MIPCLOSE', [p.int('Socket_ID', id)]);
      const closed = new Promise<void>((resolve) => {
        const timer = setTimeout(() => finish(), SOCKETS.closeTimeoutMs);
        timer.unref();
        const finish = (): void => {
          clearTimeout(timer);
          if (this.closing.get(id) === finish) this.closing.delete(id);
          resolve();
        };
        this.closing.set(id, finish);
      });
      try {
        await this.engine.send({ line, timeoutMs: 30000, nameIsUrc: true });
        // The close is done when the module says so (`+MIPCLOSE: <id>,…`), or the server closed meanwhile.
        if (this.connections.has(id)) await closed;
      } catch (err) {
        // ERROR: the module has no such open socket any more — the goal is reached.
        if (!(isModemError(err) && (err.kind === 'FINAL' || err.kind === 'CME'))) throw err;
      } finally {
        this.closing.get(id)?.();
      }
      this.connections.end(id, 'closed by the flow');
    });
  }

  /** The +MIP URCs of sockets; false for any other. */
  onUrc(urc: Urc): boolean {
    const f = urc.fields as Record<string, unknown>;
    switch (urc.name) {
      case '+MIPOPEN': {
        this.pending.get(f.socket as number)?.settle(f.state as number);
        return true;
      }
      case '+MIPRTCP': {
        const id = f.socket as number;
        // A socket no flow opened (an at-command node's): not ours.
        if (!this.connections.has(id)) return true;
        const data = f.data as Buffer;
        if (f.broken) this.options.events.emit('warning', `socket ${id}: a +MIPRTCP line held ${String(f.broken)}; its last digit was dropped`);
        this.received.push(id, data);
        return true;
      }
      case '+MIPREAD': {
        const id = f.socket as number;
        // A socket no flow opened (an at-command node's) is left to whoever reads it.
        if (this.connections.has(id)) void this.fetch(id);
        return true;
      }
      case '+MIPCLOSE': {
        const id = f.socket as number;
        const ours = this.closing.get(id);
        if (ours) ours();
        else this.connections.end(id, 'closed by the server');
        return true;
      }
      case '+MIPSTAT': {
        // 0 acknowledges sent data; any other status ends the connection (and a close waiting for it).
        if (f.status !== 0) {
          this.closing.get(f.socket as number)?.();
          this.connections.end(f.socket as number, `closed by the server or the network (+MIPSTAT status ${String(f.status)})`);
        }
        const pending = this.pending.get(f.socket as number);
        if (pending && f.status !== 0) pending.settle(0);
        return true;
      }
      case '+MIPPUSH':
      case '+MIPXOFF':
      case '+MIPXON':
        return true;
      default:
        return false;
    }
  }
}

function socketId(field: string, value: unknown): number {
  return p.int(field, value, SOCKETS.ids).value;
}
