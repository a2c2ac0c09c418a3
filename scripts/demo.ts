/**
 * The local demo, as a module: two simulated Telit modems, a simulated u-blox module, two simulated
 * Fibocom L610s, a simulated Digi XBee3 Cellular and a simulated Inventek eS-WiFi on TCP, the TLS
 * servers the example flows talk to, an MQTT broker that wants a client certificate, a throw-away
 * PKI, and Node-RED with this package and the example flows, all on 127.0.0.1. `npm start`
 * (scripts/start.ts) is a command line over it; tests start it on free ports.
 *
 * Why two L610s: the Fibocom examples need a modem config with clock sync and one without, and a
 * modem serves one host connection at a time (a serial line), so each config gets its own module.
 * Why two Telit modems: the Telit MQTT example's tls bridge keeps its module's serial line in ONLINE
 * mode while the MQTT connection is open, so no command of the other Telit examples would reach it.
 * The u-blox MQTT example's bridge works in command mode, so it shares the one u-blox module with
 * the other u-blox examples.
 *
 * The MQTT broker (scripts/demo-broker.ts) prints the client certificate of each client that
 * connects: the one stored in the simulated modem, presented by the modem's own TLS. Each MQTT
 * example has a tls bridge of its own in Node-RED (MQTT_BRIDGE_NAMES), on a port of its own.
 *
 * Why the eS-WiFi's record is forgotten at each start: its certificate sets are one-time
 * programmable, and the package notes what it programmed, per module, in the user directory
 * (`modem-tls/`). The simulated module starts with empty sets every time, so a note kept from an
 * earlier start would describe a module that no longer exists.
 *
 * Owns: checking every port before anything starts (a taken one is explained, naming the variable
 * of `npm start` that moves it), Node-RED's user directory (settings, the package linked in, the
 * example flows pointed at the ports actually used — and flows kept from an earlier start moved
 * along when the ports change —, the credentials file holding what the examples carry, the PKI,
 * the note of the simulated eS-WiFi's sets), the Node-RED process and its output, and stopping it all.
 * Must never: listen anywhere but 127.0.0.1, write outside the user directory, start Node-RED
 * when one of its ports is taken, or leave a process, a socket or a timer behind after `close()`.
 *
 * ```
 * const demo = await startDemo({ userDir: '/tmp/demo', editorPort: 0, telitPort: 0, ubloxPort: 0, fibocomPort: 0, fibocomUnsyncedPort: 0, xbee3Port: 0, eswifiPort: 0 });
 * // … demo.url answers; demo.ports say where everything listens …
 * await demo.close();
 * ```
 */
import * as crypto from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, type Stats } from 'node:fs';
import * as http from 'node:http';
import path from 'node:path';
import { notedFile } from '../src/adapters/noted-record';
import { describeTcpEndpoint } from '../src/link/tcp-link';
import { createEswifiModem, createFibocomModem, createTelitModem, createUbloxModem, createXbee3Modem, listenTcp, xbee3Device, type SimulatedModem, type SimulatedVendorOptions, type TcpEndpoint } from '../src/simulator';
import { createTestPki, type TestPki } from '../src/simulator/pki';
import { startTlsEchoServer, type TlsEchoServer, type TlsEchoServerOptions } from '../src/simulator/tls-servers';
import { startNodeRed } from './node-red-process';
import { startDemoBroker, type DemoBroker } from './demo-broker';
import { freePort, portState } from './ports';

/** The package's root: Node-RED loads it from there, and the examples are read from there. */
const ROOT = path.resolve(__dirname, '..', '..');
const HOST = '127.0.0.1';

export type ServerName = 'echo' | 'mutual' | 'otherCa' | 'expired' | 'otherHost';

/** The MQTT examples, by the module their tls bridge goes through: each bridge listens in Node-RED on a port of its own. */
export type MqttBridgeName = 'telit' | 'ublox';

/**
 * The ports the example files name (they stay as shipped, so an imported example reads the same
 * as the README); the flows the demo writes use the ports actually taken instead.
 */
export const CANONICAL_PORTS = {
  editor: 1880,
  telit: 7001,
  ublox: 7002,
  /** The L610 of the Fibocom examples' modem config with clock sync on. */
  fibocom: 7003,
  /** The L610 of the config with clock sync off (Fibocom example 2: what the module's clock does). */
  fibocomUnsynced: 7004,
  /** The XBee3 Cellular (transparent mode at power-up; GT saved at 100 ms, so `+++` after 0.1 s of silence opens command mode). */
  xbee3: 7005,
  /** The Inventek eS-WiFi (ISM43362), with the access point of its examples' modem config (DEMO_WIFI). */
  eswifi: 7006,
  /** The second Telit modem, for the MQTT example (its bridge holds the serial line in ONLINE mode). */
  telitMqtt: 7007,
  servers: { echo: 7443, mutual: 7444, otherCa: 7445, expired: 7446, otherHost: 7447 } as Record<ServerName, number>,
  /** The MQTT broker, TLS with a client certificate required: the server after the five TLS servers. */
  mqttBroker: 7448,
  /**
   * Where each MQTT example's tls bridge listens in Node-RED, and its MQTT nodes connect. Not 1883,
   * which a broker of the machine's own often holds; a free port instead when one is taken.
   */
  mqttBridges: { telit: 7883, ublox: 7884 } as Record<MqttBridgeName, number>,
} as const;

