/**
 * Driving whole flows in a real Node-RED (through node-red-node-test-helper) and watching what
 * comes out: a deploy that fails loudly, a probe on helper nodes that hands out each message once,
 * the status calls of one node, and every word the runtime was told (messages, statuses, logs) for
 * secret checks.
 *
 * Must never: change the flows it watches — it only listens to `input` events and reads the spies
 * the helper puts on `Node.prototype` and `RED.log`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import helper, { type TestNode } from './red-helper';

export type Msg = Record<string, any>;
export type FlowNode = Record<string, unknown>;

/** Loads `flow`; unlike `loadFlow` of red-helper, a failed load rejects. */
export function deploy(nodes: unknown[], flow: unknown[], credentials: Record<string, unknown> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = ((err?: Error) => (err ? reject(err) : resolve())) as () => void;
    helper.load(nodes, flow, credentials, done).catch(reject);
  });
}

/** Gives every node that is not a tab or a config node the `z`, `x`, `y` a flow node needs. */
export function onTab(tab: string, nodes: FlowNode[]): FlowNode[] {
  return nodes.map((n) => ({ z: tab, x: 100, y: 100, ...n }));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it holds; the error names `what`. */
export async function until(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Resolves once the modem-config node `id` has brought its modem up. */
export function modemReady(id: string, timeoutMs = 8000): Promise<void> {
  return until(`modem-config ${id} to be ready`, () => (helper.getNode(id) as TestNode | null)?.modem?.isReady === true, timeoutMs);
}

interface Seen {
  msg: Msg;
  taken: boolean;
}

interface Waiter {
  id: string;
  predicate: (msg: Msg) => boolean;
  resolve(msg: Msg): void;
}

/**
 * Records what reaches a set of nodes (helper nodes, or any node whose input is worth watching)
 * and hands each message out once: `next` takes the oldest matching message not yet taken, or
 * waits for one.
 */
export class Probe {
  private readonly seen = new Map<string, Seen[]>();
  private readonly waiters = new Set<Waiter>();

  constructor(ids: readonly string[]) {
    for (const id of ids) {
      const node = helper.getNode(id);
      if (!node) throw new Error(`probe: no node ${id} in the deployed flow`);
      this.seen.set(id, []);
      node.on('input', (msg: Msg) => this.arrived(id, msg));
    }
  }

  /** Every message `id` received, taken or not. */
  all(id: string): Msg[] {
    return this.list(id).map((s) => s.msg);
  }

  /** The next message at `id` that matches; rejects after `timeoutMs` naming what did arrive. */
  next(id: string, predicate: (msg: Msg) => boolean = () => true, timeoutMs = 8000): Promise<Msg> {
    return this.wait(id, predicate, timeoutMs).promise;
  }

  /**
   * Sends `msg` to node `nodeId` and resolves with what arrives at `outId`; when the Catch node
   * (`caughtId`) gets the node's failure first, rejects with that failure (the caught message is
   * on the error as `caught`).
   */
  async run(nodeId: string, msg: Msg, outId: string, options: { caughtId?: string; timeoutMs?: number } = {}): Promise<Msg> {
    const caughtId = options.caughtId ?? 'caught';
    const timeoutMs = options.timeoutMs ?? 8000;
    const out = this.wait(outId, () => true, timeoutMs);
    const failed = this.wait(caughtId, (m) => m.error?.source?.id === nodeId, timeoutMs);
    helper.getNode(nodeId).receive(msg);
    try {
      return await Promise.race([
        out.promise,
        failed.promise.then((caught) => {
          throw Object.assign(new Error(`${nodeId} failed: ${String(caught.error?.message)}`), { caught });
        }),
      ]);
    } finally {
      out.cancel();
      failed.cancel();
    }
  }

  /** Sends `msg` to `nodeId` and resolves with the Catch node's message for its failure. */
  async failure(nodeId: string, msg: Msg, options: { caughtId?: string; outId?: string; timeoutMs?: number } = {}): Promise<Msg> {
    const caught = this.wait(options.caughtId ?? 'caught', (m) => m.error?.source?.id === nodeId, options.timeoutMs ?? 8000);
    const out = options.outId ? this.wait(options.outId, () => true, options.timeoutMs ?? 8000) : undefined;
    helper.getNode(nodeId).receive(msg);
    try {
      return await Promise.race([
        caught.promise,
        ...(out ? [out.promise.then((m) => {
          throw new Error(`${nodeId} was expected to fail, but sent ${JSON.stringify(m.payload)}`);
        })] : []),
      ]);
    } finally {
      caught.cancel();
      out?.cancel();
    }
  }

  /** Takes `data` messages for `socket` at `id` until `length` bytes came, and returns them joined. */
  async bytes(id: string, socket: string, length: number, timeoutMs = 15000): Promise<Buffer> {
    const parts: Buffer[] = [];
    let total = 0;
    const deadline = Date.now() + timeoutMs;
    while (total < length) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`only ${total} of ${length} bytes arrived at ${id} within ${timeoutMs} ms`);
      const msg = await this.next(id, (m) => m.topic === 'data' && m.socket === socket, left).catch(() => {
        throw new Error(`only ${total} of ${length} bytes arrived at ${id} within ${timeoutMs} ms`);
      });
      parts.push(msg.payload as Buffer);
      total += (msg.payload as Buffer).length;
    }
    return Buffer.concat(parts);
  }

  private list(id: string): Seen[] {
    const list = this.seen.get(id);
    if (!list) throw new Error(`probe: ${id} is not watched`);
    return list;
  }

  private arrived(id: string, msg: Msg): void {
    const entry: Seen = { msg, taken: false };
    this.list(id).push(entry);
    for (const waiter of this.waiters) {
      if (waiter.id === id && waiter.predicate(msg)) {
        entry.taken = true;
        this.waiters.delete(waiter);
        waiter.resolve(msg);
        return;
      }
    }
  }

  private wait(id: string, predicate: (msg: Msg) => boolean, timeoutMs: number): { promise: Promise<Msg>; cancel(): void } {
    const list = this.list(id);
    const ready = list.find((s) => !s.taken && predicate(s.msg));
    if (ready) {
      ready.taken = true;
      return { promise: Promise.resolve(ready.msg), cancel: () => undefined };
    }
    let timer: NodeJS.Timeout | undefined;
    let waiter: Waiter | undefined;
    const promise = new Promise<Msg>((resolve, reject) => {
      waiter = {
        id,
        predicate,
        resolve: (msg) => {
          clearTimeout(timer);
          resolve(msg);
        },
      };
      this.waiters.add(waiter);
      timer = setTimeout(() => {
        this.waiters.delete(waiter!);
        const got = list.map((s) => `${String(s.msg.topic ?? '')}:${summary(s.msg.payload)}`).join(', ');
        reject(new Error(`no matching message at ${id} within ${timeoutMs} ms (it got: ${got || 'nothing'})`));
      }, timeoutMs);
    });
    promise.catch(() => undefined);
    return {
      promise,
      cancel: () => {
        clearTimeout(timer);
        if (waiter) this.waiters.delete(waiter);
      },
    };
  }
}

