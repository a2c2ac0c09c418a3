/**
 * The host's end of a simulated modem's wire, for tests: records every byte the modem sends and
 * waits for text to appear. Always `detach()` it in an `afterEach`.
 */
import type { SimulatedModem } from '../../../src/simulator';

export class Wire {
  private chunks: Buffer[] = [];
  private readonly listener = (data: Buffer): void => {
    this.chunks.push(Buffer.from(data));
    for (const check of [...this.checks]) check();
  };
  private readonly checks = new Set<() => void>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly modem: SimulatedModem) {
    modem.on('data', this.listener);
  }

  /** Everything received so far, as latin1 text (bytes map 1:1 to characters). */
  get text(): string {
    return this.bytes.toString('latin1');
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** How many `data` events have arrived (to see that output came in batches). */
  get count(): number {
    return this.chunks.length;
  }

  clear(): void {
    this.chunks = [];
  }

  /** Resolves with all text so far once it contains `expected` (or matches it). */
  until(expected: string | RegExp, timeoutMs = 2000): Promise<string> {
    const found = (): boolean => (typeof expected === 'string' ? this.text.includes(expected) : expected.test(this.text));
    if (found()) return Promise.resolve(this.text);
    return new Promise<string>((resolve, reject) => {
      const check = (): void => {
        if (!found()) return;
        this.checks.delete(check);
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(this.text);
      };
      const timer = setTimeout(() => {
        this.checks.delete(check);
        this.timers.delete(timer);
        reject(new Error(`wire never showed ${JSON.stringify(String(expected))}; it has ${JSON.stringify(this.text)}`));
      }, timeoutMs);
      this.checks.add(check);
      this.timers.add(timer);
    });
  }

  detach(): void {
    this.modem.off('data', this.listener);
    this.checks.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** Sends `text` to the modem and waits until it has finished answering. */
export async function exchange(modem: SimulatedModem, text: string | Buffer): Promise<void> {
  modem.receive(text);
  await modem.whenIdle();
}
