/**
 * What every fault test must hold whatever the fault: each message one of our nodes received was
 * completed (`done()` or `done(err)`), nothing was rejected unhandled, and once the flow is unloaded
 * and the rig closed, the process holds no more handles than before the test. Also sequence-numbered
 * payloads, to tell lost, duplicated and reordered data apart.
 *
 * Owns: the hooks it adds to the runtime and the process listener, removed after each test.
 * Must never: change what a flow does — it only watches.
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import helper from './red-helper';
import { sleep } from './flow-probe';

interface Hooks {
  add(name: string, fn: (event: any) => void): void;
  remove(name: string): void;
}

function runtimeHooks(): Hooks {
  const red = (helper as unknown as { _RED?: { hooks?: Hooks } })._RED;
  if (!red?.hooks) throw new Error('fault-guards: the Node-RED runtime exposes no hooks');
  return red.hooks;
}

/** Active handles and requests by type, as `process.getActiveResourcesInfo()` lists them. */
export function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** The types whose count is above `baseline`, with both counts, e.g. `TTYWrap 2 > 1`. */
export function resourcesAbove(baseline: Map<string, number>, now = resourceCounts()): string[] {
  const above: string[] = [];
  for (const [type, count] of now) {
    const before = baseline.get(type) ?? 0;
    if (count > before) above.push(`${type} ${count} > ${before}`);
  }
  return above;
}

export interface FaultGuards {
  /** Messages received by a `modem-*` node and not completed yet, as `<node id>/<msg id>`. */
  open(): string[];
  /** Unhandled rejections seen since the test began. */
  readonly rejections: unknown[];
}

let installed = 0;

