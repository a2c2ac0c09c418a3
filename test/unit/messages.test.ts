/**
 * The message catalogs (nodes/locales/en-US/<type>.json) against the code that reads them: every
 * node type has its catalog and its help, every key the runtime and the editor ask for is there,
 * and the texts come out in the words the nodes have always shown.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogOf, namespaceOf, PACKAGE, shippedText, translator, typeOfKey } from '../../src/nodes/messages';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const LOCALES = path.join(ROOT, 'nodes', 'locales', 'en-US');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; 'node-red': { nodes: Record<string, string> } };
const TYPES = Object.keys(PKG['node-red'].nodes);
const FLOW_TYPES = TYPES.filter((t) => t !== 'modem-config');

function catalog(type: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(LOCALES, `${type}.json`), 'utf8')) as Record<string, unknown>;
}

/** The value at a dotted key, or undefined. */
function at(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), tree);
}

/** A key is there as text, or as the `_one`/`_other` pair a count picks from. */
function hasText(key: string): boolean {
  const tree = catalog(typeOfKey(key));
  if (typeof at(tree, key) === 'string') return true;
  return typeof at(tree, `${key}_one`) === 'string' && typeof at(tree, `${key}_other`) === 'string';
}

/** Every string leaf of a catalog, by dotted key. */
function leaves(tree: unknown, prefix = ''): Array<[string, string]> {
  if (typeof tree === 'string') return [[prefix, tree]];
  if (typeof tree !== 'object' || tree === null) return [];
  return Object.entries(tree).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Literal keys of `_('…')` calls (runtime) or of `this._('…')` / `node._('…')` calls and `data-i18n` attributes (editor). */
function keysIn(text: string): { whole: string[]; prefixes: string[] } {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b_\(\s*'([^']+)'/g)) found.add(m[1]);
  for (const m of text.matchAll(/\b_\(\s*([^,)]*\?[^,)]*)[,)]/g)) {
    // `_(cond ? 'a.b' : 'c.d')`: each key of the choice (a literal with a dot; `'list'` is a value compared)
    for (const lit of m[1].matchAll(/'([^']+)'/g)) if (lit[1].includes('.')) found.add(lit[1]);
  }
  for (const m of text.matchAll(/data-i18n="([^"]+)"/g)) {
    for (const part of m[1].split(';')) found.add(part.replace(/^\[[^\]]+\]/, ''));
  }
  const all = [...found];
  return { whole: all.filter((k) => !k.endsWith('.')), prefixes: all.filter((k) => k.endsWith('.')) };
}

describe('message catalogs', () => {
  it('every node type has a catalog and a help file under nodes/locales/en-US, in Node-RED’s layout', () => {
    for (const type of TYPES) {
      assert.ok(existsSync(path.join(LOCALES, `${type}.json`)), `${type}.json`);
      const tree = catalog(type);
      assert.deepEqual(Object.keys(tree), [type], `${type}.json holds one section, named after the type`);
      const help = readFileSync(path.join(LOCALES, `${type}.html`), 'utf8');
      assert.match(help, new RegExp(`<script type="text/html" data-help-name="${type}">`), `${type}.html`);
      // Help in the editor file as well would hide the localised one (the editor takes the first).
      assert.doesNotMatch(readFileSync(path.join(ROOT, 'nodes', `${type}.html`), 'utf8'), /data-help-name=/, `nodes/${type}.html has no help of its own`);
    }
    const files = readdirSync(LOCALES).map((f) => f.replace(/\.(json|html)$/, ''));
    assert.deepEqual([...new Set(files)].sort(), [...TYPES].sort(), 'no catalog without a node type');
  });

  it('a node set is named after its type, so a key’s first segment finds its namespace', () => {
    for (const [set, file] of Object.entries(PKG['node-red'].nodes)) {
      assert.equal(path.basename(file, '.js'), set, `${set}: ${file}`);
      assert.equal(namespaceOf(set), `${PKG.name}/${set}`);
    }
    assert.equal(PACKAGE, PKG.name);
  });

  it('keys are plain names (a dot would split them) and texts are not empty', () => {
    for (const type of TYPES) {
      for (const [key, text] of leaves(catalog(type))) {
        assert.ok(key.split('.').every((part) => /^[A-Za-z0-9_-]+$/.test(part)), `${type}: "${key}"`);
        assert.ok(text.trim().length > 0, `${type}: ${key} is empty`);
      }
    }
  });

  it('every key the runtime passes to the catalog exists', () => {
    const dir = path.join(ROOT, 'src', 'nodes');
    let count = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const { whole, prefixes } = keysIn(readFileSync(path.join(dir, file), 'utf8'));
      assert.deepEqual(prefixes, [], `${file}: keys built at run time cannot be checked`);
      for (const key of whole) {
        count++;
        assert.ok(TYPES.includes(typeOfKey(key)), `${file}: "${key}" names no node type`);
        assert.ok(hasText(key), `${file}: "${key}" is not in ${typeOfKey(key)}.json`);
      }
    }
    assert.ok(count >= 30, `found ${count} keys: the scan still sees the calls`);
  });

  it('every key an editor file asks for exists in its own catalog; a palette label has no "-" (the palette shows it as " - ")', () => {
    for (const type of TYPES) {
      const html = readFileSync(path.join(ROOT, 'nodes', `${type}.html`), 'utf8');
      const { whole, prefixes } = keysIn(html);
      for (const key of whole) {
        assert.equal(typeOfKey(key), type, `nodes/${type}.html asks for "${key}"`);
        assert.ok(hasText(key), `nodes/${type}.html: "${key}" is not in ${type}.json`);
      }
      for (const prefix of prefixes) {
        const branch = at(catalog(type), prefix.slice(0, -1));
        assert.ok(typeof branch === 'object' && branch !== null, `nodes/${type}.html: "${prefix}…" is not a section of ${type}.json`);
      }
      if (FLOW_TYPES.includes(type)) {
        const label = at(catalog(type), `${type}.paletteLabel`);
        assert.equal(typeof label, 'string', `${type}.paletteLabel`);
        assert.doesNotMatch(String(label), /-/, `${type}.paletteLabel "${String(label)}"`);
      }
    }
  });

  it('the flow nodes register with one colour, their own icon file and the shape the flow library parses', () => {
    const colours = new Set<string>();
    const icons = new Set<string>();
    for (const type of FLOW_TYPES) {
      const html = readFileSync(path.join(ROOT, 'nodes', `${type}.html`), 'utf8');
      const start = html.indexOf(`RED.nodes.registerType('${type}', {`);
      assert.ok(start >= 0, `${type}: registerType('${type}', {…})`);
      const def = html.slice(start);
      const colour = /\n\s+color: '(#[0-9A-Fa-f]{6})',/.exec(def)?.[1];
      const icon = /\n\s+icon: '([\w.-]+\.svg)',/.exec(def)?.[1];
      assert.ok(/\n\s+category: 'modem TLS',/.test(def), `${type}: category`);
      assert.ok(/\n\s+inputs: [01],/.test(def) && /\n\s+outputs: 1,/.test(def), `${type}: inputs, outputs`);
      assert.ok(colour && icon, `${type}: colour ${colour}, icon ${icon}`);
      assert.ok(existsSync(path.join(ROOT, 'icons', icon)), `icons/${icon}`);
      colours.add(colour.toLowerCase());
      icons.add(icon);
    }
    assert.equal(colours.size, 1, [...colours].join(' '));
    assert.equal(icons.size, FLOW_TYPES.length);
  });
});

