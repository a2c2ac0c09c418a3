/**
 * The arithmetic of the bridge figures: the bytes MQTT puts on the wire for a publish and its
 * acknowledgement, and the protocol ceiling of a round trip through a modem's TLS bridge — the
 * fastest the modem's documented method could carry those bytes up and back down at the line rate.
 *
 * A round trip: a client publishes `messages` messages to a topic it is subscribed to, through the
 * bridge, so every payload crosses the serial line twice: up inside the PUBLISH the client sends,
 * down inside the PUBLISH the broker delivers (with QoS 1 each side also acknowledges the other's
 * PUBLISH). The ideal host pipelines: the broker forwards each message the moment it has it, the
 * line is never idle except where the method makes it wait. So the last message comes down no
 * sooner than
 * - every byte up and then the last message's share down (or every byte down after the first
 *   message's share up): `max(U + D/n, D + U/n)` for U and D the times of all of each direction;
 * - the line's own limit in each direction, every byte both methods put on it that way;
 * - where a method takes turns (command, prompt, data, result code: one command at a time on the
 *   port), the sum of the methods that take turns: they cannot overlap each other.
 *
 * Online mode (the connection owns the serial port: Telit ONLINE, XBee3 transparent mode) carries
 * raw bytes both ways at once at the line rate. Command mode uses the vendor's transfer
 * description (src/adapters/transfer.ts): what goes up in the methods the adapter uses to send, in
 * sends of at most `sendBatch` bytes (the bridge's largest), what comes down in the method it
 * uses to receive.
 *
 * Owns: that arithmetic. Must never: measure, or know a vendor beyond its transfer description.
 */
import { BITS_PER_BYTE, transferTime, type TransferMethods } from '../src/adapters/transfer';

/** MQTT 3.1.1 §3.4: PUBACK is a fixed header (2 bytes) and a packet identifier (2). */
export const PUBACK_BYTES = 4;

/** Bytes of MQTT's Remaining Length for `n` (MQTT 3.1.1 §2.2.3: 7 bits a byte, 1..4 bytes). */
export function remainingLengthBytes(n: number): number {
  if (n < 0 || n > 268435455) throw new RangeError(`remaining length ${n} is outside 0..268435455 (MQTT 3.1.1 §2.2.3)`);
  return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4;
}

/** A PUBLISH on the wire (MQTT 3.1.1 §3.3): fixed header, topic with its length, packet identifier when QoS > 0, payload. */
export function publishBytes(topicBytes: number, payloadBytes: number, qos: 0 | 1 | 2): number {
  const remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + payloadBytes;
  return 1 + remainingLengthBytes(remaining) + remaining;
}

/**
 * The MQTT bytes of `messages` round trips through one connection: up, the client's PUBLISHes and
 * (QoS 1) its PUBACKs of the deliveries; down, the deliveries and (QoS 1) the broker's PUBACKs.
 */
export function roundTripBytes(topicBytes: number, payloadBytes: number, qos: 0 | 1, messages: number): { up: number; down: number } {
  const each = publishBytes(topicBytes, payloadBytes, qos) + (qos === 1 ? PUBACK_BYTES : 0);
  return { up: messages * each, down: messages * each };
}

export type BridgeMode = 'online' | 'command';

export interface BridgeCeiling {
  /** The whole round trip at the ceiling, in ms. */
  ms: number;
  /** For the table: the method(s) the ceiling counts. */
  method: string;
  /** Times of all the bytes of each direction on their own, in ms. */
  upMs: number;
  downMs: number;
  /** Bytes on the line each way: host → module (the MQTT bytes up and the commands), module → host. */
  hostBytes: number;
  moduleBytes: number;
  /** Which bound set the time: 'pipeline' | 'host line' | 'module line' | 'turns'. */
  limitedBy: string;
}

/**
 * The fastest `up` and `down` MQTT bytes of `messages` round trips cross the line at `baudRate` in
 * `mode`, with the vendor's `transfer` description for command mode.
 */
export function bridgeCeiling(
  o: { transfer: TransferMethods; mode: BridgeMode; up: number; down: number; messages: number; baudRate: number; sendBatch: number },
): BridgeCeiling {
  if (!(o.messages > 0)) throw new RangeError(`messages must be positive, got ${o.messages}`);
  const bytesPerMs = o.baudRate / BITS_PER_BYTE / 1000;
  let upMs: number;
  let downMs: number;
  let hostBytes: number;
  let moduleBytes: number;
  let turnsMs = 0;
  let method: string;
  if (o.mode === 'online') {
    upMs = o.up / bytesPerMs;
    downMs = o.down / bytesPerMs;
    hostBytes = o.up;
    moduleBytes = o.down;
    method = 'raw bytes at the line rate both ways';
  } else {
    upMs = 0;
    hostBytes = 0;
    moduleBytes = 0;
    const names = new Set<string>();
    const full = Math.floor(o.up / o.sendBatch);
    const rest = o.up - full * o.sendBatch;
    for (const [n, times] of [[o.sendBatch, full], [rest, rest > 0 ? 1 : 0]] as const) {
      if (times === 0) continue;
      const send = o.transfer.send(n, o.baudRate);
      const t = transferTime(send, n, o.baudRate);
      upMs += t.ms * times;
      hostBytes += t.hostBytes * times;
      moduleBytes += t.moduleBytes * times;
      if (send.perChunk.flow === 'turns') turnsMs += t.ms * times;
      names.add(send.name);
    }
    const receive = o.transfer.receive(o.down, o.baudRate);
    const r = transferTime(receive, o.down, o.baudRate);
    downMs = r.ms;
    hostBytes += r.hostBytes;
    moduleBytes += r.moduleBytes;
    if (receive.perChunk.flow === 'turns') turnsMs += r.ms;
    method = `up: ${[...names].join(' / ')}; down: ${receive.name}`;
  }
  const bounds: Array<[string, number]> = [
    ['pipeline', Math.max(upMs + downMs / o.messages, downMs + upMs / o.messages)],
    ['host line', hostBytes / bytesPerMs],
    ['module line', moduleBytes / bytesPerMs],
    ['turns', turnsMs],
  ];
  const [limitedBy, ms] = bounds.reduce((a, b) => (b[1] > a[1] ? b : a));
  return { ms, method, upMs, downMs, hostBytes, moduleBytes, limitedBy };
}
