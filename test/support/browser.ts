/**
 * A real headless Chromium for the editor tests, from npm alone: `@sparticuz/chromium` ships the
 * browser inside its package and unpacks it on first use; `CHROMIUM_PATH` names a system one
 * instead (e.g. Debian's /usr/bin/chromium). Driven with `playwright-core`, which downloads nothing.
 *
 * Owns: starting and stopping that browser. Must never: reach the network (background services
 * of the browser are switched off) or leave a process behind.
 */
import { chromium, type Browser } from 'playwright-core';

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
