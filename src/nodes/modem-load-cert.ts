/**
 * `modem-load-cert`: stores a CA certificate, a client certificate or a private key in the
 * modem. Everything is checked before the first command — it parses, its dates hold, the key
 * belongs to its certificate, the name, size, format and key algorithm are ones the modem
 * takes — so a refusal leaves the modem as it was. An identical item is not written again. On
 * one-time programmable storage, an empty slot is written only when the node's "Program one-time
 * set" (or `vendorOptions.programOneTime`) says so; otherwise an upload only checks a slot.
 *
 * Must never: let the key or its password reach msg.payload, a status, a log or an error —
 * both are taken off the message before anything can fail.
 */
import { parameterError } from '../at/errors';
import type { Capabilities } from '../adapters/adapter';
import {
  checkValidity,
  describeSecurityData,
  keyMatchesCertificate,
  parseSecurityData,
  type CertType,
  type DataFormat,
  type ParsedSecurityData,
} from '../tls/certificates';
import { bytesText, handleAdapterInput, optionOf } from './adapter-node';
import { checkSecurityData } from './capability-checks';
import { bindToModem, overridable } from './flow-node';
import type { Translate } from './messages';
import type { NodeAPI, NodeMessage, NodeStatus, RedNode } from './red';
import { busyBadge, doneBadge, warningBadge } from './status';

interface LoadCertProps {
  modem?: string;
  /** `store` (default), `list` what the modem holds, or `remove` one item. */
  action?: string;
  certType?: string;
  /** The name (or slot) the item is stored under: on Telit the secure socket id. */
  name?: string;
  format?: string;
  force?: boolean;
  /** PEM of the certificate a key must match (public data). */
  matchCert?: string;
  /** For tests of expiry handling: store a certificate outside its validity dates. */
  allowExpired?: boolean;
  /**
   * On a modem whose storage is one-time programmable: allow writing into an empty slot, which
   * programs it for good. Sent as `vendorOptions.programOneTime` to such a modem only.
   */
  programOneTime?: boolean;
  vendorOptions?: string;
}

interface Taken {
  payload: unknown;
  password?: string;
}

