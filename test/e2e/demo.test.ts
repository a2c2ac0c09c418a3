/**
 * The local demo (`npm start`, scripts/demo.ts) as a newcomer meets it: a real Node-RED process
 * with this package and the example flows, the simulated modems and the TLS servers, on ports
 * picked free here. Watched the way the editor watches it — over HTTP and the editor's websocket
 * (`/comms`), which carries the debug sidebar's messages and the nodes' statuses.
 *
 * Also the other side: a port already taken is explained before anything starts, naming the
 * variable of `npm start` that moves it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEMO_WIFI, DemoPortError, startDemo, type Demo, type DemoOptions } from '../../scripts/demo';
import { exampleFiles, readExample, ROOT } from '../support/examples';
import type { FlowNode } from '../support/flow-probe';

/** The example files' ports, and what the demo calls each (the files keep these; flows.json moves them). */
const CANONICAL_SERVERS: Readonly<Record<string, string>> = { 7443: 'echo', 7444: 'mutual', 7445: 'otherCa', 7446: 'expired', 7447: 'otherHost' };
/** The MQTT examples: the broker their tls bridges connect to, and where each bridge listens for its MQTT nodes. */
const CANONICAL_BROKER = 7448;
const CANONICAL_BRIDGES = { telit: 7883, ublox: 7884 } as const;
const MQTT_TAB = 'Telit: MQTT over modem TLS';
const UBLOX_MQTT_TAB = 'u-blox: MQTT over modem TLS';
/**
 * The one warning the demo logs as it starts: its XBee3 is in transparent mode at power-up, as a
 * factory-fresh module is, and the adapter says it switched it to API mode (AP 2) and saved that.
 */
const XBEE3_API_MODE = /\[warn\] \[modem-config:simulated XBee3 Cellular\] the module was in AP 0: it is now in API mode with escapes \(AP 2\), saved/;
const ALL_FREE: Pick<
  DemoOptions,
  'editorPort' | 'telitPort' | 'ubloxPort' | 'fibocomPort' | 'fibocomUnsyncedPort' | 'xbee3Port' | 'eswifiPort' | 'telitMqttPort' | 'serverPorts' | 'mqttBrokerPort' | 'mqttBridgePorts'
> = {
  editorPort: 0,
  telitPort: 0,
  ubloxPort: 0,
  fibocomPort: 0,
  fibocomUnsyncedPort: 0,
  xbee3Port: 0,
  eswifiPort: 0,
  telitMqttPort: 0,
  serverPorts: { echo: 0, mutual: 0, otherCa: 0, expired: 0, otherHost: 0 },
  mqttBrokerPort: 0,
  mqttBridgePorts: { telit: 0, ublox: 0 },
};

/** The Node-RED the suite runs on: `MODEM_TLS_NODE_RED` names its runtime (lib/red.js); the demo runs its red.js. */
function nodeRedScript(): string | undefined {
  const runtime = process.env.MODEM_TLS_NODE_RED;
  return runtime ? path.resolve(path.dirname(runtime), '..', 'red.js') : undefined;
}

/**
 * The deployed demo flows as a test presses them: a tab by its label, a node by tab, type and
 * name, and an inject's button clicked as the editor does (returns the time it was clicked).
 */
function pressable(flows: FlowNode[], url: string): {
  tabOf(label: string): string;
  idOf(z: string, type: string, name: string): string;
  press(z: string, name: string): Promise<number>;
} {
  const tabOf = (label: string): string => {
    const tab = flows.find((n) => n.type === 'tab' && n.label === label);
    assert.ok(tab, `a tab "${label}"`);
    return String(tab.id);
  };
  const idOf = (z: string, type: string, name: string): string => {
    const found = flows.filter((n) => n.z === z && n.type === type && n.name === name);
    assert.equal(found.length, 1, `one ${type} "${name}" on tab ${z}`);
    return String(found[0]!.id);
  };
  const press = async (z: string, name: string): Promise<number> => {
    const at = Date.now();
    const res = await request(`${url}/inject/${idOf(z, 'inject', name)}`, { method: 'POST', body: {} });
    assert.equal(res.status, 200, `inject "${name}": ${res.body}`);
    return at;
  };
  return { tabOf, idOf, press };
}

function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: { 'content-type': 'application/json', ...options.headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(JSON.stringify(options.body));
    req.end();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The bits of `ws` (Node-RED's own websocket package) used here. */
interface Socket {
  on(event: 'open' | 'close', fn: () => void): void;
  on(event: 'message', fn: (data: Buffer | string) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  send(text: string): void;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const WebSocket = require('ws') as new (url: string) => Socket;

interface Event {
  at: number;
  topic: string;
  data: Record<string, any>;
}

/** The editor's view of the runtime: every message on `/comms`, in order, with a time. */
class EditorView {
  readonly events: Event[] = [];
  private readonly socket: Socket;
  private readonly opened: Promise<void>;

  constructor(url: string) {
    this.socket = new WebSocket(`${url.replace(/^http/, 'ws')}/comms`);
    this.opened = new Promise((resolve, reject) => {
      this.socket.on('open', () => {
        // As the editor does: a subscription brings the retained statuses; everything else comes anyway.
        this.socket.send(JSON.stringify({ subscribe: 'status/#' }));
        resolve();
      });
      this.socket.on('error', reject);
    });
    this.socket.on('message', (data) => {
      for (const event of JSON.parse(String(data)) as Array<{ topic: string; data: Record<string, any> }>) this.events.push({ ...event, at: Date.now() });
    });
  }

  ready(): Promise<void> {
    return this.opened;
  }

  /** The next debug message of node `id`, sent after `since`, whose text matches. */
  async debug(id: string, text: RegExp, since: number, timeoutMs: number): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.at >= since && e.topic === 'debug' && e.data.id === id && text.test(String(e.data.msg)));
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.events.filter((e) => e.topic === 'debug' && e.data.id === id).map((e) => String(e.data.msg).trim());
        throw new Error(`no debug message matching ${text} from ${id} within ${timeoutMs} ms; it showed: ${seen.join(' | ') || 'nothing'}`);
      }
      await sleep(50);
    }
  }

  close(): void {
    this.socket.close();
  }
}

