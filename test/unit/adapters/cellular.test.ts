/**
 * The helpers every cellular adapter shares (`src/adapters/cellular/`): the 27.007 clock, the PDP
 * attach with each vendor's commands given as data, and the drain of announced data. Transcripts
 * are 3GPP TS 27.007 forms (§8.15 +CCLK, §10.1.1 +CGDCONT, §10.1.10 +CGACT) and the vendors' own.
 */
import { strict as assert } from 'node:assert';
import { buildCommand, ModemError, p, readCommand } from '../../../src/at';
import { clockText, parseClock, readModemClock, setModemClock } from '../../../src/adapters/cellular/clock';
import { attachPdp, type PdpCommands } from '../../../src/adapters/cellular/pdp';
import { AnnouncedReads, readUntilShort } from '../../../src/adapters/cellular/reads';
import { ubloxDialect } from '../../../src/adapters/ublox/dialect';
import { framed } from '../../support/transcript';
import { closeEngines, done, engineRig, type EngineRig } from '../../support/adapter-rig';


function rig(): EngineRig {
  return engineRig(ubloxDialect);
}

/** A 27.007 module: +CGACT? for the state, authentication with the activation's own parameters (as Telit #SGACT does). */
const WITH_ACTIVATION: PdpCommands = {
  vendor: 'test',
  state: { line: readCommand('+CGACT'), prefix: '+CGACT:' },
  cidMax: 16,
  apnMaxLength: 100,
  credentialMaxLength: 64,
  activate: (cid, credentials) => ({ line: buildCommand('#SGACT', [cid, p.int('stat', 1), ...credentials]), responsePrefixes: ['#SGACT:'] }),
};

/** Authentication as a command of its own before the activation (as u-blox +UAUTHREQ). */
const SEPARATE_AUTH: PdpCommands = {
  ...WITH_ACTIVATION,
  authenticate: (cid, user, password) => buildCommand('+UAUTHREQ', [cid, p.int('auth_type', 3), user, password]),
  activate: (cid) => ({ line: buildCommand('+CGACT', [p.int('state', 1), cid]) }),
};

