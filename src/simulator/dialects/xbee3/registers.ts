/**
 * The XBee3 Cellular's writable registers (AP, GT, CT, TL, IP, DL, DE, TM, AN, $0-$2, CC): the
 * values in effect, the ones saved in flash, and how a value is read and written in command mode
 * (hex text) and in API mode (0x08 AT Command: big-endian bytes, or text).
 *
 * Owns: the values and their checks. Must never: act on a change (the modem and the device apply
 * them, see `Xbee3Device.apply`).
 *
 * Contract (the stored guide copies only say that values are hex and WR writes them to flash): a
 * write is volatile until `ATWR`; `ATFR` or a power cycle brings back the saved values; `ATRE`
 * brings back the factory values without saving them. Numbers read back as upper-case hex without
 * leading zeros ("3E8"), strings as stored.
 */
import { REGISTERS, type RegisterSpec } from './tables';

export type RegisterValue = number | string;

function factoryValues(): Map<string, RegisterValue> {
  return new Map(Object.entries(REGISTERS).map(([name, spec]) => [name, spec.factory]));
}

function accepts(spec: RegisterSpec, value: RegisterValue): boolean {
  if (spec.kind === 'hex') {
    if (typeof value !== 'number' || !Number.isInteger(value)) return false;
    if (spec.allowed) return spec.allowed.includes(value);
    return value >= (spec.min ?? 0) && value <= (spec.max ?? 0xffffffff);
  }
  if (typeof value !== 'string' || value.length > (spec.maxLength ?? 255)) return false;
  return spec.check ? spec.check(value) : true;
}

/** Minimal big-endian bytes of a number, at least one (chosen: the stored guide copies give no widths). */
export function numberBytes(value: number): Buffer {
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from(bytes.length > 0 ? bytes : [0]);
}

export function hexText(value: number): string {
  return value.toString(16).toUpperCase();
}

export class Registers {
  private saved = factoryValues();
  private current = factoryValues();

  static has(name: string): boolean {
    return Object.hasOwn(REGISTERS, name);
  }

  num(name: string): number {
    return this.current.get(name) as number;
  }

  str(name: string): string {
    return this.current.get(name) as string;
  }

  /** Every current value, for tests. */
  snapshot(): Record<string, RegisterValue> {
    return Object.fromEntries(this.current);
  }

  /** Sets a value if the register takes it; false (and nothing changed) otherwise. */
  set(name: string, value: RegisterValue): boolean {
    const spec = REGISTERS[name];
    if (!spec || !accepts(spec, value)) return false;
    this.current.set(name, value);
    return true;
  }

  /** Command mode: hex digits for numbers ("Numeric values are hex ASCII, no 0x"), the text itself for strings. */
  setText(name: string, text: string): boolean {
    const spec = REGISTERS[name];
    if (!spec) return false;
    if (spec.kind === 'text') return this.set(name, text);
    if (!/^[0-9A-Fa-f]{1,8}$/.test(text)) return false;
    return this.set(name, parseInt(text, 16));
  }

  /** API mode (0x08): a number as big-endian bytes (up to 4), a string as its bytes. */
  setBytes(name: string, bytes: Buffer): boolean {
    const spec = REGISTERS[name];
    if (!spec) return false;
    if (spec.kind === 'text') return this.set(name, bytes.toString('latin1'));
    if (bytes.length === 0 || bytes.length > 4) return false;
    return this.set(name, bytes.readUIntBE(0, bytes.length));
  }

  text(name: string): string {
    const value = this.current.get(name)!;
    return typeof value === 'number' ? hexText(value) : value;
  }

  bytes(name: string): Buffer {
    const value = this.current.get(name)!;
    return typeof value === 'number' ? numberBytes(value) : Buffer.from(value, 'latin1');
  }

  /** ATWR: the current values go to flash. */
  write(): void {
    this.saved = new Map(this.current);
  }

  /** ATRE: factory values, not saved until WR. */
  factory(): void {
    this.current = factoryValues();
  }

  /** Boot: the values saved in flash. */
  restore(): void {
    this.current = new Map(this.saved);
  }
}
