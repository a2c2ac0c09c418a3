/**
 * eS-WiFi TLS client connections (seeds/002 l. 42–74 and the Inventek eS-WiFi AT command set,
 * IWIN, as ST es_wifi.c, Zephyr eswifi_socket.c and mbed ISM43362 use it). Every P, S and R
 * command acts on the socket `P0` selected; a connection is opened with
 * `P0=<s>`, `P6=0`, `P1=3`, `PF=<set>`, `D0=<host>`, `P3=<ip>`, `P4=<port>`, `P9=<mode>`,
 * `R1=1460`, `R2=0`, `P6=1` — answered once TCP and the handshake are done, or with an ERROR.
 * Data goes out as `S3=<n>` CR and exactly n bytes, answered by the count sent (`-1`: the socket
 * is no longer connected), and comes in only when asked: `R0` answers what the module holds, raw
 * (see `reply.ts`). The module says nothing when data arrives or the server closes, so each open
 * connection is polled: at once again after data, else after a pause growing from 10 ms to
 * `pollMs`. Sends, and reads while the module answers full ones, go in bursts of one section
 * each, P0 sent once per burst (`SOCKETS.burstMs`; the bytes of each in `transfer.ts`). An
 * ERROR to R0 means the server closed it (NF wifi.c); `-1` means so too, when P? shows no remote
 * address — otherwise `-1` is two bytes of data. When a connection ends so, `CS` tells whether the
 * module is still joined: if not, it restarted or lost the access point, and every connection ended.
 * A redeploy stops sends in flight at their next burst, then stops every connection.
 *
 * Owns: the connections the flows opened, their pollers (paused while a connection is held,
 * `holdReceive`), the order of sends and the close on a socket, received data on its way to the
 * flows, and freeing a socket on the module whenever a
 * connection ends or an open fails.
 * Must never: send a command outside an exclusive section (every socket command depends on P0),
 * poll a connection after its close began, drop or reorder received bytes, or touch a socket no
 * flow opened except to free it before an open.
 */
import type { EventEmitter } from 'node:events';
import { buildCommand, p, readCommand } from '../../at/command';
import type { AtChannel, AtEngine } from '../../at/engine';
import { isModemError, ModemError, parameterError } from '../../at/errors';
import type { CloseRequest, OpenRequest, SocketInfo } from '../adapter';
import { ConnectionTable, ReceivedData } from '../connections';
import { optionValues } from './options';
import { parseReadReply, readReplyEnd, resolvedAddress, sentCount, showsNotConnected, type ReadReply } from './reply';
import { ESWIFI, type Selection } from './selection';
import { setOf } from './sets';
import { SOCKETS } from './tables';
import { READ_LINE, R0_RECEIVE, S3_SEND, sendLine } from './transfer';

interface OpenSocket {
  info: SocketInfo;
  /** The longest pause between two reads while no data comes. */
  pollMs: number;
  /** False once the connection ends or its close begins: the poller stops. */
  polling: boolean;
  /** Ends the poller's pause at once. */
  wake: (() => void) | null;
  /** The poller, until it stops. */
  loop: Promise<void>;
}

export interface EswifiSocketsOptions {
  /** Emits `data`, `closed` and `warning` (the adapter). */
  events: EventEmitter;
  selection: Selection;
  /** Before an open's section: the join started at bring-up has an outcome (its failure is the open's). */
  settled(): Promise<void>;
  /** Inside an open's section, before its socket is selected: the module has joined the network. */
  beforeOpen(at: AtChannel): Promise<void>;
  /** The P9 for a set, from the profile applied to it, and a warning when there is none. */
  verification(set: number): { p9: number; warning?: string };
  /** Inside a section: `CS`, whether the module is still joined to the network. */
  joined(at: AtChannel): Promise<boolean>;
}

/**
 * Why every connection ended when one ends and the module is no longer joined: it restarted (a
 * restart prints only its ready prompt, which no host can tell from the end of an answer) or lost
 * the access point — either way no connection of it is left.
 */
export const LEFT_NETWORK = 'the module is no longer joined to the Wi-Fi network (it restarted, or lost the access point): open it again';

/** How many R0 a connection that ended is still read for (what the module held when the server closed). */
const DRAIN_READS = 64;

const command = (name: string, params: Parameters<typeof buildCommand>[1] = []) => buildCommand(name, params, ESWIFI);
const STOP = command('P6', [p.int('start', 0)]);
const SETTINGS = readCommand('P', ESWIFI);

