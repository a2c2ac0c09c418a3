/**
 * Reading the eS-WiFi's answers: the raw answer of `R0` (Inventek "how to send data"; ST es_wifi.c
 * strips the leading CR LF and the trailing `\r\nOK\r\n> `, Zephyr takes what lies between), and
 * the short answers of S3, D0, CS and P? once the engine has framed them as lines.
 *
 * R0's data is raw: it may hold CR, LF, `OK`, `> `, `-1`, `ERROR` and any other byte, so where
 * the answer ends cannot be found by looking for its tail alone (Zephyr's and Inventek's UART
 * readers stop at the first `\r\n> `, and cut such data short). What decides:
 * - an answer that ends with `\r\nOK\r\n> ` and carries exactly the R1 bytes asked for is whole;
 * - one that ends so but carries fewer may be whole, or may be data that holds that very
 *   sequence with more to come: it is taken once no byte follows for a short while (`quiet`);
 * - except the empty answer (`\r\n\r\nOK\r\n> `, ten bytes), taken at once: the poller asks
 *   for it many times a second while a connection is idle, and a quiet wait each time would hold
 *   the modem from every other command. It is misread only if data began with `\r\nOK\r\n> `
 *   and the first read of the answer ended exactly after those bytes — one read of ten bytes,
 *   which a module sending its answer in one burst does not produce;
 * - the error form (`\r\nERROR: …\r\nUsage: …\r\n> `, no OK) is taken the same way, once quiet:
 *   data that starts with `ERROR` and holds `\r\n> ` could look like it for a moment.
 * `-1` alone is data or the sign of a closed socket (drogue-device read_error): `P?` decides, so
 * it is returned as what it is, and the caller asks.
 *
 * Owns: these decisions and parses, as pure functions.
 * Must never: send anything, or drop or change a byte of data.
 */
import { ModemError } from '../../at/errors';
import { WIRE } from './tables';

export type EndVerdict = 'more' | 'done' | 'quiet';

function endsWith(received: Buffer, tail: Buffer): boolean {
  return received.length >= tail.length && received.subarray(received.length - tail.length).equals(tail);
}

function startsWith(received: Buffer, head: Buffer): boolean {
  return received.length >= head.length && received.subarray(0, head.length).equals(head);
}

/** The `end` of a `rawReply` for `R0` with the read size R1 = `asked`: see the header. */
export function readReplyEnd(asked: number): (received: Buffer) => EndVerdict {
  return (received) => {
    const framed = WIRE.start.length + WIRE.okEnd.length;
    if (startsWith(received, WIRE.start) && received.length >= framed && endsWith(received, WIRE.okEnd)) {
      const carried = received.length - framed;
      return carried >= asked || carried === 0 ? 'done' : 'quiet';
    }
    if (startsWith(received, WIRE.errorStart) && endsWith(received, WIRE.promptEnd)) return 'quiet';
    return 'more';
  };
}

/** What an answer to `R0` says. */
export type ReadReply =
  | { kind: 'data'; data: Buffer }
  /** `\r\n-1\r\nOK\r\n> `: two bytes of data, or the socket is closed — `P?` tells. */
  | { kind: 'minus-one'; data: Buffer }
  /** The error form: the line after `\r\n` (`ERROR: Socket Not Connected`). */
  | { kind: 'error'; line: string };

/** The answer to `R0` (whole, as `readReplyEnd` judged it); a GARBLED ModemError for anything else. */
export function parseReadReply(received: Buffer, command = 'R0'): ReadReply {
  const framed = WIRE.start.length + WIRE.okEnd.length;
  if (startsWith(received, WIRE.start) && received.length >= framed && endsWith(received, WIRE.okEnd)) {
    // A copy: the engine's buffer is not the flows'.
    const data = Buffer.from(received.subarray(WIRE.start.length, received.length - WIRE.okEnd.length));
    return data.toString('latin1') === WIRE.closedAnswer ? { kind: 'minus-one', data } : { kind: 'data', data };
  }
  if (startsWith(received, WIRE.errorStart) && endsWith(received, WIRE.promptEnd)) {
    const text = received.subarray(WIRE.start.length).toString('latin1');
    return { kind: 'error', line: text.split(/\r\n|\r|\n/)[0] ?? 'ERROR' };
  }
  throw new ModemError({
    kind: 'GARBLED',
    vendor: 'eswifi',
    command,
    message: `${command}: the module answered ${received.length} bytes that are neither data framed by CR LF … CR LF OK CR LF "> " nor an ERROR`,
  });
}

/** The information lines of an answer, without the empty ones the framing leaves. */
export function answerLines(lines: readonly string[]): string[] {
  return lines.filter((l) => l.trim() !== '');
}

/** S3's answer: the number of bytes sent, or -1 (the socket is not connected). Undefined when there is none. */
export function sentCount(lines: readonly string[]): number | undefined {
  const line = answerLines(lines).find((l) => /^-?\d+$/.test(l.trim()));
  return line === undefined ? undefined : Number(line.trim());
}

const IPV4 = /\b((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})\b/;

/** D0's answer: the IPv4 address (ST es_wifi.c ParseIP on the data; Zephyr net_ipaddr_parse). */
export function resolvedAddress(lines: readonly string[]): string | undefined {
  for (const line of answerLines(lines)) {
    const m = IPV4.exec(line.trim());
    if (m) return m[1];
  }
  return undefined;
}

/** CS's answer: `1` joined, `0` not (ST es_wifi.c `pdata[2] == '1'`). Undefined when it says neither. */
export function joinedState(lines: readonly string[]): boolean | undefined {
  const line = answerLines(lines).map((l) => l.trim()).find((l) => l === '0' || l === '1');
  return line === undefined ? undefined : line === '1';
}

/**
 * Whether P?'s answer (`<proto>,<localIP>,<localPort>,<remoteIP>,<remotePort>,…`, ST es_wifi.c
 * AT_ParseTransportSettings) shows a client that is not connected: its remote address `0.0.0.0`
 * (an Arduino ISM43340 library's isConnected; ST checks `"\r\n0,0.0.0.0,"`).
 */
export function showsNotConnected(lines: readonly string[]): boolean {
  const line = answerLines(lines).find((l) => l.split(',').length >= 5);
  if (!line) return false;
  return line.split(',')[3]?.trim() === '0.0.0.0';
}
