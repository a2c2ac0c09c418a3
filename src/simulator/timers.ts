/**
 * The timers of a simulated modem that die with its power: guard times, delayed URCs, idle
 * timeouts. A power loss (or `close()`) drops every one still pending without running it.
 *
 * Owns: the pending timers of one modem or one dialect's module state, and the scale tests apply
 * to the module's own guard times. Must never: run a callback after `clear()`, or keep the process
 * alive for a timer that was cancelled.
 */
export class PowerTimers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** `timeScale` shrinks the module's guard times for tests (0.01: a 12 s timer lasts 120 ms). */
  constructor(readonly timeScale = 1) {}

  /** A guard time of the module, in milliseconds as the manual gives it, scaled for tests. */
  ms(value: number): number {
    return value * this.timeScale;
  }

  /** Runs `fn` after `ms` milliseconds, unless the power goes first. */
  after(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      fn();
    }, ms);
    this.pending.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    this.pending.delete(timer);
  }

  /** Power lost: nothing pending runs. */
  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
