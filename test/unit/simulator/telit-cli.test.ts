/**
 * `modem-tls-sim --vendor telit --platform <id>`: the Telit dialect behind the CLI's TCP port.
 */
import { strict as assert } from 'node:assert';
import { SIMULATED_VENDORS } from '../../../src/simulator';
import { askCli, runCli, withCliPort } from '../../support/simulator-harness';

describe('simulator: modem-tls-sim --vendor telit', () => {
  it('plays the platform asked for', async () => {
    await withCliPort(['--vendor', 'telit', '--platform', '12'], 'telit 12', async (port) => {
      assert.deepEqual(await askCli(port, 'AT+CGMM'), ['AT+CGMM\r\r\nHE910\r\n\r\nOK\r\n']);
    });
  });

  it('refuses a platform the vendor does not have, with exit code 2', async () => {
    const cli = runCli(['--vendor', 'telit', '--platform', '99', '--tcp', '0']);
    assert.match(await cli.output, /modem-tls-sim: platform: unknown Telit platform "99"/);
    assert.equal(await cli.exited, 2);
  });

  it('is registered for the CLI with platform 30 by default', () => {
    const modem = SIMULATED_VENDORS.telit({ powerOn: false });
    try {
      assert.equal(modem.profile.model, 'ME910C1-WW');
    } finally {
      modem.close();
    }
  });
});
