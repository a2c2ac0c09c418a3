/**
 * u-blox cellular framing (seeds/003 and the SARA-R5 AT commands manual UBX-19047455,
 * "Internet protocol transport layer").
 *
 * URCs: `+UUSORD: <socket>,<length>` (data waiting, read it with +USORD), `+UUSOCL: <socket>`
 * (the socket closed), `+UUSOCO: <socket>,<error>` (asynchronous connect ended) and
 * `+UUSECPRF: <profile>,<op>,…` (session resumption state).
 *
 * Secrets in raw command lines: +USECPRF op 7 (key password), 8 (PSK), 9 (PSK identity) and
 * op 13 session data (a master secret or a session ticket); the `<password>` of +USECMNG op 0
 * and 1; the APN password of +UAUTHREQ (+CGAUTH is a 27.007 command: every dialect masks it).
 */
import type { UrcRule } from '../../at/engine';
import { STANDARD_URCS } from '../../at/urcs';
import { redactValues, type SecretParameterRule } from '../../at/secrets';
import { HAYES_ESCAPE, HAYES_INIT } from '../hayes';
import { dialectRedaction, type VendorDialect } from '../types';

/**
 * Session data of +USECPRF op 13, by `<sess_tag>` (seeds/003 lines 909-920): which of the values
 * after the tag are secret; the others are sizes.
 * - 2: `<session_id_b64>,<master_secret_b64>` (lines 646, 652, 658)
 * - 3: `<session_data_b64>,<session_data_b64_size>` (lines 662, 670)
 * - 5: set `<session_data_b64_size>` then the data after a prompt; read `<session_data_b64>,<size>` (lines 679, 691)
 * - 12: `<enc_session_data_b64>,<enc_session_data_b64_size>` (lines 700, 706, 712)
 * - 13: as 12 (lines 716, 724)
 * - 15: as 5, encrypted (lines 733, 745)
 * Tags 0 (status) and 1 (type) carry numbers only. An empty list (5, 15): the set command carries
 * only the size, the data follows the prompt and is never traced; should a URC ever carry one of
 * these tags, all of its values are masked. A tag the manual does not list is treated as session
 * data, every value of it secret.
 */
const SESSION_DATA: Readonly<Record<number, readonly number[]>> = { 2: [0, 1], 3: [0], 5: [], 12: [0], 13: [0], 15: [] };

function sessionTag(params: readonly string[]): number | undefined {
  return Number(params[1]) === 13 && params[2] !== undefined && params[2] !== '' ? Number(params[2]) : undefined;
}

function isSessionData(tag: number | undefined): tag is number {
  return tag !== undefined && !(tag === 0 || tag === 1);
}

/**
 * The URC repeats session data: for `<sess_tag>` 2 (seeds/003 line 658:
 * `+UUSECPRF: <profile_id>,13,2,<session_id_b64>,<master_secret_b64>`) and 12 (line 712:
 * `+UUSECPRF: <profile_id>,13,12,<enc_session_data_b64>,<enc_session_data_b64_size>`); line 449
 * says the session-ID types (sess_type 0 and 10) report their data this way. Both are masked, and
 * any other session-data tag a firmware might report.
 */
function redactSessionUrc(line: string): string {
  const m = /^(\+UUSECPRF: ?\d+\s*,\s*13\s*,\s*(\d+)\s*,)([\s\S]*)$/.exec(line);
  if (!m || !isSessionData(Number(m[2]))) return line;
  const secret = SESSION_DATA[Number(m[2])];
  return m[1] + redactValues(m[3], secret && secret.length > 0 ? secret : { from: 0 });
}

const SECRET_PARAMETERS: readonly SecretParameterRule[] = [
  // +USECPRF=<profile_id>,<op_code>,<param_val1>[,…]: op 7 key password, 8 PSK, 9 PSK identity.
  { name: '+USECPRF', secret: [2], when: (p) => [7, 8, 9].includes(Number(p[1])) },
  // Op 13 session data: the values listed in SESSION_DATA, shifted past profile, op and tag.
  {
    name: '+USECPRF',
    secret: { from: 3 },
    when: (p) => {
      const tag = sessionTag(p);
      return isSessionData(tag) && SESSION_DATA[tag] === undefined;
    },
  },
  ...Object.entries(SESSION_DATA).map(([tag, values]): SecretParameterRule => ({
    name: '+USECPRF',
    secret: values.map((i) => i + 3),
    when: (p) => sessionTag(p) === Number(tag),
  })),
  // +USECMNG=0,<type>,<internal_name>,<data_size>[,<password>] and
  // +USECMNG=1,<type>,<internal_name>,<filename>[,<password>] (seeds/003 lines 179, 191).
  { name: '+USECMNG', secret: [4], when: (p) => p[0] === '0' || p[0] === '1' },
  // +UAUTHREQ=<cid>,<auth_type>,<username>,<password>: the APN password.
  { name: '+UAUTHREQ', secret: { from: 3 } },
];

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
    // Session data (a master secret, a session ticket): never traced or published.
    redact: redactSessionUrc,
  },
  // The u-blox AT commands manuals name every unsolicited result code with a `+UU` prefix
  // (+UUPSDD, +UUSORF, +UUHTTPCR, …): the ones not parsed above are still URCs, under their own name.
  { name: '', pattern: /^\+UU[A-Z0-9]+: ?/ },
  ...STANDARD_URCS,
];

export const ubloxDialect: VendorDialect = {
  vendor: 'ublox',
  label: 'u-blox',
  initCommands: HAYES_INIT,
  atPrefix: true,
  escape: HAYES_ESCAPE,
  urcs: URCS,
  ...dialectRedaction({
    parameters: SECRET_PARAMETERS,
    // Reading a secret op back (`AT+USECPRF=<profile_id>,<op_code>`), or session data
    // (`AT+USECPRF=<profile_id>,13,<sess_tag>`, or without a tag), prints it; so does +UAUTHREQ?.
    answers: [
      { name: '+USECPRF', form: 'set', when: (p) => [7, 8, 9].includes(Number(p[1])) },
      { name: '+USECPRF', form: 'set', when: (p) => Number(p[1]) === 13 && (p[2] === undefined || p[2] === '' || isSessionData(Number(p[2]))) },
      { name: '+UAUTHREQ', form: 'read' },
    ],
  }),
};
