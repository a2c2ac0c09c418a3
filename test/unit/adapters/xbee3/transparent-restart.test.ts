/**
 * Transparent mode on the XBee3 (AP 0, not saved): a module that restarts comes back in API mode
 * and first sends a Modem Status "hardware reset" (7E 00 02 8A 00 75) or "watchdog reset" frame.
 * What comes before it is the connection's data; from it on, API frames — even when a read of
 * the serial port ends inside the frame.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { AtEngine } from '../../../../src/at/engine';
import type { ApiLink } from '../../../../src/adapters/xbee3/api-link';
import { Xbee3Sockets } from '../../../../src/adapters/xbee3/sockets';

const RESET = Buffer.of(0x7e, 0x00, 0x02, 0x8a, 0x00, 0x75);
const REGISTERED = Buffer.of(0x7e, 0x00, 0x02, 0x8a, 0x02, 0x73);

/** Sockets with a transparent-mode connection open (socket 255), and the data the flows got. */
function transparentSockets() {
  const events = new EventEmitter();
  const data: Buffer[] = [];
  const closed: string[] = [];
  events.on('data', (_socket: string, chunk: Buffer) => data.push(chunk));
  events.on('closed', (socket: string) => closed.push(socket));
  const sockets = new Xbee3Sockets({} as AtEngine, {} as ApiLink, { events, apiMode: () => 2 });
  // As `openTransparent` leaves it once the module took AP 0.
  const inner = sockets as unknown as { transparent: unknown; connections: { add(id: number, v: unknown): void } };
  const info = { socket: '255', host: 'example.com', port: 443, mode: 'online' };
  inner.transparent = info;
  inner.connections.add(255, { info });
  return { sockets, got: () => Buffer.concat(data), closed };
}

describe('XBee3 transparent mode: a restart of the module is seen in the data', () => {
  it('data before the Modem Status frame goes to the flows; the frame and what follows are handed back as API frames', () => {
    const { sockets, got } = transparentSockets();
    const before = Buffer.from('HTTP/1.1 200 OK\r\n~\x7e\x00');
    const frames = sockets.transparentData(Buffer.concat([before, RESET, REGISTERED]));
    assert.deepEqual(frames, Buffer.concat([RESET, REGISTERED]));
    assert.deepEqual(got(), before);
    assert.equal(sockets.transparentOpen, false, 'transparent mode is over');
  });

  it('a read that ends inside the frame: its start is held back, then recognised with the next read', () => {
    const { sockets, got } = transparentSockets();
    assert.equal(sockets.transparentData(Buffer.concat([Buffer.from('abc'), RESET.subarray(0, 3)])), undefined);
    assert.deepEqual(got(), Buffer.from('abc'), 'the possible start of a restart frame is not given out as data');
    assert.deepEqual(sockets.transparentData(Buffer.concat([RESET.subarray(3), REGISTERED])), Buffer.concat([RESET, REGISTERED]));
    assert.deepEqual(got(), Buffer.from('abc'));
  });

  it('bytes that only look like the start of such a frame are data: given out with the next read, or after a short wait', async () => {
    const { sockets, got } = transparentSockets();
    sockets.transparentData(Buffer.from([0x41, 0x7e, 0x00]));
    sockets.transparentData(Buffer.from([0x02, 0x42]));
    assert.deepEqual(got(), Buffer.from([0x41, 0x7e, 0x00, 0x02, 0x42]));
    sockets.transparentData(Buffer.from([0x43, 0x7e]));
    assert.deepEqual(got(), Buffer.from([0x41, 0x7e, 0x00, 0x02, 0x42, 0x43]));
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.deepEqual(got(), Buffer.from([0x41, 0x7e, 0x00, 0x02, 0x42, 0x43, 0x7e]), 'the held 0x7E came after the wait, in order');
    assert.equal(sockets.transparentOpen, true);
  });

  it('ending every connection (lost link, restart) ends the transparent one once (it is in the table with the rest)', () => {
    const { sockets, closed } = transparentSockets();
    sockets.transparentData(Buffer.from([0x7e]));
    sockets.endAll('the link to the modem was lost: unplugged');
    assert.deepEqual(closed, ['255']);
    assert.equal(sockets.transparentOpen, false);
  });
});
