/**
 * u-blox bulk data: the transfer model (bytes on the wire per method, from the command builder)
 * and the adapter choosing by it — +USOWR's HEX mode, direct link (+USODL) both ways — against
 * scripted transcripts, byte for byte (SARA-R4 AT commands manual UBX-17003787 §19.10, §19.12,
 * §19.16, §19.22; SARA-R5 UBX-19047455 "Internet protocol transport layer"), with ATE0.
 */
import { strict as assert } from 'node:assert';
import { ModemError } from '../../../src/at';
import { vendorRecord } from '../../../src/adapters/registry';
import { transferTime } from '../../../src/adapters/transfer';
import { UbloxAdapter } from '../../../src/adapters/ublox/adapter';
import { ubloxDialect } from '../../../src/adapters/ublox/dialect';
import { chooseReceive, chooseSend, directLinkReceive, directLinkSend, ubloxTransfer, USORD_READS, USOWR_BINARY, USOWR_HEX } from '../../../src/adapters/ublox/transfer';
import { framed } from '../../support/transcript';
import { opened, write } from '../../support/ublox-steps';
import { closeEngines, done, engineRig, type EngineRig } from '../../support/adapter-rig';

function rig(options: ConstructorParameters<typeof UbloxAdapter>[1] = {}): EngineRig & { adapter: UbloxAdapter } {
  const r = engineRig(ubloxDialect);
  return { ...r, adapter: new UbloxAdapter(r.engine, options) };
}



/** Every byte value, and the answers a parser could take for its own. */
function payload(length: number): Buffer {
  const traps = Buffer.from('\r\nDISCONNEC\r\nOK\r\n"@+++\r\nCONNECT\r\n', 'latin1');
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + (i >> 9)) & 0xff;
  traps.copy(out, Math.min(100, Math.max(0, length - traps.length)));
  return out;
}

