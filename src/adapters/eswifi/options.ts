/**
 * The Inventek eS-WiFi's own options, one rule row each: the P9 value of a profile, the
 * one-time programming and the forgetting of a set's record for uploads and removals, and the
 * pace of reads for a connection. Closes take none.
 *
 * Must never: hold a limit that is not a row.
 */
import { vendorOptionAreas } from '../checks';
import type { Rule } from '../rules';
import { P9, SOCKETS } from './tables';

const at = (text: string): Readonly<Record<string, string>> => ({ eswifi: text });

/** seeds/002 l. 21–29. */
export const PROFILE_OPTION_ROWS: readonly Rule[] = [
  {
    name: 'verification',
    type: 'int',
    min: P9.values.min,
    max: P9.values.max,
    optional: true,
    help: 'P9 value; default from verify: none 0, server and mutual 2; 1 verifies the server only when the set holds a root CA',
    at: at('P9=<n>'),
  },
];

/** seeds/002 l. 17–19: the sets are one-time programmable; writing the same data again answers a match. */
export const UPLOAD_OPTION_ROWS: readonly Rule[] = [
  {
    name: 'programOneTime',
    type: 'bool',
    default: false,
    optional: true,
    help: 'true writes into a set that may still be empty: that programs it for good (only a complete firmware flash clears it); false (default) only verifies a set this package knows is programmed',
    at: at('PG=<set>,<type>,<length>,<data>'),
  },
  {
    name: 'firmwareFlashed',
    type: 'bool',
    default: false,
    optional: true,
    help: 'remove only — true after a complete firmware flash: forgets what this package noted of the set',
  },
];

export const OPEN_OPTION_ROWS: readonly Rule[] = [
  {
    name: 'pollMs',
    type: 'int',
    min: SOCKETS.poll.min,
    max: SOCKETS.poll.max,
    default: SOCKETS.poll.default,
    optional: true,
    unit: 'ms',
    help: 'longest pause between two reads of the module (R0) while no data comes',
    at: at('R0 every <pollMs> at most'),
  },
];

const AREAS = {
  profiles: { rows: PROFILE_OPTION_ROWS, what: 'profiles' },
  certificates: { rows: UPLOAD_OPTION_ROWS, what: 'uploads' },
  open: { rows: OPEN_OPTION_ROWS, what: 'connections' },
  close: { rows: [] as readonly Rule[], what: 'connections' },
} as const;

export type OptionArea = keyof typeof AREAS;

const options = vendorOptionAreas('Inventek eS-WiFi', AREAS);

/** The rows of one operation (the capabilities list them). */
export const optionRows = options.rows;

/** Vendor options of one operation, each checked against its row and in its proper type; an unknown key is refused. */
export const optionValues = options.values;
