import { strict as assert } from 'node:assert';
import { parseSecurityData } from '../../../src/tls/certificates';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';

describe('security data: encrypted keys', () => {
  let pki: TestPki;
  before(() => {
    pki = createTestPki();
  });

  const refusal = (fn: () => unknown): { field?: string; message: string } => {
    try {
      fn();
    } catch (err) {
      return { field: (err as { field?: string }).field, message: (err as Error).message };
    }
    return assert.fail('the key was accepted');
  };

  it('every wrong password is refused as the password, never as a damaged key (some decrypt to a valid padding)', () => {
    // AES-CBC with a wrong key ends in a valid padding about once in 256 tries; those fail later,
    // in the DER, and must still be reported as the password.
    const encrypted = pki.client.encryptedKey('the right one');
    for (let i = 0; i < 600; i++) {
      const refused = refusal(() => parseSecurityData(encrypted, 'key', { password: `wrong-${i}`, field: 'msg.payload' }));
      assert.equal(refused.field, 'password', `password wrong-${i}: ${refused.message}`);
      assert.match(refused.message, /does not decrypt the private key/);
      assert.doesNotMatch(refused.message, /wrong-/);
    }
  });

  it('an encrypted key without a password names the password; with the right one it is read', () => {
    const encrypted = pki.client.encryptedKey('the right one');
    assert.equal(refusal(() => parseSecurityData(encrypted, 'key', { field: 'msg.payload' })).field, 'password');
    const parsed = parseSecurityData(encrypted, 'key', { password: 'the right one', field: 'msg.payload' });
    assert.equal(parsed.kind, 'key');
  });

  it('a damaged unencrypted key names the payload, not the password', () => {
    const damaged = pki.client.key.replace(/\n([A-Za-z0-9+/]{20})/, '\nAAAAAAAAAAAAAAAAAAAA');
    assert.equal(refusal(() => parseSecurityData(damaged, 'key', { field: 'msg.payload' })).field, 'msg.payload');
  });
});
