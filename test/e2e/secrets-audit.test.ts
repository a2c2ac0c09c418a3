/**
 * The secrets audit, one flow per vendor: every secret the vendor takes is set — the APN password
 * (cellular), the Wi-Fi passphrase (eS-WiFi), a client private key kept encrypted with its password
 * as a credential, the same key as DER, a wrong password on the message, a key password and a PSK
 * where the profile takes them, a u-blox session ticket — and the whole flow runs with the AT
 * trace on: provision, profile, open, echo, close, a failure that Catch hands to error-decode, and
 * raw commands that read settings back from the module. Then every channel is searched: what the
 * runtime was told (messages, statuses, warn/error/log with the trace), the Catch messages, the
 * flows as the editor's admin API exports them, and the credentials as the editor gets them
 * (`has_…` flags, never values). No secret may appear: not its value, not a base64 line of the key
 * PEM, not the key's DER as latin1, hex or base64.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import path from 'node:path';
import helper, { freshUserDirEachTest } from '../support/red-helper';
import { everythingSaid, redRuntimePath, until, type FlowNode, type Msg } from '../support/flow-probe';
import { flowSuite, pemBodyLines, tlsChain, type ChainSetup, type FlowSuite } from '../support/e2e-flows';
import type { ModemRig } from '../support/modem-rig';
import { startTelitRig } from '../support/telit-rig';
import { startUbloxRig } from '../support/ublox-rig';
import { startFibocomRig } from '../support/fibocom-rig';
import { startXbee3Rig } from '../support/xbee3-rig';
import { ESWIFI_NETWORK, startEswifiRig, type EswifiRig } from '../support/eswifi-rig';


const PASSWORD = 'key-Pa55word-3f9a1c77e2';
const WRONG_PASSWORD = 'wrong-Pa55word-58d0b1aa';
const APN_PASSWORD = 'apn-Pa55word-c0ffee4711';
const SIM_PIN = '4711';
const PASSPHRASE = 'Wi-Fi-Pa55phrase-90e1d2c3';
const PSK = 'psk-b7e3aa0f41c9d2e85f60';
const PSK_IDENTITY = 'psk-identity-6a1f0c93d4';
const TICKET = Buffer.from('session-ticket-secret-0a1b2c3d4e5f6789', 'latin1').toString('base64');

interface VendorCase {
  vendor: string;
  label: string;
  rig(): ModemRig;
  chain: ChainSetup;
  sockets: RegExp;
  /** modem-config credentials. */
  cfgCredentials: Record<string, string>;
  /** The profile node's fields for mutual TLS with the stored names. */
  mutual: FlowNode;
  /** Names for the client certificate and key in load-cert. */
  certName: string;
  keyName: string;
  /** load-cert fields a client key of this vendor needs (one-time programming, …). */
  keyFields?: Record<string, unknown>;
  /** load-cert message fields for the CA and the certificate (one-time programming). */
  loadFields?: Msg;
  /** tls-profile credentials (key password, PSK) where the vendor takes them. */
  profileCredentials?: Record<string, string>;
  /** A second profile node with the PSK, where the vendor takes one. */
  pskProfile?: FlowNode;
  /** Raw commands that read secret-bearing settings back from the module. */
  reads: string[];
  /** What some of those reads must answer in msg.payload: the secret masked, the rest kept. */
  masked?: Record<string, string[]>;
  /** Whatever else secret the vendor takes, applied through the flow. */
  extra?(e2e: FlowSuite<ModemRig>): Promise<void>;
  /** That the secrets did reach the module (from its log and state): a scan of a flow that never sent them would prove nothing. */
  reached(rig: any, lines: string[], trace: string[]): void;
}

