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
 * every non-empty chunk as it comes.
 */
export async function readUntilShort(max: number, chunk: number, readOne: (want: number) => Promise<Buffer>, each?: (data: Buffer) => void): Promise<Buffer> {
  const parts: Buffer[] = [];
  let left = max;
  while (left > 0) {
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
}

export class AnnouncedReads {
  /** Sockets being drained, and whether another announcement came meanwhile. */
  private readonly draining = new Map<number, { again: boolean }>();

  constructor(private readonly options: AnnouncedReadsOptions) {}

  /** The module announced `length` bytes on `id`. */
  announce(id: number, length: number): void {
    const running = this.draining.get(id);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.draining.set(id, state);
    // Each read is its own operation in the lane: a flow's read waits for one read at most.
    const next = (length: number | undefined): void => {
      this.options.serial(id, () => this.options.read(id, length)).then(
        () => {
          if (this.draining.get(id) !== state) return;
          if (state.again) {
            state.again = false;
            next(undefined);
          } else {
            this.draining.delete(id);
          }
        },
        (err: Error) => {
          if (this.draining.get(id) === state) this.draining.delete(id);
          this.options.failed(id, err);
        },
      );
    };
    next(length);
  }

  /** Forgets every drain (a new modem session, a lost link): reads under way end without a follow-up. */
  clear(): void {
    this.draining.clear();
  }
}
