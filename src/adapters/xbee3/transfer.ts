/**
 * How the XBee3 moves bulk data, as bytes on the wire (`../transfer.ts`): the description the
 * vendor record carries for `npm run bench` and the one `sockets.ts` takes its chunk size from.
 *
 * API mode (`mode: "command"`, what a flow gets unless it asks for transparent mode): data goes
 * in Socket Send frames (0x44) of at most 1500 bytes, each confirmed by a Transmit Status (0x89),
 * and comes in Socket Receive frames (0xCD) the module pushes without being asked (XBee3 Cellular
 * User Guide, "Socket Send - 0x44", "Socket Receive - 0xCD", "Transmit (TX) Status - 0x89"). A
 * frame ID is there so that a host can match a status to its request ("API frame format"), and
 * Digi's own host library writes each Socket Send without waiting for the status of the one
 * before (XBee ANSI C Library, github.com/digidotcom/xbee_ansic_library, `xbee_sock_send` in
 * src/xbee/xbee_socket.c: the status reaches the socket's notify callback later; a full serial
 * buffer or a de-asserted CTS is the only reason it holds back), so frames stream while statuses
 * come back: both directions flow at once. With AP 2 (what the adapter sets up) the bytes 0x7E, 0x7D,
 * 0x11 and 0x13 after a frame's delimiter take two bytes each ("API operation with escaped
 * characters"): the description counts what that costs on payload bytes spread evenly over the
 * 256 values, as random or compressed data is (text escapes fewer).
 *
 * Transparent mode (`mode: "online"`, profile 0 only, one connection) is not described here: the
 * flow asks for it at tls-open, and after `ATCN` every byte on the port is the connection's, both
 * ways — the line rate itself ("Transparent mode behavior for outgoing TCP and TLS connections").
 *
 * Owns: those byte counts, derived from the frame codec and the socket limits.
 * Must never: hold behaviour; the sockets decide when to send.
 */
import type { TransferMethod, TransferMethods } from '../transfer';
import { encodeFrame, type ApiFrame } from './api-frames';
import { SOCKETS } from './tables';

const EMPTY = Buffer.alloc(0);

/** Bytes of a frame beyond its payload, unescaped: delimiter, length, fields, checksum. */
function framing(frame: ApiFrame): number {
  return encodeFrame(frame, false).length;
}

/** AP 2 escapes 4 of the 256 byte values: the bytes it adds, on average, to `n` bytes spread evenly over them. */
const escapes = (n: number): number => (n * 4) / 256;

/** Socket Send of an empty payload: 8 bytes. */
const SEND_FRAMING = framing({ type: 0x44, frameId: 1, socket: 0, options: 0, payload: EMPTY });
/** Transmit Status: 7 bytes. */
const STATUS_FRAME = framing({ type: 0x89, frameId: 1, status: 0 });
/** Socket Receive of an empty payload: 8 bytes. */
const RECEIVE_FRAMING = framing({ type: 0xcd, frameId: 0, socket: 0, status: 0, payload: EMPTY });

/** Socket Send frames streamed, each answered by its Transmit Status; the escapes of payload, frame ID and checksum. */
export const API_SEND: TransferMethod = {
  name: `Socket Send (0x44) frames of ${SOCKETS.maxChunk} bytes, ${SOCKETS.sendWindow} under way at once, AP 2`,
  chunk: SOCKETS.maxChunk,
  perChunk: {
    hostBytes: (n) => SEND_FRAMING + n + escapes(n + 2),
    moduleBytes: () => STATUS_FRAME + escapes(2),
    flow: 'stream',
  },
};

/** Socket Receive frames pushed by the module (frame ID 0); the escapes of payload and checksum. */
export const API_RECEIVE: TransferMethod = {
  name: `Socket Receive (0xCD) frames of ${SOCKETS.maxChunk} bytes pushed by the module, AP 2`,
  chunk: SOCKETS.maxChunk,
  perChunk: {
    hostBytes: () => 0,
    moduleBytes: (n) => RECEIVE_FRAMING + n + escapes(n + 1),
    flow: 'stream',
  },
};

/** What the adapter uses when the flow has not chosen a mode: API-mode sockets, whatever the size or the rate. */
export const xbee3Transfer: TransferMethods = {
  send: () => API_SEND,
  receive: () => API_RECEIVE,
};