const SERVER_NAMES = Object.keys(CANONICAL_PORTS.servers) as ServerName[];
const MQTT_BRIDGE_NAMES = Object.keys(CANONICAL_PORTS.mqttBridges) as MqttBridgeName[];

/** The module of each MQTT example, as the demo's lines name it (`the u-blox MQTT example's tls bridge`). */
const MQTT_BRIDGE_VENDOR: Readonly<Record<MqttBridgeName, string>> = { telit: 'Telit', ublox: 'u-blox' };

const FIBOCOM_WHAT = 'the simulated Fibocom L610';
const FIBOCOM_UNSYNCED_WHAT = 'the second simulated Fibocom L610, for the modem config without clock sync';
const XBEE3_WHAT = 'the simulated Digi XBee3 Cellular';
const ESWIFI_WHAT = 'the simulated Inventek eS-WiFi';
const TELIT_MQTT_WHAT = 'the second simulated Telit modem, for the MQTT example';
const BROKER_WHAT = 'the MQTT broker (client certificate required)';

/** The guard time (ms) the demo's XBee3 has saved: an integrator's setting, so that each command-mode session is quick. */
const XBEE3_GUARD_MS = 100;

/**
 * The demo's XBee3 Cellular: as it leaves the factory (transparent mode, `AP 0`; the adapter
 * switches it to API mode at bring-up), but with `GT` saved at 100 ms instead of 1 s, as
 * test/support/xbee3-rig.ts has it. The adapter reads GT, so every `+++` waits 0.1 s, not 1 s.
 * `options` as the simulator takes them (`npm run bench` gives a line rate to pace at).
 */
export function createDemoXbee3Modem(options: SimulatedVendorOptions = {}): SimulatedModem {
  const modem = createXbee3Modem(options);
  const device = xbee3Device(modem)!;
  device.registers.set('GT', XBEE3_GUARD_MS);
  device.registers.write();
  return modem;
}

/**
 * The access point the demo's eS-WiFi joins, as the eS-WiFi examples' modem config names it:
 * SSID and security in its properties, the passphrase in its credentials (the example files carry
 * it, so an example imported from the menu joins too). The simulator's own default network.
 */
export const DEMO_WIFI = { ssid: 'sim-wifi', security: 'wpa2', passphrase: 'simulated-pass' } as const;

/** C3's number for WPA2 (AES), the security of DEMO_WIFI. */
const WPA2 = 3;

/**
 * The demo's Inventek eS-WiFi: an ISM43362 with empty certificate sets, in reach of DEMO_WIFI.
 * Its D0 finds `localhost` (the eS-WiFi examples' server) at 127.0.0.1, as the simulator does by
 * default; any other name goes to this machine's resolver. `options` as for createDemoXbee3Modem.
 */
export function createDemoEswifiModem(options: SimulatedVendorOptions = {}): SimulatedModem {
  return createEswifiModem({ platform: 'ISM43362', ...options, networks: [{ ssid: DEMO_WIFI.ssid, passphrase: DEMO_WIFI.passphrase, security: WPA2 }] });
}

/** What each TLS server is for the examples: its certificate, and whether it wants a client's. */
const SERVER_SETUP: Readonly<Record<ServerName, { what: string; options(pki: TestPki): TlsEchoServerOptions }>> = {
  echo: { what: 'echo', options: (pki) => ({ cert: pki.server.cert, key: pki.server.key }) },
  mutual: { what: 'echo, client certificate required', options: (pki) => ({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true }) },
  otherCa: { what: 'certificate from another CA', options: (pki) => ({ cert: pki.unrelatedServer.cert, key: pki.unrelatedServer.key }) },
  expired: { what: 'expired certificate', options: (pki) => ({ cert: pki.expiredServer.cert, key: pki.expiredServer.key }) },
  otherHost: { what: 'certificate for another host name', options: (pki) => ({ cert: pki.wrongHostServer.cert, key: pki.wrongHostServer.key }) },
};

export interface DemoOptions {
  /** Node-RED's user directory: created if need be, and filled as `npm start` fills `.node-red/`. */
  userDir: string;
  /** Default 1880; 0 picks a free port. */
  editorPort?: number;
  /** The simulated Telit modem. Default 7001; 0 picks a free port. */
  telitPort?: number;
  /** The simulated u-blox module. Default `telitPort + 1` (a free port when `telitPort` is 0); 0 picks a free port. */
  ubloxPort?: number;
  /** The simulated Fibocom L610. Default `telitPort + 2` (a free port when `telitPort` is 0); 0 picks a free port. */
  fibocomPort?: number;
  /** The second simulated L610, for the modem config without clock sync. Default `telitPort + 3` (a free port when `telitPort` is 0); 0 picks a free port. */
  fibocomUnsyncedPort?: number;
  /** The simulated Digi XBee3 Cellular. Default `telitPort + 4` (a free port when `telitPort` is 0); 0 picks a free port. */
  xbee3Port?: number;
  /** The simulated Inventek eS-WiFi. Default `telitPort + 5` (a free port when `telitPort` is 0); 0 picks a free port. */
  eswifiPort?: number;
  /** The second simulated Telit modem, for the MQTT example. Default `telitPort + 6` (a free port when `telitPort` is 0); 0 picks a free port. */
  telitMqttPort?: number;
  /** The TLS servers. Defaults 7443 to 7447; 0 picks a free one. */
  serverPorts?: Partial<Record<ServerName, number>>;
  /** The MQTT broker. Default 7448; 0 picks a free port. */
  mqttBrokerPort?: number;
  /** Where each MQTT example's tls bridge listens. Defaults 7883 (Telit) and 7884 (u-blox), or a free port when one is taken; 0 picks a free port. */
  mqttBridgePorts?: Partial<Record<MqttBridgeName, number>>;
  /** The red.js to run. Default: the node-red of this package's devDependencies. */
  nodeRed?: string;
  /** The node binary that runs it. Default: this process's. */
  node?: string;
  /** Write the example flows even if flows.json exists (an edited one is otherwise kept). */
  freshFlows?: boolean;
  /** Node-RED's output, line by line, and the demo's own progress lines. Default: the console. */
  log?: (line: string) => void;
  /** Stops a start under way (Ctrl-C before the editor answered): startDemo then stops what it started and rejects. */
  signal?: AbortSignal;
}

