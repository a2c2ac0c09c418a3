/**
 * The modem-config node's settings as the editor stores them, turned into connection options:
 * defaults for what an older flow does not have, and refusals naming the field.
 */
import assert from 'node:assert/strict';
import { toConnectionOptions } from '../../src/nodes/config-options';
import { ModemError } from '../../src/at/errors';

const base = { vendor: 'telit', platform: '30', transport: 'tcp', host: '127.0.0.1', tcpPort: '7001' };

describe('modem-config settings', () => {
  it('Wait for modem: 30 s when a flow has no such setting or it is blank; seconds otherwise; 0 fails at once', () => {
    assert.equal(toConnectionOptions(base).readyTimeoutMs, 30000);
    assert.equal(toConnectionOptions({ ...base, readyTimeout: '' }).readyTimeoutMs, 30000);
    assert.equal(toConnectionOptions({ ...base, readyTimeout: '  ' }).readyTimeoutMs, 30000);
    assert.equal(toConnectionOptions({ ...base, readyTimeout: '2.5' }).readyTimeoutMs, 2500);
    assert.equal(toConnectionOptions({ ...base, readyTimeout: 0 }).readyTimeoutMs, 0);
  });

  it('Wait for modem outside 0..600 s, or not a number, is refused naming the field and the range', () => {
    for (const value of ['700', '-1', 'soon']) {
      assert.throws(() => toConnectionOptions({ ...base, readyTimeout: value }), (err: unknown) => {
        assert.ok(err instanceof ModemError);
        assert.equal(err.field, 'readyTimeout');
        assert.match(err.message, /^readyTimeout: .* s is outside 0\.\.600 s$/);
        return true;
      });
    }
  });
});
