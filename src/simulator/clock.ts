/**
 * The simulated modem's real-time clock, as `+CCLK` shows and sets it (3GPP TS 27.007 §8.15):
 * `"yy/MM/dd,hh:mm:ss±zz"`, local time with the zone in quarter-hours from GMT.
 *
 * Owns: the clock's offset from the host's real time and its zone, and the `+CCLK` text format.
 * Must never: touch the host's clock, or keep its own timer — the time is computed on demand as
 * real time plus an offset, so it runs with the host and costs nothing. Dialects ask `now()` when
 * they judge a certificate's validity dates.
 */

const QUARTER_HOUR_MS = 15 * 60 * 1000;
/** 3GPP TS 27.007 §8.15: zz ranges over -48…+48 quarter-hours. */
export const MAX_ZONE_QUARTERS = 48;

export interface ClockReading {
  /** The instant, as milliseconds since the Unix epoch (UTC). */
  instant: number;
  /** Local time minus GMT, in quarter-hours. */
  zoneQuarters: number;
}

const CCLK = /^(\d{2})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})([+-])(\d{2})$/;

/**
 * Parses a `+CCLK` time. Two-digit years are 2000–2099. Returns `null` for anything that is not
 * the exact format or names an impossible date, time or zone (the caller answers `+CME ERROR: 50`).
 */
export function parseCclk(text: string): ClockReading | null {
  const m = CCLK.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const zone = (m[7] === '-' ? -1 : 1) * Number(m[8]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (Math.abs(zone) > MAX_ZONE_QUARTERS) return null;
  const fullYear = 2000 + year;
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(fullYear, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  const localAsUtc = Date.UTC(fullYear, month - 1, day, hour, minute, second);
  return { instant: localAsUtc - zone * QUARTER_HOUR_MS, zoneQuarters: zone };
}

/** Formats an instant as `+CCLK` shows it, in the given zone (`24/05/06,22:10:00+08`). */
export function formatCclk(reading: ClockReading): string {
  const local = new Date(reading.instant + reading.zoneQuarters * QUARTER_HOUR_MS);
  const two = (n: number): string => String(n).padStart(2, '0');
  const zone = reading.zoneQuarters;
  return (
    `${two(local.getUTCFullYear() % 100)}/${two(local.getUTCMonth() + 1)}/${two(local.getUTCDate())},` +
    `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}` +
    `${zone < 0 ? '-' : '+'}${two(Math.abs(zone))}`
  );
}

export class SimulatedClock {
  private offsetMs = 0;
  private zone = 0;

  /** `realNow` is the host's time source; tests may pass a fixed one. */
  constructor(private readonly realNow: () => number = Date.now) {}

  /** The modem's current instant. */
  now(): Date {
    return new Date(this.realNow() + this.offsetMs);
  }

  get zoneQuarters(): number {
    return this.zone;
  }

  /** Sets the modem's time to `instant`, and its zone when given; the clock keeps running from there. */
  set(instant: Date | number, zoneQuarters: number = this.zone): void {
    if (!Number.isInteger(zoneQuarters) || Math.abs(zoneQuarters) > MAX_ZONE_QUARTERS) {
      throw new RangeError(`zoneQuarters: must be an integer from -${MAX_ZONE_QUARTERS} to ${MAX_ZONE_QUARTERS}, got ${zoneQuarters}`);
    }
    this.offsetMs = Number(instant) - this.realNow();
    this.zone = zoneQuarters;
  }

  /** Back to the host's real time, zone +00. */
  reset(): void {
    this.offsetMs = 0;
    this.zone = 0;
  }

  /** The `+CCLK?` text. */
  read(): string {
    return formatCclk({ instant: this.now().getTime(), zoneQuarters: this.zone });
  }

  /** Applies a `+CCLK=` text; returns false (and changes nothing) when it is invalid. */
  write(text: string): boolean {
    const reading = parseCclk(text);
    if (!reading) return false;
    this.set(reading.instant, reading.zoneQuarters);
    return true;
  }
}
