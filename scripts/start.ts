/**
 * `npm start`: the local demo (scripts/demo.ts) from the command line — Node-RED with this
 * package, two simulated Telit modems (one for the MQTT example), a simulated u-blox module, two
 * simulated Fibocom L610s (one for the modem config that leaves clock sync off), a simulated Digi
 * XBee3 Cellular, a simulated Inventek eS-WiFi, local TLS servers and an MQTT broker that wants a
 * client certificate, all on this machine, no hardware needed. Node-RED keeps its files in `.node-red/` (flows,
 * credentials); the example flows are installed there the first time only, so edits survive a
 * restart (delete `.node-red/flows.json` to get them back). Each start writes a throw-away PKI
 * to `.node-red/demo-pki/`, which the flows read. Ctrl-C stops everything.
 *
 * Ports: `PORT` (the editor, 1880), `MODEM_SIM_PORT` (the Telit modem, 7001; the u-blox module,
 * the two Fibocom L610s, the XBee3, the eS-WiFi and the MQTT example's Telit modem take the next
 * six), `TLS_SERVER_PORT` (the first of the five TLS servers, 7443; the MQTT broker takes the port
 * after them, 7448). The MQTT examples' tls bridges listen in Node-RED on 7883 (Telit) and 7884
 * (u-blox), each on a free port instead when its own is taken.
 *
 * Owns: reading those variables and turning failures into a message and an exit code.
 * Must never: start anything itself; the demo module does.
 */
import path from 'node:path';
import { DemoPortError, MODEM_PORTS, SERVER_PORTS, startDemo, type Demo } from './demo';

const root = path.resolve(__dirname, '..', '..');

/** A port from the environment: absent gives the default; anything but a port number is refused. */
function portFrom(variable: string, fallback: number, span = 1): number {
  const text = process.env[variable];
  if (text === undefined || text.trim() === '') return fallback;
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65536 - span) {
    throw new Error(`${variable} must be a port number from 1 to ${65536 - span} (or 0 for any free port), not "${text}"`);
  }
  return port;
}

function fail(err: Error): never {
  // A taken port is an everyday situation, not a crash: the explanation is the whole message.
  console.error(err instanceof DemoPortError ? err.message : `npm start failed: ${err.message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let editorPort: number;
  let telitPort: number;
  let serverBase: number;
  try {
    editorPort = portFrom('PORT', 1880);
    telitPort = portFrom('MODEM_SIM_PORT', 7001, MODEM_PORTS);
    serverBase = portFrom('TLS_SERVER_PORT', 7443, SERVER_PORTS);
  } catch (err) {
    fail(err as Error);
  }
  const servers = ['echo', 'mutual', 'otherCa', 'expired', 'otherHost'] as const;

  let demo: Demo | undefined;
  let stopping = false;
  const starting = new AbortController();
  const stop = (): void => {
    // A second Ctrl-C does not wait for a stop that hangs.
    if (stopping) process.exit(130);
    stopping = true;
    // Before the demo is up, startDemo stops what it started and rejects; the code below then exits.
    if (demo) void demo.close().finally(() => process.exit(0));
    else starting.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    demo = await startDemo({
      userDir: path.join(root, '.node-red'),
      editorPort,
      telitPort,
      ubloxPort: telitPort === 0 ? 0 : telitPort + 1,
      serverPorts: Object.fromEntries(servers.map((name, i) => [name, serverBase === 0 ? 0 : serverBase + i])),
      mqttBrokerPort: serverBase === 0 ? 0 : serverBase + servers.length,
      signal: starting.signal,
    });
  } catch (err) {
    if (stopping) process.exit(0);
    fail(err as Error);
  }
  if (stopping) {
    await demo.close();
    process.exit(0);
  }
  console.log(
    `Node-RED is ready: open ${demo.url} — for its first minute the Telit echo tab sends a line through the simulated modem ` +
      'every 5 s, and the echoes show in the debug sidebar; the "Telit: MQTT over modem TLS" and "u-blox: MQTT over modem TLS" tabs publish ' +
      'through the modem\'s TLS to the MQTT broker every 5 s, and the messages that come back show there too.',
  );
  const code = await demo.exited;
  if (stopping) return;
  // Node-RED stopped by itself: stop the rest, and say how it ended.
  await demo.close();
  process.exit(code ?? 1);
}

main().catch(fail);
