/**
 * `modem-tls-sim --vendor fibocom`: the L610 dialect behind the CLI's TCP port, and its row in
 * `SIMULATED_VENDORS` (the factory the demo and the tests share).
 */
import { strict as assert } from 'node:assert';
import { SIMULATED_VENDORS, fibocomDevice } from '../../../src/simulator';
import { askCli, runCli, withCliPort } from '../../support/simulator-harness';

describe('simulator: modem-tls-sim --vendor fibocom', () => {
  it('plays the L610', async () => {
    await withCliPort(['--vendor', 'fibocom'], 'fibocom', async (port) => {
      assert.deepEqual(await askCli(port, 'AT+CGMM', 'AT+GTSSLFILE?'), [
        'AT+CGMM\r\r\nL610\r\n\r\nOK\r\n',
        'AT+GTSSLFILE?\r\r\n+GTSSLFILE: CERTFILE,0\r\n\r\n+GTSSLFILE: KEYFILE,0\r\n\r\n+GTSSLFILE: TRUSTFILE,0\r\n\r\nOK\r\n',
      ]);
    });
  });

  it('refuses a platform it does not have, with exit code 2', async () => {
    const cli = runCli(['--vendor', 'fibocom', '--platform', 'FM150', '--tcp', '0']);
    assert.match(await cli.output, /modem-tls-sim: platform: unknown Fibocom platform "FM150"; available: L610/);
    assert.equal(await cli.exited, 2);
  });

  it('is registered in SIMULATED_VENDORS', () => {
    const modem = SIMULATED_VENDORS.fibocom!({ powerOn: false });
    try {
      assert.equal(modem.profile.manufacturer, 'Fibocom');
      assert.deepEqual(modem.profile.banner, ['+SIM READY']);
      assert.ok(fibocomDevice(modem));
    } finally {
      modem.close();
    }
  });

  it('lists fibocom in --help', async () => {
    const cli = runCli(['--help']);
    assert.match(await cli.output, /--vendor <name> .*available: [a-z0-9, ]*\bfibocom\b/);
    assert.equal(await cli.exited, 0);
  });
});
