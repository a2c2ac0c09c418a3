/**
 * How a Telit module moves bulk data, as bytes on the wire (`../transfer.ts`): the description the
 * vendor record carries for `npm run bench`, and the one the adapter chooses its method by and
 * takes its chunk sizes from.
 *
 * Sending, three documented ways (SSL/TLS User Guide 1vv0300989, seeds/001):
 * - `#SSLSEND` (§7.1.2.1): the command, the `>` prompt, text ended by Ctrl-Z, `OK`. Text only; at
 *   most 1023 bytes a command (AT reference guides: "trying to send more data will cause the
 *   surplus to be discarded").
 * - `#SSLSENDEXT` (§7.1.2.1): the command with the byte count, the prompt, exactly that many bytes
 *   of any value, `OK`. At most 1500 bytes a command (AT reference guides, `<bytestosend>`
 *   1..1500). Each chunk is two turns: command → prompt, data → OK.
 * - ONLINE mode (§7.1.1): `#SSLO` switches a COMMAND-mode socket to ONLINE "at any moment"
 *   (§7.1.2), `CONNECT`, then every byte on the line is the socket's until the escape sequence
 *   `+++`, which must stand alone between two guard times of silence (the S12 register: 50 × 20 ms
 *   by default, at least 20; Telit AT Commands Reference Guides, "Escape Prompt Delay", e.g.
 *   LE910Cx 80502ST10950A §3.2.3.10), and `OK`. Raw bytes at the line rate, and two guard times
 *   per transfer.
 * Receiving: with `<sslSRingMode>` 2 the data comes in the URC itself, `SSLSRING: <SSId>,<dataLen>,
 * <data>`, at most 1300 bytes each on 3G/4G modules and 256 on 2G (§7.1.2.2), with nothing asked
 * by the host; with mode 1 the URC only announces the amount and the host reads it with
 * `#SSLRECV`, at most 1000 bytes a read (AT reference guides, `<MaxNumByte>`).
 *
 * The host's own settings are assumed: echo off (`ATE0`, sent at start-up) and verbose result
 * codes, so each answer line is CR LF, the text, CR LF.
 *
 * Owns: the limits of those commands, their byte counts — derived from the command builder — and
 * the choice among them for a payload and a line rate. Must never: hold behaviour; the adapter sends.
 */
import { buildCommand, encodeCommandLine, p, type AtParam, type CommandLine } from '../../at/command';
import { fastestMethod, type TransferMethod, type TransferMethods } from '../transfer';
import { telitDialect } from './dialect';
import { SSLCFG_ROWS } from './options';
import { telitPlatform } from './platforms';

/** `<bytestosend>` of #SSLSENDEXT: 1..1500 (AT reference guides). */
export const MAX_SEND_EXT = 1500;
/** #SSLSEND takes at most 1023 bytes of text a command (AT reference guides). */
export const MAX_SEND_TEXT = 1023;
/** #SSLRECV returns at most 1000 bytes a read (AT reference guides, `<MaxNumByte>`). */
export const MAX_RECV = 1000;

/** §7.1.2.1: "the '>' prompt appears", on a line of its own. */
const PROMPT = '\r\n> ';
/** Ctrl-Z, the end of #SSLSEND's text. */
const CTRL_Z_BYTES = 1;

/** The escape sequence and its default guard time (S12 = 50 × 20 ms), as the dialect declares them. */
export const ESCAPE = telitDialect.escape ?? { sequence: '+++', guardMs: 1000 };
/** S12 counts fiftieths of a second (Telit AT Commands Reference Guides, "ATS12 - Escape Prompt Delay": LE910Cx 80502ST10950A §3.2.3.10). */
export const S12_UNIT_MS = 20;

/** A representative secure socket id: one digit, as every SSId of the platforms is. */
const SSID = 1;

/** Bytes of information text, a result code or a URC as the module prints it: CR LF, the text, CR LF. */
function answerBytes(text: string): number {
  return text.length + 4;
}

export const sendTextLine = (ssid: number): CommandLine => buildCommand('#SSLSEND', [p.int('SSId', ssid)]);
export const sendExtLine = (ssid: number, n: number): CommandLine => buildCommand('#SSLSENDEXT', [p.int('SSId', ssid), p.int('bytestosend', n)]);
export const onlineLine = (ssid: number): CommandLine => buildCommand('#SSLO', [p.int('SSId', ssid)]);
export const receiveLine = (ssid: number, n: number, timeout: AtParam = p.omit()): CommandLine => buildCommand('#SSLRECV', [p.int('SSId', ssid), p.int('MaxNumByte', n), timeout]);

/** Bytes of a command line as the host writes it: `AT`, the command, CR. */
const lineBytes = (line: CommandLine): number => encodeCommandLine(line, '\r').length;

export const SSLSEND: TransferMethod = {
  name: `AT#SSLSEND, text in ${MAX_SEND_TEXT}-byte chunks ended by Ctrl-Z`,
  chunk: MAX_SEND_TEXT,
  perChunk: {
    hostBytes: (n) => lineBytes(sendTextLine(SSID)) + n + CTRL_Z_BYTES,
    moduleBytes: () => PROMPT.length + answerBytes('OK'),
    flow: 'turns',
  },
};

