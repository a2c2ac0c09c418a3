/**
 * node-red-node-test-helper, typed for our tests, bound to the Node-RED in devDependencies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The helper ships no types of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const helper = require('node-red-node-test-helper') as RedTestHelper;

export interface TestNode {
  id: string;
  type: string;
  receive(msg: Record<string, unknown>): void;
  on(event: string, fn: (...args: any[]) => void): void;
  status: { (s: unknown): void; args?: unknown } & Record<string, any>;
  error: Record<string, any>;
  warn: Record<string, any>;
  log: Record<string, any>;
  [key: string]: any;
}

export interface RedTestHelper {
  init(nodeRedRuntime: string, settings?: Record<string, unknown>): void;
  startServer(done: (err?: Error) => void): void;
  stopServer(done: (err?: Error) => void): void;
  load(nodes: unknown[], flow: unknown[], credentials: Record<string, unknown>, cb: () => void): Promise<void>;
  load(nodes: unknown[], flow: unknown[], cb: () => void): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): TestNode;
  request(): any;
  settings(s: Record<string, unknown>): void;
  _logSpy?: { getCalls(): Array<{ args: unknown[] }> };
}

// MODEM_TLS_NODE_RED points at another Node-RED's red.js (e.g. Node-RED 5 on Node 22 in CI).
helper.init(process.env.MODEM_TLS_NODE_RED ?? require.resolve('node-red'));

export default helper;

export function startServer(): Promise<void> {
  return new Promise((resolve, reject) => helper.startServer((err) => (err ? reject(err) : resolve())));
}

export function stopServer(): Promise<void> {
  return new Promise((resolve, reject) => helper.stopServer((err) => (err ? reject(err) : resolve())));
}

export function loadFlow(nodes: unknown[], flow: unknown[], credentials: Record<string, unknown> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    helper.load(nodes, flow, credentials, () => resolve()).catch(reject);
  });
}

/** Resolves with the next message a node sends to its `helper` neighbour. */
export function nextMessage(node: TestNode, timeoutMs = 5000): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message from ${node.id} within ${timeoutMs} ms`)), timeoutMs);
    node.on('input', (msg: Record<string, any>) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

/** Resolves once `predicate` holds for the latest status a node set. */
export function waitForStatus(node: TestNode, predicate: (s: { fill?: string; shape?: string; text?: string }) => boolean, timeoutMs = 5000): Promise<{ fill?: string; text?: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      // The helper spies on Node.prototype: keep only the calls this node made.
      const calls = (node.status.getCalls?.() ?? []).filter((call: { thisValue: unknown }) => call.thisValue === node);
      const last = calls.length > 0 ? calls[calls.length - 1].args[0] : undefined;
      if (last && predicate(last)) {
        resolve(last);
        return;
      }
      if (Date.now() - started > timeoutMs) {
        reject(new Error(`status of ${node.id} never matched; last was ${JSON.stringify(last)}`));
        return;
      }
      setTimeout(poll, 10);
    };
    poll();
  });
}

/** What `settings()` of the test helper returns and takes: Node-RED's settings, merged. */
type Settings = (s?: Record<string, unknown>) => Record<string, unknown>;

/**
 * Call in a `describe`: each test runs with a Node-RED userDir of its own (made before it, removed
 * after it), so what the package notes of a module there (the eS-WiFi sets, the Fibocom files) is
 * fresh for a fresh simulated module. `path` is the running test's userDir.
 */
export function freshUserDirEachTest(prefix: string): { readonly path: string } {
  const settings = helper.settings.bind(helper) as unknown as Settings;
  let saved: Record<string, unknown> = {};
  let current: string | undefined;
  before(() => {
    saved = { ...settings() };
  });
  beforeEach(() => {
    current = mkdtempSync(path.join(os.tmpdir(), prefix));
    settings({ userDir: current });
  });
  afterEach(() => {
    if (current !== undefined) rmSync(current, { recursive: true, force: true });
    current = undefined;
  });
  after(() => {
    settings(saved);
  });
  return {
    get path() {
      if (current === undefined) throw new Error('freshUserDirEachTest: no test is running');
      return current;
    },
  };
}
