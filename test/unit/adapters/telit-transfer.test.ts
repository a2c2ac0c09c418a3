/**
 * Telit's transfer methods as bytes on the wire: each count is the transcript of the method — the
 * same bytes the adapter tests play — so the ceilings `npm run bench` divides by, and the choices
 * the adapter makes, come from what actually crosses the line.
 */
import { strict as assert } from 'node:assert';
import { telitCapabilities } from '../../../src/adapters/telit/adapter';
import { telitVendor } from '../../../src/adapters/telit';
import { SSLCFG_ROWS } from '../../../src/adapters/telit/options';
import { TELIT_PLATFORMS } from '../../../src/adapters/telit/platforms';
import {
  chooseSend,
  ESCAPE,
  MAX_RECV,
  onlineSend,
  receiveMethod,
  sringData,
  SSLRECV_READS,
  SSLSEND,
  SSLSENDEXT,
} from '../../../src/adapters/telit/transfer';
import { transferTime } from '../../../src/adapters/transfer';
import { framed } from '../../support/transcript';

const bytes = (...parts: Array<string | number>): number => parts.reduce<number>((n, part) => n + (typeof part === 'number' ? part : Buffer.byteLength(part, 'latin1')), 0);

describe('Telit transfer methods (transfer.ts)', () => {
  it('#SSLSENDEXT: the command with the count, the prompt, the bytes, OK', () => {
    assert.equal(SSLSENDEXT.chunk, 1500);
    assert.equal(SSLSENDEXT.perChunk.hostBytes(1500), bytes('AT#SSLSENDEXT=1,1500\r', 1500));
    assert.equal(SSLSENDEXT.perChunk.hostBytes(7), bytes('AT#SSLSENDEXT=1,7\r', 7));
    assert.equal(SSLSENDEXT.perChunk.moduleBytes(1500), bytes('\r\n> ', framed('OK')));
    assert.equal(SSLSENDEXT.perChunk.flow, 'turns');
  });

  it('#SSLSEND: the command, the prompt, the text and Ctrl-Z, OK', () => {
    assert.equal(SSLSEND.chunk, 1023);
    assert.equal(SSLSEND.perChunk.hostBytes(1023), bytes('AT#SSLSEND=1\r', 1023, '\x1a'));
    assert.equal(SSLSEND.perChunk.moduleBytes(1023), bytes('\r\n> ', framed('OK')));
  });

  it('ONLINE mode: #SSLO and CONNECT, the raw bytes streaming, +++ and OK, and the guard time before and after the escape', () => {
    const method = onlineSend(1000, 262144);
    assert.equal(method.perChunk.flow, 'stream');
    assert.equal(method.perChunk.hostBytes(262144), 262144);
    assert.deepEqual(method.once, { hostBytes: bytes('AT#SSLO=1\r', '+++'), moduleBytes: bytes(framed('CONNECT'), framed('OK')), waitMs: 2000 });
    assert.equal(ESCAPE.guardMs, 1000, 'S12 = 50 fiftieths of a second');
    const time = transferTime(method, 262144, 115200);
    assert.equal(Math.round(time.ms), Math.round(((262144 + bytes('AT#SSLO=1\r', '+++', framed('CONNECT'), framed('OK'))) * 10 * 1000) / 115200 + 2000));
  });

  it('SSLSRING mode 2 pushes the data in the URC (stream); mode 1 announces and #SSLRECV reads it (turns)', () => {
    const ring = sringData(1300);
    assert.equal(ring.perChunk.moduleBytes(1300), bytes('\r\nSSLSRING: 1,1300,', 1300, '\r\n'));
    assert.equal(ring.perChunk.hostBytes(1300), 0);
    assert.equal(SSLRECV_READS.chunk, MAX_RECV);
    assert.equal(SSLRECV_READS.perChunk.hostBytes(1000), bytes('AT#SSLRECV=1,1000\r'));
    assert.equal(SSLRECV_READS.perChunk.moduleBytes(1000), bytes(framed('SSLSRING: 1,1000'), '\r\n#SSLRECV: 1000\r\n', 1000, framed('OK')));
  });

  it('chooses ONLINE mode only where its ceiling, guard times included, beats #SSLSENDEXT', () => {
    for (const baud of [115200, 921600]) {
      for (const guard of [20, 400, 1000]) {
        for (const size of [1500, 64 * 1024, 256 * 1024, 1 << 20, 4 << 20, 16 << 20]) {
          const choice = chooseSend(size, baud, { text: false, onlineGuardMs: guard });
          const online = transferTime(onlineSend(guard, size), size, baud).ms;
          const command = transferTime(SSLSENDEXT, size, baud).ms;
          assert.equal(choice.kind, online < command ? 'online' : 'binary', `${size} bytes at ${baud} with ${guard} ms guards`);
        }
      }
    }
    // Where the line rate is unknown no ONLINE method is offered at all.
    assert.equal(chooseSend(64 << 20, 115200, { text: false }).kind, 'binary');
    // 256 KiB with the default guard time: COMMAND mode at both rates.
    assert.equal(telitVendor.transfer!.send(256 * 1024, 115200).name, SSLSENDEXT.name);
    assert.equal(telitVendor.transfer!.send(256 * 1024, 921600).name, SSLSENDEXT.name);
    assert.match(telitVendor.transfer!.send(16 << 20, 115200).name, /^ONLINE mode/);
  });

  it('receiving: <sslSRingMode> 2, our profiles\' default, is what the record describes; on 3G/4G it is also the fewer bytes', () => {
    assert.equal(SSLCFG_ROWS.find((r) => r.name === 'sslSRingMode')?.default, 2);
    assert.equal(telitVendor.transfer!.receive(256 * 1024, 921600).chunk, TELIT_PLATFORMS['30'].sringChunk);
    assert.equal(receiveMethod(2, 1300).kind, 'sring-data');
    assert.equal(receiveMethod(1, 1300).kind, 'read');
    for (const size of [100, 256 * 1024]) {
      for (const baud of [115200, 921600]) {
        assert.ok(transferTime(sringData(1300), size, baud).ms < transferTime(SSLRECV_READS, size, baud).ms);
      }
    }
    // 2G: 256-byte URCs carry a little more framing than 1000-byte reads; mode 2 stays the default
    // (no read commands on the port the modem's flows share).
    const twoG = transferTime(sringData(256), 256 * 1024, 115200).ofLineRate;
    const reads = transferTime(SSLRECV_READS, 256 * 1024, 115200).ofLineRate;
    assert.ok(twoG > 0.92 && reads - twoG < 0.02, `${twoG} vs ${reads}`);
  });

  it('the capabilities name the same chunk limits the methods use', () => {
    const caps = telitCapabilities('30');
    assert.equal(caps.sockets.maxSendChunk, SSLSENDEXT.chunk);
    assert.equal(caps.sockets.maxReceiveChunk, MAX_RECV);
  });
});
