/**
 * The cipher suites the simulated Telit module proposes, against the §12.1 tables of the SSL/TLS
 * User Guide 1vv0300989 read row by row: what `<CipherSuite>` selects, in which protocol versions
 * each suite is offered, what 0 proposes, and the two numberings of 25 ThreadX.
 */
import { strict as assert } from 'node:assert';
import { TlsFailure, type OpenTlsOptions } from '../../../src/simulator/tls-types';
import { echo, Module, startServer, type TestServer } from './telit-harness.test';

describe('simulator: Telit cipher suites and their versions (§12.1)', () => {
  let module: Module;
  let server: TestServer | undefined;
  let dialled: OpenTlsOptions[];

  afterEach(async () => {
    module?.close();
    await server?.close();
    server = undefined;
  });

  /** A module whose TLS stack records what it was asked to dial and refuses the connection. */
  async function recording(platform: '10' | '12' | '23' | '25-linux' | '37'): Promise<Module> {
    dialled = [];
    module = await Module.start({
      platform,
      openTls: (options) => {
        dialled.push(options);
        return Promise.reject(new TlsFailure('refused', 'recorded'));
      },
    });
    await module.ready();
    await module.expect('AT+CMEE=1', 'OK');
    return module;
  }

  /** Dials SSId 1 and returns the profile the module offered (the fake TLS stack refuses: 832). */
  async function offered(): Promise<OpenTlsOptions['profile']> {
    await module.expect('AT#SSLD=1,443,"server.example",0,1', '+CME ERROR: 832');
    return dialled[dialled.length - 1].profile;
  }

  it('2G: RC4_128_MD5 (<CipherSuite> 1) is offered in TLS 1.0 only (line 3042), RC4_128_SHA in 1.0-1.2 (line 3043)', async () => {
    await recording('10');
    // §6.8.5.1 (line 1322): AT#SSLSECCFG=1,1,1 "uses the TLS_RSA_WITH_RC4_128_MD5 cipher suite".
    await module.expect('AT#SSLSECCFG=1,1,0', 'OK');
    const md5 = await offered();
    assert.deepEqual([md5.minVersion, md5.maxVersion, md5.ciphers], ['TLSv1', 'TLSv1', ['TLS_RSA_WITH_RC4_128_MD5']]);
    await module.expect('AT#SSLSECCFG=1,2,0', 'OK');
    const sha = await offered();
    assert.deepEqual([sha.minVersion, sha.maxVersion, sha.ciphers], ['TLSv1', 'TLSv1.2', ['TLS_RSA_WITH_RC4_128_SHA']]);
  });

  it('25 Linux: suite 8 has no TLS 1.2 (line 3209): with <version> 3 there is no handshake to make (839); with 2 it is offered', async () => {
    await recording('25-linux');
    await module.expect('AT#SSLSECCFG=1,8,0', 'OK');
    await module.expect('AT#SSLSECCFG2=1,3', 'OK');
    await module.expect('AT#SSLD=1,443,"server.example",0,1', '+CME ERROR: 839');
    assert.equal(dialled.length, 0, 'nothing dialled');
    await module.expect('AT#SSLSECCFG2=1,2', 'OK');
    const profile = await offered();
    assert.deepEqual([profile.minVersion, profile.maxVersion, profile.ciphers], ['TLSv1.1', 'TLSv1.1', ['TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA']]);
  });

  it('platform 12: SSL 3.0 is marked for NULL_SHA alone (line 3060), and 0 leaves NULL_SHA out (line 353)', async () => {
    await recording('12');
    await module.expect('AT#SSLSECCFG2=1,0', 'OK');
    await module.expect('AT#SSLSECCFG=1,3,0', 'OK');
    await module.expect('AT#SSLD=1,443,"server.example",0,1', '+CME ERROR: 839');
    await module.expect('AT#SSLSECCFG=1,0,0', 'OK');
    await module.expect('AT#SSLD=1,443,"server.example",0,1', '+CME ERROR: 839');
    assert.equal(dialled.length, 0, 'nothing dialled');
    await module.expect('AT#SSLSECCFG=1,4,0', 'OK');
    const profile = await offered();
    assert.deepEqual([profile.minVersion, profile.maxVersion, profile.ciphers], ['SSLv3', 'SSLv3', ['TLS_RSA_WITH_NULL_SHA']]);
  });

  it('platform 23: <CipherSuite> 0 proposes all 79 rows of Table 7 but NULL_SHA, in the table order (lines 3101-3190)', async () => {
    await recording('23');
    await module.expect('AT#SSLSECCFG=1,0,0', 'OK');
    const { ciphers = [] } = await offered();
    assert.equal(ciphers.length, 79);
    assert.ok(!ciphers.includes('TLS_RSA_WITH_NULL_SHA'));
    // The first and last rows, and the weakest ones in between (lines 3105, 3184-3190).
    assert.equal(ciphers[0], 'TLS_RSA_WITH_RC4_128_MD5');
    assert.deepEqual(ciphers.slice(-7), [
      'TLS_RSA_WITH_DES_CBC_SHA',
      'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA',
      'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA',
      'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA',
      'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5',
      'TLS_RSA_EXPORT_WITH_RC4_40_MD5',
      'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
    ]);
    for (const name of ['TLS_RSA_WITH_CAMELLIA_256_CBC_SHA', 'TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_SEED_CBC_SHA', 'TLS_ECDHE_RSA_WITH_RC4_128_SHA']) {
      assert.ok(ciphers.includes(name), name);
    }
    // <CipherSuite> 4 selects NULL_SHA alone.
    await module.expect('AT#SSLSECCFG=1,4,0', 'OK');
    assert.deepEqual((await offered()).ciphers, ['TLS_RSA_WITH_NULL_SHA']);
  });

  it('platform 37: a hex-only TLS 1.2 suite is offered in TLS 1.2 only, whatever <MinVersion> allows (§12.1.7)', async () => {
    await recording('37');
    await module.expect('AT#SSLSECCFG2=1,3,0,0,0,1', 'OK');
    await module.expect('AT#SSLSECCFG=1,0xC02F,0', 'OK');
    const profile = await offered();
    assert.deepEqual([profile.minVersion, profile.maxVersion], ['TLSv1.2', 'TLSv1.2']);
  });

  describe('25 ThreadX: the numbering of §12.1.7, not §6.2.4', () => {
    it('takes 0, 3, 5, 7, 9-13 and the hex codes (lines 3239-3252); refuses §6.2.4\'s 1, 2, 4, 6 and 8', async () => {
      module = await Module.start({ platform: '25-threadx' });
      await module.expect('AT+CMEE=1', 'OK');
      await module.expect('AT#SSLEN=1,1', 'OK');
      const test = await module.at('AT#SSLSECCFG=?');
      assert.ok(test.startsWith('\r\n#SSLSECCFG: (1-6),(0,3,5,7,9-13,0x002F,0x0033,0x0035,0x0039,0x003C,0x003D,0x0067,0x006B,0x009C,'), test);
      assert.ok(test.endsWith(',0xCCA8,0xCCA9,0xCCAA),(0-2),(0,1)\r\n\r\nOK\r\n'), test);
      for (const value of ['3', '5', '7', '9', '13', '0x002F', '0x0033']) await module.expect(`AT#SSLSECCFG=1,${value},0`, 'OK');
      for (const value of ['1', '2', '4', '6', '8']) await module.expect(`AT#SSLSECCFG=1,${value},0`, '+CME ERROR: 4');
    });

    it('reports a suite set by its hex code with its §12.1.7 number in #SSLS (3 for AES_128_CBC_SHA; §6.2.4 numbers it 1)', async () => {
      server = await startServer(echo, { ciphers: 'AES128-SHA', maxVersion: 'TLSv1.2' });
      module = await Module.start({ platform: '25-threadx' });
      await module.ready();
      await module.expect('AT#SSLSECCFG=1,0x002F,0', 'OK');
      await module.expect('AT#SSLSECCFG2=1,3,0', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      await module.expect('AT#SSLS=1', '#SSLS: 1,2,3', 'OK');
    });
  });

  it('#SSLCFG takes the contexts its test form lists: 1-5 on the LE866 (§6.8.2 line 1045)', async () => {
    module = await Module.start({ platform: '23' });
    await module.transcript([
      ['AT#SSLEN=1,1', 'OK'],
      ['AT#SSLCFG=1,5,300,90,100,50', 'OK'],
      ['AT#SSLCFG=1,6,300,90,100,50', 'ERROR'],
    ]);
  });
});
