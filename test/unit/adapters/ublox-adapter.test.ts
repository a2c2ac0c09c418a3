/**
 * The u-blox adapter against scripted transcripts: every byte the host writes and every byte
 * the module answers, in the framing of the u-blox AT commands manual (seeds/003, "Device and
 * data security") and the SARA-R5 manual's "Internet protocol transport layer", with ATE0.
 * Where the manual gives an example, the transcript uses it byte for byte.
 */
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ModemError } from '../../../src/at';
import { ubloxDialect } from '../../../src/adapters/ublox/dialect';
import { UbloxAdapter, ubloxCapabilities } from '../../../src/adapters/ublox/adapter';
import { capabilitiesOf, createAdapter } from '../../../src/adapters';
import { md5, parseSecurityData, toPem, type ParsedCertificate } from '../../../src/tls/certificates';
import { readProfile } from '../../../src/tls/profile';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { framed } from '../../support/transcript';
import { opened, write } from '../../support/ublox-steps';
import { closeEngines, done, engineRig, refused, type EngineRig } from '../../support/adapter-rig';

/** The trusted root of the manual's +USECMNG example, as printed there; its DER hashes to the MD5 the example shows. */
const THAWTE_PEM = `-----BEGIN CERTIFICATE-----
MIIEIDCCAwigAwIBAgIQNE7VVyDV7exJ9C/ON9srbTANBgkqhkiG9w0BAQUFADCB
qTELMAkGA1UEBhMCVVMxFTATBgNVBAoTDHRoYXd0ZSwgSW5jLjEoMCYGA1UECxMf
Q2VydGlmaWNhdGlvbiBTZXJ2aWNlcyBEaXZpc2lvbjE4MDYGA1UECxMvKGMpIDIw
MDYgdGhhd3RlLCBJbmMuIC0gRm9yIGF1dGhvcml6ZWQgdXNlIG9ubHkxHzAdBgNV
BAMTFnRoYXd0ZSBQcmltYXJ5IFJvb3QgQ0EwHhcNMDYxMTE3MDAwMDAwWhcNMzYw
NzE2MjM1OTU5WjCBqTELMAkGA1UEBhMCVVMxFTATBgNVBAoTDHRoYXd0ZSwgSW5j
LjEoMCYGA1UECxMfQ2VydGlmaWNhdGlvbiBTZXJ2aWNlcyBEaXZpc2lvbjE4MDYG
A1UECxMvKGMpIDIwMDYgdGhhd3RlLCBJbmMuIC0gRm9yIGF1dGhvcml6ZWQgdXNl
IG9ubHkxHzAdBgNVBAMTFnRoYXd0ZSBQcmltYXJ5IFJvb3QgQ0EwggEiMA0GCSqG
SIb3DQEBAQUAA4IBDwAwggEKAoIBAQCsoPD7gFnUnMekz52hWXMJEEUMDSxuaPFs
W0hoSVk3/AszGcJ3f8wQLZU0HObrTQmnHNK4yZc2AreJ1CRfBsDMRJSUjQJib+ta
3RGNKJpchJAQeg29dGYvajig4tVUROsdB58Hum/u6f1OCyn1PoSgAfGcq/gcfomk
6KHYcWUNo1F77rzSImANuVud37r8UVsLr5iy6S7pBOhih94ryNdOwUxkHt3Ph1i6
Sk/KaAcdHJ1KxtUvkcx8cXIcxcBn6zL9yZJclNqFwJu/U30rCfSMnZEfl2pSy94J
NqR32HuHUETVPm4pafs5SSYeCaWAe0At6+gnhcn+Yf1+5nyXHdWdAgMBAAGjQjBA
MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBR7W0XP
r87Lev0xkhpqtvNG61dIUDANBgkqhkiG9w0BAQUFAAOCAQEAeRHAS7ORtvzw6WfU
DW5FvlXok9LOAz/t2iWwHVfLHjp2oEzsUHboZHIMpKnxuIvW1oeEuzLlQRHAd9mz
YJ3rG9XRbkREqaYB7FViHXe4XI5ISXycO1cRrK1zN44veFyQaEfZYGDm/Ac9IiAX
xPcW6cTYcvnIc3zfFi8VqT79aie2oetaupgf1eNNZAqdE8hhuvU5HIe6uL17In/2
/qxAeeWsEG89jxt5dovEN7MhGITlNgDrYyCZuen+MwS7QcjBAvlEYyCegc5C09Y/
LHbTY5xZ3Y+m4Q6gLkH3LpVHz7z9M/P2C2F+fpErgUfCJzDupxBdN49cOSvkBPB7
jVaMaA==
-----END CERTIFICATE-----
`;
const THAWTE_MD5 = '8ccadc0b22cef5be72ac411a11a8d812';

let pki: TestPki;

function rig(options: ConstructorParameters<typeof UbloxAdapter>[1] = {}): EngineRig & { adapter: UbloxAdapter } {
  const r = engineRig(ubloxDialect);
  return { ...r, adapter: new UbloxAdapter(r.engine, options) };
}

/** `AT+USECPRF=<p>,<op>` answered with the value given: the read of one op. */
function read(profile: number, op: number, value: string): { host: string; modem: string } {
  return { host: `AT+USECPRF=${profile},${op}\r`, modem: framed(`+USECPRF: ${profile},${op},${value}`, 'OK') };
}



