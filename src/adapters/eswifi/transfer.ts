/**
 * How the eS-WiFi moves bulk data, as bytes on the wire (`../transfer.ts`): the command lines
 * `sockets.ts` sends for it, and the description the vendor record carries for `npm run bench`.
 *
 * The module takes one command at a time and ends every answer with its ready prompt `> `, so
 * each chunk is a turn: `S3=<n>` CR and the n bytes, answered `CR LF <n> CR LF OK CR LF > `
 * (Inventek "How to Send data", inventeksys.com/iwin/how-to-send-data: "Binary Data (1-1460
 * bytes)", and large packets such as 1460 bytes for throughput); and `R0` CR, answered
 * `CR LF <up to R1 bytes> CR LF OK CR LF > `, R1 at its largest, 1460 (Zephyr eswifi_socket.c).
 * `P0=<socket>` selects the socket every S and R command acts on: once per transfer at best
 * (the sockets send it again whenever another command may have changed it, see `selection.ts`).
 * The module never says that data arrived, so an ideal host reads again the moment an answer
 * ends; the poller's pauses while a connection is idle are not part of the method.
 *
 * The same Inventek page offers `S0` CR and the bytes, their count set beforehand by `S1`: five
 * bytes fewer per 1460-byte chunk (0.3 %), but S1 is one more setting another section could
 * change, so it would be sent again with every burst — a turn more — and a last, shorter chunk
 * needs it changed or an S3. S3 alone is what ST es_wifi.c, Zephyr and mbed send, and so does
 * this adapter.
 *
 * Owns: the data commands' lines and their byte counts. Must never: hold behaviour.
 */
import { buildCommand, encodeCommandLine, p, type CommandLine } from '../../at/command';
import { digits, type TransferMethod, type TransferMethods } from '../transfer';
import { eswifiDialect } from './dialect';
import { ESWIFI } from './selection';
import { SOCKETS, WIRE } from './tables';

const TERMINATOR = eswifiDialect.terminator ?? '\r';

/** `S3=<n>`: the n bytes follow the CR at once (the engine's `inline`). */
export function sendLine(n: number): CommandLine {
  return buildCommand('S3', [p.int('length', n, { min: 1, max: SOCKETS.maxSend })], ESWIFI);
}

/** `R0`: up to R1 bytes the module holds for the selected socket. */
export const READ_LINE: CommandLine = buildCommand('R0', [], ESWIFI);

/** Bytes of a command line with its terminator. */
const lineBytes = (line: CommandLine): number => encodeCommandLine(line, TERMINATOR).length;

/** An answer carrying `n` bytes of data or text: CR LF, the bytes, CR LF OK CR LF `> `. */
const answerBytes = (n: number): number => WIRE.start.length + n + WIRE.okEnd.length;

/** `P0=<id>` and its empty answer, once (every socket id is one digit). */
const SELECT = { hostBytes: lineBytes(buildCommand('P0', [p.int('socket', SOCKETS.ids.min)], ESWIFI)), moduleBytes: answerBytes(0), waitMs: 0 };

export const S3_SEND: TransferMethod = {
  name: `S3 chunks of ${SOCKETS.maxSend} bytes, each answered before the next`,
  chunk: SOCKETS.maxSend,
  perChunk: {
    hostBytes: (n) => lineBytes(sendLine(n)) + n,
    moduleBytes: (n) => answerBytes(digits(n)),
    flow: 'turns',
  },
  once: SELECT,
};

export const R0_RECEIVE: TransferMethod = {
  name: `R0 reads of R1=${SOCKETS.maxRead} bytes, one after another`,
  chunk: SOCKETS.maxRead,
  perChunk: {
    hostBytes: () => lineBytes(READ_LINE),
    moduleBytes: (n) => answerBytes(n),
    flow: 'turns',
  },
  once: SELECT,
};

/** One method each way, whatever the size or the rate. */
export const eswifiTransfer: TransferMethods = {
  send: () => S3_SEND,
  receive: () => R0_RECEIVE,
};
