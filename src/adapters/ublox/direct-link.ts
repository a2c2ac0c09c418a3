/**
 * One transfer in u-blox direct link (+USODL): enter, move the bytes, leave — inside the caller's
 * exclusive section, since for that time the serial line belongs to one socket.
 *
 * ```
 *   → AT+USODL=0<CR>
 *   ← <CR><LF>CONNECT<CR><LF>        then every byte is the socket's, both ways
 *   → <the data>                     ← <what the server sends, as it comes>
 *     (a guard time of silence, counted from when the last byte has crossed the line)
 *   → +++
 *     (a guard time of silence)
 *   ← <CR><LF>DISCONNECT<CR><LF>     command mode again; the socket stays connected
 * ```
 * SARA-R4 AT commands manual UBX-17003787 §19.16 (+USODL syntax; §19.16.4.6: what the network
 * delivers goes to the serial interface at once), §19.22 (+UDCONF=10: the module prints
 * `<CR><LF>DISCONNECT<CR><LF>` when it leaves direct link), §10.18 (S12, the guard time), the ATS2
 * notes (the escape character works in direct link). A module that leaves by itself — the server
 * closed, its congestion timer — prints `DISCONNECT` before any escape. The manual sets no
 * condition on sockets secured with +USOSEC, and public host drivers use direct link on TLS
 * sockets. The other ways out are not for this host: a DTR drop (AT&D) needs a DTR line the host
 * drives, which neither a pseudo-terminal nor a ser2net port gives, and the +UDCONF=5/6/7
 * triggers only decide when the module passes buffered serial data on to the network.
 *
 * The line is raw from the `+USODL` command on (the engine's `rawReply`, then `transfer`), so the
 * data that follows `CONNECT` in the same read is data, and the lines of URCs that arrive just
 * before `CONNECT` or just after `DISCONNECT` inside the raw bytes are published like any other.
 * The host knows when its last byte left only from the line rate: a write resolves once the
 * bytes are with the operating system, not on the wire. As with any escape, bytes that happen to
 * read `<CR><LF>DISCONNECT<CR><LF>` are taken for the module leaving.
 *
 * Owns: the exchange above and the timing of the escape. Must never: write the escape sooner than
 * a guard time after the last byte reached the module (it would be data), or leave the section
 * with the module still in direct link without saying so.
 */
import { performance } from 'node:perf_hooks';
import { buildCommand, encodeCommandLine, p } from '../../at/command';
import type { AtChannel, RawTransfer, Urc } from '../../at/engine';
import { isModemError, ModemError } from '../../at/errors';
import { parseLine } from '../../at/fields';
import { BITS_PER_BYTE, LineClock } from '../../at/line-clock';
import { ubloxDialect } from './dialect';
import { DIRECT_LINK } from './tables';
import { ESCAPE } from './transfer';

export interface DirectLinkJob {
  socket: number;
  /** Bytes to send; empty when only a backlog is taken. */
  data: Buffer;
  /** Leave once this many bytes have come from the module (a backlog it announced); 0 for a send. */
  expect: number;
  /** The line rate, to know when the host's last byte has reached the module. */
  baudRate: number;
  /** The module's escape guard time (S12). */
  guardMs: number;
  /** Bytes from the socket, in order, as they come. */
  deliver(chunk: Buffer): void;
  /** A URC whose line came inside the raw bytes. */
  urc(urc: Urc): void;
  /** Aborted when the modem connection closes (a redeploy): stop sending, leave direct link, and fail. */
  signal?: AbortSignal;
}

export interface DirectLinkOutcome {
  /** Bytes written to the socket. */
  sent: number;
  /** Bytes that came from the socket. */
  received: number;
  /** The module left direct link by itself (`DISCONNECT` before any escape): the connection has likely ended. */
  dropped: boolean;
  /**
   * When it did: about how many of the bytes written were still on the line as it left, by the
   * line rate — bytes it may have taken for commands rather than data.
   */
  late: number;
  /** The first escape went unanswered: the module took its `+++` for data and sent it to the server. */
  escapeSent: boolean;
}