describe('cellular helpers', () => {
  afterEach(() => {
    closeEngines();
  });

  describe('clock (27.007 §8.15)', () => {
    it('writes UTC as yy/MM/dd,hh:mm:ss+00 and reads it back, the zone in quarter hours', async () => {
      const { link, engine } = rig();
      const when = new Date(Date.UTC(2025, 0, 13, 8, 5, 9));
      assert.equal(clockText(when), '25/01/13,08:05:09+00');
      link.expect(
        { host: 'AT+CCLK="25/01/13,08:05:09+00"\r', modem: framed('OK') },
        { host: 'AT+CCLK?\r', modem: framed('+CCLK: "25/01/13,10:05:09+08"', 'OK') },
        { host: 'AT+CCLK?\r', modem: framed('ERROR') },
      );
      await engine.exclusive((at) => setModemClock(at, when));
      assert.equal((await readModemClock(engine))?.toISOString(), when.toISOString(), '+08 is two hours ahead of UTC');
      assert.equal(await readModemClock(engine), undefined, 'no clock, no guess');
      done(link);
      assert.equal(parseClock('+CCLK: "24/12/31,23:59:59-04"')?.toISOString(), '2025-01-01T00:59:59.000Z');
      assert.equal(parseClock('+CCLK: "24/12/31,23:59:59"')?.toISOString(), '2024-12-31T23:59:59.000Z');
      assert.equal(parseClock('+CCLK: 24/12/31'), undefined);
    });
  });

  describe('PDP attach (27.007 §10.1)', () => {
    it('an active context: the state read only, nothing written, no APN needed', async () => {
      const { link, engine } = rig();
      link.expect({ host: 'AT+CGACT?\r', modem: framed('+CGACT: 1,1', '+CGACT: 2,0', 'OK') });
      assert.equal(await engine.exclusive((at) => attachPdp(at, WITH_ACTIVATION, { cid: 1 })), null);
      done(link);
    });

    it('credentials with the activation: define, then activate with user and password; the password masked in the trace', async () => {
      const { link, engine, traces } = rig();
      link.expect(
        { host: 'AT+CGACT?\r', modem: framed('+CGACT: 1,0', 'OK') },
        { host: 'AT+CGDCONT=1,"IP","iot.example"\r', modem: framed('OK') },
        { host: 'AT#SGACT=1,1,"u","p4ss"\r', modem: framed('#SGACT: 10.7.125.7', 'OK') },
      );
      const answer = await engine.exclusive((at) => attachPdp(at, WITH_ACTIVATION, { cid: 1, apn: 'iot.example', user: 'u', password: 'p4ss' }));
      done(link);
      assert.deepEqual(answer?.lines, ['#SGACT: 10.7.125.7']);
      assert.ok(traces.some((t) => t.text === 'AT#SGACT=1,1,"u","***"'));
      assert.ok(traces.every((t) => !t.text.includes('p4ss')));
    });

    it('credentials as their own command: define, authenticate, activate; none without credentials', async () => {
      const { link, engine, traces } = rig();
      link.expect(
        { host: 'AT+CGACT?\r', modem: framed('+CGACT: 3,0', 'OK') },
        { host: 'AT+CGDCONT=3,"IP","iot.example"\r', modem: framed('OK') },
        { host: 'AT+UAUTHREQ=3,3,"","s3cret"\r', modem: framed('OK') },
        { host: 'AT+CGACT=1,3\r', modem: framed('OK') },
        { host: 'AT+CGACT?\r', modem: framed('OK') },
        { host: 'AT+CGDCONT=1,"IP","iot.example"\r', modem: framed('OK') },
        { host: 'AT+CGACT=1,1\r', modem: framed('OK') },
      );
      await engine.exclusive((at) => attachPdp(at, SEPARATE_AUTH, { cid: 3, apn: 'iot.example', password: 's3cret' }));
      await engine.exclusive((at) => attachPdp(at, SEPARATE_AUTH, { cid: 1, apn: 'iot.example' }));
      done(link);
      assert.ok(traces.every((t) => !t.text.includes('s3cret')));
    });

    it('an inactive context without an APN is a configuration error naming apn; an APN too long is refused before any write', async () => {
      const { link, engine } = rig();
      link.expect({ host: 'AT+CGACT?\r', modem: framed('+CGACT: 1,0', 'OK') });
      await assert.rejects(engine.exclusive((at) => attachPdp(at, WITH_ACTIVATION, { cid: 1 })), (err: ModemError) => err.kind === 'PARAMETER' && err.field === 'apn' && err.vendor === 'test');
      link.expect({ host: 'AT+CGACT?\r', modem: framed('+CGACT: 1,0', 'OK') });
      await assert.rejects(engine.exclusive((at) => attachPdp(at, WITH_ACTIVATION, { cid: 1, apn: 'a'.repeat(101) })), (err: ModemError) => err.field === 'apn');
      done(link);
    });

    it('a refused state read: the error ends the attach, or the vendor is told and nothing more is sent', async () => {
      const { link, engine } = rig();
      link.expect({ host: 'AT+CGACT?\r', modem: framed('+CME ERROR: 4') });
      await assert.rejects(engine.exclusive((at) => attachPdp(at, WITH_ACTIVATION, { cid: 1, apn: 'x' })), (err: ModemError) => err.kind === 'CME');
      const told: string[] = [];
      link.expect({ host: 'AT+CGACT?\r', modem: framed('ERROR') });
      assert.equal(await engine.exclusive((at) => attachPdp(at, { ...WITH_ACTIVATION, stateRefused: (err) => told.push(err.kind) }, { cid: 1, apn: 'x' })), null);
      done(link);
      assert.deepEqual(told, ['FINAL']);
    });
  });

  describe('reading announced data', () => {
    it('reads in chunks until a short read, each chunk seen as it comes', async () => {
      const sizes = [4, 4, 1];
      const asked: number[] = [];
      const seen: number[] = [];
      const data = await readUntilShort(20, 4, async (want) => {
        asked.push(want);
        return Buffer.alloc(Math.min(want, sizes.shift() ?? 0), 0x61);
      }, (chunk) => seen.push(chunk.length));
      assert.equal(data.length, 9);
      assert.deepEqual(asked, [4, 4, 4]);
      assert.deepEqual(seen, [4, 4, 1]);
      assert.equal((await readUntilShort(8, 4, async (want) => Buffer.alloc(want))).length, 8, 'stops at max');
    });

    it('one drain per socket; announcements during it lead to exactly one more read; other sockets are not held up', async () => {
      const reads: Array<[number, number | undefined]> = [];
      const gates: Array<() => void> = [];
      const drains = new AnnouncedReads({
        serial: (_id, read) => read(),
        read: (id, length) => {
          reads.push([id, length]);
          return new Promise<void>((resolve) => gates.push(resolve));
        },
        failed: () => assert.fail('no failure'),
        deliver: () => assert.fail('the reads deliver nothing here'),
      });
      drains.announce(0, 100);
      drains.announce(0, 150);
      drains.announce(0, 200);
      drains.announce(1, 7);
      assert.deepEqual(reads, [[0, 100], [1, 7]]);
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(reads, [[0, 100], [1, 7], [0, undefined]], 'one follow-up for two announcements');
      gates.shift()!();
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
      drains.announce(0, 5);
      assert.deepEqual(reads.at(-1), [0, 5], 'the drain ended: a new announcement starts a new one');
    });

    it('a failed read ends the drain and is reported; clear() stops follow-ups', async () => {
      const failed: string[] = [];
      let fail = true;
      const reads: Array<number | undefined> = [];
      let release: (() => void) | undefined;
      const drains = new AnnouncedReads({
        serial: (_id, read) => read(),
        read: (_id, length) => {
          reads.push(length);
          if (fail) return Promise.reject(new Error('link down'));
          return new Promise<void>((resolve) => (release = resolve));
        },
        failed: (id, err) => failed.push(`${id}: ${err.message}`),
        deliver: () => assert.fail('the reads deliver nothing here'),
      });
      drains.announce(2, 10);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(failed, ['2: link down']);
      fail = false;
      drains.announce(2, 10);
      drains.announce(2, 20);
      drains.clear();
      release!();
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(reads, [10, 10], 'no follow-up after clear()');
    });

    it('a held socket: announcements are noted, not read; a read under way stops and keeps what it brought; release delivers it first, then reads the last announcement', async () => {
      const reads: Array<[number, number | undefined]> = [];
      const gates: Array<() => void> = [];
      const delivered: string[] = [];
      const drains: AnnouncedReads = new AnnouncedReads({
        serial: (_id, read) => read(),
        read: (id, length) => {
          reads.push([id, length]);
          return new Promise<void>((resolve) => gates.push(() => {
            // A read of two commands: the first brings 'a'; the second only if the socket is not held by then.
            drains.bring(id, Buffer.from(`a${length ?? '+'}`));
            if (drains.more(id)) drains.bring(id, Buffer.from(`b${length ?? '+'}`));
            resolve();
          }));
        },
        failed: () => assert.fail('no failure'),
        deliver: (id, data) => delivered.push(`${id}:${data.toString()}`),
      });
      drains.announce(0, 100);
      drains.hold(0, true);
      drains.hold(0, true);
      assert.equal(drains.isHeld(0), true);
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(delivered, [], 'what the read under way brought is kept while held');
      drains.announce(0, 300);
      drains.announce(0, 500);
      drains.announce(1, 7);
      assert.deepEqual(reads, [[0, 100], [1, 7]], 'nothing more is read on the held socket; another socket is read');
      drains.hold(0, false);
      assert.deepEqual(delivered, ['0:a100'], 'kept data first');
      assert.deepEqual(reads.at(-1), [0, 500], 'then the last announcement is read');
      gates.shift()!();
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(delivered, ['0:a100', '1:a7', '1:b7', '0:a500', '0:b500']);
      drains.hold(0, false);
      drains.hold(3, false);
      assert.equal(reads.length, 3, 'a release with nothing held reads nothing');
      drains.hold(0, true);
      drains.announce(0, 9);
      drains.bring(0, Buffer.from('last'));
      assert.equal(delivered.length, 5, 'kept while held');
      drains.forget(0);
      assert.deepEqual(delivered.at(-1), '0:last', 'what a hold kept is delivered when its connection ends');
      drains.hold(0, false);
      assert.equal(reads.length, 3, 'a forgotten hold leaves nothing to read on release');
      drains.announce(0, 9);
      assert.deepEqual(reads.at(-1), [0, 9], 'a socket no longer held is read at once');
    });
  });
});
