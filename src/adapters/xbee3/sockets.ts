/**
 * XBee3 TLS connections. In API mode each is a socket of its own (XBee3 Cellular User Guide,
 * "Socket Create - 0x40" … "Socket Status - 0xCF"): Socket Create with protocol 4 (TLS), Socket
 * Option 0x00 to bind one of the profiles $0..$2, Socket Connect answered at once (0xC2, the
 * connection "started") and later by Socket Status (0xCF: 0x00 connected; anything else is fatal
 * and frees the socket ID). Data goes in Socket Send frames of at most 1500 bytes, each confirmed
 * by a Transmit Status (0x89) and a few under way at once (`transfer.ts`), and comes in Socket
 * Receive frames (0xCD) without polling.
 *
 * Transparent mode is the other path, `mode: "online"`, with profile 0 only (seeds/000 l. 10–11),
 * as socket 255 (`SOCKETS.transparentId`):
 * IP 4, DL and DE name the server, AP 0, and after `ATCN` every byte on the port is the
 * connection's ("Transparent mode behavior for outgoing TCP and TLS connections": the module
 * connects when data arrives). The module says nothing when such a connection ends; tls-close
 * ends it by changing DL, which closes it, and puts the module back in API mode.
 *
 * Owns: the connections the flows opened, the open's three frames and its outcome, the order of
 * sends on a socket, pushed data, and transparent mode.
 * Must never: leave a socket behind after a failed open, or write a frame while transparent mode
 * holds the port.
 */
import type { EventEmitter } from 'node:events';
import { isIPv4 } from 'node:net';
import { p } from '../../at/command';
import type { AtEngine } from '../../at/engine';
import { isModemError, ModemError, parameterError } from '../../at/errors';
import type { CloseRequest, OpenRequest, SocketInfo } from '../adapter';
import { ConnectionTable, ReceivedData } from '../connections';
import {
  CLOSE_STATUS_TEXT,
  CONNECT_STATUS_TEXT,
  CREATE_STATUS_TEXT,
  OPTION_STATUS_TEXT,
  SOCKET_OPTION_TLS_PROFILE,
  SOCKET_PROTOCOL,
  SOCKET_STATUS_TEXT,
  TRANSMIT_STATUS_TEXT,
  type ApiFrame,
} from './api-frames';
import type { ApiLink } from './api-link';
import { ensureRegister, hex, xbeeCommand } from './commands';
import { profileId } from './profiles';
import { API_MODE, IP_PROTOCOL_TLS, PROFILES, SOCKETS } from './tables';
import { API_SEND } from './transfer';

interface OpenSocket {
  info: SocketInfo;
}

/** Transparent mode's connection (see `SOCKETS.transparentId`). */
const TRANSPARENT_ID = SOCKETS.transparentId;

/**
 * Modem Status 0x8A "hardware reset or power up" (0x00) and "watchdog timer reset" (0x01) as the
 * module sends them (nothing in them is escaped, in AP 1 or AP 2): a restart, in transparent mode too.
 */
const RESTART_FRAMES = [Buffer.of(0x7e, 0x00, 0x02, 0x8a, 0x00, 0x75), Buffer.of(0x7e, 0x00, 0x02, 0x8a, 0x01, 0x74)];
/** How long the possible start of a restart frame at the end of a chunk waits for the rest. */
const RESTART_HOLD_MS = 50;

/** How many bytes at the end of `bytes` are a proper beginning of one of `RESTART_FRAMES`. */
function restartFramePrefix(bytes: Buffer): number {
  const longest = Math.min(bytes.length, RESTART_FRAMES[0]!.length - 1);
  for (let n = longest; n > 0; n--) {
    const tail = bytes.subarray(bytes.length - n);
    if (RESTART_FRAMES.some((frame) => frame.subarray(0, n).equals(tail))) return n;
  }
  return 0;
}

/** Transmit statuses after which the socket is gone. */
const SOCKET_GONE = new Set([0x20, 0x76, 0x81, 0x83, 0x87]);

export interface Xbee3SocketsOptions {
  /** Emits `data`, `closed` and `warning` (the adapter). */
  events: EventEmitter;
  /** The AP value API mode uses on this module (1 or 2), to go back to after transparent mode. */
  apiMode(): number;
}

