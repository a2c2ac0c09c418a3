/**
 * The editor's view of what a modem can do: `GET modem-tls/capabilities` (behind the
 * `modem-config.read` permission) answers with the `Capabilities` of the adapter, so the
 * dialogs can offer a platform's cipher suites, hide options it lacks and show slot ranges.
 *
 * `?modem=<config id>` answers from the deployed modem (ranges it learned from the module
 * itself, `live: true`) when its vendor and platform still match `?vendor=&platform=`; otherwise
 * from the vendor's tables — without a modem and without opening a port. A config that is not
 * deployed, asked about without a vendor, is not an error: the answer says `deployed: false`.
 *
 * Must never: open a port, send a command, or answer with anything but capabilities.
 */
import type { Capabilities } from '../adapters/adapter';
import { capabilitiesOf, isVendor, VENDORS } from '../adapters';
import type { ModemConfigNode } from './flow-node';
import type { NodeAPI } from './red';

/** JSON-safe: a RegExp becomes its source text. */
export function capabilitiesJson(caps: Capabilities): Record<string, unknown> {
  const { namePattern, ...certificates } = caps.certificates;
  return {
    supported: true,
    ...caps,
    certificates: { ...certificates, ...(namePattern ? { namePattern: namePattern.source } : {}) },
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export type CapabilitiesAnswer = { status: number; body: Record<string, unknown> };

export function answerCapabilities(RED: NodeAPI, query: Record<string, unknown>): CapabilitiesAnswer {
  const id = text(query.modem);
  const config = id ? ((RED.nodes.getNode(id) as ModemConfigNode | null) ?? null) : null;
  const vendor = text(query.vendor) ?? config?.modem?.vendor ?? text(config?.vendor);
  const platform = text(query.platform) ?? (text(query.vendor) ? undefined : config?.modem?.platform);
  if (!vendor && id) return { status: 200, body: { deployed: false } };
  if (!vendor) return { status: 400, body: { error: 'give modem=<config id> or vendor=<vendor>' } };
  if (!isVendor(vendor)) return { status: 400, body: { error: `"${vendor}" is not a supported vendor (one of ${VENDORS.join(', ')})` } };

  const live = config?.modem;
  if (live?.adapter && live.vendor === vendor && (live.platform ?? undefined) === platform) {
    return { status: 200, body: { ...capabilitiesJson(live.adapter.capabilities()), live: true } };
  }
  let caps: Capabilities;
  try {
    caps = capabilitiesOf(vendor, platform);
  } catch (err) {
    return { status: 400, body: { error: (err as Error).message } };
  }
  return { status: 200, body: capabilitiesJson(caps) };
}

export function registerCapabilitiesEndpoint(RED: NodeAPI): void {
  RED.httpAdmin.get('/modem-tls/capabilities', RED.auth.needsPermission('modem-config.read'), (req, res) => {
    const answer = answerCapabilities(RED, req.query);
    res.status(answer.status).json(answer.body);
  });
}
