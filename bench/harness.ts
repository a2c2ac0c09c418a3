/**
 * What every benchmark figure stands on: a real Node-RED runtime in a child process with this
 * package installed and a probe the flows report to; simulated modules on pseudo-terminals in
 * this process, paced at their line rate both ways; the flow nodes a user would place to
 * provision a module; TLS servers that count, hash and time what crosses them; and the shape of a
 * figure (a ratio against a bound or a baseline measured in the same run).
 *
 * Why a child process: the flow nodes run the way they run for a user — Node-RED's own message
 * passing, its function sandbox, the serial port opened by the modem-config node — and nothing in
 * this process (the simulators, the servers) takes CPU time from it or is counted in its usage.
 *
 * Owns: the Node-RED user directory below the context's work directory, the child process, the
 * simulated modules and servers it starts. Must never: assert (figures report), leave a process,
 * a pty or a socket behind after close()/stop(), or listen anywhere but 127.0.0.1.
 *
 * ```
 * const red = await startNodeRed(ctx, { exposeGc: true });
 * const m = await startSimulatedModem('telit', { baudRate: 115200 });
 * const setup = modemFlowFor(m, ctx, { config: 'cfg', tab: 'tab' });
 * await red.deploy([tabNode('tab'), ...setup.nodes, …], setup.credentials);
 * await provision(red, setup);
 * …
 * await red.stop();
 * await m.close();
 * ```
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tls from 'node:tls';
import type { VendorId } from '../src/adapters/types';
import { SIMULATED_VENDORS, servePty, type PtyEndpoint, type SimulatedModem } from '../src/simulator';
import type { TestPki } from '../src/simulator/pki';
import { createDemoEswifiModem, createDemoXbee3Modem, DEMO_WIFI } from '../scripts/demo';
import { startNodeRed as startNodeRedProcess } from '../scripts/node-red-process';
import { freePort } from '../scripts/ports';
import { DEPLOYED, now, type FromChild, type ProcessUsage, type ToChild } from './probe';

export { now } from './probe';
export type { ProcessUsage } from './probe';

/** The package's root: Node-RED loads it from there (dist/bench → ..). */
export const ROOT = path.resolve(__dirname, '..', '..');
const HOST = '127.0.0.1';

// ---------------------------------------------------------------------------------------------
// Figures and options
// ---------------------------------------------------------------------------------------------

/** One row of the README table and of bench/results.json. */
export interface Figure {
  /** 'throughput' | 'round trips' | 'uploads' | 'memory' | 'modems' … */
  group: string;
  /** 'Telit send at 921600' */
  name: string;
  /** measured ÷ bound (or ÷ baseline): the headline number. */
  ratio: number;
  /** 'protocol ceiling' | 'serial request node' | 'raw serialport loop' | 'wire bytes' … */
  against: string;
  /** Human text with units, e.g. '83.1 kB/s'. */
  measured: string;
  /** e.g. '89.2 kB/s (0.968 of line: AT#SSLSENDEXT …)'. */
  bound: string;
  /** The issue's target ratio, when there is one. */
  target?: number;
  /** Whether a higher ratio is better (default) or a lower one (costs: time ÷ wire time). */
  lowerIsBetter?: boolean;
  /** Raw numbers: runs, medians, bytes on the wire. */
  details?: Record<string, unknown>;
  /** Set when the figure could not be measured: the ratio is then NaN. */
  error?: string;
}

export interface BenchOptions {
  quick: boolean;
  runs: number;
  vendor?: string;
  baud?: number;
  soakMinutes: number;
}

export interface BenchContext {
  options: BenchOptions;
  pki: TestPki;
  workDir: string;
  log(text: string): void;
}

/** A figure that could not be measured: the row says why instead of a number. */
export function failedFigure(group: string, name: string, against: string, err: unknown, target?: number, lowerIsBetter?: boolean): Figure {
  const message = err instanceof Error ? err.message : String(err);
  return { group, name, ratio: Number.NaN, against, measured: 'failed', bound: '', target, ...(lowerIsBetter ? { lowerIsBetter } : {}), error: message };
}

// ---------------------------------------------------------------------------------------------
// Numbers and units
// ---------------------------------------------------------------------------------------------

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Least-squares slope of y over x. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Bytes a second as text: `83.1 kB/s`, `1.20 MB/s` (decimal units). */
export function rateText(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return String(bytesPerSecond);
  if (bytesPerSecond >= 1e6) return `${(bytesPerSecond / 1e6).toFixed(2)} MB/s`;
  return `${(bytesPerSecond / 1e3).toFixed(1)} kB/s`;
}

