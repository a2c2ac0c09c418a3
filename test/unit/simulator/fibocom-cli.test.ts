/**
 * `modem-tls-sim --vendor fibocom`: the L610 dialect behind the CLI's TCP port, and its row in
 * `SIMULATED_VENDORS` (the factory the demo and the tests share).
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { SIMULATED_VENDORS, fibocomDevice } from '../../../src/simulator';

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

/** Sends each line on one connection (the port serves one host at a time), each after the previous answer. */
function ask(port: number, ...lines: string[]): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const answers: string[] = [];
    let answer = '';
    socket.on('error', reject);
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      if (!answer.endsWith('OK\r\n') && !/ERROR\r\n$/.test(answer)) return;
      answers.push(answer);
      answer = '';
      if (answers.length === lines.length) {
        socket.destroy();
        resolve(answers);
      } else {
        socket.write(`${lines[answers.length]}\r`);
      }
    });
    socket.write(`${lines[0]}\r`);
  });
}

describe('simulator: modem-tls-sim --vendor fibocom', () => {
  it('plays the L610', async () => {
    const cli = run(['--vendor', 'fibocom', '--tcp', '0']);
    try {
      const line = await cli.output;
      const m = /^fibocom modem listening on 127\.0\.0\.1:(\d+)\n/.exec(line);
      assert.ok(m, line);
      assert.deepEqual(await ask(Number(m[1]), 'AT+CGMM', 'AT+GTSSLFILE?'), [
        'AT+CGMM\r\r\nL610\r\n\r\nOK\r\n',
        'AT+GTSSLFILE?\r\r\n+GTSSLFILE: CERTFILE,0\r\n\r\n+GTSSLFILE: KEYFILE,0\r\n\r\n+GTSSLFILE: TRUSTFILE,0\r\n\r\nOK\r\n',
      ]);
    } finally {
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0);
    }
  });

  it('refuses a platform it does not have, with exit code 2', async () => {
    const cli = run(['--vendor', 'fibocom', '--platform', 'FM150', '--tcp', '0']);
    assert.match(await cli.output, /modem-tls-sim: platform: unknown Fibocom platform "FM150"; available: L610/);
    assert.equal(await cli.exited, 2);
  });

  it('is registered in SIMULATED_VENDORS', () => {
    const modem = SIMULATED_VENDORS.fibocom!({ powerOn: false });
    try {
      assert.equal(modem.profile.manufacturer, 'Fibocom');
      assert.deepEqual(modem.profile.banner, ['+SIM READY']);
      assert.ok(fibocomDevice(modem));
    } finally {
      modem.close();
    }
  });

  it('lists fibocom in --help', async () => {
    const cli = run(['--help']);
    assert.match(await cli.output, /--vendor <name> .*available: [a-z0-9, ]*\bfibocom\b/);
    assert.equal(await cli.exited, 0);
  });
});
