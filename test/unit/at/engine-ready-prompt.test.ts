/**
 * The engine with a modem that ends every answer with a ready prompt and takes binary data inline
 * (Inventek eS-WiFi): `<CR><LF>…<CR><LF>OK<CR><LF>> `, errors as `ERROR: <text>` and a `Usage:` line
 * before the prompt, `S3=<n>` CR and n raw bytes, and `R0`, whose answer is raw data framed by
 * CR LF before and CR LF `OK` CR LF `> ` after — data that may hold any of those bytes itself.
 */
import { strict as assert } from 'node:assert';
import { AtEngine, ModemError, type DialectFraming, type TraceEntry } from '../../../src/at';
import { FakeLink } from '../../support/fake-link';

const eswifiLike: DialectFraming = {
  vendor: 'eswifi-like',
  syncCommand: 'I?',
  readyPrompt: '> ',
  answerEndsAtReadyPrompt: true,
  finals: [{ pattern: /^ERROR(?::\s*(.*))?$/, success: false }],
};

const OK_END = '\r\nOK\r\n> ';

function rig(): { link: FakeLink; engine: AtEngine; trace: TraceEntry[] } {
  const link = new FakeLink();
  const trace: TraceEntry[] = [];
  const engine = new AtEngine({ link, dialect: eswifiLike, defaultTimeoutMs: 500, resync: { attempts: 1, waitMs: 200, quietMs: 10 }, trace: (e) => trace.push(e) });
  return { link, engine, trace };
}

/** A resynchronised engine: the first command after start-up is preceded by `I?` until OK. */
async function ready(): Promise<ReturnType<typeof rig>> {
  const r = rig();
  r.link.respond((line) => (line === 'I?' ? `\r\nISM43362-M3G-L44-UART,C3.5.2.5.STM${OK_END}` : undefined));
  await r.engine.sync();
  r.link.respond(() => undefined);
  r.link.written.length = 0;
  return r;
}

/** The answer to R0: the data between the leading CR LF and the trailing CR LF OK CR LF `> `. */
function r0End(expected: number) {
  return (received: Buffer): 'more' | 'done' | 'quiet' => {
    if (received.length < 10 || !received.subarray(received.length - 8).equals(Buffer.from(OK_END, 'latin1'))) return 'more';
    return received.length - 10 === expected ? 'done' : 'quiet';
  };
}

