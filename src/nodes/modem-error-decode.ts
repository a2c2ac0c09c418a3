/**
 * `modem-error-decode`: explains a modem failure in plain words — what the code means,
 * whether it is about a certificate, the handshake, the network, the link or a value, and
 * what to try. Takes `msg.modemError` (set by every failing modem node, so a Catch node can
 * be wired here) or a code or raw line in `msg.payload`. Needs no modem: the vendor comes
 * from the error, else from the selected modem config, else from the node's own setting.
 *
 * Must never: send anything to a modem.
 */
import { parameterError } from '../at/errors';
import type { ModemErrorCode } from '../at/errors';
import type { DecodedError } from '../adapters/adapter';
import { decoderOf, dialectOf, isVendor } from '../adapters';
import type { ModemConfigNode } from './flow-node';
import { translator } from './messages';
import type { NodeAPI, NodeMessage, RedNode } from './red';
import { doneBadge, problemBadge } from './status';

interface DecodeProps {
  modem?: string;
  vendor?: string;
}

type ErrorInput = { code?: string | number; line?: string; command?: string };
type Decoder = (error: ErrorInput) => DecodedError;
type Explanation = Pick<DecodedError, 'name' | 'meaning' | 'category' | 'hint'>;

/** Failures of our own engine and nodes, the same for every vendor. */
const ENGINE: Partial<Record<ModemErrorCode, (e: Record<string, unknown>) => Explanation>> = {
  TIMEOUT: (e) => ({
    name: 'timeout',
    meaning: `The modem did not finish ${e.command ? `"${String(e.command)}"` : 'the command'} in time.`,
    category: 'modem',
    hint: 'The module may be busy or the network slow: raise the node’s timeout. If every command times out, check the baud rate, the cable and that the module is powered.',
  }),
  GARBLED: () => ({
    name: 'garbled answer',
    meaning: 'The modem sent a line far longer than any answer of its manual, so it was dropped; the modem was resynchronised before the next command.',
    category: 'link',
    hint: 'Check that the baud rate and framing of the modem-config match the module, and that nothing else writes to the port. Send again: the next command starts clean.',
  }),
  LINK_DOWN: () => ({
    name: 'link down',
    meaning: 'The serial port or TCP link to the modem is not open, or dropped while the command was waiting.',
    category: 'link',
    hint: 'Check the modem-config port (the modem may have been unplugged or re-enumerated; /dev/serial/by-id names survive that). The link reopens by itself; send again once the status says ready.',
  }),
  CLOSED: () => ({
    name: 'connection closing',
    meaning: 'The modem connection was closing (a redeploy or shutdown) while the command waited.',
    category: 'link',
    hint: 'Nothing to fix: send again once the flow is deployed and the modem is ready.',
  }),
  PARAMETER: (e) => ({
    name: `invalid ${e.field ? String(e.field) : 'value'}`,
    meaning: `A value was refused before anything was sent to the modem${e.message ? `: ${String(e.message)}` : '.'}`,
    category: 'parameter',
    hint: `Correct ${e.field ? String(e.field) : 'the value'} within the limit the message names; the modem was left as it was.`,
  }),
  NOT_RESPONDING: () => ({
    name: 'modem not responding',
    meaning: 'The modem does not answer AT, even after the link was resynchronised.',
    category: 'modem',
    hint: 'Check power, the baud rate and RTS/CTS settings of the modem-config, and that no other program holds the port; a reboot of the module may be needed.',
  }),
  ONLINE: () => ({
    name: 'link in online mode',
    meaning: 'A connection holds the serial link in ONLINE (transparent) mode, where commands cannot be sent.',
    category: 'modem',
    hint: 'Close that connection (tls-close) or use command mode in tls-open for connections that share the link with other nodes.',
  }),
  UNSUPPORTED: (e) => ({
    name: 'not supported',
    meaning: e.message ? String(e.message) : 'This modem, or this package for this modem, cannot do the requested operation.',
    category: 'parameter',
    hint: 'Check the vendor and platform chosen in the modem-config; for a vendor without TLS support use at-command with the module’s own commands.',
  }),
};

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A code as the modem gave it: `+CME ERROR: 839` → 839, `-11` → -11, text stays text. */
function codeOf(raw: string | number): string | number {
  if (typeof raw === 'number') return raw;
  const text = raw.replace(/^\+CM[ES] ERROR:\s*/i, '').trim();
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

function genericDecode(vendor: string, error: ErrorInput): DecodedError {
  const code = codeOf(error.code ?? error.line ?? '');
  const label = isVendor(vendor) ? dialectOf(vendor).label : vendor || 'the modem';
  return {
    vendor: vendor || 'unknown',
    code,
    name: `error ${code}`,
    meaning: `${label} reported ${typeof code === 'number' ? `error code ${code}` : `"${code}"`}; this package has no table of ${label} error codes yet.`,
    category: 'unknown',
    hint: 'Look the code up in the AT commands manual of the module (the +CME ERROR list).',
  };
}

function register(RED: NodeAPI): void {
  const _ = translator(RED);
  function ModemErrorDecode(this: RedNode, props: DecodeProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const config = (props.modem ? (RED.nodes.getNode(props.modem) as ModemConfigNode | null) : null) ?? null;

    const decoderFor = (vendor: string): Decoder => {
      const adapter = config?.modem?.adapter;
      if (adapter && adapter.vendor === vendor) return (e) => adapter.decodeError(e);
      const table = isVendor(vendor) ? decoderOf(vendor) : undefined;
      return table ?? ((e) => genericDecode(vendor, e));
    };

    const decode = (msg: NodeMessage): DecodedError => {
      const given = msg.modemError;
      const me = typeof given === 'object' && given !== null && !Array.isArray(given) ? (given as Record<string, unknown>) : undefined;
      const vendor = textOf(me?.vendor) ?? textOf(config?.vendor) ?? textOf(props.vendor) ?? '';
      if (me) {
        const kind = textOf(me.kind) as ModemErrorCode | undefined;
        const explain = kind ? ENGINE[kind] : undefined;
        if (explain && kind) return { vendor: vendor || 'unknown', code: kind, ...explain(me) };
        const code = typeof me.code === 'number' || typeof me.code === 'string' ? me.code : undefined;
        const line = textOf(me.line);
        // A failure with no code of the modem (code is just its kind): the message says it all.
        if ((code === undefined || code === kind) && !line) {
          return {
            vendor: vendor || 'unknown',
            code: code ?? 'unknown',
            name: 'failure',
            meaning: textOf(me.message) ?? 'The node failed without a code from the modem.',
            category: 'unknown',
            hint: 'Read the message; turning on the AT trace in the modem-config shows the exchange.',
          };
        }
        return decoderFor(vendor)({ code: code ?? line, line, command: textOf(me.command) });
      }
      const payload = msg.payload;
      if (typeof payload === 'number' && Number.isFinite(payload)) return decoderFor(vendor)({ code: payload });
      const line = textOf(payload);
      if (line) {
        const code = codeOf(line);
        return decoderFor(vendor)(typeof code === 'number' ? { code, line } : { line });
      }
      throw parameterError('msg.payload', 'nothing to decode: wire a Catch node here (msg.modemError), or give a code or an error line such as "+CME ERROR: 839"');
    };

    node.on('input', (msg, send, done) => {
      let decoded: DecodedError;
      try {
        decoded = decode(msg);
      } catch (err) {
        const e = err as Error & { toJSON?: () => unknown };
        if (msg.modemError === undefined && typeof e.toJSON === 'function') msg.modemError = e.toJSON();
        node.status(problemBadge(e.message));
        done(e);
        return;
      }
      msg.payload = {
        vendor: decoded.vendor,
        code: decoded.code,
        name: decoded.name,
        meaning: decoded.meaning,
        category: decoded.category,
        hint: decoded.hint,
      };
      node.status(doneBadge(_('modem-error-decode.status.decoded', { vendor: decoded.vendor, code: String(decoded.code), name: decoded.name })));
      send(msg);
      done();
    });
  }

  RED.nodes.registerType('modem-error-decode', ModemErrorDecode);
}

export = register;