function socketId(field: string, value: unknown): number {
  return p.int(field, value, SOCKETS.ids).value;
}

function linkGone(err: unknown): boolean {
  return isModemError(err) && (err.kind === 'LINK_DOWN' || err.kind === 'CLOSED');
}

export class EswifiSockets {
  private readonly connections: ConnectionTable<OpenSocket>;
  private readonly received: ReceivedData;
  /** Sockets with an open under way (inside its section). */
  private readonly pending = new Set<number>();
  /** Sockets the flows had open when the link was lost: freed on the module at the next bring-up. */
  private orphans: number[] = [];
  /** `closeAll` runs: sends stop before their next burst. */
  private closing = false;
  /**
   * Held connections (`holdReceive`): their poller sends no R0, so what arrives stays in the
   * module; `kept` is what a burst already under way read, delivered first on release.
   */
  private readonly holds = new Map<number, { kept: Buffer[] }>();

  constructor(
    private readonly engine: AtEngine,
    private readonly options: EswifiSocketsOptions,
  ) {
    this.connections = new ConnectionTable<OpenSocket>(options.events, 'socket');
    // A hold on a connection that ends is forgotten; what it kept (read already, perhaps the last
    // bytes) goes to the flows first — before `received` forgets the connection.
    options.events.on('closed', (socket: string) => {
      const id = Number(socket);
      const hold = this.holds.get(id);
      this.holds.delete(id);
      for (const data of hold?.kept ?? []) this.received.push(id, data);
    });
    this.received = new ReceivedData(options.events, SOCKETS.heldMax);
  }

  get openCount(): number {
    return this.connections.size;
  }

  /**
   * Every connection is gone for the flows (a bring-up, a lost link, the engine closed): the
   * pollers stop. With `orphaned`, the module may still hold them: `closeOrphans` frees them.
   */
  endAll(reason: string, orphaned = false): void {
    for (const id of this.connections.ids()) this.stopPolling(this.connections.get(id)!);
    if (orphaned) this.orphans.push(...this.connections.ids());
    this.connections.endAll(reason);
  }

  /** At bring-up after a lost link: the sockets the flows had open are stopped on the module. */
  async closeOrphans(at: AtChannel): Promise<void> {
    for (const id of this.orphans.splice(0)) {
      try {
        await this.options.selection.selectSocket(at, id);
        await at.send({ line: STOP });
      } catch (err) {
        if (linkGone(err)) throw err;
        this.options.selection.unsure();
      }
    }
  }

  /**
   * Redeploy or shutdown: sends in flight stop at their next burst (a long one would hold its
   * socket's close for as long as it runs), then every connection is stopped on the module.
   */
  async closeAll(): Promise<void> {
    this.closing = true;
    try {
      await Promise.all(this.connections.ids().map((id) => this.close(String(id)).catch(() => undefined)));
    } finally {
      this.closing = false;
    }
  }