/** With FAULT_GUARDS_TRACE set: where each live handle was made, to find a leak. */
const live = new Map<number, { type: string; stack: string }>();
if (process.env.FAULT_GUARDS_TRACE) {
  createHook({
    init(id, type, _trigger, resource) {
      if (type === 'PROMISE' || type === 'TickObject' || type === 'Microtask') return;
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 40;
      const stack = new Error().stack;
      Error.stackTraceLimit = limit;
      const timer = resource as { _onTimeout?: unknown; _idleTimeout?: number };
      const what = typeof timer._onTimeout === 'function' ? ` ${timer._idleTimeout} ms: ${String(timer._onTimeout).slice(0, 160)}` : '';
      live.set(id, { type: type + what, stack: stack?.split('\n').slice(7, 30).join('\n') ?? '' });
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
}

let liveBefore = new Set<number>();

function traced(): string {
  if (!process.env.FAULT_GUARDS_TRACE) return '';
  return [...live].filter(([id]) => !liveBefore.has(id)).map(([, h]) => `\n${h.type}\n${h.stack}`).join('\n');
}

/**
 * Call in a `describe` **after** the suite's own hooks (`flowSuite`, `closeAfterEach`), so that its
 * `afterEach` runs once the flow is unloaded and the rig closed. Each test then fails if a message
 * was left without `done()`, a rejection went unhandled, or a handle outlived the test (waiting up
 * to `settleMs` for sockets and timers to go).
 */
export function faultGuards(options: { settleMs?: number } = {}): FaultGuards {
  const settleMs = options.settleMs ?? 3000;
  const pending = new Map<string, number>();
  const rejections: unknown[] = [];
  let baseline = new Map<string, number>();
  const hookName = `faultGuards${++installed}`;
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  const keyOf = (nodeId: string, msg: { _msgid?: string }): string => `${nodeId}/${msg._msgid ?? '?'}`;

  beforeEach(async () => {
    pending.clear();
    rejections.length = 0;
    // Counted after a turn, as afterEach counts: mocha's timer for the hook is running in both.
    await new Promise((resolve) => setImmediate(resolve));
    baseline = resourceCounts();
    liveBefore = new Set(live.keys());
    process.on('unhandledRejection', onRejection);
    const hooks = runtimeHooks();
    hooks.add(`onReceive.${hookName}`, (event: { msg: { _msgid?: string }; destination: { id: string; node?: { type?: string } } }) => {
      if (!event.destination.node?.type?.startsWith('modem-')) return;
      const key = keyOf(event.destination.id, event.msg);
      pending.set(key, (pending.get(key) ?? 0) + 1);
    });
    hooks.add(`onComplete.${hookName}`, (event: { msg: { _msgid?: string }; node: { id: string } }) => {
      const key = keyOf(event.node.id, event.msg);
      const left = (pending.get(key) ?? 0) - 1;
      if (left > 0) pending.set(key, left);
      else pending.delete(key);
    });
  });

  afterEach(async function () {
    runtimeHooks().remove(`*.${hookName}`);
    process.off('unhandledRejection', onRejection);
    // A failed test leaves what it left; its own failure says more than these would.
    if (this.currentTest?.state === 'failed') return;
    assert.deepEqual([...pending.keys()], [], 'every message a modem node received was completed (done)');
    assert.deepEqual(rejections.map(String), [], 'no unhandled rejection');
    const deadline = Date.now() + settleMs;
    // Counted from setImmediate: a timer is still listed while its own callback (a sleep's) runs.
    const counts = async (): Promise<Map<string, number>> => {
      await new Promise((resolve) => setImmediate(resolve));
      return resourceCounts();
    };
    while (resourcesAbove(baseline, await counts()).length > 0 && Date.now() < deadline) await sleep(25);
    assert.deepEqual(resourcesAbove(baseline, await counts()), [], `no handle outlived the test; set FAULT_GUARDS_TRACE=1 to see where each was made${traced()}`);
  });

  return {
    open: () => [...pending.keys()],
    rejections,
  };
}

/**
 * Record `seq` of a numbered stream: `#<seq, 8 digits>:` then filler up to `size` bytes (≥ 11),
 * ending in LF. The filler holds bytes a parser might trip over.
 */
export function numbered(seq: number, size = 64): Buffer {
  if (size < 11) throw new RangeError('numbered: a record needs at least 11 bytes');
  const record = Buffer.alloc(size);
  const head = `#${String(seq).padStart(8, '0')}:`;
  record.write(head, 'latin1');
  const filler = '\r\nOK\r\n+++\x1a\x1b~}\x00\xff';
  for (let i = head.length; i < size - 1; i++) record[i] = filler.charCodeAt((seq + i) % filler.length);
  record[size - 1] = 0x0a;
  return record;
}

/** Records `from` … `from + count - 1`, back to back. */
export function numberedStream(from: number, count: number, size = 64): Buffer {
  return Buffer.concat(Array.from({ length: count }, (_, i) => numbered(from + i, size)));
}

/**
 * The sequence numbers in `data` (records of `size` made by `numbered`), checked record by record:
 * a record that is not exactly `numbered(seq, size)` fails. Lost, duplicated or reordered records
 * show in the numbers; use `assertSequence` for the usual check.
 */
export function sequenceOf(data: Buffer, size = 64): number[] {
  assert.equal(data.length % size, 0, `${data.length} bytes are not whole records of ${size}`);
  const seqs: number[] = [];
  for (let at = 0; at < data.length; at += size) {
    const m = /^#(\d{8}):/.exec(data.subarray(at, at + 10).toString('latin1'));
    assert.ok(m, `no record header at byte ${at}`);
    const seq = Number(m[1]);
    assert.ok(data.subarray(at, at + size).equals(numbered(seq, size)), `record ${seq} at byte ${at} is damaged`);
    seqs.push(seq);
  }
  return seqs;
}

/** `data` is exactly records `from` … `from + count - 1`, each once and in order. */
export function assertSequence(data: Buffer, from: number, count: number, size = 64): void {
  const seqs = sequenceOf(data, size);
  const expected = Array.from({ length: count }, (_, i) => from + i);
  if (seqs.length === expected.length && seqs.every((s, i) => s === expected[i])) return;
  const lost = expected.filter((s) => !seqs.includes(s));
  const twice = seqs.filter((s, i) => seqs.indexOf(s) !== i);
  const outOfOrder = seqs.findIndex((s, i) => i > 0 && s <= seqs[i - 1]);
  assert.fail(`records ${from}..${from + count - 1}: ${lost.length} lost (${lost.slice(0, 5).join(', ')}), ${twice.length} twice (${twice.slice(0, 5).join(', ')}), first out of order at index ${outOfOrder}`);
}

/**
 * What a stream that may have been cut checks: a prefix of records `from`, `from + 1`, … with no gap,
 * repeat or reorder — what arrived before a fault is right, even if not all of it arrived.
 */
export function assertSequencePrefix(data: Buffer, from: number, size = 64): number {
  const whole = data.subarray(0, data.length - (data.length % size));
  const seqs = sequenceOf(whole, size);
  seqs.forEach((s, i) => assert.equal(s, from + i, `record ${i} is ${s}, expected ${from + i}`));
  return seqs.length;
}
