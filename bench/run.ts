/**
 * `npm run bench`: how close the package comes to the serial line rate, and what it costs.
 *
 * Every figure is a ratio against a baseline measured in the same run — the line rate of
 * the simulated UART (10 bits a byte), or the raw pseudo-terminal — never an absolute
 * time, so results compare across machines. Nothing here asserts; it reports.
 *
 *  1. framer headroom: sized payloads parsed per second ÷ the fastest UART rate (4 Mbaud)
 *  2. raw pseudo-terminal: bytes/s through serialport ↔ pty with no modem in between
 *  3. receive at line rate: a TLS echo delivered by SSLSRING URCs from a simulated Telit
 *     module throttled to 115200 baud ÷ that line rate
 *  4. send: #SSLSENDEXT throughput, unthrottled, ÷ the fastest UART rate (4 Mbaud)
 *  5. command latency: median ATI round trip ÷ the bytes' own time on a 115200 line
 *  6. memory: heap growth across a 1 MB round trip
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { Framer, type PayloadRule } from '../src/at/framer';
import { ModemConnection } from '../src/modem/connection';
import { readProfile } from '../src/tls/profile';
import { parseSecurityData } from '../src/tls/certificates';
import { createTelitModem, servePty } from '../src/simulator';
import { openPseudoTerminal } from '../src/simulator/pty';
import { createTestPki } from '../src/simulator/pki';
import { startTlsEchoServer } from '../src/simulator/tls-servers';

const results: Array<{ name: string; value: string; note: string }> = [];
function report(name: string, value: string, note: string): void {
  results.push({ name, value, note });
  console.log(`${name.padEnd(34)} ${value.padStart(14)}   ${note}`);
}
const perSecond = (bytes: number, ms: number): number => (bytes * 1000) / ms;
const lineRate = (baud: number): number => baud / 10;

function framerHeadroom(): void {
  const rule: PayloadRule = { name: 'SSLRECV', pattern: /^#SSLRECV: (\d+)$/, where: 'next-line', length: (m) => Number(m[1]) };
  const body = Buffer.alloc(1000, 0x4f);
  const frame = Buffer.concat([Buffer.from('\r\n#SSLRECV: 1000\r\n'), body, Buffer.from('\r\n\r\nOK\r\n')]);
  const stream = Buffer.concat(Array.from({ length: 4000 }, () => frame));
  let payloadBytes = 0;
  const framer = new Framer((e) => {
    if (e.type === 'payload') payloadBytes += e.data.length;
  });
  framer.setRules([rule]);
  const start = process.hrtime.bigint();
  // Reads of uneven size, as a UART driver delivers them.
  for (let pos = 0, i = 0; pos < stream.length; i++) {
    const size = 64 + ((i * 7919) % 4032);
    framer.push(stream.subarray(pos, pos + size));
    pos += size;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rate = perSecond(stream.length, ms);
  report('framer headroom vs 4 Mbaud', `${(rate / lineRate(4_000_000)).toFixed(0)}×`, `${(rate / 1e6).toFixed(1)} MB/s parsed, ${payloadBytes} payload bytes`);
}

async function rawPty(): Promise<number> {
  const pty = openPseudoTerminal();
  const port = new SerialPort({ path: pty.path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const total = 1 << 20;
  let got = 0;
  const start = Date.now();
  const done = new Promise<void>((resolve) => {
    pty.on('data', (chunk: Buffer) => {
      got += chunk.length;
      if (got >= total) resolve();
    });
  });
  for (let sent = 0; sent < total; sent += 16384) port.write(Buffer.alloc(16384, 0x55));
  await done;
  const rate = perSecond(total, Date.now() - start);
  await new Promise<void>((resolve) => port.close(() => resolve()));
  await pty.close();
  report('raw pty (serialport → pty)', `${(rate / 1e6).toFixed(2)} MB/s`, 'baseline for the unthrottled figures');
  return rate;
}

interface Rig {
  modem: ModemConnection;
  close(): Promise<void>;
}

async function telitRig(baudRate: number | undefined, pki: ReturnType<typeof createTestPki>, serverPort: number, dir: string, name: string): Promise<Rig> {
  const sim = createTelitModem({ platform: '30', ...(baudRate ? { baudRate } : {}) });
  const pty = await servePty(sim, { linkPath: path.join(dir, name) });
  const modem = new ModemConnection({
    vendor: 'telit',
    platform: '30',
    link: { transport: 'serial', path: path.join(dir, name), baudRate: baudRate ?? 115200 },
    apn: 'bench.example',
    clockSync: true,
    commandTimeoutMs: 20000,
  });
  modem.start();
  await new Promise<void>((resolve) => (modem.isReady ? resolve() : modem.on('ready', () => resolve())));
  const adapter = modem.adapter!;
  await adapter.uploadSecurityData({ certType: 'ca', name: '1', parsed: parseSecurityData(pki.ca.cert, 'ca'), format: 'auto' });
  await adapter.applyProfile(readProfile({ profile: '1', verify: 'server', ca: '1', vendorOptions: { sslSRingMode: 2 } }));
  await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: serverPort, mode: 'command' });
  return {
    modem,
    async close() {
      await adapter.closeSocket('1').catch(() => undefined);
      await modem.close();
      await pty.close();
    },
  };
}

/** Sends `bytes` and waits for the echo; returns [send ms, echo-complete ms]. */
async function roundTrip(modem: ModemConnection, bytes: number): Promise<[number, number]> {
  const adapter = modem.adapter!;
  const data = Buffer.from(Array.from({ length: bytes }, (_, i) => i % 256));
  let got = 0;
  const echoed = new Promise<void>((resolve) => {
    const onData = (_socket: string, chunk: Buffer): void => {
      got += chunk.length;
      if (got >= bytes) {
        adapter.off('data', onData);
        resolve();
      }
    };
    adapter.on('data', onData);
  });
  const start = Date.now();
  await adapter.send('1', data);
  const sent = Date.now() - start;
  await echoed;
  return [sent, Date.now() - start];
}

