/**
 * The editor as a user meets it: a real Node-RED with this package and its demo (simulated modems,
 * TLS servers) in a fresh user directory, a real headless Chromium driven through playwright-core.
 * Runs in `npm test` (Node-RED 4 on this Node.js) and in `npm run test:node-red-5` (Node-RED 5 on
 * Node.js 22); nothing outside npm is needed (see test/support/browser.ts).
 *
 * It checks what a user sees — the palette, every dialog, the validators, the vendor-specific
 * fields, text that fits, the help, secrets, every example imported, laid out, deployed and
 * working — and saves the screenshots the README shows (docs/screenshots/).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { startDemo, type Demo } from '../../scripts/demo';
import { freePort, portState } from '../../scripts/ports';
import { isLoopback } from '../../src/modem/tls-bridge';
import { editorFontsLoaded, launchBrowser, newEditorPage } from '../support/browser';

/*
 * What the browser has, for the functions this file hands to `page.evaluate` (they run in the page,
 * not in Node.js): declared here, in this module only, so Node.js code keeps its own types.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const $: (selector: string) => { val(): unknown; hasClass(name: string): boolean; is(selector: string): boolean; remove(): void };
declare const document: any;
declare const window: any;
declare function getComputedStyle(el: unknown): any;
type HTMLElement = any;
type HTMLInputElement = any;
type Element = any;

const ROOT = path.resolve(__dirname, '..', '..', '..');
// Screenshots go to a temporary folder, so a test run leaves the checkout as it was; with
// UPDATE_SCREENSHOTS=1 (on the default Node-RED, the one the README shows) to docs/screenshots.
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' && !process.env.MODEM_TLS_NODE_RED
  ? path.join(ROOT, 'docs', 'screenshots')
  : path.join(os.tmpdir(), 'modem-tls-editor-screenshots');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; 'node-red': { nodes: Record<string, string> } };
const TYPES = Object.keys(PKG['node-red'].nodes);
const FLOW_TYPES = TYPES.filter((t) => t !== 'modem-config');

/** Node-RED's red.js for the runtime under test: MODEM_TLS_NODE_RED names the lib/red.js the test helper loads. */
function redJs(): string | undefined {
  const lib = process.env.MODEM_TLS_NODE_RED;
  if (!lib) return undefined;
  return path.basename(path.dirname(lib)) === 'lib' ? path.join(path.dirname(lib), '..', 'red.js') : lib;
}

function examples(dir = path.join(ROOT, 'examples')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? examples(full) : name.endsWith('.json') ? [full] : [];
  });
}