export const SSLSENDEXT: TransferMethod = {
  name: `AT#SSLSENDEXT, ${MAX_SEND_EXT}-byte chunks by exact size`,
  chunk: MAX_SEND_EXT,
  perChunk: {
    hostBytes: (n) => lineBytes(sendExtLine(SSID, n)) + n,
    moduleBytes: () => PROMPT.length + answerBytes('OK'),
    flow: 'turns',
  },
};

/**
 * ONLINE mode for one send: `#SSLO` and `CONNECT`, the bytes as they come, then the silence before
 * the escape, `+++`, the silence after it and `OK`.
 */
export function onlineSend(guardMs: number = ESCAPE.guardMs, payloadBytes = 1): TransferMethod {
  return {
    name: `ONLINE mode (AT#SSLO, raw bytes, ${ESCAPE.sequence}); ${guardMs} ms guard times`,
    // Only the unit of the arithmetic: the line carries the bytes as they come.
    chunk: Math.max(1, payloadBytes),
    perChunk: { hostBytes: (n) => n, moduleBytes: () => 0, flow: 'stream' },
    once: {
      hostBytes: lineBytes(onlineLine(SSID)) + ESCAPE.sequence.length,
      moduleBytes: answerBytes('CONNECT') + answerBytes('OK'),
      waitMs: 2 * guardMs,
    },
  };
}

/** `<sslSRingMode>` 2: the data in the URC, `sringChunk` bytes at most each (§7.1.2.2). */
export function sringData(sringChunk: number): TransferMethod {
  return {
    name: `SSLSRING mode 2, data in the URC, ${sringChunk} bytes at most each`,
    chunk: sringChunk,
    // CR LF `SSLSRING: <SSId>,<dataLen>,` the data CR LF.
    perChunk: { hostBytes: () => 0, moduleBytes: (n) => answerBytes(`SSLSRING: ${SSID},${n},`) + n, flow: 'stream' },
  };
}

/** `<sslSRingMode>` 1: each amount announced, then read with #SSLRECV (§7.4.4.1). */
export const SSLRECV_READS: TransferMethod = {
  name: `SSLSRING mode 1 announcements and AT#SSLRECV reads of ${MAX_RECV} bytes`,
  chunk: MAX_RECV,
  perChunk: {
    hostBytes: (n) => lineBytes(receiveLine(SSID, n)),
    // The announcement, `#SSLRECV: <n>` CR LF the data, OK.
    moduleBytes: (n) => answerBytes(`SSLSRING: ${SSID},${n}`) + answerBytes(`#SSLRECV: ${n}`) + n + answerBytes('OK'),
    flow: 'turns',
  },
};

export type SendKind = 'text' | 'binary' | 'online';
export type ReceiveKind = 'sring-data' | 'read';

export interface SendChoice {
  kind: SendKind;
  method: TransferMethod;
}

/**
 * The quickest way to send `payloadBytes` at `baudRate`: `text` when the payload may go by
 * #SSLSEND (no byte that ends or edits its text), `onlineGuardMs` the module's escape guard time
 * when ONLINE mode may be used (undefined: it may not).
 */
export function chooseSend(payloadBytes: number, baudRate: number, options: { text: boolean; onlineGuardMs?: number }): SendChoice {
  const candidates: Array<[SendKind, TransferMethod]> = [
    ...(options.text ? [['text', SSLSEND] as [SendKind, TransferMethod]] : []),
    ['binary', SSLSENDEXT],
    ...(options.onlineGuardMs !== undefined ? [['online', onlineSend(options.onlineGuardMs, payloadBytes)] as [SendKind, TransferMethod]] : []),
  ];
  const method = fastestMethod(candidates.map(([, m]) => m), payloadBytes, baudRate);
  return { kind: candidates.find(([, m]) => m === method)![0], method };
}

/**
 * How what the server sends reaches the host under a profile's `<sslSRingMode>`: 2 (the default of
 * our profiles) in the URC itself, 1 announced and read. On 3G/4G modules mode 2 is also the fewer
 * bytes; on 2G modules (256-byte URCs) mode 1's 1000-byte reads carry slightly fewer, but each
 * read is a command on the port every flow of the modem shares, so mode 2 stays the default there
 * too. Mode 0 pushes nothing: a flow reads when it asks (as mode 1's reads).
 */
export function receiveMethod(sslSRingMode: number, sringChunk: number): { kind: ReceiveKind; method: TransferMethod } {
  return sslSRingMode === 2 ? { kind: 'sring-data', method: sringData(sringChunk) } : { kind: 'read', method: SSLRECV_READS };
}

/** The platform the vendor record describes: a 3G/4G module (1300-byte SSLSRING data). */
const RECORD_PLATFORM = telitPlatform('30')!;
/** What a profile gets unless the flow chooses: the `<sslSRingMode>` row's default. */
const DEFAULT_SRING_MODE = Number(SSLCFG_ROWS.find((row) => row.name === 'sslSRingMode')?.default ?? 2);

/**
 * What the vendor record carries: any payload (not only text), a serial line whose rate the
 * adapter knows, the module's default guard time (S12 = 50), a 3G/4G platform and a profile with
 * the default `<sslSRingMode>`.
 */
export const telitTransfer: TransferMethods = {
  send: (payloadBytes, baudRate) => chooseSend(payloadBytes, baudRate, { text: false, onlineGuardMs: ESCAPE.guardMs }).method,
  receive: () => receiveMethod(DEFAULT_SRING_MODE, RECORD_PLATFORM.sringChunk).method,
};
