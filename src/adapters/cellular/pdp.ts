/**
 * The data connection of a cellular module: the PDP context the module's sockets use (3GPP TS
 * 27.007 §10.1.1 +CGDCONT defines it, §10.1.10 +CGACT activates it). Every vendor reads the state
 * of its contexts, defines the context with the APN, authenticates, and activates — each with
 * commands of its own: the vendor gives them as data (`PdpCommands`), the order and the decisions
 * are here once.
 *
 * Owns: "nothing is written when the context is already active", "an inactive context without an
 * APN is a configuration error", the APN user and password as parameters (the password secret, so
 * it is masked in every trace and error), and the long timeout of an activation.
 * Must never: send anything outside the caller's exclusive section (it takes the section's
 * channel), or hold a vendor's command — those are values of `PdpCommands`, given by each adapter.
 */
import { buildCommand, p, type AtParam, type CommandLine, type IntParam, type StrParam } from '../../at/command';
import type { AtChannel, AtResponse, CommandSpec } from '../../at/engine';
import { isModemError, ModemError } from '../../at/errors';
import { parseLine } from '../../at/fields';

/** An activation may wait for the network: 27.007 gives no bound, modules document up to 150 s. */
export const ACTIVATION_TIMEOUT_MS = 150000;

/** What differs between vendors, as data and small builders. */
export interface PdpCommands {
  /** In errors (`vendor` of the ModemError). */
  vendor: string;
  /** The read form that lists `<cid>,<state>` per context (27.007 `+CGACT?`, or the vendor's own), and the prefix of its lines. */
  state: { line: CommandLine; prefix: string };
  /** Highest `<cid>` the module's +CGDCONT takes, and the longest APN it stores. */
  cidMax: number;
  apnMaxLength: number;
  /** Longest APN user name and password the module takes. */
  credentialMaxLength: number;
  /**
   * The module refused the state read (a final error, not a lost link): without this, the error
   * ends the attach like any other; with it, it is called and nothing more is sent.
   */
  stateRefused?: (err: ModemError) => void;
  /** User name and password as a command of their own, sent before the activation (u-blox +UAUTHREQ). */
  authenticate?: (cid: IntParam, user: StrParam, password: StrParam) => CommandLine;
  /**
   * The activation. `credentials` holds user and password when the vendor sends them with it
   * (no `authenticate`) and one of them is set; it is empty otherwise.
   */
  activate: (cid: IntParam, credentials: AtParam[]) => CommandSpec;
}

export interface PdpSettings {
  cid: number;
  apn?: string;
  user?: string;
  password?: string;
}

/**
 * Brings the context `settings.cid` up with `commands`: the activation's answer, or null when
 * nothing was sent after the state read (already active, or a state the module refused to give).
 */
export async function attachPdp(at: AtChannel, commands: PdpCommands, settings: PdpSettings): Promise<AtResponse | null> {
  let state: AtResponse;
  try {
    state = await at.send({ line: commands.state.line, responsePrefixes: [commands.state.prefix] });
  } catch (err) {
    if (!commands.stateRefused || !(isModemError(err) && (err.kind === 'CME' || err.kind === 'FINAL'))) throw err;
    commands.stateRefused(err);
    return null;
  }
  const active = state.lines.some((line) => {
    const f = parseLine(line).fields;
    return f[0] === settings.cid && f[1] === 1;
  });
  if (active) return null;
  if (!settings.apn) {
    throw new ModemError({ kind: 'PARAMETER', vendor: commands.vendor, field: 'apn', message: 'apn: the data connection is not active and no APN is configured in the modem config' });
  }
  // Every command is built, and so checked, before the first write.
  const cid = p.int('cid', settings.cid, { min: 1, max: commands.cidMax });
  const define = { line: buildDefine(cid, settings.apn, commands.apnMaxLength) };
  const credentials = settings.user || settings.password
    ? {
        user: p.str('apnUser', settings.user ?? '', { maxLength: commands.credentialMaxLength }),
        password: p.str('apnPassword', settings.password ?? '', { maxLength: commands.credentialMaxLength, secret: true }),
      }
    : null;
  const authenticate = credentials && commands.authenticate ? { line: commands.authenticate(cid, credentials.user, credentials.password) } : null;
  const activate = commands.activate(cid, credentials && !commands.authenticate ? [credentials.user, credentials.password] : []);
  await at.send(define);
  if (authenticate) await at.send(authenticate);
  return at.send({ timeoutMs: ACTIVATION_TIMEOUT_MS, ...activate });
}

/** 27.007 §10.1.1: `+CGDCONT=<cid>,"IP","<apn>"`. */
function buildDefine(cid: IntParam, apn: string, maxLength: number): CommandLine {
  return buildCommand('+CGDCONT', [cid, p.str('PDP_type', 'IP'), p.str('apn', apn, { maxLength })]);
}
