/**
 * What P0 (the socket every P, S and R command acts on) and PF (the certificate set PG writes and
 * the next TLS start uses) select on the module, as far as this package knows — and the commands
 * that change them. seeds/002 l. 7: "This selection sets which set is active for a TCP-TLS
 * connection and for programming via the 'PG' command"; P0 as every public driver sends it before
 * the commands of a socket (ST es_wifi.c, Zephyr eswifi_socket.c).
 *
 * Another section — an at-command node's `P0=1` — may change either between two of ours, so
 * every section starts unsure (`unsure()`), and so does everything after an error, a resync or a
 * bring-up; PF is sent before every PG and every P6=1 whatever is known.
 *
 * Owns: the two selections and when they are sent.
 * Must never: skip a selection it is not sure of.
 */
import { buildCommand, p } from '../../at/command';
import type { AtChannel, AtEngine } from '../../at/engine';
import { SETS, SOCKETS } from './tables';

export const ESWIFI = { prefix: '' } as const;

export class Selection {
  private socket: number | null = null;

  /**
   * `body` in one exclusive section of `engine`, starting unsure of P0 and unsure again after it
   * fails (the module may have taken part of it).
   */
  async section<T>(engine: AtEngine, body: (at: AtChannel) => Promise<T>): Promise<T> {
    return engine.exclusive(async (at) => {
      this.unsure();
      try {
        return await body(at);
      } catch (err) {
        this.unsure();
        throw err;
      }
    });
  }

  /** Nothing is known of P0 any more (a new section, an error, a resync, a bring-up). */
  unsure(): void {
    this.socket = null;
  }

  /** `P0=<id>` unless this section selected it already. */
  async selectSocket(at: AtChannel, id: number): Promise<void> {
    if (this.socket === id) return;
    this.socket = null;
    await at.send({ line: buildCommand('P0', [p.int('socket', id, SOCKETS.ids)], ESWIFI) });
    this.socket = id;
  }

  /** `PF=<set>`, always: the seed's order is PF, then PG or the start (l. 34–40, 44–74). */
  async selectSet(at: AtChannel, set: number): Promise<void> {
    await at.send({ line: buildCommand('PF', [p.int('set', set, SETS.ids)], ESWIFI) });
  }
}
