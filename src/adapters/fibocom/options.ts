/**
 * The Fibocom L610's own options, one rule row each: what an upload takes beyond the
 * vendor-neutral settings. Profiles, opens and closes take none: the module's single SSL
 * configuration is all in the neutral profile (verify, version, suites).
 *
 * Must never: hold a limit that is not a row.
 */
import { vendorOptionAreas } from '../checks';
import type { Rule } from '../rules';

const at = (text: string): Readonly<Record<string, string>> => ({ fibocom: text });

/** seeds/004 l. 121: "If module power down, all certificates are lost." */
export const UPLOAD_OPTION_ROWS: readonly Rule[] = [
  {
    name: 'keepLoaded',
    type: 'bool',
    default: true,
    optional: true,
    help: 'true (default): after the module restarts (it loses every file at power-down) the file is loaded again before the next connection; false: loaded once only',
    at: at('+GTSSLFILE again after a restart'),
  },
];

const AREAS = {
  profiles: { rows: [] as readonly Rule[], what: 'profiles' },
  certificates: { rows: UPLOAD_OPTION_ROWS, what: 'uploads' },
  open: { rows: [] as readonly Rule[], what: 'connections' },
  close: { rows: [] as readonly Rule[], what: 'connections' },
} as const;

export type OptionArea = keyof typeof AREAS;

const options = vendorOptionAreas('Fibocom L610', AREAS);

/** The rows of one operation (the capabilities list them). */
export const optionRows = options.rows;

/** Vendor options of one operation, each checked against its row and in its proper type; an unknown key is refused. */
export const optionValues = options.values;
