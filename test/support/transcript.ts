/**
 * Plays a modem transcript against whatever the engine writes: each step names the exact
 * bytes the host must write next and the exact bytes the modem answers. A write that
 * differs from the next step fails the test with both shown — the test reads like the
 * manual's examples, host line then modem lines.
 */
import { FakeLink } from './fake-link';

export interface Step {
  /** Exact bytes the host writes (a command with its CR, or a prompt payload). */
  host: string | Buffer;
  /** Exact bytes the modem sends back (may be empty: nothing answered yet). */
  modem?: string | Buffer;
}

const b = (x: string | Buffer): Buffer => (typeof x === 'string' ? Buffer.from(x, 'latin1') : x);

/** `\r\n<line>\r\n` for each line: how a modem frames information text and result codes (ATV1). */
export function framed(...lines: string[]): string {
  return lines.map((l) => `\r\n${l}\r\n`).join('');
}

export class TranscriptLink extends FakeLink {
  private readonly steps: Step[] = [];
  private pending = Buffer.alloc(0);
  readonly failures: string[] = [];
  /** Every write the host made, in order, for assertions after the fact. */
  readonly hostWrites: Buffer[] = [];

  constructor() {
    super({ endpoint: 'transcript' });
    this.on('write', (data: Buffer) => this.onHostWrite(data));
  }

  /** Appends steps to play. */
  expect(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  /** Steps not played yet. */
  get remaining(): number {
    return this.steps.length;
  }

  private onHostWrite(data: Buffer): void {
    this.hostWrites.push(data);
    this.pending = Buffer.concat([this.pending, data]);
    while (this.steps.length > 0) {
      const want = b(this.steps[0].host);
      if (this.pending.length < want.length) {
        if (!want.subarray(0, this.pending.length).equals(this.pending)) this.mismatch(want);
        return;
      }
      if (!this.pending.subarray(0, want.length).equals(want)) {
        this.mismatch(want);
        return;
      }
      this.pending = this.pending.subarray(want.length);
      const step = this.steps.shift()!;
      if (step.modem !== undefined && b(step.modem).length > 0) {
        const answer = b(step.modem);
        setImmediate(() => this.feed(answer));
      }
    }
    if (this.pending.length > 0) this.mismatch(Buffer.alloc(0));
  }

  private mismatch(want: Buffer): void {
    this.failures.push(`host wrote ${JSON.stringify(this.pending.toString('latin1'))}, transcript expects ${JSON.stringify(want.toString('latin1'))}`);
    this.pending = Buffer.alloc(0);
    this.steps.length = 0;
  }
}
