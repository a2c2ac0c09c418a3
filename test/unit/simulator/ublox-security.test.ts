/**
 * +USECCHIP and +USECMNG on the simulated u-blox module, against the manual: its transcripts byte
 * for byte (placeholders given values), MD5s equal to the MD5 of the DER computed here, the list
 * rows, the pre-installed database, and every refusal the manual names.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { createCertificateAuthority, issueCertificate } from '../../../src/simulator/pki';
import { frame, Module, testPki } from './ublox-harness.test';

const localMd5 = (der: Buffer): string => createHash('md5').update(der).digest('hex');

/**
 * The PEM the manual prints in its +USECMNG example ("thawte Primary Root CA"), with CRLF line ends
 * and none after the last line: 1516 bytes, the size the example announces.
 */
const THAWTE_LINES = [
  '-----BEGIN CERTIFICATE-----',
  'MIIEIDCCAwigAwIBAgIQNE7VVyDV7exJ9C/ON9srbTANBgkqhkiG9w0BAQUFADCB',
  'qTELMAkGA1UEBhMCVVMxFTATBgNVBAoTDHRoYXd0ZSwgSW5jLjEoMCYGA1UECxMf',
  'Q2VydGlmaWNhdGlvbiBTZXJ2aWNlcyBEaXZpc2lvbjE4MDYGA1UECxMvKGMpIDIw',
  'MDYgdGhhd3RlLCBJbmMuIC0gRm9yIGF1dGhvcml6ZWQgdXNlIG9ubHkxHzAdBgNV',
  'BAMTFnRoYXd0ZSBQcmltYXJ5IFJvb3QgQ0EwHhcNMDYxMTE3MDAwMDAwWhcNMzYw',
  'NzE2MjM1OTU5WjCBqTELMAkGA1UEBhMCVVMxFTATBgNVBAoTDHRoYXd0ZSwgSW5j',
  'LjEoMCYGA1UECxMfQ2VydGlmaWNhdGlvbiBTZXJ2aWNlcyBEaXZpc2lvbjE4MDYG',
  'A1UECxMvKGMpIDIwMDYgdGhhd3RlLCBJbmMuIC0gRm9yIGF1dGhvcml6ZWQgdXNl',
  'IG9ubHkxHzAdBgNVBAMTFnRoYXd0ZSBQcmltYXJ5IFJvb3QgQ0EwggEiMA0GCSqG',
  'SIb3DQEBAQUAA4IBDwAwggEKAoIBAQCsoPD7gFnUnMekz52hWXMJEEUMDSxuaPFs',
  'W0hoSVk3/AszGcJ3f8wQLZU0HObrTQmnHNK4yZc2AreJ1CRfBsDMRJSUjQJib+ta',
  '3RGNKJpchJAQeg29dGYvajig4tVUROsdB58Hum/u6f1OCyn1PoSgAfGcq/gcfomk',
  '6KHYcWUNo1F77rzSImANuVud37r8UVsLr5iy6S7pBOhih94ryNdOwUxkHt3Ph1i6',
  'Sk/KaAcdHJ1KxtUvkcx8cXIcxcBn6zL9yZJclNqFwJu/U30rCfSMnZEfl2pSy94J',
  'NqR32HuHUETVPm4pafs5SSYeCaWAe0At6+gnhcn+Yf1+5nyXHdWdAgMBAAGjQjBA',
  'MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBR7W0XP',
  'r87Lev0xkhpqtvNG61dIUDANBgkqhkiG9w0BAQUFAAOCAQEAeRHAS7ORtvzw6WfU',
  'DW5FvlXok9LOAz/t2iWwHVfLHjp2oEzsUHboZHIMpKnxuIvW1oeEuzLlQRHAd9mz',
  'YJ3rG9XRbkREqaYB7FViHXe4XI5ISXycO1cRrK1zN44veFyQaEfZYGDm/Ac9IiAX',
  'xPcW6cTYcvnIc3zfFi8VqT79aie2oetaupgf1eNNZAqdE8hhuvU5HIe6uL17In/2',
  '/qxAeeWsEG89jxt5dovEN7MhGITlNgDrYyCZuen+MwS7QcjBAvlEYyCegc5C09Y/',
  'LHbTY5xZ3Y+m4Q6gLkH3LpVHz7z9M/P2C2F+fpErgUfCJzDupxBdN49cOSvkBPB7',
  'jVaMaA==',
  '-----END CERTIFICATE-----',
];
function thawtePem(): string {
  return THAWTE_LINES.join('\r\n');
}