/** Bytes as text: `64 KiB`, `1.5 MiB`, `980 B`. */
export function bytesText(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  const b = Math.abs(bytes);
  if (b >= 1 << 20) return `${sign}${(b / (1 << 20)).toFixed(b % (1 << 20) === 0 ? 0 : 1)} MiB`;
  if (b >= 1 << 10) return `${sign}${(b / (1 << 10)).toFixed(b % (1 << 10) === 0 ? 0 : 1)} KiB`;
  return `${sign}${Math.round(b)} B`;
}

/** What the line carries in one direction, bytes a second (8N1: 10 bits a byte). */
export function lineRate(baudRate: number): number {
  return baudRate / 10;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `promise`, marked as handled: a waiter a failed figure left behind (an event it no longer
 * waits for, a Node-RED stopped under it) must not end the whole run when it rejects later.
 * Whoever awaits it still gets the rejection.
 */
export function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${(ms / 1000).toFixed(0)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// Simulated modules
// ---------------------------------------------------------------------------------------------

export interface BenchModem {
  vendor: VendorId;
  /** The pty device (`/dev/pts/N`). */
  path: string;
  /** A link to it with a name of its own, what the modem-config node opens: each module gets its own record in Node-RED. */
  linkPath: string;
  /** The platform its modem-config names. */
  platform: string;
  /** The line rate it is paced at both ways (undefined: unpaced). */
  baudRate?: number;
  modem: SimulatedModem;
  pty: PtyEndpoint;
  close(): Promise<void>;
}

/** The platform each vendor's module plays, and its modem-config names. */
export const BENCH_PLATFORMS: Readonly<Record<VendorId, string>> = {
  telit: '30',
  ublox: 'SARA-R5',
  fibocom: 'L610',
  xbee3: 'LTE-M',
  eswifi: 'ISM43362',
};

/** Short names for figure rows. */
export const VENDOR_NAMES: Readonly<Record<VendorId, string>> = {
  telit: 'Telit',
  ublox: 'u-blox',
  fibocom: 'Fibocom',
  xbee3: 'XBee3',
  eswifi: 'eS-WiFi',
};

let modemCount = 0;

/**
 * A simulated module of `vendor` on a pseudo-terminal, paced at `baudRate` both ways (undefined =
 * unpaced), in this process. The XBee3 and the eS-WiFi are the demo's (GT saved at 100 ms; the
 * demo's access point in reach); the others as the simulator's CLI plays them.
 */
export async function startSimulatedModem(vendor: VendorId, options: { baudRate?: number; platform?: string; linkDir?: string } = {}): Promise<BenchModem> {
  const platform = options.platform ?? BENCH_PLATFORMS[vendor];
  const made = { platform, ...(options.baudRate !== undefined ? { baudRate: options.baudRate } : {}) };
  const modem =
    vendor === 'xbee3' ? createDemoXbee3Modem(made) : vendor === 'eswifi' ? createDemoEswifiModem(made) : SIMULATED_VENDORS[vendor]!(made);
  const ownDir = options.linkDir === undefined;
  const dir = options.linkDir ?? mkdtempSync(path.join(os.tmpdir(), 'modem-tls-bench-'));
  mkdirSync(dir, { recursive: true });
  const linkPath = path.join(dir, `tty-${vendor}-${process.pid}-${++modemCount}`);
  const pty = servePty(modem, { linkPath });
  let closing: Promise<void> | undefined;
  return {
    vendor,
    path: pty.path,
    linkPath,
    platform,
    baudRate: options.baudRate,
    modem,
    pty,
    close() {
      closing ??= (async () => {
        await pty.close();
        modem.close();
        if (ownDir) rmSync(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Flow nodes
// ---------------------------------------------------------------------------------------------

export type FlowNode = Record<string, unknown>;

export function tabNode(id: string, label = id): FlowNode {
  return { id, type: 'tab', label, disabled: false, info: '' };
}

/** An inject node the bench presses with `NodeRedHost.inject(id)`; `payload` a string when given. */
export function injectNode(id: string, tab: string, wires: string[], payload?: string): FlowNode {
  return {
    id, type: 'inject', z: tab, name: id, props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '',
    payload: payload ?? '', payloadType: payload === undefined ? 'date' : 'str', wires: [wires],
  };
}

/** A function node running `func` (with `bench` = global.get('bench') in scope). */
export function functionNode(id: string, tab: string, func: string, wires: string[] = [], outputs = 1): FlowNode {
  return {
    id, type: 'function', z: tab, name: id, func: `const bench = global.get('bench');\n${func}`, outputs, timeout: 0, noerr: 0,
    initialize: '', finalize: '', libs: [], wires: outputs === 0 ? [] : [wires],
  };
}

/** A function node that emits `name` with the value of `expression` (default msg.payload) and passes the message on. */
export function probeNode(id: string, tab: string, name: string, expression = 'msg.payload', wires: string[] = []): FlowNode {
  return functionNode(id, tab, `bench.emit(${JSON.stringify(name)}, ${expression});\nreturn msg;`, wires);
}

/**
 * A Catch node for the tab and a probe that emits `error` with the failing node and the message:
 * NodeRedHost.next() rejects with it, so a failure ends the figure at once.
 */
export function catchNodes(tab: string): FlowNode[] {
  const id = `${tab}.catch`;
  return [
    { id, type: 'catch', z: tab, name: '', scope: null, uncaught: false, wires: [[`${id}.probe`]] },
    functionNode(
      `${id}.probe`,
      tab,
      "bench.emit('error', { source: msg.error && msg.error.source ? (msg.error.source.name || msg.error.source.id) : '', message: msg.error ? String(msg.error.message) : 'unknown' });\nreturn null;",
    ),
  ];
}

export interface ModemFlow {
  nodes: FlowNode[];
  credentials: Record<string, object>;
  /** The TLS profile the provisioning applies, for tls-open. */
  profile: string;
  /** The inject node that provisions the module (load the CA, apply the profile). */
  provision: string;
  /** The probe event once the profile is applied. */
  provisioned: string;
}

/** What each vendor's provisioning loads and applies (the e2e suites' working setups). */
const PROVISIONING: Readonly<Record<VendorId, { load: FlowNode; profile: FlowNode & { profile: string }; config?: FlowNode }>> = {
  // Secure socket 1: the CA in slot 1, profile (SSId) 1.
  telit: { load: { name: '1' }, profile: { profile: '1', ca: '1' } },
  ublox: { load: { name: 'bench-ca', format: 'auto' }, profile: { profile: '0', ca: 'bench-ca', hostname: '', alpn: '' } },
  // The L610 keeps no names; no host-name check and no SNI, which it lacks.
  fibocom: { load: { name: 'bench-ca', format: 'auto' }, profile: { profile: '1', ca: '', hostname: '', checkHostname: false, sni: false, alpn: '' } },
  // The CA as a file in certs/, profile 1; the XBee3 offers no host-name check.
  xbee3: { load: { name: 'ca.pem', format: 'auto' }, profile: { profile: '1', ca: 'ca.pem', hostname: '', checkHostname: false, sni: true, alpn: '' } },
  // Set 0 is the profile and its CA; programming an empty set is for good, so the node says so (programOneTime).
  eswifi: {
    load: { name: '0', format: 'auto', programOneTime: true },
    profile: { profile: '0', ca: '0', hostname: '', checkHostname: false, checkDate: false, tlsVersion: 'auto', sni: false, alpn: '' },
    config: { apn: '', clockSync: false, wifiSsid: DEMO_WIFI.ssid, wifiSecurity: DEMO_WIFI.security },
  },
};

/**
 * Mutual TLS on top of PROVISIONING: the names the client certificate and its key are loaded
 * under, what load-cert needs for them, and the profile's fields (the e2e suites' mutual setups).
 */
const MUTUAL: Readonly<Record<VendorId, { cert: FlowNode; key: FlowNode; profile: FlowNode & { profile?: string } }>> = {
  telit: { cert: { name: '1' }, key: { name: '1' }, profile: { verify: 'mutual', cert: '1', key: '1' } },
  ublox: { cert: { name: 'bench-cert' }, key: { name: 'bench-key' }, profile: { verify: 'mutual', cert: 'bench-cert', key: 'bench-key' } },
  // One client certificate and key for the module's life; files without names.
  fibocom: { cert: { name: 'bench-cert' }, key: { name: 'bench-key' }, profile: { verify: 'mutual' } },
  // Profile 0: the one transparent-mode (online) connections use.
  xbee3: {
    cert: { name: 'client.pem' }, key: { name: 'client.key' },
    profile: { profile: '0', verify: 'mutual', ca: 'ca.pem', cert: 'client.pem', key: 'client.key' },
  },
  eswifi: { cert: { name: '0', programOneTime: true }, key: { name: '0', programOneTime: true }, profile: { verify: 'mutual', ca: '0', cert: '0', key: '0' } },
};

/**
 * The modem-config node (and its credentials) for a BenchModem, plus the provisioning nodes that
 * load the PKI's CA and set a TLS profile for the vendor — what a user's flow would do. Node ids
 * start with `ids.config`; press `provision`, wait for the `provisioned` event. With `mutual`, the
 * PKI's client certificate and key are loaded too and the profile presents them.
 */
export function modemFlowFor(m: BenchModem, ctx: BenchContext, ids: { config: string; tab: string; mutual?: boolean }): ModemFlow {
  const c = ids.config;
  const base = PROVISIONING[m.vendor];
  const mutual = ids.mutual ? MUTUAL[m.vendor] : undefined;
  const setup = mutual ? { ...base, profile: { ...base.profile, ...mutual.profile } } : base;
  const config: FlowNode = {
    id: c, type: 'modem-config', name: `simulated ${m.vendor} (${path.basename(m.linkPath)})`, vendor: m.vendor, platform: m.platform,
    transport: 'serial', port: m.linkPath, baudRate: m.baudRate ?? 115200, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false,
    host: '', tcpPort: '', apn: 'internet', clockSync: true, initCommands: '', commandTimeout: 5000, wifiSsid: '', wifiSecurity: 'wpa2', traceAt: false,
    ...setup.config,
  };
  const credentials: Record<string, object> = m.vendor === 'eswifi' ? { [c]: { wifiPassphrase: DEMO_WIFI.passphrase } } : {};
  const provisioned = `${c}:provisioned`;
  const nodes: FlowNode[] = [
    config,
    injectNode(`${c}.provision`, ids.tab, [`${c}.load`], ctx.pki.ca.cert),
    {
      id: `${c}.load`, type: 'modem-load-cert', z: ids.tab, name: '', modem: c, action: 'store', certType: 'ca', format: 'auto', force: false,
      matchCert: '', allowExpired: false, vendorOptions: '', ...setup.load, wires: [[mutual ? `${c}.cert` : `${c}.profile`]],
    },
    ...(mutual
      ? [
          // A fresh message for each item: nothing of the one before (its name, its type) carries over.
          functionNode(`${c}.cert`, ids.tab, `return { payload: ${JSON.stringify(ctx.pki.client.cert)} };`, [`${c}.load-cert`]),
          {
            id: `${c}.load-cert`, type: 'modem-load-cert', z: ids.tab, name: '', modem: c, action: 'store', certType: 'cert', format: 'auto', force: false,
            matchCert: '', allowExpired: false, vendorOptions: '', ...mutual.cert, wires: [[`${c}.key`]],
          },
          functionNode(`${c}.key`, ids.tab, `return { payload: ${JSON.stringify(ctx.pki.client.key)}, cert: ${JSON.stringify(ctx.pki.client.cert)} };`, [`${c}.load-key`]),
          {
            id: `${c}.load-key`, type: 'modem-load-cert', z: ids.tab, name: '', modem: c, action: 'store', certType: 'key', format: 'auto', force: false,
            matchCert: '', allowExpired: false, vendorOptions: '', ...mutual.key, wires: [[`${c}.profile`]],
          },
        ]
      : []),
    {
      id: `${c}.profile`, type: 'modem-tls-profile', z: ids.tab, name: '', modem: c, verify: 'server', checkHostname: true, checkDate: true, hostname: '',
      tlsVersion: '1.2', ciphers: 'auto', sni: true, alpn: '', cert: '', key: '', vendorOptions: '', ...setup.profile, wires: [[`${c}.provisioned`]],
    },
    probeNode(`${c}.provisioned`, ids.tab, provisioned),
  ];
  return { nodes, credentials, profile: setup.profile.profile, provision: `${c}.provision`, provisioned };
}

/** The inject nodes, probe events and names of a `streamNodes` flow with prefix `p`. */
export interface StreamFlow {
  nodes: FlowNode[];
  /** Press to open the connection; event `opened` (value: tls-open's msg.payload). */
  open: string;
  /** Press to send the payload handed over as `payload`; events `start` (just before tls-send) and `sent`. */
  go: string;
  /** Press to close; event `closed`. */
  close: string;
  /** The payload name for NodeRedHost.payload(). */
  payload: string;
  events: { opened: string; start: string; sent: string; received: string; closed: string; ended: string };
}

/**
 * A TLS connection driven by the bench, as a user's flow would have it: tls-open (the mode left
 * unset unless `mode` is given, so the adapter chooses), tls-send of a Buffer, tls-recv into a
 * function that counts and hashes what arrives and emits `received` ({bytes, sha256}) each time
 * `expectBytes` have come, and tls-close.
 */
export function streamNodes(o: { prefix: string; tab: string; config: string; profile: string; port: number; expectBytes: number; mode?: string }): StreamFlow {
  const p = o.prefix;
  const e = { opened: `${p}:opened`, start: `${p}:start`, sent: `${p}:sent`, received: `${p}:received`, closed: `${p}:closed`, ended: `${p}:ended` };
  const payload = `${p}:tx`;
  const tally = JSON.stringify(`${p}:rx`);
  const nodes: FlowNode[] = [
    injectNode(`${p}.open`, o.tab, [`${p}.tls-open`]),
    {
      id: `${p}.tls-open`, type: 'modem-tls-open', z: o.tab, name: '', modem: o.config, profile: o.profile, host: HOST, port: String(o.port),
      mode: o.mode ?? '', timeout: '', vendorOptions: '', wires: [[`${p}.opened`]],
    },
    functionNode(`${p}.opened`, o.tab, `flow.set(${JSON.stringify(`${p}:socket`)}, msg.socket);\nbench.emit(${JSON.stringify(e.opened)}, msg.payload);\nreturn null;`),
    injectNode(`${p}.go`, o.tab, [`${p}.payload`]),
    functionNode(
      `${p}.payload`,
      o.tab,
      `msg.socket = flow.get(${JSON.stringify(`${p}:socket`)});\nmsg.payload = bench.payload(${JSON.stringify(payload)});\nbench.emit(${JSON.stringify(e.start)}, msg.payload.length);\nreturn msg;`,
      [`${p}.tls-send`],
    ),
    { id: `${p}.tls-send`, type: 'modem-tls-send', z: o.tab, name: '', modem: o.config, socket: '', wires: [[`${p}.sent`]] },
    probeNode(`${p}.sent`, o.tab, e.sent),
    { id: `${p}.tls-recv`, type: 'modem-tls-recv', z: o.tab, name: '', modem: o.config, socket: '', wires: [[`${p}.count`]] },
    functionNode(
      `${p}.count`,
      o.tab,
      [
        `if (msg.socket !== flow.get(${JSON.stringify(`${p}:socket`)})) return null;`,
        `if (msg.topic !== 'data') { bench.emit(${JSON.stringify(e.ended)}, { topic: msg.topic, reason: msg.reason }); return null; }`,
        `if (bench.take(${tally}, msg.payload) >= ${o.expectBytes}) bench.emit(${JSON.stringify(e.received)}, bench.digest(${tally}));`,
        'return null;',
      ].join('\n'),
    ),
    injectNode(`${p}.close`, o.tab, [`${p}.socket`]),
    functionNode(`${p}.socket`, o.tab, `msg.socket = flow.get(${JSON.stringify(`${p}:socket`)});\nreturn msg;`, [`${p}.tls-close`]),
    { id: `${p}.tls-close`, type: 'modem-tls-close', z: o.tab, name: '', modem: o.config, socket: '', vendorOptions: '', wires: [[`${p}.closed`]] },
    probeNode(`${p}.closed`, o.tab, e.closed),
  ];
  return { nodes, open: `${p}.open`, go: `${p}.go`, close: `${p}.close`, payload, events: e };
}

/** Presses the provisioning inject of `flow` and waits until the profile is applied. */
export async function provision(red: NodeRedHost, flow: ModemFlow, timeoutMs = 180000): Promise<void> {
  const done = red.next(flow.provisioned, timeoutMs);
  await red.inject(flow.provision);
  await done;
}

/** One module's echo stream: its provisioning nodes and its stream nodes. */
export interface EchoStream {
  setup: ModemFlow;
  stream: StreamFlow;
}

/**
 * Deploys on tab `tab` an echo stream for each module (provisioning, open, send, receive), provisions
 * them all, then opens their connections one at a time — so the server's connections come in the
 * modules' order — and has the server echo each.
 */
export async function openEchoStreams(ctx: BenchContext, red: NodeRedHost, server: BenchServer, modems: BenchModem[], tab: string, payload: number): Promise<EchoStream[]> {
  const flows: EchoStream[] = modems.map((m, i) => {
    const config = `${tab}.m${i}`;
    const setup = modemFlowFor(m, ctx, { config, tab });
    return { setup, stream: streamNodes({ prefix: config, tab, config, profile: setup.profile, port: server.port, expectBytes: payload }) };
  });
  await red.deploy(
    [tabNode(tab), ...flows.flatMap((f) => [...f.setup.nodes, ...f.stream.nodes]), ...catchNodes(tab)],
    Object.assign({}, ...flows.map((f) => f.setup.credentials)) as Record<string, object>,
  );
  await Promise.all(flows.map((f) => provision(red, f.setup)));
  for (const f of flows) {
    const connection = server.nextConnection(120000);
    const opened = red.next(f.stream.events.opened, 120000);
    await red.inject(f.stream.open);
    await opened;
    (await connection).echo = true;
  }
  return flows;
}

// ---------------------------------------------------------------------------------------------
// Node-RED in a child process
// ---------------------------------------------------------------------------------------------

export interface BenchEvent {
  name: string;
  value: unknown;
  at: number;
}

export interface NodeRedHost {
  url: string;
  userDir: string;
  /** The child's process id. */
  pid: number;
  /** Full deploy; resolves once Node-RED has started the flows. `credentials` by node id. */
  deploy(flows: object[], credentials?: Record<string, object>): Promise<void>;
  /** Presses an inject node. */
  inject(nodeId: string): Promise<void>;
  /**
   * The oldest event `name` not yet taken, or the next one. Rejects after `timeoutMs` (default
   * 60 s), when the flow's Catch probe reports an `error` meanwhile, or when Node-RED exits.
   */
  next(name: string, timeoutMs?: number): Promise<BenchEvent>;
  /** Every event `name` from now on (those already queued stay for next()). */
  on(name: string, listener: (value: unknown, at: number) => void): void;
  off(name: string, listener: (value: unknown, at: number) => void): void;
  /** Drops the events of `name` not taken yet (all names when none given). */
  forget(name?: string): void;
  /** Hands `data` to the probe: a flow reads it with bench.payload(name). */
  payload(name: string, data: Buffer): Promise<void>;
  /** Of the Node-RED process; heapUsed after a full collection when started with exposeGc. */
  usage(): Promise<ProcessUsage>;
  /** The last lines Node-RED printed. */
  lastLines(): string[];
  stop(): Promise<void>;
}

/** Node-RED can take half a minute on a Raspberry Pi; far beyond that is a failure. */
const START_WITHIN_MS = 120000;

function settingsFile(port: number, exposeGc: boolean): string {
  const probe = path.join(__dirname, 'probe.js');
  return [
    '// Written by `npm run bench` for its own Node-RED: on this machine only, the probe in the global context.',
    `const probe = require(${JSON.stringify(probe)});`,
    `probe.install({ exposeGc: ${exposeGc} });`,
    'module.exports = {',
    `  uiHost: '${HOST}',`,
    `  uiPort: ${port},`,
    `  flowFile: 'flows.json',`,
    `  credentialSecret: 'modem-tls-bench',`,
    `  logging: { console: { level: 'info', metrics: false, audit: false } },`,
    `  editorTheme: { projects: {}, tours: false },`,
    `  telemetry: { enabled: false, updateNotification: false },`,
    `  functionGlobalContext: { bench: probe.bench },`,
    '};',
    '',
  ].join('\n');
}

/** Packages installed in the project that a figure may use in its flows (linked into Node-RED's user directory). */
const EXTRA_MODULES = ['node-red-node-serialport'];

function linkModule(userDir: string, name: string, target: string): void {
  const link = path.join(userDir, 'node_modules', name);
  mkdirSync(path.dirname(link), { recursive: true });
  rmSync(link, { force: true, recursive: true });
  symlinkSync(target, link, process.platform === 'win32' ? 'junction' : 'dir');
}

function request(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: { ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

let redCount = 0;

/**
 * A real Node-RED runtime in a child process (its own userDir under workDir), with this package
 * and any extra node modules installed in the project (e.g. node-red-node-serialport), and the
 * probe (bench/probe.ts).
 */
export async function startNodeRed(ctx: BenchContext, options: { exposeGc?: boolean } = {}): Promise<NodeRedHost> {
  const userDir = path.join(ctx.workDir, `node-red-${++redCount}`);
  mkdirSync(userDir, { recursive: true });
  linkModule(userDir, 'node-red-contrib-modem-tls', ROOT);
  for (const name of EXTRA_MODULES) {
    const dir = path.join(ROOT, 'node_modules', name);
    if (existsSync(path.join(dir, 'package.json'))) linkModule(userDir, name, dir);
  }
  const port = await freePort();
  writeFileSync(path.join(userDir, 'settings.js'), settingsFile(port, options.exposeGc === true));
  const url = `http://${HOST}:${port}`;

  const logFile = createWriteStream(path.join(userDir, 'node-red.log'));
  let listening = false;
  /** Node-RED's lines since the deploy under way began. */
  let deployLines: string[] | undefined;
  const red = startNodeRedProcess({
    node: process.execPath,
    redJs: require.resolve('node-red/red.js'),
    userDir,
    settings: path.join(userDir, 'settings.js'),
    onLine: (line) => {
      logFile.write(`${line}\n`);
      deployLines?.push(line);
      if (line.includes(`Server now running at ${url}/`)) listening = true;
      // Its errors say why a figure failed; the rest stays in node-red.log.
      if (/ - \[error\] /.test(line)) ctx.log(`  Node-RED: ${line}`);
    },
  });

  // Events from the probe.
  const queued = new Map<string, BenchEvent[]>();
  const listeners = new Map<string, Set<(value: unknown, at: number) => void>>();
  const waiters = new Set<{ name: string; resolve(e: BenchEvent): void; reject(err: Error): void }>();
  const replies = new Map<number, (value: unknown) => void>();
  let nextId = 0;
  let exitedError: Error | undefined;

  const deliver = (event: BenchEvent): void => {
    for (const listener of listeners.get(event.name) ?? []) listener(event.value, event.at);
    if (event.name === 'error') {
      const { source, message } = (event.value ?? {}) as { source?: string; message?: string };
      const err = new Error(`the flow failed${source ? ` at ${source}` : ''}: ${message}`);
      for (const w of [...waiters]) {
        if (w.name === 'error') continue;
        waiters.delete(w);
        w.reject(err);
      }
    }
    for (const w of waiters) {
      if (w.name !== event.name) continue;
      waiters.delete(w);
      w.resolve(event);
      return;
    }
    const list = queued.get(event.name) ?? [];
    list.push(event);
    queued.set(event.name, list);
  };

  red.child.on('message', (message: FromChild) => {
    if (message?.type === 'bench-event') deliver({ name: message.name, value: message.value, at: message.at });
    else if (message?.type === 'bench-reply') {
      replies.get(message.id)?.(message.value);
      replies.delete(message.id);
    }
  });
  void red.exited.then((code) => {
    exitedError = new Error(`Node-RED exited (code ${code}). Its last lines:\n  ${red.lastLines.join('\n  ')}`);
    for (const w of waiters) w.reject(exitedError);
    waiters.clear();
    logFile.end();
  });

  const ask = (message: ToChild): Promise<unknown> => {
    if (exitedError) return Promise.reject(exitedError);
    return within(
      new Promise((resolve) => {
        replies.set(message.id, resolve);
        red.child.send(message);
      }),
      30000,
      `the probe's answer to ${message.type}`,
    );
  };

  const stop = async (): Promise<void> => {
    await red.stop();
    logFile.end();
  };

  // Ready when it says it listens and the admin API answers.
  const deadline = Date.now() + START_WITHIN_MS;
  for (;;) {
    if (red.child.exitCode !== null || red.child.signalCode !== null || exitedError) {
      throw new Error(`Node-RED exited before it answered on ${url}. Its last lines:\n  ${red.lastLines.join('\n  ')}`);
    }
    if (listening) {
      const answer = await request(`${url}/flows`, 'GET').catch(() => undefined);
      if (answer && answer.status === 200) break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Node-RED did not answer on ${url} within ${START_WITHIN_MS / 1000} s. Its last lines:\n  ${red.lastLines.join('\n  ')}`);
    }
    await sleep(200);
  }
  // Every node of this package loaded (a file rewritten while Node-RED read it would be missing).
  const palette = await request(`${url}/nodes`, 'GET', undefined, { accept: 'application/json' });
  const sets = (JSON.parse(palette.text) as Array<{ module: string; name: string; enabled?: boolean; err?: string }>).filter(
    (set) => set.module === 'node-red-contrib-modem-tls',
  );
  const broken = sets.filter((set) => set.err || set.enabled === false);
  if (sets.length === 0 || broken.length > 0) {
    await stop();
    const why = broken.map((set) => `${set.name}: ${set.err ?? 'disabled'}`).join('; ');
    throw new Error(`Node-RED did not load this package's nodes${why ? ` (${why})` : ''}: is dist/ built (npm run build)?`);
  }
  ctx.log(`Node-RED ${require('node-red/package.json').version as string} at ${url} (user directory ${userDir})`);

  const host: NodeRedHost = {
    url,
    userDir,
    pid: red.child.pid ?? -1,
    async deploy(flows, credentials = {}) {
      const body = flows.map((given, i) => {
        let node = given as FlowNode;
        const id = node.id as string | undefined;
        if (id !== undefined && credentials[id]) node = { ...node, credentials: credentials[id] };
        // Node-RED tells a flow node from a config node by its position on the canvas.
        if (Array.isArray(node.wires) && node.z !== undefined && node.x === undefined) node = { ...node, x: 200 + 10 * (i % 50), y: 40 + 40 * i };
        return node;
      });
      queued.delete(DEPLOYED);
      deployLines = [];
      const answer = await request(`${url}/flows`, 'POST', { flows: body }, { 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v2' });
      if (answer.status !== 200) throw new Error(`deploy refused (${answer.status}): ${answer.text}`);
      const revision = (JSON.parse(answer.text) as { rev?: string }).rev;
      // Node-RED answers before it has started the flows: wait for its word that it has.
      const deadline = Date.now() + 60000;
      for (;;) {
        const started = await host.next(DEPLOYED, Math.max(1, deadline - Date.now()));
        if ((started.value as { revision?: string } | undefined)?.revision === revision) break;
      }
      // A node type that did not load leaves the flows stopped, and Node-RED says so only in its log.
      const lines = deployLines;
      deployLines = undefined;
      const missing = lines.findIndex((l) => l.includes('Waiting for missing types'));
      if (missing >= 0) {
        const types = lines.slice(missing + 1).filter((l) => / - \[info\]\s+- /.test(l)).map((l) => l.replace(/^.* - /, ''));
        throw new Error(`Node-RED did not start the flows: node types missing (${types.join(', ')}); see ${path.join(userDir, 'node-red.log')}`);
      }
    },
    async inject(nodeId) {
      const answer = await request(`${url}/inject/${encodeURIComponent(nodeId)}`, 'POST');
      if (answer.status !== 200) throw new Error(`inject ${nodeId} refused (${answer.status}): ${answer.text}`);
    },
    next(name, timeoutMs = 60000) {
      const list = queued.get(name);
      if (list && list.length > 0) return Promise.resolve(list.shift()!);
      if (exitedError) return quiet(Promise.reject(exitedError));
      let waiter: { name: string; resolve(e: BenchEvent): void; reject(err: Error): void } | undefined;
      const waiting = new Promise<BenchEvent>((resolve, reject) => {
        waiter = { name, resolve, reject };
        waiters.add(waiter);
      });
      return quiet(within(waiting, timeoutMs, `event "${name}" from the flow`).finally(() => waiters.delete(waiter!)));
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
    },
    off(name, listener) {
      listeners.get(name)?.delete(listener);
    },
    forget(name) {
      if (name === undefined) queued.clear();
      else queued.delete(name);
    },
    async payload(name, data) {
      await ask({ type: 'bench-payload', id: ++nextId, name, base64: data.toString('base64') });
    },
    async usage() {
      return (await ask({ type: 'bench-usage', id: ++nextId })) as ProcessUsage;
    },
    lastLines: () => [...red.lastLines],
    stop,
  };
  return host;
}

// ---------------------------------------------------------------------------------------------
// TLS servers that count, hash and time
// ---------------------------------------------------------------------------------------------

export interface Received {
  bytes: number;
  sha256: string;
  /** now() at the first and the last chunk of this tally. */
  firstAt: number;
  lastAt: number;
}

/** One connection to a BenchServer. */
export interface BenchConnection {
  /** Resolves once `bytes` more have arrived since the last tally (then starts a new one). */
  expect(bytes: number, timeoutMs?: number): Promise<Received>;
  /** Writes `data` to the client; returns now() just before the write. */
  write(data: Buffer): number;
  /** Sends back whatever arrives (also counted). */
  echo: boolean;
  /** Bytes received in all. */
  readonly total: number;
  readonly closed: boolean;
  socket: tls.TLSSocket;
}

export interface BenchServer {
  port: number;
  /** The next connection to complete its handshake (one already waiting is handed out first). */
  nextConnection(timeoutMs?: number): Promise<BenchConnection>;
  close(): Promise<void>;
}

/**
 * A TLS server with the PKI's server certificate, on 127.0.0.1: a sink (counts, hashes and times
 * what arrives), a source (writes on demand) and, with `echo`, an echo, on each connection.
 */
export async function startBenchServer(pki: TestPki, options: { echo?: boolean } = {}): Promise<BenchServer> {
  const server = tls.createServer({ cert: pki.server.cert, key: pki.server.key, dhparam: 'auto' });
  const sockets = new Set<net.Socket>();
  const ready: BenchConnection[] = [];
  const waiting: Array<(c: BenchConnection) => void> = [];
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    let tally: { bytes: number; hash: Hash; firstAt: number; lastAt: number } | undefined;
    let want: { bytes: number; resolve(r: Received): void } | undefined;
    let total = 0;
    let closed = false;
    const settle = (): void => {
      if (!want || !tally || tally.bytes < want.bytes) return;
      const done = { bytes: tally.bytes, sha256: tally.hash.digest('hex'), firstAt: tally.firstAt, lastAt: tally.lastAt };
      const w = want;
      want = undefined;
      tally = undefined;
      w.resolve(done);
    };
    const connection: BenchConnection = {
      echo: options.echo === true,
      socket,
      get total() {
        return total;
      },
      get closed() {
        return closed;
      },
      expect(bytes, timeoutMs = 120000) {
        if (want) return quiet(Promise.reject(new Error('expect: one tally at a time')));
        const promise = new Promise<Received>((resolve) => (want = { bytes, resolve }));
        settle();
        return quiet(within(promise, timeoutMs, `${bytes} bytes at the server`));
      },
      write(data) {
        const at = now();
        socket.write(data);
        return at;
      },
    };
    socket.on('data', (chunk: Buffer) => {
      const at = now();
      total += chunk.length;
      if (!tally) tally = { bytes: 0, hash: createHash('sha256'), firstAt: at, lastAt: at };
      tally.bytes += chunk.length;
      tally.hash.update(chunk);
      tally.lastAt = at;
      if (connection.echo) socket.write(chunk);
      settle();
    });
    socket.on('close', () => (closed = true));
    const waiter = waiting.shift();
    if (waiter) waiter(connection);
    else ready.push(connection);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    nextConnection(timeoutMs = 120000) {
      const first = ready.shift();
      if (first) return Promise.resolve(first);
      let mine: ((c: BenchConnection) => void) | undefined;
      const promise = new Promise<BenchConnection>((resolve) => {
        mine = resolve;
        waiting.push(resolve);
      });
      return quiet(
        within(promise, timeoutMs, 'a TLS connection at the server').finally(() => {
          const i = waiting.indexOf(mine!);
          if (i >= 0) waiting.splice(i, 1);
        }),
      );
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