describe('UbloxAdapter', function () {
  this.timeout(10000);

  before(() => {
    pki = createTestPki({ keyType: 'rsa' });
  });

  afterEach(() => {
    closeEngines();
  });

  describe('prepare', () => {
    it('reads the chip ID (+USECCHIP example), sets the clock, and attaches with the APN when no context is active', async () => {
      const { link, adapter } = rig({ platform: 'SARA-R5', clockSync: true, apn: 'iot.example', apnUser: 'u', apnPassword: 'p4ss', now: () => new Date(Date.UTC(2025, 0, 13, 8, 5, 9)) });
      link.expect(
        { host: 'AT+USECCHIP\r', modem: framed('+USECCHIP: "12345678"', 'OK') },
        write('AT+CCLK="25/01/13,08:05:09+00"'),
        { host: 'AT+CGACT?\r', modem: framed('+CGACT: 1,0', 'OK') },
        write('AT+CGDCONT=1,"IP","iot.example"'),
        write('AT+UAUTHREQ=1,3,"u","p4ss"'),
        write('AT+CGACT=1,1'),
      );
      await adapter.prepare();
      done(link);
      assert.equal(adapter.chipId, '12345678');
      const caps = adapter.capabilities();
      assert.equal(caps.label, 'u-blox SARA-R5 (chip ID 12345678)');
      assert.equal(caps.chipId, '12345678');
      assert.equal(caps.platform, 'SARA-R5');
    });

    it('leaves an active data connection alone', async () => {
      const { link, adapter } = rig({ apn: 'iot.example' });
      link.expect(
        { host: 'AT+USECCHIP\r', modem: framed('ERROR') },
        { host: 'AT+CGACT?\r', modem: framed('+CGACT: 1,1', 'OK') },
      );
      await adapter.prepare();
      done(link);
      assert.equal(adapter.chipId, undefined);
      assert.equal(adapter.capabilities().label, 'u-blox');
    });

    it('a module that does not answer +CGACT? is not blocked: a warning says the APN was not applied', async () => {
      const { link, adapter } = rig({ apn: 'iot.example' });
      const warnings: string[] = [];
      adapter.on('warning', (w: string) => warnings.push(w));
      link.expect(
        { host: 'AT+USECCHIP\r', modem: framed('+USECCHIP: "12345678"', 'OK') },
        { host: 'AT+CGACT?\r', modem: framed('ERROR') },
      );
      await adapter.prepare();
      done(link);
      assert.match(warnings[0], /APN was not applied/);
    });
  });

  describe('security data (+USECMNG)', () => {
    it('imports the manual’s trusted root from the byte stream: PEM after ">", MD5 of the DER verified (example: the answer echoes op 1)', async () => {
      const { link, adapter } = rig();
      const pem = toPem('CERTIFICATE', parseSecurityData(THAWTE_PEM, 'ca').der);
      link.expect(
        { host: 'AT+USECMNG=4,0,"ThawteCA"\r', modem: framed('+CME ERROR: 22') },
        { host: `AT+USECMNG=0,0,"ThawteCA",${pem.length}\r`, modem: '\r\n>' },
        { host: pem, modem: framed(`+USECMNG: 1,0,"ThawteCA","${THAWTE_MD5}"`, 'OK') },
      );
      const result = await adapter.uploadSecurityData({ certType: 'ca', name: 'ThawteCA', parsed: parseSecurityData(THAWTE_PEM, 'ca'), format: 'auto' });
      done(link);
      assert.deepEqual(result, { certType: 'ca', name: 'ThawteCA', bytes: pem.length, format: 'pem', md5: THAWTE_MD5, verified: true, unchanged: false, warnings: [] });
    });

    it('does not import again what op 4 reports with the same MD5 (idempotent provisioning)', async () => {
      const { link, adapter } = rig();
      link.expect({ host: 'AT+USECMNG=4,0,"ThawteCA"\r', modem: framed(`+USECMNG: 4,0,"ThawteCA","${THAWTE_MD5}"`, 'OK') });
      const result = await adapter.uploadSecurityData({ certType: 'ca', name: 'ThawteCA', parsed: parseSecurityData(THAWTE_PEM, 'ca'), format: 'auto' });
      done(link);
      assert.equal(result.unchanged, true);
      assert.equal(result.verified, true);
    });

    it('imports again when the stored MD5 differs, or with force; a wrong MD5 back is not verified', async () => {
      const { link, adapter } = rig();
      const der = Buffer.from(pki.ca.certDer);
      // The warning belongs to the upload that caused it: returned with it, not emitted to whoever listens.
      const emitted: string[] = [];
      adapter.on('warning', (w: string) => emitted.push(w));
      link.expect(
        { host: 'AT+USECMNG=4,0,"root"\r', modem: framed('+USECMNG: 4,0,"root","77107370ec4db40a08a6e36a64a1435b"', 'OK') },
        { host: `AT+USECMNG=0,0,"root",${der.length}\r`, modem: '\r\n>' },
        { host: der, modem: framed(`+USECMNG: 0,0,"root","${md5(der)}"`, 'OK') },
        // With force there is no MD5 read: straight to the import.
        { host: `AT+USECMNG=0,0,"root",${der.length}\r`, modem: '\r\n>' },
        { host: der, modem: framed('+USECMNG: 0,0,"root","00000000000000000000000000000000"', 'OK') },
      );
      const first = await adapter.uploadSecurityData({ certType: 'ca', name: 'root', parsed: parseSecurityData(der, 'ca'), format: 'der' });
      assert.equal(first.verified, true);
      const forced = await adapter.uploadSecurityData({ certType: 'ca', name: 'root', parsed: parseSecurityData(der, 'ca'), format: 'der', force: true });
      done(link);
      assert.equal(forced.verified, false);
      assert.deepEqual(first.warnings, []);
      assert.equal(forced.warnings.length, 1);
      assert.match(forced.warnings[0], /^ca "root": the MD5 .* differs/);
      assert.deepEqual(emitted, []);
    });

    it('imports from a file on the module file system (op 1, the manual’s example form)', async () => {
      const { link, adapter } = rig();
      link.expect(
        { host: 'AT+USECMNG=4,0,"ThawteCA"\r', modem: framed('ERROR') },
        { host: 'AT+USECMNG=1,0,"ThawteCA","thawte.cert"\r', modem: framed(`+USECMNG: 1,0,"ThawteCA","${THAWTE_MD5}"`, 'OK') },
      );
      const result = await adapter.uploadSecurityData({ certType: 'ca', name: 'ThawteCA', parsed: parseSecurityData(THAWTE_PEM, 'ca'), format: 'auto', vendorOptions: { fromFile: 'thawte.cert' } });
      done(link);
      assert.equal(result.verified, true);
      assert.equal(result.format, 'der');
    });

    it('imports an RSA key as PKCS#1 PEM, verified by MD5; no key material or its MD5 in the trace or the result', async () => {
      const { link, adapter, traces } = rig();
      const pkcs1 = pki.client.keyRsaPem!.replace(/\r/g, '');
      const hash = md5(pki.client.keyRsaDer!);
      link.expect(
        { host: 'AT+USECMNG=4,2,"device-key"\r', modem: framed('ERROR') },
        { host: `AT+USECMNG=0,2,"device-key",${pkcs1.length}\r`, modem: '\r\n>' },
        { host: pkcs1, modem: framed(`+USECMNG: 0,2,"device-key","${hash}"`, 'OK') },
      );
      const result = await adapter.uploadSecurityData({ certType: 'key', name: 'device-key', parsed: parseSecurityData(pki.client.key, 'key'), format: 'auto' });
      done(link);
      assert.equal(result.verified, true);
      assert.equal(result.md5, undefined);
      const body = pkcs1.split('\n')[1];
      assert.ok(traces.every((t) => !t.text.includes(body) && !t.text.includes(hash)), 'no key material in the trace');
      assert.ok(traces.some((t) => t.kind === 'payload' && /secret/.test(t.text)));
    });

    it('an EC key with an EC PARAMETERS block goes as a clean SEC1 key: the extension header never reaches the module', async () => {
      const { link, adapter } = rig();
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const sec1 = privateKey.export({ format: 'der', type: 'sec1' });
      // What `openssl ecparam -genkey` writes: the curve OID block, then the key.
      const input = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${toPem('EC PRIVATE KEY', sec1)}`;
      const sent = toPem('EC PRIVATE KEY', sec1);
      link.expect(
        { host: 'AT+USECMNG=4,2,"ec-key"\r', modem: framed('ERROR') },
        { host: `AT+USECMNG=0,2,"ec-key",${sent.length}\r`, modem: '\r\n>' },
        { host: sent, modem: framed(`+USECMNG: 0,2,"ec-key","${md5(sec1)}"`, 'OK') },
      );
      const result = await adapter.uploadSecurityData({ certType: 'key', name: 'ec-key', parsed: parseSecurityData(input, 'key'), format: 'auto' });
      done(link);
      assert.equal(result.verified, true);
      assert.ok(!link.hostWrites.some((w) => w.toString('latin1').includes('EC PARAMETERS')));
    });

    it('keepEncrypted: the key goes as encrypted PKCS#8 DER with its password as a secret parameter', async () => {
      const { link, engine, adapter, traces } = rig();
      await engine.sync();
      const parsed = parseSecurityData(pki.client.encryptedKey('k3y-pass'), 'key', { password: 'k3y-pass' });
      link.expect({ host: 'AT+USECMNG=4,2,"enc-key"\r', modem: framed('ERROR') });
      // The encrypted DER differs per run (random salt and IV): this modem answers what it is sent.
      let size = -1;
      let payload = Buffer.alloc(0);
      link.on('write', (data: Buffer) => {
        const m = /^AT\+USECMNG=0,2,"enc-key",(\d+),"k3y-pass"\r$/.exec(data.toString('latin1'));
        if (m) {
          size = Number(m[1]);
          setImmediate(() => link.feed('\r\n>'));
        } else if (size > 0) {
          payload = Buffer.concat([payload, data]);
          if (payload.length === size) setImmediate(() => link.feed(framed(`+USECMNG: 0,2,"enc-key","${md5(payload)}"`, 'OK')));
        }
      });
      const result = await adapter.uploadSecurityData({ certType: 'key', name: 'enc-key', parsed, format: 'auto', password: 'k3y-pass', vendorOptions: { keepEncrypted: true } });
      assert.equal(result.verified, true);
      assert.equal(result.format, 'der');
      assert.equal(payload[0], 0x30, 'DER');
      assert.ok(traces.every((t) => !t.text.includes('k3y-pass')), 'the password is redacted in the trace');
      assert.ok(traces.some((t) => t.text === `AT+USECMNG=0,2,"enc-key",${size},"***"`));
      await refused(adapter.uploadSecurityData({ certType: 'key', name: 'enc-key', parsed, format: 'pem', password: 'k3y-pass', vendorOptions: { keepEncrypted: true } }), 'format');
    });

    it('refuses, naming the field, before anything is written: a long name, a pre-installed name, more than 8192 bytes, an Ed25519 key, a 1024-bit minimum', async () => {
      const { link, engine, adapter } = rig();
      await engine.sync();
      const before = link.hostWrites.length;
      const ca = parseSecurityData(pki.ca.cert, 'ca');
      const long = await refused(adapter.uploadSecurityData({ certType: 'ca', name: 'a-name-of-thirty-one-characters', parsed: ca, format: 'auto' }), 'name');
      assert.match(long.message, /31 characters long; .* at most 30/);
      assert.equal(link.hostWrites.length, before);
      link.expect({ host: `AT+USECMNG=4,0,"${'x'.repeat(30)}"\r`, modem: framed(`+USECMNG: 4,0,"${'x'.repeat(30)}","${md5(ca.der)}"`, 'OK') });
      assert.equal((await adapter.uploadSecurityData({ certType: 'ca', name: 'x'.repeat(30), parsed: ca, format: 'auto' })).unchanged, true, 'thirty characters are accepted');
      done(link);
      const afterThirty = link.hostWrites.length;
      const pre = await refused(adapter.removeSecurityData('ca', 'ubx_digicert_global_root_ca'), 'name');
      assert.match(pre.message, /pre-installed/);
      const huge = { ...(ca as ParsedCertificate), der: Buffer.alloc(9000, 0x30) };
      const big = await refused(adapter.uploadSecurityData({ certType: 'ca', name: 'big', parsed: huge, format: 'auto' }), 'msg.payload');
      assert.match(big.message, /9000 bytes as DER; .* at most 8192/);
      const { privateKey } = generateKeyPairSync('ed25519');
      const ed = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
      await refused(adapter.uploadSecurityData({ certType: 'key', name: 'k', parsed: parseSecurityData(ed, 'key'), format: 'auto' }), 'msg.payload');
      const small = generateKeyPairSync('rsa', { modulusLength: 768 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
      const weak = await refused(adapter.uploadSecurityData({ certType: 'key', name: 'k', parsed: parseSecurityData(small, 'key'), format: 'auto' }), 'msg.payload');
      assert.match(weak.message, /768 bits; .* at least 1024/);
      await refused(adapter.uploadSecurityData({ certType: 'ca', name: 'c', parsed: ca, format: 'auto', vendorOptions: { fromFile: 'f'.repeat(64) } }), 'vendorOptions.fromFile');
      await refused(adapter.uploadSecurityData({ certType: 'ca', name: 'c', parsed: ca, format: 'auto', vendorOptions: { storage: 'ram' } }), 'vendorOptions.storage');
      await refused(adapter.uploadSecurityData({ certType: 'ca', name: 'c', parsed: ca, format: 'auto', vendorOptions: { keepEncrypted: true } }), 'vendorOptions.keepEncrypted');
      assert.equal(link.hostWrites.length, afterThirty, 'nothing written by a refusal');
    });

    it('lists (op 3, the manual’s rows) with the MD5 of each certificate (op 4), and removes (op 2)', async () => {
      const { link, adapter } = rig();
      link.expect(
        {
          host: 'AT+USECMNG=3\r',
          modem: framed('"CA","AddTrustCA","AddTrust External CA Root","2020/05/30"', '"CA","GlobalSignCA","GlobalSign","2029/03/18"', '"CC","JohnDoeCC","GlobalSign","2010/01/01"', '"PK","JohnDoePK"', 'OK'),
        },
        { host: 'AT+USECMNG=4,0,"AddTrustCA"\r', modem: framed('+USECMNG: 4,0,"AddTrustCA","77107370ec4db40a08a6e36a64a1435b"', 'OK') },
        { host: 'AT+USECMNG=4,0,"GlobalSignCA"\r', modem: framed('+CME ERROR: 22') },
        { host: 'AT+USECMNG=4,1,"JohnDoeCC"\r', modem: framed('+USECMNG: 4,1,"JohnDoeCC","0123456789abcdef0123456789abcdef"', 'OK') },
        write('AT+USECMNG=2,0,"AddTrustCA"'),
      );
      const list = await adapter.listSecurityData();
      await adapter.removeSecurityData('ca', 'AddTrustCA');
      done(link);
      assert.deepEqual(list, [
        { certType: 'ca', name: 'AddTrustCA', subject: 'CN=AddTrust External CA Root', notAfter: '2020-05-30T00:00:00.000Z', md5: '77107370ec4db40a08a6e36a64a1435b' },
        { certType: 'ca', name: 'GlobalSignCA', subject: 'CN=GlobalSign', notAfter: '2029-03-18T00:00:00.000Z' },
        { certType: 'cert', name: 'JohnDoeCC', subject: 'CN=GlobalSign', notAfter: '2010-01-01T00:00:00.000Z', md5: '0123456789abcdef0123456789abcdef' },
        { certType: 'key', name: 'JohnDoePK' },
      ]);
    });

    it('reads the list row of the manual’s step 2 as well (bare type, a space before the name)', async () => {
      const { link, adapter } = rig();
      link.expect(
        { host: 'AT+USECMNG=3\r', modem: framed('CA, "ThawteCA","thawte Primary Root CA","2036/07/17"', 'OK') },
        { host: 'AT+USECMNG=4,0,"ThawteCA"\r', modem: framed(`+USECMNG: 4,0,"ThawteCA","${THAWTE_MD5}"`, 'OK') },
      );
      const list = await adapter.listSecurityData();
      done(link);
      assert.deepEqual(list, [{ certType: 'ca', name: 'ThawteCA', subject: 'CN=thawte Primary Root CA', notAfter: '2036-07-17T00:00:00.000Z', md5: THAWTE_MD5 }]);
    });
  });

  describe('applyProfile (+USECPRF)', () => {
    it('the manual’s steps 3 and 4: profile 2 trusts "ThawteCA" at validation level 1; only the two changed ops are written', async () => {
      const { link, adapter } = rig();
      link.expect(
        read(2, 0, '0'),
        write('AT+USECPRF=2,0,1'),
        read(2, 1, '0'),
        read(2, 2, '0'),
        read(2, 3, '""'),
        write('AT+USECPRF=2,3,"ThawteCA"'),
        read(2, 4, '""'),
        read(2, 5, '""'),
        read(2, 6, '""'),
        read(2, 10, '""'),
        read(2, 15, '""'),
      );
      const result = await adapter.applyProfile(readProfile({ profile: '2', verify: 'server', ca: 'ThawteCA', checkHostname: false, checkDate: false, tlsVersion: 'auto', sni: false }));
      done(link);
      assert.equal(result.written, 2);
      assert.equal(result.applied.validationLevel, 1);
      assert.equal(result.applied.tlsVersion, 0);
      assert.deepEqual(result.warnings, []);
    });

    it('writes nothing when the module already has the profile', async () => {
      const { link, adapter } = rig();
      link.expect(
        read(2, 0, '1'), read(2, 1, '0'), read(2, 2, '0'), read(2, 3, '"ThawteCA"'), read(2, 4, '""'), read(2, 5, '""'), read(2, 6, '""'), read(2, 10, '""'), read(2, 15, '""'),
      );
      const result = await adapter.applyProfile(readProfile({ profile: '2', verify: 'server', ca: 'ThawteCA', checkHostname: false, checkDate: false, tlsVersion: 'auto', sni: false }));
      done(link);
      assert.equal(result.written, 0);
    });

    it('mutual TLS with the manual’s example values: level 2, TLS 1.2, one IANA suite, names, host name, SNI, ALPN; secrets written, never read, never traced', async () => {
      const { link, adapter, traces } = rig();
      link.expect(
        read(0, 0, '1'), write('AT+USECPRF=0,0,2'),
        read(0, 1, '0'), write('AT+USECPRF=0,1,3'),
        read(0, 2, '0'), write('AT+USECPRF=0,2,99,"C0","2B"'),
        read(0, 3, '""'), write('AT+USECPRF=0,3,"ca_iname"'),
        read(0, 4, '""'), write('AT+USECPRF=0,4,"server_hostname"'),
        read(0, 5, '""'), write('AT+USECPRF=0,5,"cc_iname"'),
        read(0, 6, '""'), write('AT+USECPRF=0,6,"pk_iname"'),
        write('AT+USECPRF=0,7,"xxxxx"'),
        read(0, 10, '""'), write('AT+USECPRF=0,10,"server_hostname"'),
        read(0, 15, '""'), write('AT+USECPRF=0,15,"FTP"'),
      );
      const result = await adapter.applyProfile(readProfile({
        profile: '0', verify: 'mutual', ca: 'ca_iname', cert: 'cc_iname', key: 'pk_iname', checkDate: false, hostname: 'server_hostname',
        ciphers: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', alpn: 'FTP', keyPassword: 'xxxxx',
      }));
      done(link);
      assert.equal(result.written, 10);
      assert.equal(result.applied.cipherName, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
      assert.deepEqual(result.applied.secretsWritten, ['keyPassword']);
      assert.ok(!JSON.stringify(result).includes('xxxxx'));
      assert.ok(traces.every((t) => !t.text.includes('xxxxx')), 'the key password is redacted');
      assert.ok(traces.some((t) => t.text === 'AT+USECPRF=0,7,"***"'));
    });

    it('PSK and identity (ops 8 and 9, the manual’s examples; hex PSK with its string type)', async () => {
      const { link, adapter, traces } = rig();
      const base = [read(1, 0, '0'), read(1, 1, '0'), read(1, 2, '0'), read(1, 3, '""'), read(1, 4, '""'), read(1, 5, '""'), read(1, 6, '""')];
      link.expect(
        ...base,
        write('AT+USECPRF=1,8,"0sFpZ0AZqE0N6Ti9s0qt40ZP5Eqx"'),
        write('AT+USECPRF=1,9,"0ceEZ0AZqP0K60i9o04xz0ZP8zyu0Eqx"'),
        read(1, 10, '""'), read(1, 15, '""'),
        ...base,
        write('AT+USECPRF=1,8,"00112233445566778899AABBCCDDEEFF",1'),
        read(1, 10, '""'), read(1, 15, '""'),
      );
      const psk = { profile: '1', verify: 'none', sni: false, tlsVersion: 'auto', psk: '0sFpZ0AZqE0N6Ti9s0qt40ZP5Eqx', pskIdentity: '0ceEZ0AZqP0K60i9o04xz0ZP8zyu0Eqx' };
      const first = await adapter.applyProfile(readProfile(psk));
      assert.equal(first.written, 2);
      assert.match(first.warnings[0], /not authenticated/);
      await adapter.applyProfile(readProfile({ profile: '1', verify: 'none', sni: false, tlsVersion: 'auto', psk: '00112233445566778899AABBCCDDEEFF', vendorOptions: { pskFormat: 'hex' } }));
      done(link);
      assert.ok(traces.every((t) => !t.text.includes('0sFpZ0AZqE0N6Ti9s0qt40ZP5Eqx') && !t.text.includes('0ceEZ0AZqP0K60i9o04xz0ZP8zyu0Eqx')));
    });

    it('vendor options: reset, legacy suite, pinning, session resumption, database — each op 12/13/16 in the manual’s example form', async () => {
      const { link, adapter } = rig();
      link.expect(
        write('AT+USECPRF=0'),
        read(0, 0, '1'), write('AT+USECPRF=0,0,0'),
        read(0, 1, '0'),
        read(0, 2, '0'), write('AT+USECPRF=0,2,2'),
        read(0, 3, '""'), read(0, 4, '""'), read(0, 5, '""'), read(0, 6, '""'), read(0, 10, '""'),
        read(0, 12, '"",0'), write('AT+USECPRF=0,12,"my_srv_cert",0'),
        { host: 'AT+USECPRF=0,13,0\r', modem: framed('+USECPRF: 0,13,0,0', 'OK') }, write('AT+USECPRF=0,13,0,1'),
        { host: 'AT+USECPRF=0,13,1\r', modem: framed('+USECPRF: 0,13,1,1', 'OK') },
        read(0, 15, '""'),
        read(0, 16, '2'), write('AT+USECPRF=0,16,1'),
      );
      const result = await adapter.applyProfile(readProfile({
        profile: '0', verify: 'none', sni: false, tlsVersion: 'auto',
        vendorOptions: { reset: true, legacyCipher: 2, pinCert: 'my_srv_cert', pinLevel: 0, sessionResumption: true, sessionType: 1, database: 'user' },
      }));
      done(link);
      assert.equal(result.written, 6);
      assert.equal(result.applied.cipherName, 'TLS_RSA_WITH_AES_128_CBC_SHA256');
    });

    it('a suite list through vendorOptions.cipherList (op 2,100): adds what is missing, removes what is not wanted, with a warning', async () => {
      const { link, adapter } = rig();
      link.expect(
        read(0, 0, '0'), read(0, 1, '0'),
        read(0, 2, '100,"C02A;C02C"'),
        write('AT+USECPRF=0,2,100,"C0","2B",0'),
        write('AT+USECPRF=0,2,100,"C0","2C",1'),
        read(0, 3, '""'), read(0, 4, '""'), read(0, 5, '""'), read(0, 6, '""'), read(0, 10, '""'), read(0, 15, '""'),
      );
      const result = await adapter.applyProfile(readProfile({
        profile: '0', verify: 'none', sni: false, tlsVersion: 'auto',
        vendorOptions: { cipherList: ['TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] },
      }));
      done(link);
      assert.equal(result.written, 2);
      assert.ok(result.warnings.some((w) => /op 2,100/.test(w)));
    });

    it('refuses, naming the field, before anything is written', async () => {
      const { link, engine, adapter } = rig();
      await engine.sync();
      const before = link.hostWrites.length;
      const server = { profile: '0', verify: 'server', ca: 'root' };
      const unknown = await refused(adapter.applyProfile(readProfile({ ...server, ciphers: 'TLS_AES_128_GCM_SHA256' })), 'ciphers');
      assert.match(unknown.message, /cannot select TLS_AES_128_GCM_SHA256; they offer TLS_RSA_WITH_3DES_EDE_CBC_SHA/);
      await refused(adapter.applyProfile(readProfile({ ...server, ciphers: ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA'] })), 'ciphers');
      await refused(adapter.applyProfile(readProfile({ ...server, tlsVersion: '1.3' })), 'tlsVersion');
      await refused(adapter.applyProfile(readProfile({ ...server, checkHostname: false, checkDate: true })), 'checkDate');
      await refused(adapter.applyProfile(readProfile({ ...server, profile: '5' })), 'profile');
      await refused(adapter.applyProfile(readProfile({ ...server, alpn: 'h2,http/1.1' })), 'alpn');
      await refused(adapter.applyProfile(readProfile({ ...server, vendorOptions: { legacyCipher: 10 } })), 'vendorOptions.legacyCipher');
      await refused(adapter.applyProfile(readProfile({ ...server, vendorOptions: { sessionType: 3 } })), 'vendorOptions.sessionType');
      await refused(adapter.applyProfile(readProfile({ ...server, vendorOptions: { pskFormat: 'hex' }, psk: 'not-hex' })), 'psk');
      await refused(adapter.applyProfile(readProfile({ ...server, vendorOptions: { sslSRingMode: 2 } })), 'vendorOptions.sslSRingMode');
      await refused(adapter.applyProfile(readProfile({ ...server, ciphers: 'TLS_RSA_WITH_AES_128_CBC_SHA', vendorOptions: { legacyCipher: 1 } })), 'vendorOptions.legacyCipher');
      await refused(adapter.applyProfile(readProfile({ ...server, keyPassword: 'p'.repeat(129) })), 'keyPassword');
      assert.equal(link.hostWrites.length, before, 'nothing written');
    });

    it('with no host name, ops 4 and 10 follow the host of each connection (SNI never an IP address); the same host writes nothing again', async () => {
      const { link, adapter } = rig();
      link.expect(
        read(3, 0, '1'), write('AT+USECPRF=3,0,3'),
        read(3, 1, '3'), read(3, 2, '0'), read(3, 3, '"root"'), read(3, 5, '""'), read(3, 6, '""'), read(3, 15, '""'),
      );
      const applied = await adapter.applyProfile(readProfile({ profile: '3', verify: 'server', ca: 'root' }));
      assert.equal(applied.applied.hostname, '(the host of each connection)');
      link.expect(
        write('AT+USECPRF=3,4,"localhost"'),
        write('AT+USECPRF=3,10,"localhost"'),
        { host: 'AT+USOCR=6\r', modem: framed('+USOCR: 0', 'OK') },
        write('AT+USOSEC=0,1,3'),
        write('AT+USOCO=0,"localhost",7444'),
        { host: 'AT+USOCR=6\r', modem: framed('+USOCR: 1', 'OK') },
        write('AT+USOSEC=1,1,3'),
        write('AT+USOCO=1,"localhost",7445'),
        write('AT+USECPRF=3,4,"127.0.0.1"'),
        write('AT+USECPRF=3,10,""'),
        { host: 'AT+USOCR=6\r', modem: framed('+USOCR: 2', 'OK') },
        write('AT+USOSEC=2,1,3'),
        write('AT+USOCO=2,"127.0.0.1",7444'),
      );
      await adapter.openSocket({ profile: '3', host: 'localhost', port: 7444, mode: 'command' });
      await adapter.openSocket({ profile: '3', host: 'localhost', port: 7445, mode: 'command' });
      await adapter.openSocket({ profile: '3', host: '127.0.0.1', port: 7444, mode: 'command' });
      done(link);
    });
  });

  describe('sockets (SARA-R5 "Internet protocol transport layer")', () => {
    it('opens a secure socket (+USOCR, +USOSEC, +USOCO), writes binary after "@", reads data holding `"` and `\\r\\nOK\\r\\n`, closes', async () => {
      const { link, adapter } = rig();
      const binary = Buffer.from([0x00, 0x22, 0x1a, 0x1b, 0xff, 0x0d, 0x0a, 0x40]);
      const inbound = Buffer.from('say "hi"\r\nOK\r\n+UUSOCL: 0\r\n"', 'latin1');
      link.expect(
        { host: 'AT+USOCR=6\r', modem: framed('+USOCR: 0', 'OK') },
        write('AT+USOSEC=0,1,2'),
        write('AT+USOCO=0,"127.0.0.1",7444'),
        { host: `AT+USOWR=0,${binary.length}\r`, modem: '\r\n@' },
        { host: binary, modem: framed(`+USOWR: 0,${binary.length}`, 'OK') },
        {
          host: 'AT+USORD=0,100\r',
          modem: Buffer.concat([Buffer.from(`\r\n+USORD: 0,${inbound.length},"`), inbound, Buffer.from('"\r\n\r\nOK\r\n')]),
        },
        write('AT+USOCL=0'),
      );
      const closed: string[] = [];
      adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      const info = await adapter.openSocket({ profile: '2', host: '127.0.0.1', port: 7444, mode: 'command' });
      assert.deepEqual(info, { socket: '0', host: '127.0.0.1', port: 7444, mode: 'command' });
      assert.equal(await adapter.send('0', binary), binary.length);
      const got = await adapter.receive('0', 100);
      assert.ok(got.equals(inbound), JSON.stringify(got.toString('latin1')));
      await adapter.closeSocket('0');
      done(link);
      assert.deepEqual(closed, ['0: closed by the flow'], 'the +UUSOCL inside the data is data');
    });

    it('splits a send into +USOWR commands of at most 1024 bytes', async () => {
      const { link, adapter } = rig();
      await opened(link, adapter, 1);
      for (const size of [1024, 1024, 452]) {
        link.expect({ host: `AT+USOWR=1,${size}\r`, modem: '@' }, { host: Buffer.alloc(size, 0xaa), modem: framed(`+USOWR: 1,${size}`, 'OK') });
      }
      assert.equal(await adapter.send('1', Buffer.alloc(2500, 0xaa)), 2500);
      done(link);
    });

    it('+UUSORD pushes data: read at once with +USORD in chunks of at most 1024, emitted as `data`', async () => {
      const { link, adapter } = rig();
      await opened(link, adapter, 0);
      const chunks: Buffer[] = [];
      const all = new Promise<void>((resolve) => adapter.on('data', (s: string, d: Buffer) => {
        assert.equal(s, '0');
        chunks.push(d);
        if (chunks.reduce((n, c) => n + c.length, 0) === 1500) resolve();
      }));
      const first = Buffer.alloc(1024, 0x41);
      const second = Buffer.alloc(476, 0x42);
      link.expect(
        { host: 'AT+USORD=0,1024\r', modem: Buffer.concat([Buffer.from('\r\n+USORD: 0,1024,"'), first, Buffer.from('"\r\n\r\nOK\r\n')]) },
        { host: 'AT+USORD=0,476\r', modem: Buffer.concat([Buffer.from('\r\n+USORD: 0,476,"'), second, Buffer.from('"\r\n\r\nOK\r\n')]) },
      );
      link.feed(framed('+UUSORD: 0,1500'));
      await all;
      done(link);
      assert.ok(Buffer.concat(chunks).equals(Buffer.concat([first, second])));
    });

    it('+UUSOCL right behind the answer of the read that took the last bytes: the bytes come out before `closed`', async () => {
      const { link, adapter } = rig();
      await opened(link, adapter, 2);
      const seen: string[] = [];
      adapter.on('data', (s: string, d: Buffer) => seen.push(`data ${s}:${d.toString()}`));
      adapter.on('closed', (s: string, why: string) => seen.push(`closed ${s}: ${why}`));
      link.expect({ host: 'AT+USORD=2,5\r', modem: Buffer.concat([Buffer.from('\r\n+USORD: 2,5,"last!"\r\n\r\nOK\r\n'), Buffer.from(framed('+UUSOCL: 2'))]) });
      link.feed(framed('+UUSORD: 2,5'));
      while (seen.length < 2) await new Promise((r) => setTimeout(r, 5));
      done(link);
      assert.deepEqual(seen, ['data 2:last!', 'closed 2: closed by the server']);
    });

    it('receive with a timeout waits for +UUSORD and then reads', async () => {
      const { link, adapter } = rig();
      await opened(link, adapter, 0);
      link.expect({ host: 'AT+USORD=0,50\r', modem: framed('+USORD: 0,0,""', 'OK') });
      const pending = adapter.receive('0', 50, 2000);
      await new Promise((r) => setTimeout(r, 50));
      link.expect({ host: 'AT+USORD=0,50\r', modem: Buffer.from('\r\n+USORD: 0,5,"hello"\r\n\r\nOK\r\n') });
      link.feed(framed('+UUSORD: 0,5'));
      assert.equal((await pending).toString(), 'hello');
      done(link);
    });

    it('a read waiting for data ends with its connection: the close wakes it ("no longer open"), and the next connection on the same id keeps its own data', async () => {
      const { link, adapter } = rig();
      await opened(link, adapter, 0);
      link.expect({ host: 'AT+USORD=0,100\r', modem: framed('+USORD: 0,0,""', 'OK') });
      const stale = adapter.receive('0', 100, 5000).then(() => 'returned', (err: ModemError) => err.message);
      await new Promise((r) => setTimeout(r, 30));
      link.expect(write('AT+USOCL=0'));
      await adapter.closeSocket('0');
      assert.equal(await stale, 'msg.socket: socket 0 is no longer open (closed by the flow); open it again with tls-open');
      // The module gives id 0 again; what arrives on it is the new connection's, pushed.
      await opened(link, adapter, 0);
      const pushed = new Promise<Buffer>((resolve) => adapter.once('data', (_s: string, d: Buffer) => resolve(d)));
      link.expect({ host: 'AT+USORD=0,5\r', modem: Buffer.from('\r\n+USORD: 0,5,"fresh"\r\n\r\nOK\r\n') });
      link.feed(framed('+UUSORD: 0,5'));
      assert.equal((await pushed).toString(), 'fresh');
      done(link);
    });

    it('+UUSORD for a socket no flow opened (an at-command node\'s, or one left from before) is not read', async () => {
      const { link, engine, adapter } = rig();
      await engine.sync();
      const data: string[] = [];
      adapter.on('data', (s: string) => data.push(s));
      link.feed(framed('+UUSORD: 5,6'));
      link.expect({ host: 'AT\r', modem: framed('OK') });
      await engine.sync(); // a barrier: a read queued for socket 5 would have gone before it
      assert.equal(link.hostWrites.filter((w) => w.toString('latin1').startsWith('AT+USORD')).length, 0);
      assert.deepEqual(data, []);
    });

    it('data announced while the open is still in its section (before +USOCO\'s OK) is read once the socket is the flow\'s', async () => {
      const { link, adapter } = rig();
      const pushed = new Promise<Buffer>((resolve) => adapter.once('data', (_s: string, d: Buffer) => resolve(d)));
      link.expect(
        { host: 'AT+USOCR=6\r', modem: framed('+USOCR: 2', 'OK') },
        write('AT+USOSEC=2,1,0'),
        { host: 'AT+USOCO=2,"example.com",443\r', modem: framed('+UUSORD: 2,5', 'OK') },
        { host: 'AT+USORD=2,5\r', modem: Buffer.from('\r\n+USORD: 2,5,"hello"\r\n\r\nOK\r\n') },
      );
      await adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
      assert.equal((await pushed).toString(), 'hello');
      done(link);
    });

    it('after a lost link, bring-up closes on the module the sockets the flows had open (a module that restarted answers "operation not allowed")', async () => {
      const { link, adapter } = rig();
      await opened(link, adapter, 0);
      await opened(link, adapter, 3);
      adapter.forgetConnections('serial port unplugged');
      link.expect(
        write('AT+USOCL=0'),
        { host: 'AT+USOCL=3\r', modem: framed('+CME ERROR: operation not allowed') },
        { host: 'AT+USECCHIP\r', modem: framed('+USECCHIP: "12345678"', 'OK') },
      );
      await adapter.prepare();
      done(link);
      // Only once: a second bring-up has nothing left to close.
      link.expect({ host: 'AT+USECCHIP\r', modem: framed('+USECCHIP: "12345678"', 'OK') });
      await adapter.prepare();
      done(link);
    });

    it('+UUSOCL reports the close as `closed`; closing it afterwards sends nothing', async () => {
      const { link, adapter } = rig();
      link.expect(
        { host: 'AT+USOCR=6\r', modem: framed('+USOCR: 3', 'OK') },
        write('AT+USOSEC=3,1,0'),
        write('AT+USOCO=3,"example.com",443'),
      );
      await adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
      const closed = new Promise<[string, string]>((resolve) => adapter.once('closed', (s: string, r: string) => resolve([s, r])));
      link.feed(framed('+UUSOCL: 3'));
      assert.deepEqual(await closed, ['3', 'closed by the server']);
      const before = link.hostWrites.length;
      await adapter.closeSocket('3');
      assert.equal(link.hostWrites.length, before);
      done(link);
    });

    it('a failed connect reads the socket error (+USOCTL param 1), frees the socket, and carries the errno in the ModemError', async () => {
      const { link, adapter } = rig();
      link.expect(
        { host: 'AT+USOCR=6\r', modem: framed('+USOCR: 0', 'OK') },
        write('AT+USOSEC=0,1,0'),
        { host: 'AT+USOCO=0,"127.0.0.1",9\r', modem: framed('+CME ERROR: 3') },
        { host: 'AT+USOCTL=0,1\r', modem: framed('+USOCTL: 0,1,111', 'OK') },
        write('AT+USOCL=0'),
      );
      let failure: ModemError | undefined;
      try {
        await adapter.openSocket({ profile: '0', host: '127.0.0.1', port: 9, mode: 'command' });
      } catch (err) {
        failure = err as ModemError;
      }
      done(link);
      assert.ok(failure instanceof ModemError);
      assert.equal(failure.code, 'errno 111');
      assert.equal(failure.line, '+USOCTL: 0,1,111');
      assert.match(failure.message, /ECONNREFUSED/);
      const decoded = adapter.decodeError(failure.toJSON());
      assert.equal(decoded.name, 'ECONNREFUSED: connection refused');
      assert.equal(decoded.category, 'network');
    });

    it('refuses a fifth TLS connection before sending anything, and online mode', async () => {
      const { link, adapter } = rig();
      for (let s = 0; s < 4; s++) {
        link.expect(
          { host: 'AT+USOCR=6\r', modem: framed(`+USOCR: ${s}`, 'OK') },
          write(`AT+USOSEC=${s},1,0`),
          write(`AT+USOCO=${s},"example.com",443`),
        );
      }
      for (let s = 0; s < 4; s++) await adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
      done(link);
      const before = link.hostWrites.length;
      const fifth = await refused(adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' }), 'socket');
      assert.match(fifth.message, /at most 4 TLS connections .*sockets 0, 1, 2, 3/);
      await refused(adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'online' }), 'mode');
      await refused(adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command', vendorOptions: { fastDial: true } }), 'vendorOptions.fastDial');
      await refused(adapter.send('7', Buffer.from('x')), 'msg.socket');
      assert.equal(link.hostWrites.length, before, 'nothing written');
    });
  });

  describe('holdReceive (a slow reader leaves the data in the module)', () => {
    /** `+USORD: <id>,<n>,"<data>"` and OK: the module's answer to a read. */
    const usord = (id: number, data: string): Buffer => Buffer.from(`\r\n+USORD: ${id},${data.length},"${data}"\r\n\r\nOK\r\n`);
    /** A command through the same queue, answered OK: every read queued before it has gone by then. */
    async function barrier(rig: EngineRig): Promise<void> {
      rig.link.expect({ host: 'AT\r', modem: framed('OK') });
      await rig.engine.sync();
    }
    const reads = (rig: EngineRig): number => rig.link.hostWrites.filter((w) => w.toString('latin1').startsWith('AT+USORD')).length;
    /** Resolves once `check` holds (the test's own timeout bounds the wait). */
    async function until(check: () => boolean): Promise<void> {
      while (!check()) await new Promise((r) => setTimeout(r, 5));
    }

    it('+UUSORD while held is not read (no +USORD on the wire); on release the last announcement is read and the data comes out in order', async () => {
      const r = rig();
      const { link, adapter } = r;
      await opened(link, adapter, 0);
      const data: string[] = [];
      adapter.on('data', (s: string, d: Buffer) => data.push(`${s}:${d.toString()}`));
      link.expect({ host: 'AT+USORD=0,5\r', modem: usord(0, 'first') });
      link.feed(framed('+UUSORD: 0,5'));
      await until(() => data.length === 1);
      assert.equal(adapter.holdReceive('0', true), true);
      assert.equal(adapter.holdReceive('0', true), true, 'holding twice is the same hold');
      link.feed(framed('+UUSORD: 0,6'));
      link.feed(framed('+UUSORD: 0,12'));
      await barrier(r);
      assert.equal(reads(r), 1, 'nothing read while held');
      assert.deepEqual(data, ['0:first']);
      link.expect({ host: 'AT+USORD=0,12\r', modem: usord(0, 'second;third') });
      assert.equal(adapter.holdReceive('0', false), true);
      await until(() => data.length === 2);
      done(link);
      assert.deepEqual(data, ['0:first', '0:second;third']);
      assert.equal(adapter.holdReceive('0', false), true, 'a release with nothing held is harmless');
      await barrier(r);
      assert.equal(reads(r), 2, 'and reads nothing');
    });

    it('a read under way when the hold comes stops after its current +USORD; its bytes wait for the release, then the rest is read', async () => {
      const r = rig();
      const { link, adapter } = r;
      await opened(link, adapter, 1);
      const data: Buffer[] = [];
      adapter.on('data', (_s: string, d: Buffer) => data.push(d));
      const first = Buffer.alloc(1024, 0x61);
      // The hold comes while the first +USORD of a 2000-byte backlog is on the wire.
      link.expect({ host: 'AT+USORD=1,1024\r' });
      link.feed(framed('+UUSORD: 1,2000'));
      await until(() => link.remaining === 0);
      assert.equal(adapter.holdReceive('1', true), true);
      link.feed(Buffer.concat([Buffer.from('\r\n+USORD: 1,1024,"'), first, Buffer.from('"\r\n\r\nOK\r\n')]));
      link.feed(framed('+UUSORD: 1,976'));
      await barrier(r);
      assert.equal(reads(r), 1, 'the second +USORD is not sent while held');
      assert.deepEqual(data, [], 'no data event while held');
      const rest = 'b'.repeat(976);
      link.expect({ host: 'AT+USORD=1,976\r', modem: usord(1, rest) });
      adapter.holdReceive('1', false);
      await until(() => Buffer.concat(data).length === 2000);
      done(link);
      assert.ok(Buffer.concat(data).equals(Buffer.concat([first, Buffer.from(rest)])), 'in order, each byte once');
    });

    it('the last bytes, read by a +USORD under way when the hold came, are not lost when the server\'s close follows: they come out before `closed`', async () => {
      const r = rig();
      const { link, adapter } = r;
      await opened(link, adapter, 2);
      const seen: string[] = [];
      adapter.on('data', (s: string, d: Buffer) => seen.push(`data ${s}:${d.toString()}`));
      adapter.on('closed', (s: string, why: string) => seen.push(`closed ${s}: ${why}`));
      link.expect({ host: 'AT+USORD=2,5\r' });
      link.feed(framed('+UUSORD: 2,5'));
      await until(() => link.remaining === 0);
      assert.equal(adapter.holdReceive('2', true), true);
      // The module reports the close once its last byte has been read.
      link.feed(Buffer.concat([usord(2, 'last!'), Buffer.from(framed('+UUSOCL: 2'))]));
      await until(() => seen.length === 2);
      done(link);
      assert.deepEqual(seen, ['data 2:last!', 'closed 2: closed by the server']);
      assert.equal(adapter.holdReceive('2', false), false, 'the hold went with the connection');
    });

    it('a hold on a connection that ends is forgotten: the next connection given the same id is read at once; a socket not open answers false', async () => {
      const r = rig();
      const { link, adapter } = r;
      await opened(link, adapter, 0);
      assert.equal(adapter.holdReceive('0', true), true);
      link.feed(framed('+UUSORD: 0,4'));
      link.feed(framed('+UUSOCL: 0'));
      await until(() => adapter.holdReceive('0', true) === false);
      await barrier(r);
      assert.equal(reads(r), 0);
      await opened(link, adapter, 0);
      const pushed = new Promise<Buffer>((resolve) => adapter.once('data', (_s: string, d: Buffer) => resolve(d)));
      link.expect({ host: 'AT+USORD=0,5\r', modem: usord(0, 'fresh') });
      link.feed(framed('+UUSORD: 0,5'));
      assert.equal((await pushed).toString(), 'fresh');
      done(link);
      assert.equal(adapter.holdReceive('5', true), false, 'never opened');
      assert.equal(adapter.holdReceive('5', false), false);
    });
  });

  describe('errors', () => {
    it('decodes +CME ERROR codes (numeric and verbose) and socket errnos in every form', () => {
      const { adapter } = rig();
      assert.equal(adapter.decodeError({ code: 3 }).name, 'operation not allowed');
      assert.equal(adapter.decodeError({ line: '+CME ERROR: Operation not allowed' }).code, 3);
      assert.equal(adapter.decodeError({ code: 'incorrect parameters' }).code, 50);
      assert.equal(adapter.decodeError({ line: '+CME ERROR: 20' }).category, 'certificate');
      assert.equal(adapter.decodeError({ code: 4 }).category, 'parameter');
      for (const [input, errno] of [[{ code: 'errno 104' }, 104], [{ line: '+USOCTL: 1,1,110' }, 110], [{ line: '+USOER: 113' }, 113], [{ code: 'ECONNRESET' }, 104], [{ code: 'errno 11' }, 11], [{ code: 'errno 107' }, 107]] as const) {
        const d = adapter.decodeError(input);
        assert.equal(d.code, `errno ${errno}`);
        assert.ok(d.meaning.length > 20 && d.hint.length > 10, `errno ${errno} is explained`);
      }
      assert.equal(adapter.decodeError({ code: 'errno 104' }).category, 'handshake');
      assert.equal(adapter.decodeError({ code: 'errno 0' }).name, 'no error');
      assert.equal(adapter.decodeError({ line: 'ERROR' }).name, 'ERROR');
      assert.equal(adapter.decodeError({ code: 9999 }).category, 'unknown');
    });
  });

  describe('registration', () => {
    it('createAdapter and capabilitiesOf know u-blox; the capabilities say what the manual says', () => {
      const { engine } = rig();
      assert.ok(createAdapter('ublox', engine, {}) instanceof UbloxAdapter);
      const caps = capabilitiesOf('ublox', 'SARA-R5')!;
      assert.equal(caps.label, 'u-blox SARA-R5');
      assert.deepEqual(caps.profiles.ids, { min: 0, max: 4 });
      assert.deepEqual(caps.profiles.tlsVersions, ['auto', '1.0', '1.1', '1.2']);
      assert.equal(caps.certificates.naming, 'name');
      assert.equal(caps.certificates.maxBytes, 8192);
      assert.ok(caps.certificates.namePattern!.test('ubx_starfield_service_root_ca_g2'));
      assert.ok(!caps.certificates.namePattern!.test('a"b'));
      assert.equal(caps.sockets.maxConcurrent, 4);
      assert.deepEqual(caps.sockets.modes, ['command']);
      assert.ok(caps.profiles.ciphers.includes('TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'));
      assert.equal(ubloxCapabilities().profiles.ciphers.length, 63);
    });
  });
});

