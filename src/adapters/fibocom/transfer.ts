/**
 * How the L610 moves bulk data, as bytes on the wire (`../transfer.ts`): the description the
 * vendor record carries for `npm run bench`, and the one `sockets.ts` takes its chunk size from
 * and the adapter its receive format.
 *
 * Sending: `AT+MIPSEND=<id>,<len>`, the `> ` prompt, exactly len raw bytes, then
 * `+MIPSEND: <id>,<status>,<free>` and `OK` (see `sockets.ts` for the sources), in chunks of the
 * module's 2048-byte socket buffer. The other form the +MIP family has — `AT+MIPSEND=<id>,"<hex>"`
 * into the buffer, then `AT+MIPPUSH=<id>` — spends two bytes on each payload byte and a second
 * command, so it is never the faster and is not offered.
 *
 * Receiving: in the factory format the module pushes `+MIPRTCP: <id>,<left>,<hex>`, two bytes on
 * the line for each byte received. In read mode (`AT+GTSET="IPRFMT",5`, `tables.ts`) it announces
 * data with `+MIPREAD: <id>,<len>` and the host fetches it raw, 2048 bytes a time, with
 * `AT+MIPREAD=<id>,<len>` → `+MIPDATA: <id>,<n>`, the n bytes, `OK`: a command and an answer per
 * chunk, but one byte on the line per byte received. The format is the module's, not a
 * connection's, so the adapter chooses it once, at bring-up, for bulk data (`receiveFormat`).
 * (Format 2 would push raw bytes behind a `+MIPRTCP:` header, but that header reads like the hex
 * one: see `FibocomAdapter.chooseReceiveFormat`.)
 *
 * Not offered: the module's transparent connection (`AT+MIPODM`, "online data mode"), which
 * carries raw bytes both ways but is a connection of its own kind for its whole life, and
 * whose use with SSL (protocol 2) none of the sources at hand shows.
 *
 * Owns: those byte counts, from the command builder and the socket limits.
 * Must never: hold behaviour; the sockets decide when to send and read.
 */
import { buildCommand, encodeCommandLine, p } from '../../at/command';
import { fastestMethod, type TransferMethod, type TransferMethods } from '../transfer';
import { fibocomDialect } from './dialect';
import { IPRFMT, SOCKETS } from './tables';

/** How the dialect ends command lines (the engine's default, CR). */
const TERMINATOR = fibocomDialect.terminator ?? '\r';
/** A line of information text or a result code as the module frames it (echo off, verbose): CR LF, the text, CR LF. */
const framed = (text: string): number => text.length + 4;
/** The largest socket number, for the digits it takes. */
const ID = SOCKETS.ids.max;

function commandBytes(name: string, length: number): number {
  return encodeCommandLine(buildCommand(name, [p.int('Socket_ID', ID), p.int('length', length)]), TERMINATOR).length;
}

/** The prompt of counted input: CR LF `>` space. */
const PROMPT = 4;
const OK = framed('OK');

/**
 * `AT+MIPSEND=<id>,<n>`, `> `, n bytes, `+MIPSEND: <id>,0,<free>`, `OK`. The free room is counted
 * at its shortest (one digit): the ceiling is the fastest the exchange can be.
 */
export const COUNTED_SEND: TransferMethod = {
  name: `AT+MIPSEND=<id>,<n> and n raw bytes after the prompt, ${SOCKETS.maxChunk}-byte chunks`,
  chunk: SOCKETS.maxChunk,
  perChunk: {
    hostBytes: (n) => commandBytes('+MIPSEND', n) + n,
    moduleBytes: () => PROMPT + framed(`+MIPSEND: ${ID},0,0`) + OK,
    flow: 'turns',
  },
};

/**
 * Read mode: each `AT+MIPREAD` asks for a whole chunk and gets what is waiting; the reads go on
 * until one comes back short, so a payload that is a whole number of chunks costs one empty read
 * (`OK` alone) more. Once per transfer: the `+MIPREAD: <id>,<len>` that announces it.
 */
function readMode(payloadBytes: number): TransferMethod {
  const chunk = SOCKETS.maxChunk;
  const emptyRead = payloadBytes % chunk === 0;
  return {
    name: `AT+GTSET="IPRFMT",${IPRFMT.read} read mode: +MIPREAD announces, AT+MIPREAD=<id>,${chunk} fetches raw bytes`,
    chunk,
    perChunk: {
      hostBytes: () => commandBytes('+MIPREAD', chunk),
      moduleBytes: (n) => framed(`+MIPDATA: ${ID},${n}`) + n + OK,
      flow: 'turns',
    },
    once: {
      hostBytes: emptyRead ? commandBytes('+MIPREAD', chunk) : 0,
      moduleBytes: framed(`+MIPREAD: ${ID},${payloadBytes}`) + (emptyRead ? OK : 0),
      waitMs: 0,
    },
  };
}

/**
 * The factory format: `+MIPRTCP: <id>,<left>,<hex>` pushed. How much each carries is the module's
 * choice (taken as a chunk), and `<left>` at its shortest: the cheapest this format can be.
 */
export const HEX_PUSH: TransferMethod = {
  name: `AT+GTSET="IPRFMT",${IPRFMT.hex}: +MIPRTCP pushed, two hex digits per byte`,
  chunk: SOCKETS.maxChunk,
  perChunk: {
    hostBytes: () => 0,
    moduleBytes: (n) => framed(`+MIPRTCP: ${ID},0,`) + 2 * n,
    flow: 'stream',
  },
};

/**
 * No method here forces a wait, so which one is faster does not depend on the line rate: the
 * choices the adapter makes without knowing the rate (at bring-up, per send) are made at this one.
 */
const ANY_RATE = 115200;

/** The `IPRFMT` the adapter asks for at bring-up: the format that brings bulk data (a few chunks) in soonest. */
export function receiveFormat(): number {
  const bulk = 4 * SOCKETS.maxChunk;
  return fastestMethod([readMode(bulk), HEX_PUSH], bulk, ANY_RATE) === HEX_PUSH ? IPRFMT.hex : IPRFMT.read;
}

/** The ways the adapter can send. */
const SEND_METHODS: readonly TransferMethod[] = [COUNTED_SEND];

/** The way the adapter sends `payloadBytes`: the fastest of those it implements. */
export function sendMethod(payloadBytes: number, baudRate = ANY_RATE): TransferMethod {
  return fastestMethod(SEND_METHODS, payloadBytes, baudRate);
}

/** What the adapter uses when the flow has not chosen a mode (the only mode the L610 connections have here). */
export const fibocomTransfer: TransferMethods = {
  send: sendMethod,
  // Read mode, unless the module refused it at bring-up (then the factory hex format).
  receive: (payloadBytes) => (receiveFormat() === IPRFMT.read ? readMode(payloadBytes) : HEX_PUSH),
};
