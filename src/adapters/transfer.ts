/**
 * The cost on the wire of moving bulk data through a modem, and the fastest a documented method
 * can go: its protocol ceiling.
 *
 * A vendor's record describes, as data, the method its adapter uses to send and to receive a
 * payload of a given size at a given line rate (`TransferMethods`): how many bytes cross the line
 * in each direction for each chunk, whether the two sides take turns or stream at once, and the
 * idle time the method forces (a prompt's settle time, an escape's guard times). From that alone
 * `transferTime` gives the time an ideal host would need — every byte at the line rate, no time
 * lost between a prompt and the answer to it. The adapters use it to choose between methods and
 * `npm run bench` divides a measured throughput by it.
 *
 * Owns: the arithmetic only. Must never: know a vendor, or count anything but bytes on the wire
 * and documented waits.
 */

import { BITS_PER_BYTE } from '../at/line-clock';

export { BITS_PER_BYTE };

export interface ChunkCost {
  /** Bytes the host sends for one chunk of `n` payload bytes: command line, payload as it crosses the wire (hex doubles it), terminators. */
  hostBytes(n: number): number;
  /** Bytes the module sends for that chunk: prompts, result codes, URCs, and the payload itself on receive. */
  moduleBytes(n: number): number;
  /** Idle time the method forces per chunk, in ms (u-blox waits 50 ms after `@` before the data). */
  waitMs?: number;
  /**
   * `turns`: each side waits for the other (command, prompt, data, result code), so the two
   * directions' times add up. `stream`: both directions flow at once and the busier one sets the pace.
   */
  flow: 'turns' | 'stream';
}

export interface TransferMethod {
  /** For the report, in a few words: `AT#SSLSENDEXT, 1500-byte chunks`. */
  name: string;
  /** The largest payload one chunk carries. */
  chunk: number;
  perChunk: ChunkCost;
  /** Once per transfer: entering and leaving the method (a command and its CONNECT, an escape's guard times). */
  once?: { hostBytes: number; moduleBytes: number; waitMs: number };
}

export interface TransferMethods {
  /** What the adapter uses to send `payloadBytes` when the flow has not chosen a mode. */
  send(payloadBytes: number, baudRate: number): TransferMethod;
  /** What the adapter uses to deliver `payloadBytes` the server sends, when the flow has not chosen a mode. */
  receive(payloadBytes: number, baudRate: number): TransferMethod;
}

export interface TransferTime {
  /** The whole transfer, in ms. */
  ms: number;
  /** Bytes on the wire in each direction, payload included. */
  hostBytes: number;
  moduleBytes: number;
  chunks: number;
  /** Payload bytes per second at the ceiling. */
  bytesPerSecond: number;
  /** That rate as a fraction of what the line carries in one direction (baud / 10 bytes a second). */
  ofLineRate: number;
}

/** The time an ideal host needs to move `payloadBytes` with `method` at `baudRate`. */
export function transferTime(method: TransferMethod, payloadBytes: number, baudRate: number): TransferTime {
  if (!(method.chunk > 0)) throw new RangeError(`${method.name}: chunk must be positive, got ${method.chunk}`);
  const bytesPerMs = baudRate / BITS_PER_BYTE / 1000;
  const full = Math.floor(payloadBytes / method.chunk);
  const rest = payloadBytes - full * method.chunk;
  const sizes = rest > 0 ? [{ n: method.chunk, times: full }, { n: rest, times: 1 }] : [{ n: method.chunk, times: full }];
  const cost = method.perChunk;
  let hostBytes = method.once?.hostBytes ?? 0;
  let moduleBytes = method.once?.moduleBytes ?? 0;
  let ms = (hostBytes + moduleBytes) / bytesPerMs + (method.once?.waitMs ?? 0);
  let chunkHost = 0;
  let chunkModule = 0;
  let chunks = 0;
  for (const { n, times } of sizes) {
    if (times === 0) continue;
    chunkHost += cost.hostBytes(n) * times;
    chunkModule += cost.moduleBytes(n) * times;
    ms += (cost.waitMs ?? 0) * times;
    if (cost.flow === 'turns') ms += ((cost.hostBytes(n) + cost.moduleBytes(n)) * times) / bytesPerMs;
    chunks += times;
  }
  if (cost.flow === 'stream') ms += Math.max(chunkHost, chunkModule) / bytesPerMs;
  hostBytes += chunkHost;
  moduleBytes += chunkModule;
  const bytesPerSecond = ms > 0 ? (payloadBytes * 1000) / ms : Infinity;
  return { ms, hostBytes, moduleBytes, chunks, bytesPerSecond, ofLineRate: bytesPerSecond / (bytesPerMs * 1000) };
}

/** Of several methods, the one that moves `payloadBytes` soonest at `baudRate` (the first on a tie). */
export function fastestMethod(methods: readonly TransferMethod[], payloadBytes: number, baudRate: number): TransferMethod {
  let best = methods[0];
  let bestMs = transferTime(best, payloadBytes, baudRate).ms;
  for (const method of methods.slice(1)) {
    const ms = transferTime(method, payloadBytes, baudRate).ms;
    if (ms < bestMs) {
      best = method;
      bestMs = ms;
    }
  }
  return best;
}

/** The decimal length of `n` as it appears in a command line (`AT+USOWR=0,1024` spends 4 bytes on 1024). */
export function digits(n: number): number {
  return String(Math.max(0, Math.trunc(n))).length;
}