describe('the demo (npm start) started as a module', function () {
  // Node-RED starts in a few seconds; the deploy test waits for the Telit flow to run again after each deploy.
  this.timeout(90000);

  let userDir: string;
  let demo: Demo;
  let log: string[];
  let view: EditorView | undefined;
  let baseline: string[];
  const resources = (): string[] => process.getActiveResourcesInfo().filter((r) => r !== 'Timeout').sort();

  before(async () => {
    baseline = resources();
    userDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'modem-tls-demo-')), 'node-red');
    log = [];
    demo = await startDemo({ userDir, ...ALL_FREE, nodeRed: nodeRedScript(), log: (line) => log.push(line) });
  });

  after(async () => {
    view?.close();
    await demo?.close();
    rmSync(path.dirname(userDir), { recursive: true, force: true });
  });

  /** The modem configs of the examples, by name, and the port of the simulated module each must talk to. */
  function configPorts(): Record<string, number> {
    return {
      'simulated Telit modem': demo.ports.telit,
      'simulated u-blox modem': demo.ports.ublox,
      'simulated Fibocom L610': demo.ports.fibocom,
      'simulated L610, no clock sync': demo.ports.fibocomUnsynced,
      'simulated XBee3 Cellular': demo.ports.xbee3,
      'simulated Inventek eS-WiFi': demo.ports.eswifi,
      'simulated Telit modem, MQTT': demo.ports.telitMqtt,
    };
  }

  /** The node in the running flows with this type and name (the examples name them uniquely per tab). */
  async function deployedFlows(): Promise<{ rev: string; flows: FlowNode[] }> {
    const got = await request(`${demo.url}/flows`, { headers: { 'Node-RED-API-Version': 'v2' } });
    assert.equal(got.status, 200, got.body);
    return JSON.parse(got.body) as { rev: string; flows: FlowNode[] };
  }

  it('starts on free ports; the editor answers; flows.json points at the ports in use; Node-RED started without a warning', async () => {
    assert.equal(demo.url, `http://127.0.0.1:${demo.editorPort}`);
    assert.equal((await request(demo.url)).status, 200);
    const used = [
      demo.editorPort,
      demo.ports.telit,
      demo.ports.ublox,
      demo.ports.fibocom,
      demo.ports.fibocomUnsynced,
      demo.ports.xbee3,
      demo.ports.eswifi,
      demo.ports.telitMqtt,
      ...Object.values(demo.ports.servers),
      demo.ports.mqttBroker,
      ...Object.values(demo.ports.mqttBridges),
    ];
    assert.equal(new Set(used).size, 16, `sixteen different ports: ${used.join(', ')}`);

    const flows = JSON.parse(readFileSync(path.join(userDir, 'flows.json'), 'utf8')) as FlowNode[];
    const shipped = new Map(exampleFiles().flatMap((file) => readExample(file)).map((n) => [String(n.id), n]));
    assert.equal(flows.filter((n) => n.type === 'tab').length, exampleFiles().length, 'a tab per example');
    const configs = flows.filter((n) => n.type === 'modem-config');
    assert.equal(configs.length, 7, 'one modem config per simulated module');
    assert.deepEqual(Object.fromEntries(configs.map((n) => [n.name, Number(n.tcpPort)])), configPorts());
    const opens = flows.filter((n) => n.type === 'modem-tls-open');
    assert.ok(opens.length >= 10);
    for (const open of opens) {
      const canonical = String(shipped.get(String(open.id))?.port);
      const server = CANONICAL_SERVERS[canonical];
      assert.ok(server, `tls-open ${String(open.name)} connects to ${canonical} in its example`);
      assert.equal(Number(open.port), demo.ports.servers[server as keyof Demo['ports']['servers']], `tls-open ${String(open.name)}`);
    }
    // The MQTT examples: each tls bridge to the broker, and each bridge's port where its own MQTT broker config points.
    const bridges = flows.filter((n) => n.type === 'modem-tls-bridge');
    assert.deepEqual(
      bridges.map((n) => [String(flows.find((t) => t.id === n.z)?.label), ...[shipped.get(String(n.id))!.port, shipped.get(String(n.id))!.listenPort].map(Number)]),
      [[MQTT_TAB, CANONICAL_BROKER, CANONICAL_BRIDGES.telit], [UBLOX_MQTT_TAB, CANONICAL_BROKER, CANONICAL_BRIDGES.ublox]],
    );
    assert.deepEqual(
      bridges.map((n) => [n.host, Number(n.port), n.listenHost, Number(n.listenPort)]),
      [['127.0.0.1', demo.ports.mqttBroker, '127.0.0.1', demo.ports.mqttBridges.telit], ['127.0.0.1', demo.ports.mqttBroker, '127.0.0.1', demo.ports.mqttBridges.ublox]],
    );
    const brokerConfigs = flows.filter((n) => n.type === 'mqtt-broker');
    assert.deepEqual(
      brokerConfigs.map((n) => [n.broker, Number(n.port), n.usetls, n.autoConnect]),
      [['127.0.0.1', demo.ports.mqttBridges.telit, false, false], ['127.0.0.1', demo.ports.mqttBridges.ublox, false, false]],
    );
    // Everything else is the examples as shipped, but the credentials they carry: Node-RED reads those from its encrypted file only.
    for (const node of flows) {
      const { tcpPort: _a, port: _b, listenPort: _f, ...rest } = node;
      const { tcpPort: _c, port: _d, listenPort: _g, credentials: _e, ...original } = shipped.get(String(node.id))!;
      assert.deepEqual(rest, original, `${String(node.type)} ${String(node.id)}`);
    }
    // The eS-WiFi's config names the demo's access point; its passphrase went to the credentials file, encrypted.
    const wifi = configs.find((n) => n.vendor === 'eswifi')!;
    assert.deepEqual([wifi.wifiSsid, wifi.wifiSecurity, (shipped.get(String(wifi.id))!.credentials as Record<string, unknown>).wifiPassphrase], [DEMO_WIFI.ssid, DEMO_WIFI.security, DEMO_WIFI.passphrase]);
    assert.equal(wifi.credentials, undefined);
    assert.doesNotMatch(readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8'), new RegExp(DEMO_WIFI.passphrase));
    assert.match((await request(`${demo.url}/credentials/modem-config/${String(wifi.id)}`)).body, /"has_wifiPassphrase":true/);
    // The tabs that run by themselves come first, the Telit echo leading: the editor opens on it. The
    // others follow by folder: what works on any modem, then the vendors as the editor lists them.
    const tabs = flows.filter((n) => n.type === 'tab').map((n) => String(n.label));
    assert.deepEqual(tabs.slice(0, 3), ['Telit: TLS echo, server verified', MQTT_TAB, UBLOX_MQTT_TAB]);
    assert.deepEqual(tabs.slice(3).map((label) => label.split(':')[0]), ['Modem', 'Telit', 'Telit', 'u-blox', 'u-blox', 'Fibocom', 'Fibocom', 'XBee3', 'XBee3', 'eS-WiFi', 'eS-WiFi'], tabs.join(' | '));
    assert.deepEqual(tabs.slice(-6, -4), ['Fibocom: TLS echo, server verified, clock synced', 'Fibocom: errors explained with GTSSLERR']);
    assert.deepEqual(tabs.slice(-4, -2), ['XBee3: TLS echo, server verified', 'XBee3: mutual TLS, key written write-only']);
    assert.deepEqual(tabs.slice(-2), ['eS-WiFi: safe provisioning, verify then program', 'eS-WiFi: TLS echo, server verified']);
    assert.ok(existsSync(path.join(userDir, 'demo-pki', 'ca.pem')));
    assert.match(readFileSync(path.join(userDir, 'settings.js'), 'utf8'), /uiHost: '127\.0\.0\.1'/);
    // Node-RED 4 opens the first sidebar tab of this user setting: the debug sidebar, where the echoes show.
    const users = JSON.parse(readFileSync(path.join(userDir, '.config.users.json'), 'utf8')) as { _: { editor: { sidebar: { order: string[] } } } };
    assert.equal(users._.editor.sidebar.order[0], 'debug');

    // The editor answers as soon as Node-RED listens; the flows start a moment later.
    for (const deadline = Date.now() + 15000; !log.some((line) => line.includes('Started flows')); await sleep(50)) {
      assert.ok(Date.now() < deadline, `the flows did not start:\n${log.join('\n')}`);
    }
    assert.deepEqual(log.filter((line) => /\[(warn|error)\]/.test(line) && !XBEE3_API_MODE.test(line)), [], 'warnings at start (e.g. "Projects disabled", "Encrypted credentials not found")');
  });

  it('an editor that connects after the start still sees the Telit echo arrive in the debug sidebar, by itself', async () => {
    view = new EditorView(demo.url);
    await view.ready();
    const echo = (await deployedFlows()).flows.find((n) => n.type === 'debug' && n.name === 'echo' && n.z === 'a1f0c0de00020001')!;
    // The first line goes three seconds after deploy; the lines after it, every 5 s for a minute.
    const got = await view.debug(String(echo.id), /^Line \d+ of 13, \d{4}-/, 0, 15000);
    assert.equal(got.data.topic, 'data');
    // On the canvas too, without opening the sidebar: the echo node's status holds the last line.
    const statuses = view.events.filter((e) => e.topic === `status/${String(echo.id)}`);
    assert.match(String(statuses[statuses.length - 1]?.data.text), /^(Hello through the modem|Line \d+ of 13)/);
  });

  it('the MQTT tab, by itself: the time published through the tls bridge comes back from the broker in the debug sidebar; the broker printed the client certificate stored in the module; redeployed, the bridge opens again in ONLINE mode', async () => {
    view ??= new EditorView(demo.url);
    await view.ready();
    const { flows } = await deployedFlows();
    const { tabOf, idOf } = pressable(flows, demo.url);
    const tab = tabOf(MQTT_TAB);
    const cameBack = idOf(tab, 'debug', 'came back');
    const start = Date.now();
    // Every 5 s, by itself: a message published by mqtt out, back from the broker through mqtt in.
    const back = await view.debug(cameBack, /"topic":"modem\/demo\/time"/, 0, 30000);
    assert.match(String(back.data.msg), /"payload":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/);
    assert.match(String(back.data.msg), /"qos":1/);
    // What the broker printed on the console: the modem's client certificate, and no refused connection.
    const brokerLines = (): string[] => log.filter((line) => line.startsWith('MQTT broker:'));
    assert.ok(brokerLines().some((line) => /^MQTT broker: client "[^"]+" connected from 127\.0\.0\.1:\d+ with the client certificate .*CN=modem-client \(issued by .*CN=Modem TLS Test CA\)$/.test(line)), brokerLines().join('\n'));
    assert.deepEqual(brokerLines().filter((line) => /refused/.test(line)), []);
    // An editor opened late still sees the mode on the canvas: under the bridge's debug node.
    const bridgeStatus = `status/${idOf(tab, 'debug', 'bridge')}`;
    for (const deadline = Date.now() + 10000; !view.events.some((e) => e.topic === bridgeStatus && e.data?.text === 'open, online mode'); await sleep(50)) {
      assert.ok(Date.now() < deadline, view.events.filter((e) => e.topic === bridgeStatus).map((e) => JSON.stringify(e.data)).join(' | ') || 'no status');
    }

    // The tab deployed again (modified flows): the bridge closes its connection and opens it again, in ONLINE mode, and the messages keep coming.
    const current = await deployedFlows();
    const bridgeDebug = current.flows.find((n) => n.z === tab && n.type === 'debug' && n.name === 'bridge')!;
    bridgeDebug.name = 'bridge ';
    const at = Date.now();
    const res = await request(`${demo.url}/flows`, { method: 'POST', headers: { 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'flows' }, body: current });
    assert.equal(res.status, 200, res.body);
    const opened = await view.debug(String(bridgeDebug.id), /"mode":"online"/, at, 30000);
    assert.match(String(opened.data.msg), new RegExp(`^\\{"client":"127\\.0\\.0\\.1:\\d+","socket":"4","host":"127\\.0\\.0\\.1","port":${demo.ports.mqttBroker},"mode":"online"`));
    await view.debug(cameBack, /"topic":"modem\/demo\/time"/, at, 30000);
    const explained = idOf(tab, 'debug', 'explained');
    assert.deepEqual(view.events.filter((e) => e.at >= start && e.topic === 'debug' && e.data.id === explained).map((e) => String(e.data.msg)), []);
    assert.deepEqual(log.filter((line) => /\[(warn|error)\]/.test(line) && !XBEE3_API_MODE.test(line)), []);
  });

  it('the u-blox MQTT tab, by itself, shares its module with the other u-blox tabs: the time comes back through its bridge in command mode; the mutual TLS echo and the inventory (demo-ca removed, mqtt-ca kept), pressed as in the editor meanwhile, leave the MQTT connection open', async () => {
    view ??= new EditorView(demo.url);
    await view.ready();
    const { flows } = await deployedFlows();
    const { tabOf, idOf, press } = pressable(flows, demo.url);
    const mqttTab = tabOf(UBLOX_MQTT_TAB);
    const mutualTab = tabOf('u-blox: mutual TLS to a broker-like echo');
    const inventoryTab = tabOf('u-blox: certificate inventory');
    const start = Date.now();
    const cameBack = idOf(mqttTab, 'debug', 'came back');
    const back = await view.debug(cameBack, /"topic":"modem\/demo-ublox\/time"/, 0, 30000);
    assert.match(String(back.data.msg), /"qos":1/);
    // Under the bridge's debug node, for an editor opened late: the mode the bridge opened in.
    const bridgeDebug = idOf(mqttTab, 'debug', 'bridge');
    for (const deadline = Date.now() + 10000; !view.events.some((e) => e.topic === `status/${bridgeDebug}` && e.data?.text === 'open, command mode'); await sleep(50)) {
      assert.ok(Date.now() < deadline, view.events.filter((e) => e.topic === `status/${bridgeDebug}`).map((e) => JSON.stringify(e.data)).join(' | ') || 'no status');
    }
    const certLines = log.filter((line) => /^MQTT broker: client "[^"]+" connected from 127\.0\.0\.1:\d+ with the client certificate .*CN=modem-client \(issued by .*CN=Modem TLS Test CA\)$/.test(line));
    assert.ok(certLines.length >= 2, `the Telit's and the u-blox's connections: ${certLines.join(' | ')}`);

    // The mutual TLS tab on the same module while the MQTT connection is open: its own profile (0), socket and echo.
    let at = await press(mutualTab, 'start');
    await view.debug(idOf(mutualTab, 'debug', 'echo'), /^CONNECT device-1 over mutual TLS, /, at, 30000);
    at = await press(mutualTab, 'close');
    await view.debug(idOf(mutualTab, 'debug', 'closed'), /"closed":true/, at, 15000);
    // The inventory: both tabs' items, and demo-ca removed while the MQTT tab's CA stays.
    at = await press(inventoryTab, 'list');
    const listed = await view.debug(idOf(inventoryTab, 'debug', 'inventory'), /"name":"mqtt-ca"/, at, 15000);
    assert.match(String(listed.data.msg), /"name":"demo-ca"/);
    at = await press(inventoryTab, 'remove demo CA');
    await view.debug(idOf(inventoryTab, 'debug', 'removed'), /"removed":true/, at, 15000);

    // The MQTT connection carried on through all of it: the next messages come back, and the bridge closed nothing.
    at = Date.now();
    await view.debug(cameBack, /"topic":"modem\/demo-ublox\/time"/, at, 15000);
    const debugSince = (id: string): string[] => view!.events.filter((e) => e.at >= start && e.topic === 'debug' && e.data.id === id).map((e) => String(e.data.msg));
    assert.deepEqual(debugSince(bridgeDebug).filter((msg) => /"bytesUp"/.test(msg)), [], 'no connection closed');
    for (const tab of [mqttTab, mutualTab, inventoryTab]) assert.deepEqual(debugSince(idOf(tab, 'debug', 'explained')), []);
    assert.deepEqual(log.filter((line) => /\[(warn|error)\]/.test(line) && !XBEE3_API_MODE.test(line)), []);
  });

  it('every kind of deploy — full, modified flows, modified nodes (the start inject too), restart flows — runs without an error on any tab', async () => {
    view ??= new EditorView(demo.url);
    await view.ready();
    const start = Date.now();
    const logFrom = log.length;
    const { flows } = await deployedFlows();
    const tab = 'a1f0c0de00020001';
    const echoId = String(flows.find((n) => n.type === 'debug' && n.name === 'echo' && n.z === tab)!.id);
    // Debug nodes that show failures: those a Catch node feeds, directly or through error-decode.
    const failureDebug = new Set<string>();
    const byId = new Map(flows.map((n) => [String(n.id), n]));
    const follow = (id: string): void => {
      const node = byId.get(id);
      if (!node) return;
      if (node.type === 'debug') failureDebug.add(id);
      for (const out of (node.wires as string[][] | undefined) ?? []) for (const next of out) follow(next);
    };
    for (const n of flows.filter((n) => n.type === 'catch')) follow(String(n.id));
    assert.ok(failureDebug.size >= 6, `failure debug nodes: ${[...failureDebug].join(', ')}`);

    async function deploy(type: 'full' | 'flows' | 'nodes' | 'reload', change?: (flows: FlowNode[]) => void): Promise<number> {
      const current = await deployedFlows();
      change?.(current.flows);
      const at = Date.now();
      const res = await request(`${demo.url}/flows`, {
        method: 'POST',
        headers: { 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': type },
        body: { flows: current.flows, rev: current.rev },
      });
      assert.equal(res.status, 200, `${type} deploy: ${res.body}`);
      return at;
    }
    const rename = (name: string) => (all: FlowNode[]) => {
      const node = all.find((n) => n.z === tab && n.type === 'debug' && String(n.name).trim() === name)!;
      node.name = `${name}${String(node.name).endsWith(' ') ? '' : ' '}`;
    };

    // Full and restart: every tab starts again; the Telit tab opens its connection again and echoes.
    let at = await deploy('full');
    await view.debug(echoId, /^Hello through the modem/, at, 10000);
    // Modified flows: a change on the Telit tab restarts that tab only.
    at = await deploy('flows', rename('sent'));
    await view.debug(echoId, /^Hello through the modem/, at, 10000);
    // Modified nodes: only the changed node restarts; the connection and its lines carry on.
    at = await deploy('nodes', rename('closed'));
    await view.debug(echoId, /^Line \d+ of 13/, at, 10000);
    // Modified nodes, the start inject itself: it fires again while its connection is still open,
    // and tls-open closes the connection it holds and opens it again instead of failing.
    at = await deploy('nodes', (all) => {
      const inject = all.find((n) => n.z === tab && n.type === 'inject' && String(n.name).trim() === 'start')!;
      inject.name = String(inject.name).endsWith(' ') ? 'start' : 'start ';
    });
    await view.debug(echoId, /^Hello through the modem/, at, 10000);
    at = await deploy('reload');
    await view.debug(echoId, /^Hello through the modem/, at, 10000);
    await sleep(1000);

    // The MQTT tabs too: after the last deploy, their provisioning runs again, the MQTT nodes connect and the messages come back.
    const mqttTab = pressable(flows, demo.url).tabOf(MQTT_TAB);
    await view.debug(pressable(flows, demo.url).idOf(mqttTab, 'debug', 'came back'), /"topic":"modem\/demo\/time"/, at, 30000);
    const ubloxMqttTab = pressable(flows, demo.url).tabOf(UBLOX_MQTT_TAB);
    await view.debug(pressable(flows, demo.url).idOf(ubloxMqttTab, 'debug', 'came back'), /"topic":"modem\/demo-ublox\/time"/, at, 30000);
    // MQTT nodes say "disconnected" in red from each deploy until the provisioning tells them to connect.
    const mqttNodes = new Set(flows.filter((n) => n.type === 'mqtt in' || n.type === 'mqtt out').map((n) => `status/${String(n.id)}`));

    const failures = view.events
      .filter((e) => e.at >= start)
      .flatMap((e) => {
        if (e.topic === 'debug' && failureDebug.has(String(e.data.id))) return [`debug "${String(e.data.name)}": ${String(e.data.msg)}`];
        if (mqttNodes.has(e.topic) && e.data?.text === 'node-red:common.status.disconnected') return [];
        if (e.topic.startsWith('status/') && e.data?.fill === 'red') return [`${e.topic}: ${String(e.data.text)}`];
        // The runtime's own notices (missing types, a failed start) carry an error or a warning type.
        if (e.topic.startsWith('notification/') && (e.data?.error !== undefined || e.data?.type === 'warning' || e.data?.type === 'error')) {
          return [`${e.topic}: ${JSON.stringify(e.data)}`];
        }
        return [];
      });
    assert.deepEqual(failures, []);
    assert.deepEqual(log.slice(logFrom).filter((line) => /\[(warn|error)\]/.test(line)), []);
  });

  it('the Fibocom tabs, pressed as in the editor: the echo through the L610 in the sidebar and under the echo node; the failures decoded as -11, the clock named without clock sync', async () => {
    view ??= new EditorView(demo.url);
    await view.ready();
    const { flows } = await deployedFlows();
    const { tabOf, idOf, press } = pressable(flows, demo.url);
    const echoTab = tabOf('Fibocom: TLS echo, server verified, clock synced');
    const errorsTab = tabOf('Fibocom: errors explained with GTSSLERR');

    // The echo tab: the CA, the profile, the open, a line and its echo.
    const echo = idOf(echoTab, 'debug', 'echo');
    let at = await press(echoTab, 'start');
    const got = await view.debug(echo, /^Hello through the L610, \d{4}-/, at, 20000);
    assert.equal(got.data.topic, 'data');
    const statuses = view.events.filter((e) => e.topic === `status/${echo}`);
    assert.match(String(statuses[statuses.length - 1]?.data.text), /^Hello through the L610/);
    at = await press(echoTab, 'send another line');
    await view.debug(echo, /^Another line at /, at, 10000);
    at = await press(echoTab, 'close');
    await view.debug(idOf(echoTab, 'debug', 'closed'), /"closed":true/, at, 10000);

    // The errors tab: each failure caught, decoded and shown with the module's own words.
    at = await press(errorsTab, 'prepare');
    await view.debug(idOf(errorsTab, 'debug', 'ready'), /"profile":"1"/, at, 15000);
    const explained = idOf(errorsTab, 'debug', 'explained');
    const raw = idOf(errorsTab, 'debug', 'raw error');
    for (const [button, words] of [
      ['wrong CA', /"line":"\+GTSSLERR: -11".*127\.0\.0\.1:\d+ failed .*no loaded trust certificate vouches for the server \(load-cert/],
      ['expired', /"line":"\+GTSSLERR: -11".*no loaded trust certificate vouches for the server \(load-cert/],
      ['clock not set', /"line":"\+GTSSLERR: -11".*clockSync is off in the modem config/],
    ] as const) {
      at = await press(errorsTab, button);
      const decoded = await view.debug(explained, /"code":"-11"/, at, 20000);
      assert.match(String(decoded.data.msg), /"vendor":"fibocom".*"name":"certificate validation failed".*"category":"certificate"/s, button);
      await view.debug(raw, words, at, 5000);
    }
  });

  it('the XBee3 tabs, pressed as in the editor: switched to API mode once; the echo on profile 1 in the sidebar and under the echo node; mutual TLS on profile 2 with the key written write-only', async () => {
    view ??= new EditorView(demo.url);
    await view.ready();
    // Brought up at the start (and not again at the redeploys above: the module kept AP 2).
    assert.equal(log.filter((line) => XBEE3_API_MODE.test(line)).length, 1, log.filter((line) => /XBee3/.test(line)).join('\n'));
    const { flows } = await deployedFlows();
    const { tabOf, idOf, press } = pressable(flows, demo.url);
    const echoTab = tabOf('XBee3: TLS echo, server verified');
    const mutualTab = tabOf('XBee3: mutual TLS, key written write-only');
    const failures = (since: number): string[] =>
      view!.events.filter((e) => e.at >= since && e.topic === 'debug' && [idOf(echoTab, 'debug', 'explained'), idOf(mutualTab, 'debug', 'explained')].includes(String(e.data.id))).map((e) => String(e.data.msg));

    const start = Date.now();
    // The echo tab: the CA file, profile 1, an API-mode socket, a line and its echo.
    const echo = idOf(echoTab, 'debug', 'echo');
    let at = await press(echoTab, 'start');
    const got = await view.debug(echo, /^Hello through the XBee3, \d{4}-/, at, 20000);
    assert.equal(got.data.topic, 'data');
    const statuses = view.events.filter((e) => e.topic === `status/${echo}`);
    assert.match(String(statuses[statuses.length - 1]?.data.text), /^Hello through the XBee3/);
    at = await press(echoTab, 'send another line');
    await view.debug(echo, /^Another line at /, at, 10000);
    at = await press(echoTab, 'close');
    await view.debug(idOf(echoTab, 'debug', 'closed'), /"closed":true/, at, 10000);

    // The mutual tab: the key goes up write-only, profile 2 names all three files, the server wanting a client certificate echoes.
    at = await press(mutualTab, 'start');
    await view.debug(idOf(mutualTab, 'debug', 'echo'), /^Signed in with a client certificate/, at, 30000);
    at = await press(mutualTab, 'files on the module');
    const files = await view.debug(idOf(mutualTab, 'debug', 'files'), /demo-client\.key/, at, 10000);
    assert.match(String(files.data.msg), /"certType":"key","name":"demo-client\.key"/);
    at = await press(mutualTab, 'close');
    await view.debug(idOf(mutualTab, 'debug', 'closed'), /"closed":true/, at, 10000);
    assert.deepEqual(failures(start), []);
    // The key's upload is reported for what it is: written as a secure file, its size checked.
    assert.ok(log.some((line) => /\[warn\] \[modem-load-cert:demo-client\.key\] "demo-client\.key" was uploaded as a secure file \(ATFS XPUT\)/.test(line)), log.filter((l) => /warn/.test(l)).join('\n'));
  });

  it('the eS-WiFi tabs, pressed as in the editor: the check refused while set 0 is not known to be programmed, set 0 programmed for good, the check a match; then the echo through set 0, the server verified', async () => {
    view ??= new EditorView(demo.url);
    await view.ready();
    const { flows } = await deployedFlows();
    const { tabOf, idOf, press } = pressable(flows, demo.url);
    const provisioningTab = tabOf('eS-WiFi: safe provisioning, verify then program');
    const echoTab = tabOf('eS-WiFi: TLS echo, server verified');
    const explained = [idOf(provisioningTab, 'debug', 'explained'), idOf(echoTab, 'debug', 'explained')];
    const start = Date.now();
    const items = ['ca', 'cert', 'key'];

    // 1: a check only, and nothing is noted of the new module's sets: refused before a byte is sent, and explained.
    let at = await press(provisioningTab, '1 check set 0');
    const refused = await view.debug(explained[0]!, /"category":"parameter"/, at, 15000);
    assert.match(String(refused.data.msg), /set 0 has no root CA this package knows of; writing one programs it for good/);
    // 2: the one-time nodes program the CA, the certificate and the key.
    at = await press(provisioningTab, '2 program set 0 (for good)');
    for (const item of items) {
      await view.debug(idOf(provisioningTab, 'debug', 'programmed'), new RegExp(`^\\{"certType":"${item}","name":"0",.*"verified":true,.*"unchanged":false`), at, 15000);
    }
    // 3: the check of step 1 again: each item a match, nothing changed.
    at = await press(provisioningTab, '3 check again');
    for (const item of items) {
      await view.debug(idOf(provisioningTab, 'debug', 'checked'), new RegExp(`^\\{"certType":"${item}","name":"0",.*"verified":true,.*"unchanged":true`), at, 15000);
    }
    at = await press(provisioningTab, 'noted sets');
    await view.debug(idOf(provisioningTab, 'debug', 'noted'), /"certType":"key","name":"0"/, at, 10000);

    // The echo tab: set 0 verifies the server; the module finds it by name.
    const echo = idOf(echoTab, 'debug', 'echo');
    at = await press(echoTab, 'start');
    const got = await view.debug(echo, /^Hello through the eS-WiFi, \d{4}-/, at, 20000);
    assert.equal(got.data.topic, 'data');
    const statuses = view.events.filter((e) => e.topic === `status/${echo}`);
    assert.match(String(statuses[statuses.length - 1]?.data.text), /^Hello through the eS-WiFi/);
    at = await press(echoTab, 'send another line');
    await view.debug(echo, /^Another line at /, at, 10000);
    at = await press(echoTab, 'close');
    await view.debug(idOf(echoTab, 'debug', 'closed'), /"closed":true/, at, 10000);
    // One explanation in all: the refusal of step 1.
    assert.equal(view.events.filter((e) => e.at >= start && e.topic === 'debug' && explained.includes(String(e.data.id))).length, 1);
    // The passphrase of the access point never reached the log.
    assert.ok(!log.some((line) => line.includes(DEMO_WIFI.passphrase)));
  });

  it('close() stops Node-RED, the simulators and the servers, and leaves no handle behind', async () => {
    view?.close();
    view = undefined;
    const ports = [
      demo.editorPort,
      demo.ports.telit,
      demo.ports.ublox,
      demo.ports.fibocom,
      demo.ports.fibocomUnsynced,
      demo.ports.xbee3,
      demo.ports.eswifi,
      demo.ports.telitMqtt,
      ...Object.values(demo.ports.servers),
      demo.ports.mqttBroker,
      ...Object.values(demo.ports.mqttBridges),
    ];
    await demo.close();
    assert.equal(typeof (await demo.exited), 'number', 'Node-RED exited');
    await assert.rejects(request(demo.url), /ECONNREFUSED/);
    for (const port of ports) await closeServer(await listen(port));
    // Closed handles leave the list on the next turn of the event loop. Other tests' handles may
    // come and go meanwhile: what counts is that none of any kind is left beyond what was there before.
    const beyond = (): string[] => {
      const left = [...baseline];
      return resources().filter((r) => {
        const at = left.indexOf(r);
        if (at < 0) return true;
        left.splice(at, 1);
        return false;
      });
    };
    const deadline = Date.now() + 2000;
    while (beyond().length > 0 && Date.now() < deadline) await sleep(20);
    assert.deepEqual(beyond(), [], 'handles left behind');
    await demo.close(); // again: nothing to do
  });

  it('a second start on other ports keeps the flows as edited, pointed at the new ports; what was noted of the simulated eS-WiFi\'s sets is forgotten, the module being new', async () => {
    const file = path.join(userDir, 'flows.json');
    const edited = JSON.parse(readFileSync(file, 'utf8')) as FlowNode[];
    const comment = edited.find((n) => n.type === 'comment')!;
    comment.name = 'edited between two starts';
    writeFileSync(file, JSON.stringify(edited));
    const before = demo.ports;
    // The eS-WiFi tab above programmed set 0: the package noted it, per endpoint. The eS-WiFi comes back on its port, empty.
    const noted = path.join(userDir, 'modem-tls', `eswifi-127.0.0.1_${before.eswifi}.json`);
    assert.match(readFileSync(noted, 'utf8'), /CN=modem-client/);
    // The ports the MQTT examples' bridges would listen on are taken by another program: each bridge and its MQTT broker config move to a free one.
    const taken = { telit: await listen(0), ublox: await listen(0) };
    const takenPorts = { telit: (taken.telit.address() as net.AddressInfo).port, ublox: (taken.ublox.address() as net.AddressInfo).port };
    const logFrom = log.length;
    try {
      demo = await startDemo({ userDir, ...ALL_FREE, eswifiPort: before.eswifi, mqttBridgePorts: takenPorts, nodeRed: nodeRedScript(), log: (line) => log.push(line) });
    } finally {
      await Promise.all(Object.values(taken).map(closeServer));
    }
    for (const [name, example] of [['telit', 'Telit'], ['ublox', 'u-blox']] as const) {
      assert.ok(![takenPorts.telit, takenPorts.ublox].includes(demo.ports.mqttBridges[name]), `${name}: ${demo.ports.mqttBridges[name]}`);
      const said = `port ${takenPorts[name]} is in use on 127.0.0.1: the ${example} MQTT example's tls bridge listens on ${demo.ports.mqttBridges[name]} instead`;
      assert.ok(log.slice(logFrom).includes(said), `${said}\n${log.slice(logFrom).join('\n')}`);
    }
    assert.notEqual(demo.ports.mqttBridges.telit, demo.ports.mqttBridges.ublox);
    assert.ok(!existsSync(noted), 'the note of the earlier module is gone');
    const flows = JSON.parse(readFileSync(file, 'utf8')) as FlowNode[];
    assert.equal(flows.find((n) => n.id === comment.id)?.name, 'edited between two starts');
    const configs = flows.filter((n) => n.type === 'modem-config');
    assert.deepEqual(Object.fromEntries(configs.map((n) => [n.name, Number(n.tcpPort)])), configPorts());
    const servers = new Set(Object.values(demo.ports.servers));
    for (const open of flows.filter((n) => n.type === 'modem-tls-open')) assert.ok(servers.has(Number(open.port)), `tls-open ${String(open.name)} on ${String(open.port)}`);
    const echoOpen = flows.find((n) => n.type === 'modem-tls-open' && n.name === 'open to echo :7443')!;
    assert.equal(Number(echoOpen.port), demo.ports.servers.echo, `was ${before.servers.echo}`);
    const bridges = flows.filter((n) => n.type === 'modem-tls-bridge');
    assert.deepEqual(
      bridges.map((n) => [Number(n.port), Number(n.listenPort)]),
      [[demo.ports.mqttBroker, demo.ports.mqttBridges.telit], [demo.ports.mqttBroker, demo.ports.mqttBridges.ublox]],
      `was ${before.mqttBroker}, ${JSON.stringify(before.mqttBridges)}`,
    );
    assert.deepEqual(flows.filter((n) => n.type === 'mqtt-broker').map((n) => Number(n.port)), [demo.ports.mqttBridges.telit, demo.ports.mqttBridges.ublox]);
    await demo.close();
  });
});

describe('the demo on a port already in use', () => {
  let taken: net.Server;
  let port: number;
  let dir: string;

  beforeEach(async () => {
    taken = await listen(0);
    port = (taken.address() as net.AddressInfo).port;
    dir = path.join(os.tmpdir(), `modem-tls-demo-taken-${process.pid}-${port}`);
  });

  afterEach(async () => {
    await closeServer(taken);
    rmSync(dir, { recursive: true, force: true });
  });

  const cases = [
    { what: 'the editor', key: 'editorPort', variable: 'PORT' },
    { what: 'the simulated Telit modem', key: 'telitPort', variable: 'MODEM_SIM_PORT' },
    { what: 'the simulated u-blox module', key: 'ubloxPort', variable: 'MODEM_SIM_PORT' },
    { what: 'the simulated Fibocom L610', key: 'fibocomPort', variable: 'MODEM_SIM_PORT' },
    { what: 'the second simulated Fibocom L610', key: 'fibocomUnsyncedPort', variable: 'MODEM_SIM_PORT' },
    { what: 'the simulated XBee3 Cellular', key: 'xbee3Port', variable: 'MODEM_SIM_PORT' },
    { what: 'the simulated Inventek eS-WiFi', key: 'eswifiPort', variable: 'MODEM_SIM_PORT' },
    { what: 'the second simulated Telit modem, for the MQTT example', key: 'telitMqttPort', variable: 'MODEM_SIM_PORT' },
    { what: 'a TLS server', key: 'mutual', variable: 'TLS_SERVER_PORT' },
    { what: 'the MQTT broker', key: 'mqttBrokerPort', variable: 'TLS_SERVER_PORT' },
  ] as const;
  for (const { what, key, variable } of cases) {
    it(`${what}: rejected before anything starts, naming ${variable}`, async () => {
      const options: DemoOptions = { userDir: dir, ...ALL_FREE, serverPorts: { ...ALL_FREE.serverPorts } };
      if (key === 'mutual') options.serverPorts!.mutual = port;
      else options[key] = port;
      const err = await startDemo(options).then(
        () => assert.fail('started'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof DemoPortError, String(err));
      assert.deepEqual(err.conflicts.map((c) => [c.port, c.variable]), [[port, variable]]);
      assert.match(err.message, new RegExp(`^Port ${port} \\(.+\\) is already in use on 127\\.0\\.0\\.1\\.`));
      assert.match(err.message, new RegExp(`${variable}=(\\d+) npm start$`));
      assert.notEqual(Number(new RegExp(`${variable}=(\\d+)`).exec(err.message)![1]), port);
      assert.ok(!existsSync(dir), 'nothing was written');
    });
  }

  it('modules that would follow the Telit port beyond 65535: refused before anything starts, saying how far it may go', async () => {
    const err = await startDemo({ userDir: dir, ...ALL_FREE, telitPort: 65534, ubloxPort: undefined, fibocomPort: undefined, fibocomUnsyncedPort: undefined, xbee3Port: undefined, eswifiPort: undefined }).then(
      () => assert.fail('started'),
      (e: unknown) => e as Error,
    );
    assert.ok(err instanceof RangeError, String(err));
    assert.match(err.message, /^fibocomPort defaults to telitPort \+ 2, beyond 65535: give telitPort 65529 or less/);
    assert.ok(!existsSync(dir), 'nothing was written');
  });

  it('npm start: says so, naming PORT, and exits with 1 without starting Node-RED', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'start.js')], {
      env: { ...process.env, PORT: String(port), MODEM_SIM_PORT: '0', TLS_SERVER_PORT: '0' },
      encoding: 'utf8',
      timeout: 20000,
    });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stderr, new RegExp(`Port ${port} \\(the Node-RED editor\\) is already in use`));
    assert.match(run.stderr, /PORT=\d+ npm start/);
    assert.doesNotMatch(run.stdout, /Node-RED is starting|open http/);
  });

  it('npm start: a port variable that is not a port number is refused by name', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'start.js')], {
      env: { ...process.env, MODEM_SIM_PORT: 'seven' },
      encoding: 'utf8',
      timeout: 20000,
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /MODEM_SIM_PORT must be a port number/);
  });
});

