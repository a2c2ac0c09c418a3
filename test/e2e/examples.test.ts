/**
 * The example flows, as a user gets them: each `examples/<folder>/*.json` imported unchanged into a real
 * Node-RED with the core nodes it uses, each of its `modem-config`s pointed at the simulated module
 * the demo runs on the port that config names (over TCP, as ser2net would expose one: Telit on
 * 7001, the Fibocom L610s on 7003 and 7004, the XBee3 on 7005, the eS-WiFi on 7006, the MQTT example's Telit on 7007),
 * the TLS servers of the demo on the ports the flows' tls-open nodes name, the demo's MQTT broker (client certificate
 * required) where the tls bridge points, and a working directory holding the `demo-pki/` files the file-in nodes
 * read. Each example must deploy without a load or config error, and do what its comment says.
 * (The other u-blox examples run in test/unit/adapters/ublox-examples.test.ts; here, on the module the u-blox
 * MQTT example has just used. All of them at once, as the demo runs them, in test/e2e/demo.test.ts.)
 *
 * The only edits to a flow: each modem-config's `tcpPort` (its simulator's), and — only when a
 * demo port is taken on this machine — that tls-open's or tls bridge's `port`, or the bridge's
 * `listenPort` (with the port of the MQTT broker config that points there), moved to a free one. The
 * credentials an example carries (the simulated access point's passphrase) go to the runtime
 * beside the flow, as the editor deploys the `credentials` of an imported node.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import helper, { startServer, stopServer } from '../support/red-helper';
import { coreNodeModules, deploy, LOADABLE_CORE_TYPES, logEntries, modemReady, Probe, statusOf, statusesOf, statusTimeline, until, type FlowNode, type Msg } from '../support/flow-probe';
import { exampleFiles as listExamples, readExample } from '../support/examples';
import { createFibocomModem, createTelitModem, createUbloxModem, eswifiDevice, fibocomDevice, listenTcp, ubloxDevice, xbee3Device, type SimulatedModem, type TcpEndpoint } from '../../src/simulator';
import { createTestPki, type TestPki } from '../../src/simulator/pki';
import { createDemoEswifiModem, createDemoXbee3Modem, DEMO_WIFI } from '../../scripts/demo';
import { startTlsEchoServer, type TlsEchoServer, type TlsEchoServerOptions } from '../../src/simulator/tls-servers';
import { startDemoBroker, type DemoBroker } from '../../scripts/demo-broker';
import { freePort, portState } from '../../scripts/ports';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };

/* eslint-disable @typescript-eslint/no-require-imports */
const OUR_NODES = Object.keys(PACKAGE['node-red'].nodes).map((type) => require(`../../src/nodes/${type}`));
/* eslint-enable @typescript-eslint/no-require-imports */

/** What listens on each demo port (scripts/start.ts starts the same set for `npm start`). */
const DEMO_SERVERS: Readonly<Record<number, (pki: TestPki) => TlsEchoServerOptions>> = {
  7443: (pki) => ({ cert: pki.server.cert, key: pki.server.key }),
  7444: (pki) => ({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true }),
  7445: (pki) => ({ cert: pki.unrelatedServer.cert, key: pki.unrelatedServer.key }),
  7446: (pki) => ({ cert: pki.expiredServer.cert, key: pki.expiredServer.key }),
  7447: (pki) => ({ cert: pki.wrongHostServer.cert, key: pki.wrongHostServer.key }),
};

/** What listens on each demo modem port (scripts/demo.ts starts the same modules for `npm start`). */
const DEMO_MODEMS: Readonly<Record<number, () => SimulatedModem>> = {
  7001: () => createTelitModem({ platform: '30' }),
  7002: () => createUbloxModem({ platform: 'SARA-R5' }),
  // Two identical L610s: the Fibocom examples' config with clock sync, and the one without.
  7003: () => createFibocomModem(),
  7004: () => createFibocomModem(),
  // As it leaves the factory (transparent mode), with GT saved at 100 ms: the demo's XBee3.
  7005: () => createDemoXbee3Modem(),
  // An ISM43362 with empty certificate sets, in reach of the access point its examples' config names.
  7006: () => createDemoEswifiModem(),
  // The MQTT example's own Telit: its tls bridge holds the serial line in ONLINE mode.
  7007: () => createTelitModem({ platform: '30' }),
};

/** Where the demo's MQTT broker listens (scripts/demo.ts), which the MQTT example's tls bridge connects to. */
const DEMO_BROKER_PORT = 7448;

const exampleFiles = listExamples();

/** The examples these tests run, by path under `examples/`. */
const AT_COMMANDS = 'modem/AT commands and events.json';
const TELIT_ECHO = 'telit/1 TLS echo, server verified.json';
const TELIT_MUTUAL = 'telit/2 Mutual TLS.json';
const TELIT_ERRORS = 'telit/3 Errors explained with error-decode.json';
const TELIT_MQTT = 'telit/mqtt-over-modem-tls.json';
const UBLOX_MUTUAL = 'u-blox/1 Mutual TLS to a broker-like echo.json';
const UBLOX_MQTT = 'u-blox/mqtt-over-modem-tls.json';
const FIBOCOM_ECHO = 'fibocom/1 TLS echo, server verified, clock synced.json';
const FIBOCOM_ERRORS = 'fibocom/2 Errors explained with GTSSLERR.json';
const XBEE3_ECHO = 'xbee3/1 TLS echo, server verified.json';
const XBEE3_MUTUAL = 'xbee3/2 Mutual TLS, key written write-only.json';
const ESWIFI_PROVISIONING = 'eswifi/1 Safe provisioning, verify then program.json';
const ESWIFI_ECHO = 'eswifi/2 TLS echo, server verified.json';

/**
 * The one warning an example may log while its modem comes up: a factory-fresh XBee3 is in
 * transparent mode, and the adapter says that it switched it to API mode (AP 2) and saved that.
 */
const XBEE3_API_MODE_WARNING = /^the module was in AP 0: it is now in API mode with escapes \(AP 2\), saved/;

