/**
 * `modem-tls-sim --vendor telit --platform <id>`: the Telit dialect behind the CLI's TCP port.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { SIMULATED_VENDORS } from '../../../src/simulator';

const CLI = path.resolve(__dirname, '../../../src/simulator/cli.js');

function run(args: string[]): { child: ChildProcess; output: Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const output = new Promise<string>((resolve) => {
    const collect = (data: Buffer): void => {
      text += data.toString();
      if (text.includes('\n')) resolve(text);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

describe('simulator: modem-tls-sim --vendor telit', () => {
  it('plays the platform asked for', async () => {
    const cli = run(['--vendor', 'telit', '--platform', '12', '--tcp', '0']);
    try {
      const line = await cli.output;
      const m = /^telit 12 modem listening on 127\.0\.0\.1:(\d+)\n/.exec(line);
      assert.ok(m, line);
      const socket = net.connect(Number(m[1]), '127.0.0.1');
      let answer = '';
      await new Promise<void>((resolve, reject) => {
        socket.on('error', reject);
        socket.on('data', (data: Buffer) => {
          answer += data.toString('latin1');
          if (answer.endsWith('OK\r\n')) resolve();
        });
        socket.write('AT+CGMM\r');
      });
      socket.destroy();
      assert.equal(answer, 'AT+CGMM\r\r\nHE910\r\n\r\nOK\r\n');
    } finally {
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0);
    }
  });

  it('refuses a platform the vendor does not have, with exit code 2', async () => {
    const cli = run(['--vendor', 'telit', '--platform', '99', '--tcp', '0']);
    assert.match(await cli.output, /modem-tls-sim: platform: unknown Telit platform "99"/);
    assert.equal(await cli.exited, 2);
  });

  it('is registered for the CLI with platform 30 by default', () => {
    const modem = SIMULATED_VENDORS.telit({ powerOn: false });
    try {
      assert.equal(modem.profile.model, 'ME910C1-WW');
    } finally {
      modem.close();
    }
  });
});
