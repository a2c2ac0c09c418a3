/**
 * The socket commands of the simulated eS-WiFi: P0 (select), P1 (protocol), P2 (local port), P3
 * (remote address), P4 (remote port), P9 (TLS verification), P6 (start/stop the client), P? (the
 * settings), S3 (send), R1 (read size), R2 (read timeout) and R0 (read), and each socket's
 * connection with the data it holds.
 *
 * Owns: the connections and the order of their bytes. Must never: lose or reorder a received
 * byte, drop unread data when the peer closes (R0 still returns it), or write to a connection the
 * host did not open.
 *
 * Inventek eS-WiFi AT command set (IWIN), as used by ST es_wifi.c `ES_WIFI_StartClientConnection`,
 * Zephyr drivers/wifi/eswifi and the seed's client examples (seeds/002 l. 44-74):
 * ```
 *   → P0=0\r   P1=3\r   D0=host\r   P4=443\r   P9=2\r     each ← \r\n…\r\nOK\r\n>␠
 *   → P6=1\r                ← \r\n[TCP  RC] Connecting to 93.184.216.34\r\nOK\r\n>␠  (after the handshake)
 *   → S3=5\rhello           ← \r\n5\r\nOK\r\n>␠     (-1 when not connected; the 5 bytes are taken all the same)
 *   → R0\r                  ← \r\n<up to R1 raw bytes>\r\nOK\r\n>␠   (nothing held: \r\n\r\nOK\r\n>␠)
 *   → R0\r                  ← \r\nERROR: Socket Not Connected\r\nUsage: P6=1\r\n>␠   (peer gone, all read)
 *   → P6=0\r                ← \r\n\r\nOK\r\n>␠
 * ```
 * The module tells the host nothing by itself (no data or close notification: every driver polls
 * R0, research §6). Choices: P1=1/2 (UDP) are accepted as settings but P6=1 refuses them (UDP is
 * not simulated); P2 is reported, not used for the real connection; P? shows the remote address
 * 0.0.0.0 while the socket is not connected (the Arduino ISM43340 library's `isConnected` test);
 * P6=0 throws away data not read; a P6=1 on a socket the peer closed starts afresh; a socket holds
 * at most `LIMITS.receiveBuffer` bytes unread (a chosen size), then stops reading its connection.
 */
import type * as net from 'node:net';
import { ReceiveQueue, follow } from '../receive-queue';
import { decimal, fail, invalid, isIpv4, ok, type Answer, type CommandTable } from './answers';
import type { ConnectionHandle, EswifiDevice, HandshakeRecord, SocketSlot } from './state';
import { CONNECT, LIMITS, PROTOCOL, TEXT, VERIFICATION } from './tables';
import { credentialsFor, dialTcp, DialFailure, handshake } from './tls';

