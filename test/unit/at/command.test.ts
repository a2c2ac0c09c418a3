/**
 * Command lines from typed parameters, raw command checks, and the generic field parser.
 * The injection cases are the point: a value from a flow must never end its parameter,
 * end the command, or start another one on the modem.
 */
import { strict as assert } from 'node:assert';
import { buildCommand, checkRawCommand, encodeCommandLine, encodeText, p, parseLine, readCommand, splitFields, testCommand, ModemError, REDACTED } from '../../../src/at';

/** Runs `fn`, expects a PARAMETER ModemError and returns it. */
function parameterError(fn: () => unknown): ModemError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ModemError, `expected a ModemError, got ${String(err)}`);
    assert.equal(err.kind, 'PARAMETER');
    return err;
  }
  assert.fail('expected a PARAMETER error');
}

describe('AT command lines', () => {
  describe('p.int', () => {
    it('takes whole numbers, and whole numbers written as text (from a msg property)', () => {
      assert.deepEqual(p.int('port', 443), { type: 'int', name: 'port', value: 443 });
      assert.equal(p.int('port', ' 443 ').value, 443);
      assert.equal(p.int('offset', '-3').value, -3);
      assert.equal(p.int('SSId', 0).value, 0);
    });

    it('refuses what is not a whole number, naming the field and what it got', () => {
      for (const [value, got] of [
        [1.5, 'number 1.5'],
        ['443x', '"443x"'],
        ['', '""'],
        [NaN, 'number NaN'],
        [null, 'null'],
        [undefined, 'nothing'],
        [{}, 'an object'],
        [[1], 'a list'],
      ] as const) {
        const err = parameterError(() => p.int('port', value));
        assert.equal(err.field, 'port');
        assert.equal(err.message, `port: must be a whole number, got ${got}`);
      }
    });

    it('names the limit that was broken (Telit <SSId> 1-6, #SSLCFG ranges)', () => {
      assert.equal(parameterError(() => p.int('SSId', 7, { min: 1, max: 6 })).message, 'SSId: 7 is above the maximum 6 (range 1..6)');
      assert.equal(parameterError(() => p.int('SSId', 0, { min: 1, max: 6 })).message, 'SSId: 0 is below the minimum 1 (range 1..6)');
      assert.equal(parameterError(() => p.int('timeout', -1, { min: 0 })).message, 'timeout: -1 is below the minimum 0');
      assert.equal(parameterError(() => p.int('sslSRingMode', 3, { oneOf: [0, 1, 2] })).message, 'sslSRingMode: 3 is not allowed (one of 0, 1, 2)');
      assert.equal(p.int('SSId', 6, { min: 1, max: 6 }).value, 6);
    });
  });

  describe('p.str', () => {
    it('takes text and measures its limits in UTF-8 bytes', () => {
      assert.deepEqual(p.str('host', 'example.com'), { type: 'str', name: 'host', value: 'example.com', secret: undefined });
      assert.equal(p.str('name', 'é', { maxLength: 2, charset: 'printable-unicode' }).value, 'é');
      assert.equal(parameterError(() => p.str('name', 'éé', { maxLength: 3, charset: 'printable-unicode' })).message, 'name: is 4 bytes long, the limit is 3');
      assert.equal(parameterError(() => p.str('name', '', { minLength: 1 })).message, 'name: is 0 bytes long, it must be at least 1');
      assert.equal(
        parameterError(() => p.str('host', 'no spaces please', { pattern: /^\S+$/, patternHint: 'must be a host name or an IP address' })).message,
        'host: must be a host name or an IP address',
      );
    });

    it('refuses a value that is not text', () => {
      const err = parameterError(() => p.str('host', 42));
      assert.equal(err.field, 'host');
      assert.equal(err.message, 'host: must be text, got number 42');
    });

    const injections: Array<[string, string, RegExp]> = [
      ['a double quote', 'evil",1,"x', /must not contain a double quote \(\"\)/],
      ['a CR', 'evil\rAT+CFUN=0', /must not contain carriage return \(CR\) \(found at position 4\)/],
      ['an LF', 'evil\nAT+CFUN=0', /must not contain line feed \(LF\) \(found at position 4\)/],
      ['a Ctrl-Z', 'evil\x1a', /must not contain Ctrl-Z \(found at position 4\)/],
      ['an ESC', '\x1bevil', /must not contain ESC \(found at position 0\)/],
      // V.250 S5: the modem's command line editor would delete the opening quote and more.
      ['a backspace', 'x\b\b\b\b+CFUN=0;', /must not contain control character 0x08 \(found at position 1\)/],
      ['a NUL', 'ev\x00il', /must not contain control character 0x00 \(found at position 2\)/],
      ['a DEL', 'evil\x7f', /must not contain control character 0x7f \(found at position 4\)/],
    ];
    for (const [what, value, problem] of injections) {
      it(`refuses ${what} (AT injection), naming the parameter and the problem`, () => {
        const err = parameterError(() => p.str('hostname', value));
        assert.equal(err.field, 'hostname');
        assert.match(err.message, /^hostname: /);
        assert.match(err.message, problem);
      });
    }

    it('never puts a secret\'s value, or where the bad character is, in the error', () => {
      for (const [, value] of injections) {
        const secret = `hunter2${value}`;
        const err = parameterError(() => p.str('password', secret, { secret: true }));
        assert.equal(err.field, 'password');
        assert.match(err.message, /^password: must not contain /);
        assert.doesNotMatch(err.message, /position/);
        const json = JSON.stringify(err.toJSON());
        assert.ok(!json.includes('hunter2') && !err.message.includes('hunter2'), json);
      }
      const tooLong = parameterError(() => p.str('password', 'hunter2', { secret: true, maxLength: 4 }));
      assert.ok(!tooLong.message.includes('hunter2'));
    });

    it('never echoes a secret given as a number or another non-text value', () => {
      const err = parameterError(() => p.str('pin', 4711, { secret: true }));
      assert.equal(err.field, 'pin');
      assert.match(err.message, /^pin: must be text, got /);
      assert.ok(!err.message.includes('4711'), err.message);
      const token = parameterError(() => p.token('psk', true, { secret: true }));
      assert.ok(!token.message.includes('true'), token.message);
    });
  });

  describe('p.token', () => {
    it('takes bare words and numbers (a cipher suite id)', () => {
      assert.deepEqual(p.token('cipher', '0x002F'), { type: 'token', name: 'cipher', value: '0x002F', secret: undefined });
      assert.equal(p.token('level', 3).value, '3');
    });

    it('refuses anything that could leave the parameter: comma, quote, space, line endings', () => {
      for (const value of ['1,2', 'a"b', 'a b', 'x\r', 'x\n', 'x\x1a', 'x;AT']) {
        const err = parameterError(() => p.token('cipher', value));
        assert.equal(err.field, 'cipher');
        assert.equal(err.message, 'cipher: may only contain letters, digits and . _ : + -');
      }
    });
  });

  describe('optional parameters', () => {
    it('p.optInt omits undefined, null and empty text, and checks anything else', () => {
      assert.deepEqual(p.optInt('timeout', undefined), { type: 'omit' });
      assert.deepEqual(p.optInt('timeout', null), { type: 'omit' });
      assert.deepEqual(p.optInt('timeout', ''), { type: 'omit' });
      assert.deepEqual(p.optInt('timeout', '50'), { type: 'int', name: 'timeout', value: 50 });
      assert.equal(parameterError(() => p.optInt('timeout', 'soon')).field, 'timeout');
    });

    it('p.optStr omits undefined and null, but keeps the empty string as a value', () => {
      assert.deepEqual(p.optStr('apn', undefined), { type: 'omit' });
      assert.deepEqual(p.optStr('apn', null), { type: 'omit' });
      assert.deepEqual(p.optStr('apn', ''), { type: 'str', name: 'apn', value: '', secret: undefined });
      assert.equal(parameterError(() => p.optStr('apn', 'a"b')).field, 'apn');
    });
  });

  describe('buildCommand', () => {
    it('renders a set command with ints, quoted strings and tokens (Telit 7.4.2)', () => {
      const line = buildCommand('#SSLD', [p.int('SSId', 1), p.int('port', 443), p.str('host', '123.124.125.126'), p.int('closure', 0), p.int('mode', 1)]);
      assert.deepEqual(line, { text: 'AT#SSLD=1,443,"123.124.125.126",0,1', display: 'AT#SSLD=1,443,"123.124.125.126",0,1' });
      assert.equal(buildCommand('+USECPRF', [p.int('profile', 0), p.int('op', 2), p.token('cipher', '0x002F')]).text, 'AT+USECPRF=0,2,0x002F');
    });

    it('renders an omitted middle parameter as nothing between commas, and drops trailing ones', () => {
      assert.equal(
        buildCommand('#SSLCFG', [p.int('SSId', 1), p.int('cid', 1), p.omit(), p.optInt('connTo', 90), p.optInt('txTo', undefined), p.omit()]).text,
        'AT#SSLCFG=1,1,,90',
      );
      assert.equal(buildCommand('#SSLRECV', [p.int('SSId', 1), p.int('maxBytes', 15), p.optInt('timeout', undefined)]).text, 'AT#SSLRECV=1,15');
      assert.equal(buildCommand('+CGMM', [p.omit(), p.omit()]).text, 'AT+CGMM');
    });

    it('renders the action form without parameters', () => {
      assert.deepEqual(buildCommand('+CGMM'), { text: 'AT+CGMM', display: 'AT+CGMM' });
      assert.deepEqual(buildCommand('E0'), { text: 'ATE0', display: 'ATE0' });
    });

    it('renders readCommand as AT<name>? and testCommand as AT<name>=? (Telit 6.8.3.1)', () => {
      assert.deepEqual(readCommand('#SSLEN'), { text: 'AT#SSLEN?', display: 'AT#SSLEN?' });
      assert.deepEqual(testCommand('#SSLEN'), { text: 'AT#SSLEN=?', display: 'AT#SSLEN=?' });
    });

    it('keeps the real value in the text and *** in the display form for secrets', () => {
      const line = buildCommand('#MQCONN', [p.int('instance', 1), p.str('clientId', 'gw-7'), p.str('user', 'ops'), p.str('password', 'hunter2', { secret: true })]);
      assert.equal(line.text, 'AT#MQCONN=1,"gw-7","ops","hunter2"');
      assert.equal(line.display, `AT#MQCONN=1,"gw-7","ops","${REDACTED}"`);
      const token = buildCommand('+UPSK', [p.int('profile', 0), p.token('psk', 'DEADBEEF', { secret: true })]);
      assert.equal(token.text, 'AT+UPSK=0,DEADBEEF');
      assert.equal(token.display, 'AT+UPSK=0,***');
    });

    it('refuses a command name that is not one, naming the field "command"', () => {
      for (const name of ['', '+CGMM\r', '+CGMM;+CFUN=0', '+CGMM=1', '#SSL D', 'X"']) {
        const err = parameterError(() => buildCommand(name));
        assert.equal(err.field, 'command');
        assert.match(err.message, /is not a valid command name/);
      }
    });
  });

  describe('commands without the AT prefix, values without quotes (Inventek eS-WiFi)', () => {
    it('renders `C1=<ssid>` with the value as it is — spaces, commas and quotes are text — and the action and read forms bare', () => {
      const join = buildCommand('C1', [p.unquoted('wifiSsid', 'Grove "Island", 2nd floor')], { prefix: '' });
      assert.deepEqual(join, { text: 'C1=Grove "Island", 2nd floor', display: 'C1=Grove "Island", 2nd floor' });
      assert.deepEqual(buildCommand('PG', [p.int('set', 0), p.int('type', 2), p.int('length', 1675)], { prefix: '' }), { text: 'PG=0,2,1675', display: 'PG=0,2,1675' });
      assert.deepEqual(buildCommand('C0', [], { prefix: '' }), { text: 'C0', display: 'C0' });
      assert.deepEqual(readCommand('P', { prefix: '' }), { text: 'P?', display: 'P?' });
      assert.equal(buildCommand('+CGMM').text, 'AT+CGMM', 'the AT prefix stays the default');
    });

    it('masks a secret unquoted value whole in the display form, and an empty value stays a value', () => {
      const line = buildCommand('C2', [p.unquoted('wifiPassphrase', 'pa,ss "word"', { secret: true })], { prefix: '' });
      assert.equal(line.text, 'C2=pa,ss "word"');
      assert.equal(line.display, `C2=${REDACTED}`);
      assert.equal(buildCommand('C2', [p.unquoted('wifiPassphrase', '', { secret: true })], { prefix: '' }).text, 'C2=');
    });

    it('refuses control characters and the limits like p.str, never echoing a secret', () => {
      assert.equal(parameterError(() => p.unquoted('wifiSsid', 'a\rP6=0')).message, 'wifiSsid: must not contain carriage return (CR) (found at position 1)');
      assert.equal(parameterError(() => p.unquoted('wifiPassphrase', 'se\ncret', { secret: true })).message, 'wifiPassphrase: must not contain line feed (LF)');
      assert.equal(parameterError(() => p.unquoted('wifiPassphrase', 12345678, { secret: true })).message, 'wifiPassphrase: must be text, got a number');
      assert.equal(parameterError(() => p.unquoted('wifiSsid', 'x'.repeat(33), { maxLength: 32 })).message, 'wifiSsid: is 33 bytes long, the limit is 32');
      assert.match(parameterError(() => p.unquoted('wifiSsid', 'caf\u00e9')).message, /printable ASCII/);
    });

    it('a UTF-8 value, where the charset allows it, makes the line UTF-8', () => {
      const line = buildCommand('C1', [p.unquoted('wifiSsid', 'café', { charset: 'printable-unicode', maxLength: 32 })], { prefix: '' });
      assert.equal(line.charset, 'printable-unicode');
      assert.deepEqual(encodeCommandLine(line, '\r'), Buffer.from('C1=café\r', 'utf8'));
    });
  });

  describe('checkRawCommand (the modem-at-command node)', () => {
    it('takes one command line, quotes included, and trims surrounding blanks and a trailing line ending', () => {
      assert.equal(checkRawCommand('msg.payload', 'AT#SSLD=1,443,"123.124.125.126",0,1'), 'AT#SSLD=1,443,"123.124.125.126",0,1');
      assert.equal(checkRawCommand('msg.payload', '  ATI\r\n'), 'ATI');
      assert.equal(checkRawCommand('msg.payload', 'AT+CGMM\r'), 'AT+CGMM');
      assert.equal(checkRawCommand('msg.payload', 'AT+CGMM \n'), 'AT+CGMM');
    });

    it('refuses a line ending inside the line: it would be two commands', () => {
      for (const [line, problem] of [
        ['AT\rAT+CFUN=0', /carriage return \(CR\) \(found at position 2\)/],
        ['AT\nAT+CFUN=0', /line feed \(LF\) \(found at position 2\)/],
        ['AT\r\nAT+CFUN=0\r\n', /carriage return/],
      ] as const) {
        const err = parameterError(() => checkRawCommand('msg.payload', line));
        assert.equal(err.field, 'msg.payload');
        assert.match(err.message, problem);
      }
    });

    it('refuses Ctrl-Z, ESC and every other control character', () => {
      assert.match(parameterError(() => checkRawCommand('msg.payload', 'AT\x1a')).message, /Ctrl-Z/);
      assert.match(parameterError(() => checkRawCommand('msg.payload', '\x1bAT')).message, /ESC/);
      assert.equal(parameterError(() => checkRawCommand('msg.payload', 'AT\x00I')).message, 'msg.payload: must not contain control character 0x00 (found at position 2)');
      assert.match(parameterError(() => checkRawCommand('msg.payload', 'AT\tI')).message, /control character 0x09/);
      assert.match(parameterError(() => checkRawCommand('msg.payload', 'AT\x08I')).message, /control character 0x08/);
      assert.match(parameterError(() => checkRawCommand('msg.payload', 'ATI\x7f')).message, /control character 0x7f/);
    });

    it('a line holding a secret (its redacted form differs) is refused without naming its character or where it is', () => {
      const redact = (text: string): string => text.replace(/^(AT\+CGAUTH=\d+,\d+,"[^"]*",)"[^"]*"/i, '$1"***"');
      const err = parameterError(() => checkRawCommand('command', 'AT+CGAUTH=1,1,"user","pässwörd"', redact));
      assert.equal(err.message, 'command: may hold only printable ASCII characters (space to ~); it contains another character');
      // Without a secret the character is named, as before.
      assert.match(parameterError(() => checkRawCommand('command', 'AT+COPS="Telekom Č"', redact)).message, /"Č" \(U\+010C\) at position 17/);
    });

    it('refuses an empty line, a line that is not text, and a line over 1024 characters', () => {
      assert.equal(parameterError(() => checkRawCommand('msg.payload', '')).message, 'msg.payload: is empty; send a command such as ATI');
      assert.match(parameterError(() => checkRawCommand('msg.payload', ' \t\r\n')).message, /is empty/);
      assert.match(parameterError(() => checkRawCommand('msg.payload', 42)).message, /must be a command line as text, got number 42/);
      assert.match(parameterError(() => checkRawCommand('msg.payload', Buffer.from('ATI'))).message, /must be a command line as text/);
      assert.match(parameterError(() => checkRawCommand('msg.payload', 'AT' + 'I'.repeat(1023))).message, /is 1025 characters long, the limit is 1024/);
      assert.equal(checkRawCommand('msg.payload', 'AT' + 'I'.repeat(1022)).length, 1024);
    });
  });

  describe('no character becomes another byte', () => {
    // latin1 keeps only the low byte of each UTF-16 code unit: these pass a naive control-character
    // check and then reach the modem as CR, Ctrl-Z and a double quote.
    const smugglers: Array<[string, string]> = [
      ['\u010d', 'CR'],
      ['\u011a', 'Ctrl-Z'],
      ['\u0122', 'double quote'],
      ['\u010a', 'LF'],
      ['\u011b', 'ESC'],
    ];

    for (const [char, becomes] of smugglers) {
      const code = `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      const codePattern = code.replace('+', '\\+');
      it(`p.str refuses ${code} (it would be sent as ${becomes}), naming the field and the character`, () => {
        const err = parameterError(() => p.str('hostname', `a${char},1,${char}X`));
        assert.equal(err.field, 'hostname');
        assert.match(err.message, new RegExp(`^hostname: may hold only printable ASCII .*${codePattern}\\) at position 1 is not one$`));
      });

      it(`checkRawCommand refuses ${code} inside a raw line`, () => {
        const err = parameterError(() => checkRawCommand('msg.payload', `AT+CGMM${char}AT+X=5`));
        assert.equal(err.field, 'msg.payload');
        assert.match(err.message, new RegExp(`${codePattern}\\) at position 7`));
      });
    }

    it('refuses a name with letters and symbols beyond ASCII, naming the first one', () => {
      const err = parameterError(() => p.str('name', 'zertifikat-ü-😀'));
      assert.equal(err.message, 'name: may hold only printable ASCII characters (space to ~); "ü" (U+00FC) at position 11 is not one');
    });

    it('never shows a secret’s character, only that one is not allowed', () => {
      const err = parameterError(() => p.str('psk', 'geheim-ß', { secret: true }));
      assert.equal(err.message, 'psk: may hold only printable ASCII characters (space to ~); it contains another character');
      assert.doesNotMatch(err.message, /ß|00DF|position/);
    });

    it('every UTF-16 code unit beyond ~ is refused in an ASCII parameter; everything accepted encodes to itself', () => {
      for (let c = 0; c <= 0xffff; c++) {
        const value = `x${String.fromCharCode(c)}y`;
        let line;
        try {
          line = buildCommand('+X', [p.str('v', value)]);
        } catch (err) {
          assert.ok(err instanceof ModemError && err.kind === 'PARAMETER', `U+${c.toString(16)}: ${String(err)}`);
          continue;
        }
        assert.ok(c >= 0x20 && c <= 0x7e && c !== 0x22, `U+${c.toString(16)} was accepted`);
        const bytes = encodeCommandLine(line, '\r');
        assert.equal(bytes.length, line.text.length + 1);
        assert.equal(bytes.toString('latin1'), `${line.text}\r`);
      }
    });

    it('a UTF-8 parameter, where a manual allows one, is sent as UTF-8 byte for byte', () => {
      const line = buildCommand('+X', [p.int('id', 1), p.str('ssid', 'Café 😀', { charset: 'printable-unicode' })]);
      assert.equal(line.charset, 'printable-unicode');
      assert.deepEqual(encodeCommandLine(line, '\r'), Buffer.concat([Buffer.from('AT+X=1,"Café 😀"', 'utf8'), Buffer.from([0x0d])]));
      // Control characters (C0, C1) and a lone surrogate, which has no UTF-8 form, stay refused.
      for (const bad of ['\u0085', '\ud83d', '\ude00x', '\u009b']) {
        assert.equal(parameterError(() => p.str('ssid', `a${bad}`, { charset: 'printable-unicode' })).kind, 'PARAMETER');
      }
    });

    it('encodeCommandLine holds a line built by hand to its charset: nothing is narrowed on the way out', () => {
      const err = parameterError(() => encodeCommandLine({ text: 'AT+CGMM\u010dAT+X=5', display: 'AT+CGMM\u010dAT+X=5' }, '\r'));
      assert.equal(err.field, 'command');
      assert.match(err.message, /U\+010D\) at position 7 is not allowed in a command line/);
      assert.deepEqual(encodeCommandLine({ text: 'AT', display: 'AT' }, '\r'), Buffer.from('AT\r', 'latin1'));
    });

    it('encodeText: protocol text is ASCII or refused', () => {
      assert.deepEqual(encodeText('escape', '+++'), Buffer.from('+++'));
      assert.deepEqual(encodeText('terminator', '\r\n', { controls: true }), Buffer.from([0x0d, 0x0a]));
      assert.equal(parameterError(() => encodeText('escape', '+\u012b+')).field, 'escape');
      assert.equal(parameterError(() => encodeText('escape', '\r')).field, 'escape');
    });
  });

  describe('parseLine and splitFields', () => {
    it('splits information text and URCs into name and fields (Telit 6.8.3.1, 7.4.4.1)', () => {
      assert.deepEqual(parseLine('#SSLCFG: 1,1,300,90,100,50,0,0,0,0'), { name: '#SSLCFG', fields: [1, 1, 300, 90, 100, 50, 0, 0, 0, 0] });
      assert.deepEqual(parseLine('SSLSRING: 1,400'), { name: 'SSLSRING', fields: [1, 400] });
      assert.deepEqual(parseLine('+CREG: 1,2'), { name: '+CREG', fields: [1, 2] });
      assert.deepEqual(parseLine('+CME ERROR: SSL not activated'), { name: '+CME ERROR', fields: ['SSL not activated'] });
      assert.deepEqual(parseLine('SSLSRING:1,5'), { name: 'SSLSRING', fields: [1, 5] });
    });

    it('gives a line without a name its whole text as the name', () => {
      assert.deepEqual(parseLine('RING'), { name: 'RING', fields: [] });
      assert.deepEqual(parseLine('NO CARRIER'), { name: 'NO CARRIER', fields: [] });
      assert.deepEqual(parseLine('  OK '), { name: 'OK', fields: [] });
    });

    it('keeps quoted commas and colons inside their field', () => {
      assert.deepEqual(parseLine('+CCLK: "24/05/01,12:00:00+08"'), { name: '+CCLK', fields: ['24/05/01,12:00:00+08'] });
      assert.deepEqual(parseLine('+COPS: 0,0,"I TIM",7'), { name: '+COPS', fields: [0, 0, 'I TIM', 7] });
    });

    it('turns plain decimals into numbers and leaves hex, leading zeros, -0 and 16+ digits as text', () => {
      assert.deepEqual(splitFields('0,-5,007,-0,0x002F,1.5,352099001234567,89390100001234567890'), [
        0, -5, '007', '-0', '0x002F', '1.5', 352099001234567, '89390100001234567890',
      ]);
    });

    it('keeps empty fields, including a trailing one', () => {
      assert.deepEqual(splitFields(''), []);
      assert.deepEqual(splitFields('1,'), [1, '']);
      assert.deepEqual(splitFields(','), ['', '']);
      assert.deepEqual(splitFields('1,,3'), [1, '', 3]);
      assert.deepEqual(splitFields('"",1'), ['', 1]);
    });

    it('keeps a test-form range or list as one field (Telit 6.8.1, 6.8.3.1)', () => {
      assert.deepEqual(parseLine('#SSLCFG: (1),(1),(0-1500),(0-65535),(10-5000),(0-255),(0-2),(0),(0)'), {
        name: '#SSLCFG',
        fields: ['(1)', '(1)', '(0-1500)', '(0-65535)', '(10-5000)', '(0-255)', '(0-2)', '(0)', '(0)'],
      });
      assert.deepEqual(parseLine('#SSLEN: (1),(0,1)'), { name: '#SSLEN', fields: ['(1)', '(0,1)'] });
      assert.deepEqual(splitFields('("IP","IPV6"),1'), ['("IP","IPV6")', 1]);
    });

    it('survives malformed text: an unterminated quote, blanks around fields', () => {
      assert.deepEqual(splitFields('"unterminated,1'), ['unterminated,1']);
      assert.deepEqual(splitFields(' 1 , 2 '), [1, 2]);
      assert.deepEqual(splitFields('"a" ,1'), ['a', 1]);
    });
  });
});

describe('ModemError', () => {
  it('toJSON() (msg.modemError) leaves out the facts it does not have', () => {
    const err = new ModemError({ kind: 'FINAL', vendor: 'telit', code: 'ERROR', command: 'AT+X', line: 'ERROR', message: 'AT+X: ERROR' });
    assert.deepEqual(err.toJSON(), { vendor: 'telit', code: 'ERROR', kind: 'FINAL', command: 'AT+X', line: 'ERROR', message: 'AT+X: ERROR' });
    assert.deepEqual(new ModemError({ kind: 'TIMEOUT', message: 'late' }).toJSON(), { code: 'TIMEOUT', kind: 'TIMEOUT', message: 'late' });
  });
});
