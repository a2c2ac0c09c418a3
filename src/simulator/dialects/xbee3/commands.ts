/**
 * What the XBee3 Cellular does with a command: a command-mode line (`ATGT64`, `AT$1 ca.pem;;`,
 * `ATFS LS`) and the API-mode AT Command frame (0x08), both over the same registers.
 *
 * Owns: the command set — registers read and written, the read-only values (AI, CI, OD, NP, VR,
 * HV, HS, MY), AC/CN/WR/FR/RE, and ATFS with its YMODEM transfers. Must never: touch the wire
 * itself (everything goes through `CommandHost`) or answer in V.250 framing.
 *
 * XBee3 Cellular User Guide, "Send AT commands": "AT" + two characters + an optional value; a read
 * omits the value; answers end with CR only, no LF, and nothing is echoed (contract). Several
 * commands on one line are separated by commas ("ATNIMy XBee,AC"); each answers its own line and
 * the first failure ends the line (simulator's choice — the stored guide copies do not show the
 * answers of such a line). The space after the command is optional (`ATFS LS`, `ATDE1BB`), and
 * ATFS takes the rest of the line, commas included.
 */
import type { ApiFrame } from '../../../adapters/xbee3/api-frames';
import { sendYmodem, YmodemError } from '../../../adapters/xbee3/ymodem';
import { FsError, runFs } from './filesystem';
import { hexText, numberBytes, Registers } from './registers';
import type { Xbee3Device } from './state';
import { AI_CONNECTED, AT_STATUS, EXECUTE, IDENTITY, MAX_PAYLOAD, READ_ONLY, YMODEM_TIMING } from './tables';
import { YmodemReceiver, type YmodemOutcome } from './ymodem-receive';

/** What a command may do to the module around it (the modem implements it). */
export interface CommandHost {
  /** One answer line; the CR is added. */
  answer(line: string): void;
  /** Raw bytes (YMODEM control bytes and blocks). */
  write(bytes: Buffer): void;
  /** Every byte from the host goes to `handler` until the returned function is called (a YMODEM transfer). */
  takeRaw(handler: (bytes: Buffer) => void): () => void;
  /** ATCN: back to the data mode after the answer. */
  leaveCommandMode(): void;
  /** ATAC and API writes: changes take effect. */
  apply(): void;
  /** ATFR: reboot once the answer is out. */
  reboot(): void;
}

type ReadOnly = (typeof READ_ONLY)[number];

function isReadOnly(name: string): name is ReadOnly {
  return (READ_ONLY as readonly string[]).includes(name);
}

function isExecute(name: string): boolean {
  return (EXECUTE as readonly string[]).includes(name);
}

/** A read-only value: a number (hex in command mode, bytes in API mode) or an address (dotted in command mode, 4 bytes in API mode). */
function readOnlyValue(device: Xbee3Device, name: ReadOnly): number | { address: string } {
  switch (name) {
    case 'AI':
      return AI_CONNECTED;
    case 'CI':
      return device.ci;
    case 'OD':
      return { address: device.od };
    case 'NP':
      return MAX_PAYLOAD;
    case 'VR':
      return IDENTITY.firmware;
    case 'HV':
      return IDENTITY.hardware;
    case 'HS':
      return IDENTITY.hardwareSeries;
    case 'MY':
      return { address: device.options.ipAddress };
  }
}

// ---- command mode ------------------------------------------------------------------------------

/** One command of a line; false when it answered ERROR (the line stops). */
function runOne(device: Xbee3Device, host: CommandHost, text: string): boolean {
  const name = text.slice(0, 2).toUpperCase();
  let value = text.slice(2);
  if (value.startsWith(' ')) value = value.slice(1);
  const error = (): false => {
    host.answer('ERROR');
    return false;
  };
  if (isExecute(name)) {
    if (value !== '') return error();
    host.answer('OK');
    if (name === 'AC') host.apply();
    else if (name === 'CN') host.leaveCommandMode();
    else if (name === 'WR') device.registers.write();
    else if (name === 'RE') device.registers.factory();
    else host.reboot();
    return true;
  }
  if (isReadOnly(name)) {
    if (value !== '') return error();
    const v = readOnlyValue(device, name);
    host.answer(typeof v === 'number' ? hexText(v) : v.address);
    return true;
  }
  if (Registers.has(name)) {
    if (value === '') {
      host.answer(device.registers.text(name));
      return true;
    }
    if (!device.registers.setText(name, value)) return error();
    host.answer('OK');
    return true;
  }
  return error();
}

/**
 * ATFS (command mode only: "they are not valid for API mode"). PUT/XPUT: the prompt, YMODEM, then
 * `OK` or the error; GET: the prompt, the file sent with the codec's YMODEM sender, then `OK`.
 */
