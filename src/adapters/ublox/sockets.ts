/**
 * u-blox secure TCP sockets: +USOCR (create), +USOSEC (bind to a security profile), +USOCO
 * (connect), +USOWR / +USORD (binary data), +USOCL (close), +USOCTL (the socket's last error) —
 * SARA-R5 AT commands manual UBX-19047455, "Internet protocol transport layer" — and the URCs
 * +UUSORD (data waiting) and +UUSOCL (closed by the module or the server).
 *
 * On u-blox the socket (0..6) is chosen by the module when it is created, and bound to a security
 * profile (0..4) before it connects; at most four TLS connections are open at once.
 *
 * Bulk data takes the quickest documented way for its size and the line rate (`transfer.ts`, the
 * same description `npm run bench` measures against): +USOWR's binary syntax, its HEX-mode base
 * syntax, or direct link (`direct-link.ts`) to send; +USORD reads, or direct link for a large
 * backlog, to receive. Over TCP (ser2net) the line rate is unknown, and only +USOWR's binary
 * syntax and +USORD are used. What a flow sees is the same whichever way: its bytes, in order, on
 * its socket.
 *
 * Owns: the connections the flows opened, their order of sends and reads, data announced by
 * +UUSORD read at once and emitted as `data` (or handed to a `receive` waiting for it; left in
 * the module while the socket is held, `holdReceive`), and
 * +UUSOCL turned into `closed`, a module that restarted behind the host's back (a plain `ERROR`
 * where `+CMEE: 1` was set, or a new socket given the id of one still open) noticed and said so, and
 * a direct link under way stopped when the connection closes (`closeAll`).
 * Must never: split an open (host-name ops of the profile, create, bind, connect) across the queue,
 * leave a socket behind after a failed connect, touch a socket no flow opened, or read while HEX
 * mode may be on.
 */
import type { EventEmitter } from 'node:events';
import { buildCommand, p, readCommand } from '../../at/command';
import type { AtChannel, AtEngine, Urc } from '../../at/engine';
import { isModemError, ModemError, parameterError } from '../../at/errors';
import { parseLine } from '../../at/fields';
import type { PayloadRule } from '../../at/framer';
import type { CloseRequest, OpenRequest, SocketInfo } from '../adapter';
import { AnnouncedReads, readUntilShort } from '../cellular/reads';
import { errorReportingWasReset, isPlainError } from '../cellular/restart';
import { ConnectionTable, SocketWaiters } from '../connections';
import { runDirectLink, type DirectLinkJob } from './direct-link';
import { socketErrno } from './errors';
import { optionValues } from './options';
import { DIRECT_LINK, SOCKETS, USECPRF_LIMITS } from './tables';
import { chooseReceive, chooseSend, ESCAPE, type ReceiveMethodKind, type SendMethodKind } from './transfer';