/** One socket's connection: the stream, and what it received and R0 has not read yet. */
export class Connection implements ConnectionHandle {
  state: 'connected' | 'closed' = 'connected';
  /** Bytes received from and written to the network, for tests. */
  received = 0;
  sent = 0;
  private readonly queue = new ReceiveQueue();
  private released = false;
  /** The receive buffer is full (`LIMITS.receiveBuffer`): the connection is not read until R0 makes room. */
  private paused = false;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly stream: net.Socket) {
    follow(
      stream,
      (data) => this.fromNetwork(data),
      () => this.ended(),
    );
  }

  get held(): number {
    return this.queue.size;
  }

  private fromNetwork(data: Buffer): void {
    if (this.released) return;
    this.received += data.length;
    this.queue.push(data);
    if (this.queue.size >= LIMITS.receiveBuffer && !this.paused) {
      this.paused = true;
      this.stream.pause();
    }
    this.wake();
  }

  /** The peer closed, or the connection broke: what arrived before stays readable. */
  private ended(): void {
    if (this.state !== 'connected') return;
    this.state = 'closed';
    this.stream.destroy();
    this.wake();
  }

  networkLost(): void {
    this.ended();
  }

  write(data: Buffer): void {
    this.sent += data.length;
    this.stream.write(data);
  }

  /** Up to `max` held bytes, oldest first. */
  take(max: number): Buffer {
    const out = this.queue.take(max);
    if (this.paused && this.queue.size < LIMITS.receiveBuffer) {
      this.paused = false;
      this.stream.resume();
    }
    return out;
  }

  /**
   * Resolves when there is something to answer R0 with — a byte, or the end of the connection — or
   * after `ms`, whichever comes first. Power loss (`dispose`) ends the wait too.
   */
  waitForData(device: EswifiDevice, ms: number): Promise<void> {
    if (this.queue.size > 0 || this.state !== 'connected' || ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        device.timers.cancel(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = device.timers.after(ms, done);
      this.waiters.add(done);
    });
  }

  /** P6=0: close_notify and FIN; the peer gets a moment to answer before the connection is cut. */
  close(): void {
    this.release();
    if (this.stream.destroyed) return;
    this.stream.end();
    const timer = setTimeout(() => this.stream.destroy(), CONNECT.closeGraceMs);
    timer.unref();
    this.stream.once('close', () => clearTimeout(timer));
  }

  dispose(): void {
    this.release();
    this.stream.destroy();
  }

  private release(): void {
    this.released = true;
    this.state = 'closed';
    this.queue.clear();
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** The selected socket's connection as the `Connection` class (its handle type in state.ts). */
function connectionOf(slot: SocketSlot): Connection | undefined {
  return slot.connection instanceof Connection ? slot.connection : undefined;
}

/** P6=1: checks, then TCP (and TLS for P1=3); the answer once the connection is up, or why not. */
async function start(device: EswifiDevice): Promise<Answer> {
  const slot = device.selected;
  const settings = slot.settings;
  if (slot.connection?.state === 'connected') return fail('alreadyConnected');
  if (!device.joined) return fail('notJoined');
  if (settings.protocol !== PROTOCOL.tcp && settings.protocol !== PROTOCOL.tls) return invalid('P1');
  if (settings.remoteIp === '0.0.0.0') return invalid('P3');
  if (settings.remotePort === 0) return invalid('P4');
  const secure = settings.protocol === PROTOCOL.tls;
  const setIndex = device.selectedSet;
  const set = device.sets[setIndex]!;
  if (secure && settings.verification === VERIFICATION.required && !set.ca) return fail('noRootCa');

  // A socket the peer closed starts afresh: what it still held is dropped.
  connectionOf(slot)?.dispose();
  slot.connection = undefined;

  const generation = device.generation;
  const signal = device.signal;
  const ip = settings.remoteIp;
  const port = settings.remotePort;
  const progress = `${TEXT.connecting}${ip}`;
  const target = device.options.route?.(ip, port) ?? { host: ip, port };
  const credentials = secure ? credentialsFor(set, settings.verification) : {};
  const record: HandshakeRecord = {
    socket: slot.id,
    host: ip,
    port,
    set: setIndex,
    verification: settings.verification,
    verified: credentials.trusted ? 'root-ca' : 'nothing',
    clientCertificate: credentials.client?.subject,
    outcome: 'failed',
  };

  let stream: net.Socket;
  try {
    const tcp = await dialTcp(target.host, target.port, device.options.connectTimeoutMs, signal);
    if (!secure) {
      stream = tcp;
    } else {
      if (device.generation !== generation) {
        tcp.destroy();
        return ok();
      }
      const done = await handshake(tcp, credentials, device.options.handshakeTimeoutMs, signal);
      record.outcome = 'connected';
      record.version = done.version;
      record.cipher = done.cipher;
      record.peerSubject = done.peerSubject;
      stream = done.socket;
    }
  } catch (err) {
    if (device.generation !== generation) return ok();
    const failure = err instanceof DialFailure ? err : undefined;
    if (secure && failure?.stage !== 'tcp') {
      record.failure = failure?.failure;
      record.peerSubject = failure?.peerSubject;
      device.handshakes.push(record);
      return fail('handshakeFailed', { progress: [progress] });
    }
    return fail('connectFailed', { progress: [progress] });
  }
  if (device.generation !== generation) {
    stream.destroy();
    return ok();
  }
  if (secure) device.handshakes.push(record);
  slot.connection = new Connection(stream);
  return ok(progress);
}

/** P6=0: the connection (if any) closes; unread data is dropped. Answered OK whatever the state (contract). */
function stop(device: EswifiDevice): Answer {
  const slot = device.selected;
  connectionOf(slot)?.close();
  slot.connection = undefined;
  return ok();
}

/** P?: protocol, local IP, local port, remote IP, remote port, then five fields the simulator leaves 0 (ST `AT_ParseTransportSettings`). */
function describe(device: EswifiDevice): Answer {
  const slot = device.selected;
  const s = slot.settings;
  const remote = slot.connection?.state === 'connected' ? s.remoteIp : '0.0.0.0';
  return ok([s.protocol, device.localIp, s.localPort, remote, s.remotePort, 0, 0, 0, 0, 0].join(','));
}

/** S3: the bytes go out on a connected socket; `-1` on any other, the bytes taken all the same. */
function send(device: EswifiDevice, payload: Buffer | undefined): Answer {
  if (!payload) return invalid('S3');
  const connection = connectionOf(device.selected);
  if (!connection || connection.state !== 'connected') return ok(TEXT.sendFailed);
  connection.write(payload);
  return ok(String(payload.length));
}

/** R0: up to R1 held bytes, waiting up to R2 ms for the first one; after the peer closed and all is read, the error. */
async function read(device: EswifiDevice): Promise<Answer> {
  const slot = device.selected;
  const connection = connectionOf(slot);
  if (!connection) return fail('notConnected');
  await connection.waitForData(device, slot.settings.readTimeoutMs);
  if (connection.held > 0) return ok(connection.take(slot.settings.readSize));
  if (connection.state !== 'connected' || slot.connection !== connection) return fail('notConnected');
  return ok();
}

/** A setting of the selected socket, written from a decimal value in `min..max`. */
function numberSetting(name: string, key: 'protocol' | 'localPort' | 'remotePort' | 'verification' | 'readSize' | 'readTimeoutMs', min: number, max: number) {
  return (device: EswifiDevice, { value }: { value: string | undefined }): Answer => {
    const parsed = decimal(value, min, max);
    if (parsed === undefined) return invalid(name);
    device.selected.settings[key] = parsed;
    return ok();
  };
}

export const SOCKET_COMMANDS: CommandTable = {
  P0: {
    write: (device, { value }) => {
      const id = decimal(value, 0, LIMITS.sockets - 1);
      if (id === undefined) return invalid('P0');
      device.selectedSocket = id;
      return ok();
    },
  },
  P1: { write: numberSetting('P1', 'protocol', 0, PROTOCOL.tls) },
  P2: { write: numberSetting('P2', 'localPort', 0, LIMITS.portMax) },
  P3: {
    write: (device, { value = '' }) => {
      if (!isIpv4(value)) return invalid('P3');
      device.selected.settings.remoteIp = value.split('.').map(Number).join('.');
      return ok();
    },
  },
  P4: { write: numberSetting('P4', 'remotePort', 1, LIMITS.portMax) },
  P6: {
    write: (device, { value }) => {
      const on = decimal(value, 0, 1);
      if (on === undefined) return invalid('P6');
      return on === 1 ? start(device) : stop(device);
    },
  },
  P9: { write: numberSetting('P9', 'verification', 0, VERIFICATION.required) },
  'P?': { exec: (device) => describe(device) },
  S3: {
    payload: { after: 'cr', length: (value) => decimal(value, 1, LIMITS.sendMax) },
    write: (device, { payload }) => send(device, payload),
  },
  R0: { exec: (device) => read(device) },
  R1: { write: numberSetting('R1', 'readSize', 1, LIMITS.readMax) },
  R2: { write: numberSetting('R2', 'readTimeoutMs', 0, LIMITS.readTimeoutMax) },
};
