/**
 * The +USECPRF op codes as a table (seeds/003, "SSL/TLS/DTLS security layer profile manager",
 * l. 397–990; `l. n` is a line of that file): one row per op — or per `<sess_tag>` of op 13 — that
 * says where its value comes from in the decided profile, the AT parameters it becomes, the form
 * that reads it back and how the read value is compared, and whether it is a secret (written every
 * time it is given, never read). `profiles.ts` applies a profile by walking these rows in order:
 * read, compare, write what differs.
 *
 * Owns: the shape of every op's set and read forms, and the cautions for ops and tags the manual
 * lists but does not allow on these modules. Must never: send anything, or decide what a profile
 * means (validation levels, host names that follow the connection — `profiles.ts` does), or put a
 * secret where it could be shown (`shown` of a secret row does not exist).
 */
import { buildCommand, encodeText, p, type AtParam, type CommandLine, type IntParam, type StrParam } from '../../at/command';
import type { PromptSpec } from '../../at/engine';
import type { Field } from '../../at/fields';
import { OP, OPS_NOT_ALLOWED, SESSION_LIMITS, SESSION_TAGS_ALLOWED, SESSION_TAGS_TLS13, suiteByCode, USECMNG_LIMITS, USECPRF_LIMITS, type UbloxSuite } from './tables';

/** How the cipher suites are chosen (op 2, l. 844–860): one method at a time, the last one set wins (l. 437). */
export type CipherPlan =
  | { kind: 'auto'; shown: Record<string, unknown>; warning?: string }
  | { kind: 'legacy'; value: number; shown: Record<string, unknown>; warning?: string }
  | { kind: 'one'; suite: UbloxSuite; shown: Record<string, unknown>; warning?: string }
  | { kind: 'list'; suites: UbloxSuite[]; shown: Record<string, unknown>; warning?: string };

/** A text setting and the field to name when it is refused (the SNI may come from `hostname`). */
export interface NamedText {
  value: string;
  field: string;
}

/**
 * A profile as the module will hold it, decided and checked against the vendor-neutral settings and
 * the vendor options (`profiles.ts`). Undefined: the op is left as the module has it.
 */
export interface ProfileSettings {
  level: number;
  tlsVersion: number;
  cipher: CipherPlan;
  ca: string;
  /** Undefined: op 4 follows the host of each connection. */
  hostname?: string;
  cert: string;
  key: string;
  keyPassword?: string;
  psk?: { value: string; hex: boolean };
  pskIdentity?: string;
  /** Undefined: op 10 follows the host of each connection. */
  sni?: NamedText;
  rotPsk?: boolean;
  pin?: { cert: string; level: number };
  resume?: boolean;
  sessionType?: number;
  /** Session data to restore, by vendor option name (`sessionTicket`, …). */
  session: Readonly<Record<string, string>>;
  ztp?: number;
  alpn: string;
  database?: number;
}

/** One command the walk sends. */
export interface Write {
  line: CommandLine;
  prompt?: PromptSpec;
  timeoutMs?: number;
}

/** A row applied to one profile: what to read, and what to write given what was read. */
export interface PlannedOp {
  op: number;
  label: string;
  /** Never read; written every time; only its label is reported. */
  secret: boolean;
  /** Parameters of the read form after `<profile_id>,<op_code>` (op 13: the `<sess_tag>`). */
  read: AtParam[];
  /** The writes that take the op from `current` (the read fields after `<profile_id>,<op_code>`, null when unread) to the value. */
  writes(current: Field[] | null): Write[];
  /** What `applied` shows under `label`, or, with `merge`, the keys it adds. */
  shown?: unknown;
  merge?: boolean;
  /** The manual lists this op or tag but does not allow it on these modules. */
  caution?: string;
}

export interface ProfileOp {
  op: number;
  label: string;
  /** This profile's use of the op, its commands built (and so checked); null when the profile leaves it alone. */
  plan(settings: ProfileSettings, profile: IntParam): PlannedOp | null;
}

interface SettingRow<V> {
  op: number;
  label: string;
  /** Where the value comes from; undefined leaves the op alone. */
  from(settings: ProfileSettings): V | undefined;
  /** The parameters after `<profile_id>,<op_code>[,<sess_tag>]`. */
  params(value: V): AtParam[];
  /** Op 13: the `<sess_tag>` written and read before the value. */
  tag?: number;
  /** Whether the read value (after the op code and tag) is already `value`; absent on secrets. */
  same?(current: Field[], value: V): boolean;
  secret?: boolean;
  /** Bytes sent after the `>` prompt (session data of tags 5 and 15). */
  payload?(value: V): Buffer;
  shown?(value: V): unknown;
  caution?: string;
}

