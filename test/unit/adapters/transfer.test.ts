import { strict as assert } from 'node:assert';
import { digits, fastestMethod, transferTime, type TransferMethod } from '../../../src/adapters/transfer';

/** 10,000 baud carries 1,000 bytes a second: one byte a millisecond keeps the arithmetic readable. */
const BAUD = 10_000;

const turns: TransferMethod = {
  name: 'command per chunk',
  chunk: 1000,
  perChunk: { hostBytes: (n) => 20 + n, moduleBytes: () => 10, waitMs: 50, flow: 'turns' },
};
const stream: TransferMethod = {
  name: 'online',
  chunk: 1000,
  perChunk: { hostBytes: (n) => n, moduleBytes: () => 0, flow: 'stream' },
  once: { hostBytes: 30, moduleBytes: 10, waitMs: 2000 },
};

describe('transfer model: protocol ceilings', () => {
  it('adds both directions and the forced wait of every chunk when the sides take turns', () => {
    // Chunks of 1000, 1000 and 500: (1020 + 10 + 50) × 2 + (520 + 10 + 50) ms.
    const t = transferTime(turns, 2500, BAUD);
    assert.equal(t.chunks, 3);
    assert.equal(t.hostBytes, 2560);
    assert.equal(t.moduleBytes, 30);
    assert.equal(t.ms, 2740);
    assert.equal(t.bytesPerSecond, (2500 * 1000) / 2740);
    assert.equal(t.ofLineRate, 2500 / 2740);
  });

  it('lets the busier direction set the pace when both stream, plus the once-per-transfer cost', () => {
    const t = transferTime(stream, 2500, BAUD);
    assert.equal(t.ms, 40 + 2000 + 2500);
    assert.equal(t.hostBytes, 2530);
    assert.equal(t.moduleBytes, 10);
  });

  it('chooses the method that finishes first for the payload and the rate', () => {
    // A small payload does not repay the stream's 2 s entry; a large one does.
    assert.equal(fastestMethod([turns, stream], 2500, BAUD), turns);
    assert.equal(fastestMethod([turns, stream], 100_000, BAUD), stream);
    // Ties keep the first.
    assert.equal(fastestMethod([turns, { ...turns, name: 'same' }], 5000, BAUD), turns);
  });

  it('counts an exact multiple of the chunk without an empty last chunk, and refuses a chunk of 0', () => {
    assert.equal(transferTime(turns, 2000, BAUD).chunks, 2);
    assert.equal(transferTime(turns, 0, BAUD).ms, 0);
    assert.throws(() => transferTime({ ...turns, chunk: 0 }, 10, BAUD), /chunk must be positive/);
  });

  it('knows how many characters a length takes in a command line', () => {
    assert.deepEqual([0, 9, 10, 1024, 1500].map(digits), [1, 1, 2, 4, 4]);
  });
});