const CASES: VendorCase[] = [
  {
    vendor: 'telit', label: 'Telit (platform 30)',
    rig: () => startTelitRig({ platform: '30', escapeGuardMs: 100, simPin: SIM_PIN }),
    chain: { load: { name: '1' }, profile: { profile: '1', ca: '1' } },
    sockets: /^[1-6]$/,
    cfgCredentials: { apnUser: 'apn-user', apnPassword: APN_PASSWORD, simPin: SIM_PIN },
    mutual: { verify: 'mutual', cert: '1', key: '1' },
    certName: '1', keyName: '1',
    reads: ['AT+CPIN?', 'AT#SSLSECCFG?', 'AT#SSLSECDATA=1,2,2', 'AT+CGAUTH?', 'AT+CGDCONT?'],
    reached(_rig, lines, trace) {
      assert.ok(lines.some((l) => l.startsWith('AT#SGACT=1,1,') && l.includes(`"${APN_PASSWORD}"`)), 'the APN password went with #SGACT');
      assert.ok(trace.some((t) => /^→ AT#SGACT=1,1,"apn-user","\*\*\*"$/.test(t)), 'and the trace shows it masked');
      assert.ok(trace.some((t) => /^→ AT#SSLSECDATA=1,1,2,\d+$/.test(t)), 'the key went with #SSLSECDATA');
    },
  },
  {
    vendor: 'ublox', label: 'u-blox (SARA-R5)',
    rig: () => startUbloxRig({ simPin: SIM_PIN }),
    chain: { load: { name: 'demo-ca', format: 'auto' }, profile: { profile: '0', ca: 'demo-ca', hostname: '', alpn: '' } },
    sockets: /^[0-6]$/,
    cfgCredentials: { apnUser: 'apn-user', apnPassword: APN_PASSWORD, simPin: SIM_PIN },
    mutual: { verify: 'mutual', cert: 'modem-cert', key: 'modem-key' },
    certName: 'modem-cert', keyName: 'modem-key',
    keyFields: { vendorOptions: '{"keepEncrypted": true}' },
    profileCredentials: { keyPassword: PASSWORD },
    pskProfile: { id: 'pskProfile', type: 'modem-tls-profile', modem: 'cfg', profile: '2', verify: 'server', ca: 'demo-ca', checkHostname: true, checkDate: true, tlsVersion: '1.2', ciphers: 'auto', sni: true, wires: [['applied']] },
    reads: ['AT+CPIN?', 'AT+USECPRF=0,7', 'AT+USECPRF=2,8', 'AT+USECPRF=2,9', 'AT+USECPRF=0,13', 'AT+USECPRF=0,13,3', 'AT+USECMNG=3', 'AT+CGAUTH?'],
    // The module reads the PSK identity back: the flow gets the line with the identity masked.
    masked: { 'AT+USECPRF=2,9': ['+USECPRF: 2,9,"***"'] },
    async extra(e2e) {
      const applied = await e2e.probe.run('profile', { vendorOptions: { sessionTicket: TICKET, sessionResumption: true } }, 'applied');
      assert.ok(applied.payload.applied.secretsWritten.includes('sessionTicket'), 'the ticket was written');
    },
    reached(rig, lines) {
      assert.equal(rig.device.find(2, 'modem-key')?.password, PASSWORD, 'the key is kept encrypted with its password');
      assert.deepEqual({ psk: rig.device.profiles[2].psk, id: rig.device.profiles[2].pskId, keyPassword: rig.device.profiles[0].keyPassword }, { psk: PSK, id: PSK_IDENTITY, keyPassword: PASSWORD });
      assert.ok(lines.some((l) => l.includes(TICKET)), 'the session ticket reached the module');
      assert.ok(lines.some((l) => l.startsWith('AT+UAUTHREQ=') && l.includes(APN_PASSWORD)), 'the APN password went with +UAUTHREQ');
    },
  },
  {
    vendor: 'fibocom', label: 'Fibocom (L610)',
    rig: () => startFibocomRig({ simPin: SIM_PIN }),
    chain: { load: { name: 'demo-ca', format: 'auto', vendorOptions: '' }, profile: { profile: '1', ca: '', hostname: '', checkHostname: false, sni: false, alpn: '' } },
    sockets: /^[1-6]$/,
    cfgCredentials: { apnUser: 'apn-user', apnPassword: APN_PASSWORD, simPin: SIM_PIN },
    mutual: { verify: 'mutual' },
    certName: 'modem-cert', keyName: 'modem-key',
    reads: ['AT+CPIN?', 'AT+GTSSLMODE?', 'AT+MIPCALL?', 'AT+CGAUTH?'],
    reached(rig, lines) {
      assert.ok(lines.some((l) => l.startsWith('AT+MIPCALL=1,') && l.includes(`"${APN_PASSWORD}"`)), 'the APN password went with +MIPCALL');
      assert.equal(rig.device.files.KEYFILE.length, 1, 'the key is on the module');
    },
  },
  {
    vendor: 'xbee3', label: 'XBee3 Cellular (LTE-M)',
    rig: () => startXbee3Rig(),
    chain: { load: { name: 'ca.pem', format: 'auto', vendorOptions: '' }, profile: { profile: '1', ca: 'ca.pem', hostname: '', checkHostname: false, sni: true, alpn: '' } },
    sockets: /^\d+$/,
    cfgCredentials: { apnUser: 'apn-user', apnPassword: APN_PASSWORD },
    mutual: { verify: 'mutual', cert: 'client.pem', key: 'client.key' },
    certName: 'client.pem', keyName: 'client.key',
    reads: ['AT$1', 'ATFS HASH /flash/certs/client.key', 'ATAN'],
    reached(rig, _lines, trace) {
      assert.ok(trace.some((t) => /^→ ATFS XPUT \/flash\/certs\/client\.key$/.test(t)), `the key went with ATFS XPUT: ${trace.filter((t) => t.includes('ATFS')).join(' | ')}`);
      const key = rig.device.flash.files().find((f: { path: string }) => f.path === '/flash/certs/client.key');
      assert.equal(key?.secure, true, 'a secure (write-only) file');
    },
  },
  {
    vendor: 'eswifi', label: 'eS-WiFi (ISM43362)',
    rig: () => startEswifiRig({ networks: [{ ssid: ESWIFI_NETWORK.ssid, passphrase: PASSPHRASE, security: 3 }] }),
    chain: { load: { name: '0', format: 'auto', vendorOptions: '' }, profile: { profile: '0', ca: '0', hostname: '', checkHostname: false, checkDate: false, tlsVersion: 'auto', sni: false, alpn: '' } },
    sockets: /^[0-3]$/,
    cfgCredentials: { wifiPassphrase: PASSPHRASE },
    mutual: { verify: 'mutual', ca: '0', cert: '0', key: '0' },
    certName: '0', keyName: '0',
    keyFields: { programOneTime: true },
    loadFields: { vendorOptions: { programOneTime: true } },
    reads: ['C?', 'P?', 'I?'],
    reached(rig, _lines, trace) {
      assert.equal(rig.device.wifi.passphrase, PASSPHRASE, 'the module got the passphrase');
      assert.ok(trace.includes('→ C2=***'), 'the trace shows it masked');
      assert.ok(rig.device.sets[0].key, 'the key is programmed in set 0');
    },
  },
];

/**
 * The editor's `GET /flows` and `GET /credentials/:type/:id`, served by the runtime's own API
 * (@node-red/runtime lib/api/flows: what the editor API calls) on the helper's admin app, which
 * the helper makes afresh for each flow it loads and which carries only the nodes' own routes.
 */
function mountEditorApi(): void {
  const h = helper as unknown as { _httpAdmin: { get(route: string, handler: (req: any, res: any) => void): void }; _redNodes: any };
  const runtimeDir = path.dirname(require.resolve('@node-red/runtime/package.json', { paths: [path.dirname(redRuntimePath())] }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const flowsApi = require(path.join(runtimeDir, 'lib', 'api', 'flows.js'));
  flowsApi.init({ log: { audit: () => undefined }, nodes: h._redNodes, flows: { getFlows: () => h._redNodes.getFlows() } });
  const reply = (res: any, work: Promise<unknown>): void => {
    work.then((body) => res.json(body), (err: Error) => res.status(500).json({ error: err.message }));
  };
  h._httpAdmin.get('/flows', (req, res) => reply(res, flowsApi.getFlows({ req })));
  h._httpAdmin.get('/credentials/:type/:id', (req, res) => reply(res, flowsApi.getNodeCredentials({ type: req.params.type, id: req.params.id, req })));
}

/** The admin API of the helper's Node-RED, as the editor calls it. */
async function adminGet(url: string): Promise<{ status: number; text: string; body: any }> {
  const res = await helper.request().get(url).set('Accept', 'application/json');
  return { status: res.status, text: res.text ?? JSON.stringify(res.body), body: res.body };
}

/**
 * Private bytes of a key's DER as they could be written out: latin1, hex either case, and base64
 * in each of the three alignments a slice can have inside a longer base64 text. The slice is from
 * the end of the DER (the private exponent's CRT values, or ciphertext): the first bytes of an RSA
 * key hold its modulus, which the certificate publishes.
 */
function secretBytes(der: Buffer): Array<[string, string]> {
  const end = der.length - 8;
  const slice = der.subarray(end - 32, end);
  return [
    ['key DER (latin1)', slice.toString('latin1')],
    ['key DER (hex)', slice.toString('hex')],
    ['key DER (HEX)', slice.toString('hex').toUpperCase()],
    ...[0, 1, 2].map((o) => ['key DER (base64)', der.subarray(end - 32 + o, end - 32 + o + 27).toString('base64')] as [string, string]),
  ];
}

for (const v of CASES) {
  describe(`secrets never leave: ${v.label}`, function () {
    this.timeout(60000);
    const e2e = flowSuite<ModemRig>({ tab: `secrets audit ${v.vendor}`, pki: { keyType: 'rsa' }, sockets: v.sockets });
    freshUserDirEachTest(`modem-tls-secrets-${v.vendor}-`);

    it(`secrets never leave: ${v.vendor} — provision, profile, open, echo, close, a caught failure and raw reads with the AT trace on; no secret in any message, status, log, Catch message, exported flow or credential read by the editor`, async () => {
      const r = e2e.use(v.rig());
      const mutual = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ca: e2e.pki.ca.cert, requestCert: true });
      const encrypted = e2e.pki.client.encryptedKey(PASSWORD);
      const keyDer = e2e.pki.client.keyDer;
      const encryptedDer = createPrivateKey({ key: encrypted, passphrase: PASSWORD }).export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: PASSWORD });
      const nodes = tlsChain(v.chain, {
        port: mutual.port,
        profile: v.mutual,
        extra: [
          { id: 'loadKey', type: 'modem-load-cert', modem: 'cfg', certType: 'key', name: v.keyName, format: 'auto', matchCert: e2e.pki.client.cert, ...v.keyFields, wires: [['loaded']] },
          ...(v.pskProfile ? [v.pskProfile] : []),
        ],
      });
      const credentials: Record<string, unknown> = {
        cfg: v.cfgCredentials,
        loadKey: { password: PASSWORD },
        ...(v.profileCredentials ? { profile: v.profileCredentials } : {}),
        ...(v.pskProfile ? { pskProfile: { psk: PSK, pskIdentity: PSK_IDENTITY } } : {}),
      };
      await e2e.start(nodes, { traceAt: true }, credentials);
      mountEditorApi();
      if (v.vendor === 'eswifi') await until('the module to join', () => (r as EswifiRig).device.joined !== undefined);
      if (v.cfgCredentials.simPin) {
        // The SIM asked for its PIN at power-up, and bring-up gave it the credential.
        assert.equal(r.modem.sim.pin, SIM_PIN);
        assert.equal(r.modem.sim.locked, false, 'the SIM was unlocked with the simPin credential');
        assert.ok(r.linesSince(0).includes(`AT+CPIN="${SIM_PIN}"`), 'the PIN reached the module');
      }

      // Provision: the CA, the client certificate, the key (encrypted PEM, its password a credential).
      const ca = await e2e.probe.run('load', { payload: e2e.pki.ca.cert, ...v.loadFields }, 'loaded');
      assert.equal(ca.payload.verified, true);
      await e2e.probe.run('load', { payload: e2e.pki.client.cert, certType: 'cert', name: v.certName, ...v.loadFields }, 'loaded');
      // A wrong password on the message: refused, and neither it nor the key is on the Catch message.
      const wrong = await e2e.probe.failure('loadKey', { payload: encrypted, password: WRONG_PASSWORD });
      assert.equal(wrong.modemError?.kind, 'PARAMETER', JSON.stringify(wrong.modemError));
      assert.equal(wrong.password, undefined, 'the password left the message');
      assert.equal(wrong.payload, undefined, 'the key left the message');
      // The key as encrypted DER with its password on the message: decrypted (so it can be compared),
      // and refused for a certificate it does not belong to.
      const mismatched = await e2e.probe.failure('loadKey', { payload: encryptedDer, password: PASSWORD, cert: e2e.pki.server.cert }, { outId: 'loaded' });
      assert.match(mismatched.error.message, /msg\.payload: the private key does not belong to the certificate/);
      const wrongDer = await e2e.probe.failure('loadKey', { payload: encryptedDer, password: WRONG_PASSWORD }, { outId: 'loaded' });
      assert.equal(wrongDer.modemError?.field, 'password', wrongDer.error.message);
      assert.equal(mismatched.password, undefined);
      assert.equal(mismatched.payload, undefined);
      // The same key, plain DER, on the message for the same mismatched certificate.
      const plainMismatch = await e2e.probe.failure('loadKey', { payload: keyDer, cert: e2e.pki.server.cert }, { outId: 'loaded' });
      assert.ok(plainMismatch.modemError);
      assert.equal(plainMismatch.payload, undefined);
      const key = await e2e.probe.run('loadKey', { payload: encrypted }, 'loaded');
      assert.equal(key.payload.certType, 'key');

      // Profile, open, echo, close over mutual TLS: the module signs with the key it was given.
      await e2e.probe.run('profile', {}, 'applied');
      if (v.pskProfile) await e2e.probe.run(String(v.pskProfile.id), {}, 'applied');
      const socket = await e2e.opens();
      assert.match(mutual.lastClientCertSubject ?? '', /CN=modem-client/);
      assert.equal((await e2e.echoes(socket, 'secret-free\n')).toString(), 'secret-free\n');
      await e2e.closes(socket);
      if (v.extra) await v.extra(e2e);

      // A failure caught by Catch → error-decode: a connection to a port nobody listens on; then a
      // tls-profile refused with the key password and PSK on the message.
      const { caught, decoded } = await e2e.failureOf('open', { port: 1 });
      assert.ok(caught.modemError, 'msg.modemError on the Catch message');
      assert.equal(decoded.payload.vendor, v.vendor);
      const profileFailure = await e2e.probe.failure('profile', { keyPassword: PASSWORD, psk: PSK, pskIdentity: PSK_IDENTITY, verify: 'bogus' });
      assert.equal(profileFailure.keyPassword, undefined);
      assert.equal(profileFailure.psk, undefined);

      // Raw commands that read settings back: whatever the module answers, no secret comes out.
      const answers: Msg[] = [];
      for (const command of v.reads) {
        const answer = await e2e.probe.run('at', { payload: command }, 'answer').catch((err: Error & { caught?: Msg }) => err.caught ?? Promise.reject(err));
        answers.push(answer);
        const expected = v.masked?.[command];
        if (expected) assert.deepEqual(answer.payload, expected, `${command} answers with the secret masked`);
      }
      // A user types secrets into at-command: the module gets them, the flow sees them masked.
      const typed = v.vendor === 'eswifi' ? `C2=${PASSPHRASE}` : v.vendor === 'xbee3' ? null : `AT+CGAUTH=1,1,"apn-user","${APN_PASSWORD}"`;
      if (typed) {
        const answer = await e2e.probe.run('at', { payload: typed }, 'answer').catch((err: Error & { caught?: Msg }) => err.caught ?? Promise.reject(err));
        answers.push(answer);
      }

      // Every channel.
      const said = everythingSaid();
      if (v.cfgCredentials.simPin) {
        const trace = said.filter((x) => x.where === 'log by cfg').map((x) => x.text);
        assert.ok(trace.includes('→ AT+CPIN="***"'), `the AT trace shows the PIN masked: ${trace.filter((t) => t.includes('CPIN')).join(' | ')}`);
        assert.deepEqual(answers[0]!.payload, ['+CPIN: READY'], 'AT+CPIN? says the SIM is ready, and nothing more');
      }
      assert.ok(said.some((s) => s.where === 'log by cfg'), 'the AT trace ran');
      assert.ok(said.some((s) => s.where.startsWith('status by')), 'statuses are part of the scan');
      assert.ok(said.some((s) => s.where === 'send by catch'), 'Catch messages are part of the scan');
      v.reached(r, r.linesSince(0), said.filter((x) => x.where === 'log by cfg').map((x) => x.text));
      const flows = await adminGet('/flows');
      assert.equal(flows.status, 200, flows.text);
      assert.ok(flows.text.includes('"type":"modem-config"'), 'the exported flows hold the modem config');
      const creds: Record<string, { status: number; text: string; body: any }> = {};
      for (const [type, id] of [['modem-config', 'cfg'], ['modem-load-cert', 'loadKey'], ['modem-tls-profile', 'profile'], ['modem-tls-profile', 'pskProfile']] as const) {
        if (id === 'pskProfile' && !v.pskProfile) continue;
        creds[id] = await adminGet(`/credentials/${type}/${id}`);
        assert.equal(creds[id].status, 200, creds[id].text);
      }
      // The editor learns that a secret is set, never what it is.
      for (const name of Object.keys(v.cfgCredentials)) {
        const secret = name === 'apnUser' ? undefined : creds.cfg!.body[name];
        if (secret !== undefined) assert.fail(`the editor got the value of ${name}`);
      }
      for (const name of Object.keys(v.cfgCredentials).filter((n) => n !== 'apnUser')) assert.equal(creds.cfg!.body[`has_${name}`], true, `has_${name}: ${creds.cfg!.text}`);
      assert.equal(creds.loadKey!.body.has_password, true, creds.loadKey!.text);

      const texts: Array<{ where: string; text: string }> = [
        ...said,
        ...answers.map((a, i) => ({ where: `at-command answer ${i}`, text: JSON.stringify(a) })),
        { where: 'GET /flows', text: flows.text },
        ...Object.entries(creds).map(([id, c]) => ({ where: `GET /credentials of ${id}`, text: c.text })),
      ];
      const secrets: Array<[string, string]> = [
        ['the key password', PASSWORD],
        ['the wrong password', WRONG_PASSWORD],
        ['the APN password', APN_PASSWORD],
        ['the SIM PIN', `"${SIM_PIN}"`],
        ['the Wi-Fi passphrase', PASSPHRASE],
        ['the PSK', PSK],
        ['the PSK identity', PSK_IDENTITY],
        ['the session ticket', TICKET],
        ['a PEM key header', 'PRIVATE KEY'],
        ...[e2e.pki.client.key, e2e.pki.client.keyRsaPem!, encrypted].flatMap((pem) => pemBodyLines(pem).map((line) => ['a line of key PEM', line] as [string, string])),
        ...[keyDer, e2e.pki.client.keyRsaDer!, encryptedDer].flatMap((der) => secretBytes(der)),
      ];
      for (const { where, text } of texts) {
        for (const [what, secret] of secrets) {
          assert.ok(!text.includes(secret), `${what} appeared in ${where}: ${text.slice(0, 200)}`);
        }
      }
    });

    if (v.cfgCredentials.simPin) {
      it(`secrets never leave: ${v.vendor} — a SIM PIN the SIM refuses: bring-up fails naming simPin, tls-open fails saying so, the PIN is given once (not again on the next bring-up) and said nowhere`, async () => {
        const wrongPin = '8642';
        const r = e2e.use(v.rig());
        const nodes = tlsChain(v.chain, { port: 9 });
        await e2e.deploy(e2e.flowOf(nodes, { traceAt: true, readyTimeout: 1 }), { cfg: { ...v.cfgCredentials, simPin: wrongPin } });
        mountEditorApi();
        const probe = e2e.watch();
        const pinLines = (): string[] => r.linesSince(0).filter((l) => /^AT\+CPIN=/.test(l));
        await until('the PIN to reach the SIM', () => pinLines().length === 1);
        assert.deepEqual(pinLines(), [`AT+CPIN="${wrongPin}"`]);
        assert.equal(r.modem.sim.locked, true, 'the SIM stays locked');
        const failed = await probe.failure('open', {}, { timeoutMs: 15000 });
        assert.equal(failed.modemError?.kind, 'LINK_DOWN', JSON.stringify(failed.modemError));
        assert.match(failed.error.message, /simPin was refused by the SIM/);
        // The next bring-up (the modem config retries) asks the SIM again, and gives no PIN.
        const asked = (): number => r.linesSince(0).filter((l) => l === 'AT+CPIN?').length;
        const state = (): string | undefined => (helper.getNode('cfg') as { modem?: { status?: { state?: string } } } | null)?.modem?.status?.state;
        await until('a second bring-up to ask the SIM and fail', () => asked() >= 2 && state() === 'not-responding', 15000);
        assert.equal(pinLines().length, 1, 'a refused PIN is not given twice');
        const said = everythingSaid();
        assert.ok(said.some((x) => x.where === 'log by cfg' && x.text === '→ AT+CPIN="***"'), 'the AT trace shows the PIN masked');
        const creds = await adminGet('/credentials/modem-config/cfg');
        assert.equal(creds.body.has_simPin, true);
      const flows = await adminGet('/flows');
        for (const { where, text } of [...said, { where: 'GET /flows', text: flows.text }, { where: 'GET /credentials', text: creds.text }]) {
          assert.ok(!text.includes(`"${wrongPin}"`) && !text.includes(`CPIN=${wrongPin}`), `the PIN appeared in ${where}: ${text.slice(0, 160)}`);
          assert.ok(!text.includes(SIM_PIN), `the SIM's PIN appeared in ${where}`);
        }
      });
    }
  });
}
