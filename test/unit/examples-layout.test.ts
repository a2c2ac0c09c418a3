/**
 * The example files as Node-RED's Import → Examples lists them and as the editor draws them: one
 * folder per vendor (`modem/` for what works on any modem), one tab per file opening with a
 * comment that explains it, and no node drawn over another. A later edit that moves a node onto
 * its neighbour, or lengthens a label until it reaches the next one, fails here.
 */
import assert from 'node:assert/strict';
import { boxOf, drawnNodes, exampleFiles, labelOf, readExample, type Box } from '../support/examples';
import type { FlowNode } from '../support/flow-probe';

/** Room kept between two boxes: a wire needs space to show between neighbours in a row. */
const MARGIN_X = 20;
const MARGIN_Y = 10;

/** The vendor-neutral nodes: an example using only these (and core nodes) belongs in `modem/`. */
const NEUTRAL = new Set(['modem-config', 'modem-at-command', 'modem-event']);
/** The folder of each vendor, as a user looks for it. */
const FOLDER_OF_VENDOR: Readonly<Record<string, string>> = { telit: 'telit', ublox: 'u-blox', fibocom: 'fibocom', xbee3: 'xbee3', eswifi: 'eswifi' };

/** Pairs of nodes whose boxes, grown by the margins, meet. */
function crowded(nodes: FlowNode[]): string[] {
  const boxes = nodes.map((n) => ({ node: n, box: boxOf(n) }));
  const found: string[] = [];
  const describe = (n: FlowNode, b: Box): string => `${String(n.type)} "${labelOf(n)}" at (${String(n.x)}, ${String(n.y)}), ${b.left}..${b.right} × ${b.top}..${b.bottom}`;
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!.box;
      const b = boxes[j]!.box;
      const apartX = a.right + MARGIN_X <= b.left || b.right + MARGIN_X <= a.left;
      const apartY = a.bottom + MARGIN_Y <= b.top || b.bottom + MARGIN_Y <= a.top;
      if (!apartX && !apartY) found.push(`${describe(boxes[i]!.node, a)} and ${describe(boxes[j]!.node, b)}`);
    }
  }
  return found;
}

describe('example files: folders, tabs, comments and layout', () => {
  const files = exampleFiles();

  it('sit one folder deep, a folder per vendor and `modem/` for the vendor-neutral nodes', () => {
    assert.ok(files.length >= 6, files.join(', '));
    for (const file of files) {
      const parts = file.split('/');
      assert.equal(parts.length, 2, `${file}: examples/<folder>/<name>.json, as Import → Examples shows them`);
      const flow = readExample(file);
      const types = new Set(flow.map((n) => String(n.type)).filter((t) => t.startsWith('modem-')));
      const vendors = new Set(flow.filter((n) => n.type === 'modem-config').map((n) => String(n.vendor)));
      const expected = [...types].every((t) => NEUTRAL.has(t)) ? 'modem' : [...vendors].map((v) => FOLDER_OF_VENDOR[v] ?? v).join('+');
      assert.equal(parts[0], expected, `${file}: node types ${[...types].join(', ')}, vendors ${[...vendors].join(', ')}`);
    }
    assert.deepEqual([...new Set(files.map((f) => f.split('/')[0]))], ['eswifi', 'fibocom', 'modem', 'telit', 'u-blox', 'xbee3']);
  });

  it('a modem config shared by several examples is the same in each (the demo installs it once, from the first)', () => {
    const configs = new Map<string, { file: string; node: FlowNode }>();
    for (const file of files) {
      for (const node of readExample(file).filter((n) => n.type === 'modem-config')) {
        const first = configs.get(String(node.id));
        if (first) assert.deepEqual(node, first.node, `${file}: modem-config ${String(node.id)} differs from the one in ${first.file}`);
        else configs.set(String(node.id), { file, node });
      }
    }
    // Two configs on one simulated module would take turns at its single connection.
    const byPort = new Map<string, string>();
    for (const { file, node } of configs.values()) {
      if (node.transport !== 'tcp') continue;
      const endpoint = `${String(node.host)}:${String(node.tcpPort)}`;
      assert.equal(byPort.get(endpoint) ?? String(node.id), String(node.id), `${file}: modem-config ${String(node.id)} shares ${endpoint} with another config`);
      byPort.set(endpoint, String(node.id));
    }
  });

  it('each is one tab that opens with a comment saying what it shows and that secrets are entered again after import', () => {
    const ids = new Set<string>();
    for (const file of files) {
      const flow = readExample(file);
      const tabs = flow.filter((n) => n.type === 'tab');
      assert.equal(tabs.length, 1, `${file}: one tab`);
      for (const node of drawnNodes(flow)) assert.equal(node.z, tabs[0]!.id, `${file}: ${String(node.id)} is on the example's tab`);
      const first = flow.find((n) => n.type !== 'tab');
      assert.equal(first?.type, 'comment', `${file} starts with a ${String(first?.type)}`);
      assert.ok(String(first.name ?? '').length > 10, `${file}: the comment has a title`);
      const info = String(first.info ?? '');
      assert.match(info, /secret|password/i, `${file}: the comment mentions the secrets`);
      assert.match(info, /after import/i, `${file}: the comment says secrets are entered again after importing`);
      // Ids are global in a Node-RED instance: only the shared modem-config nodes may repeat.
      for (const node of flow) {
        if (node.type === 'modem-config') continue;
        assert.ok(!ids.has(String(node.id)), `${file}: id ${String(node.id)} is used by another example too`);
        ids.add(String(node.id));
      }
    }
  });

  it('no node is drawn over another, with room for the wires between them, and none off the canvas', () => {
    for (const file of files) {
      const nodes = drawnNodes(readExample(file));
      for (const node of nodes) {
        assert.ok(Number.isFinite(Number(node.x)) && Number.isFinite(Number(node.y)), `${file}: ${String(node.id)} has a position`);
        const box = boxOf(node);
        assert.ok(box.left >= 0 && box.top >= 0, `${file}: "${labelOf(node)}" reaches off the canvas (${box.left}, ${box.top})`);
      }
      assert.deepEqual(crowded(nodes), [], `${file}: nodes too close`);
    }
  });

  it('the layout check sees crowding: a node moved next to another, or a label grown into its neighbour', () => {
    const a = { id: 'a', type: 'inject', name: 'start', z: 't', x: 100, y: 100, wires: [[]] };
    const b = { id: 'b', type: 'debug', name: 'echo', z: 't', x: 240, y: 100, wires: [] };
    assert.deepEqual(crowded([a, b]), []);
    assert.equal(crowded([a, { ...b, x: 200 }]).length, 1, 'closer than the margin');
    assert.equal(crowded([a, { ...b, x: 100, y: 140 }]).length, 0, 'the next row, clear of it');
    assert.equal(crowded([a, { ...b, x: 100, y: 125 }]).length, 1, 'less than a row below');
    assert.equal(crowded([{ ...a, name: 'a much longer label than before' }, b]).length, 1, 'a longer label');
    // This package's labels come from its editor files: an unnamed tls-open shows its host and port.
    const unnamed = labelOf({ id: 'c', type: 'modem-tls-open', host: '127.0.0.1', port: '7443', z: 't' });
    assert.match(unnamed, /127\.0\.0\.1:7443/);
    assert.doesNotMatch(unnamed, /__|\.canvas\./, 'its message comes from the catalog, filled in');
  });
});
