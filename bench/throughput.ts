/**
 * Throughput: per vendor, send and receive at 115200 and 921600 baud through a flow in a real
 * Node-RED, against the vendor's protocol ceiling — the line rate less the bytes and the waits of
 * the method its adapter uses for that payload (`VendorRecord.transfer`, src/adapters/transfer.ts).
 *
 * One connection per vendor and rate serves both directions: the server counts, hashes and times
 * what the flow sends, and writes random bytes that a function after tls-recv counts and hashes.
 * Send time runs from the flow's probe just before tls-send until the server has the last byte
 * and tls-send has finished (a method that leaves a data mode afterwards pays its guard times
 * there, as its ceiling counts them); receive time from the server's write to the probe's "all
 * received". Bytes that arrive different from
 * what was sent fail the figure.
 */
import { randomBytes } from 'node:crypto';
import { transferTime, type TransferMethod } from '../src/adapters/transfer';
import { vendorRecord } from '../src/adapters/registry';
import { VENDORS, type VendorId } from '../src/adapters/types';
import {
  catchNodes, failedFigure, lineRate, median, modemFlowFor, provision, rateText, sha256, startBenchServer, startNodeRed, startSimulatedModem,
  streamNodes, tabNode, VENDOR_NAMES, within, type BenchContext, type BenchServer, type Figure, type NodeRedHost,
} from './harness';

export const BAUD_RATES = [115200, 921600] as const;
export type Direction = 'send' | 'receive';

/** The payload per rate: enough for a few seconds on the line at the ceiling; --quick a quarter of it. */
export function payloadFor(baudRate: number, quick: boolean): number {
  const full = baudRate <= 115200 ? 64 * 1024 : 256 * 1024;
  return quick ? full / 4 : full;
}

export interface Ceiling {
  bytesPerSecond: number;
  /** For the table: `89.2 kB/s (0.968 of line: AT#SSLSENDEXT, 1500-byte chunks)`. */
  text: string;
  against: string;
  details: Record<string, unknown>;
}

/** The protocol ceiling of `vendor` moving `payload` bytes at `baudRate`, from its record's transfer description. */
export function ceilingOf(vendor: VendorId, direction: Direction, payload: number, baudRate: number): Ceiling {
  const transfer = vendorRecord(vendor).transfer;
  const method: TransferMethod = direction === 'send' ? transfer.send(payload, baudRate) : transfer.receive(payload, baudRate);
  const t = transferTime(method, payload, baudRate);
  return {
    bytesPerSecond: t.bytesPerSecond,
    text: `${rateText(t.bytesPerSecond)} (${t.ofLineRate.toFixed(3)} of line: ${method.name})`,
    against: 'protocol ceiling',
    details: { method: method.name, chunk: method.chunk, ms: t.ms, hostBytes: t.hostBytes, moduleBytes: t.moduleBytes, chunks: t.chunks, bytesPerSecond: t.bytesPerSecond, ofLineRate: t.ofLineRate },
  };
}

/** Generous: twenty times the payload's own time on the line, at least a minute. */
function transferTimeout(payload: number, baudRate: number): number {
  return Math.max(60000, (20 * payload * 1000) / lineRate(baudRate));
}

interface Run {
  ms: number;
  bytesPerSecond: number;
  /** Send: when the server had the last byte, and when tls-send finished (ms after the start). */
  lastByteMs?: number;
  sentMs?: number;
}

function figureOf(vendor: VendorId, direction: Direction, baudRate: number, payload: number, runs: Run[]): Figure {
  const ceiling = ceilingOf(vendor, direction, payload, baudRate);
  const rate = median(runs.map((r) => r.bytesPerSecond));
  return {
    group: 'throughput',
    name: `${VENDOR_NAMES[vendor]} ${direction} at ${baudRate}`,
    ratio: rate / ceiling.bytesPerSecond,
    against: ceiling.against,
    measured: `${rateText(rate)} (${(rate / lineRate(baudRate)).toFixed(3)} of line)`,
    bound: ceiling.text,
    target: 0.9,
    details: { vendor, direction, baudRate, payloadBytes: payload, runs, medianBytesPerSecond: rate, ofLineRate: rate / lineRate(baudRate), ceiling: ceiling.details },
  };
}