export class Xbee3Sockets {
  private readonly connections: ConnectionTable<OpenSocket>;
  private readonly received: ReceivedData;
  /** Opens waiting for their Socket Status, by socket ID. */
  private readonly pending = new Map<number, (status: number | ModemError) => void>();
  /** The transparent-mode connection, while the port carries it. */
  private transparent: SocketInfo | null = null;
  /** The end of a transparent chunk that may be the start of a restart frame (see `transparentData`). */
  private held: Buffer = Buffer.alloc(0);
  private heldTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: AtEngine,
    private readonly api: ApiLink,
    private readonly options: Xbee3SocketsOptions,
  ) {
    this.connections = new ConnectionTable<OpenSocket>(options.events, 'socket');
    this.received = new ReceivedData(options.events, SOCKETS.heldMax);
  }

  get openCount(): number {
    return this.connections.size;
  }

  /** The ids of the open connections (transparent mode's included) and of the opens still under way. */
  openIds(): number[] {
    return [...this.connections.ids(), ...this.pending.keys()];
  }

  /** Whether the port carries a transparent-mode connection (bytes from the module are its data). */
  get transparentOpen(): boolean {
    return this.transparent !== null;
  }

  /**
   * Bytes from the module while transparent mode holds the port. AP 0 is not saved, so a module
   * that restarts comes back in API mode and says so first with a Modem Status frame ("hardware
   * reset" or "watchdog reset", `RESTART_FRAMES`): from that frame on the bytes are API frames
   * again, returned for the frame decoder, and transparent mode is over. A chunk that ends in the
   * start of such a frame is held back until the next chunk, or `RESTART_HOLD_MS`. (Data that
   * holds those six bytes would be taken for a restart; for TLS records that is 2^-48 a position.)
   */
  transparentData(data: Buffer): Buffer | undefined {
    if (!this.transparent) return undefined;
    this.cancelHeld();
    const bytes = this.held.length > 0 ? Buffer.concat([this.held, data]) : data;
    this.held = Buffer.alloc(0);
    for (const frame of RESTART_FRAMES) {
      const at = bytes.indexOf(frame);
      if (at < 0) continue;
      if (at > 0) this.received.push(TRANSPARENT_ID, bytes.subarray(0, at));
      // The restart itself ends the connection (the adapter's Modem Status handling), with its reason.
      this.transparent = null;
      return bytes.subarray(at);
    }
    const keep = restartFramePrefix(bytes);
    const now = bytes.subarray(0, bytes.length - keep);
    if (now.length > 0) this.received.push(TRANSPARENT_ID, now);
    if (keep > 0) {
      this.held = Buffer.from(bytes.subarray(bytes.length - keep));
      this.heldTimer = setTimeout(() => this.flushHeld(), RESTART_HOLD_MS);
      this.heldTimer.unref?.();
    }
    return undefined;
  }

  private cancelHeld(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = undefined;
  }

  /** What was held back was data after all: to the flows, in order. */
  private flushHeld(): void {
    this.cancelHeld();
    const held = this.held;
    this.held = Buffer.alloc(0);
    if (this.transparent && held.length > 0) this.received.push(TRANSPARENT_ID, held);
  }

  /** Every connection is gone for the flows (lost link, restart, redeploy); every wait ends. */
  endAll(reason: string): void {
    const err = new ModemError({ kind: 'LINK_DOWN', vendor: 'xbee3', message: reason });
    for (const settle of [...this.pending.values()]) settle(err);
    this.cancelHeld();
    this.held = Buffer.alloc(0);
    // Transparent mode's connection is in the table too: ended once, with the rest.
    this.transparent = null;
    this.connections.endAll(reason);
  }

  async closeAll(): Promise<void> {
    const ids = this.connections.ids();
    await Promise.all(ids.map((id) => this.close(String(id)).catch(() => undefined)));
  }

  async open(request: OpenRequest): Promise<SocketInfo> {
    // Everything is checked before the first frame: a refused open leaves nothing behind.
    const profile = profileId('profile', request.profile);
    const host = p.str('host', request.host, { minLength: 1, maxLength: 255, pattern: /^[A-Za-z0-9.:_-]+$/, patternHint: 'must be a host name or IP address (letters, digits, ".", "-", "_", ":")' }).value;
    const port = p.int('port', request.port, { min: 1, max: 65535 }).value;
    if (request.vendorOptions && Object.keys(request.vendorOptions).length > 0) {
      throw parameterError('vendorOptions', `the XBee3 takes no vendor options for tls-open (got ${Object.keys(request.vendorOptions).join(', ')})`);
    }
    if (request.mode === 'online') return this.openTransparent(profile, host, port);
    if (request.mode !== 'command') throw parameterError('mode', `"${String(request.mode)}" is not one of command, online`);
    if (this.transparent) throw parameterError('mode', 'a transparent-mode connection holds the serial port: close it (tls-close, msg.socket ${TRANSPARENT_ID}) before opening API-mode sockets');
    const tls = this.connections.size;
    if (tls >= SOCKETS.maxTls) throw parameterError('socket', `the XBee3 allows ${SOCKETS.maxTls} TLS sockets at once and ${tls} are open (${this.connections.ids().join(', ')}): close one first (tls-close)`);
    const timeoutMs = request.timeoutMs ?? SOCKETS.openTimeoutMs;

    const created = await this.api.request({ type: 0x40, protocol: SOCKET_PROTOCOL.TLS }, 0xc0);
    const socket = created.type === 0xc0 ? created.socket : 0xff;
    if (created.type !== 0xc0 || created.status !== 0) {
      const status = created.type === 0xc0 ? created.status : -1;
      throw frameError('Socket Create (0x40)', 0xc0, status, CREATE_STATUS_TEXT, `no TLS socket for ${host}:${port}`);
    }
    const info: SocketInfo = { socket: String(socket), host, port, mode: 'command' };
    try {
      const option = await this.api.request({ type: 0x41, socket, option: SOCKET_OPTION_TLS_PROFILE, data: Buffer.from([profile]) }, 0xc1);
      if (option.type === 0xc1 && option.status !== 0) throw frameError('Socket Option (0x41)', 0xc1, option.status, OPTION_STATUS_TEXT, `TLS profile ${profile} on socket ${socket}`);
      // Registered before the connect: its status may follow the response at once.
      const outcome = new Promise<number | ModemError>((resolve) => {
        const timer = setTimeout(() => settle(new ModemError({ kind: 'TIMEOUT', vendor: 'xbee3', command: 'Socket Connect (0x42)', message: `Socket Connect (0x42): no Socket Status for ${host}:${port} within ${Math.round(timeoutMs / 1000)} s` })), timeoutMs);
        timer.unref?.();
        const settle = (status: number | ModemError): void => {
          clearTimeout(timer);
          if (this.pending.get(socket) !== settle) return;
          this.pending.delete(socket);
          // Connected: data right behind the status is the flows'.
          if (status === 0) this.connections.add(socket, { info });
          resolve(status);
        };
        this.pending.set(socket, settle);
      });
      const connect = await this.api.request({ type: 0x42, socket, port, addressType: isIPv4(host) ? 0 : 1, address: host }, 0xc2);
      if (connect.type === 0xc2 && connect.status !== 0) {
        this.pending.get(socket)?.(new ModemError({ kind: 'FINAL', vendor: 'xbee3', message: 'refused' }));
        throw frameError('Socket Connect (0x42)', 0xc2, connect.status, CONNECT_STATUS_TEXT, `${host}:${port}`);
      }
      const status = await outcome;
      if (status === 0) return info;
      if (status instanceof ModemError) throw status;
      // Any status but 0 is fatal and frees the socket ID (0xCF page).
      throw socketStatusError(status, host, port, profile, true);
    } catch (err) {
      // A socket that did not connect must not stay allocated on the module.
      if (!this.connections.has(socket) && !(isModemError(err) && err.code !== undefined && String(err.code).startsWith('0xCF'))) {
        await this.api.request({ type: 0x43, socket }, 0xc3, 5000).catch(() => undefined);
      }
      throw err;
    }
  }

  /**
   * Socket Send frames of at most 1500 bytes (`API_SEND`), each confirmed by its Transmit
   * Status. Up to `SOCKETS.sendWindow` frames are under way at once, so the line carries the next
   * frame while the module confirms the last; their statuses are taken in order. After a failed
   * status no further frame is written, the ones under way are waited for, and the error says
   * how many bytes were confirmed before it.
   */
  async send(socket: string, data: Buffer): Promise<number> {
    const id = socketId(socket);
    return this.connections.serial(id, 'send', async () => {
      this.connections.require('msg.socket', id);
      if (id === TRANSPARENT_ID) return this.sendTransparent(data);
      const underWay: Array<{ bytes: number; status: Promise<ApiFrame> }> = [];
      let confirmed = 0;
      let laterConfirmed = 0;
      let failure: unknown;
      const settleOldest = async (): Promise<void> => {
        const { bytes, status } = underWay.shift()!;
        let answer: ApiFrame;
        try {
          answer = await status;
        } catch (err) {
          failure ??= err;
          return;
        }
        if (answer.type === 0x89 && answer.status !== 0) {
          if (failure !== undefined) return;
          // The server may have closed it meanwhile (Socket Status 0x03): that is the reason to give.
          const ended = this.connections.has(id) ? undefined : this.connections.endedBecause(id);
          failure = frameError('Socket Send (0x44)', 0x89, answer.status, TRANSMIT_STATUS_TEXT, `socket ${id}${ended ? ` (${ended})` : ''}; ${confirmed} of ${data.length} bytes were sent`, 'Transmit Status');
          if (SOCKET_GONE.has(answer.status)) this.connections.end(id, `the module reports ${TRANSMIT_STATUS_TEXT[answer.status] ?? `status 0x${hex(answer.status)}`}`);
          return;
        }
        if (failure === undefined) confirmed += bytes;
        else laterConfirmed += bytes;
      };
      for (let offset = 0; offset < data.length && failure === undefined; offset += API_SEND.chunk) {
        const payload = data.subarray(offset, offset + API_SEND.chunk);
        try {
          const { response } = await this.api.submit({ type: 0x44, socket: id, options: 0, payload }, 0x89, SOCKETS.sendTimeoutMs);
          underWay.push({ bytes: payload.length, status: response });
        } catch (err) {
          failure = err;
          break;
        }
        if (underWay.length >= SOCKETS.sendWindow) await settleOldest();
      }
      while (underWay.length > 0) await settleOldest();
      if (failure !== undefined) {
        if (laterConfirmed > 0 && isModemError(failure)) {
          throw new ModemError({ kind: failure.kind, vendor: 'xbee3', code: failure.code, command: failure.command, line: failure.line, message: `${failure.message}; ${laterConfirmed} bytes of the frames written after it were sent as well`, cause: failure });
        }
        throw failure;
      }
      return confirmed;
    });
  }

  async receive(socket: string, maxBytes: number, timeoutMs?: number): Promise<Buffer> {
    return this.received.receive(this.connections, socketId(socket), maxBytes, timeoutMs);
  }


  async close(socket: string, request: CloseRequest = {}): Promise<void> {
    const id = socketId(socket);
    if (request.vendorOptions && Object.keys(request.vendorOptions).length > 0) {
      throw parameterError('vendorOptions', `the XBee3 takes no vendor options for tls-close (got ${Object.keys(request.vendorOptions).join(', ')})`);
    }
    await this.connections.serial(id, 'send', async () => {
      // The server or a lost link closed it already: the goal is reached. Never opened: refused.
      if (!this.connections.has(id) && this.connections.endedBecause(id) !== undefined) return;
      this.connections.require('msg.socket', id);
      if (id === TRANSPARENT_ID) {
        await this.closeTransparent();
      } else {
        const answer = await this.api.request({ type: 0x43, socket: id }, 0xc3);
        // 0x20: the module has no such socket any more — the goal is reached.
        if (answer.type === 0xc3 && answer.status !== 0 && answer.status !== 0x20) throw frameError('Socket Close (0x43)', 0xc3, answer.status, CLOSE_STATUS_TEXT, `socket ${id}`);
      }
      this.connections.end(id, 'closed by the flow');
    });
  }

  /** Received data and socket status; false for any other frame. */
  onFrame(frame: ApiFrame): boolean {
    if (frame.type === 0xcd) {
      if (this.connections.has(frame.socket)) this.received.push(frame.socket, frame.payload);
      return true;
    }
    if (frame.type === 0xcf) {
      const pending = this.pending.get(frame.socket);
      if (pending) pending(frame.status);
      else if (frame.status !== 0) this.connections.end(frame.socket, frame.status === 0x03 ? 'closed by the server' : `the module reports ${SOCKET_STATUS_TEXT[frame.status] ?? `socket status 0x${hex(frame.status)}`}`);
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ transparent mode

  private async openTransparent(profile: number, host: string, port: number): Promise<SocketInfo> {
    if (profile !== PROFILES.transparent) {
      throw parameterError('profile', `transparent mode ("online") uses profile 0 only (the XBee3 TLS guide); profile ${profile} is for API-mode sockets ("command")`);
    }
    if (this.transparent) throw parameterError('mode', 'a transparent-mode connection holds the serial port already');
    if (this.connections.size > 0) throw parameterError('mode', `API-mode sockets are open (${this.connections.ids().join(', ')}): transparent mode would take the serial port from them — close them first`);
    xbeeCommand('DL', host, { field: 'host' });
    const info: SocketInfo = { socket: String(TRANSPARENT_ID), host, port, mode: 'online' };
    await this.engine.exclusive(async (at) => {
      // Applied on leaving command mode (ATCN); not saved: a restart brings API mode back.
      await ensureRegister(at, 'IP', hex(IP_PROTOCOL_TLS));
      await ensureRegister(at, 'DL', host, { field: 'host' });
      await ensureRegister(at, 'DE', hex(port), { same: (c) => parseInt(c, 16) === port });
      await ensureRegister(at, 'AP', hex(API_MODE.transparent));
      this.transparent = info;
      this.connections.add(TRANSPARENT_ID, { info });
      await at.leaveCommandMode();
    });
    this.options.events.emit('warning', 'transparent mode: the XBee3 connects when the first byte is sent and does not say when the connection ends; API-mode sockets ("command") report both');
    return info;
  }

  private async sendTransparent(data: Buffer): Promise<number> {
    await this.engine.exclusive(async (at) => {
      await at.leaveCommandMode();
      await this.engine.writeData(data);
    });
    return data.length;
  }

  /** DL changed closes the connection ("Transparent mode behavior …"); AP back to API mode. */
  private async closeTransparent(): Promise<void> {
    await this.engine.exclusive(async (at) => {
      await at.send({ line: xbeeCommand('DL', '0.0.0.0') });
      await at.send({ line: xbeeCommand('AP', hex(this.options.apiMode())) });
      this.flushHeld();
      this.transparent = null;
      await at.leaveCommandMode();
    });
  }
}

function socketId(socket: string): number {
  return p.int('msg.socket', socket, SOCKETS.ids).value;
}

/** A non-zero status of a response frame, with its meaning from the guide's table. */
function frameError(frame: string, responseType: number, status: number, table: Readonly<Record<number, string>>, about: string, statusName = 'status'): ModemError {
  const meaning = table[status] ?? 'unknown status';
  const code = `0x${hex(status).padStart(2, '0')}`;
  return new ModemError({ kind: 'FINAL', vendor: 'xbee3', code: `0x${hex(responseType)}:${code}`, command: frame, line: `${statusName} ${code}`, message: `${frame}: ${meaning} (${statusName} ${code}) — ${about}` });
}

/** A Socket Status other than 0 (fatal for the socket), with what it likely means for TLS. */
function socketStatusError(status: number, host: string, port: number, profile: number, opening: boolean): ModemError {
  const code = `0x${hex(status).padStart(2, '0')}`;
  const meaning = SOCKET_STATUS_TEXT[status] ?? 'unknown status';
  let hint = '';
  if (opening && status === 0x08) {
    hint = `: the TLS handshake failed — the server's certificate does not chain to the CA of profile ${profile} (a self-signed root), the server refused the client certificate, the TLS version (TL) does not match, or a file the profile names is missing`;
  } else if (opening && (status === 0x01 || status === 0x09)) {
    hint = `: the module could not resolve ${host}`;
  }
  return new ModemError({ kind: 'FINAL', vendor: 'xbee3', code: `0xCF:${code}`, command: 'Socket Connect (0x42)', line: `Socket Status ${code}`, message: `Socket Status ${code} (${meaning})${hint} — the connection to ${host}:${port} failed` });
}
