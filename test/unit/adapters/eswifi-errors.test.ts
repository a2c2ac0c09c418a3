/**
 * The eS-WiFi error decoder: every failure text of the module (contract §1 of the adapter), in
 * every form the adapter and the error-decode node hand it (`ERROR: <text>` line, the text alone as
 * code, a ModemError whose code is its kind, a whole answer of several lines, any case), `-1`,
 * a bare ERROR, `[JOIN   ] Failed` and `Usage:` lines, the words for the command that failed,
 * unknown texts, and that a passphrase given to it is never repeated.
 */
import { strict as assert } from 'node:assert';
import type { DecodedError } from '../../../src/adapters/adapter';
import { decodeEswifiError } from '../../../src/adapters/eswifi/errors';

const CATEGORIES = ['certificate', 'handshake', 'network', 'state', 'parameter', 'link', 'modem', 'unknown'];

function wellFormed(d: DecodedError): void {
  assert.equal(d.vendor, 'eswifi');
  assert.ok(d.name.length > 0, 'a name');
  assert.ok(d.meaning.length > 0, 'a meaning');
  assert.ok(d.hint.length > 0, 'a hint');
  assert.ok(CATEGORIES.includes(d.category), `category ${d.category}`);
}

/** Every text after `ERROR: ` the module (our simulator) gives, the category it belongs to, and words its hint must carry. */
const TEXTS: ReadonlyArray<{ text: string; category: DecodedError['category']; hint: RegExp[] }> = [
  { text: 'Unknown Command', category: 'parameter', hint: [/without AT/] },
  { text: 'Invalid Parameter', category: 'parameter', hint: [/Usage line/, /P0 0\.\.3/, /1\.\.1460/] },
  { text: 'Unknown Error', category: 'unknown', hint: [/wifiSsid/, /wifiPassphrase/, /wifiSecurity/] },
  { text: 'DNS Lookup Failed', category: 'network', hint: [/spelling of the host/, /DNS server/, /IPv4 address/] },
  { text: 'Connection Failed', category: 'network', hint: [/host and the port/, /reachable from the Wi-Fi network/] },
  { text: 'SSL Handshake Failed', category: 'handshake', hint: [/root CA programmed in the set/, /P9=1 or P9=2/, /certificate and key/] },
  { text: 'No Root CA In Set', category: 'certificate', hint: [/root CA/, /one-time programmable/, /P9=0/] },
  { text: 'Socket Already Connected', category: 'state', hint: [/tls-close/, /P6=0/] },
  { text: 'Not Connected To AP', category: 'state', hint: [/wifiSsid/, /CS answers 1/] },
  { text: 'Certificate Mismatch', category: 'certificate', hint: [/one-time programmable/, /complete firmware flash/, /set number/] },
  { text: 'Set Not Selected', category: 'state', hint: [/PF=<set> before PG/] },
  { text: 'Invalid Certificate', category: 'certificate', hint: [/PEM/, /BEGIN CERTIFICATE/, /<length>/] },
  { text: 'Socket Not Connected', category: 'state', hint: [/tls-open/] },
];

