/**
 * Telit framing, from the SSL/TLS User Guide 1vv0300989 (seeds/001).
 * §7.1.2.2: with `<sslSRingMode>` 2 the URC carries the data inline:
 * `SSLSRING: <SSId>,<dataLen>,<data>` (at most 1300 bytes on 3G/4G, 256 on 2G).
 * §7.4.4.1: mode 1 only announces the amount: `SSLSRING: <SSId>,<dataLen>`.
 */
import { HAYES_ESCAPE, HAYES_INIT } from '../hayes';
import { redactQuotedAfter, type VendorDialect } from '../types';

export const telitDialect: VendorDialect = {
  vendor: 'telit',
  label: 'Telit',
  initCommands: HAYES_INIT,
  atPrefix: true,
  escape: HAYES_ESCAPE,
  urcs: [
    {
      name: 'SSLSRING',
      pattern: /^SSLSRING: ?(\d+),(\d+),/,
      parse: (_line, m) => ({ socket: Number(m[1]), length: Number(m[2]) }),
      payload: { name: 'SSLSRING', pattern: /^SSLSRING: ?(\d+),(\d+),/, where: 'inline', length: (m) => Number(m[2]) },
    },
    {
      name: 'SSLSRING',
      pattern: /^SSLSRING: ?(\d+),(\d+)$/,
      parse: (_line, m) => ({ socket: Number(m[1]), length: Number(m[2]) }),
    },
  ],
  // #SSLSECCFG2 carries no secret; the PSK-free Telit SSL commands have no password fields,
  // but #FTPOPEN and #MQCONN (same modem) take a password as a quoted parameter.
  redactCommand: (line) => redactQuotedAfter(redactQuotedAfter(line, /^AT#FTPOPEN=/i, 2), /^AT#MQCONN=/i, 3),
};