/** The type a node's editor file registers as a config node (`category: 'config'`). */
function isConfigType(type: string): boolean {
  const html = readFileSync(path.join(ROOT, 'nodes', `${type}.html`), 'utf8');
  const at = html.indexOf(`registerType('${type}'`);
  assert.ok(at >= 0, `nodes/${type}.html registers ${type}`);
  return /^\s*,\s*\{\s*category:\s*'config'/.test(html.slice(at + `registerType('${type}'`.length));
}

function named(flow: FlowNode[], type: string, name: string): FlowNode {
  const found = flow.filter((n) => n.type === type && n.name === name);
  assert.equal(found.length, 1, `one ${type} node named "${name}"`);
  return found[0]!;
}

/** The node the first output of `node` is wired to (examples wire one debug or function node there). */
function firstTarget(node: FlowNode): string {
  const wires = node.wires as string[][];
  assert.ok(wires?.[0]?.[0], `${String(node.name)} is wired`);
  return wires[0]![0]!;
}

/** Node-RED's own MQTT nodes. */
function isMqttNode(node: FlowNode): boolean {
  return node.type === 'mqtt in' || node.type === 'mqtt out';
}

/**
 * Whether status `at` of an MQTT node came before its first "connected": until then it says
 * "disconnected" in red, which is what an MQTT node whose broker config does not connect by
 * itself shows before it is told to connect.
 */
function notYetConnected(statuses: Array<{ text?: string }>, at: number): boolean {
  const connected = statuses.findIndex((s) => s.text === 'node-red:common.status.connected');
  return statuses[at]?.text === 'node-red:common.status.disconnected' && (connected < 0 || at < connected);
}

/** A demo server on its port, or — when that port is taken here — on a free one. */
async function demoServer(port: number, options: TlsEchoServerOptions): Promise<TlsEchoServer> {
  try {
    return await startTlsEchoServer({ ...options, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return startTlsEchoServer(options);
  }
}

describe('example flows: import, deploy, and work', function () {
  // The Telit echo runs for a while by design: a start 3 s after deploy, lines 5 s apart.
  this.timeout(30000);

  it('every non-config node type of the package appears in at least one example', () => {
    const used = new Set(exampleFiles.flatMap((file) => readExample(file).map((n) => String(n.type))));
    const types = Object.keys(PACKAGE['node-red'].nodes);
    const flowTypes = types.filter((type) => !isConfigType(type));
    assert.deepEqual(types.filter(isConfigType), ['modem-config']);
    assert.ok(flowTypes.includes('modem-tls-bridge'), `the package's node types: ${types.join(', ')}`);
    assert.deepEqual(flowTypes.filter((type) => !used.has(type)), [], 'types used in no example');
  });

  it('every example starts with a comment node that explains it', () => {
    assert.ok(exampleFiles.length >= 4, exampleFiles.join(', '));
    for (const file of exampleFiles) {
      const flow = readExample(file);
      const first = flow.find((n) => n.type !== 'tab');
      assert.equal(first?.type, 'comment', `${file} starts with a ${String(first?.type)}`);
      assert.ok(String(first.name ?? '').length > 10 && String(first.info ?? '').length > 50, `${file}: the comment has a title and an explanation`);
      const tab = flow.find((n) => n.type === 'tab');
      assert.equal(first.z, tab?.id, `${file}: the comment is on the example's tab`);
    }
  });

  describe('deployed against the demo\'s simulated modules and TLS servers', () => {
    let pki: TestPki;
    /** The simulated module behind each canonical modem port an example's configs name. */
    let modems: Map<number, { modem: SimulatedModem; endpoint: TcpEndpoint }>;
    /** The simulated module behind each modem-config of the deployed example, by the config's name. */
    let moduleOfConfig: Map<string, SimulatedModem>;
    let servers: Map<number, TlsEchoServer>;
    /** The demo's MQTT broker, once an example's tls bridge points at it, and what it said. */
    let broker: DemoBroker | undefined;
    let brokerLog: string[];
    let workDir: string;
    let previousDir: string;
    let loaded = false;
    let flow: FlowNode[];
    let probe: Probe;
    /**
     * Every port a simulated module listened on in this run: a module's record (the eS-WiFi's
     * programmed sets) is kept per endpoint for the whole process, so a new module never gets a
     * port an earlier one had.
     */
    const modemPortsUsed = new Set<number>();

    /** `modem` on a free port no module of this run had. */
    async function listenFresh(modem: SimulatedModem): Promise<TcpEndpoint> {
      for (;;) {
        const endpoint = await listenTcp(modem, { host: '127.0.0.1', port: 0 });
        if (!modemPortsUsed.has(endpoint.port)) {
          modemPortsUsed.add(endpoint.port);
          return endpoint;
        }
        await endpoint.close();
      }
    }

    before(async () => {
      pki = createTestPki({ hosts: ['localhost', '127.0.0.1'] });
      await startServer();
    });

    after(stopServer);

    beforeEach(async () => {
      workDir = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-examples-'));
      mkdirSync(path.join(workDir, 'demo-pki'));
      writeFileSync(path.join(workDir, 'demo-pki', 'ca.pem'), pki.ca.cert);
      writeFileSync(path.join(workDir, 'demo-pki', 'client.pem'), pki.client.cert);
      writeFileSync(path.join(workDir, 'demo-pki', 'client.key'), pki.client.key, { mode: 0o600 });
      previousDir = process.cwd();
      // The file-in nodes read `demo-pki/…` relative to Node-RED's working directory.
      process.chdir(workDir);
      modems = new Map();
      moduleOfConfig = new Map();
      servers = new Map();
      broker = undefined;
      brokerLog = [];
    });

    afterEach(async () => {
      if (loaded) await helper.unload();
      loaded = false;
      await Promise.allSettled([...servers.values()].map((s) => s.close()));
      await broker?.close();
      for (const { modem, endpoint } of modems.values()) {
        await endpoint.close();
        modem.close();
      }
      process.chdir(previousDir);
      rmSync(workDir, { recursive: true, force: true });
    });

    /** Deploys `file` as shipped, with its servers, and checks that nothing reports a problem. */
    async function deployExample(file: string): Promise<FlowNode[]> {
      flow = readExample(file);
      const unknown = flow.filter((n) => n.type !== 'tab' && !(String(n.type) in PACKAGE['node-red'].nodes) && !LOADABLE_CORE_TYPES.includes(String(n.type)));
      assert.deepEqual(unknown.map((n) => n.type), [], `${file} uses node types this test cannot load`);
      // What an imported node carries in `credentials` the editor deploys as its credentials.
      const credentials: Record<string, unknown> = {};
      for (const node of flow) {
        if (node.credentials === undefined) continue;
        credentials[String(node.id)] = node.credentials;
        delete node.credentials;
      }
      for (const node of flow) {
        if (node.type === 'modem-config') {
          const canonical = Number(node.tcpPort);
          const create = DEMO_MODEMS[canonical];
          assert.ok(create, `${file}: modem-config "${String(node.name)}" connects to ${canonical}, which is not a demo modem port`);
          if (!modems.has(canonical)) {
            const modem = create();
            modems.set(canonical, { modem, endpoint: await listenFresh(modem) });
          }
          node.tcpPort = String(modems.get(canonical)!.endpoint.port);
          moduleOfConfig.set(String(node.name), modems.get(canonical)!.modem);
        }
        if (node.type === 'modem-tls-bridge') {
          assert.equal(Number(node.port), DEMO_BROKER_PORT, `${file}: tls bridge "${String(node.name)}" connects to ${String(node.port)}, not the demo's MQTT broker`);
          broker ??= await demoBroker();
          node.port = String(broker.port);
          // Node-RED listens there: a port taken on this machine moves, and the MQTT broker config that points there with it.
          const listen = Number(node.listenPort);
          if ((await portState(listen)) !== 'free') {
            const free = await freePort();
            node.listenPort = String(free);
            for (const config of flow.filter((n) => n.type === 'mqtt-broker' && Number(n.port) === listen)) config.port = String(free);
          }
          continue;
        }
        if (node.type !== 'modem-tls-open') continue;
        const port = Number(node.port);
        const options = DEMO_SERVERS[port];
        assert.ok(options, `${file}: tls-open "${String(node.name)}" connects to ${port}, which is not a demo server port`);
        if (!servers.has(port)) servers.set(port, await demoServer(port, options(pki)));
        node.port = String(servers.get(port)!.port);
      }
      const types = new Set(flow.map((n) => String(n.type)));
      await deploy([...OUR_NODES, ...coreNodeModules(types)], flow, credentials);
      loaded = true;
      probe = new Probe(flow.filter((n) => n.type === 'debug').map((n) => String(n.id)));
      const problems = (): string[] => [
        // Errors from anywhere; warnings from the flow's nodes (the helper warns about itself), but the XBee3's switch to API mode.
        ...logEntries(30)
          .filter((e) => (e.level as number) <= 20 || (e.id !== undefined && !(e.type === 'modem-config' && XBEE3_API_MODE_WARNING.test(String(e.msg)))))
          .map((e) => `log (${String(e.type ?? 'runtime')}): ${String(e.msg)}`),
        ...flow.flatMap((n) => statusesOf(String(n.id)).filter((s, at, all) => s.fill === 'red' && !(isMqttNode(n) && notYetConnected(all, at))).map((s) => `status of ${String(n.id)}: ${String(s.text)}`)),
      ];
      const configs = flow.filter((n) => n.type === 'modem-config');
      assert.ok(configs.length > 0, `${file} has a modem-config node`);
      for (const config of configs) {
        await modemReady(String(config.id)).catch((err: Error) => {
          throw new Error(`${file}: ${err.message}; reported: ${problems().join('; ') || 'nothing'}`);
        });
      }

      for (const node of flow) {
        if (node.type === 'tab') continue;
        assert.ok(helper.getNode(String(node.id)), `${file}: ${String(node.type)} ${String(node.id)} is running`);
      }
      // Every modem node mirrors its modem: all say ready; a tls bridge, where it listens.
      for (const node of flow.filter((n) => String(n.type).startsWith('modem-') && !['modem-config', 'modem-error-decode', 'modem-tls-bridge'].includes(String(n.type)))) {
        await statusOf(String(node.id), (s) => s.fill === 'green' && s.text === 'ready');
      }
      for (const node of flow.filter((n) => n.type === 'modem-tls-bridge')) {
        await statusOf(String(node.id), (s) => s.fill === 'green' && (s.text === `listening on 127.0.0.1:${String(node.listenPort)}` || /^1\/1 open/.test(String(s.text))), 15000);
      }
      assert.deepEqual(problems(), [], `${file} deployed with errors`);
      return flow;
    }

    /** The demo's MQTT broker on its port, or — when that port is taken here — on a free one; its lines go to `brokerLog`. */
    async function demoBroker(): Promise<DemoBroker> {
      const options = { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key, log: (line: string) => void brokerLog.push(line) };
      try {
        return await startDemoBroker({ ...options, port: DEMO_BROKER_PORT });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
        return startDemoBroker({ ...options, port: 0 });
      }
    }

    function press(name: string): void {
      helper.getNode(String(named(flow, 'inject', name).id)).receive({});
    }

    /** Messages at the debug node `name`, next one matching. */
    function atDebug(name: string, predicate?: (m: Msg) => boolean, timeoutMs?: number): Promise<Msg> {
      return probe.next(String(named(flow, 'debug', name).id), predicate, timeoutMs);
    }

    it('AT commands and events: answers, and a refused command caught with msg.modemError', async () => {
      await deployExample(AT_COMMANDS);
      press('AT+CGMM (model)');
      const model = await atDebug('answer');
      assert.equal(model.final, 'OK');
      assert.equal(model.payload.length, 1);
      press('AT+CCLK? (clock)');
      assert.match((await atDebug('answer')).payload[0], /^\+CCLK: "\d\d\/\d\d\/\d\d,/);
      press('AT+NOSUCH (fails)');
      const failed = await atDebug('msg.modemError');
      assert.equal(failed.modemError.vendor, 'telit');
      assert.match(failed.modemError.command, /AT\+NOSUCH/);
    });

    it('Telit TLS echo: by itself, a line through TLS and its echo at the "as text" function’s output, again every 5 s', async () => {
      await deployExample(TELIT_ECHO);
      const asText = named(flow, 'function', 'as text');
      const echoed = String(firstTarget(asText));
      // The "start" inject fires by itself three seconds after deploy, as the comment says.
      const first = await probe.next(echoed, (m) => m.topic === 'data', 10000);
      const firstAt = Date.now();
      assert.match(first.text, /^Hello through the modem, \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
      assert.equal(first.socket, '1');
      const sent = await atDebug('sent');
      assert.deepEqual(sent.payload, { socket: '1', bytes: Buffer.byteLength(first.text) });

      press('send another line');
      assert.match((await probe.next(echoed, (m) => m.topic === 'data')).text, /^Another line at /);
      // For a minute, whoever opens the editor late still sees echoes arrive: the next line comes by itself.
      const second = await probe.next(echoed, (m) => m.topic === 'data', 8000);
      assert.match(second.text, /^Line 2 of 13, \d{4}-/);
      assert.ok(Date.now() - firstAt > 4000, `the second line came ${Date.now() - firstAt} ms after the first, not 5 s`);
      press('close');
      assert.deepEqual((await atDebug('closed')).payload, { socket: '1', closed: true });
      assert.equal((await probe.next(echoed, (m) => m.topic === 'closed')).text, '(connection 1 closed: closed by the flow)');
      // The close button stopped the lines: none is sent on the closed connection (it would fail and be explained).
      await new Promise((resolve) => setTimeout(resolve, 5500));
      assert.equal(probe.all(String(named(flow, 'debug', 'explained').id)).length, 0, 'nothing failed');
      assert.equal(probe.all(echoed).filter((m) => m.topic === 'data').length, 3, 'no line after close');
    });

    it('Telit mutual TLS: CA, client certificate and key from files, the chain connects and echoes', async () => {
      await deployExample(TELIT_MUTUAL);
      const echoed = String(firstTarget(named(flow, 'function', 'as text')));
      press('start');
      const got = await probe.next(echoed, (m) => m.topic === 'data', 15000);
      assert.equal(got.text, 'Signed in with a client certificate\n');
      assert.equal(got.socket, '2');
      assert.match(servers.get(7444)!.lastClientCertSubject ?? '', /CN=modem-client/);
      press('close');
      assert.deepEqual((await atDebug('closed')).payload, { socket: '2', closed: true });
      assert.equal(probe.all(String(named(flow, 'debug', 'explained').id)).length, 0, 'nothing failed');
    });

    it('Telit errors explained: each of the three failing opens is decoded as 839', async () => {
      await deployExample(TELIT_ERRORS);
      press('prepare');
      const ready = await atDebug('ready');
      assert.equal(ready.payload.profile, '3');
      assert.equal(ready.payload.applied.authMode, 1);
      for (const [button, open] of [['wrong CA', 'open :7445 (other CA)'], ['expired', 'open :7446 (expired)'], ['wrong host', 'open :7447 (other host)']] as const) {
        press(button);
        const explained = await atDebug('explained', undefined, 15000);
        assert.equal(explained.error.source.id, named(flow, 'modem-tls-open', open).id, `${button}: caught from its own tls-open`);
        assert.deepEqual(
          { vendor: explained.payload.vendor, code: explained.payload.code, category: explained.payload.category },
          { vendor: 'telit', code: 839, category: 'handshake' },
          button,
        );
        const raw = await atDebug('raw error');
        assert.equal(raw.modemError.code, 839, button);
      }
    });

    it('Telit MQTT over modem TLS: by itself, the certificates stored and the mutual profile applied before the MQTT nodes connect; the time published at QoS 1 through the tls bridge comes back from the broker, which saw the client certificate from the module; the bridge opened in ONLINE mode; after the modem link drops and comes back, connected again by itself', async () => {
      await deployExample(TELIT_MQTT);
      const bridge = named(flow, 'modem-tls-bridge', '');
      const explained = String(named(flow, 'debug', 'explained').id);
      // The provisioning chain runs one second after deploy; only once the profile is applied does the MQTT node connect.
      const opened = await atDebug('bridge', (m) => m.topic === 'open', 20000);
      assert.equal(opened.payload.mode, 'online', 'one connection on a Telit: the serial line carries the bytes (ONLINE mode)');
      assert.deepEqual([opened.payload.host, opened.payload.port], ['127.0.0.1', broker!.port]);
      assert.equal(opened.payload.socket, '4');
      assert.match(opened.payload.client, /^127\.0\.0\.1:\d+$/);
      for (const name of ['publish, QoS 1', 'modem/demo/#']) {
        await statusOf(String(flow.find((n) => isMqttNode(n) && n.name === name)!.id), (s) => s.text === 'node-red:common.status.connected', 15000);
      }
      // What the broker printed: the client and the certificate it presented, the one stored in the module.
      await until('the broker to print the client certificate', () => brokerLog.some((line) => /connected from 127\.0\.0\.1:\d+ with the client certificate .*CN=modem-client \(issued by .*CN=Modem TLS Test CA\)$/.test(line)));
      assert.deepEqual(broker!.clients.map((c) => c.subject.replace(/^.*CN=/, '')), ['modem-client'], 'one client, with the module\'s certificate');

      // The button: one message at once, published through the bridge and back from the broker.
      press('every 5 s');
      const back = await atDebug('came back', undefined, 10000);
      assert.equal(back.topic, 'modem/demo/time');
      assert.match(back.payload, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(back.qos, 1);
      // And by itself: the next one within the 5 s period (with room for a slow machine).
      const next = await atDebug('came back', (m) => m.payload !== back.payload, 15000);
      assert.ok(Date.parse(next.payload) > Date.parse(back.payload), `${next.payload} after ${back.payload}`);
      await statusOf(String(bridge.id), (s) => s.fill === 'green' && /^1\/1 open · ↑ \d/.test(String(s.text)));
      // On the canvas too, for whoever opens the editor later: the mode under the bridge's debug node, the last time under "came back".
      await statusOf(String(named(flow, 'debug', 'bridge').id), (s) => s.text === 'open, online mode');
      await statusOf(String(named(flow, 'debug', 'came back').id), (s) => /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(String(s.text)));

      // The order held: the MQTT nodes started connecting only once the profile was applied; no connection without
      // the certificate (nothing refused, one connection only); nothing failed.
      const timeline = statusTimeline();
      const profile = String(named(flow, 'modem-tls-profile', '').id);
      const applied = timeline.findIndex((s) => s.id === profile && s.fill === 'green' && /profile 4/.test(String(s.text)));
      const connecting = timeline.findIndex((s) => flow.some((n) => isMqttNode(n) && n.id === s.id) && s.text === 'node-red:common.status.connecting');
      assert.ok(applied >= 0 && connecting > applied, `profile applied at status ${applied}, MQTT connecting at ${connecting}`);
      assert.deepEqual(brokerLog.filter((line) => /refused/.test(line)), []);
      assert.equal(probe.all(String(named(flow, 'debug', 'bridge').id)).filter((m) => m.topic === 'open').length, 1, 'one connection opened');
      assert.equal(probe.all(explained).length, 0, 'nothing failed');
      const module = moduleOf('simulated Telit modem, MQTT');
      const dials = (): string[] => module.log.filter((e) => e.line.startsWith('AT#SSLD=')).map((e) => e.line);
      assert.deepEqual(dials(), [`AT#SSLD=4,${broker!.port},"127.0.0.1",0,0`], 'one dial, secure socket 4, connMode 0 (ONLINE)');
      // The link to the module drops (ser2net restarted, a cable pulled) and comes back: the connection ends, and the
      // MQTT nodes connect again by themselves, the provisioning kept; messages come back again, and nothing failed.
      modems.get(7007)!.endpoint.unplug();
      const closed = await atDebug('bridge', (m) => m.topic === 'closed', 15000);
      assert.deepEqual([closed.payload.socket, closed.payload.by], ['4', 'modem']);
      assert.ok(closed.payload.bytesUp > 0 && closed.payload.bytesDown > 0, JSON.stringify(closed.payload));
      const reopened = await atDebug('bridge', (m) => m.topic === 'open', 30000);
      assert.equal(reopened.payload.mode, 'online');
      const since = Date.now();
      await atDebug('came back', (m) => Date.parse(m.payload) >= since, 15000);
      assert.equal(probe.all(explained).length, 0, 'nothing failed while the link was down');
      assert.deepEqual(logEntries(20).filter((e) => e.id !== undefined).map((e) => String(e.msg)), [], 'no node logged an error');
      assert.deepEqual(brokerLog.filter((line) => /refused/.test(line)), []);
      assert.equal(broker!.clients.length, 2, 'connected again, once');
      assert.equal(dials().length, 2, 'dialled again, once');

      // The profile's vendor option: the module sends ONLINE data after 100 ms (<txTo> 1), not after its default 5 s.
      assert.match(module.log.filter((e) => e.line.startsWith('AT#SSLCFG=4,')).map((e) => e.line).join(' | '), /^AT#SSLCFG=4,1,300,90,100,1,/);
    });

    it('u-blox MQTT over modem TLS: by itself, the certificates imported under names of its own and security profile 1 set before the MQTT nodes connect; the bridge opens in command mode, the broker sees the client certificate, the time comes back at QoS 1; the mutual TLS example then runs on the same module, its profile 0 beside profile 1', async () => {
      await deployExample(UBLOX_MQTT);
      const device = ubloxDevice(moduleOf('simulated u-blox modem'))!;
      // The provisioning chain runs one second after deploy; only once the profile is applied does the MQTT node connect.
      const opened = await atDebug('bridge', (m) => m.topic === 'open', 30000);
      assert.equal(opened.payload.mode, 'command', 'u-blox: the bridge sends and reads with AT commands, the serial line stays free');
      assert.deepEqual([opened.payload.host, opened.payload.port], ['127.0.0.1', broker!.port]);
      assert.match(opened.payload.socket, /^[0-6]$/, 'the socket the module chose');
      assert.match(opened.payload.client, /^127\.0\.0\.1:\d+$/);
      for (const name of ['publish, QoS 1', 'modem/demo-ublox/#']) {
        await statusOf(String(flow.find((n) => isMqttNode(n) && n.name === name)!.id), (s) => s.text === 'node-red:common.status.connected', 15000);
      }
      // What the broker printed: the client and the certificate it presented, the one imported into the module.
      await until('the broker to print the client certificate', () => brokerLog.some((line) => /connected from 127\.0\.0\.1:\d+ with the client certificate .*CN=modem-client \(issued by .*CN=Modem TLS Test CA\)$/.test(line)));
      assert.deepEqual(broker!.clients.map((c) => c.subject.replace(/^.*CN=/, '')), ['modem-client'], 'one client, with the module\'s certificate');

      // The button: one message at once, published through the bridge and back from the broker; then the next by itself.
      press('every 5 s');
      const back = await atDebug('came back', undefined, 15000);
      assert.equal(back.topic, 'modem/demo-ublox/time');
      assert.match(back.payload, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(back.qos, 1);
      const next = await atDebug('came back', (m) => m.payload !== back.payload, 15000);
      assert.ok(Date.parse(next.payload) > Date.parse(back.payload), `${next.payload} after ${back.payload}`);
      const bridge = String(named(flow, 'modem-tls-bridge', '').id);
      await statusOf(bridge, (s) => s.fill === 'green' && /^1\/1 open · ↑ \d/.test(String(s.text)));
      await statusOf(String(named(flow, 'debug', 'bridge').id), (s) => s.text === 'open, command mode');
      await statusOf(String(named(flow, 'debug', 'came back').id), (s) => /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(String(s.text)));

      // The order held: the MQTT nodes started connecting only once profile 1 was applied; one connection, nothing refused or failed.
      const timeline = statusTimeline();
      const profile = String(named(flow, 'modem-tls-profile', '').id);
      const applied = timeline.findIndex((s) => s.id === profile && s.fill === 'green' && /profile 1/.test(String(s.text)));
      const connecting = timeline.findIndex((s) => flow.some((n) => isMqttNode(n) && n.id === s.id) && s.text === 'node-red:common.status.connecting');
      assert.ok(applied >= 0 && connecting > applied, `profile applied at status ${applied}, MQTT connecting at ${connecting}`);
      assert.deepEqual(brokerLog.filter((line) => /refused/.test(line)), []);
      assert.equal(probe.all(String(named(flow, 'debug', 'bridge').id)).length, 1, 'one connection opened, none closed');
      assert.equal(probe.all(String(named(flow, 'debug', 'explained').id)).length, 0, 'nothing failed');
      // What the comment says the tab gave the module: its own names, profile 1 mutual (validation level 3), profile 0 untouched.
      assert.deepEqual([...device.user.values()].map((item) => item.name).sort(), ['mqtt-ca', 'mqtt-client', 'mqtt-key']);
      const own = device.profiles[1]!;
      assert.deepEqual([own.validation, own.caName, own.certName, own.keyName], [3, 'mqtt-ca', 'mqtt-client', 'mqtt-key']);
      assert.deepEqual([device.profiles[0]!.caName, device.profiles[0]!.certName, device.profiles[0]!.keyName], ['', '', ''], 'profile 0 is the mutual TLS example\'s');

      // The mutual TLS example on the same module, as it runs on its own: its items and profile 0 beside the MQTT tab's.
      await undeploy();
      await broker!.close();
      broker = undefined;
      await deployExample(UBLOX_MUTUAL);
      press('start');
      const echo = await atDebug('echo', (m) => m.topic === 'data', 30000);
      assert.match(echo.text, /^CONNECT device-1 over mutual TLS, /);
      assert.match(servers.get(7444)!.lastClientCertSubject ?? '', /CN=modem-client/);
      press('close');
      assert.deepEqual((await atDebug('closed', undefined, 15000)).payload, { socket: echo.socket, closed: true });
      assert.equal(probe.all(String(named(flow, 'debug', 'explained').id)).length, 0, 'nothing failed');
      assert.deepEqual([device.profiles[0]!.caName, device.profiles[0]!.certName, device.profiles[0]!.keyName], ['demo-ca', 'demo-client', 'demo-key']);
      const after = device.profiles[1]!;
      assert.deepEqual([after.validation, after.caName, after.certName, after.keyName], [3, 'mqtt-ca', 'mqtt-client', 'mqtt-key'], 'profile 1 as the MQTT tab left it');
      assert.deepEqual([...device.user.values()].map((item) => item.name).sort(), ['demo-ca', 'demo-client', 'demo-key', 'mqtt-ca', 'mqtt-client', 'mqtt-key']);
    });

    /** The simulated module behind the deployed example's modem-config named `name`. */
    function moduleOf(name: string): SimulatedModem {
      const found = moduleOfConfig.get(name);
      assert.ok(found, `a simulated module behind "${name}"`);
      return found;
    }

    it('Fibocom TLS echo: the CA loaded, a server-verified TLS 1.2 profile, the clock synced; each line echoed to the debug sidebar and the echo node, again after the module restarts', async () => {
      await deployExample(FIBOCOM_ECHO);
      const module = fibocomDevice(moduleOf('simulated Fibocom L610'))!;
      const echo = String(named(flow, 'debug', 'echo').id);
      press('start');
      const first = await atDebug('echo', (m) => m.topic === 'data', 15000);
      assert.match(first.text, /^Hello through the L610, \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
      assert.equal(first.socket, '1');
      assert.deepEqual((await atDebug('sent')).payload, { socket: '1', bytes: Buffer.byteLength(first.text) });
      // On the canvas too: the echo node's status holds the line.
      await statusOf(echo, (s) => String(s.text).startsWith('Hello through the L610'));
      // What the comment says the module was given: one trust file, verification on, TLS 1.2.
      assert.equal(module.files.TRUSTFILE.length, 1);
      assert.deepEqual([module.ssl.mode, module.ssl.version], [1, 4]);
      assert.equal(module.lastHandshake?.version, 'TLSv1.2');

      press('send another line');
      assert.match((await atDebug('echo', (m) => m.topic === 'data')).text, /^Another line at /);
      // The module clock, set from this host (clock sync), not its power-up default.
      press('module clock');
      const clock = (await atDebug('module clock')).payload as string[];
      const m = /^\+CCLK: "(\d\d)\/(\d\d)\/(\d\d),(\d\d):(\d\d):(\d\d)/.exec(clock[0] ?? '');
      assert.ok(m, clock.join(' | '));
      const at = Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
      assert.ok(Math.abs(at - Date.now()) < 120000, `the module clock says ${clock[0]}`);

      // A power cycle takes every file and setting; the next start puts them back (keepLoaded) and echoes again.
      await moduleOf('simulated Fibocom L610').reboot();
      assert.equal(module.files.TRUSTFILE.length, 0);
      assert.equal((await atDebug('echo', (msg) => msg.topic === 'closed', 15000)).socket, '1');
      await statusOf(String(named(flow, 'modem-tls-open', 'open to echo :7443').id), (s) => s.fill === 'green' && s.text === 'ready', 15000);
      press('start');
      assert.match((await atDebug('echo', (msg) => msg.topic === 'data', 15000)).text, /^Hello through the L610/);
      assert.equal(module.files.TRUSTFILE.length, 1, 'the CA is loaded once, again');
      assert.deepEqual([module.ssl.mode, module.ssl.version], [1, 4]);

      press('close');
      assert.deepEqual((await atDebug('closed')).payload, { socket: '1', closed: true });
      assert.equal((await atDebug('echo', (msg) => msg.topic === 'closed')).text, '(connection 1 closed: closed by the flow)');
      assert.equal(probe.all(String(named(flow, 'debug', 'explained').id)).length, 0, 'nothing failed');
    });

    it('Fibocom errors explained: other CA and expired refused with -11; the echo server refused with -11 through the config without clock sync, whose message names the clock', async () => {
      await deployExample(FIBOCOM_ERRORS);
      press('prepare');
      const ready = await atDebug('ready', undefined, 15000);
      assert.equal(ready.payload.profile, '1');
      assert.deepEqual([ready.payload.applied.checkmode, ready.payload.applied.sslver], [1, 4]);
      assert.deepEqual(ready.payload.warnings, []);
      const cases = [
        ['wrong CA', 'open :7445 (other CA)', /^(?!.*clockSync is off)/s],
        ['expired', 'open :7446 (expired)', /^(?!.*clockSync is off)/s],
        ['clock not set', 'open :7443 (clock not set)', /clockSync is off in the modem config, and the module clock starts from a default/],
      ] as const;
      for (const [button, open, message] of cases) {
        press(button);
        const explained = await atDebug('explained', undefined, 15000);
        assert.equal(explained.error.source.id, named(flow, 'modem-tls-open', open).id, `${button}: caught from its own tls-open`);
        assert.deepEqual(
          { vendor: explained.payload.vendor, code: explained.payload.code, name: explained.payload.name, category: explained.payload.category },
          { vendor: 'fibocom', code: '-11', name: 'certificate validation failed', category: 'certificate' },
          button,
        );
        assert.match(explained.payload.hint, /clockSync/, `${button}: the hint names the clock`);
        const raw = await atDebug('raw error');
        assert.deepEqual([raw.modemError.code, raw.modemError.line], ['-11', '+GTSSLERR: -11'], button);
        assert.match(raw.modemError.message, /SSL error -11 \(certificate validation failed\)/, button);
        assert.match(raw.modemError.message, message, button);
      }
      // The module without clock sync refused the server by its dates, not its CA: its clock never left the power-up default.
      const unsynced = fibocomDevice(moduleOf('simulated L610, no clock sync'))!;
      assert.equal(unsynced.files.TRUSTFILE.length, 1);
      assert.equal(unsynced.modem.clock.now().getUTCFullYear(), 2000);
      assert.equal(unsynced.lastFailure?.cause, 'not-yet-valid', String(unsynced.lastFailure));
      assert.equal(probe.all(String(named(flow, 'debug', 'explained').id)).length, 3, 'only the three opens failed');
    });

    /** The config node's warnings logged so far. */
    function configWarnings(): string[] {
      return logEntries(30).filter((e) => e.type === 'modem-config' && e.level === 30).map((e) => String(e.msg));
    }

    it('XBee3 TLS echo: brought from transparent to API mode once; the CA written as certs/demo-ca.pem and hash-checked, profile 1 server-verified, each line echoed on the socket the module numbered', async () => {
      await deployExample(XBEE3_ECHO);
      const device = xbee3Device(moduleOf('simulated XBee3 Cellular'))!;
      // The demo's module starts in transparent mode: the adapter switched it to API mode with escapes, saved, and said so once.
      assert.equal(configWarnings().filter((w) => XBEE3_API_MODE_WARNING.test(w)).length, 1, configWarnings().join(' | '));
      assert.equal(device.registers.num('AP'), 2);
      const echo = String(named(flow, 'debug', 'echo').id);
      press('start');
      const first = await atDebug('echo', (m) => m.topic === 'data', 20000);
      assert.match(first.text, /^Hello through the XBee3, \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
      assert.equal(first.socket, '0', 'the module numbers its sockets from 0');
      assert.deepEqual((await atDebug('sent')).payload, { socket: '0', bytes: Buffer.byteLength(first.text) });
      await statusOf(echo, (s) => String(s.text).startsWith('Hello through the XBee3'));
      // What the comment says the module was given: the CA as a plain file, profile 1 naming it alone, TLS 1.2 for every profile.
      const ca = device.flash.files().find((f) => f.path === '/flash/certs/demo-ca.pem');
      assert.ok(ca && !ca.secure, JSON.stringify(device.flash.files().map((f) => f.path)));
      assert.equal(ca.data!.toString('latin1').trim(), pki.ca.cert.trim());
      assert.equal(device.registers.str('$1'), 'demo-ca.pem;;');
      assert.equal(device.registers.num('TL'), 2);
      assert.equal(device.lastHandshake?.version, 'TLSv1.2');
      assert.equal(device.lastHandshake?.profile, 1);
      // A verified profile the module does as asked: nothing to warn about (SNI on, as the module sends it).
      await statusOf(String(named(flow, 'modem-tls-profile', '').id), (s) => s.fill === 'green' && /profile 1/.test(String(s.text)));

      press('send another line');
      assert.match((await atDebug('echo', (m) => m.topic === 'data')).text, /^Another line at /);
      press('close');
      assert.deepEqual((await atDebug('closed')).payload, { socket: '0', closed: true });
      assert.equal((await atDebug('echo', (msg) => msg.topic === 'closed')).text, '(connection 0 closed: closed by the flow)');
      // A second start finds the same CA on the module: nothing is written again.
      press('start');
      assert.match((await atDebug('echo', (m) => m.topic === 'data', 20000)).text, /^Hello through the XBee3/);
      await statusOf(String(named(flow, 'modem-load-cert', 'demo-ca.pem').id), (s) => /unchanged/.test(String(s.text)));
      assert.equal(probe.all(String(named(flow, 'debug', 'explained').id)).length, 0, 'nothing failed');
    });

    it('XBee3 mutual TLS: certificates by ATFS PUT, the key by ATFS XPUT (secure, size-checked, not verified), profile 2 with all three files; the mutual server sees the client certificate', async () => {
      await deployExample(XBEE3_MUTUAL);
      const device = xbee3Device(moduleOf('simulated XBee3 Cellular'))!;
      press('start');
      const got = await atDebug('echo', (m) => m.topic === 'data', 30000);
      assert.equal(got.text, 'Signed in with a client certificate\n');
      assert.equal(got.socket, '0');
      assert.match(servers.get(7444)!.lastClientCertSubject ?? '', /CN=modem-client/);
      const files = Object.fromEntries(device.flash.files().map((f) => [f.path, f.secure]));
      assert.deepEqual(files, { '/flash/certs/demo-ca.pem': false, '/flash/certs/demo-client.pem': false, '/flash/certs/demo-client.key': true });
      assert.equal(device.registers.str('$2'), 'demo-ca.pem;demo-client.pem;demo-client.key');
      assert.equal(device.lastHandshake?.profile, 2);
      // The key: stored, not verified (a secure file cannot be read back or hashed), and a warning that says so.
      const keyNode = String(named(flow, 'modem-load-cert', 'demo-client.key').id);
      await statusOf(keyNode, (s) => s.fill === 'green' && /^key demo-client\.key stored/.test(String(s.text)));
      assert.ok(
        logEntries(30).some((e) => e.id === keyNode && /uploaded as a secure file \(ATFS XPUT\): it cannot be read back, so only its size/.test(String(e.msg))),
        'the key node warns that only the size was checked',
      );
      await statusOf(String(named(flow, 'modem-load-cert', 'demo-client.pem').id), (s) => /✓ verified/.test(String(s.text)));

      press('files on the module');
      const listed = (await atDebug('files')).payload as Array<{ certType: string; name: string }>;
      assert.deepEqual(
        listed.map((item) => [item.certType, item.name]).sort(),
        [['ca', 'demo-ca.pem'], ['cert', 'demo-client.pem'], ['key', 'demo-client.key']],
      );
      press('close');
      assert.deepEqual((await atDebug('closed')).payload, { socket: '0', closed: true });
      assert.equal(probe.all(String(named(flow, 'debug', 'explained').id)).length, 0, 'nothing failed');
      // The key never reached a message, a status or the log.
      const keyBody = pki.client.key.split('\n')[1]!;
      assert.ok(!logEntries(99).some((e) => String(e.msg).includes(keyBody)), 'not in the log');
    });

    /** The tab labelled `label` of the deployed examples, and its nodes by type and name. */
    function tab(label: string): {
      node(type: string, name: string): FlowNode;
      press(name: string): void;
      debug(name: string, predicate?: (m: Msg) => boolean, timeoutMs?: number): Promise<Msg>;
      all(debugName: string): Msg[];
    } {
      const found = flow.find((n) => n.type === 'tab' && n.label === label);
      assert.ok(found, `a tab "${label}"`);
      const node = (type: string, name: string): FlowNode => {
        const on = flow.filter((n) => n.z === found.id && n.type === type && n.name === name);
        assert.equal(on.length, 1, `one ${type} "${name}" on "${label}"`);
        return on[0]!;
      };
      return {
        node,
        press: (name) => helper.getNode(String(node('inject', name).id)).receive({}),
        debug: (name, predicate, timeoutMs) => probe.next(String(node('debug', name).id), predicate, timeoutMs),
        all: (debugName) => probe.all(String(node('debug', debugName).id)),
      };
    }

    /** The load-cert nodes of the eS-WiFi provisioning tab: the three that only check, and the three that program. */
    function setNodes(programOneTime: boolean): FlowNode[] {
      const nodes = flow.filter((n) => n.type === 'modem-load-cert' && n.action === 'store' && n.programOneTime === programOneTime);
      assert.deepEqual(nodes.map((n) => [n.certType, n.name]), [['ca', '0'], ['cert', '0'], ['key', '0']]);
      return nodes;
    }

    const PROVISIONING_TAB = 'eS-WiFi: safe provisioning, verify then program';
    const ESWIFI_ECHO_TAB = 'eS-WiFi: TLS echo, server verified';

    it('eS-WiFi safe provisioning: the check is refused before a byte is sent while set 0 is not known to be programmed; the one-time nodes program CA, certificate and key; the check then gets a match, and nothing changes', async () => {
      await deployExample(ESWIFI_PROVISIONING);
      const module = moduleOf('simulated Inventek eS-WiFi');
      const device = eswifiDevice(module)!;
      const provisioning = tab(PROVISIONING_TAB);
      // The passphrase the example carries as a credential took the module onto the access point its config names.
      await until('the module to join the access point', () => device.joined?.ssid === DEMO_WIFI.ssid);

      // 1: only a check, and set 0 holds nothing this package knows of: refused here, nothing sent.
      provisioning.press('1 check set 0');
      const refused = await provisioning.debug('explained', undefined, 10000);
      assert.equal(refused.error.source.id, setNodes(false)[0]!.id, 'caught from the CA check');
      assert.deepEqual([refused.payload.vendor, refused.payload.category], ['eswifi', 'parameter']);
      assert.match(
        refused.payload.meaning,
        /^A value was refused before anything was sent to the modem: vendorOptions\.programOneTime: set 0 has no root CA this package knows of; writing one programs it for good \(only a complete firmware flash .*clears the sets\), so nothing was sent — to program it, tick "Program one-time set" on the load-cert node \(vendorOptions\.programOneTime true\)/,
      );
      assert.deepEqual(device.sets[0], {}, 'set 0 untouched');
      assert.deepEqual(module.log.filter((e) => e.line.startsWith('PG')), [], 'no PG sent');

      // 2: the nodes marked one-time program the three items, the certificate before its key.
      provisioning.press('2 program set 0 (for good)');
      const programmed = [await provisioning.debug('programmed', undefined, 10000), await provisioning.debug('programmed'), await provisioning.debug('programmed')];
      assert.deepEqual(
        programmed.map((m) => [m.payload.certType, m.payload.name, m.payload.verified, m.payload.unchanged, m.payload.warnings]),
        [['ca', '0', true, false, []], ['cert', '0', true, false, []], ['key', '0', true, false, []]],
      );
      assert.equal(device.sets[0]!.ca?.toString('latin1').trim(), pki.ca.cert.trim());
      assert.equal(device.sets[0]!.cert?.toString('latin1').trim(), pki.client.cert.trim());
      const spki = (key: string | Buffer): string => createPublicKey(createPrivateKey(key)).export({ type: 'spki', format: 'der' }).toString('base64');
      assert.equal(spki(device.sets[0]!.key!), spki(pki.client.key), 'the demo key, in set 0');
      for (const node of setNodes(true)) await statusOf(String(node.id), (s) => s.fill === 'green' && /✓ programmed/.test(String(s.text)));
      const held = { ...device.sets[0] };

      // 3: the same check as 1, now a match for each item; the module keeps what it held.
      const answers: Buffer[] = [];
      const listen = (data: Buffer): void => void answers.push(data);
      module.on('data', listen);
      provisioning.press('3 check again');
      const checked = [await provisioning.debug('checked', undefined, 10000), await provisioning.debug('checked'), await provisioning.debug('checked')];
      module.off('data', listen);
      assert.deepEqual(
        checked.map((m) => [m.payload.certType, m.payload.name, m.payload.verified, m.payload.unchanged]),
        [['ca', '0', true, true], ['cert', '0', true, true], ['key', '0', true, true]],
      );
      assert.equal(Buffer.concat(answers).toString('latin1').split('\r\nMatch\r\nOK\r\n> ').length - 1, 3, 'the module answered a match three times');
      assert.equal(module.log.filter((e) => e.line.startsWith('PG=0,')).length, 6, 'three PG to program, three to check');
      assert.deepEqual({ ...device.sets[0] }, held);
      for (const node of setNodes(false)) await statusOf(String(node.id), (s) => s.fill === 'green' && /unchanged/.test(String(s.text)));

      // What the package noted, which lets step 1 check from now on.
      provisioning.press('noted sets');
      const noted = (await provisioning.debug('noted')).payload as Array<{ certType: string; name: string; subject?: string }>;
      assert.deepEqual(noted.map((item) => [item.certType, item.name]), [['ca', '0'], ['cert', '0'], ['key', '0']]);
      assert.match(String(noted[1]!.subject), /CN=modem-client/);
      assert.equal(provisioning.all('explained').length, 1, 'only the refusal of step 1');
      // Neither the passphrase nor the key reached a message, a status or the log.
      const keyBody = pki.client.key.split('\n')[1]!;
      for (const said of logEntries(99).map((e) => String(e.msg))) {
        assert.ok(!said.includes(DEMO_WIFI.passphrase) && !said.includes(keyBody), said);
      }
    });

    /** Takes the deployed flows down, as a deploy of other flows would; the simulated modules stay as they are. */
    async function undeploy(): Promise<void> {
      await helper.unload();
      loaded = false;
    }

    it('eS-WiFi TLS echo: refused with "No Root CA In Set" while set 0 is empty; once the provisioning tab has programmed it, P9=2 verifies the echo server found by name (D0=localhost), and each line comes back', async () => {
      // Started before set 0 holds anything, as a user might: the profile warns, and the module refuses the start.
      await deployExample(ESWIFI_ECHO);
      const device = eswifiDevice(moduleOf('simulated Inventek eS-WiFi'))!;
      let echoTab = tab(ESWIFI_ECHO_TAB);
      const profileNode = String(echoTab.node('modem-tls-profile', '').id);
      echoTab.press('start');
      const refused = await echoTab.debug('explained', undefined, 15000);
      assert.equal(refused.error.source.id, echoTab.node('modem-tls-open', 'open to echo localhost:7443').id);
      assert.deepEqual([refused.payload.vendor, refused.payload.name, refused.payload.category], ['eswifi', 'No Root CA In Set', 'certificate']);
      assert.equal(refused.modemError.line, 'ERROR: No Root CA In Set');
      assert.ok(
        logEntries(30).some((e) => e.id === profileNode && /set 0 holds no root CA this package knows of: with P9=2 the module refuses every connection/.test(String(e.msg))),
        'the profile warned',
      );
      assert.ok(device.sockets.every((slot) => slot.connection === undefined), 'no socket left started');

      // The provisioning tab programs set 0 on the same module (the two tabs share its modem config).
      await undeploy();
      await deployExample(ESWIFI_PROVISIONING);
      const provisioning = tab(PROVISIONING_TAB);
      provisioning.press('2 program set 0 (for good)');
      for (let i = 0; i < 3; i++) assert.equal((await provisioning.debug('programmed', undefined, 10000)).payload.unchanged, false);
      await undeploy();

      await deployExample(ESWIFI_ECHO);
      echoTab = tab(ESWIFI_ECHO_TAB);
      echoTab.press('start');
      const first = await echoTab.debug('echo', (m) => m.topic === 'data', 15000);
      assert.match(first.text, /^Hello through the eS-WiFi, \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);
      assert.equal(first.socket, '0', 'the first free socket');
      assert.deepEqual((await echoTab.debug('sent')).payload, { socket: '0', bytes: Buffer.byteLength(first.text) });
      await statusOf(String(echoTab.node('debug', 'echo').id), (s) => String(s.text).startsWith('Hello through the eS-WiFi'));
      // What the comment says: set 0 and P9=2, the name looked up by the module, the chain checked against the set's CA.
      await statusOf(profileNode, (s) => s.fill === 'green' && /profile 0/.test(String(s.text)));
      const handshake = device.handshakes[device.handshakes.length - 1]!;
      assert.deepEqual(
        { set: handshake.set, verification: handshake.verification, verified: handshake.verified, outcome: handshake.outcome, host: handshake.host },
        { set: 0, verification: 2, verified: 'root-ca', outcome: 'connected', host: '127.0.0.1' },
      );
      assert.ok(moduleOf('simulated Inventek eS-WiFi').log.some((e) => e.line === 'D0=localhost'), 'the module looked the name up');

      echoTab.press('send another line');
      assert.match((await echoTab.debug('echo', (m) => m.topic === 'data')).text, /^Another line at /);
      echoTab.press('close');
      assert.deepEqual((await echoTab.debug('closed')).payload, { socket: '0', closed: true });
      assert.equal((await echoTab.debug('echo', (m) => m.topic === 'closed')).text, '(connection 0 closed: closed by the flow)');
      assert.equal(echoTab.all('explained').length, 0, 'nothing failed once set 0 was programmed');
    });
  });
});
