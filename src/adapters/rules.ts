/**
 * The rules a value of an operation must follow — one row per option — and the one function
 * that checks a value against its row.
 *
 * Owns: what "valid" means for every option a node, a message or a vendor option can set: its
 * type, range or allowed values (fixed, or taken from the modem's capabilities), the characters
 * text may hold, its default, which vendors have it, a help line and the AT parameter it becomes.
 * Must never: import anything but `src/at/charset.ts`. The build serves these two files,
 * compiled, to the Node-RED editor (`resources/modem-tls-rules.js`), so the dialogs' validators
 * and the runtime's checks are the same code over the same rows — a rule is written, and
 * enforced, once.
 */

import { charsetProblem, type Charset } from '../at/charset';

export type { Charset } from '../at/charset';

export interface Rule {
  /** The property on the node and on `msg` (`port`, `profile`), or the key in `vendorOptions`. */
  name: string;
  /** The field named in errors (default `name`), e.g. `msg.socket`, `vendorOptions.pktSz`. */
  field?: string;
  /** What it is, in a few words: error messages and the editor's hints use it. */
  help: string;
  type: 'int' | 'number' | 'text' | 'enum' | 'bool' | 'object' | 'certificate-name';
  /** int and number: the bounds. text: the length in bytes (UTF-8). */
  min?: number;
  max?: number;
  /** Bounds from the modem's capabilities, by path: `profiles.ids`, `sockets.ids`, `certificates.slots`. */
  rangeFrom?: string;
  /** A lower limit from the capabilities, by path, when the modem has one: text, its length (`certificates.nameMax`); int, its value (`sockets.maxConcurrent`). */
  maxFrom?: string;
  /** enum: the values allowed. */
  values?: readonly (string | number)[];
  /** enum: the values allowed, from the capabilities (`sockets.modes`, `profiles.verify`, …); `values` when they are not known. */
  valuesFrom?: string;
  /** enum: values allowed besides those (`auto` for a format). */
  extraValues?: readonly (string | number)[];
  /** enum: several values at once, comma or space separated or a list (`ciphers`); with `allOf`, the one value meaning all. */
  many?: boolean;
  allOf?: string;
  /** enum with `many`: a capability saying how many the modem takes — `one` (or `allOf`), `none` (only `allOf`), `many`. */
  manyFrom?: string;
  /** A capability that is false when the modem lacks this option: then only an empty value passes. */
  availableFrom?: string;
  /** What to say when it is not available (default: that the modem does not offer it). */
  unavailableHint?: string;
  /** text: the characters allowed; default printable ASCII. */
  charset?: Charset;
  /** text: a double quote ends an AT string parameter early, so it is refused unless the text never goes into one. */
  quotes?: boolean;
  /** text: a regular expression (source) the whole value must match, and the words to say when it does not. */
  pattern?: string;
  patternHint?: string;
  /** Empty (undefined, null, '') is allowed and means `default`. */
  optional?: boolean;
  /** May be left empty on the node: a message gives it (`msg.host`, `msg.socket`). Required all the same when neither does. */
  fromMsg?: boolean;
  /** object: its keys are options whose rows are in the capabilities at this path (`sockets.openOptions`). */
  rowsFrom?: string;
  /** text: the empty string is a value of its own (u-blox `pinCert: ""` turns pinning off), not "not given". */
  allowEmpty?: boolean;
  default?: unknown;
  /** Never shown in a message: only its type and length are. */
  secret?: boolean;
  /** Shown after numbers in messages: `ms`, `s`, `bytes`. */
  unit?: string;
  /** The vendors that have it; absent: every vendor that has the operation. */
  vendors?: readonly string[];
  /** The AT parameter it becomes, for each vendor that sends it (e.g. `{ telit: '#SSLCFG <pktSz>' }`). */
  at?: Readonly<Record<string, string>>;
}

export type Verdict = { ok: true; value: unknown } | { ok: false; field: string; problem: string };

