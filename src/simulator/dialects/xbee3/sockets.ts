/**
 * The API-mode sockets of the XBee3 Cellular: Socket Create (0x40), Socket Option (0x41, the TLS
 * profile), Socket Connect (0x42), Socket Send (0x44), Socket Close (0x43), and what the module
 * pushes on its own — Socket Receive (0xCD), Socket Status (0xCF) and Transmit Status (0x89).
 *
 * Owns: the socket table (ids from 0, lowest free first), each socket's connection and the order
 * of its frames. Must never: send a frame for a socket after power loss or after its id was freed,
 * or lose or reorder a received byte.
 *
 * XBee3 Cellular User Guide, frame pages 0x40-0x44, 0xC0-0xC3, 0xCD, 0xCF, 0x89 (status tables
 * as the contract lists them):
 * ```
 *   → 40 id 04                 ← C0 id 00 00           (socket 0 created; failure: socket FF and a status)
 *   → 41 id 00 00 01           ← C1 id 00 00 00        (TLS profile 1)
 *   → 42 id 00 01BB 01 "host"  ← C2 id 00 00           (started) … ← CF 00 00 (connected) or CF 00 <failure>
 *   → 44 id 00 00 <payload>    ← 89 id 00              (frame id 0: no 0x89)
 *                              ← CD 00 00 00 <≤1500 bytes>   for everything the peer sends
 *                              ← CF 00 03              (the peer closed, after its last data)
 *   → 43 id 00                 ← C3 id 00 00           (no 0xCF follows)
 * ```
 * Choices where the stored guide copies are silent (made by the contract unless noted): UDP
 * sockets are not simulated (0xC0 status 0x7B, simulator's choice); a TLS configuration or
 * handshake failure is 0xCF 0x08; a frame id of 0 suppresses the answer of 0x41, 0x42 and 0x43
 * (the guide says so for 0x41 and 0x42; 0x43 follows the same rule by the simulator's choice),
 * while 0x40 is always answered ("A response is required and will be sent regardless of the
 * frame ID").
 */
import { isIP } from 'node:net';
import type * as net from 'node:net';
import { MAX_SOCKET_PAYLOAD, SOCKET_PROTOCOL, type ApiFrame } from '../../../adapters/xbee3/api-frames';
import { TlsFailure } from '../../tls-types';
import { follow } from '../receive-queue';
import type { ApiSocketHandle, Xbee3Device } from './state';
import { CLOSE_STATUS, CONNECT_STATUS, CREATE_STATUS, OPTION_STATUS, SOCKET_LIMITS, SOCKET_STATUS, TX_STATUS } from './tables';
import { dial, DialFailure, readTlsSettings, type DialFailureKind } from './tls';

type SocketState = 'created' | 'connecting' | 'open' | 'closed';

/** How long a closed socket waits for the peer to acknowledge before it is cut (simulator's choice). */
const CLOSE_GRACE_MS = 2000;

const FAILURE_STATUS: Readonly<Record<DialFailureKind, number>> = {
  dns: SOCKET_STATUS.dnsFailed,
  refused: SOCKET_STATUS.refused,
  timeout: SOCKET_STATUS.timedOut,
  tls: SOCKET_STATUS.unknown,
  other: SOCKET_STATUS.unknown,
};

/** Sends a direct answer to a frame the host sent (dropped by a fault, or for frame id 0). */
export type Respond = (frame: ApiFrame) => void;

