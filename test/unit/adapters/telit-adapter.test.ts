/**
 * The Telit adapter against scripted transcripts: every byte the host writes and every
 * byte the module answers, in the framing of the SSL/TLS User Guide (seeds/001) with
 * ATE0 and verbose result codes.
 */
import { strict as assert } from 'node:assert';
import { ModemError } from '../../../src/at';
import { telitDialect } from '../../../src/adapters/telit/dialect';
import { TelitAdapter } from '../../../src/adapters/telit/adapter';
import { chooseSend } from '../../../src/adapters/telit/transfer';
import { parseSecurityData, toPem } from '../../../src/tls/certificates';
import { readProfile } from '../../../src/tls/profile';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { framed, TranscriptLink } from '../../support/transcript';
import { closeEngines, done, engineRig, refused, type EngineRig } from '../../support/adapter-rig';

const CTRL_Z = '\x1a';

let pki: TestPki;

function rig(platform: string): EngineRig & { adapter: TelitAdapter } {
  const r = engineRig(telitDialect);
  return { ...r, adapter: new TelitAdapter(r.engine, { platform }) };
}

/** Opens secure socket `ssid` in COMMAND mode, as a tls-open would, with the transcript it takes. */
async function opened(link: TranscriptLink, adapter: TelitAdapter, ssid: number): Promise<void> {
  link.expect(
    { host: 'AT#SGACT?\r', modem: framed('#SGACT: 1,1', 'OK') },
    { host: `AT#SSLD=${ssid},443,"127.0.0.1",0,1\r`, modem: framed('OK') },
  );
  await adapter.openSocket({ profile: String(ssid), host: '127.0.0.1', port: 443, mode: 'command' });
}

/** prepare() on a module answering the test commands, S12 and the socket states as `answers` says. */
function preparedWith(link: TranscriptLink, answers: { sslen: string; secdata: string; sslcfg: string; s12: string; enabled: string[] }): void {
  link.expect(
    { host: 'AT#SSLEN=?\r', modem: framed(answers.sslen, 'OK') },
    { host: 'AT#SSLSECDATA=?\r', modem: framed(answers.secdata, 'OK') },
    { host: 'AT#SSLCFG=?\r', modem: framed(answers.sslcfg, 'OK') },
    { host: 'ATS12?\r', modem: framed(answers.s12, 'OK') },
    { host: 'AT#SSLEN?\r', modem: framed(...answers.enabled, 'OK') },
  );
}

