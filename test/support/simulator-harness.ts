/**
 * What the simulator's dialect tests share on the host's side: a terminal on one simulated module
 * (`HostSide`: send a line, get back exactly the bytes it answered, prompted uploads, waiting for
 * URCs), the `modem-tls-sim` CLI run as a child process and asked over its TCP port, and the TLS
 * servers a test starts, closed after it.
 *
 * Owns: the mechanics every dialect drives the same way. Must never: know a vendor's commands,
 * prompts or timers — the per-vendor harnesses in test/unit/simulator pass those in and add their
 * own steps (`attach`, `ready`, `importData` …).
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import type { SimulatedModem } from '../../src/simulator';
import { exchange, Wire } from '../unit/simulator/wire';
import { framed as frame } from './transcript';

export interface HostSideOptions {
  /** What the module prints before it takes a payload: `>` (u-blox), `> ` (Telit), CR LF `> ` (Fibocom). */
  prompt: string;
  /** How long `until` waits for a URC unless told otherwise, in ms. */
  untilMs?: number;
}

/** The host's end of one simulated module (or one AT instance of it), as a terminal emulator sees it. */
export class HostSide {
  readonly wire: Wire;

  constructor(
    readonly modem: SimulatedModem,
    private readonly options: HostSideOptions,
  ) {
    this.wire = new Wire(modem);
  }

  /** Sends `line` + CR and resolves with exactly what came back once the module is idle. */
  async at(line: string): Promise<string> {
    this.wire.clear();
    await exchange(this.modem, `${line}\r`);
    return this.wire.text;
  }

  /** Asserts the answer to `line` byte for byte. */
  async expect(line: string, ...answer: string[]): Promise<void> {
    assert.equal(await this.at(line), frame(...answer), `answer to ${line}`);
  }

  /** A transcript: each step a command line and the lines of its answer. */
  async transcript(steps: ReadonlyArray<readonly [string, ...string[]]>): Promise<void> {
    for (const [line, ...answer] of steps) await this.expect(line, ...answer);
  }

  /** `ATE0`, echoed itself as echo is on at power-up (V.250 §6.2.4). */
  async echoOff(): Promise<void> {
    assert.equal(await this.at('ATE0'), 'ATE0\r' + frame('OK'));
  }

  /** Sends `line`, waits for the prompt `marker`, sends `payload`; resolves with everything after the line. */
  async prompted(line: string, payload: Buffer | string, marker = this.options.prompt): Promise<string> {
    this.wire.clear();
    this.modem.receive(`${line}\r`);
    await this.wire.until(marker);
    this.modem.receive(payload);
    await this.modem.whenIdle();
    return this.wire.text;
  }

  /** Waits until the wire shows `expected` (since the last command), then for the module to be idle. */
  async until(expected: string | RegExp, timeoutMs = this.options.untilMs ?? 3000): Promise<string> {
    await this.wire.until(expected, timeoutMs);
    await this.modem.whenIdle();
    return this.wire.text;
  }

  /** Stops recording; the module keeps running (another port of it may still be in use). */
  detach(): void {
    this.wire.detach();
  }

  close(): void {
    this.detach();
    this.modem.close();
  }
}

/** Anything a test starts that must be stopped after it. */
export interface Closable {
  close(): Promise<void> | void;
}

/**
 * Call inside a `describe`: what the returned `keep` is given during a test is closed after it
 * (all at once, after the hooks registered before this call).
 */
export function closeAfterEach(): <T extends Closable>(thing: T) => T {
  let kept: Closable[] = [];
  afterEach(async () => {
    const closing = kept;
    kept = [];
    await Promise.all(closing.map((thing) => thing.close()));
  });
  return (thing) => {
    kept.push(thing);
    return thing;
  };
}

// Compiled beside this file: dist/test/support → dist/src/simulator/cli.js.
const CLI = path.resolve(__dirname, '../../src/simulator/cli.js');

export interface CliRun {
  child: ChildProcess;
  /** Everything printed (stdout and stderr) up to the end of the first line. */
  output: Promise<string>;
  exited: Promise<number | null>;
}

/** `modem-tls-sim <args>` as a child process. */
export function runCli(args: string[]): CliRun {
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

/**
 * Runs the CLI with `--tcp 0`, checks that its first line announces `label` on a local port, hands
 * that port to `use`, and then expects SIGTERM to end it with exit code 0.
 */
export async function withCliPort(args: string[], label: string, use: (port: number) => Promise<void>): Promise<void> {
  const cli = runCli([...args, '--tcp', '0']);
  try {
    const line = await cli.output;
    const m = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} modem listening on 127\\.0\\.0\\.1:(\\d+)\\n`).exec(line);
    assert.ok(m, line);
    await use(Number(m[1]));
  } finally {
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0);
  }
}

/** Sends each line on one connection (the port serves one host at a time), each once the previous answer has ended. */
export function askCli(port: number, ...lines: string[]): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const answers: string[] = [];
    let answer = '';
    socket.on('error', reject);
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      if (!answer.endsWith('OK\r\n') && !/ERROR.*\r\n$/.test(answer)) return;
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