describe('node texts (src/nodes/messages.ts)', () => {
  it('fill in values and pick the singular or plural form, as Node-RED’s i18next does', () => {
    assert.equal(shippedText('modem-tls-send.status.sent', { bytes: '50 B', socket: '1', total: '1.2 kB' }), 'sent 50 B on 1 (1.2 kB in all)');
    assert.equal(shippedText('modem-load-cert.status.listed', { count: 1 }), '1 item stored');
    assert.equal(shippedText('modem-load-cert.status.listed', { count: 3 }), '3 items stored');
    assert.equal(shippedText('modem-config.status.connecting', { endpoint: '127.0.0.1:7001' }), 'connecting to 127.0.0.1:7001');
    assert.equal(shippedText('modem-tls-send.status.nothing'), undefined);
  });

  it('keep the words the nodes have always shown', () => {
    const _ = translator({});
    const cases: Array<[string, Record<string, string | number>, string]> = [
      ['modem-config.status.ready', {}, 'ready'],
      ['modem-config.status.waiting', { state: 'connecting to /dev/ttyUSB0' }, 'waiting for the modem (connecting to /dev/ttyUSB0)'],
      ['modem-config.status.noModem', {}, 'no modem selected'],
      ['modem-tls-open.status.connecting', {}, 'connecting…'],
      ['modem-tls-open.status.connected', { where: 'example.com:443' }, 'connected example.com:443'],
      ['modem-tls-open.status.closed', { where: 'example.com:443', reason: 'closed by the server' }, 'closed example.com:443: closed by the server'],
      ['modem-tls-close.status.closed', { socket: '1' }, 'closed 1'],
      ['modem-tls-recv.status.received', { bytes: '2.0 kB' }, 'received 2.0 kB'],
      ['modem-tls-profile.status.unchanged', { profile: '2' }, 'profile 2 unchanged'],
      ['modem-load-cert.status.verified', { certType: 'ca', name: '1', bytes: '1.2 kB' }, 'ca 1 ✓ verified (1.2 kB)'],
      ['modem-error-decode.status.decoded', { vendor: 'telit', code: '839', name: 'handshake failed' }, 'telit 839: handshake failed'],
    ];
    for (const [key, values, text] of cases) assert.equal(_(key, values), text, key);
  });

  it('ask Node-RED first, in the node set’s namespace, and fall back to the shipped catalog when it hands the key back', () => {
    const asked: string[] = [];
    const german = translator({
      _: (key: string) => {
        asked.push(key);
        return key.endsWith('status.ready') ? 'bereit' : key;
      },
    });
    assert.equal(german('modem-config.status.ready'), 'bereit');
    assert.equal(german('modem-tls-close.status.closed', { socket: '2' }), 'closed 2');
    assert.deepEqual(asked, [`${PKG.name}/modem-config:modem-config.status.ready`, `${PKG.name}/modem-tls-close:modem-tls-close.status.closed`]);
    // node-red-node-test-helper's RED._ is `v => v`; i18next without the key answers with the key alone.
    assert.equal(translator({ _: (k: string) => k })('modem-config.status.closed'), 'closed');
    assert.equal(translator({ _: () => 'modem-config.status.closed' })('modem-config.status.closed'), 'closed');
    assert.equal(translator({ _: () => { throw new Error('i18n not ready'); } })('modem-config.status.closed'), 'closed');
    // A key nobody has comes back as itself, which the catalog test above never lets through.
    assert.equal(translator({})('modem-config.status.nothing'), 'modem-config.status.nothing');
  });

  it('read the catalogs the build copies beside the compiled nodes', () => {
    for (const type of TYPES) assert.deepEqual(catalogOf(type), catalog(type), type);
  });
});