/** The value at `path` ('profiles.ids') of a capabilities object, or undefined. */
function lookup(caps: unknown, path: string | undefined): unknown {
  if (!path || caps === null || typeof caps !== 'object') return undefined;
  let here: unknown = caps;
  for (const key of path.split('.')) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
  return String(value);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Checks `value` against `rule`, with the modem's capabilities for the limits that depend on it
 * (without them, those limits are not checked). Returns the value in its proper type — a number
 * from `"443"`, a boolean from `"true"`, a list of names — or the problem in words, the field
 * named separately. An empty value of an optional rule gives its default.
 */
export function check(rule: Rule, value: unknown, caps?: unknown): Verdict {
  const field = rule.field ?? rule.name;
  const fail = (problem: string): Verdict => ({ ok: false, field, problem });
  const what = ` (${rule.help})`;
  if (value === '' && rule.allowEmpty) return { ok: true, value: '' };
  if (!isEmpty(value) && rule.availableFrom && lookup(caps, rule.availableFrom) === false && !(Array.isArray(value) && value.length === 0)) {
    const label = (lookup(caps, 'label') as string | undefined) ?? 'this modem';
    return fail(rule.unavailableHint ? `${label} ${rule.unavailableHint}` : `${label} does not offer it; leave it empty`);
  }
  // A module without names (`certificates.naming` none): a name is a label, and may be left out.
  if (isEmpty(value) && rule.type === 'certificate-name' && lookup(caps, 'certificates.naming') === 'none') return { ok: true, value: '' };
  if (isEmpty(value)) {
    // An object of options left empty is an empty object, a fresh one each time (callers may add to it).
    if (rule.optional) return { ok: true, value: rule.type === 'object' ? { ...((rule.default as object | undefined) ?? {}) } : rule.default };
    return fail(`is required${what}`);
  }
  const unit = rule.unit ? ` ${rule.unit}` : '';
  switch (rule.type) {
    case 'int':
    case 'number': {
      const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
      const pattern = rule.type === 'int' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
      const range = lookup(caps, rule.rangeFrom) as { min?: number; max?: number } | undefined;
      const min = range?.min ?? rule.min;
      const fromCaps = lookup(caps, rule.maxFrom);
      const max = typeof fromCaps === 'number' && (rule.max === undefined || fromCaps < rule.max) ? fromCaps : (range?.max ?? rule.max);
      const bounds = min !== undefined && max !== undefined ? `${min}..${max}${unit}` : min !== undefined ? `at least ${min}${unit}` : max !== undefined ? `at most ${max}${unit}` : '';
      if (!pattern.test(text) || !Number.isFinite(Number(text))) {
        // The limit is named here too: "abc" and 1.5 are as far from a port as 70000.
        const expected = `${rule.type === 'int' ? 'a whole number' : 'a number'}${bounds ? ` in ${bounds}` : ''}`;
        return fail(`${rule.secret ? `got ${kind(value)}` : `${shown(value)} is not ${expected}`}${what}`);
      }
      const n = Number(text);
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        return fail(`${n}${unit} is outside ${bounds}${what}`);
      }
      return { ok: true, value: n };
    }
    case 'bool': {
      if (value === true || value === 'true' || value === 1 || value === '1') return { ok: true, value: true };
      if (value === false || value === 'false' || value === 0 || value === '0') return { ok: true, value: false };
      return fail(`must be true or false, got ${shown(value)}`);
    }
    case 'enum': {
      const known = lookup(caps, rule.valuesFrom) as readonly (string | number)[] | undefined;
      const base = known ?? rule.values;
      const allowed = base ? [...base, ...(rule.extraValues ?? [])] : undefined;
      const list: unknown[] = rule.many
        ? Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/).filter((s) => s !== '') : [value]
        : [value];
      if (rule.many && rule.allOf !== undefined && list.length === 1 && String(list[0]).toLowerCase() === rule.allOf) return { ok: true, value: rule.allOf };
      const selection = lookup(caps, rule.manyFrom);
      if (rule.many && (selection === 'one' || selection === 'none') && list.length > (selection === 'one' ? 1 : 0)) {
        const label = (lookup(caps, 'label') as string | undefined) ?? 'this modem';
        return fail(selection === 'one'
          ? `${label} takes ${rule.allOf !== undefined ? `${rule.allOf} or ` : ''}exactly one; ${list.length} were given`
          : `${label} cannot select them${rule.allOf !== undefined ? `: use ${rule.allOf}` : ''}`);
      }
      const out: unknown[] = [];
      for (const item of list) {
        const text = typeof item === 'number' ? item : typeof item === 'string' ? item.trim() : item;
        if (typeof text !== 'string' && typeof text !== 'number') {
          const offer = allowed ? [...(rule.allOf !== undefined ? [rule.allOf] : []), ...allowed].map(String) : [];
          const among = offer.length > 0 && offer.length <= 12 ? ` (${offer.join(', ')})` : '';
          return fail(`must be ${rule.many ? 'names' : 'one of the listed values'}${among}, got ${kind(item)}`);
        }
        if (rule.pattern && !new RegExp(`^(?:${rule.pattern})$`).test(String(text))) {
          return fail(`${shown(String(text))} ${rule.patternHint ?? 'does not have the expected form'}${what}`);
        }
        const match = allowed?.find((a) => String(a) === String(text));
        if (allowed && match === undefined) {
          const offer = [...(rule.allOf !== undefined ? [rule.allOf] : []), ...allowed].map(String);
          const listed = offer.length > 12 ? `${offer.slice(0, 12).join(', ')}, … (${offer.length} in all)` : offer.join(', ');
          // A value that is valid in general but that this modem lacks: say whose limit it is.
          if (known && (rule.values ?? []).some((v) => String(v) === String(text))) {
            const label = (lookup(caps, 'label') as string | undefined) ?? 'this modem';
            return fail(`${shown(String(text))} is not offered by ${label} (it offers ${listed})`);
          }
          if (known && rule.pattern) {
            const label = (lookup(caps, 'label') as string | undefined) ?? 'this modem';
            return fail(`${label} cannot select ${String(text)}; it offers ${listed}`);
          }
          return fail(`${shown(String(text))} is not one of ${listed}${what}`);
        }
        out.push(match ?? text);
      }
      return { ok: true, value: rule.many ? out : out[0] };
    }
    case 'object': {
      let parsed = value;
      if (typeof value === 'string') {
        try {
          parsed = JSON.parse(value);
        } catch {
          return fail(`is not valid JSON (e.g. {"name": 1})${what}`);
        }
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail(`must be an object such as {"name": 1}${what}`);
      const rows = lookup(caps, rule.rowsFrom) as readonly Rule[] | undefined;
      if (!rows) return { ok: true, value: { ...(parsed as Record<string, unknown>) } };
      const label = (lookup(caps, 'label') as string | undefined) ?? 'this modem';
      return checkOptions(rows, parsed as Record<string, unknown>, `${label} here`, field);
    }
    case 'certificate-name': {
      const certs = lookup(caps, 'certificates') as { naming?: string; slots?: { min: number; max: number }; namePattern?: string | { source: string }; nameHint?: string } | undefined;
      if (certs?.naming === 'slot') {
        return check({ ...rule, type: 'int', rangeFrom: 'certificates.slots', help: certs.nameHint ?? rule.help }, value, caps);
      }
      const text = typeof value === 'number' ? String(value) : value;
      const checked = check({ ...rule, type: 'text' }, text, caps);
      if (!checked.ok) return checked;
      const source = typeof certs?.namePattern === 'string' ? certs.namePattern : certs?.namePattern?.source;
      if (source && !new RegExp(source).test(String(checked.value))) {
        return fail(`${shown(checked.value)} is not a name this modem takes (${certs?.nameHint ?? source})`);
      }
      return checked;
    }
    case 'text': {
      if (typeof value !== 'string' && !(typeof value === 'number' && !rule.secret)) return fail(`must be text, got ${kind(value)}`);
      const text = typeof value === 'number' ? String(value) : rule.secret ? value : value.trim();
      const bad = charsetProblem(text, rule.charset ?? 'printable-ascii', rule.secret);
      if (bad) return fail(bad);
      if (!rule.quotes && text.includes('"')) return fail('must not contain a double quote (")');
      let bytes = 0;
      for (const ch of text) {
        const c = ch.codePointAt(0)!;
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      }
      const fromCaps = lookup(caps, rule.maxFrom);
      const max = typeof fromCaps === 'number' && (rule.max === undefined || fromCaps < rule.max) ? fromCaps : rule.max;
      if (max !== undefined && bytes > max) return fail(`is ${bytes} bytes long, the limit is ${max}${what}`);
      if (rule.min !== undefined && bytes < rule.min) return fail(`is ${bytes} bytes long, it must be at least ${rule.min}${what}`);
      if (rule.pattern && !new RegExp(`^(?:${rule.pattern})$`).test(text)) {
        return fail(rule.patternHint ?? `${rule.secret ? 'does not' : `${shown(text)} does not`} have the expected form${what}`);
      }
      return { ok: true, value: text };
    }
  }
}

