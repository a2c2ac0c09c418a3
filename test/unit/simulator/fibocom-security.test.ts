/**
 * The SSL commands of the simulated L610 (seeds/004 chapter 1): +GTSSLFILE uploads and counts
 * with every refusal (type, length, limits, the ODM idle timer), +GTSSLMODE, +GTSSLVER,
 * +GTSSLCIPHER and +GTSSLERR forms, plain ERROR whatever +CMEE says, and files judged only when a
 * connection uses them (-19, -17, -18).
 */
import { strict as assert } from 'node:assert';
import { createCertificateAuthority } from '../../../src/simulator/pki';
import { delay, frame, Module, PROMPT, startServer, testPki, type TestServer } from './fibocom-harness.test';
import { closeAfterEach } from '../../support/simulator-harness';

describe('simulator: Fibocom SSL commands', () => {
  let module: Module | undefined;
  afterEach(() => {
    module?.close();
    module = undefined;
  });
  const keep = closeAfterEach();

  async function server(options: Parameters<typeof startServer>[1] = {}): Promise<TestServer> {
    return keep(await startServer(undefined, options));
  }

  it('+GTSSLFILE: the prompt, exactly <file_len> bytes stored as given, the counts, the test form', async () => {
    module = await Module.start();
    await module.expect('AT+GTSSLFILE=?', '+GTSSLFILE: ("CERTFILE","KEYFILE","TRUSTFILE"),(4-8192)', 'OK');
    await module.expect('AT+GTSSLFILE?', '+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,0', 'OK');
    // Binary-safe: CR, LF, "OK", Ctrl-Z, ESC and NUL are data, nothing is echoed.
    const odd = Buffer.from('ab\r\nOK\r\n\x1a\x1b\x00\xff', 'latin1');
    await module.upload('TRUSTFILE', odd);
    assert.deepEqual(module.device.files.TRUSTFILE, [odd]);
    // The name may come bare too.
    await module.upload('TRUSTFILE', testPki().ca.cert, false);
    await module.upload('CERTFILE', testPki().client.cert);
    await module.upload('KEYFILE', testPki().client.key);
    await module.expect('AT+GTSSLFILE?', '+GTSSLFILE: CERTFILE,1', '+GTSSLFILE: KEYFILE,1', '+GTSSLFILE: TRUSTFILE,2', 'OK');
    assert.equal(module.device.files.KEYFILE[0]!.toString('latin1'), testPki().client.key);
  });

  it('+GTSSLFILE refusals: type, length range, one CERTFILE and KEYFILE, forty TRUSTFILEs — all before the prompt', async () => {
    module = await Module.start();
    // seeds/004 l. 416 prints `" CERTFILE"` with a leading space: not one of the three names.
    await module.expect('AT+GTSSLFILE=" CERTFILE",1334', 'ERROR');
    await module.expect('AT+GTSSLFILE="CAFILE",100', 'ERROR');
    await module.expect('AT+GTSSLFILE="certfile",100', 'ERROR');
    await module.expect('AT+GTSSLFILE="TRUSTFILE",3', 'ERROR');
    await module.expect('AT+GTSSLFILE="TRUSTFILE",8193', 'ERROR');
    await module.expect('AT+GTSSLFILE="TRUSTFILE","100"', 'ERROR');
    await module.expect('AT+GTSSLFILE="TRUSTFILE"', 'ERROR');
    await module.expect('AT+GTSSLFILE="TRUSTFILE",100,1', 'ERROR');
    assert.deepEqual(module.device.lastRefusal, { line: 'AT+GTSSLFILE="TRUSTFILE",100,1', reason: 'expected 2 parameters, got 3' });
    await module.expect('AT+GTSSLFILE', 'ERROR');
    // The limits of l. 4..8192 are inclusive.
    await module.upload('CERTFILE', 'abcd');
    await module.upload('KEYFILE', 'k'.repeat(8192));
    await module.expect('AT+GTSSLFILE="CERTFILE",100', 'ERROR');
    await module.expect('AT+GTSSLFILE="KEYFILE",100', 'ERROR');
    for (let i = 0; i < 40; i++) await module.upload('TRUSTFILE', `tf${String(i).padStart(2, '0')}`);
    await module.expect('AT+GTSSLFILE="TRUSTFILE",4', 'ERROR');
    await module.expect('AT+GTSSLFILE?', '+GTSSLFILE: CERTFILE,1', '+GTSSLFILE: KEYFILE,1', '+GTSSLFILE: TRUSTFILE,40', 'OK');
    // No +CME ERROR form, whatever +CMEE says.
    await module.expect('AT+CMEE=2', 'OK');
    await module.expect('AT+GTSSLFILE="TRUSTFILE",4', 'ERROR');
    await module.expect('AT+GTSSLMODE=2', 'ERROR');
  });

  it('+GTSSLFILE: no byte for 12 s (× timeScale) leaves ODM mode with ERROR and stores nothing; a slow steady sender is not cut off', async () => {
    module = await Module.start({ timeScale: 0.01 }); // 12 s → 120 ms
    assert.equal(await module.prompted('AT+GTSSLFILE="TRUSTFILE",10', 'abc'), PROMPT + frame('ERROR'));
    assert.equal(module.device.files.TRUSTFILE.length, 0);
    await module.expect('AT+GTSSLFILE?', '+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,0', 'OK');
    // The timer counts silence: 8 bytes, one every 60 ms (480 ms in all, four times the timer), complete.
    module.wire.clear();
    module.modem.receive('AT+GTSSLFILE="TRUSTFILE",8\r');
    await module.wire.until(PROMPT);
    for (const byte of 'slowdata') {
      await delay(60);
      module.modem.receive(byte);
    }
    await module.until('OK');
    assert.equal(module.wire.text, PROMPT + frame('OK'));
    assert.equal(module.device.files.TRUSTFILE[0]!.toString(), 'slowdata');
  });

  it('+GTSSLMODE, +GTSSLVER: factory values, the read and test forms, refusals', async () => {
    module = await Module.start();
    await module.expect('AT+GTSSLMODE?', '+GTSSLMODE: 0', 'OK');
    await module.expect('AT+GTSSLMODE=?', '+GTSSLMODE: (0-1)', 'OK');
    await module.expect('AT+GTSSLMODE=1', 'OK');
    await module.expect('AT+GTSSLMODE?', '+GTSSLMODE: 1', 'OK');
    for (const bad of ['2', '-1', '"1"', '', '1,1', 'x']) await module.expect(`AT+GTSSLMODE=${bad}`, 'ERROR');
    await module.expect('AT+GTSSLMODE', 'ERROR');

    await module.expect('AT+GTSSLVER?', '+GTSSLVER: 2', 'OK');
    await module.expect('AT+GTSSLVER=?', '+GTSSLVER: (1-4)', 'OK');
    for (const v of [1, 3, 4]) {
      await module.expect(`AT+GTSSLVER=${v}`, 'OK');
      await module.expect('AT+GTSSLVER?', `+GTSSLVER: ${v}`, 'OK');
    }
    for (const bad of ['0', '5', '"4"', '']) await module.expect(`AT+GTSSLVER=${bad}`, 'ERROR');
    await module.expect('AT+GTSSLVER?', '+GTSSLVER: 4', 'OK');
  });

  it('+GTSSLCIPHER: factory 1-6, enable and disable by ID, OK alone when none is enabled, refusals', async () => {
    module = await Module.start();
    await module.expect('AT+GTSSLCIPHER?', '+GTSSLCIPHER: 1,2,3,4,5,6', 'OK');
    await module.expect('AT+GTSSLCIPHER=?', '+GTSSLCIPHER: (1-31),(0-1)', 'OK');
    await module.expect('AT+GTSSLCIPHER=31,1', 'OK');
    await module.expect('AT+GTSSLCIPHER=13,1', 'OK');
    await module.expect('AT+GTSSLCIPHER=13,1', 'OK');
    await module.expect('AT+GTSSLCIPHER?', '+GTSSLCIPHER: 1,2,3,4,5,6,13,31', 'OK');
    for (const id of [1, 2, 3, 4, 5, 6, 13, 31]) await module.expect(`AT+GTSSLCIPHER=${id},0`, 'OK');
    // Disabling one that is not enabled changes nothing and is no error.
    await module.expect('AT+GTSSLCIPHER=7,0', 'OK');
    await module.expect('AT+GTSSLCIPHER?', 'OK');
    for (const bad of ['0,1', '32,1', '1,2', '1', '1,1,1', '"1",1', '1,"1"']) await module.expect(`AT+GTSSLCIPHER=${bad}`, 'ERROR');
    await module.expect('AT+GTSSLCIPHER?', 'OK');
  });

  it('+GTSSLERR: OK alone before any error, both forms', async () => {
    module = await Module.start();
    await module.expect('AT+GTSSLERR?', 'OK');
    await module.expect('AT+GTSSLERR', 'OK');
    await module.expect('AT+GTSSLERR=?', 'ERROR');
  });

  describe('files are read only when a connection uses them', () => {
    it('a TRUSTFILE that is not a PEM certificate: -19 (also in mode 0), and a later good one does not help', async () => {
      const s = await server();
      module = await Module.start();
      await module.expect('AT+GTSSLVER=4', 'OK');
      await module.attach();
      // DER is not accepted either: "any type of file loaded into module must be encoded through base64" (seeds/004 l. 121).
      await module.upload('TRUSTFILE', testPki().ca.certDer);
      await module.openFails(1, s.port, -19);
      await module.upload('TRUSTFILE', testPki().ca.cert);
      await module.openFails(1, s.port, -19);
      assert.equal(s.stats.connections, 0, 'never dialled');
    });

    it('a CERTFILE that is not a PEM certificate: -17', async () => {
      const s = await server();
      module = await Module.start();
      await module.expect('AT+GTSSLVER=4', 'OK');
      await module.attach();
      await module.upload('CERTFILE', testPki().client.key);
      await module.upload('KEYFILE', testPki().client.key);
      await module.openFails(1, s.port, -17);
    });

    it('a KEYFILE that is not a private key, is encrypted, or belongs to another certificate: -18', async () => {
      const s = await server();
      const pki = testPki();
      for (const key of [pki.client.cert, pki.client.encryptedKey('secret'), pki.server.key, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n']) {
        module = await Module.start();
        await module.expect('AT+GTSSLVER=4', 'OK');
        await module.attach();
        await module.upload('CERTFILE', pki.client.cert);
        await module.upload('KEYFILE', key);
        await module.openFails(1, s.port, -18);
        module.close();
        module = undefined;
      }
    });

    it('a client certificate alone (no KEYFILE) is not presented and is no error', async () => {
      const s = await server();
      module = await Module.start();
      await module.expect('AT+GTSSLVER=4', 'OK');
      await module.attach();
      await module.upload('CERTFILE', testPki().client.cert);
      assert.equal(await module.open(1, s.port), 1);
      assert.equal(module.device.lastHandshake?.clientCertificate, undefined);
      await module.expect('AT+GTSSLERR?', 'OK');
    });

    it('a TRUSTFILE may hold several certificates (a bundle)', async () => {
      const s = await server();
      module = await Module.start();
      await module.expect('AT+GTSSLVER=4', 'OK');
      await module.expect('AT+GTSSLMODE=1', 'OK');
      await module.expect(`AT+CCLK="${cclk(new Date())}"`, 'OK');
      await module.attach();
      const other = createCertificateAuthority({ subject: 'Other', keyType: 'ec' });
      await module.upload('TRUSTFILE', other.cert + testPki().ca.cert);
      assert.equal(await module.open(1, s.port), 1);
    });
  });
});

/** The +CCLK text of `date`, UTC. */
export function cclk(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getUTCFullYear() % 100)}/${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())},${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}+00`;
}