describe('eswifi errors: decodeEswifiError', () => {
  describe('every failure text of the module', () => {
    for (const { text, category, hint } of TEXTS) {
      it(`ERROR: ${text}`, () => {
        const d = decodeEswifiError({ line: `ERROR: ${text}` });
        wellFormed(d);
        assert.equal(d.code, text);
        assert.equal(d.name, text);
        assert.equal(d.category, category);
        for (const words of hint) assert.match(d.hint, words);
        assert.doesNotMatch(d.name, /unknown eS-WiFi/);
        // The same entry whatever the form: the text alone as code, any case, extra blanks,
        // a ModemError whose code is its kind, the line with CR LF.
        for (const form of [
          { code: text },
          { code: text.toLowerCase() },
          { line: `error: ${text.toUpperCase()}` },
          { line: `ERROR:   ${text.replace(/ /g, '  ')}  ` },
          { code: 'FINAL', line: `ERROR: ${text}` },
          { line: `ERROR: ${text}\r\n` },
        ]) {
          const again = decodeEswifiError(form);
          assert.equal(again.code, text, JSON.stringify(form));
          assert.equal(again.name, d.name, JSON.stringify(form));
          assert.equal(again.hint, d.hint, JSON.stringify(form));
        }
      });
    }

    it('the whole answer of a command (Usage line and prompt included) decodes by its ERROR line', () => {
      const d = decodeEswifiError({ line: '\r\nERROR: DNS Lookup Failed\r\nUsage: D0=<host>\r\n> ' });
      assert.equal(d.code, 'DNS Lookup Failed');
      assert.equal(d.category, 'network');
    });

    it('the ERROR line wins over a bare ERROR code', () => {
      assert.equal(decodeEswifiError({ code: 'ERROR', line: 'ERROR: Socket Not Connected' }).code, 'Socket Not Connected');
    });
  });

  describe('a failed join', () => {
    it('the answer captured on hardware: [JOIN   ] Failed, then ERROR: Unknown Error', () => {
      const d = decodeEswifiError({ line: '\r\n[JOIN   ] Grove Island\r\n[JOIN   ] Failed\r\nERROR: Unknown Error\r\nUsage: C0 \r\n> ' });
      wellFormed(d);
      assert.equal(d.code, 'Unknown Error');
      assert.equal(d.name, 'Wi-Fi join failed');
      assert.equal(d.category, 'network');
      assert.match(d.hint, /wifiSsid/);
      assert.match(d.hint, /wifiPassphrase/);
      assert.match(d.hint, /wifiSecurity/);
      assert.match(d.hint, /2\.4 GHz/);
    });

    it('Unknown Error after C0 is the join; after another command it is the module’s unnamed error', () => {
      const join = decodeEswifiError({ line: 'ERROR: Unknown Error', command: 'C0' });
      assert.equal(join.name, 'Wi-Fi join failed');
      assert.equal(join.code, 'Unknown Error');
      assert.equal(decodeEswifiError({ code: 'FINAL', line: 'ERROR: Unknown Error', command: 'c0' }).name, 'Wi-Fi join failed');
      const other = decodeEswifiError({ line: 'ERROR: Unknown Error', command: 'P6=1' });
      assert.equal(other.name, 'Unknown Error');
      assert.equal(other.category, 'unknown');
      assert.match(other.hint, /^Syntax: P6=<0\|1>/);
    });

    it('the [JOIN   ] Failed progress line alone, in any case and spacing', () => {
      for (const line of ['[JOIN   ] Failed', '[join] failed', '  [JOIN   ] FAILED  ']) {
        const d = decodeEswifiError({ line });
        assert.equal(d.name, 'Wi-Fi join failed', line);
        assert.equal(d.category, 'network');
        assert.equal(d.code, line.trim());
      }
    });

    it('a bare ERROR after C0 is the join too', () => {
      const d = decodeEswifiError({ line: 'ERROR', command: 'C0' });
      assert.equal(d.name, 'Wi-Fi join failed');
      assert.equal(d.code, 'ERROR');
    });
  });

  describe('-1: a send or read on a socket no longer connected', () => {
    it('as a number, as text, as the answer line', () => {
      for (const form of [{ code: -1 }, { code: '-1' }, { line: '-1' }, { code: -1, line: '-1' }, { line: '\r\n-1\r\nOK\r\n> ' }]) {
        const d = decodeEswifiError(form);
        wellFormed(d);
        assert.equal(d.code, -1, JSON.stringify(form));
        assert.equal(d.category, 'state');
        assert.match(d.meaning, /no longer connected/);
        assert.match(d.hint, /tls-open/);
      }
    });

    it('after S3 it says the bytes did not go out; after R0 it does not', () => {
      assert.match(decodeEswifiError({ code: -1, command: 'S3=5 <5 bytes>' }).meaning, /bytes of this send did not reach the server/);
      assert.doesNotMatch(decodeEswifiError({ code: -1, command: 'R0' }).meaning, /bytes of this send/);
    });

    it('-2 or 1 are not -1', () => {
      assert.equal(decodeEswifiError({ code: -2 }).category, 'unknown');
      assert.equal(decodeEswifiError({ code: 1 }).code, 1);
    });
  });

  describe('bare ERROR and Usage lines', () => {
    it('a bare ERROR', () => {
      for (const form of [{ line: 'ERROR' }, { code: 'error' }, { line: 'ERROR:' }, { line: '  ERROR  ' }]) {
        const d = decodeEswifiError(form);
        wellFormed(d);
        assert.equal(d.code, 'ERROR', JSON.stringify(form));
        assert.equal(d.name, 'ERROR');
        assert.match(d.hint, /Usage line/);
      }
    });

    it('a bare ERROR with its command or its Usage line: the hint leads with the syntax', () => {
      assert.match(decodeEswifiError({ line: 'ERROR', command: 'P4=70000' }).hint, /^Syntax: P4=<port>: 1\.\.65535\./);
      assert.match(decodeEswifiError({ line: 'ERROR\r\nUsage: P4=<1..65535>' }).hint, /^Syntax: "P4=<1\.\.65535>"\./);
    });

    it('a Usage line alone points at the command’s syntax', () => {
      const d = decodeEswifiError({ line: 'Usage: P1=<0..3>' });
      wellFormed(d);
      assert.equal(d.name, 'Usage');
      assert.equal(d.code, 'Usage: P1=<0..3>');
      assert.equal(d.category, 'parameter');
      assert.match(d.hint, /"P1=<0\.\.3>"/);
      assert.match(d.hint, /ERROR line/);
      assert.match(decodeEswifiError({ line: 'usage: PG=<set>,<type>,<length>,<data>' }).hint, /PG=<set>,<type>,<length>,<data>/);
    });

    it('Usage: ? follows an unknown command', () => {
      const d = decodeEswifiError({ line: 'Usage: ?' });
      assert.match(d.hint, /did not recognise it/);
      assert.match(d.hint, /without AT/);
    });
  });

  describe('words for the command that failed', () => {
    it('Invalid Parameter: the syntax of every command this package sends leads the hint', () => {
      const commands: Array<[string, RegExp]> = [
        ['C1=home', /C1=<ssid>: the SSID, 1\.\.32 bytes/],
        ['C2=secret-pass', /C2=<passphrase>: empty for an open network, 8\.\.63/],
        ['C3=9', /C3=<security>: 0 open, 1 WEP, 2 WPA, 3 WPA2-AES, 4 WPA2-Mixed/],
        ['C4=2', /C4=<0\|1>/],
        ['D0=', /D0=<host>/],
        ['P0=4', /P0=<socket>: 0\.\.3/],
        ['P1=7', /P1=<protocol>: 0 TCP, 1 UDP, 2 UDP-Lite, 3 TCP with TLS/],
        ['P3=300.1.1.1', /P3=<address>/],
        ['P4=0', /P4=<port>: 1\.\.65535/],
        ['P6=2', /P6=<0\|1>/],
        ['P9=3', /P9=<0\|1\|2>/],
        ['PF=3', /PF=<set>: the certificate set, 0\.\.2/],
        ['PG=0,3,10 <10 bytes>', /PG=<set>,<type>,<length>,<data>/],
        ['S3=0', /S3=<n> followed by exactly n bytes: 1\.\.1460/],
        ['R1=2000', /R1=<n>: read size, 1\.\.1460/],
        ['r2=40000', /R2=<ms>: read timeout, 0\.\.30000 ms/],
      ];
      for (const [command, syntax] of commands) {
        const d = decodeEswifiError({ line: 'ERROR: Invalid Parameter', command });
        assert.equal(d.name, 'Invalid Parameter', command);
        assert.equal(d.category, 'parameter');
        assert.match(d.hint, syntax, command);
        assert.ok(d.hint.startsWith('Syntax: '), command);
      }
      // A command this package does not know keeps the general words.
      assert.equal(decodeEswifiError({ line: 'ERROR: Invalid Parameter', command: 'ZZ=1' }).hint, decodeEswifiError({ line: 'ERROR: Invalid Parameter' }).hint);
    });

    it('Certificate Mismatch after PG names the set and the type', () => {
      const types: Array<[string, string]> = [['0', 'root CA'], ['1', 'certificate'], ['2', 'key']];
      for (const [type, what] of types) {
        const d = decodeEswifiError({ line: 'ERROR: Certificate Mismatch', command: `PG=2,${type},1675 <1675 bytes, secret>` });
        assert.equal(d.code, 'Certificate Mismatch');
        assert.match(d.meaning, new RegExp(`^Set 2 already holds another ${what} `));
        assert.match(d.hint, /one-time programmable/);
        assert.match(d.hint, /only a complete firmware flash/);
      }
    });

    it('SSL Handshake Failed after P6=1: the same entry, with the CA of the set and P9', () => {
      const d = decodeEswifiError({ line: 'ERROR: SSL Handshake Failed', command: 'P6=1' });
      assert.equal(d.code, 'SSL Handshake Failed');
      assert.equal(d.category, 'handshake');
      assert.match(d.hint, /root CA/);
      assert.match(d.hint, /P9/);
      assert.deepEqual(d, decodeEswifiError({ line: 'ERROR: SSL Handshake Failed' }));
    });
  });

  describe('unknown texts', () => {
    it('an ERROR text the package does not know: its text is the code', () => {
      const d = decodeEswifiError({ line: 'ERROR: Out Of Memory' });
      wellFormed(d);
      assert.equal(d.code, 'Out Of Memory');
      assert.equal(d.name, 'unknown eS-WiFi error');
      assert.equal(d.category, 'unknown');
      assert.match(d.hint, /Usage line/);
      assert.match(d.hint, /AT trace/);
    });

    it('with a command, the hint leads with its syntax', () => {
      assert.match(decodeEswifiError({ line: 'ERROR: Out Of Memory', command: 'S3=10 <10 bytes>' }).hint, /^Syntax: S3=<n>/);
    });

    it('text that is no error answer, a number, and nothing at all', () => {
      const d = decodeEswifiError({ line: 'NO CARRIER' });
      wellFormed(d);
      assert.equal(d.code, 'NO CARRIER');
      assert.equal(d.category, 'unknown');
      assert.match(d.meaning, /ERROR: <text>/);
      assert.equal(decodeEswifiError({ code: 839 }).code, 839);
      const empty = decodeEswifiError({});
      wellFormed(empty);
      assert.equal(empty.code, 'unknown');
      assert.equal(empty.category, 'unknown');
      assert.equal(decodeEswifiError({ code: '  ', line: '' }).code, 'unknown');
    });
  });

  describe('no passphrase repeated', () => {
    const SECRET = 'Tr0ub4dor&3-horse';
    const forms = [
      { line: `C2=${SECRET}` },
      { code: `C2=${SECRET}` },
      { line: `ERROR: Invalid Parameter`, command: `C2=${SECRET}` },
      { line: 'ERROR', command: `C2=${SECRET}` },
      { line: 'ERROR: Unknown Command', command: `c2=${SECRET}` },
      { code: 'FINAL', line: `ERROR: something C2=${SECRET}`, command: `C2=${SECRET}` },
      { line: `\r\nERROR: Invalid Parameter\r\nUsage: C2=${SECRET}\r\n> `, command: 'C2=***' },
      { line: `Usage: C2=${SECRET}` },
    ];
    for (const form of forms) {
      it(JSON.stringify(form).replace(SECRET, '<secret>').replace(SECRET, '<secret>'), () => {
        const d = decodeEswifiError(form);
        wellFormed(d);
        assert.doesNotMatch(JSON.stringify(d), new RegExp(SECRET.replace(/[&]/g, '\\$&')), 'not in code, name, meaning or hint');
        assert.ok(!d.hint.includes(SECRET) && !d.meaning.includes(SECRET));
      });
    }

    it('the masked form is what an unknown C2 line leaves in the code', () => {
      assert.equal(decodeEswifiError({ line: `C2=${SECRET}` }).code, 'C2=***');
    });
  });
});
