/**
 * The packet-data commands a u-blox socket stands on: `+CGDCONT` (3GPP TS 27.007 §10.1.1) to
 * define a context, `+UAUTHREQ` (u-blox AT commands manual, "PDP context authentication
 * configuration") for its user name and password, `+CGACT` (27.007 §10.1.10) to activate it.
 *
 * Owns: the contexts of the simulated module, volatile like a real module's activation state
 * (definitions are kept, activations lost at power-down). Must never: reach a network —
 * activation is immediate and the address is made up.
 */
import { FAIL } from './errors';
import type { UbloxDevice } from './state';

interface Context {
  cid: number;
  pdpType: string;
  apn: string;
  active: boolean;
  auth?: { type: number; user: string };
}

const CIDS = { min: 1, max: 8 };

export function registerNetworkCommands(device: UbloxDevice): void {
  const modem = device.modem;
  const contexts = new Map<number, Context>();
  modem.on('power', (state: string) => {
    if (state === 'off') for (const c of contexts.values()) c.active = false;
  });
  const cidOf = (value: unknown): number => {
    const cid = Number(value);
    if (!Number.isInteger(cid) || cid < CIDS.min || cid > CIDS.max) throw FAIL.badParameter();
    return cid;
  };

  modem.register('+CGDCONT', {
    write: ({ args }) => {
      const cid = cidOf(args[0]);
      if (args.length === 1) {
        contexts.delete(cid);
        return;
      }
      const pdpType = String(args[1] ?? 'IP');
      if (!['IP', 'IPV6', 'IPV4V6', 'NONIP'].includes(pdpType)) throw FAIL.badParameter();
      const apn = String(args[2] ?? '');
      if (apn.length > 99) throw FAIL.badParameter();
      contexts.set(cid, { cid, pdpType, apn, active: false, auth: contexts.get(cid)?.auth });
    },
    read: () => [...contexts.values()].sort((a, b) => a.cid - b.cid).map((c) => `+CGDCONT: ${c.cid},"${c.pdpType}","${c.apn}","0.0.0.0",0,0`),
    test: () => '+CGDCONT: (1-8),"IP",,,(0-2),(0-4)',
  });

  modem.register('+UAUTHREQ', {
    write: ({ args }) => {
      const cid = cidOf(args[0]);
      const type = Number(args[1]);
      if (![0, 1, 2, 3].includes(type)) throw FAIL.badParameter();
      const context = contexts.get(cid);
      if (!context) throw FAIL.notAllowed();
      // The password is taken and never shown again, as on the module.
      context.auth = { type, user: String(args[2] ?? '') };
    },
  });

  // "PIN required: Yes" in the manual's attribute table of these commands.
  modem.requiresSim('+CGACT', '+UPSDA');
  modem.register('+CGACT', {
    write: ({ args }) => {
      const state = Number(args[0]);
      if (state !== 0 && state !== 1) throw FAIL.badParameter();
      const cids = args.length > 1 ? args.slice(1).map(cidOf) : [...contexts.keys()];
      for (const cid of cids) {
        const context = contexts.get(cid);
        if (!context) throw FAIL.notAllowed();
        context.active = state === 1;
      }
    },
    read: () => [...contexts.values()].sort((a, b) => a.cid - b.cid).map((c) => `+CGACT: ${c.cid},${c.active ? 1 : 0}`),
    test: () => '+CGACT: (0,1)',
  });
}
