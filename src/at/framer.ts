/**
 * Byte framing: turns the modem's byte stream into lines, prompts, sized payloads
 * and online data — and nothing else.
 *
 * It knows the shapes a modem speaks in, never what they mean:
 * - lines ended by CR and/or LF (empty lines are dropped, unless the dialect answers with them:
 *   then every CR ends a line, empty or not), at most `maxLineLength` bytes
 *   long; a longer line is dropped and reported once as `overflow`;
 * - a prompt (`>`, `> `, `@`, …) at the start of a line, only while a command waits for one;
 * - a sized payload announced by a header, either right after the header on the same
 *   line (`SSLSRING: 1,256,<256 bytes>`) or after the header line (`#SSLRECV: 300` CR LF
 *   `<300 bytes>`). Those bytes are taken by count, so `\r\nOK\r\n` inside them is data;
 * - ONLINE data, passed through untouched until a terminator line such as `NO CARRIER`.
 * Which rules apply at any moment is decided by the engine above it.
 *
 * A modem that babbles must not be able to make it slow or large, so it never:
 * - holds more than one line's worth of bytes (`maxLineLength`) between reads;
 * - looks at a held byte again when a read adds to it, beyond a few bytes at the start of
 *   the line (prompts, payload headers);
 * - hands out a view of its own storage: everything emitted is a copy.
 */

export interface PayloadRule {
  /** For traces and error messages. */
  name: string;
  /** Matched against the start of a line, as latin1 text. Must be anchored with `^`. */
  pattern: RegExp;
  /**
   * `inline`: the payload starts right after the text `pattern` matched, on the same line.
   * `next-line`: the matched line is complete; the payload starts after its line ending.
   */
  where: 'inline' | 'next-line';
  /** Number of payload bytes announced by the header. */
  length(match: RegExpExecArray): number;
  /** Bytes the modem puts right after the payload (e.g. a closing quote) that belong to the frame. */
  suffix?: string;
  /**
   * Largest length this header may announce. A header announcing more is not taken as a
   * header at all: the rule does not match and the line is framed as an ordinary line.
   * Without it a garbled header could make the framer swallow megabytes of what follows
   * as payload.
   */
  maxLength?: number;
}

export type FrameEvent =
  | { type: 'line'; text: string }
  | { type: 'prompt'; text: string }
  | { type: 'payload'; header: string; data: Buffer; rule: PayloadRule }
  | { type: 'data'; data: Buffer }
  | { type: 'online-end'; text: string }
  /** The dialect's ready prompt (eS-WiFi `> `): the modem takes the next command now. */
  | { type: 'ready' }
  /**
   * A line grew beyond `maxLineLength` and was dropped. `bytes` counts what was dropped
   * when it was found out; the rest of the line, up to its CR or LF, goes the same way
   * without another event.
   */
  | { type: 'overflow'; bytes: number };

export interface FramerOptions {
  /** Longest line kept, in bytes, line ending not counted. Default `DEFAULT_MAX_LINE_LENGTH`. */
  maxLineLength?: number;
  /**
   * Every CR ends a line, so a CR with nothing before it is an empty line (emitted as `''`): for
   * modems that end lines with CR alone, answer an empty value with a bare CR and end a listing
   * with an empty line (XBee `ATFS LS`).
   */
  blankLines?: boolean;
}

/**
 * What ends ONLINE data: exact bytes (`\r\nNO CARRIER\r\n`). With `atEndOfRead`, only when they
 * are the last bytes received so far (held bytes and the read together): a reply the modem sends
 * before falling silent (XBee `OK\r` after `+++`, Telit `NO CARRIER` once the connection ended),
 * which data could otherwise imitate.
 */
export interface OnlineTerminator {
  bytes: string;
  atEndOfRead?: boolean;
  /**
   * `bytes` is how a line starts, not all of it: the line may go on with `:` or a space and up to
   * `MAX_LINE_DETAIL` more bytes before its CR LF (Telit `NO CARRIER: <SSId>,<cause>` with
   * `<noCarrierMode>` 2). Framed as `\r\n<bytes>…\r\n`; the event's text is the whole line.
   */
  linePrefix?: boolean;
}

/** The most a `linePrefix` terminator's line carries after its start. */
export const MAX_LINE_DETAIL = 64;

export const DEFAULT_MAX_LINE_LENGTH = 4096;

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;

