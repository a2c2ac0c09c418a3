import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

// Compiled beside this test: dist/test/unit/simulator → dist/src/simulator/cli.js.
const CLI = path.resolve(__dirname, '../../../src/simulator/cli.js');

interface Run {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (data: Buffer) => (out += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (err += data.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

function firstLine(r: Run, timeoutMs = 5000): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const end = r.stdout().indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      r.child.stdout!.off('data', check);
      resolve(r.stdout().slice(0, end));
    };
    const timer = setTimeout(() => {
      r.child.stdout!.off('data', check);
      reject(new Error(`the CLI printed no line; stderr: ${r.stderr()}`));
    }, timeoutMs);
    r.child.stdout!.on('data', check);
    check();
  });
}

describe('simulator: modem-tls-sim CLI', () => {
  let current: Run | undefined;

  afterEach(async () => {
    if (current && current.child.exitCode === null && current.child.signalCode === null) {
      current.child.kill('SIGKILL');
      await current.exited;
    }
    current = undefined;
  });

  it('listens on the TCP port the system chose, answers AT, and exits cleanly on SIGTERM', async () => {
    current = run(['--tcp', '0']);
    const line = await firstLine(current);
    const match = /^generic modem listening on 127\.0\.0\.1:(\d+)$/.exec(line);
    assert.ok(match, `unexpected first line: ${line}`);
    const port = Number(match[1]);
    assert.ok(port > 0);

    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let text = '';
      socket.on('error', reject);
      socket.on('data', (data: Buffer) => {
        text += data.toString('latin1');
        if (text.includes('OK\r\n')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.write('AT+CGMI\r');
    });
    assert.equal(answer, 'AT+CGMI\r\r\nSimulated\r\n\r\nOK\r\n');

    current.child.kill('SIGTERM');
    assert.deepEqual(await current.exited, { code: 0, signal: null });
    assert.equal(current.stderr(), '');
  });

  it('prints the pseudo-terminal path with --pty', async () => {
    current = run(['--pty']);
    assert.match(await firstLine(current), /^generic modem listening on \/dev\/pts\/\d+$/);
    current.child.kill('SIGINT');
    assert.deepEqual(await current.exited, { code: 0, signal: null });
  });

  it('refuses an unknown vendor with exit code 2, listing those available', async () => {
    current = run(['--tcp', '0', '--vendor', 'acme']);
    assert.deepEqual(await current.exited, { code: 2, signal: null });
    assert.match(current.stderr(), /--vendor: unknown vendor "acme"; available: generic, telit/);
  });

  it('refuses a missing or doubled transport and a bad number with exit code 2', async () => {
    for (const args of [[], ['--tcp', '0', '--pty'], ['--tcp', '70000'], ['--pty', '--baud', 'fast'], ['--bogus']]) {
      current = run(args);
      const { code } = await current.exited;
      assert.equal(code, 2, `${args.join(' ')}: ${current.stderr()}`);
      assert.match(current.stderr(), /^modem-tls-sim: .+\nTry --help\.\n$/);
    }
  });

  it('prints its usage with --help', async () => {
    current = run(['--help']);
    assert.deepEqual(await current.exited, { code: 0, signal: null });
    assert.match(current.stdout(), /^Usage: modem-tls-sim/);
    assert.match(current.stdout(), /--vendor <name>.*available: generic/);
  });
});
