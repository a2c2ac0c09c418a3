/**
 * Memory over a soak: a simulated Telit and a simulated u-blox module at 921600 baud echo
 * payloads through their TLS connections without pause for `soakMinutes` (10 by default, 60 with
 * --hour, 1 with --quick), while the Node-RED process's heap (after a full collection), resident
 * size, handles (by type) and open file descriptors are sampled every 10 s. Reported: the heap at
 * the end ÷ the heap after the warm-up, its least-squares drift per minute after the warm-up, the
 * same for the resident size, and the handles and descriptors at the end ÷ after the warm-up with
 * the most seen; each figure carries its values at every tenth of the soak. There is no target: a
 * leak shows as a drift that does not flatten, or handles that keep growing.
 */
import { randomBytes } from 'node:crypto';
import type { VendorId } from '../src/adapters/types';
import {
  failedFigure, openEchoStreams, sha256, sleep, slope, startBenchServer, startNodeRed, startSimulatedModem, VENDOR_NAMES, within,
  type BenchContext, type BenchModem, type Figure, type ProcessUsage,
} from './harness';
import { now } from './probe';

const VENDORS_SOAKED: readonly VendorId[] = ['telit', 'ublox'];
const BAUD = 921600;
const SAMPLE_EVERY_MS = 10000;

