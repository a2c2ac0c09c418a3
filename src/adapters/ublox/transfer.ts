/**
 * How a u-blox module moves bulk data, as bytes on the wire (`../transfer.ts`): the description
 * the vendor record carries for `npm run bench`, and the one `sockets.ts` chooses its method by.
 *
 * Sending, three documented ways (SARA-R5 AT commands manual UBX-19047455 and SARA-R4 AT commands
 * manual UBX-17003787, "Internet protocol transport layer"):
 * - +USOWR binary syntax: `AT+USOWR=<socket>,<length>`, the `@` prompt, at least 50 ms of waiting,
 *   then exactly `<length>` bytes (1..1024), answered `+USOWR: <socket>,<length>` and `OK`. The
 *   wait dominates at high rates: 1 KiB takes 11 ms on the wire at 921600 baud.
 * - +USOWR base syntax in HEX mode (+UDCONF=1,1): `AT+USOWR=<socket>,<length>,"<hex>"`, 1..512
 *   bytes as twice as many hex digits in the command line, no prompt and no wait. Twice the bytes,
 *   but no 50 ms: the quicker way for short payloads, and for longer ones at high rates.
 * - Direct link (+USODL, UBX-17003787 §19.16): `CONNECT`, then every byte on the line is the
 *   socket's, both ways (what the network delivers goes to the serial port at once), until the escape
 *   sequence `+++` — standing alone between two guard times of silence (S12, 50 × 20 ms by default;
 *   the ATS2 notes name direct link among the modes the escape character works in) — and the
 *   module's `DISCONNECT` (+UDCONF=10 description). Raw bytes at the line rate, and two guard times
 *   per transfer.
 * Receiving: +USORD reads of at most 1024 bytes, each answered `+USORD: <socket>,<length>,"<data>"`
 * and `OK`, and after a partial read the module announces the rest again with `+UUSORD`; or direct
 * link, where the module forwards what it holds and what arrives. There is no documented larger
 * read.
 *
 * The host's own settings are assumed: echo off (`ATE0`, sent at start-up) and verbose result codes.
 *
 * Owns: those byte counts, derived from the command builder and the socket limits, and the choice
 * among them for a payload and a line rate. Must never: hold behaviour; `sockets.ts` sends.
 */
import { buildCommand, encodeCommandLine, p } from '../../at/command';
import { fastestMethod, type TransferMethod, type TransferMethods } from '../transfer';
import { ubloxDialect } from './dialect';
import { DIRECT_LINK, SOCKETS } from './tables';

/** A representative socket id: one digit, as every id 0..6 is. */
const SOCKET = 0;

/** Bytes of a command line as the host writes it: `AT`, the command, CR. */
function commandBytes(name: string, params: Parameters<typeof buildCommand>[1]): number {
  return encodeCommandLine(buildCommand(name, params), '\r').length;
}

/** Bytes of information text or a result code as the module prints it (verbose): CR LF, the text, CR LF. */
function answerBytes(text: string): number {
  return text.length + 4;
}

/** The announcement after a partial read: `+UUSORD: <socket>,<length>` with a remainder of about a chunk. */
const REANNOUNCE = answerBytes(`+UUSORD: ${SOCKET},${SOCKETS.maxChunk}`);

/** The escape sequence and its default guard time (S12), as the dialect declares them. */
export const ESCAPE = ubloxDialect.escape ?? { sequence: '+++', guardMs: 1000 };

export type SendMethodKind = 'binary' | 'hex' | 'direct-link';
export type ReceiveMethodKind = 'read' | 'direct-link';

export const USOWR_BINARY: TransferMethod = {
  name: `AT+USOWR binary syntax, ${SOCKETS.maxChunk}-byte chunks, ${SOCKETS.promptDelayMs} ms after each @`,
  chunk: SOCKETS.maxChunk,
  perChunk: {
    hostBytes: (n) => commandBytes('+USOWR', [p.int('socket', SOCKET), p.int('length', n)]) + n,
    moduleBytes: (n) => SOCKETS.prompt.length + answerBytes(`+USOWR: ${SOCKET},${n}`) + answerBytes('OK'),
    waitMs: SOCKETS.promptDelayMs,
    flow: 'turns',
  },
};

export const USOWR_HEX: TransferMethod = {
  name: `AT+USOWR in HEX mode (+UDCONF=1,1), ${SOCKETS.maxHexChunk}-byte chunks as hex digits`,
  chunk: SOCKETS.maxHexChunk,
  perChunk: {
    hostBytes: (n) => commandBytes('+USOWR', [p.int('socket', SOCKET), p.int('length', n), p.str('data', '0'.repeat(2 * n))]),
    moduleBytes: (n) => answerBytes(`+USOWR: ${SOCKET},${n}`) + answerBytes('OK'),
    flow: 'turns',
  },
  // HEX mode on before the chunks and off after them.
  once: {
    hostBytes: 2 * commandBytes('+UDCONF', [p.int('op_code', SOCKETS.hexModeOp), p.int('hex_mode_disable', 1)]),
    moduleBytes: 2 * answerBytes('OK'),
    waitMs: 0,
  },
};