const CONNECTED = new RegExp(`\\r\\n(${DIRECT_LINK.connect}|ERROR|\\+CME ERROR: ?([^\\r\\n]*))\\r\\n`);
const END = Buffer.from(`\r\n${DIRECT_LINK.disconnect}\r\n`, 'latin1');
const ESCAPE_BYTES = Buffer.from(ESCAPE.sequence, 'latin1');
/** How long a read waits before the loop looks again at whether the transfer still wants bytes. */
const READ_POLL_MS = 1000;
/** After the escape's second guard time: how long `DISCONNECT` may take before the escape counts as failed. */
const ESCAPE_ANSWER_MS = 2000;
/** A URC line cut by the end of the raw bytes: how long its end is waited for. */
const LINE_END_MS = 500;

/** A line that arrived inside raw bytes, as the engine would have published it. */
function urcOf(line: string): Urc {
  for (const rule of ubloxDialect.urcs ?? []) {
    if (rule.payload) continue;
    rule.pattern.lastIndex = 0;
    const m = rule.pattern.exec(line);
    if (!m) continue;
    return { name: rule.name || parseLine(line).name, fields: rule.parse ? rule.parse(line, m) : parseLine(line).fields, raw: rule.redact ? rule.redact(line) : line, known: true };
  }
  const parsed = parseLine(line);
  return { name: parsed.name, fields: parsed.fields, raw: line, known: false };
}

/** The complete, non-empty lines of `text` (CR LF framed); an echo of `echo` is not one. */
function linesOf(text: string, echo?: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((l) => l !== '' && l !== echo);
}

/** How many bytes at the end of `data` could be the beginning of `term`. */
function possibleStart(data: Buffer, term: Buffer): number {
  for (let k = Math.min(term.length - 1, data.length); k > 0; k--) {
    if (data.compare(term, 0, k, data.length - k, data.length) === 0) return k;
  }
  return 0;
}

/**
 * Enters direct link on `job.socket`, sends `job.data`, takes `job.expect` bytes, and leaves with
 * the escape. Throws when +USODL is refused (the module's error), or when the module does not
 * answer the escape (the engine resynchronises it before the next command).
 */
export async function runDirectLink(at: AtChannel, job: DirectLinkJob): Promise<DirectLinkOutcome> {
  const clock = new LineClock(job.baudRate);
  const line = buildCommand('+USODL', [p.int('socket', job.socket)]);
  clock.add(encodeCommandLine(line, '\r').length);
  const answer = await at.send({
    line,
    // Raw from here: the socket's first bytes may follow CONNECT in the same read.
    rawReply: { end: (received) => (CONNECTED.test(received.toString('latin1')) ? 'done' : 'more'), quietMs: 0 },
    timeoutMs: 10000,
  });
  const raw = answer.payloads[0]?.data ?? Buffer.alloc(0);
  const text = raw.toString('latin1');
  const m = CONNECTED.exec(text)!;
  for (const urc of linesOf(text.slice(0, m.index), line.text)) job.urc(urcOf(urc));
  if (m[1] !== DIRECT_LINK.connect) {
    const code = m[2]?.trim() ?? m[1];
    throw new ModemError({
      kind: m[2] !== undefined ? 'CME' : 'FINAL',
      vendor: 'ublox',
      code: /^\d+$/.test(code) ? Number(code) : code,
      command: line.display,
      line: m[1],
      message: `${line.display}: ${m[1]}`,
    });
  }
  // latin1: one character per byte, so the text's offsets are the buffer's.
  const first = raw.subarray(m.index + m[0].length);
  return at.transfer((io) => session(io, job, clock, first));
}

