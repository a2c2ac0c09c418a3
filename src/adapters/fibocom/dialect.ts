/**
 * Fibocom L610 framing (seeds/004; `l. n` is a line of that file, and `tables.ts` says where the
 * full +MIP syntax comes from).
 *
 * URCs:
 * - `+MIPCALL: <ip>` after an activation, `+MIPCALL: 0` when the data connection ends (l. 329, 446);
 * - `+MIPOPEN: <id>,<state>` after `AT+MIPOPEN`'s OK — 1 connected, 0 failed — also printed
 *   without the colon in two examples (`+MIPOPEN 1,0`, l. 360, 388): both are taken;
 * - `+MIPRTCP: <id>,<left>,<hex data>` received data, two hex digits per byte (l. 424–432), in
 *   the module's factory format (`+GTSET="IPRFMT",0`);
 * - `+MIPREAD: <id>,<len>` in read mode (`+GTSET="IPRFMT",5`): data waits in the module for
 *   `AT+MIPREAD=<id>,<len>`, whose answer `+MIPDATA: <id>,<n>` is followed on the next line by
 *   exactly n raw bytes (`MIPDATA`; RT-Thread at_device class/l610/at_socket_l610.c);
 * - `+MIPCLOSE: <id>,<n>[,…]` a connection closed (l. 341, 405), `+MIPSTAT: <id>,<n>[,…]` its state
 *   changed (n 0 acknowledges data; anything else ends it), `+MIPPUSH: <id>,<status>[,…]` a push done,
 *   `+MIPXOFF: <id>` / `+MIPXON: <id>` flow control;
 * - `+SIM READY`, printed by the module when it has started: the sign of a restart, after which
 *   every file and setting of its SSL commands is gone (l. 121).
 *
 * Secrets in raw command lines: the APN password of `+MIPCALL=<operation>,<APN>,<user>,<password>`.
 * What follows the `>` of +GTSSLFILE (a private key, for KEYFILE) is never traced: it is prompt data.
 */
import type { UrcRule } from '../../at/engine';
import type { PayloadRule } from '../../at/framer';
import { STANDARD_URCS } from '../../at/urcs';
import { HAYES_ESCAPE, HAYES_INIT } from '../hayes';
import { dialectRedaction, type VendorDialect } from '../types';

/** `+MIPRTCP: <id>,<left>,<hex>` — the byte count comes from the hex, not `<left>` (l. 426 and 432 both say 201). */
function parseReceived(_line: string, m: RegExpExecArray): Record<string, unknown> {
  const hex = m[3];
  const fields: Record<string, unknown> = { socket: Number(m[1]), left: Number(m[2]) };
  if (hex.length % 2 !== 0) fields.broken = `${hex.length} hex digits (an odd number)`;
  fields.data = Buffer.from(hex.length % 2 === 0 ? hex : hex.slice(0, -1), 'hex');
  return fields;
}

/**
 * The answer to `AT+MIPREAD=<id>,<len>`: `+MIPDATA: <id>,<n>`, CR LF, then n bytes of any value
 * (they may hold `OK` or a URC), then `OK`. Nothing waiting: `OK` alone. Never more than the read
 * asked for; `maxLength` keeps a garbled header from swallowing what follows.
 */
export const MIPDATA: PayloadRule = {
  name: '+MIPDATA',
  pattern: /^\+MIPDATA: ?\d+,(\d+)/,
  where: 'next-line',
  length: (m) => Number(m[1]),
  maxLength: 1 << 16,
};

const URCS: readonly UrcRule[] = [
  { name: '+MIPRTCP', pattern: /^\+MIPRTCP: ?(\d+),(\d+),([0-9A-Fa-f]*)$/, parse: parseReceived },
  { name: '+MIPREAD', pattern: /^\+MIPREAD: ?(\d+),(\d+)$/, parse: (_l, m) => ({ socket: Number(m[1]), length: Number(m[2]) }) },
  // l. 360 prints `+MIPOPEN 1.0`: a full stop for the comma is read as well.
  { name: '+MIPOPEN', pattern: /^\+MIPOPEN:? ?(\d+)[,.](\d+)/, parse: (_l, m) => ({ socket: Number(m[1]), state: Number(m[2]) }) },
  { name: '+MIPCLOSE', pattern: /^\+MIPCLOSE: ?(\d+)(?:,(\d+))?/, parse: (_l, m) => ({ socket: Number(m[1]), ...(m[2] !== undefined ? { state: Number(m[2]) } : {}) }) },
  { name: '+MIPSTAT', pattern: /^\+MIPSTAT: ?(\d+),(\d+)/, parse: (_l, m) => ({ socket: Number(m[1]), status: Number(m[2]) }) },
  { name: '+MIPCALL', pattern: /^\+MIPCALL: ?(.+)$/, parse: (_l, m) => ({ address: m[1].trim() }) },
  { name: '+MIPPUSH', pattern: /^\+MIPPUSH: ?(\d+),(\d+)/, parse: (_l, m) => ({ socket: Number(m[1]), status: Number(m[2]) }) },
  { name: '+MIPXOFF', pattern: /^\+MIPXOFF: ?(\d+)$/, parse: (_l, m) => ({ socket: Number(m[1]) }) },
  { name: '+MIPXON', pattern: /^\+MIPXON: ?(\d+)$/, parse: (_l, m) => ({ socket: Number(m[1]) }) },
  { name: '+SIM READY', pattern: /^\+SIM READY$/ },
  ...STANDARD_URCS,
];

export const fibocomDialect: VendorDialect = {
  vendor: 'fibocom',
  label: 'Fibocom L610',
  initCommands: HAYES_INIT,
  atPrefix: true,
  escape: HAYES_ESCAPE,
  urcs: URCS,
  // A +MIPRTCP of 4096 bytes (twice the largest chunk the public drivers read) is 8192 hex digits and its header.
  maxLineLength: 8300,
  ...dialectRedaction({ parameters: [{ name: '+MIPCALL', secret: { from: 3 } }] }),
};