describe('the demo stopped or misplaced while it starts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-demo-stop-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a stop asked for while Node-RED starts (Ctrl-C) ends the start at once and leaves no port taken', async function () {
    this.timeout(60000);
    const starting = new AbortController();
    const ports: number[] = [];
    const log = (line: string): void => {
      const m =
        /on 127\.0\.0\.1:(\d+), u-blox SARA-R5 on 127\.0\.0\.1:(\d+), Fibocom L610 on 127\.0\.0\.1:(\d+) \(and on 127\.0\.0\.1:(\d+) .*XBee3 Cellular on 127\.0\.0\.1:(\d+), Inventek eS-WiFi ISM43362 on 127\.0\.0\.1:(\d+) .*Telit modem for the MQTT example on 127\.0\.0\.1:(\d+); .*MQTT broker \(TLS, client certificate required\) on 127\.0\.0\.1:(\d+),/.exec(line);
      if (m) ports.push(...m.slice(1, 9).map(Number));
      if (line === 'Node-RED is starting…') starting.abort();
    };
    const started = Date.now();
    const err = await startDemo({ userDir: dir, ...ALL_FREE, serverPorts: { ...ALL_FREE.serverPorts }, nodeRed: nodeRedScript(), log, signal: starting.signal }).then(
      () => assert.fail('started'),
      (e: unknown) => e as Error,
    );
    assert.match(err.message, /stopped while it started/);
    assert.ok(Date.now() - started < 30000, 'not held until Node-RED was up');
    assert.equal(ports.length, 8);
    for (const port of ports) await closeServer(await listen(port)); // free again
  });

  it('a copy of the package in the user directory (an npm install there) is refused by name, not run instead of this checkout', async () => {
    const copy = path.join(dir, 'node_modules', 'node-red-contrib-modem-tls');
    mkdirSync(copy, { recursive: true });
    const err = await startDemo({ userDir: dir, ...ALL_FREE, serverPorts: { ...ALL_FREE.serverPorts }, nodeRed: nodeRedScript(), log: () => undefined }).then(
      () => assert.fail('started'),
      (e: unknown) => e as Error,
    );
    assert.equal(err.message, `${copy} is a directory, not the link to this checkout the demo makes there: remove it and start again`);
    assert.ok(existsSync(copy), 'left as it was');
  });
});
