/**
 * API frames over the serial port, between command-mode sessions. A request frame goes out in an
 * exclusive section of the engine that first leaves command mode (so it never lands in a session,
 * and never between another operation's commands); its response is matched by frame ID
 * ("API frame format": the frame ID "identifies the data frame for the host to correlate with a
 * subsequent response"). Frames nobody asked for — received data, socket status, modem status —
 * go to `onUnsolicited`.
 *
 * Owns: frame IDs, the decoder of what the module sends, waiting for a response.
 * Must never: write a frame while the port is in command mode or in transparent mode.
 */
import type { AtChannel, AtEngine } from '../../at/engine';
import { ModemError } from '../../at/errors';
import { encodeFrame, FRAME_NAME, FrameDecoder, type ApiFrame } from './api-frames';
import { SOCKETS } from './tables';

type WithId = Extract<ApiFrame, { frameId: number }>;
/** A request frame without its frame ID (chosen by `request`); distributes over the frame types. */
export type Unnumbered<T = WithId> = T extends unknown ? Omit<T, 'frameId'> : never;

interface Waiter {
  type: number;
  resolve(frame: ApiFrame): void;
  reject(err: ModemError): void;
  timer: NodeJS.Timeout;
}

export class ApiLink {
  private readonly decoder: FrameDecoder;
  private readonly waiters = new Map<number, Waiter>();
  private lastId = 0;
  /** AP=2: bytes 0x7E 0x7D 0x11 0x13 escaped ("API operation with escaped characters"). */
  escaped = true;

  constructor(
    private readonly engine: AtEngine,
    private readonly onUnsolicited: (frame: ApiFrame) => void,
    onDiscard: (bytes: number, reason: string) => void,
  ) {
    this.decoder = new FrameDecoder({ escaped: true, onFrame: (frame) => this.onFrame(frame), onDiscard });
  }

  /** Bytes the module sent in API mode. */
  push(data: Buffer): void {
    this.decoder.escaped = this.escaped;
    this.decoder.push(data);
  }

  /** A half-received frame is gone (the link dropped, the module restarted). */
  reset(): void {
    this.decoder.reset();
  }

  /**
   * Sends `frame` (its frame ID is chosen here) and resolves with the response of type
   * `responseType` carrying the same ID; TIMEOUT after `timeoutMs`. With `at`, inside that
   * exclusive section (bringing the modem up) instead of one of its own.
   */
  async request(frame: Unnumbered, responseType: number, timeoutMs: number = SOCKETS.responseTimeoutMs, at?: AtChannel): Promise<ApiFrame> {
    return (await this.submit(frame, responseType, timeoutMs, at)).response;
  }

  /**
   * As `request`, but resolves once the frame is written, with the wait for its response: the
   * caller may write more frames meanwhile, each with its own ID (Socket Sends in a row). The
   * response's rejection is observed here, so a caller that stops waiting leaves nothing unhandled.
   */
  async submit(frame: Unnumbered, responseType: number, timeoutMs: number = SOCKETS.responseTimeoutMs, at?: AtChannel): Promise<{ response: Promise<ApiFrame> }> {
    const frameId = this.nextId();
    const full = { ...frame, frameId } as unknown as WithId;
    const what = FRAME_NAME[full.type] ?? `frame 0x${full.type.toString(16)}`;
    const response = new Promise<ApiFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(frameId);
        reject(new ModemError({ kind: 'TIMEOUT', vendor: 'xbee3', command: what, message: `${what}: no ${FRAME_NAME[responseType] ?? 'response'} within ${timeoutMs} ms` }));
      }, timeoutMs);
      timer.unref?.();
      this.waiters.set(frameId, { type: responseType, resolve, reject, timer });
    });
    // Observed at once: a failed write rejects it below, and nobody else waits.
    response.catch(() => undefined);
    try {
      await this.write(full, at);
    } catch (err) {
      const waiter = this.waiters.get(frameId);
      if (waiter) {
        clearTimeout(waiter.timer);
        this.waiters.delete(frameId);
      }
      throw err;
    }
    return { response };
  }

  /** Writes one frame, out of command mode, in a section of its own (or in `at`'s). */
  async write(frame: ApiFrame, at?: AtChannel): Promise<void> {
    const bytes = encodeFrame(frame, this.escaped);
    const body = async (channel: AtChannel): Promise<void> => {
      await channel.leaveCommandMode();
      await this.engine.writeData(bytes);
    };
    await (at ? body(at) : this.engine.exclusive(body));
  }

  /** Every wait for a response ends with `err` (the link dropped, the module restarted, redeploy). */
  failAll(err: ModemError): void {
    for (const [id, waiter] of this.waiters) {
      clearTimeout(waiter.timer);
      this.waiters.delete(id);
      waiter.reject(err);
    }
  }

  private onFrame(frame: ApiFrame): void {
    if (frame.type !== 'unknown' && 'frameId' in frame && frame.frameId !== 0) {
      const waiter = this.waiters.get(frame.frameId);
      if (waiter && waiter.type === frame.type) {
        clearTimeout(waiter.timer);
        this.waiters.delete(frame.frameId);
        waiter.resolve(frame);
        return;
      }
    }
    this.onUnsolicited(frame);
  }

  /** 1..255, skipping IDs still waiting (0 would ask for no response). */
  private nextId(): number {
    for (let i = 0; i < 255; i++) {
      this.lastId = (this.lastId % 255) + 1;
      if (!this.waiters.has(this.lastId)) return this.lastId;
    }
    throw new ModemError({ kind: 'UNSUPPORTED', vendor: 'xbee3', message: '255 API requests are waiting for their responses: the module does not answer' });
  }
}
