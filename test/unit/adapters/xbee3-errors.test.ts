/**
 * The XBee3 error decoder: every form the adapter puts in msg.modemError (`0x<frame>:0x<status>`
 * of the response frames, `Socket Status 0x08` lines, file-system `E…` lines, command-mode `ERROR`
 * with its command, `CI:0x2F`), what people type into the error-decode node (`0x86`, `86`,
 * `ENOENT`, `ERROR`), every status of every table of api-frames.ts, and unknown codes.
 */
import { strict as assert } from 'node:assert';
import type { DecodedError } from '../../../src/adapters/adapter';
import {
  AT_STATUS_TEXT,
  CLOSE_STATUS_TEXT,
  CONNECT_STATUS_TEXT,
  CREATE_STATUS_TEXT,
  OPTION_STATUS_TEXT,
  SOCKET_STATUS_TEXT,
  TRANSMIT_STATUS_TEXT,
} from '../../../src/adapters/xbee3/api-frames';
import { CI_STATUS_TEXT, decodeXbee3Error } from '../../../src/adapters/xbee3/errors';

const CATEGORIES = ['certificate', 'handshake', 'network', 'state', 'parameter', 'link', 'modem', 'unknown'];
const hex2 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;

function wellFormed(d: DecodedError): void {
  assert.equal(d.vendor, 'xbee3');
  assert.ok(d.name.length > 0, 'a name');
  assert.ok(d.meaning.length > 0, 'a meaning');
  assert.ok(d.hint.length > 0, 'a hint');
  assert.ok(CATEGORIES.includes(d.category), `category ${d.category}`);
}

