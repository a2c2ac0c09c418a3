/**
 * The manual's examples (seeds/004 chapter 2, l. 318-481) replayed against the simulated L610,
 * byte for byte where the manual's text is well-formed, over real TLS to local servers. The hosts
 * and ports of the examples are routed to those servers (`route`), so the command lines stay the
 * manual's. Where the manual's text is garbled (a missing command line, a period for a comma, a
 * `" CERTFILE"` with a space) the comment says what is played instead.
 */
import { strict as assert } from 'node:assert';
import type * as tls from 'node:tls';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { echo, frame, Module, PROMPT, startServer, testPki, type TestServer } from './fibocom-harness.test';
import { startScriptedServer } from '../../support/scripted-tls-server';
import { closeAfterEach } from '../../support/simulator-harness';

describe('simulator: Fibocom manual examples (seeds/004)', () => {
  let module: Module | undefined;
  afterEach(() => {
    module?.close();
    module = undefined;
  });
  const keep = closeAfterEach();

  /** Every connection, whatever host and port the command names, goes to `server`. */
  const to = (server: TestServer) => () => ({ host: '127.0.0.1', port: server.port });

  it('Example 1: mode 0 — +MIPCALL URC, +MIPOPEN: 1,1, +MIPCLOSE: 1,1 (l. 320-342)', async () => {
    const s = keep(await startServer());
    module = await Module.start({ route: to(s) });
    // Not in the example: the factory TLS 1.0 cannot carry the factory suites 1-6 (all TLS 1.2
    // AEAD suites), so the host chooses TLS 1.2 first, as the adapter does.
    await module.expect('AT+GTSSLVER=4', 'OK');
    // l. 326-329: the command line itself is missing from the manual; its OK and URC are there.
    assert.equal(await module.at('AT+MIPCALL=1,"CMNET"'), frame('OK'));
    assert.equal(await module.until('+MIPCALL: 10.79.220.142\r\n'), frame('OK', '+MIPCALL: 10.79.220.142'));
    assert.equal(await module.at('at+mipopen=1,,"www.baidu.com",443,2'), frame('OK'));
    assert.equal(await module.until('+MIPOPEN: 1,1\r\n'), frame('OK', '+MIPOPEN: 1,1'));
    assert.equal(s.stats.servername, 'www.baidu.com', 'the name asked for goes out as SNI');
    assert.equal(await module.at('at+mipclose=1'), frame('OK'));
    assert.equal(await module.until('+MIPCLOSE: 1,1\r\n'), frame('OK', '+MIPCLOSE: 1,1'));
    assert.equal(module.device.sockets.size, 0);
  });

  it('Example 2: mode 1 without a trust certificate — +MIPOPEN 1,0, +GTSSLERR: -11, the three counts (l. 344-378)', async () => {
    const s = keep(await startServer());
    // l. 360 prints the result without a colon (and with a period, "+MIPOPEN 1.0", read as "1,0").
    module = await Module.start({ route: to(s), openResultColon: false });
    await module.attach();
    await module.expect('at+gtsslmode=1', 'OK');
    await module.expect('at+gtsslmode?', '+GTSSLMODE: 1', 'OK');
    assert.equal(await module.at('at+mipopen=1,,"www.baidu.com",443,2'), frame('OK'));
    assert.equal(await module.until('+MIPOPEN 1,0\r\n'), frame('OK', '+MIPOPEN 1,0'));
    await module.expect('AT+GTSSLERR?', '+GTSSLERR: -11', 'OK');
    await module.expect('at+gtsslfile?', '+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,0', 'OK');
    assert.equal(s.stats.connections, 0);
  });

  describe('Examples 3 and 4: a trusted certificate, refused until +CCLK puts the clock inside its validity (l. 380-405)', () => {
    // A PKI made on the date Example 4 sets, so that the manual's own +CCLK line is the one that works.
    let pki2015: TestPki;
    before(() => {
      pki2015 = createTestPki({ keyType: 'ec', now: new Date('2015-01-23T15:30:36Z') });
    });

    it('replays both examples as one session', async () => {
      const s = keep(await startScriptedServer(pki2015.server, echo));
      module = await Module.start({ route: to(s) });
      await module.expect('AT+GTSSLVER=4', 'OK');
      await module.attach();
      // Example 3 (l. 382-390; printed on one line in the manual).
      await module.expect('at+gtsslmode=1', 'OK');
      await module.expect('at+gtsslmode?', '+GTSSLMODE: 1', 'OK');
      const ca = Buffer.from(pki2015.ca.cert, 'latin1'); // 850 bytes in the manual; this one's own length here
      assert.equal(await module.prompted(`AT+GTSSLFILE="TRUSTFILE",${ca.length}`, ca), PROMPT + frame('OK'));
      await module.expect('at+gtsslfile?', '+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,1', 'OK');
      assert.equal(await module.at('at+mipopen=1,,"114.255.225.39",20444,2'), frame('OK'));
      assert.equal(await module.until('+MIPOPEN: 1,0\r\n'), frame('OK', '+MIPOPEN: 1,0'));
      await module.expect('AT+GTSSLERR?', '+GTSSLERR: -11', 'OK');
      assert.equal(module.device.lastFailure?.cause, 'not-yet-valid', 'the module clock still says 2000');
      // Example 4 (l. 396-405).
      await module.expect('AT+CCLK="15/01/23,15:30:36"', 'OK');
      assert.equal(await module.at('at+mipopen=1,,"114.255.225.39",20444,2'), frame('OK'));
      assert.equal(await module.until('+MIPOPEN: 1,1\r\n'), frame('OK', '+MIPOPEN: 1,1'));
      assert.equal(module.device.lastHandshake?.servername, undefined, 'no SNI for an address');
      await module.expect('AT+GTSSLERR?', 'OK');
      assert.equal(await module.at('AT+MIPCLOSE=1'), frame('OK'));
      assert.equal(await module.until('+MIPCLOSE: 1,1\r\n'), frame('OK', '+MIPCLOSE: 1,1'));
    });

    it('and a date past the certificates is refused the same way', async () => {
      const s = keep(await startScriptedServer(pki2015.server, echo));
      module = await Module.start({ route: to(s) });
      await module.expect('AT+GTSSLVER=4', 'OK');
      await module.attach();
      await module.expect('AT+GTSSLMODE=1', 'OK');
      await module.upload('TRUSTFILE', pki2015.ca.cert);
      await module.expect('AT+CCLK="17/01/23,15:30:36"', 'OK');
      await module.openFails(1, 20444, -11, '114.255.225.39');
      assert.equal(module.device.lastFailure?.cause, 'expired');
    });
  });

  it('Example 5: mode 0 with CERTFILE and KEYFILE — mutual TLS, data as hex +MIPRTCP (l. 406-432)', async () => {
    const pki = testPki();
    // The server of the example greets with dated lines; "5\nWed Jan 21 15:58:04 MSK 2015\n…" is what l. 426's hex spells.
    const greeting = Buffer.from(['5\n', ...Array.from({ length: 10 }, (_, i) => `Wed Jan 21 15:58:${String(4 + i).padStart(2, '0')} MSK 2015\n`)].join(''));
    let clientSubject: string | undefined;
    const s = keep(
      await startServer(
        (socket: tls.TLSSocket) => {
          clientSubject = socket.getPeerX509Certificate()?.subject;
          socket.write(greeting);
        },
        { requestCert: true, rejectUnauthorized: true, ca: pki.ca.cert },
      ),
    );
    module = await Module.start({ route: to(s) });
    await module.expect('AT+GTSSLVER=4', 'OK');
    await module.attach();
    await module.expect('AT+GTSSLMODE?', '+GTSSLMODE: 0', 'OK');
    await module.expect('AT+GTSSLFILE?', '+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,0', 'OK');
    // l. 416 prints `" CERTFILE"` with a leading space and OK; that is not a file type, so the module refuses it.
    await module.expect('AT+GTSSLFILE=" CERTFILE",1334', 'ERROR');
    const cert = Buffer.from(pki.client.cert, 'latin1');
    const key = Buffer.from(pki.client.key, 'latin1');
    assert.equal(await module.prompted(`AT+GTSSLFILE="CERTFILE",${cert.length}`, cert), PROMPT + frame('OK'));
    assert.equal(await module.prompted(`AT+GTSSLFILE="KEYFILE",${key.length}`, key), PROMPT + frame('OK'));
    await module.expect('AT+GTSSLFILE?', '+GTSSLFILE: CERTFILE,1', '+GTSSLFILE: KEYFILE,1', '+GTSSLFILE: TRUSTFILE,0', 'OK');
    assert.equal(await module.at('AT+MIPOPEN=1,,"188.93.19.231",5555,2'), frame('OK'));
    const hex = greeting.toString('hex').toUpperCase();
    assert.equal(await module.until(`+MIPRTCP: 1,0,${hex}\r\n`), frame('OK', '+MIPOPEN: 1,1', `+MIPRTCP: 1,0,${hex}`));
    assert.ok(hex.startsWith('350A576564204A616E2032312031353A35383A3034204D534B20323031350A'), 'the bytes of l. 426');
    assert.match(clientSubject ?? '', /CN=modem-client/);
    assert.equal(module.device.lastHandshake?.clientCertificate, 'O=node-red-contrib-modem-tls, CN=modem-client');
  });

  it('Example 6: suites 1-6 by default; disabling 1, 2, 3, 4, 6 leaves 5, and a handshake negotiates it (l. 434-481)', async () => {
    // Suite 5 is ECDHE-RSA: an RSA server.
    const rsa = createTestPki({ keyType: 'rsa' });
    const s = keep(await startScriptedServer(rsa.server, echo));
    module = await Module.start({ route: to(s), ipAddress: '10.109.197.168' });
    // l. 436-440: AT+COPS? is not simulated (no network registration); l. 434's title names
    // TLS_RSA_WITH_AES_256_CBC_SHA, but l. 287 and l. 478 make it suite 5.
    assert.equal(await module.at('AT+MIPCALL=1,"CMNET"'), frame('OK'));
    assert.equal(await module.until('+MIPCALL: 10.109.197.168\r\n'), frame('OK', '+MIPCALL: 10.109.197.168'));
    assert.equal(module.device.pdp.apn, 'CMNET');
    await module.expect('AT+GTSSLCIPHER?', '+GTSSLCIPHER: 1,2,3,4,5,6', 'OK');
    for (const id of [1, 2, 3, 4, 6]) await module.expect(`AT+GTSSLCIPHER=${id},0`, 'OK');
    await module.expect('AT+GTSSLCIPHER?', '+GTSSLCIPHER: 5', 'OK');
    await module.expect('AT+GTSSLVER=4', 'OK');
    assert.equal(await module.open(1, s.port), 1);
    assert.equal(module.device.lastHandshake?.cipher, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    assert.equal(module.device.lastHandshake?.version, 'TLSv1.2');
  });
});
