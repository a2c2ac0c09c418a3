/**
 * The scaffolding of an end-to-end flow suite: a TLS chain of our nodes wired to helper nodes, the
 * mocha hooks around a fresh simulated module per test, the deploy that waits for the modem, and
 * the few steps every vendor's tests take (load the CA and apply the profile, open, echo, close,
 * catch a failure, set the clock). What differs by vendor comes in as data: the load-cert and
 * tls-profile defaults of the chain, the rig, the traps spliced into a binary payload.
 *
 * Owns: the Node-RED helper server for the suite, the flow it deploys and the rig a test hands it
 * (`use`); after each test the flow is unloaded first (closing the serial port), then the rig.
 * Must never: know a vendor's own commands (the 3GPP `AT+CCLK` aside) — the suites assert those.
 */
import assert from 'node:assert/strict';
import helper, { startServer, stopServer } from './red-helper';
import { deploy, modemReady, onTab, Probe, type FlowNode, type Msg } from './flow-probe';
import type { ModemRig } from './modem-rig';
import { ALL_NODES } from './nodes';
import { createTestPki, type TestPki, type TestPkiOptions } from '../../src/simulator/pki';

/** Where each flow node's output goes: a helper node of that name. */
export const OUTPUTS = ['loaded', 'applied', 'opened', 'sent', 'received', 'closed', 'answer', 'caught', 'decoded'] as const;

/** What a test changes in the chain: fields of its nodes, and more nodes. */
export interface ChainOptions {
  port: number;
  load?: FlowNode;
  profile?: FlowNode;
  open?: FlowNode;
  recv?: FlowNode;
  /** More nodes (their outputs should go to one of the helper nodes). */
  extra?: FlowNode[];
}

/** What a suite's chain holds whatever the test: the vendor's defaults and the helper nodes. */
export interface ChainSetup {
  /** The load-cert node's fields beyond `certType: 'ca'`. */
  load: FlowNode;
  /** The tls-profile node's fields beyond the common ones; its `profile` is tls-open's too. */
  profile: FlowNode & { profile: string };
  /** The helper nodes; OUTPUTS unless given. */
  outputs?: readonly string[];
  /** Whether the Catch node feeds an error-decode node (wired to `decoded`); true unless given. */
  errorDecode?: boolean;
}

/**
 * The nodes of a TLS flow — load-cert, tls-profile, tls-open, tls-send, tls-recv (every socket),
 * tls-close, at-command — each wired to its helper, and a Catch node for the whole tab (wired to
 * error-decode unless `setup.errorDecode` is false).
 */
export function tlsChain(setup: ChainSetup, o: ChainOptions): FlowNode[] {
  const errorDecode = setup.errorDecode ?? true;
  return [
    { id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', ...setup.load, wires: [['loaded']], ...o.load },
    {
      id: 'profile', type: 'modem-tls-profile', modem: 'cfg', verify: 'server', cert: '', key: '',
      checkHostname: true, checkDate: true, tlsVersion: '1.2', ciphers: 'auto', sni: true, vendorOptions: '', ...setup.profile, wires: [['applied']], ...o.profile,
    },
    { id: 'open', type: 'modem-tls-open', modem: 'cfg', profile: setup.profile.profile, host: '127.0.0.1', port: String(o.port), mode: 'command', wires: [['opened']], ...o.open },
    { id: 'send', type: 'modem-tls-send', modem: 'cfg', socket: '', wires: [['sent']] },
    { id: 'recv', type: 'modem-tls-recv', modem: 'cfg', socket: '', wires: [['received']], ...o.recv },
    { id: 'close', type: 'modem-tls-close', modem: 'cfg', socket: '', wires: [['closed']] },
    { id: 'at', type: 'modem-at-command', modem: 'cfg', command: '', wires: [['answer']] },
    ...(o.extra ?? []),
    { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [errorDecode ? ['caught', 'decode'] : ['caught']] },
    ...(errorDecode ? [{ id: 'decode', type: 'modem-error-decode', modem: 'cfg', wires: [['decoded']] }] : []),
    ...(setup.outputs ?? OUTPUTS).map((id) => ({ id, type: 'helper' })),
  ];
}

/** What a careless parser of one vendor would trip over, for `binaryPayload`. */
export interface PayloadTraps {
  /** Seeds the fixed pseudo-random sequence (xorshift32). */
  seed: number;
  /** Spliced in at 1000, 1000 + spacing, 1000 + 2 × spacing … */
  traps: readonly string[];
  spacing: number;
  /** Spliced in last at these offsets: across the vendor's chunk boundaries. */
  at?: ReadonlyArray<readonly [offset: number, text: string]>;
}

/** `length` states of the xorshift32 sequence from `seed`: a fixed pseudo-random order, so a failure can be replayed. */
export function xorshift32(seed: number, length: number): Uint32Array {
  const states = new Uint32Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    states[i] = state;
  }
  return states;
}

