/**
 * ONLINE data ended by a line that starts with a terminator's text and may carry detail after it
 * (`OnlineTerminator.linePrefix`): Telit's `NO CARRIER: <SSId>[,<cause>]` with `<noCarrierMode>`
 * 1 or 2, as well as the plain `NO CARRIER` — whole, a byte at a time, and split at every place.
 */
import { strict as assert } from 'node:assert';
import { Framer, MAX_LINE_DETAIL, type FrameEvent } from '../../../src/at/framer';

const NO_CARRIER = { bytes: 'NO CARRIER', linePrefix: true };

/** Feeds `parts` to a framer in ONLINE mode; the data it passed on and how ONLINE mode ended. */
function online(parts: Array<string | Buffer>, terminator: typeof NO_CARRIER & { atEndOfRead?: boolean } = NO_CARRIER): { data: string; ends: string[]; after: string[] } {
  const events: FrameEvent[] = [];
  const framer = new Framer((e) => events.push(e));
  framer.enterOnline([terminator]);
  for (const part of parts) framer.push(typeof part === 'string' ? Buffer.from(part, 'latin1') : part);
  const endAt = events.findIndex((e) => e.type === 'online-end');
  const before = endAt < 0 ? events : events.slice(0, endAt);
  return {
    data: Buffer.concat(before.flatMap((e) => (e.type === 'data' ? [e.data] : []))).toString('latin1'),
    ends: events.flatMap((e) => (e.type === 'online-end' ? [e.text] : [])),
    after: (endAt < 0 ? [] : events.slice(endAt + 1)).flatMap((e) => (e.type === 'line' ? [e.text] : [])),
  };
}

/** Every way of cutting `text` in two. */
function splits(text: string): Array<[string, string]> {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('Framer: a line-start terminator ends ONLINE data (NO CARRIER with detail)', () => {
  for (const line of ['NO CARRIER', 'NO CARRIER: 1', 'NO CARRIER: 1,2', 'NO CARRIER 3']) {
    it(`"${line}" ends it, whole and split at every byte; the data before it is intact, lines after it are lines`, () => {
      const wire = `#00000001:data\r\nOK\r\n\r\n${line}\r\n\r\nOK\r\n`;
      for (const [a, b] of splits(wire)) {
        const got = online([a, b]);
        assert.equal(got.data, '#00000001:data\r\nOK\r\n', `split at ${a.length}`);
        assert.deepEqual(got.ends, [line], `split at ${a.length}`);
        assert.deepEqual(got.after, ['OK'], `split at ${a.length}`);
      }
      const bytes = online([...wire].map((c) => Buffer.from(c, 'latin1')));
      assert.deepEqual([bytes.data, bytes.ends, bytes.after], ['#00000001:data\r\nOK\r\n', [line], ['OK']]);
    });
  }

  it('what only looks like its start is data: NO CARRIERS, a line of detail longer than a module prints, a line ended by LF alone', () => {
    const lookalikes = ['\r\nNO CARRIERS\r\n', `\r\nNO CARRIER: ${'9'.repeat(MAX_LINE_DETAIL + 10)}\r\n`, '\r\nNO CARRIER: 1\nmore\r\n'];
    for (const text of lookalikes) {
      const got = online([text, 'tail']);
      assert.deepEqual(got.ends, [], JSON.stringify(text));
      // Held back only while it could still be a terminator: all of it is data once it cannot.
      assert.equal(got.data, text + 'tail', JSON.stringify(text));
    }
  });

  it('an unfinished terminator line is held, never passed on as data, and ends ONLINE mode once its CR LF comes', () => {
    const first = online(['#data', '\r\nNO CARRIER: 1,']);
    assert.deepEqual([first.data, first.ends], ['#data', []]);
    const done = online(['#data', '\r\nNO CARRIER: 1,', '2\r', '\n']);
    assert.deepEqual([done.data, done.ends], ['#data', ['NO CARRIER: 1,2']]);
  });

  describe('at the end of a read only (atEndOfRead): the module falls silent after the line, the data of a connection goes on', () => {
    const LAST = { ...NO_CARRIER, atEndOfRead: true };

    for (const line of ['NO CARRIER', 'NO CARRIER: 1,2']) {
      it(`"${line}" with data behind it is data, wherever the reads were cut but right behind it`, () => {
        const wire = `MQTT payload\r\n${line}\r\nand more of it`;
        // A read that ends right behind the line cannot be told from the module's: that one cut is left out.
        for (const [a, b] of splits(wire).filter(([a]) => !a.endsWith(`${line}\r\n`))) {
          const got = online([a, b], LAST);
          assert.deepEqual(got.ends, [], `split at ${a.length}`);
          assert.equal(got.data, wire, `split at ${a.length}`);
        }
      });

      it(`"${line}" as the last bytes of a read ends ONLINE mode, whole or with its start in an earlier read`, () => {
        for (const [a, b] of splits(`#data\r\n${line}\r\n`).filter(([a, b]) => a.length > 0 && b.length > 0)) {
          const got = online([a, b], LAST);
          assert.deepEqual([got.data, got.ends], ['#data', [line]], `split at ${a.length}`);
        }
        assert.deepEqual(online([`#data\r\n${line}\r\n`], LAST).ends, [line]);
      });
    }

    it('a line that waits for its end is held, then passed on as data when the data goes on behind it', () => {
      const got = online(['#data', '\r\nNO CARRIER\r', '\nmore'], LAST);
      assert.deepEqual([got.data, got.ends], ['#data\r\nNO CARRIER\r\nmore', []]);
    });
  });
});
