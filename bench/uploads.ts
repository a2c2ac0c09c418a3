/**
 * Certificate uploads: how long a load-cert flow takes to store an 8 KB certificate, against the
 * time the bytes it puts on the line need at the line rate — per vendor, at 115200 baud, the
 * simulated module paced both ways, the flow in a real Node-RED runtime.
 *
 * Measured: from a probe just after the inject node (it takes the PEM handed over before the
 * run) to a probe on load-cert's output, both in the Node-RED process, one clock. Bound: every byte
 * that crossed the pseudo-terminal in either direction while the flow ran, counted on the
 * simulator's side of it, at 10 bits a byte, plus the waits the module documents (the XBee3's
 * guard time after `+++`, as it enters command mode). An upload takes turns — command, prompt,
 * data, result; a block, its ACK — so the two directions are added. Whatever the adapter chose to
 * send is in the bound (the idempotence check before the write, the vendor's verification after
 * it: Telit reads the item back, u-blox gets an MD5 in the import's answer, Fibocom counts files,
 * XBee3 asks for a SHA-256, eS-WiFi answers the write itself), so the ratio is what the flow, the
 * engine, the serial path and the turns cost beyond the line; the commands are in the bound's
 * text, and the time against the certificate's own bytes alone in the details.
 *
 * The certificate is one self-signed root whose subjectAltName list fills it to the largest size
 * at or under 8 KB the vendor takes (every vendor here stores one certificate per item, so a
 * chain would be cut to its first certificate). One upload is made untimed first, so a first
 * call's costs (compiling, the simulator building its pre-installed roots) are not counted. Each
 * timed run is a first upload under its name: the item is removed, untimed, after each. The
 * Fibocom L610 cannot remove a file: each run loads a new certificate of the same size. The
 * eS-WiFi cannot remove either, and its sets are one-time programmable: its module is a fresh
 * simulated one, the untimed upload programs the empty set 0, and the timed runs write the same
 * data again, which the module answers with a match (the check by rewriting: the same bytes).
 *
 * Owns: its Node-RED runtime, modules and flows. Must never: assert, or time anything but the flow.
 */
import { issueCertificate } from '../src/simulator/pki';
import { xbee3Device } from '../src/simulator';
import { vendorRecord } from '../src/adapters/registry';
import { VENDORS, type VendorId } from '../src/adapters/types';
import {
  bytesText,
  catchNodes,
  failedFigure,
  functionNode,
  injectNode,
  median,
  modemFlowFor,
  probeNode,
  sleep,
  startNodeRed,
  startSimulatedModem,
  tabNode,
  VENDOR_NAMES,
  type BenchContext,
  type BenchModem,
  type Figure,
  type FlowNode,
  type NodeRedHost,
} from './harness';

const GROUP = 'uploads';
const AGAINST = 'wire time of the bytes the upload puts on the line, both ways (lower is better)';
const TARGET = 1.05;
const DEFAULT_BAUD = 115200;
/** An 8 KB item, or the vendor's largest when that is smaller. */
const WANTED_BYTES = 8192;


/**
 * The platform each module plays here: the bench's own, except Telit's, whose ME910C1 (platform 30)
 * stores at most 4 KB an item; the LE910Cx (25) takes 8 KB.
 */
const PLATFORMS: Partial<Readonly<Record<VendorId, string>>> = { telit: '25-linux' };

/** Where each vendor stores the certificate (load-cert `name`). */
const NAMES: Readonly<Record<VendorId, string>> = { telit: '1', ublox: 'bench-upload', fibocom: 'bench-upload', xbee3: 'upload.pem', eswifi: '0' };

/** Bytes both ways on a simulated module's line, counted at the simulator's side of the pty. */
interface LineTap {
  toModule: number;
  toHost: number;
  /** Escape sequences (`+++` written on its own) the host sent. */
  escapes: number;
  reset(): void;
  stop(): void;
}

const ESCAPE = '+++';

function tapLine(m: BenchModem): LineTap {
  const modem = m.modem;
  const tap = { toModule: 0, toHost: 0, escapes: 0 };
  const onData = (data: Buffer): void => {
    tap.toHost += data.length;
  };
  modem.on('data', onData);
  // The pty hands what the host writes to receive(): counted there, before the line pacing.
  const receive = modem.receive;
  modem.receive = (data: Buffer | string): void => {
    tap.toModule += data.length;
    // The engine writes an escape alone, after a silent guard time: it arrives as one read.
    if ((typeof data === 'string' ? data : data.toString('latin1')) === ESCAPE) tap.escapes++;
    receive.call(modem, data);
  };
  return {
    get toModule() {
      return tap.toModule;
    },
    get toHost() {
      return tap.toHost;
    },
    get escapes() {
      return tap.escapes;
    },
    reset() {
      tap.toModule = 0;
      tap.toHost = 0;
      tap.escapes = 0;
    },
    stop() {
      modem.off('data', onData);
      modem.receive = receive;
    },
  };
}