async function main(): Promise<void> {
  console.log(`node-red-contrib-modem-tls benchmarks — node ${process.version}, ${os.cpus().length} cores\n`);
  framerHeadroom();
  const raw = await rawPty();

  const pki = createTestPki({ hosts: ['127.0.0.1', 'localhost'] });
  const server = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-bench-'));
  try {
    // 3. Receive direction throttled to a real UART rate: the module's output is the bottleneck.
    const baud = 115200;
    const slow = await telitRig(baud, pki, server.port, dir, 'ttySLOW');
    const size = 64 * 1024;
    const [, echoMs] = await roundTrip(slow.modem, size);
    const rxRate = perSecond(size, echoMs);
    report('receive vs 115200 line rate', `${((rxRate / lineRate(baud)) * 100).toFixed(1)} %`, `${(rxRate / 1000).toFixed(2)} kB/s of ${(lineRate(baud) / 1000).toFixed(2)} kB/s (URC framing included)`);
    await slow.close();

    // 4–6. Unthrottled: the package's own cost against the raw pseudo-terminal.
    const fast = await telitRig(undefined, pki, server.port, dir, 'ttyFAST');
    const big = 256 * 1024;
    const [sendMs] = await roundTrip(fast.modem, big);
    const txRate = perSecond(big, sendMs);
    report('send (#SSLSENDEXT) vs 4 Mbaud', `${(txRate / lineRate(4_000_000)).toFixed(1)}×`, `${(txRate / 1e6).toFixed(2)} MB/s in 1500-byte commands (${((txRate / raw) * 100).toFixed(1)} % of the raw pty)`);

    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = process.hrtime.bigint();
      await fast.modem.command('ATI');
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    samples.sort((a, b) => a - b);
    const median = samples[samples.length >> 1];
    const wireMs = ((4 + 40) * 10 * 1000) / 115200; // "ATI\r" out, about 40 bytes back
    report('ATI round trip (median)', `${(median / wireMs).toFixed(2)}×`, `${median.toFixed(2)} ms, vs ${wireMs.toFixed(2)} ms for its bytes on a 115200 line`);

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    await roundTrip(fast.modem, 1 << 20);
    global.gc?.();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    report('heap growth, 1 MB round trip', `${(grown / (1 << 20)).toFixed(2)} MB`, global.gc ? 'after GC' : 'run with node --expose-gc for a steadier figure');
    await fast.close();
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(`benchmark failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