/** One vendor at one rate: a module, a deploy, provisioning, a connection, then the runs each way. */
async function measure(ctx: BenchContext, red: NodeRedHost, server: BenchServer, vendor: VendorId, baudRate: number): Promise<Figure[]> {
  const payload = payloadFor(baudRate, ctx.options.quick);
  const runs = ctx.options.runs;
  const timeout = transferTimeout(payload, baudRate);
  const m = await startSimulatedModem(vendor, { baudRate, linkDir: ctx.workDir });
  try {
    const tab = `throughput-${vendor}-${baudRate}`;
    const setup = modemFlowFor(m, ctx, { config: `${tab}.cfg`, tab });
    const stream = streamNodes({ prefix: tab, tab, config: `${tab}.cfg`, profile: setup.profile, port: server.port, expectBytes: payload });
    await red.deploy([tabNode(tab), ...setup.nodes, ...stream.nodes, ...catchNodes(tab)], setup.credentials);
    const started = Date.now();
    await provision(red, setup);
    const connection = server.nextConnection(120000);
    const opened = red.next(stream.events.opened, 120000);
    await red.inject(stream.open);
    const info = (await opened).value as { mode?: string; socket?: string };
    const conn = await connection;
    ctx.log(`  ${VENDOR_NAMES[vendor]} at ${baudRate}: provisioned and connected in ${((Date.now() - started) / 1000).toFixed(1)} s (socket ${info.socket}, mode ${info.mode})`);

    const tx = randomBytes(payload);
    await red.payload(stream.payload, tx);
    const txHash = sha256(tx);
    const sends: Run[] = [];
    for (let i = 0; i < runs; i++) {
      const arrived = conn.expect(payload, timeout);
      const start = red.next(stream.events.start, timeout);
      const sent = red.next(stream.events.sent, timeout);
      await red.inject(stream.go);
      const [s, got, done] = await Promise.all([start, arrived, sent]);
      if (got.bytes !== payload || got.sha256 !== txHash) throw new Error(`send: the server got ${got.bytes} bytes that differ from the ${payload} sent`);
      // Done when the server has every byte and tls-send has finished: a method that must leave a
      // data mode afterwards (guard times, an escape) pays for it, as its ceiling counts it.
      const ms = Math.max(got.lastAt, done.at) - s.at;
      sends.push({ ms, bytesPerSecond: (payload * 1000) / ms, lastByteMs: got.lastAt - s.at, sentMs: done.at - s.at });
    }
    const receives: Run[] = [];
    for (let i = 0; i < runs; i++) {
      const rx = randomBytes(payload);
      const received = red.next(stream.events.received, timeout);
      const at = conn.write(rx);
      const r = await received;
      const digest = r.value as { bytes: number; sha256: string };
      if (digest.bytes !== payload || digest.sha256 !== sha256(rx)) throw new Error(`receive: the flow got ${digest.bytes} bytes that differ from the ${payload} the server wrote`);
      const ms = r.at - at;
      receives.push({ ms, bytesPerSecond: (payload * 1000) / ms });
    }
    const closed = red.next(stream.events.closed, 30000);
    await red.inject(stream.close);
    await closed.catch((err: Error) => ctx.log(`  (close: ${err.message})`));
    return [figureOf(vendor, 'send', baudRate, payload, sends), figureOf(vendor, 'receive', baudRate, payload, receives)];
  } finally {
    // The serial port is released by an empty deploy before its pty goes.
    await within(red.deploy([]), 60000, 'an empty deploy').catch(() => undefined);
    await m.close();
  }
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const vendors = ctx.options.vendor ? VENDORS.filter((v) => v === ctx.options.vendor) : [...VENDORS];
  const rates = ctx.options.baud ? [ctx.options.baud] : [...BAUD_RATES];
  const figures: Figure[] = [];
  const red = await startNodeRed(ctx);
  const server = await startBenchServer(ctx.pki);
  try {
    for (const vendor of vendors) {
      for (const baudRate of rates) {
        try {
          const got = await measure(ctx, red, server, vendor, baudRate);
          for (const f of got) ctx.log(`  ${f.name}: ${f.measured} ÷ ${f.bound} = ${f.ratio.toFixed(3)}`);
          figures.push(...got);
        } catch (err) {
          ctx.log(`  ${VENDOR_NAMES[vendor]} at ${baudRate} failed: ${(err as Error).message}`);
          for (const direction of ['send', 'receive'] as const) {
            figures.push(failedFigure('throughput', `${VENDOR_NAMES[vendor]} ${direction} at ${baudRate}`, 'protocol ceiling', err, 0.9));
          }
        }
      }
    }
  } finally {
    await red.stop();
    await server.close();
  }
  return figures;
}