function register(RED: NodeAPI): void {
  function ModemLoadCert(this: RedNode, props: LoadCertProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);

    const actionOf = (msg: NodeMessage): string => String(overridable(msg, 'action', props.action || 'store'));
    handleAdapterInput<Taken>(node, binding, {
      busy: (msg) => {
        const action = actionOf(msg);
        return binding._(action === 'list' ? 'modem-load-cert.status.listing' : action === 'remove' ? 'modem-load-cert.status.removing' : 'modem-load-cert.status.uploading');
      },
      take(msg) {
        // The payload may be a private key: it leaves the message here, and msg.payload
        // gets the summary on success (a Catch node sees neither key nor password).
        const taken: Taken = { payload: msg.payload, password: undefined };
        const password = overridable(msg, 'password', node.credentials?.password);
        delete msg.payload;
        delete msg.password;
        if (password !== undefined && password !== null && password !== '') {
          if (typeof password !== 'string') throw parameterError('password', `must be text, got a ${typeof password}`);
          taken.password = password;
        }
        return taken;
      },
      async run(msg, adapter, taken) {
        const caps = adapter.capabilities();
        const option = (name: keyof LoadCertProps): unknown => optionOf('load-cert', name, msg, props[name], caps);
        const action = option('action');
        if (action === 'list') {
          const items = await adapter.listSecurityData();
          msg.payload = items;
          return { msg, status: doneBadge(binding._('modem-load-cert.status.listed', { count: items.length })) };
        }
        if (action === 'remove') {
          const certType = option('certType') as CertType;
          const name = String(option('name'));
          const vendorOptions = option('vendorOptions') as Record<string, unknown>;
          await adapter.removeSecurityData(certType, name, Object.keys(vendorOptions).length > 0 ? { vendorOptions } : undefined);
          msg.payload = { certType, name, removed: true };
          return { msg, status: doneBadge(binding._('modem-load-cert.status.removed', { certType, name })) };
        }
        const certType = option('certType') as CertType;
        const name = String(option('name'));
        const format = option('format') as DataFormat | 'auto';
        const force = option('force') as boolean;
        const vendorOptions = withProgramOneTime(option('vendorOptions') as Record<string, unknown>, props.programOneTime === true, caps);
        if (caps.certificates.oneTimeProgrammable) {
          // What the modem is about to do says more than `uploading…`: a slot may be programmed for good.
          const values = { certType, name };
          node.status(busyBadge(vendorOptions.programOneTime === true
            ? binding._('modem-load-cert.status.programming', values)
            : binding._('modem-load-cert.status.checking', values)));
        }
        const parsed = parseSecurityData(taken.payload, certType, { password: taken.password, field: 'msg.payload' });
        // Size and key algorithm need nothing from the modem: refused before its clock is read.
        checkSecurityData(caps, parsed, format);

        if (parsed.kind === 'certificate') {
          // The modem judges dates by its own clock: ask it, and fall back to this host's.
          const modemNow = await adapter.modemClock().catch(() => undefined);
          const now = modemNow ?? new Date();
          // On one-time programmable storage, an upload without programOneTime only writes the same
          // data into a slot that holds it already, to check it: nothing changes, so a certificate out
          // of its dates is the adapter's to warn about, not a reason to refuse the check.
          const onlyChecking = caps.certificates.oneTimeProgrammable && vendorOptions.programOneTime !== true;
          const problem = props.allowExpired === true || onlyChecking ? null : checkValidity(parsed, now);
          if (problem) {
            // A module clock far from this host's (one that starts from a default at power-up) is the likelier fault.
            const days = modemNow ? Math.round(Math.abs(modemNow.getTime() - Date.now()) / 86400000) : 0;
            const clock = days >= 1 ? ` — by the modem's clock, ${modemNow!.toISOString()}, ${days} days away from this host's: set it (clockSync in the modem config) and load again` : '';
            throw parameterError('msg.payload', `${problem.message}: not loaded (the modem would refuse every connection with it)${clock}`);
          }
          if (parsed.chain.length > 0) {
            node.warn(binding._('modem-load-cert.log.bundle', { count: parsed.chain.length + 1, subject: parsed.subject }));
          }
        } else {
          const cert = overridable(msg, 'cert', props.matchCert);
          checkKeyMatches(parsed, cert, cert === props.matchCert ? 'matchCert' : 'msg.cert');
        }

        const result = await adapter.uploadSecurityData({
          certType,
          name,
          parsed,
          format,
          password: taken.password,
          force,
          vendorOptions: Object.keys(vendorOptions).length > 0 ? vendorOptions : undefined,
        });
        const about = describeSecurityData(parsed);
        const payload: Record<string, unknown> = {
          certType: result.certType,
          name: result.name,
          bytes: result.bytes,
          format: result.format,
        };
        // A fingerprint of a certificate is public; of a private key it is left out.
        if (result.md5 && parsed.kind === 'certificate') payload.md5 = result.md5;
        payload.verified = result.verified;
        if (about.subject) payload.subject = about.subject;
        if (about.notAfter) payload.notAfter = about.notAfter;
        payload.unchanged = result.unchanged;
        payload.warnings = result.warnings;
        for (const warning of result.warnings) node.warn(warning);
        msg.payload = payload;
        return { msg, status: outcomeBadge(binding._, result, vendorOptions.programOneTime === true) };
      },
    });
  }

  RED.nodes.registerType('modem-load-cert', ModemLoadCert, { credentials: { password: { type: 'password' } } });
}

/** A key is refused when it does not belong to the certificate given beside it. */
function checkKeyMatches(key: ParsedSecurityData, certInput: unknown, field: string): void {
  if (key.kind !== 'key' || certInput === undefined || certInput === null || certInput === '') return;
  const cert = parseSecurityData(certInput, 'cert', { field });
  if (cert.kind !== 'certificate') return;
  if (!keyMatchesCertificate(key, cert)) {
    throw parameterError('msg.payload', `the private key does not belong to the certificate "${cert.subject}" given in ${field}: not loaded`);
  }
}

/**
 * The vendor options an upload goes out with. On a modem whose storage is one-time programmable,
 * the node's "Program one-time set" setting becomes `programOneTime: true`, unless the options
 * given (msg.vendorOptions, or the node's own) say otherwise: a value there wins, as a message's
 * value wins over a node's everywhere. Other modems never see the setting.
 */
function withProgramOneTime(vendorOptions: Record<string, unknown>, programOneTime: boolean, caps: Capabilities): Record<string, unknown> {
  if (!programOneTime || !caps.certificates.oneTimeProgrammable || vendorOptions.programOneTime !== undefined) return vendorOptions;
  return { ...vendorOptions, programOneTime: true };
}

function outcomeBadge(_: Translate, result: { certType: string; name: string; bytes: number; verified: boolean; unchanged: boolean }, programming = false): NodeStatus {
  const values = { certType: result.certType, name: result.name, bytes: bytesText(result.bytes) };
  if (result.unchanged) return doneBadge(_('modem-load-cert.status.unchanged', values));
  if (result.verified && programming) return doneBadge(_('modem-load-cert.status.programmed', values));
  if (result.verified) return doneBadge(_('modem-load-cert.status.verified', values));
  // Keys cannot be read back on most modules: stored, but not verifiable.
  if (result.certType === 'key') return doneBadge(_('modem-load-cert.status.stored', values));
  return warningBadge(_('modem-load-cert.status.notVerified', values));
}

export = register;