  async open(request: OpenRequest): Promise<SocketInfo> {
    // Everything is checked before the first command: a refused open leaves nothing behind.
    const set = setOf('profile', request.profile);
    const host = p.unquoted('host', request.host, {
      minLength: 1,
      maxLength: 255,
      pattern: /^[A-Za-z0-9._-]+$/,
      patternHint: 'must be a host name or IPv4 address (letters, digits, ".", "-", "_"): the module resolves names itself (D0) and connects over IPv4 only',
    }).value;
    const port = p.int('port', request.port, { min: 1, max: 65535 }).value;
    if (request.mode !== 'command') throw parameterError('mode', `Inventek eS-WiFi connections work in command mode ("${String(request.mode)}" is not offered): data goes with S3 and R0`);
    const vo = optionValues('open', request.vendorOptions);
    const pollMs = (vo.pollMs as number | undefined) ?? SOCKETS.poll.default;
    const timeoutMs = request.timeoutMs ?? SOCKETS.openTimeoutMs;
    this.checkRoom();
    const { p9, warning } = this.options.verification(set);
    await this.options.settled();
    const { selection } = this.options;
    return selection.section(this.engine, async (at) => {
      await this.options.beforeOpen(at);
      const id = this.freeSocket();
      if (warning) this.options.events.emit('warning', warning);
      const info: SocketInfo = { socket: String(id), host, port, mode: 'command' };
      this.pending.add(id);
      try {
        await selection.selectSocket(at, id);
        // A socket left connected (by an earlier run, or another program) is stopped first, as
        // Zephyr's driver does before each start: P6=1 on a connected socket is refused.
        await at.send({ line: STOP });
        await at.send({ line: command('P1', [p.int('protocol', SOCKETS.protocolTls)]) });
        await selection.selectSet(at, set);
        const dns = await at.send({ line: command('D0', [p.unquoted('host', host, { maxLength: 255 })]), timeoutMs: SOCKETS.dnsTimeoutMs });
        const ip = resolvedAddress(dns.lines);
        if (!ip) {
          throw new ModemError({ kind: 'FINAL', vendor: 'eswifi', command: `D0=${host}`, message: `D0=${host}: the module answered no IPv4 address for "${host}"` });
        }
        // D0 sets the remote address too (l. 48: "Get IP address of server"); every public driver sends P3 all the same.
        await at.send({ line: command('P3', [p.unquoted('ip', ip)]) });
        await at.send({ line: command('P4', [p.int('port', port, { min: 1, max: 65535 })]) });
        await at.send({ line: command('P9', [p.int('verification', p9, { min: 0, max: 2 })]) });
        await at.send({ line: command('R1', [p.int('readSize', R0_RECEIVE.chunk)]) });
        await at.send({ line: command('R2', [p.int('readTimeout', SOCKETS.readWaitMs)]) });
        await at.send({ line: command('P6', [p.int('start', 1)]), timeoutMs });
      } catch (err) {
        // The socket must not stay half-set or connected on the module.
        selection.unsure();
        if (!linkGone(err)) {
          await selection.selectSocket(at, id).then(() => at.send({ line: STOP })).catch(() => selection.unsure());
        }
        throw openFailed(err, host, port, set, p9);
      } finally {
        this.pending.delete(id);
      }
      const entry: OpenSocket = { info, pollMs, polling: true, wake: null, loop: Promise.resolve() };
      this.connections.add(id, entry);
      entry.loop = this.poll(id, entry);
      return info;
    });
  }

  /** Refused before anything is sent when every socket is taken. */
  private checkRoom(): void {
    const used = this.connections.size + this.pending.size;
    if (used >= SOCKETS.maxTls) {
      throw parameterError('socket', `the Inventek eS-WiFi has ${SOCKETS.maxTls} sockets and ${used} are open (${this.connections.ids().join(', ')}): close one first (tls-close)`);
    }
  }

  private freeSocket(): number {
    this.checkRoom();
    for (let id = SOCKETS.ids.min; id <= SOCKETS.ids.max; id++) {
      if (!this.connections.has(id) && !this.pending.has(id)) return id;
    }
    throw parameterError('socket', `every socket of the Inventek eS-WiFi (${SOCKETS.ids.min}..${SOCKETS.ids.max}) is in use: close one first (tls-close)`);
  }

  /**
   * `S3=<n>` CR and exactly n bytes, in chunks of at most 1460 (`S3_SEND`), each answered by the
   * count sent. The chunks go in bursts: one section, P0 once, then chunks until `SOCKETS.burstMs`
   * has passed; reads of this and other sockets go on between bursts.
   */
  async send(socket: string, data: Buffer): Promise<number> {
    const id = socketId('msg.socket', socket);
    return this.connections.serial(id, 'send', async () => {
      const entry = this.connections.require('msg.socket', id);
      let sent = 0;
      while (sent < data.length) {
        if (this.closing) {
          throw new ModemError({ kind: 'CLOSED', vendor: 'eswifi', message: `the modem connection is closing (redeploy or shutdown): ${sent} of ${data.length} bytes were sent on socket ${id}` });
        }
        const burst = await this.options.selection.section(this.engine, async (at) => {
          this.connections.require('msg.socket', id);
          await this.options.selection.selectSocket(at, id);
          const started = Date.now();
          let bytes = 0;
          do {
            const part = data.subarray(sent + bytes, sent + bytes + S3_SEND.chunk);
            const line = sendLine(part.length);
            const answer = await at.send({ line, inline: { separator: '\r', payload: part }, timeoutMs: SOCKETS.sendTimeoutMs });
            const count = sentCount(answer.lines);
            if (count !== part.length) {
              // The server closed it: what the module still holds goes to the flows first.
              if (count === -1) await this.ended(at, id, entry, true);
              return { bytes, failed: { line, count, part: part.length } };
            }
            bytes += part.length;
          } while (sent + bytes < data.length && Date.now() - started < SOCKETS.burstMs);
          return { bytes, failed: undefined };
        });
        sent += burst.bytes;
        const failed = burst.failed;
        if (failed?.count === -1) {
          throw new ModemError({
            kind: 'FINAL',
            vendor: 'eswifi',
            code: '-1',
            command: failed.line.display,
            line: '-1',
            message: `${failed.line.display}: socket ${id} was ${this.connections.endedBecause(id) === LEFT_NETWORK ? `closed: ${LEFT_NETWORK}` : 'closed by the server'} (the module answered -1); ${sent} of ${data.length} bytes were sent`,
          });
        }
        if (failed) {
          throw new ModemError({
            kind: 'FINAL',
            vendor: 'eswifi',
            command: failed.line.display,
            message: `${failed.line.display}: the module answered ${failed.count === undefined ? 'no count' : `${failed.count} bytes sent`} for ${failed.part}; ${sent} of ${data.length} bytes were sent before`,
          });
        }
      }
      return sent;
    });
  }

