/**
 * The simulated u-blox module's packet-data commands: +CGDCONT, +UAUTHREQ, +CGACT
 * (3GPP TS 27.007 §10.1.1, §10.1.10; u-blox AT commands manual).
 */
import { strict as assert } from 'node:assert';
import { Module } from './ublox-harness.test';

describe('simulated u-blox module: packet data', () => {
  let module: Module;
  afterEach(() => module?.close());

  it('defines, authenticates and activates a context; +CGACT? reports it; power-down deactivates it', async () => {
    module = await Module.start();
    await module.transcript([
      ['AT+CGACT?', 'OK'],
      ['AT+CGDCONT=1,"IP","internet.example"', 'OK'],
      ['AT+UAUTHREQ=1,3,"user","secret"', 'OK'],
      ['AT+CGDCONT?', '+CGDCONT: 1,"IP","internet.example","0.0.0.0",0,0', 'OK'],
      ['AT+CGACT=1,1', 'OK'],
      ['AT+CGACT?', '+CGACT: 1,1', 'OK'],
    ]);
    assert.doesNotMatch(await module.at('AT+CGDCONT?'), /secret/);
    await module.modem.reboot();
    // Echo is back on after a power cycle: the ATE0 line comes back before its OK.
    assert.match(await module.at('ATE0'), /OK\r\n$/);
    await module.expect('AT+CGACT?', '+CGACT: 1,0', 'OK');
  });

  it('refuses a context that is not defined and values out of range', async () => {
    module = await Module.start();
    await module.expect('AT+CGACT=1,3', '+CME ERROR: 3');
    await module.expect('AT+CGDCONT=9,"IP","x"', '+CME ERROR: 50');
    await module.expect('AT+CGACT=2,1', '+CME ERROR: 50');
  });
});
