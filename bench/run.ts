/**
 * `npm run bench`: every figure a ratio against a bound or a baseline measured in the same run,
 * the flows in a real Node-RED runtime (bench/harness.ts). Nothing here asserts; it reports: a
 * table on the console, bench/results.json, and the README's table between its bench markers.
 *
 *   node --expose-gc dist/bench/run.js [--only <figure>[,<figure>…]] [--vendor <v>] [--baud <n>]
 *     [--runs <n>] [--quick] [--soak-minutes <n>] [--hour] [--no-write] [--keep]
 *
 * A run limited by --only, --vendor or --baud replaces its own rows in results.json and the
 * README and keeps the others (each row carries the date it was measured).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VENDORS } from '../src/adapters/types';
import { createTestPki } from '../src/simulator/pki';
import { failedFigure, ROOT, type BenchContext, type BenchOptions, type Figure } from './harness';
import * as bridge from './bridge';
import * as framer from './framer';
import * as modems from './modems';
import * as roundTrips from './round-trips';
import * as soak from './soak';
import * as throughput from './throughput';
import * as uploads from './uploads';

interface FigureModule {
  run(ctx: BenchContext): Promise<Figure[]>;
}

/** In the order they run: the quick ones first, the soak last. */
const FIGURES: ReadonlyArray<{ name: string; module: FigureModule }> = [
  { name: 'framer', module: framer },
  { name: 'round-trips', module: roundTrips },
  { name: 'uploads', module: uploads },
  { name: 'throughput', module: throughput },
  { name: 'bridge', module: bridge },
  { name: 'modems', module: modems },
  { name: 'soak', module: soak },
];

const USAGE = `usage: node --expose-gc dist/bench/run.js [options]
  --only <figures>     comma-separated: ${FIGURES.map((f) => f.name).join(', ')}
  --vendor <vendor>    one of ${VENDORS.join(', ')} (figures per vendor)
  --baud <rate>        one line rate (figures measured at a line rate)
  --runs <n>           runs per measurement, median reported (default 3; 1 with --quick)
  --quick              smaller payloads, one run, a one-minute soak
  --soak-minutes <n>   soak length (default 10)
  --hour               a 60-minute soak
  --no-write           print only: leave bench/results.json and README.md alone
  --keep               keep the work directory (Node-RED's user directory and log)`;

