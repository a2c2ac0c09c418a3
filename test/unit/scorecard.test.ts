/**
 * The flow library's scorecard (`node-red-dev validate`) for every check it can make without the
 * network, made here the way the tool makes it, so a change that would cost a point fails a test.
 * The tool itself stops at its first network request (catalogue.nodered.org, registry.npmjs.org);
 * the README lists the checks that need those.
 *
 * P01 licence, P03 repository, P04 name, P05 keyword, P06 Node-RED versions (against the runtimes
 * this package is tested on), P07 Node.js engines (against the newest tested Node-RED's minimum),
 * N02 an example for every flow node, D01 at most six dependencies, and the editor files'
 * `registerType` definitions written inline (category, colour, icon, inputs, outputs, defaults,
 * credentials), as the tool parses them.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import semver from 'semver';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, any>;

/** The Node-RED runtimes the suite runs on: the devDependency, and Node-RED 5 when CI has fetched it. */
function testedNodeReds(): Array<{ version: string; engines: string }> {
  const found: Array<{ version: string; engines: string }> = [];
  for (const dir of [path.join(ROOT, 'node_modules', 'node-red'), path.join(ROOT, '.cache', 'node-red-5', 'node_modules', 'node-red')]) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const red = JSON.parse(readFileSync(file, 'utf8')) as { version: string; engines: { node: string } };
    found.push({ version: red.version, engines: red.engines.node });
  }
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** What the tool reads of each `registerType(…)`: only literal, inline values count. */
function definitions(html: string): { defs: Record<string, Record<string, unknown>>; problems: string[] } {
  const defs: Record<string, Record<string, unknown>> = {};
  const problems: string[] = [];
  const scripts = [...html.matchAll(/<script.+?type=['"]text\/javascript['"].*?>([\S\s]*?)<\/script>/gi)].map((m) => m[1]);
  for (const code of scripts) {
    walk.simple(acorn.parse(code, { ecmaVersion: 'latest' }), {
      CallExpression(node: any) {
        if (node.callee.property?.name !== 'registerType') return;
        const [type, def] = node.arguments;
        if (type.type !== 'Literal') return void problems.push('type not a literal');
        if (def.type !== 'ObjectExpression') return void problems.push(`${type.value}: definition not inline`);
        const found: Record<string, unknown> = {};
        for (const prop of def.properties) {
          const key = prop.key.name;
          if (key === 'defaults' || key === 'credentials') {
            if (prop.value.type !== 'ObjectExpression') problems.push(`${type.value}: ${key} not inline`);
            else found[key] = prop.value.properties.map((p: any) => p.key.name);
          } else if (['icon', 'color', 'inputs', 'outputs', 'category'].includes(key)) {
            if (prop.value.type !== 'Literal') problems.push(`${type.value}: ${key} not a literal`);
            else found[key] = prop.value.value;
          }
        }
        defs[type.value] = found;
      },
    });
  }
  return { defs, problems };
}

describe('the flow library scorecard, offline', () => {
  it('P01 a licence, and its text; P03 a repository; P04 a valid name; P05 the node-red keyword', () => {
    assert.equal(pkg.license, 'Apache-2.0');
    assert.match(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
    assert.ok(pkg.repository?.url || pkg.bugs, 'repository or bugs');
    assert.doesNotMatch(pkg.name, /^(node-red|nodered)(?!-contrib-)/i);
    assert.ok(pkg.keywords.includes('node-red'));
  });

  // node-red-dev's P07 compares engines.node with the minimum of the latest Node-RED on the registry:
  // a network check (see the README). Offline: what it rests on, against the Node-REDs installed here.
  it('P06 node-red.version admits every Node-RED it is tested on; engines.node admits this Node.js and asks no less than the oldest of them', () => {
    const reds = testedNodeReds();
    assert.ok(reds.length >= 1);
    for (const red of reds) assert.ok(semver.satisfies(red.version, pkg['node-red'].version), `Node-RED ${red.version} vs ${pkg['node-red'].version}`);
    assert.ok(semver.satisfies(process.version, pkg.engines.node), `this Node.js ${process.version} vs ${pkg.engines.node}`);
    const ours = semver.minVersion(pkg.engines.node)!;
    const oldest = reds.map((red) => semver.minVersion(red.engines)!).sort(semver.compare)[0];
    assert.ok(semver.gte(ours, oldest), `engines.node ${pkg.engines.node} admits Node.js older than any tested Node-RED runs on (${oldest.version})`);
  });

  it('D01 at most six dependencies', () => {
    assert.ok(Object.keys(pkg.dependencies ?? {}).length <= 6, JSON.stringify(pkg.dependencies));
  });

  it('every editor file defines its node inline, as the tool parses it; N02 every flow node is in an example', () => {
    const all: Record<string, Record<string, unknown>> = {};
    for (const [type, file] of Object.entries(pkg['node-red'].nodes as Record<string, string>)) {
      const html = path.join(ROOT, 'nodes', `${path.basename(file, '.js')}.html`);
      const { defs, problems } = definitions(readFileSync(html, 'utf8'));
      assert.deepEqual(problems, [], type);
      assert.ok(defs[type], `${type} is registered in ${path.relative(ROOT, html)}`);
      for (const key of ['category', 'color', 'icon', 'defaults']) assert.ok(defs[type][key] !== undefined, `${type}: ${key}`);
      if (defs[type].category !== 'config') for (const key of ['inputs', 'outputs']) assert.ok(defs[type][key] !== undefined, `${type}: ${key}`);
      Object.assign(all, defs);
    }
    const flowNodes = Object.keys(all).filter((type) => all[type].category !== 'config');
    const used = new Set(filesUnder(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.json')).flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as Array<{ type: string }>).map((n) => n.type)));
    assert.deepEqual(flowNodes.filter((type) => !used.has(type)), []);
  });
});