/** Longest header an inline rule may need to see before it can match. Longer partial lines are not re-tested. */
const MAX_INLINE_HEADER = 128;

const EMPTY = Buffer.alloc(0);
/** Smallest store the hold queue allocates: most of what it holds is a few bytes of a line. */
const QUEUE_MIN = 256;
/** Above this capacity an almost empty hold queue gives its memory back. */
const QUEUE_KEEP = 16 * 1024;

/**
 * Bytes carried from one read to the next. Appending costs amortised O(1) a byte: the
 * store doubles when full, and consumed space is reclaimed by sliding the live bytes down
 * only once there are at least as many consumed bytes before them, so each byte is moved
 * at most a constant number of times.
 */
class ByteQueue {
  private store: Buffer = EMPTY;
  private head = 0;
  private tail = 0;
  /** Bytes copied into or within the store since it was made. */
  copied = 0;

  get length(): number {
    return this.tail - this.head;
  }

  /** The live bytes in place, not copied: valid only until the next `append`. */
  peek(): Buffer {
    return this.store.subarray(this.head, this.tail);
  }

  /**
   * Empties the queue and returns its bytes in place, for `keepFrom` to put back what is
   * not used. Until then the queue reads as empty, as if the bytes had been handed over.
   */
  lend(): Buffer {
    const view = this.peek();
    this.clear();
    return view;
  }

  append(bytes: Buffer): void {
    const n = bytes.length;
    if (n === 0) return;
    if (this.tail + n > this.store.length) this.makeRoom(n);
    bytes.copy(this.store, this.tail);
    this.tail += n;
    this.copied += n;
  }

  /** Takes back `view.subarray(from)` as the live bytes, `view` being what `lend()` returned. */
  keepFrom(view: Buffer, from: number): void {
    if (from >= view.length) {
      this.clear();
      return;
    }
    this.head = view.byteOffset - this.store.byteOffset + from;
    this.tail = this.head + view.length - from;
  }

  clear(): void {
    this.head = 0;
    this.tail = 0;
  }

  /** Gives back a store far larger than what it holds, e.g. after one huge read was appended. */
  trim(keep: number): void {
    const live = this.length;
    if (this.store.length <= keep || this.store.length <= 4 * live) return;
    if (live === 0) {
      this.store = EMPTY;
      this.clear();
      return;
    }
    const next = Buffer.allocUnsafeSlow(Math.max(QUEUE_MIN, 2 * live));
    this.store.copy(next, 0, this.head, this.tail);
    this.copied += live;
    this.store = next;
    this.head = 0;
    this.tail = live;
  }

  private makeRoom(n: number): void {
    const live = this.length;
    const need = live + n;
    if (need <= this.store.length && this.head >= live) {
      // Sliding down costs no more than the bytes consumed since the last move.
      this.store.copy(this.store, 0, this.head, this.tail);
    } else {
      // Unpooled: a small store must not pin a shared slab.
      const next = Buffer.allocUnsafeSlow(Math.max(QUEUE_MIN, need, 2 * this.store.length));
      this.store.copy(next, 0, this.head, this.tail);
      this.store = next;
    }
    this.copied += live;
    this.head = 0;
    this.tail = live;
  }
}

export class Framer {
  /** Bytes of an unfinished frame (partial line, maybe-prompt, maybe-terminator) kept for the next read. */
  private readonly held = new ByteQueue();
  private maxLineLength = DEFAULT_MAX_LINE_LENGTH;
  /** A line overflowed: everything up to the next CR or LF belongs to it and is dropped. */
  private discarding = false;
  /**
   * The partial line held from the last read starts with this many bytes known to hold no
   * CR or LF, so the next read resumes the search after them.
   */
  private lineScanned = 0;
  /** …and its first `MAX_INLINE_HEADER` bytes already failed every inline rule now set. */
  private lineHeadTested = false;
  /** Bytes scanned for line ends, matched against header rules or copied into `held`. */
  private examined = 0;
  private mode: 'line' | 'raw' | 'online' = 'line';
  private rules: PayloadRule[] = [];
  private prompts: string[] = [];
  /** A prompt was just taken; one following space belongs to it (`> `), even in the next read. */
  private swallowSpace = false;
  /** The last line ended in CR at the end of a read: an LF opening the next read belongs to it. */
  private pendingLf = false;
  // raw payload in progress
  private rawRule: PayloadRule | null = null;
  private rawHeader = '';
  private rawParts: Buffer[] = [];
  private rawRemaining = 0;
  private suffixRemaining = '';
  /** A `next-line` header ended in CR at the end of a read: its LF must not be counted as payload. */
  private skipLfBeforeRaw = false;
  // online mode
  private terminators: { bytes: Buffer; atEndOfRead: boolean; linePrefix: boolean }[] = [];
  private readonly blankLines: boolean;

