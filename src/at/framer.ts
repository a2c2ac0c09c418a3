/**
 * Byte framing: turns the modem's byte stream into lines, prompts, sized payloads
 * and online data — and nothing else.
 *
 * It knows the shapes a modem speaks in, never what they mean:
 * - lines ended by CR and/or LF (empty lines are dropped);
 * - a prompt (`>`, `> `, `@`, …) at the start of a line, only while a command waits for one;
 * - a sized payload announced by a header, either right after the header on the same
 *   line (`SSLSRING: 1,256,<256 bytes>`) or after the header line (`#SSLRECV: 300` CR LF
 *   `<300 bytes>`). Those bytes are taken by count, so `\r\nOK\r\n` inside them is data;
 * - ONLINE data, passed through untouched until a terminator line such as `NO CARRIER`.
 * Which rules apply at any moment is decided by the engine above it.
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
}

export type FrameEvent =
  | { type: 'line'; text: string }
  | { type: 'prompt'; text: string }
  | { type: 'payload'; header: string; data: Buffer; rule: PayloadRule }
  | { type: 'data'; data: Buffer }
  | { type: 'online-end'; text: string };

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;

/** Longest header an inline rule may need to see before it can match. Longer partial lines are not re-tested. */
const MAX_INLINE_HEADER = 128;

export class Framer {
  private buf: Buffer = Buffer.alloc(0);
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
  private terminators: Buffer[] = [];

  constructor(private readonly emit: (event: FrameEvent) => void) {}

  /** Rules for sized payloads that apply now (the dialect's URC rules plus the command in flight). */
  setRules(rules: PayloadRule[]): void {
    this.rules = rules;
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

  /** Switches to ONLINE data: every byte is data until one of `terminators` (whole lines such as `NO CARRIER`). */
  enterOnline(terminators: string[]): void {
    this.mode = 'online';
    this.setOnlineTerminators(terminators);
  }

  setOnlineTerminators(terminators: string[]): void {
    this.terminators = terminators.map((t) => Buffer.from(`\r\n${t}\r\n`, 'latin1'));
  }

  get isOnline(): boolean {
    return this.mode === 'online';
  }

  /** Back to command mode without a terminator (e.g. link reopened). Pending bytes are dropped. */
  reset(): void {
    this.buf = Buffer.alloc(0);
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
    if (this.mode === 'online' && this.buf.length > 0) {
      const data = this.buf;
      this.buf = Buffer.alloc(0);
      this.emit({ type: 'data', data });
    }
  }

  get heldBytes(): number {
    return this.mode === 'online' ? this.buf.length : 0;
  }

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.buf.length > 0) {
      data = Buffer.concat([this.buf, chunk]);
      this.buf = Buffer.alloc(0);
    }
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
    if (pos < data.length) {
      // Copy so a large chunk is not kept alive by a small remainder.
      this.buf = Buffer.from(data.subarray(pos));
    }
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
    while (pos < data.length && (data[pos] === CR || data[pos] === LF)) pos++;
    if (pos >= data.length) return pos;

    if (this.readyPrompt) {
      const m = this.readyPrompt;
      const n = Math.min(m.length, data.length - pos);
      if (data.compare(m, 0, n, pos, pos + n) === 0) {
        if (n < m.length) return pos; // maybe the ready prompt: wait
        return pos + m.length;
      }
    }
    if (this.prompts.length > 0) {
      const taken = this.matchPrompt(data, pos);
      if (taken === -1) return pos; // could still become a prompt: wait
      if (taken > 0) return pos + taken;
    }

    let eol = pos;
    while (eol < data.length && data[eol] !== CR && data[eol] !== LF) eol++;

    // Inline sized payloads can start before the line ends, so test the partial line.
    const inline = this.matchRules(data, pos, eol, 'inline');
    if (inline) {
      this.startRaw(inline.rule, inline.header, inline.length);
      return pos + inline.headerBytes;
    }
    if (eol >= data.length) return pos; // incomplete line: wait for its ending

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
    const text = data.toString('latin1', start, end);
    for (const rule of this.rules) {
      if (rule.where !== where) continue;
      rule.pattern.lastIndex = 0;
      const m = rule.pattern.exec(text);
      if (!m || m.index !== 0) continue;
      if (where === 'next-line' && m[0].length !== text.length) continue;
      const length = rule.length(m);
      if (!Number.isSafeInteger(length) || length < 0) continue;
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
    let bestTerm: Buffer | null = null;
    for (const term of this.terminators) {
      const at = data.indexOf(term, pos);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
        bestTerm = term;
      }
    }
    if (bestTerm) {
      if (best > pos) this.emit({ type: 'data', data: Buffer.from(data.subarray(pos, best)) });
      this.mode = 'line';
      this.prompts = [];
      this.emit({ type: 'online-end', text: bestTerm.toString('latin1').trim() });
      return best + bestTerm.length;
    }
    // Hold back a tail that could be the beginning of a terminator split across reads.
    let hold = 0;
    for (const term of this.terminators) {
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