async function session(io: RawTransfer, job: DirectLinkJob, clock: LineClock, first: Buffer): Promise<DirectLinkOutcome> {
  // Until DISCONNECT: a failure or a lost link leaves the module in direct link, so the engine escapes before it resynchronises.
  io.dataState(true);
  let held = Buffer.alloc(0);
  let received = 0;
  /** Set once `DISCONNECT` has come: the bytes after it are lines again. */
  let after: Buffer | null = null;
  /** About when the module left: `DISCONNECT` came, less the time it took on the line. */
  let leftAt = 0;
  let failed: Error | null = null;
  const listeners = new Set<() => void>();
  const progress = (): void => {
    for (const listener of [...listeners]) listener();
  };
  /** Resolves true as soon as `done()` holds, false after `ms`. */
  const until = (done: () => boolean, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (done()) return resolve(true);
      const check = (): void => {
        if (done()) finish(true);
      };
      const timer = setTimeout(() => finish(done()), Math.max(0, ms));
      const finish = (result: boolean): void => {
        clearTimeout(timer);
        listeners.delete(check);
        resolve(result);
      };
      listeners.add(check);
    });

  const stopped = (): boolean => job.signal?.aborted === true;
  job.signal?.addEventListener('abort', progress, { once: true });

  const take = (chunk: Buffer): void => {
    if (after) {
      after = Buffer.concat([after, chunk]);
    } else {
      const data = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
      const end = data.indexOf(END);
      const cut = end >= 0 ? end : data.length - possibleStart(data, END);
      if (cut > 0) {
        received += cut;
        job.deliver(Buffer.from(data.subarray(0, cut)));
      }
      if (end >= 0) {
        after = Buffer.from(data.subarray(end + END.length));
        io.dataState(false);
        leftAt = performance.now() - END.length / clock.bytesPerMs;
        held = Buffer.alloc(0);
      } else {
        held = Buffer.from(data.subarray(cut));
      }
    }
    progress();
  };

  let reading = true;
  void (async () => {
    while (reading) {
      try {
        take(await io.read(READ_POLL_MS));
      } catch (err) {
        if (isModemError(err) && err.kind === 'TIMEOUT') continue;
        failed = err as Error;
        progress();
        return;
      }
    }
  })();

  const check = (): void => {
    if (failed) throw failed;
  };
  try {
    if (first.length > 0) take(first);
    let sent = 0;
    for (let offset = 0; offset < job.data.length && !after && !stopped(); offset += DIRECT_LINK.writeChunk) {
      check();
      // At most a chunk ahead of the line, as a UART's buffer holds: a stop (or the module leaving)
      // then leaves little on its way, and the escape's guard time is not a whole payload away.
      const ahead = (): number => clock.quietFrom - performance.now() - DIRECT_LINK.writeChunk / clock.bytesPerMs;
      while (ahead() > 0 && !after && !failed && !stopped()) await until(() => after !== null || failed !== null || stopped(), ahead());
      check();
      if (after || stopped()) break;
      const part = job.data.subarray(offset, offset + DIRECT_LINK.writeChunk);
      clock.add(part.length);
      await io.write(part);
      sent += part.length;
    }
    if (job.expect > 0) {
      // The module forwards what it holds at the line rate; twice that time, and some.
      const ms = 5000 + (2 * job.expect * BITS_PER_BYTE * 1000) / job.baudRate;
      await until(() => received >= job.expect || after !== null || failed !== null || stopped(), ms);
      check();
    }
    let escaped = false;
    let attempts = 0;
    for (; attempts < 2 && !after; attempts++) {
      // Silence: the guard time counts from when the module heard the last byte.
      const quiet = (): number => clock.quietFrom + job.guardMs + DIRECT_LINK.guardMarginMs - performance.now();
      while (quiet() > 0 && !after && !failed) await until(() => after !== null || failed !== null, quiet());
      check();
      if (after) break;
      clock.add(ESCAPE_BYTES.length);
      await io.write(ESCAPE_BYTES);
      escaped = true;
      await until(() => after !== null || failed !== null, job.guardMs + ESCAPE_ANSWER_MS);
      check();
    }
    if (!after) {
      throw new ModemError({
        kind: 'TIMEOUT',
        vendor: 'ublox',
        command: ESCAPE.sequence,
        message: `no ${DIRECT_LINK.disconnect} after ${ESCAPE.sequence} on socket ${job.socket} (twice, ${job.guardMs} ms guard times): the module may still be in direct link`,
      });
    }
    // A URC may follow DISCONNECT in the same read (+UUSOCL when the server closed): wait for its line's end.
    const rest = (): Buffer => after ?? Buffer.alloc(0);
    const ended = (): boolean => rest().length === 0 || /\r\n$/.test(rest().toString('latin1'));
    if (!ended()) await until(ended, LINE_END_MS);
    for (const text of linesOf(rest().toString('latin1'))) job.urc(urcOf(text));
    if (stopped() && sent < job.data.length) {
      throw new ModemError({
        kind: 'CLOSED',
        vendor: 'ublox',
        command: `AT+USODL=${job.socket}`,
        message: `the modem connection is closing (redeploy or shutdown): the send on socket ${job.socket} stopped after ${sent} of ${job.data.length} bytes, and direct link was left`,
      });
    }
    const late = escaped ? 0 : Math.max(0, Math.ceil((clock.quietFrom - leftAt) * clock.bytesPerMs));
    return { sent, received, dropped: !escaped, late: Math.min(late, sent), escapeSent: attempts > 1 };
  } finally {
    reading = false;
    job.signal?.removeEventListener('abort', progress);
  }
}
