/**
 * The TLS flow nodes (load-cert, tls-profile, tls-open, tls-send, tls-recv, tls-close,
 * error-decode) in a real Node-RED runtime through node-red-node-test-helper.
 *
 * Two modems: the generic Hayes simulator, configured as a Telit platform 30 — enough for
 * everything a node refuses before it sends a single command (the test then checks that no
 * command reached the modem) — and the simulated Telit module with real TLS to a local echo
 * server, for the exchanges themselves. The simulated Inventek eS-WiFi shows what load-cert does
 * with a modem whose certificate sets are one-time programmable.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import helper, { loadFlow, nextMessage, startServer, stopServer, waitForStatus, type TestNode } from '../support/red-helper';
import { createEswifiModem, createGenericModem, createTelitModem, eswifiDevice, listenTcp, type SimulatedModem } from '../../src/simulator';
import { createTestPki, issueCertificate, type TestPki } from '../../src/simulator/pki';
import { startTlsEchoServer, type TlsEchoServer } from '../../src/simulator/tls-servers';
import { ALL_NODES } from '../support/nodes';

const NODES = ALL_NODES;


interface Endpoint {
  port: number;
  close(): Promise<void>;
}

type Msg = Record<string, any>;

let pki: TestPki;
let modem: SimulatedModem;
let endpoint: Endpoint;

function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'cfg',
    type: 'modem-config',
    vendor: 'telit',
    platform: '30',
    transport: 'tcp',
    host: '127.0.0.1',
    tcpPort: String(endpoint.port),
    commandTimeout: 3000,
    ...extra,
  };
}

/** A tab with the config, the nodes under test, and a Catch node feeding `caught`. */
function flow(nodes: Record<string, unknown>[], cfgExtra: Record<string, unknown> = {}): Record<string, unknown>[] {
  const place = { z: 'flow', x: 0, y: 0 };
  return [
    { id: 'flow', type: 'tab', label: 'test' },
    config(cfgExtra),
    ...nodes.map((n) => ({ ...place, ...n })),
    { ...place, id: 'out', type: 'helper' },
    { ...place, id: 'catch', type: 'catch', wires: [['caught']] },
    { ...place, id: 'caught', type: 'helper' },
  ];
}

async function ready(id: string): Promise<TestNode> {
  const node = helper.getNode(id);
  await waitForStatus(node, (s) => s.text === 'ready', 8000);
  return node;
}

/** Sends `msg` to node `id` and resolves with what the Catch node gets. */
async function refusal(id: string, msg: Msg): Promise<Msg> {
  const caught = nextMessage(helper.getNode('caught'));
  helper.getNode(id).receive(msg);
  return caught;
}

/**
 * Waits until everything queued for the modem so far has reached it: a command sent now through
 * the same queue is answered only after whatever was ahead of it. No sleep, so a check that
 * nothing was sent cannot pass by looking too early.
 */
async function barrier(): Promise<void> {
  await (helper.getNode('cfg') as unknown as { modem: { command(line: string): Promise<unknown> } }).modem.command('AT');
}

