/**
 * AT round trips: `AT<CR>` → `<CR><LF>OK<CR><LF>`, one after the other, through a flow in a real
 * Node-RED, against two baselines on the same pseudo-terminal and the same simulated module
 * (unpaced, echo off), measured in turns within one run:
 *
 *  - flow: inject → modem-at-command → a function that hands the message back to the at-command
 *    node until it has made its round trips;
 *  - serial request node: node-red-node-serialport's `serial request` in the same Node-RED and the
 *    same loop, its port set to hand over a reply after the 6 bytes `<CR><LF>OK<CR><LF>`;
 *  - raw serialport loop: `serialport` alone in a Node.js process of its own (round-trips-raw.ts).
 *
 * Two first turns of all three only warm up; each turn starts with a warm-up of its own (3000 round
 * trips, or as many as it then times) after its deploy, since new nodes run slower for a while.
 * Figures: the flow's round trips a second ÷ each baseline's, medians over the runs.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import {
  catchNodes, failedFigure, functionNode, injectNode, median, modemFlowFor, startNodeRed, startSimulatedModem, tabNode, within,
  type BenchContext, type BenchModem, type Figure, type FlowNode, type NodeRedHost,
} from './harness';

const GROUP = 'round trips';
const TAB = 'round-trips';
const ROUNDS = 3000;
const QUICK_ROUNDS = 500;
/** Turns that only warm up, and the round trips of each Node-RED loop in the first of them. */
const WARM_UP_TURNS = 2;
const WARM_UP_ROUNDS = 10000;
/** A reply of the serial request node: the result code with its framing, 6 bytes with echo off. */
const REPLY = '\r\nOK\r\n';

interface Loop {
  nodes: FlowNode[];
  /** Inject nodes for the warm-up and the timed round trips. */
  warm: string;
  go: string;
  start: string;
  done: string;
}

/**
 * inject(rounds) → start (emits `start`) → `requester` → loop → back to `requester` until `rounds`
 * replies came, then emits `done`. `request` is what the loop puts in msg.payload; `check` a
 * JavaScript condition on the reply that, when false, fails the run through the Catch probe.
 */
function loopNodes(kind: string, requester: FlowNode, request: string, check: string, counts: { warm: number; rounds: number }): Loop {
  const p = `${TAB}.${kind}`;
  const start = `${TAB}:${kind}:start`;
  const done = `${TAB}:${kind}:done`;
  const requesterId = requester.id as string;
  const nodes: FlowNode[] = [
    injectNode(`${p}.warm`, TAB, [`${p}.start`], String(counts.warm)),
    injectNode(`${p}.go`, TAB, [`${p}.start`], String(counts.rounds)),
    functionNode(
      `${p}.start`,
      TAB,
      [`msg.rounds = Number(msg.payload);`, `msg.round = 0;`, `msg.payload = ${JSON.stringify(request)};`, `bench.emit(${JSON.stringify(start)}, msg.rounds);`, 'return msg;'].join('\n'),
      [requesterId],
    ),
    { ...requester, z: TAB, wires: [[`${p}.loop`]] },
    functionNode(
      `${p}.loop`,
      TAB,
      [
        `if (!(${check})) throw new Error('unexpected reply ' + JSON.stringify(msg.payload) + ' after ' + msg.round + ' round trips');`,
        'msg.round += 1;',
        `if (msg.round >= msg.rounds) { bench.emit(${JSON.stringify(done)}, msg.round); return null; }`,
        `msg.payload = ${JSON.stringify(request)};`,
        'return msg;',
      ].join('\n'),
      [requesterId],
    ),
  ];
  return { nodes, warm: `${p}.warm`, go: `${p}.go`, start, done };
}

interface Turn {
  /** Round trips a second. */
  rate: number;
  /** CPU time of the process that makes the round trips (Node-RED, or the raw loop's own), µs per round trip. */
  cpuUs: number;
}

/** Presses `warm` (`warmUps` times), then `go`; the round trips a second of `go`, timed by the flow's own probes. */
async function timeLoop(red: NodeRedHost, loop: Loop, rounds: number, warmUps = 1): Promise<Turn> {
  const timeout = Math.max(120000, rounds * 50);
  for (let i = 0; i < warmUps; i++) {
    const warmed = red.next(loop.done, timeout);
    await red.inject(loop.warm);
    await warmed;
  }
  red.forget(loop.start);
  const before = await red.usage();
  const started = red.next(loop.start, timeout);
  const done = red.next(loop.done, timeout);
  await red.inject(loop.go);
  const [s, d] = await Promise.all([started, done]);
  const after = await red.usage();
  const cpuMs = after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs;
  return { rate: (rounds * 1000) / (d.at - s.at), cpuUs: (cpuMs * 1000) / rounds };
}

/** One run of the raw loop in its own process. */
function rawLoop(m: BenchModem, rounds: number, warm: number): Promise<Turn> {
  const script = path.join(__dirname, 'round-trips-raw.js');
  const timeout = Math.max(120000, (rounds + warm) * 50);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, m.linkPath, String(rounds), String(warm)], { timeout }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`raw serialport loop: ${stderr.trim() || err.message}`));
        return;
      }
      const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { rounds?: number; ms?: number; cpuMs?: number };
      if (result.rounds !== rounds || !(Number(result.ms) > 0)) reject(new Error(`raw serialport loop: unexpected answer ${stdout.trim()}`));
      else resolve({ rate: (rounds * 1000) / Number(result.ms), cpuUs: (Number(result.cpuMs) * 1000) / rounds });
    });
  });
}

