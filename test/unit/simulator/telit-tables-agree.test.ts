/**
 * The product's Telit tables (`src/adapters/telit/`) and the simulated module's
 * (`src/simulator/dialects/telit/`) are written separately from the SSL/TLS User Guide 1vv0300989;
 * a wrong cipher number on one side would otherwise pass every test that runs the adapter against
 * the simulator. Here they are compared entry by entry, and a failure names the first difference.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TELIT_ERROR_TEXTS } from '../../../src/adapters/telit/errors';
import { TELIT_PLATFORMS, TELIT_TLS_VERSIONS, type TelitPlatform } from '../../../src/adapters/telit/platforms';
import { OTHER_ERRORS, SSL_ERRORS } from '../../../src/simulator/dialects/telit/errors';
import { CID_RANGE, PLATFORMS, THREADX_6_2_4, VERSION_NUMBERS, type SimulatedPlatform } from '../../../src/simulator/dialects/telit/tables';

/** The first place two plain values differ, as `path: product … / simulator …`, or undefined. */
function firstDifference(product: unknown, simulator: unknown, path = ''): string | undefined {
  const shown = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
  if (Array.isArray(product) && Array.isArray(simulator)) {
    for (let i = 0; i < Math.max(product.length, simulator.length); i++) {
      const found = firstDifference(product[i], simulator[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (product && simulator && typeof product === 'object' && typeof simulator === 'object' && !Array.isArray(product) && !Array.isArray(simulator)) {
    const keys = [...new Set([...Object.keys(product), ...Object.keys(simulator)])];
    for (const key of keys) {
      const found = firstDifference((product as Record<string, unknown>)[key], (simulator as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return undefined;
  }
  return Object.is(product, simulator) ? undefined : `${path || '(value)'}: product ${shown(product)}, simulator ${shown(simulator)}`;
}

function assertSame(product: unknown, simulator: unknown, what: string): void {
  const found = firstDifference(product, simulator);
  if (found) assert.fail(`${what} differ at ${found}`);
}

const hex = (code: number): string => `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** `<CipherSuite>` value as the module takes it (`3`, `0x002F`) → suite. */
function productSelectors(pf: TelitPlatform): Record<string, string> {
  return Object.fromEntries(
    Object.entries(pf.cipherSuites)
      .map(([value, name]) => [Number(value) < 0x20 ? value : hex(Number(value)), name] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

function simulatorSelectors(pf: SimulatedPlatform): Record<string, string> {
  const entries = pf.suites.flatMap((row) => [
    ...(row.selector !== undefined ? [[String(row.selector), row.name] as const] : []),
    ...(row.hex !== undefined ? [[hex(row.hex), row.name] as const] : []),
  ]);
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

/** What both sides must say alike about a platform, apart from its suites. */
function productFacts(pf: TelitPlatform): Record<string, unknown> {
  const { sslSockets, maxSecurityData, versions, seccfg2, certFormatParam, der, ramStorage, sslcfgExtras, fastDial, sringChunk } = pf;
  return { sslSockets, maxSecurityData, versions, seccfg2, certFormatParam, der, ramStorage, sslcfgExtras, fastDial, sringChunk };
}

function simulatorFacts(pf: SimulatedPlatform): Record<string, unknown> {
  const { sslSockets, maxSecurityData, versions, seccfg2, certFormatParam, der, ramStorage, sslcfgExtras, fastDial, sringChunk } = pf;
  return { sslSockets, maxSecurityData, versions, seccfg2, certFormatParam, der, ramStorage, sslcfgExtras, fastDial, sringChunk };
}

const rangeOf = (allowed: { min: number; max: number } | readonly number[]): { min: number; max: number } =>
  Array.isArray(allowed) ? { min: Math.min(...allowed), max: Math.max(...allowed) } : (allowed as { min: number; max: number });

describe('Telit tables: the product and the simulated module agree', () => {
  it('names a difference by its path and both values', () => {
    assert.equal(firstDifference({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] }), 'a[1].b: product "x", simulator "y"');
    assert.equal(firstDifference({ a: 1 }, { a: 1, c: 2 }), 'c: product nothing, simulator 2');
    assert.equal(firstDifference([1, 2], [1, 2]), undefined);
  });

  it('has the same platforms, in the same order', () => {
    assertSame(Object.keys(TELIT_PLATFORMS), Object.keys(PLATFORMS), 'platform ids');
  });

  for (const id of Object.keys(TELIT_PLATFORMS) as Array<keyof typeof TELIT_PLATFORMS>) {
    describe(`platform ${id}`, () => {
      const product = TELIT_PLATFORMS[id];
      const simulator = PLATFORMS[id];

      it('socket count, security data limit, versions and parameter lists', () => {
        assertSame(productFacts(product), simulatorFacts(simulator), `platform ${id}`);
      });

      it('the <CipherSuite> values, decimal and hex, and the suite each selects (§6.2, §12.1)', () => {
        assertSame(productSelectors(product), simulatorSelectors(simulator), `platform ${id} <CipherSuite> values`);
      });

      it('the versions the §12.1 table marks for each suite that can be selected alone', () => {
        const simulated = Object.fromEntries(simulator.suites.map((row) => [row.name, row.versions]));
        const selectable = Object.keys(product.suiteVersions);
        assertSame(
          Object.fromEntries(selectable.map((name) => [name, product.suiteVersions[name]])),
          Object.fromEntries(selectable.map((name) => [name, simulated[name]])),
          `platform ${id} suite versions`,
        );
        // And every selectable suite has versions on the product's side.
        assertSame(Object.values(productSelectors(product)).filter((n, i, all) => all.indexOf(n) === i).sort(), [...selectable].sort(), `platform ${id} suites with versions`);
      });

      it('what <CipherSuite> 0 proposes, in the table order', () => {
        assertSame(product.defaultSuites, simulator.suites.filter((row) => row.zero).map((row) => row.name), `platform ${id} suites of <CipherSuite> 0`);
      });

      it('the <cid> range of #SSLCFG where the guide prints it (§6.8.1, §6.8.2)', () => {
        const simulated = rangeOf(simulator.sslCids);
        const fallback = rangeOf(CID_RANGE);
        if (product.sslCids) assertSame(product.sslCids, simulated, `platform ${id} <cid> range`);
        else assertSame(undefined, simulated.min !== fallback.min || simulated.max !== fallback.max ? simulated : undefined, `platform ${id} <cid> range`);
      });
    });
  }

  it('25 ThreadX: the numbering of §6.2.4 that neither side uses is recorded alike', () => {
    assertSame(TELIT_PLATFORMS['25-threadx'].otherNumbering?.selectors, THREADX_6_2_4, '§6.2.4 numbering');
  });

  it('the #SSLSECCFG2 <version> numbers', () => {
    assertSame(
      TELIT_TLS_VERSIONS,
      Object.fromEntries(Object.entries(VERSION_NUMBERS).map(([name, n]) => [n, name])),
      '<version> numbers',
    );
  });

  it('the error codes and their verbose texts (§12.2; §6.8.1 for 612)', () => {
    assertSame(TELIT_ERROR_TEXTS, { ...OTHER_ERRORS, ...SSL_ERRORS }, 'error codes');
  });

  it('the simulated module imports nothing from the product', () => {
    const dir = join(__dirname, '../../../../src/simulator/dialects/telit');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      assert.doesNotMatch(text, /from '[./]*\/adapters\//, `${file} imports from src/adapters`);
    }
  });
});