/**
 * `length` bytes holding every byte value (the first 256 are 0..255), then an order no framing
 * could guess, with the vendor's traps spliced in as latin1.
 */
export function binaryPayload(t: PayloadTraps, length = 102400): Buffer {
  const states = xorshift32(t.seed, length);
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = states[i]! & 0xff;
  for (let v = 0; v < 256; v++) data[v] = v;
  t.traps.forEach((trap, i) => Buffer.from(trap, 'latin1').copy(data, 1000 + i * t.spacing));
  for (const [offset, text] of t.at ?? []) Buffer.from(text, 'latin1').copy(data, offset);
  return data;
}

/** The base64 lines of a PEM: key material, whatever its header says. */
export function pemBodyLines(pem: string): string[] {
  return pem.split('\n').map((l) => l.trim()).filter((l) => l.length >= 40 && !l.startsWith('-----') && !l.includes(':'));
}

/** `+CCLK` time text for `date` in UTC: `yy/MM/dd,hh:mm:ss+00`. */
function cclk(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getUTCFullYear() % 100)}/${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())},${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}+00`;
}

export interface FlowSuiteSetup {
  /** The label of the flow's tab. */
  tab: string;
  /** The test PKI, made once for the suite. */
  pki?: TestPkiOptions;
  /** The helper nodes the probe watches; OUTPUTS unless given. */
  outputs?: readonly string[];
  /** modem-config fields for every deploy (a test's own fields win). */
  config?: Record<string, unknown>;
  /** The socket ids the module gives out, which `opens` checks. */
  sockets?: RegExp;
}

export interface FlowSuite<R extends ModemRig> {
  /** The suite's test PKI (made in `before`). */
  readonly pki: TestPki;
  /** The rig of the running test, as given to `use`. */
  readonly rig: R;
  /** The probe on the helper nodes of the flow deployed last. */
  readonly probe: Probe;
  /** Makes `rig` the running test's: `afterEach` closes it. */
  use<T extends R>(rig: T): T;
  /** `nodes` on a tab with the rig's modem-config (`cfg` overrides its fields). */
  flowOf(nodes: FlowNode[], cfg?: Record<string, unknown>): FlowNode[];
  /** Deploys `flow` (`afterEach` unloads it); the modem is not waited for, nothing is watched yet. */
  deploy(flow: unknown[], credentials?: Record<string, unknown>, nodes?: unknown[]): Promise<void>;
  /** Deploys `nodes` with the rig's modem-config, waits for the modem, watches the helpers; resolves with the flow. */
  start(nodes: FlowNode[], cfg?: Record<string, unknown>, credentials?: Record<string, unknown>): Promise<FlowNode[]>;
  /** A new probe on the helpers of the flow as deployed now. */
  watch(): Probe;
  /** Unloads the flow (the serial port is released; the module stays powered and keeps what it holds). */
  unload(): Promise<void>;
  /** Loads the CA of the test PKI with load-cert and applies the profile node's settings (overridden by `profile`). */
  provision(profile?: Msg): Promise<Msg>;
  /** Opens a connection with tls-open (`msg` overrides its settings) and resolves with the socket id it was given (one of `sockets`). */
  opens(msg?: Msg): Promise<string>;
  /** Sends `data` on `socket` and resolves with the echo that tls-recv pushed. */
  echoes(socket: string, data: Buffer | string, timeoutMs?: number): Promise<Buffer>;
  /** Closes `socket` with tls-close; tls-recv says it was closed by the flow. */
  closes(socket: string): Promise<void>;
  /** The Catch node's message for a failure of `nodeId`, and error-decode's explanation of it. */
  failureOf(nodeId: string, msg?: Msg): Promise<{ caught: Msg; decoded: Msg }>;
  /** Sets the modem clock with at-command (`AT+CCLK`) to the middle of `validity`, and reads it back. */
  setClockInside(validity: { notBefore: Date; notAfter: Date }): Promise<void>;
}

/**
 * Registers the hooks of a flow suite in the enclosing `describe` — the helper server for the
 * suite, the flow and the rig undone after each test — and hands back what its tests share.
 */
export function flowSuite<R extends ModemRig>(setup: FlowSuiteSetup): FlowSuite<R> {
  const outputs = setup.outputs ?? OUTPUTS;
  let pki: TestPki | undefined;
  let rig: R | undefined;
  let probe: Probe | undefined;
  let loaded = false;

  before(async () => {
    pki = createTestPki(setup.pki);
    await startServer();
  });

  after(stopServer);

  afterEach(async () => {
    if (loaded) await helper.unload();
    loaded = false;
    await rig?.close();
    rig = undefined;
  });

  const suite: FlowSuite<R> = {
    get pki() {
      if (!pki) throw new Error('flowSuite: no test PKI before the suite started');
      return pki;
    },
    get rig() {
      if (!rig) throw new Error('flowSuite: no rig; start one and give it to use()');
      return rig;
    },
    get probe() {
      if (!probe) throw new Error('flowSuite: no flow deployed');
      return probe;
    },
    use(next) {
      rig = next;
      return next;
    },
    flowOf(nodes, cfg = {}) {
      return [{ id: 'tab', type: 'tab', label: setup.tab }, suite.rig.config({ ...setup.config, ...cfg }), ...onTab('tab', nodes)];
    },
    async deploy(flow, credentials = {}, nodes = ALL_NODES) {
      await deploy(nodes, flow, credentials);
      loaded = true;
    },
    async start(nodes, cfg = {}, credentials = {}) {
      const flow = suite.flowOf(nodes, cfg);
      await suite.deploy(flow, credentials);
      await modemReady('cfg');
      suite.watch();
      return flow;
    },
    watch() {
      probe = new Probe(outputs);
      return probe;
    },
    async unload() {
      await helper.unload();
      loaded = false;
    },
    async provision(profile = {}) {
      const ca = await suite.probe.run('load', { payload: suite.pki.ca.cert }, 'loaded');
      assert.equal(ca.payload.verified, true);
      return suite.probe.run('profile', profile, 'applied');
    },
    async opens(msg = {}) {
      if (!setup.sockets) throw new Error('flowSuite: opens() needs the socket ids of the setup');
      const opened = await suite.probe.run('open', msg, 'opened');
      assert.match(opened.socket, setup.sockets);
      assert.equal(opened.payload.socket, opened.socket);
      assert.equal(opened.payload.mode, 'command');
      return opened.socket as string;
    },
    async echoes(socket, data, timeoutMs = 15000) {
      const bytes = Buffer.from(data);
      const sent = await suite.probe.run('send', { socket, payload: data }, 'sent', { timeoutMs });
      assert.deepEqual(sent.payload, { socket, bytes: bytes.length });
      return suite.probe.bytes('received', socket, bytes.length, timeoutMs);
    },
    async closes(socket) {
      const closed = await suite.probe.run('close', { socket }, 'closed');
      assert.deepEqual(closed.payload, { socket, closed: true });
      const ended = await suite.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket);
      assert.equal(ended.reason, 'closed by the flow');
    },
    async failureOf(nodeId, msg = {}) {
      const caught = await suite.probe.failure(nodeId, msg);
      const decoded = await suite.probe.next('decoded', (m) => m._msgid === caught._msgid);
      return { caught, decoded };
    },
    async setClockInside({ notBefore, notAfter }) {
      const inside = new Date((notBefore.getTime() + notAfter.getTime()) / 2);
      const set = await suite.probe.run('at', { payload: `AT+CCLK="${cclk(inside)}"` }, 'answer');
      assert.equal(set.final, 'OK');
      const read = await suite.probe.run('at', { payload: 'AT+CCLK?' }, 'answer');
      assert.match(read.payload[0], new RegExp(`^\\+CCLK: "${cclk(inside).slice(0, 8)}`));
    },
  };
  return suite;
}