interface Point extends ProcessUsage {
  /** Minutes since the streams started. */
  minute: number;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const minutes = ctx.options.soakMinutes;
  const soakMs = minutes * 60000;
  const warmMs = Math.min(60000, soakMs / 4);
  const payload = ctx.options.quick ? 8 * 1024 : 32 * 1024;
  const label = `${VENDORS_SOAKED.map((v) => VENDOR_NAMES[v]).join(' + ')} at ${BAUD}, ${minutes} min`;
  const red = await startNodeRed(ctx, { exposeGc: true });
  const server = await startBenchServer(ctx.pki, { echo: true });
  const modems: BenchModem[] = [];
  try {
    for (const v of VENDORS_SOAKED) modems.push(await startSimulatedModem(v, { baudRate: BAUD, linkDir: ctx.workDir }));
    const tab = 'soak';
    const flows = await openEchoStreams(ctx, red, server, modems, tab, payload);
    const tx = randomBytes(payload);
    const hash = sha256(tx);
    for (const f of flows) await red.payload(f.stream.payload, tx);

    const started = now();
    const deadline = started + soakMs;
    const cycles = flows.map(() => 0);
    let failed: unknown;
    // Each modem echoes one payload after the other until the deadline; a wrong echo ends the soak.
    const streams = flows.map(async (f, i) => {
      while (now() < deadline && !failed) {
        const received = red.next(f.stream.events.received, 120000);
        const sent = red.next(f.stream.events.sent, 120000);
        await red.inject(f.stream.go);
        const digest = (await received).value as { bytes: number; sha256: string };
        await sent;
        if (digest.bytes !== payload || digest.sha256 !== hash) throw new Error(`${VENDOR_NAMES[VENDORS_SOAKED[i]!]}: an echo of ${digest.bytes} bytes differs from the ${payload} sent`);
        cycles[i]!++;
      }
    });
    const points: Point[] = [];
    const done = Promise.all(streams).catch((err: unknown) => {
      failed = err;
    });
    let last = 0;
    for (;;) {
      const point = { ...(await red.usage()), minute: (now() - started) / 60000 };
      points.push(point);
      if (failed || now() >= deadline) break;
      if (point.minute * 2 >= last + 1) {
        last = Math.floor(point.minute * 2);
        ctx.log(`  ${point.minute.toFixed(1)} min: heap ${mb(point.heapUsed)}, rss ${mb(point.rss)}, ${point.handles} handles, ${point.fds} descriptors, ${cycles.join(' + ')} echoes`);
      }
      await Promise.race([sleep(Math.min(SAMPLE_EVERY_MS, Math.max(0, deadline - now()))), done]);
    }
    await within(done, 180000, 'the last echoes');
    if (failed) throw failed;
    for (const f of flows) {
      const closed = red.next(f.stream.events.closed, 30000);
      await red.inject(f.stream.close);
      await closed.catch(() => undefined);
    }

    const warm = points.find((p) => p.minute * 60000 >= warmMs) ?? points[0]!;
    const end = points[points.length - 1]!;
    const after = points.filter((p) => p.minute >= warm.minute);
    const heapDrift = slope(after.map((p) => [p.minute, p.heapUsed] as const));
    const rssDrift = slope(after.map((p) => [p.minute, p.rss] as const));
    const moved = cycles.reduce((a, b) => a + b, 0) * payload * 2;
    // The values at every tenth of the soak, for the table: a leak shows as a rising row.
    const tenths = Array.from({ length: 11 }, (_, i) => after.find((p) => p.minute >= warm.minute + ((end.minute - warm.minute) * i) / 10) ?? end);
    const series = (pick: (p: Point) => number, format: (v: number) => string): string => tenths.map((p) => format(pick(p))).join(' ');
    const handleDrift = slope(after.map((p) => [p.minute, p.handles] as const));
    const fdDrift = slope(after.map((p) => [p.minute, p.fds] as const));
    const most = (pick: (p: Point) => number): number => Math.max(...after.map(pick));
    const details = {
      vendors: VENDORS_SOAKED, baudRate: BAUD, minutes, warmUpMinutes: warm.minute, payloadBytes: payload, echoes: cycles, bytesMoved: moved,
      heapDriftBytesPerMinute: heapDrift, rssDriftBytesPerMinute: rssDrift,
      handles: { warm: warm.handles, end: end.handles, most: most((p) => p.handles), driftPerMinute: handleDrift, typesAtEnd: end.handleTypes },
      fds: { warm: warm.fds, end: end.fds, most: most((p) => p.fds), driftPerMinute: fdDrift },
      tenths: tenths.map((p) => ({ minute: p.minute, heapUsed: p.heapUsed, rss: p.rss, handles: p.handles, fds: p.fds })),
      gcBeforeEachSample: end.collected, points,
    };
    // The samples go once, with the heap figure; the other two carry the summary.
    const summary = { ...details, points: undefined };
    const signed = (bytes: number): string => `${bytes >= 0 ? '+' : '−'}${(Math.abs(bytes) / 1e3).toFixed(1)} kB/min`;
    return [
      {
        group: 'memory', name: `heap used after GC, ${label}`, ratio: end.heapUsed / warm.heapUsed, against: 'heap after warm-up', lowerIsBetter: true,
        measured: `${mb(end.heapUsed)} at the end (drift ${signed(heapDrift)}; by tenths, MB: ${series((p) => p.heapUsed, (v) => (v / 1e6).toFixed(1))})`, bound: `${mb(warm.heapUsed)} after ${warm.minute.toFixed(1)} min`, details,
      },
      {
        group: 'memory', name: `resident size, ${label}`, ratio: end.rss / warm.rss, against: 'rss after warm-up', lowerIsBetter: true,
        measured: `${mb(end.rss)} at the end (drift ${signed(rssDrift)}; handles ${warm.handles} → ${end.handles}; ${(moved / 1e6).toFixed(1)} MB echoed)`,
        bound: `${mb(warm.rss)} after ${warm.minute.toFixed(1)} min`, details: summary,
      },
      {
        group: 'memory', name: `handles and file descriptors, ${label}`, ratio: Math.max(end.handles / warm.handles, end.fds / warm.fds), against: 'after warm-up', lowerIsBetter: true,
        measured: `handles ${warm.handles} → ${end.handles} (most ${most((p) => p.handles)}; by tenths: ${series((p) => p.handles, String)}); descriptors ${warm.fds} → ${end.fds} (most ${most((p) => p.fds)}; by tenths: ${series((p) => p.fds, String)})`,
        bound: `${warm.handles} handles, ${warm.fds} descriptors after ${warm.minute.toFixed(1)} min`, details: summary,
      },
    ];
  } catch (err) {
    ctx.log(`  soak failed: ${(err as Error).message}`);
    return [failedFigure('memory', `heap used after GC, ${label}`, 'heap after warm-up', err)];
  } finally {
    await within(red.deploy([]), 60000, 'an empty deploy').catch(() => undefined);
    await red.stop();
    await Promise.all(modems.map((m) => m.close()));
    await server.close();
  }
}