export class ApiSocket implements ApiSocketHandle {
  state: SocketState = 'created';
  /** TLS profile ($0-$2) the connection will use; 0x41 option 0x00 sets it. */
  profile = 0;
  /** Bytes received from and written to the network, for tests. */
  received = 0;
  sent = 0;
  private stream: net.Socket | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly device: Xbee3Device,
    readonly id: number,
    readonly protocol: number,
  ) {}

  get secure(): boolean {
    return this.protocol === SOCKET_PROTOCOL.TLS;
  }

  private alive(generation: number): boolean {
    return this.device.generation === generation && this.device.sockets.get(this.id) === this && this.state !== 'closed';
  }

  /** The part of 0x42 after 0xC2: dial, then 0xCF with the outcome. */
  async connect(host: string, port: number): Promise<void> {
    const device = this.device;
    const generation = device.generation;
    this.state = 'connecting';
    let tlsSettings;
    if (this.secure) {
      const settings = readTlsSettings(device.flash, this.profile, device.registers.str(`$${this.profile}`), device.registers.num('TL'));
      if (settings instanceof TlsFailure) {
        // After the 0xC2 already on its way (contract: "0xCF status 0x08 right after 0xC2").
        this.fail(SOCKET_STATUS.unknown, settings);
        return;
      }
      tlsSettings = settings;
    }
    const target = device.options.route?.(host, port) ?? { host, port };
    const servername = isIP(host) === 0 ? host : undefined;
    try {
      const dialled = await dial({ host: target.host, port: target.port, servername, tls: tlsSettings, timeoutMs: device.options.connectTimeoutMs, signal: this.abort.signal });
      if (!this.alive(generation)) {
        dialled.stream.destroy();
        return;
      }
      device.lastHandshake = {
        socket: this.id,
        host,
        port,
        version: dialled.version,
        cipher: dialled.cipher,
        profile: this.secure ? this.profile : undefined,
        servername: this.secure ? servername : undefined,
        clientCertificate: tlsSettings?.client?.subject,
      };
      this.attach(dialled.stream);
      device.host.frame({ type: 0xcf, socket: this.id, status: SOCKET_STATUS.connected });
    } catch (err) {
      if (!this.alive(generation)) return;
      const failure = err instanceof DialFailure ? err : new DialFailure('other', new TlsFailure('handshake', (err as Error).message));
      this.fail(FAILURE_STATUS[failure.kind], failure.failure);
    }
  }

  private fail(status: number, failure: TlsFailure): void {
    this.device.lastFailure = failure;
    this.release();
    this.device.host.frame({ type: 0xcf, socket: this.id, status });
  }

  private attach(stream: net.Socket): void {
    this.stream = stream;
    this.state = 'open';
    follow(
      stream,
      (data) => this.fromNetwork(data),
      () => this.ended(SOCKET_STATUS.transportClosed),
      () => this.ended(SOCKET_STATUS.connectionLost),
    );
  }

  /** 0xCD for every 1500 bytes or less, as the data comes (held with the rest while the host is in command mode). */
  private fromNetwork(data: Buffer): void {
    if (this.state !== 'open') return;
    this.received += data.length;
    for (let at = 0; at < data.length; at += MAX_SOCKET_PAYLOAD) {
      this.device.host.frame({ type: 0xcd, frameId: 0, socket: this.id, status: 0, payload: Buffer.from(data.subarray(at, at + MAX_SOCKET_PAYLOAD)) });
    }
  }

  /** The peer closed (0x03) or the connection broke (0x07): after every 0xCD already queued, and the id is free. */
  private ended(status: number): void {
    if (this.state !== 'open') return;
    const stream = this.stream;
    this.release();
    stream?.destroy();
    this.device.host.frame({ type: 0xcf, socket: this.id, status });
  }

  /** 0x44: the 0x89 status (0 sent). */
  send(payload: Buffer, frameId: number, respond: Respond): void {
    const status = (value: number): void => {
      if (frameId !== 0) respond({ type: 0x89, frameId, status: value });
    };
    if (payload.length > MAX_SOCKET_PAYLOAD) return status(TX_STATUS.tooLong);
    if (this.state !== 'open' || !this.stream) return status(TX_STATUS.notConnected);
    const generation = this.device.generation;
    this.sent += payload.length;
    this.stream.write(payload, (err) => {
      if (this.device.generation !== generation) return;
      // Chosen: a write the connection could not take reports 0x83 (socket closed).
      status(err ? TX_STATUS.closed : TX_STATUS.ok);
    });
  }

  /** 0x43: close_notify and FIN; the id is free at once and no 0xCF follows (contract). */
  close(): void {
    const stream = this.stream;
    this.release();
    if (!stream || stream.destroyed) return;
    stream.end();
    this.device.timers.after(CLOSE_GRACE_MS, () => stream.destroy());
  }

  dispose(): void {
    const stream = this.stream;
    this.release();
    stream?.destroy();
  }

  private release(): void {
    this.abort.abort();
    this.state = 'closed';
    this.stream = undefined;
    if (this.device.sockets.get(this.id) === this) this.device.sockets.delete(this.id);
  }
}

/** 0x40: a socket, or 0xFF and why not. Sim limits: 6 sockets, at most 4 TLS (contract, "Socket limits"). */
function create(device: Xbee3Device, frame: Extract<ApiFrame, { type: 0x40 }>, respond: Respond): void {
  const answer = (socket: number, status: number): void => respond({ type: 0xc0, frameId: frame.frameId, socket, status });
  if (frame.protocol !== SOCKET_PROTOCOL.TCP && frame.protocol !== SOCKET_PROTOCOL.TLS) return answer(0xff, CREATE_STATUS.invalidProtocol);
  const sockets = [...device.sockets.values()];
  if (sockets.length >= SOCKET_LIMITS.total) return answer(0xff, CREATE_STATUS.resource);
  if (frame.protocol === SOCKET_PROTOCOL.TLS && sockets.filter((s) => s.secure).length >= SOCKET_LIMITS.tls) return answer(0xff, CREATE_STATUS.resource);
  let id = 0;
  while (device.sockets.has(id)) id++;
  device.sockets.set(id, new ApiSocket(device, id, frame.protocol));
  answer(id, CREATE_STATUS.ok);
}

