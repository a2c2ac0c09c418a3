/**
 * The bridge figures' arithmetic (bench/bridge-ceiling.ts): MQTT's bytes on the wire, checked
 * against the MQTT encoder the broker and the client use (mqtt-packet), and the protocol ceiling
 * of a round trip in online and in command mode.
 */
import { strict as assert } from 'node:assert';
import { bridgeCeiling, publishBytes, PUBACK_BYTES, remainingLengthBytes, roundTripBytes } from '../../../bench/bridge-ceiling';
import { vendorRecord } from '../../../src/adapters/registry';
import { transferTime, type TransferMethod, type TransferMethods } from '../../../src/adapters/transfer';

// The encoder aedes and mqtt.js write with.
const mqttPacket = require('mqtt-packet') as { generate(packet: Record<string, unknown>): Buffer };

const TOPIC = 'bench/bridge';

describe('bridge figures: MQTT bytes and protocol ceilings (bench/bridge-ceiling.ts)', () => {
  it('a PUBLISH and a PUBACK count as many bytes as the MQTT encoder writes, across the Remaining Length boundaries', () => {
    for (const payload of [0, 1, 64, 113, 114, 16370, 16371, 16384, 65536, 2097140]) {
      for (const qos of [0, 1] as const) {
        const packet = mqttPacket.generate({ cmd: 'publish', topic: TOPIC, payload: Buffer.alloc(payload), qos, ...(qos > 0 ? { messageId: 7 } : {}) });
        assert.equal(publishBytes(TOPIC.length, payload, qos), packet.length, `QoS ${qos}, ${payload}-byte payload`);
      }
    }
    assert.equal(PUBACK_BYTES, mqttPacket.generate({ cmd: 'puback', messageId: 7 }).length);
  });

  it('Remaining Length takes 1 to 4 bytes (MQTT 3.1.1 §2.2.3) and refuses what it cannot encode', () => {
    assert.deepEqual([0, 127, 128, 16383, 16384, 2097151, 2097152, 268435455].map(remainingLengthBytes), [1, 1, 2, 2, 3, 3, 4, 4]);
    assert.throws(() => remainingLengthBytes(268435456), /268435456 is outside 0\.\.268435455/);
  });

  it('a round trip: each message up and down once, QoS 1 adding a PUBACK each way', () => {
    assert.deepEqual(roundTripBytes(TOPIC.length, 64, 0, 10), { up: 800, down: 800 });
    assert.deepEqual(roundTripBytes(TOPIC.length, 64, 1, 10), { up: 10 * (82 + 4), down: 10 * (82 + 4) });
  });

  it('online mode: raw bytes both ways at once, plus the last message’s share of the slower direction', () => {
    const transfer = vendorRecord('telit').transfer;
    // 921600 baud carries 92.16 bytes a millisecond each way.
    const c = bridgeCeiling({ transfer, mode: 'online', up: 92160, down: 46080, messages: 10, baudRate: 921600, sendBatch: 65536 });
    assert.equal(c.upMs, 1000);
    assert.equal(c.downMs, 500);
    assert.equal(c.ms, 1000 + 50, 'every byte up, then the last message down');
    assert.equal(c.limitedBy, 'pipeline');
    assert.deepEqual({ host: c.hostBytes, module: c.moduleBytes }, { host: 92160, module: 46080 });
    assert.equal(c.method, 'raw bytes at the line rate both ways');
    // One message: up, then down, nothing overlaps.
    assert.equal(bridgeCeiling({ transfer, mode: 'online', up: 9216, down: 9216, messages: 1, baudRate: 921600, sendBatch: 65536 }).ms, 200);
  });

  /** A method of `chunk`-byte chunks costing `overhead` bytes each way per chunk. */
  const method = (name: string, flow: 'turns' | 'stream', chunk: number, overhead: number, direction: 'up' | 'down'): TransferMethod => ({
    name,
    chunk,
    perChunk: {
      hostBytes: (n) => overhead + (direction === 'up' ? n : 0),
      moduleBytes: (n) => overhead + (direction === 'down' ? n : 0),
      flow,
    },
  });

  it('command mode, both methods taking turns: one command at a time on the port, so the two directions add up', () => {
    const asked: number[] = [];
    const send = method('send', 'turns', 1000, 10, 'up');
    const receive = method('receive', 'turns', 1000, 10, 'down');
    const transfer: TransferMethods = { send: (n) => (asked.push(n), send), receive: () => receive };
    const c = bridgeCeiling({ transfer, mode: 'command', up: 5000, down: 5000, messages: 50, baudRate: 115200, sendBatch: 2048 });
    assert.deepEqual(asked, [2048, 904], 'sends of at most the bridge’s batch: two full ones and the rest');
    const up = 2 * transferTime(send, 2048, 115200).ms + transferTime(send, 904, 115200).ms;
    const down = transferTime(receive, 5000, 115200).ms;
    assert.ok(Math.abs(c.upMs - up) < 1e-9 && Math.abs(c.downMs - down) < 1e-9, JSON.stringify(c));
    assert.ok(Math.abs(c.ms - (up + down)) < 1e-9, `turns: ${c.ms} ≠ ${up} + ${down}`);
    assert.equal(c.limitedBy, 'turns');
    assert.equal(c.method, 'up: send; down: receive');
  });

  it('command mode, both methods streaming: the directions overlap, the pipeline or a busier line sets the pace', () => {
    const transfer: TransferMethods = { send: () => method('frames up', 'stream', 1500, 8, 'up'), receive: () => method('frames down', 'stream', 1500, 8, 'down') };
    const c = bridgeCeiling({ transfer, mode: 'command', up: 15000, down: 15000, messages: 100, baudRate: 921600, sendBatch: 65536 });
    // Each direction: 15000 bytes, its own 10 chunks' 8 bytes each and the other direction's 10 × 8.
    const perDirection = (15000 + 160) / 92.16;
    assert.ok(Math.abs(c.hostBytes - 15160) < 1e-9 && Math.abs(c.moduleBytes - 15160) < 1e-9, JSON.stringify(c));
    assert.ok(c.ms >= perDirection, 'never faster than a direction’s own bytes');
    assert.ok(c.ms < 2 * perDirection, 'the directions overlap');
  });

  it('command mode with a real vendor description (u-blox: commands both ways) never beats the line, nor the online ceiling', () => {
    const transfer = vendorRecord('ublox').transfer;
    const { up, down } = roundTripBytes(TOPIC.length, 16384, 1, 16);
    const command = bridgeCeiling({ transfer, mode: 'command', up, down, messages: 16, baudRate: 921600, sendBatch: 65536 });
    const online = bridgeCeiling({ transfer, mode: 'online', up, down, messages: 16, baudRate: 921600, sendBatch: 65536 });
    assert.ok(command.ms > online.ms, `${command.ms} ms in command mode, ${online.ms} ms online`);
    assert.ok(command.hostBytes > up && command.moduleBytes > down, 'commands and answers on top of the MQTT bytes');
    assert.match(command.method, /^up: .+; down: .+$/);
  });
});
