/**
 * One modem shared by several flows, and the modem's life around them: what two messages at once
 * do to each other, what a lost link leaves behind, and what a redeploy closes. Real Node-RED, the
 * real `serialport` on a pseudo-terminal, simulated Telit and u-blox modules with real TLS; the
 * modules' command logs are the witness of what reached the wire and in which order.
 */
import assert from 'node:assert/strict';
import helper from '../support/red-helper';
import { everythingSaid, modemReady, onTab, until, type FlowNode, type Msg } from '../support/flow-probe';
import { flowSuite, tlsChain, type ChainSetup } from '../support/e2e-flows';
import type { ModemRig } from '../support/modem-rig';
import { startTelitRig } from '../support/telit-rig';
import { startUbloxRig } from '../support/ublox-rig';
import { ALL_NODES, coreNode } from '../support/nodes';

const OUTPUTS = ['loaded', 'loadedCert', 'applied', 'opened', 'sent', 'received', 'closed', 'answer', 'caught'] as const;

/** Each vendor's chain on `cfg`, its outputs to helper nodes named after OUTPUTS, and no error-decode. */
const CHAINS: Record<'telit' | 'ublox', ChainSetup> = {
  telit: { load: { name: '1', format: 'auto' }, profile: { profile: '1', ca: '1', hostname: '', alpn: '' }, outputs: OUTPUTS, errorDecode: false },
  ublox: { load: { name: 'demo-ca', format: 'auto' }, profile: { profile: '0', ca: 'demo-ca', hostname: '', alpn: '' }, outputs: OUTPUTS, errorDecode: false },
};

/** The flow nodes of a TLS chain on `cfg`, wired to helper nodes named after OUTPUTS. */
function chain(o: { vendor: 'telit' | 'ublox'; port: number; extra?: FlowNode[] }): FlowNode[] {
  return tlsChain(CHAINS[o.vendor], o);
}

