/**
 * The u-blox adapter against a line-by-line reading of the manual (seeds/003; `l. n` is a line of
 * that file): `<sess_type>` 1 only, server certificates (type 3, "SC") stored, listed, removed and
 * pinned, the limit of 10 imported items, session data as secrets, +USECMNG op 4 on an unknown
 * name explained, and the suites of "Cipher suite applicability" known by their IANA names. Each
 * correction twice: a transcript in the manual's own forms (its example values byte for byte where
 * it gives one), and the simulated SARA-R5, which follows the same manual.
 */
import { strict as assert } from 'node:assert';
import { AtEngine, buildCommand, ModemError, p } from '../../../src/at';
import { UbloxAdapter, ubloxCapabilities } from '../../../src/adapters/ublox/adapter';
import { ubloxDialect } from '../../../src/adapters/ublox/dialect';
import { decodeUbloxError } from '../../../src/adapters/ublox/errors';
import { PROFILE_OPS } from '../../../src/adapters/ublox/profile-ops';
import { SUITES } from '../../../src/adapters/ublox/tables';
import { TcpLink } from '../../../src/link';
import { listenTcp, type SimulatedModem, type TcpEndpoint } from '../../../src/simulator';
import { createUbloxModem, type UbloxModemOptions } from '../../../src/simulator/dialects/ublox';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { startTlsEchoServer, type TlsEchoServer } from '../../../src/simulator/tls-servers';
import { cipherSuite, cipherSuiteByCode, toOpenSsl } from '../../../src/tls/ciphers';
import { md5, parseSecurityData, toPem } from '../../../src/tls/certificates';
import { readProfile } from '../../../src/tls/profile';
import { echo, startScriptedServer, type TestServer } from '../../support/scripted-tls-server';
import { framed } from '../../support/transcript';
import { closeEngines, done, engineRig, refused, type EngineRig } from '../../support/adapter-rig';

/** The manual's session data examples (l. 648, l. 701), as printed. */
const SESSION_ID = 'VWY5UENs0Hh3VWR1MjB2WTVMYVZ5TTdE0WpMeWZWeHo=';
const MASTER = 'SHVSODByUit0My9OMEtIT2ZsVVFRcUsyTkdvaz0nWVFhRzdQZUpndG9IMzN4ZTBo';
const ENC_SESSION_ID = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh/Ljgstf1cLaEO2D8IMbxHcQlGfhVxC0in6aGVlSJGBWCAAKJo6Qw5Q+ugXaRZFquG0O69WeHnPRBkcwY2SN4bwnDbyR+709i0pt2nlaYMSCL77MAA=';
/** Base64 of the size the manual announces for its elided examples (l. 663, l. 734). */
const b64 = (size: number): string => Buffer.alloc(Math.ceil((size * 3) / 4), 0x5a).toString('base64').slice(0, size);

/** The eight pre-installed roots as op 3 lists them (+USECMNG Notes): they do not count towards the ten. */
const PREINSTALLED_ROWS = [
  '"CA","ubx_digicert_global_root_ca","DigiCert Global Root CA","2031/11/10"',
  '"CA","ubx_digicert_global_root_g2","DigiCert Global Root G2","2038/01/15"',
  '"CA","ubx_digicert_trusted_root_g4","DigiCert Trusted Root G4","2038/01/15"',
  '"CA","ubx_digicert_eccp384_root_g5","DigiCert TLS ECC P384 Root G5","2046/01/15"',
  '"CA","ubx_digicert_rsa4096_root_g5","DigiCert TLS RSA4096 Root G5","2046/01/15"',
  '"CA","ubx_baltimore_cybertrust_root","Baltimore CyberTrust Root","2025/05/12"',
  '"CA","ubx_tmo_usa_enterprise_root_ca","T-Mobile USA Enterprise Root CA","2040/11/03"',
  '"CA","ubx_starfield_service_root_ca_g2","Starfield Services Root Certificate Authority - G2","2034/06/28"',
];

let pki: TestPki;

function rig(): EngineRig & { adapter: UbloxAdapter } {
  const r = engineRig(ubloxDialect);
  return { ...r, adapter: new UbloxAdapter(r.engine) };
}

