/**
 * Several modems on one Node-RED: 1, 2, 4 and 8 simulated Telit modules at 921600 baud, each
 * echoing the same payload through its own TLS connection at the same time. Two ratios per count,
 * both against the single modem measured in the same run: aggregate throughput ÷ (N × the single
 * modem's), and the Node-RED process's CPU time per MB moved ÷ the single modem's.
 *
 * Bytes moved count both ways (the payload out and its echo back). The Node-RED process runs
 * without forced collections here, so its CPU time is the flows' own.
 */
import { randomBytes } from 'node:crypto';
import { VENDORS, type VendorId } from '../src/adapters/types';
import {
  failedFigure, lineRate, median, openEchoStreams, rateText, sha256, sleep, startBenchServer, startNodeRed, startSimulatedModem,
  VENDOR_NAMES, within, type BenchContext, type BenchEvent, type BenchModem, type BenchServer, type Figure, type NodeRedHost,
} from './harness';

const COUNTS = [1, 2, 4, 8];
const DEFAULT_BAUD = 921600;
const IDLE_MS = 2000;

interface Sample {
  /** Payload bytes out and back, over all modems. */
  bytes: number;
  ms: number;
  bytesPerSecond: number;
  cpuMs: number;
  cpuMsPerMB: number;
  /** The Node-RED process's CPU time a second with the connections open and idle. */
  idleCpuMsPerSecond: number;
}

async function measure(ctx: BenchContext, red: NodeRedHost, server: BenchServer, vendor: VendorId, baudRate: number, count: number, payload: number): Promise<Sample[]> {
  const modems: BenchModem[] = [];
  try {
    for (let i = 0; i < count; i++) modems.push(await startSimulatedModem(vendor, { baudRate, linkDir: ctx.workDir }));
    const tab = `modems-${count}`;
    const flows = await openEchoStreams(ctx, red, server, modems, tab, payload);
    const tx = randomBytes(payload);
    const hash = sha256(tx);
    for (const f of flows) await red.payload(f.stream.payload, tx);
    const timeout = Math.max(120000, (40 * count * payload * 1000) / lineRate(baudRate));
    // What the connected modules cost while nothing moves, for the details.
    const idleFrom = await red.usage();
    await sleep(IDLE_MS);
    const idleTo = await red.usage();
    const idleCpuMsPerSecond = ((idleTo.cpuUserMs + idleTo.cpuSystemMs - idleFrom.cpuUserMs - idleFrom.cpuSystemMs) * 1000) / IDLE_MS;
    const samples: Sample[] = [];
    for (let run = 0; run < ctx.options.runs; run++) {
      const before = await red.usage();
      const starts = flows.map((f) => red.next(f.stream.events.start, timeout));
      const received = flows.map((f) => red.next(f.stream.events.received, timeout));
      await Promise.all(flows.map((f) => red.inject(f.stream.go)));
      const s: BenchEvent[] = await Promise.all(starts);
      const r: BenchEvent[] = await within(Promise.all(received), timeout, `${count} echoes`);
      const after = await red.usage();
      for (const event of r) {
        const digest = event.value as { bytes: number; sha256: string };
        if (digest.bytes !== payload || digest.sha256 !== hash) throw new Error(`an echo of ${digest.bytes} bytes differs from the ${payload} sent`);
      }
      // Let every tls-send finish (its result code) before the next run.
      await Promise.all(flows.map((f) => red.next(f.stream.events.sent, timeout)));
      const bytes = 2 * payload * count;
      const ms = Math.max(...r.map((e) => e.at)) - Math.min(...s.map((e) => e.at));
      const cpuMs = after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs;
      samples.push({ bytes, ms, bytesPerSecond: (bytes * 1000) / ms, cpuMs, cpuMsPerMB: cpuMs / (bytes / 1e6), idleCpuMsPerSecond });
    }
    for (const f of flows) {
      const closed = red.next(f.stream.events.closed, 30000);
      await red.inject(f.stream.close);
      await closed.catch(() => undefined);
    }
    return samples;
  } finally {
    await within(red.deploy([]), 60000, 'an empty deploy').catch(() => undefined);
    await Promise.all(modems.map((m) => m.close()));
  }
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const vendor = (ctx.options.vendor as VendorId | undefined) ?? 'telit';
  if (!VENDORS.includes(vendor)) return [];
  const baudRate = ctx.options.baud ?? DEFAULT_BAUD;
  // Large enough that a run's fixed costs (the inject requests, the usage readings) are small beside it.
  const payload = ctx.options.quick ? 32 * 1024 : 256 * 1024;
  const label = `${VENDOR_NAMES[vendor]} at ${baudRate}`;
  const figures: Figure[] = [];
  const red = await startNodeRed(ctx, { exposeGc: false });
  const server = await startBenchServer(ctx.pki, { echo: true });
  try {
    let single: { rate: number; cpu: number } | undefined;
    for (const count of COUNTS) {
      const name = `${count} × ${label}`;
      try {
        const samples = await measure(ctx, red, server, vendor, baudRate, count, payload);
        const rate = median(samples.map((s) => s.bytesPerSecond));
        const cpu = median(samples.map((s) => s.cpuMsPerMB));
        const details = { vendor, baudRate, modems: count, payloadBytes: payload, samples, medianBytesPerSecond: rate, medianCpuMsPerMB: cpu };
        ctx.log(`  ${name}: ${rateText(rate)} in all, ${cpu.toFixed(0)} ms CPU per MB (idle: ${samples[0]!.idleCpuMsPerSecond.toFixed(0)} ms a second)`);
        if (count === 1) {
          single = { rate, cpu };
          figures.push({
            group: 'modems', name: `1 × ${label}, echo (the baseline)`, ratio: 1, against: 'itself',
            measured: `${rateText(rate)}, ${cpu.toFixed(0)} ms CPU/MB`, bound: 'the baseline of the rows below', details,
          });
          continue;
        }
        if (!single) throw new Error('no single-modem baseline in this run');
        figures.push({
          group: 'modems', name: `${name}: aggregate throughput`, ratio: rate / (count * single.rate), against: `${count} × 1 modem`,
          measured: rateText(rate), bound: `${rateText(count * single.rate)} (${count} × ${rateText(single.rate)})`, details,
        });
        figures.push({
          group: 'modems', name: `${name}: Node-RED CPU per MB`, ratio: cpu / single.cpu, against: '1 modem', lowerIsBetter: true,
          measured: `${cpu.toFixed(0)} ms/MB`, bound: `${single.cpu.toFixed(0)} ms/MB`, details,
        });
      } catch (err) {
        ctx.log(`  ${name} failed: ${(err as Error).message}`);
        figures.push(failedFigure('modems', `${name}: aggregate throughput`, `${count} × 1 modem`, err));
        if (count === 1) break;
      }
    }
  } finally {
    await red.stop();
    await server.close();
  }
  return figures;
}
