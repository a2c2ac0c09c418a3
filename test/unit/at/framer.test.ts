/**
 * The Framer alone: bytes in, lines / prompts / sized payloads / online data out.
 * Inputs are what a modem really sends (`\r\n<line>\r\n`, ATE0), delivered whole, one
 * byte at a time, and split at the awkward places.
 */
import { strict as assert } from 'node:assert';
import { DEFAULT_MAX_LINE_LENGTH, Framer, type FrameEvent, type FramerOptions, type PayloadRule } from '../../../src/at/framer';

type Simple =
  | { type: 'line'; text: string }
  | { type: 'prompt'; text: string }
  | { type: 'payload'; header: string; data: string }
  | { type: 'data'; data: string }
  | { type: 'online-end'; text: string }
  | { type: 'ready' }
  | { type: 'overflow'; bytes: number };

/** A framer plus what it emitted, with payloads and data as latin1 text for readable asserts. */
function harness(options?: FramerOptions): { framer: Framer; events: FrameEvent[]; simple(): Simple[]; lines(): string[]; data(): Buffer } {
  const events: FrameEvent[] = [];
  const framer = new Framer((e) => events.push(e), options);
  return {
    framer,
    events,
    simple: () =>
      events.map((e): Simple => {
        switch (e.type) {
          case 'payload':
            return { type: 'payload', header: e.header, data: e.data.toString('latin1') };
          case 'data':
            return { type: 'data', data: e.data.toString('latin1') };
          default:
            return e;
        }
      }),
    lines: () => events.flatMap((e) => (e.type === 'line' ? [e.text] : [])),
    data: () => Buffer.concat(events.flatMap((e) => (e.type === 'data' ? [e.data] : []))),
  };
}

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

function pushBytewise(framer: Framer, input: Buffer): void {
  for (let i = 0; i < input.length; i++) framer.push(input.subarray(i, i + 1));
}

/** Pushes `input` in reads of `size` bytes (the last one shorter), calling `after` after each. */
function pushChunks(framer: Framer, input: Buffer, size: number, after?: () => void): void {
  for (let i = 0; i < input.length; i += size) {
    framer.push(input.subarray(i, i + size));
    after?.();
  }
}

/** Pushes `input` cut at the given offsets. */
function pushCuts(framer: Framer, input: Buffer, cuts: number[]): void {
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    framer.push(input.subarray(from, cut));
    from = cut;
  }
}

/** `n` printable bytes with no CR or LF, varied so that a misplaced byte shows. */
function text(n: number, seed = 0): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String.fromCharCode(0x21 + ((i * 7 + seed) % 90));
  return out;
}