function summary(payload: unknown): string {
  if (Buffer.isBuffer(payload)) return `<${payload.length} bytes>`;
  const text = JSON.stringify(payload) ?? String(payload);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Spies the helper puts on Node.prototype (status, send, log, warn, error, debug, trace) and RED.log
// ---------------------------------------------------------------------------------------------

interface SpyCall {
  args: unknown[];
  thisValue?: { id?: string };
}

interface Spy {
  getCalls(): SpyCall[];
}

const NODE_METHODS = ['status', 'send', 'log', 'warn', 'error', 'debug', 'trace'] as const;
type NodeMethod = (typeof NODE_METHODS)[number];

function nodeSpy(method: NodeMethod): Spy | undefined {
  const proto = (helper as unknown as { _NodePrototype?: Record<string, unknown> })._NodePrototype;
  const spy = proto?.[method] as Spy | undefined;
  return typeof spy?.getCalls === 'function' ? spy : undefined;
}

/** The calls of `node.<method>` made by node `id` (the spies are shared by every node). */
export function callsOf(id: string, method: NodeMethod): unknown[][] {
  return (nodeSpy(method)?.getCalls() ?? []).filter((c) => c.thisValue?.id === id).map((c) => c.args);
}

/** Every status node `id` has set, oldest first. */
export function statusesOf(id: string): Array<{ fill?: string; shape?: string; text?: string }> {
  return callsOf(id, 'status').map((args) => (args[0] ?? {}) as { fill?: string; text?: string });
}

/** Every status any node has set, oldest first, with the node's id: the order in which things happened across nodes. */
export function statusTimeline(): Array<{ id: string; fill?: string; shape?: string; text?: string }> {
  return (nodeSpy('status')?.getCalls() ?? []).map((c) => ({ id: String(c.thisValue?.id), ...((c.args[0] ?? {}) as { fill?: string; shape?: string; text?: string }) }));
}

/** Resolves once the latest status of node `id` matches. */
export async function statusOf(id: string, predicate: (s: { fill?: string; shape?: string; text?: string }) => boolean, timeoutMs = 8000): Promise<{ fill?: string; text?: string }> {
  let last: { fill?: string; text?: string } | undefined;
  await until(`a status of ${id}`, () => {
    const all = statusesOf(id);
    last = all[all.length - 1];
    return last !== undefined && predicate(last);
  }, timeoutMs).catch((err: Error) => {
    throw new Error(`${err.message}; the last was ${JSON.stringify(last)}`);
  });
  return last!;
}

/** What was said through every channel: each entry names where (`send by load`, `log`…) and holds the texts. */
export interface Said {
  where: string;
  text: string;
}

/**
 * Every text the runtime was handed since the flow was loaded: messages sent by any node,
 * statuses, node log/warn/error/debug/trace calls and RED.log entries, with Buffers read as
 * latin1 and errors by message and stack.
 */
export function everythingSaid(): Said[] {
  const out: Said[] = [];
  for (const method of NODE_METHODS) {
    for (const call of nodeSpy(method)?.getCalls() ?? []) {
      const where = `${method} by ${call.thisValue?.id ?? '?'}`;
      for (const text of texts(call.args)) out.push({ where, text });
    }
  }
  const logSpy = helper._logSpy;
  for (const call of logSpy?.getCalls() ?? []) {
    for (const text of texts(call.args)) out.push({ where: 'RED.log', text });
  }
  return out;
}

/** Entries logged through RED.log at `level` or more severe (RED.log levels: 10 fatal, 20 error, 30 warn). */
export function logEntries(maxLevel: number): Array<Record<string, unknown>> {
  return (helper._logSpy?.getCalls() ?? [])
    .map((c) => c.args[0] as Record<string, unknown>)
    .filter((entry) => typeof entry?.level === 'number' && (entry.level as number) <= maxLevel);
}

function texts(value: unknown, out: string[] = [], seen = new Set<unknown>(), depth = 0): string[] {
  if (value === null || value === undefined || depth > 12) return out;
  if (typeof value === 'string') {
    out.push(value);
    return out;
  }
  if (typeof value !== 'object') return out;
  if (seen.has(value)) return out;
  seen.add(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    out.push(Buffer.from(value).toString('latin1'));
    return out;
  }
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? '');
  }
  const record = value as Record<string, unknown>;
  // A JSON Buffer ({type: 'Buffer', data: [...]}), as Node-RED sometimes carries one.
  if (record.type === 'Buffer' && Array.isArray(record.data)) {
    out.push(Buffer.from(record.data as number[]).toString('latin1'));
    return out;
  }
  for (const key of Object.keys(record)) texts(record[key], out, seen, depth + 1);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The Node-RED under test and its core nodes