describe('AT engine: answers that end at a ready prompt, inline and raw data (eS-WiFi framing)', () => {
  it('resolves at the prompt, not at OK: the information lines before it are the answer', async () => {
    const { link, engine } = await ready();
    const answer = engine.send({ line: { text: 'D0=example.com', display: 'D0=example.com' } });
    await link.waitForWrite((t) => t === 'D0=example.com\r');
    let settled = false;
    void answer.then(() => (settled = true));
    link.feed('\r\n93.184.216.34\r\nOK\r\n');
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'OK alone does not end the answer: the module is not ready yet');
    link.feed('> ');
    const response = await answer;
    assert.deepEqual(response.lines.filter((l) => l !== ''), ['93.184.216.34']);
    assert.equal(response.final, 'OK');
  });

  it('an ERROR line followed by a Usage line and the prompt rejects with the ERROR line, and the Usage line is nobody’s', async () => {
    const { link, engine } = await ready();
    const urcs: unknown[] = [];
    engine.on('urc', (u) => urcs.push(u));
    const answer = engine.send({ line: { text: 'C0', display: 'C0' } });
    await link.waitForWrite((t) => t === 'C0\r');
    link.feed('\r\n[JOIN   ] Grove Island\r\n[JOIN   ] Failed\r\nERROR: Unknown Error\r\nUsage: C0 \r\n> ');
    const err = await answer.then(() => assert.fail('should reject'), (e: ModemError) => e);
    assert.equal(err.kind, 'FINAL');
    assert.equal(err.line, 'ERROR: Unknown Error');
    assert.equal(err.message, 'C0: ERROR: Unknown Error');
    assert.equal(err.code, 'Unknown Error', 'the code is what the final pattern’s group took');
    // The next command gets its own answer only.
    const next = engine.send({ line: { text: 'CS', display: 'CS' } });
    await link.waitForWrite((t) => t === 'CS\r');
    link.feed('\r\n0\r\nOK\r\n> ');
    assert.deepEqual((await next).lines.filter((l) => l !== ''), ['0']);
    assert.deepEqual(urcs, []);
  });

  it('the prompt split across reads, and a prompt with no final before it (a start-up cursor), do not end a command early', async () => {
    const { link, engine } = await ready();
    const answer = engine.send({ line: { text: 'P6=1', display: 'P6=1' } });
    await link.waitForWrite((t) => t === 'P6=1\r');
    link.feed('\r\n> ');
    link.feed('\r\n[TCP  RC] Connecting to 127.0.0.1\r\nOK\r\n>');
    let settled = false;
    void answer.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false);
    link.feed(' ');
    assert.deepEqual((await answer).lines.filter((l) => l !== ''), ['[TCP  RC] Connecting to 127.0.0.1']);
  });

  it('writes an inline payload right after the line and separator, byte for byte, with no terminator; traced by size only', async () => {
    const { link, engine, trace } = await ready();
    const payload = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const answer = engine.send({ line: { text: 'S3=256', display: 'S3=256' }, inline: { separator: '\r', payload } });
    const written = await link.waitForWrite((t) => t.startsWith('S3=256'));
    assert.deepEqual(written, Buffer.concat([Buffer.from('S3=256\r'), payload]));
    link.feed('\r\n256\r\nOK\r\n> ');
    assert.deepEqual((await answer).lines.filter((l) => l !== ''), ['256']);
    const secret = Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n');
    const pg = engine.send({ line: { text: `PG=0,2,${secret.length}`, display: `PG=0,2,${secret.length}` }, inline: { separator: ',', payload: secret, secret: true } });
    const pgWritten = await link.waitForWrite((t) => t.startsWith('PG=0,2'));
    assert.deepEqual(pgWritten, Buffer.concat([Buffer.from(`PG=0,2,${secret.length},`), secret]));
    link.feed('\r\n\r\nOK\r\n> ');
    await pg;
    const texts = trace.map((e) => e.text).join('\n');
    assert.match(texts, /<256 bytes>/);
    assert.match(texts, new RegExp(`<${secret.length} bytes, secret>`));
    assert.doesNotMatch(texts, /MIIB/);
  });

  it('an inline payload left unanswered (the module may still be collecting it) is filled with ESC bytes before the resynchronisation', async () => {
    const { link, engine } = await ready();
    const payload = Buffer.alloc(40, 0x41);
    const lost = engine.send({ line: { text: 'S3=40', display: 'S3=40' }, inline: { separator: '\r', payload }, timeoutMs: 80 });
    assert.equal((await lost.then(() => null, (e: ModemError) => e))?.kind, 'TIMEOUT');
    link.written.length = 0;
    link.respond((line) => (line.endsWith('I?') ? `\r\nISM43362${OK_END}` : line === 'CS' ? `\r\n1${OK_END}` : undefined));
    await engine.send({ line: { text: 'CS', display: 'CS' } });
    const sent = link.writtenBytes();
    const fill = Buffer.concat([Buffer.alloc(40, 0x1b), Buffer.from('\r')]);
    assert.deepEqual(sent.subarray(0, fill.length), fill, 'as many ESC bytes as the payload, then CR');
    assert.ok(sent.subarray(fill.length).toString('latin1').startsWith('I?\r'), 'then the sync command');
  });

  it('a raw reply holds every byte as sent, even data that contains CR LF OK CR LF and the prompt', async () => {
    const { link, engine } = await ready();
    const data = Buffer.concat([Buffer.from('\r\nOK\r\n> -1\r\nERROR: x\r\n> '), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
    const answer = engine.send({ line: { text: 'R0', display: 'R0' }, rawReply: { end: r0End(data.length), quietMs: 30 } });
    await link.waitForWrite((t) => t === 'R0\r');
    const wire = Buffer.concat([Buffer.from('\r\n'), data, Buffer.from(OK_END)]);
    // Split right after the embedded `OK` and prompt, as a read boundary might fall.
    link.feed(wire.subarray(0, 10));
    link.feed(wire.subarray(10, 40));
    link.feed(wire.subarray(40));
    const response = await answer;
    assert.deepEqual(response.payloads[0]!.data, wire);
    // Lines are framed again for the next command.
    const next = engine.send({ line: { text: 'CS', display: 'CS' } });
    await link.waitForWrite((t) => t === 'CS\r');
    link.feed('\r\n1\r\nOK\r\n> ');
    assert.deepEqual((await next).lines.filter((l) => l !== ''), ['1']);
  });

  it('a quiet ending waits: bytes that come within quietMs belong to the same reply', async () => {
    const { link, engine } = await ready();
    const answer = engine.send({ line: { text: 'R0', display: 'R0' }, rawReply: { end: r0End(100), quietMs: 40 } });
    await link.waitForWrite((t) => t === 'R0\r');
    link.feed('\r\nab\r\nOK\r\n> ');
    await new Promise((r) => setTimeout(r, 10));
    link.feed(`cd${OK_END}`);
    const started = Date.now();
    const response = await answer;
    assert.equal(response.payloads[0]!.data.toString('latin1'), `\r\nab${OK_END}cd${OK_END}`);
    assert.ok(Date.now() - started >= 30, 'completed only after the quiet time');
  });

  it('a raw reply that never completes times out, and the engine resynchronises before the next command', async () => {
    const { link, engine } = await ready();
    const answer = engine.send({ line: { text: 'R0', display: 'R0' }, rawReply: { end: () => 'more', quietMs: 10 }, timeoutMs: 100 });
    await link.waitForWrite((t) => t === 'R0\r');
    link.feed('\r\npartial');
    const err = await answer.then(() => assert.fail('should time out'), (e: ModemError) => e);
    assert.equal(err.kind, 'TIMEOUT');
    link.respond((line) => (line === 'I?' ? `\r\nISM43362${OK_END}` : line === 'CS' ? `\r\n1${OK_END}` : undefined));
    const next = await engine.send({ line: { text: 'CS', display: 'CS' } });
    assert.deepEqual(next.lines.filter((l) => l !== ''), ['1']);
    assert.ok(link.commands().includes('I?'), 'resynchronised with the sync command');
  });
});
