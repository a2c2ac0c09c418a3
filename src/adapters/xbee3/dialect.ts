/**
 * Digi XBee3 Cellular framing. The module is not a V.250 modem: its serial port carries data
 * (API frames, or transparent bytes) except during a command-mode session, which opens with
 * guard-time silence, `+++` and guard-time silence, answered `OK\r`, and ends with `ATCN` or after
 * CT without a command (XBee3 Cellular User Guide, "Enter Command mode", "Send AT commands"). The
 * engine opens a session for each run of commands (`commandSession`) and leaves it after the last.
 *
 * In command mode there is no echo and every answer is one line ended by CR alone: `OK`, `ERROR`,
 * or the value asked for — any other single line ends the command. `ATFS LS` ends its listing with
 * an empty line (`blankLines`), and file-system errors start with a capital E ("Error responses");
 * the adapter gives those commands their own finals.
 *
 * Secrets: none on a command line the adapter sends — a private key goes as `ATFS XPUT` file
 * content over YMODEM, never on a line, and only its size is traced.
 */
import { dialectRedaction, type VendorDialect } from '../types';
import { COMMAND_MODE } from './tables';

export const xbee3Dialect: VendorDialect = {
  vendor: 'xbee3',
  label: 'Digi XBee3 Cellular',
  initCommands: [],
  atPrefix: true,
  commandModeEntry: { sequence: COMMAND_MODE.sequence, guardMs: COMMAND_MODE.guardDefaultMs },
  commandSession: { entryReply: COMMAND_MODE.reply, exitCommand: COMMAND_MODE.exit, idleTimeoutMs: COMMAND_MODE.idleDefaultMs, lingerMs: 50 },
  blankLines: true,
  finals: [
    { pattern: /^ERROR$/, success: false },
    // A query answers with its value and no OK: any other line ends the command, an empty one too (an empty value).
    { pattern: /^.*$/, success: true },
  ],
  urcs: [],
  ...dialectRedaction(),
};
