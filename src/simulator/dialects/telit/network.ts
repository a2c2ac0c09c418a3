/**
 * The packet-data commands an SSL socket stands on (§5, §8.2): `+CGDCONT` (define a PDP
 * context), `#SGACT` (activate it: the network hands out an address at once), `#SCFG` (the plain
 * sockets' configuration, shown by the §8.2/§9.1 transcripts) and `#PORTCFG` (§6.8.1/§6.8.2).
 *
 * Owns: those handlers. Must never: open connections (the socket and service modules do, after
 * checking here that their context is active).
 */
import type { SimulatedModem } from '../../modem';
import { formatAllowed, Params, range, values } from './args';
import { FAIL } from './errors';
import type { TelitDevice, TelitInstance } from './state';
import { CID_RANGE, CLOSURE_CAUSE, SCFG_DEFAULTS } from './tables';

/** 27.007 §10.1.1 `<PDP_type>` values the modules take. */
const PDP_TYPES = ['IP', 'IPV6', 'IPV4V6'] as const;

/**
 * The address the simulated network assigns to context `cid`. §8.2 and §9.1 show `10.7.125.7` for
 * context 1 on a 3G module; the simulator keeps that network and numbers the others after it.
 */
export function assignedAddress(cid: number): string {
  return `10.7.125.${6 + cid}`;
}

/** §7: an SSL socket needs its `<cid>` active. */
export function isActive(device: TelitDevice, cid: number): boolean {
  return device.contexts.get(cid)?.active !== undefined;
}

export function registerNetworkCommands(device: TelitDevice, instance: TelitInstance): void {
  const modem: SimulatedModem = instance.modem;

  // 27.007 §10.1.1: +CGDCONT=<cid>[,<PDP_type>[,<APN>[,<PDP_addr>[,<d_comp>[,<h_comp>]]]]];
  // a <cid> alone undefines the context.
  modem.register('+CGDCONT', {
    write: ({ args }) => {
      const p = new Params(args).expect(1, 6);
      const cid = p.int(0, CID_RANGE);
      if (p.count === 1) {
        if (device.contexts.get(cid)?.active) throw FAIL.notAllowed();
        device.contexts.delete(cid);
        return;
      }
      const pdpType = p.str(1, 'IP').toUpperCase();
      if (!(PDP_TYPES as readonly string[]).includes(pdpType)) throw FAIL.badParameter();
      const previous = device.contexts.get(cid);
      device.contexts.set(cid, {
        cid,
        pdpType,
        apn: p.str(2, ''),
        address: p.str(3, '0.0.0.0'),
        dComp: p.int(4, range(0, 2), 0),
        hComp: p.int(5, range(0, 4), 0),
        active: previous?.active,
      });
    },
    // §10.1.1: `+CGDCONT: 1,"IP","Access_Point_Name","0.0.0.0",0,0`; nothing defined → just OK.
    read: () =>
      [...device.contexts.values()]
        .sort((a, b) => a.cid - b.cid)
        .map((c) => `+CGDCONT: ${c.cid},"${c.pdpType}","${c.apn}","${c.address}",${c.dComp},${c.hComp}`),
    test: () => PDP_TYPES.map((type) => `+CGDCONT: ${formatAllowed(CID_RANGE)},"${type}",,,(0-2),(0-4)`),
  });

  // A context is activated over the network the SIM opens: locked, +CME ERROR: 11.
  modem.requiresSim('#SGACT');
  // §5: #SGACT=<cid>,<stat>[,<userId>,<pwd>]; activation answers `#SGACT: <ip>` (§8.2).
  modem.register('#SGACT', {
    write: ({ args }) => {
      const p = new Params(args).expect(2, 4);
      const cid = p.int(0, CID_RANGE);
      const stat = p.int(1, values(0, 1));
      const context = device.contexts.get(cid);
      if (stat === 0) {
        if (context?.active) {
          context.active = undefined;
          // The connections riding on it go down as the network would take them down.
          for (const slot of device.ssl) {
            if (slot.socket && slot.settings.cid === cid) slot.socket.lose(CLOSURE_CAUSE.networkDeactivation);
          }
        }
        return;
      }
      if (!context) throw FAIL.activationFailed();
      if (context.active) throw FAIL.contextAlreadyActive();
      context.active = assignedAddress(cid);
      return `#SGACT: ${context.active}`;
    },
    read: () =>
      [...device.contexts.values()].sort((a, b) => a.cid - b.cid).map((c) => `#SGACT: ${c.cid},${c.active ? 1 : 0}`),
    test: () => `#SGACT: ${formatAllowed(CID_RANGE)},(0,1)`,
  });

  // §8.2: #SCFG=<connId>,<cid>,<pktSz>,<maxTo>,<connTo>,<txTo>; the read form lists the six sockets.
  const scfgRanges = [range(1, SCFG_DEFAULTS.length), CID_RANGE, range(0, 1500), range(0, 65535), range(10, 1200), range(0, 255)];
  modem.register('#SCFG', {
    write: ({ args }) => {
      const p = new Params(args).expect(6, 6);
      const row = scfgRanges.map((allowed, i) => p.int(i, allowed));
      device.scfg[row[0] - 1] = row;
    },
    read: () => device.scfg.map((row) => `#SCFG: ${row.join(',')}`),
    test: () => `#SCFG: ${scfgRanges.map(formatAllowed).join(',')}`,
  });

  // §6.8.1/§6.8.2: the port arrangement, only read by the transcripts.
  modem.register('#PORTCFG', { read: () => `#PORTCFG: ${device.platform.identity.portcfg}` });
}
