/**
 * The raw serialport loop of the round-trip figure, run as its own Node.js process (as Node-RED is):
 * `node round-trips-raw.js <port> <rounds> <warm-up rounds>` writes `AT<CR>`, waits for the line
 * `OK`, and again, with nothing between the port and the loop. Prints one JSON line,
 * `{"rounds": n, "ms": t, "cpuMs": c}`: the time of the `rounds` after the warm-up, and this
 * process's CPU time meanwhile.
 *
 * Must never: use anything of this package — it is the baseline a user's own script would be.
 */
import { performance } from 'node:perf_hooks';
import { SerialPort } from 'serialport';

/** The port may still be held for a moment by the Node-RED flow deployed away just before. */
const OPEN_ATTEMPTS = 50;
const OPEN_RETRY_MS = 100;

function open(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

async function openSoon(path: string): Promise<SerialPort> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open(path);
    } catch (err) {
      if (attempt >= OPEN_ATTEMPTS || !/lock|busy/i.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, OPEN_RETRY_MS));
    }
  }
}

async function main(): Promise<void> {
  const [path, roundsText, warmText] = process.argv.slice(2);
  const rounds = Number(roundsText);
  const warm = Number(warmText ?? 0);
  if (!path || !(rounds > 0)) throw new Error('usage: round-trips-raw <port> <rounds> [warm-up rounds]');
  const port = await openSoon(path);
  let text = '';
  let answered: (() => void) | undefined;
  port.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    if (text.endsWith('OK\r\n')) {
      text = '';
      const done = answered;
      answered = undefined;
      done?.();
    }
  });
  const roundTrip = (): Promise<void> =>
    new Promise<void>((resolve) => {
      answered = resolve;
      port.write('AT\r');
    });
  for (let i = 0; i < warm; i++) await roundTrip();
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < rounds; i++) await roundTrip();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await new Promise<void>((resolve) => port.close(() => resolve()));
  process.stdout.write(`${JSON.stringify({ rounds, ms, cpuMs: (used.user + used.system) / 1000 })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