export interface Demo {
  /** The editor, e.g. `http://127.0.0.1:1880`. */
  url: string;
  editorPort: number;
  ports: {
    telit: number;
    ublox: number;
    fibocom: number;
    fibocomUnsynced: number;
    xbee3: number;
    eswifi: number;
    telitMqtt: number;
    servers: Record<ServerName, number>;
    mqttBroker: number;
    mqttBridges: Record<MqttBridgeName, number>;
  };
  userDir: string;
  /** Settles with Node-RED's exit code once it has exited, whether by `close()` or by itself. */
  exited: Promise<number | null>;
  /** Stops Node-RED, then the simulators and the servers. Idempotent. */
  close(): Promise<void>;
}

/** The variable of `npm start` that moves each kind of port. */
export type PortVariable = 'PORT' | 'MODEM_SIM_PORT' | 'TLS_SERVER_PORT';

export interface PortConflict {
  port: number;
  /** What the demo wanted the port for, e.g. `the Node-RED editor`. */
  what: string;
  variable: PortVariable;
}

/** A port the demo needs is taken: nothing was started; the message says which variable moves it. */
export class DemoPortError extends Error {
  readonly code = 'EADDRINUSE';
  constructor(
    readonly conflicts: PortConflict[],
    /** A command line that starts the demo on free ports, e.g. `PORT=1881 npm start`. */
    readonly command: string,
  ) {
    super(portMessage(conflicts, command));
    this.name = 'DemoPortError';
  }
}

/** Node-RED stopped before its editor answered, or never answered. */
export class DemoStartError extends Error {
  constructor(
    message: string,
    /** Node-RED's last lines of output. */
    readonly lastLines: string[],
  ) {
    super(lastLines.length > 0 ? `${message}. Its last lines:\n  ${lastLines.join('\n  ')}` : message);
    this.name = 'DemoStartError';
  }
}

function portMessage(conflicts: PortConflict[], command: string): string {
  const spans = groupRuns(conflicts).map((run) => `${run.first === run.last ? run.first : `${run.first} to ${run.last}`} (${run.what})`);
  const head =
    spans.length === 1 ? `Port ${spans[0]} is already in use on ${HOST}` : `Ports already in use on ${HOST}: ${spans.join(', ')}`;
  return `${head}.\nIs another Node-RED or \`npm start\` still running? Stop it, or start the demo on other ports:\n  ${command}`;
}