// ---------------------------------------------------------------------------------------------

/** The red.js the helper runs: `MODEM_TLS_NODE_RED`, or the node-red of devDependencies. */
export function redRuntimePath(): string {
  return process.env.MODEM_TLS_NODE_RED ?? require.resolve('node-red');
}

/** The `@node-red/nodes` package that belongs to the Node-RED under test. */
export function coreNodesDir(): string {
  for (let dir = path.dirname(redRuntimePath()); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@node-red', 'nodes');
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    const sibling = path.join(dir, '@node-red', 'nodes');
    if (path.basename(dir) === 'node_modules' && existsSync(path.join(sibling, 'package.json'))) return sibling;
    if (path.dirname(dir) === dir) throw new Error(`no @node-red/nodes next to ${redRuntimePath()}`);
  }
}

/**
 * The module files of core node types, by type. `catch` is left out on purpose: the helper
 * preloads it from the same runtime, and loading it twice registers it twice.
 */
const CORE_NODE_FILES: Readonly<Record<string, string>> = {
  inject: 'core/common/20-inject.js',
  debug: 'core/common/21-debug.js',
  comment: 'core/common/90-comment.js',
  function: 'core/function/10-function.js',
  'file in': 'core/storage/10-file.js',
  'mqtt in': 'core/network/10-mqtt.js',
  'mqtt out': 'core/network/10-mqtt.js',
  'mqtt-broker': 'core/network/10-mqtt.js',
};

/** The core node modules for `types` (each file once; `file` and `file in` share one, as do the MQTT nodes). */
export function coreNodeModules(types: Iterable<string>): unknown[] {
  const dir = coreNodesDir();
  const files = new Set<string>();
  for (const type of types) {
    const file = CORE_NODE_FILES[type];
    if (file) files.add(file);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return [...files].map((file) => require(path.join(dir, file)));
}

/** The core types `coreNodeModules` can load (plus `catch`, which the helper brings). */
export const LOADABLE_CORE_TYPES: readonly string[] = [...Object.keys(CORE_NODE_FILES), 'catch'];
