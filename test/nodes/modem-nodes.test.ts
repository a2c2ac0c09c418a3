/**
 * The config node and the first two flow nodes in a real Node-RED runtime (through
 * node-red-node-test-helper), against the simulated modem over TCP.
 */
import assert from 'node:assert/strict';
import helper, { loadFlow, nextMessage, startServer, stopServer, waitForStatus } from '../support/red-helper';
import { everythingSaid, statusesOf, until } from '../support/flow-probe';
import { CmeError, createEswifiModem, createGenericModem, eswifiDevice, listenTcp, type SimulatedModem } from '../../src/simulator';
import { freePort } from '../../scripts/ports';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const configNode = require('../../src/nodes/modem-config');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const atCommandNode = require('../../src/nodes/modem-at-command');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const eventNode = require('../../src/nodes/modem-event');

// The Catch node comes from the runtime under test: node-red-node-test-helper preloads it.
const NODES = [configNode, atCommandNode, eventNode];

interface Server {
  port: number;
  close(): Promise<void>;
  unplug(): void;
}

function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'cfg',
    type: 'modem-config',
    vendor: 'telit',
    platform: '30',
    transport: 'tcp',
    host: '127.0.0.1',
    tcpPort: String(server.port),
    commandTimeout: 1000,
    ...extra,
  };
}

function atFlow(extra: Record<string, unknown> = {}, cfgExtra: Record<string, unknown> = {}): Record<string, unknown>[] {
  return [
    { id: 'flow', type: 'tab', label: 'test' },
    config(cfgExtra),
    { id: 'at', z: 'flow', x: 0, y: 0, type: 'modem-at-command', modem: 'cfg', wires: [['out']], ...extra },
    { id: 'out', z: 'flow', x: 0, y: 0, type: 'helper' },
    { id: 'catch', z: 'flow', x: 0, y: 0, type: 'catch', scope: ['at'], wires: [['caught']] },
    { id: 'caught', z: 'flow', x: 0, y: 0, type: 'helper' },
  ];
}

let modem: SimulatedModem;
let server: Server;