interface Args {
  options: BenchOptions;
  only?: string[];
  write: boolean;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  let quick = false;
  let runs: number | undefined;
  let vendor: string | undefined;
  let baud: number | undefined;
  let soakMinutes: number | undefined;
  let hour = false;
  let only: string[] | undefined;
  let write = true;
  let keep = false;
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const positive = (text: string, flag: string): number => {
    const n = Number(text);
    if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${flag}: ${text} is not a positive number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '--quick': quick = true; break;
      case '--hour': hour = true; break;
      case '--no-write': write = false; break;
      case '--keep': keep = true; break;
      case '--runs': runs = Math.round(positive(value(i++, arg), arg)); break;
      case '--vendor': vendor = value(i++, arg); break;
      case '--baud': baud = positive(value(i++, arg), arg); break;
      case '--soak-minutes': soakMinutes = positive(value(i++, arg), arg); break;
      case '--only': only = value(i++, arg).split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--help': case '-h': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  if (vendor !== undefined && !(VENDORS as readonly string[]).includes(vendor)) throw new Error(`--vendor: ${vendor} is not one of ${VENDORS.join(', ')}`);
  for (const name of only ?? []) {
    if (!FIGURES.some((f) => f.name === name)) throw new Error(`--only: no figure ${name}; there are ${FIGURES.map((f) => f.name).join(', ')}`);
  }
  return {
    options: { quick, runs: runs ?? (quick ? 1 : 3), vendor, baud, soakMinutes: soakMinutes ?? (hour ? 60 : quick ? 1 : 10) },
    only,
    write,
    keep,
  };
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

interface StoredFigure extends Figure {
  /** When this row was measured (ISO). */
  date: string;
}

interface Results {
  date: string;
  node: string;
  nodeRed: string;
  cpus: string;
  options: BenchOptions & { only?: string[] };
  figures: StoredFigure[];
}

const RESULTS = path.join(ROOT, 'bench', 'results.json');
const README = path.join(ROOT, 'README.md');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

function ratioText(f: Figure): string {
  if (!Number.isFinite(f.ratio)) return 'failed';
  return f.ratio >= 10 ? `${f.ratio.toFixed(1)}` : f.ratio.toFixed(2);
}

function targetText(f: Figure): string {
  if (f.target === undefined) return '';
  const met = Number.isFinite(f.ratio) && (f.lowerIsBetter ? f.ratio <= f.target : f.ratio >= f.target);
  return `${f.lowerIsBetter ? '≤' : '≥'} ${f.target.toFixed(2)}${Number.isFinite(f.ratio) ? (met ? ', met' : ', not met') : ''}`;
}

function rowsOf(figures: readonly Figure[]): string[][] {
  return figures.map((f) => [
    `${f.group}: ${f.name}`,
    f.error ? `failed: ${f.error.split('\n')[0]}` : f.measured,
    f.bound ? `${f.bound} — ${f.against}` : f.against,
    ratioText(f),
    targetText(f),
  ]);
}

/** The table's order of groups (a group not named here comes last). */
const GROUP_ORDER = ['framer', 'round trips', 'uploads', 'throughput', 'bridge', 'modems', 'memory'];

const HEADER = ['figure', 'measured', 'bound / baseline', 'ratio', 'target'];

function consoleTable(figures: readonly Figure[]): string {
  const rows = [HEADER, ...rowsOf(figures)];
  const widths = HEADER.map((_, c) => Math.min(70, Math.max(...rows.map((r) => r[c]!.length))));
  return rows.map((r) => r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

function markdownTable(results: Results): string {
  // Text from the figures, not markup: `<id>` in a command's syntax must show as written.
  const cell = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
  const days = [...new Set(results.figures.map((f) => f.date.slice(0, 10)))].sort();
  const when = days.length > 1 ? `between ${days[0]} and ${days[days.length - 1]}` : (days[0] ?? results.date.slice(0, 10));
  const lines = [
    `Measured ${when} on Node.js ${results.node}, Node-RED ${results.nodeRed}, ${results.cpus}${results.options.quick ? ' (--quick)' : ''}.`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map((_, i) => (i === 3 ? '---:' : '---')).join(' | ')} |`,
    ...rowsOf(results.figures).map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

function writeReadme(results: Results): void {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    console.log(`README.md has no ${START} … ${END} markers: its table is left alone`);
    return;
  }
  writeFileSync(README, `${text.slice(0, start + START.length)}\n${markdownTable(results)}\n${text.slice(end)}`);
}

function readResults(): Results | undefined {
  try {
    return JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
  } catch {
    return undefined;
  }
}

/** The figures of this run in place of the same rows of an earlier one; new rows after the last of their group. */
function merged(earlier: readonly StoredFigure[], now: readonly StoredFigure[]): StoredFigure[] {
  const key = (f: Figure): string => `${f.group}\u0000${f.name}`;
  const fresh = new Map(now.map((f) => [key(f), f]));
  const rows = earlier.map((f) => fresh.get(key(f)) ?? f);
  const placed = new Set(rows.map(key));
  const order = (group: string): number => {
    const i = GROUP_ORDER.indexOf(group);
    return i < 0 ? GROUP_ORDER.length : i;
  };
  for (const f of now) {
    if (placed.has(key(f))) continue;
    let at = rows.length;
    for (let i = rows.length - 1; i >= 0; i--) {
      if (order(rows[i]!.group) <= order(f.group)) {
        at = i + 1;
        break;
      }
      at = i;
    }
    rows.splice(at, 0, f);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const { options } = args;
  const nodeRed = (require('node-red/package.json') as { version: string }).version;
  const cpus = os.cpus();
  const cpuText = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`;
  console.log(`node-red-contrib-modem-tls benchmarks — Node.js ${process.version}, Node-RED ${nodeRed}, ${cpuText}`);
  console.log(`options: ${JSON.stringify({ ...options, only: args.only })}\n`);
  if (!global.gc) console.log('(run with node --expose-gc, as `npm run bench` does, for this process’s own steadier heap)\n');

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-bench-'));
  const ctx: BenchContext = {
    options,
    pki: createTestPki({ hosts: ['127.0.0.1', 'localhost'] }),
    workDir,
    log: (text) => console.log(text),
  };
  const date = new Date().toISOString();
  const figures: StoredFigure[] = [];
  const stop = (): void => {
    console.log('\nstopped');
    if (!args.keep) rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', stop);
  // A figure that failed may leave a waiter behind that rejects later: it must not end the others.
  process.on('unhandledRejection', (reason) => console.log(`  (left behind by a failed step: ${(reason as Error)?.message ?? String(reason)})`));
  try {
    for (const { name, module } of FIGURES) {
      if (args.only && !args.only.includes(name)) continue;
      console.log(`— ${name}`);
      const started = Date.now();
      let got: Figure[];
      try {
        got = await module.run(ctx);
      } catch (err) {
        console.log(`  ${name} failed: ${(err as Error).stack ?? String(err)}`);
        got = [failedFigure(name, 'all', '', err)];
      }
      figures.push(...got.map((f) => ({ ...f, date })));
      console.log(`  (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  } finally {
    process.off('SIGINT', stop);
    if (args.keep) console.log(`work directory kept: ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }

  console.log(consoleTable(figures));
  if (!args.write || figures.length === 0) return;
  const partial = args.only !== undefined || options.vendor !== undefined || options.baud !== undefined;
  const earlier = partial ? readResults() : undefined;
  const results: Results = {
    date,
    node: process.version,
    nodeRed,
    cpus: cpuText,
    options: { ...options, ...(args.only ? { only: args.only } : {}) },
    figures: earlier ? merged(earlier.figures, figures) : figures,
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  writeReadme(results);
  console.log(`\nwritten: ${path.relative(process.cwd(), RESULTS) || RESULTS}, and the table in README.md`);
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`benchmark failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