/** Telit §7.1.2.2: `#SSLRECV: <n>` (the manual also prints `#SSLRCV:`), then n bytes. */
const SSLRECV: PayloadRule = { name: 'SSLRECV', pattern: /^#SSLRE?CV: (\d+)$/, where: 'next-line', length: (m) => Number(m[1]) };
/** Telit §7.1.2.2, `<sslSRingMode>` 2: `SSLSRING: <SSId>,<dataLen>,<data>`. */
const SSLSRING: PayloadRule = { name: 'SSLSRING', pattern: /^SSLSRING: ?(\d+),(\d+),/, where: 'inline', length: (m) => Number(m[2]) };
/** A quoted inline payload with a closing quote after the data (u-blox `+USORD` style). */
const USORD: PayloadRule = { name: 'USORD', pattern: /^\+USORD: (\d+),(\d+),"/, where: 'inline', length: (m) => Number(m[2]), suffix: '"' };

describe('Framer', () => {
  describe('lines', () => {
    it('splits on CR LF, CR alone and LF alone', () => {
      const h = harness();
      h.framer.push(bytes('\r\nAT+CGMM\r\nHE910\rLE866-SV1\nOK\r\n'));
      assert.deepEqual(h.lines(), ['AT+CGMM', 'HE910', 'LE866-SV1', 'OK']);
    });

    it('drops empty lines, however many line endings separate the lines', () => {
      const h = harness();
      h.framer.push(bytes('\r\n\r\n\n\r\r\n#SSLEN: 1,0\r\n\r\n\r\nOK\r\n\r\n'));
      assert.deepEqual(h.lines(), ['#SSLEN: 1,0', 'OK']);
      assert.equal(h.events.length, 2);
    });

    it('keeps a line that is split across reads whole, and waits for its ending', () => {
      const h = harness();
      h.framer.push(bytes('\r\n#SSLEN: 1'));
      assert.deepEqual(h.events, []);
      h.framer.push(bytes(',0\r'));
      assert.deepEqual(h.lines(), ['#SSLEN: 1,0']);
      h.framer.push(bytes('\n\r\nOK\r\n'));
      assert.deepEqual(h.lines(), ['#SSLEN: 1,0', 'OK']);
    });

    it('frames a whole response delivered one byte per read exactly as when delivered at once', () => {
      // Telit 6.8.2: AT#SSLEN? on a module with six SSL sockets.
      const answer = '\r\n#SSLEN: 1,1\r\n\r\n#SSLEN: 2,0\r\n\r\n#SSLEN: 3,0\r\n\r\n#SSLEN: 4,0\r\n\r\n#SSLEN: 5,0\r\n\r\n#SSLEN: 6,0\r\n\r\nOK\r\n';
      const whole = harness();
      whole.framer.push(bytes(answer));
      const bytewise = harness();
      pushBytewise(bytewise.framer, bytes(answer));
      assert.deepEqual(bytewise.lines(), ['#SSLEN: 1,1', '#SSLEN: 2,0', '#SSLEN: 3,0', '#SSLEN: 4,0', '#SSLEN: 5,0', '#SSLEN: 6,0', 'OK']);
      assert.deepEqual(bytewise.events, whole.events);
    });

    it('frames 64 KiB of lines pushed in one read, in order, none lost', () => {
      const h = harness();
      const expected: string[] = [];
      let text = '';
      for (let i = 0; text.length < 64 * 1024; i++) {
        const line = `+CPBR: ${i},"+3912345${String(i).padStart(5, '0')}",145,"entry ${i}"`;
        expected.push(line);
        text += `\r\n${line}\r\n`;
      }
      text += '\r\nOK\r\n';
      expected.push('OK');
      h.framer.push(bytes(text));
      assert.ok(text.length >= 64 * 1024);
      assert.deepEqual(h.lines(), expected);
    });

    it('never leaves an incomplete line in the output', () => {
      const h = harness();
      h.framer.push(bytes('\r\nOK\r\n\r\nSSLSRING: 1,4'));
      assert.deepEqual(h.lines(), ['OK']);
      h.framer.push(bytes('00\r\n'));
      assert.deepEqual(h.lines(), ['OK', 'SSLSRING: 1,400']);
    });
  });

  describe('sized payload after the header line (next-line)', () => {
    // The 12 payload bytes look like the end of a response, and are not.
    const data = 'hi\r\nOK\r\n!!\r\n';
    const response = `\r\n#SSLRECV: ${data.length}\r\n${data}\r\nOK\r\n`;

    it('takes exactly n bytes as data even when they contain \\r\\nOK\\r\\n', () => {
      const h = harness();
      h.framer.setRules([SSLRECV]);
      h.framer.push(bytes(response));
      assert.deepEqual(h.simple(), [
        { type: 'payload', header: '#SSLRECV: 12', data },
        { type: 'line', text: 'OK' },
      ]);
    });

    it('gives the same result one byte per read', () => {
      const h = harness();
      h.framer.setRules([SSLRECV]);
      pushBytewise(h.framer, bytes(response));
      assert.deepEqual(h.simple(), [
        { type: 'payload', header: '#SSLRECV: 12', data },
        { type: 'line', text: 'OK' },
      ]);
    });

    it('gives the same result whatever the split into two reads', () => {
      for (let cut = 0; cut <= response.length; cut++) {
        const h = harness();
        h.framer.setRules([SSLRECV]);
        h.framer.push(bytes(response.slice(0, cut)));
        h.framer.push(bytes(response.slice(cut)));
        assert.deepEqual(
          h.simple(),
          [
            { type: 'payload', header: '#SSLRECV: 12', data },
            { type: 'line', text: 'OK' },
          ],
          `split at ${cut}`,
        );
      }
    });

    it('does not count the header\'s LF as data when a read ends right after the header\'s CR', () => {
      const h = harness();
      h.framer.setRules([SSLRECV]);
      h.framer.push(bytes('\r\n#SSLRECV: 5\r'));
      assert.deepEqual(h.events, []);
      h.framer.push(bytes('\nabcde\r\nOK\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'payload', header: '#SSLRECV: 5', data: 'abcde' },
        { type: 'line', text: 'OK' },
      ]);
    });

    it('keeps a payload that itself starts with LF when the header\'s LF came in the next read', () => {
      const h = harness();
      h.framer.setRules([SSLRECV]);
      h.framer.push(bytes('\r\n#SSLRECV: 4\r'));
      h.framer.push(bytes('\n\nab\n\r\nOK\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'payload', header: '#SSLRECV: 4', data: '\nab\n' },
        { type: 'line', text: 'OK' },
      ]);
    });

    it('takes a zero-length payload (#SSLRECV: 0, TIMEOUT, OK: Telit §7.4.2)', () => {
      const answer = '\r\n#SSLRECV: 0\r\n\r\nTIMEOUT\r\n\r\nOK\r\n';
      const expected = [
        { type: 'payload', header: '#SSLRECV: 0', data: '' },
        { type: 'line', text: 'TIMEOUT' },
        { type: 'line', text: 'OK' },
      ];
      const whole = harness();
      whole.framer.setRules([SSLRECV]);
      whole.framer.push(bytes(answer));
      assert.deepEqual(whole.simple(), expected);
      for (let cut = 0; cut <= answer.length; cut++) {
        const h = harness();
        h.framer.setRules([SSLRECV]);
        h.framer.push(bytes(answer.slice(0, cut)));
        h.framer.push(bytes(answer.slice(cut)));
        assert.deepEqual(h.simple(), expected, `split at ${cut}`);
      }
    });

    it('only treats a whole line as the header', () => {
      const h = harness();
      h.framer.setRules([SSLRECV]);
      h.framer.push(bytes('\r\n#SSLRECV: 5,extra\r\nOK\r\n'));
      assert.deepEqual(h.lines(), ['#SSLRECV: 5,extra', 'OK']);
    });

    it('ignores sized payload rules that are no longer set', () => {
      const h = harness();
      h.framer.setRules([SSLRECV]);
      h.framer.setRules([]);
      h.framer.push(bytes('\r\n#SSLRECV: 2\r\nOK\r\n'));
      assert.deepEqual(h.lines(), ['#SSLRECV: 2', 'OK']);
    });
  });

  describe('sized payload on the header line (inline)', () => {
    // Five data bytes holding CR, LF and quotes.
    const payload = '"\r\n"h';
    const urc = `\r\nSSLSRING: 1,5,${payload}\r\n`;

    it('takes the data right after the header, CR LF and quotes included', () => {
      const h = harness();
      h.framer.setRules([SSLSRING]);
      h.framer.push(bytes(urc + '\r\nOK\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'payload', header: 'SSLSRING: 1,5,', data: payload },
        { type: 'line', text: 'OK' },
      ]);
    });

    it('takes data that starts with CR LF (the header is complete before the line ending)', () => {
      const h = harness();
      h.framer.setRules([SSLSRING]);
      h.framer.push(bytes('\r\nSSLSRING: 1,4,\r\nOK\r\n\r\nOK\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'payload', header: 'SSLSRING: 1,4,', data: '\r\nOK' },
        { type: 'line', text: 'OK' },
      ]);
    });

    it('gives the same result one byte per read and at every split', () => {
      const h = harness();
      h.framer.setRules([SSLSRING]);
      pushBytewise(h.framer, bytes(urc + '\r\nOK\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'payload', header: 'SSLSRING: 1,5,', data: payload },
        { type: 'line', text: 'OK' },
      ]);
      const full = urc + '\r\nOK\r\n';
      for (let cut = 0; cut <= full.length; cut++) {
        const s = harness();
        s.framer.setRules([SSLSRING]);
        s.framer.push(bytes(full.slice(0, cut)));
        s.framer.push(bytes(full.slice(cut)));
        assert.deepEqual(s.simple(), h.simple(), `split at ${cut}`);
      }
    });

    it('leaves a line that only announces data (mode 1: SSLSRING: 1,400) as a line', () => {
      const h = harness();
      h.framer.setRules([SSLSRING]);
      h.framer.push(bytes('\r\nSSLSRING: 1,400\r\n'));
      assert.deepEqual(h.lines(), ['SSLSRING: 1,400']);
    });

    it('consumes the closing suffix when it is there, even in a later read', () => {
      const h = harness();
      h.framer.setRules([USORD]);
      h.framer.push(bytes('\r\n+USORD: 0,5,"he"lo'));
      assert.deepEqual(h.events, []);
      h.framer.push(bytes('"'));
      assert.deepEqual(h.simple(), [{ type: 'payload', header: '+USORD: 0,5,"', data: 'he"lo' }]);
      h.framer.push(bytes('\r\n\r\nOK\r\n'));
      assert.deepEqual(h.lines(), ['OK']);
    });

    it('leaves the bytes alone when the suffix is missing', () => {
      const h = harness();
      h.framer.setRules([USORD]);
      h.framer.push(bytes('\r\n+USORD: 0,2,"ab\r\nOK\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'payload', header: '+USORD: 0,2,"', data: 'ab' },
        { type: 'line', text: 'OK' },
      ]);
    });
  });

  describe('prompts', () => {
    it('recognises `>` and `> ` at the start of a line while a prompt is expected', () => {
      for (const prompt of ['\r\n>', '\r\n> ']) {
        const h = harness();
        h.framer.expectPrompt(['>']);
        h.framer.push(bytes(prompt));
        h.framer.expectPrompt([]);
        h.framer.push(bytes('\r\nOK\r\n'));
        assert.deepEqual(h.simple(), [
          { type: 'prompt', text: '>' },
          { type: 'line', text: 'OK' },
        ], JSON.stringify(prompt));
      }
    });

    it('swallows the space of `> ` that arrives in the next read', () => {
      const h = harness();
      h.framer.expectPrompt(['>']);
      h.framer.push(bytes('\r\n>'));
      assert.deepEqual(h.simple(), [{ type: 'prompt', text: '>' }]);
      h.framer.expectPrompt([]);
      h.framer.push(bytes(' '));
      h.framer.push(bytes('\r\nOK\r\n'));
      // A space that was not swallowed would have become a line " ".
      assert.deepEqual(h.simple(), [
        { type: 'prompt', text: '>' },
        { type: 'line', text: 'OK' },
      ]);
    });

    it('recognises a prompt delivered one byte per read', () => {
      const h = harness();
      h.framer.expectPrompt(['>']);
      pushBytewise(h.framer, bytes('\r\n> '));
      h.framer.expectPrompt([]);
      pushBytewise(h.framer, bytes('\r\nOK\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'prompt', text: '>' },
        { type: 'line', text: 'OK' },
      ]);
    });

    it('waits for more bytes before deciding on a multi-byte marker', () => {
      const h = harness();
      h.framer.expectPrompt(['>>>']);
      h.framer.push(bytes('\r\n>>'));
      assert.deepEqual(h.events, []);
      h.framer.push(bytes('>'));
      assert.deepEqual(h.simple(), [{ type: 'prompt', text: '>>>' }]);
    });

    it('recognises other markers such as `@`', () => {
      const h = harness();
      h.framer.expectPrompt(['@']);
      h.framer.push(bytes('\r\n@'));
      assert.deepEqual(h.simple(), [{ type: 'prompt', text: '@' }]);
    });

    it('leaves `> ` as an ordinary line when no prompt is expected', () => {
      const h = harness();
      h.framer.push(bytes('\r\n> quoted mail\r\n>\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'line', text: '> quoted mail' },
        { type: 'line', text: '>' },
      ]);
    });

    it('recognises the prompt after the echoed command line (ATE1)', () => {
      const h = harness();
      h.framer.expectPrompt(['>']);
      h.framer.push(bytes('AT#SSLSEND=1\r\r\n> '));
      assert.deepEqual(h.simple(), [
        { type: 'line', text: 'AT#SSLSEND=1' },
        { type: 'prompt', text: '>' },
      ]);
    });
  });

  describe('ready prompt (eS-WiFi `> `)', () => {
    it('reports the ready prompt after every answer as `ready`, never as a line or a prompt', () => {
      const h = harness();
      h.framer.setReadyPrompt('> ');
      h.framer.push(bytes('\r\nC?\r\nOK\r\n> '));
      h.framer.push(bytes('\r\n1.4.0.1\r\nOK\r\n> '));
      assert.deepEqual(h.simple(), [
        { type: 'line', text: 'C?' },
        { type: 'line', text: 'OK' },
        { type: 'ready' },
        { type: 'line', text: '1.4.0.1' },
        { type: 'line', text: 'OK' },
        { type: 'ready' },
      ]);
    });

    it('swallows a ready prompt split across reads', () => {
      const h = harness();
      h.framer.setReadyPrompt('> ');
      h.framer.push(bytes('\r\nOK\r\n>'));
      h.framer.push(bytes(' '));
      h.framer.push(bytes('\r\nOK\r\n'));
      assert.deepEqual(h.lines(), ['OK', 'OK']);
    });

    it('still frames a line that merely starts with `>`', () => {
      const h = harness();
      h.framer.setReadyPrompt('> ');
      h.framer.push(bytes('\r\n>x\r\nOK\r\n'));
      assert.deepEqual(h.lines(), ['>x', 'OK']);
    });
  });

  describe('line length limit', () => {
    const limit = DEFAULT_MAX_LINE_LENGTH;
    const overflows = (events: FrameEvent[]): FrameEvent[] => events.filter((e) => e.type === 'overflow');

    it('defaults to 4096 bytes and emits a line of exactly that length whole, however it is read', () => {
      assert.equal(limit, 4096);
      const line = text(limit);
      const stream = bytes(`\r\n${line}\r\n\r\nOK\r\n`);
      for (const size of [stream.length, 1, 7, 13, 1000, limit - 1, limit, limit + 1, limit + 3]) {
        const h = harness();
        pushChunks(h.framer, stream, size);
        assert.deepEqual(h.simple(), [
          { type: 'line', text: line },
          { type: 'line', text: 'OK' },
        ], `reads of ${size}`);
      }
    });

    it('drops a line one byte over the limit with one overflow event, then frames the next line intact', () => {
      const long = text(limit + 1);
      const expected = [
        { type: 'overflow', bytes: limit + 1 },
        { type: 'line', text: 'OK' },
      ];
      const stream = bytes(`\r\n${long}\r\n\r\nOK\r\n`);
      const whole = harness();
      whole.framer.push(stream);
      assert.deepEqual(whole.simple(), expected, 'one read');

      const bytewise = harness();
      pushBytewise(bytewise.framer, stream);
      assert.deepEqual(bytewise.simple(), expected, 'one byte per read');

      // The ending comes in a later read, whole or cut between CR and LF.
      const later = harness();
      later.framer.push(bytes(`\r\n${long}`));
      assert.deepEqual(later.simple(), [expected[0]]);
      assert.equal(later.framer.bufferedBytes, 0);
      later.framer.push(bytes('\r\n\r\nOK\r\n'));
      assert.deepEqual(later.simple(), expected, 'ending in a later read');

      const cr = harness();
      cr.framer.push(bytes(`\r\n${long}\r`));
      cr.framer.push(bytes('\nOK\r'));
      cr.framer.push(bytes('\n'));
      assert.deepEqual(cr.simple(), expected, 'CR | LF');
    });

    it('reports a much longer line once, whatever the reads, and only after the limit is passed', () => {
      const long = text(10 * limit, 3);
      const stream = bytes(`\r\nOK\r\n${long}\r\nERROR\r\n`);
      for (const size of [stream.length, 1, 7, limit, limit + 1, 3 * limit - 5]) {
        const h = harness();
        pushChunks(h.framer, stream, size, () => assert.ok(h.framer.bufferedBytes <= limit, `reads of ${size}: holds ${h.framer.bufferedBytes}`));
        const events = h.simple();
        assert.equal(events.length, 3, `reads of ${size}`);
        assert.deepEqual(events[0], { type: 'line', text: 'OK' });
        assert.deepEqual(events[2], { type: 'line', text: 'ERROR' });
        const overflow = events[1];
        assert.ok(overflow.type === 'overflow' && overflow.bytes > limit && overflow.bytes <= long.length, `reads of ${size}: ${JSON.stringify(overflow)}`);
      }
    });

    it('holds at most maxLineLength bytes of 256 KiB without a line ending, and frames the line after it', () => {
      const size = 256 * 1024;
      const junk = bytes(text(size, 11));
      for (const read of [1, 7, 4096]) {
        const h = harness();
        h.framer.setRules([SSLRECV, SSLSRING]);
        let most = 0;
        pushChunks(h.framer, junk, read, () => {
          most = Math.max(most, h.framer.bufferedBytes);
        });
        assert.ok(most <= limit, `reads of ${read}: held ${most} bytes`);
        assert.equal(overflows(h.events).length, 1, `reads of ${read}`);
        h.framer.push(bytes('\r\nOK\r\n'));
        assert.deepEqual(h.lines(), ['OK'], `reads of ${read}`);
        assert.equal(h.framer.bufferedBytes, 0);
        // Rescanning the held partial line on every read would cost about limit²/2 here.
        assert.ok(h.framer.bytesExamined <= 4 * size, `reads of ${read}: examined ${h.framer.bytesExamined} bytes for ${size}`);
      }
    });

    it('does work in proportion to the length of a line, not its square, when it comes one byte at a time', () => {
      const work = (size: number): number => {
        const h = harness({ maxLineLength: 1 << 20 });
        h.framer.setRules([SSLRECV, SSLSRING]);
        const line = text(size, 5);
        pushBytewise(h.framer, bytes(line));
        assert.equal(h.framer.bufferedBytes, size);
        h.framer.push(bytes('\r\n'));
        assert.deepEqual(h.lines(), [line]);
        return h.framer.bytesExamined;
      };
      const small = work(64 * 1024);
      const large = work(256 * 1024);
      // Four times the input: about four times the work (sixteen if every read rescanned the line).
      const ratio = large / small;
      assert.ok(ratio > 3.5 && ratio < 4.5, `64 KiB: ${small}, 256 KiB: ${large}, ratio ${ratio.toFixed(2)}`);
      assert.ok(large <= 6 * 256 * 1024, `256 KiB: ${large}`);
    });

    it('emits the same events for a long but legal line cut anywhere, in two or three reads', () => {
      const stream = bytes(
        `\r\n${text(limit, 1)}\r\n#SSLRECV: 6\r\nab\r\ncd\r\n${text(limit - 1, 2)}\r${text(limit, 4)}\n\r\n` +
        `SSLSRING: 1,3,x\r\n\r\n${text(limit - 20, 6)}\rOK\r\n`,
      );
      const run = (feed: (framer: Framer) => void): Simple[] => {
        const h = harness();
        h.framer.setRules([SSLRECV, SSLSRING]);
        feed(h.framer);
        return h.simple();
      };
      const expected = run((framer) => framer.push(stream));
      assert.deepEqual(expected.map((e) => e.type), ['line', 'payload', 'line', 'line', 'payload', 'line', 'line']);
      assert.ok(expected.every((e) => e.type !== 'line' || e.text.length <= limit));

      for (let cut = 0; cut <= stream.length; cut++) {
        assert.deepEqual(run((framer) => pushCuts(framer, stream, [cut])), expected, `cut at ${cut}`);
      }
      // Three reads, cut on and around every line ending and around the limit.
      const awkward = new Set<number>();
      for (let i = 0; i < stream.length; i++) {
        if (stream[i] === 0x0d || stream[i] === 0x0a) for (const d of [-1, 0, 1, 2]) awkward.add(i + d);
      }
      const points = [...awkward].filter((p) => p >= 0 && p <= stream.length).sort((a, b) => a - b);
      for (const a of points) {
        for (const b of points) {
          if (b <= a) continue;
          assert.deepEqual(run((framer) => pushCuts(framer, stream, [a, b])), expected, `cuts at ${a} and ${b}`);
        }
      }
      assert.deepEqual(run((framer) => pushBytewise(framer, stream)), expected, 'one byte per read');
      for (const size of [7, 4095, 4097]) {
        assert.deepEqual(run((framer) => pushChunks(framer, stream, size)), expected, `reads of ${size}`);
      }
    });

    it('does not apply to sized payloads or ONLINE data', () => {
      const big = text(3 * limit, 9);
      const inline = harness();
      inline.framer.setRules([SSLSRING]);
      pushChunks(inline.framer, bytes(`\r\nSSLSRING: 1,${big.length},${big}\r\nOK\r\n`), 1000);
      assert.deepEqual(inline.simple(), [
        { type: 'payload', header: `SSLSRING: 1,${big.length},`, data: big },
        { type: 'line', text: 'OK' },
      ]);

      const nextLine = harness();
      nextLine.framer.setRules([SSLRECV]);
      pushChunks(nextLine.framer, bytes(`\r\n#SSLRECV: ${big.length}\r\n${big}\r\nOK\r\n`), 1000);
      assert.deepEqual(nextLine.simple(), [
        { type: 'payload', header: `#SSLRECV: ${big.length}`, data: big },
        { type: 'line', text: 'OK' },
      ]);

      const online = harness();
      online.framer.enterOnline(['NO CARRIER']);
      pushChunks(online.framer, bytes(big), 1000);
      online.framer.push(bytes('\r\nNO CARRIER\r\n'));
      assert.equal(online.data().toString('latin1'), big);
      assert.equal(overflows(online.events).length, 0);
    });

    it('drops bytes up to the next CR or LF only, then frames lines again', () => {
      const h = harness({ maxLineLength: 8 });
      h.framer.push(bytes('\r\n12345678\r\n123456789'));
      h.framer.push(bytes('more of the same line'));
      h.framer.push(bytes('and more\nOK\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'line', text: '12345678' },
        { type: 'overflow', bytes: 9 },
        { type: 'line', text: 'OK' },
      ]);
    });

    it('stops dropping on reset()', () => {
      const h = harness();
      h.framer.push(bytes(`\r\n${text(limit + 100)}`));
      assert.equal(overflows(h.events).length, 1);
      h.framer.reset();
      h.framer.push(bytes('OK\r\n'));
      assert.deepEqual(h.lines(), ['OK']);
    });

    it('takes a new limit from setMaxLineLength(), and refuses one that is not a positive integer', () => {
      const h = harness();
      h.framer.setMaxLineLength(4);
      h.framer.push(bytes('\r\nOK\r\nERROR\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'line', text: 'OK' },
        { type: 'overflow', bytes: 5 },
      ]);
      // A held partial line longer than a lowered limit overflows on the next read.
      const lowered = harness();
      lowered.framer.push(bytes('\r\n+CME ERR'));
      lowered.framer.setMaxLineLength(3);
      lowered.framer.push(bytes('OR: 4\r\nOK\r\n'));
      assert.deepEqual(lowered.simple(), [
        { type: 'overflow', bytes: 13 },
        { type: 'line', text: 'OK' },
      ]);
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        assert.throws(() => h.framer.setMaxLineLength(bad), RangeError, String(bad));
        assert.throws(() => new Framer(() => undefined, { maxLineLength: bad }), RangeError, String(bad));
      }
    });

    it('never hands out its own storage: what was emitted stays as it was', () => {
      const h = harness();
      h.framer.setRules([SSLSRING]);
      // A payload framed from held bytes, then more bytes held over the same storage.
      h.framer.push(bytes('\r\nSSLSRING: 1,'));
      h.framer.push(bytes('6,abcdef'));
      h.framer.push(bytes(`\r\n${text(200)}`));
      h.framer.push(bytes(text(200, 1)));
      // Online tails handed over by flushHeld, each time followed by new held bytes.
      h.framer.enterOnline(['NO CARRIER']);
      h.framer.push(bytes('\r\nNO'));
      h.framer.flushHeld();
      h.framer.push(bytes('\r\nNO'));
      h.framer.flushHeld();
      h.framer.push(bytes('\r\nNO CARRIER\r\n'));
      h.framer.push(bytes(`abcd${text(100, 3)}`));
      assert.deepEqual(h.simple()[0], { type: 'payload', header: 'SSLSRING: 1,6,', data: 'abcdef' });
      // The partial line held when ONLINE mode began is data from then on.
      assert.equal(h.data().toString('latin1'), `${text(200)}${text(200, 1)}\r\nNO\r\nNO`);
    });
  });

  describe('payload rules with maxLength', () => {
    const RECV16: PayloadRule = { ...SSLRECV, maxLength: 16 };
    const SRING4: PayloadRule = { ...SSLSRING, maxLength: 4 };

    it('takes a next-line payload announced at the limit, and leaves a longer announcement as a line', () => {
      const atLimit = `\r\n#SSLRECV: 16\r\n${text(16)}\r\nOK\r\n`;
      const over = `\r\n#SSLRECV: 17\r\n${text(17)}\r\nOK\r\n`;
      for (const feed of [(f: Framer, b: Buffer) => f.push(b), pushBytewise]) {
        const h = harness();
        h.framer.setRules([RECV16]);
        feed(h.framer, bytes(atLimit));
        assert.deepEqual(h.simple(), [
          { type: 'payload', header: '#SSLRECV: 16', data: text(16) },
          { type: 'line', text: 'OK' },
        ]);
        const refused = harness();
        refused.framer.setRules([RECV16]);
        feed(refused.framer, bytes(over));
        assert.deepEqual(refused.lines(), ['#SSLRECV: 17', text(17), 'OK']);
        assert.ok(refused.events.every((e) => e.type === 'line'));
      }
    });

    it('takes an inline payload announced at the limit, and leaves a longer announcement as a line', () => {
      for (const feed of [(f: Framer, b: Buffer) => f.push(b), pushBytewise]) {
        const h = harness();
        h.framer.setRules([SRING4]);
        feed(h.framer, bytes('\r\nSSLSRING: 1,4,\r\nOK\r\n\r\nOK\r\n'));
        assert.deepEqual(h.simple(), [
          { type: 'payload', header: 'SSLSRING: 1,4,', data: '\r\nOK' },
          { type: 'line', text: 'OK' },
        ]);
        const refused = harness();
        refused.framer.setRules([SRING4]);
        feed(refused.framer, bytes('\r\nSSLSRING: 1,5,hello\r\nOK\r\n'));
        assert.deepEqual(refused.simple(), [
          { type: 'line', text: 'SSLSRING: 1,5,hello' },
          { type: 'line', text: 'OK' },
        ]);
      }
    });
  });

  describe('ONLINE data', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

    it('passes all 256 byte values through untouched', () => {
      const h = harness();
      h.framer.enterOnline(['NO CARRIER']);
      h.framer.push(all);
      h.framer.push(all);
      h.framer.flushHeld();
      assert.ok(h.data().equals(Buffer.concat([all, all])));
      assert.ok(h.events.every((e) => e.type === 'data'));
      assert.equal(h.framer.isOnline, true);
    });

    it('holds back a tail that may start a terminator, and hands it over on flushHeld', () => {
      const h = harness();
      h.framer.enterOnline(['NO CARRIER']);
      h.framer.push(bytes('abc\r\nNO CAR'));
      assert.deepEqual(h.simple(), [{ type: 'data', data: 'abc' }]);
      assert.equal(h.framer.heldBytes, 8);
      h.framer.flushHeld();
      assert.deepEqual(h.simple(), [
        { type: 'data', data: 'abc' },
        { type: 'data', data: '\r\nNO CAR' },
      ]);
      assert.equal(h.framer.heldBytes, 0);
    });

    it('ends at \\r\\nNO CARRIER\\r\\n split at every position: data exactly once, in order, then lines again', () => {
      // Data that contains near-terminators, all 256 byte values and text that looks like results.
      const data = Buffer.concat([bytes('GET / HTTP/1.1\r\n\r\nOK\r\nNO CARRIE\r\n\r\nNO CARRIER'), all, bytes('\r\n\r\nNO CARRIER\r')]);
      const stream = Buffer.concat([data, bytes('\r\nNO CARRIER\r\n'), bytes('\r\nOK\r\n')]);
      const check = (h: ReturnType<typeof harness>, label: string): void => {
        h.framer.flushHeld();
        assert.ok(h.data().equals(data), `${label}: data differs`);
        const kinds = h.events.map((e) => e.type);
        const end = kinds.indexOf('online-end');
        assert.ok(end > 0, `${label}: no online-end`);
        assert.ok(kinds.slice(0, end).every((k) => k === 'data'), `${label}: data after the terminator`);
        assert.deepEqual(h.simple().slice(end), [
          { type: 'online-end', text: 'NO CARRIER' },
          { type: 'line', text: 'OK' },
        ], label);
        assert.equal(h.framer.isOnline, false, label);
      };
      for (let cut = 0; cut <= stream.length; cut++) {
        const h = harness();
        h.framer.enterOnline(['NO CARRIER']);
        h.framer.push(stream.subarray(0, cut));
        h.framer.push(stream.subarray(cut));
        check(h, `split at ${cut}`);
      }
      // Three reads, the terminator cut twice.
      const at = data.length;
      for (let a = at - 1; a <= at + 14; a++) {
        for (let b = a; b <= at + 15; b++) {
          const h = harness();
          h.framer.enterOnline(['NO CARRIER']);
          h.framer.push(stream.subarray(0, a));
          h.framer.push(stream.subarray(a, b));
          h.framer.push(stream.subarray(b));
          check(h, `split at ${a} and ${b}`);
        }
      }
      const bytewise = harness();
      bytewise.framer.enterOnline(['NO CARRIER']);
      pushBytewise(bytewise.framer, stream);
      check(bytewise, 'one byte per read');
    });

    it('does not take the LF of `CONNECT` CR (end of a read) as data', () => {
      const h = harness();
      h.framer.push(bytes('\r\nCONNECT\r'));
      assert.deepEqual(h.lines(), ['CONNECT']);
      h.framer.enterOnline(['NO CARRIER']);
      h.framer.push(bytes('\nHTTP/1.1 200 OK\r\n'));
      h.framer.flushHeld();
      assert.equal(h.data().toString('latin1'), 'HTTP/1.1 200 OK\r\n');
    });

    it('ends at whichever terminator comes first (escape: OK or NO CARRIER)', () => {
      const h = harness();
      h.framer.enterOnline(['NO CARRIER']);
      h.framer.setOnlineTerminators(['NO CARRIER', 'OK']);
      h.framer.push(bytes('xy\r\nOK\r\n\r\nNO CARRIER\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'data', data: 'xy' },
        { type: 'online-end', text: 'OK' },
        { type: 'line', text: 'NO CARRIER' },
      ]);
    });

    it('drops held bytes and returns to lines on reset()', () => {
      const h = harness();
      h.framer.enterOnline(['NO CARRIER']);
      h.framer.push(bytes('abc\r\nNO'));
      h.framer.reset();
      assert.equal(h.framer.isOnline, false);
      assert.equal(h.framer.heldBytes, 0);
      h.framer.push(bytes('\r\nOK\r\n'));
      assert.deepEqual(h.simple(), [
        { type: 'data', data: 'abc' },
        { type: 'line', text: 'OK' },
      ]);
    });
  });
});