/** Consecutive ports for the same thing, said once (`7443 to 7447 (the TLS servers)`), in the order asked for. */
function groupRuns(conflicts: PortConflict[]): Array<{ first: number; last: number; what: string }> {
  const runs: Array<{ first: number; last: number; what: string; variable: PortVariable }> = [];
  for (const c of conflicts) {
    const last = runs[runs.length - 1];
    if (last && last.variable === c.variable && c.variable === 'TLS_SERVER_PORT' && last.last === c.port - 1) last.last = c.port;
    else runs.push({ first: c.port, last: c.port, what: c.what, variable: c.variable });
  }
  for (const run of runs) if (run.first !== run.last) run.what = 'the TLS servers';
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

async function isFree(port: number): Promise<boolean> {
  return (await portState(port)) === 'free';
}

/** The first `from`, `from + 1`, … such that it and the `span - 1` ports after it are free and not `planned`. */
async function firstFreeRun(from: number, span: number, planned: ReadonlySet<number>): Promise<number> {
  for (let start = from; start + span - 1 <= 65535 && start < from + 200; start++) {
    let ok = true;
    for (let p = start; p < start + span && ok; p++) ok = !planned.has(p) && (await isFree(p));
    if (ok) return start;
  }
  return from;
}

/** The modules on MODEM_SIM_PORT and the ports after it: Telit, u-blox, Fibocom, Fibocom without clock sync, XBee3, eS-WiFi, Telit for MQTT. */
export const MODEM_PORTS = 7;

/** The servers on TLS_SERVER_PORT and the ports after it: the five TLS servers, then the MQTT broker. */
export const SERVER_PORTS = 6;

interface Wanted {
  port: number;
  what: string;
  variable: PortVariable;
}

/** Every fixed port asked for, checked before anything listens; all conflicts reported at once. */
async function checkPorts(wanted: Wanted[], telitPort: number, serverBase: number): Promise<void> {
  const fixed = wanted.filter((w) => w.port !== 0);
  const conflicts: PortConflict[] = [];
  const seen = new Map<number, Wanted>();
  for (const w of fixed) {
    const earlier = seen.get(w.port);
    if (earlier) conflicts.push({ port: w.port, what: `${w.what}, and ${earlier.what}`, variable: w.variable });
    else {
      const state = await portState(w.port);
      if (state === 'taken') conflicts.push({ port: w.port, what: w.what, variable: w.variable });
      if (state === 'forbidden') conflicts.push({ port: w.port, what: `${w.what}; only root may listen below 1024`, variable: w.variable });
    }
    seen.set(w.port, w);
  }
  if (conflicts.length === 0) return;
  const planned = new Set(fixed.map((w) => w.port));
  const settings: string[] = [];
  const moved = new Set(conflicts.map((c) => c.variable));
  if (moved.has('PORT')) {
    const editor = fixed.find((w) => w.variable === 'PORT')!.port;
    settings.push(`PORT=${await firstFreeRun(editor + 1, 1, planned)}`);
  }
  // The u-blox module, the two L610s, the XBee3, the eS-WiFi and the second Telit listen on MODEM_SIM_PORT + 1 to + 6; the five
  // TLS servers on TLS_SERVER_PORT and the four after it, the MQTT broker on the next.
  if (moved.has('MODEM_SIM_PORT')) settings.push(`MODEM_SIM_PORT=${await firstFreeRun((telitPort || CANONICAL_PORTS.telit) + MODEM_PORTS, MODEM_PORTS, planned)}`);
  if (moved.has('TLS_SERVER_PORT')) settings.push(`TLS_SERVER_PORT=${await firstFreeRun((serverBase || CANONICAL_PORTS.servers.echo) + SERVER_PORTS, SERVER_PORTS, planned)}`);
  throw new DemoPortError(conflicts, `${settings.join(' ')} npm start`);
}

// ---------------------------------------------------------------------------------------------
// The user directory
// ---------------------------------------------------------------------------------------------

/** Every example file under `examples/`, sorted: `eswifi/…`, `fibocom/…`, `modem/…`, `telit/…`, `u-blox/…`, `xbee3/…`. */
export function exampleFiles(dir = path.join(ROOT, 'examples')): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return exampleFiles(full);
      return name.endsWith('.json') ? [full] : [];
    });
}

type FlowNode = Record<string, unknown>;

/** Hosts the demo's simulators and servers answer on: a connection elsewhere is the user's own. */
const LOCAL_HOSTS = new Set([HOST, 'localhost']);

/**
 * Points the flows' connections to the demo at other ports: each modem-config on TCP, each
 * tls-open and tls bridge to this machine, each bridge's own listening port and each MQTT broker
 * config on this machine whose port is a key of `map` gets the port it maps to.
 */
export function movePorts(flows: FlowNode[], map: ReadonlyMap<number, number>): void {
  const moved = (value: unknown): unknown => {
    const port = Number(value);
    return map.has(port) ? String(map.get(port)) : value;
  };
  for (const node of flows) {
    if (node.type === 'modem-config' && node.transport === 'tcp' && LOCAL_HOSTS.has(String(node.host))) node.tcpPort = moved(node.tcpPort);
    if ((node.type === 'modem-tls-open' || node.type === 'modem-tls-bridge') && LOCAL_HOSTS.has(String(node.host))) node.port = moved(node.port);
    if (node.type === 'modem-tls-bridge') node.listenPort = moved(node.listenPort);
    if (node.type === 'mqtt-broker' && LOCAL_HOSTS.has(String(node.broker))) node.port = moved(node.port);
  }
}

/**
 * The order of the example folders among the demo's tabs: what works on any modem, then the
 * vendors in the order the editor lists them; a folder not named here comes after them.
 */
const FOLDER_ORDER = ['modem', 'telit', 'u-blox', 'fibocom', 'xbee3', 'eswifi'];

function folderRank(file: string): number {
  const at = FOLDER_ORDER.indexOf(path.basename(path.dirname(file)));
  return at < 0 ? FOLDER_ORDER.length : at;
}

/**
 * All example flows as one flows file: every tab, each shared config node once, and every port a
 * flow connects to moved from the canonical one to the one in use. Examples that run by
 * themselves come first, so the editor opens on a tab that is doing something; the others follow
 * by folder (FOLDER_ORDER), then by name. The credentials an example carries are left out: Node-RED
 * reads them from its credentials file only (exampleCredentials).
 */
export function exampleFlows(portMap: ReadonlyMap<number, number>): FlowNode[] {
  const files = exampleFiles().sort((a, b) => folderRank(a) - folderRank(b));
  const examples = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as FlowNode[]);
  const runsByItself = (flow: FlowNode[]): boolean => flow.some((n) => n.type === 'inject' && n.once === true);
  const ordered = [...examples.filter(runsByItself), ...examples.filter((flow) => !runsByItself(flow))];
  const seen = new Set<string>();
  const flows: FlowNode[] = [];
  for (const node of ordered.flat()) {
    if (seen.has(String(node.id))) continue;
    seen.add(String(node.id));
    const { credentials: _carried, ...rest } = node;
    flows.push(rest);
  }
  movePorts(flows, portMap);
  return flows;
}

/**
 * The credentials the example files carry, by node id, as Node-RED's credentials file holds them:
 * the passphrase of the simulated eS-WiFi's access point, which an example imported from the menu
 * brings along as well (the editor keeps a `credentials` object of an imported node and deploys it).
 */
