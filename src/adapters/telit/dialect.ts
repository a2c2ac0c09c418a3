/**
 * Telit framing, from the SSL/TLS User Guide 1vv0300989 (seeds/001).
 * §7.1.2.2: with `<sslSRingMode>` 2 the URC carries the data inline:
 * `SSLSRING: <SSId>,<dataLen>,<data>` (at most 1300 bytes on 3G/4G, 256 on 2G).
 * §7.4.4.1: mode 1 only announces the amount: `SSLSRING: <SSId>,<dataLen>`.
 */
import { STANDARD_URCS } from '../../at/urcs';
import { HAYES_ESCAPE, HAYES_INIT } from '../hayes';
import { dialectRedaction, type VendorDialect } from '../types';

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
    // §8.2: the HTTP client announces the server's answer with `#HTTPRING: <prof_id>,<http_status_code>,…`.
    { name: '#HTTPRING', pattern: /^#HTTPRING: ?\d/ },
    // NO CARRIER (socket closed, §7.2; `NO CARRIER: <SSId>[,<cause>]` with <noCarrierMode> 1 or 2) and the 27.007 codes.
    ...STANDARD_URCS,
  ],
  // The SSL commands carry no password, but the data connection and the services of the same
  // module do: #SGACT=<cid>,<stat>[,<userId>,<pwd>] (§5), #FTPOPEN=<server:port>,<username>,
  // <password>[,<mode>] (§9.1), #MQCONN=<instanceNumber>,<clientID>,<userName>,<passWord> (§10.1),
  // #HTTPCFG=<prof_id>,<server_address>,<server_port>,<auth_type>,<username>,<password>,… (§8.2).
  // The read form of #HTTPCFG prints the stored password back.
  ...dialectRedaction({
    parameters: [
      { name: '#SGACT', secret: { from: 3 } },
      { name: '#FTPOPEN', secret: [2] },
      { name: '#MQCONN', secret: { from: 3 } },
      { name: '#HTTPCFG', secret: [5] },
    ],
    answers: [{ name: '#HTTPCFG', form: 'read' }],
  }),
};