/**
 * Self-signed root CAs of the PKI's CA key whose PEM is as large as possible within `limit`
 * bytes: subjectAltName entries pad them (every vendor here takes them). Each call of the result
 * issues another one of the same size (a new serial number): a module that cannot remove an item
 * gets a new one each run.
 */
function sizedCertificates(ctx: BenchContext, limit: number): () => string {
  const keys = { type: ctx.pki.ca.keyType, privateKey: ctx.pki.ca.privateKey, publicKey: ctx.pki.ca.publicKey };
  const make = (names: number): string =>
    issueCertificate({
      subject: { O: 'node-red-contrib-modem-tls', CN: 'Upload benchmark root' },
      keys,
      isCa: true,
      hosts: Array.from({ length: names }, (_, i) => `upload-${i}.bench.example.org`),
    }).cert;
  let low = 0;
  let high = 1024;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (make(mid).length <= limit) low = mid;
    else high = mid - 1;
  }
  return () => make(low);
}

/**
 * Idle time the module forces on an escape: after `+++` the XBee3 answers only once its guard
 * time (GT) has passed in silence (XBee3 Cellular User Guide, "Enter Command mode"). The silence
 * before it is the idle line before the flow starts.
 */
function escapeWaitMs(m: BenchModem): number {
  if (m.vendor !== 'xbee3') return 0;
  return xbee3Device(m.modem)?.registers.num('GT') ?? 0;
}

interface Run {
  ms: number;
  certificateBytes: number;
  toModule: number;
  toHost: number;
  escapes: number;
  waitMs: number;
  wireMs: number;
  ratio: number;
  result: Record<string, unknown>;
  commands: string[];
}