const command = (profile: IntParam, op: number, params: AtParam[]): CommandLine => buildCommand('+USECPRF', [profile, p.int('op_code', op), ...params]);

/** A row of one value: read, compare, write when it differs — or, for a secret, write whenever given. */
function setting<V>(row: SettingRow<V>): ProfileOp {
  return {
    op: row.op,
    label: row.label,
    plan(settings, profile) {
      const value = row.from(settings);
      if (value === undefined) return null;
      const tag = row.tag === undefined ? [] : [p.int('sess_tag', row.tag)];
      const payload = row.payload?.(value);
      const write: Write = {
        line: command(profile, row.op, [...tag, ...row.params(value)]),
        ...(payload ? { prompt: { markers: ['>'], payload, terminator: 'none' as const, secret: true }, timeoutMs: USECMNG_LIMITS.guardMs + 10000 } : {}),
      };
      const secret = row.secret === true;
      const inTag = (current: Field[]): Field[] | null => (row.tag === undefined ? current : current[0] === row.tag ? current.slice(1) : null);
      return {
        op: row.op,
        label: row.label,
        secret,
        read: tag,
        writes: (current) => {
          const mine = current && inTag(current);
          return !secret && mine && row.same?.(mine, value) ? [] : [write];
        },
        ...(secret ? {} : { shown: row.shown ? row.shown(value) : value }),
        ...(row.caution ? { caution: row.caution } : {}),
      };
    },
  };
}

const sameNumber = (current: Field[], value: number): boolean => current[0] === value;
const sameText = (current: Field[], value: string): boolean => String(current[0] ?? '') === value;

/** A number op (`<validation_lvl>`, `<db_to_use>` …). */
function number(op: number, label: string, parameter: string, from: (s: ProfileSettings) => number | undefined, caution?: string): ProfileOp {
  return setting({ op, label, from, params: (v) => [p.int(parameter, v)], same: sameNumber, ...(caution ? { caution } : {}) });
}

/** A text op: a name, a host name, an ALPN protocol. */
function text(op: number, label: string, maxLength: number, from: (s: ProfileSettings) => NamedText | string | undefined): ProfileOp {
  return setting<NamedText>({
    op,
    label,
    from: (s) => {
      const v = from(s);
      return typeof v === 'string' ? { value: v, field: label } : v;
    },
    params: (v) => [p.str(v.field, v.value, { maxLength })],
    same: (current, v) => sameText(current, v.value),
    shown: (v) => v.value,
  });
}

/** A secret text op: written whenever the profile gives it, never read back. */
function secret(op: number, label: string, from: (s: ProfileSettings) => AtParam[] | undefined): ProfileOp {
  return setting<AtParam[]>({ op, label, from, params: (v) => v, secret: true });
}

const notAllowedOp = (op: number): string | undefined =>
  OPS_NOT_ALLOWED.includes(op) ? `+USECPRF op ${op} is not among the op codes the u-blox manual allows on these modules; the module may refuse it` : undefined;

/**
 * Session data of op 13, by `<sess_tag>` (l. 646–745): written when the profile gives it, never
 * read back (the read form prints it). Tags 2, 3, 12, 13 carry the data in the command line;
 * 5 and 15 announce its size and send it after a `>` prompt.
 */
