/**
 * `modem-tls-profile`: configures one TLS profile of the modem — what to verify, versions,
 * cipher suites, SNI/ALPN, which stored certificates — from the node's settings overlaid
 * with the message. What the modem cannot do is refused naming the field before any
 * command; a profile the modem already has is not rewritten (the adapter compares).
 *
 * Must never: let the key password, PSK or PSK identity reach the output, a status or a log
 * — secrets are taken off the message before anything can fail.
 */
import type { TlsProfile } from '../tls/profile';
import { readProfile, SECRET_PROFILE_FIELDS } from '../tls/profile';
import { OPERATION_RULES } from '../adapters/operations';
import { parameterError } from '../at/errors';
import { handleAdapterInput } from './adapter-node';
import { checkProfile } from './capability-checks';
import { bindToModem } from './flow-node';
import type { NodeAPI, NodeMessage, RedNode } from './red';
import { doneBadge, warningBadge } from './status';

interface ProfileProps {
  modem?: string;
  profile?: string;
  verify?: string;
  checkHostname?: boolean;
  checkDate?: boolean;
  hostname?: string;
  tlsVersion?: string;
  ciphers?: string | string[];
  sni?: boolean;
  alpn?: string;
  ca?: string;
  cert?: string;
  key?: string;
  vendorOptions?: string;
}

/** Profile settings a message may override one by one (secrets included; they are taken off it). */
const FIELDS = [
  'profile', 'verify', 'checkHostname', 'checkDate', 'hostname', 'tlsVersion', 'ciphers', 'sni', 'alpn',
  'ca', 'cert', 'key', 'vendorOptions', ...SECRET_PROFILE_FIELDS,
] as const;

const SECRETS: readonly string[] = SECRET_PROFILE_FIELDS;

/** What a whole `msg.profile` object may hold: the settings of the tls-profile rows. */
const PROFILE_SETTINGS: readonly string[] = (OPERATION_RULES['tls-profile'] ?? []).map((r) => r.name);

/**
 * What is wrong with the form of `msg.profile`, which is an id (text or a number) or an object of
 * settings: a list, or a key that is no tls-profile setting (a misspelt one would otherwise leave
 * the node's own value in force unnoticed). Null when nothing is.
 */
function profileShapeProblem(whole: unknown): { field: string; text: string } | null {
  if (Array.isArray(whole)) return { field: 'msg.profile', text: 'must be a profile id or an object of tls-profile settings, got a list' };
  if (typeof whole !== 'object' || whole === null) return null;
  const unknown = Object.keys(whole).find((k) => !PROFILE_SETTINGS.includes(k));
  return unknown === undefined ? null : { field: `msg.profile.${unknown}`, text: `is not a tls-profile setting (msg.profile takes ${PROFILE_SETTINGS.join(', ')})` };
}

function isSecurityData(value: unknown): boolean {
  return Buffer.isBuffer(value) || (typeof value === 'string' && value.includes('-----BEGIN '));
}

/**
 * `vendorOptions` as the message may carry it (an object or JSON text) without the options whose
 * rows say they are secret (u-blox session data): what stays on the message. The original, whole,
 * goes to the overrides. Returns the value unchanged when there is nothing secret in it, and
 * undefined (taken off the message) when it cannot be read: it may hold a secret all the same,
 * and the check of the overrides says what is wrong with it.
 */
function withoutSecretOptions(value: unknown, secret: ReadonlySet<string>): unknown {
  if (secret.size === 0) return value;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const keys = Object.keys(parsed);
  if (!keys.some((k) => secret.has(k))) return value;
  return Object.fromEntries(keys.filter((k) => !secret.has(k)).map((k) => [k, (parsed as Record<string, unknown>)[k]]));
}

/**
 * The overrides a message carries, and the message without its secrets. A whole
 * `msg.profile` object wins over single properties; `msg.profile` as text or a number is the id.
 */
