import { strict as assert } from 'node:assert';
import { createGenericModem, formatCclk, parseCclk, SimulatedClock, type SimulatedModem } from '../../../src/simulator';
import { exchange, Wire } from './wire';

describe('simulator: clock (27.007 §8.15 +CCLK)', () => {
  describe('format', () => {
    it('parses local time with the zone in quarter-hours', () => {
      // 22:10 at GMT+2 (8 quarter-hours) is 20:10 GMT.
      assert.deepEqual(parseCclk('94/05/06,22:10:00+08'), { instant: Date.UTC(2094, 4, 6, 20, 10, 0), zoneQuarters: 8 });
      assert.deepEqual(parseCclk('24/01/01,00:30:00-02'), { instant: Date.UTC(2024, 0, 1, 1, 0, 0), zoneQuarters: -2 });
    });

    it('formats back to the same text', () => {
      for (const text of ['24/02/29,23:59:59+48', '00/01/01,00:00:00-48', '31/12/31,12:00:00+00']) {
        assert.equal(formatCclk(parseCclk(text)!), text);
      }
    });

    it('rejects impossible dates, times and zones, and other shapes', () => {
      for (const text of [
        '23/02/29,00:00:00+00', // not a leap year
        '24/04/31,00:00:00+00',
        '24/13/01,00:00:00+00',
        '24/00/01,00:00:00+00',
        '24/01/00,00:00:00+00',
        '24/01/01,24:00:00+00',
        '24/01/01,00:60:00+00',
        '24/01/01,00:00:60+00',
        '24/01/01,00:00:00+49',
        '24/01/01,00:00:00', // the zone is part of the format
        '2024/01/01,00:00:00+00',
        '24-01-01,00:00:00+00',
        '',
      ]) {
        assert.equal(parseCclk(text), null, text);
      }
    });
  });

  describe('SimulatedClock', () => {
    it('runs on from the time it was set, as an offset from real time', () => {
      let real = Date.UTC(2030, 0, 1);
      const clock = new SimulatedClock(() => real);
      clock.set(new Date(Date.UTC(2024, 5, 1, 12, 0, 0)), 4);
      real += 90_000;
      assert.equal(clock.now().toISOString(), '2024-06-01T12:01:30.000Z');
      assert.equal(clock.read(), '24/06/01,13:01:30+04');
      clock.reset();
      assert.equal(clock.now().getTime(), real);
    });

    it('refuses a zone out of range', () => {
      assert.throws(() => new SimulatedClock().set(0, 49), /zoneQuarters/);
    });
  });

  describe('over AT', () => {
    let real: number;
    let modem: SimulatedModem;
    let wire: Wire;

    beforeEach(async () => {
      real = Date.UTC(2025, 2, 3, 4, 5, 6);
      modem = createGenericModem({ now: () => real });
      wire = new Wire(modem);
      await exchange(modem, 'ATE0\r');
      wire.clear();
    });

    afterEach(() => {
      wire.detach();
      modem.close();
    });

    it('starts at real time, zone +00', async () => {
      await exchange(modem, 'AT+CCLK?\r');
      assert.equal(wire.text, '\r\n+CCLK: "25/03/03,04:05:06+00"\r\n\r\nOK\r\n');
    });

    it('is set by AT+CCLK= and keeps running', async () => {
      await exchange(modem, 'AT+CCLK="20/01/02,03:04:05-20"\r');
      real += 61_000;
      await exchange(modem, 'AT+CCLK?\r');
      assert.equal(wire.text, '\r\nOK\r\n\r\n+CCLK: "20/01/02,03:05:06-20"\r\n\r\nOK\r\n');
      assert.equal(modem.clock.now().toISOString(), '2020-01-02T08:05:06.000Z');
    });

    it('answers an invalid time with +CME ERROR 50 per +CMEE and keeps the old time', async () => {
      await exchange(modem, 'AT+CCLK="24/02/30,00:00:00+00"\r');
      await exchange(modem, 'AT+CMEE=1\rAT+CCLK=24/01/01,00:00:00+00\r');
      await exchange(modem, 'AT+CMEE=2\rAT+CCLK="24/01/01,00:00:00+99"\rAT+CCLK=\r');
      assert.equal(
        wire.text,
        '\r\nERROR\r\n' +
          '\r\nOK\r\n\r\n+CME ERROR: 50\r\n' +
          '\r\nOK\r\n\r\n+CME ERROR: Incorrect parameters\r\n\r\n+CME ERROR: Incorrect parameters\r\n',
      );
      assert.equal(modem.clock.now().getTime(), real);
    });

    it('keeps its time across a reboot, like a real-time clock', async () => {
      await exchange(modem, 'AT+CCLK="20/01/02,03:04:05+00"\r');
      await modem.reboot();
      assert.equal(modem.clock.read(), '20/01/02,03:04:05+00');
    });
  });
});