  constructor(
    private readonly emit: (event: FrameEvent) => void,
    options: FramerOptions = {},
  ) {
    if (options.maxLineLength !== undefined) this.setMaxLineLength(options.maxLineLength);
    this.blankLines = options.blankLines === true;
  }

  /**
   * Longest line kept, in bytes. A partial line already held that is longer than a lowered
   * limit is reported as `overflow` on the next read.
   */
  setMaxLineLength(n: number): void {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`maxLineLength must be a positive integer, not ${n}`);
    this.maxLineLength = n;
  }

  /** Rules for sized payloads that apply now (the dialect's URC rules plus the command in flight). */
  setRules(rules: PayloadRule[]): void {
    this.rules = rules;
    // A held partial line that failed the old rules may match a new one.
    this.lineHeadTested = false;
  }

  /** Text a modem prints when it is ready for the next command (eS-WiFi `> `): always swallowed. */
  setReadyPrompt(text: string | undefined): void {
    this.readyPrompt = text ? Buffer.from(text, 'latin1') : null;
  }

  private readyPrompt: Buffer | null = null;

  /** Prompt markers the command in flight waits for; empty when none. */
  expectPrompt(markers: string[]): void {
    this.prompts = markers;
  }

  /** Switches to ONLINE data: every byte is data until one of `terminators` (see `setOnlineTerminators`). */
  enterOnline(terminators: readonly (string | OnlineTerminator)[]): void {
    this.mode = 'online';
    // What is held from now on is data, not the start of a line.
    this.discarding = false;
    this.lineScanned = 0;
    this.lineHeadTested = false;
    this.setOnlineTerminators(terminators);
  }

  /** A string is a whole line (`NO CARRIER` is `\r\nNO CARRIER\r\n`); an `OnlineTerminator` is exact bytes, or a line's start (`linePrefix`). */
  setOnlineTerminators(terminators: readonly (string | OnlineTerminator)[]): void {
    this.terminators = terminators.map((t) =>
      typeof t === 'string'
        ? { bytes: Buffer.from(`\r\n${t}\r\n`, 'latin1'), atEndOfRead: false, linePrefix: false }
        : t.linePrefix
          ? { bytes: Buffer.from(`\r\n${t.bytes}`, 'latin1'), atEndOfRead: t.atEndOfRead === true, linePrefix: true }
          : { bytes: Buffer.from(t.bytes, 'latin1'), atEndOfRead: t.atEndOfRead === true, linePrefix: false });
  }

  get isOnline(): boolean {
    return this.mode === 'online';
  }

  /** Back to command mode without a terminator (e.g. link reopened). Pending bytes are dropped. */
  reset(): void {
    this.held.clear();
    this.discarding = false;
    this.lineScanned = 0;
    this.lineHeadTested = false;
    this.mode = 'line';
    this.swallowSpace = false;
    this.pendingLf = false;
    this.rawRule = null;
    this.rawParts = [];
    this.rawRemaining = 0;
    this.suffixRemaining = '';
    this.skipLfBeforeRaw = false;
    this.prompts = [];
  }

  /** Online bytes held back because they might start a terminator: hand them over as data now. */
  flushHeld(): void {
    if (this.mode === 'online' && this.held.length > 0) {
      const data = Buffer.from(this.held.peek());
      this.held.clear();
      this.emit({ type: 'data', data });
    }
  }

  /** Online bytes held back because they might start a terminator (0 outside ONLINE mode). */
  get heldBytes(): number {
    return this.mode === 'online' ? this.held.length : 0;
  }

  /** Every byte held between reads, whatever the mode: never more than `maxLineLength` once a read is framed. */
  get bufferedBytes(): number {
    return this.held.length;
  }

  /**
   * Bytes scanned for line ends, matched against header rules or copied into the hold
   * queue since the framer was made. A measure of its own work, for tests and benchmarks:
   * it grows with the input, however the input is cut into reads.
   */
  get bytesExamined(): number {
    return this.examined + this.held.copied;
  }

  /** Not re-entrant: an event handler must not push. */
  push(chunk: Buffer): void {
    if (this.held.length === 0) {
      // Nothing carried over: frame the read where it lies and keep only what is left.
      this.lineScanned = 0;
      this.lineHeadTested = false;
      const pos = this.frame(chunk);
      if (pos < chunk.length) this.held.append(chunk.subarray(pos));
    } else {
      this.held.append(chunk);
      const data = this.held.lend();
      this.held.keepFrom(data, this.frame(data));
    }
    this.held.trim(Math.max(QUEUE_KEEP, 2 * this.maxLineLength));
  }

  /** Frames what it can of `data`; returns how many bytes were used. */
  private frame(data: Buffer): number {
    let pos = 0;
    while (pos < data.length) {
      const before = pos;
      switch (this.mode) {
        case 'raw':
          pos = this.takeRaw(data, pos);
          break;
        case 'online':
          pos = this.takeOnline(data, pos);
          break;
        case 'line':
          pos = this.takeLine(data, pos);
          break;
      }
      if (pos === before) break; // needs more bytes
    }
    return pos;
  }

  private takeRaw(data: Buffer, pos: number): number {
    if (this.skipLfBeforeRaw) {
      this.skipLfBeforeRaw = false;
      if (data[pos] === LF) return pos + 1;
    }
    if (this.rawRemaining > 0) {
      const n = Math.min(this.rawRemaining, data.length - pos);
      this.rawParts.push(Buffer.from(data.subarray(pos, pos + n)));
      this.rawRemaining -= n;
      pos += n;
      if (this.rawRemaining > 0) return pos;
    }
    while (this.suffixRemaining.length > 0 && pos < data.length) {
      // The suffix is consumed only if it is really there; anything else is left to line framing.
      if (data[pos] !== this.suffixRemaining.charCodeAt(0)) {
        this.suffixRemaining = '';
        break;
      }
      this.suffixRemaining = this.suffixRemaining.slice(1);
      pos++;
    }
    if (this.suffixRemaining.length > 0) return pos; // wait for the rest of the suffix
    this.finishRaw();
    return pos;
  }

  private finishRaw(): void {
    const rule = this.rawRule!;
    const payload = this.rawParts.length === 1 ? this.rawParts[0] : Buffer.concat(this.rawParts);
    const header = this.rawHeader;
    this.rawRule = null;
    this.rawParts = [];
    this.rawHeader = '';
    this.mode = 'line';
    this.emit({ type: 'payload', header, data: payload, rule });
  }

  private startRaw(rule: PayloadRule, header: string, length: number): void {
    this.rawRule = rule;
    this.rawHeader = header;
    this.rawParts = [];
    this.rawRemaining = length;
    this.suffixRemaining = rule.suffix ?? '';
    this.mode = 'raw';
    if (length === 0 && this.suffixRemaining === '') this.finishRaw();
  }

  private takeLine(data: Buffer, pos: number): number {
    // What the last read learnt about the held partial line applies only to a line that
    // starts right here, at the start of the held bytes.
    const start = pos;
    const known = this.lineScanned;
    const headTested = this.lineHeadTested;
    this.lineScanned = 0;
    this.lineHeadTested = false;

    if (this.discarding) {
      const stop = this.findLineEnd(data, pos, data.length);
      if (stop >= data.length) return stop;
      this.discarding = false;
      pos = stop;
    }
    // Line endings and empty lines between frames.
    if (this.pendingLf && data[pos] === LF) {
      this.pendingLf = false;
      return pos + 1;
    }
    this.pendingLf = false;
    if (this.swallowSpace) {
      this.swallowSpace = false;
      if (data[pos] === SPACE) return pos + 1;
    }
    if (this.blankLines && data[pos] === CR) {
      // Every CR ends a line: one with nothing before it is an empty line (an empty value, the end of a listing).
      this.emit({ type: 'line', text: '' });
      if (pos + 1 < data.length) return data[pos + 1] === LF ? pos + 2 : pos + 1;
      this.pendingLf = true;
      return pos + 1;
    }
    while (pos < data.length && (data[pos] === CR || data[pos] === LF)) pos++;
    if (pos >= data.length) return pos;

    if (this.readyPrompt) {
      const m = this.readyPrompt;
      const n = Math.min(m.length, data.length - pos);
      if (data.compare(m, 0, n, pos, pos + n) === 0) {
        if (n < m.length) return pos; // maybe the ready prompt: wait
        this.emit({ type: 'ready' });
        return pos + m.length;
      }
    }
    if (this.prompts.length > 0) {
      const taken = this.matchPrompt(data, pos);
      if (taken === -1) return pos; // could still become a prompt: wait
      if (taken > 0) return pos + taken;
    }

    const resumed = pos === start ? Math.min(known, data.length - pos) : 0;
    // One byte past the limit is enough to know the line is too long.
    const limit = Math.min(data.length, pos + this.maxLineLength + 1);
    let eol = pos + resumed;
    if (eol < limit) eol = this.findLineEnd(data, eol, limit);

    // Inline sized payloads can start before the line ends, so test the partial line.
    // Its head is all the rules look at: once tested whole, it need not be tested again.
    if (!(resumed > 0 && headTested)) {
      const inline = this.matchRules(data, pos, eol, 'inline');
      if (inline) {
        this.startRaw(inline.rule, inline.header, inline.length);
        return pos + inline.headerBytes;
      }
    }
    if (eol - pos > this.maxLineLength) return this.overflow(data, pos, eol);
    if (eol >= data.length) {
      // Incomplete line: wait for its ending, and remember how far it has been searched.
      this.lineScanned = eol - pos;
      this.lineHeadTested = eol - pos >= MAX_INLINE_HEADER;
      return pos;
    }

    const text = data.toString('latin1', pos, eol);
    let next = eol + 1;
    if (data[eol] === CR) {
      if (next < data.length) {
        if (data[next] === LF) next++;
      } else {
        this.pendingLf = true;
      }
    }
    const sized = this.matchRules(data, pos, eol, 'next-line');
    if (sized) {
      // The payload begins after CR LF. When this read ended at the CR, the LF that
      // completes the header is the first byte of the next read and is not payload.
      if (this.pendingLf && sized.length > 0) {
        this.pendingLf = false;
        this.skipLfBeforeRaw = true;
      }
      this.startRaw(sized.rule, text, sized.length);
      return next;
    }
    this.emit({ type: 'line', text });
    return next;
  }

  /**
   * The line from `pos` has no CR or LF up to `eol`, which is past the limit: drop it up to
   * its ending, or all of this read and whatever follows until an ending arrives.
   */
  private overflow(data: Buffer, pos: number, eol: number): number {
    const stop = this.findLineEnd(data, eol, data.length);
    // Before emitting, so that a reset() from the handler wins.
    this.discarding = stop >= data.length;
    this.emit({ type: 'overflow', bytes: stop - pos });
    return stop;
  }

  /** Index of the first CR or LF in `data[from, to)`, or `to`. */
  private findLineEnd(data: Buffer, from: number, to: number): number {
    let i = from;
    while (i < to && data[i] !== CR && data[i] !== LF) i++;
    this.examined += i - from;
    return i;
  }

  /** Returns bytes taken by a prompt, 0 if the line is not a prompt, -1 if more bytes are needed to tell. */
  private matchPrompt(data: Buffer, pos: number): number {
    for (const marker of this.prompts) {
      const m = Buffer.from(marker, 'latin1');
      const avail = data.length - pos;
      const n = Math.min(avail, m.length);
      if (data.compare(m, 0, n, pos, pos + n) !== 0) continue;
      if (avail < m.length) return -1;
      const taken = m.length;
      // `>` and `> ` are the same prompt: a trailing space may follow in this or the next read.
      if (marker.endsWith(' ') === false) {
        if (pos + taken < data.length) {
          if (data[pos + taken] === SPACE) {
            this.emit({ type: 'prompt', text: marker });
            return taken + 1;
          }
        } else {
          this.swallowSpace = true;
        }
      }
      this.emit({ type: 'prompt', text: marker });
      return taken;
    }
    return 0;
  }

  private matchRules(
    data: Buffer,
    start: number,
    eol: number,
    where: PayloadRule['where'],
  ): { rule: PayloadRule; header: string; length: number; headerBytes: number } | null {
    if (this.rules.length === 0) return null;
    const end = where === 'inline' ? Math.min(eol, start + MAX_INLINE_HEADER) : eol;
    this.examined += end - start;
    const text = data.toString('latin1', start, end);
    for (const rule of this.rules) {
      if (rule.where !== where) continue;
      rule.pattern.lastIndex = 0;
      const m = rule.pattern.exec(text);
      if (!m || m.index !== 0) continue;
      if (where === 'next-line' && m[0].length !== text.length) continue;
      const length = rule.length(m);
      if (!Number.isSafeInteger(length) || length < 0) continue;
      if (rule.maxLength !== undefined && length > rule.maxLength) continue;
      return { rule, header: m[0], length, headerBytes: m[0].length };
    }
    return null;
  }

  private takeOnline(data: Buffer, pos: number): number {
    if (this.pendingLf) {
      // `CONNECT` CR ended the previous read: its LF is not data.
      this.pendingLf = false;
      if (data[pos] === LF) return pos + 1;
    }
    // Find the earliest complete terminator.
    let best = -1;
    let bestEnd = -1;
    /** Where a line-start terminator begins whose line has not ended yet: held from there. */
    let unfinished = -1;
    for (const term of this.terminators) {
      if (term.linePrefix) {
        for (let at = data.indexOf(term.bytes, pos); at >= 0 && (best < 0 || at < best); at = data.indexOf(term.bytes, at + 1)) {
          const end = lineAfterPrefix(data, at + term.bytes.length);
          if (end === -1) continue;
          // Bytes after the line in the same read: the connection's data went on, so it was data.
          if (term.atEndOfRead && end > 0 && end !== data.length) continue;
          if (end === 0) {
            if (unfinished < 0 || at < unfinished) unfinished = at;
            break;
          }
          best = at;
          bestEnd = end;
          break;
        }
        continue;
      }
      const at = term.atEndOfRead
        ? (data.length - term.bytes.length >= pos && data.compare(term.bytes, 0, term.bytes.length, data.length - term.bytes.length) === 0 ? data.length - term.bytes.length : -1)
        : data.indexOf(term.bytes, pos);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
        bestEnd = at + term.bytes.length;
      }
    }
    if (best >= 0 && !(unfinished >= 0 && unfinished < best)) {
      if (best > pos) this.emit({ type: 'data', data: Buffer.from(data.subarray(pos, best)) });
      this.mode = 'line';
      this.prompts = [];
      this.emit({ type: 'online-end', text: data.toString('latin1', best, bestEnd).trim() });
      return bestEnd;
    }
    if (unfinished >= 0) {
      // A terminator's line has begun and not ended: what comes before it is data, the rest waits.
      if (unfinished > pos) this.emit({ type: 'data', data: Buffer.from(data.subarray(pos, unfinished)) });
      return unfinished;
    }
    // Hold back a tail that could be the beginning of a terminator split across reads.
    let hold = 0;
    // A reply split across reads (`O`, `K`, CR one by one on a slow line) is still one.
    for (const { bytes: term } of this.terminators) {
      const max = Math.min(term.length - 1, data.length - pos);
      for (let k = max; k > hold; k--) {
        if (data.compare(term, 0, k, data.length - k, data.length) === 0) {
          hold = k;
          break;
        }
      }
    }
    const end = data.length - hold;
    if (end > pos) this.emit({ type: 'data', data: Buffer.from(data.subarray(pos, end)) });
    return end;
  }
}

/**
 * After the start of a `linePrefix` terminator at `from`: the index just past the CR LF ending
 * its line; 0 when more bytes are needed to tell; -1 when it is not such a line (data that only
 * looks like its start).
 */
function lineAfterPrefix(data: Buffer, from: number): number {
  if (from >= data.length) return 0;
  const first = data[from];
  if (first === CR) return from + 1 >= data.length ? 0 : data[from + 1] === LF ? from + 2 : -1;
  if (first !== 0x3a && first !== SPACE) return -1;
  const limit = Math.min(data.length, from + 1 + MAX_LINE_DETAIL);
  for (let i = from + 1; i < limit; i++) {
    if (data[i] === LF) return -1;
    if (data[i] !== CR) continue;
    if (i + 1 >= data.length) return 0;
    return data[i + 1] === LF ? i + 2 : -1;
  }
  return limit < from + 1 + MAX_LINE_DETAIL ? 0 : -1;
}
