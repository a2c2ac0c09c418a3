/**
 * The example flows, as a user gets them: each `examples/<folder>/*.json` imported unchanged into a real
 * Node-RED with the core nodes it uses, each of its `modem-config`s pointed at the simulated module
 * the demo runs on the port that config names (over TCP, as ser2net would expose one: Telit on
 * 7001, the Fibocom L610s on 7003 and 7004, the XBee3 on 7005), the TLS servers of the demo on the
 * ports the flows' tls-open nodes name, and a working directory holding the `demo-pki/` files the file-in nodes
 * read. Each example must deploy without a load or config error, and do what its comment says.
 * (The u-blox examples run in test/unit/adapters/ublox-examples.test.ts.)
 *
 * The only edits to a flow: each modem-config's `tcpPort` (its simulator's), and — only when a
 * demo port is taken on this machine — that tls-open's `port`, moved to a free one.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import helper, { startServer, stopServer } from '../support/red-helper';
import { coreNodeModules, deploy, LOADABLE_CORE_TYPES, logEntries, modemReady, Probe, statusOf, statusesOf, type FlowNode, type Msg } from '../support/flow-probe';
import { exampleFiles as listExamples, readExample } from '../support/examples';
import { createFibocomModem, createTelitModem, createUbloxModem, fibocomDevice, listenTcp, xbee3Device, type SimulatedModem, type TcpEndpoint } from '../../src/simulator';
import { createTestPki, type TestPki } from '../../src/simulator/pki';
import { createDemoXbee3Modem } from '../../scripts/demo';
import { startTlsEchoServer, type TlsEchoServer, type TlsEchoServerOptions } from '../../src/simulator/tls-servers';

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
};

const exampleFiles = listExamples();

/** The examples these tests run, by path under `examples/`. */
const AT_COMMANDS = 'modem/AT commands and events.json';
const TELIT_ECHO = 'telit/1 TLS echo, server verified.json';
const TELIT_MUTUAL = 'telit/2 Mutual TLS.json';
const TELIT_ERRORS = 'telit/3 Errors explained with error-decode.json';
const FIBOCOM_ECHO = 'fibocom/1 TLS echo, server verified, clock synced.json';
const FIBOCOM_ERRORS = 'fibocom/2 Errors explained with GTSSLERR.json';
const XBEE3_ECHO = 'xbee3/1 TLS echo, server verified.json';
const XBEE3_MUTUAL = 'xbee3/2 Mutual TLS, key written write-only.json';

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
    let workDir: string;
    let previousDir: string;
    let loaded = false;
    let flow: FlowNode[];
    let probe: Probe;

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
    });

    afterEach(async () => {
      if (loaded) await helper.unload();
      loaded = false;
      await Promise.allSettled([...servers.values()].map((s) => s.close()));
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
      for (const node of flow) {
        if (node.type === 'modem-config') {
          const canonical = Number(node.tcpPort);
          const create = DEMO_MODEMS[canonical];
          assert.ok(create, `${file}: modem-config "${String(node.name)}" connects to ${canonical}, which is not a demo modem port`);
          if (!modems.has(canonical)) {
            const modem = create();
            modems.set(canonical, { modem, endpoint: await listenTcp(modem, { host: '127.0.0.1', port: 0 }) });
          }
          node.tcpPort = String(modems.get(canonical)!.endpoint.port);
          moduleOfConfig.set(String(node.name), modems.get(canonical)!.modem);
        }
        if (node.type !== 'modem-tls-open') continue;
        const port = Number(node.port);
        const options = DEMO_SERVERS[port];
        assert.ok(options, `${file}: tls-open "${String(node.name)}" connects to ${port}, which is not a demo server port`);
        if (!servers.has(port)) servers.set(port, await demoServer(port, options(pki)));
        node.port = String(servers.get(port)!.port);
      }
      const types = new Set(flow.map((n) => String(n.type)));
      await deploy([...OUR_NODES, ...coreNodeModules(types)], flow);
      loaded = true;
      probe = new Probe(flow.filter((n) => n.type === 'debug').map((n) => String(n.id)));
      const problems = (): string[] => [
        // Errors from anywhere; warnings from the flow's nodes (the helper warns about itself), but the XBee3's switch to API mode.
        ...logEntries(30)
          .filter((e) => (e.level as number) <= 20 || (e.id !== undefined && !(e.type === 'modem-config' && XBEE3_API_MODE_WARNING.test(String(e.msg)))))
          .map((e) => `log (${String(e.type ?? 'runtime')}): ${String(e.msg)}`),
        ...flow.flatMap((n) => statusesOf(String(n.id)).filter((s) => s.fill === 'red').map((s) => `status of ${String(n.id)}: ${String(s.text)}`)),
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
      // Every modem node mirrors its modem: all say ready.
      for (const node of flow.filter((n) => String(n.type).startsWith('modem-') && !['modem-config', 'modem-error-decode'].includes(String(n.type)))) {
        await statusOf(String(node.id), (s) => s.fill === 'green' && s.text === 'ready');
      }
      assert.deepEqual(problems(), [], `${file} deployed with errors`);
      return flow;
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
  });
});
