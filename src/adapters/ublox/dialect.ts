/**
 * u-blox cellular framing (seeds/003 and the u-blox AT commands manual).
 * `+USECPRF=<profile>,9,"<password>"` (key password) and op 8 (PSK) / 10 (PSK identity)
 * carry secrets as their third parameter.
 */
import { HAYES_ESCAPE, HAYES_INIT } from '../hayes';
import { redactQuotedAfter, type VendorDialect } from '../types';

export const ubloxDialect: VendorDialect = {
  vendor: 'ublox',
  label: 'u-blox',
  initCommands: HAYES_INIT,
  atPrefix: true,
  escape: HAYES_ESCAPE,
  urcs: [],
  redactCommand: (line) => redactQuotedAfter(line, /^AT\+USECPRF=\s*\d+\s*,\s*(8|9|10)\s*,/i, 2),
};
