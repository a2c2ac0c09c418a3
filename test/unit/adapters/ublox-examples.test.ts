/**
 * The u-blox example flows with tls-open (`examples/u-blox/1 …`, `2 …`), imported unchanged into a
 * real Node-RED with their modem-config pointed at the simulated u-blox module (over TCP) and the
 * demo TLS server of the mutual TLS example: they deploy, and do what their comments say. Only the
 * simulator's port and the server's port change. (The u-blox MQTT example, with the demo's MQTT
 * broker, runs in test/e2e/examples.test.ts.)
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import helper, { startServer, stopServer } from '../../support/red-helper';
import { coreNodeModules, deploy, modemReady, Probe, type FlowNode, type Msg } from '../../support/flow-probe';
import { readExample } from '../../support/examples';
import { listenTcp, type SimulatedModem, type TcpEndpoint } from '../../../src/simulator';
import { createUbloxModem } from '../../../src/simulator/dialects/ublox';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { startTlsEchoServer, type TlsEchoServer } from '../../../src/simulator/tls-servers';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
/* eslint-disable @typescript-eslint/no-require-imports */
const OUR_NODES = Object.keys(PACKAGE['node-red'].nodes).map((type) => require(`../../../src/nodes/${type}`));
/* eslint-enable @typescript-eslint/no-require-imports */

/** The u-blox examples, by path under `examples/`. */
const MUTUAL_TLS = 'u-blox/1 Mutual TLS to a broker-like echo.json';
const INVENTORY = 'u-blox/2 Certificate inventory.json';

function named(flow: FlowNode[], type: string, name: string): FlowNode {
  const found = flow.filter((n) => n.type === type && n.name === name);
  assert.equal(found.length, 1, `one ${type} named "${name}"`);
  return found[0]!;
}

describe('u-blox example flows against the simulated u-blox module', function () {
  this.timeout(30000);
  let pki: TestPki;
  let modem: SimulatedModem;
  let endpoint: TcpEndpoint;
  let server: TlsEchoServer;
  let workDir: string;
  let previousDir: string;
  let flow: FlowNode[];
  let probe: Probe;

  before(async () => {
    pki = createTestPki({ hosts: ['localhost', '127.0.0.1'] });
    await startServer();
  });
  after(stopServer);

  beforeEach(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-ublox-examples-'));
    mkdirSync(path.join(workDir, 'demo-pki'));
    writeFileSync(path.join(workDir, 'demo-pki', 'ca.pem'), pki.ca.cert);
    writeFileSync(path.join(workDir, 'demo-pki', 'client.pem'), pki.client.cert);
    writeFileSync(path.join(workDir, 'demo-pki', 'client.key'), pki.client.key, { mode: 0o600 });
    previousDir = process.cwd();
    process.chdir(workDir);
    modem = createUbloxModem({ timeScale: 0.01, connectTimeoutMs: 5000 });
    endpoint = await listenTcp(modem, { host: '127.0.0.1', port: 0 });
    server = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true });
  });

  afterEach(async () => {
    await helper.unload();
    await server.close();
    await endpoint.close();
    modem.close();
    process.chdir(previousDir);
    rmSync(workDir, { recursive: true, force: true });
  });

  async function deployExample(file: string): Promise<void> {
    flow = readExample(file);
    for (const node of flow) {
      if (node.type === 'modem-config') node.tcpPort = String(endpoint.port);
      if (node.type === 'modem-tls-open') node.port = String(server.port);
    }
    await deploy([...OUR_NODES, ...coreNodeModules(new Set(flow.map((n) => String(n.type))))], flow);
    probe = new Probe(flow.filter((n) => n.type === 'debug').map((n) => String(n.id)));
    await modemReady(String(flow.find((n) => n.type === 'modem-config')!.id), 15000);
  }

  const press = (name: string): void => helper.getNode(String(named(flow, 'inject', name).id)).receive({});
  const atDebug = (name: string, predicate?: (m: Msg) => boolean): Promise<Msg> => probe.next(String(named(flow, 'debug', name).id), predicate, 15000);

  it('mutual TLS: imports CA, client certificate and key, mutual TLS to the echo, the line comes back; close uses the remembered socket', async () => {
    await deployExample(MUTUAL_TLS);
    press('start');
    const echo = await atDebug('echo', (m) => m.topic === 'data');
    assert.match(echo.text, /^CONNECT device-1 over mutual TLS, /);
    assert.match(server.lastClientCertSubject ?? '', /CN=modem-client/);
    press('close');
    const closed = await atDebug('closed');
    assert.deepEqual(closed.payload, { socket: echo.socket, closed: true });
    assert.equal(probe.all(String(named(flow, 'debug', 'explained').id)).length, 0, 'nothing failed');
  });

  it('certificate inventory: lists with load-cert, checks the CA by MD5 (imported, then unchanged), shows the chip ID, removes', async () => {
    await deployExample(INVENTORY);
    press('check demo CA');
    const first = await atDebug('verdict');
    assert.deepEqual([first.payload.verified, first.payload.unchanged], [true, false]);
    press('check demo CA');
    const second = await atDebug('verdict');
    assert.deepEqual([second.payload.verified, second.payload.unchanged], [true, true]);
    press('list');
    const list = await atDebug('inventory');
    const entry = (list.payload as Array<Record<string, unknown>>).find((item) => item.certType === 'ca' && item.name === 'demo-ca');
    assert.ok(entry, JSON.stringify(list.payload));
    assert.equal(entry.md5, first.payload.md5);
    press('MD5 as the module says');
    assert.equal((await atDebug('module MD5')).payload[0], `+USECMNG: 4,0,"demo-ca","${first.payload.md5}"`);
    press('chip ID');
    assert.match((await atDebug('chip')).payload[0], /^\+USECCHIP: "/);
    press('remove demo CA');
    assert.deepEqual((await atDebug('removed')).payload, { certType: 'ca', name: 'demo-ca', removed: true });
    assert.equal(probe.all(String(named(flow, 'debug', 'explained').id)).length, 0, 'nothing failed');
  });
});