export function exampleCredentials(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const file of exampleFiles()) {
    for (const node of JSON.parse(readFileSync(file, 'utf8')) as FlowNode[]) {
      const carried = node.credentials;
      if (carried && typeof carried === 'object' && !(String(node.id) in out)) out[String(node.id)] = { ...(carried as Record<string, unknown>) };
    }
  }
  return out;
}

/**
 * What the package noted of the simulated eS-WiFi's certificate sets is forgotten: the module
 * behind that port is new, its sets empty. The modem config keeps such notes per endpoint in
 * `modem-tls/` of the user directory (src/nodes/modem-config.ts); the example's config reaches
 * the module at HOST.
 */
function forgetSimulatedEswifi(userDir: string, port: number): void {
  const file = notedFile('eswifi', describeTcpEndpoint({ host: HOST, port }), path.join(userDir, 'modem-tls'));
  if (file) rmSync(file, { force: true });
}

/** The secret settings.js gives Node-RED for its credentials file. */
function credentialSecret(): string {
  return process.env.NODE_RED_CREDENTIAL_SECRET || 'modem-tls-local-demo';
}

/**
 * An encrypted credentials file, as Node-RED writes one (aes-256-ctr, key sha256 of the secret,
 * 16-byte IV in hex before the base64 text), holding what the examples carry: without one it
 * warns at every start that encrypted credentials were not found.
 */
function credentialsFile(credentials: Record<string, Record<string, unknown>>): string {
  const key = crypto.createHash('sha256').update(credentialSecret()).digest();
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-ctr', key, iv);
  return JSON.stringify({ $: iv.toString('hex') + cipher.update(JSON.stringify(credentials), 'utf8', 'base64') + cipher.final('base64') });
}

function settingsFile(editorPort: number): string {
  return [
    '// Written by the local demo (`npm start`) at each start. Node-RED listens on this machine only.',
    'module.exports = {',
    `  uiHost: '${HOST}',`,
    `  uiPort: ${editorPort},`,
    `  flowFile: 'flows.json',`,
    `  credentialSecret: process.env.NODE_RED_CREDENTIAL_SECRET || 'modem-tls-local-demo',`,
    `  logging: { console: { level: 'info', metrics: false, audit: false } },`,
    '  // Projects stay off: `enabled: false` would print "Projects disabled" at every start; an',
    '  // empty object is read as off without a word.',
    `  editorTheme: { projects: {}, tours: false },`,
    '  // A local demo: no version checks against the internet, and no consent prompt about them.',
    `  telemetry: { enabled: false, updateNotification: false },`,
    '};',
    '',
  ].join('\n');
}

function writePki(userDir: string, pki: TestPki): void {
  const dir = path.join(userDir, 'demo-pki');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'ca.pem'), pki.ca.cert);
  writeFileSync(path.join(dir, 'client.pem'), pki.client.cert);
  writeFileSync(path.join(dir, 'client.key'), pki.client.key, { mode: 0o600 });
  writeFileSync(
    path.join(dir, 'README.txt'),
    'A throw-away PKI written by `npm start` for the local demo, new at every start. Never use it elsewhere.\n',
  );
}

/**
 * The debug sidebar first among the editor's sidebar tabs, so the echoes show without a click.
 * Node-RED 4 opens the first tab of `editor.sidebar.order` (a user setting, kept in
 * `.config.users.json`, `_` being the user when there is no login); Node-RED 5 shows the debug
 * tab anyway and ignores this. An order the user chose is left alone.
 */
function debugSidebarFirst(userDir: string): void {
  const file = path.join(userDir, '.config.users.json');
  let users: Record<string, any> = {};
  if (existsSync(file)) {
    try {
      users = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
    } catch {
      return; // Node-RED's file, unreadable to us: not ours to repair
    }
  }
  const editor = (((users._ ??= {}) as Record<string, any>).editor ??= {}) as Record<string, any>;
  const sidebar = (editor.sidebar ??= {}) as Record<string, unknown>;
  if (sidebar.order !== undefined) return;
  sidebar.order = ['debug', 'info', 'help', 'version-control'];
  writeFileSync(file, JSON.stringify(users, null, 4));
}

/**
 * Where the flows in the user directory were last pointed: canonical port → port then in use,
 * kept in `demo-ports.json` so that a later start on other ports can follow them in flows the
 * user has edited. Without the file (flows from an older demo), the canonical ports.
 */
function portsLastUsed(userDir: string): Map<number, number> {
  try {
    return new Map(JSON.parse(readFileSync(path.join(userDir, 'demo-ports.json'), 'utf8')) as Array<[number, number]>);
  } catch {
    return new Map();
  }
}