const perSecond = (rate: number): string => `${Math.round(rate).toLocaleString('en-US')} round trips/s`;

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const rounds = ctx.options.quick ? QUICK_ROUNDS : ROUNDS;
  const warm = Math.max(rounds, ROUNDS);
  const names = {
    request: { name: 'AT round trips through a flow vs the serial request node', against: 'serial request node', target: 1.2 },
    raw: { name: 'AT round trips through a flow vs a raw serialport loop', against: 'raw serialport loop', target: 0.9 },
  };
  let m: BenchModem | undefined;
  let red: NodeRedHost | undefined;
  try {
    // Any AT dialect answers `AT` the same way; the modem-config node needs a vendor, so a Telit it is.
    m = await startSimulatedModem('telit', { linkDir: ctx.workDir });
    const modem = m.modem;
    red = await startNodeRed(ctx);

    const config: FlowNode = { ...modemFlowFor(m, ctx, { config: `${TAB}.modem`, tab: TAB }).nodes[0]!, clockSync: false };
    const flowLoop = loopNodes(
      'flow',
      { id: `${TAB}.flow.at`, type: 'modem-at-command', name: '', modem: config.id, command: 'AT', timeout: '' },
      'AT',
      "msg.final === 'OK'",
      { warm, rounds },
    );
    const serialPort: FlowNode = {
      id: `${TAB}.serial-port`, type: 'serial-port', name: '', serialport: m.linkPath, serialbaud: '115200', databits: '8', parity: 'none',
      stopbits: '1', waitfor: '', dtr: 'none', rts: 'none', cts: 'none', dsr: 'none', newline: String(REPLY.length), bin: 'false', out: 'count',
      addchar: '', responsetimeout: '10000',
    };
    const requestLoop = loopNodes(
      'request',
      { id: `${TAB}.request.node`, type: 'serial request', name: '', serial: serialPort.id },
      'AT\r',
      `msg.status === 'OK' && msg.payload === ${JSON.stringify(REPLY)}`,
      { warm, rounds },
    );
    const flows = {
      flow: [tabNode(TAB), config, ...flowLoop.nodes, ...catchNodes(TAB)],
      request: [tabNode(TAB), serialPort, ...requestLoop.nodes, ...catchNodes(TAB)],
      // Nothing holds the port while the raw loop runs.
      none: [tabNode(TAB)],
    };

    const turns = { flow: [] as Turn[], request: [] as Turn[], raw: [] as Turn[] };
    const text = (t: Turn): string => `${perSecond(t.rate)} (${t.cpuUs.toFixed(0)} µs CPU each)`;
    // The first two turns only warm up: a Node-RED just started runs its first ten thousand or so
    // messages through code still being compiled, and collects its start-up garbage meanwhile (the
    // flow's CPU time per round trip halves over that span); the nodes of its second deploy run slow
    // again for a few thousand. Then in turns, so that a slow moment of a shared machine falls on all
    // three alike.
    for (let i = -WARM_UP_TURNS; i < ctx.options.runs; i++) {
      const warmUps = i === -WARM_UP_TURNS ? Math.ceil(WARM_UP_ROUNDS / warm) : 1;
      modem.settings.echo = false;
      await red.deploy(flows.flow);
      const flowTurn = await timeLoop(red, flowLoop, rounds, warmUps);
      modem.settings.echo = false;
      await red.deploy(flows.request);
      const requestTurn = await timeLoop(red, requestLoop, rounds, warmUps);
      modem.settings.echo = false;
      await red.deploy(flows.none);
      const rawTurn = await within(rawLoop(m, rounds, warm), Math.max(180000, rounds * 60), 'raw serialport loop');
      const label = i < 0 ? '  warm-up' : `  run ${i + 1}`;
      ctx.log(`${label}: flow ${text(flowTurn)}, serial request node ${text(requestTurn)}, raw serialport loop ${text(rawTurn)}`);
      if (i < 0) continue;
      turns.flow.push(flowTurn);
      turns.request.push(requestTurn);
      turns.raw.push(rawTurn);
    }
    const rates = { flow: turns.flow.map((t) => t.rate), request: turns.request.map((t) => t.rate), raw: turns.raw.map((t) => t.rate) };
    const cpu = (list: Turn[]): number => Math.round(median(list.map((t) => t.cpuUs)));

    const flow = median(rates.flow);
    const details = {
      rounds, warmUp: warm, runs: ctx.options.runs, module: 'simulated Telit, unpaced, echo off', port: m.path,
      roundTripsPerSecond: { flow: rates.flow, serialRequestNode: rates.request, rawSerialportLoop: rates.raw },
      // Of the process making the round trips (Node-RED, or the raw loop's own), median over the runs.
      cpuMicrosecondsPerRoundTrip: { flow: cpu(turns.flow), serialRequestNode: cpu(turns.request), rawSerialportLoop: cpu(turns.raw) },
      serialRequestNode: { split: 'count', bytes: REPLY.length },
    };
    return (['request', 'raw'] as const).map((kind) => {
      const baseline = median(rates[kind]);
      return {
        group: GROUP,
        name: names[kind].name,
        ratio: flow / baseline,
        against: names[kind].against,
        measured: perSecond(flow),
        bound: perSecond(baseline),
        target: names[kind].target,
        details,
      };
    });
  } catch (err) {
    ctx.log(`  round trips failed: ${err instanceof Error ? err.message : String(err)}`);
    return (['request', 'raw'] as const).map((kind) => failedFigure(GROUP, names[kind].name, names[kind].against, err, names[kind].target));
  } finally {
    await red?.stop();
    await m?.close();
  }
}