  /**
   * `holdReceive`: a held connection is not polled, so what arrives stays in the module (and its
   * TCP window slows the server); a burst of reads under way stops after its current R0. On
   * release the poller reads again at once. True for an open connection.
   */
  holdReceive(socket: string, hold: boolean): boolean {
    const id = Number(socket);
    const entry = this.connections.get(id);
    if (!entry) return false;
    if (hold) {
      if (!this.holds.has(id)) this.holds.set(id, { kept: [] });
      return true;
    }
    const held = this.holds.get(id);
    if (!held) return true;
    this.holds.delete(id);
    for (const data of held.kept) this.deliver(id, data);
    // Held again while the kept data went out: the poller waits for that release.
    if (!this.holds.has(id)) entry.wake?.();
    return true;
  }

  /** Read data: to the flows, or kept while the connection is held. */
  private deliver(id: number, data: Buffer): void {
    const hold = this.holds.get(id);
    if (hold) hold.kept.push(data);
    else this.received.push(id, data);
  }

  /** What the poller pushed: held data, or the next chunk within `timeoutMs`; empty when nothing came. */
  receive(socket: string, maxBytes: number, timeoutMs?: number): Promise<Buffer> {
    return this.received.receive(this.connections, socketId('msg.socket', socket), maxBytes, timeoutMs);
  }

  /** The poller stops, then `P6=0` stops the client on the module. */
  async close(socket: string, request: CloseRequest = {}): Promise<void> {
    const id = socketId('msg.socket', socket);
    optionValues('close', request.vendorOptions);
    await this.connections.serial(id, 'send', async () => {
      // The server or a lost link closed it already: the goal is reached. Never opened: refused.
      if (!this.connections.has(id) && this.connections.endedBecause(id) !== undefined) return;
      const entry = this.connections.require('msg.socket', id);
      this.stopPolling(entry);
      await entry.loop;
      if (!this.connections.has(id)) return;
      try {
        await this.options.selection.section(this.engine, async (at) => {
          await this.options.selection.selectSocket(at, id);
          await at.send({ line: STOP });
        });
      } catch (err) {
        // ERROR: the module has nothing to stop — the goal is reached; anything else is reported,
        // the connection ended for the flows all the same (the next open of the socket stops it first).
        if (!(isModemError(err) && err.kind === 'FINAL')) {
          this.connections.end(id, `closed by the flow (the module did not confirm: ${(err as Error).message})`);
          throw err;
        }
      }
      this.connections.end(id, 'closed by the flow');
    });
  }

  private stopPolling(entry: OpenSocket): void {
    entry.polling = false;
    entry.wake?.();
  }

