/**
 * The Fibocom L610 adapter against transcripts in the manual's own forms (seeds/004; `l. n` is a
 * line of that file): its Examples 1–6 byte for byte where they are well-formed, the +GTSSLFILE
 * rules (counts as the only verification, one CERTFILE and one KEYFILE, no delete, nothing sent
 * twice), the settings read-compare-write, the restart that loses everything, and every
 * +GTSSLERR code explained.
 */
import { strict as assert } from 'node:assert';
import { createPrivateKey } from 'node:crypto';
import { ModemError } from '../../../src/at';
import { FibocomAdapter, fibocomCapabilities } from '../../../src/adapters/fibocom/adapter';
import { fibocomDialect } from '../../../src/adapters/fibocom/dialect';
import { decodeFibocomError } from '../../../src/adapters/fibocom/errors';
import { prepareFile } from '../../../src/adapters/fibocom/files';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { moduleRecord, ModuleRecord } from '../../../src/adapters/fibocom/state';
import { CIPHER_IDS } from '../../../src/adapters/fibocom/tables';
import { fibocomVendor } from '../../../src/adapters/fibocom';
import { HEX_PUSH, receiveFormat } from '../../../src/adapters/fibocom/transfer';
import { transferTime } from '../../../src/adapters/transfer';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { cipherSuite } from '../../../src/tls/ciphers';
import { parseSecurityData, toPem } from '../../../src/tls/certificates';
import { readProfile } from '../../../src/tls/profile';
import { closeEngines, done, engineRig, refused, type EngineRig } from '../../support/adapter-rig';
import { framed } from '../../support/transcript';

let pki: TestPki;
let other: TestPki;

function rig(options: ConstructorParameters<typeof FibocomAdapter>[1] = {}): EngineRig & { adapter: FibocomAdapter } {
  const r = engineRig(fibocomDialect);
  return { ...r, adapter: new FibocomAdapter(r.engine, options) };
}

const ok = (command: string): { host: string; modem: string } => ({ host: `${command}\r`, modem: framed('OK') });
/** `AT+GTSSLFILE?` as the manual prints it (l. 370–376). */
const counts = (cert: number, key: number, trust: number): { host: string; modem: string } => ({
  host: 'AT+GTSSLFILE?\r',
  modem: framed(`+GTSSLFILE: CERTFILE,${cert}`, `+GTSSLFILE: KEYFILE,${key}`, `+GTSSLFILE: TRUSTFILE,${trust}`, 'OK'),
});
const readMode = (n: number): { host: string; modem: string } => ({ host: 'AT+GTSSLMODE?\r', modem: framed(`+GTSSLMODE: ${n}`, 'OK') });
const readVer = (n: number): { host: string; modem: string } => ({ host: 'AT+GTSSLVER?\r', modem: framed(`+GTSSLVER: ${n}`, 'OK') });
const readCiphers = (...ids: number[]): { host: string; modem: string } => ({ host: 'AT+GTSSLCIPHER?\r', modem: ids.length ? framed(`+GTSSLCIPHER: ${ids.join(',')}`, 'OK') : framed('OK') });
const active = { host: 'AT+MIPCALL?\r', modem: framed('+MIPCALL: 1,10.109.197.168', 'OK') };
/** An upload: the command, the `>` of ODM mode, exactly the text, OK, then the counts again. */
const upload = (type: string, pem: string, after: [number, number, number]): Array<{ host: string; modem: string }> => [
  { host: `AT+GTSSLFILE="${type}",${pem.length}\r`, modem: '\r\n> ' },
  { host: pem, modem: framed('OK') },
  counts(...after),
];

const ECDHE_RSA_AES256_GCM = 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384';
const caps = fibocomCapabilities();
const profile = (own: Record<string, unknown>): ReturnType<typeof readProfile> => readProfile({ profile: '1', ...own }, {}, caps);