function socketOf(device: Xbee3Device, id: number): ApiSocket | undefined {
  const socket = device.sockets.get(id);
  return socket instanceof ApiSocket ? socket : undefined;
}

/** 0x41 option 0x00 (TLS profile): set with one byte 0-2, or query with none. */
function option(device: Xbee3Device, frame: Extract<ApiFrame, { type: 0x41 }>, respond: Respond): void {
  const answer = (status: number, data: Buffer = Buffer.alloc(0)): void => {
    if (frame.frameId !== 0) respond({ type: 0xc1, frameId: frame.frameId, socket: frame.socket, option: frame.option, status, data });
  };
  const socket = socketOf(device, frame.socket);
  if (!socket) return answer(OPTION_STATUS.badSocket);
  if (frame.option !== 0x00 || !socket.secure) return answer(OPTION_STATUS.invalidParameters);
  if (frame.data.length === 0) return answer(OPTION_STATUS.ok, Buffer.of(socket.profile));
  if (frame.data.length !== 1 || frame.data[0]! > 2) return answer(OPTION_STATUS.invalidParameters);
  socket.profile = frame.data[0]!;
  answer(OPTION_STATUS.ok);
}

/** 0x42: 0xC2 at once; the outcome later in 0xCF. */
function connect(device: Xbee3Device, frame: Extract<ApiFrame, { type: 0x42 }>, respond: Respond): void {
  const answer = (status: number): void => {
    if (frame.frameId !== 0) respond({ type: 0xc2, frameId: frame.frameId, socket: frame.socket, status });
  };
  const socket = socketOf(device, frame.socket);
  if (!socket) return answer(CONNECT_STATUS.badSocket);
  if (socket.state === 'connecting') return answer(CONNECT_STATUS.inProgress);
  if (socket.state === 'open') return answer(CONNECT_STATUS.connected);
  if (frame.port === 0 || frame.address === '' || frame.address.length > 255) return answer(CONNECT_STATUS.badParameter);
  answer(CONNECT_STATUS.started);
  void socket.connect(frame.address, frame.port);
}

/**
 * A 0x42 the codec could not parse (an address type other than 0/1, or an IPv4 address not 4 bytes
 * long): answered from its raw frame data with 0x01 or 0x02.
 */
export function invalidConnect(data: Buffer, respond: Respond): void {
  if (data.length < 6 || data[0] !== 0x42 || data[1] === 0) return;
  const addressType = data[5]!;
  respond({ type: 0xc2, frameId: data[1]!, socket: data[2]!, status: addressType > 1 ? CONNECT_STATUS.badAddressType : CONNECT_STATUS.badParameter });
}

/** 0x44: unknown id → 0x20, too long → 0x74, not connected → 0x87. */
function send(device: Xbee3Device, frame: Extract<ApiFrame, { type: 0x44 }>, respond: Respond): void {
  const socket = socketOf(device, frame.socket);
  if (!socket) {
    if (frame.frameId !== 0) respond({ type: 0x89, frameId: frame.frameId, status: TX_STATUS.notFound });
    return;
  }
  socket.send(frame.payload, frame.frameId, respond);
}

/** 0x43: 0xC3 with 0x00, or 0x20 for an id that is not in use. */
function close(device: Xbee3Device, frame: Extract<ApiFrame, { type: 0x43 }>, respond: Respond): void {
  const socket = socketOf(device, frame.socket);
  if (socket) socket.close();
  if (frame.frameId !== 0) respond({ type: 0xc3, frameId: frame.frameId, socket: frame.socket, status: socket ? CLOSE_STATUS.ok : CLOSE_STATUS.badSocket });
}

/** The socket frames; false for a frame type that is not one of them. */
export function handleSocketFrame(device: Xbee3Device, frame: ApiFrame, respond: Respond): boolean {
  switch (frame.type) {
    case 0x40:
      create(device, frame, respond);
      return true;
    case 0x41:
      option(device, frame, respond);
      return true;
    case 0x42:
      connect(device, frame, respond);
      return true;
    case 0x43:
      close(device, frame, respond);
      return true;
    case 0x44:
      send(device, frame, respond);
      return true;
    default:
      return false;
  }
}