describe('xbee3 errors: decodeXbee3Error', () => {
  describe('every status of every frame table', () => {
    const tables: Array<[string, number, Readonly<Record<number, string>>]> = [
      ['Socket Create Response', 0xc0, CREATE_STATUS_TEXT],
      ['Socket Option Response', 0xc1, OPTION_STATUS_TEXT],
      ['Socket Connect Response', 0xc2, CONNECT_STATUS_TEXT],
      ['Socket Close Response', 0xc3, CLOSE_STATUS_TEXT],
      ['Transmit Status', 0x89, TRANSMIT_STATUS_TEXT],
      ['Socket Status', 0xcf, SOCKET_STATUS_TEXT],
      ['AT Command Response', 0x88, AT_STATUS_TEXT],
    ];
    for (const [name, type, table] of tables) {
      it(`${name} (${hex2(type)}): all ${Object.keys(table).length} statuses, as code and as line`, () => {
        for (const [key, text] of Object.entries(table)) {
          const status = Number(key);
          const code = `${hex2(type)}:${hex2(status)}`;
          const d = decodeXbee3Error({ code });
          wellFormed(d);
          assert.equal(d.code, code);
          // The guide's name; a TLS socket's 0x08 says what it means there after it.
          assert.ok(d.name === text || d.name.startsWith(`${text} (`), `${code} is named as in the guide: ${d.name}`);
          assert.doesNotMatch(d.name, /unknown XBee3/);
          // The line alone decodes the same way (lower-case codes, no padding too).
          const byLine = decodeXbee3Error({ line: `${name} ${hex2(status)}` });
          assert.equal(byLine.code, code, `line "${name} ${hex2(status)}"`);
          assert.equal(byLine.hint, d.hint);
          assert.equal(decodeXbee3Error({ code: `0x${type.toString(16)}:0x${status.toString(16)}` }).code, code);
        }
      });
    }

    it(`CI (transparent mode): all ${Object.keys(CI_STATUS_TEXT).length} values`, () => {
      for (const [key, text] of Object.entries(CI_STATUS_TEXT)) {
        const code = `CI:${hex2(Number(key))}`;
        const d = decodeXbee3Error({ code });
        wellFormed(d);
        assert.equal(d.code, code);
        assert.equal(d.name, text);
      }
    });

    it('status 0x00 of each table is no failure', () => {
      for (const code of ['0xC0:0x00', '0xC2:0x00', '0x89:0x00', '0xCF:0x00', 'CI:0x00']) {
        assert.match(decodeXbee3Error({ code }).meaning, /not a failure/, code);
      }
    });
  });

  describe('what the adapter reports', () => {
    it('0xCF:0x08 is the TLS handshake failure: the hint names the CA, the client certificate and key, TL and missing files', () => {
      const d = decodeXbee3Error({ code: '0xCF:0x08', line: 'Socket Status 0x08', command: 'Socket Connect (0x42)' });
      assert.equal(d.code, '0xCF:0x08');
      assert.equal(d.name, 'unknown error (on a TLS socket: the handshake failed)');
      assert.equal(d.category, 'handshake');
      assert.match(d.hint, /\bCA\b/);
      assert.match(d.hint, /self-signed root/);
      assert.match(d.hint, /client certificate and key/);
      assert.match(d.hint, /\bTL\b/);
      assert.match(d.hint, /present|missing/);
      assert.match(d.meaning, /handshake/);
      assert.doesNotMatch(d.meaning, /simulator/);
    });

    it('0xC0:0x32 (Socket Create Response, resource error)', () => {
      const d = decodeXbee3Error({ code: '0xC0:0x32', line: 'status 0x32', command: 'Socket Create (0x40)' });
      assert.equal(d.name, 'resource error, retry later');
      assert.equal(d.category, 'state');
      assert.match(d.meaning, /^Socket Create Response 0x32/);
    });

    it('0xC1:0x01, 0xC2:0x02, 0xC3:0x20 and 0x88:0x03', () => {
      assert.equal(decodeXbee3Error({ code: '0xC1:0x01', line: 'status 0x01' }).category, 'parameter');
      assert.equal(decodeXbee3Error({ code: '0xC2:0x02', line: 'status 0x02' }).name, 'invalid parameter (address or port)');
      assert.equal(decodeXbee3Error({ code: '0xC3:0x20', line: 'status 0x20' }).name, 'bad socket id');
      const at = decodeXbee3Error({ code: '0x88:0x03' });
      assert.equal(at.name, 'invalid parameter');
      assert.equal(at.category, 'parameter');
    });

    it('0x89:0x86 after Socket Send: invalid TLS configuration, a certificate matter', () => {
      const d = decodeXbee3Error({ code: '0x89:0x86', line: 'Transmit Status 0x86', command: 'Socket Send (0x44)' });
      assert.equal(d.code, '0x89:0x86');
      assert.equal(d.category, 'certificate');
      assert.match(d.hint, /ATFS LS/);
      assert.equal(decodeXbee3Error({ code: '0x89:0x8B' }).category, 'certificate');
    });

    it('a ModemError JSON whose code is its kind decodes by its line', () => {
      assert.equal(decodeXbee3Error({ code: 'FINAL', line: 'Socket Status 0x02' }).code, '0xCF:0x02');
      assert.equal(decodeXbee3Error({ code: 'FINAL', line: 'ERROR', command: 'ATTL2' }).name, 'TLS version refused');
    });

    it('a bare status takes the frame the command names', () => {
      assert.equal(decodeXbee3Error({ line: 'status 0x32', command: 'Socket Create (0x40)' }).code, '0xC0:0x32');
      assert.equal(decodeXbee3Error({ line: 'status 0x20', command: 'Socket Close (0x43)' }).code, '0xC3:0x20');
      assert.equal(decodeXbee3Error({ line: 'status 0x01', command: 'Socket Option (0x41)' }).code, '0xC1:0x01');
      assert.equal(decodeXbee3Error({ code: '2F', command: 'ATCI' }).code, 'CI:0x2F');
    });
  });

  describe('file-system error lines', () => {
    const lines = [
      ['ENOENT No such file or directory', 'parameter'],
      ['EEXIST File exists', 'state'],
      ['ENOTEMPTY Directory not empty', 'state'],
      ['EINVAL Invalid argument', 'parameter'],
      ['ENAMETOOLONG Name too long', 'parameter'],
      ['ENOSPC No space left on device', 'state'],
      ['EACCES Secure file', 'certificate'],
      ['ETIMEDOUT Transfer timed out', 'link'],
      ['ECANCELED Transfer cancelled', 'link'],
    ] as const;
    for (const [line, category] of lines) {
      it(`${line}`, () => {
        const d = decodeXbee3Error({ code: line, line, command: 'ATFS PUT certs/ca.pem' });
        wellFormed(d);
        assert.equal(d.code, line);
        assert.equal(d.category, category);
        assert.ok(d.meaning.startsWith(line.split(' ')[0]), d.meaning);
        assert.doesNotMatch(d.name, /unknown/);
        // The code word alone, as typed into the decode node.
        const word = decodeXbee3Error({ line: line.split(' ')[0] });
        assert.equal(word.name, d.name);
        assert.equal(word.code, line.split(' ')[0]);
      });
    }

    it('ENOSPC tells to remove files', () => {
      assert.match(decodeXbee3Error({ code: 'ENOSPC No space left on device' }).hint, /ATFS RM/);
    });

    it('an unknown E-code gets a generic file-system entry', () => {
      const d = decodeXbee3Error({ code: 'EIO Input/output error' });
      wellFormed(d);
      assert.equal(d.code, 'EIO Input/output error');
      assert.equal(d.name, 'file-system error EIO');
      assert.equal(d.category, 'unknown');
      assert.match(d.hint, /Error responses/);
    });
  });

  describe('command-mode ERROR', () => {
    it('without a command: refused, unknown command or value out of range', () => {
      const d = decodeXbee3Error({ line: 'ERROR' });
      wellFormed(d);
      assert.equal(d.code, 'ERROR');
      assert.equal(d.name, 'ERROR');
      assert.match(d.meaning, /refused the command: unknown command or a value out of range/);
    });

    it('AT$0..AT$2: exactly two semicolons', () => {
      for (const command of ['AT$0certs/ca.pem;;', 'AT$1 ca.pem;c.pem;k.pem', 'at$2;;']) {
        const d = decodeXbee3Error({ code: 'ERROR', line: 'ERROR', command });
        assert.equal(d.name, 'TLS profile refused', command);
        assert.match(d.hint, /<ca>;<cert>;<key>/);
        assert.match(d.hint, /exactly two semicolons/);
        assert.match(d.hint, /client-only/);
      }
      assert.equal(decodeXbee3Error({ line: 'ERROR', command: 'AT$3;;' }).name, 'no such TLS profile');
    });

    it('ATTL, ATAP, ATDL, ATDE and ATFS', () => {
      assert.match(decodeXbee3Error({ line: 'ERROR', command: 'ATTL7' }).hint, /TLS 1\.2/);
      assert.match(decodeXbee3Error({ line: 'ERROR', command: 'ATAP3' }).hint, /API with escapes/);
      assert.equal(decodeXbee3Error({ line: 'ERROR', command: 'ATDLexample.com' }).name, 'destination refused');
      assert.match(decodeXbee3Error({ line: 'ERROR', command: 'ATDE1BBBB' }).hint, /1BB/);
      assert.match(decodeXbee3Error({ line: 'ERROR', command: 'ATFS FOO' }).hint, /ATFS alone lists/);
    });

    it('another command keeps the general words', () => {
      const d = decodeXbee3Error({ line: 'ERROR', command: 'ATNIfoo' });
      assert.equal(d.name, 'ERROR');
      assert.match(d.hint, /hex digits/);
    });

    it('AT Command Response errors get the hint of their command', () => {
      assert.equal(decodeXbee3Error({ code: '0x88:0x03', command: 'ATTL9' }).hint, decodeXbee3Error({ line: 'ERROR', command: 'ATTL9' }).hint);
    });
  });

  describe('transparent-mode CI', () => {
    it('CI:0x2F is the TLS authentication error and names the CA', () => {
      const d = decodeXbee3Error({ code: 'CI:0x2F' });
      assert.equal(d.name, 'TLS socket authentication error');
      assert.equal(d.category, 'certificate');
      assert.match(d.hint, /\bCA\b/);
      assert.equal(decodeXbee3Error({ line: 'CI 2f' }).code, 'CI:0x2F');
    });
  });

  describe('what people type', () => {
    it('0x86 alone: Transmit Status first', () => {
      assert.equal(decodeXbee3Error({ line: '0x86' }).code, '0x89:0x86');
      assert.equal(decodeXbee3Error({ code: '0x86' }).code, '0x89:0x86');
    });

    it('86 (the node passes it as a number and as the line)', () => {
      assert.equal(decodeXbee3Error({ code: 86, line: '86' }).code, '0x89:0x86');
      assert.equal(decodeXbee3Error({ code: 86 }).code, '0x89:0x86');
    });

    it('a status only Socket Status has: 0x08, 8, 0x0C', () => {
      assert.equal(decodeXbee3Error({ line: '0x08' }).code, '0xCF:0x08');
      assert.equal(decodeXbee3Error({ code: 8, line: '08' }).code, '0xCF:0x08');
      assert.equal(decodeXbee3Error({ line: '0x0c' }).code, '0xCF:0x0C');
    });

    it('Transmit Status 0x86 and Socket Status 0x08 as lines', () => {
      assert.equal(decodeXbee3Error({ line: 'Transmit Status 0x86' }).code, '0x89:0x86');
      assert.equal(decodeXbee3Error({ line: 'socket status 8' }).code, '0xCF:0x08');
      assert.match(decodeXbee3Error({ line: 'Socket Status 0x08' }).hint, /\bCA\b/);
    });

    it('ENOENT and ERROR', () => {
      assert.equal(decodeXbee3Error({ line: 'ENOENT' }).name, 'no such file or directory');
      assert.equal(decodeXbee3Error({ line: 'ERROR' }).name, 'ERROR');
      assert.equal(decodeXbee3Error({ line: 'error' }).name, 'ERROR');
    });
  });

  describe('unknown codes', () => {
    it('a byte no table knows', () => {
      const d = decodeXbee3Error({ line: '0x99' });
      wellFormed(d);
      assert.equal(d.category, 'unknown');
      assert.match(d.name, /unknown XBee3 status/);
      assert.match(d.hint, /XBee3 Cellular User Guide/);
    });

    it('a status a frame table does not know names the guide page', () => {
      const d = decodeXbee3Error({ code: '0x89:0x99' });
      assert.equal(d.code, '0x89:0x99');
      assert.equal(d.category, 'unknown');
      assert.match(d.name, /unknown XBee3 status/);
      assert.match(d.hint, /Transmit Status - 0x89/);
      assert.match(decodeXbee3Error({ code: 'CI:0x77' }).hint, /CI \(Protocol\/Connection Indication\)/);
      assert.match(decodeXbee3Error({ code: '0x12:0x01' }).name, /unknown XBee3 status/);
    });

    it('text the decoder does not know, and nothing at all', () => {
      const d = decodeXbee3Error({ line: 'NO CARRIER' });
      wellFormed(d);
      assert.equal(d.code, 'NO CARRIER');
      assert.equal(d.name, 'unknown XBee3 status');
      assert.equal(d.category, 'unknown');
      assert.match(d.hint, /XBee3 Cellular User Guide/);
      const empty = decodeXbee3Error({});
      assert.equal(empty.code, 'unknown');
      assert.equal(empty.category, 'unknown');
    });
  });
});