describe('simulator: u-blox +USECCHIP and +USECMNG', () => {
  let module: Module;
  afterEach(() => module?.close());

  it('+USECCHIP answers the chip ID; +USECMNG test form as printed', async () => {
    module = await Module.start();
    await module.expect('AT+USECCHIP', '+USECCHIP: "12345678"', 'OK');
    await module.expect('AT+USECMNG=?', '+USECMNG: (0-4),(0-2)', 'OK');
    const other = await Module.start({ chipId: 'A5F0C3E11234' });
    try {
      await other.expect('AT+USECCHIP', '+USECCHIP: "A5F0C3E11234"', 'OK');
    } finally {
      other.close();
    }
  });

  it('the manual\'s example: ThawteCA imported from the byte stream, listed, used by profile 2', async () => {
    module = await Module.start();
    const pem = thawtePem();
    assert.equal(pem.length, 1516);
    // Step 1 prints "+USECMNG: 1,0,…" after an op 0 import; the syntax row says 0, which the module answers.
    assert.equal(await module.prompted('AT+USECMNG=0,0,"ThawteCA",1516', pem), '>' + frame('+USECMNG: 0,0,"ThawteCA","8ccadc0b22cef5be72ac411a11a8d812"', 'OK'));
    // Step 2: the verbose row; notAfter 2036-07-16 23:59:59Z is shown as 2036/07/17.
    await module.expect('AT+USECMNG=3', '"CA","ThawteCA","thawte Primary Root CA","2036/07/17"', 'OK');
    await module.transcript([
      ['AT+USECPRF=2,0,1', 'OK'],
      ['AT+USECPRF=2,3,"ThawteCA"', 'OK'],
      ['AT+USECMNG=4,0,"ThawteCA"', '+USECMNG: 4,0,"ThawteCA","8ccadc0b22cef5be72ac411a11a8d812"', 'OK'],
      ['AT+USECMNG=2,0,"ThawteCA"', 'OK'],
      ['AT+USECMNG=3', 'OK'],
    ]);
  });

  it('op 1 imports from a file on the file system (+UDWNFILE, +ULSTFILE); the MD5 is the DER\'s', async () => {
    const ca = testPki().ca;
    module = await Module.start({ files: { 'seeded.der': ca.certDer } });
    assert.equal(await module.prompted(`AT+UDWNFILE="addtrust.cert",${ca.cert.length}`, ca.cert), '>' + frame('OK'));
    await module.expect('AT+ULSTFILE=', ...['+ULSTFILE: "seeded.der","addtrust.cert"', 'OK']);
    const md5 = localMd5(ca.certDer);
    await module.expect('AT+USECMNG=1,0,"AddTrustCA","addtrust.cert"', `+USECMNG: 1,0,"AddTrustCA","${md5}"`, 'OK');
    await module.expect('AT+USECMNG=1,0,"Seeded","seeded.der"', `+USECMNG: 1,0,"Seeded","${md5}"`, 'OK');
    await module.expect('AT+USECMNG=1,0,"Missing","nofile.pem"', '+CME ERROR: 4');
    await module.expect('AT+UDELFILE="addtrust.cert"', 'OK');
    await module.expect('AT+ULSTFILE', '+ULSTFILE: "seeded.der"', 'OK');
  });

  it('stores PEM and DER as DER: the MD5 of every form is the MD5 of its DER', async () => {
    module = await Module.start();
    const { ca, client } = testPki();
    const rsa = issueCertificate({ subject: 'rsa-client', issuer: ca, keyType: 'rsa' });
    assert.equal(await module.importData(0, 'ca_pem', ca.cert), localMd5(ca.certDer));
    assert.equal(await module.importData(0, 'ca_der', ca.certDer), localMd5(ca.certDer));
    assert.equal(await module.importData(1, 'cc', client.cert), localMd5(client.certDer));
    assert.equal(await module.importData(2, 'pk8_pem', client.key), localMd5(client.keyDer));
    assert.equal(await module.importData(2, 'pk8_der', client.keyDer), localMd5(client.keyDer));
    assert.equal(await module.importData(2, 'pk1_pem', rsa.keyRsaPem!), localMd5(rsa.keyRsaDer!));
    const sec1 = client.privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    assert.equal(await module.importData(2, 'sec1_pem', sec1), localMd5(client.privateKey.export({ type: 'sec1', format: 'der' })));
    // A PKCS#8 key encrypted in DER, with its <password>.
    const encrypted = client.privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'pw' });
    assert.equal(await module.importData(2, 'pk8_enc', encrypted, 'pw'), localMd5(encrypted));
    assert.equal(await module.importData(3, 'srv', testPki().server.cert), localMd5(testPki().server.certDer));
    // "If an existing name is used the data will be overridden."
    assert.equal(await module.importData(0, 'ca_pem', testPki().unrelatedCa.cert), localMd5(testPki().unrelatedCa.certDer));

    const day = (d: Date): string => {
      const e = new Date(d.getTime() + 1000);
      return `${e.getUTCFullYear()}/${String(e.getUTCMonth() + 1).padStart(2, '0')}/${String(e.getUTCDate()).padStart(2, '0')}`;
    };
    await module.expect(
      'AT+USECMNG=3',
      `"CA","ca_der","Modem TLS Test CA","${day(ca.notAfter)}"`,
      `"CC","cc","modem-client","${day(client.notAfter)}"`,
      '"PK","pk8_pem"',
      '"PK","pk8_der"',
      '"PK","pk1_pem"',
      '"PK","sec1_pem"',
      '"PK","pk8_enc"',
      // <common_name> and <expiration_date> are "applicable only for trusted root and client certificates" (seeds/003 l. 284, 287).
      '"SC","srv"',
      `"CA","ca_pem","Unrelated Test CA","${day(testPki().unrelatedCa.notAfter)}"`,
      'OK',
    );
    await module.expect('AT+USECMNG=3,2', '"PK","pk8_pem"', '"PK","pk8_der"', '"PK","pk1_pem"', '"PK","sec1_pem"', '"PK","pk8_enc"', 'OK');
    await module.expect('AT+USECMNG=4,2,"pk1_pem"', `+USECMNG: 4,2,"pk1_pem","${localMd5(rsa.keyRsaDer!)}"`, 'OK');
    await module.expect('AT+USECMNG=2,2,"pk1_pem"', 'OK');
    await module.expect('AT+USECMNG=4,2,"pk1_pem"', '+CME ERROR: 4');
    await module.expect('AT+USECMNG=2,2,"pk1_pem"', '+CME ERROR: 4');
  });

  it('pre-installed certificates: listed after the user\'s, usable by MD5, never removed or overwritten', async () => {
    module = await Module.start({ preinstalled: undefined });
    const text = await module.at('AT+USECMNG=3');
    const rows = text.split('\r\n').filter((line) => line.startsWith('"'));
    assert.deepEqual(rows, [
      '"CA","ubx_digicert_global_root_ca","DigiCert Global Root CA","2031/11/10"',
      '"CA","ubx_digicert_global_root_g2","DigiCert Global Root G2","2038/01/15"',
      '"CA","ubx_digicert_trusted_root_g4","DigiCert Trusted Root G4","2038/01/15"',
      '"CA","ubx_digicert_eccp384_root_g5","DigiCert TLS ECC P384 Root G5","2046/01/15"',
      '"CA","ubx_digicert_rsa4096_root_g5","DigiCert TLS RSA4096 Root G5","2046/01/15"',
      '"CA","ubx_baltimore_cybertrust_root","Baltimore CyberTrust Root","2025/05/12"',
      '"CA","ubx_tmo_usa_enterprise_root_ca","T-Mobile USA Enterprise Root CA","2040/11/03"',
      '"CA","ubx_starfield_service_root_ca_g2","Starfield Services Root Certificate Authority - G2","2034/06/28"',
    ]);
    assert.match(await module.at('AT+USECMNG=4,0,"ubx_digicert_global_root_g2"'), /^\r\n\+USECMNG: 4,0,"ubx_digicert_global_root_g2","[0-9a-f]{32}"\r\n\r\nOK\r\n$/);
    await module.expect('AT+USECMNG=2,0,"ubx_digicert_global_root_ca"', '+CME ERROR: 3');
    await module.expect(`AT+USECMNG=0,0,"ubx_digicert_global_root_ca",${testPki().ca.cert.length}`, '+CME ERROR: 3');
    await module.expect('AT+CMEE=2', 'OK');
    await module.expect('AT+USECMNG=2,0,"ubx_baltimore_cybertrust_root"', '+CME ERROR: operation not allowed');
  });

  it('refuses what the manual refuses: sizes, names, key formats, non-X.509 data, a full database, a stopped transfer', async () => {
    module = await Module.start();
    const { client } = testPki();
    // <data_size> at most 8192, <internal_name> at most 30 characters: refused before the prompt.
    await module.expect('AT+USECMNG=0,0,"big",8193', '+CME ERROR: 50');
    await module.expect(`AT+USECMNG=0,0,"${'n'.repeat(31)}",100`, '+CME ERROR: 50');
    await module.expect('AT+USECMNG=0,4,"vc",100', '+CME ERROR: 50');
    await module.expect(`AT+USECMNG=0,2,"pk",10,"${'p'.repeat(129)}"`, '+CME ERROR: 50');
    const refused = async (type: number, data: Buffer | string, password?: string): Promise<void> => {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      const text = await module.prompted(`AT+USECMNG=0,${type},"x",${bytes.length}${password ? `,"${password}"` : ''}`, bytes);
      assert.equal(text, '>' + frame('+CME ERROR: 4'), `type ${type}`);
    };
    // "does not support private keys in PEM format with extension headers (i.e. "EC PARAMETERS")".
    const ecParams = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n' + (client.privateKey.export({ type: 'sec1', format: 'pem' }) as string);
    await refused(2, ecParams);
    // "encrypted private keys can be imported only in DER format".
    await refused(2, client.encryptedKey('pw'), 'pw');
    // An encrypted DER key with the wrong password, a certificate given as a key, a key given as a certificate.
    await refused(2, client.privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'pw' }), 'wrong');
    await refused(2, client.certDer);
    await refused(0, client.keyDer);
    await refused(1, 'not a certificate at all');
    assert.equal(module.device.user.size, 0, 'nothing half-stored');

    // "Up to 10 certificates or private keys can be imported."
    const ca = createCertificateAuthority({ subject: 'Filler', keyType: 'ec' });
    for (let i = 0; i < 10; i++) await module.importData(0, `ca${i}`, ca.certDer);
    await module.expect(`AT+USECMNG=0,0,"ca10",${ca.certDer.length}`, '+CME ERROR: 20');
    await module.importData(0, 'ca3', ca.cert); // overwriting takes no room

    // "If the data transfer is stopped before its completion, a guard timer of 20 s …": an error, nothing stored.
    await module.expect('AT+USECMNG=2,0,"ca9"', 'OK');
    const text = await module.prompted('AT+USECMNG=0,0,"partial",500', ca.cert.slice(0, 100));
    assert.equal(text, '>' + frame('+CME ERROR: 3'));
    await module.expect('AT+USECMNG=4,0,"partial"', '+CME ERROR: 4');
  });

  it('imported data survives a power cycle', async () => {
    module = await Module.start();
    const md5 = await module.importData(0, 'kept', testPki().ca.cert);
    await module.modem.reboot();
    await module.at('ATE0');
    await module.expect('AT+USECMNG=4,0,"kept"', `+USECMNG: 4,0,"kept","${md5}"`, 'OK');
  });
});
