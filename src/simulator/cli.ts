#!/usr/bin/env node
/**
 * `modem-tls-sim`: runs a simulated modem on a TCP port or a pseudo-terminal until SIGINT/SIGTERM.
 *
 * Owns: argument parsing, the one line that says where the modem listens, and a clean shutdown.
 * Must never: call `process.exit` while handles are open (closing them is what lets it end), or
 * know a dialect other than through `SIMULATED_VENDORS`.
 */
import { parseArgs } from 'node:util';
import { SIMULATED_VENDORS } from './index';
import { listenTcp, servePty } from './transports';

const USAGE = `Usage: modem-tls-sim (--tcp <port> | --pty [--link <path>]) [options]

Runs a simulated AT modem until interrupted (Ctrl-C or SIGTERM). The xbee3 module starts in
transparent mode: send +++ between two guard times (1 s of silence) for command mode; its
answers end with CR only. The eswifi module takes two-letter commands without AT, each ended
by CR (I?, C1=<ssid>, C0, P6=1 …); its answers end with the prompt "> ". It can join the
network sim-wifi (C3=3, passphrase simulated-pass).

  --tcp <port>      listen on this TCP port (0: any free port; the one chosen is printed)
  --host <address>  address to listen on with --tcp (default 127.0.0.1)
  --pty             open a pseudo-terminal and print its device path, for a serial port program
  --link <path>     with --pty: also keep a symbolic link at <path> pointing at the device
  --baud <rate>     pace both directions at this line rate (bits per second, 10 bits per byte)
  --vendor <name>   which modem to play (default generic); available: ${Object.keys(SIMULATED_VENDORS).join(', ')}
  --platform <id>   the platform of a vendor that has several (Telit: 10, 13, 16, 12, 20, 23, 25-linux,
                    25-threadx, 30, 37, 52; default 30. u-blox: SARA-R5, generic; default SARA-R5.
                    Fibocom: L610 only. xbee3: LTE-M only. eswifi: ISM43362 only)
  --verbose         print each command line received to stderr
  --help            show this help
`;

class UsageError extends Error {}

interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const PROCESS_IO: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs the CLI; resolves with the exit code once everything is closed. */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(argv);
  } catch (err) {
    io.err(`modem-tls-sim: ${err instanceof Error ? err.message : String(err)}\nTry --help.\n`);
    return 2;
  }
  if (options.help) {
    io.out(USAGE);
    return 0;
  }

  // Listen for the signals before saying where we listen: whoever reads that line may stop us at once.
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

  let modem: ReturnType<(typeof SIMULATED_VENDORS)[string]>;
  try {
    modem = SIMULATED_VENDORS[options.vendor]({ baudRate: options.baud, platform: options.platform });
  } catch (err) {
    stop();
    // The dialect judges its own options (an unknown platform, …).
    io.err(`modem-tls-sim: ${err instanceof Error ? err.message : String(err)}\nTry --help.\n`);
    return 2;
  }
  const label = options.platform ? `${options.vendor} ${options.platform}` : options.vendor;
  if (options.verbose) modem.on('command', (entry) => io.err(`${entry.line}\n`));

  let endpoint: { close(): Promise<void> };
  try {
    if (options.tcp !== undefined) {
      const tcp = await listenTcp(modem, { host: options.host, port: options.tcp });
      endpoint = tcp;
      io.out(`${label} modem listening on ${formatHostPort(tcp.host, tcp.port)}\n`);
    } else {
      const pty = servePty(modem, { linkPath: options.link });
      endpoint = pty;
      io.out(`${label} modem listening on ${pty.path}${pty.linkPath ? ` (link ${pty.linkPath})` : ''}\n`);
    }
  } catch (err) {
    stop();
    modem.close();
    io.err(`modem-tls-sim: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }

  await stopped;
  await endpoint.close();
  modem.close();
  return 0;
}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      tcp: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      pty: { type: 'boolean', default: false },
      link: { type: 'string' },
      baud: { type: 'string' },
      vendor: { type: 'string', default: 'generic' },
      platform: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true } as const;
  const vendor = values.vendor;
  if (!Object.hasOwn(SIMULATED_VENDORS, vendor)) {
    throw new UsageError(`--vendor: unknown vendor "${vendor}"; available: ${Object.keys(SIMULATED_VENDORS).join(', ')}`);
  }
  if ((values.tcp === undefined) === !values.pty) {
    throw new UsageError('give exactly one of --tcp <port> or --pty');
  }
  if (values.link !== undefined && !values.pty) throw new UsageError('--link: only with --pty');
  const tcp = values.tcp === undefined ? undefined : integer('--tcp', values.tcp, 0, 65535);
  const baud = values.baud === undefined ? undefined : integer('--baud', values.baud, 1, 100_000_000);
  return { help: false, vendor, platform: values.platform, tcp, host: values.host, link: values.link, baud, verbose: values.verbose } as const;
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${name}: must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`modem-tls-sim: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