describe('FibocomAdapter', function () {
  this.timeout(10000);

  before(() => {
    pki = createTestPki({ keyType: 'rsa' });
    other = createTestPki({ keyType: 'ec' });
  });

  afterEach(() => {
    closeEngines();
  });

  describe('capabilities', () => {
    it('one profile, no names, PEM only, counted verification, sockets 1..6 pushed, the 31 suites by IANA name', () => {
      assert.deepEqual(caps.profiles.ids, { min: 1, max: 1 });
      assert.equal(caps.certificates.naming, 'none');
      assert.deepEqual(caps.certificates.formats, ['pem']);
      assert.equal(caps.certificates.verification, 'count');
      assert.equal(caps.certificates.maxBytes, 8192);
      assert.deepEqual(caps.sockets.ids, { min: 1, max: 6 });
      assert.equal(caps.sockets.push, true);
      assert.equal(caps.profiles.checkHostname, 'never');
      assert.equal(caps.profiles.ciphers.length, 31);
      assert.equal(caps.profiles.ciphers[4], ECDHE_RSA_AES256_GCM, 'ID 5 (l. 287)');
      for (const name of CIPHER_IDS) assert.ok(cipherSuite(name), `${name} is a known IANA suite`);
    });

    it('a load-cert name may be left empty; a profile needs no CA name (every trust file counts)', () => {
      const p = profile({ verify: 'mutual' });
      assert.equal(p.verify, 'mutual');
      assert.equal(p.ca, undefined);
    });
  });

  describe('Example 1: no verification (l. 325–341)', () => {
    it('activates with the APN (+MIPCALL URC), opens socket 1 with protocol 2, closes with +MIPCLOSE', async () => {
      const { link, adapter } = rig({ apn: 'CMNET' });
      link.expect(
        counts(0, 0, 0),
        readMode(0),
        // The factory TLS 1.0 is raised to 1.2 even without a profile.
        readVer(2),
        ok('AT+GTSSLVER=4'),
        { host: 'AT+MIPCALL?\r', modem: framed('+MIPCALL: 0', 'OK') },
        { host: 'AT+MIPCALL=1,"CMNET"\r', modem: framed('OK', '+MIPCALL: 10.79.220.142') },
        { host: 'AT+MIPOPEN=1,,"www.baidu.com",443,2\r', modem: framed('OK', '+MIPOPEN: 1,1') },
      );
      const info = await adapter.openSocket({ profile: '1', host: 'www.baidu.com', port: 443, mode: 'command' });
      assert.deepEqual(info, { socket: '1', host: 'www.baidu.com', port: 443, mode: 'command' });
      const closed: string[] = [];
      adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      link.expect({ host: 'AT+MIPCLOSE=1\r', modem: framed('OK', '+MIPCLOSE: 1,1') });
      await adapter.closeSocket('1');
      done(link);
      assert.deepEqual(closed, ['1: closed by the flow']);
      await refused(adapter.send('1', Buffer.from('x')), 'msg.socket');
    });

    it('a socket the module still holds for someone else refuses with ERROR: the next free one is used', async () => {
      const { link, adapter } = rig({ apn: 'CMNET' });
      link.expect(
        counts(0, 0, 0),
        readMode(0),
        readVer(4),
        active,
        { host: 'AT+MIPOPEN=1,,"example.com",443,2\r', modem: framed('ERROR') },
        { host: 'AT+MIPOPEN=2,,"example.com",443,2\r', modem: framed('OK', '+MIPOPEN: 2,1') },
      );
      const info = await adapter.openSocket({ profile: '1', host: 'example.com', port: 443, mode: 'command' });
      done(link);
      assert.equal(info.socket, '2');
    });

    it('no APN and an inactive data connection: refused naming apn, nothing opened', async () => {
      const { link, adapter } = rig();
      link.expect(counts(0, 0, 0), readMode(0), readVer(4), { host: 'AT+MIPCALL?\r', modem: framed('+MIPCALL: 0', 'OK') });
      await refused(adapter.openSocket({ profile: '1', host: 'example.com', port: 443, mode: 'command' }), 'apn');
      done(link);
    });

    it('an activation the network refuses (+MIPCALL: 0) fails the open with the reason', async () => {
      const { link, adapter } = rig({ apn: 'CMNET', apnUser: 'user', apnPassword: 's3cret' });
      link.expect(
        counts(0, 0, 0),
        readMode(0),
        readVer(4),
        { host: 'AT+MIPCALL?\r', modem: framed('+MIPCALL: 0', 'OK') },
        { host: 'AT+MIPCALL=1,"CMNET","user","s3cret"\r', modem: framed('OK', '+MIPCALL: 0') },
      );
      await assert.rejects(adapter.openSocket({ profile: '1', host: 'example.com', port: 443, mode: 'command' }), (err: ModemError) => {
        assert.match(err.message, /did not come up \(\+MIPCALL: 0\)/);
        assert.doesNotMatch(err.message, /s3cret/);
        return true;
      });
      done(link);
    });
  });

  describe('Example 2: verification without a trust file (l. 343–376)', () => {
    it('+MIPOPEN 1,0 (no colon) → AT+GTSSLERR? → -11, explained with the clock as a cause when clockSync is off', async () => {
      const { link, adapter } = rig({ apn: 'CMNET' });
      // Example 6's own steps set the suite; mode 1 and TLS 1.2 are written as they differ.
      link.expect(
        counts(0, 0, 0),
        readMode(0),
        ok('AT+GTSSLMODE=1'),
        readVer(2),
        ok('AT+GTSSLVER=4'),
        readCiphers(1, 2, 3, 4, 5, 6),
        ok('AT+GTSSLCIPHER=1,0'),
        ok('AT+GTSSLCIPHER=2,0'),
        ok('AT+GTSSLCIPHER=3,0'),
        ok('AT+GTSSLCIPHER=4,0'),
        ok('AT+GTSSLCIPHER=6,0'),
      );
      const applied = await adapter.applyProfile(profile({ verify: 'server', ciphers: ECDHE_RSA_AES256_GCM }));
      assert.equal(applied.written, 7);
      assert.deepEqual(applied.applied.ciphers, [ECDHE_RSA_AES256_GCM]);
      assert.equal(applied.applied.tlsVersionName, 'TLS 1.2');
      assert.match(applied.warnings.join('\n'), /no trust certificate \(TRUSTFILE\) is loaded: connections fail with -11/);
      link.expect(
        counts(0, 0, 0),
        readMode(1),
        readVer(4),
        readCiphers(5),
        active,
        { host: 'AT+MIPOPEN=1,,"www.baidu.com",443,2\r', modem: framed('OK', '+MIPOPEN 1,0') },
        { host: 'AT+GTSSLERR?\r', modem: framed('+GTSSLERR: -11', 'OK') },
      );
      await assert.rejects(adapter.openSocket({ profile: '1', host: 'www.baidu.com', port: 443, mode: 'command' }), (err: ModemError) => {
        assert.equal(err.code, '-11');
        assert.equal(err.line, '+GTSSLERR: -11');
        assert.match(err.message, /SSL error -11 \(certificate validation failed\)/);
        assert.match(err.message, /clockSync is off/);
        const decoded = adapter.decodeError(err);
        assert.equal(decoded.category, 'certificate');
        assert.match(decoded.hint, /clock/);
        return true;
      });
      done(link);
    });

    it('the settings are checked again before every open: a module that lost them (a restart) gets them back', async () => {
      const { link, adapter } = rig({ apn: 'CMNET' });
      link.expect(counts(0, 0, 1), readMode(0), ok('AT+GTSSLMODE=1'), readVer(2), ok('AT+GTSSLVER=4'), readCiphers(5));
      await adapter.applyProfile(profile({ verify: 'server', ciphers: ECDHE_RSA_AES256_GCM }));
      link.expect(
        counts(0, 0, 1),
        // Back to the module's defaults: no verification, TLS 1.0, suites 1..6.
        readMode(0),
        ok('AT+GTSSLMODE=1'),
        readVer(2),
        ok('AT+GTSSLVER=4'),
        readCiphers(1, 2, 3, 4, 5, 6),
        ok('AT+GTSSLCIPHER=1,0'),
        ok('AT+GTSSLCIPHER=2,0'),
        ok('AT+GTSSLCIPHER=3,0'),
        ok('AT+GTSSLCIPHER=4,0'),
        ok('AT+GTSSLCIPHER=6,0'),
        active,
        { host: 'AT+MIPOPEN=1,,"example.com",443,2\r', modem: framed('OK', '+MIPOPEN: 1,1') },
      );
      await adapter.openSocket({ profile: '1', host: 'example.com', port: 443, mode: 'command' });
      done(link);
    });

    it('writes nothing when the module already has the profile; auto suites enable the ones missing', async () => {
      const { link, adapter } = rig();
      link.expect(counts(0, 0, 1), readMode(1), readVer(4), readCiphers(5));
      assert.equal((await adapter.applyProfile(profile({ verify: 'server', ciphers: ECDHE_RSA_AES256_GCM }))).written, 0);
      const all = CIPHER_IDS.map((_, i) => i + 1);
      link.expect(counts(0, 0, 1), readMode(1), readVer(4), readCiphers(...all.filter((id) => id !== 7 && id !== 8)), ok('AT+GTSSLCIPHER=7,1'), ok('AT+GTSSLCIPHER=8,1'));
      assert.equal((await adapter.applyProfile(profile({ verify: 'server' }))).written, 2);
      done(link);
    });

    it('refuses profile 2, TLS 1.3 and a suite the module lacks, before anything is sent', async () => {
      const { link, adapter } = rig();
      const err = await refused(adapter.applyProfile({ ...profile({ verify: 'none' }), profile: '2' }), 'profile');
      assert.match(err.message, /one SSL configuration .*profile must be 1/);
      await refused(adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' }), 'profile');
      await refused(adapter.applyProfile({ ...profile({ verify: 'none' }), tlsVersion: '1.3' }), 'tlsVersion');
      await refused(adapter.applyProfile({ ...profile({ verify: 'none' }), ciphers: ['TLS_RSA_WITH_AES_256_CBC_SHA'] }), 'ciphers');
      await refused(adapter.openSocket({ profile: '1', host: 'example.com', port: 443, mode: 'online' }), 'mode');
      assert.equal(link.hostWrites.length, 0);
    });
  });

  describe('+GTSSLFILE (l. 63–123) and Examples 3–5', () => {
    it('Example 3: a TRUSTFILE goes after ">" as PEM text of its own length; verified because the count went up by one', async () => {
      const { link, adapter } = rig();
      const pem = toPem('CERTIFICATE', parseSecurityData(pki.ca.cert, 'ca').der);
      link.expect(counts(0, 0, 0), ...upload('TRUSTFILE', pem, [0, 0, 1]));
      const result = await adapter.uploadSecurityData({ certType: 'ca', name: '', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto' });
      done(link);
      assert.deepEqual(result, { certType: 'ca', name: 'TRUSTFILE', bytes: pem.length, format: 'pem', verified: true, unchanged: false, warnings: [] });
    });

    it('an identical file loaded since the last power-up is not sent again; a count that did not move is not verified', async () => {
      const { link, adapter } = rig();
      const parsed = parseSecurityData(pki.ca.cert, 'ca');
      const pem = toPem('CERTIFICATE', parsed.der);
      link.expect(counts(0, 0, 0), ...upload('TRUSTFILE', pem, [0, 0, 1]));
      await adapter.uploadSecurityData({ certType: 'ca', name: 'root', parsed, format: 'auto' });
      link.expect(counts(0, 0, 1));
      const again = await adapter.uploadSecurityData({ certType: 'ca', name: 'root', parsed, format: 'pem' });
      assert.equal(again.unchanged, true);
      const second = parseSecurityData(other.ca.cert, 'ca');
      const otherPem = toPem('CERTIFICATE', second.der);
      link.expect(counts(0, 0, 1), ...upload('TRUSTFILE', otherPem, [0, 0, 1]));
      const lost = await adapter.uploadSecurityData({ certType: 'ca', name: 'other', parsed: second, format: 'auto' });
      done(link);
      assert.equal(lost.verified, false);
      assert.match(lost.warnings[0], /counted 1 TRUSTFILE after the upload, 1 before/);
    });

    it('Example 5: CERTFILE and KEYFILE (PKCS#1 PEM, the manual’s 1675-byte form); the key never reaches the trace or the result', async () => {
      const { link, adapter, traces } = rig();
      const cert = parseSecurityData(pki.client.cert, 'cert');
      const certPem = toPem('CERTIFICATE', cert.der);
      const key = parseSecurityData(pki.client.key, 'key');
      const keyPem = toPem('RSA PRIVATE KEY', createPrivateKey(pki.client.key).export({ format: 'der', type: 'pkcs1' }));
      assert.ok(Math.abs(keyPem.length - 1675) < 10, `a 2048-bit RSA key in PKCS#1 PEM is about 1675 bytes (${keyPem.length})`);
      link.expect(counts(0, 0, 0), ...upload('CERTFILE', certPem, [1, 0, 0]));
      await adapter.uploadSecurityData({ certType: 'cert', name: 'device', parsed: cert, format: 'auto' });
      link.expect(counts(1, 0, 0), ...upload('KEYFILE', keyPem, [1, 1, 0]));
      const result = await adapter.uploadSecurityData({ certType: 'key', name: 'device key', parsed: key, format: 'auto' });
      done(link);
      assert.equal(result.verified, true);
      const body = keyPem.split('\n')[1];
      assert.ok(!JSON.stringify(traces).includes(body), 'no key material in the trace');
      assert.ok(!JSON.stringify(result).includes(body));
    });

    it('a second client certificate, a key that does not match the certificate, DER, a 41st trust file, a removal: refused before any upload, saying why', async () => {
      const { link, adapter } = rig();
      const cert = parseSecurityData(pki.client.cert, 'cert');
      link.expect(counts(0, 0, 0), ...upload('CERTFILE', toPem('CERTIFICATE', cert.der), [1, 0, 0]));
      await adapter.uploadSecurityData({ certType: 'cert', name: 'device', parsed: cert, format: 'auto' });
      link.expect(counts(1, 0, 0));
      const second = await refused(adapter.uploadSecurityData({ certType: 'cert', name: 'new', parsed: parseSecurityData(other.client.cert, 'cert'), format: 'auto' }), 'msg.payload');
      assert.match(second.message, /already holds a client certificate, "device" .*keeps only one; .*power-cycle the module/);
      link.expect(counts(1, 0, 0));
      const mismatch = await refused(adapter.uploadSecurityData({ certType: 'key', name: 'k', parsed: parseSecurityData(other.client.key, 'key'), format: 'auto' }), 'msg.payload');
      assert.match(mismatch.message, /does not belong to the client certificate "device"/);
      await refused(adapter.uploadSecurityData({ certType: 'ca', name: 'x', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'der' }), 'format');
      await refused(adapter.uploadSecurityData({ certType: 'ca', name: 'x', parsed: parseSecurityData(pki.client.key, 'key'), format: 'auto' }), 'msg.payload');
      const removal = await refused(adapter.removeSecurityData('ca', 'x'), 'action');
      assert.match(removal.message, /cannot delete or replace/);
      link.expect(counts(1, 0, 40));
      const full = await refused(adapter.uploadSecurityData({ certType: 'ca', name: 'x', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto' }), 'msg.payload');
      assert.match(full.message, /40 trust certificates, the most it takes/);
      done(link);
    });

    it('files loaded before this session count: a client key there already is refused, its content unknown; the list shows it', async () => {
      const { link, adapter } = rig();
      link.expect(counts(0, 1, 2));
      await refused(adapter.uploadSecurityData({ certType: 'key', name: 'k', parsed: parseSecurityData(pki.client.key, 'key'), format: 'auto' }), 'msg.payload');
      link.expect(counts(0, 1, 2));
      const list = await adapter.listSecurityData();
      done(link);
      assert.deepEqual(list.map((i) => `${i.certType} ${i.name}`), ['key KEYFILE 1 (loaded before this session)', 'ca TRUSTFILE 1 (loaded before this session)', 'ca TRUSTFILE 2 (loaded before this session)']);
    });

    it('the 12 s upload window: the module’s ERROR after the text is an upload timeout, decoded as such', async () => {
      const { link, adapter } = rig();
      const pem = toPem('CERTIFICATE', parseSecurityData(pki.ca.cert, 'ca').der);
      link.expect(counts(0, 0, 0), { host: `AT+GTSSLFILE="TRUSTFILE",${pem.length}\r`, modem: '\r\n> ' }, { host: pem, modem: framed('ERROR') });
      await assert.rejects(adapter.uploadSecurityData({ certType: 'ca', name: 'root', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto' }), (err: ModemError) => {
        assert.match(err.message, /stored nothing — it refused the file .* or got no data for 12 s after the ">"/);
        const decoded = adapter.decodeError(err);
        assert.equal(decoded.name, 'upload refused or timed out');
        return true;
      });
      done(link);
    });

    it('the length rule: the PEM text is 4..8192 bytes', () => {
      const file = prepareFile('ca', parseSecurityData(pki.ca.cert, 'ca'), 'auto');
      assert.equal(file.type, 'TRUSTFILE');
      assert.ok(file.pem.length >= 4 && file.pem.length <= 8192);
      assert.match(file.pem.toString('latin1'), /^-----BEGIN CERTIFICATE-----\n/);
    });
  });

  describe('Example 4: the clock (l. 380–405)', () => {
    it('with clockSync the module clock is set before the open', async () => {
      const { link, adapter } = rig({ apn: 'CMNET', clockSync: true, now: () => new Date(Date.UTC(2015, 0, 23, 15, 30, 36)) });
      link.expect(
        counts(0, 0, 1),
        readMode(1),
        readVer(4),
        ok('AT+CCLK="15/01/23,15:30:36+00"'),
        active,
        { host: 'AT+MIPOPEN=1,,"114.255.225.39",20444,2\r', modem: framed('OK', '+MIPOPEN: 1,1') },
      );
      await adapter.openSocket({ profile: '1', host: '114.255.225.39', port: 20444, mode: 'command' });
      done(link);
    });
  });

  describe('data (+MIPRTCP, +MIPREAD, +MIPSEND) and the end of a connection', () => {
    async function openOne(r: EngineRig & { adapter: FibocomAdapter }): Promise<void> {
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, { host: 'AT+MIPOPEN=1,,"188.93.19.231",5555,2\r', modem: framed('OK', '+MIPOPEN: 1,1') });
      await r.adapter.openSocket({ profile: '1', host: '188.93.19.231', port: 5555, mode: 'command' });
    }

    it('Example 5’s +MIPRTCP: the hex is the data (the byte count comes from it, not from <left>)', async () => {
      const r = rig();
      await openOne(r);
      const got: Buffer[] = [];
      r.adapter.on('data', (socket: string, data: Buffer) => got.push(data));
      r.link.feed(framed('+MIPRTCP: 1,201,2032312031353A35383A3531204D534B20323031350A576564204A61'));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(got, [Buffer.from(' 21 15:58:51 MSK 2015\nWed Ja', 'latin1')]);
      done(r.link);
    });

    it('data that arrives while nobody listens is held for a read; a read waiting gets the next chunk', async () => {
      const r = rig();
      await openOne(r);
      r.link.feed(framed(`+MIPRTCP: 1,0,${Buffer.from('held').toString('hex')}`));
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal((await r.adapter.receive('1', 2)).toString(), 'he');
      assert.equal((await r.adapter.receive('1', 100)).toString(), 'ld');
      const waiting = r.adapter.receive('1', 100, 2000);
      setTimeout(() => r.link.feed(framed(`+MIPRTCP: 1,0,${Buffer.from([0, 0x0d, 0x0a, 0xff]).toString('hex').toUpperCase()}`)), 20);
      assert.deepEqual(await waiting, Buffer.from([0, 0x0d, 0x0a, 0xff]));
      assert.equal((await r.adapter.receive('1', 100, 100)).length, 0);
    });

    it('sends in chunks of 2048 (the module’s socket buffer) with AT+MIPSEND=<id>,<len>, ">" and the raw bytes (binary-safe)', async () => {
      const r = rig();
      await openOne(r);
      const data = Buffer.alloc(3000, 0);
      for (let i = 0; i < data.length; i++) data[i] = i % 256;
      r.link.expect(
        { host: 'AT+MIPSEND=1,2048\r', modem: '\r\n> ' },
        { host: data.subarray(0, 2048), modem: framed('+MIPSEND: 1,0,2048', 'OK') },
        { host: 'AT+MIPSEND=1,952\r', modem: '\r\n> ' },
        { host: data.subarray(2048), modem: framed('+MIPSEND: 1,0,1096', 'OK') },
      );
      assert.equal(await r.adapter.send('1', data), 3000);
      done(r.link);
    });

    it('read mode: +MIPREAD announces data, AT+MIPREAD=<id>,2048 fetches it raw (bytes that look like OK or a URC included) until a read comes back short', async () => {
      const r = rig();
      await openOne(r);
      const got: Buffer[] = [];
      r.adapter.on('data', (socket: string, data: Buffer) => got.push(data));
      const first = Buffer.alloc(2048, 0x41);
      Buffer.from('\r\nOK\r\n+MIPREAD: 1,9\r\n').copy(first, 2040);
      const second = Buffer.from('\r\n+MIPDATA: 1,3\r\n\x00\xff');
      r.link.expect(
        { host: 'AT+MIPREAD=1,2048\r', modem: Buffer.concat([Buffer.from('\r\n+MIPDATA: 1,2048\r\n'), first, Buffer.from(framed('OK'))]) },
        { host: 'AT+MIPREAD=1,2048\r', modem: Buffer.concat([Buffer.from(`\r\n+MIPDATA: 1,${second.length}\r\n`), second, Buffer.from(framed('OK'))]) },
      );
      r.link.feed(framed('+MIPREAD: 1,2069'));
      for (let i = 0; i < 20 && got.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(got, [first, second]);
      done(r.link);
      // Nothing more waits when an announcement comes: the read gets OK alone, and nothing is emitted.
      r.link.expect(ok('AT+MIPREAD=1,2048'));
      r.link.feed(framed('+MIPREAD: 1,0'));
      for (let i = 0; i < 20 && r.link.remaining > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      done(r.link);
      assert.equal(got.length, 2);
    });

    it('read mode: a fetch the module refuses is tried again (the module announces data only once), then the data comes', async () => {
      const r = rig();
      await openOne(r);
      const got: Buffer[] = [];
      const warnings: string[] = [];
      r.adapter.on('data', (socket: string, data: Buffer) => got.push(data));
      r.adapter.on('warning', (w: string) => warnings.push(w));
      r.link.expect({ host: 'AT+MIPREAD=1,2048\r', modem: framed('ERROR') }, { host: 'AT+MIPREAD=1,2048\r', modem: `\r\n+MIPDATA: 1,5\r\nlate!${framed('OK')}` });
      r.link.feed(framed('+MIPREAD: 1,5'));
      for (let i = 0; i < 300 && got.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(got.map(String), ['late!']);
      assert.match(warnings[0], /^socket 1: received data could not be fetched \(.*\); trying again$/);
      done(r.link);
    });

    describe('URCs of the same name inside an answer (two sockets at once)', () => {
      /** Sockets 1 and 2 open, as two flows have them. */
      async function openTwo(r: EngineRig & { adapter: FibocomAdapter }): Promise<void> {
        await openOne(r);
        r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, { host: 'AT+MIPOPEN=2,,"188.93.19.231",5556,2\r', modem: framed('OK', '+MIPOPEN: 2,1') });
        assert.equal((await r.adapter.openSocket({ profile: '1', host: '188.93.19.231', port: 5556, mode: 'command' })).socket, '2');
      }
      const settle = async (r: EngineRig, check: () => boolean): Promise<void> => {
        for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
        assert.ok(check(), `waiting: ${r.link.remaining} exchanges left`);
      };

      it('+MIPREAD: 2 announced while socket 1 is read (before its +MIPDATA) is fetched for socket 2, not taken as the answer; both get their bytes', async () => {
        const r = rig();
        await openTwo(r);
        const got: string[] = [];
        r.adapter.on('data', (socket: string, data: Buffer) => got.push(`${socket}:${data.toString('latin1')}`));
        r.link.expect(
          { host: 'AT+MIPREAD=1,2048\r', modem: `\r\n+MIPREAD: 2,4\r\n\r\n+MIPDATA: 1,3\r\none${framed('OK')}` },
          { host: 'AT+MIPREAD=2,2048\r', modem: `\r\n+MIPDATA: 2,4\r\ntwo!${framed('OK')}` },
        );
        r.link.feed(framed('+MIPREAD: 1,3'));
        await settle(r, () => got.length === 2);
        assert.deepEqual(got, ['1:one', '2:two!']);
        done(r.link);
      });

      it('+MIPREAD: 1 announced again during socket 1’s own short read asks for one more read', async () => {
        const r = rig();
        await openOne(r);
        const got: string[] = [];
        r.adapter.on('data', (socket: string, data: Buffer) => got.push(data.toString('latin1')));
        r.link.expect(
          { host: 'AT+MIPREAD=1,2048\r', modem: `\r\n+MIPDATA: 1,3\r\none\r\n+MIPREAD: 1,3\r\n${framed('OK')}` },
          { host: 'AT+MIPREAD=1,2048\r', modem: `\r\n+MIPDATA: 1,3\r\ntwo${framed('OK')}` },
        );
        r.link.feed(framed('+MIPREAD: 1,3'));
        await settle(r, () => got.length === 2);
        assert.deepEqual(got, ['one', 'two']);
        done(r.link);
      });

      it('an open whose +MIPOPEN outcome comes before its OK is connected', async () => {
        const r = rig();
        r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, { host: 'AT+MIPOPEN=1,,"188.93.19.231",5555,2\r', modem: framed('+MIPOPEN: 1,1', 'OK') });
        const info = await r.adapter.openSocket({ profile: '1', host: '188.93.19.231', port: 5555, mode: 'command', timeoutMs: 2000 });
        assert.equal(info.socket, '1');
        done(r.link);
      });

      it('the server closing socket 2 (+MIPCLOSE: 2) while the flow closes socket 1 ends socket 2; socket 1’s own +MIPCLOSE before the OK finishes its close', async () => {
        const r = rig();
        await openTwo(r);
        const closed: string[] = [];
        r.adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
        r.link.expect({ host: 'AT+MIPCLOSE=1\r', modem: framed('+MIPCLOSE: 2,0', '+MIPCLOSE: 1,1', 'OK') });
        const started = Date.now();
        await r.adapter.closeSocket('1');
        assert.ok(Date.now() - started < 1000, 'the close did not wait for a URC that had come already');
        await settle(r, () => closed.length === 2);
        assert.deepEqual(closed.sort(), ['1: closed by the flow', '2: closed by the server']);
        done(r.link);
      });
    });

    it('bring-up asks for read mode; a module that refuses it keeps hex +MIPRTCP (format 0), and a refusal of both is a warning', async () => {
      const r = rig();
      r.link.expect(counts(0, 0, 0), { host: 'AT+GTSET="IPRFMT",5\r', modem: framed('ERROR') }, ok('AT+GTSET="IPRFMT",0'));
      const warnings: string[] = [];
      r.adapter.on('warning', (w: string) => warnings.push(w));
      await r.adapter.prepare();
      assert.deepEqual(warnings, []);
      done(r.link);
      r.link.expect(counts(0, 0, 0), { host: 'AT+GTSET="IPRFMT",5\r', modem: framed('ERROR') }, { host: 'AT+GTSET="IPRFMT",0\r', modem: framed('ERROR') });
      await r.adapter.prepare();
      assert.match(warnings[0], /refused AT\+GTSET="IPRFMT",0 .*received data is read only if it comes as hex in \+MIPRTCP/);
      done(r.link);
    });

    it('+MIPSTAT from the server and +MIPCALL: 0 end connections; a close after that is done already', async () => {
      const r = rig();
      await openOne(r);
      const closed: string[] = [];
      r.adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      r.link.feed(framed('+MIPSTAT: 1,1'));
      await new Promise((resolve) => setImmediate(resolve));
      assert.match(closed[0], /^1: closed by the server or the network \(\+MIPSTAT status 1\)/);
      await r.adapter.closeSocket('1');
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, { host: 'AT+MIPOPEN=1,,"188.93.19.231",5555,2\r', modem: framed('OK', '+MIPOPEN: 1,1') });
      await r.adapter.openSocket({ profile: '1', host: '188.93.19.231', port: 5555, mode: 'command' });
      r.link.feed(framed('+MIPCALL: 0'));
      await new Promise((resolve) => setImmediate(resolve));
      assert.match(closed[1], /^1: the data connection ended/);
      done(r.link);
    });
  });

  describe('holdReceive: in read mode a slow reader leaves the data in the module', () => {
    /** Resolves once `check` holds (the test's own timeout bounds the wait). */
    async function until(check: () => boolean): Promise<void> {
      while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    /** A command through the same queue, answered OK: every fetch queued before it has gone by then. */
    async function barrier(r: EngineRig): Promise<void> {
      r.link.expect({ host: 'AT\r', modem: framed('OK') });
      await r.engine.sync();
    }
    const fetches = (r: EngineRig): number => r.link.hostWrites.filter((w) => w.toString('latin1').startsWith('AT+MIPREAD')).length;
    const mipdata = (data: Buffer | string): Buffer => Buffer.concat([Buffer.from(`\r\n+MIPDATA: 1,${data.length}\r\n`), Buffer.from(data), Buffer.from(framed('OK'))]);
    /** Bring-up with the format `format` accepted, then socket 1 opened. */
    async function upAndOpen(r: EngineRig & { adapter: FibocomAdapter }, format: 'read' | 'hex'): Promise<void> {
      r.link.expect(counts(0, 0, 0), ...(format === 'read' ? [ok('AT+GTSET="IPRFMT",5')] : [{ host: 'AT+GTSET="IPRFMT",5\r', modem: framed('ERROR') }, ok('AT+GTSET="IPRFMT",0')]));
      await r.adapter.prepare();
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, { host: 'AT+MIPOPEN=1,,"188.93.19.231",5555,2\r', modem: framed('OK', '+MIPOPEN: 1,1') });
      await r.adapter.openSocket({ profile: '1', host: '188.93.19.231', port: 5555, mode: 'command' });
    }

    it('+MIPREAD while held is not fetched (no AT+MIPREAD on the wire); on release it is, and the data comes out in order', async () => {
      const r = rig();
      await upAndOpen(r, 'read');
      const got: string[] = [];
      r.adapter.on('data', (_s: string, d: Buffer) => got.push(d.toString()));
      r.link.expect({ host: 'AT+MIPREAD=1,2048\r', modem: mipdata('first') });
      r.link.feed(framed('+MIPREAD: 1,5'));
      await until(() => got.length === 1);
      assert.equal(r.adapter.holdReceive('1', true), true);
      assert.equal(r.adapter.holdReceive('1', true), true, 'holding twice is the same hold');
      r.link.feed(framed('+MIPREAD: 1,6'));
      await barrier(r);
      assert.equal(fetches(r), 1, 'nothing fetched while held');
      assert.deepEqual(got, ['first']);
      r.link.expect({ host: 'AT+MIPREAD=1,2048\r', modem: mipdata('second') });
      assert.equal(r.adapter.holdReceive('1', false), true);
      await until(() => got.length === 2);
      done(r.link);
      assert.deepEqual(got, ['first', 'second']);
      assert.equal(r.adapter.holdReceive('1', false), true, 'a release with nothing held is harmless');
      await barrier(r);
      assert.equal(fetches(r), 2, 'and fetches nothing');
    });

    it('a fetch under way when the hold comes stops after its current AT+MIPREAD; its bytes wait for the release, then the rest is fetched', async () => {
      const r = rig();
      await upAndOpen(r, 'read');
      const got: Buffer[] = [];
      r.adapter.on('data', (_s: string, d: Buffer) => got.push(d));
      const first = Buffer.alloc(2048, 0x61);
      r.link.expect({ host: 'AT+MIPREAD=1,2048\r' });
      r.link.feed(framed('+MIPREAD: 1,3000'));
      await until(() => r.link.remaining === 0);
      r.adapter.holdReceive('1', true);
      r.link.feed(mipdata(first));
      await barrier(r);
      assert.equal(fetches(r), 1, 'the next AT+MIPREAD waits for the release');
      assert.deepEqual(got, [], 'no data event while held');
      const rest = Buffer.alloc(952, 0x62);
      r.link.expect({ host: 'AT+MIPREAD=1,2048\r', modem: mipdata(rest) });
      r.adapter.holdReceive('1', false);
      await until(() => Buffer.concat(got).length === 3000);
      done(r.link);
      assert.ok(Buffer.concat(got).equals(Buffer.concat([first, rest])), 'in order, each byte once');
    });

    it('a hold on a connection that ends is forgotten; a socket not open answers false', async () => {
      const r = rig();
      await upAndOpen(r, 'read');
      assert.equal(r.adapter.holdReceive('1', true), true);
      r.link.feed(framed('+MIPREAD: 1,4'));
      r.link.feed(framed('+MIPSTAT: 1,1'));
      await until(() => r.adapter.holdReceive('1', true) === false);
      await barrier(r);
      assert.equal(fetches(r), 0);
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, { host: 'AT+MIPOPEN=1,,"188.93.19.231",5555,2\r', modem: framed('OK', '+MIPOPEN: 1,1') });
      await r.adapter.openSocket({ profile: '1', host: '188.93.19.231', port: 5555, mode: 'command' });
      const pushed = new Promise<Buffer>((resolve) => r.adapter.once('data', (_s: string, d: Buffer) => resolve(d)));
      r.link.expect({ host: 'AT+MIPREAD=1,2048\r', modem: mipdata('fresh') });
      r.link.feed(framed('+MIPREAD: 1,5'));
      assert.equal((await pushed).toString(), 'fresh', 'the next connection on the id is fetched at once');
      done(r.link);
      assert.equal(r.adapter.holdReceive('4', true), false, 'never opened');
    });

    it('a module left in the factory format pushes hex +MIPRTCP: false, and the data keeps coming', async () => {
      const r = rig();
      await upAndOpen(r, 'hex');
      const got: string[] = [];
      r.adapter.on('data', (_s: string, d: Buffer) => got.push(d.toString()));
      assert.equal(r.adapter.holdReceive('1', true), false);
      r.link.feed(framed(`+MIPRTCP: 1,0,${Buffer.from('pushed').toString('hex')}`));
      await until(() => got.length === 1);
      assert.deepEqual(got, ['pushed']);
      done(r.link);
    });
  });

  describe('a restart loses everything (l. 121)', () => {
    it('counts lower than loaded: kept files are loaded again before the next open, the others named when a connection needs them', async () => {
      const endpoint = `test-${Math.random()}`;
      const r = engineRig(fibocomDialect);
      const adapter = new FibocomAdapter(r.engine, { endpoint });
      const warnings: string[] = [];
      adapter.on('warning', (w: string) => warnings.push(w));
      const pem = toPem('CERTIFICATE', parseSecurityData(pki.ca.cert, 'ca').der);
      r.link.expect(counts(0, 0, 0), ...upload('TRUSTFILE', pem, [0, 0, 1]));
      await adapter.uploadSecurityData({ certType: 'ca', name: 'root', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto' });
      // The module restarted: no file any more, settings back to the defaults.
      r.link.expect(counts(0, 0, 0), ...upload('TRUSTFILE', pem, [0, 0, 1]), readMode(0), readVer(4), { host: 'AT+MIPCALL?\r', modem: framed('+MIPCALL: 1,10.0.0.1', 'OK') }, { host: 'AT+MIPOPEN=1,,"example.com",443,2\r', modem: framed('OK', '+MIPOPEN: 1,1') });
      await adapter.openSocket({ profile: '1', host: 'example.com', port: 443, mode: 'command' });
      done(r.link);
      assert.match(warnings.join('\n'), /trust certificate "root" loaded again after the module restarted/);
      assert.equal(moduleRecord(endpoint).count('TRUSTFILE'), 1, 'the record outlives the adapter (a redeploy)');
    });

    it('what identifies each file is noted in the state folder (never a file’s text): a restarted Node-RED knows what the powered module holds', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'fibocom-state-'));
      try {
        const endpoint = `/dev/ttyUSB-${Math.random()}`;
        const r = engineRig(fibocomDialect);
        const adapter = new FibocomAdapter(r.engine, { endpoint, stateDir: dir });
        const cert = parseSecurityData(pki.client.cert, 'cert');
        const key = parseSecurityData(pki.client.key, 'key');
        const keyPem = toPem('RSA PRIVATE KEY', createPrivateKey(pki.client.key).export({ format: 'der', type: 'pkcs1' }));
        r.link.expect(counts(0, 0, 0), ...upload('CERTFILE', toPem('CERTIFICATE', cert.der), [1, 0, 0]), counts(1, 0, 0), ...upload('KEYFILE', keyPem, [1, 1, 0]));
        await adapter.uploadSecurityData({ certType: 'cert', name: 'device', parsed: cert, format: 'auto' });
        await adapter.uploadSecurityData({ certType: 'key', name: 'device key', parsed: key, format: 'auto' });
        done(r.link);
        const [file] = readdirSync(dir);
        const text = readFileSync(path.join(dir, file), 'utf8');
        for (const line of keyPem.split('\n').filter((l) => l.length > 40)) assert.ok(!text.includes(line), 'no key material');
        assert.ok(!text.includes('BEGIN'), 'no file text at all');
        // A new process: the noted record knows both files, the key by its public key only.
        const noted = new ModuleRecord(path.join(dir, file));
        assert.deepEqual(noted.files.map((f) => [f.type, f.name, f.sha256 === '' ? 'no hash' : 'hash', !!f.publicKey]), [['CERTFILE', 'device', 'hash', true], ['KEYFILE', 'device key', 'no hash', true]]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a file not kept is named when a verified connection needs it', async () => {
      const r = rig();
      r.link.expect(counts(0, 0, 0), ...upload('TRUSTFILE', toPem('CERTIFICATE', parseSecurityData(pki.ca.cert, 'ca').der), [0, 0, 1]));
      await r.adapter.uploadSecurityData({ certType: 'ca', name: 'root', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto', vendorOptions: { keepLoaded: false } });
      r.link.expect(counts(0, 0, 1), readMode(0), ok('AT+GTSSLMODE=1'), readVer(2), ok('AT+GTSSLVER=4'), readCiphers(5));
      await r.adapter.applyProfile(profile({ verify: 'server', ciphers: ECDHE_RSA_AES256_GCM }));
      r.link.expect(counts(0, 0, 0), readMode(0), ok('AT+GTSSLMODE=1'), readVer(2), ok('AT+GTSSLVER=4'), readCiphers(5));
      const err = await refused(r.adapter.openSocket({ profile: '1', host: 'example.com', port: 443, mode: 'command' }), 'ca');
      assert.match(err.message, /restarted .* lost its SSL files \("root"\), which were not kept loaded/);
      done(r.link);
    });

    it('+SIM READY after bring-up ends the connections and asks for the module to be brought up again', async () => {
      const r = rig({ apn: 'CMNET' });
      r.link.expect(counts(0, 0, 0), ok('AT+GTSET="IPRFMT",5'), { host: 'AT+MIPCALL?\r', modem: framed('+MIPCALL: 1,10.0.0.1', 'OK') });
      await r.adapter.prepare();
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, { host: 'AT+MIPOPEN=1,,"example.com",443,2\r', modem: framed('OK', '+MIPOPEN: 1,1') });
      await r.adapter.openSocket({ profile: '1', host: 'example.com', port: 443, mode: 'command' });
      const events: string[] = [];
      r.adapter.on('closed', (s: string, why: string) => events.push(`closed ${s}: ${why}`));
      r.adapter.on('restarted', (why: string) => events.push(`restarted: ${why}`));
      r.link.feed(framed('+SIM READY'));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(events, ['closed 1: the module restarted (+SIM READY)', 'restarted: the module restarted (+SIM READY)']);
      done(r.link);
    });
  });

  describe('edges: waits that end, restarts under way, files the module did not count', () => {
    const opening = { host: 'AT+MIPOPEN=1,,"example.com",443,2\r', modem: framed('OK', '+MIPOPEN: 1,1') };
    const open = (adapter: FibocomAdapter): Promise<unknown> => adapter.openSocket({ profile: '1', host: 'example.com', port: 443, mode: 'command' });
    /** The transcript played to its end, and its last answer taken in (it is fed on the next turn of the event loop). */
    const tick = async (link: EngineRig['link']): Promise<void> => {
      while (link.remaining > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    };

    it('an upload the module does not count is not taken as loaded: no false restart, the open connection stays', async () => {
      const r = rig();
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, opening);
      await open(r.adapter);
      const closed: string[] = [];
      r.adapter.on('closed', (s: string) => closed.push(s));
      const pem = toPem('CERTIFICATE', parseSecurityData(pki.ca.cert, 'ca').der);
      r.link.expect(counts(0, 0, 0), ...upload('TRUSTFILE', pem, [0, 0, 0]));
      const result = await r.adapter.uploadSecurityData({ certType: 'ca', name: 'root', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto' });
      assert.equal(result.verified, false);
      assert.match(result.warnings[0], /not taken as loaded/);
      r.link.expect(counts(0, 0, 0), ...upload('TRUSTFILE', pem, [0, 0, 1]));
      assert.equal((await r.adapter.uploadSecurityData({ certType: 'ca', name: 'root', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto' })).verified, true);
      done(r.link);
      assert.deepEqual(closed, [], 'no restart was imagined');
    });

    it('after the power-cycle a refusal asks for, a new client certificate and key replace the kept ones instead of being refused', async () => {
      const endpoint = `rotate-${Math.random()}`;
      const r = engineRig(fibocomDialect);
      const adapter = new FibocomAdapter(r.engine, { endpoint });
      const cert = parseSecurityData(pki.client.cert, 'cert');
      r.link.expect(counts(0, 0, 0), ...upload('CERTFILE', toPem('CERTIFICATE', cert.der), [1, 0, 0]));
      await adapter.uploadSecurityData({ certType: 'cert', name: 'old', parsed: cert, format: 'auto' });
      const next = parseSecurityData(other.client.cert, 'cert');
      // Power-cycled: no file any more; the new certificate goes, the old one is not reloaded first.
      r.link.expect(counts(0, 0, 0), ...upload('CERTFILE', toPem('CERTIFICATE', next.der), [1, 0, 0]));
      const result = await adapter.uploadSecurityData({ certType: 'cert', name: 'new', parsed: next, format: 'auto' });
      done(r.link);
      assert.equal(result.verified, true);
      assert.deepEqual(moduleRecord(endpoint).files.map((f) => f.name), ['new']);
    });

    it('a kept file whose type is full on the module after a restart is given up with a message, not retried into an ERROR', async () => {
      const r = rig();
      const cert = parseSecurityData(pki.client.cert, 'cert');
      const ca = parseSecurityData(pki.ca.cert, 'ca');
      r.link.expect(counts(0, 0, 0), ...upload('CERTFILE', toPem('CERTIFICATE', cert.der), [1, 0, 0]), counts(1, 0, 0), ...upload('TRUSTFILE', toPem('CERTIFICATE', ca.der), [1, 0, 1]));
      await r.adapter.uploadSecurityData({ certType: 'cert', name: 'device', parsed: cert, format: 'auto' });
      await r.adapter.uploadSecurityData({ certType: 'ca', name: 'root', parsed: ca, format: 'auto' });
      const warnings: string[] = [];
      r.adapter.on('warning', (w: string) => warnings.push(w));
      // Restarted (no trust file), and someone loaded a client certificate meanwhile: only the CA comes back.
      r.link.expect(counts(1, 0, 0), ...upload('TRUSTFILE', toPem('CERTIFICATE', ca.der), [1, 0, 1]), readMode(0), readVer(4), active, opening);
      await open(r.adapter);
      done(r.link);
      assert.match(warnings.join('\n'), /client certificate "device" was not loaded again after the module restarted: it already holds 1 CERTFILE/);
      assert.match(warnings.join('\n'), /trust certificate "root" loaded again/);
    });

    it('bring-up starts the data connection without waiting for the network; the open waits for it, and a lost link ends that wait at once', async () => {
      const r = rig({ apn: 'CMNET' });
      r.link.expect(counts(0, 0, 0), ok('AT+GTSET="IPRFMT",5'), { host: 'AT+MIPCALL?\r', modem: framed('+MIPCALL: 0', 'OK') }, ok('AT+MIPCALL=1,"CMNET"'));
      await r.adapter.prepare();
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4));
      const opened = open(r.adapter);
      await tick(r.link);
      const started = Date.now();
      r.adapter.forgetConnections('unplugged');
      await assert.rejects(opened, (err: ModemError) => err.kind === 'LINK_DOWN' && /unplugged/.test(err.message));
      assert.ok(Date.now() - started < 1000, 'not after the 150 s timer');
      done(r.link);
    });

    it('an open waiting for +MIPOPEN ends when the engine closes (a redeploy), and one the module restarts under is stopped', async () => {
      const r = rig();
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, { host: 'AT+MIPOPEN=1,,"example.com",443,2\r', modem: framed('OK') });
      const opened = open(r.adapter);
      await tick(r.link);
      r.engine.close('redeploy');
      await assert.rejects(opened, (err: ModemError) => err.kind === 'LINK_DOWN' && /redeploy/.test(err.message));
      done(r.link);

      const s = rig({ apn: 'CMNET' });
      s.link.expect(counts(0, 0, 0), ok('AT+GTSET="IPRFMT",5'), { host: 'AT+MIPCALL?\r', modem: framed('+MIPCALL: 1,10.0.0.1', 'OK') });
      await s.adapter.prepare();
      // The restart comes while the settings are read: the open does not go on unverified.
      s.link.expect(counts(0, 0, 0), { host: 'AT+GTSSLMODE?\r', modem: framed('+GTSSLMODE: 0', 'OK', '+SIM READY') }, readVer(2), ok('AT+GTSSLVER=4'), active);
      await assert.rejects(open(s.adapter), (err: ModemError) => err.kind === 'LINK_DOWN' && /restarted while the connection was being prepared/.test(err.message));
      done(s.link);
    });

    it('sockets open when the link was lost are closed on the module at the next bring-up', async () => {
      const r = rig();
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, opening);
      await open(r.adapter);
      r.adapter.forgetConnections('unplugged');
      r.link.expect(ok('AT+MIPCLOSE=1'), counts(0, 0, 0), ok('AT+GTSET="IPRFMT",5'));
      await r.adapter.prepare();
      done(r.link);
    });

    it('a close answered by +MIPSTAT instead of +MIPCLOSE ends at once; a line too long while connected ends the connection (its data is lost) and closes it on the module', async () => {
      const r = rig();
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, opening);
      await open(r.adapter);
      r.link.expect({ host: 'AT+MIPCLOSE=1\r', modem: framed('OK', '+MIPSTAT: 1,1') });
      const started = Date.now();
      await r.adapter.closeSocket('1');
      assert.ok(Date.now() - started < 1000);
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, opening);
      await open(r.adapter);
      const closed: string[] = [];
      r.adapter.on('closed', (s: string, why: string) => closed.push(why));
      // The module must not keep a connection the flows were told is gone.
      r.link.expect({ host: 'AT+MIPCLOSE=1\r', modem: framed('OK', '+MIPCLOSE: 1,1') });
      r.link.feed(`\r\n+MIPRTCP: 1,0,${'41'.repeat(5000)}\r\n`);
      await tick(r.link);
      assert.match(closed[0] ?? '', /received data was lost/);
      await tick(r.link);
      assert.equal(closed.length, 1, 'the +MIPCLOSE that follows ends nothing more');
      done(r.link);
    });

    it('the manual’s "+MIPOPEN 1.0" (l. 360) is read as a failed open', async () => {
      const r = rig();
      r.link.expect(counts(0, 0, 0), readMode(0), readVer(4), active, { host: 'AT+MIPOPEN=1,,"example.com",443,2\r', modem: framed('OK', '+MIPOPEN 1.0') }, { host: 'AT+GTSSLERR?\r', modem: framed('+GTSSLERR: -11', 'OK') });
      await assert.rejects(open(r.adapter), (err: ModemError) => err.code === '-11');
      done(r.link);
    });
  });

  describe('transfer: the bytes on the wire the bench divides by come from the same commands the transcripts show', () => {
    it('a +MIPSEND chunk and a +MIPREAD chunk cost exactly the bytes of their exchanges; read mode is the format chosen for bulk data', () => {
      const send = fibocomVendor.transfer!.send(256 * 1024, 921600);
      assert.equal(send.chunk, 2048);
      assert.equal(send.perChunk.hostBytes(2048), 'AT+MIPSEND=1,2048\r'.length + 2048);
      assert.equal(send.perChunk.moduleBytes(2048), '\r\n> '.length + framed('+MIPSEND: 1,0,0', 'OK').length);
      assert.equal(send.perChunk.flow, 'turns');
      const receive = fibocomVendor.transfer!.receive(5000, 115200);
      assert.equal(receive.chunk, 2048);
      assert.equal(receive.perChunk.hostBytes(904), 'AT+MIPREAD=1,2048\r'.length);
      assert.equal(receive.perChunk.moduleBytes(904), framed('+MIPDATA: 1,904').length + 904 + framed('OK').length);
      assert.deepEqual(receive.once, { hostBytes: 0, moduleBytes: framed('+MIPREAD: 1,5000').length, waitMs: 0 });
      // A whole number of chunks ends with one read that finds nothing.
      assert.deepEqual(fibocomVendor.transfer!.receive(4096, 115200).once, { hostBytes: 'AT+MIPREAD=1,2048\r'.length, moduleBytes: framed('+MIPREAD: 1,4096').length + framed('OK').length, waitMs: 0 });
      assert.equal(receiveFormat(), 5);
      const hex = transferTime(HEX_PUSH, 256 * 1024, 921600);
      const read = transferTime(receive, 256 * 1024, 921600);
      assert.ok(read.ofLineRate > 0.97 && hex.ofLineRate < 0.5, `read mode ${read.ofLineRate}, hex ${hex.ofLineRate}`);
    });
  });

  describe('error-decode: every +GTSSLERR code (l. 177–202)', () => {
    it('-0..-20 each have a name, a category and a hint; -11 points at the trust file and the clock', () => {
      for (let n = 0; n <= 20; n++) {
        const d = decodeFibocomError({ code: `-${n}` });
        assert.equal(d.code, `-${n}`);
        assert.notEqual(d.name, `SSL error -${n}`, `-${n} is known`);
        assert.ok(d.hint.length > 20);
      }
      assert.equal(decodeFibocomError({ line: '+GTSSLERR: -11' }).category, 'certificate');
      assert.match(decodeFibocomError({ code: '-11' }).hint, /clock/);
      assert.equal(decodeFibocomError({ code: '-4' }).category, 'network');
      assert.equal(decodeFibocomError({ code: '-7' }).category, 'handshake');
      assert.equal(decodeFibocomError({ code: '-21' }).category, 'unknown');
      assert.equal(decodeFibocomError({ code: 'ERROR', command: 'AT+MIPOPEN=1,,"x",443,2' }).name, 'open refused');
      assert.equal(decodeFibocomError({ code: 3 }).name, 'operation not allowed');
      assert.equal(decodeFibocomError({ code: '+MIPCALL: 0' }).name, 'data connection refused');
      assert.equal(decodeFibocomError({ line: '+MIPOPEN 1,0' }).category, 'network');
    });
  });
});
