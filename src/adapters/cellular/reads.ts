/**
 * Reading the data a module holds for a socket, the way cellular modules hand it out: one read
 * command returns at most a chunk, and a module that announces data by URC (Telit SSLSRING mode 1,
 * u-blox +UUSORD) expects the host to come and read it.
 *
 * Owns: reading in chunks until a short read says nothing more is there, and the drain of
 * announced data — one per socket at a time; an announcement that arrives during it leads to
 * exactly one more read once it ends (announcements may count bytes already read, and what is
 * left after a partial read is announced again), so a burst of URCs never becomes a burst of
 * reads that each wait for data already taken.
 * Must never: know a vendor's command (the vendor reads one chunk), or read outside the socket's
 * read lane — a flow's own read and a push read must never split one stream between them.
 */

/**
 * Up to `max` bytes in reads of at most `chunk` (`readOne(want)` is one read command), stopping at
 * the first read that returns less than it asked for: the rest has not arrived yet. `each` sees
 * every non-empty chunk as it comes; `more`, asked before each read after the first, may stop it.
 */
export async function readUntilShort(max: number, chunk: number, readOne: (want: number) => Promise<Buffer>, each?: (data: Buffer) => void, more: () => boolean = () => true): Promise<Buffer> {
  const parts: Buffer[] = [];
  let left = max;
  while (left > 0) {
    // `more` says no (the socket is held): the rest stays in the module.
    if (parts.length > 0 && !more()) break;
    const want = Math.min(left, chunk);
    const got = await readOne(want);
    if (got.length > 0) {
      parts.push(got);
      each?.(got);
    }
    left -= got.length;
    if (got.length < want) break;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

export interface AnnouncedReadsOptions {
  /** Runs one read in the read lane of socket `id` (`ConnectionTable.serial(id, 'receive', …)`). */
  serial(id: number, read: () => Promise<void>): Promise<void>;
  /**
   * One read of announced data on `id`, which delivers what it gets: `length` is what the
   * announcement counted for the first read, undefined for the one more read an announcement
   * during a read asks for (how much, and how long to wait, is the vendor's choice).
   */
  read(id: number, length: number | undefined): Promise<void>;
  /** A read failed; the drain of `id` has ended. */
  failed(id: number, err: Error): void;
  /** Hands data a read of announced data brought to the flows (the vendor emits `data`). */
  deliver(id: number, data: Buffer): void;
}

/** A socket whose reader is slow: what was announced meanwhile, and what a read under way brought. */
interface Hold {
  /** The read to make on release: the announced length, undefined for one more read; null for none. */
  pending: { length: number | undefined } | null;
  /** Bytes of the read that was on the wire when the hold began, delivered first on release. */
  kept: Buffer[];
  /** A drain's read stopped before its end because of the hold: what is left is read on release. */
  cut: boolean;
}

/** A drain under way: whether another announcement came meanwhile, and who waits for its end. */
interface Drain {
  again: boolean;
  ended: Array<() => void>;
}

export class AnnouncedReads {
  /** Sockets being drained. */
  private readonly draining = new Map<number, Drain>();
  /** Sockets whose announced data stays in the module until released (`holdReceive`). */
  private readonly holds = new Map<number, Hold>();

  constructor(private readonly options: AnnouncedReadsOptions) {}

  /** The module announced `length` bytes on `id`; while `id` is held, only noted for the release. */
  announce(id: number, length: number): void {
    const hold = this.holds.get(id);
    // Announcements are running totals: while held, the last one counts what waits for the release.
    if (hold) hold.pending = { length };
    const running = this.draining.get(id);
    if (running) running.again = true;
    else if (!hold) this.drain(id, length);
  }

  /** Whether a read of announced data on `id` is under way (or queued in its lane). */
  busy(id: number): boolean {
    return this.draining.has(id);
  }

  /**
   * Resolves once the drain of `id` under way has ended (at once when none is): a module that
   * reports a connection's end after its last byte was read (u-blox +UUSOCL, Telit NO CARRIER)
   * may report it in the same burst as that read's answer, and the end must follow the data.
   */
  settled(id: number): Promise<void> {
    const running = this.draining.get(id);
    if (!running) return Promise.resolve();
    return new Promise((resolve) => running.ended.push(resolve));
  }

  private finish(id: number, state: Drain): void {
    if (this.draining.get(id) === state) this.draining.delete(id);
    for (const resolve of state.ended.splice(0)) resolve();
  }

  private drain(id: number, length: number | undefined): void {
    const state: Drain = { again: false, ended: [] };
    this.draining.set(id, state);
    // Each read is its own operation in the lane: a flow's read waits for one read at most.
    const next = (length: number | undefined): void => {
      this.options.serial(id, async () => {
        const hold = this.holds.get(id);
        // Held before its turn came: nothing is read; the release reads it.
        if (hold) hold.pending ??= { length };
        else await this.options.read(id, length);
      }).then(
        () => {
          if (this.draining.get(id) !== state) {
            this.finish(id, state);
            return;
          }
          const hold = this.holds.get(id);
          if (hold) {
            // Held meanwhile: the drain ends here, and goes on once the hold does.
            if (state.again || hold.cut) hold.pending ??= { length: undefined };
            hold.cut = false;
            this.finish(id, state);
          } else if (state.again) {
            state.again = false;
            next(undefined);
          } else {
            this.finish(id, state);
          }
        },
        (err: Error) => {
          this.finish(id, state);
          this.options.failed(id, err);
        },
      );
    };
    next(length);
  }

  /**
   * Stops (`true`) or resumes (`false`) reading what the module announces for `id`: while held,
   * announcements are noted and nothing is read, so the data stays in the module; a read already
   * on the wire ends after its current command, and what it brought is kept for the release. On
   * release, what was kept comes first, then what was announced is read. Idempotent both ways.
   */
  hold(id: number, hold: boolean): void {
    const held = this.holds.get(id);
    if (hold) {
      if (!held) this.holds.set(id, { pending: null, kept: [], cut: false });
      return;
    }
    if (!held) return;
    this.holds.delete(id);
    // Through `bring`: a listener may hold the socket again while this data is delivered.
    for (const data of held.kept) this.bring(id, data);
    if (!held.pending) return;
    const again = this.holds.get(id);
    if (again) {
      again.pending ??= held.pending;
      return;
    }
    const running = this.draining.get(id);
    if (running) running.again = true;
    else this.drain(id, held.pending.length);
  }

  /** Whether `id` is held. */
  isHeld(id: number): boolean {
    return this.holds.has(id);
  }

  /**
   * For a drain's read of `id`, before each further command: false once the socket is held (the
   * read stops there; what is left is read on release).
   */
  more(id: number): boolean {
    const hold = this.holds.get(id);
    if (!hold) return true;
    hold.cut = true;
    return false;
  }

  /** Data a drain's read brought: to the flows, or kept while `id` is held. */
  bring(id: number, data: Buffer): void {
    const hold = this.holds.get(id);
    if (hold) hold.kept.push(data);
    else this.options.deliver(id, data);
  }

  /**
   * The connection `id` ended: its hold is forgotten. What the hold kept was read from the module
   * already (perhaps its last bytes, which let the module report the end): it is delivered now.
   */
  forget(id: number): void {
    const held = this.holds.get(id);
    this.holds.delete(id);
    for (const data of held?.kept ?? []) this.options.deliver(id, data);
  }

  /** Forgets every drain and hold (a new modem session, a lost link): reads under way end without a follow-up. */
  clear(): void {
    this.draining.clear();
    this.holds.clear();
  }
}