/** Entering and leaving direct link: the command and `CONNECT`, the escape and `DISCONNECT`, and `guards` guard times. */
function directLinkOnce(guardMs: number, guards: number): NonNullable<TransferMethod['once']> {
  return {
    hostBytes: commandBytes('+USODL', [p.int('socket', SOCKET)]) + ESCAPE.sequence.length,
    moduleBytes: answerBytes(DIRECT_LINK.connect) + answerBytes(DIRECT_LINK.disconnect),
    waitMs: guards * guardMs,
  };
}

/** Direct link for a send: the silence before the escape and the one after it. */
export function directLinkSend(guardMs: number = ESCAPE.guardMs): TransferMethod {
  return {
    name: `AT+USODL direct link, raw bytes; ${guardMs} ms guard times around ${ESCAPE.sequence}`,
    // Only the unit of the arithmetic (and of the writes): the line carries the bytes as they come.
    chunk: DIRECT_LINK.writeChunk,
    perChunk: { hostBytes: (n) => n, moduleBytes: () => 0, flow: 'stream' },
    once: directLinkOnce(guardMs, 2),
  };
}

/**
 * Direct link for a backlog the module holds: the host is silent from the command on, so only the
 * guard after the escape is spent (the one before it passes while the data comes).
 */
export function directLinkReceive(guardMs: number = ESCAPE.guardMs): TransferMethod {
  return {
    name: `AT+USODL direct link, raw bytes; a ${guardMs} ms guard time after ${ESCAPE.sequence}`,
    chunk: DIRECT_LINK.writeChunk,
    perChunk: { hostBytes: () => 0, moduleBytes: (n) => n, flow: 'stream' },
    once: directLinkOnce(guardMs, 1),
  };
}

export const USORD_READS: TransferMethod = {
  name: `AT+USORD reads of ${SOCKETS.maxChunk} bytes, each partial read announced again by +UUSORD`,
  chunk: SOCKETS.maxChunk,
  perChunk: {
    hostBytes: (n) => commandBytes('+USORD', [p.int('socket', SOCKET), p.int('length', n)]),
    // `+USORD: <socket>,<length>,"` the data `"` CR LF, then OK; the rest announced again.
    moduleBytes: (n) => answerBytes(`+USORD: ${SOCKET},${n},"`) - 2 + n + 3 + answerBytes('OK') + REANNOUNCE,
    flow: 'turns',
  },
};

/** The send methods with the guard time the module uses, each with the name `sockets.ts` knows it by. */
function sendMethods(guardMs: number): ReadonlyArray<[SendMethodKind, TransferMethod]> {
  return [
    ['binary', USOWR_BINARY],
    ['hex', USOWR_HEX],
    ['direct-link', directLinkSend(guardMs)],
  ];
}

function receiveMethods(guardMs: number): ReadonlyArray<[ReceiveMethodKind, TransferMethod]> {
  return [
    ['read', USORD_READS],
    ['direct-link', directLinkReceive(guardMs)],
  ];
}

/** The quickest way to send `payloadBytes` at `baudRate` with the module's guard time. */
export function chooseSend(payloadBytes: number, baudRate: number, guardMs: number = ESCAPE.guardMs): { kind: SendMethodKind; method: TransferMethod } {
  const methods = sendMethods(guardMs);
  const method = fastestMethod(methods.map(([, m]) => m), payloadBytes, baudRate);
  return { kind: methods.find(([, m]) => m === method)![0], method };
}

/** The quickest way to take a backlog of `payloadBytes` the module announced. */
export function chooseReceive(payloadBytes: number, baudRate: number, guardMs: number = ESCAPE.guardMs): { kind: ReceiveMethodKind; method: TransferMethod } {
  const methods = receiveMethods(guardMs);
  const method = fastestMethod(methods.map(([, m]) => m), payloadBytes, baudRate);
  return { kind: methods.find(([, m]) => m === method)![0], method };
}

/** What the vendor record carries: the module's default guard time (S12 = 50). */
export const ubloxTransfer: TransferMethods = {
  send: (payloadBytes, baudRate) => chooseSend(payloadBytes, baudRate).method,
  receive: (payloadBytes, baudRate) => chooseReceive(payloadBytes, baudRate).method,
};