describe('TelitAdapter', function () {
  this.timeout(10000);

  before(() => {
    pki = createTestPki({ keyType: 'rsa' });
  });

  afterEach(() => {
    closeEngines();
  });

  describe('applyProfile (§6.1–6.3, §6.7)', () => {
    it('server verification on platform 30: enable, cipher/auth, TLS 1.2 with SNI, SSLSRING mode 2', async () => {
      const { link, adapter } = rig('30');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,0', '#SSLEN: 2,0', 'OK') },
        { host: 'AT#SSLEN=1,1\r', modem: framed('OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,0', '#SSLSECCFG: 2,0,0', 'OK') },
        { host: 'AT#SSLSECCFG=1,0,1\r', modem: framed('OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,1,0,0,0,0', 'OK') },
        { host: 'AT#SSLSECCFG2=1,3,1\r', modem: framed('OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,0,0,0,0', 'OK') },
        { host: 'AT#SSLCFG=1,1,300,90,100,50,2,0,0,0\r', modem: framed('OK') },
      );
      const result = await adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1' }));
      done(link);
      assert.equal(result.written, 3);
      assert.deepEqual(result.warnings, []);
      assert.equal(result.applied.authMode, 1);
      assert.equal(result.applied.versionName, 'TLSv1.2');
      assert.equal(result.applied.sslSRingMode, 2);
    });

    it('writes nothing when the module already has the profile (idempotent provisioning)', async () => {
      const { link, adapter } = rig('30');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,1', 'OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,3,1,0,0,0', 'OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0', 'OK') },
      );
      const result = await adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1' }));
      done(link);
      assert.equal(result.written, 0);
    });

    it('one cipher suite by its platform number; on platform 37 a suite outside the grey area by hex code (§12.1.7)', async () => {
      const { link, adapter } = rig('37');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,0', 'OK') },
        { host: 'AT#SSLSECCFG=1,0xC02F,2\r', modem: framed('OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,3,1,1,0,3', 'OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0,0,0', 'OK') },
      );
      const result = await adapter.applyProfile(
        readProfile({ profile: '1', verify: 'mutual', ca: '1', cert: '1', key: '1', ciphers: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }),
      );
      done(link);
      assert.equal(result.applied.cipherSuite, '0xC02F');
      assert.equal(result.written, 1);
    });

    it('§6.3.4 platforms: TLS 1.2 as the floor by default, the CA stored for the socket trusted, preloaded CAs only on request', async () => {
      const { link, adapter } = rig('37');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,1', 'OK') },
        // From the module's default range TLS 1.0..1.2 to TLS 1.2..1.3.
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,3,0,0,0,1', 'OK') },
        { host: 'AT#SSLSECCFG2=1,4,1,1,0,3\r', modem: framed('OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0,0,0', 'OK') },
        // An explicit floor and the preloaded CAs, on request.
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,1', 'OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,4,1,1,0,3', 'OK') },
        { host: 'AT#SSLSECCFG2=1,4,1,1,1,4\r', modem: framed('OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0,0,0', 'OK') },
      );
      const auto = await adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1', tlsVersion: 'auto' }));
      assert.deepEqual([auto.applied.versionName, auto.applied.minVersionName], ['TLSv1.3', 'TLSv1.2']);
      const pinned = await adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1', tlsVersion: 'auto', vendorOptions: { minVersion: '1.3', preloadedCA: 1 } }));
      assert.equal(pinned.written, 1);
      done(link);
      await refused(adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1', tlsVersion: '1.2', vendorOptions: { minVersion: '1.3' } })), 'vendorOptions.minVersion');
      await refused(adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1', vendorOptions: { customCA: 256 } })), 'vendorOptions.customCA');
    });

    it('a 2G module (platform 10): no #SSLSECCFG2, with warnings instead of a refusal for the secure defaults', async () => {
      const { link, adapter } = rig('10');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,0', 'OK') },
        { host: 'AT#SSLSECCFG=1,0,1\r', modem: framed('OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,0,0,0,0', 'OK') },
        { host: 'AT#SSLCFG=1,1,300,90,100,50,2,0\r', modem: framed('OK') },
      );
      const result = await adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1' }));
      done(link);
      assert.equal(result.warnings.length, 2);
      assert.match(result.warnings[0], /cannot select the TLS version/);
      assert.match(result.warnings[1], /does not send SNI/);
    });

    it('verify none is applied with a warning', async () => {
      const { link, adapter } = rig('30');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,0', 'OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,3,1,0,0,0', 'OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0', 'OK') },
      );
      const result = await adapter.applyProfile(readProfile({ profile: '1', verify: 'none' }));
      done(link);
      assert.match(result.warnings[0], /not authenticated/);
    });

    it('refuses what the platform cannot do, naming the field, before writing anything', async () => {
      const { link, engine, adapter } = rig('30');
      await engine.sync();
      const before = link.hostWrites.length;
      const server = { profile: '1', verify: 'server', ca: '1' };
      await refused(adapter.applyProfile(readProfile({ ...server, ciphers: ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA'] })), 'ciphers');
      const other = await refused(adapter.applyProfile(readProfile({ ...server, ciphers: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' })), 'ciphers');
      assert.match(other.message, /platform 30 cannot select TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; it offers TLS_RSA_WITH_AES_128_CBC_SHA/);
      await refused(adapter.applyProfile(readProfile({ ...server, tlsVersion: '1.3' })), 'tlsVersion');
      await refused(adapter.applyProfile(readProfile({ ...server, alpn: 'h2' })), 'alpn');
      // No command takes an expected name: the host of #SSLD is the one checked.
      const named = await refused(adapter.applyProfile(readProfile({ ...server, hostname: 'broker.example.com' })), 'hostname');
      assert.match(named.message, /against the host tls-open connects to/);
      await refused(adapter.applyProfile(readProfile({ ...server, checkDate: false })), 'checkDate');
      await refused(adapter.applyProfile(readProfile({ ...server, ca: '2' })), 'ca');
      await refused(adapter.applyProfile(readProfile({ ...server, profile: '7' })), 'profile');
      await refused(adapter.applyProfile(readProfile({ ...server, vendorOptions: { pktSz: 1501 } })), 'vendorOptions.pktSz');
      // checkHostname can be switched off only where #SSLCFG has <skipHostMismatch> (§6.7.2).
      const twelve = rig('12');
      await twelve.engine.sync();
      await refused(twelve.adapter.applyProfile(readProfile({ ...server, checkHostname: false })), 'checkHostname');
      assert.equal(link.hostWrites.length, before, 'nothing written');
    });
  });

  describe('security data (§6.5)', () => {
    it('stores a CA certificate in PEM with LF-only lines ended by Ctrl-Z, then reads it back: verified', async () => {
      const { link, adapter } = rig('30');
      const pem = toPem('CERTIFICATE', pki.ca.certDer);
      assert.ok(!pem.includes('\r'));
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECDATA=1,2,1\r', modem: framed('ERROR') },
        { host: `AT#SSLSECDATA=1,1,1,${pem.length}\r`, modem: '\r\n> ' },
        { host: pem + CTRL_Z, modem: framed('OK') },
        { host: 'AT#SSLSECDATA=1,2,1\r', modem: framed('#SSLSECDATA: 1,1', ...pem.trimEnd().split('\n'), 'OK') },
      );
      const result = await adapter.uploadSecurityData({ certType: 'ca', name: '1', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto' });
      done(link);
      assert.deepEqual(
        { ...result, md5: undefined },
        { certType: 'ca', name: '1', bytes: pem.length, format: 'pem', md5: undefined, verified: true, unchanged: false, warnings: [] },
      );
    });

    it('does not write a certificate that is already stored identically', async () => {
      const { link, adapter } = rig('30');
      const pem = toPem('CERTIFICATE', pki.ca.certDer);
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECDATA=1,2,1\r', modem: framed('#SSLSECDATA: 1,1', ...pem.trimEnd().split('\n'), 'OK') },
      );
      const result = await adapter.uploadSecurityData({ certType: 'ca', name: '1', parsed: parseSecurityData(Buffer.from(pki.ca.certDer), 'ca'), format: 'auto' });
      done(link);
      assert.equal(result.unchanged, true);
      assert.equal(result.verified, true);
    });

    it('stores the RSA key as PKCS#1 PEM; the key never reaches the trace and is not read back', async () => {
      const { link, adapter, traces } = rig('30');
      const key = pki.client.keyRsaPem!.replace(/\r/g, '');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: `AT#SSLSECDATA=1,1,2,${key.length}\r`, modem: '\r\n> ' },
        { host: key + CTRL_Z, modem: framed('OK') },
      );
      const result = await adapter.uploadSecurityData({ certType: 'key', name: '1', parsed: parseSecurityData(pki.client.key, 'key'), format: 'auto' });
      done(link);
      assert.equal(result.verified, false);
      const body = key.split('\n')[1];
      assert.ok(traces.every((t) => !t.text.includes(body)), 'no key material in the trace');
      assert.ok(traces.some((t) => t.kind === 'payload' && /secret/.test(t.text)));
    });

    it('DER by exact size on platform 12, after switching <cert_format> to DER (§6.2.2)', async () => {
      const { link, adapter } = rig('12');
      const der = Buffer.from(pki.client.certDer);
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECDATA=1,2,0\r', modem: framed('ERROR') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,2', 'OK') },
        { host: 'AT#SSLSECCFG=1,0,2,0\r', modem: framed('OK') },
        { host: `AT#SSLSECDATA=1,1,0,${der.length}\r`, modem: '\r\n> ' },
        { host: der, modem: framed('OK') },
        { host: 'AT#SSLSECDATA=1,2,0\r', modem: framed('ERROR') },
      );
      const result = await adapter.uploadSecurityData({ certType: 'cert', name: '1', parsed: parseSecurityData(der, 'cert'), format: 'der' });
      done(link);
      assert.equal(result.format, 'der');
      assert.equal(result.bytes, der.length);
    });

    it('refuses DER where the platform takes PEM only, an EC key, a slot out of range, and data over the size limit', async () => {
      const { link, engine, adapter } = rig('30');
      await engine.sync();
      const before = link.hostWrites.length;
      await refused(adapter.uploadSecurityData({ certType: 'ca', name: '1', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'der' }), 'format');
      const ec = createTestPki({ keyType: 'ec' });
      await refused(adapter.uploadSecurityData({ certType: 'key', name: '1', parsed: parseSecurityData(ec.client.key, 'key'), format: 'auto' }), 'msg.payload');
      await refused(adapter.uploadSecurityData({ certType: 'ca', name: '9', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto' }), 'name');
      await refused(adapter.uploadSecurityData({ certType: 'ca', name: '1', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto', vendorOptions: { storage: 'ram' } }), 'vendorOptions.storage');
      assert.equal(link.hostWrites.length, before, 'nothing written');
    });
  });

  describe('sockets (§7)', () => {
    it('opens in COMMAND mode, sends text with #SSLSEND and binary with #SSLSENDEXT, reads with #SSLRECV', async () => {
      const { link, adapter } = rig('30');
      const binary = Buffer.from([0x00, 0x1a, 0x1b, 0xff, 0x0d, 0x0a]);
      const inbound = Buffer.from('\r\nOK\r\nSSLSRING: 1,5\r\n', 'latin1');
      link.expect(
        { host: 'AT#SGACT?\r', modem: framed('#SGACT: 1,1', 'OK') },
        { host: 'AT#SSLD=1,443,"127.0.0.1",0,1\r', modem: framed('OK') },
        { host: 'AT#SSLSEND=1\r', modem: '\r\n> ' },
        { host: `GET / HTTP/1.0\r\n\r\n${CTRL_Z}`, modem: framed('OK') },
        { host: `AT#SSLSENDEXT=1,${binary.length}\r`, modem: '\r\n> ' },
        { host: binary, modem: framed('OK') },
        { host: 'AT#SSLRECV=1,100\r', modem: Buffer.concat([Buffer.from(`\r\n#SSLRECV: ${inbound.length}\r\n`), inbound, Buffer.from(framed('OK'))]) },
      );
      const info = await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: 443, mode: 'command' });
      assert.deepEqual(info, { socket: '1', host: '127.0.0.1', port: 443, mode: 'command' });
      assert.equal(await adapter.send('1', Buffer.from('GET / HTTP/1.0\r\n\r\n')), 18);
      assert.equal(await adapter.send('1', binary), binary.length);
      assert.ok((await adapter.receive('1', 100)).equals(inbound));
      done(link);
    });

    it('opening a socket still open is refused locally; its holder naming it in `replaces` gets #SSLH, then #SSLD', async () => {
      const { link, adapter } = rig('30');
      await opened(link, adapter, 1);
      // Held by someone else (or nobody said it may go): nothing is written to the modem.
      const err = await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: 443, mode: 'command', replaces: ['2'] }).then(
        () => assert.fail('a second open of socket 1 must be refused'),
        (e: ModemError) => e,
      );
      assert.equal(err.code, 834);
      assert.match(err.message, /secure socket 1 is already connected/);
      done(link);
      // The holder opens again: the old connection is closed first, and `closed` says why.
      const closed: Array<[string, string]> = [];
      adapter.on('closed', (socket: string, reason: string) => closed.push([socket, reason]));
      link.expect(
        { host: 'AT#SSLH=1\r', modem: framed('OK') },
        { host: 'AT#SGACT?\r', modem: framed('#SGACT: 1,1', 'OK') },
        { host: 'AT#SSLD=1,8443,"127.0.0.1",0,1\r', modem: framed('OK') },
      );
      const info = await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: 8443, mode: 'command', replaces: ['1'] });
      assert.deepEqual(info, { socket: '1', host: '127.0.0.1', port: 8443, mode: 'command' });
      assert.deepEqual(closed, [['1', 'closed to be opened again']]);
      done(link);
      // Not open: `replaces` changes nothing.
      link.expect(
        { host: 'AT#SSLH=1\r', modem: framed('OK') },
        { host: 'AT#SGACT?\r', modem: framed('#SGACT: 1,1', 'OK') },
        { host: 'AT#SSLD=1,443,"127.0.0.1",0,1\r', modem: framed('OK') },
      );
      await adapter.closeSocket('1');
      await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: 443, mode: 'command', replaces: ['1'] });
      done(link);
    });

    it('ONLINE mode: bytes right behind CONNECT (a server that speaks first, data kept while suspended) are the socket\'s', async () => {
      const { link, adapter } = rig('30');
      const received: Array<[string, string]> = [];
      adapter.on('data', (socket: string, data: Buffer) => received.push([socket, data.toString('latin1')]));
      link.expect(
        { host: 'AT#SGACT?\r', modem: framed('#SGACT: 1,1', 'OK') },
        { host: 'AT#SSLD=1,443,"127.0.0.1",0,0\r', modem: `${framed('CONNECT')}220 ready` },
        { host: '+++', modem: framed('OK') },
        { host: 'AT#SSLO=1\r', modem: `${framed('CONNECT')}kept while suspended` },
        { host: '+++', modem: framed('OK') },
        { host: 'AT#SSLH=1\r', modem: framed('OK') },
      );
      await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: 443, mode: 'online' });
      await adapter.closeSocket('1', { vendorOptions: { suspend: true } });
      await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: 443, mode: 'online', vendorOptions: { resume: true } });
      await adapter.closeSocket('1');
      done(link);
      assert.deepEqual(received, [['1', '220 ready'], ['1', 'kept while suspended']]);
    });

    it('a receive that times out (§7.1.2.2 "#SSLRECV: 0 / TIMEOUT / OK") gives an empty Buffer', async () => {
      const { link, adapter } = rig('30');
      await opened(link, adapter, 1);
      link.expect({ host: 'AT#SSLRECV=1,15\r', modem: framed('#SSLRECV: 0', 'TIMEOUT', 'OK') });
      const got = await adapter.receive('1', 15);
      done(link);
      assert.equal(got.length, 0);
    });

    it('splits a large binary send into #SSLSENDEXT commands of at most 1500 bytes', async () => {
      const { link, adapter } = rig('30');
      await opened(link, adapter, 1);
      const data = Buffer.alloc(3200, 0xaa);
      for (const size of [1500, 1500, 200]) {
        link.expect({ host: `AT#SSLSENDEXT=1,${size}\r`, modem: '\r\n> ' }, { host: Buffer.alloc(size, 0xaa), modem: framed('OK') });
      }
      assert.equal(await adapter.send('1', data), 3200);
      done(link);
    });

    it('SSLSRING mode 2 delivers data as a `data` event; NO CARRIER closes the socket (checked with #SSLS)', async () => {
      const { link, adapter } = rig('30');
      link.expect(
        { host: 'AT#SGACT?\r', modem: framed('#SGACT: 1,1', 'OK') },
        { host: 'AT#SSLD=1,443,"127.0.0.1",0,1\r', modem: framed('OK') },
      );
      await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: 443, mode: 'command' });
      const received: Array<[string, Buffer]> = [];
      adapter.on('data', (socket: string, data: Buffer) => received.push([socket, data]));
      const closed = new Promise<[string, string]>((resolve) => adapter.once('closed', (s: string, r: string) => resolve([s, r])));
      link.expect({ host: 'AT#SSLS=1\r', modem: framed('#SSLS: 1,1', 'OK') });
      const payload = Buffer.from('OK\r\nNO CARRIER\r\n', 'latin1');
      link.feed(Buffer.concat([Buffer.from(`\r\nSSLSRING: 1,${payload.length},`), payload, Buffer.from('\r\n\r\nNO CARRIER\r\n')]));
      assert.deepEqual(await closed, ['1', 'closed by the server']);
      assert.equal(received.length, 1);
      assert.ok(received[0][1].equals(payload));
      done(link);
    });

    it('SSLSRING mode 1 only announces: the adapter reads the data itself (§7.4.4.1)', async () => {
      const { link, engine, adapter } = rig('30');
      await engine.sync();
      const got = new Promise<Buffer>((resolve) => adapter.once('data', (_s: string, d: Buffer) => resolve(d)));
      link.expect({ host: 'AT#SSLRECV=1,12\r', modem: Buffer.from(`\r\n#SSLRECV: 12\r\nhello, world\r\n\r\nOK\r\n`) });
      link.feed(framed('SSLSRING: 1,12'));
      assert.equal((await got).toString(), 'hello, world');
      done(link);
    });

    it('NO CARRIER: <SSId> right behind the answer of the #SSLRECV that took the last bytes (mode 1, §7.2): the bytes come out before `closed`', async () => {
      const { link, adapter } = rig('30');
      await opened(link, adapter, 1);
      const seen: string[] = [];
      adapter.on('data', (s: string, d: Buffer) => seen.push(`data ${s}:${d.toString()}`));
      adapter.on('closed', (s: string, why: string) => seen.push(`closed ${s}: ${why}`));
      link.expect({ host: 'AT#SSLRECV=1,5\r', modem: Buffer.from(`\r\n#SSLRECV: 5\r\nlast!\r\n\r\nOK\r\n${framed('NO CARRIER: 1,1')}`) });
      link.feed(framed('SSLSRING: 1,5'));
      while (seen.length < 2) await new Promise((r) => setTimeout(r, 5));
      done(link);
      assert.deepEqual(seen, ['data 1:last!', 'closed 1: closed by the server']);
    });

    it('closes with #SSLH; a socket the server already closed counts as closed (833)', async () => {
      const { link, adapter } = rig('30');
      await opened(link, adapter, 1);
      await opened(link, adapter, 2);
      link.expect(
        { host: 'AT#SSLH=1\r', modem: framed('OK') },
        { host: 'AT#SSLH=2\r', modem: framed('+CME ERROR: 833') },
      );
      await adapter.closeSocket('1');
      await adapter.closeSocket('2');
      done(link);
    });

    it('refuses to send, read or close on a socket no flow opened, naming it and those that are open; nothing is written', async () => {
      const { link, adapter } = rig('30');
      await opened(link, adapter, 1);
      const written = link.written.length;
      for (const attempt of [adapter.send('2', Buffer.from('x')), adapter.receive('3', 10), adapter.closeSocket('2')]) {
        const err = await refused(attempt, 'msg.socket');
        assert.match(err.message, /^msg\.socket: secure socket [23] is not open \(open: 1\)$/);
      }
      assert.equal(link.written.length, written);
      done(link);
    });

    it('a socket the server closed: a send says so without a command; a close is already done', async () => {
      const { link, adapter } = rig('30');
      await opened(link, adapter, 1);
      link.feed(framed('NO CARRIER: 1,0'));
      const written = link.written.length;
      const err = await refused(adapter.send('1', Buffer.from('late')), 'msg.socket');
      assert.equal(err.message, 'msg.socket: secure socket 1 is no longer open (closed by the server); open it again with tls-open');
      await adapter.closeSocket('1');
      assert.equal(link.written.length, written);
      done(link);
    });

    it('a lost link ends every connection for the flows (closed, with the reason), and the next open dials again', async () => {
      const { link, adapter } = rig('30');
      await opened(link, adapter, 1);
      const closed: string[] = [];
      adapter.on('closed', (socket: string, reason: string) => closed.push(`${socket}: ${reason}`));
      adapter.forgetConnections('serial port /dev/ttyUSB0 not found');
      assert.deepEqual(closed, ['1: the link to the modem was lost: serial port /dev/ttyUSB0 not found']);
      await opened(link, adapter, 1);
      done(link);
    });

    it('two messages sent at once on one socket keep their chunks in order on the wire', async () => {
      const { link, adapter } = rig('30');
      await opened(link, adapter, 1);
      const first = Buffer.alloc(3000, 0x01);
      const second = Buffer.alloc(3000, 0x02);
      for (const fill of [0x01, 0x02]) {
        for (const size of [1500, 1500]) {
          link.expect({ host: `AT#SSLSENDEXT=1,${size}\r`, modem: '\r\n> ' }, { host: Buffer.alloc(size, fill), modem: framed('OK') });
        }
      }
      assert.deepEqual(await Promise.all([adapter.send('1', first), adapter.send('1', second)]), [3000, 3000]);
      done(link);
    });

    it('the network is attached with the configured APN when no context is active (§5)', async () => {
      const { link, engine } = engineRig(telitDialect, { sync: false });
      const adapter = new TelitAdapter(engine, { platform: '30', apn: 'iot.example', apnUser: 'u', apnPassword: 'p4ss' });
      link.expect(
        { host: 'AT\r', modem: framed('OK') },
        { host: 'AT#SGACT?\r', modem: framed('#SGACT: 1,0', 'OK') },
        { host: 'AT+CGDCONT=1,"IP","iot.example"\r', modem: framed('OK') },
        { host: 'AT#SGACT=1,1,"u","p4ss"\r', modem: framed('#SGACT: 10.7.125.7', 'OK') },
      );
      assert.equal(await engine.exclusive((at) => adapter.attachNetwork(at)), '10.7.125.7');
      done(link);
    });
  });

  describe('holdReceive: only SSLSRING mode 1 leaves the data in the module (§7.4.4.1)', () => {
    /** Resolves once `check` holds (the test's own timeout bounds the wait). */
    async function until(check: () => boolean): Promise<void> {
      while (!check()) await new Promise((r) => setTimeout(r, 5));
    }
    /** A command through the same queue, answered OK: every read queued before it has gone by then. */
    async function barrier(r: EngineRig): Promise<void> {
      r.link.expect({ host: 'AT\r', modem: framed('OK') });
      await r.engine.sync();
    }
    const reads = (r: EngineRig): number => r.link.hostWrites.filter((w) => w.toString('latin1').startsWith('AT#SSLRECV')).length;
    /** applyProfile of secure socket 1 with `<sslSRingMode>` `mode` on platform 30, on a module that has the rest already. */
    async function appliedWithRingMode(link: TranscriptLink, adapter: TelitAdapter, mode: number): Promise<void> {
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,1', 'OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,3,1,0,0,0', 'OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0', 'OK') },
        ...(mode === 2 ? [] : [{ host: `AT#SSLCFG=1,1,300,90,100,50,${mode},0,0,0\r`, modem: framed('OK') }]),
      );
      await adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1', vendorOptions: { sslSRingMode: mode } }));
    }
    const sslrecv = (data: string): Buffer => Buffer.from(`\r\n#SSLRECV: ${data.length}\r\n${data}\r\n\r\nOK\r\n`);

    it('mode 1: SSLSRING while held is not read (no #SSLRECV on the wire); on release the last announcement is read, in order; a hold ends with its connection', async () => {
      const r = rig('30');
      const { link, adapter } = r;
      await appliedWithRingMode(link, adapter, 1);
      await opened(link, adapter, 1);
      const data: string[] = [];
      adapter.on('data', (s: string, d: Buffer) => data.push(`${s}:${d.toString()}`));
      link.expect({ host: 'AT#SSLRECV=1,5\r', modem: sslrecv('first') });
      link.feed(framed('SSLSRING: 1,5'));
      await until(() => data.length === 1);
      assert.equal(adapter.holdReceive('1', true), true);
      assert.equal(adapter.holdReceive('1', true), true, 'holding twice is the same hold');
      link.feed(framed('SSLSRING: 1,6'));
      link.feed(framed('SSLSRING: 1,12'));
      await barrier(r);
      assert.equal(reads(r), 1, 'nothing read while held');
      link.expect({ host: 'AT#SSLRECV=1,12\r', modem: sslrecv('second;third') });
      assert.equal(adapter.holdReceive('1', false), true);
      await until(() => data.length === 2);
      assert.deepEqual(data, ['1:first', '1:second;third']);
      assert.equal(adapter.holdReceive('1', false), true, 'a release with nothing held is harmless');
      // Held, then the server closes: the hold is gone with the connection.
      adapter.holdReceive('1', true);
      link.feed(framed('SSLSRING: 1,4'));
      link.feed(framed('NO CARRIER: 1,0'));
      await until(() => adapter.holdReceive('1', false) === false);
      await opened(link, adapter, 1);
      link.expect({ host: 'AT#SSLRECV=1,5\r', modem: sslrecv('fresh') });
      link.feed(framed('SSLSRING: 1,5'));
      await until(() => data.length === 3);
      done(link);
      assert.deepEqual(data.at(-1), '1:fresh', 'the next connection on the id is read at once');
      assert.equal(reads(r), 3);
    });

    it('mode 2 (the default here) pushes the data inside the URC: false, and the data keeps coming', async () => {
      const r = rig('30');
      const { link, adapter } = r;
      await appliedWithRingMode(link, adapter, 2);
      await opened(link, adapter, 1);
      const data: string[] = [];
      adapter.on('data', (_s: string, d: Buffer) => data.push(d.toString()));
      assert.equal(adapter.holdReceive('1', true), false);
      link.feed('\r\nSSLSRING: 1,5,hello\r\n');
      await until(() => data.length === 1);
      assert.deepEqual(data, ['hello']);
      assert.equal(adapter.holdReceive('1', false), false);
      done(link);
    });

    it('a mode this adapter has neither written nor seen is not trusted: false until an SSLSRING without data shows mode 1; ONLINE mode: false', async () => {
      const r = rig('30');
      const { link, adapter } = r;
      await opened(link, adapter, 1);
      assert.equal(adapter.holdReceive('1', true), false, 'mode unknown');
      const got = new Promise<Buffer>((resolve) => adapter.once('data', (_s: string, d: Buffer) => resolve(d)));
      link.expect({ host: 'AT#SSLRECV=1,5\r', modem: sslrecv('hello') });
      link.feed(framed('SSLSRING: 1,5'));
      assert.equal((await got).toString(), 'hello');
      assert.equal(adapter.holdReceive('1', true), true, 'mode 1 seen');
      adapter.holdReceive('1', false);
      assert.equal(adapter.holdReceive('4', true), false, 'a socket not open');
      link.expect(
        { host: 'AT#SGACT?\r', modem: framed('#SGACT: 1,1', 'OK') },
        { host: 'AT#SSLD=2,443,"127.0.0.1",0,0\r', modem: framed('CONNECT') },
      );
      await adapter.openSocket({ profile: '2', host: '127.0.0.1', port: 443, mode: 'online' });
      assert.equal(adapter.holdReceive('2', true), false, 'ONLINE: the bytes come on the line');
      done(link);
    });
  });

  describe('bulk data: the method with the best ceiling on the wire (§7.1, transfer.ts)', () => {
    /** A 4G module whose line rate the adapter knows, brought up with `s12` as its escape guard time. */
    async function atLineRate(baudRate: number | undefined, s12: string): Promise<EngineRig & { adapter: TelitAdapter }> {
      const r = engineRig(telitDialect, { sync: false });
      const adapter = new TelitAdapter(r.engine, { platform: '30', baudRate });
      r.link.expect({ host: 'AT\r', modem: framed('OK') });
      preparedWith(r.link, {
        sslen: '#SSLEN: (1-6),(0,1)',
        secdata: '#SSLSECDATA: (1-6),(0-2),(0-2),(1-4096)',
        sslcfg: '#SSLCFG: (1-6),(1-5),(0-1500),(0-65535),(10-5000),(0-255),(0-2),(0),(0)',
        s12,
        enabled: ['#SSLEN: 1,0', '#SSLEN: 2,0'],
      });
      await adapter.prepare();
      done(r.link);
      return { ...r, adapter };
    }

    /** Every byte value, over and over: `length` bytes. */
    const pattern = (length: number, seed = 0): Buffer => Buffer.from(Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff));

    it('text goes by #SSLSEND while that is the fewer bytes, by #SSLSENDEXT once a payload needs a second #SSLSEND', async () => {
      const { link, adapter } = rig('30');
      await opened(link, adapter, 1);
      const fits = 'a'.repeat(1023);
      const over = 'b'.repeat(1100);
      link.expect(
        { host: 'AT#SSLSEND=1\r', modem: '\r\n> ' },
        { host: `${fits}${CTRL_Z}`, modem: framed('OK') },
        { host: 'AT#SSLSENDEXT=1,1100\r', modem: '\r\n> ' },
        { host: over, modem: framed('OK') },
      );
      assert.equal(await adapter.send('1', Buffer.from(fits)), 1023);
      assert.equal(await adapter.send('1', Buffer.from(over)), 1100);
      done(link);
    });

    it('reads the module\'s escape guard time at start-up (ATS12?, fiftieths of a second) and weighs ONLINE mode with it: at S12 = 50 (1 s) 256 KiB stays in COMMAND mode', async () => {
      // With 20 ms guard times 256 KiB would go ONLINE at 921600 baud (next test); 100 KiB would not.
      assert.equal(chooseSend(256 * 1024, 921600, { text: false, onlineGuardMs: 20 }).kind, 'online');
      assert.equal(chooseSend(100 * 1024, 921600, { text: false, onlineGuardMs: 20 }).kind, 'binary');
      const { link, adapter } = await atLineRate(921600, '050');
      await opened(link, adapter, 1);
      const data = pattern(256 * 1024, 5);
      for (let offset = 0; offset < data.length; offset += 1500) {
        const part = data.subarray(offset, offset + 1500);
        link.expect({ host: `AT#SSLSENDEXT=1,${part.length}\r`, modem: '\r\n> ' }, { host: part, modem: framed('OK') });
      }
      assert.equal(await adapter.send('1', data), data.length);
      done(link);
    });

    it('a send ONLINE mode moves sooner: #SSLO, CONNECT, the bytes raw, +++ after the guard time, OK; what the server sent meanwhile is the socket\'s, in order; then COMMAND mode again', async () => {
      const { link, adapter } = await atLineRate(921600, '001');
      await opened(link, adapter, 1);
      await opened(link, adapter, 2);
      const received: Array<[string, Buffer]> = [];
      adapter.on('data', (socket: string, data: Buffer) => received.push([socket, data]));
      const data = pattern(256 * 1024);
      const whileOnline = Buffer.from('echoed while ONLINE: \x00\x1a\x1b\xff +++ OK', 'latin1');
      const afterwards = Buffer.from('and after +++', 'latin1');
      const forTwo = Buffer.from('held for socket 2', 'latin1');
      link.expect(
        { host: 'AT#SSLO=1\r', modem: framed('CONNECT') },
        { host: data, modem: whileOnline },
        // Back in COMMAND mode, the module delivers what arrived since, on each socket, in the URC.
        {
          host: '+++',
          modem: Buffer.concat([
            Buffer.from(framed('OK')),
            Buffer.from(`\r\nSSLSRING: 1,${afterwards.length},`), afterwards, Buffer.from('\r\n'),
            Buffer.from(`\r\nSSLSRING: 2,${forTwo.length},`), forTwo, Buffer.from('\r\n'),
          ]),
        },
        { host: 'AT#SSLSEND=1\r', modem: '\r\n> ' },
        { host: `bye${CTRL_Z}`, modem: framed('OK') },
        { host: 'AT#SSLH=1\r', modem: framed('OK') },
      );
      assert.equal(await adapter.send('1', data), data.length);
      assert.equal(await adapter.send('1', Buffer.from('bye')), 3);
      await adapter.closeSocket('1');
      done(link);
      const on = (socket: string): Buffer => Buffer.concat(received.filter(([s]) => s === socket).map(([, d]) => d));
      assert.ok(on('1').equals(Buffer.concat([whileOnline, afterwards])), on('1').toString('latin1'));
      assert.ok(on('2').equals(forTwo));
    });

    it('the server closing during an ONLINE send: NO CARRIER ends ONLINE mode and the socket, and no +++ follows', async () => {
      const { link, adapter } = await atLineRate(921600, '001');
      await opened(link, adapter, 1);
      const closed = new Promise<[string, string]>((resolve) => adapter.once('closed', (s: string, r: string) => resolve([s, r])));
      const data = pattern(256 * 1024, 1);
      // <noCarrierMode> 0, our profiles' default: which socket it was is asked with #SSLS.
      link.expect(
        { host: 'AT#SSLO=1\r', modem: framed('CONNECT') },
        { host: data, modem: framed('NO CARRIER') },
        { host: 'AT#SSLS=1\r', modem: framed('#SSLS: 1,1', 'OK') },
      );
      assert.equal(await adapter.send('1', data), data.length);
      assert.deepEqual(await closed, ['1', 'closed by the server']);
      done(link);
      await refused(adapter.send('1', Buffer.from('late')), 'msg.socket');
    });

    it('without the line rate (a TCP link) a large send stays in COMMAND mode: the escape\'s silence could not be timed', async () => {
      const { link, adapter } = await atLineRate(undefined, '001');
      await opened(link, adapter, 1);
      const data = pattern(256 * 1024, 3);
      for (let offset = 0; offset < data.length; offset += 1500) {
        const part = data.subarray(offset, offset + 1500);
        link.expect({ host: `AT#SSLSENDEXT=1,${part.length}\r`, modem: '\r\n> ' }, { host: part, modem: framed('OK') });
      }
      assert.equal(await adapter.send('1', data), data.length);
      done(link);
    });
  });

  describe('cipher suites and the versions their §12.1 rows mark', () => {
    it('the 2G RC4_128_MD5 is TLS 1.0 only (line 3042): refused with TLS 1.2; selected as §6.8.5.1 does with auto', async () => {
      const { link, engine, adapter } = rig('10');
      await engine.sync();
      const before = link.hostWrites.length;
      const err = await refused(adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1', ciphers: 'TLS_RSA_WITH_RC4_128_MD5', tlsVersion: '1.2' })), 'ciphers');
      assert.equal(err.message, 'ciphers: TLS_RSA_WITH_RC4_128_MD5 is TLS 1.0 only on Telit platform 10; tlsVersion is 1.2');
      assert.equal(link.hostWrites.length, before, 'nothing written');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,0', 'OK') },
        // §6.8.5.1 (line 1322): "uses the TLS_RSA_WITH_RC4_128_MD5 cipher suite, and the server authentication mode".
        { host: 'AT#SSLSECCFG=1,1,1\r', modem: framed('OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0', 'OK') },
      );
      await adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1', ciphers: 'TLS_RSA_WITH_RC4_128_MD5', tlsVersion: 'auto' }));
      done(link);
    });

    it('25 Linux suite 8 has no TLS 1.2 (line 3209): refused with TLS 1.2; with auto it gets TLS 1.1, and a warning', async () => {
      const { link, engine, adapter } = rig('25-linux');
      await engine.sync();
      const err = await refused(adapter.applyProfile(readProfile({ profile: '1', verify: 'none', ciphers: 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA' })), 'ciphers');
      assert.equal(err.message, 'ciphers: TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA is TLS 1.0 and 1.1 only on Telit platform 25-linux; tlsVersion is 1.2');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,0', 'OK') },
        { host: 'AT#SSLSECCFG=1,8,0\r', modem: framed('OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,3,0,0,0,0', 'OK') },
        { host: 'AT#SSLSECCFG2=1,2\r', modem: framed('OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0', 'OK') },
      );
      const result = await adapter.applyProfile(readProfile({ profile: '1', verify: 'none', ciphers: 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', tlsVersion: 'auto' }));
      done(link);
      assert.equal(result.applied.versionName, 'TLSv1.1');
      assert.ok(result.warnings.some((w) => w === 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA is TLS 1.0 and 1.1 only on Telit platform 25-linux, so tlsVersion "auto" is TLS 1.1, which is obsolete (the Telit guide §11.1 recommends TLS 1.2 or 1.3)'), result.warnings.join('\n'));
    });

    it('25 ThreadX: a suite goes by its hex code, and a refusal names it by both numberings (§12.1.7 lines 3245-3252, §6.2.4 lines 452-459)', async () => {
      const { link, engine, adapter } = rig('25-threadx');
      await engine.sync();
      const err = await refused(adapter.applyProfile(readProfile({ profile: '1', verify: 'none', ciphers: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', tlsVersion: '1.3' })), 'ciphers');
      assert.equal(err.message, 'ciphers: TLS_DHE_RSA_WITH_AES_128_CBC_SHA (0x0033, 7 in §12.1.7, 5 in §6.2.4) is TLS 1.0 to 1.2 only on Telit platform 25-threadx; tlsVersion is 1.3');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        // A decimal read back is not taken for a suite (7 is this one in §12.1.7, another in §6.2.4): written again.
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,7,0,1', 'OK') },
        { host: 'AT#SSLSECCFG=1,0x0033,0,1\r', modem: framed('OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,3,1,0,0,3', 'OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0,0,0', 'OK') },
        // The hex code read back is the suite written: nothing to do.
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0x0033,0,1', 'OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,3,1,0,0,3', 'OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0,0,0', 'OK') },
      );
      const first = await adapter.applyProfile(readProfile({ profile: '1', verify: 'none', ciphers: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA' }));
      const again = await adapter.applyProfile(readProfile({ profile: '1', verify: 'none', ciphers: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA' }));
      done(link);
      assert.deepEqual([first.applied.cipherSuite, first.written, again.written], ['0x0033', 1, 0]);
    });

    it('platform 23 with ciphers auto proposes all 79 suites but NULL (§12.1.4, line 3101): applied, with a narrower choice as a warning', async () => {
      const { link, adapter } = rig('23');
      link.expect(
        { host: 'AT#SSLEN?\r', modem: framed('#SSLEN: 1,1', 'OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,1', 'OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,3,1,0,0,0', 'OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0', 'OK') },
        { host: 'AT#SSLSECCFG?\r', modem: framed('#SSLSECCFG: 1,0,1', 'OK') },
        { host: 'AT#SSLSECCFG=1,5,1\r', modem: framed('OK') },
        { host: 'AT#SSLSECCFG2?\r', modem: framed('#SSLSECCFG2: 1,3,1,0,0,0', 'OK') },
        { host: 'AT#SSLCFG?\r', modem: framed('#SSLCFG: 1,1,300,90,100,50,2,0,0,0', 'OK') },
      );
      const auto = await adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1' }));
      assert.deepEqual(auto.warnings, [
        'with ciphers "auto" Telit platform 23 proposes all 79 suites of its table except NULL (§12.1.4), export-grade, single-DES and RC4 ones among them, ' +
          'and the server picks one; choose TLS_RSA_WITH_AES_256_CBC_SHA or TLS_RSA_WITH_AES_128_CBC_SHA to propose that suite alone, or make sure the server accepts only strong suites',
      ]);
      const one = await adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1', ciphers: 'TLS_RSA_WITH_AES_256_CBC_SHA' }));
      done(link);
      assert.deepEqual(one.warnings, []);
    });
  });

  describe('#SSLCFG <cid>: the range the module reports (§6.7, §6.8.1, §6.8.2)', () => {
    /** prepare() on a module answering the test commands as `answers` says. */
    function prepared(link: TranscriptLink, answers: { sslen: string; secdata: string; sslcfg: string; enabled: string[] }): void {
      preparedWith(link, { ...answers, s12: '050' });
    }

    it('learns (1) from the HE910 (line 939), puts it in the cid row, and refuses another context naming it', async () => {
      const { link, adapter } = rig('12');
      prepared(link, {
        sslen: '#SSLEN: (1),(0,1)', // §6.8.3.1 line 1235
        secdata: '#SSLSECDATA: (1),(0-2),(0-2),(1-4096)',
        sslcfg: '#SSLCFG: (1),(1),(0-1500),(0-65535),(10-5000),(0-255),(0-2),(0),(0)', // §6.8.1 line 939
        enabled: ['#SSLEN: 1,0'],
      });
      await adapter.prepare();
      done(link);
      const row = adapter.capabilities().profiles.vendorOptions.find((r) => r.name === 'cid');
      assert.deepEqual([row?.min, row?.max], [1, 1]);
      const err = await refused(adapter.applyProfile(readProfile({ profile: '1', verify: 'none', vendorOptions: { cid: 2 } })), 'vendorOptions.cid');
      assert.match(err.message, /^vendorOptions\.cid: 2 is outside 1\.\.1 /);
    });

    it('learns (1-5) from the LE866 (line 1045) where the table had no range for the platform', async () => {
      const { link, adapter } = rig('30');
      assert.deepEqual(adapter.capabilities().profiles.vendorOptions.filter((r) => r.name === 'cid').map((r) => [r.min, r.max]), [[1, 16]]);
      prepared(link, {
        sslen: '#SSLEN: (1-6),(0,1)',
        secdata: '#SSLSECDATA: (1-6),(0-2),(0-2),(1-4096)',
        sslcfg: '#SSLCFG: (1-6),(1-5),(0-1500),(0-65535),(10-5000),(0-255),(0-2),(0),(0)', // §6.8.2 line 1045
        enabled: ['#SSLEN: 1,0', '#SSLEN: 2,0'],
      });
      await adapter.prepare();
      done(link);
      await refused(adapter.applyProfile(readProfile({ profile: '1', verify: 'none', vendorOptions: { cid: 6 } })), 'vendorOptions.cid');
    });

    it('refuses the modem config\'s context when it is outside the range, before writing anything', async () => {
      const { link, engine } = engineRig(telitDialect, { sync: false });
      const adapter = new TelitAdapter(engine, { platform: '12', cid: 3 });
      link.expect({ host: 'AT\r', modem: framed('OK') });
      await engine.sync();
      const err = await refused(adapter.applyProfile(readProfile({ profile: '1', verify: 'none' })), 'cid');
      assert.equal(err.message, 'cid: PDP context 3 of the modem config is outside the <cid> range 1..1 that Telit platform 12 takes for secure sockets (AT#SSLCFG=?); give vendorOptions.cid within it');
      done(link);
    });
  });

  it('decodes "Resource used by another instance" (§6.8.1, §6.8.2): 612, the guide\'s text with or without its full stop, the reference guides\' spelling', () => {
    const { adapter } = rig('12');
    const forms = [{ code: 612 }, { line: '+CME ERROR: 612' }, { line: '+CME ERROR: Resource used by another instance' }, { line: '+CME ERROR: Resource used by another instance.' }, { code: 'resource used by other instance' }];
    for (const form of forms) {
      const d = adapter.decodeError(form);
      assert.deepEqual([d.code, d.name, d.category], [612, 'Resource used by another instance', 'state'], JSON.stringify(form));
      assert.match(d.hint, /AT#SSLEN=<SSId>,0/);
    }
  });

  it('decodes the SSL error codes in numeric and verbose form (§12.2)', () => {
    const { adapter } = rig('30');
    const numeric = adapter.decodeError({ code: 839 });
    assert.equal(numeric.name, 'SSL error during handshake');
    assert.equal(numeric.category, 'handshake');
    assert.deepEqual(adapter.decodeError({ code: 'SSL error during handshake' }).code, 839);
    assert.equal(adapter.decodeError({ line: '+CME ERROR: 837' }).category, 'certificate');
    for (let code = 830; code <= 841; code++) {
      const d = adapter.decodeError({ code });
      assert.ok(d.meaning.length > 20 && d.hint.length > 20, `code ${code} is explained`);
    }
  });
});

describe('Telit dialect: secrets in raw command lines', () => {
  it('masks the passwords of the data connection and of the services, and nothing else', () => {
    const redact = telitDialect.redactCommand;
    assert.equal(redact('AT#SGACT=1,1,"user","s3cret"'), 'AT#SGACT=1,1,"user","***"');
    assert.equal(redact('AT#FTPOPEN="ftp.example:21","anne","s3cret",1'), 'AT#FTPOPEN="ftp.example:21","anne","***",1');
    assert.equal(redact('AT#MQCONN=1,"client_id","user","s3cret"'), 'AT#MQCONN=1,"client_id","user","***"');
    assert.equal(redact('AT#HTTPCFG=0,"server",443,1,"user","s3cret",1,120,1'), 'AT#HTTPCFG=0,"server",443,1,"user","***",1,120,1');
    assert.equal(redact('AT#SSLD=1,443,"example.com",0,1'), 'AT#SSLD=1,443,"example.com",0,1');
    assert.equal(telitDialect.secretResponse?.('AT#HTTPCFG?'), true);
    assert.equal(telitDialect.secretResponse?.('AT#SSLCFG?'), false);
  });
});
