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
  // The SSL commands carry no password, but the data connection and the services of the same
  // module do, as quoted parameters: #SGACT <pwd> (§5), #FTPOPEN <password> (§9.1),
  // #MQCONN <password> (§10.1), #HTTPCFG <password> (§8.2).
  redactCommand: (line) =>
    [
      [/^AT#SGACT=/i, 3],
      [/^AT#FTPOPEN=/i, 2],
      [/^AT#MQCONN=/i, 3],
      [/^AT#HTTPCFG=/i, 5],
    ].reduce((text, [pattern, keep]) => redactQuotedAfter(text, pattern as RegExp, keep as number), line),
  // The read form of #HTTPCFG prints the stored password back.
  secretResponse: (line) => /^AT#HTTPCFG\?/i.test(line),
};