/** Collects what the adapter pushes as `data` on `socket`. */
function collect(adapter: UbloxAdapter, socket: string): { chunks: Buffer[]; all(): Buffer; until(n: number): Promise<Buffer> } {
  const chunks: Buffer[] = [];
  const waiters: Array<() => void> = [];
  adapter.on('data', (s: string, d: Buffer) => {
    if (s !== socket) return;
    chunks.push(d);
    for (const w of waiters.splice(0)) w();
  });
  const all = (): Buffer => Buffer.concat(chunks);
  return {
    chunks,
    all,
    async until(n) {
      while (all().length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      return all();
    },
  };
}

describe('u-blox bulk data (transfer.ts)', function () {
  this.timeout(10000);
  afterEach(closeEngines);

  describe('the model: bytes on the wire per method, from the command builder', () => {
    it('+USOWR binary syntax: the command, `@`, the data after 50 ms, +USOWR and OK', () => {
      const c = USOWR_BINARY.perChunk;
      assert.equal(USOWR_BINARY.chunk, 1024);
      assert.equal(c.hostBytes(1024), 'AT+USOWR=0,1024\r'.length + 1024);
      assert.equal(c.moduleBytes(1024), '@\r\n+USOWR: 0,1024\r\n\r\nOK\r\n'.length);
      assert.equal(c.waitMs, 50);
      assert.equal(c.flow, 'turns');
    });

    it('HEX mode: twice the digits in the command line, 512 bytes a command, +UDCONF=1 on and off once', () => {
      const c = USOWR_HEX.perChunk;
      assert.equal(USOWR_HEX.chunk, 512);
      assert.equal(c.hostBytes(512), `AT+USOWR=0,512,"${'00'.repeat(512)}"\r`.length);
      assert.equal(c.moduleBytes(512), '\r\n+USOWR: 0,512\r\n\r\nOK\r\n'.length);
      assert.equal(c.waitMs ?? 0, 0);
      assert.deepEqual(USOWR_HEX.once, { hostBytes: 'AT+UDCONF=1,1\rAT+UDCONF=1,0\r'.length, moduleBytes: 12, waitMs: 0 });
    });

    it('direct link: raw bytes streamed; +USODL and CONNECT, +++ and DISCONNECT, two guard times to send and one to take a backlog', () => {
      const send = directLinkSend(1000);
      assert.deepEqual([send.perChunk.hostBytes(4096), send.perChunk.moduleBytes(4096), send.perChunk.flow], [4096, 0, 'stream']);
      assert.deepEqual(send.once, { hostBytes: 'AT+USODL=0\r+++'.length, moduleBytes: '\r\nCONNECT\r\n\r\nDISCONNECT\r\n'.length, waitMs: 2000 });
      const receive = directLinkReceive(1000);
      assert.deepEqual([receive.perChunk.hostBytes(4096), receive.perChunk.moduleBytes(4096)], [0, 4096]);
      assert.equal(receive.once?.waitMs, 1000);
    });

    it('+USORD: the command; the data between quotes, OK, and the rest announced again', () => {
      const c = USORD_READS.perChunk;
      assert.equal(c.hostBytes(1024), 'AT+USORD=0,1024\r'.length);
      assert.equal(c.moduleBytes(1024), `\r\n+USORD: 0,1024,"${'x'.repeat(1024)}"\r\n\r\nOK\r\n\r\n+UUSORD: 0,1024\r\n`.length);
    });

    it('chooses the quickest for the size and the rate; the vendor record carries the same description', () => {
      const kinds = (n: number, baud: number): string => `${chooseSend(n, baud).kind}/${chooseReceive(n, baud).kind}`;
      assert.equal(kinds(100, 115200), 'hex/read');
      assert.equal(kinds(16 * 1024, 115200), 'binary/read');
      assert.equal(kinds(64 * 1024, 115200), 'direct-link/read');
      assert.equal(kinds(1024 * 1024, 115200), 'direct-link/direct-link');
      assert.equal(kinds(16 * 1024, 921600), 'hex/read');
      assert.equal(kinds(256 * 1024, 921600), 'direct-link/read');
      // A short guard time makes direct link worth it sooner.
      assert.equal(chooseSend(16 * 1024, 921600, 40).kind, 'direct-link');
      assert.equal(vendorRecord('ublox').transfer, ubloxTransfer);
      const t = transferTime(ubloxTransfer.send(256 * 1024, 921600), 256 * 1024, 921600);
      assert.ok(t.ofLineRate > 0.58 && t.ofLineRate < 0.6, String(t.ofLineRate));
    });
  });

  describe('the adapter, with the line rate of its serial port', () => {
    it('HEX mode at 921600: S12 asked once, +UDCONF=1,1, chunks of 512 as hex digits, +UDCONF=1,0; the trace shows sizes, not data', async () => {
      const { link, adapter, traces } = rig({ baudRate: 921600 });
      await opened(link, adapter, 1);
      const data = payload(600);
      const hex = (b: Buffer): string => b.toString('hex').toUpperCase();
      link.expect(
        { host: 'ATS12?\r', modem: framed('050', 'OK') },
        write('AT+UDCONF=1,1'),
        { host: `AT+USOWR=1,512,"${hex(data.subarray(0, 512))}"\r`, modem: framed('+USOWR: 1,512', 'OK') },
        { host: `AT+USOWR=1,88,"${hex(data.subarray(512))}"\r`, modem: framed('+USOWR: 1,88', 'OK') },
        write('AT+UDCONF=1,0'),
      );
      assert.equal(await adapter.send('1', data), 600);
      link.expect(write('AT+UDCONF=1,1'), { host: 'AT+USOWR=1,2,"0D0A"\r', modem: framed('+USOWR: 1,2', 'OK') }, write('AT+UDCONF=1,0'));
      assert.equal(await adapter.send('1', Buffer.from('\r\n')), 2);
      done(link);
      const sent = traces.filter((t) => t.dir === 'tx' && t.kind === 'command').map((t) => t.text);
      assert.ok(sent.includes('AT+USOWR=1,512,"<512 bytes in hex>"'), sent.join(' | '));
    });

    it('HEX mode left on by a send cut short is switched off before the next read', async () => {
      const { link, adapter } = rig({ baudRate: 921600 });
      await opened(link, adapter, 1);
      link.expect(
        { host: 'ATS12?\r', modem: framed('050', 'OK') },
        write('AT+UDCONF=1,1'),
        { host: 'AT+USOWR=1,2,"6869"\r', modem: framed('+USOWR: 1,2', 'OK') },
        { host: 'AT+UDCONF=1,0\r', modem: framed('ERROR') },
      );
      assert.equal(await adapter.send('1', Buffer.from('hi')), 2);
      link.expect(write('AT+UDCONF=1,0'), { host: 'AT+USORD=1,10\r', modem: '\r\n+USORD: 1,2,"ho"\r\n\r\nOK\r\n' });
      assert.equal((await adapter.receive('1', 10)).toString(), 'ho');
      done(link);
    });

    it('direct link to send: +USODL, CONNECT, the data; what the server sends comes as data meanwhile; a guard time, +++, DISCONNECT; a URC in the same read is published', async () => {
      const { link, adapter, traces } = rig({ baudRate: 921600 });
      await opened(link, adapter, 1);
      const got = collect(adapter, '1');
      const data = payload(16 * 1024);
      link.expect(
        { host: 'ATS12?\r', modem: framed('002', 'OK') },
        // The socket's first bytes in the same read as CONNECT.
        { host: 'AT+USODL=1\r', modem: framed('CONNECT') + 'early,' },
        { host: data, modem: 'during\r\nOK\r\n,' },
        { host: '+++', modem: 'last' + framed('DISCONNECT') + framed('+UUSORD: 1,4') },
        { host: 'AT+USORD=1,4\r', modem: '\r\n+USORD: 1,4,"late"\r\n\r\nOK\r\n' },
      );
      assert.equal(await adapter.send('1', data), data.length);
      assert.equal((await got.until(27)).toString('latin1'), 'early,during\r\nOK\r\n,lastlate');
      done(link);
      assert.ok(traces.some((t) => t.dir === 'tx' && t.kind === 'command' && t.text === 'AT+USODL=1'));
    });

    it('a receive waiting for data gets what direct link brings; a URC just before CONNECT is published like any other', async () => {
      const { link, engine, adapter } = rig({ baudRate: 921600 });
      await opened(link, adapter, 1);
      const urcs: string[] = [];
      engine.on('urc', (u: { raw: string }) => urcs.push(u.raw));
      link.expect({ host: 'AT+USORD=1,100\r', modem: framed('+USORD: 1,0,""', 'OK') });
      const waiting = adapter.receive('1', 100, 5000);
      await new Promise((r) => setTimeout(r, 30));
      const data = payload(16 * 1024);
      link.expect(
        { host: 'ATS12?\r', modem: framed('002', 'OK') },
        { host: 'AT+USODL=1\r', modem: framed('+UUSORD: 4,5', 'CONNECT') },
        { host: data, modem: 'pong' },
        { host: '+++', modem: framed('DISCONNECT') },
      );
      assert.equal(await adapter.send('1', data), data.length);
      assert.equal((await waiting).toString(), 'pong');
      done(link);
      assert.deepEqual(urcs, ['+UUSORD: 4,5']);
    });

    it('direct link to take a large backlog (+UUSORD) at 115200: its bytes come as data; the escape follows once they are in', async () => {
      const { link, adapter } = rig({ baudRate: 115200 });
      await opened(link, adapter, 1);
      const got = collect(adapter, '1');
      const backlog = payload(20000);
      link.expect(
        { host: 'ATS12?\r', modem: framed('002', 'OK') },
        { host: 'AT+USODL=1\r', modem: Buffer.concat([Buffer.from(framed('CONNECT')), backlog]) },
        { host: '+++', modem: framed('DISCONNECT') },
      );
      link.feed(framed('+UUSORD: 1,20000'));
      assert.ok((await got.until(backlog.length)).equals(backlog));
      await new Promise((r) => setTimeout(r, 200));
      done(link);
    });

    it('the module leaving direct link by itself while bytes are on the line fails the send, saying so; +UUSOCL after it ends the connection', async () => {
      const { link, adapter } = rig({ baudRate: 921600 });
      await opened(link, adapter, 1);
      const closed: string[] = [];
      adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      const data = payload(16 * 1024);
      link.expect(
        { host: 'ATS12?\r', modem: framed('002', 'OK') },
        { host: 'AT+USODL=1\r', modem: framed('CONNECT') },
        { host: data, modem: framed('DISCONNECT', '+UUSOCL: 1') },
      );
      await assert.rejects(adapter.send('1', data), (err: ModemError) => {
        assert.equal(err.command, 'AT+USODL=1');
        assert.match(err.message, /left direct link \(DISCONNECT\) before the send was over — about \d+ of 16384 bytes did not reach the connection/);
        return true;
      });
      done(link);
      assert.deepEqual(closed, ['1: closed by the server']);
    });

    it('an escape the module took for data (no DISCONNECT): a second one after another guard time ends direct link, and the send says the server got "+++"', async () => {
      const { link, adapter } = rig({ baudRate: 921600 });
      await opened(link, adapter, 1);
      const data = payload(16 * 1024);
      link.expect(
        { host: 'ATS12?\r', modem: framed('002', 'OK') },
        { host: 'AT+USODL=1\r', modem: framed('CONNECT') },
        { host: data },
        { host: '+++' },
        { host: '+++', modem: framed('DISCONNECT') },
      );
      await assert.rejects(adapter.send('1', data), /the module took the first \+\+\+ for data .* the server received "\+\+\+" after the data/);
      done(link);
    });

    it('+USODL refused: the send fails with the module\'s error, nothing else is written', async () => {
      const { link, adapter } = rig({ baudRate: 921600 });
      await opened(link, adapter, 1);
      link.expect({ host: 'ATS12?\r', modem: framed('ERROR') }, { host: 'AT+USODL=1\r', modem: framed('+CME ERROR: 3') });
      // S12 unknown: the default 1 s guard times, and 256 KiB still go fastest by direct link.
      await assert.rejects(adapter.send('1', payload(256 * 1024)), (err: ModemError) => {
        assert.deepEqual([err.kind, err.code, err.command], ['CME', 3, 'AT+USODL=1']);
        return true;
      });
      done(link);
    });
  });
});