const write = (command: string): { host: string; modem: string } => ({ host: `${command}\r`, modem: framed('OK') });
const read = (profile: number, op: string, value: string): { host: string; modem: string } => ({ host: `AT+USECPRF=${profile},${op}\r`, modem: framed(`+USECPRF: ${profile},${op},${value}`, 'OK') });

/** The reads of a `verify: none`, no-SNI profile 0 the module already has (validation 0, version any, default suites, no names, no ALPN). */
const UNCHANGED_BASE = [read(0, '0', '0'), read(0, '1', '0'), read(0, '2', '0'), read(0, '3', '""'), read(0, '4', '""'), read(0, '5', '""'), read(0, '6', '""'), read(0, '10', '""')];
const UNCHANGED_ALPN = read(0, '15', '""');
const NONE = { profile: '0', verify: 'none', sni: false, tlsVersion: 'auto' } as const;

/** The adapter over TCP to a simulated module (SARA-R5 unless said otherwise). */
interface Simulated {
  modem: SimulatedModem;
  engine: AtEngine;
  adapter: UbloxAdapter;
  close(): Promise<void>;
}

async function simulated(options: UbloxModemOptions = {}): Promise<Simulated> {
  const modem = createUbloxModem({ timeScale: 0.01, connectTimeoutMs: 5000, preinstalled: [], ...options });
  const endpoint: TcpEndpoint = await listenTcp(modem);
  const link = new TcpLink({ transport: 'tcp', host: endpoint.host, port: endpoint.port });
  const engine = new AtEngine({ link, dialect: ubloxDialect, defaultTimeoutMs: 5000 });
  const adapter = new UbloxAdapter(engine, {});
  await link.open();
  for (const line of ubloxDialect.initCommands) await engine.send({ line: { text: line, display: line } });
  await adapter.prepare();
  return {
    modem,
    engine,
    adapter,
    async close() {
      engine.close('test over');
      await link.close();
      await endpoint.close();
      modem.close();
    },
  };
}

