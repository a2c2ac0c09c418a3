/**
 * The option rules: one check over one row per option, the same in the runtime and in the editor.
 * The editor's copy is the generated `resources/modem-tls-rules.js`, loaded here in a sandbox as a
 * browser would, and held to give the runtime's verdict on every row of every operation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { capabilitiesOf, VENDOR_RECORDS } from '../../../src/adapters';
import { OPERATION_RULES, ruleOf } from '../../../src/adapters/operations';
import { check, checkOptions, checkSetting, type Rule, type Verdict } from '../../../src/adapters/rules';
import { capabilitiesJson } from '../../../src/nodes/capabilities-endpoint';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const telit30 = capabilitiesJson(capabilitiesOf('telit', '30')!);
const ublox = capabilitiesJson(capabilitiesOf('ublox', 'SARA-R5')!);

function problem(verdict: Verdict): string {
  assert.equal(verdict.ok, false, `expected a refusal, got ${JSON.stringify(verdict)}`);
  return verdict.ok ? '' : `${verdict.field}: ${verdict.problem}`;
}

describe('option rules', () => {
  describe('the check of one row', () => {
    it('whole numbers: text or number in, a number out; the range named with the help line', () => {
      const port = ruleOf('tls-open', 'port');
      assert.deepEqual(check(port, '443'), { ok: true, value: 443 });
      assert.equal(problem(check(port, '70000')), 'port: 70000 is outside 1..65535 (the server’s port)');
      assert.equal(problem(check(port, 'https')), 'port: "https" is not a whole number in 1..65535 (the server’s port)');
      assert.equal(problem(check(port, 44.5)), 'port: 44.5 is not a whole number in 1..65535 (the server’s port)');
    });

    it('ranges from the capabilities: a profile id, a socket, a slot', () => {
      assert.equal(problem(check(ruleOf('tls-open', 'profile'), 9, telit30)), 'profile: 9 is outside 1..6 (the TLS profile to connect with)');
      assert.deepEqual(check(ruleOf('tls-open', 'profile'), 9), { ok: true, value: 9 }, 'without a modem the range is not known');
      assert.equal(problem(check(ruleOf('tls-send', 'socket'), '7', ublox)), 'msg.socket: 7 is outside 0..6 (which connection: msg.socket, as tls-open outputs it, or the node’s Socket)');
      assert.match(problem(check(ruleOf('load-cert', 'name'), '9', telit30)), /^name: 9 is outside 1\.\.6 /);
      assert.match(problem(check(ruleOf('load-cert', 'name'), '', telit30)), /^name: is required/);
    });

    it('values from the capabilities: a value valid in general but not on this modem says whose limit it is', () => {
      const format = ruleOf('load-cert', 'format');
      assert.deepEqual(check(format, 'auto', telit30), { ok: true, value: 'auto' });
      assert.match(problem(check(format, 'der', telit30)), /^format: "der" is not offered by Telit platform 30 .*\(it offers pem, auto\)$/);
      assert.equal(problem(check(format, 'p12', telit30)), 'format: "p12" is not one of pem, auto (how it is sent to the modem)');
      assert.match(problem(check(ruleOf('tls-open', 'mode'), 'online', ublox)), /^mode: "online" is not offered by u-blox SARA-R5 \(it offers command\)$/);
    });

    it('options a modem lacks: an expected host name on Telit (the host opened is the one checked), accepted on u-blox', () => {
      const hostname = ruleOf('tls-profile', 'hostname');
      assert.match(problem(check(hostname, 'broker.example.com', telit30)), /^hostname: Telit platform 30 .*checks the certificate against the host each connection opens; leave it empty/);
      assert.deepEqual(check(hostname, '', telit30), { ok: true, value: undefined });
      assert.deepEqual(check(hostname, 'broker.example.com', ublox), { ok: true, value: 'broker.example.com' });
    });

    it('lists: names split on commas and spaces, one word for all, each name checked', () => {
      const ciphers = ruleOf('tls-profile', 'ciphers');
      assert.deepEqual(check(ciphers, 'auto', telit30), { ok: true, value: 'auto' });
      assert.deepEqual(check(ciphers, 'TLS_RSA_WITH_AES_128_CBC_SHA', telit30), { ok: true, value: ['TLS_RSA_WITH_AES_128_CBC_SHA'] });
      assert.match(problem(check(ciphers, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', telit30)), /^ciphers: Telit platform 30 .* cannot select TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; it offers auto, /);
      assert.match(problem(check(ciphers, 'AES128-SHA')), /^ciphers: "AES128-SHA" does not have the expected form/);
    });

    it('text: printable ASCII, no quote, a length in bytes and a form; a secret is never shown', () => {
      const host = ruleOf('tls-open', 'host');
      assert.deepEqual(check(host, ' example.com '), { ok: true, value: 'example.com' });
      assert.equal(problem(check(host, 'a\u0122,1,\u0122X')), 'host: may hold only printable ASCII characters (space to ~); "Ģ" (U+0122) at position 1 is not one');
      assert.equal(problem(check(host, 'a b')), 'host: is not a host name or IP address (letters, digits, ".", "-" and "_", at most 63 between two dots; or an IPv4 or IPv6 address)');
      assert.equal(problem(check(host, 'x'.repeat(256))), 'host: is 256 bytes long, the limit is 255 (the server’s name or IP address)');
      const psk = ruleOf('tls-profile', 'psk');
      assert.equal(problem(check(psk, 'geheim\u00df')), 'psk: may hold only printable ASCII characters (space to ~); it contains another character');
      assert.equal(problem(check(psk, 'a"b')), 'psk: must not contain a double quote (")');
      assert.equal(problem(check(psk, 42)), 'psk: must be text, got a number');
    });

    it('objects of options: unknown keys named with the known ones, each value checked by its row', () => {
      const vo = ruleOf('tls-open', 'vendorOptions');
      assert.deepEqual(check(vo, '', telit30), { ok: true, value: {} });
      assert.deepEqual(check(vo, '{"resume": "true"}', telit30), { ok: true, value: { resume: true } });
      assert.equal(problem(check(vo, '{"suspend": true}', telit30)), 'vendorOptions.suspend: is not an option of Telit platform 30 — 4G (ME910C1, ML865C1) here (it has resume)');
      assert.equal(problem(check(vo, '{"resume": "maybe"}', telit30)), 'vendorOptions.resume: must be true or false, got "maybe"');
      assert.equal(problem(check(vo, '[1]', telit30)), 'vendorOptions: must be an object such as {"name": 1} (options of this vendor only, as a JSON object)');
      const rows: Rule[] = [{ name: 'pktSz', type: 'int', min: 0, max: 1500, help: 'packet size' }];
      assert.equal(problem(checkOptions(rows, { pktSz: 1501 }, 'Telit')), 'vendorOptions.pktSz: 1501 is outside 0..1500 (packet size)');
    });

    it('a setting a message may give, or with a default, may stay empty on the node; the runtime still needs it', () => {
      assert.deepEqual(checkSetting(ruleOf('tls-open', 'host'), ''), { ok: true, value: undefined });
      assert.match(problem(check(ruleOf('tls-open', 'host'), '')), /^host: is required/);
      assert.deepEqual(checkSetting(ruleOf('tls-recv', 'length'), ''), { ok: true, value: 1500 });
      assert.match(problem(checkSetting(ruleOf('tls-recv', 'length'), '0')), /^msg\.length: 0 bytes is outside 1\.\.1048576 bytes/);
      assert.match(problem(checkSetting(ruleOf('tls-open', 'profile'), '')), /^profile: is required/);
    });
  });

  describe('the editor runs the same check', () => {
    function editorRules(): { check: typeof check; checkSetting: typeof checkSetting } {
      const code = readFileSync(path.join(ROOT, 'resources', 'modem-tls-rules.js'), 'utf8');
      const sandbox: { window: Record<string, unknown> } = { window: {} };
      vm.runInNewContext(code, sandbox);
      return sandbox.window.modemTlsRules as ReturnType<typeof editorRules>;
    }

    it('gives the runtime’s verdict on every row of every operation, for values that pass and fail', () => {
      const editor = editorRules();
      const samples: unknown[] = ['', '0', '1', '6', '9', '443', '70000', 'true', 'maybe', 'auto', 'der', 'online', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'a\u0122b', 'x y', '{"resume": true}', '{"nope": 1}', 'demo-ca', 'AT+CSQ', 1, true, null];
      let compared = 0;
      for (const [operation, rows] of Object.entries(OPERATION_RULES)) {
        for (const rule of rows ?? []) {
          for (const caps of [undefined, telit30, ublox]) {
            for (const value of samples) {
              const label = `${operation} ${rule.name} ${JSON.stringify(value)} ${caps ? (caps as { label: string }).label : 'no modem'}`;
              assert.deepEqual(JSON.parse(JSON.stringify(editor.check(rule, value, caps))), JSON.parse(JSON.stringify(check(rule, value, caps))), label);
              assert.deepEqual(JSON.parse(JSON.stringify(editor.checkSetting(rule, value, caps))), JSON.parse(JSON.stringify(checkSetting(rule, value, caps))), label);
              compared++;
            }
          }
        }
      }
      assert.ok(compared > 1000, `${compared} comparisons`);
    });

    it('the registry the editor gets lists every vendor with its platforms and capabilities as the runtime has them', () => {
      const sandbox: { window: Record<string, any> } = { window: {} };
      vm.runInNewContext(readFileSync(path.join(ROOT, 'resources', 'modem-tls-registry.js'), 'utf8'), sandbox);
      // Out of the sandbox's realm, so values compare as plain data.
      const registry = JSON.parse(JSON.stringify(sandbox.window.modemTlsRegistry));
      assert.deepEqual(registry.vendors.map((v: { id: string }) => v.id), Object.keys(VENDOR_RECORDS));
      for (const record of Object.values(VENDOR_RECORDS)) {
        const shown = registry.vendors.find((v: { id: string }) => v.id === record.id);
        assert.deepEqual(shown.platforms, record.platforms, record.id);
        const platforms = record.platforms.length > 0 ? record.platforms.map((p) => p.id) : [''];
        for (const platform of platforms) {
          assert.deepEqual(registry.capabilities[record.id][platform], JSON.parse(JSON.stringify(capabilitiesJson(record.tls.capabilities(platform || undefined)))), `${record.id} ${platform}`);
        }
      }
      assert.deepEqual(JSON.parse(JSON.stringify(registry.operations)), JSON.parse(JSON.stringify(OPERATION_RULES)));
    });
  });
});
