/**
 * The benchmark's probe inside the Node-RED process: the object a flow reaches as
 * `global.get('bench')` (the settings file puts it in `functionGlobalContext`), and the answers to
 * the bench process over the IPC channel Node-RED was started with.
 *
 * A function node calls `emit(name, value)` and the bench process gets the event with this
 * process's high-resolution wall-clock time (`now()`, the same clock as bench/harness.ts). Bulk data
 * never crosses the channel during a measurement: the bench process hands a payload over before
 * (`payload(name)`), and received bytes are counted and hashed here (`take`, `digest`).
 *
 * Owns: the probe's messages on the channel. Must never: touch Node-RED itself, or do work a
 * measured flow did not ask for (usage() runs only when the bench process asks).
 */
import { readdirSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

/** Messages on the IPC channel; the bench process's side is in harness.ts. */
export type ToChild =
  | { type: 'bench-payload'; id: number; name: string; base64: string }
  | { type: 'bench-usage'; id: number };
export type FromChild =
  | { type: 'bench-event'; name: string; value: unknown; at: number }
  | { type: 'bench-reply'; id: number; value?: unknown };

/** The event the probe emits once Node-RED has started a deployed revision. */
export const DEPLOYED = 'bench:deployed';

export interface ProcessUsage {
  rss: number;
  heapUsed: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Active handles and requests (process.getActiveResourcesInfo). */
  handles: number;
  /** The same by type: `TTYWrap`, `TCPWRAP`, `Timeout` … */
  handleTypes: Record<string, number>;
  /** Open file descriptors (/proc/self/fd): ptys, sockets, files; -1 where the system has no /proc. */
  fds: number;
  /** Whether a full collection ran before heapUsed was read. */
  collected: boolean;
}

export function now(): number {
  return performance.timeOrigin + performance.now();
}

const payloads = new Map<string, Buffer>();
const tallies = new Map<string, { bytes: number; hash: Hash }>();
let collect: (() => void) | undefined;

function send(message: FromChild): void {
  process.send?.(message);
}

/** What a function node sees as `global.get('bench')`. */
export const bench = {
  now,
  /** Sends `{name, value, at: now()}` to the bench process; `value` must survive JSON. */
  emit(name: string, value?: unknown): void {
    send({ type: 'bench-event', name, value, at: now() });
  },
  /** The Buffer the bench process handed over under `name`. */
  payload(name: string): Buffer {
    const data = payloads.get(name);
    if (!data) throw new Error(`bench: no payload "${name}" was handed over`);
    return data;
  },
  /** Adds `chunk` to the tally `key` (byte count and SHA-256); returns the bytes counted so far. */
  take(key: string, chunk: Buffer | Uint8Array | string): number {
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = { bytes: 0, hash: createHash('sha256') }));
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    tally.bytes += data.length;
    tally.hash.update(data);
    return tally.bytes;
  },
  /** The tally `key` so far, `{bytes, sha256}`, and a fresh start for it. */
  digest(key: string): { bytes: number; sha256: string } {
    const tally = tallies.get(key);
    tallies.delete(key);
    return { bytes: tally?.bytes ?? 0, sha256: (tally?.hash ?? createHash('sha256')).digest('hex') };
  },
};

function openFileDescriptors(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
}

function usage(): ProcessUsage {
  collect?.();
  const resources = process.getActiveResourcesInfo();
  const handleTypes: Record<string, number> = {};
  for (const type of resources) handleTypes[type] = (handleTypes[type] ?? 0) + 1;
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    handles: resources.length,
    handleTypes,
    fds: openFileDescriptors(),
    collected: collect !== undefined,
  };
}

/**
 * Answers the bench process. `exposeGc`: a full collection before each usage() reading, as
 * `node --expose-gc` would allow (the flag is set at run time, so Node-RED starts unchanged).
 */
export function install(options: { exposeGc?: boolean } = {}): void {
  if (options.exposeGc) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (existing) collect = existing;
    else {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    }
  }
  // Node-RED starts the flows after it has answered a deploy; it says so on its event bus, which
  // the bench process waits for (NodeRedHost.deploy).
  try {
    const nodeRed = path.dirname(require.resolve('node-red/package.json'));
    const util = require(require.resolve('@node-red/util', { paths: [nodeRed] })) as { events: NodeJS.EventEmitter };
    util.events.on('runtime-event', (event: { id?: string; payload?: { revision?: string } }) => {
      if (event?.id === 'runtime-deploy') bench.emit(DEPLOYED, { revision: event.payload?.revision });
    });
  } catch {
    // An unusual install: deploy() then waits a moment instead.
  }
  process.on('message', (message: ToChild) => {
    if (message?.type === 'bench-payload') {
      payloads.set(message.name, Buffer.from(message.base64, 'base64'));
      send({ type: 'bench-reply', id: message.id });
    } else if (message?.type === 'bench-usage') {
      send({ type: 'bench-reply', id: message.id, value: usage() });
    }
  });
}
