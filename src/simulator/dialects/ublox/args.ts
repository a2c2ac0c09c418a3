/**
 * Reading the parameters of a u-blox command: numbers unquoted, strings in double quotes, as the
 * manuals' syntax rows write them (`AT+USECPRF=0,2,99,"C0","2B"`).
 *
 * Owns: what u-blox does with a bad parameter (`+CME ERROR: 50`, "Incorrect parameters") and how
 * its strings are taken. Must never: know what a parameter means; the splitting and the checks
 * shared with the other dialects live in `../params.ts`.
 */
import { CommandParams, splitRaw, type Reject } from '../params';
import { FAIL } from './errors';

export { range } from '../params';

const badParameter: Reject = () => {
  throw FAIL.badParameter();
};

export class Params extends CommandParams {
  constructor(raw: string) {
    super(splitRaw(raw, badParameter), badParameter);
  }

  /**
   * A string of at most `max` characters. u-blox firmware takes it quoted; an unquoted word is
   * accepted too (some hosts send names bare), but never where a number stands alone.
   */
  str(i: number, max: number, fallback?: string): string {
    return this.string(i, max, fallback);
  }
}
