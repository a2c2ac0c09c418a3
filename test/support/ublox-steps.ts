/** Transcript steps the u-blox adapter tests share: a plain command answered `OK`, and a connection opened as tls-open opens it. */
import type { UbloxAdapter } from '../../src/adapters/ublox/adapter';
import { framed, type TranscriptLink } from './transcript';

export function write(command: string): { host: string; modem: string } {
  return { host: `${command}\r`, modem: framed('OK') };
}

/** Opens a connection on profile 0 to which the module gives socket `id`, as a tls-open would. */
export async function opened(link: TranscriptLink, adapter: UbloxAdapter, id: number): Promise<void> {
  link.expect(
    { host: 'AT+USOCR=6\r', modem: framed(`+USOCR: ${id}`, 'OK') },
    write(`AT+USOSEC=${id},1,0`),
    write(`AT+USOCO=${id},"example.com",443`),
  );
  await adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
}