function lstatOrNull(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

function prepareUserDir(userDir: string, editorPort: number, portMap: ReadonlyMap<number, number>, freshFlows: boolean): void {
  mkdirSync(path.join(userDir, 'node_modules'), { recursive: true });
  // Node-RED finds the package the way it finds an installed one: in its user directory.
  const link = path.join(userDir, 'node_modules', 'node-red-contrib-modem-tls');
  const there = lstatOrNull(link);
  if (there && !there.isSymbolicLink()) {
    // An `npm install` in the user directory put a copy there: the demo would run that, not this checkout.
    throw new DemoStartError(`${link} is a directory, not the link to this checkout the demo makes there: remove it and start again`, []);
  }
  if (there) rmSync(link, { force: true });
  // A junction on Windows needs no administrator rights or developer mode.
  symlinkSync(ROOT, link, process.platform === 'win32' ? 'junction' : 'dir');
  writeFileSync(path.join(userDir, 'settings.js'), settingsFile(editorPort));
  debugSidebarFirst(userDir);
  const flows = path.join(userDir, 'flows.json');
  const credentials = path.join(userDir, 'flows_cred.json');
  if (freshFlows || !existsSync(flows)) {
    writeFileSync(flows, JSON.stringify(exampleFlows(portMap), null, 2));
    // Credentials of the flows replaced would belong to nodes that no longer exist.
    writeFileSync(credentials, credentialsFile(exampleCredentials()));
  } else {
    // Flows kept from an earlier start (edits survive) follow the ports of this one.
    const last = portsLastUsed(userDir);
    const change = new Map<number, number>();
    for (const [canonical, now] of portMap) {
      const before = last.get(canonical) ?? canonical;
      if (before !== now) change.set(before, now);
    }
    let kept: FlowNode[] | undefined;
    try {
      kept = JSON.parse(readFileSync(flows, 'utf8')) as FlowNode[];
    } catch {
      kept = undefined; // not JSON: Node-RED will say so; the demo does not touch what it cannot read
    }
    if (change.size > 0 && Array.isArray(kept)) {
      movePorts(kept, change);
      writeFileSync(flows, JSON.stringify(kept, null, 2));
    }
    if (!existsSync(credentials)) writeFileSync(credentials, credentialsFile(exampleCredentials()));
  }
  writeFileSync(path.join(userDir, 'demo-ports.json'), JSON.stringify([...portMap]));
}

// ---------------------------------------------------------------------------------------------
// Node-RED
// ---------------------------------------------------------------------------------------------

/** Node-RED can take half a minute on a Raspberry Pi; this is far beyond that. */
const START_WITHIN_MS = 120000;

/** Whether the editor answers an HTTP request now. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    // No keep-alive: a pooled socket would outlive the check.
    const request = http.get(url, { agent: false, timeout: 2000 }, (response) => {
      response.resume();
      resolve((response.statusCode ?? 500) < 500);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

// ---------------------------------------------------------------------------------------------
// The demo
// ---------------------------------------------------------------------------------------------

function checkPortOption(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new RangeError(`${name} must be a port number from 0 to 65535, not ${String(value)}`);
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const log = options.log ?? ((line: string) => console.log(line));
  const userDir = path.resolve(options.userDir);
  checkPortOption('editorPort', options.editorPort);
  checkPortOption('telitPort', options.telitPort);
  checkPortOption('ubloxPort', options.ubloxPort);
  checkPortOption('fibocomPort', options.fibocomPort);
  checkPortOption('fibocomUnsyncedPort', options.fibocomUnsyncedPort);
  checkPortOption('xbee3Port', options.xbee3Port);
  checkPortOption('eswifiPort', options.eswifiPort);
  checkPortOption('telitMqttPort', options.telitMqttPort);
  for (const name of SERVER_NAMES) checkPortOption(`serverPorts.${name}`, options.serverPorts?.[name]);
  checkPortOption('mqttBrokerPort', options.mqttBrokerPort);
  for (const name of MQTT_BRIDGE_NAMES) checkPortOption(`mqttBridgePorts.${name}`, options.mqttBridgePorts?.[name]);

  const telitWanted = options.telitPort ?? CANONICAL_PORTS.telit;
  // The other modules follow the Telit one, as MODEM_SIM_PORT promises.
  const afterTelit = (name: string, offset: number): number => {
    if (telitWanted === 0) return 0;
    if (telitWanted + offset > 65535) throw new RangeError(`${name} defaults to telitPort + ${offset}, beyond 65535: give telitPort ${65535 - MODEM_PORTS + 1} or less, or ${name} itself`);
    return telitWanted + offset;
  };
  const ubloxWanted = options.ubloxPort ?? afterTelit('ubloxPort', 1);
  const fibocomWanted = options.fibocomPort ?? afterTelit('fibocomPort', 2);
  const fibocomUnsyncedWanted = options.fibocomUnsyncedPort ?? afterTelit('fibocomUnsyncedPort', 3);
  const xbee3Wanted = options.xbee3Port ?? afterTelit('xbee3Port', 4);
  const eswifiWanted = options.eswifiPort ?? afterTelit('eswifiPort', 5);
  const telitMqttWanted = options.telitMqttPort ?? afterTelit('telitMqttPort', 6);
  const editorWanted = options.editorPort ?? CANONICAL_PORTS.editor;
  const serverWanted = Object.fromEntries(SERVER_NAMES.map((name) => [name, options.serverPorts?.[name] ?? CANONICAL_PORTS.servers[name]])) as Record<
    ServerName,
    number
  >;
  const brokerWanted = options.mqttBrokerPort ?? CANONICAL_PORTS.mqttBroker;
  await checkPorts(
    [
      { port: editorWanted, what: 'the Node-RED editor', variable: 'PORT' },
      { port: telitWanted, what: 'the simulated Telit modem', variable: 'MODEM_SIM_PORT' },
      { port: ubloxWanted, what: 'the simulated u-blox module', variable: 'MODEM_SIM_PORT' },
      { port: fibocomWanted, what: FIBOCOM_WHAT, variable: 'MODEM_SIM_PORT' },
      { port: fibocomUnsyncedWanted, what: FIBOCOM_UNSYNCED_WHAT, variable: 'MODEM_SIM_PORT' },
      { port: xbee3Wanted, what: XBEE3_WHAT, variable: 'MODEM_SIM_PORT' },
      { port: eswifiWanted, what: ESWIFI_WHAT, variable: 'MODEM_SIM_PORT' },
      { port: telitMqttWanted, what: TELIT_MQTT_WHAT, variable: 'MODEM_SIM_PORT' },
      ...SERVER_NAMES.map((name): Wanted => ({ port: serverWanted[name], what: `the TLS server "${SERVER_SETUP[name].what}"`, variable: 'TLS_SERVER_PORT' })),
      { port: brokerWanted, what: BROKER_WHAT, variable: 'TLS_SERVER_PORT' },
    ],
    telitWanted,
    serverWanted.echo,
  );

  const servers: TlsEchoServer[] = [];
  const endpoints: TcpEndpoint[] = [];
  const modems: SimulatedModem[] = [];
  let broker: DemoBroker | undefined;
  let stopRed: (() => Promise<void>) | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);
  const stopAll = async (): Promise<void> => {
    if (stopRed) await stopRed();
    await Promise.allSettled([...endpoints.map((e) => e.close()), ...servers.map((s) => s.close()), ...(broker ? [broker.close()] : [])]);
    for (const modem of modems) modem.close();
  };

  try {
    const pki = createTestPki({ hosts: ['localhost', HOST] });
    // A port taken between the check and now (another program was quicker) is explained the same way.
    const bind = async <T>(what: string, variable: PortVariable, port: number, start: () => Promise<T>): Promise<T> => {
      try {
        return await start();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
        throw new DemoPortError([{ port, what, variable }], `${variable}=${port + (variable === 'PORT' ? 1 : variable === 'MODEM_SIM_PORT' ? MODEM_PORTS : SERVER_PORTS)} npm start`);
      }
    };
    for (const name of SERVER_NAMES) {
      const port = serverWanted[name];
      servers.push(
        await bind(`the TLS server "${SERVER_SETUP[name].what}"`, 'TLS_SERVER_PORT', port, () =>
          startTlsEchoServer({ ...SERVER_SETUP[name].options(pki), host: HOST, port }),
        ),
      );
    }
    const telit = createTelitModem({ platform: '30' });
    modems.push(telit);
    endpoints.push(await bind('the simulated Telit modem', 'MODEM_SIM_PORT', telitWanted, () => listenTcp(telit, { host: HOST, port: telitWanted })));
    const ublox = createUbloxModem({ platform: 'SARA-R5' });
    modems.push(ublox);
    endpoints.push(await bind('the simulated u-blox module', 'MODEM_SIM_PORT', ubloxWanted, () => listenTcp(ublox, { host: HOST, port: ubloxWanted })));
    // Two identical L610s, each starting its clock from the module's default at power-up: only their modem configs differ.
    const fibocom = createFibocomModem();
    modems.push(fibocom);
    endpoints.push(await bind(FIBOCOM_WHAT, 'MODEM_SIM_PORT', fibocomWanted, () => listenTcp(fibocom, { host: HOST, port: fibocomWanted })));
    const fibocomUnsynced = createFibocomModem();
    modems.push(fibocomUnsynced);
    endpoints.push(
      await bind(FIBOCOM_UNSYNCED_WHAT, 'MODEM_SIM_PORT', fibocomUnsyncedWanted, () => listenTcp(fibocomUnsynced, { host: HOST, port: fibocomUnsyncedWanted })),
    );
    const xbee3 = createDemoXbee3Modem();
    modems.push(xbee3);
    endpoints.push(await bind(XBEE3_WHAT, 'MODEM_SIM_PORT', xbee3Wanted, () => listenTcp(xbee3, { host: HOST, port: xbee3Wanted })));
    const eswifi = createDemoEswifiModem();
    modems.push(eswifi);
    endpoints.push(await bind(ESWIFI_WHAT, 'MODEM_SIM_PORT', eswifiWanted, () => listenTcp(eswifi, { host: HOST, port: eswifiWanted })));
    const telitMqtt = createTelitModem({ platform: '30' });
    modems.push(telitMqtt);
    endpoints.push(await bind(TELIT_MQTT_WHAT, 'MODEM_SIM_PORT', telitMqttWanted, () => listenTcp(telitMqtt, { host: HOST, port: telitMqttWanted })));
    broker = await bind(BROKER_WHAT, 'TLS_SERVER_PORT', brokerWanted, () =>
      startDemoBroker({ host: HOST, port: brokerWanted, ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, log }),
    );
    // Chosen last, so it cannot be one the simulators or servers were just given.
    const editorPort = editorWanted === 0 ? await freePort() : editorWanted;
    // Node-RED listens there (each MQTT example's tls bridge): a port taken by another program moves, as only the flow names it.
    const mqttBridges = {} as Record<MqttBridgeName, number>;
    const given = new Set<number>([editorPort]);
    for (const name of MQTT_BRIDGE_NAMES) {
      const wanted = options.mqttBridgePorts?.[name] ?? CANONICAL_PORTS.mqttBridges[name];
      let port = wanted;
      if (wanted === 0 || given.has(wanted) || (await portState(wanted)) !== 'free') {
        do port = await freePort();
        while (given.has(port));
        if (wanted !== 0) log(`port ${wanted} is in use on ${HOST}: the ${MQTT_BRIDGE_VENDOR[name]} MQTT example's tls bridge listens on ${port} instead`);
      }
      given.add(port);
      mqttBridges[name] = port;
    }

    const ports = {
      telit: endpoints[0]!.port,
      ublox: endpoints[1]!.port,
      fibocom: endpoints[2]!.port,
      fibocomUnsynced: endpoints[3]!.port,
      xbee3: endpoints[4]!.port,
      eswifi: endpoints[5]!.port,
      telitMqtt: endpoints[6]!.port,
      servers: Object.fromEntries(SERVER_NAMES.map((name, i) => [name, servers[i]!.port])) as Record<ServerName, number>,
      mqttBroker: broker.port,
      mqttBridges,
    };
    const portMap = new Map<number, number>([
      [CANONICAL_PORTS.telit, ports.telit],
      [CANONICAL_PORTS.ublox, ports.ublox],
      [CANONICAL_PORTS.fibocom, ports.fibocom],
      [CANONICAL_PORTS.fibocomUnsynced, ports.fibocomUnsynced],
      [CANONICAL_PORTS.xbee3, ports.xbee3],
      [CANONICAL_PORTS.eswifi, ports.eswifi],
      [CANONICAL_PORTS.telitMqtt, ports.telitMqtt],
      ...SERVER_NAMES.map((name): [number, number] => [CANONICAL_PORTS.servers[name], ports.servers[name]]),
      [CANONICAL_PORTS.mqttBroker, ports.mqttBroker],
      ...MQTT_BRIDGE_NAMES.map((name): [number, number] => [CANONICAL_PORTS.mqttBridges[name], ports.mqttBridges[name]]),
    ]);
    prepareUserDir(userDir, editorPort, portMap, options.freshFlows === true);
    forgetSimulatedEswifi(userDir, ports.eswifi);
    writePki(userDir, pki);
    log(
      `simulated Telit modem (platform 30) on ${HOST}:${ports.telit}, u-blox SARA-R5 on ${HOST}:${ports.ublox}, ` +
        `Fibocom L610 on ${HOST}:${ports.fibocom} (and on ${HOST}:${ports.fibocomUnsynced} for the config without clock sync), ` +
        `XBee3 Cellular on ${HOST}:${ports.xbee3}, ` +
        `Inventek eS-WiFi ISM43362 on ${HOST}:${ports.eswifi} (access point ${DEMO_WIFI.ssid}), ` +
        `Telit modem for the MQTT example on ${HOST}:${ports.telitMqtt}; ` +
        `TLS servers on ${HOST}:${SERVER_NAMES.map((name) => ports.servers[name]).join(', ')}; ` +
        `MQTT broker (TLS, client certificate required) on ${HOST}:${ports.mqttBroker}, reached through the MQTT examples' tls bridges on ` +
        MQTT_BRIDGE_NAMES.map((name) => `${HOST}:${ports.mqttBridges[name]} (${MQTT_BRIDGE_VENDOR[name]})`).join(' and '),
    );

    const url = `http://${HOST}:${editorPort}`;
    if (options.signal?.aborted) throw new DemoStartError('the demo was stopped while it started', []);
    // Ready when this Node-RED says it listens on the editor's port and the editor answers: an
    // HTTP server that took the port meanwhile answers too, but never says that line.
    let listening = false;
    const red = startNodeRed({
      node: options.node ?? process.execPath,
      redJs: options.nodeRed ?? require.resolve('node-red/red.js'),
      userDir,
      settings: path.join(userDir, 'settings.js'),
      onLine: (line) => {
        if (line.includes(`Server now running at ${url}/`)) listening = true;
        log(line);
      },
    });
    stopRed = red.stop;
    exited = red.exited;
    log('Node-RED is starting…');

    const deadline = Date.now() + START_WITHIN_MS;
    for (;;) {
      const spawnError = red.spawnError();
      if (spawnError && red.child.pid === undefined) throw new DemoStartError(`Node-RED could not be started (${options.node ?? process.execPath}): ${spawnError.message}`, []);
      if (red.child.exitCode !== null || red.child.signalCode !== null) {
        // Node-RED's own words for a port taken after the check: "Error: port in use".
        if (red.lastLines.some((l) => /port in use|EADDRINUSE/i.test(l))) {
          throw new DemoPortError([{ port: editorPort, what: 'the Node-RED editor', variable: 'PORT' }], `PORT=${editorPort + 1} npm start`);
        }
        throw new DemoStartError(`Node-RED exited (${red.child.exitCode !== null ? `code ${red.child.exitCode}` : red.child.signalCode}) before its editor answered on ${url}`, [...red.lastLines]);
      }
      if (options.signal?.aborted) throw new DemoStartError('the demo was stopped while it started', []);
      if (listening && (await answers(url))) break;
      if (Date.now() > deadline) throw new DemoStartError(`Node-RED's editor did not answer on ${url} within ${START_WITHIN_MS / 1000} s`, [...red.lastLines]);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    let closing: Promise<void> | undefined;
    return {
      url,
      editorPort,
      ports,
      userDir,
      exited,
      close: () => (closing ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