describe('u-blox dialect', () => {
  it('masks key password, PSK, identity and session data of +USECPRF, the import password and APN passwords — and nothing else', () => {
    const redact = ubloxDialect.redactCommand;
    assert.equal(redact('AT+USECPRF=0,7,"xxxxx"'), 'AT+USECPRF=0,7,"***"');
    assert.equal(redact('AT+USECPRF=0,8,"0sFpZ0AZqE0N6Ti9s0qt40ZP5Eqx",0'), 'AT+USECPRF=0,8,"***",0');
    assert.equal(redact('AT+USECPRF=0,9,"identity"'), 'AT+USECPRF=0,9,"***"');
    assert.equal(redact('AT+USECPRF=0,13,2,"VWY5","SHVS"'), 'AT+USECPRF=0,13,2,"***","***"');
    assert.equal(redact('AT+USECPRF=0,10,"server_sni"'), 'AT+USECPRF=0,10,"server_sni"');
    assert.equal(redact('AT+USECPRF=0,13,0,1'), 'AT+USECPRF=0,13,0,1');
    assert.equal(redact('AT+USECMNG=0,2,"key",1200,"pw"'), 'AT+USECMNG=0,2,"key",1200,"***"');
    assert.equal(redact('AT+USECMNG=1,2,"key","key.der","pw"'), 'AT+USECMNG=1,2,"key","key.der","***"');
    assert.equal(redact('AT+USECMNG=0,0,"AddTrustCA",1327'), 'AT+USECMNG=0,0,"AddTrustCA",1327');
    assert.equal(redact('AT+UAUTHREQ=1,3,"user","pw"'), 'AT+UAUTHREQ=1,3,"user","***"');
    assert.equal(ubloxDialect.secretResponse?.('AT+USECPRF=0,13,2'), true);
    assert.equal(ubloxDialect.secretResponse?.('AT+USECPRF=0,3'), false);
  });

  it('parses the socket URCs and leaves session secrets out of +UUSECPRF', () => {
    const rule = (line: string) => ubloxDialect.urcs!.find((u) => u.pattern.test(line))!;
    const parse = (line: string) => {
      const r = rule(line);
      return r.parse!(line, r.pattern.exec(line)!);
    };
    assert.deepEqual(parse('+UUSORD: 0,12'), { socket: 0, length: 12 });
    assert.deepEqual(parse('+UUSOCL: 2'), { socket: 2 });
    assert.deepEqual(parse('+UUSECPRF: 0,13,0,2'), { profile: 0, op: 13, tag: 0, value: 2 });
    const data = parse('+UUSECPRF: 0,13,2,"VWY5UENs","SHVSODBy"');
    assert.ok(!JSON.stringify(data).includes('VWY5'));
  });

  it('the examples use a u-blox config node of their own', () => {
    const dir = path.join(__dirname, '..', '..', '..', '..', 'examples');
    for (const file of ['u-blox/1 Mutual TLS to a broker-like echo.json', 'u-blox/2 Certificate inventory.json']) {
      const flow = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Array<Record<string, unknown>>;
      const config = flow.find((n) => n.type === 'modem-config')!;
      assert.equal(config.vendor, 'ublox');
      assert.notEqual(config.id, 'a1f0c0de000000c1');
      assert.equal(flow.find((n) => n.type !== 'tab')?.type, 'comment');
    }
  });
});