/** `+USORD: <socket>,<length>,"<data>"`: exactly `<length>` raw bytes between the quotes, which may hold `"` and `\r\nOK\r\n`. */
const USORD_PAYLOAD: PayloadRule = { name: 'USORD', pattern: /^\+USORD: ?(\d+),(\d+),"/, where: 'inline', length: (m) => Number(m[2]), suffix: '"' };

/** One more read after announcements during a drain takes all that is there: the module announces again only what a partial read left. */
const FOLLOW_UP_MAX = 1 << 20;

interface OpenSocket {
  info: SocketInfo;
  profile: number;
}

export interface UbloxSocketsOptions {
  /** Emits `data` and `closed` (the adapter), and `warning` for reads of announced data that failed. */
  events: EventEmitter;
  /** Inside the open's exclusive section, before the socket is created: the profile's host-name ops for `host`. */
  beforeConnect(at: AtChannel, profile: number, host: string): Promise<void>;
  /** The serial line rate; none over TCP, where it is unknown. */
  baudRate?: number;
}

export class UbloxSockets {
  private readonly connections: ConnectionTable<OpenSocket>;
  /**
   * `receive()` calls waiting for data on a socket: an announcement wakes them (true) instead of a
   * push read; the end of the connection wakes them too (false), so a wait never outlives its
   * connection and never takes the data of the next one given the same id.
   */
  private readonly waiting = new SocketWaiters<true>();
  /** The socket just created by an open still in its exclusive section: its announcements are read. */
  private opening: number | null = null;
  /** Sockets the flows had open when the link was lost: still open on the module unless it restarted. */
  private orphans: number[] = [];
  private readonly announced: AnnouncedReads;
  /** The module's escape guard time (S12), read once a session, when a choice first depends on it. */
  private guardMs: number | undefined;
  /** A HEX-mode send was cut short: HEX mode may still be on, and is switched off before the next read or write. */
  private hexMaybeOn = false;
  /** What direct link brought for a socket whose flow was waiting in `receive`, for that read. */
  private readonly stash = new Map<number, Buffer[]>();
  /** Aborted by `closeAll` (the connection closes): a direct link under way stops sending and leaves. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly engine: AtEngine,
    private readonly options: UbloxSocketsOptions,
  ) {
    const events = options.events;
    this.connections = new ConnectionTable<OpenSocket>(events, 'socket');
    this.announced = new AnnouncedReads({
      serial: (id, read) => this.connections.serial(id, 'receive', read),
      read: async (id, length) => {
        const method = length !== undefined ? await this.receiveMethod(length) : null;
        if (length !== undefined && method?.kind === 'direct-link') {
          await this.receiveDirect(id, length, method.guardMs);
          return;
        }
        await this.readAvailable(id, length ?? FOLLOW_UP_MAX, (chunk) => this.announced.bring(id, chunk), () => this.announced.more(id));
      },
      failed: (id, err) => events.emit('warning', `reading the data announced on socket ${id}: ${err.message}`),
      deliver: (id, data) => events.emit('data', String(id), data),
    });
    events.on('closed', (socket: string) => {
      this.announced.forget(Number(socket));
      this.waiting.end(Number(socket));
      this.stash.delete(Number(socket));
    });
  }

  /** A new modem session: what is still open ends; what ended keeps its reason, so a later send on it says why. */
  clear(reason: string): void {
    this.connections.endAll(reason);
    this.announced.clear();
    this.stash.clear();
    // S12 may differ on the module now (another module on the port, a reset).
    this.guardMs = undefined;
  }

  /** The link was lost: every connection is gone for the flows (the module may still hold them: see `closeOrphans`). */
  endAll(reason: string): void {
    this.announced.clear();
    this.stash.clear();
    this.orphans.push(...this.connections.ids());
    this.connections.endAll(reason);
  }

  /**
   * At bring-up after a lost link: closes on the module the sockets the flows had open, so they
   * neither count against its four TLS connections nor announce data nobody reads. A module that
   * restarted meanwhile has none: its "operation not allowed" is the goal reached.
   */
  async closeOrphans(at: AtChannel): Promise<void> {
    // A send cut short by the lost link may have left HEX mode on (a restarted module has it off).
    if (this.hexMaybeOn) await at.send({ line: HEX_MODE_OFF }).then(() => (this.hexMaybeOn = false), () => undefined);
    for (const id of this.orphans.splice(0)) {
      await at.send({ line: buildCommand('+USOCL', [p.int('socket', id)]), timeoutMs: 30000 }).catch((err: unknown) => {
        if (isModemError(err) && (err.kind === 'LINK_DOWN' || err.kind === 'CLOSED')) throw err;
      });
    }
  }

  async closeAll(): Promise<void> {
    // A long send in direct link would hold the line past the close's bound, and leave the module
    // in direct link for the next session: it stops, leaves with the escape, and fails.
    this.stopping.abort();
    await Promise.all(this.connections.ids().map((id) => this.close(String(id)).catch(() => undefined)));
  }

  async open(request: OpenRequest): Promise<SocketInfo> {
    // Everything is checked before the first command: a refused open leaves nothing behind.
    const profile = p.int('profile', request.profile, USECPRF_LIMITS.profiles).value;
    const host = p.str('host', request.host, { minLength: 1, maxLength: 255, pattern: /^[^\s,]+$/, patternHint: 'must be a host name or IP address without spaces' }).value;
    const port = p.int('port', request.port, { min: 1, max: 65535 }).value;
    if (request.mode !== 'command') throw parameterError('mode', `u-blox connections work in command mode here ("${String(request.mode)}" is not offered): data goes with +USOWR and +USORD`);
    optionValues('open', request.vendorOptions);
    // One section from the host name written into the profile to the connect that is verified
    // against it: another flow's open cannot slip its own host name in between.
    return this.engine.exclusive(async (at) => {
      if (this.connections.size >= SOCKETS.maxTls) {
        throw parameterError('socket', `u-blox modules allow at most ${SOCKETS.maxTls} TLS connections at once (+USECMNG notes) and ${this.connections.size} are open (sockets ${this.connections.ids().join(', ')}): close one first (tls-close)`);
      }
      await this.options.beforeConnect(at, profile, host);
      const created = await at.send({ line: buildCommand('+USOCR', [p.int('protocol', SOCKETS.tcp)]), responsePrefixes: ['+USOCR:'] });
      const id = created.lines.map((l) => parseLine(l)).find((l) => l.name === '+USOCR')?.fields[0];
      if (typeof id !== 'number') {
        throw new ModemError({ kind: 'FINAL', vendor: 'ublox', command: 'AT+USOCR=6', message: 'AT+USOCR=6: the module did not say which socket it created' });
      }
      const socket = p.int('socket', id);
      if (this.connections.has(id)) await this.idTakenAgain(at, id);
      this.opening = id;
      try {
        await at.send({ line: buildCommand('+USOSEC', [socket, p.int('ssl_tls_status', SOCKETS.secure), p.int('usecmng_profile_id', profile)]) });
        await at.send({ line: buildCommand('+USOCO', [socket, p.str('host', host), p.int('port', port)]), timeoutMs: request.timeoutMs ?? SOCKETS.connectTimeoutMs });
      } catch (err) {
        throw await this.failedOpen(at, id, err);
      } finally {
        this.opening = null;
      }
      const info: SocketInfo = { socket: String(id), host, port, mode: 'command' };
      this.connections.add(id, { info, profile });
      return info;
    });
  }

  /** A connect failed: read the socket's error number (+USOCTL param 1), free the socket, and say what happened. */
  private async failedOpen(at: AtChannel, id: number, err: unknown): Promise<unknown> {
    if (!isModemError(err) || err.kind === 'LINK_DOWN' || err.kind === 'CLOSED') return err;
    let errno: number | undefined;
    try {
      const answer = await at.send({ line: buildCommand('+USOCTL', [p.int('socket', id), p.int('param_id', SOCKETS.lastError)]), responsePrefixes: ['+USOCTL:'] });
      const fields = answer.lines.map((l) => parseLine(l)).find((l) => l.name === '+USOCTL')?.fields;
      if (fields && fields[0] === id && fields[1] === SOCKETS.lastError && typeof fields[2] === 'number') errno = fields[2];
    } catch {
      // No error number: the original failure says enough.
    }
    // The socket must not leak: a module has only a few.
    await at.send({ line: buildCommand('+USOCL', [p.int('socket', id)]) }).catch(() => undefined);
    if (!errno) return err;
    const known = socketErrno(errno);
    const what = known ? `${known.symbol ? `${known.symbol}, ` : ''}${known.name}` : 'unknown socket error';
    return new ModemError({
      kind: err.kind,
      vendor: 'ublox',
      code: `errno ${errno}`,
      command: err.command,
      line: `+USOCTL: ${id},${SOCKETS.lastError},${errno}`,
      message: `${err.message} — socket error ${errno} (${what})`,
      cause: err,
    });
  }

  /** Sends `data` the quickest way for its size (see the top of this file). */
  async send(socket: string, data: Buffer): Promise<number> {
    const id = socketId('msg.socket', socket);
    return this.connections.serial(id, 'send', async () => {
      this.connections.require('msg.socket', id);
      await this.hexModeOff();
      const method = await this.sendMethod(data.length);
      try {
        if (method.kind === 'direct-link') return await this.sendDirect(id, data, method.guardMs);
        if (method.kind === 'hex') return await this.sendHex(id, data);
        return await this.sendBinary(id, data);
      } catch (err) {
        if (await this.restarted(err)) throw this.connections.require('msg.socket', id);
        throw err;
      }
    });
  }

  /**
   * After a plain `ERROR` to a socket command: whether the module restarted behind the host's back
   * (power, a watchdog, a reset) — the host asked for `+CMEE: 1` at bring-up, and a restarted module
   * is back to 0 (and to echo on), having lost every socket. Then every connection ends saying so,
   * and the adapter asks for the module to be brought up again (`restarted`).
   */
  private async restarted(err: unknown): Promise<boolean> {
    return isPlainError(err) && this.checkRestart(this.engine);
  }

  /** `+CMEE?` answers 0: the module restarted — every connection ends, and the adapter asks to bring it up again. */
  private async checkRestart(at: Pick<AtChannel, 'send'>): Promise<boolean> {
    if (!(await errorReportingWasReset(at))) return false;
    this.clear(RESTARTED);
    this.options.events.emit('restarted', RESTARTED);
    return true;
  }

  /**
   * +USOCR gave the id of a connection a flow still has open: the module no longer holds that one.
   * After a restart the new socket is closed again and the open fails — the bring-up that follows
   * would end it — so the flow opens once the module is up; otherwise only the old connection ends.
   */
  private async idTakenAgain(at: AtChannel, id: number): Promise<void> {
    if (await this.checkRestart(at)) {
      await at.send({ line: buildCommand('+USOCL', [p.int('socket', id)]) }).catch(() => undefined);
      throw new ModemError({
        kind: 'LINK_DOWN',
        vendor: 'ublox',
        command: 'AT+USOCR=6',
        message: `${RESTARTED}; it is being brought up again — open the connection again (tls-open) once it is ready`,
      });
    }
    this.connections.end(id, `the module no longer held it: it gave socket ${id} to a new connection`);
  }

  /** +USOWR binary syntax: `AT+USOWR=<socket>,<length>`, the `@` prompt, 50 ms, exactly the bytes, `+USOWR: <socket>,<length>`. */
  private async sendBinary(id: number, data: Buffer): Promise<number> {
    let sent = 0;
    for (let offset = 0; offset < data.length; offset += SOCKETS.maxChunk) {
      const part = data.subarray(offset, offset + SOCKETS.maxChunk);
      const line = buildCommand('+USOWR', [p.int('socket', id), p.int('length', part.length)]);
      const answer = await this.engine.send({ line, prompt: { markers: [SOCKETS.prompt], payload: part, terminator: 'none', delayMs: SOCKETS.promptDelayMs, quietAbortMs: SOCKETS.promptGuardMs }, responsePrefixes: ['+USOWR:'], timeoutMs: 30000 });
      sent += this.written(line.display, answer.lines, part.length, sent, data.length);
    }
    return sent;
  }

  /**
   * +USOWR base syntax in HEX mode: `AT+UDCONF=1,1`, then `AT+USOWR=<socket>,<length>,"<hex>"` for
   * each 512 bytes, then `AT+UDCONF=1,0` — one section, so that no read happens while the module
   * prints its data in hex.
   */
  private sendHex(id: number, data: Buffer): Promise<number> {
    return this.engine.exclusive(async (at) => {
      try {
        await at.send({ line: HEX_MODE_ON });
        let sent = 0;
        for (let offset = 0; offset < data.length; offset += SOCKETS.maxHexChunk) {
          const part = data.subarray(offset, offset + SOCKETS.maxHexChunk);
          const built = buildCommand('+USOWR', [p.int('socket', id), p.int('length', part.length), p.str('data', part.toString('hex').toUpperCase())]);
          // The data is the flow's, not a command's text: traces and errors show its size.
          const line = { ...built, display: `AT+USOWR=${id},${part.length},"<${part.length} bytes in hex>"` };
          const answer = await at.send({ line, responsePrefixes: ['+USOWR:'], timeoutMs: 30000 });
          sent += this.written(line.display, answer.lines, part.length, sent, data.length);
        }
        return sent;
      } finally {
        await at.send({ line: HEX_MODE_OFF }).catch(() => (this.hexMaybeOn = true));
      }
    });
  }

  /** Direct link for a send: the section holds the line from +USODL to DISCONNECT. */
  private sendDirect(id: number, data: Buffer, guardMs: number): Promise<number> {
    return this.engine.exclusive(async (at) => {
      const outcome = await runDirectLink(at, this.directLinkJob(id, data, 0, guardMs));
      // The module left by itself: bytes still on the line then, or never written, did not reach the connection.
      const missing = data.length - outcome.sent + outcome.late;
      if (outcome.dropped && missing > 0) {
        throw new ModemError({
          kind: 'FINAL',
          vendor: 'ublox',
          command: `AT+USODL=${id}`,
          line: DIRECT_LINK.disconnect,
          message: `AT+USODL=${id}: the module left direct link (${DIRECT_LINK.disconnect}) before the send was over — about ${missing} of ${data.length} bytes did not reach the connection, which has probably ended`,
        });
      }
      if (outcome.escapeSent) throw escapeTakenForData(id);
      return data.length;
    });
  }

  /** Direct link for a backlog the module announced: its bytes come as `data`, or go to a `receive` waiting. */
  private receiveDirect(id: number, length: number, guardMs: number): Promise<void> {
    return this.engine.exclusive(async (at) => {
      // Closed or ended while the read waited for its turn: nothing to take.
      if (!this.connections.has(id)) return;
      const outcome = await runDirectLink(at, this.directLinkJob(id, Buffer.alloc(0), length, guardMs));
      if (outcome.escapeSent) this.options.events.emit('warning', escapeTakenForData(id).message);
    });
  }

  /** Built before the section: asking the module for S12 inside it would wait for the section's end. */
  private directLinkJob(id: number, data: Buffer, expect: number, guardMs: number): DirectLinkJob {
    return {
      socket: id,
      data,
      expect,
      baudRate: this.options.baudRate!,
      guardMs,
      signal: this.stopping.signal,
      deliver: (chunk: Buffer) => this.fromDirectLink(id, chunk),
      // The lines of URCs that came inside the raw bytes go where every URC goes.
      urc: (urc: Urc) => this.engine.emit('urc', urc),
    };
  }

  /** Bytes direct link brought: to a `receive` waiting for them, else to the flows as pushed data. */
  private fromDirectLink(id: number, chunk: Buffer): void {
    const stashed = this.stash.get(id);
    if (stashed) {
      stashed.push(chunk);
      return;
    }
    if (this.waiting.has(id)) {
      this.stash.set(id, [chunk]);
      this.waiting.wake(id, true);
      return;
    }
    // Held (`holdReceive`): a backlog on its way in direct link is kept for the release.
    this.announced.bring(id, chunk);
  }

  /**
   * `holdReceive`: while held, +UUSORD is noted and nothing is read, so the data stays in the
   * module's receive buffer (and its TCP window slows the server); a read already under way stops
   * after its current +USORD. On release what was announced is read. True for an open socket.
   */
  holdReceive(socket: string, hold: boolean): boolean {
    const id = Number(socket);
    if (!Number.isInteger(id) || !this.connections.has(id)) {
      if (Number.isInteger(id)) this.announced.forget(id);
      return false;
    }
    this.announced.hold(id, hold);
    return true;
  }

  /** Up to `max` bytes of what direct link brought for a `receive`. */
  private takeStash(id: number, max: number): Buffer {
    const parts = this.stash.get(id);
    if (!parts) return Buffer.alloc(0);
    const all = Buffer.concat(parts);
    const out = all.subarray(0, max);
    if (all.length > max) this.stash.set(id, [all.subarray(max)]);
    else this.stash.delete(id);
    return out;
  }

  /** Bytes the module took, from `+USOWR: <socket>,<length>`; a short write fails the send. */
  private written(command: string, lines: string[], length: number, before: number, total: number): number {
    const fields = lines.map((l) => parseLine(l)).find((l) => l.name === '+USOWR')?.fields;
    const taken = typeof fields?.[1] === 'number' ? fields[1] : length;
    if (taken !== length) {
      throw new ModemError({ kind: 'FINAL', vendor: 'ublox', command, line: lines.join(' '), message: `${command}: the module took ${taken} of ${length} bytes (${before + taken} of ${total} sent in all)` });
    }
    return taken;
  }

  /** Which way to send `bytes` (`transfer.ts`), with the guard time it was chosen by; the binary syntax when the line rate is unknown. */
  private async sendMethod(bytes: number): Promise<{ kind: SendMethodKind; guardMs: number }> {
    const baudRate = this.options.baudRate;
    if (!baudRate) return { kind: 'binary', guardMs: ESCAPE.guardMs };
    const guardMs = await this.guardTime();
    return { kind: chooseSend(bytes, baudRate, guardMs).kind, guardMs };
  }

  /** Which way to take an announced backlog of `bytes`: +USORD unless direct link wins even without guard times to know. */
  private async receiveMethod(bytes: number): Promise<{ kind: ReceiveMethodKind; guardMs: number }> {
    const baudRate = this.options.baudRate;
    if (!baudRate || chooseReceive(bytes, baudRate, 0).kind === 'read') return { kind: 'read', guardMs: ESCAPE.guardMs };
    const guardMs = await this.guardTime();
    return { kind: chooseReceive(bytes, baudRate, guardMs).kind, guardMs };
  }

  /** S12 as the module reports it (`ATS12?` → `050`: fiftieths of a second); the default when it does not say. */
  private async guardTime(): Promise<number> {
    if (this.guardMs === undefined) {
      const answer = await this.engine.send({ line: readCommand('S12') }).catch(() => null);
      const value = answer?.lines.map((l) => l.trim()).find((l) => /^\d+$/.test(l));
      this.guardMs = value !== undefined ? Number(value) * DIRECT_LINK.guardUnitMs : ESCAPE.guardMs;
    }
    return this.guardMs;
  }

  /** After a HEX-mode send cut short: HEX mode off before anything reads or writes data. */
  private async hexModeOff(): Promise<void> {
    if (!this.hexMaybeOn) return;
    await this.engine.send({ line: HEX_MODE_OFF });
    this.hexMaybeOn = false;
  }

  async receive(socket: string, maxBytes: number, timeoutMs?: number): Promise<Buffer> {
    const id = socketId('msg.socket', socket);
    const max = p.int('msg.length', maxBytes, { min: 1, max: 1 << 20 }).value;
    return this.connections.serial(id, 'receive', async () => {
      this.connections.require('msg.socket', id);
      let data = this.takeStash(id, max);
      if (data.length === 0) data = await this.readAvailable(id, max);
      if (data.length === 0 && timeoutMs !== undefined && timeoutMs > 0 && !this.waiting.has(id)) {
        // Wait for the module's announcement (or direct link's bytes); it wakes this call instead of a push read.
        const announced = (await this.waiting.wait(id, timeoutMs)) === true;
        // Closed while waiting (by the server, the flow or a lost link): say so rather than read.
        this.connections.require('msg.socket', id);
        if (announced) data = this.takeStash(id, max);
        if (announced && data.length === 0) data = await this.readAvailable(id, max);
      }
      return data;
    });
  }

  /** Reads up to `max` bytes in +USORD commands of at most 1024, stopping at a short read; `each` sees every chunk. */
  private async readAvailable(id: number, max: number, each?: (chunk: Buffer) => void, more?: () => boolean): Promise<Buffer> {
    await this.hexModeOff();
    return readUntilShort(max, SOCKETS.maxChunk, async (want) => {
      const answer = await this.engine.send({
        line: buildCommand('+USORD', [p.int('socket', id), p.int('length', want)]),
        payloads: [USORD_PAYLOAD],
        responsePrefixes: ['+USORD:'],
        timeoutMs: 10000,
      });
      return answer.payloads[0]?.data ?? Buffer.alloc(0);
    }, each, more);
  }

  async close(socket: string, request: CloseRequest = {}): Promise<void> {
    const id = socketId('msg.socket', socket);
    optionValues('close', request.vendorOptions);
    await this.connections.serial(id, 'send', async () => {
      // The module or a lost link closed it already (+UUSOCL): the goal is reached. Never opened: refused.
      if (!this.connections.has(id) && this.connections.endedBecause(id) !== undefined) return;
      this.connections.require('msg.socket', id);
      try {
        await this.engine.send({ line: buildCommand('+USOCL', [p.int('socket', id)]), timeoutMs: 30000 });
      } catch (err) {
        // "operation not allowed": no such open socket any more — the goal is reached; so is a module that restarted.
        const e = err as ModemError;
        const gone = isModemError(e) && e.kind === 'CME' && (e.code === 3 || String(e.code).toLowerCase() === 'operation not allowed');
        if (!gone && !(await this.restarted(err))) throw err;
      }
      this.connections.end(id, 'closed by the flow');
    });
  }

  /** +UUSORD and +UUSOCL; false for any other URC. */
  onUrc(urc: Urc): boolean {
    if (urc.name === '+UUSORD') {
      const { socket, length } = urc.fields as { socket: number; length: number };
      // A socket no flow opened (one of an at-command node, or left from before): not ours to read.
      if (!this.connections.has(socket) && this.opening !== socket) return true;
      // A read waiting takes the news; otherwise read at once, through the queue, so flows get the data pushed.
      if (!this.waiting.wake(socket, true) && length > 0) this.announced.announce(socket, length);
      return true;
    }
    if (urc.name === '+UUSOCL') {
      const { socket } = urc.fields as { socket: number };
      // The module reports the close once the last byte was read, perhaps right behind that read's
      // answer: the connection ends after the read under way has delivered it.
      const entry = this.connections.get(socket);
      const end = (): void => {
        if (this.connections.get(socket) === entry) this.connections.end(socket, 'closed by the server');
      };
      if (entry && this.announced.busy(socket)) void this.announced.settled(socket).then(end);
      else this.connections.end(socket, 'closed by the server');
      return true;
    }
    return false;
  }
}

/** Why connections end when the module restarted behind the host's back. */
const RESTARTED = 'the module restarted: its error reporting was back to the default (+CMEE: 0) and its sockets were gone';

/** The module took the first escape for data (it heard a byte within the guard time): the server got `+++` too. */
function escapeTakenForData(id: number): ModemError {
  return new ModemError({
    kind: 'FINAL',
    vendor: 'ublox',
    command: ESCAPE.sequence,
    message: `socket ${id}: the module took the first ${ESCAPE.sequence} for data (a byte reached it within its guard time), so the server received "${ESCAPE.sequence}" after the data; the second one ended direct link`,
  });
}

/** +UDCONF=1: HEX mode on, and back off (the default). */
const HEX_MODE_ON = buildCommand('+UDCONF', [p.int('op_code', SOCKETS.hexModeOp), p.int('hex_mode_disable', 1)]);
const HEX_MODE_OFF = buildCommand('+UDCONF', [p.int('op_code', SOCKETS.hexModeOp), p.int('hex_mode_disable', 0)]);

function socketId(field: string, value: unknown): number {
  return p.int(field, value, SOCKETS.ids).value;
}