function sessionData(tag: number, label: string, form: 'pair' | 'inline' | 'prompt'): ProfileOp {
  const allowed = SESSION_TAGS_ALLOWED.includes(tag);
  const tls13 = SESSION_TAGS_TLS13.includes(tag);
  const caution = allowed
    ? undefined
    : `+USECPRF op 13 <sess_tag> ${tag} (${label}) is not among the values the u-blox manual allows on these modules (${SESSION_TAGS_ALLOWED.join(', ')})${tls13 ? ' and needs TLS 1.3, which they do not support' : ''}; the module may refuse it`;
  const data = (field: string, value: string, maxLength: number): StrParam =>
    p.str(`vendorOptions.${field}`, value, { maxLength, secret: true, pattern: /^[A-Za-z0-9+/]*={0,2}$/, patternHint: 'must be base64' });
  if (form === 'pair') {
    return setting<[string, string]>({
      op: OP.session, label, tag, secret: true, ...(caution ? { caution } : {}),
      from: (s) => (s.session.sessionId !== undefined && s.session.sessionMasterSecret !== undefined ? [s.session.sessionId, s.session.sessionMasterSecret] : undefined),
      params: ([id, master]) => [data('sessionId', id, SESSION_LIMITS.sessionId), data('sessionMasterSecret', master, SESSION_LIMITS.masterSecret)],
    });
  }
  // Inline: `"<data_b64>",<data_b64_size>`; prompted: `<data_b64_size>`, then the data after `>`.
  return setting<StrParam>({
    op: OP.session, label, tag, secret: true, ...(caution ? { caution } : {}),
    from: (s) => (s.session[label] === undefined ? undefined : data(label, s.session[label], SESSION_LIMITS.data)),
    params: (v) => (form === 'inline' ? [v, p.int('size', v.value.length)] : [p.int('size', v.value.length)]),
    ...(form === 'prompt' ? { payload: (v: StrParam) => encodeText(v.name, v.value) } : {}),
  });
}

/** `<iana_b1>`,`<iana_b2>` of a suite, as the manual writes them (`"C0","2B"`). */
const bytesOf = (s: UbloxSuite): AtParam[] => [p.str('iana_b1', s.bytes[0]), p.str('iana_b2', s.bytes[1])];
const hex = (f: Field | undefined): string => String(f ?? '').toUpperCase();

/**
 * Op 2 (l. 844–860): the default list (`<legacy_cs>` 0), a Table 26 number, one IANA suite (99),
 * or a list (100) — read, then only what differs is written. A list is reached by adding what is
 * missing, then removing what is not wanted: removing the last suite first would fall back to the
 * default list (l. 848).
 */
const CIPHER: ProfileOp = {
  op: OP.cipher,
  label: 'cipher',
  plan(settings, profile) {
    const plan = settings.cipher;
    const write = (params: AtParam[]): Write => ({ line: command(profile, OP.cipher, params) });
    const base = { op: OP.cipher, label: 'cipher', secret: false, read: [], shown: plan.shown, merge: true };
    switch (plan.kind) {
      case 'auto':
      case 'legacy': {
        const value = plan.kind === 'auto' ? 0 : plan.value;
        const set = write([p.int('legacy_cs', value)]);
        return { ...base, writes: (current) => (current && current[0] === value ? [] : [set]) };
      }
      case 'one': {
        const [b1, b2] = plan.suite.bytes;
        const set = write([p.int('legacy_cs', 99), ...bytesOf(plan.suite)]);
        return { ...base, writes: (current) => (current && current[0] === 99 && hex(current[1]) === b1 && hex(current[2]) === b2 ? [] : [set]) };
      }
      case 'list': {
        const want = plan.suites.map((s) => s.bytes.join(''));
        const adds = plan.suites.map((s) => ({ code: s.bytes.join(''), write: write([p.int('legacy_cs', 100), ...bytesOf(s), p.int('operation', 0)]) }));
        return {
          ...base,
          writes: (current) => {
            // `+USECPRF: <p>,2,100,"C02A;C02C"` (l. 532).
            const have = current && current[0] === 100 ? hex(current[1]).split(';').filter(Boolean) : [];
            const removes = have.filter((c) => !want.includes(c)).map((code) => {
              const suite = suiteByCode(parseInt(code, 16));
              const [b1, b2] = suite ? suite.bytes : [code.slice(0, 2), code.slice(2)];
              return write([p.int('legacy_cs', 100), p.str('iana_b1', b1), p.str('iana_b2', b2), p.int('operation', 1)]);
            });
            return [...adds.filter((a) => !have.includes(a.code)).map((a) => a.write), ...removes];
          },
        };
      }
    }
  },
};