/** Modem command lines from `mark` on that touch TLS state. */
function tlsCommandsSince(mark: number): string[] {
  return modem.log.slice(mark).map((entry) => entry.line).filter((line) => /#SSL/i.test(line));
}

function ecKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

describe('TLS nodes in Node-RED', function () {
  this.timeout(20000);

  before(async () => {
    pki = createTestPki();
    await startServer();
  });
  after(stopServer);

  afterEach(async () => {
    await helper.unload();
    await endpoint?.close();
    modem?.close();
  });

  describe('checks before anything is written (generic modem as Telit platform 30)', () => {
    beforeEach(async () => {
      modem = createGenericModem({ profile: { manufacturer: 'Telit', model: 'ME910C1-WW' } });
      endpoint = await listenTcp(modem, { host: '127.0.0.1', port: 0 });
    });

    const loadCert = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '1', wires: [['out']], ...extra });

    async function refused(msg: Msg, field: string, pattern: RegExp, node: Record<string, unknown> = loadCert(), credentials: Record<string, unknown> = {}): Promise<Msg> {
      await loadFlow(NODES, flow([node]), credentials);
      await ready(String(node.id));
      const mark = modem.log.length;
      const caught = await refusal(String(node.id), msg);
      assert.equal(caught.modemError.kind, 'PARAMETER', JSON.stringify(caught.modemError));
      assert.equal(caught.modemError.field, field);
      assert.match(caught.error.message, pattern);
      await barrier();
      assert.deepEqual(tlsCommandsSince(mark), [], 'nothing was sent to the modem');
      await waitForStatus(helper.getNode(String(node.id)), (s) => s.fill === 'red');
      return caught;
    }

    it('load-cert refuses an expired certificate, naming the date', async () => {
      const caught = await refused({ payload: pki.expiredServer.cert }, 'msg.payload', /expired on \d{4}-\d\d-\d\dT/);
      assert.match(caught.error.message, new RegExp(pki.expiredServer.notAfter.toISOString().slice(0, 10)));
    });

    it('load-cert refuses a certificate that is not valid yet', async () => {
      await refused({ payload: pki.notYetValidServer.cert }, 'msg.payload', /not valid before \d{4}-/);
    });

    it('load-cert refuses a key that does not belong to the certificate given with it', async () => {
      await refused({ payload: pki.client.key, certType: 'key', cert: pki.server.cert }, 'msg.payload', /does not belong to the certificate .*localhost/);
    });

    it('load-cert refuses a key that does not match the node’s certificate (matchCert)', async () => {
      await refused({ payload: pki.client.key }, 'msg.payload', /given in matchCert/, loadCert({ certType: 'key', matchCert: pki.server.cert }));
    });

    it('load-cert refuses a slot outside the module’s range', async () => {
      await refused({ payload: pki.ca.cert, name: 7 }, 'name', /7 is outside 1\.\.6/);
    });

    it('load-cert refuses an item bigger than the module stores', async () => {
      const big = issueCertificate({
        issuer: pki.ca,
        subject: 'big',
        keys: { type: 'rsa', privateKey: pki.server.privateKey, publicKey: pki.server.publicKey },
        hosts: Array.from({ length: 150 }, (_, i) => `device-${i}.a-rather-long-subdomain.example.com`),
      });
      await refused({ payload: big.cert }, 'msg.payload', /is \d+ bytes as PEM; .*stores at most 4096 bytes/);
    });

    it('load-cert refuses the wrong type of data: a key given as a CA certificate', async () => {
      await refused({ payload: pki.client.key }, 'msg.payload', /holds no certificate \(PEM blocks found: PRIVATE KEY\)/);
    });

    it('load-cert refuses a key algorithm the module does not take (EC on Telit)', async () => {
      await refused({ payload: ecKeyPem(), certType: 'key' }, 'msg.payload', /EC private key; .* takes RSA keys/);
    });

    it('load-cert refuses DER on a platform that takes PEM only', async () => {
      await refused({ payload: pki.ca.certDer, format: 'der' }, 'format', /format: "der" is not offered by Telit platform 30 .*\(it offers pem, auto\)/);
    });

    it('load-cert refuses an unknown certType', async () => {
      await refused({ payload: pki.ca.cert, certType: 'root' }, 'certType', /"root" is not one of ca, cert, key/);
    });

    it('the key password and the key itself never reach the caught message, a status or the log', async () => {
      const password = 'correct horse battery staple';
      const encrypted = pki.client.encryptedKey(password);
      const caught = await refused(
        { payload: encrypted, password: 'wrong-Password-42' },
        'password',
        /does not decrypt the private key/,
        loadCert({ certType: 'key' }),
      );
      const text = JSON.stringify(caught);
      assert.ok(!text.includes('wrong-Password-42'), 'msg.password was removed');
      assert.ok(!text.includes('ENCRYPTED PRIVATE KEY'), 'the key was removed from the message');
      assert.equal(caught.password, undefined);
      assert.equal(caught.payload, undefined);
      const load = helper.getNode('load');
      const said = [...load.status.getCalls(), ...load.warn.getCalls(), ...load.error.getCalls(), ...load.log.getCalls()]
        .map((c: { args: unknown[] }) => JSON.stringify(c.args[0] instanceof Error ? c.args[0].message : c.args[0]));
      assert.ok(said.every((s: string) => !s.includes('wrong-Password-42') && !s.includes('PRIVATE KEY')));
    });

    it('the node’s password credential is used for an encrypted key and never shown', async () => {
      const password = 'from-the-credentials-7';
      const encrypted = pki.client.encryptedKey(password);
      // The right password decrypts it; the certificate given does not match, so it stops there.
      const caught = await refused(
        { payload: encrypted, cert: pki.server.cert },
        'msg.payload',
        /does not belong/,
        loadCert({ certType: 'key' }),
        { load: { password } },
      );
      assert.ok(!JSON.stringify(caught).includes(password));
    });

    const profileNode = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: '1', verify: 'server', ca: '1', tlsVersion: '1.2', ciphers: 'auto', sni: true, checkHostname: true, checkDate: true, wires: [['out']], ...extra,
    });

    it('tls-profile refuses ALPN on Telit, naming the field', async () => {
      await refused({ alpn: ['mqtt'] }, 'alpn', /does not offer ALPN/, profileNode());
    });

    it('tls-profile refuses a cipher suite the platform cannot select, listing those it can', async () => {
      await refused({ ciphers: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }, 'ciphers', /cannot select TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; it offers .*TLS_RSA_WITH_AES_128_CBC_SHA/, profileNode());
    });

    it('tls-profile refuses two suites where the module takes one', async () => {
      await refused({}, 'ciphers', /exactly one; 2 were given/, profileNode({ ciphers: 'TLS_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_AES_256_CBC_SHA' }));
    });

    it('tls-profile refuses TLS 1.3 where the platform has no TLS 1.3 sockets', async () => {
      await refused({ tlsVersion: '1.3' }, 'tlsVersion', /cannot select TLS 1\.3 \(it offers auto, 1\.0, 1\.1, 1\.2\)/, profileNode());
    });

    it('tls-profile refuses a profile id outside the module’s range', async () => {
      await refused({ profile: 9 }, 'profile', /9 is outside 1\.\.6/, profileNode());
    });

    it('tls-profile refuses an unknown vendor option', async () => {
      await refused({ vendorOptions: { sessionResumption: true } }, 'vendorOptions.sessionResumption', /is not an option of Telit/, profileNode());
    });

    it('tls-profile refuses a PSK on Telit, and the PSK never shows', async () => {
      const caught = await refused({ profile: { profile: '1', verify: 'server', ca: '1', psk: 'b0b0b0-secret-psk' } }, 'psk', /pre-shared keys/, profileNode());
      assert.ok(!JSON.stringify(caught).includes('b0b0b0-secret-psk'));
      assert.equal(caught.profile.psk, undefined, 'the secret was taken out of msg.profile');
    });

    it('tls-send refuses an object payload, naming msg.payload', async () => {
      await refused({ socket: '1', payload: { a: 1 } }, 'msg.payload', /must be a string or a Buffer, got an object/, { id: 'send', type: 'modem-tls-send', modem: 'cfg', wires: [['out']] });
    });

    it('tls-recv refuses a read without a socket', async () => {
      await refused({}, 'msg.socket', /which connection/, { id: 'recv', type: 'modem-tls-recv', modem: 'cfg', wires: [['out']] });
    });

    it('tls-open refuses a missing host and a bad port', async () => {
      await refused({}, 'host', /is required/, { id: 'open', type: 'modem-tls-open', modem: 'cfg', profile: '1', port: 443, wires: [['out']] });
      await helper.unload();
      await refused({ host: 'example.com', port: 70000 }, 'port', /1\.\.65535/, { id: 'open', type: 'modem-tls-open', modem: 'cfg', profile: '1', wires: [['out']] });
    });
  });

  describe('with the simulated Inventek eS-WiFi module (one-time programmable certificate sets)', () => {
    beforeEach(async () => {
      modem = createEswifiModem({ joinDelayMs: 0 });
      endpoint = await listenTcp(modem, { host: '127.0.0.1', port: 0 });
    });

    // No SSID: the module is not asked to join, and load-cert needs no network.
    const eswifi = { vendor: 'eswifi', platform: '' };
    const loadCert = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ id, type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '0', wires: [['out']], ...extra });

    /** Every status text node `id` showed, in order. */
    function statusTexts(id: string): string[] {
      const node = helper.getNode(id);
      return (node.status.getCalls() as Array<{ thisValue: unknown; args: Array<{ text?: string }> }>)
        .filter((call) => call.thisValue === node)
        .map((call) => call.args[0]?.text ?? '');
    }

    /** The requests the modem's adapter gets for uploads, from now on. */
    function watchUploads(): Array<Record<string, unknown>> {
      const adapter = (helper.getNode('cfg') as unknown as { modem: { adapter: { uploadSecurityData(r: Record<string, unknown>): Promise<unknown> } } }).modem.adapter;
      const requests: Array<Record<string, unknown>> = [];
      const real = adapter.uploadSecurityData.bind(adapter);
      adapter.uploadSecurityData = async (request) => {
        requests.push(request);
        return real(request);
      };
      return requests;
    }

    /** Set commands (PF, PG) the module received from `mark` on, once everything queued before has reached it. */
    async function setCommandsSince(mark: number): Promise<string[]> {
      await (helper.getNode('cfg') as unknown as { modem: { command(line: string): Promise<unknown> } }).modem.command('CS');
      return modem.log.slice(mark).map((entry) => entry.line).filter((line) => /^P[FG]=/.test(line));
    }

    it('load-cert: "Program one-time set" reaches the adapter as vendorOptions.programOneTime, the status says it programs, and the set is programmed; without it nothing is written', async () => {
      await loadFlow(NODES, flow([loadCert('check'), loadCert('program', { programOneTime: true })], eswifi));
      await ready('check');
      const program = await ready('program');
      const requests = watchUploads();

      // Unticked: the set is empty as far as this package knows, so the upload is refused before anything is sent.
      let mark = modem.log.length;
      let caught = nextMessage(helper.getNode('caught'));
      helper.getNode('check').receive({ payload: pki.ca.cert });
      let refused = await caught;
      assert.equal(refused.modemError.kind, 'PARAMETER', JSON.stringify(refused.modemError));
      assert.equal(refused.modemError.field, 'vendorOptions.programOneTime');
      assert.equal(requests[0].vendorOptions, undefined, 'an unticked box adds nothing');
      assert.deepEqual(await setCommandsSince(mark), []);
      assert.equal(eswifiDevice(modem)!.sets[0].ca, undefined);
      assert.ok(statusTexts('check').includes('checking ca 0…'), JSON.stringify(statusTexts('check')));

      // Ticked: programmed for good, and the node says so while it works and when done.
      mark = modem.log.length;
      let out = nextMessage(helper.getNode('out'));
      program.receive({ payload: pki.ca.cert });
      const programmed = (await out).payload;
      assert.deepEqual(requests[1].vendorOptions, { programOneTime: true });
      assert.equal(programmed.verified, true);
      assert.equal(programmed.unchanged, false);
      assert.match(programmed.subject, /Modem TLS Test CA/);
      assert.equal(eswifiDevice(modem)!.sets[0].ca?.toString('latin1').replace(/\r?\n/g, ''), pki.ca.cert.replace(/\r?\n/g, ''));
      assert.deepEqual((await setCommandsSince(mark)).map((line) => line.replace(/ <\d+ bytes>$/, '').replace(/,\d+$/, ',<length>')), ['PF=0', 'PG=0,0,<length>']);
      await waitForStatus(program, (st) => /^ca 0 ✓ programmed \(\d/.test(st.text ?? ''));
      assert.ok(statusTexts('program').includes('programming ca 0 (one-time)…'), JSON.stringify(statusTexts('program')));

      // Unticked again: the same CA is now known to be in set 0, so it is verified by writing it again.
      out = nextMessage(helper.getNode('out'));
      helper.getNode('check').receive({ payload: pki.ca.cert });
      const verified = (await out).payload;
      assert.equal(verified.verified, true);
      assert.equal(verified.unchanged, true);
      await waitForStatus(helper.getNode('check'), (st) => st.text === 'ca 0 unchanged');

      // msg.vendorOptions wins over the node's box, as a message's value does everywhere: false writes nothing.
      mark = modem.log.length;
      caught = nextMessage(helper.getNode('caught'));
      program.receive({ payload: pki.unrelatedCa.cert, name: '1', vendorOptions: { programOneTime: false } });
      refused = await caught;
      assert.equal(refused.modemError.field, 'vendorOptions.programOneTime', JSON.stringify(refused.modemError));
      assert.deepEqual(requests[3].vendorOptions, { programOneTime: false });
      assert.deepEqual(await setCommandsSince(mark), []);
      assert.equal(eswifiDevice(modem)!.sets[1].ca, undefined);

      // Other options on the message leave the box in charge.
      out = nextMessage(helper.getNode('out'));
      program.receive({ payload: pki.unrelatedCa.cert, name: '1', vendorOptions: {} });
      assert.equal((await out).payload.unchanged, false);
      assert.deepEqual(requests[4].vendorOptions, { programOneTime: true });
      assert.ok(eswifiDevice(modem)!.sets[1].ca, 'set 1 programmed');
    });

    it('load-cert: a certificate out of its dates is refused for programming; only checking a set, the node leaves the dates to the adapter (a warning there)', async () => {
      await loadFlow(NODES, flow([loadCert('check', { certType: 'cert', name: '2' }), loadCert('program', { certType: 'cert', name: '2', programOneTime: true })], eswifi));
      await ready('check');
      const program = await ready('program');
      const expired = pki.expiredServer.cert;

      let mark = modem.log.length;
      const caught = nextMessage(helper.getNode('caught'));
      program.receive({ payload: expired });
      const refused = await caught;
      assert.equal(refused.modemError.field, 'msg.payload', JSON.stringify(refused.modemError));
      assert.match(refused.error.message, /expired on \d{4}-/);
      assert.deepEqual(await setCommandsSince(mark), []);

      assert.equal(eswifiDevice(modem)!.sets[2].cert, undefined);

      // Without the option the node does not refuse it for its dates: it goes to the adapter, which
      // refuses it here for the set (nothing is noted in set 2) and would only warn about the dates
      // when the set were noted to hold it.
      mark = modem.log.length;
      const check = nextMessage(helper.getNode('caught'));
      helper.getNode('check').receive({ payload: expired });
      const notNoted = await check;
      assert.equal(notNoted.modemError.field, 'vendorOptions.programOneTime', JSON.stringify(notNoted.modemError));
      assert.doesNotMatch(notNoted.error.message, /expired/);
      assert.deepEqual(await setCommandsSince(mark), []);
    });
  });

  describe('modem-error-decode', () => {
    beforeEach(async () => {
      modem = createGenericModem({ profile: { manufacturer: 'Telit', model: 'ME910C1-WW' } });
      endpoint = await listenTcp(modem, { host: '127.0.0.1', port: 0 });
    });

    /** error-decode alone: no modem at all. */
    async function decodeAlone(msg: Msg, extra: Record<string, unknown> = {}): Promise<Msg> {
      await loadFlow(NODES, [
        { id: 'flow', type: 'tab', label: 'test' },
        { id: 'decode', z: 'flow', x: 0, y: 0, type: 'modem-error-decode', vendor: 'telit', wires: [['out']], ...extra },
        { id: 'out', z: 'flow', x: 0, y: 0, type: 'helper' },
      ]);
      const out = nextMessage(helper.getNode('out'));
      helper.getNode('decode').receive(msg);
      return (await out).payload;
    }

    it('explains "+CME ERROR: 839" as a handshake failure, without a modem', async () => {
      const p = await decodeAlone({ payload: '+CME ERROR: 839' });
      assert.deepEqual(Object.keys(p), ['vendor', 'code', 'name', 'meaning', 'category', 'hint']);
      assert.equal(p.vendor, 'telit');
      assert.equal(p.code, 839);
      assert.equal(p.name, 'SSL error during handshake');
      assert.equal(p.category, 'handshake');
      assert.match(p.hint, /CA/);
    });

    it('takes a bare code and the verbose text as well', async () => {
      assert.equal((await decodeAlone({ payload: 839 })).name, 'SSL error during handshake');
      await helper.unload();
      assert.equal((await decodeAlone({ payload: 'SSL error during handshake' })).code, 839);
    });

    it('a vendor it has no table for gets an answer naming the code', async () => {
      const p = await decodeAlone({ payload: '+CME ERROR: -11' }, { vendor: 'eswifi' });
      assert.deepEqual({ vendor: p.vendor, code: p.code, category: p.category }, { vendor: 'eswifi', code: -11, category: 'unknown' });
      assert.match(p.meaning, /eS-WiFi/);
    });

    it('a TIMEOUT kind gets our own explanation', async () => {
      const p = await decodeAlone({ modemError: { vendor: 'telit', kind: 'TIMEOUT', code: 'TIMEOUT', command: 'AT#SSLD=1,443,"example.com",0,1' } });
      assert.equal(p.code, 'TIMEOUT');
      assert.equal(p.category, 'modem');
      assert.match(p.meaning, /did not finish "AT#SSLD=1,443,"example.com",0,1" in time/);
      assert.match(p.hint, /timeout/);
    });

    it('nothing to decode fails naming msg.payload', async () => {
      await loadFlow(NODES, [
        { id: 'flow', type: 'tab', label: 'test' },
        { id: 'decode', z: 'flow', x: 0, y: 0, type: 'modem-error-decode', wires: [['out']] },
        { id: 'catch', z: 'flow', x: 0, y: 0, type: 'catch', scope: ['decode'], wires: [['caught']] },
        { id: 'caught', z: 'flow', x: 0, y: 0, type: 'helper' },
      ]);
      const caught = await refusal('decode', { payload: { x: 1 } });
      assert.equal(caught.modemError.field, 'msg.payload');
    });

    /** A failing node → Catch → error-decode → out. */
    function caughtFlow(nodes: Record<string, unknown>[]): Record<string, unknown>[] {
      const place = { z: 'flow', x: 0, y: 0 };
      return [
        { id: 'flow', type: 'tab', label: 'test' },
        config(),
        ...nodes.map((n) => ({ ...place, ...n })),
        { ...place, id: 'catch', type: 'catch', scope: nodes.map((n) => n.id), wires: [['decode']] },
        { ...place, id: 'decode', type: 'modem-error-decode', wires: [['out']] },
        { ...place, id: 'out', type: 'helper' },
      ];
    }

    it('decodes msg.modemError of a refused load-cert through a Catch node', async () => {
      await loadFlow(NODES, caughtFlow([{ id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '9' }]));
      await ready('load');
      const out = nextMessage(helper.getNode('out'));
      helper.getNode('load').receive({ payload: pki.ca.cert });
      const p = (await out).payload;
      assert.deepEqual({ vendor: p.vendor, code: p.code, category: p.category, name: p.name }, { vendor: 'telit', code: 'PARAMETER', category: 'parameter', name: 'invalid name' });
      assert.match(p.meaning, /9 is outside 1\.\.6/);
    });

    it('decodes a +CME ERROR from the modem through a Catch node, with the modem-config’s vendor', async () => {
      await loadFlow(NODES, caughtFlow([{ id: 'at', type: 'modem-at-command', modem: 'cfg' }]));
      await ready('at');
      const out = nextMessage(helper.getNode('out'));
      helper.getNode('at').receive({ payload: 'AT+CCLK="not a date"' });
      const p = (await out).payload;
      assert.deepEqual({ vendor: p.vendor, code: p.code, name: p.name, category: p.category }, { vendor: 'telit', code: 50, name: 'incorrect parameters', category: 'parameter' });
    });

    it('decodes a real TIMEOUT through a Catch node', async () => {
      await loadFlow(NODES, caughtFlow([{ id: 'at', type: 'modem-at-command', modem: 'cfg' }]));
      await ready('at');
      modem.faults.dropNextReplies(1);
      const out = nextMessage(helper.getNode('out'));
      helper.getNode('at').receive({ payload: 'AT+CGMI', timeout: 300 });
      const p = (await out).payload;
      assert.deepEqual({ code: p.code, category: p.category, name: p.name }, { code: 'TIMEOUT', category: 'modem', name: 'timeout' });
      assert.match(p.meaning, /AT\+CGMI/);
    });
  });

  describe('capabilities endpoint', () => {
    beforeEach(async () => {
      modem = createGenericModem({ profile: { manufacturer: 'Telit', model: 'ME910C1-WW' } });
      endpoint = await listenTcp(modem, { host: '127.0.0.1', port: 0 });
      await loadFlow(NODES, flow([]));
    });

    it('answers from the vendor tables for a config that is not deployed', async () => {
      const res = await helper.request().get('/modem-tls/capabilities').query({ vendor: 'telit', platform: '37' }).expect(200);
      assert.equal(res.body.supported, true);
      assert.equal(res.body.platform, '37');
      assert.deepEqual(res.body.profiles.ids, { min: 1, max: 6 });
      assert.equal(res.body.profiles.alpn, false);
      assert.ok(res.body.profiles.tlsVersions.includes('1.3'));
      assert.ok(res.body.profiles.ciphers.includes('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'));
      assert.deepEqual(res.body.certificates.slots, { min: 1, max: 6 });
    });

    it('answers from the deployed modem by config id', async () => {
      const res = await helper.request().get('/modem-tls/capabilities').query({ modem: 'cfg' }).expect(200);
      assert.equal(res.body.vendor, 'telit');
      assert.equal(res.body.platform, '30');
      assert.deepEqual(res.body.certificates.formats, ['pem']);
    });

    it('answers for the Inventek eS-WiFi with its one-time programmable sets, and refuses an unknown platform', async () => {
      const eswifi = await helper.request().get('/modem-tls/capabilities').query({ vendor: 'eswifi' }).expect(200);
      assert.equal(eswifi.body.supported, true, JSON.stringify(eswifi.body));
      assert.equal(eswifi.body.vendor, 'eswifi');
      const certs = eswifi.body.certificates;
      assert.deepEqual({ naming: certs.naming, slots: certs.slots, oneTimeProgrammable: certs.oneTimeProgrammable, verification: certs.verification, formats: certs.formats },
        { naming: 'slot', slots: { min: 0, max: 2 }, oneTimeProgrammable: true, verification: 'match', formats: ['pem'] });
      assert.ok(certs.vendorOptions.some((row: { name: string }) => row.name === 'programOneTime'), 'the option the dialog’s checkbox stands for');
      const bad = await helper.request().get('/modem-tls/capabilities').query({ vendor: 'telit', platform: '99' }).expect(400);
      assert.match(bad.body.error, /"99" is not a Telit platform ID/);
    });
  });

  describe('with the simulated Telit module and a real TLS echo server', () => {
    let echo: TlsEchoServer;

    beforeEach(async () => {
      modem = createTelitModem({ platform: '30' });
      endpoint = await listenTcp(modem, { host: '127.0.0.1', port: 0 });
      echo = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key });
    });

    afterEach(async () => {
      await echo.close();
    });

    const telit = { apn: 'internet', clockSync: true };

    it('load-cert stores a CA, verified by read-back; the same CA again is left unchanged', async () => {
      await loadFlow(NODES, flow([{ id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '1', wires: [['out']] }], telit));
      const load = await ready('load');
      let out = nextMessage(helper.getNode('out'));
      load.receive({ payload: pki.ca.cert });
      const first = (await out).payload;
      assert.equal(first.certType, 'ca');
      assert.equal(first.name, '1');
      assert.equal(first.format, 'pem');
      assert.equal(first.verified, true);
      assert.equal(first.unchanged, false);
      assert.match(first.md5, /^[0-9a-f]{32}$/);
      assert.match(first.subject, /Modem TLS Test CA/);
      assert.equal(first.notAfter, pki.ca.notAfter.toISOString());
      await waitForStatus(load, (s) => s.fill === 'green' && s.text === `ca 1 ✓ verified (${(first.bytes / 1000).toFixed(1)} kB)`);

      const mark = modem.log.length;
      out = nextMessage(helper.getNode('out'));
      load.receive({ payload: Buffer.from(pki.ca.cert) });
      const second = (await out).payload;
      assert.equal(second.unchanged, true);
      assert.equal(second.md5, first.md5);
      assert.ok(!modem.log.slice(mark).some((e) => /^AT#SSLSECDATA=1,1,/.test(e.line)), 'nothing was written the second time');
      await waitForStatus(load, (s) => s.text === 'ca 1 unchanged');
    });

    it('load-cert lists what the modem holds and removes one item (action list / remove)', async () => {
      await loadFlow(NODES, flow([{ id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '2', wires: [['out']] }], telit));
      const load = await ready('load');
      let out = nextMessage(helper.getNode('out'));
      load.receive({ payload: pki.ca.cert });
      const stored = (await out).payload;
      out = nextMessage(helper.getNode('out'));
      load.receive({ action: 'list' });
      const list = (await out).payload as Array<Record<string, unknown>>;
      const entry = list.find((item) => item.certType === 'ca' && item.name === '2');
      assert.ok(entry, `the CA is listed: ${JSON.stringify(list)}`);
      assert.equal(entry.md5, stored.md5);
      assert.match(String(entry.subject), /Modem TLS Test CA/);
      await waitForStatus(load, (st) => /items? stored$/.test(st.text ?? ''));

      out = nextMessage(helper.getNode('out'));
      load.receive({ action: 'remove' });
      assert.deepEqual((await out).payload, { certType: 'ca', name: '2', removed: true });
      assert.ok(modem.log.some((e) => e.line === 'AT#SSLSECDATA=2,0,1'), 'the module was asked to delete it');
      out = nextMessage(helper.getNode('out'));
      load.receive({ action: 'list' });
      const after = (await out).payload as Array<Record<string, unknown>>;
      assert.ok(!after.some((item) => item.certType === 'ca' && item.name === '2'));

      const caught = nextMessage(helper.getNode('caught'));
      load.receive({ action: 'erase' });
      assert.equal((await caught).modemError.field, 'action');
    });

    it('load-cert stores an encrypted client key: no password or key material in the output', async () => {
      const password = 'pa55-for-the-key';
      await loadFlow(NODES, flow([{ id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'key', name: '1', wires: [['out']] }], telit));
      const load = await ready('load');
      const out = nextMessage(helper.getNode('out'));
      load.receive({ payload: pki.client.encryptedKey(password), password, cert: pki.client.cert });
      const msg = await out;
      assert.equal(msg.password, undefined);
      assert.deepEqual(Object.keys(msg.payload).sort(), ['bytes', 'certType', 'format', 'name', 'unchanged', 'verified', 'warnings']);
      assert.equal(msg.payload.certType, 'key');
      assert.ok(!JSON.stringify(msg).includes(password));
      assert.ok(!JSON.stringify(msg.payload).includes('PRIVATE KEY'));
    });

    it('warnings: one about an upload comes back with it (msg.payload.warnings, a warning of that load-cert); one no operation caused is logged once, by the modem config', async () => {
      await loadFlow(NODES, flow([
        { id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '2', wires: [['out']] },
        ...[1, 2, 3].map((n) => ({ id: `recv${n}`, type: 'modem-tls-recv', modem: 'cfg', socket: '', wires: [[]] })),
      ], telit));
      const load = await ready('load');
      // The adapter's own tests make it say this (an MD5 that differs); here: what the node does with it.
      const adapter = (helper.getNode('cfg') as unknown as { modem: { adapter: { uploadSecurityData(r: unknown): Promise<Record<string, unknown>>; emit(e: string, t: string): void } } }).modem.adapter;
      const real = adapter.uploadSecurityData.bind(adapter);
      adapter.uploadSecurityData = async (request) => ({ ...(await real(request)), warnings: ['ca "2": the MD5 the module computed differs'] });
      const out = nextMessage(helper.getNode('out'));
      load.receive({ payload: pki.ca.cert });
      const msg = await out;
      assert.deepEqual(msg.payload.warnings, ['ca "2": the MD5 the module computed differs']);
      const warned = (id: string, text: RegExp): number => (helper.getNode(id).warn.getCalls() as Array<{ thisValue: unknown; args: unknown[] }>)
        .filter((call) => call.thisValue === helper.getNode(id) && text.test(String(call.args[0]))).length;
      assert.equal(warned('load', /MD5 the module computed differs/), 1);
      adapter.emit('warning', 'reading the data announced on socket 1: the link went down');
      for (const id of ['cfg', 'recv1', 'recv2', 'recv3', 'load']) {
        assert.equal(warned(id, /reading the data announced/), id === 'cfg' ? 1 : 0, id);
      }
    });

    it('load-cert: "Program one-time set" ticked on a modem whose storage can be rewritten never reaches its adapter; asked for on the message, it is refused as an option the modem lacks', async () => {
      await loadFlow(NODES, flow([{ id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '2', programOneTime: true, wires: [['out']] }], telit));
      const load = await ready('load');
      const adapter = (helper.getNode('cfg') as unknown as { modem: { adapter: { uploadSecurityData(r: Record<string, unknown>): Promise<Record<string, unknown>> } } }).modem.adapter;
      const requests: Array<Record<string, unknown>> = [];
      const real = adapter.uploadSecurityData.bind(adapter);
      adapter.uploadSecurityData = async (request) => {
        requests.push(request);
        return real(request);
      };
      let out = nextMessage(helper.getNode('out'));
      load.receive({ payload: pki.ca.cert });
      assert.equal((await out).payload.verified, true);
      assert.equal(requests[0].vendorOptions, undefined, JSON.stringify(requests[0].vendorOptions));
      await waitForStatus(load, (s) => /^ca 2 ✓ verified/.test(s.text ?? ''));

      // Given explicitly, it is checked like any vendor option: Telit has no such option.
      const caught = nextMessage(helper.getNode('caught'));
      load.receive({ payload: pki.ca.cert, vendorOptions: { programOneTime: true } });
      const refused = await caught;
      assert.equal(refused.modemError.kind, 'PARAMETER', JSON.stringify(refused.modemError));
      assert.match(refused.error.message, /programOneTime/);
      assert.equal(requests.length, 1, 'the refused message never reached the adapter');
    });

    it('load-cert with allowExpired stores an expired certificate (for expiry tests)', async () => {
      await loadFlow(NODES, flow([{ id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '2', allowExpired: true, wires: [['out']] }], telit));
      const load = await ready('load');
      const out = nextMessage(helper.getNode('out'));
      load.receive({ payload: pki.expiredServer.cert });
      assert.equal((await out).payload.verified, true);
    });

    it('tls-profile with verify none: applied, warns, yellow status', async () => {
      await loadFlow(NODES, flow([{ id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: '1', verify: 'none', tlsVersion: '1.2', ciphers: 'auto', sni: true, wires: [['out']] }], telit));
      const node = await ready('profile');
      const out = nextMessage(helper.getNode('out'));
      node.receive({ payload: 'go' });
      const p = (await out).payload;
      assert.equal(p.profile, '1');
      assert.equal(p.applied.authMode, 0);
      assert.ok(p.warnings.some((w: string) => /verify "none"/.test(w)));
      assert.equal(p.warnings.filter((w: string) => /verify/.test(w)).length, 1, 'one warning per topic');
      const warned = node.warn.getCalls().map((c: { args: unknown[] }) => String(c.args[0]));
      assert.ok(warned.some((w: string) => /verify "none"/.test(w)));
      await waitForStatus(node, (s) => s.fill === 'yellow' && /profile 1/.test(s.text ?? ''));
    });

    it('tls-open → tls-send → tls-recv pushes the echo → tls-close', async () => {
      await loadFlow(
        NODES,
        flow([
          { id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '1', wires: [['profile']] },
          { id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: '1', verify: 'server', ca: '1', tlsVersion: '1.2', ciphers: 'auto', sni: true, checkHostname: true, checkDate: true, wires: [['open']] },
          { id: 'open', type: 'modem-tls-open', modem: 'cfg', profile: '1', host: '127.0.0.1', port: echo.port, mode: 'command', wires: [['opened']] },
          { id: 'opened', type: 'helper' },
          { id: 'send', type: 'modem-tls-send', modem: 'cfg', wires: [['sent']] },
          { id: 'sent', type: 'helper' },
          { id: 'recv', type: 'modem-tls-recv', modem: 'cfg', socket: '', wires: [['received']] },
          { id: 'received', type: 'helper' },
          { id: 'close', type: 'modem-tls-close', modem: 'cfg', wires: [['out']] },
        ], telit),
      );
      await ready('load');
      const opened = nextMessage(helper.getNode('opened'), 15000);
      helper.getNode('load').receive({ payload: pki.ca.cert });
      const open = await opened;
      assert.equal(open.socket, '1');
      assert.deepEqual({ socket: open.payload.socket, host: open.payload.host, port: open.payload.port }, { socket: '1', host: '127.0.0.1', port: echo.port });
      await waitForStatus(helper.getNode('open'), (s) => s.text === `connected 127.0.0.1:${echo.port}`);

      const data = Buffer.from([0x00, 0x1a, 0x0d, 0x0a, ...Buffer.from('OK\r\nhello'), 0xff]);
      const received: Buffer[] = [];
      const gotAll = new Promise<void>((resolve) => {
        helper.getNode('received').on('input', (msg: Msg) => {
          if (msg.topic !== 'data') return;
          assert.equal(msg.socket, '1');
          received.push(msg.payload);
          if (Buffer.concat(received).length >= data.length) resolve();
        });
      });
      const sent = nextMessage(helper.getNode('sent'));
      helper.getNode('send').receive({ socket: open.socket, payload: data });
      assert.deepEqual((await sent).payload, { socket: '1', bytes: data.length });
      await gotAll;
      assert.ok(Buffer.concat(received).equals(data), 'the echo came back byte for byte');
      await waitForStatus(helper.getNode('recv'), (s) => /received/.test(s.text ?? ''));

      const closedMsg = new Promise<Msg>((resolve) => helper.getNode('received').on('input', (msg: Msg) => msg.topic === 'closed' && resolve(msg)));
      const out = nextMessage(helper.getNode('out'));
      helper.getNode('close').receive({ socket: open.socket });
      assert.deepEqual((await out).payload, { socket: '1', closed: true });
      const closed = await closedMsg;
      assert.equal(closed.socket, '1');
      assert.ok(Buffer.isBuffer(closed.payload) && closed.payload.length === 0);
      assert.equal(typeof closed.reason, 'string');
    });

    it('tls-profile with server verification: applied once, unchanged the second time', async () => {
      await loadFlow(NODES, flow([{ id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: '2', verify: 'server', ca: '2', tlsVersion: '1.2', ciphers: 'TLS_RSA_WITH_AES_128_CBC_SHA256', sni: true, checkHostname: true, checkDate: true, vendorOptions: '{"sslSRingMode": 1}', wires: [['out']] }], telit));
      const node = await ready('profile');
      let out = nextMessage(helper.getNode('out'));
      node.receive({ payload: 'go' });
      const first = (await out).payload;
      assert.deepEqual(Object.keys(first), ['profile', 'applied', 'warnings']);
      assert.deepEqual(first.warnings, []);
      assert.equal(first.applied.authMode, 1);
      assert.equal(first.applied.cipherSuiteName, 'TLS_RSA_WITH_AES_128_CBC_SHA256');
      assert.equal(first.applied.sslSRingMode, 1);
      await waitForStatus(node, (s) => s.text === 'profile 2 applied' && s.fill === 'green');
      const mark = modem.log.length;
      out = nextMessage(helper.getNode('out'));
      node.receive({ payload: 'again' });
      await out;
      assert.deepEqual(modem.log.slice(mark).map((e) => e.line).filter((l) => /^AT#SSL\w+=/.test(l)), [], 'nothing rewritten');
      await waitForStatus(node, (s) => s.text === 'profile 2 unchanged');
    });

    it('tls-profile with server verification and the CA name left empty uses the secure socket’s own id, as the dialog says', async () => {
      await loadFlow(NODES, flow([{ id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: '2', verify: 'server', ca: '', tlsVersion: '1.2', ciphers: 'TLS_RSA_WITH_AES_128_CBC_SHA256', sni: true, checkHostname: true, checkDate: true, wires: [['out']] }], telit));
      const node = await ready('profile');
      const out = nextMessage(helper.getNode('out'));
      node.receive({ payload: 'go' });
      const applied = (await out).payload;
      assert.equal(applied.applied.authMode, 1, 'the server is verified');
      await waitForStatus(node, (s) => /^profile 2 (applied|unchanged)$/.test(String(s.text)) && s.fill === 'green');
    });

    it('tls-recv reads on an input message when the modem does not push, and reports the server closing', async () => {
      await echo.close();
      echo = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key, closeAfterFirstChunk: true });
      await loadFlow(
        NODES,
        flow([
          { id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '3', wires: [['profile']] },
          { id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: '3', verify: 'server', ca: '3', vendorOptions: '{"sslSRingMode": 0}', wires: [['open']] },
          { id: 'open', type: 'modem-tls-open', modem: 'cfg', profile: '3', host: 'localhost', port: echo.port, wires: [['opened']] },
          { id: 'opened', type: 'helper' },
          { id: 'send', type: 'modem-tls-send', modem: 'cfg', wires: [['sent']] },
          { id: 'sent', type: 'helper' },
          { id: 'recv', type: 'modem-tls-recv', modem: 'cfg', socket: '3', length: 4, wires: [['received']] },
          { id: 'received', type: 'helper' },
        ], telit),
      );
      await ready('load');
      const opened = nextMessage(helper.getNode('opened'), 15000);
      helper.getNode('load').receive({ payload: pki.ca.cert });
      assert.equal((await opened).socket, '3');
      const seen: Msg[] = [];
      helper.getNode('received').on('input', (msg: Msg) => seen.push(msg));
      const sent = nextMessage(helper.getNode('sent'));
      helper.getNode('send').receive({ socket: '3', payload: 'ping-pong' });
      await sent;
      const read = nextMessage(helper.getNode('received'));
      helper.getNode('recv').receive({ timeout: 1000 });
      const first = await read;
      // The echo was read by the poll: with SSLSRING off, nothing came before it by itself.
      assert.deepEqual(seen.filter((m) => m.topic === 'data'), [first], 'nothing pushed with SSLSRING off');
      assert.equal(first.topic, 'data');
      assert.equal(first.socket, '3');
      assert.equal(first.payload.toString(), 'ping', 'the node’s length limits the read');
      const rest = nextMessage(helper.getNode('received'));
      helper.getNode('recv').receive({ length: 100, timeout: 1000 });
      assert.equal((await rest).payload.toString(), '-pong');
      // The server closed after its echo: one `closed` message says so.
      const deadline = Date.now() + 5000;
      while (!seen.some((m) => m.topic === 'closed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const closed = seen.find((m) => m.topic === 'closed');
      assert.ok(closed, `no closed message; saw ${seen.map((m) => m.topic).join(', ')}`);
      assert.equal(closed.socket, '3');
      assert.match(closed.reason, /server/);
    });

    it('mutual TLS: CA, client certificate and key loaded by three load-cert messages, then connected', async () => {
      await echo.close();
      echo = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true });
      await loadFlow(
        NODES,
        flow([
          { id: 'load', type: 'modem-load-cert', modem: 'cfg', name: '1', wires: [['loaded']] },
          { id: 'loaded', type: 'helper' },
          { id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: '1', verify: 'mutual', ca: '1', cert: '1', key: '1', wires: [['open']] },
          { id: 'open', type: 'modem-tls-open', modem: 'cfg', profile: '1', host: 'localhost', port: echo.port, wires: [['out']] },
        ], telit),
      );
      const load = await ready('load');
      for (const [certType, payload] of [['ca', pki.ca.cert], ['cert', pki.client.cert], ['key', pki.client.keyRsaPem]] as const) {
        const loaded = nextMessage(helper.getNode('loaded'));
        load.receive({ payload, certType, cert: certType === 'key' ? pki.client.cert : undefined });
        assert.equal((await loaded).payload.certType, certType);
      }
      const out = nextMessage(helper.getNode('out'), 15000);
      helper.getNode('profile').receive({});
      assert.equal((await out).payload.socket, '1');
      assert.match(echo.lastClientCertSubject ?? '', /CN=modem-client/);
    });

    it('tls-open asked again for the connection it holds closes it and opens again; another tls-open is refused, leaving it open', async () => {
      await loadFlow(NODES, flow([
        { id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '1', wires: [['profile']] },
        { id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: '1', verify: 'server', ca: '1', tlsVersion: '1.2', ciphers: 'auto', sni: true, checkHostname: true, checkDate: true, wires: [['out']] },
        { id: 'open', type: 'modem-tls-open', modem: 'cfg', profile: '1', host: '127.0.0.1', port: echo.port, wires: [['opened']] },
        { id: 'other', type: 'modem-tls-open', modem: 'cfg', profile: '1', host: '127.0.0.1', port: echo.port, wires: [['opened']] },
        { id: 'opened', type: 'helper' },
      ], telit));
      const load = await ready('load');
      const profiled = nextMessage(helper.getNode('out'), 15000);
      load.receive({ payload: pki.ca.cert });
      await profiled;
      const open = helper.getNode('open');
      for (const round of [1, 2]) {
        const mark = modem.log.length;
        const opened = nextMessage(helper.getNode('opened'), 15000);
        open.receive({});
        assert.equal((await opened).socket, '1', `round ${round}`);
        const lines = modem.log.slice(mark).map((e) => e.line).filter((l) => /^AT#SSL[DH]=/.test(l));
        assert.deepEqual(lines, round === 1 ? [`AT#SSLD=1,${echo.port},"127.0.0.1",0,1`] : ['AT#SSLH=1', `AT#SSLD=1,${echo.port},"127.0.0.1",0,1`]);
        await waitForStatus(open, (st) => st.text === `connected 127.0.0.1:${echo.port}`);
      }
      // Socket 1 belongs to the node 'open': the other one is refused before anything is written.
      const mark = modem.log.length;
      const caught = await refusal('other', {});
      await barrier();
      assert.equal(caught.modemError.code, 834);
      assert.match(caught.error.message, /secure socket 1 is already connected/);
      assert.ok(!modem.log.slice(mark).some((e) => /^AT#SSL[DH]=/.test(e.line)), 'neither closed nor dialled');
      assert.equal(echo.connections, 2, 'one handshake per open, none for the refused one');
      // The server sees the first connection end (the simulated module closes its TCP side) and the second stay.
      for (let i = 0; i < 100 && echo.openConnections !== 1; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(echo.openConnections, 1, 'the reopened connection is the only one open');
    });

    it('tls-open given two messages at once opens, then reopens: both go on, no error, one connection left', async () => {
      await loadFlow(NODES, flow([
        { id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '1', wires: [['profile']] },
        { id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: '1', verify: 'server', ca: '1', tlsVersion: '1.2', ciphers: 'auto', sni: true, checkHostname: true, checkDate: true, wires: [['out']] },
        { id: 'open', type: 'modem-tls-open', modem: 'cfg', profile: '1', host: '127.0.0.1', port: echo.port, wires: [['opened']] },
        { id: 'opened', type: 'helper' },
      ], telit));
      const load = await ready('load');
      const profiled = nextMessage(helper.getNode('out'), 15000);
      load.receive({ payload: pki.ca.cert });
      await profiled;
      const outs: Msg[] = [];
      const both = new Promise<void>((resolve) => helper.getNode('opened').on('input', (m: Msg) => {
        outs.push(m);
        if (outs.length === 2) resolve();
      }));
      const open = helper.getNode('open');
      open.receive({});
      open.receive({});
      await both;
      assert.deepEqual(outs.map((m) => m.socket), ['1', '1']);
      await barrier();
      assert.equal(open.error.getCalls().length, 0);
      for (let i = 0; i < 100 && echo.openConnections !== 1; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(echo.openConnections, 1);
    });

    it('tls-open stopped while its message waits for a reconnecting modem opens nothing', async function () {
      this.timeout(30000);
      await loadFlow(NODES, flow([
        { id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '1', wires: [['profile']] },
        { id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: '1', verify: 'server', ca: '1', tlsVersion: '1.2', ciphers: 'auto', sni: true, checkHostname: true, checkDate: true, wires: [['out']] },
        { id: 'open', type: 'modem-tls-open', modem: 'cfg', profile: '1', host: '127.0.0.1', port: echo.port, wires: [['opened']] },
        { id: 'opened', type: 'helper' },
      ], { ...telit, readyTimeout: 30 }));
      const load = await ready('load');
      const profiled = nextMessage(helper.getNode('out'), 15000);
      load.receive({ payload: pki.ca.cert });
      await profiled;
      const open = helper.getNode('open');
      let sentOn = 0;
      helper.getNode('opened').on('input', () => sentOn++);
      (endpoint as unknown as { unplug(): void }).unplug();
      await waitForStatus(open, (st) => st.fill === 'yellow', 5000);
      open.receive({});
      await waitForStatus(open, (st) => /waiting/.test(st.text ?? ''), 5000);
      await open.close(false);
      // The modem comes back (the config reconnects by itself) and is brought up again.
      const mark = modem.log.length;
      await waitForStatus(load, (st) => st.text === 'ready', 15000);
      await barrier();
      assert.deepEqual(modem.log.slice(mark).filter((e) => /^AT#SSLD=/.test(e.line)), []);
      assert.equal(sentOn, 0);
      assert.equal(echo.openConnections, 0);
    });

    it('a handshake with the wrong CA fails; error-decode explains it through a Catch node', async () => {
      await loadFlow(NODES, [
        { id: 'flow', type: 'tab', label: 'test' },
        config(telit),
        { id: 'load', z: 'flow', x: 0, y: 0, type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '1', wires: [['profile']] },
        { id: 'profile', z: 'flow', x: 0, y: 0, type: 'modem-tls-profile', modem: 'cfg', profile: '1', verify: 'server', ca: '1', tlsVersion: '1.2', ciphers: 'auto', sni: true, checkHostname: true, checkDate: true, wires: [['open']] },
        { id: 'open', z: 'flow', x: 0, y: 0, type: 'modem-tls-open', modem: 'cfg', profile: '1', host: '127.0.0.1', port: echo.port, wires: [[]] },
        { id: 'catch', z: 'flow', x: 0, y: 0, type: 'catch', scope: ['open'], wires: [['decode']] },
        { id: 'decode', z: 'flow', x: 0, y: 0, type: 'modem-error-decode', wires: [['out']] },
        { id: 'out', z: 'flow', x: 0, y: 0, type: 'helper' },
      ]);
      await ready('load');
      const out = nextMessage(helper.getNode('out'), 15000);
      helper.getNode('load').receive({ payload: pki.unrelatedCa.cert });
      const p = (await out).payload;
      assert.equal(p.vendor, 'telit');
      assert.equal(p.category, 'handshake');
      assert.equal(p.code, 839);
    });
  });
});
