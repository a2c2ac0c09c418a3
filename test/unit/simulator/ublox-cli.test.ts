/**
 * `modem-tls-sim --vendor ublox [--platform <id>]`: the u-blox dialect behind the CLI's TCP port.
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

function ask(port: number, line: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('error', reject);
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      if (answer.endsWith('OK\r\n') || /ERROR.*\r\n$/.test(answer)) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.write(`${line}\r`);
  });
}

describe('simulator: modem-tls-sim --vendor ublox', () => {
  it('plays SARA-R5 by default and the platform asked for', async () => {
    for (const [args, label, chip] of [
      [[], 'ublox', 'SARA-R510M8S'],
      [['--platform', 'generic'], 'ublox generic', 'u-blox simulated (all options)'],
    ] as const) {
      const cli = run(['--vendor', 'ublox', ...args, '--tcp', '0']);
      try {
        const line = await cli.output;
        const m = new RegExp(`^${label} modem listening on 127\\.0\\.0\\.1:(\\d+)\\n`).exec(line);
        assert.ok(m, line);
        assert.equal(await ask(Number(m[1]), 'AT+CGMM'), `AT+CGMM\r\r\n${chip}\r\n\r\nOK\r\n`);
      } finally {
        cli.child.kill('SIGTERM');
        assert.equal(await cli.exited, 0);
      }
    }
  });

  it('refuses a platform it does not have, with exit code 2', async () => {
    const cli = run(['--vendor', 'ublox', '--platform', 'TOBY-L2', '--tcp', '0']);
    assert.match(await cli.output, /modem-tls-sim: platform: unknown u-blox platform "TOBY-L2"; available: SARA-R5, generic/);
    assert.equal(await cli.exited, 2);
  });

  it('is registered in SIMULATED_VENDORS', () => {
    const modem = SIMULATED_VENDORS.ublox!({ powerOn: false });
    try {
      assert.equal(modem.profile.manufacturer, 'u-blox');
    } finally {
      modem.close();
    }
  });
});