function takeOverrides(msg: NodeMessage, secretOptions: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const value = msg[field];
    if (value === undefined || value === null || value === '') continue;
    // A PEM in msg.cert/msg.key is security data on its way to load-cert, not a stored name.
    if ((field === 'ca' || field === 'cert' || field === 'key') && isSecurityData(value)) continue;
    if (field === 'profile' && typeof value === 'object') continue;
    overrides[field] = value;
  }
  for (const secret of SECRETS) delete msg[secret];
  if (msg.vendorOptions !== undefined) {
    const kept = withoutSecretOptions(msg.vendorOptions, secretOptions);
    if (kept === undefined) delete msg.vendorOptions;
    else msg.vendorOptions = kept;
  }
  const whole = msg.profile;
  if (typeof whole === 'object' && whole !== null && !Array.isArray(whole)) {
    const copy: Record<string, unknown> = { ...(whole as Record<string, unknown>) };
    Object.assign(overrides, copy);
    for (const secret of SECRETS) delete copy[secret];
    if (copy.vendorOptions !== undefined) {
      const kept = withoutSecretOptions(copy.vendorOptions, secretOptions);
      if (kept === undefined) delete copy.vendorOptions;
      else copy.vendorOptions = kept;
    }
    msg.profile = copy;
  }
  return overrides;
}

function register(RED: NodeAPI): void {
  function ModemTlsProfile(this: RedNode, props: ProfileProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);
    // News the modem sends later about this profile (u-blox +UUSECPRF session resumption)
    // comes out of this node, as a message of its own.
    const adapter = binding.config?.modem?.adapter;
    if (adapter) {
      const onProfile = (profile: string, event: Record<string, unknown>): void => {
        if (profile !== String(props.profile ?? '').trim()) return;
        const { raw, ...fields } = event;
        node.send({ topic: 'profile-event', profile, payload: fields, raw });
      };
      adapter.on('profile', onProfile);
      node.on('close', (_removed, done) => {
        adapter.off('profile', onProfile);
        done();
      });
    }
    const credentials = node.credentials ?? {};

    handleAdapterInput<{ overrides: Record<string, unknown>; problem: { field: string; text: string } | null }>(node, binding, {
      busy: binding._('modem-tls-profile.status.configuring'),
      // Secret vendor options (session data) leave the message with the other secrets, before anything can fail.
      take: (msg) => {
        const problem = profileShapeProblem(msg.profile);
        return { overrides: takeOverrides(msg, new Set((adapter?.capabilities().profiles.vendorOptions ?? []).filter((r) => r.secret).map((r) => r.name))), problem };
      },
      async run(msg, adapter, { overrides, problem }) {
        if (problem) throw parameterError(problem.field, problem.text);
        const own: Record<string, unknown> = {
          profile: props.profile,
          verify: props.verify,
          checkHostname: props.checkHostname,
          checkDate: props.checkDate,
          hostname: props.hostname,
          tlsVersion: props.tlsVersion,
          ciphers: props.ciphers,
          sni: props.sni,
          alpn: props.alpn,
          ca: props.ca,
          cert: props.cert,
          key: props.key,
          vendorOptions: props.vendorOptions,
          keyPassword: credentials.keyPassword,
          psk: credentials.psk,
          pskIdentity: credentials.pskIdentity,
        };
        const caps = adapter.capabilities();
        const profile: TlsProfile = readProfile(own, overrides, caps);
        const ours = checkProfile(caps, profile);
        const result = await adapter.applyProfile(profile);
        const warnings = [...result.warnings, ...ours.filter((w) => !result.warnings.some((text) => w.topic.test(text))).map((w) => w.text)];
        for (const warning of warnings) node.warn(warning);
        msg.payload = { profile: result.profile, applied: result.applied, warnings };
        const done = binding._(result.written === 0 ? 'modem-tls-profile.status.unchanged' : 'modem-tls-profile.status.applied', { profile: result.profile });
        const status = warnings.length > 0
          ? warningBadge(binding._('modem-tls-profile.status.withWarnings', {
            done,
            warning: warnings.length === 1 ? warnings[0] : binding._('modem-tls-profile.status.warnings', { count: warnings.length }),
          }))
          : doneBadge(done);
        return { msg, status };
      },
    });
  }

  RED.nodes.registerType('modem-tls-profile', ModemTlsProfile, {
    credentials: { keyPassword: { type: 'password' }, psk: { type: 'password' }, pskIdentity: { type: 'password' } },
  });
}

export = register;
