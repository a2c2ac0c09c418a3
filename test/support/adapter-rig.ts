/**
 * The rig of the adapter transcript tests: an AT engine over a TranscriptLink whose first step
 * (`AT` → `OK`, the engine's sync) is already expected, the checks that a transcript was played
 * whole and that a call was refused naming a field, and the clean-up after each test.
 */
import { strict as assert } from 'node:assert';
import { AtEngine, ModemError, type DialectFraming, type TraceEntry } from '../../src/at';
import { framed, TranscriptLink } from './transcript';

const engines: AtEngine[] = [];

export interface EngineRig {
  link: TranscriptLink;
  engine: AtEngine;
  /** What the engine traced, secrets masked as it masks them. */
  traces: TraceEntry[];
}

/** An engine speaking `dialect` over a fresh transcript; closed by `closeEngines()`. */
export function engineRig(dialect: DialectFraming, options: { sync?: boolean } = {}): EngineRig {
  const link = new TranscriptLink();
  const traces: TraceEntry[] = [];
  const engine = new AtEngine({ link, dialect, defaultTimeoutMs: 1000, resync: { attempts: 2, waitMs: 100, quietMs: 5 }, trace: (t) => traces.push(t) });
  engines.push(engine);
  if (options.sync !== false) link.expect({ host: 'AT\r', modem: framed('OK') });
  return { link, engine, traces };
}

/** Closes every engine a rig made (for `afterEach`). */
export function closeEngines(): void {
  for (const engine of engines.splice(0)) engine.close('test over');
}

/** Every step of the transcript was played, and every write matched. */
export function done(link: TranscriptLink): void {
  assert.deepEqual(link.failures, []);
  assert.equal(link.remaining, 0, 'the whole transcript was played');
}

/** `promise` fails with a PARAMETER ModemError naming `field`; that error. */
export async function refused(promise: Promise<unknown>, field: string): Promise<ModemError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ModemError, String(err));
    assert.equal(err.kind, 'PARAMETER', err.message);
    assert.equal(err.field, field, err.message);
    return err;
  }
  assert.fail(`expected a refusal naming ${field}`);
}
