/**
 * The example flows as a user finds them, and how the editor draws them.
 *
 * Owns: the list of example files (`examples/<folder>/<name>.json`, the folders Node-RED shows
 * under Import → Examples), reading one, and each node's label and box on the canvas — the label
 * from the label function of the node's own editor file (`nodes/<type>.html`) and its English
 * messages (`nodes/locales/en-US/`), run here as the editor runs them, so a changed label is
 * measured as drawn.
 * Must never: change an example file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import type { FlowNode } from './flow-probe';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const EXAMPLES_DIR = path.join(ROOT, 'examples');

/** Every example file, as a path relative to `examples/` with `/` separators, sorted. */
export function exampleFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) return walk(full);
        return name.endsWith('.json') ? [path.relative(EXAMPLES_DIR, full).split(path.sep).join('/')] : [];
      });
  return walk(EXAMPLES_DIR);
}

/** The flow in `examples/<file>`, freshly parsed (callers may change their copy). */
export function readExample(file: string): FlowNode[] {
  return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as FlowNode[];
}

type LabelFunction = (this: FlowNode) => string;

let catalog: Record<string, unknown> | undefined;

/**
 * The editor's `this._(key, values)` for this package's nodes: the message from the English
 * catalogs (`nodes/locales/en-US/*.json`), `__name__` placeholders filled in; an unknown key is
 * returned as it is, as i18next does.
 */
function translate(key: string, values: Record<string, unknown> = {}): string {
  if (!catalog) {
    catalog = {};
    const dir = path.join(ROOT, 'nodes', 'locales', 'en-US');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      files = [];
    }
    for (const file of files) Object.assign(catalog, JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>);
  }
  let found: unknown = catalog;
  for (const part of key.split('.')) found = found && typeof found === 'object' ? (found as Record<string, unknown>)[part] : undefined;
  if (typeof found !== 'string') return key;
  return found.replace(/__([A-Za-z0-9_]+?)__/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/**
 * Something that answers every property read and call with itself: enough of `RED`, `window` and
 * `$` for an editor file's top level to run up to its `registerType` call.
 */
function anything(): unknown {
  const target = function () {
    return undefined;
  };
  const proxy: unknown = new Proxy(target, {
    get: (_t, key) => (key === Symbol.toPrimitive ? () => '' : proxy),
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

const labelFunctions = new Map<string, LabelFunction | null>();

/** The `label` of `nodes/<type>.html`'s registerType definition; null for a type not of this package. */
function labelFunctionOf(type: string): LabelFunction | null {
  if (labelFunctions.has(type)) return labelFunctions.get(type)!;
  let found: LabelFunction | null = null;
  let html: string | undefined;
  try {
    html = readFileSync(path.join(ROOT, 'nodes', `${type}.html`), 'utf8');
  } catch {
    html = undefined;
  }
  if (html !== undefined) {
    const definitions: Record<string, { label?: unknown }> = {};
    const red = new Proxy({} as Record<string, unknown>, {
      get: (_t, key) =>
        key === 'nodes'
          ? new Proxy({}, { get: (_n, k) => (k === 'registerType' ? (t: string, def: { label?: unknown }) => void (definitions[t] = def) : anything()) })
          : key === '_'
            ? (text: string) => text
            : anything(),
    });
    const context = vm.createContext({ RED: red, window: anything(), $: anything(), jQuery: anything(), document: anything(), console });
    const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    for (const script of scripts) vm.runInContext(script, context, { filename: `nodes/${type}.html` });
    const label = definitions[type]?.label;
    if (typeof label === 'string') found = function () {
      return label;
    };
    else if (typeof label === 'function') found = label as LabelFunction;
    else throw new Error(`nodes/${type}.html registers no label for ${type}`);
  }
  labelFunctions.set(type, found);
  return found;
}

/**
 * The label the editor draws on `node`: its own editor file's label function for this package's
 * types; the name for core nodes, which the examples always name (their unnamed labels depend on
 * settings this file does not model).
 */
export function labelOf(node: FlowNode): string {
  const own = labelFunctionOf(String(node.type));
  // The editor calls the label function on the node, which carries `_` for its messages.
  if (own) return String(own.call({ ...node, _: translate }) ?? '');
  const name = String(node.name ?? '');
  if (name === '') throw new Error(`${String(node.type)} ${String(node.id)} has no name: name core nodes in examples, so their label is known`);
  return name;
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The node's box as the editor draws it, from its centre (`x`, `y`): 30 px high (more for many
 * outputs), and about 8 px per character of the label plus 50 px for the icon and the ports, at
 * least 100 px, rounded up to the 20 px grid as the editor does.
 */
export function boxOf(node: FlowNode): Box {
  const label = labelOf(node);
  const width = Math.max(100, 20 * Math.ceil((8 * label.length + 50) / 20));
  const outputs = Array.isArray(node.wires) ? node.wires.length : 0;
  const height = Math.max(30, 15 * outputs);
  const x = Number(node.x);
  const y = Number(node.y);
  return { left: x - width / 2, top: y - height / 2, right: x + width / 2, bottom: y + height / 2 };
}

/** The nodes an example draws on its canvas: everything but the tab and the config nodes. */
export function drawnNodes(flow: FlowNode[]): FlowNode[] {
  return flow.filter((n) => n.type !== 'tab' && n.z !== undefined);
}