  /** Reads a connection until it ends or its close begins. */
  private async poll(id: number, entry: OpenSocket): Promise<void> {
    let pause: number = SOCKETS.pollStartMs;
    let failing = false;
    while (entry.polling) {
      if (this.holds.has(id)) {
        // Held: no R0 until the release (or the close) wakes the poller.
        await new Promise<void>((resolve) => {
          entry.wake = () => {
            entry.wake = null;
            resolve();
          };
        });
        pause = SOCKETS.pollStartMs;
        continue;
      }
      let got: 'data' | 'none' | 'ended';
      try {
        got = await this.options.selection.section(this.engine, (at) => this.readBurst(at, id, entry));
        failing = false;
      } catch (err) {
        if (!entry.polling || linkGone(err)) return;
        if (!failing) this.options.events.emit('warning', `socket ${id}: reading it from the module (R0) failed: ${(err as Error).message}; trying again`);
        failing = true;
        got = 'none';
        pause = entry.pollMs;
      }
      if (got === 'ended') return;
      if (got === 'data') {
        pause = SOCKETS.pollStartMs;
        continue;
      }
      if (!entry.polling) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pause);
        timer.unref?.();
        function done(): void {
          clearTimeout(timer);
          entry.wake = null;
          resolve();
        }
        entry.wake = done;
      });
      pause = Math.min(pause * 2, entry.pollMs);
    }
  }

  /**
   * Reads of socket `id` inside a section: data pushed to the flows, or the connection's end
   * seen. While the module answers full reads (R1 bytes: it likely holds more) the section reads
   * on, for up to `SOCKETS.burstMs`, P0 sent once for all of them.
   */
  private async readBurst(at: AtChannel, id: number, entry: OpenSocket): Promise<'data' | 'none' | 'ended'> {
    if (!entry.polling) return 'ended';
    // Held while the section waited for its turn: nothing is read.
    if (this.holds.has(id)) return 'none';
    await this.options.selection.selectSocket(at, id);
    const started = Date.now();
    let got: 'data' | 'none' = 'none';
    for (;;) {
      const reply = await this.read(at);
      if (reply.kind === 'error' || (reply.kind === 'minus-one' && (await this.notConnected(at)))) {
        await this.ended(at, id, entry, false);
        return 'ended';
      }
      if (reply.data.length === 0) return got;
      this.deliver(id, reply.data);
      got = 'data';
      if (reply.data.length < R0_RECEIVE.chunk || !entry.polling || this.holds.has(id) || Date.now() - started >= SOCKETS.burstMs) return got;
    }
  }

  /** `R0`, its raw answer taken whole (see `reply.ts`). */
  private async read(at: AtChannel): Promise<ReadReply> {
    const answer = await at.send({ line: READ_LINE, rawReply: { end: readReplyEnd(R0_RECEIVE.chunk), quietMs: SOCKETS.quietMs }, timeoutMs: SOCKETS.readTimeoutMs });
    return parseReadReply(answer.payloads[0]?.data ?? Buffer.alloc(0), READ_LINE.display);
  }

  /** `P?`: whether the selected client has no remote address (or the module refuses to say). */
  private async notConnected(at: AtChannel): Promise<boolean> {
    try {
      const answer = await at.send({ line: SETTINGS });
      return showsNotConnected(answer.lines);
    } catch (err) {
      if (isModemError(err) && err.kind === 'FINAL') return true;
      throw err;
    }
  }

  /**
   * The server closed connection `id` (its socket selected): with `drain`, what the module still
   * holds is read first; then the client is stopped on the module and the flows told.
   */
  private async ended(at: AtChannel, id: number, entry: OpenSocket, drain: boolean): Promise<void> {
    this.stopPolling(entry);
    for (let i = 0; drain && i < DRAIN_READS; i++) {
      const reply = await this.read(at).catch(() => null);
      if (!reply || reply.kind !== 'data' || reply.data.length === 0) break;
      // Held: kept behind what the hold kept already, and delivered in order as the connection ends.
      this.deliver(id, reply.data);
    }
    // The module says nothing when it restarts or loses the access point: its sockets just end.
    // CS tells that apart from a server's close, for this connection and every other one.
    const joined = await this.options.joined(at).catch((err: unknown) => {
      if (linkGone(err)) throw err;
      return true;
    });
    await at.send({ line: STOP }).catch((err: unknown) => {
      if (linkGone(err)) throw err;
      this.options.selection.unsure();
    });
    if (joined) this.connections.end(id, 'closed by the server');
    else this.endAll(LEFT_NETWORK);
  }
}

/** An open that failed, said with the server and the set; the module's own answer kept for the decoder. */
function openFailed(err: unknown, host: string, port: number, set: number, p9: number): unknown {
  if (!isModemError(err) || err.kind !== 'FINAL') return err;
  const answer = err.line ?? err.message;
  return new ModemError({
    kind: 'FINAL',
    vendor: 'eswifi',
    code: err.code,
    command: err.command,
    line: err.line,
    message: `the connection to ${host}:${port} (set ${set}, P9=${p9}) failed: ${err.command ? `${err.command}: ` : ''}${answer}`,
    cause: err,
  });
}