describe('modem nodes in Node-RED', function () {
  this.timeout(15000);

  before(startServer);
  after(stopServer);

  beforeEach(async () => {
    modem = createGenericModem({ profile: { manufacturer: 'Telit', model: 'ME910C1-WW' } });
    server = await listenTcp(modem, { host: '127.0.0.1', port: 0 });
  });

  afterEach(async () => {
    await helper.unload();
    await server.close();
  });

  describe('modem-config', () => {
    it('connects, turns echo off and numeric errors on, and reports ready on its flow nodes', async () => {
      await loadFlow(NODES, atFlow());
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready' && s.fill === 'green');
      const lines = modem.log.map((entry) => entry.line);
      assert.ok(lines.includes('AT'), `the modem was not probed with AT: ${lines.join(' | ')}`);
      assert.ok(lines.indexOf('ATE0') < lines.indexOf('AT+CMEE=1'), 'echo off then numeric errors');
    });

    it('a fleet of gateways: ${VAR} in the host and port, and in the APN password credential, comes from the environment', async () => {
      process.env.MODEM_TLS_TEST_HOST = '127.0.0.1';
      process.env.MODEM_TLS_TEST_PORT = String(server.port);
      process.env.MODEM_TLS_TEST_APN_PASSWORD = 'per-gateway-secret-77';
      try {
        // tcpPort and host as Node-RED substitutes them; the credential as modem-config does.
        await loadFlow(NODES, atFlow({}, { host: '${MODEM_TLS_TEST_HOST}', tcpPort: '${MODEM_TLS_TEST_PORT}' }), { cfg: { apnUser: 'fleet', apnPassword: '${MODEM_TLS_TEST_APN_PASSWORD}' } });
        await waitForStatus(helper.getNode('at'), (s) => s.text === 'ready');
        const options = (helper.getNode('cfg') as unknown as { modem: { link: { status: { endpoint: string } } } }).modem.link.status;
        assert.equal(options.endpoint, `127.0.0.1:${server.port}`);
        const adapter = (helper.getNode('cfg') as unknown as { modem: { adapter: { options: { apnUser?: string; apnPassword?: string } } } }).modem.adapter;
        assert.equal(adapter.options.apnUser, 'fleet');
        assert.equal(adapter.options.apnPassword, 'per-gateway-secret-77');
      } finally {
        delete process.env.MODEM_TLS_TEST_HOST;
        delete process.env.MODEM_TLS_TEST_PORT;
        delete process.env.MODEM_TLS_TEST_APN_PASSWORD;
      }
    });

    it('a Wi-Fi module (eS-WiFi): SSID, security and passphrase reach the connection and the module joins; the passphrase shows in no status or log', async () => {
      const PASSPHRASE = 'wifi-pass-Qx7-5512';
      const wifiModem = createEswifiModem({ networks: [{ ssid: 'Grove Island', passphrase: PASSPHRASE, security: 3 }], joinDelayMs: 20 });
      const wifiServer = await listenTcp(wifiModem, { host: '127.0.0.1', port: 0 });
      try {
        const cfg = { vendor: 'eswifi', platform: '', tcpPort: String(wifiServer.port), wifiSsid: 'Grove Island', wifiSecurity: 'wpa2', traceAt: true };
        await loadFlow(NODES, atFlow({}, cfg), { cfg: { wifiPassphrase: PASSPHRASE } });
        const node = helper.getNode('cfg') as unknown as { problem: string | null; modem: { options: { wifi?: unknown }; adapter: { options: { wifi?: unknown } } } | null };
        assert.equal(node.problem, null);
        const wifi = { ssid: 'Grove Island', security: 'wpa2', passphrase: PASSPHRASE };
        assert.deepEqual(node.modem?.options.wifi, wifi);
        assert.deepEqual(node.modem?.adapter.options.wifi, wifi);
        // The module joined with it: the passphrase went all the way, under the AT trace.
        await until('the module joined', () => eswifiDevice(wifiModem)?.joined?.ssid === 'Grove Island');
        await waitForStatus(helper.getNode('at'), (s) => s.text === 'ready');
        const traced = everythingSaid().filter((s) => s.where === 'log by cfg').map((s) => s.text);
        // The SSID goes as it is (eS-WiFi values are not quoted); the passphrase is masked.
        assert.ok(traced.includes('→ C1=Grove Island'), `the SSID command is traced as sent: ${traced.join(' | ')}`);
        assert.ok(traced.includes('→ C2=***'), `the passphrase command is traced, masked: ${traced.join(' | ')}`);
        assert.deepEqual(everythingSaid().filter((s) => s.text.includes(PASSPHRASE)), [], 'the passphrase reached the runtime');
        assert.ok(statusesOf('at').every((st) => !String(st.text).includes(PASSPHRASE)));
      } finally {
        await helper.unload();
        await wifiServer.close();
      }
    });

    it('a Wi-Fi passphrase that does not fit the security: the modem-config says which field and rule, never the passphrase', async () => {
      const PASSPHRASE = 'short-9';
      await loadFlow(NODES, atFlow({}, { vendor: 'eswifi', platform: '', wifiSsid: 'Grove Island', wifiSecurity: 'wpa-wpa2' }), { cfg: { wifiPassphrase: PASSPHRASE } });
      const cfg = helper.getNode('cfg') as unknown as { problem: string | null; modem: unknown };
      assert.equal(cfg.modem, null);
      assert.match(cfg.problem ?? '', /^wifiPassphrase: is shorter than 8 characters: a WPA\/WPA2 passphrase is 8\.\.63 printable ASCII characters, or exactly 64 hex digits$/);
      await waitForStatus(helper.getNode('at'), (s) => s.fill === 'red');
      assert.ok(everythingSaid().some((s) => s.where === 'error by cfg' && s.text.includes('wifiPassphrase')), 'the problem is logged');
      assert.deepEqual(everythingSaid().filter((s) => s.text.includes(PASSPHRASE)), [], 'the passphrase reached the runtime');
    });

    it('sends the init commands after the dialect’s own, skipping comment lines', async () => {
      await loadFlow(NODES, atFlow({}, { initCommands: '# set the clock format\nAT+CGMI\n\n  AT+CGMM  ' }));
      await waitForStatus(helper.getNode('at'), (s) => s.text === 'ready');
      const lines = modem.log.map((entry) => entry.line);
      const from = lines.indexOf('AT+CMEE=1');
      assert.deepEqual(lines.slice(from, from + 3), ['AT+CMEE=1', 'AT+CGMI', 'AT+CGMM']);
    });

    it('an unknown vendor: the flow node shows it and fails its messages naming the field', async () => {
      await loadFlow(NODES, atFlow({}, { vendor: 'nokia' }));
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.fill === 'red' && /vendor/.test(s.text ?? ''));
      const caught = nextMessage(helper.getNode('caught'));
      at.receive({ payload: 'ATI' });
      const msg = await caught;
      assert.equal(msg.modemError.kind, 'PARAMETER');
      assert.equal(msg.modemError.field, 'modem');
      assert.match(msg.error.message, /"nokia" is not a supported vendor/);
    });

    it('a serial port that does not exist: status says so; a command waits the configured time, then fails with LINK_DOWN and the reason; Node-RED keeps running', async () => {
      await loadFlow(NODES, atFlow({}, { transport: 'serial', port: '/dev/ttyMODEMTLS_DOES_NOT_EXIST', baudRate: 115200, readyTimeout: 0.5 }));
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => /not found/.test(s.text ?? ''));
      const caught = nextMessage(helper.getNode('caught'));
      at.receive({ payload: 'ATI' });
      await waitForStatus(at, (s) => /^waiting for the modem/.test(s.text ?? ''));
      const msg = await caught;
      assert.equal(msg.modemError.kind, 'LINK_DOWN');
      assert.match(msg.error.message, /modem \/dev\/ttyMODEMTLS_DOES_NOT_EXIST @ 115200 8N1 was not ready within 500 ms: serial port \/dev\/ttyMODEMTLS_DOES_NOT_EXIST not found \(reconnecting\)$/);
    });

    it('a message at deploy time waits for the modem: a serial server that accepts only after 2 s, then the command runs after the modem is brought up', async function () {
      this.timeout(20000);
      // A port nobody listens on yet: the link is refused, retries, and gets through once the listener is up.
      const port = await freePort();
      await server.close();
      const late = setTimeout(() => {
        void listenTcp(modem, { host: '127.0.0.1', port }).then((s) => (server = s));
      }, 2000);
      try {
        await loadFlow(NODES, atFlow({}, { tcpPort: String(port) }));
        const out = nextMessage(helper.getNode('out'), 15000);
        helper.getNode('at').receive({ payload: 'AT+CGMM' });
        const msg = await out;
        assert.deepEqual(msg.payload, ['ME910C1-WW']);
        const lines = modem.log.map((e) => e.line);
        assert.ok(lines.indexOf('AT+CMEE=1') >= 0 && lines.indexOf('AT+CMEE=1') < lines.indexOf('AT+CGMM'), lines.join(' | '));
      } finally {
        clearTimeout(late);
      }
    });

    it('a message waiting for the modem goes with its node: one stopped meanwhile (a modified-nodes deploy) sends nothing to the modem and nothing on', async function () {
      this.timeout(20000);
      const port = await freePort();
      await server.close();
      await loadFlow(NODES, atFlow({}, { tcpPort: String(port) }));
      const at = helper.getNode('at');
      let sentOn = 0;
      helper.getNode('out').on('input', () => sentOn++);
      at.receive({ payload: 'AT+CGMM' });
      await waitForStatus(at, (st) => /waiting/.test(st.text ?? ''), 5000);
      await at.close(false);
      server = await listenTcp(modem, { host: '127.0.0.1', port });
      await modem.waitForCommand(/^AT\+CMEE=1$/, 10000);
      // Barriers: the config's own commands go through the same queue, the second one surely after
      // anything the waiting message would have queued once the modem was ready.
      const config = helper.getNode('cfg') as unknown as { modem: { command(line: string): Promise<unknown> } };
      await config.modem.command('AT');
      await config.modem.command('AT');
      assert.ok(!modem.log.some((e) => e.line === 'AT+CGMM'), modem.log.map((e) => e.line).join(' | '));
      assert.equal(sentOn, 0);
      assert.equal(at.error.getCalls().length, 0, 'a redeploy is not a failure of the flow');
    });

    it('a modem that answers its first AT late: a message sent at deploy gets its own answer, after the bring-up', async () => {
      modem.faults.delayReplies(1500);
      void modem.waitForCommand(/^AT$/, 5000).then(() => setTimeout(() => modem.faults.delayReplies(0), 100));
      await loadFlow(NODES, atFlow());
      const out = nextMessage(helper.getNode('out'), 10000);
      helper.getNode('at').receive({ payload: 'AT+CGMM' });
      const msg = await out;
      assert.deepEqual(msg.payload, ['ME910C1-WW']);
      const lines = modem.log.map((e) => e.line);
      assert.ok(lines.indexOf('ATE0') < lines.indexOf('AT+CGMM'), lines.join(' | '));
    });

    it('a baud rate outside the standard list is refused before the port is touched', async () => {
      await loadFlow(NODES, atFlow({}, { transport: 'serial', port: '/dev/ttyS0', baudRate: 12345 }));
      await waitForStatus(helper.getNode('at'), (s) => s.fill === 'red' && /baudRate/.test(s.text ?? ''));
    });

    it('a modem that never answers: status "modem not responding"', async () => {
      modem.faults.mute(true);
      await loadFlow(NODES, atFlow());
      await waitForStatus(helper.getNode('at'), (s) => s.text === 'modem not responding' && s.fill === 'red', 10000);
    });

    it('the link drops: flow nodes show reconnecting, then ready again once the modem is back', async () => {
      await loadFlow(NODES, atFlow());
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready');
      server.unplug();
      await waitForStatus(at, (s) => s.fill === 'yellow' && /retry/.test(s.text ?? ''));
      await waitForStatus(at, (s) => s.text === 'ready', 10000);
    });

    it('redeploy while a command is in flight: the command ends, the port closes, nothing hangs', async () => {
      await loadFlow(NODES, atFlow({ timeout: 60000 }));
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready');
      modem.faults.mute(true);
      at.receive({ payload: 'AT+CGMI' });
      await modem.waitForCommand(/^AT\+CGMI$/, 2000);
      const started = Date.now();
      await helper.unload();
      assert.ok(Date.now() - started < 5000, `close took ${Date.now() - started} ms`);
      // The in-flight command ended quietly (a redeploy is not a failure of the flow).
      const errors = at.error.getCalls?.() ?? [];
      assert.deepEqual(errors.map((c: { args: unknown[] }) => String(c.args[0])), []);
      // And the modem saw the link close: a new client can connect at once.
      const again = await loadFlow(NODES, atFlow()).then(() => helper.getNode('at'));
      modem.faults.mute(false);
      await waitForStatus(again, (s) => s.text === 'ready', 8000);
    });

    it('serves the serial-port list to the editor', async () => {
      await loadFlow(NODES, atFlow());
      const res = await helper.request().get('/modem-tls/serial-ports').expect(200);
      assert.ok(Array.isArray(res.body));
      for (const port of res.body) {
        assert.equal(typeof port.path, 'string');
        assert.equal(typeof port.label, 'string');
      }
    });
  });

  describe('modem-at-command', () => {
    it('sends msg.payload and outputs the answer lines and the final result code', async () => {
      await loadFlow(NODES, atFlow());
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready');
      const out = nextMessage(helper.getNode('out'));
      at.receive({ payload: 'AT+CGMM' });
      const msg = await out;
      assert.deepEqual(msg.payload, ['ME910C1-WW']);
      assert.equal(msg.final, 'OK');
      assert.equal(msg.command, 'AT+CGMM');
    });

    it('uses the node’s command when msg.payload is not text (an inject timestamp)', async () => {
      await loadFlow(NODES, atFlow({ command: 'AT+CGMI' }));
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready');
      const out = nextMessage(helper.getNode('out'));
      at.receive({ payload: Date.now() });
      assert.deepEqual((await out).payload, ['Telit']);
    });

    it('a command with an embedded CR is refused naming the field, and nothing reaches the modem', async () => {
      await loadFlow(NODES, atFlow());
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready');
      const before = modem.log.length;
      const caught = nextMessage(helper.getNode('caught'));
      at.receive({ payload: 'AT+CGMI\rAT+CFUN=0' });
      const msg = await caught;
      assert.equal(msg.modemError.kind, 'PARAMETER');
      assert.equal(msg.modemError.field, 'msg.payload', 'the line came in msg.payload');
      assert.match(msg.error.message, /carriage return/);
      // A command sent now is logged after anything that was on its way: only it may follow.
      await (helper.getNode('cfg') as unknown as { modem: { command(line: string): Promise<unknown> } }).modem.command('AT');
      assert.deepEqual(modem.log.slice(before).map((e) => e.line), ['AT']);
    });

    it('an ERROR answer fails the message with msg.modemError for a Catch node', async () => {
      await loadFlow(NODES, atFlow());
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready');
      const caught = nextMessage(helper.getNode('caught'));
      at.receive({ payload: 'AT+NOSUCHCOMMAND' });
      const msg = await caught;
      assert.deepEqual(
        { vendor: msg.modemError.vendor, code: msg.modemError.code, command: msg.modemError.command, line: msg.modemError.line },
        { vendor: 'telit', code: 'ERROR', command: 'AT+NOSUCHCOMMAND', line: 'ERROR' },
      );
      await waitForStatus(at, (s) => s.fill === 'red');
    });

    it('+CME ERROR in numeric form carries the number', async () => {
      await loadFlow(NODES, atFlow());
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready');
      const caught = nextMessage(helper.getNode('caught'));
      at.receive({ payload: 'AT+CCLK="not a date"' });
      const msg = await caught;
      assert.equal(msg.modemError.kind, 'CME');
      assert.equal(msg.modemError.code, 50);
    });

    it('a command that gets no answer fails with TIMEOUT after msg.timeout, and the next command works', async () => {
      await loadFlow(NODES, atFlow());
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready');
      modem.faults.dropNextReplies(1);
      const caught = nextMessage(helper.getNode('caught'));
      at.receive({ payload: 'AT+CGMI', timeout: 300 });
      const msg = await caught;
      assert.equal(msg.modemError.kind, 'TIMEOUT');
      assert.match(msg.error.message, /AT\+CGMI: no final result code within 300 ms/);
      const out = nextMessage(helper.getNode('out'));
      at.receive({ payload: 'AT+CGMM' });
      assert.deepEqual((await out).payload, ['ME910C1-WW']);
    });

    it('msg.timeout outside its range is refused naming the field', async () => {
      await loadFlow(NODES, atFlow());
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready');
      const caught = nextMessage(helper.getNode('caught'));
      at.receive({ payload: 'ATI', timeout: 5 });
      const msg = await caught;
      assert.equal(msg.modemError.field, 'timeout');
    });

    it('secrets in a command never reach the trace log, msg.command or the error', async () => {
      await loadFlow(NODES, atFlow({}, { vendor: 'ublox', traceAt: true }));
      const at = helper.getNode('at');
      await waitForStatus(at, (s) => s.text === 'ready');
      const caught = nextMessage(helper.getNode('caught'));
      at.receive({ payload: 'AT+USECPRF=0,9,"hunter2"' });
      const msg = await caught;
      assert.equal(msg.modemError.command, 'AT+USECPRF=0,9,"***"');
      assert.doesNotMatch(JSON.stringify(msg.modemError), /hunter2/);
      assert.doesNotMatch(msg.error.message, /hunter2/);
      const cfg = helper.getNode('cfg');
      const logged = (cfg.log.getCalls?.() ?? []).map((c: { args: unknown[] }) => String(c.args[0]));
      assert.ok(logged.some((l: string) => l.includes('AT+USECPRF=0,9,"***"')), 'the command is traced, masked');
      assert.ok(logged.every((l: string) => !l.includes('hunter2')));
      assert.equal(msg.payload, 'AT+USECPRF=0,9,"***"');
    });

    describe('a SIM PIN on the command line (27.007 +CPIN, masked for every vendor)', () => {
      const PIN = '8642';
      // The PIN as a parameter value: never next to another letter or digit (a random TCP port
      // such as 38642, or a message id, is not a leak).
      const LEAK = /(?<![0-9A-Za-z])8642(?![0-9A-Za-z])/;

      /** Every text the runtime saw (messages, statuses, node logs with the AT trace, RED.log), checked for the PIN. */
      function assertNothingSaidHasPin(): void {
        const leaks = everythingSaid().filter((s) => LEAK.test(s.text));
        assert.deepEqual(leaks, [], 'the PIN reached the runtime');
        assert.ok(statusesOf('at').every((st) => !LEAK.test(String(st.text))));
      }

      /** The AT trace ran over the command, masked: a leak there would have shown. */
      function assertTraced(masked: string): void {
        const traced = everythingSaid().filter((s) => s.where === 'log by cfg').map((s) => s.text);
        assert.ok(traced.some((t) => t.includes(masked)), `the trace shows ${masked}: ${traced.join(' | ')}`);
      }

      for (const [typed, masked] of [[`AT+CPIN="${PIN}"`, 'AT+CPIN="***"'], [`AT+CPIN=${PIN}`, 'AT+CPIN=***']] as const) {
        it(`${typed} refused by the SIM: nothing the Catch node, the status or the trace gets holds the PIN`, async () => {
          modem.register('+CPIN', { write: () => { throw new CmeError(16, 'incorrect password'); } });
          await loadFlow(NODES, atFlow({}, { traceAt: true }));
          const at = helper.getNode('at');
          await waitForStatus(at, (s) => s.text === 'ready');
          const caught = nextMessage(helper.getNode('caught'));
          at.receive({ payload: typed });
          const msg = await caught;
          // The modem got the real line.
          assert.ok(modem.log.some((entry) => entry.line === typed), 'the PIN was sent');
          assert.equal(msg.modemError.kind, 'CME');
          assert.equal(msg.modemError.code, 16);
          assert.equal(msg.modemError.command, masked);
          assert.equal(msg.payload, masked);
          assert.doesNotMatch(JSON.stringify(msg), LEAK);
          assert.doesNotMatch(msg.error.message, LEAK);
          await waitForStatus(at, (s) => s.fill === 'red');
          assertTraced(masked);
          assertNothingSaidHasPin();
        });

        it(`${typed} accepted: the output carries the answer and the masked command, never the PIN`, async () => {
          modem.register('+CPIN', { write: () => undefined });
          await loadFlow(NODES, atFlow({}, { traceAt: true }));
          const at = helper.getNode('at');
          await waitForStatus(at, (s) => s.text === 'ready');
          const out = nextMessage(helper.getNode('out'));
          at.receive({ payload: typed });
          const msg = await out;
          assert.deepEqual(msg.payload, []);
          assert.equal(msg.final, 'OK');
          assert.equal(msg.command, masked);
          assert.doesNotMatch(JSON.stringify(msg), LEAK);
          assertTraced(masked);
          assertNothingSaidHasPin();
        });
      }

      it('a message failed before any modem exists (unknown vendor) reaches the Catch node masked too', async () => {
        await loadFlow(NODES, atFlow({}, { vendor: 'nokia' }));
        const at = helper.getNode('at');
        await waitForStatus(at, (s) => s.fill === 'red');
        const caught = nextMessage(helper.getNode('caught'));
        at.receive({ payload: `at+cmee=1;+cpin = ${PIN}` });
        const msg = await caught;
        assert.equal(msg.modemError.field, 'modem');
        assert.equal(msg.payload, 'at+cmee=1;+cpin = ***');
        assertNothingSaidHasPin();
      });
    });
  });

  describe('modem-event', () => {
    function eventFlow(topics = ''): Record<string, unknown>[] {
      return [
        { id: 'flow', type: 'tab', label: 'test' },
        config(),
        { id: 'ev', z: 'flow', x: 0, y: 0, type: 'modem-event', modem: 'cfg', topics, wires: [['out']] },
        { id: 'out', z: 'flow', x: 0, y: 0, type: 'helper' },
      ];
    }

    it('outputs every URC with its name, parsed fields and raw line', async () => {
      await loadFlow(NODES, eventFlow());
      await waitForStatus(helper.getNode('ev'), (s) => s.text === 'ready');
      const out = nextMessage(helper.getNode('out'));
      modem.emitUrc('+CREG: 1,"00C3","0000B3A2",7');
      const msg = await out;
      assert.equal(msg.topic, '+CREG');
      assert.deepEqual(msg.payload, [1, '00C3', '0000B3A2', 7]);
      assert.equal(msg.raw, '+CREG: 1,"00C3","0000B3A2",7');
    });

    it('a URC that arrives while a command runs goes to modem-event, not into the at-command answer', async () => {
      await loadFlow(NODES, [
        ...eventFlow(),
        { id: 'at', z: 'flow', x: 0, y: 0, type: 'modem-at-command', modem: 'cfg', wires: [['answer']] },
        { id: 'answer', z: 'flow', x: 0, y: 0, type: 'helper' },
      ]);
      await waitForStatus(helper.getNode('ev'), (s) => s.text === 'ready');
      const event = nextMessage(helper.getNode('out'));
      const answer = nextMessage(helper.getNode('answer'));
      modem.faults.delayReplies(150);
      helper.getNode('at').receive({ payload: 'AT+CGMM' });
      await modem.waitForCommand(/^AT\+CGMM$/, 2000);
      modem.faults.garbage('\r\n+CREG: 5\r\n');
      assert.deepEqual((await answer).payload, ['ME910C1-WW']);
      const msg = await event;
      assert.deepEqual([msg.topic, msg.raw, msg.known], ['+CREG', '+CREG: 5', true]);
    });

    it('passes only the listed topics', async () => {
      await loadFlow(NODES, eventFlow('creg, #SSLSRING'));
      await waitForStatus(helper.getNode('ev'), (s) => s.text === 'ready');
      const out = helper.getNode('out');
      const seen: string[] = [];
      // URCs arrive in order: once a last one that passes is out, the ones before it were judged.
      const last = new Promise<void>((resolve) => out.on('input', (msg: Record<string, any>) => {
        seen.push(msg.raw);
        if (msg.raw === '+CREG: 1') resolve();
      }));
      modem.emitUrc('RING');
      modem.emitUrc('+CREG: 5');
      modem.emitUrc('SSLSRING: 1,20');
      modem.emitUrc('+CREG: 1');
      await last;
      assert.deepEqual(seen, ['+CREG: 5', 'SSLSRING: 1,20', '+CREG: 1']);
    });

    it('a Telit SSLSRING with inline data delivers the bytes as msg.data', async () => {
      await loadFlow(NODES, eventFlow());
      await waitForStatus(helper.getNode('ev'), (s) => s.text === 'ready');
      const out = nextMessage(helper.getNode('out'));
      const data = Buffer.from('OK\r\nNO CARRIER\r\n\x00\xff', 'latin1');
      modem.emitRaw(Buffer.concat([Buffer.from(`\r\nSSLSRING: 1,${data.length},`), data, Buffer.from('\r\n')]));
      const msg = await out;
      assert.equal(msg.topic, 'SSLSRING');
      assert.deepEqual(msg.payload, { socket: 1, length: data.length });
      assert.ok(Buffer.isBuffer(msg.data) && msg.data.equals(data));
    });
  });
});
