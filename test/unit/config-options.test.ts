/**
 * The modem-config node's settings as the editor stores them, turned into connection options:
 * defaults for what an older flow does not have, and refusals naming the field.
 */
import assert from 'node:assert/strict';
import { toConnectionOptions } from '../../src/nodes/config-options';
import { ModemError } from '../../src/at/errors';
import { VENDORS, vendorRecord } from '../../src/adapters';

const base = { vendor: 'telit', platform: '30', transport: 'tcp', host: '127.0.0.1', tcpPort: '7001' };
const wifiBase = { vendor: 'eswifi', transport: 'tcp', host: '127.0.0.1', tcpPort: '7001' };

/** Refused with a PARAMETER error on `field` whose message matches `words` and never holds `secret`. */
function refused(run: () => unknown, field: string, words: RegExp, secret?: string): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof ModemError, String(err));
    assert.equal(err.kind, 'PARAMETER');
    assert.equal(err.field, field);
    assert.ok(err.message.startsWith(`${field}: `), err.message);
    assert.match(err.message, words);
    if (secret !== undefined && secret !== '') {
      assert.ok(!err.message.includes(secret), `the passphrase is not in "${err.message}"`);
      assert.ok(!JSON.stringify(err.toJSON()).includes(secret), 'nor in msg.modemError');
    }
    return true;
  });
}

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

  describe('Wi-Fi network (a Wi-Fi module)', () => {
    const wifi = (props: Record<string, unknown>, passphrase?: string) =>
      toConnectionOptions({ ...wifiBase, ...props }, passphrase === undefined ? {} : { wifiPassphrase: passphrase }).wifi;

    it('SSID, security and passphrase reach the connection options', () => {
      assert.deepEqual(wifi({ wifiSsid: 'Grove Island', wifiSecurity: 'wpa2' }, 'correct horse battery'), {
        ssid: 'Grove Island',
        security: 'wpa2',
        passphrase: 'correct horse battery',
      });
      // An open network has no passphrase at all.
      assert.deepEqual(wifi({ wifiSsid: 'cafe', wifiSecurity: 'open' }, ''), { ssid: 'cafe', security: 'open' });
      assert.deepEqual(wifi({ wifiSsid: 'cafe', wifiSecurity: 'open' }), { ssid: 'cafe', security: 'open' });
    });

    it('no SSID: no Wi-Fi network, whatever the other fields hold', () => {
      assert.equal(wifi({}), undefined);
      assert.equal(wifi({ wifiSsid: '', wifiSecurity: 'bogus' }, 'x'), undefined);
      assert.ok(!('wifi' in toConnectionOptions(wifiBase)));
    });

    it('a flow saved without a security type gets the editor’s default, WPA2', () => {
      assert.equal(wifi({ wifiSsid: 'home' }, '12345678')?.security, 'wpa2');
      assert.equal(wifi({ wifiSsid: 'home', wifiSecurity: '' }, '12345678')?.security, 'wpa2');
    });

    it('the record of the vendor decides: only Wi-Fi vendors take the Wi-Fi fields; cellular ones ignore them, even bad ones', () => {
      const wifiVendors = VENDORS.filter((v) => vendorRecord(v).kind === 'wifi');
      assert.deepEqual(wifiVendors, ['eswifi']);
      for (const vendor of VENDORS.filter((v) => vendorRecord(v).kind === 'cellular')) {
        const props = { ...base, vendor, platform: vendor === 'telit' ? '30' : '', wifiSsid: 'x'.repeat(40) + '\r\n', wifiSecurity: 'bogus' };
        const options = toConnectionOptions(props, { wifiPassphrase: 'short' });
        assert.equal(options.wifi, undefined, vendor);
        assert.ok(!('wifi' in options), vendor);
      }
    });

    describe('wifiSsid: 1..32 bytes of UTF-8, no control character', () => {
      it('32 bytes pass, as typed: spaces, quotes, commas and characters beyond ASCII', () => {
        for (const ssid of ['a', 'x'.repeat(32), ' spaced out ', 'say "hi", ok; \\ back', 'Café-Zürich', '日本語のネットワーク', '🚀'.repeat(8)]) {
          assert.equal(wifi({ wifiSsid: ssid, wifiSecurity: 'open' })?.ssid, ssid, ssid);
        }
        assert.equal(Buffer.byteLength('日本語のネットワーク'), 30);
      });

      it('more than 32 bytes is refused with the byte count and the limit', () => {
        refused(() => wifi({ wifiSsid: 'x'.repeat(33), wifiSecurity: 'open' }), 'wifiSsid', /^wifiSsid: is 33 bytes in UTF-8, more than the 32 an SSID may have/);
        // 11 characters, 33 bytes.
        refused(() => wifi({ wifiSsid: '日本語のネットワーク網', wifiSecurity: 'open' }), 'wifiSsid', /^wifiSsid: is 33 bytes in UTF-8, more than the 32 an SSID may have \(a character outside ASCII takes 2 to 4 bytes\)$/);
        refused(() => wifi({ wifiSsid: 'é'.repeat(17), wifiSecurity: 'open' }), 'wifiSsid', /is 34 bytes in UTF-8, more than the 32/);
      });

      it('CR, LF, NUL and every other control character are refused, named, with their position', () => {
        refused(() => wifi({ wifiSsid: 'home\r', wifiSecurity: 'open' }), 'wifiSsid', /must not contain control characters \(CR, LF, NUL or any other\): found a carriage return \(CR\) at position 4/);
        refused(() => wifi({ wifiSsid: 'ho\nme', wifiSecurity: 'open' }), 'wifiSsid', /found a line feed \(LF\) at position 2/);
        refused(() => wifi({ wifiSsid: '\0home', wifiSecurity: 'open' }), 'wifiSsid', /found a NUL at position 0/);
        for (const [char, code] of [['\t', 'U\\+0009'], ['\x1b', 'U\\+001B'], ['\x7f', 'U\\+007F'], ['\x85', 'U\\+0085'], ['\x9f', 'U\\+009F']]) {
          refused(() => wifi({ wifiSsid: `a${char}b`, wifiSecurity: 'open' }), 'wifiSsid', new RegExp(`found the control character ${code} at position 1`));
        }
      });

      it('half of a surrogate pair has no UTF-8 form', () => {
        refused(() => wifi({ wifiSsid: 'net\ud800', wifiSecurity: 'open' }), 'wifiSsid', /surrogate pair at position 3/);
      });
    });

    describe('wifiSecurity', () => {
      it('one of open, wep, wpa, wpa2, wpa-wpa2', () => {
        const passphrases: Record<string, string> = { open: '', wep: 'abcde', wpa: '12345678', wpa2: '12345678', 'wpa-wpa2': '12345678' };
        for (const [security, passphrase] of Object.entries(passphrases)) {
          assert.equal(wifi({ wifiSsid: 'n', wifiSecurity: security }, passphrase)?.security, security);
        }
      });

      it('anything else is refused, naming the five', () => {
        for (const security of ['WPA2', 'wpa3', 'psk', 'none']) {
          refused(() => wifi({ wifiSsid: 'n', wifiSecurity: security }, '12345678'), 'wifiSecurity', new RegExp(`^wifiSecurity: "${security}" is not a security type \\(one of open, wep, wpa, wpa2, wpa-wpa2\\)$`));
        }
      });
    });

    describe('wifiPassphrase: fit for the security, never in a message', () => {
      it('open: must be empty, and the message says so', () => {
        const secret = 'leftover-pass-9';
        refused(() => wifi({ wifiSsid: 'n', wifiSecurity: 'open' }, secret), 'wifiPassphrase', /^wifiPassphrase: must be empty for an open network \(wifiSecurity open\)/, secret);
      });

      it('WEP: 5 or 13 printable ASCII characters, or 10 or 26 hex digits', () => {
        for (const key of ['abcde', 'a b"d', '13-characters', '0123456789', 'ABCDEF0123', '0123456789abcdef0123456789']) {
          assert.equal(wifi({ wifiSsid: 'n', wifiSecurity: 'wep' }, key)?.passphrase, key, key);
        }
        const rule = /a WEP key is 5 or 13 printable ASCII characters, or 10 or 26 hex digits$/;
        refused(() => wifi({ wifiSsid: 'n', wifiSecurity: 'wep' }, ''), 'wifiPassphrase', /^wifiPassphrase: is empty, and a WEP network needs a key: /);
        refused(() => wifi({ wifiSsid: 'n', wifiSecurity: 'wep' }), 'wifiPassphrase', rule);
        for (const key of ['abcd', 'abcdef', '123456789012', 'x'.repeat(27)]) {
          refused(() => wifi({ wifiSsid: 'n', wifiSecurity: 'wep' }, key), 'wifiPassphrase', /has a length a WEP key cannot have/, key);
          refused(() => wifi({ wifiSsid: 'n', wifiSecurity: 'wep' }, key), 'wifiPassphrase', rule, key);
        }
        for (const key of ['ghijklmnop', 'g123456789abcdef0123456789']) {
          refused(() => wifi({ wifiSsid: 'n', wifiSecurity: 'wep' }, key), 'wifiPassphrase', /has the length of a hex key but not only hex digits/, key);
        }
        for (const key of ['ab\tde', 'abcdé']) {
          refused(() => wifi({ wifiSsid: 'n', wifiSecurity: 'wep' }, key), 'wifiPassphrase', /holds a character outside printable ASCII/, key);
        }
      });

      for (const [security, label] of [['wpa', 'WPA'], ['wpa2', 'WPA2'], ['wpa-wpa2', 'WPA/WPA2']] as const) {
        it(`${label}: 8..63 printable ASCII characters, or exactly 64 hex digits`, () => {
          const ok = ['12345678', 'with spaces, "quotes" & ;', '~'.repeat(63), 'a'.repeat(64), '0123456789ABCDEFabcdef'.padEnd(64, '0')];
          for (const passphrase of ok) {
            assert.equal(wifi({ wifiSsid: 'n', wifiSecurity: security }, passphrase)?.passphrase, passphrase);
          }
          const rule = new RegExp(`a ${label.replace('/', '\\/')} passphrase is 8\\.\\.63 printable ASCII characters, or exactly 64 hex digits$`);
          refused(() => wifi({ wifiSsid: 'n', wifiSecurity: security }, ''), 'wifiPassphrase', new RegExp(`^wifiPassphrase: is empty, and a ${label.replace('/', '\\/')} network needs one: `));
          refused(() => wifi({ wifiSsid: 'n', wifiSecurity: security }), 'wifiPassphrase', rule);
          const cases: Array<[string, RegExp]> = [
            ['seven77', /is shorter than 8 characters/],
            ['x'.repeat(65), /is longer than 63 characters/],
            ['g'.repeat(64), /is 64 characters, the length of a raw key, but not all hex digits/],
            ['pass\nword-1', /holds a character outside printable ASCII/],
            ['pässwörd-1', /holds a character outside printable ASCII/],
            ['password\r', /holds a character outside printable ASCII/],
          ];
          for (const [passphrase, words] of cases) {
            refused(() => wifi({ wifiSsid: 'n', wifiSecurity: security }, passphrase), 'wifiPassphrase', words, passphrase);
            refused(() => wifi({ wifiSsid: 'n', wifiSecurity: security }, passphrase), 'wifiPassphrase', rule, passphrase);
          }
        });
      }

      it('no message of any rule holds the passphrase or a piece of it', () => {
        const attempts: Array<[string, string]> = [
          ['open', 'Sup3rS3cretOpen'],
          ['wep', 'Sup3rS3cretWEP'],
          ['wpa2', 'Sup3r'],
          ['wpa2', 'Sup3rS3cret'.repeat(7)],
          ['wpa', 'Sup3rS3cret\u00e9xyz'],
          ['wpa-wpa2', 'Sup3rS3cret'.padEnd(64, 'z')],
        ];
        for (const [security, secret] of attempts) {
          assert.throws(() => wifi({ wifiSsid: 'n', wifiSecurity: security }, secret), (err: unknown) => {
            assert.ok(err instanceof ModemError);
            const text = `${err.message} ${JSON.stringify(err.toJSON())}`;
            assert.ok(!text.includes('Sup3r'), `no piece of the passphrase in: ${err.message}`);
            return true;
          });
        }
      });
    });
  });
});
