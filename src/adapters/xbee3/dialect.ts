/**
 * Digi XBee3 Cellular framing (seeds/000 and the XBee3 Cellular User Guide, "AT commands" /
 * "Command mode"). The module starts in transparent mode: command mode is entered with
 * `+++` surrounded by a guard time (GT, default 1 s), answered by `OK<CR>`. Every command
 * then gets exactly one CR-terminated line: `OK`, `ERROR` or the queried value.
 */
import { dialectRedaction, type VendorDialect } from '../types';

export const xbee3Dialect: VendorDialect = {
  vendor: 'xbee3',
  label: 'Digi XBee3 Cellular',
  initCommands: [],
  atPrefix: true,
  escape: { sequence: '+++', guardMs: 1000 },
  commandModeEntry: { sequence: '+++', guardMs: 1000 },
  finals: [
    { pattern: /^ERROR$/, success: false },
    // A query answers with its value and no OK: any other single line ends the command.
    { pattern: /^.*$/, success: true },
  ],
  urcs: [],
  // ATFS XPUT uploads a private key as file content, never on the command line, so this dialect
  // adds no rules of its own; the 27.007 ones apply as in every dialect.
  ...dialectRedaction(),
};