describe('the editor, in a real browser', function () {
  this.timeout(120000);
  let demo: Demo;
  let browser: Browser;
  let page: Page;
  let userDir: string;
  const problems: string[] = [];
  const runtimeLog: string[] = [];

  before(async () => {
    userDir = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-editor-'));
    demo = await startDemo({
      userDir,
      editorPort: 0,
      telitPort: 0,
      ubloxPort: 0,
      serverPorts: { echo: 0, mutual: 0, otherCa: 0, expired: 0, otherHost: 0 },
      telitMqttPort: 0,
      mqttBrokerPort: 0,
      mqttBridgePorts: { telit: 0, ublox: 0 },
      nodeRed: redJs(),
      freshFlows: true,
      log: (line: string) => runtimeLog.push(line),
    });
    browser = await launchBrowser();
    page = await newEditorPage(browser, { width: 1400, height: 900 });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (message: ConsoleMessage) => {
      // The browser cannot resolve the outside world here (Node-RED offers an update check, fonts…): not ours.
      if (message.type() === 'error' && !/ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|net::ERR_/.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    await page.goto(demo.url, { waitUntil: 'networkidle' });
    await page.waitForSelector('.red-ui-palette-node[data-palette-type="modem-tls-open"]', { timeout: 60000 });
    assert.ok(await editorFontsLoaded(page), 'the editor is measured in Arimo, whatever fonts this machine has');
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && page) void page.screenshot({ path: path.join(os.tmpdir(), `modem-tls-editor-${Date.now()}.png`) }).catch(() => undefined);
  });

  /** Back to the flows as deployed: nothing made for a test and not deployed is left behind. */
  async function reloadEditor(): Promise<void> {
    await page.evaluate(() => (window as any).RED.nodes.dirty(false));
    await page.reload({ waitUntil: 'networkidle' });
    await page.waitForSelector('.red-ui-palette-node[data-palette-type="modem-tls-open"]', { timeout: 60000 });
  }

  /** Closes every edit tray that is open (a dialog left open would stop the next one). */
  async function closeTrays(): Promise<void> {
    for (let i = 0; i < 5 && (await page.locator('.red-ui-tray').count()) > 0; i++) {
      await page.evaluate(() => (window as any).RED.tray.close());
      await page.waitForTimeout(300);
    }
  }

  /**
   * Opens the edit dialog of node `id` and waits for its `field`; with `hint`, also for the text
   * at that selector to match (the dialog has loaded the modem's capabilities).
   */
  async function editNode(id: string, field: string, hint?: [selector: string, pattern: RegExp]): Promise<void> {
    await page.evaluate((nodeId) => (window as any).RED.editor.edit((window as any).RED.nodes.node(nodeId)), id);
    await page.waitForSelector(field);
    if (hint) {
      await page.waitForFunction(
        ([selector, source, flags]) => new RegExp(source, flags).test((window as any).$(selector).text()),
        [hint[0], hint[1].source, hint[1].flags] as const,
      );
    }
  }

  /** The id of a config node of the demo flows: the simulated Telit platform 30 one. */
  async function telitConfig(): Promise<string> {
    const id = await page.evaluate(() => {
      let found: string | undefined;
      (window as any).RED.nodes.eachConfig((n: any) => {
        if (!found && n.type === 'modem-config' && n.vendor === 'telit' && n.platform === '30' && n.users?.length > 0) found = n.id;
      });
      return found;
    });
    assert.ok(id, 'the demo flows have a Telit modem-config in use');
    return id!;
  }

  /** Problems the page reported since `mark` (console errors, uncaught exceptions). */
  function problemsSince(mark: number): string[] {
    return problems.slice(mark);
  }

  // First: a newcomer opens the editor within the demo's first minute and, without a click, sees echoes arrive.
  it('the demo shows its echo in the debug sidebar by itself, and a full redeploy shows it again', async () => {
    await page.evaluate(() => (window as any).RED.sidebar.show('debug'));
    const echo = (): Promise<unknown> => page.waitForFunction(() => [...document.querySelectorAll('.red-ui-debug-msg')].some((m: any) => /(Hello through the modem|Line \d+ of \d+), \d{4}-/.test(m.textContent ?? '')), undefined, { timeout: 60000 });
    await echo();
    await page.screenshot({ path: path.join(SHOTS, 'demo-debug.png') });
    await page.evaluate(() => (window as any).RED.debug?.clearMessageList?.());
    await page.evaluate(() => $('.red-ui-debug-msg').remove());
    const logMark = runtimeLog.length;
    await page.evaluate(async () => {
      await fetch('flows', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' }, body: JSON.stringify((window as any).RED.nodes.createCompleteNodeSet()) });
    });
    await echo();
    assert.deepEqual(runtimeLog.slice(logMark).filter((l) => /\[error\]|\b834\b|already connected/.test(l)), []);
  });

  // A newcomer's next step: make a connection fail on purpose and read the explanation.
  it('the errors tab: a click on "wrong CA" fails the handshake, and error decode explains it in the debug sidebar', async () => {
    const tab = 'a1f0c0de00040001';
    await reloadEditor(); // the flows as the server has them, after the deploy above
    await page.evaluate((id: string) => {
      (window as any).RED.workspaces.show(id);
      (window as any).RED.sidebar.show('debug');
      $('.red-ui-debug-msg').remove();
    }, tab);
    /** Clicks an inject node's button on the canvas, as a user does. */
    const press = async (id: string): Promise<void> => {
      await page.locator(`g[id="${id}"] .red-ui-flow-node-button-button`).click();
    };
    const debugFrom = (name: string, text: RegExp): Promise<unknown> =>
      page.waitForFunction(
        ({ name, source }: { name: string; source: string }) => [...document.querySelectorAll('.red-ui-debug-msg')].some((m) =>
          (m.querySelector('.red-ui-debug-msg-name')?.textContent ?? '').includes(`node: ${name}`) && new RegExp(source).test(m.textContent ?? '')),
        { name, source: text.source },
        { timeout: 20000 },
      );
    await press('a1f0c0de00040003'); // prepare: CA 3 and a server-verified profile 3
    await debugFrom('ready', /applied/);
    await press('a1f0c0de00040008'); // wrong CA: the server's certificate is from another CA
    await debugFrom('explained', /handshake/);
    // Open the explanation, as a reader would, for the screenshot.
    await page.locator('.red-ui-debug-msg', { has: page.locator('.red-ui-debug-msg-name', { hasText: 'node: explained' }) }).last()
      .locator('.red-ui-debug-msg-element .red-ui-debug-msg-expandable').first().click().catch(() => undefined);
    await page.waitForTimeout(300);
    await page.evaluate(() => $('.red-ui-notification').remove()); // "Successfully injected" would cover the tabs
    await page.screenshot({ path: path.join(SHOTS, 'demo-error-decode.png') });
    const text = await page.locator('.red-ui-debug-msg', { has: page.locator('.red-ui-debug-msg-name', { hasText: 'node: explained' }) }).last().textContent();
    assert.match(text ?? '', /839/);
    // The tls profile dialog of a node in use: what a user opens next to check the profile.
    await page.evaluate(() => {
      const node = (window as any).RED.nodes.node('a1f0c0de00040006');
      (window as any).RED.editor.edit(node);
    });
    await page.waitForSelector('#node-input-verify', { state: 'visible' });
    await page.waitForTimeout(500);
    await page.evaluate(() => $('.red-ui-notification').remove());
    await page.locator('.red-ui-tray').last().screenshot({ path: path.join(SHOTS, 'demo-tls-profile.png') });
    await closeTrays();
    await reloadEditor();
  });

  it('the palette: one category, every flow node with its own icon and a one-line label without " - "', async () => {
    const palette = await page.evaluate((types: string[]) => types.map((type) => {
      const el = document.querySelector(`.red-ui-palette-node[data-palette-type="${type}"]`) as HTMLElement | null;
      const label = el?.querySelector('.red-ui-palette-label');
      const icon = el?.querySelector('.red-ui-palette-icon') as HTMLElement | null;
      const def = (window as any).RED.nodes.getType(type);
      return {
        type,
        shown: !!el,
        html: label?.innerHTML ?? '',
        text: label?.textContent ?? '',
        icon: icon ? getComputedStyle(icon).backgroundImage : '',
        category: def?.category,
        color: def?.color,
      };
    }), FLOW_TYPES);
    for (const p of palette) {
      assert.ok(p.shown, `${p.type} is in the palette`);
      assert.doesNotMatch(p.html, /<br/i, `${p.type}: "${p.text}" fits on one line`);
      assert.doesNotMatch(p.text, / - /, `${p.type}: "${p.text}"`);
    }
    assert.equal(new Set(palette.map((p) => p.category)).size, 1, 'one category');
    assert.equal(new Set(palette.map((p) => p.icon)).size, FLOW_TYPES.length, `an icon each: ${palette.map((p) => p.icon).join(' ')}`);
    const coreColors = await page.evaluate(() => ['inject', 'debug', 'function', 'change', 'switch'].map((t) => (window as any).RED.nodes.getType(t)?.color));
    assert.equal(new Set(palette.map((p) => p.color)).size, 1, 'one colour for the package');
    assert.ok(!coreColors.includes(palette[0].color), `not a core node's colour: ${palette[0].color}`);
    // Our category, wherever it falls in the palette (the screenshot scrolls it into view).
    await page.locator('.red-ui-palette-category', { has: page.locator('.red-ui-palette-node[data-palette-type="modem-tls-open"]') }).screenshot({ path: path.join(SHOTS, 'palette.png') });
  });

  /** What the open dialog (the last tray) cuts off at its width: options, placeholders, labels of the fields `${prefix}-…`. */
  async function cutOff(prefix: string): Promise<string[]> {
    return page.evaluate((p: string) => {
      const out: string[] = [];
      const tray = document.querySelectorAll('.red-ui-tray');
      const root = tray[tray.length - 1] as HTMLElement;
      const canvas = document.createElement('canvas').getContext('2d')!;
      const width = (el: Element, text: string): number => {
        const style = getComputedStyle(el);
        canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        return canvas.measureText(text).width;
      };
      // The node's own fields (Node-RED's own, such as the config scope, are not this package's).
      root.querySelectorAll(`select[id^="${p}-"]`).forEach((select: any) => {
        if ((select as HTMLElement).offsetParent === null) return;
        const room = select.clientWidth - 24; // the arrow
        select.querySelectorAll('option').forEach((option: any) => {
          if (width(select, option.textContent ?? '') > room) out.push(`${select.id} option "${option.textContent}"`);
        });
      });
      root.querySelectorAll(`input[id^="${p}-"]`).forEach((input: any) => {
        const el = input as HTMLInputElement;
        if (el.offsetParent === null || !el.placeholder) return;
        if (width(el, el.placeholder) > el.clientWidth - 8) out.push(`${el.id} placeholder "${el.placeholder}"`);
      });
      root.querySelectorAll('.form-row label').forEach((label: any) => {
        const el = label as HTMLElement;
        if (el.offsetParent === null) return;
        if (el.scrollWidth > el.clientWidth + 1) out.push(`label "${el.textContent?.trim()}"`);
      });
      return out;
    }, prefix);
  }

  it('every dialog opens without a console error, and nothing in it is cut off at the default width', async () => {
    for (const type of TYPES) {
      const mark = problems.length;
      const id = await page.evaluate((t: string) => {
        const RED = (window as any).RED;
        const def = RED.nodes.getType(t);
        const node: Record<string, unknown> = { id: RED.nodes.id(), type: t };
        for (const [name, d] of Object.entries(def.defaults as Record<string, { value: unknown }>)) node[name] = d.value;
        if (def.category === 'config') {
          RED.view.importNodes([node]);
          RED.editor.editConfig('', t, node.id);
        } else {
          RED.view.importNodes([{ ...node, z: RED.workspaces.active(), x: 300, y: 300, wires: [[]] }]);
          RED.editor.edit(RED.nodes.node(node.id));
        }
        return node.id as string;
      }, type);
      const prefix = type === 'modem-config' ? 'node-config-input' : 'node-input';
      await page.waitForSelector(`.red-ui-tray [id^="${prefix}-"]`, { timeout: 10000 });
      await page.waitForTimeout(400);
      const cut = await cutOff(prefix);
      assert.deepEqual(cut, [], `${type}: cut off`);
      if (['modem-config', 'modem-tls-profile', 'modem-load-cert', 'modem-tls-open'].includes(type)) {
        await page.locator('.red-ui-tray').last().screenshot({ path: path.join(SHOTS, `dialog-${type}.png`) });
      }
      await closeTrays();
      await page.evaluate((i: string) => {
        const RED = (window as any).RED;
        if (RED.nodes.node(i)) RED.nodes.remove(i);
        RED.nodes.dirty(false);
        RED.view.redraw(true);
      }, id);
      assert.deepEqual(problemsSince(mark), [], `${type}: console`);
    }
    await reloadEditor();
  });

  it('the help of every node fits the sidebar', async () => {
    for (const type of TYPES) {
      const overflow = await page.evaluate(async (t: string) => {
        const RED = (window as any).RED;
        RED.sidebar.help.show(t);
        await new Promise((r) => setTimeout(r, 200));
        // The panel that shows the node's help: the help element with the most text in it.
        const panels = [...document.querySelectorAll('.red-ui-help')] as any[];
        const body = panels.sort((a, b) => (b.textContent ?? '').length - (a.textContent ?? '').length)[0];
        if (!body) return ['no help panel'];
        const out: string[] = [];
        if (!/\w{3}/.test(body.textContent ?? '')) out.push('empty');
        body.querySelectorAll('*').forEach((el: any) => {
          const e = el as HTMLElement;
          if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && e.clientWidth > 0) out.push(`${e.tagName.toLowerCase()} "${(e.textContent ?? '').slice(0, 40)}"`);
        });
        return out;
      }, type);
      assert.deepEqual(overflow, [], `${type} help`);
    }
  });

  it('bad values mark the node invalid with the field and a message; good values do not', async () => {
    const verdicts = await page.evaluate(() => {
      const RED = (window as any).RED;
      const cfg = { id: 'ed-cfg', type: 'modem-config', vendor: 'telit', platform: '30', transport: 'tcp', host: '127.0.0.1', tcpPort: '7001' };
      const ws = RED.workspaces.active();
      const nodes = [
        { id: 'bad-port', type: 'modem-tls-open', modem: 'ed-cfg', profile: '1', host: 'example.com', port: '70000' },
        { id: 'good-port', type: 'modem-tls-open', modem: 'ed-cfg', profile: '1', host: 'example.com', port: '443' },
        { id: 'bad-slot', type: 'modem-load-cert', modem: 'ed-cfg', certType: 'ca', name: '9' },
        { id: 'empty-slot', type: 'modem-load-cert', modem: 'ed-cfg', certType: 'ca', name: '' },
        { id: 'good-slot', type: 'modem-load-cert', modem: 'ed-cfg', certType: 'ca', name: '2' },
        { id: 'bad-length', type: 'modem-tls-recv', modem: 'ed-cfg', length: '0' },
      ].map((n, i) => ({ ...n, z: ws, x: 200, y: 60 + 40 * i, wires: [[]] }));
      RED.view.importNodes([cfg, ...nodes]);
      const out: Record<string, { valid: boolean; errors: string[] }> = {};
      for (const n of nodes) {
        const node = RED.nodes.node(n.id);
        RED.editor.validateNode(node);
        out[n.id] = { valid: node.valid, errors: node.validationErrors ?? [] };
      }
      return out;
    });
    assert.equal(verdicts['good-port'].valid, true, JSON.stringify(verdicts['good-port']));
    assert.equal(verdicts['good-slot'].valid, true, JSON.stringify(verdicts['good-slot']));
    const expect: Record<string, RegExp> = {
      'bad-port': /^port: 70000 is outside 1\.\.65535/,
      'bad-slot': /^name: 9 is outside 1\.\.6/,
      'empty-slot': /^name: is required/,
      'bad-length': /^msg\.length: 0 bytes is outside 1\.\.1048576/,
    };
    for (const [id, pattern] of Object.entries(expect)) {
      assert.equal(verdicts[id].valid, false, id);
      assert.ok(verdicts[id].errors.some((e) => pattern.test(e)), `${id}: ${JSON.stringify(verdicts[id].errors)}`);
    }
    // In the dialog, the field itself is flagged as the value is typed.
    await closeTrays();
    await editNode('good-port', '#node-input-port');
    await page.fill('#node-input-port', '70000');
    await page.locator('#node-input-host').click();
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => $('#node-input-port').hasClass('input-error')), true, 'the port field is flagged');
    await page.fill('#node-input-port', '8883');
    await page.locator('#node-input-host').click();
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => $('#node-input-port').hasClass('input-error')), false, 'and unflagged');
    await closeTrays();
    await reloadEditor();
  });

  it('a fleet of gateways: ${VAR} in the modem config and node fields is accepted, in the model and as typed in the dialog', async () => {
    const verdicts = await page.evaluate(() => {
      const RED = (window as any).RED;
      const ws = RED.workspaces.active();
      const serial = { id: 'env-serial', type: 'modem-config', vendor: 'telit', platform: '${MODEM_PLATFORM}', transport: 'serial', port: '${MODEM_PORT}', apn: '${MODEM_APN}', readyTimeout: '${MODEM_WAIT}', commandTimeout: '${MODEM_TIMEOUT}' };
      const tcp = { id: 'env-tcp', type: 'modem-config', vendor: 'telit', platform: '30', transport: 'tcp', host: '${MODEM_HOST}', tcpPort: '${MODEM_TCP_PORT}' };
      const open = { id: 'env-open', type: 'modem-tls-open', modem: 'env-tcp', profile: '${TLS_PROFILE}', host: '${TLS_HOST}', port: '${TLS_PORT}', z: ws, x: 200, y: 400, wires: [[]] };
      RED.view.importNodes([serial, tcp, open]);
      const out: Record<string, { valid: boolean; errors: string[] }> = {};
      for (const id of ['env-serial', 'env-tcp', 'env-open']) {
        const node = RED.nodes.node(id);
        RED.editor.validateNode(node);
        out[id] = { valid: node.valid, errors: node.validationErrors ?? [] };
      }
      return out;
    });
    for (const [id, verdict] of Object.entries(verdicts)) assert.equal(verdict.valid, true, `${id}: ${JSON.stringify(verdict.errors)}`);
    // Typed into the dialog: no field flagged.
    await closeTrays();
    await page.evaluate(() => (window as any).RED.editor.editConfig('', 'modem-config', 'env-tcp'));
    await page.waitForSelector('#node-config-input-tcpPort', { state: 'visible' });
    const flaggedNow = (): Promise<string[]> => page.evaluate(() => [...document.querySelectorAll('.red-ui-tray input.input-error, .red-ui-tray select.input-error')].map((el: any) => String(el.id)));
    // The same field does flag a port out of range, so an empty list below means accepted.
    await page.fill('#node-config-input-tcpPort', '70000');
    await page.locator('#node-config-input-name').click();
    await page.waitForTimeout(300);
    assert.deepEqual(await flaggedNow(), ['node-config-input-tcpPort']);
    await page.fill('#node-config-input-tcpPort', '${GATEWAY_TCP_PORT}');
    await page.fill('#node-config-input-host', '${GATEWAY_HOST}');
    await page.locator('#node-config-input-name').click();
    await page.waitForTimeout(300);
    assert.deepEqual(await flaggedNow(), []);
    await closeTrays();
    // A platform from the environment survives its dialog: shown as typed, kept on Done, still valid.
    await page.evaluate(() => (window as any).RED.editor.editConfig('', 'modem-config', 'env-serial'));
    await page.waitForSelector('#node-config-input-platform', { state: 'visible' });
    assert.equal(await page.inputValue('#node-config-input-platform'), '${MODEM_PLATFORM}');
    await page.locator('#node-config-dialog-ok').click();
    await page.waitForTimeout(500);
    const kept = await page.evaluate(() => {
      const node = (window as any).RED.nodes.node('env-serial');
      (window as any).RED.editor.validateNode(node);
      return { platform: node.platform, valid: node.valid };
    });
    assert.deepEqual(kept, { platform: '${MODEM_PLATFORM}', valid: true });
    await closeTrays();
    await reloadEditor();
  });

  it('Fibocom L610 dialogs: no certificate names, profile 1 only, its 31 suites, and the files counted, never removed', async () => {
    await closeTrays();
    const verdicts = await page.evaluate(() => {
      const RED = (window as any).RED;
      const ws = RED.workspaces.active();
      const cfg = { id: 'fib-cfg', type: 'modem-config', vendor: 'fibocom', platform: '', transport: 'tcp', host: '127.0.0.1', tcpPort: '7003' };
      const nodes = [
        { id: 'fib-load', type: 'modem-load-cert', modem: 'fib-cfg', certType: 'ca', name: '' },
        { id: 'fib-load-key', type: 'modem-load-cert', modem: 'fib-cfg', certType: 'key', name: 'device key', vendorOptions: '{"keepLoaded": false}' },
        { id: 'fib-load-bad', type: 'modem-load-cert', modem: 'fib-cfg', certType: 'ca', name: '', format: 'der' },
        { id: 'fib-profile', type: 'modem-tls-profile', modem: 'fib-cfg', profile: '1', verify: 'mutual', ca: '', cert: '', key: '', tlsVersion: '1.2', ciphers: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
        { id: 'fib-profile-2', type: 'modem-tls-profile', modem: 'fib-cfg', profile: '2', verify: 'server', ca: '', tlsVersion: '1.2', ciphers: 'auto' },
        { id: 'fib-open', type: 'modem-tls-open', modem: 'fib-cfg', profile: '1', host: 'example.com', port: '443', mode: 'command' },
        { id: 'fib-open-online', type: 'modem-tls-open', modem: 'fib-cfg', profile: '1', host: 'example.com', port: '443', mode: 'online' },
        { id: 'fib-send-7', type: 'modem-tls-send', modem: 'fib-cfg', socket: '7' },
      ].map((n, i) => ({ ...n, z: ws, x: 200, y: 60 + 40 * i, wires: [[]] }));
      RED.view.importNodes([cfg, ...nodes]);
      const out: Record<string, { valid: boolean; errors: string[] }> = {};
      for (const n of nodes) {
        const node = RED.nodes.node(n.id);
        RED.editor.validateNode(node);
        out[n.id] = { valid: node.valid, errors: node.validationErrors ?? [] };
      }
      return out;
    });
    for (const id of ['fib-load', 'fib-load-key', 'fib-profile', 'fib-open']) assert.equal(verdicts[id].valid, true, `${id}: ${JSON.stringify(verdicts[id].errors)}`);
    const expect: Record<string, RegExp> = {
      'fib-load-bad': /^format: /,
      'fib-profile-2': /^profile: 2 is outside 1\.\.1/,
      'fib-open-online': /^mode: /,
      'fib-send-7': /^msg\.socket: 7 is outside 1\.\.6/,
    };
    for (const [id, pattern] of Object.entries(expect)) {
      assert.equal(verdicts[id].valid, false, id);
      assert.ok(verdicts[id].errors.some((e) => pattern.test(e)), `${id}: ${JSON.stringify(verdicts[id].errors)}`);
    }
    // load-cert: the name is a label, and the hint says how the module keeps files.
    await editNode('fib-load', '#node-input-name', ['#modem-tls-load-cert-hint', /Fibocom L610/]);
    const load = await page.evaluate(() => {
      const $ = (window as any).$;
      return {
      placeholder: $('#node-input-name').attr('placeholder'),
      hint: $('#modem-tls-load-cert-hint').text(),
      der: $('#node-input-format option[value="der"]').prop('disabled'),
      vendor: $('#modem-tls-load-cert-vendor-hint').text(),
      };
    });
    assert.equal(load.placeholder, 'optional');
    assert.match(load.hint, /verified by the module's count of files .* nothing can be removed, and everything is lost at power-down/);
    assert.equal(load.der, true, 'DER cannot be chosen: the module takes PEM text only');
    assert.match(load.vendor, /keepLoaded/);
    await closeTrays();
    // tls-profile: the names row is hidden, the version list stops at 1.2, the suites are the module's 31.
    await editNode('fib-profile', '#node-input-profile', ['#modem-tls-profile-hint', /profile 1 serves every connection/]);
    const profile = await page.evaluate(() => {
      const $ = (window as any).$;
      return {
      names: $('.modem-tls-names').is(':visible'),
      sni: $('.modem-tls-sni').is(':visible'),
      hostname: $('.modem-tls-hostname').is(':visible'),
      v13: $('#node-input-tlsVersion option[value="1.3"]').prop('disabled'),
      suites: $('#node-input-ciphers-select option').map((_i: number, o: any) => o.value).get().filter((v: string) => v.startsWith('TLS_')).length,
      chosen: $('#node-input-ciphers-select').val(),
      };
    });
    assert.deepEqual(profile, { names: false, sni: false, hostname: false, v13: true, suites: 31, chosen: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'] });
    assert.match(await page.evaluate(() => (window as any).$('#modem-tls-profile-hint').text()), /does not check that the server certificate names the host/);
    await page.locator('.red-ui-tray').last().screenshot({ path: path.join(SHOTS, 'dialog-fibocom-tls-profile.png') });
    // Done: what the module cannot do is saved as it does it, so applying the profile does not warn about it.
    await page.locator('#node-dialog-ok').click();
    await page.waitForTimeout(400);
    assert.deepEqual(await page.evaluate(() => {
      const n = (window as any).RED.nodes.node('fib-profile');
      return { sni: n.sni, checkHostname: n.checkHostname, checkDate: n.checkDate };
    }), { sni: false, checkHostname: false, checkDate: true });
    await closeTrays();
    await reloadEditor();
  });

  it('Digi XBee3 dialogs: file names under certs/, profiles 0..2 with no cipher choice, the SHA-256 and write-only key hint, and online mode offered', async () => {
    await closeTrays();
    const verdicts = await page.evaluate(() => {
      const RED = (window as any).RED;
      const ws = RED.workspaces.active();
      const cfg = { id: 'xb-cfg', type: 'modem-config', vendor: 'xbee3', platform: 'LTE-M', transport: 'tcp', host: '127.0.0.1', tcpPort: '7005' };
      const nodes = [
        { id: 'xb-load', type: 'modem-load-cert', modem: 'xb-cfg', certType: 'ca', name: 'server-ca.pem', format: 'auto' },
        { id: 'xb-load-key', type: 'modem-load-cert', modem: 'xb-cfg', certType: 'key', name: 'device.key' },
        { id: 'xb-load-bad', type: 'modem-load-cert', modem: 'xb-cfg', certType: 'ca', name: 'my ca.pem' },
        { id: 'xb-load-der', type: 'modem-load-cert', modem: 'xb-cfg', certType: 'ca', name: 'ca.der', format: 'der' },
        { id: 'xb-profile', type: 'modem-tls-profile', modem: 'xb-cfg', profile: '2', verify: 'mutual', ca: 'server-ca.pem', cert: 'device.pem', key: 'device.key', tlsVersion: '1.2', ciphers: 'auto', sni: true },
        { id: 'xb-profile-3', type: 'modem-tls-profile', modem: 'xb-cfg', profile: '3', verify: 'server', ca: 'server-ca.pem', tlsVersion: '1.2', ciphers: 'auto' },
        { id: 'xb-profile-suite', type: 'modem-tls-profile', modem: 'xb-cfg', profile: '1', verify: 'server', ca: 'server-ca.pem', tlsVersion: '1.2', ciphers: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
        { id: 'xb-open', type: 'modem-tls-open', modem: 'xb-cfg', profile: '1', host: 'example.com', port: '443', mode: 'command' },
        { id: 'xb-open-online', type: 'modem-tls-open', modem: 'xb-cfg', profile: '0', host: 'example.com', port: '443', mode: 'online' },
        { id: 'xb-open-3', type: 'modem-tls-open', modem: 'xb-cfg', profile: '3', host: 'example.com', port: '443', mode: 'command' },
      ].map((n, i) => ({ ...n, z: ws, x: 200, y: 60 + 40 * i, wires: [[]] }));
      RED.view.importNodes([cfg, ...nodes]);
      const out: Record<string, { valid: boolean; errors: string[] }> = {};
      for (const n of nodes) {
        const node = RED.nodes.node(n.id);
        RED.editor.validateNode(node);
        out[n.id] = { valid: node.valid, errors: node.validationErrors ?? [] };
      }
      return out;
    });
    for (const id of ['xb-load', 'xb-load-key', 'xb-profile', 'xb-open', 'xb-open-online']) assert.equal(verdicts[id].valid, true, `${id}: ${JSON.stringify(verdicts[id].errors)}`);
    const expect: Record<string, RegExp> = {
      'xb-load-bad': /^name: /,
      'xb-load-der': /^format: /,
      'xb-profile-3': /^profile: 3 is outside 0\.\.2/,
      'xb-profile-suite': /^ciphers: /,
      'xb-open-3': /^profile: 3 is outside 0\.\.2/,
    };
    for (const [id, pattern] of Object.entries(expect)) {
      assert.equal(verdicts[id].valid, false, id);
      assert.ok(verdicts[id].errors.some((e) => pattern.test(e)), `${id}: ${JSON.stringify(verdicts[id].errors)}`);
    }
    // load-cert: the name is a file name in certs/, and the hint says how the module checks what it stored.
    await editNode('xb-load', '#node-input-name', ['#modem-tls-load-cert-hint', /Digi XBee3/]);
    const load = await page.evaluate(() => {
      const $ = (window as any).$;
      return { hint: $('#modem-tls-load-cert-hint').text(), der: $('#node-input-format option[value="der"]').prop('disabled') };
    });
    assert.match(load.hint, /file name in certs\/, e.g. ca.pem/);
    assert.match(load.hint, /a certificate is verified by the SHA-256 the module computes of the stored file; a private key is stored write-only, so only its size is checked/);
    assert.match(load.hint, /keys: RSA/);
    assert.equal(load.der, true, 'DER cannot be chosen: the module takes PEM files only');
    await page.locator('.red-ui-tray').last().screenshot({ path: path.join(SHOTS, 'dialog-xbee3-load-cert.png') });
    await closeTrays();
    // tls-profile: profiles 0..2, the file names shown, no cipher choice, no host name, versions up to 1.2;
    // SNI shown ticked: the module sends the host name it connects to (unticking it warns).
    await editNode('xb-profile', '#node-input-profile', ['#modem-tls-profile-hint', /Digi XBee3/]);
    const profile = await page.evaluate(() => {
      const $ = (window as any).$;
      return {
        hint: $('#modem-tls-profile-hint').text(),
        names: $('.modem-tls-names').is(':visible'),
        sni: $('.modem-tls-sni').is(':visible'),
        hostname: $('.modem-tls-hostname').is(':visible'),
        v13: $('#node-input-tlsVersion option[value="1.3"]').prop('disabled'),
        suites: $('#node-input-ciphers-select option').map((_i: number, o: any) => o.value).get(),
        cipherChoice: !$('#node-input-ciphers-select').prop('disabled'),
      };
    });
    assert.match(profile.hint, /profiles 0\.\.2/);
    assert.match(profile.hint, /does not check that the server certificate names the host/);
    assert.deepEqual({ ...profile, hint: undefined }, { hint: undefined, names: true, sni: true, hostname: false, v13: true, suites: ['auto'], cipherChoice: false });
    await page.locator('.red-ui-tray').last().screenshot({ path: path.join(SHOTS, 'dialog-xbee3-tls-profile.png') });
    await closeTrays();
    // tls-open: both modes offered (online is transparent mode on profile 0), profiles 0..2, 4 connections.
    await editNode('xb-open-online', '#node-input-mode', ['#modem-tls-open-hint', /Digi XBee3/]);
    const open = await page.evaluate(() => {
      const $ = (window as any).$;
      return {
        hint: $('#modem-tls-open-hint').text(),
        online: $('#node-input-mode option[value="online"]').prop('disabled'),
        command: $('#node-input-mode option[value="command"]').prop('disabled'),
        mode: $('#node-input-mode').val(),
        placeholder: $('#node-input-profile').attr('placeholder'),
      };
    });
    assert.deepEqual(open, { hint: open.hint, online: false, command: false, mode: 'online', placeholder: '0..2' });
    assert.match(open.hint, /profiles 0\.\.2, up to 4 connections at once/);
    await closeTrays();
    await reloadEditor();
  });

  it('Inventek eS-WiFi dialogs: the Wi-Fi network in the modem config, sets 0..2 with the one-time programming warning and checkbox (on no other vendor), P9 as the profile’s vendor option, sockets 0..3 in command mode', async () => {
    await closeTrays();
    const verdicts = await page.evaluate(() => {
      const RED = (window as any).RED;
      const ws = RED.workspaces.active();
      const cfg = { id: 'wifi-cfg', type: 'modem-config', vendor: 'eswifi', platform: 'ISM43362', transport: 'tcp', host: '127.0.0.1', tcpPort: '7006', wifiSsid: 'plant-floor', wifiSecurity: 'wpa2' };
      const nodes = [
        { id: 'wifi-load', type: 'modem-load-cert', modem: 'wifi-cfg', certType: 'ca', name: '0', format: 'auto', programOneTime: false },
        { id: 'wifi-load-3', type: 'modem-load-cert', modem: 'wifi-cfg', certType: 'ca', name: '3' },
        { id: 'wifi-load-der', type: 'modem-load-cert', modem: 'wifi-cfg', certType: 'ca', name: '0', format: 'der' },
        { id: 'wifi-profile', type: 'modem-tls-profile', modem: 'wifi-cfg', profile: '0', verify: 'server', checkHostname: false, checkDate: false, sni: false, tlsVersion: 'auto', ciphers: 'auto', ca: '0', cert: '', key: '', vendorOptions: '{"verification": 2}' },
        { id: 'wifi-profile-3', type: 'modem-tls-profile', modem: 'wifi-cfg', profile: '3', verify: 'server', tlsVersion: 'auto', ciphers: 'auto', ca: '' },
        { id: 'wifi-profile-p9', type: 'modem-tls-profile', modem: 'wifi-cfg', profile: '0', verify: 'server', tlsVersion: 'auto', ciphers: 'auto', ca: '', vendorOptions: '{"verification": 3}' },
        { id: 'wifi-open', type: 'modem-tls-open', modem: 'wifi-cfg', profile: '0', host: 'broker.example', port: '8883', mode: 'command' },
        { id: 'wifi-open-online', type: 'modem-tls-open', modem: 'wifi-cfg', profile: '0', host: 'broker.example', port: '8883', mode: 'online' },
        { id: 'wifi-send', type: 'modem-tls-send', modem: 'wifi-cfg', socket: '3' },
        { id: 'wifi-send-4', type: 'modem-tls-send', modem: 'wifi-cfg', socket: '4' },
      ].map((n, i) => ({ ...n, z: ws, x: 200, y: 60 + 40 * i, wires: [[]] }));
      RED.view.importNodes([cfg, ...nodes]);
      const out: Record<string, { valid: boolean; errors: string[] }> = {};
      for (const n of nodes) {
        const node = RED.nodes.node(n.id);
        RED.editor.validateNode(node);
        out[n.id] = { valid: node.valid, errors: node.validationErrors ?? [] };
      }
      return out;
    });
    for (const id of ['wifi-load', 'wifi-profile', 'wifi-open', 'wifi-send']) assert.equal(verdicts[id].valid, true, `${id}: ${JSON.stringify(verdicts[id].errors)}`);
    const expect: Record<string, RegExp> = {
      'wifi-load-3': /^name: 3 is outside 0\.\.2/,
      'wifi-load-der': /^format: /,
      'wifi-profile-3': /^profile: 3 is outside 0\.\.2/,
      'wifi-profile-p9': /^vendorOptions\.verification: /,
      'wifi-open-online': /^mode: /,
      'wifi-send-4': /^msg\.socket: 4 is outside 0\.\.3/,
    };
    for (const [id, pattern] of Object.entries(expect)) {
      assert.equal(verdicts[id].valid, false, id);
      assert.ok(verdicts[id].errors.some((e) => pattern.test(e)), `${id}: ${JSON.stringify(verdicts[id].errors)}`);
    }

    // Import → Examples reads the file and imports it as it is: the modem config keeps the simulated network's passphrase the
    // file carries, and a deploy sends it. (Ids moved, as on a Node-RED that has not imported the example yet.)
    const imported = await page.evaluate(async (url: string) => {
      const RED = (window as any).RED;
      const text = (await (await fetch(url)).text()).replace(/a1f0c0de/g, 'b2f0c0de');
      RED.view.importNodes(JSON.parse(text), { generateIds: false, addFlow: true });
      const cfg = RED.nodes.node('b2f0c0de000000c6');
      const deployed = RED.nodes.createCompleteNodeSet().find((n: any) => n.id === 'b2f0c0de000000c6');
      // What the deploy request carries, as JSON.
      return { ssid: cfg?.wifiSsid, security: cfg?.wifiSecurity, carried: cfg?.credentials?.wifiPassphrase, deployed: JSON.parse(JSON.stringify(deployed?.credentials ?? null)) };
    }, `library/examples/flows/${[PKG.name, 'eswifi', '2 TLS echo, server verified'].map(encodeURIComponent).join('/')}`);
    assert.deepEqual(imported, { ssid: 'sim-wifi', security: 'wpa2', carried: 'simulated-pass', deployed: { wifiPassphrase: 'simulated-pass' } });
    await reloadEditor();

    // The demo's eS-WiFi config: the network it joins, the passphrase stored and not shown; no cellular rows.
    await page.evaluate(() => (window as any).RED.editor.editConfig('', 'modem-config', 'a1f0c0de000000c6'));
    await page.waitForSelector('#node-config-input-wifiSsid', { state: 'visible' });
    await page.waitForTimeout(500);
    const config = await page.evaluate(() => {
      const $ = (window as any).$;
      return {
        ssid: $('#node-config-input-wifiSsid').val(),
        security: $('#node-config-input-wifiSecurity').val(),
        passphraseType: $('#node-config-input-wifiPassphrase').attr('type'),
        passphraseStored: $('#node-config-input-wifiPassphrase').val() === '__PWRD__',
        cellular: $('.modem-tls-cellular:visible').length,
      };
    });
    assert.deepEqual(config, { ssid: 'sim-wifi', security: 'wpa2', passphraseType: 'password', passphraseStored: true, cellular: 0 });
    await page.evaluate(() => $('.red-ui-notification').remove());
    await page.locator('.red-ui-tray').last().screenshot({ path: path.join(SHOTS, 'dialog-eswifi-modem-config.png') });
    await page.click('#node-config-dialog-cancel');
    await closeTrays();

    // load-cert: the demo's node that programs set 0 — the warning shown, the checkbox ticked, "write even when the same" gone.
    const otp = (): Promise<Record<string, unknown>> => page.evaluate(() => {
      const $ = (window as any).$;
      return {
        row: $('.modem-tls-otp').is(':visible'),
        ticked: $('#node-input-programOneTime').is(':checked'),
        warning: $('.modem-tls-otp .form-tips').text(),
        force: $('.modem-tls-force').is(':visible'),
      };
    });
    await editNode('a1f0c0de000b000e', '#node-input-name', ['#modem-tls-load-cert-hint', /Inventek/]);
    const programming = await otp();
    assert.deepEqual({ ...programming, warning: undefined }, { row: true, ticked: true, warning: undefined, force: false });
    assert.match(String(programming.warning), /^Programming cannot be undone: what goes into an empty set stays there, and only a complete firmware flash of the module clears the sets/);
    const load = await page.evaluate(() => {
      const $ = (window as any).$;
      return {
        hint: $('#modem-tls-load-cert-hint').text(),
        placeholder: $('#node-input-name').attr('placeholder'),
        der: $('#node-input-format option[value="der"]').prop('disabled'),
        vendor: $('#modem-tls-load-cert-vendor-hint').text(),
      };
    });
    assert.match(load.hint, /^Inventek ISM43362: slot 0\.\.2 — the certificate set; verified by writing the same data again, which the module answers with a match;.*one-time programmable: a slot cannot be rewritten/);
    assert.match(load.hint, /verified by writing the same data again, which the module answers with a match/);
    assert.match(load.hint, /one-time programmable: a slot cannot be rewritten/);
    assert.equal(load.placeholder, '0..2');
    assert.equal(load.der, true, 'DER cannot be chosen: the sets take PEM text');
    assert.match(load.vendor, /programOneTime: true writes into a set that may still be empty/);
    assert.match(load.vendor, /firmwareFlashed: /);
    await page.evaluate(() => $('.red-ui-notification').remove());
    await page.locator('.red-ui-tray').last().screenshot({ path: path.join(SHOTS, 'dialog-eswifi-load-cert.png') });
    // Listing programs nothing: the option goes with the store action only.
    await page.selectOption('#node-input-action', 'list');
    await page.waitForTimeout(200);
    assert.equal((await otp()).row, false, 'no checkbox for list');
    await closeTrays();
    // The demo's node that only checks: the warning shown, the box unticked.
    await editNode('a1f0c0de000b0006', '#node-input-name', ['#modem-tls-load-cert-hint', /Inventek/]);
    assert.deepEqual({ ...(await otp()), warning: undefined }, { row: true, ticked: false, warning: undefined, force: false });
    // The same dialog pointed at a cellular modem: no one-time programming there, and the box is not saved ticked.
    const telit = await telitConfig();
    await page.locator('#node-input-programOneTime').check();
    await page.selectOption('#node-input-modem', telit);
    await page.waitForFunction(() => !/Inventek/.test((window as any).$('#modem-tls-load-cert-hint').text()));
    assert.deepEqual({ ...(await otp()), warning: undefined }, { row: false, ticked: true, warning: undefined, force: true });
    await page.locator('#node-dialog-ok').click();
    await page.waitForTimeout(400);
    assert.deepEqual(await page.evaluate(() => {
      const n = (window as any).RED.nodes.node('a1f0c0de000b0006');
      return { modem: n.modem, programOneTime: n.programOneTime };
    }), { modem: telit, programOneTime: false });
    await closeTrays();
    await reloadEditor();

    // tls-profile: a profile is a set (0..2), the P9 vendor option explained, nothing the module does not do offered.
    await editNode('a1f0c0de000c0004', '#node-input-profile', ['#modem-tls-profile-hint', /Inventek/]);
    const profile = await page.evaluate(() => {
      const $ = (window as any).$;
      return {
        hint: $('#modem-tls-profile-hint').text(),
        vendor: $('#modem-tls-vendor-options').is(':visible') ? $('#modem-tls-vendor-options').text() : '',
        sni: $('.modem-tls-sni').is(':visible'),
        hostname: $('.modem-tls-hostname').is(':visible'),
        checkHostname: $('.modem-tls-checkHostname').is(':visible'),
        checkDate: $('.modem-tls-checkDate').is(':visible'),
        versions: $('#node-input-tlsVersion option').filter((_i: number, o: any) => !o.disabled).map((_i: number, o: any) => o.value).get(),
        cipherChoice: !$('#node-input-ciphers-select').prop('disabled'),
        placeholder: $('#node-input-profile').attr('placeholder'),
      };
    });
    assert.match(profile.hint, /profiles 0\.\.2/);
    assert.match(profile.vendor, /^verification: P9 value; default from verify: none 0, server and mutual 2; 1 verifies the server only when the set holds a root CA$/);
    assert.deepEqual(
      { ...profile, hint: undefined, vendor: undefined },
      { hint: undefined, vendor: undefined, sni: false, hostname: false, checkHostname: false, checkDate: false, versions: ['auto'], cipherChoice: false, placeholder: '0..2' },
    );
    await page.evaluate(() => $('.red-ui-notification').remove());
    await page.locator('.red-ui-tray').last().screenshot({ path: path.join(SHOTS, 'dialog-eswifi-tls-profile.png') });
    await closeTrays();
    // Another vendor's profile has no P9.
    await editNode('a1f0c0de00020006', '#node-input-profile', ['#modem-tls-profile-hint', /Telit/]);
    assert.doesNotMatch(await page.evaluate(() => (window as any).$('#modem-tls-vendor-options').text()), /verification/);
    await closeTrays();

    // tls-open: command mode only, sockets by the adapter.
    await editNode('a1f0c0de000c0005', '#node-input-mode', ['#modem-tls-open-hint', /Inventek/]);
    const open = await page.evaluate(() => {
      const $ = (window as any).$;
      return {
        online: $('#node-input-mode option[value="online"]').prop('disabled'),
        vendor: $('#modem-tls-open-vendor-hint').text(),
      };
    });
    assert.equal(open.online, true, 'online mode cannot be chosen');
    assert.match(open.vendor, /pollMs: longest pause between two reads of the module \(R0\)/);
    await closeTrays();
    await reloadEditor();
  });

  it('switching the modem-config vendor resets what belonged to the old vendor', async () => {
    await closeTrays();
    const id = await telitConfig();
    await page.evaluate((i: string) => (window as any).RED.editor.editConfig('', 'modem-config', i), id);
    await page.waitForSelector('#node-config-input-vendor');
    await page.waitForTimeout(800);
    assert.equal(await page.inputValue('#node-config-input-platform'), '30');
    await page.selectOption('#node-config-input-vendor', 'ublox');
    await page.waitForTimeout(300);
    const after = await page.evaluate(() => ({
      platform: $('#node-config-input-platform').val(),
      module: $('.modem-tls-module-row').is(':visible'),
      apn: $('.modem-tls-cellular').is(':visible'),
      wifi: $('.modem-tls-wifi').is(':visible'),
    }));
    assert.deepEqual(after, { platform: '', module: false, apn: true, wifi: false });
    // Every vendor in turn: the Wi-Fi module shows SSID, security and passphrase, and no APN, user, password or SIM PIN; the cellular ones the reverse.
    const vendors = await page.evaluate(() => (window as any).modemTls.vendors().map((v: any) => ({ id: v.id, kind: v.kind })) as Array<{ id: string; kind: string }>);
    assert.deepEqual(vendors.filter((v) => v.kind === 'wifi').map((v) => v.id), ['eswifi']);
    for (const vendor of vendors) {
      await page.selectOption('#node-config-input-vendor', vendor.id);
      await page.waitForTimeout(200);
      const rows = await page.evaluate(() => ({
        wifi: ['wifiSsid', 'wifiSecurity', 'wifiPassphrase'].map((f) => $(`#node-config-input-${f}`).is(':visible')),
        cellular: ['apn', 'apnUser', 'apnPassword', 'simPin'].map((f) => $(`#node-config-input-${f}`).is(':visible')),
      }));
      const wifi = vendor.kind === 'wifi';
      assert.deepEqual(rows, { wifi: [wifi, wifi, wifi], cellular: [!wifi, !wifi, !wifi, !wifi] }, vendor.id);
    }
    // Cancel: the demo's modem stays as it was.
    await page.click('#node-config-dialog-cancel');
    await closeTrays();
  });

  it('secrets are password fields whose values never come back from the server', async () => {
    const secret = '47110815';
    await closeTrays();
    const id = await telitConfig();
    await page.evaluate((i: string) => (window as any).RED.editor.editConfig('', 'modem-config', i), id);
    await page.waitForSelector('#node-config-input-simPin');
    for (const field of ['simPin', 'apnPassword', 'wifiPassphrase']) {
      assert.equal(await page.getAttribute(`#node-config-input-${field}`, 'type'), 'password', field);
    }
    // The dialog judges the PIN as the runtime does: 4 to 8 digits.
    const pinMarked = async (value: string): Promise<boolean> => {
      await page.fill('#node-config-input-simPin', value);
      await page.dispatchEvent('#node-config-input-simPin', 'change');
      return /input-error/.test((await page.getAttribute('#node-config-input-simPin', 'class')) ?? '');
    };
    assert.deepEqual([await pinMarked('12ab'), await pinMarked('123'), await pinMarked('123456789')], [true, true, true]);
    assert.equal(await pinMarked(secret), false);
    await page.click('#node-config-dialog-ok');
    await page.waitForTimeout(300);
    await deploy();
    const fromServer = await page.evaluate(async (i: string) => (await fetch(`credentials/modem-config/${i}`)).text(), id);
    assert.doesNotMatch(fromServer, new RegExp(secret));
    assert.match(fromServer, /"has_simPin":true/);
    await page.evaluate((i: string) => (window as any).RED.editor.editConfig('', 'modem-config', i), id);
    await page.waitForSelector('#node-config-input-simPin');
    await page.waitForTimeout(500);
    assert.notEqual(await page.inputValue('#node-config-input-simPin'), secret);
    await page.click('#node-config-dialog-cancel');
    await closeTrays();
    const exported = await page.evaluate(() => JSON.stringify((window as any).RED.nodes.createCompleteNodeSet()));
    assert.doesNotMatch(exported, new RegExp(secret));
    assert.ok(!runtimeLog.some((l) => l.includes(secret)), 'not in the runtime log');
  });

  /** Clicks Deploy and waits for the runtime to confirm; fails on an error notification. */
  async function deploy(): Promise<void> {
    const before = await page.locator('.red-ui-notification').count();
    await page.click('#red-ui-header-button-deploy');
    // A deploy that needs confirming (invalid or unknown nodes) is a failure: say what it asked.
    const outcome = await Promise.race([
      page.waitForFunction(() => !(window as any).RED.nodes.dirty(), undefined, { timeout: 30000 }).then(() => 'deployed'),
      page.waitForSelector('.red-ui-dialog:visible', { timeout: 30000 }).then(async (d) => `asked: ${(await d.textContent())?.trim()}`),
    ]);
    assert.equal(outcome, 'deployed');
    await page.waitForTimeout(500);
    const notes = await page.locator('.red-ui-notification').allTextContents();
    const errors = (await page.locator('.red-ui-notification-error').allTextContents()).concat(notes.slice(before).filter((t) => /error|fail/i.test(t) && !/deployed/i.test(t)));
    assert.deepEqual(errors, [], 'deploy notifications');
  }

  it('every example is offered by Import → Examples, imports, and lays out without overlapping nodes', async () => {
    for (const file of examples()) {
      const name = path.relative(path.join(ROOT, 'examples'), file);
      const mark = problems.length;
      // What Import → Examples reads for this file, from the runtime's examples library.
      const entry = [PKG.name, ...name.replace(/\.json$/, '').split(path.sep)].map(encodeURIComponent).join('/');
      const offered = await page.evaluate(async (url: string) => {
        const res = await fetch(url);
        return { status: res.status, text: await res.text() };
      }, `library/examples/flows/${entry}`);
      assert.equal(offered.status, 200, `${name} is offered by Import → Examples`);
      const flow = JSON.parse(offered.text) as Array<Record<string, unknown>>;
      assert.deepEqual(flow, JSON.parse(readFileSync(file, 'utf8')), `${name} as offered`);
      const result = await page.evaluate((nodes: Array<Record<string, unknown>>) => {
        const RED = (window as any).RED;
        const before = RED.nodes.getWorkspaceOrder().slice();
        RED.view.importNodes(nodes, { generateIds: true, addFlow: true });
        const z = RED.nodes.getWorkspaceOrder().find((w: string) => !before.includes(w));
        RED.workspaces.show(z);
        return { z, count: RED.nodes.filterNodes({ z }).length };
      }, flow);
      assert.equal(result.count, flow.filter((n) => n.z !== undefined && n.type !== 'tab').length, `${name}: every node imported`);
      await page.waitForTimeout(600);
      const layout = await overlapsOn(result.z);
      assert.deepEqual(layout.out, [], `${name}: overlapping`);
      await page.screenshot({ path: path.join(SHOTS, `example-${name.replace(/\.json$/, '').replace(/[^\w-]+/g, '-').toLowerCase()}.png`) });
      await page.evaluate((z: string) => {
        const RED = (window as any).RED;
        RED.workspaces.delete(RED.nodes.workspace(z));
        RED.nodes.dirty(false);
      }, result.z);
      assert.deepEqual(problemsSince(mark), [], `${name}: console`);
    }
  });

  /** The boxes of the nodes rendered on tab `z`, and every pair that overlaps. */
  async function overlapsOn(z: string): Promise<{ count: number; out: string[] }> {
    return page.evaluate((tab: string) => {
      const boxes: Array<{ name: string; x: number; y: number; w: number; h: number }> = [];
      document.querySelectorAll('#red-ui-workspace-chart g.red-ui-flow-node').forEach((g: any) => {
        const d = (g as any).__data__;
        if (!d || d.z !== tab) return;
        boxes.push({ name: d.name || d.type, x: d.x - d.w / 2, y: d.y - d.h / 2, w: d.w, h: d.h });
      });
      const out: string[] = [];
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i];
          const b = boxes[j];
          if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) out.push(`"${a.name}" and "${b.name}"`);
        }
      }
      return { count: boxes.length, out };
    }, z);
  }

  it('the demo flows (the examples, as npm start installs them) lay out cleanly and survive every kind of deploy without an error', async () => {
    const tabs = await page.evaluate(() => (window as any).RED.nodes.getWorkspaceOrder().slice());
    for (const z of tabs) {
      await page.evaluate((t: string) => (window as any).RED.workspaces.show(t), z);
      await page.waitForTimeout(300);
      const layout = await overlapsOn(z);
      assert.deepEqual(layout.out, [], `tab ${z}: overlapping`);
    }
    for (const type of ['full', 'flows', 'nodes', 'reload']) {
      const logMark = runtimeLog.length;
      await page.evaluate(async (kind: string) => {
        const RED = (window as any).RED;
        const flows = kind === 'reload' ? {} : RED.nodes.createCompleteNodeSet();
        await fetch('flows', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': kind }, body: JSON.stringify(flows) });
      }, type);
      await page.waitForTimeout(4000);
      // The one tab that fails on purpose (errors explained: three opens refused with 839) is the only source of errors.
      const errors = runtimeLog.slice(logMark).filter((l) => /\[error\]/.test(l) && !/839|handshake/i.test(l));
      assert.deepEqual(errors, [], `${type} deploy`);
    }
  });

  describe('the tls bridge', () => {
    /** The id of a demo modem-config in use, of `vendor` (and `platform`). */
    async function configOf(vendor: string, platform?: string): Promise<string> {
      const id = await page.evaluate(([v, p]) => {
        let found: string | undefined;
        (window as any).RED.nodes.eachConfig((n: any) => {
          if (!found && n.type === 'modem-config' && n.vendor === v && (p === undefined || n.platform === p) && n.users?.length > 0) found = n.id;
        });
        return found;
      }, [vendor, platform] as const);
      assert.ok(id, `the demo flows have a ${vendor} modem-config in use`);
      return id!;
    }

    /** Bridge nodes on the active tab, each with its own settings over the defaults; the verdict of each. */
    async function placeBridges(nodes: Array<Record<string, unknown>>): Promise<Record<string, { valid: boolean; errors: string[] }>> {
      return page.evaluate((list: Array<Record<string, unknown>>) => {
        const RED = (window as any).RED;
        const ws = RED.workspaces.active();
        const defaults = RED.nodes.getType('modem-tls-bridge').defaults as Record<string, { value: unknown }>;
        const made = list.map((n, i) => {
          const node: Record<string, unknown> = { type: 'modem-tls-bridge', z: ws, x: 260, y: 60 + 40 * i, wires: [[]] };
          for (const [name, d] of Object.entries(defaults)) node[name] = d.value;
          return { ...node, ...n };
        });
        RED.view.importNodes(made);
        const out: Record<string, { valid: boolean; errors: string[] }> = {};
        for (const n of made) {
          const node = RED.nodes.node(n.id);
          RED.editor.validateNode(node);
          out[n.id as string] = { valid: node.valid, errors: node.validationErrors ?? [] };
        }
        return out;
      }, nodes);
    }

    /** Whether the dialog marks the field `#node-input-<name>`. */
    async function marked(name: string): Promise<boolean> {
      return page.evaluate((n: string) => (window as any).$(`#node-input-${n}`).hasClass('input-error'), name);
    }

    /** Types `value` into a field and leaves it, as a user does; the dialog judges every field again. */
    async function type(name: string, value: string): Promise<void> {
      await page.fill(`#node-input-${name}`, value);
      await page.dispatchEvent(`#node-input-${name}`, 'change');
    }

    it('is in the palette as "tls bridge", and its dialog opens at the default width with every field, in two sections', async () => {
      await closeTrays();
      const palette = await page.evaluate(() => {
        const el = document.querySelector('.red-ui-palette-node[data-palette-type="modem-tls-bridge"]');
        const def = (window as any).RED.nodes.getType('modem-tls-bridge');
        return { label: (el?.querySelector('.red-ui-palette-label')?.textContent ?? '').replace(/\s+/g, ' ').trim(), category: def?.category, inputs: def?.inputs, outputs: def?.outputs };
      });
      assert.deepEqual(palette, { label: 'tls bridge', category: 'modem TLS', inputs: 0, outputs: 1 });
      const telit = await configOf('telit', '30');
      await placeBridges([{ id: 'br-dialog', modem: telit, host: 'broker.example.com' }]);
      // The width a dialog of this package opens at, from tls open, whose fields are laid out the same way.
      await editNode('a1f0c0de00020007', '#node-input-host');
      const openWidth = await page.evaluate(() => [...document.querySelectorAll('.red-ui-tray')].pop()?.getBoundingClientRect().width);
      await closeTrays();
      const mark = problems.length;
      await editNode('br-dialog', '#node-input-listenHost', ['#modem-tls-bridge-connections-hint', /Telit/]);
      const dialog = await page.evaluate(() => {
        const $ = (window as any).$;
        const fields = ['listenHost', 'listenPort', 'exposed', 'modem', 'profile', 'host', 'port', 'mode', 'connections', 'timeout', 'vendorOptions', 'name'];
        return {
          width: [...document.querySelectorAll('.red-ui-tray')].pop()?.getBoundingClientRect().width,
          sections: $('.red-ui-tray .modem-tls-section').map((_i: number, e: any) => e.textContent.trim()).get(),
          missing: fields.filter((f) => $(`#node-input-${f}`).length === 0 || !$(`#node-input-${f}`).closest('.form-row').is(':visible')),
          values: { listenHost: $('#node-input-listenHost').val(), listenPort: $('#node-input-listenPort').val(), exposed: $('#node-input-exposed').is(':checked'), port: $('#node-input-port').val(), mode: $('#node-input-mode').val(), connections: $('#node-input-connections').val(), profile: $('#node-input-profile').val() },
          typed: $('#node-input-vendorOptions').typedInput('type'),
          warning: $('#modem-tls-bridge-exposed-warning').is(':visible'),
          flagged: [...document.querySelectorAll('.red-ui-tray input.input-error, .red-ui-tray select.input-error')].map((e: any) => String(e.id)),
        };
      });
      assert.equal(dialog.width, openWidth, 'the default width');
      assert.deepEqual(dialog.sections, ['Listen', 'Connect through the modem']);
      assert.deepEqual(dialog.missing, []);
      assert.deepEqual(dialog.values, { listenHost: '127.0.0.1', listenPort: '1883', exposed: false, port: '8883', mode: 'auto', connections: '1', profile: '1' });
      assert.equal(dialog.typed, 'json', 'vendor options as a JSON typed input, as in tls open');
      assert.equal(dialog.warning, false, 'no warning while the bridge listens on loopback');
      assert.deepEqual(dialog.flagged, []);
      assert.deepEqual(await cutOff('node-input'), [], 'nothing cut off');
      await page.evaluate(() => $('.red-ui-notification').remove());
      await page.locator('.red-ui-tray').last().screenshot({ path: path.join(SHOTS, 'dialog-modem-tls-bridge.png') });
      // The label on the canvas: the local port and where it leads.
      await page.locator('#node-dialog-ok').click();
      await page.waitForTimeout(300);
      assert.equal(await page.evaluate(() => (window as any).RED.utils.getNodeLabel((window as any).RED.nodes.node('br-dialog'))), 'tls bridge :1883 → broker.example.com:8883');
      assert.deepEqual(problemsSince(mark), [], 'console');
      await closeTrays();
      // Its help in the sidebar: the sections a user looks for.
      await page.evaluate(() => (window as any).RED.sidebar.help.show('modem-tls-bridge'));
      await page.waitForFunction(() => [...document.querySelectorAll('.red-ui-help h3')].some((h: any) => h.textContent === 'Using it with the MQTT nodes'));
      const headings = await page.evaluate(() => [...document.querySelectorAll('.red-ui-help h3')].map((h: any) => String(h.textContent)));
      assert.deepEqual(headings.filter((h) => /Properties|Outputs|Errors|MQTT|Back-pressure|Security/.test(h)), ['Properties', 'Outputs', 'Errors', 'Using it with the MQTT nodes', 'Back-pressure and limits', 'Security']);
      await page.locator('#red-ui-sidebar').screenshot({ path: path.join(SHOTS, 'help-modem-tls-bridge.png') });
      await reloadEditor();
    });

    it('an address other machines reach is marked until "exposed" is ticked, judged as the runtime judges it', async () => {
      await closeTrays();
      const telit = await configOf('telit', '30');
      const hosts = ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '0.0.0.0', '192.168.1.20', '::', 'gateway.local', '128.0.0.1'];
      const verdicts = await placeBridges(hosts.flatMap((h, i) => [
        { id: `br-host-${i}`, modem: telit, host: 'broker.example.com', listenHost: h },
        { id: `br-host-${i}-exposed`, modem: telit, host: 'broker.example.com', listenHost: h, exposed: true },
      ]));
      // The runtime's judgement (src/modem/tls-bridge.ts), which refuses the same settings at deploy.
      hosts.forEach((h, i) => {
        const plain = verdicts[`br-host-${i}`];
        assert.equal(plain.valid, isLoopback(h), `${h}: ${JSON.stringify(plain.errors)}`);
        if (!plain.valid) assert.ok(plain.errors.some((e) => /^listenHost: .* is not a loopback address.*tick "exposed"/.test(e)), `${h}: ${JSON.stringify(plain.errors)}`);
        assert.equal(verdicts[`br-host-${i}-exposed`].valid, true, `${h} exposed: ${JSON.stringify(verdicts[`br-host-${i}-exposed`].errors)}`);
      });
      assert.deepEqual(hosts.filter((h) => isLoopback(h)), ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']);
      // In the dialog: 0.0.0.0 is marked as typed, the tick clears the mark and shows the warning, unticking marks it again.
      await editNode('br-host-0', '#node-input-listenHost', ['#modem-tls-bridge-connections-hint', /Telit/]);
      await type('listenHost', '0.0.0.0');
      assert.equal(await marked('listenHost'), true, '0.0.0.0 without exposed');
      await page.locator('#node-input-exposed').check();
      assert.equal(await marked('listenHost'), false, '0.0.0.0 with exposed');
      const warning = await page.evaluate(() => (window as any).$('#modem-tls-bridge-exposed-warning:visible').text());
      assert.match(warning, /every machine that reaches this address can use the modem's TLS connections/);
      await page.evaluate(() => $('.red-ui-notification').remove());
      await page.locator('.red-ui-tray').last().screenshot({ path: path.join(SHOTS, 'dialog-modem-tls-bridge-exposed.png') });
      await page.locator('#node-input-exposed').uncheck();
      assert.equal(await marked('listenHost'), true, 'unticked again');
      await type('listenHost', '127.0.0.1');
      assert.equal(await marked('listenHost'), false, 'back on loopback');
      await closeTrays();
      await reloadEditor();
    });

    it('connections above the modem’s limit are marked, with the limit in the hint, for the modem chosen in the dialog', async () => {
      await closeTrays();
      const telit = await configOf('telit', '30');
      const ublox = await configOf('ublox');
      const verdicts = await placeBridges([
        { id: 'br-conn-6', modem: telit, host: 'broker.example.com', connections: 6, mode: 'command' },
        { id: 'br-conn-7', modem: telit, host: 'broker.example.com', connections: 7 },
        { id: 'br-conn-0', modem: telit, host: 'broker.example.com', connections: 0 },
        { id: 'br-conn-ublox-5', modem: ublox, host: 'broker.example.com', connections: 5 },
        { id: 'br-online-2', modem: telit, host: 'broker.example.com', connections: 2, mode: 'online' },
        { id: 'br-online-ublox', modem: ublox, host: 'broker.example.com', mode: 'online' },
        { id: 'br-listen-0', modem: telit, host: 'broker.example.com', listenPort: 0 },
        { id: 'br-no-host', modem: telit, host: '' },
      ]);
      assert.equal(verdicts['br-conn-6'].valid, true, JSON.stringify(verdicts['br-conn-6']));
      const expect: Record<string, RegExp> = {
        'br-conn-7': /^connections: 7 is outside 1\.\.6/,
        'br-conn-0': /^connections: 0 is outside 1\.\.6/,
        'br-conn-ublox-5': /^connections: 5 is outside 1\.\.4/,
        'br-online-2': /^mode: online gives the serial link to one connection, and connections is 2/,
        'br-online-ublox': /^mode: "online" is not offered by u-blox/,
        'br-listen-0': /^listenPort: 0 is outside 1\.\.65535/,
        'br-no-host': /^host: is required/,
      };
      for (const [id, pattern] of Object.entries(expect)) {
        assert.equal(verdicts[id].valid, false, id);
        assert.ok(verdicts[id].errors.some((e) => pattern.test(e)), `${id}: ${JSON.stringify(verdicts[id].errors)}`);
      }
      // In the dialog: the hint names the limit of the modem chosen, and the field is judged by it as it is typed.
      await editNode('br-conn-6', '#node-input-connections', ['#modem-tls-bridge-connections-hint', /Telit/]);
      assert.match(await page.evaluate(() => (window as any).$('#modem-tls-bridge-connections-hint').text()), /Telit platform 30 .* has at most 6 TLS connections at once/);
      assert.equal(await marked('connections'), false, '6 on a Telit');
      await type('connections', '7');
      assert.equal(await marked('connections'), true, '7 on a Telit');
      await type('connections', '4');
      assert.equal(await marked('connections'), false, '4 on a Telit');
      await page.selectOption('#node-input-modem', ublox);
      await page.waitForFunction(() => /u-blox/.test((window as any).$('#modem-tls-bridge-connections-hint').text()));
      assert.match(await page.evaluate(() => (window as any).$('#modem-tls-bridge-connections-hint').text()), /has at most 4 TLS connections at once/);
      assert.equal(await marked('connections'), false, '4 on a u-blox');
      await type('connections', '5');
      assert.equal(await marked('connections'), true, '5 on a u-blox');
      await closeTrays();
      await reloadEditor();
    });

    it('the mode shows what it means, auto for the modem and the connections chosen; online is offered only where the modem has it', async () => {
      await closeTrays();
      const telit = await configOf('telit', '30');
      const ublox = await configOf('ublox');
      await placeBridges([{ id: 'br-mode', modem: telit, host: 'broker.example.com' }]);
      await editNode('br-mode', '#node-input-mode', ['#modem-tls-bridge-connections-hint', /Telit/]);
      const tip = (): Promise<string> => page.evaluate(() => (window as any).$('#modem-tls-bridge-mode-tip').text());
      const online = (): Promise<boolean> => page.evaluate(() => !(window as any).$('#node-input-mode option[value="online"]').prop('disabled'));
      assert.match(await tip(), /^auto: online when the modem has it and Connections is 1, otherwise command\./);
      assert.match(await tip(), /With Telit platform 30 .* and one connection, auto means online\./);
      assert.equal(await online(), true);
      await type('connections', '2');
      assert.match(await tip(), /With more than one connection, auto means command\./);
      await page.selectOption('#node-input-mode', 'online');
      assert.match(await tip(), /^online: the serial link carries the data directly.*One connection at a time\./);
      assert.equal(await marked('mode'), true, 'online with two connections');
      await type('connections', '1');
      assert.equal(await marked('mode'), false, 'online with one connection');
      await page.selectOption('#node-input-mode', 'command');
      assert.match(await tip(), /^command: data goes through commands/);
      await page.selectOption('#node-input-mode', 'auto');
      await page.selectOption('#node-input-modem', ublox);
      await page.waitForFunction(() => /u-blox/.test((window as any).$('#modem-tls-bridge-mode-tip').text()));
      assert.match(await tip(), /u-blox .*has no online mode here: auto means command\./);
      assert.equal(await online(), false, 'online cannot be chosen on a u-blox');
      await closeTrays();
      await reloadEditor();
    });

    it('deploys, listens on its port and says so in its status; removed, it stops listening', async () => {
      await closeTrays();
      const telit = await configOf('telit', '30');
      const listenPort = await freePort();
      const logMark = runtimeLog.length;
      await placeBridges([{ id: 'br-deploy', modem: telit, host: '127.0.0.1', port: demo.ports.servers.echo, listenPort, name: 'bridge to the echo server' }]);
      // Node-RED 4 attaches an imported node to the mouse until a click drops it; Node-RED 5 places
      // it at once. Either way the workspace then holds a change to deploy.
      const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
      await page.mouse.click(chart!.x + chart!.width - 200, chart!.y + chart!.height - 120);
      await page.evaluate(() => {
        const RED = (window as any).RED;
        RED.nodes.dirty(true);
        RED.view.redraw(true);
      });
      assert.ok(await page.evaluate(() => Boolean((window as any).RED.nodes.node('br-deploy'))), 'the bridge is on the canvas');
      await deploy();
      await page.waitForFunction(
        (text: string) => (window as any).RED.nodes.node('br-deploy')?.status?.text === text,
        `listening on 127.0.0.1:${listenPort}`,
        { timeout: 30000 },
      );
      assert.deepEqual(await page.evaluate(() => {
        const s = (window as any).RED.nodes.node('br-deploy').status;
        return { fill: s.fill, shape: s.shape };
      }), { fill: 'green', shape: 'ring' });
      assert.equal(await portState(listenPort), 'taken', 'the bridge listens');
      await page.evaluate(() => {
        const RED = (window as any).RED;
        RED.nodes.remove('br-deploy');
        RED.nodes.dirty(true);
        RED.view.redraw(true);
      });
      await deploy();
      assert.equal(await portState(listenPort), 'free', 'the port is free again');
      assert.deepEqual(runtimeLog.slice(logMark).filter((l) => /\[error\]/.test(l)), []);
      await reloadEditor();
    });
  });
});
