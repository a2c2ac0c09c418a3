/**
 * u-blox cellular framing (seeds/003 and the SARA-R5 AT commands manual UBX-19047455,
 * "Internet protocol transport layer").
 *
 * URCs: `+UUSORD: <socket>,<length>` (data waiting, read it with +USORD), `+UUSOCL: <socket>`
 * (the socket closed), `+UUSOCO: <socket>,<error>` (asynchronous connect ended) and
 * `+UUSECPRF: <profile>,<op>,…` (session resumption state).
 *
 * Secrets in raw command lines: +USECPRF op 7 (key password), 8 (PSK), 9 (PSK identity) and
 * op 13 session data (a master secret) as quoted parameters; the `<password>` of +USECMNG op 0
 * and 1; the APN password of +UAUTHREQ and +CGAUTH.
 */
import type { UrcRule } from '../../at/engine';
import { HAYES_ESCAPE, HAYES_INIT } from '../hayes';
import { redactQuotedAfter, type VendorDialect } from '../types';

const URCS: readonly UrcRule[] = [
  {
    name: '+UUSORD',
    pattern: /^\+UUSORD: ?(\d+),(\d+)$/,
    parse: (_line, m) => ({ socket: Number(m[1]), length: Number(m[2]) }),
  },
  {
    name: '+UUSOCL',
    pattern: /^\+UUSOCL: ?(\d+)$/,
    parse: (_line, m) => ({ socket: Number(m[1]) }),
  },
  {
    name: '+UUSOCO',
    pattern: /^\+UUSOCO: ?(\d+),(\d+)$/,
    parse: (_line, m) => ({ socket: Number(m[1]), error: Number(m[2]) }),
  },
  {
    // Session data (`<sess_tag>` 2 and above) carries a master secret: only the state is parsed.
    name: '+UUSECPRF',
    pattern: /^\+UUSECPRF: ?(\d+),(\d+)(?:,(\d+))?(?:,(\d+))?/,
    parse: (_line, m) => ({
      profile: Number(m[1]),
      op: Number(m[2]),
      ...(m[3] !== undefined ? { tag: Number(m[3]) } : {}),
      ...(m[4] !== undefined && Number(m[3]) <= 1 ? { value: Number(m[4]) } : {}),
    }),
    // Session tag 2 carries the session id and the master secret (base64): never traced or published.
    redact: (line) => line.replace(/^(\+UUSECPRF: ?\d+,13,2),.*$/, '$1,***,***'),
  },
];

export const ubloxDialect: VendorDialect = {
  vendor: 'ublox',
  label: 'u-blox',
  initCommands: HAYES_INIT,
  atPrefix: true,
  escape: HAYES_ESCAPE,
  urcs: URCS,
  redactCommand: (line) =>
    [
      [/^AT\+USECPRF=\s*\d+\s*,\s*(7|8|9)\s*,/i, 2],
      [/^AT\+USECPRF=\s*\d+\s*,\s*13\s*,\s*([2-9]|1\d)\s*,/i, 3],
      [/^AT\+USECMNG=\s*[01]\s*,/i, 4],
      [/^AT\+UAUTHREQ=/i, 3],
      [/^AT\+CGAUTH=/i, 3],
    ].reduce((text, [pattern, keep]) => redactQuotedAfter(text, pattern as RegExp, keep as number), line),
  // Reading a secret op back, or session data, prints it.
  secretResponse: (line) => /^AT\+USECPRF=\s*\d+\s*,\s*(7|8|9|13)\b/i.test(line) || /^AT\+UAUTHREQ\?/i.test(line),
};
