/**
 * `modem-tls-sim --vendor ublox [--platform <id>]`: the u-blox dialect behind the CLI's TCP port.
 */
import { strict as assert } from 'node:assert';
import { SIMULATED_VENDORS } from '../../../src/simulator';
import { askCli, runCli, withCliPort } from '../../support/simulator-harness';

describe('simulator: modem-tls-sim --vendor ublox', () => {
  it('plays SARA-R5 by default and the platform asked for', async () => {
    for (const [args, label, chip] of [
      [[], 'ublox', 'SARA-R510M8S'],
      [['--platform', 'generic'], 'ublox generic', 'u-blox simulated (all options)'],
    ] as const) {
      await withCliPort(['--vendor', 'ublox', ...args], label, async (port) => {
        assert.deepEqual(await askCli(port, 'AT+CGMM'), [`AT+CGMM\r\r\n${chip}\r\n\r\nOK\r\n`]);
      });
    }
  });

  it('refuses a platform it does not have, with exit code 2', async () => {
    const cli = runCli(['--vendor', 'ublox', '--platform', 'TOBY-L2', '--tcp', '0']);
    assert.match(await cli.output, /modem-tls-sim: platform: unknown u-blox platform "TOBY-L2"; available: SARA-R5, generic/);
    assert.equal(await cli.exited, 2);
  });

  it('is registered in SIMULATED_VENDORS', () => {
    const modem = SIMULATED_VENDORS.ublox!({ powerOn: false });
    try {
      assert.equal(modem.profile.manufacturer, 'u-blox');
    } finally {
      modem.close();
    }
  });
});
