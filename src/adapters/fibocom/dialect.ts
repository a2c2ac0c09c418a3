/**
 * Fibocom L610 framing (seeds/004). `+MIPCALL` may carry a PDP password as its fourth parameter.
 */
import { HAYES_ESCAPE, HAYES_INIT } from '../hayes';
import { redactQuotedAfter, type VendorDialect } from '../types';

export const fibocomDialect: VendorDialect = {
  vendor: 'fibocom',
  label: 'Fibocom L610',
  initCommands: HAYES_INIT,
  atPrefix: true,
  escape: HAYES_ESCAPE,
  urcs: [],
  redactCommand: (line) => redactQuotedAfter(line, /^AT\+MIPCALL=/i, 3),
};