describe('u-blox adapter: corrections from the manual', function () {
  this.timeout(30000);
  const open: Array<{ close(): Promise<void> }> = [];

  before(() => {
    pki = createTestPki({ keyType: 'ec' });
  });

  afterEach(async () => {
    closeEngines();
    await Promise.allSettled(open.splice(0).map((o) => o.close()));
  });

  describe('<sess_type>: "Allowed values: 1" (l. 939–940)', () => {
    it('1 is written in the manual’s form; the manual’s own example value 0 and every other type are refused naming the field and what is allowed', async () => {
      const { link, engine, adapter } = rig();
      await engine.sync();
      const before = link.hostWrites.length;
      for (const type of [0, 3, 10, 11, 13]) {
        const err = await refused(adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { sessionType: type } })), 'vendorOptions.sessionType');
        assert.match(err.message, new RegExp(`^vendorOptions\\.sessionType: "?${type}"? is not one of 1 \\(`));
      }
      assert.equal(link.hostWrites.length, before, 'nothing written');
      link.expect(...UNCHANGED_BASE, { host: 'AT+USECPRF=0,13,1\r', modem: framed('+USECPRF: 0,13,1,0', 'OK') }, write('AT+USECPRF=0,13,1,1'), UNCHANGED_ALPN);
      const result = await adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { sessionType: 1 } }));
      done(link);
      assert.equal(result.written, 1);
      assert.equal(result.applied.sessionType, 1);
      assert.deepEqual(ubloxCapabilities().profiles.vendorOptions.find((r) => r.name === 'sessionType')?.values, [1]);
    });

    it('the simulated SARA-R5 holds type 1 and refuses the others', async () => {
      const sim = await simulated();
      open.push(sim);
      const type = await sim.engine.send({ line: buildCommand('+USECPRF', [p.int('profile_id', 0), p.int('op_code', 13), p.int('sess_tag', 1)]), responsePrefixes: ['+USECPRF:'] });
      assert.deepEqual(type.lines, ['+USECPRF: 0,13,1,1']);
      await assert.rejects(sim.engine.send({ line: buildCommand('+USECPRF', [p.int('profile_id', 0), p.int('op_code', 13), p.int('sess_tag', 1), p.int('sess_type', 0)]) }), (err: ModemError) => err.code === 4);
      assert.equal((await sim.adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { sessionType: 1, sessionResumption: true } }))).applied.sessionType, 1);
    });
  });

  describe('server certificates: <type> 3, "SC" (l. 247–258)', () => {
    it('imported as a ca upload with vendorOptions.serverCertificate (<type> 3); refused on cert and key uploads', async () => {
      const { link, engine, adapter } = rig();
      const parsed = parseSecurityData(pki.server.cert, 'ca');
      const pem = toPem('CERTIFICATE', parsed.der);
      link.expect(
        { host: 'AT+USECMNG=4,3,"my_srv_cert"\r', modem: framed('+CME ERROR: 4') },
        { host: `AT+USECMNG=0,3,"my_srv_cert",${pem.length}\r`, modem: '\r\n>' },
        { host: pem, modem: framed(`+USECMNG: 0,3,"my_srv_cert","${md5(parsed.der)}"`, 'OK') },
      );
      const result = await adapter.uploadSecurityData({ certType: 'ca', name: 'my_srv_cert', parsed, format: 'auto', vendorOptions: { serverCertificate: true } });
      done(link);
      assert.deepEqual([result.certType, result.verified, result.md5], ['ca', true, md5(parsed.der)]);
      const before = link.hostWrites.length;
      await refused(adapter.uploadSecurityData({ certType: 'cert', name: 'x', parsed: parseSecurityData(pki.client.cert, 'cert'), format: 'auto', vendorOptions: { serverCertificate: true } }), 'vendorOptions.serverCertificate');
      await refused(adapter.uploadSecurityData({ certType: 'key', name: 'x', parsed: parseSecurityData(pki.client.key, 'key'), format: 'auto', vendorOptions: { serverCertificate: true } }), 'vendorOptions.serverCertificate');
      await refused(adapter.removeSecurityData('ca', 'x', { vendorOptions: { storage: 'ram' } }), 'vendorOptions.storage');
      await refused(adapter.removeSecurityData('key', 'x', { vendorOptions: { serverCertificate: true } }), 'vendorOptions.serverCertificate');
      await engine.sync().catch(() => undefined);
      assert.ok(link.hostWrites.slice(before).every((w) => !w.toString('latin1').startsWith('AT+USECMNG')), 'nothing sent for a refusal');
      assert.ok(ubloxCapabilities().certificates.vendorOptions.some((r) => r.name === 'serverCertificate'));
    });

    it('the list reports them with the option that names them; a removal with it removes <type> 3', async () => {
      const { link, adapter } = rig();
      link.expect(
        { host: 'AT+USECMNG=3\r', modem: framed('"CA","AddTrustCA","AddTrust External CA Root","2020/05/30"', '"SC","my_srv_cert"', 'OK') },
        { host: 'AT+USECMNG=4,0,"AddTrustCA"\r', modem: framed('+USECMNG: 4,0,"AddTrustCA","77107370ec4db40a08a6e36a64a1435b"', 'OK') },
        { host: 'AT+USECMNG=4,3,"my_srv_cert"\r', modem: framed('+USECMNG: 4,3,"my_srv_cert","0123456789abcdef0123456789abcdef"', 'OK') },
        write('AT+USECMNG=2,3,"my_srv_cert"'),
        write('AT+USECMNG=2,0,"AddTrustCA"'),
      );
      const list = await adapter.listSecurityData();
      await adapter.removeSecurityData('ca', 'my_srv_cert', { vendorOptions: { serverCertificate: true } });
      await adapter.removeSecurityData('ca', 'AddTrustCA');
      done(link);
      assert.deepEqual(list, [
        { certType: 'ca', name: 'AddTrustCA', subject: 'CN=AddTrust External CA Root', notAfter: '2020-05-30T00:00:00.000Z', md5: '77107370ec4db40a08a6e36a64a1435b' },
        { certType: 'ca', name: 'my_srv_cert', md5: '0123456789abcdef0123456789abcdef', vendorOptions: { serverCertificate: true } },
      ]);
    });

    it('pinCert names one: the manual’s example AT+USECPRF=0,12,"my_srv_cert",0 (l. 590–592)', async () => {
      const { link, adapter } = rig();
      link.expect(...UNCHANGED_BASE, read(0, '12', '"",0'), write('AT+USECPRF=0,12,"my_srv_cert",0'), UNCHANGED_ALPN);
      const result = await adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { pinCert: 'my_srv_cert' } }));
      done(link);
      assert.deepEqual(result.applied.pinning, { cert: 'my_srv_cert', level: 0 });
    });

    it('on the simulated SARA-R5: stored, listed, pinned — the connection succeeds with the server’s own certificate and fails with another', async () => {
      const sim = await simulated();
      open.push(sim);
      const server: TlsEchoServer = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key });
      open.push(server);
      const asServer = { certType: 'ca', format: 'auto', vendorOptions: { serverCertificate: true } } as const;
      await sim.adapter.uploadSecurityData({ ...asServer, name: 'srv', parsed: parseSecurityData(pki.server.cert, 'ca') });
      await sim.adapter.uploadSecurityData({ ...asServer, name: 'other', parsed: parseSecurityData(pki.wrongHostServer.cert, 'ca') });
      const list = await sim.adapter.listSecurityData();
      assert.deepEqual(list.map((i) => [i.certType, i.name, i.vendorOptions?.serverCertificate, i.md5]), [
        ['ca', 'srv', true, md5(parseSecurityData(pki.server.cert, 'ca').der)],
        ['ca', 'other', true, md5(parseSecurityData(pki.wrongHostServer.cert, 'ca').der)],
      ]);
      // Level 2 pins the whole certificate (l. 908).
      await sim.adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { pinCert: 'srv', pinLevel: 2 } }));
      const ok = await sim.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server.port, mode: 'command' });
      await sim.adapter.closeSocket(ok.socket);
      await sim.adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { pinCert: 'other', pinLevel: 2 } }));
      await assert.rejects(sim.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server.port, mode: 'command' }), (err: ModemError) => err.code === 'errno 103');
      await sim.adapter.removeSecurityData('ca', 'other', { vendorOptions: { serverCertificate: true } });
      assert.deepEqual((await sim.adapter.listSecurityData()).map((i) => i.name), ['srv']);
    });
  });

  describe('"Up to 10 certificates or private keys can be imported" (l. 149)', () => {
    const userRows = (n: number): string[] => Array.from({ length: n }, (_, i) => (i % 2 ? `"PK","key${i}"` : `"CA","ca${i}","Filler","2030/01/01"`));

    it('the module refuses an import beyond ten; only then is the list (op 3) read, the pre-installed roots left out, to say why — nothing is written', async () => {
      const { link, adapter } = rig();
      const ca = parseSecurityData(pki.ca.cert, 'ca');
      link.expect(
        { host: 'AT+USECMNG=4,0,"eleventh"\r', modem: framed('+CME ERROR: 4') },
        { host: `AT+USECMNG=0,0,"eleventh",${ca.der.length}\r`, modem: framed('+CME ERROR: 20') },
        { host: 'AT+USECMNG=3\r', modem: framed(...userRows(10), ...PREINSTALLED_ROWS, 'OK') },
      );
      const err = await refused(adapter.uploadSecurityData({ certType: 'ca', name: 'eleventh', parsed: ca, format: 'der' }), 'name');
      done(link);
      assert.match(err.message, /holds 10 imported certificates and keys, the most it takes \(up to 10/);
      assert.ok(link.hostWrites.every((w) => !w.equals(ca.der)), 'no data sent after the refusal');
      // A refusal with room left is the module's own answer.
      link.expect(
        { host: 'AT+USECMNG=4,0,"ninth"\r', modem: framed('+CME ERROR: 4') },
        { host: `AT+USECMNG=0,0,"ninth",${ca.der.length}\r`, modem: framed('+CME ERROR: 4') },
        { host: 'AT+USECMNG=3\r', modem: framed(...userRows(8), ...PREINSTALLED_ROWS, 'OK') },
      );
      await assert.rejects(adapter.uploadSecurityData({ certType: 'ca', name: 'ninth', parsed: ca, format: 'der' }), (e: ModemError) => e.kind === 'CME' && e.code === 4);
      done(link);
      // With room, no list: the MD5 read, then the import; with force, the import alone.
      link.expect(
        { host: 'AT+USECMNG=4,0,"tenth"\r', modem: framed('+CME ERROR: 4') },
        { host: `AT+USECMNG=0,0,"tenth",${ca.der.length}\r`, modem: '\r\n>' },
        { host: ca.der, modem: framed(`+USECMNG: 0,0,"tenth","${md5(ca.der)}"`, 'OK') },
        { host: `AT+USECMNG=0,0,"ca0",${ca.der.length}\r`, modem: '\r\n>' },
        { host: ca.der, modem: framed(`+USECMNG: 0,0,"ca0","${md5(ca.der)}"`, 'OK') },
      );
      assert.equal((await adapter.uploadSecurityData({ certType: 'ca', name: 'tenth', parsed: ca, format: 'der' })).verified, true);
      assert.equal((await adapter.uploadSecurityData({ certType: 'ca', name: 'ca0', parsed: ca, format: 'der', force: true })).verified, true);
      done(link);
      assert.equal(ubloxCapabilities().certificates.maxItems, 10);
    });

    it('on the simulated SARA-R5 with its pre-installed roots: ten imports, the eleventh refused by the module ("memory full") and explained, a stored name replaced', async () => {
      const sim = await simulated({ preinstalled: undefined });
      open.push(sim);
      const ca = parseSecurityData(pki.ca.cert, 'ca');
      for (let i = 0; i < 10; i++) await sim.adapter.uploadSecurityData({ certType: 'ca', name: `ca${i}`, parsed: ca, format: 'der', force: true });
      await refused(sim.adapter.uploadSecurityData({ certType: 'ca', name: 'ca10', parsed: ca, format: 'der' }), 'name');
      const again = await sim.adapter.uploadSecurityData({ certType: 'ca', name: 'ca3', parsed: ca, format: 'pem', force: true });
      assert.equal(again.verified, true);
      assert.equal((await sim.adapter.listSecurityData()).length, 18, 'ten imported and the eight pre-installed');
    });
  });

  describe('session data (l. 646–745), a secret', () => {
    it('restored with the manual’s example values: the command as printed, "***" in the trace, only the option’s name in the result, a warning for tags the manual does not allow', async () => {
      const { link, adapter, traces } = rig();
      link.expect(
        ...UNCHANGED_BASE,
        write(`AT+USECPRF=0,13,2,"${SESSION_ID}","${MASTER}"`),
        write(`AT+USECPRF=0,13,12,"${ENC_SESSION_ID}",156`),
        UNCHANGED_ALPN,
      );
      const result = await adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { sessionId: SESSION_ID, sessionMasterSecret: MASTER, encryptedSessionId: ENC_SESSION_ID } }));
      done(link);
      assert.equal(result.written, 2);
      assert.deepEqual(result.applied.secretsWritten, ['sessionId', 'encryptedSessionId']);
      const shown = JSON.stringify(result) + traces.map((t) => t.text).join('\n');
      for (const secret of [SESSION_ID, MASTER, ENC_SESSION_ID]) assert.ok(!shown.includes(secret), 'no session data in the result or the trace');
      assert.ok(traces.some((t) => t.text === 'AT+USECPRF=0,13,2,"***","***"'));
      assert.ok(traces.some((t) => t.text === 'AT+USECPRF=0,13,12,"***",156'));
      const tags = result.warnings.filter((w) => w.includes('<sess_tag>'));
      assert.equal(tags.length, 2);
      assert.match(tags[0], /<sess_tag> 2 \(sessionId\) is not among the values the u-blox manual allows on these modules \(0, 1, 3\)/);
      assert.match(tags[1], /<sess_tag> 12 /);
    });

    it('a session ticket (<sess_tag> 3, allowed) inline with its size; tag 15 by size, then the data after ">" (l. 733–740), traced as a byte count', async () => {
      const { link, adapter, traces } = rig();
      const ticket = b64(332);
      const encPsk = b64(2408);
      link.expect(
        ...UNCHANGED_BASE,
        write(`AT+USECPRF=0,13,3,"${ticket}",332`),
        { host: 'AT+USECPRF=0,13,15,2408\r', modem: '\r\n>' },
        { host: encPsk, modem: framed('OK') },
        UNCHANGED_ALPN,
      );
      const result = await adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { sessionTicket: ticket, encryptedPskSessionTicket: encPsk } }));
      done(link);
      assert.deepEqual(result.applied.secretsWritten, ['sessionTicket', 'encryptedPskSessionTicket']);
      const tags = result.warnings.filter((w) => w.includes('<sess_tag>'));
      assert.equal(tags.length, 1, 'tag 3 is allowed; tag 15 is not');
      assert.match(tags[0], /<sess_tag> 15 .* needs TLS 1\.3/);
      assert.ok(traces.some((t) => t.kind === 'payload' && t.text === '<2408 bytes, secret>'));
      assert.ok(traces.every((t) => !t.text.includes(ticket) && !t.text.includes(encPsk.slice(0, 40))));
    });

    it('refused before anything is sent, the value never in the message: not base64, too long, a session ID without its master secret', async () => {
      const { link, engine, adapter } = rig();
      await engine.sync();
      const before = link.hostWrites.length;
      const bad = await refused(adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { sessionTicket: 'not base64!' } })), 'vendorOptions.sessionTicket');
      assert.ok(!bad.message.includes('not base64!'));
      const long = await refused(adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { sessionId: `${SESSION_ID}AAAA`, sessionMasterSecret: MASTER } })), 'vendorOptions.sessionId');
      assert.ok(!long.message.includes(SESSION_ID));
      await refused(adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { sessionId: SESSION_ID } })), 'vendorOptions.sessionMasterSecret');
      assert.equal(link.hostWrites.length, before, 'nothing written');
    });

    it('on the simulated SARA-R5: a ticket is taken; a session ID is refused by the module — the error carries no session data', async () => {
      const sim = await simulated();
      open.push(sim);
      const ticket = b64(332);
      const ok = await sim.adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { sessionResumption: true, sessionTicket: ticket } }));
      assert.deepEqual(ok.applied.secretsWritten, ['sessionTicket']);
      const status = await sim.engine.send({ line: buildCommand('+USECPRF', [p.int('profile_id', 0), p.int('op_code', 13), p.int('sess_tag', 0)]), responsePrefixes: ['+USECPRF:'] });
      assert.deepEqual(status.lines, ['+USECPRF: 0,13,0,2'], 'session data configured');
      let failure: ModemError | undefined;
      try {
        await sim.adapter.applyProfile(readProfile({ ...NONE, vendorOptions: { sessionId: SESSION_ID, sessionMasterSecret: MASTER } }));
      } catch (err) {
        failure = err as ModemError;
      }
      assert.ok(failure instanceof ModemError);
      assert.equal(failure.code, 4);
      const text = `${failure.message} ${JSON.stringify(failure.toJSON())}`;
      assert.ok(!text.includes(SESSION_ID) && !text.includes(MASTER), text);
      assert.equal(failure.command, 'AT+USECPRF=0,13,2,"***","***"');
    });
  });

  describe('+USECMNG op 4 on a name nothing is stored under: error 4', () => {
    it('the decoder explains it on that command; elsewhere 4 keeps its general meaning', () => {
      const onMd5 = decodeUbloxError({ code: 4, line: '+CME ERROR: 4', command: 'AT+USECMNG=4,0,"nothing"' });
      assert.equal(onMd5.name, 'no such certificate or key');
      assert.equal(onMd5.category, 'certificate');
      assert.equal(onMd5.code, 4);
      assert.ok(onMd5.meaning.length > 30 && /list/.test(onMd5.hint));
      assert.equal(decodeUbloxError({ line: '+CME ERROR: operation not supported', command: 'AT+USECMNG=2,3,"x"' }).name, 'no such certificate or key');
      assert.equal(decodeUbloxError({ code: 4 }).name, 'operation not supported');
      assert.equal(decodeUbloxError({ code: 4, command: 'AT+USECPRF=0,1,4' }).name, 'operation not supported');
      assert.equal(decodeUbloxError({ code: 3, command: 'AT+USECMNG=4,0,"x"' }).name, 'operation not allowed');
    });

    it('from the simulated SARA-R5, as an at-command would meet it; an upload still takes it as "nothing stored"', async () => {
      const sim = await simulated();
      open.push(sim);
      let failure: ModemError | undefined;
      try {
        await sim.engine.send({ line: buildCommand('+USECMNG', [p.int('op_code', 4), p.int('type', 0), p.str('name', 'nothing')]) });
      } catch (err) {
        failure = err as ModemError;
      }
      assert.ok(failure instanceof ModemError);
      const decoded = sim.adapter.decodeError(failure.toJSON() as { code?: string | number; line?: string; command?: string });
      assert.deepEqual([decoded.code, decoded.name], [4, 'no such certificate or key']);
      const up = await sim.adapter.uploadSecurityData({ certType: 'ca', name: 'nothing', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto' });
      assert.deepEqual([up.verified, up.unchanged], [true, false]);
    });
  });

  describe('"Cipher suite applicability" (l. 1693–1766) and src/tls/ciphers.ts', () => {
    /** The suites of the list that the shared table lacked, with the IANA registry's names. */
    const ADDED: ReadonlyArray<[number, string]> = [
      [0x008b, 'TLS_PSK_WITH_3DES_EDE_CBC_SHA'], [0x00aa, 'TLS_DHE_PSK_WITH_AES_128_GCM_SHA256'], [0x00ab, 'TLS_DHE_PSK_WITH_AES_256_GCM_SHA384'],
      [0x00ac, 'TLS_RSA_PSK_WITH_AES_128_GCM_SHA256'], [0x00ad, 'TLS_RSA_PSK_WITH_AES_256_GCM_SHA384'], [0xc003, 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA'],
      [0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA'], [0xc00d, 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA'], [0xc037, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256'],
      [0xc038, 'TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384'], [0xc0a4, 'TLS_PSK_WITH_AES_128_CCM'], [0xc0a5, 'TLS_PSK_WITH_AES_256_CCM'],
      [0xc0a6, 'TLS_DHE_PSK_WITH_AES_128_CCM'], [0xc0a7, 'TLS_DHE_PSK_WITH_AES_256_CCM'], [0xc0a9, 'TLS_PSK_WITH_AES_256_CCM_8'],
      [0xc0aa, 'TLS_PSK_DHE_WITH_AES_128_CCM_8'], [0xc0ab, 'TLS_PSK_DHE_WITH_AES_256_CCM_8'], [0xc0ad, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM'],
      [0xc0af, 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8'],
    ];

    it('every applicable suite is in the shared table under its code, and the u-blox names are those', () => {
      assert.equal(SUITES.length, 63);
      for (const suite of SUITES) assert.equal(cipherSuiteByCode(suite.code)?.iana, suite.iana, `0x${suite.code.toString(16)}`);
      assert.equal(ADDED.length, 19);
      for (const [code, name] of ADDED) {
        assert.equal(cipherSuite(name)?.code, code, name);
        assert.ok(toOpenSsl(name), `${name} has its OpenSSL name`);
      }
      assert.equal(toOpenSsl('TLS_PSK_DHE_WITH_AES_128_CCM_8'), 'DHE-PSK-AES128-CCM8');
      assert.equal(toOpenSsl('TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256'), 'ECDHE-PSK-AES128-CBC-SHA256');
    });

    it('the simulated SARA-R5 negotiates a suite that was missing: ECDHE-PSK (0xC037) selected by name', async () => {
      const key = Buffer.from('0sFpZ0AZqE0N6Ti9s0qt40ZP5Eqx', 'latin1');
      const server: TestServer = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo, {
        ciphers: 'ECDHE-PSK-AES128-CBC-SHA256',
        maxVersion: 'TLSv1.2',
        pskCallback: (_socket, identity) => (identity === 'device-7' ? key : null),
      });
      open.push(server);
      const sim = await simulated();
      open.push(sim);
      const applied = await sim.adapter.applyProfile(readProfile({ ...NONE, ciphers: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256', psk: key.toString('latin1'), pskIdentity: 'device-7' }));
      assert.deepEqual(applied.applied.cipherBytes, ['C0', '37']);
      const info = await sim.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server.port, mode: 'command' });
      assert.equal(server.stats.connections, 1);
      await sim.adapter.closeSocket(info.socket);
    });
  });

  describe('the +USECPRF op table', () => {
    it('one row per op in op-code order (op 13 once per <sess_tag>); what is written for a profile comes from the rows', () => {
      const ops = PROFILE_OPS.map((row) => row.op);
      assert.deepEqual(ops, [...ops].sort((a, b) => a - b));
      assert.deepEqual([...new Set(ops)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
      assert.deepEqual(PROFILE_OPS.filter((row) => row.op === 13).map((row) => row.label), [
        'sessionResumption', 'sessionType', 'sessionId', 'sessionTicket', 'pskSessionTicket', 'encryptedSessionId', 'encryptedSessionTicket', 'encryptedPskSessionTicket',
      ]);
    });
  });
});