/**
 * An object of options (`vendorOptions`) against the rows of what is offered: an unknown key is
 * refused naming it and listing the known ones; each value is checked by its row and returned in
 * its proper type; keys whose value is undefined are left out.
 */
export function checkOptions(rows: readonly Rule[], options: Record<string, unknown>, offeredBy: string, field = 'vendorOptions'): Verdict {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    const row = rows.find((r) => r.name === key);
    if (!row) {
      const names = rows.map((r) => r.name);
      return { ok: false, field: `${field}.${key}`, problem: `is not an option of ${offeredBy} (${names.length ? `it has ${names.join(', ')}` : 'it has none'})` };
    }
    if (options[key] === undefined) continue;
    const verdict = check({ ...row, field: `${field}.${key}`, optional: false, fromMsg: false }, options[key]);
    if (!verdict.ok) return verdict;
    out[key] = verdict.value;
  }
  return { ok: true, value: out };
}

/**
 * The editor's view of `check`: a setting left empty that a message may give (`fromMsg`) or
 * that has a default is valid on the node; anything else is checked as the runtime checks it.
 */
export function checkSetting(rule: Rule, value: unknown, caps?: unknown): Verdict {
  if (isEmpty(value) && (rule.fromMsg || rule.optional)) return { ok: true, value: rule.default };
  return check(rule, value, caps);
}

/** `check` as a message: `port: 70000 is outside 1..65535 (the server's port)`, or null when valid. */
export function problemOf(rule: Rule, value: unknown, caps?: unknown): string | null {
  const verdict = check(rule, value, caps);
  return verdict.ok ? null : `${verdict.field}: ${verdict.problem}`;
}

/**
 * 127.0.0.0/8, ::1 and `localhost`: an address only this machine reaches. A tls bridge listens on
 * anything else only when told to (`exposed`); the editor asks the same question.
 */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return v4 !== null && v4[1] === '127';
}
