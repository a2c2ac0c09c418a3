/**
 * The SIM PIN (27.007 §8.3) and the answers that can carry a secret, against transcripts: the PIN
 * given only when the SIM asks for it, never twice after a refusal, masked in every trace; an
 * answer read back (a PSK identity, an APN password) reaching the flow with the secret masked.
 */
import assert from 'node:assert/strict';
import { checkSimPin, unlockSim, type SimMemory } from '../../../src/adapters/cellular/sim';
import { ubloxDialect } from '../../../src/adapters/ublox/dialect';
import { telitDialect } from '../../../src/adapters/telit/dialect';
import { redactSecretAnswer } from '../../../src/at/secrets';
import { closeEngines, done, engineRig, refused } from '../../support/adapter-rig';
import { framed } from '../../support/transcript';

describe('SIM PIN and secret answers', () => {
  afterEach(() => {
    closeEngines();
  });

  it('a SIM that asks for its PIN gets it once, masked in the trace; a ready SIM gets nothing', async () => {
    const { link, engine, traces } = engineRig(telitDialect);
    link.expect(
      { host: 'AT+CPIN?\r', modem: framed('+CPIN: SIM PIN', 'OK') },
      { host: 'AT+CPIN="4711"\r', modem: framed('OK') },
      { host: 'AT+CPIN?\r', modem: framed('+CPIN: READY', 'OK') },
    );
    await engine.exclusive((at) => unlockSim(at, '4711', 'telit'));
    await engine.exclusive((at) => unlockSim(at, '4711', 'telit'));
    done(link);
    assert.ok(traces.some((t) => t.text === 'AT+CPIN="***"'), JSON.stringify(traces));
    assert.ok(traces.every((t) => !t.text.includes('4711')));
  });

  it('a PIN the SIM refuses fails naming simPin, and is not given again by the next bring-up', async () => {
    const { link, engine } = engineRig(telitDialect);
    const memory: SimMemory = {};
    link.expect(
      { host: 'AT+CPIN?\r', modem: framed('+CPIN: SIM PIN', 'OK') },
      { host: 'AT+CPIN="1234"\r', modem: framed('+CME ERROR: 16') },
      { host: 'AT+CPIN?\r', modem: framed('+CPIN: SIM PIN', 'OK') },
    );
    const first = await refused(engine.exclusive((at) => unlockSim(at, '1234', 'telit', memory)), 'simPin');
    assert.match(first.message, /^simPin was refused by the SIM \(\+CME ERROR: 16\); it is not given again/);
    const second = await refused(engine.exclusive((at) => unlockSim(at, '1234', 'telit', memory)), 'simPin');
    assert.equal(second, first);
    done(link);
    assert.ok(!first.message.includes('1234') && !JSON.stringify(first.toJSON()).includes('"1234"'));
  });

  it('a SIM waiting for its PUK, and a module without +CPIN, fail naming simPin; nothing is sent after the read', async () => {
    const { link, engine } = engineRig(telitDialect);
    link.expect(
      { host: 'AT+CPIN?\r', modem: framed('+CPIN: SIM PUK', 'OK') },
      { host: 'AT+CPIN?\r', modem: framed('ERROR') },
    );
    assert.match((await refused(engine.exclusive((at) => unlockSim(at, '4711', 'telit')), 'simPin')).message, /SIM PUK/);
    assert.match((await refused(engine.exclusive((at) => unlockSim(at, '4711', 'telit')), 'simPin')).message, /does not say what its SIM waits for/);
    done(link);
  });

  it('a PIN is 4 to 8 digits', () => {
    for (const pin of ['0000', '12345678']) checkSimPin(pin);
    for (const pin of ['123', '123456789', '12a4', ' 1234', '12"4']) {
      assert.throws(() => checkSimPin(pin), (err: Error & { field?: string }) => err.field === 'simPin' && /4 to 8 digits/.test(err.message) && !err.message.includes(pin));
    }
  });

  it('an answer read back keeps its name and public values, the secret masked (the dialect\'s own rules); other lines masked whole', () => {
    const ublox = (line: string): string => ubloxDialect.redactCommand(line);
    assert.deepEqual(redactSecretAnswer(['+USECPRF: 2,9,"identity-1"'], ublox), ['+USECPRF: 2,9,"***"']);
    assert.deepEqual(redactSecretAnswer(['+USECPRF: 0,8,"0a1b2c"'], ublox), ['+USECPRF: 0,8,"***"']);
    // 27.007 +CGAUTH read: <cid>,<auth_prot>,<userid>,<password> — the rule of the set form masks the password.
    assert.deepEqual(redactSecretAnswer(['+CGAUTH: 1,1,"user","pa55"', ''], ublox), ['+CGAUTH: 1,1,"user","***"', '']);
    // 27.007 +CSIM: the SIM's answer is masked, its length kept.
    assert.deepEqual(redactSecretAnswer(['+CSIM: 4,"9000"'], ublox), ['+CSIM: 4,"***"']);
    // No rule names a secret in it: every value masked; a line without a name: masked whole.
    assert.deepEqual(redactSecretAnswer(['+UXYZ: 4,"9000"', '3F00A1B2'], ublox), ['+UXYZ: ***,"***"', '***']);
  });
});
