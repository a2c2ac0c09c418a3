/**
 * A real headless Chromium for the editor tests, from npm alone: `@sparticuz/chromium` ships the
 * browser inside its package and unpacks it on first use; `CHROMIUM_PATH` names a system one
 * instead (e.g. Debian's /usr/bin/chromium). Driven with `playwright-core`, which downloads nothing.
 *
 * Owns: starting and stopping that browser, and the fonts an editor page is measured with. Must
 * never: reach the network (background services of the browser are switched off) or leave a
 * process behind.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Flags that keep a headless browser quiet in a closed sandbox: no background services, no GPU. */
const QUIET = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchBrowser(): Promise<Browser> {
  const system = process.env.CHROMIUM_PATH;
  if (system) return chromium.launch({ executablePath: system, headless: true, args: QUIET });
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the Chromium that comes from npm (@sparticuz/chromium) is a Linux x86-64 build; on ${process.platform}/${process.arch} set CHROMIUM_PATH to an installed Chromium`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const packaged = require('@sparticuz/chromium') as { executablePath(): Promise<string>; args: string[] };
  const executablePath = await packaged.executablePath();
  return chromium.launch({ executablePath, headless: true, args: [...new Set([...packaged.args, ...QUIET])] });
}

/**
 * The fonts the editor is measured with, whatever the machine has. Node-RED's stylesheet asks for
 * "Helvetica Neue", Arial, Helvetica, sans-serif; on a Linux box without Arial (only DejaVu Sans,
 * about an eighth wider) a label or an option that fits for a user on Windows or macOS wraps, and
 * on a box with no fonts at all nothing is meaningful. So every page of the editor tests has those
 * three names bound to Arimo (metric-compatible with Arial; `@fontsource/arimo`, from npm), latin
 * and latin-ext, regular and bold, upright and italic — added before the editor's own scripts run,
 * as binary data, so no label is measured before the face is there.
 */
const EDITOR_FONT_NAMES = ['Helvetica Neue', 'Arial', 'Helvetica'];

function editorFontFaces(): Array<{ style: string; weight: string; range: string; data: string }> {
  const dir = path.dirname(require.resolve('@fontsource/arimo/package.json'));
  const css = ['400.css', '400-italic.css', '700.css', '700-italic.css'].map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
  const faces: Array<{ style: string; weight: string; range: string; data: string }> = [];
  for (const block of css.split('@font-face').slice(1)) {
    const file = /url\(\.\/files\/(arimo-(latin|latin-ext)-(400|700)-(normal|italic)\.woff2)\)/.exec(block);
    const range = /unicode-range:\s*([^;]+);/.exec(block);
    if (!file || !range) continue;
    faces.push({ style: file[4], weight: file[3], range: range[1].trim(), data: readFileSync(path.join(dir, 'files', file[1])).toString('base64') });
  }
  if (faces.length !== 8) throw new Error(`@fontsource/arimo: expected 8 latin and latin-ext faces in its 400 and 700 stylesheets, found ${faces.length}`);
  return faces;
}

/* What the page's own scripts below use (the browser has them, not Node.js): declared in this module only. */
declare const document: any;
declare const FontFace: any;
declare function atob(data: string): string;

/** A page for the editor, its fonts the same on every machine (see editorFontFaces). */
export async function newEditorPage(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.addInitScript(({ names, faces }) => {
    for (const family of names) {
      for (const f of faces) {
        const bytes = Uint8Array.from(atob(f.data), (c: string) => c.charCodeAt(0));
        const face = new FontFace(family, bytes, { style: f.style, weight: f.weight, unicodeRange: f.range });
        document.fonts.add(face);
        void face.load();
      }
    }
  }, { names: EDITOR_FONT_NAMES, faces: editorFontFaces() });
  return page;
}

/** The editor's labels are measured in the faces newEditorPage adds: true once every one of them has loaded. */
export async function editorFontsLoaded(page: Page): Promise<boolean> {
  const expected = EDITOR_FONT_NAMES.length * editorFontFaces().length;
  return page.evaluate(async ({ names, expected }) => {
    await document.fonts.ready;
    const ours = ([...document.fonts] as Array<{ family: string; status: string }>).filter((f) => names.includes(f.family.replace(/"/g, '')));
    return ours.length === expected && ours.every((f) => f.status === 'loaded') && names.every((n) => document.fonts.check(`13px "${n}"`));
  }, { names: EDITOR_FONT_NAMES, expected });
}