async function runFsLine(device: Xbee3Device, host: CommandHost, argument: string): Promise<void> {
  const outcome = runFs(device.flash, argument);
  if ('lines' in outcome) {
    for (const line of outcome.lines) host.answer(line);
    return;
  }
  const timers = device.timers;
  const timing = { requestEveryMs: timers.ms(YMODEM_TIMING.requestEveryMs), firstBlockWithinMs: timers.ms(YMODEM_TIMING.firstBlockWithinMs), idleMs: timers.ms(YMODEM_TIMING.idleMs) };
  const generation = device.generation;
  if ('receive' in outcome) {
    const { path, room, secure } = outcome.receive;
    host.answer('Receiving file with YMODEM...');
    const result = await new Promise<YmodemOutcome>((resolve) => {
      let release = (): void => undefined;
      const receiver = new YmodemReceiver({
        write: (bytes) => host.write(bytes),
        timers,
        timing,
        room,
        done: (outcome) => {
          release();
          resolve(outcome);
        },
      });
      release = host.takeRaw((bytes) => receiver.push(bytes));
      receiver.start();
    });
    if (device.generation !== generation) return;
    if ('error' in result) {
      host.answer(new FsError(result.error).line);
      return;
    }
    try {
      device.flash.write(path, result.data, secure);
      host.answer('OK');
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      host.answer(err.line);
    }
    return;
  }
  // GET: the module is the sender (contract: "Sim may implement GET minimally").
  host.answer('Sending file with YMODEM...');
  let inbox: Buffer[] = [];
  let wake: (() => void) | undefined;
  const release = host.takeRaw((bytes) => {
    inbox.push(Buffer.from(bytes));
    wake?.();
  });
  const io = {
    write: async (bytes: Buffer): Promise<void> => host.write(bytes),
    read: (timeoutMs: number): Promise<Buffer> =>
      new Promise<Buffer>((resolve, reject) => {
        const take = (): void => {
          wake = undefined;
          timers.cancel(timer);
          const all = Buffer.concat(inbox);
          inbox = [];
          resolve(all);
        };
        const timer = timers.after(timeoutMs, () => {
          wake = undefined;
          reject(new Error('no reply'));
        });
        if (inbox.length > 0) take();
        else wake = take;
      }),
  };
  try {
    await sendYmodem(io, outcome.send.name, outcome.send.data, { firstTimeoutMs: timing.firstBlockWithinMs, replyTimeoutMs: timing.idleMs });
    if (device.generation === generation) host.answer('OK');
  } catch (err) {
    if (device.generation !== generation) return;
    const code = err instanceof YmodemError && err.kind === 'cancelled' ? 'ECANCELED' : 'ETIMEDOUT';
    host.answer(new FsError(code).line);
  } finally {
    release();
  }
}

/** A whole command line, without its CR. A line that does not start with AT is answered ERROR (simulator's choice). */
export async function runCommandLine(device: Xbee3Device, host: CommandHost, line: string): Promise<void> {
  if (!/^AT/i.test(line)) {
    host.answer('ERROR');
    return;
  }
  const body = line.slice(2);
  if (body === '') {
    host.answer('OK');
    return;
  }
  if (body.slice(0, 2).toUpperCase() === 'FS') {
    await runFsLine(device, host, body.slice(2));
    return;
  }
  for (const command of body.split(',')) {
    if (!runOne(device, host, command)) return;
  }
}

// ---- API mode: 0x08 -----------------------------------------------------------------------------

/**
 * 0x08 AT Command → 0x88 (nothing for frame id 0). Reads give numbers as big-endian bytes
 * (minimal width, simulator's choice), strings as their bytes, OD and MY as 4 address bytes
 * ("OD": "4 binary bytes in API"); a value given is written and takes effect at once (the 0x08
 * frame applies changes, unlike the queued 0x09 which is not simulated). FS is not valid in API
 * mode ("File system": "not valid for API mode"): status 1 (ERROR, contract).
 */
export function runApiCommand(device: Xbee3Device, host: Pick<CommandHost, 'apply' | 'reboot'>, frame: Extract<ApiFrame, { type: 0x08 }>, respond: (frame: ApiFrame) => void): void {
  const name = frame.command.toUpperCase();
  const value = frame.parameter;
  const answer = (status: number, data: Buffer = Buffer.alloc(0)): void => {
    if (frame.frameId !== 0) respond({ type: 0x88, frameId: frame.frameId, command: frame.command, status, data });
  };
  if (name === 'FS') return answer(AT_STATUS.error);
  if (isExecute(name)) {
    if (value.length > 0) return answer(AT_STATUS.invalidParameter);
    answer(AT_STATUS.ok);
    // CN has nothing to leave in API mode.
    if (name === 'AC') host.apply();
    else if (name === 'WR') device.registers.write();
    else if (name === 'RE') {
      device.registers.factory();
      host.apply();
    } else if (name === 'FR') host.reboot();
    return;
  }
  if (isReadOnly(name)) {
    if (value.length > 0) return answer(AT_STATUS.invalidParameter);
    const v = readOnlyValue(device, name);
    return answer(AT_STATUS.ok, typeof v === 'number' ? numberBytes(v) : Buffer.from(v.address.split('.').map(Number)));
  }
  if (Registers.has(name)) {
    if (value.length === 0) return answer(AT_STATUS.ok, device.registers.bytes(name));
    if (!device.registers.setBytes(name, value)) return answer(AT_STATUS.invalidParameter);
    // The answer goes out in the mode the frame came in; then the change takes effect.
    answer(AT_STATUS.ok);
    host.apply();
    return;
  }
  answer(AT_STATUS.invalidCommand);
}

