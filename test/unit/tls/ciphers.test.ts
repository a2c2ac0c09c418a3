import { strict as assert } from 'node:assert';
import * as tls from 'node:tls';
import { TELIT_PLATFORMS } from '../../../src/adapters/telit/platforms';
import {
  CIPHER_SUITES,
  NO_OPENSSL_EQUIVALENT,
  cipherSuite,
  cipherSuiteByCode,
  ianaSuiteNames,
  isAvailable,
  toIana,
  toOpenSsl,
} from '../../../src/tls/ciphers';

/** Every suite name the Telit capability tables mention, by table and default list. */
function telitSuiteNames(): Set<string> {
  const names = new Set<string>();
  for (const platform of Object.values(TELIT_PLATFORMS)) {
    for (const name of Object.values(platform.cipherSuites)) names.add(name);
    for (const name of platform.defaultSuites) names.add(name);
  }
  return names;
}

describe('tls: cipher-suite names (ciphers.ts)', () => {
  it('maps every IANA name in the Telit platform tables to OpenSSL, or lists it as having no equivalent', () => {
    const names = telitSuiteNames();
    assert.ok(names.size > 40, `found ${names.size} names`);
    for (const name of names) {
      assert.ok(cipherSuite(name), `${name} is in the table`);
      assert.ok(toOpenSsl(name) !== undefined || NO_OPENSSL_EQUIVALENT.includes(name), `${name} maps`);
    }
  });

  it('round-trips IANA → OpenSSL → IANA for every suite with an OpenSSL name', () => {
    for (const iana of ianaSuiteNames()) {
      const openssl = toOpenSsl(iana);
      if (openssl === undefined) {
        assert.ok(NO_OPENSSL_EQUIVALENT.includes(iana));
        continue;
      }
      assert.equal(toIana(openssl), iana, `${iana} → ${openssl} → back`);
    }
  });

  it('uses the names of OpenSSL ciphers(1)', () => {
    assert.equal(toOpenSsl('TLS_RSA_WITH_AES_128_CBC_SHA'), 'AES128-SHA');
    assert.equal(toOpenSsl('TLS_RSA_WITH_RC4_128_MD5'), 'RC4-MD5');
    assert.equal(toOpenSsl('TLS_RSA_WITH_3DES_EDE_CBC_SHA'), 'DES-CBC3-SHA');
    assert.equal(toOpenSsl('TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'), 'DHE-RSA-AES256-SHA256');
    assert.equal(toOpenSsl('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'), 'ECDHE-RSA-AES128-GCM-SHA256');
    assert.equal(toOpenSsl('TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA'), 'ECDH-ECDSA-AES128-SHA');
    assert.equal(toOpenSsl('TLS_RSA_WITH_AES_128_CCM_8'), 'AES128-CCM8');
    assert.equal(toOpenSsl('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'), 'ECDHE-RSA-CHACHA20-POLY1305');
    assert.equal(toIana('EDH-RSA-DES-CBC3-SHA'), 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', 'the pre-1.1.0 spelling');
  });

  it('keeps TLS 1.3 names as they are (RFC 8446 §B.4)', () => {
    for (const name of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']) {
      assert.equal(toOpenSsl(name), name);
      assert.equal(toIana(name), name);
      assert.equal(cipherSuite(name)?.minVersion, 'TLSv1.3');
    }
  });

  it('is case-insensitive and says undefined for names it does not know', () => {
    assert.equal(toOpenSsl('tls_rsa_with_aes_256_cbc_sha'), 'AES256-SHA');
    assert.equal(toIana('aes256-sha'), 'TLS_RSA_WITH_AES_256_CBC_SHA');
    assert.equal(toOpenSsl('TLS_RSA_WITH_AES_128_CBC_SHA1'), undefined);
    assert.equal(toIana('AES128-SHA1'), undefined);
    assert.equal(toOpenSsl('TLS_SM4_GCM_SM3'), undefined);
    assert.ok(NO_OPENSSL_EQUIVALENT.includes('TLS_SM4_GCM_SM3'));
  });

  it('finds the suites Telit selects by hex code under the same names (§12.1.7, §12.1.8)', () => {
    for (const platform of Object.values(TELIT_PLATFORMS)) {
      if (!platform.hexCipherSuites) continue;
      for (const [key, name] of Object.entries(platform.cipherSuites)) {
        const code = Number(key);
        if (code < 0x20) continue; // small numbers are <CipherSuite> indexes, not code points
        assert.equal(cipherSuiteByCode(code)?.iana, name, `platform ${platform.id} 0x${code.toString(16)}`);
      }
    }
  });

  it('has one entry per name and per code point', () => {
    const names = CIPHER_SUITES.map((suite) => suite.iana);
    const codes = CIPHER_SUITES.map((suite) => suite.code);
    const openssl = CIPHER_SUITES.flatMap((suite) => (suite.openssl ? [suite.openssl] : []));
    assert.equal(new Set(names).size, names.length);
    assert.equal(new Set(codes).size, codes.length);
    assert.equal(new Set(openssl).size, openssl.length);
  });

  it('knows which suites this Node can offer, from tls.getCiphers()', () => {
    const offered = new Set(tls.getCiphers());
    for (const iana of ianaSuiteNames()) {
      const name = toOpenSsl(iana);
      assert.equal(isAvailable(iana), name !== undefined && offered.has(name.toLowerCase()), iana);
    }
    assert.equal(isAvailable('TLS_RSA_WITH_AES_128_CBC_SHA'), true);
    assert.equal(isAvailable('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'), true);
    assert.equal(isAvailable('TLS_AES_128_GCM_SHA256'), true);
    assert.equal(isAvailable('TLS_RSA_WITH_RC4_128_MD5'), false, 'RC4 is gone (RFC 7465)');
    assert.equal(isAvailable('TLS_ECDH_RSA_WITH_AES_128_CBC_SHA'), false, 'static ECDH is gone from OpenSSL');
    assert.equal(isAvailable('TLS_SM4_GCM_SM3'), false);
    assert.equal(isAvailable('NOT_A_SUITE'), false);
  });

  it('records the protocol range of each suite (SHA-256/GCM suites are TLS 1.2 only)', () => {
    assert.deepEqual([cipherSuite('TLS_RSA_WITH_AES_128_CBC_SHA')?.minVersion, cipherSuite('TLS_RSA_WITH_AES_128_CBC_SHA')?.maxVersion], ['SSLv3', 'TLSv1.2']);
    assert.equal(cipherSuite('TLS_RSA_WITH_AES_128_CBC_SHA256')?.minVersion, 'TLSv1.2');
    assert.equal(cipherSuite('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')?.minVersion, 'TLSv1.2');
    assert.equal(cipherSuite('TLS_AES_128_GCM_SHA256')?.maxVersion, 'TLSv1.3');
    assert.equal(cipherSuite('TLS_RSA_WITH_RC4_128_SHA')?.legacy, true);
  });
});
