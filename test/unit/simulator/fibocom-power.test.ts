/**
 * Power on the simulated L610: "If module power down, all certificates are lost" (seeds/004
 * l. 121) and every SSL command is "Persistent: No" (l. 104-105 … l. 260-261). A power cycle
 * (`modem.reboot()`) loses files, settings, the last error, the PDP context and the sockets —
 * closed without a URC — puts the clock back, and the module announces itself with +SIM READY.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { delay, echo, frame, Module, PROMPT, startServer, testPki } from './fibocom-harness.test';
import { closeAfterEach } from '../../support/simulator-harness';

describe('simulator: Fibocom power cycle', () => {
  let module: Module | undefined;
  afterEach(() => {
    module?.close();
    module = undefined;
  });
  const keep = closeAfterEach();

  it('loses files, settings, +GTSSLERR, the PDP context and the sockets (no URC); prints +SIM READY; the clock starts again in 2000', async () => {
    const s = keep(await startServer(echo));
    const pki = testPki();
    module = await Module.start();
    await module.upload('TRUSTFILE', pki.ca.cert);
    await module.upload('CERTFILE', pki.client.cert);
    await module.upload('KEYFILE', pki.client.key);
    await module.expect('AT+GTSSLVER=4', 'OK');
    await module.expect('AT+GTSSLCIPHER=1,0', 'OK');
    await module.expect('AT+GTSSLCIPHER=13,1', 'OK');
    await module.expect('AT+CCLK="24/05/06,22:10:00+08"', 'OK');
    await module.attach('apn.example');
    await module.openFails(1, 1, -4, 'no-such-host.invalid');
    assert.equal(await module.open(1, s.port), 1);
    let serverSawClose = false;
    for (const socket of s.sockets) socket.on('close', () => (serverSawClose = true));

    module.wire.clear();
    await module.modem.reboot();
    assert.equal(module.wire.text, frame('+SIM READY'));
    for (let i = 0; i < 100 && !serverSawClose; i++) await delay(10);
    assert.ok(serverSawClose, 'the connection is gone');
    assert.equal(module.wire.text, frame('+SIM READY'), 'no URC for the lost socket');

    // Echo is on again after a power-up.
    assert.equal(await module.at('ATE0'), 'ATE0\r' + frame('OK'));
    await module.expect('AT+GTSSLFILE?', '+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,0', 'OK');
    await module.expect('AT+GTSSLMODE?', '+GTSSLMODE: 0', 'OK');
    await module.expect('AT+GTSSLVER?', '+GTSSLVER: 2', 'OK');
    await module.expect('AT+GTSSLCIPHER?', '+GTSSLCIPHER: 1,2,3,4,5,6', 'OK');
    await module.expect('AT+GTSSLERR?', 'OK');
    await module.expect('AT+MIPCALL?', '+MIPCALL: 0', 'OK');
    assert.equal(module.device.pdp.apn, '');
    assert.match(await module.at('AT+CCLK?'), /^\r\n\+CCLK: "00\/01\/01,00:00:0\d\+00"\r\n\r\nOK\r\n$/);
    await module.expect('AT+MIPSEND=1,1', 'ERROR');
    assert.equal(module.device.sockets.size, 0);
    // Everything can be provisioned again, from zero.
    await module.upload('CERTFILE', pki.client.cert);
    await module.expect('AT+GTSSLFILE?', '+GTSSLFILE: CERTFILE,1', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,0', 'OK');
  });

  it('power lost during an upload, a +MIPSEND, a dial or an activation: nothing stored or sent, no late URC', async () => {
    let received = 0;
    const s = keep(await startServer((socket) => socket.on('data', (d: Buffer) => (received += d.length))));
    const quiet = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.resume();
    });
    const quietSockets = new Set<net.Socket>();
    quiet.on('connection', (socket) => {
      quietSockets.add(socket);
      socket.on('close', () => quietSockets.delete(socket));
    });
    await new Promise<void>((resolve) => quiet.listen(0, '127.0.0.1', resolve));
    try {
      module = await Module.start({ activationDelayMs: 50 });
      // An upload cut by the power.
      module.modem.receive('AT+GTSSLFILE="TRUSTFILE",100\r');
      await module.wire.until(PROMPT);
      module.modem.receive('x'.repeat(50));
      await module.modem.reboot();
      await module.at('ATE0');
      assert.equal(module.device.files.TRUSTFILE.length, 0);

      // A send cut by the power.
      await module.expect('AT+GTSSLVER=4', 'OK');
      await module.attach();
      assert.equal(await module.open(1, s.port), 1);
      module.modem.receive('AT+MIPSEND=1,10\r');
      await module.wire.until(PROMPT);
      module.modem.receive('12345');
      await module.modem.reboot();
      await module.at('ATE0');

      // A dial and an activation cut by the power.
      await module.expect('AT+GTSSLVER=4', 'OK');
      await module.attach();
      assert.equal(await module.at(`AT+MIPOPEN=2,,"127.0.0.1",${(quiet.address() as net.AddressInfo).port},2`), frame('OK'));
      await delay(30);
      module.wire.clear();
      await module.modem.reboot();
      await module.at('ATE0');
      assert.equal(await module.at('AT+MIPCALL=1,"CMNET"'), frame('OK'));
      module.wire.clear();
      await module.modem.reboot();
      await delay(150);
      assert.equal(module.wire.text, frame('+SIM READY'), 'no +MIPOPEN or +MIPCALL after the power cycle');
      for (let i = 0; i < 100 && quietSockets.size > 0; i++) await delay(10);
      assert.equal(quietSockets.size, 0, 'the dial was abandoned');
      assert.equal(received, 0, 'nothing of the cut send reached the server');
    } finally {
      for (const socket of quietSockets) socket.destroy();
      await new Promise<void>((resolve) => quiet.close(() => resolve()));
    }
  });
});