async function measureVendor(ctx: BenchContext, red: NodeRedHost, vendor: VendorId, baud: number): Promise<Figure> {
  const label = VENDOR_NAMES[vendor];
  const platform = PLATFORMS[vendor];
  const caps = vendorRecord(vendor).tls.capabilities(platform);
  const limit = Math.min(WANTED_BYTES, caps.certificates.maxBytes);
  const issue = sizedCertificates(ctx, limit);
  const certificate = issue();
  // The Fibocom L610 only adds files (no removal): each run loads a new trust certificate.
  const removable = vendor !== 'fibocom' && !caps.certificates.oneTimeProgrammable;
  const freshEachRun = vendor === 'fibocom';
  const name = `${label} load-cert, ${bytesText(certificate.length)} certificate at ${baud}`;
  const m = await startSimulatedModem(vendor, { baudRate: baud, ...(platform ? { platform } : {}) });
  const tap = tapLine(m);
  try {
    const tab = `up-${vendor}`;
    const c = `${tab}.cfg`;
    const pemName = `${tab}:pem`;
    const setup = modemFlowFor(m, ctx, { config: c, tab });
    const loadCert = (id: string, action: string, wires: string): FlowNode => ({
      id, type: 'modem-load-cert', z: tab, modem: c, action, certType: 'ca', name: NAMES[vendor], format: 'auto', force: false,
      matchCert: '', allowExpired: false, programOneTime: action === 'store' && caps.certificates.oneTimeProgrammable, vendorOptions: '', wires: [[wires]],
    });
    const nodes: FlowNode[] = [
      tabNode(tab),
      ...setup.nodes.filter((n) => n.type === 'modem-config'),
      ...catchNodes(tab),
      injectNode(`${tab}.go`, tab, [`${tab}.start`]),
      // The PEM was handed over before the run; taking it is all this node does before the probe.
      functionNode(`${tab}.start`, tab, `msg.payload = bench.payload(${JSON.stringify(pemName)});\nbench.emit(${JSON.stringify(`${tab}:start`)}, msg.payload.length);\nreturn msg;`, [`${tab}.load`]),
      loadCert(`${tab}.load`, 'store', `${tab}.done`),
      probeNode(`${tab}.done`, tab, `${tab}:done`),
      injectNode(`${tab}.rm`, tab, [`${tab}.remove`]),
      loadCert(`${tab}.remove`, 'remove', `${tab}.removed`),
      probeNode(`${tab}.removed`, tab, `${tab}:removed`),
    ];
    await red.deploy(nodes, setup.credentials);
    const waitPerEscape = escapeWaitMs(m);

    const once = async (pem: string): Promise<Run> => {
      await red.payload(pemName, Buffer.from(pem, 'latin1'));
      // A quiet line first: nothing of the previous step still crossing it.
      await sleep(300);
      red.forget();
      tap.reset();
      const mark = m.modem.log.length;
      const started = red.next(`${tab}:start`, 120000);
      const done = red.next(`${tab}:done`, 120000);
      await red.inject(`${tab}.go`);
      const start = await started;
      const end = await done;
      const ms = end.at - start.at;
      const waitMs = tap.escapes * waitPerEscape;
      const wireMs = ((tap.toModule + tap.toHost) * 10 * 1000) / baud + waitMs;
      return {
        ms,
        certificateBytes: pem.length,
        toModule: tap.toModule,
        toHost: tap.toHost,
        escapes: tap.escapes,
        waitMs,
        wireMs,
        ratio: ms / wireMs,
        result: end.value as Record<string, unknown>,
        commands: m.modem.log.slice(mark).map((e) => e.line),
      };
    };
    const removeItem = async (): Promise<void> => {
      if (!removable) return;
      const removed = red.next(`${tab}:removed`, 120000);
      await red.inject(`${tab}.rm`);
      await removed;
    };

    // Untimed: the modem comes up, the code paths are compiled, the simulator builds what it keeps.
    const first = await once(certificate);
    await removeItem();
    const runs: Run[] = [];
    for (let i = 0; i < ctx.options.runs; i++) {
      const run = await once(freshEachRun ? issue() : certificate);
      runs.push(run);
      ctx.log(`  ${label}: ${run.ms.toFixed(1)} ms for ${run.toModule} + ${run.toHost} bytes${run.waitMs ? ` and ${run.waitMs} ms of guard time` : ''} (bound ${run.wireMs.toFixed(1)} ms): ${run.ratio.toFixed(3)}`);
      await removeItem();
    }
    // The run whose ratio is the median (the lower middle one for an even count), with its own numbers.
    const shown = [...runs].sort((a, b) => a.ratio - b.ratio)[(runs.length - 1) >> 1]!;
    const certificateWireMs = (shown.certificateBytes * 10 * 1000) / baud;
    const guard = shown.waitMs ? ` + ${shown.waitMs} ms guard time after ${ESCAPE}` : '';
    return {
      group: GROUP,
      name,
      ratio: median(runs.map((r) => r.ratio)),
      against: AGAINST,
      measured: `${shown.ms.toFixed(0)} ms`,
      bound: `${shown.wireMs.toFixed(0)} ms: ${shown.toModule} B out + ${shown.toHost} B back on the pty${guard} (${firstWords(shown.commands)})`,
      target: TARGET,
      lowerIsBetter: true,
      details: {
        baud,
        platform: m.platform,
        certificateBytes: shown.certificateBytes,
        certificateWireMs: round(certificateWireMs),
        // The flow's time against the certificate's own bytes alone: what a read-back or a list costs shows here.
        ofCertificateWire: round(shown.ms / certificateWireMs, 3),
        verification: caps.certificates.verification,
        runsAre: caps.certificates.oneTimeProgrammable
          ? 'a fresh simulated module: the untimed upload programmed its empty set; each timed run writes the same data again (answered Match)'
          : freshEachRun
            ? 'a new certificate of the same size each run (the module cannot remove a file)'
            : 'a first upload under the name each run (removed, untimed, after each)',
        runs: runs.map((r) => ({ ms: round(r.ms), toModule: r.toModule, toHost: r.toHost, escapes: r.escapes, wireMs: round(r.wireMs), ratio: round(r.ratio, 4) })),
        untimed: { ms: round(first.ms), ratio: round(first.ratio, 4) },
        commands: shown.commands,
        result: { verified: shown.result.verified, unchanged: shown.result.unchanged, bytes: shown.result.bytes, format: shown.result.format },
      },
    };
  } finally {
    tap.stop();
    await m.close();
  }
}

/** The commands of a run, shortened: `AT#SSLSECDATA=1,2,1; AT#SSLSECDATA=1,1,1,8090; …`. */
function firstWords(commands: readonly string[]): string {
  const text = commands.join('; ');
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const baud = ctx.options.baud ?? DEFAULT_BAUD;
  const vendors = (ctx.options.vendor ? [ctx.options.vendor] : VENDORS) as VendorId[];
  const figures: Figure[] = [];
  const red = await startNodeRed(ctx);
  try {
    for (const vendor of vendors) {
      ctx.log(`uploads: ${VENDOR_NAMES[vendor]} at ${baud}`);
      figures.push(
        await measureVendor(ctx, red, vendor, baud).catch((err: unknown) =>
          failedFigure(GROUP, `${VENDOR_NAMES[vendor]} load-cert at ${baud}`, AGAINST, err, TARGET, true),
        ),
      );
    }
  } finally {
    await red.stop();
  }
  return figures;
}