describe('one modem, several flows: atomic operations, lost links and redeploys', function () {
  this.timeout(30000);
  const e2e = flowSuite<ModemRig>({ tab: 'shared modem', outputs: OUTPUTS, config: { readyTimeout: 20 } });
  const { provision } = e2e;
  let flow: unknown[] = [];

  async function start(nodes: FlowNode[], cfg: Record<string, unknown> = {}): Promise<void> {
    flow = await e2e.start(nodes, cfg);
  }

  /** Deploys `next` as Node-RED's editor would (`full`, `flows` or `nodes`), and watches the new nodes. */
  async function redeploy(next: unknown[], type: 'full' | 'flows' | 'nodes'): Promise<void> {
    await (helper as unknown as { setFlows(f: unknown[], t: string): Promise<void> }).setFlows(next, type).catch((err: Error) => {
      // The helper waits only 300 ms for `flows:started`; closing connections first takes longer.
      if (!/timeout waiting event/.test(err.message)) throw err;
    });
    flow = next;
    await modemReady('cfg', 15000);
    e2e.watch();
  }

  function lines(): string[] {
    return e2e.rig.modem.log.map((e) => e.line);
  }
  describe('atomic operations', () => {
    it('u-blox: two tls-open at once on one profile, to two hosts — each connect is verified against its own host name (both orders, five times)', async () => {
      const r = e2e.use(startUbloxRig());
      const a = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      const b = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await start(chain({ vendor: 'ublox', port: a.port }));
      await provision();
      const targets = [{ host: 'localhost', port: a.port }, { host: '127.0.0.1', port: b.port }];
      for (let round = 0; round < 5; round++) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) helper.getNode('open').receive(target);
        const opened = [await e2e.probe.next('opened'), await e2e.probe.next('opened')];
        assert.deepEqual(opened.map((m) => m.payload.host).sort(), ['127.0.0.1', 'localhost']);
        for (const m of opened) await e2e.probe.run('close', { socket: m.socket }, 'closed');
      }
      // The witness: replay the module's log; at every connect, op 4 (the name the server
      // certificate is checked against) holds the host of that very connect.
      let expected: string | undefined;
      let connects = 0;
      for (const line of lines()) {
        const op4 = /^AT\+USECPRF=0,4,"([^"]*)"$/.exec(line);
        if (op4) expected = op4[1];
        const connect = /^AT\+USOCO=\d+,"([^"]+)",\d+$/.exec(line);
        if (connect) {
          connects++;
          assert.equal(expected, connect[1], `connect to ${connect[1]} verified against "${expected}"`);
        }
      }
      assert.equal(connects, 10);
      assert.deepEqual(e2e.probe.all('caught'), []);
    });

    it('Telit: a DER CA and a PEM client certificate loaded into one SSId at once are both stored intact (the format and the data go together), three times', async () => {
      const r = e2e.use(startTelitRig({ platform: '12', escapeGuardMs: 100 }));
      await start(chain({
        vendor: 'telit',
        port: 1,
        extra: [{ id: 'loadCert', type: 'modem-load-cert', modem: 'cfg', certType: 'cert', name: '1', format: 'pem', wires: [['loadedCert']] }],
      }));
      for (let round = 0; round < 3; round++) {
        helper.getNode('load').receive({ payload: e2e.pki.ca.certDer, format: 'der', force: true });
        helper.getNode('loadCert').receive({ payload: e2e.pki.client.cert, force: true });
        const [ca, cert] = [await e2e.probe.next('loaded'), await e2e.probe.next('loadedCert')];
        assert.deepEqual([ca.payload.format, ca.payload.verified], ['der', true], `round ${round}: the CA`);
        assert.deepEqual([cert.payload.format, cert.payload.verified], ['pem', true], `round ${round}: the certificate`);
      }
      // Every store is preceded by the format it needs (#SSLSECCFG <cert_format>: 0 DER, 1 PEM),
      // with no other format set in between.
      let format = 1;
      let stores = 0;
      for (const line of r.modem.log.map((e) => e.line)) {
        const set = /^AT#SSLSECCFG=1,\w+,\d+,(\d)$/.exec(line);
        if (set) format = Number(set[1]);
        const store = /^AT#SSLSECDATA=1,1,(\d),\d+$/.exec(line);
        if (store) {
          stores++;
          assert.equal(format, store[1] === '1' ? 0 : 1, `#SSLSECDATA type ${store[1]} written with cert_format ${format}`);
        }
      }
      assert.equal(stores, 6);
      assert.deepEqual(e2e.probe.all('caught'), []);
    });

    it('Telit: two large messages sent at once on one socket come back whole and in order', async () => {
      const r = e2e.use(startTelitRig({ platform: '30', escapeGuardMs: 100 }));
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await start(chain({ vendor: 'telit', port: echo.port }));
      await provision();
      const opened = await e2e.probe.run('open', {}, 'opened');
      const first = Buffer.alloc(5000, 0x31);
      const second = Buffer.alloc(5000, 0x32);
      helper.getNode('send').receive({ socket: opened.socket, payload: first });
      helper.getNode('send').receive({ socket: opened.socket, payload: second });
      const back = await e2e.probe.bytes('received', opened.socket, 10000);
      assert.ok(back.equals(Buffer.concat([first, second])), 'the second message did not overtake or split the first');
    });
  });

  describe('a lost link', () => {
    it('Telit: the link drops during a tls-send — the send fails with LINK_DOWN, tls-recv says closed; once the modem is back the same socket opens again, three times; one warning, from the modem config', async () => {
      const r = e2e.use(startTelitRig({ platform: '30', escapeGuardMs: 100 }));
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      const moreListeners = [1, 2, 3].map((n) => ({ id: `recv${n}`, type: 'modem-tls-recv', modem: 'cfg', socket: '', wires: [[]] }));
      await start(chain({ vendor: 'telit', port: echo.port, extra: moreListeners }));
      await provision();
      for (let round = 0; round < 3; round++) {
        const opened = await e2e.probe.run('open', {}, 'opened');
        assert.equal(opened.socket, '1', `round ${round}`);
        const mark = r.modem.log.length;
        const failed = e2e.probe.failure('send', { socket: '1', payload: Buffer.alloc(60000, 0xaa) }, { timeoutMs: 15000 });
        await r.modem.waitForCommand(/^AT#SSLSENDEXT=1,/, 5000, mark);
        await r.pty.unplug();
        const caught = await failed;
        assert.equal(caught.modemError.kind, 'LINK_DOWN', `round ${round}: ${caught.error.message}`);
        const closed = await e2e.probe.next('received', (m) => m.topic === 'closed');
        assert.match(closed.reason, /^the link to the modem was lost: /);
        r.pty.replug();
        await until('the modem to be ready again', () => (helper.getNode('cfg') as unknown as { modem: { isReady: boolean } }).modem.isReady, 15000);
        // The module kept its end of the connection (the cable, not the power, was cut): closed at bring-up.
        const after = r.linesSince(mark);
        assert.ok(after.includes('AT#SSLS=1') && after.includes('AT#SSLH=1'), after.join(' | '));
      }
      const opened = await e2e.probe.run('open', {}, 'opened');
      assert.equal(opened.socket, '1');
      const warnings = everythingSaid().filter((s) => s.where.startsWith('warn by') && /still connected from an earlier session/.test(s.text));
      assert.equal(warnings.length, 3, 'one per bring-up');
      assert.ok(warnings.every((w) => w.where === 'warn by cfg'), JSON.stringify(warnings));
    });
  });

  describe('redeploy', () => {
    it('Telit: a full redeploy closes the connection the flow opened before the port is released, and the new flow opens it again', async () => {
      const r = e2e.use(startTelitRig({ platform: '30', escapeGuardMs: 100 }));
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await start(chain({ vendor: 'telit', port: echo.port }));
      await provision();
      await e2e.probe.run('open', {}, 'opened');
      const mark = r.modem.log.length;
      await redeploy(flow, 'full');
      const after = r.linesSince(mark);
      const hangUp = after.indexOf('AT#SSLH=1');
      assert.ok(hangUp >= 0 && hangUp < after.indexOf('ATE0'), `closed before the new bring-up: ${after.join(' | ')}`);
      assert.ok(!after.includes('AT#SSLS=1') || !after.slice(after.indexOf('ATE0')).includes('AT#SSLH=1'), 'nothing left for the bring-up to close');
      const again = await e2e.probe.run('open', {}, 'opened');
      assert.equal(again.socket, '1');
      assert.deepEqual(e2e.probe.all('caught'), []);
    });

    it('Telit: a connection in ONLINE mode is left with the escape sequence and closed on redeploy', async () => {
      const r = e2e.use(startTelitRig({ platform: '30', escapeGuardMs: 100 }));
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await start(chain({ vendor: 'telit', port: echo.port }));
      await provision();
      await e2e.probe.run('open', { mode: 'online' }, 'opened');
      const mark = r.modem.log.length;
      await redeploy(flow, 'full');
      assert.ok(r.linesSince(mark).includes('AT#SSLH=1'), r.linesSince(mark).join(' | '));
      const again = await e2e.probe.run('open', { mode: 'online' }, 'opened');
      assert.equal(again.socket, '1');
    });

    it('Telit: deploying a changed tls-open alone closes its connection while the modem stays up', async () => {
      const r = e2e.use(startTelitRig({ platform: '30', escapeGuardMs: 100 }));
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await start(chain({ vendor: 'telit', port: echo.port }));
      await provision();
      await e2e.probe.run('open', {}, 'opened');
      const mark = r.modem.log.length;
      const changed = flow.map((n) => ((n as FlowNode).id === 'open' ? { ...(n as FlowNode), name: 'renamed' } : n));
      await redeploy(changed, 'nodes');
      await until('the connection to be closed', () => r.linesSince(mark).includes('AT#SSLH=1'));
      assert.ok(!r.linesSince(mark).includes('ATE0'), 'the modem was not brought up again');
      const again = await e2e.probe.run('open', {}, 'opened');
      assert.equal(again.socket, '1');
    });

    it('u-blox: a full redeploy closes every socket the flows opened (+USOCL)', async () => {
      const r = e2e.use(startUbloxRig());
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await start(chain({ vendor: 'ublox', port: echo.port }));
      await provision();
      const sockets = [(await e2e.probe.run('open', {}, 'opened')).socket, (await e2e.probe.run('open', {}, 'opened')).socket];
      const mark = r.modem.log.length;
      await redeploy(flow, 'full');
      const after = r.linesSince(mark);
      for (const socket of sockets) assert.ok(after.includes(`AT+USOCL=${socket}`), after.join(' | '));
      assert.ok(r.device.sockets.every((s) => s === undefined), 'the module holds no socket');
    });
  });

  it('a message injected at deploy time waits for the modem and runs after it is brought up', async () => {
    const r = e2e.use(startTelitRig({ platform: '30', escapeGuardMs: 100 }));
    flow = [
      { id: 'tab', type: 'tab', label: 'shared modem' },
      r.config(),
      ...onTab('tab', [
        { id: 'inject', type: 'inject', props: [{ p: 'payload' }], payload: 'AT+CGMM', payloadType: 'str', once: true, onceDelay: 0.1, repeat: '', wires: [['at']] },
        { id: 'at', type: 'modem-at-command', modem: 'cfg', command: '', wires: [['answer']] },
        { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        ...OUTPUTS.map((id) => ({ id, type: 'helper' })),
      ]),
    ];
    await e2e.deploy(flow, {}, [...ALL_NODES, coreNode('common/20-inject.js')]);
    e2e.watch();
    const answer: Msg = await e2e.probe.next('answer', () => true, 10000);
    assert.equal(answer.final, 'OK');
    const log = lines();
    assert.ok(log.indexOf('AT+CMEE=1') >= 0 && log.indexOf('AT+CMEE=1') < log.indexOf('AT+CGMM'), log.join(' | '));
    assert.deepEqual(e2e.probe.all('caught'), []);
  });
});
