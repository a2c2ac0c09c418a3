/**
 * The texts the nodes show — statuses and log lines — looked up by key in the message catalogs,
 * `nodes/locales/<language>/<type>.json` (the build puts `locales/` beside the compiled nodes,
 * where Node-RED looks for it). A key starts with the node type whose catalog holds it:
 * `modem-tls-send.status.sent`; texts every node shares (the modem's state) live in the
 * `modem-config` catalog, under `modem-config.status`.
 *
 * Node-RED gives each node set its catalog as a namespace of its own, `<package>/<set>`, and our
 * node sets are named after their types, so a key finds its catalog whichever node asks.
 * Where the runtime has no catalog for us (node-red-node-test-helper's `RED._` hands the key
 * back) the en-US catalog shipped with the package answers, so a node never shows a bare key.
 *
 * Must never: carry error texts (ModemError messages are the product's API and stay as written).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Values a text takes, e.g. `{ bytes: '50 B' }` for `sent __bytes__`; `count` picks `_one`/`_other`. */
export type TextValues = Record<string, string | number>;
export type Translate = (key: string, values?: TextValues) => string;

/** Beside the compiled nodes (dist/src/nodes/locales), as Node-RED loads it. */
const LOCALES = path.join(__dirname, 'locales');
export const DEFAULT_LANGUAGE = 'en-US';

function packageName(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name;
    if (path.dirname(dir) === dir) return 'node-red-contrib-modem-tls';
  }
}

/** The npm name Node-RED puts in front of each node set's namespace. */
export const PACKAGE = packageName();

/** The node type a key belongs to: its first segment (`modem-tls-open.status.connected` → `modem-tls-open`). */
export function typeOfKey(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key : key.slice(0, dot);
}

/** The Node-RED i18n namespace of a node type's catalog. */
export function namespaceOf(type: string): string {
  return `${PACKAGE}/${type}`;
}

const catalogs = new Map<string, Record<string, unknown>>();

/** The shipped catalog of a type in one language (cached); empty when there is none. */
export function catalogOf(type: string, language = DEFAULT_LANGUAGE): Record<string, unknown> {
  const id = `${language}/${type}`;
  let catalog = catalogs.get(id);
  if (!catalog) {
    const file = path.join(LOCALES, language, `${type}.json`);
    catalog = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    catalogs.set(id, catalog);
  }
  return catalog;
}

function lookUp(catalog: Record<string, unknown>, key: string): string | undefined {
  let at: unknown = catalog;
  for (const part of key.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return typeof at === 'string' ? at : undefined;
}

/**
 * A key's text from the shipped en-US catalog, the way Node-RED's i18next reads it: `__name__`
 * takes a value, and with a `count` the `_one`/`_other` form of the key is chosen (English rules).
 */
export function shippedText(key: string, values: TextValues = {}): string | undefined {
  const catalog = catalogOf(typeOfKey(key));
  const text = values.count !== undefined ? (lookUp(catalog, `${key}_${Number(values.count) === 1 ? 'one' : 'other'}`) ?? lookUp(catalog, key)) : lookUp(catalog, key);
  if (text === undefined) return undefined;
  return text.replace(/__([A-Za-z0-9_]+?)__/g, (whole, name: string) => (values[name] !== undefined ? String(values[name]) : whole));
}

/** The slice of Node-RED's runtime API a translator needs. */
export interface WithTranslation {
  _?: (key: string, values?: TextValues) => unknown;
}

/** The node texts in the runtime's language, falling back to the shipped en-US catalog. */
export function translator(RED: WithTranslation): Translate {
  return (key, values) => {
    const full = `${namespaceOf(typeOfKey(key))}:${key}`;
    let text: unknown;
    try {
      text = typeof RED._ === 'function' ? RED._(full, values) : undefined;
    } catch {
      text = undefined;
    }
    if (typeof text === 'string' && text !== full && text !== key) return text;
    return shippedText(key, values) ?? key;
  };
}