/** Every op a profile may set, in op-code order: the order the walk reads and writes them. */
export const PROFILE_OPS: readonly ProfileOp[] = [
  // l. 825–833 <validation_lvl>: 0 none, 1 the chain, 2 and the host name, 3 and the dates.
  number(OP.validation, 'validationLevel', 'validation_lvl', (s) => s.level),
  // l. 834–842 <tls_ver>: the one version used, not a minimum.
  number(OP.tlsVersion, 'tlsVersion', 'tls_ver', (s) => s.tlsVersion),
  CIPHER,
  // l. 861–872: names of stored items, up to 200 characters; the server's host name up to 256.
  text(OP.ca, 'ca', USECPRF_LIMITS.name, (s) => s.ca),
  text(OP.hostname, 'hostname', USECPRF_LIMITS.hostname, (s) => s.hostname),
  text(OP.cert, 'cert', USECPRF_LIMITS.name, (s) => s.cert),
  text(OP.key, 'key', USECPRF_LIMITS.name, (s) => s.key),
  // l. 873–891: key password (up to 128), PSK (ASCII up to 64, or hex up to 128 with
  // <preshared_key_str_type> 1), PSK identity (ASCII only, up to 128: Notes l. 989).
  secret(OP.keyPassword, 'keyPassword', (s) => (s.keyPassword === undefined ? undefined : [p.str('keyPassword', s.keyPassword, { maxLength: USECPRF_LIMITS.keyPassword, secret: true })])),
  secret(OP.psk, 'psk', (s) => {
    if (!s.psk) return undefined;
    return s.psk.hex
      ? [p.str('psk', s.psk.value, { maxLength: USECPRF_LIMITS.pskHex, pattern: /^(?:[0-9A-Fa-f]{2})+$/, patternHint: 'must be an even number of hex digits (vendorOptions.pskFormat "hex")', secret: true }), p.int('preshared_key_str_type', 1)]
      : [p.str('psk', s.psk.value, { maxLength: USECPRF_LIMITS.pskAscii, secret: true })];
  }),
  secret(OP.pskIdentity, 'pskIdentity', (s) => (s.pskIdentity === undefined ? undefined : [p.str('pskIdentity', s.pskIdentity, { maxLength: USECPRF_LIMITS.pskIdentity, secret: true })])),
  // l. 892–894 <SNI>, up to 128 characters.
  text(OP.sni, 'sni', USECPRF_LIMITS.sni, (s) => s.sni),
  // l. 895–899 <PSK_val>.
  number(OP.rotPsk, 'rotPsk', 'PSK_val', (s) => (s.rotPsk === undefined ? undefined : s.rotPsk ? 1 : 0), notAllowedOp(OP.rotPsk)),
  // l. 900–908 <server_certificate>,<pinning_level>; a module that reads back the name alone is taken at its word for the level.
  setting<{ cert: string; level: number }>({
    op: OP.pinning,
    label: 'pinning',
    from: (s) => s.pin,
    params: (v) => [p.str('vendorOptions.pinCert', v.cert, { maxLength: USECPRF_LIMITS.name }), p.int('pinning_level', v.level)],
    same: (current, v) => String(current[0] ?? '') === v.cert && (current.length < 2 || current[1] === v.level),
  }),
  // l. 922–929 <sess_status>: status 2 ("session data configured") is enabled too — writing 1 over it would drop the session.
  setting<boolean>({
    op: OP.session,
    label: 'sessionResumption',
    tag: 0,
    from: (s) => s.resume,
    params: (v) => [p.int('sess_status', v ? 1 : 0)],
    same: (current, v) => (v ? current[0] === 1 || current[0] === 2 : current[0] === 0),
    shown: (v) => (v ? 1 : 0),
  }),
  // l. 930–940 <sess_type>.
  setting<number>({ op: OP.session, label: 'sessionType', tag: 1, from: (s) => s.sessionType, params: (v) => [p.int('sess_type', v)], same: sameNumber }),
  sessionData(2, 'sessionId', 'pair'),
  sessionData(3, 'sessionTicket', 'inline'),
  sessionData(5, 'pskSessionTicket', 'prompt'),
  sessionData(12, 'encryptedSessionId', 'inline'),
  sessionData(13, 'encryptedSessionTicket', 'inline'),
  sessionData(15, 'encryptedPskSessionTicket', 'prompt'),
  // l. 959–964 <ZTP_tag>.
  number(OP.ztp, 'ztp', 'ZTP_tag', (s) => s.ztp, notAllowedOp(OP.ztp)),
  // l. 965–967 <ALPN_string_type>: one protocol name, up to 255 characters.
  text(OP.alpn, 'alpn', USECPRF_LIMITS.alpn, (s) => s.alpn),
  // l. 968–973 <db_to_use>.
  number(OP.database, 'database', 'db_to_use', (s) => s.database),
];
