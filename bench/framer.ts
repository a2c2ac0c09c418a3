/**
 * Framer headroom: how fast the AT framer parses a stream of sized payloads (the shape of
 * `#SSLRECV: <n>` answers), against the fastest UART rate the modem-config node offers (4 Mbaud).
 * A ratio far above 1 says parsing is never what limits a transfer. In this process, no Node-RED.
 */
import { Framer, type PayloadRule } from '../src/at/framer';
import { lineRate, median, type BenchContext, type Figure } from './harness';

const FASTEST_BAUD = 4_000_000;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const rule: PayloadRule = { name: 'SSLRECV', pattern: /^#SSLRECV: (\d+)$/, where: 'next-line', length: (m) => Number(m[1]) };
  const body = Buffer.alloc(1000, 0x4f);
  const frame = Buffer.concat([Buffer.from('\r\n#SSLRECV: 1000\r\n'), body, Buffer.from('\r\n\r\nOK\r\n')]);
  const stream = Buffer.concat(Array.from({ length: ctx.options.quick ? 1000 : 4000 }, () => frame));
  const rates: number[] = [];
  let payloadBytes = 0;
  // The first pass is untimed: it lets the JIT compile the framer, as a long-running Node-RED has.
  for (let run = -1; run < Math.max(3, ctx.options.runs); run++) {
    payloadBytes = 0;
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
    if (run >= 0) rates.push((stream.length * 1000) / ms);
  }
  const best = median(rates);
  return [
    {
      group: 'framer',
      name: 'framer parse rate',
      ratio: best / lineRate(FASTEST_BAUD),
      against: '4 Mbaud line rate',
      measured: `${(best / 1e6).toFixed(1)} MB/s`,
      bound: `${(lineRate(FASTEST_BAUD) / 1e6).toFixed(1)} MB/s (4 Mbaud)`,
      details: { streamBytes: stream.length, payloadBytes, runsBytesPerSecond: rates },
    },
  ];
}
