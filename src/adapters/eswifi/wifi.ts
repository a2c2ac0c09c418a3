/**
 * The Wi-Fi network an eS-WiFi module joins (Inventek eS-WiFi AT command set, IWIN, as ST
 * es_wifi.c ES_WIFI_Connect, Zephyr eswifi_core.c and mbed ISM43362Interface send it): `CS`
 * answers 1 when the module has joined and 0 when not; a join is `C1=<ssid>`, `C2=<passphrase>`,
 * `C3=<security>`, `C4=1` (DHCP) and `C0`, whose answer — `[JOIN   ] <ssid>,<ip>,0,0` and OK, or
 * `[JOIN   ] Failed` and an ERROR — comes once the access point has answered, which takes seconds.
 *
 * At bring-up a joined module is left alone (its join is kept; `C?` is never read, since it shows
 * the passphrase); otherwise the join is started, not waited for: the modem is ready for uploads
 * and profiles at once, and the next open waits for the join's outcome and fails with it.
 *
 * Owns: checking the modem config's network, the join, and its outcome.
 * Must never: let the passphrase reach a trace, a message or an error (`C2` is built with a
 * secret parameter, shown `C2=***`), or wait for a join inside a section other than an open's.
 */
import type { EventEmitter } from 'node:events';
import { buildCommand, p, type CommandLine } from '../../at/command';
import type { AtChannel, AtEngine } from '../../at/engine';
import { isModemError, ModemError } from '../../at/errors';
import type { WifiOptions } from '../vendor';
import { checkWifi } from '../wifi';
import { joinedState } from './reply';
import { ESWIFI } from './selection';
import { SECURITY, WIFI } from './tables';

/** The join's commands for `wifi`, checked: a PARAMETER error naming the modem config's field, never quoting the passphrase. */
export function joinCommands(wifi: WifiOptions): CommandLine[] {
  const checked = checkWifi(wifi);
  const ssid = p.unquoted('wifiSsid', checked.ssid, { minLength: 1, maxLength: WIFI.ssidMax, charset: 'printable-unicode' });
  const security = SECURITY[checked.security];
  const passphrase = checked.passphrase ?? '';
  const secret = p.unquoted('wifiPassphrase', passphrase, { maxLength: WIFI.passphraseMax, secret: true });
  return [
    buildCommand('C1', [ssid], ESWIFI),
    buildCommand('C2', [secret], ESWIFI),
    buildCommand('C3', [p.int('wifiSecurity', security)], ESWIFI),
    buildCommand('C4', [p.int('dhcp', WIFI.dhcp)], ESWIFI),
  ];
}

export const JOIN = buildCommand('C0', [], ESWIFI);
const STATUS = buildCommand('CS', [], ESWIFI);

export class EswifiWifi {
  /** A join started at bring-up and not waited for: the next open waits for it. */
  private joining: Promise<void> | null = null;
  /** The "no network" warning is given once per bring-up. */
  private warned = false;

  constructor(
    private readonly engine: AtEngine,
    private readonly wifi: WifiOptions | undefined,
    /** Emits `warning`. */
    private readonly events: EventEmitter,
  ) {}

  /** The join's commands, or the modem config's mistake (which the next open reports). */
  private commands(): CommandLine[] | ModemError {
    if (!this.wifi || this.wifi.ssid === '') return [];
    try {
      return joinCommands(this.wifi);
    } catch (err) {
      if (isModemError(err)) return err;
      throw err;
    }
  }

  /**
   * At bring-up, inside its section: `CS`; when the module has not joined and an SSID is
   * configured, the network's settings, and the join started behind the section.
   */
  async prepare(at: AtChannel): Promise<void> {
    this.warned = false;
    if (!this.wifi || this.wifi.ssid === '') return;
    const commands = this.commands();
    if (commands instanceof ModemError) {
      this.events.emit('warning', `the Wi-Fi network of the modem config cannot be joined: ${commands.message}`);
      return;
    }
    if (await this.joined(at)) return;
    for (const line of commands) await at.send({ line });
    // Queued behind this section: the module is busy with it anyway, and nobody waits here.
    const outcome = this.engine.send({ line: JOIN, timeoutMs: WIFI.joinTimeoutMs }).then(
      () => undefined,
      (err: unknown) => {
        throw this.failed(err);
      },
    );
    this.joining = outcome;
    outcome
      .catch((err: ModemError) => {
        if (err.kind !== 'LINK_DOWN' && err.kind !== 'CLOSED') this.events.emit('warning', `the Wi-Fi join (${this.wifi!.ssid}) did not succeed: ${err.message}`);
      })
      .finally(() => {
        if (this.joining === outcome) this.joining = null;
      });
  }

  /** Before an open's section: a join under way finishes first, and its failure is the open's. */
  async settled(): Promise<void> {
    const commands = this.commands();
    if (commands instanceof ModemError) throw commands;
    if (this.joining) await this.joining;
  }

  /**
   * Inside an open's section: the module has joined, or joins now when an SSID is configured;
   * without one, a warning (once) and the module's own answer decides.
   */
  async ensure(at: AtChannel): Promise<void> {
    if (await this.joined(at)) return;
    const commands = this.commands();
    if (commands instanceof ModemError) throw commands;
    if (commands.length === 0) {
      if (!this.warned) this.events.emit('warning', 'the module has not joined a Wi-Fi network: set the SSID in the modem config');
      this.warned = true;
      return;
    }
    for (const line of commands) await at.send({ line });
    await at.send({ line: JOIN, timeoutMs: WIFI.joinTimeoutMs }).catch((err: unknown) => {
      throw this.failed(err);
    });
  }

  /** A join the module refused, said so with the network's name (never its passphrase). */
  private failed(err: unknown): unknown {
    if (!isModemError(err) || (err.kind !== 'FINAL' && err.kind !== 'TIMEOUT')) return err;
    const why = err.kind === 'TIMEOUT' ? `no answer within ${WIFI.joinTimeoutMs / 1000} s` : `the module answered ${err.line ?? 'ERROR'}`;
    return new ModemError({
      kind: err.kind,
      vendor: 'eswifi',
      code: err.code,
      command: err.command,
      line: err.line,
      message: `the module did not join the Wi-Fi network "${this.wifi?.ssid ?? ''}" (${why}): check wifiSsid, wifiPassphrase and wifiSecurity of the modem config, and that the access point is in range`,
      cause: err,
    });
  }

  /** `CS`: whether the module is joined to a network now. */
  async joined(at: AtChannel): Promise<boolean> {
    const answer = await at.send({ line: STATUS });
    return joinedState(answer.lines) === true;
  }
}
